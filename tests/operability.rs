//! Operable under abuse, against the real binary on loopback: SIGTERM always ends the process
//! (health says NOT_SERVING meanwhile), connections beyond the cap are closed while health
//! checks still answer, and idle connections are closed.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use freight_router::proto;
use tonic_health::pb::{health_check_response::ServingStatus, health_client::HealthClient};

/// A free loopback port (bound and released; the server binds it right after).
fn free_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// The `freight serve` binary on `addr` with the bundled network and extra flags; returns once
/// it accepts connections.
fn start_binary(addr: SocketAddr, flags: &[&str]) -> Child {
    let db = temp_dir("operability").join("scenarios.db");
    let child = Command::new(env!("CARGO_BIN_EXE_freight"))
        .args(["serve", "--addr", &addr.to_string(), "--data-dir"])
        .arg(data_dir())
        .arg("--scenario-db")
        .arg(db)
        .args(flags)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start freight serve");
    let started = Instant::now();
    while TcpStream::connect(addr).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

fn terminate(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

async fn health(channel: tonic::transport::Channel) -> i32 {
    HealthClient::new(channel)
        .check(tonic_health::pb::HealthCheckRequest {
            service: "freight.v1.RoutingService".into(),
        })
        .await
        .map(|r| r.into_inner().status)
        .unwrap_or(-1)
}

/// Waits up to `limit` for the process to exit; the time it took.
fn wait_exit(child: &mut Child, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[tokio::test]
async fn sigterm_reports_not_serving_and_exits_within_the_grace_period_despite_open_streams() {
    let addr = free_port();
    let mut child = start_binary(addr, &["--drain-delay-secs", "2", "--grace-secs", "4"]);
    let channel = channel_to(addr).await;
    assert_eq!(health(channel.clone()).await, ServingStatus::Serving as i32);
    // An idle TCP connection, an open batch stream that never sends, and a health watch.
    let _idle = TcpStream::connect(addr).unwrap();
    let (_batch_tx, batch_rx) = tokio::sync::mpsc::channel::<proto::FindRoutesBatchRequest>(1);
    let mut routing = proto::routing_service_client::RoutingServiceClient::new(channel.clone());
    let _batch = routing
        .find_routes_batch(tokio_stream::wrappers::ReceiverStream::new(batch_rx))
        .await
        .unwrap();
    let _watch = HealthClient::new(channel.clone())
        .watch(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap();

    terminate(&child);
    let sent = Instant::now();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        health(channel.clone()).await,
        ServingStatus::NotServing as i32,
        "health must say NOT_SERVING while draining"
    );
    let waited = tokio::task::spawn_blocking(move || {
        let took = wait_exit(&mut child, Duration::from_secs(10));
        if took.is_none() {
            let _ = child.kill();
        }
        took
    })
    .await
    .unwrap();
    let took = waited.expect("the process must exit after the grace period");
    assert!(
        sent.elapsed() < Duration::from_secs(4 + 3),
        "exited {:?} after SIGTERM",
        took
    );
}

/// Connects, sends `first`, then stays silent: how long until the server closes the connection.
fn time_until_closed(addr: SocketAddr, first: &[u8]) -> Duration {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(8)))
        .unwrap();
    let started = Instant::now();
    if !first.is_empty() {
        stream.write_all(first).unwrap();
    }
    let mut buf = [0u8; 64];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => continue, // the server's HTTP/2 settings
        }
    }
    started.elapsed()
}

#[tokio::test]
async fn connections_beyond_the_cap_are_closed_while_health_checks_answer() {
    let addr = free_port();
    let mut child = start_binary(
        addr,
        &[
            "--max-connections",
            "4",
            "--header-timeout-secs",
            "1",
            "--idle-timeout-secs",
            "3",
        ],
    );
    // The health checker's channel holds one of the four places.
    let channel = channel_to(addr).await;
    assert_eq!(health(channel.clone()).await, ServingStatus::Serving as i32);
    let mut flood: Vec<TcpStream> = (0..12).map(|_| TcpStream::connect(addr).unwrap()).collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut closed = 0;
    for stream in &mut flood {
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut byte = [0u8; 1];
        if matches!(stream.read(&mut byte), Ok(0)) {
            closed += 1;
        }
    }
    assert!(
        closed >= 12 - 3,
        "only {closed} of 12 connections over the cap were closed"
    );
    assert_eq!(health(channel.clone()).await, ServingStatus::Serving as i32);
    // The accepted silent ones are closed after the header timeout, freeing their places; a
    // client that has spoken is closed only after the idle timeout.
    drop(flood);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let silent_for = time_until_closed(addr, b"");
    assert!(
        silent_for >= Duration::from_millis(700) && silent_for < Duration::from_millis(2000),
        "a silent connection was closed after {silent_for:?}"
    );
    let idle_for = time_until_closed(addr, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    assert!(
        idle_for >= Duration::from_millis(2500) && idle_for < Duration::from_secs(6),
        "an idle connection that sent the HTTP/2 preface was closed after {idle_for:?}"
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// 10,000 copies of one passage are one passage (checked once, applied once); more entries
/// than the cap are refused naming the field and the limit.
#[tokio::test]
async fn repeated_avoided_passages_count_once_and_the_list_is_capped() {
    let ask = |passages: Vec<String>| {
        let mut req = request(
            "CNDLC",
            "NLRTM",
            containers(1, 0, false),
            proto::Objective::Cost,
        );
        req.constraints = Some(proto::Constraints {
            allowed_modes: vec![proto::TransportMode::Sea.into()],
            avoid_passages: passages,
            ..Default::default()
        });
        req
    };
    let one = routing()
        .await
        .find_routes(ask(vec!["suez".into()]))
        .await
        .unwrap()
        .into_inner();
    let many = routing()
        .await
        .find_routes(ask(vec!["suez".to_string(); 10_000]))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(one.routes.len(), many.routes.len());
    for (a, b) in one.routes.iter().zip(&many.routes) {
        assert_eq!(a.cost, b.cost);
        assert_eq!(a.legs.len(), b.legs.len());
    }
    let status = routing()
        .await
        .find_routes(ask(vec!["suez".to_string(); 10_001]))
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert!(
        status.message().contains("constraints.avoid_passages")
            && status.message().contains("10000"),
        "{}",
        status.message()
    );
}

/// One scenario has one id: a zero-padded variant names nothing, so it can neither delete the
/// row behind the served scenario nor be confused with it.
#[tokio::test]
async fn a_zero_padded_scenario_id_is_not_found_and_deletes_nothing() {
    let created = create_scenario(
        channel().await,
        proto::ScenarioDefinition {
            name: "zero-padded id test".into(),
            suspensions: vec![suspended("SEA-DLC-KIJ")],
            ..Default::default()
        },
    )
    .await;
    let row = created.id.strip_prefix("scn-").unwrap();
    let padded = format!("scn-0{row}");
    let mut client = scenarios().await;
    let status = client
        .delete_scenario(authorized(
            proto::DeleteScenarioRequest {
                scenario_id: padded.clone(),
            },
            PLANNER_TOKEN,
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::NotFound, "{padded}");
    let still = client
        .get_scenario(proto::GetScenarioRequest {
            scenario_id: created.id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(still.scenario.unwrap().id, created.id);
}

/// A field with CR/LF and escape codes cannot forge log lines, and a huge field comes back
/// cut, with its length said.
#[tokio::test]
async fn forged_fields_leave_one_escaped_log_line_and_bounded_messages() {
    let addr = free_port();
    let db = temp_dir("operability-log").join("scenarios.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_freight"))
        .args([
            "serve",
            "--addr",
            &addr.to_string(),
            "--grace-secs",
            "1",
            "--drain-delay-secs",
            "0",
            "--data-dir",
        ])
        .arg(data_dir())
        .arg("--scenario-db")
        .arg(db)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(addr).is_err() {
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut routing =
        proto::routing_service_client::RoutingServiceClient::new(channel_to(addr).await);
    let forged = "CNXXX\r\n2026-01-01T00:00:00Z  INFO forged: admin logged in\u{1b}[2J";
    let status = routing
        .find_routes(request(
            forged,
            "KRPUS",
            containers(1, 0, false),
            proto::Objective::Cost,
        ))
        .await
        .unwrap_err();
    assert!(!status.message().contains('\n') && !status.message().contains('\r'));
    let huge = "Q".repeat(100_000);
    let status = routing
        .find_routes(request(
            &huge,
            "KRPUS",
            containers(1, 0, false),
            proto::Objective::Cost,
        ))
        .await
        .unwrap_err();
    assert!(
        status.message().len() < 1_000,
        "{} bytes",
        status.message().len()
    );
    assert!(
        status.message().contains("characters in all)"),
        "{}",
        status.message()
    );
    terminate(&child);
    let output = tokio::task::spawn_blocking(move || {
        let _ = wait_exit(&mut child, Duration::from_secs(10));
        let _ = child.kill();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(log.contains("rejected"), "no rejection logged:\n{log}");
    assert!(
        !log.lines()
            .any(|l| l.contains("forged: admin") && !l.contains("rejected")),
        "a forged line reached the log:\n{log}"
    );
    assert!(!log.contains('\u{1b}'), "an escape code reached the log");
    assert!(
        log.len() < 50_000,
        "the huge field grew the log to {} bytes",
        log.len()
    );
}

/// `pairs` pairs over many origins and both kinds of box: a comparison searches once per
/// origin, kind of box, network and day, so the pairs are spread to make that many searches.
fn comparison(scenario_id: &str, pairs: usize) -> proto::CompareScenarioRequest {
    let places = [
        "CNDLC", "KRPUS", "JPTYO", "RUVVO", "NLRTM", "CNSHY", "JPKIJ", "KRINC", "RUMOW", "CNTAO",
        "CNSHA", "JPOSA", "JPYOK", "KRUSN", "CNTSN", "DEHAM", "CNYIK", "JPHKT", "RUVYP", "CNHRN",
    ];
    let n = places.len();
    proto::CompareScenarioRequest {
        scenario_id: scenario_id.to_string(),
        od_pairs: (0..pairs)
            .map(|i| proto::OdPair {
                origin: places[i % n].into(),
                destination: places[(i + 1 + (i / n) % (n - 1)) % n].into(),
                annual_teu: 1.0,
                reefer: (i / n) % 2 == 1,
            })
            .collect(),
        ..Default::default()
    }
}

/// The comparison over 31 ready days from tomorrow.
fn month_long(mut request: proto::CompareScenarioRequest) -> proto::CompareScenarioRequest {
    let from = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 86_400;
    request.ready_from = Some(prost_types::Timestamp {
        seconds: from,
        nanos: 0,
    });
    request.ready_until = Some(prost_types::Timestamp {
        seconds: from + 31 * 86_400,
        nanos: 0,
    });
    request
}

/// A comparison beyond pairs x days is refused naming the limit; one whose deadline passes
/// ends with DEADLINE_EXCEEDED and gives its place back, so the work stopped.
#[tokio::test]
async fn comparisons_are_capped_and_stop_at_their_deadline() {
    let scenario = create_scenario(
        channel().await,
        proto::ScenarioDefinition {
            name: "compare limits test".into(),
            suspensions: vec![suspended("SEA-DLC-PUS")],
            ..Default::default()
        },
    )
    .await;
    let mut client = scenarios().await;
    let status = client
        .compare_scenario(comparison(&scenario.id, 800))
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::ResourceExhausted);
    assert!(status.message().contains("5000"), "{}", status.message());

    // A running comparison works on a thread below the priority of the calls it shares the
    // cores with.
    let mut running = client
        .compare_scenario(month_long(comparison(&scenario.id, 161)))
        .await
        .unwrap()
        .into_inner();
    running.message().await.unwrap().expect("a first pair");
    #[cfg(target_os = "linux")]
    {
        // The comparison's thread, and while a group is searched the scoped thread searching
        // the scenario side (it inherits the name and the priority).
        let niceness = comparison_thread_niceness();
        assert!(
            (1..=2).contains(&niceness.len()) && niceness.iter().all(|&n| n == 10),
            "the comparison threads' nice values: {niceness:?}"
        );
    }
    drop(running);
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Two comparisons of 161 pairs x 31 days (4,991 pair-days, seconds of work) with a
    // 300 ms deadline: both end early.
    let started = Instant::now();
    for _ in 0..2 {
        let mut request = tonic::Request::new(month_long(comparison(&scenario.id, 161)));
        request.set_timeout(Duration::from_millis(300));
        match client.compare_scenario(request).await {
            Err(status) => assert_eq!(status.code(), tonic::Code::DeadlineExceeded),
            Ok(response) => {
                let mut stream = response.into_inner();
                loop {
                    match stream.message().await {
                        Ok(Some(_)) => continue,
                        Ok(None) => panic!("a 4,991 pair-day comparison ended within 300 ms"),
                        Err(status) => {
                            assert_eq!(status.code(), tonic::Code::DeadlineExceeded);
                            break;
                        }
                    }
                }
            }
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // Their places are free again: a small comparison runs.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut stream = client
        .compare_scenario(comparison(&scenario.id, 2))
        .await
        .expect("the expired comparisons gave their places back")
        .into_inner();
    let mut answers = 0;
    while stream.message().await.unwrap().is_some() {
        answers += 1;
    }
    assert_eq!(answers, 3, "two pairs and the summary");
}

/// The nice value of each thread of this process named `comparison`.
#[cfg(target_os = "linux")]
fn comparison_thread_niceness() -> Vec<i64> {
    let mut found = Vec::new();
    for task in std::fs::read_dir("/proc/self/task").unwrap() {
        let dir = task.unwrap().path();
        let name = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        if name.trim() != "comparison" {
            continue;
        }
        let stat = std::fs::read_to_string(dir.join("stat")).unwrap();
        // Fields after the parenthesised name: state is field 3, nice field 19.
        let after_name = &stat[stat.rfind(')').unwrap() + 2..];
        let nice = after_name.split(' ').nth(19 - 3).unwrap().parse().unwrap();
        found.push(nice);
    }
    found
}

/// Finite but absurd figures in a scenario are refused naming the field, instead of
/// overflowing a route's totals into nonsense.
#[tokio::test]
async fn absurd_scenario_figures_are_invalid_and_name_the_field() {
    let line = |speed_kn: f64, base: f64| proto::ServiceDefinition {
        id: "SEA-ABSURD".into(),
        name: "absurd".into(),
        mode: proto::TransportMode::Sea.into(),
        from: "CNDLC-PORT".into(),
        to: "JPKIJ-PORT".into(),
        days: vec!["mon".into()],
        departure_time: "10:00".into(),
        cutoff_hours: 12.0,
        speed_kn: Some(speed_kn),
        capacity_teu: Some(100.0),
        rate: Some(proto::ServiceRateDefinition {
            as_of: "2026-01-01".into(),
            base_per_20ft: Some(base),
            per_20ft_km: Some(0.1),
            base_per_40ft: Some(base),
            per_40ft_km: Some(0.1),
            ..Default::default()
        }),
        source: "E-scenario-examples".into(),
        ..Default::default()
    };
    let cases = [
        (
            proto::ScenarioDefinition {
                name: "absurd speed".into(),
                added_services: vec![line(5e-324, 100.0)],
                ..Default::default()
            },
            "speed",
        ),
        (
            proto::ScenarioDefinition {
                name: "absurd rate".into(),
                added_services: vec![line(14.0, 1e308)],
                ..Default::default()
            },
            "rate.base_per_20ft",
        ),
        (
            proto::ScenarioDefinition {
                name: "absurd handling".into(),
                terminal_changes: vec![proto::TerminalChange {
                    terminal_id: "JPKIJ-PORT".into(),
                    handling_hours: Some(1e308),
                    ..Default::default()
                }],
                ..Default::default()
            },
            "handling_hours",
        ),
    ];
    let mut client = scenarios().await;
    for (definition, field) in cases {
        let status = client
            .create_scenario(authorized(
                proto::CreateScenarioRequest {
                    definition: Some(definition),
                    ..Default::default()
                },
                PLANNER_TOKEN,
            ))
            .await
            .unwrap_err();
        assert_eq!(status.code(), tonic::Code::InvalidArgument, "{field}");
        assert!(
            status.message().contains(field),
            "{field}: {}",
            status.message()
        );
    }
}

/// One unreadable row in the scenario database: the server starts, and lists that scenario as
/// broken with a problem naming the database file and the row.
#[tokio::test]
async fn a_broken_stored_row_is_listed_with_its_file_and_row_and_the_server_starts() {
    let db = temp_dir("broken-row").join("scenarios.db");
    drop(freight_router::scenario::SqliteStore::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO scenario (name, definition, version, created_at, updated_at)
         VALUES ('bad row', 'name = \"bad row\"', 'not a number', 0, 0)",
        [],
    )
    .unwrap();
    drop(conn);
    let server = start_server(config(db.clone()));
    let mut client =
        proto::scenario_service_client::ScenarioServiceClient::new(channel_to(server.addr).await);
    let list = client
        .list_scenarios(proto::ListScenariosRequest {
            page_size: 10,
            page_token: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    let broken = list.scenarios.first().expect("the row is listed");
    assert_eq!(broken.state, proto::ScenarioState::Broken as i32);
    assert!(
        broken.problem.contains(&db.display().to_string()),
        "{}",
        broken.problem
    );
    assert!(
        broken.problem.contains("row 1") && broken.problem.contains("version"),
        "{}",
        broken.problem
    );
    server.stop().await;
}

/// Scenarios are listed page by page, and a definition beyond the size quota is refused
/// naming the limit.
#[tokio::test]
async fn scenarios_page_and_an_oversized_definition_is_refused() {
    for i in 0..2 {
        create_scenario(
            channel().await,
            proto::ScenarioDefinition {
                name: format!("paging test {i}"),
                suspensions: vec![suspended("SEA-DLC-TYO")],
                ..Default::default()
            },
        )
        .await;
    }
    let mut client = scenarios().await;
    let first = client
        .list_scenarios(proto::ListScenariosRequest {
            page_size: 1,
            page_token: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.scenarios.len(), 1);
    assert!(!first.next_page_token.is_empty());
    let second = client
        .list_scenarios(proto::ListScenariosRequest {
            page_size: 1,
            page_token: first.next_page_token.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_ne!(second.scenarios[0].id, first.scenarios[0].id);

    let status = client
        .create_scenario(authorized(
            proto::CreateScenarioRequest {
                definition: Some(proto::ScenarioDefinition {
                    name: "oversized".into(),
                    description: "x".repeat(300 * 1024),
                    ..Default::default()
                }),
                ..Default::default()
            },
            PLANNER_TOKEN,
        ))
        .await
        .unwrap_err();
    assert_eq!(
        status.code(),
        tonic::Code::ResourceExhausted,
        "{}",
        status.message()
    );
    assert!(status.message().contains("262144"), "{}", status.message());
}

/// `GET /metrics` at `addr`, checked to be Prometheus text: its samples (name with labels,
/// value).
async fn scrape(addr: SocketAddr) -> Vec<(String, f64)> {
    let text = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    })
    .await
    .unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP response");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let mut samples = Vec::new();
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        if line.starts_with('#') {
            assert!(
                line.starts_with("# TYPE ") || line.starts_with("# HELP "),
                "{line}"
            );
            continue;
        }
        let sample = line
            .rsplit_once(' ')
            .and_then(|(name, value)| Some((name.to_string(), value.trim().parse().ok()?)));
        samples.push(sample.unwrap_or_else(|| panic!("not a Prometheus sample: {line}")));
    }
    samples
}

/// The first sample whose name starts with `name` and contains every label of `labels`.
fn value_of(samples: &[(String, f64)], name: &str, labels: &[&str]) -> Option<f64> {
    samples
        .iter()
        .find(|(n, _)| n.starts_with(name) && labels.iter().all(|l| n.contains(l)))
        .map(|(_, v)| *v)
}

/// User and system CPU time the process has used so far.
#[cfg(target_os = "linux")]
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    // utime and stime are fields 14 and 15; field 3 (state) is the first after the name.
    let ticks: u64 =
        fields[14 - 3].parse::<u64>().unwrap() + fields[15 - 3].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

/// A comparison whose deadline passes stops working: the pairs it has searched stop
/// growing and it leaves the running gauge (the metrics), and the server's CPU goes quiet.
#[tokio::test]
async fn an_expired_comparison_stops_consuming_cpu_as_the_metrics_show() {
    let (addr, metrics) = (free_port(), free_port());
    let mut child = start_binary(
        addr,
        &[
            "--metrics-addr",
            &metrics.to_string(),
            "--planner-tokens",
            PLANNER_TOKEN,
        ],
    );
    let channel = channel_to(addr).await;
    let scenario = create_scenario(
        channel.clone(),
        proto::ScenarioDefinition {
            name: "deadline metrics test".into(),
            suspensions: vec![suspended("SEA-DLC-PUS")],
            ..Default::default()
        },
    )
    .await;
    let mut client = proto::scenario_service_client::ScenarioServiceClient::new(channel);
    // 161 pairs x 31 days (4,991 pair-days): some 2,500 searches, seconds of work.
    let mut request = tonic::Request::new(month_long(comparison(&scenario.id, 161)));
    request.set_timeout(Duration::from_millis(400));
    if let Ok(response) = client.compare_scenario(request).await {
        let mut stream = response.into_inner();
        while let Ok(Some(_)) = stream.message().await {}
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let after_deadline = scrape(metrics).await;
    #[cfg(target_os = "linux")]
    let cpu_before = cpu_time(child.id());
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let a_second_later = scrape(metrics).await;
    #[cfg(target_os = "linux")]
    let cpu_spent = cpu_time(child.id()) - cpu_before;
    let _ = child.kill();
    let _ = child.wait();

    let pairs =
        |samples: &[(String, f64)]| value_of(samples, "freight_comparison_pairs_total", &[]);
    assert!(
        pairs(&after_deadline).unwrap_or(0.0) >= 1.0,
        "{after_deadline:?}"
    );
    assert!(pairs(&after_deadline) < Some(161.0), "{after_deadline:?}");
    assert_eq!(pairs(&after_deadline), pairs(&a_second_later));
    assert_eq!(
        value_of(&a_second_later, "freight_comparisons_running", &[]),
        Some(0.0),
        "{a_second_later:?}"
    );
    #[cfg(target_os = "linux")]
    assert!(
        cpu_spent < Duration::from_millis(300),
        "the server used {cpu_spent:?} of CPU in the second after the deadline"
    );
}

/// `GET /metrics` on the metrics address: Prometheus text that counts the calls made.
#[tokio::test]
async fn metrics_parse_as_prometheus_text_and_count_the_calls() {
    let (addr, metrics) = (free_port(), free_port());
    let mut child = start_binary(addr, &["--metrics-addr", &metrics.to_string()]);
    let mut routing =
        proto::routing_service_client::RoutingServiceClient::new(channel_to(addr).await);
    for _ in 0..3 {
        routing
            .find_routes(request(
                "CNDLC",
                "KRPUS",
                containers(1, 0, false),
                proto::Objective::Cost,
            ))
            .await
            .unwrap();
    }
    routing
        .find_routes(request(
            "CNDLC",
            "NOWHERE",
            containers(1, 0, false),
            proto::Objective::Cost,
        ))
        .await
        .unwrap_err();
    let samples = scrape(metrics).await;
    let _ = child.kill();
    let _ = child.wait();
    let value = |name: &str, labels: &[&str]| value_of(&samples, name, labels);
    let body = format!("{samples:?}");
    assert_eq!(
        value(
            "freight_calls_total{",
            &["method=\"FindRoutes\"", "code=\"OK\""]
        ),
        Some(3.0),
        "{body}"
    );
    assert_eq!(
        value(
            "freight_calls_total{",
            &["method=\"FindRoutes\"", "code=\"NOT_FOUND\""]
        ),
        Some(1.0)
    );
    assert!(value("freight_call_duration_seconds_bucket{", &["FindRoutes"]).is_some());
    assert!(value("freight_search_duration_seconds_count", &[]).unwrap_or(0.0) >= 3.0);
    assert!(
        value("freight_connections_open", &[]).unwrap_or(0.0) >= 1.0,
        "{body}"
    );
}

/// A request larger than the server's message limit is RESOURCE_EXHAUSTED (gRPC's status-code
/// table), naming the limit.
#[tokio::test]
async fn an_oversize_request_is_resource_exhausted() {
    let huge = "X".repeat(freight_router::server::MAX_REQUEST_BYTES + 1024);
    let status = routing()
        .await
        .find_routes(request(
            &huge,
            "KRPUS",
            containers(1, 0, false),
            proto::Objective::Cost,
        ))
        .await
        .unwrap_err();
    assert_eq!(
        status.code(),
        tonic::Code::ResourceExhausted,
        "{}",
        status.message()
    );
    assert!(status.message().contains("4194304"), "{}", status.message());
}
