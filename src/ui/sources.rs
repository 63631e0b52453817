//! One fetch per data source, keyed on (entity, from, until): each shows its own loading state
//! and error, and a change of view aborts what is in flight. Every source shares one resource
//! type (`Answers`: the raw bodies) and is parsed in a memo: one async instantiation instead of
//! one per source keeps the WASM small.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};

use leptos::prelude::*;

use crate::analysis::crosscheck::{self, VisibilityCheck};
use crate::analysis::graph::GraphLayout;
use crate::analysis::pace::{apart, Pace};
#[cfg(test)]
use crate::analysis::pace::{unpaced, Unpaced};
use crate::analysis::{chunks, Analysis};
use crate::api::config::Config;
use crate::api::country::{self, CountryResources};
use crate::api::fetch::{get_cached, set_view, Host};
use crate::api::ioda::{self, OutageEvent, Series};
use crate::api::pace::BrowserPace;
use crate::api::ripestat::{self, AsnNeighbours, Bgplay, Note, RisPeerCount, RisPeers, Visibility};
use crate::api::{requests, ApiError};
use crate::model::{Asn, Entity, Prefix, UtcTime};

/// An `Arc` compared by identity, so large answers can sit in signals cheaply.
#[derive(Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> Shared<T> {
    pub fn new(v: T) -> Self {
        Shared(Arc::new(v))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

pub type Loaded<T> = Result<Shared<T>, ApiError>;
pub type Body = Result<Rc<String>, ApiError>;
pub type Key = (Entity, UtcTime, UtcTime);
/// `None` while loading.
pub type Parsed<T> = Memo<Option<Loaded<T>>>;

type UrlFn = Box<dyn Fn() -> Result<String, ApiError>>;

async fn fetch_body(
    url: Result<String, ApiError>,
    host: Host,
    until: UtcTime,
    refresh: bool,
) -> Body {
    let url = url?;
    // Each request starts in a task of its own, not in the one that built the page: a dozen
    // requests set up at once (cache lookups, request objects) held it 20-30 ms more.
    crate::api::fetch::next_task().await;
    get_cached(&url, host, Some(until), refresh).await
}

/// Names a view for `set_view`.
fn view_id((entity, from, until): Key) -> String {
    format!("{entity} {} {}", from.secs(), until.secs())
}

/// A source fetched as one request, its body the only one of its `Answers`: the same resource
/// type as the sources of several requests. A bump of `refresh` refetches, bypassing the
/// caches once.
fn body_resource(
    url: UrlFn,
    host: Host,
    key: Memo<Key>,
    refresh: RwSignal<u32>,
) -> LocalResource<Many> {
    many_resource(refresh, move |bypass| {
        set_view(view_id(key.get()));
        let body = fetch_body(url(), host, key.get().2, bypass);
        Box::pin(async move {
            Ok(Rc::new(Answers {
                bodies: vec![body.await?],
                ..Answers::default()
            }))
        })
    })
}

/// What a resource gives: the answers of a source (one request's body, or several), or the
/// analysis. bgplay: batch-major (a country's batches of ASNs), each batch's time chunks in
/// order, with what the plan left out. visibility: the replay checked against each answer
/// (`checked`). One type for all, so the resource machinery is compiled once.
#[derive(Default)]
pub struct Answers {
    pub bodies: Vec<Rc<String>>,
    pub batches: usize,
    pub chunks: usize,
    /// ASNs of the country (0 for one network), and those beyond the request cap.
    pub country_asns: usize,
    pub left_out: usize,
    /// The replay against each visibility answer, checked once when they came: the source
    /// row reads it on every change (a walk over a large entity's routes took 10-15 ms).
    pub checked: Rc<Vec<VisibilityCheck>>,
    /// The analysis of bgplay's answers, when these are its resource's: one resource type
    /// more would compile the async machinery once more (1 KB).
    pub prepared: Option<Prepared>,
}

impl Answers {
    /// The body of a single request's answer.
    pub fn text(&self) -> &str {
        self.bodies.first().map_or("", |b| b.as_str())
    }

    fn prepared(&self) -> Result<Prepared, ApiError> {
        self.prepared.clone().ok_or(ApiError::Empty)
    }
}

pub type Many = Result<Rc<Answers>, ApiError>;

type ManyFuture = Pin<Box<dyn Future<Output = Many>>>;

/// A resource of `Answers`. Not generic on the closure's future: every source (and the
/// analysis) shares this one resource instantiation. A bump of `refresh` bypasses the caches.
fn many_resource(
    refresh: RwSignal<u32>,
    make: impl Fn(bool) -> ManyFuture + 'static,
) -> LocalResource<Many> {
    let make: Box<dyn Fn(bool) -> ManyFuture> = Box::new(make);
    let seen = StoredValue::new(0u32);
    LocalResource::new(move || {
        let generation = refresh.get();
        let bypass = generation != seen.get_value();
        seen.set_value(generation);
        make(bypass)
    })
}

/// The fetched bodies: awaited by the panels (for Transition) and refetched by "Retry".
#[derive(Clone, Copy)]
pub struct Bodies {
    pub country: LocalResource<Many>,
    pub bgplay: LocalResource<Many>,
    /// RIPEstat's visibility at dump times in the window, for the cross-check.
    pub visibility: LocalResource<Many>,
    pub peer_count: LocalResource<Many>,
    pub peers: LocalResource<Many>,
    pub neighbours: LocalResource<Many>,
    pub signals: LocalResource<Many>,
    pub events: LocalResource<Many>,
}

/// What an analysis is made from, compared by identity: bgplay's answers, the peer list and
/// counts.
struct Inputs(
    Rc<Answers>,
    Option<Shared<ripestat::Response<RisPeers>>>,
    Option<Shared<ripestat::Response<RisPeerCount>>>,
);

impl PartialEq for Inputs {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) && self.1 == other.1 && self.2 == other.2
    }
}

/// bgplay's answers assembled, the analysis of them, and its graph once laid out.
#[derive(Clone, PartialEq)]
pub struct Prepared {
    pub bgplay: Shared<ripestat::Response<Bgplay>>,
    pub analysis: Shared<Analysis>,
    /// Shared by every copy: `prepared` hands the same result out again as each body it awaits
    /// resolves, and the graph's resource, which runs again with it, finds the layout here.
    pub graph: Rc<std::cell::OnceCell<Shared<GraphLayout>>>,
}

#[derive(Clone, Copy)]
pub struct Sources {
    pub bodies: Bodies,
    /// Parsed and analysed in slices (see `ui::pace`).
    prepared: LocalResource<Many>,
    /// The analysis with its graph, laid out once the summary shows.
    laid_out: LocalResource<Many>,
    /// The answers merged and stitched into one.
    pub bgplay: Parsed<ripestat::Response<Bgplay>>,
    /// bgplay requests answered, of those planned (0 of 0 before the plan is known).
    pub progress: RwSignal<(usize, usize)>,
    pub peer_count: Parsed<ripestat::Response<RisPeerCount>>,
    pub peers: Parsed<ripestat::Response<RisPeers>>,
    pub neighbours: Parsed<ripestat::Response<AsnNeighbours>>,
    pub signals: Parsed<ioda::Response<Vec<Series>>>,
    pub events: Parsed<ioda::Response<Vec<OutageEvent>>>,
    pub analysis: Parsed<Analysis>,
    /// Bumped by "Refresh": every source is fetched again, past the caches.
    pub refresh: RwSignal<u32>,
}

fn per_asn(entity: Entity) -> Result<Asn, ApiError> {
    match entity {
        Entity::Asn(a) => Ok(a),
        Entity::Country(c) => Err(ApiError::NotApplicable(format!(
            "per network only: open one of {c}'s networks by ASN"
        ))),
    }
}

/// Awaits every future at once (within the fetch limiter's slots) and gives the first failure,
/// if any, once all have ended: dropping the others early would free their limiter slots
/// while the browser still runs their requests. A tiny `join_all`: no dependency.
struct AllOk {
    pending: Vec<Option<Pin<Box<dyn Future<Output = Body>>>>>,
    done: Vec<Option<Rc<String>>>,
    failed: Option<ApiError>,
}

impl Future for AllOk {
    type Output = Result<Vec<Rc<String>>, ApiError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        for (slot, out) in this.pending.iter_mut().zip(this.done.iter_mut()) {
            let Some(fut) = slot else { continue };
            if let Poll::Ready(r) = fut.as_mut().poll(cx) {
                *slot = None;
                match r {
                    Ok(body) => *out = Some(body),
                    Err(e) => {
                        this.failed.get_or_insert(e);
                    }
                }
            }
        }
        if this.pending.iter().any(Option::is_some) {
            return Poll::Pending;
        }
        if let Some(e) = this.failed.take() {
            return Poll::Ready(Err(e));
        }
        Poll::Ready(Ok(this.done.iter_mut().filter_map(Option::take).collect()))
    }
}

/// Fetches every URL at once (RIPEstat's limiter queues them), counting answers in `progress`.
async fn fetch_all(
    urls: Vec<String>,
    until: UtcTime,
    bypass: bool,
    progress: Option<RwSignal<(usize, usize)>>,
) -> Result<Vec<Rc<String>>, ApiError> {
    if let Some(p) = progress {
        p.set((0, urls.len()));
    }
    let done = urls.iter().map(|_| None).collect();
    let pending = urls
        .into_iter()
        .map(|url| {
            let fut: Pin<Box<dyn Future<Output = Body>>> = Box::pin(async move {
                let r = fetch_body(Ok(url), Host::RipeStat, until, bypass).await;
                if let Some(p) = progress {
                    p.update(|p| p.0 += 1);
                }
                r
            });
            Some(fut)
        })
        .collect();
    AllOk {
        pending,
        done,
        failed: None,
    }
    .await
}

/// The resources of a view's bgplay requests: one ASN, or the country's ASNs in batches (from
/// its country-resource-list answer).
fn batches_of(
    entity: Entity,
    list: Option<Many>,
    chunk_count: usize,
) -> Result<(Vec<String>, usize, usize), ApiError> {
    let (code, body) = match (entity, list) {
        (Entity::Asn(a), _) => return Ok((vec![a.to_string()], 0, 0)),
        (Entity::Country(c), Some(body)) => match body {
            Ok(body) => (c, body),
            Err(e) => {
                return Err(ApiError::NotApplicable(format!(
                    "needs {c}'s list of networks, which did not come ({e})"
                )))
            }
        },
        (Entity::Country(_), None) => return Err(ApiError::Empty),
    };
    let asns = ripestat::parse::<CountryResources>(body.text())?
        .data
        .resources
        .asns;
    if asns.is_empty() {
        return Err(ApiError::NotApplicable(format!(
            "RIPEstat lists no AS number registered to {code}: nothing to replay"
        )));
    }
    let plan = country::plan(&asns, chunk_count);
    let batches = plan.batches.iter().map(|b| country::resource(b)).collect();
    Ok((batches, asns.len(), plan.left_out))
}

/// Which prefixes to check at which dump times: the first prefixes of the answer at
/// up to three dump times in the window, so a country costs a few requests, not hundreds.
fn check_plan(b: &Bgplay, from: UtcTime, until: UtcTime) -> Vec<(Prefix, UtcTime)> {
    // The answer's first prefixes (merged targets are already unique).
    let prefixes: Vec<Prefix> = b
        .targets
        .iter()
        .take(crosscheck::MAX_PREFIXES)
        .map(|t| t.prefix)
        .collect();
    let times = crosscheck::dump_times(from, until, crosscheck::MAX_DUMP_TIMES);
    // Time by time, so that one walk over the updates checks them all.
    times
        .iter()
        .flat_map(|t| prefixes.iter().map(move |p| (*p, *t)))
        .collect()
}

/// Parses the visibility answers of `plan` and checks the replay against them.
fn check_answers(
    a: &Analysis,
    plan: &[(Prefix, UtcTime)],
    bodies: &[Rc<String>],
) -> Result<Vec<VisibilityCheck>, ApiError> {
    let mut answers = Vec::with_capacity(bodies.len());
    for body in bodies {
        answers.push(ripestat::parse::<Visibility>(body)?.data);
    }
    let pairs: Vec<(Prefix, &Visibility)> = plan.iter().map(|(p, _)| *p).zip(&answers).collect();
    Ok(crosscheck::check_visibilities(&a.input, &pairs))
}

/// Parses every answer and assembles one; the plan's facts become notes on the source row.
#[cfg(test)]
fn assemble(all: &Answers) -> Result<ripestat::Response<Bgplay>, ApiError> {
    unpaced(assemble_paced(all, &mut Unpaced))
}

/// `assemble`, parsing each answer in slices as `pace` asks.
async fn assemble_paced<P: Pace>(
    all: &Answers,
    pace: &mut P,
) -> Result<Result<ripestat::Response<Bgplay>, ApiError>, P::Stop> {
    let mut notes: Vec<Note> = Vec::new();
    let mut batches: Vec<Vec<Bgplay>> = Vec::with_capacity(all.batches);
    for batch in all.bodies.chunks(all.chunks.max(1)) {
        let mut parts = Vec::with_capacity(batch.len());
        for body in batch {
            let r = match apart(ripestat::parse_bgplay_paced(body, pace)).await? {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            for n in r.notes {
                if !notes.contains(&n) {
                    notes.push(n);
                }
            }
            parts.push(r.data);
        }
        batches.push(parts);
    }
    let requests = all.bodies.len();
    if requests > 1 {
        let what = if all.country_asns > 0 {
            format!(
                "{} ASNs in {} batches × {} time chunks",
                all.country_asns - all.left_out,
                all.batches,
                all.chunks
            )
        } else {
            format!("{} time chunks, stitched", all.chunks)
        };
        notes.push(Note {
            level: "info".into(),
            text: format!("{requests} bgplay requests: {what}"),
        });
    }
    if all.left_out > 0 {
        notes.push(Note {
            level: "warning".into(),
            text: format!(
                "partial: only the first {} of {} ASNs are replayed (at most {} bgplay \
                 requests per view, {} ASNs each); narrow the window to replay more",
                all.country_asns - all.left_out,
                all.country_asns,
                country::MAX_BGPLAY_REQUESTS,
                country::ASNS_PER_REQUEST
            ),
        });
    }
    Ok(apart(chunks::assemble_paced(batches, pace))
        .await?
        .ok_or(ApiError::Empty)
        .map(|data| ripestat::Response { data, notes }))
}

fn parse_with<T: Send + Sync + 'static>(
    body: LocalResource<Many>,
    parse: fn(&str) -> Result<T, ApiError>,
) -> Parsed<T> {
    Memo::new(move |_| {
        body.get()
            // A fetch cancelled by a newer view stands for nothing: still loading.
            .filter(|b| b.as_ref().err() != Some(&ApiError::Superseded))
            .map(|b| b.and_then(|a| parse(a.text()).map(Shared::new)))
    })
}

impl Sources {
    pub fn new(config: Arc<Config>, key: Memo<Key>) -> Sources {
        let url = |f: fn(&Config, Key) -> Result<String, ApiError>| -> UrlFn {
            let cfg = config.clone();
            Box::new(move || f(&cfg, key.get()))
        };
        let refresh = RwSignal::new(0u32);
        // Abort the old view's requests as soon as the view changes (see `set_view`).
        Effect::new(move |_| set_view(view_id(key.get())));
        let ripe = |f| body_resource(url(f), Host::RipeStat, key, refresh);
        let ioda = |f| body_resource(url(f), Host::Other, key, refresh);
        let country = ripe(|c, (e, from, _)| match e {
            Entity::Country(code) => Ok(requests::country_resource_list(c, code.as_str(), from)),
            Entity::Asn(_) => Err(ApiError::NotApplicable(
                "countries only: this view is one network".into(),
            )),
        });
        let progress = RwSignal::new((0usize, 0usize));
        let bgplay = {
            let cfg = config.clone();
            many_resource(refresh, move |bypass| {
                let (entity, from, until) = key.get();
                let windows = chunks::plan(Analysis::fetch_start(from), until, chunks::CHUNK_SECS);
                let cfg = cfg.clone();
                Box::pin(async move {
                    // A country's ASNs first (awaiting tracks it: a new list refetches). The
                    // future must end: the resource handles no change until it has.
                    let list = match entity {
                        Entity::Country(_) => Some(country.await),
                        Entity::Asn(_) => None,
                    };
                    let (batches, country_asns, left_out) =
                        batches_of(entity, list, windows.len())?;
                    let urls = batches
                        .iter()
                        .flat_map(|r| {
                            let cfg = &cfg;
                            windows
                                .iter()
                                .map(move |(a, b)| requests::bgplay_of(cfg, r, *a, *b))
                        })
                        .collect();
                    let bodies = fetch_all(urls, until, bypass, Some(progress)).await?;
                    Ok(Rc::new(Answers {
                        bodies,
                        batches: batches.len(),
                        chunks: windows.len(),
                        country_asns,
                        left_out,
                        ..Answers::default()
                    }))
                })
            })
        };
        let mut bodies = Bodies {
            country,
            bgplay,
            visibility: bgplay,
            peer_count: ripe(|c, (_, from, until)| {
                Ok(requests::ris_peer_count(
                    c,
                    Analysis::fetch_start(from),
                    until,
                ))
            }),
            peers: ripe(|c, (_, from, _)| Ok(requests::ris_peers(c, from))),
            neighbours: ripe(|c, (e, from, _)| {
                per_asn(e).map(|a| requests::asn_neighbours(c, a, from))
            }),
            signals: ioda(|c, (e, from, until)| Ok(requests::ioda_signals(c, &e, from, until))),
            events: ioda(|c, (e, from, until)| Ok(requests::ioda_events(c, &e, from, until))),
        };
        let peer_count = parse_with(bodies.peer_count, ripestat::parse::<RisPeerCount>);
        let peers = parse_with(bodies.peers, ripestat::parse::<RisPeers>);
        let neighbours = parse_with(bodies.neighbours, ripestat::parse::<AsnNeighbours>);
        let signals = parse_with(bodies.signals, ioda::parse_signals);
        let events = parse_with(bodies.events, ioda::parse_events);
        let (bgplay_body, peers_body, count_body) =
            (bodies.bgplay, bodies.peers, bodies.peer_count);
        // Parsing and analysing a large entity takes seconds: done in slices, off the memos.
        // The inputs of the last analysis and its result. Each awaited body that resolves runs
        // the resource again once the running work is done; with the same inputs that run
        // reuses the result instead of analysing a large entity twice.
        let last: StoredValue<Option<(Key, Inputs, Prepared)>, LocalStorage> =
            StoredValue::new_local(None);
        let prepared = many_resource(refresh, move |_| {
            let view = key.get();
            let work = async move {
                let all = bgplay_body.await?;
                // Awaited so that a new list or count runs the analysis again.
                let _ = peers_body.await;
                let _ = count_body.await;
                // Without the peer list or counts the analysis still runs, and says which rule it used.
                let p = peers.get_untracked().and_then(Result::ok);
                let c = peer_count.get_untracked().and_then(Result::ok);
                let inputs = Inputs(all.clone(), p.clone(), c.clone());
                let done = last.with_value(|l| match l {
                    Some((k, i, done)) if *k == view && *i == inputs => Some(done.clone()),
                    _ => None,
                });
                if let Some(done) = done {
                    return Ok(done);
                }
                let mut pace = BrowserPace::new(view_id(view));
                let b = apart(assemble_paced(&all, &mut pace)).await??;
                let (_, from, until) = view;
                let a = Analysis::run_paced(
                    &b.data,
                    p.as_ref().map(|r| &r.data),
                    c.as_ref().map(|r| &r.data),
                    from,
                    until,
                    &mut pace,
                )
                .await?;
                // The page renders the result in a task of its own, not after the last slice.
                pace.pause().await?;
                let done = Prepared {
                    bgplay: Shared::new(b),
                    analysis: Shared::new(a),
                    graph: Rc::default(),
                };
                last.set_value(Some((view, inputs, done.clone())));
                Ok(done)
            };
            Box::pin(async move {
                Ok(Rc::new(Answers {
                    prepared: Some(work.await?),
                    ..Answers::default()
                }))
            })
        });
        // A view's work given up for a newer view stands for nothing: still loading.
        let current = move || {
            prepared
                .get()
                .filter(|r| r.as_ref().err() != Some(&ApiError::Superseded))
                .map(|r| r.and_then(|a| a.prepared()))
        };
        // The graph's timelines cost about what the replay does, and only its panel needs them:
        // laid out once the analysis is there, in slices of their own, while the summary and
        // charts render without waiting for them.
        let laid_out = many_resource(refresh, move |_| {
            let view = key.get();
            Box::pin(async move {
                let p = prepared.await.and_then(|a| a.prepared())?;
                if p.graph.get().is_none() {
                    let mut pace = BrowserPace::new(view_id(view));
                    let graph = p.analysis.layout_paced(&mut pace).await?;
                    let _ = p.graph.set(Shared::new(graph));
                    // The graph renders in a task of its own, not after the last slice.
                    crate::api::fetch::next_task().await;
                }
                Ok(Rc::new(Answers {
                    prepared: Some(p),
                    ..Answers::default()
                }))
            })
        });
        let bgplay = Memo::new(move |_| current().map(|r| r.map(|p| p.bgplay)));
        let analysis = Memo::new(move |_| current().map(|r| r.map(|p| p.analysis)));
        bodies.visibility = {
            let cfg = config.clone();
            many_resource(refresh, move |bypass| {
                let (_, from, until) = key.get();
                let cfg = cfg.clone();
                Box::pin(async move {
                    // The prefixes come from bgplay's answer.
                    let (checks, analysis) = match prepared.await.and_then(|a| a.prepared()) {
                        Ok(p) => (check_plan(&p.bgplay.data, from, until), p.analysis),
                        _ => {
                            return Err(ApiError::NotApplicable(
                                "needs bgplay's answer, which did not come".into(),
                            ))
                        }
                    };
                    if checks.is_empty() {
                        return Err(ApiError::NotApplicable(
                            "no RIB dump time (00, 08, 16 UTC) inside this window".into(),
                        ));
                    }
                    let urls = checks
                        .iter()
                        .map(|(p, t)| requests::visibility(&cfg, &p.to_string(), *t))
                        .collect();
                    let bodies = fetch_all(urls, until, bypass, None).await?;
                    Ok(Rc::new(Answers {
                        checked: Rc::new(check_answers(&analysis, &checks, &bodies)?),
                        ..Answers::default()
                    }))
                })
            })
        };
        Sources {
            bodies,
            prepared,
            laid_out,
            bgplay,
            progress,
            peer_count,
            peers,
            neighbours,
            signals,
            events,
            analysis,
            refresh,
        }
    }

    /// The country's registered resources (None while loading). A plain function, not a
    /// memo: only its source row reads it.
    pub fn country(self) -> Option<Result<ripestat::Response<CountryResources>, ApiError>> {
        self.bodies
            .country
            .get()
            .map(|b| b.and_then(|a| ripestat::parse::<CountryResources>(a.text())))
    }

    /// The replay against RIPEstat's visibility at dump times (None while loading), as the
    /// resource checked it when the answers came.
    pub fn checks(self) -> Option<Result<Rc<Vec<VisibilityCheck>>, ApiError>> {
        self.bodies
            .visibility
            .get()
            .map(|r| r.map(|all| all.checked.clone()))
    }

    /// Waits for the analysis (for Transition).
    pub async fn analysis(self) -> Loaded<Analysis> {
        let analysis = self
            .prepared
            .await
            .and_then(|a| a.prepared())
            .map(|p| p.analysis);
        // Each of the analysis' readers (summary, timeline, graph) goes on in a task of its own.
        crate::api::fetch::next_task_send().await;
        analysis
    }

    /// Waits for the analysis and its graph (for Transition).
    pub async fn graph(self) -> Result<(Shared<Analysis>, Shared<GraphLayout>), ApiError> {
        let p = self.laid_out.await?.prepared()?;
        let graph = p.graph.get().cloned().ok_or(ApiError::Empty)?;
        Ok((p.analysis, graph))
    }

    /// IODA's signals, and its events when they came (the chart shows without them).
    pub async fn ioda(
        self,
    ) -> Result<
        (
            Shared<ioda::Response<Vec<Series>>>,
            Option<Shared<ioda::Response<Vec<OutageEvent>>>>,
        ),
        ApiError,
    > {
        let _ = self.bodies.signals.await;
        let _ = self.bodies.events.await;
        let signals = self.signals.get().unwrap_or(Err(ApiError::Empty))?;
        Ok((signals, self.events.get().and_then(Result::ok)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(prefix: &str) -> Rc<String> {
        Rc::new(format!(
            r#"{{"status":"ok","messages":[["info","synthetic"]],"data":{{
            "query_starttime":0,"query_endtime":100,
            "sources":[{{"id":"00-a","as_number":1}}],"targets":[{{"prefix":"{prefix}"}}],
            "initial_state":[{{"source_id":"00-a","target_prefix":"{prefix}","path":[1,9]}}],
            "events":[]}}}}"#
        ))
    }

    #[test]
    fn a_capped_country_says_how_many_networks_it_left_out() {
        let list = r#"{"status":"ok","data":{"resources":{"asn":["1","2","3","4","5"]}}}"#;
        let code = crate::model::CountryCode::parse("XZ").unwrap();
        let one = |text: &str| -> Many {
            Ok(Rc::new(Answers {
                bodies: vec![Rc::new(text.to_string())],
                ..Answers::default()
            }))
        };
        let body = one(list);
        let (batches, n, left_out) = batches_of(Entity::Country(code), Some(body), 1).unwrap();
        assert_eq!(batches, vec!["AS1,AS2,AS3,AS4", "AS5"]);
        assert_eq!((n, left_out), (5, 0));
        let none = one(r#"{"status":"ok","data":{"resources":{"asn":[]}}}"#);
        assert!(matches!(
            batches_of(Entity::Country(code), Some(none), 1),
            Err(ApiError::NotApplicable(_))
        ));
        // The list's failure is named on bgplay's row, not passed off as bgplay's own.
        let failed = Err(ApiError::Http {
            status: 400,
            message: Some("The parameter 'resource' is required.".into()),
        });
        match batches_of(Entity::Country(code), Some(failed), 1) {
            Err(ApiError::NotApplicable(m)) => {
                assert!(
                    m.starts_with("needs XZ's list of networks") && m.contains("400"),
                    "{m}"
                )
            }
            other => panic!("{other:?}"),
        }
        let all = Answers {
            bodies: vec![answer("10.0.0.0/24"), answer("10.0.1.0/24")],
            batches: 2,
            chunks: 1,
            country_asns: 300,
            left_out: 292,
            ..Answers::default()
        };
        let r = assemble(&all).unwrap();
        assert_eq!(r.data.targets.len(), 2);
        let notes: Vec<&str> = r.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(notes[0], "synthetic", "the API's note once");
        assert_eq!(
            notes[1],
            "2 bgplay requests: 8 ASNs in 2 batches × 1 time chunks"
        );
        assert!(notes[2].starts_with("partial: only the first 8 of 300 ASNs are replayed"));
    }
}
