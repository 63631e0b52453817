//! The time-series panels: BGP visibility computed here, and IODA's signals, on one UTC axis
//! that zooms and pans together (the zoom lives in the URL).

use leptos::prelude::*;

use super::chart_canvas::ChartCanvas;
use super::present;
use super::sources::Shared;
use crate::analysis::Analysis;
use crate::api::ioda::{OutageEvent, Response, Series};
use crate::model::UtcTime;
use crate::state::ViewState;

/// What the chart panels share: the view (zoom, moment) and the callbacks that change it.
#[derive(Clone, Copy)]
pub struct Axis {
    pub view: RwSignal<ViewState>,
    pub moment: Signal<UtcTime>,
}

impl Axis {
    fn range(self) -> Signal<(UtcTime, UtcTime)> {
        let view = self.view;
        Signal::derive(move || view.get().chart_range())
    }

    fn pick(self) -> Callback<UtcTime> {
        let view = self.view;
        Callback::new(move |t| view.update(|v| v.at = Some(t)))
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
        model: Memo<crate::ui::charts::ChartModel>,
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
            <button type="button" data-testid="zoom-in" on:click=move |_| zoom(0.5)>"Zoom in"</button>
            <button type="button" data-testid="zoom-out" disabled=move || !zoomed() on:click=move |_| zoom(2.0)>"Zoom out"</button>
            <button type="button" data-testid="pan-left" disabled=move || !zoomed() on:click=move |_| pan(-1)>"◀ Earlier"</button>
            <button type="button" data-testid="pan-right" disabled=move || !zoomed() on:click=move |_| pan(1)>"Later ▶"</button>
            <button type="button" data-testid="zoom-reset" disabled=move || !zoomed() on:click=move |_| view.update(|v| v.zoom = None)>
                "Whole range"
            </button>
            <span class="hint">"Drag on a chart to zoom into a range; the wheel zooms around the pointer."</span>
        </div>
    }
}

#[component]
pub fn Timeline(analysis: Shared<Analysis>, axis: Axis) -> impl IntoView {
    let a = analysis.clone();
    let range = axis.range();
    let moment = axis.moment;
    let model = Memo::new(move |_| present::bgp_chart(&a, range.get(), Some(moment.get())));
    let mut caption = present::summary(&analysis, "the network").join(" ");
    if let Some(why) = crate::analysis::export::bgp_partial(&analysis) {
        caption.push_str(&format!(" Partial data: {why}."));
    }
    view! {
        <figure>
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
    let range = axis.range();
    let moment = axis.moment;
    let model = Memo::new(move |_| {
        let (from, until) = range.get();
        let evs = ev.as_ref().map(|e| e.data.as_slice()).unwrap_or(&[]);
        present::ioda_chart(&s.data, evs, from, until, Some(moment.get()))
    });
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
            {axis.canvas(model, 390, "IODA signals over time; the text below describes them.", "ioda-chart")}
            <figcaption class="alt" data-testid="ioda-text">{text}</figcaption>
            {signals.attribution.clone().map(|a| view! { <p class="attribution">{a}</p> })}
        </figure>
    }
}
