//! Typed clients, one per data source. Parsing is pure and tested natively against the real
//! recorded samples; fetching (browser only) lives in `fetch`.

pub mod cache;
pub mod config;
pub mod country;
pub mod error;
pub mod fetch;
pub mod ioda;
pub mod lenient;
pub mod limit;
pub mod pace;
pub mod requests;
pub mod retry;
pub mod ripestat;

pub use error::ApiError;
/// The JSON reader every parser is built on (its own crate, to be optimised for speed).
pub use outage_lens_json as json;
