//! Lower bounds on the rest of the way to a set of destinations, and their cache.
//!
//! The Pareto search is goal-directed: from every terminal, the least time (riding and
//! discharging, no waiting), the least charges and the least CO2 still to come, each by a
//! backward Dijkstra from the destinations over the services the query may use. Those three
//! searches price every service and cover the whole network, which for a question touching a
//! handful of terminals is most of its work; yet they depend only on what decides which
//! services a query may use and what they cost — the destinations, the shipment, the
//! constraints on services, the emission year and the CO2 scope — not on the origin, the
//! ready time, the deadline, the budget or the transfer limit. So they are cached per network
//! (each live network, base or scenario, has its own planner and cache: a scenario change
//! builds a new one, which is the invalidation) under that key, and queries that share it
//! share them.

use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use petgraph::graph::{DiGraph, NodeIndex};

use super::pricing::{PricedService, Pricing};
use super::RouteQuery;
use crate::model::{Co2Basis, Mode, ServiceId, TerminalId};

/// Per terminal, lower bounds on what is still to come on the way to a destination: the
/// least time without waiting, the least cost and the least CO2. Infinite where no
/// destination can be reached.
#[derive(Debug)]
pub(super) struct RemainingBounds {
    seconds: Vec<f64>,
    cost: Vec<f64>,
    co2: Vec<f64>,
}

impl RemainingBounds {
    /// One backward Dijkstra per criterion from `destinations` over the services `pricing`
    /// lets the query use.
    pub fn compute(
        graph: &DiGraph<TerminalId, ServiceId>,
        pricing: &Pricing,
        destinations: &[TerminalId],
    ) -> Self {
        let distances = |weight: &dyn Fn(&PricedService) -> f64| {
            backward_distances(graph, pricing, destinations, weight)
        };
        RemainingBounds {
            seconds: distances(&|p| (p.ride_seconds + p.discharge_seconds) as f64),
            // Shaved by a part in 10^12 so that summing in another order never lifts a
            // bound above the true remainder.
            cost: distances(&|p| p.least_cost_usd() * (1.0 - 1e-12)),
            co2: distances(&|p| p.cost.co2_kg * (1.0 - 1e-12)),
        }
    }

    /// (seconds, USD, kg CO2e) at least from `t` to a destination; `None` if none is
    /// reachable from it.
    pub fn at(&self, t: TerminalId) -> Option<(f64, f64, f64)> {
        let i = t.index();
        self.seconds[i]
            .is_finite()
            .then(|| (self.seconds[i], self.cost[i], self.co2[i]))
    }

    fn bytes(&self) -> usize {
        3 * self.seconds.len() * std::mem::size_of::<f64>()
    }
}

/// The least total `weight` from every terminal to a destination (infinite where none is
/// reachable). Weights are non-negative (the loader and the overlay refuse negative rates
/// and factors), and the bits of non-negative floats order like their values, which lets
/// the heap hold plain integers.
fn backward_distances(
    graph: &DiGraph<TerminalId, ServiceId>,
    pricing: &Pricing,
    destinations: &[TerminalId],
    weight: &dyn Fn(&PricedService) -> f64,
) -> Vec<f64> {
    use petgraph::visit::EdgeRef;
    use std::cmp::Reverse;
    let mut distance = vec![f64::INFINITY; graph.node_count()];
    let mut heap = BinaryHeap::new();
    for t in destinations {
        distance[t.index()] = 0.0;
        heap.push(Reverse((0.0f64.to_bits(), t.0)));
    }
    while let Some(Reverse((bits, v))) = heap.pop() {
        let d = f64::from_bits(bits);
        if d > distance[v as usize] {
            continue;
        }
        let node = NodeIndex::new(v as usize);
        for e in graph.edges_directed(node, petgraph::Direction::Incoming) {
            let Some(p) = pricing.get(*e.weight()) else {
                continue;
            };
            let u = e.source().index();
            let du = d + weight(p).max(0.0);
            if du < distance[u] {
                distance[u] = du;
                heap.push(Reverse((du.to_bits(), u as u32)));
            }
        }
    }
    distance
}

/// What the bounds of a query depend on: everything that decides which services it may use
/// and what they cost or emit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct BoundsKey {
    destinations: Vec<TerminalId>,
    /// The shipment's exact value (quantities are floats; their shortest round-trip text is
    /// exact and hashable).
    shipment: String,
    allowed_modes: Vec<Mode>,
    avoid_terminals: Vec<TerminalId>,
    avoid_countries: Vec<String>,
    avoid_passages: Vec<String>,
    include_exploratory: bool,
    ignore_advisories: bool,
    emission_year: i16,
    co2_basis: Co2Basis,
}

/// The set as a canonical list.
fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

impl BoundsKey {
    pub fn of(query: &RouteQuery, destinations: &[TerminalId]) -> Self {
        let c = &query.constraints;
        BoundsKey {
            destinations: sorted(destinations.to_vec()),
            shipment: format!("{:?}", query.shipment),
            allowed_modes: sorted(c.allowed_modes.clone()),
            avoid_terminals: sorted(c.avoid_terminals.iter().copied().collect()),
            avoid_countries: sorted(c.avoid_countries.iter().cloned().collect()),
            avoid_passages: sorted(c.avoid_passages.clone()),
            include_exploratory: c.include_exploratory,
            ignore_advisories: c.ignore_advisories,
            emission_year: query.emission_year(),
            co2_basis: query.co2_basis,
        }
    }
}

/// How much memory the cached bounds of one network may take.
const CACHE_BYTES: usize = 16 * 1024 * 1024;
/// The most entries, whatever their size (the bundled network's are 1.8 KB each).
const CACHE_ENTRIES: usize = 4096;

/// Bounds by key, first in first out past the budget. One lock, held for a lookup or an
/// insertion; bounds are computed outside it (two threads missing the same key both compute
/// it, and the second insertion keeps the first).
#[derive(Debug, Default)]
pub(super) struct BoundsCache {
    inner: Mutex<CacheInner>,
}

#[derive(Debug, Default)]
struct CacheInner {
    map: HashMap<BoundsKey, Arc<RemainingBounds>>,
    order: VecDeque<BoundsKey>,
    bytes: usize,
    hits: u64,
    misses: u64,
}

impl BoundsCache {
    /// The cached bounds for `key`, or `compute()`'s, cached.
    pub fn get_or_compute(
        &self,
        key: BoundsKey,
        compute: impl FnOnce() -> RemainingBounds,
    ) -> Arc<RemainingBounds> {
        {
            let mut inner = self.lock();
            if let Some(found) = inner.map.get(&key).cloned() {
                inner.hits += 1;
                return found;
            }
            inner.misses += 1;
        }
        let computed = Arc::new(compute());
        let mut inner = self.lock();
        let size = computed.bytes();
        let bytes_cap = CACHE_BYTES.max(size);
        while !inner.order.is_empty()
            && (inner.bytes + size > bytes_cap || inner.map.len() >= CACHE_ENTRIES)
        {
            if let Some(old) = inner.order.pop_front() {
                if let Some(gone) = inner.map.remove(&old) {
                    inner.bytes -= gone.bytes();
                }
            }
        }
        match inner.map.entry(key) {
            Entry::Occupied(e) => Arc::clone(e.get()),
            Entry::Vacant(e) => {
                let key = e.key().clone();
                e.insert(Arc::clone(&computed));
                inner.order.push_back(key);
                inner.bytes += size;
                computed
            }
        }
    }

    /// (hits, misses, entries) so far.
    pub fn stats(&self) -> (u64, u64, usize) {
        let inner = self.lock();
        (inner.hits, inner.misses, inner.map.len())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        // A panic while holding the lock leaves a map that is still consistent.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}
