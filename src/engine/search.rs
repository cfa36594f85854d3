//! The timetable searches. Both run over instants: a label is "the cargo is available at this
//! terminal at this time, having cost so much and emitted so much", and moving it along a
//! service means waiting for that service's next departure (cut-off included), riding it and
//! being discharged at the far end.
//!
//! * [`pareto`]: multi-criteria label setting over (arrival, cost, CO2) — and the number of
//!   main legs when the transfers are limited — keeping per terminal only labels no other
//!   label dominates. It is goal-directed, in the manner of multi-objective A* (NAMOA*):
//!   backward Dijkstras from the destinations give each terminal lower bounds on the time,
//!   cost and CO2 still to come (`bounds`); labels are settled in order of their least
//!   possible end (arrival, cost, CO2), and a label whose least end a found route already
//!   dominates is dropped. The same search answers one-to-many questions: with
//!   [`Goal::Targets`] it does not stop at the destinations, and the labels left at each
//!   destination are that destination's Pareto set (what a single query for it finds, since
//!   a label is only ever dropped for one that dominates it at the same terminal); with
//!   [`Goal::Everywhere`] it has no bounds and every terminal's labels are what reaches it. The bounds are consistent (a leg never takes less than its ride and discharge,
//!   nor costs or emits less than its static figures), so ends never decrease along a path
//!   and a settled label is never dominated later.
//! * [`earliest_arrival`]: the single-criterion case, a time-dependent Dijkstra. Departures
//!   are FIFO (arriving later never lets the cargo leave earlier), which is what makes a
//!   label-setting search exact here.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::bounds::RemainingBounds;
use super::dominance::{Totals, EPSILON};
use super::pricing::{PricedService, Pricing, Refusal};
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

#[derive(Debug, Clone, Copy)]
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
    pub pricing: &'a Pricing<'a>,
    pub graph: &'a petgraph::graph::DiGraph<TerminalId, ServiceId>,
}

/// Where a Pareto search is headed.
#[derive(Clone, Copy)]
pub(super) enum Goal<'b> {
    /// The query's destinations: a label reaching one is a route and goes no further, and
    /// routes found prune labels they dominate.
    Destinations(&'b RemainingBounds),
    /// Every one of the query's destinations at once (the bounds are to the nearest of them):
    /// labels go on through destinations, and each destination keeps its own Pareto set.
    Targets(&'b RemainingBounds),
    /// Everywhere within the deadline and the budget: no bounds, every terminal keeps what
    /// reaches it.
    Everywhere,
}

impl Goal<'_> {
    fn bounds(&self) -> Option<&RemainingBounds> {
        match self {
            Goal::Destinations(b) | Goal::Targets(b) => Some(b),
            Goal::Everywhere => None,
        }
    }
}

/// A thread's search buffers, reused query after query (see `workspace`): the labels, the
/// bag of each terminal and the heap.
#[derive(Default)]
pub(super) struct SearchBuffers {
    labels: Vec<Label>,
    bags: Vec<Vec<u32>>,
    /// Terminals whose bags hold labels of the last search.
    touched: Vec<u32>,
    heap: BinaryHeap<Entry>,
    done: Vec<u32>,
}

impl SearchBuffers {
    /// Empties what the last search left and makes room for `terminals` bags.
    fn prepare(&mut self, terminals: usize) {
        self.labels.clear();
        for &t in &self.touched {
            if let Some(bag) = self.bags.get_mut(t as usize) {
                bag.clear();
            }
        }
        self.touched.clear();
        if self.bags.len() < terminals {
            self.bags.resize_with(terminals, Vec::new);
        }
        self.heap.clear();
        self.done.clear();
    }

    /// The routes a [`Goal::Destinations`] search found.
    pub fn found(&self) -> Vec<TimedPath> {
        self.done
            .iter()
            .filter(|&&i| self.labels[i as usize].alive)
            .map(|&i| self.path(i))
            .collect()
    }

    /// The paths of the labels left at `terminal` that keep the query's deadline and budget.
    pub fn paths_at(&self, query: &RouteQuery, terminal: TerminalId) -> Vec<TimedPath> {
        self.kept_at(query, terminal)
            .map(|i| self.path(i))
            .collect()
    }

    /// The totals of the labels left at `terminal` that keep the deadline and budget.
    pub fn totals_at<'s>(
        &'s self,
        query: &'s RouteQuery,
        terminal: TerminalId,
    ) -> impl Iterator<Item = Totals> + 's {
        self.kept_at(query, terminal)
            .map(|i| self.labels[i as usize].totals())
    }

    fn kept_at<'s>(
        &'s self,
        query: &'s RouteQuery,
        terminal: TerminalId,
    ) -> impl Iterator<Item = u32> + 's {
        let c = &query.constraints;
        self.bags
            .get(terminal.index())
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&i| {
                let l = &self.labels[i as usize];
                l.alive
                    && l.parent.is_some()
                    && c.deliver_by.is_none_or(|d| l.time <= d)
                    && c.max_cost_usd.is_none_or(|m| l.cost <= m + EPSILON)
            })
    }

    fn path(&self, i: u32) -> TimedPath {
        trace(i, |k| self.labels[k as usize].parent)
    }
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
        let tz = self.network.clock(s.from, ready);
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

    /// Every edge out of `terminal` the query may take, with its pricing (priced here the
    /// first time a search reaches it).
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
                // A route never moves into an origin terminal: it could have started there.
                if self.query.origins.contains(&next) {
                    return None;
                }
                Some((id, next, self.pricing.get(id)?))
            })
    }

    fn starts(&self) -> impl Iterator<Item = TerminalId> + '_ {
        self.query
            .origins
            .iter()
            .copied()
            .filter(|t| super::pricing::terminal_allowed(self.network, self.query, *t))
    }

    /// The non-dominated labels over (arrival, cost, CO2) towards `goal`, left in `buffers`
    /// (read them with [`SearchBuffers::found`], `paths_at` or `totals_at`).
    pub fn pareto(&self, goal: Goal, buffers: &mut SearchBuffers, exclusions: &mut Vec<Exclusion>) {
        let c = &self.query.constraints;
        let limit_legs = self.max_legs();
        buffers.prepare(self.network.terminals().len());
        let SearchBuffers {
            labels,
            bags,
            touched,
            heap,
            done,
        } = buffers;
        let stops = matches!(goal, Goal::Destinations(_));
        let bounds = goal.bounds();
        let least_end = |label: &Label| match bounds {
            Some(b) => least_end(b, label),
            None => Some(label.totals()),
        };
        // A label dominates another at its terminal when its totals do, it has used no more
        // legs (if they are limited), and whatever the other's next leg saves by continuing a
        // through movement, it saves too.
        let dominates = |a: &Label, b: &Label| {
            a.totals().dominates(&b.totals())
                && (limit_legs.is_none() || a.legs <= b.legs)
                && (b.through.is_none() || a.through == b.through)
        };
        let insert = |label: Label,
                      labels: &mut Vec<Label>,
                      bags: &mut Vec<Vec<u32>>,
                      touched: &mut Vec<u32>,
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
            let Some(end) = least_end(&label) else {
                return; // no destination is reachable from here
            };
            let index = labels.len() as u32;
            if bag.is_empty() {
                touched.push(label.terminal.0);
            }
            bag.push(index);
            heap.push(Entry {
                time: end.arrival,
                cost: end.cost_usd,
                co2: end.co2_kg,
                index,
            });
            labels.push(label);
        };
        // Target pruning: time, cost, CO2 and legs only grow along a path, so a label whose
        // least possible end breaks the deadline or the budget, or is dominated by a route
        // already found, can only lead to routes that are refused or dominated.
        let hopeless = |label: &Label, labels: &[Label], done: &[u32]| {
            let Some(end) = least_end(label) else {
                return true;
            };
            c.deliver_by.is_some_and(|d| end.arrival > d)
                || c.max_cost_usd.is_some_and(|m| end.cost_usd > m + EPSILON)
                || done.iter().any(|&d| {
                    let found = &labels[d as usize];
                    found.alive
                        && found.totals().dominates(&end)
                        && (limit_legs.is_none() || found.legs <= label.legs)
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
                labels,
                bags,
                touched,
                heap,
            );
        }
        while let Some(entry) = heap.pop() {
            let label = labels[entry.index as usize];
            if !label.alive {
                continue;
            }
            if hopeless(&label, labels, done) {
                continue;
            }
            if stops && self.query.destinations.contains(&label.terminal) {
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
                if !self.query.explain && hopeless(&next_label, labels, done) {
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
                if !hopeless(&next_label, labels, done) {
                    insert(next_label, labels, bags, touched, heap);
                }
            }
        }
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

/// The least totals a route continuing `label` can end with; `None` when it cannot reach a
/// destination at all.
fn least_end(bounds: &RemainingBounds, label: &Label) -> Option<Totals> {
    let (seconds, cost, co2) = bounds.at(label.terminal)?;
    Some(Totals {
        arrival: label.time + seconds as Instant,
        cost_usd: label.cost + cost,
        co2_kg: label.co2 + co2,
    })
}

/// The costs of a timed path's legs: static leg costs, less what a continuation of a through
/// movement does not pay again, plus the waiting the timetable imposed.
pub(super) fn leg_costs(path: &TimedPath, pricing: &Pricing) -> Vec<LegCost> {
    let mut previous = None;
    path.iter()
        .map(|leg| {
            let p = pricing
                .get(leg.service)
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
