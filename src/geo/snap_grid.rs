//! A uniform latitude/longitude grid over a layer's vertices, so that snapping a point to its
//! nearest vertex looks at the few cells around it instead of every vertex (the real marnet
//! has ~9.7k vertices, the Eurasian railways ~106k, and every query snaps two points).

use crate::model::LatLon;

/// Cell side in degrees. One degree keeps the whole-world grid at 64,800 cells (260 KB of
/// offsets) while a coastal port usually finds its vertex in the first ring or two.
const CELL_DEG: f64 = 1.0;
const ROWS: usize = (180.0 / CELL_DEG) as usize;
const COLS: usize = (360.0 / CELL_DEG) as usize;

/// Vertex indices bucketed by cell, stored as compressed rows: the vertices of cell `c` are
/// `vertices[first[c]..first[c + 1]]`, each cell's list in increasing index order.
#[derive(Debug, Clone, Default)]
pub(super) struct SnapGrid {
    first: Vec<u32>,
    vertices: Vec<u32>,
}

fn row_of(lat: f64) -> usize {
    (((lat + 90.0) / CELL_DEG).floor().max(0.0) as usize).min(ROWS - 1)
}

/// Longitudes are expected in [-180, 180).
fn col_of(lon: f64) -> usize {
    (((lon + 180.0) / CELL_DEG).floor().max(0.0) as usize).min(COLS - 1)
}

/// The ranking distance of a snap: an equirectangular estimate at the query's latitude, in
/// squared degrees. Cheap, and close to the great circle at the scale of a snap.
fn rough_distance(p: LatLon, cos_lat: f64, v: LatLon) -> f64 {
    let mut dlon = (v.lon - p.lon).abs();
    if dlon > 180.0 {
        dlon = 360.0 - dlon;
    }
    let dx = dlon * cos_lat;
    let dy = v.lat - p.lat;
    dx * dx + dy * dy
}

impl SnapGrid {
    pub(super) fn build(points: &[LatLon]) -> Self {
        if points.is_empty() {
            return SnapGrid::default();
        }
        let cell = |p: &LatLon| row_of(p.lat) * COLS + col_of(p.lon);
        let mut first = vec![0u32; ROWS * COLS + 1];
        for p in points {
            first[cell(p) + 1] += 1;
        }
        for c in 0..ROWS * COLS {
            first[c + 1] += first[c];
        }
        let mut next = first.clone();
        let mut vertices = vec![0u32; points.len()];
        for (i, p) in points.iter().enumerate() {
            let c = cell(p);
            vertices[next[c] as usize] = i as u32;
            next[c] += 1;
        }
        SnapGrid { first, vertices }
    }

    /// The vertex of `points` nearest to `p` by the rough distance (ties to the lower index),
    /// or `None` when there are no points. Scans rings of cells outwards and stops once no
    /// unscanned cell can hold anything nearer.
    pub(super) fn nearest(&self, points: &[LatLon], p: LatLon) -> Option<u32> {
        if self.vertices.is_empty() {
            return None;
        }
        let cos_lat = p.lat.to_radians().cos();
        let (row, col) = (row_of(p.lat), col_of(p.lon));
        let mut best: Option<(f64, u32)> = None;
        let consider = |cell: usize, best: &mut Option<(f64, u32)>| {
            let range = self.first[cell] as usize..self.first[cell + 1] as usize;
            for &v in &self.vertices[range] {
                let d = rough_distance(p, cos_lat, points[v as usize]);
                if best.is_none_or(|(bd, bv)| d < bd || (d == bd && v < bv)) {
                    *best = Some((d, v));
                }
            }
        };
        let max_ring = ROWS.max(COLS / 2);
        for ring in 0..=max_ring {
            let ring_i = ring as isize;
            for dr in -ring_i..=ring_i {
                let r = row as isize + dr;
                if r < 0 || r >= ROWS as isize {
                    continue;
                }
                // Whole rows at the ring's top and bottom, only the two ends in between.
                let edge_row = dr.abs() == ring_i;
                let step = if edge_row || ring == 0 { 1 } else { 2 * ring_i };
                let mut dc = -ring_i;
                while dc <= ring_i {
                    // Columns wrap around the antimeridian; skip a column met twice when the
                    // ring is wider than the world.
                    if 2 * ring < COLS || (dc > -(COLS as isize) / 2 && dc <= (COLS as isize) / 2) {
                        let c = (col as isize + dc).rem_euclid(COLS as isize) as usize;
                        consider(r as usize * COLS + c, &mut best);
                    }
                    dc += step;
                }
            }
            // Anything not yet scanned is more than `ring` cells away in latitude or in
            // longitude, so at least this far by the rough distance.
            let reach = ring as f64 * CELL_DEG * cos_lat.min(1.0);
            if let Some((d, _)) = best {
                if d <= reach * reach {
                    break;
                }
            }
        }
        best.map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn linear_nearest(points: &[LatLon], p: LatLon) -> Option<u32> {
        let cos_lat = p.lat.to_radians().cos();
        points
            .iter()
            .enumerate()
            .min_by(|a, b| {
                rough_distance(p, cos_lat, *a.1).total_cmp(&rough_distance(p, cos_lat, *b.1))
            })
            .map(|(i, _)| i as u32)
    }

    fn point() -> impl Strategy<Value = LatLon> {
        (-89.9f64..89.9, -180.0f64..180.0).prop_map(|(lat, lon)| LatLon::new(lat, lon))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The grid finds exactly what scanning every vertex finds, over the whole globe
        /// (antimeridian and high latitudes included) and for clustered vertex sets.
        #[test]
        fn grid_matches_a_linear_scan(
            points in prop::collection::vec(point(), 1..200),
            clustered in prop::collection::vec((-2.0f64..2.0, -2.0f64..2.0), 0..50),
            queries in prop::collection::vec(point(), 1..20),
        ) {
            let mut points = points;
            // A cluster near the antimeridian and the query's own neighbourhood.
            points.extend(clustered.iter().map(|&(a, b)| {
                LatLon::new(60.0 + a, (179.0 + b + 180.0).rem_euclid(360.0) - 180.0)
            }));
            let grid = SnapGrid::build(&points);
            for q in queries {
                prop_assert_eq!(grid.nearest(&points, q), linear_nearest(&points, q));
            }
        }
    }

    #[test]
    fn empty_grid_has_no_nearest() {
        assert_eq!(
            SnapGrid::build(&[]).nearest(&[], LatLon::new(0.0, 0.0)),
            None
        );
    }
}
