//! Engine behaviour on hand-built networks, and a property test against exhaustive search.

use std::collections::HashSet;

use proptest::prelude::*;

use super::*;
use crate::cost::{leg_cost, GeneralizedWeights};
use crate::model::fixture::{network, service, terminal};
use crate::model::{Mode, ModelParams, Network, Shipment, TerminalId};

fn query(net: &Network, from: u32, to: u32, objective: Objective) -> RouteQuery {
    RouteQuery {
        origins: vec![TerminalId(from)],
        destinations: vec![TerminalId(to)],
        shipment: Shipment::containers(1, 0, false),
        objective,
        constraints: Constraints::default(),
        max_routes: 3,
        weights: GeneralizedWeights::defaults(net.params()),
    }
}

/// A direct slow sea line, a fast air line, and a two-leg rail chain through a third country.
fn triangle() -> Network {
    network(
        vec![
            terminal("AAAAA-X", "CN", 0.0, 0.0),
            terminal("BBBBB-X", "KR", 0.0, 5.0),
            terminal("CCCCC-X", "RU", 2.0, 2.0),
        ],
        vec![
            service("SEA", Mode::Sea, 0, 1, 600.0, 25.0),
            service("AIR", Mode::Air, 0, 1, 560.0, 700.0),
            service("RAIL1", Mode::Rail, 0, 2, 350.0, 30.0),
            service("RAIL2", Mode::Rail, 2, 1, 350.0, 30.0),
        ],
    )
}

fn codes(net: &Network, route: &Route) -> Vec<String> {
    route
        .legs
        .iter()
        .map(|l| net.service(l.service).code.clone())
        .collect()
}

#[test]
fn cheapest_and_fastest_differ() {
    let net = triangle();
    let planner = Planner::new(&net);
    let cheapest = planner
        .find_routes(&net, &query(&net, 0, 1, Objective::Cost))
        .unwrap();
    assert_eq!(codes(&net, &cheapest[0]), ["SEA"]);
    let fastest = planner
        .find_routes(&net, &query(&net, 0, 1, Objective::Time))
        .unwrap();
    assert_eq!(codes(&net, &fastest[0]), ["AIR"]);
    assert_eq!(
        cheapest.len(),
        3,
        "sea, air and the rail chain are three routes"
    );
    assert!(cheapest.windows(2).all(|w| w[0].score <= w[1].score));
}

#[test]
fn transfer_limit_and_modes_and_countries_are_respected() {
    let net = triangle();
    let planner = Planner::new(&net);
    let mut q = query(&net, 0, 1, Objective::Cost);
    q.constraints.allowed_modes = vec![Mode::Rail];
    let rail = planner.find_routes(&net, &q).unwrap();
    assert_eq!(rail.len(), 1);
    assert_eq!(rail[0].transfers, 1);
    q.constraints.max_transfers = Some(0);
    let none = planner.find_routes(&net, &q).unwrap_err();
    assert!(none.reason.contains("max_transfers"), "{}", none.reason);

    let mut q = query(&net, 0, 1, Objective::Cost);
    q.constraints.avoid_countries = HashSet::from(["RU".to_string()]);
    let routes = planner.find_routes(&net, &q).unwrap();
    assert!(routes
        .iter()
        .all(|r| codes(&net, r).iter().all(|c| !c.starts_with("RAIL"))));
}

#[test]
fn exploratory_lines_only_when_asked() {
    let mut sea = service("SEA", Mode::Sea, 0, 1, 600.0, 25.0);
    sea.flags.exploratory = Some("pilot line".to_string());
    let net = network(
        vec![
            terminal("AAAAA-X", "CN", 0.0, 0.0),
            terminal("BBBBB-X", "KP", 0.0, 5.0),
        ],
        vec![sea],
    );
    let planner = Planner::new(&net);
    let mut q = query(&net, 0, 1, Objective::Cost);
    let err = planner.find_routes(&net, &q).unwrap_err();
    assert!(err.reason.contains("include_exploratory"), "{}", err.reason);
    q.constraints.include_exploratory = true;
    assert_eq!(planner.find_routes(&net, &q).unwrap().len(), 1);
}

#[test]
fn reefer_cargo_stays_on_reefer_services() {
    let mut net_services = vec![service("DRY", Mode::Sea, 0, 1, 600.0, 25.0)];
    net_services[0].flags.reefer = false;
    net_services.push(service("COLD", Mode::Sea, 0, 1, 900.0, 25.0));
    let net = network(
        vec![
            terminal("AAAAA-X", "CN", 0.0, 0.0),
            terminal("BBBBB-X", "JP", 0.0, 5.0),
        ],
        net_services,
    );
    let planner = Planner::new(&net);
    let mut q = query(&net, 0, 1, Objective::Cost);
    q.shipment = Shipment::containers(2, 0, true);
    let routes = planner.find_routes(&net, &q).unwrap();
    assert_eq!(routes.len(), 1);
    assert_eq!(codes(&net, &routes[0]), ["COLD"]);
}

// ---- property test: engine against exhaustive search on small random graphs ----

/// Every loopless route from `from` to `to` that respects the constraints, with its score.
fn brute_force(net: &Network, q: &RouteQuery) -> Vec<(Vec<usize>, f64)> {
    let teu = q.shipment.teu(net.params());
    let c = &q.constraints;
    let allowed = |i: usize| {
        let s = &net.services()[i];
        (c.allowed_modes.is_empty() || c.allowed_modes.contains(&s.mode))
            && (c.include_exploratory || !s.is_exploratory())
    };
    let mut out = Vec::new();
    let mut stack: Vec<(TerminalId, Vec<usize>, Vec<TerminalId>)> = q
        .origins
        .iter()
        .map(|&o| (o, Vec::new(), vec![o]))
        .collect();
    while let Some((at, path, seen)) = stack.pop() {
        if q.destinations.contains(&at) {
            let legs = path.len() as u32;
            if c.max_transfers.is_none_or(|m| legs <= m + 1) {
                let score: f64 = path
                    .iter()
                    .map(|&i| {
                        let leg = leg_cost(net, &net.services()[i], &q.shipment);
                        q.objective.score(&leg, teu, &q.weights)
                    })
                    .sum();
                out.push((path, score));
            }
            continue;
        }
        for (i, s) in net.services().iter().enumerate() {
            if s.from == at && allowed(i) && !seen.contains(&s.to) && !q.origins.contains(&s.to) {
                let mut p = path.clone();
                p.push(i);
                let mut n = seen.clone();
                n.push(s.to);
                stack.push((s.to, p, n));
            }
        }
    }
    out.sort_by(|a, b| a.1.total_cmp(&b.1));
    out
}

fn arb_network() -> impl Strategy<Value = Network> {
    let edges = prop::collection::vec(
        (0u32..6, 0u32..6, 0usize..4, 50.0f64..3000.0, any::<bool>()),
        6..32,
    );
    edges.prop_map(|edges| {
        let terminals = (0..6)
            .map(|i| terminal(&format!("T{i}XXX-X"), "CN", i as f64, i as f64))
            .collect();
        let services = edges
            .into_iter()
            .filter(|e| e.0 != e.1)
            .enumerate()
            .map(|(k, (from, to, mode, km, exploratory))| {
                let speed = [20.0, 700.0, 35.0, 60.0][mode];
                let mut s = service(&format!("S{k}"), Mode::ALL[mode], from, to, km, speed);
                if exploratory {
                    s.flags.exploratory = Some("test".to_string());
                }
                s
            })
            .collect();
        Network::new(terminals, services, ModelParams::example()).unwrap()
    })
}

fn arb_objective() -> impl Strategy<Value = Objective> {
    prop_oneof![
        Just(Objective::Cost),
        Just(Objective::Time),
        Just(Objective::Co2),
        Just(Objective::Generalized),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn engine_matches_exhaustive_search(
        net in arb_network(),
        objective in arb_objective(),
        max_transfers in prop::option::of(0u32..3),
        include_exploratory in any::<bool>(),
        modes in prop::sample::subsequence(Mode::ALL.to_vec(), 0..=4),
        k in 1usize..5,
        two_origins in any::<bool>(),
        two_destinations in any::<bool>(),
    ) {
        let mut q = query(&net, 0, 5, objective);
        if two_origins {
            q.origins.push(TerminalId(1));
        }
        if two_destinations {
            q.destinations.push(TerminalId(4));
        }
        q.max_routes = k;
        q.constraints.max_transfers = max_transfers;
        q.constraints.include_exploratory = include_exploratory;
        q.constraints.allowed_modes = modes;
        let expected = brute_force(&net, &q);
        let found = Planner::new(&net).find_routes(&net, &q).unwrap_or_default();
        prop_assert_eq!(found.len(), expected.len().min(k));
        for (route, (_, score)) in found.iter().zip(&expected) {
            prop_assert!((route.score - score).abs() < 1e-6 * score.max(1.0),
                "route score {} vs exhaustive {}", route.score, score);
        }
        let distinct: HashSet<Vec<_>> = found.iter()
            .map(|r| r.legs.iter().map(|l| l.service).collect()).collect();
        prop_assert_eq!(distinct.len(), found.len());
        for route in &found {
            prop_assert!(max_transfers.is_none_or(|m| route.transfers <= m));
            let total: f64 = route.legs.iter()
                .map(|l| objective.score(&l.cost, 1.0, &q.weights)).sum();
            prop_assert!((total - route.score).abs() < 1e-6 * total.max(1.0));
        }
    }
}
