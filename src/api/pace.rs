//! The page's pace for long analyses: run for a slice of time, then yield to the event loop so
//! the page renders and answers input, and give up when the view has changed meanwhile.

use super::fetch::{current_view, next_task};
use super::ApiError;
use crate::analysis::pace::Pace;

/// Work per slice: well under the 50 ms beyond which a task counts as long, so that a task
/// that also waits for a core (a busy machine) stays under it too. With 20 ms the page's
/// tasks did 30-34 ms of work at most; with 8 ms, about 20 (the stretches between two looks
/// at the clock add to it), at no cost to the time to the summary.
pub const SLICE_MS: f64 = 8.0;

pub struct BrowserPace {
    view: String,
    /// Whether the work is still wanted, besides its view (a newer request may replace it).
    wanted: Option<Box<dyn Fn() -> bool>>,
    slice_start: f64,
    /// The longest stretch of work between two pauses, and the number of pauses: what the
    /// benchmark reports.
    pub longest_ms: f64,
    pub pauses: u32,
    /// Time handed back to the page: wall time minus this is the work's own.
    pub paused_ms: f64,
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

impl BrowserPace {
    /// A pace for work done for the view `view` (see `fetch::set_view`).
    pub fn new(view: String) -> BrowserPace {
        BrowserPace {
            view,
            wanted: None,
            slice_start: now(),
            longest_ms: 0.0,
            pauses: 0,
            paused_ms: 0.0,
        }
    }

    /// A pace that also gives up once `wanted` says the work's result would be ignored.
    pub fn while_wanted(mut self, wanted: impl Fn() -> bool + 'static) -> BrowserPace {
        self.wanted = Some(Box::new(wanted));
        self
    }

    /// Starts a new slice after the work awaited something else (the network): that wait
    /// held nothing.
    pub fn restart(&mut self) {
        self.slice_start = now();
    }

    /// Ends the last slice's account (call when the work is done).
    pub fn finish(&mut self) {
        self.longest_ms = self.longest_ms.max(now() - self.slice_start);
    }
}

impl Pace for BrowserPace {
    type Stop = ApiError;

    fn due(&mut self) -> bool {
        now() - self.slice_start >= SLICE_MS
    }

    async fn pause(&mut self) -> Result<(), ApiError> {
        self.finish();
        self.pauses += 1;
        let paused = now();
        next_task().await;
        if current_view() != self.view || self.wanted.as_ref().is_some_and(|w| !w()) {
            return Err(ApiError::Superseded);
        }
        self.slice_start = now();
        self.paused_ms += self.slice_start - paused;
        Ok(())
    }
}
