//! The time-series panels: BGP visibility computed here, and IODA's signals, on one UTC axis.

use leptos::prelude::*;

use super::chart_canvas::ChartCanvas;
use super::present;
use super::sources::Shared;
use crate::analysis::Analysis;
use crate::model::UtcTime;
use crate::state::ViewState;

#[component]
pub fn Timeline(
    analysis: Shared<Analysis>,
    #[prop(into)] moment: Signal<UtcTime>,
    on_pick: Callback<UtcTime>,
) -> impl IntoView {
    let a = analysis.clone();
    let model = Memo::new(move |_| present::bgp_chart(&a, Some(moment.get())));
    let a = analysis.clone();
    let caption = present::summary(&a, "the network").join(" ");
    view! {
        <figure>
            <ChartCanvas
                model=model
                height=420
                label="BGP visibility over time; the text below describes it."
                testid="bgp-chart"
                on_pick=on_pick
            />
            <figcaption class="alt" data-testid="bgp-text">{caption}</figcaption>
        </figure>
    }
}

#[component]
pub fn IodaChart(
    signals: Shared<crate::api::ioda::Response<Vec<crate::api::ioda::Series>>>,
    events: Option<Shared<crate::api::ioda::Response<Vec<crate::api::ioda::OutageEvent>>>>,
    view: RwSignal<ViewState>,
    #[prop(into)] moment: Signal<UtcTime>,
    on_pick: Callback<UtcTime>,
) -> impl IntoView {
    let s = signals.clone();
    let ev = events.clone();
    let model = Memo::new(move |_| {
        let v = view.get();
        let evs = ev.as_ref().map(|e| e.data.as_slice()).unwrap_or(&[]);
        present::ioda_chart(&s.data, evs, v.from, v.until, Some(moment.get()))
    });
    let text = {
        let names: Vec<String> = signals
            .data
            .iter()
            .map(|s| format!("{} ({} values)", s.datasource, s.values.len()))
            .collect();
        let evs = events.as_ref().map_or(0, |e| e.data.len());
        format!(
            "IODA series for {}: {}. IODA lists {evs} outage event(s) in this window, shaded.",
            signals
                .data
                .first()
                .map_or("the entity", |s| s.entity_name.as_str()),
            names.join(", ")
        )
    };
    view! {
        <figure>
            <ChartCanvas model=model height=390 label="IODA signals over time; the text below describes them." testid="ioda-chart" on_pick=on_pick />
            <figcaption class="alt" data-testid="ioda-text">{text}</figcaption>
            {signals.attribution.clone().map(|a| view! { <p class="attribution">{a}</p> })}
        </figure>
    }
}
