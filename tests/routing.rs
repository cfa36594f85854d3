//! Routes users ask for, over gRPC on loopback against the bundled network.

mod common;

use common::*;
use freight_router::proto::{Constraints, Objective, TransportMode};

#[tokio::test]
async fn cheapest_dalian_to_busan_goes_by_sea() {
    let mut client = routing().await;
    let resp = client
        .find_routes(request(
            "CNDLC",
            "KRPUS",
            containers(2, 0, false),
            Objective::Cost,
        ))
        .await
        .unwrap()
        .into_inner();
    let best = &resp.routes[0];
    assert_eq!(main_modes(best), [TransportMode::Sea], "{best:#?}");
    assert!(resp
        .routes
        .windows(2)
        .all(|w| total_usd(&w[0]) <= total_usd(&w[1])));
    let leg = &best.legs[0];
    assert!(
        leg.distance_nm > 400.0 && leg.distance_nm < 700.0,
        "Dalian-Busan {} nm",
        leg.distance_nm
    );
    assert!(leg.path.len() > 2, "the sea leg follows the lanes");
    assert!(best.co2_kg > 0.0);
}

#[tokio::test]
async fn fastest_dalian_to_busan_for_a_small_parcel_flies() {
    let mut client = routing().await;
    let resp = client
        .find_routes(request(
            "CNDLC",
            "KRPUS",
            parcel(20.0, 0.1),
            Objective::Time,
        ))
        .await
        .unwrap()
        .into_inner();
    let best = &resp.routes[0];
    assert!(main_modes(best).contains(&TransportMode::Air), "{best:#?}");
    let sea = client
        .find_routes(request(
            "CNDLC",
            "KRPUS",
            parcel(20.0, 0.1),
            Objective::Cost,
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(total_hours(best) < total_hours(&sea.routes[0]));
}

#[tokio::test]
async fn dalian_to_tokyo_sea_is_cheapest_and_air_is_fastest() {
    let mut client = routing().await;
    let cheap = client
        .find_routes(request(
            "CNDLC",
            "JPTYO",
            containers(1, 0, false),
            Objective::Cost,
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(main_modes(&cheap.routes[0])
        .iter()
        .all(|m| *m == TransportMode::Sea));
    let fast = client
        .find_routes(request(
            "CNDLC",
            "JPTYO",
            parcel(50.0, 0.3),
            Objective::Time,
        ))
        .await
        .unwrap()
        .into_inner();
    let best = &fast.routes[0];
    assert_eq!(main_modes(best), [TransportMode::Air]);
    let arrival = best.legs.last().unwrap().to.as_ref().unwrap();
    assert!(
        ["NRT", "HND"].contains(&arrival.iata_code.as_str()),
        "{arrival:?}"
    );
}

#[tokio::test]
async fn dalian_to_vladivostok_by_sea_and_by_rail() {
    let mut client = routing().await;
    let by = |mode: TransportMode| {
        let mut req = request("CNDLC", "RUVVO", containers(2, 0, false), Objective::Cost);
        req.constraints = Some(Constraints {
            allowed_modes: vec![mode.into()],
            ..Default::default()
        });
        req
    };
    let sea = client
        .find_routes(by(TransportMode::Sea))
        .await
        .unwrap()
        .into_inner();
    let rail = client
        .find_routes(by(TransportMode::Rail))
        .await
        .unwrap()
        .into_inner();
    let (sea, rail) = (&sea.routes[0], &rail.routes[0]);
    assert!(main_modes(sea).iter().all(|m| *m == TransportMode::Sea));
    assert!(main_modes(rail).iter().all(|m| *m == TransportMode::Rail));
    // Rail crosses the China-Russia border: customs time and fees, a gauge change.
    let border = rail.time.as_ref().unwrap().border.as_ref().unwrap().seconds;
    assert!(
        border > 0 && rail.cost.as_ref().unwrap().border_usd > 0.0,
        "{rail:#?}"
    );
    assert_eq!(
        sea.time.as_ref().unwrap().border.as_ref().unwrap().seconds,
        0
    );
    assert_ne!(total_usd(sea), total_usd(rail));
    // Unconstrained, the cheaper of the two wins.
    let best = client
        .find_routes(request(
            "CNDLC",
            "RUVVO",
            containers(2, 0, false),
            Objective::Cost,
        ))
        .await
        .unwrap()
        .into_inner();
    assert!((total_usd(&best.routes[0]) - total_usd(sea).min(total_usd(rail))).abs() < 1.0);
}

#[tokio::test]
async fn dalian_to_rotterdam_goes_via_suez_unless_exploratory_lines_are_allowed() {
    let mut client = routing().await;
    let mut req = request("CNDLC", "NLRTM", containers(0, 1, false), Objective::Cost);
    req.constraints = Some(Constraints {
        allowed_modes: vec![TransportMode::Sea.into()],
        ..Default::default()
    });
    req.max_routes = Some(10);
    let default = client.find_routes(req.clone()).await.unwrap().into_inner();
    assert!(!default.routes.is_empty());
    for r in &default.routes {
        assert!(!r.exploratory);
        assert!(r
            .legs
            .iter()
            .all(|l| !l.passages.iter().any(|p| p == "bering" || p == "northwest")));
    }
    let suez = &default.routes[0];
    assert!(
        suez.legs
            .iter()
            .any(|l| l.passages.iter().any(|p| p == "suez")),
        "{suez:#?}"
    );

    req.constraints.as_mut().unwrap().include_exploratory = true;
    let with_arctic = client.find_routes(req).await.unwrap().into_inner();
    let arctic = with_arctic
        .routes
        .iter()
        .find(|r| {
            r.legs
                .iter()
                .any(|l| l.passages.iter().any(|p| p == "bering"))
        })
        .expect("the Northern Sea Route is offered with include_exploratory");
    assert!(arctic.exploratory);
    assert!(arctic.legs.iter().any(|l| !l.exploratory_reason.is_empty()));
    assert!(
        sea_km(arctic) < sea_km(suez),
        "NSR {} km vs Suez {} km",
        sea_km(arctic),
        sea_km(suez)
    );
}

#[tokio::test]
async fn max_transfers_and_avoided_countries_shape_the_answer() {
    let mut client = routing().await;
    let mut req = request("CNDLC", "DEHAM", containers(1, 0, false), Objective::Cost);
    req.constraints = Some(Constraints {
        allowed_modes: vec![TransportMode::Rail.into()],
        ..Default::default()
    });
    let rail = client.find_routes(req.clone()).await.unwrap().into_inner();
    assert!(!rail.routes.is_empty(), "{}", rail.no_route_reason);
    assert!(rail.routes[0].transfers >= 2);
    req.constraints.as_mut().unwrap().avoid_countries = vec!["RU".into()];
    let none = client.find_routes(req).await.unwrap().into_inner();
    assert!(none.routes.is_empty());
    assert!(
        none.no_route_reason.contains("avoid"),
        "{}",
        none.no_route_reason
    );

    let mut req = request("CNDLC", "RUMOW", containers(1, 0, false), Objective::Cost);
    req.constraints = Some(Constraints {
        max_transfers: Some(0),
        ..Default::default()
    });
    let direct = client.find_routes(req).await.unwrap().into_inner();
    assert!(direct.routes.is_empty());
    assert!(
        direct.no_route_reason.contains("max_transfers"),
        "{}",
        direct.no_route_reason
    );
}

#[tokio::test]
async fn exploratory_destinations_need_include_exploratory() {
    let mut client = routing().await;
    let mut req = request("CNDLC", "KPNAM", containers(1, 0, false), Objective::Cost);
    let none = client.find_routes(req.clone()).await.unwrap().into_inner();
    assert!(none.routes.is_empty());
    assert!(
        none.no_route_reason.contains("include_exploratory"),
        "{}",
        none.no_route_reason
    );
    req.constraints = Some(Constraints {
        include_exploratory: true,
        ..Default::default()
    });
    let some = client.find_routes(req).await.unwrap().into_inner();
    assert!(some.routes[0].exploratory);
}

#[tokio::test]
async fn every_objective_ranks_by_its_own_measure() {
    let mut client = routing().await;
    for (objective, measure) in [
        (Objective::Cost, total_usd as fn(&_) -> f64),
        (Objective::Time, total_hours),
        (Objective::Co2, |r: &freight_router::proto::Route| r.co2_kg),
        (
            Objective::GeneralizedCost,
            |r: &freight_router::proto::Route| r.generalized_cost_usd,
        ),
    ] {
        let mut req = request("CNDLC", "JPTYO", containers(1, 0, false), objective);
        req.max_routes = Some(5);
        let resp = client.find_routes(req).await.unwrap().into_inner();
        assert!(resp.routes.len() >= 2, "{objective:?}");
        let values: Vec<f64> = resp.routes.iter().map(measure).collect();
        assert!(
            values.windows(2).all(|w| w[0] <= w[1] + 1e-6),
            "{objective:?}: {values:?}"
        );
    }
}
