//! Tolerant field readers: the APIs send times as ISO strings or Unix numbers, ASNs as ints or
//! strings, and values as numbers, nulls or (for some IODA datasources) objects.

use super::json::{self, JsonError, Kind, Reader, Result};
use crate::model::{Asn, Prefix, UtcTime};

fn bad<T>(at: usize, what: &'static str) -> Result<T> {
    Err(JsonError { at, what })
}

fn is_integer(text: &str) -> bool {
    !text.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'))
}

/// An ISO 8601 UTC time or Unix seconds (integer or not).
pub fn time(r: &mut Reader<'_>) -> Result<UtcTime> {
    let at = r.position();
    if let Some(secs) = r.plain_integer() {
        return match i64::try_from(secs).ok().and_then(UtcTime::from_unix) {
            Some(t) => Ok(t),
            None => bad(at, "invalid or out-of-range time"),
        };
    }
    let t = match r.kind()? {
        Kind::Number => {
            let text = r.number_text()?;
            if is_integer(text) {
                text.parse::<i64>().ok().and_then(UtcTime::from_unix)
            } else {
                json::number(text).and_then(UtcTime::from_unix_f64)
            }
        }
        Kind::String => UtcTime::parse(&r.string()?).ok(),
        _ => return bad(at, "expected a time"),
    };
    match t {
        Some(t) => Ok(t),
        None => bad(at, "invalid or out-of-range time"),
    }
}

/// A time that may be null.
pub fn opt_time(r: &mut Reader<'_>) -> Result<Option<UtcTime>> {
    if r.null()? {
        Ok(None)
    } else {
        time(r).map(Some)
    }
}

/// An AS number, as an integer or a string (`"4837"`, `"AS4837"`).
pub fn asn(r: &mut Reader<'_>) -> Result<Asn> {
    let at = r.position();
    if let Some(n) = r.plain_integer() {
        return match u32::try_from(n) {
            Ok(n) => Ok(Asn(n)),
            Err(_) => bad(at, "invalid AS number"),
        };
    }
    let a = match r.kind()? {
        Kind::Number => r.number_text()?.parse::<u32>().ok().map(Asn),
        Kind::String => r.string()?.parse::<Asn>().ok(),
        _ => return bad(at, "expected an AS number"),
    };
    match a {
        Some(a) => Ok(a),
        None => bad(at, "invalid AS number"),
    }
}

pub fn prefix(r: &mut Reader<'_>) -> Result<Prefix> {
    let at = r.position();
    match r.string()?.parse() {
        Ok(p) => Ok(p),
        Err(_) => bad(at, "invalid prefix"),
    }
}

/// A number that may come as an int, a float or a numeric string; null and others give None.
pub fn opt_f64(r: &mut Reader<'_>) -> Result<Option<f64>> {
    Ok(match r.kind()? {
        Kind::Number => json::number(r.number_text()?),
        Kind::String => json::number(r.string()?.trim()),
        _ => {
            r.skip()?;
            None
        }
    })
}

/// An AS path: ints or numeric strings; an AS_SET (nested array) is flattened and flagged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WirePath {
    pub asns: Vec<Asn>,
    pub has_set: bool,
}

/// A path: an array of hops, null (none), or looking-glass' space-separated string with sets
/// in braces.
pub fn path(r: &mut Reader<'_>) -> Result<WirePath> {
    let at = r.position();
    match r.kind()? {
        Kind::Null => {
            r.null()?;
            Ok(WirePath::default())
        }
        Kind::String => {
            let v = r.string()?;
            let cleaned = v.replace(['{', '}', ','], " ");
            let asns: Option<Vec<Asn>> =
                cleaned.split_whitespace().map(|a| a.parse().ok()).collect();
            match asns {
                Some(asns) => Ok(WirePath {
                    asns,
                    has_set: v.contains('{'),
                }),
                None => bad(at, "invalid AS path"),
            }
        }
        Kind::Array => {
            let mut p = WirePath {
                asns: Vec::with_capacity(8),
                has_set: false,
            };
            r.array(&mut |r| {
                if r.kind()? == Kind::Array {
                    p.has_set = true;
                    r.array(&mut |r| {
                        p.asns.push(asn(r)?);
                        Ok(())
                    })
                } else {
                    p.asns.push(asn(r)?);
                    Ok(())
                }
            })?;
            Ok(p)
        }
        _ => bad(at, "expected an AS path"),
    }
}

/// IODA signal values: numbers are kept; null, and the object arrays of the
/// `upstream-delay-*` datasources, become None so one reader serves every datasource.
pub fn signal_values(r: &mut Reader<'_>) -> Result<Vec<Option<f64>>> {
    let mut out = Vec::new();
    if !r.null()? {
        r.array(&mut |r| {
            out.push(opt_f64(r)?);
            Ok(())
        })?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T>(text: &str, f: fn(&mut Reader<'_>) -> Result<T>) -> Result<T> {
        let mut r = Reader::new(text);
        let v = f(&mut r)?;
        r.finish()?;
        Ok(v)
    }

    #[test]
    fn accepts_both_spellings_of_every_field() {
        let iso = read(r#""2025-06-07T02:10:00""#, time).unwrap();
        assert_eq!(read("1749262200", time).unwrap(), iso);
        assert_eq!(read("1749262200.0", time).unwrap(), iso);
        assert_eq!(read(r#""4837""#, asn).unwrap(), Asn(4837));
        assert_eq!(read("4837", asn).unwrap(), Asn(4837));
        let arr = read(r#"[1,"2",[3,4],5]"#, path).unwrap();
        let text = read(r#""1 2 {3,4} 5""#, path).unwrap();
        assert_eq!(arr.asns, vec![Asn(1), Asn(2), Asn(3), Asn(4), Asn(5)]);
        assert!(arr.has_set && text.has_set);
        assert_eq!(arr, text);
        assert_eq!(read("null", path).unwrap(), WirePath::default());
        assert_eq!(
            read(r#"[1,null,2.5,[{"x":1}],"3",true]"#, signal_values).unwrap(),
            vec![Some(1.0), None, Some(2.5), None, Some(3.0), None]
        );
        assert_eq!(read("null", signal_values).unwrap(), vec![]);
        assert_eq!(read("null", opt_time).unwrap(), None);
    }

    #[test]
    fn refuses_values_out_of_range() {
        assert!(read("-5", time).is_err());
        assert!(read("4294967296", asn).is_err());
        assert!(read("1.5", asn).is_err());
        assert!(read(r#"[1,"x"]"#, path).is_err());
        assert!(read("[1,[2,[3]]]", path).is_err());
        assert!(read(r#""10.0.0.0/33""#, prefix).is_err());
        assert!(read("{}", time).is_err());
    }
}
