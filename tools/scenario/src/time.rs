//! UTC calendar arithmetic without chrono: Howard Hinnant's days-from-civil algorithms.
//! RIPEstat writes UTC as ISO 8601 without a zone ("2025-06-04T00:00:00").

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`]: (year, month, day).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Unix seconds of a UTC date and time.
pub fn utc(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
    days_from_civil(y, mo, d) * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s)
}

/// RIPEstat's zone-less UTC form: "2025-06-04T00:00:00".
pub fn iso(ts: i64) -> String {
    let (y, m, d) = civil_from_days(ts.div_euclid(86_400));
    let s = ts.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        s / 3600,
        (s / 60) % 60,
        s % 60
    )
}

/// Same with an explicit zone, for people: "2025-06-04T00:00:00Z".
pub fn iso_z(ts: i64) -> String {
    format!("{}Z", iso(ts))
}

/// IODA's metadata form: "2025-06-10T09:15:27+00:00".
pub fn iso_offset(ts: i64) -> String {
    format!("{}+00:00", iso(ts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(utc(1970, 1, 1, 0, 0, 0), 0);
        assert_eq!(utc(2025, 6, 4, 0, 0, 0), 1_748_995_200);
        assert_eq!(utc(2000, 3, 1, 0, 0, 0), 951_868_800);
        assert_eq!(iso(1_748_995_200), "2025-06-04T00:00:00");
        assert_eq!(iso(1_749_230_920), "2025-06-06T17:28:40");
        assert_eq!(iso_z(-1), "1969-12-31T23:59:59Z");
        assert_eq!(iso_offset(0), "1970-01-01T00:00:00+00:00");
    }

    #[test]
    fn round_trip_over_centuries() {
        for z in (-800_000..800_000).step_by(97) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }
}
