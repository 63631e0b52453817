//! The AS-path graph: layers by distance from the origin (origin = layer 0, on the right when
//! drawn). The layout is computed once from every path full-table peers used in the window, so
//! nodes keep their place while the moment changes; `at` then weighs edges at one moment, and
//! `evidence` says which peers use an edge or node then, and since when. The layout also keeps
//! what makes those answers cheap at any moment (the cursor moves often): the weights at
//! checkpoints with every change between them, and each prefix's updates with snapshots.

use super::pace::{tick, unpaced, Pace, Unpaced};

use rustc_hash::FxHashMap;

use crate::model::{Asn, UtcTime};

use super::input::CompactEvent;
use super::{Input, PeerSet};

#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    /// None for the node that folds the long tail of a layer.
    pub asn: Option<Asn>,
    pub name: Option<String>,
    /// ASes folded into this node (0 for a real AS).
    pub folded: usize,
    pub layer: usize,
    /// Position within the layer, 0 = top.
    pub slot: usize,
    /// The upstream most of its routes go through, for colouring.
    pub group: Option<Asn>,
}

impl GraphNode {
    pub fn label(&self) -> String {
        match self.asn {
            Some(a) => a.to_string(),
            None => format!("{} more ASes", self.folded),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphEdge {
    pub from: usize,
    pub to: usize,
    pub upstream: Option<Asn>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GraphLayout {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    pub layers: usize,
    /// Slots used in the fullest layer.
    pub max_slots: usize,
    /// Edge indexes every path crosses (indexed like `Input::paths`).
    pub path_edges: Vec<Vec<usize>>,
    /// The edge weights over the window, for `at`.
    weights: Weights,
    /// Each prefix's updates, for `prefix_edges`.
    by_prefix: ByPrefix,
}

/// Edge weights at one moment: distinct full-table peers whose route uses each edge.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphAt {
    pub time: UtcTime,
    pub edge_peers: Vec<u32>,
    pub routes: usize,
    pub peers_with_route: usize,
    /// Edges the selected prefix's routes use (filled by the view; empty without one).
    pub selected: Vec<bool>,
}

/// `layout_paced` run through, counting the path uses itself: for tests that build an input by
/// hand (`Analysis::layout` reuses the analysis's count).
#[cfg(test)]
pub fn layout(input: &Input, peers: &PeerSet, max_per_layer: usize) -> GraphLayout {
    let uses = unpaced(super::replay::path_uses(input, peers, &mut Unpaced));
    unpaced(layout_paced(
        input,
        peers,
        &uses,
        max_per_layer,
        &mut Unpaced,
    ))
}

/// `layout`, pausing as `pace` asks (its timelines take one pass over the events each);
/// `use_count` from [`super::replay::path_uses`], shared with the ranking of upstreams.
pub async fn layout_paced<P: Pace>(
    input: &Input,
    peers: &PeerSet,
    use_count: &[u32],
    max_per_layer: usize,
    pace: &mut P,
) -> Result<GraphLayout, P::Stop> {
    let max_per_layer = max_per_layer.max(1);
    let mut count = 0;
    // Layer of an AS = its smallest distance to an origin; weight per upstream for grouping.
    let mut layer_of: FxHashMap<Asn, usize> = FxHashMap::default();
    // An AS's few upstreams in a list: no B-tree's code in the wasm for this alone.
    let mut weight: FxHashMap<Asn, Vec<(Option<Asn>, u64)>> = FxHashMap::default();
    for (pi, path) in input.paths.iter().enumerate() {
        // A large entity has hundreds of thousands of paths.
        tick!(pace, count, path.hops.len());
        let w = u64::from(use_count.get(pi).copied().unwrap_or(0));
        if w == 0 {
            continue;
        }
        for (d, asn) in path.hops.iter().rev().enumerate() {
            let l = layer_of.entry(*asn).or_insert(d);
            *l = (*l).min(d);
            let ups = weight.entry(*asn).or_default();
            match ups.iter_mut().find(|(u, _)| *u == path.upstream) {
                Some((_, sum)) => *sum += w,
                None => ups.push((path.upstream, w)),
            }
        }
    }
    let total = |a: &Asn| {
        weight
            .get(a)
            .map_or(0, |m| m.iter().map(|(_, w)| w).sum::<u64>())
    };
    // The heaviest upstream; of equal ones, the greatest.
    let group = |a: &Asn| {
        weight
            .get(a)
            .and_then(|m| m.iter().max_by_key(|(g, w)| (*w, *g)).map(|(g, _)| *g))
            .flatten()
    };
    let layers = layer_of.values().max().map_or(0, |m| m + 1);
    let mut nodes: Vec<GraphNode> = Vec::new();
    let mut node_of: FxHashMap<Asn, usize> = FxHashMap::default();
    let mut max_slots = 0;
    for layer in 0..layers {
        let mut in_layer: Vec<Asn> = layer_of
            .iter()
            .filter(|(_, l)| **l == layer)
            .map(|(a, _)| *a)
            .collect();
        // Group by upstream so each link's paths stay together, heaviest first within a group.
        crate::analysis::order::sort_by_key(&mut in_layer, |a| {
            (group(a), std::cmp::Reverse(total(a)), *a)
        });
        let keep = if in_layer.len() > max_per_layer {
            max_per_layer - 1
        } else {
            in_layer.len()
        };
        let mut kept: Vec<Asn> = in_layer.iter().copied().take(keep).collect();
        crate::analysis::order::sort_by_key(&mut kept, |a| {
            (group(a), std::cmp::Reverse(total(a)), *a)
        });
        for (slot, a) in kept.iter().enumerate() {
            node_of.insert(*a, nodes.len());
            nodes.push(GraphNode {
                asn: Some(*a),
                name: input.as_names.get(a).cloned(),
                folded: 0,
                layer,
                slot,
                group: group(a),
            });
        }
        let rest = &in_layer[keep.min(in_layer.len())..];
        if !rest.is_empty() {
            let fold = nodes.len();
            nodes.push(GraphNode {
                asn: None,
                name: None,
                folded: rest.len(),
                layer,
                slot: kept.len(),
                group: None,
            });
            for a in rest {
                node_of.insert(*a, fold);
            }
        }
        max_slots = max_slots.max(kept.len() + usize::from(!rest.is_empty()));
    }
    let mut edge_of: FxHashMap<(usize, usize, Option<Asn>), usize> = FxHashMap::default();
    let mut edges = Vec::new();
    let mut path_edges: Vec<Vec<usize>> = Vec::with_capacity(input.paths.len());
    for path in &input.paths {
        tick!(pace, count, path.hops.len());
        let mut list = Vec::new();
        for pair in path.hops.windows(2) {
            let (Some(a), Some(b)) = (pair.first(), pair.get(1)) else {
                continue;
            };
            let (Some(&from), Some(&to)) = (node_of.get(a), node_of.get(b)) else {
                continue;
            };
            if from == to {
                continue;
            }
            let key = (from, to, path.upstream);
            let idx = *edge_of.entry(key).or_insert_with(|| {
                edges.push(GraphEdge {
                    from,
                    to,
                    upstream: path.upstream,
                });
                edges.len() - 1
            });
            if !list.contains(&idx) {
                list.push(idx);
            }
        }
        path_edges.push(list);
    }
    // A checkpoint costs `edges + 2` slots: at most one slot per event in all.
    let every = CHECKPOINT_EVERY.max(edges.len() + 2);
    let (by_prefix, prev) = ByPrefix::build(input, peers, pace).await?;
    let weights =
        Weights::build(input, peers, &prev, &path_edges, edges.len(), every, pace).await?;
    Ok(GraphLayout {
        nodes,
        edges,
        layers,
        max_slots,
        path_edges,
        weights,
        by_prefix,
    })
}

/// Weighs every edge at `t` by the distinct full-table peers using it: the nearest checkpoint
/// of the layout's weight timeline moved to `t`, so the cost does not grow with the window.
pub fn at(layout: &GraphLayout, input: &Input, t: UtcTime) -> GraphAt {
    // Events are sorted by time (`Input::from_bgplay`): the moment holds those up to `t`.
    let n = input.events.partition_point(|e| e.time <= t);
    let slots = layout.weights.slots_after(n);
    let ne = layout.edges.len();
    GraphAt {
        time: t,
        edge_peers: slots.get(..ne).map(<[u32]>::to_vec).unwrap_or_default(),
        routes: slots.get(ne).map_or(0, |r| *r as usize),
        peers_with_route: slots.get(ne + 1).map_or(0, |p| *p as usize),
        selected: Vec::new(),
    }
}

/// No route before an update (in `ByPrefix::build`'s `prev`).
const NO_PATH: u32 = u32::MAX;

/// Checkpoints of the weights every this many events (at least): a moment replays at most half
/// of them, a few thousand weight changes, however long the window.
const CHECKPOINT_EVERY: usize = 4096;
/// Above this many (source, edge) cells the pass counts uses in a map, not a table.
const DENSE_USES: usize = 1 << 22;

/// The graph's weights over the whole window without the route table: slots (one per edge,
/// then the number of routes, then the peers with a route) at checkpoints, and every change of
/// a slot in between, so any moment is a checkpoint moved forwards or backwards.
#[derive(Debug, Clone, PartialEq, Default)]
struct Weights {
    /// Slots per checkpoint: edges + 2.
    width: usize,
    /// Events between checkpoints.
    every: usize,
    /// The slots after `Input::initial` and `every`, `2 * every`, … events, back to back.
    checkpoints: Vec<u32>,
    /// Per checkpoint, the index of its first change in `changes`.
    first_change: Vec<usize>,
    /// Every change, in event order: the event's index, and `slot << 1 | 1 if a decrement`.
    changes: Vec<(u32, u32)>,
}

/// Routes of each full-table peer over each edge, during the one pass that builds `Weights`.
enum Uses {
    Dense(Vec<u32>),
    Sparse(FxHashMap<u64, u32>),
}

impl Uses {
    /// Adds one route of `source` over `edge` (or removes one) and tells whether the peer
    /// started or stopped using the edge.
    fn bump(&mut self, cell: u64, add: bool) -> bool {
        let c = match self {
            Uses::Dense(v) => match usize::try_from(cell).ok().and_then(|i| v.get_mut(i)) {
                Some(c) => c,
                None => return false,
            },
            Uses::Sparse(m) => m.entry(cell).or_insert(0),
        };
        if add {
            *c += 1;
            *c == 1
        } else {
            *c = c.saturating_sub(1);
            *c == 0
        }
    }
}

impl Weights {
    /// One replay of the window, recording what each event changes in the weights.
    /// `prev` is the path each update replaces (`NO_PATH`: none), from `ByPrefix::build`.
    async fn build<P: Pace>(
        input: &Input,
        peers: &PeerSet,
        prev: &[u32],
        path_edges: &[Vec<usize>],
        edges: usize,
        every: usize,
        pace: &mut P,
    ) -> Result<Weights, P::Stop> {
        let mut count = 0;
        let width = edges + 2;
        let (routes_slot, peers_slot) = (edges, edges + 1);
        let every = every.max(1);
        let ns = input.source_ids.len();
        let mut uses = match ns.checked_mul(edges) {
            Some(n) if n <= DENSE_USES => Uses::Dense(vec![0; n]),
            _ => Uses::Sparse(FxHashMap::default()),
        };
        let mut per_source = vec![0u32; ns];
        let mut w = Weights {
            width,
            every,
            ..Weights::default()
        };
        let mut now = vec![0u32; width];
        let mut changes: Vec<(u32, u32)> = Vec::new();
        let np = input.prefixes.len();
        for (i, e) in input.initial.iter().chain(&input.events).enumerate() {
            tick!(pace, count);
            // Index among `events` (the initial state comes before the first checkpoint).
            let at = i.checked_sub(input.initial.len());
            if at.is_some_and(|k| k % every == 0) {
                w.checkpoints.extend_from_slice(&now);
                w.first_change.push(changes.len());
            }
            let full = peers.full.get(e.source as usize).copied().unwrap_or(false);
            // The route table keeps nothing for an unknown prefix (never made by `from_bgplay`).
            if !full || e.prefix as usize >= np {
                continue;
            }
            let old = prev.get(i).copied().filter(|p| *p != NO_PATH);
            if old == e.path {
                continue;
            }
            let tag = at.and_then(|k| u32::try_from(k).ok());
            let mut change = |slot: usize, add: bool| {
                if let Some(v) = now.get_mut(slot) {
                    *v = if add {
                        v.wrapping_add(1)
                    } else {
                        v.wrapping_sub(1)
                    };
                }
                if let (Some(tag), Ok(slot)) = (tag, u32::try_from(slot)) {
                    changes.push((tag, slot << 1 | u32::from(!add)));
                }
            };
            // The new path first, then the old one: an edge on both never drops to zero.
            let s = e.source as usize;
            let base = s as u64 * edges as u64;
            for (path, add) in [(e.path, true), (old, false)] {
                let Some(path) = path else { continue };
                for edge in path_edges.get(path as usize).into_iter().flatten() {
                    if uses.bump(base + *edge as u64, add) {
                        change(*edge, add);
                    }
                }
                if let Some(c) = per_source.get_mut(s) {
                    *c = if add { *c + 1 } else { c.saturating_sub(1) };
                    if (add && *c == 1) || (!add && *c == 0) {
                        change(peers_slot, add);
                    }
                }
            }
            match (old.is_some(), e.path.is_some()) {
                (false, true) => change(routes_slot, true),
                (true, false) => change(routes_slot, false),
                _ => {}
            }
        }
        if w.first_change.is_empty() {
            w.checkpoints.extend_from_slice(&now);
            w.first_change.push(changes.len());
        }
        w.changes = changes;
        Ok(w)
    }

    /// The slots once the first `n` events are applied: the nearest checkpoint, moved.
    fn slots_after(&self, n: usize) -> Vec<u32> {
        let every = self.every.max(1);
        let last = self.first_change.len().saturating_sub(1);
        let c = ((n + every / 2) / every).min(last);
        let mut slots = self
            .checkpoints
            .get(c * self.width..(c + 1) * self.width)
            .map(<[u32]>::to_vec)
            .unwrap_or_default();
        let from = self.first_change.get(c).copied().unwrap_or(0);
        let mut apply = |code: u32, forwards: bool| {
            if let Some(v) = slots.get_mut((code >> 1) as usize) {
                // A decrement going forwards, or an increment undone.
                *v = if (code & 1 == 1) == forwards {
                    v.wrapping_sub(1)
                } else {
                    v.wrapping_add(1)
                };
            }
        };
        if n >= c * every {
            let later = self.changes.get(from..).unwrap_or(&[]);
            for (_, code) in later.iter().take_while(|(k, _)| (*k as usize) < n) {
                apply(*code, true);
            }
        } else {
            let earlier = self.changes.get(..from).unwrap_or(&[]);
            for (_, code) in earlier.iter().rev().take_while(|(k, _)| (*k as usize) >= n) {
                apply(*code, false);
            }
        }
        slots
    }

    /// Bytes the timeline keeps (for the benchmark).
    fn heap_bytes(&self) -> usize {
        self.checkpoints.len() * 4 + self.first_change.len() * 8 + self.changes.len() * 8
    }
}

impl GraphLayout {
    /// Bytes kept to answer any moment quickly (the weights' checkpoints and changes, and the
    /// updates' index and snapshots by prefix).
    pub fn timeline_bytes(&self) -> usize {
        self.weights.heap_bytes() + self.by_prefix.heap_bytes()
    }
}

/// What the evidence panel is about: an edge or a node of the layout, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Edge(usize),
    Node(usize),
}

/// One RIS peer routing over the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerUse {
    /// bgplay's source id, `<collector number>-<peer IP>`.
    pub source: String,
    pub asn: Asn,
    /// `rrc00`, …
    pub collector: String,
    /// Routes (prefixes) of the peer over the target.
    pub routes: usize,
    /// The earliest `since` among those routes.
    pub since: UtcTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub peers: Vec<PeerUse>,
    /// Distinct collectors, sorted.
    pub collectors: Vec<String>,
    /// The first and the last time a route now over the target took its path.
    pub since: Option<(UtcTime, UtcTime)>,
}

/// Which full-table peers route over `target` at `t`, and since when: a route's `since` is the
/// announcement that put the peer on its path (re-announcing the same path keeps it).
pub fn evidence(layout: &GraphLayout, input: &Input, target: Target, t: UtcTime) -> Evidence {
    unpaced(evidence_paced(layout, input, target, t, &mut Unpaced))
}

/// `evidence`, pausing as `pace` asks: on a node every route crosses, it rebuilds every
/// prefix's routes at `t` (tens of ms on thousands of prefixes).
pub async fn evidence_paced<P: Pace>(
    layout: &GraphLayout,
    input: &Input,
    target: Target,
    t: UtcTime,
    pace: &mut P,
) -> Result<Evidence, P::Stop> {
    let touches = |e: &usize| match target {
        Target::Edge(i) => *e == i,
        Target::Node(n) => layout
            .edges
            .get(*e)
            .is_some_and(|g| g.from == n || g.to == n),
    };
    // A large entity has hundreds of thousands of paths: this pass is paced too.
    let mut over: Vec<bool> = Vec::with_capacity(layout.path_edges.len());
    let mut count = 0;
    for es in &layout.path_edges {
        tick!(pace, count, es.len().max(1));
        over.push(es.iter().any(touches));
    }
    // Per source: routes over the target and the earliest since; then the latest since.
    let ns = input.source_ids.len();
    let mut per_source: Vec<(usize, UtcTime)> = vec![(0, UtcTime(i64::MAX)); ns];
    let mut last: Option<UtcTime> = None;
    let cutoff = input.initial.len() + input.events.partition_point(|e| e.time <= t);
    let mut scratch = Scratch::new(ns);
    for prefix in 0..input.prefixes.len() {
        // A prefix's cost is its snapshot and updates since: about one row of sources.
        tick!(pace, count, ns.max(1));
        layout.by_prefix.routes(
            input,
            prefix,
            cutoff,
            &mut scratch,
            |source, path, since| {
                if !over.get(path as usize).copied().unwrap_or(false) {
                    return;
                }
                if let Some((n, first)) = per_source.get_mut(source as usize) {
                    *n += 1;
                    *first = (*first).min(since);
                }
                last = last.max(Some(since));
            },
        );
    }
    let peers: Vec<PeerUse> = per_source
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| *n > 0)
        .map(|(s, (routes, since))| {
            let source = input.source_ids.get(s).cloned().unwrap_or_default();
            let collector = match source.split_once('-') {
                Some((n, _)) => format!("rrc{n}"),
                None => String::new(),
            };
            PeerUse {
                asn: input.source_asns.get(s).copied().unwrap_or(Asn(0)),
                source,
                collector,
                routes: *routes,
                since: *since,
            }
        })
        .collect();
    let named = collectors_of(&peers);
    let first = peers.iter().map(|p| p.since).min();
    Ok(Evidence {
        peers,
        collectors: named,
        since: first.zip(last),
    })
}

/// The collectors of `peers`, once each: RIS's numbered ones (rrc00–rrc26) in order, kept in a
/// table rather than sorted, then any other names as they come.
fn collectors_of(peers: &[PeerUse]) -> Vec<String> {
    let mut numbered = [false; 100];
    let mut others: Vec<String> = Vec::new();
    for p in peers {
        let n = p
            .collector
            .strip_prefix("rrc")
            .and_then(|n| n.parse::<usize>().ok());
        match n.and_then(|n| numbered.get_mut(n)) {
            Some(seen) => *seen = true,
            None if !others.contains(&p.collector) => others.push(p.collector.clone()),
            None => {}
        }
    }
    let mut named: Vec<String> = (0..numbered.len())
        .filter(|n| numbered.get(*n).copied().unwrap_or(false))
        .map(|n| format!("rrc{n:02}"))
        .collect();
    named.append(&mut others);
    named
}

/// The edges the routes for `prefix` (an index into `Input::prefixes`) use at `t`, flagged:
/// that prefix's routes only, not the whole table.
pub fn prefix_edges(layout: &GraphLayout, input: &Input, prefix: u32, t: UtcTime) -> Vec<bool> {
    let cutoff = input.initial.len() + input.events.partition_point(|e| e.time <= t);
    let mut used = vec![false; layout.edges.len()];
    let mut scratch = Scratch::new(input.source_ids.len());
    layout.by_prefix.routes(
        input,
        prefix as usize,
        cutoff,
        &mut scratch,
        |_, path, _| {
            for e in layout.path_edges.get(path as usize).into_iter().flatten() {
                if let Some(u) = used.get_mut(*e) {
                    *u = true;
                }
            }
        },
    );
    used
}

/// Full-table peers' updates grouped by prefix (indexes into `initial` then `events`), with
/// each prefix's routes every `every` of its updates, so one prefix's routes at any moment
/// cost at most `every` updates plus its routes, however long the window.
#[derive(Debug, Clone, PartialEq, Default)]
struct ByPrefix {
    /// Where each prefix's updates begin in `events`; one more entry closes the last.
    start: Vec<u32>,
    events: Vec<u32>,
    every: usize,
    /// Snapshots before each prefix's first one (snapshot `j` ≥ 1 of a prefix follows its
    /// `j * every` first updates); one more entry closes the last.
    first_snap: Vec<u32>,
    /// Where each snapshot begins in `snap_routes`; one more entry closes the last.
    snap_start: Vec<u32>,
    /// `(source, path, update that set its since)`.
    snap_routes: Vec<(u32, u32, u32)>,
}

/// A row of routes by source for one prefix, reused across prefixes.
struct Scratch {
    row: Vec<Option<(u32, u32)>>,
    touched: Vec<u32>,
}

impl Scratch {
    fn new(sources: usize) -> Scratch {
        Scratch {
            row: vec![None; sources],
            touched: Vec::new(),
        }
    }

    /// Applies update `i` (index into `initial` then `events`), as `routes_at` did: the same
    /// path again keeps its since.
    fn apply(&mut self, e: &CompactEvent, i: u32) {
        let Some(cell) = self.row.get_mut(e.source as usize) else {
            return;
        };
        if cell.is_none() {
            self.touched.push(e.source);
        }
        *cell = match (*cell, e.path) {
            (Some((old, since)), Some(p)) if old == p => Some((old, since)),
            (_, Some(p)) => Some((p, i)),
            (_, None) => None,
        };
    }
}

/// Update `i` of `initial` then `events`.
fn update(input: &Input, i: usize) -> Option<&CompactEvent> {
    match i.checked_sub(input.initial.len()) {
        Some(k) => input.events.get(k),
        None => input.initial.get(i),
    }
}

impl ByPrefix {
    /// The index, and the path each update replaces (by index into `initial` then `events`).
    async fn build<P: Pace>(
        input: &Input,
        peers: &PeerSet,
        pace: &mut P,
    ) -> Result<(ByPrefix, Vec<u32>), P::Stop> {
        // Snapshots hold at most one route per full peer: one every twice that many updates
        // keeps them within half the index, and a query within a few routes per peer.
        let full = peers.full.iter().filter(|f| **f).count();
        ByPrefix::build_every(input, peers, (2 * full).max(256), pace).await
    }

    async fn build_every<P: Pace>(
        input: &Input,
        peers: &PeerSet,
        every: usize,
        pace: &mut P,
    ) -> Result<(ByPrefix, Vec<u32>), P::Stop> {
        let mut count = 0;
        let np = input.prefixes.len();
        let kept = |e: &CompactEvent| {
            (e.prefix as usize) < np && peers.full.get(e.source as usize).copied().unwrap_or(false)
        };
        let all = || input.initial.iter().chain(&input.events);
        // A counting sort by prefix keeps each prefix's updates in time order.
        let mut start = vec![0u32; np + 1];
        for e in all().filter(|e| kept(e)) {
            tick!(pace, count);
            if let Some(n) = start.get_mut(e.prefix as usize + 1) {
                *n += 1;
            }
        }
        for i in 1..start.len() {
            let before = start.get(i - 1).copied().unwrap_or(0);
            if let Some(n) = start.get_mut(i) {
                *n += before;
            }
        }
        let mut fill = start.clone();
        let mut events = vec![0u32; start.last().copied().unwrap_or(0) as usize];
        for (i, e) in all().enumerate().filter(|(_, e)| kept(e)) {
            tick!(pace, count);
            if let Some(slot) = fill.get_mut(e.prefix as usize) {
                if let (Some(o), Ok(i)) = (events.get_mut(*slot as usize), u32::try_from(i)) {
                    *o = i;
                }
                *slot += 1;
            }
        }
        let mut b = ByPrefix {
            start,
            events,
            every: every.max(1),
            first_snap: vec![0],
            snap_start: vec![0],
            snap_routes: Vec::new(),
        };
        let mut scratch = Scratch::new(input.source_ids.len());
        let mut prev = vec![NO_PATH; all().count()];
        for p in 0..np {
            let (a, z) = b.span(p);
            for (c, i) in b.events.get(a..z).unwrap_or(&[]).iter().enumerate() {
                tick!(pace, count);
                if let Some(e) = update(input, *i as usize) {
                    let held = scratch.row.get(e.source as usize).copied().flatten();
                    if let (Some(slot), Some((path, _))) = (prev.get_mut(*i as usize), held) {
                        *slot = path;
                    }
                    scratch.apply(e, *i);
                }
                if (c + 1) % b.every == 0 {
                    for s in &scratch.touched {
                        if let Some(Some((path, since))) = scratch.row.get(*s as usize) {
                            b.snap_routes.push((*s, *path, *since));
                        }
                    }
                    b.snap_start.push(b.snap_routes.len() as u32);
                }
            }
            for s in scratch.touched.drain(..) {
                if let Some(cell) = scratch.row.get_mut(s as usize) {
                    *cell = None;
                }
            }
            b.first_snap.push(b.snap_start.len() as u32 - 1);
        }
        Ok((b, prev))
    }

    fn span(&self, prefix: usize) -> (usize, usize) {
        let at = |i: usize| self.start.get(i).copied().unwrap_or(0) as usize;
        (at(prefix), at(prefix + 1))
    }

    /// Calls `f(source, path, since)` for every route of `prefix` once the first `cutoff`
    /// updates are applied: its last snapshot before, then its updates since.
    fn routes(
        &self,
        input: &Input,
        prefix: usize,
        cutoff: usize,
        scratch: &mut Scratch,
        mut f: impl FnMut(u32, u32, UtcTime),
    ) {
        let (a, z) = self.span(prefix);
        let updates = self.events.get(a..z).unwrap_or(&[]);
        let k = updates.partition_point(|i| (*i as usize) < cutoff);
        let j = k / self.every.max(1);
        if j > 0 {
            let snap = self.first_snap.get(prefix).copied().unwrap_or(0) as usize + j - 1;
            let at = |i: usize| self.snap_start.get(i).copied().unwrap_or(0) as usize;
            for (s, path, since) in self.snap_routes.get(at(snap)..at(snap + 1)).unwrap_or(&[]) {
                if let Some(cell) = scratch.row.get_mut(*s as usize) {
                    *cell = Some((*path, *since));
                    scratch.touched.push(*s);
                }
            }
        }
        for i in updates.get(j * self.every..k).unwrap_or(&[]) {
            if let Some(e) = update(input, *i as usize) {
                scratch.apply(e, *i);
            }
        }
        for s in scratch.touched.drain(..) {
            if let Some((path, since)) = scratch.row.get_mut(s as usize).and_then(Option::take) {
                let since = update(input, since as usize).map_or(input.start, |e| e.time);
                f(s, path, since);
            }
        }
    }

    fn heap_bytes(&self) -> usize {
        (self.start.len() + self.events.len() + self.first_snap.len() + self.snap_start.len()) * 4
            + self.snap_routes.len() * 12
    }
}

/// Share (%) of full-table peers holding a route for `prefix`, every `step` seconds from
/// `from` to `until`: the timeline's line for a selected prefix.
pub fn prefix_share(
    input: &Input,
    peers: &PeerSet,
    prefix: u32,
    (from, until): (UtcTime, UtcTime),
    step: i64,
) -> Vec<(UtcTime, Option<f64>)> {
    let mut held = vec![false; input.source_ids.len()];
    let mut events = input.initial.iter().chain(&input.events).peekable();
    let mut out = Vec::new();
    let mut t = from;
    while t <= until && step > 0 {
        while let Some(e) = events.next_if(|e| e.time <= t) {
            let full = peers.full.get(e.source as usize).copied().unwrap_or(false);
            if let (true, true, Some(h)) =
                (e.prefix == prefix, full, held.get_mut(e.source as usize))
            {
                *h = e.path.is_some();
            }
        }
        let holders = held.iter().filter(|h| **h).count() as f64;
        let denom = f64::from(peers.denominator_at(t));
        out.push((
            t,
            (denom > 0.0).then(|| (holders / denom * 100.0).min(100.0)),
        ));
        t = t.plus(step);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{PathInfo, PeerRule};
    use super::*;

    /// Synthetic: two peers (one partial) at rrc00/rrc01, paths 1→10→100 and 1→20→100.
    fn input() -> (Input, PeerSet) {
        let path = |hops: &[u32]| {
            let hops: Vec<Asn> = hops.iter().map(|a| Asn(*a)).collect();
            PathInfo::new(&hops, false)
        };
        let ev = |time: i64, source: u32, prefix: u32, p: Option<u32>| CompactEvent {
            time: UtcTime(time),
            source,
            prefix,
            path: p,
        };
        let input = Input {
            start: UtcTime(0),
            end: UtcTime(10_000),
            source_ids: vec![
                "00-192.0.2.1".into(),
                "01-192.0.2.2".into(),
                "01-192.0.2.3".into(),
            ],
            source_asns: vec![Asn(1), Asn(1), Asn(2)],
            prefixes: vec![
                "10.0.0.0/24".parse().unwrap(),
                "10.0.1.0/24".parse().unwrap(),
            ],
            paths: vec![path(&[1, 10, 100]), path(&[1, 20, 100])],
            initial: vec![
                ev(0, 0, 0, Some(0)),
                ev(0, 1, 0, Some(0)),
                ev(0, 2, 0, Some(0)),
            ],
            events: vec![
                ev(100, 0, 0, Some(0)), // the same path again: keeps its since
                ev(200, 1, 0, Some(1)), // moves to AS20
                ev(300, 1, 1, Some(1)), // a second prefix via AS20
                ev(400, 0, 0, None),    // withdrawn
                ev(500, 0, 0, Some(1)), // back, via AS20
            ],
            as_names: FxHashMap::default(),
            skipped_events: 0,
        };
        let peers = PeerSet::new(vec![true, true, false], PeerRule::AllSources);
        (input, peers)
    }

    /// The oracle: replays everything up to `t` and weighs every edge by the distinct
    /// full-table peers using it (what `at` did before it had a timeline).
    fn naive_at(layout: &GraphLayout, input: &Input, peers: &PeerSet, t: UtcTime) -> GraphAt {
        let upstreams = super::super::replay::busiest_upstreams_of(input, peers);
        let mut state = super::super::replay::RouteState::new(input, peers, upstreams);
        for e in input
            .initial
            .iter()
            .chain(input.events.iter().take_while(|e| e.time <= t))
        {
            state.apply(e);
        }
        let mut routes: Vec<(u32, u32)> = state.routes().map(|(s, _, path)| (s, path)).collect();
        crate::analysis::order::sort(&mut routes);
        let mut edge_peers = vec![0u32; layout.edges.len()];
        let mut seen_for_source: Vec<usize> = Vec::new();
        let mut peers_with_route = 0;
        let mut current: Option<u32> = None;
        for (source, path) in &routes {
            if current != Some(*source) {
                current = Some(*source);
                seen_for_source.clear();
                peers_with_route += 1;
            }
            for e in layout
                .path_edges
                .get(*path as usize)
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                if !seen_for_source.contains(e) {
                    seen_for_source.push(*e);
                    if let Some(w) = edge_peers.get_mut(*e) {
                        *w += 1;
                    }
                }
            }
        }
        GraphAt {
            time: t,
            edge_peers,
            routes: routes.len(),
            peers_with_route,
            selected: Vec::new(),
        }
    }

    /// The oracle: the edges of `prefix`'s routes in the whole table (what `prefix_edges`
    /// did before it had an index by prefix).
    fn naive_prefix_edges(l: &GraphLayout, routes: &[HeldRoute], prefix: u32) -> Vec<bool> {
        let mut used = vec![false; l.edges.len()];
        for r in routes.iter().filter(|r| r.prefix == prefix) {
            for e in l.path_edges.get(r.path as usize).into_iter().flatten() {
                if let Some(u) = used.get_mut(*e) {
                    *u = true;
                }
            }
        }
        used
    }

    /// A route a full-table peer holds at a moment, and when it took that path.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct HeldRoute {
        source: u32,
        prefix: u32,
        path: u32,
        /// The announcement that put the peer on this path; re-announcing the same path keeps it.
        /// `Input::start` for routes already held when the data begins.
        since: UtcTime,
    }

    /// The oracle: every route full-table peers hold at `t`, grouped by source
    /// (ascending), replayed from the start (what the evidence used before `ByPrefix`).
    fn routes_at(input: &Input, peers: &PeerSet, t: UtcTime) -> Vec<HeldRoute> {
        let updates: Vec<&CompactEvent> = input
            .initial
            .iter()
            .chain(input.events.iter().take_while(|e| e.time <= t))
            .filter(|e| peers.full.get(e.source as usize).copied().unwrap_or(false))
            .collect();
        // Bucket the updates by source, keeping time order (a counting sort: no comparison sort
        // to compile), then replay each source over a scratch row indexed by prefix.
        let ns = input.source_ids.len();
        let mut start = vec![0usize; ns + 1];
        for e in &updates {
            if let Some(n) = start.get_mut(e.source as usize + 1) {
                *n += 1;
            }
        }
        for i in 1..start.len() {
            let before = start.get(i - 1).copied().unwrap_or(0);
            if let Some(n) = start.get_mut(i) {
                *n += before;
            }
        }
        let mut fill = start.clone();
        let mut order = vec![0usize; updates.len()];
        for (i, e) in updates.iter().enumerate() {
            if let Some(slot) = fill.get_mut(e.source as usize) {
                if let Some(o) = order.get_mut(*slot) {
                    *o = i;
                }
                *slot += 1;
            }
        }
        let mut row: Vec<Option<(u32, UtcTime)>> = vec![None; input.prefixes.len()];
        let mut touched: Vec<u32> = Vec::new();
        let mut out = Vec::new();
        for source in 0..ns {
            let (a, b) = (
                start.get(source).copied().unwrap_or(0),
                start.get(source + 1).copied().unwrap_or(0),
            );
            for e in order
                .get(a..b)
                .unwrap_or(&[])
                .iter()
                .filter_map(|i| updates.get(*i))
            {
                let Some(cell) = row.get_mut(e.prefix as usize) else {
                    continue;
                };
                touched.push(e.prefix);
                *cell = match (*cell, e.path) {
                    // The same path again: the route did not change.
                    (Some((old, since)), Some(p)) if old == p => Some((old, since)),
                    (_, Some(p)) => Some((p, e.time)),
                    (_, None) => None,
                };
            }
            for prefix in touched.drain(..) {
                if let Some((path, since)) = row.get_mut(prefix as usize).and_then(Option::take) {
                    out.push(HeldRoute {
                        source: source as u32,
                        prefix,
                        path,
                        since,
                    });
                }
            }
        }
        out
    }

    /// The oracle: the evidence from the whole table (what `evidence` did before `ByPrefix`).
    fn naive_evidence(
        layout: &GraphLayout,
        input: &Input,
        routes: &[HeldRoute],
        target: Target,
    ) -> Evidence {
        let touches = |e: &usize| match target {
            Target::Edge(i) => *e == i,
            Target::Node(n) => layout
                .edges
                .get(*e)
                .is_some_and(|g| g.from == n || g.to == n),
        };
        let mut peers: Vec<PeerUse> = Vec::new();
        for r in routes {
            let over = layout
                .path_edges
                .get(r.path as usize)
                .is_some_and(|es| es.iter().any(touches));
            if !over {
                continue;
            }
            // Routes come sorted by source, so one peer's routes are adjacent.
            match peers.last_mut() {
                Some(p) if Some(&p.source) == input.source_ids.get(r.source as usize) => {
                    p.routes += 1;
                    p.since = p.since.min(r.since);
                }
                _ => {
                    let source = input
                        .source_ids
                        .get(r.source as usize)
                        .cloned()
                        .unwrap_or_default();
                    let collector = match source.split_once('-') {
                        Some((n, _)) => format!("rrc{n}"),
                        None => String::new(),
                    };
                    peers.push(PeerUse {
                        asn: input
                            .source_asns
                            .get(r.source as usize)
                            .copied()
                            .unwrap_or(Asn(0)),
                        source,
                        collector,
                        routes: 1,
                        since: r.since,
                    });
                }
            }
        }
        let collectors = collectors_of(&peers);
        let first = peers.iter().map(|p| p.since).min();
        let last = routes
            .iter()
            .filter(|r| {
                layout
                    .path_edges
                    .get(r.path as usize)
                    .is_some_and(|es| es.iter().any(touches))
            })
            .map(|r| r.since)
            .max();
        Evidence {
            peers,
            collectors,
            since: first.zip(last),
        }
    }

    fn edge(l: &GraphLayout, from: u32, to: u32) -> usize {
        let node = |a: u32| l.nodes.iter().position(|n| n.asn == Some(Asn(a))).unwrap();
        let (f, t) = (node(from), node(to));
        l.edges
            .iter()
            .position(|e| e.from == f && e.to == t)
            .unwrap()
    }

    #[test]
    fn evidence_names_the_peers_collectors_and_since_when() {
        let (input, peers) = input();
        let l = layout(&input, &peers, 8);
        let (via10, via20) = (edge(&l, 10, 100), edge(&l, 20, 100));
        let at = |t: i64, target: Target| {
            let e = evidence(&l, &input, target, UtcTime(t));
            let routes = routes_at(&input, &peers, UtcTime(t));
            assert_eq!(e, naive_evidence(&l, &input, &routes, target));
            e
        };
        // At 150 both full peers go via AS10, since the start (the repeat changed nothing);
        // the partial peer (source 2) is never counted.
        let e = at(150, Target::Edge(via10));
        let ids: Vec<&str> = e.peers.iter().map(|p| p.source.as_str()).collect();
        assert_eq!(ids, ["00-192.0.2.1", "01-192.0.2.2"]);
        assert_eq!(e.collectors, ["rrc00", "rrc01"]);
        assert_eq!(e.since, Some((UtcTime(0), UtcTime(0))));
        assert!(at(150, Target::Edge(via20)).peers.is_empty());
        // At 350 peer 1 has moved to AS20 (two prefixes, the first since 200).
        let e = at(350, Target::Edge(via20));
        assert_eq!(e.peers.len(), 1);
        assert_eq!((e.peers[0].routes, e.peers[0].since), (2, UtcTime(200)));
        assert_eq!(e.since, Some((UtcTime(200), UtcTime(300))));
        // Withdrawn at 400, back via AS20 at 500: since is the return, not the start.
        assert!(at(450, Target::Edge(via10)).peers.is_empty());
        let e = at(600, Target::Edge(via20));
        assert_eq!(e.peers.len(), 2);
        assert_eq!(e.peers[0].since, UtcTime(500));
        // A node gathers the routes over any of its edges: the origin has all of them.
        let origin = l
            .nodes
            .iter()
            .position(|n| n.asn == Some(Asn(100)))
            .unwrap();
        let e = at(600, Target::Node(origin));
        assert_eq!(e.peers.iter().map(|p| p.routes).sum::<usize>(), 3);
        // Out-of-range targets give nothing, never a panic.
        assert!(at(600, Target::Edge(99)).peers.is_empty());
    }

    #[test]
    fn held_routes_agree_with_the_graph_weights() {
        let (input, peers) = input();
        let l = layout(&input, &peers, 8);
        for t in [0, 150, 250, 350, 450, 600] {
            let routes = routes_at(&input, &peers, UtcTime(t));
            let g = at(&l, &input, UtcTime(t));
            assert_eq!(g, naive_at(&l, &input, &peers, UtcTime(t)), "at {t}");
            assert_eq!(routes.len(), g.routes, "at {t}");
            let mut sources: Vec<u32> = routes.iter().map(|r| r.source).collect();
            sources.dedup();
            assert_eq!(sources.len(), g.peers_with_route, "at {t}");
            for (e, w) in g.edge_peers.iter().enumerate() {
                let ev = evidence(&l, &input, Target::Edge(e), UtcTime(t));
                assert_eq!(ev.peers.len(), *w as usize, "edge {e} at {t}");
            }
        }
    }

    #[test]
    fn a_prefix_flags_its_edges_and_has_its_share_over_time() {
        let (input, peers) = input();
        let l = layout(&input, &peers, 8);
        let routes = routes_at(&input, &peers, UtcTime(350));
        let used = prefix_edges(&l, &input, 1, UtcTime(350));
        assert_eq!(used, naive_prefix_edges(&l, &routes, 1));
        assert!(used[edge(&l, 20, 100)] && !used[edge(&l, 10, 100)]);
        let share = prefix_share(&input, &peers, 0, (UtcTime(0), UtcTime(600)), 100);
        let values: Vec<Option<f64>> = share.iter().map(|(_, v)| *v).collect();
        // Two full-table peers: both hold it, one withdraws at 400, returns at 500.
        let (all, half) = (Some(100.0), Some(50.0));
        assert_eq!(values, [all, all, all, all, half, all, all]);
        assert_eq!(share[4].0, UtcTime(400));
    }

    /// Synthetic random windows: a few peers (some partial), prefixes and paths over a small AS
    /// pool so paths share edges and layers fold; checkpoints every few events so queries
    /// cross them in both directions.
    #[cfg(not(target_arch = "wasm32"))]
    mod timeline {
        use super::*;
        use proptest::prelude::*;

        type Ev = (i64, u32, u32, Option<u32>);
        /// Full flags, prefixes, paths' hops, initial state, events.
        type Window = (Vec<bool>, usize, Vec<Vec<u32>>, Vec<Ev>, Vec<Ev>);

        fn window() -> impl Strategy<Value = Window> {
            (1usize..5, 1usize..4, 1usize..6).prop_flat_map(|(ns, np, npaths)| {
                let hops = prop::collection::vec(1u32..9, 1..5);
                // One path index past the end: a route over no known edge still counts.
                let ev = (
                    0i64..200,
                    0..ns as u32,
                    0..np as u32,
                    prop::option::of(0..=npaths as u32),
                );
                (
                    prop::collection::vec(any::<bool>(), ns),
                    Just(np),
                    prop::collection::vec(hops, npaths),
                    prop::collection::vec(ev.clone(), 0..8),
                    prop::collection::vec(ev, 0..60),
                )
            })
        }

        fn input_of(
            full: &[bool],
            np: usize,
            paths: &[Vec<u32>],
            initial: &[Ev],
            events: &[Ev],
        ) -> Input {
            let ev = |(time, source, prefix, path): &Ev| CompactEvent {
                time: UtcTime(*time),
                source: *source,
                prefix: *prefix,
                path: *path,
            };
            let mut events: Vec<CompactEvent> = events.iter().map(ev).collect();
            events.sort_by_key(|e| e.time);
            Input {
                start: UtcTime(0),
                end: UtcTime(200),
                source_ids: (0..full.len())
                    .map(|i| format!("{:02}-192.0.2.{i}", i % 3))
                    .collect(),
                source_asns: (0..full.len()).map(|i| Asn(i as u32 + 1)).collect(),
                prefixes: (0..np)
                    .map(|i| format!("10.0.{i}.0/24").parse().unwrap())
                    .collect(),
                paths: paths
                    .iter()
                    .map(|h| {
                        let hops: Vec<Asn> = h.iter().map(|a| Asn(*a)).collect();
                        PathInfo::new(&hops, false)
                    })
                    .collect(),
                initial: initial
                    .iter()
                    .map(|e| CompactEvent {
                        time: UtcTime(0),
                        ..ev(e)
                    })
                    .collect(),
                events,
                as_names: FxHashMap::default(),
                skipped_events: 0,
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

            #[test]
            fn any_moment_in_any_order_matches_the_full_replay(
                (full, np, paths, initial, events) in window(),
                per_layer in 1usize..4,
                every in 1usize..7,
                snap_every in 1usize..5,
                times in prop::collection::vec(-5i64..210, 1..30),
            ) {
                let input = input_of(&full, np, &paths, &initial, &events);
                let peers = PeerSet::new(full, PeerRule::AllSources);
                let mut l = layout(&input, &peers, per_layer);
                let (by_prefix, prev) =
                    unpaced(ByPrefix::build_every(&input, &peers, snap_every, &mut Unpaced));
                l.by_prefix = by_prefix;
                let ne = l.edges.len();
                l.weights = unpaced(Weights::build(
                    &input,
                    &peers,
                    &prev,
                    &l.path_edges,
                    ne,
                    every,
                    &mut Unpaced,
                ));
                // Random moments, then the same ones again backwards: repeats and reversals.
                for t in times.iter().chain(times.iter().rev()) {
                    let t = UtcTime(*t);
                    prop_assert_eq!(at(&l, &input, t), naive_at(&l, &input, &peers, t));
                    let routes = routes_at(&input, &peers, t);
                    let targets = (0..l.edges.len() + 1)
                        .map(Target::Edge)
                        .chain((0..l.nodes.len() + 1).map(Target::Node));
                    for target in targets {
                        prop_assert_eq!(
                            evidence(&l, &input, target, t),
                            naive_evidence(&l, &input, &routes, target)
                        );
                    }
                    for p in 0..np as u32 + 1 {
                        prop_assert_eq!(
                            prefix_edges(&l, &input, p, t),
                            naive_prefix_edges(&l, &routes, p)
                        );
                    }
                }
            }
        }
    }
}
