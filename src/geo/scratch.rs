//! Search buffers reused from search to search, shared by every search on the lane network
//! (A*, landmark distances, the hierarchy's build and queries). A search over ~100k vertices
//! that allocated and cleared its arrays each time would spend more on that than on the few
//! thousand vertices it settles, so the arrays live as long as a thread (or a hierarchy
//! build) and a generation stamp says which entries belong to the current search.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// No edge: the parent of a search's source.
pub(super) const NO_EDGE: u32 = u32::MAX;

/// Distances and parent edges of one search. Starting a search costs nothing proportional to
/// the network: entries stamped with an older generation read as unreached.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    generation: u32,
    stamp: Vec<u32>,
    distance: Vec<f64>,
    parent_edge: Vec<u32>,
    heap: BinaryHeap<Entry>,
}

impl Scratch {
    /// Starts a search over `vertex_count` vertices: grows the buffers if needed, forgets the
    /// last search.
    pub(super) fn start(&mut self, vertex_count: usize) {
        if self.stamp.len() < vertex_count {
            self.stamp.resize(vertex_count, 0);
            self.distance.resize(vertex_count, f64::INFINITY);
            self.parent_edge.resize(vertex_count, NO_EDGE);
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.fill(0);
            self.generation = 1;
        }
        self.heap.clear();
    }

    /// The tentative distance of `v`, infinite if this search has not reached it.
    pub(super) fn distance(&self, v: usize) -> f64 {
        if self.stamp[v] == self.generation {
            self.distance[v]
        } else {
            f64::INFINITY
        }
    }

    /// The edge `v` was last reached by; meaningful only for reached vertices.
    pub(super) fn parent_edge(&self, v: usize) -> u32 {
        self.parent_edge[v]
    }

    /// Records `v` as reached at `distance` by `via_edge` and queues it, ordered by
    /// `estimate` (the distance itself for Dijkstra, plus the remaining estimate for A*).
    pub(super) fn reach(&mut self, v: usize, distance: f64, estimate: f64, via_edge: u32) {
        self.stamp[v] = self.generation;
        self.distance[v] = distance;
        self.parent_edge[v] = via_edge;
        self.heap.push(Entry {
            estimate,
            distance,
            vertex: v as u32,
        });
    }

    /// The next queued vertex that is not stale (reached again, shorter, since it was
    /// queued), with its distance.
    pub(super) fn pop(&mut self) -> Option<(f64, usize)> {
        while let Some(Entry {
            distance, vertex, ..
        }) = self.heap.pop()
        {
            if distance <= self.distance(vertex as usize) {
                return Some((distance, vertex as usize));
            }
        }
        None
    }

    /// The distance of the next queued entry (possibly stale, so a lower bound on what `pop`
    /// returns), infinite when the queue is empty.
    pub(super) fn next_distance(&self) -> f64 {
        self.heap.peek().map_or(f64::INFINITY, |e| e.distance)
    }
}

/// A queued vertex, ordered for a min-heap on `estimate` (the distance itself for Dijkstra,
/// distance plus remaining estimate for A*), ties broken by vertex for determinism.
#[derive(Debug, PartialEq)]
struct Entry {
    estimate: f64,
    distance: f64,
    vertex: u32,
}

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
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
