//! Replay: the moment scrubber with Play/Pause, a speed and ±5 min steps. Playing moves
//! `view.at` on a timer (the URL sync replaces the history entry for a new moment); the graph
//! and the chart cursors follow because they read the moment.

use std::time::Duration;

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use crate::model::UtcTime;
use crate::state::ViewState;

/// Time between two replay steps. Each step rewrites the address bar (`replaceState`), which
/// browsers rate-limit (Safari: 100 per 10 s), so not faster than 4 per second.
const TICK_MS: u64 = 250;
/// Minutes of data per second of replay, slowest first.
const SPEEDS: [i64; 4] = [1, 5, 15, 60];
const DEFAULT_SPEED: i64 = 15;
/// The step buttons' size, and the scrubber's (its arrow keys).
const STEP_SECS: i64 = 5 * UtcTime::MINUTE;

/// The moment after one tick at `speed` minutes of data per second, and whether it reached
/// `until` (where playing stops).
pub fn advance(moment: UtcTime, until: UtcTime, speed: i64) -> (UtcTime, bool) {
    let step = speed.max(1) * UtcTime::MINUTE * TICK_MS as i64 / 1000;
    let next = moment.plus(step.max(1));
    if next >= until {
        (until, true)
    } else {
        (next, false)
    }
}

/// `view`'s moment moved by `secs`, kept inside the window.
pub fn stepped(view: &ViewState, secs: i64) -> UtcTime {
    view.moment().plus(secs).clamp(view.from, view.until)
}

/// Where Play starts: at the end of the window it starts again from the beginning.
pub fn play_start(view: &ViewState) -> UtcTime {
    let m = view.moment();
    if m >= view.until {
        view.from
    } else {
        m
    }
}

fn speed_label(minutes: i64) -> String {
    if minutes % 60 == 0 {
        format!("{} h per second", minutes / 60)
    } else {
        format!("{minutes} min per second")
    }
}

#[component]
pub fn Replay(view: RwSignal<ViewState>, moment: Memo<UtcTime>) -> impl IntoView {
    let playing = RwSignal::new(false);
    let speed = RwSignal::new(DEFAULT_SPEED);
    let timer = StoredValue::new(None::<IntervalHandle>);

    // Every way of stopping goes through here: Pause, the end of the window, a new range,
    // the component going away. `try_` because the last may run while things are disposed.
    let stop = move || {
        if let Some(Some(handle)) = timer.try_update_value(Option::take) {
            handle.clear();
        }
        if playing.try_get_untracked() == Some(true) {
            playing.try_set(false);
        }
    };
    let set_at = move |t: UtcTime| {
        view.try_update(|v| v.at = Some(t));
    };
    let tick = move || {
        let (Some(v), Some(s)) = (view.try_get_untracked(), speed.try_get_untracked()) else {
            stop();
            return;
        };
        let (next, done) = advance(v.moment(), v.until, s);
        set_at(next);
        if done {
            stop();
        }
    };
    let play = move || {
        if playing.get_untracked() {
            return;
        }
        let start = play_start(&view.get_untracked());
        if Some(start) != view.get_untracked().at {
            set_at(start);
        }
        match set_interval_with_handle(tick, Duration::from_millis(TICK_MS)) {
            Ok(handle) => {
                timer.set_value(Some(handle));
                playing.set(true);
            }
            Err(_) => leptos::logging::warn!("the replay timer could not be started"),
        }
    };
    let toggle = move || {
        if playing.get_untracked() {
            stop()
        } else {
            play()
        }
    };
    // A new entity or range (controls, catalogue, back/forward) stops the replay.
    Effect::new(move |prev: Option<_>| {
        let v = view.get();
        let key = (v.entity, v.from, v.until);
        if prev.is_some_and(|p| p != key) {
            stop();
        }
        key
    });
    on_cleanup(stop);

    let on_key = move |ev: KeyboardEvent| {
        let v = view.get_untracked();
        match ev.key().as_str() {
            " " => toggle(),
            "Home" => set_at(v.from),
            "End" => set_at(v.until),
            _ => return,
        }
        ev.prevent_default();
    };
    let step = move |secs: i64| set_at(stepped(&view.get_untracked(), secs));

    view! {
        <div class="moment replay" role="group" aria-label="Replay">
            <label for="moment">"Moment (UTC)"</label>
            <input
                id="moment"
                type="range"
                data-testid="moment"
                step=STEP_SECS.to_string()
                aria-keyshortcuts="Space Home End"
                prop:min=move || view.get().from.secs().to_string()
                prop:max=move || view.get().until.secs().to_string()
                prop:value=move || moment.get().secs().to_string()
                aria-valuetext=move || moment.get().to_display()
                on:input=super::handler(move |ev| {
                    if let Ok(secs) = event_target_value(&ev).parse::<i64>() {
                        set_at(UtcTime(secs));
                    }
                })
                on:keydown=super::handler(on_key)
            />
            // Announced when it changes, except while playing (four times a second).
            <output
                for="moment"
                data-testid="moment-text"
                aria-live=move || if playing.get() { "off" } else { "polite" }
            >
                {super::text(move || moment.get().to_display())}
            </output>
            <div class="replay-buttons">
                <button
                    type="button"
                    data-testid="step-back"
                    title="5 minutes earlier"
                    on:click=super::handler(move |_| step(-STEP_SECS))
                >
                    "−5 min"
                </button>
                <button type="button" data-testid="play" class="play" on:click=super::handler(move |_| toggle())>
                    <span class="icon" aria-hidden="true">
                        {move || if playing.get() { "❚❚" } else { "▶" }}
                    </span>
                    {move || if playing.get() { "Pause" } else { "Play" }}
                </button>
                <button
                    type="button"
                    data-testid="step-forward"
                    title="5 minutes later"
                    on:click=super::handler(move |_| step(STEP_SECS))
                >
                    "+5 min"
                </button>
                <span class="speed">
                    <label for="replay-speed">"Replay speed"</label>
                    <select
                        id="replay-speed"
                        data-testid="speed"
                        on:change=super::handler(move |ev| {
                            if let Ok(m) = event_target_value(&ev).parse::<i64>() {
                                speed.set(m);
                            }
                        })
                    >
                        {SPEEDS
                            .iter()
                            .map(|&m| {
                                view! {
                                    <option value=m.to_string() selected=m == DEFAULT_SPEED>
                                        {speed_label(m)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </span>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::NK_OUTAGE;

    #[test]
    fn a_tick_moves_by_the_speed_and_stops_at_the_end() {
        let from = NK_OUTAGE.from;
        // 60 min of data per second, 4 ticks per second: 15 min per tick.
        assert_eq!(advance(from, NK_OUTAGE.until, 60), (from.plus(900), false));
        assert_eq!(advance(from, NK_OUTAGE.until, 1), (from.plus(15), false));
        let near_end = NK_OUTAGE.until.plus(-60);
        assert_eq!(
            advance(near_end, NK_OUTAGE.until, 5),
            (NK_OUTAGE.until, true)
        );
        assert_eq!(
            advance(NK_OUTAGE.until, NK_OUTAGE.until, 5),
            (NK_OUTAGE.until, true)
        );
    }

    #[test]
    fn steps_stay_in_the_window_and_play_restarts_at_the_end() {
        let at = |t: UtcTime| ViewState {
            at: Some(t),
            ..NK_OUTAGE
        };
        assert_eq!(stepped(&at(NK_OUTAGE.from), -300), NK_OUTAGE.from);
        assert_eq!(stepped(&at(NK_OUTAGE.from), 300), NK_OUTAGE.from.plus(300));
        assert_eq!(stepped(&at(NK_OUTAGE.until), 300), NK_OUTAGE.until);
        assert_eq!(play_start(&at(NK_OUTAGE.until)), NK_OUTAGE.from);
        assert_eq!(play_start(&NK_OUTAGE), NK_OUTAGE.moment());
        assert_eq!(speed_label(60), "1 h per second");
        assert_eq!(speed_label(15), "15 min per second");
        assert!(SPEEDS.contains(&DEFAULT_SPEED));
    }
}
