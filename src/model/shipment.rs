//! What a customer ships, and the one place where it is converted into the quantities the
//! cost and CO2 model charges for (TEU, tonnes, trucks, chargeable kilograms).

use super::ModelParams;

/// The cargo as the customer describes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CargoSpec {
    /// Full containers.
    Containers {
        count_20ft: u32,
        count_40ft: u32,
        reefer: bool,
    },
    /// Loose cargo: consolidated (LCL) at sea and on rail, by chargeable weight in the air.
    Loose { weight_kg: f64, volume_m3: f64 },
}

/// A validated shipment: positive quantities, within sane bounds (the API layer checks).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shipment {
    pub cargo: CargoSpec,
    pub dangerous_goods: bool,
}

impl Shipment {
    pub fn containers(count_20ft: u32, count_40ft: u32, reefer: bool) -> Self {
        Shipment {
            cargo: CargoSpec::Containers {
                count_20ft,
                count_40ft,
                reefer,
            },
            dangerous_goods: false,
        }
    }

    pub fn loose(weight_kg: f64, volume_m3: f64) -> Self {
        Shipment {
            cargo: CargoSpec::Loose {
                weight_kg,
                volume_m3,
            },
            dangerous_goods: false,
        }
    }

    pub fn is_reefer(&self) -> bool {
        matches!(self.cargo, CargoSpec::Containers { reefer: true, .. })
    }

    /// Twenty-foot equivalent units charged on sea and rail: the container count, or for
    /// loose cargo the share of a TEU it fills by volume or by weight, whichever is larger
    /// (the freight "revenue ton" rule applied to a whole container).
    pub fn teu(&self, params: &ModelParams) -> f64 {
        match self.cargo {
            CargoSpec::Containers {
                count_20ft,
                count_40ft,
                ..
            } => f64::from(count_20ft) + 2.0 * f64::from(count_40ft),
            CargoSpec::Loose {
                weight_kg,
                volume_m3,
            } => (volume_m3 / params.m3_per_teu).max(weight_kg / 1000.0 / params.tonnes_per_teu),
        }
    }

    /// Cargo mass in tonnes, for tonne-km emission factors: containers count the model's
    /// average payload per TEU.
    pub fn tonnes(&self, params: &ModelParams) -> f64 {
        match self.cargo {
            CargoSpec::Containers { .. } => self.teu(params) * params.tonnes_per_teu,
            CargoSpec::Loose { weight_kg, .. } => weight_kg / 1000.0,
        }
    }

    /// Cargo volume in cubic metres (containers: their usable volume).
    pub fn volume_m3(&self, params: &ModelParams) -> f64 {
        match self.cargo {
            CargoSpec::Containers { .. } => self.teu(params) * params.m3_per_teu,
            CargoSpec::Loose { volume_m3, .. } => volume_m3,
        }
    }

    /// Air chargeable weight: the larger of actual and volumetric weight (IATA: m3 x 167 kg).
    pub fn chargeable_kg(&self, params: &ModelParams) -> f64 {
        (self.tonnes(params) * 1000.0).max(self.volume_m3(params) * params.air_kg_per_m3)
    }

    /// Trucks needed: containers fill `teu_per_truck` slots, loose cargo is limited by weight
    /// or by the volume of the truck's containers.
    pub fn trucks(&self, params: &ModelParams) -> f64 {
        let by_slots = self.teu(params) / params.teu_per_truck;
        let needed = match self.cargo {
            CargoSpec::Containers { .. } => by_slots,
            CargoSpec::Loose { .. } => by_slots.max(self.tonnes(params) / params.tonnes_per_truck),
        };
        needed.ceil().max(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forty_foot_counts_as_two_teu() {
        let p = ModelParams::example();
        assert_eq!(Shipment::containers(1, 2, false).teu(&p), 5.0);
        assert_eq!(Shipment::containers(1, 2, false).trucks(&p), 3.0);
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
    fn loose_cargo_fills_a_share_of_a_teu() {
        let p = ModelParams::example();
        let s = Shipment::loose(2000.0, p.m3_per_teu / 4.0);
        assert!((s.teu(&p) - 0.25).abs() < 1e-9);
        assert_eq!(s.trucks(&p), 1.0);
    }
}
