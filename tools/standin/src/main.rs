//! `standin`: a local stand-in for the RIPEstat Data API and IODA API v2 that answers
//! on the real URL paths from a directory of recorded JSON files, and can also serve
//! the built web app. One thread per connection, one request per connection.

mod faults;
mod http;
mod mime;
mod routes;

use http::{HeadError, Response};
use routes::{Action, Site};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use std::{fs, thread};

const USAGE: &str = "usage: standin --data DIR [--app DIR] [--addr 127.0.0.1:8080] [--quiet]
               [--fault MODE[xN]@MATCH]... [--timeout SECS]

  --data DIR   directory of recorded responses (ripestat/<call>/<key>.json, ioda/...)
  --app DIR    also serve the built web app from DIR, with a generated /config.json
  --addr A     address to bind (default 127.0.0.1:8080; port 0 picks a free port)
  --quiet      do not log requests to stderr
  --fault R    misbehave on requests whose path+query contains MATCH (`|` separates
               alternatives), for the first N of them if xN is given; MODE is hang,
               delay=MS, status=CODE, truncate, empty or drop; repeatable, first match wins
  --timeout S  write `timeout_secs: S` into the generated /config.json";

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
    faults: Vec<faults::Rule>,
    timeout: Option<u32>,
}

enum Cli {
    Run(Options),
    Help,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Cli, String> {
    let mut args = args.into_iter();
    let (mut data, mut app, mut quiet) = (None, None, false);
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
                let spawned = thread::Builder::new()
                    .name("conn".into())
                    .spawn(move || handle(stream, &site, &extra, opts.quiet));
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
}

fn handle(stream: TcpStream, site: &Site, extra: &Extra, quiet: bool) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut reader = http::DeadlineReader {
        stream: &stream,
        until: Instant::now() + READ_DEADLINE,
    };
    let (method, path, resp) = match http::read_head(&mut reader) {
        Ok(req) => {
            let action = routes::route(site, &req.method, &req.target, req.header("host"));
            let path = req.target.split('?').next().unwrap_or("").to_string();
            let mut resp = serve(action);
            if path == "/config.json" && resp.status == 200 {
                resp = with_timeout(resp, extra.timeout);
            }
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
