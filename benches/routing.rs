//! In-process benchmarks of the routing engine on the bundled network: loading the network
//! (parsing, contraction hierarchies, geometry derivation); timetable queries from Dalian to
//! every other location (the Pareto set of up to 20 routes, and the single-criterion earliest
//! arrival) and the load tool's single question; and scenarios: applying an overlay and
//! comparing it with the base over the demand matrix. Run with
//! `cargo bench --bench routing`; see benches/README.md.

use std::collections::HashSet;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use freight_router::cost::GeneralizedWeights;
use freight_router::data;
use freight_router::engine::{Constraints, NetworkState, Objective, Planner, RouteQuery};
use freight_router::model::Shipment;
use freight_router::scenario::{self, compare, compare::ComparisonSettings, ScenarioDefinition};

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("network-data")
}

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("startup");
    group.sample_size(10);
    group.bench_function("load_network", |b| {
        b.iter(|| data::load_network(&data_dir()).unwrap())
    });
    group.finish();
}

/// 2027-08-02 00:00 UTC, a Monday in the Northern Sea Route's season.
const READY_AT: i64 = 1_817_164_800;

fn queries(c: &mut Criterion) {
    let network = data::load_network(&data_dir()).unwrap();
    let planner = Planner::new(&network);
    let origins = network.resolve("CNDLC").unwrap();
    let destinations: Vec<_> = network
        .locations()
        .filter(|(locode, _)| *locode != "CNDLC")
        .map(|(_, ids)| ids.to_vec())
        .collect();
    let query = |dest: &Vec<_>, max_routes| RouteQuery {
        origins: origins.clone(),
        destinations: dest.clone(),
        shipment: Shipment::containers(2, 0, false),
        objective: Objective::Cost,
        constraints: Constraints {
            include_exploratory: true,
            ..Constraints::default()
        },
        max_routes,
        weights: GeneralizedWeights::defaults(network.params()),
        ready_at: READY_AT,
        explain: false,
        co2_basis: Default::default(),
    };
    let queries_pareto: Vec<RouteQuery> = destinations.iter().map(|d| query(d, 20)).collect();
    let mut group = c.benchmark_group("dalian_to_every_location");
    group.bench_function("pareto", |b| {
        b.iter(|| {
            queries_pareto
                .iter()
                .map(|q| {
                    planner
                        .find_routes(&network, q)
                        .map_or(0, |a| a.routes.len())
                })
                .sum::<usize>()
        })
    });
    group.bench_function("earliest_arrival", |b| {
        b.iter(|| {
            queries_pareto
                .iter()
                .filter(|q| planner.earliest_arrival(&network, q).is_some())
                .count()
        })
    });
    // The load tool's question (one 20' container, Dalian to Busan), to set against the
    // latency of the same call over gRPC.
    let busan = RouteQuery {
        destinations: network.resolve("KRPUS").unwrap(),
        shipment: Shipment::containers(1, 0, false),
        constraints: Constraints::default(),
        ..query(&Vec::new(), 20)
    };
    group.bench_function("pareto_busan_only", |b| {
        b.iter(|| {
            planner
                .find_routes(&network, &busan)
                .map_or(0, |a| a.routes.len())
        })
    });
    // The same question as the first of its kind: the cache of prices and bounds emptied
    // before each, so it prices and bounds the network as every query did before the cache.
    group.bench_function("pareto_busan_only_first_of_its_kind", |b| {
        b.iter(|| {
            planner.forget_prepared();
            planner
                .find_routes(&network, &busan)
                .map_or(0, |a| a.routes.len())
        })
    });
    group.finish();

    // ComputeRouteMatrix's work in process: 50 origins x 50 destinations x 7 ready days
    // (17,500 elements), one one-to-many search per origin and day.
    let places: Vec<Vec<_>> = network
        .locations()
        .take(50)
        .map(|(_, ids)| ids.to_vec())
        .collect();
    let mut group = c.benchmark_group("matrix");
    group.sample_size(10);
    group.bench_function("50x50x7_bundled", |b| {
        b.iter(|| {
            let mut found = 0usize;
            for origin in &places {
                let targets: Vec<Vec<_>> = places
                    .iter()
                    .filter(|d| !d.iter().any(|t| origin.contains(t)))
                    .cloned()
                    .collect();
                for day in 0..7 {
                    let q = RouteQuery {
                        origins: origin.clone(),
                        ready_at: READY_AT + day * 86_400,
                        shipment: Shipment::containers(1, 0, false),
                        constraints: Constraints::default(),
                        ..query(&Vec::new(), 20)
                    };
                    found += planner
                        .find_routes_to_many(&network, &q, &targets)
                        .iter()
                        .filter(|r| !r.is_empty())
                        .count();
                }
            }
            found
        })
    });
    group.finish();
}

/// CompareScenario in process: the Dalian-Niigata RoRo example against the base, over the whole
/// bundled demand matrix, one shipment a day for a week (7 ready times x 2 networks per pair).
fn compare_scenario(c: &mut Criterion) {
    let base = NetworkState::new(data::load_network(&data_dir()).unwrap());
    let demand = data::load_demand(&data_dir(), &base.network).unwrap();
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("examples/scenarios/dalian-niigata-roro.toml"),
    )
    .unwrap();
    let definition = ScenarioDefinition::from_toml(&text).unwrap();
    let mut group = c.benchmark_group("scenario");
    group.sample_size(20);
    group.bench_function("apply_overlay", |b| {
        b.iter(|| NetworkState::new(scenario::apply(&base.network, &definition).unwrap()))
    });
    let scenario_state = NetworkState::new(scenario::apply(&base.network, &definition).unwrap());
    let added = definition.added_service_ids();
    let added_set: HashSet<String> = added.iter().cloned().collect();
    let settings = ComparisonSettings {
        ready_times: (0..7).map(|d| READY_AT + d * 86_400).collect(),
        objective: Objective::Generalized,
        include_exploratory: false,
    };
    group.bench_function("compare_demand_matrix", |b| {
        b.iter(|| {
            let pairs: Vec<_> = compare::groups(&demand)
                .iter()
                .flat_map(|group| {
                    let members: Vec<_> = group.iter().map(|&i| &demand[i]).collect();
                    compare::compare_group(&base, &scenario_state, &added_set, &members, &settings)
                })
                .collect();
            compare::summarize(&pairs, &scenario_state.network, &added)
        })
    });
    group.finish();
}

criterion_group!(benches, load, queries, compare_scenario);
criterion_main!(benches);
