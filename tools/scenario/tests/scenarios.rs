//! The scenarios beyond kp-2025-06: each one's ground truth is checked against an
//! independent replay of its generated JSON, and each is deterministic.

mod common;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use common::*;
use outage_lens_scenario::{
    by_name, generate, kp_2017_transtelecom, kp_7day, kp_flapping, kp_single_link, kp_slow_decay,
    large_entity, large_entity_sized, scenario_names, simulate, Scenario, ScenarioConfig,
};

const CU: u32 = 4837;
const TT: u32 = 20485;
const KP: [&str; 4] = [
    "175.45.176.0/24",
    "175.45.177.0/24",
    "175.45.178.0/24",
    "175.45.179.0/24",
];
/// Prefix target of the large entity's debug-sized variant.
const SMALL_LARGE: usize = 300;

macro_rules! cached {
    ($name:ident, $cfg:expr) => {
        fn $name() -> &'static Scenario {
            static S: OnceLock<Scenario> = OnceLock::new();
            S.get_or_init(|| generate(&$cfg))
        }
    };
}
cached!(single, kp_single_link());
cached!(decay, kp_slow_decay());
cached!(flapping, kp_flapping());
cached!(week, kp_7day());
cached!(large_small, large_entity_sized(SMALL_LARGE));
cached!(y2017, kp_2017_transtelecom());

/// Same configuration, same bytes and same truth.
fn assert_deterministic(sc: &Scenario, cfg: &ScenarioConfig) {
    let again = generate(cfg);
    assert_eq!(files_hash(sc), files_hash(&again), "{}", cfg.name);
    assert_eq!(sc.truth, again.truth);
    assert_eq!(sc.manifest(), again.manifest());
}

/// The layout and labels every scenario shares with kp-2025-06.
fn assert_layout_and_labels(sc: &Scenario) {
    let cfg = &sc.config;
    let asn = cfg.entity.asn;
    let cc = &cfg.entity.country_code;
    let paths: Vec<&str> = sc.files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            format!("ripestat/bgplay/AS{asn}.json"),
            "ripestat/ris-peer-count/_default.json".into(),
            "ripestat/ris-peers/_default.json".into(),
            format!("ripestat/asn-neighbours/AS{asn}.json"),
            format!("ioda/signals/raw/asn/{asn}.json"),
            format!("ioda/outages/events/asn/{asn}.json"),
            format!("ioda/signals/raw/country/{cc}.json"),
            format!("ioda/outages/events/country/{cc}.json"),
        ]
    );
    let tag = format!("(scenario {}, seed {})", cfg.name, cfg.seed);
    for (rel, v) in &sc.files {
        let label = if rel.starts_with("ripestat/") {
            s(&v["messages"][0][1]).to_string()
        } else {
            s(&v["copyright"]).to_string()
        };
        assert!(
            label.starts_with("SYNTHETIC") && label.contains(&tag),
            "{rel}: {label}"
        );
    }
    let m = sc.manifest();
    assert_eq!(m["synthetic"], true);
    assert_eq!(m["name"], cfg.name.as_str());
    assert!(sc.readme().contains("SYNTHETIC DATA - NOT RECORDED"));
    // IODA series cover the window at the native step (maxPoints above the length).
    let sig = &file(sc, &format!("ioda/signals/raw/asn/{asn}.json"));
    let max_points = u(&sig["requestParameters"]["maxPoints"]);
    for x in sig["data"][0].as_array().expect("series") {
        let n = x["values"].as_array().expect("values").len() as u64;
        assert_eq!(n, (u(&x["until"]) - u(&x["from"])) / u(&x["step"]));
        assert!(n <= max_points, "{n} values but maxPoints {max_points}");
    }
}

fn bin(from: i64, t: i64) -> usize {
    ((t - from) / 300) as usize
}

#[test]
fn every_name_resolves_to_its_scenario() {
    let names = scenario_names();
    for want in [
        "kp-2025-06",
        "kp-single-link",
        "kp-slow-decay",
        "kp-flapping",
        "kp-7day",
        "large-entity",
        "kp-2017-transtelecom",
    ] {
        assert!(names.contains(&want), "{want} not listed");
    }
    for n in names {
        let cfg = by_name(n).unwrap_or_else(|| panic!("{n} does not resolve"));
        assert_eq!(cfg.name, *n);
        assert!(cfg.window_start < cfg.window_end);
    }
    let seeds: BTreeSet<u64> = names
        .iter()
        .filter_map(|n| by_name(n))
        .map(|c| c.seed)
        .collect();
    assert_eq!(seeds.len(), names.len(), "every scenario has its own seed");
}

#[test]
fn single_link_loses_only_transtelecom_and_every_24_stays_visible() {
    let sc = single();
    assert_layout_and_labels(sc);
    let t = &sc.truth;
    let bg = bgplay(sc);
    let (full, n_full) = full_peers(sc, &bg);
    let tt = t.upstream(TT).expect("AS20485 truth");
    let cu = t.upstream(CU).expect("AS4837 truth");
    let (loss, gone) = (tt.first_withdrawal.unwrap(), tt.last_withdrawn.unwrap());
    let (back, settled) = (tt.first_reannounce.unwrap(), tt.last_reannounce.unwrap());
    assert!(loss <= gone && gone < back && back <= settled);
    assert!(
        gone - loss <= 60,
        "TransTelecom routes gone within a minute"
    );
    assert!((2 * 3600..5 * 3600).contains(&(back - loss)), "a few hours");
    assert!(parse_iso("2025-06-06T17:00:00") < loss && back < parse_iso("2025-06-07T00:00:00"));
    assert_eq!(
        (cu.first_withdrawal, cu.last_withdrawn, cu.first_reannounce),
        (None, None, None),
        "China Unicom never fails"
    );
    assert_eq!(t.all_withdrawn, None);

    // Before the loss some routes use 20485; the first one lost is lost at `loss`.
    let mut r = Replay::new(&bg);
    r.advance_to(loss - 600);
    assert!(r.via(TT) > 0);
    let mut via_tt_before: Vec<(usize, usize)> = Vec::new();
    while let Some(e) = r.peek() {
        if e.ts >= loss {
            break;
        }
        let (e, old) = r.step().unwrap();
        assert!(
            !(old.is_some_and(|p| upstream(p) == Some(TT))
                && e.path.as_ref().is_none_or(|p| upstream(p) != Some(TT))),
            "a 20485 route lost at {} before the truth's {loss}",
            e.ts
        );
    }
    for (peer, row) in r.state.iter().enumerate() {
        for (prefix, p) in row.iter().enumerate() {
            if p.is_some_and(|p| upstream(p) == Some(TT)) {
                via_tt_before.push((peer, prefix));
            }
        }
    }
    assert!(!via_tt_before.is_empty());

    // Through the failure, event by event: at least 3 of the 4 /24s stay held by more than
    // half of the full-table peers; from `gone` to `back` no route or announcement uses 20485.
    let mut first_loss_seen = None;
    let mut gone_seen = None;
    let mut back_seen = None;
    while let Some((e, old)) = r.step() {
        if e.ts > settled + 120 {
            break;
        }
        let lost_tt = old.is_some_and(|p| upstream(p) == Some(TT))
            && e.path.as_ref().is_none_or(|p| upstream(p) != Some(TT));
        if lost_tt {
            first_loss_seen.get_or_insert(e.ts);
        }
        if r.via(TT) == 0 && gone_seen.is_none() {
            gone_seen = Some(e.ts);
        }
        if e.path.as_ref().is_some_and(|p| p.contains(&TT)) {
            back_seen.get_or_insert(e.ts);
            assert!(
                e.ts >= back,
                "20485 announced at {} before its return",
                e.ts
            );
        }
        let visible = (0..4)
            .filter(|&p| 2 * r.full_holders(p, &full) > n_full)
            .count();
        assert!(visible >= 3, "only {visible} /24s visible at {}", e.ts);
    }
    assert_eq!(first_loss_seen, Some(loss));
    assert_eq!(gone_seen, Some(gone));
    assert_eq!(back_seen, Some(back));

    // Every route that used 20485 is back on 4837 within a minute of the loss.
    let st = {
        let mut r = Replay::new(&bg);
        r.advance_to(loss + 60);
        r.state
    };
    for (peer, prefix) in via_tt_before {
        let p = st[peer][prefix].unwrap_or_else(|| panic!("peer {peer} lost {prefix}"));
        assert_eq!(upstream(p), Some(CU), "peer {peer} prefix {prefix}: {p:?}");
    }

    // IODA: four visible /24s in every bin, and no outage event.
    let (_, values) = ioda_bgp(sc);
    assert!(values.iter().all(|&v| v == 4.0));
    assert!(ioda_events(sc).iter().all(|e| e.0 != "bgp"));
    // Visibility truth: never below half; the lowest count matches the replay.
    let v = t.visibility.as_ref().expect("visibility truth");
    assert_eq!(v.routes_possible, n_full * 4);
    assert_eq!((v.below_half, v.none_left), (None, None));
    assert_eq!(v.first_loss, Some(loss));
    let mut r = Replay::new(&bg);
    r.advance_to(loss - 1);
    let mut min = r.full_routes(&full);
    while r.step().is_some() {
        min = min.min(r.full_routes(&full));
    }
    assert_eq!(v.min_routes, min);
    assert!(2 * min > v.routes_possible);
}

#[test]
fn single_link_is_deterministic() {
    assert_deterministic(single(), &kp_single_link());
}

#[test]
fn slow_decay_loses_peers_gradually_and_crosses_half_when_the_truth_says() {
    let sc = decay();
    assert_layout_and_labels(sc);
    let t = &sc.truth;
    let v = t.visibility.as_ref().expect("visibility truth");
    let (start, half, end) = (
        v.first_loss.unwrap(),
        v.below_half.unwrap(),
        v.none_left.unwrap(),
    );
    let up_again = v.above_half_again.unwrap();
    assert!(start < half && half < end && end < up_again);
    assert!(
        (100 * 60..=130 * 60).contains(&(end - start)),
        "decay lasts {} min",
        (end - start) / 60
    );
    assert!(end <= t.all_withdrawn.unwrap());
    assert_eq!(v.min_routes, 0);

    let bg = bgplay(sc);
    let (full, n_full) = full_peers(sc, &bg);
    assert_eq!(v.routes_possible, n_full * 4);

    // Replay event by event: the truth's times are exactly where the counts cross.
    let mut r = Replay::new(&bg);
    r.advance_to(start - 1);
    assert_eq!(r.full_routes(&full), v.routes_before);
    assert!(v.routes_before * 10 >= v.routes_possible * 9);
    let (mut half_seen, mut end_seen, mut up_seen) = (None, None, None);
    while let Some((e, _)) = r.step() {
        let n = r.full_routes(&full);
        if 2 * n < v.routes_possible {
            half_seen.get_or_insert(e.ts);
        }
        if n == 0 {
            end_seen.get_or_insert(e.ts);
        }
        if half_seen.is_some() && 2 * n >= v.routes_possible {
            up_seen.get_or_insert(e.ts);
        }
    }
    assert_eq!(
        (half_seen, end_seen, up_seen),
        (Some(half), Some(end), Some(up_again))
    );

    // Peer by peer: every 5 minutes from the start, fewer full-table peers hold routes, but
    // no step loses more than 20 % of them, and the loss spreads over many steps.
    let mut r = Replay::new(&bg);
    r.advance_to(start - 1);
    let before = r.full_peers_with_routes(&full);
    assert!(before * 10 >= n_full * 9);
    let mut prev = before;
    let mut losing_steps = 0;
    let mut t5 = start - 1;
    while prev > 0 {
        t5 += 300;
        assert!(t5 <= end + 300, "still {prev} peers with routes at {t5}");
        r.advance_to(t5);
        let n = r.full_peers_with_routes(&full);
        assert!(
            n <= prev,
            "peers with routes rose from {prev} to {n} at {t5}"
        );
        assert!(
            (prev - n) * 5 <= before,
            "step to {t5} lost {} of {before} peers",
            prev - n
        );
        losing_steps += usize::from(n < prev);
        prev = n;
    }
    assert!(
        losing_steps >= 15,
        "only {losing_steps} five-minute steps lost peers"
    );
    // Not withdrawn everywhere at once: an hour in, some peers still have routes, some not.
    r = Replay::new(&bg);
    r.advance_to(start + 3600);
    let mid = r.full_peers_with_routes(&full);
    assert!(
        mid > n_full / 5 && mid < before * 9 / 10,
        "{mid} of {before}"
    );

    // IODA: four /24s before, none after.
    let (from, values) = ioda_bgp(sc);
    assert_eq!(values[bin(from, start) - 1], 4.0);
    assert_eq!(values[bin(from, end) + 1], 0.0);
}

#[test]
fn slow_decay_is_deterministic() {
    assert_deterministic(decay(), &kp_slow_decay());
}

#[test]
fn flapping_withdraws_only_one_24_exactly_in_the_truths_intervals() {
    let sc = flapping();
    assert_layout_and_labels(sc);
    let t = &sc.truth;
    assert!(t.upstreams.iter().all(|u| u.first_withdrawal.is_none()));
    assert_eq!((t.all_withdrawn, t.all_restored), (None, None));
    let flap = "175.45.178.0/24";
    assert!(
        t.prefix_outages.len() >= 5,
        "{} flaps",
        t.prefix_outages.len()
    );
    let mut truth_intervals: Vec<(i64, i64)> = Vec::new();
    for o in &t.prefix_outages {
        assert_eq!(o.prefixes, [flap]);
        assert_eq!(o.slash24s_lost, 1);
        let (w, b) = (o.all_withdrawn.unwrap(), o.first_reannounce.unwrap());
        let (fw, r) = (o.first_withdrawal.unwrap(), o.all_restored.unwrap());
        assert!(fw <= w && w < b && b <= r);
        assert!((60..=600).contains(&(b - w)), "back after {} s", b - w);
        truth_intervals.push((w, b));
    }
    let (first, last) = (truth_intervals[0].0, truth_intervals.last().unwrap().1);
    assert!(
        (45 * 60..=75 * 60).contains(&(last - first)),
        "flapping lasts {} min",
        (last - first) / 60
    );
    assert!(truth_intervals.windows(2).all(|w| w[0].1 < w[1].0));

    // Replay: when is each prefix held by nobody at all?
    let bg = bgplay(sc);
    let (full, n_full) = full_peers(sc, &bg);
    let fi = bg.prefix_index(flap);
    let mut r = Replay::new(&bg);
    let mut intervals: Vec<(i64, i64)> = Vec::new();
    let mut down_since: Option<i64> = None;
    let mut min_visible = 4;
    while let Some((e, _)) = r.step() {
        for (p, name) in KP.iter().enumerate().filter(|&(p, _)| p != fi) {
            assert!(r.holders(p) > 0, "{name} withdrawn everywhere at {}", e.ts);
        }
        if e.prefix == fi {
            match (r.holders(fi), down_since) {
                (0, None) => down_since = Some(e.ts),
                (n, Some(since)) if n > 0 => {
                    intervals.push((since, e.ts));
                    down_since = None;
                }
                _ => {}
            }
        }
        let visible = (0..4)
            .filter(|&p| 2 * r.full_holders(p, &full) > n_full)
            .count();
        min_visible = min_visible.min(visible);
    }
    assert_eq!(down_since, None);
    assert_eq!(intervals, truth_intervals);
    assert_eq!(min_visible, 3);

    // IODA sees three /24s during each long enough flap, four in between.
    let (from, values) = ioda_bgp(sc);
    assert!(values.iter().all(|&v| v == 3.0 || v == 4.0));
    for (w, b) in &truth_intervals {
        let (i, j) = (bin(from, *w) + 1, bin(from, *b));
        if i < j {
            assert!(values[i..j].iter().all(|&v| v == 3.0), "{w}..{b}");
        }
    }
    assert_eq!(values[bin(from, first) - 1], 4.0);
}

#[test]
fn flapping_is_deterministic() {
    assert_deterministic(flapping(), &kp_flapping());
}

#[test]
fn seven_days_with_the_outage_in_the_middle_and_noise_every_day() {
    let sc = week();
    assert_layout_and_labels(sc);
    let t = &sc.truth;
    let bg = bgplay(sc);
    let (full, n_full) = full_peers(sc, &bg);
    assert_eq!(
        (bg.start, bg.end),
        (
            parse_iso("2025-06-03T00:00:00"),
            parse_iso("2025-06-10T00:00:00")
        )
    );
    assert_sorted(&bg);
    let (from, values) = ioda_bgp(sc);
    assert_eq!((from, values.len()), (bg.start, 7 * 288));
    let rpc = &file(sc, "ripestat/ris-peer-count/_default.json")["data"];
    assert_eq!(
        rpc["peer_count"]["v4"]["full_feed"]
            .as_array()
            .unwrap()
            .len(),
        7 * 3 + 1
    );
    assert_eq!(
        u(&rpc["peer_count"]["v4"]["full_feed"][0]["count"]) as usize,
        n_full
    );

    let tt = t.upstream(TT).unwrap();
    let cu = t.upstream(CU).unwrap();
    let (tt_first, all_w, all_r) = (
        tt.first_withdrawal.unwrap(),
        t.all_withdrawn.unwrap(),
        t.all_restored.unwrap(),
    );
    let cu_back = cu.first_reannounce.unwrap();
    assert!(parse_iso("2025-06-06T17:00:00") < tt_first);
    assert!(tt_first < all_w && all_w < parse_iso("2025-06-06T18:00:00"));
    assert!(parse_iso("2025-06-07T02:00:00") < cu_back && cu_back <= all_r);
    assert!(all_r < parse_iso("2025-06-07T03:00:00"));

    // The replay agrees: nothing held from all_withdrawn to China Unicom's return; every
    // full-table peer holds all four /24s again at all_restored and not a second earlier.
    let mut r = Replay::new(&bg);
    r.advance_to(all_w - 1);
    assert!(r.state.iter().flatten().any(Option::is_some));
    r.advance_to(all_w);
    assert!(r.state.iter().flatten().all(Option::is_none));
    r.advance_to(cu_back - 1);
    assert!(r.state.iter().flatten().all(Option::is_none));
    let holding_all = |r: &Replay| {
        r.state
            .iter()
            .zip(&full)
            .filter(|(row, &f)| f && row.iter().all(Option::is_some))
            .count()
    };
    r.advance_to(all_r - 1);
    assert!(holding_all(&r) < n_full);
    r.advance_to(all_r);
    assert_eq!(holding_all(&r), n_full);

    // Everyday noise all week: updates, withdrawals among them, on each of the seven days.
    for day in 0..7 {
        let (a, b) = (bg.start + day * 86_400, bg.start + (day + 1) * 86_400);
        let evs: Vec<&Ev> = bg
            .events
            .iter()
            .filter(|e| e.ts >= a && e.ts < b)
            .filter(|e| e.ts < tt_first - 900 || e.ts > all_r + 1800)
            .collect();
        assert!(evs.len() >= 100, "day {day}: {} noise updates", evs.len());
        assert!(
            evs.iter().any(|e| e.path.is_none()),
            "day {day}: no withdrawal"
        );
    }

    // IODA: one bgp event, over the outage.
    let bgp_events: Vec<(String, i64, i64)> = ioda_events(sc)
        .into_iter()
        .filter(|e| e.0 == "bgp")
        .collect();
    assert_eq!(bgp_events.len(), 1, "{bgp_events:?}");
    let (_, f, un) = &bgp_events[0];
    // Bins show the state at their start: the first empty one is at most 5 min after
    // all_withdrawn, the first full one at most 5 min after all_restored.
    assert!(*f > all_w - 300 && *f <= all_w + 300, "{f} vs {all_w}");
    assert!(*un > all_r - 300 && *un <= all_r + 300, "{un} vs {all_r}");
}

#[test]
fn seven_days_is_deterministic() {
    assert_deterministic(week(), &kp_7day());
}

#[test]
fn large_entity_config_has_thousands_of_mixed_overlapping_prefixes() {
    let cfg = large_entity();
    let n = cfg.entity.prefixes.len();
    assert!(n >= 3000, "{n} prefixes");
    assert!((64_496..=64_511).contains(&cfg.entity.asn) || cfg.entity.asn >= 64_512);
    let lens: BTreeSet<u32> = cfg
        .entity
        .prefixes
        .iter()
        .map(|p| p.split_once('/').unwrap().1.parse().unwrap())
        .collect();
    assert!(
        lens.contains(&24) && lens.iter().any(|&l| l <= 20),
        "{lens:?}"
    );
    let distinct: BTreeSet<&String> = cfg.entity.prefixes.iter().collect();
    assert_eq!(distinct.len(), n);
    let sum: usize = cfg
        .entity
        .prefixes
        .iter()
        .map(|p| slash24s_of(p).len())
        .sum();
    let union = slash24_union(&cfg.entity.prefixes).len();
    assert!(union < sum, "no overlapping prefixes");
    let down = &cfg.prefix_outages[0].prefixes;
    assert!(
        down.len() * 20 > n && down.len() * 4 < n,
        "{} of {n} go down",
        down.len()
    );
}

#[test]
fn large_entity_small_variant_matches_its_truth() {
    let sc = large_small();
    assert_layout_and_labels(sc);
    let t = &sc.truth;
    let bg = bgplay(sc);
    assert_sorted(&bg);
    assert!(bg.prefixes.len() >= SMALL_LARGE);
    assert_eq!(bg.prefixes, sc.config.entity.prefixes);
    assert!(
        bg.events.len() > 40_000,
        "{} events for {} prefixes",
        bg.events.len(),
        bg.prefixes.len()
    );
    // Paths end at the origin, which the bgplay nodes name.
    let asn = sc.config.entity.asn;
    assert!(bg.initial.iter().all(|(_, _, p)| p.last() == Some(&asn)));
    let nodes = file(sc, &bgplay_path(sc))["data"]["nodes"]
        .as_array()
        .unwrap();
    assert!(nodes.iter().any(|n| u(&n["as_number"]) == u64::from(asn)));

    let (full, n_full) = full_peers(sc, &bg);
    assert_eq!(t.prefix_outages.len(), 1);
    let o = &t.prefix_outages[0];
    let down: Vec<usize> = o.prefixes.iter().map(|p| bg.prefix_index(p)).collect();
    let down_set: BTreeSet<usize> = down.iter().copied().collect();
    let (fw, w, b, rs) = (
        o.first_withdrawal.unwrap(),
        o.all_withdrawn.unwrap(),
        o.first_reannounce.unwrap(),
        o.all_restored.unwrap(),
    );
    assert!(fw <= w && w < b && b <= rs);

    // /24s lost, counted independently.
    let all = slash24_union(&bg.prefixes);
    let rest = slash24_union(
        bg.prefixes
            .iter()
            .enumerate()
            .filter(|(i, _)| !down_set.contains(i))
            .map(|(_, p)| p),
    );
    assert_eq!(o.slash24s_lost as usize, all.len() - rest.len());
    assert!(o.slash24s_lost > 0);

    // Replay: before the outage, full-table peers hold (nearly) all of its prefixes; no one
    // holds any from all_withdrawn until the first re-announcement; each full-table peer
    // holds again at all_restored what it held before.
    let mut r = Replay::new(&bg);
    r.advance_to(fw - 1);
    let held_before: Vec<(usize, usize)> = (0..bg.sids.len())
        .filter(|&p| full[p])
        .flat_map(|p| down.iter().map(move |&x| (p, x)))
        .filter(|&(p, x)| r.state[p][x].is_some())
        .collect();
    assert!(held_before.len() * 10 >= n_full * down.len() * 9);
    // Counted incrementally: routes (any peer) to the outage's prefixes, and routes held
    // before that are missing now.
    let mut held_any: usize = down.iter().map(|&x| r.holders(x)).sum();
    let before_set: std::collections::HashSet<(usize, usize)> =
        held_before.iter().copied().collect();
    let mut missing = 0usize;
    let mut w_seen = None;
    let mut b_seen = None;
    let mut rs_seen = None;
    while let Some((e, old)) = r.step() {
        if e.ts > rs + 60 {
            break;
        }
        if !down_set.contains(&e.prefix) {
            continue;
        }
        let (had, has) = (usize::from(old.is_some()), usize::from(e.path.is_some()));
        held_any = held_any + has - had;
        if before_set.contains(&(e.peer, e.prefix)) {
            missing = missing + had - has;
        }
        if held_any == 0 {
            w_seen.get_or_insert(e.ts);
        }
        if w_seen.is_some() && held_any > 0 {
            b_seen.get_or_insert(e.ts);
        }
        if b_seen.is_some() && rs_seen.is_none() && missing == 0 {
            rs_seen = Some(e.ts);
        }
    }
    assert_eq!((w_seen, b_seen, rs_seen), (Some(w), Some(b), Some(rs)));

    // Meanwhile the other prefixes stay visible, and IODA loses exactly the lost /24s.
    let mut r = Replay::new(&bg);
    r.advance_to((w + b) / 2);
    for x in (0..bg.prefixes.len()).filter(|x| !down_set.contains(x)) {
        assert!(2 * r.full_holders(x, &full) > n_full, "{}", bg.prefixes[x]);
    }
    let (from, values) = ioda_bgp(sc);
    assert_eq!(values[bin(from, fw) - 1], all.len() as f64);
    assert_eq!(values[bin(from, (w + b) / 2)], rest.len() as f64);
    assert_eq!(values[bin(from, rs) + 1], all.len() as f64);
}

#[test]
fn large_entity_small_variant_is_deterministic_and_streams_the_same_bytes() {
    let sc = large_small();
    let cfg = large_entity_sized(SMALL_LARGE);
    let g = simulate(&cfg);
    assert_eq!(g.truth, sc.truth);
    let dir = std::env::temp_dir().join(format!("outage-lens-large-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    g.write_to(&dir).unwrap();
    for (rel, v) in &sc.files {
        let bytes = std::fs::read(dir.join(rel)).unwrap();
        assert!(bytes == serde_json::to_vec(v).unwrap(), "{rel} differs");
    }
    let m = std::fs::read(dir.join("scenario.json")).unwrap();
    assert_eq!(m, serde_json::to_vec_pretty(&sc.manifest()).unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn transtelecom_2017_appears_at_the_truth_time_for_three_prefixes() {
    let sc = y2017();
    assert_layout_and_labels(sc);
    let t = &sc.truth;
    let tt = t.upstream(TT).unwrap();
    let at = tt.first_announced.unwrap();
    assert_eq!(at, parse_iso("2017-10-01T09:07:51"));
    let last = tt.last_announced.unwrap();
    assert!(at <= last && last - at <= 300);
    let three = &KP[..3];
    assert_eq!(tt.announced_prefixes.as_deref().unwrap(), three);
    assert!(t.upstreams.iter().all(|u| u.first_withdrawal.is_none()));

    let bg = bgplay(sc);
    assert_sorted(&bg);
    assert_eq!(
        (bg.start, bg.end),
        (
            parse_iso("2017-09-29T00:00:00"),
            parse_iso("2017-10-03T00:00:00")
        )
    );
    let (full, n_full) = full_peers(sc, &bg);
    // Before: only 4837, everywhere.
    for (_, _, p) in &bg.initial {
        assert_eq!(upstream(p), Some(CU));
        assert!(!p.contains(&TT));
    }
    let mut first_tt = None;
    let mut tt_prefixes = BTreeSet::new();
    for e in &bg.events {
        if let Some(p) = &e.path {
            if p.contains(&TT) {
                first_tt.get_or_insert(e.ts);
                assert_eq!(upstream(p), Some(TT), "{p:?}");
                tt_prefixes.insert(bg.prefixes[e.prefix].as_str());
            } else {
                assert_eq!(upstream(p), Some(CU), "{p:?}");
            }
        }
    }
    assert_eq!(first_tt, Some(at));
    assert_eq!(tt_prefixes.into_iter().collect::<Vec<_>>(), three);

    // After: a share of the full-table peers route the three /24s via 20485, the rest (and
    // everyone for 175.45.179.0/24) via 4837.
    let mut r = Replay::new(&bg);
    r.advance_to(at + 1800);
    let last_pfx = bg.prefix_index(KP[3]);
    let mut on_tt: BTreeSet<usize> = BTreeSet::new();
    for (peer, row) in r.state.iter().enumerate().filter(|(p, _)| full[*p]) {
        for (x, p) in row.iter().enumerate() {
            if p.is_some_and(|p| upstream(p) == Some(TT)) {
                assert_ne!(x, last_pfx);
                on_tt.insert(peer);
            }
        }
    }
    let share = on_tt.len() as f64 / n_full as f64;
    assert!((0.2..0.45).contains(&share), "share via 20485: {share}");
    assert!(r.via(CU) > r.via(TT));
    // ris-peer-count uses the 2017 threshold and peer count.
    let rpc = &file(sc, "ripestat/ris-peer-count/_default.json")["data"];
    assert_eq!(
        u(&rpc["peer_count"]["v4"]["full_feed"][0]["count"]) as usize,
        n_full
    );
    assert_eq!(t.full_table_peer_count, n_full);
}

#[test]
fn transtelecom_2017_is_deterministic() {
    assert_deterministic(y2017(), &kp_2017_transtelecom());
}

/// Full size: run with `cargo test --release -p outage-lens-scenario -- --ignored`.
/// Streams the answers to disk and reads bgplay back with typed structs.
#[test]
#[ignore]
fn large_entity_full_size() {
    use serde::Deserialize;
    #[derive(Deserialize)]
    struct Answer {
        data: Data,
    }
    #[derive(Deserialize)]
    struct Data {
        targets: Vec<Target>,
        initial_state: Vec<Attrs>,
        events: Vec<Event>,
    }
    #[derive(Deserialize)]
    struct Target {
        #[allow(dead_code)]
        prefix: String,
    }
    #[derive(Deserialize)]
    struct Attrs {
        source_id: String,
        target_prefix: String,
    }
    #[derive(Deserialize)]
    struct Event {
        timestamp: i64,
        seq: u64,
        #[serde(rename = "type")]
        kind: String,
        attrs: Attrs,
    }

    let started = std::time::Instant::now();
    let g = simulate(&large_entity());
    let dir = std::env::temp_dir().join(format!("outage-lens-large-full-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    g.write_to(&dir).unwrap();
    eprintln!(
        "generated and written in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let path = dir.join("ripestat/bgplay/AS64500.json");
    let size = std::fs::metadata(&path).unwrap().len();
    let text = std::fs::read(&path).unwrap();
    let a: Answer = serde_json::from_slice(&text).unwrap();
    drop(text);
    let d = a.data;
    eprintln!(
        "bgplay: {size} bytes, {} prefixes, {} initial routes, {} events",
        d.targets.len(),
        d.initial_state.len(),
        d.events.len()
    );
    assert!(d.targets.len() >= 3000);
    assert!((800_000..=1_200_000).contains(&d.events.len()));
    assert!(d
        .events
        .windows(2)
        .all(|w| w[0].timestamp <= w[1].timestamp && w[0].seq < w[1].seq));

    // The outage's prefixes are withdrawn everywhere from all_withdrawn to first_reannounce.
    let o = &g.truth.prefix_outages[0];
    let (w, b) = (o.all_withdrawn.unwrap(), o.first_reannounce.unwrap());
    let down: BTreeSet<&str> = o.prefixes.iter().map(String::as_str).collect();
    let mut held: std::collections::HashSet<(String, String)> = d
        .initial_state
        .into_iter()
        .filter(|r| down.contains(r.target_prefix.as_str()))
        .map(|r| (r.source_id, r.target_prefix))
        .collect();
    let mut empty_since = None;
    for e in d.events.into_iter().filter(|e| e.timestamp < b) {
        if !down.contains(e.attrs.target_prefix.as_str()) {
            continue;
        }
        let k = (e.attrs.source_id, e.attrs.target_prefix);
        if e.kind == "A" {
            held.insert(k);
        } else {
            held.remove(&k);
        }
        if held.is_empty() {
            empty_since.get_or_insert(e.timestamp);
        }
    }
    assert_eq!(empty_since, Some(w));
    assert!(held.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}
