//! Pure analysis: from typed API answers to series, outage events and the path graph.
//! No web-sys here; everything is tested natively.

pub mod chunks;
pub mod crosscheck;
pub mod detect;
pub mod evidence;
pub mod export;
pub mod graph;
pub mod input;
pub mod order;
pub mod pace;
pub mod peers;
pub mod pipeline;
pub mod replay;
pub mod series;

pub use detect::{detect, Alert, Event, Level};
pub use input::{Input, PathInfo};
pub use peers::{full_table_peers, PeerRule, PeerSet};
pub use pipeline::Analysis;
pub use replay::{replay, Replayed};
pub use series::TimeSeries;

/// The IODA sampling step for BGP visibility.
pub const STEP_SECS: i64 = 300;
/// Trailing window of the median baseline, as IODA.
pub const BASELINE_SECS: i64 = 24 * 3600;
