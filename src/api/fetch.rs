//! Browser fetches (gloo-net). Plain GETs without custom headers, so no CORS preflight.
//! Each request is aborted when the reactive scope that started it is cleaned up (the view
//! changed), as in Leptos' hackernews example; each attempt also has a timeout; failures are
//! retried by `retry`'s policy; RIPEstat requests wait for one of its 8 slots.

use gloo_net::http::Request;
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;

use super::limit::Limiter;
use super::retry::{self, Decision, Outcome};
use super::{ioda, ripestat, ApiError};

/// RIPEstat's heavy calls can take minutes; nothing else should take this long.
const TIMEOUT_MS: u32 = 120_000;
/// RIPEstat allows 8 concurrent requests per client.
pub const RIPESTAT_SLOTS: usize = 8;

thread_local! {
    static RIPESTAT: Limiter = Limiter::new(RIPESTAT_SLOTS);
}

/// Which limits apply to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    RipeStat,
    Other,
}

/// GETs `url` and returns the body of a 2xx answer. Error bodies are read for the API's message.
pub async fn get_text(url: &str, host: Host) -> Result<String, ApiError> {
    let view = SendWrapper::new(web_sys::AbortController::new().ok());
    let view_signal = view.as_ref().map(|c| c.signal());
    on_cleanup(move || {
        if let Some(c) = view.take() {
            c.abort();
        }
    });
    let mut attempt = 1;
    loop {
        let permit = match host {
            Host::RipeStat => Some(RIPESTAT.with(Limiter::acquire).await),
            Host::Other => None,
        };
        let timeout = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);
        let signal = match &view_signal {
            Some(v) => web_sys::AbortSignal::any(&js_sys::Array::of2(v, &timeout)),
            None => timeout.clone(),
        };
        // The HTTP status and Retry-After of a failed answer (None: no answer), and the error.
        let (http, error) = match Request::get(url).abort_signal(Some(&signal)).send().await {
            Ok(resp) => {
                let status = resp.status();
                let retry_after = resp.headers().get("retry-after");
                match resp.text().await {
                    Ok(body) if (200..300).contains(&status) => return Ok(body),
                    Ok(body) => (
                        Some((status, retry_after)),
                        ApiError::Http {
                            status,
                            message: api_message(&body),
                        },
                    ),
                    Err(e) => (None, ApiError::Network(short(&e.to_string()))),
                }
            }
            Err(e) => (None, ApiError::Network(short(&e.to_string()))),
        };
        drop(permit);
        if view_signal
            .as_ref()
            .is_some_and(web_sys::AbortSignal::aborted)
        {
            // The view moved on: nobody waits for this answer.
            return Err(error);
        }
        let outcome = match &http {
            Some((status, retry_after)) => Outcome::Status {
                status: *status,
                retry_after: retry_after.as_deref(),
            },
            None if timeout.aborted() => Outcome::Timeout,
            None => Outcome::Network,
        };
        let error = if matches!(outcome, Outcome::Timeout) {
            ApiError::Network(format!("no answer within {} s", TIMEOUT_MS / 1000))
        } else {
            error
        };
        match retry::decide(retry::DEFAULT, attempt, outcome, js_sys::Math::random()) {
            Decision::RetryAfterMs(ms) => {
                gloo_timers::future::TimeoutFuture::new(ms).await;
                attempt += 1;
            }
            Decision::GiveUp => return Err(error),
        }
    }
}

/// The human message inside a RIPEstat or IODA error body, if there is one.
fn api_message(body: &str) -> Option<String> {
    let from = |e: ApiError| match e {
        ApiError::Api(m) | ApiError::Maintenance(m) => Some(m),
        _ => None,
    };
    ioda::parse::<serde::de::IgnoredAny>(body)
        .err()
        .and_then(from)
        .or_else(|| {
            ripestat::parse::<serde::de::IgnoredAny>(body)
                .err()
                .and_then(from)
        })
}

fn short(s: &str) -> String {
    s.chars().take(160).collect()
}
