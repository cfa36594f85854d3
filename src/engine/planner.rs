//! The planner: the graph of one network, and the answer to a query — the non-dominated
//! routes, labelled, ranked by the query's objective, or why there is none.

use std::collections::HashSet;
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};

use super::bounds::{BoundsKey, Prepared, PreparedCache, RemainingBounds};
use super::dominance::Totals;
use super::pricing::{bans_for, Pricing, Refusal};
use super::search::{leg_costs, Goal, SearchBuffers, Searcher, TimedPath};
use super::workspace;
use super::{Objective, RouteQuery};
use crate::cost::{LegCost, Product};
use crate::model::Repath;
use crate::model::{Instant, Network, ServiceId, TerminalId, SECONDS_PER_HOUR};

/// One leg of a found route: the service, when it runs for this cargo, and what it costs.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteLeg {
    pub service: ServiceId,
    /// Charges, CO2 and hours; `time.waiting_hours` is the wait from the cargo being ready at
    /// this leg's terminal to the departure.
    pub cost: LegCost,
    pub departure: Instant,
    /// The vehicle reaches the far terminal (border formalities included).
    pub arrival: Instant,
    /// The cargo is discharged and available there.
    pub available: Instant,
    /// Set when the query's avoided passages moved this sea leg off its usual path.
    pub repath: Option<Arc<Repath>>,
    /// The product that carried the cargo (FCL, LCL, air cargo, courier, truck).
    pub product: Product,
    /// Departures the shipment was spread over; `departure` is the first, `arrival` the
    /// last part's.
    pub departures: u32,
}

/// What a route is best at among the routes returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteLabel {
    Fastest,
    Cheapest,
    LowestCo2,
    /// Closest to the ideal point: least sum of time, cost and CO2, each relative to the best
    /// value of the set.
    Balanced,
}

/// A found route and its totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub legs: Vec<RouteLeg>,
    pub total: LegCost,
    pub ready_at: Instant,
    /// The cargo is available at the destination.
    pub arrival: Instant,
    /// The objective's value for the whole route.
    pub score: f64,
    /// Changes of vehicle: main (non-drayage) legs minus one.
    pub transfers: u32,
    pub labels: Vec<RouteLabel>,
}

impl Route {
    pub fn totals(&self) -> Totals {
        Totals {
            arrival: self.arrival,
            cost_usd: self.total.cost.total_usd(),
            co2_kg: self.total.co2_kg,
        }
    }

    /// The oldest date the rates of its legs refer to.
    pub fn rates_as_of(&self, network: &Network) -> Option<jiff::civil::Date> {
        self.legs
            .iter()
            .filter_map(|l| network.service(l.service).tariff.as_of)
            .min()
    }

    pub fn door_to_door_hours(&self) -> f64 {
        (self.arrival - self.ready_at) as f64 / SECONDS_PER_HOUR
    }
}

/// A candidate the query's constraints removed, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusion {
    pub service: Option<ServiceId>,
    pub reason: Refusal,
}

impl Exclusion {
    pub fn service(id: ServiceId, reason: Refusal) -> Self {
        Exclusion {
            service: Some(id),
            reason,
        }
    }
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub routes: Vec<Route>,
    /// Filled when the query asked to explain.
    pub exclusions: Vec<Exclusion>,
}

/// A constraint of the query the "why no route" explanation may relax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relaxation {
    IncludeExploratory,
    AllowedModes,
    MaxTransfers,
    AvoidLocations,
    AvoidPassages,
    MaxCost,
    KeepTogether,
    PassageAdvisories,
}

impl Relaxation {
    const ALL: [Relaxation; 8] = [
        Relaxation::IncludeExploratory,
        Relaxation::AllowedModes,
        Relaxation::MaxTransfers,
        Relaxation::AvoidLocations,
        Relaxation::AvoidPassages,
        Relaxation::MaxCost,
        Relaxation::KeepTogether,
        Relaxation::PassageAdvisories,
    ];

    fn apply(self, q: &mut RouteQuery) {
        let c = &mut q.constraints;
        match self {
            Relaxation::IncludeExploratory => c.include_exploratory = true,
            Relaxation::AllowedModes => c.allowed_modes.clear(),
            Relaxation::MaxTransfers => c.max_transfers = None,
            Relaxation::AvoidLocations => {
                c.avoid_terminals.clear();
                c.avoid_countries.clear();
            }
            Relaxation::AvoidPassages => c.avoid_passages.clear(),
            Relaxation::MaxCost => c.max_cost_usd = None,
            Relaxation::KeepTogether => q.shipment.keep_together = false,
            Relaxation::PassageAdvisories => c.ignore_advisories = true,
        }
    }

    /// Whether relaxing it changes the query at all.
    fn applies(self, q: &RouteQuery) -> bool {
        let c = &q.constraints;
        match self {
            Relaxation::IncludeExploratory => !c.include_exploratory,
            Relaxation::AllowedModes => !c.allowed_modes.is_empty(),
            Relaxation::MaxTransfers => c.max_transfers.is_some(),
            Relaxation::AvoidLocations => {
                !(c.avoid_terminals.is_empty() && c.avoid_countries.is_empty())
            }
            Relaxation::AvoidPassages => !c.avoid_passages.is_empty(),
            Relaxation::MaxCost => c.max_cost_usd.is_some(),
            Relaxation::KeepTogether => q.shipment.keep_together,
            Relaxation::PassageAdvisories => !c.ignore_advisories,
        }
    }
}

/// Why a query found no route.
#[derive(Debug, Clone, PartialEq)]
pub enum NoRouteCause {
    /// `deliver_by` stands in the way; a route exists that arrives at `earliest`, at
    /// `terminal`.
    DeliverBy {
        earliest: Instant,
        terminal: TerminalId,
    },
    /// Relaxing any one of these constraints would give a route.
    Constraints(Vec<Relaxation>),
    /// The services that would connect them do not depart in their season within the wait.
    Season,
    /// No chain of services carries this cargo between them.
    NoChain,
}

/// Why a query found no route, and the exclusions behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct NoRoute {
    pub cause: NoRouteCause,
    pub exclusions: Vec<Exclusion>,
}

impl NoRoute {
    /// When `deliver_by` is what stands in the way: the earliest arrival that does exist.
    pub fn earliest_arrival(&self) -> Option<Instant> {
        match self.cause {
            NoRouteCause::DeliverBy { earliest, .. } => Some(earliest),
            _ => None,
        }
    }
}

/// Where cargo can be by a deadline or within a budget: one terminal's earliest arrival and
/// least cost, each over every route that keeps both limits (the two may be different
/// routes).
#[derive(Debug, Clone, PartialEq)]
pub struct Reach {
    pub terminal: TerminalId,
    /// The cargo is available there at the earliest.
    pub earliest: Instant,
    pub least_cost_usd: f64,
    pub least_co2_kg: f64,
}

/// The graph of one network, built once and shared by all queries on it, with the prices and
/// lower bounds its queries have computed (see `bounds`).
#[derive(Debug)]
pub struct Planner {
    /// Node i is terminal i; each edge is a service.
    graph: DiGraph<TerminalId, ServiceId>,
    /// Per service, the index of its through movement (services sharing `Service::through`).
    through: Vec<Option<u32>>,
    prepared: PreparedCache,
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
        let mut names: Vec<&str> = Vec::new();
        let through = network
            .services()
            .iter()
            .map(|s| {
                let name = s.through.as_deref()?;
                let index = names.iter().position(|n| *n == name).unwrap_or_else(|| {
                    names.push(name);
                    names.len() - 1
                });
                Some(index as u32)
            })
            .collect();
        Planner {
            graph,
            through,
            prepared: PreparedCache::default(),
        }
    }

    /// The non-dominated routes over (arrival, cost, CO2), at most `max_routes` of them
    /// (the fastest, cheapest, lowest-CO2 and balanced ones first), sorted by the objective.
    pub fn find_routes(&self, network: &Network, query: &RouteQuery) -> Result<Answer, NoRoute> {
        if !query.explain {
            let routes = self.pareto_routes(network, query);
            if routes.is_empty() {
                return Err(self.explain_no_route(network, query, Vec::new()));
            }
            return Ok(Answer {
                routes,
                exclusions: Vec::new(),
            });
        }
        let prepared = self.prepared(network, query, &query.destinations);
        let (routes, mut exclusions) = workspace::with(network.services().len(), |ws| {
            // An explanation prices everything privately: it reports every refusal.
            let pricing = Pricing::private(network, query, &self.through, &ws.pricing);
            pricing.price_all();
            let bounds = self.bounds(&prepared, &pricing, &query.destinations);
            let mut searched = Vec::new();
            self.searcher(network, query, &pricing).pareto(
                Goal::Destinations(bounds),
                &mut ws.search,
                &mut searched,
            );
            let routes = rank(network, query, &pricing, ws.search.found());
            let mut exclusions = pricing.take_exclusions();
            exclusions.append(&mut searched);
            (routes, exclusions)
        });
        dedup_exclusions(&mut exclusions);
        if routes.is_empty() {
            return Err(self.explain_no_route(network, query, exclusions));
        }
        Ok(Answer { routes, exclusions })
    }

    /// The ranked routes of a query that does not explain (an empty list where there is none).
    fn pareto_routes(&self, network: &Network, query: &RouteQuery) -> Vec<Route> {
        self.search(network, query, Aim::Destinations, |search, pricing| {
            rank(network, query, pricing, search.found())
        })
    }

    /// Runs one Pareto search for `query` (which must not explain) towards `aim`, with the
    /// prices and bounds its key shares, in this thread's buffers, and hands `read` what it
    /// left there.
    fn search<R>(
        &self,
        network: &Network,
        query: &RouteQuery,
        aim: Aim,
        read: impl FnOnce(&SearchBuffers, &Pricing) -> R,
    ) -> R {
        let prepared = self.prepared(network, query, &query.destinations);
        workspace::with(network.services().len(), |ws| {
            let pricing = Pricing::shared(network, query, &self.through, &prepared);
            let goal = match aim {
                Aim::Destinations => {
                    Goal::Destinations(self.bounds(&prepared, &pricing, &query.destinations))
                }
                Aim::Targets => {
                    Goal::Targets(self.bounds(&prepared, &pricing, &query.destinations))
                }
                Aim::Everywhere => Goal::Everywhere,
            };
            self.searcher(network, query, &pricing)
                .pareto(goal, &mut ws.search, &mut Vec::new());
            read(&ws.search, &pricing)
        })
    }

    /// For each of `targets` (the terminals of one destination), the routes a query for that
    /// destination alone would get (`query.destinations` is ignored; an empty list where there
    /// is none). One Pareto search per group of targets whose cargo is subject to the same
    /// transit bans — one in all on most networks — instead of one per target: the search does
    /// not stop at a destination, is bounded by the nearest of them, and each target keeps its
    /// own non-dominated labels. A group of one target is a single query, which stops at it
    /// and prunes by what it found.
    pub fn find_routes_to_many(
        &self,
        network: &Network,
        query: &RouteQuery,
        targets: &[Vec<TerminalId>],
    ) -> Vec<Vec<Route>> {
        let mut answers = vec![Vec::new(); targets.len()];
        for group in groups_by_bans(network, targets) {
            let mut destinations: Vec<TerminalId> =
                group.iter().flat_map(|&i| targets[i].clone()).collect();
            destinations.sort();
            destinations.dedup();
            let grouped = RouteQuery {
                destinations,
                explain: false,
                ..query.clone()
            };
            if let [i] = group[..] {
                answers[i] = self.pareto_routes(network, &grouped);
                continue;
            }
            self.search(network, &grouped, Aim::Targets, |search, pricing| {
                for &i in &group {
                    let paths: Vec<TimedPath> = targets[i]
                        .iter()
                        .flat_map(|&t| search.paths_at(&grouped, t))
                        .collect();
                    answers[i] = rank(network, &grouped, pricing, paths);
                }
            });
        }
        answers
    }

    /// Every terminal the cargo can reach from the query's origins by `deliver_by` and within
    /// `max_cost_usd` (the origins themselves aside), with the earliest arrival and the least
    /// cost and CO2 there, earliest first. One search with no goal per group of terminals
    /// under the same transit bans; `query.destinations` is ignored.
    pub fn reachable(&self, network: &Network, query: &RouteQuery) -> Vec<Reach> {
        let everything: Vec<Vec<TerminalId>> = (0..network.terminals().len())
            .map(|i| vec![TerminalId(i as u32)])
            .collect();
        let mut reached = Vec::new();
        for group in groups_by_bans(network, &everything) {
            let grouped = RouteQuery {
                destinations: group.iter().map(|&i| TerminalId(i as u32)).collect(),
                explain: false,
                ..query.clone()
            };
            self.search(network, &grouped, Aim::Everywhere, |search, _| {
                reached.extend(grouped.destinations.iter().filter_map(|&t| {
                    least_at(search, &grouped, t).map(|(earliest, cost, co2)| Reach {
                        terminal: t,
                        earliest,
                        least_cost_usd: cost,
                        least_co2_kg: co2,
                    })
                }));
            });
        }
        reached.sort_by(|a, b| {
            a.earliest
                .cmp(&b.earliest)
                .then(a.terminal.cmp(&b.terminal))
        });
        reached
    }

    /// The single route that makes the cargo available at a destination earliest. A
    /// single-criterion search: it ignores `max_cost_usd` and `deliver_by`.
    pub fn earliest_arrival(&self, network: &Network, query: &RouteQuery) -> Option<Route> {
        let prepared = self.prepared(network, query, &query.destinations);
        let pricing = Pricing::shared(network, query, &self.through, &prepared);
        let path = self.searcher(network, query, &pricing).earliest_arrival()?;
        Some(assemble(network, query, &pricing, &path))
    }

    /// Empties the cache of prices and bounds: what the next query of every key pays again
    /// (benchmarks measure a first query with it).
    pub fn forget_prepared(&self) {
        self.prepared.clear();
    }

    /// (hits, misses, entries) of the cache of prices and bounds.
    pub fn prepared_cache_stats(&self) -> (u64, u64, usize) {
        self.prepared.stats()
    }

    /// The prices and bounds shared by the queries like `query` to `destinations`.
    fn prepared(
        &self,
        network: &Network,
        query: &RouteQuery,
        destinations: &[TerminalId],
    ) -> Arc<Prepared> {
        self.prepared.get(
            BoundsKey::of(query, destinations),
            network.services().len(),
            network.terminals().len(),
        )
    }

    fn bounds<'p>(
        &self,
        prepared: &'p Prepared,
        pricing: &Pricing,
        destinations: &[TerminalId],
    ) -> &'p RemainingBounds {
        prepared.bounds(|| {
            RemainingBounds::compute(&self.graph, &pricing.bound_weights(), destinations)
        })
    }

    fn searcher<'a>(
        &'a self,
        network: &'a Network,
        query: &'a RouteQuery,
        pricing: &'a Pricing<'a>,
    ) -> Searcher<'a> {
        Searcher {
            network,
            query,
            pricing,
            graph: &self.graph,
        }
    }

    /// Relaxes the constraints one at a time to say which of them stand in the way.
    fn explain_no_route(
        &self,
        network: &Network,
        query: &RouteQuery,
        exclusions: Vec<Exclusion>,
    ) -> NoRoute {
        // The earliest-arriving route under the relaxed constraints. The Pareto search, not
        // the earliest-arrival one: only it honours `max_cost_usd` and `deliver_by`.
        let has_route = |relax: &dyn Fn(&mut RouteQuery)| {
            let mut relaxed = query.clone();
            relax(&mut relaxed);
            relaxed.explain = false;
            // The fastest route is labelled, so ranking keeps it.
            self.pareto_routes(network, &relaxed)
                .into_iter()
                .min_by_key(|r| r.arrival)
        };
        if query.constraints.deliver_by.is_some() {
            if let Some(route) = has_route(&|q| q.constraints.deliver_by = None) {
                let last = route.legs.last().expect("a route has legs");
                return NoRoute {
                    cause: NoRouteCause::DeliverBy {
                        earliest: route.arrival,
                        terminal: network.service(last.service).to,
                    },
                    exclusions,
                };
            }
        }
        let blocking: Vec<Relaxation> = Relaxation::ALL
            .into_iter()
            .filter(|r| r.applies(query) && has_route(&|q| r.apply(q)).is_some())
            .collect();
        let seasonal = exclusions
            .iter()
            .any(|e| matches!(e.reason, Refusal::Season { .. }));
        let cause = if !blocking.is_empty() {
            NoRouteCause::Constraints(blocking)
        } else if seasonal {
            NoRouteCause::Season
        } else {
            NoRouteCause::NoChain
        };
        NoRoute { cause, exclusions }
    }
}

/// Where a search of [`Planner::search`] is headed (its [`Goal`] without the bounds, which
/// the search takes from the prepared entry).
#[derive(Clone, Copy)]
enum Aim {
    Destinations,
    Targets,
    Everywhere,
}

/// Indices of `targets` grouped by the transit bans their cargo is subject to, in first
/// appearance order.
fn groups_by_bans(network: &Network, targets: &[Vec<TerminalId>]) -> Vec<Vec<usize>> {
    let mut masks: Vec<u64> = Vec::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        let mask = bans_for(network, target);
        match masks.iter().position(|&m| m == mask) {
            Some(g) => groups[g].push(i),
            None => {
                masks.push(mask);
                groups.push(vec![i]);
            }
        }
    }
    groups
}

/// The earliest arrival, least cost and least CO2 over the labels a search left at `t`.
fn least_at(
    search: &SearchBuffers,
    query: &RouteQuery,
    t: TerminalId,
) -> Option<(Instant, f64, f64)> {
    search.totals_at(query, t).fold(None, |best, x| {
        let (time, cost, co2) = best.unwrap_or((Instant::MAX, f64::INFINITY, f64::INFINITY));
        Some((time.min(x.arrival), cost.min(x.cost_usd), co2.min(x.co2_kg)))
    })
}

/// Keeps the first exclusion per (service, kind of reason).
fn dedup_exclusions(exclusions: &mut Vec<Exclusion>) {
    let mut seen = HashSet::new();
    exclusions.retain(|e| seen.insert((e.service, std::mem::discriminant(&e.reason))));
}

fn assemble(network: &Network, query: &RouteQuery, pricing: &Pricing, path: &TimedPath) -> Route {
    let costs = leg_costs(path, pricing);
    let legs: Vec<RouteLeg> = path
        .iter()
        .zip(&costs)
        .map(|(leg, cost)| {
            let p = pricing
                .get(leg.service)
                .expect("a found path uses priced services");
            RouteLeg {
                service: leg.service,
                cost: *cost,
                departure: leg.departure,
                arrival: leg.arrival,
                available: leg.available,
                repath: p.repath.clone(),
                product: p.product,
                departures: leg.departures,
            }
        })
        .collect();
    let total = costs.iter().fold(LegCost::default(), |acc, c| acc + *c);
    let main_legs = legs
        .iter()
        .filter(|l| !network.service(l.service).drayage)
        .count() as u32;
    let arrival = path.last().map_or(query.ready_at, |l| l.available);
    let mut route = Route {
        legs,
        total,
        ready_at: query.ready_at,
        arrival,
        score: 0.0,
        transfers: main_legs.saturating_sub(1),
        labels: Vec::new(),
    };
    route.score = score(query, network, &route);
    route
}

/// The objective's value of a route (time counts door to door from `ready_at`).
fn score(query: &RouteQuery, network: &Network, route: &Route) -> f64 {
    let hours = route.door_to_door_hours();
    match query.objective {
        Objective::Cost => route.total.cost.total_usd(),
        Objective::Time => hours,
        Objective::Co2 => route.total.co2_kg,
        Objective::Generalized => query.weights.generalized_usd(
            route.total.cost.total_usd(),
            hours,
            route.total.co2_kg,
            query.shipment.teu(network.params()),
        ),
    }
}

/// Turns the Pareto paths into the answer: drops routes dominated across destinations and
/// routes that differ from a better one only in their drayage, labels the extremes, keeps
/// `max_routes` (labelled ones first) and sorts by the objective.
fn rank(
    network: &Network,
    query: &RouteQuery,
    pricing: &Pricing,
    paths: Vec<TimedPath>,
) -> Vec<Route> {
    let routes: Vec<Route> = paths
        .iter()
        .map(|p| assemble(network, query, pricing, p))
        .collect();
    let keys: Vec<Totals> = routes.iter().map(Route::totals).collect();
    let dominated = |b: &Totals| keys.iter().any(|a| a.strictly_dominates(b));
    let mut routes: Vec<Route> = routes
        .into_iter()
        .zip(&keys)
        .filter(|(_, key)| !dominated(key))
        .map(|(route, _)| route)
        .collect();
    routes.sort_by(|a, b| a.score.total_cmp(&b.score).then(a.arrival.cmp(&b.arrival)));
    let mut seen = HashSet::new();
    routes.retain(|r| {
        let main: Vec<ServiceId> = r
            .legs
            .iter()
            .filter(|l| !network.service(l.service).drayage)
            .map(|l| l.service)
            .collect();
        seen.insert(main)
    });
    if routes.is_empty() {
        return routes;
    }
    label(&mut routes);
    let (mut chosen, rest): (Vec<Route>, Vec<Route>) =
        routes.into_iter().partition(|r| !r.labels.is_empty());
    chosen.truncate(query.max_routes);
    chosen.extend(rest.into_iter().take(query.max_routes - chosen.len()));
    chosen.sort_by(|a, b| a.score.total_cmp(&b.score).then(a.arrival.cmp(&b.arrival)));
    chosen
}

fn label(routes: &mut [Route]) {
    let argmin = |f: &dyn Fn(&Route) -> f64| {
        (0..routes.len())
            .min_by(|&a, &b| f(&routes[a]).total_cmp(&f(&routes[b])))
            .expect("routes is not empty")
    };
    let fastest = argmin(&|r| r.door_to_door_hours());
    let cheapest = argmin(&|r| r.total.cost.total_usd());
    let greenest = argmin(&|r| r.total.co2_kg);
    let (h, c, e) = (
        routes[fastest].door_to_door_hours().max(1e-9),
        routes[cheapest].total.cost.total_usd().max(1e-9),
        routes[greenest].total.co2_kg.max(1e-9),
    );
    let balanced =
        argmin(&|r| r.door_to_door_hours() / h + r.total.cost.total_usd() / c + r.total.co2_kg / e);
    routes[fastest].labels.push(RouteLabel::Fastest);
    routes[cheapest].labels.push(RouteLabel::Cheapest);
    routes[greenest].labels.push(RouteLabel::LowestCo2);
    routes[balanced].labels.push(RouteLabel::Balanced);
}
