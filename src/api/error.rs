use std::fmt;

/// Why a source could not be shown, in words a user can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request never got an HTTP answer: offline, DNS, CORS refusal, connection dropped.
    Network(String),
    /// No answer within the per-attempt timeout (seconds), after every retry.
    Timeout(u32),
    /// An HTTP error status, with the API's own message when its error body had one.
    Http {
        status: u16,
        message: Option<String>,
    },
    /// The API answered but said the call failed (RIPEstat `status: error`, IODA `error`).
    Api(String),
    /// RIPEstat is in maintenance.
    Maintenance(String),
    /// The body was not the JSON we expect (truncated, wrong shape).
    Malformed(String),
    /// A successful answer without data: "no data", never to be drawn as zero.
    Empty,
    /// The runtime configuration is unusable.
    Config(String),
    /// The view changed while the request ran; it was aborted and its answer is not wanted.
    Superseded,
    /// This source does not apply to what is shown (e.g. a per-ASN call for a country).
    NotApplicable(String),
}

impl std::error::Error for ApiError {}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(m) => write!(f, "could not reach the server ({m})"),
            ApiError::Timeout(s) => {
                write!(f, "timed out: no answer within {s} s, even after retries")
            }
            ApiError::Http {
                status,
                message: Some(m),
            } => write!(f, "HTTP {status}: {m}"),
            ApiError::Http {
                status,
                message: None,
            } => write!(f, "HTTP {status}: {}", reason(*status)),
            ApiError::Api(m) => write!(f, "the API reported an error: {m}"),
            ApiError::Maintenance(m) => write!(f, "the API is in maintenance: {m}"),
            ApiError::Malformed(m) => write!(f, "the answer could not be read ({m})"),
            ApiError::Empty => f.write_str("no data for this entity and window"),
            ApiError::Config(m) => write!(f, "configuration problem: {m}"),
            ApiError::NotApplicable(m) => f.write_str(m),
            ApiError::Superseded => f.write_str("cancelled: the view changed"),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "the request was refused as invalid",
        404 => "not found",
        429 => "too many requests, the API asks us to slow down",
        500..=599 => "the server failed",
        _ => "unexpected status",
    }
}

/// A body that is not the JSON expected, with where it went wrong.
pub(crate) fn malformed(e: super::json::JsonError) -> ApiError {
    ApiError::Malformed(e.to_string())
}
