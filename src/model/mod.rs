//! Domain types shared by every layer. No I/O here: parsers live in `api/`, logic in `analysis/`.

mod asn;
mod decimal;
mod entity;
mod prefix;
mod time;

pub use asn::Asn;
pub use decimal::decimal;
pub use entity::{CountryCode, Entity};
pub use prefix::Prefix;
pub use time::{format_duration, UtcTime};
