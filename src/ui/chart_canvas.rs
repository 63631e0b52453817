//! A canvas that draws a `ChartModel` with plotters, redraws on resize, and maps clicks to times.

use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;

use super::charts::{draw, time_at, ChartModel};
use crate::model::UtcTime;

/// The page width, bumped on resize so charts redraw at their new size.
#[derive(Clone, Copy)]
pub struct Viewport(pub ReadSignal<i32>);

#[component]
pub fn ChartCanvas(
    #[prop(into)] model: Signal<ChartModel>,
    height: u32,
    #[prop(into)] label: String,
    #[prop(into)] testid: String,
    #[prop(optional)] on_pick: Option<Callback<UtcTime>>,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let viewport = use_context::<Viewport>();
    Effect::new(move |_| {
        let m = model.get();
        if let Some(v) = viewport {
            v.0.track();
        }
        let Some(c) = canvas.get() else { return };
        let width = c.client_width().max(280) as u32;
        c.set_width(width);
        c.set_height(height);
        let Some(backend) = CanvasBackend::with_canvas_object(c) else {
            return;
        };
        if let Err(e) = draw(&backend.into_drawing_area(), &m) {
            leptos::logging::warn!("chart drawing failed: {e:?}");
        }
    });
    let pick = move |ev: leptos::ev::MouseEvent| {
        let (Some(cb), Some(c)) = (on_pick, canvas.get_untracked()) else {
            return;
        };
        let m = model.get_untracked();
        if let Some(t) = time_at(
            f64::from(ev.offset_x()),
            f64::from(c.client_width()),
            m.from,
            m.until,
        ) {
            cb.run(t);
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
