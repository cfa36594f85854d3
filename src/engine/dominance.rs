//! Pareto dominance over a route's totals: the one definition the searches, the ranking and
//! the tests' oracle share.

use crate::model::Instant;

/// Floating tolerance when comparing costs and emissions: sums taken in another order differ
/// in the last bits.
pub const EPSILON: f64 = 1e-9;

/// What a route (or a partial route) adds up to on the three criteria.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Totals {
    pub arrival: Instant,
    pub cost_usd: f64,
    pub co2_kg: f64,
}

impl Totals {
    /// No worse on any criterion (within [`EPSILON`] for the sums).
    pub fn dominates(&self, other: &Totals) -> bool {
        self.arrival <= other.arrival
            && self.cost_usd <= other.cost_usd + EPSILON
            && self.co2_kg <= other.co2_kg + EPSILON
    }

    /// No worse on any criterion and not the same totals.
    pub fn strictly_dominates(&self, other: &Totals) -> bool {
        self.dominates(other) && self != other
    }
}
