//! The whole analysis for one view: intern, pick peers, replay, series, detection, graph.

use crate::api::ripestat::{Bgplay, RisPeerCount, RisPeers};
use crate::model::{Asn, UtcTime};
use rustc_hash::FxHashSet;
use std::future::Future;

use super::evidence;
use super::graph::{self, GraphLayout};
use super::pace::{apart, breathe, unpaced, Pace, Unpaced};
use super::replay::{busiest_upstreams, path_uses, replay_paced};
use super::series::{slash24_union, Series};
use super::{detect, Event, Input, PeerSet, TimeSeries};
use super::{full_table_peers, BASELINE_SECS, STEP_SECS};

/// Cells of sampled counts kept in memory at most (u32 each): 64 MB.
pub const CELL_BUDGET: usize = 16 << 20;

/// Nodes per graph layer before the long tail is folded into one node.
pub const GRAPH_NODES_PER_LAYER: usize = 8;

#[derive(Debug, Clone)]
pub struct Analysis {
    pub input: Input,
    pub peers: PeerSet,
    pub from: UtcTime,
    pub until: UtcTime,
    /// Visible /24s on the grid, from 24 h before `from` (the baseline) to `until`.
    pub visible: TimeSeries,
    /// /24s the entity's prefixes cover in all: the top of the visibility axis.
    pub total_slash24s: u64,
    pub upstreams: Vec<(Asn, TimeSeries)>,
    pub events: Vec<Event>,
    /// Events of each upstream link's share, by the same rule.
    pub link_events: Vec<(Asn, Vec<Event>)>,
    /// The evidence behind each critical event of the entity, in the same order.
    pub evidence: Vec<evidence::Evidence>,
    /// Routes over each path (`path_uses`): they ranked the upstreams and weigh the graph.
    pub uses: Vec<u32>,
}

impl Analysis {
    /// The start of the bgplay window the analysis needs for a view: one baseline earlier.
    pub fn fetch_start(from: UtcTime) -> UtcTime {
        from.plus(-BASELINE_SECS).floor_to(STEP_SECS)
    }

    pub fn run(
        b: &Bgplay,
        peers: Option<&RisPeers>,
        count: Option<&RisPeerCount>,
        from: UtcTime,
        until: UtcTime,
    ) -> Analysis {
        unpaced(Analysis::run_paced(
            b,
            peers,
            count,
            from,
            until,
            &mut Unpaced,
        ))
    }

    /// `run`, pausing as `pace` asks: the page runs it in slices so that a large entity does
    /// not freeze it. Every stage whose cost grows with the events is paced.
    pub async fn run_paced<P: Pace>(
        b: &Bgplay,
        peers: Option<&RisPeers>,
        count: Option<&RisPeerCount>,
        from: UtcTime,
        until: UtcTime,
        pace: &mut P,
    ) -> Result<Analysis, P::Stop> {
        let input = apart(Input::from_bgplay_paced(b, pace)).await?;
        let peer_set = full_table_peers(&input, peers, count);
        let grid_start = Analysis::fetch_start(from);
        let upstream_count = input
            .paths
            .iter()
            .filter_map(|p| p.upstream)
            .collect::<FxHashSet<_>>()
            .len();
        let step = super::replay::step_for(
            until.secs() - grid_start.secs(),
            input.prefixes.len(),
            upstream_count,
            STEP_SECS,
            CELL_BUDGET,
        );
        // Counted once: they rank the upstreams and weigh the graph.
        let uses = path_uses(&input, &peer_set, pace).await?;
        let links = busiest_upstreams(&input, &uses);
        let replayed = apart(replay_paced(
            &input,
            &peer_set,
            links,
            grid_start,
            until.plus(1),
            step,
            pace,
        ))
        .await?;
        let mut series = Series::new(&replayed);
        for i in 0..replayed.len {
            series.push(&replayed, i);
            breathe(pace).await?;
        }
        let (visible, upstreams) = series.finish(&replayed);
        let events = detect(&visible, from);
        let link_events = upstreams
            .iter()
            .map(|(u, s)| (*u, detect(s, from)))
            .collect();
        breathe(pace).await?;
        let mut evidence = Vec::new();
        for e in events.iter().filter(|e| e.level == super::Level::Critical) {
            evidence.push(
                apart(evidence::evidence_paced(
                    &input,
                    &peer_set,
                    &replayed.upstreams,
                    e,
                    pace,
                ))
                .await?,
            );
        }
        let total_slash24s = slash24_union(input.prefixes.iter());
        Ok(Analysis {
            input,
            peers: peer_set,
            from,
            until,
            visible,
            total_slash24s,
            upstreams,
            events,
            link_events,
            evidence,
            uses,
        })
    }

    /// The AS-path graph, laid out apart from the rest so that the page's summary need not
    /// wait for it (its timelines take a pass over the events each, as long as the replay).
    pub fn layout_paced<'a, P: Pace>(
        &'a self,
        pace: &'a mut P,
    ) -> impl Future<Output = Result<GraphLayout, P::Stop>> + 'a {
        let (input, peers) = (&self.input, &self.peers);
        graph::layout_paced(input, peers, &self.uses, GRAPH_NODES_PER_LAYER, pace)
    }

    pub fn layout(&self) -> GraphLayout {
        unpaced(self.layout_paced(&mut Unpaced))
    }

    /// Events that reached the critical level: what the page calls outages.
    pub fn outages(&self) -> impl Iterator<Item = &Event> {
        self.events
            .iter()
            .filter(|e| e.level == super::Level::Critical)
    }
}
