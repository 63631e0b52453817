//! The URL is the view: `?asn=131279&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z&at=…`.
//! Parsing never fails: bad or unknown parameters fall back to a sane view and are reported.

use crate::model::{push_lossy, Asn, CountryCode, Entity, Prefix, UtcTime};

/// IODA refuses windows of 100 days or more in one query.
pub const MAX_RANGE_SECS: i64 = 100 * UtcTime::DAY - 1;
/// RIS data starts in 1999; nothing earlier can be shown.
pub const EARLIEST: UtcTime = UtcTime(915_148_800); // 1999-01-01T00:00Z

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewState {
    pub entity: Entity,
    pub from: UtcTime,
    pub until: UtcTime,
    /// The selected moment (graph, cursor); None = the default moment.
    pub at: Option<UtcTime>,
    /// The charts' time axis when zoomed in, inside `[from, until]`.
    pub zoom: Option<(UtcTime, UtcTime)>,
    /// Series switched off in the legends (`hide=bgp,AS20485`).
    pub hidden: Hidden,
    /// Each series drawn as a share of its own maximum in view (`norm=1`).
    pub norm: bool,
    /// The highlighted prefix or upstream link (`sel=175.45.176.0/24`, `sel=link:AS20485`).
    pub sel: Option<Selection>,
}

/// Series the legends can hide that are not upstream links (those are named by their ASN).
pub const NAMED_SERIES: [&str; 4] = ["visible", "bgp", "ping-slash24", "merit-nt"];
/// Upstream links that can be hidden at once: the analysis splits out at most 8.
pub const MAX_HIDDEN_LINKS: usize = 8;

/// The hidden series: a bit per named series and a short sorted list of upstream ASNs, so the
/// view stays `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hidden {
    named: u8,
    links: [Option<Asn>; MAX_HIDDEN_LINKS],
}

impl Hidden {
    /// `id` is a name of `NAMED_SERIES` or an upstream's ASN (`AS4837`).
    pub fn contains(&self, id: &str) -> bool {
        match series_id(id) {
            Ok(Ok(bit)) => self.named & bit != 0,
            Ok(Err(asn)) => self.links.contains(&Some(asn)),
            Err(_) => false,
        }
    }

    /// Shows a hidden series or hides a shown one.
    pub fn toggle(&mut self, id: &str) -> Result<(), String> {
        match series_id(id)? {
            Ok(bit) => self.named ^= bit,
            Err(asn) => {
                let mut links: Vec<Asn> = self.links.iter().flatten().copied().collect();
                match links.iter().position(|a| *a == asn) {
                    Some(i) => {
                        links.remove(i);
                    }
                    None if links.len() < MAX_HIDDEN_LINKS => links.push(asn),
                    None => {
                        return Err(format!(
                            "At most {MAX_HIDDEN_LINKS} upstream links can be hidden."
                        ))
                    }
                }
                // The crate's one sort routine: std's would compile a quicksort just for this.
                crate::analysis::order::sort(&mut links);
                self.links = [None; MAX_HIDDEN_LINKS];
                for (slot, a) in self.links.iter_mut().zip(links) {
                    *slot = Some(a);
                }
            }
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        *self == Hidden::default()
    }

    /// `bgp,AS20485`: named series in their order, then ASNs ascending.
    fn to_param(self) -> String {
        let named = NAMED_SERIES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.named & (1 << i) != 0)
            .map(|(_, n)| n.to_string());
        let links = self.links.iter().flatten().map(Asn::to_string);
        named.chain(links).collect::<Vec<_>>().join(",")
    }

    /// Reads `hide=`: every id it understands is kept, each one it does not is a problem.
    fn parse(s: &str, problems: &mut Vec<String>) -> Hidden {
        let mut h = Hidden::default();
        for id in s.split(',').filter(|i| !i.trim().is_empty()) {
            if h.contains(id) {
                continue;
            }
            if let Err(p) = h.toggle(id) {
                problems.push(format!("{p} (hide)"));
            }
        }
        h
    }
}

/// A named series' bit, or an upstream link's ASN.
fn series_id(id: &str) -> Result<Result<u8, Asn>, String> {
    let id = id.trim();
    if let Some(i) = NAMED_SERIES.iter().position(|n| *n == id) {
        return Ok(Ok(1 << i));
    }
    id.parse::<Asn>().map(Err).map_err(|_| {
        format!(
            "“{}” is not a series to hide (expected {} or an AS number).",
            short(id),
            NAMED_SERIES.join(", ")
        )
    })
}

/// What the timeline and the graph highlight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    Prefix(Prefix),
    /// The upstream link through this AS.
    Link(Asn),
}

impl Selection {
    pub fn parse(s: &str) -> Result<Selection, String> {
        match s.strip_prefix("link:") {
            Some(asn) => asn.parse().map(Selection::Link),
            None => s.parse().map(Selection::Prefix),
        }
        .map_err(|_| {
            format!(
                "“{}” is not a selection (expected a prefix like 175.45.176.0/24 or link:AS20485).",
                short(s)
            )
        })
    }
}

impl std::fmt::Display for Selection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Selection::Prefix(p) => write!(f, "{p}"),
            Selection::Link(a) => write!(f, "link:{a}"),
        }
    }
}

/// A zoom narrower than this would show a handful of samples: not worth it.
pub const MIN_ZOOM_SECS: i64 = 30 * 60;

/// The first case and the default view: North Korea's outage of 2025-06-06/07.
pub const NK_OUTAGE: ViewState = ViewState {
    entity: Entity::Asn(Asn(131_279)),
    from: UtcTime(1_749_211_200),  // 2025-06-06T12:00Z
    until: UtcTime(1_749_297_600), // 2025-06-07T12:00Z
    at: None,
    zoom: None,
    hidden: Hidden {
        named: 0,
        links: [None; MAX_HIDDEN_LINKS],
    },
    norm: false,
    sel: None,
};

impl Default for ViewState {
    fn default() -> Self {
        NK_OUTAGE
    }
}

impl ViewState {
    /// The moment the graph shows: the chosen one, clamped into the range, else the middle.
    pub fn moment(&self) -> UtcTime {
        match self.at {
            Some(t) => t.clamp(self.from, self.until),
            None => UtcTime(self.from.secs() + (self.until.secs() - self.from.secs()) / 2),
        }
    }

    /// The time axis of the charts: the zoom, else the whole range.
    pub fn chart_range(&self) -> (UtcTime, UtcTime) {
        self.zoom.unwrap_or((self.from, self.until))
    }

    /// A zoom clamped into the range, or None when too narrow to be useful.
    pub fn clamp_zoom(&self, a: UtcTime, b: UtcTime) -> Option<(UtcTime, UtcTime)> {
        let (a, b) = (a.min(b).max(self.from), a.max(b).min(self.until));
        if b.secs() - a.secs() < MIN_ZOOM_SECS.min(self.until.secs() - self.from.secs()) {
            return None;
        }
        (a > self.from || b < self.until).then_some((a, b))
    }

    pub fn to_query(&self) -> String {
        let entity = match self.entity {
            Entity::Asn(a) => format!("asn={}", a.0),
            Entity::Country(c) => format!("country={c}"),
        };
        let mut q = format!(
            "?{entity}&from={}&until={}",
            self.from.to_url(),
            self.until.to_url()
        );
        if let Some(at) = self.at {
            q.push_str("&at=");
            q.push_str(&at.to_url());
        }
        if let Some((a, b)) = self.zoom {
            q.push_str(&format!("&zoom={}/{}", a.to_url(), b.to_url()));
        }
        if !self.hidden.is_empty() {
            q.push_str("&hide=");
            q.push_str(&self.hidden.to_param());
        }
        if self.norm {
            q.push_str("&norm=1");
        }
        if let Some(sel) = self.sel {
            q.push_str(&format!("&sel={sel}"));
        }
        q
    }

    /// Reads a query string (with or without `?`). Every problem is returned as a sentence.
    pub fn from_query(query: &str, now: UtcTime) -> (ViewState, Vec<String>) {
        let mut problems = Vec::new();
        let mut view = NK_OUTAGE;
        let (mut from, mut until, mut at, mut zoom) = (None, None, None, None);
        for (key, value) in pairs(query.trim_start_matches('?')) {
            let parsed = match key.as_str() {
                "asn" => value.parse::<Asn>().map(|a| view.entity = Entity::Asn(a)),
                "country" => CountryCode::parse(&value).map(|c| view.entity = Entity::Country(c)),
                "from" => UtcTime::parse(&value).map(|t| from = Some(t)),
                "until" => UtcTime::parse(&value).map(|t| until = Some(t)),
                "at" => UtcTime::parse(&value).map(|t| at = Some(t)),
                "zoom" => parse_interval(&value).map(|z| zoom = Some(z)),
                "hide" => {
                    view.hidden = Hidden::parse(&value, &mut problems);
                    Ok(())
                }
                "norm" => match value.as_str() {
                    "1" | "0" => {
                        view.norm = value == "1";
                        Ok(())
                    }
                    _ => Err(format!("“{}” is not 0 or 1 (norm).", short(&value))),
                },
                "sel" => Selection::parse(&value).map(|s| view.sel = Some(s)),
                "" => Ok(()),
                other => Err(format!(
                    "The parameter “{}” is not known and was ignored.",
                    short(other)
                )),
            };
            if let Err(p) = parsed {
                problems.push(p);
            }
        }
        match (from, until) {
            (Some(f), Some(u)) => match check_range(f, u, now) {
                Ok(()) => {
                    view.from = f;
                    view.until = u;
                }
                Err(p) => problems.push(format!("{p} Showing the default range instead.")),
            },
            (None, None) => {}
            _ => problems
                .push("Both “from” and “until” are needed; showing the default range.".into()),
        }
        view.at = at.map(|t| t.clamp(view.from, view.until));
        if let Some((a, b)) = zoom {
            view.zoom = view.clamp_zoom(a, b);
            if view.zoom.is_none() {
                problems
                    .push("The zoom was outside the range or too narrow, and was ignored.".into());
            }
        }
        (view, problems)
    }
}

/// Why a range cannot be shown, in plain words; `now` bounds it on the right.
pub fn check_range(from: UtcTime, until: UtcTime, now: UtcTime) -> Result<(), String> {
    if from >= until {
        return Err(format!(
            "The start ({from}) must be before the end ({until})."
        ));
    }
    if until.secs() - from.secs() > MAX_RANGE_SECS {
        return Err("The range must be shorter than 100 days (IODA's limit for one query).".into());
    }
    if from < EARLIEST {
        return Err(format!(
            "The start must be on or after {EARLIEST}: RIS data begins in 1999."
        ));
    }
    if from > now {
        return Err(format!("The start ({from}) is in the future."));
    }
    Ok(())
}

/// `2025-06-06T16:00Z/2025-06-06T20:00Z` (an ISO 8601 interval).
fn parse_interval(s: &str) -> Result<(UtcTime, UtcTime), String> {
    let (a, b) = s
        .split_once('/')
        .ok_or_else(|| format!("“{}” is not a zoom (expected start/end)", short(s)))?;
    Ok((UtcTime::parse(a)?, UtcTime::parse(b)?))
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

/// `application/x-www-form-urlencoded` pairs; bad escapes are kept literally, never a panic.
fn pairs(q: &str) -> impl Iterator<Item = (String, String)> + '_ {
    q.split('&').filter(|p| !p.is_empty()).map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (decode(k), decode(v))
    })
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = b
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    lossy(&out)
}

/// The bytes as text, each invalid sequence as one U+FFFD, as `String::from_utf8_lossy`.
fn lossy(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    if !push_lossy(&mut out, bytes).is_empty() {
        out.push('\u{FFFD}');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lossy_text_is_std_lossy_text() {
        let cases: [&[u8]; 7] = [
            b"plain",
            b"",
            b"a\xffb",
            b"\xe2\x82",
            b"x\xe2\x82y\xf0\x9f\x98\x80z",
            b"\xed\xa0\x80\xc0\xaf",
            "é→😀".as_bytes(),
        ];
        for b in cases {
            assert_eq!(lossy(b), String::from_utf8_lossy(b), "{b:?}");
        }
    }

    const NOW: UtcTime = UtcTime(1_795_000_000); // 2026-11

    #[test]
    fn every_parameter_round_trips() {
        let kp = CountryCode::parse("KP").unwrap();
        for view in [
            NK_OUTAGE,
            ViewState {
                at: Some(UtcTime(1_749_232_800)),
                ..NK_OUTAGE
            },
            ViewState {
                zoom: Some((UtcTime(1_749_225_600), UtcTime(1_749_240_000))),
                entity: Entity::Country(kp),
                at: Some(UtcTime(1_749_232_807)),
                ..NK_OUTAGE
            },
        ] {
            let (back, problems) = ViewState::from_query(&view.to_query(), NOW);
            assert_eq!(back, view);
            assert!(problems.is_empty(), "{problems:?}");
        }
        assert_eq!(
            NK_OUTAGE.to_query(),
            "?asn=131279&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z"
        );
    }

    #[test]
    fn accepts_the_documented_example_and_encoded_forms() {
        let (v, p) = ViewState::from_query(
            "asn=AS131279&from=2025-06-06T12%3A00Z&until=2025-06-07T12:00:00Z",
            NOW,
        );
        assert_eq!(v, NK_OUTAGE);
        assert!(p.is_empty());
    }

    #[test]
    fn bad_input_gives_a_sane_view_and_plain_reasons() {
        let (v, p) = ViewState::from_query(
            "asn=<script>&from=2025-06-07T12:00Z&until=2025-06-06T12:00Z&tab=%ZZ",
            NOW,
        );
        assert_eq!(v, NK_OUTAGE);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p.iter().any(|m| m.contains("must be before")));
        assert!(p.iter().any(|m| m.contains("“tab”")));
        let (_, p) = ViewState::from_query("from=2025-01-01T00:00Z&until=2025-06-01T00:00Z", NOW);
        assert!(p.iter().any(|m| m.contains("100 days")));
        let (_, p) = ViewState::from_query("from=2030-01-01T00:00Z&until=2030-01-02T00:00Z", NOW);
        assert!(p.iter().any(|m| m.contains("future")));
    }

    #[test]
    fn zoom_is_kept_inside_the_range_and_refused_when_useless() {
        let (v, p) = ViewState::from_query(
            &format!(
                "{}&zoom=2025-06-06T16:00Z/2025-06-06T20:00Z",
                NK_OUTAGE.to_query()
            ),
            NOW,
        );
        assert_eq!(
            v.zoom,
            Some((UtcTime(1_749_225_600), UtcTime(1_749_240_000)))
        );
        assert_eq!(
            v.chart_range(),
            (UtcTime(1_749_225_600), UtcTime(1_749_240_000))
        );
        assert!(p.is_empty());
        // Partly outside: clamped to the range.
        let (v, _) = ViewState::from_query(
            &format!(
                "{}&zoom=2025-06-01T00:00Z/2025-06-06T20:00Z",
                NK_OUTAGE.to_query()
            ),
            NOW,
        );
        assert_eq!(v.zoom, Some((NK_OUTAGE.from, UtcTime(1_749_240_000))));
        for bad in [
            "2025-06-06T16:00Z/2025-06-06T16:10Z",
            "2024-01-01T00:00Z/2024-01-02T00:00Z",
            "nonsense",
        ] {
            let (v, p) =
                ViewState::from_query(&format!("{}&zoom={bad}", NK_OUTAGE.to_query()), NOW);
            assert_eq!(v.zoom, None, "{bad}");
            assert_eq!(p.len(), 1, "{bad}: {p:?}");
        }
        assert_eq!(
            NK_OUTAGE.clamp_zoom(NK_OUTAGE.from, NK_OUTAGE.until),
            None,
            "the whole range is no zoom"
        );
    }

    fn hidden(ids: &[&str]) -> Hidden {
        let mut h = Hidden::default();
        for id in ids {
            h.toggle(id).unwrap();
        }
        h
    }

    #[test]
    fn toggles_normalised_and_selection_round_trip() {
        let p: Prefix = "175.45.176.0/24".parse().unwrap();
        let v6: Prefix = "2001:db8::/32".parse().unwrap();
        for view in [
            ViewState {
                hidden: hidden(&["bgp", "AS20485"]),
                ..NK_OUTAGE
            },
            ViewState {
                hidden: hidden(&["merit-nt", "visible", "ping-slash24", "bgp", "AS1", "AS7"]),
                norm: true,
                sel: Some(Selection::Prefix(p)),
                ..NK_OUTAGE
            },
            ViewState {
                norm: true,
                sel: Some(Selection::Link(Asn(20485))),
                at: Some(UtcTime(1_749_232_800)),
                ..NK_OUTAGE
            },
            ViewState {
                sel: Some(Selection::Prefix(v6)),
                ..NK_OUTAGE
            },
        ] {
            let q = view.to_query();
            let (back, problems) = ViewState::from_query(&q, NOW);
            assert_eq!(back, view, "{q}");
            assert!(problems.is_empty(), "{q}: {problems:?}");
        }
        let q = ViewState {
            hidden: hidden(&["AS20485", "bgp", "AS4837"]),
            norm: true,
            sel: Some(Selection::Link(Asn(20485))),
            ..NK_OUTAGE
        }
        .to_query();
        assert!(
            q.ends_with("&hide=bgp,AS4837,AS20485&norm=1&sel=link:AS20485"),
            "{q}"
        );
        // Equivalent spellings read the same; norm=0 is the default.
        let (v, problems) =
            ViewState::from_query("hide=as20485,bgp,,bgp&norm=0&sel=link%3A20485", NOW);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(v.hidden, hidden(&["bgp", "AS20485"]));
        assert!(!v.norm);
        assert_eq!(v.sel, Some(Selection::Link(Asn(20485))));
        // Host bits are cleared: the selection names the prefix.
        let (v, _) = ViewState::from_query("sel=175.45.176.9/24", NOW);
        assert_eq!(v.sel, Some(Selection::Prefix(p)));
    }

    #[test]
    fn hostile_toggles_and_selections_are_reported_and_ignored() {
        let long = "x".repeat(5000);
        let (v, p) = ViewState::from_query(
            &format!("hide=<script>,bgp,{long}&norm=yes&sel=link:<b>&sel=999.1.1.1/24"),
            NOW,
        );
        assert_eq!(v.hidden, hidden(&["bgp"]), "what was understood is kept");
        assert!(!v.norm);
        assert_eq!(v.sel, None);
        assert_eq!(p.len(), 5, "{p:?}");
        assert!(p.iter().all(|m| m.chars().count() < 200), "{p:?}");
        assert!(p.iter().any(|m| m.contains("“<script>”")));
        // Too many links: the first eight are kept, the rest reported once each.
        let many: Vec<String> = (1..=10).map(|i| format!("AS{i}")).collect();
        let (v, p) = ViewState::from_query(&format!("hide={}", many.join(",")), NOW);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(v.hidden.contains("AS8") && !v.hidden.contains("AS9"));
        for bad in [
            "sel=",
            "sel=link:",
            "sel=1.2.3.4",
            "sel=1.2.3.4/33",
            "norm=",
            "norm=2",
        ] {
            let (v, p) = ViewState::from_query(bad, NOW);
            assert_eq!((v.sel, v.norm), (None, false), "{bad}");
            assert_eq!(p.len(), 1, "{bad}: {p:?}");
        }
    }

    #[test]
    fn toggling_twice_shows_again() {
        let mut h = Hidden::default();
        for id in ["visible", "AS4837"] {
            assert!(!h.contains(id));
            h.toggle(id).unwrap();
            assert!(h.contains(id));
            h.toggle(id).unwrap();
            assert!(!h.contains(id));
        }
        assert!(h.is_empty());
        assert!(h.toggle("nonsense").is_err());
        assert!(!h.contains("nonsense"));
    }

    #[test]
    fn the_moment_stays_inside_the_range() {
        let (v, _) = ViewState::from_query(
            "asn=1&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z&at=2020-01-01T00:00Z",
            NOW,
        );
        assert_eq!(v.at, Some(NK_OUTAGE.from));
        assert_eq!(NK_OUTAGE.moment(), UtcTime(1_749_254_400));
    }
}

/// What the user typed in the entity box: `AS131279`, `131279` or a country code like `KP`.
pub fn parse_entity(s: &str) -> Result<Entity, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(
            "Enter an AS number (e.g. AS131279) or a two-letter country code (e.g. KP).".into(),
        );
    }
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        return CountryCode::parse(t).map(Entity::Country);
    }
    t.parse::<Asn>().map(Entity::Asn)
}

pub fn entity_input(e: &Entity) -> String {
    match e {
        Entity::Asn(a) => a.to_string(),
        Entity::Country(c) => c.to_string(),
    }
}

#[cfg(test)]
mod entity_tests {
    use super::*;

    #[test]
    fn the_entity_box_accepts_asns_and_countries() {
        assert_eq!(parse_entity("AS131279"), Ok(Entity::Asn(Asn(131279))));
        assert_eq!(parse_entity(" 4837 "), Ok(Entity::Asn(Asn(4837))));
        assert_eq!(
            parse_entity("kp").map(|e| entity_input(&e)),
            Ok("KP".to_string())
        );
        assert!(parse_entity("").is_err());
        // Two letters are a country: "AS" is American Samoa, not an unfinished ASN.
        assert_eq!(
            parse_entity("AS").map(|e| entity_input(&e)),
            Ok("AS".to_string())
        );
        assert!(parse_entity("ASX").is_err());
        assert!(parse_entity("K P").is_err());
    }
}
