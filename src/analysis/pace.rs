//! Cooperative time slicing: long loops over events pause now and then so that the browser's
//! main thread can render and answer input (a large entity's million events take seconds).
//!
//! The work is written once, as async functions that await `Pace::pause` when `Pace::due`
//! says a slice is spent. The page passes a pace that looks at the clock and yields to the event
//! loop; native code and tests pass `Unpaced`, which never waits, and run the same functions
//! to completion with `unpaced`. So this module stays pure: it knows neither clocks nor
//! browsers.

use std::convert::Infallible;
use std::future::Future;
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

/// Items processed between two looks at `Pace::due`: counting is cheap, the clock is not.
pub const STRIDE: usize = 1024;

pub trait Pace {
    /// Why a paused piece of work may be abandoned (the page: the view changed).
    type Stop;

    /// True when the current slice has used its time.
    fn due(&mut self) -> bool;

    /// Lets the page breathe, then resumes; `Err` when the work is no longer wanted.
    fn pause(&mut self) -> impl Future<Output = Result<(), Self::Stop>>;
}

/// `tick!(pace, count)` counts one item (`tick!(pace, count, n)`: n items' worth of work) and,
/// every `STRIDE`, awaits a pause if the slice is spent, returning early (`?`) when the pace
/// gives up; `tick!(pace, count, map f)` maps that error first. A macro rather than an async
/// fn: it runs for every event, and the count must cost no more than an add and a compare.
macro_rules! tick {
    ($pace:expr, $count:expr) => {
        tick!($pace, $count, 1)
    };
    ($pace:expr, $count:expr, map $stop:expr) => {
        $count += 1;
        if $count >= $crate::analysis::pace::STRIDE {
            $count = 0;
            if $crate::analysis::pace::Pace::due($pace) {
                $crate::analysis::pace::Pace::pause($pace)
                    .await
                    .map_err($stop)?;
            }
        }
    };
    ($pace:expr, $count:expr, $items:expr) => {
        $count = usize::saturating_add($count, $items);
        if $count >= $crate::analysis::pace::STRIDE {
            $count = 0;
            if $crate::analysis::pace::Pace::due($pace) {
                $crate::analysis::pace::Pace::pause($pace).await?;
            }
        }
    };
}
pub(crate) use tick;

/// Pauses if the slice is spent: between stages whose loops are each short but add up.
pub async fn breathe<P: Pace>(pace: &mut P) -> Result<(), P::Stop> {
    if pace.due() {
        pace.pause().await
    } else {
        Ok(())
    }
}

/// `work` polled through a pointer, so that its state machine stays a function of its own.
/// A stage awaited from one place is otherwise inlined into its caller: the page's parse and
/// analysis were one 51 KB wasm function, which V8 optimized in one job of about 110 ms while
/// the parse ran beside it. Split at the stages that use this, the wasm is also 0.7 KB
/// smaller (brotli); at others (`path_uses`, the graph's timelines) it grew, so they are not.
pub fn apart<'a, T>(work: impl Future<Output = T> + 'a) -> Pin<Box<dyn Future<Output = T> + 'a>> {
    Box::pin(work)
}

/// Items per segment of a [`Growing`] vector: 0.6-1 MB of routes or updates. Moving a
/// segment writes memory the page has never touched, and first touches were at times slow
/// enough (20-30 ms for 1 << 16 items, profiled) to hold the page past 50 ms. Smaller (1 << 12)
/// made the small answers pay `into_vec`'s copy too: the in-browser pipeline went from 1.41
/// to 1.53-1.61 times `JSON.parse`.
pub const BIG_VEC: usize = 1 << 14;

/// A vector built by pushes whose growth never copies more than [`BIG_VEC`] items. A `Vec`
/// grows by doubling, copying all it holds in one go: for a large entity's million routes
/// that one copy took 54 ms. Here full segments stay where they are, and `into_vec` moves
/// them into one vector a segment at a time, pausing as the pace asks.
#[derive(Debug)]
pub struct Growing<T> {
    full: Vec<Vec<T>>,
    last: Vec<T>,
}

impl<T> Default for Growing<T> {
    fn default() -> Self {
        Growing {
            full: Vec::new(),
            last: Vec::new(),
        }
    }
}

impl<T> Growing<T> {
    pub fn push(&mut self, item: T) {
        if self.last.len() >= BIG_VEC {
            let mut next = Vec::new();
            // A failed reservation only means this segment grows as it fills.
            let _ = next.try_reserve_exact(BIG_VEC);
            self.full.push(std::mem::replace(&mut self.last, next));
        }
        self.last.push(item);
    }

    /// The items in push order, in one vector.
    pub async fn into_vec<P: Pace>(mut self, pace: &mut P) -> Result<Vec<T>, P::Stop> {
        if self.full.is_empty() {
            return Ok(self.last);
        }
        let mut out = Vec::new();
        let _ = out.try_reserve_exact(
            self.full
                .len()
                .saturating_mul(BIG_VEC)
                .saturating_add(self.last.len()),
        );
        for mut segment in self.full {
            out.append(&mut segment);
            breathe(pace).await?;
        }
        out.append(&mut self.last);
        Ok(out)
    }
}

/// Drops `v` an item at a time, pausing as `pace` asks: freeing millions of routes (a string
/// and a path each) takes tens of ms.
pub async fn drop_paced<T, P: Pace>(mut v: Vec<T>, pace: &mut P) -> Result<(), P::Stop> {
    let mut count = 0;
    while v.pop().is_some() {
        tick!(pace, count);
    }
    Ok(())
}

/// Never pauses: for native code and tests.
pub struct Unpaced;

impl Pace for Unpaced {
    type Stop = Infallible;

    fn due(&mut self) -> bool {
        false
    }

    async fn pause(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

/// Runs work paced by `Unpaced` to its end. Such work never waits, so one poll finishes it;
/// the loop only guards against a future that returns `Pending` spuriously.
pub fn unpaced<T>(work: impl Future<Output = Result<T, Infallible>>) -> T {
    let mut work = pin!(work);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(done) = work.as_mut().poll(&mut cx) {
            match done {
                Ok(v) => return v,
                Err(never) => match never {},
            }
        }
    }
}

/// A pace for tests: due at every look, counting pauses; gives up after `stop_after` pauses
/// when set (a view that changes in the middle of the work).
#[derive(Debug, Default)]
pub struct Counting {
    pub pauses: usize,
    pub stop_after: Option<usize>,
}

impl Pace for Counting {
    type Stop = ();

    fn due(&mut self) -> bool {
        true
    }

    async fn pause(&mut self) -> Result<(), ()> {
        self.pauses += 1;
        match self.stop_after {
            Some(n) if self.pauses > n => Err(()),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn count_to(pace: &mut impl Pace<Stop = ()>, n: usize) -> Result<usize, ()> {
        let (mut count, mut seen) = (0, 0);
        for _ in 0..n {
            tick!(pace, count);
            seen += 1;
        }
        Ok(seen)
    }

    fn run<T>(work: impl Future<Output = T>) -> T {
        let mut work = pin!(work);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(v) = work.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    #[test]
    fn pauses_once_per_stride_and_stops_when_told() {
        let mut pace = Counting::default();
        assert_eq!(
            run(count_to(&mut pace, 10 * STRIDE + 5)),
            Ok(10 * STRIDE + 5)
        );
        assert_eq!(pace.pauses, 10);
        let mut stopping = Counting {
            stop_after: Some(3),
            ..Counting::default()
        };
        assert_eq!(run(count_to(&mut stopping, 10 * STRIDE)), Err(()));
        assert_eq!(stopping.pauses, 4);
    }

    #[test]
    fn a_growing_vector_keeps_its_items_and_never_copies_more_than_a_segment() {
        for n in [0, 1, BIG_VEC - 1, BIG_VEC, BIG_VEC + 1, 3 * BIG_VEC + 7] {
            let mut g = Growing::default();
            for i in 0..n {
                g.push(i);
            }
            // Every full segment was allocated once at its size: it never grew by copying.
            assert!(g
                .full
                .iter()
                .all(|s| s.len() == BIG_VEC && s.capacity() == BIG_VEC));
            assert!(g.last.len() <= BIG_VEC);
            let segments = g.full.len();
            let mut pace = Counting::default();
            let v = run(g.into_vec(&mut pace)).expect("never stopped");
            assert_eq!(v, (0..n).collect::<Vec<_>>(), "{n} items");
            // A pause check after each full segment is moved (this pace is always due).
            assert_eq!(pace.pauses, segments, "{n} items");
        }
        let mut g = Growing::default();
        for i in 0..4 * BIG_VEC {
            g.push(i);
        }
        let mut stopping = Counting {
            stop_after: Some(1),
            ..Counting::default()
        };
        assert_eq!(run(g.into_vec(&mut stopping)), Err(()));
        assert_eq!(stopping.pauses, 2);
    }
}
