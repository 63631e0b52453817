//! When to try a request again. Pure, so the schedule is tested natively; `fetch` applies it.
//! 429 waits what `Retry-After` says; 5xx, timeouts and network failures back off
//! exponentially with jitter; other 4xx are final. Attempts are bounded.

/// What one attempt ended with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome<'a> {
    Status {
        status: u16,
        retry_after: Option<&'a str>,
    },
    Network,
    Timeout,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    RetryAfterMs(u32),
    GiveUp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub base_ms: u32,
    pub max_ms: u32,
}

/// RIPEstat's heavy calls are slow and its limits strict: a few patient retries.
pub const DEFAULT: Policy = Policy {
    max_attempts: 4,
    base_ms: 1_000,
    max_ms: 30_000,
};

/// `attempt` counts from 1 (the attempt that just ended); `jitter` is uniform in [0, 1).
pub fn decide(policy: Policy, attempt: u32, outcome: Outcome, jitter: f64) -> Decision {
    if attempt >= policy.max_attempts {
        return Decision::GiveUp;
    }
    let backoff = || {
        let exp = policy.base_ms.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let capped = f64::from(exp.min(policy.max_ms));
        // "Equal jitter": half fixed, half random, so clients spread out but never retry at once.
        Decision::RetryAfterMs((capped * (0.5 + 0.5 * jitter.clamp(0.0, 1.0))) as u32)
    };
    match outcome {
        Outcome::Status {
            status: 429,
            retry_after,
        } => match retry_after.and_then(retry_after_ms) {
            Some(ms) if ms <= policy.max_ms => Decision::RetryAfterMs(ms),
            // Asked to wait longer than we would: say so to the user instead of hanging.
            Some(_) => Decision::GiveUp,
            None => backoff(),
        },
        Outcome::Status {
            status: 500 | 502 | 503 | 504,
            ..
        }
        | Outcome::Network
        | Outcome::Timeout => backoff(),
        Outcome::Status { .. } => Decision::GiveUp,
    }
}

/// `Retry-After` as delta-seconds. (The HTTP-date form needs a clock: treated as absent.)
pub fn retry_after_ms(v: &str) -> Option<u32> {
    let secs: u32 = v.trim().parse().ok()?;
    secs.checked_mul(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Policy = DEFAULT;

    #[test]
    fn server_errors_back_off_exponentially_within_the_jitter_band() {
        let wait = |attempt, jitter| match decide(
            P,
            attempt,
            Outcome::Status {
                status: 503,
                retry_after: None,
            },
            jitter,
        ) {
            Decision::RetryAfterMs(ms) => ms,
            Decision::GiveUp => panic!("gave up at attempt {attempt}"),
        };
        assert_eq!((wait(1, 0.0), wait(1, 0.999_999)), (500, 999));
        assert_eq!((wait(2, 0.0), wait(3, 0.0)), (1000, 2000));
        assert!(wait(3, 0.5) > wait(2, 0.5));
        assert_eq!(
            decide(P, 4, Outcome::Network, 0.0),
            Decision::GiveUp,
            "bounded"
        );
    }

    #[test]
    fn too_many_requests_waits_what_the_server_asks() {
        let r = |v| {
            decide(
                P,
                1,
                Outcome::Status {
                    status: 429,
                    retry_after: Some(v),
                },
                0.3,
            )
        };
        assert_eq!(r("7"), Decision::RetryAfterMs(7000));
        assert_eq!(r("3600"), Decision::GiveUp);
        // Unreadable: fall back to backoff.
        assert_eq!(r("soon"), Decision::RetryAfterMs(650));
    }

    #[test]
    fn client_errors_and_timeouts() {
        assert_eq!(
            decide(
                P,
                1,
                Outcome::Status {
                    status: 400,
                    retry_after: None
                },
                0.0
            ),
            Decision::GiveUp
        );
        assert_eq!(
            decide(
                P,
                1,
                Outcome::Status {
                    status: 404,
                    retry_after: None
                },
                0.0
            ),
            Decision::GiveUp
        );
        assert_eq!(
            decide(P, 1, Outcome::Timeout, 0.0),
            Decision::RetryAfterMs(500)
        );
        assert_eq!(decide(P, 40, Outcome::Timeout, 0.0), Decision::GiveUp);
        // Huge attempt numbers never overflow.
        let huge = Policy {
            max_attempts: u32::MAX,
            ..P
        };
        assert_eq!(
            decide(huge, 200, Outcome::Network, 0.0),
            Decision::RetryAfterMs(15_000)
        );
    }
}
