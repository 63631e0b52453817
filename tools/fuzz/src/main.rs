//! `outage-lens-fuzz [--seconds N | --executions N] [--seed S] [--samples DIR] [--out DIR]`
//! `outage-lens-fuzz --replay FILE...`
//!
//! A deterministic mutation fuzzer on stable Rust (no libFuzzer): seeds are every recorded
//! sample, the URL examples, generated adversarial bgplay answers (with matching ris-peers and
//! ris-peer-count) and the synthetic kp-2025-06 scenario. Each input goes to every parser of the
//! app, and every bgplay answer that parses goes through `Analysis::run` and `graph::at`
//! (engine.rs, shared with tests/robustness.rs). Panics are caught per input; each crashing
//! input is saved as `<out>/<target>-<n>.json`. The output ends with exactly one line
//! `executions=<n> crashes=<m>`; the exit code is 0 when m == 0, else 1. For a given seed and
//! `--executions`, runs are identical.

mod engine;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use engine::{BgplaySpec, Companions, Context, Finding, Rng, Stats};
use outage_lens::api::ripestat::{self, Bgplay};

const USAGE: &str = "usage: outage-lens-fuzz [--seconds N | --executions N] [--seed S] [--samples DIR] [--out DIR]\n       outage-lens-fuzz --replay FILE...";

/// Crash files kept per distinct panic (target + message); every crash is counted.
const FILES_PER_SIGNATURE: usize = 20;
/// Inputs that parsed are added to the corpus, up to this many.
const MAX_GROWN: usize = 2_000;

struct Args {
    seconds: Option<f64>,
    executions: Option<u64>,
    seed: u64,
    samples: PathBuf,
    out: PathBuf,
    replay: Vec<PathBuf>,
}

fn workspace() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    p.canonicalize().unwrap_or(p)
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        seconds: None,
        executions: None,
        seed: 1,
        samples: {
            let p = workspace().join("../shared/samples");
            p.canonicalize().unwrap_or(p)
        },
        out: workspace().join("target/fuzz-crashes"),
        replay: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--seconds" => {
                let v = value("--seconds")?;
                a.seconds = Some(
                    v.parse::<f64>()
                        .ok()
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .ok_or(format!("--seconds {v}: not a number of seconds"))?,
                );
            }
            "--executions" => {
                let v = value("--executions")?;
                a.executions = Some(
                    v.parse()
                        .map_err(|_| format!("--executions {v}: not a count"))?,
                );
            }
            "--seed" => {
                let v = value("--seed")?;
                a.seed = v.parse().map_err(|_| format!("--seed {v}: not a number"))?;
            }
            "--samples" => a.samples = PathBuf::from(value("--samples")?),
            "--out" => a.out = PathBuf::from(value("--out")?),
            "--replay" => {
                a.replay.extend(it.by_ref().map(PathBuf::from));
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if a.seconds.is_some() && a.executions.is_some() {
        return Err("give --seconds or --executions, not both".into());
    }
    if a.seconds.is_none() && a.executions.is_none() {
        a.seconds = Some(60.0);
    }
    Ok(a)
}

/// One corpus entry: bytes to mutate and the companions its bgplay analysis uses.
struct Entry {
    bytes: Vec<u8>,
    comp: usize,
}

struct Corpus {
    entries: Vec<Entry>,
    companions: Vec<Companions>,
    /// Number of entries that are seeds (the rest were grown from parsing inputs).
    seeds: usize,
}

impl Corpus {
    fn add(&mut self, bytes: Vec<u8>, comp: Companions) {
        self.companions.push(comp);
        self.entries.push(Entry {
            bytes,
            comp: self.companions.len() - 1,
        });
    }
}

fn build(args: &Args, rng: &mut Rng) -> Result<(Corpus, Context, String), String> {
    let samples = engine::load_samples(&args.samples)
        .map_err(|e| format!("samples in {}: {e}", args.samples.display()))?;
    if samples.is_empty() {
        return Err(format!("no *.json samples in {}", args.samples.display()));
    }
    let sample_comp = engine::sample_companions(&samples);
    let mut corpus = Corpus {
        entries: Vec::new(),
        companions: vec![sample_comp.clone()],
        seeds: 0,
    };
    for s in &samples {
        corpus.entries.push(Entry {
            bytes: s.body.clone().into_bytes(),
            comp: 0,
        });
    }
    // Every numeric field of every sample at u32::MAX, one field at a time.
    let mut extreme = 0;
    for s in &samples {
        for v in engine::every_numeric_field_at(s.body.as_bytes(), "4294967295") {
            corpus.entries.push(Entry { bytes: v, comp: 0 });
            extreme += 1;
        }
    }
    for q in engine::QUERY_SEEDS {
        corpus.entries.push(Entry {
            bytes: q.as_bytes().to_vec(),
            comp: 0,
        });
    }
    let mut ctx = thorough_context(&samples, sample_comp);
    // Generated answers: small ones, and one with 10k events.
    let mut generated = 0;
    for i in 0..96 {
        let spec = if i == 0 {
            engine::many_events_on_one_prefix(10_000)
        } else {
            BgplaySpec::random(rng, 200)
        };
        let comp = engine::spec_companions(&spec, rng);
        if i == 1 {
            if let Ok(b) = ripestat::parse::<Bgplay>(&spec.to_json()) {
                ctx.base.push((b.data, comp.clone()));
            }
        }
        if i % 8 == 0 {
            corpus.add(spec.ris_peers_json(2).into_bytes(), Companions::default());
            corpus.add(
                spec.ris_peer_count_json(7).into_bytes(),
                Companions::default(),
            );
        }
        corpus.add(spec.to_json().into_bytes(), comp);
        generated += 1;
    }
    // The synthetic scenario: a realistic 1.5 MB bgplay with its own peers and counts.
    let scenario = outage_lens_scenario::generate(&outage_lens_scenario::kp_2025_06());
    let text = |part: &str| {
        scenario
            .files
            .iter()
            .find(|(p, _)| p.contains(part))
            .map(|(_, v)| v.to_string())
    };
    let comp = Companions {
        peers: text("ris-peers/")
            .and_then(|t| ripestat::parse(&t).ok())
            .map(|r| r.data),
        count: text("ris-peer-count/")
            .and_then(|t| ripestat::parse(&t).ok())
            .map(|r| r.data),
    };
    for (_, v) in &scenario.files {
        corpus.add(v.to_string().into_bytes(), comp.clone());
    }
    corpus.seeds = corpus.entries.len();
    let about = format!(
        "{} seeds: {} samples, {extreme} with a numeric field at u32::MAX, {} URL queries, {} generated bgplay answers (+ their peers/counts), {} scenario files",
        corpus.seeds,
        samples.len(),
        engine::QUERY_SEEDS.len(),
        generated,
        scenario.files.len()
    );
    Ok((corpus, ctx, about))
}

/// For a build with `panic = "abort"` (the workspace's release profile): the hook saves the
/// input being run, prints the summary line and exits 1 instead of aborting silently.
mod abort_guard {
    use std::path::PathBuf;
    use std::sync::Mutex;

    pub static CURRENT: Mutex<Option<(PathBuf, String, u64)>> = Mutex::new(None);

    pub fn install() {
        if !cfg!(panic = "abort") {
            return;
        }
        std::panic::set_hook(Box::new(|info| {
            let cur = CURRENT.lock().ok().and_then(|mut c| c.take());
            println!("panic (this build aborts on panic, so the run stops here): {info}");
            if let Some((dir, input, n)) = cur {
                let _ = std::fs::create_dir_all(&dir);
                let path = dir.join(format!("abort-{n}.json"));
                let _ = std::fs::write(&path, input);
                println!("crash input saved as {}", path.display());
                println!("executions={n} crashes=1");
            } else {
                println!("executions=0 crashes=1");
            }
            std::process::exit(1);
        }));
    }
}

/// Removes `<target>-<n>.json` (and `abort-<n>.json`) left by an earlier run, so the directory
/// holds this run's crashes only. Other files are left alone.
fn clear_old_crashes(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = name
            .strip_suffix(".json")
            .and_then(|stem| stem.rsplit_once('-'))
            .is_some_and(|(target, num)| {
                !target.is_empty()
                    && target.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    && !num.is_empty()
                    && num.bytes().all(|b| b.is_ascii_digit())
            });
        if ours && std::fs::remove_file(e.path()).is_ok() {
            n += 1;
        }
    }
    n
}

/// The context of a long run and of a crash replay alike: every stage, the long window, and
/// the real bgplay sample as a base answer.
fn thorough_context(samples: &[engine::Sample], comp: engine::Companions) -> Context {
    let mut ctx = Context {
        visibility: engine::sample_visibility(samples),
        budget: 20_000_000,
        long_window: true,
        all_variants: true,
        thorough: true,
        ..Context::default()
    };
    if let Some(b) = samples
        .iter()
        .find(|s| s.name.contains("_bgplay_"))
        .and_then(|s| ripestat::parse::<Bgplay>(&s.body).ok())
    {
        ctx.base.push((b.data, comp));
    }
    ctx
}

fn replay(files: &[PathBuf], args: &Args) -> i32 {
    let samples = engine::load_samples(&args.samples).unwrap_or_default();
    let comp = engine::sample_companions(&samples);
    let ctx = thorough_context(&samples, comp.clone());
    let mut stats = Stats::default();
    let mut crashes = 0;
    for f in files {
        let Ok(bytes) = std::fs::read(f) else {
            println!("{}: cannot read", f.display());
            crashes += 1;
            continue;
        };
        let text = engine::as_text(&bytes);
        let findings = engine::run_all(&text, &comp, &ctx, &mut stats);
        if findings.is_empty() {
            println!("{}: no panic", f.display());
        } else {
            crashes += 1;
            for x in &findings {
                println!("{}: {x}", f.display());
            }
        }
    }
    println!("executions={} crashes={crashes}", files.len());
    i32::from(crashes > 0)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("{e}");
            }
            eprintln!("{USAGE}");
            println!("executions=0 crashes=0");
            std::process::exit(2);
        }
    };
    engine::install_panic_hook();
    abort_guard::install();
    if !args.replay.is_empty() {
        std::process::exit(replay(&args.replay, &args));
    }
    let started = Instant::now();
    let mut rng = Rng::new(args.seed);
    let (mut corpus, ctx, about) = match build(&args, &mut rng) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            println!("executions=0 crashes=0");
            std::process::exit(2);
        }
    };
    let limit = match (args.seconds, args.executions) {
        (_, Some(n)) => format!("{n} executions"),
        (Some(s), None) => format!("{s} s"),
        (None, None) => unreachable!("parse_args sets a default"),
    };
    println!(
        "outage-lens-fuzz: seed {}, {limit}; {about}; set up in {:.1} s; crashes go to {}",
        args.seed,
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    if cfg!(panic = "abort") {
        println!("note: built with panic=abort: the first panic ends the run (scripts/fuzz.sh builds with unwind)");
    }
    let _ = std::io::stdout().flush();

    let cleared = clear_old_crashes(&args.out);
    if cleared > 0 {
        println!(
            "removed {cleared} crash files of an earlier run from {}",
            args.out.display()
        );
    }
    let deadline = args
        .seconds
        .map(|s| Instant::now() + Duration::from_secs_f64(s));
    let corpus_bytes_snapshot: Vec<Vec<u8>> =
        corpus.entries.iter().map(|e| e.bytes.clone()).collect();
    let mut stats = Stats::default();
    let mut executions: u64 = 0;
    let mut crashes: u64 = 0;
    let mut signatures: BTreeMap<String, (u64, String)> = BTreeMap::new();
    let mut slowest = (Duration::ZERO, String::new());
    let fuzz_start = Instant::now();
    let mut last_report = Instant::now();
    let mut grown = 0usize;
    loop {
        if let Some(n) = args.executions {
            if executions >= n {
                break;
            }
        }
        if let Some(d) = deadline {
            if executions.is_multiple_of(8) && Instant::now() >= d {
                break;
            }
        }
        // Pick a corpus entry; big ones (the scenario, the 2017 recordings) less often.
        let mut i = rng.below(corpus.entries.len());
        while corpus.entries[i].bytes.len() > 200_000 && !rng.chance(1, 16) {
            i = rng.below(corpus.entries.len());
        }
        let entry = &corpus.entries[i];
        let bytes = if rng.chance(1, 32) {
            entry.bytes.clone()
        } else {
            engine::mutate(&mut rng, &entry.bytes, &corpus_bytes_snapshot)
        };
        let comp_index = entry.comp;
        let text = engine::as_text(&bytes);
        if cfg!(panic = "abort") {
            if let Ok(mut c) = abort_guard::CURRENT.lock() {
                *c = Some((args.out.clone(), text.clone(), executions));
            }
        }
        let before = (
            stats.parsed_bgplay,
            stats.parsed_peers,
            stats.parsed_peer_count,
            stats.parsed_visibility,
        );
        let t0 = Instant::now();
        let findings = engine::run_all(&text, &corpus.companions[comp_index], &ctx, &mut stats);
        let took = t0.elapsed();
        executions += 1;
        if took > slowest.0 {
            slowest = (took, format!("{} bytes from corpus entry {i}", text.len()));
        }
        if !findings.is_empty() {
            crashes += 1;
            let first: &Finding = &findings[0];
            let signature = format!("{}: {}", first.target, first.message);
            let seen = signatures
                .entry(signature.clone())
                .or_insert((0, String::new()));
            seen.0 += 1;
            if (seen.0 as usize) <= FILES_PER_SIGNATURE {
                let _ = std::fs::create_dir_all(&args.out);
                let path = args.out.join(format!("{}-{crashes}.json", first.target));
                match std::fs::write(&path, &bytes) {
                    Ok(()) => {
                        if seen.1.is_empty() {
                            seen.1 = path.display().to_string();
                        }
                        println!("crash {crashes}: {} -> {}", first, path.display());
                    }
                    Err(e) => println!("crash {crashes}: {first} (not saved: {e})"),
                }
                let mut shown = vec![first];
                for other in findings.iter().skip(1) {
                    if !shown.contains(&other) {
                        println!("    also {other}");
                        shown.push(other);
                    }
                }
            }
        } else {
            let after = (
                stats.parsed_bgplay,
                stats.parsed_peers,
                stats.parsed_peer_count,
                stats.parsed_visibility,
            );
            // Inputs that still parse are worth mutating further.
            if after != before && bytes != corpus.entries[i].bytes {
                let comp = corpus.entries[i].comp;
                if grown < MAX_GROWN {
                    corpus.entries.push(Entry { bytes, comp });
                    grown += 1;
                } else {
                    let slot = corpus.seeds + rng.below(MAX_GROWN);
                    corpus.entries[slot] = Entry { bytes, comp };
                }
            }
        }
        if last_report.elapsed() >= Duration::from_secs(15) {
            last_report = Instant::now();
            let secs = fuzz_start.elapsed().as_secs_f64();
            println!(
                "  {:>5.0} s: executions={executions} crashes={crashes} ({:.0}/s), corpus {}",
                secs,
                executions as f64 / secs.max(1e-9),
                corpus.entries.len()
            );
            let _ = std::io::stdout().flush();
        }
    }
    let secs = fuzz_start.elapsed().as_secs_f64();
    println!(
        "{:.1} s, {:.0} executions/s, corpus {} ({} grown); slowest input {:.1} ms ({})",
        secs,
        executions as f64 / secs.max(1e-9),
        corpus.entries.len(),
        grown,
        slowest.0.as_secs_f64() * 1e3,
        slowest.1
    );
    println!("{}", stats.summary());
    println!("time by stage: {}", stats.timings());
    for (sig, (n, file)) in &signatures {
        println!("distinct crash ({n} inputs, e.g. {file}): {sig}");
    }
    println!("executions={executions} crashes={crashes}");
    let _ = std::io::stdout().flush();
    std::process::exit(i32::from(crashes > 0));
}
