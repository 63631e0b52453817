//! A country is the union of its networks, fetched as batches of ASNs × time chunks: the
//! assembled answers must analyse exactly like one answer for everything over the whole
//! window. Checked on the generated (synthetic) kp-2025-06 recording, split by prefix into
//! "networks" and by time into chunks as the stand-in and RIPEstat cut them.

use outage_lens::analysis::{chunks, Analysis};
use outage_lens::api::ripestat::{self, Bgplay, RisPeerCount, RisPeers};
use outage_lens::model::{Prefix, UtcTime};
use outage_lens::state::NK_OUTAGE;
use outage_lens_scenario::{generate, kp_2025_06, Scenario};

fn file(s: &Scenario, path: &str) -> String {
    let (_, v) = s.files.iter().find(|(p, _)| p == path).unwrap();
    serde_json::to_string(v).unwrap()
}

/// The part of an answer about some prefixes: what a request for one network would return.
fn only(b: &Bgplay, keep: &[Prefix]) -> Bgplay {
    let mut out = b.clone();
    out.targets.retain(|t| keep.contains(&t.prefix));
    out.initial_state.retain(|r| keep.contains(&r.prefix));
    out.events.retain(|e| keep.contains(&e.attrs.prefix));
    out
}

#[test]
fn batches_times_chunks_analyse_like_one_answer() {
    let s = generate(&kp_2025_06());
    let whole = ripestat::parse::<Bgplay>(&file(&s, "ripestat/bgplay/AS131279.json"))
        .unwrap()
        .data;
    let peers = ripestat::parse::<RisPeers>(&file(&s, "ripestat/ris-peers/_default.json"))
        .unwrap()
        .data;
    let count = ripestat::parse::<RisPeerCount>(&file(&s, "ripestat/ris-peer-count/_default.json"))
        .unwrap()
        .data;
    let prefixes: Vec<Prefix> = whole.targets.iter().map(|t| t.prefix).collect();
    assert_eq!(prefixes.len(), 4);
    // Chunks of 17 hours, cut where the app would: on the plan of the window.
    let windows = chunks::plan(whole.start, whole.end, 17 * 3600);
    assert!(windows.len() >= 5);
    let cuts: Vec<UtcTime> = windows.iter().skip(1).map(|w| w.0).collect();
    let batches: Vec<Vec<Bgplay>> = [&prefixes[..1], &prefixes[1..3], &prefixes[3..]]
        .iter()
        .map(|keep| chunks::split(&only(&whole, keep), &cuts))
        .collect();
    assert!(batches.iter().all(|b| b.len() == windows.len()));
    let assembled = chunks::assemble(batches).unwrap();
    assert_eq!(assembled.events.len(), whole.events.len());
    assert_eq!(assembled.targets.len(), 4);
    let (from, until) = (NK_OUTAGE.from, NK_OUTAGE.until);
    let a = Analysis::run(&whole, Some(&peers), Some(&count), from, until);
    let b = Analysis::run(&assembled, Some(&peers), Some(&count), from, until);
    assert_eq!(b.visible, a.visible);
    assert_eq!(b.upstreams, a.upstreams);
    assert_eq!(b.events, a.events);
    assert_eq!(b.total_slash24s, 4);
    assert_eq!(a.outages().count(), 1, "the union still shows the outage");
    // The test has teeth: a batch lost from the union changes the result.
    let partial =
        chunks::assemble(vec![chunks::split(&only(&whole, &prefixes[..3]), &cuts)]).unwrap();
    let c = Analysis::run(&partial, Some(&peers), Some(&count), from, until);
    assert_ne!(c.visible, a.visible);
}
