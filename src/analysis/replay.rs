//! Replays bgplay (initial state, then events in time order) over full-table peers and samples,
//! on a fixed UTC grid, how many of them hold each prefix, in total and per upstream.

use crate::model::{Asn, Prefix, UtcTime};

use super::input::CompactEvent;
use super::{Input, PeerSet};

const NO_ROUTE: u32 = u32::MAX;

/// Which path every (source, prefix) holds, kept with running counts per prefix and upstream.
pub struct RouteState<'a> {
    input: &'a Input,
    full: &'a [bool],
    /// `[prefix * sources + source]` → path index or NO_ROUTE.
    held: Vec<u32>,
    /// Upstream index of every path (`None` when unknown).
    path_up: Vec<Option<usize>>,
    pub upstreams: Vec<Asn>,
    /// Full-table peers holding each prefix.
    pub holders: Vec<u32>,
    /// `[prefix * upstreams + upstream]`.
    pub holders_by_up: Vec<u32>,
    /// Routes held by full-table peers, in all and per upstream (summed over prefixes).
    pub total: u32,
    pub total_by_up: Vec<u32>,
}

impl<'a> RouteState<'a> {
    pub fn new(input: &'a Input, peers: &'a PeerSet) -> RouteState<'a> {
        let mut upstreams: Vec<Asn> = input.paths.iter().filter_map(|p| p.upstream).collect();
        upstreams.sort_unstable();
        upstreams.dedup();
        let path_up = input
            .paths
            .iter()
            .map(|p| p.upstream.and_then(|u| upstreams.binary_search(&u).ok()))
            .collect();
        let np = input.prefixes.len();
        RouteState {
            input,
            full: &peers.full,
            held: vec![NO_ROUTE; np * input.source_ids.len()],
            path_up,
            holders: vec![0; np],
            holders_by_up: vec![0; np * upstreams.len()],
            total: 0,
            total_by_up: vec![0; upstreams.len()],
            upstreams,
        }
    }

    /// Applies one update and returns the path the peer held before (None: no route).
    pub fn apply(&mut self, e: &CompactEvent) -> Option<u32> {
        if !self.full.get(e.source as usize).copied().unwrap_or(false) {
            return None;
        }
        let p = e.prefix as usize;
        let idx = p * self.input.source_ids.len() + e.source as usize;
        let Some(slot) = self.held.get_mut(idx) else {
            return None;
        };
        let old = std::mem::replace(slot, e.path.unwrap_or(NO_ROUTE));
        let nu = self.upstreams.len();
        if old != NO_ROUTE {
            self.total = self.total.saturating_sub(1);
            if let Some(h) = self.holders.get_mut(p) {
                *h = h.saturating_sub(1);
            }
            if let Some(Some(u)) = self.path_up.get(old as usize) {
                if let Some(h) = self.holders_by_up.get_mut(p * nu + u) {
                    *h = h.saturating_sub(1);
                }
                if let Some(t) = self.total_by_up.get_mut(*u) {
                    *t = t.saturating_sub(1);
                }
            }
        }
        if let Some(new) = e.path {
            self.total += 1;
            if let Some(h) = self.holders.get_mut(p) {
                *h += 1;
            }
            if let Some(Some(u)) = self.path_up.get(new as usize) {
                if let Some(h) = self.holders_by_up.get_mut(p * nu + u) {
                    *h += 1;
                }
                if let Some(t) = self.total_by_up.get_mut(*u) {
                    *t += 1;
                }
            }
        }
        (old != NO_ROUTE).then_some(old)
    }

    /// Every route held now by a full-table peer: `(source, prefix, path)`.
    pub fn routes(&self) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        let ns = self.input.source_ids.len().max(1);
        self.held
            .iter()
            .enumerate()
            .filter(|(_, path)| **path != NO_ROUTE)
            .map(move |(i, path)| ((i % ns) as u32, (i / ns) as u32, *path))
    }
}

/// Samples on the grid `start, start+step, … < end`. A sample at `t` reflects every event at or
/// before `t`. Samples outside the answer's window are marked unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct Replayed {
    pub start: UtcTime,
    pub step: i64,
    pub len: usize,
    pub prefixes: Vec<Prefix>,
    pub upstreams: Vec<Asn>,
    /// `[t * prefixes + p]`.
    pub holders: Vec<u32>,
    /// `[(t * prefixes + p) * upstreams + u]`.
    pub holders_by_up: Vec<u32>,
    pub denominators: Vec<u32>,
    pub known: Vec<bool>,
}

impl Replayed {
    pub fn time(&self, i: usize) -> UtcTime {
        self.start.plus(self.step.saturating_mul(i as i64))
    }

    pub fn holders_at(&self, i: usize) -> &[u32] {
        let np = self.prefixes.len();
        self.holders.get(i * np..(i + 1) * np).unwrap_or(&[])
    }

    pub fn holders_by_up_at(&self, i: usize) -> &[u32] {
        let w = self.prefixes.len() * self.upstreams.len();
        self.holders_by_up.get(i * w..(i + 1) * w).unwrap_or(&[])
    }
}

pub fn replay(input: &Input, peers: &PeerSet, start: UtcTime, end: UtcTime, step: i64) -> Replayed {
    let step = step.max(1);
    let len = if end > start {
        ((end.secs() - start.secs() + step - 1) / step) as usize
    } else {
        0
    };
    let mut state = RouteState::new(input, peers);
    for e in &input.initial {
        state.apply(e);
    }
    let np = input.prefixes.len();
    let nu = state.upstreams.len();
    let mut out = Replayed {
        start,
        step,
        len,
        prefixes: input.prefixes.clone(),
        upstreams: state.upstreams.clone(),
        holders: Vec::with_capacity(len * np),
        holders_by_up: Vec::with_capacity(len * np * nu),
        denominators: Vec::with_capacity(len),
        known: Vec::with_capacity(len),
    };
    let mut next = input.events.iter().peekable();
    for i in 0..len {
        let t = out.time(i);
        while let Some(e) = next.next_if(|e| e.time <= t) {
            state.apply(e);
        }
        out.holders.extend_from_slice(&state.holders);
        out.holders_by_up.extend_from_slice(&state.holders_by_up);
        out.denominators.push(peers.denominator_at(t));
        out.known.push(t >= input.start && t <= input.end);
    }
    out
}
