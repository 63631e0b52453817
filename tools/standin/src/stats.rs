//! How many RIPEstat (`/data/`) requests are in flight, the most ever at once, and the total:
//! what proves from the outside that the app never runs more than 8 at a time.

use crate::http::Response;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};

static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static TOTAL: AtomicUsize = AtomicUsize::new(0);

/// One request in flight from `start` until dropped.
pub struct Flight(());

impl Flight {
    pub fn start() -> Flight {
        TOTAL.fetch_add(1, Ordering::SeqCst);
        let now = IN_FLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK.fetch_max(now, Ordering::SeqCst);
        Flight(())
    }
}

impl Drop for Flight {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}

pub fn snapshot() -> serde_json::Value {
    json!({
        "ripestat_in_flight": IN_FLIGHT.load(Ordering::SeqCst),
        "ripestat_peak": PEAK.load(Ordering::SeqCst),
        "ripestat_requests": TOTAL.load(Ordering::SeqCst),
    })
}

/// `GET /__standin/stats[?reset=1]`: loopback clients only (it reveals local activity).
pub fn endpoint(loopback: bool, reset: bool) -> Response {
    if !loopback {
        return Response::text(403, "stats are served to loopback clients only");
    }
    let body = snapshot();
    if reset {
        PEAK.store(IN_FLIGHT.load(Ordering::SeqCst), Ordering::SeqCst);
        TOTAL.store(0, Ordering::SeqCst);
    }
    Response::json(200, &body).with_header("Cache-Control", "no-store")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_counts_overlapping_requests_and_resets() {
        // The counters are process-wide: this is the only test touching them.
        let _ = endpoint(true, true);
        let a = Flight::start();
        let b = Flight::start();
        drop(a);
        let c = Flight::start();
        let v: serde_json::Value = serde_json::from_slice(&endpoint(true, false).body).unwrap();
        assert_eq!(v["ripestat_peak"], 2);
        assert_eq!(v["ripestat_in_flight"], 2);
        assert_eq!(v["ripestat_requests"], 3);
        drop((b, c));
        assert_eq!(endpoint(false, false).status, 403);
        let _ = endpoint(true, true);
        let v = snapshot();
        assert_eq!(
            (v["ripestat_peak"].as_u64(), v["ripestat_requests"].as_u64()),
            (Some(0), Some(0))
        );
    }
}
