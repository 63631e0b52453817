//! bgplay answers cut to the asked window and merged over a comma list of resources, as the
//! real call answers them: the routes held at `starttime` (the file's initial state replayed
//! through its earlier updates), then the updates in `[starttime, endtime)`. Pure: JSON in,
//! JSON out, unit-tested without sockets.

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashSet};

/// The part of an answer that holds the call's fields (`data` of an envelope, or the whole).
fn data(answer: &Value) -> &Value {
    answer
        .get("data")
        .filter(|d| d.is_object())
        .unwrap_or(answer)
}

fn list<'a>(d: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    d.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter())
        .into_iter()
        .flatten()
}

/// Unix seconds of a bgplay time: an integer, or ISO 8601 without zone (UTC).
pub fn secs(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.parse().ok().or_else(|| iso_secs(s)),
        _ => None,
    }
}

/// `YYYY-MM-DDTHH:MM[:SS]` (optional `Z`) → Unix seconds.
fn iso_secs(s: &str) -> Option<i64> {
    let s = s.trim_end_matches('Z');
    let (date, time) = s.split_once('T').unwrap_or((s, "00:00:00"));
    let mut d = date.split('-').map(|x| x.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time
        .split(':')
        .map(|x| x.split('.').next()?.parse::<i64>().ok());
    let (hh, mm) = (t.next()??, t.next()??);
    let ss = t.next().flatten().unwrap_or(0);
    Some(days_from_civil(y, m, day) * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn iso(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A time written like the file wrote its own (`like`): a number or an ISO string.
fn time_like(like: Option<&Value>, secs: i64) -> Value {
    match like {
        Some(Value::Number(_)) => json!(secs),
        _ => json!(iso(secs)),
    }
}

type Key = (String, String);

fn key_of(v: &Value) -> Option<Key> {
    Some((
        v.get("source_id")?.as_str()?.to_string(),
        v.get("target_prefix")?.as_str()?.to_string(),
    ))
}

/// One answer, cut to `[start, end)` (clamped to what the file covers).
fn cut(answer: &Value, start: Option<i64>, end: Option<i64>) -> Map<String, Value> {
    let d = data(answer);
    let file_start = d.get("query_starttime").and_then(secs);
    let file_end = d.get("query_endtime").and_then(secs);
    let start = match (start, file_start) {
        (Some(s), Some(f)) => Some(s.max(f)),
        (s, f) => s.or(f),
    };
    let end = match (end, file_end) {
        (Some(e), Some(f)) => Some(e.min(f)),
        (e, f) => e.or(f),
    };
    let mut state: BTreeMap<Key, Value> = BTreeMap::new();
    for r in list(d, "initial_state") {
        if let Some(k) = key_of(r) {
            state.insert(k, r.clone());
        }
    }
    let mut events = Vec::new();
    for e in list(d, "events") {
        let t = e.get("timestamp").and_then(secs).unwrap_or(i64::MIN);
        let attrs = e.get("attrs").unwrap_or(&Value::Null);
        if start.is_some_and(|s| t < s) {
            // Before the window: it shapes the initial state.
            let Some(k) = key_of(attrs) else { continue };
            if e.get("type").and_then(Value::as_str) == Some("W") {
                state.remove(&k);
            } else {
                let mut route = Map::new();
                for f in ["source_id", "target_prefix", "path", "community"] {
                    if let Some(v) = attrs.get(f) {
                        route.insert(f.to_string(), v.clone());
                    }
                }
                state.insert(k, Value::Object(route));
            }
        } else if end.is_none_or(|z| t < z) {
            events.push(e.clone());
        }
    }
    // Every field but the two arrays replaced below: cloning those too copied the whole
    // recording (hundreds of MB for a large entity) on every cut.
    let mut out: Map<String, Value> = d
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !matches!(k.as_str(), "initial_state" | "events"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Some(s) = start {
        out.insert(
            "query_starttime".into(),
            time_like(d.get("query_starttime"), s),
        );
    }
    if let Some(z) = end {
        out.insert("query_endtime".into(), time_like(d.get("query_endtime"), z));
    }
    out.insert(
        "initial_state".into(),
        Value::Array(state.into_values().collect()),
    );
    out.insert("events".into(), Value::Array(events));
    out
}

/// The peers (source ids) holding a route to `prefix` after every update of `answer`
/// stamped at or before `at`: the state a cut starting just after `at` opens with, for that
/// prefix alone, without copying the rest of the recording.
pub fn holders_at(answer: &Value, prefix: &str, at: i64) -> HashSet<String> {
    let d = data(answer);
    let of_prefix = |r: &Value| r.get("target_prefix").and_then(Value::as_str) == Some(prefix);
    let source = |r: &Value| {
        r.get("source_id")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let mut held: HashSet<String> = list(d, "initial_state")
        .filter(|r| of_prefix(r))
        .filter_map(source)
        .collect();
    for e in list(d, "events") {
        let t = e.get("timestamp").and_then(secs).unwrap_or(i64::MIN);
        let attrs = e.get("attrs").unwrap_or(&Value::Null);
        if t > at || !of_prefix(attrs) {
            continue;
        }
        let Some(id) = source(attrs) else { continue };
        if e.get("type").and_then(Value::as_str) == Some("W") {
            held.remove(&id);
        } else {
            held.insert(id);
        }
    }
    held
}

/// The answer for `resource` (one or several files, in the request's order) over the window:
/// the first file's envelope around the union of the cut answers.
pub fn answer(files: &[&Value], resource: &str, start: Option<i64>, end: Option<i64>) -> Value {
    let mut merged: Option<Map<String, Value>> = None;
    let mut seen: [HashSet<String>; 3] = Default::default();
    let mut routes: HashSet<Key> = HashSet::new();
    let mut notes: Vec<Value> = Vec::new();
    for file in files {
        for m in list(file, "messages") {
            if !notes.contains(m) {
                notes.push(m.clone());
            }
        }
        let part = cut(file, start, end);
        let out = merged.get_or_insert_with(|| {
            let mut o = part.clone();
            for k in ["sources", "targets", "nodes", "initial_state", "events"] {
                o.insert(k.into(), json!([]));
            }
            o
        });
        let fields = [
            ("sources", "id"),
            ("targets", "prefix"),
            ("nodes", "as_number"),
        ];
        for ((field, id), seen) in fields.into_iter().zip(seen.iter_mut()) {
            let Some(Value::Array(into)) = out.get_mut(field) else {
                continue;
            };
            for x in part
                .get(field)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if seen.insert(x.get(id).map(Value::to_string).unwrap_or_default()) {
                    into.push(x.clone());
                }
            }
        }
        if let Some(Value::Array(into)) = out.get_mut("initial_state") {
            for r in part
                .get("initial_state")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if key_of(r).is_some_and(|k| routes.insert(k)) {
                    into.push(r.clone());
                }
            }
        }
        if let (Some(Value::Array(into)), Some(Value::Array(from))) =
            (out.get_mut("events"), part.get("events"))
        {
            into.extend(from.iter().cloned());
        }
    }
    let mut out = merged.unwrap_or_default();
    if files.len() > 1 {
        if let Some(Value::Array(events)) = out.get_mut("events") {
            events.sort_by_key(|e| e.get("timestamp").and_then(secs).unwrap_or(i64::MIN));
        }
    }
    out.insert("resource".into(), json!(resource));
    match files.first() {
        Some(first) if first.get("data").is_some_and(Value::is_object) => {
            let mut env = first.as_object().cloned().unwrap_or_default();
            env.insert("data".into(), Value::Object(out));
            env.insert("messages".into(), Value::Array(notes));
            Value::Object(env)
        }
        _ => Value::Object(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small synthetic answer: peer a holds p from the start, b gets it at 150, a loses it
    /// at 250 and gets it back at 350.
    fn file(origin: u32, prefix: &str) -> Value {
        json!({"status": "ok", "messages": [["info", "synthetic"]], "data": {
        "query_starttime": "2025-06-06T00:00:00", "query_endtime": "2025-06-06T00:10:00",
        "resource": origin.to_string(),
        "sources": [{"id": "00-a", "as_number": 1}, {"id": "00-b", "as_number": 2}],
        "targets": [{"prefix": prefix}],
        "nodes": [{"as_number": 7}, {"as_number": origin}],
        "initial_state": [{"source_id": "00-a", "target_prefix": prefix, "path": [1, 7, origin]}],
        "events": [
            {"timestamp": T0 + 150, "type": "A", "attrs": {"source_id": "00-b", "target_prefix": prefix, "path": [2, 7, origin]}},
            {"timestamp": T0 + 250, "type": "W", "attrs": {"source_id": "00-a", "target_prefix": prefix}},
            {"timestamp": T0 + 350, "type": "A", "attrs": {"source_id": "00-a", "target_prefix": prefix, "path": [1, 7, origin], "community": ["7:1"]}}
        ]}})
    }

    const T0: i64 = 1_749_168_000; // 2025-06-06T00:00:00Z

    #[test]
    fn iso_round_trips() {
        assert_eq!(iso_secs("2025-06-06T00:00:00"), Some(T0));
        assert_eq!(iso(T0 + 3661), "2025-06-06T01:01:01");
        assert_eq!(iso_secs("1999-12-31T23:59Z"), Some(946_684_740));
        assert_eq!(secs(&json!("1749168000")), Some(T0));
    }

    #[test]
    fn the_initial_state_at_starttime_is_the_replay_of_what_came_before() {
        let f = file(9, "10.0.0.0/24");
        let a = answer(&[&f], "AS9", Some(T0 + 300), Some(T0 + 400));
        let d = &a["data"];
        assert_eq!(d["query_starttime"], "2025-06-06T00:05:00");
        assert_eq!(d["query_endtime"], "2025-06-06T00:06:40");
        let initial: Vec<&str> = d["initial_state"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["source_id"].as_str().unwrap())
            .collect();
        assert_eq!(initial, ["00-b"], "a withdrew at 250, b announced at 150");
        assert_eq!(d["events"].as_array().unwrap().len(), 1);
        assert_eq!(d["events"][0]["timestamp"], T0 + 350);
        // Half-open: an update at the end belongs to the next window.
        let a = answer(&[&f], "AS9", Some(T0), Some(T0 + 250));
        assert_eq!(a["data"]["events"].as_array().unwrap().len(), 1);
        assert_eq!(a["data"]["initial_state"].as_array().unwrap().len(), 1);
        // A window beyond the file is clamped to it; no window keeps everything.
        let a = answer(&[&f], "AS9", Some(T0 - 999), None);
        assert_eq!(a["data"]["query_starttime"], "2025-06-06T00:00:00");
        assert_eq!(a["data"]["events"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn consecutive_windows_add_up_to_the_whole() {
        let f = file(9, "10.0.0.0/24");
        let n = |a: i64, z: i64| {
            answer(&[&f], "AS9", Some(T0 + a), Some(T0 + z))["data"]["events"]
                .as_array()
                .unwrap()
                .len()
        };
        assert_eq!(n(0, 200) + n(200, 350) + n(350, 600), 3);
    }

    #[test]
    fn a_comma_list_is_the_union_in_time_order() {
        let (x, y) = (file(9, "10.0.0.0/24"), file(8, "10.0.1.0/24"));
        let a = answer(&[&x, &y], "AS9,AS8", Some(T0 + 200), None);
        let d = &a["data"];
        assert_eq!(d["resource"], "AS9,AS8");
        assert_eq!(d["sources"].as_array().unwrap().len(), 2);
        assert_eq!(d["targets"].as_array().unwrap().len(), 2);
        assert_eq!(d["nodes"].as_array().unwrap().len(), 3);
        assert_eq!(d["initial_state"].as_array().unwrap().len(), 4);
        let times: Vec<i64> = d["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["timestamp"].as_i64().unwrap())
            .collect();
        assert_eq!(times, [T0 + 250, T0 + 250, T0 + 350, T0 + 350]);
        assert_eq!(a["messages"], json!([["info", "synthetic"]]));
        assert_eq!(a["status"], "ok");
    }

    #[test]
    fn holders_at_any_time_are_the_routes_a_cut_just_after_it_opens_with() {
        let f = file(9, "10.0.0.0/24");
        // The same file under a second prefix's routes, which must not leak into the first.
        let other = file(9, "10.9.0.0/24");
        let mut both = f.clone();
        for k in ["initial_state", "events"] {
            let extra = other["data"][k].as_array().cloned().unwrap_or_default();
            if let Some(list) = both["data"][k].as_array_mut() {
                list.extend(extra);
            }
        }
        let mut seen = HashSet::new();
        for t in (T0 - 100..T0 + 700).step_by(25) {
            let cut = answer(&[&both], "10.0.0.0/24", Some(t + 1), Some(t + 2));
            let from_cut: HashSet<String> = list(data(&cut), "initial_state")
                .filter(|r| r["target_prefix"] == "10.0.0.0/24")
                .filter_map(|r| r["source_id"].as_str().map(str::to_string))
                .collect();
            let held = holders_at(&both, "10.0.0.0/24", t);
            assert_eq!(held, from_cut, "at {t}");
            seen.insert(held.len());
        }
        // The file's history passes through one, two and again one holder.
        assert!(seen.contains(&1) && seen.contains(&2), "{seen:?}");
    }
}
