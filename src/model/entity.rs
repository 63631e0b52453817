use std::fmt;

use super::asn::shorten;
use super::Asn;

/// A two-letter ISO 3166 country code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    pub fn parse(s: &str) -> Result<Self, String> {
        let b = s.trim().as_bytes();
        match b {
            [a, c] if a.is_ascii_alphabetic() && c.is_ascii_alphabetic() => Ok(CountryCode([
                a.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(format!("“{}” is not a two-letter country code", shorten(s))),
        }
    }

    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the user looks at: one network or one country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Asn(Asn),
    Country(CountryCode),
}

impl Entity {
    /// IODA's entity type and code, as used in its URL paths.
    pub fn ioda_path(&self) -> (&'static str, String) {
        match self {
            Entity::Asn(a) => ("asn", a.0.to_string()),
            Entity::Country(c) => ("country", c.to_string()),
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entity::Asn(a) => a.fmt(f),
            Entity::Country(c) => write!(f, "country {c}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes_are_two_letters_upper_cased() {
        assert_eq!(
            CountryCode::parse("kp").map(|c| c.to_string()),
            Ok("KP".to_string())
        );
        assert!(CountryCode::parse("KPX").is_err());
        assert!(CountryCode::parse("K1").is_err());
        assert!(CountryCode::parse("ü").is_err());
    }

    #[test]
    fn ioda_paths() {
        assert_eq!(
            Entity::Asn(Asn(131279)).ioda_path(),
            ("asn", "131279".to_string())
        );
        let kp = Entity::Country(CountryCode::parse("KP").unwrap());
        assert_eq!(kp.ioda_path(), ("country", "KP".to_string()));
    }
}
