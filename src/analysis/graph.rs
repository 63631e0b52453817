//! The AS-path graph: layers by distance from the origin (origin = layer 0, on the right when
//! drawn). The layout is computed once from every path full-table peers used in the window, so
//! nodes keep their place while the moment changes; `at` then weighs edges at one moment.

use std::collections::{BTreeMap, HashMap};

use crate::model::{Asn, UtcTime};

use super::replay::RouteState;
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
    path_edges: Vec<Vec<usize>>,
}

/// Edge weights at one moment: distinct full-table peers whose route uses each edge.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphAt {
    pub time: UtcTime,
    pub edge_peers: Vec<u32>,
    pub routes: usize,
    pub peers_with_route: usize,
}

pub fn layout(input: &Input, peers: &PeerSet, max_per_layer: usize) -> GraphLayout {
    let max_per_layer = max_per_layer.max(1);
    // How often each path is used by a full-table peer across the window.
    let mut use_count = vec![0u32; input.paths.len()];
    for e in input.initial.iter().chain(&input.events) {
        let full = peers.full.get(e.source as usize).copied().unwrap_or(false);
        if let (true, Some(p)) = (full, e.path) {
            if let Some(c) = use_count.get_mut(p as usize) {
                *c += 1;
            }
        }
    }
    // Layer of an AS = its smallest distance to an origin; weight per upstream for grouping.
    let mut layer_of: HashMap<Asn, usize> = HashMap::new();
    let mut weight: HashMap<Asn, BTreeMap<Option<Asn>, u64>> = HashMap::new();
    for (pi, path) in input.paths.iter().enumerate() {
        let w = u64::from(use_count.get(pi).copied().unwrap_or(0));
        if w == 0 {
            continue;
        }
        for (d, asn) in path.hops.iter().rev().enumerate() {
            let l = layer_of.entry(*asn).or_insert(d);
            *l = (*l).min(d);
            *weight
                .entry(*asn)
                .or_default()
                .entry(path.upstream)
                .or_insert(0) += w;
        }
    }
    let total = |a: &Asn| weight.get(a).map_or(0, |m| m.values().sum::<u64>());
    let group = |a: &Asn| {
        weight
            .get(a)
            .and_then(|m| m.iter().max_by_key(|(_, w)| **w).map(|(g, _)| *g))
            .flatten()
    };
    let layers = layer_of.values().max().map_or(0, |m| m + 1);
    let mut nodes: Vec<GraphNode> = Vec::new();
    let mut node_of: HashMap<Asn, usize> = HashMap::new();
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
    let mut edge_of: HashMap<(usize, usize, Option<Asn>), usize> = HashMap::new();
    let mut edges = Vec::new();
    let path_edges = input
        .paths
        .iter()
        .map(|path| {
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
            list
        })
        .collect();
    GraphLayout {
        nodes,
        edges,
        layers,
        max_slots,
        path_edges,
    }
}

/// Replays up to `t` and weighs every edge by the distinct full-table peers using it.
pub fn at(layout: &GraphLayout, input: &Input, peers: &PeerSet, t: UtcTime) -> GraphAt {
    let mut state = RouteState::new(input, peers);
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
    }
}
