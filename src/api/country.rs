//! RIPEstat `country-resource-list`: the ASNs registered to a country (registration data, not
//! routing), and the rule that turns them into bgplay requests within RIPEstat's limits.

use serde::Deserialize;

use super::lenient;
use crate::model::Asn;

/// `data` of `country-resource-list`. ASNs come as strings (`"8978"`); an entry that is not an
/// AS number is skipped and counted, never an error for the whole list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CountryResources {
    #[serde(default, deserialize_with = "lenient::opt_time")]
    pub query_time: Option<crate::model::UtcTime>,
    pub resources: Resources,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "WireResources")]
pub struct Resources {
    /// Sorted, without duplicates.
    pub asns: Vec<Asn>,
    /// Entries of `asn` that were not AS numbers.
    pub skipped: usize,
    /// IPv4 entries listed (prefixes or ranges): shown as context only.
    pub ipv4_count: usize,
}

#[derive(Deserialize)]
struct WireResources {
    #[serde(default)]
    asn: Vec<WireAsn>,
    #[serde(default)]
    ipv4: Vec<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum WireAsn {
    Asn(#[serde(deserialize_with = "lenient::asn")] Asn),
    Other(serde::de::IgnoredAny),
}

impl From<WireResources> for Resources {
    fn from(w: WireResources) -> Resources {
        let mut asns = Vec::with_capacity(w.asn.len());
        let mut skipped = 0;
        for a in w.asn {
            match a {
                WireAsn::Asn(a) => asns.push(a),
                WireAsn::Other(_) => skipped += 1,
            }
        }
        asns.sort_unstable();
        asns.dedup();
        Resources {
            asns,
            skipped,
            ipv4_count: w.ipv4.len(),
        }
    }
}

/// ASNs named in one bgplay request (its `resource` is a comma list): few enough that each
/// answer stays a reasonable size, many enough that a country needs few requests.
pub const ASNS_PER_REQUEST: usize = 4;
/// bgplay requests one view may make for a country (batches × time chunks). Beyond it the
/// view keeps the first ASNs in the registry's (numeric) order and says how many it left out.
pub const MAX_BGPLAY_REQUESTS: usize = 48;

/// Which ASNs a country view replays, in batches of one request each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryPlan {
    pub batches: Vec<Vec<Asn>>,
    /// ASNs of the country not replayed because of the request cap.
    pub left_out: usize,
}

impl CountryPlan {
    pub fn kept(&self) -> usize {
        self.batches.iter().map(Vec::len).sum()
    }
}

/// Batches `asns` by [`ASNS_PER_REQUEST`], keeping at most as many batches as fit in
/// [`MAX_BGPLAY_REQUESTS`] when each batch is fetched in `chunks` time chunks (at least one
/// batch, so a country always shows something).
pub fn plan(asns: &[Asn], chunks: usize) -> CountryPlan {
    let max_batches = (MAX_BGPLAY_REQUESTS / chunks.max(1)).max(1);
    let keep = asns.len().min(max_batches * ASNS_PER_REQUEST);
    CountryPlan {
        batches: asns
            .get(..keep)
            .unwrap_or(asns)
            .chunks(ASNS_PER_REQUEST)
            .map(<[Asn]>::to_vec)
            .collect(),
        left_out: asns.len() - keep,
    }
}

/// The `resource` of a bgplay request for a batch: `AS1,AS2,...`.
pub fn resource(batch: &[Asn]) -> String {
    let names: Vec<String> = batch.iter().map(Asn::to_string).collect();
    names.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ripestat::parse;
    use crate::api::ApiError;

    #[test]
    fn asns_arrive_typed_sorted_and_bad_entries_are_counted() {
        let body = r#"{"status":"ok","messages":[],"data":{"query_time":"2026-10-05T00:00:00",
            "resources":{"asn":["8978","61160",199499,"AS202865","x<y>","8978"],"ipv4":["1.2.3.0/24"]}}}"#;
        let r = parse::<CountryResources>(body).unwrap().data;
        assert_eq!(
            r.resources.asns,
            vec![Asn(8978), Asn(61160), Asn(199499), Asn(202865)]
        );
        assert_eq!((r.resources.skipped, r.resources.ipv4_count), (1, 1));
    }

    #[test]
    fn a_country_without_networks_is_an_empty_list_and_errors_stay_errors() {
        let body = r#"{"status":"ok","data":{"resources":{"asn":[],"ipv4":[],"ipv6":[]}}}"#;
        assert!(parse::<CountryResources>(body)
            .unwrap()
            .data
            .resources
            .asns
            .is_empty());
        let err = r#"{"status":"error","messages":[["error","The parameter 'resource' is required."]],"data":{}}"#;
        assert!(matches!(
            parse::<CountryResources>(err),
            Err(ApiError::Api(_))
        ));
    }

    #[test]
    fn batches_follow_the_rule_and_the_cap_is_stated() {
        let asns: Vec<Asn> = (1..=10).map(Asn).collect();
        let p = plan(&asns, 1);
        assert_eq!(p.batches.len(), 3);
        assert_eq!(p.batches[2], vec![Asn(9), Asn(10)]);
        assert_eq!((p.kept(), p.left_out), (10, 0));
        // Hundreds of ASNs: never more than the request cap, the rest counted.
        let many: Vec<Asn> = (1..=700).map(Asn).collect();
        for chunks in [1, 2, 3, 7, 50, 100] {
            let p = plan(&many, chunks);
            assert!(p.batches.len() * chunks <= MAX_BGPLAY_REQUESTS.max(chunks));
            assert!(!p.batches.is_empty());
            assert!(p.batches.iter().all(|b| b.len() <= ASNS_PER_REQUEST));
            assert_eq!(p.kept() + p.left_out, 700);
            assert_eq!(p.batches[0][0], Asn(1), "the first ASNs are kept");
        }
        assert_eq!(
            plan(&many, 1).kept(),
            MAX_BGPLAY_REQUESTS * ASNS_PER_REQUEST
        );
        assert_eq!(
            plan(&[], 3),
            CountryPlan {
                batches: vec![],
                left_out: 0
            }
        );
    }

    #[test]
    fn resource_is_a_comma_list() {
        assert_eq!(resource(&[Asn(1), Asn(64496)]), "AS1,AS64496");
    }
}
