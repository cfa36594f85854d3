//! Wiring of the gRPC server: the freight.v1 services, the standard health service, server
//! reflection, a tracing span per request, and graceful shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;

use crate::api::{NetworkApi, NetworkState, RoutingApi};
use crate::data::{self, DataError};
use crate::proto::{
    network_service_server::NetworkServiceServer, routing_service_server::RoutingServiceServer,
    FILE_DESCRIPTOR_SET,
};

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot load the network: {0}")]
    Data(#[from] DataError),
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

/// Binds a TCP listener (port 0 picks a free port).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, ServerError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })
}

/// Serves every service on `listener` until `shutdown` completes, then drains in-flight calls.
pub async fn serve(
    state: Arc<NetworkState>,
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
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "serving freight.v1");
    }
    tonic::transport::Server::builder()
        .trace_fn(|request| tracing::info_span!("grpc", method = %request.uri().path()))
        .add_service(health_service)
        .add_service(reflection)
        .add_service(RoutingServiceServer::new(RoutingApi::new(state.clone())))
        .add_service(NetworkServiceServer::new(NetworkApi::new(state)))
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown)
        .await?;
    tracing::info!("server stopped");
    Ok(())
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
