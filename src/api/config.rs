//! Runtime configuration (`/config.json` in `public/`): where the APIs live, so one build can be
//! pointed at the real hosts or at the local stand-in.

use super::json::{opt_string, u32_, Reader};
use super::ApiError;

pub const DEFAULT_RIPESTAT: &str = "https://stat.ripe.net";
pub const DEFAULT_IODA: &str = "https://api.ioda.inetintel.cc.gatech.edu/v2";
/// Sent as `sourceapp` on every RIPEstat call, as RIPE asks.
pub const SOURCEAPP: &str = "outage-lens";
/// RIPEstat's heavy calls can take minutes; nothing else should take this long.
pub const DEFAULT_TIMEOUT_SECS: u32 = 120;
/// A per-attempt timeout outside this range is a typo, not a choice.
pub const TIMEOUT_RANGE_SECS: std::ops::RangeInclusive<u32> = 1..=600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub ripestat_base: String,
    pub ioda_base: String,
    /// A line shown under the header, e.g. that a stand-in serves synthetic data.
    pub notice: Option<String>,
    /// Each attempt of a request is abandoned after this long (then retried, bounded).
    pub timeout_secs: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            ripestat_base: DEFAULT_RIPESTAT.into(),
            ioda_base: DEFAULT_IODA.into(),
            notice: None,
            timeout_secs: DEFAULT_TIMEOUT_SECS,
        }
    }
}

impl Config {
    /// Reads `config.json`; missing keys keep the real hosts.
    pub fn parse(body: &str) -> Result<Config, ApiError> {
        let (mut ripestat, mut ioda, mut notice, mut timeout_secs) = (None, None, None, None);
        let mut r = Reader::new(body);
        r.object(&mut |r, key| {
            match key {
                "ripestat_base" => ripestat = opt_string(r)?,
                "ioda_base" => ioda = opt_string(r)?,
                "notice" => notice = opt_string(r)?,
                "timeout_secs" => timeout_secs = (!r.null()?).then(|| u32_(r)).transpose()?,
                _ => r.skip()?,
            }
            Ok(())
        })
        .and_then(|_| r.finish())
        .map_err(|e| ApiError::Config(format!("config.json: {e}")))?;
        let d = Config::default();
        Ok(Config {
            ripestat_base: checked_base(ripestat.unwrap_or(d.ripestat_base))?,
            ioda_base: checked_base(ioda.unwrap_or(d.ioda_base))?,
            notice: notice.filter(|n| !n.trim().is_empty()),
            timeout_secs: match timeout_secs {
                None => d.timeout_secs,
                Some(t) if TIMEOUT_RANGE_SECS.contains(&t) => t,
                Some(t) => {
                    return Err(ApiError::Config(format!(
                        "timeout_secs {t} is outside {}–{} s",
                        TIMEOUT_RANGE_SECS.start(),
                        TIMEOUT_RANGE_SECS.end()
                    )))
                }
            },
        })
    }
}

/// Only https, or plain http to this machine (the stand-in): the app never talks to an
/// arbitrary cleartext host, whatever a tampered config says.
fn checked_base(url: String) -> Result<String, ApiError> {
    let url = url.trim().trim_end_matches('/').to_string();
    let host_ok = |rest: &str| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !host.contains('@')
    };
    if let Some(rest) = url.strip_prefix("https://") {
        if host_ok(rest) {
            return Ok(url);
        }
    }
    if let Some(rest) = url.strip_prefix("http://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
        if host_ok(rest) && (name == "localhost" || name == "[::1]" || name.starts_with("127.")) {
            return Ok(url);
        }
    }
    Err(ApiError::Config(format!(
        "API base URL “{url}” must be https, or http on loopback"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_real_hosts() {
        assert_eq!(Config::parse("{}").unwrap(), Config::default());
        assert_eq!(Config::default().ripestat_base, "https://stat.ripe.net");
    }

    #[test]
    fn accepts_https_and_loopback_only() {
        let c = Config::parse(
            r#"{"ripestat_base":"http://127.0.0.1:8080/","ioda_base":"http://localhost:9/v2"}"#,
        )
        .unwrap();
        assert_eq!(c.ripestat_base, "http://127.0.0.1:8080");
        assert_eq!(c.ioda_base, "http://localhost:9/v2");
        for bad in [
            "http://evil.example",
            "javascript:alert(1)",
            "ftp://x",
            "https://",
            "http://127.0.0.1@evil.example",
        ] {
            let body = format!(r#"{{"ripestat_base":"{bad}"}}"#);
            assert!(Config::parse(&body).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_timeout_is_optional_and_bounded() {
        assert_eq!(Config::parse("{}").unwrap().timeout_secs, 120);
        let t =
            |v: &str| Config::parse(&format!(r#"{{"timeout_secs":{v}}}"#)).map(|c| c.timeout_secs);
        assert_eq!(t("1"), Ok(1));
        assert_eq!(t("600"), Ok(600));
        for bad in ["0", "601", "-1", "1.5", "\"60\"", "4294967296"] {
            assert!(t(bad).is_err(), "{bad}");
        }
    }
}
