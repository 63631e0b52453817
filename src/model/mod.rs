//! Domain types shared by every layer. No I/O here: parsers live in `api/`, logic in `analysis/`.

mod asn;
mod decimal;
mod entity;
mod prefix;
mod text;
mod time;

pub use asn::Asn;
pub use decimal::decimal;
pub use entity::{CountryCode, Entity};
pub use prefix::Prefix;
pub use text::push_lossy;
pub use time::{format_duration, UtcTime};
