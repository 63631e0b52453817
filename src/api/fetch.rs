//! Browser fetches (gloo-net). Plain GETs without custom headers, so no CORS preflight.
//! Each request is aborted when the reactive scope that started it is cleaned up, i.e. when the
//! view changes, as in Leptos' hackernews example.

use gloo_net::http::Request;
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;

use super::{ioda, ripestat, ApiError};

/// GETs `url` and returns the body of a 2xx answer. Error bodies are read for the API's message.
pub async fn get_text(url: &str) -> Result<String, ApiError> {
    let controller = SendWrapper::new(web_sys::AbortController::new().ok());
    let signal = controller.as_ref().map(|c| c.signal());
    on_cleanup(move || {
        if let Some(c) = controller.take() {
            c.abort();
        }
    });
    let resp = Request::get(url)
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|e| ApiError::Network(short(&e.to_string())))?;
    let status = resp.status();
    let body = resp
        .text()
        .await
        .map_err(|e| ApiError::Network(short(&e.to_string())))?;
    if (200..300).contains(&status) {
        Ok(body)
    } else {
        Err(ApiError::Http {
            status,
            message: api_message(&body),
        })
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
