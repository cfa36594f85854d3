//! Landmark lower bounds (the "ALT" in A*, Landmarks, Triangle inequality): exact network
//! distances from a few far-apart vertices give, by the triangle inequality, a lower bound on
//! the distance between any two vertices that is far tighter than the great circle when the
//! water path has to go round a continent (Dalian -> Rotterdam: 8,000 km as the crow flies,
//! 20,000 km by sea), so A* settles a fraction of the vertices.
//!
//! The distances are taken with every passage open. Closing passages only lengthens paths,
//! so the bounds stay admissible whatever a query closes; they are just looser then.

use super::scratch::{Scratch, NO_EDGE};

/// How many landmarks: each costs one Dijkstra at build time, eight bytes per vertex, and a
/// lookup per relaxed edge.
const LANDMARK_COUNT: usize = 8;

/// Network distances from each landmark, stored vertex-major (`distance[v * count + i]`) so
/// that the bounds of one vertex sit in one cache line.
#[derive(Debug, Clone, Default)]
pub(super) struct Landmarks {
    count: usize,
    distance: Vec<f64>,
}

/// The adjacency the landmarks are computed on: the lane network's compressed rows.
pub(super) struct Adjacency<'a> {
    pub first_edge: &'a [u32],
    pub edge_target: &'a [u32],
    pub edge_km: &'a [f64],
}

impl Adjacency<'_> {
    pub(super) fn vertex_count(&self) -> usize {
        self.first_edge.len().saturating_sub(1)
    }

    /// Single-source distances to every vertex (infinite where unreachable).
    fn distances_from(&self, source: usize) -> Vec<f64> {
        let mut search = Scratch::default();
        search.start(self.vertex_count());
        search.reach(source, 0.0, 0.0, NO_EDGE);
        while let Some((d, v)) = search.pop() {
            for e in self.first_edge[v] as usize..self.first_edge[v + 1] as usize {
                let w = self.edge_target[e] as usize;
                let dw = d + self.edge_km[e];
                if dw < search.distance(w) {
                    search.reach(w, dw, dw, e as u32);
                }
            }
        }
        (0..self.vertex_count())
            .map(|v| search.distance(v))
            .collect()
    }
}

impl Landmarks {
    /// Picks landmarks by farthest-point selection: the first is the vertex farthest from
    /// vertex 0, each next one the vertex farthest from all chosen so far (within reach of
    /// them), which spreads them to the network's extremities where the bounds are tightest.
    pub(super) fn build(graph: &Adjacency) -> Self {
        let n = graph.vertex_count();
        if n == 0 {
            return Landmarks::default();
        }
        let farthest = |nearest: &[f64]| {
            (0..n)
                .filter(|&v| nearest[v].is_finite())
                .max_by(|&a, &b| nearest[a].total_cmp(&nearest[b]))
                .unwrap_or(0)
        };
        let mut nearest = graph.distances_from(0);
        let mut chosen = Vec::new();
        let mut distance = vec![0.0; n * LANDMARK_COUNT];
        for i in 0..LANDMARK_COUNT.min(n) {
            let landmark = farthest(&nearest);
            if chosen.contains(&landmark) {
                break; // a network with fewer distinct extremities than landmarks
            }
            let from_landmark = graph.distances_from(landmark);
            for v in 0..n {
                distance[v * LANDMARK_COUNT + i] = from_landmark[v];
                nearest[v] = if i == 0 {
                    from_landmark[v]
                } else {
                    nearest[v].min(from_landmark[v])
                };
            }
            chosen.push(landmark);
        }
        let count = chosen.len();
        let distance = (0..n)
            .flat_map(|v| distance[v * LANDMARK_COUNT..v * LANDMARK_COUNT + count].to_vec())
            .collect();
        Landmarks { count, distance }
    }

    /// The distances of `v` from each landmark.
    pub(super) fn of(&self, v: usize) -> &[f64] {
        &self.distance[v * self.count..(v + 1) * self.count]
    }

    /// A lower bound on the network distance between `v` and the target whose landmark
    /// distances are `target`. Landmarks that reach only one of the two say nothing.
    pub(super) fn lower_bound(&self, v: usize, target: &[f64]) -> f64 {
        let mut bound = 0.0f64;
        for (&dv, &dt) in self.of(v).iter().zip(target) {
            let gap = (dt - dv).abs();
            if gap.is_finite() {
                bound = bound.max(gap);
            }
        }
        bound
    }
}
