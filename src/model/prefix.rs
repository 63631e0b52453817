//! Addresses are parsed and written here rather than by `std::net`, whose parser and IPv6
//! writer cost several KB of wasm; the tests check both against `std::net`.

use std::fmt;
use std::str::FromStr;

use super::asn::shorten;

/// An IP prefix, normalised (host bits cleared).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Prefix {
    V4 { addr: u32, len: u8 },
    V6 { addr: u128, len: u8 },
}

impl Prefix {
    pub fn v4(addr: u32, len: u8) -> Option<Prefix> {
        (len <= 32).then(|| Prefix::V4 {
            addr: addr & mask32(len),
            len,
        })
    }

    /// The /24 blocks this prefix covers, as a half-open range of /24 indexes (addr >> 8).
    /// IODA counts visibility in /24s; prefixes longer than /24 cover no whole /24.
    pub fn slash24_range(&self) -> Option<(u32, u32)> {
        match *self {
            Prefix::V4 { addr, len } if len <= 24 => {
                let first = addr >> 8;
                let count = 1u32 << (24 - u32::from(len));
                Some((first, first.saturating_add(count)))
            }
            _ => None,
        }
    }

    /// Number of whole /24s covered (0 for IPv6 and for prefixes longer than /24).
    pub fn slash24_count(&self) -> u32 {
        self.slash24_range().map_or(0, |(a, b)| b - a)
    }
}

fn mask32(len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len.min(32)))
    }
}

fn mask128(len: u8) -> u128 {
    if len == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(len.min(128)))
    }
}

impl FromStr for Prefix {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match plain_v4(s.as_bytes()) {
            Some((addr, len)) => Prefix::v4(addr, len).ok_or_else(|| bad(s)),
            None => general(s),
        }
    }
}

fn bad(s: &str) -> String {
    format!("“{}” is not an IP prefix", shorten(s))
}

fn general(s: &str) -> Result<Prefix, String> {
    let fail = || bad(s);
    let (ip, len) = s.trim().split_once('/').ok_or_else(fail)?;
    let len: u8 = len.parse().map_err(|_| fail())?;
    if let Some(v4) = parse_v4(ip) {
        return Prefix::v4(v4, len).ok_or_else(fail);
    }
    let v6 = parse_v6(ip).ok_or_else(fail)?;
    if len > 128 {
        return Err(fail());
    }
    Ok(Prefix::V6 {
        addr: v6 & mask128(len),
        len,
    })
}

/// The common spelling `a.b.c.d/n` read without the general parsers (bgplay repeats a prefix in
/// every event). Anything else (leading zeros, spaces, IPv6) is left to the general path.
fn plain_v4(s: &[u8]) -> Option<(u32, u8)> {
    // Five numbers: four octets ended by `.`, `.`, `.`, `/`, then the length ended by the end.
    let (mut addr, mut part, mut value, mut digits) = (0u32, 0, 0u32, 0);
    let mut first_zero = false;
    for &b in s {
        if b.is_ascii_digit() {
            if digits == 0 {
                first_zero = b == b'0';
            } else if first_zero || digits == 3 {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
            digits += 1;
            continue;
        }
        let expected = if part == 3 { b'/' } else { b'.' };
        if b != expected || digits == 0 || value > 255 || part > 3 {
            return None;
        }
        addr = addr << 8 | value;
        (part, value, digits) = (part + 1, 0, 0);
    }
    (part == 4 && digits > 0 && value <= 255).then_some((addr, value as u8))
}

/// A dotted quad as `std::net::Ipv4Addr` reads it: four decimals of at most three digits,
/// each at most 255, no leading zeros.
fn parse_v4(s: &str) -> Option<u32> {
    let mut addr = 0u32;
    let mut parts = 0;
    for part in s.split('.') {
        let b = part.as_bytes();
        if b.is_empty() || b.len() > 3 || (b.len() > 1 && b[0] == b'0') {
            return None;
        }
        let mut v = 0u32;
        for c in b {
            v = v * 10 + char::from(*c).to_digit(10)?;
        }
        if v > 255 || parts == 4 {
            return None;
        }
        addr = addr << 8 | v;
        parts += 1;
    }
    (parts == 4).then_some(addr)
}

/// `s.split_once("::")` without the standard library's substring search (~1 KB of wasm with the
/// other such calls).
fn split_double_colon(s: &str) -> Option<(&str, &str)> {
    let i = s.as_bytes().windows(2).position(|w| w == b"::")?;
    Some((s.get(..i)?, s.get(i + 2..)?))
}

/// An IPv6 address as `std::net::Ipv6Addr` reads it: eight groups of one to four hex digits,
/// at most one `::` standing for one or more zero groups, and an optional dotted quad as the
/// last 32 bits (not before a `::`).
fn parse_v6(s: &str) -> Option<u128> {
    let mut groups = [0u16; 8];
    match split_double_colon(s) {
        None => {
            let (n, _) = hex_groups(s, &mut groups)?;
            if n != 8 {
                return None;
            }
        }
        Some((head, tail)) => {
            let (h, head_v4) = hex_groups(head, &mut groups)?;
            let mut rest = [0u16; 8];
            let (t, _) = hex_groups(tail, &mut rest)?;
            if head_v4 || h + t > 7 {
                return None;
            }
            groups[8 - t..].copy_from_slice(rest.get(..t)?);
        }
    }
    Some(groups.iter().fold(0, |a, g| a << 16 | u128::from(*g)))
}

/// Reads `a:b:...` (possibly empty) into `out`; the count, and whether it ended in a dotted quad.
fn hex_groups(s: &str, out: &mut [u16; 8]) -> Option<(usize, bool)> {
    if s.is_empty() {
        return Some((0, false));
    }
    let mut n = 0;
    let mut parts = s.split(':').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() && part.contains('.') {
            let v4 = parse_v4(part)?;
            *out.get_mut(n)? = (v4 >> 16) as u16;
            *out.get_mut(n + 1)? = v4 as u16;
            return Some((n + 2, true));
        }
        if part.is_empty() || part.len() > 4 {
            return None;
        }
        let mut v = 0u16;
        for c in part.chars() {
            v = v << 4 | c.to_digit(16)? as u16;
        }
        *out.get_mut(n)? = v;
        n += 1;
    }
    Some((n, false))
}

/// Writes an IPv6 address as `std::net::Ipv6Addr` does (RFC 5952): lowercase hex without
/// leading zeros, the first longest run of two or more zero groups as `::`, and an
/// IPv4-mapped address as `::ffff:a.b.c.d`.
fn write_v6(f: &mut fmt::Formatter<'_>, addr: u128) -> fmt::Result {
    if addr >> 32 == 0xffff {
        f.write_str("::ffff:")?;
        return write_v4(f, addr as u32);
    }
    let g: [u16; 8] = std::array::from_fn(|i| (addr >> (112 - 16 * i)) as u16);
    let (mut best, mut run) = ((0, 0), (0, 0));
    for (i, v) in g.iter().enumerate() {
        if *v == 0 {
            if run.1 == 0 {
                run.0 = i;
            }
            run.1 += 1;
            if run.1 > best.1 {
                best = run;
            }
        } else {
            run = (0, 0);
        }
    }
    let hex = |f: &mut fmt::Formatter<'_>, part: &[u16]| -> fmt::Result {
        for (i, v) in part.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{v:x}")?;
        }
        Ok(())
    };
    if best.1 > 1 {
        hex(f, g.get(..best.0).unwrap_or(&[]))?;
        f.write_str("::")?;
        hex(f, g.get(best.0 + best.1..).unwrap_or(&[]))
    } else {
        hex(f, &g)
    }
}

fn write_v4(f: &mut fmt::Formatter<'_>, addr: u32) -> fmt::Result {
    let [a, b, c, d] = addr.to_be_bytes();
    write!(f, "{a}.{b}.{c}.{d}")
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Prefix::V4 { addr, len } => {
                write_v4(f, addr)?;
                write!(f, "/{len}")
            }
            Prefix::V6 { addr, len } => {
                write_v6(f, addr)?;
                write!(f, "/{len}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_agrees_with_the_general_parsers() {
        for text in [
            "175.45.176.0/24",
            "0.0.0.0/0",
            "255.255.255.255/32",
            "10.0.0.0/33",
            "10.0.0.256/8",
            "010.0.0.0/8",
            "10.0.0.0/08",
            "10.0.0/8",
            "10.0.0.0.0/8",
            "10.0.0.0/",
            "/8",
            "10..0.0/8",
            "10.0.0.0/8 ",
            " 10.0.0.0/8",
            "10.0.0.0/+8",
            "1.2.3.4/1234",
            "2001:db8::/32",
        ] {
            assert_eq!(text.parse::<Prefix>(), general(text), "{text}");
        }
        for plain in [
            "175.45.176.0/24",
            "0.0.0.0/0",
            "255.255.255.255/32",
            "1.2.3.4/33",
        ] {
            assert!(
                plain_v4(plain.as_bytes()).is_some(),
                "{plain} should take the fast path"
            );
        }
    }

    #[test]
    fn parses_and_normalises() {
        let p: Prefix = "175.45.176.7/22".parse().unwrap();
        assert_eq!(p.to_string(), "175.45.176.0/22");
        let v6: Prefix = "2001:db8::1/32".parse().unwrap();
        assert_eq!(v6.to_string(), "2001:db8::/32");
    }

    #[test]
    fn counts_slash24s_like_ioda() {
        let p22: Prefix = "175.45.176.0/22".parse().unwrap();
        assert_eq!(p22.slash24_count(), 4);
        let p24: Prefix = "175.45.179.0/24".parse().unwrap();
        assert_eq!(p24.slash24_count(), 1);
        assert_eq!(
            p24.slash24_range(),
            p22.slash24_range().map(|(a, _)| (a + 3, a + 4))
        );
        let p25: Prefix = "175.45.179.0/25".parse().unwrap();
        assert_eq!(p25.slash24_count(), 0);
        let all: Prefix = "0.0.0.0/0".parse().unwrap();
        assert_eq!(all.slash24_count(), 1 << 24);
    }

    /// Our address reading and writing against `std::net`'s, on edge cases and on random
    /// (deterministic, synthetic) strings built from the characters addresses are made of.
    #[test]
    fn addresses_read_and_write_as_std_net_does() {
        use std::net::{Ipv4Addr, Ipv6Addr};
        let check = |ip: &str| {
            let ours = format!("{ip}/0").parse::<Prefix>().ok().map(|p| match p {
                Prefix::V4 { .. } => parse_v4(ip).map(|a| a.to_string()),
                Prefix::V6 { .. } => parse_v6(ip).map(|a| a.to_string()),
            });
            let std = ip
                .parse::<Ipv4Addr>()
                .map(|a| u32::from(a).to_string())
                .or_else(|_| ip.parse::<Ipv6Addr>().map(|a| u128::from(a).to_string()))
                .ok();
            assert_eq!(ours.flatten(), std, "reading {ip:?}");
            if let Ok(a) = ip.parse::<Ipv6Addr>() {
                let p = format!("{ip}/128").parse::<Prefix>().unwrap();
                assert_eq!(p.to_string(), format!("{a}/128"), "writing {ip:?}");
            }
            if let Ok(a) = ip.parse::<Ipv4Addr>() {
                let p = format!("{ip}/32").parse::<Prefix>().unwrap();
                assert_eq!(p.to_string(), format!("{a}/32"), "writing {ip:?}");
            }
        };
        for ip in [
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "1:0:0:2:0:0:0:3",
            "0:0:1:0:0:1:0:0",
            "::ffff:1.2.3.4",
            "::1.2.3.4",
            "1.2.3.4::",
            "1:2:3:4:5:6:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1::2::3",
            ":::",
            "1:::2",
            ":1::2",
            "1::2:",
            "00001::",
            "0001::",
            "FFFF::abcd",
            "1.2.3.4",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "256.0.0.0",
            "255.255.255.255",
            "0.0.0.0",
            "+1.2.3.4",
            "1.2.3.+4",
            "::+1",
            "",
            ".",
            "1..2.3",
        ] {
            check(ip);
        }
        let alphabet = b"0123456789abcdefABCDEF:::...";
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..200_000 {
            let mut ip = String::new();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            for k in 0..(x % 24) {
                let r = (x >> (k % 8 * 8)) ^ (x >> 40).wrapping_mul(k + 1);
                ip.push(char::from(alphabet[(r % alphabet.len() as u64) as usize]));
            }
            check(&ip);
        }
        let mut y = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..50_000 {
            y ^= y << 13;
            y ^= y >> 7;
            y ^= y << 17;
            // Sparse groups, so that zero runs of every length and place come up.
            let a: u128 = (0..8).fold(0, |a, i| {
                let g = if (y >> (i * 3)) & 3 == 0 {
                    (y >> (i * 7)) as u16
                } else {
                    0
                };
                a << 16 | u128::from(g)
            });
            check(&Ipv6Addr::from(a).to_string());
            check(&Ipv4Addr::from(y as u32).to_string());
        }
    }

    #[test]
    fn refuses_garbage() {
        for s in ["", "1.2.3.4", "1.2.3.4/33", "x/8", "::/129", "1.2.3.4/-1"] {
            assert!(s.parse::<Prefix>().is_err(), "{s}");
        }
    }
}
