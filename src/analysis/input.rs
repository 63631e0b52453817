//! Interns a bgplay answer into compact indexes so replay touches integers, not strings.

use rustc_hash::{FxHashMap, FxHashSet};

use super::order::sort_by_key_paced;
use super::pace::{tick, unpaced, Growing, Pace, Unpaced};
use crate::api::ripestat::{Bgplay, EventKind};
use crate::model::{Asn, Prefix, UtcTime};

/// A distinct AS path with what the analysis needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathInfo {
    /// The path with prepending removed (consecutive repeats collapsed).
    pub hops: Vec<Asn>,
    /// The AS just before the origin; None for a path of one AS, with an AS_SET, or a loop.
    pub upstream: Option<Asn>,
    pub has_set: bool,
    pub has_loop: bool,
}

impl PathInfo {
    pub fn new(raw: &[Asn], has_set: bool) -> PathInfo {
        let mut hops: Vec<Asn> = Vec::with_capacity(raw.len());
        for a in raw {
            if hops.last() != Some(a) {
                hops.push(*a);
            }
        }
        // Paths are short (rarely over 10 hops): a pairwise scan beats sorting a copy.
        let has_loop = hops
            .iter()
            .enumerate()
            .any(|(i, a)| hops.get(i + 1..).is_some_and(|rest| rest.contains(a)));
        let upstream = match hops.as_slice() {
            [.., up, _origin] if !has_set && !has_loop => Some(*up),
            _ => None,
        };
        PathInfo {
            hops,
            upstream,
            has_set,
            has_loop,
        }
    }

    pub fn origin(&self) -> Option<Asn> {
        self.hops.last().copied()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactEvent {
    pub time: UtcTime,
    pub source: u32,
    pub prefix: u32,
    /// None for a withdrawal.
    pub path: Option<u32>,
}

/// A bgplay answer, interned: sources, prefixes and paths become indexes.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub start: UtcTime,
    pub end: UtcTime,
    pub source_ids: Vec<String>,
    pub source_asns: Vec<Asn>,
    pub prefixes: Vec<Prefix>,
    pub paths: Vec<PathInfo>,
    pub initial: Vec<CompactEvent>,
    /// Sorted by time (stable: the API's order breaks ties).
    pub events: Vec<CompactEvent>,
    pub as_names: FxHashMap<Asn, String>,
    /// Events dropped because they named an unknown source (counted, not hidden).
    pub skipped_events: usize,
}

impl Input {
    pub fn from_bgplay(b: &Bgplay) -> Input {
        unpaced(Input::from_bgplay_paced(b, &mut Unpaced))
    }

    /// `from_bgplay`, pausing as `pace` asks (a large entity has a million events).
    pub async fn from_bgplay_paced<P: Pace>(b: &Bgplay, pace: &mut P) -> Result<Input, P::Stop> {
        let mut count = 0;
        let mut src_index: FxHashMap<&str, u32> =
            FxHashMap::with_capacity_and_hasher(b.sources.len(), Default::default());
        let mut source_ids = Vec::with_capacity(b.sources.len());
        let mut source_asns = Vec::with_capacity(b.sources.len());
        for s in &b.sources {
            if !src_index.contains_key(s.id.as_str()) {
                src_index.insert(&s.id, source_ids.len() as u32);
                source_ids.push(s.id.clone());
                source_asns.push(s.as_number);
            }
        }
        let mut pfx_index: FxHashMap<Prefix, u32> = FxHashMap::default();
        let mut prefixes = Vec::new();
        for t in &b.targets {
            intern_prefix(&mut pfx_index, &mut prefixes, t.prefix);
        }
        let mut path_index: FxHashMap<(&[Asn], bool), u32> = FxHashMap::default();
        let mut paths: Vec<PathInfo> = Vec::new();
        let mut skipped = 0;
        let mut initial = Vec::with_capacity(b.initial_state.len());
        for r in &b.initial_state {
            tick!(pace, count);
            let Some(&source) = src_index.get(r.source_id.as_str()) else {
                skipped += 1;
                continue;
            };
            let prefix = intern_prefix(&mut pfx_index, &mut prefixes, r.prefix);
            let path = intern_path(&mut path_index, &mut paths, &r.path.asns, r.path.has_set);
            initial.push(CompactEvent {
                time: b.start,
                source,
                prefix,
                path: Some(path),
            });
        }
        let mut events = Vec::with_capacity(b.events.len());
        for e in &b.events {
            tick!(pace, count);
            let Some(&source) = src_index.get(e.attrs.source_id.as_str()) else {
                skipped += 1;
                continue;
            };
            let prefix = intern_prefix(&mut pfx_index, &mut prefixes, e.attrs.prefix);
            let path = match (e.kind, &e.attrs.path) {
                (EventKind::Announce, Some(p)) => {
                    Some(intern_path(&mut path_index, &mut paths, &p.asns, p.has_set))
                }
                // An announcement without a path carries no route we can attribute: skip it.
                (EventKind::Announce, None) => {
                    skipped += 1;
                    continue;
                }
                (EventKind::Withdraw, _) => None,
            };
            events.push(CompactEvent {
                time: e.timestamp,
                source,
                prefix,
                path,
            });
        }
        sort_by_key_paced(&mut events, |e| e.time, pace).await?;
        let as_names = b
            .nodes
            .iter()
            .filter_map(|n| {
                n.owner
                    .as_ref()
                    .map(|o| (n.as_number, o.trim().to_string()))
            })
            .filter(|(_, o)| !o.is_empty())
            .collect();
        Ok(Input {
            start: b.start,
            end: b.end,
            source_ids,
            source_asns,
            prefixes,
            paths,
            initial,
            events,
            as_names,
            skipped_events: skipped,
        })
    }
}

/// Merges the answers of several bgplay requests over the same window (a country's batches of
/// ASNs) into one: the union of sources, targets and AS names, every initial route, and every
/// update. Updates are left in answer order: `Input::from_bgplay` sorts them by time (stable,
/// so the answers' order breaks ties). A prefix two answers both carry (announced by two of
/// the ASNs) comes with the same updates in each: it is taken from the first answer only, so
/// its updates are not counted twice. None for no answer.
pub fn merge(parts: Vec<Bgplay>) -> Option<Bgplay> {
    unpaced(merge_paced(parts, &mut Unpaced))
}

/// `merge`, pausing as `pace` asks (every route and update is moved).
pub async fn merge_paced<P: Pace>(
    parts: Vec<Bgplay>,
    pace: &mut P,
) -> Result<Option<Bgplay>, P::Stop> {
    let mut count = 0;
    let mut parts = parts.into_iter();
    let Some(mut out) = parts.next() else {
        return Ok(None);
    };
    let mut seen: FxHashSet<Prefix> = out.targets.iter().map(|t| t.prefix).collect();
    // The first answer's routes and updates are moved like the others': growing its vectors
    // would copy them whole (see `Growing`).
    let first = Bgplay {
        start: out.start,
        end: out.end,
        initial_state: std::mem::take(&mut out.initial_state),
        events: std::mem::take(&mut out.events),
        ..Bgplay::empty()
    };
    let (mut initial_state, mut events) = (Growing::default(), Growing::default());
    for p in std::iter::once(first).chain(parts) {
        let repeated: FxHashSet<Prefix> = p
            .targets
            .iter()
            .map(|t| t.prefix)
            .filter(|x| seen.contains(x))
            .collect();
        seen.extend(p.targets.iter().map(|t| t.prefix));
        out.start = out.start.min(p.start);
        out.end = out.end.max(p.end);
        super::chunks::merge_meta(&mut out, &p);
        for r in p.initial_state {
            tick!(pace, count);
            if !repeated.contains(&r.prefix) {
                initial_state.push(r);
            }
        }
        for e in p.events {
            tick!(pace, count);
            if !repeated.contains(&e.attrs.prefix) {
                events.push(e);
            }
        }
    }
    out.initial_state = initial_state.into_vec(pace).await?;
    out.events = events.into_vec(pace).await?;
    Ok(Some(out))
}

fn intern_prefix(index: &mut FxHashMap<Prefix, u32>, prefixes: &mut Vec<Prefix>, p: Prefix) -> u32 {
    *index.entry(p).or_insert_with(|| {
        prefixes.push(p);
        (prefixes.len() - 1) as u32
    })
}

/// Keyed by the raw slice borrowed from the answer, so a repeated path costs one lookup.
fn intern_path<'a>(
    index: &mut FxHashMap<(&'a [Asn], bool), u32>,
    paths: &mut Vec<PathInfo>,
    asns: &'a [Asn],
    has_set: bool,
) -> u32 {
    *index.entry((asns, has_set)).or_insert_with(|| {
        paths.push(PathInfo::new(asns, has_set));
        (paths.len() - 1) as u32
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ripestat::parse;

    /// A synthetic bgplay answer: one origin, its prefix, peers `a` and `b`, one update each.
    fn answer(origin: u32, prefix: &str, t0: i64, t1: i64) -> Bgplay {
        let body = format!(
            r#"{{"query_starttime":{t0},"query_endtime":{t1},
            "sources":[{{"id":"00-a","as_number":1}},{{"id":"01-b","as_number":2}}],
            "targets":[{{"prefix":"{prefix}"}}],
            "nodes":[{{"as_number":{origin},"owner":"ORIGIN-{origin}"}},{{"as_number":7,"owner":"UP"}}],
            "initial_state":[{{"source_id":"00-a","target_prefix":"{prefix}","path":[1,7,{origin}]}}],
            "events":[{{"timestamp":{w},"type":"W","attrs":{{"source_id":"00-a","target_prefix":"{prefix}"}}}},
                      {{"timestamp":{a},"type":"A","attrs":{{"source_id":"01-b","target_prefix":"{prefix}","path":[2,7,{origin}]}}}}]}}"#,
            w = t0 + origin as i64,
            a = t0 + 2 * origin as i64,
        );
        parse::<Bgplay>(&body).unwrap().data
    }

    #[test]
    fn merging_batches_is_the_union_with_updates_in_time_order() {
        let x = answer(30, "10.0.0.0/24", 1000, 9000);
        let y = answer(20, "10.0.1.0/24", 1000, 9000);
        let m = merge(vec![x.clone(), y.clone()]).unwrap();
        assert_eq!(m.sources.len(), 2, "the same peers once");
        assert_eq!(m.targets.len(), 2);
        assert_eq!(m.nodes.len(), 3, "AS7 once, both origins");
        assert_eq!(m.initial_state.len(), 2);
        // The merged input holds every prefix, and every update in time order.
        let input = Input::from_bgplay(&m);
        assert_eq!(input.prefixes.len(), 2);
        let times: Vec<i64> = input.events.iter().map(|e| e.time.secs()).collect();
        assert_eq!(times, vec![1020, 1030, 1040, 1060]);
        assert_eq!(merge(vec![x.clone()]), Some(x.clone()));
        assert_eq!(merge(vec![]), None);
        // Two ASNs announcing the same prefix: its updates once, not twice.
        let twice = merge(vec![x.clone(), x.clone(), y.clone()]).unwrap();
        assert_eq!(twice.events.len(), m.events.len());
        assert_eq!(twice.initial_state.len(), m.initial_state.len());
    }

    #[test]
    fn prepending_never_changes_the_upstream() {
        let plain = PathInfo::new(&[Asn(1), Asn(2), Asn(4837), Asn(131279)], false);
        let prepended = PathInfo::new(
            &[
                Asn(1),
                Asn(2),
                Asn(4837),
                Asn(4837),
                Asn(131279),
                Asn(131279),
            ],
            false,
        );
        assert_eq!(plain.upstream, Some(Asn(4837)));
        assert_eq!(prepended.upstream, plain.upstream);
        assert_eq!(prepended.hops, plain.hops);
    }

    proptest::proptest! {
        /// Any path without prepending (no AS twice in a row; loops and AS_SETs included),
        /// then each hop repeated 1-4 times: the same hops, loop and upstream, and without a
        /// loop or set the upstream is the AS just before the origin.
        #[test]
        fn removing_prepending_never_changes_the_upstream_of_a_plain_path(
            asns in proptest::collection::vec(1u32..12, 1..10),
            repeats in proptest::collection::vec(1usize..5, 10),
            has_set in proptest::bool::ANY,
        ) {
            let mut plain: Vec<Asn> = asns.into_iter().map(Asn).collect();
            plain.dedup();
            let prepended: Vec<Asn> = plain
                .iter()
                .zip(&repeats)
                .flat_map(|(a, n)| std::iter::repeat_n(*a, *n))
                .collect();
            let (p, q) = (PathInfo::new(&plain, has_set), PathInfo::new(&prepended, has_set));
            proptest::prop_assert_eq!(&q.hops, &plain);
            proptest::prop_assert_eq!(q.has_loop, p.has_loop);
            proptest::prop_assert_eq!(q.upstream, p.upstream);
            let before_origin = plain.len().checked_sub(2).and_then(|i| plain.get(i)).copied();
            if !has_set && !p.has_loop {
                proptest::prop_assert_eq!(p.upstream, before_origin);
            } else {
                proptest::prop_assert_eq!(p.upstream, None);
            }
        }
    }

    #[test]
    fn loops_sets_and_direct_paths_have_no_upstream() {
        assert_eq!(
            PathInfo::new(&[Asn(1), Asn(2), Asn(1), Asn(9)], false).upstream,
            None
        );
        assert!(PathInfo::new(&[Asn(1), Asn(2), Asn(1), Asn(9)], false).has_loop);
        assert_eq!(
            PathInfo::new(&[Asn(1), Asn(2), Asn(9)], true).upstream,
            None
        );
        assert_eq!(PathInfo::new(&[Asn(9)], false).upstream, None);
    }
}
