//! The URLs of every call, built from typed values only. RIPEstat calls carry `sourceapp`, the
//! heavy ones `data_overload_limit=ignore` (browser requests carry a Referer, which triggers
//! RIPEstat's soft overload check). Times go as Unix seconds: both APIs accept them.

use super::config::{Config, SOURCEAPP};
use crate::model::{Asn, Entity, UtcTime};

fn ripestat(cfg: &Config, call: &str, params: &[(&str, String)], heavy: bool) -> String {
    let mut url = format!("{}/data/{call}/data.json?", cfg.ripestat_base);
    for (k, v) in params {
        url.push_str(k);
        url.push('=');
        url.push_str(&encode(v));
        url.push('&');
    }
    if heavy {
        url.push_str("data_overload_limit=ignore&");
    }
    url.push_str("sourceapp=");
    url.push_str(SOURCEAPP);
    url
}

pub fn bgplay(cfg: &Config, asn: Asn, start: UtcTime, end: UtcTime) -> String {
    bgplay_of(cfg, &asn.to_string(), start, end)
}

/// bgplay of a `resource`: one ASN, or a comma list of them (a country's batch).
pub fn bgplay_of(cfg: &Config, resource: &str, start: UtcTime, end: UtcTime) -> String {
    let params = [
        ("resource", resource.to_string()),
        ("starttime", start.secs().to_string()),
        ("endtime", end.secs().to_string()),
        ("unix_timestamps", "TRUE".to_string()),
    ];
    ripestat(cfg, "bgplay", &params, true)
}

pub fn ris_peer_count(cfg: &Config, start: UtcTime, end: UtcTime) -> String {
    let params = [
        ("starttime", start.secs().to_string()),
        ("endtime", end.secs().to_string()),
    ];
    ripestat(cfg, "ris-peer-count", &params, false)
}

pub fn ris_peers(cfg: &Config, at: UtcTime) -> String {
    ripestat(
        cfg,
        "ris-peers",
        &[("query_time", at.secs().to_string())],
        false,
    )
}

pub fn asn_neighbours(cfg: &Config, asn: Asn, at: UtcTime) -> String {
    ripestat(
        cfg,
        "asn-neighbours",
        &[
            ("resource", asn.to_string()),
            ("query_time", at.secs().to_string()),
        ],
        false,
    )
}

/// The ASNs registered to a country at `at` (RIPEstat truncates it to midnight).
pub fn country_resource_list(cfg: &Config, country: &str, at: UtcTime) -> String {
    ripestat(
        cfg,
        "country-resource-list",
        &[
            ("resource", country.to_string()),
            ("time", at.secs().to_string()),
        ],
        false,
    )
}

/// RIPEstat's own visibility of a prefix at a RIB dump time (00/08/16 UTC).
pub fn visibility(cfg: &Config, prefix: &str, at: UtcTime) -> String {
    ripestat(
        cfg,
        "visibility",
        &[
            ("resource", prefix.to_string()),
            ("query_time", at.secs().to_string()),
        ],
        false,
    )
}

pub fn ioda_signals(cfg: &Config, entity: &Entity, from: UtcTime, until: UtcTime) -> String {
    let (kind, code) = entity.ioda_path();
    format!(
        "{}/signals/raw/{kind}/{}?from={}&until={}",
        cfg.ioda_base,
        encode(&code),
        from.secs(),
        until.secs()
    )
}

pub fn ioda_events(cfg: &Config, entity: &Entity, from: UtcTime, until: UtcTime) -> String {
    let (kind, code) = entity.ioda_path();
    format!(
        "{}/outages/events?entityType={kind}&entityCode={}&from={}&until={}&format=ioda",
        cfg.ioda_base,
        encode(&code),
        from.secs(),
        until.secs()
    )
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ripestat_calls_carry_sourceapp_and_heavy_ones_the_overload_flag() {
        let cfg = Config::default();
        let url = bgplay(
            &cfg,
            Asn(131279),
            UtcTime(1_749_168_000),
            UtcTime(1_749_297_600),
        );
        assert_eq!(
            url,
            "https://stat.ripe.net/data/bgplay/data.json?resource=AS131279&starttime=1749168000&endtime=1749297600&unix_timestamps=TRUE&data_overload_limit=ignore&sourceapp=outage-lens"
        );
        let n = asn_neighbours(&cfg, Asn(131279), UtcTime(0));
        assert!(n.ends_with("&sourceapp=outage-lens") && !n.contains("overload"));
    }

    #[test]
    fn a_country_batch_is_one_comma_list_resource() {
        let cfg = Config::default();
        let url = bgplay_of(&cfg, "AS1,AS2", UtcTime(10), UtcTime(20));
        assert!(
            url.contains("resource=AS1%2CAS2&starttime=10&endtime=20"),
            "{url}"
        );
        let list = country_resource_list(&cfg, "KP", UtcTime(5));
        assert!(list.contains("/data/country-resource-list/data.json?resource=KP&time=5&"));
    }

    #[test]
    fn ioda_paths_follow_the_entity() {
        let cfg = Config::default();
        let kp = Entity::Country(crate::model::CountryCode::parse("KP").unwrap());
        assert_eq!(
            ioda_events(&cfg, &kp, UtcTime(1), UtcTime(2)),
            "https://api.ioda.inetintel.cc.gatech.edu/v2/outages/events?entityType=country&entityCode=KP&from=1&until=2&format=ioda"
        );
        let asn = ioda_signals(&cfg, &Entity::Asn(Asn(131279)), UtcTime(1), UtcTime(2));
        assert!(asn.ends_with("/v2/signals/raw/asn/131279?from=1&until=2"));
        assert!(!asn.contains("sourceapp"));
    }

    #[test]
    fn encoding_keeps_markup_out_of_urls() {
        assert_eq!(encode("a b/<x>"), "a%20b%2F%3Cx%3E");
    }
}
