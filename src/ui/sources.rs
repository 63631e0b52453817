//! One `LocalResource` per data source, keyed on (entity, from, until): each shows its own
//! loading state and error, and a change of view aborts what is in flight.

use std::sync::Arc;

use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::analysis::Analysis;
use crate::api::config::Config;
use crate::api::fetch::get_text;
use crate::api::ioda::{self, OutageEvent, Series};
use crate::api::ripestat::{self, AsnNeighbours, Bgplay, RisPeerCount, RisPeers};
use crate::api::{requests, ApiError};
use crate::model::{Entity, UtcTime};

/// An `Arc` compared by identity, so large answers can sit in signals cheaply.
#[derive(Debug)]
pub struct Shared<T>(pub Arc<T>);

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
pub type Key = (Entity, UtcTime, UtcTime);

#[derive(Clone, Copy)]
pub struct Sources {
    pub bgplay: LocalResource<Loaded<ripestat::Response<Bgplay>>>,
    pub peer_count: LocalResource<Loaded<ripestat::Response<RisPeerCount>>>,
    pub peers: LocalResource<Loaded<ripestat::Response<RisPeers>>>,
    pub neighbours: LocalResource<Loaded<ripestat::Response<AsnNeighbours>>>,
    pub signals: LocalResource<Loaded<ioda::Response<Vec<Series>>>>,
    pub events: LocalResource<Loaded<ioda::Response<Vec<OutageEvent>>>>,
    pub analysis: LocalResource<Loaded<Analysis>>,
}

async fn ripe<T: DeserializeOwned>(url: Result<String, ApiError>) -> Loaded<ripestat::Response<T>> {
    let body = get_text(&url?).await?;
    ripestat::parse::<T>(&body).map(|r| Shared(Arc::new(r)))
}

fn per_asn(entity: Entity) -> Result<crate::model::Asn, ApiError> {
    match entity {
        Entity::Asn(a) => Ok(a),
        Entity::Country(c) => Err(ApiError::NotApplicable(format!(
            "BGP replay of a whole country ({c}) is not available yet: open one of its networks by ASN."
        ))),
    }
}

impl Sources {
    pub fn new(config: Arc<Config>, key: Memo<Key>, refresh: RwSignal<u32>) -> Sources {
        let cfg = config.clone();
        let bgplay = LocalResource::new(move || {
            refresh.track();
            let (entity, from, until) = key.get();
            let url = per_asn(entity)
                .map(|a| requests::bgplay(&cfg, a, Analysis::fetch_start(from), until));
            ripe::<Bgplay>(url)
        });
        let cfg = config.clone();
        let peer_count = LocalResource::new(move || {
            refresh.track();
            let (_, from, until) = key.get();
            ripe::<RisPeerCount>(Ok(requests::ris_peer_count(
                &cfg,
                Analysis::fetch_start(from),
                until,
            )))
        });
        let cfg = config.clone();
        let peers = LocalResource::new(move || {
            refresh.track();
            let (_, from, _) = key.get();
            ripe::<RisPeers>(Ok(requests::ris_peers(&cfg, from)))
        });
        let cfg = config.clone();
        let neighbours = LocalResource::new(move || {
            refresh.track();
            let (entity, from, _) = key.get();
            ripe::<AsnNeighbours>(per_asn(entity).map(|a| requests::asn_neighbours(&cfg, a, from)))
        });
        let cfg = config.clone();
        let signals = LocalResource::new(move || {
            refresh.track();
            let (entity, from, until) = key.get();
            let url = requests::ioda_signals(&cfg, &entity, from, until);
            async move {
                let body = get_text(&url).await?;
                ioda::parse_signals(&body).map(|r| Shared(Arc::new(r)))
            }
        });
        let cfg = config;
        let events = LocalResource::new(move || {
            refresh.track();
            let (entity, from, until) = key.get();
            let url = requests::ioda_events(&cfg, &entity, from, until);
            async move {
                let body = get_text(&url).await?;
                ioda::parse_events(&body).map(|r| Shared(Arc::new(r)))
            }
        });
        let analysis = LocalResource::new(move || {
            let (_, from, until) = key.get();
            async move {
                let b = bgplay.await?;
                // Without the peer list or counts the analysis still runs, and says which rule it used.
                let p = peers.await.ok();
                let c = peer_count.await.ok();
                let a = Analysis::run(
                    &b.data,
                    p.as_ref().map(|r| &r.data),
                    c.as_ref().map(|r| &r.data),
                    from,
                    until,
                );
                Ok(Shared(Arc::new(a)))
            }
        });
        Sources {
            bgplay,
            peer_count,
            peers,
            neighbours,
            signals,
            events,
            analysis,
        }
    }
}
