//! The analysis on the generated (synthetic) North Korea scenario, parsed by the app's own
//! parsers from the exact JSON the stand-in serves.

use outage_lens::analysis::{graph, Analysis, Event, Level};
use outage_lens::api::ripestat::{self, Bgplay, RisPeerCount, RisPeers};
use outage_lens::model::{Asn, UtcTime};
use outage_lens::state::NK_OUTAGE;
use outage_lens_scenario::{generate, kp_2025_06, Scenario};

fn file(s: &Scenario, path: &str) -> String {
    let (_, v) = s
        .files
        .iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("no {path}"));
    serde_json::to_string(v).unwrap()
}

/// The scenario's bgplay, ris-peers and ris-peer-count answers, parsed by the app's parsers.
fn answers(s: &Scenario) -> (Bgplay, RisPeers, RisPeerCount) {
    let b = ripestat::parse::<Bgplay>(&file(s, "ripestat/bgplay/AS131279.json"))
        .unwrap()
        .data;
    let p = ripestat::parse::<RisPeers>(&file(s, "ripestat/ris-peers/_default.json"))
        .unwrap()
        .data;
    let c = ripestat::parse::<RisPeerCount>(&file(s, "ripestat/ris-peer-count/_default.json"))
        .unwrap()
        .data;
    (b, p, c)
}

fn analyse(s: &Scenario, from: UtcTime, until: UtcTime) -> Analysis {
    let (b, p, c) = answers(s);
    Analysis::run(&b, Some(&p), Some(&c), from, until)
}

const FIVE_MIN: i64 = 300;

fn shifted(events: &[Event], by: i64) -> Vec<Event> {
    let at = |t: UtcTime| UtcTime(t.secs() + by);
    events
        .iter()
        .map(|e| {
            let mut e = e.clone();
            (e.start, e.end) = (at(e.start), at(e.end));
            for alert in &mut e.alerts {
                alert.time = at(alert.time);
            }
            e
        })
        .collect()
}

/// Property: every timestamp of the bgplay answer and the window moved by any whole number of
/// 5-minute steps (up to 400 days either way; the grid is UTC's 5-minute marks) moves every
/// entity and link event, alert and sample by the same amount and changes nothing else.
/// ris-peers carries no times; ris-peer-count's series is left out, so the peers come from
/// ris-peers alone in both runs.
#[test]
fn shifting_all_timestamps_shifts_all_events() {
    use proptest::prelude::*;
    let (b, p, _) = answers(&generate(&kp_2025_06()));
    let (from, until) = (NK_OUTAGE.from, NK_OUTAGE.until);
    let base = Analysis::run(&b, Some(&p), None, from, until);
    assert!(base.outages().count() == 1, "{:?}", base.events);
    assert!(
        base.link_events
            .iter()
            .filter(|(_, e)| !e.is_empty())
            .count()
            >= 2
    );
    proptest!(ProptestConfig::with_cases(16), |(steps in -288i64 * 400..288 * 400)| {
        let by = steps * FIVE_MIN;
        let at = |t: UtcTime| UtcTime(t.secs() + by);
        let mut m = b.clone();
        (m.start, m.end) = (at(m.start), at(m.end));
        for e in &mut m.events {
            e.timestamp = at(e.timestamp);
        }
        let a = Analysis::run(&m, Some(&p), None, at(from), at(until));
        prop_assert_eq!(&a.events, &shifted(&base.events, by));
        let links: Vec<_> = base.link_events.iter().map(|(asn, e)| (*asn, shifted(e, by))).collect();
        prop_assert_eq!(&a.link_events, &links);
        prop_assert_eq!(a.visible.start, at(base.visible.start));
        prop_assert_eq!(&a.visible.values, &base.visible.values);
    });
}

#[test]
fn finds_the_outage_within_five_minutes_of_the_generated_times() {
    let s = generate(&kp_2025_06());
    let a = analyse(&s, NK_OUTAGE.from, NK_OUTAGE.until);
    let outages: Vec<_> = a.outages().collect();
    assert_eq!(outages.len(), 1, "{:?}", a.events);
    let o = outages[0];
    let down = s.truth.all_withdrawn.unwrap();
    let up = s.truth.all_restored.unwrap();
    assert!(
        (o.start.secs() - down).abs() <= FIVE_MIN,
        "start {} vs truth {}",
        o.start,
        UtcTime(down)
    );
    assert!(
        (o.end.secs() - up).abs() <= FIVE_MIN,
        "end {} vs truth {}",
        o.end,
        UtcTime(up)
    );
    assert_eq!(o.level, Level::Critical);
    assert_eq!(o.min_value, 0.0);
    assert_eq!(a.total_slash24s, 4);
    assert!(!o.ongoing);
}

#[test]
fn partial_peers_are_left_out_of_the_denominator_and_numerator() {
    let s = generate(&kp_2025_06());
    let a = analyse(&s, NK_OUTAGE.from, NK_OUTAGE.until);
    assert_eq!(a.peers.full_count(), s.truth.full_table_peer_count);
    assert_eq!(
        a.peers.denominator_at(NK_OUTAGE.from) as usize,
        s.truth.full_table_peer_count
    );
    assert!(a.peers.describe().contains("partial peers ignored"));
}

#[test]
fn both_links_are_seen_and_transtelecom_goes_first() {
    let s = generate(&kp_2025_06());
    let a = analyse(&s, NK_OUTAGE.from, NK_OUTAGE.until);
    let ups: Vec<Asn> = a.upstreams.iter().map(|(u, _)| *u).collect();
    assert!(
        ups.contains(&Asn(4837)) && ups.contains(&Asn(20485)),
        "{ups:?}"
    );
    let first_zero = |asn: u32| {
        let (_, series) = a.upstreams.iter().find(|(u, _)| *u == Asn(asn)).unwrap();
        series
            .points()
            .find(|(t, v)| *t >= NK_OUTAGE.from && *v == 0.0)
            .map(|(t, _)| t)
            .unwrap()
    };
    let tt = first_zero(20485);
    let cu = first_zero(4837);
    assert!(tt <= cu, "TransTelecom lost at {tt}, China Unicom at {cu}");
    let truth_tt = s.truth.upstream(20485).unwrap().last_withdrawn.unwrap();
    assert!((tt.secs() - truth_tt).abs() <= FIVE_MIN);
}

#[test]
fn the_graph_loses_every_edge_into_the_origin_during_the_outage() {
    let s = generate(&kp_2025_06());
    let a = analyse(&s, NK_OUTAGE.from, NK_OUTAGE.until);
    let g = a.layout();
    let origin = g
        .nodes
        .iter()
        .position(|n| n.asn == Some(Asn(131279)))
        .unwrap();
    let into_origin: Vec<usize> = g
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.to == origin)
        .map(|(i, _)| i)
        .collect();
    assert!(
        into_origin.len() >= 2,
        "both upstream links lead to the origin"
    );
    let weigh = |t: &str| graph::at(&g, &a.input, UtcTime::parse(t).unwrap());
    let before = weigh("2025-06-06T15:00Z");
    let during = weigh("2025-06-06T20:00Z");
    assert!(into_origin.iter().all(|e| before.edge_peers[*e] > 0));
    assert!(into_origin.iter().all(|e| during.edge_peers[*e] == 0));
    assert_eq!(during.peers_with_route, 0);
    assert!(before.peers_with_route as f64 > 0.9 * s.truth.full_table_peer_count as f64);
}

#[test]
fn a_quiet_window_has_no_outage() {
    let s = generate(&kp_2025_06());
    let from = UtcTime::parse("2025-06-07T12:00Z").unwrap();
    let a = analyse(&s, from, from.plus(12 * 3600));
    assert!(a.outages().next().is_none(), "{:?}", a.events);
}

#[test]
fn the_evidence_names_the_first_link_and_the_seconds_between_to_the_update() {
    use outage_lens::analysis::evidence::{plain, sentences};
    let s = generate(&kp_2025_06());
    let a = analyse(&s, NK_OUTAGE.from, NK_OUTAGE.until);
    assert_eq!(a.evidence.len(), 1);
    let ev = &a.evidence[0];
    let link = |asn: u32| ev.links.iter().find(|l| l.upstream == Asn(asn)).unwrap();
    let (tt, cu) = (
        s.truth.upstream(20485).unwrap(),
        s.truth.upstream(4837).unwrap(),
    );
    // At update resolution the times are exact, not within a sample.
    assert_eq!(link(20485).lost_all.map(|t| t.secs()), tt.last_withdrawn);
    assert_eq!(link(4837).lost_all.map(|t| t.secs()), cu.last_withdrawn);
    assert_eq!(
        link(20485).back_first.map(|t| t.secs()),
        tt.first_reannounce
    );
    assert_eq!(link(4837).back_first.map(|t| t.secs()), cu.first_reannounce);
    assert!(ev.spread_secs().unwrap() <= 300, "{:?}", ev.spread_secs());
    assert_eq!(ev.prefixes_back.len(), 4);
    assert!(ev
        .prefixes_back
        .iter()
        .all(|(_, t)| t.secs() <= s.truth.all_restored.unwrap()));

    let text: Vec<String> = sentences(ev, &|a| a.to_string())
        .iter()
        .map(plain)
        .collect();
    let gap = cu.last_withdrawn.unwrap() - tt.last_withdrawn.unwrap();
    assert!(
        text[0].starts_with("The link via AS20485 went first"),
        "{text:?}"
    );
    assert!(
        text[0].contains(&format!(", {gap} s before the last route via AS4837")),
        "{text:?}"
    );
    assert!(text[1].contains("withdrawn everywhere at once"), "{text:?}");
    // The scenario is quiet before the first link fails: no churn is reported.
    assert!(text[2].contains("no unusual churn beforehand"), "{text:?}");
    assert!(
        ev.path_changes_unfolding > 50,
        "TransTelecom's peers hunt through China Unicom: {ev:?}"
    );
    assert!(
        text.iter()
            .any(|t| t.starts_with("Recovery: routes via AS4837 from")),
        "{text:?}"
    );
}

#[test]
fn each_upstream_link_gets_its_own_outage_event() {
    let s = generate(&kp_2025_06());
    let a = analyse(&s, NK_OUTAGE.from, NK_OUTAGE.until);
    for (asn, truth) in [
        (4837, s.truth.upstream(4837).unwrap()),
        (20485, s.truth.upstream(20485).unwrap()),
    ] {
        let (_, events) = a.link_events.iter().find(|(u, _)| *u == Asn(asn)).unwrap();
        let critical: Vec<_> = events
            .iter()
            .filter(|e| e.level == Level::Critical)
            .collect();
        assert_eq!(critical.len(), 1, "AS{asn}: {events:?}");
        assert!(
            (critical[0].start.secs() - truth.last_withdrawn.unwrap()).abs() <= FIVE_MIN,
            "AS{asn}"
        );
    }
}

#[test]
fn the_computed_series_agrees_with_iodas_bgp_signal() {
    use outage_lens::analysis::crosscheck::ioda_agreement;
    use outage_lens::api::ioda;
    let s = generate(&kp_2025_06());
    let a = analyse(&s, NK_OUTAGE.from, NK_OUTAGE.until);
    let signals = ioda::parse_signals(&file(&s, "ioda/signals/raw/asn/131279.json"))
        .unwrap()
        .data;
    let bgp = signals.iter().find(|x| x.datasource == "bgp").unwrap();
    let agree = ioda_agreement(&a.visible, bgp, a.from, a.until).unwrap();
    assert_eq!(
        agree.compared, 289,
        "one value every 5 minutes, both ends included"
    );
    assert!(agree.share() > 0.98, "{agree:?}");
    // A series that disagrees is caught: IODA's values shifted by an hour.
    let mut shifted = bgp.clone();
    shifted.from = shifted.from.plus(3600);
    shifted.until = shifted.until.plus(3600);
    assert!(
        ioda_agreement(&a.visible, &shifted, a.from, a.until)
            .unwrap()
            .share()
            < 0.97
    );
}

#[test]
fn an_outage_under_way_when_the_window_opens_is_said_so() {
    use outage_lens::ui::present::summary;
    let s = generate(&kp_2025_06());
    let from = UtcTime::parse("2025-06-07T00:00Z").unwrap();
    let a = analyse(&s, from, from.plus(12 * 3600));
    let text = summary(&a, "AS131279").join(" ");
    assert!(
        text.contains("was already down when the window starts (2025-06-07 00:00 UTC)"),
        "{text}"
    );
    let whole = analyse(&s, NK_OUTAGE.from, NK_OUTAGE.until);
    assert!(summary(&whole, "AS131279")
        .join(" ")
        .contains("visibility dropped at 2025-06-06 17:35 UTC"));
}
