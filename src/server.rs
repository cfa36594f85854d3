//! Wiring of the gRPC server: the freight.v1 services over the base network and the stored
//! scenarios, the standard health service, server reflection, optional TLS, a tracing span per
//! request (method only: metadata, and so tokens, are never logged), and graceful shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tonic::server::NamedService;
use tonic::transport::{Identity, ServerTlsConfig};
use tonic_health::ServingStatus;
use tower::util::MapResponseLayer;

use crate::api::{NetworkApi, NetworkState, RoutingApi, ScenarioApi, Tokens};
use crate::data::{self, DataError};
use crate::model::OdDemand;
use crate::proto::{
    network_service_server::NetworkServiceServer, routing_service_server::RoutingServiceServer,
    scenario_service_server::ScenarioServiceServer, FILE_DESCRIPTOR_SET,
};
use crate::scenario::{Catalog, ScenarioStore, StoreError, StoreSync};

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot load the network: {0}")]
    Data(#[from] DataError),
    #[error("cannot open the scenario store: {0}")]
    Store(#[from] StoreError),
    #[error("TLS: {0}")]
    Tls(String),
    #[error("metrics: {0}")]
    Metrics(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("gRPC transport: {0}")]
    Transport(#[from] tonic::transport::Error),
    #[error("reflection descriptors: {0}")]
    Reflection(#[from] tonic_reflection::server::Error),
}

/// A certificate chain and private key, PEM files, for serving over TLS.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

mod connections;
mod console;
mod oversize;
mod small_frames;

pub use oversize::MAX_REQUEST_BYTES;

/// The bounds one careless or hostile client meets (flags of `freight serve`).
#[derive(Debug, Clone, Copy)]
pub struct ServerLimits {
    /// Open connections at once; more are closed as they arrive.
    pub max_connections: usize,
    /// Concurrent HTTP/2 streams (calls) per connection.
    pub max_streams_per_connection: u32,
    /// A connection whose client sends nothing (not even the HTTP/2 preface) for this long
    /// after connecting is closed.
    pub header_timeout: Duration,
    /// A connection that moves no byte for this long is closed.
    pub idle_timeout: Duration,
    /// After SIGTERM: health says NOT_SERVING and calls are still served for `drain_delay`
    /// (so load balancers see it), then no new connection or call is taken, and at
    /// `grace` the remaining connections and streams are cut.
    pub drain_delay: Duration,
    pub grace: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            max_connections: 4096,
            max_streams_per_connection: 256,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            drain_delay: Duration::from_secs(2),
            grace: Duration::from_secs(10),
        }
    }
}

/// What the server is started with.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The network data directory (`network-data/`).
    pub data_dir: PathBuf,
    /// The scenario store: the SQLite file of the scenarios (created on first start), or a
    /// `postgres://` URL of a database that replicas share.
    pub scenario_db: PathBuf,
    /// With a shared store: how often every stored version is compared with the live ones,
    /// the safety net for a missed notification.
    pub store_resync: Duration,
    /// Who may change scenarios.
    pub tokens: Tokens,
    /// Serve over TLS instead of plaintext.
    pub tls: Option<TlsFiles>,
    pub limits: ServerLimits,
    /// Serve Prometheus metrics over HTTP at `/metrics` on this address.
    pub metrics_addr: Option<SocketAddr>,
}

impl ServerConfig {
    /// Plaintext, no tokens (scenarios read-only for everyone).
    pub fn new(data_dir: impl Into<PathBuf>, scenario_db: impl Into<PathBuf>) -> Self {
        ServerConfig {
            data_dir: data_dir.into(),
            scenario_db: scenario_db.into(),
            store_resync: crate::scenario::sync::DEFAULT_RESYNC,
            tokens: Tokens::default(),
            tls: None,
            limits: ServerLimits::default(),
            metrics_addr: None,
        }
    }
}

/// A loaded server, ready to serve: the base network and the live scenarios, the demand
/// matrix, the tokens and the TLS identity.
#[derive(Debug)]
pub struct Server {
    catalog: Arc<Catalog>,
    demand: Vec<OdDemand>,
    tokens: Tokens,
    tls: Option<ServerTlsConfig>,
    limits: ServerLimits,
    metrics_addr: Option<SocketAddr>,
    /// The sync loop of a shared store, and whether the store is reachable.
    sync: Option<(StoreSync, tokio::sync::watch::Receiver<bool>)>,
}

/// Loads the network from a data directory and prepares it for queries.
pub fn load_state(data_dir: &Path) -> Result<Arc<NetworkState>, DataError> {
    let started = std::time::Instant::now();
    let network = data::load_network(data_dir)?;
    let state = NetworkState::new(network);
    tracing::info!(
        terminals = state.network.terminals().len(),
        services = state.network.services().len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        data_dir = %data_dir.display(),
        "network loaded"
    );
    Ok(state)
}

impl Server {
    /// Loads the network, the demand matrix and the stored scenarios (connecting to the
    /// store, which must be reachable at start).
    pub async fn load(config: &ServerConfig) -> Result<Self, ServerError> {
        let base = load_state(&config.data_dir)?;
        let demand = data::load_demand(&config.data_dir, &base.network)?;
        let store = ScenarioStore::open(&config.scenario_db).await?;
        let catalog = Arc::new(Catalog::open(base, store).await?);
        let sync = StoreSync::new(Arc::clone(&catalog), config.store_resync);
        let tls = match &config.tls {
            None => None,
            Some(files) => {
                let read = |p: &Path| {
                    std::fs::read(p).map_err(|e| ServerError::Tls(format!("{}: {e}", p.display())))
                };
                let identity = Identity::from_pem(read(&files.cert)?, read(&files.key)?);
                Some(ServerTlsConfig::new().identity(identity))
            }
        };
        if config.tokens.is_empty() {
            tracing::warn!("no planner tokens configured: scenarios can be read but not changed");
        } else {
            tracing::info!(tokens = config.tokens.len(), "scenario tokens loaded");
        }
        Ok(Server {
            catalog,
            demand,
            tokens: config.tokens.clone(),
            tls,
            limits: config.limits,
            metrics_addr: config.metrics_addr,
            sync,
        })
    }

    /// Serves every service on `listener` until `shutdown` completes, then drains: health
    /// reports NOT_SERVING at once, calls are still served for the drain delay, then no new
    /// connection or call is taken and in-flight calls may finish until the grace period
    /// ends, when the remaining connections and streams are cut. Always returns by then.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), ServerError> {
        if let Some(addr) = self.metrics_addr {
            install_metrics(addr)?;
        }
        let (health_reporter, health_service) = tonic_health::server::health_reporter();
        health_reporter
            .set_serving::<RoutingServiceServer<RoutingApi>>()
            .await;
        health_reporter
            .set_serving::<NetworkServiceServer<NetworkApi>>()
            .await;
        health_reporter
            .set_serving::<ScenarioServiceServer<ScenarioApi>>()
            .await;
        // A shared store: its sync loop runs while we serve, and its reachability decides
        // the health of "" and of the scenario service (routing goes on either way).
        let (sync_task, health_task) = match self.sync {
            Some((sync, reachable)) => (
                Some(tokio::spawn(sync.run())),
                Some(tokio::spawn(follow_store(
                    health_reporter.clone(),
                    reachable,
                ))),
            ),
            None => (None, None),
        };
        let descriptors = || {
            tonic_reflection::server::Builder::configure()
                .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
                .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        };
        // Both reflection protocols: grpcurl speaks v1, but the Python reflection client and
        // several GUI clients still speak only v1alpha.
        let reflection = descriptors().build_v1()?;
        let reflection_v1alpha = descriptors().build_v1alpha()?;
        if let Ok(addr) = listener.local_addr() {
            let scheme = if self.tls.is_some() { "https" } else { "http" };
            tracing::info!(%addr, tls = self.tls.is_some(), "serving freight.v1 (gRPC and gRPC-Web)");
            if console::is_built() {
                tracing::info!("console at {scheme}://{addr}/");
            }
        }
        let limits = self.limits;
        // HTTP/1.1 as well as HTTP/2: browsers speak gRPC-Web over either.
        let mut builder = tonic::transport::Server::builder()
            .accept_http1(true)
            .max_concurrent_streams(Some(limits.max_streams_per_connection));
        if let Some(tls) = self.tls {
            builder = builder.tls_config(tls)?;
        }
        let base = Arc::clone(self.catalog.base());
        let (stop_accepting, stopped) = tokio::sync::oneshot::channel::<()>();
        let mut routes = tonic::service::Routes::builder();
        routes
            .add_service(health_service)
            .add_service(reflection)
            .add_service(reflection_v1alpha)
            .add_service(RoutingServiceServer::new(RoutingApi::new(Arc::clone(
                &self.catalog,
            ))))
            .add_service(NetworkServiceServer::new(NetworkApi::new(base)))
            .add_service(ScenarioServiceServer::new(ScenarioApi::new(
                self.catalog,
                self.tokens,
                self.demand,
            )));
        let serving = builder
            // Outermost first: what is not a call is a console file; gRPC-Web is translated
            // to gRPC before the oversize status is rewritten, so browsers get the same
            // RESOURCE_EXHAUSTED; innermost, small answers are cut into frames that HTTP/2
            // buffers together (see small_frames.rs).
            .layer(console::ConsoleLayer)
            .layer(tonic_web::GrpcWebLayer::new())
            .layer(MapResponseLayer::new(oversize::name_the_limit))
            .layer(MapResponseLayer::new(small_frames::cut))
            .trace_fn(|request| tracing::info_span!("grpc", method = %request.uri().path()))
            .add_routes(routes.routes())
            .serve_with_incoming_shutdown(
                connections::accept(
                    listener,
                    connections::ConnectionLimits {
                        max_connections: limits.max_connections,
                        header_timeout: limits.header_timeout,
                        idle_timeout: limits.idle_timeout,
                    },
                ),
                async {
                    let _ = stopped.await;
                },
            );
        tokio::pin!(serving);
        tokio::select! {
            result = &mut serving => return result.map_err(ServerError::from),
            _ = shutdown => {}
        }
        let deadline = tokio::time::Instant::now() + limits.grace;
        // The store's health may no longer say SERVING: stop its follower (and wait until it
        // has stopped, so no late SERVING lands after the NOT_SERVING below).
        if let Some(task) = health_task {
            task.abort();
            let _ = task.await;
        }
        if let Some(task) = sync_task {
            task.abort();
        }
        health_reporter
            .set_service_status("", ServingStatus::NotServing)
            .await;
        for service in [
            <RoutingServiceServer<RoutingApi> as NamedService>::NAME,
            <NetworkServiceServer<NetworkApi> as NamedService>::NAME,
            <ScenarioServiceServer<ScenarioApi> as NamedService>::NAME,
        ] {
            health_reporter
                .set_service_status(service, ServingStatus::NotServing)
                .await;
        }
        tracing::info!(
            drain_ms = limits.drain_delay.as_millis() as u64,
            grace_ms = limits.grace.as_millis() as u64,
            "health set to NOT_SERVING; draining"
        );
        let drained =
            tokio::time::timeout(limits.drain_delay.min(limits.grace), &mut serving).await;
        if let Ok(result) = drained {
            return result.map_err(ServerError::from);
        }
        let _ = stop_accepting.send(());
        match tokio::time::timeout_at(deadline, &mut serving).await {
            Ok(result) => result?,
            Err(_) => tracing::warn!("grace period over: closing the remaining connections"),
        }
        tracing::info!("server stopped");
        Ok(())
    }
}

/// Follows the shared store's reachability with the health of "" (the replica as a whole:
/// a load balancer routes around one that cannot write scenarios) and of
/// `freight.v1.ScenarioService`; `RoutingService` and `NetworkService` stay SERVING, since
/// routing on the loaded network and scenarios goes on without the store.
async fn follow_store(
    reporter: tonic_health::server::HealthReporter,
    mut reachable: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        let status = if *reachable.borrow_and_update() {
            ServingStatus::Serving
        } else {
            ServingStatus::NotServing
        };
        tracing::info!(?status, "scenario store health");
        for service in [
            "",
            <ScenarioServiceServer<ScenarioApi> as NamedService>::NAME,
        ] {
            reporter.set_service_status(service, status).await;
        }
        if reachable.changed().await.is_err() {
            return;
        }
    }
}

/// Duration buckets of the histograms, in seconds: from a search's tens of microseconds to a
/// comparison's seconds.
const DURATION_BUCKETS: [f64; 12] = [
    0.000_05, 0.000_1, 0.000_5, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0,
];

/// Installs the process's Prometheus recorder with its HTTP listener (`GET /metrics`).
fn install_metrics(addr: SocketAddr) -> Result<(), ServerError> {
    metrics_exporter_prometheus::PrometheusBuilder::new()
        .with_http_listener(addr)
        .set_buckets(&DURATION_BUCKETS)
        .and_then(|b| b.install())
        .map_err(|e| ServerError::Metrics(e.to_string()))?;
    tracing::info!(%addr, "serving Prometheus metrics at /metrics");
    Ok(())
}

/// Binds a TCP listener (port 0 picks a free port).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, ServerError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown requested");
}
