//! Every real recorded response in ../shared/samples of a call the app handles must parse.
//! Files are discovered by name, so a new sample of a handled call is tested without edits.

use std::path::PathBuf;

use outage_lens::analysis::{crosscheck, Input};
use outage_lens::api::ripestat::{self, AsnNeighbours, Bgplay, RisPeerCount, RisPeers, Visibility};
use outage_lens::api::{ioda, ApiError};
use outage_lens::model::{Asn, UtcTime};

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples")
}

fn files(dir: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(samples().join(dir))
        .unwrap_or_else(|e| panic!("samples/{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[derive(Debug, PartialEq)]
enum Call {
    Bgplay,
    RisPeerCount,
    RisPeers,
    AsnNeighbours,
    Visibility,
    IodaSignals,
    IodaEvents,
    CountryResourceList,
    Other,
}

fn call_of(name: &str) -> Call {
    let n = name.replace('_', "-");
    if n.contains("country-resource-list") {
        Call::CountryResourceList
    } else if n.contains("error-400") {
        Call::Other
    } else if n.contains("-bgplay-") {
        Call::Bgplay
    } else if n.contains("ris-peer-count") {
        Call::RisPeerCount
    } else if n.contains("ris-peers") {
        Call::RisPeers
    } else if n.contains("asn-neighbours") && !n.contains("history") {
        Call::AsnNeighbours
    } else if n.contains("-visibility-") {
        Call::Visibility
    } else if n.contains("signals-raw") {
        Call::IodaSignals
    } else if n.contains("outages-events") {
        Call::IodaEvents
    } else {
        Call::Other
    }
}

#[test]
fn every_ripestat_sample_of_a_handled_call_parses() {
    let mut handled = 0;
    for (name, body) in files("ripestat") {
        let ok = match call_of(&name) {
            Call::Bgplay => ripestat::parse::<Bgplay>(&body)
                .map(|r| assert!(!r.data.events.is_empty(), "{name}")),
            Call::RisPeerCount => ripestat::parse::<RisPeerCount>(&body)
                .map(|r| assert!(!r.data.peer_count.v4.full_feed.is_empty(), "{name}")),
            Call::RisPeers => ripestat::parse::<RisPeers>(&body)
                .map(|r| assert!(r.data.by_source_id().count() > 0, "{name}")),
            // One sample is a real "no neighbours" answer: an empty list is data, not an error.
            Call::AsnNeighbours => ripestat::parse::<AsnNeighbours>(&body).map(|_| ()),
            Call::Visibility => ripestat::parse::<Visibility>(&body)
                .map(|r| assert!(!r.data.visibilities.is_empty(), "{name}")),
            _ => continue,
        };
        assert!(ok.is_ok(), "{name}: {:?}", ok.err());
        handled += 1;
    }
    // bgplay, ris-peer-count, ris-peers, visibility and five asn-neighbours recordings.
    assert!(handled >= 9, "only {handled} samples were recognised");
}

/// Every recording of the call, the real 400 error included: the list parses with its ASNs
/// typed, and the error becomes the API's own message, never a panic or an empty country.
#[test]
fn every_country_resource_list_sample_parses_or_gives_the_apis_error() {
    use outage_lens::api::country::CountryResources;
    let (mut lists, mut errors) = (0, 0);
    for (name, body) in files("ripestat") {
        if call_of(&name) != Call::CountryResourceList {
            continue;
        }
        match ripestat::parse::<CountryResources>(&body) {
            Ok(r) => {
                let asns = &r.data.resources.asns;
                assert!(!asns.is_empty(), "{name}");
                assert!(
                    asns.windows(2).all(|w| w[0] < w[1]),
                    "{name}: sorted, unique"
                );
                assert_eq!(r.data.resources.skipped, 0, "{name}");
                lists += 1;
            }
            Err(ApiError::Api(m)) if name.contains("error") => {
                assert!(m.contains("resource"), "{name}: {m}");
                errors += 1;
            }
            Err(e) => panic!("{name}: {e:?}"),
        }
    }
    // The 2017 and 2026 lists, and the real 400 answer.
    assert!(lists >= 2 && errors >= 1, "{lists} lists, {errors} errors");
    // The 2026 Vatican list, typed.
    let va = files("ripestat")
        .into_iter()
        .find(|(n, _)| n.contains("country-resource-list_VA"))
        .map(|(_, b)| b)
        .unwrap();
    let va = ripestat::parse::<CountryResources>(&va).unwrap().data;
    assert_eq!(
        va.resources.asns,
        [8978, 61160, 199499, 202865].map(Asn).to_vec()
    );
}

#[test]
fn every_ioda_sample_of_a_handled_call_parses() {
    let mut handled = 0;
    for (name, body) in files("ioda") {
        match call_of(&name) {
            Call::IodaSignals => {
                let r = ioda::parse_signals(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    r.data
                        .iter()
                        .all(|s| !s.datasource.is_empty() && s.from < s.until),
                    "{name}"
                );
            }
            Call::IodaEvents => {
                let r = ioda::parse_events(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(r.data.iter().all(|e| e.from < e.until), "{name}");
            }
            _ => continue,
        }
        handled += 1;
    }
    assert!(handled >= 7, "only {handled} samples were recognised");
}

#[test]
fn the_real_error_body_becomes_the_apis_own_message() {
    let body = std::fs::read_to_string(
        samples()
            .join("ripestat/ripestat_error_400_country-resource-list_missing_resource_REAL.json"),
    )
    .unwrap();
    match ripestat::parse::<AsnNeighbours>(&body) {
        Err(ApiError::Api(m)) => assert!(m.contains("resource"), "{m}"),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[test]
fn bgplay_2017_fields_arrive_typed() {
    let body =
        std::fs::read_to_string(samples().join("ripestat/ripestat_2017_bgplay_REAL_dataonly.json"))
            .unwrap();
    let b = ripestat::parse::<Bgplay>(&body).unwrap().data;
    assert_eq!(b.start, UtcTime::parse("2017-07-20T21:15:45").unwrap());
    assert_eq!(b.targets.len(), 1);
    assert_eq!(b.targets[0].prefix.to_string(), "140.78.0.0/16");
    assert_eq!(b.sources.len(), b.initial_state.len());
    assert!(b
        .initial_state
        .iter()
        .all(|r| r.path.asns.last() == Some(&Asn(1205))));
    let withdrawals = b.events.iter().filter(|e| e.attrs.path.is_none()).count();
    assert!(withdrawals >= 1);
}

#[test]
fn ioda_series_keep_their_nulls_and_their_spacing() {
    let body = std::fs::read_to_string(
        samples().join("ioda/ioda_v2_wayseer_signals_raw_asn_9500_bgp_REAL_trimmed.json"),
    )
    .unwrap();
    let s = &ioda::parse_signals(&body).unwrap().data[0];
    assert_eq!(
        (s.entity_code.as_str(), s.datasource.as_str(), s.spacing()),
        ("9500", "bgp", 1800)
    );
    assert_eq!(s.values, vec![Some(3349.0); 4]);
    // upstream-delay values are arrays of objects: accepted, kept as "no number".
    let body = std::fs::read_to_string(
        samples().join("ioda/ioda_v2_signals_raw_asn1299_upstream-delay-penult-asns_REAL.json"),
    )
    .unwrap();
    let r = ioda::parse_signals(&body).unwrap().data;
    assert_eq!(r[0].datasource, "upstream-delay-penult-asns");
    assert!(!r[0].values.is_empty() && r[0].points().count() == 0);
}

#[test]
fn replaying_the_2017_bgplay_agrees_with_ripestats_visibility_at_the_dump_time() {
    let read = |f: &str| std::fs::read_to_string(samples().join("ripestat").join(f)).unwrap();
    let b = ripestat::parse::<Bgplay>(&read("ripestat_2017_bgplay_REAL_dataonly.json"))
        .unwrap()
        .data;
    let v = ripestat::parse::<Visibility>(&read("ripestat_2017_visibility_REAL_dataonly.json"))
        .unwrap()
        .data;
    assert_eq!(v.query_time, UtcTime::parse("2017-07-22T16:00Z").unwrap());
    let input = Input::from_bgplay(&b);
    let check = crosscheck::check_visibility(&input, "140.78.0.0/16".parse().unwrap(), &v).unwrap();
    assert_eq!(check.full_table_total(), 158);
    assert_eq!(check.not_seeing_total(), 0);
    assert_eq!(check.collectors.len(), 18);
    for c in &check.collectors {
        assert!(c.agrees(), "{c:?}");
        assert!(c.replay_holding >= c.full_table, "{c:?}");
    }
    assert!(check.agrees());
    assert_eq!(
        crosscheck::sentence(&check),
        "140.78.0.0/16 at 2017-07-22 16:00 UTC: RIPEstat sees it from 158 of 158 full-table \
         peers; the replay agrees"
    );
    // The check has teeth: a peer RIPEstat says does not see the prefix, yet holding it in the
    // replay, is a disagreement.
    let mut v2 = v.clone();
    let holder = input
        .source_ids
        .iter()
        .find(|id| id.starts_with("00-"))
        .unwrap();
    v2.visibilities[0]
        .ipv4_full_table_peers_not_seeing
        .push(ripestat::PeerNotSeeing {
            ip: holder.trim_start_matches("00-").to_string(),
        });
    assert!(
        !crosscheck::check_visibility(&input, "140.78.0.0/16".parse().unwrap(), &v2)
            .unwrap()
            .agrees()
    );
}

#[test]
fn chunked_replay_equals_whole_replay_for_any_cuts() {
    use outage_lens::analysis::{chunks, full_table_peers, replay};
    let body =
        std::fs::read_to_string(samples().join("ripestat/ripestat_2017_bgplay_REAL_dataonly.json"))
            .unwrap();
    let whole = ripestat::parse::<Bgplay>(&body).unwrap().data;
    let replay_of = |b: &Bgplay| {
        let input = Input::from_bgplay(b);
        let peers = full_table_peers(&input, None, None);
        replay(&input, &peers, whole.start.floor_to(300), whole.end, 300)
    };
    let expected = replay_of(&whole);
    let span = whole.end.secs() - whole.start.secs();
    // A small deterministic generator of cut sets (xorshift), including cuts on update times.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..60 {
        let n = 1 + (next() % 6) as usize;
        let cuts: Vec<UtcTime> = (0..n)
            .map(|i| {
                if (round + i) % 3 == 0 {
                    whole.events[(next() as usize) % whole.events.len()].timestamp
                } else {
                    whole.start.plus((next() % span as u64) as i64)
                }
            })
            .collect();
        let parts = chunks::split(&whole, &cuts);
        assert!(parts.len() >= 2 || cuts.iter().all(|c| *c <= whole.start || *c >= whole.end));
        let stitched = chunks::stitch(&parts).unwrap();
        assert_eq!(
            stitched.events.len(),
            whole.events.len(),
            "consistent chunks need no fixes"
        );
        assert_eq!(replay_of(&stitched), expected, "cuts {cuts:?}");
    }
}

#[test]
fn a_chunk_that_disagrees_is_reconciled_not_ignored() {
    use outage_lens::analysis::chunks;
    let body =
        std::fs::read_to_string(samples().join("ripestat/ripestat_2017_bgplay_REAL_dataonly.json"))
            .unwrap();
    let whole = ripestat::parse::<Bgplay>(&body).unwrap().data;
    let cut = whole.start.plus(86_400);
    let mut parts = chunks::split(&whole, &[cut]);
    // The second chunk's initial state lacks a route the first chunk's updates left in place.
    let dropped = parts[1].initial_state.remove(0);
    let stitched = chunks::stitch(&parts).unwrap();
    let fix = stitched.events.iter().find(|e| {
        e.timestamp == cut && e.attrs.source_id == dropped.source_id && e.attrs.path.is_none()
    });
    assert!(
        fix.is_some(),
        "a withdrawal at the chunk start brings the replay in line"
    );
}
