//! Outage Lens: an in-browser explorer of Internet outages.
//!
//! Data flows `api` (typed clients) → `analysis` (pure Rust) → `ui` (Leptos components), with
//! `state` holding the URL ↔ view round trip and `model` the shared domain types.

pub mod analysis;
pub mod api;
pub mod catalogue;
pub mod heap;
pub mod model;
pub mod state;
pub mod ui;
