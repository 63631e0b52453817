//! Outage detection by IODA's rule: the baseline is the median of the trailing 24 h; a sample
//! below 99 % of it is a warning, below 50 % critical; consecutive alerts merge into one event
//! whose score is the sum of drop % × minutes.

use crate::model::UtcTime;

use super::{TimeSeries, BASELINE_SECS};

pub const WARNING_RATIO: f64 = 0.99;
pub const CRITICAL_RATIO: f64 = 0.5;
/// A baseline needs at least this share of its window known, or the sample gets no verdict.
const MIN_HISTORY_SHARE: f64 = 0.25;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Normal,
    Warning,
    Critical,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alert {
    pub time: UtcTime,
    pub value: f64,
    pub baseline: f64,
    pub level: Level,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// First alerting sample.
    pub start: UtcTime,
    /// First sample back to normal (or the end of the data when `ongoing`).
    pub end: UtcTime,
    pub ongoing: bool,
    pub level: Level,
    pub min_value: f64,
    /// The baseline when the event started.
    pub baseline: f64,
    pub score: f64,
    pub alerts: Vec<Alert>,
}

impl Event {
    pub fn duration_secs(&self) -> i64 {
        self.end.secs() - self.start.secs()
    }

    /// How deep the drop went: 1.0 = nothing left.
    pub fn depth(&self) -> f64 {
        if self.baseline > 0.0 {
            (1.0 - self.min_value / self.baseline).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// Runs the rule on every sample at or after `from`; earlier samples only feed baselines.
pub fn detect(series: &TimeSeries, from: UtcTime) -> Vec<Event> {
    let step = series.step.max(1);
    let window = (BASELINE_SECS / step).max(1) as usize;
    let min_known = ((window as f64) * MIN_HISTORY_SHARE).ceil() as usize;
    // Sorted values of the trailing window [i - window, i).
    let mut sorted: Vec<f64> = Vec::with_capacity(window);
    let mut events = Vec::new();
    let mut open: Option<Event> = None;
    for (i, v) in series.values.iter().enumerate() {
        if i >= window {
            if let Some(Some(old)) = series.values.get(i - window) {
                let pos = sorted.partition_point(|x| x < old);
                if pos < sorted.len() {
                    sorted.remove(pos);
                }
            }
        }
        let t = series.time(i);
        let verdict = match (*v, median(&sorted)) {
            (Some(value), Some(baseline))
                if t >= from && sorted.len() >= min_known && baseline > 0.0 =>
            {
                let ratio = value / baseline;
                let level = if ratio < CRITICAL_RATIO {
                    Level::Critical
                } else if ratio < WARNING_RATIO {
                    Level::Warning
                } else {
                    Level::Normal
                };
                Some(Alert {
                    time: t,
                    value,
                    baseline,
                    level,
                })
            }
            _ => None,
        };
        let alerting = verdict.filter(|a| a.level != Level::Normal);
        match (alerting, open.as_mut()) {
            (Some(a), Some(ev)) => {
                ev.level = ev.level.max(a.level);
                ev.min_value = ev.min_value.min(a.value);
                ev.score += drop_pct(&a) * step as f64 / 60.0;
                ev.alerts.push(a);
            }
            (Some(a), None) => {
                open = Some(Event {
                    start: t,
                    end: t.plus(step),
                    ongoing: false,
                    level: a.level,
                    min_value: a.value,
                    baseline: a.baseline,
                    score: drop_pct(&a) * step as f64 / 60.0,
                    alerts: vec![a],
                });
            }
            // A normal sample or a gap closes the event.
            (None, _) => {
                if let Some(mut ev) = open.take() {
                    ev.end = t;
                    events.push(ev);
                }
            }
        }
        if let Some(v) = v {
            let pos = sorted.partition_point(|x| x < v);
            sorted.insert(pos, *v);
        }
    }
    if let Some(mut ev) = open {
        ev.end = series.time(series.values.len());
        ev.ongoing = true;
        events.push(ev);
    }
    events
}

fn drop_pct(a: &Alert) -> f64 {
    ((1.0 - a.value / a.baseline) * 100.0).max(0.0)
}

fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => sorted.get(n / 2).copied(),
        _ => Some((sorted.get(n / 2 - 1)? + sorted.get(n / 2)?) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(values: Vec<Option<f64>>) -> TimeSeries {
        TimeSeries {
            start: UtcTime(0),
            step: 300,
            values,
        }
    }

    #[test]
    fn finds_a_drop_and_its_end() {
        // 24 h at 4, then 2 h at 0, then back to 4.
        let mut v = vec![Some(4.0); 288];
        v.extend(vec![Some(0.0); 24]);
        v.extend(vec![Some(4.0); 12]);
        let ev = detect(&series(v), UtcTime(0));
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].start, UtcTime(288 * 300));
        assert_eq!(ev[0].end, UtcTime(312 * 300));
        assert_eq!(ev[0].level, Level::Critical);
        assert_eq!(ev[0].depth(), 1.0);
        // 24 samples × 100 % × 5 min.
        assert!((ev[0].score - 24.0 * 100.0 * 5.0).abs() < 1e-9);
    }

    #[test]
    fn a_small_dip_is_a_warning_and_no_history_no_verdict() {
        let mut v = vec![Some(100.0); 288];
        v.push(Some(90.0));
        v.push(Some(100.0));
        let ev = detect(&series(v.clone()), UtcTime(0));
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].level, Level::Warning);
        // Without the trailing day, the same dip cannot be judged.
        let short = series(v[280..].to_vec());
        assert!(detect(&short, UtcTime(0)).is_empty());
    }

    #[test]
    fn shifting_all_times_shifts_all_events() {
        let mut v = vec![Some(4.0); 300];
        v.extend(vec![Some(1.0); 10]);
        v.extend(vec![Some(4.0); 5]);
        let a = detect(&series(v.clone()), UtcTime(0));
        let shifted = TimeSeries {
            start: UtcTime(86_400 * 7),
            step: 300,
            values: v,
        };
        let b = detect(&shifted, UtcTime(86_400 * 7));
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(y.start.secs() - x.start.secs(), 86_400 * 7);
            assert_eq!(y.end.secs() - x.end.secs(), 86_400 * 7);
        }
    }
}
