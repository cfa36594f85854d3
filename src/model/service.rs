//! Services: what actually runs between two terminals (a liner service, a flight, a block
//! train, a truck line), with its schedule, rates and derived geometry.

use super::{LatLon, Mode, Schedule, TerminalId, Validity};

/// Index of a service in its `Network`; only valid for that network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceId(pub u32);

impl ServiceId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A day of the week, Monday first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    pub fn as_str(self) -> &'static str {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][self as usize]
    }

    pub fn parse(s: &str) -> Option<Weekday> {
        Weekday::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// The weekday of a calendar date.
    pub fn of(date: jiff::civil::Date) -> Weekday {
        Weekday::ALL[date.weekday().to_monday_zero_offset() as usize]
    }
}

/// How a service charges, by mode. Every figure is per the unit in its name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rate {
    /// Sea and rail: a fixed part plus a distance part, per TEU.
    PerTeu {
        base_usd_per_teu: f64,
        usd_per_teu_km: f64,
    },
    /// Road: per truck, with a minimum per shipment.
    PerTruck {
        base_usd_per_truck: f64,
        usd_per_truck_km: f64,
        min_usd: f64,
    },
    /// Air: per chargeable kilogram, with a minimum per shipment.
    PerChargeableKg { usd_per_kg: f64, min_usd: f64 },
}

/// Whose aircraft carries air cargo: dangerous goods stay off passenger-belly capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AirCapacity {
    Freighter,
    Belly,
}

/// A land border the service crosses, with its customs and transshipment burden.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BorderCrossing {
    pub customs_hours: f64,
    pub customs_usd_per_teu: f64,
    /// Containers move between 1435 mm and 1520 mm wagons here.
    pub gauge_change: bool,
}

/// What a service accepts and how certain it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceFlags {
    pub reefer: bool,
    pub dangerous_goods: bool,
    /// `Some(reason)` for pilot, hypothetical or sanction-bound lines.
    pub exploratory: Option<String>,
    /// Air only.
    pub air_capacity: Option<AirCapacity>,
}

/// One service in one direction, with its geometry already derived from the infrastructure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Service {
    /// Stable public id (`SEA-DLC-PUS`, reverse `SEA-DLC-PUS-R`, `drayage:A>B`).
    pub code: String,
    pub name: String,
    /// The carrier or operator, where known (informative).
    pub operator: Option<String>,
    pub mode: Mode,
    pub from: TerminalId,
    pub to: TerminalId,
    pub schedule: Schedule,
    /// The calendar the departures must fall in (season, pilot dates).
    pub validity: Validity,
    pub speed_kmh: f64,
    /// Sea: speed where the path runs in Arctic ice (north of [`ARCTIC_LATITUDE`]).
    pub ice_speed_kmh: Option<f64>,
    /// TEU per departure (sea, rail, road) or kilograms (air); informative for now.
    pub capacity: f64,
    pub rate: Rate,
    pub reefer_usd_per_teu: f64,
    pub ice_class_usd_per_teu: f64,
    pub icebreaker_usd_per_teu: f64,
    pub border: Option<BorderCrossing>,
    pub flags: ServiceFlags,
    /// True for the generated truck transfers between the terminals of one city.
    pub drayage: bool,
    /// The derived path, from the origin terminal to the destination terminal.
    pub path: Vec<LatLon>,
    /// Length of `path` (road: times the circuity factor).
    pub distance_km: f64,
    /// Named sea passages on the path (`suez`, `bering`, ...), in path order.
    pub passages: Vec<String>,
    /// Normally closed passages this sea service is allowed through (the Arctic lanes).
    pub sea_via: Vec<String>,
    /// Passages this sea service's ships cannot use (too large for the Panama locks, say).
    pub sea_closed: Vec<String>,
    /// Part of `distance_km` north of [`ARCTIC_LATITUDE`] (ice navigation).
    pub ice_km: f64,
}

/// Passages closed to a sea service unless it names them in `sea_via`: the Arctic lanes.
pub const ARCTIC_PASSAGES: [&str; 2] = ["northwest", "bering"];

/// North of this latitude a sea path counts as Arctic ice navigation (Bering Strait at 65.8 N
/// is the gate of the Northern Sea Route).
pub const ARCTIC_LATITUDE: f64 = 66.0;

impl Service {
    pub fn is_exploratory(&self) -> bool {
        self.flags.exploratory.is_some()
    }

    /// Whether a sea path may use `passage`: the Arctic lanes only if named in `sea_via`,
    /// never one in `sea_closed`.
    pub fn may_pass(&self, passage: &str) -> bool {
        (!ARCTIC_PASSAGES.contains(&passage) || self.sea_via.iter().any(|v| v == passage))
            && !self.sea_closed.iter().any(|v| v == passage)
    }

    /// Sets the derived geometry and what follows from it (length, passages, ice distance).
    pub fn set_path(&mut self, path: crate::geo::LanePath) {
        self.ice_km = path
            .points
            .windows(2)
            .filter(|w| w[0].lat >= ARCTIC_LATITUDE && w[1].lat >= ARCTIC_LATITUDE)
            .map(|w| crate::geo::haversine_km(w[0], w[1]))
            .sum::<f64>()
            .min(path.length_km);
        self.path = path.points;
        self.distance_km = path.length_km;
        self.passages = path.passages;
    }

    /// Hours in motion: open water at the service speed, ice at the ice speed.
    pub fn in_motion_hours(&self) -> f64 {
        match self.ice_speed_kmh {
            Some(ice) => (self.distance_km - self.ice_km) / self.speed_kmh + self.ice_km / ice,
            None => self.distance_km / self.speed_kmh,
        }
    }
}

impl Default for Rate {
    fn default() -> Self {
        Rate::PerTeu {
            base_usd_per_teu: 0.0,
            usd_per_teu_km: 0.0,
        }
    }
}
