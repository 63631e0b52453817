//! Replays bgplay (initial state, then events in time order) over full-table peers and samples,
//! on a fixed UTC grid, how many of them hold each prefix, in total and per upstream.

use crate::model::{Asn, Prefix, UtcTime};
use rustc_hash::FxHashMap;

use super::input::CompactEvent;
use super::pace::{tick, unpaced, Pace, Unpaced};
use super::{Input, PeerSet};

const NO_ROUTE: u32 = u32::MAX;
/// Upstreams split out per link (the busiest); routes through others count as unattributed.
pub const MAX_UPSTREAMS: usize = 8;
/// Above this many (prefix, peer) pairs the route table is kept sparse.
const DENSE_LIMIT: usize = 1 << 22;

/// Which path every (prefix, source) holds: a flat table when it is small, else a map, so an
/// answer with many prefixes and peers cannot ask for more memory than its own size.
enum Held {
    Dense(Vec<u32>),
    Sparse(FxHashMap<u64, u32>),
}

impl Held {
    fn new(cells: Option<usize>) -> Held {
        match cells {
            Some(n) if n <= DENSE_LIMIT => Held::Dense(vec![NO_ROUTE; n]),
            _ => Held::Sparse(FxHashMap::default()),
        }
    }

    /// Stores `path` (NO_ROUTE = none) and returns what was there.
    /// `idx` is 64-bit: a product of untrusted sizes may not fit a 32-bit usize.
    fn replace(&mut self, idx: u64, path: u32) -> u32 {
        match self {
            Held::Dense(v) => usize::try_from(idx)
                .ok()
                .and_then(|i| v.get_mut(i))
                .map_or(NO_ROUTE, |slot| std::mem::replace(slot, path)),
            Held::Sparse(m) if path == NO_ROUTE => m.remove(&idx).unwrap_or(NO_ROUTE),
            Held::Sparse(m) => m.insert(idx, path).unwrap_or(NO_ROUTE),
        }
    }

    fn iter(&self) -> Box<dyn Iterator<Item = (u64, u32)> + '_> {
        match self {
            Held::Dense(v) => Box::new(
                v.iter()
                    .enumerate()
                    .filter(|(_, p)| **p != NO_ROUTE)
                    .map(|(i, p)| (i as u64, *p)),
            ),
            Held::Sparse(m) => Box::new(m.iter().map(|(i, p)| (*i, *p))),
        }
    }
}

/// Which path every (source, prefix) holds, kept with running counts per prefix and upstream.
pub struct RouteState<'a> {
    input: &'a Input,
    full: &'a [bool],
    /// `[prefix * sources + source]` → path index.
    held: Held,
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
    /// An empty state; `upstreams` (from [`busiest_upstreams`]) are the links split out.
    pub fn new(input: &'a Input, peers: &'a PeerSet, upstreams: Vec<Asn>) -> RouteState<'a> {
        let path_up = input
            .paths
            .iter()
            .map(|p| p.upstream.and_then(|u| upstreams.binary_search(&u).ok()))
            .collect();
        let np = input.prefixes.len();
        RouteState {
            input,
            full: &peers.full,
            held: Held::new(np.checked_mul(input.source_ids.len())),
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
        let idx = p as u64 * self.input.source_ids.len() as u64 + u64::from(e.source);
        let old = self.held.replace(idx, e.path.unwrap_or(NO_ROUTE));
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
        let ns = self.input.source_ids.len().max(1) as u64;
        self.held
            .iter()
            .map(move |(i, path)| ((i % ns) as u32, (i / ns) as u32, path))
    }
}

/// A preallocation hint that can neither overflow nor ask for more than the cell budget.
fn capacity(factors: &[usize]) -> usize {
    factors
        .iter()
        .try_fold(1usize, |acc, f| acc.checked_mul(*f))
        .filter(|n| *n <= super::pipeline::CELL_BUDGET)
        .unwrap_or(0)
}

/// How often each path is used by a full-table peer across the window (an array, no hashing
/// per event): what ranks the upstreams and weighs the graph's nodes. A look at every update,
/// so paced, and done once per analysis.
pub async fn path_uses<P: Pace>(
    input: &Input,
    peers: &PeerSet,
    pace: &mut P,
) -> Result<Vec<u32>, P::Stop> {
    let mut count = 0;
    let mut uses = vec![0u32; input.paths.len()];
    for e in input.initial.iter().chain(&input.events) {
        tick!(pace, count);
        let full = peers.full.get(e.source as usize).copied().unwrap_or(false);
        if let Some(n) = e
            .path
            .filter(|_| full)
            .and_then(|p| uses.get_mut(p as usize))
        {
            *n += 1;
        }
    }
    Ok(uses)
}

/// [`busiest_upstreams`] with the uses counted here: for callers that run to completion.
pub fn busiest_upstreams_of(input: &Input, peers: &PeerSet) -> Vec<Asn> {
    busiest_upstreams(input, &unpaced(path_uses(input, peers, &mut Unpaced)))
}

/// The upstreams that carry the most full-table routes over the window (`uses` from
/// [`path_uses`]), at most `MAX_UPSTREAMS`, in ASN order (so colours stay stable).
pub fn busiest_upstreams(input: &Input, uses: &[u32]) -> Vec<Asn> {
    let mut routes: FxHashMap<Asn, u64> = FxHashMap::default();
    for (path, n) in input.paths.iter().zip(uses).filter(|(_, n)| **n > 0) {
        if let Some(up) = path.upstream {
            *routes.entry(up).or_default() += u64::from(*n);
        }
    }
    let mut ranked: Vec<(Asn, u64)> = routes.into_iter().collect();
    crate::analysis::order::sort_by_key(&mut ranked, |(a, n)| (std::cmp::Reverse(*n), *a));
    let mut top: Vec<Asn> = ranked
        .into_iter()
        .take(MAX_UPSTREAMS)
        .map(|(a, _)| a)
        .collect();
    crate::analysis::order::sort(&mut top);
    top
}

/// A sampling step (a multiple of `base`) that keeps samples × prefixes × (1 + upstreams)
/// within `budget` cells: long windows of large entities get coarser series, not a crash.
pub fn step_for(
    span_secs: i64,
    prefixes: usize,
    upstreams: usize,
    base: i64,
    budget: usize,
) -> i64 {
    // u64 with saturation, not u128: the same steps (a saturated product leaves one sample
    // either way) without 128-bit division in the wasm.
    let base = base.max(1) as u64;
    let per_sample =
        (prefixes.max(1) as u64).saturating_mul(1 + upstreams.min(MAX_UPSTREAMS) as u64);
    let max_samples = (budget as u64 / per_sample).max(1);
    let needed = (span_secs.max(0) as u64).div_ceil(max_samples);
    let steps = needed.div_ceil(base).max(1);
    i64::try_from(steps.saturating_mul(base)).unwrap_or(i64::MAX)
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
    let upstreams = busiest_upstreams_of(input, peers);
    unpaced(replay_paced(
        input,
        peers,
        upstreams,
        start,
        end,
        step,
        &mut Unpaced,
    ))
}

/// `replay`, pausing as `pace` asks.
pub async fn replay_paced<P: Pace>(
    input: &Input,
    peers: &PeerSet,
    upstreams: Vec<Asn>,
    start: UtcTime,
    end: UtcTime,
    step: i64,
    pace: &mut P,
) -> Result<Replayed, P::Stop> {
    let mut count = 0;
    let step = step.max(1);
    let len = if end > start {
        ((end.secs() - start.secs() + step - 1) / step) as usize
    } else {
        0
    };
    let mut state = RouteState::new(input, peers, upstreams);
    for e in &input.initial {
        state.apply(e);
        tick!(pace, count);
    }
    let np = input.prefixes.len();
    let nu = state.upstreams.len();
    let mut out = Replayed {
        start,
        step,
        len,
        prefixes: input.prefixes.clone(),
        upstreams: state.upstreams.clone(),
        holders: Vec::with_capacity(capacity(&[len, np])),
        holders_by_up: Vec::with_capacity(capacity(&[len, np, nu])),
        denominators: Vec::with_capacity(capacity(&[len])),
        known: Vec::with_capacity(capacity(&[len])),
    };
    let mut next = input.events.iter().peekable();
    for i in 0..len {
        let t = out.time(i);
        while let Some(e) = next.next_if(|e| e.time <= t) {
            state.apply(e);
            tick!(pace, count);
        }
        // A sample copies rows of a cell per prefix (and upstream): thousands for large entities.
        tick!(pace, count, 1 + np * (1 + nu) / 256);
        out.holders.extend_from_slice(&state.holders);
        out.holders_by_up.extend_from_slice(&state.holders_by_up);
        out.denominators.push(peers.denominator_at(t));
        out.known.push(t >= input.start && t <= input.end);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_step_stays_at_five_minutes_for_ordinary_entities() {
        // North Korea, two days: 4 prefixes, 2 upstreams.
        assert_eq!(step_for(2 * 86_400, 4, 2, 300, 16 << 20), 300);
    }

    #[test]
    fn the_step_is_what_exact_128_bit_arithmetic_gives() {
        let exact = |span: i64, prefixes: usize, upstreams: usize, base: i64, budget: usize| {
            let base = base.max(1);
            let per = (prefixes.max(1) as u128) * (1 + upstreams.min(MAX_UPSTREAMS)) as u128;
            let max_samples = (budget as u128 / per).max(1);
            let steps = (span.max(0) as u128)
                .div_ceil(max_samples)
                .div_ceil(base as u128)
                .max(1);
            i64::try_from(steps * base as u128).unwrap_or(i64::MAX)
        };
        let spans = [-1, 0, 1, 299, 86_400, 100 * 86_400, i64::MAX / 2, i64::MAX];
        let counts = [
            0,
            1,
            4,
            50_000,
            u32::MAX as usize,
            usize::MAX / 3,
            usize::MAX,
        ];
        let bases = [-5, 0, 1, 300, i64::MAX];
        let budgets = [0, 1, 16 << 20, usize::MAX];
        for span in spans {
            for prefixes in counts {
                for upstreams in [0, 2, 40, usize::MAX] {
                    for base in bases {
                        for budget in budgets {
                            assert_eq!(
                                step_for(span, prefixes, upstreams, base, budget),
                                exact(span, prefixes, upstreams, base, budget),
                                "{span} {prefixes} {upstreams} {base} {budget}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn large_entities_over_long_windows_get_coarser_steps_within_budget() {
        let budget = 16 << 20;
        let step = step_for(100 * 86_400, 50_000, 40, 300, budget);
        assert_eq!(step % 300, 0);
        let samples = (100 * 86_400) / step + 1;
        assert!(
            samples as u128 * 50_000 * 9 <= budget as u128 + 50_000 * 9,
            "{step}"
        );
        // Absurd sizes never overflow.
        assert!(step_for(i64::MAX, usize::MAX, usize::MAX, 300, 1) > 0);
    }
}
