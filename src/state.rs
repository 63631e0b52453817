//! The URL is the view: `?asn=131279&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z&at=…`.
//! Parsing never fails: bad or unknown parameters fall back to a sane view and are reported.

use crate::model::{Asn, CountryCode, Entity, UtcTime};

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
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

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
