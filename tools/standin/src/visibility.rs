//! RIPEstat `visibility` when no recording exists for the prefix: derived from the
//! stand-in's own files (the bgplay answer holding the prefix, replayed to `query_time`,
//! and the full-table peers of `ris-peers` by ris-peer-count's threshold), per collector,
//! in the real shape. It is labelled as derived in `messages`. The app's cross-check then
//! compares its chunked, merged replay with this independent one.

use serde_json::{json, Value};
use std::collections::BTreeMap;

use crate::bgplay;

/// The answer, or None when no bgplay file names the prefix.
pub fn derive(
    bgplay_files: &[&Value],
    ris_peers: &Value,
    threshold: Option<f64>,
    prefix: &str,
    at: i64,
) -> Option<Value> {
    let has = |f: &&&Value| {
        let d = f.get("data").unwrap_or(f);
        d.get("targets").and_then(Value::as_array).is_some_and(|t| {
            t.iter()
                .any(|x| x.get("prefix").and_then(Value::as_str) == Some(prefix))
        })
    };
    let file = bgplay_files.iter().find(has)?;
    // Held at `at`: the state after every update stamped at or before it.
    let holders = bgplay::holders_at(file, prefix, at);
    let threshold = threshold.unwrap_or(0.0);
    let peers = ris_peers
        .get("data")
        .unwrap_or(ris_peers)
        .get("peers")?
        .as_object()?;
    let mut visibilities = Vec::new();
    let collectors: BTreeMap<&String, &Value> = peers.iter().collect();
    for (name, list) in collectors {
        let rrc = name.trim_start_matches("rrc");
        let full: Vec<&Value> = list
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| {
                p.get("v4_prefix_count")
                    .and_then(Value::as_f64)
                    .unwrap_or(0.0)
                    >= threshold
            })
            .collect();
        let not_seeing: Vec<Value> = full
            .iter()
            .filter_map(|p| {
                let ip = p.get("ip")?.as_str()?;
                (!holders.contains(format!("{rrc}-{ip}").as_str())).then(|| {
                    json!({"asn": p.get("asn"), "ip": ip, "prefix_count": p.get("v4_prefix_count")})
                })
            })
            .collect();
        visibilities.push(json!({
            "probe": {"name": name.to_ascii_uppercase()},
            "ipv4_full_table_peer_count": full.len(),
            "ipv4_full_table_peers_not_seeing": not_seeing,
            "ipv6_full_table_peer_count": 0,
            "ipv6_full_table_peers_not_seeing": [],
        }));
    }
    Some(json!({
        "status": "ok",
        "status_code": 200,
        "data_call_name": "visibility",
        "messages": [["info", "SYNTHETIC: derived by the API stand-in from its bgplay and ris-peers files, not recorded from RIPEstat"]],
        "data": {
            "query_time": at,
            "resource": prefix,
            "visibilities": visibilities,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peers_not_holding_the_prefix_at_the_time_are_listed_per_collector() {
        let bg = json!({"data": {
            "query_starttime": 0, "query_endtime": 1000,
            "targets": [{"prefix": "10.0.0.0/24"}],
            "initial_state": [
                {"source_id": "00-1.1.1.1", "target_prefix": "10.0.0.0/24", "path": [1, 9]},
                {"source_id": "01-2.2.2.2", "target_prefix": "10.0.0.0/24", "path": [2, 9]}],
            "events": [{"timestamp": 500, "type": "W",
                        "attrs": {"source_id": "00-1.1.1.1", "target_prefix": "10.0.0.0/24"}}]}});
        let peers = json!({"data": {"peers": {
            "rrc00": [{"asn": "1", "ip": "1.1.1.1", "v4_prefix_count": 900},
                      {"asn": "5", "ip": "5.5.5.5", "v4_prefix_count": 10}],
            "rrc01": [{"asn": "2", "ip": "2.2.2.2", "v4_prefix_count": 950}]}}});
        let at = |t| derive(&[&bg], &peers, Some(750.0), "10.0.0.0/24", t).unwrap();
        let before = at(499);
        let v = &before["data"]["visibilities"];
        assert_eq!(v[0]["probe"]["name"], "RRC00");
        assert_eq!(
            v[0]["ipv4_full_table_peer_count"], 1,
            "the partial peer is not counted"
        );
        assert_eq!(v[0]["ipv4_full_table_peers_not_seeing"], json!([]));
        let after = at(500);
        let gone = &after["data"]["visibilities"][0]["ipv4_full_table_peers_not_seeing"];
        assert_eq!(
            gone[0]["ip"], "1.1.1.1",
            "withdrawn at 500: not seeing at 500"
        );
        assert_eq!(
            after["data"]["visibilities"][1]["ipv4_full_table_peers_not_seeing"],
            json!([])
        );
        assert!(derive(&[&bg], &peers, None, "10.9.9.0/24", 1).is_none());
    }
}
