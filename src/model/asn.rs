use std::fmt;
use std::str::FromStr;

/// An autonomous system number. APIs send it as an int or a string, with or without "AS".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Asn(pub u32);

impl fmt::Display for Asn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AS{}", self.0)
    }
}

impl FromStr for Asn {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let digits = t
            .strip_prefix("AS")
            .or_else(|| t.strip_prefix("as"))
            .or_else(|| t.strip_prefix("As"))
            .unwrap_or(t);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "“{}” is not an AS number (expected e.g. AS131279 or 131279)",
                shorten(s)
            ));
        }
        digits
            .parse::<u32>()
            .map(Asn)
            .map_err(|_| format!("“{}” is out of the AS number range", shorten(s)))
    }
}

/// Error messages quote user input: keep them short.
pub(crate) fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_users_and_apis_use() {
        assert_eq!("131279".parse::<Asn>(), Ok(Asn(131279)));
        assert_eq!("AS131279".parse::<Asn>(), Ok(Asn(131279)));
        assert_eq!(" as4837 ".parse::<Asn>(), Ok(Asn(4837)));
        assert_eq!(Asn(20485).to_string(), "AS20485");
    }

    #[test]
    fn refuses_garbage_and_overflow() {
        assert!("".parse::<Asn>().is_err());
        assert!("AS".parse::<Asn>().is_err());
        assert!("-5".parse::<Asn>().is_err());
        assert!("4294967296".parse::<Asn>().is_err());
        assert!("<script>".parse::<Asn>().is_err());
    }
}
