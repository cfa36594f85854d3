//! The domain model: terminals, services, shipments and the network that holds them.
//!
//! These are plain data types. They know nothing of files (see `data`), of gRPC (see `api`) or
//! of graph searches (see `engine`); every other layer speaks in these terms.

mod calendar;
mod demand;
mod emissions;
mod network;
mod service;
mod shipment;
mod terminal;
mod timetable;

#[cfg(test)]
pub(crate) mod fixture;

pub use calendar::{ComplianceRule, ServiceCalendar, TransitBan};
pub use demand::OdDemand;
pub use emissions::{
    Activity, Co2Basis, DefaultClasses, EmissionFactor, EmissionModel, FactorQuality, HubFactor,
};
pub use network::{EtsPort, EuEts, ModelParams, Network, NetworkIndexError, PassageAdvisory};
pub use service::{
    AirCapacity, AirRate, BorderCrossing, BoxRate, Capacity, DangerousGoodsAcceptance, ExpressRate,
    FclRates, LclRate, Repath, Service, ServiceFlags, ServiceId, Tariff, TruckRate, Weekday,
    ARCTIC_LATITUDE, ARCTIC_PASSAGES,
};
pub use shipment::{CargoSpec, ContainerCounts, ContainerType, DangerousGoods, Shipment};
pub use terminal::{Handling, Terminal, TerminalId, TerminalKind};
pub use timetable::{
    format_local, Instant, NextDeparture, Schedule, Season, Validity, MAX_WAIT_DAYS,
    SECONDS_PER_HOUR,
};

/// A WGS84 position in degrees. Longitude is kept in [-180, 180).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    pub fn new(lat: f64, lon: f64) -> Self {
        Self { lat, lon }
    }
}

/// How a service moves cargo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Mode {
    #[default]
    Sea,
    Air,
    Rail,
    Road,
}

impl Mode {
    pub const ALL: [Mode; 4] = [Mode::Sea, Mode::Air, Mode::Rail, Mode::Road];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Sea => "sea",
            Mode::Air => "air",
            Mode::Rail => "rail",
            Mode::Road => "road",
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| format!("unknown mode '{s}' (expected sea, air, rail or road)"))
    }
}

/// Kilometres in one nautical mile.
pub const KM_PER_NM: f64 = 1.852;
