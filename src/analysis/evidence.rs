//! The evidence behind an outage, at the resolution of single updates rather than 5-minute
//! samples: which link went first and how far apart, whether routes vanished everywhere at
//! once (origin-side) or peer by peer, whether paths were shifting before, and how it came back.
//! Sentences are built from the numbers; times stay typed so the page can make them clickable.

use crate::model::{format_duration, Asn, Prefix, UtcTime};

use super::pace::{tick, unpaced, Pace, Unpaced};
use super::replay::{busiest_upstreams_of, RouteState};
use super::{Event, Input, PeerSet};

/// The baseline is read this long before the first alerting sample.
const LEAD_SECS: i64 = 15 * 60;
/// How long after the event's end recovery is followed.
const TAIL_SECS: i64 = 3 * 3600;
/// A loss this fast (90 % → 10 % of routes) reads as withdrawn everywhere at once.
const AT_ONCE_SECS: i64 = 5 * 60;
const PATH_WINDOW_SECS: i64 = 30 * 60;
/// Path hunting right before a loss is part of it: these last minutes count as "unfolding".
const UNFOLDING_SECS: i64 = 5 * 60;

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    Time(UtcTime),
}

pub type Sentence = Vec<Part>;

/// Renders a sentence as plain text (for text alternatives and tests).
pub fn plain(s: &Sentence) -> String {
    s.iter()
        .map(|p| match p {
            Part::Text(t) => t.clone(),
            Part::Time(t) => time_of_day(*t),
        })
        .collect()
}

/// `17:29:40 UTC`, with the date when it is not midnight-aligned to the reader (always UTC).
pub fn time_of_day(t: UtcTime) -> String {
    let (_, mo, d, h, mi, s) = t.civil();
    format!("{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC")
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkTiming {
    pub upstream: Asn,
    /// Full-table peer routes through this link at the baseline time.
    pub baseline: u32,
    /// First moment below half the baseline, and the moment the last route went.
    pub lost_half: Option<UtcTime>,
    pub lost_all: Option<UtcTime>,
    /// After the loss: the first route back, and back to half the baseline.
    pub back_first: Option<UtcTime>,
    pub back_half: Option<UtcTime>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub baseline_time: UtcTime,
    pub baseline_routes: u32,
    pub links: Vec<LinkTiming>,
    /// When routes fell below 90 % and below 10 % of the baseline.
    pub below_90: Option<UtcTime>,
    pub below_10: Option<UtcTime>,
    /// Path changes of full-table peers in the 30 min before the first sign of the loss, and
    /// per 30 min in the day before that.
    pub path_changes_before: usize,
    pub path_changes_typical: f64,
    /// Path changes from 5 min before the first sign until 90 % of routes were gone.
    pub path_changes_unfolding: usize,
    /// Prefixes in the order they became visible again.
    pub prefixes_back: Vec<(Prefix, UtcTime)>,
}

impl Evidence {
    pub fn spread_secs(&self) -> Option<i64> {
        Some(self.below_10?.secs() - self.below_90?.secs())
    }
}

pub fn evidence(input: &Input, peers: &PeerSet, outage: &Event) -> Evidence {
    let upstreams = busiest_upstreams_of(input, peers);
    unpaced(evidence_paced(
        input,
        peers,
        &upstreams,
        outage,
        &mut Unpaced,
    ))
}

/// `evidence`, pausing as `pace` asks (it replays the window up to the outage's end).
pub async fn evidence_paced<P: Pace>(
    input: &Input,
    peers: &PeerSet,
    upstreams: &[Asn],
    outage: &Event,
    pace: &mut P,
) -> Result<Evidence, P::Stop> {
    let mut count = 0;
    let baseline_time = outage.start.plus(-LEAD_SECS);
    let day_before = baseline_time.plus(-24 * 3600);
    let mut state = RouteState::new(input, peers, upstreams.to_vec());
    for e in &input.initial {
        state.apply(e);
        tick!(pace, count);
    }
    let mut events = input.events.iter().peekable();
    // Path changes in the day before: the typical rate.
    let mut typical_changes = 0usize;
    while let Some(e) = events.next_if(|e| e.time <= baseline_time) {
        tick!(pace, count);
        let old = state.apply(e);
        if e.time > day_before && is_path_change(old, e.path) {
            typical_changes += 1;
        }
    }
    let np = input.prefixes.len();
    let baseline_routes = state.total;
    let baselines: Vec<u32> = state.total_by_up.clone();
    let mut links: Vec<LinkTiming> = state
        .upstreams
        .iter()
        .zip(&baselines)
        .filter(|(_, b)| **b > 0)
        .map(|(u, b)| LinkTiming {
            upstream: *u,
            baseline: *b,
            lost_half: None,
            lost_all: None,
            back_first: None,
            back_half: None,
        })
        .collect();
    let up_index: Vec<usize> = links
        .iter()
        .filter_map(|l| state.upstreams.binary_search(&l.upstream).ok())
        .collect();
    let mut below_90 = None;
    let mut below_10 = None;
    let mut changes_log: Vec<UtcTime> = Vec::new();
    // Per prefix: visible since the baseline, lost (invisible at some point), or back again.
    #[derive(Clone, Copy, PartialEq)]
    enum Course {
        Up,
        Lost,
        Back,
    }
    let mut course = vec![Course::Up; np];
    let mut prefixes_back = Vec::new();
    let end = outage.end.plus(TAIL_SECS);
    for e in events.take_while(|e| e.time <= end) {
        tick!(pace, count);
        let old = state.apply(e);
        if is_path_change(old, e.path) && below_90.is_none() {
            changes_log.push(e.time);
        }
        let total = f64::from(state.total);
        let base = f64::from(baseline_routes);
        if below_90.is_none() && total < 0.9 * base {
            below_90 = Some(e.time);
        }
        if below_10.is_none() && total < 0.1 * base {
            below_10 = Some(e.time);
        }
        for (link, u) in links.iter_mut().zip(&up_index) {
            let now = state.total_by_up.get(*u).copied().unwrap_or(0);
            if link.lost_half.is_none() && now * 2 < link.baseline {
                link.lost_half = Some(e.time);
            }
            if link.lost_all.is_none() && now == 0 {
                link.lost_all = Some(e.time);
            }
            if link.lost_all.is_some() && link.back_first.is_none() && now > 0 {
                link.back_first = Some(e.time);
            }
            if link.back_first.is_some() && link.back_half.is_none() && now * 2 >= link.baseline {
                link.back_half = Some(e.time);
            }
        }
        let p = e.prefix as usize;
        let denom = u64::from(peers.denominator_at(e.time));
        let visible = state
            .holders
            .get(p)
            .is_some_and(|h| u64::from(*h) * 2 > denom);
        // O(1) per update: this loop runs over every update of the outage.
        match course.get_mut(p) {
            Some(c) if !visible && *c == Course::Up => *c = Course::Lost,
            Some(c) if visible && *c == Course::Lost => {
                *c = Course::Back;
                if let Some(q) = input.prefixes.get(p) {
                    prefixes_back.push((*q, e.time));
                }
            }
            _ => {}
        }
    }
    // The loss starts at its first sign: a link down to half its routes, or 90 % overall.
    let loss = links
        .iter()
        .filter_map(|l| l.lost_half)
        .chain(below_90)
        .min()
        .unwrap_or(outage.start);
    let unfolding = loss.plus(-UNFOLDING_SECS);
    let path_changes_before = changes_log
        .iter()
        .filter(|t| **t >= loss.plus(-PATH_WINDOW_SECS) && **t < unfolding)
        .count();
    let path_changes_unfolding = changes_log.iter().filter(|t| **t >= unfolding).count();
    // The day before the baseline plus the quiet lead-in, per 30-minute window.
    let path_changes_typical = typical_changes as f64 / (24.0 * 2.0);
    Ok(Evidence {
        baseline_time,
        baseline_routes,
        links,
        below_90,
        below_10,
        path_changes_before,
        path_changes_typical,
        path_changes_unfolding,
        prefixes_back,
    })
}

fn is_path_change(old: Option<u32>, new: Option<u32>) -> bool {
    matches!((old, new), (Some(a), Some(b)) if a != b)
}

/// The sentences a reader of the outage reports wants, built from the numbers.
pub fn sentences(ev: &Evidence, name: &dyn Fn(Asn) -> String) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut lost: Vec<&LinkTiming> = ev.links.iter().filter(|l| l.lost_all.is_some()).collect();
    crate::analysis::order::sort_by_key(&mut lost, |l| l.lost_all);
    let kept: Vec<&LinkTiming> = ev.links.iter().filter(|l| l.lost_all.is_none()).collect();
    match lost.as_slice() {
        [] => {}
        [only] => {
            let mut s = vec![
                Part::Text(format!(
                    "All routes via {} were gone at ",
                    name(only.upstream)
                )),
                Part::Time(only.lost_all.unwrap_or_default()),
            ];
            if !kept.is_empty() {
                let names: Vec<String> = kept.iter().map(|l| name(l.upstream)).collect();
                s.push(Part::Text(format!(
                    "; routes via {} stayed.",
                    names.join(", ")
                )));
            } else {
                s.push(Part::Text(".".into()));
            }
            out.push(s);
        }
        [first, rest @ ..] => {
            let t0 = first.lost_all.unwrap_or_default();
            let mut s = vec![
                Part::Text(format!(
                    "The link via {} went first: its last route was withdrawn at ",
                    name(first.upstream)
                )),
                Part::Time(t0),
            ];
            for l in rest {
                let t = l.lost_all.unwrap_or_default();
                s.push(Part::Text(format!(
                    ", {} s before the last route via {} at ",
                    t.secs() - t0.secs(),
                    name(l.upstream)
                )));
                s.push(Part::Time(t));
            }
            s.push(Part::Text(".".into()));
            out.push(s);
        }
    }
    if let (Some(a), Some(b), Some(spread)) = (ev.below_90, ev.below_10, ev.spread_secs()) {
        let how = if spread <= AT_ONCE_SECS {
            "withdrawn everywhere at once, as when the origin network itself stops announcing (an internal cause)"
        } else {
            "lost gradually, peer by peer or path by path, rather than withdrawn at the origin"
        };
        out.push(vec![
            Part::Text(format!(
                "Of {} routes held by full-table peers, 90 % were gone between ",
                ev.baseline_routes
            )),
            Part::Time(a),
            Part::Text(" and ".into()),
            Part::Time(b),
            Part::Text(format!(" ({}): {how}.", format_duration(spread))),
        ]);
    }
    if ev.below_90.is_some() {
        // The 25 minutes compared with a typical 30: scale the typical rate to match.
        let typical = ev.path_changes_typical * 25.0 / 30.0;
        let unusual = (ev.path_changes_before as f64) > 3.0 * typical + 5.0;
        out.push(vec![Part::Text(format!(
            "From 30 to 5 minutes before the loss, full-table peers changed path {} times (typical: {}){}; \
             as it unfolded, {} more path changes (peers hunting for another way in).",
            ev.path_changes_before,
            crate::model::decimal(typical, 1),
            if unusual { ": paths were shifting well before the routes went" } else { ": no unusual churn beforehand" },
            ev.path_changes_unfolding,
        ))]);
    }
    let mut back: Vec<&LinkTiming> = ev.links.iter().filter(|l| l.back_first.is_some()).collect();
    crate::analysis::order::sort_by_key(&mut back, |l| l.back_first);
    if !back.is_empty() {
        let mut s = vec![Part::Text("Recovery: ".into())];
        for (i, l) in back.iter().enumerate() {
            if i > 0 {
                s.push(Part::Text(", then ".into()));
            }
            s.push(Part::Text(format!("routes via {} from ", name(l.upstream))));
            s.push(Part::Time(l.back_first.unwrap_or_default()));
        }
        if !ev.prefixes_back.is_empty() {
            s.push(Part::Text("; prefixes visible again: ".into()));
            for (i, (p, t)) in ev.prefixes_back.iter().enumerate() {
                if i > 0 {
                    s.push(Part::Text(", ".into()));
                }
                s.push(Part::Text(format!("{p} at ")));
                s.push(Part::Time(*t));
            }
        }
        s.push(Part::Text(".".into()));
        out.push(s);
    }
    out
}
