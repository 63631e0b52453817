//! One fetch per data source, keyed on (entity, from, until): each shows its own loading state
//! and error, and a change of view aborts what is in flight. Every source shares one resource
//! type (the raw body) and is parsed in a memo: one async instantiation instead of one per
//! source keeps the WASM small.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};

use leptos::prelude::*;

use crate::analysis::{chunks, Analysis};
use crate::api::config::Config;
use crate::api::country::{self, CountryResources};
use crate::api::fetch::{get_cached, Host};
use crate::api::ioda::{self, OutageEvent, Series};
use crate::api::ripestat::{self, AsnNeighbours, Bgplay, Note, RisPeerCount, RisPeers};
use crate::api::{requests, ApiError};
use crate::model::{Asn, Entity, UtcTime};

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
    get_cached(&url?, host, Some(until), refresh).await
}

/// Not generic on purpose: every source reuses this one resource type. A bump of `refresh`
/// refetches, bypassing the caches once.
fn body_resource(
    url: UrlFn,
    host: Host,
    key: Memo<Key>,
    refresh: RwSignal<u32>,
) -> LocalResource<Body> {
    let seen = StoredValue::new(0u32);
    LocalResource::new(move || {
        let generation = refresh.get();
        let bypass = generation != seen.get_value();
        seen.set_value(generation);
        fetch_body(url(), host, key.get().2, bypass)
    })
}

/// Every bgplay answer of a view, batch-major (a country's batches of ASNs), each batch's time
/// chunks in order, with what the plan left out.
pub struct BgplayBodies {
    pub bodies: Vec<Rc<String>>,
    pub batches: usize,
    pub chunks: usize,
    /// ASNs of the country (0 for one network), and those beyond the request cap.
    pub country_asns: usize,
    pub left_out: usize,
}

pub type Many = Result<Rc<BgplayBodies>, ApiError>;

/// The fetched bodies: awaited by the panels (for Transition) and refetched by "Retry".
#[derive(Clone, Copy)]
pub struct Bodies {
    pub country: LocalResource<Body>,
    pub bgplay: LocalResource<Many>,
    pub peer_count: LocalResource<Body>,
    pub peers: LocalResource<Body>,
    pub neighbours: LocalResource<Body>,
    pub signals: LocalResource<Body>,
    pub events: LocalResource<Body>,
}

#[derive(Clone, Copy)]
pub struct Sources {
    pub bodies: Bodies,
    pub country: Parsed<ripestat::Response<CountryResources>>,
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

/// Awaits every future at once (within the fetch limiter's slots); the first failure ends the
/// wait and drops the others, which aborts their requests. A tiny `join_all`: no dependency.
struct AllOk {
    pending: Vec<Option<Pin<Box<dyn Future<Output = Body>>>>>,
    done: Vec<Option<Rc<String>>>,
}

impl Future for AllOk {
    type Output = Result<Vec<Rc<String>>, ApiError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        for (slot, out) in this.pending.iter_mut().zip(this.done.iter_mut()) {
            let Some(fut) = slot else { continue };
            if let Poll::Ready(r) = fut.as_mut().poll(cx) {
                *slot = None;
                *out = Some(r?);
            }
        }
        if this.pending.iter().any(Option::is_some) {
            return Poll::Pending;
        }
        Poll::Ready(Ok(this.done.iter_mut().filter_map(Option::take).collect()))
    }
}

/// The resources of a view's bgplay requests: one ASN, or the country's ASNs in batches (from
/// its country-resource-list answer; None while that is loading).
fn batches_of(
    entity: Entity,
    list: Option<Body>,
    chunk_count: usize,
) -> Option<Result<(Vec<String>, usize, usize), ApiError>> {
    match entity {
        Entity::Asn(a) => Some(Ok((vec![a.to_string()], 0, 0))),
        Entity::Country(c) => Some(list?.and_then(|body| {
            let asns = ripestat::parse::<CountryResources>(&body)?
                .data
                .resources
                .asns;
            if asns.is_empty() {
                return Err(ApiError::NotApplicable(format!(
                    "RIPEstat lists no AS number registered to {c}: nothing to replay"
                )));
            }
            let plan = country::plan(&asns, chunk_count);
            let batches = plan.batches.iter().map(|b| country::resource(b)).collect();
            Ok((batches, asns.len(), plan.left_out))
        })),
    }
}

/// Parses every answer and assembles one; the plan's facts become notes on the source row.
fn assemble(all: &BgplayBodies) -> Result<ripestat::Response<Bgplay>, ApiError> {
    let mut notes: Vec<Note> = Vec::new();
    let mut batches: Vec<Vec<Bgplay>> = Vec::with_capacity(all.batches);
    for batch in all.bodies.chunks(all.chunks.max(1)) {
        let mut parts = Vec::with_capacity(batch.len());
        for body in batch {
            let r = ripestat::parse::<Bgplay>(body)?;
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
    let data = chunks::assemble(batches).ok_or(ApiError::Empty)?;
    Ok(ripestat::Response { data, notes })
}

fn parse_with<T: Send + Sync + 'static>(
    body: LocalResource<Body>,
    parse: fn(&str) -> Result<T, ApiError>,
) -> Parsed<T> {
    Memo::new(move |_| {
        body.get()
            .map(|b| b.and_then(|text| parse(&text).map(Shared::new)))
    })
}

impl Sources {
    pub fn new(config: Arc<Config>, key: Memo<Key>) -> Sources {
        let url = |f: fn(&Config, Key) -> Result<String, ApiError>| -> UrlFn {
            let cfg = config.clone();
            Box::new(move || f(&cfg, key.get()))
        };
        let refresh = RwSignal::new(0u32);
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
            let seen = StoredValue::new(0u32);
            LocalResource::new(move || {
                let generation = refresh.get();
                let bypass = generation != seen.get_value();
                seen.set_value(generation);
                let (entity, from, until) = key.get();
                let windows = chunks::plan(Analysis::fetch_start(from), until, chunks::CHUNK_SECS);
                let list = matches!(entity, Entity::Country(_)).then(|| country.get());
                let planned = batches_of(entity, list.flatten(), windows.len());
                let cfg = cfg.clone();
                async move {
                    let Some(planned) = planned else {
                        // The country's list is loading: this runs again when it arrives.
                        return std::future::pending().await;
                    };
                    let (batches, country_asns, left_out) = planned?;
                    let total = batches.len() * windows.len();
                    progress.set((0, total));
                    let mut pending = Vec::with_capacity(total);
                    for resource in &batches {
                        for (a, b) in &windows {
                            let url = requests::bgplay_of(&cfg, resource, *a, *b);
                            let fut: Pin<Box<dyn Future<Output = Body>>> = Box::pin(async move {
                                let r = get_cached(&url, Host::RipeStat, Some(until), bypass).await;
                                progress.update(|p| p.0 += 1);
                                r
                            });
                            pending.push(Some(fut));
                        }
                    }
                    let done = (0..total).map(|_| None).collect();
                    let bodies = AllOk { pending, done }.await?;
                    Ok(Rc::new(BgplayBodies {
                        bodies,
                        batches: batches.len(),
                        chunks: windows.len(),
                        country_asns,
                        left_out,
                    }))
                }
            })
        };
        let bodies = Bodies {
            country,
            bgplay,
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
        let country = parse_with(bodies.country, ripestat::parse::<CountryResources>);
        let bgplay = Memo::new(move |_| {
            bodies
                .bgplay
                .get()
                .map(|r| r.and_then(|all| assemble(&all).map(Shared::new)))
        });
        let peer_count = parse_with(bodies.peer_count, ripestat::parse::<RisPeerCount>);
        let peers = parse_with(bodies.peers, ripestat::parse::<RisPeers>);
        let neighbours = parse_with(bodies.neighbours, ripestat::parse::<AsnNeighbours>);
        let signals = parse_with(bodies.signals, ioda::parse_signals);
        let events = parse_with(bodies.events, ioda::parse_events);
        let analysis = Memo::new(move |_| {
            let (_, from, until) = key.get();
            let b = match bgplay.get()? {
                Ok(b) => b,
                Err(e) => return Some(Err(e)),
            };
            // Without the peer list or counts the analysis still runs, and says which rule it used.
            let p = peers.get()?.ok();
            let c = peer_count.get()?.ok();
            let a = Analysis::run(
                &b.data,
                p.as_ref().map(|r| &r.data),
                c.as_ref().map(|r| &r.data),
                from,
                until,
            );
            Some(Ok(Shared::new(a)))
        });
        Sources {
            bodies,
            country,
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

    /// Waits until the analysis' inputs have arrived (for Transition), then reads it.
    pub async fn analysis(self) -> Loaded<Analysis> {
        let _ = self.bodies.bgplay.await;
        let _ = self.bodies.peers.await;
        let _ = self.bodies.peer_count.await;
        self.analysis.get().unwrap_or(Err(ApiError::Empty))
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
