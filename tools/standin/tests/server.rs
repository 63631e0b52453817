//! End-to-end tests: start the real `standin` binary on a free loopback port and talk
//! raw HTTP/1.1 to it over std::net::TcpStream.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A temp directory with `data/` (recorded responses) and `app/` (a fake built app),
/// removed again on drop.
struct Fixture {
    root: PathBuf,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        static N: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "standin-test-{}-{}-{name}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        let f = Fixture { root };
        f.write(
            "data/ripestat/bgplay/AS131279.json",
            r#"{"data":{"which":"bgplay AS131279"}}"#,
        );
        f.write(
            "data/ripestat/bgplay/175.45.176.0_22.json",
            r#"{"data":{"which":"bgplay prefix"}}"#,
        );
        f.write(
            "data/ripestat/ris-peer-count/_default.json",
            r#"{"data":{"which":"peer-count default"}}"#,
        );
        f.write(
            "data/ripestat/asn-neighbours/AS131279.json",
            r#"{"data":{"which":"neighbours"}}"#,
        );
        f.write(
            "data/ioda/signals/raw/asn/131279.json",
            r#"{"data":[["asn signals"]]}"#,
        );
        f.write(
            "data/ioda/outages/events/country/KP.json",
            r#"{"data":["KP events"]}"#,
        );
        f.write("secret.json", r#"{"secret":"outside the data dir"}"#);
        f.write(
            "app/index.html",
            "<!doctype html><title>Outage Lens</title>",
        );
        f.write("app/app.js", "console.log('app');");
        f.write("app/pkg/outage-lens_bg.wasm", "\0asm");
        f
    }

    fn write(&self, rel: &str, content: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The running binary; killed on drop so a failing test never leaks it.
struct Server {
    child: Child,
    addr: String,
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start(data: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_standin"))
            .arg("--data")
            .arg(data)
            .args(["--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let Some(addr) = line.trim_end().strip_prefix("listening on http://") else {
            let _ = child.kill();
            panic!("unexpected first line {line:?}");
        };
        Server {
            addr: addr.to_string(),
            child,
            _stdout: stdout,
        }
    }

    fn send(&self, raw: &[u8]) -> Reply {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.write_all(raw).unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        Reply::parse(&out)
    }

    fn get(&self, target: &str) -> Reply {
        self.send(format!("GET {target} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr).as_bytes())
    }

    /// Stops the server and returns everything it logged.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            e.read_to_string(&mut err).unwrap();
        }
        err
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("no head end")
            + 4;
        let head = std::str::from_utf8(&raw[..end]).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: raw[end..].to_vec(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }

    fn assert_api(&self, status: u16) {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert_eq!(self.header("access-control-allow-origin"), Some("*"));
        assert_eq!(self.header("connection"), Some("close"));
        assert_eq!(
            self.header("content-length"),
            Some(self.body.len().to_string().as_str())
        );
    }
}

#[test]
fn ripestat_serves_files_by_normalised_resource() {
    let f = Fixture::new("ripestat");
    let s = Server::start(&f.path("data"), &["--quiet"]);
    for res in ["131279", "AS131279", "as131279"] {
        let r = s.get(&format!(
            "/data/bgplay/data.json?resource={res}&starttime=2024-01-01T00:00"
        ));
        r.assert_api(200);
        assert_eq!(r.json()["data"]["which"], "bgplay AS131279", "{res}");
    }
    for res in ["175.45.176.0%2F22", "175.45.176.0/22"] {
        let r = s.get(&format!("/data/bgplay/data.json?resource={res}"));
        r.assert_api(200);
        assert_eq!(r.json()["data"]["which"], "bgplay prefix", "{res}");
    }
    let r = s.get("/data/asn-neighbours/data.json?resource=AS131279");
    assert_eq!(r.json()["data"]["which"], "neighbours");
}

#[test]
fn ripestat_falls_back_to_default_then_404() {
    let f = Fixture::new("fallback");
    let s = Server::start(&f.path("data"), &["--quiet"]);
    for target in [
        "/data/ris-peer-count/data.json?resource=AS131279",
        "/data/ris-peer-count/data.json",
    ] {
        let r = s.get(target);
        r.assert_api(200);
        assert_eq!(r.json()["data"]["which"], "peer-count default", "{target}");
    }
    let r = s.get("/data/bgplay/data.json?resource=AS1");
    r.assert_api(404);
    let v = r.json();
    assert_eq!(v["status"], "error");
    assert_eq!(v["status_code"], 404);
    assert_eq!(v["data_call_name"], "bgplay");
    assert_eq!(v["messages"][0][0], "error");
    assert!(v["messages"][0][1].as_str().unwrap().contains("AS1.json"));
    assert_eq!(v["data"], serde_json::json!({}));
    assert_eq!(v["cached"], false);
}

#[test]
fn ioda_maps_paths_and_entity_params() {
    let f = Fixture::new("ioda");
    let s = Server::start(&f.path("data"), &["--quiet"]);
    let r = s.get(
        "/v2/outages/events?entityType=country&entityCode=KP&from=1700000000&until=1700086400",
    );
    r.assert_api(200);
    assert_eq!(r.json()["data"][0], "KP events");
    let r = s.get("/v2/signals/raw/asn/131279?from=1&until=2&maxPoints=500");
    r.assert_api(200);
    assert_eq!(r.json()["data"][0][0], "asn signals");
    let r = s.get("/v2/outages/events?entityType=asn&entityCode=131279");
    r.assert_api(404);
    let v = r.json();
    assert_eq!(v["type"], "error");
    assert!(v["error"]
        .as_str()
        .unwrap()
        .contains("ioda/outages/events/asn/131279.json"));
    assert_eq!(v["data"], serde_json::Value::Null);
}

#[test]
fn bad_requests_get_400_and_never_escape_the_data_dir() {
    let f = Fixture::new("bad");
    let s = Server::start(&f.path("data"), &["--quiet"]);
    for target in [
        "/data/bgplay/data.json?resource=%zz",
        "/data/bgplay/data.json?resource=%",
        "/data/bgplay/data.json?resource=a%20b",
        "/data/..%2F..%2Fsecret/data.json",
    ] {
        let r = s.get(target);
        r.assert_api(400);
        assert_eq!(r.json()["status_code"], 400, "{target}");
    }
    for target in [
        "/v2/../secret",
        "/v2/..%2Fsecret",
        "/v2/%2e%2e/secret",
        "/v2/x?entityType=..&entityCode=secret",
        "/v2/x?entityType=a&entityCode=%ff",
    ] {
        let r = s.get(target);
        r.assert_api(400);
        assert_eq!(r.json()["type"], "error", "{target}");
        assert!(!r.text().contains("outside the data dir"));
    }
}

#[test]
fn methods_head_options_and_others() {
    let f = Fixture::new("methods");
    let s = Server::start(&f.path("data"), &["--quiet"]);
    let target = "/v2/signals/raw/asn/131279";
    let get = s.get(target);
    let head = s.send(format!("HEAD {target} HTTP/1.1\r\n\r\n").as_bytes());
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(get.body.len().to_string().as_str())
    );
    let opt = s.send(format!("OPTIONS {target} HTTP/1.1\r\nOrigin: http://x\r\n\r\n").as_bytes());
    assert_eq!(opt.status, 204);
    assert_eq!(opt.header("access-control-allow-origin"), Some("*"));
    assert!(opt
        .header("access-control-allow-methods")
        .unwrap()
        .contains("GET"));
    let post =
        s.send(format!("POST {target} HTTP/1.1\r\nContent-Length: 2\r\n\r\n{{}}").as_bytes());
    assert_eq!(post.status, 405);
    assert!(post.header("allow").unwrap().contains("GET"));
}

#[test]
fn app_config_static_files_and_spa_fallback() {
    let f = Fixture::new("app");
    let app = f.path("app");
    let s = Server::start(
        &f.path("data"),
        &["--quiet", "--app", app.to_str().unwrap()],
    );

    let r = s.send(b"GET /config.json HTTP/1.1\r\nHost: lens.test:4321\r\n\r\n");
    r.assert_api(200);
    let v = r.json();
    assert_eq!(v["ripestat_base"], "http://lens.test:4321");
    assert_eq!(v["ioda_base"], "http://lens.test:4321/v2");
    let name = f.path("data").canonicalize().unwrap();
    let name = name.file_name().unwrap().to_str().unwrap();
    assert_eq!(
        v["notice"],
        format!("Served by the local API stand-in from {name}")
    );
    // Without Host the bound address is used.
    let v = s.send(b"GET /config.json HTTP/1.1\r\n\r\n").json();
    assert_eq!(v["ripestat_base"], format!("http://{}", s.addr));

    let index = s.get("/");
    assert_eq!(index.status, 200);
    assert_eq!(index.text(), "<!doctype html><title>Outage Lens</title>");
    assert_eq!(
        index.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    let js = s.get("/app.js");
    assert_eq!(
        (js.status, js.header("content-type")),
        (200, Some("text/javascript"))
    );
    let wasm = s.get("/pkg/outage-lens_bg.wasm");
    assert_eq!(
        (wasm.status, wasm.header("content-type")),
        (200, Some("application/wasm"))
    );
    assert_eq!(wasm.body, b"\0asm");

    let spa = s.get("/asn/AS131279?from=1");
    assert_eq!(spa.status, 200);
    assert_eq!(spa.body, index.body);
    assert_eq!(spa.header("content-type"), Some("text/html; charset=utf-8"));

    let missing = s.get("/missing.js");
    assert_eq!(missing.status, 404);
    assert!(missing
        .header("content-type")
        .unwrap()
        .starts_with("text/plain"));
    for target in ["/../secret.json", "/%2e%2e/secret.json"] {
        let r = s.get(target);
        assert_eq!(r.status, 400, "{target}");
        assert!(!r.text().contains("outside the data dir"));
    }
    // The APIs still answer next to the app.
    s.get("/v2/signals/raw/asn/131279").assert_api(200);
}

#[test]
fn without_app_only_the_apis_answer() {
    let f = Fixture::new("noapp");
    let s = Server::start(&f.path("data"), &["--quiet"]);
    for target in ["/", "/config.json", "/index.html"] {
        assert_eq!(s.get(target).status, 404, "{target}");
    }
}

#[test]
fn oversized_and_malformed_heads() {
    let f = Fixture::new("heads");
    let s = Server::start(&f.path("data"), &["--quiet"]);
    let big = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(20 * 1024));
    assert_eq!(s.send(big.as_bytes()).status, 431);
    assert_eq!(s.send(b"NONSENSE\r\n\r\n").status, 400);
    assert_eq!(s.send(b"GET /\xff\xfe HTTP/1.1\r\n\r\n").status, 400);
    // The server is still healthy afterwards.
    s.get("/v2/signals/raw/asn/131279").assert_api(200);
}

#[test]
fn stuck_client_does_not_block_others_and_times_out() {
    let f = Fixture::new("stuck");
    let s = Server::start(&f.path("data"), &["--quiet"]);
    let started = Instant::now();
    let mut stuck = TcpStream::connect(&s.addr).unwrap();
    stuck
        .write_all(b"GET /v2/signals/raw/asn/131279 HTTP/1.1\r\n")
        .unwrap();
    // Another client is served while the first one hangs.
    s.get("/v2/signals/raw/asn/131279").assert_api(200);
    stuck
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut out = Vec::new();
    stuck.read_to_end(&mut out).unwrap();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(8) && elapsed < Duration::from_secs(20),
        "{elapsed:?}"
    );
    assert_eq!(Reply::parse(&out).status, 400);
}

#[test]
fn logs_one_line_per_request_unless_quiet() {
    let f = Fixture::new("log");
    let s = Server::start(&f.path("data"), &[]);
    let body_len = s.get("/v2/signals/raw/asn/131279?from=1").body.len();
    s.get("/v2/nothing");
    let log = s.stop();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert_eq!(
        lines[0],
        format!("GET /v2/signals/raw/asn/131279 200 {body_len}")
    );
    assert!(lines[1].starts_with("GET /v2/nothing 404 "), "{log}");

    let quiet = Server::start(&f.path("data"), &["--quiet"]);
    quiet.get("/v2/signals/raw/asn/131279");
    assert_eq!(quiet.stop(), "");
}

#[test]
fn bad_cli_arguments_exit_2_with_usage() {
    let f = Fixture::new("cli");
    let data = f.path("data");
    let data = data.to_str().unwrap();
    for args in [
        vec![],
        vec!["--data"],
        vec!["--bogus"],
        vec!["--data", data, "--addr", "not-an-addr"],
        vec!["--data", "/nonexistent/standin-dir"],
        vec!["--data", data, "--app", "/nonexistent/standin-app"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_standin"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("usage: standin"),
            "{args:?}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
