//! The routing engine: the graph of terminals (nodes) and services (edges), and the searches
//! that find the best routes for a shipment under constraints.
//!
//! The graph is built once per network and shared by every query; a query prices each service
//! for its shipment (via `cost`), then runs a constrained Dijkstra inside Yen's k-shortest
//! loopless paths. Pure computation: no I/O, no protobuf.

mod query;
mod search;

pub use query::{Constraints, Objective, RouteQuery};
pub use search::{NoRoute, Planner, Route, RouteLeg};

#[cfg(test)]
mod tests;
