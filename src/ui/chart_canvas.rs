//! A canvas that draws a `ChartModel` with plotters at its laid-out width, redraws when that
//! width changes (a ResizeObserver, so layout shifts count too, not only window resizes), and
//! turns the pointer into actions: a click picks a moment, a drag selects a range to zoom into,
//! the wheel zooms around the pointer, hovering reads every value out in a line of text, and
//! the cursor line can be dragged to move the moment. Pointer events, so a finger does the
//! same as a mouse (the CSS leaves vertical swipes to scrolling). Colours follow the system's
//! theme.

use std::cell::Cell;
use std::rc::Rc;

use super::measured::MeasuredCanvas;
use crate::api::fetch::next_task;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::charts::{draw, grabs_cursor, readout, time_at, ChartModel};
use crate::model::UtcTime;

/// A drag shorter than this (CSS pixels) is a click.
const DRAG_MIN_PX: i32 = 6;

/// `prefers-color-scheme: dark` now, and kept up to date when the system switches.
fn dark_scheme() -> RwSignal<bool> {
    let dark = RwSignal::new(false);
    let query = window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten();
    if let Some(q) = query {
        dark.set(q.matches());
        let q2 = q.clone();
        let on_change = Closure::<dyn Fn()>::new(move || dark.set(q2.matches()));
        if q.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())
            .is_ok()
        {
            let keep = SendWrapper::new((q, on_change));
            on_cleanup(move || {
                let _ = keep
                    .0
                    .remove_event_listener_with_callback("change", keep.1.as_ref().unchecked_ref());
            });
        }
    }
    dark
}

#[component]
pub fn ChartCanvas(
    model: Memo<ChartModel>,
    height: u32,
    #[prop(into)] label: String,
    #[prop(into)] testid: String,
    on_pick: Callback<UtcTime>,
    on_zoom: Callback<(UtcTime, UtcTime)>,
    /// Wheel: the time under the pointer and a factor (< 1 zooms in).
    on_wheel: Callback<(UtcTime, f64)>,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    // The canvas' CSS width; 0 until layout has given it one.
    let width = RwSignal::new(0u32);
    // Where a range drag started; read only by the pointer handlers, so no signal.
    let drag_from = Rc::new(Cell::new(None::<i32>));
    let selection = RwSignal::new(None::<(UtcTime, UtcTime)>);
    let hover = RwSignal::new(None::<UtcTime>);
    // The cursor is being dragged (pressed on it), or the pointer is over it.
    let dragging_cursor = RwSignal::new(false);
    let near_cursor = RwSignal::new(false);
    let dark = dark_scheme();
    canvas.on_load(move |c| {
        let on_resize = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let entry: Option<web_sys::ResizeObserverEntry> = entries.get(0).dyn_into().ok();
            if let Some(e) = entry {
                width.set(e.content_rect().width().round().max(0.0) as u32);
            }
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&c);
            let keep = SendWrapper::new((observer, on_resize));
            on_cleanup(move || keep.0.disconnect());
        }
    });
    // Each chart draws in a task of its own: a resize or new data redraws every chart, and
    // a page's charts drawn in one go held it for over 50 ms. Only the newest request draws.
    let requested = Rc::new(Cell::new(0u32));
    Effect::new(move |_| {
        let mut m = model.get();
        m.selection = selection.get();
        m.dark = dark.get();
        let w = width.get();
        let Some(c) = canvas.get() else { return };
        if w == 0 {
            return;
        }
        let request = requested.get().wrapping_add(1);
        requested.set(request);
        let requested = requested.clone();
        leptos::task::spawn_local(async move {
            next_task().await;
            if requested.get() != request {
                return;
            }
            c.set_width(w);
            c.set_height(height);
            let Some(backend) = MeasuredCanvas::new(c) else {
                return;
            };
            if draw(&backend.into_drawing_area(), &m).is_err() {
                leptos::logging::warn!("a chart could not be drawn");
            }
        });
    });
    let time_at_x = move |x: i32| {
        let m = model.get_untracked();
        time_at(
            f64::from(x),
            f64::from(width.get_untracked()),
            m.from,
            m.until,
        )
    };
    let on_cursor = move |x: i32| {
        model.with_untracked(|m| grabs_cursor(m, f64::from(x), f64::from(width.get_untracked())))
    };
    let from = drag_from.clone();
    let down = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        // Keep the pointer's moves and release while it drags beyond the canvas.
        if let Some(c) = canvas.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
        }
        if on_cursor(ev.offset_x()) {
            // Dragging the cursor, not selecting a range (which would start the same way).
            ev.prevent_default();
            dragging_cursor.set(true);
        } else {
            from.set(Some(ev.offset_x()));
        }
    };
    let from = drag_from.clone();
    let moved = move |ev: leptos::ev::PointerEvent| {
        let x = ev.offset_x();
        hover.set(time_at_x(x));
        near_cursor.set(dragging_cursor.get_untracked() || on_cursor(x));
        if dragging_cursor.get_untracked() {
            if let Some(t) = time_at_x(x) {
                on_pick.run(t.floor_to(60));
            }
        } else if let Some(x0) = from.get() {
            if (x - x0).abs() >= DRAG_MIN_PX {
                selection.set(time_at_x(x0).zip(time_at_x(x)));
            }
        }
    };
    let from = drag_from.clone();
    let up = move |ev: leptos::ev::PointerEvent| {
        if dragging_cursor.get_untracked() {
            dragging_cursor.set(false);
            return;
        }
        let Some(x0) = from.take() else {
            return;
        };
        selection.set(None);
        let x = ev.offset_x();
        if (x - x0).abs() >= DRAG_MIN_PX {
            if let (Some(a), Some(b)) = (time_at_x(x0), time_at_x(x)) {
                on_zoom.run((a.min(b), a.max(b)));
            }
        } else if let Some(t) = time_at_x(x) {
            // A click is only as precise as a pixel: round to the minute for a tidy URL.
            on_pick.run(t.floor_to(60));
        }
    };
    let left = move |_| {
        dragging_cursor.set(false);
        near_cursor.set(false);
        drag_from.set(None);
        selection.set(None);
        hover.set(None);
    };
    let wheel = move |ev: leptos::ev::WheelEvent| {
        let Some(t) = time_at_x(ev.offset_x()) else {
            return;
        };
        ev.prevent_default();
        on_wheel.run((t, if ev.delta_y() < 0.0 { 0.8 } else { 1.25 }));
    };
    let text = super::text(move || {
        hover
            .get()
            .map(|t| model.with(|m| readout(m, t)))
            .unwrap_or_default()
    });
    view! {
        <canvas
            node_ref=canvas
            class="chart"
            class:grab=move || near_cursor.get()
            height=height
            role="img"
            aria-label=label
            data-testid=testid.clone()
            on:pointerdown=down
            on:pointermove=moved
            on:pointerup=up
            on:pointerleave=left.clone()
            on:pointercancel=left.clone()
            on:wheel=wheel
        ></canvas>
        <p class="readout" data-testid=format!("{testid}-readout")>{text}</p>
    }
}
