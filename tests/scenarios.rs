//! Port-office scenarios over gRPC: overlays that leave the base network alone, persistence
//! across restarts and crashes, comparison over the demand matrix, and who may write.

mod common;

use std::path::PathBuf;

use common::*;
use freight_router::proto::{self, scenario_service_client::ScenarioServiceClient};
use freight_router::scenario::SqliteStore;
use tonic::Code;

fn example(file: &str) -> proto::ScenarioDefinition {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/scenarios")
        .join(file);
    freight_router::client::read_scenario_file(&path).expect("example scenario parses")
}

/// The Dalian-Niigata RoRo example under a name unique to the test.
fn roro(name: &str) -> proto::ScenarioDefinition {
    proto::ScenarioDefinition {
        name: name.to_string(),
        ..example("dalian-niigata-roro.toml")
    }
}

async fn create(
    client: &mut ScenarioServiceClient<tonic::transport::Channel>,
    definition: proto::ScenarioDefinition,
) -> proto::Scenario {
    client
        .create_scenario(authorized(
            proto::CreateScenarioRequest {
                definition: Some(definition),
                ..Default::default()
            },
            PLANNER_TOKEN,
        ))
        .await
        .expect("scenario created")
        .into_inner()
        .scenario
        .unwrap()
}

fn services(route: &proto::Route) -> Vec<String> {
    route
        .legs
        .iter()
        .filter(|l| !l.drayage)
        .map(|l| l.service_id.clone())
        .collect()
}

fn terminals(route: &proto::Route) -> Vec<String> {
    route
        .legs
        .iter()
        .flat_map(|l| {
            [
                l.from.as_ref().unwrap().id.clone(),
                l.to.as_ref().unwrap().id.clone(),
            ]
        })
        .collect()
}

fn niigata_by_sea(scenario_id: &str) -> proto::FindRoutesRequest {
    proto::FindRoutesRequest {
        constraints: Some(proto::Constraints {
            allowed_modes: vec![proto::TransportMode::Sea.into()],
            ..Default::default()
        }),
        // Ready on a Wednesday: the base line sails Tuesdays, the RoRo Fridays.
        ready_at: Some(next_weekday(jiff::civil::Weekday::Wednesday)),
        max_routes: Some(1),
        scenario_id: scenario_id.to_string(),
        co2_basis: 0,
        ..request(
            "CNDLC",
            "JPKIJ",
            containers(2, 0, false),
            proto::Objective::Time,
        )
    }
}

#[tokio::test]
async fn a_weekly_dalian_niigata_roro_is_faster_in_its_scenario_and_the_base_is_unchanged() {
    let mut routing = routing().await;
    let base_before = routing
        .find_routes(niigata_by_sea(""))
        .await
        .unwrap()
        .into_inner();
    let scenario = create(&mut scenarios().await, roro("niigata-faster")).await;
    assert_eq!(scenario.state, proto::ScenarioState::Ready as i32);
    assert_eq!(
        scenario.added_service_ids,
        ["SEA-DLC-KIJ-RORO", "SEA-DLC-KIJ-RORO-R"]
    );

    let with = routing
        .find_routes(niigata_by_sea(&scenario.id))
        .await
        .unwrap()
        .into_inner();
    let base_after = routing
        .find_routes(niigata_by_sea(""))
        .await
        .unwrap()
        .into_inner();
    let (new_route, old_route) = (&with.routes[0], &base_before.routes[0]);
    assert_eq!(services(new_route), ["SEA-DLC-KIJ-RORO"]);
    assert!(
        total_hours(new_route) < total_hours(old_route),
        "scenario {} h, base {} h",
        total_hours(new_route),
        total_hours(old_route)
    );
    assert_eq!(base_after, base_before, "the base answer must not change");
    assert!(!services(&base_after.routes[0]).contains(&"SEA-DLC-KIJ-RORO".to_string()));
}

#[tokio::test]
async fn closing_the_manzhouli_crossing_moves_dalian_moscow_to_another_corridor() {
    let ready = next_date(3, 3);
    let day = |offset: i64| {
        jiff::Timestamp::from_second(ready.seconds + offset * 86_400)
            .unwrap()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
            .to_string()
    };
    let closure = proto::ScenarioDefinition {
        name: "manzhouli-closed".into(),
        suspensions: vec![proto::Suspension {
            service_id: "RAIL-MLX-ZBK".into(),
            from_date: day(-1),
            until_date: day(60),
            reason: "test".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let scenario = create(&mut scenarios().await, closure).await;
    let query = |scenario_id: &str| proto::FindRoutesRequest {
        ready_at: Some(ready),
        max_routes: Some(1),
        scenario_id: scenario_id.to_string(),
        co2_basis: 0,
        ..request(
            "CNDLC",
            "RUMOW",
            containers(1, 0, false),
            proto::Objective::Cost,
        )
    };
    let mut routing = routing().await;
    let base = routing.find_routes(query("")).await.unwrap().into_inner();
    let closed = routing
        .find_routes(query(&scenario.id))
        .await
        .unwrap()
        .into_inner();
    assert!(terminals(&base.routes[0]).contains(&"CNMLX-RAIL".to_string()));
    let moved = &closed
        .routes
        .first()
        .expect("another corridor exists")
        .clone();
    assert!(
        !terminals(moved).contains(&"CNMLX-RAIL".to_string()),
        "{:?}",
        services(moved)
    );
    assert!(!services(moved)
        .iter()
        .any(|s| s.starts_with("RAIL-MLX-ZBK")));
    // After the closure the crossing is back.
    let later = proto::FindRoutesRequest {
        ready_at: Some(prost_types::Timestamp {
            seconds: ready.seconds + 70 * 86_400,
            nanos: 0,
        }),
        ..query(&scenario.id)
    };
    let reopened = routing.find_routes(later).await.unwrap().into_inner();
    assert!(terminals(&reopened.routes[0]).contains(&"CNMLX-RAIL".to_string()));
}

#[tokio::test]
async fn comparing_over_the_demand_matrix_reports_the_pairs_that_switch_to_the_new_line() {
    let mut client = scenarios().await;
    let scenario = create(&mut client, roro("niigata-compare")).await;
    let mut stream = client
        .compare_scenario(proto::CompareScenarioRequest {
            scenario_id: scenario.id.clone(),
            ready_from: Some(next_weekday(jiff::civil::Weekday::Monday)),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let (mut pairs, mut summary) = (Vec::new(), None);
    while let Some(message) = stream.message().await.unwrap() {
        assert!(summary.is_none(), "the summary comes last");
        match message.result.unwrap() {
            proto::compare_scenario_response::Result::Pair(p) => pairs.push(p),
            proto::compare_scenario_response::Result::Summary(s) => summary = Some(s),
        }
    }
    let summary = summary.expect("a summary");
    let demand_rows = std::fs::read_to_string(data_dir().join("demand.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(pairs.len(), demand_rows);
    assert_eq!(summary.pairs as usize, demand_rows);
    let switched: Vec<(String, String)> = summary
        .switched_pairs
        .iter()
        .map(|p| (p.origin.clone(), p.destination.clone()))
        .collect();
    assert!(
        switched.contains(&("CNDLC".into(), "JPKIJ".into())),
        "{switched:?}"
    );
    assert!(
        switched.iter().all(|(o, d)| o == "JPKIJ" || d == "JPKIJ"),
        "only Niigata traffic switches: {switched:?}"
    );
    for p in &pairs {
        let pair = p.pair.as_ref().unwrap();
        let touches_niigata = pair.origin == "JPKIJ" || pair.destination == "JPKIJ";
        if !touches_niigata {
            assert_eq!(
                p.base, p.scenario,
                "{} -> {} is not affected",
                pair.origin, pair.destination
            );
        }
        if p.switched_share > 0.0 {
            let s = p.scenario.as_ref().unwrap();
            assert!(s.door_to_door_hours < p.base.as_ref().unwrap().door_to_door_hours);
        }
    }
    let load = summary
        .line_loads
        .iter()
        .find(|l| l.service_id == "SEA-DLC-KIJ-RORO")
        .expect("the new line's load");
    assert!(
        load.weekly_teu > 0.0 && load.weekly_capacity_teu == 150.0,
        "{load:?}"
    );
    let attracted: f64 = pairs.iter().map(|p| p.attracted_teu_per_year).sum();
    assert!((attracted - summary.attracted_teu_per_year).abs() < 1e-6);
}

#[tokio::test]
async fn scenarios_survive_a_restart() {
    let db = temp_dir("restart").join("scenarios.db");
    let first = start_server(config(db.clone()));
    let mut client = ScenarioServiceClient::new(channel_to(first.addr).await);
    let created = create(&mut client, roro("kept")).await;
    first.stop().await;

    let second = start_server(config(db));
    let channel = channel_to(second.addr).await;
    let got = ScenarioServiceClient::new(channel.clone())
        .get_scenario(proto::GetScenarioRequest {
            scenario_id: created.id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .scenario
        .unwrap();
    assert_eq!(got.definition, created.definition);
    assert_eq!(
        (got.version, got.state),
        (1, proto::ScenarioState::Ready as i32)
    );
    let routed = proto::routing_service_client::RoutingServiceClient::new(channel)
        .find_routes(niigata_by_sea(&created.id))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(services(&routed.routes[0]), ["SEA-DLC-KIJ-RORO"]);
    second.stop().await;
}

#[tokio::test]
async fn a_stored_scenario_that_no_longer_fits_the_data_is_reported_broken() {
    let db = temp_dir("broken").join("scenarios.db");
    let store = SqliteStore::open(&db).unwrap();
    let text = "name = \"old\"\n\n[[suspend]]\nservice = \"SEA-GONE-LINE\"\n";
    let stored = store.insert("old", text, 1_800_000_000).unwrap();
    drop(store);
    let server = start_server(config(db));
    let channel = channel_to(server.addr).await;
    let list = ScenarioServiceClient::new(channel.clone())
        .list_scenarios(proto::ListScenariosRequest {
            page_size: 500,
            page_token: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    let broken = &list.scenarios[0];
    assert_eq!(broken.id, stored.id);
    assert_eq!(broken.state, proto::ScenarioState::Broken as i32);
    assert!(
        broken.problem.contains("SEA-GONE-LINE"),
        "{}",
        broken.problem
    );
    let err = proto::routing_service_client::RoutingServiceClient::new(channel)
        .find_routes(niigata_by_sea(&stored.id))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::FailedPrecondition, "{err:?}");
    assert!(err.message().contains(&stored.id));
    server.stop().await;
}

#[tokio::test]
async fn writes_need_a_planner_token() {
    let mut client = scenarios().await;
    let create_with = |token: Option<&str>| {
        let message = proto::CreateScenarioRequest {
            definition: Some(roro("auth")),
            ..Default::default()
        };
        match token {
            Some(t) => authorized(message, t),
            None => tonic::Request::new(message),
        }
    };
    for (token, code) in [
        (None, Code::Unauthenticated),
        (Some("not-a-token"), Code::Unauthenticated),
        (Some(READER_TOKEN), Code::PermissionDenied),
    ] {
        let err = client
            .create_scenario(create_with(token))
            .await
            .unwrap_err();
        assert_eq!(err.code(), code, "{token:?}: {err:?}");
        assert!(err.message().contains("authorization"), "{}", err.message());
        assert!(!err.message().contains(READER_TOKEN));
    }
    let created = client
        .create_scenario(create_with(Some(PLANNER_TOKEN)))
        .await
        .unwrap()
        .into_inner()
        .scenario
        .unwrap();
    let delete = |token: &str| {
        authorized(
            proto::DeleteScenarioRequest {
                scenario_id: created.id.clone(),
            },
            token,
        )
    };
    let err = client
        .delete_scenario(delete(READER_TOKEN))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied);
    let err = client
        .update_scenario(tonic::Request::new(proto::UpdateScenarioRequest {
            scenario_id: created.id.clone(),
            definition: Some(roro("auth")),
            expected_version: None,
            ..Default::default()
        }))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unauthenticated);
    // Reading needs no token; the failed writes changed nothing.
    let got = client
        .get_scenario(proto::GetScenarioRequest {
            scenario_id: created.id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .scenario
        .unwrap();
    assert_eq!(got.version, 1);
    client.delete_scenario(delete(PLANNER_TOKEN)).await.unwrap();
    let err = client
        .get_scenario(proto::GetScenarioRequest {
            scenario_id: created.id,
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound);
}

#[tokio::test]
async fn bad_definitions_get_invalid_argument_naming_the_field() {
    let mut client = scenarios().await;
    let service = |f: &dyn Fn(&mut proto::ServiceDefinition)| {
        let mut d = roro("bad");
        f(&mut d.added_services[0]);
        d
    };
    let inland_port = {
        let mut d = service(&|s| s.to = "MNULN-PORT".into());
        d.added_terminals.push(proto::TerminalDefinition {
            id: "MNULN-PORT".into(),
            name: "Ulaanbaatar dry port (no water)".into(),
            city: "Ulaanbaatar".into(),
            kind: proto::TerminalKind::Seaport.into(),
            locode: "MNULN".into(),
            country: "MN".into(),
            position: Some(proto::LatLng {
                latitude: 47.92,
                longitude: 106.92,
            }),
            timezone: "Asia/Ulaanbaatar".into(),
            handling_hours: 12.0,
            source: "test".into(),
            ..Default::default()
        });
        d
    };
    let cases: Vec<(proto::ScenarioDefinition, &str, &str)> = vec![
        (
            service(&|s| s.to = "JPXXX-PORT".into()),
            "definition.added_services[0]",
            "JPXXX-PORT",
        ),
        (
            service(&|s| s.days.clear()),
            "definition.added_services[0]",
            "days is empty",
        ),
        (
            inland_port,
            "definition.added_services[0]",
            "sea-lane network",
        ),
        (
            service(&|s| s.mode = 0),
            "definition.added_services[0].mode",
            "0",
        ),
        (
            service(&|s| s.id = "SEA-DLC-PUS".into()),
            "definition.added_services[0].id",
            "SEA-DLC-PUS",
        ),
        (
            proto::ScenarioDefinition {
                name: "bad-suspension".into(),
                suspensions: vec![proto::Suspension {
                    service_id: "RAIL-MLX-ZBK".into(),
                    from_date: "2027-13-01".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
            "definition.suspensions[0].from_date",
            "2027-13-01",
        ),
        (
            proto::ScenarioDefinition::default(),
            "definition.name",
            "empty",
        ),
    ];
    for (definition, field, value) in cases {
        let err = client
            .create_scenario(authorized(
                proto::CreateScenarioRequest {
                    definition: Some(definition),
                    ..Default::default()
                },
                PLANNER_TOKEN,
            ))
            .await
            .unwrap_err();
        assert_eq!(err.code(), Code::InvalidArgument, "{field}: {err:?}");
        assert!(
            err.message().starts_with(field) && err.message().contains(value),
            "{field}: {}",
            err.message()
        );
    }
}

#[tokio::test]
async fn names_are_unique_and_stale_updates_are_refused() {
    let mut client = scenarios().await;
    let created = create(&mut client, roro("unique-name")).await;
    let err = client
        .create_scenario(authorized(
            proto::CreateScenarioRequest {
                definition: Some(roro("unique-name")),
                ..Default::default()
            },
            PLANNER_TOKEN,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::AlreadyExists, "{err:?}");
    let update = |version: i64, name: &str| {
        authorized(
            proto::UpdateScenarioRequest {
                scenario_id: created.id.clone(),
                definition: Some(roro(name)),
                expected_version: Some(version),
                ..Default::default()
            },
            PLANNER_TOKEN,
        )
    };
    let updated = client
        .update_scenario(update(1, "unique-name-2"))
        .await
        .unwrap()
        .into_inner()
        .scenario
        .unwrap();
    assert_eq!(updated.version, 2);
    let err = client
        .update_scenario(update(1, "unique-name-3"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Aborted, "{err:?}");
    let err = routing()
        .await
        .find_routes(niigata_by_sea("scn-999999"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound);
    assert!(err.message().contains("scenario_id") && err.message().contains("scn-999999"));
}

/// A scenario can be written as its scenario file: the server reads the TOML (errors name the
/// field and the line), and gives the same file back.
#[tokio::test]
async fn a_scenario_is_created_and_updated_from_its_scenario_file() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/scenarios/dalian-niigata-roro.toml");
    let file = std::fs::read_to_string(path)
        .unwrap()
        .replace("Weekly Dalian-Niigata RoRo", "RoRo from its file");
    let mut client = scenarios().await;
    let created = client
        .create_scenario(authorized(
            proto::CreateScenarioRequest {
                definition_toml: file.clone(),
                ..Default::default()
            },
            PLANNER_TOKEN,
        ))
        .await
        .unwrap()
        .into_inner()
        .scenario
        .unwrap();
    assert_eq!(created.definition.unwrap().name, "RoRo from its file");
    assert_eq!(created.state, proto::ScenarioState::Ready as i32);
    assert!(created
        .added_service_ids
        .contains(&"SEA-DLC-KIJ-RORO".to_string()));

    let updated = client
        .update_scenario(authorized(
            proto::UpdateScenarioRequest {
                scenario_id: created.id.clone(),
                definition_toml: file.replace("speed_kn = 18.0", "speed_kn = 21.0"),
                expected_version: Some(created.version),
                ..Default::default()
            },
            PLANNER_TOKEN,
        ))
        .await
        .unwrap()
        .into_inner()
        .scenario
        .unwrap();
    assert_eq!(updated.version, created.version + 1);
    assert!(
        updated.definition_toml.contains("speed_kn = 21.0"),
        "{}",
        updated.definition_toml
    );

    let broken = client
        .create_scenario(authorized(
            proto::CreateScenarioRequest {
                definition_toml: "name = \"x\"\n[[service]]\nid = 7\n".into(),
                ..Default::default()
            },
            PLANNER_TOKEN,
        ))
        .await
        .unwrap_err();
    assert_eq!(broken.code(), Code::InvalidArgument);
    assert!(
        broken.message().starts_with("definition_toml"),
        "{}",
        broken.message()
    );
    assert!(broken.message().contains("line 3"), "{}", broken.message());

    let both = client
        .create_scenario(authorized(
            proto::CreateScenarioRequest {
                definition: Some(roro("both ways")),
                definition_toml: file,
            },
            PLANNER_TOKEN,
        ))
        .await
        .unwrap_err();
    assert_eq!(both.code(), Code::InvalidArgument);
    assert!(both.message().contains("not both"), "{}", both.message());
}
