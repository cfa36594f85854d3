//! The network: every terminal and service, the model parameters, and the indexes that turn
//! the public codes (UN/LOCODE, IATA, terminal id) into terminals.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::geo::{Infrastructure, LaneNetwork};

use super::{Service, ServiceId, Terminal, TerminalId};

/// The global parameters of the cost, time and CO2 model (see `network-data/model.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelParams {
    pub tonnes_per_teu: f64,
    pub m3_per_teu: f64,
    pub teu_per_truck: f64,
    pub tonnes_per_truck: f64,
    pub air_kg_per_m3: f64,
    pub sea_kg_co2_per_teu_km: f64,
    pub sea_reefer_kg_co2_per_teu_km: f64,
    pub rail_kg_co2_per_tonne_km: f64,
    pub road_kg_co2_per_tonne_km: f64,
    pub air_freighter_kg_co2_per_tonne_km: f64,
    pub air_belly_kg_co2_per_tonne_km: f64,
    pub road_circuity: f64,
    pub drayage_base_usd_per_truck: f64,
    pub drayage_usd_per_truck_km: f64,
    pub drayage_speed_kmh: f64,
    pub value_of_time_usd_per_teu_hour: f64,
    pub carbon_price_usd_per_tonne: f64,
}

impl ModelParams {
    /// Round illustrative figures for unit tests of the model and engine; the service itself
    /// always loads `model.toml`.
    pub fn example() -> Self {
        ModelParams {
            tonnes_per_teu: 10.0,
            m3_per_teu: 33.2,
            teu_per_truck: 2.0,
            tonnes_per_truck: 24.0,
            air_kg_per_m3: 167.0,
            sea_kg_co2_per_teu_km: 0.08,
            sea_reefer_kg_co2_per_teu_km: 0.14,
            rail_kg_co2_per_tonne_km: 0.02,
            road_kg_co2_per_tonne_km: 0.09,
            air_freighter_kg_co2_per_tonne_km: 0.8,
            air_belly_kg_co2_per_tonne_km: 0.6,
            road_circuity: 1.3,
            drayage_base_usd_per_truck: 80.0,
            drayage_usd_per_truck_km: 2.0,
            drayage_speed_kmh: 30.0,
            value_of_time_usd_per_teu_hour: 1.5,
            carbon_price_usd_per_tonne: 80.0,
        }
    }
}

/// Two records that claim the same public code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetworkIndexError {
    #[error("duplicate terminal id '{0}'")]
    DuplicateTerminal(String),
    #[error("duplicate service id '{0}'")]
    DuplicateService(String),
    #[error("IATA code '{0}' is used by two terminals")]
    DuplicateIata(String),
}

/// An immutable, validated network. Built once (by `data` or by tests) and shared read-only
/// by every query.
#[derive(Debug, Clone)]
pub struct Network {
    terminals: Vec<Terminal>,
    services: Vec<Service>,
    params: ModelParams,
    terminal_by_code: HashMap<String, TerminalId>,
    terminal_by_iata: HashMap<String, TerminalId>,
    service_by_code: HashMap<String, ServiceId>,
    /// LOCODE -> its terminals, ordered by LOCODE for stable listings.
    locations: BTreeMap<String, Vec<TerminalId>>,
    /// The layers the services were derived from (re-pathing, scenario overlays).
    infrastructure: Option<Arc<Infrastructure>>,
}

impl Network {
    /// Indexes terminals and services. Services must refer to terminals of this list (the
    /// loader guarantees it); codes must be unique.
    pub fn new(
        terminals: Vec<Terminal>,
        services: Vec<Service>,
        params: ModelParams,
    ) -> Result<Self, NetworkIndexError> {
        let mut terminal_by_code = HashMap::new();
        let mut terminal_by_iata = HashMap::new();
        let mut locations: BTreeMap<String, Vec<TerminalId>> = BTreeMap::new();
        for (i, t) in terminals.iter().enumerate() {
            let id = TerminalId(i as u32);
            if terminal_by_code.insert(t.code.clone(), id).is_some() {
                return Err(NetworkIndexError::DuplicateTerminal(t.code.clone()));
            }
            if let Some(iata) = &t.iata {
                if terminal_by_iata.insert(iata.clone(), id).is_some() {
                    return Err(NetworkIndexError::DuplicateIata(iata.clone()));
                }
            }
            locations.entry(t.locode.clone()).or_default().push(id);
        }
        let mut service_by_code = HashMap::new();
        for (i, s) in services.iter().enumerate() {
            if service_by_code
                .insert(s.code.clone(), ServiceId(i as u32))
                .is_some()
            {
                return Err(NetworkIndexError::DuplicateService(s.code.clone()));
            }
        }
        Ok(Network {
            terminals,
            services,
            params,
            terminal_by_code,
            terminal_by_iata,
            service_by_code,
            locations,
            infrastructure: None,
        })
    }

    /// Attaches the infrastructure layers the services were derived from.
    pub fn with_infrastructure(mut self, infrastructure: Arc<Infrastructure>) -> Self {
        self.infrastructure = Some(infrastructure);
        self
    }

    pub fn infrastructure(&self) -> Option<&Arc<Infrastructure>> {
        self.infrastructure.as_ref()
    }

    pub fn sea_lanes(&self) -> Option<&LaneNetwork> {
        self.infrastructure.as_deref().map(|i| &i.sea)
    }

    pub fn terminals(&self) -> &[Terminal] {
        &self.terminals
    }

    pub fn terminal(&self, id: TerminalId) -> &Terminal {
        &self.terminals[id.index()]
    }

    pub fn services(&self) -> &[Service] {
        &self.services
    }

    pub fn service(&self, id: ServiceId) -> &Service {
        &self.services[id.index()]
    }

    pub fn service_ids(&self) -> impl Iterator<Item = ServiceId> + '_ {
        (0..self.services.len() as u32).map(ServiceId)
    }

    pub fn service_by_code(&self, code: &str) -> Option<ServiceId> {
        self.service_by_code.get(code).copied()
    }

    pub fn params(&self) -> &ModelParams {
        &self.params
    }

    pub fn terminal_by_code(&self, code: &str) -> Option<TerminalId> {
        self.terminal_by_code.get(code).copied()
    }

    /// All locations (LOCODE and terminals), ordered by LOCODE.
    pub fn locations(&self) -> impl Iterator<Item = (&str, &[TerminalId])> {
        self.locations
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The terminals a public code names: all terminals of a UN/LOCODE, the airport of an
    /// IATA code, or one terminal by id. Codes are matched case-insensitively.
    pub fn resolve(&self, code: &str) -> Option<Vec<TerminalId>> {
        let code = code.trim().to_ascii_uppercase();
        if let Some(ids) = self.locations.get(&code) {
            return Some(ids.clone());
        }
        if let Some(id) = self.terminal_by_iata.get(&code) {
            return Some(vec![*id]);
        }
        self.terminal_by_code.get(&code).map(|id| vec![*id])
    }

    /// The LOCODE of the location a code names (see `resolve`).
    pub fn locode_of(&self, code: &str) -> Option<&str> {
        let ids = self.resolve(code)?;
        Some(self.terminal(ids[0]).locode.as_str())
    }
}
