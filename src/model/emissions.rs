//! Greenhouse-gas emissions as ISO 14083 and the GLEC Framework count them: per leg, the
//! transport activity (TEU-km or tonne-km over the distance the method prescribes) times a
//! factor for the vehicle class, well-to-wake (WTW: fuel production and combustion) and
//! tank-to-wake (TTW: combustion only); per terminal move, a hub factor.

use super::TerminalKind;

/// What a factor multiplies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// Container slots times distance (container ships: the trade's factors are per TEU-km).
    TeuKm,
    /// Cargo mass times distance (everything else; containers at the method's payload per TEU).
    TonneKm,
}

impl Activity {
    pub fn unit(self) -> &'static str {
        match self {
            Activity::TeuKm => "TEU-km",
            Activity::TonneKm => "t-km",
        }
    }
}

/// Whether a factor is a published default or our documented estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FactorQuality {
    #[default]
    SourcedDefault,
    Estimate,
}

/// A transport emission factor of one vehicle class, in kg CO2e per unit of activity.
#[derive(Debug, Clone, PartialEq)]
pub struct EmissionFactor {
    pub id: String,
    pub activity: Activity,
    pub wtw_kg: f64,
    pub ttw_kg: f64,
    /// Added to the great-circle distance before the factor applies (GLEC's 95 km for air).
    pub distance_uplift_km: f64,
    pub quality: FactorQuality,
    /// Source keys of `network-data/SOURCES.md`.
    pub source: String,
    /// The class's factor for refrigerated containers, if it has its own.
    pub reefer: Option<usize>,
}

/// Emissions of one terminal move (a load or a discharge) at a kind of terminal: per
/// container handled, or per tonne of loose cargo.
#[derive(Debug, Clone, PartialEq)]
pub struct HubFactor {
    pub kind: TerminalKind,
    pub wtw_kg_per_box: f64,
    pub ttw_kg_per_box: f64,
    pub wtw_kg_per_tonne: f64,
    pub ttw_kg_per_tonne: f64,
    pub quality: FactorQuality,
    pub source: String,
}

/// The class a service takes when its record names none, by mode (indexes into `factors`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DefaultClasses {
    pub sea: usize,
    pub rail: usize,
    pub road: usize,
    /// Trucking between the terminals of a city.
    pub drayage: usize,
    /// Air factors depend on the flight's length: short haul below `air_long_haul_km`.
    pub air_belly_short: usize,
    pub air_belly_long: usize,
    pub air_freighter_short: usize,
    pub air_freighter_long: usize,
    pub air_long_haul_km: f64,
}

/// The emission factors of the model (`network-data/emissions.toml`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EmissionModel {
    pub factors: Vec<EmissionFactor>,
    pub hubs: Vec<HubFactor>,
    pub defaults: DefaultClasses,
}

impl EmissionModel {
    pub fn factor(&self, index: usize) -> &EmissionFactor {
        &self.factors[index]
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.factors.iter().position(|f| f.id == id)
    }

    pub fn hub(&self, kind: TerminalKind) -> Option<&HubFactor> {
        self.hubs.iter().find(|h| h.kind == kind)
    }

    /// The class of a service of `mode` that names none (air: by its capacity and the
    /// flight's great-circle length).
    pub fn default_for(&self, mode: super::Mode, belly: bool, km: f64) -> usize {
        let d = self.defaults;
        let long = km >= d.air_long_haul_km;
        match mode {
            super::Mode::Sea => d.sea,
            super::Mode::Rail => d.rail,
            super::Mode::Road => d.road,
            super::Mode::Air => match (belly, long) {
                (true, false) => d.air_belly_short,
                (true, true) => d.air_belly_long,
                (false, false) => d.air_freighter_short,
                (false, true) => d.air_freighter_long,
            },
        }
    }

    /// Round illustrative figures for unit tests: one factor per mode, GLEC-like magnitudes.
    pub fn example() -> Self {
        let factor = |id: &str, activity, wtw_kg, ttw_kg, uplift| EmissionFactor {
            id: id.to_string(),
            activity,
            wtw_kg,
            ttw_kg,
            distance_uplift_km: uplift,
            quality: FactorQuality::SourcedDefault,
            source: "example".to_string(),
            reefer: None,
        };
        let mut factors = vec![
            factor("sea", Activity::TeuKm, 0.08, 0.07, 0.0),
            factor("rail", Activity::TonneKm, 0.02, 0.0, 0.0),
            factor("road", Activity::TonneKm, 0.09, 0.075, 0.0),
            factor("air-belly", Activity::TonneKm, 0.6, 0.5, 95.0),
            factor("air-freighter", Activity::TonneKm, 0.8, 0.66, 95.0),
            factor("sea-reefer", Activity::TeuKm, 0.14, 0.12, 0.0),
        ];
        factors[0].reefer = Some(5);
        let hub = |kind| HubFactor {
            kind,
            wtw_kg_per_box: 2.0,
            ttw_kg_per_box: 1.0,
            wtw_kg_per_tonne: 0.2,
            ttw_kg_per_tonne: 0.1,
            quality: FactorQuality::Estimate,
            source: "example".to_string(),
        };
        EmissionModel {
            factors,
            hubs: vec![hub(TerminalKind::Seaport), hub(TerminalKind::RailTerminal)],
            defaults: DefaultClasses {
                sea: 0,
                rail: 1,
                road: 2,
                drayage: 2,
                air_belly_short: 3,
                air_belly_long: 3,
                air_freighter_short: 4,
                air_freighter_long: 4,
                air_long_haul_km: 1500.0,
            },
        }
    }
}

/// Which scope a query optimises and labels by: well-to-wake (the default, what ISO 14083
/// reports) or tank-to-wake (what the EU ETS and a ship's fuel see).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Co2Basis {
    #[default]
    WellToWake,
    TankToWake,
}
