//! Series derived from a replay: visible /24s (IODA's definition) and the share of full-table
//! peers reaching the entity through each upstream.

use crate::model::{Asn, Prefix, UtcTime};

use super::Replayed;

/// Values on a fixed grid; `None` where nothing is known.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeSeries {
    pub start: UtcTime,
    pub step: i64,
    pub values: Vec<Option<f64>>,
}

impl TimeSeries {
    pub fn time(&self, i: usize) -> UtcTime {
        self.start.plus(self.step.saturating_mul(i as i64))
    }

    pub fn points(&self) -> impl Iterator<Item = (UtcTime, f64)> + '_ {
        self.values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (self.time(i), v)))
    }

    /// The value in force at `t` (the last sample at or before it).
    pub fn at(&self, t: UtcTime) -> Option<f64> {
        if t < self.start || self.step <= 0 {
            return None;
        }
        let i = ((t.secs() - self.start.secs()) / self.step) as usize;
        self.values.get(i).copied().flatten()
    }
}

/// Number of distinct /24s covered by `prefixes` (overlaps counted once).
pub fn slash24_union<'a>(prefixes: impl Iterator<Item = &'a Prefix>) -> u64 {
    let mut ranges: Vec<(u32, u32)> = prefixes.filter_map(Prefix::slash24_range).collect();
    crate::analysis::order::sort(&mut ranges);
    union_of_sorted(ranges.into_iter())
}

/// The length of the union of ranges given in order of their starts.
fn union_of_sorted(ranges: impl Iterator<Item = (u32, u32)>) -> u64 {
    let mut total = 0u64;
    let mut cur: Option<(u32, u32)> = None;
    for (a, b) in ranges {
        cur = match cur {
            Some((ca, cb)) if a <= cb => Some((ca, cb.max(b))),
            Some((ca, cb)) => {
                total += u64::from(cb - ca);
                Some((a, b))
            }
            None => Some((a, b)),
        };
    }
    total + cur.map_or(0, |(a, b)| u64::from(b - a))
}

/// A /24 is visible when more than half of the full-table peers hold a route covering it.
pub fn visible_slash24s(r: &Replayed) -> TimeSeries {
    // The prefixes' /24 ranges sorted once; each sample then walks them in order (a large
    // entity has thousands of prefixes and hundreds of samples).
    let mut ranges: Vec<(u32, u32, usize)> = r
        .prefixes
        .iter()
        .enumerate()
        .filter_map(|(k, p)| p.slash24_range().map(|(a, b)| (a, b, k)))
        .collect();
    crate::analysis::order::sort(&mut ranges);
    let values = (0..r.len)
        .map(|i| {
            if !r.known.get(i).copied().unwrap_or(false) {
                return None;
            }
            let denom = u64::from(r.denominators.get(i).copied().unwrap_or(0));
            if denom == 0 {
                return None;
            }
            let holders = r.holders_at(i);
            let visible = ranges
                .iter()
                .filter(|(_, _, k)| holders.get(*k).is_some_and(|h| u64::from(*h) * 2 > denom))
                .map(|(a, b, _)| (*a, *b));
            Some(union_of_sorted(visible) as f64)
        })
        .collect();
    TimeSeries {
        start: r.start,
        step: r.step,
        values,
    }
}

/// For each upstream, the share (0..1) of full-table peer routes that go through it, weighted
/// by the /24s of each prefix (every prefix weighs 1 when none covers a whole /24).
pub fn upstream_shares(r: &Replayed) -> Vec<(Asn, TimeSeries)> {
    let weights: Vec<f64> = r
        .prefixes
        .iter()
        .map(|p| f64::from(p.slash24_count()))
        .collect();
    let uniform = weights.iter().all(|w| *w == 0.0);
    let weight = |p: usize| {
        if uniform {
            1.0
        } else {
            weights.get(p).copied().unwrap_or(0.0)
        }
    };
    let total_weight: f64 = (0..r.prefixes.len()).map(weight).sum();
    let nu = r.upstreams.len();
    r.upstreams
        .iter()
        .enumerate()
        .map(|(u, asn)| {
            let values = (0..r.len)
                .map(|i| {
                    let denom = f64::from(r.denominators.get(i).copied().unwrap_or(0));
                    if !r.known.get(i).copied().unwrap_or(false)
                        || denom == 0.0
                        || total_weight == 0.0
                    {
                        return None;
                    }
                    let by_up = r.holders_by_up_at(i);
                    let sum: f64 = (0..r.prefixes.len())
                        .map(|p| weight(p) * f64::from(by_up.get(p * nu + u).copied().unwrap_or(0)))
                        .sum();
                    Some((sum / denom / total_weight).clamp(0.0, 1.0))
                })
                .collect();
            (
                *asn,
                TimeSeries {
                    start: r.start,
                    step: r.step,
                    values,
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_prefixes_count_once() {
        let ps: Vec<Prefix> = [
            "175.45.176.0/22",
            "175.45.177.0/24",
            "175.45.180.0/24",
            "10.0.0.0/25",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        assert_eq!(slash24_union(ps.iter()), 5);
        assert_eq!(slash24_union([].iter()), 0);
    }
}
