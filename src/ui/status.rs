//! One line per data source: loading, loaded (with the API's own notes), or failed with the
//! reason and a retry button. A failed source never hides the others.

use leptos::either::EitherOf4;
use leptos::prelude::*;

use super::fresh::Fresh;
use super::sources::{Loaded, Shared, Sources};
use crate::api::{ioda, ripestat, ApiError};

#[derive(Debug, Clone, PartialEq)]
enum State {
    Loading(String),
    Ready {
        detail: String,
        notes: Vec<String>,
    },
    Failed(String),
    /// The source does not apply to this entity (a per-network call for a country).
    Skipped(String),
}

// The generic shells only pick each answer's detail and notes; the rest is compiled once.
fn ripe_state<T>(r: Option<Loaded<ripestat::Response<T>>>, detail: impl Fn(&T) -> String) -> State {
    settled(r.map(|r| r.map(|resp| (detail(&resp.data), ripe_notes(&resp.notes)))))
}

fn ioda_state<T>(r: Option<Loaded<ioda::Response<T>>>, detail: impl Fn(&T) -> String) -> State {
    settled(r.map(|r| {
        r.map(|resp| {
            (
                detail(&resp.data),
                resp.attribution.iter().cloned().collect(),
            )
        })
    }))
}

#[inline(never)]
fn ripe_notes(notes: &[ripestat::Note]) -> Vec<String> {
    notes
        .iter()
        .map(|n| format!("{}: {}", n.level, n.text))
        .collect()
}

/// `None` while loading; else the detail line and the notes, or the failure.
#[inline(never)]
fn settled(r: Option<Result<(String, Vec<String>), ApiError>>) -> State {
    match r {
        None => State::Loading(String::new()),
        Some(Err(ApiError::NotApplicable(m))) => State::Skipped(m),
        Some(Err(e)) => State::Failed(e.to_string()),
        Some(Ok((detail, notes))) => State::Ready { detail, notes },
    }
}

#[component]
fn Row(name: &'static str, state: Callback<(), State>, retry: Callback<()>) -> impl IntoView {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    view! {
        <li class="source" data-testid=format!("source-{slug}") data-state=move || match state.run(()) {
            State::Loading(_) => "loading",
            State::Ready { .. } => "ready",
            State::Failed(_) => "failed",
            State::Skipped(_) => "skipped",
        }>
            <span class="name">{name}</span>
            {move || match state.run(()) {
                State::Loading(progress) => EitherOf4::A(view! { <span class="loading" aria-live="polite">"loading…"{progress}</span> }),
                State::Skipped(why) => EitherOf4::B(view! { <span class="skipped">{why}</span> }),
                State::Ready { detail, notes } => EitherOf4::C(Fresh(view! {
                    <span class="ok">{detail}</span>
                    <ul class="notes">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                })),
                State::Failed(reason) => EitherOf4::D(Fresh(view! {
                    <span class="failed" role="alert">{reason}</span>
                    <button type="button" on:click=super::handler(move |_| retry.run(()))>"Retry"</button>
                })),
            }}
        </li>
    }
}

#[component]
pub fn SourceStatus(sources: Sources) -> impl IntoView {
    let s = sources;
    let bgplay = Callback::new(move |()| {
        let state = ripe_state(s.bgplay.get(), |b| {
            format!(
                "{} routes at start, {} updates, {} peers, {} prefixes",
                b.initial_state.len(),
                b.events.len(),
                b.sources.len(),
                b.targets.len()
            )
        });
        match (state, s.progress.get()) {
            (State::Loading(_), (done, total)) if total > 1 => {
                State::Loading(format!(" {done} of {total} requests answered"))
            }
            (state, _) => state,
        }
    });
    let country = Callback::new(move |()| {
        ripe_state(s.country().map(|r| r.map(Shared::new)), |c| {
            let r = &c.resources;
            format!(
                "{} AS numbers and {} IPv4 blocks registered{}",
                r.asns.len(),
                r.ipv4_count,
                c.query_time
                    .map(|t| format!(" (registry data of {t})"))
                    .unwrap_or_default()
            )
        })
    });
    let count = Callback::new(move |()| {
        ripe_state(s.peer_count.get(), |c| {
            c.peer_count
                .v4
                .full_feed
                .last()
                .map_or("no counts".into(), |x| {
                    format!("{} full-feed IPv4 peers", x.count)
                })
        })
    });
    let peers = Callback::new(move |()| {
        ripe_state(s.peers.get(), |p| {
            format!("{} peers listed", p.by_source_id().count())
        })
    });
    let neighbours = Callback::new(move |()| {
        ripe_state(s.neighbours.get(), |n| {
            let left: Vec<String> = n
                .neighbours
                .iter()
                .filter(|x| x.side == "left")
                .map(|x| x.asn.to_string())
                .collect();
            if left.is_empty() {
                "no upstream neighbour listed".into()
            } else {
                format!("upstream neighbours: {}", left.join(", "))
            }
        })
    });
    let checks = Callback::new(move |()| {
        settled(s.checks().map(|r| {
            r.map(|v| {
                let agree = v.iter().filter(|c| c.agrees()).count();
                let detail = if v.is_empty() {
                    "its answers named none of the checked prefixes: no cross-check".into()
                } else {
                    format!(
                        "cross-check: the replay agrees with RIPEstat's own visibility at {agree} \
                         of {} dump-time checks",
                        v.len()
                    )
                };
                let notes = v
                    .iter()
                    .map(crate::analysis::crosscheck::sentence)
                    .collect();
                (detail, notes)
            })
        }))
    });
    let signals =
        Callback::new(move |()| ioda_state(s.signals.get(), |v| format!("{} series", v.len())));
    let events = Callback::new(move |()| {
        ioda_state(s.events.get(), |v| format!("{} outage event(s)", v.len()))
    });
    view! {
        <section class="sources" aria-labelledby="sources-h">
            <h2 id="sources-h">"Sources"</h2>
            <ul>
                <Row name="RIPEstat country-resource-list" state=country retry=Callback::new(move |_| s.bodies.country.refetch()) />
                <Row name="RIPEstat bgplay" state=bgplay retry=Callback::new(move |_| s.bodies.bgplay.refetch()) />
                <Row name="RIPEstat ris-peer-count" state=count retry=Callback::new(move |_| s.bodies.peer_count.refetch()) />
                <Row name="RIPEstat ris-peers" state=peers retry=Callback::new(move |_| s.bodies.peers.refetch()) />
                <Row name="RIPEstat asn-neighbours" state=neighbours retry=Callback::new(move |_| s.bodies.neighbours.refetch()) />
                <Row name="RIPEstat visibility" state=checks retry=Callback::new(move |_| s.bodies.visibility.refetch()) />
                <Row name="IODA signals" state=signals retry=Callback::new(move |_| s.bodies.signals.refetch()) />
                <Row name="IODA outage events" state=events retry=Callback::new(move |_| s.bodies.events.refetch()) />
            </ul>
        </section>
    }
}
