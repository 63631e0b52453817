//! From analysis results and IODA answers to what the page shows: chart models and sentences.
//! Pure functions, tested natively.

use crate::analysis::{Analysis, Level};
use crate::api::ioda::{OutageEvent, Series};
use crate::model::{format_duration, Asn, UtcTime};
use crate::ui::charts::{Band, ChartModel, Line, Panel};
use crate::ui::colors;

/// Names of the upstreams of the first case, used when bgplay gives no owner.
pub fn short_name(a: &Analysis, asn: Asn) -> String {
    a.input.as_names.get(&asn).map_or_else(
        || asn.to_string(),
        |n| format!("{asn} ({})", first_words(n)),
    )
}

/// "CHINA169-BACKBONE CHINA UNICOM China169 Backbone, CN" → "CHINA169-BACKBONE": the handle.
fn first_words(owner: &str) -> String {
    owner
        .split([' ', ','])
        .find(|w| !w.is_empty())
        .unwrap_or(owner)
        .chars()
        .take(24)
        .collect()
}

pub fn bgp_chart(
    a: &Analysis,
    (from, until): (UtcTime, UtcTime),
    cursor: Option<UtcTime>,
) -> ChartModel {
    let in_view = |t: UtcTime| t >= from && t <= until;
    let visible = Line {
        id: "visible".into(),
        label: "visible /24s".into(),
        color: colors::ENTITY,
        points: a
            .visible
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| (a.visible.time(i), *v))
            .filter(|(t, _)| in_view(*t))
            .collect(),
    };
    let ups: Vec<Asn> = a.upstreams.iter().map(|(u, _)| *u).collect();
    let shares = a
        .upstreams
        .iter()
        .map(|(u, s)| Line {
            id: u.to_string(),
            label: format!("via {}", short_name(a, *u)),
            color: colors::for_upstream(&ups, Some(*u)),
            points: s
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| (s.time(i), v.map(|x| x * 100.0)))
                .filter(|(t, _)| in_view(*t))
                .collect(),
        })
        .collect();
    let bands = a
        .events
        .iter()
        .map(|e| Band {
            from: e.start,
            until: e.end,
            critical: e.level == Level::Critical,
        })
        .collect();
    ChartModel {
        from,
        until,
        panels: vec![
            Panel {
                title: match crate::analysis::export::bgp_partial(a) {
                    None => format!(
                        "BGP visibility: visible /24s of {} (computed from bgplay)",
                        a.total_slash24s
                    ),
                    // Said on the chart itself, so a screenshot cannot lose it.
                    Some(_) => format!(
                        "BGP visibility: visible /24s of {}, PARTIAL: a source is missing (see below)",
                        a.total_slash24s
                    ),
                },
                y_max: a.total_slash24s.max(1) as f64,
                lines: vec![visible],
                empty_note: None,
            },
            Panel {
                title: "Share of full-table RIS peers routing via each upstream (%)".into(),
                y_max: 100.0,
                lines: shares,
                empty_note: a
                    .upstreams
                    .is_empty()
                    .then(|| "no upstream seen in this window".to_string()),
            },
        ],
        bands,
        cursor,
        selection: None,
        highlight: None,
        dark: false,
    }
}

/// IODA's datasources in the order the page shows them.
pub const IODA_SOURCES: [(&str, &str); 3] = [
    ("bgp", "IODA bgp: visible /24s"),
    (
        "ping-slash24",
        "IODA ping-slash24: /24s answering active probes",
    ),
    ("merit-nt", "IODA merit-nt: unique sources at the telescope"),
];

pub fn ioda_chart(
    series: &[Series],
    events: &[OutageEvent],
    from: UtcTime,
    until: UtcTime,
    cursor: Option<UtcTime>,
) -> ChartModel {
    let palette = [colors::ENTITY, colors::upstream(2), colors::upstream(3)];
    let panels = IODA_SOURCES
        .iter()
        .zip(palette)
        .map(|((ds, title), color)| {
            let s = series.iter().find(|s| s.datasource == *ds);
            let points: Vec<(UtcTime, Option<f64>)> = s
                .map(|s| {
                    let step = s.spacing();
                    s.values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (s.from.plus(step.saturating_mul(i as i64)), *v))
                        .collect()
                })
                .unwrap_or_default();
            let y_max = points.iter().filter_map(|(_, v)| *v).fold(0.0, f64::max);
            let has_data = points.iter().any(|(_, v)| v.is_some());
            Panel {
                title: title.to_string(),
                y_max: if y_max > 0.0 { y_max } else { 1.0 },
                lines: if has_data {
                    vec![Line {
                        id: ds.to_string(),
                        label: ds.to_string(),
                        color,
                        points,
                    }]
                } else {
                    Vec::new()
                },
                empty_note: (!has_data)
                    .then(|| "no data from IODA for this datasource".to_string()),
            }
        })
        .collect();
    let bands = events
        .iter()
        .map(|e| Band {
            from: e.from,
            until: e.until,
            critical: true,
        })
        .collect();
    ChartModel {
        from,
        until,
        panels,
        bands,
        cursor,
        selection: None,
        highlight: None,
        dark: false,
    }
}

/// The plain-language summary above the charts.
pub fn summary(a: &Analysis, entity_label: &str) -> Vec<String> {
    let mut out = Vec::new();
    let outages: Vec<_> = a.outages().collect();
    if outages.is_empty() {
        let warnings = a.events.len();
        out.push(if warnings == 0 {
            format!("No BGP outage of {entity_label} between {} and {} by IODA's rule (below 50 % of the trailing 24-hour median).", a.from, a.until)
        } else {
            format!("No critical BGP outage of {entity_label} in this window; {warnings} smaller drop(s) below 99 % of the baseline are shaded lightly.")
        });
    }
    for e in outages {
        let end = if e.ongoing {
            format!("still down at {}", e.end)
        } else {
            format!("back by {}", e.end)
        };
        // The first sample of the window alerting means the drop began before the window.
        let (start, span) = if e.start <= a.from {
            (
                format!("was already down when the window starts ({})", e.start),
                "in this window",
            )
        } else {
            (format!("dropped at {}", e.start), "in all")
        };
        out.push(format!(
            "BGP outage of {entity_label}: visibility {start} and was {end}, {} {span}. Lowest point: {} of {} /24s visible ({} % below the baseline of {}).",
            format_duration(e.duration_secs()),
            e.min_value,
            a.total_slash24s,
            crate::model::decimal(e.depth() * 100.0, 0),
            e.baseline
        ));
    }
    out
}

/// What the graph shows at a moment, as a sentence (the graph's text alternative).
pub fn graph_sentence(
    a: &Analysis,
    g: &crate::analysis::graph::GraphLayout,
    at: &crate::analysis::graph::GraphAt,
) -> String {
    let ups: Vec<String> = g
        .edges
        .iter()
        .zip(&at.edge_peers)
        .filter(|(e, _)| e.upstream.is_some() && g.nodes.get(e.to).is_some_and(|n| n.layer == 0))
        .map(|(e, w)| {
            format!(
                "{} via {}",
                w,
                e.upstream.map_or_else(String::new, |u| short_name(a, u))
            )
        })
        .collect();
    let denom = a.peers.denominator_at(at.time);
    let links = if ups.is_empty() {
        "no upstream link carries a route".to_string()
    } else {
        ups.join(", ")
    };
    format!(
        "At {}: {} of {} full-table RIS peers hold a route to the entity; peers per upstream link: {}.",
        at.time, at.peers_with_route, denom, links
    )
}
