//! Wiring of the gRPC server: the freight.v1 services over the base network and the stored
//! scenarios, the standard health service, server reflection, optional TLS, a tracing span per
//! request (method only: metadata, and so tokens, are never logged), and graceful shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::{Identity, ServerTlsConfig};

use crate::api::{NetworkApi, NetworkState, RoutingApi, ScenarioApi, Tokens};
use crate::data::{self, DataError};
use crate::model::OdDemand;
use crate::proto::{
    network_service_server::NetworkServiceServer, routing_service_server::RoutingServiceServer,
    scenario_service_server::ScenarioServiceServer, FILE_DESCRIPTOR_SET,
};
use crate::scenario::{Catalog, ScenarioStore, StoreError};

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot load the network: {0}")]
    Data(#[from] DataError),
    #[error("cannot open the scenario store: {0}")]
    Store(#[from] StoreError),
    #[error("TLS: {0}")]
    Tls(String),
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

/// What the server is started with.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The network data directory (`network-data/`).
    pub data_dir: PathBuf,
    /// The SQLite file of the scenarios, created on first start.
    pub scenario_db: PathBuf,
    /// Who may change scenarios.
    pub tokens: Tokens,
    /// Serve over TLS instead of plaintext.
    pub tls: Option<TlsFiles>,
}

impl ServerConfig {
    /// Plaintext, no tokens (scenarios read-only for everyone).
    pub fn new(data_dir: impl Into<PathBuf>, scenario_db: impl Into<PathBuf>) -> Self {
        ServerConfig {
            data_dir: data_dir.into(),
            scenario_db: scenario_db.into(),
            tokens: Tokens::default(),
            tls: None,
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
    /// Loads the network, the demand matrix and the stored scenarios.
    pub fn load(config: &ServerConfig) -> Result<Self, ServerError> {
        let base = load_state(&config.data_dir)?;
        let demand = data::load_demand(&config.data_dir, &base.network)?;
        let store = ScenarioStore::open(&config.scenario_db)?;
        let catalog = Arc::new(Catalog::open(base, store)?);
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
        })
    }

    /// Serves every service on `listener` until `shutdown` completes, then drains in-flight
    /// calls.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), ServerError> {
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
        let reflection = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            .build_v1()?;
        if let Ok(addr) = listener.local_addr() {
            tracing::info!(%addr, tls = self.tls.is_some(), "serving freight.v1");
        }
        let mut builder = tonic::transport::Server::builder();
        if let Some(tls) = self.tls {
            builder = builder.tls_config(tls)?;
        }
        let base = Arc::clone(self.catalog.base());
        builder
            .trace_fn(|request| tracing::info_span!("grpc", method = %request.uri().path()))
            .add_service(health_service)
            .add_service(reflection)
            .add_service(RoutingServiceServer::new(RoutingApi::new(Arc::clone(
                &self.catalog,
            ))))
            .add_service(NetworkServiceServer::new(NetworkApi::new(base)))
            .add_service(ScenarioServiceServer::new(ScenarioApi::new(
                self.catalog,
                self.tokens,
                self.demand,
            )))
            .serve_with_incoming_shutdown(incoming(listener), shutdown)
            .await?;
        tracing::info!("server stopped");
        Ok(())
    }
}

/// The accepted connections, with Nagle's algorithm off: gRPC writes small frames and waits
/// for the answer, so holding a frame back until the peer's delayed ACK arrives adds ~40 ms
/// to some calls (it was the load tool's p99). `Server::tcp_nodelay` does not reach streams
/// handed to `serve_with_incoming`.
fn incoming(
    listener: TcpListener,
) -> impl tokio_stream::Stream<Item = std::io::Result<tokio::net::TcpStream>> {
    use tokio_stream::StreamExt;
    TcpListenerStream::new(listener).map(|accepted| {
        accepted.inspect(|stream| {
            if let Err(e) = stream.set_nodelay(true) {
                tracing::warn!(error = %e, "could not disable Nagle's algorithm");
            }
        })
    })
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
