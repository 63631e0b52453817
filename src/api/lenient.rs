//! Tolerant field decoders: the APIs send times as ISO strings or Unix numbers, ASNs as ints or
//! strings, and values as numbers, nulls or (for some IODA datasources) objects.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};

use crate::model::{Asn, Prefix, UtcTime};

pub fn time<'de, D: Deserializer<'de>>(d: D) -> Result<UtcTime, D::Error> {
    d.deserialize_any(TimeVisitor)
}

pub fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<UtcTime>, D::Error> {
    d.deserialize_option(OptVisitor(TimeVisitor))
}

pub fn asn<'de, D: Deserializer<'de>>(d: D) -> Result<Asn, D::Error> {
    d.deserialize_any(AsnVisitor)
}

pub fn prefix<'de, D: Deserializer<'de>>(d: D) -> Result<Prefix, D::Error> {
    let s: std::borrow::Cow<'de, str> = serde::Deserialize::deserialize(d)?;
    s.parse().map_err(de::Error::custom)
}

/// A number that may come as an int, a float or a numeric string; null and others give None.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    d.deserialize_any(LooseNumber)
}

/// An AS path: ints or numeric strings; an AS_SET (nested array) is flattened and flagged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WirePath {
    pub asns: Vec<Asn>,
    pub has_set: bool,
}

impl<'de> serde::Deserialize<'de> for WirePath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PathVisitor)
    }
}

/// IODA signal values: numbers are kept; null, and the object arrays of the
/// `upstream-delay-*` datasources, become None so one parser serves every datasource.
pub fn signal_values<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Option<f64>>, D::Error> {
    struct Values;
    impl<'de> Visitor<'de> for Values {
        type Value = Vec<Option<f64>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of values")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
            while let Some(v) = seq.next_element::<LooseValue>()? {
                out.push(v.0);
            }
            Ok(out)
        }
    }
    d.deserialize_any(Values)
}

struct LooseValue(Option<f64>);

impl<'de> serde::Deserialize<'de> for LooseValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseNumber).map(LooseValue)
    }
}

struct LooseNumber;

impl<'de> Visitor<'de> for LooseNumber {
    type Value = Option<f64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or null")
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.is_finite().then_some(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

struct TimeVisitor;

impl<'de> Visitor<'de> for TimeVisitor {
    type Value = UtcTime;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an ISO 8601 UTC time or Unix seconds")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<UtcTime, E> {
        i64::try_from(v)
            .ok()
            .and_then(UtcTime::from_unix)
            .ok_or_else(|| E::custom("time out of range"))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<UtcTime, E> {
        UtcTime::from_unix(v).ok_or_else(|| E::custom("time out of range"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<UtcTime, E> {
        UtcTime::from_unix_f64(v).ok_or_else(|| E::custom("time out of range"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<UtcTime, E> {
        UtcTime::parse(v).map_err(E::custom)
    }
}

struct OptVisitor<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for OptVisitor<V> {
    type Value = Option<V::Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self.0).map(Some)
    }
}

struct AsnVisitor;

impl<'de> Visitor<'de> for AsnVisitor {
    type Value = Asn;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an AS number")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Asn, E> {
        u32::try_from(v)
            .map(Asn)
            .map_err(|_| E::custom("AS number out of range"))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Asn, E> {
        u32::try_from(v)
            .map(Asn)
            .map_err(|_| E::custom("AS number out of range"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Asn, E> {
        v.parse().map_err(E::custom)
    }
}

struct PathVisitor;

impl<'de> Visitor<'de> for PathVisitor {
    type Value = WirePath;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an AS path")
    }
    fn visit_unit<E>(self) -> Result<WirePath, E> {
        Ok(WirePath::default())
    }
    /// looking-glass sends the path as one space-separated string, sets in braces.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<WirePath, E> {
        let cleaned = v.replace(['{', '}', ','], " ");
        let asns = cleaned
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map_err(E::custom)?;
        Ok(WirePath {
            asns,
            has_set: v.contains('{'),
        })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<WirePath, A::Error> {
        let mut p = WirePath {
            asns: Vec::with_capacity(seq.size_hint().unwrap_or(6).min(64)),
            has_set: false,
        };
        while let Some(hop) = seq.next_element::<Hop>()? {
            match hop {
                Hop::One(a) => p.asns.push(a),
                Hop::Set(s) => {
                    p.has_set = true;
                    p.asns.extend(s);
                }
            }
        }
        Ok(p)
    }
}

enum Hop {
    One(Asn),
    Set(Vec<Asn>),
}

impl<'de> serde::Deserialize<'de> for Hop {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct HopVisitor;
        impl<'de> Visitor<'de> for HopVisitor {
            type Value = Hop;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an AS number or an AS set")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Hop, E> {
                AsnVisitor.visit_u64(v).map(Hop::One)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Hop, E> {
                AsnVisitor.visit_i64(v).map(Hop::One)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Hop, E> {
                AsnVisitor.visit_str(v).map(Hop::One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Hop, A::Error> {
                let mut set = Vec::new();
                while let Some(Hop::One(a)) = seq.next_element::<Hop>()? {
                    set.push(a);
                }
                Ok(Hop::Set(set))
            }
        }
        d.deserialize_any(HopVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(deserialize_with = "time")]
        t: UtcTime,
        #[serde(deserialize_with = "asn")]
        a: Asn,
        p: WirePath,
        #[serde(deserialize_with = "signal_values")]
        v: Vec<Option<f64>>,
    }

    #[test]
    fn accepts_both_spellings_of_every_field() {
        let iso: T = serde_json::from_str(r#"{"t":"2025-06-07T02:10:00","a":"4837","p":[1,"2",[3,4],5],"v":[1,null,2.5,[{"x":1}]]}"#).unwrap();
        let unix: T =
            serde_json::from_str(r#"{"t":1749262200,"a":4837,"p":"1 2 {3,4} 5","v":[]}"#).unwrap();
        assert_eq!(iso.t, unix.t);
        assert_eq!(iso.a, Asn(4837));
        assert_eq!(unix.a, iso.a);
        assert_eq!(iso.p.asns, vec![Asn(1), Asn(2), Asn(3), Asn(4), Asn(5)]);
        assert!(iso.p.has_set && unix.p.has_set);
        assert_eq!(unix.p.asns, iso.p.asns);
        assert_eq!(iso.v, vec![Some(1.0), None, Some(2.5), None]);
    }

    #[test]
    fn refuses_values_out_of_range() {
        assert!(serde_json::from_str::<T>(r#"{"t":-5,"a":1,"p":[],"v":[]}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"t":0,"a":4294967296,"p":[],"v":[]}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"t":0,"a":1,"p":[1,"x"],"v":[]}"#).is_err());
    }
}
