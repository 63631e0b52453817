//! The CSV export on the generated (synthetic) North Korea scenario: UTC times, the header,
//! every section, and partial data marked on its rows when a source is missing.

use outage_lens::analysis::export::{csv, iso, Problem, View};
use outage_lens::analysis::Analysis;
use outage_lens::api::ioda::{self, Series};
use outage_lens::api::ripestat::{self, Bgplay, RisPeerCount, RisPeers};
use outage_lens::model::UtcTime;
use outage_lens::state::NK_OUTAGE;
use outage_lens_scenario::{generate, kp_2025_06, Scenario};

fn file(s: &Scenario, path: &str) -> String {
    let (_, v) = s.files.iter().find(|(p, _)| p == path).unwrap();
    serde_json::to_string(v).unwrap()
}

fn analyse(s: &Scenario, with_peers: bool) -> Analysis {
    let b = ripestat::parse::<Bgplay>(&file(s, "ripestat/bgplay/AS131279.json")).unwrap();
    let p = ripestat::parse::<RisPeers>(&file(s, "ripestat/ris-peers/_default.json")).unwrap();
    let c =
        ripestat::parse::<RisPeerCount>(&file(s, "ripestat/ris-peer-count/_default.json")).unwrap();
    let p = with_peers.then_some(&p.data);
    Analysis::run(&b.data, p, Some(&c.data), NK_OUTAGE.from, NK_OUTAGE.until)
}

fn signals(s: &Scenario) -> Vec<Series> {
    ioda::parse_signals(&file(s, "ioda/signals/raw/asn/131279.json"))
        .unwrap()
        .data
}

fn view<'a>(a: &'a Analysis, signals: Option<&'a [Series]>, problems: Vec<Problem>) -> View<'a> {
    View {
        entity: "AS131279".into(),
        from: NK_OUTAGE.from,
        until: NK_OUTAGE.until,
        analysis: Some(a),
        signals,
        events: None,
        problems,
        synthetic: true,
    }
}

/// Rows of one section as (series, time, value, partial).
fn rows<'a>(text: &'a str, section: &str) -> Vec<Vec<&'a str>> {
    text.lines()
        .filter(|l| l.starts_with(&format!("{section},")))
        .map(|l| l.split(',').collect())
        .collect()
}

fn secs(iso_time: &str) -> i64 {
    UtcTime::parse(iso_time).unwrap().secs()
}

#[test]
fn the_export_says_what_it_holds_with_utc_times() {
    let s = generate(&kp_2025_06());
    let a = analyse(&s, true);
    let sig = signals(&s);
    let text = csv(&view(&a, Some(&sig), vec![]));
    let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
    let joined = header.join("\n");
    assert!(joined.contains("entity: AS131279"), "{joined}");
    assert!(joined.contains("window: 2025-06-06T12:00:00Z/2025-06-07T12:00:00Z (UTC)"));
    assert!(joined.contains("RIPEstat bgplay") && joined.contains("IODA"));
    assert!(joined.contains("rule: a /24 is visible when more than half"));
    assert!(joined.contains("SYNTHETIC"));
    assert!(
        !joined.contains("# partial:"),
        "complete data has no partial line: {joined}"
    );
    assert_eq!(
        text.lines().nth(header.len()),
        Some("section,series,time_utc,end_utc,value,partial")
    );
    // Every time is ISO 8601 UTC and inside the window; 5-minute samples from..=until.
    let visible = rows(&text, "bgp-visible");
    assert_eq!(visible.len(), 289);
    for r in &visible {
        assert!(r[2].len() == 20 && r[2].ends_with('Z'), "{r:?}");
        assert!((NK_OUTAGE.from.secs()..=NK_OUTAGE.until.secs()).contains(&secs(r[2])));
        assert_eq!(r[5], "", "complete rows are not partial: {r:?}");
    }
    // The values follow the outage: 4 /24s before it, none during it.
    let value_at = |t: i64| {
        visible
            .iter()
            .find(|r| secs(r[2]) == t)
            .map(|r| r[4].to_string())
    };
    assert_eq!(value_at(NK_OUTAGE.from.secs()).as_deref(), Some("4"));
    let mid = (s.truth.all_withdrawn.unwrap() + s.truth.all_restored.unwrap()) / 2 / 300 * 300;
    assert_eq!(value_at(mid).as_deref(), Some("0"));
    // Two upstreams, four /24 prefixes, each with its own rows on the same grid.
    let ups = rows(&text, "bgp-upstream");
    assert_eq!(ups.len(), 2 * 289);
    assert!(ups.iter().any(|r| r[1] == "share via AS4837"));
    let prefixes = rows(&text, "bgp-prefix");
    assert_eq!(prefixes.len(), 4 * 289);
    assert!(prefixes
        .iter()
        .any(|r| r[1] == "share of peers holding 175.45.176.0/24"
            && secs(r[2]) == mid
            && r[4] == "0"));
    // The detected outage, with its start and end.
    let events = rows(&text, "bgp-event");
    let critical = events
        .iter()
        .find(|r| r[1].starts_with("entity critical"))
        .expect("the entity's critical event");
    assert_eq!(secs(critical[2]), a.outages().next().unwrap().start.secs());
    assert_eq!(critical[3], iso(a.outages().next().unwrap().end));
    // IODA's three signals.
    let ioda = rows(&text, "ioda-signal");
    for ds in ["bgp", "ping-slash24", "merit-nt"] {
        assert!(ioda.iter().any(|r| r[1] == ds), "{ds}");
    }
}

#[test]
fn partial_data_is_marked_on_its_rows_and_in_the_header() {
    let s = generate(&kp_2025_06());
    // No ris-peers: the analysis falls back, and every BGP row says so.
    let a = analyse(&s, false);
    let mut sig = signals(&s);
    // One more null in IODA's bgp signal, at the window's start.
    let step = sig[0].spacing();
    let k = ((NK_OUTAGE.from.secs() - sig[0].from.secs()) / step) as usize;
    sig[0].values[k] = None;
    let problems = vec![Problem {
        source: "IODA outage events",
        why: "could not reach the server".into(),
    }];
    let text = csv(&view(&a, Some(&sig), problems));
    assert!(text.contains("# partial: BGP series and events: no RIS peer list"));
    assert!(text.contains("# partial: IODA outage events: could not reach the server"));
    for section in ["bgp-visible", "bgp-upstream", "bgp-prefix", "bgp-event"] {
        let rs = rows(&text, section);
        assert!(!rs.is_empty(), "{section}");
        assert!(
            rs.iter()
                .all(|r| r[5].contains("no RIS peer list") || r[5].starts_with("no data")),
            "{section}"
        );
    }
    // A null IODA value: an empty value (never zero) and the reason, on exactly those rows.
    let ioda = rows(&text, "ioda-signal");
    assert!(ioda.len() > 3 * 100);
    for r in &ioda {
        assert_eq!(
            r[4].is_empty(),
            r[5] == "no data (IODA value null)",
            "{r:?}"
        );
        assert!((NK_OUTAGE.from.secs()..=NK_OUTAGE.until.secs()).contains(&secs(r[2])));
    }
    assert!(ioda
        .iter()
        .any(|r| r[1] == "bgp" && secs(r[2]) == NK_OUTAGE.from.secs() && r[4].is_empty()));
}

#[test]
fn without_any_data_the_export_is_a_header_that_says_why() {
    let v = View {
        entity: "AS131279".into(),
        from: NK_OUTAGE.from,
        until: NK_OUTAGE.until,
        analysis: None,
        signals: None,
        events: None,
        problems: vec![Problem {
            source: "RIPEstat bgplay",
            why: "timed out".into(),
        }],
        synthetic: false,
    };
    let text = csv(&v);
    assert!(text.contains("# partial: RIPEstat bgplay: timed out\n"));
    assert!(!text.contains("SYNTHETIC"));
    assert!(text.ends_with("section,series,time_utc,end_utc,value,partial\n"));
}
