//! The gRPC services: translate protobuf requests into model queries, run them, and translate
//! the answers back. Request validation and the mapping of errors to gRPC status codes live
//! here and nowhere else; no routing logic does.

mod auth;
mod background;
mod convert;
mod definition;
mod matrix;
mod metered;
mod network;
mod routing;
mod scenario;
mod status;
mod words;

pub use auth::{Role, Tokens};
pub use definition::{from_proto as definition_from_proto, to_proto as definition_to_proto};
pub use network::NetworkApi;
pub use routing::{route_query, RoutingApi};
pub use scenario::ScenarioApi;
pub use status::ApiError;

pub use crate::engine::NetworkState;
