//! The routing engine: the graph of terminals (nodes) and services (edges), and the timetable
//! searches that find the non-dominated routes for a shipment under constraints.
//!
//! The graph is built once per network and shared by every query; a query prices each service
//! for its shipment when its search first reaches it (`pricing`, via `cost`), takes lower
//! bounds on the rest of the way from a per-network cache (`bounds`), runs a multi-criteria
//! label-setting search over departure times (`search`) in its thread's reusable buffers
//! (`workspace`), and the planner ranks and labels what it found (`planner`). The same search
//! answers one origin to many destinations and "where can it be by then". Pure computation:
//! no I/O, no protobuf.

mod bounds;
mod dominance;
mod planner;
mod pricing;
mod query;
mod search;
mod workspace;

pub use crate::model::Repath;
pub use dominance::Totals;
pub use planner::{
    Answer, Exclusion, NoRoute, NoRouteCause, Planner, Reach, Relaxation, Route, RouteLabel,
    RouteLeg,
};
pub use pricing::{Refusal, RepathFailure, MAX_DEPARTURES_PER_LEG};
pub use query::{Constraints, Objective, RouteQuery};

/// A network with its prepared graph: what every query reads, shared read-only (the base
/// network and each live scenario are one of these).
#[derive(Debug)]
pub struct NetworkState {
    pub network: crate::model::Network,
    pub planner: Planner,
}

impl NetworkState {
    pub fn new(network: crate::model::Network) -> std::sync::Arc<Self> {
        let planner = Planner::new(&network);
        std::sync::Arc::new(NetworkState { network, planner })
    }
}

#[cfg(test)]
mod tests;
