//! The planner: the graph of one network, and the answer to a query — the non-dominated
//! routes, labelled, ranked by the query's objective, or why there is none.

use std::collections::HashSet;
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};

use super::pricing::{price_services, PricedService, Repath};
use super::search::{leg_costs, Searcher, TimedPath};
use super::{Constraints, Objective, RouteQuery};
use crate::cost::LegCost;
use crate::model::{format_local, Instant, Network, ServiceId, TerminalId, SECONDS_PER_HOUR};

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
    pub fn door_to_door_hours(&self) -> f64 {
        (self.arrival - self.ready_at) as f64 / SECONDS_PER_HOUR
    }
}

/// A candidate the query's constraints removed, and which constraint did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    pub service: Option<ServiceId>,
    /// The request field (or data rule) responsible: `season`, `allowed_modes`, ...
    pub constraint: &'static str,
    pub detail: String,
}

impl Exclusion {
    pub fn service(id: ServiceId, constraint: &'static str, detail: String) -> Self {
        Exclusion {
            service: Some(id),
            constraint,
            detail,
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

/// Why a query found no route, in words a user can act on.
#[derive(Debug, Clone, PartialEq)]
pub struct NoRoute {
    pub reason: String,
    /// When `deliver_by` is what stands in the way: the earliest arrival that does exist.
    pub earliest_arrival: Option<Instant>,
    pub exclusions: Vec<Exclusion>,
}

/// The graph of one network, built once and shared by all queries on it.
#[derive(Debug, Clone)]
pub struct Planner {
    /// Node i is terminal i; each edge is a service.
    graph: DiGraph<TerminalId, ServiceId>,
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

    /// The non-dominated routes over (arrival, cost, CO2), at most `max_routes` of them
    /// (the fastest, cheapest, lowest-CO2 and balanced ones first), sorted by the objective.
    pub fn find_routes(&self, network: &Network, query: &RouteQuery) -> Result<Answer, NoRoute> {
        let mut exclusions = Vec::new();
        let priced = price_services(network, query, &mut exclusions);
        let searcher = self.searcher(network, query, &priced);
        let paths = searcher.pareto(&mut exclusions);
        dedup_exclusions(&mut exclusions);
        let routes = rank(network, query, &priced, paths);
        if routes.is_empty() {
            return Err(self.explain_no_route(network, query, exclusions));
        }
        Ok(Answer { routes, exclusions })
    }

    /// The single route that makes the cargo available at a destination earliest. A
    /// single-criterion search: it ignores `max_cost_usd` and `deliver_by`.
    pub fn earliest_arrival(&self, network: &Network, query: &RouteQuery) -> Option<Route> {
        let priced = price_services(network, query, &mut Vec::new());
        let path = self.searcher(network, query, &priced).earliest_arrival()?;
        Some(assemble(network, query, &priced, &path))
    }

    fn searcher<'a>(
        &'a self,
        network: &'a Network,
        query: &'a RouteQuery,
        priced: &'a [Option<PricedService>],
    ) -> Searcher<'a> {
        Searcher {
            network,
            query,
            priced,
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
        let has_route = |relax: &dyn Fn(&mut Constraints)| {
            let mut relaxed = query.clone();
            relax(&mut relaxed.constraints);
            relaxed.explain = false;
            let priced = price_services(network, &relaxed, &mut Vec::new());
            self.searcher(network, &relaxed, &priced)
                .pareto(&mut Vec::new())
                .iter()
                .map(|p| assemble(network, &relaxed, &priced, p))
                .min_by_key(|r| r.arrival)
        };
        if query.constraints.deliver_by.is_some() {
            if let Some(route) = has_route(&|c| c.deliver_by = None) {
                let tz = &network
                    .terminal(network.service(route.legs.last().unwrap().service).to)
                    .timezone;
                return NoRoute {
                    reason: format!(
                        "no route delivers by deliver_by; the earliest arrival is {}",
                        format_local(route.arrival, tz)
                    ),
                    earliest_arrival: Some(route.arrival),
                    exclusions,
                };
            }
        }
        type Relaxation = (&'static str, fn(&mut Constraints));
        let relaxations: [Relaxation; 6] = [
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
            ("avoid_passages", |c| c.avoid_passages.clear()),
            ("max_cost_usd", |c| c.max_cost_usd = None),
        ];
        let blocking: Vec<&str> = relaxations
            .into_iter()
            .filter(|(_, relax)| has_route(relax).is_some())
            .map(|(name, _)| name)
            .collect();
        let seasonal = exclusions.iter().any(|e| e.constraint == "season");
        let reason = if !blocking.is_empty() {
            format!(
                "no route satisfies the constraints; relaxing any one of these would give one: {}",
                blocking.join(", ")
            )
        } else if seasonal {
            "no route: the services that would connect them do not depart in their season \
             within a week of ready_at (see the season explanations)"
                .to_string()
        } else {
            let cargo = if query.shipment.is_reefer() {
                "reefer "
            } else if query.shipment.dangerous_goods {
                "dangerous-goods "
            } else {
                ""
            };
            format!("no {cargo}service chain connects the origin to the destination")
        };
        NoRoute {
            reason,
            earliest_arrival: None,
            exclusions,
        }
    }
}

/// Keeps the first exclusion per (service, constraint).
fn dedup_exclusions(exclusions: &mut Vec<Exclusion>) {
    let mut seen = HashSet::new();
    exclusions.retain(|e| seen.insert((e.service, e.constraint)));
}

fn assemble(
    network: &Network,
    query: &RouteQuery,
    priced: &[Option<PricedService>],
    path: &TimedPath,
) -> Route {
    let costs = leg_costs(path, priced);
    let legs: Vec<RouteLeg> = path
        .iter()
        .zip(&costs)
        .map(|(leg, cost)| RouteLeg {
            service: leg.service,
            cost: *cost,
            departure: leg.departure,
            arrival: leg.arrival,
            available: leg.available,
            repath: priced[leg.service.index()]
                .as_ref()
                .and_then(|p| p.repath.clone()),
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
    priced: &[Option<PricedService>],
    paths: Vec<TimedPath>,
) -> Vec<Route> {
    let routes: Vec<Route> = paths
        .iter()
        .map(|p| assemble(network, query, priced, p))
        .collect();
    let keys: Vec<(Instant, f64, f64)> = routes
        .iter()
        .map(|r| (r.arrival, r.total.cost.total_usd(), r.total.co2_kg))
        .collect();
    let dominated = |b: &(Instant, f64, f64)| {
        keys.iter()
            .any(|a| a.0 <= b.0 && a.1 <= b.1 + 1e-9 && a.2 <= b.2 + 1e-9 && a != b)
    };
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
