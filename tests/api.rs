//! The API contract over gRPC: health, reflection, the network service, and the status codes
//! of bad requests.

mod common;

use common::*;
use freight_router::proto::{self, Constraints, Objective, TransportMode};
use tonic::Code;
use tonic_health::pb::{
    health_check_response::ServingStatus, health_client::HealthClient, HealthCheckRequest,
};
use tonic_reflection::pb::v1::{
    server_reflection_client::ServerReflectionClient, server_reflection_request::MessageRequest,
    server_reflection_response::MessageResponse, ServerReflectionRequest,
};

#[tokio::test]
async fn health_answers_serving() {
    let mut health = HealthClient::new(channel().await);
    for service in ["", "freight.v1.RoutingService", "freight.v1.NetworkService"] {
        let resp = health
            .check(HealthCheckRequest {
                service: service.to_string(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(resp.status(), ServingStatus::Serving, "{service}");
    }
    let unknown = health
        .check(HealthCheckRequest {
            service: "nope.v1.Nothing".to_string(),
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
}

#[tokio::test]
async fn reflection_lists_the_services() {
    let mut client = ServerReflectionClient::new(channel().await);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream = client
        .server_reflection_info(tokio_stream::iter(vec![request]))
        .await
        .unwrap()
        .into_inner();
    let resp = stream.message().await.unwrap().expect("one answer");
    let Some(MessageResponse::ListServicesResponse(list)) = resp.message_response else {
        panic!("unexpected reflection answer {resp:?}");
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    for expected in [
        "freight.v1.RoutingService",
        "freight.v1.NetworkService",
        "grpc.health.v1.Health",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing from {names:?}"
        );
    }
}

/// The Python reflection client and several GUI clients speak only the v1alpha protocol.
#[tokio::test]
async fn reflection_v1alpha_lists_the_services_too() {
    use tonic_reflection::pb::v1alpha::{
        server_reflection_client::ServerReflectionClient as AlphaClient,
        server_reflection_request::MessageRequest as AlphaRequest,
        server_reflection_response::MessageResponse as AlphaResponse,
        ServerReflectionRequest as AlphaReflectionRequest,
    };
    let mut client = AlphaClient::new(channel().await);
    let request = AlphaReflectionRequest {
        host: String::new(),
        message_request: Some(AlphaRequest::ListServices(String::new())),
    };
    let mut stream = client
        .server_reflection_info(tokio_stream::iter(vec![request]))
        .await
        .unwrap()
        .into_inner();
    let resp = stream.message().await.unwrap().expect("one answer");
    let Some(AlphaResponse::ListServicesResponse(list)) = resp.message_response else {
        panic!("unexpected reflection answer {resp:?}");
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    for expected in ["freight.v1.RoutingService", "freight.v1.ScenarioService"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing from {names:?}"
        );
    }
}

#[tokio::test]
async fn locations_page_through_the_whole_network() {
    let mut client = network().await;
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let page = client
            .list_locations(proto::ListLocationsRequest {
                country_code: String::new(),
                page_size: 7,
                page_token: token,
            })
            .await
            .unwrap()
            .into_inner();
        assert!(page.locations.len() <= 7);
        seen.extend(page.locations.into_iter().map(|l| l.locode));
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "pages are ordered and do not repeat");
    assert!(seen.contains(&"CNDLC".to_string()) && seen.len() > 30);

    let korea = client
        .list_locations(proto::ListLocationsRequest {
            country_code: "kr".into(),
            page_size: 0,
            page_token: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(korea.locations.iter().all(|l| l.country_code == "KR") && !korea.locations.is_empty());
}

#[tokio::test]
async fn a_location_is_found_by_locode_iata_or_terminal_id() {
    let mut client = network().await;
    for code in ["JPTYO", "NRT", "jptyo-port"] {
        let loc = client
            .get_location(proto::GetLocationRequest { code: code.into() })
            .await
            .unwrap()
            .into_inner()
            .location
            .unwrap();
        assert_eq!(loc.locode, "JPTYO", "{code}");
        assert!(loc.terminals.iter().any(|t| t.iata_code == "NRT"));
        assert!(loc
            .terminals
            .iter()
            .any(|t| t.kind == proto::TerminalKind::Seaport as i32));
    }
    let err = client
        .get_location(proto::GetLocationRequest {
            code: "XXNOPE".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound);
    assert!(err.message().contains("XXNOPE"));
}

#[tokio::test]
async fn services_filter_by_mode_and_page() {
    let mut client = network().await;
    let air = client
        .list_services(proto::ListServicesRequest {
            mode: TransportMode::Air.into(),
            page_size: 500,
            page_token: String::new(),
            include_path: true,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(!air.services.is_empty());
    // Paths on request: a flight's great circle, several points long.
    assert!(air.services.iter().all(|s| s.path.len() >= 2), "paths");
    assert!(air
        .services
        .iter()
        .all(|s| s.mode == TransportMode::Air as i32 && s.distance_km > 0.0));
    let first = client
        .list_services(proto::ListServicesRequest {
            mode: 0,
            page_size: 10,
            page_token: String::new(),
            include_path: false,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.services.len(), 10);
    assert!(
        first.services.iter().all(|s| s.path.is_empty()),
        "no paths unasked"
    );
    let second = client
        .list_services(proto::ListServicesRequest {
            mode: 0,
            page_size: 10,
            page_token: first.next_page_token,
            include_path: false,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(second.services[0].id > first.services[9].id);
    let bad = client
        .list_services(proto::ListServicesRequest {
            mode: 42,
            page_size: 10,
            page_token: String::new(),
            include_path: false,
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert!(bad.message().contains("mode") && bad.message().contains("42"));
}

/// The Northern Sea Route's services say their season; a year-round service says none.
#[tokio::test]
async fn seasonal_services_state_their_season() {
    let mut services = Vec::new();
    let mut page_token = String::new();
    loop {
        let page = network()
            .await
            .list_services(proto::ListServicesRequest {
                mode: TransportMode::Sea.into(),
                page_size: 500,
                page_token,
                include_path: false,
            })
            .await
            .unwrap()
            .into_inner();
        services.extend(page.services);
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    let season = |id: &str| {
        services
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("{id}"))
            .season
            .clone()
    };
    assert_eq!(season("SEA-DLC-RTM-NSR"), "06-20..10-31");
    assert_eq!(season("SEA-DLC-PUS"), "");
}

/// Sends a request and expects an error with this code whose message names all of `words`.
async fn expect_error(req: proto::FindRoutesRequest, code: Code, words: &[&str]) {
    let err = routing().await.find_routes(req).await.unwrap_err();
    assert_eq!(err.code(), code, "{}", err.message());
    for w in words {
        assert!(
            err.message().contains(w),
            "'{}' should mention '{w}'",
            err.message()
        );
    }
}

fn base() -> proto::FindRoutesRequest {
    request("CNDLC", "KRPUS", containers(1, 0, false), Objective::Cost)
}

#[tokio::test]
async fn unknown_codes_are_not_found() {
    let mut req = base();
    req.origin = "ZZZZZ".into();
    expect_error(req, Code::NotFound, &["origin", "ZZZZZ"]).await;
    let mut req = base();
    req.destination = "QQQ".into();
    expect_error(req, Code::NotFound, &["destination", "QQQ"]).await;
    let mut req = base();
    req.constraints = Some(Constraints {
        avoid_locations: vec!["NOWHERE".into()],
        ..Default::default()
    });
    expect_error(req, Code::NotFound, &["avoid_locations[0]", "NOWHERE"]).await;
}

#[tokio::test]
async fn timetable_inputs_are_validated() {
    let mut req = base();
    req.ready_at = Some(prost_types::Timestamp {
        seconds: 946_684_800, // 2000-01-01
        nanos: 0,
    });
    expect_error(
        req,
        Code::InvalidArgument,
        &["ready_at", "2000-01-01", "horizon"],
    )
    .await;

    let mut req = base();
    let ready = next_date(3, 2);
    req.ready_at = Some(ready);
    req.constraints = Some(proto::Constraints {
        deliver_by: Some(prost_types::Timestamp {
            seconds: ready.seconds - 3600,
            nanos: 0,
        }),
        ..Default::default()
    });
    expect_error(
        req,
        Code::InvalidArgument,
        &["constraints.deliver_by", "ready_at"],
    )
    .await;

    let mut req = base();
    req.max_routes = Some(0);
    expect_error(req, Code::InvalidArgument, &["max_routes", "0"]).await;
    let mut req = base();
    req.max_routes = Some(1000);
    expect_error(req, Code::InvalidArgument, &["max_routes", "1000"]).await;

    let mut req = base();
    req.constraints = Some(proto::Constraints {
        avoid_passages: vec!["atlantis".into()],
        ..Default::default()
    });
    expect_error(
        req,
        Code::InvalidArgument,
        &["constraints.avoid_passages[0]", "atlantis", "suez"],
    )
    .await;

    let mut req = base();
    req.constraints = Some(proto::Constraints {
        max_cost_usd: Some(-5.0),
        ..Default::default()
    });
    expect_error(
        req,
        Code::InvalidArgument,
        &["constraints.max_cost_usd", "-5"],
    )
    .await;
}

#[tokio::test]
async fn invalid_requests_name_the_field() {
    let mut req = base();
    req.destination = "DLC".into();
    expect_error(
        req,
        Code::InvalidArgument,
        &["destination", "DLC", "origin"],
    )
    .await;

    let mut req = base();
    req.origin = String::new();
    expect_error(req, Code::InvalidArgument, &["origin", "empty"]).await;

    let mut req = base();
    req.shipment = Some(containers(-2, 0, false));
    expect_error(req, Code::InvalidArgument, &["count_20ft", "-2"]).await;

    let mut req = base();
    req.shipment = Some(containers(0, 0, false));
    expect_error(req, Code::InvalidArgument, &["shipment.containers"]).await;

    let mut req = base();
    req.shipment = Some(containers(2_000_000, 0, false));
    expect_error(
        req,
        Code::InvalidArgument,
        &["shipment.containers", "2000000"],
    )
    .await;

    let mut req = base();
    req.shipment = Some(parcel(-5.0, 1.0));
    expect_error(req, Code::InvalidArgument, &["weight_kg", "-5"]).await;

    let mut req = base();
    req.shipment = Some(parcel(10.0, f64::NAN));
    expect_error(req, Code::InvalidArgument, &["volume_m3", "NaN"]).await;

    let mut req = base();
    req.shipment = None;
    expect_error(req, Code::InvalidArgument, &["shipment"]).await;

    let mut req = base();
    req.objective = 99;
    expect_error(req, Code::InvalidArgument, &["objective", "99"]).await;

    let mut req = base();
    req.constraints = Some(Constraints {
        allowed_modes: vec![TransportMode::Sea.into(), 17],
        ..Default::default()
    });
    expect_error(req, Code::InvalidArgument, &["allowed_modes[1]", "17"]).await;

    let mut req = base();
    req.constraints = Some(Constraints {
        max_transfers: Some(-1),
        ..Default::default()
    });
    expect_error(req, Code::InvalidArgument, &["max_transfers", "-1"]).await;

    let mut req = base();
    req.constraints = Some(Constraints {
        avoid_countries: vec!["Korea".into()],
        ..Default::default()
    });
    expect_error(req, Code::InvalidArgument, &["avoid_countries[0]", "Korea"]).await;

    let mut req = base();
    req.constraints = Some(Constraints {
        avoid_locations: vec!["KRPUS".into()],
        ..Default::default()
    });
    expect_error(req, Code::InvalidArgument, &["avoid_locations[0]", "KRPUS"]).await;

    for bad in [0, 21, -3] {
        let mut req = base();
        req.max_routes = Some(bad);
        expect_error(
            req,
            Code::InvalidArgument,
            &["max_routes", &bad.to_string()],
        )
        .await;
    }

    let mut req = base();
    req.weights = Some(proto::GeneralizedCostWeights {
        value_of_time_usd_per_teu_hour: Some(-1.0),
        carbon_price_usd_per_tonne: None,
    });
    expect_error(
        req,
        Code::InvalidArgument,
        &["value_of_time_usd_per_teu_hour", "-1"],
    )
    .await;
}

#[tokio::test]
async fn bad_requests_leave_the_server_answering() {
    let mut req = base();
    req.shipment = Some(parcel(f64::INFINITY, f64::INFINITY));
    expect_error(req, Code::InvalidArgument, &["weight_kg"]).await;
    let ok = routing()
        .await
        .find_routes(base())
        .await
        .unwrap()
        .into_inner();
    assert!(!ok.routes.is_empty());
}

/// The basic view (AIP-157): the same routes, totals, legs, times and costs, without the
/// legs' polylines, and so a fraction of the bytes.
#[tokio::test]
async fn the_basic_view_carries_the_same_routes_without_paths() {
    use prost::Message;
    let mut client = routing().await;
    // One ready time for both: with "now", a second apart, the two answers could differ.
    let ready = next_weekday(jiff::civil::Weekday::Tuesday);
    let ask = |view: proto::RouteView| proto::FindRoutesRequest {
        view: view.into(),
        max_routes: Some(5),
        ready_at: Some(ready),
        ..request("CNDLC", "DEHAM", containers(0, 1, false), Objective::Cost)
    };
    let full = client
        .find_routes(ask(proto::RouteView::Unspecified))
        .await
        .unwrap()
        .into_inner();
    let basic = client
        .find_routes(ask(proto::RouteView::Basic))
        .await
        .unwrap()
        .into_inner();
    assert!(full.routes.len() >= 2);
    assert!(full
        .routes
        .iter()
        .flat_map(|r| &r.legs)
        .all(|l| l.path.len() >= 2));
    assert!(basic
        .routes
        .iter()
        .flat_map(|r| &r.legs)
        .all(|l| l.path.is_empty()));
    // Everything but the paths and the terminals' descriptions is the same.
    let mut without_paths = full.clone();
    for leg in without_paths.routes.iter_mut().flat_map(|r| &mut r.legs) {
        leg.path.clear();
        for t in [leg.from.as_mut().unwrap(), leg.to.as_mut().unwrap()] {
            *t = proto::Terminal {
                id: t.id.clone(),
                locode: t.locode.clone(),
                kind: t.kind,
                country_code: t.country_code.clone(),
                ..Default::default()
            };
        }
    }
    assert_eq!(without_paths, basic);
    assert!(
        basic.encoded_len() * 3 < full.encoded_len(),
        "basic {} bytes, full {}",
        basic.encoded_len(),
        full.encoded_len()
    );

    let bad = client
        .find_routes(proto::FindRoutesRequest {
            view: 9,
            ..ask(proto::RouteView::Full)
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert!(bad.message().starts_with("view") && bad.message().contains('9'));
}
