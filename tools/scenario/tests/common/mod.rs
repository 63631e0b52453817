//! Helpers shared by the scenario tests: read the generated JSON the way a consumer would
//! (nothing here calls the generator's own replay or prefix code).

#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};

use outage_lens_scenario::Scenario;
use serde_json::Value;

pub fn file<'a>(sc: &'a Scenario, rel: &str) -> &'a Value {
    sc.files
        .iter()
        .find(|(p, _)| p == rel)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("missing file {rel}"))
}

pub fn u(v: &Value) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("not an unsigned integer: {v}"))
}

pub fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

pub fn path_of(v: &Value) -> Vec<u32> {
    v.as_array()
        .expect("path is an array")
        .iter()
        .map(|a| u(a) as u32)
        .collect()
}

/// The upstream of a path: last AS that differs from the origin (the path's last element).
pub fn upstream(path: &[u32]) -> Option<u32> {
    let origin = *path.last()?;
    path.iter().rev().copied().find(|&a| a != origin)
}

/// Parses "2025-06-04T00:00:00" (UTC, no zone) into Unix seconds by counting days.
pub fn parse_iso(t: &str) -> i64 {
    let n = |a: usize, b: usize| t[a..b].parse::<i64>().expect("digits");
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut days = 0;
    for yy in 1970..y {
        days += if leap(yy) { 366 } else { 365 };
    }
    let feb = if leap(y) { 29 } else { 28 };
    let ml = [31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    days += ml[..(m - 1) as usize].iter().sum::<i64>() + d - 1;
    days * 86_400 + n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19)
}

/// /24 numbers (address >> 8) covered by "a.b.c.d/len", by plain enumeration.
pub fn slash24s_of(prefix: &str) -> Vec<u32> {
    let (addr, len) = prefix.split_once('/').expect("a/len");
    let len: u32 = len.parse().expect("length");
    let a = addr
        .split('.')
        .map(|o| o.parse::<u32>().expect("octet"))
        .fold(0u32, |acc, o| acc * 256 + o);
    let first = a >> 8;
    let n = if len >= 24 { 1 } else { 1u32 << (24 - len) };
    (first..first + n).collect()
}

pub fn slash24_union<'a>(prefixes: impl IntoIterator<Item = &'a String>) -> BTreeSet<u32> {
    prefixes.into_iter().flat_map(|p| slash24s_of(p)).collect()
}

#[derive(Clone, Debug)]
pub struct Ev {
    pub ts: i64,
    pub seq: u64,
    pub peer: usize,
    pub prefix: usize,
    pub path: Option<Vec<u32>>,
}

/// A bgplay answer with source ids and prefixes turned into indices.
pub struct Bgplay {
    pub start: i64,
    pub end: i64,
    pub sids: Vec<String>,
    pub prefixes: Vec<String>,
    pub initial: Vec<(usize, usize, Vec<u32>)>,
    pub events: Vec<Ev>,
}

impl Bgplay {
    pub fn prefix_index(&self, p: &str) -> usize {
        self.prefixes
            .iter()
            .position(|x| x == p)
            .unwrap_or_else(|| panic!("{p} not a target"))
    }
}

pub fn bgplay_path(sc: &Scenario) -> String {
    format!("ripestat/bgplay/AS{}.json", sc.config.entity.asn)
}

pub fn bgplay(sc: &Scenario) -> Bgplay {
    let d = &file(sc, &bgplay_path(sc))["data"];
    let prefixes: Vec<String> = d["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|t| s(&t["prefix"]).to_string())
        .collect();
    let sids: Vec<String> = d["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|x| s(&x["id"]).to_string())
        .collect();
    let pi: HashMap<&str, usize> = prefixes
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let si: HashMap<&str, usize> = sids
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let idx = |a: &Value| -> (usize, usize) {
        let sid = s(&a["source_id"]);
        let pfx = s(&a["target_prefix"]);
        (
            *si.get(sid).unwrap_or_else(|| panic!("{sid} not a source")),
            *pi.get(pfx).unwrap_or_else(|| panic!("{pfx} not a target")),
        )
    };
    let initial = d["initial_state"]
        .as_array()
        .expect("initial_state")
        .iter()
        .map(|r| {
            let (a, b) = idx(r);
            (a, b, path_of(&r["path"]))
        })
        .collect();
    let events = d["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            let (peer, prefix) = idx(&e["attrs"]);
            let kind = s(&e["type"]);
            assert!(kind == "A" || kind == "W");
            Ev {
                ts: e["timestamp"].as_i64().expect("integer timestamp"),
                seq: u(&e["seq"]),
                peer,
                prefix,
                path: (kind == "A").then(|| path_of(&e["attrs"]["path"])),
            }
        })
        .collect();
    Bgplay {
        start: parse_iso(s(&d["query_starttime"])),
        end: parse_iso(s(&d["query_endtime"])),
        sids,
        prefixes,
        initial,
        events,
    }
}

/// Which bgplay sources are IPv4 full-table peers (ris-peers prefix counts against the
/// ris-peer-count threshold), and how many full-table IPv4 peers RIS has in all (the
/// visibility denominator, including peers that never appear in bgplay).
pub fn full_peers(sc: &Scenario, bg: &Bgplay) -> (Vec<bool>, usize) {
    let threshold =
        u(&file(sc, "ripestat/ris-peer-count/_default.json")["data"]["v4_full_prefix_threshold"]);
    let mut full = std::collections::HashSet::new();
    let peers = file(sc, "ripestat/ris-peers/_default.json")["data"]["peers"]
        .as_object()
        .expect("peers by collector");
    for (rrc, list) in peers {
        let nn = rrc.strip_prefix("rrc").expect("rrcNN");
        for p in list.as_array().expect("list") {
            let ip = s(&p["ip"]);
            if !ip.contains(':') && u(&p["v4_prefix_count"]) >= threshold {
                full.insert(format!("{nn}-{ip}"));
            }
        }
    }
    let flags = bg.sids.iter().map(|sid| full.contains(sid)).collect();
    (flags, full.len())
}

/// Replays initial_state then events: state[peer][prefix] is the path held.
pub struct Replay<'a> {
    pub bg: &'a Bgplay,
    pub next: usize,
    pub state: Vec<Vec<Option<&'a [u32]>>>,
}

impl<'a> Replay<'a> {
    pub fn new(bg: &'a Bgplay) -> Self {
        let mut state = vec![vec![None; bg.prefixes.len()]; bg.sids.len()];
        for (a, b, p) in &bg.initial {
            state[*a][*b] = Some(p.as_slice());
        }
        Replay { bg, next: 0, state }
    }

    pub fn peek(&self) -> Option<&'a Ev> {
        self.bg.events.get(self.next)
    }

    /// Applies the next event; returns it and the path it replaced.
    pub fn step(&mut self) -> Option<(&'a Ev, Option<&'a [u32]>)> {
        let e = self.bg.events.get(self.next)?;
        self.next += 1;
        let old = std::mem::replace(&mut self.state[e.peer][e.prefix], e.path.as_deref());
        Some((e, old))
    }

    pub fn advance_to(&mut self, t: i64) {
        while self.peek().is_some_and(|e| e.ts <= t) {
            self.step();
        }
    }

    /// Peers (any) holding a route to `prefix`.
    pub fn holders(&self, prefix: usize) -> usize {
        self.state.iter().filter(|r| r[prefix].is_some()).count()
    }

    /// Full-table peers holding a route to `prefix`.
    pub fn full_holders(&self, prefix: usize, full: &[bool]) -> usize {
        self.state
            .iter()
            .zip(full)
            .filter(|(r, &f)| f && r[prefix].is_some())
            .count()
    }

    /// (full-table peer, prefix) routes held.
    pub fn full_routes(&self, full: &[bool]) -> usize {
        self.state
            .iter()
            .zip(full)
            .filter(|(_, &f)| f)
            .map(|(r, _)| r.iter().filter(|x| x.is_some()).count())
            .sum()
    }

    /// Full-table peers holding at least one route.
    pub fn full_peers_with_routes(&self, full: &[bool]) -> usize {
        self.state
            .iter()
            .zip(full)
            .filter(|(r, &f)| f && r.iter().any(Option::is_some))
            .count()
    }

    pub fn via(&self, asn: u32) -> usize {
        self.state
            .iter()
            .flatten()
            .flatten()
            .filter(|p| upstream(p) == Some(asn))
            .count()
    }
}

/// Events are in time order with increasing seq, inside the window.
pub fn assert_sorted(bg: &Bgplay) {
    let mut last_ts = bg.start;
    let mut last_seq: Option<u64> = None;
    for e in &bg.events {
        assert!(e.ts >= last_ts, "events out of order at {}", e.ts);
        assert!(e.ts < bg.end, "event after the window");
        assert!(last_seq.is_none_or(|l| e.seq > l), "seq must increase");
        last_ts = e.ts;
        last_seq = Some(e.seq);
    }
}

/// FNV-1a over every file's path and compact JSON.
pub fn files_hash(sc: &Scenario) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (rel, v) in &sc.files {
        for b in rel.bytes().chain(serde_json::to_vec(v).expect("json")) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The IODA bgp values of the AS entity.
pub fn ioda_bgp(sc: &Scenario) -> (i64, Vec<f64>) {
    let rel = format!("ioda/signals/raw/asn/{}.json", sc.config.entity.asn);
    let x = &file(sc, &rel)["data"][0][0];
    assert_eq!(x["datasource"], "bgp");
    let values = x["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| v.as_f64().expect("bgp values are numbers"))
        .collect();
    (x["from"].as_i64().expect("from"), values)
}

/// IODA outage events of the AS entity: (datasource, from, until).
pub fn ioda_events(sc: &Scenario) -> Vec<(String, i64, i64)> {
    let rel = format!("ioda/outages/events/asn/{}.json", sc.config.entity.asn);
    file(sc, &rel)["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|e| {
            (
                s(&e["datasource"]).to_string(),
                e["from"].as_i64().expect("from"),
                e["until"].as_i64().expect("until"),
            )
        })
        .collect()
}
