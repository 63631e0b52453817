//! Ground truth, measured on the generated events (not copied from the configuration), so it
//! states exactly what a correct replay of the bgplay answer must find.

use serde::Serialize;

use crate::bgp::{upstream_of, Cause, Recording, Replay};
use crate::config::ScenarioConfig;
use crate::peers::RisPeer;

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
}

impl GroundTruth {
    pub fn upstream(&self, asn: u32) -> Option<&UpstreamTruth> {
        self.upstreams.iter().find(|u| u.asn == asn)
    }
}

pub fn measure(cfg: &ScenarioConfig, peers: &[RisPeer], rec: &Recording) -> GroundTruth {
    let origin = cfg.entity.asn;
    let n_pfx = cfg.entity.prefixes.len();
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
        })
        .collect();
    let up_index = |r: Option<&crate::bgp::Route>| {
        r.and_then(|r| upstream_of(&r.path, origin))
            .and_then(|a| cfg.upstreams.iter().position(|u| u.asn == a))
    };
    let full = |peer: usize| peers.get(peer).is_some_and(|p| p.full_table);

    let mut replay = Replay::new(rec, peers.len(), n_pfx);
    let mut via = vec![0usize; cfg.upstreams.len()];
    let mut total = 0usize;
    for row in &replay.state {
        for r in row.iter().flatten() {
            total += 1;
            if let Some(u) = up_index(Some(r)) {
                via[u] += 1;
            }
        }
    }
    // Routes full-table peers held just before the outage, to know when they are all back.
    // expected[peer][prefix], and how many expected routes are currently missing.
    let mut expected: Option<Vec<Vec<bool>>> = None;
    let mut missing = 0usize;
    let mut all_withdrawn = None;
    let mut all_restored = None;

    loop {
        if expected.is_none() && replay.peek().is_some_and(|e| e.cause == Cause::Outage) {
            let held: Vec<Vec<bool>> = replay
                .state
                .iter()
                .enumerate()
                .map(|(p, row)| row.iter().map(|r| full(p) && r.is_some()).collect())
                .collect();
            expected = Some(held);
        }
        let Some((ev, old)) = replay.step() else {
            break;
        };
        let (ou, nu) = (up_index(old), up_index(ev.route.as_ref()));
        if let Some(u) = ou {
            via[u] = via[u].saturating_sub(1);
        }
        if let Some(u) = nu {
            via[u] += 1;
        }
        if expected
            .as_ref()
            .is_some_and(|e| e.get(ev.peer).and_then(|r| r.get(ev.prefix)) == Some(&true))
        {
            missing = (missing + usize::from(old.is_some()))
                .saturating_sub(usize::from(ev.route.is_some()));
        }
        total =
            (total + usize::from(ev.route.is_some())).saturating_sub(usize::from(old.is_some()));
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
            Cause::Noise => {}
        }
    }

    let v4: Vec<&RisPeer> = peers.iter().filter(|p| !p.is_v6).collect();
    GroundTruth {
        entity_asn: origin,
        prefixes: cfg.entity.prefixes.clone(),
        upstreams: ups,
        all_withdrawn,
        all_restored,
        full_table_peer_count: v4.iter().filter(|p| p.full_table).count(),
        partial_peer_count: v4.iter().filter(|p| !p.full_table).count(),
        partial_peers_with_routes: v4
            .iter()
            .filter(|p| !p.full_table && p.carries_entity)
            .count(),
    }
}
