//! In-browser tests (wasm-bindgen-test, headless Chromium): what only a real browser can check.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use outage_lens::api::fetch::{get_text, Host};
use outage_lens::api::ApiError;
use outage_lens::model::UtcTime;
use outage_lens::state::ViewState;
use outage_lens::ui::chart_canvas::ChartCanvas;
use outage_lens::ui::charts::{draw, time_at, x_of, Band, ChartModel, Line, Panel, GRAB_PX};
use outage_lens::ui::controls::Controls;
use outage_lens::ui::measured::MeasuredCanvas;
use plotters::prelude::DrawingBackend;
use plotters::prelude::{IntoDrawingArea, IntoFont};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn canvas(width: u32, height: u32) -> web_sys::HtmlCanvasElement {
    let c: web_sys::HtmlCanvasElement = document()
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    c.set_width(width);
    c.set_height(height);
    document().body().unwrap().append_child(&c).unwrap();
    c
}

fn pixel(c: &web_sys::HtmlCanvasElement, x: f64, y: f64) -> [u8; 4] {
    let ctx: web_sys::CanvasRenderingContext2d =
        c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let d = ctx.get_image_data(x, y, 1.0, 1.0).unwrap().data();
    [d[0], d[1], d[2], d[3]]
}

#[wasm_bindgen_test]
fn the_outage_band_is_painted_where_the_time_mapping_says() {
    let (from, until) = (UtcTime(1_749_211_200), UtcTime(1_749_297_600));
    let band = Band {
        from: UtcTime(1_749_231_000),
        until: UtcTime(1_749_263_400),
        critical: true,
    };
    let model = ChartModel {
        from,
        until,
        panels: vec![Panel {
            title: "test".into(),
            y_max: 4.0,
            lines: vec![Line {
                id: "visible".into(),
                label: "v".into(),
                color: (0, 0, 0),
                points: vec![(from, Some(4.0)), (until, Some(4.0))],
            }],
            empty_note: None,
        }],
        bands: vec![band],
        cursor: None,
        selection: None,
        highlight: None,
        dark: false,
    };
    let c = canvas(800, 300);
    draw(
        &MeasuredCanvas::new(c.clone()).unwrap().into_drawing_area(),
        &model,
    )
    .unwrap();
    let mid = UtcTime((band.from.secs() + band.until.secs()) / 2);
    let inside = pixel(&c, x_of(mid, 800.0, from, until), 200.0);
    let outside = pixel(&c, x_of(from.plus(3600), 800.0, from, until), 200.0);
    assert_eq!(
        outside,
        [255, 255, 255, 255],
        "plain background outside the band"
    );
    assert!(
        inside[0] < 240 && inside[0] == inside[1],
        "grey band inside: {inside:?}"
    );
    // A click at the band's middle maps back to its time (to the second, at this width).
    let t = time_at(x_of(mid, 800.0, from, until), 800.0, from, until).unwrap();
    assert!((t.secs() - mid.secs()).abs() <= 120);
}

#[wasm_bindgen_test]
async fn a_missing_resource_is_a_typed_http_error() {
    let err = get_text("/no-such-file.json", Host::Other)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Http { status: 404, .. }), "{err:?}");
}

#[wasm_bindgen_test]
fn the_canvas_measures_text_as_the_page_lays_it_out() {
    // What plotters measured before, with a `<span>` in the page, against the canvas's own
    // measure: the charts' layout (the key box, the captions) must not move.
    let backend = MeasuredCanvas::new(canvas(400, 100)).unwrap();
    for (text, px) in [
        ("visible /24s", 12),
        ("via AS20485 TransTelecom", 12),
        ("BGP visibility", 14),
    ] {
        let style = plotters::style::TextStyle::from(
            (plotters::style::FontFamily::SansSerif, px).into_font(),
        );
        let (w, h) = backend.estimate_text_size(text, &style).unwrap();
        let span = document().create_element("span").unwrap();
        span.set_text_content(Some(text));
        span.set_attribute(
            "style",
            &format!(
                "display: inline-block; font-family:sans-serif; font-size: {px}px; position: fixed"
            ),
        )
        .unwrap();
        document().body().unwrap().append_child(&span).unwrap();
        let el: web_sys::HtmlElement = span.dyn_into().unwrap();
        let (dw, dh) = (el.offset_width(), el.offset_height());
        el.remove();
        assert!(
            w > 0 && (w as i32 - dw).abs() <= 2,
            "{text} at {px}px: width {w} vs {dw}"
        );
        assert!(
            (h as i32 - dh).abs() <= 3,
            "{text} at {px}px: height {h} vs {dh}"
        );
    }
}

// A response whose body arrives in the given chunks, as the network delivers it.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = "export function chunked(parts) { \
    return new Response(new ReadableStream({ start(c) { for (const p of parts) c.enqueue(p); c.close(); } })); }")]
extern "C" {
    fn chunked(parts: js_sys::Array) -> web_sys::Response;
}

#[wasm_bindgen_test]
async fn a_body_read_from_its_stream_equals_the_bytes_decoded_whole() {
    use outage_lens::api::fetch::{body_text, current_view};
    use outage_lens::api::pace::BrowserPace;

    // Multi-byte characters and invalid sequences, cut at every kind of boundary, and enough
    // of it (about 2 MB) that the read spans several slices of the page's pace.
    let mut bytes = Vec::new();
    for i in 0..100_000u32 {
        bytes.extend_from_slice(format!("{{\"n\":{i},\"s\":\"é中🙂\"}}").as_bytes());
        if i % 997 == 0 {
            bytes.extend_from_slice(&[0xff, 0xe4, 0xb8]);
        }
    }
    let parts = js_sys::Array::new();
    let (mut at, mut cut) = (0, 1);
    while at < bytes.len() {
        let end = (at + cut).min(bytes.len());
        parts.push(&js_sys::Uint8Array::from(&bytes[at..end]));
        at = end;
        cut = (cut * 7 + 3) % 4_093 + 1;
    }
    assert!(parts.length() > 50, "the body arrives in many chunks");
    let mut pace = BrowserPace::new(current_view());
    let text = body_text(&chunked(parts), &mut pace).await.unwrap();
    assert_eq!(text, String::from_utf8_lossy(&bytes));
    // The whole answer as one chunk (as a cached answer may come): read in pieces of 1 MB,
    // whose cuts fall inside characters too.
    assert!(bytes.len() > 2 << 20, "more than one piece");
    let whole = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let text = body_text(&chunked(whole), &mut pace).await.unwrap();
    assert_eq!(text, String::from_utf8_lossy(&bytes));
}

// A chain of `n` microtasks, each queueing the next, counted in `seen.n`; and the page's
// `scheduler` hidden (or put back), for the path of browsers without it.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = "export function microtasks(n) { \
    const seen = { n: 0 }; const step = () => { if (++seen.n < n) queueMicrotask(step); }; \
    queueMicrotask(step); return seen; } \
    let saved; export function hideScheduler(hide) { \
    if (hide) { saved = Object.getOwnPropertyDescriptor(globalThis, 'scheduler'); \
    Object.defineProperty(globalThis, 'scheduler', { value: undefined, configurable: true }); } \
    else if (saved) Object.defineProperty(globalThis, 'scheduler', saved); }")]
extern "C" {
    fn microtasks(n: u32) -> js_sys::Object;
    #[wasm_bindgen(js_name = hideScheduler)]
    fn hide_scheduler(hide: bool);
}

#[wasm_bindgen_test]
async fn next_task_resumes_in_a_later_task_with_or_without_the_scheduler() {
    use outage_lens::api::fetch::next_task;
    use std::cell::RefCell;
    use std::rc::Rc;

    for hidden in [false, true] {
        hide_scheduler(hidden);
        let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into()).unwrap();
        assert_eq!(
            scheduler.is_undefined(),
            hidden,
            "this browser has scheduler.postTask"
        );
        // Every microtask of this task runs before a new task starts: a pause that resumed
        // sooner (a resolved promise, say) would not let the page render in between.
        let seen = microtasks(500);
        next_task().await;
        let n = js_sys::Reflect::get(&seen, &"n".into()).unwrap();
        assert_eq!(n.as_f64(), Some(500.0), "scheduler hidden: {hidden}");
        // Several works paused at once all resume, in the order they paused.
        let order = Rc::new(RefCell::new(Vec::new()));
        for i in 0..3 {
            let order = order.clone();
            wasm_bindgen_futures::spawn_local(async move {
                next_task().await;
                order.borrow_mut().push(i);
            });
        }
        for _ in 0..5 {
            next_task().await;
        }
        assert_eq!(*order.borrow(), [0, 1, 2], "scheduler hidden: {hidden}");
    }
    hide_scheduler(false);
}

#[wasm_bindgen_test]
async fn an_unreachable_host_is_a_network_error() {
    // Port 9 (discard) on loopback refuses the connection at once.
    let err = get_text("http://127.0.0.1:9/x", Host::Other)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Network(_)), "{err:?}");
}

#[wasm_bindgen_test]
async fn the_picker_refuses_an_impossible_range_and_keeps_the_view() {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let view = RwSignal::new(ViewState::default());
    let _handle = leptos::mount::mount_to(
        host.clone().unchecked_into(),
        move || view! { <Controls view=view /> },
    );
    // Effects run asynchronously: let the inputs take the view's values first.
    leptos::task::tick().await;
    let input = |id: &str| -> web_sys::HtmlInputElement {
        host.query_selector(&format!("[data-testid={id}]"))
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap()
    };
    assert_eq!(input("from").value(), "2025-06-06T12:00");
    let type_in = |id: &str, value: &str| {
        input(id).set_value(value);
        input(id)
            .dispatch_event(&web_sys::Event::new("input").unwrap())
            .unwrap();
    };
    let apply: web_sys::HtmlElement = host
        .query_selector("[data-testid=apply]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    type_in("from", "2025-06-07T12:00");
    type_in("until", "2025-06-06T12:00");
    apply.click();
    leptos::task::tick().await;
    let error = host
        .query_selector("[data-testid=range-error]")
        .unwrap()
        .unwrap();
    assert!(error
        .text_content()
        .unwrap_or_default()
        .contains("must be before"));
    assert_eq!(view.get_untracked(), ViewState::default());
    // A valid range is taken, and the message goes away.
    type_in("from", "2025-06-06T15:00");
    type_in("until", "2025-06-07T03:00");
    apply.click();
    leptos::task::tick().await;
    assert_eq!(
        view.get_untracked().from,
        UtcTime::parse("2025-06-06T15:00Z").unwrap()
    );
    assert_eq!(
        view.get_untracked().until,
        UtcTime::parse("2025-06-07T03:00Z").unwrap()
    );
    assert_eq!(error.text_content().unwrap_or_default(), "");
}

/// Dispatches a primary-button pointer event at `x` CSS pixels from the canvas' left edge.
fn mouse(c: &web_sys::Element, kind: &str, x: f64) {
    let r = c.get_bounding_client_rect();
    let init = web_sys::PointerEventInit::new();
    init.set_pointer_id(1);
    init.set_is_primary(true);
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_button(0);
    init.set_client_x((r.left() + x).round() as i32);
    init.set_client_y((r.top() + r.height() / 2.0).round() as i32);
    let ev = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).unwrap();
    c.dispatch_event(&ev).unwrap();
}

/// Waits (bounded) until the canvas has been drawn at its laid-out width, and returns it.
/// A blank canvas is already as wide as it is laid out (300 px), so wait for paint too: the
/// component draws only once the ResizeObserver has told it its width.
async fn drawn_width(c: &web_sys::HtmlCanvasElement) -> f64 {
    for _ in 0..200 {
        if c.client_width() > 0
            && c.width() == c.client_width() as u32
            && pixel(c, 1.0, 1.0)[3] == 255
        {
            return f64::from(c.client_width());
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    panic!("the canvas was never drawn at its laid-out width");
}

#[wasm_bindgen_test]
async fn dragging_the_cursor_moves_the_moment_and_a_drag_elsewhere_zooms() {
    let (from, until) = (UtcTime(1_749_211_200), UtcTime(1_749_297_600));
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let cursor = RwSignal::new(UtcTime(1_749_254_400));
    let picks = RwSignal::new(Vec::<UtcTime>::new());
    let zooms = RwSignal::new(Vec::<(UtcTime, UtcTime)>::new());
    let model = Memo::new(move |_| ChartModel {
        from,
        until,
        panels: vec![Panel {
            title: "test".into(),
            y_max: 1.0,
            lines: vec![],
            empty_note: None,
        }],
        bands: vec![],
        cursor: Some(cursor.get()),
        selection: None,
        highlight: None,
        dark: false,
    });
    let _handle = leptos::mount::mount_to(host.clone().unchecked_into(), move || {
        view! {
            <ChartCanvas
                model=model
                height=200
                label="test"
                testid="drag-test"
                on_pick=Callback::new(move |t: UtcTime| {
                    picks.update(|p| p.push(t));
                    cursor.set(t);
                })
                on_zoom=Callback::new(move |z| zooms.update(|v| v.push(z)))
                on_wheel=Callback::new(|_| {})
            />
        }
    });
    leptos::task::tick().await;
    let c: web_sys::HtmlCanvasElement = host
        .query_selector("[data-testid=drag-test]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let w = drawn_width(&c).await;
    let x0 = x_of(cursor.get_untracked(), w, from, until);
    // Pressed a few pixels off the line still grabs it; each move picks the time under it.
    mouse(&c, "pointerdown", x0 + GRAB_PX - 2.0);
    let targets = [x0 + 40.0, x0 - 80.0];
    for x in targets {
        mouse(&c, "pointermove", x);
        leptos::task::tick().await;
    }
    mouse(&c, "pointerup", x0 - 80.0);
    leptos::task::tick().await;
    let expected: Vec<UtcTime> = targets
        .iter()
        .map(|x| time_at(x.round(), w, from, until).unwrap().floor_to(60))
        .collect();
    assert_eq!(
        picks.get_untracked(),
        expected,
        "pixel ↔ time while dragging"
    );
    assert!(
        zooms.get_untracked().is_empty(),
        "dragging the cursor is not a zoom"
    );
    // The cursor is redrawn under the pointer (the redraw is an effect: wait for it, bounded),
    // and no longer where it was.
    let ink = |x: f64| (-1..=1).any(|d| pixel(&c, x.round() + f64::from(d), 120.0)[0] < 128);
    let moved_to = x_of(cursor.get_untracked(), w, from, until);
    let mut redrawn = false;
    for _ in 0..200 {
        if ink(moved_to) && !ink(x0) {
            redrawn = true;
            break;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    assert!(redrawn, "the cursor line was not redrawn at x={moved_to}");
    // A drag away from the cursor selects a range to zoom into, and picks nothing.
    let (a, b) = (x0 + 20.0, x0 + 60.0);
    mouse(&c, "pointerdown", a);
    mouse(&c, "pointermove", b);
    mouse(&c, "pointerup", b);
    leptos::task::tick().await;
    assert_eq!(picks.get_untracked().len(), 2);
    let z = zooms.get_untracked();
    assert_eq!(z.len(), 1);
    let near = |t: UtcTime, x: f64| (x_of(t, w, from, until) - x).abs() <= 1.0;
    assert!(near(z[0].0, a) && near(z[0].1, b), "{z:?}");
}

/// The app's heap (src/heap.rs) takes memory in steps that grow with it: 256 MB allocated
/// 4 KB at a time grow the WASM memory a few dozen times, where std's allocator grew it by
/// 64 KB at a time (thousands of grows, each a call into the browser).
#[wasm_bindgen_test]
fn the_heap_grows_in_few_large_steps() {
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    let mut sizes = vec![core::arch::wasm32::memory_size(0)];
    for i in 0..65_536u32 {
        blocks.push(vec![(i % 251) as u8; 4096]);
        let now = core::arch::wasm32::memory_size(0);
        if sizes.last() != Some(&now) {
            sizes.push(now);
        }
    }
    let grown_mb = (sizes.last().unwrap() - sizes[0]) * 64 / 1024;
    assert!(
        grown_mb >= 256,
        "the blocks are really held: grew {grown_mb} MB"
    );
    assert!(sizes.len() < 60, "{} grows", sizes.len() - 1);
    assert!(blocks
        .iter()
        .enumerate()
        .all(|(i, b)| b[4095] == (i as u32 % 251) as u8));
}
