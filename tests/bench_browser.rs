//! In-browser benchmark (run by scripts/bench.sh, not by the test suite): the analysis pipeline
//! against plain `JSON.parse` of the same bytes, on a generated (synthetic) scenario.
#![cfg(target_arch = "wasm32")]

use outage_lens::analysis::Analysis;
use outage_lens::api::ripestat::{self, Bgplay, RisPeerCount, RisPeers};
use outage_lens::model::UtcTime;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JS string as it is, with no copy through Rust (what a JS app does).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &js_sys::JsString) -> Result<JsValue, JsValue>;
}

wasm_bindgen_test_configure!(run_in_browser);

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

#[wasm_bindgen_test]
fn pipeline_vs_json_parse() {
    let name = option_env!("BENCH_SCENARIO").unwrap_or("kp-2025-06");
    let cfg = outage_lens_scenario::by_name(name).expect("known scenario");
    let s = outage_lens_scenario::generate(&cfg);
    let file = |p: &str| {
        s.files
            .iter()
            .find(|(f, _)| f.contains(p))
            .map(|(_, v)| v.to_string())
    };
    let body = file("ripestat/bgplay/").expect("bgplay");
    let peers = file("ris-peers/")
        .and_then(|b| ripestat::parse::<RisPeers>(&b).ok())
        .map(|r| r.data);
    let count = file("ris-peer-count/")
        .and_then(|b| ripestat::parse::<RisPeerCount>(&b).ok())
        .map(|r| r.data);
    // JSON.parse gets the body already decoded into a JS string (its decoding is not timed);
    // the app reads the answer's bytes (fetch::get_text) and so does the timed pipeline here.
    let js_body = js_sys::JsString::from(body.as_str());
    let js_bytes = js_sys::Uint8Array::from(body.as_bytes());
    let perf = web_sys::window().unwrap().performance().unwrap();
    let runs = 7;
    let mut json = Vec::new();
    let mut pipeline = Vec::new();
    let mut parse_only = Vec::new();
    let mut convert = Vec::new();
    for _ in 0..runs {
        let t = perf.now();
        let v = json_parse(&js_body).unwrap();
        json.push(perf.now() - t);
        drop(v);
        let t = perf.now();
        // What fetch::body_text does with an answer of one piece.
        let mut pieces = outage_lens::api::fetch::Utf8Pieces::with_capacity(body.len());
        pieces.push(&js_bytes.to_vec());
        let text = pieces.finish();
        convert.push(perf.now() - t);
        let b = ripestat::parse::<Bgplay>(&text).unwrap().data;
        let parsed_at = perf.now();
        let until = b.end;
        let from = UtcTime(until.secs() - 86_400)
            .max(b.start.plus(86_400))
            .min(until);
        let a = Analysis::run(&b, peers.as_ref(), count.as_ref(), from, until);
        pipeline.push(perf.now() - t);
        parse_only.push(parsed_at - t);
        assert!(a.visible.values.iter().any(Option::is_some));
    }
    let (j, p, po, c) = (
        median(json),
        median(pipeline),
        median(parse_only),
        median(convert),
    );
    console_log!("scenario={name} (synthetic) bytes={}", body.len());
    console_log!("browser json_parse_ms={j:.2} bytes_to_string_ms={c:.2} typed_parse_ms={po:.2} pipeline_ms={p:.2} main_thread_block_ms={p:.2}");
    console_log!("browser pipeline_vs_json_parse={:.2}", p / j);
}
