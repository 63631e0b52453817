//! Browser fetches, made by a Web Worker (`worker_fetch.js`). Plain GETs without custom
//! headers, so no CORS preflight.
//! Every request belongs to the view it was made for and is aborted when the view changes
//! (`set_view`); each attempt also has a timeout; failures are retried by `retry`'s policy;
//! RIPEstat requests wait for one of its 8 slots.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use rustc_hash::FxHashMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::pace::BrowserPace;
use crate::analysis::pace::{breathe, unpaced, Pace, Unpaced};

use super::cache::{self, Cache};
use super::limit::Limiter;
use super::retry::{self, Decision, Outcome};
use super::{ioda, ripestat, ApiError};
use crate::model::{push_lossy, UtcTime};

/// RIPEstat allows 8 concurrent requests per client.
pub const RIPESTAT_SLOTS: usize = 8;

const CACHE_NAME: &str = "outage-lens-v1";
const EXPIRES_HEADER: &str = "x-outage-lens-expires";

thread_local! {
    /// Per attempt; from the runtime config (`set_timeout_secs`), else the default.
    static TIMEOUT_SECS: Cell<u32> = const { Cell::new(super::config::DEFAULT_TIMEOUT_SECS) };
    /// The view requests are made for, and the controller that aborts them all.
    static VIEW: RefCell<(String, Option<web_sys::AbortController>)> =
        const { RefCell::new((String::new(), None)) };
    static RIPESTAT: Limiter = Limiter::new(RIPESTAT_SLOTS);
    static MEMORY: RefCell<Cache> = RefCell::new(Cache::default());
    /// URLs being fetched now, with the wakers of identical requests waiting for them.
    static IN_FLIGHT: RefCell<FxHashMap<String, Vec<Waker>>> = RefCell::new(FxHashMap::default());
}

/// Applies the configured per-attempt timeout to every later request.
pub fn set_timeout_secs(secs: u32) {
    TIMEOUT_SECS.with(|t| t.set(secs));
}

/// The view named last by `set_view`: long work for an older view stops (see `ui::pace`).
pub fn current_view() -> String {
    VIEW.with(|v| v.borrow().0.clone())
}

/// Names the view that requests are made for from now on; a different one than before aborts
/// every request of the previous view. Leptos awaits a resource's running fetch before it
/// starts the next one, so without this a new view would wait for the old view's answers
/// (heavy calls take minutes) and show them meanwhile.
pub fn set_view(id: String) {
    VIEW.with(|v| {
        let mut v = v.borrow_mut();
        if v.0 != id {
            if let Some(old) = v.1.take() {
                old.abort();
            }
            *v = (id, web_sys::AbortController::new().ok());
        }
    });
}

fn now() -> UtcTime {
    UtcTime((js_sys::Date::now() / 1000.0) as i64)
}

/// Like `get_text`, through the caches: memory, then the browser's Cache API (across
/// reloads). Identical requests in flight are made once. `refresh` bypasses both caches.
pub async fn get_cached(
    url: &str,
    host: Host,
    window_end: Option<UtcTime>,
    refresh: bool,
) -> Result<Rc<String>, ApiError> {
    if !refresh {
        if let Some(hit) = MEMORY.with(|m| m.borrow().get(url, now())) {
            return Ok(hit);
        }
        if IN_FLIGHT.with(|f| f.borrow().contains_key(url)) {
            Done(url.to_string()).await;
            if let Some(hit) = MEMORY.with(|m| m.borrow().get(url, now())) {
                return Ok(hit);
            }
        }
    }
    let _flight = Flight::start(url);
    if !refresh {
        if let Some((body, expires)) = persisted(url).await {
            let body = Rc::new(body);
            MEMORY.with(|m| m.borrow_mut().put(url, body.clone(), expires));
            return Ok(body);
        }
    }
    let body = Rc::new(get_text(url, host).await?);
    let expires = now().plus(cache::ttl(window_end, now()));
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        m.prune(now());
        m.put(url, body.clone(), expires);
    });
    persist(url, &body, expires).await;
    Ok(body)
}

/// Marks a URL as in flight; dropping it (success, failure or cancel) wakes the waiters.
struct Flight(String);

impl Flight {
    fn start(url: &str) -> Flight {
        IN_FLIGHT.with(|f| {
            f.borrow_mut().entry(url.to_string()).or_default();
        });
        Flight(url.to_string())
    }
}

impl Drop for Flight {
    fn drop(&mut self) {
        let waiters = IN_FLIGHT
            .with(|f| f.borrow_mut().remove(&self.0))
            .unwrap_or_default();
        for w in waiters {
            w.wake();
        }
    }
}

/// Resolves once no request for the URL is in flight.
struct Done(String);

impl Future for Done {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        IN_FLIGHT.with(|f| match f.borrow_mut().get_mut(&self.0) {
            Some(waiters) => {
                waiters.push(cx.waker().clone());
                Poll::Pending
            }
            None => Poll::Ready(()),
        })
    }
}

async fn open_cache() -> Option<web_sys::Cache> {
    let caches = web_sys::window()?.caches().ok()?;
    JsFuture::from(caches.open(CACHE_NAME))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// A persisted answer that has not expired. Any failure (no Cache API, private mode) is a miss.
async fn persisted(url: &str) -> Option<(String, UtcTime)> {
    let cache = open_cache().await?;
    let resp: web_sys::Response = JsFuture::from(cache.match_with_str(url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let expires = UtcTime(resp.headers().get(EXPIRES_HEADER).ok()??.parse().ok()?);
    if expires <= now() {
        return None;
    }
    let mut pace = BrowserPace::new(current_view());
    Some((body_text(&resp, &mut pace).await.ok()?, expires))
}

/// Answers above this size are kept in memory only: writing them to the Cache API copies them
/// whole on the page's thread.
const PERSIST_MAX: usize = 32 << 20;

/// UTF-8 arriving in pieces, decoded into one `String`; invalid sequences are replaced as
/// `String::from_utf8_lossy` (and `Response.text()`) does, wherever the pieces are cut.
///
/// Without a length known up front (a compressed answer), the text does not grow by doubling,
/// which copies all it holds at once (hundreds of ms for a large entity's answer): once it
/// holds `segment_min` bytes, a piece that does not fit starts a new segment, and the
/// segments are joined at the end piece by piece, as the pace allows.
#[derive(Debug, Default)]
pub struct Utf8Pieces {
    text: String,
    /// Full segments before `text`, in order.
    done: Vec<String>,
    segment_min: usize,
    /// The start of a character cut by the end of the last piece (at most 3 bytes).
    carry: Vec<u8>,
}

impl Utf8Pieces {
    /// Room for `bytes` if it can be had: the size comes from the network, and a failed
    /// reservation only means the text grows as it arrives.
    pub fn with_capacity(bytes: usize) -> Utf8Pieces {
        let mut text = String::new();
        let _ = text.try_reserve(bytes);
        Utf8Pieces {
            text,
            segment_min: BIG_TEXT,
            ..Utf8Pieces::default()
        }
    }

    pub fn push(&mut self, piece: &[u8]) {
        let spare = self.text.capacity() - self.text.len();
        if spare < piece.len() && self.text.len() >= self.segment_min.max(1) {
            let mut next = String::new();
            let _ = next.try_reserve(piece.len().max(self.text.len()));
            self.done.push(std::mem::replace(&mut self.text, next));
        }
        let mut rest = piece;
        // Complete a character cut by the last piece, a byte at a time.
        while !self.carry.is_empty() {
            let Some((&b, after)) = rest.split_first() else {
                return;
            };
            self.carry.push(b);
            rest = after;
            match std::str::from_utf8(&self.carry) {
                Ok(c) => {
                    self.text.push_str(c);
                    self.carry.clear();
                }
                Err(e) if e.error_len().is_some() => {
                    // Not a character after all: replace its first byte, decode the others anew.
                    let carried = std::mem::take(&mut self.carry);
                    self.text.push('\u{FFFD}');
                    let skip = e.error_len().unwrap_or(1);
                    self.decode(carried.get(skip..).unwrap_or_default());
                }
                Err(_) => {}
            }
        }
        self.decode(rest);
    }

    fn decode(&mut self, bytes: &[u8]) {
        if !self.carry.is_empty() {
            // Bytes after a carried partial character (only from `push`'s replay): join them.
            let joined: Vec<u8> = std::mem::take(&mut self.carry)
                .into_iter()
                .chain(bytes.iter().copied())
                .collect();
            return self.push(&joined);
        }
        let cut = push_lossy(&mut self.text, bytes);
        self.carry = cut.to_vec();
    }

    pub fn finish(self) -> String {
        unpaced(self.finish_paced(&mut Unpaced))
    }

    /// The whole text: the segments joined a piece at a time, pausing as `pace` asks.
    pub async fn finish_paced<P: Pace>(mut self, pace: &mut P) -> Result<String, P::Stop> {
        if !self.carry.is_empty() {
            self.text.push('\u{FFFD}');
        }
        if self.done.is_empty() {
            return Ok(self.text);
        }
        let total = self.done.iter().map(String::len).sum::<usize>() + self.text.len();
        let mut out = String::new();
        let _ = out.try_reserve(total);
        self.done.push(self.text);
        for segment in self.done {
            let mut at = 0;
            while at < segment.len() {
                let mut end = at.saturating_add(PIECE as usize).min(segment.len());
                while !segment.is_char_boundary(end) {
                    end -= 1;
                }
                out.push_str(segment.get(at..end).unwrap_or_default());
                at = end;
                breathe(pace).await?;
            }
        }
        Ok(out)
    }
}

/// Resolves in a new task of the event loop, so the page can render and answer input.
pub async fn next_task() {
    let _ = JsFuture::from(next_task_promise()).await;
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/api/next_task.js")]
extern "C" {
    #[wasm_bindgen::prelude::wasm_bindgen(js_name = nextTask)]
    fn next_task_promise() -> js_sys::Promise;
}

/// [`next_task`] where Leptos wants a `Send` future (Suspend, Transition's content). The page
/// has one thread, so the wrapper's thread check cannot fail.
pub fn next_task_send() -> impl std::future::Future<Output = ()> + Send {
    send_wrapper::SendWrapper::new(next_task())
}

/// An answer's body as text. Read as bytes, not as `text()`: a JS string would be decoded to
/// UTF-16 and then re-encoded into wasm memory, which cost as much as `JSON.parse` of the
/// whole answer. Read from the body's stream, not as one `arrayBuffer()`: the browser then
/// hands the bytes over as they arrive, instead of gathering a large entity's hundreds of MB
/// into one buffer in a single long task; each chunk is copied and checked, the page
/// rendering in between.
pub async fn body_text(resp: &web_sys::Response, pace: &mut BrowserPace) -> Result<String, String> {
    let unreadable = |e: wasm_bindgen::JsValue| {
        e.as_string()
            .unwrap_or_else(|| "the answer could not be read".into())
    };
    let Some(stream) = resp.body() else {
        // No body at all (a 204, say): empty text.
        return Ok(String::new());
    };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    // Only a hint: a compressed answer's length is smaller, and a hostile one may be anything.
    let expected = resp
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let mut text = Utf8Pieces::with_capacity(expected);
    let mut piece = Vec::new();
    pace.restart();
    let read_all = async {
        loop {
            let read: web_sys::ReadableStreamReadResult = JsFuture::from(reader.read())
                .await
                .map_err(unreadable)?
                .unchecked_into();
            if read.get_done().unwrap_or(true) {
                return Ok(());
            }
            let chunk: js_sys::Uint8Array = read
                .get_value()
                .dyn_into()
                .map_err(|_| "the answer's body is not bytes".to_string())?;
            // A chunk may be the whole answer (a cached one, say): copied and checked in
            // pieces, the page rendering in between.
            let (mut at, len) = (0, chunk.length());
            while at < len {
                let end = at.saturating_add(PIECE).min(len);
                let part = chunk.subarray(at, end);
                piece.resize(part.length() as usize, 0);
                part.copy_to(&mut piece);
                text.push(&piece);
                at = end;
                breathe(pace).await.map_err(|e| e.to_string())?;
            }
        }
    };
    match read_all.await {
        Ok(()) => text.finish_paced(pace).await.map_err(|e| e.to_string()),
        Err(e) => {
            // Nobody waits for the rest (or it cannot be read): stop the download too.
            let _ = reader.cancel();
            Err(e)
        }
    }
}

/// Bytes copied and decoded at a time: about a ms of work.
const PIECE: u32 = 1 << 20;

/// Bytes of text from which a piece that does not fit starts a new segment.
const BIG_TEXT: usize = 4 << 20;

/// Best effort: a cache that cannot be written only costs a refetch later.
async fn persist(url: &str, body: &str, expires: UtcTime) {
    if body.len() > PERSIST_MAX {
        return;
    }
    let Some(cache) = open_cache().await else {
        return;
    };
    let Ok(headers) = web_sys::Headers::new() else {
        return;
    };
    if headers
        .set(EXPIRES_HEADER, &expires.secs().to_string())
        .is_err()
    {
        return;
    }
    let init = web_sys::ResponseInit::new();
    init.set_headers(&headers);
    let bytes = js_sys::Uint8Array::from(body.as_bytes());
    if let Ok(resp) = web_sys::Response::new_with_opt_buffer_source_and_init(Some(&bytes), &init) {
        let _ = JsFuture::from(cache.put_with_str(url, &resp)).await;
    }
}

/// Forgets every answer (memory and persisted): what "Refresh" does before refetching.
pub async fn clear_caches() {
    MEMORY.with(|m| *m.borrow_mut() = Cache::default());
    if let Some(caches) = web_sys::window().and_then(|w| w.caches().ok()) {
        let _ = JsFuture::from(caches.delete(CACHE_NAME)).await;
    }
}

/// Which limits apply to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    RipeStat,
    Other,
}

/// GETs `url` and returns the body of a 2xx answer. Error bodies are read for the API's message.
pub async fn get_text(url: &str, host: Host) -> Result<String, ApiError> {
    let view_signal = VIEW.with(|v| v.borrow().1.as_ref().map(|c| c.signal()));
    let mut attempt = 1;
    loop {
        let permit = match host {
            Host::RipeStat => Some(RIPESTAT.with(Limiter::acquire).await),
            Host::Other => None,
        };
        let timeout_secs = TIMEOUT_SECS.with(Cell::get);
        let timeout = web_sys::AbortSignal::timeout_with_u32(timeout_secs.saturating_mul(1000));
        let signal = match &view_signal {
            Some(v) => web_sys::AbortSignal::any(&js_sys::Array::of2(v, &timeout)),
            None => timeout.clone(),
        };
        // The HTTP status and Retry-After of a failed answer (None: no answer), and the error.
        let (http, error) = match send(url, &signal).await {
            Ok(resp) => {
                let status = resp.status();
                let retry_after = resp.headers().get("retry-after").ok().flatten();
                let mut pace = BrowserPace::new(current_view());
                match body_text(&resp, &mut pace).await {
                    Ok(body) if (200..300).contains(&status) => return Ok(body),
                    Ok(body) => (Some((status, retry_after)), api_error(status, &body)),
                    Err(e) => (None, ApiError::Network(short(&e))),
                }
            }
            Err(e) => (None, ApiError::Network(short(&e))),
        };
        drop(permit);
        if view_signal
            .as_ref()
            .is_some_and(web_sys::AbortSignal::aborted)
        {
            // The view moved on: nobody waits for this answer.
            return Err(ApiError::Superseded);
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
            ApiError::Timeout(timeout_secs)
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

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/api/worker_fetch.js")]
extern "C" {
    /// `fetch(url, {signal})`, made by a Web Worker (`public/fetch-worker.js`): the browser
    /// reads the answer's bytes on the thread that fetched it, which held the page for
    /// 80-240 ms at a time on a large entity's 100 MB answer. The page gets them in 1 MB pieces.
    #[wasm_bindgen::prelude::wasm_bindgen(js_name = workerFetch)]
    fn worker_fetch(url: &str, signal: &web_sys::AbortSignal) -> js_sys::Promise;
}

/// A GET of `url` with `signal`. Not by gloo-net: its request builder cost 1.3 KB, and its
/// error conversion panics on a rejection that is not an `Error`; here any rejection becomes a
/// message.
async fn send(url: &str, signal: &web_sys::AbortSignal) -> Result<web_sys::Response, String> {
    JsFuture::from(worker_fetch(url, signal))
        .await
        .map_err(request_failure)?
        .dyn_into()
        .map_err(|_| "the answer is not a response".into())
}

/// Why a request got no answer, as the browser said it ("TypeError: Failed to fetch").
fn request_failure(e: wasm_bindgen::JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(js) => format!(
            "{}: {}",
            String::from(js.name()),
            String::from(js.message())
        ),
        None => "the request could not be made".into(),
    }
}

/// An error answer in the API's own words: RIPEstat's maintenance stays maintenance; otherwise
/// the status with the message of a RIPEstat or IODA error body, if there is one.
fn api_error(status: u16, body: &str) -> ApiError {
    let parsed = ioda::parse::<super::json::Skip>(body)
        .err()
        .filter(|e| matches!(e, ApiError::Api(_)))
        .or_else(|| ripestat::parse::<super::json::Skip>(body).err());
    match parsed {
        Some(ApiError::Maintenance(m)) => ApiError::Maintenance(m),
        Some(ApiError::Api(m)) => ApiError::Http {
            status,
            message: Some(m),
        },
        _ => ApiError::Http {
            status,
            message: None,
        },
    }
}

fn short(s: &str) -> String {
    s.chars().take(160).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_decode_as_one_lossy_decoding_wherever_they_are_cut() {
        // Text with 1- to 4-byte characters, and broken sequences of every kind.
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let parts: [&[u8]; 9] = [
            b"a",
            "é".as_bytes(),
            "€".as_bytes(),
            "🙂".as_bytes(),
            b"\xff",
            b"\xe2\x82",
            b"\xf0\x9f",
            b"\xc0\xaf",
            b"\xed\xa0\x80",
        ];
        for _ in 0..400 {
            let mut bytes = Vec::new();
            for _ in 0..(next() % 40) {
                bytes.extend_from_slice(parts[(next() % parts.len() as u64) as usize]);
            }
            let mut pieces = Utf8Pieces::default();
            let mut at = 0;
            while at < bytes.len() {
                let end = (at + 1 + (next() % 6) as usize).min(bytes.len());
                pieces.push(&bytes[at..end]);
                at = end;
            }
            assert_eq!(
                pieces.finish(),
                String::from_utf8_lossy(&bytes),
                "{bytes:x?}"
            );
        }
    }

    #[test]
    fn a_text_of_unknown_length_is_kept_in_segments_and_joined_in_pieces() {
        use crate::analysis::pace::Counting;
        let text: String = (0..200_000).map(|i| format!("{i}é🙂")).collect();
        let mut pieces = Utf8Pieces {
            segment_min: 1 << 16,
            ..Utf8Pieces::default()
        };
        for piece in text.as_bytes().chunks(65_521) {
            pieces.push(piece);
        }
        assert!(
            pieces.done.len() > 3,
            "segments instead of one text copied as it grows"
        );
        let mut pace = Counting::default();
        let joined = {
            let mut work = std::pin::pin!(pieces.finish_paced(&mut pace));
            let mut cx = Context::from_waker(Waker::noop());
            loop {
                if let Poll::Ready(r) = work.as_mut().poll(&mut cx) {
                    break r;
                }
            }
        };
        assert_eq!(joined, Ok(text.clone()));
        // A look at the clock after every piece of at most PIECE bytes.
        assert!(
            pace.pauses >= text.len() / PIECE as usize,
            "{} pauses",
            pace.pauses
        );
    }

    #[test]
    fn error_bodies_keep_the_apis_words() {
        let maint = r#"{"status":"maintenance","status_code":503,"messages":[["info","Back at 12:00 UTC."]],"data":{}}"#;
        assert_eq!(
            api_error(503, maint),
            ApiError::Maintenance("Back at 12:00 UTC.".into())
        );
        let ioda = r#"{"type":"error","error":"unknown entity","data":null}"#;
        assert_eq!(
            api_error(400, ioda),
            ApiError::Http {
                status: 400,
                message: Some("unknown entity".into())
            }
        );
        assert_eq!(
            api_error(502, "<html>bad gateway</html>"),
            ApiError::Http {
                status: 502,
                message: None
            }
        );
    }
}
