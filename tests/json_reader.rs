//! The hand-written JSON reader (src/api/json.rs) against serde_json, the reference: on every
//! real sample, on those samples truncated and mutated, and on generated documents, both must
//! accept the same texts and read the same values.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use outage_lens::api::json::{self, Kind, Reader, Skip};
use proptest::prelude::*;
use serde_json::Value;

/// Reads one value with the reader's API into serde_json's tree, to compare the two.
fn value(r: &mut Reader<'_>) -> json::Result<Value> {
    Ok(match r.kind()? {
        Kind::Null => {
            r.null()?;
            Value::Null
        }
        Kind::Bool => Value::Bool(r.bool()?),
        Kind::Number => {
            let t = r.number_text()?;
            if t.contains(['.', 'e', 'E']) {
                // The reader's own conversion, the one the parsers use.
                t.parse::<f64>().map(Value::from).unwrap_or(Value::Null)
            } else {
                // Integers as serde_json types them (i64, u64, or f64 beyond), to compare trees.
                serde_json::from_str::<Value>(t).unwrap_or(Value::Null)
            }
        }
        Kind::String => Value::String(r.string()?.into_owned()),
        Kind::Array => {
            let mut items = Vec::new();
            r.array(&mut |r| {
                items.push(value(r)?);
                Ok(())
            })?;
            Value::Array(items)
        }
        Kind::Object => {
            let mut map = serde_json::Map::new();
            r.object(&mut |r, k| {
                let v = value(r)?;
                map.insert(k.to_string(), v);
                Ok(())
            })?;
            Value::Object(map)
        }
    })
}

fn ours(text: &str) -> Option<Value> {
    let mut r = Reader::new(text);
    let v = value(&mut r).ok()?;
    r.finish().ok()?;
    Some(v)
}

fn assert_same(text: &str) {
    let parsed = serde_json::from_str::<Value>(text);
    // serde_json refuses numbers beyond f64's range, which JSON's grammar allows and the
    // reader accepts (they are refused where a number is read as a number).
    let out_of_range = matches!(&parsed, Err(e) if e.to_string().contains("out of range"));
    let reference = parsed.ok();
    let mine = ours(text);
    match (&reference, &mine) {
        (Some(a), Some(b)) => assert_eq!(a, b, "different values for {text:.200}"),
        (None, None) => {}
        (None, Some(_)) if out_of_range => {}
        _ => panic!(
            "serde_json {} but the reader {}: {text:.300}",
            if reference.is_some() {
                "accepts"
            } else {
                "refuses"
            },
            if mine.is_some() { "accepts" } else { "refuses" }
        ),
    }
    // Skipping accepts exactly what reading accepts.
    assert_eq!(
        json::from_str::<Skip>(text).is_ok(),
        mine.is_some(),
        "{text:.200}"
    );
}

fn samples() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    let mut out = Vec::new();
    for dir in ["ripestat", "ioda"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            if let Ok(text) = std::fs::read_to_string(e.path()) {
                out.push((e.file_name().to_string_lossy().into_owned(), text));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_sample_reads_as_serde_json_reads_it() {
    let all = samples();
    assert!(all.len() >= 20, "the samples are missing: {}", all.len());
    for (name, text) in &all {
        let reference: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(ours(text).as_ref(), Some(&reference), "{name}");
    }
}

#[test]
fn truncated_and_mutated_samples_are_refused_or_read_alike() {
    // A deterministic xorshift, so the cases are the same on every run.
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let tokens: [&[u8]; 10] = [
        b"\"", b"\\", b"{", b"}", b"[", b"]", b",", b":", b"-0", b"\\u00e9",
    ];
    let mut cases = 0;
    for (_, text) in samples().iter().filter(|(_, t)| t.len() < 400_000) {
        let bytes = text.as_bytes();
        for _ in 0..40 {
            let cut = (next() as usize) % (bytes.len() + 1);
            if let Ok(t) = std::str::from_utf8(&bytes[..cut]) {
                assert_same(t);
                cases += 1;
            }
            let mut m = bytes.to_vec();
            let at = (next() as usize) % m.len().max(1);
            let tok = tokens[(next() as usize) % tokens.len()];
            m.splice(at..(at + 1).min(m.len()), tok.iter().copied());
            if let Ok(t) = std::str::from_utf8(&m) {
                assert_same(t);
                cases += 1;
            }
        }
    }
    assert!(cases > 500, "too few cases: {cases}");
}

#[test]
fn the_edges_of_the_grammar() {
    for t in [
        "0",
        "-0",
        "1.5e-3",
        "01",
        "1.",
        ".5",
        "-",
        "1e",
        "+1",
        "\"\\ud83d\\ude00\"",
        "\"\\ud83d\"",
        "\"\\udc00\"",
        "\"a\u{1}\"",
        "\"\\x\"",
        "[1,]",
        "{\"a\":1,}",
        "{,}",
        "[",
        "nul",
        "truex",
        " [ ] ",
        "{\"a\" 1}",
        "\"\\u00E9t\\u00e9\"",
        "[[[[]]]]",
        "{\"a\":{\"b\":[null,true]}}",
    ] {
        assert_same(t);
    }
}

#[test]
fn hostile_nesting_is_refused_without_recursion() {
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    assert!(json::from_str::<Skip>(&deep).is_err());
    let ok = "[".repeat(100) + &"]".repeat(100);
    assert!(json::from_str::<Skip>(&ok).is_ok());
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_\"\\\\é]{0,6}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_read_alike(v in arb_json(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&v)
        } else {
            serde_json::to_string(&v)
        }
        .unwrap_or_default();
        prop_assert_eq!(ours(&text), Some(v));
    }
}
