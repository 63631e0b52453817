//! Long windows are fetched as several bgplay answers (chunks) and stitched into one input that
//! replays exactly like a single answer: the first chunk's initial state, then every chunk's
//! updates, with any difference between a chunk's initial state and the replayed state at its
//! start inserted as updates at that instant (nothing is lost if the API's chunks disagree).

use std::hash::Hash;

use rustc_hash::{FxHashMap, FxHashSet};

use super::pace::{drop_paced, tick, unpaced, Growing, Pace, Unpaced};

use crate::api::lenient::WirePath;
use crate::api::ripestat::{Bgplay, Event, EventAttrs, EventKind};
use crate::model::{Prefix, UtcTime};

/// Longest window asked of bgplay in one request.
pub const CHUNK_SECS: i64 = 2 * 86_400;

/// Splits `[start, end)` into consecutive windows of at most `chunk` seconds.
pub fn plan(start: UtcTime, end: UtcTime, chunk: i64) -> Vec<(UtcTime, UtcTime)> {
    let chunk = chunk.max(3600);
    let mut out = Vec::new();
    let mut a = start;
    while a < end {
        let b = a.plus(chunk).min(end);
        out.push((a, b));
        a = b;
    }
    out
}

/// Stitches chunks (in time order) into one answer equivalent to a single request.
pub fn stitch(chunks: &[Bgplay]) -> Option<Bgplay> {
    unpaced(stitch_paced(chunks, &mut Unpaced))
}

/// `stitch`, pausing as `pace` asks (every update is replayed and copied).
pub async fn stitch_paced<P: Pace>(
    chunks: &[Bgplay],
    pace: &mut P,
) -> Result<Option<Bgplay>, P::Stop> {
    let mut count = 0;
    let Some(first) = chunks.first() else {
        return Ok(None);
    };
    let mut out = Bgplay {
        start: first.start,
        end: chunks.last().map_or(first.end, |c| c.end),
        sources: Vec::new(),
        targets: Vec::new(),
        nodes: Vec::new(),
        initial_state: Vec::with_capacity(first.initial_state.len()),
        events: Vec::new(),
    };
    // Every per-route step is paced: a large entity's chunk holds millions of routes. The
    // maps are sized up front: a rehash of millions of entries is one long unpaced stretch.
    let mut state: FxHashMap<(String, Prefix), WirePath> =
        FxHashMap::with_capacity_and_hasher(first.initial_state.len(), Default::default());
    for r in &first.initial_state {
        tick!(pace, count);
        out.initial_state.push(r.clone());
        state.insert((r.source_id.clone(), r.prefix), r.path.clone());
    }
    let mut events = Growing::default();
    for (i, c) in chunks.iter().enumerate() {
        merge_meta(&mut out, c);
        if i > 0 {
            reconcile(&mut events, &mut state, c, pace).await?;
        }
        for e in &c.events {
            tick!(pace, count);
            apply(&mut state, e);
            events.push(e.clone());
        }
    }
    out.events = events.into_vec(pace).await?;
    for entry in state.drain() {
        tick!(pace, count);
        drop(entry);
    }
    Ok(Some(out))
}

/// Adds `from`'s sources, targets and AS names that `into` lacks (shared with the merge of
/// batches: one copy of this code in the WASM).
pub(crate) fn merge_meta(into: &mut Bgplay, from: &Bgplay) {
    merge_unique(&mut into.sources, &from.sources, |s| s.id.as_str());
    merge_unique(&mut into.targets, &from.targets, |t| &t.prefix);
    merge_unique(&mut into.nodes, &from.nodes, |n| &n.as_number);
}

/// Keys are borrowed, never cloned; looked up in a set, as a large entity's targets run to
/// thousands (a scan per item was quadratic: tens of ms in one stretch).
fn merge_unique<T: Clone, K: Hash + Eq + ?Sized>(into: &mut Vec<T>, from: &[T], key: fn(&T) -> &K) {
    let mut seen: FxHashSet<&K> = into.iter().map(key).collect();
    let mut added = Vec::new();
    for x in from {
        if seen.insert(key(x)) {
            added.push(x.clone());
        }
    }
    into.extend(added);
}

fn apply(state: &mut FxHashMap<(String, Prefix), WirePath>, e: &Event) {
    let key = (e.attrs.source_id.clone(), e.attrs.prefix);
    match (e.kind, &e.attrs.path) {
        (EventKind::Announce, Some(p)) => {
            state.insert(key, p.clone());
        }
        (EventKind::Announce, None) => {}
        (EventKind::Withdraw, _) => {
            state.remove(&key);
        }
    }
}

/// Makes the replayed state equal chunk `c`'s initial state, with updates at its start.
async fn reconcile<P: Pace>(
    events: &mut Growing<Event>,
    state: &mut FxHashMap<(String, Prefix), WirePath>,
    c: &Bgplay,
    pace: &mut P,
) -> Result<(), P::Stop> {
    let mut count = 0;
    let mut wanted: FxHashMap<(&str, Prefix), &WirePath> =
        FxHashMap::with_capacity_and_hasher(c.initial_state.len(), Default::default());
    for r in &c.initial_state {
        tick!(pace, count);
        wanted.insert((r.source_id.as_str(), r.prefix), &r.path);
    }
    let mut fixes = Vec::new();
    for ((source, prefix), path) in &wanted {
        tick!(pace, count);
        let key = (source.to_string(), *prefix);
        if state.get(&key) != Some(*path) {
            fixes.push(event(
                c.start,
                EventKind::Announce,
                &key,
                Some((*path).clone()),
            ));
        }
    }
    for key in state.keys() {
        tick!(pace, count);
        if !wanted.contains_key(&(key.0.as_str(), key.1)) {
            fixes.push(event(c.start, EventKind::Withdraw, key, None));
        }
    }
    // Deterministic order, whatever the hash maps did.
    crate::analysis::order::sort_by(&mut fixes, |a, b| {
        (&a.attrs.source_id, a.attrs.prefix).cmp(&(&b.attrs.source_id, b.attrs.prefix))
    });
    for f in fixes {
        apply(state, &f);
        events.push(f);
    }
    Ok(())
}

fn event(t: UtcTime, kind: EventKind, key: &(String, Prefix), path: Option<WirePath>) -> Event {
    Event {
        timestamp: t,
        kind,
        attrs: EventAttrs {
            source_id: key.0.clone(),
            prefix: key.1,
            path,
        },
    }
}

/// One view's answers: for each batch of resources (a country's ASNs), its time chunks in
/// order. Each batch's chunks are stitched, then the batches merged: the result replays as one
/// request for every resource over the whole window would.
pub fn assemble(batches: Vec<Vec<Bgplay>>) -> Option<Bgplay> {
    unpaced(assemble_paced(batches, &mut Unpaced))
}

/// `assemble`, pausing as `pace` asks.
pub async fn assemble_paced<P: Pace>(
    batches: Vec<Vec<Bgplay>>,
    pace: &mut P,
) -> Result<Option<Bgplay>, P::Stop> {
    let mut stitched: Vec<Bgplay> = Vec::with_capacity(batches.len());
    for mut chunks in batches {
        let one = if chunks.len() == 1 {
            chunks.pop()
        } else {
            stitch_paced(&chunks, pace).await?
        };
        stitched.extend(one);
        for c in chunks {
            drop_paced(c.initial_state, pace).await?;
            drop_paced(c.events, pace).await?;
        }
    }
    super::input::merge_paced(stitched, pace).await
}

/// Cuts one answer into chunks as the API would answer them (used to test the stitching).
pub fn split(b: &Bgplay, cuts: &[UtcTime]) -> Vec<Bgplay> {
    let mut bounds: Vec<UtcTime> = cuts
        .iter()
        .copied()
        .filter(|t| *t > b.start && *t < b.end)
        .collect();
    crate::analysis::order::sort(&mut bounds);
    bounds.dedup();
    let mut edges = vec![b.start];
    edges.extend(bounds);
    edges.push(b.end);
    let mut state: FxHashMap<(String, Prefix), WirePath> = FxHashMap::default();
    for r in &b.initial_state {
        state.insert((r.source_id.clone(), r.prefix), r.path.clone());
    }
    let mut out = Vec::new();
    let mut events = b.events.iter().peekable();
    for w in edges.windows(2) {
        let (Some(&a), Some(&z)) = (w.first(), w.get(1)) else {
            continue;
        };
        let mut initial: Vec<_> = state
            .iter()
            .map(|((s, p), path)| crate::api::ripestat::Route {
                source_id: s.clone(),
                prefix: *p,
                path: path.clone(),
            })
            .collect();
        crate::analysis::order::sort_by(&mut initial, |x, y| {
            (&x.source_id, x.prefix).cmp(&(&y.source_id, y.prefix))
        });
        let mut mine = Vec::new();
        // Events at a cut belong to the later chunk, after its initial state.
        while let Some(e) = events.next_if(|e| e.timestamp < z || z == b.end) {
            apply(&mut state, e);
            mine.push(e.clone());
        }
        out.push(Bgplay {
            start: a,
            end: z,
            sources: b.sources.clone(),
            targets: b.targets.clone(),
            nodes: b.nodes.clone(),
            initial_state: initial,
            events: mine,
        });
    }
    out
}
