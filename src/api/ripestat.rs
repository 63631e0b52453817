//! RIPEstat Data API: the envelope and the calls the app uses. Parsers accept the full envelope
//! and bare `data` objects (older recordings), ISO or Unix times, ASNs as ints or strings.

use std::convert::Infallible;

use super::error::{malformed, ApiError};
use super::json::{self, opt_string, required, string_or_empty, u32_, FromJson, Kind, Reader};
use super::lenient::{self, WirePath};
use crate::analysis::pace::{tick, unpaced, Growing, Pace, Unpaced};
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

/// `messages` is a list of `[level, text]`; anything else in it is skipped, never an error.
fn notes(r: &mut Reader<'_>) -> json::Result<Vec<Note>> {
    let mut out = Vec::new();
    if r.kind()? != Kind::Array {
        r.skip()?;
        return Ok(out);
    }
    r.array(&mut |r| {
        if r.kind()? != Kind::Array {
            return r.skip();
        }
        let mut parts: Vec<Option<String>> = Vec::with_capacity(2);
        r.array(&mut |r| {
            if r.kind()? == Kind::String {
                parts.push(Some(r.string()?.into_owned()));
                Ok(())
            } else {
                parts.push(None);
                r.skip()
            }
        })?;
        if let [Some(level), Some(text)] = parts.as_mut_slice() {
            out.push(Note {
                level: std::mem::take(level),
                text: std::mem::take(text),
            });
        }
        Ok(())
    })?;
    Ok(out)
}

/// Parses any RIPEstat answer into `T`, turning the error envelope into a typed error.
pub fn parse<T: FromJson>(body: &str) -> Result<Response<T>, ApiError> {
    let mut data = None;
    let notes = envelope(body, &mut |r| {
        data = Some(T::read(r)?);
        Ok(())
    })?;
    Ok(Response {
        data: data.ok_or(ApiError::Empty)?,
        notes,
    })
}

/// `parse`'s envelope, its `data` read by `read` (which keeps it): not generic, so it is
/// compiled once for all the calls.
fn envelope(
    body: &str,
    read: &mut dyn FnMut(&mut Reader<'_>) -> json::Result<()>,
) -> Result<Vec<Note>, ApiError> {
    let mut status: Option<String> = None;
    let mut notes_read = Vec::new();
    let mut data = None;
    let mut r = Reader::new(body);
    r.object(&mut |r, key| {
        match key {
            "status" => status = opt_string(r)?,
            "messages" => notes_read = notes(r)?,
            "data" => data = Some(r.value_and_text_with(read)?),
            _ => r.skip()?,
        }
        Ok(())
    })
    .and_then(|_| r.finish())
    .map_err(malformed)?;
    judge(body, status, notes_read, data, read)
}

/// What an envelope says, once read: the API's error, no data, or the data (read by `read`
/// from the whole body when it is a bare `data`).
fn judge(
    body: &str,
    status: Option<String>,
    notes: Vec<Note>,
    data: Option<(&str, json::Result<()>)>,
    read: &mut dyn FnMut(&mut Reader<'_>) -> json::Result<()>,
) -> Result<Vec<Note>, ApiError> {
    let first_error = || {
        notes
            .iter()
            .find(|n| n.level == "error")
            .or(notes.first())
            .map(|n| n.text.clone())
    };
    match status.as_deref() {
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
    let (text, typed) = match (status.is_some(), data) {
        (_, Some(d)) => d,
        // A recording of `data` alone, without the envelope.
        (false, None) => {
            let mut r = Reader::new(body);
            (body, read(&mut r).and_then(|()| r.finish()))
        }
        (true, None) => return Err(ApiError::Empty),
    };
    let trimmed = text.trim();
    if trimmed == "null" || is_empty_object(trimmed) {
        return Err(ApiError::Empty);
    }
    typed.map_err(malformed)?;
    Ok(notes)
}

/// Why a paced parse ended early: the pace gave up, or the text is not the JSON expected.
enum Halt<S> {
    Stop(S),
    Json(json::JsonError),
}

impl<S> From<json::JsonError> for Halt<S> {
    fn from(e: json::JsonError) -> Self {
        Halt::Json(e)
    }
}

/// `parse::<Bgplay>`, pausing between routes and updates as `pace` asks: a large entity's
/// answer runs to hundreds of megabytes. Same result as `parse` (tests/paced.rs).
pub async fn parse_bgplay_paced<P: Pace>(
    body: &str,
    pace: &mut P,
) -> Result<Result<Response<Bgplay>, ApiError>, P::Stop> {
    let mut r = Reader::new(body);
    let mut status: Option<String> = None;
    let mut notes_read = Vec::new();
    let mut data = None;
    let mut typed = None;
    let walk: Result<(), Halt<P::Stop>> = async {
        let mut members = r.members()?;
        while let Some(key) = members.next_key(&mut r)? {
            match &*key {
                "status" => status = opt_string(&mut r)?,
                "messages" => notes_read = notes(&mut r)?,
                // Whatever its kind: a value that is not an object fails at once, as `parse`
                // would, with no second (unpaced) copy of the reader in the wasm.
                "data" => {
                    r.kind()?;
                    let start = r.position();
                    let b = match bgplay_paced(&mut r, pace).await {
                        Ok(b) => Ok(b),
                        Err(Halt::Stop(s)) => return Err(Halt::Stop(s)),
                        // As `value_and_text_with`: keep the error, skip the value (still JSON).
                        Err(Halt::Json(e)) => {
                            r.rewind(start);
                            r.skip()?;
                            Err(e)
                        }
                    };
                    let b = b.map(|b| typed = Some(b));
                    data = Some((body.get(start..r.position()).unwrap_or_default(), b));
                }
                _ => r.skip()?,
            }
        }
        r.finish()?;
        Ok(())
    }
    .await;
    if let Err(e) = walk {
        return match e {
            Halt::Stop(s) => Err(s),
            Halt::Json(e) => Ok(Err(malformed(e))),
        };
    }
    if status.is_none() && data.is_none() {
        // A recording of `data` alone, without the envelope: read here, paced, rather than by
        // `judge` (which would need `Bgplay::read`).
        let mut r = Reader::new(body);
        let read = match bgplay_paced(&mut r, pace).await {
            Ok(b) => {
                typed = Some(b);
                r.finish()
            }
            Err(Halt::Stop(s)) => return Err(s),
            Err(Halt::Json(e)) => Err(e),
        };
        data = Some((body, read));
    }
    Ok(
        judge(body, status, notes_read, data, &mut |_| Ok(())).and_then(|notes| {
            Ok(Response {
                data: typed.ok_or(ApiError::Empty)?,
                notes,
            })
        }),
    )
}

/// bgplay's `data`, with a pause check after every route and update.
async fn bgplay_paced<P: Pace>(r: &mut Reader<'_>, pace: &mut P) -> Result<Bgplay, Halt<P::Stop>> {
    let at = r.position();
    let mut count = 0;
    let (mut start, mut end) = (None, None);
    let mut b = Bgplay::empty();
    let (mut initial_state, mut events) = (Growing::default(), Growing::default());
    let mut members = r.members()?;
    while let Some(key) = members.next_key(r)? {
        match &*key {
            "query_starttime" => start = Some(lenient::time(r)?),
            "query_endtime" => end = Some(lenient::time(r)?),
            "sources" => b.sources = FromJson::read(r)?,
            "targets" => b.targets = FromJson::read(r)?,
            "nodes" => b.nodes = FromJson::read(r)?,
            "initial_state" if !r.null()? => {
                let mut items = r.items()?;
                while items.next(r)? {
                    initial_state.push(Route::read(r)?);
                    tick!(pace, count, map Halt::Stop);
                }
            }
            "events" if !r.null()? => {
                let mut items = r.items()?;
                while items.next(r)? {
                    events.push(Event::read(r)?);
                    tick!(pace, count, map Halt::Stop);
                }
            }
            "initial_state" | "events" => {}
            _ => r.skip()?,
        }
    }
    b.start = required(start, at, "missing query_starttime")?;
    b.end = required(end, at, "missing query_endtime")?;
    b.initial_state = initial_state.into_vec(pace).await.map_err(Halt::Stop)?;
    b.events = events.into_vec(pace).await.map_err(Halt::Stop)?;
    Ok(b)
}

fn is_empty_object(text: &str) -> bool {
    text.strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .is_some_and(|inner| inner.trim().is_empty())
}

/// Reads the members of an object through `member`, which returns `false` for keys it skips.
fn members(
    r: &mut Reader<'_>,
    member: &mut dyn FnMut(&mut Reader<'_>, &str) -> json::Result<bool>,
) -> json::Result<()> {
    r.object(&mut |r, key| {
        if !member(r, key)? {
            r.skip()?;
        }
        Ok(())
    })
}

// ---- bgplay ----

#[derive(Debug, Clone, PartialEq)]
pub struct Bgplay {
    pub start: UtcTime,
    pub end: UtcTime,
    pub sources: Vec<Source>,
    pub targets: Vec<Target>,
    pub nodes: Vec<Node>,
    pub initial_state: Vec<Route>,
    pub events: Vec<Event>,
}

impl Bgplay {
    pub(crate) fn empty() -> Bgplay {
        Bgplay {
            start: UtcTime(0),
            end: UtcTime(0),
            sources: Vec::new(),
            targets: Vec::new(),
            nodes: Vec::new(),
            initial_state: Vec::new(),
            events: Vec::new(),
        }
    }
}

impl FromJson for Bgplay {
    /// The paced reader, run to its end: one reader of bgplay's members for both uses.
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let read = unpaced(async { Ok::<_, Infallible>(bgplay_paced(r, &mut Unpaced).await) });
        match read {
            Ok(b) => Ok(b),
            Err(Halt::Json(e)) => Err(e),
            Err(Halt::Stop(never)) => match never {},
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: String,
    pub rrc: String,
    pub ip: String,
    pub as_number: Asn,
}

impl FromJson for Source {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut id, mut rrc, mut ip, mut asn) = (None, String::new(), String::new(), None);
        members(r, &mut |r, key| {
            match key {
                "id" => id = Some(r.string()?.into_owned()),
                "rrc" => rrc = string_or_empty(r)?,
                "ip" => ip = string_or_empty(r)?,
                "as_number" => asn = Some(lenient::asn(r)?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(Source {
            id: required(id, at, "missing source id")?,
            rrc,
            ip,
            as_number: required(asn, at, "missing as_number")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub prefix: Prefix,
}

impl FromJson for Target {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let mut prefix = None;
        members(r, &mut |r, key| {
            if key != "prefix" {
                return Ok(false);
            }
            prefix = Some(lenient::prefix(r)?);
            Ok(true)
        })?;
        Ok(Target {
            prefix: required(prefix, at, "missing prefix")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub as_number: Asn,
    pub owner: Option<String>,
}

impl FromJson for Node {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut asn, mut owner) = (None, None);
        members(r, &mut |r, key| {
            match key {
                "as_number" => asn = Some(lenient::asn(r)?),
                "owner" => owner = opt_string(r)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(Node {
            as_number: required(asn, at, "missing as_number")?,
            owner,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub source_id: String,
    pub prefix: Prefix,
    pub path: WirePath,
}

impl FromJson for Route {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut source_id, mut prefix, mut path) = (None, None, WirePath::default());
        // The cursor, not `members`' callback: routes and updates are the hot loop.
        let mut m = r.members()?;
        while let Some(key) = m.next_key(r)? {
            match &*key {
                "source_id" => source_id = Some(r.string()?.into_owned()),
                "target_prefix" => prefix = Some(lenient::prefix(r)?),
                "path" => path = lenient::path(r)?,
                _ => r.skip()?,
            }
        }
        Ok(Route {
            source_id: required(source_id, at, "missing source_id")?,
            prefix: required(prefix, at, "missing target_prefix")?,
            path,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Announce,
    Withdraw,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub timestamp: UtcTime,
    pub kind: EventKind,
    pub attrs: EventAttrs,
}

impl FromJson for Event {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut timestamp, mut kind, mut attrs) = (None, None, None);
        let mut m = r.members()?;
        while let Some(key) = m.next_key(r)? {
            match &*key {
                "timestamp" => timestamp = Some(lenient::time(r)?),
                "type" => {
                    let t_at = r.position();
                    kind = Some(match &*r.string()? {
                        "A" => EventKind::Announce,
                        "W" => EventKind::Withdraw,
                        _ => {
                            return Err(json::JsonError {
                                at: t_at,
                                what: "unknown event type",
                            })
                        }
                    })
                }
                "attrs" => attrs = Some(EventAttrs::read(r)?),
                _ => r.skip()?,
            }
        }
        Ok(Event {
            timestamp: required(timestamp, at, "missing timestamp")?,
            kind: required(kind, at, "missing type")?,
            attrs: required(attrs, at, "missing attrs")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventAttrs {
    pub source_id: String,
    pub prefix: Prefix,
    pub path: Option<WirePath>,
}

impl FromJson for EventAttrs {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut source_id, mut prefix, mut path) = (None, None, None);
        let mut m = r.members()?;
        while let Some(key) = m.next_key(r)? {
            match &*key {
                "source_id" => source_id = Some(r.string()?.into_owned()),
                "target_prefix" => prefix = Some(lenient::prefix(r)?),
                "path" => path = (!r.null()?).then(|| lenient::path(r)).transpose()?,
                _ => r.skip()?,
            }
        }
        Ok(EventAttrs {
            source_id: required(source_id, at, "missing source_id")?,
            prefix: required(prefix, at, "missing target_prefix")?,
            path,
        })
    }
}

// ---- ris-peer-count ----

#[derive(Debug, Clone, PartialEq)]
pub struct RisPeerCount {
    pub peer_count: PeerCountByFamily,
    pub v4_full_prefix_threshold: Option<f64>,
}

impl FromJson for RisPeerCount {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut peer_count, mut threshold) = (None, None);
        members(r, &mut |r, key| {
            match key {
                "peer_count" => peer_count = Some(PeerCountByFamily::read(r)?),
                "v4_full_prefix_threshold" => threshold = lenient::opt_f64(r)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(RisPeerCount {
            peer_count: required(peer_count, at, "missing peer_count")?,
            v4_full_prefix_threshold: threshold,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PeerCountByFamily {
    pub v4: PeerCounts,
    pub v6: Option<PeerCounts>,
}

impl FromJson for PeerCountByFamily {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut v4, mut v6) = (None, None);
        members(r, &mut |r, key| {
            match key {
                "v4" => v4 = Some(PeerCounts::read(r)?),
                "v6" => v6 = (!r.null()?).then(|| PeerCounts::read(r)).transpose()?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(PeerCountByFamily {
            v4: required(v4, at, "missing v4")?,
            v6,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PeerCounts {
    pub full_feed: Vec<CountAt>,
    pub total: Vec<CountAt>,
}

impl FromJson for PeerCounts {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let mut c = PeerCounts {
            full_feed: Vec::new(),
            total: Vec::new(),
        };
        members(r, &mut |r, key| {
            match key {
                "full_feed" => c.full_feed = FromJson::read(r)?,
                "total" => c.total = FromJson::read(r)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(c)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CountAt {
    pub timestamp: UtcTime,
    pub count: u32,
}

impl FromJson for CountAt {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut timestamp, mut count) = (None, None);
        members(r, &mut |r, key| {
            match key {
                "timestamp" => timestamp = Some(lenient::time(r)?),
                "count" => count = Some(u32_(r)?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(CountAt {
            timestamp: required(timestamp, at, "missing timestamp")?,
            count: required(count, at, "missing count")?,
        })
    }
}

// ---- ris-peers ----

#[derive(Debug, Clone, PartialEq)]
pub struct RisPeers {
    /// Each collector's peers, by collector name (e.g. "rrc18"), in the answer's order; a
    /// name repeated replaces the earlier list, as a map would. Not a `BTreeMap`: the app's
    /// only other B-trees went too, and with them their code.
    pub peers: Vec<(String, Vec<RisPeer>)>,
}

impl FromJson for RisPeers {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let mut peers = None;
        members(r, &mut |r, key| {
            if key != "peers" {
                return Ok(false);
            }
            let mut map: Vec<(String, Vec<RisPeer>)> = Vec::new();
            r.object(&mut |r, collector| {
                let list = FromJson::read(r)?;
                match map.iter_mut().find(|(c, _)| c == collector) {
                    Some((_, l)) => *l = list,
                    None => map.push((collector.to_string(), list)),
                }
                Ok(())
            })?;
            peers = Some(map);
            Ok(true)
        })?;
        Ok(RisPeers {
            peers: required(peers, at, "missing peers")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RisPeer {
    pub asn: Asn,
    pub ip: String,
    pub v4_prefix_count: Option<f64>,
}

impl FromJson for RisPeer {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut asn, mut ip, mut count) = (None, None, None);
        members(r, &mut |r, key| {
            match key {
                "asn" => asn = Some(lenient::asn(r)?),
                "ip" => ip = Some(r.string()?.into_owned()),
                "v4_prefix_count" => count = lenient::opt_f64(r)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(RisPeer {
            asn: required(asn, at, "missing asn")?,
            ip: required(ip, at, "missing ip")?,
            v4_prefix_count: count,
        })
    }
}

/// A collector's number as bgplay's source ids write it: `rrc18` → `18`. Every leading `rrc`
/// off, as `trim_start_matches("rrc")` would, but without the standard library's substring
/// search, which would be in the wasm for this alone (with two other such calls, ~1 KB).
pub fn collector_number(mut name: &str) -> &str {
    while let Some(rest) = name.strip_prefix("rrc") {
        name = rest;
    }
    name
}

impl RisPeers {
    /// `(bgplay source id, peer)`: bgplay names a peer `<collector number>-<ip>`.
    pub fn by_source_id(&self) -> impl Iterator<Item = (String, &RisPeer)> {
        self.peers.iter().flat_map(|(collector, list)| {
            let rrc = collector_number(collector).to_string();
            list.iter().map(move |p| (format!("{rrc}-{}", p.ip), p))
        })
    }
}

// ---- asn-neighbours ----

#[derive(Debug, Clone, PartialEq)]
pub struct AsnNeighbours {
    pub neighbours: Vec<Neighbour>,
}

impl FromJson for AsnNeighbours {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let mut neighbours = Vec::new();
        members(r, &mut |r, key| {
            if key != "neighbours" {
                return Ok(false);
            }
            neighbours = FromJson::read(r)?;
            Ok(true)
        })?;
        Ok(AsnNeighbours { neighbours })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Neighbour {
    pub asn: Asn,
    /// "left" (upstream side), "right" or "uncertain"; older versions call it `position`.
    pub side: String,
    pub power: Option<f64>,
    pub v4_peers: Option<f64>,
}

impl FromJson for Neighbour {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let mut asn = None;
        let mut n = Neighbour {
            asn: Asn(0),
            side: String::new(),
            power: None,
            v4_peers: None,
        };
        members(r, &mut |r, key| {
            match key {
                "asn" => asn = Some(lenient::asn(r)?),
                "type" | "position" => n.side = string_or_empty(r)?,
                "power" => n.power = lenient::opt_f64(r)?,
                "v4_peers" => n.v4_peers = lenient::opt_f64(r)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        n.asn = required(asn, at, "missing asn")?;
        Ok(n)
    }
}

// ---- visibility ----

/// RIPEstat's own visibility at a RIB dump time (00/08/16 UTC), per collector.
#[derive(Debug, Clone, PartialEq)]
pub struct Visibility {
    pub query_time: UtcTime,
    pub visibilities: Vec<CollectorVisibility>,
}

impl FromJson for Visibility {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut query_time, mut visibilities) = (None, Vec::new());
        members(r, &mut |r, key| {
            match key {
                "query_time" => query_time = Some(lenient::time(r)?),
                "visibilities" => visibilities = FromJson::read(r)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(Visibility {
            query_time: required(query_time, at, "missing query_time")?,
            visibilities,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CollectorVisibility {
    pub probe: Probe,
    pub ipv4_full_table_peer_count: u32,
    pub ipv4_full_table_peers_not_seeing: Vec<PeerNotSeeing>,
}

impl FromJson for CollectorVisibility {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut probe, mut count, mut not_seeing) = (None, 0, Vec::new());
        members(r, &mut |r, key| {
            match key {
                "probe" => probe = Some(Probe::read(r)?),
                "ipv4_full_table_peer_count" => count = u32_(r)?,
                "ipv4_full_table_peers_not_seeing" => not_seeing = FromJson::read(r)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(CollectorVisibility {
            probe: required(probe, at, "missing probe")?,
            ipv4_full_table_peer_count: count,
            ipv4_full_table_peers_not_seeing: not_seeing,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// "RRC00".
    pub name: String,
}

impl FromJson for Probe {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let mut name = None;
        members(r, &mut |r, key| {
            if key != "name" {
                return Ok(false);
            }
            name = Some(r.string()?.into_owned());
            Ok(true)
        })?;
        Ok(Probe {
            name: required(name, at, "missing probe name")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PeerNotSeeing {
    pub ip: String,
}

impl FromJson for PeerNotSeeing {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let mut ip = String::new();
        members(r, &mut |r, key| {
            if key != "ip" {
                return Ok(false);
            }
            ip = string_or_empty(r)?;
            Ok(true)
        })?;
        Ok(PeerNotSeeing { ip })
    }
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
    fn a_collector_number_is_its_name_without_rrc() {
        for name in [
            "rrc18", "rrc00", "rrcrrc7", "18", "", "RRC18", "xrrc1", "rrc",
        ] {
            assert_eq!(
                collector_number(name),
                name.trim_start_matches("rrc"),
                "{name}"
            );
        }
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
