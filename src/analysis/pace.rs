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
use std::pin::pin;
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

/// Items from which a vector's growth gets a slice of its own (see `room_for_one`).
pub const BIG_VEC: usize = 1 << 16;

/// Makes room for one more item in `v`. A vector grows by doubling, copying all it holds in
/// one go: for millions of items that copy alone takes tens of ms, so it starts a slice of
/// its own, and the slice ends after it if it is spent.
pub async fn room_for_one<T, P: Pace>(v: &mut Vec<T>, pace: &mut P) -> Result<(), P::Stop> {
    if v.len() == v.capacity() && v.len() >= BIG_VEC {
        pace.pause().await?;
        v.reserve(v.len());
        breathe(pace).await?;
    }
    Ok(())
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
    fn a_large_vector_grows_in_a_slice_of_its_own() {
        async fn fill(v: &mut Vec<usize>, n: usize, pace: &mut Counting) -> Result<(), ()> {
            for i in 0..n {
                room_for_one(v, pace).await?;
                v.push(i);
            }
            Ok(())
        }
        let mut pace = Counting::default();
        let mut v = Vec::with_capacity(BIG_VEC / 2);
        run(fill(&mut v, BIG_VEC * 4 + 1, &mut pace)).expect("never stopped");
        assert!(v.iter().enumerate().all(|(i, x)| i == *x) && v.len() == BIG_VEC * 4 + 1);
        // Growths from BIG_VEC, 2 BIG_VEC and 4 BIG_VEC: a pause before each copy, and one
        // after it (this pace is always due); the growth below BIG_VEC pauses not.
        assert_eq!(pace.pauses, 6);
        assert_eq!(v.capacity(), BIG_VEC * 8);
    }
}
