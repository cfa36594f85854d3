//! Shortest paths on the real-scale infrastructure layers of `../shared/datasets/`, loaded
//! through the service's own GeoJSON loader: water paths on the full marnet (~9.7k vertices)
//! and the rail path Dalian -> Moscow on the OSM railways of Eurasia (~106k vertices). Each
//! query snaps both points and runs the shortest path the service uses to derive service
//! geometry: the contraction hierarchy, built (`prepare`) before anything is timed, as the
//! service builds it at start-up. The build itself is timed on its own, on a fresh copy of
//! the network each time. The reference figures (scgraph 3.6, searoute-py) are in
//! benches/README.md.
//!
//! Skipped, with a note, where `../shared/datasets` is absent (a user's clone).

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use freight_router::data::load_lane_network;
use freight_router::geo::LaneNetwork;
use freight_router::model::LatLon;

fn dataset(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/datasets")
        .join(name);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: {} not found", path.display());
        None
    }
}

/// Terminal coordinates of `network-data/terminals.csv`.
const DALIAN_PORT: LatLon = LatLon {
    lat: 39.05,
    lon: 121.9,
};
const ROTTERDAM_PORT: LatLon = LatLon {
    lat: 51.904383,
    lon: 4.442447,
};
const BUSAN_PORT: LatLon = LatLon {
    lat: 35.098203,
    lon: 129.035797,
};
const DALIAN_RAIL: LatLon = LatLon {
    lat: 38.925,
    lon: 121.625,
};
const MOSCOW_RAIL: LatLon = LatLon {
    lat: 55.75,
    lon: 37.62,
};

/// Loads a layer, builds its hierarchy and reports its size; also returns a copy without a
/// hierarchy, for timing the build.
fn load_prepared(name: &str, path: PathBuf) -> (LaneNetwork, LaneNetwork) {
    let network = load_lane_network(&[path]).expect("layer loads");
    let unprepared = network.clone();
    let size = network.prepare();
    eprintln!(
        "{name}: {} vertices, {} edges, hierarchy {size:?}",
        network.vertex_count(),
        network.edge_count()
    );
    (network, unprepared)
}

fn paths(c: &mut Criterion) {
    let mut unprepared = Vec::new();
    let mut group = c.benchmark_group("infrastructure");
    if let Some(path) = dataset("marnet.geojson") {
        let (marnet, fresh) = load_prepared("marnet", path);
        unprepared.push(("marnet_hierarchy_build", fresh));
        let open = |p: &str| p != "northwest" && p != "bering";
        for (name, to) in [
            ("marnet_dalian_rotterdam", ROTTERDAM_PORT),
            ("marnet_dalian_busan", BUSAN_PORT),
        ] {
            let (route, _, _) = marnet
                .route_between(DALIAN_PORT, to, open)
                .expect("water path");
            eprintln!(
                "{name}: {:.0} km, passages {:?}",
                route.length_km, route.passages
            );
            group.bench_function(name, |b| {
                b.iter(|| {
                    marnet
                        .route_between(DALIAN_PORT, to, open)
                        .map(|r| r.0.length_km)
                })
            });
        }
    }
    if let Some(path) = dataset("railways_eurasia.geojson") {
        let (rail, fresh) = load_prepared("railways", path);
        unprepared.push(("railways_hierarchy_build", fresh));
        let (route, _, _) = rail
            .route_between(DALIAN_RAIL, MOSCOW_RAIL, |_| true)
            .expect("rail path");
        eprintln!("railways_dalian_moscow: {:.0} km", route.length_km);
        group.sample_size(20);
        group.bench_function("railways_dalian_moscow", |b| {
            b.iter(|| {
                rail.route_between(DALIAN_RAIL, MOSCOW_RAIL, |_| true)
                    .map(|r| r.0.length_km)
            })
        });
    }
    group.sample_size(10);
    for (name, network) in &unprepared {
        group.bench_function(*name, |b| {
            b.iter_batched_ref(|| network.clone(), |n| n.prepare(), BatchSize::LargeInput)
        });
    }
    group.finish();
}

criterion_group!(benches, paths);
criterion_main!(benches);
