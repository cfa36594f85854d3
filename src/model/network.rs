//! The network: every terminal and service, the model parameters, and the indexes that turn
//! the public codes (UN/LOCODE, IATA, terminal id) into terminals.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::geo::{Infrastructure, LaneNetwork};

use super::{Instant, Service, ServiceId, Terminal, TerminalId};

/// The global parameters of the cost, time and CO2 model (see `network-data/model.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelParams {
    pub tonnes_per_teu: f64,
    pub m3_per_teu: f64,
    pub teu_per_truck: f64,
    pub tonnes_per_truck: f64,
    pub air_kg_per_m3: f64,
    /// The emission factors per vehicle class and per terminal move (`emissions.toml`).
    pub emissions: super::EmissionModel,
    pub road_circuity: f64,
    pub drayage_base_usd_per_truck: f64,
    pub drayage_usd_per_truck_km: f64,
    pub drayage_speed_kmh: f64,
    pub value_of_time_usd_per_teu_hour: f64,
    pub carbon_price_usd_per_tonne: f64,
    /// Marine fuel the bunker surcharge (BAF) passes on: price per tonne (and of the 0.1 %
    /// sulphur fuel burnt inside emission control areas), and the tank-to-wake CO2e of
    /// burning a kilogram.
    pub bunker_usd_per_tonne_fuel: f64,
    pub eca_bunker_usd_per_tonne_fuel: f64,
    pub fuel_co2_ttw_kg_per_kg: f64,
    pub eu_ets: EuEts,
    /// US dollars per unit of each currency the data quotes in (`USD` is 1), and the date
    /// of those rates.
    pub usd_per_unit: Vec<(String, f64)>,
    pub fx_as_of: Option<jiff::civil::Date>,
    /// Dangerous-goods classes passenger aircraft may carry (IATA DGR); the rest fly on
    /// freighters only.
    pub passenger_aircraft_dg_classes: Vec<u8>,
    /// Passages carriers are avoiding as of the data date: sea services are derived round
    /// them unless a query asks for the passage.
    pub advisories: Vec<PassageAdvisory>,
    /// Dated exceptions to the timetables (`calendars.toml`): holidays, blank sailings.
    pub calendars: Vec<super::ServiceCalendar>,
    /// Jurisdictions legs are screened for (`model.toml [[compliance]]`).
    pub compliance: Vec<super::ComplianceRule>,
    /// Jurisdictions cargo bound for others is not carried through (`[[transit_ban]]`).
    pub transit_bans: Vec<super::TransitBan>,
}

/// A passage the carriers are avoiding, with why and since when.
#[derive(Debug, Clone, PartialEq)]
pub struct PassageAdvisory {
    pub passages: Vec<String>,
    pub since: jiff::civil::Date,
    pub reason: String,
}

impl ModelParams {
    /// Whether carriers are avoiding `passage` (an advisory names it).
    pub fn is_advised_against(&self, passage: &str) -> bool {
        self.advisories
            .iter()
            .any(|a| a.passages.iter().any(|p| p == passage))
    }

    /// The compliance rules a leg between these countries is flagged with.
    pub fn compliance_flags<'a>(
        &'a self,
        from_country: &'a str,
        to_country: &'a str,
    ) -> impl Iterator<Item = &'a super::ComplianceRule> + 'a {
        self.compliance
            .iter()
            .filter(move |r| r.touches(from_country, to_country))
    }

    /// The advisory that names `passage`.
    pub fn advisory_for(&self, passage: &str) -> Option<&PassageAdvisory> {
        self.advisories
            .iter()
            .find(|a| a.passages.iter().any(|p| p == passage))
    }

    /// US dollars per unit of an ISO 4217 currency of the model's table.
    pub fn usd_per_unit(&self, currency: &str) -> Result<f64, String> {
        let code = currency.trim();
        if code == "USD" || code.is_empty() {
            return Ok(1.0);
        }
        self.usd_per_unit
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let known: Vec<&str> = self.usd_per_unit.iter().map(|(c, _)| c.as_str()).collect();
                format!(
                    "currency '{code}' has no exchange rate in model.toml (known: USD, {})",
                    known.join(", ")
                )
            })
    }
}

/// A port as the EU ETS sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EtsPort {
    pub in_scope: bool,
    pub neighbouring_hub: bool,
}

/// The EU Emissions Trading System as it applies to shipping (Directive (EU) 2023/959).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EuEts {
    /// ISO codes of the EU and EEA states whose ports are in scope.
    pub countries: Vec<String>,
    /// UN/LOCODEs of the neighbouring container transshipment ports that do not count as a
    /// port of call (Implementing Regulation (EU) 2023/2297).
    pub neighbouring_hubs: Vec<String>,
    /// (first emission year, share of that year's emissions surrendered), ascending.
    pub phase_in: Vec<(i16, f64)>,
    pub allowance_usd_per_tonne: f64,
}

impl EuEts {
    /// The share of a year's emissions that allowances must cover.
    pub fn phase_in(&self, year: i16) -> f64 {
        self.phase_in
            .iter()
            .rev()
            .find(|(from, _)| year >= *from)
            .map_or(0.0, |(_, share)| *share)
    }

    /// How a port call counts for the system: whether the port is in an EU/EEA state, and
    /// whether it is a neighbouring transshipment hub. Taken once per terminal (see
    /// `Network::ets_port`), not per query.
    pub fn port(&self, country: &str, locode: &str) -> EtsPort {
        EtsPort {
            in_scope: self.countries.iter().any(|c| c == country),
            neighbouring_hub: self.neighbouring_hubs.iter().any(|h| h == locode),
        }
    }

    /// The share of a voyage's emissions in scope: all of a voyage between two EU/EEA ports,
    /// half of one into or out of them, none otherwise. A call at a neighbouring transshipment
    /// hub does not count as a port of call, so a leg between such a hub and a non-EU port is
    /// taken as part of a voyage into or out of the EU (the reason to transship there), and a
    /// leg between the hub and an EU port keeps the half share of a voyage from outside.
    pub fn voyage_share(from: EtsPort, to: EtsPort) -> f64 {
        match (from.in_scope, to.in_scope) {
            (true, true) => 1.0,
            (true, false) | (false, true) => 0.5,
            (false, false) if from.neighbouring_hub || to.neighbouring_hub => 0.5,
            (false, false) => 0.0,
        }
    }
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
            emissions: super::EmissionModel::example(),
            road_circuity: 1.3,
            drayage_base_usd_per_truck: 80.0,
            drayage_usd_per_truck_km: 2.0,
            drayage_speed_kmh: 30.0,
            value_of_time_usd_per_teu_hour: 1.5,
            carbon_price_usd_per_tonne: 80.0,
            bunker_usd_per_tonne_fuel: 600.0,
            eca_bunker_usd_per_tonne_fuel: 800.0,
            fuel_co2_ttw_kg_per_kg: 3.0,
            eu_ets: EuEts {
                countries: vec!["NL".to_string(), "DE".to_string()],
                neighbouring_hubs: vec!["MAPTM".to_string()],
                phase_in: vec![(2024, 0.4), (2025, 0.7), (2026, 1.0)],
                allowance_usd_per_tonne: 100.0,
            },
            usd_per_unit: vec![("CNY".to_string(), 0.14), ("EUR".to_string(), 1.1)],
            fx_as_of: None,
            passenger_aircraft_dg_classes: vec![3, 4, 5, 6, 8, 9],
            advisories: Vec::new(),
            calendars: Vec::new(),
            compliance: Vec::new(),
            transit_bans: Vec::new(),
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
    /// Other official UN/LOCODEs -> the terminals that answer to them (a port's or an
    /// airport's own entry, the city's code where the location key is a carriers' code).
    aliases: HashMap<String, Vec<TerminalId>>,
    /// The layers the services were derived from (re-pathing, scenario overlays).
    infrastructure: Option<Arc<Infrastructure>>,
    /// Per terminal, how a call there counts for the EU ETS.
    ets_ports: Vec<EtsPort>,
    /// Per terminal, the transit bans whose barred jurisdictions it is in (bit i: ban i).
    transit_ban_masks: Vec<u64>,
    /// Per terminal, a fixed-offset clock and the instant from which it tells the terminal's
    /// local time (see [`Network::clock`]).
    clocks: Vec<(Instant, jiff::tz::TimeZone)>,
    /// The named rate tables services were priced from (scenario overlays refer to them).
    tariffs: Arc<BTreeMap<String, super::Tariff>>,
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
        let mut aliases: HashMap<String, Vec<TerminalId>> = HashMap::new();
        for (i, t) in terminals.iter().enumerate() {
            for alias in t.aliases.iter().filter(|a| !locations.contains_key(*a)) {
                aliases
                    .entry(alias.clone())
                    .or_default()
                    .push(TerminalId(i as u32));
            }
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
        let ets_ports = terminals
            .iter()
            .map(|t| params.eu_ets.port(&t.country, &t.locode))
            .collect();
        let transit_ban_masks = terminals
            .iter()
            .map(|t| {
                params
                    .transit_bans
                    .iter()
                    .take(64)
                    .enumerate()
                    .filter(|(_, ban)| ban.through.contains(&t.country))
                    .fold(0u64, |mask, (i, _)| mask | 1 << i)
            })
            .collect();
        // Once per zone: a zone with daylight saving time walks 64 transitions to say so.
        let mut by_zone: HashMap<Option<&str>, (Instant, jiff::tz::TimeZone)> = HashMap::new();
        let clocks = terminals
            .iter()
            .map(|t| {
                by_zone
                    .entry(t.timezone.iana_name())
                    .or_insert_with(|| fixed_clock(&t.timezone))
                    .clone()
            })
            .collect();
        Ok(Network {
            transit_ban_masks,
            clocks,
            terminals,
            services,
            params,
            terminal_by_code,
            terminal_by_iata,
            service_by_code,
            locations,
            aliases,
            ets_ports,
            infrastructure: None,
            tariffs: Arc::default(),
        })
    }

    /// Attaches the infrastructure layers the services were derived from.
    pub fn with_infrastructure(mut self, infrastructure: Arc<Infrastructure>) -> Self {
        self.infrastructure = Some(infrastructure);
        self
    }

    /// Attaches the named rate tables of the data.
    pub fn with_tariffs(mut self, tariffs: Arc<BTreeMap<String, super::Tariff>>) -> Self {
        self.tariffs = tariffs;
        self
    }

    pub fn tariffs(&self) -> &Arc<BTreeMap<String, super::Tariff>> {
        &self.tariffs
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

    /// The transit bans (bit i: ban i of the model's `transit_bans`) whose barred
    /// jurisdictions the terminal is in: taken once per terminal, not per query and service.
    pub fn transit_ban_mask(&self, id: TerminalId) -> u64 {
        self.transit_ban_masks[id.index()]
    }

    /// How a call at the terminal counts for the EU ETS.
    pub fn ets_port(&self, id: TerminalId) -> EtsPort {
        self.ets_ports[id.index()]
    }

    /// The zone that tells terminal `id`'s local time from `from` on: a fixed offset where the
    /// zone has no transition left after `from` (China, Korea, Japan and Russia keep no
    /// daylight saving time), which a timetable lookup converts with plain arithmetic; the
    /// terminal's own zone otherwise.
    pub fn clock(&self, id: TerminalId, from: Instant) -> &jiff::tz::TimeZone {
        let (since, fixed) = &self.clocks[id.index()];
        if from >= *since {
            fixed
        } else {
            &self.terminal(id).timezone
        }
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

    /// The terminals a public code names: all terminals of a UN/LOCODE, the terminals that
    /// answer to another official UN/LOCODE (an airport's own entry, a city's), the airport of
    /// an IATA code, or one terminal by id. Codes are matched case-insensitively.
    pub fn resolve(&self, code: &str) -> Option<Vec<TerminalId>> {
        let code = code.trim().to_ascii_uppercase();
        if let Some(ids) = self.locations.get(&code) {
            return Some(ids.clone());
        }
        if let Some(ids) = self.aliases.get(&code) {
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

/// A fixed-offset zone equal to `tz` from the instant after its last transition (which
/// `Network::clock` compares with), or `tz` itself from never (`Instant::MAX`) when it keeps
/// changing, as zones with daylight saving time do.
fn fixed_clock(tz: &jiff::tz::TimeZone) -> (Instant, jiff::tz::TimeZone) {
    let Ok(now_ish) = jiff::Timestamp::from_second(1_577_836_800) else {
        return (Instant::MAX, tz.clone());
    };
    // The last transition at or after 2020, if the zone stops changing.
    let mut last = now_ish;
    for (n, transition) in tz.following(now_ish).enumerate() {
        if n > 64 {
            return (Instant::MAX, tz.clone()); // a rule repeats for ever: no fixed offset
        }
        last = transition.timestamp();
    }
    (
        last.as_second(),
        jiff::tz::TimeZone::fixed(tz.to_offset(last)),
    )
}

#[cfg(test)]
mod clock_tests {
    use super::fixed_clock;

    /// A fixed clock tells the same local time as its zone at every hour of three years after
    /// it takes over; zones with daylight saving time keep their own.
    #[test]
    fn fixed_clocks_agree_with_their_zones() {
        for name in [
            "Asia/Shanghai",
            "Asia/Seoul",
            "Asia/Tokyo",
            "Asia/Vladivostok",
            "Europe/Moscow",
            "Asia/Almaty",
            "Asia/Pyongyang",
            "Europe/Amsterdam",
            "Europe/Warsaw",
        ] {
            let tz = jiff::tz::TimeZone::get(name).unwrap();
            let (since, fixed) = fixed_clock(&tz);
            let daylight_saving = name.starts_with("Europe/") && name != "Europe/Moscow";
            assert_eq!(since == i64::MAX, daylight_saving, "{name}");
            if daylight_saving {
                continue;
            }
            let from = since.max(1_767_225_600); // 2026-01-01
            for hour in 0..3 * 366 * 24 {
                let t = jiff::Timestamp::from_second(from + hour * 3600).unwrap();
                assert_eq!(tz.to_datetime(t), fixed.to_datetime(t), "{name} at {t}");
            }
        }
    }
}
