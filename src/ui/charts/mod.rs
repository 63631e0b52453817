//! Time-series charts: a model (pure data), drawing generic over any plotters backend (canvas in
//! the browser, SVG in native tests), and the pixel ↔ time mapping used for clicks.

mod draw;

pub use draw::draw;

use super::colors::Rgb;
use crate::model::UtcTime;

/// Left gutter for the y labels and right margin, in CSS pixels: fixed so that a click can be
/// mapped to a time without asking plotters.
pub const Y_LABEL_WIDTH: u32 = 56;
pub const MARGIN_RIGHT: u32 = 16;

#[derive(Debug, Clone, PartialEq)]
pub struct ChartModel {
    pub from: UtcTime,
    pub until: UtcTime,
    pub panels: Vec<Panel>,
    pub bands: Vec<Band>,
    pub cursor: Option<UtcTime>,
    /// The range being dragged out to zoom into, drawn as a blue band.
    pub selection: Option<(UtcTime, UtcTime)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub title: String,
    pub y_max: f64,
    pub lines: Vec<Line>,
    /// Shown instead of lines when the panel has no data (never drawn as zero).
    pub empty_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub color: Rgb,
    /// `None` marks a gap: the line is broken there, not drawn to zero.
    pub points: Vec<(UtcTime, Option<f64>)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub from: UtcTime,
    pub until: UtcTime,
    pub critical: bool,
}

/// One line of text with every value at `t`: the hover readout (and what a screen reader gets).
pub fn readout(m: &ChartModel, t: UtcTime) -> String {
    let mut parts = vec![t.to_display()];
    for panel in &m.panels {
        for line in &panel.lines {
            let i = line.points.partition_point(|(pt, _)| *pt <= t);
            let value = i
                .checked_sub(1)
                .and_then(|i| line.points.get(i))
                .and_then(|(_, v)| *v);
            parts.push(match value {
                Some(v) if v.fract() == 0.0 => format!("{}: {v:.0}", line.label),
                Some(v) => format!("{}: {v:.1}", line.label),
                None => format!("{}: no data", line.label),
            });
        }
    }
    parts.join(" · ")
}

/// The time under horizontal pixel `x` of a chart `width` pixels wide, if inside the plot.
pub fn time_at(x: f64, width: f64, from: UtcTime, until: UtcTime) -> Option<UtcTime> {
    let left = f64::from(Y_LABEL_WIDTH);
    let plot = width - left - f64::from(MARGIN_RIGHT);
    if plot <= 0.0 || x < left || x > left + plot || until <= from {
        return None;
    }
    let frac = (x - left) / plot;
    let span = (until.secs() - from.secs()) as f64;
    Some(UtcTime(from.secs() + (frac * span).round() as i64))
}

/// The inverse of `time_at`.
pub fn x_of(t: UtcTime, width: f64, from: UtcTime, until: UtcTime) -> f64 {
    let left = f64::from(Y_LABEL_WIDTH);
    let plot = (width - left - f64::from(MARGIN_RIGHT)).max(0.0);
    let span = (until.secs() - from.secs()).max(1) as f64;
    left + plot * (t.secs() - from.secs()) as f64 / span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readout_gives_every_value_in_force_at_the_time() {
        let line = |label: &str, pts: Vec<(i64, Option<f64>)>| Line {
            label: label.into(),
            color: (0, 0, 0),
            points: pts.into_iter().map(|(t, v)| (UtcTime(t), v)).collect(),
        };
        let m = ChartModel {
            from: UtcTime(0),
            until: UtcTime(900),
            panels: vec![
                Panel {
                    title: "a".into(),
                    y_max: 4.0,
                    lines: vec![line("visible /24s", vec![(0, Some(4.0)), (300, Some(0.0))])],
                    empty_note: None,
                },
                Panel {
                    title: "b".into(),
                    y_max: 100.0,
                    lines: vec![line("via AS4837", vec![(0, Some(61.25)), (300, None)])],
                    empty_note: None,
                },
            ],
            bands: vec![],
            cursor: None,
            selection: None,
        };
        assert_eq!(
            readout(&m, UtcTime(299)),
            "1970-01-01 00:04:59 UTC · visible /24s: 4 · via AS4837: 61.2"
        );
        assert_eq!(
            readout(&m, UtcTime(300)),
            "1970-01-01 00:05 UTC · visible /24s: 0 · via AS4837: no data"
        );
    }

    #[test]
    fn pixels_and_times_map_both_ways() {
        let (from, until) = (UtcTime(1_749_211_200), UtcTime(1_749_297_600));
        let w = 1000.0;
        assert_eq!(
            time_at(f64::from(Y_LABEL_WIDTH), w, from, until),
            Some(from)
        );
        assert_eq!(
            time_at(w - f64::from(MARGIN_RIGHT), w, from, until),
            Some(until)
        );
        assert_eq!(time_at(10.0, w, from, until), None);
        let mid = UtcTime(1_749_254_400);
        let x = x_of(mid, w, from, until);
        assert_eq!(time_at(x, w, from, until), Some(mid));
    }
}
