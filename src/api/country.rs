//! RIPEstat `country-resource-list`: the ASNs registered to a country (registration data, not
//! routing), and the rule that turns them into bgplay requests within RIPEstat's limits.

use super::json::{self, FromJson, Kind, Reader};
use super::lenient;
use crate::model::{Asn, UtcTime};

/// `data` of `country-resource-list`. ASNs come as strings (`"8978"`); an entry that is not an
/// AS number is skipped and counted, never an error for the whole list.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryResources {
    pub query_time: Option<UtcTime>,
    pub resources: Resources,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resources {
    /// Sorted, without duplicates.
    pub asns: Vec<Asn>,
    /// Entries of `asn` that were not AS numbers.
    pub skipped: usize,
    /// IPv4 entries listed (prefixes or ranges): shown as context only.
    pub ipv4_count: usize,
}

impl FromJson for CountryResources {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut query_time, mut resources) = (None, None);
        r.object(&mut |r, key| {
            match key {
                "query_time" => query_time = lenient::opt_time(r)?,
                "resources" => resources = Some(Resources::read(r)?),
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(CountryResources {
            query_time,
            resources: json::required(resources, at, "missing resources")?,
        })
    }
}

impl FromJson for Resources {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let mut res = Resources {
            asns: Vec::new(),
            skipped: 0,
            ipv4_count: 0,
        };
        r.object(&mut |r, key| match key {
            "asn" | "ipv4" if r.null()? => Ok(()),
            "asn" => r.array(&mut |r| {
                // An entry that is not an AS number is counted, not fatal.
                let asn = match r.kind()? {
                    Kind::Number | Kind::String => lenient::asn(r).ok(),
                    _ => r.skip().map(|_| None)?,
                };
                match asn {
                    Some(a) => res.asns.push(a),
                    None => res.skipped += 1,
                }
                Ok(())
            }),
            "ipv4" => r.array(&mut |r| {
                res.ipv4_count += 1;
                r.skip()
            }),
            _ => r.skip(),
        })?;
        crate::analysis::order::sort(&mut res.asns);
        res.asns.dedup();
        Ok(res)
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
        let nulls = r#"{"status":"ok","data":{"resources":{"asn":null,"ipv4":["1.0.0.0/8"]}}}"#;
        let r = parse::<CountryResources>(nulls).unwrap().data.resources;
        assert_eq!((r.asns.len(), r.ipv4_count), (0, 1));
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
