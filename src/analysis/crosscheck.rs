//! Cross-checks of the replayed state against RIPEstat's own visibility at a dump time: the
//! anchors that tell a reader the client-side replay can be trusted.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::api::ripestat::Visibility;
use crate::model::{Prefix, UtcTime};

use super::Input;

#[derive(Debug, Clone, PartialEq)]
pub struct CollectorCheck {
    /// "00" for RRC00.
    pub collector: String,
    /// Full-table peers RIPEstat counts at this collector, and those it says do not see it.
    pub full_table: u32,
    pub not_seeing: usize,
    /// Peers of this collector holding a route in the replay.
    pub replay_holding: u32,
    /// Peers RIPEstat says do not see the prefix, yet hold it in the replay.
    pub contradicted: Vec<String>,
}

impl CollectorCheck {
    /// The replay agrees when every full-table peer RIPEstat says sees the prefix can be a
    /// holder in the replay, and no peer it says does not see it holds it.
    pub fn agrees(&self) -> bool {
        self.contradicted.is_empty()
            && u64::from(self.replay_holding) + self.not_seeing as u64 >= u64::from(self.full_table)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct VisibilityCheck {
    pub time: UtcTime,
    pub prefix: Prefix,
    pub collectors: Vec<CollectorCheck>,
}

impl VisibilityCheck {
    pub fn agrees(&self) -> bool {
        !self.collectors.is_empty() && self.collectors.iter().all(CollectorCheck::agrees)
    }

    /// Summed in u64: the counts come from the network and may be absurd.
    pub fn full_table_total(&self) -> u64 {
        self.collectors
            .iter()
            .map(|c| u64::from(c.full_table))
            .sum()
    }

    pub fn not_seeing_total(&self) -> usize {
        self.collectors.iter().map(|c| c.not_seeing).sum()
    }
}

/// Replays `input` up to the visibility's query time and compares, collector by collector,
/// which peers hold `prefix` with what RIPEstat reports.
pub fn check_visibility(
    input: &Input,
    prefix: Prefix,
    vis: &Visibility,
) -> Option<VisibilityCheck> {
    check_visibilities(input, &[(prefix, vis)]).pop()
}

/// [`check_visibility`] for several answers, in their order. One walk over the updates serves
/// every answer while their times do not go back (a view's plan: each dump time in order, its
/// prefixes at it), not a walk per answer (six of them held a large entity's page 15-30 ms).
/// Answers about a prefix the replay does not have are left out.
pub fn check_visibilities(
    input: &Input,
    answers: &[(Prefix, &Visibility)],
) -> Vec<VisibilityCheck> {
    let mut out = Vec::with_capacity(answers.len());
    let index = |prefix: &Prefix| input.prefixes.iter().position(|x| x == prefix);
    // Every peer counts here (RIPEstat's list says which of them are full-table), and only the
    // checked prefixes' updates matter: a source holds a route when its last one was an
    // announcement. A row of holders per prefix (a few), all kept by one walk.
    let mut rows: Vec<(usize, Vec<bool>)> = Vec::new();
    for p in answers.iter().filter_map(|(prefix, _)| index(prefix)) {
        if !rows.iter().any(|(q, _)| *q == p) {
            rows.push((p, vec![false; input.source_ids.len()]));
        }
    }
    // The walk: the updates applied and the time reached (None: not started).
    let (mut done, mut reached) = (0, None);
    for (prefix, vis) in answers {
        let Some(p) = index(prefix) else {
            continue;
        };
        if reached.is_some_and(|r| r > vis.query_time) {
            // An earlier time than the last answer's: the walk starts again.
            rows.iter_mut().for_each(|(_, row)| row.fill(false));
            (done, reached) = (0, None);
        }
        let later = input.events.get(done..).unwrap_or(&[]);
        let upto = later.partition_point(|e| e.time <= vis.query_time);
        let first = if reached.is_none() {
            &input.initial[..]
        } else {
            &[]
        };
        for e in first.iter().chain(later.get(..upto).unwrap_or(&[])) {
            if let Some(h) = rows
                .iter_mut()
                .find(|(q, _)| *q == e.prefix as usize)
                .and_then(|(_, row)| row.get_mut(e.source as usize))
            {
                *h = e.path.is_some();
            }
        }
        done += upto;
        reached = Some(vis.query_time);
        let Some((_, holds)) = rows.iter().find(|(q, _)| *q == p) else {
            continue;
        };
        let holders: FxHashSet<&str> = holds
            .iter()
            .zip(&input.source_ids)
            .filter(|(h, _)| **h)
            .map(|(_, id)| id.as_str())
            .collect();
        let mut by_collector: FxHashMap<String, u32> = FxHashMap::default();
        for id in &holders {
            let rrc = id.split_once('-').map_or("", |(r, _)| r);
            *by_collector.entry(rrc.to_string()).or_default() += 1;
        }
        let collectors = vis
            .visibilities
            .iter()
            .map(|c| {
                let name = c.probe.name.to_ascii_lowercase();
                let collector = crate::api::ripestat::collector_number(&name).to_string();
                let contradicted = c
                    .ipv4_full_table_peers_not_seeing
                    .iter()
                    .map(|n| format!("{collector}-{}", n.ip))
                    .filter(|id| holders.contains(id.as_str()))
                    .collect();
                CollectorCheck {
                    replay_holding: by_collector.get(&collector).copied().unwrap_or(0),
                    full_table: c.ipv4_full_table_peer_count,
                    not_seeing: c.ipv4_full_table_peers_not_seeing.len(),
                    contradicted,
                    collector,
                }
            })
            .collect();
        out.push(VisibilityCheck {
            time: vis.query_time,
            prefix: *prefix,
            collectors,
        });
    }
    out
}

/// Prefixes and dump times a view checks at most (one request each pair).
pub const MAX_PREFIXES: usize = 2;
pub const MAX_DUMP_TIMES: usize = 3;
/// RIPEstat's RIB dumps: 00:00, 08:00 and 16:00 UTC.
pub const DUMP_EVERY_SECS: i64 = 8 * 3600;

/// Up to `max` dump times inside `[from, until]`: the first, the last, and evenly between.
pub fn dump_times(from: UtcTime, until: UtcTime, max: usize) -> Vec<UtcTime> {
    let first = from.plus(DUMP_EVERY_SECS - 1).floor_to(DUMP_EVERY_SECS);
    if first > until || max == 0 {
        return Vec::new();
    }
    let n = ((until.secs() - first.secs()) / DUMP_EVERY_SECS) as usize + 1;
    if n <= max {
        return (0..n)
            .map(|i| first.plus(i as i64 * DUMP_EVERY_SECS))
            .collect();
    }
    let mut out: Vec<UtcTime> = (0..max)
        .map(|k| {
            let i = if max == 1 { 0 } else { k * (n - 1) / (max - 1) };
            first.plus(i as i64 * DUMP_EVERY_SECS)
        })
        .collect();
    out.dedup();
    out
}

/// The check in plain words, for the page.
pub fn sentence(c: &VisibilityCheck) -> String {
    let seeing = c
        .full_table_total()
        .saturating_sub(c.not_seeing_total() as u64);
    let head = format!(
        "{} at {}: RIPEstat sees it from {seeing} of {} full-table peers",
        c.prefix,
        c.time,
        c.full_table_total()
    );
    let contradicted: usize = c.collectors.iter().map(|x| x.contradicted.len()).sum();
    if c.agrees() {
        format!("{head}; the replay agrees")
    } else if contradicted > 0 {
        format!(
            "{head}; the replay disagrees: {contradicted} peer(s) RIPEstat says do not see it \
             hold a route in the replay"
        )
    } else {
        format!("{head}; the replay disagrees: fewer peers hold a route in the replay")
    }
}

/// How far the computed visible-/24 series agrees with IODA's `bgp` signal for the same entity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignalAgreement {
    /// Samples where both have a value.
    pub compared: usize,
    /// Of those, samples within half a /24 of each other.
    pub equal: usize,
    pub mean_abs_diff: f64,
}

impl SignalAgreement {
    pub fn share(&self) -> f64 {
        if self.compared == 0 {
            0.0
        } else {
            self.equal as f64 / self.compared as f64
        }
    }
}

/// Compares at IODA's timestamps inside `[from, until]` (IODA may be downsampled: its value
/// is then compared with ours at the same instant).
pub fn ioda_agreement(
    ours: &super::TimeSeries,
    ioda: &crate::api::ioda::Series,
    from: UtcTime,
    until: UtcTime,
) -> Option<SignalAgreement> {
    let (mut compared, mut equal, mut diff) = (0usize, 0usize, 0.0f64);
    for (t, v) in ioda.points().filter(|(t, _)| *t >= from && *t <= until) {
        let Some(mine) = ours.at(t) else { continue };
        compared += 1;
        let d = (mine - v).abs();
        diff += d;
        if d < 0.5 {
            equal += 1;
        }
    }
    (compared > 0).then(|| SignalAgreement {
        compared,
        equal,
        mean_abs_diff: diff / compared as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_times_are_the_00_08_16_utc_dumps_inside_the_window() {
        let t = |s: &str| UtcTime::parse(s).unwrap();
        let from = t("2025-06-06T12:00Z");
        assert_eq!(
            dump_times(from, t("2025-06-07T12:00Z"), 3),
            vec![
                t("2025-06-06T16:00Z"),
                t("2025-06-07T00:00Z"),
                t("2025-06-07T08:00Z")
            ]
        );
        // Longer windows: first, middle and last.
        let week = dump_times(from, t("2025-06-13T12:00Z"), 3);
        assert_eq!(week.len(), 3);
        assert_eq!(week[0], t("2025-06-06T16:00Z"));
        assert_eq!(week[2], t("2025-06-13T08:00Z"));
        assert!(week.iter().all(|x| x.secs() % DUMP_EVERY_SECS == 0));
        // A dump exactly at `from` counts; a window between dumps has none.
        assert_eq!(
            dump_times(t("2025-06-06T16:00Z"), t("2025-06-06T17:00Z"), 3).len(),
            1
        );
        assert!(dump_times(t("2025-06-06T17:00Z"), t("2025-06-06T23:00Z"), 3).is_empty());
    }
}
