//! The timetable searches. Both run over instants: a label is "the cargo is available at this
//! terminal at this time, having cost so much and emitted so much", and moving it along a
//! service means waiting for that service's next departure (cut-off included), riding it and
//! being discharged at the far end.
//!
//! * [`pareto`]: multi-criteria label setting over (arrival, cost, CO2) — and the number of
//!   main legs when the transfers are limited — keeping per terminal only labels no other
//!   label dominates. It is goal-directed, in the manner of multi-objective A* (NAMOA*):
//!   backward Dijkstras from the destinations give each terminal lower bounds on the time,
//!   cost and CO2 still to come; labels are settled in order of their least possible end
//!   (arrival, cost, CO2), and a label whose least end a found route already dominates is
//!   dropped. The bounds are consistent (a leg never takes less than its ride and discharge,
//!   nor costs or emits less than its static figures), so ends never decrease along a path
//!   and a settled label is never dominated later.
//! * [`earliest_arrival`]: the single-criterion case, a time-dependent Dijkstra. Departures
//!   are FIFO (arriving later never lets the cargo leave earlier), which is what makes a
//!   label-setting search exact here.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::dominance::{Totals, EPSILON};
use super::pricing::{PricedService, Refusal};
use super::{Exclusion, RouteQuery};
use crate::cost::LegCost;
use crate::model::{Instant, Network, ServiceId, TerminalId, SECONDS_PER_HOUR};

/// A bag of labels per terminal is capped at this size; past it a terminal keeps the labels it
/// has (the bundled network stays far below it; see ARCHITECTURE.md).
const MAX_LABELS_PER_TERMINAL: usize = 64;

/// One timed leg of a label's path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct TimedLeg {
    pub service: ServiceId,
    /// When the cargo was ready for this leg at its origin terminal.
    pub ready: Instant,
    pub departure: Instant,
    /// The vehicle reaches the destination terminal (border formalities included).
    pub arrival: Instant,
    /// The cargo is discharged and can move on.
    pub available: Instant,
    /// Departures the shipment was spread over; `arrival` is the last part's.
    pub departures: u32,
}

/// Follows parent links back from `last` and returns the legs first to last: the one way
/// both searches turn what they settled into a path.
fn trace<K: Copy>(last: K, parent: impl Fn(K) -> Option<(K, TimedLeg)>) -> TimedPath {
    let mut path = Vec::new();
    let mut cur = last;
    while let Some((prev, leg)) = parent(cur) {
        path.push(leg);
        cur = prev;
    }
    path.reverse();
    path
}

#[derive(Debug, Clone)]
struct Label {
    terminal: TerminalId,
    time: Instant,
    cost: f64,
    co2: f64,
    legs: u32,
    /// The through movement the last leg belongs to: the next leg of it pays less.
    through: Option<u32>,
    parent: Option<(u32, TimedLeg)>,
    alive: bool,
}

impl Label {
    fn totals(&self) -> Totals {
        Totals {
            arrival: self.time,
            cost_usd: self.cost,
            co2_kg: self.co2,
        }
    }
}

/// The shared inputs of a search.
pub(super) struct Searcher<'a> {
    pub network: &'a Network,
    pub query: &'a RouteQuery,
    pub priced: &'a [Option<PricedService>],
    pub graph: &'a petgraph::graph::DiGraph<TerminalId, ServiceId>,
}

/// A found path: its timed legs, first to last.
pub(super) type TimedPath = Vec<TimedLeg>;

impl Searcher<'_> {
    fn max_legs(&self) -> Option<u32> {
        self.query.constraints.max_transfers.map(|t| t + 1)
    }

    /// Times one leg from `ready`, or says why it cannot be taken.
    fn step(
        &self,
        id: ServiceId,
        p: &PricedService,
        ready: Instant,
    ) -> Result<TimedLeg, Option<Instant>> {
        let s = self.network.service(id);
        let tz = &self.network.terminal(s.from).timezone;
        let (departure, last) = s
            .schedule
            .departures(ready, tz, &s.validity, p.departures)?;
        let (ride, discharge) = (p.ride_seconds, p.discharge_seconds);
        let arrival = last + ride;
        let available = arrival + discharge;
        Ok(TimedLeg {
            service: id,
            ready,
            departure,
            arrival,
            available,
            departures: p.departures,
        })
    }

    fn note_validity(&self, id: ServiceId, next: Option<Instant>, exclusions: &mut Vec<Exclusion>) {
        if self.query.explain {
            exclusions.push(Exclusion::service(id, Refusal::Season { next }));
        }
    }

    /// Every edge out of `terminal` the query may take, with its pricing.
    fn edges(
        &self,
        terminal: TerminalId,
    ) -> impl Iterator<Item = (ServiceId, TerminalId, &PricedService)> + '_ {
        use petgraph::visit::EdgeRef;
        self.graph
            .edges(petgraph::graph::NodeIndex::new(terminal.index()))
            .filter_map(move |e| {
                let id = *e.weight();
                let next = TerminalId(e.target().index() as u32);
                let p = self.priced[id.index()].as_ref()?;
                // A route never moves into an origin terminal: it could have started there.
                (!self.query.origins.contains(&next)).then_some((id, next, p))
            })
    }

    /// Lower bounds on the rest of the way from every terminal: one backward Dijkstra per
    /// criterion from the destinations over the services the query may use.
    fn remaining_bounds(&self) -> RemainingBounds {
        RemainingBounds {
            seconds: self.backward_distances(|p| {
                let (ride, discharge) = (p.ride_seconds, p.discharge_seconds);
                (ride + discharge) as f64
            }),
            // Shaved by a part in 10^12 so that summing in another order never lifts a
            // bound above the true remainder.
            cost: self.backward_distances(|p| p.least_cost_usd() * (1.0 - 1e-12)),
            co2: self.backward_distances(|p| p.cost.co2_kg * (1.0 - 1e-12)),
        }
    }

    /// The least total `weight` from every terminal to a destination (infinite where none is
    /// reachable). Weights are non-negative (the loader and the overlay refuse negative rates
    /// and factors), and the bits of non-negative floats order like their values, which lets
    /// the heap hold plain integers.
    fn backward_distances(&self, weight: impl Fn(&PricedService) -> f64) -> Vec<f64> {
        use petgraph::visit::EdgeRef;
        use std::cmp::Reverse;
        let mut distance = vec![f64::INFINITY; self.network.terminals().len()];
        let mut heap = BinaryHeap::new();
        for t in &self.query.destinations {
            distance[t.index()] = 0.0;
            heap.push(Reverse((0.0f64.to_bits(), t.0)));
        }
        while let Some(Reverse((bits, v))) = heap.pop() {
            let d = f64::from_bits(bits);
            if d > distance[v as usize] {
                continue;
            }
            let node = petgraph::graph::NodeIndex::new(v as usize);
            for e in self
                .graph
                .edges_directed(node, petgraph::Direction::Incoming)
            {
                let Some(p) = self.priced[e.weight().index()].as_ref() else {
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

    fn starts(&self) -> impl Iterator<Item = TerminalId> + '_ {
        self.query
            .origins
            .iter()
            .copied()
            .filter(|t| super::pricing::terminal_allowed(self.network, self.query, *t))
    }

    /// The non-dominated paths to the destinations over (arrival, cost, CO2).
    pub fn pareto(&self, exclusions: &mut Vec<Exclusion>) -> Vec<TimedPath> {
        let c = &self.query.constraints;
        let limit_legs = self.max_legs();
        let mut labels: Vec<Label> = Vec::new();
        let mut bags: Vec<Vec<u32>> = vec![Vec::new(); self.network.terminals().len()];
        let mut heap = BinaryHeap::new();
        let mut done: Vec<u32> = Vec::new();
        // A label dominates another at its terminal when its totals do, it has used no more
        // legs (if they are limited), and whatever the other's next leg saves by continuing a
        // through movement, it saves too.
        let dominates = |a: &Label, b: &Label| {
            a.totals().dominates(&b.totals())
                && (limit_legs.is_none() || a.legs <= b.legs)
                && (b.through.is_none() || a.through == b.through)
        };
        let bounds = self.remaining_bounds();
        let insert = |label: Label,
                      labels: &mut Vec<Label>,
                      bags: &mut Vec<Vec<u32>>,
                      heap: &mut BinaryHeap<Entry>| {
            let bag = &mut bags[label.terminal.index()];
            if bag.iter().any(|&i| dominates(&labels[i as usize], &label)) {
                return;
            }
            bag.retain(|&i| {
                let keep = !dominates(&label, &labels[i as usize]);
                if !keep {
                    labels[i as usize].alive = false;
                }
                keep
            });
            if bag.len() >= MAX_LABELS_PER_TERMINAL {
                return;
            }
            let Some(end) = bounds.least_end(&label) else {
                return; // no destination is reachable from here
            };
            let index = labels.len() as u32;
            bag.push(index);
            heap.push(Entry {
                time: end.time,
                cost: end.cost,
                co2: end.co2,
                index,
            });
            labels.push(label);
        };
        // Target pruning: time, cost, CO2 and legs only grow along a path, so a label whose
        // least possible end breaks the deadline or the budget, or is dominated by a route
        // already found, can only lead to routes that are refused or dominated.
        let hopeless = |label: &Label, labels: &[Label], done: &[u32]| {
            let Some(end) = bounds.least_end(label) else {
                return true;
            };
            c.deliver_by.is_some_and(|d| end.time > d)
                || c.max_cost_usd.is_some_and(|m| end.cost > m + EPSILON)
                || done.iter().any(|&d| {
                    let found = &labels[d as usize];
                    found.alive
                        && found.totals().dominates(&end.totals())
                        && (limit_legs.is_none() || found.legs <= end.legs)
                })
        };
        for t in self.starts() {
            insert(
                Label {
                    terminal: t,
                    time: self.query.ready_at,
                    cost: 0.0,
                    co2: 0.0,
                    legs: 0,
                    through: None,
                    parent: None,
                    alive: true,
                },
                &mut labels,
                &mut bags,
                &mut heap,
            );
        }
        while let Some(entry) = heap.pop() {
            let label = labels[entry.index as usize].clone();
            if !label.alive {
                continue;
            }
            if hopeless(&label, &labels, &done) {
                continue;
            }
            if self.query.destinations.contains(&label.terminal) {
                done.push(entry.index);
                continue;
            }
            for (id, next, p) in self.edges(label.terminal) {
                let legs = label.legs + u32::from(p.main_leg);
                if limit_legs.is_some_and(|m| legs > m) {
                    continue;
                }
                let mut next_label = Label {
                    terminal: next,
                    time: label.time,
                    cost: label.cost + p.cost_usd(label.through),
                    co2: label.co2 + p.cost.co2_kg,
                    legs,
                    through: p.through,
                    parent: None,
                    alive: true,
                };
                // First as if the leg left at once: most legs are ruled out here, before the
                // timetable lookup. Not when explaining, which reports every leg out of season.
                let (ride, discharge) = (p.ride_seconds, p.discharge_seconds);
                next_label.time += ride + discharge;
                if !self.query.explain && hopeless(&next_label, &labels, &done) {
                    continue;
                }
                let leg = match self.step(id, p, label.time) {
                    Ok(leg) => leg,
                    Err(next_valid) => {
                        self.note_validity(id, next_valid, exclusions);
                        continue;
                    }
                };
                next_label.time = leg.available;
                next_label.parent = Some((entry.index, leg));
                if !hopeless(&next_label, &labels, &done) {
                    insert(next_label, &mut labels, &mut bags, &mut heap);
                }
            }
        }
        done.into_iter()
            .filter(|&i| labels[i as usize].alive)
            .map(|i| trace(i, |k| labels[k as usize].parent))
            .collect()
    }

    /// The earliest instant the cargo can be available at a destination, with its path.
    pub fn earliest_arrival(&self) -> Option<TimedPath> {
        let layers = self.max_legs().map_or(1, |m| m as usize + 1);
        let state = |t: TerminalId, legs: u32| t.index() * layers + (legs as usize).min(layers - 1);
        let n = self.network.terminals().len() * layers;
        let mut best = vec![Instant::MAX; n];
        let mut parent: Vec<Option<(usize, TimedLeg)>> = vec![None; n];
        let mut heap = BinaryHeap::new();
        for t in self.starts() {
            let s = state(t, 0);
            best[s] = self.query.ready_at;
            heap.push(TimeEntry {
                time: self.query.ready_at,
                state: s,
                terminal: t,
                legs: 0,
            });
        }
        while let Some(TimeEntry {
            time,
            state: s,
            terminal,
            legs,
        }) = heap.pop()
        {
            if time > best[s] {
                continue;
            }
            if self.query.destinations.contains(&terminal) {
                return Some(trace(s, |k| parent[k]));
            }
            for (id, next, p) in self.edges(terminal) {
                let next_legs = legs + u32::from(p.main_leg);
                if self.max_legs().is_some_and(|m| next_legs > m) {
                    continue;
                }
                let Ok(leg) = self.step(id, p, time) else {
                    continue;
                };
                let ns = state(next, next_legs);
                if leg.available < best[ns] {
                    best[ns] = leg.available;
                    parent[ns] = Some((s, leg));
                    heap.push(TimeEntry {
                        time: leg.available,
                        state: ns,
                        terminal: next,
                        legs: next_legs,
                    });
                }
            }
        }
        None
    }
}

/// Per terminal, lower bounds on what is still to come on the way to a destination: the
/// least time without waiting, the least cost and the least CO2, each over the services the
/// query may use. Infinite where no destination can be reached.
struct RemainingBounds {
    seconds: Vec<f64>,
    cost: Vec<f64>,
    co2: Vec<f64>,
}

impl RemainingBounds {
    /// The least totals a route continuing `label` can end with; `None` when it cannot reach
    /// a destination at all.
    fn least_end(&self, label: &Label) -> Option<Label> {
        let t = label.terminal.index();
        self.seconds[t].is_finite().then(|| Label {
            time: label.time + self.seconds[t] as Instant,
            cost: label.cost + self.cost[t],
            co2: label.co2 + self.co2[t],
            parent: None,
            ..label.clone()
        })
    }
}

/// The costs of a timed path's legs: static leg costs, less what a continuation of a through
/// movement does not pay again, plus the waiting the timetable imposed.
pub(super) fn leg_costs(path: &TimedPath, priced: &[Option<PricedService>]) -> Vec<LegCost> {
    let mut previous = None;
    path.iter()
        .map(|leg| {
            let p = priced[leg.service.index()]
                .as_ref()
                .expect("a found path uses priced services");
            let mut cost = p.leg_cost(previous);
            previous = p.through;
            cost.time.waiting_hours = (leg.departure - leg.ready) as f64 / SECONDS_PER_HOUR;
            // A shipment spread over several departures waits for the last one too.
            cost.time.waiting_hours +=
                (leg.arrival - leg.departure - p.ride_seconds) as f64 / SECONDS_PER_HOUR;
            cost
        })
        .collect()
}

/// Heap entry of the Pareto search: smallest least possible end (time, cost, CO2) first.
#[derive(Debug, PartialEq)]
struct Entry {
    time: Instant,
    cost: f64,
    co2: f64,
    index: u32,
}

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .cmp(&self.time)
            .then_with(|| other.cost.total_cmp(&self.cost))
            .then_with(|| other.co2.total_cmp(&self.co2))
            .then_with(|| other.index.cmp(&self.index))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Heap entry of the earliest-arrival search: earliest first.
#[derive(Debug, PartialEq, Eq)]
struct TimeEntry {
    time: Instant,
    state: usize,
    terminal: TerminalId,
    legs: u32,
}

impl Ord for TimeEntry {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .cmp(&self.time)
            .then_with(|| other.state.cmp(&self.state))
    }
}

impl PartialOrd for TimeEntry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
