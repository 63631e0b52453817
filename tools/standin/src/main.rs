//! `standin`: a local stand-in for the RIPEstat Data API and IODA API v2 that answers
//! on the real URL paths from a directory of recorded JSON files, and can also serve
//! the built web app. One thread per connection, one request per connection.

mod bgplay;
mod faults;
mod http;
mod mime;
mod routes;
mod stats;
mod visibility;

use http::{HeadError, Response};
use routes::{Action, Site};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use std::{fs, thread};

const USAGE: &str =
    "usage: standin --data DIR [--app DIR] [--addr 127.0.0.1:8080] [--latency-ms N] [--quiet]
               [--fault MODE[xN]@MATCH]... [--timeout SECS]

  --data DIR       directory of recorded responses (ripestat/<call>/<key>.json, ioda/...)
  --app DIR        also serve the built web app from DIR, with a generated /config.json
  --addr A         address to bind (default 127.0.0.1:8080; port 0 picks a free port)
  --latency-ms N   hold every RIPEstat (/data/) answer N ms, so requests overlap
  --quiet          do not log requests to stderr
  --fault R        misbehave on requests whose path+query contains MATCH (`|` separates
                   alternatives), for the first N of them if xN is given; MODE is hang,
                   delay=MS, status=CODE, truncate, empty or drop; repeatable, first match wins
  --timeout S      write `timeout_secs: S` into the generated /config.json

  GET /__standin/stats (loopback clients only): RIPEstat requests in flight now, the most
  ever in flight at once, and the total; ?reset=1 zeroes the peak and the total.";

/// How long a hanging request is held at most if the client never gives up.
const HANG_LIMIT: Duration = Duration::from_secs(600);

/// Whole-request budget for reading the head, so a stuck client cannot pin a thread.
const READ_DEADLINE: Duration = Duration::from_secs(10);
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

struct Options {
    data: PathBuf,
    app: Option<PathBuf>,
    addr: SocketAddr,
    quiet: bool,
    latency: Duration,
    faults: Vec<faults::Rule>,
    timeout: Option<u32>,
}

enum Cli {
    Run(Options),
    Help,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Cli, String> {
    let mut args = args.into_iter();
    let (mut data, mut app, mut quiet, mut latency) = (None, None, false, Duration::ZERO);
    let (mut fault_rules, mut timeout) = (Vec::new(), None);
    let mut addr = SocketAddr::from(([127, 0, 0, 1], 8080));
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--data" => data = Some(PathBuf::from(value("--data")?)),
            "--app" => app = Some(PathBuf::from(value("--app")?)),
            "--addr" => {
                let v = value("--addr")?;
                addr = v
                    .parse()
                    .map_err(|_| format!("--addr: {v:?} is not IP:PORT"))?;
            }
            "--quiet" => quiet = true,
            "--fault" => fault_rules.push(faults::parse(&value("--fault")?)?),
            "--timeout" => {
                let v = value("--timeout")?;
                timeout = Some(
                    v.parse()
                        .map_err(|_| format!("--timeout: {v:?} is not seconds"))?,
                );
            }
            "--latency-ms" => {
                let v = value("--latency-ms")?;
                let ms: u64 = v
                    .parse()
                    .ok()
                    .filter(|ms| *ms <= 60_000)
                    .ok_or(format!("--latency-ms: {v:?} is not 0..=60000"))?;
                latency = Duration::from_millis(ms);
            }
            "-h" | "--help" => return Ok(Cli::Help),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let data = data.ok_or("--data is required")?;
    Ok(Cli::Run(Options {
        data,
        app,
        addr,
        quiet,
        latency,
        faults: fault_rules,
        timeout,
    }))
}

/// Resolves a directory argument once at start-up, so a typo fails fast.
fn existing_dir(flag: &str, dir: &Path) -> Result<PathBuf, String> {
    match fs::canonicalize(dir) {
        Ok(p) if p.is_dir() => Ok(p),
        _ => Err(format!("{flag}: {} is not a directory", dir.display())),
    }
}

fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1)) {
        Ok(Cli::Run(o)) => o,
        Ok(Cli::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => return usage_error(&e),
    };
    let data = match existing_dir("--data", &opts.data) {
        Ok(d) => d,
        Err(e) => return usage_error(&e),
    };
    let app = match opts
        .app
        .as_deref()
        .map(|a| existing_dir("--app", a))
        .transpose()
    {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let listener = match TcpListener::bind(opts.addr) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("standin: cannot bind {}: {e}", opts.addr);
            return ExitCode::FAILURE;
        }
    };
    let bound = listener.local_addr().unwrap_or(opts.addr);
    let extra = Arc::new(Extra {
        faults: opts.faults,
        timeout: opts.timeout,
        latency: opts.latency,
    });
    let site = Arc::new(Site {
        data_name: data.file_name().map_or_else(
            || data.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        data,
        app,
        bound: bound.to_string(),
    });
    // Scripts and tests wait for exactly this line.
    let mut out = std::io::stdout().lock();
    if writeln!(out, "listening on http://{bound}")
        .and_then(|_| out.flush())
        .is_err()
    {
        eprintln!("standin: cannot write to stdout");
    }
    drop(out);

    for conn in listener.incoming() {
        match conn {
            Ok(stream) => {
                let site = Arc::clone(&site);
                let extra = Arc::clone(&extra);
                let quiet = opts.quiet;
                let spawned = thread::Builder::new()
                    .name("conn".into())
                    .spawn(move || handle(stream, &site, &extra, quiet));
                if let Err(e) = spawned {
                    eprintln!("standin: cannot spawn connection thread: {e}");
                }
            }
            Err(e) => {
                // Usually out of file descriptors: back off instead of spinning.
                eprintln!("standin: accept failed: {e}");
                thread::sleep(Duration::from_millis(50));
            }
        }
    }
    ExitCode::SUCCESS
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("standin: {msg}\n{USAGE}");
    ExitCode::from(2)
}

/// What the stand-in was asked to do beyond serving files.
struct Extra {
    faults: Vec<faults::Rule>,
    timeout: Option<u32>,
    latency: Duration,
}

fn handle(stream: TcpStream, site: &Site, extra: &Extra, quiet: bool) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut reader = http::DeadlineReader {
        stream: &stream,
        until: Instant::now() + READ_DEADLINE,
    };
    // Held until the answer is written: what "in flight" means for the cap.
    let mut _flight = None;
    let (method, path, resp) = match http::read_head(&mut reader) {
        Ok(req) => {
            let path = req.target.split('?').next().unwrap_or("").to_string();
            let resp = if path == "/__standin/stats" {
                let loopback = stream.peer_addr().is_ok_and(|a| a.ip().is_loopback());
                stats::endpoint(loopback, req.target.contains("reset=1"))
            } else {
                if path.starts_with("/data/") {
                    _flight = Some(stats::Flight::start());
                    if !extra.latency.is_zero() {
                        thread::sleep(extra.latency);
                    }
                }
                serve(routes::route(
                    site,
                    &req.method,
                    &req.target,
                    req.header("host"),
                ))
            };
            let resp = if path == "/config.json" && resp.status == 200 {
                with_timeout(resp, extra.timeout)
            } else {
                resp
            };
            let fault = faults::pick(&extra.faults, &req.target);
            if let Some(faults::Mode::Delay(d)) = fault {
                thread::sleep(d);
            }
            match faults::apply(fault, &req.target, resp) {
                faults::Step::Answer(r) => (req.method, path, r),
                faults::Step::Hang => return hang(&stream, &path, quiet),
                faults::Step::Drop => {
                    if !quiet {
                        eprintln!("{} {path} dropped", req.method);
                    }
                    let _ = stream.shutdown(Shutdown::Both);
                    return;
                }
            }
        }
        Err(HeadError::Silent) => return,
        Err(HeadError::TooLarge) => (
            "-".into(),
            "-".into(),
            Response::text(431, "request head too large"),
        ),
        Err(HeadError::Malformed(why)) => ("-".into(), "-".into(), Response::text(400, why)),
    };
    let head_only = method == "HEAD";
    let result = http::write_response(&mut &stream, &resp, head_only);
    if !quiet {
        let sent = if head_only { 0 } else { resp.body.len() };
        match result {
            Ok(()) => eprintln!("{method} {path} {} {sent}", resp.status),
            Err(e) => eprintln!("{method} {path} {} write failed: {e}", resp.status),
        }
    }
    linger_close(&stream);
}

/// Adds the configured per-attempt timeout to the generated config.
fn with_timeout(resp: Response, timeout: Option<u32>) -> Response {
    let Some(secs) = timeout else { return resp };
    match serde_json::from_slice::<serde_json::Value>(&resp.body) {
        Ok(serde_json::Value::Object(mut config)) => {
            config.insert("timeout_secs".into(), secs.into());
            Response::json(200, &config.into()).with_header("Cache-Control", "no-cache")
        }
        _ => resp,
    }
}

/// Holds the connection without answering until the client closes it (or the limit).
fn hang(stream: &TcpStream, path: &str, quiet: bool) {
    if !quiet {
        eprintln!("{path} hanging");
    }
    let _ = stream.set_read_timeout(Some(HANG_LIMIT));
    let mut buf = [0u8; 1024];
    while let Ok(n) = (&mut &*stream).read(&mut buf) {
        if n == 0 {
            break;
        }
    }
}

/// Runs a lookup: the first candidate that is a regular file wins.
fn serve(action: Action) -> Response {
    let (candidates, kind, missing) = match action {
        Action::Respond(r) => return r,
        Action::Bgplay {
            files,
            fallback,
            resource,
            start,
            end,
            missing,
        } => return serve_bgplay(files, fallback, &resource, start, end, missing),
        Action::Visibility {
            recorded,
            data,
            prefix,
            at,
            missing,
        } => {
            if fs::metadata(&recorded).is_ok_and(|m| m.is_file()) {
                (vec![recorded], routes::Kind::Api, missing)
            } else {
                return derive_visibility(&data, &prefix, at).unwrap_or(missing);
            }
        }
        Action::Lookup {
            candidates,
            kind,
            missing,
        } => (candidates, kind, missing),
    };
    for path in &candidates {
        if !fs::metadata(path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        return match fs::read(path) {
            Ok(body) => routes::found(kind, path, body),
            Err(e) => {
                eprintln!("standin: cannot read {}: {e}", path.display());
                Response::text(500, "cannot read file")
            }
        };
    }
    missing
}

/// `make()`'s value for `key`, made once and kept in `cache` (a failure is not kept).
fn kept<K: std::hash::Hash + Eq, V: Clone, E>(
    cache: &OnceLock<Mutex<HashMap<K, V>>>,
    key: K,
    make: impl FnOnce() -> Result<V, E>,
) -> Result<V, E> {
    let cache = cache.get_or_init(Default::default);
    if let Some(v) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(v);
    }
    let v = make()?;
    if let Ok(mut c) = cache.lock() {
        c.insert(key, v.clone());
    }
    Ok(v)
}

/// Parsed bgplay files, kept: a view fetches the same file in several windows at once.
fn parsed(path: &Path) -> Result<Arc<serde_json::Value>, String> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<serde_json::Value>>>> = OnceLock::new();
    kept(&CACHE, path.to_path_buf(), || {
        let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let v: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
        Ok(Arc::new(v))
    })
}

fn serve_bgplay(
    mut files: Vec<PathBuf>,
    fallback: Option<PathBuf>,
    resource: &str,
    start: Option<i64>,
    end: Option<i64>,
    missing: Response,
) -> Response {
    let is_file = |p: &Path| fs::metadata(p).is_ok_and(|m| m.is_file());
    if let (Some(f), [only]) = (fallback, files.as_mut_slice()) {
        if !is_file(only) {
            *only = f;
        }
    }
    if !files.iter().all(|p| is_file(p)) {
        return missing;
    }
    // Cut answers are kept too: cutting a large recording takes seconds of a core, which a
    // benchmark's warm-up pays once instead of taking it from the page it measures.
    type Key = (Vec<PathBuf>, String, Option<i64>, Option<i64>);
    static ANSWERS: OnceLock<Mutex<HashMap<Key, Response>>> = OnceLock::new();
    let key: Key = (files.clone(), resource.to_string(), start, end);
    kept(&ANSWERS, key, || {
        let mut values = Vec::with_capacity(files.len());
        for p in &files {
            values.push(parsed(p).map_err(|e| {
                eprintln!("standin: {e}");
                Response::text(500, "cannot read a recorded bgplay file")
            })?);
        }
        let refs: Vec<&serde_json::Value> = values.iter().map(|v| &**v).collect();
        Ok(Response::json(
            200,
            &bgplay::answer(&refs, resource, start, end),
        ))
    })
    .unwrap_or_else(|failed| failed)
}

/// RIPEstat's visibility from the stand-in's own bgplay and ris-peers files.
fn derive_visibility(data: &Path, prefix: &str, at: i64) -> Option<Response> {
    // Kept, as cut bgplay answers are: a derivation walks the whole recording, which a
    // benchmark's warm-up pays once instead of the page it measures.
    type Key = (PathBuf, String, i64);
    static ANSWERS: OnceLock<Mutex<HashMap<Key, Response>>> = OnceLock::new();
    let key: Key = (data.to_path_buf(), prefix.to_string(), at);
    kept(&ANSWERS, key, || {
        derive_visibility_once(data, prefix, at).ok_or(())
    })
    .ok()
}

fn derive_visibility_once(data: &Path, prefix: &str, at: i64) -> Option<Response> {
    let rs = data.join("ripestat");
    let mut names: Vec<PathBuf> = fs::read_dir(rs.join("bgplay"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    let files: Vec<Arc<serde_json::Value>> = names.iter().filter_map(|p| parsed(p).ok()).collect();
    let refs: Vec<&serde_json::Value> = files.iter().map(|v| &**v).collect();
    let peers = parsed(&rs.join("ris-peers").join("_default.json")).ok()?;
    let threshold = parsed(&rs.join("ris-peer-count").join("_default.json"))
        .ok()
        .and_then(|c| {
            let d = c.get("data").unwrap_or(&c);
            d.get("v4_full_prefix_threshold")
                .and_then(serde_json::Value::as_f64)
        });
    let v = visibility::derive(&refs, &peers, threshold, prefix, at)?;
    Some(Response::json(200, &v))
}

/// Half-closes and drains briefly before closing: closing with unread input (e.g. an
/// oversized head) would send a TCP reset that can destroy the response in flight.
fn linger_close(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut buf = [0u8; 4096];
    let mut drained = 0;
    while drained < 256 * 1024 {
        match (&mut &*stream).read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Result<Cli, String> {
        parse_args(a.iter().map(|s| s.to_string()))
    }

    #[test]
    fn cli_parses_and_refuses() {
        let Ok(Cli::Run(o)) = args(&[
            "--data",
            "d",
            "--addr",
            "127.0.0.1:0",
            "--quiet",
            "--app",
            "a",
        ]) else {
            panic!("should parse");
        };
        assert_eq!(o.data, PathBuf::from("d"));
        assert!(o.faults.is_empty() && o.timeout.is_none());
        assert_eq!(o.app, Some(PathBuf::from("a")));
        assert_eq!(o.addr.port(), 0);
        assert!(o.quiet);
        let Ok(Cli::Run(o)) = args(&["--data", "d", "--fault", "hangx1@/v2/", "--timeout", "2"])
        else {
            panic!("faults should parse");
        };
        assert_eq!((o.faults.len(), o.timeout), (1, Some(2)));
        let Ok(Cli::Run(o)) = args(&["--data", "d"]) else {
            panic!()
        };
        assert_eq!(o.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(o.latency, Duration::ZERO);
        let Ok(Cli::Run(o)) = args(&["--data", "d", "--latency-ms", "250"]) else {
            panic!()
        };
        assert_eq!(o.latency, Duration::from_millis(250));
        assert!(args(&["--data", "d", "--latency-ms", "-1"]).is_err());
        assert!(args(&["--data", "d", "--latency-ms", "999999"]).is_err());
        for bad in [
            &[][..],
            &["--data"],
            &["--data", "d", "--addr", "localhost"],
            &["--data", "d", "-x"],
            &["--data", "d", "--fault", "nap@/x"],
            &["--data", "d", "--timeout", "soon"],
        ] {
            assert!(args(bad).is_err(), "{bad:?}");
        }
    }
}
