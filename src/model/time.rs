use std::fmt;

use super::asn::shorten;

/// A UTC instant with one-second resolution (Unix seconds). All times in the app are UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct UtcTime(pub i64);

/// Range accepted for instants: years 1970..=9999 keep the civil-date arithmetic exact.
const MIN_SECS: i64 = 0;
const MAX_SECS: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z

impl UtcTime {
    pub const MINUTE: i64 = 60;
    pub const HOUR: i64 = 3600;
    pub const DAY: i64 = 86_400;

    pub fn secs(self) -> i64 {
        self.0
    }

    pub fn plus(self, secs: i64) -> UtcTime {
        UtcTime(self.0.saturating_add(secs))
    }

    /// Rounds down to a multiple of `step` seconds since the epoch.
    pub fn floor_to(self, step: i64) -> UtcTime {
        if step <= 0 {
            return self;
        }
        UtcTime(self.0 - self.0.rem_euclid(step))
    }

    pub fn from_ymd_hms(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<UtcTime> {
        if !(1970..=9999).contains(&y) || !(1..=12).contains(&mo) || h > 23 || mi > 59 || s > 60 {
            return None;
        }
        if d == 0 || d > days_in_month(y, mo) {
            return None;
        }
        let days = days_from_civil(y, mo, d);
        Some(UtcTime(
            days * Self::DAY + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s),
        ))
    }

    /// Parses what users and APIs write: ISO 8601 with or without seconds, fraction, `Z` or
    /// `+00:00` (a missing zone means UTC, as RIPEstat does), a bare date, or Unix seconds.
    pub fn parse(s: &str) -> Result<UtcTime, String> {
        let t = s.trim();
        let bad = || {
            format!(
                "“{}” is not a UTC date-time (expected e.g. 2025-06-06T17:30Z)",
                shorten(s)
            )
        };
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            let v: i64 = t.parse().map_err(|_| bad())?;
            return UtcTime::from_unix(v).ok_or_else(bad);
        }
        parse_iso(t).ok_or_else(bad)
    }

    pub fn from_unix(secs: i64) -> Option<UtcTime> {
        (MIN_SECS..=MAX_SECS)
            .contains(&secs)
            .then_some(UtcTime(secs))
    }

    /// Same as `from_unix` for fractional seconds (IODA and some RIPEstat calls send floats).
    pub fn from_unix_f64(secs: f64) -> Option<UtcTime> {
        if !secs.is_finite() {
            return None;
        }
        let floor = secs.floor();
        if floor < MIN_SECS as f64 || floor > MAX_SECS as f64 {
            return None;
        }
        Some(UtcTime(floor as i64))
    }

    pub fn civil(self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.0.div_euclid(Self::DAY);
        let rem = self.0.rem_euclid(Self::DAY);
        let (y, m, d) = civil_from_days(days);
        (
            y,
            m,
            d,
            (rem / 3600) as u32,
            ((rem % 3600) / 60) as u32,
            (rem % 60) as u32,
        )
    }

    /// `2025-06-06T17:30Z`: the URL form (seconds only when non-zero).
    pub fn to_url(self) -> String {
        let (y, mo, d, h, mi, s) = self.civil();
        if s == 0 {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}Z")
        } else {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        }
    }

    /// `2025-06-06 17:30 UTC`: for people.
    pub fn to_display(self) -> String {
        let (y, mo, d, h, mi, s) = self.civil();
        if s == 0 {
            format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC")
        } else {
            format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC")
        }
    }

    /// `2025-06-06T17:30`: the value of an `<input type="datetime-local">`, read as UTC.
    pub fn to_input(self) -> String {
        let (y, mo, d, h, mi, _) = self.civil();
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}")
    }

    /// `2025-06-04T00:00:00`: RIPEstat's zone-less UTC form for query parameters.
    pub fn to_ripestat(self) -> String {
        let (y, mo, d, h, mi, s) = self.civil();
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
    }
}

impl fmt::Display for UtcTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_display())
    }
}

/// Formats a duration in seconds as `9 h 5 min` / `4 min 10 s`.
pub fn format_duration(secs: i64) -> String {
    let secs = secs.max(0);
    let (d, h, m, s) = (
        secs / 86_400,
        (secs % 86_400) / 3600,
        (secs % 3600) / 60,
        secs % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, _) if s != 0 => format!("{m} min {s} s"),
        (0, 0, _) => format!("{m} min"),
        (0, _, 0) => format!("{h} h"),
        (0, _, _) => format!("{h} h {m} min"),
        _ => format!("{d} d {h} h {m} min"),
    }
}

fn parse_iso(t: &str) -> Option<UtcTime> {
    let b = t.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    if b.len() < 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (y, mo, d) = (i64::from(num(0..4)?), num(5..7)?, num(8..10)?);
    let rest = t.get(10..)?;
    if rest.is_empty() {
        return UtcTime::from_ymd_hms(y, mo, d, 0, 0, 0);
    }
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
    // Zone: Z, +00:00, +0000 or none; only UTC offsets are accepted (all APIs speak UTC).
    let (clock, offset) = split_zone(rest)?;
    let cb = clock.as_bytes();
    let cnum = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = cb.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let h = cnum(0..2)?;
    if cb.get(2) != Some(&b':') {
        return None;
    }
    let mi = cnum(3..5)?;
    let s = match cb.len() {
        5 => 0,
        n if n >= 8 && cb.get(5) == Some(&b':') => {
            let s = cnum(6..8)?;
            if n > 8 {
                // Fractional seconds are dropped: one-second resolution is enough here.
                let frac = cb.get(8..)?;
                if frac.first() != Some(&b'.')
                    || frac.len() < 2
                    || !frac.get(1..)?.iter().all(u8::is_ascii_digit)
                {
                    return None;
                }
            }
            s
        }
        _ => return None,
    };
    let base = UtcTime::from_ymd_hms(y, mo, d, h, mi, s.min(59))?;
    UtcTime::from_unix(base.0 - offset)
}

/// Splits `HH:MM[:SS[.f]]` from a trailing zone, returning the zone offset in seconds.
fn split_zone(rest: &str) -> Option<(&str, i64)> {
    if let Some(c) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
        return Some((c, 0));
    }
    if let Some(pos) = rest.rfind(['+', '-']) {
        // `get`, not `split_at`: its panic brings the str slicing error message into the wasm.
        let (clock, zone) = (rest.get(..pos)?, rest.get(pos..)?);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let digits: String = zone.get(1..)?.chars().filter(|c| *c != ':').collect();
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let hh: i64 = digits.get(..2)?.parse().ok()?;
        let mm: i64 = digits.get(2..)?.parse().ok()?;
        if hh > 23 || mm > 59 {
            return None;
        }
        return Some((clock, sign * (hh * 3600 + mm * 60)));
    }
    Some((rest, 0))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days-from-civil: exact for the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTAGE: i64 = 1_749_231_000; // 2025-06-06T17:30:00Z

    #[test]
    fn parses_every_form_the_apis_and_users_write() {
        for s in [
            "2025-06-06T17:30Z",
            "2025-06-06T17:30:00Z",
            "2025-06-06T17:30:00",
            "2025-06-06 17:30",
            "2025-06-06T17:30:00.123456",
            "2025-06-06T17:30:00+00:00",
            "2025-06-06T19:30:00+02:00",
            "1749231000",
        ] {
            assert_eq!(UtcTime::parse(s), Ok(UtcTime(OUTAGE)), "{s}");
        }
        assert_eq!(
            UtcTime::parse("2025-06-06"),
            Ok(UtcTime(OUTAGE - 17 * 3600 - 1800))
        );
    }

    #[test]
    fn refuses_impossible_dates() {
        for s in [
            "",
            "2025-02-30",
            "2025-13-01T00:00Z",
            "2025-06-06T24:00Z",
            "2025-06-06T17",
            "yesterday",
            "2025-06-06T17:30+5",
            "99999999999999999999",
        ] {
            assert!(UtcTime::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn formats_round_trip_through_the_url_form() {
        let t = UtcTime(OUTAGE);
        assert_eq!(t.to_url(), "2025-06-06T17:30Z");
        assert_eq!(t.to_display(), "2025-06-06 17:30 UTC");
        assert_eq!(t.to_input(), "2025-06-06T17:30");
        assert_eq!(t.to_ripestat(), "2025-06-06T17:30:00");
        for secs in [0, 951_782_400, OUTAGE + 7, 4_102_444_800, MAX_SECS] {
            assert_eq!(UtcTime::parse(&UtcTime(secs).to_url()), Ok(UtcTime(secs)));
        }
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(9 * 3600 + 5 * 60), "9 h 5 min");
        assert_eq!(format_duration(250), "4 min 10 s");
        assert_eq!(format_duration(45), "45 s");
        assert_eq!(format_duration(2 * 86_400 + 3600), "2 d 1 h 0 min");
    }
}
