//! Emissions a sustainability team can report (ISO 14083 / GLEC v3.0): per-leg factors by
//! mode and class checked against hand computations from the cited tables, and the answers
//! over gRPC on loopback.

mod common;

use common::*;
use freight_router::cost::{leg_cost, product, LegCost};
use freight_router::data;
use freight_router::model::{Network, Shipment};
use freight_router::proto::{self, Constraints, Objective, TransportMode};

fn bundled() -> Network {
    data::load_network(&data_dir()).expect("bundled network loads")
}

fn leg(network: &Network, service: &str, shipment: &Shipment) -> LegCost {
    let s = network.service(network.service_by_code(service).unwrap());
    let p = product(network, s, shipment).expect("the service carries it");
    leg_cost(network, s, shipment, p, 2026)
}

fn distance(network: &Network, service: &str) -> f64 {
    network
        .service(network.service_by_code(service).unwrap())
        .distance_km
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

/// One 20' dry box (10 t at GLEC's payload per TEU), or one reefer.
fn teu(reefer: bool) -> Shipment {
    Shipment::containers(1, 0, reefer)
}

/// GLEC v3.0: Table 17 intra-NE-Asia (139.6 / 120.5 g per TEU-km; reefer 233.1 / 201.3), Table 16
/// Asia-North Europe (49.9 / 43.1), Table 14 RoPax > 20,000 GT (98.0 / 83.5 g per gross t-km at
/// 12.3 t per TEU), and Table 3 maritime container terminal (10.7 kg per container move).
#[test]
fn sea_legs_take_their_lane_and_class_factor_per_teu_km_and_a_terminal_move_at_each_end() {
    let n = bundled();
    let hubs = 2.0 * 10.7;
    for (service, reefer, wtw, ttw) in [
        ("SEA-DLC-PUS", false, 0.1396, 0.1205),
        ("SEA-DLC-PUS", true, 0.2331, 0.2013),
        ("SEA-DLC-RTM", false, 0.0499, 0.0431),
        ("SEA-DLC-INC-FERRY", false, 0.098 * 12.3, 0.0835 * 12.3),
    ] {
        let e = leg(&n, service, &teu(reefer)).emissions;
        let km = distance(&n, service);
        assert!(close(e.activity, km), "{service}: {} TEU-km", e.activity);
        assert!(
            close(e.transport_wtw_kg, km * wtw),
            "{service} reefer {reefer}"
        );
        assert!(
            close(e.transport_ttw_kg, km * ttw),
            "{service} reefer {reefer}"
        );
        assert!(
            close(e.hub_wtw_kg, hubs),
            "{service}: {} kg at the terminals",
            e.hub_wtw_kg
        );
    }
}

/// Rail and road per tonne-km at 10 t per TEU: China 16 / 6 g and Russia 8 / 2 g (estimates),
/// EU electric 6.4 / 0 (GLEC Table 5), Asian 40 t truck 115.9 / 89.1 (Table 8 + 22 %); a truck
/// pays no terminal move (gate to gate).
#[test]
fn rail_and_road_legs_take_their_grid_and_truck_factors_per_tonne_km() {
    let n = bundled();
    for (service, wtw, ttw, hub_moves) in [
        ("RAIL-DLC-MLX", 0.016, 0.006, 2.0),
        ("RAIL-ZBK-MOW", 0.008, 0.002, 2.0),
        ("RAIL-MAA-DUI", 0.0064, 0.0, 2.0),
        ("ROAD-DLC-SHY", 0.1159, 0.0891, 0.0),
    ] {
        let e = leg(&n, service, &teu(false)).emissions;
        let tkm = 10.0 * distance(&n, service);
        assert!(close(e.activity, tkm), "{service}");
        assert!(
            close(e.transport_wtw_kg, tkm * wtw),
            "{service}: {}",
            e.transport_wtw_kg
        );
        assert!(close(e.transport_ttw_kg, tkm * ttw), "{service}");
        assert!(close(e.hub_wtw_kg, hub_moves * 10.7), "{service}");
    }
}

/// GLEC Table 1 by band (belly < 1,500 km 1,237 / 978 g per t-km; freighter > 1,500 km 629 /
/// 498) over the great circle plus ISO 14083's 95 km, and 0.6 kg per tonne at each airport.
#[test]
fn air_legs_add_ninety_five_km_to_the_great_circle_and_take_the_band_factor() {
    let n = bundled();
    let parcel = Shipment::loose(500.0, 2.0);
    for (service, wtw, ttw) in [("AIR-DLC-ICN", 1.237, 0.978), ("AIR-ICN-FRA", 0.629, 0.498)] {
        let e = leg(&n, service, &parcel).emissions;
        let tkm = 0.5 * (distance(&n, service) + 95.0);
        assert!(close(e.activity, tkm), "{service}: {}", e.activity);
        assert!(close(e.transport_wtw_kg, tkm * wtw), "{service}");
        assert!(close(e.transport_ttw_kg, tkm * ttw), "{service}");
        assert!(close(e.hub_wtw_kg, 2.0 * 0.5 * 0.6), "{service}");
    }
}

/// A sea leg into the North Sea ECA: the fuel burnt inside it is the dearer 0.1 % sulphur
/// kind, and the voyage into the EU is half in EU ETS scope.
#[test]
fn a_rotterdam_leg_prices_its_eca_fuel_and_half_its_voyage_for_the_ets() {
    let n = bundled();
    let e = leg(&n, "SEA-DLC-RTM", &teu(false));
    let km = distance(&n, "SEA-DLC-RTM");
    assert!(
        e.emissions.eca_km > 300.0,
        "{} km in ECAs",
        e.emissions.eca_km
    );
    assert!(close(e.emissions.eu_ets_km, km / 2.0));
    let p = n.params();
    let fuel_t = e.emissions.transport_ttw_kg / 1000.0 / p.fuel_co2_ttw_kg_per_kg;
    let s = n.service(n.service_by_code("SEA-DLC-RTM").unwrap());
    let eca = s.low_sulphur_km / km;
    assert!(s.low_sulphur_km > 300.0 && s.low_sulphur_km <= e.emissions.eca_km);
    let bunker = fuel_t
        * ((1.0 - eca) * p.bunker_usd_per_tonne_fuel + eca * p.eca_bunker_usd_per_tonne_fuel);
    assert!(
        close(e.cost.bunker_usd, bunker),
        "{} vs {bunker}",
        e.cost.bunker_usd
    );
}

async fn answer(req: proto::FindRoutesRequest) -> proto::FindRoutesResponse {
    routing().await.find_routes(req).await.unwrap().into_inner()
}

/// Sea only, direct, ready on a fixed weekday: which sailings answer depends on the ready time
/// (ready on a Friday midday in Dalian, Sunday's container ship reaches Incheon before the
/// ferry's next sailing would, the ferry is dominated and not offered, and the test failed).
fn sea_only(mut req: proto::FindRoutesRequest) -> proto::FindRoutesRequest {
    req.ready_at = Some(next_weekday(jiff::civil::Weekday::Tuesday));
    req.constraints = Some(Constraints {
        allowed_modes: vec![TransportMode::Sea.into()],
        max_transfers: Some(0),
        ..Default::default()
    });
    req.max_routes = Some(20);
    req
}

fn per_unit(leg: &proto::Leg) -> f64 {
    let m = leg.emission_method.as_ref().unwrap();
    (leg.co2e_wtw_kg - leg.hub_co2e_kg) / m.activity
}

#[tokio::test]
async fn the_incheon_ferry_emits_more_per_teu_km_than_the_busan_container_ship() {
    let ferry_resp = answer(sea_only(request(
        "CNDLC",
        "KRINC",
        containers(1, 0, false),
        Objective::Time,
    )))
    .await;
    let ferry = ferry_resp
        .routes
        .iter()
        .flat_map(|r| &r.legs)
        .find(|l| l.service_id == "SEA-DLC-INC-FERRY")
        .expect("the ferry is among the answers (the fastest)");
    let ship_resp = answer(sea_only(request(
        "CNDLC",
        "KRPUS",
        containers(1, 0, false),
        Objective::Cost,
    )))
    .await;
    let ship = ship_resp.routes[0]
        .legs
        .iter()
        .find(|l| l.service_id == "SEA-DLC-PUS")
        .expect("the Busan container ship");
    let (f, s) = (per_unit(ferry), per_unit(ship));
    assert_eq!(
        ferry.emission_method.as_ref().unwrap().activity_unit,
        "TEU-km"
    );
    assert!(f > 5.0 * s, "ferry {f} kg vs ship {s} kg per TEU-km");
    assert_eq!(
        ferry.emission_factor_quality,
        proto::EmissionFactorQuality::Estimate as i32,
        "the per-TEU ferry factor is derived"
    );
    assert_eq!(
        ship.emission_factor_quality,
        proto::EmissionFactorQuality::SourcedDefault as i32
    );
}

#[tokio::test]
async fn rail_to_moscow_differs_between_its_chinese_and_russian_segments() {
    let mut req = request("CNDLC", "RUMOW", containers(1, 0, false), Objective::Time);
    req.constraints = Some(Constraints {
        allowed_modes: vec![TransportMode::Rail.into()],
        ..Default::default()
    });
    let resp = answer(req).await;
    let legs: Vec<&proto::Leg> = resp.routes[0].legs.iter().collect();
    let chinese = legs
        .iter()
        .find(|l| l.service_id == "RAIL-DLC-MLX")
        .expect("the Chinese segment");
    let russian = legs
        .iter()
        .find(|l| l.service_id == "RAIL-ZBK-MOW")
        .expect("the Russian segment");
    let ratio = per_unit(chinese) / per_unit(russian);
    let factors = |l: &proto::Leg| l.emission_method.as_ref().unwrap().wtw_kg_per_unit;
    assert!((ratio - factors(chinese) / factors(russian)).abs() < 1e-9);
    assert!(
        (ratio - 2.0).abs() < 1e-9,
        "China 16 g against Russia 8 g: {ratio}"
    );
    assert_eq!(
        chinese.emission_method.as_ref().unwrap().factor_id,
        "rail-china"
    );
}

#[tokio::test]
async fn a_rotterdam_sea_leg_reports_its_eca_and_eu_ets_kilometres() {
    let resp = answer(sea_only(request(
        "CNDLC",
        "NLRTM",
        containers(0, 1, false),
        Objective::Cost,
    )))
    .await;
    let leg = &resp.routes[0].legs[0];
    assert_eq!(leg.service_id, "SEA-DLC-RTM");
    assert!(leg.eca_km > 300.0, "{} km in the North Sea ECA", leg.eca_km);
    assert!((leg.eu_ets_km - leg.distance_km / 2.0).abs() < 1e-6);
    assert!(resp.routes[0].eu_ets_km >= leg.eu_ets_km);
    // Near-sea legs carry no ETS kilometres.
    let busan = answer(sea_only(request(
        "CNDLC",
        "KRPUS",
        containers(1, 0, false),
        Objective::Cost,
    )))
    .await;
    assert_eq!(busan.routes[0].legs[0].eu_ets_km, 0.0);
}

#[tokio::test]
async fn well_to_wake_is_never_below_tank_to_wake_and_the_route_sums_its_legs() {
    for (destination, shipment) in [
        ("KRPUS", containers(1, 0, false)),
        ("JPTYO", containers(0, 2, true)),
        ("RUMOW", containers(0, 1, false)),
        ("NLRTM", containers(1, 0, false)),
        ("DEFRA", parcel(300.0, 1.5)),
    ] {
        let mut req = request("CNDLC", destination, shipment, Objective::Co2);
        req.max_routes = Some(20);
        let resp = answer(req).await;
        assert!(!resp.routes.is_empty(), "{destination}");
        for r in &resp.routes {
            assert!(r.co2e_wtw_kg >= r.co2e_ttw_kg, "{destination}");
            assert_eq!(r.co2_kg, r.co2e_wtw_kg);
            let legs: f64 = r.legs.iter().map(|l| l.co2e_wtw_kg).sum();
            assert!((legs - r.co2e_wtw_kg).abs() < 1e-6 * legs.max(1.0));
            for l in &r.legs {
                assert!(l.co2e_wtw_kg >= l.co2e_ttw_kg, "{}", l.service_id);
                assert!(l.hub_co2e_kg <= l.co2e_wtw_kg);
                let m = l
                    .emission_method
                    .as_ref()
                    .expect("every leg states its method");
                assert!(
                    !m.factor_id.is_empty() && !m.source.is_empty(),
                    "{}",
                    l.service_id
                );
            }
        }
    }
}

#[tokio::test]
async fn a_tank_to_wake_request_labels_the_route_lowest_in_tank_to_wake() {
    let mut req = request("CNDLC", "RUMOW", containers(0, 1, false), Objective::Co2);
    req.max_routes = Some(20);
    req.co2_basis = proto::Co2Basis::TankToWake.into();
    let resp = answer(req).await;
    let label = proto::RouteLabel::LowestCo2 as i32;
    let greenest = resp
        .routes
        .iter()
        .find(|r| r.labels.contains(&label))
        .expect("a lowest-CO2 route");
    let min_ttw = resp
        .routes
        .iter()
        .map(|r| r.co2e_ttw_kg)
        .fold(f64::INFINITY, f64::min);
    assert!((greenest.co2e_ttw_kg - min_ttw).abs() < 1e-6);
    let status = routing()
        .await
        .find_routes({
            let mut bad = request("CNDLC", "KRPUS", containers(1, 0, false), Objective::Co2);
            bad.co2_basis = 7;
            bad
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert!(
        status.message().contains("co2_basis"),
        "{}",
        status.message()
    );
}
