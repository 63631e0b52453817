//! IODA API v2: the envelope, `signals/raw` and `outages/events`.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::error::{malformed, ApiError};
use super::lenient;
use crate::model::UtcTime;

#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    pub data: T,
    /// The `copyright` line: shown as attribution (and it says "synthetic" for generated data).
    pub attribution: Option<String>,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default)]
    error: Option<String>,
    #[serde(default, borrow)]
    data: Option<&'a RawValue>,
    #[serde(default)]
    copyright: Option<String>,
}

pub fn parse<T: DeserializeOwned>(body: &str) -> Result<Response<T>, ApiError> {
    let env: Envelope = serde_json::from_str(body).map_err(malformed)?;
    if let Some(e) = env.error.filter(|e| !e.trim().is_empty()) {
        return Err(ApiError::Api(e));
    }
    let data = env.data.map(RawValue::get).unwrap_or("null");
    if data.trim() == "null" {
        return Err(ApiError::Empty);
    }
    let data = serde_json::from_str(data).map_err(malformed)?;
    Ok(Response {
        data,
        attribution: env.copyright,
    })
}

/// One time series of one datasource for one entity.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Series {
    #[serde(default)]
    pub entity_type: String,
    #[serde(default)]
    pub entity_code: String,
    #[serde(default)]
    pub entity_name: String,
    pub datasource: String,
    #[serde(default)]
    pub subtype: String,
    #[serde(deserialize_with = "lenient::time")]
    pub from: UtcTime,
    #[serde(deserialize_with = "lenient::time")]
    pub until: UtcTime,
    #[serde(default)]
    pub step: i64,
    #[serde(default)]
    pub native_step: i64,
    #[serde(deserialize_with = "lenient::signal_values")]
    pub values: Vec<Option<f64>>,
}

impl Series {
    /// Seconds between values. With two or fewer values IODA reports `step = nativeStep`
    /// whatever the real spacing, so derive it from the window instead.
    pub fn spacing(&self) -> i64 {
        let n = self.values.len() as i64;
        let span = self.until.secs() - self.from.secs();
        if (n <= 2 || self.step <= 0) && n > 0 && span > 0 {
            (span / n).max(1)
        } else {
            self.step.max(1)
        }
    }

    /// `(time, value)` of every non-null value.
    pub fn points(&self) -> impl Iterator<Item = (UtcTime, f64)> + '_ {
        let step = self.spacing();
        self.values
            .iter()
            .enumerate()
            .filter_map(move |(i, v)| v.map(|v| (self.from.plus(step.saturating_mul(i as i64)), v)))
    }
}

/// `signals/raw` answers one array per entity, each holding one series per datasource.
pub fn parse_signals(body: &str) -> Result<Response<Vec<Series>>, ApiError> {
    let r = parse::<Vec<Vec<Series>>>(body)?;
    let series: Vec<Series> = r.data.into_iter().flatten().collect();
    // IODA's back end failing looks like `[[]]`: no data, never zero. (All-null values stay
    // data: the series exists and its gaps are drawn as gaps.)
    if series.iter().all(|s| s.values.is_empty()) {
        return Err(ApiError::Empty);
    }
    Ok(Response {
        data: series,
        attribution: r.attribution,
    })
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OutageEvent {
    pub entity: EventEntity,
    #[serde(deserialize_with = "lenient::time")]
    pub from: UtcTime,
    #[serde(deserialize_with = "lenient::time")]
    pub until: UtcTime,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub score: Option<f64>,
    #[serde(default)]
    pub datasource: String,
    #[serde(default)]
    pub method: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EventEntity {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default)]
    pub kind: String,
}

/// `outages/events` (format=ioda). An empty list is a valid answer: no outage.
pub fn parse_events(body: &str) -> Result<Response<Vec<OutageEvent>>, ApiError> {
    parse::<Vec<OutageEvent>>(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_field_becomes_the_apis_message() {
        let body = r#"{"type":"signals","error":"Time range for a single query must be less than 100 days","data":null}"#;
        assert_eq!(
            parse_signals(body).unwrap_err(),
            ApiError::Api("Time range for a single query must be less than 100 days".into())
        );
    }

    #[test]
    fn empty_answers_are_no_data() {
        for body in [
            r#"{"error":null,"data":[[]]}"#,
            r#"{"error":null,"data":null}"#,
            r#"{"error":null,"data":[]}"#,
        ] {
            assert_eq!(parse_signals(body).unwrap_err(), ApiError::Empty, "{body}");
        }
    }

    #[test]
    fn tiny_windows_derive_spacing_from_the_window() {
        let body = r#"{"error":null,"data":[[{"datasource":"bgp","from":0,"until":3600,"step":300,"nativeStep":300,"values":[1,2]}]]}"#;
        let s = &parse_signals(body).unwrap().data[0];
        assert_eq!(s.spacing(), 1800);
        let pts: Vec<_> = s.points().collect();
        assert_eq!(pts, vec![(UtcTime(0), 1.0), (UtcTime(1800), 2.0)]);
    }
}
