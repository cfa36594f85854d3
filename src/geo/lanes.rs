//! A lane network: polylines (sea lanes, rail tracks) joined where they share a coordinate,
//! stored as a compact adjacency array, with a shortest path that can close named passages
//! (the Arctic lanes, Suez, ...). Shortest paths go through a contraction hierarchy
//! (`contraction`), built once per network and exact under any set of closed passages, since
//! it answers in a small fraction of the time of a search on the network itself. It needs
//! every passage to fit a 64-bit mask, so a network with more passages keeps the A* it is
//! checked against in the tests, whose estimate is the larger of the great circle and the
//! landmark bound (`landmarks`). Snapping goes through a grid (`snap_grid`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::contraction::{Hierarchy, HierarchySize};
use super::haversine_km;
use super::landmarks::{Adjacency, Landmarks};
use super::scratch::{Scratch, NO_EDGE};
use super::snap_grid::SnapGrid;
use crate::model::LatLon;

/// One input line of a layer: its coordinates and, for sea lanes, the passage it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Polyline {
    pub points: Vec<LatLon>,
    pub passage: Option<String>,
}

/// A latitude/longitude box (not crossing the antimeridian).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    pub min: LatLon,
    pub max: LatLon,
}

impl BoundingBox {
    /// Whether the straight segment a-b (in degrees) touches the box: Liang-Barsky clipping.
    /// Segments of the lane layers are short enough for degrees to stand in for distance.
    pub fn crosses(&self, a: LatLon, b: LatLon) -> bool {
        if (a.lon - b.lon).abs() > 180.0 {
            return false; // an antimeridian segment; no box here spans it
        }
        let (dx, dy) = (b.lon - a.lon, b.lat - a.lat);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.lon - self.min.lon),
            (dx, self.max.lon - a.lon),
            (-dy, a.lat - self.min.lat),
            (dy, self.max.lat - a.lat),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// A point snapped onto the network: the nearest vertex and how far it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    pub vertex: u32,
    pub distance_km: f64,
}

/// A path found on the network.
#[derive(Debug, Clone, PartialEq)]
pub struct LanePath {
    pub points: Vec<LatLon>,
    pub length_km: f64,
    /// Passages crossed, in path order, each once.
    pub passages: Vec<String>,
}

/// The network of one infrastructure layer. Vertices are the distinct coordinates (rounded to
/// 1e-6 degree, longitudes folded into [-180, 180) so lanes crossing the antimeridian join).
#[derive(Debug, Clone, Default)]
pub struct LaneNetwork {
    vertices: Vec<LatLon>,
    /// Compressed sparse rows: the edges of vertex v are `first_edge[v]..first_edge[v + 1]`.
    first_edge: Vec<u32>,
    edge_target: Vec<u32>,
    edge_km: Vec<f64>,
    /// Index into `passage_names`, or `NO_PASSAGE`.
    edge_passage: Vec<u16>,
    passage_names: Vec<String>,
    /// The vertices as unit vectors, for the A* estimate.
    unit: Vec<Unit>,
    landmarks: Landmarks,
    grid: SnapGrid,
    /// Built on first use or by `prepare`, from the edges as tagged then: anything that
    /// changes an edge must reset it. `None` inside when the network has too many passages.
    hierarchy: OnceLock<Option<Hierarchy>>,
}

const NO_PASSAGE: u16 = u16::MAX;

/// Passages a hierarchy can tell apart: one bit each in a `u64`.
const MAX_HIERARCHY_PASSAGES: usize = 64;

fn normalize_lon(lon: f64) -> f64 {
    let l = (lon + 180.0).rem_euclid(360.0) - 180.0;
    if l == -180.0 {
        -180.0
    } else {
        l
    }
}

fn vertex_key(p: LatLon) -> (i64, i64) {
    (
        (p.lat * 1e6).round() as i64,
        (normalize_lon(p.lon) * 1e6).round() as i64,
    )
}

impl LaneNetwork {
    /// Joins the polylines into one network. Repeated points inside a line are skipped.
    pub fn build(lines: &[Polyline]) -> Self {
        let mut index: HashMap<(i64, i64), u32> = HashMap::new();
        let mut vertices = Vec::new();
        let mut passage_names: Vec<String> = Vec::new();
        // (from, to, km, passage) for both directions.
        let mut edges: Vec<(u32, u32, f64, u16)> = Vec::new();
        for line in lines {
            let passage = match &line.passage {
                Some(name) => match passage_names.iter().position(|n| n == name) {
                    Some(i) => i as u16,
                    None => {
                        passage_names.push(name.clone());
                        (passage_names.len() - 1) as u16
                    }
                },
                None => NO_PASSAGE,
            };
            let mut previous: Option<u32> = None;
            for p in &line.points {
                let p = LatLon::new(p.lat, normalize_lon(p.lon));
                let v = *index.entry(vertex_key(p)).or_insert_with(|| {
                    vertices.push(p);
                    (vertices.len() - 1) as u32
                });
                if let Some(u) = previous.filter(|&u| u != v) {
                    let km = haversine_km(vertices[u as usize], vertices[v as usize]);
                    edges.push((u, v, km, passage));
                    edges.push((v, u, km, passage));
                }
                previous = Some(v);
            }
        }
        edges.sort_by_key(|e| (e.0, e.1));
        let mut first_edge = vec![0u32; vertices.len() + 1];
        for e in &edges {
            first_edge[e.0 as usize + 1] += 1;
        }
        for v in 0..vertices.len() {
            first_edge[v + 1] += first_edge[v];
        }
        let edge_target: Vec<u32> = edges.iter().map(|e| e.1).collect();
        let edge_km: Vec<f64> = edges.iter().map(|e| e.2).collect();
        let landmarks = Landmarks::build(&Adjacency {
            first_edge: &first_edge,
            edge_target: &edge_target,
            edge_km: &edge_km,
        });
        LaneNetwork {
            unit: vertices.iter().map(|&p| unit_vector(p)).collect(),
            grid: SnapGrid::build(&vertices),
            landmarks,
            vertices,
            first_edge,
            edge_target,
            edge_km,
            edge_passage: edges.iter().map(|e| e.3).collect(),
            passage_names,
            hierarchy: OnceLock::new(),
        }
    }

    /// Builds the contraction hierarchy now rather than on the first query, so that start-up
    /// pays for it instead of a request; call it after the last `tag_passage`. Returns what
    /// the hierarchy adds, or `None` when the network has more passages than it handles.
    pub fn prepare(&self) -> Option<HierarchySize> {
        self.hierarchy().map(Hierarchy::size)
    }

    fn hierarchy(&self) -> Option<&Hierarchy> {
        self.hierarchy
            .get_or_init(|| {
                if self.passage_names.len() > MAX_HIERARCHY_PASSAGES {
                    return None;
                }
                let edge_mask: Vec<u64> = self
                    .edge_passage
                    .iter()
                    .map(|&p| if p == NO_PASSAGE { 0 } else { 1 << p })
                    .collect();
                Hierarchy::build(&self.adjacency(), &edge_mask)
            })
            .as_ref()
    }

    fn adjacency(&self) -> Adjacency<'_> {
        Adjacency {
            first_edge: &self.first_edge,
            edge_target: &self.edge_target,
            edge_km: &self.edge_km,
        }
    }

    pub fn vertex_count(&self) -> usize {
        self.vertices.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edge_target.len() / 2
    }

    /// The names of the passages tagged in this layer.
    pub fn passage_names(&self) -> &[String] {
        &self.passage_names
    }

    /// Tags every untagged edge whose segment crosses `area` with the passage `name`: for
    /// chokepoints the lane data does not name (Korea Strait, Tsugaru, La Pérouse). Returns
    /// how many edges (counting both directions) were tagged. Both directions of an edge are
    /// tested in the same orientation, so they are tagged alike (the hierarchy relies on
    /// it), and a hierarchy built before is dropped.
    pub fn tag_passage(&mut self, name: &str, area: &BoundingBox) -> usize {
        self.hierarchy = OnceLock::new();
        let index = match self.passage_names.iter().position(|n| n == name) {
            Some(i) => i as u16,
            None => {
                self.passage_names.push(name.to_string());
                (self.passage_names.len() - 1) as u16
            }
        };
        let mut tagged = 0;
        for v in 0..self.vertices.len() {
            for e in self.first_edge[v] as usize..self.first_edge[v + 1] as usize {
                let (low, high) = (
                    v.min(self.edge_target[e] as usize),
                    v.max(self.edge_target[e] as usize),
                );
                let (a, b) = (self.vertices[low], self.vertices[high]);
                if self.edge_passage[e] == NO_PASSAGE && area.crosses(a, b) {
                    self.edge_passage[e] = index;
                    tagged += 1;
                }
            }
        }
        tagged
    }

    /// The nearest vertex to `p`, or `None` for an empty network. Candidates are ranked by
    /// an equirectangular estimate (see `SnapGrid`); the distance reported is the great circle.
    pub fn snap(&self, p: LatLon) -> Option<Snap> {
        let p = LatLon::new(p.lat, normalize_lon(p.lon));
        let vertex = self.grid.nearest(&self.vertices, p)?;
        Some(Snap {
            vertex,
            distance_km: haversine_km(p, self.vertices[vertex as usize]),
        })
    }

    /// The shortest path between two vertices using only edges whose passage `is_open`
    /// allows (edges without a passage are always open); `None` if there is none or a vertex
    /// is out of range. Goes through the contraction hierarchy when there is one, else A*.
    pub fn shortest_path(
        &self,
        from: u32,
        to: u32,
        is_open: impl Fn(&str) -> bool,
    ) -> Option<LanePath> {
        if from as usize >= self.vertices.len() || to as usize >= self.vertices.len() {
            return None;
        }
        let route = match self.hierarchy() {
            Some(hierarchy) => {
                let closed = self
                    .passage_names
                    .iter()
                    .enumerate()
                    .filter(|(_, name)| !is_open(name))
                    .fold(0u64, |mask, (i, _)| mask | 1 << i);
                hierarchy.shortest_route(from, to, closed)?
            }
            None => self.a_star_route(from, to, is_open)?,
        };
        Some(self.path_along(from, &route))
    }

    /// The edges, in path order, of a shortest path found by A* whose estimate is the larger
    /// of the great circle and the landmark bound (both admissible and consistent, so their
    /// maximum is too), on search buffers kept per thread so that a query allocates nothing
    /// proportional to the network.
    fn a_star_route(&self, from: u32, to: u32, is_open: impl Fn(&str) -> bool) -> Option<Vec<u32>> {
        let open: Vec<bool> = self.passage_names.iter().map(|n| is_open(n)).collect();
        SCRATCH.with_borrow_mut(|scratch| {
            self.search(scratch, from, to, &open)?;
            Some(self.trace(scratch, from, to))
        })
    }

    /// Runs A* from `from` until `to` is settled; returns its distance. Parents stay in
    /// `scratch` for `trace`.
    fn search(&self, scratch: &mut Scratch, from: u32, to: u32, open: &[bool]) -> Option<f64> {
        scratch.start(self.vertices.len());
        let target = self.unit[to as usize];
        let target_landmarks = self.landmarks.of(to as usize);
        // The larger of two consistent lower bounds, shaved by a part in 10^9 so that
        // rounding in either never makes it overestimate.
        let estimate = |v: usize| {
            great_circle_from_units(self.unit[v], target)
                .max(self.landmarks.lower_bound(v, target_landmarks))
                * (1.0 - 1e-9)
        };
        scratch.reach(from as usize, 0.0, estimate(from as usize), NO_EDGE);
        while let Some((distance, v)) = scratch.pop() {
            if v == to as usize {
                return Some(distance);
            }
            for e in self.first_edge[v] as usize..self.first_edge[v + 1] as usize {
                let passage = self.edge_passage[e];
                if passage != NO_PASSAGE && !open[passage as usize] {
                    continue;
                }
                let w = self.edge_target[e] as usize;
                let d = distance + self.edge_km[e];
                if d < scratch.distance(w) {
                    scratch.reach(w, d, d + estimate(w), e as u32);
                }
            }
        }
        None
    }

    /// The edges, in path order, of the path to `to` the last search left in `scratch`.
    fn trace(&self, scratch: &Scratch, from: u32, to: u32) -> Vec<u32> {
        let mut route = Vec::new();
        let mut v = to;
        while v != from {
            let e = scratch.parent_edge(v as usize);
            route.push(e);
            v = self.edge_source(e as usize);
        }
        route.reverse();
        route
    }

    /// The path from `from` along `route` (edges in path order, each leaving where the last
    /// one ended). The length is summed edge by edge from `from`, as A* sums its distances,
    /// so both searches report bit-identical lengths for the same path.
    fn path_along(&self, from: u32, route: &[u32]) -> LanePath {
        let mut points = Vec::with_capacity(route.len() + 1);
        points.push(self.vertices[from as usize]);
        let mut length_km = 0.0;
        let mut passages: Vec<String> = Vec::new();
        for &e in route {
            let e = e as usize;
            points.push(self.vertices[self.edge_target[e] as usize]);
            length_km += self.edge_km[e];
            let p = self.edge_passage[e];
            if p != NO_PASSAGE {
                let name = &self.passage_names[p as usize];
                if !passages.contains(name) {
                    passages.push(name.clone());
                }
            }
        }
        LanePath {
            points,
            length_km,
            passages,
        }
    }

    /// The vertex an edge leaves from: the row of the adjacency array holding it.
    fn edge_source(&self, e: usize) -> u32 {
        (self
            .first_edge
            .partition_point(|&first| first as usize <= e)
            - 1) as u32
    }

    /// The path between two arbitrary points: each is joined by a straight connector to its
    /// nearest vertex, and the connectors count in the length.
    pub fn route_between(
        &self,
        a: LatLon,
        b: LatLon,
        is_open: impl Fn(&str) -> bool,
    ) -> Option<(LanePath, Snap, Snap)> {
        let (sa, sb) = (self.snap(a)?, self.snap(b)?);
        let mut path = self.shortest_path(sa.vertex, sb.vertex, is_open)?;
        path.points.insert(0, a);
        path.points.push(b);
        path.length_km += sa.distance_km + sb.distance_km;
        Some((path, sa, sb))
    }
}

/// The mean Earth radius `haversine_km` uses, in km.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A point on the unit sphere.
type Unit = [f64; 3];

fn unit_vector(p: LatLon) -> Unit {
    let (lat, lon) = (p.lat.to_radians(), p.lon.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// The great-circle distance between two unit vectors: one square root and one arcsine
/// instead of the haversine's five trigonometric calls, since the estimate is computed for
/// every edge relaxed.
fn great_circle_from_units(a: Unit, b: Unit) -> f64 {
    let chord = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt();
    2.0 * EARTH_RADIUS_KM * (chord / 2.0).min(1.0).asin()
}

thread_local! {
    /// One set of A* buffers per thread (per gRPC worker), sized to the largest layer searched.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(points: &[(f64, f64)], passage: Option<&str>) -> Polyline {
        Polyline {
            points: points
                .iter()
                .map(|&(lat, lon)| LatLon::new(lat, lon))
                .collect(),
            passage: passage.map(str::to_string),
        }
    }

    /// A square with a short tagged diagonal: closing the passage forces the long way round.
    fn square() -> LaneNetwork {
        LaneNetwork::build(&[
            line(&[(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)], None),
            line(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)], None),
            line(&[(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)], Some("shortcut")),
        ])
    }

    #[test]
    fn lines_join_at_shared_coordinates() {
        let net = square();
        assert_eq!(net.vertex_count(), 5);
        assert_eq!(net.edge_count(), 6);
    }

    #[test]
    fn closed_passage_is_avoided_and_open_one_is_reported() {
        let net = square();
        let a = net.snap(LatLon::new(0.0, 0.0)).unwrap().vertex;
        let b = net.snap(LatLon::new(1.0, 1.0)).unwrap().vertex;
        let open = net.shortest_path(a, b, |_| true).unwrap();
        assert_eq!(open.passages, vec!["shortcut".to_string()]);
        let closed = net.shortest_path(a, b, |_| false).unwrap();
        assert!(closed.passages.is_empty());
        assert!(closed.length_km > open.length_km * 1.3);
    }

    #[test]
    fn antimeridian_coordinates_join() {
        let net = LaneNetwork::build(&[
            line(&[(60.0, 170.0), (60.0, 180.0)], None),
            line(&[(60.0, -180.0), (60.0, -170.0)], None),
            line(&[(60.0, 190.0), (61.0, 195.0)], None),
        ]);
        // 180 and -180 are one vertex, 190 is -170.
        assert_eq!(net.vertex_count(), 4);
        let a = net.snap(LatLon::new(60.0, 170.0)).unwrap().vertex;
        let b = net.snap(LatLon::new(61.0, -165.0)).unwrap().vertex;
        let path = net.shortest_path(a, b, |_| true).unwrap();
        assert_eq!(path.points.len(), 4);
        assert!(path.length_km < 1500.0);
    }

    #[test]
    fn disconnected_vertices_have_no_path() {
        let net = LaneNetwork::build(&[
            line(&[(0.0, 0.0), (0.0, 1.0)], None),
            line(&[(5.0, 5.0), (5.0, 6.0)], None),
        ]);
        assert!(net.shortest_path(0, 2, |_| true).is_none());
    }

    /// Textbook Dijkstra over the same adjacency: the reference the searches must agree with.
    fn dijkstra_distances(net: &LaneNetwork, from: u32, open: &[bool]) -> Vec<f64> {
        let mut dist = vec![f64::INFINITY; net.vertex_count()];
        let mut done = vec![false; net.vertex_count()];
        dist[from as usize] = 0.0;
        while let Some(v) = (0..dist.len())
            .filter(|&v| !done[v] && dist[v].is_finite())
            .min_by(|&a, &b| dist[a].total_cmp(&dist[b]))
        {
            done[v] = true;
            for e in net.first_edge[v] as usize..net.first_edge[v + 1] as usize {
                let p = net.edge_passage[e];
                if p != NO_PASSAGE && !open[p as usize] {
                    continue;
                }
                let w = net.edge_target[e] as usize;
                dist[w] = dist[w].min(dist[v] + net.edge_km[e]);
            }
        }
        dist
    }

    fn dijkstra_km(net: &LaneNetwork, from: u32, to: u32, open: &[bool]) -> Option<f64> {
        Some(dijkstra_distances(net, from, open)[to as usize]).filter(|d| d.is_finite())
    }

    fn random_network() -> impl Strategy<Value = LaneNetwork> {
        let vertex = (-60i32..60, -179i32..180);
        let lines = prop::collection::vec(
            (
                prop::collection::vec(0usize..40, 2..6),
                prop::option::of(0u8..3),
            ),
            1..30,
        );
        (prop::collection::vec(vertex, 40), lines).prop_map(|(vertices, lines)| {
            let polylines: Vec<Polyline> = lines
                .iter()
                .map(|(path, passage)| Polyline {
                    points: path
                        .iter()
                        .map(|&i| LatLon::new(vertices[i].0 as f64, vertices[i].1 as f64))
                        .collect(),
                    passage: passage.map(|p| format!("p{p}")),
                })
                .collect();
            LaneNetwork::build(&polylines)
        })
    }

    /// The A* path, bypassing the hierarchy.
    fn a_star_path(
        net: &LaneNetwork,
        from: u32,
        to: u32,
        is_open: impl Fn(&str) -> bool,
    ) -> Option<LanePath> {
        let route = net.a_star_route(from, to, is_open)?;
        Some(net.path_along(from, &route))
    }

    /// Whether the random networks' passage `p<i>` is in `closed`.
    fn is_closed(closed: &[bool], passage: &str) -> bool {
        passage[1..].parse::<usize>().is_ok_and(|i| closed[i])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// A* on reused per-thread buffers finds the Dijkstra distance for every pair, with
        /// any passages closed, and its path adds up to that distance.
        #[test]
        fn a_star_agrees_with_dijkstra(
            net in random_network(),
            other in random_network(),
            closed in prop::collection::vec(any::<bool>(), 3),
            pairs in prop::collection::vec((0u32..200, 0u32..200), 1..12),
        ) {
            let open: Vec<bool> = net
                .passage_names()
                .iter()
                .map(|n| !is_closed(&closed, n))
                .collect();
            let n = net.vertex_count() as u32;
            for (a, b) in pairs {
                let (a, b) = (a % n, b % n);
                // Interleave a search on another network: buffers are shared per thread.
                let _ = a_star_path(&other, 0, other.vertex_count() as u32 - 1, |_| true);
                let found = a_star_path(&net, a, b, |p| !is_closed(&closed, p));
                let expected = dijkstra_km(&net, a, b, &open);
                prop_assert_eq!(found.is_some(), expected.is_some());
                if let (Some(path), Some(km)) = (found, expected) {
                    prop_assert!(
                        (path.length_km - km).abs() < 1e-6,
                        "{} vs {}", path.length_km, km
                    );
                    let walked: f64 =
                        path.points.windows(2).map(|w| haversine_km(w[0], w[1])).sum();
                    prop_assert!((walked - km).abs() < 1e-6);
                    prop_assert_eq!(path.points.first(), Some(&net.vertices[a as usize]));
                    prop_assert_eq!(path.points.last(), Some(&net.vertices[b as usize]));
                }
            }
        }

        /// The hierarchy, built once per network, answers every closure set exactly: for
        /// every pair, same reachability and length as Dijkstra, along a walk of network
        /// edges from `from` to `to` that crosses no closed passage, adds up to the reported
        /// length and reports the passages it crosses in order. Queries alternate with
        /// queries on another network and between closure sets, so the per-thread buffers
        /// and the hierarchy are reused.
        #[test]
        fn hierarchy_agrees_with_dijkstra(
            net in random_network(),
            other in random_network(),
            closure_sets in prop::collection::vec(prop::collection::vec(any::<bool>(), 3), 1..5),
        ) {
            prop_assert!(net.prepare().is_some());
            let n = net.vertex_count() as u32;
            for closed in &closure_sets {
                let open: Vec<bool> = net
                    .passage_names()
                    .iter()
                    .map(|name| !is_closed(closed, name))
                    .collect();
                let closed_mask = open
                    .iter()
                    .enumerate()
                    .filter(|(_, &o)| !o)
                    .fold(0u64, |m, (i, _)| m | 1 << i);
                for a in 0..n {
                    let expected = dijkstra_distances(&net, a, &open);
                    for b in 0..n {
                        let elsewhere = b % other.vertex_count() as u32;
                        let _ = other.shortest_path(elsewhere, 0, |p| !is_closed(closed, p));
                        let found = net.shortest_path(a, b, |p| !is_closed(closed, p));
                        let km = expected[b as usize];
                        prop_assert_eq!(
                            found.is_some(),
                            km.is_finite(),
                            "{} -> {} closed {:?}", a, b, closed
                        );
                        let Some(path) = found else { continue };
                        prop_assert!(
                            (path.length_km - km).abs() <= 1e-9 * km,
                            "{} -> {} closed {:?}: {} vs {}", a, b, closed, path.length_km, km
                        );
                        let hierarchy = net.hierarchy().expect("prepared");
                        let route = hierarchy.shortest_route(a, b, closed_mask).expect("reachable");
                        // A walk from `a` to `b` on open network edges.
                        let mut at = a;
                        let mut walked = 0.0;
                        let mut points = vec![net.vertices[a as usize]];
                        let mut passages: Vec<String> = Vec::new();
                        for &e in &route {
                            let e = e as usize;
                            prop_assert_eq!(net.edge_source(e), at);
                            let p = net.edge_passage[e];
                            if p != NO_PASSAGE {
                                prop_assert!(
                                    open[p as usize],
                                    "crosses closed {}", net.passage_names[p as usize]
                                );
                                let name = net.passage_names[p as usize].clone();
                                if !passages.contains(&name) {
                                    passages.push(name);
                                }
                            }
                            walked += net.edge_km[e];
                            at = net.edge_target[e];
                            points.push(net.vertices[at as usize]);
                        }
                        prop_assert_eq!(at, b);
                        prop_assert_eq!(walked, path.length_km);
                        prop_assert_eq!(&points, &path.points);
                        prop_assert_eq!(&passages, &path.passages);
                    }
                }
            }
        }
    }

    /// Tagging a passage after the hierarchy was built must rebuild it: the old one knows
    /// nothing of the new passage, so closing it would change nothing.
    #[test]
    fn tagging_after_a_query_resets_the_hierarchy() {
        let mut net = LaneNetwork::build(&[
            line(&[(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)], None),
            line(&[(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)], None),
        ]);
        let a = net.snap(LatLon::new(0.0, 0.0)).unwrap().vertex;
        let b = net.snap(LatLon::new(1.0, 1.0)).unwrap().vertex;
        let direct = net.shortest_path(a, b, |_| true).unwrap();
        assert!(direct.points.contains(&LatLon::new(0.5, 0.5)));
        let area = BoundingBox {
            min: LatLon::new(0.4, 0.4),
            max: LatLon::new(0.6, 0.6),
        };
        assert_eq!(net.tag_passage("diagonal", &area), 4);
        let around = net.shortest_path(a, b, |p| p != "diagonal").unwrap();
        assert!(around.passages.is_empty());
        assert!(!around.points.contains(&LatLon::new(0.5, 0.5)));
        assert!(around.length_km > direct.length_km * 1.3);
        let through = net.shortest_path(a, b, |_| true).unwrap();
        assert_eq!(through.passages, vec!["diagonal".to_string()]);
    }

    /// A network with more passages than a mask has bits has no hierarchy and still answers.
    #[test]
    fn too_many_passages_fall_back_to_a_star() {
        let lines: Vec<Polyline> = (0..=MAX_HIERARCHY_PASSAGES)
            .map(|i| {
                let name = format!("p{i}");
                line(&[(0.0, i as f64), (0.0, i as f64 + 1.0)], Some(&name))
            })
            .collect();
        let net = LaneNetwork::build(&lines);
        assert_eq!(net.passage_names().len(), MAX_HIERARCHY_PASSAGES + 1);
        assert_eq!(net.prepare(), None);
        let a = net.snap(LatLon::new(0.0, 0.0)).unwrap().vertex;
        let b = net.snap(LatLon::new(0.0, 65.0)).unwrap().vertex;
        let path = net.shortest_path(a, b, |_| true).unwrap();
        assert_eq!(path.passages.len(), MAX_HIERARCHY_PASSAGES + 1);
        assert!(net.shortest_path(a, b, |p| p != "p7").is_none());
    }

    #[test]
    fn out_of_range_vertices_have_no_path() {
        let net = square();
        assert!(net.shortest_path(0, 99, |_| true).is_none());
        assert!(LaneNetwork::default()
            .shortest_path(0, 0, |_| true)
            .is_none());
    }

    /// Shared across gRPC worker threads and cloned into scenarios.
    #[test]
    fn network_stays_shareable() {
        fn shareable<T: Clone + std::fmt::Debug + Default + Send + Sync>() {}
        shareable::<LaneNetwork>();
    }
}
