//! `xz-country`: a SYNTHETIC country of several networks, so that a country view really
//! replays the union of many ASNs. Its code, XZ, is a user-assigned ISO 3166 code (no real
//! country has it); its networks use the documentation ASNs of RFC 5398 (64496-64511) and
//! the benchmarking block 198.18.0.0/15 (RFC 2544), so no real network is implied. Every
//! member is a variant of kp-2025-06 with its own seed and prefixes, seen by the same RIS
//! peers; two members in three lose both upstream links at kp-2025-06's times, the others
//! stay up, so the country drops to a third of its /24s.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde_json::{json, Value};

use crate::config::{kp_2025_06, ScenarioConfig};
use crate::{bgp, ioda, peers, ripestat, time, truth};

pub const NAME: &str = "xz-country";
/// A user-assigned ISO 3166-1 code: never a real country.
pub const CODE: &str = "XZ";
pub const MEMBERS: u32 = 9;
pub const FIRST_ASN: u32 = 64_496;

/// Member `i` stays up when this holds; the others lose both links.
pub fn stays_up(i: u32) -> bool {
    i % 3 == 2
}

fn base() -> ScenarioConfig {
    let mut c = kp_2025_06();
    c.name = NAME.into();
    c.description = format!(
        "SYNTHETIC country {CODE} of {MEMBERS} networks (AS{FIRST_ASN}-AS{}), two /24s each \
         in 198.18.0.0/15; on 2025-06-06 ~17:30 UTC two networks in three lose both upstream \
         links for about nine hours, the others stay up",
        FIRST_ASN + MEMBERS - 1
    );
    c.seed = 20_250_699;
    c.view = format!("/?country={CODE}&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z");
    c.entity.country_code = CODE.into();
    c.entity.country_name = "Synthetic country XZ".into();
    c.entity.country_signals_fqid = format!("geo.provider.AS.{CODE}");
    c.entity.country_events_fqid = format!("geo.netacuity.AS.{CODE}");
    c.entity.origin_prepend.clear();
    c
}

/// The member networks: kp-2025-06 with another origin, seed and prefixes.
pub fn members() -> Vec<ScenarioConfig> {
    (0..MEMBERS)
        .map(|i| {
            let mut c = base();
            c.seed = base().seed + u64::from(i) + 1;
            c.entity.asn = FIRST_ASN + i;
            c.entity.ioda_name = format!("AS{} (SYNTHETIC-{CODE}-{i})", c.entity.asn);
            c.entity.prefixes = vec![
                format!("198.18.{}.0/24", 2 * i),
                format!("198.18.{}.0/24", 2 * i + 1),
            ];
            if stays_up(i) {
                for u in &mut c.upstreams {
                    u.outages.clear();
                }
            }
            c
        })
        .collect()
}

/// Writes the country: every member's bgplay, the country's resource list, the shared RIS
/// peer answers, and IODA's country signals and events from the union of the members.
pub fn write_to(dir: &Path) -> io::Result<Vec<String>> {
    let country = {
        let mut c = base();
        c.entity.prefixes = members()
            .into_iter()
            .flat_map(|m| m.entity.prefixes)
            .collect();
        c
    };
    let peers = peers::build(&country);
    let mut paths = Vec::new();
    let mut visible: Vec<u32> = Vec::new();
    let mut truths = Vec::new();
    for m in members() {
        let rec = bgp::simulate(&m, &peers);
        let t = truth::measure(&m, &peers, &rec);
        truths.push(json!({
            "asn": m.entity.asn,
            "prefixes": m.entity.prefixes,
            "all_withdrawn": t.all_withdrawn,
            "all_restored": t.all_restored,
        }));
        let rel = format!("ripestat/bgplay/AS{}.json", m.entity.asn);
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut w = BufWriter::new(fs::File::create(&path)?);
        ripestat::write_bgplay(&mut w, &m, &peers, &rec).map_err(io::Error::other)?;
        w.flush()?;
        paths.push(rel);
        let v = ioda::visible_slash24s(&m, &peers, &rec);
        visible.resize(visible.len().max(v.len()), 0);
        for (sum, x) in visible.iter_mut().zip(v) {
            *sum += x;
        }
    }
    let ent = ioda::entities(&country)[1].clone();
    let s = ioda::series(&country, &ent, &visible);
    let files = vec![
        (
            format!("ripestat/country-resource-list/{CODE}.json"),
            resource_list(&country),
        ),
        (
            "ripestat/ris-peer-count/_default.json".to_string(),
            ripestat::ris_peer_count(&country, &peers),
        ),
        (
            "ripestat/ris-peers/_default.json".to_string(),
            ripestat::ris_peers(&country, &peers),
        ),
        (
            format!("ioda/signals/raw/country/{CODE}.json"),
            ioda::signals(&country, &ent, &s),
        ),
        (
            format!("ioda/outages/events/country/{CODE}.json"),
            ioda::events(&country, &ent, &s),
        ),
    ];
    for (rel, v) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, serde_json::to_vec(v).map_err(io::Error::other)?)?;
        paths.push(rel.clone());
    }
    let manifest = json!({
        "synthetic": true,
        "notice": "Every file of this scenario is SYNTHETIC: generated by code from fixed \
                   seeds, not recorded from RIPEstat or IODA. XZ is not a real country.",
        "name": NAME,
        "description": country.description,
        "seed": country.seed,
        "view": country.view,
        // Per member, what happened in its files (Unix seconds; null: never withdrawn).
        "members": truths,
        "files": paths,
    });
    fs::write(
        dir.join("scenario.json"),
        serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?,
    )?;
    fs::write(
        dir.join("README.txt"),
        format!(
            "SYNTHETIC DATA - NOT RECORDED\n\nScenario {NAME}: {}.\nXZ is a user-assigned \
             code, not a country; the ASNs are documentation ASNs (RFC 5398).\n\nRegenerate: \
             cargo run -p outage-lens-scenario --bin gen-scenario -- {NAME} OUTDIR\n",
            country.description
        ),
    )?;
    Ok(paths)
}

/// country-resource-list in the real envelope, labelled synthetic in `messages`.
fn resource_list(country: &ScenarioConfig) -> Value {
    let asns: Vec<String> = members().iter().map(|m| m.entity.asn.to_string()).collect();
    json!({
        "build_version": "synthetic",
        "cached": false,
        "data": {
            "query_time": time::iso(country.window_start - country.window_start.rem_euclid(86_400)),
            "resources": {"asn": asns, "ipv4": country.entity.prefixes, "ipv6": []},
        },
        "data_call_name": "country-resource-list",
        "data_call_status": "supported",
        "messages": [["info", ripestat::synthetic_label(country)]],
        "see_also": [],
        "status": "ok",
        "status_code": 200,
        "time": time::iso(country.recorded_at),
        "version": "0.2",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_distinct_documentation_networks_and_some_stay_up() {
        let m = members();
        assert_eq!(m.len() as u32, MEMBERS);
        let asns: std::collections::BTreeSet<u32> = m.iter().map(|c| c.entity.asn).collect();
        assert_eq!(asns.len() as u32, MEMBERS);
        assert!(asns.iter().all(|a| (64_496..=64_511).contains(a)));
        let up = m
            .iter()
            .filter(|c| c.upstreams.iter().all(|u| u.outages.is_empty()));
        assert_eq!(up.count(), 3);
        assert!(m.iter().all(|c| c.entity.prefixes.len() == 2));
        assert_eq!(
            resource_list(&base())["data"]["resources"]["asn"][0],
            "64496"
        );
    }
}
