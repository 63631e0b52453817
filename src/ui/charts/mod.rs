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
