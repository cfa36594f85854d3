//! What a routing query asks for.

use std::collections::HashSet;

use crate::cost::GeneralizedWeights;
use crate::model::{Instant, Mode, Shipment, TerminalId};

/// How the answer is ranked. The search itself is multi-criteria (arrival, cost, CO2); the
/// objective sorts the non-dominated routes it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    Cost,
    Time,
    Co2,
    Generalized,
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
    /// Named sea passages (`suez`, `korea_strait`, ...) no sea leg may cross; sea services
    /// through one are re-pathed around it where the lanes allow, or dropped.
    pub avoid_passages: Vec<String>,
    /// Maximum changes of vehicle (main legs minus one).
    pub max_transfers: Option<u32>,
    pub include_exploratory: bool,
    /// The cargo must be available at the destination by then.
    pub deliver_by: Option<Instant>,
    /// Total charges of a route must not exceed this.
    pub max_cost_usd: Option<f64>,
    /// Sail through passages carriers are currently avoiding (the advisories of the data).
    pub ignore_advisories: bool,
}

/// A complete query: where from, where to, what, when, and how to rank.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteQuery {
    /// Any of these terminals may start the route.
    pub origins: Vec<TerminalId>,
    /// The route ends at the first of these it reaches.
    pub destinations: Vec<TerminalId>,
    pub shipment: Shipment,
    pub objective: Objective,
    pub constraints: Constraints,
    /// The cargo is ready at the origin terminal at this instant.
    pub ready_at: Instant,
    /// How many routes, at most (at least 1).
    pub max_routes: usize,
    pub weights: GeneralizedWeights,
    /// Collect which constraint removed which candidate.
    pub explain: bool,
    /// The CO2e scope the search minimises and labels by (reports carry both).
    pub co2_basis: crate::model::Co2Basis,
}

impl RouteQuery {
    /// The emission year the EU ETS phase-in is taken at: the year the cargo is ready (UTC).
    /// From 2026 the share is whole, and the API takes ready times from a week back, so a
    /// departure in the next year never changes it.
    pub fn emission_year(&self) -> i16 {
        jiff::Timestamp::from_second(self.ready_at)
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).year())
            .unwrap_or(2026)
    }
}
