//! Just enough HTTP/1.1 for a local stand-in: read one request head, write one
//! response, close. Every connection serves exactly one request (`Connection: close`),
//! which keeps the socket fully under our control for later fault injection.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Instant;

/// Largest request head we accept; anything beyond gets 431.
pub const MAX_HEAD: usize = 16 * 1024;

/// A parsed request head. The body (if any) is never read: only GET/HEAD are served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target as sent, e.g. `/data/bgplay/data.json?resource=AS1`.
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// First header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
pub enum HeadError {
    /// The peer closed or timed out before sending anything: nothing to answer.
    Silent,
    /// Head longer than [`MAX_HEAD`].
    TooLarge,
    /// Not a request we can parse; the reason is for the 400 body.
    Malformed(&'static str),
}

/// A response is a plain value: built first, written by [`write_response`]. A fault
/// step (latency, truncation, drops) can be slotted in between without touching routing.
/// The body is shared: a kept answer of ~100 MB is served again without a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Arc<[u8]>,
}

impl Response {
    /// Every response allows any origin: the app is served from another port in dev.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Access-Control-Allow-Origin", "*".to_string()),
            ],
            body: body.into().into(),
        }
    }

    pub fn text(status: u16, msg: &str) -> Self {
        Response::new(status, "text/plain; charset=utf-8", format!("{msg}\n"))
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Response::new(status, "application/json", value.to_string())
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    #[cfg(test)]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

/// Reads from a stream, failing with `TimedOut` once `until` has passed, so a client
/// trickling bytes cannot hold its thread longer than the deadline.
pub struct DeadlineReader<'a> {
    pub stream: &'a TcpStream,
    pub until: Instant,
}

impl Read for DeadlineReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        (&mut &*self.stream).read(buf)
    }
}

/// Reads and parses one request head (up to the blank line).
pub fn read_head(r: &mut impl Read) -> Result<Request, HeadError> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(end) = head_end(&buf) {
            break end;
        }
        if buf.len() > MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
        match r.read(&mut chunk) {
            Ok(0) if buf.is_empty() => return Err(HeadError::Silent),
            Ok(0) => return Err(HeadError::Malformed("incomplete request head")),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) if buf.is_empty() => return Err(HeadError::Silent),
            Err(_) => return Err(HeadError::Malformed("request head timed out or failed")),
        }
    };
    if end > MAX_HEAD {
        return Err(HeadError::TooLarge);
    }
    parse_head(&buf[..end])
}

/// Index just past the blank line ending the head (tolerating bare `\n` line ends).
fn head_end(buf: &[u8]) -> Option<usize> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

pub fn parse_head(head: &[u8]) -> Result<Request, HeadError> {
    let text = std::str::from_utf8(head).map_err(|_| HeadError::Malformed("head is not UTF-8"))?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed("bad request line"));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(HeadError::Malformed("bad method"));
    }
    if !version.starts_with("HTTP/1.") {
        return Err(HeadError::Malformed("unsupported HTTP version"));
    }
    if !target.starts_with('/') {
        return Err(HeadError::Malformed("request target must be a path"));
    }
    let mut headers = Vec::new();
    for line in lines.take_while(|l| !l.is_empty()) {
        // Folded continuation lines are obsolete and ambiguous: refuse them.
        if line.starts_with([' ', '\t']) {
            return Err(HeadError::Malformed("folded header line"));
        }
        let (name, value) = line
            .split_once(':')
            .ok_or(HeadError::Malformed("bad header line"))?;
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(HeadError::Malformed("bad header name"));
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        headers,
    })
}

/// Writes status line, headers (plus Content-Length and Connection: close) and, unless
/// `head_only`, the body: in two writes, so that the body is not copied behind the head.
pub fn write_response(w: &mut impl Write, resp: &Response, head_only: bool) -> io::Result<()> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (name, value) in &resp.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        resp.body.len()
    ));
    w.write_all(out.as_bytes())?;
    if !head_only {
        w.write_all(&resp.body)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_request_head() {
        let req =
            read_head(&mut &b"GET /v2/x?a=b HTTP/1.1\r\nHost: h:1\r\nX-A:  v \r\n\r\nBODY"[..])
                .unwrap();
        assert_eq!(req.method, "GET");
        assert_eq!(req.target, "/v2/x?a=b");
        assert_eq!(req.header("host"), Some("h:1"));
        assert_eq!(req.header("x-a"), Some("v"));
    }

    #[test]
    fn refuses_bad_heads() {
        for bad in [
            &b"GET /\r\n\r\n"[..],
            b"GET / HTTP/1.1 extra\r\n\r\n",
            b"get / HTTP/1.1\r\n\r\n",
            b"GET http://x/ HTTP/1.1\r\n\r\n",
            b"GET / HTTP/2\r\n\r\n",
            b"GET / HTTP/1.1\r\nNoColon\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n",
            b"GET /\xff HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\n",
        ] {
            assert!(
                matches!(read_head(&mut &bad[..]), Err(HeadError::Malformed(_))),
                "{bad:?}"
            );
        }
        assert!(matches!(read_head(&mut &b""[..]), Err(HeadError::Silent)));
    }

    #[test]
    fn refuses_oversized_head() {
        let mut big = b"GET / HTTP/1.1\r\nX: ".to_vec();
        big.extend(std::iter::repeat_n(b'a', MAX_HEAD + 10));
        big.extend_from_slice(b"\r\n\r\n");
        assert!(matches!(read_head(&mut &big[..]), Err(HeadError::TooLarge)));
    }

    #[test]
    fn writes_length_and_close() {
        let resp = Response::text(404, "nope");
        let mut out = Vec::new();
        write_response(&mut out, &resp, false).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("HTTP/1.1 404 Not Found\r\n"));
        assert!(s.contains("Content-Length: 5\r\n"));
        assert!(s.contains("Connection: close\r\n"));
        assert!(s.ends_with("\r\n\r\nnope\n"));
        let mut head = Vec::new();
        write_response(&mut head, &resp, true).unwrap();
        assert!(String::from_utf8(head)
            .unwrap()
            .ends_with("Content-Length: 5\r\nConnection: close\r\n\r\n"));
    }
}
