//! At most N requests in flight (RIPEstat allows 8 per client); the rest wait their turn.
//! Single-threaded (WASM): plain cells, no locks. Pure, so it is tested natively.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

#[derive(Clone)]
pub struct Limiter(Rc<Inner>);

struct Inner {
    max: usize,
    in_flight: Cell<usize>,
    waiters: RefCell<Vec<Waker>>,
    peak: Cell<usize>,
}

/// Holding one is holding a slot; dropping it frees the slot.
pub struct Permit(Rc<Inner>);

impl Limiter {
    pub fn new(max: usize) -> Limiter {
        Limiter(Rc::new(Inner {
            max: max.max(1),
            in_flight: Cell::new(0),
            waiters: RefCell::new(Vec::new()),
            peak: Cell::new(0),
        }))
    }

    pub fn acquire(&self) -> Acquire {
        Acquire(self.0.clone())
    }

    pub fn in_flight(&self) -> usize {
        self.0.in_flight.get()
    }

    /// The most requests ever in flight at once.
    pub fn peak(&self) -> usize {
        self.0.peak.get()
    }
}

pub struct Acquire(Rc<Inner>);

impl Future for Acquire {
    type Output = Permit;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit> {
        let inner = &self.0;
        if inner.in_flight.get() < inner.max {
            inner.in_flight.set(inner.in_flight.get() + 1);
            inner.peak.set(inner.peak.get().max(inner.in_flight.get()));
            Poll::Ready(Permit(inner.clone()))
        } else {
            inner.waiters.borrow_mut().push(cx.waker().clone());
            Poll::Pending
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.0
            .in_flight
            .set(self.0.in_flight.get().saturating_sub(1));
        // Wake every waiter: one of them may have been cancelled, and it must not keep the slot
        // from the others. They re-check the count when polled.
        let waiters = std::mem::take(&mut *self.0.waiters.borrow_mut());
        for w in waiters {
            w.wake();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll_once<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
        Pin::new(f).poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn the_ninth_request_waits_until_one_finishes() {
        let lim = Limiter::new(8);
        let mut held: Vec<Permit> = (0..8)
            .map(|_| match poll_once(&mut lim.acquire()) {
                Poll::Ready(p) => p,
                Poll::Pending => panic!("a free slot must be granted at once"),
            })
            .collect();
        let mut ninth = lim.acquire();
        assert!(poll_once(&mut ninth).is_pending());
        assert_eq!(lim.in_flight(), 8);
        held.pop();
        assert!(matches!(poll_once(&mut ninth), Poll::Ready(_)));
        assert_eq!(lim.peak(), 8);
    }

    #[test]
    fn a_cancelled_waiter_does_not_strand_the_queue() {
        let lim = Limiter::new(1);
        let first = match poll_once(&mut lim.acquire()) {
            Poll::Ready(p) => p,
            Poll::Pending => panic!("free"),
        };
        let mut cancelled = lim.acquire();
        assert!(poll_once(&mut cancelled).is_pending());
        let mut waiting = lim.acquire();
        assert!(poll_once(&mut waiting).is_pending());
        drop(cancelled);
        drop(first);
        assert!(matches!(poll_once(&mut waiting), Poll::Ready(_)));
    }
}
