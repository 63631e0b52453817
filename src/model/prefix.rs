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
        let bad = || format!("“{}” is not an IP prefix", shorten(s));
        let (ip, len) = s.trim().split_once('/').ok_or_else(bad)?;
        let len: u8 = len.parse().map_err(|_| bad())?;
        if let Ok(v4) = ip.parse::<Ipv4Addr>() {
            return Prefix::v4(v4, len).ok_or_else(bad);
        }
        let v6: Ipv6Addr = ip.parse().map_err(|_| bad())?;
        if len > 128 {
            return Err(bad());
        }
        Ok(Prefix::V6 {
            addr: u128::from(v6) & mask128(len),
            len,
        })
    }
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
