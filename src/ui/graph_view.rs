//! The AS-path graph as SVG: RIS peers' ASes on the left, the origin on the right. Node places
//! come from the analysis layout (fixed for the window); only edge weights follow the moment.
//! Edges and nodes are buttons: activating one lists the RIS peers routing over it, and an
//! edge also selects its upstream link (highlighted here and in the timeline).

use leptos::either::Either;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::colors;
use super::present::{graph_sentence, short_name};
use super::sources::Shared;
use crate::analysis::graph::{self, GraphLayout, Target};
use crate::analysis::pace::Pace;
use crate::analysis::Analysis;
use crate::api::fetch::current_view;
use crate::api::pace::BrowserPace;
use crate::model::{decimal, UtcTime};
use crate::state::{Selection, ViewState};

/// Peers listed in the evidence panel at most; the count covers them all.
const MAX_LISTED_PEERS: usize = 60;

/// The edge or node an event happened on (they carry `data-edge` / `data-node`): one
/// listener on the SVG serves them all.
fn target_of(ev: &leptos::ev::Event) -> Option<Target> {
    let el: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let hit = el.closest("[data-edge],[data-node]").ok()??;
    let index = |name| hit.get_attribute(name)?.parse::<usize>().ok();
    index("data-edge")
        .map(Target::Edge)
        .or_else(|| index("data-node").map(Target::Node))
}

const COL_W: f64 = 190.0;
const ROW_H: f64 = 44.0;
const NODE_W: f64 = 150.0;
const NODE_H: f64 = 32.0;
const PAD: f64 = 12.0;
/// Graph edges built per task (see `PathGraph`).
const EDGES_PER_TASK: usize = 120;

#[component]
pub fn PathGraph(
    analysis: Shared<Analysis>,
    graph: Shared<GraphLayout>,
    at: Memo<UtcTime>,
    view: RwSignal<ViewState>,
) -> impl IntoView {
    let (a, g) = (analysis.clone(), graph.clone());
    let target = RwSignal::new(None::<Target>);
    let sel = Memo::new(move |_| view.get().sel);
    // Edge weights at the moment, and the edges a selected prefix's routes use then.
    let weights = Memo::new(move |_| {
        let when = at.get();
        let mut w = graph::at(&g, &a.input, when);
        if let Some(Selection::Prefix(p)) = sel.get() {
            if let Some(i) = a.input.prefixes.iter().position(|q| *q == p) {
                w.selected = graph::prefix_edges(&g, &a.input, i as u32, when);
            }
        }
        w
    });
    let g = &*graph;
    let layers = g.layers.max(1);
    let slots_in = |layer: usize| g.nodes.iter().filter(|n| n.layer == layer).count();
    let pos = |i: usize| -> (f64, f64) {
        let Some(n) = g.nodes.get(i) else {
            return (0.0, 0.0);
        };
        let x = PAD + (layers - 1 - n.layer.min(layers - 1)) as f64 * COL_W;
        let offset = (g.max_slots.saturating_sub(slots_in(n.layer))) as f64 * ROW_H / 2.0;
        (x, PAD + offset + n.slot as f64 * ROW_H)
    };
    let width = PAD * 2.0 + (layers - 1) as f64 * COL_W + NODE_W;
    let height = PAD * 2.0 + g.max_slots.max(1) as f64 * ROW_H;
    let ups: Vec<_> = analysis.upstreams.iter().map(|(u, _)| *u).collect();
    let name_of = |i: usize| g.nodes.get(i).map(|n| n.label()).unwrap_or_default();

    let edges = g
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let ((x1, y1), (x2, y2)) = (pos(e.from), pos(e.to));
            // Parallel edges of different upstreams sit side by side, not on top of each other.
            let lane = e.upstream.and_then(|u| ups.binary_search(&u).ok()).map_or(0.0, |k| k as f64 * 4.0 - 2.0);
            let (sx, sy, tx, ty) = (x1 + NODE_W, y1 + NODE_H / 2.0 + lane, x2, y2 + NODE_H / 2.0 + lane);
            let mid = (sx + tx) / 2.0;
            let n = |v: f64| decimal(v, 1);
            let d = format!("M{},{} C{},{} {},{} {},{}", n(sx), n(sy), n(mid), n(sy), n(mid), n(ty), n(tx), n(ty));
            let color = colors::css(colors::for_upstream(&ups, e.upstream));
            let (from, to) = (name_of(e.from), name_of(e.to));
            let via = e.upstream.map_or_else(|| "unknown upstream".to_string(), |u| format!("via {u}"));
            let peers = move || weights.with(|w| w.edge_peers.get(i).copied().unwrap_or(0));
            let max = move || weights.with(|w| w.edge_peers.iter().copied().max().unwrap_or(1).max(1));
            let title = format!("{from} → {to} ({via})");
            let label = format!("{title}: show the evidence");
            let upstream = e.upstream;
            let class = move || {
                let selected = match sel.get() {
                    Some(Selection::Link(u)) => upstream == Some(u),
                    Some(Selection::Prefix(_)) => {
                        weights.with(|w| w.selected.get(i).copied().unwrap_or(false))
                    }
                    None => false,
                };
                let mut c = String::from("edge");
                for (on, name) in [
                    (peers() == 0, " down"),
                    (selected, " selected"),
                    (sel.get().is_some() && !selected, " faded"),
                    (target.get() == Some(Target::Edge(i)), " active"),
                ] {
                    if on {
                        c.push_str(name);
                    }
                }
                c
            };
            view! {
                <path
                    d=d
                    fill="none"
                    stroke=color
                    class=class
                    tabindex="0"
                    role="button"
                    aria-label=label
                    data-edge=i.to_string()
                    stroke-width=move || decimal(if peers() == 0 { 1.0 } else { 1.5 + 9.0 * f64::from(peers()) / f64::from(max()) }, 1)
                    data-from=from.clone()
                    data-to=to.clone()
                    data-peers=move || peers().to_string()
                >
                    <title>{super::text(move || format!("{title}: {} full-table peers", peers()))}</title>
                </path>
            }
        })
        .collect::<Vec<_>>();
    // A large entity has hundreds of edges, four reactive attributes each: built in one task
    // they took 50-80 ms. They are built a batch per task instead.
    let mut edges = edges.into_iter();
    let edges = std::iter::from_fn(|| {
        let batch: Vec<_> = edges.by_ref().take(EDGES_PER_TASK).collect();
        (!batch.is_empty()).then(|| {
            Suspend::new(async move {
                crate::api::fetch::next_task_send().await;
                super::fresh::Fresh(batch)
            })
        })
    })
    .collect_view();

    let nodes = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let (x, y) = pos(i);
            let stroke = colors::css(colors::for_upstream(&ups, n.group));
            let name: String = n
                .name
                .clone()
                .unwrap_or_default()
                .chars()
                .take(22)
                .collect();
            let title = n.name.clone().unwrap_or_else(|| n.label());
            let label = format!("{} {title}: show the evidence", n.label());
            let base = if n.asn.is_none() {
                "node folded"
            } else {
                "node"
            };
            let class = move || {
                let active = target.get() == Some(Target::Node(i));
                format!("{base}{}", if active { " active" } else { "" })
            };
            view! {
                <g
                    class=class
                    data-asn=n.asn.map(|a| a.0.to_string()).unwrap_or_default()
                    tabindex="0"
                    role="button"
                    aria-label=label
                    data-node=i.to_string()
                >
                    <rect x=decimal(x, 1) y=decimal(y, 1) width=decimal(NODE_W, 0) height=decimal(NODE_H, 0) rx="4" stroke=stroke></rect>
                    <text x=decimal(x + 6.0, 1) y=decimal(y + 13.0, 1) class="asn">{n.label()}</text>
                    <text x=decimal(x + 6.0, 1) y=decimal(y + 26.0, 1) class="owner">{name}</text>
                    <title>{title}</title>
                </g>
            }
        })
        .collect_view();

    // Pressing an edge also selects its upstream link (timeline and graph highlight it).
    let gl = graph.clone();
    let open = move |ev: &leptos::ev::Event| {
        let Some(t) = target_of(ev) else { return };
        target.set(Some(t));
        let link = match t {
            Target::Edge(e) => gl.edges.get(e).and_then(|e| e.upstream),
            Target::Node(_) => None,
        };
        if let Some(u) = link {
            view.update(|v| v.sel = Some(Selection::Link(u)));
        }
    };
    let open_key = open.clone();
    let (a, gl) = (analysis.clone(), graph.clone());
    let sentence = move || weights.with(|w| graph_sentence(&a, &gl, w));
    // The evidence for the pressed target at the moment, found in slices: on a node every
    // route crosses, a large entity's thousands of prefixes take tens of ms. A newer request
    // (another target, the cursor moving) makes an older one give up at its next pause.
    let found = RwSignal::new(None::<(Target, UtcTime, graph::Evidence)>);
    let asked = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let (a, gl) = (analysis.clone(), graph.clone());
    Effect::new(move |_| {
        let Some(t) = target.get() else { return };
        let when = at.get();
        let request = asked.get().wrapping_add(1);
        asked.set(request);
        let (a, gl, asked) = (a.clone(), gl.clone(), asked.clone());
        leptos::task::spawn_local(async move {
            let mut pace =
                BrowserPace::new(current_view()).while_wanted(move || asked.get() == request);
            // Not in the task of the press itself, which also renders the panel's head.
            if pace.pause().await.is_err() {
                return;
            }
            if let Ok(ev) = graph::evidence_paced(&gl, &a.input, t, when, &mut pace).await {
                found.set(Some((t, when, ev)));
            }
        });
    });
    let (a, gl) = (analysis.clone(), graph.clone());
    let evidence = move || {
        let t = target.get()?;
        let when = at.get();
        let start = a.input.start;
        let g = &*gl;
        let name = |n: usize| {
            g.nodes.get(n).map(|n| match n.asn {
                Some(asn) => short_name(&a, asn),
                None => n.label(),
            })
        };
        let what = match t {
            Target::Edge(e) => g.edges.get(e).map(|e| {
                let via = e
                    .upstream
                    .map_or_else(|| "unknown upstream".into(), |u| format!("via {u}"));
                format!(
                    "Link {} → {} ({via})",
                    name(e.from).unwrap_or_default(),
                    name(e.to).unwrap_or_default()
                )
            }),
            Target::Node(n) => name(n).map(|n| format!("Node {n}")),
        }?;
        // The last answer for this target stays up (it says its own moment) until the new
        // one; read in place, not copied with every peer on each render.
        let (busy, body) = found.with(|f| match f {
            Some((ft, fw, ev)) if *ft == t => (
                *fw != when,
                Either::Right(view! {
                    <p data-testid="graph-evidence-text">{evidence_sentence(ev, *fw, start)}</p>
                    <ul>
                        {ev
                            .peers
                            .iter()
                            .take(MAX_LISTED_PEERS)
                            .map(|p| {
                                let ip = p.source.split_once('-').map_or(p.source.as_str(), |(_, ip)| ip);
                                let or_earlier = if p.since <= start { " or earlier" } else { "" };
                                format!(
                                    "{ip} ({}) at {}: {} route(s), on this path since {}{or_earlier}",
                                    p.asn, p.collector, p.routes, p.since
                                )
                            })
                            .map(|line| view! { <li>{line}</li> })
                            .collect_view()}
                    </ul>
                }),
            ),
            _ => (
                true,
                Either::Left(view! { <p class="loading">"Finding the peers…"</p> }),
            ),
        });
        Some(view! {
            <section class="graph-evidence" data-testid="graph-evidence" aria-live="polite" aria-busy=busy.to_string()>
                <h3>{what}</h3>
                {body}
                <button type="button" data-testid="graph-evidence-close" on:click=super::handler(move |_| target.set(None))>
                    "Close"
                </button>
            </section>
        })
    };
    view! {
        <div class="graph-wrap">
            <svg
                class="graph"
                viewBox=format!("0 0 {} {}", decimal(width, 0), decimal(height, 0))
                width=decimal(width, 0)
                role="group"
                aria-labelledby="graph-text"
                data-testid="graph"
                on:click=super::handler(move |ev: leptos::ev::MouseEvent| open(&ev))
                on:keydown=super::handler(move |ev: leptos::ev::KeyboardEvent| {
                    // Enter or Space on a focused edge or node activates it, as on a button.
                    if matches!(ev.key().as_str(), "Enter" | " ") && target_of(&ev).is_some() {
                        ev.prevent_default();
                        open_key(&ev);
                    }
                })
            >
                <g class="edges">{edges}</g>
                <g class="nodes">{nodes}</g>
            </svg>
        </div>
        <p id="graph-text" class="alt" data-testid="graph-text">{sentence}</p>
        <p class="hint">"Press a link or an AS (or focus it and press Enter) to see which RIS peers route over it."</p>
        {evidence}
    }
}

/// The evidence in one sentence: how many peers, at which collectors, since when.
fn evidence_sentence(ev: &graph::Evidence, at: UtcTime, data_start: UtcTime) -> String {
    let Some((first, last)) = ev.since else {
        return format!("At {at}: no full-table RIS peer routes over it.");
    };
    let first = if first <= data_start {
        format!("{first} or earlier (held when the data begins)")
    } else {
        first.to_string()
    };
    format!(
        "At {at}: {} full-table RIS peer(s) at {} collector(s) ({}) route over it. The routes now over it took this path between {first} and {last}.",
        ev.peers.len(),
        ev.collectors.len(),
        ev.collectors.join(", ")
    )
}
