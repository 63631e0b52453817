//! Checks the generated kp-2025-06 files the way a consumer would: parse the JSON, replay
//! bgplay, and compare what the replay shows with the ground truth and the IODA series.
//! Expectations are computed from the JSON here, not copied from generator constants.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::OnceLock;

use outage_lens_scenario::{by_name, generate, kp_2025_06, scenario_names, Scenario};
use serde_json::Value;

const CU: u32 = 4837;
const TT: u32 = 20485;

fn scenario() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| generate(&kp_2025_06()))
}

fn file<'a>(sc: &'a Scenario, rel: &str) -> &'a Value {
    sc.files
        .iter()
        .find(|(p, _)| p == rel)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("missing file {rel}"))
}

fn u(v: &Value) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("not an unsigned integer: {v}"))
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn path_of(v: &Value) -> Vec<u32> {
    v.as_array()
        .expect("path is an array")
        .iter()
        .map(|a| u(a) as u32)
        .collect()
}

/// The upstream of a path: last AS that differs from the origin (the path's last element).
fn upstream(path: &[u32]) -> Option<u32> {
    let origin = *path.last()?;
    path.iter().rev().copied().find(|&a| a != origin)
}

/// Parses "2025-06-04T00:00:00" (UTC, no zone) into Unix seconds, independently of the crate.
fn parse_iso(t: &str) -> i64 {
    let n = |a: usize, b: usize| t[a..b].parse::<i64>().expect("digits");
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    // Days from 1970-01-01 by counting (slow but obviously right for a handful of calls).
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut days = 0;
    for yy in 1970..y {
        days += if leap(yy) { 366 } else { 365 };
    }
    let ml = [
        31,
        if leap(y) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    days += ml[..(m - 1) as usize].iter().sum::<i64>() + d - 1;
    days * 86_400 + n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19)
}

#[derive(Clone)]
struct Ev {
    ts: i64,
    sid: String,
    prefix: String,
    path: Option<Vec<u32>>,
}

struct Bgplay {
    start: i64,
    end: i64,
    initial: Vec<(String, String, Vec<u32>)>,
    events: Vec<Ev>,
}

fn bgplay(sc: &Scenario) -> Bgplay {
    let d = &file(sc, "ripestat/bgplay/AS131279.json")["data"];
    let initial = d["initial_state"]
        .as_array()
        .expect("initial_state")
        .iter()
        .map(|r| {
            (
                s(&r["source_id"]).to_string(),
                s(&r["target_prefix"]).to_string(),
                path_of(&r["path"]),
            )
        })
        .collect();
    let events = d["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| Ev {
            ts: e["timestamp"].as_i64().expect("integer timestamp"),
            sid: s(&e["attrs"]["source_id"]).to_string(),
            prefix: s(&e["attrs"]["target_prefix"]).to_string(),
            path: (s(&e["type"]) == "A").then(|| path_of(&e["attrs"]["path"])),
        })
        .collect();
    Bgplay {
        start: parse_iso(s(&d["query_starttime"])),
        end: parse_iso(s(&d["query_endtime"])),
        initial,
        events,
    }
}

/// Source ids ("NN-ip") of full-table and partial IPv4 peers, per ris-peers and the
/// ris-peer-count threshold.
fn peer_sets(sc: &Scenario) -> (HashSet<String>, HashSet<String>) {
    let threshold =
        u(&file(sc, "ripestat/ris-peer-count/_default.json")["data"]["v4_full_prefix_threshold"]);
    let mut full = HashSet::new();
    let mut partial = HashSet::new();
    let peers = file(sc, "ripestat/ris-peers/_default.json")["data"]["peers"]
        .as_object()
        .expect("peers by collector");
    for (rrc, list) in peers {
        let nn = rrc.strip_prefix("rrc").expect("rrcNN");
        for p in list.as_array().expect("list") {
            s(&p["asn"])
                .parse::<u32>()
                .expect("asn is a numeric string");
            let ip = s(&p["ip"]);
            if ip.contains(':') {
                continue;
            }
            let id = format!("{nn}-{ip}");
            if u(&p["v4_prefix_count"]) >= threshold {
                full.insert(id);
            } else {
                partial.insert(id);
            }
        }
    }
    (full, partial)
}

type State = HashMap<(String, String), Vec<u32>>;

struct Replayer<'a> {
    bg: &'a Bgplay,
    next: usize,
    routes: State,
}

impl<'a> Replayer<'a> {
    fn new(bg: &'a Bgplay) -> Self {
        let routes = bg
            .initial
            .iter()
            .map(|(a, b, p)| ((a.clone(), b.clone()), p.clone()))
            .collect();
        Replayer {
            bg,
            next: 0,
            routes,
        }
    }
    fn apply_next(&mut self) -> Option<&'a Ev> {
        let e = self.bg.events.get(self.next)?;
        self.next += 1;
        let k = (e.sid.clone(), e.prefix.clone());
        match &e.path {
            Some(p) => {
                self.routes.insert(k, p.clone());
            }
            None => {
                self.routes.remove(&k);
            }
        }
        Some(e)
    }
    fn advance_to(&mut self, t: i64) -> &State {
        while self.bg.events.get(self.next).is_some_and(|e| e.ts <= t) {
            self.apply_next();
        }
        &self.routes
    }
}

fn state_at(bg: &Bgplay, t: i64) -> State {
    Replayer::new(bg).advance_to(t).clone()
}

fn count_holding_all(state: &State, full: &HashSet<String>, n_prefixes: usize) -> usize {
    let mut per: HashMap<&str, usize> = HashMap::new();
    for (sid, _) in state.keys() {
        if full.contains(sid) {
            *per.entry(sid.as_str()).or_default() += 1;
        }
    }
    per.values().filter(|&&n| n == n_prefixes).count()
}

fn via_count(state: &State, asn: u32) -> usize {
    state.values().filter(|p| upstream(p) == Some(asn)).count()
}

#[test]
fn names_resolve() {
    assert!(scenario_names().contains(&"kp-2025-06"));
    assert_eq!(
        by_name("kp-2025-06").map(|c| c.seed),
        Some(kp_2025_06().seed)
    );
    assert!(by_name("no-such-scenario").is_none());
}

#[test]
fn generation_is_deterministic_and_seed_dependent() {
    let cfg = kp_2025_06();
    let a = generate(&cfg);
    let b = generate(&cfg);
    assert_eq!(a.files.len(), b.files.len());
    for ((pa, va), (pb, vb)) in a.files.iter().zip(&b.files) {
        assert_eq!(pa, pb);
        assert_eq!(
            serde_json::to_string(va).unwrap(),
            serde_json::to_string(vb).unwrap(),
            "{pa} differs between two runs"
        );
    }
    assert_eq!(a.truth, b.truth);
    assert_eq!(a.manifest(), b.manifest());

    let mut other = cfg.clone();
    other.seed += 1;
    let c = generate(&other);
    let ev = |sc: &Scenario| file(sc, "ripestat/bgplay/AS131279.json")["data"]["events"].clone();
    assert_ne!(ev(&a), ev(&c), "another seed must give other events");
    assert!(
        s(&file(&c, "ripestat/bgplay/AS131279.json")["messages"][0][1])
            .contains(&format!("seed {}", other.seed))
    );
}

#[test]
fn ripestat_envelopes_have_the_real_keys_and_say_synthetic() {
    let sc = scenario();
    let label = format!(
        "SYNTHETIC: generated by Outage Lens (scenario kp-2025-06, seed {}); not recorded from RIPEstat",
        sc.config.seed
    );
    let required = [
        "messages",
        "see_also",
        "version",
        "data_call_name",
        "data_call_status",
        "cached",
        "query_id",
        "process_time",
        "server_id",
        "build_version",
        "status",
        "status_code",
        "time",
        "data",
    ];
    // The recorded samples, when the shared folder is beside the repository (as in CI).
    let samples =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples/ripestat");
    let sample_keys: Option<BTreeSet<String>> = std::fs::read_to_string(
        samples.join("ripestat_2026_asn-neighbours_AS19174_qt2026-11-08_REAL_fullenvelope.json"),
    )
    .ok()
    .map(|t| {
        let v: Value = serde_json::from_str(&t).unwrap();
        v.as_object().unwrap().keys().cloned().collect()
    });
    let mut n = 0;
    for (rel, v) in sc.files.iter().filter(|(p, _)| p.starts_with("ripestat/")) {
        n += 1;
        let obj = v.as_object().unwrap();
        for k in required {
            assert!(obj.contains_key(k), "{rel}: missing envelope key {k}");
        }
        if let Some(keys) = &sample_keys {
            for k in keys {
                assert!(obj.contains_key(k), "{rel}: the real envelope has {k}");
            }
        }
        assert_eq!(v["status"], "ok");
        assert_eq!(v["status_code"], 200);
        assert!(v["data"].is_object());
        let call = rel.split('/').nth(1).unwrap();
        assert_eq!(v["data_call_name"], call);
        let messages = v["messages"].as_array().unwrap();
        assert!(
            messages
                .iter()
                .any(|m| m[0] == "info" && m[1] == label.as_str()),
            "{rel}: no synthetic label in messages"
        );
        let qid = s(&v["query_id"]);
        assert_eq!(qid.len(), 14 + 1 + 36, "{rel}: query_id {qid}");
        parse_iso(&s(&v["time"])[..19]);
    }
    assert_eq!(n, 4);
    assert_eq!(
        file(sc, "ripestat/asn-neighbours/AS131279.json")["version"],
        "3.2"
    );
}

#[test]
fn ioda_envelopes_have_the_real_keys_and_say_synthetic() {
    let sc = scenario();
    let label = format!(
        "SYNTHETIC: generated by Outage Lens (scenario kp-2025-06, seed {}); not IODA data",
        sc.config.seed
    );
    let mut n = 0;
    for (rel, v) in sc.files.iter().filter(|(p, _)| p.starts_with("ioda/")) {
        n += 1;
        for k in [
            "type",
            "metadata",
            "requestParameters",
            "error",
            "perf",
            "data",
            "copyright",
        ] {
            assert!(v.get(k).is_some(), "{rel}: missing {k}");
        }
        assert!(v["error"].is_null());
        assert_eq!(v["copyright"], label.as_str());
        let rp = &v["requestParameters"];
        assert_eq!(rp["from"], sc.config.window_start);
        assert_eq!(rp["until"], sc.config.window_end);
        if rel.starts_with("ioda/signals/") {
            assert_eq!(v["type"], "signals");
            assert!(rp["datasource"].is_null());
            let series = v["data"].as_array().unwrap()[0].as_array().unwrap();
            let names: Vec<&str> = series.iter().map(|x| s(&x["datasource"])).collect();
            assert_eq!(names, ["bgp", "ping-slash24", "merit-nt"]);
            for x in series {
                let (from, until, step) = (u(&x["from"]), u(&x["until"]), u(&x["step"]));
                assert_eq!(step, u(&x["nativeStep"]));
                assert_eq!(
                    x["values"].as_array().unwrap().len() as u64,
                    (until - from) / step
                );
                for k in [
                    "entityType",
                    "entityCode",
                    "entityName",
                    "entityFqid",
                    "subtype",
                ] {
                    assert!(x[k].is_string(), "{rel}: {k}");
                }
            }
        } else {
            assert_eq!(v["type"], "outages.events");
            assert_eq!(rp["format"], "ioda");
        }
    }
    assert_eq!(n, 4);
    let asn = &file(sc, "ioda/signals/raw/asn/131279.json")["data"][0][0];
    assert_eq!(asn["entityName"], "AS131279 (STAR-KP)");
    assert_eq!(asn["entityFqid"], "asn.131279");
    let kp = &file(sc, "ioda/signals/raw/country/KP.json")["data"][0][0];
    assert_eq!(kp["entityName"], "North Korea");
    assert_eq!(kp["entityFqid"], "geo.provider.AS.KP");
}

#[test]
fn bgplay_is_internally_consistent() {
    let sc = scenario();
    let d = &file(sc, "ripestat/bgplay/AS131279.json")["data"];
    let bg = bgplay(sc);
    assert_eq!(bg.start, sc.config.window_start);
    assert_eq!(bg.end, sc.config.window_end);
    assert_eq!(s(&d["query_starttime"]), "2025-06-04T00:00:00");
    assert_eq!(s(&d["query_endtime"]), "2025-06-09T00:00:00");

    let targets: BTreeSet<&str> = d["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| s(&t["prefix"]))
        .collect();
    let want: BTreeSet<&str> = [
        "175.45.176.0/24",
        "175.45.177.0/24",
        "175.45.178.0/24",
        "175.45.179.0/24",
    ]
    .into();
    assert_eq!(targets, want);

    let mut sources = HashSet::new();
    for src in d["sources"].as_array().unwrap() {
        let (id, rrc, ip) = (s(&src["id"]), s(&src["rrc"]), s(&src["ip"]));
        assert_eq!(id, format!("{rrc}-{ip}"));
        assert_eq!(rrc.len(), 2);
        u(&src["as_number"]);
        assert!(sources.insert(id.to_string()), "duplicate source {id}");
    }
    let nodes: HashMap<u64, &str> = d["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (u(&n["as_number"]), s(&n["owner"])))
        .collect();
    assert_eq!(
        nodes.get(&131_279).copied(),
        Some("STAR-KP Ryugyong-dong, KP")
    );
    let check_path = |p: &[u32], sid: &str| {
        assert_eq!(
            p.last(),
            Some(&131_279),
            "{sid}: path must end at the origin"
        );
        assert!(p.len() >= 3, "{sid}: path too short {p:?}");
        for a in p {
            let owner = nodes.get(&u64::from(*a));
            assert!(owner.is_some_and(|o| !o.is_empty()), "AS{a} has no node");
        }
    };
    for (sid, prefix, p) in &bg.initial {
        assert!(sources.contains(sid), "{sid} not in sources");
        assert!(want.contains(prefix.as_str()));
        check_path(p, sid);
    }
    let mut last_seq: Option<u64> = None;
    let mut last_ts = bg.start;
    for (e, raw) in bg.events.iter().zip(d["events"].as_array().unwrap()) {
        assert!(sources.contains(&e.sid), "{} not in sources", e.sid);
        assert!(want.contains(e.prefix.as_str()));
        assert!(e.ts >= last_ts, "events out of order at {}", e.ts);
        assert!(
            e.ts >= bg.start && e.ts < bg.end,
            "event outside the window"
        );
        last_ts = e.ts;
        let seq = u(&raw["seq"]);
        assert!(last_seq.is_none_or(|l| seq > l), "seq must increase");
        last_seq = Some(seq);
        match &e.path {
            Some(p) => {
                check_path(p, &e.sid);
                assert!(raw["attrs"]["community"].is_array());
            }
            None => {
                assert!(raw["attrs"].get("path").is_none(), "W with a path");
                assert!(
                    raw["attrs"].get("community").is_none(),
                    "W with communities"
                );
            }
        }
        for c in raw["attrs"]["community"].as_array().into_iter().flatten() {
            let (a, b) = s(c).split_once(':').expect("a:b community");
            a.parse::<u16>().unwrap();
            b.parse::<u16>().unwrap();
        }
    }
    // Everyday noise exists: withdrawals well before the outage, and some prepending.
    let before: Vec<&Ev> = bg
        .events
        .iter()
        .filter(|e| e.ts < parse_iso("2025-06-06T12:00:00"))
        .collect();
    assert!(before.iter().any(|e| e.path.is_none()));
    assert!(before.len() > 300, "too little noise: {}", before.len());
    let prepended = |p: &Vec<u32>| p.windows(2).any(|w| w[0] == w[1]);
    assert!(bg.initial.iter().any(|(_, _, p)| prepended(p)));
}

#[test]
fn peers_and_counts() {
    let sc = scenario();
    let (full, partial) = peer_sets(sc);
    assert!(full.len() >= 300, "{} full-table peers", full.len());
    assert!(partial.len() >= 50, "{} partial peers", partial.len());
    assert_eq!(full.len(), sc.truth.full_table_peer_count);
    assert_eq!(partial.len(), sc.truth.partial_peer_count);

    let rpc = &file(sc, "ripestat/ris-peer-count/_default.json")["data"];
    let ff = rpc["peer_count"]["v4"]["full_feed"].as_array().unwrap();
    assert_eq!(
        ff.len(),
        16,
        "00/08/16 UTC over five days, both ends included"
    );
    for x in ff {
        assert_eq!(u(&x["count"]) as usize, full.len());
        let t = parse_iso(s(&x["timestamp"]));
        assert_eq!(t % 28_800, 0);
    }
    let total = u(&rpc["peer_count"]["v4"]["total"][0]["count"]) as usize;
    assert_eq!(total, full.len() + partial.len());
    assert!(u(&rpc["peer_count"]["v6"]["full_feed"][0]["count"]) > 0);

    // Some partial peers carry KP routes, so forgetting to drop them skews visibility.
    let bg = bgplay(sc);
    let partial_with_routes: HashSet<&String> = bg
        .initial
        .iter()
        .map(|(sid, _, _)| sid)
        .filter(|sid| partial.contains(*sid))
        .collect();
    assert!(
        partial_with_routes.len() >= 10,
        "{}",
        partial_with_routes.len()
    );
    assert_eq!(
        partial_with_routes.len(),
        sc.truth.partial_peers_with_routes
    );
    // Every bgplay source is a known RIS peer.
    for (sid, _, _) in &bg.initial {
        assert!(
            full.contains(sid) || partial.contains(sid),
            "{sid} not in ris-peers"
        );
    }

    // Mostly via China Unicom.
    let mut by_up: HashMap<u32, usize> = HashMap::new();
    for (sid, _, p) in &bg.initial {
        if full.contains(sid) {
            *by_up.entry(upstream(p).unwrap()).or_default() += 1;
        }
    }
    let all: usize = by_up.values().sum();
    let share = by_up.get(&CU).copied().unwrap_or(0) as f64 / all as f64;
    assert!((0.5..=0.7).contains(&share), "share via 4837 = {share}");
    assert_eq!(by_up.len(), 2, "{by_up:?}");
}

#[test]
fn ground_truth_matches_a_replay_of_bgplay() {
    let sc = scenario();
    let t = &sc.truth;
    let (full, _) = peer_sets(sc);
    let bg = bgplay(sc);
    let tt = t.upstream(TT).unwrap();
    let cu = t.upstream(CU).unwrap();
    let (tt_first, tt_last) = (tt.first_withdrawal.unwrap(), tt.last_withdrawn.unwrap());
    let (cu_first, cu_last) = (cu.first_withdrawal.unwrap(), cu.last_withdrawn.unwrap());
    let all_w = t.all_withdrawn.unwrap();
    let all_r = t.all_restored.unwrap();
    let (cu_back, tt_back) = (cu.first_reannounce.unwrap(), tt.first_reannounce.unwrap());

    // The story, in order, on the dates of the real event.
    assert!(parse_iso("2025-06-06T17:00:00") < tt_first && tt_first < cu_first);
    assert!(
        tt_last < cu_first,
        "TransTelecom gone before China Unicom fails"
    );
    assert!(
        cu_last <= all_w && all_w - cu_first <= 120,
        "everything gone within ~90 s"
    );
    assert!(all_w < cu_back && cu_back < tt_back && tt_back < parse_iso("2025-06-07T03:00:00"));
    assert!(cu_back <= all_r && all_r < tt_back);

    // Just before TransTelecom fails, (nearly) every full-table peer holds all four /24s.
    let before = state_at(&bg, tt_first - 1);
    assert!(count_holding_all(&before, &full, 4) * 10 >= full.len() * 9);
    assert!(via_count(&before, TT) > 0 && via_count(&before, CU) > 0);
    // The first TransTelecom loss is the start: no 20485 route was lost in the 10 min before.
    let mut r = Replayer::new(&bg);
    r.advance_to(tt_first - 600);
    let mut lost_at: Vec<i64> = Vec::new();
    while let Some(e) = r.bg.events.get(r.next) {
        if e.ts > tt_first {
            break;
        }
        let k = (e.sid.clone(), e.prefix.clone());
        let was_tt = r.routes.get(&k).is_some_and(|p| upstream(p) == Some(TT));
        let still_tt = e.path.as_ref().is_some_and(|p| upstream(p) == Some(TT));
        if was_tt && !still_tt {
            lost_at.push(e.ts);
        }
        r.apply_next();
    }
    assert_eq!(lost_at.first(), Some(&tt_first));

    // Walk through the outage event by event.
    let mut r = Replayer::new(&bg);
    r.advance_to(tt_first - 1);
    let mut became_empty = None;
    let mut tt_gone = None;
    while let Some(e) = r.apply_next() {
        if e.ts >= tt_back {
            break;
        }
        let tt_routes = via_count(&r.routes, TT);
        if e.ts >= tt_first && tt_routes == 0 && tt_gone.is_none() {
            tt_gone = Some(e.ts);
        }
        if tt_gone.is_some() {
            assert_eq!(
                tt_routes, 0,
                "a route via 20485 at {} before its recovery",
                e.ts
            );
            assert!(
                e.path.as_ref().is_none_or(|p| !p.contains(&TT)),
                "20485 announced at {}",
                e.ts
            );
        }
        if r.routes.is_empty() && became_empty.is_none() {
            became_empty = Some(e.ts);
        }
    }
    assert_eq!(tt_gone, Some(tt_last));
    assert_eq!(became_empty, Some(all_w));

    // Nothing at all is held a minute after the last withdrawal, nor in the middle.
    assert!(state_at(&bg, all_w + 60).is_empty());
    assert!(state_at(&bg, (all_w + cu_back) / 2).is_empty());
    assert!(!state_at(&bg, all_w - 1).is_empty());

    // all_restored is the first moment every full-table peer holds all four prefixes again.
    assert_eq!(
        count_holding_all(&state_at(&bg, all_r), &full, 4),
        full.len()
    );
    assert!(count_holding_all(&state_at(&bg, all_r - 1), &full, 4) < full.len());
    let after = state_at(&bg, tt.last_reannounce.unwrap() + 120);
    assert_eq!(count_holding_all(&after, &full, 4), full.len());
    // ... and the paths settle back to the pre-outage mix of upstreams.
    let share = |st: &State| {
        let f: Vec<&Vec<u32>> = st
            .iter()
            .filter(|(k, _)| full.contains(&k.0))
            .map(|(_, p)| p)
            .collect();
        f.iter().filter(|p| upstream(p) == Some(CU)).count() as f64 / f.len() as f64
    };
    assert!((share(&before) - share(&after)).abs() < 0.05);
}

#[test]
fn ioda_series_follow_the_bgplay_replay() {
    let sc = scenario();
    let t = &sc.truth;
    let (full, _) = peer_sets(sc);
    let bg = bgplay(sc);
    let sig = &file(sc, "ioda/signals/raw/asn/131279.json")["data"][0];
    let series = |i: usize| -> Vec<Option<f64>> {
        sig[i]["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::as_f64)
            .collect()
    };
    let (bgp, ping, merit) = (series(0), series(1), series(2));
    let from = sig[0]["from"].as_i64().unwrap();

    // bgp = /24s seen by more than half of the full-table peers, at each 5-minute mark.
    let mut r = Replayer::new(&bg);
    for (i, v) in bgp.iter().enumerate() {
        let st = r.advance_to(from + i as i64 * 300);
        let mut seeing: HashMap<&str, usize> = HashMap::new();
        for (sid, prefix) in st.keys() {
            if full.contains(sid) {
                *seeing.entry(prefix.as_str()).or_default() += 1;
            }
        }
        let visible = seeing.values().filter(|&&n| 2 * n > full.len()).count();
        assert_eq!(*v, Some(visible as f64), "bgp bin {i}");
    }
    let bin = |ts: i64, step: i64| ((ts - from) / step) as usize;
    let tt_first = t.upstream(TT).unwrap().first_withdrawal.unwrap();
    let middle = (t.all_withdrawn.unwrap() + t.upstream(CU).unwrap().first_reannounce.unwrap()) / 2;
    assert_eq!(bgp[bin(tt_first, 300) - 1], Some(4.0));
    assert_eq!(bgp[bin(middle, 300)], Some(0.0));
    assert_eq!(bgp[bin(t.all_restored.unwrap(), 300) + 2], Some(4.0));

    assert_eq!(ping[bin(middle, 600)], Some(0.0));
    let normal_ping: Vec<f64> = ping[..bin(tt_first, 600) - 1]
        .iter()
        .flatten()
        .copied()
        .collect();
    assert!(normal_ping.iter().all(|v| (2.0..=4.0).contains(v)));
    assert!(normal_ping.iter().any(|&v| v != 3.0), "ping has no noise");

    assert!(merit.iter().any(Option::is_none), "merit-nt has no gaps");
    assert!(merit[bin(middle, 300)].is_none_or(|v| v <= 1.0));
    let normal_merit: Vec<f64> = merit[..bin(tt_first, 300) - 1]
        .iter()
        .flatten()
        .copied()
        .collect();
    assert!(normal_merit.iter().all(|v| (5.0..=30.0).contains(v)));

    // Country and AS agree on bgp (the country's only AS).
    let kp = &file(sc, "ioda/signals/raw/country/KP.json")["data"][0][0]["values"];
    assert_eq!(kp, &sig[0]["values"]);

    // Events cover the outage for bgp and ping-slash24, on the series' bins.
    for rel in [
        "ioda/outages/events/asn/131279.json",
        "ioda/outages/events/country/KP.json",
    ] {
        let evs = file(sc, rel)["data"].as_array().unwrap();
        for ds in ["bgp", "ping-slash24"] {
            let e = evs
                .iter()
                .find(|e| e["datasource"] == ds)
                .unwrap_or_else(|| panic!("{rel}: no {ds} event"));
            let (f, un) = (e["from"].as_i64().unwrap(), e["until"].as_i64().unwrap());
            let step = if ds == "bgp" { 300 } else { 600 };
            assert_eq!((f - from) % step, 0);
            assert!(f <= middle && middle < un, "{rel} {ds}: {f}..{un}");
            assert!(f >= tt_first - step && un <= t.all_restored.unwrap() + 2 * step);
            assert!(e["score"].as_f64().unwrap() > 0.0);
            assert_eq!(e["method"], "median");
            assert!(e["entity"]["attrs"]["fqid"].is_string());
        }
    }
}

#[test]
fn asn_neighbours_match_the_routes_of_that_day() {
    let sc = scenario();
    let d = &file(sc, "ripestat/asn-neighbours/AS131279.json")["data"];
    let q = parse_iso(s(&d["query_starttime"]));
    assert_eq!(s(&d["query_starttime"]), "2025-06-06T00:00:00");
    let st = state_at(&bgplay(sc), q);
    let ns = d["neighbours"].as_array().unwrap();
    assert_eq!(ns.len(), 2);
    assert_eq!(u(&d["neighbour_counts"]["left"]), 2);
    for n in ns {
        let asn = u(&n["asn"]) as u32;
        assert!(asn == CU || asn == TT);
        assert_eq!(n["type"], "left");
        assert_eq!(u(&n["v6_peers"]), 0);
        let peers: HashSet<&String> = st
            .iter()
            .filter(|(_, p)| upstream(p) == Some(asn))
            .map(|(k, _)| &k.0)
            .collect();
        assert_eq!(u(&n["power"]) as usize, peers.len());
        assert_eq!(u(&n["v4_peers"]) as usize, via_count(&st, asn));
    }
}

#[test]
fn write_to_writes_every_file_manifest_and_readme() {
    let sc = scenario();
    let dir =
        std::env::temp_dir().join(format!("outage-lens-scenario-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    sc.write_to(&dir).unwrap();
    for (rel, v) in &sc.files {
        let text = std::fs::read_to_string(dir.join(rel)).unwrap();
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, v, "{rel}");
    }
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("scenario.json")).unwrap()).unwrap();
    assert_eq!(m["synthetic"], true);
    assert_eq!(m["name"], "kp-2025-06");
    assert_eq!(m["seed"], sc.config.seed);
    assert_eq!(
        m["view"],
        "/?asn=131279&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z"
    );
    assert_eq!(m["truth"]["all_withdrawn"], sc.truth.all_withdrawn.unwrap());
    assert_eq!(m["truth"]["entity_asn"], 131_279);
    assert_eq!(m["generator"]["name"], "outage-lens-scenario");
    assert_eq!(m["files"].as_array().unwrap().len(), sc.files.len());
    let readme = std::fs::read_to_string(dir.join("README.txt"))
        .unwrap()
        .to_lowercase();
    assert!(readme.contains("synthetic") && readme.contains("not recorded"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The output for the fixed seed is pinned: any change to it (a new draw, another crate's
/// formatting) shows up here. After an intentional change, update the pin and say so.
#[test]
fn output_for_the_fixed_seed_is_pinned() {
    let sc = scenario();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (rel, v) in &sc.files {
        for b in rel.bytes().chain(serde_json::to_vec(v).unwrap()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let events = file(sc, "ripestat/bgplay/AS131279.json")["data"]["events"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(
        (events, format!("{h:016x}").as_str()),
        (6997, "8012c6a681fd8bd8")
    );
}
