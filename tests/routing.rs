//! Routes users ask for, over gRPC on loopback against the bundled network.

mod common;

use common::*;
use freight_router::proto::{
    find_routes_batch_response, Constraints, FindRoutesBatchRequest, Objective, RouteLabel,
    TransportMode,
};

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
    // A fixed ready time: what is cheapest for 20 kg depends on it (the express courier at
    // $100 undercuts LCL's fixed fees, and is also the fastest once the day's flight is gone),
    // so the comparison is with the best the sea offers, not with the cheapest route.
    let ready = next_weekday(jiff::civil::Weekday::Tuesday);
    let mut fastest = request("CNDLC", "KRPUS", parcel(20.0, 0.1), Objective::Time);
    fastest.ready_at = Some(ready);
    let resp = client.find_routes(fastest).await.unwrap().into_inner();
    let best = &resp.routes[0];
    assert!(main_modes(best).contains(&TransportMode::Air), "{best:#?}");
    let mut by_sea = request("CNDLC", "KRPUS", parcel(20.0, 0.1), Objective::Time);
    by_sea.ready_at = Some(ready);
    by_sea.constraints = Some(Constraints {
        allowed_modes: vec![TransportMode::Sea.into(), TransportMode::Road.into()],
        ..Default::default()
    });
    let sea = client.find_routes(by_sea).await.unwrap().into_inner();
    assert!(
        total_hours(best) < total_hours(&sea.routes[0]),
        "air {} h, sea {} h",
        total_hours(best),
        total_hours(&sea.routes[0])
    );
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
        // Carriers sail round the Cape while the Red Sea advisory holds; ask for the canal.
        ignore_passage_advisories: true,
        ..Default::default()
    });
    req.max_routes = Some(10);
    // In the Northern Sea Route's season, so that only include_exploratory decides.
    req.ready_at = Some(next_date(8, 2));
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
        let mut req = request("CNDLC", "JPTYO", parcel(300.0, 1.5), objective);
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

#[tokio::test]
async fn dalian_to_busan_departures_follow_the_timetable() {
    // SEA-DLC-PUS sails Tuesdays and Fridays at 18:00 Dalian time with a 24 h cut-off.
    let mut client = routing().await;
    let mut departures = Vec::new();
    for ready in [
        jiff::civil::Weekday::Monday,
        jiff::civil::Weekday::Wednesday,
    ] {
        let mut req = request("CNDLC", "KRPUS", containers(1, 0, false), Objective::Cost);
        req.ready_at = Some(next_weekday(ready));
        req.constraints = Some(Constraints {
            allowed_modes: vec![TransportMode::Sea.into()],
            max_transfers: Some(0),
            ..Default::default()
        });
        let resp = client.find_routes(req.clone()).await.unwrap().into_inner();
        let leg = &resp.routes[0].legs[0];
        assert_eq!(leg.service_id, "SEA-DLC-PUS");
        assert_eq!(leg.departure_time_zone, "Asia/Shanghai");
        let departure = leg.departure_time.unwrap();
        let waited = departure.seconds - req.ready_at.unwrap().seconds;
        assert!(waited >= 24 * 3600, "cut-off respected: waited {waited} s");
        assert_eq!(
            resp.routes[0].ready_at.unwrap().seconds,
            req.ready_at.unwrap().seconds
        );
        departures.push(local_weekday_hour(&departure, 8));
    }
    assert_eq!(
        departures,
        [
            (jiff::civil::Weekday::Tuesday, 18),
            (jiff::civil::Weekday::Friday, 18)
        ]
    );
}

#[tokio::test]
async fn the_arctic_route_is_offered_in_august_and_not_in_january() {
    let mut client = routing().await;
    let mut req = request("CNDLC", "NLRTM", containers(1, 0, false), Objective::Cost);
    req.constraints = Some(Constraints {
        allowed_modes: vec![TransportMode::Sea.into()],
        include_exploratory: true,
        ..Default::default()
    });
    req.max_routes = Some(10);
    req.explain = true;
    let uses_arctic = |r: &freight_router::proto::Route| {
        r.legs
            .iter()
            .any(|l| l.passages.iter().any(|p| p == "bering"))
    };

    req.ready_at = Some(next_date(8, 2));
    let august = client.find_routes(req.clone()).await.unwrap().into_inner();
    assert!(august.routes.iter().any(uses_arctic), "{august:#?}");

    req.ready_at = Some(next_date(1, 10));
    let january = client.find_routes(req).await.unwrap().into_inner();
    assert!(!january.routes.is_empty(), "Suez still sails in January");
    assert!(!january.routes.iter().any(uses_arctic));
    let season = january
        .exclusions
        .iter()
        .find(|e| e.service_id == "SEA-DLC-RTM-NSR")
        .expect("the explanation names the Arctic service");
    assert_eq!(season.constraint, "season");
    assert!(season.detail.contains("06-20..10-31"), "{}", season.detail);
}

#[tokio::test]
async fn dalian_to_tokyo_pareto_set_has_sea_and_air_and_no_dominated_route() {
    let mut client = routing().await;
    let mut req = request("CNDLC", "JPTYO", parcel(300.0, 1.5), Objective::Cost);
    req.max_routes = Some(20);
    let resp = client.find_routes(req).await.unwrap().into_inner();
    let modes: Vec<_> = resp.routes.iter().map(main_modes).collect();
    assert!(modes
        .iter()
        .any(|m| m.iter().all(|x| *x == TransportMode::Sea)));
    assert!(modes.iter().any(|m| m.contains(&TransportMode::Air)));
    let key = |r: &freight_router::proto::Route| {
        (r.arrival_time.unwrap().seconds, total_usd(r), r.co2_kg)
    };
    for a in &resp.routes {
        for b in &resp.routes {
            let (ka, kb) = (key(a), key(b));
            let dominates = kb.0 <= ka.0 && kb.1 <= ka.1 && kb.2 <= ka.2 && kb != ka;
            assert!(!dominates, "{ka:?} is dominated by {kb:?}");
        }
    }
    let labels: Vec<i32> = resp.routes.iter().flat_map(|r| r.labels.clone()).collect();
    for l in [
        RouteLabel::Fastest,
        RouteLabel::Cheapest,
        RouteLabel::LowestCo2,
        RouteLabel::Balanced,
    ] {
        assert_eq!(
            labels.iter().filter(|x| **x == l as i32).count(),
            1,
            "{l:?}"
        );
    }
}

#[tokio::test]
async fn avoiding_bab_el_mandeb_sends_dalian_rotterdam_round_the_cape() {
    let mut client = routing().await;
    let mut req = request("CNDLC", "NLRTM", containers(1, 0, false), Objective::Cost);
    req.constraints = Some(Constraints {
        allowed_modes: vec![TransportMode::Sea.into()],
        max_transfers: Some(0),
        ignore_passage_advisories: true,
        ..Default::default()
    });
    let suez = client.find_routes(req.clone()).await.unwrap().into_inner();
    let suez_km = sea_km(&suez.routes[0]);
    req.constraints.as_mut().unwrap().avoid_passages = vec!["babalmandab".to_string()];
    let cape = client.find_routes(req).await.unwrap().into_inner();
    let route = &cape.routes[0];
    assert!(sea_km(route) > suez_km, "{} vs {suez_km}", sea_km(route));
    for leg in &route.legs {
        assert!(!leg
            .passages
            .iter()
            .any(|p| p == "babalmandab" || p == "suez"));
    }
    assert!(route.legs[0].repathed);
    assert!(
        route.legs[0].passages.iter().any(|p| p == "south_africa"),
        "{:?}",
        route.legs[0].passages
    );
}

#[tokio::test]
async fn no_route_before_deliver_by_reports_the_earliest_arrival() {
    let mut client = routing().await;
    let mut req = request("CNDLC", "NLRTM", containers(1, 0, false), Objective::Cost);
    let ready = next_weekday(jiff::civil::Weekday::Monday);
    req.ready_at = Some(ready);
    req.constraints = Some(Constraints {
        deliver_by: Some(prost_types::Timestamp {
            seconds: ready.seconds + 3 * 86_400,
            nanos: 0,
        }),
        ..Default::default()
    });
    let resp = client.find_routes(req).await.unwrap().into_inner();
    assert!(resp.routes.is_empty());
    assert!(
        resp.no_route_reason.contains("deliver_by"),
        "{}",
        resp.no_route_reason
    );
    let earliest = resp.earliest_arrival.expect("earliest arrival reported");
    assert!(earliest.seconds > ready.seconds + 3 * 86_400);
}

#[tokio::test]
async fn a_batch_streams_one_answer_per_request() {
    let mut client = routing().await;
    let items = vec![
        (
            "busan",
            request("CNDLC", "KRPUS", containers(1, 0, false), Objective::Cost),
        ),
        (
            "tokyo",
            request("CNDLC", "JPTYO", containers(1, 0, false), Objective::Time),
        ),
        (
            "nowhere",
            request("CNDLC", "XXNOP", containers(1, 0, false), Objective::Cost),
        ),
    ];
    let outbound = tokio_stream::iter(items.into_iter().map(|(id, r)| FindRoutesBatchRequest {
        request_id: id.to_string(),
        request: Some(r),
    }));
    let mut stream = client
        .find_routes_batch(outbound)
        .await
        .unwrap()
        .into_inner();
    let mut answers = std::collections::BTreeMap::new();
    while let Some(item) = stream.message().await.unwrap() {
        answers.insert(item.request_id.clone(), item.result.unwrap());
    }
    assert_eq!(answers.len(), 3);
    for id in ["busan", "tokyo"] {
        match &answers[id] {
            find_routes_batch_response::Result::Response(r) => assert!(!r.routes.is_empty()),
            other => panic!("{id}: {other:?}"),
        }
    }
    match &answers["nowhere"] {
        find_routes_batch_response::Result::Error(e) => {
            assert_eq!(e.code, tonic::Code::NotFound as i32);
            assert!(e.message.contains("XXNOP"), "{}", e.message);
        }
        other => panic!("{other:?}"),
    }
}
