//! What a customer ships, and the one place where it is converted into the quantities the
//! cost and CO2 model charges for: boxes by size, TEU slots, revenue tonnes (W/M), chargeable
//! kilograms, trucks.

use super::ModelParams;

/// The container types a shipper books, by their ISO 6346 size-type group. Each has its own
/// freight rate and terminal handling charge: a 40' is not two 20's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContainerType {
    /// 22G1: 20' general purpose.
    Dry20,
    /// 42G1: 40' general purpose.
    Dry40,
    /// 45G1: 40' high cube.
    HighCube40,
    /// 22R1: 20' reefer.
    Reefer20,
    /// 45R1: 40' high-cube reefer.
    Reefer40,
}

impl ContainerType {
    pub const ALL: [ContainerType; 5] = [
        ContainerType::Dry20,
        ContainerType::Dry40,
        ContainerType::HighCube40,
        ContainerType::Reefer20,
        ContainerType::Reefer40,
    ];

    pub fn iso_code(self) -> &'static str {
        match self {
            ContainerType::Dry20 => "22G1",
            ContainerType::Dry40 => "42G1",
            ContainerType::HighCube40 => "45G1",
            ContainerType::Reefer20 => "22R1",
            ContainerType::Reefer40 => "45R1",
        }
    }

    /// Forty-foot boxes take two TEU slots and pay the 40' rate and handling charge.
    pub fn is_forty(self) -> bool {
        !matches!(self, ContainerType::Dry20 | ContainerType::Reefer20)
    }

    pub fn is_reefer(self) -> bool {
        matches!(self, ContainerType::Reefer20 | ContainerType::Reefer40)
    }

    /// High-cube boxes pay the high-cube premium on top of the 40' rate.
    pub fn is_high_cube(self) -> bool {
        matches!(self, ContainerType::HighCube40 | ContainerType::Reefer40)
    }

    pub fn teu(self) -> f64 {
        if self.is_forty() {
            2.0
        } else {
            1.0
        }
    }
}

/// How many boxes of each type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ContainerCounts([u32; 5]);

impl ContainerCounts {
    pub fn new() -> Self {
        ContainerCounts::default()
    }

    pub fn with(mut self, kind: ContainerType, count: u32) -> Self {
        self.add(kind, count);
        self
    }

    pub fn add(&mut self, kind: ContainerType, count: u32) {
        let slot = &mut self.0[kind as usize];
        *slot = slot.saturating_add(count);
    }

    pub fn count(&self, kind: ContainerType) -> u32 {
        self.0[kind as usize]
    }

    /// (type, count) for the types present.
    pub fn iter(&self) -> impl Iterator<Item = (ContainerType, u32)> + '_ {
        ContainerType::ALL
            .into_iter()
            .map(|k| (k, self.count(k)))
            .filter(|&(_, n)| n > 0)
    }

    pub fn boxes(&self) -> u32 {
        self.0.iter().sum()
    }

    pub fn twenties(&self) -> u32 {
        self.iter()
            .filter(|(k, _)| !k.is_forty())
            .map(|(_, n)| n)
            .sum()
    }

    pub fn forties(&self) -> u32 {
        self.iter()
            .filter(|(k, _)| k.is_forty())
            .map(|(_, n)| n)
            .sum()
    }

    pub fn teu(&self) -> f64 {
        self.iter().map(|(k, n)| k.teu() * f64::from(n)).sum()
    }

    pub fn has_reefer(&self) -> bool {
        self.iter().any(|(k, _)| k.is_reefer())
    }
}

/// The cargo as the customer describes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CargoSpec {
    /// Full container loads (FCL): never by air.
    Containers(ContainerCounts),
    /// Loose cargo: consolidated (LCL) at sea and on rail, by chargeable weight in the air, by
    /// courier when it is a parcel.
    Loose {
        weight_kg: f64,
        volume_m3: f64,
        /// Perishables: only services that keep cargo cold.
        temperature_controlled: bool,
    },
}

/// Dangerous goods as declared: the UN hazard class (1–9) and whether the packages bear the
/// "Cargo Aircraft Only" label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DangerousGoods {
    /// `None` when the shipper did not say: only services that take every class carry it.
    pub class: Option<u8>,
    pub cargo_aircraft_only: bool,
}

/// A validated shipment: positive quantities, within sane bounds (the API layer checks).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shipment {
    pub cargo: CargoSpec,
    pub dangerous_goods: Option<DangerousGoods>,
    /// The whole shipment must leave on one departure of each service it uses.
    pub keep_together: bool,
}

impl Shipment {
    /// Dry or reefer boxes of 20' and 40' (the 40' dry ones general purpose, the reefer ones
    /// high cube, as reefers are).
    pub fn containers(count_20ft: u32, count_40ft: u32, reefer: bool) -> Self {
        let (twenty, forty) = if reefer {
            (ContainerType::Reefer20, ContainerType::Reefer40)
        } else {
            (ContainerType::Dry20, ContainerType::Dry40)
        };
        Shipment::boxes(
            ContainerCounts::new()
                .with(twenty, count_20ft)
                .with(forty, count_40ft),
        )
    }

    pub fn boxes(counts: ContainerCounts) -> Self {
        Shipment {
            cargo: CargoSpec::Containers(counts),
            dangerous_goods: None,
            keep_together: false,
        }
    }

    pub fn loose(weight_kg: f64, volume_m3: f64) -> Self {
        Shipment {
            cargo: CargoSpec::Loose {
                weight_kg,
                volume_m3,
                temperature_controlled: false,
            },
            dangerous_goods: None,
            keep_together: false,
        }
    }

    pub fn is_containers(&self) -> bool {
        matches!(self.cargo, CargoSpec::Containers(_))
    }

    /// Reefer boxes or temperature-controlled loose cargo.
    pub fn is_reefer(&self) -> bool {
        match self.cargo {
            CargoSpec::Containers(c) => c.has_reefer(),
            CargoSpec::Loose {
                temperature_controlled,
                ..
            } => temperature_controlled,
        }
    }

    /// Twenty-foot equivalent slots taken on sea, rail and road: the boxes' TEU, or for loose
    /// cargo the share of a TEU it fills by volume or by weight, whichever is larger.
    pub fn teu(&self, params: &ModelParams) -> f64 {
        match self.cargo {
            CargoSpec::Containers(c) => c.teu(),
            CargoSpec::Loose {
                weight_kg,
                volume_m3,
                ..
            } => (volume_m3 / params.m3_per_teu).max(weight_kg / 1000.0 / params.tonnes_per_teu),
        }
    }

    /// Cargo mass in tonnes, for tonne-km emission factors: containers count the model's
    /// average payload per TEU.
    pub fn tonnes(&self, params: &ModelParams) -> f64 {
        match self.cargo {
            CargoSpec::Containers(c) => c.teu() * params.tonnes_per_teu,
            CargoSpec::Loose { weight_kg, .. } => weight_kg / 1000.0,
        }
    }

    /// Cargo volume in cubic metres (containers: their usable volume).
    pub fn volume_m3(&self, params: &ModelParams) -> f64 {
        match self.cargo {
            CargoSpec::Containers(c) => c.teu() * params.m3_per_teu,
            CargoSpec::Loose { volume_m3, .. } => volume_m3,
        }
    }

    /// Sea and rail consolidation (LCL) charge by the revenue tonne, "W/M": one tonne or one
    /// cubic metre, whichever gives more.
    pub fn revenue_tonnes(&self, params: &ModelParams) -> f64 {
        self.tonnes(params).max(self.volume_m3(params))
    }

    /// Chargeable weight: the larger of actual and volumetric weight at `kg_per_m3` (IATA air
    /// cargo 167, couriers 200).
    pub fn chargeable_kg_at(&self, params: &ModelParams, kg_per_m3: f64) -> f64 {
        (self.tonnes(params) * 1000.0).max(self.volume_m3(params) * kg_per_m3)
    }

    /// Air cargo chargeable weight (IATA: m3 x 167 kg).
    pub fn chargeable_kg(&self, params: &ModelParams) -> f64 {
        self.chargeable_kg_at(params, params.air_kg_per_m3)
    }

    /// Trucks needed: containers fill `teu_per_truck` slots, loose cargo is limited by weight
    /// or by the volume of the truck's containers.
    pub fn trucks(&self, params: &ModelParams) -> f64 {
        let by_slots = self.teu(params) / params.teu_per_truck;
        let needed = match self.cargo {
            CargoSpec::Containers(_) => by_slots,
            CargoSpec::Loose { .. } => by_slots.max(self.tonnes(params) / params.tonnes_per_truck),
        };
        needed.ceil().max(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forty_foot_takes_two_slots_but_is_one_box() {
        let p = ModelParams::example();
        let s = Shipment::containers(1, 2, false);
        assert_eq!(s.teu(&p), 5.0);
        assert_eq!(s.trucks(&p), 3.0);
        let CargoSpec::Containers(c) = s.cargo else {
            panic!()
        };
        assert_eq!((c.twenties(), c.forties(), c.boxes()), (1, 2, 3));
    }

    #[test]
    fn light_bulky_air_cargo_is_charged_by_volume() {
        let p = ModelParams::example();
        let s = Shipment::loose(100.0, 2.0);
        assert_eq!(s.chargeable_kg(&p), 2.0 * p.air_kg_per_m3);
        let dense = Shipment::loose(1000.0, 1.0);
        assert_eq!(dense.chargeable_kg(&p), 1000.0);
    }

    #[test]
    fn revenue_tonnes_take_weight_or_measure_whichever_is_greater() {
        let p = ModelParams::example();
        assert_eq!(Shipment::loose(300.0, 2.0).revenue_tonnes(&p), 2.0);
        assert_eq!(Shipment::loose(3000.0, 2.0).revenue_tonnes(&p), 3.0);
    }

    #[test]
    fn loose_cargo_fills_a_share_of_a_teu() {
        let p = ModelParams::example();
        let s = Shipment::loose(2000.0, p.m3_per_teu / 4.0);
        assert!((s.teu(&p) - 0.25).abs() < 1e-9);
        assert_eq!(s.trucks(&p), 1.0);
    }
}
