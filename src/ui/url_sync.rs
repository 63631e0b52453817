//! Keeps the address bar and the view in step: a new entity or range pushes a history entry,
//! a new moment replaces it; back/forward restore the view.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::model::UtcTime;
use crate::state::ViewState;

pub fn now() -> UtcTime {
    UtcTime((js_sys::Date::now() / 1000.0) as i64)
}

pub fn current_search() -> String {
    window().location().search().unwrap_or_default()
}

pub fn install(view: RwSignal<ViewState>, problems: RwSignal<Vec<String>>) {
    let listener = window_event_listener(leptos::ev::popstate, move |_| {
        let (v, p) = ViewState::from_query(&current_search(), now());
        problems.set(p);
        view.set(v);
    });
    on_cleanup(move || listener.remove());
    Effect::new(move |prev: Option<ViewState>| {
        let v = view.get();
        let query = v.to_query();
        if current_search() != query {
            let (shown, _) = ViewState::from_query(&current_search(), now());
            let same_place =
                shown.entity == v.entity && shown.from == v.from && shown.until == v.until;
            if let Ok(history) = window().history() {
                // First run: the URL is normalised in place, not added to the history.
                let result = if prev.is_none() || same_place {
                    history.replace_state_with_url(&JsValue::NULL, "", Some(&query))
                } else {
                    history.push_state_with_url(&JsValue::NULL, "", Some(&query))
                };
                if result.is_err() {
                    leptos::logging::warn!("could not update the address bar");
                }
            }
        }
        v
    });
}
