//! Shared harness: one real server per test binary, on a loopback port, serving the bundled
//! network; tests talk to it only through the generated gRPC clients.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;

use freight_router::api::{Role, Tokens};
use freight_router::proto::{
    self, network_service_client::NetworkServiceClient,
    routing_service_client::RoutingServiceClient, scenario_service_client::ScenarioServiceClient,
};
use freight_router::server;
use tonic::transport::Channel;

pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("network-data")
}

/// The planner and read-only tokens every test server accepts.
pub const PLANNER_TOKEN: &str = "test-planner-token-7f3a";
pub const READER_TOKEN: &str = "test-reader-token-91c2";

/// A fresh directory for one test's files (scenario databases).
pub fn temp_dir(tag: &str) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("freight-test-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The configuration of a test server: bundled data, the scenario database at `db`, the
/// test tokens.
pub fn config(db: PathBuf) -> server::ServerConfig {
    server::ServerConfig {
        tokens: Tokens::new([
            (PLANNER_TOKEN.to_string(), Role::Planner),
            (READER_TOKEN.to_string(), Role::ReadOnly),
        ]),
        ..server::ServerConfig::new(data_dir(), db)
    }
}

/// A server running on its own thread and runtime until `stop` is sent.
pub struct RunningServer {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningServer {
    /// Stops the server and waits until it has drained its connections and let go of its
    /// database. The wait runs off the test's runtime, which must keep driving the client side
    /// of those connections meanwhile.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            tokio::task::spawn_blocking(move || thread.join().expect("server thread"))
                .await
                .unwrap();
        }
    }
}

/// Starts a real server on a loopback port (on its own runtime, so it outlives each test's
/// runtime).
pub fn start_server(config: server::ServerConfig) -> RunningServer {
    let (tx, rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("test runtime");
        runtime.block_on(async move {
            let loaded = server::Server::load(&config).await.expect("server loads");
            let listener = server::bind("127.0.0.1:0".parse().unwrap())
                .await
                .expect("bind loopback");
            tx.send(listener.local_addr().unwrap()).unwrap();
            loaded
                .serve(listener, async {
                    let _ = stop_rx.await;
                })
                .await
                .expect("server runs");
        });
    });
    RunningServer {
        addr: rx.recv().expect("server started"),
        stop: Some(stop_tx),
        thread: Some(thread),
    }
}

/// The server shared by the tests of one binary (started once).
pub fn server_addr() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let server = start_server(config(temp_dir("shared").join("scenarios.db")));
        let addr = server.addr;
        std::mem::forget(server); // runs until the test binary exits
        addr
    })
}

pub async fn channel_to(addr: SocketAddr) -> Channel {
    Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .expect("connect to test server")
}

pub async fn scenarios() -> ScenarioServiceClient<Channel> {
    ScenarioServiceClient::new(channel().await)
}

/// Creates a scenario with the planner token on the server `channel` leads to.
pub async fn create_scenario(
    channel: Channel,
    definition: proto::ScenarioDefinition,
) -> proto::Scenario {
    ScenarioServiceClient::new(channel)
        .create_scenario(authorized(
            proto::CreateScenarioRequest {
                definition: Some(definition),
                ..Default::default()
            },
            PLANNER_TOKEN,
        ))
        .await
        .unwrap()
        .into_inner()
        .scenario
        .unwrap()
}

/// A suspension of a service, without dates.
pub fn suspended(service_id: &str) -> proto::Suspension {
    proto::Suspension {
        service_id: service_id.into(),
        reason: "test".into(),
        ..Default::default()
    }
}

/// A request with a bearer token.
pub fn authorized<T>(message: T, token: &str) -> tonic::Request<T> {
    freight_router::client::with_token(message, Some(token)).unwrap()
}

pub async fn channel() -> Channel {
    Channel::from_shared(format!("http://{}", server_addr()))
        .unwrap()
        .connect()
        .await
        .expect("connect to test server")
}

pub async fn routing() -> RoutingServiceClient<Channel> {
    RoutingServiceClient::new(channel().await)
}

pub async fn network() -> NetworkServiceClient<Channel> {
    NetworkServiceClient::new(channel().await)
}

pub fn containers(count_20ft: i32, count_40ft: i32, reefer: bool) -> proto::Shipment {
    proto::Shipment {
        cargo: Some(proto::shipment::Cargo::Containers(proto::ContainerLoad {
            count_20ft,
            count_40ft,
            reefer,
            ..Default::default()
        })),
        ..Default::default()
    }
}

pub fn parcel(weight_kg: f64, volume_m3: f64) -> proto::Shipment {
    proto::Shipment {
        cargo: Some(proto::shipment::Cargo::LooseCargo(proto::LooseCargo {
            weight_kg,
            volume_m3,
            ..Default::default()
        })),
        ..Default::default()
    }
}

pub fn request(
    origin: &str,
    destination: &str,
    shipment: proto::Shipment,
    objective: proto::Objective,
) -> proto::FindRoutesRequest {
    proto::FindRoutesRequest {
        origin: origin.to_string(),
        destination: destination.to_string(),
        shipment: Some(shipment),
        objective: objective.into(),
        constraints: None,
        max_routes: None,
        weights: None,
        ready_at: None,
        explain: false,
        scenario_id: String::new(),
        co2_basis: 0,
        view: 0,
    }
}

/// Dalian's offset: the bundled timetables of Dalian services are in Asia/Shanghai time.
const DALIAN_OFFSET_HOURS: i32 = 8;

/// `month`-`day` at 08:00 Dalian time, as a protobuf Timestamp: this year's when it is at
/// least two days away, else next year's, unless that one lies beyond the server's horizon of
/// ready times (366 days ahead; 365 here, for a margin), as it does in the two days before the
/// date: then this year's, at most two days ahead. (Always next year's, as before, made every
/// test that uses it fail in those two days: on 29 and 30 November for `next_date(12, 1)`.)
pub fn next_date(month: i8, day: i8) -> prost_types::Timestamp {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(DALIAN_OFFSET_HOURS as i8));
    let now = jiff::Timestamp::now().to_zoned(tz.clone());
    let now_s = now.timestamp().as_second();
    let at = |year: i16| {
        jiff::civil::date(year, month, day)
            .at(8, 0, 0, 0)
            .to_zoned(tz.clone())
            .unwrap()
            .timestamp()
            .as_second()
    };
    let mut year = now.year();
    while at(year) <= now_s + 2 * 86_400 && at(year + 1) <= now_s + 365 * 86_400 {
        year += 1;
    }
    prost_types::Timestamp {
        seconds: at(year),
        nanos: 0,
    }
}

/// The next given weekday at 08:00 Dalian time, two to nine days from now.
pub fn next_weekday(weekday: jiff::civil::Weekday) -> prost_types::Timestamp {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(DALIAN_OFFSET_HOURS as i8));
    let mut date = jiff::Timestamp::now()
        .to_zoned(tz.clone())
        .date()
        .tomorrow()
        .unwrap();
    date = date.tomorrow().unwrap();
    while date.weekday() != weekday {
        date = date.tomorrow().unwrap();
    }
    let at = date.at(8, 0, 0, 0).to_zoned(tz).unwrap().timestamp();
    prost_types::Timestamp {
        seconds: at.as_second(),
        nanos: 0,
    }
}

/// A timestamp's local weekday and hour at a fixed offset.
pub fn local_weekday_hour(
    t: &prost_types::Timestamp,
    offset_hours: i8,
) -> (jiff::civil::Weekday, i8) {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(offset_hours));
    let z = jiff::Timestamp::from_second(t.seconds)
        .unwrap()
        .to_zoned(tz);
    (z.weekday(), z.hour())
}

/// The modes of a route's main (non-drayage) legs.
pub fn main_modes(route: &proto::Route) -> Vec<proto::TransportMode> {
    route
        .legs
        .iter()
        .filter(|l| !l.drayage)
        .map(|l| proto::TransportMode::try_from(l.mode).unwrap())
        .collect()
}

pub fn total_usd(route: &proto::Route) -> f64 {
    route.cost.as_ref().unwrap().total_usd
}

/// Door to door, from ready_at to the cargo being available at the destination.
pub fn total_hours(route: &proto::Route) -> f64 {
    route.door_to_door.as_ref().unwrap().seconds as f64 / 3600.0
}

pub fn sea_km(route: &proto::Route) -> f64 {
    route
        .legs
        .iter()
        .filter(|l| l.mode == proto::TransportMode::Sea as i32)
        .map(|l| l.distance_km)
        .sum()
}

/// A channel to a `freight serve` process on `127.0.0.1:port`, retried every 100 ms until it
/// answers (a minute at most: a process that never comes up fails the test, naming `what`).
pub async fn connect_when_up(port: u16, what: &str) -> Channel {
    let started = std::time::Instant::now();
    loop {
        match Channel::from_shared(format!("http://127.0.0.1:{port}"))
            .unwrap()
            .connect()
            .await
        {
            Ok(channel) => return channel,
            Err(_) if started.elapsed() < std::time::Duration::from_secs(60) => {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await
            }
            Err(e) => panic!("{what} did not come up: {e}"),
        }
    }
}
