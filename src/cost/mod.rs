//! The cost, time and CO2 model of one leg: what moving a shipment on a service costs, how
//! long it takes once it has departed (in motion, border formalities, discharge dwell) and
//! what it emits. The wait for a departure depends on the timetable and is the search's part.
//!
//! Pure arithmetic on the model; the unit conversions of a shipment live in
//! `model::Shipment` so that they exist in one place only.

use crate::model::{AirCapacity, Mode, ModelParams, Network, Rate, Service, Shipment};

/// Charges of a leg or route by kind, in USD.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CostBreakdown {
    pub freight_usd: f64,
    pub handling_usd: f64,
    pub border_usd: f64,
    pub surcharges_usd: f64,
}

impl CostBreakdown {
    pub fn total_usd(&self) -> f64 {
        self.freight_usd + self.handling_usd + self.border_usd + self.surcharges_usd
    }
}

impl std::ops::Add for CostBreakdown {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        CostBreakdown {
            freight_usd: self.freight_usd + o.freight_usd,
            handling_usd: self.handling_usd + o.handling_usd,
            border_usd: self.border_usd + o.border_usd,
            surcharges_usd: self.surcharges_usd + o.surcharges_usd,
        }
    }
}

/// Where the hours of a leg or route go.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TimeBreakdown {
    pub in_motion_hours: f64,
    /// From the cargo being ready at the terminal to the departure (cut-off included).
    pub waiting_hours: f64,
    pub handling_hours: f64,
    pub border_hours: f64,
}

impl TimeBreakdown {
    pub fn total_hours(&self) -> f64 {
        self.in_motion_hours + self.waiting_hours + self.handling_hours + self.border_hours
    }
}

impl std::ops::Add for TimeBreakdown {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        TimeBreakdown {
            in_motion_hours: self.in_motion_hours + o.in_motion_hours,
            waiting_hours: self.waiting_hours + o.waiting_hours,
            handling_hours: self.handling_hours + o.handling_hours,
            border_hours: self.border_hours + o.border_hours,
        }
    }
}

/// Everything a leg costs the shipper.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LegCost {
    pub cost: CostBreakdown,
    pub time: TimeBreakdown,
    pub co2_kg: f64,
}

impl std::ops::Add for LegCost {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        LegCost {
            cost: self.cost + o.cost,
            time: self.time + o.time,
            co2_kg: self.co2_kg + o.co2_kg,
        }
    }
}

/// The prices of time and carbon used by the generalized cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeneralizedWeights {
    pub value_of_time_usd_per_teu_hour: f64,
    pub carbon_price_usd_per_tonne: f64,
}

impl GeneralizedWeights {
    pub fn defaults(params: &ModelParams) -> Self {
        GeneralizedWeights {
            value_of_time_usd_per_teu_hour: params.value_of_time_usd_per_teu_hour,
            carbon_price_usd_per_tonne: params.carbon_price_usd_per_tonne,
        }
    }

    /// cost + value of time x TEU x hours + carbon price x tonnes CO2e.
    pub fn generalized_usd(&self, cost_usd: f64, hours: f64, co2_kg: f64, teu: f64) -> f64 {
        cost_usd
            + self.value_of_time_usd_per_teu_hour * teu * hours
            + self.carbon_price_usd_per_tonne * co2_kg / 1000.0
    }
}

/// Evaluates moving `shipment` on `service` from its origin to its destination terminal.
pub fn leg_cost(network: &Network, service: &Service, shipment: &Shipment) -> LegCost {
    let params = network.params();
    let teu = shipment.teu(params);
    let tonnes = shipment.tonnes(params);
    let km = service.distance_km;

    let freight_usd = match service.rate {
        Rate::PerTeu {
            base_usd_per_teu,
            usd_per_teu_km,
        } => teu * (base_usd_per_teu + usd_per_teu_km * km),
        Rate::PerTruck {
            base_usd_per_truck,
            usd_per_truck_km,
            min_usd,
        } => (shipment.trucks(params) * (base_usd_per_truck + usd_per_truck_km * km)).max(min_usd),
        Rate::PerChargeableKg {
            usd_per_kg,
            min_usd,
        } => (shipment.chargeable_kg(params) * usd_per_kg).max(min_usd),
    };
    let mut surcharges_usd = teu * (service.ice_class_usd_per_teu + service.icebreaker_usd_per_teu);
    if shipment.is_reefer() {
        surcharges_usd += teu * service.reefer_usd_per_teu;
    }

    // Drayage runs between terminals of one city: the terminal charges are already paid by
    // the legs it connects, so a transfer by truck adds only the truck. Loading happens
    // inside the cut-off before departure; the discharge at the far end takes that
    // terminal's dwell before the cargo can move on.
    let (handling_usd, handling_hours) = if service.drayage {
        (0.0, 0.0)
    } else {
        let ends = [
            network.terminal(service.from).handling,
            network.terminal(service.to).handling,
        ];
        let per_move = |h: &crate::model::Handling| match shipment.cargo {
            crate::model::CargoSpec::Containers { .. } if service.mode != Mode::Air => {
                h.usd_per_teu * teu
            }
            _ => h.usd_per_tonne * tonnes,
        };
        (ends.iter().map(per_move).sum(), ends[1].hours)
    };

    let (border_usd, border_hours) = service.border.map_or((0.0, 0.0), |b| {
        (b.customs_usd_per_teu * teu, b.customs_hours)
    });

    let co2_kg = match service.mode {
        Mode::Sea if shipment.is_reefer() => teu * km * params.sea_reefer_kg_co2_per_teu_km,
        Mode::Sea => teu * km * params.sea_kg_co2_per_teu_km,
        Mode::Rail => tonnes * km * params.rail_kg_co2_per_tonne_km,
        Mode::Road => tonnes * km * params.road_kg_co2_per_tonne_km,
        Mode::Air => {
            let factor = match service.flags.air_capacity {
                Some(AirCapacity::Belly) => params.air_belly_kg_co2_per_tonne_km,
                _ => params.air_freighter_kg_co2_per_tonne_km,
            };
            tonnes * km * factor
        }
    };

    LegCost {
        cost: CostBreakdown {
            freight_usd,
            handling_usd,
            border_usd,
            surcharges_usd,
        },
        time: TimeBreakdown {
            in_motion_hours: service.in_motion_hours(),
            // Waiting depends on when the cargo arrives: the timetable search fills it in.
            waiting_hours: 0.0,
            handling_hours,
            border_hours,
        },
        co2_kg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::{network, service, terminal};
    use crate::model::{BorderCrossing, Shipment};

    fn two_terminals(s: Service) -> Network {
        network(
            vec![
                terminal("AAAAA-X", "CN", 0.0, 0.0),
                terminal("BBBBB-X", "RU", 1.0, 1.0),
            ],
            vec![s],
        )
    }

    #[test]
    fn sea_leg_charges_per_teu_and_handles_at_both_ends() {
        let net = two_terminals(service("S", Mode::Sea, 0, 1, 1000.0, 25.0));
        let leg = leg_cost(&net, &net.services()[0], &Shipment::containers(1, 1, false));
        assert_eq!(leg.cost.freight_usd, 3.0 * (100.0 + 0.1 * 1000.0));
        assert_eq!(leg.cost.handling_usd, 2.0 * 10.0 * 3.0);
        assert_eq!(leg.time.in_motion_hours, 40.0);
        // Only the discharge at the far end takes dwell time; loading is inside the cut-off.
        assert_eq!(leg.time.handling_hours, 1.0);
        assert!((leg.co2_kg - 3.0 * 1000.0 * 0.08).abs() < 1e-9);
    }

    #[test]
    fn reefer_pays_its_surcharge_and_higher_emissions() {
        let mut s = service("S", Mode::Sea, 0, 1, 1000.0, 25.0);
        s.reefer_usd_per_teu = 300.0;
        let net = two_terminals(s);
        let dry = leg_cost(&net, &net.services()[0], &Shipment::containers(2, 0, false));
        let reefer = leg_cost(&net, &net.services()[0], &Shipment::containers(2, 0, true));
        assert_eq!(reefer.cost.surcharges_usd - dry.cost.surcharges_usd, 600.0);
        assert!(reefer.co2_kg > dry.co2_kg);
    }

    #[test]
    fn air_charges_chargeable_weight_with_a_minimum() {
        let net = two_terminals(service("A", Mode::Air, 0, 1, 1000.0, 700.0));
        let small = leg_cost(&net, &net.services()[0], &Shipment::loose(5.0, 0.01));
        assert_eq!(small.cost.freight_usd, 50.0);
        let bulky = leg_cost(&net, &net.services()[0], &Shipment::loose(100.0, 3.0));
        assert_eq!(bulky.cost.freight_usd, 3.0 * 167.0 * 2.0);
    }

    #[test]
    fn border_adds_customs_time_and_fee() {
        let mut s = service("R", Mode::Rail, 0, 1, 20.0, 20.0);
        s.border = Some(BorderCrossing {
            customs_hours: 30.0,
            customs_usd_per_teu: 150.0,
            gauge_change: true,
        });
        let net = two_terminals(s);
        let leg = leg_cost(&net, &net.services()[0], &Shipment::containers(0, 1, false));
        assert_eq!(leg.cost.border_usd, 300.0);
        assert_eq!(leg.time.border_hours, 30.0);
    }
}
