//! Engine behaviour on hand-built networks, and a property test against exhaustive search.

use std::collections::HashSet;

use proptest::prelude::*;

use super::*;
use crate::cost::{leg_cost, product, GeneralizedWeights};
use crate::model::fixture::{network, service, terminal};
use crate::model::{
    Instant, Mode, ModelParams, Network, Schedule, Shipment, TerminalId, Weekday, SECONDS_PER_HOUR,
};

/// Monday 2027-03-01 00:00 UTC.
const MONDAY: Instant = 1_804_204_800;

fn query(net: &Network, from: u32, to: u32, objective: Objective) -> RouteQuery {
    RouteQuery {
        origins: vec![TerminalId(from)],
        destinations: vec![TerminalId(to)],
        shipment: Shipment::containers(1, 0, false),
        objective,
        constraints: Constraints::default(),
        max_routes: 3,
        weights: GeneralizedWeights::defaults(net.params()),
        ready_at: MONDAY,
        explain: false,
        co2_basis: Default::default(),
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

/// Loose cargo: by sea (LCL) or air.
fn loose_query(net: &Network, objective: Objective) -> RouteQuery {
    RouteQuery {
        shipment: Shipment::loose(500.0, 2.0),
        ..query(net, 0, 1, objective)
    }
}

#[test]
fn cheapest_and_fastest_differ() {
    let net = triangle();
    let planner = Planner::new(&net);
    let cheapest = planner
        .find_routes(&net, &loose_query(&net, Objective::Cost))
        .unwrap()
        .routes;
    assert_eq!(codes(&net, &cheapest[0]), ["SEA"]);
    let fastest = planner
        .find_routes(&net, &loose_query(&net, Objective::Time))
        .unwrap()
        .routes;
    assert_eq!(codes(&net, &fastest[0]), ["AIR"]);
    assert!(
        cheapest.len() >= 2,
        "sea and air are both non-dominated: {}",
        cheapest.len()
    );
    assert!(cheapest.windows(2).all(|w| w[0].score <= w[1].score));
    assert!(cheapest[0].labels.contains(&RouteLabel::Cheapest));
    assert!(fastest[0].labels.contains(&RouteLabel::Fastest));
}

#[test]
fn full_containers_never_fly_and_the_air_line_says_why() {
    let net = triangle();
    let planner = Planner::new(&net);
    let mut q = query(&net, 0, 1, Objective::Time);
    q.explain = true;
    let answer = planner.find_routes(&net, &q).unwrap();
    assert!(answer
        .routes
        .iter()
        .all(|r| codes(&net, r).iter().all(|c| c != "AIR")));
    assert!(answer
        .exclusions
        .iter()
        .any(|e| e.service == net.service_by_code("AIR")
            && e.reason == Refusal::CargoType { containers: true }));
}

#[test]
fn a_shipment_larger_than_a_departure_waits_for_the_next_or_is_refused_together() {
    let mut sea = service("SEA", Mode::Sea, 0, 1, 600.0, 25.0);
    sea.capacity.teu = Some(3.0);
    let net = network(
        vec![
            terminal("AAAAA-X", "CN", 0.0, 0.0),
            terminal("BBBBB-X", "KR", 0.0, 5.0),
        ],
        vec![sea],
    );
    let planner = Planner::new(&net);
    let mut q = query(&net, 0, 1, Objective::Cost);
    q.shipment = Shipment::containers(7, 0, false);
    let route = &planner.find_routes(&net, &q).unwrap().routes[0];
    assert_eq!(route.legs[0].departures, 3);
    let one = {
        let mut q1 = q.clone();
        q1.shipment = Shipment::containers(3, 0, false);
        planner.find_routes(&net, &q1).unwrap().routes[0].arrival
    };
    assert_eq!(route.arrival - one, 2 * 86_400, "two more daily departures");
    q.shipment.keep_together = true;
    q.explain = true;
    let none = planner.find_routes(&net, &q).unwrap_err();
    assert_eq!(
        none.cause,
        NoRouteCause::Constraints(vec![Relaxation::KeepTogether])
    );
    assert!(none
        .exclusions
        .iter()
        .any(|e| matches!(e.reason, Refusal::Capacity { .. })));
}

#[test]
fn a_reefer_pays_its_surcharge_once_per_through_movement() {
    let mut legs = Vec::new();
    for (code, from, to) in [("R1", 0, 1), ("R2", 1, 2)] {
        let mut s = service(code, Mode::Rail, from, to, 500.0, 40.0);
        s.tariff.reefer_usd_per_20ft = 400.0;
        s.tariff.documentation_usd = 50.0;
        s.through = Some("train".to_string());
        legs.push(s);
    }
    let net = network(
        vec![
            terminal("AAAAA-X", "CN", 0.0, 0.0),
            terminal("BBBBB-X", "CN", 0.0, 5.0),
            terminal("CCCCC-X", "RU", 0.0, 9.0),
        ],
        legs,
    );
    let planner = Planner::new(&net);
    let mut q = query(&net, 0, 2, Objective::Cost);
    q.shipment = Shipment::containers(1, 0, true);
    let route = &planner.find_routes(&net, &q).unwrap().routes[0];
    let reefer: Vec<f64> = route.legs.iter().map(|l| l.cost.cost.reefer_usd).collect();
    assert_eq!(reefer, [400.0, 0.0]);
    assert_eq!(route.total.cost.reefer_usd, 400.0);
    assert_eq!(
        route.total.cost.documentation_usd, 50.0,
        "one consignment note"
    );
}

#[test]
fn transfer_limit_and_modes_and_countries_are_respected() {
    let net = triangle();
    let planner = Planner::new(&net);
    let mut q = query(&net, 0, 1, Objective::Cost);
    q.constraints.allowed_modes = vec![Mode::Rail];
    let rail = planner.find_routes(&net, &q).unwrap().routes;
    assert_eq!(rail.len(), 1);
    assert_eq!(rail[0].transfers, 1);
    q.constraints.max_transfers = Some(0);
    let none = planner.find_routes(&net, &q).unwrap_err();
    let NoRouteCause::Constraints(blocking) = none.cause else {
        panic!("{:?}", none.cause)
    };
    assert!(blocking.contains(&Relaxation::MaxTransfers), "{blocking:?}");

    let mut q = query(&net, 0, 1, Objective::Cost);
    q.constraints.avoid_countries = HashSet::from(["RU".to_string()]);
    let routes = planner.find_routes(&net, &q).unwrap().routes;
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
    assert_eq!(
        err.cause,
        NoRouteCause::Constraints(vec![Relaxation::IncludeExploratory])
    );
    q.constraints.include_exploratory = true;
    assert_eq!(planner.find_routes(&net, &q).unwrap().routes.len(), 1);
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
    let routes = planner.find_routes(&net, &q).unwrap().routes;
    assert_eq!(routes.len(), 1);
    assert_eq!(codes(&net, &routes[0]), ["COLD"]);
}

#[test]
fn seasonal_service_is_used_in_season_only_and_explained() {
    let mut sea = service("ARCTIC", Mode::Sea, 0, 1, 600.0, 25.0);
    sea.validity.season = Some(crate::model::Season::parse("07-01..10-31").unwrap());
    let net = network(
        vec![
            terminal("AAAAA-X", "CN", 0.0, 0.0),
            terminal("BBBBB-X", "NL", 0.0, 5.0),
        ],
        vec![sea],
    );
    let planner = Planner::new(&net);
    let mut q = query(&net, 0, 1, Objective::Cost);
    q.explain = true;
    let none = planner.find_routes(&net, &q).unwrap_err();
    assert!(
        none.exclusions
            .iter()
            .any(|e| matches!(e.reason, Refusal::Season { .. })),
        "{none:?}"
    );
    q.ready_at = MONDAY + 150 * 86_400; // late July
    assert_eq!(planner.find_routes(&net, &q).unwrap().routes.len(), 1);
}

#[test]
fn deliver_by_prunes_and_reports_the_earliest_arrival() {
    let net = triangle();
    let planner = Planner::new(&net);
    let mut q = query(&net, 0, 1, Objective::Cost);
    let fastest = planner.earliest_arrival(&net, &q).unwrap();
    q.constraints.deliver_by = Some(fastest.arrival - 1);
    let none = planner.find_routes(&net, &q).unwrap_err();
    assert_eq!(none.earliest_arrival(), Some(fastest.arrival));
    q.constraints.deliver_by = Some(fastest.arrival);
    let routes = planner.find_routes(&net, &q).unwrap().routes;
    assert!(routes.iter().all(|r| r.arrival <= fastest.arrival));
}

#[test]
fn a_cost_cap_is_named_as_the_constraint_in_the_way() {
    let net = triangle();
    let planner = Planner::new(&net);
    let mut q = query(&net, 0, 1, Objective::Cost);
    q.constraints.max_cost_usd = Some(1.0);
    let none = planner.find_routes(&net, &q).unwrap_err();
    assert_eq!(
        none.cause,
        NoRouteCause::Constraints(vec![Relaxation::MaxCost])
    );
    let cheapest = planner
        .find_routes(&net, &query(&net, 0, 1, Objective::Cost))
        .unwrap()
        .routes;
    q.constraints.max_cost_usd = Some(cheapest[0].total.cost.total_usd());
    let capped = planner.find_routes(&net, &q).unwrap().routes;
    assert!(capped
        .iter()
        .all(|r| r.total.cost.total_usd() <= cheapest[0].total.cost.total_usd() + 1e-9));
}

// ---- property test: the searches against exhaustive simulation on random timetables ----

/// (arrival, cost, CO2) of one path, simulated departure by departure: a shipment larger
/// than a departure takes the following ones too, and a leg continuing the through movement
/// of the one before does not pay its reefer surcharge again. `None` when a service has no
/// departure in reach, or the shipment must travel together and does not fit.
fn simulate(net: &Network, q: &RouteQuery, path: &[usize]) -> Option<(Instant, f64, f64)> {
    let mut t = q.ready_at;
    let (mut cost, mut co2) = (0.0, 0.0);
    let mut previous: Option<&str> = None;
    for &i in path {
        let s = &net.services()[i];
        let leg = leg_cost(net, s, &q.shipment, product(net, s, &q.shipment)?, 2027);
        let teu = q.shipment.teu(net.params());
        let n = s
            .capacity
            .teu
            .map_or(1.0, |cap| (teu / cap - 1e-9).ceil().max(1.0));
        if n > 1.0 && q.shipment.keep_together {
            return None;
        }
        let tz = &net.terminal(s.from).timezone;
        let (_, last) = s.schedule.departures(t, tz, &s.validity, n as u32).ok()?;
        let arrival = last
            + ((leg.time.in_motion_hours + leg.time.border_hours) * SECONDS_PER_HOUR).round()
                as i64;
        t = arrival + (leg.time.handling_hours * SECONDS_PER_HOUR).round() as i64;
        let continues = s.through.is_some() && s.through.as_deref() == previous;
        let once = leg.cost.reefer_usd + leg.cost.dangerous_goods_usd + leg.cost.documentation_usd;
        cost += leg.cost.total_usd() - if continues { once } else { 0.0 };
        previous = s.through.as_deref();
        co2 += leg.co2_kg;
    }
    Some((t, cost, co2))
}

/// Every loopless route the constraints allow, simulated.
fn brute_force(net: &Network, q: &RouteQuery) -> Vec<(Instant, f64, f64)> {
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
            if c.max_transfers.is_none_or(|m| path.len() as u32 <= m + 1) {
                out.extend(simulate(net, q, &path));
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
    out
}

/// The non-dominated vectors of a set, sorted.
fn front(mut v: Vec<(Instant, f64, f64)>) -> Vec<(Instant, i64, i64)> {
    let dominated = |a: &(Instant, f64, f64), b: &(Instant, f64, f64)| {
        b.0 <= a.0 && b.1 <= a.1 + 1e-6 && b.2 <= a.2 + 1e-6 && b != a
    };
    let all = v.clone();
    v.retain(|a| !all.iter().any(|b| dominated(a, b)));
    // Rounded to cents and grams so that float noise does not split equal routes.
    let mut out: Vec<_> = v
        .into_iter()
        .map(|(t, c, e)| (t, (c * 100.0).round() as i64, (e * 1000.0).round() as i64))
        .collect();
    out.sort();
    out.dedup();
    out
}

const ZONES: [&str; 4] = [
    "UTC",
    "Asia/Shanghai",
    "Asia/Vladivostok",
    "Europe/Amsterdam",
];

fn arb_network() -> impl Strategy<Value = Network> {
    let edges = prop::collection::vec(
        (
            (0u32..6, 0u32..6, 0usize..4, 50.0f64..3000.0, any::<bool>()),
            (
                prop::sample::subsequence(Weekday::ALL.to_vec(), 1..=7),
                0u16..1440,
                0.0f64..48.0,
            ),
            // Capacity per departure (TEU; none), through movement (none, two names).
            (prop::option::of(1u8..4), prop::option::of(0u8..2)),
        ),
        6..28,
    );
    let zones = prop::collection::vec(0usize..ZONES.len(), 6);
    (edges, zones).prop_map(|(edges, zones)| {
        let terminals = (0..6)
            .map(|i| {
                let mut t = terminal(&format!("T{i}XXX-X"), "CN", i as f64, i as f64);
                t.timezone = jiff::tz::TimeZone::get(ZONES[zones[i]]).unwrap();
                t
            })
            .collect();
        let services = edges
            .into_iter()
            .filter(|e| e.0 .0 != e.0 .1)
            .enumerate()
            .map(
                |(
                    k,
                    ((from, to, mode, km, exploratory), (days, minute, cutoff), (cap, through)),
                )| {
                    let speed = [20.0, 700.0, 35.0, 60.0][mode];
                    let mut s = service(&format!("S{k}"), Mode::ALL[mode], from, to, km, speed);
                    s.schedule = Schedule::Weekly {
                        days,
                        departure_minute: minute,
                        cutoff_hours: cutoff,
                    };
                    if exploratory {
                        s.flags.exploratory = Some("test".to_string());
                    }
                    s.capacity.teu = cap.map(f64::from);
                    s.tariff.reefer_usd_per_20ft = 250.0;
                    s.tariff.reefer_usd_per_40ft = 300.0;
                    s.tariff.documentation_usd = 40.0;
                    s.tariff.dangerous_goods_usd_per_box = 90.0;
                    s.through = through.map(|g| format!("train-{g}"));
                    s
                },
            )
            .collect();
        Network::new(terminals, services, ModelParams::example()).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn searches_match_exhaustive_simulation(
        net in arb_network(),
        max_transfers in prop::option::of(0u32..3),
        include_exploratory in any::<bool>(),
        modes in prop::sample::subsequence(Mode::ALL.to_vec(), 0..=4),
        ready_offset_minutes in 0i64..(14 * 1440),
        two_origins in any::<bool>(),
        two_destinations in any::<bool>(),
        (twenties, forties, reefer, keep_together) in (0u32..3, 0u32..2, any::<bool>(), any::<bool>()),
        (loose, dangerous) in (any::<bool>(), any::<bool>()),
    ) {
        let mut q = query(&net, 0, 5, Objective::Time);
        if two_origins {
            q.origins.push(TerminalId(1));
        }
        if two_destinations {
            q.destinations.push(TerminalId(4));
        }
        q.ready_at = MONDAY + ready_offset_minutes * 60;
        q.max_routes = 20;
        q.constraints.max_transfers = max_transfers;
        q.constraints.include_exploratory = include_exploratory;
        q.constraints.allowed_modes = modes;
        q.shipment = if loose {
            Shipment::loose(800.0, 3.0)
        } else {
            Shipment::containers(twenties.max(u32::from(forties == 0)), forties, reefer)
        };
        q.shipment.keep_together = keep_together;
        q.shipment.dangerous_goods = dangerous.then_some(crate::model::DangerousGoods {
            class: Some(3),
            cargo_aircraft_only: false,
        });
        let all = brute_force(&net, &q);
        let planner = Planner::new(&net);

        // Earliest arrival equals the best simulated arrival.
        let earliest = planner.earliest_arrival(&net, &q).map(|r| r.arrival);
        prop_assert_eq!(earliest, all.iter().map(|a| a.0).min());

        // The Pareto answer is exactly the non-dominated front of all simulated routes.
        let expected = front(all);
        let found: Vec<(Instant, f64, f64)> = planner
            .find_routes(&net, &q)
            .map(|a| a.routes)
            .unwrap_or_default()
            .iter()
            .map(|r| (r.arrival, r.total.cost.total_usd(), r.total.co2_kg))
            .collect();
        let found_front = front(found.clone());
        prop_assert_eq!(found_front.len(), found.len(), "the answer holds a dominated route");
        if expected.len() <= q.max_routes {
            prop_assert_eq!(found_front, expected);
        } else {
            prop_assert_eq!(found.len(), q.max_routes);
        }
    }

    /// One search to many destinations gives each the front a query for it alone gives,
    /// and "where can it be by then" the earliest arrival and least cost exhaustive
    /// simulation finds among routes that keep the deadline.
    #[test]
    fn one_to_many_and_reachability_match_single_queries(
        net in arb_network(),
        max_transfers in prop::option::of(0u32..3),
        ready_offset_minutes in 0i64..(14 * 1440),
        deadline_days in 1i64..12,
        twenties in 1u32..3,
    ) {
        let mut q = query(&net, 0, 5, Objective::Cost);
        q.ready_at = MONDAY + ready_offset_minutes * 60;
        q.max_routes = 20;
        q.constraints.max_transfers = max_transfers;
        q.shipment = Shipment::containers(twenties, 0, false);
        let planner = Planner::new(&net);
        let targets: Vec<Vec<TerminalId>> =
            vec![vec![TerminalId(5)], vec![TerminalId(3), TerminalId(4)], vec![TerminalId(1)]];
        let many = planner.find_routes_to_many(&net, &q, &targets);
        let totals = |routes: &[Route]| {
            front(routes.iter().map(|r| (r.arrival, r.total.cost.total_usd(), r.total.co2_kg)).collect())
        };
        for (target, routes) in targets.iter().zip(&many) {
            let single = RouteQuery { destinations: target.clone(), ..q.clone() };
            let alone = planner.find_routes(&net, &single).map(|a| a.routes).unwrap_or_default();
            prop_assert_eq!(totals(routes), totals(&alone), "target {:?}", target);
        }

        let deadline = q.ready_at + deadline_days * 86_400;
        let mut reach_q = q.clone();
        reach_q.constraints.deliver_by = Some(deadline);
        let reached = planner.reachable(&net, &reach_q);
        for t in 1..6u32 {
            let to_t = RouteQuery { destinations: vec![TerminalId(t)], ..reach_q.clone() };
            let kept: Vec<_> = brute_force(&net, &to_t).into_iter().filter(|a| a.0 <= deadline).collect();
            let found = reached.iter().find(|r| r.terminal == TerminalId(t));
            match found {
                None => prop_assert!(kept.is_empty(), "T{} reachable by simulation", t),
                Some(r) => {
                    prop_assert_eq!(Some(r.earliest), kept.iter().map(|a| a.0).min());
                    let least = kept.iter().map(|a| a.1).fold(f64::INFINITY, f64::min);
                    prop_assert!((r.least_cost_usd - least).abs() < 1e-6, "T{}: {} vs {}", t, r.least_cost_usd, least);
                }
            }
        }
    }
}
