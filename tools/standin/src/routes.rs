//! Pure routing: a request becomes either a ready response or an ordered list of
//! candidate files. No I/O here, so every rule is unit-tested without sockets; the
//! caller serves the first candidate that exists (see `main::serve`).
//!
//! Only the path and the key parameters (`resource`, `entityType`, `entityCode`) pick
//! the file. Other parameters are ignored, except bgplay's `starttime`/`endtime`: its
//! answer is cut to the window (see `bgplay.rs`), and a comma list of resources merges
//! their files, so chunked and batched fetching run end to end.

use crate::http::Response;
use crate::mime;
use serde_json::json;
use std::path::{Path, PathBuf};

/// What the server was started with.
#[derive(Debug, Clone)]
pub struct Site {
    pub data: PathBuf,
    pub app: Option<PathBuf>,
    /// Shown in the `/config.json` notice.
    pub data_name: String,
    /// `IP:PORT` actually bound, used when a request has no usable Host header.
    pub bound: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Api,
    Static,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Respond(Response),
    /// Serve the first of `candidates` that is a regular file, else `missing`.
    Lookup {
        candidates: Vec<PathBuf>,
        kind: Kind,
        missing: Response,
    },
    /// bgplay over a window and/or several resources: every file must exist (else
    /// `missing`); the answer is cut to `[start, end)` and merged.
    Bgplay {
        files: Vec<PathBuf>,
        /// `_default.json`, tried when a single resource has no file of its own.
        fallback: Option<PathBuf>,
        resource: String,
        start: Option<i64>,
        end: Option<i64>,
        missing: Response,
    },
    /// visibility: `recorded` if it exists, else derived from the stand-in's bgplay and
    /// ris-peers files (see `visibility.rs`).
    Visibility {
        recorded: PathBuf,
        data: PathBuf,
        prefix: String,
        at: i64,
        missing: Response,
    },
}

/// The response for a file found by a lookup.
pub fn found(kind: Kind, path: &Path, body: Vec<u8>) -> Response {
    match kind {
        Kind::Api => Response::new(200, "application/json", body),
        Kind::Static => Response::new(200, mime::for_path(path), body)
            .with_header("Cache-Control", static_cache_control(path)),
    }
}

/// How long a browser may keep an app file: for ever when Trunk named it after its content
/// (`outage-lens-0123456789abcdef_bg.wasm`), as a production host would serve it, so that a
/// second visit finds the wasm in the HTTP cache and Chromium its compiled code beside it;
/// the other files (index.html, the worker, snippets, config.json) change under the same name.
fn static_cache_control(path: &Path) -> &'static str {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let hashed = stem.rsplit_once('-').is_some_and(|(_, h)| {
        h.len() == 16
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

pub fn route(site: &Site, method: &str, target: &str, host: Option<&str>) -> Action {
    match method {
        "GET" | "HEAD" => {}
        "OPTIONS" => {
            return Action::Respond(
                Response::new(204, "text/plain; charset=utf-8", Vec::new())
                    .with_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
                    .with_header("Access-Control-Allow-Headers", "*")
                    .with_header("Access-Control-Max-Age", "86400"),
            )
        }
        _ => {
            return Action::Respond(
                Response::text(405, "method not allowed")
                    .with_header("Allow", "GET, HEAD, OPTIONS"),
            )
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let raw: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    match raw.first().copied() {
        Some("data") => ripestat(site, &raw[1..], query),
        Some("v2") => ioda(site, &raw[1..], query),
        _ => match &site.app {
            Some(app) => app_file(site, app, path, &raw, host),
            None => Action::Respond(Response::text(404, "not found (no --app directory given)")),
        },
    }
}

/// `/data/<call>/data.json?resource=..` → `ripestat/<call>/<key>.json`, else `_default.json`.
fn ripestat(site: &Site, rest: &[&str], query: &str) -> Action {
    let call_raw = rest.first().copied().unwrap_or("");
    if rest.len() != 2 || rest[1] != "data.json" {
        return Action::Respond(ripestat_error(
            404,
            call_raw,
            "unknown path: use /data/<call>/data.json",
        ));
    }
    let bad = |reason: String| Action::Respond(ripestat_error(400, call_raw, &reason));
    let call = match percent_decode(call_raw, false) {
        Ok(c) if is_safe_segment(&c) => c,
        Ok(_) => return bad(format!("invalid data call name {call_raw:?}")),
        Err(e) => return bad(e),
    };
    let params = match parse_query(query) {
        Ok(p) => p,
        Err(e) => return bad(e),
    };
    let dir = site.data.join("ripestat").join(&call);
    if call == "bgplay" {
        if let Some(action) = bgplay(&dir, &params, &call) {
            return action;
        }
    }
    if let ("visibility", Some(resource), Some(at)) = (
        call.as_str(),
        param(&params, "resource"),
        param(&params, "query_time")
            .and_then(|t| crate::bgplay::secs(&serde_json::Value::String(t.into()))),
    ) {
        let key = match ripestat_key(resource) {
            Ok(k) => k,
            Err(e) => return bad(e),
        };
        return Action::Visibility {
            recorded: dir.join(format!("{key}.json")),
            data: site.data.clone(),
            prefix: resource.to_string(),
            at,
            missing: ripestat_error(
                404,
                &call,
                &format!("no recording and no bgplay file for {resource}"),
            ),
        };
    }
    let mut candidates = Vec::new();
    if let Some(resource) = param(&params, "resource") {
        match ripestat_key(resource) {
            Ok(key) => candidates.push(dir.join(format!("{key}.json"))),
            Err(e) => return bad(e),
        }
    }
    candidates.push(dir.join("_default.json"));
    let reason = format!(
        "no recorded response for data call {call:?} (looked for {})",
        names(&candidates)
    );
    Action::Lookup {
        candidates,
        kind: Kind::Api,
        missing: ripestat_error(404, &call, &reason),
    }
}

/// bgplay with a time window or a comma list of resources (None: a plain lookup).
fn bgplay(dir: &Path, params: &[(String, String)], call: &str) -> Option<Action> {
    // Unix seconds or ISO 8601, as the real call accepts.
    let time = |name: &str| {
        param(params, name)
            .map(|v| crate::bgplay::secs(&serde_json::Value::String(v.trim().into())).ok_or(()))
    };
    let (start, end) = (time("starttime"), time("endtime"));
    let resource = param(params, "resource")?;
    if start.is_none() && end.is_none() && !resource.contains(',') {
        return None;
    }
    let bad = |reason: String| Some(Action::Respond(ripestat_error(400, call, &reason)));
    let (Ok(start), Ok(end)) = (start.transpose(), end.transpose()) else {
        return bad("starttime and endtime must be Unix seconds or ISO 8601 times".into());
    };
    if let (Some(s), Some(e)) = (start, end) {
        if s >= e {
            return bad(format!("starttime {s} is not before endtime {e}"));
        }
    }
    let mut files = Vec::new();
    for r in resource.split(',') {
        match ripestat_key(r.trim()) {
            Ok(key) => files.push(dir.join(format!("{key}.json"))),
            Err(e) => return bad(e),
        }
    }
    if files.len() > 64 {
        return bad("at most 64 resources per request".into());
    }
    let reason = format!("no recorded response for one of {}", names(&files));
    let fallback = (files.len() == 1).then(|| dir.join("_default.json"));
    Some(Action::Bgplay {
        files,
        fallback,
        resource: resource.to_string(),
        start,
        end,
        missing: ripestat_error(404, call, &reason),
    })
}

/// `/v2/a/b?entityType=t&entityCode=c` → `ioda/a/b/t/c.json`.
fn ioda(site: &Site, rest: &[&str], query: &str) -> Action {
    let bad = |reason: String| Action::Respond(ioda_error(400, &reason));
    // Tolerate one trailing slash (`/v2/outages/events/`).
    let rest = match rest.split_last() {
        Some((&"", init)) => init,
        _ => rest,
    };
    let mut segs = match decode_segments(rest) {
        Ok(s) => s,
        Err(e) => return bad(e),
    };
    let params = match parse_query(query) {
        Ok(p) => p,
        Err(e) => return bad(e),
    };
    if let (Some(t), Some(c)) = (param(&params, "entityType"), param(&params, "entityCode")) {
        for v in [t, c] {
            if !is_safe_segment(v) {
                return bad(format!("invalid entity parameter {v:?}"));
            }
            segs.push(v.to_string());
        }
    }
    let Some(last) = segs.pop() else {
        return Action::Respond(ioda_error(404, "no endpoint given after /v2/"));
    };
    let mut rel = PathBuf::from("ioda");
    rel.extend(&segs);
    rel.push(format!("{last}.json"));
    let reason = format!("no recorded response: {} is missing", rel.display());
    Action::Lookup {
        candidates: vec![site.data.join(rel)],
        kind: Kind::Api,
        missing: ioda_error(404, &reason),
    }
}

/// The built web app: `/config.json` is generated, everything else is a file (SPA
/// fallback to index.html for extensionless paths such as `/asn/AS131279`).
fn app_file(site: &Site, app: &Path, path: &str, raw: &[&str], host: Option<&str>) -> Action {
    if path == "/config.json" {
        let host = host.filter(|h| is_plausible_host(h)).unwrap_or(&site.bound);
        let config = json!({
            "ripestat_base": format!("http://{host}"),
            "ioda_base": format!("http://{host}/v2"),
            "notice": format!("Served by the local API stand-in from {}", site.data_name),
        });
        return Action::Respond(
            Response::json(200, &config).with_header("Cache-Control", "no-cache"),
        );
    }
    let raw = match raw.split_last() {
        Some((&"", init)) => init,
        _ => raw,
    };
    let segs = match decode_segments(raw) {
        Ok(s) => s,
        Err(e) => return Action::Respond(Response::text(400, &e)),
    };
    let index = app.join("index.html");
    let Some(last) = segs.last() else {
        return Action::Lookup {
            candidates: vec![index],
            kind: Kind::Static,
            missing: Response::text(404, "index.html is missing from the app directory"),
        };
    };
    let has_ext = Path::new(last).extension().is_some();
    let mut candidates = vec![app.join(segs.iter().collect::<PathBuf>())];
    if !has_ext {
        candidates.push(index);
    }
    Action::Lookup {
        candidates,
        kind: Kind::Static,
        missing: Response::text(404, "not found"),
    }
}

fn ripestat_error(status: u16, call: &str, reason: &str) -> Response {
    Response::json(
        status,
        &json!({
            "status": "error",
            "status_code": status,
            "messages": [["error", reason]],
            "data": {},
            "data_call_name": call,
            "see_also": [],
            "version": "0",
            "cached": false,
        }),
    )
}

fn ioda_error(status: u16, reason: &str) -> Response {
    Response::json(
        status,
        &json!({
            "type": "error",
            "metadata": {},
            "requestParameters": {},
            "error": reason,
            "perf": null,
            "data": null,
            "copyright": "",
        }),
    )
}

/// File names of candidates, for error messages (never full host paths).
fn names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The only shape a path segment or file key may take: no separators, no `.`/`..`,
/// so nothing can ever resolve outside the served directory.
pub fn is_safe_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

fn decode_segments(raw: &[&str]) -> Result<Vec<String>, String> {
    raw.iter()
        .map(|s| {
            let d = percent_decode(s, false)?;
            if is_safe_segment(&d) {
                Ok(d)
            } else {
                Err(format!("invalid path segment {s:?}"))
            }
        })
        .collect()
}

/// RIPEstat `resource` → file key: ASNs become `AS<n>`, prefixes swap `/` for `_`.
pub fn ripestat_key(resource: &str) -> Result<String, String> {
    let digits = match resource.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("as") => &resource[2..],
        _ => resource,
    };
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = digits.parse::<u32>() {
            return Ok(format!("AS{n}"));
        }
    }
    let key = resource.replace('/', "_");
    if is_safe_segment(&key) {
        Ok(key)
    } else {
        Err(format!("invalid resource {resource:?}"))
    }
}

/// Splits `a=1&b=2`, percent-decoding names and values (`+` is a space).
pub fn parse_query(query: &str) -> Result<Vec<(String, String)>, String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((percent_decode(k, true)?, percent_decode(v, true)?))
        })
        .collect()
}

/// First value of a query parameter.
fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

pub fn percent_decode(s: &str, plus_is_space: bool) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = |j: usize| bytes.get(j).and_then(|b| (*b as char).to_digit(16));
                match (hex(i + 1), hex(i + 2)) {
                    (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                    _ => return Err(format!("bad percent escape in {s:?}")),
                }
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("escape in {s:?} is not UTF-8"))
}

/// Host header values we are willing to echo into the config (name or IP, optional port).
fn is_plausible_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 255
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(app: bool) -> Site {
        Site {
            data: PathBuf::from("/d"),
            app: app.then(|| PathBuf::from("/app")),
            data_name: "kp".into(),
            bound: "127.0.0.1:9".into(),
        }
    }

    fn get(site: &Site, target: &str) -> Action {
        route(site, "GET", target, None)
    }

    #[test]
    fn only_files_named_after_their_content_are_cached_for_ever() {
        let cache = |name: &str| {
            let r = found(Kind::Static, Path::new(name), Vec::new());
            r.headers
                .iter()
                .find(|(n, _)| *n == "Cache-Control")
                .map(|(_, v)| v.clone())
        };
        let forever = Some("public, max-age=31536000, immutable".to_string());
        for hashed in [
            "/app/outage-lens-e04a818ff6b2f8ab_bg.wasm",
            "/app/outage-lens-e04a818ff6b2f8ab.js",
            "/app/main-6abf8ec2867722b6.css",
        ] {
            assert_eq!(cache(hashed), forever, "{hashed}");
        }
        for renamed_in_place in [
            "/app/index.html",
            "/app/fetch-worker.js",
            "/app/config.json",
            "/app/snippets/outage-lens-e04a818ff6b2f8ab/src/api/next_task.js",
            "/app/main-6abf8ec2867722bg.css",
            "/app/main-6abf8ec2867722b.css",
        ] {
            assert_eq!(
                cache(renamed_in_place),
                Some("no-cache".into()),
                "{renamed_in_place}"
            );
        }
        let api = found(
            Kind::Api,
            Path::new("/d/x-0123456789abcdef.json"),
            Vec::new(),
        );
        assert!(api.headers.iter().all(|(n, _)| *n != "Cache-Control"));
    }

    fn candidates(action: Action) -> Vec<String> {
        match action {
            Action::Lookup { candidates, .. } => {
                candidates.iter().map(|p| p.display().to_string()).collect()
            }
            Action::Respond(r) => panic!(
                "expected a lookup, got {} {}",
                r.status,
                String::from_utf8_lossy(&r.body)
            ),
            Action::Bgplay { files, .. } => panic!("expected a lookup, got bgplay {files:?}"),
            Action::Visibility { prefix, .. } => panic!("expected a lookup, got {prefix}"),
        }
    }

    fn respond(action: Action) -> (u16, serde_json::Value) {
        match action {
            Action::Respond(r) => (
                r.status,
                serde_json::from_slice(&r.body).unwrap_or(serde_json::Value::Null),
            ),
            Action::Lookup { candidates, .. } => {
                panic!("expected a response, got lookup {candidates:?}")
            }
            Action::Bgplay { files, .. } => panic!("expected a response, got bgplay {files:?}"),
            Action::Visibility { prefix, .. } => panic!("expected a response, got {prefix}"),
        }
    }

    #[test]
    fn asn_keys_normalise() {
        for r in ["131279", "AS131279", "as131279", "As131279"] {
            assert_eq!(ripestat_key(r).unwrap(), "AS131279", "{r}");
        }
        assert_eq!(ripestat_key("175.45.176.0/22").unwrap(), "175.45.176.0_22");
        assert_eq!(ripestat_key("KP").unwrap(), "KP");
        assert_eq!(ripestat_key("ASX").unwrap(), "ASX");
        for bad in ["", "a b", "2001:db8::/32", "..", "a,b", "x\0"] {
            assert!(ripestat_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn ripestat_maps_resource_then_default() {
        assert_eq!(
            candidates(get(
                &site(false),
                "/data/bgplay/data.json?resource=as131279&unix_timestamps=TRUE"
            )),
            [
                "/d/ripestat/bgplay/AS131279.json",
                "/d/ripestat/bgplay/_default.json"
            ]
        );
        assert_eq!(
            candidates(get(
                &site(false),
                "/data/bgplay/data.json?resource=175.45.176.0%2F22"
            )),
            [
                "/d/ripestat/bgplay/175.45.176.0_22.json",
                "/d/ripestat/bgplay/_default.json"
            ]
        );
        assert_eq!(
            candidates(get(
                &site(false),
                "/data/ris-peer-count/data.json?starttime=x"
            )),
            ["/d/ripestat/ris-peer-count/_default.json"]
        );
    }

    #[test]
    fn bgplay_windows_and_comma_lists_are_served_cut_and_merged() {
        match get(
            &site(false),
            "/data/bgplay/data.json?resource=AS1%2CAS2&starttime=10&endtime=20",
        ) {
            Action::Bgplay {
                files,
                resource,
                start,
                end,
                ..
            } => {
                let files: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
                assert_eq!(
                    files,
                    ["/d/ripestat/bgplay/AS1.json", "/d/ripestat/bgplay/AS2.json"]
                );
                assert_eq!(
                    (resource.as_str(), start, end),
                    ("AS1,AS2", Some(10), Some(20))
                );
            }
            other => panic!("{other:?}"),
        }
        // No window and one resource: the file as recorded.
        assert!(matches!(
            get(&site(false), "/data/bgplay/data.json?resource=AS1"),
            Action::Lookup { .. }
        ));
        for t in [
            "/data/bgplay/data.json?resource=AS1&starttime=x",
            "/data/bgplay/data.json?resource=AS1&starttime=20&endtime=10",
            "/data/bgplay/data.json?resource=AS1,..&starttime=1",
        ] {
            assert_eq!(respond(get(&site(false), t)).0, 400, "{t}");
        }
    }

    #[test]
    fn visibility_is_recorded_or_derived() {
        match get(
            &site(false),
            "/data/visibility/data.json?resource=10.0.0.0%2F24&query_time=2025-06-06T16:00",
        ) {
            Action::Visibility {
                recorded,
                prefix,
                at,
                ..
            } => {
                assert_eq!(
                    recorded,
                    PathBuf::from("/d/ripestat/visibility/10.0.0.0_24.json")
                );
                assert_eq!((prefix.as_str(), at), ("10.0.0.0/24", 1_749_225_600));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ripestat_missing_body_has_ripestat_shape() {
        let Action::Lookup { missing, .. } = get(&site(false), "/data/bgplay/data.json") else {
            panic!("expected lookup");
        };
        assert_eq!(missing.status, 404);
        let v: serde_json::Value = serde_json::from_slice(&missing.body).unwrap();
        assert_eq!(v["status"], "error");
        assert_eq!(v["status_code"], 404);
        assert_eq!(v["data_call_name"], "bgplay");
        assert_eq!(v["messages"][0][0], "error");
    }

    #[test]
    fn ripestat_bad_params_are_400() {
        for t in [
            "/data/bgplay/data.json?resource=%zz",
            "/data/bgplay/data.json?resource=%4",
            "/data/bgplay/data.json?resource=%ff",
            "/data/bgplay/data.json?resource=a%20b",
            "/data/bgplay/data.json?resource=",
            "/data/bgplay/data.json?x=%",
            "/data/../data.json",
            "/data/%2e%2e/data.json",
            "/data/a%2Fb/data.json",
        ] {
            let (status, body) = respond(get(&site(false), t));
            assert_eq!(status, 400, "{t}");
            assert_eq!(body["status_code"], 400, "{t}");
        }
        for t in ["/data/bgplay/other.json", "/data", "/data/bgplay"] {
            assert_eq!(respond(get(&site(false), t)).0, 404, "{t}");
        }
    }

    #[test]
    fn ioda_maps_path_and_entity() {
        assert_eq!(
            candidates(get(
                &site(false),
                "/v2/outages/events?entityType=country&entityCode=KP&from=1&until=2"
            )),
            ["/d/ioda/outages/events/country/KP.json"]
        );
        assert_eq!(
            candidates(get(
                &site(false),
                "/v2/signals/raw/asn/131279?from=1&until=2"
            )),
            ["/d/ioda/signals/raw/asn/131279.json"]
        );
        // Only one of the pair: not appended.
        assert_eq!(
            candidates(get(&site(false), "/v2/outages/events/?entityType=country")),
            ["/d/ioda/outages/events.json"]
        );
    }

    #[test]
    fn ioda_refuses_traversal_and_bad_escapes() {
        for t in [
            "/v2/../secret",
            "/v2/%2e%2e/secret",
            "/v2/a/..%2Fsecret",
            "/v2/a//b",
            "/v2/outages/events?entityType=country&entityCode=..",
            "/v2/outages/events?entityType=..%2F..&entityCode=x",
            "/v2/outages/events?entityType=country&entityCode=%G1",
            "/v2/a%",
        ] {
            let (status, body) = respond(get(&site(false), t));
            assert_eq!(status, 400, "{t}");
            assert_eq!(body["type"], "error", "{t}");
        }
        let (status, body) = respond(get(&site(false), "/v2/"));
        assert_eq!((status, body["type"].as_str()), (404, Some("error")));
    }

    #[test]
    fn methods() {
        let s = site(false);
        let Action::Respond(r) = route(&s, "OPTIONS", "/v2/x", None) else {
            panic!()
        };
        assert_eq!(r.status, 204);
        assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
        let Action::Respond(r) = route(&s, "POST", "/v2/x", None) else {
            panic!()
        };
        assert_eq!(r.status, 405);
        assert!(matches!(
            route(&s, "HEAD", "/v2/x", None),
            Action::Lookup { .. }
        ));
    }

    #[test]
    fn app_static_and_spa_fallback() {
        let s = site(true);
        assert_eq!(candidates(get(&s, "/")), ["/app/index.html"]);
        assert_eq!(
            candidates(get(&s, "/pkg/app_bg.wasm?v=1")),
            ["/app/pkg/app_bg.wasm"]
        );
        assert_eq!(
            candidates(get(&s, "/asn/AS131279")),
            ["/app/asn/AS131279", "/app/index.html"]
        );
        assert_eq!(
            candidates(get(&s, "/country/KP/")),
            ["/app/country/KP", "/app/index.html"]
        );
        for t in ["/../etc/passwd", "/%2e%2e/x", "/a/%2F/b", "/a%zz"] {
            let Action::Respond(r) = get(&s, t) else {
                panic!("{t}")
            };
            assert_eq!(r.status, 400, "{t}");
        }
        // Without --app nothing outside the APIs is served.
        let Action::Respond(r) = get(&site(false), "/") else {
            panic!()
        };
        assert_eq!(r.status, 404);
        let Action::Respond(r) = get(&site(false), "/config.json") else {
            panic!()
        };
        assert_eq!(r.status, 404);
    }

    #[test]
    fn config_uses_host_or_bound_address() {
        let s = site(true);
        let (status, v) = respond(route(&s, "GET", "/config.json", Some("example.test:1234")));
        assert_eq!(status, 200);
        assert_eq!(v["ripestat_base"], "http://example.test:1234");
        assert_eq!(v["ioda_base"], "http://example.test:1234/v2");
        assert_eq!(v["notice"], "Served by the local API stand-in from kp");
        for host in [None, Some(""), Some("evil\"/x")] {
            let (_, v) = respond(route(&s, "GET", "/config.json", host));
            assert_eq!(v["ripestat_base"], "http://127.0.0.1:9", "{host:?}");
        }
    }

    #[test]
    fn query_decoding() {
        assert_eq!(
            parse_query("a=1+2&b=%41%2f&&c").unwrap(),
            [
                ("a".into(), "1 2".into()),
                ("b".into(), "A/".into()),
                ("c".into(), String::new())
            ]
        );
        assert!(parse_query("a=%").is_err());
        assert!(parse_query("a=%c3%28").is_err());
        assert_eq!(percent_decode("%E2%82%AC", false).unwrap(), "€");
        assert_eq!(percent_decode("a+b", false).unwrap(), "a+b");
    }
}
