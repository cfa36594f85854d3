//! Answers a forwarder would sign: cargo fits the vehicle and the sailing, prices are quoted as
//! the trade quotes them. Over gRPC on loopback against the bundled network.

mod common;

use common::*;
use freight_router::proto::{
    self, Constraints, ContainerBoxes, ContainerType, FreightProduct, Objective, TransportMode,
};
use tonic::Code;

fn legs(routes: &[proto::Route]) -> impl Iterator<Item = &proto::Leg> {
    routes.iter().flat_map(|r| r.legs.iter())
}

fn cost(leg: &proto::Leg) -> proto::CostBreakdown {
    leg.cost.unwrap_or_default()
}

/// The answer to one request from the test server.
async fn answer(req: proto::FindRoutesRequest) -> proto::FindRoutesResponse {
    routing().await.find_routes(req).await.unwrap().into_inner()
}

/// A request restricted to one mode, with at most `max_transfers` changes.
fn only(
    mode: TransportMode,
    max_transfers: Option<i32>,
    mut req: proto::FindRoutesRequest,
) -> proto::FindRoutesRequest {
    req.constraints = Some(Constraints {
        allowed_modes: vec![mode.into()],
        max_transfers,
        ..Default::default()
    });
    req
}

/// Units per US dollar in `model.toml` ([fx], PBOC parity of 2025-02-25).
const CNY_PER_USD: f64 = 7.1726;
const EUR_PER_USD: f64 = 0.952;

#[tokio::test]
async fn full_containers_never_get_an_air_leg() {
    for destination in ["KRPUS", "JPTYO", "NLRTM", "RUVVO"] {
        for objective in [Objective::Time, Objective::Cost] {
            let mut req = request("CNDLC", destination, containers(0, 2, false), objective);
            req.max_routes = Some(20);
            let resp = answer(req).await;
            assert!(!resp.routes.is_empty(), "{destination}");
            assert!(
                legs(&resp.routes).all(|l| l.mode != TransportMode::Air as i32),
                "2 FEU to {destination} got an air leg"
            );
        }
    }
}

#[tokio::test]
async fn two_hundred_teu_to_incheon_does_not_fit_one_ferry_sailing() {
    let mut req = request("CNDLC", "KRINC", containers(200, 0, false), Objective::Time);
    req.max_routes = Some(20);
    let resp = answer(req.clone()).await;
    assert!(!resp.routes.is_empty());
    // More than one ferry sailing, or another service.
    let ferry: Vec<&proto::Leg> = legs(&resp.routes)
        .filter(|l| l.service_id.starts_with("SEA-DLC-INC-FERRY"))
        .collect();
    assert!(ferry.iter().all(|l| l.departures >= 2), "{ferry:#?}");

    // Kept together, the 145-TEU ferry is out and says why.
    req.shipment.as_mut().unwrap().keep_together = true;
    req.explain = true;
    let together = answer(req).await;
    assert!(!together.routes.is_empty());
    assert!(legs(&together.routes).all(|l| !l.service_id.contains("FERRY") && l.departures <= 1));
    assert!(together
        .exclusions
        .iter()
        .any(|e| e.service_id == "SEA-DLC-INC-FERRY" && e.constraint == "capacity"));
}

#[tokio::test]
async fn a_twenty_kilo_parcel_goes_at_the_published_ems_rate() {
    for destination in ["KRPUS", "JPTYO"] {
        let resp = answer(request(
            "CNDLC",
            destination,
            parcel(20.0, 0.1),
            Objective::Cost,
        ))
        .await;
        let cheapest = &resp.routes[0];
        // The EMS price list: 11-25 kg at 36 CNY per kg, door to door.
        let ems_usd = 20.0 * 36.0 / CNY_PER_USD;
        assert!(
            (total_usd(cheapest) - ems_usd).abs() < 0.01,
            "{destination}: {} against {ems_usd}",
            total_usd(cheapest)
        );
        assert_eq!(cheapest.legs[0].product, FreightProduct::Express as i32);
        // Not a dollar by sea: LCL carries its one-revenue-tonne minimum and both CFS charges.
        let lcl = answer(only(
            TransportMode::Sea,
            None,
            request("CNDLC", destination, parcel(20.0, 0.1), Objective::Cost),
        ))
        .await;
        let leg = &lcl.routes[0].legs[0];
        assert_eq!(leg.product, FreightProduct::Lcl as i32);
        assert!(cost(leg).handling_usd > 2.0 * 20.0, "{:?}", leg.cost);
        assert!(total_usd(&lcl.routes[0]) > ems_usd);
    }
}

#[tokio::test]
async fn a_feu_to_hamburg_is_cheapest_by_sea_and_fastest_by_rail() {
    // A fixed ready time: ready on a Monday midday in Dalian, the fastest way is a truck to
    // Shenyang for an earlier train (road, then rail), and the test failed.
    let resp = answer(proto::FindRoutesRequest {
        ready_at: Some(next_weekday(jiff::civil::Weekday::Tuesday)),
        ..request("CNDLC", "DEHAM", containers(0, 1, false), Objective::Cost)
    })
    .await;
    let cheapest = resp
        .routes
        .iter()
        .min_by(|a, b| total_usd(a).total_cmp(&total_usd(b)))
        .unwrap();
    let fastest = resp
        .routes
        .iter()
        .min_by(|a, b| total_hours(a).total_cmp(&total_hours(b)))
        .unwrap();
    assert_eq!(main_modes(cheapest), [TransportMode::Sea]);
    assert!(main_modes(fastest)
        .iter()
        .all(|m| *m == TransportMode::Rail));
    // Both calibrated in March 2025, and the answer says so.
    assert_eq!(cheapest.rates_as_of, "2025-03-07");
    assert_eq!(fastest.rates_as_of, "2025-03-31");
    // A 40' is priced as a box, not as two 20's.
    let twenties = answer(request(
        "CNDLC",
        "DEHAM",
        containers(2, 0, false),
        Objective::Cost,
    ))
    .await;
    let sea_two_twenties = twenties
        .routes
        .iter()
        .filter(|r| main_modes(r) == [TransportMode::Sea])
        .map(|r| cost(&r.legs[0]).freight_usd)
        .next()
        .unwrap();
    assert!(cost(&cheapest.legs[0]).freight_usd < 0.9 * sea_two_twenties);
}

#[tokio::test]
async fn dangerous_goods_of_a_passenger_class_fly_to_osaka_and_cargo_aircraft_only_does_not() {
    let mut dg = parcel(150.0, 0.6);
    dg.dangerous_goods_class = 3;
    let mut req = only(
        TransportMode::Air,
        None,
        request("CNDLC", "JPOSA", dg, Objective::Time),
    );
    let resp = answer(req.clone()).await;
    let leg = &resp.routes[0].legs[0];
    assert_eq!(leg.service_id, "AIR-DLC-KIX");
    assert!(cost(leg).dangerous_goods_usd > 0.0);

    // Lithium batteries alone (class 9, Cargo Aircraft Only): no freighter flies from Dalian.
    req.shipment.as_mut().unwrap().dangerous_goods_class = 9;
    req.shipment.as_mut().unwrap().cargo_aircraft_only = true;
    req.explain = true;
    let none = answer(req.clone()).await;
    assert!(none.routes.is_empty());
    let kix = none
        .exclusions
        .iter()
        .find(|e| e.service_id == "AIR-DLC-KIX")
        .expect("the Kansai flight is explained");
    assert_eq!(kix.constraint, "dangerous_goods");
    assert!(kix.detail.contains("Cargo Aircraft Only"), "{kix:?}");
    assert!(
        !none.no_route_reason.contains("allowed_modes")
            || none.no_route_reason.contains("relaxing"),
        "{}",
        none.no_route_reason
    );
}

#[tokio::test]
async fn a_reefer_to_moscow_pays_its_surcharge_once_per_train() {
    let resp = answer(only(
        TransportMode::Rail,
        None,
        request("CNDLC", "RUMOW", containers(0, 1, true), Objective::Cost),
    ))
    .await;
    let route = &resp.routes[0];
    let rail: Vec<&proto::Leg> = route.legs.iter().filter(|l| !l.drayage).collect();
    assert!(rail.len() >= 3, "{rail:#?}");
    let reefer: Vec<f64> = rail.iter().map(|l| cost(l).reefer_usd).collect();
    assert!(reefer[0] > 0.0);
    assert!(reefer[1..].iter().all(|r| *r == 0.0), "{reefer:?}");
    assert_eq!(route.cost.unwrap().reefer_usd, reefer[0]);
    // One consignment note for the train, not one per segment.
    let docs: f64 = rail.iter().map(|l| cost(l).documentation_usd).sum();
    assert_eq!(docs, cost(rail[0]).documentation_usd);
}

#[tokio::test]
async fn a_rotterdam_answer_itemises_bunker_and_half_the_eu_ets_and_says_where_it_sails() {
    let mut req = only(
        TransportMode::Sea,
        Some(0),
        request("CNDLC", "NLRTM", containers(0, 1, false), Objective::Cost),
    );
    let resp = answer(req.clone()).await;
    let leg = &resp.routes[0].legs[0];
    let c = cost(leg);
    assert!(c.bunker_usd > 0.0 && c.eu_ets_usd > 0.0, "{c:?}");
    assert!((c.surcharges_usd - (c.bunker_usd + c.eu_ets_usd + c.documentation_usd)).abs() < 1e-6);
    // China to the Netherlands is a voyage into the EU: half the ship's tank-to-wake CO2e
    // (activity x the lane's TTW factor), all of it from 2026, at EUR 75 per allowance.
    let method = leg.emission_method.clone().unwrap();
    let ttw_kg = method.activity * method.ttw_kg_per_unit;
    assert!((leg.eu_ets_km - leg.distance_km / 2.0).abs() < 1e-6);
    let expected = ttw_kg / 1000.0 * 0.5 * 1.0 * 75.0 / EUR_PER_USD;
    assert!(
        (c.eu_ets_usd - expected).abs() < 0.01 * expected,
        "{} against {expected}",
        c.eu_ets_usd
    );
    // Round the Cape while the Red Sea advisory holds, and the leg says so.
    assert!(leg.passages.iter().any(|p| p == "south_africa"));
    assert!(leg.passages.iter().all(|p| p != "suez"));
    assert!(leg.advisory.contains("Red Sea"), "{}", leg.advisory);
    // The canal when asked for, shorter and cheaper in fuel.
    req.constraints.as_mut().unwrap().ignore_passage_advisories = true;
    let canal = answer(req).await;
    let via_suez = &canal.routes[0].legs[0];
    assert!(via_suez.passages.iter().any(|p| p == "suez"));
    assert!(via_suez.distance_km < leg.distance_km);
    assert!(cost(via_suez).bunker_usd < c.bunker_usd);
}

#[tokio::test]
async fn mixed_and_high_cube_boxes_are_priced_by_type() {
    let mut shipment = containers(0, 1, false);
    if let Some(proto::shipment::Cargo::Containers(c)) = &mut shipment.cargo {
        c.boxes.push(ContainerBoxes {
            r#type: ContainerType::HighCube40.into(),
            count: 1,
        });
    }
    let sea = |shipment| {
        only(
            TransportMode::Sea,
            Some(0),
            request("CNDLC", "NLRTM", shipment, Objective::Cost),
        )
    };
    let both = answer(sea(shipment)).await;
    let one = answer(sea(containers(0, 1, false))).await;
    // The high cube pays the 40' rate plus the high-cube premium of the tariff (USD 100).
    let extra =
        cost(&both.routes[0].legs[0]).freight_usd - cost(&one.routes[0].legs[0]).freight_usd;
    let forty = cost(&one.routes[0].legs[0]).freight_usd;
    assert!((extra - (forty + 100.0)).abs() < 1e-6, "{extra} vs {forty}");
}

async fn expect_invalid(shipment: proto::Shipment, field: &str) {
    let err = routing()
        .await
        .find_routes(request("CNDLC", "KRPUS", shipment, Objective::Cost))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument, "{err:?}");
    assert!(err.message().contains(field), "{}", err.message());
}

#[tokio::test]
async fn impossible_shipments_are_invalid_arguments_naming_the_field() {
    let mut bad_class = parcel(10.0, 0.1);
    bad_class.dangerous_goods_class = 12;
    expect_invalid(bad_class, "shipment.dangerous_goods_class").await;

    let mut unknown_box = containers(0, 0, false);
    if let Some(proto::shipment::Cargo::Containers(c)) = &mut unknown_box.cargo {
        c.boxes.push(ContainerBoxes {
            r#type: 99,
            count: 1,
        });
    }
    expect_invalid(unknown_box, "shipment.containers.boxes[0].type").await;

    let mut negative_box = containers(0, 0, false);
    if let Some(proto::shipment::Cargo::Containers(c)) = &mut negative_box.cargo {
        c.boxes.push(ContainerBoxes {
            r#type: ContainerType::Dry20.into(),
            count: -3,
        });
    }
    expect_invalid(negative_box, "shipment.containers.boxes[0].count").await;

    // 1 m3 weighing 50 t: no cargo is that dense.
    expect_invalid(parcel(50_000.0, 1.0), "shipment.loose_cargo.volume_m3").await;

    let mut label_only = parcel(10.0, 0.1);
    label_only.cargo_aircraft_only = true;
    expect_invalid(label_only, "shipment.cargo_aircraft_only").await;
}

#[tokio::test]
async fn a_shipment_no_departure_can_take_whole_is_a_no_route_naming_keep_together() {
    let mut shipment = containers(20_000, 0, false);
    shipment.keep_together = true;
    let resp = answer(request("CNDLC", "KRPUS", shipment, Objective::Cost)).await;
    assert!(resp.routes.is_empty());
    assert!(
        resp.no_route_reason.contains("keep_together"),
        "{}",
        resp.no_route_reason
    );
}

#[tokio::test]
async fn perishables_fly_from_dalian_and_stay_off_services_without_a_cold_chain() {
    let mut seafood = parcel(300.0, 1.5);
    if let Some(proto::shipment::Cargo::LooseCargo(l)) = &mut seafood.cargo {
        l.temperature_controlled = true;
    }
    let mut req = request("CNDLC", "KRINC", seafood, Objective::Time);
    req.explain = true;
    let resp = answer(req).await;
    let fastest = &resp.routes[0];
    assert_eq!(main_modes(fastest), [TransportMode::Air]);
    // The courier takes no perishables and says why.
    assert!(resp
        .exclusions
        .iter()
        .any(|e| e.service_id == "EXPRESS-DLC-ICN" && e.constraint == "reefer"));
}
