//! How query time and memory grow with the network: synthetic networks of 1x, 10x and 100x the
//! bundled number of terminals and services, queried with the same questions (Dalian to every
//! other location of the bundled network). Run with `cargo bench --bench growth`; the table of
//! sizes and memory is printed to stderr, see benches/README.md.
//!
//! The generator keeps the bundled network's degree distribution, rates, schedules and
//! geometry exactly: a network of scale k is k copies of the bundled terminals and services
//! ("regions" with the same economics), where each non-drayage service of a copy is, with
//! probability [`REWIRE`], redirected to the same destination terminal in another random copy
//! (small-world rewiring). Every terminal keeps its out-degree, in-degrees keep their
//! distribution, drayage stays inside a city, and the regions form one connected network a
//! search can wander through, as it would on a larger real network.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{criterion_group, criterion_main, Criterion};
use freight_router::cost::GeneralizedWeights;
use freight_router::data;
use freight_router::engine::{Constraints, Objective, Planner, RouteQuery};
use freight_router::model::{Network, Service, Shipment, Terminal, TerminalId};

/// Counts live heap bytes, so the table can say what a network and its planner occupy.
struct CountingAllocator;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
/// The most live bytes since it was last reset (to the live bytes of the moment).
static PEAK_BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK_BYTES.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Share of non-drayage services sent to another region.
const REWIRE: f64 = 0.1;

/// 2027-08-02 00:00 UTC, as in `benches/routing.rs`.
const READY_AT: i64 = 1_817_164_800;

/// SplitMix64: a seeded, dependency-free generator, so every run builds the same networks.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The code of `code` in region `region` (region 0 keeps the bundled codes).
fn in_region(code: &str, region: usize) -> String {
    if region == 0 {
        code.to_string()
    } else {
        format!("{code}~{region}")
    }
}

/// `scale` regions of `base`, rewired as the module doc says.
fn synthetic(base: &Network, scale: usize, seed: u64) -> Network {
    let mut rng = SplitMix(seed);
    let n = base.terminals().len();
    let mut terminals: Vec<Terminal> = Vec::with_capacity(n * scale);
    let mut services: Vec<Service> = Vec::with_capacity(base.services().len() * scale);
    for region in 0..scale {
        terminals.extend(base.terminals().iter().map(|t| Terminal {
            code: in_region(&t.code, region),
            locode: in_region(&t.locode, region),
            iata: t.iata.as_ref().map(|i| in_region(i, region)),
            ..t.clone()
        }));
        let shift = |id: TerminalId, r: usize| TerminalId((r * n) as u32 + id.0);
        services.extend(base.services().iter().map(|s| {
            let to_region = if scale > 1 && !s.drayage && rng.unit() < REWIRE {
                (region + 1 + rng.below(scale - 1)) % scale
            } else {
                region
            };
            Service {
                code: in_region(&s.code, region),
                from: shift(s.from, region),
                to: shift(s.to, to_region),
                ..s.clone()
            }
        }));
    }
    let network = Network::new(terminals, services, base.params().clone())
        .expect("region suffixes keep codes unique");
    match base.infrastructure() {
        Some(layers) => network.with_infrastructure(layers.clone()),
        None => network,
    }
}

fn query(network: &Network, origins: &[TerminalId], destination: &str) -> RouteQuery {
    RouteQuery {
        origins: origins.to_vec(),
        destinations: network.resolve(destination).expect("bundled location"),
        shipment: Shipment::containers(2, 0, false),
        objective: Objective::Cost,
        constraints: Constraints {
            include_exploratory: true,
            ..Constraints::default()
        },
        max_routes: 20,
        weights: GeneralizedWeights::defaults(network.params()),
        ready_at: READY_AT,
        explain: false,
        co2_basis: Default::default(),
    }
}

fn growth(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("network-data");
    let base = data::load_network(&dir).expect("bundled network loads");
    let locations: Vec<String> = base
        .locations()
        .map(|(code, _)| code.to_string())
        .filter(|code| code != "CNDLC")
        .collect();
    let mut group = c.benchmark_group("growth");
    group.sample_size(10);
    eprintln!("| scale | terminals | services | network + planner heap | routes found |");
    for scale in [1usize, 10, 100] {
        let before = LIVE_BYTES.load(Ordering::Relaxed);
        let network = synthetic(&base, scale, 2027);
        let planner = Planner::new(&network);
        let heap_bytes = LIVE_BYTES.load(Ordering::Relaxed).saturating_sub(before);
        let origins = network.resolve("CNDLC").expect("Dalian");
        let queries: Vec<RouteQuery> = locations
            .iter()
            .map(|code| query(&network, &origins, code))
            .collect();
        let routes_found = || {
            queries
                .iter()
                .map(|q| {
                    planner
                        .find_routes(&network, q)
                        .map_or(0, |a| a.routes.len())
                })
                .sum::<usize>()
        };
        let found = routes_found();
        eprintln!(
            "| {scale}x | {} | {} | {:.1} MB | {found} |",
            network.terminals().len(),
            network.services().len(),
            heap_bytes as f64 / 1e6
        );
        group.bench_function(format!("pareto_{scale}x"), |b| b.iter(routes_found));
        group.bench_function(format!("earliest_arrival_{scale}x"), |b| {
            b.iter(|| {
                queries
                    .iter()
                    .filter(|q| planner.earliest_arrival(&network, q).is_some())
                    .count()
            })
        });
        if scale <= 10 {
            // ComputeRouteMatrix's work: 50 x 50 places spread over the regions, 7 ready days.
            let places = spread_places(&network, 50);
            let run = || matrix(&network, &planner, &places);
            let live = LIVE_BYTES.load(Ordering::Relaxed);
            PEAK_BYTES.store(live, Ordering::Relaxed);
            let started = std::time::Instant::now();
            let (elements, with_route) = run();
            eprintln!(
                "matrix {scale}x: {elements} elements ({with_route} with a route) in {:.3} s, peak heap +{:.1} MB over the network's",
                started.elapsed().as_secs_f64(),
                (PEAK_BYTES.load(Ordering::Relaxed) - live) as f64 / 1e6
            );
            group.bench_function(format!("matrix_50x50x7_{scale}x"), |b| b.iter(run));
        }
    }
    group.finish();
}

/// `n` location codes spread evenly over the network's locations (and so its regions).
fn spread_places(network: &Network, n: usize) -> Vec<Vec<TerminalId>> {
    let all: Vec<Vec<TerminalId>> = network.locations().map(|(_, ids)| ids.to_vec()).collect();
    let step = (all.len() / n).max(1);
    all.into_iter().step_by(step).take(n).collect()
}

/// Every place to every other for 7 daily ready times, one one-to-many search per origin and
/// day: (elements, elements with a route).
fn matrix(network: &Network, planner: &Planner, places: &[Vec<TerminalId>]) -> (usize, usize) {
    let (mut elements, mut with_route) = (0, 0);
    for origin in places {
        let targets: Vec<Vec<TerminalId>> = places
            .iter()
            .filter(|d| !d.iter().any(|t| origin.contains(t)))
            .cloned()
            .collect();
        for day in 0..7 {
            let q = RouteQuery {
                origins: origin.clone(),
                destinations: Vec::new(),
                shipment: Shipment::containers(1, 0, false),
                ready_at: READY_AT + day * 86_400,
                ..query(network, origin, "CNDLC")
            };
            let answers = planner.find_routes_to_many(network, &q, &targets);
            elements += places.len();
            with_route += answers.iter().filter(|a| !a.is_empty()).count();
        }
    }
    (elements, with_route)
}

criterion_group!(benches, growth);
criterion_main!(benches);
