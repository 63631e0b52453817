//! Time-series charts: a model (pure data), drawing generic over any plotters backend (canvas in
//! the browser, SVG in native tests), and the pixel ↔ time mapping used for clicks.

mod draw;

pub use draw::draw;

use super::colors::Rgb;
use crate::model::decimal;
use crate::model::UtcTime;
use crate::state::Hidden;

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
    /// The id of the line drawn thicker (the selected link or prefix).
    pub highlight: Option<String>,
    /// Colours for a dark page.
    pub dark: bool,
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
    /// What the legend toggles and the URL's `hide=` call it: `visible`, `bgp`, `AS4837`, ….
    pub id: String,
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

/// The model as the view asks: hidden lines left out (a panel left empty goes), and when
/// normalised every line on one panel as a percentage of its own maximum in view.
pub fn shown(mut m: ChartModel, hidden: &Hidden, norm: bool) -> ChartModel {
    for p in &mut m.panels {
        p.lines.retain(|l| !hidden.contains(&l.id));
    }
    if norm {
        let (from, until) = (m.from, m.until);
        let lines: Vec<Line> = m
            .panels
            .drain(..)
            .flat_map(|p| p.lines)
            .map(|mut l| {
                let max = l
                    .points
                    .iter()
                    .filter(|(t, _)| *t >= from && *t <= until)
                    .filter_map(|(_, v)| *v)
                    .fold(0.0, f64::max);
                for (_, v) in &mut l.points {
                    *v = v.map(|x| if max > 0.0 { x / max * 100.0 } else { 0.0 });
                }
                l
            })
            .collect();
        m.panels.push(Panel {
            title: "Normalised: each series as % of its own maximum in view".into(),
            y_max: 100.0,
            lines,
            empty_note: None,
        });
    }
    m.panels
        .retain(|p| !p.lines.is_empty() || (p.empty_note.is_some() && !norm));
    if m.panels
        .iter()
        .all(|p| p.lines.is_empty() && p.empty_note.is_none())
    {
        m.panels = vec![Panel {
            title: String::new(),
            y_max: 1.0,
            lines: Vec::new(),
            empty_note: Some("Every series is hidden: switch one on above.".into()),
        }];
    }
    m
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
                Some(v) if v.fract() == 0.0 => format!("{}: {}", line.label, decimal(v, 0)),
                Some(v) => format!("{}: {}", line.label, decimal(v, 1)),
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

/// A press this close to the cursor line (CSS pixels) grabs it, to drag the moment.
pub const GRAB_PX: f64 = 6.0;

/// Whether a press at `x` grabs the cursor of `m` drawn `width` pixels wide.
pub fn grabs_cursor(m: &ChartModel, x: f64, width: f64) -> bool {
    m.cursor
        .filter(|c| *c >= m.from && *c <= m.until)
        .is_some_and(|c| (x_of(c, width, m.from, m.until) - x).abs() <= GRAB_PX)
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
            id: label.into(),
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
            highlight: None,
            dark: false,
        };
        assert_eq!(
            readout(&m, UtcTime(299)),
            "1970-01-01 00:04:59 UTC · visible /24s: 4 · via AS4837: 61.3"
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

    #[test]
    fn only_a_press_on_the_cursor_line_grabs_it() {
        let (from, until) = (UtcTime(1_749_211_200), UtcTime(1_749_297_600));
        let mut m = shown(
            ChartModel {
                from,
                until,
                panels: vec![],
                bands: vec![],
                cursor: Some(UtcTime(1_749_254_400)),
                selection: None,
                highlight: None,
                dark: false,
            },
            &Hidden::default(),
            false,
        );
        let x = x_of(UtcTime(1_749_254_400), 900.0, from, until);
        assert!(grabs_cursor(&m, x, 900.0));
        assert!(grabs_cursor(&m, x + GRAB_PX, 900.0));
        assert!(!grabs_cursor(&m, x + GRAB_PX + 1.0, 900.0));
        // A cursor outside the zoomed axis is not drawn, so it cannot be grabbed.
        m.cursor = Some(until.plus(3600));
        assert!(!grabs_cursor(&m, 900.0 - f64::from(MARGIN_RIGHT), 900.0));
        m.cursor = None;
        assert!(!grabs_cursor(&m, x, 900.0));
    }

    fn two_panels() -> ChartModel {
        let line = |id: &str, v: f64| Line {
            id: id.into(),
            label: id.into(),
            color: (0, 0, 0),
            points: vec![
                (UtcTime(0), Some(v)),
                (UtcTime(300), Some(v / 2.0)),
                (UtcTime(600), None),
            ],
        };
        ChartModel {
            from: UtcTime(0),
            until: UtcTime(600),
            panels: vec![
                Panel {
                    title: "a".into(),
                    y_max: 4.0,
                    lines: vec![line("visible", 4.0)],
                    empty_note: None,
                },
                Panel {
                    title: "b".into(),
                    y_max: 100.0,
                    lines: vec![line("AS4837", 60.0), line("AS20485", 40.0)],
                    empty_note: None,
                },
            ],
            bands: vec![],
            cursor: None,
            selection: None,
            highlight: None,
            dark: false,
        }
    }

    #[test]
    fn hidden_lines_go_and_empty_panels_with_them() {
        let mut h = Hidden::default();
        h.toggle("AS20485").unwrap();
        let m = shown(two_panels(), &h, false);
        let ids: Vec<&str> = m
            .panels
            .iter()
            .flat_map(|p| &p.lines)
            .map(|l| l.id.as_str())
            .collect();
        assert_eq!(ids, ["visible", "AS4837"]);
        h.toggle("visible").unwrap();
        let m = shown(two_panels(), &h, false);
        assert_eq!(m.panels.len(), 1, "the emptied panel is not drawn");
        assert_eq!(m.panels[0].title, "b");
        h.toggle("AS4837").unwrap();
        let m = shown(two_panels(), &h, true);
        assert_eq!(m.panels.len(), 1);
        assert!(m.panels[0]
            .empty_note
            .as_deref()
            .unwrap()
            .contains("hidden"));
    }

    #[test]
    fn normalised_puts_every_line_on_one_percent_axis() {
        let m = shown(two_panels(), &Hidden::default(), true);
        assert_eq!(m.panels.len(), 1);
        let p = &m.panels[0];
        assert_eq!(p.y_max, 100.0);
        assert!(p.title.contains("% of its own maximum"));
        for l in &p.lines {
            let v: Vec<Option<f64>> = l.points.iter().map(|(_, v)| *v).collect();
            assert_eq!(v, [Some(100.0), Some(50.0), None], "{}", l.id);
        }
        // A line that is zero throughout stays at zero rather than dividing by it.
        let mut flat = two_panels();
        flat.panels[0].lines[0].points = vec![(UtcTime(0), Some(0.0))];
        let m = shown(flat, &Hidden::default(), true);
        assert_eq!(m.panels[0].lines[0].points, [(UtcTime(0), Some(0.0))]);
    }
}
