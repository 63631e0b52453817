//! RIPEstat Data API: the envelope and the calls the app uses. Parsers accept the full envelope
//! and bare `data` objects (older recordings), ISO or Unix times, ASNs as ints or strings.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::error::{malformed, ApiError};
use super::lenient::{self, WirePath};
use crate::model::{Asn, Prefix, UtcTime};

/// An `info`/`warning` line from `messages`, worth showing next to the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub level: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    pub data: T,
    pub notes: Vec<Note>,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    status: Option<String>,
    #[serde(default, borrow)]
    messages: Option<&'a RawValue>,
    #[serde(default, borrow)]
    data: Option<&'a RawValue>,
}

/// `messages` is a list of `[level, text]`; anything else in it is skipped, never an error.
#[derive(Deserialize)]
#[serde(untagged)]
enum WireMessage {
    Pair(String, String),
    Other(serde::de::IgnoredAny),
}

fn notes(raw: Option<&RawValue>) -> Vec<Note> {
    let Some(raw) = raw else { return Vec::new() };
    let list: Vec<WireMessage> = serde_json::from_str(raw.get()).unwrap_or_default();
    list.into_iter()
        .filter_map(|m| match m {
            WireMessage::Pair(level, text) => Some(Note { level, text }),
            WireMessage::Other(_) => None,
        })
        .collect()
}

/// Parses any RIPEstat answer into `T`, turning the error envelope into a typed error.
pub fn parse<T: DeserializeOwned>(body: &str) -> Result<Response<T>, ApiError> {
    let env: Envelope = serde_json::from_str(body).map_err(malformed)?;
    let notes = notes(env.messages);
    let first_error = || {
        notes
            .iter()
            .find(|n| n.level == "error")
            .or(notes.first())
            .map(|n| n.text.clone())
    };
    match env.status.as_deref() {
        Some("ok") | None => {}
        Some("maintenance") => {
            return Err(ApiError::Maintenance(
                first_error().unwrap_or_else(|| "try again later".into()),
            ))
        }
        Some(other) => {
            return Err(ApiError::Api(
                first_error().unwrap_or_else(|| format!("status “{other}”")),
            ))
        }
    }
    let data = match (env.status.is_some(), env.data) {
        (_, Some(d)) => d.get(),
        // A recording of `data` alone, without the envelope.
        (false, None) => body,
        (true, None) => return Err(ApiError::Empty),
    };
    let trimmed = data.trim();
    if trimmed == "{}" || trimmed == "null" {
        return Err(ApiError::Empty);
    }
    let data = serde_json::from_str(data).map_err(malformed)?;
    Ok(Response { data, notes })
}

// ---- bgplay ----

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Bgplay {
    #[serde(rename = "query_starttime", deserialize_with = "lenient::time")]
    pub start: UtcTime,
    #[serde(rename = "query_endtime", deserialize_with = "lenient::time")]
    pub end: UtcTime,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub nodes: Vec<Node>,
    #[serde(default)]
    pub initial_state: Vec<Route>,
    #[serde(default)]
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Source {
    pub id: String,
    #[serde(default)]
    pub rrc: String,
    #[serde(default)]
    pub ip: String,
    #[serde(deserialize_with = "lenient::asn")]
    pub as_number: Asn,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Target {
    #[serde(deserialize_with = "lenient::prefix")]
    pub prefix: Prefix,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Node {
    #[serde(deserialize_with = "lenient::asn")]
    pub as_number: Asn,
    #[serde(default)]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Route {
    pub source_id: String,
    #[serde(rename = "target_prefix", deserialize_with = "lenient::prefix")]
    pub prefix: Prefix,
    #[serde(default)]
    pub path: WirePath,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum EventKind {
    #[serde(rename = "A")]
    Announce,
    #[serde(rename = "W")]
    Withdraw,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Event {
    #[serde(deserialize_with = "lenient::time")]
    pub timestamp: UtcTime,
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub attrs: EventAttrs,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EventAttrs {
    pub source_id: String,
    #[serde(rename = "target_prefix", deserialize_with = "lenient::prefix")]
    pub prefix: Prefix,
    #[serde(default)]
    pub path: Option<WirePath>,
}

// ---- ris-peer-count ----

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RisPeerCount {
    pub peer_count: PeerCountByFamily,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub v4_full_prefix_threshold: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PeerCountByFamily {
    pub v4: PeerCounts,
    #[serde(default)]
    pub v6: Option<PeerCounts>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PeerCounts {
    #[serde(default)]
    pub full_feed: Vec<CountAt>,
    #[serde(default)]
    pub total: Vec<CountAt>,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct CountAt {
    #[serde(deserialize_with = "lenient::time")]
    pub timestamp: UtcTime,
    pub count: u32,
}

// ---- ris-peers ----

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RisPeers {
    /// Keyed by collector name, e.g. "rrc18".
    pub peers: std::collections::BTreeMap<String, Vec<RisPeer>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RisPeer {
    #[serde(deserialize_with = "lenient::asn")]
    pub asn: Asn,
    pub ip: String,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub v4_prefix_count: Option<f64>,
}

impl RisPeers {
    /// `(bgplay source id, peer)`: bgplay names a peer `<collector number>-<ip>`.
    pub fn by_source_id(&self) -> impl Iterator<Item = (String, &RisPeer)> {
        self.peers.iter().flat_map(|(collector, list)| {
            let rrc = collector.trim_start_matches("rrc").to_string();
            list.iter().map(move |p| (format!("{rrc}-{}", p.ip), p))
        })
    }
}

// ---- asn-neighbours ----

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AsnNeighbours {
    #[serde(default)]
    pub neighbours: Vec<Neighbour>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Neighbour {
    #[serde(deserialize_with = "lenient::asn")]
    pub asn: Asn,
    /// "left" (upstream side), "right" or "uncertain"; older versions call it `position`.
    #[serde(rename = "type", alias = "position", default)]
    pub side: String,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub power: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub v4_peers: Option<f64>,
}

// ---- visibility ----

/// RIPEstat's own visibility at a RIB dump time (00/08/16 UTC), per collector.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Visibility {
    #[serde(deserialize_with = "lenient::time")]
    pub query_time: UtcTime,
    #[serde(default)]
    pub visibilities: Vec<CollectorVisibility>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CollectorVisibility {
    pub probe: Probe,
    #[serde(default)]
    pub ipv4_full_table_peer_count: u32,
    #[serde(default)]
    pub ipv4_full_table_peers_not_seeing: Vec<PeerNotSeeing>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Probe {
    /// "RRC00".
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PeerNotSeeing {
    #[serde(default)]
    pub ip: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_envelope_becomes_the_apis_own_message() {
        let body = r#"{"status":"error","status_code":400,"messages":[["error","The parameter 'resource' is required."]],"data":{}}"#;
        let err = parse::<AsnNeighbours>(body).unwrap_err();
        assert_eq!(
            err,
            ApiError::Api("The parameter 'resource' is required.".into())
        );
        let maint = r#"{"status":"maintenance","messages":[["info","back at 10:00"]],"data":{}}"#;
        assert_eq!(
            parse::<AsnNeighbours>(maint).unwrap_err(),
            ApiError::Maintenance("back at 10:00".into())
        );
    }

    #[test]
    fn ok_with_empty_data_is_no_data_not_zero() {
        let body = r#"{"status":"ok","messages":[],"data":{}}"#;
        assert_eq!(parse::<AsnNeighbours>(body).unwrap_err(), ApiError::Empty);
    }

    #[test]
    fn truncated_json_is_malformed() {
        let body = r#"{"status":"ok","messages":[],"data":{"neighbours":[{"asn":1"#;
        assert!(matches!(
            parse::<AsnNeighbours>(body),
            Err(ApiError::Malformed(_))
        ));
    }

    #[test]
    fn source_ids_match_bgplay() {
        let body =
            r#"{"peers":{"rrc18":[{"asn":"13041","ip":"193.242.98.38","v4_prefix_count":10}]}}"#;
        let r = parse::<RisPeers>(body).unwrap();
        let ids: Vec<String> = r.data.by_source_id().map(|(id, _)| id).collect();
        assert_eq!(ids, vec!["18-193.242.98.38".to_string()]);
    }
}
