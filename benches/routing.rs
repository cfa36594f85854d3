//! In-process benchmarks of the routing engine on the bundled network: loading the network
//! (parsing plus geometry derivation), and timetable queries from Dalian to every other
//! location: the Pareto set (up to 20 routes) and the single-criterion earliest arrival. Run with `cargo bench --bench routing`; see benches/README.md.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use freight_router::cost::GeneralizedWeights;
use freight_router::data;
use freight_router::engine::{Constraints, Objective, Planner, RouteQuery};
use freight_router::model::Shipment;

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
    group.finish();
}

criterion_group!(benches, load, queries);
criterion_main!(benches);
