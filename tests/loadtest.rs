//! The load tool against a real server on loopback: it stops by itself after its time and
//! reports consistent figures for FindRoutes and the health check.

mod common;

use std::time::Duration;

use common::*;
use freight_router::loadtest;
use freight_router::proto::{self, routing_service_client::RoutingServiceClient};

#[tokio::test]
async fn the_load_tool_runs_for_its_time_and_reports_ordered_percentiles() {
    let channel = channel().await;
    let health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
    let routing = RoutingServiceClient::new(channel);
    let request = request(
        "CNDLC",
        "KRPUS",
        containers(1, 0, false),
        proto::Objective::Cost,
    );
    let duration = Duration::from_millis(500);
    let check = loadtest::run("check", 4, duration, move || {
        let mut c = health.clone();
        async move {
            c.check(tonic_health::pb::HealthCheckRequest::default())
                .await
                .map(|_| ())
                .map_err(|s| s.to_string())
        }
    })
    .await;
    let find = loadtest::run("find", 4, duration, move || {
        let (mut c, r) = (routing.clone(), request.clone());
        async move {
            let answer = c
                .find_routes(r)
                .await
                .map_err(|s| s.to_string())?
                .into_inner();
            if answer.routes.is_empty() {
                return Err("no route".into());
            }
            Ok(())
        }
    })
    .await;
    for report in [&check, &find] {
        assert!(report.ok > 0 && report.errors == 0, "{report}");
        assert!(
            report.elapsed >= duration && report.elapsed < duration * 20,
            "{report}"
        );
        assert!(
            report.p50 <= report.p90 && report.p90 <= report.p99 && report.p99 <= report.max,
            "{report}"
        );
        assert_eq!(report.concurrency, 4);
    }
}
