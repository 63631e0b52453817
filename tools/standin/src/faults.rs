//! Fault injection: `--fault MODE[xN]@MATCH` rules that make chosen requests misbehave the
//! way the real APIs do (slow, hanging, failing, truncated, empty, dropped), so the app's
//! handling of each can be tested end to end. Parsing and the body rewrites are pure.
//!
//! `MATCH` is one or more substrings of the request target (path and query) separated by
//! `|`; the first rule with a matching substring and uses left applies. `xN` limits a rule to
//! its first N matching requests (later ones are answered normally), e.g. `hangx4@/asn-neighbours/`.

use crate::http::Response;
use serde_json::json;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Hold the connection open without answering until the client gives up.
    Hang,
    /// Answer normally after this long.
    Delay(Duration),
    /// Answer with this status (and a short plain-text body).
    Status(u16),
    /// Send the first half of the body (with a matching Content-Length): malformed JSON.
    Truncate,
    /// 200 with the API's "no data" shape: IODA `data: [[]]`, RIPEstat `data: {}`.
    Empty,
    /// Close the connection without answering.
    Drop,
}

#[derive(Debug)]
pub struct Rule {
    pub mode: Mode,
    matches: Vec<String>,
    /// Matching requests this rule still applies to (`u32::MAX`: all of them).
    left: AtomicU32,
}

/// What `main::handle` does with a request after routing.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    Answer(Response),
    Hang,
    Drop,
}

pub fn parse(spec: &str) -> Result<Rule, String> {
    let bad = |why: &str| format!("--fault {spec:?}: {why} (want MODE[xN]@MATCH)");
    let (mode, matches) = spec.split_once('@').ok_or_else(|| bad("no @"))?;
    let matches: Vec<String> = matches
        .split('|')
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect();
    if matches.is_empty() {
        return Err(bad("nothing to match"));
    }
    let (mode, times) = match mode.rsplit_once('x') {
        Some((m, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            (m, n.parse::<u32>().map_err(|_| bad("bad count"))?)
        }
        _ => (mode, u32::MAX),
    };
    let (name, arg) = mode.split_once('=').unwrap_or((mode, ""));
    let number = |max: u64| -> Result<u64, String> {
        arg.parse::<u64>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| bad("bad number"))
    };
    let mode = match name {
        "hang" => Mode::Hang,
        "delay" => Mode::Delay(Duration::from_millis(number(600_000)?)),
        "status" => match number(599)? {
            n @ 100..=599 => Mode::Status(n as u16),
            _ => return Err(bad("status must be 100-599")),
        },
        "truncate" => Mode::Truncate,
        "empty" => Mode::Empty,
        "drop" => Mode::Drop,
        _ => {
            return Err(bad(
                "unknown mode (hang, delay=MS, status=CODE, truncate, empty, drop)",
            ))
        }
    };
    Ok(Rule {
        mode,
        matches,
        left: AtomicU32::new(times),
    })
}

/// The fault for a request, if any; consumes one use of the rule that applies.
pub fn pick(rules: &[Rule], target: &str) -> Option<Mode> {
    rules.iter().find_map(|r| {
        if !r.matches.iter().any(|m| target.contains(m.as_str())) {
            return None;
        }
        r.left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| match n {
                0 => None,
                u32::MAX => Some(n),
                n => Some(n - 1),
            })
            .ok()
            .map(|_| r.mode)
    })
}

/// Applies `mode` to the response routing produced for `target` (delays are the caller's).
pub fn apply(mode: Option<Mode>, target: &str, resp: Response) -> Step {
    match mode {
        None | Some(Mode::Delay(_)) => Step::Answer(resp),
        Some(Mode::Hang) => Step::Hang,
        Some(Mode::Drop) => Step::Drop,
        Some(Mode::Status(s)) => Step::Answer(Response::text(
            s,
            &format!("status {s} injected by the stand-in"),
        )),
        Some(Mode::Truncate) => {
            let mut resp = resp;
            let half = resp.body.len() / 2;
            resp.body = resp.body.get(..half).unwrap_or_default().into();
            Step::Answer(resp)
        }
        Some(Mode::Empty) => {
            let body = if target.starts_with("/v2/") {
                json!({"type": "empty", "error": null, "data": [[]], "copyright": ""})
            } else {
                json!({"status": "ok", "status_code": 200, "messages": [], "data": {}})
            };
            Step::Answer(Response::json(200, &body))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_and_refuse() {
        let r = parse("delay=1500x2@from=1|starttime=2").unwrap();
        assert_eq!(r.mode, Mode::Delay(Duration::from_millis(1500)));
        assert_eq!(r.matches, ["from=1", "starttime=2"]);
        assert_eq!(r.left.load(Ordering::SeqCst), 2);
        assert_eq!(parse("status=503@/v2/").unwrap().mode, Mode::Status(503));
        for m in ["hang", "truncate", "empty", "drop"] {
            assert!(parse(&format!("{m}@/x")).is_ok(), "{m}");
        }
        for bad in [
            "hang",
            "hang@",
            "nap@/x",
            "status=99@/x",
            "status=600@/x",
            "delay=x@/x",
            "delay=600001@/x",
            "hangx99999999999@/x",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn counted_rules_apply_to_their_first_requests_only() {
        let rules = [parse("hangx2@/a|/b").unwrap(), parse("drop@/a").unwrap()];
        assert_eq!(pick(&rules, "/b?q"), Some(Mode::Hang));
        assert_eq!(pick(&rules, "/c"), None);
        assert_eq!(pick(&rules, "/a"), Some(Mode::Hang));
        // The hang is used up: the next rule that matches applies.
        assert_eq!(pick(&rules, "/a"), Some(Mode::Drop));
        assert_eq!(pick(&rules, "/b"), None);
    }

    #[test]
    fn bodies_are_rewritten_in_each_apis_shape() {
        let ok = || Response::json(200, &json!({"data": {"x": [1, 2, 3]}}));
        let Step::Answer(t) = apply(Some(Mode::Truncate), "/data/x", ok()) else {
            panic!()
        };
        assert_eq!(t.body.len(), ok().body.len() / 2);
        assert!(serde_json::from_slice::<serde_json::Value>(&t.body).is_err());
        let Step::Answer(e) = apply(Some(Mode::Empty), "/v2/signals/raw/asn/1", ok()) else {
            panic!()
        };
        let v: serde_json::Value = serde_json::from_slice(&e.body).unwrap();
        assert_eq!((e.status, v["data"].clone()), (200, json!([[]])));
        let Step::Answer(e) = apply(Some(Mode::Empty), "/data/ris-peers/data.json", ok()) else {
            panic!()
        };
        let v: serde_json::Value = serde_json::from_slice(&e.body).unwrap();
        assert_eq!(
            (v["status"].clone(), v["data"].clone()),
            (json!("ok"), json!({}))
        );
        let Step::Answer(s) = apply(Some(Mode::Status(429)), "/v2/x", ok()) else {
            panic!()
        };
        assert_eq!(s.status, 429);
        assert_eq!(apply(Some(Mode::Hang), "/x", ok()), Step::Hang);
        assert_eq!(apply(Some(Mode::Drop), "/x", ok()), Step::Drop);
        assert_eq!(apply(None, "/x", ok()), Step::Answer(ok()));
    }
}
