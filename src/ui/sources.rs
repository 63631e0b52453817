//! One fetch per data source, keyed on (entity, from, until): each shows its own loading state
//! and error, and a change of view aborts what is in flight. Every source shares one resource
//! type (the raw body) and is parsed in a memo: one async instantiation instead of one per
//! source keeps the WASM small.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

use crate::analysis::Analysis;
use crate::api::config::Config;
use crate::api::fetch::{get_cached, set_view, Host};
use crate::api::ioda::{self, OutageEvent, Series};
use crate::api::ripestat::{self, AsnNeighbours, Bgplay, RisPeerCount, RisPeers};
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

/// Names a view for `set_view`.
fn view_id((entity, from, until): Key) -> String {
    format!("{entity} {} {}", from.secs(), until.secs())
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
        set_view(view_id(key.get()));
        let generation = refresh.get();
        let bypass = generation != seen.get_value();
        seen.set_value(generation);
        fetch_body(url(), host, key.get().2, bypass)
    })
}

/// The fetched bodies: awaited by the panels (for Transition) and refetched by "Retry".
#[derive(Clone, Copy)]
pub struct Bodies {
    pub bgplay: LocalResource<Body>,
    pub peer_count: LocalResource<Body>,
    pub peers: LocalResource<Body>,
    pub neighbours: LocalResource<Body>,
    pub signals: LocalResource<Body>,
    pub events: LocalResource<Body>,
}

#[derive(Clone, Copy)]
pub struct Sources {
    pub bodies: Bodies,
    pub bgplay: Parsed<ripestat::Response<Bgplay>>,
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
            "BGP replay of a whole country ({c}) is not available yet: open one of its networks by ASN."
        ))),
    }
}

fn parse_with<T: Send + Sync + 'static>(
    body: LocalResource<Body>,
    parse: fn(&str) -> Result<T, ApiError>,
) -> Parsed<T> {
    Memo::new(move |_| {
        body.get()
            // A fetch cancelled by a newer view stands for nothing: still loading.
            .filter(|b| b.as_ref().err() != Some(&ApiError::Superseded))
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
        // Abort the old view's requests as soon as the view changes (see `set_view`).
        Effect::new(move |_| set_view(view_id(key.get())));
        let ripe = |f| body_resource(url(f), Host::RipeStat, key, refresh);
        let ioda = |f| body_resource(url(f), Host::Other, key, refresh);
        let bodies = Bodies {
            bgplay: ripe(|c, (e, from, until)| {
                per_asn(e).map(|a| requests::bgplay(c, a, Analysis::fetch_start(from), until))
            }),
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
        let bgplay = parse_with(bodies.bgplay, ripestat::parse::<Bgplay>);
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
            bgplay,
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
