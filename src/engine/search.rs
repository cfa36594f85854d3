//! The searches: a Dijkstra over (terminal, main legs used) states, so that a limit on
//! transfers is exact, inside Yen's algorithm for the k best loopless routes.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{Constraints, RouteQuery};
use crate::cost::{leg_cost, LegCost};
use crate::model::{AirCapacity, Network, Service, ServiceId, TerminalId};

/// One leg of a found route, with what it costs this shipment.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteLeg {
    pub service: ServiceId,
    pub cost: LegCost,
}

/// A found route and its totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub legs: Vec<RouteLeg>,
    pub total: LegCost,
    /// The objective's value for the whole route.
    pub score: f64,
    /// Changes of vehicle: main (non-drayage) legs minus one.
    pub transfers: u32,
}

/// Why a query found no route, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoRoute {
    pub reason: String,
}

/// The graph of one network, built once and shared by all queries on it.
#[derive(Debug, Clone)]
pub struct Planner {
    /// Node i is terminal i; each edge is a service.
    graph: DiGraph<TerminalId, ServiceId>,
}

/// How one service fares in the current query: its leg cost and score, or excluded.
#[derive(Debug, Clone, Copy)]
struct PricedService {
    cost: LegCost,
    score: f64,
    /// Counts towards the transfer limit (every leg but drayage).
    main_leg: bool,
}

impl Planner {
    pub fn new(network: &Network) -> Self {
        let mut graph = DiGraph::with_capacity(network.terminals().len(), network.services().len());
        for i in 0..network.terminals().len() {
            graph.add_node(TerminalId(i as u32));
        }
        for id in network.service_ids() {
            let s = network.service(id);
            graph.add_edge(
                NodeIndex::new(s.from.index()),
                NodeIndex::new(s.to.index()),
                id,
            );
        }
        Planner { graph }
    }

    /// The best `query.max_routes` loopless routes, best first, or why there is none.
    pub fn find_routes(
        &self,
        network: &Network,
        query: &RouteQuery,
    ) -> Result<Vec<Route>, NoRoute> {
        let priced = price_services(network, query);
        let routes = self.k_best(network, query, &priced);
        if routes.is_empty() {
            return Err(self.explain_no_route(network, query));
        }
        Ok(routes)
    }

    fn k_best(
        &self,
        network: &Network,
        query: &RouteQuery,
        priced: &[Option<PricedService>],
    ) -> Vec<Route> {
        let search = Search {
            planner: self,
            network,
            priced,
            origins: &query.origins,
            destinations: &query.destinations,
            max_legs: query.constraints.max_transfers.map(|t| t + 1),
        };
        let start: Vec<TerminalId> = query
            .origins
            .iter()
            .copied()
            .filter(|t| terminal_allowed(network, &query.constraints, *t))
            .collect();
        let Some(first) = search.run(&start, 0, &HashSet::new(), &HashSet::new()) else {
            return Vec::new();
        };
        let mut found: Vec<Path> = vec![first];
        let mut candidates: Vec<Path> = Vec::new();
        while found.len() < query.max_routes {
            let last = found.last().expect("found is never empty").clone();
            // Diverge before the first terminal: begin at an origin no route found so far
            // began at (the spur node of Yen's algorithm is then a virtual super-source).
            let fresh_starts: Vec<TerminalId> = start
                .iter()
                .copied()
                .filter(|t| found.iter().all(|p| p.start != *t))
                .collect();
            let mut spurs: Vec<Path> = search
                .run(&fresh_starts, 0, &HashSet::new(), &HashSet::new())
                .into_iter()
                .collect();
            // Diverge at each terminal of the last route but its end.
            let nodes = last.terminals(network);
            for spur in 0..last.services.len() {
                let root = &last.services[..spur];
                let banned_services: HashSet<ServiceId> = found
                    .iter()
                    .filter(|p| p.start == last.start && p.services.starts_with(root))
                    .filter_map(|p| p.services.get(spur).copied())
                    .collect();
                let banned_terminals: HashSet<TerminalId> = nodes[..spur].iter().copied().collect();
                let root_score: f64 = root.iter().map(|s| priced[s.index()].unwrap().score).sum();
                let root_legs = root
                    .iter()
                    .filter(|s| priced[s.index()].unwrap().main_leg)
                    .count() as u32;
                if let Some(tail) = search.run(
                    &[nodes[spur]],
                    root_legs,
                    &banned_terminals,
                    &banned_services,
                ) {
                    spurs.push(Path {
                        start: last.start,
                        services: root.iter().copied().chain(tail.services).collect(),
                        score: root_score + tail.score,
                    });
                }
            }
            for p in spurs {
                let known = |q: &Path| q.start == p.start && q.services == p.services;
                if !found.iter().any(known) && !candidates.iter().any(known) {
                    candidates.push(p);
                }
            }
            let Some(best) = candidates
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.score.total_cmp(&b.1.score))
                .map(|(i, _)| i)
            else {
                break;
            };
            found.push(candidates.swap_remove(best));
        }
        found.into_iter().map(|p| assemble(&p, priced)).collect()
    }

    /// Relaxes the constraints one at a time to say which of them stand in the way.
    fn explain_no_route(&self, network: &Network, query: &RouteQuery) -> NoRoute {
        type Relaxation = (&'static str, fn(&mut Constraints));
        let relaxations: [Relaxation; 4] = [
            (
                "include_exploratory (only exploratory lines connect them)",
                |c| c.include_exploratory = true,
            ),
            ("allowed_modes", |c| c.allowed_modes.clear()),
            ("max_transfers", |c| c.max_transfers = None),
            ("avoid_locations / avoid_countries", |c| {
                c.avoid_terminals.clear();
                c.avoid_countries.clear();
            }),
        ];
        let blocking: Vec<&str> = relaxations
            .into_iter()
            .filter(|(_, relax)| {
                let mut relaxed = query.clone();
                relax(&mut relaxed.constraints);
                relaxed.max_routes = 1;
                let priced = price_services(network, &relaxed);
                !self.k_best(network, &relaxed, &priced).is_empty()
            })
            .map(|(name, _)| name)
            .collect();
        if !blocking.is_empty() {
            return NoRoute {
                reason: format!(
                    "no route satisfies the constraints; relaxing any one of these would give one: {}",
                    blocking.join(", ")
                ),
            };
        }
        let cargo = if query.shipment.is_reefer() {
            "reefer "
        } else if query.shipment.dangerous_goods {
            "dangerous-goods "
        } else {
            ""
        };
        NoRoute {
            reason: format!("no {cargo}service chain connects the origin to the destination"),
        }
    }
}

/// A route under construction: where it starts and which services it takes.
#[derive(Debug, Clone, PartialEq)]
struct Path {
    start: TerminalId,
    services: Vec<ServiceId>,
    score: f64,
}

impl Path {
    /// The terminals visited, the start first.
    fn terminals(&self, network: &Network) -> Vec<TerminalId> {
        std::iter::once(self.start)
            .chain(self.services.iter().map(|s| network.service(*s).to))
            .collect()
    }
}

fn terminal_allowed(network: &Network, c: &Constraints, t: TerminalId) -> bool {
    !c.avoid_terminals.contains(&t) && !c.avoid_countries.contains(&network.terminal(t).country)
}

/// Whether a service may carry this query's shipment at all.
fn service_allowed(network: &Network, query: &RouteQuery, s: &Service) -> bool {
    let c = &query.constraints;
    let mode_ok = s.drayage || c.allowed_modes.is_empty() || c.allowed_modes.contains(&s.mode);
    let cargo_ok = (!query.shipment.is_reefer() || s.flags.reefer || s.drayage)
        && (!query.shipment.dangerous_goods
            || (s.flags.dangerous_goods && s.flags.air_capacity != Some(AirCapacity::Belly))
            || s.drayage);
    mode_ok
        && cargo_ok
        && (c.include_exploratory || !s.is_exploratory())
        && terminal_allowed(network, c, s.from)
        && terminal_allowed(network, c, s.to)
}

fn price_services(network: &Network, query: &RouteQuery) -> Vec<Option<PricedService>> {
    let teu = query.shipment.teu(network.params());
    network
        .services()
        .iter()
        .map(|s| {
            service_allowed(network, query, s).then(|| {
                let cost = leg_cost(network, s, &query.shipment);
                PricedService {
                    cost,
                    score: query.objective.score(&cost, teu, &query.weights),
                    main_leg: !s.drayage,
                }
            })
        })
        .collect()
}

fn assemble(path: &Path, priced: &[Option<PricedService>]) -> Route {
    let legs: Vec<RouteLeg> = path
        .services
        .iter()
        .map(|s| RouteLeg {
            service: *s,
            cost: priced[s.index()]
                .expect("a found path uses priced services")
                .cost,
        })
        .collect();
    let total = legs.iter().fold(LegCost::default(), |acc, l| acc + l.cost);
    let main_legs = path
        .services
        .iter()
        .filter(|s| priced[s.index()].unwrap().main_leg)
        .count() as u32;
    Route {
        legs,
        total,
        score: path.score,
        transfers: main_legs.saturating_sub(1),
    }
}

/// One constrained shortest-path search.
struct Search<'a> {
    planner: &'a Planner,
    network: &'a Network,
    priced: &'a [Option<PricedService>],
    /// A route never moves into an origin terminal: it could have started there.
    origins: &'a [TerminalId],
    destinations: &'a [TerminalId],
    max_legs: Option<u32>,
}

impl Search<'_> {
    /// The best path from any of `starts` (having used `legs_used` main legs) to a
    /// destination, touching no banned terminal or service. Destinations are sinks, and no
    /// edge leads back into an origin terminal.
    fn run(
        &self,
        starts: &[TerminalId],
        legs_used: u32,
        banned_terminals: &HashSet<TerminalId>,
        banned_services: &HashSet<ServiceId>,
    ) -> Option<Path> {
        let layers = self.max_legs.map_or(1, |m| m as usize + 1);
        let state = |t: TerminalId, legs: u32| t.index() * layers + (legs as usize).min(layers - 1);
        let n = self.network.terminals().len() * layers;
        let mut best = vec![f64::INFINITY; n];
        // (previous state, service) for path reconstruction.
        let mut parent: Vec<Option<(usize, ServiceId)>> = vec![None; n];
        let mut origin_of = vec![TerminalId(0); n];
        let mut heap = BinaryHeap::new();
        for &t in starts {
            if banned_terminals.contains(&t) || self.max_legs.is_some_and(|m| legs_used > m) {
                continue;
            }
            let s = state(t, legs_used);
            best[s] = 0.0;
            origin_of[s] = t;
            heap.push(HeapEntry {
                score: 0.0,
                state: s,
                terminal: t,
                legs: legs_used,
            });
        }
        while let Some(HeapEntry {
            score,
            state: s,
            terminal,
            legs,
        }) = heap.pop()
        {
            if score > best[s] {
                continue;
            }
            if self.destinations.contains(&terminal) {
                let mut services = Vec::new();
                let mut cur = s;
                while let Some((prev, service)) = parent[cur] {
                    services.push(service);
                    cur = prev;
                }
                services.reverse();
                return Some(Path {
                    start: origin_of[s],
                    services,
                    score,
                });
            }
            for edge in self.planner.graph.edges(NodeIndex::new(terminal.index())) {
                let service = *edge.weight();
                let Some(p) = self.priced[service.index()] else {
                    continue;
                };
                let next = TerminalId(edge.target().index() as u32);
                if banned_services.contains(&service)
                    || banned_terminals.contains(&next)
                    || self.origins.contains(&next)
                {
                    continue;
                }
                let next_legs = legs + u32::from(p.main_leg);
                if self.max_legs.is_some_and(|m| next_legs > m) {
                    continue;
                }
                let ns = state(next, next_legs);
                let candidate = score + p.score;
                if candidate < best[ns] {
                    best[ns] = candidate;
                    parent[ns] = Some((s, service));
                    origin_of[ns] = origin_of[s];
                    heap.push(HeapEntry {
                        score: candidate,
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

#[derive(Debug, PartialEq)]
struct HeapEntry {
    score: f64,
    state: usize,
    terminal: TerminalId,
    legs: u32,
}

impl Eq for HeapEntry {}

impl Ord for HeapEntry {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| other.state.cmp(&self.state))
    }
}

impl PartialOrd for HeapEntry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
