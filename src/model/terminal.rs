//! Terminals: the places where cargo is loaded, discharged or transferred.

use super::LatLon;

/// Index of a terminal in its `Network`; only valid for that network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TerminalId(pub u32);

impl TerminalId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a terminal handles; it decides which infrastructure layer a terminal snaps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TerminalKind {
    Seaport,
    Airport,
    RailTerminal,
    RoadTerminal,
}

impl TerminalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TerminalKind::Seaport => "seaport",
            TerminalKind::Airport => "airport",
            TerminalKind::RailTerminal => "rail_terminal",
            TerminalKind::RoadTerminal => "road_terminal",
        }
    }
}

/// What one move (a load or a discharge) at the terminal costs and takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Handling {
    /// Terminal handling charge per full container, by size.
    pub usd_per_20ft: f64,
    pub usd_per_40ft: f64,
    /// Loose cargo: the CFS (container freight station) or warehouse charge per revenue tonne
    /// at ports and rail terminals, per chargeable tonne at airports; at least `loose_min_usd`.
    pub loose_usd_per_tonne: f64,
    pub loose_min_usd: f64,
    /// Discharge and dwell before the cargo can move on.
    pub hours: f64,
}

/// A seaport, airport, rail or road terminal. Several terminals may share one city (LOCODE).
#[derive(Debug, Clone, PartialEq)]
pub struct Terminal {
    /// Stable public id, `<LOCODE>-<TAG>`.
    pub code: String,
    pub name: String,
    pub city: String,
    pub kind: TerminalKind,
    pub locode: String,
    /// Other official UN/LOCODEs that name this terminal or its city (China's list gives
    /// airports, ports and cities their own entries; carriers quote the older city codes).
    pub aliases: Vec<String>,
    pub iata: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub position: LatLon,
    /// IANA time zone name.
    /// IANA zone: schedules are in local time, answers show local times.
    pub timezone: jiff::tz::TimeZone,
    pub handling: Handling,
}
