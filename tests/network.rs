//! The network a Dalian forwarder works with, asked over gRPC on loopback: Dalian's
//! hinterland by rail and truck, the Far East landbridge, neighbouring ports joined by road,
//! the official codes, compliance flags and dated exceptions to the timetables.

mod common;

use common::*;
use freight_router::proto::{
    self, network_service_client::NetworkServiceClient, Constraints, Objective, TransportMode,
};

async fn answer(req: proto::FindRoutesRequest) -> proto::FindRoutesResponse {
    routing().await.find_routes(req).await.unwrap().into_inner()
}

fn with(mut req: proto::FindRoutesRequest, constraints: Constraints) -> proto::FindRoutesRequest {
    req.constraints = Some(constraints);
    req.max_routes = Some(10);
    // A Monday away from the holidays of calendars.toml (the first week of December).
    req.ready_at = Some(next_date(12, 1));
    req
}

fn terminal_ids(route: &proto::Route) -> Vec<String> {
    route
        .legs
        .iter()
        .flat_map(|l| [&l.from, &l.to])
        .map(|t| t.as_ref().unwrap().id.clone())
        .collect()
}

fn countries(route: &proto::Route) -> Vec<String> {
    route
        .legs
        .iter()
        .flat_map(|l| [&l.from, &l.to])
        .map(|t| t.as_ref().unwrap().country_code.clone())
        .collect()
}

/// Published railway lengths (network-data/SOURCES.md): Dalian-Shenyang 383 km and
/// Dalian-Harbin 904 km (Harbin-Dalian high-speed railway km-posts; the conventional line is
/// a few per cent longer).
#[tokio::test]
async fn dalian_to_shenyang_and_harbin_by_rail_over_their_real_distances() {
    for (city, published_km) in [("CNSHY", 383.0), ("CNHRN", 904.0)] {
        let req = with(
            request("CNDLC", city, containers(1, 0, false), Objective::Cost),
            Constraints {
                allowed_modes: vec![TransportMode::Rail.into()],
                ..Default::default()
            },
        );
        let resp = answer(req).await;
        let route = resp
            .routes
            .first()
            .unwrap_or_else(|| panic!("no rail route to {city}"));
        let rail: Vec<&proto::Leg> = route.legs.iter().filter(|l| !l.drayage).collect();
        assert_eq!(
            rail.len(),
            1,
            "one train from the port to {city}: {:?}",
            terminal_ids(route)
        );
        assert_eq!(
            rail[0].from.as_ref().unwrap().id,
            "CNDLC-PORT",
            "the train loads at the Dayaowan terminal (on-dock rail), not after a truck"
        );
        let km = rail[0].distance_km;
        assert!(
            (km - published_km).abs() / published_km <= 0.10,
            "{city}: {km:.0} km by rail against {published_km} km published"
        );
        // A truck runs the same corridor, on the expressway (375 km to Shenyang).
        let by_road = answer(with(
            request("CNDLC", city, containers(1, 0, false), Objective::Cost),
            Constraints {
                allowed_modes: vec![TransportMode::Road.into()],
                ..Default::default()
            },
        ))
        .await;
        let truck = &by_road.routes.first().expect("a truck route").legs[0];
        assert_eq!(truck.mode, TransportMode::Road as i32);
        assert!(
            truck.distance_km < published_km * 1.25,
            "{city}: {} km by road",
            truck.distance_km
        );
    }
}

#[tokio::test]
async fn shenyang_to_busan_goes_through_dalian() {
    let resp = answer(with(
        request("CNSHY", "KRPUS", containers(1, 0, false), Objective::Cost),
        Constraints::default(),
    ))
    .await;
    let cheapest = resp.routes.first().expect("a route");
    assert!(
        terminal_ids(cheapest).iter().any(|t| t == "CNDLC-PORT"),
        "{:?}",
        terminal_ids(cheapest)
    );
    let km: f64 = cheapest.legs.iter().map(|l| l.distance_km).sum();
    assert!(km < 1_800.0, "Shenyang-Busan over {km:.0} km");
}

#[tokio::test]
async fn moscow_without_manzhouli_goes_by_the_far_east_landbridge_within_thirty_days() {
    let resp = answer(with(
        request("CNDLC", "RUMOW", containers(0, 1, false), Objective::Time),
        Constraints {
            avoid_locations: vec!["CNMLX".into()],
            ..Default::default()
        },
    ))
    .await;
    assert!(!resp.routes.is_empty(), "{}", resp.no_route_reason);
    for route in &resp.routes {
        let ids = terminal_ids(route);
        assert!(!ids.iter().any(|t| t.starts_with("CNMLX")), "{ids:?}");
        let eu = ["PL", "DE", "NL"];
        assert!(
            !countries(route).iter().any(|c| eu.contains(&c.as_str())),
            "Moscow by way of the EU: {ids:?}"
        );
    }
    let fastest = &resp.routes[0];
    assert!(
        total_hours(fastest) < 30.0 * 24.0,
        "{} days",
        total_hours(fastest) / 24.0
    );
    // The landbridge from the Russian Pacific ports is among the answers, also within 30 days.
    let landbridge = resp
        .routes
        .iter()
        .find(|r| {
            r.legs
                .iter()
                .any(|l| ["RAIL-VVO-MOW", "RAIL-VYP-MOW"].contains(&l.service_id.as_str()))
        })
        .expect("a Vladivostok or Vostochny train to Moscow");
    assert!(total_hours(landbridge) < 30.0 * 24.0);
    // The long haul is a Trans-Siberian train from a Russian Pacific port or border station.
    let train = fastest
        .legs
        .iter()
        .find(|l| l.to.as_ref().unwrap().id == "RUMOW-RAIL")
        .expect("a train into Moscow");
    assert!(train.distance_km > 8_000.0, "{} km", train.distance_km);
    assert!(
        ["RU", "CN"].contains(&train.from.as_ref().unwrap().country_code.as_str()),
        "{:?}",
        train.from
    );
    // The Russian legs carry the compliance flag, and the route lists it once.
    assert_eq!(
        fastest
            .compliance_flags
            .iter()
            .filter(|f| f.id == "russia-eu-sanctions")
            .count(),
        1,
        "{:?}",
        fastest.compliance_flags
    );
}

#[tokio::test]
async fn a_container_discharged_in_yokohama_reaches_tokyo_by_truck() {
    let resp = answer(with(
        request(
            "JPYOK-PORT",
            "JPTYO",
            containers(1, 0, false),
            Objective::Cost,
        ),
        Constraints::default(),
    ))
    .await;
    let route = resp.routes.first().expect("Yokohama to Tokyo");
    let truck = &route.legs[0];
    assert_eq!(truck.mode, TransportMode::Road as i32);
    assert!(
        !truck.drayage,
        "a truck between two cities, not drayage inside one"
    );
    assert!(truck.distance_km < 50.0, "{} km", truck.distance_km);
    // Gate to gate: the truck pays no terminal handling of its own.
    assert_eq!(truck.cost.as_ref().unwrap().handling_usd, 0.0);
}

#[tokio::test]
async fn the_official_codes_resolve() {
    let mut network = NetworkServiceClient::new(channel().await);
    // UN/LOCODE gives Shenyang's and Harbin's airports their own entries; the city codes are
    // CNSHY and CNHRN. Either reaches the city.
    for (code, city) in [
        ("CNSHE", "CNSHY"),
        ("CNHRB", "CNHRN"),
        ("CNCGQ", "CNCGC"),
        ("CNSHY", "CNSHY"),
    ] {
        let location = network
            .get_location(proto::GetLocationRequest { code: code.into() })
            .await
            .unwrap_or_else(|s| panic!("{code}: {}", s.message()))
            .into_inner()
            .location
            .unwrap();
        assert_eq!(location.locode, city, "{code}");
        let resp = answer(with(
            request("CNDLC", code, parcel(200.0, 1.0), Objective::Cost),
            Constraints::default(),
        ))
        .await;
        assert!(
            !resp.routes.is_empty(),
            "Dalian to {code}: {}",
            resp.no_route_reason
        );
    }
    // The codes the data had invented are gone.
    for code in ["RUGDK", "KPNJN", "KPSNU", "PLMAL"] {
        let status = network
            .get_location(proto::GetLocationRequest { code: code.into() })
            .await
            .unwrap_err();
        assert_eq!(status.code(), tonic::Code::NotFound, "{code}");
    }
}

#[tokio::test]
async fn the_new_ports_and_airports_are_reachable_from_dalian() {
    let ports = [
        "KRUSN", "JPTMK", "JPMOJ", "JPSMZ", "RUVNN", "RUNJK", "DEDUI", "PLWAW", "MNULN", "KZALA",
    ];
    for destination in ports {
        let resp = answer(with(
            request(
                "CNDLC",
                destination,
                containers(1, 0, false),
                Objective::Cost,
            ),
            Constraints::default(),
        ))
        .await;
        assert!(
            !resp.routes.is_empty(),
            "{destination}: {}",
            resp.no_route_reason
        );
    }
    for airport in ["SHE", "HRB", "CGQ", "KHV", "UUS"] {
        let resp = answer(with(
            request("CNDLC", airport, parcel(100.0, 0.5), Objective::Time),
            Constraints::default(),
        ))
        .await;
        let route = resp
            .routes
            .first()
            .unwrap_or_else(|| panic!("{airport}: {}", resp.no_route_reason));
        let last = route.legs.last().unwrap();
        assert_eq!(last.to.as_ref().unwrap().iata_code, airport);
    }
}

#[tokio::test]
async fn a_leg_into_the_dprk_carries_the_sanctions_flag() {
    let resp = answer(with(
        request("CNDLC", "KPNAM", containers(1, 0, false), Objective::Cost),
        Constraints {
            include_exploratory: true,
            ..Default::default()
        },
    ))
    .await;
    let route = resp.routes.first().expect("the exploratory Nampo line");
    let last = route.legs.iter().rev().find(|l| !l.drayage).unwrap();
    let flag = last
        .compliance_flags
        .iter()
        .find(|f| f.id == "dprk-un-sanctions")
        .expect("the DPRK flag");
    assert_eq!(flag.country_codes, ["KP"]);
    assert!(
        flag.reason.contains("UN Security Council"),
        "{}",
        flag.reason
    );
    assert!(!flag.source.is_empty());
    // A route that stays out of flagged jurisdictions carries no flag.
    let clean = answer(with(
        request("CNDLC", "KRPUS", containers(1, 0, false), Objective::Cost),
        Constraints::default(),
    ))
    .await;
    assert!(clean.routes[0].compliance_flags.is_empty());
}

/// A service's own dated exception (a blank sailing, as a carrier's schedule lists it) moves
/// the cargo to the next sailing, however far: the answer is that week's timetable.
#[tokio::test]
async fn a_blank_sailing_moves_the_cargo_to_the_next_departure() {
    // Ready on a Wednesday, after the bundled Tuesday sailing to Niigata has left.
    let ready = next_weekday(jiff::civil::Weekday::Wednesday);
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    let wednesday = jiff::Timestamp::from_second(ready.seconds)
        .unwrap()
        .to_zoned(tz)
        .date();
    let thursday = wednesday.tomorrow().unwrap().to_string();
    let line = |closed: Vec<proto::DateRange>| proto::ServiceDefinition {
        id: "SEA-DLC-KIJ-WEEKLY".into(),
        name: "Dalian - Niigata weekly (test)".into(),
        mode: TransportMode::Sea.into(),
        from: "CNDLC-PORT".into(),
        to: "JPKIJ-PORT".into(),
        days: vec!["thu".into()],
        departure_time: "18:00".into(),
        cutoff_hours: 24.0,
        speed_kn: Some(16.0),
        capacity_teu: Some(500.0),
        // Cheaper than any other way to Niigata, so it is always in the answer.
        rate: Some(proto::ServiceRateDefinition {
            as_of: "2026-01-01".into(),
            base_per_20ft: Some(10.0),
            per_20ft_km: Some(0.0),
            base_per_40ft: Some(15.0),
            per_40ft_km: Some(0.0),
            ..Default::default()
        }),
        source: "E-scenario-examples".into(),
        closed,
        ..Default::default()
    };
    let mut departures = Vec::new();
    for closed in [
        Vec::new(),
        vec![proto::DateRange {
            from_date: thursday.clone(),
            until_date: thursday.clone(),
        }],
    ] {
        let created = create_scenario(
            channel().await,
            proto::ScenarioDefinition {
                name: format!("blank sailing test {}", closed.len()),
                added_services: vec![line(closed)],
                // The test line replaces the bundled one.
                suspensions: vec![suspended("SEA-DLC-KIJ")],
                ..Default::default()
            },
        )
        .await;
        let mut req = request("CNDLC", "JPKIJ", containers(1, 0, false), Objective::Cost);
        req.scenario_id = created.id.clone();
        req.ready_at = Some(ready);
        req.max_routes = Some(20);
        let resp = answer(req).await;
        let leg = resp
            .routes
            .iter()
            .flat_map(|r| &r.legs)
            .find(|l| l.service_id == "SEA-DLC-KIJ-WEEKLY")
            .unwrap_or_else(|| {
                panic!(
                    "the weekly line is not used: {:?}",
                    resp.routes
                        .iter()
                        .map(|r| r
                            .legs
                            .iter()
                            .map(|l| l.service_id.as_str())
                            .collect::<Vec<_>>())
                        .collect::<Vec<_>>()
                )
            });
        departures.push(leg.departure_time.unwrap().seconds);
    }
    assert_eq!(
        departures[1] - departures[0],
        7 * 86_400,
        "the blanked Thursday sends the cargo to the next week's sailing"
    );
}
