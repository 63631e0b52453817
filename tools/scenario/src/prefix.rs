//! IPv4 prefix arithmetic for counting /24s the way IODA's `bgp` signal does: a /22 is four
//! /24s, and a more-specific inside an announced aggregate adds nothing.

/// "a.b.c.d/len" as (network address, length); `None` if malformed.
pub fn parse_v4(s: &str) -> Option<(u32, u8)> {
    let (addr, len) = s.split_once('/')?;
    let len: u8 = len.parse().ok()?;
    if len > 32 {
        return None;
    }
    let mut octets = addr.split('.');
    let mut a: u32 = 0;
    for _ in 0..4 {
        let o: u8 = octets.next()?.parse().ok()?;
        a = (a << 8) | u32::from(o);
    }
    if octets.next().is_some() {
        return None;
    }
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Some((a & mask, len))
}

/// "a.b.c.d/len" from an address and a length.
pub fn format_v4(addr: u32, len: u8) -> String {
    let b = addr.to_be_bytes();
    format!("{}.{}.{}.{}/{len}", b[0], b[1], b[2], b[3])
}

/// The /24 blocks a prefix covers, as a half-open range of /24 numbers (address >> 8). A
/// prefix longer than /24 counts as its /24.
pub fn slash24_span(prefix: &str) -> Option<(u32, u32)> {
    let (addr, len) = parse_v4(prefix)?;
    let first = addr >> 8;
    let n = if len >= 24 { 1 } else { 1u32 << (24 - len) };
    Some((first, first + n))
}

/// Number of distinct /24s covered by a set of spans (overlaps counted once).
pub fn union_len(spans: impl IntoIterator<Item = (u32, u32)>) -> u32 {
    let mut v: Vec<(u32, u32)> = spans.into_iter().collect();
    v.sort_unstable();
    let mut total = 0u32;
    let mut cur: Option<(u32, u32)> = None;
    for (s, e) in v {
        cur = match cur {
            Some((cs, ce)) if s <= ce => Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs;
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    if let Some((cs, ce)) = cur {
        total += ce - cs;
    }
    total
}

/// Distinct /24s covered by the given prefixes (malformed ones ignored).
pub fn slash24_count<'a>(prefixes: impl IntoIterator<Item = &'a str>) -> u32 {
    union_len(prefixes.into_iter().filter_map(slash24_span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_counts() {
        assert_eq!(parse_v4("175.45.176.0/24"), Some((0xAF2D_B000, 24)));
        assert_eq!(parse_v4("10.1.2.3/16"), Some((0x0A01_0000, 16)));
        assert_eq!(parse_v4("10.1.2/16"), None);
        assert_eq!(parse_v4("10.1.2.3.4/16"), None);
        assert_eq!(parse_v4("10.1.2.3/33"), None);
        assert_eq!(format_v4(0x0A01_0000, 16), "10.1.0.0/16");
        assert_eq!(slash24_span("175.45.176.0/22"), Some((0xAF2DB0, 0xAF2DB4)));
        assert_eq!(slash24_count(["175.45.176.0/24", "175.45.179.0/24"]), 2);
        assert_eq!(
            slash24_count(["10.0.0.0/16", "10.0.5.0/24", "10.0.8.0/22"]),
            256
        );
        assert_eq!(
            slash24_count(["10.0.0.0/23", "10.0.1.0/24", "10.0.2.0/24", "10.0.9.0/25"]),
            4
        );
        assert_eq!(union_len([]), 0);
    }
}
