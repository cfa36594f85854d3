//! The bundled network itself: it loads, its derived distances agree with published ones,
//! every terminal is reachable from Dalian, every figure has a source, and broken files fail
//! at load with the file, the record and the reason.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use common::data_dir;
use freight_router::cost::GeneralizedWeights;
use freight_router::data::{self, DataError};
use freight_router::engine::{Constraints, Objective, Planner, RouteQuery};
use freight_router::geo::haversine_km;
use freight_router::model::{LatLon, Network, Shipment, TerminalKind, KM_PER_NM};

fn bundled() -> Network {
    data::load_network(&data_dir()).expect("bundled network loads")
}

fn read_csv(file: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(data_dir().join(file)).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(|f| f.trim().to_string()).collect())
        .collect()
}

#[test]
fn sea_distances_agree_with_published_tables_within_ten_percent() {
    let network = bundled();
    let layers = data::load_infrastructure(&data_dir()).unwrap();
    let port = |locode: &str| {
        network
            .terminals()
            .iter()
            .find(|t| t.locode == locode && t.kind == TerminalKind::Seaport)
            .unwrap_or_else(|| panic!("no seaport for {locode}"))
            .position
    };
    let rows = read_csv("published_sea_distances.csv");
    assert!(
        rows.len() >= 6,
        "too few published distances to check against"
    );
    for row in rows {
        let (from, to, via, published_nm) = (
            &row[0],
            &row[1],
            row[2].as_str(),
            row[3].parse::<f64>().unwrap(),
        );
        let arctic = via == "nsr";
        let (path, _, _) = layers
            .sea
            .route_between(port(from), port(to), |p| {
                arctic || !["bering", "northwest"].contains(&p)
            })
            .unwrap_or_else(|| panic!("no sea path {from}-{to}"));
        if arctic {
            assert!(
                path.passages.iter().any(|p| p == "bering"),
                "{from}-{to} via NSR: {:?}",
                path.passages
            );
        }
        let derived_nm = path.length_km / KM_PER_NM;
        let error = (derived_nm - published_nm).abs() / published_nm;
        assert!(
            error <= 0.10,
            "{from}-{to} {via}: derived {derived_nm:.0} nm vs published {published_nm} nm"
        );
    }
}

#[test]
fn rail_distances_agree_with_published_figures_within_ten_percent() {
    let layers = data::load_infrastructure(&data_dir()).unwrap();
    let rows = read_csv("published_rail_distances.csv");
    assert!(rows.len() >= 3);
    for row in rows {
        let f = |i: usize| row[i].parse::<f64>().unwrap();
        let (a, b) = (LatLon::new(f(1), f(2)), LatLon::new(f(4), f(5)));
        let published = f(6);
        // The published figures are domestic lines: no border crossing of the layer is open,
        // as for a train that names none (Moscow-Vladivostok must not cut through China).
        let (path, sa, sb) = layers
            .rail
            .route_between(a, b, |_| false)
            .expect("rail path");
        assert!(
            sa.distance_km < 30.0 && sb.distance_km < 30.0,
            "{} / {} snap far from the rails",
            row[0],
            row[3]
        );
        let error = (path.length_km - published).abs() / published;
        assert!(
            error <= 0.10,
            "{}-{}: derived {:.0} km vs published {published} km",
            row[0],
            row[3],
            path.length_km
        );
    }
}

#[test]
fn every_terminal_is_reachable_from_dalian() {
    let network = bundled();
    let planner = Planner::new(&network);
    let origins = network.resolve("CNDLC").unwrap();
    for (i, t) in network.terminals().iter().enumerate() {
        if t.locode == "CNDLC" {
            continue;
        }
        let query = RouteQuery {
            origins: origins.clone(),
            destinations: vec![freight_router::model::TerminalId(i as u32)],
            // Full containers to ports and rail or road terminals; air cargo to airports.
            shipment: if t.kind == freight_router::model::TerminalKind::Airport {
                Shipment::loose(200.0, 1.0)
            } else {
                Shipment::containers(1, 0, false)
            },
            objective: Objective::Cost,
            constraints: Constraints {
                include_exploratory: true,
                ..Constraints::default()
            },
            max_routes: 1,
            weights: GeneralizedWeights::defaults(network.params()),
            // 2027-08-02 00:00 UTC: inside the Northern Sea Route's season, which is the only
            // way to Murmansk.
            ready_at: 1_817_164_800,
            explain: false,
            co2_basis: Default::default(),
        };
        let routes = planner.find_routes(&network, &query);
        assert!(
            routes.is_ok(),
            "{} is unreachable from Dalian: {:?}",
            t.code,
            routes.err()
        );
    }
}

/// The longest straight line between a port and the sea lanes.
const MAX_SEA_CONNECTOR_KM: f64 = 5.0;

#[test]
fn sea_legs_start_and_end_close_to_their_ports_and_follow_lanes() {
    let network = bundled();
    for s in network
        .services()
        .iter()
        .filter(|s| s.mode == freight_router::model::Mode::Sea)
    {
        let from = network.terminal(s.from).position;
        let to = network.terminal(s.to).position;
        assert_eq!(s.path.first(), Some(&from));
        assert_eq!(s.path.last(), Some(&to));
        // The lanes reach every port (an approach drawn in open water where the nearest lane
        // is far or a headland is in the way), so the straight connectors at either end are
        // at most a few km: a leg's first and last kilometres do not cut across land.
        let n = s.path.len();
        for (end, a, b) in [
            ("first", s.path[0], s.path[1]),
            ("last", s.path[n - 2], s.path[n - 1]),
        ] {
            assert!(
                haversine_km(a, b) <= MAX_SEA_CONNECTOR_KM,
                "{}: the {end} connector is {:.1} km",
                s.code,
                haversine_km(a, b)
            );
        }
        let straight = haversine_km(from, to);
        assert!(
            s.distance_km >= straight,
            "{} shorter than the great circle",
            s.code
        );
    }
}

/// Every `source` key used in the data files is defined in SOURCES.md.
#[test]
fn every_source_key_is_defined_in_sources_md() {
    let dir = data_dir();
    let sources = std::fs::read_to_string(dir.join("SOURCES.md")).unwrap();
    let mut keys = HashSet::new();
    for file in [
        "terminals.csv",
        "services.toml",
        "tariffs.toml",
        "model.toml",
        "published_sea_distances.csv",
        "published_rail_distances.csv",
        "passages.csv",
        "calendars.toml",
        "reference_positions.csv",
        "emissions.toml",
        "emission_control_areas.geojson",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        for token in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')) {
            if (token.starts_with("S-") || token.starts_with("E-")) && token.len() > 2 {
                keys.insert(token.to_string());
            }
        }
    }
    assert!(keys.len() > 10);
    let missing: Vec<_> = keys
        .iter()
        .filter(|k| !sources.contains(k.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "source keys not defined in SOURCES.md: {missing:?}"
    );
}

/// `unlocode.csv`: the rows of the UN/LOCODE code list for the countries the network covers,
/// as (code, name, coordinates).
fn unlocode_list() -> std::collections::HashMap<String, (String, Option<LatLon>)> {
    let mut reader = csv::Reader::from_path(data_dir().join("unlocode.csv")).unwrap();
    let mut out = std::collections::HashMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        out.insert(
            row[0].to_string(),
            (row[1].to_string(), unlocode_position(&row[4])),
        );
    }
    out
}

/// The list's `DDMMN DDDMME` form in degrees.
fn unlocode_position(text: &str) -> Option<LatLon> {
    let (lat, lon) = text.split_once(' ')?;
    let part = |s: &str, deg_len: usize| -> Option<f64> {
        let (d, m) = (
            s.get(..deg_len)?.parse::<f64>().ok()?,
            s.get(deg_len..deg_len + 2)?.parse::<f64>().ok()?,
        );
        let sign = if s.ends_with('S') || s.ends_with('W') {
            -1.0
        } else {
            1.0
        };
        Some(sign * (d + m / 60.0))
    };
    Some(LatLon::new(part(lat, 2)?, part(lon, 3)?))
}

/// How far a terminal may lie from the point the code list gives its location: airports
/// carry their city's code (Narita is 60 km from Tokyo's point).
const MAX_KM_FROM_LOCODE_POINT: f64 = 80.0;

#[test]
fn every_location_code_is_in_the_bundled_unlocode_list() {
    let list = unlocode_list();
    assert!(list.len() > 10_000, "the bundled list is incomplete");
    let network = bundled();
    let mut missing = Vec::new();
    let mut far = Vec::new();
    for t in network.terminals() {
        for code in std::iter::once(&t.locode).chain(&t.aliases) {
            match list.get(code) {
                None => missing.push(format!("{} ({})", code, t.code)),
                Some((name, Some(point))) if code == &t.locode => {
                    let km = haversine_km(*point, t.position);
                    if km > MAX_KM_FROM_LOCODE_POINT {
                        far.push(format!("{} is {km:.0} km from {code} '{name}'", t.code));
                    }
                }
                Some(_) => {}
            }
        }
    }
    assert!(missing.is_empty(), "codes not in UN/LOCODE: {missing:?}");
    assert!(
        far.is_empty(),
        "terminals far from their code's place: {far:?}"
    );
}

#[test]
fn every_terminal_is_within_tolerance_of_its_cited_position() {
    let network = bundled();
    let mut reader = csv::Reader::from_path(data_dir().join("reference_positions.csv")).unwrap();
    let mut checked = HashSet::new();
    for row in reader.records() {
        let row = row.unwrap();
        let (id, tolerance_km) = (&row[0], row[3].parse::<f64>().unwrap());
        let cited = LatLon::new(row[1].parse().unwrap(), row[2].parse().unwrap());
        assert!(
            row[5].starts_with("S-") || row[5].starts_with("E-"),
            "{id}: no source key"
        );
        assert!(
            tolerance_km <= 5.0,
            "{id}: a tolerance of {tolerance_km} km checks nothing"
        );
        let t = network
            .terminal_by_code(id)
            .map(|t| network.terminal(t))
            .unwrap_or_else(|| panic!("{id} is not a terminal"));
        let km = haversine_km(t.position, cited);
        assert!(
            km <= tolerance_km,
            "{id} is {km:.1} km from its cited position"
        );
        checked.insert(id.to_string());
    }
    let unchecked: Vec<&str> = network
        .terminals()
        .iter()
        .map(|t| t.code.as_str())
        .filter(|c| !checked.contains(*c))
        .collect();
    assert!(
        unchecked.is_empty(),
        "terminals without a cited position: {unchecked:?}"
    );
}

#[test]
fn calendars_close_the_departures_they_name() {
    let network = bundled();
    let date = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
    let service = |code: &str| {
        network
            .service(network.service_by_code(code).unwrap())
            .validity
            .clone()
    };
    // Spring Festival 2027: sailings leaving China are blanked, trucking stops, trains run.
    let cny = date("2027-02-09");
    assert!(!service("SEA-DLC-PUS").allows(cny));
    assert!(
        service("SEA-DLC-PUS-R").allows(cny),
        "the sailing from Busan still runs"
    );
    assert!(!service("ROAD-DLC-SHY").allows(cny));
    assert!(service("RAIL-DLC-MLX").allows(cny));
    assert!(service("SEA-DLC-PUS").allows(date("2027-02-16")));
}

// ---- broken data files ----

/// A copy of the bundled data directory with one file edited.
fn corrupted(file: &str, edit: impl Fn(&str) -> String) -> Result<Network, DataError> {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir: PathBuf =
        std::env::temp_dir().join(format!("freight-bad-data-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(data_dir()).unwrap() {
        let path = entry.unwrap().path();
        let target = dir.join(path.file_name().unwrap());
        std::fs::copy(&path, &target).unwrap();
    }
    let target = dir.join(file);
    let text = std::fs::read_to_string(&target).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit must change {file}");
    std::fs::write(&target, edited).unwrap();
    let result = data::load_network(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn assert_fails(result: Result<Network, DataError>, file: &str, record: &str, reason: &str) {
    let err = result.expect_err("the broken file must be rejected");
    assert!(Path::new(&err.file).ends_with(file), "{err}");
    assert!(
        err.record.contains(record),
        "record '{}' should name '{record}' ({err})",
        err.record
    );
    assert!(
        err.reason.contains(reason),
        "reason '{}' should say '{reason}' ({err})",
        err.reason
    );
}

#[test]
fn a_bad_coordinate_fails_at_load() {
    let result = corrupted("terminals.csv", |t| {
        t.replacen(",39.0089,121.8736,", ",139.0089,121.8736,", 1)
    });
    assert_fails(result, "terminals.csv", "CNDLC-PORT", "lat 139.0089");
}

#[test]
fn a_dangling_terminal_fails_at_load() {
    let result = corrupted("services.toml", |t| {
        t.replacen("to = \"KRPUS-PORT\"", "to = \"KRPUS-GONE\"", 1)
    });
    assert_fails(result, "services.toml", "SEA-DLC-PUS", "KRPUS-GONE");
}

#[test]
fn a_negative_rate_fails_at_load() {
    let result = corrupted("tariffs.toml", |t| {
        t.replacen("base_per_20ft = 25.0", "base_per_20ft = -25.0", 1)
    });
    assert_fails(
        result,
        "tariffs.toml",
        "sea-near-sea",
        "rate.base_per_20ft must not be negative",
    );
}

#[test]
fn a_duplicate_id_fails_at_load() {
    let result = corrupted("terminals.csv", |t| {
        let line = t
            .lines()
            .find(|l| l.starts_with("KRPUS-PORT,"))
            .unwrap()
            .to_string();
        format!("{t}{line}\n")
    });
    assert_fails(result, "terminals.csv", "KRPUS-PORT", "duplicate id");
    let result = corrupted("services.toml", |t| {
        t.replacen("id = \"SEA-DLC-INC-FERRY\"", "id = \"SEA-DLC-PUS\"", 1)
    });
    assert_fails(
        result,
        "services.toml",
        "SEA-DLC-PUS",
        "duplicate service id",
    );
}

#[test]
fn a_bad_emission_factor_fails_at_load() {
    let result = corrupted("emissions.toml", |t| {
        t.replacen("wtw = 0.1396", "wtw = 0.1", 1)
    });
    assert_fails(
        result,
        "emissions.toml",
        "container-intra-ne-asia",
        "wtw >= ttw",
    );
    let result = corrupted("services.toml", |t| {
        t.replacen(
            "emission_class = \"ropax-20000gt-plus\"",
            "emission_class = \"ropax-steam\"",
            1,
        )
    });
    assert_fails(result, "services.toml", "SEA-DLC-INC-FERRY", "ropax-steam");
    let result = corrupted("emission_control_areas.geojson", |t| {
        t.replacen("\"sulphur_limit_pct\": 0.1", "\"sulphur_limit_pct\": 9", 1)
    });
    assert_fails(
        result,
        "emission_control_areas.geojson",
        "feature 0",
        "sulphur_limit_pct",
    );
}

#[test]
fn an_unparsable_file_names_its_line() {
    let result = corrupted("services.toml", |t| {
        t.replacen("speed_kn = 14.0", "speed_kn = fast", 1)
    });
    assert_fails(result, "services.toml", "line", "");
    let result = corrupted("model.toml", |t| {
        t.replacen("circuity = 1.3", "circuity = 0.5", 1)
    });
    assert_fails(result, "model.toml", "road.circuity", "between 1 and 3");
}

/// Ports on either side of each named passage: (passage, from, to). Every passage of
/// `passages.csv` needs at least one pair whose open-water path crosses it.
type Probe = (&'static str, (f64, f64), (f64, f64));

const PASSAGE_PROBES: [Probe; 17] = [
    ("korea_strait", (38.95, 121.80), (35.65, 139.79)), // Dalian - Tokyo
    ("korea_strait", (38.95, 121.80), (37.91, 139.10)), // Dalian - Niigata
    ("tsugaru", (43.12, 131.88), (35.65, 139.79)),      // Vladivostok - Tokyo
    ("la_perouse", (43.12, 131.88), (46.64, 142.82)),   // Vladivostok - Korsakov
    ("suez", (31.40, 121.50), (51.90, 4.44)),           // Shanghai - Rotterdam
    ("babalmandab", (31.40, 121.50), (51.90, 4.44)),
    ("malacca", (31.40, 121.50), (51.90, 4.44)),
    ("gibraltar", (51.90, 4.44), (44.40, 8.90)), // Rotterdam - Genoa
    ("panama", (40.60, -74.00), (33.70, -118.20)), // New York - Los Angeles
    ("sunda", (38.95, 121.80), (-29.87, 31.03)), // Dalian - Durban
    ("ormuz", (25.00, 55.06), (18.95, 72.85)),   // Jebel Ali - Mumbai
    ("bosporus", (44.17, 28.65), (37.94, 23.62)), // Constanta - Piraeus
    ("dardanelles", (44.17, 28.65), (37.94, 23.62)),
    ("south_africa", (-29.87, 31.03), (51.90, 4.44)), // Durban - Rotterdam
    ("chili", (-23.98, -46.30), (-33.03, -71.63)),    // Santos - Valparaiso
    ("bering", (43.12, 131.88), (69.0, 33.1)),        // Vladivostok - Murmansk
    ("northwest", (43.12, 131.88), (69.0, 33.1)),
];

#[test]
fn a_path_avoiding_a_passage_never_enters_its_area() {
    let network = bundled();
    let lanes = network.sea_lanes().expect("sea lanes");
    let areas = read_csv("passages.csv");
    for name in lanes.passage_names() {
        let boxes: Vec<[f64; 4]> = areas
            .iter()
            .filter(|r| &r[0] == name)
            .map(|r| [1, 2, 3, 4].map(|i| r[i].parse::<f64>().unwrap()))
            .collect();
        assert!(
            !boxes.is_empty(),
            "passage '{name}' has no area in passages.csv"
        );
        let inside = |p: &LatLon| {
            boxes
                .iter()
                .any(|b| (b[0]..=b[2]).contains(&p.lat) && (b[1]..=b[3]).contains(&p.lon))
        };
        let arctic = |p: &str| p == "bering" || p == "northwest";
        let open_water = |p: &str| !arctic(p) || arctic(name);
        let mut crossed = 0;
        for (_, a, b) in PASSAGE_PROBES.iter().filter(|(p, _, _)| p == name) {
            let (a, b) = (LatLon::new(a.0, a.1), LatLon::new(b.0, b.1));
            let (usual, _, _) = lanes.route_between(a, b, open_water).unwrap();
            if !usual.passages.contains(name) {
                continue;
            }
            crossed += 1;
            let Some((round, _, _)) = lanes.route_between(a, b, |p| open_water(p) && p != name)
            else {
                continue; // no way round: the passage is unavoidable between these ports
            };
            let inner = &round.points[1..round.points.len() - 1];
            if let Some(p) = inner.iter().find(|p| inside(p)) {
                panic!("avoiding {name}, a path enters its area at {p:?}");
            }
        }
        assert!(crossed > 0, "no probe of passages.csv crosses '{name}'");
    }
}
