//! The robustness engine shared by `tests/robustness.rs` (included there with `#[path]`) and the
//! `outage-lens-fuzz` binary: a deterministic PRNG, JSON-aware mutations, a generator of
//! structurally valid but adversarial bgplay answers, and `run_all`, which feeds one input to
//! every parser of the app (and a parsed bgplay answer through the whole analysis), each stage
//! under `catch_unwind` so a panic becomes a `Finding` naming the stage and the panic message.
//!
//! Depends on std and `outage_lens` only, so both crates can compile it.

#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use outage_lens::analysis::graph::{self, GraphLayout};
use outage_lens::analysis::{chunks, crosscheck, Analysis, Input, TimeSeries};
use outage_lens::api::config::Config;
use outage_lens::api::ripestat::{self, AsnNeighbours, Bgplay, RisPeerCount, RisPeers, Visibility};
use outage_lens::api::{ioda, retry, ApiError};
use outage_lens::model::{Asn, CountryCode, Prefix, UtcTime};
use outage_lens::state::{self, ViewState};

/// The last instant the app accepts (9999-12-31T23:59:59Z).
pub const MAX_SECS: i64 = 253_402_300_799;
/// A fixed "now" for URL parsing (2026-11), so runs are deterministic.
pub const NOW: UtcTime = UtcTime(1_795_000_000);

// ---------------------------------------------------------------------------------------------
// PRNG

/// SplitMix64: tiny, fast, and the same sequence on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when n == 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi as i128 - lo as i128 + 1) as u128;
        (lo as i128 + (u128::from(self.next_u64()) % span) as i128) as i64
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.next_u64() % den.max(1) < num
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Panic capture

thread_local! {
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Installs (once per process) a panic hook that, while `catch` runs on this thread, records the
/// message and location silently; any other panic (a failing assertion of another test) goes to
/// the previous hook as usual.
pub fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) {
                let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
                    (*s).to_string()
                } else if let Some(s) = info.payload().downcast_ref::<String>() {
                    s.clone()
                } else {
                    "(non-string panic payload)".to_string()
                };
                let at = info
                    .location()
                    .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into `Err(message at file:line:col)`.
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    install_panic_hook();
    let was = CATCHING.with(|c| c.replace(true));
    LAST_PANIC.with(|p| p.borrow_mut().take());
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(was));
    r.map_err(|_| {
        LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "panic without a message".to_string())
    })
}

// ---------------------------------------------------------------------------------------------
// Findings and the context of a run

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Panic,
    /// No panic, but a property the app relies on did not hold.
    Invariant,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The stage: a parser, the analysis, the URL round trip...; used in crash file names.
    pub target: &'static str,
    pub kind: Kind,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            Kind::Panic => "panic",
            Kind::Invariant => "invariant broken",
        };
        write!(f, "[{}] {kind}: {}", self.target, self.message)
    }
}

/// The answers a bgplay answer is analysed with: its own ris-peers and ris-peer-count.
#[derive(Debug, Clone, Default)]
pub struct Companions {
    pub peers: Option<RisPeers>,
    pub count: Option<RisPeerCount>,
}

/// What a parsed ris-peers / ris-peer-count / visibility answer is combined with.
#[derive(Debug, Clone)]
pub struct Context {
    /// Bgplay answers (with their companions) for the analysis of parsed peer lists and counts
    /// and for the cross-check of parsed visibility answers.
    pub base: Vec<(Bgplay, Companions)>,
    /// A visibility answer to cross-check parsed bgplay answers with.
    pub visibility: Option<Visibility>,
    /// Upper bound on the work of one `Analysis::run`, in grid cells
    /// (samples × (prefixes + 16) × (upstreams + 1)); larger windows shrink.
    pub budget: u64,
    /// Also try the longest window the app allows (100 days), when the budget permits.
    pub long_window: bool,
    /// Run each analysis with all four peer variants (none, both, peers only, count only);
    /// otherwise only none and both.
    pub all_variants: bool,
    /// Every window for the analysis of parsed peer lists and counts, and chunk stitching with
    /// the base answers (the fuzzer); otherwise the cheaper subset (debug-mode tests).
    pub thorough: bool,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            base: Vec::new(),
            visibility: None,
            budget: 2_000_000,
            long_window: false,
            all_variants: false,
            thorough: false,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub inputs: u64,
    /// Successful parses by parser.
    pub parsed_bgplay: u64,
    pub parsed_peer_count: u64,
    pub parsed_peers: u64,
    pub parsed_neighbours: u64,
    pub parsed_visibility: u64,
    pub parsed_signals: u64,
    pub parsed_events: u64,
    pub parsed_config: u64,
    pub analyses: u64,
    pub graph_moments: u64,
    pub crosschecks: u64,
    /// Windows skipped because even one day would exceed the budget.
    pub over_budget: u64,
    /// Time spent per stage, in nanoseconds.
    pub stage_nanos: std::collections::BTreeMap<&'static str, u128>,
}

impl Stats {
    /// Where the time went, slowest stage first.
    pub fn timings(&self) -> String {
        let mut t: Vec<(&&str, &u128)> = self.stage_nanos.iter().collect();
        t.sort_by(|a, b| b.1.cmp(a.1));
        t.iter()
            .map(|(k, v)| format!("{k} {:.2} s", **v as f64 / 1e9))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn summary(&self) -> String {
        format!(
            "inputs={} parsed: bgplay={} ris-peer-count={} ris-peers={} asn-neighbours={} visibility={} ioda-signals={} ioda-events={} config={}; analyses={} graph-moments={} crosschecks={} over-budget={}",
            self.inputs,
            self.parsed_bgplay,
            self.parsed_peer_count,
            self.parsed_peers,
            self.parsed_neighbours,
            self.parsed_visibility,
            self.parsed_signals,
            self.parsed_events,
            self.parsed_config,
            self.analyses,
            self.graph_moments,
            self.crosschecks,
            self.over_budget
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Every parser, then the analysis

fn stage<R>(
    findings: &mut Vec<Finding>,
    stats: &mut Stats,
    target: &'static str,
    f: impl FnOnce() -> R,
) -> Option<R> {
    let t0 = std::time::Instant::now();
    let r = catch(f);
    *stats.stage_nanos.entry(target).or_default() += t0.elapsed().as_nanos();
    match r {
        Ok(r) => Some(r),
        Err(message) => {
            findings.push(Finding {
                target,
                kind: Kind::Panic,
                message,
            });
            None
        }
    }
}

fn invariant(findings: &mut Vec<Finding>, target: &'static str, r: Option<Result<(), String>>) {
    if let Some(Err(message)) = r {
        findings.push(Finding {
            target,
            kind: Kind::Invariant,
            message,
        });
    }
}

/// Errors are shown to people: rendering one must not panic either.
fn shown<T>(r: &Result<T, ApiError>) {
    if let Err(e) = r {
        let _ = e.to_string();
    }
}

/// Feeds `input` to every parser, and what parses to the analysis. Returns every finding.
pub fn run_all(input: &str, comp: &Companions, ctx: &Context, stats: &mut Stats) -> Vec<Finding> {
    run(input, comp, ctx, stats, true)
}

/// Only the parsers of the API answers and config (`ripestat::parse` for the five calls,
/// `ioda::parse_signals`, `ioda::parse_events`, `Config::parse`), and the analysis of what
/// parses: `run_all` without the URL, text-field and error-body stages.
pub fn run_parsers(
    input: &str,
    comp: &Companions,
    ctx: &Context,
    stats: &mut Stats,
) -> Vec<Finding> {
    run(input, comp, ctx, stats, false)
}

fn run(
    input: &str,
    comp: &Companions,
    ctx: &Context,
    stats: &mut Stats,
    extras: bool,
) -> Vec<Finding> {
    let mut f = Vec::new();
    stats.inputs += 1;

    let bgplay = stage(&mut f, stats, "bgplay", || {
        let r = ripestat::parse::<Bgplay>(input);
        shown(&r);
        r.ok().map(|r| r.data)
    })
    .flatten();
    let count = stage(&mut f, stats, "ris-peer-count", || {
        let r = ripestat::parse::<RisPeerCount>(input);
        shown(&r);
        r.ok().map(|r| r.data)
    })
    .flatten();
    let peers = stage(&mut f, stats, "ris-peers", || {
        let r = ripestat::parse::<RisPeers>(input);
        shown(&r);
        r.ok().map(|r| {
            let _ = r.data.by_source_id().count();
            r.data
        })
    })
    .flatten();
    if stage(&mut f, stats, "asn-neighbours", || {
        let r = ripestat::parse::<AsnNeighbours>(input);
        shown(&r);
        r.is_ok()
    }) == Some(true)
    {
        stats.parsed_neighbours += 1;
    }
    stage(&mut f, stats, "country-resource-list", || {
        let r = ripestat::parse::<outage_lens::api::country::CountryResources>(input);
        shown(&r);
        if let Ok(r) = r {
            let asns = &r.data.resources.asns;
            for chunks in [0, 1, 3, 1000] {
                let p = outage_lens::api::country::plan(asns, chunks);
                for b in &p.batches {
                    let _ = outage_lens::api::country::resource(b);
                }
            }
        }
    });
    let visibility = stage(&mut f, stats, "visibility", || {
        let r = ripestat::parse::<Visibility>(input);
        shown(&r);
        r.ok().map(|r| r.data)
    })
    .flatten();
    let signals = stage(&mut f, stats, "ioda-signals", || {
        let r = ioda::parse_signals(input);
        shown(&r);
        r.ok().map(|r| {
            for s in &r.data {
                let _ = s.spacing();
                let _ = s.points().count();
            }
            r.data
        })
    })
    .flatten();
    if let Some(series) = &signals {
        stats.parsed_signals += 1;
        stage(&mut f, stats, "ioda-agreement", || {
            ioda_agreement_all(series)
        });
    }
    if stage(&mut f, stats, "ioda-events", || {
        let r = ioda::parse_events(input);
        shown(&r);
        r.is_ok()
    }) == Some(true)
    {
        stats.parsed_events += 1;
    }
    if stage(&mut f, stats, "config", || {
        let r = Config::parse(input);
        shown(&r);
        r.is_ok()
    }) == Some(true)
    {
        stats.parsed_config += 1;
    }
    if extras {
        extra_stages(&mut f, input, stats);
    }

    if let Some(b) = &bgplay {
        stats.parsed_bgplay += 1;
        analyse(&mut f, "analysis", b, comp, ctx, stats);
        chunked(&mut f, b, ctx, stats);
        if let Some(v) = &ctx.visibility {
            crosscheck_all(&mut f, b, v, stats);
        }
    }
    if peers.is_some() || count.is_some() {
        stats.parsed_peers += u64::from(peers.is_some());
        stats.parsed_peer_count += u64::from(count.is_some());
        let parsed = Companions {
            peers: peers.clone(),
            count: count.clone(),
        };
        for (b, _) in ctx.base.iter().take(2) {
            analyse_peers(&mut f, b, &parsed, ctx, stats);
        }
    }
    if let Some(v) = &visibility {
        stats.parsed_visibility += 1;
        for (b, _) in ctx.base.iter().take(2) {
            crosscheck_all(&mut f, b, v, stats);
        }
    }
    f
}

/// The URL, typed text fields, `Retry-After`, and what fetch.rs reads in an HTTP error body.
fn extra_stages(f: &mut Vec<Finding>, input: &str, stats: &mut Stats) {
    stage(f, stats, "api-message", || {
        shown(&ioda::parse::<outage_lens::api::json::Skip>(input));
        shown(&ripestat::parse::<outage_lens::api::json::Skip>(input));
    });
    let url = stage(f, stats, "url-state", || check_url(input, NOW));
    invariant(f, "url-roundtrip", url);
    stage(f, stats, "text-fields", || {
        let _ = state::parse_entity(input);
        let _ = UtcTime::parse(input).map(|t| (t.to_url(), t.to_display()));
        let _ = input
            .parse::<Prefix>()
            .map(|p| (p.to_string(), p.slash24_count()));
        let _ = input.parse::<Asn>();
        let _ = CountryCode::parse(input);
        // A `Retry-After` header is text from the server too.
        let _ = retry::retry_after_ms(input);
        for status in [429, 503, 404] {
            let outcome = retry::Outcome::Status {
                status,
                retry_after: Some(input),
            };
            let _ = retry::decide(retry::DEFAULT, 1, outcome, 0.5);
        }
    });
}

/// `ViewState::from_query` on hostile text: the result must survive its own URL.
pub fn check_url(query: &str, now: UtcTime) -> Result<(), String> {
    let (v, problems) = ViewState::from_query(query, now);
    let _ = v.moment();
    for p in &problems {
        let _ = p.len();
    }
    check_query_shape(&v)?;
    let (back, again) = ViewState::from_query(&v.to_query(), now);
    if back != v {
        return Err(format!(
            "from_query(to_query(v)) != v: {v:?} -> {:?} -> {back:?}",
            v.to_query()
        ));
    }
    if !again.is_empty() {
        return Err(format!(
            "the app's own URL {:?} is reported as a problem: {again:?}",
            v.to_query()
        ));
    }
    Ok(())
}

/// `to_query()` holds `asn|country`, `from`, `until` and maybe `at`, once each, with plain values.
pub fn check_query_shape(v: &ViewState) -> Result<(), String> {
    let q = v.to_query();
    let body = q
        .strip_prefix('?')
        .ok_or_else(|| format!("{q:?} does not start with '?'"))?;
    let mut keys = Vec::new();
    for pair in body.split('&') {
        let (k, val) = pair
            .split_once('=')
            .ok_or_else(|| format!("{q:?}: pair {pair:?} has no '='"))?;
        if val.is_empty()
            || !val
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b':')
        {
            return Err(format!("{q:?}: value {val:?} of {k:?} is not plain"));
        }
        keys.push(k);
    }
    let ok = matches!(
        keys.as_slice(),
        ["asn" | "country", "from", "until"] | ["asn" | "country", "from", "until", "at"]
    );
    if !ok {
        return Err(format!("{q:?} has keys {keys:?}"));
    }
    Ok(())
}

/// Replay work per grid sample for an input, and the one-off cost of a route table.
fn costs(input: &Input) -> (u64, u64) {
    let np = input.prefixes.len() as u64;
    let ns = input.source_ids.len() as u64;
    let nu = input
        .paths
        .iter()
        .filter_map(|p| p.upstream)
        .collect::<HashSet<Asn>>()
        .len() as u64;
    (
        np.saturating_mul(nu + 1).saturating_add(16 * (nu + 1)),
        np.saturating_mul(ns),
    )
}

fn samples(from: i64, until: i64) -> u64 {
    let start = Analysis::fetch_start(UtcTime(from)).secs();
    ((until + 1 - start).max(0) as u64).div_ceil(300)
}

/// Windows "around the data" as the app could ask for them: the start of the answer, its
/// middle, its end (half outside), and optionally the longest window the app allows.
pub fn windows(b: &Bgplay, long: bool) -> Vec<(i64, i64)> {
    let s = b.start.secs();
    let e = b.end.secs().max(s);
    let mid = s + (e - s) / 2;
    let day = 86_400;
    let mut w = vec![
        (s, s + (e - s).clamp(3600, 2 * day)),
        (mid - day / 2, mid + day / 2),
        (e - 6 * 3600, e + 6 * 3600),
    ];
    if long {
        w.push((s + day, s + day + state::MAX_RANGE_SECS));
    }
    w.into_iter()
        .map(|(f, u)| {
            let f = f.clamp(0, MAX_SECS - 1);
            (f, u.clamp(f + 1, MAX_SECS))
        })
        .collect()
}

/// `Analysis::run` over the windows and peer variants, `graph::at` at a few moments, and the
/// invariants of what the page draws.
pub fn analyse(
    f: &mut Vec<Finding>,
    target: &'static str,
    b: &Bgplay,
    comp: &Companions,
    ctx: &Context,
    stats: &mut Stats,
) {
    let (p, c) = (comp.peers.as_ref(), comp.count.as_ref());
    let mut variants = vec![(None, None), (p, c)];
    if ctx.all_variants {
        variants.push((p, None));
        variants.push((None, c));
    }
    analyse_with(f, target, b, &variants, usize::MAX, ctx, stats);
}

/// A parsed ris-peers / ris-peer-count answer with a base bgplay answer.
fn analyse_peers(
    f: &mut Vec<Finding>,
    b: &Bgplay,
    comp: &Companions,
    ctx: &Context,
    stats: &mut Stats,
) {
    let (p, c) = (comp.peers.as_ref(), comp.count.as_ref());
    let variants = [(p, c), (p, None), (None, c)];
    let n = if ctx.thorough { 2 } else { 1 };
    analyse_with(f, "analysis-peers", b, &variants, n, ctx, stats);
}

fn analyse_with(
    f: &mut Vec<Finding>,
    target: &'static str,
    b: &Bgplay,
    variants: &[(Option<&RisPeers>, Option<&RisPeerCount>)],
    max_windows: usize,
    ctx: &Context,
    stats: &mut Stats,
) {
    let Some(input) = stage(f, stats, target, || Input::from_bgplay(b)) else {
        return;
    };
    let (per_sample, table) = costs(&input);
    for (from, mut until) in windows(b, ctx.long_window).into_iter().take(max_windows) {
        // Shrink the window to the budget (the app's windows are at most 100 days; a huge
        // answer times a long window is a resource problem, reported apart, not a panic).
        while samples(from, until).saturating_mul(per_sample) + table > ctx.budget
            && until - from > 3600
        {
            until = from + (until - from) / 2;
        }
        if samples(from, until).saturating_mul(per_sample) + table > ctx.budget {
            stats.over_budget += 1;
            continue;
        }
        let (from_t, until_t) = (UtcTime(from), UtcTime(until));
        for (peers, count) in variants {
            let Some((a, g)) = stage(f, stats, target, || {
                let a = Analysis::run(b, *peers, *count, from_t, until_t);
                let _ = a.peers.describe();
                let _ = a.outages().count();
                let g = a.layout();
                (a, g)
            }) else {
                return;
            };
            stats.analyses += 1;
            let inv = stage(f, stats, target, || check_analysis(&a, &g, from_t, until_t));
            invariant(f, "analysis-invariant", inv);
            let mut moments = vec![
                from_t,
                UtcTime(from + (until - from) / 2),
                until_t,
                b.start,
                b.end,
                UtcTime(0),
                UtcTime(MAX_SECS),
            ];
            moments.extend(input.events.first().map(|e| e.time));
            moments.extend(input.events.last().map(|e| e.time));
            for t in moments {
                stats.graph_moments += 1;
                let inv = stage(f, stats, target, || check_graph(&a, &g, t));
                invariant(f, "graph-invariant", inv);
            }
        }
    }
}

/// What the charts rely on: visible /24s within [0, total], shares within [0, 1], events with
/// a start before their end, series on the same grid.
pub fn check_analysis(
    a: &Analysis,
    g: &GraphLayout,
    from: UtcTime,
    until: UtcTime,
) -> Result<(), String> {
    let total = a.total_slash24s as f64;
    let n = a.visible.values.len();
    let expected = samples(from.secs(), until.secs()) as usize;
    if n != expected {
        return Err(format!("visible has {n} samples, the grid {expected}"));
    }
    for (i, v) in a.visible.values.iter().enumerate() {
        if let Some(v) = v {
            if !(v.is_finite() && *v >= 0.0 && *v <= total) {
                return Err(format!("visible[{i}] = {v} outside [0, {total}]"));
            }
        }
    }
    for (asn, s) in &a.upstreams {
        if s.values.len() != n {
            return Err(format!("{asn}: {} samples, visible {n}", s.values.len()));
        }
        for (i, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                if !(v.is_finite() && (0.0..=1.0).contains(v)) {
                    return Err(format!("share of {asn} at {i} = {v} outside [0, 1]"));
                }
            }
        }
    }
    for e in &a.events {
        if e.start >= e.end {
            return Err(format!("event from {} to {}", e.start.0, e.end.0));
        }
        if !e.score.is_finite() || !e.min_value.is_finite() {
            return Err(format!("event with score {} min {}", e.score, e.min_value));
        }
    }
    for e in &g.edges {
        if e.from >= g.nodes.len() || e.to >= g.nodes.len() {
            return Err(format!("edge {e:?} outside {} nodes", g.nodes.len()));
        }
    }
    Ok(())
}

pub fn check_graph(a: &Analysis, layout: &GraphLayout, t: UtcTime) -> Result<(), String> {
    let g = graph::at(layout, &a.input, t);
    if g.edge_peers.len() != layout.edges.len() {
        return Err(format!(
            "graph::at: {} weights for {} edges",
            g.edge_peers.len(),
            layout.edges.len()
        ));
    }
    if g.peers_with_route > g.routes {
        return Err(format!(
            "graph::at: {} peers with a route but {} routes",
            g.peers_with_route, g.routes
        ));
    }
    if let Some(w) = g
        .edge_peers
        .iter()
        .find(|w| **w as usize > g.peers_with_route)
    {
        return Err(format!(
            "graph::at: an edge used by {w} peers, only {} have a route",
            g.peers_with_route
        ));
    }
    Ok(())
}

/// `crosscheck::ioda_agreement` between IODA's series and a computed series on the same
/// times (so they overlap), and one far from them.
fn ioda_agreement_all(series: &[ioda::Series]) {
    for s in series.iter().take(8) {
        let n = s.values.len().min(20_000);
        for (start, step) in [
            (s.from.plus(-86_400), 300),
            (s.from, s.spacing()),
            (UtcTime(0), 300),
        ] {
            let ours = TimeSeries {
                start,
                step,
                values: (0..n + 300)
                    .map(|i| (i % 7 != 3).then_some(i as f64))
                    .collect(),
            };
            let _ = crosscheck::ioda_agreement(&ours, s, s.from, s.until)
                .map(|a| (a.share(), a.mean_abs_diff));
            let _ = crosscheck::ioda_agreement(&ours, s, UtcTime(0), UtcTime(i64::MAX));
        }
    }
}

/// Long windows come as chunks: split a parsed answer at a few instants and stitch it back,
/// and stitch it after the base answers (chunks that disagree).
fn chunked(f: &mut Vec<Finding>, b: &Bgplay, ctx: &Context, stats: &mut Stats) {
    let size = b.events.len() + b.initial_state.len() + b.sources.len() + b.targets.len();
    if size > 50_000 {
        stats.over_budget += 1;
        return;
    }
    stage(f, stats, "chunks", || {
        let (s, e) = (b.start.secs(), b.end.secs());
        let cuts: Vec<UtcTime> = [s, s + (e - s) / 3, s + (e - s) / 2, e, e + 1, 0]
            .into_iter()
            .map(UtcTime)
            .chain(b.events.iter().take(3).map(|e| e.timestamp))
            .collect();
        let parts = chunks::split(b, &cuts);
        let _ = chunks::stitch(&parts);
        // A country: this answer as two batches of its chunks, merged and interned.
        if let Some(m) = chunks::assemble(vec![parts.clone(), parts]) {
            let _ = Input::from_bgplay(&m);
        }
        let _ = chunks::plan(
            b.start,
            b.start.plus(state::MAX_RANGE_SECS),
            chunks::CHUNK_SECS,
        );
        for (base, _) in ctx.base.iter().take(usize::from(ctx.thorough)) {
            let _ = chunks::stitch(&[base.clone(), b.clone()]);
            let _ = chunks::stitch(&[b.clone(), base.clone(), b.clone()]);
        }
    });
}

fn crosscheck_all(f: &mut Vec<Finding>, b: &Bgplay, v: &Visibility, stats: &mut Stats) {
    let Some(input) = stage(f, stats, "crosscheck", || Input::from_bgplay(b)) else {
        return;
    };
    if input.prefixes.len().saturating_mul(input.source_ids.len()) > 4_000_000 {
        stats.over_budget += 1;
        return;
    }
    let mut prefixes: Vec<Prefix> = input.prefixes.iter().copied().take(3).collect();
    prefixes.push("0.0.0.0/0".parse().expect("a prefix"));
    for p in prefixes {
        stats.crosschecks += 1;
        stage(f, stats, "crosscheck", || {
            if let Some(c) = crosscheck::check_visibility(&input, p, v) {
                let _ = c.agrees();
                let _ = c.full_table_total();
                let _ = c.not_seeing_total();
                for col in &c.collectors {
                    let _ = col.agrees();
                }
            }
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations

/// JSON tokens the mutator inserts or substitutes.
pub const TOKENS: &[&str] = &[
    "null",
    "[]",
    "{}",
    "\"x\"",
    "\"\"",
    "-1",
    "0",
    "-0",
    "1",
    "0.5",
    "1e999",
    "-1e999",
    "1e-999",
    "true",
    "false",
    "4294967295",
    "4294967296",
    "-4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "253402300799",
    "253402300800",
    "1e308",
    "\"AS4294967295\"",
    "\"AS4294967296\"",
    "\"as0\"",
    "\"0.0.0.0/0\"",
    "\"255.255.255.255/32\"",
    "\"::/0\"",
    "\"::/128\"",
    "\"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128\"",
    "\"1.2.3.4/33\"",
    "\"1970-01-01T00:00:00\"",
    "\"1969-12-31T23:59:59\"",
    "\"9999-12-31T23:59:59\"",
    "\"9999-12-31T23:59:60+00:00\"",
    "\"2024-02-29T00:00:00Z\"",
    "\"2025-06-06T17:30:00.000000001-23:59\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\uDBFF\\uDFFF\"",
    "\"ü€😀\"",
    "\"<script>alert(1)</script>\"",
    "[[1,2],[3]]",
    "[1,[2,[3,[4]]],5]",
    "{\"a\":1}",
    "[null,null]",
    "\"1 2 {3,4} 5\"",
    "\"error\"",
    "\"maintenance\"",
    "\"ok\"",
    "\"A\"",
    "\"W\"",
    "[\"error\",\"x\"]",
];

/// Keys of the real answers, for renaming, proptest trees and generated answers.
pub const KEYS: &[&str] = &[
    "status",
    "status_code",
    "messages",
    "data",
    "version",
    "data_call_status",
    "query_starttime",
    "query_endtime",
    "events",
    "initial_state",
    "sources",
    "targets",
    "nodes",
    "path",
    "timestamp",
    "type",
    "attrs",
    "source_id",
    "target_prefix",
    "prefix",
    "as_number",
    "owner",
    "id",
    "rrc",
    "ip",
    "asn",
    "values",
    "from",
    "until",
    "step",
    "nativeStep",
    "datasource",
    "entity",
    "entityType",
    "entityCode",
    "code",
    "name",
    "score",
    "method",
    "error",
    "copyright",
    "peer_count",
    "v4",
    "v6",
    "full_feed",
    "total",
    "count",
    "v4_full_prefix_threshold",
    "peers",
    "v4_prefix_count",
    "neighbours",
    "position",
    "power",
    "v4_peers",
    "query_time",
    "visibilities",
    "probe",
    "ipv4_full_table_peer_count",
    "ipv4_full_table_peers_not_seeing",
    "ripestat_base",
    "ioda_base",
    "notice",
];

const INTERESTING_BYTES: &[u8] = b"\"{}[],:\\0123456789-+.eE /ATWZ\n\t\x00\x7f";

/// Largest mutated input, so amplifying mutations stay bounded.
pub const MAX_LEN: usize = 4 << 20;

/// Applies 1 to 4 stacked mutations to `seed`; `corpus` supplies crossover material.
pub fn mutate(rng: &mut Rng, seed: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut out = seed.to_vec();
    let n = 1 + rng.below(4);
    for _ in 0..n {
        mutate_once(rng, &mut out, corpus);
        if out.len() > MAX_LEN {
            out.truncate(MAX_LEN);
        }
    }
    out
}

pub fn mutate_once(rng: &mut Rng, b: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let len = b.len();
    let pos = rng.below(len + 1);
    match rng.below(16) {
        // bit flip
        0 if len > 0 => {
            let i = rng.below(len);
            b[i] ^= 1 << rng.below(8);
        }
        // an interesting byte
        1 if len > 0 => {
            let i = rng.below(len);
            b[i] = *rng.pick(INTERESTING_BYTES);
        }
        // delete a range
        2 if len > 0 => {
            let n = if rng.chance(1, 8) {
                rng.below(len - pos.min(len) + 1)
            } else {
                1 + rng.below(16)
            };
            let end = (pos + n).min(len);
            b.drain(pos.min(len)..end);
        }
        // insert a token
        3 => {
            let t = rng.pick(TOKENS).as_bytes();
            let sep: &[u8] = if rng.chance(1, 2) { b"," } else { b"" };
            let ins: Vec<u8> = [t, sep].concat();
            b.splice(pos..pos, ins);
        }
        // replace a scalar with a token
        4 | 5 => {
            let t = rng.pick(TOKENS).as_bytes().to_vec();
            if let Some((s, e)) = scalar_at(b, pos) {
                b.splice(s..e, t);
            } else {
                b.splice(pos..pos, t);
            }
        }
        // duplicate a chunk
        6 if len > 0 => {
            let s = rng.below(len);
            let n = 1 + rng.below((len - s).min(256));
            let chunk = b[s..s + n].to_vec();
            let at = rng.below(len + 1);
            b.splice(at..at, chunk);
        }
        // digits <-> quotes
        7 => swap_quotes(b, pos),
        // truncate
        8 => b.truncate(pos),
        // crossover with another input
        9 if !corpus.is_empty() => {
            let other = rng.pick(corpus);
            let from = rng.below(other.len() + 1);
            b.truncate(pos);
            b.extend_from_slice(&other[from..]);
        }
        // rename a key
        10 => {
            let k = format!("\"{}\"", rng.pick(KEYS));
            if let Some((s, e)) = string_at(b, pos) {
                b.splice(s..e, k.into_bytes());
            }
        }
        // repeat an object (array element) many times
        11 => {
            if let Some((s, e)) = object_at(b, pos) {
                let times = 1 + rng.below(64);
                let mut ins = Vec::with_capacity((e - s + 1) * times);
                for _ in 0..times {
                    ins.push(b',');
                    ins.extend_from_slice(&b[s..e]);
                }
                if b.len() + ins.len() <= MAX_LEN {
                    b.splice(e..e, ins);
                }
            }
        }
        // deep nesting in place of a value
        12 => {
            let depth = *rng.pick(&[2usize, 16, 127, 128, 129, 1000, 20_000]);
            let open = if rng.chance(1, 2) { b'[' } else { b'{' };
            let mut ins = Vec::with_capacity(depth * 6);
            for _ in 0..depth {
                if open == b'[' {
                    ins.push(b'[');
                } else {
                    ins.extend_from_slice(b"{\"a\":");
                }
            }
            ins.extend_from_slice(b"1");
            for _ in 0..depth {
                ins.push(if open == b'[' { b']' } else { b'}' });
            }
            if let Some((s, e)) = scalar_at(b, pos) {
                b.splice(s..e, ins);
            } else {
                b.splice(pos..pos, ins);
            }
        }
        // a boundary number in place of a number
        13 => {
            const NUMS: &[&str] = &[
                "0",
                "-1",
                "1",
                "4294967295",
                "4294967296",
                "253402300799",
                "253402300800",
                "-86400",
                "9223372036854775807",
                "1e308",
                "0.999999",
                "2147483648",
                "86400",
                "300",
                "-300",
                "32",
                "33",
                "128",
                "129",
                "255",
                "256",
            ];
            if let Some((s, e)) = number_at(b, pos) {
                b.splice(s..e, rng.pick(NUMS).bytes());
            }
        }
        // one field set to the same boundary value in every element (sums, totals)
        15 => {
            const SAME: &[&str] = &[
                "4294967295",
                "2147483648",
                "18446744073709551615",
                "9223372036854775807",
                "0",
                "-1",
                "1e308",
                "null",
                "\"\"",
                "[]",
            ];
            set_every_value_of_key(b, pos, rng.pick(SAME).as_bytes());
        }
        // odd characters inside a string
        _ => {
            const IN_STR: &[&str] = &[
                "\\u0000", "\\ud800", "\\\"", "\\\\", "\\x", "%00", "%ZZ", "ü", "\u{feff}", "/",
                ":", "-", "+", "{", "}", "AS", " ",
            ];
            if let Some((s, e)) = string_at(b, pos) {
                let at = s + 1 + rng.below(e - s - 1);
                b.splice(at..at, rng.pick(IN_STR).bytes());
            }
        }
    }
}

/// The first JSON string literal starting at or after `pos`: `(start of quote, after quote)`.
pub fn string_at(b: &[u8], pos: usize) -> Option<(usize, usize)> {
    let s = pos + b.get(pos..)?.iter().position(|c| *c == b'"')?;
    let mut i = s + 1;
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => i += 2,
            b'"' => return Some((s, i + 1)),
            _ => i += 1,
        }
    }
    None
}

/// The first number literal starting at or after `pos`.
pub fn number_at(b: &[u8], pos: usize) -> Option<(usize, usize)> {
    let s = pos
        + b.get(pos..)?
            .iter()
            .position(|c| c.is_ascii_digit() || *c == b'-')?;
    let len = b[s..]
        .iter()
        .position(|c| !(c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')))
        .unwrap_or(b.len() - s);
    Some((s, s + len.max(1)))
}

/// The first scalar (string, number, true/false/null) at or after `pos`.
pub fn scalar_at(b: &[u8], pos: usize) -> Option<(usize, usize)> {
    let rest = b.get(pos..)?;
    let i = rest
        .iter()
        .position(|c| matches!(c, b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'))?;
    let s = pos + i;
    match b[s] {
        b'"' => string_at(b, s),
        b'-' | b'0'..=b'9' => number_at(b, s),
        b't' | b'n' => Some((s, (s + 4).min(b.len()))),
        _ => Some((s, (s + 5).min(b.len()))),
    }
}

/// The first `{...}` object starting at or after `pos` (brackets matched outside strings).
pub fn object_at(b: &[u8], pos: usize) -> Option<(usize, usize)> {
    let s = pos + b.get(pos..)?.iter().position(|c| *c == b'{')?;
    let (mut depth, mut i, mut in_str) = (0usize, s, false);
    while let Some(&c) = b.get(i) {
        if in_str {
            match c {
                b'\\' => i += 1,
                b'"' => in_str = false,
                _ => {}
            }
        } else {
            match c {
                b'"' => in_str = true,
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some((s, i + 1));
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// For every key with a number value in `b`: a copy where that key is `v` everywhere
/// (u32::MAX in every count reaches the overflows of sums and totals).
pub fn every_numeric_field_at(b: &[u8], v: &str) -> Vec<Vec<u8>> {
    let mut seen: HashSet<Vec<u8>> = HashSet::new();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some((s, e)) = string_at(b, at) {
        at = e;
        let mut j = e;
        while b.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        if b.get(j) != Some(&b':') {
            continue;
        }
        j += 1;
        while b.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        let numeric = b.get(j).is_some_and(|c| c.is_ascii_digit() || *c == b'-');
        if numeric && seen.insert(b[s..e].to_vec()) {
            let mut copy = b.to_vec();
            set_every_value_of_key(&mut copy, s, v.as_bytes());
            out.push(copy);
        }
    }
    out
}

/// Finds the first `"key":` at or after `pos` and gives that key the value `v` everywhere.
fn set_every_value_of_key(b: &mut Vec<u8>, pos: usize, v: &[u8]) {
    let mut at = pos;
    let key = loop {
        let Some((s, e)) = string_at(b, at) else {
            return;
        };
        let rest = &b[e..];
        let colon = rest.iter().position(|c| !c.is_ascii_whitespace());
        if colon.is_some_and(|i| rest[i] == b':') {
            break b[s..e].to_vec();
        }
        at = e;
    };
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(&key) {
            let after = i + key.len();
            let mut j = after;
            while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            if b.get(j) == Some(&b':') {
                j += 1;
                while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                    j += 1;
                }
                if let Some((s, e)) = scalar_at(b, j).filter(|(s, _)| *s == j) {
                    out.extend_from_slice(&b[i..s]);
                    out.extend_from_slice(v);
                    i = e;
                    continue;
                }
            }
            out.extend_from_slice(&b[i..after]);
            i = after;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    *b = out;
}

/// Quotes the digit run at or after `pos`, or unquotes the string there.
fn swap_quotes(b: &mut Vec<u8>, pos: usize) {
    let num = number_at(b, pos);
    let st = string_at(b, pos);
    match (num, st) {
        (Some((s, e)), Some((ss, _))) if s < ss => {
            b.insert(e, b'"');
            b.insert(s, b'"');
        }
        (_, Some((s, e))) => {
            b.remove(e - 1);
            b.remove(s);
        }
        (Some((s, e)), None) => {
            b.insert(e, b'"');
            b.insert(s, b'"');
        }
        (None, None) => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Generated bgplay answers: structurally valid, adversarial content

#[derive(Debug, Clone, PartialEq)]
pub enum Hop {
    One(u32),
    /// An AS_SET.
    Set(Vec<u32>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum SpecPath {
    Missing,
    Null,
    List(Vec<Hop>),
    /// looking-glass style: "1 2 {3,4} 5".
    Text(Vec<Hop>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SpecSource {
    pub id: String,
    pub asn: u32,
    pub asn_as_text: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SpecRoute {
    pub source_id: String,
    pub prefix: String,
    pub path: SpecPath,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SpecEvent {
    pub time: i64,
    pub announce: bool,
    pub route: SpecRoute,
}

/// A bgplay answer as data, written out by `to_json`.
#[derive(Debug, Clone, PartialEq)]
pub struct BgplaySpec {
    pub start: i64,
    pub end: i64,
    pub sources: Vec<SpecSource>,
    pub targets: Vec<String>,
    pub nodes: Vec<(u32, Option<String>)>,
    pub initial: Vec<SpecRoute>,
    pub events: Vec<SpecEvent>,
    /// Write the full envelope (else the bare `data` object, as the 2017 recordings).
    pub envelope: bool,
    /// Write times as zone-less ISO strings (else Unix seconds).
    pub iso_times: bool,
}

/// Quotes a string for JSON.
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn hops_json(hops: &[Hop], out: &mut String) {
    out.push('[');
    for (i, h) in hops.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match h {
            Hop::One(a) => {
                let _ = write!(out, "{a}");
            }
            Hop::Set(s) => {
                out.push('[');
                for (j, a) in s.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "{a}");
                }
                out.push(']');
            }
        }
    }
    out.push(']');
}

fn hops_text(hops: &[Hop]) -> String {
    hops.iter()
        .map(|h| match h {
            Hop::One(a) => a.to_string(),
            Hop::Set(s) => format!(
                "{{{}}}",
                s.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
            ),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl BgplaySpec {
    fn time(&self, t: i64) -> String {
        if self.iso_times {
            format!("\"{}\"", UtcTime(t).to_ripestat())
        } else {
            t.to_string()
        }
    }

    fn route_fields(r: &SpecRoute, out: &mut String) {
        let _ = write!(
            out,
            "\"source_id\":{},\"target_prefix\":{}",
            json_str(&r.source_id),
            json_str(&r.prefix)
        );
        match &r.path {
            SpecPath::Missing => {}
            SpecPath::Null => out.push_str(",\"path\":null"),
            SpecPath::List(h) => {
                out.push_str(",\"path\":");
                hops_json(h, out);
            }
            SpecPath::Text(h) => {
                let _ = write!(out, ",\"path\":{}", json_str(&hops_text(h)));
            }
        }
    }

    pub fn to_json(&self) -> String {
        let mut d = String::with_capacity(256 + 160 * (self.events.len() + self.initial.len()));
        let _ = write!(
            d,
            "{{\"query_starttime\":{},\"query_endtime\":{},\"resource\":\"131279\",\"sources\":[",
            self.time(self.start),
            self.time(self.end)
        );
        for (i, s) in self.sources.iter().enumerate() {
            if i > 0 {
                d.push(',');
            }
            let rrc = s.id.split('-').next().unwrap_or("");
            let ip = s.id.split_once('-').map_or("", |(_, ip)| ip);
            let asn = if s.asn_as_text {
                format!("\"{}\"", s.asn)
            } else {
                s.asn.to_string()
            };
            let _ = write!(
                d,
                "{{\"id\":{},\"rrc\":{},\"ip\":{},\"as_number\":{asn}}}",
                json_str(&s.id),
                json_str(rrc),
                json_str(ip)
            );
        }
        d.push_str("],\"targets\":[");
        for (i, t) in self.targets.iter().enumerate() {
            if i > 0 {
                d.push(',');
            }
            let _ = write!(d, "{{\"prefix\":{}}}", json_str(t));
        }
        d.push_str("],\"nodes\":[");
        for (i, (asn, owner)) in self.nodes.iter().enumerate() {
            if i > 0 {
                d.push(',');
            }
            match owner {
                Some(o) => {
                    let _ = write!(d, "{{\"as_number\":{asn},\"owner\":{}}}", json_str(o));
                }
                None => {
                    let _ = write!(d, "{{\"as_number\":{asn}}}");
                }
            }
        }
        d.push_str("],\"initial_state\":[");
        for (i, r) in self.initial.iter().enumerate() {
            if i > 0 {
                d.push(',');
            }
            d.push('{');
            Self::route_fields(r, &mut d);
            d.push('}');
        }
        d.push_str("],\"events\":[");
        for (i, e) in self.events.iter().enumerate() {
            if i > 0 {
                d.push(',');
            }
            let _ = write!(
                d,
                "{{\"timestamp\":{},\"type\":\"{}\",\"attrs\":{{",
                self.time(e.time),
                if e.announce { "A" } else { "W" }
            );
            Self::route_fields(&e.route, &mut d);
            d.push_str("}}");
        }
        d.push_str("]}");
        if self.envelope {
            format!(
                "{{\"status\":\"ok\",\"status_code\":200,\"messages\":[[\"info\",\"generated by outage-lens-fuzz\"]],\"data\":{d},\"version\":\"1.3\"}}"
            )
        } else {
            d
        }
    }

    /// A matching ris-peers answer: `full` of the sources with a full table, the rest partial.
    pub fn ris_peers_json(&self, full_every: usize) -> String {
        let mut by_rrc: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (i, s) in self.sources.iter().enumerate() {
            let Some((rrc, ip)) = s.id.split_once('-') else {
                continue;
            };
            let count = if full_every > 0 && i % full_every == 0 {
                12_000
            } else {
                900_000
            };
            by_rrc.entry(format!("rrc{rrc}")).or_default().push(format!(
                "{{\"asn\":\"{}\",\"ip\":{},\"v4_prefix_count\":{count},\"v6_prefix_count\":0}}",
                s.asn,
                json_str(ip)
            ));
        }
        let peers: Vec<String> = by_rrc
            .iter()
            .map(|(k, v)| format!("{}:[{}]", json_str(k), v.join(",")))
            .collect();
        format!(
            "{{\"status\":\"ok\",\"messages\":[],\"data\":{{\"peers\":{{{}}}}}}}",
            peers.join(",")
        )
    }

    /// A matching ris-peer-count answer, one count per 8-hour dump.
    pub fn ris_peer_count_json(&self, count: u32) -> String {
        let mut pts = Vec::new();
        let mut t = self.start - self.start.rem_euclid(8 * 3600);
        while t <= self.end && pts.len() < 400 {
            pts.push(format!("{{\"timestamp\":{t},\"count\":{count}}}"));
            t += 8 * 3600;
        }
        format!(
            "{{\"status\":\"ok\",\"data\":{{\"peer_count\":{{\"v4\":{{\"full_feed\":[{}],\"total\":[]}}}},\"v4_full_prefix_threshold\":500000}}}}",
            pts.join(",")
        )
    }

    /// A random answer; `max_events` bounds its size.
    pub fn random(rng: &mut Rng, max_events: usize) -> BgplaySpec {
        let day = 86_400;
        let (start, end) = match rng.below(6) {
            0 => (0, 3 * day),
            1 => (MAX_SECS - 3 * day, MAX_SECS),
            2 => (1_748_995_200, 1_748_995_200 + 5 * day),
            3 => {
                let s = rng.range(0, MAX_SECS);
                (s, rng.range(0, MAX_SECS))
            }
            4 => (1_749_211_200, 1_749_211_200),
            _ => {
                let s = rng.range(915_148_800, 1_800_000_000);
                (s, s + rng.range(0, 10 * day))
            }
        };
        let asns = [0, 1, 3320, 4837, 131_279, 64_512, 4_294_967_295];
        let asn = |rng: &mut Rng| -> u32 {
            if rng.chance(1, 2) {
                *rng.pick(&asns)
            } else {
                rng.next_u64() as u32
            }
        };
        let n_sources = rng.below(16);
        let mut sources: Vec<SpecSource> = (0..n_sources)
            .map(|i| SpecSource {
                id: format!("{:02}-10.0.{}.{}", rng.below(27), i / 250, i % 250 + 1),
                asn: asn(rng),
                asn_as_text: rng.chance(1, 4),
            })
            .collect();
        if n_sources > 1 && rng.chance(1, 4) {
            // a duplicated source id
            let d = sources[0].clone();
            sources.push(d);
        }
        let pool = [
            "0.0.0.0/0",
            "10.0.0.0/8",
            "175.45.176.0/22",
            "175.45.176.0/24",
            "175.45.177.0/24",
            "175.45.179.0/25",
            "255.255.255.255/32",
            "1.2.3.4/32",
            "::/0",
            "2001:db8::/32",
            "2001:db8::1/128",
            "128.0.0.0/1",
        ];
        let n_targets = rng.below(5);
        let targets: Vec<String> = (0..n_targets)
            .map(|_| rng.pick(&pool).to_string())
            .collect();
        let hops = |rng: &mut Rng| -> Vec<Hop> {
            let n = rng.below(7);
            let mut h: Vec<Hop> = (0..n)
                .map(|_| {
                    if rng.chance(1, 10) {
                        Hop::Set((0..rng.below(4)).map(|_| asn(rng)).collect())
                    } else {
                        Hop::One(asn(rng))
                    }
                })
                .collect();
            if !h.is_empty() && rng.chance(1, 4) {
                // prepending or a loop
                let i = rng.below(h.len());
                let dup = h[i].clone();
                let at = rng.below(h.len() + 1);
                h.insert(at, dup);
            }
            h
        };
        let path = |rng: &mut Rng| -> SpecPath {
            match rng.below(10) {
                0 => SpecPath::Missing,
                1 => SpecPath::Null,
                2 => SpecPath::Text(hops(rng)),
                _ => SpecPath::List(hops(rng)),
            }
        };
        let source_id = |rng: &mut Rng, sources: &[SpecSource]| -> String {
            if sources.is_empty() || rng.chance(1, 10) {
                "99-192.0.2.1".to_string()
            } else {
                rng.pick(sources).id.clone()
            }
        };
        let prefix = |rng: &mut Rng, targets: &[String]| -> String {
            if targets.is_empty() || rng.chance(1, 8) {
                rng.pick(&pool).to_string()
            } else {
                rng.pick(targets).clone()
            }
        };
        let initial: Vec<SpecRoute> = (0..rng.below(2 * n_sources + 2))
            .map(|_| SpecRoute {
                source_id: source_id(rng, &sources),
                prefix: prefix(rng, &targets),
                path: path(rng),
            })
            .collect();
        let n_events = rng.below(max_events + 1);
        let (lo, hi) = (start.min(end), start.max(end));
        let events: Vec<SpecEvent> = (0..n_events)
            .map(|_| SpecEvent {
                time: rng.range((lo - day).max(0), (hi + day).min(MAX_SECS)),
                announce: rng.chance(2, 3),
                route: SpecRoute {
                    source_id: source_id(rng, &sources),
                    prefix: prefix(rng, &targets),
                    path: path(rng),
                },
            })
            .collect();
        let nodes = (0..rng.below(6))
            .map(|_| {
                let owner = match rng.below(4) {
                    0 => None,
                    1 => Some(String::new()),
                    2 => Some("  Ryugyong <script>\u{0}  ".to_string()),
                    _ => Some("STAR-KP Star Joint Venture Co. Ltd., KP".to_string()),
                };
                (asn(rng), owner)
            })
            .collect();
        BgplaySpec {
            start,
            end,
            sources,
            targets,
            nodes,
            initial,
            events,
            envelope: rng.chance(1, 2),
            iso_times: rng.chance(1, 3),
        }
    }
}

/// `n` updates on one prefix from six peers (ASNs 0 and u32::MAX among them), out of order,
/// with prepending, an AS_SET and a loop: the shape of a flapping outage, at scale.
pub fn many_events_on_one_prefix(n: usize) -> BgplaySpec {
    let mut rng = Rng::new(n as u64);
    let start = 1_748_995_200; // 2025-06-04T00:00Z
    let sources: Vec<SpecSource> = (0..6)
        .map(|i| SpecSource {
            id: format!("{:02}-192.0.2.{i}", i % 3),
            asn: [3320, 174, 0, u32::MAX, 4837, 1][i],
            asn_as_text: i % 2 == 0,
        })
        .collect();
    let route = |rng: &mut Rng, src: &str| SpecRoute {
        source_id: src.to_string(),
        prefix: "175.45.176.0/22".into(),
        path: SpecPath::List(match rng.below(5) {
            0 => vec![Hop::One(3320), Hop::One(4837), Hop::One(131_279)],
            1 => vec![
                Hop::One(174),
                Hop::One(4837),
                Hop::One(4837),
                Hop::One(131_279),
            ],
            2 => vec![Hop::One(174), Hop::Set(vec![4837, 9002]), Hop::One(131_279)],
            3 => vec![Hop::One(1), Hop::One(2), Hop::One(1), Hop::One(131_279)],
            _ => vec![Hop::One(9002), Hop::One(20_485), Hop::One(131_279)],
        }),
    };
    let events: Vec<SpecEvent> = (0..n as i64)
        .map(|i| {
            let src = sources[rng.below(sources.len())].id.clone();
            SpecEvent {
                // Out of order on purpose: the analysis sorts.
                time: start + ((i * 7919) % n.max(1) as i64) * 17,
                announce: rng.chance(3, 5),
                route: route(&mut rng, &src),
            }
        })
        .collect();
    BgplaySpec {
        start,
        end: start + 2 * 86_400,
        initial: sources.iter().map(|s| route(&mut rng, &s.id)).collect(),
        sources,
        targets: vec!["175.45.176.0/22".into()],
        nodes: vec![(131_279, Some("STAR-KP".into()))],
        events,
        envelope: true,
        iso_times: false,
    }
}

/// A small, valid answer that is wide where the replay is costly: `prefixes` /24s and
/// `upstreams` distinct upstream ASes (one announcement each), for the window `[from, until]`.
/// The replay keeps samples × prefixes × upstreams counters: ~22 kB of JSON is enough to ask
/// for gigabytes over a 100-day window.
pub fn wide_bgplay(prefixes: usize, upstreams: usize, from: i64, until: i64) -> BgplaySpec {
    let start = Analysis::fetch_start(UtcTime(from)).secs();
    let targets: Vec<String> = (0..prefixes)
        .map(|i| format!("10.{}.{}.0/24", i / 256, i % 256))
        .collect();
    let sources = vec![
        SpecSource {
            id: "00-192.0.2.1".into(),
            asn: 174,
            asn_as_text: false,
        },
        SpecSource {
            id: "01-192.0.2.2".into(),
            asn: 3320,
            asn_as_text: false,
        },
    ];
    let events = (0..upstreams.max(prefixes))
        .map(|i| SpecEvent {
            time: start + 60 + i as i64,
            announce: true,
            route: SpecRoute {
                source_id: sources[i % 2].id.clone(),
                prefix: targets
                    .get(i % prefixes.max(1))
                    .cloned()
                    .unwrap_or_default(),
                path: SpecPath::List(vec![
                    Hop::One(sources[i % 2].asn),
                    Hop::One(64_512 + (i % upstreams.max(1)) as u32),
                    Hop::One(131_279),
                ]),
            },
        })
        .collect();
    BgplaySpec {
        start,
        end: until,
        sources,
        targets,
        nodes: Vec::new(),
        initial: Vec::new(),
        events,
        envelope: true,
        iso_times: false,
    }
}

// ---------------------------------------------------------------------------------------------
// Seeds

/// URL query strings to mutate (the fuzzer feeds them to every parser like any other input).
pub const QUERY_SEEDS: &[&str] = &[
    "?asn=131279&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z",
    "?country=KP&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z&at=2025-06-06T17:30:07Z",
    "asn=AS131279&from=2025-06-06T12%3A00Z&until=2025-06-07T12:00:00Z",
    "?asn=<script>&from=2025-06-07T12:00Z&until=2025-06-06T12:00Z&zoom=%ZZ",
    "?asn=4294967295&from=1999-01-01&until=1999-04-10T23:59:59Z&at=1999-01-01T00:00:00.5",
    "?country=%4b%50&from=1749211200&until=1749297600&at=1749254400&at=0&from=&=&&",
    "?asn=1&asn=2&country=kp&from=2025-06-06T12:00+00:00&until=2025-06-07T14:00+02:00",
];

/// A sample file: its name and text.
#[derive(Debug, Clone)]
pub struct Sample {
    pub name: String,
    pub body: String,
}

/// Every `*.json` under `dir` (recursively), sorted by path.
pub fn load_samples(dir: &std::path::Path) -> std::io::Result<Vec<Sample>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                let body = String::from_utf8_lossy(&std::fs::read(&p)?).into_owned();
                let name = p
                    .strip_prefix(dir)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .into_owned();
                out.push(Sample { name, body });
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The companions of the real samples: the recorded ris-peers and ris-peer-count.
pub fn sample_companions(samples: &[Sample]) -> Companions {
    let find = |part: &str| samples.iter().find(|s| s.name.contains(part));
    Companions {
        peers: find("ris_peers")
            .and_then(|s| ripestat::parse::<RisPeers>(&s.body).ok())
            .map(|r| r.data),
        count: find("ris-peer-count")
            .and_then(|s| ripestat::parse::<RisPeerCount>(&s.body).ok())
            .map(|r| r.data),
    }
}

/// The recorded visibility answer, to cross-check parsed bgplay answers with.
pub fn sample_visibility(samples: &[Sample]) -> Option<Visibility> {
    samples
        .iter()
        .find(|s| s.name.contains("_visibility_"))
        .and_then(|s| ripestat::parse::<Visibility>(&s.body).ok())
        .map(|r| r.data)
}

/// Companions parsed from a generated spec.
pub fn spec_companions(spec: &BgplaySpec, rng: &mut Rng) -> Companions {
    let peers = spec.ris_peers_json(1 + rng.below(4));
    let count = spec.ris_peer_count_json(rng.below(20) as u32);
    Companions {
        peers: ripestat::parse::<RisPeers>(&peers).ok().map(|r| r.data),
        count: ripestat::parse::<RisPeerCount>(&count).ok().map(|r| r.data),
    }
}

/// Cuts a string for a report: the first `n` characters and the length.
pub fn shorten(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(n).collect();
        format!("{head:?}… ({count} chars)")
    }
}

/// Mutated bytes as the app would see them: `Response.text()` decodes lossily.
pub fn as_text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
