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

/// A container rate: a fixed part plus a distance part, per box.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BoxRate {
    pub base_usd: f64,
    pub usd_per_km: f64,
}

impl BoxRate {
    pub fn at(&self, km: f64) -> f64 {
        self.base_usd + self.usd_per_km * km
    }
}

/// Full container loads, priced per box as the trade quotes them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FclRates {
    pub per_20ft: BoxRate,
    pub per_40ft: BoxRate,
    /// Added to the 40' rate for a high-cube box.
    pub high_cube_usd: f64,
}

/// Consolidated loose cargo at sea or on rail, per revenue tonne (W/M).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LclRate {
    pub per_revenue_tonne: BoxRate,
    /// Charged for at least this many revenue tonnes.
    pub min_revenue_tonnes: f64,
}

/// Air cargo per chargeable kilogram, with a minimum charge per shipment.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AirRate {
    pub usd_per_kg: f64,
    pub min_usd: f64,
}

/// Trucking per truck, with a minimum per shipment.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TruckRate {
    pub base_usd_per_truck: f64,
    pub usd_per_truck_km: f64,
    pub min_usd: f64,
}

/// A courier's door-to-door parcel product, priced by weight band as couriers' tariffs are:
/// each band, up to its weight, is a base charge plus a rate per kilogram of chargeable
/// weight (rounded up to the half kilogram). The last band's weight is the most it takes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExpressRate {
    /// (up to kg, base USD, USD per kg), ascending by weight.
    pub bands: Vec<(f64, f64, f64)>,
    /// Volumetric divisor of the courier (6,000 cm3 per kg = 167 kg per m3).
    pub kg_per_m3: f64,
}

impl ExpressRate {
    pub fn max_kg(&self) -> f64 {
        self.bands.last().map_or(0.0, |b| b.0)
    }

    /// The charge for a parcel, `None` above the heaviest band.
    pub fn price(&self, chargeable_kg: f64) -> Option<f64> {
        let kg = (chargeable_kg * 2.0).ceil() / 2.0;
        self.bands
            .iter()
            .find(|(up_to, _, _)| kg <= *up_to)
            .map(|(_, base, per_kg)| base + per_kg * kg)
    }
}

/// What a service charges, as of a date. Which products it prices is what it carries: a
/// service without FCL rates takes no full containers (no air service has them), one without
/// LCL, air, truck or express rates takes no loose cargo.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tariff {
    /// The date the figures refer to (an index week, a tariff's validity).
    pub as_of: Option<jiff::civil::Date>,
    pub fcl: Option<FclRates>,
    pub lcl: Option<LclRate>,
    pub air: Option<AirRate>,
    pub truck: Option<TruckRate>,
    pub express: Option<ExpressRate>,
    /// Reefer surcharge per box, charged once per through movement.
    pub reefer_usd_per_20ft: f64,
    pub reefer_usd_per_40ft: f64,
    /// Dangerous-goods surcharge per container, or per shipment of loose cargo.
    pub dangerous_goods_usd_per_box: f64,
    pub dangerous_goods_usd_per_shipment: f64,
    /// Bill of lading, consignment note or air waybill: per shipment and leg.
    pub documentation_usd: f64,
    pub ice_class_usd_per_teu: f64,
    pub icebreaker_usd_per_teu: f64,
}

impl Tariff {
    /// Multiplies every charge (a scenario's `rate_factor`).
    pub fn scale(&mut self, f: f64) {
        let scale_box = |r: &mut BoxRate| {
            r.base_usd *= f;
            r.usd_per_km *= f;
        };
        if let Some(r) = &mut self.fcl {
            scale_box(&mut r.per_20ft);
            scale_box(&mut r.per_40ft);
            r.high_cube_usd *= f;
        }
        if let Some(r) = &mut self.lcl {
            scale_box(&mut r.per_revenue_tonne);
        }
        if let Some(r) = &mut self.air {
            r.usd_per_kg *= f;
            r.min_usd *= f;
        }
        if let Some(r) = &mut self.truck {
            r.base_usd_per_truck *= f;
            r.usd_per_truck_km *= f;
            r.min_usd *= f;
        }
        if let Some(r) = &mut self.express {
            for band in &mut r.bands {
                band.1 *= f;
                band.2 *= f;
            }
        }
        for v in [
            &mut self.reefer_usd_per_20ft,
            &mut self.reefer_usd_per_40ft,
            &mut self.dangerous_goods_usd_per_box,
            &mut self.dangerous_goods_usd_per_shipment,
            &mut self.documentation_usd,
            &mut self.ice_class_usd_per_teu,
            &mut self.icebreaker_usd_per_teu,
        ] {
            *v *= f;
        }
    }
}

/// What one departure can take; `None` is no limit of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Capacity {
    /// Container slots (a 40' takes two); also the slots consolidated loose cargo fills.
    pub teu: Option<f64>,
    /// Loose cargo by weight and volume (air holds).
    pub kg: Option<f64>,
    pub m3: Option<f64>,
}

impl Capacity {
    pub fn unlimited() -> Self {
        Capacity::default()
    }
}

/// Which dangerous-goods classes a service accepts (bit n = class n, 1..=9), and whether it
/// takes packages labelled "Cargo Aircraft Only" (freighters alone do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DangerousGoodsAcceptance {
    classes: u16,
    pub cargo_aircraft_only: bool,
}

impl DangerousGoodsAcceptance {
    pub const ALL_CLASSES: u16 = 0b11_1111_1110;

    pub fn none() -> Self {
        Self::default()
    }

    pub fn classes(classes: &[u8], cargo_aircraft_only: bool) -> Self {
        DangerousGoodsAcceptance {
            classes: classes
                .iter()
                .filter(|c| (1..=9).contains(*c))
                .fold(0, |m, c| m | 1 << c),
            cargo_aircraft_only,
        }
    }

    pub fn all() -> Self {
        DangerousGoodsAcceptance {
            classes: Self::ALL_CLASSES,
            cargo_aircraft_only: true,
        }
    }

    pub fn any(&self) -> bool {
        self.classes != 0
    }

    /// The accepted classes, ascending.
    pub fn class_list(&self) -> Vec<u8> {
        (1..=9).filter(|c| self.classes & (1 << c) != 0).collect()
    }

    /// Whether these goods may travel: an undeclared class needs every class accepted.
    pub fn accepts(&self, dg: &super::DangerousGoods) -> bool {
        let class_ok = match dg.class {
            Some(c) => (1..=9).contains(&c) && self.classes & (1 << c) != 0,
            None => self.classes == Self::ALL_CLASSES,
        };
        class_ok && (!dg.cargo_aircraft_only || self.cargo_aircraft_only)
    }
}

/// Whose aircraft carries air cargo: passenger-belly capacity takes only some dangerous
/// goods, never "Cargo Aircraft Only" packages.
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
    /// Reefer boxes (plugs on board) or temperature-controlled loose cargo.
    pub reefer: bool,
    pub dangerous_goods: DangerousGoodsAcceptance,
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
    /// What one departure can take: a larger shipment waits for the next ones.
    pub capacity: Capacity,
    pub tariff: Tariff,
    /// Services of one through movement (the segments of one block train) share this name:
    /// charges levied once per movement (reefer, dangerous goods, the consignment note) are
    /// not levied again on its continuations.
    pub through: Option<String>,
    pub border: Option<BorderCrossing>,
    pub flags: ServiceFlags,
    /// True for the generated truck transfers between the terminals of one city.
    pub drayage: bool,
    /// The derived path, from the origin terminal to the destination terminal (shared: a
    /// query that prices the service on another path clones the service, not its points).
    pub path: std::sync::Arc<[LatLon]>,
    /// Length of `path` (road: times the circuity factor).
    pub distance_km: f64,
    /// Named sea passages on the path (`suez`, `bering`, ...), in path order.
    pub passages: Vec<String>,
    /// Normally closed passages this sea service is allowed through (the Arctic lanes).
    pub sea_via: Vec<String>,
    /// Passages this sea service's ships cannot use (too large for the Panama locks, say).
    pub sea_closed: Vec<String>,
    /// Passages the usual path goes round because carriers are avoiding them (an advisory);
    /// a query may ask for them back, and then sails `path_through_advised`, derived once at
    /// load.
    pub advised_around: Vec<String>,
    pub path_through_advised: Option<std::sync::Arc<Repath>>,
    /// Part of `distance_km` north of [`ARCTIC_LATITUDE`] (ice navigation).
    pub ice_km: f64,
    /// The emission factor of its vehicle class (index into the model's `EmissionModel`).
    pub emission_factor: usize,
    /// Part of `distance_km` inside emission control areas (MARPOL Annex VI, China's DECA),
    /// and the part of that where the fuel must have 0.1 % sulphur.
    pub eca_km: f64,
    pub low_sulphur_km: f64,
}

/// A sea path other than a service's usual one: round passages a query avoids, or through
/// passages carriers are avoiding, when a query asks for them.
#[derive(Debug, Clone, PartialEq)]
pub struct Repath {
    pub path: std::sync::Arc<[LatLon]>,
    pub distance_km: f64,
    pub passages: Vec<String>,
    /// Part of `distance_km` north of [`ARCTIC_LATITUDE`] (ice navigation).
    pub ice_km: f64,
    /// Part of `distance_km` inside emission control areas, and in the 0.1 % sulphur ones
    /// (set by `measured`).
    pub eca_km: f64,
    pub low_sulphur_km: f64,
}

impl Repath {
    pub fn new(path: crate::geo::LanePath) -> Self {
        let ice_km = path
            .points
            .windows(2)
            .filter(|w| w[0].lat >= ARCTIC_LATITUDE && w[1].lat >= ARCTIC_LATITUDE)
            .map(|w| crate::geo::haversine_km(w[0], w[1]))
            .sum::<f64>()
            .min(path.length_km);
        Repath {
            path: path.points.into(),
            distance_km: path.length_km,
            passages: path.passages,
            ice_km,
            eca_km: 0.0,
            low_sulphur_km: 0.0,
        }
    }

    /// The same path, with its kilometres inside the emission control areas measured.
    pub fn measured(mut self, areas: &[crate::geo::SeaArea]) -> Self {
        let (all, low) = crate::geo::length_inside_any(areas, &self.path);
        self.eca_km = all.min(self.distance_km);
        self.low_sulphur_km = low.min(self.eca_km);
        self
    }

    /// The same path travelled the other way.
    pub fn reversed(&self) -> Self {
        Repath {
            path: self.path.iter().rev().copied().collect(),
            passages: self.passages.iter().rev().cloned().collect(),
            ..self.clone()
        }
    }
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
        self.follow(&Repath::new(path));
    }

    /// Moves the service onto another path (a query's re-pathing).
    pub fn follow(&mut self, path: &Repath) {
        self.path = std::sync::Arc::clone(&path.path);
        self.distance_km = path.distance_km;
        self.passages.clone_from(&path.passages);
        self.ice_km = path.ice_km;
        self.eca_km = path.eca_km;
        self.low_sulphur_km = path.low_sulphur_km;
    }

    /// Hours in motion: open water at the service speed, ice at the ice speed.
    pub fn in_motion_hours(&self) -> f64 {
        match self.ice_speed_kmh {
            Some(ice) => (self.distance_km - self.ice_km) / self.speed_kmh + self.ice_km / ice,
            None => self.distance_km / self.speed_kmh,
        }
    }
}
