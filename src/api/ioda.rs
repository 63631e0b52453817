//! IODA API v2: the envelope, `signals/raw` and `outages/events`.

use super::error::{malformed, ApiError};
use super::json::{self, i64_, opt_string, required, string_or_empty, FromJson, Reader};
use super::lenient;
use crate::model::UtcTime;

#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    pub data: T,
    /// The `copyright` line: shown as attribution (and it says "synthetic" for generated data).
    pub attribution: Option<String>,
}

pub fn parse<T: FromJson>(body: &str) -> Result<Response<T>, ApiError> {
    let mut data = None;
    let attribution = envelope(body, &mut |r| {
        data = Some(T::read(r)?);
        Ok(())
    })?;
    Ok(Response {
        data: data.ok_or(ApiError::Empty)?,
        attribution,
    })
}

/// `parse`'s envelope, its `data` read by `read` (which keeps it); the copyright. Not generic,
/// so it is compiled once for all the calls.
fn envelope(
    body: &str,
    read: &mut dyn FnMut(&mut Reader<'_>) -> json::Result<()>,
) -> Result<Option<String>, ApiError> {
    let (mut error, mut data, mut copyright) = (None, None, None);
    let mut r = Reader::new(body);
    r.object(&mut |r, key| {
        match key {
            "error" => error = opt_string(r)?,
            "data" => data = Some(r.value_and_text_with(read)?),
            "copyright" => copyright = opt_string(r)?,
            _ => r.skip()?,
        }
        Ok(())
    })
    .and_then(|_| r.finish())
    .map_err(malformed)?;
    if let Some(e) = error.filter(|e| !e.trim().is_empty()) {
        return Err(ApiError::Api(e));
    }
    let Some((text, typed)) = data else {
        return Err(ApiError::Empty);
    };
    if text.trim() == "null" {
        return Err(ApiError::Empty);
    }
    typed.map_err(malformed)?;
    Ok(copyright)
}

/// One time series of one datasource for one entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub entity_type: String,
    pub entity_code: String,
    pub entity_name: String,
    pub datasource: String,
    pub subtype: String,
    pub from: UtcTime,
    pub until: UtcTime,
    pub step: i64,
    pub native_step: i64,
    pub values: Vec<Option<f64>>,
}

impl FromJson for Series {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut datasource, mut from, mut until, mut values) = (None, None, None, None);
        let mut s = Series {
            entity_type: String::new(),
            entity_code: String::new(),
            entity_name: String::new(),
            datasource: String::new(),
            subtype: String::new(),
            from: UtcTime(0),
            until: UtcTime(0),
            step: 0,
            native_step: 0,
            values: Vec::new(),
        };
        r.object(&mut |r, key| {
            match key {
                "entityType" => s.entity_type = string_or_empty(r)?,
                "entityCode" => s.entity_code = string_or_empty(r)?,
                "entityName" => s.entity_name = string_or_empty(r)?,
                "datasource" => datasource = Some(r.string()?.into_owned()),
                "subtype" => s.subtype = string_or_empty(r)?,
                "from" => from = Some(lenient::time(r)?),
                "until" => until = Some(lenient::time(r)?),
                "step" => s.step = i64_(r)?,
                "nativeStep" => s.native_step = i64_(r)?,
                "values" => values = Some(lenient::signal_values(r)?),
                _ => r.skip()?,
            }
            Ok(())
        })?;
        s.datasource = required(datasource, at, "missing datasource")?;
        s.from = required(from, at, "missing from")?;
        s.until = required(until, at, "missing until")?;
        s.values = required(values, at, "missing values")?;
        Ok(s)
    }
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

#[derive(Debug, Clone, PartialEq)]
pub struct OutageEvent {
    pub entity: EventEntity,
    pub from: UtcTime,
    pub until: UtcTime,
    pub score: Option<f64>,
    pub datasource: String,
    pub method: String,
}

impl FromJson for OutageEvent {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let at = r.position();
        let (mut entity, mut from, mut until, mut score) = (None, None, None, None);
        let (mut datasource, mut method) = (String::new(), String::new());
        r.object(&mut |r, key| {
            match key {
                "entity" => entity = Some(EventEntity::read(r)?),
                "from" => from = Some(lenient::time(r)?),
                "until" => until = Some(lenient::time(r)?),
                "score" => score = lenient::opt_f64(r)?,
                "datasource" => datasource = string_or_empty(r)?,
                "method" => method = string_or_empty(r)?,
                _ => r.skip()?,
            }
            Ok(())
        })?;
        Ok(OutageEvent {
            entity: required(entity, at, "missing entity")?,
            from: required(from, at, "missing from")?,
            until: required(until, at, "missing until")?,
            score,
            datasource,
            method,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventEntity {
    pub code: String,
    pub name: String,
    pub kind: String,
}

impl FromJson for EventEntity {
    fn read(r: &mut Reader<'_>) -> json::Result<Self> {
        let mut e = EventEntity {
            code: String::new(),
            name: String::new(),
            kind: String::new(),
        };
        r.object(&mut |r, key| {
            let field = match key {
                "code" => &mut e.code,
                "name" => &mut e.name,
                "type" => &mut e.kind,
                _ => return r.skip(),
            };
            *field = string_or_empty(r)?;
            Ok(())
        })?;
        Ok(e)
    }
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
