//! The PostgreSQL scenario store, against a real database and real `freight serve` replicas on
//! loopback: the store's guarantees, replicas agreeing through notifications, a database
//! outage survived, and a replica killed mid-write losing nothing acknowledged.
//!
//! The suite needs a PostgreSQL server: `FREIGHT_TEST_POSTGRES_URL` is a URL whose user may
//! create databases (each test makes its own). The outage test also needs
//! `FREIGHT_TEST_PG_STOP_CMD` and `FREIGHT_TEST_PG_START_CMD`, shell commands that stop and
//! start that server. `.ci/run` sets all three for a throwaway cluster; without them, each
//! test says it was skipped and passes.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{
    authorized, connect_when_up, data_dir, request, temp_dir, PLANNER_TOKEN, READER_TOKEN,
};
use freight_router::proto::{
    self, routing_service_client::RoutingServiceClient,
    scenario_service_client::ScenarioServiceClient,
};
use freight_router::scenario::{PostgresStore, ScenarioDefinition, StoreError};
use tonic::transport::Channel;
use tonic_health::pb::{health_check_response::ServingStatus, health_client::HealthClient};

/// The longest a change may take to show on another replica in these tests: the resync
/// period the replicas run with (2 s here) plus rebuild time, with room for a loaded CI box.
const PROPAGATION_BOUND: Duration = Duration::from_secs(8);
const RESYNC_SECS: &str = "2";

/// Says on the process's own stderr that a test did not run, and why: the test harness
/// captures `eprintln!` of passing tests, which would hide it.
fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "{}: skipped: {why}",
        std::thread::current().name().unwrap_or("postgres test")
    );
}

fn admin_url() -> Option<String> {
    match std::env::var("FREIGHT_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            skipped("FREIGHT_TEST_POSTGRES_URL is not set (the PostgreSQL suite runs in .ci/run)");
            None
        }
    }
}

/// A new, empty database for one test; its URL.
async fn fresh_database(admin: &str, tag: &str) -> String {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("freight_{tag}_{}_{n}", std::process::id());
    let (client, connection) = tokio_postgres::connect(admin, tokio_postgres::NoTls)
        .await
        .expect("connect with FREIGHT_TEST_POSTGRES_URL");
    tokio::spawn(connection);
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        client
            .batch_execute(&statement)
            .await
            .expect("create the test database");
    }
    with_database(admin, &name)
}

/// `url` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    format!("{host_part}/{name}{query}")
}

async fn sql(url: &str, statement: &str) {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client.batch_execute(statement).await.unwrap();
}

fn definition(name: &str, rate_factor: f64) -> proto::ScenarioDefinition {
    proto::ScenarioDefinition {
        name: name.into(),
        description: "postgres suite".into(),
        service_changes: vec![proto::ServiceChange {
            service_id: "SEA-DLC-PUS".into(),
            rate_factor: Some(rate_factor),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `freight serve` process on a loopback port, killed when dropped.
struct Replica {
    child: Child,
    port: u16,
    channel: Channel,
}

impl Replica {
    async fn start(db_url: &str, tag: &str) -> Replica {
        Replica::start_on(db_url, tag, free_port()).await
    }

    async fn start_on(db_url: &str, tag: &str, port: u16) -> Replica {
        let log = std::fs::File::create(temp_dir(tag).join("server.log")).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_freight"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(data_dir())
            .args(["--scenario-db", db_url])
            .args(["--store-resync-secs", RESYNC_SECS])
            .args(["--drain-delay-secs", "0", "--grace-secs", "1"])
            .env("FREIGHT_PLANNER_TOKENS", PLANNER_TOKEN)
            .env("FREIGHT_READ_ONLY_TOKENS", READER_TOKEN)
            .env("RUST_LOG", "info,freight_router=debug")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .expect("start freight serve");
        let channel = connect_when_up(port, "replica").await;
        Replica {
            child,
            port,
            channel,
        }
    }

    fn scenarios(&self) -> ScenarioServiceClient<Channel> {
        ScenarioServiceClient::new(self.channel.clone())
    }

    fn routing(&self) -> RoutingServiceClient<Channel> {
        RoutingServiceClient::new(self.channel.clone())
    }

    async fn create(
        &self,
        definition: proto::ScenarioDefinition,
    ) -> Result<proto::Scenario, tonic::Status> {
        let request = authorized(
            proto::CreateScenarioRequest {
                definition: Some(definition),
                ..Default::default()
            },
            PLANNER_TOKEN,
        );
        Ok(self
            .scenarios()
            .create_scenario(request)
            .await?
            .into_inner()
            .scenario
            .unwrap())
    }

    async fn update(
        &self,
        id: &str,
        expected_version: Option<i64>,
        definition: proto::ScenarioDefinition,
    ) -> Result<proto::Scenario, tonic::Status> {
        let request = authorized(
            proto::UpdateScenarioRequest {
                scenario_id: id.into(),
                expected_version,
                definition: Some(definition),
                ..Default::default()
            },
            PLANNER_TOKEN,
        );
        Ok(self
            .scenarios()
            .update_scenario(request)
            .await?
            .into_inner()
            .scenario
            .unwrap())
    }

    async fn get(&self, id: &str) -> Result<proto::Scenario, tonic::Status> {
        Ok(self
            .scenarios()
            .get_scenario(proto::GetScenarioRequest {
                scenario_id: id.into(),
            })
            .await?
            .into_inner()
            .scenario
            .unwrap())
    }

    /// Routes Dalian → Busan on a scenario: the answer's route count.
    async fn route_on(&self, id: &str) -> Result<usize, tonic::Status> {
        let mut req = request(
            "CNDLC",
            "KRPUS",
            common::containers(1, 0, false),
            proto::Objective::Cost,
        );
        req.scenario_id = id.into();
        Ok(self
            .routing()
            .find_routes(req)
            .await?
            .into_inner()
            .routes
            .len())
    }

    async fn health(&self, service: &str) -> i32 {
        HealthClient::new(self.channel.clone())
            .check(tonic_health::pb::HealthCheckRequest {
                service: service.into(),
            })
            .await
            .map(|r| r.into_inner().status)
            .unwrap_or(-1)
    }

    fn kill(&mut self) {
        let _ = self.child.kill(); // SIGKILL
        let _ = self.child.wait();
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Polls `check` until it holds, failing after `limit`; returns how long it took.
async fn within<F, Fut>(limit: Duration, what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            return started.elapsed();
        }
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn the_store_writes_reads_and_guards_versions_and_names() {
    let Some(admin) = admin_url() else { return };
    let url = fresh_database(&admin, "store").await;
    let store = PostgresStore::open(&url).await.unwrap();
    let a = store.insert("a", "name = \"a\"\n", 10).await.unwrap();
    assert_eq!((a.id.as_str(), a.version), ("scn-1", 1));
    let b = store.insert("b", "x", 11).await.unwrap();
    assert_eq!(b.id, "scn-2");
    assert!(matches!(
        store.insert("a", "y", 12).await,
        Err(StoreError::NameTaken(n)) if n == "a"
    ));
    assert!(matches!(
        store.update(&a.id, None, "b", "y", 12).await,
        Err(StoreError::NameTaken(n)) if n == "b"
    ));
    let a2 = store.update(&a.id, Some(1), "a", "y", 13).await.unwrap();
    assert_eq!((a2.version, a2.created_at, a2.updated_at), (2, 10, 13));
    assert!(matches!(
        store.update(&a.id, Some(1), "a", "z", 14).await,
        Err(StoreError::VersionMismatch {
            current: 2,
            expected: 1,
            ..
        })
    ));
    let a3 = store.update(&a.id, None, "a", "z", 15).await.unwrap();
    assert_eq!(a3.version, 3);
    assert_eq!(store.get(&a.id).await.unwrap(), Some(a3.clone()));
    assert_eq!(
        store.versions().await.unwrap(),
        vec![("scn-1".to_string(), 3), ("scn-2".to_string(), 1)]
    );
    assert!(matches!(
        store.update("scn-99", None, "q", "q", 1).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.update("scn-01", None, "q", "q", 1).await,
        Err(StoreError::NotFound(_))
    ));
    store.delete(&a.id).await.unwrap();
    assert!(matches!(
        store.delete(&a.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.delete("nonsense").await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.get(&a.id).await.unwrap(), None);
    assert_eq!(store.list().await.unwrap(), vec![b.clone()]);
    assert_eq!(store.count().await.unwrap(), 1);
    // Ids are never reused (a sequence may skip numbers, never go back), so a deleted
    // scenario's id names nothing new.
    let c = store.insert("a", "again", 16).await.unwrap();
    let number = |id: &str| id.trim_start_matches("scn-").parse::<i64>().unwrap();
    assert!(number(&c.id) > number(&b.id), "{}", c.id);
}

#[tokio::test]
async fn migrations_are_idempotent_and_a_newer_schema_is_refused() {
    let Some(admin) = admin_url() else { return };
    let url = fresh_database(&admin, "migrate").await;
    let first = PostgresStore::open(&url).await.unwrap();
    first.insert("kept", "x", 1).await.unwrap();
    assert_eq!(first.schema_version().await.unwrap(), 1);
    // Replicas open the same database at once: each finds it migrated or migrates it.
    let opened = futures_join(&url).await;
    assert!(opened.iter().all(Result::is_ok), "{opened:?}");
    let again = PostgresStore::open(&url).await.unwrap();
    assert_eq!(again.schema_version().await.unwrap(), 1);
    assert_eq!(again.count().await.unwrap(), 1);
    sql(&url, "UPDATE schema_version SET version = 99").await;
    let refused = PostgresStore::open(&url).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::TooNew {
                found: 99,
                known: 1
            })
        ),
        "{refused:?}"
    );
}

async fn futures_join(url: &str) -> Vec<Result<(), String>> {
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = url.to_string();
            tokio::spawn(async move {
                PostgresStore::open(&url)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            })
        })
        .collect();
    let mut results = Vec::new();
    for h in handles {
        results.push(h.await.unwrap());
    }
    results
}

#[tokio::test]
async fn migrating_a_fresh_database_from_several_replicas_at_once_works() {
    let Some(admin) = admin_url() else { return };
    let url = fresh_database(&admin, "race").await;
    let opened = futures_join(&url).await;
    assert!(opened.iter().all(Result::is_ok), "{opened:?}");
    let store = PostgresStore::open(&url).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_one_replica_is_routable_on_the_other_within_the_bound() {
    let Some(admin) = admin_url() else { return };
    let url = fresh_database(&admin, "replicas").await;
    let (a, b) = (
        Replica::start(&url, "replica-a").await,
        Replica::start(&url, "replica-b").await,
    );
    let created = a.create(definition("dearer busan", 1.5)).await.unwrap();
    let id = created.id.clone();
    let took = within(PROPAGATION_BOUND, "created on A, routable on B", || async {
        b.route_on(&id).await.is_ok_and(|n| n > 0)
    })
    .await;
    eprintln!("created on A, routable on B after {took:?}");
    let seen = b.get(&id).await.unwrap();
    assert_eq!(seen.definition, created.definition);

    let updated = a
        .update(&id, Some(1), definition("dearer busan", 2.0))
        .await
        .unwrap();
    assert_eq!(updated.version, 2);
    within(
        PROPAGATION_BOUND,
        "updated on A, version 2 on B",
        || async { b.get(&id).await.is_ok_and(|s| s.version == 2) },
    )
    .await;

    a.scenarios()
        .delete_scenario(authorized(
            proto::DeleteScenarioRequest {
                scenario_id: id.clone(),
            },
            PLANNER_TOKEN,
        ))
        .await
        .unwrap();
    within(PROPAGATION_BOUND, "deleted on A, gone on B", || async {
        b.get(&id)
            .await
            .is_err_and(|s| s.code() == tonic::Code::NotFound)
    })
    .await;
    // Routing on the deleted scenario is NOT_FOUND on both.
    for replica in [&a, &b] {
        let status = replica.route_on(&id).await.unwrap_err();
        assert_eq!(status.code(), tonic::Code::NotFound, "{status:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_update_on_one_replica_is_aborted_after_an_update_on_the_other() {
    let Some(admin) = admin_url() else { return };
    let url = fresh_database(&admin, "stale").await;
    let (a, b) = (
        Replica::start(&url, "stale-a").await,
        Replica::start(&url, "stale-b").await,
    );
    let id = a.create(definition("contested", 1.1)).await.unwrap().id;
    // B may not have heard of it yet: the store decides, not B's memory.
    let on_b = b
        .update(&id, Some(1), definition("contested", 1.2))
        .await
        .unwrap();
    assert_eq!(on_b.version, 2);
    let stale = a
        .update(&id, Some(1), definition("contested", 1.3))
        .await
        .unwrap_err();
    assert_eq!(stale.code(), tonic::Code::Aborted, "{stale:?}");
    assert!(
        stale.message().contains("version 2, not 1"),
        "{}",
        stale.message()
    );
    // The name is unique across replicas too.
    let taken = b.create(definition("contested", 1.0)).await.unwrap_err();
    assert_eq!(taken.code(), tonic::Code::AlreadyExists, "{taken:?}");
    // And A ends on B's version.
    within(PROPAGATION_BOUND, "A shows B's update", || async {
        a.get(&id).await.is_ok_and(|s| s.version == 2)
    })
    .await;
}

fn shell(command: &str) {
    let status = Command::new("sh").args(["-c", command]).status().unwrap();
    assert!(status.success(), "{command}: {status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_is_survived_and_reported_by_health() {
    let Some(admin) = admin_url() else { return };
    let (Ok(stop), Ok(start)) = (
        std::env::var("FREIGHT_TEST_PG_STOP_CMD"),
        std::env::var("FREIGHT_TEST_PG_START_CMD"),
    ) else {
        skipped("FREIGHT_TEST_PG_STOP_CMD / FREIGHT_TEST_PG_START_CMD are not set");
        return;
    };
    let url = fresh_database(&admin, "outage").await;
    let replica = Replica::start(&url, "outage").await;
    let id = replica
        .create(definition("before the outage", 1.2))
        .await
        .unwrap()
        .id;
    assert_eq!(replica.health("").await, ServingStatus::Serving as i32);

    shell(&stop);
    let restarted = scopeguard(start.clone());
    within(Duration::from_secs(15), "health NOT_SERVING", || async {
        replica.health("").await == ServingStatus::NotServing as i32
    })
    .await;
    assert_eq!(
        replica.health("freight.v1.ScenarioService").await,
        ServingStatus::NotServing as i32
    );
    assert_eq!(
        replica.health("freight.v1.RoutingService").await,
        ServingStatus::Serving as i32,
        "routing works without the store"
    );
    assert!(replica.route_on(&id).await.unwrap() > 0);
    assert!(replica.get(&id).await.is_ok(), "reads come from memory");
    let refused = replica
        .create(definition("during the outage", 1.3))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::Unavailable, "{refused:?}");
    assert!(
        refused.message().contains("scenario database postgres://"),
        "the message names the store: {}",
        refused.message()
    );
    assert!(!refused.message().contains("panic"));

    drop(restarted); // starts the database again
    within(Duration::from_secs(30), "health SERVING again", || async {
        replica.health("").await == ServingStatus::Serving as i32
    })
    .await;
    let after = replica
        .create(definition("after the outage", 1.4))
        .await
        .expect("writes work again");
    assert!(replica.route_on(&after.id).await.unwrap() > 0);
    assert!(replica.route_on(&id).await.unwrap() > 0);
}

/// Runs `command` when dropped (so a failing test still restarts the database).
fn scopeguard(command: String) -> impl Drop {
    struct Guard(String);
    impl Drop for Guard {
        fn drop(&mut self) {
            let _ = Command::new("sh").args(["-c", &self.0]).status();
        }
    }
    Guard(command)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_of_a_replica_mid_write_loses_no_acknowledged_scenario() {
    let Some(admin) = admin_url() else { return };
    let url = fresh_database(&admin, "crash").await;
    let mut replica = Replica::start(&url, "crash").await;
    let (acks_tx, mut acks) =
        tokio::sync::mpsc::unbounded_channel::<(String, proto::ScenarioDefinition)>();
    for writer in 0..4 {
        let (channel, acks_tx) = (replica.channel.clone(), acks_tx.clone());
        tokio::spawn(async move {
            let mut client = ScenarioServiceClient::new(channel);
            for i in 0.. {
                let definition = definition(&format!("crash-{writer}-{i}"), 1.0 + i as f64 / 100.0);
                let request = authorized(
                    proto::CreateScenarioRequest {
                        definition: Some(definition.clone()),
                        ..Default::default()
                    },
                    PLANNER_TOKEN,
                );
                match client.create_scenario(request).await {
                    Ok(r) => {
                        let _ = acks_tx.send((r.into_inner().scenario.unwrap().id, definition));
                    }
                    Err(_) => return,
                }
            }
        });
    }
    drop(acks_tx);
    let mut acknowledged = Vec::new();
    while acknowledged.len() < 12 {
        acknowledged.push(acks.recv().await.expect("writes acknowledged"));
    }
    let port = replica.port;
    replica.kill();
    while let Ok(ack) = acks.try_recv() {
        acknowledged.push(ack);
    }
    drop(replica);

    let restarted = Replica::start_on(&url, "crash-restarted", port).await;
    for (id, definition) in &acknowledged {
        let got = restarted
            .get(id)
            .await
            .unwrap_or_else(|e| panic!("acknowledged scenario {id} lost: {e:?}"));
        assert_eq!(got.definition.as_ref(), Some(definition), "{id}");
    }
    let store = PostgresStore::open(&url).await.unwrap();
    for row in store.list().await.unwrap() {
        ScenarioDefinition::from_toml(&row.definition_toml)
            .unwrap_or_else(|e| panic!("half-written scenario {}: {e}", row.id));
    }
}

/// How long a change on one replica takes to be visible on another: 100 changes (a create,
/// then updates) on replica A, each polled on replica B with GetScenario until the new version
/// shows. Prints the median and the maximum. A measurement, not a check: run it by hand with
/// `cargo test --release --test postgres -- --ignored --nocapture propagation`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn propagation_delay_over_100_changes() {
    let Some(admin) = admin_url() else { return };
    let url = fresh_database(&admin, "propagation").await;
    let (a, b) = (
        Replica::start(&url, "propagation-a").await,
        Replica::start(&url, "propagation-b").await,
    );
    let mut delays = Vec::new();
    let mut id = String::new();
    for change in 0..100 {
        let version = if change % 10 == 0 {
            let s = a
                .create(definition(&format!("propagation-{change}"), 1.1))
                .await
                .unwrap();
            id = s.id;
            s.version
        } else {
            a.update(
                &id,
                None,
                definition(
                    &format!("propagation-{}", change / 10 * 10),
                    1.0 + change as f64 / 100.0,
                ),
            )
            .await
            .unwrap()
            .version
        };
        let polled = Instant::now();
        loop {
            if b.get(&id).await.is_ok_and(|s| s.version >= version) {
                break;
            }
            assert!(
                polled.elapsed() < Duration::from_secs(30),
                "change {change} never arrived"
            );
            tokio::time::sleep(Duration::from_micros(500)).await;
        }
        // From A's acknowledgement to B showing it.
        delays.push(polled.elapsed());
    }
    delays.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "propagation over {} changes: median {:.1} ms, p90 {:.1} ms, max {:.1} ms (resync period {RESYNC_SECS} s)",
        delays.len(),
        ms(delays[delays.len() / 2]),
        ms(delays[delays.len() * 9 / 10]),
        ms(delays[delays.len() - 1])
    );
}
