//! A lane network: polylines (sea lanes, rail tracks) joined where they share a coordinate,
//! stored as a compact adjacency array, with an A* shortest path that can close named
//! passages (the Arctic lanes, Suez, ...).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use super::haversine_km;
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
}

const NO_PASSAGE: u16 = u16::MAX;

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
        LaneNetwork {
            vertices,
            first_edge,
            edge_target: edges.iter().map(|e| e.1).collect(),
            edge_km: edges.iter().map(|e| e.2).collect(),
            edge_passage: edges.iter().map(|e| e.3).collect(),
            passage_names,
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
    /// how many edges (counting both directions) were tagged.
    pub fn tag_passage(&mut self, name: &str, area: &BoundingBox) -> usize {
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
                let a = self.vertices[v];
                let b = self.vertices[self.edge_target[e] as usize];
                if self.edge_passage[e] == NO_PASSAGE && area.crosses(a, b) {
                    self.edge_passage[e] = index;
                    tagged += 1;
                }
            }
        }
        tagged
    }

    /// The nearest vertex to `p`, or `None` for an empty network.
    pub fn snap(&self, p: LatLon) -> Option<Snap> {
        // An equirectangular estimate ranks candidates cheaply; haversine only for the best.
        let cos_lat = p.lat.to_radians().cos();
        let rough = |v: &LatLon| {
            let mut dlon = (v.lon - p.lon).abs();
            if dlon > 180.0 {
                dlon = 360.0 - dlon;
            }
            let dx = dlon * cos_lat;
            let dy = v.lat - p.lat;
            dx * dx + dy * dy
        };
        let (vertex, _) = self
            .vertices
            .iter()
            .enumerate()
            .min_by(|a, b| rough(a.1).total_cmp(&rough(b.1)))?;
        Some(Snap {
            vertex: vertex as u32,
            distance_km: haversine_km(p, self.vertices[vertex]),
        })
    }

    /// The shortest path between two vertices using only edges whose passage `is_open`
    /// allows (edges without a passage are always open). A* with the great-circle distance
    /// as the (admissible) estimate.
    pub fn shortest_path(
        &self,
        from: u32,
        to: u32,
        is_open: impl Fn(&str) -> bool,
    ) -> Option<LanePath> {
        let open: Vec<bool> = self.passage_names.iter().map(|n| is_open(n)).collect();
        let target = self.vertices[to as usize];
        let n = self.vertices.len();
        let mut dist = vec![f64::INFINITY; n];
        let mut parent = vec![u32::MAX; n];
        let mut parent_edge = vec![u32::MAX; n];
        let mut heap = BinaryHeap::new();
        dist[from as usize] = 0.0;
        heap.push(Entry {
            estimate: haversine_km(self.vertices[from as usize], target),
            vertex: from,
        });
        while let Some(Entry { estimate, vertex }) = heap.pop() {
            let v = vertex as usize;
            if vertex == to {
                break;
            }
            let h = haversine_km(self.vertices[v], target);
            if estimate > dist[v] + h + 1e-9 {
                continue; // stale heap entry
            }
            for e in self.first_edge[v] as usize..self.first_edge[v + 1] as usize {
                let passage = self.edge_passage[e];
                if passage != NO_PASSAGE && !open[passage as usize] {
                    continue;
                }
                let w = self.edge_target[e] as usize;
                let d = dist[v] + self.edge_km[e];
                if d < dist[w] {
                    dist[w] = d;
                    parent[w] = vertex;
                    parent_edge[w] = e as u32;
                    heap.push(Entry {
                        estimate: d + haversine_km(self.vertices[w], target),
                        vertex: w as u32,
                    });
                }
            }
        }
        if !dist[to as usize].is_finite() {
            return None;
        }
        let mut vertices = vec![to];
        let mut passages = Vec::new();
        let mut v = to;
        while v != from {
            let e = parent_edge[v as usize] as usize;
            let p = self.edge_passage[e];
            if p != NO_PASSAGE {
                let name = &self.passage_names[p as usize];
                if !passages.contains(name) {
                    passages.push(name.clone());
                }
            }
            v = parent[v as usize];
            vertices.push(v);
        }
        vertices.reverse();
        passages.reverse();
        Some(LanePath {
            points: vertices
                .iter()
                .map(|&v| self.vertices[v as usize])
                .collect(),
            length_km: dist[to as usize],
            passages,
        })
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

#[derive(Debug, PartialEq)]
struct Entry {
    estimate: f64,
    vertex: u32,
}

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on the estimate; ties broken by vertex for determinism.
        other
            .estimate
            .total_cmp(&self.estimate)
            .then_with(|| other.vertex.cmp(&self.vertex))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
