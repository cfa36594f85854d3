//! The gRPC services: translate protobuf requests into model queries, run them, and translate
//! the answers back. Request validation and the mapping of errors to gRPC status codes live
//! here and nowhere else; no routing logic does.

mod convert;
mod network;
mod routing;
mod status;

use std::sync::Arc;

pub use network::NetworkApi;
pub use routing::RoutingApi;
pub use status::ApiError;

use crate::engine::Planner;
use crate::model::Network;

/// What every request reads: the network and its prepared graph, shared read-only.
#[derive(Debug)]
pub struct NetworkState {
    pub network: Network,
    pub planner: Planner,
}

impl NetworkState {
    pub fn new(network: Network) -> Arc<Self> {
        let planner = Planner::new(&network);
        Arc::new(NetworkState { network, planner })
    }
}
