//! A canvas that draws a `ChartModel` with plotters at its laid-out width, redraws when that
//! width changes (a ResizeObserver, so layout shifts count too, not only window resizes), and
//! maps clicks to times.

use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::charts::{draw, time_at, ChartModel};
use crate::model::UtcTime;

#[component]
pub fn ChartCanvas(
    #[prop(into)] model: Signal<ChartModel>,
    height: u32,
    #[prop(into)] label: String,
    #[prop(into)] testid: String,
    #[prop(optional)] on_pick: Option<Callback<UtcTime>>,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    // The canvas' CSS width; 0 until layout has given it one.
    let width = RwSignal::new(0u32);
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
    Effect::new(move |_| {
        let m = model.get();
        let w = width.get();
        let Some(c) = canvas.get() else { return };
        if w == 0 {
            return;
        }
        c.set_width(w);
        c.set_height(height);
        let Some(backend) = CanvasBackend::with_canvas_object(c) else {
            return;
        };
        if draw(&backend.into_drawing_area(), &m).is_err() {
            leptos::logging::warn!("a chart could not be drawn");
        }
    });
    let pick = move |ev: leptos::ev::MouseEvent| {
        let Some(cb) = on_pick else { return };
        let m = model.get_untracked();
        let w = f64::from(width.get_untracked());
        // A click is only as precise as a pixel: round to the minute for a tidy URL.
        if let Some(t) = time_at(f64::from(ev.offset_x()), w, m.from, m.until) {
            cb.run(t.floor_to(60));
        }
    };
    view! {
        <canvas
            node_ref=canvas
            class="chart"
            height=height
            role="img"
            aria-label=label
            data-testid=testid
            on:click=pick
        ></canvas>
    }
}
