//! Comparing a scenario with the base network over origin-destination pairs: for each pair,
//! the best route on each network for shipments ready on each day of a window, side by side;
//! and, weighted by annual demand, what the scenario's new lines would attract.
//!
//! A pair's outcome is the mean over the ready times for which a route exists; the route shown
//! is the one for the first such ready time. A pair "switches" when the scenario's best route
//! uses a service the scenario adds, and it attracts that share of its annual volume.

use std::collections::{BTreeMap, HashSet};

use crate::cost::GeneralizedWeights;
use crate::engine::{Constraints, NetworkState, Objective, Route, RouteQuery};
use crate::model::{Instant, Network, OdDemand, Schedule, Shipment, TerminalId};

/// Weeks in a year, for weekly loads from annual volumes.
const WEEKS_PER_YEAR: f64 = 52.0;
/// Enough routes that the objective's best is always among them.
const ROUTES_PER_QUERY: usize = 20;

/// How each pair is queried.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonSettings {
    /// The cargo is ready at each of these instants (a day apart over the window).
    pub ready_times: Vec<Instant>,
    pub objective: Objective,
    pub include_exploratory: bool,
}

/// The best route of one pair on one network, averaged over the ready times.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub cost_usd_per_teu: f64,
    pub door_to_door_hours: f64,
    pub co2_kg_per_teu: f64,
    /// The services of the best route for the first ready time with a route.
    pub services: Vec<String>,
    /// Ready times for which a route exists.
    pub samples: usize,
}

/// One pair, side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct PairComparison {
    pub demand: OdDemand,
    pub base: Option<Outcome>,
    pub scenario: Option<Outcome>,
    /// Share of the ready times whose scenario best route uses an added service.
    pub switched_share: f64,
    /// For each added service: the share of ready times whose best route uses it.
    pub added_service_shares: BTreeMap<String, f64>,
}

impl PairComparison {
    pub fn switched(&self) -> bool {
        self.switched_share > 0.0
    }

    /// Annual TEU the added services would carry for this pair.
    pub fn attracted_teu(&self) -> f64 {
        self.demand.annual_teu * self.switched_share
    }

    /// Scenario minus base, per TEU: (cost USD, door-to-door hours, CO2 kg), when both exist.
    pub fn deltas(&self) -> Option<(f64, f64, f64)> {
        let (b, s) = (self.base.as_ref()?, self.scenario.as_ref()?);
        Some((
            s.cost_usd_per_teu - b.cost_usd_per_teu,
            s.door_to_door_hours - b.door_to_door_hours,
            s.co2_kg_per_teu - b.co2_kg_per_teu,
        ))
    }
}

/// Weekly load of an added service against its capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct LineLoad {
    pub service: String,
    pub weekly_teu: f64,
    pub weekly_capacity_teu: f64,
}

/// The totals over all pairs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ComparisonSummary {
    pub pairs: usize,
    pub pairs_switched: usize,
    pub attracted_teu_per_year: f64,
    /// Positive when the scenario is cheaper: sum over pairs with a route on both networks of
    /// annual TEU x (base - scenario) cost per TEU.
    pub cost_saved_usd_per_year: f64,
    /// Same with door-to-door hours, in TEU-hours.
    pub teu_hours_saved_per_year: f64,
    pub line_loads: Vec<LineLoad>,
}

/// The best route, by the objective, from one origin to each of `destinations` for one ready
/// time: one one-to-many search (see `Planner::find_routes_to_many`). `None` where there is
/// none, or where a place is not on this network.
fn best_routes(
    state: &NetworkState,
    origin: &str,
    destinations: &[&str],
    reefer: bool,
    ready_at: Instant,
    settings: &ComparisonSettings,
) -> Vec<Option<Route>> {
    let network = &state.network;
    let Some(origins) = network.resolve(origin) else {
        return vec![None; destinations.len()];
    };
    // A destination the network does not know gets no target (and so no route).
    let targets: Vec<Vec<TerminalId>> = destinations
        .iter()
        .map(|d| network.resolve(d).unwrap_or_default())
        .collect();
    let query = RouteQuery {
        origins,
        destinations: Vec::new(),
        shipment: Shipment::containers(1, 0, reefer),
        objective: settings.objective,
        constraints: Constraints {
            include_exploratory: settings.include_exploratory,
            ..Constraints::default()
        },
        ready_at,
        max_routes: ROUTES_PER_QUERY,
        weights: GeneralizedWeights::defaults(network.params()),
        explain: false,
        co2_basis: Default::default(),
    };
    state
        .planner
        .find_routes_to_many(network, &query, &targets)
        .into_iter()
        .map(|routes| routes.into_iter().next())
        .collect()
}

fn service_codes(network: &Network, route: &Route) -> Vec<String> {
    route
        .legs
        .iter()
        .map(|l| network.service(l.service))
        .filter(|s| !s.drayage)
        .map(|s| s.code.clone())
        .collect()
}

/// Mean of the routes found; `None` if there is none.
fn outcome(network: &Network, routes: &[Route]) -> Option<Outcome> {
    let first = routes.first()?;
    let n = routes.len() as f64;
    let teu = Shipment::containers(1, 0, false).teu(network.params());
    let mean = |f: &dyn Fn(&Route) -> f64| routes.iter().map(f).sum::<f64>() / n;
    Some(Outcome {
        cost_usd_per_teu: mean(&|r| r.total.cost.total_usd()) / teu,
        door_to_door_hours: mean(&|r| r.door_to_door_hours()),
        co2_kg_per_teu: mean(&|r| r.total.co2_kg) / teu,
        services: service_codes(network, first),
        samples: routes.len(),
    })
}

/// The pairs grouped so that each group is one origin and one kind of box (dry or reefer),
/// in order of first appearance: a group is one search per network and ready time.
pub fn groups(pairs: &[OdDemand]) -> Vec<Vec<usize>> {
    let mut keys: Vec<(&str, bool)> = Vec::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, p) in pairs.iter().enumerate() {
        let key = (p.origin.as_str(), p.reefer);
        match keys.iter().position(|k| *k == key) {
            Some(g) => groups[g].push(i),
            None => {
                keys.push(key);
                groups.push(vec![i]);
            }
        }
    }
    groups
}

/// Compares pairs that share their origin and kind of box (a group of [`groups`]) on the base
/// and the scenario network: one search per network and ready time answers all of them.
pub fn compare_group(
    base: &NetworkState,
    scenario: &NetworkState,
    added_services: &HashSet<String>,
    group: &[&OdDemand],
    settings: &ComparisonSettings,
) -> Vec<PairComparison> {
    let Some(first) = group.first() else {
        return Vec::new();
    };
    let destinations: Vec<&str> = group.iter().map(|d| d.destination.as_str()).collect();
    // Per network, per pair, the best route of each ready time that has one.
    let routes = |state: &NetworkState| -> Vec<Vec<Route>> {
        let mut per_pair = vec![Vec::new(); group.len()];
        for &t in &settings.ready_times {
            let best = best_routes(
                state,
                &first.origin,
                &destinations,
                first.reefer,
                t,
                settings,
            );
            for (pair, route) in per_pair.iter_mut().zip(best) {
                pair.extend(route);
            }
        }
        per_pair
    };
    // The two networks are searched side by side, on this thread and a scoped one (which
    // inherits its priority): on two cores a comparison takes half the time.
    let (base_routes, scenario_routes) = std::thread::scope(|threads| {
        let scenario_side = threads.spawn(|| routes(scenario));
        let base_side = routes(base);
        let scenario_side = scenario_side
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (base_side, scenario_side)
    });
    group
        .iter()
        .zip(base_routes.iter().zip(&scenario_routes))
        .map(|(demand, (base_routes, scenario_routes))| {
            pair_comparison(
                base,
                scenario,
                added_services,
                demand,
                base_routes,
                scenario_routes,
                settings,
            )
        })
        .collect()
}

/// One pair side by side, from its best routes on each network.
fn pair_comparison(
    base: &NetworkState,
    scenario: &NetworkState,
    added_services: &HashSet<String>,
    demand: &OdDemand,
    base_routes: &[Route],
    scenario_routes: &[Route],
    settings: &ComparisonSettings,
) -> PairComparison {
    let samples = settings.ready_times.len().max(1) as f64;
    let mut added_service_shares: BTreeMap<String, f64> = BTreeMap::new();
    let mut switched = 0usize;
    for route in scenario_routes {
        let used: HashSet<String> = service_codes(&scenario.network, route)
            .into_iter()
            .filter(|c| added_services.contains(c))
            .collect();
        if !used.is_empty() {
            switched += 1;
        }
        for code in used {
            *added_service_shares.entry(code).or_default() += 1.0 / samples;
        }
    }
    PairComparison {
        demand: demand.clone(),
        base: outcome(&base.network, base_routes),
        scenario: outcome(&scenario.network, scenario_routes),
        switched_share: switched as f64 / samples,
        added_service_shares,
    }
}

/// Departures per week of a service (on-demand services count as daily).
fn departures_per_week(schedule: &Schedule) -> f64 {
    match schedule {
        Schedule::Weekly { days, .. } => days.len() as f64,
        Schedule::OnDemand { .. } => 7.0,
    }
}

/// Totals over the pairs, and the weekly load of each added service.
pub fn summarize(
    pairs: &[PairComparison],
    scenario: &Network,
    added_services: &[String],
) -> ComparisonSummary {
    let mut summary = ComparisonSummary {
        pairs: pairs.len(),
        ..ComparisonSummary::default()
    };
    for pair in pairs {
        if pair.switched() {
            summary.pairs_switched += 1;
        }
        summary.attracted_teu_per_year += pair.attracted_teu();
        if let Some((cost, hours, _)) = pair.deltas() {
            summary.cost_saved_usd_per_year -= pair.demand.annual_teu * cost;
            summary.teu_hours_saved_per_year -= pair.demand.annual_teu * hours;
        }
    }
    for code in added_services {
        let Some(service) = scenario
            .service_by_code(code)
            .map(|id| scenario.service(id))
        else {
            continue;
        };
        let annual: f64 = pairs
            .iter()
            .map(|p| p.demand.annual_teu * p.added_service_shares.get(code).copied().unwrap_or(0.0))
            .sum();
        summary.line_loads.push(LineLoad {
            service: code.clone(),
            weekly_teu: annual / WEEKS_PER_YEAR,
            // A line that takes no containers (air) has no TEU capacity to load: 0.
            weekly_capacity_teu: service.capacity.teu.unwrap_or(0.0)
                * departures_per_week(&service.schedule),
        });
    }
    summary
}
