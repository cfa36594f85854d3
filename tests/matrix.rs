//! ComputeRouteMatrix and FindReachable over gRPC against the real server: a matrix is the
//! single FindRoutes answers it stands for, reachability agrees with single queries, and the
//! caps refuse oversized or too many calls with the limit named.

mod common;

use common::*;
use freight_router::proto::{self, Objective};
use tonic::Code;

fn matrix_request(
    origins: &[&str],
    destinations: &[&str],
    ready_times: Vec<prost_types::Timestamp>,
) -> proto::ComputeRouteMatrixRequest {
    proto::ComputeRouteMatrixRequest {
        origins: origins.iter().map(|s| s.to_string()).collect(),
        destinations: destinations.iter().map(|s| s.to_string()).collect(),
        ready_times,
        shipment: Some(containers(1, 0, false)),
        objective: Objective::Cost.into(),
        include_pareto_set: true,
        ..Default::default()
    }
}

async fn elements(
    req: proto::ComputeRouteMatrixRequest,
) -> Result<Vec<proto::RouteMatrixElement>, tonic::Status> {
    let mut stream = routing()
        .await
        .compute_route_matrix(req)
        .await?
        .into_inner();
    let mut out = Vec::new();
    while let Some(e) = stream.message().await? {
        out.push(e);
    }
    Ok(out)
}

/// The main services of a full route, as a matrix summary lists them.
fn main_services(route: &proto::Route) -> Vec<String> {
    route
        .legs
        .iter()
        .filter(|l| !l.drayage)
        .map(|l| l.service_id.clone())
        .collect()
}

#[tokio::test]
async fn a_matrix_is_the_single_answers_it_stands_for() {
    let origins = ["CNDLC", "CNSHY", "KRPUS"];
    // KRPUS is also an origin (that element is refused as one place); DEFRA is an airport,
    // which full containers never reach.
    let destinations = ["JPTYO", "KRPUS", "RUVVO", "DEFRA"];
    let ready = vec![
        next_weekday(jiff::civil::Weekday::Monday),
        next_weekday(jiff::civil::Weekday::Thursday),
    ];
    let all = elements(matrix_request(&origins, &destinations, ready.clone()))
        .await
        .unwrap();
    assert_eq!(all.len(), 24);
    let mut seen = std::collections::HashSet::new();
    let mut with_route = 0;
    for e in &all {
        assert!(seen.insert((e.origin_index, e.destination_index, e.ready_time_index)));
        let (o, d, r) = (
            origins[e.origin_index as usize],
            destinations[e.destination_index as usize],
            &ready[e.ready_time_index as usize],
        );
        assert_eq!(e.ready_time.as_ref(), Some(r));
        let single = routing()
            .await
            .find_routes(proto::FindRoutesRequest {
                ready_at: Some(*r),
                max_routes: Some(20),
                ..request(o, d, containers(1, 0, false), Objective::Cost)
            })
            .await;
        let status = e.status.clone().unwrap();
        match single {
            Err(s) => {
                assert_eq!(s.code(), Code::InvalidArgument, "{o} -> {d}: {s:?}");
                assert_eq!(status.code, Code::InvalidArgument as i32, "{o} -> {d}");
            }
            Ok(answer) => {
                let answer = answer.into_inner();
                match answer.routes.first() {
                    None => {
                        assert_eq!(status.code, Code::NotFound as i32, "{o} -> {d}");
                        assert!(e.route.is_none() && e.pareto_set.is_empty());
                    }
                    Some(best) => {
                        with_route += 1;
                        assert_eq!(status.code, Code::Ok as i32, "{o} -> {d}");
                        let cell = e.route.as_ref().unwrap();
                        assert!((cell.cost_usd - total_usd(best)).abs() < 1e-6, "{o} -> {d}");
                        assert!((cell.door_to_door_hours - total_hours(best)).abs() < 1e-6);
                        assert!((cell.co2e_kg - best.co2_kg).abs() < 1e-6);
                        assert_eq!(cell.transfers, best.transfers);
                        assert_eq!(cell.service_ids, main_services(best), "{o} -> {d}");
                        assert_eq!(cell.arrival_time, best.arrival_time);
                        // The Pareto set is the answer's, route for route.
                        let totals = |v: Vec<(f64, f64)>| {
                            let mut v: Vec<(i64, i64)> = v
                                .into_iter()
                                .map(|(c, h)| {
                                    ((c * 100.0).round() as i64, (h * 60.0).round() as i64)
                                })
                                .collect();
                            v.sort();
                            v
                        };
                        assert_eq!(
                            totals(
                                e.pareto_set
                                    .iter()
                                    .map(|s| (s.cost_usd, s.door_to_door_hours))
                                    .collect()
                            ),
                            totals(
                                answer
                                    .routes
                                    .iter()
                                    .map(|r| (total_usd(r), total_hours(r)))
                                    .collect()
                            ),
                            "{o} -> {d}"
                        );
                    }
                }
            }
        }
    }
    assert!(with_route >= 12, "only {with_route} elements with a route");
}

#[tokio::test]
async fn reachability_agrees_with_single_queries() {
    let ready = next_weekday(jiff::civil::Weekday::Monday);
    let deadline = prost_types::Timestamp {
        seconds: ready.seconds + 10 * 86_400,
        nanos: 0,
    };
    let reached = routing()
        .await
        .find_reachable(proto::FindReachableRequest {
            origin: "CNDLC".into(),
            ready_at: Some(ready),
            shipment: Some(containers(1, 0, false)),
            constraints: Some(proto::Constraints {
                deliver_by: Some(deadline),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .terminals;
    assert!(reached.len() >= 10, "{} terminals", reached.len());
    let ids: Vec<String> = reached
        .iter()
        .map(|r| r.terminal.as_ref().unwrap().id.clone())
        .collect();
    assert!(ids.iter().any(|id| id == "KRPUS-PORT"));
    assert!(
        !ids.iter().any(|id| id.starts_with("CNDLC")),
        "the origin is left out"
    );
    assert!(
        !ids.iter().any(|id| id == "NLRTM-PORT"),
        "Rotterdam is weeks away"
    );
    for pair in reached.windows(2) {
        assert!(
            pair[0].earliest_arrival_time.as_ref().unwrap().seconds
                <= pair[1].earliest_arrival_time.as_ref().unwrap().seconds
        );
    }
    // Each of a sample agrees with FindRoutes to that terminal under the same deadline.
    for r in reached.iter().step_by(3) {
        let id = &r.terminal.as_ref().unwrap().id;
        let routes = routing()
            .await
            .find_routes(proto::FindRoutesRequest {
                ready_at: Some(ready),
                max_routes: Some(20),
                constraints: Some(proto::Constraints {
                    deliver_by: Some(deadline),
                    ..Default::default()
                }),
                ..request("CNDLC", id, containers(1, 0, false), Objective::Cost)
            })
            .await
            .unwrap()
            .into_inner()
            .routes;
        assert!(!routes.is_empty(), "{id}");
        let earliest = routes
            .iter()
            .map(|x| x.arrival_time.as_ref().unwrap().seconds)
            .min();
        assert_eq!(
            earliest,
            r.earliest_arrival_time.as_ref().map(|t| t.seconds),
            "{id}"
        );
        let cheapest = routes.iter().map(total_usd).fold(f64::INFINITY, f64::min);
        assert!(
            (cheapest - r.least_cost_usd).abs() < 1e-6,
            "{id}: {cheapest} vs {}",
            r.least_cost_usd
        );
    }
    // A terminal left out has no route by the deadline.
    let none = routing()
        .await
        .find_routes(proto::FindRoutesRequest {
            ready_at: Some(ready),
            constraints: Some(proto::Constraints {
                deliver_by: Some(deadline),
                ..Default::default()
            }),
            ..request(
                "CNDLC",
                "NLRTM-PORT",
                containers(1, 0, false),
                Objective::Cost,
            )
        })
        .await
        .unwrap()
        .into_inner();
    assert!(none.routes.is_empty());

    // Neither a deadline nor a budget: the question is incomplete.
    let err = routing()
        .await
        .find_reachable(proto::FindReachableRequest {
            origin: "CNDLC".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(
        err.message().starts_with("constraints"),
        "{}",
        err.message()
    );
}

#[tokio::test]
async fn matrix_inputs_are_validated_and_capped() {
    let day = next_weekday(jiff::civil::Weekday::Monday);
    // 60 x 60 x 7 = 25,200 elements: over the cap, refused before any search.
    let sixty: Vec<&str> = std::iter::repeat_n("CNDLC", 60).collect();
    let window = proto::ReadyWindow {
        start: Some(day),
        end: Some(prost_types::Timestamp {
            seconds: day.seconds + 7 * 86_400,
            nanos: 0,
        }),
        step: None,
    };
    let big = proto::ComputeRouteMatrixRequest {
        ready_window: Some(window),
        ..matrix_request(&sixty, &sixty, Vec::new())
    };
    let err = elements(big).await.unwrap_err();
    assert_eq!(err.code(), Code::ResourceExhausted);
    assert!(
        err.message().contains("60 x 60 x 7 = 25200") && err.message().contains("25000"),
        "{}",
        err.message()
    );

    let many: Vec<&str> = std::iter::repeat_n("KRPUS", 101).collect();
    let err = elements(matrix_request(&["CNDLC"], &many, vec![day]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::ResourceExhausted);
    assert!(err.message().starts_with("destinations") && err.message().contains("100"));

    let err = elements(matrix_request(&["CNDLC", "ZZZZZ"], &["KRPUS"], vec![day]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound);
    assert!(err.message().starts_with("origins[1]") && err.message().contains("ZZZZZ"));

    let both = proto::ComputeRouteMatrixRequest {
        ready_window: Some(window),
        ..matrix_request(&["CNDLC"], &["KRPUS"], vec![day])
    };
    let err = elements(both).await.unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(err.message().starts_with("ready_window"));

    let err = elements(matrix_request(&[], &["KRPUS"], vec![day]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(err.message().starts_with("origins"));
}

/// Two matrix calls whose clients do not read hold the two places; a third is refused with
/// the limit named, and is accepted once one of them is gone.
#[tokio::test]
async fn concurrent_matrix_calls_are_capped() {
    let server = start_server(config(temp_dir("matrix-cap").join("scenarios.db")));
    let channel = channel_to(server.addr).await;
    let mut client = proto::routing_service_client::RoutingServiceClient::new(channel);
    let places = [
        "CNDLC", "CNSHY", "KRPUS", "JPTYO", "RUVVO", "CNTAO", "CNSHA", "JPOSA", "KRINC", "JPYOK",
    ];
    let day = next_weekday(jiff::civil::Weekday::Monday);
    // 10 x 10 x 31 = 3,100 elements: far more than the stream buffers.
    let window = proto::ReadyWindow {
        start: Some(day),
        end: Some(prost_types::Timestamp {
            seconds: day.seconds + 31 * 86_400,
            nanos: 0,
        }),
        step: None,
    };
    let req = proto::ComputeRouteMatrixRequest {
        ready_window: Some(window),
        ..matrix_request(&places, &places, Vec::new())
    };
    let first = client.compute_route_matrix(req.clone()).await.unwrap();
    let second = client.compute_route_matrix(req.clone()).await.unwrap();
    let err = client.compute_route_matrix(req.clone()).await.unwrap_err();
    assert_eq!(err.code(), Code::ResourceExhausted);
    assert!(
        err.message().contains("2 matrix calls"),
        "{}",
        err.message()
    );
    drop(first);
    drop(second);
    // The abandoned calls stop at their next element and give their places back.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        match client.compute_route_matrix(req.clone()).await {
            Ok(_) => break,
            Err(e)
                if e.code() == Code::ResourceExhausted && std::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => panic!("{e:?}"),
        }
    }
    server.stop().await;
}
