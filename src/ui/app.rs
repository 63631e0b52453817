//! The page: controls, summary, sources, the BGP timeline, IODA's signals and the path graph.

use std::sync::Arc;

use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::controls::Controls;
use super::fresh::Fresh;
use super::graph_view::PathGraph;
use super::present;
use super::replay::Replay;
use super::sources::Sources;
use super::status::SourceStatus;
use super::timeline::{Axis, AxisControls, IodaChart, Timeline};
use super::url_sync::{self, current_search, now};
use crate::analysis::evidence::{sentences, time_of_day, Part, Sentence};
use crate::api::config::Config;
use crate::api::ApiError;
use crate::model::UtcTime;
use crate::state::ViewState;

#[component]
pub fn App(config: Arc<Config>, config_problem: Option<String>) -> impl IntoView {
    let (initial, first_problems) = ViewState::from_query(&current_search(), now());
    let view = RwSignal::new(initial);
    let problems = RwSignal::new(first_problems);
    url_sync::install(view, problems);

    let key = Memo::new(move |_| {
        let v = view.get();
        (v.entity, v.from, v.until)
    });
    let sources = Sources::new(config.clone(), key);
    let moment = Memo::new(move |_| view.get().moment());
    let set_moment = Callback::new(move |t: UtcTime| view.update(|v| v.at = Some(t)));
    let axis = Axis { view };
    let notice = config.notice.clone();
    // The page is built in four tasks: the header, the controls, the summary and the sources,
    // the panels. Built at once it held the main thread for 50-100 ms at start-up.
    let controls = NodeRef::<leptos::html::Div>::new();
    mount_later(controls, move || view! { <Controls view=view /> });
    let body = NodeRef::<leptos::html::Div>::new();
    mount_later(body, move || {
        let panels = NodeRef::<leptos::html::Div>::new();
        mount_later(panels, move || {
            view! { <Panels sources=sources axis=axis view=view moment=moment /> }
        });
        view! {
            <section class="summary" aria-labelledby="summary-h">
                <h2 id="summary-h">"What happened"</h2>
                <Loading what="BGP analysis" waiting="Computing BGP visibility…" content=Callback::new(move |_| -> Content {
                    Box::pin(async move {
                        let a = sources.analysis().await?;
                        let lines = present::summary(&a, &view.get_untracked().entity.to_string());
                        let name = |u| present::short_name(&a, u);
                        let evidence: Vec<Sentence> = a.evidence.iter().flat_map(|ev| sentences(ev, &name)).collect();
                        Ok(Fresh(view! {
                            <div data-testid="summary">
                                {lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
                            </div>
                            <ul class="evidence" data-testid="evidence">
                                {evidence.into_iter().map(|s| view! { <li>{render_sentence(s, set_moment)}</li> }).collect_view()}
                            </ul>
                            <p class="rule">{a.peers.describe()}</p>
                        })
                        .into_any())
                    })
                }) />
            </section>
            <Agreement sources=sources />
            <SourceStatus sources=sources />
            <div class="panels" node_ref=panels></div>
        }
    });

    view! {
        <header class="top">
            <h1>"Outage Lens"</h1>
            <p class="entity" data-testid="title">
                {super::text(move || {
                    let v = view.get();
                    format!("{} · {} → {}", v.entity, v.from, v.until)
                })}
            </p>
            <button
                type="button"
                data-testid="refresh"
                title="Fetch every source again, past the caches"
                on:click=super::handler(move |_| {
                    leptos::task::spawn_local(async move {
                        crate::api::fetch::clear_caches().await;
                        sources.refresh.update(|n| *n += 1);
                    })
                })
            >
                "Refresh data"
            </button>
            <CopyLink />
            <super::export::ExportButton sources=sources view=view />
        </header>
        {notice.map(|n| view! { <p class="notice" data-testid="notice">{n}</p> })}
        {config_problem.map(|p| view! { <p class="error" role="alert">{p}</p> })}
        <main>
            <div node_ref=controls></div>
            <ul class="problems" role="status">
                {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ul>
            <div class="body" node_ref=body></div>
        </main>
        <footer>
            <p>"Data: RIPEstat Data API (RIPE NCC) and IODA (Georgia Tech). All times UTC."</p>
        </footer>
    }
}

/// Builds `content` into `target` a task after `target` is in the page, in a root of its own
/// that lives as long as the page (a type-erased wrapper did the same for +5 KB).
fn mount_later<V: IntoView + 'static>(
    target: NodeRef<leptos::html::Div>,
    content: impl FnOnce() -> V + 'static,
) {
    target.on_load(move |el| {
        spawn_local(async move {
            crate::api::fetch::next_task().await;
            std::mem::forget(leptos::mount::mount_to(el.into(), content));
        });
    });
}

/// The BGP, IODA and path-graph panels.
#[component]
fn Panels(
    sources: Sources,
    axis: Axis,
    view: RwSignal<ViewState>,
    moment: Memo<UtcTime>,
) -> impl IntoView {
    view! {
            <section class="panel" aria-labelledby="bgp-h">
                <h2 id="bgp-h">"BGP visibility (computed in your browser)"</h2>
                <AxisControls axis=axis />
                <Loading what="BGP visibility" waiting="Loading bgplay…" content=Callback::new(move |_| -> Content {
                    Box::pin(async move {
                        let a = sources.analysis().await?;
                        Ok(Fresh(view! { <Timeline analysis=a axis=axis /> }).into_any())
                    })
                }) />
            </section>
            <section class="panel" aria-labelledby="ioda-h">
                <h2 id="ioda-h">"IODA signals"</h2>
                <Loading what="IODA signals" waiting="Loading IODA signals…" content=Callback::new(move |_| -> Content {
                    Box::pin(async move {
                        let (signals, events) = sources.ioda().await?;
                        Ok(Fresh(view! { <IodaChart signals=signals events=events axis=axis /> }).into_any())
                    })
                }) />
            </section>
            <section class="panel" aria-labelledby="graph-h">
                <h2 id="graph-h">"AS paths to the network"</h2>
                <Replay view=view moment=moment />
                <Loading what="AS-path graph" waiting="Loading bgplay…" content=Callback::new(move |_| -> Content {
                    Box::pin(async move {
                        let (a, g) = sources.graph().await?;
                        Ok(Fresh(view! { <PathGraph analysis=a graph=g at=moment view=view /> }).into_any())
                    })
                }) />
            </section>
    }
}

/// What a panel shows once its data is there.
type Content =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<AnyView, ApiError>> + Send>>;

/// Loading and failure for one panel: Transition keeps the old content while a new view loads.
/// A source's failure is rendered here, in its own panel, rather than thrown: a thrown error
/// reaches whichever ErrorBoundary's hook is current when the futures resolve, and with
/// several panels resolving together it could land in the wrong one (seen in e2e test g).
/// No view renders a `Result`, so nothing is thrown and no ErrorBoundary is compiled in.
/// One component for every panel, so this machinery is compiled once.
#[component]
fn Loading(
    what: &'static str,
    waiting: &'static str,
    content: Callback<(), Content>,
) -> impl IntoView {
    view! {
        <Transition fallback=move || view! { <p class="loading">{waiting}</p> }>
            {move || {
                let fut = content.run(());
                Suspend::new(async move {
                    let shown = fut.await.unwrap_or_else(|e| {
                        Fresh(view! {
                            <p class="error" role="alert" data-testid="panel-error">
                                {format!("{what} unavailable: {e}")}
                            </p>
                        })
                        .into_any()
                    });
                    // The panel's elements are made in a task of their own: panels whose data
                    // came together built in one task of 50 ms or more.
                    crate::api::fetch::next_task_send().await;
                    shown
                })
            }}
        </Transition>
    }
}

/// The cross-check a reader needs to trust the replay: our series against IODA's `bgp`.
#[component]
fn Agreement(sources: Sources) -> impl IntoView {
    let text = move || {
        let a = sources.analysis.get()?.ok()?;
        let signals = sources.signals.get()?.ok()?;
        let bgp = signals.data.iter().find(|s| s.datasource == "bgp")?;
        let agree = crate::analysis::crosscheck::ioda_agreement(&a.visible, bgp, a.from, a.until)?;
        Some(format!(
            "Cross-check: the visible /24s computed here equal IODA's bgp signal at {} of {} samples ({} %; mean difference {} /24s).",
            agree.equal,
            agree.compared,
            crate::model::decimal(agree.share() * 100.0, 1),
            crate::model::decimal(agree.mean_abs_diff, 2)
        ))
    };
    let text = super::text(move || text().unwrap_or_default());
    view! { <p class="crosscheck" data-testid="agreement">{text}</p> }
}

/// Text with its times as buttons that move the selected moment there. `Either`, not
/// `AnyView`: a plain enum, without two sets of type-erased view functions.
fn render_sentence(s: Sentence, set_moment: Callback<UtcTime>) -> impl IntoView {
    s.into_iter()
        .map(|part| match part {
            Part::Text(t) => Either::Left(t),
            Part::Time(t) => Either::Right(view! {
                <button type="button" class="time" title="Show this moment" on:click=super::handler(move |_| set_moment.run(t))>
                    {time_of_day(t)}
                </button>
            }),
        })
        .collect_view()
}

#[component]
fn CopyLink() -> impl IntoView {
    let message = RwSignal::new(String::new());
    let copy = move |_| {
        let href = window().location().href().unwrap_or_default();
        let promise = window().navigator().clipboard().write_text(&href);
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => message.set("Link copied.".into()),
                Err(_) => message.set(format!("Could not copy; the link is {href}")),
            }
        });
    };
    view! {
        <div class="copy">
            <button type="button" data-testid="copy-link" on:click=super::handler(copy)>"Copy link"</button>
            <span role="status" data-testid="copy-status">{super::text(move || message.get())}</span>
        </div>
    }
}
