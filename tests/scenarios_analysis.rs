//! The analysis on every generated (synthetic) scenario: what a reader must be told in each.

use outage_lens::analysis::evidence::{plain, sentences};
use outage_lens::analysis::{full_table_peers, replay, Analysis, Input, Level};
use outage_lens::api::ripestat::{self, Bgplay, RisPeerCount, RisPeers};
use outage_lens::model::{Asn, Prefix, UtcTime};
use outage_lens_scenario::{generate, Scenario, ScenarioConfig};

const FIVE_MIN: i64 = 300;

fn parsed(s: &Scenario) -> (Bgplay, RisPeers, RisPeerCount) {
    let file = |part: &str| {
        let (_, v) = s
            .files
            .iter()
            .find(|(p, _)| p.contains(part))
            .unwrap_or_else(|| panic!("no {part}"));
        serde_json::to_string(v).unwrap()
    };
    (
        ripestat::parse::<Bgplay>(&file("ripestat/bgplay/"))
            .unwrap()
            .data,
        ripestat::parse::<RisPeers>(&file("ris-peers/"))
            .unwrap()
            .data,
        ripestat::parse::<RisPeerCount>(&file("ris-peer-count/"))
            .unwrap()
            .data,
    )
}

fn run(cfg: ScenarioConfig, from: &str, until: &str) -> (Scenario, Analysis) {
    let s = generate(&cfg);
    let (b, p, c) = parsed(&s);
    let a = Analysis::run(
        &b,
        Some(&p),
        Some(&c),
        UtcTime::parse(from).unwrap(),
        UtcTime::parse(until).unwrap(),
    );
    (s, a)
}

fn near(t: UtcTime, truth: Option<i64>) -> bool {
    truth.is_some_and(|x| (t.secs() - x).abs() <= FIVE_MIN)
}

#[test]
fn a_single_link_loss_keeps_the_entity_up_and_finds_the_link_event() {
    let (s, a) = run(
        outage_lens_scenario::config::kp_single_link(),
        "2025-06-06T12:00Z",
        "2025-06-07T12:00Z",
    );
    assert!(
        a.outages().next().is_none(),
        "the entity stayed visible: {:?}",
        a.events
    );
    let (_, tt) = a
        .link_events
        .iter()
        .find(|(u, _)| *u == Asn(20485))
        .unwrap();
    let lost = tt
        .iter()
        .find(|e| e.level == Level::Critical)
        .expect("TransTelecom's own outage");
    assert!(
        near(lost.start, s.truth.upstream(20485).unwrap().last_withdrawn),
        "{lost:?}"
    );
    let (_, cu) = a.link_events.iter().find(|(u, _)| *u == Asn(4837)).unwrap();
    assert!(
        cu.iter().all(|e| e.level != Level::Critical),
        "China Unicom was never lost: {cu:?}"
    );
}

#[test]
fn a_slow_decay_is_told_apart_from_a_loss_at_the_origin() {
    let (s, a) = run(
        outage_lens_scenario::config::kp_slow_decay(),
        "2025-06-06T12:00Z",
        "2025-06-07T12:00Z",
    );
    let outage = a.outages().next().expect("an outage");
    let v = s.truth.visibility.as_ref().unwrap();
    assert!(
        near(outage.start, v.below_half),
        "{:?} vs {:?}",
        outage.start,
        v.below_half
    );
    let ev = &a.evidence[0];
    assert!(
        ev.spread_secs().unwrap() > 20 * 60,
        "{:?}",
        ev.spread_secs()
    );
    let text: Vec<String> = sentences(ev, &|u| u.to_string())
        .iter()
        .map(plain)
        .collect();
    assert!(
        text.iter().any(|t| t.contains("lost gradually")),
        "{text:?}"
    );
}

#[test]
fn a_flapping_prefix_is_a_warning_not_an_outage() {
    let (s, a) = run(
        outage_lens_scenario::config::kp_flapping(),
        "2025-06-06T12:00Z",
        "2025-06-07T12:00Z",
    );
    assert!(
        a.outages().next().is_none(),
        "three of four /24s stayed: {:?}",
        a.events
    );
    // A flap shorter than the 5-minute step can fall between two samples (the first one
    // does): every warning must sit inside a flap, and most flaps must be seen.
    let flaps: Vec<(i64, i64)> = s
        .truth
        .prefix_outages
        .iter()
        .filter_map(|p| Some((p.all_withdrawn?, p.first_reannounce?)))
        .collect();
    assert!(flaps.len() >= 6);
    for e in &a.events {
        assert_eq!(e.level, Level::Warning);
        assert!(
            flaps
                .iter()
                .any(|(w, b)| e.start.secs() >= *w && e.start.secs() <= *b),
            "{e:?} is not in a flap"
        );
    }
    assert!(
        a.events.len() * 2 >= flaps.len(),
        "{} events for {} flaps",
        a.events.len(),
        flaps.len()
    );
    assert!(
        a.visible.points().all(|(_, v)| v >= 3.0),
        "only one /24 ever goes"
    );
}

#[test]
fn the_outage_is_found_in_the_middle_of_a_week() {
    let (s, a) = run(
        outage_lens_scenario::config::kp_7day(),
        "2025-06-04T00:00Z",
        "2025-06-10T00:00Z",
    );
    let outages: Vec<_> = a.outages().collect();
    assert_eq!(outages.len(), 1, "{:?}", a.events);
    assert!(near(outages[0].start, s.truth.all_withdrawn));
    assert!(near(outages[0].end, s.truth.all_restored));
}

#[test]
fn a_large_entity_loses_a_share_of_its_prefixes() {
    let (s, a) = run(
        outage_lens_scenario::config::large_entity_sized(300),
        "2025-06-06T12:00Z",
        "2025-06-08T00:00Z",
    );
    let truth = &s.truth.prefix_outages[0];
    let ev = a
        .events
        .iter()
        .find(|e| near(e.start, truth.all_withdrawn))
        .expect("the partial outage");
    let lost = a.total_slash24s as f64 - ev.min_value;
    assert!(
        (lost - f64::from(truth.slash24s_lost)).abs() <= 1.0,
        "lost {lost} vs {}",
        truth.slash24s_lost
    );
}

#[test]
fn transtelecom_appears_on_2017_10_01_for_three_of_the_four_prefixes() {
    let s = generate(&outage_lens_scenario::config::kp_2017_transtelecom());
    let (b, p, c) = parsed(&s);
    let input = Input::from_bgplay(&b);
    let peers = full_table_peers(&input, Some(&p), Some(&c));
    let r = replay(&input, &peers, b.start, b.end, 300);
    let tt = r
        .upstreams
        .iter()
        .position(|u| *u == Asn(20485))
        .expect("AS20485 seen");
    let appeared = s
        .truth
        .upstream(20485)
        .and_then(|u| u.first_announced)
        .unwrap();
    let nu = r.upstreams.len();
    let via_tt = |i: usize, p: usize| r.holders_by_up_at(i)[p * nu + tt];
    let p179 = r
        .prefixes
        .iter()
        .position(|p| *p == "175.45.179.0/24".parse::<Prefix>().unwrap())
        .unwrap();
    for i in 0..r.len {
        let t = r.time(i).secs();
        let total: u32 = (0..r.prefixes.len()).map(|p| via_tt(i, p)).sum();
        if t < appeared {
            assert_eq!(total, 0, "no TransTelecom before {appeared}");
        }
        assert_eq!(via_tt(i, p179), 0, "175.45.179.0/24 never via TransTelecom");
    }
    let last = r.len - 1;
    let carried = (0..r.prefixes.len())
        .filter(|p| via_tt(last, *p) > 0)
        .count();
    assert_eq!(carried, 3);
}

#[test]
fn several_visibility_answers_are_checked_as_each_alone_in_any_order() {
    use outage_lens::analysis::crosscheck::{
        check_visibilities, check_visibility, VisibilityCheck,
    };
    use outage_lens::api::ripestat::Visibility;
    let s = generate(&outage_lens_scenario::config::kp_2025_06());
    let (b, _, _) = parsed(&s);
    let input = Input::from_bgplay(&b);
    // RIPEstat's answer shape from the real sample, asked at times before, during and after
    // the (synthetic) outage: the replay's holders differ between them.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples/ripestat/ripestat_2017_visibility_REAL_dataonly.json");
    let real = ripestat::parse::<Visibility>(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .data;
    let at = |t: Option<i64>, shift: i64| {
        let mut v = real.clone();
        v.query_time = UtcTime(t.unwrap() + shift);
        v
    };
    let before = at(s.truth.all_withdrawn, -3600);
    let during = at(s.truth.all_withdrawn, 3600);
    let after = at(s.truth.all_restored, 3600);
    let (p, q) = (input.prefixes[0], input.prefixes[1]);
    let absent: Prefix = "192.0.2.0/24".parse().unwrap();
    let holding = |c: &VisibilityCheck| c.collectors.iter().map(|x| x.replay_holding).sum::<u32>();
    // A plan's order (each time in turn, its prefixes at it: one walk), then out of order and
    // with a prefix the replay lacks (the walk starts again).
    let orders: [Vec<(Prefix, &Visibility)>; 2] = [
        vec![
            (p, &before),
            (q, &before),
            (p, &during),
            (q, &during),
            (p, &after),
        ],
        vec![
            (p, &after),
            (absent, &during),
            (q, &during),
            (p, &during),
            (p, &before),
        ],
    ];
    for answers in &orders {
        let together = check_visibilities(&input, answers);
        let alone: Vec<_> = answers
            .iter()
            .filter_map(|(prefix, v)| check_visibility(&input, *prefix, v))
            .collect();
        assert_eq!(
            together.len(),
            answers.iter().filter(|(x, _)| *x != absent).count()
        );
        assert_eq!(together, alone);
        for c in &together {
            let out = c.time == during.query_time;
            assert_eq!(holding(c) == 0, out, "{} at {}", c.prefix, c.time);
        }
    }
}
