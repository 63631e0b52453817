//! "Export CSV": what the page shows, as a file (built by `analysis::export`), downloaded
//! through a Blob URL so nothing leaves the browser.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::sources::{Loaded, Sources};
use crate::analysis::export::{csv, Problem, View};
use crate::state::ViewState;

/// A failed or unfinished source, as its status row says it.
fn problem<T>(source: &'static str, r: &Option<Loaded<T>>) -> Option<Problem> {
    let why = match r {
        Some(Ok(_)) => return None,
        Some(Err(e)) => e.to_string(),
        None => "still loading when exported".into(),
    };
    Some(Problem { source, why })
}

fn synthetic(text: &str) -> bool {
    // Not `contains(&str)`: no substring search in the wasm for this one word (see
    // `ripestat::collector_number`).
    text.as_bytes()
        .windows(9)
        .any(|w| w.eq_ignore_ascii_case(b"synthetic"))
}

fn build(s: Sources, v: &ViewState) -> String {
    // `get`, not `get_untracked`: the code the status rows already use, so no new copies of
    // it in the WASM; a click handler tracks nothing anyway.
    let (bgplay, peers, count) = (s.bgplay.get(), s.peers.get(), s.peer_count.get());
    let (signals, events) = (s.signals.get(), s.events.get());
    let analysis = s.analysis.get().and_then(Result::ok);
    let problems = [
        problem("RIPEstat bgplay", &bgplay),
        problem("RIPEstat ris-peers", &peers),
        problem("RIPEstat ris-peer-count", &count),
        problem("IODA signals", &signals),
        problem("IODA outage events", &events),
    ];
    let signals = signals.and_then(Result::ok);
    let events = events.and_then(Result::ok);
    let synthetic = bgplay
        .as_ref()
        .and_then(|r| r.as_ref().ok())
        .is_some_and(|b| b.notes.iter().any(|n| synthetic(&n.text)))
        || signals
            .as_ref()
            .and_then(|r| r.attribution.as_deref())
            .is_some_and(synthetic);
    csv(&View {
        entity: v.entity.to_string(),
        from: v.from,
        until: v.until,
        analysis: analysis.as_deref(),
        signals: signals.as_ref().map(|r| r.data.as_slice()),
        events: events.as_ref().map(|r| r.data.as_slice()),
        problems: problems.into_iter().flatten().collect(),
        synthetic,
    })
}

thread_local! {
    static LAST_URL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Saves `text` as `name` through a temporary Blob URL.
fn download(name: &str, text: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&text.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Revoking at once could cancel the download; the previous export's URL is long done.
    if let Some(old) = LAST_URL.with(|u| u.replace(Some(url))) {
        let _ = web_sys::Url::revoke_object_url(&old);
    }
    Some(())
}

#[component]
pub fn ExportButton(sources: Sources, view: RwSignal<ViewState>) -> impl IntoView {
    let message = RwSignal::new(String::new());
    let export = move |_| {
        let v = view.get_untracked();
        let name = format!(
            "outage-lens-{}-{}-{}.csv",
            v.entity,
            v.from.to_url().replace(':', ""),
            v.until.to_url().replace(':', "")
        );
        let done = download(&name, &build(sources, &v));
        message.set(match done {
            Some(()) => String::new(),
            None => "The browser refused the download.".into(),
        });
    };
    view! {
        <button type="button" data-testid="export" title="Download the series, events and signals as CSV (UTC times; partial data marked)" on:click=super::handler(export)>
            "Export CSV"
        </button>
        <span role="status">{super::text(move || message.get())}</span>
    }
}
