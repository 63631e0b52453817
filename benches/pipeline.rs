//! Native benchmark of the analysis pipeline on a generated (synthetic) scenario: parse the
//! bgplay answer, then replay + series + detection + evidence + graph, against serde_json's
//! bare parse of the same bytes into an untyped value; then what each move of the replay cursor
//! costs (graph weights, a selected prefix's edges, the evidence panel on the origin) at 50
//! moments across the window, and the layout with its timelines. `cargo bench --bench pipeline`.

use std::time::Instant;

use outage_lens::analysis::pace::{unpaced, Pace};
use outage_lens::analysis::{chunks, graph, Analysis};
use outage_lens::api::ripestat::{self, Bgplay, RisPeerCount, RisPeers};
use outage_lens::model::UtcTime;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// A pace that never pauses but times the stretches between its looks at the clock: the
/// longest is how long the page's main thread could be held past a slice's end (natively).
/// With `BENCH_WHERE=1` it also names the code at both ends of the longest stretches, the
/// places to look at first when a slice runs long. Run it with
/// `GLIBC_TUNABLES=glibc.malloc.mxfast=0`: with fastbins, freeing a large block after
/// millions of small ones makes glibc consolidate them all in one go (hundreds of ms that the
/// wasm allocator, which has no fastbins, never spends).
struct Stopwatch {
    last: Instant,
    longest_ms: f64,
    looks: usize,
    /// The longest stretches with the code at their ends, longest first (`BENCH_WHERE`).
    longest: Vec<(f64, String, String)>,
    where_wanted: bool,
    previous: String,
}

/// Stretches named by `BENCH_WHERE`.
const NAMED_STRETCHES: usize = 8;

/// The innermost line of the app's own code outside the pace itself: where a look happened
/// (file and line need `CARGO_PROFILE_BENCH_DEBUG=line-tables-only`).
fn site(trace: &std::backtrace::Backtrace) -> String {
    trace
        .to_string()
        .lines()
        .filter_map(|l| l.trim().strip_prefix("at "))
        .find(|at| at.starts_with("./src/") && !at.contains("/pace.rs:"))
        .map(|at| at.trim_start_matches("./src/").to_string())
        .unwrap_or_else(|| "(no line of the app's own: build with line tables)".into())
}

impl Stopwatch {
    fn new() -> Stopwatch {
        Stopwatch {
            last: Instant::now(),
            longest_ms: 0.0,
            looks: 0,
            longest: Vec::new(),
            where_wanted: std::env::var_os("BENCH_WHERE").is_some(),
            previous: String::new(),
        }
    }

    fn look(&mut self) {
        let gap = self.last.elapsed().as_secs_f64() * 1000.0;
        self.looks += 1;
        self.longest_ms = self.longest_ms.max(gap);
        if self.where_wanted {
            let here = site(&std::backtrace::Backtrace::force_capture());
            let shortest = self.longest.last().map_or(0.0, |(ms, _, _)| *ms);
            if self.longest.len() < NAMED_STRETCHES || gap > shortest {
                self.longest
                    .push((gap, self.previous.clone(), here.clone()));
                self.longest.sort_by(|a, b| b.0.total_cmp(&a.0));
                self.longest.truncate(NAMED_STRETCHES);
            }
            self.previous = here;
        }
        self.last = Instant::now();
    }
}

impl Pace for Stopwatch {
    type Stop = std::convert::Infallible;

    fn due(&mut self) -> bool {
        self.look();
        false
    }

    async fn pause(&mut self) -> Result<(), Self::Stop> {
        self.look();
        Ok(())
    }
}

fn time_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f(); // warm-up
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

fn main() {
    let name = std::env::args()
        .nth(1)
        .filter(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "kp-2025-06".into());
    // `large-entity:N`: the large entity with about N prefixes (for the linearity series).
    let sized = name
        .strip_prefix("large-entity:")
        .and_then(|n| n.parse().ok())
        .map(outage_lens_scenario::large_entity_sized);
    let Some(cfg) = sized.or_else(|| outage_lens_scenario::by_name(&name)) else {
        eprintln!(
            "unknown scenario {name}; known: {:?}",
            outage_lens_scenario::scenario_names()
        );
        std::process::exit(2);
    };
    let s = outage_lens_scenario::generate(&cfg);
    let get = |p: &str| {
        s.files
            .iter()
            .find(|(f, _)| f.ends_with(p))
            .map(|(_, v)| v.to_string())
    };
    let Some(body) = s
        .files
        .iter()
        .find(|(f, _)| f.starts_with("ripestat/bgplay/"))
        .map(|(_, v)| v.to_string())
    else {
        eprintln!("scenario {name} has no bgplay answer");
        std::process::exit(2);
    };
    let peers = get("ris-peers/_default.json")
        .and_then(|b| ripestat::parse::<RisPeers>(&b).ok())
        .map(|r| r.data);
    let count = get("ris-peer-count/_default.json")
        .and_then(|b| ripestat::parse::<RisPeerCount>(&b).ok())
        .map(|r| r.data);
    let parsed = match ripestat::parse::<Bgplay>(&body) {
        Ok(r) => r.data,
        Err(e) => {
            eprintln!("bgplay does not parse: {e}");
            std::process::exit(1);
        }
    };
    // The view: the last day of the window (its baseline is the day before), or all of it.
    let until = parsed.end;
    let from = UtcTime(until.secs() - 86_400)
        .max(parsed.start.plus(86_400))
        .min(until);
    let runs = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(9);
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let json_ms = time_ms(if only.is_empty() { runs } else { 1 }, || {
        let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        std::hint::black_box(v);
    });
    let parse_ms = time_ms(if only == "analysis" { 1 } else { runs }, || {
        std::hint::black_box(ripestat::parse::<Bgplay>(&body).ok());
    });
    let analysis_ms = time_ms(if only == "parse" { 1 } else { runs }, || {
        std::hint::black_box(Analysis::run(
            &parsed,
            peers.as_ref(),
            count.as_ref(),
            from,
            until,
        ));
    });
    let pipeline = parse_ms + analysis_ms;
    // The replay cursor: graph weights at 50 moments spread over the window, in a shuffled
    // order (the UI jumps as well as steps), each timed once.
    let a = Analysis::run(&parsed, peers.as_ref(), count.as_ref(), from, until);
    let g = a.layout();
    let (start, end) = (a.input.start.secs(), a.input.end.secs());
    let mut times: Vec<i64> = (0..50).map(|i| start + (end - start) * i / 49).collect();
    // A fixed stride permutation: deterministic, and consecutive queries far apart.
    times = (0..times.len())
        .map(|i| times[(i * 17) % times.len()])
        .collect();
    let queries: Vec<f64> = times
        .iter()
        .map(|t| {
            let at = Instant::now();
            std::hint::black_box(graph::at(&g, &a.input, UtcTime(*t)));
            at.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let worst = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    // A selected prefix's edges, at the same moments.
    let prefix_queries: Vec<f64> = times
        .iter()
        .map(|t| {
            let at = Instant::now();
            std::hint::black_box(graph::prefix_edges(&g, &a.input, 0, UtcTime(*t)));
            at.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    // The evidence panel on the origin node (every route crosses it), at the same moments.
    let origin = g.nodes.iter().position(|n| n.layer == 0).unwrap_or(0);
    let evidence_queries: Vec<f64> = times
        .iter()
        .map(|t| {
            let at = Instant::now();
            let target = graph::Target::Node(origin);
            std::hint::black_box(graph::evidence(&g, &a.input, target, UtcTime(*t)));
            at.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    // The graph's layout, with the weight timeline that makes those queries cheap: the page
    // lays it out after the summary shows, so it is not part of analysis_ms.
    let layout_ms = time_ms(if only == "parse" { 1 } else { runs }, || {
        std::hint::black_box(a.layout());
    });
    println!(
        "scenario={name} (synthetic) bytes={} events={}",
        body.len(),
        parsed.events.len()
    );
    println!("native serde_json_value_parse_ms={json_ms:.2}");
    println!("native typed_parse_ms={parse_ms:.2} analysis_ms={analysis_ms:.2} pipeline_ms={pipeline:.2}");
    println!("pipeline_vs_json_parse={:.2}", pipeline / json_ms);
    for (what, v) in [
        ("graph::at", &queries),
        ("prefix_edges", &prefix_queries),
        ("evidence", &evidence_queries),
    ] {
        println!(
            "{what} queries={} median_ms={:.3} worst_ms={:.3}",
            v.len(),
            median(v.to_vec()),
            worst(v)
        );
    }
    // The paced parse and analysis, as the page runs them: the longest stretch without a look
    // at the clock (and the stretch before the first and after the last look).
    let mut watch = Stopwatch::new();
    let paced = unpaced(async {
        let b = ripestat::parse_bgplay_paced(&body, &mut watch).await?;
        let Ok(b) = b else { return Ok(None) };
        let a = Analysis::run_paced(
            &b.data,
            peers.as_ref(),
            count.as_ref(),
            from,
            until,
            &mut watch,
        )
        .await?;
        // Both kept, as the page keeps them: their drop is no part of the stretch.
        Ok(Some((b, a)))
    });
    // A window the API answers in two chunks, stitched as the page does.
    let parts = chunks::split(
        &parsed,
        &[parsed
            .start
            .plus((parsed.end.secs() - parsed.start.secs()) / 2)],
    );
    watch.last = Instant::now(); // the split is the test's, not the page's
    let stitched = unpaced(chunks::assemble_paced(vec![parts], &mut watch));
    watch.look();
    std::hint::black_box(stitched);
    println!(
        "paced_longest_stretch_ms={:.2} looks={} (native parse, stitching of two chunks and \
         analysis; the page pauses when its slice is spent)",
        watch.longest_ms, watch.looks
    );
    for (ms, from, to) in &watch.longest {
        println!("stretch {ms:.2} ms\n  from {from}\n  to   {to}");
    }
    std::hint::black_box(paced);
    println!(
        "graph_layout_ms={layout_ms:.2} graph_edges={} full_peers={} prefixes={} timeline_bytes={}",
        g.edges.len(),
        a.peers.full.iter().filter(|f| **f).count(),
        a.input.prefixes.len(),
        g.timeline_bytes()
    );
}
