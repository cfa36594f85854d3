//! What a routing query asks for.

use std::collections::HashSet;

use crate::cost::{GeneralizedWeights, LegCost};
use crate::model::{Mode, Shipment, TerminalId};

/// What the search minimises; every objective is additive over legs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    Cost,
    Time,
    Co2,
    Generalized,
}

impl Objective {
    /// The scalar the search minimises for one leg.
    pub fn score(self, leg: &LegCost, teu: f64, weights: &GeneralizedWeights) -> f64 {
        match self {
            Objective::Cost => leg.cost.total_usd(),
            Objective::Time => leg.time.total_hours(),
            Objective::Co2 => leg.co2_kg,
            Objective::Generalized => weights.generalized_usd(leg, teu),
        }
    }
}

/// Restrictions a route must respect.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    /// Modes the main legs may use; empty allows all. Drayage is always allowed.
    pub allowed_modes: Vec<Mode>,
    /// Terminals no route may touch.
    pub avoid_terminals: HashSet<TerminalId>,
    /// ISO country codes no terminal of the route may lie in.
    pub avoid_countries: HashSet<String>,
    /// Maximum changes of vehicle (main legs minus one).
    pub max_transfers: Option<u32>,
    pub include_exploratory: bool,
}

/// A complete query: where from, where to, what, and how to rank.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteQuery {
    /// Any of these terminals may start the route.
    pub origins: Vec<TerminalId>,
    /// The route ends at the first of these it reaches.
    pub destinations: Vec<TerminalId>,
    pub shipment: Shipment,
    pub objective: Objective,
    pub constraints: Constraints,
    /// How many alternatives, best first (at least 1).
    pub max_routes: usize,
    pub weights: GeneralizedWeights,
}
