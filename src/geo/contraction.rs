//! A contraction hierarchy over a lane network that stays exact whatever set of passages a
//! query closes, so that one hierarchy, built once at start-up, serves every request.
//!
//! Why it stays exact: every hierarchy edge carries the bitmask of the passages it crosses,
//! and a query ignores the edges whose mask meets its closed set. Contracting a vertex `w`
//! leaves out a shortcut `u-w-v` only when a witness path `u -> v` avoiding `w`, no longer
//! than the shortcut and crossing no passage at all, exists among the vertices not yet
//! contracted (or when a parallel edge as short that crosses a subset of its passages does).
//! Such a witness is open under every closed set, so for any closed set C the hierarchy minus
//! the edges meeting C is a valid hierarchy of the network minus C's edges, and the usual
//! upward-upward bidirectional Dijkstra finds its shortest paths. The price is more shortcuts
//! where passages are (their witnesses may not use them); away from them it is an ordinary
//! hierarchy. The network is undirected, so one upward adjacency serves both search
//! directions.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::mem::size_of;

use super::landmarks::Adjacency;
use super::scratch::{Scratch, NO_EDGE};

/// A witness search gives up after settling this many vertices, and the shortcut is kept:
/// a bound on build time that at worst adds a shortcut that was not needed.
const WITNESS_SETTLE_LIMIT: usize = 200;

/// The same bound when a contraction is only simulated to rank a vertex: a rougher count
/// ranks about as well (on marnet, 1% more shortcuts, same query times) and the build
/// runs most of its witness searches for ranking.
const RANKING_SETTLE_LIMIT: usize = 20;

/// How a hierarchy edge maps back onto the network.
#[derive(Debug, Clone, Copy)]
enum Via {
    /// A network edge: its index in the compressed rows going `ends[0] -> ends[1]` and
    /// going back.
    Network([u32; 2]),
    /// A shortcut through `middle`: `children[0]` joins `ends[0]` to `middle`,
    /// `children[1]` joins `middle` to `ends[1]`.
    Shortcut { middle: u32, children: [u32; 2] },
}

/// An undirected hierarchy edge.
#[derive(Debug, Clone)]
struct HierarchyEdge {
    ends: [u32; 2],
    km: f64,
    /// Bit i set: the edge crosses passage i.
    mask: u64,
    via: Via,
}

impl HierarchyEdge {
    fn other_end(&self, v: u32) -> u32 {
        if self.ends[0] == v {
            self.ends[1]
        } else {
            self.ends[0]
        }
    }

    /// Whether the edge runs between `u` and `v` (either way round).
    fn joins(&self, u: u32, v: u32) -> bool {
        self.ends == [u, v] || self.ends == [v, u]
    }

    /// Whether `self` makes `other` (between the same ends) useless: no longer, and open
    /// whenever `other` is.
    fn dominates(&self, other: &HierarchyEdge) -> bool {
        self.km <= other.km && self.mask & !other.mask == 0
    }
}

/// A hierarchy edge seen from its lower-ranked end.
#[derive(Debug, Clone, Copy)]
struct UpwardArc {
    km: f64,
    mask: u64,
    target: u32,
    edge: u32,
}

/// The hierarchy: the upward arcs of each vertex as compressed rows, and every hierarchy edge
/// for unpacking shortcuts into network edges.
#[derive(Debug, Clone)]
pub(super) struct Hierarchy {
    first_arc: Vec<u32>,
    arcs: Vec<UpwardArc>,
    edges: Vec<HierarchyEdge>,
}

/// What a hierarchy adds to its network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HierarchySize {
    /// Shortcut edges among the upward arcs.
    pub shortcuts: usize,
    /// Memory held by the hierarchy, in bytes.
    pub bytes: usize,
}

impl Hierarchy {
    /// Contracts the network whose edge `e` crosses the passages `edge_mask[e]`. `None` when
    /// some edge has no reverse twin (same length and mask the other way): the hierarchy
    /// relies on the network being undirected.
    pub(super) fn build(graph: &Adjacency, edge_mask: &[u64]) -> Option<Self> {
        let n = graph.vertex_count();
        let mut contraction = Contraction {
            edges: Vec::new(),
            adjacency: vec![Vec::new(); n],
            witness: Scratch::default(),
        };
        let mut twinned = vec![false; graph.edge_target.len()];
        for v in 0..n {
            for e in graph.first_edge[v] as usize..graph.first_edge[v + 1] as usize {
                let t = graph.edge_target[e] as usize;
                if twinned[e] || t == v {
                    continue;
                }
                let twin = (graph.first_edge[t] as usize..graph.first_edge[t + 1] as usize).find(
                    |&r| {
                        !twinned[r]
                            && graph.edge_target[r] as usize == v
                            && graph.edge_km[r] == graph.edge_km[e]
                            && edge_mask[r] == edge_mask[e]
                    },
                )?;
                twinned[e] = true;
                twinned[twin] = true;
                contraction.insert(HierarchyEdge {
                    ends: [v as u32, t as u32],
                    km: graph.edge_km[e],
                    mask: edge_mask[e],
                    via: Via::Network([e as u32, twin as u32]),
                });
            }
        }
        let upward = contraction.contract_all();
        let mut first_arc = Vec::with_capacity(n + 1);
        let mut arcs = Vec::with_capacity(upward.iter().map(Vec::len).sum());
        first_arc.push(0);
        for (v, edges) in upward.iter().enumerate() {
            arcs.extend(edges.iter().map(|&e| {
                let edge = &contraction.edges[e as usize];
                UpwardArc {
                    km: edge.km,
                    mask: edge.mask,
                    target: edge.other_end(v as u32),
                    edge: e,
                }
            }));
            first_arc.push(arcs.len() as u32);
        }
        let mut edges = contraction.edges;
        edges.shrink_to_fit();
        Some(Hierarchy {
            first_arc,
            arcs,
            edges,
        })
    }

    pub(super) fn size(&self) -> HierarchySize {
        HierarchySize {
            shortcuts: self
                .arcs
                .iter()
                .filter(|a| matches!(self.edges[a.edge as usize].via, Via::Shortcut { .. }))
                .count(),
            bytes: self.first_arc.capacity() * size_of::<u32>()
                + self.arcs.capacity() * size_of::<UpwardArc>()
                + self.edges.capacity() * size_of::<HierarchyEdge>(),
        }
    }

    fn vertex_count(&self) -> usize {
        self.first_arc.len().saturating_sub(1)
    }

    fn upward_arcs(&self, v: usize) -> &[UpwardArc] {
        &self.arcs[self.first_arc[v] as usize..self.first_arc[v + 1] as usize]
    }

    /// The network edges (indices into the compressed rows), in path order, of a shortest
    /// path from `from` to `to` that crosses no passage in `closed`; `None` if there is none.
    pub(super) fn shortest_route(&self, from: u32, to: u32, closed: u64) -> Option<Vec<u32>> {
        if from as usize >= self.vertex_count() || to as usize >= self.vertex_count() {
            return None;
        }
        BUFFERS.with_borrow_mut(|[forward, backward]| {
            let meeting = self.meet(forward, backward, from, to, closed)?;
            Some(self.unpack(forward, backward, meeting))
        })
    }

    /// Bidirectional upward Dijkstra with stall-on-demand; returns the vertex where the
    /// shortest path peaks, with the parents of both halves left in the buffers.
    fn meet(
        &self,
        forward: &mut Scratch,
        backward: &mut Scratch,
        from: u32,
        to: u32,
        closed: u64,
    ) -> Option<u32> {
        let n = self.vertex_count();
        forward.start(n);
        backward.start(n);
        forward.reach(from as usize, 0.0, 0.0, NO_EDGE);
        backward.reach(to as usize, 0.0, 0.0, NO_EDGE);
        let mut best = f64::INFINITY;
        let mut meeting = None;
        loop {
            let (next_forward, next_backward) = (forward.next_distance(), backward.next_distance());
            // Neither side can still reach a peak shorter than the best one found.
            if next_forward.min(next_backward) >= best {
                break;
            }
            let (side, other) = if next_forward <= next_backward {
                (&mut *forward, &*backward)
            } else {
                (&mut *backward, &*forward)
            };
            let Some((distance, v)) = side.pop() else {
                continue; // only stale entries were left on this side
            };
            let through = distance + other.distance(v);
            if through < best {
                best = through;
                meeting = Some(v as u32);
            }
            let arcs = self.upward_arcs(v);
            let open = |a: &&UpwardArc| a.mask & closed == 0;
            // Stall-on-demand: a higher vertex that reaches `v` shorter (going down) shows
            // that `v` is not on a shortest upward path, so its arcs need not be relaxed.
            if arcs
                .iter()
                .filter(open)
                .any(|a| side.distance(a.target as usize) + a.km < distance)
            {
                continue;
            }
            for a in arcs.iter().filter(open) {
                let d = distance + a.km;
                if d < side.distance(a.target as usize) {
                    side.reach(a.target as usize, d, d, a.edge);
                }
            }
        }
        meeting
    }

    /// The network edges from the source of `forward` to the source of `backward` through
    /// `meeting`, shortcuts expanded.
    fn unpack(&self, forward: &Scratch, backward: &Scratch, meeting: u32) -> Vec<u32> {
        // Hierarchy edges still to expand, each with the vertex it is entered from, the next
        // one on top: the backward half from the target's end, then the forward half.
        let mut pending: Vec<(u32, u32)> = self.walk_back(backward, meeting);
        pending.reverse();
        pending.extend(
            self.walk_back(forward, meeting)
                .into_iter()
                .map(|(e, nearer)| (e, self.edges[e as usize].other_end(nearer))),
        );
        let mut route = Vec::new();
        while let Some((e, entered_from)) = pending.pop() {
            let edge = &self.edges[e as usize];
            let along = edge.ends[0] == entered_from;
            match edge.via {
                Via::Network([there, back]) => route.push(if along { there } else { back }),
                Via::Shortcut { middle, children } => {
                    if along {
                        pending.push((children[1], middle));
                        pending.push((children[0], entered_from));
                    } else {
                        pending.push((children[0], middle));
                        pending.push((children[1], entered_from));
                    }
                }
            }
        }
        route
    }

    /// The hierarchy edges of the search tree of `search` from `v` back to its source, each
    /// with its end nearer `v`.
    fn walk_back(&self, search: &Scratch, mut v: u32) -> Vec<(u32, u32)> {
        let mut walk = Vec::new();
        loop {
            let e = search.parent_edge(v as usize);
            if e == NO_EDGE {
                return walk;
            }
            walk.push((e, v));
            v = self.edges[e as usize].other_end(v);
        }
    }
}

thread_local! {
    /// Forward and backward search buffers per thread, sized to the largest network queried.
    static BUFFERS: RefCell<[Scratch; 2]> = RefCell::new(Default::default());
}

/// The state of a build: the hierarchy edges so far and, per vertex not yet contracted, its
/// edges to the other such vertices.
struct Contraction {
    edges: Vec<HierarchyEdge>,
    adjacency: Vec<Vec<u32>>,
    witness: Scratch,
}

impl Contraction {
    /// Adds an edge between two uncontracted vertices unless a parallel edge dominates it;
    /// parallel edges it dominates leave the adjacency (they stay as children of shortcuts).
    fn insert(&mut self, edge: HierarchyEdge) {
        if self.is_dominated(&edge) {
            return;
        }
        let [u, v] = edge.ends;
        let edges = &self.edges;
        let dominated = |&f: &u32| {
            let f = &edges[f as usize];
            f.joins(u, v) && edge.dominates(f)
        };
        self.adjacency[u as usize].retain(|f| !dominated(f));
        self.adjacency[v as usize].retain(|f| !dominated(f));
        let id = self.edges.len() as u32;
        self.edges.push(edge);
        self.adjacency[u as usize].push(id);
        self.adjacency[v as usize].push(id);
    }

    /// Whether an edge already joining the ends of `edge` dominates it.
    fn is_dominated(&self, edge: &HierarchyEdge) -> bool {
        let [u, v] = edge.ends;
        self.adjacency[u as usize].iter().any(|&f| {
            let f = &self.edges[f as usize];
            f.joins(u, v) && f.dominates(edge)
        })
    }

    /// Contracts every vertex, least important first: by edge difference plus contracted
    /// neighbours, re-evaluated when the vertex comes up and queued again if it got worse
    /// than the next one. Neighbours are not re-evaluated after each contraction: on marnet
    /// that made the build nine times slower for no faster query. Returns, per vertex, its
    /// edges to vertices contracted after it: its upward edges.
    fn contract_all(&mut self) -> Vec<Vec<u32>> {
        let n = self.adjacency.len();
        let mut contracted_neighbours = vec![0i64; n];
        let mut queue: BinaryHeap<Reverse<(i64, u32)>> = (0..n)
            .map(|w| Reverse((self.edge_difference(w), w as u32)))
            .collect();
        let mut upward = vec![Vec::new(); n];
        while let Some(Reverse((_, w))) = queue.pop() {
            let w = w as usize;
            let priority = self.edge_difference(w) + contracted_neighbours[w];
            if queue
                .peek()
                .is_some_and(|Reverse((next, _))| priority > *next)
            {
                queue.push(Reverse((priority, w as u32)));
                continue;
            }
            let shortcuts = self.shortcuts(w, WITNESS_SETTLE_LIMIT);
            let incident = std::mem::take(&mut self.adjacency[w]);
            let mut neighbours: Vec<usize> = incident
                .iter()
                .map(|&e| self.edges[e as usize].other_end(w as u32) as usize)
                .collect();
            for (&e, &x) in incident.iter().zip(&neighbours) {
                self.adjacency[x].retain(|&f| f != e);
            }
            for shortcut in shortcuts {
                self.insert(shortcut);
            }
            upward[w] = incident;
            neighbours.sort_unstable();
            neighbours.dedup();
            for x in neighbours {
                contracted_neighbours[x] += 1;
            }
        }
        upward
    }

    /// Shortcuts contracting `w` would add, less the edges it would remove, estimated with
    /// the ranking bound on witness searches.
    fn edge_difference(&mut self, w: usize) -> i64 {
        self.shortcuts(w, RANKING_SETTLE_LIMIT).len() as i64 - self.adjacency[w].len() as i64
    }

    /// The shortcuts needed to contract `w`: one per pair of its edges to distinct
    /// neighbours `u`, `v`, unless a passage-free witness (found within `settle_limit`) or a
    /// dominating parallel edge makes it unnecessary.
    fn shortcuts(&mut self, w: usize, settle_limit: usize) -> Vec<HierarchyEdge> {
        let incident = self.adjacency[w].clone();
        let mut shortcuts = Vec::new();
        for (i, &first) in incident.iter().enumerate() {
            let first_edge = &self.edges[first as usize];
            let u = first_edge.other_end(w as u32);
            let (first_km, first_mask) = (first_edge.km, first_edge.mask);
            let later = &incident[i + 1..];
            let bound = later
                .iter()
                .map(|&e| &self.edges[e as usize])
                .filter(|e| e.other_end(w as u32) != u)
                .map(|e| first_km + e.km)
                .fold(f64::NEG_INFINITY, f64::max);
            if bound == f64::NEG_INFINITY {
                continue; // no pair with a distinct neighbour
            }
            self.search_witnesses(u as usize, w, bound, settle_limit);
            for &second in later {
                let second_edge = &self.edges[second as usize];
                let v = second_edge.other_end(w as u32);
                let km = first_km + second_edge.km;
                if v == u || self.witness.distance(v as usize) <= km {
                    continue;
                }
                let shortcut = HierarchyEdge {
                    ends: [u, v],
                    km,
                    mask: first_mask | second_edge.mask,
                    via: Via::Shortcut {
                        middle: w as u32,
                        children: [first, second],
                    },
                };
                if !self.is_dominated(&shortcut) {
                    shortcuts.push(shortcut);
                }
            }
        }
        shortcuts
    }

    /// Dijkstra from `source` over passage-free edges between uncontracted vertices other
    /// than `avoid`, up to `bound` km or `settle_limit` settled vertices. Any distance it
    /// leaves in `self.witness` is the length of a real passage-free path.
    fn search_witnesses(&mut self, source: usize, avoid: usize, bound: f64, settle_limit: usize) {
        let search = &mut self.witness;
        search.start(self.adjacency.len());
        search.reach(source, 0.0, 0.0, NO_EDGE);
        let mut settled = 0;
        while let Some((distance, v)) = search.pop() {
            if distance > bound || settled == settle_limit {
                break;
            }
            settled += 1;
            for &e in &self.adjacency[v] {
                let edge = &self.edges[e as usize];
                let x = edge.other_end(v as u32) as usize;
                let d = distance + edge.km;
                if edge.mask == 0 && x != avoid && d <= bound && d < search.distance(x) {
                    search.reach(x, d, d, e);
                }
            }
        }
    }
}
