use plotters::coord::combinators::BindKeyPoints;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ChartModel, Line, MARGIN_RIGHT, Y_LABEL_WIDTH};
use crate::model::UtcTime;
use crate::ui::colors::{self, Rgb};

/// Below this width (pixels) a chart is drawn for a phone.
pub const NARROW_PX: u32 = 520;

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn rgb((r, g, b): Rgb) -> RGBColor {
    RGBColor(r, g, b)
}

/// Draws every panel of `m` stacked on one UTC axis.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, m: &ChartModel) -> DrawResult<DB> {
    let theme = if m.dark {
        &colors::DARK
    } else {
        &colors::LIGHT
    };
    let (bg, fg) = (rgb(theme.background), rgb(theme.text));
    // The family by variant, never by name: parsing a name ("sans-serif") lowercases it, which
    // brings the standard library's whole Unicode lowercase table (11 KB) into the wasm.
    let font = |size: u32| (FontFamily::SansSerif, size).into_font().color(&fg);
    root.fill(&bg)?;
    // On a phone-width canvas the titles shrink and the in-chart legend (which would cover
    // the lines) is left to the legend buttons above the chart.
    let narrow = root.dim_in_pixel().0 < NARROW_PX;
    let (x0, x1) = (m.from.secs(), m.until.secs().max(m.from.secs() + 1));
    let ticks = ticks(m.from, m.until, 7);
    let span = x1 - x0;
    let areas = root.split_evenly((m.panels.len().max(1), 1));
    for (panel, area) in m.panels.iter().zip(areas.iter()) {
        let y_max = if panel.y_max.is_finite() && panel.y_max > 0.0 {
            panel.y_max
        } else {
            1.0
        };
        let top = y_max * 1.05;
        let y_range = YAxis {
            inner: (0f64..top).into(),
            bold: y_grid(top, Y_LABELS),
            light: y_grid(top, Y_LABELS * Y_LIGHT_LINES),
        };
        let mut chart = ChartBuilder::on(area)
            .margin_right(MARGIN_RIGHT)
            .margin_top(6)
            .caption(&panel.title, font(if narrow { 11 } else { 14 }))
            .x_label_area_size(22)
            .y_label_area_size(Y_LABEL_WIDTH)
            .build_cartesian_2d((x0..x1).with_key_points(ticks.clone()), y_range)?;
        chart
            .configure_mesh()
            .y_labels(Y_LABELS)
            .x_label_formatter(&|t| tick_label(*t, span))
            .y_label_formatter(&|v| y_label(*v))
            .label_style(font(12))
            .axis_style(fg.mix(0.6))
            .light_line_style(rgb(theme.grid_light))
            .bold_line_style(rgb(theme.grid_bold))
            .draw()?;
        for b in &m.bands {
            let (a, z) = (b.from.secs().clamp(x0, x1), b.until.secs().clamp(x0, x1));
            let alpha = if b.critical { 0.30 } else { 0.12 };
            let (r, g, bl) = theme.band;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(a, y_max * 1.05), (z, 0.0)],
                RGBAColor(r, g, bl, alpha).filled(),
            )))?;
        }
        // Missing samples are shaded, and labelled where wide enough: never read as a drop.
        for (a, z) in gaps(&panel.lines, x0, x1) {
            let (r, g, bl) = colors::NEUTRAL;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(a, y_max * 1.05), (z, 0.0)],
                RGBAColor(r, g, bl, 0.25).filled(),
            )))?;
            if (z - a) * 12 >= span {
                chart.draw_series(std::iter::once(Text::new(
                    "no data".to_string(),
                    (a, y_max * 1.02),
                    (FontFamily::SansSerif, 12).into_font().color(&BLACK),
                )))?;
            }
        }
        let mut keys = Vec::new();
        for line in &panel.lines {
            let color = rgb(if line.color == colors::ENTITY {
                theme.entity
            } else {
                line.color
            });
            let width = if m.highlight.as_ref() == Some(&line.id) {
                5
            } else {
                2
            };
            for seg in segments(line, x0, x1) {
                chart.draw_series(LineSeries::new(seg, color.stroke_width(width)))?;
            }
            keys.push((line.label.as_str(), color.stroke_width(width + 1)));
        }
        if !keys.is_empty() && !narrow {
            key_box(
                &chart.plotting_area().strip_coord_spec(),
                &keys,
                &font(12),
                bg.mix(0.85).filled(),
                fg.mix(0.3).stroke_width(1),
            )?;
        }
        if let Some(note) = &panel.empty_note {
            chart.draw_series(std::iter::once(Text::new(
                note.clone(),
                (x0 + span / 3, y_max / 2.0),
                font(14),
            )))?;
        }
        if let Some((a, z)) = m.selection {
            let (a, z) = (a.secs().clamp(x0, x1), z.secs().clamp(x0, x1));
            chart.draw_series(std::iter::once(Rectangle::new(
                [(a.min(z), y_max * 1.05), (a.max(z), 0.0)],
                RGBAColor(0, 114, 178, 0.18).filled(),
            )))?;
        }
        if let Some(c) = m.cursor.filter(|c| c.secs() >= x0 && c.secs() <= x1) {
            chart.draw_series(LineSeries::new(
                vec![(c.secs(), 0.0), (c.secs(), y_max * 1.05)],
                rgb(theme.cursor).stroke_width(2),
            ))?;
        }
    }
    root.present()
}

/// The in-chart key, laid out as plotters' series labels are (lower left, a 10 px margin, 30 px
/// for the line sample, a line every 1.25 font sizes) but drawn here: plotters' own names its
/// default font by a string (see `font` in `draw`), and its multi-line text measures through
/// the font, not the backend (on the page: a layout of the whole page per line).
fn key_box<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    keys: &[(&str, ShapeStyle)],
    font: &TextStyle,
    background: ShapeStyle,
    border: ShapeStyle,
) -> DrawResult<DB> {
    const MARGIN: i32 = 10;
    const SAMPLE: i32 = 30;
    let pitch = (font.font.get_size() * 1.25).round() as i32;
    let mut sizes = Vec::with_capacity(keys.len());
    for (label, _) in keys {
        let (w, h) = area.estimate_text_size(label, font)?;
        sizes.push((w as i32, h as i32));
    }
    let w = sizes.iter().map(|(w, _)| *w).max().unwrap_or(0);
    let h = sizes
        .last()
        .map_or(0, |(_, h)| pitch * (sizes.len() as i32 - 1) + h);
    let (w, h) = (w + SAMPLE + MARGIN * 2, h + MARGIN * 2);
    let (x, y) = (5, area.dim_in_pixel().1 as i32 - h - 5);
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], background))?;
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], border))?;
    for (i, ((label, style), (_, line_h))) in keys.iter().zip(&sizes).enumerate() {
        let top = y + MARGIN + pitch * i as i32;
        area.draw(&Text::new(*label, (x + SAMPLE + MARGIN, top), font.clone()))?;
        let mid = top + line_h / 2;
        area.draw(&PathElement::new(
            vec![(x + MARGIN, mid), (x + MARGIN + 18, mid)],
            *style,
        ))?;
    }
    Ok(())
}

/// Runs of missing values of any line, as `(from, until)` seconds within `x0..=x1`: from a
/// run's first missing sample to the next sample with data. A run inside one already listed
/// (lines of a panel share their gaps) is left out; no sort, to keep the WASM small.
fn gaps(lines: &[Line], x0: i64, x1: i64) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    let mut add = |a: i64, z: i64| {
        if z > a && !out.iter().any(|&(p, q)| p <= a && z <= q) {
            out.push((a, z));
        }
    };
    for line in lines {
        let mut open: Option<i64> = None;
        for (t, v) in &line.points {
            let t = t.secs().clamp(x0, x1);
            match (v, open) {
                (None, None) => open = Some(t),
                (Some(_), Some(a)) => {
                    add(a, t);
                    open = None;
                }
                _ => {}
            }
        }
        if let Some(a) = open {
            add(a, x1);
        }
    }
    out
}

/// Splits a line at its gaps and clips it to the visible range.
fn segments(line: &Line, x0: i64, x1: i64) -> Vec<Vec<(i64, f64)>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for (t, v) in &line.points {
        match v.filter(|_| t.secs() >= x0 && t.secs() <= x1) {
            Some(v) => cur.push((t.secs(), v)),
            None if !cur.is_empty() => out.push(std::mem::take(&mut cur)),
            None => {}
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Tick times on round UTC boundaries, at most `max` of them.
pub fn ticks(from: UtcTime, until: UtcTime, max: usize) -> Vec<i64> {
    const STEPS: [i64; 14] = [
        300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
        1_209_600, 2_592_000,
    ];
    let span = (until.secs() - from.secs()).max(1);
    let step = STEPS
        .iter()
        .copied()
        .find(|s| span / s < max as i64)
        .unwrap_or(span);
    let first = from.secs() + (step - from.secs().rem_euclid(step)) % step;
    (0..)
        .map(|i| first + i * step)
        .take_while(|t| *t <= until.secs())
        .take(max.max(1) + 1)
        .collect()
}

/// Whole numbers or one decimal; plotters' default float printer would bring the standard
/// library's exact float formatting into the wasm.
fn y_label(v: f64) -> String {
    let places = if (v - v.round()).abs() < 1e-9 { 0 } else { 1 };
    crate::model::decimal(v, places)
}

/// plotters' f64 axis with its grid at the values of `y_grid`.
#[derive(Clone)]
struct YAxis {
    inner: RangedCoordf64,
    bold: Vec<f64>,
    light: Vec<f64>,
}

impl Ranged for YAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(v, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.light.clone()
        } else {
            self.bold.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

impl ValueFormatter<f64> for YAxis {
    fn format(v: &f64) -> String {
        y_label(*v)
    }
}

/// Labelled values on the y axis, and light grid lines per label (plotters' default).
const Y_LABELS: usize = 5;
const Y_LIGHT_LINES: usize = 10;

/// The values plotters puts its y grid lines at on `0..top` (`top` > 0), at most `max` of them:
/// the same values as its own float key points (checked against them in the tests), whose
/// logarithm and power bring ~1.3 KB (brotli) of libm into the wasm. From 0 the first power of
/// ten at or above `top` is found by multiplying; the search from there is plotters'.
fn y_grid(top: f64, max: usize) -> Vec<f64> {
    // plotters' remainder, which snaps a remainder equal to the divisor to 0.
    fn rem(a: f64, b: f64) -> f64 {
        let r = a - (a / b).floor() * b;
        if (r - b).abs() < f64::EPSILON {
            0.0
        } else {
            r
        }
    }
    if max == 0 {
        return Vec::new();
    }
    if !(top >= f64::EPSILON && top.is_finite()) {
        return vec![0.0];
    }
    let mut scale = 1.0;
    while scale < top {
        scale *= 10.0;
    }
    while scale / 10.0 >= top {
        scale /= 10.0;
    }
    // The finest of 1, 2 and 5 times a power of ten that leaves at most `max` values.
    'finer: while scale > 0.0 {
        let coarse = scale;
        for step in [2.0, 5.0, 10.0] {
            let right = top - rem(top, coarse / step);
            if (1.0 + right / coarse * step).round() as usize > max {
                break 'finer;
            }
            scale = coarse / step;
        }
    }
    let right = top - rem(top, scale);
    let mut out = Vec::new();
    let mut v = 0.0;
    while right - v >= -f64::EPSILON {
        out.push(v);
        v += scale;
    }
    out
}

fn tick_label(t: i64, span: i64) -> String {
    let (_, mo, d, h, mi, _) = UtcTime(t).civil();
    if span <= 2 * 86_400 {
        if h == 0 && mi == 0 {
            format!("{mo:02}-{d:02}")
        } else {
            format!("{h:02}:{mi:02}")
        }
    } else {
        format!("{mo:02}-{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_round_utc_hours() {
        let t = ticks(UtcTime(1_749_211_200), UtcTime(1_749_297_600), 7);
        assert!(t.len() >= 4 && t.len() <= 8, "{t:?}");
        assert!(t.iter().all(|x| x % 10_800 == 0), "{t:?}");
        assert_eq!(tick_label(1_749_211_200, 86_400), "12:00");
        assert_eq!(tick_label(1_749_254_400, 86_400), "06-07");
    }

    #[test]
    fn the_y_grid_is_where_plotters_puts_it() {
        use plotters::coord::ranged1d::{BoldPoints, LightPoints, Ranged};
        use plotters::coord::types::RangedCoordf64;
        // Deterministic tops: y maxima of every size as the charts scale them, round numbers
        // and powers of ten (where a logarithm could round either way).
        let mut tops: Vec<f64> = (1..=4000).map(|i| f64::from(i) * 0.37 * 1.05).collect();
        for e in -3..=9 {
            let p = 10f64.powi(e);
            tops.extend([p, p * 1.05, p * 0.999, p * 2.0, p * 5.0, p * 9.99, p / 1.05]);
        }
        tops.extend((1..=500).map(|i| f64::from(i) * 1.05));
        for top in tops {
            let plotters = RangedCoordf64::from(0.0..top);
            assert_eq!(
                y_grid(top, Y_LABELS),
                plotters.key_points(BoldPoints(Y_LABELS)),
                "bold, top {top}"
            );
            assert_eq!(
                y_grid(top, Y_LABELS * Y_LIGHT_LINES),
                plotters.key_points(LightPoints::new(Y_LABELS, Y_LABELS * Y_LIGHT_LINES)),
                "light, top {top}"
            );
        }
    }

    fn svg(m: &ChartModel) -> String {
        let mut out = String::new();
        {
            let root = plotters::backend::SVGBackend::with_string(&mut out, (800, 400))
                .into_drawing_area();
            draw(&root, m).unwrap();
        }
        out
    }

    fn model(bands: Vec<super::super::Band>, cursor: Option<UtcTime>) -> ChartModel {
        let (from, until) = (UtcTime(1_749_211_200), UtcTime(1_749_297_600));
        let pts = |v: f64| (0..=288).map(|i| (from.plus(i * 300), Some(v))).collect();
        ChartModel {
            from,
            until,
            panels: vec![
                super::super::Panel {
                    title: "visible /24s".into(),
                    y_max: 4.0,
                    lines: vec![Line {
                        id: "visible".into(),
                        label: "entity".into(),
                        color: (34, 34, 34),
                        points: pts(4.0),
                    }],
                    empty_note: None,
                },
                super::super::Panel {
                    title: "per upstream".into(),
                    y_max: 100.0,
                    lines: vec![
                        Line {
                            id: "AS4837".into(),
                            label: "via AS4837".into(),
                            color: (0, 114, 178),
                            points: pts(60.0),
                        },
                        Line {
                            id: "AS20485".into(),
                            label: "via AS20485".into(),
                            color: (213, 94, 0),
                            points: pts(40.0),
                        },
                    ],
                    empty_note: None,
                },
            ],
            bands,
            cursor,
            selection: None,
            highlight: None,
            dark: false,
        }
    }

    #[test]
    fn svg_shows_titles_lines_legend_bands_and_cursor() {
        let band = super::super::Band {
            from: UtcTime(1_749_231_000),
            until: UtcTime(1_749_263_400),
            critical: true,
        };
        let with = svg(&model(vec![band], Some(UtcTime(1_749_240_000))));
        let without = svg(&model(vec![], None));
        for text in [
            "visible /24s",
            "per upstream",
            "via AS4837",
            "via AS20485",
            "12:00",
            "06-07",
        ] {
            assert!(with.contains(text), "missing {text}");
        }
        assert!(
            with.contains("#0072B2") && with.contains("#D55E00"),
            "upstream colours"
        );
        // One band per panel, translucent grey; none without bands.
        let band_fill = "opacity=\"0.3\" fill=\"#787878\"";
        assert_eq!(with.matches(band_fill).count(), 2);
        assert_eq!(without.matches(band_fill).count(), 0);
        // The band starts where the click mapping puts its start time.
        let x: f64 = with
            .lines()
            .find(|l| l.contains(band_fill))
            .and_then(|l| l.split("x=\"").nth(1))
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap();
        assert!(
            (x - super::super::x_of(
                band.from,
                800.0,
                band.from.plus(-19_800),
                UtcTime(1_749_297_600)
            ))
            .abs()
                <= 2.0
        );
        // The cursor adds one black vertical line per panel.
        assert!(with.matches("#000000").count() > without.matches("#000000").count());
    }

    #[test]
    fn dark_draws_on_the_page_background_with_light_text_and_entity() {
        let mut m = model(vec![], Some(UtcTime(1_749_240_000)));
        m.dark = true;
        let out = svg(&m);
        assert!(out.contains("fill=\"#16161A\""), "dark background");
        assert!(!out.contains("fill=\"#FFFFFF\""), "no white fill left");
        assert!(out.contains("#E1E1E1"), "light text");
        assert!(
            out.contains("#EBEBEB") && !out.contains("#222222"),
            "the entity line"
        );
        let light = svg(&model(vec![], None));
        assert!(light.contains("fill=\"#FFFFFF\"") && light.contains("#222222"));
    }

    #[test]
    fn a_phone_width_chart_leaves_the_legend_to_the_buttons() {
        let mut out = String::new();
        {
            let root = plotters::backend::SVGBackend::with_string(&mut out, (NARROW_PX - 1, 400))
                .into_drawing_area();
            draw(&root, &model(vec![], None)).unwrap();
        }
        assert!(out.contains("per upstream") && out.contains("#D55E00"));
        assert!(
            !out.contains("via AS4837"),
            "no in-chart legend when narrow"
        );
        assert!(svg(&model(vec![], None)).contains("via AS4837"));
    }

    #[test]
    fn the_highlighted_line_is_drawn_thicker() {
        let mut m = model(vec![], None);
        let plain = svg(&m);
        m.highlight = Some("AS20485".into());
        let out = svg(&m);
        let thick = |s: &str| s.matches("stroke=\"#D55E00\" stroke-width=\"5\"").count();
        assert_eq!(thick(&plain), 0);
        assert!(thick(&out) > 0, "{out}");
    }

    #[test]
    fn an_empty_panel_says_so_instead_of_drawing_zero() {
        let mut m = model(vec![], None);
        m.panels[0].lines.clear();
        m.panels[0].empty_note = Some("no data from IODA".into());
        let out = svg(&m);
        assert!(out.contains("no data from IODA"));
        assert!(!out.contains(">entity<"));
    }

    #[test]
    fn missing_data_is_shaded_and_labelled() {
        let mut m = model(vec![], None);
        let out = svg(&m);
        assert!(!out.contains("no data"));
        // Two hours without data in the first panel's line.
        let from = m.from;
        for (t, v) in &mut m.panels[0].lines[0].points {
            if *t >= from.plus(3600) && *t < from.plus(3 * 3600) {
                *v = None;
            }
        }
        let out = svg(&m);
        assert_eq!(out.matches("no data").count(), 1);
        assert_eq!(
            out.matches("opacity=\"0.25\" fill=\"#969696\"").count(),
            1,
            "one shaded gap"
        );
        assert_eq!(
            gaps(&m.panels[0].lines, from.secs(), m.until.secs()),
            [(from.secs() + 3600, from.secs() + 3 * 3600)]
        );
        // A second line with the same gap adds nothing; a gap to the end runs to the edge.
        let mut lines = vec![m.panels[0].lines[0].clone(); 2];
        for p in lines[1].points.iter_mut().rev().take(2) {
            p.1 = None;
        }
        let end = m.until.secs() - 300;
        assert_eq!(
            gaps(&lines, from.secs(), m.until.secs()),
            [
                (from.secs() + 3600, from.secs() + 3 * 3600),
                (end, m.until.secs())
            ]
        );
    }

    #[test]
    fn gaps_break_lines() {
        let line = Line {
            id: String::new(),
            label: String::new(),
            color: (0, 0, 0),
            points: vec![
                (UtcTime(0), Some(1.0)),
                (UtcTime(300), None),
                (UtcTime(600), Some(2.0)),
                (UtcTime(900), Some(3.0)),
            ],
        };
        assert_eq!(
            segments(&line, 0, 900),
            vec![vec![(0, 1.0)], vec![(600, 2.0), (900, 3.0)]]
        );
    }
}
