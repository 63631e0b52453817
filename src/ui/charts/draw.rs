use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendCoord, DrawingErrorKind};

use super::{ChartModel, Line, MARGIN_RIGHT, Y_LABEL_WIDTH};
use crate::model::UtcTime;
use crate::ui::colors::{self, Rgb};

/// Below this width (pixels) a chart is drawn for a phone.
pub const NARROW_PX: u32 = 520;

/// Space above a panel's caption, and below its plot for the time labels, in pixels.
const MARGIN_TOP: i32 = 6;
const X_LABEL_HEIGHT: i32 = 22;

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn rgb((r, g, b): Rgb) -> RGBColor {
    RGBColor(r, g, b)
}

/// Draws every panel of `m` stacked on one UTC axis.
///
/// Laid out and gridded as plotters' `ChartBuilder` and mesh did (same pixels), but by hand:
/// their generic layout, axis and label code cost 7.7 KB (brotli) of the wasm for one layout.
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
    let axis = ShapeStyle::from(fg.mix(0.6));
    let label_font = font(12);
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
        // The caption centred over the plot and the right margin, padded by half its height
        // (at most 5 px) above and below; the plot below it, right of the value labels.
        let (w, h) = area.dim_in_pixel();
        let (right, h) = (w as i32 - MARGIN_RIGHT as i32, h as i32);
        let caption = font(if narrow { 11 } else { 14 });
        let (_, caption_h) = area.estimate_text_size(&panel.title, &caption)?;
        let pad = (caption_h / 2).min(5) as i32;
        let caption = caption.pos(Pos::new(HPos::Center, VPos::Top));
        area.draw_text(&panel.title, &caption, (right / 2, MARGIN_TOP + pad))?;
        let plot_top = MARGIN_TOP + pad * 2 + caption_h as i32;
        let left = (Y_LABEL_WIDTH as i32).min(right);
        let bottom = (h - X_LABEL_HEIGHT).max(plot_top);
        let plot = area.margin(plot_top, h - bottom, left, MARGIN_RIGHT as i32);
        let (pw, ph) = (right - left, bottom - plot_top);
        let map = Map {
            x0,
            x1,
            top,
            width: pw,
            height: ph,
        };
        // Light grid lines (ten per label), then the bold ones at the ticks and labels.
        for v in y_grid(top, Y_LABELS * Y_LIGHT_LINES) {
            let y = map.y(v);
            plot.draw(&GridLine(
                [(0, y), (pw - 1, y)],
                rgb(theme.grid_light).into(),
            ))?;
        }
        let bold = ShapeStyle::from(rgb(theme.grid_bold));
        for &t in &ticks {
            let x = map.x(t);
            plot.draw(&GridLine([(x, ph - 1), (x, 0)], bold))?;
        }
        let values = y_grid(top, Y_LABELS);
        for &v in &values {
            let y = map.y(v);
            plot.draw(&GridLine([(0, y), (pw - 1, y)], bold))?;
        }
        // The axes, their tick marks (5% of the plot's smaller side, at most 5 px) and their
        // labels at twice that distance; only labels whose tick is on the axis.
        let tick = ((f64::from(pw.min(ph)) * 0.05).round() as i32).min(5);
        if ph > 0 {
            let x = left - 1;
            area.draw(&PathElement::new(
                vec![(x, plot_top), (x, bottom - 1)],
                axis,
            ))?;
            let style = label_font.pos(Pos::new(HPos::Right, VPos::Center));
            for &v in &values {
                let y = map.y(v);
                if (0..ph).contains(&y) {
                    let y = plot_top + y;
                    area.draw_text(&y_label(v), &style, (left - 2 * tick, y))?;
                    if tick > 0 {
                        area.draw(&PathElement::new(vec![(x - tick, y), (x, y)], axis))?;
                    }
                }
            }
        }
        if pw > 0 && h > bottom {
            area.draw(&PathElement::new(
                vec![(left, bottom), (right - 1, bottom)],
                axis,
            ))?;
            let style = label_font.pos(Pos::new(HPos::Center, VPos::Top));
            for &t in &ticks {
                let x = map.x(t);
                if (0..pw).contains(&x) {
                    let x = left + x;
                    area.draw_text(&tick_label(t, span), &style, (x, bottom + 2 * tick))?;
                    if tick > 0 {
                        area.draw(&PathElement::new(
                            vec![(x, bottom), (x, bottom + tick)],
                            axis,
                        ))?;
                    }
                }
            }
        }
        let full = |a: i64, z: i64| [map.at(a, top), map.at(z, 0.0)];
        for b in &m.bands {
            let (a, z) = (b.from.secs().clamp(x0, x1), b.until.secs().clamp(x0, x1));
            let alpha = if b.critical { 0.30 } else { 0.12 };
            let (r, g, bl) = theme.band;
            plot.draw(&Rectangle::new(
                full(a, z),
                RGBAColor(r, g, bl, alpha).filled(),
            ))?;
        }
        // Missing samples are shaded, and labelled where wide enough: never read as a drop.
        for (a, z) in gaps(&panel.lines, x0, x1) {
            let (r, g, bl) = colors::NEUTRAL;
            plot.draw(&Rectangle::new(
                full(a, z),
                RGBAColor(r, g, bl, 0.25).filled(),
            ))?;
            if (z - a) * 12 >= span {
                plot.draw(&Text::new(
                    "no data",
                    map.at(a, y_max * 1.02),
                    (FontFamily::SansSerif, 12).into_font().color(&BLACK),
                ))?;
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
                let seg: Vec<_> = seg.into_iter().map(|(t, v)| map.at(t, v)).collect();
                plot.draw(&PathElement::new(seg, color.stroke_width(width)))?;
            }
            keys.push((line.label.as_str(), color.stroke_width(width + 1)));
        }
        if !keys.is_empty() && !narrow {
            key_box(
                &plot,
                &keys,
                &label_font,
                bg.mix(0.85).filled(),
                fg.mix(0.3).stroke_width(1),
            )?;
        }
        if let Some(note) = &panel.empty_note {
            plot.draw(&Text::new(
                note.as_str(),
                map.at(x0 + span / 3, y_max / 2.0),
                font(14),
            ))?;
        }
        if let Some((a, z)) = m.selection {
            let (a, z) = (a.secs().clamp(x0, x1), z.secs().clamp(x0, x1));
            plot.draw(&Rectangle::new(
                full(a, z),
                RGBAColor(0, 114, 178, 0.18).filled(),
            ))?;
        }
        if let Some(c) = m.cursor.filter(|c| c.secs() >= x0 && c.secs() <= x1) {
            plot.draw(&PathElement::new(
                vec![map.at(c.secs(), 0.0), map.at(c.secs(), top)],
                rgb(theme.cursor).stroke_width(2),
            ))?;
        }
    }
    root.present()
}

/// Times (seconds in `x0..x1`) and values (`0..top`) to pixels of a plot `width` × `height`,
/// rounded as plotters' linear axes round them.
struct Map {
    x0: i64,
    x1: i64,
    top: f64,
    width: i32,
    height: i32,
}

impl Map {
    fn x(&self, t: i64) -> i32 {
        let frac = (t as f64 - self.x0 as f64) / (self.x1 as f64 - self.x0 as f64);
        scale(frac, 0, self.width - 1)
    }

    fn y(&self, v: f64) -> i32 {
        scale(v / self.top, self.height - 1, 0)
    }

    fn at(&self, t: i64, v: f64) -> BackendCoord {
        (self.x(t), self.y(v))
    }
}

/// The pixel a fraction of the way from pixel `a` to pixel `b` (either way round).
fn scale(frac: f64, a: i32, b: i32) -> i32 {
    let exact = f64::from(b - a) * frac;
    let offset = if b >= a {
        (exact + 1e-3).floor()
    } else {
        (exact - 1e-3).ceil()
    };
    a.saturating_add(offset as i32)
}

/// A grid line, drawn with the backend's `draw_line` as plotters' mesh drew it: the canvas
/// backend puts a level or upright one on the pixel grid (a path would blur over two).
struct GridLine([BackendCoord; 2], ShapeStyle);

impl<'a> PointCollection<'a, BackendCoord> for &'a GridLine {
    type Point = &'a BackendCoord;
    type IntoIter = &'a [BackendCoord; 2];

    fn point_iter(self) -> Self::IntoIter {
        &self.0
    }
}

impl<DB: DrawingBackend> Drawable<DB> for GridLine {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut points: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        match (points.next(), points.next()) {
            (Some(a), Some(b)) => backend.draw_line(a, b, &self.1),
            _ => Ok(()),
        }
    }
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
