use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use super::asn::shorten;

/// An IP prefix, normalised (host bits cleared).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Prefix {
    V4 { addr: u32, len: u8 },
    V6 { addr: u128, len: u8 },
}

impl Prefix {
    pub fn v4(addr: Ipv4Addr, len: u8) -> Option<Prefix> {
        (len <= 32).then(|| Prefix::V4 {
            addr: u32::from(addr) & mask32(len),
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
            Some((addr, len)) => Prefix::v4(Ipv4Addr::from(addr), len).ok_or_else(|| bad(s)),
            None => general(s),
        }
    }
}

fn bad(s: &str) -> String {
    format!("“{}” is not an IP prefix", shorten(s))
}

fn general(s: &str) -> Result<Prefix, String> {
    let (ip, len) = s.trim().split_once('/').ok_or_else(|| bad(s))?;
    let len: u8 = len.parse().map_err(|_| bad(s))?;
    if let Ok(v4) = ip.parse::<Ipv4Addr>() {
        return Prefix::v4(v4, len).ok_or_else(|| bad(s));
    }
    let v6: Ipv6Addr = ip.parse().map_err(|_| bad(s))?;
    if len > 128 {
        return Err(bad(s));
    }
    Ok(Prefix::V6 {
        addr: u128::from(v6) & mask128(len),
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

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Prefix::V4 { addr, len } => write!(f, "{}/{}", Ipv4Addr::from(addr), len),
            Prefix::V6 { addr, len } => write!(f, "{}/{}", Ipv6Addr::from(addr), len),
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

    #[test]
    fn refuses_garbage() {
        for s in ["", "1.2.3.4", "1.2.3.4/33", "x/8", "::/129", "1.2.3.4/-1"] {
            assert!(s.parse::<Prefix>().is_err(), "{s}");
        }
    }
}
