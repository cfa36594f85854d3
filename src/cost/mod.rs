//! The cost, time and CO2 model of one leg: what moving a shipment on a service costs, how
//! long it takes once it has departed (in motion, border formalities, discharge dwell) and
//! what it emits. The wait for a departure depends on the timetable and is the search's part.
//!
//! Pure arithmetic on the model; the unit conversions of a shipment live in
//! `model::Shipment` so that they exist in one place only.

use crate::model::{
    Activity, CargoSpec, Co2Basis, EuEts, Mode, ModelParams, Network, Service, Shipment,
};

/// Charges of a leg or route by kind, in USD, itemised as a forwarder's quote lists them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CostBreakdown {
    /// Ocean freight, rail tariff, air freight, trucking, courier charge.
    pub freight_usd: f64,
    /// Terminal handling (THC per box), CFS or warehouse charges (loose cargo), airport
    /// handling, at both ends of a leg.
    pub handling_usd: f64,
    pub border_usd: f64,
    /// Bunker adjustment (BAF): the fuel the leg burns for this cargo at the fuel price.
    pub bunker_usd: f64,
    /// EU Emissions Trading System allowances passed on by the carrier.
    pub eu_ets_usd: f64,
    pub reefer_usd: f64,
    pub dangerous_goods_usd: f64,
    /// Ice-class and icebreaker surcharges (Northern Sea Route).
    pub ice_usd: f64,
    /// Bill of lading, consignment note or air waybill.
    pub documentation_usd: f64,
}

impl CostBreakdown {
    /// Every charge other than freight, handling and border fees.
    pub fn surcharges_usd(&self) -> f64 {
        self.bunker_usd
            + self.eu_ets_usd
            + self.reefer_usd
            + self.dangerous_goods_usd
            + self.ice_usd
            + self.documentation_usd
    }

    pub fn total_usd(&self) -> f64 {
        self.freight_usd + self.handling_usd + self.border_usd + self.surcharges_usd()
    }
}

impl std::ops::Add for CostBreakdown {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        CostBreakdown {
            freight_usd: self.freight_usd + o.freight_usd,
            handling_usd: self.handling_usd + o.handling_usd,
            border_usd: self.border_usd + o.border_usd,
            bunker_usd: self.bunker_usd + o.bunker_usd,
            eu_ets_usd: self.eu_ets_usd + o.eu_ets_usd,
            reefer_usd: self.reefer_usd + o.reefer_usd,
            dangerous_goods_usd: self.dangerous_goods_usd + o.dangerous_goods_usd,
            ice_usd: self.ice_usd + o.ice_usd,
            documentation_usd: self.documentation_usd + o.documentation_usd,
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

/// A leg's greenhouse-gas emissions as ISO 14083 counts them: the transport (activity times
/// the class's factor) and the terminal moves at both ends, each well-to-wake (WTW) and
/// tank-to-wake (TTW), with the regulatory kilometres of a sea leg.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Emissions {
    pub transport_wtw_kg: f64,
    pub transport_ttw_kg: f64,
    pub hub_wtw_kg: f64,
    pub hub_ttw_kg: f64,
    /// The emission factor used (index into the model's `EmissionModel`; a leg's own).
    pub factor: usize,
    /// TEU-km or tonne-km (the factor's unit) over the method's distance.
    pub activity: f64,
    /// Sea kilometres inside emission control areas.
    pub eca_km: f64,
    /// Sea kilometres in EU ETS scope (all of a voyage between EU/EEA ports, half of one in or
    /// out of them).
    pub eu_ets_km: f64,
}

impl Emissions {
    pub fn wtw_kg(&self) -> f64 {
        self.transport_wtw_kg + self.hub_wtw_kg
    }

    pub fn ttw_kg(&self) -> f64 {
        self.transport_ttw_kg + self.hub_ttw_kg
    }

    /// Transport and hubs in the scope a query optimises.
    pub fn in_basis(&self, basis: Co2Basis) -> f64 {
        match basis {
            Co2Basis::WellToWake => self.wtw_kg(),
            Co2Basis::TankToWake => self.ttw_kg(),
        }
    }
}

impl std::ops::Add for Emissions {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        Emissions {
            transport_wtw_kg: self.transport_wtw_kg + o.transport_wtw_kg,
            transport_ttw_kg: self.transport_ttw_kg + o.transport_ttw_kg,
            hub_wtw_kg: self.hub_wtw_kg + o.hub_wtw_kg,
            hub_ttw_kg: self.hub_ttw_kg + o.hub_ttw_kg,
            factor: self.factor,
            activity: self.activity + o.activity,
            eca_km: self.eca_km + o.eca_km,
            eu_ets_km: self.eu_ets_km + o.eu_ets_km,
        }
    }
}

/// Everything a leg costs the shipper.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LegCost {
    pub cost: CostBreakdown,
    pub time: TimeBreakdown,
    /// The CO2e the search weighs: well-to-wake unless the query asks for tank-to-wake
    /// (transport and terminal moves).
    pub co2_kg: f64,
    pub emissions: Emissions,
}

impl std::ops::Add for LegCost {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        LegCost {
            cost: self.cost + o.cost,
            time: self.time + o.time,
            co2_kg: self.co2_kg + o.co2_kg,
            emissions: self.emissions + o.emissions,
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

/// The freight product a service sells for a shipment, if it sells one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Product {
    /// Full containers by sea or rail, per box.
    Fcl,
    /// Loose cargo consolidated at sea or on rail, per revenue tonne.
    Lcl,
    /// Loose cargo by air, per chargeable kilogram.
    AirCargo,
    /// A courier's door-to-door parcel.
    Express,
    /// A truck, whatever it carries.
    Truck,
}

/// Which product of `service` carries `shipment`: a parcel goes by courier where the service
/// offers it, full containers never fly.
pub fn product(network: &Network, service: &Service, shipment: &Shipment) -> Option<Product> {
    let t = &service.tariff;
    let params = network.params();
    match shipment.cargo {
        CargoSpec::Containers(_) => match service.mode {
            Mode::Road => t.truck.map(|_| Product::Truck),
            Mode::Air => None,
            Mode::Sea | Mode::Rail => t.fcl.map(|_| Product::Fcl),
        },
        CargoSpec::Loose { .. } => {
            let parcel = t
                .express
                .as_ref()
                .filter(|e| shipment.chargeable_kg_at(params, e.kg_per_m3) <= e.max_kg());
            if parcel.is_some() {
                Some(Product::Express)
            } else if t.air.is_some() && service.mode == Mode::Air {
                Some(Product::AirCargo)
            } else if t.lcl.is_some() && matches!(service.mode, Mode::Sea | Mode::Rail) {
                Some(Product::Lcl)
            } else if t.truck.is_some() && service.mode == Mode::Road {
                Some(Product::Truck)
            } else {
                None
            }
        }
    }
}

/// Evaluates moving `shipment` on `service` from its origin to its destination terminal with
/// `product`, for emissions of `emission_year` (the EU ETS phase-in). Charges that a through
/// movement levies once (reefer) are all included: the search takes them off a continuation.
pub fn leg_cost(
    network: &Network,
    service: &Service,
    shipment: &Shipment,
    product: Product,
    emission_year: i16,
) -> LegCost {
    let params = network.params();
    let t = &service.tariff;
    let km = service.distance_km;
    let teu = shipment.teu(params);
    let freight_usd = match product {
        Product::Fcl => {
            let r = t.fcl.unwrap_or_default();
            match shipment.cargo {
                CargoSpec::Containers(c) => c
                    .iter()
                    .map(|(kind, n)| {
                        let per_box = if kind.is_forty() {
                            r.per_40ft.at(km)
                                + if kind.is_high_cube() {
                                    r.high_cube_usd
                                } else {
                                    0.0
                                }
                        } else {
                            r.per_20ft.at(km)
                        };
                        per_box * f64::from(n)
                    })
                    .sum(),
                CargoSpec::Loose { .. } => 0.0,
            }
        }
        Product::Lcl => {
            let r = t.lcl.unwrap_or_default();
            shipment.revenue_tonnes(params).max(r.min_revenue_tonnes) * r.per_revenue_tonne.at(km)
        }
        Product::AirCargo => {
            let r = t.air.unwrap_or_default();
            (shipment.chargeable_kg(params) * r.usd_per_kg).max(r.min_usd)
        }
        Product::Express => t.express.as_ref().map_or(0.0, |r| {
            r.price(shipment.chargeable_kg_at(params, r.kg_per_m3))
                .unwrap_or(0.0)
        }),
        Product::Truck => {
            let r = t.truck.unwrap_or_default();
            (shipment.trucks(params) * (r.base_usd_per_truck + r.usd_per_truck_km * km))
                .max(r.min_usd)
        }
    };

    let mut cost = CostBreakdown {
        freight_usd,
        ..CostBreakdown::default()
    };

    // A truck runs gate to gate: the lift between truck and yard is in the terminal charges
    // the ship or train leg there pays (and a truck is unloaded at the gate, without the
    // yard's dwell), so a truck adds only itself and its consignment note; drayage between the
    // terminals of a city not even that. A courier's price is door to door. Loading happens
    // inside the cut-off before departure; a ship, train or plane discharged at the far end
    // takes that terminal's dwell before the cargo can move on.
    let gate_to_gate = service.mode == Mode::Road;
    let door_to_door = gate_to_gate || product == Product::Express;
    let ends = [
        network.terminal(service.from).handling,
        network.terminal(service.to).handling,
    ];
    if !door_to_door {
        cost.handling_usd = ends
            .iter()
            .map(|h| match shipment.cargo {
                CargoSpec::Containers(c) => {
                    h.usd_per_20ft * f64::from(c.twenties())
                        + h.usd_per_40ft * f64::from(c.forties())
                }
                CargoSpec::Loose { .. } => {
                    let tonnes = if service.mode == Mode::Air {
                        shipment.chargeable_kg(params) / 1000.0
                    } else {
                        shipment.revenue_tonnes(params)
                    };
                    (h.loose_usd_per_tonne * tonnes).max(h.loose_min_usd)
                }
            })
            .sum();
    }
    if !(service.drayage || product == Product::Express) {
        cost.documentation_usd = t.documentation_usd;
    }
    let handling_hours = if gate_to_gate { 0.0 } else { ends[1].hours };

    let (border_usd, border_hours) = service.border.map_or((0.0, 0.0), |b| {
        (b.customs_usd_per_teu * teu, b.customs_hours)
    });
    cost.border_usd = border_usd;

    if shipment.is_reefer() {
        cost.reefer_usd = match shipment.cargo {
            CargoSpec::Containers(c) => c
                .iter()
                .filter(|(k, _)| k.is_reefer())
                .map(|(k, n)| {
                    let per_box = if k.is_forty() {
                        t.reefer_usd_per_40ft
                    } else {
                        t.reefer_usd_per_20ft
                    };
                    per_box * f64::from(n)
                })
                .sum(),
            // Consolidated cold cargo pays its share of a reefer box; air and courier prices
            // include the cold chain.
            CargoSpec::Loose { .. } if product == Product::Lcl => t.reefer_usd_per_20ft * teu,
            CargoSpec::Loose { .. } => 0.0,
        };
    }
    if shipment.dangerous_goods.is_some() && !service.drayage {
        cost.dangerous_goods_usd = match shipment.cargo {
            CargoSpec::Containers(c) => t.dangerous_goods_usd_per_box * f64::from(c.boxes()),
            CargoSpec::Loose { .. } => t.dangerous_goods_usd_per_shipment,
        };
    }
    cost.ice_usd = teu * (t.ice_class_usd_per_teu + t.icebreaker_usd_per_teu);

    let emissions = leg_emissions(network, service, shipment, product);

    // Ships pass their fuel and their EU allowances on to the cargo, in proportion to the
    // cargo's share of the ship's emissions; couriers' prices include both. Inside emission
    // control areas the fuel is the dearer 0.1 % sulphur kind.
    if service.mode == Mode::Sea && product != Product::Express && km > 0.0 {
        let ttw_tonnes = emissions.transport_ttw_kg / 1000.0;
        let fuel_tonnes = ttw_tonnes / params.fuel_co2_ttw_kg_per_kg;
        let eca_share = (service.low_sulphur_km / km).clamp(0.0, 1.0);
        cost.bunker_usd = fuel_tonnes
            * ((1.0 - eca_share) * params.bunker_usd_per_tonne_fuel
                + eca_share * params.eca_bunker_usd_per_tonne_fuel);
        let ets = &params.eu_ets;
        cost.eu_ets_usd = ttw_tonnes
            * (emissions.eu_ets_km / km)
            * ets.phase_in(emission_year)
            * ets.allowance_usd_per_tonne;
    }

    LegCost {
        cost,
        time: TimeBreakdown {
            in_motion_hours: service.in_motion_hours(),
            // Waiting depends on when the cargo arrives: the timetable search fills it in.
            waiting_hours: 0.0,
            handling_hours,
            border_hours,
        },
        co2_kg: emissions.wtw_kg(),
        emissions,
    }
}

/// The emission factor a leg is computed with: the service's class, or its reefer variant
/// for refrigerated containers.
pub fn emission_factor(network: &Network, service: &Service, shipment: &Shipment) -> usize {
    let model = &network.params().emissions;
    match model.factor(service.emission_factor).reefer {
        Some(reefer) if shipment.is_reefer() => reefer,
        _ => service.emission_factor,
    }
}

/// ISO 14083 per leg: activity (TEU-km for container ships, tonne-km otherwise, over the
/// derived distance plus the class's uplift) times the class factor, and one hub factor per
/// terminal move at either end (not for trucks and drayage, which run gate to gate, nor for
/// couriers, whose network is theirs).
fn leg_emissions(
    network: &Network,
    service: &Service,
    shipment: &Shipment,
    product: Product,
) -> Emissions {
    let params = network.params();
    let index = emission_factor(network, service, shipment);
    let factor = params.emissions.factor(index);
    let km = service.distance_km + factor.distance_uplift_km;
    let (teu, tonnes) = (shipment.teu(params), shipment.tonnes(params));
    let activity = match factor.activity {
        Activity::TeuKm => teu * km,
        Activity::TonneKm => tonnes * km,
    };
    let mut e = Emissions {
        transport_wtw_kg: activity * factor.wtw_kg,
        transport_ttw_kg: activity * factor.ttw_kg,
        factor: index,
        activity,
        ..Emissions::default()
    };
    if service.mode != Mode::Road && product != Product::Express {
        for t in [service.from, service.to] {
            if let Some(hub) = params.emissions.hub(network.terminal(t).kind) {
                let (wtw, ttw) = if let CargoSpec::Containers(c) = shipment.cargo {
                    let boxes = f64::from(c.boxes());
                    (hub.wtw_kg_per_box * boxes, hub.ttw_kg_per_box * boxes)
                } else {
                    (hub.wtw_kg_per_tonne * tonnes, hub.ttw_kg_per_tonne * tonnes)
                };
                e.hub_wtw_kg += wtw;
                e.hub_ttw_kg += ttw;
            }
        }
    }
    if service.mode == Mode::Sea {
        e.eca_km = service.eca_km;
        e.eu_ets_km = service.distance_km
            * EuEts::voyage_share(network.ets_port(service.from), network.ets_port(service.to));
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::{network, service, terminal};
    use crate::model::{BorderCrossing, ContainerCounts, ContainerType, Shipment};

    fn two_terminals(s: Service) -> Network {
        network(
            vec![
                terminal("AAAAA-X", "CN", 0.0, 0.0),
                terminal("BBBBB-X", "RU", 1.0, 1.0),
            ],
            vec![s],
        )
    }

    fn cost_of(net: &Network, shipment: &Shipment) -> LegCost {
        let s = &net.services()[0];
        let p = product(net, s, shipment).expect("the service carries it");
        leg_cost(net, s, shipment, p, 2026)
    }

    #[test]
    fn containers_pay_per_box_not_per_teu() {
        let net = two_terminals(service("S", Mode::Sea, 0, 1, 1000.0, 25.0));
        let leg = cost_of(&net, &Shipment::containers(1, 1, false));
        // 20': 100 + 0.1 x 1000; 40': 150 + 0.1 x 1000 (not twice the 20').
        assert_eq!(leg.cost.freight_usd, 200.0 + 250.0);
        // THC per box at both ends: 10 per 20', 15 per 40'.
        assert_eq!(leg.cost.handling_usd, 2.0 * (10.0 + 15.0));
        assert_eq!(leg.time.in_motion_hours, 40.0);
        // Only the discharge at the far end takes dwell time; loading is inside the cut-off.
        assert_eq!(leg.time.handling_hours, 1.0);
        // 3 TEU x 1000 km x 0.08 kg/TEU-km, and a load and a discharge of 2 boxes at 2 kg each.
        assert!((leg.emissions.transport_wtw_kg - 3.0 * 1000.0 * 0.08).abs() < 1e-9);
        assert!((leg.emissions.hub_wtw_kg - 2.0 * 2.0 * 2.0).abs() < 1e-9);
        assert!((leg.co2_kg - (240.0 + 8.0)).abs() < 1e-9);
    }

    #[test]
    fn a_high_cube_pays_the_forty_rate_and_its_premium() {
        let mut s = service("S", Mode::Sea, 0, 1, 1000.0, 25.0);
        s.tariff.fcl.as_mut().unwrap().high_cube_usd = 40.0;
        let net = two_terminals(s);
        let hc = cost_of(
            &net,
            &Shipment::boxes(ContainerCounts::new().with(ContainerType::HighCube40, 1)),
        );
        assert_eq!(hc.cost.freight_usd, 250.0 + 40.0);
    }

    #[test]
    fn reefer_boxes_pay_their_surcharge_and_emit_more() {
        let mut s = service("S", Mode::Sea, 0, 1, 1000.0, 25.0);
        s.tariff.reefer_usd_per_20ft = 300.0;
        s.tariff.reefer_usd_per_40ft = 450.0;
        let net = two_terminals(s);
        let dry = cost_of(&net, &Shipment::containers(2, 1, false));
        let reefer = cost_of(&net, &Shipment::containers(2, 1, true));
        assert_eq!(
            reefer.cost.reefer_usd - dry.cost.reefer_usd,
            2.0 * 300.0 + 450.0
        );
        assert!(reefer.co2_kg > dry.co2_kg);
    }

    #[test]
    fn loose_cargo_by_sea_is_lcl_per_revenue_tonne_with_a_minimum() {
        let net = two_terminals(service("S", Mode::Sea, 0, 1, 1000.0, 25.0));
        // 300 kg in 2 m3: two revenue tonnes at 20.
        let bulky = cost_of(&net, &Shipment::loose(300.0, 2.0));
        assert_eq!(bulky.cost.freight_usd, 40.0);
        // 20 kg in 0.1 m3: charged the minimum of one revenue tonne.
        let small = cost_of(&net, &Shipment::loose(20.0, 0.1));
        assert_eq!(small.cost.freight_usd, 20.0);
        assert_eq!(
            product(&net, &net.services()[0], &Shipment::loose(20.0, 0.1)),
            Some(Product::Lcl)
        );
    }

    #[test]
    fn full_containers_never_fly() {
        let net = two_terminals(service("A", Mode::Air, 0, 1, 1000.0, 700.0));
        assert_eq!(
            product(&net, &net.services()[0], &Shipment::containers(1, 0, false)),
            None
        );
    }

    #[test]
    fn air_charges_chargeable_weight_with_a_minimum() {
        let net = two_terminals(service("A", Mode::Air, 0, 1, 1000.0, 700.0));
        let small = cost_of(&net, &Shipment::loose(5.0, 0.01));
        assert_eq!(small.cost.freight_usd, 50.0);
        let bulky = cost_of(&net, &Shipment::loose(100.0, 3.0));
        assert_eq!(bulky.cost.freight_usd, 3.0 * 167.0 * 2.0);
    }

    #[test]
    fn a_parcel_goes_by_courier_by_weight_band() {
        let mut s = service("E", Mode::Air, 0, 1, 800.0, 600.0);
        s.tariff.express = Some(crate::model::ExpressRate {
            bands: vec![(0.5, 10.0, 0.0), (10.0, 7.0, 8.0), (25.0, 0.0, 5.0)],
            kg_per_m3: 167.0,
        });
        let net = two_terminals(s);
        let parcel = Shipment::loose(20.0, 0.1);
        assert_eq!(
            product(&net, &net.services()[0], &parcel),
            Some(Product::Express)
        );
        let leg = cost_of(&net, &parcel);
        assert_eq!(leg.cost.freight_usd, 100.0);
        assert_eq!(leg.cost.handling_usd, 0.0, "door to door");
        // 10.2 kg rounds up to 10.5 kg, in the third band.
        assert_eq!(
            cost_of(&net, &Shipment::loose(10.2, 0.01)).cost.freight_usd,
            52.5
        );
        // Above the last band it is air cargo.
        let heavy = Shipment::loose(30.0, 0.1);
        assert_eq!(
            product(&net, &net.services()[0], &heavy),
            Some(Product::AirCargo)
        );
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
        let leg = cost_of(&net, &Shipment::containers(0, 1, false));
        assert_eq!(leg.cost.border_usd, 300.0);
        assert_eq!(leg.time.border_hours, 30.0);
    }

    #[test]
    fn sea_legs_pass_on_their_fuel_as_bunker() {
        let net = two_terminals(service("S", Mode::Sea, 0, 1, 1000.0, 25.0));
        let leg = cost_of(&net, &Shipment::containers(1, 0, false));
        let p = net.params();
        // 70 kg CO2e TTW (0.07 per TEU-km), 3 kg per kg fuel, 600 USD per tonne of fuel.
        let expected = 70.0 / p.fuel_co2_ttw_kg_per_kg * 0.6;
        assert!(
            (leg.cost.bunker_usd - expected).abs() < 1e-9,
            "{}",
            leg.cost.bunker_usd
        );
        assert_eq!(leg.cost.eu_ets_usd, 0.0, "CN-RU is outside the EU ETS");
    }

    fn ets_usd(from_country: &str, to_country: &str, year: i16) -> f64 {
        let net = network(
            vec![
                terminal("AAAAA-X", from_country, 0.0, 0.0),
                terminal("BBBBB-X", to_country, 1.0, 1.0),
            ],
            vec![service("S", Mode::Sea, 0, 1, 1000.0, 25.0)],
        );
        let s = &net.services()[0];
        leg_cost(
            &net,
            s,
            &Shipment::containers(1, 0, false),
            Product::Fcl,
            year,
        )
        .cost
        .eu_ets_usd
    }

    #[test]
    fn eu_ets_covers_all_of_intra_eu_voyages_half_of_those_in_or_out_and_phases_in() {
        // 1 TEU x 1000 km x 0.07 kg TTW = 0.07 t at 100 USD per allowance (the ETS counts the
        // ship's combustion, not the terminals').
        let whole = 0.07 * 100.0;
        assert!((ets_usd("NL", "DE", 2026) - whole).abs() < 1e-9);
        assert!((ets_usd("CN", "NL", 2026) - whole / 2.0).abs() < 1e-9);
        assert!((ets_usd("DE", "CN", 2026) - whole / 2.0).abs() < 1e-9);
        assert_eq!(ets_usd("CN", "KR", 2026), 0.0);
        assert!((ets_usd("NL", "DE", 2024) - whole * 0.4).abs() < 1e-9);
        assert!((ets_usd("NL", "DE", 2025) - whole * 0.7).abs() < 1e-9);
        assert_eq!(ets_usd("NL", "DE", 2023), 0.0);
    }

    #[test]
    fn a_neighbouring_transshipment_hub_does_not_take_a_voyage_out_of_scope() {
        let ets = &ModelParams::example().eu_ets;
        let share = |a: (&str, &str), b: (&str, &str)| {
            EuEts::voyage_share(ets.port(a.0, a.1), ets.port(b.0, b.1))
        };
        // Asia to Tanger Med on the way to Europe: half, as a voyage into the EU.
        assert_eq!(share(("CN", "CNSHA"), ("MA", "MAPTM")), 0.5);
        assert_eq!(share(("MA", "MAPTM"), ("NL", "NLRTM")), 0.5);
        assert_eq!(share(("CN", "CNSHA"), ("MA", "MACAS")), 0.0);
    }
}
