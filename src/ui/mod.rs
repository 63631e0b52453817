//! Leptos components, charts and the path graph. `present` and `charts` are pure and tested
//! natively; the components are exercised in the browser tests.

pub mod app;
pub mod chart_canvas;
pub mod charts;
pub mod colors;
pub mod controls;
pub mod export;
pub mod fresh;
pub mod graph_view;
pub mod measured;
pub mod panic;
pub mod present;
pub mod replay;
pub mod sources;
pub mod status;
pub mod timeline;
pub mod url_sync;

pub use app::App;

/// An event handler behind one type (`on:click=handler(...)`): every handler of an event then
/// shares one compiled copy of Leptos' listener code, instead of one per closure.
pub fn handler<E: 'static>(f: impl FnMut(E) + 'static) -> Box<dyn FnMut(E)> {
    Box::new(f)
}

/// Reactive text behind one type (`{text(move || ...)}`): every such text shares one compiled
/// render effect, instead of one per closure.
pub fn text(f: impl Fn() -> String + Send + 'static) -> Box<dyn FnMut() -> String + Send> {
    Box::new(f)
}
