//! In-process benchmarks of the routing engine on the bundled network: loading the network
//! (parsing plus geometry derivation), and single-objective queries from Dalian to every
//! other location. Run with `cargo bench --bench routing`; see benches/README.md.

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

fn queries(c: &mut Criterion) {
    let network = data::load_network(&data_dir()).unwrap();
    let planner = Planner::new(&network);
    let origins = network.resolve("CNDLC").unwrap();
    let destinations: Vec<_> = network
        .locations()
        .filter(|(locode, _)| *locode != "CNDLC")
        .map(|(_, ids)| ids.to_vec())
        .collect();
    let mut group = c.benchmark_group("find_routes_dalian_to_every_location");
    for (name, objective, k) in [
        ("cost_best", Objective::Cost, 1),
        ("time_best", Objective::Time, 1),
        ("generalized_top3", Objective::Generalized, 3),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut found = 0;
                for dest in &destinations {
                    let query = RouteQuery {
                        origins: origins.clone(),
                        destinations: dest.clone(),
                        shipment: Shipment::containers(2, 0, false),
                        objective,
                        constraints: Constraints {
                            include_exploratory: true,
                            ..Constraints::default()
                        },
                        max_routes: k,
                        weights: GeneralizedWeights::defaults(network.params()),
                    };
                    found += planner.find_routes(&network, &query).map_or(0, |r| r.len());
                }
                found
            })
        });
    }
    group.finish();
}

criterion_group!(benches, load, queries);
criterion_main!(benches);
