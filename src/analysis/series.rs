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

/// Visible /24s (a /24 is visible when more than half of the full-table peers hold a route
/// covering it) and, for each upstream, the share (0..1) of full-table peer routes that go
/// through it, weighted by the /24s of each prefix (every prefix weighs 1 when none covers a
/// whole /24). Built sample by sample in one pass over rows laid out as the replay wrote them,
/// so that the page can pause between samples: for a large entity the two series took 8-15 ms
/// at once, going upstream by upstream across the whole replay.
pub struct Series {
    /// The prefixes' /24 ranges, sorted once; each sample walks them in order.
    ranges: Vec<(u32, u32, usize)>,
    weights: Vec<f64>,
    total: f64,
    visible: Vec<Option<f64>>,
    shares: Vec<Vec<Option<f64>>>,
}

impl Series {
    pub fn new(r: &Replayed) -> Series {
        let mut ranges: Vec<(u32, u32, usize)> = r
            .prefixes
            .iter()
            .enumerate()
            .filter_map(|(k, p)| p.slash24_range().map(|(a, b)| (a, b, k)))
            .collect();
        crate::analysis::order::sort(&mut ranges);
        let mut weights: Vec<f64> = r
            .prefixes
            .iter()
            .map(|p| f64::from(p.slash24_count()))
            .collect();
        if weights.iter().all(|w| *w == 0.0) {
            weights.fill(1.0);
        }
        Series {
            ranges,
            total: weights.iter().sum(),
            weights,
            visible: Vec::with_capacity(r.len),
            shares: r
                .upstreams
                .iter()
                .map(|_| Vec::with_capacity(r.len))
                .collect(),
        }
    }

    /// Adds sample `i` of `r` (the one `Series::new` was given).
    pub fn push(&mut self, r: &Replayed, i: usize) {
        let denom = r.denominators.get(i).copied().unwrap_or(0);
        let known = denom > 0 && r.known.get(i).copied().unwrap_or(false);
        let holders = r.holders_at(i);
        let seen = self
            .ranges
            .iter()
            .filter(|(_, _, k)| holders.get(*k).is_some_and(|h| *h > denom / 2))
            .map(|(a, b, _)| (*a, *b));
        self.visible
            .push(known.then(|| union_of_sorted(seen) as f64));
        let nu = self.shares.len();
        let mut sums = vec![0.0; nu];
        // An unknown sample's row is not read.
        let row = if known { r.holders_by_up_at(i) } else { &[] };
        for (row, w) in row.chunks_exact(nu.max(1)).zip(&self.weights) {
            for (sum, h) in sums.iter_mut().zip(row) {
                *sum += w * f64::from(*h);
            }
        }
        let total = self.total;
        for (sum, out) in sums.into_iter().zip(&mut self.shares) {
            let share = sum / f64::from(denom) / total;
            out.push((known && total > 0.0).then(|| share.clamp(0.0, 1.0)));
        }
    }

    /// The visible /24s and each upstream's share.
    pub fn finish(self, r: &Replayed) -> (TimeSeries, Vec<(Asn, TimeSeries)>) {
        let series = |values| TimeSeries {
            start: r.start,
            step: r.step,
            values,
        };
        let shares = self.shares.into_iter().map(series);
        (
            series(self.visible),
            r.upstreams.iter().copied().zip(shares).collect(),
        )
    }
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

    /// Full-table peers, known, holders per prefix, holders per prefix and upstream.
    type Sample = (u32, bool, [u32; 2], [[u32; 2]; 2]);

    /// A replay of two prefixes (a /22 and a /24 inside it) and two upstreams, sample by
    /// sample: `[p0, p1]` holders and `[[p0 via u0, via u1], [p1 via u0, via u1]]`.
    fn replay_of(samples: &[Sample]) -> Replayed {
        Replayed {
            start: UtcTime(1_000_200),
            step: 300,
            len: samples.len(),
            prefixes: vec![
                "10.0.0.0/22".parse().unwrap(),
                "10.0.1.0/24".parse().unwrap(),
            ],
            upstreams: vec![Asn(4837), Asn(20485)],
            holders: samples.iter().flat_map(|s| s.2).collect(),
            holders_by_up: samples.iter().flat_map(|s| s.3).flatten().collect(),
            denominators: samples.iter().map(|s| s.0).collect(),
            known: samples.iter().map(|s| s.1).collect(),
        }
    }

    fn series_of(r: &Replayed) -> (TimeSeries, Vec<(Asn, TimeSeries)>) {
        let mut s = Series::new(r);
        for i in 0..r.len {
            s.push(r, i);
        }
        s.finish(r)
    }

    #[test]
    fn series_weigh_prefixes_by_their_slash24s() {
        let r = replay_of(&[
            // Both prefixes held by more than half: the /24 inside the /22 adds nothing.
            (10, true, [6, 6], [[4, 2], [5, 1]]),
            // Not known (outside the answer): nothing, whatever the counts say.
            (10, false, [6, 6], [[4, 2], [5, 1]]),
            // Exactly half is not more than half: only the /24 is visible.
            (4, true, [2, 3], [[0, 2], [3, 0]]),
            // No full-table peer at all: nothing to divide by.
            (0, true, [0, 0], [[0, 0], [0, 0]]),
        ]);
        let (visible, shares) = series_of(&r);
        assert_eq!(visible.values, [Some(4.0), None, Some(1.0), None]);
        assert_eq!(visible.time(2), UtcTime(1_000_800));
        let ups: Vec<Asn> = shares.iter().map(|(u, _)| *u).collect();
        assert_eq!(ups, [Asn(4837), Asn(20485)]);
        // Weights 4 (/22) and 1 (/24), 5 in all: (4*4 + 1*5) / 10 / 5, (4*2 + 1*1) / 10 / 5, ...
        let close = |s: &TimeSeries, want: [Option<f64>; 4]| {
            s.values.len() == 4
                && s.values.iter().zip(want).all(|(v, w)| match (v, w) {
                    (Some(v), Some(w)) => (v - w).abs() < 1e-12,
                    (v, w) => *v == w,
                })
        };
        assert!(
            close(&shares[0].1, [Some(0.42), None, Some(0.15), None]),
            "{shares:?}"
        );
        assert!(
            close(&shares[1].1, [Some(0.18), None, Some(0.4), None]),
            "{shares:?}"
        );
    }

    #[test]
    fn prefixes_smaller_than_a_slash24_weigh_one_each() {
        let mut r = replay_of(&[(2, true, [2, 1], [[2, 0], [0, 1]])]);
        r.prefixes = vec![
            "10.0.0.0/25".parse().unwrap(),
            "10.0.0.128/25".parse().unwrap(),
        ];
        let (visible, shares) = series_of(&r);
        // Neither covers a whole /24, so none is counted as visible /24s.
        assert_eq!(visible.values, [Some(0.0)]);
        // (1*2 + 1*0) / 2 / 2 and (1*0 + 1*1) / 2 / 2.
        assert_eq!(shares[0].1.values, [Some(0.5)]);
        assert_eq!(shares[1].1.values, [Some(0.25)]);
    }
}
