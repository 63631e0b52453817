//! The AS-path graph as SVG: RIS peers' ASes on the left, the origin on the right. Node places
//! come from the analysis layout (fixed for the window); only edge weights follow the moment.

use leptos::prelude::*;

use super::colors;
use super::present::graph_sentence;
use super::sources::Shared;
use crate::analysis::Analysis;
use crate::model::UtcTime;

const COL_W: f64 = 190.0;
const ROW_H: f64 = 44.0;
const NODE_W: f64 = 150.0;
const NODE_H: f64 = 32.0;
const PAD: f64 = 12.0;

#[component]
pub fn PathGraph(analysis: Shared<Analysis>, #[prop(into)] at: Signal<UtcTime>) -> impl IntoView {
    let a = analysis.clone();
    let weights = Memo::new(move |_| a.graph_at(at.get()));
    let g = &analysis.graph;
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
            let d = format!("M{sx:.1},{sy:.1} C{mid:.1},{sy:.1} {mid:.1},{ty:.1} {tx:.1},{ty:.1}");
            let color = colors::css(colors::for_upstream(&ups, e.upstream));
            let (from, to) = (name_of(e.from), name_of(e.to));
            let via = e.upstream.map_or_else(|| "unknown upstream".to_string(), |u| format!("via {u}"));
            let peers = move || weights.with(|w| w.edge_peers.get(i).copied().unwrap_or(0));
            let max = move || weights.with(|w| w.edge_peers.iter().copied().max().unwrap_or(1).max(1));
            let title = format!("{from} → {to} ({via})");
            view! {
                <path
                    d=d
                    fill="none"
                    stroke=color
                    class="edge"
                    class:down=move || peers() == 0
                    stroke-width=move || format!("{:.1}", if peers() == 0 { 1.0 } else { 1.5 + 9.0 * f64::from(peers()) / f64::from(max()) })
                    data-from=from.clone()
                    data-to=to.clone()
                    data-peers=move || peers().to_string()
                >
                    <title>{move || format!("{title}: {} full-table peers", peers())}</title>
                </path>
            }
        })
        .collect_view();

    let nodes = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let (x, y) = pos(i);
            let stroke = colors::css(colors::for_upstream(&ups, n.group));
            let name: String = n.name.clone().unwrap_or_default().chars().take(22).collect();
            let title = n.name.clone().unwrap_or_else(|| n.label());
            view! {
                <g class="node" class:folded=n.asn.is_none() data-asn=n.asn.map(|a| a.0.to_string()).unwrap_or_default()>
                    <rect x=x y=y width=NODE_W height=NODE_H rx="4" stroke=stroke></rect>
                    <text x=x + 6.0 y=y + 13.0 class="asn">{n.label()}</text>
                    <text x=x + 6.0 y=y + 26.0 class="owner">{name}</text>
                    <title>{title}</title>
                </g>
            }
        })
        .collect_view();

    let a = analysis.clone();
    let sentence = move || weights.with(|w| graph_sentence(&a, w));
    view! {
        <div class="graph-wrap">
            <svg
                class="graph"
                viewBox=format!("0 0 {width:.0} {height:.0}")
                width=format!("{width:.0}")
                role="img"
                aria-labelledby="graph-text"
                data-testid="graph"
            >
                <g class="edges">{edges}</g>
                <g class="nodes">{nodes}</g>
            </svg>
        </div>
        <p id="graph-text" class="alt" data-testid="graph-text">{sentence}</p>
    }
}
