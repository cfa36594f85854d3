//! Lower bounds on the rest of the way to a set of destinations, the services' prices, and
//! their cache.
//!
//! The Pareto search is goal-directed: from every terminal, the least time (riding and
//! discharging, no waiting), the least charges and the least CO2 still to come, each by a
//! backward Dijkstra from the destinations over the services the query may use. Those three
//! searches price every service and cover the whole network, which for a question touching a
//! handful of terminals is most of its work; yet they, and the prices, depend only on what
//! decides which services a query may use and what they cost — the destinations, the
//! shipment, the constraints on services, the emission year and the CO2 scope — not on the
//! origin, the ready time, the deadline, the budget or the transfer limit. So both are kept
//! per network under that key ([`Prepared`]): each live network, base or scenario, has its own
//! planner and cache, and a scenario change builds a new one, which is the invalidation.

use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use petgraph::graph::{DiGraph, NodeIndex};

use super::pricing::{PriceSlot, PricedService};
use super::RouteQuery;
use crate::model::{
    CargoSpec, Co2Basis, ContainerCounts, DangerousGoods, Mode, ServiceId, TerminalId,
};

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
    /// One backward Dijkstra per criterion from `destinations` over the services `weights`
    /// admits (see `Pricing::bound_weights`).
    pub fn compute(
        graph: &DiGraph<TerminalId, ServiceId>,
        weights: &[Option<(f64, f64, f64)>],
        destinations: &[TerminalId],
    ) -> Self {
        let distances = |criterion: &dyn Fn((f64, f64, f64)) -> f64| {
            backward_distances(graph, destinations, &|id: ServiceId| {
                weights[id.index()].map(criterion)
            })
        };
        RemainingBounds {
            seconds: distances(&|w| w.0),
            // Shaved by a part in 10^12 so that summing in another order never lifts a
            // bound above the true remainder.
            cost: distances(&|w| w.1 * (1.0 - 1e-12)),
            co2: distances(&|w| w.2 * (1.0 - 1e-12)),
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
}

/// The least total `weight` from every terminal to a destination (infinite where none is
/// reachable; a service without a weight is not used). Weights are non-negative (the loader
/// and the overlay refuse negative rates and factors), and the bits of non-negative floats
/// order like their values, which lets the heap hold plain integers.
fn backward_distances(
    graph: &DiGraph<TerminalId, ServiceId>,
    destinations: &[TerminalId],
    weight: &dyn Fn(ServiceId) -> Option<f64>,
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
            let Some(w) = weight(*e.weight()) else {
                continue;
            };
            let u = e.source().index();
            let du = d + w.max(0.0);
            if du < distance[u] {
                distance[u] = du;
                heap.push(Reverse((du.to_bits(), u as u32)));
            }
        }
    }
    distance
}

/// What the queries of one key share: the services' prices, filled as searches reach them,
/// and the bounds, computed by the first query that needs them.
#[derive(Debug)]
pub(super) struct Prepared {
    pub priced: Vec<PriceSlot>,
    /// How many of `priced` hold a price (counted by `Pricing` as it fills them).
    pub priced_count: AtomicUsize,
    bounds: OnceLock<RemainingBounds>,
    /// What the entry occupies without the prices searches fill in (the slots and the
    /// bounds).
    fixed_bytes: usize,
}

impl Prepared {
    fn new(services: usize, terminals: usize) -> Self {
        Prepared {
            priced: (0..services).map(|_| OnceLock::new()).collect(),
            priced_count: AtomicUsize::new(0),
            bounds: OnceLock::new(),
            fixed_bytes: services * std::mem::size_of::<PriceSlot>()
                + 3 * terminals * std::mem::size_of::<f64>(),
        }
    }

    /// What it occupies now: the fixed part and the prices filled in so far.
    fn bytes(&self) -> usize {
        self.fixed_bytes
            + self.priced_count.load(Ordering::Relaxed) * std::mem::size_of::<PricedService>()
    }

    /// The bounds, computed by `compute` the first time.
    pub fn bounds(&self, compute: impl FnOnce() -> RemainingBounds) -> &RemainingBounds {
        self.bounds.get_or_init(compute)
    }
}

/// What the bounds of a query depend on: everything that decides which services it may use
/// and what they cost or emit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct BoundsKey {
    destinations: Vec<TerminalId>,
    shipment: ShipmentKey,
    allowed_modes: Vec<Mode>,
    avoid_terminals: Vec<TerminalId>,
    avoid_countries: Vec<String>,
    avoid_passages: Vec<String>,
    include_exploratory: bool,
    ignore_advisories: bool,
    emission_year: i16,
    co2_basis: Co2Basis,
}

/// A shipment as a key: its quantities exactly (floats by their bits).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ShipmentKey {
    containers: Option<ContainerCounts>,
    /// Loose cargo: weight and volume bits, kept cold.
    loose: Option<(u64, u64, bool)>,
    dangerous_goods: Option<DangerousGoods>,
    keep_together: bool,
}

impl ShipmentKey {
    fn of(s: &crate::model::Shipment) -> Self {
        let (containers, loose) = match s.cargo {
            CargoSpec::Containers(counts) => (Some(counts), None),
            CargoSpec::Loose {
                weight_kg,
                volume_m3,
                temperature_controlled,
            } => (
                None,
                Some((
                    weight_kg.to_bits(),
                    volume_m3.to_bits(),
                    temperature_controlled,
                )),
            ),
        };
        ShipmentKey {
            containers,
            loose,
            dangerous_goods: s.dangerous_goods,
            keep_together: s.keep_together,
        }
    }
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
            shipment: ShipmentKey::of(&query.shipment),
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

/// How much memory the prepared entries of one network may take, counted when an entry is
/// added (entries fill in prices afterwards, at most one per service each): an entry of the
/// bundled network is 6 KB plus 0.4 KB per service its queries reached, one of a network a
/// hundred times its size 0.6 MB plus the same.
const CACHE_BYTES: usize = 64 * 1024 * 1024;
/// The most entries, whatever their size.
const CACHE_ENTRIES: usize = 1024;

/// Prepared entries by key, first in first out past the budget. One lock, held for a lookup
/// or an insertion (which recounts the entries' sizes); the work (pricing, bounds) happens
/// outside it, in the entry.
#[derive(Debug, Default)]
pub(super) struct PreparedCache {
    inner: Mutex<CacheInner>,
}

#[derive(Debug, Default)]
struct CacheInner {
    map: HashMap<BoundsKey, Arc<Prepared>>,
    order: VecDeque<BoundsKey>,
    hits: u64,
    misses: u64,
}

impl PreparedCache {
    /// The entry for `key`, a new empty one if there is none.
    pub fn get(&self, key: BoundsKey, services: usize, terminals: usize) -> Arc<Prepared> {
        let mut inner = self.lock();
        if let Some(found) = inner.map.get(&key).cloned() {
            inner.hits += 1;
            return found;
        }
        inner.misses += 1;
        let entry = Arc::new(Prepared::new(services, terminals));
        let size = entry.fixed_bytes;
        let budget = CACHE_BYTES.max(size);
        let mut bytes: usize = inner.map.values().map(|e| e.bytes()).sum();
        while bytes + size > budget || inner.map.len() >= CACHE_ENTRIES {
            let Some(old) = inner.order.pop_front() else {
                break;
            };
            if let Some(gone) = inner.map.remove(&old) {
                bytes -= gone.bytes();
            }
        }
        inner.order.push_back(key.clone());
        inner.map.insert(key, Arc::clone(&entry));
        entry
    }

    /// Drops every entry.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.map.clear();
        inner.order.clear();
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
