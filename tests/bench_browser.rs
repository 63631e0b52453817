//! In-browser benchmark (run by scripts/bench.sh, not by the test suite): the analysis pipeline
//! against plain `JSON.parse` of the same bytes, on a generated (synthetic) scenario.
#![cfg(target_arch = "wasm32")]

use outage_lens::analysis::Analysis;
use outage_lens::api::ripestat::{self, RisPeerCount, RisPeers};
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

/// A generated (synthetic) scenario's bgplay answer, peer list and peer counts.
fn generated(
    cfg: &outage_lens_scenario::ScenarioConfig,
) -> (String, Option<RisPeers>, Option<RisPeerCount>) {
    let s = outage_lens_scenario::generate(cfg);
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
    (body, peers, count)
}

#[wasm_bindgen_test]
async fn pipeline_vs_json_parse() {
    use outage_lens::api::fetch::{current_view, Utf8Pieces};
    use outage_lens::api::pace::BrowserPace;

    let name = option_env!("BENCH_SCENARIO").unwrap_or("kp-2025-06");
    let cfg = outage_lens_scenario::by_name(name).expect("known scenario");
    let (body, peers, count) = generated(&cfg);
    // JSON.parse gets the body already decoded into a JS string (its decoding is not timed);
    // the app reads the answer's bytes (fetch::body_text) and so does the timed pipeline here.
    let js_body = js_sys::JsString::from(body.as_str());
    let js_bytes = js_sys::Uint8Array::from(body.as_bytes());
    let perf = web_sys::window().unwrap().performance().unwrap();
    let runs = 15;
    let (mut json, mut pipeline, mut parse_only, mut decode, mut longest, mut layout) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for _ in 0..runs {
        let t = perf.now();
        let v = json_parse(&js_body).unwrap();
        json.push(perf.now() - t);
        drop(v);
        // As the page does it: bytes to text (an answer of one piece), then parse and
        // analysis in slices; the time handed back to the page between slices is not work.
        let mut pace = BrowserPace::new(current_view());
        let t = perf.now();
        let mut pieces = Utf8Pieces::with_capacity(body.len());
        pieces.push(&js_bytes.to_vec());
        let text = pieces.finish();
        decode.push(perf.now() - t);
        let b = ripestat::parse_bgplay_paced(&text, &mut pace)
            .await
            .unwrap()
            .unwrap()
            .data;
        parse_only.push(perf.now() - t - pace.paused_ms);
        let until = b.end;
        let from = UtcTime(until.secs() - 86_400)
            .max(b.start.plus(86_400))
            .min(until);
        let a = Analysis::run_paced(&b, peers.as_ref(), count.as_ref(), from, until, &mut pace)
            .await
            .unwrap();
        pace.finish();
        pipeline.push(perf.now() - t - pace.paused_ms);
        // The graph's layout, which the page does after the summary shows: timed apart.
        let (t, paused) = (perf.now(), pace.paused_ms);
        let g = a.layout_paced(&mut pace).await.unwrap();
        pace.finish();
        layout.push(perf.now() - t - (pace.paused_ms - paused));
        longest.push(pace.longest_ms);
        assert!(a.visible.values.iter().any(Option::is_some));
        assert!(!g.edges.is_empty());
    }
    let (j, p, po, d) = (
        median(json),
        median(pipeline),
        median(parse_only),
        median(decode),
    );
    let block = longest.iter().copied().fold(0.0, f64::max);
    console_log!("scenario={name} (synthetic) bytes={}", body.len());
    console_log!("browser json_parse_ms={j:.2} bytes_to_string_ms={d:.2} typed_parse_ms={po:.2} pipeline_ms={p:.2} longest_main_thread_block_ms={block:.1}");
    console_log!(
        "browser graph_layout_ms={:.2} (after the summary, not in pipeline_ms)",
        median(layout)
    );
    console_log!("browser pipeline_vs_json_parse={:.2}", p / j);
}

/// The large entity (synthetic) at growing sizes, parsed and analysed as the page does it: in
/// slices (`BrowserPace`), from the answer's bytes (`fetch::body_text`). Reports the time per
/// event (linear cost) and the longest stretch the main thread was held (the 50 ms rule).
/// Sizes in prefixes, from BENCH_LARGE (e.g. "450,900,1800,3600"); skipped when unset.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = "export function chunked(parts) { \
    return new Response(new ReadableStream({ start(c) { for (const p of parts) c.enqueue(p); c.close(); } })); }")]
extern "C" {
    fn chunked(parts: js_sys::Array) -> web_sys::Response;
}

#[wasm_bindgen_test]
async fn large_entity_in_slices() {
    use outage_lens::api::fetch::{body_text, current_view};
    use outage_lens::api::pace::BrowserPace;

    let Some(sizes) = option_env!("BENCH_LARGE") else {
        return;
    };
    let perf = web_sys::window().unwrap().performance().unwrap();
    for size in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
    {
        let (body, peers, count) = generated(&outage_lens_scenario::large_entity_sized(size));
        // The body as the network hands it over, in 64 KB chunks (one chunk of the whole body
        // would time the browser copying it, which a fetched answer never makes it do).
        let chunks = js_sys::Array::new();
        for part in body.as_bytes().chunks(64 << 10) {
            chunks.push(&js_sys::Uint8Array::from(part));
        }
        let len = body.len();
        let response = chunked(chunks);
        let mut pace = BrowserPace::new(current_view());
        let t = perf.now();
        let text = body_text(&response, &mut pace).await.unwrap();
        let decoded_ms = perf.now() - t;
        let longest_decoding = pace.longest_ms;
        let b = ripestat::parse_bgplay_paced(&text, &mut pace)
            .await
            .unwrap()
            .unwrap()
            .data;
        let parsed_ms = perf.now() - t;
        let longest_parsing = pace.longest_ms;
        let events = b.events.len();
        let a = Analysis::run_paced(
            &b,
            peers.as_ref(),
            count.as_ref(),
            UtcTime(b.end.secs() - 86_400),
            b.end,
            &mut pace,
        )
        .await
        .unwrap();
        pace.finish();
        let total = perf.now() - t;
        assert!(a.visible.values.iter().any(Option::is_some));
        assert!(events > 0);
        drop((a, b, text));
        // JSON.parse last: the garbage it leaves must not land in the paced run's slices.
        let json_ms = {
            let js_body = js_sys::JsString::from(body.as_str());
            let t = perf.now();
            let v = json_parse(&js_body).unwrap();
            let ms = perf.now() - t;
            drop(v);
            ms
        };
        console_log!(
            "large prefixes={size} (synthetic) bytes={len} events={events} json_parse_ms={json_ms:.0} \
             decode_ms={decoded_ms:.0} parse_ms={parsed_ms:.0} pipeline_ms={total:.0} \
             us_per_event={:.2} pauses={} longest_slice_ms={:.1} (up to the text {:.1}, \
             to the parse {:.1})",
            total * 1000.0 / events.max(1) as f64,
            pace.pauses,
            pace.longest_ms,
            longest_decoding,
            longest_parsing
        );
    }
}
