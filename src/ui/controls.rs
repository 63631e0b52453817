//! Picking what to look at: entity, UTC range, presets. Invalid input is refused with a reason.

use leptos::prelude::*;

use super::url_sync::now;
use crate::catalogue;
use crate::model::{Entity, UtcTime};
use crate::state::{check_range, entity_input, parse_entity, ViewState, NK_OUTAGE};

#[component]
pub fn Controls(view: RwSignal<ViewState>) -> impl IntoView {
    let entity_text = RwSignal::new(String::new());
    let from_text = RwSignal::new(String::new());
    let until_text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // Follow the view when it changes elsewhere (presets, back/forward).
    Effect::new(move |_| {
        let v = view.get();
        entity_text.set(entity_input(&v.entity));
        from_text.set(v.from.to_input());
        until_text.set(v.until.to_input());
    });
    let go = move |entity: Entity, from: UtcTime, until: UtcTime| match check_range(
        from,
        until,
        now(),
    ) {
        Ok(()) => {
            error.set(None);
            view.update(|v| {
                *v = ViewState {
                    entity,
                    from,
                    until,
                    at: None,
                    zoom: None,
                    // A prefix or link of another network means nothing here; toggles stay.
                    sel: None,
                    ..*v
                }
            });
        }
        Err(reason) => error.set(Some(reason)),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entity = parse_entity(&entity_text.get_untracked());
        let from = UtcTime::parse(&from_text.get_untracked());
        let until = UtcTime::parse(&until_text.get_untracked());
        match (entity, from, until) {
            (Ok(e), Ok(f), Ok(u)) => go(e, f, u),
            (Err(m), _, _) | (_, Err(m), _) | (_, _, Err(m)) => error.set(Some(m)),
        }
    };
    let last = move |secs: i64| {
        let until = now().floor_to(300);
        go(view.get_untracked().entity, until.plus(-secs), until)
    };
    view! {
        <form class="controls" on:submit=submit aria-label="What to look at">
            <Field label="Network or country" kind="text" testid="entity" value=entity_text placeholder="AS131279 or KP" />
            <Field label="From (UTC)" kind="datetime-local" testid="from" value=from_text placeholder="" />
            <Field label="Until (UTC)" kind="datetime-local" testid="until" value=until_text placeholder="" />
            <button type="submit" data-testid="apply">"Show"</button>
            <div class="presets" role="group" aria-label="Preset ranges">
                <button
                    type="button"
                    data-testid="preset-outage"
                    on:click=super::handler(move |_| go(NK_OUTAGE.entity, NK_OUTAGE.from, NK_OUTAGE.until))
                >
                    "North Korea, 2025-06-06/07"
                </button>
                <button type="button" data-testid="preset-24h" on:click=super::handler(move |_| last(UtcTime::DAY))>
                    "Last 24 h"
                </button>
                <button type="button" data-testid="preset-7d" on:click=super::handler(move |_| last(7 * UtcTime::DAY))>
                    "Last 7 days"
                </button>
            </div>
            <fieldset class="catalogue" data-testid="catalogue">
                <legend>"Known outages (North Korea, AS131279)"</legend>
                <ul>
                    {catalogue::NORTH_KOREA
                        .iter()
                        .map(|k| {
                            let shown = move || {
                                (catalogue::matching(&view.get()) == Some(k)).then_some("true")
                            };
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        data-testid=format!("catalogue-{}", k.id)
                                        aria-current=shown
                                        on:click=super::handler(move |_| go(k.entity, k.from, k.until))
                                    >
                                        {k.label}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <p class="catalogue-what" data-testid="catalogue-what">
                    {super::text(move || catalogue::matching(&view.get()).map_or_else(String::new, |k| k.what.to_string()))}
                </p>
            </fieldset>
            <p class="error" role="alert" data-testid="range-error">
                {super::text(move || error.get().unwrap_or_default())}
            </p>
        </form>
    }
}

/// A labelled input bound to a text signal.
#[component]
fn Field(
    label: &'static str,
    kind: &'static str,
    testid: &'static str,
    value: RwSignal<String>,
    placeholder: &'static str,
) -> impl IntoView {
    view! {
        <label>
            {label}
            <input
                type=kind
                placeholder=placeholder
                data-testid=testid
                prop:value=value
                on:input=super::handler(move |ev| value.set(event_target_value(&ev)))
            />
        </label>
    }
}
