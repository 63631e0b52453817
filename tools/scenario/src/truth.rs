//! Ground truth, measured on the generated events (not copied from the configuration), so it
//! states exactly what a correct replay of the bgplay answer must find.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::bgp::{upstream_of, Cause, Recording, Replay};
use crate::config::ScenarioConfig;
use crate::peers::RisPeer;
use crate::prefix::slash24_count;

/// What happened to one upstream's routes. Times are Unix seconds; `None` when it did not
/// happen in the window (e.g. an upstream that never failed).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct UpstreamTruth {
    pub asn: u32,
    pub name: String,
    /// First outage update that withdrew or replaced a route via this upstream.
    pub first_withdrawal: Option<i64>,
    /// The update after which no peer held any route via this upstream.
    pub last_withdrawn: Option<i64>,
    /// First and last recovery announcement of a path via this upstream.
    pub first_reannounce: Option<i64>,
    pub last_reannounce: Option<i64>,
    /// Only for an upstream first announced inside the window (`announced_from`): the first
    /// and the last update that moved a route onto it as the peers learnt the new link...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_announced: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_announced: Option<i64>,
    /// ... and the prefixes that any peer ever routed via it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub announced_prefixes: Option<Vec<String>>,
}

/// How much of the entity the full-table peers see, over (full-table peer, prefix) routes:
/// RIPEstat's visibility averaged over the prefixes. Reported when the configuration asks
/// (`report_visibility`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct VisibilityTruth {
    /// Full-table peers x prefixes: 100 %.
    pub routes_possible: usize,
    /// Routes they held just before the first outage update.
    pub routes_before: usize,
    /// First outage update that took a route away from a full-table peer.
    pub first_loss: Option<i64>,
    /// First update after which they held fewer than half of `routes_possible`.
    pub below_half: Option<i64>,
    /// The update after which no full-table peer held any route.
    pub none_left: Option<i64>,
    /// First update after `below_half` after which they held at least half again.
    pub above_half_again: Option<i64>,
    /// Fewest routes held at any moment from `first_loss` on.
    pub min_routes: usize,
}

/// What happened in one `prefix_outages` entry (the origin withdrawing some prefixes).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PrefixOutageTruth {
    pub prefixes: Vec<String>,
    /// /24s that no announced prefix covers while these are withdrawn (a more-specific under
    /// a surviving aggregate loses none).
    pub slash24s_lost: u32,
    /// First update reacting to it (a withdrawal, or a longer path while hunting).
    pub first_withdrawal: Option<i64>,
    /// The update after which no RIS peer (full-table or partial) held any of the prefixes:
    /// they are withdrawn everywhere from then until `first_reannounce`.
    pub all_withdrawn: Option<i64>,
    pub first_reannounce: Option<i64>,
    /// The update after which every full-table peer holds again each of these prefixes it
    /// held before.
    pub all_restored: Option<i64>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct GroundTruth {
    pub entity_asn: u32,
    pub prefixes: Vec<String>,
    pub upstreams: Vec<UpstreamTruth>,
    /// The update after which no RIS peer (full-table or partial) held any route.
    pub all_withdrawn: Option<i64>,
    /// The recovery update after which every full-table peer holds every prefix it held
    /// before the outage.
    pub all_restored: Option<i64>,
    /// IPv4 peers at or above the full-table threshold (= ris-peer-count v4 full_feed).
    pub full_table_peer_count: usize,
    /// IPv4 peers below it.
    pub partial_peer_count: usize,
    /// Partial IPv4 peers that nevertheless carry routes to the entity.
    pub partial_peers_with_routes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<VisibilityTruth>,
    /// One entry per `prefix_outages` entry, in the same order (e.g. each flap).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prefix_outages: Vec<PrefixOutageTruth>,
}

impl GroundTruth {
    pub fn upstream(&self, asn: u32) -> Option<&UpstreamTruth> {
        self.upstreams.iter().find(|u| u.asn == asn)
    }
}

/// Per `prefix_outages` entry, while replaying.
struct PrefixTrack {
    prefixes: Vec<usize>,
    /// Routes (any peer) to its prefixes currently held.
    held: usize,
    /// held_before[peer * prefixes.len() + j]: a full-table peer held prefix j just before.
    held_before: Option<Vec<bool>>,
    missing: usize,
    truth: PrefixOutageTruth,
}

/// /24s covered by all prefixes but not by those outside `down`.
fn slash24s_lost(all: &[String], down: &[usize]) -> u32 {
    let total = slash24_count(all.iter().map(String::as_str));
    let rest = slash24_count(
        all.iter()
            .enumerate()
            .filter(|(i, _)| !down.contains(i))
            .map(|(_, p)| p.as_str()),
    );
    total.saturating_sub(rest)
}

pub fn measure(cfg: &ScenarioConfig, peers: &[RisPeer], rec: &Recording) -> GroundTruth {
    let origin = cfg.entity.asn;
    let pfx = &cfg.entity.prefixes;
    let n_pfx = pfx.len();
    let mut ups: Vec<UpstreamTruth> = cfg
        .upstreams
        .iter()
        .map(|u| UpstreamTruth {
            asn: u.asn,
            name: u.name.clone(),
            first_withdrawal: None,
            last_withdrawn: None,
            first_reannounce: None,
            last_reannounce: None,
            first_announced: None,
            last_announced: None,
            announced_prefixes: None,
        })
        .collect();
    // Prefixes routed via each new upstream (only those have `announced_from`).
    let mut via_new: Vec<Option<BTreeSet<usize>>> = cfg
        .upstreams
        .iter()
        .map(|u| u.announced_from.map(|_| BTreeSet::new()))
        .collect();
    let up_index = |r: Option<&crate::bgp::Route>| {
        r.and_then(|r| upstream_of(&r.path, origin))
            .and_then(|a| cfg.upstreams.iter().position(|u| u.asn == a))
    };
    let full = |peer: usize| peers.get(peer).is_some_and(|p| p.full_table);
    // The visibility denominator: IPv4 full-table peers (IPv6 sessions carry no IPv4 route).
    let n_full = peers.iter().filter(|p| p.full_table && !p.is_v6).count();

    let mut replay = Replay::new(rec, peers.len(), n_pfx);
    let mut via = vec![0usize; cfg.upstreams.len()];
    let mut total = 0usize;
    let mut holders = vec![0usize; n_pfx];
    let mut full_routes = 0usize;
    for (peer, row) in replay.state.iter().enumerate() {
        for (p, r) in row.iter().enumerate() {
            let Some(r) = r else { continue };
            total += 1;
            holders[p] += 1;
            full_routes += usize::from(full(peer));
            if let Some(u) = up_index(Some(r)) {
                via[u] += 1;
                if let Some(set) = via_new.get_mut(u).and_then(Option::as_mut) {
                    set.insert(p);
                }
            }
        }
    }

    let index = |s: &String| pfx.iter().position(|p| p == s);
    let mut tracks: Vec<PrefixTrack> = cfg
        .prefix_outages
        .iter()
        .map(|o| {
            let mut ps: Vec<usize> = o.prefixes.iter().filter_map(index).collect();
            ps.sort_unstable();
            ps.dedup();
            PrefixTrack {
                held: ps.iter().map(|&p| holders[p]).sum(),
                held_before: None,
                missing: 0,
                truth: PrefixOutageTruth {
                    prefixes: ps.iter().filter_map(|&p| pfx.get(p).cloned()).collect(),
                    slash24s_lost: slash24s_lost(pfx, &ps),
                    first_withdrawal: None,
                    all_withdrawn: None,
                    first_reannounce: None,
                    all_restored: None,
                },
                prefixes: ps,
            }
        })
        .collect();
    // in_tracks[prefix]: (track, position of the prefix in it).
    let mut in_tracks: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n_pfx];
    for (k, t) in tracks.iter().enumerate() {
        for (j, &p) in t.prefixes.iter().enumerate() {
            in_tracks[p].push((k, j));
        }
    }

    let mut vis = cfg.report_visibility.then(|| VisibilityTruth {
        routes_possible: n_full * n_pfx,
        routes_before: full_routes,
        first_loss: None,
        below_half: None,
        none_left: None,
        above_half_again: None,
        min_routes: full_routes,
    });
    let mut vis_started = false;

    // Routes full-table peers held just before the outage, to know when they are all back.
    // expected[peer][prefix], and how many expected routes are currently missing.
    let mut expected: Option<Vec<Vec<bool>>> = None;
    let mut missing = 0usize;
    let mut all_withdrawn = None;
    let mut all_restored = None;

    loop {
        let next_cause = replay.peek().map(|e| e.cause);
        if expected.is_none() && next_cause == Some(Cause::Outage) {
            let held: Vec<Vec<bool>> = replay
                .state
                .iter()
                .enumerate()
                .map(|(p, row)| row.iter().map(|r| full(p) && r.is_some()).collect())
                .collect();
            expected = Some(held);
        }
        if let Some(Cause::PrefixOutage(k)) = next_cause {
            if let Some(t) = tracks.get_mut(k).filter(|t| t.held_before.is_none()) {
                let n = t.prefixes.len();
                let mut hb = vec![false; peers.len() * n];
                for (peer, row) in replay.state.iter().enumerate().filter(|(p, _)| full(*p)) {
                    for (j, &p) in t.prefixes.iter().enumerate() {
                        hb[peer * n + j] = row.get(p).is_some_and(Option::is_some);
                    }
                }
                t.held_before = Some(hb);
            }
        }
        if matches!(next_cause, Some(Cause::Outage | Cause::PrefixOutage(_))) && !vis_started {
            vis_started = true;
            if let Some(v) = vis.as_mut() {
                v.routes_before = full_routes;
                v.min_routes = full_routes;
            }
        }
        let Some((ev, old)) = replay.step() else {
            break;
        };
        let (had, has) = (usize::from(old.is_some()), usize::from(ev.route.is_some()));
        let (ou, nu) = (up_index(old), up_index(ev.route.as_deref()));
        if let Some(u) = ou {
            via[u] = via[u].saturating_sub(1);
        }
        if let Some(u) = nu {
            via[u] += 1;
            if let Some(set) = via_new.get_mut(u).and_then(Option::as_mut) {
                set.insert(ev.prefix);
            }
        }
        if expected
            .as_ref()
            .is_some_and(|e| e.get(ev.peer).and_then(|r| r.get(ev.prefix)) == Some(&true))
        {
            missing = (missing + had).saturating_sub(has);
        }
        total = (total + has).saturating_sub(had);
        if let Some(h) = holders.get_mut(ev.prefix) {
            *h = (*h + has).saturating_sub(had);
        }
        for &(k, j) in in_tracks.get(ev.prefix).map_or(&[][..], Vec::as_slice) {
            let Some(t) = tracks.get_mut(k) else { continue };
            t.held = (t.held + has).saturating_sub(had);
            let n = t.prefixes.len();
            let was = t
                .held_before
                .as_ref()
                .and_then(|hb| hb.get(ev.peer * n + j))
                .copied();
            if was == Some(true) {
                t.missing = (t.missing + had).saturating_sub(has);
            }
        }
        let full_peer = full(ev.peer);
        if full_peer {
            full_routes = (full_routes + has).saturating_sub(had);
        }
        match ev.cause {
            Cause::Outage => {
                if let Some(u) = ou {
                    if nu != Some(u) {
                        ups[u].first_withdrawal.get_or_insert(ev.ts);
                        if via[u] == 0 {
                            ups[u].last_withdrawn = Some(ev.ts);
                        }
                    }
                }
                if total == 0 && old.is_some() {
                    all_withdrawn = Some(ev.ts);
                }
            }
            Cause::Recovery => {
                if let Some(u) = nu {
                    ups[u].first_reannounce.get_or_insert(ev.ts);
                    ups[u].last_reannounce = Some(ev.ts);
                }
                if all_restored.is_none() && expected.is_some() && missing == 0 {
                    all_restored = Some(ev.ts);
                }
            }
            Cause::Change => {
                if let Some(u) = nu.filter(|&u| ou != Some(u)) {
                    ups[u].first_announced.get_or_insert(ev.ts);
                    ups[u].last_announced = Some(ev.ts);
                }
            }
            Cause::PrefixOutage(k) => {
                if let Some(t) = tracks.get_mut(k) {
                    t.truth.first_withdrawal.get_or_insert(ev.ts);
                    if t.held == 0 && t.truth.all_withdrawn.is_none() {
                        t.truth.all_withdrawn = Some(ev.ts);
                    }
                }
            }
            Cause::PrefixRecovery(k) => {
                if let Some(t) = tracks.get_mut(k) {
                    if ev.route.is_some() {
                        t.truth.first_reannounce.get_or_insert(ev.ts);
                    }
                    if t.truth.all_restored.is_none() && t.held_before.is_some() && t.missing == 0 {
                        t.truth.all_restored = Some(ev.ts);
                    }
                }
            }
            Cause::Noise => {}
        }
        if let Some(v) = vis.as_mut().filter(|_| vis_started) {
            let loss = matches!(ev.cause, Cause::Outage | Cause::PrefixOutage(_));
            if v.first_loss.is_none() && loss && full_peer && had > has {
                v.first_loss = Some(ev.ts);
            }
            if v.first_loss.is_some() {
                v.min_routes = v.min_routes.min(full_routes);
                let below = 2 * full_routes < v.routes_possible;
                if below && v.below_half.is_none() {
                    v.below_half = Some(ev.ts);
                }
                if full_routes == 0 && v.none_left.is_none() {
                    v.none_left = Some(ev.ts);
                }
                if !below && v.below_half.is_some() && v.above_half_again.is_none() {
                    v.above_half_again = Some(ev.ts);
                }
            }
        }
    }

    for (u, set) in via_new.into_iter().enumerate() {
        if let (Some(set), Some(t)) = (set, ups.get_mut(u)) {
            t.announced_prefixes = Some(
                set.into_iter()
                    .filter_map(|p| pfx.get(p).cloned())
                    .collect(),
            );
        }
    }
    let v4: Vec<&RisPeer> = peers.iter().filter(|p| !p.is_v6).collect();
    GroundTruth {
        entity_asn: origin,
        prefixes: pfx.clone(),
        upstreams: ups,
        all_withdrawn,
        all_restored,
        full_table_peer_count: v4.iter().filter(|p| p.full_table).count(),
        partial_peer_count: v4.iter().filter(|p| !p.full_table).count(),
        partial_peers_with_routes: v4
            .iter()
            .filter(|p| !p.full_table && p.carries_entity)
            .count(),
        visibility: vis,
        prefix_outages: tracks.into_iter().map(|t| t.truth).collect(),
    }
}
