//! The time-series panels: BGP visibility computed here, and IODA's signals, on one UTC axis
//! that zooms and pans together. Zoom, hidden series, normalisation and the highlighted link
//! or prefix all live in the URL.

use leptos::prelude::*;

use super::chart_canvas::ChartCanvas;
use super::charts::{shown, ChartModel, Line};
use super::colors::{self, Rgb};
use super::present;
use super::sources::Shared;
use crate::analysis::{graph, Analysis, STEP_SECS};
use crate::api::ioda::{OutageEvent, Response, Series};
use crate::model::UtcTime;
use crate::state::{Selection, ViewState};

/// The line id a selection highlights in the BGP chart.
const PREFIX_LINE: &str = "prefix";
/// Prefixes offered in the highlight list at most (a large network announces thousands).
const MAX_PREFIX_CHOICES: usize = 64;

/// What the chart panels share: the view (zoom, moment) and the callbacks that change it.
#[derive(Clone, Copy)]
pub struct Axis {
    pub view: RwSignal<ViewState>,
}

impl Axis {
    fn pick(self) -> Callback<UtcTime> {
        let view = self.view;
        // Dragging the cursor picks on every pointer move: only a new minute is a change.
        Callback::new(move |t| {
            if view.get_untracked().at != Some(t) {
                view.update(|v| v.at = Some(t))
            }
        })
    }

    fn zoom_to(self) -> Callback<(UtcTime, UtcTime)> {
        let view = self.view;
        Callback::new(move |(a, b)| {
            view.update(|v| {
                if let Some(z) = v.clamp_zoom(a, b) {
                    v.zoom = Some(z);
                }
            })
        })
    }

    /// A chart canvas on this axis: clicks pick the moment, drags and the wheel zoom.
    fn canvas(
        self,
        model: Memo<ChartModel>,
        height: u32,
        label: &'static str,
        testid: &'static str,
    ) -> impl IntoView {
        view! {
            <ChartCanvas
                model=model
                height=height
                label=label
                testid=testid
                on_pick=self.pick()
                on_zoom=self.zoom_to()
                on_wheel=self.wheel()
            />
        }
    }

    /// Zooms by `factor` keeping `t` under the pointer; zooming out past the range resets.
    fn wheel(self) -> Callback<(UtcTime, f64)> {
        let view = self.view;
        Callback::new(move |(t, factor): (UtcTime, f64)| {
            view.update(|v| {
                let (a, b) = v.chart_range();
                let (left, right) = ((t.secs() - a.secs()) as f64, (b.secs() - t.secs()) as f64);
                let (na, nb) = (
                    t.plus(-(left * factor) as i64),
                    t.plus((right * factor) as i64),
                );
                v.zoom = if na <= v.from && nb >= v.until {
                    None
                } else {
                    v.clamp_zoom(na, nb).or(v.zoom)
                };
            })
        })
    }
}

/// Zoom and pan without a pointer: buttons, so the keyboard can do it too.
#[component]
pub fn AxisControls(axis: Axis) -> impl IntoView {
    let view = axis.view;
    let zoom = move |factor: f64| {
        view.update(|v| {
            let (a, b) = v.chart_range();
            let mid = UtcTime((a.secs() + b.secs()) / 2);
            let half = ((b.secs() - a.secs()) as f64 * factor / 2.0) as i64;
            let (na, nb) = (mid.plus(-half), mid.plus(half));
            v.zoom = if na <= v.from && nb >= v.until {
                None
            } else {
                v.clamp_zoom(na, nb).or(v.zoom)
            };
        })
    };
    let pan = move |direction: i64| {
        view.update(|v| {
            let Some((a, b)) = v.zoom else { return };
            let span = b.secs() - a.secs();
            let shift =
                (span / 4 * direction).clamp(v.from.secs() - a.secs(), v.until.secs() - b.secs());
            v.zoom = Some((a.plus(shift), b.plus(shift)));
        })
    };
    let zoomed = move || view.get().zoom.is_some();
    view! {
        <div class="axis-controls" role="group" aria-label="Time axis">
            <button type="button" data-testid="zoom-in" on:click=super::handler(move |_| zoom(0.5))>"Zoom in"</button>
            <button type="button" data-testid="zoom-out" disabled=move || !zoomed() on:click=super::handler(move |_| zoom(2.0))>"Zoom out"</button>
            <button type="button" data-testid="pan-left" disabled=move || !zoomed() on:click=super::handler(move |_| pan(-1))>"◀ Earlier"</button>
            <button type="button" data-testid="pan-right" disabled=move || !zoomed() on:click=super::handler(move |_| pan(1))>"Later ▶"</button>
            <button type="button" data-testid="zoom-reset" disabled=move || !zoomed() on:click=super::handler(move |_| view.update(|v| v.zoom = None))>
                "Whole range"
            </button>
            <label class="norm">
                <input
                    type="checkbox"
                    data-testid="norm"
                    prop:checked=move || view.get().norm
                    on:change=super::handler(move |ev| {
                        let on = event_target_checked(&ev);
                        view.update(|v| v.norm = on)
                    })
                />
                "Normalised: each series as % of its own maximum in view"
            </label>
            <span class="hint">"Drag on a chart to zoom into a range, or drag its cursor line to move the moment; the wheel zooms around the pointer."</span>
        </div>
    }
}

/// One button per series: pressed = drawn. Hidden series go to the URL's `hide=`.
/// A plain function, not a component: no props type to compile.
fn legend(entries: Vec<(String, String, Rgb)>, view: RwSignal<ViewState>) -> impl IntoView {
    let buttons = entries
        .into_iter()
        .map(|(id, label, color)| {
            let key = id.clone();
            let drawn = move || !view.get().hidden.contains(&key);
            view! {
                <button
                    type="button"
                    class="series"
                    data-series=id.clone()
                    aria-pressed=move || drawn().to_string()
                    title="Show or hide this series"
                    on:click=super::handler(move |_| {
                        view.update(|v| {
                            let _ = v.hidden.toggle(&id);
                        })
                    })
                >
                    <svg width="18" height="10" aria-hidden="true">
                        <rect
                            width="18"
                            height="10"
                            rx="2"
                            fill=colors::css(color)
                            class:entity=color == colors::ENTITY
                        ></rect>
                    </svg>
                    {label}
                </button>
            }
        })
        .collect_view();
    view! { <div class="legend" role="group" aria-label="Series shown (press to hide or show)">{buttons}</div> }
}

fn legend_of(m: &ChartModel) -> Vec<(String, String, Rgb)> {
    m.panels
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| (l.id.clone(), l.label.clone(), l.color))
        .collect()
}

/// The selected prefix's share of peers over the whole window, if it is one of the data's.
fn prefix_line(a: &Analysis, sel: Option<Selection>) -> Option<Line> {
    let Some(Selection::Prefix(p)) = sel else {
        return None;
    };
    let index = a.input.prefixes.iter().position(|q| *q == p)?;
    Some(Line {
        id: PREFIX_LINE.into(),
        label: format!("{p}: % of full-table peers holding it"),
        color: colors::upstream(3),
        points: graph::prefix_share(
            &a.input,
            &a.peers,
            index as u32,
            (a.from, a.until),
            STEP_SECS,
        ),
    })
}

#[component]
pub fn Timeline(analysis: Shared<Analysis>, axis: Axis) -> impl IntoView {
    let view = axis.view;
    let a = analysis.clone();
    let model = Memo::new(move |_| {
        let v = view.get();
        let (from, until) = v.chart_range();
        let mut m = present::bgp_chart(&a, (from, until), Some(v.moment()));
        // Cheap enough to redo per view (one pass over the updates) rather than keep a memo.
        if let (Some(mut line), Some(panel)) = (prefix_line(&a, v.sel), m.panels.get_mut(1)) {
            line.points.retain(|(t, _)| *t >= from && *t <= until);
            panel.lines.push(line);
        }
        m.highlight = match v.sel {
            Some(Selection::Link(u)) => Some(u.to_string()),
            Some(Selection::Prefix(_)) => Some(PREFIX_LINE.into()),
            None => None,
        };
        shown(m, &v.hidden, v.norm)
    });
    let entries = legend_of(&present::bgp_chart(
        &analysis,
        (analysis.from, analysis.until),
        None,
    ));
    let mut caption = present::summary(&analysis, "the network").join(" ");
    if let Some(why) = crate::analysis::export::bgp_partial(&analysis) {
        caption.push_str(&format!(" Partial data: {why}."));
    }
    let choices: Vec<(Option<Selection>, String)> = std::iter::once((None, "nothing".into()))
        .chain(analysis.upstreams.iter().map(|(u, _)| {
            (
                Some(Selection::Link(*u)),
                format!("the link via {}", present::short_name(&analysis, *u)),
            )
        }))
        .chain(
            analysis
                .input
                .prefixes
                .iter()
                .take(MAX_PREFIX_CHOICES)
                .map(|p| (Some(Selection::Prefix(*p)), format!("the prefix {p}"))),
        )
        .collect();
    view! {
        <figure>
            <div class="chart-head">
                {legend(entries, view)}
                <label class="highlight">
                    "Highlight "
                    <select
                        data-testid="highlight"
                        on:change=super::handler(move |ev| {
                            let s = Selection::parse(&event_target_value(&ev)).ok();
                            view.update(|v| v.sel = s)
                        })
                    >
                        {choices
                            .into_iter()
                            .map(|(s, text)| {
                                view! {
                                    <option
                                        value=s.map(|s| s.to_string()).unwrap_or_default()
                                        prop:selected=move || view.get().sel == s
                                    >
                                        {text}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            </div>
            {axis.canvas(model, 420, "BGP visibility over time; the text below describes it.", "bgp-chart")}
            <figcaption class="alt" data-testid="bgp-text">{caption}</figcaption>
        </figure>
    }
}

#[component]
pub fn IodaChart(
    signals: Shared<Response<Vec<Series>>>,
    events: Option<Shared<Response<Vec<OutageEvent>>>>,
    axis: Axis,
) -> impl IntoView {
    let s = signals.clone();
    let ev = events.clone();
    let view = axis.view;
    let model = Memo::new(move |_| {
        let v = view.get();
        let (from, until) = v.chart_range();
        let evs = ev.as_ref().map(|e| e.data.as_slice()).unwrap_or(&[]);
        shown(
            present::ioda_chart(&s.data, evs, from, until, Some(v.moment())),
            &v.hidden,
            v.norm,
        )
    });
    let entries = legend_of(&present::ioda_chart(
        &signals.data,
        &[],
        UtcTime(0),
        UtcTime(1),
        None,
    ));
    let text = {
        let names: Vec<String> = signals
            .data
            .iter()
            .map(|s| format!("{} ({} values)", s.datasource, s.values.len()))
            .collect();
        // Without the events answer nothing is shaded: say so rather than "0 events".
        let evs = events.as_ref().map_or_else(
            || "IODA's outage events are unavailable (partial: nothing is shaded)".to_string(),
            |e| {
                format!(
                    "IODA lists {} outage event(s) in this window, shaded",
                    e.data.len()
                )
            },
        );
        format!(
            "IODA series for {}: {}. {evs}.",
            signals
                .data
                .first()
                .map_or("the entity", |s| s.entity_name.as_str()),
            names.join(", ")
        )
    };
    view! {
        <figure>
            <div class="chart-head">
                {legend(entries, view)}
            </div>
            {axis.canvas(model, 390, "IODA signals over time; the text below describes them.", "ioda-chart")}
            <figcaption class="alt" data-testid="ioda-text">{text}</figcaption>
            {signals.attribution.clone().map(|a| view! { <p class="attribution">{a}</p> })}
        </figure>
    }
}
