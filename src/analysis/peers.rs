//! Which RIS peers count for visibility ("full-table" peers) and how many there are at a time.

use crate::api::ripestat::{RisPeerCount, RisPeers};
use crate::model::UtcTime;
use rustc_hash::FxHashSet;

use super::Input;

/// Used only when neither ris-peer-count nor the caller gives a threshold; RIS's own
/// `v4_full_prefix_threshold` was this value for years.
pub const FALLBACK_V4_THRESHOLD: f64 = 500_000.0;

#[derive(Debug, Clone, PartialEq)]
pub enum PeerRule {
    /// Peers that ris-peers lists with at least `threshold` IPv4 prefixes.
    RisPeersThreshold {
        threshold: f64,
        matched: usize,
        partial: usize,
    },
    /// No peer list: every bgplay source counts, which over-counts partial peers.
    AllSources,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PeerSet {
    /// Indexed like `Input::source_ids`.
    pub full: Vec<bool>,
    pub rule: PeerRule,
    /// ris-peer-count's full-feed IPv4 counts, sorted by time.
    counts: Vec<(UtcTime, u32)>,
    fallback: u32,
}

impl PeerSet {
    /// A set without counts: the denominator is the number of peers marked full.
    pub fn new(full: Vec<bool>, rule: PeerRule) -> PeerSet {
        let fallback = full.iter().filter(|f| **f).count() as u32;
        PeerSet {
            full,
            rule,
            counts: Vec::new(),
            fallback,
        }
    }

    /// The number of full-table peers at `t`: the last count at or before `t` (RIS publishes
    /// them at its 8-hourly dumps), else the first, else the number of peers we marked full.
    pub fn denominator_at(&self, t: UtcTime) -> u32 {
        let i = self.counts.partition_point(|(ct, _)| *ct <= t);
        match (i, self.counts.first()) {
            (0, Some((_, c))) => *c,
            (0, None) => self.fallback,
            _ => self.counts.get(i - 1).map_or(self.fallback, |(_, c)| *c),
        }
    }

    /// Whether ris-peer-count gave the denominator (else it is the peers marked full).
    pub fn has_counts(&self) -> bool {
        !self.counts.is_empty()
    }

    pub fn full_count(&self) -> usize {
        self.full.iter().filter(|f| **f).count()
    }

    /// One sentence for the page: which rule made the denominator.
    pub fn describe(&self) -> String {
        let denom = if self.counts.is_empty() {
            "the number of full-table peers seen in bgplay".to_string()
        } else {
            "RIPEstat ris-peer-count (full-feed IPv4 peers)".to_string()
        };
        match &self.rule {
            PeerRule::RisPeersThreshold {
                threshold,
                matched,
                partial,
            } => format!(
                "Full-table peers: {matched} RIS peers with ≥ {} IPv4 prefixes (ris-peers); \
                 {partial} partial peers ignored. Denominator: {denom}.",
                crate::model::decimal(*threshold, 0)
            ),
            PeerRule::AllSources => format!(
                "Full-table peers: no RIS peer list was available, so every bgplay peer counts \
                 (partial peers may inflate visibility). Denominator: {denom}."
            ),
        }
    }
}

pub fn full_table_peers(
    input: &Input,
    peers: Option<&RisPeers>,
    count: Option<&RisPeerCount>,
) -> PeerSet {
    let mut counts: Vec<(UtcTime, u32)> = count
        .map(|c| {
            c.peer_count
                .v4
                .full_feed
                .iter()
                .map(|x| (x.timestamp, x.count))
                .collect()
        })
        .unwrap_or_default();
    crate::analysis::order::sort_by_key(&mut counts, |(t, _)| *t);
    let (full, rule) = match peers {
        Some(list) => {
            let threshold = count
                .and_then(|c| c.v4_full_prefix_threshold)
                .unwrap_or(FALLBACK_V4_THRESHOLD);
            let full_ids: FxHashSet<String> = list
                .by_source_id()
                .filter(|(_, p)| p.v4_prefix_count.is_some_and(|n| n >= threshold))
                .map(|(id, _)| id)
                .collect();
            let full: Vec<bool> = input
                .source_ids
                .iter()
                .map(|id| full_ids.contains(id))
                .collect();
            let matched = full.iter().filter(|f| **f).count();
            let partial = full.len() - matched;
            (
                full,
                PeerRule::RisPeersThreshold {
                    threshold,
                    matched,
                    partial,
                },
            )
        }
        None => (vec![true; input.source_ids.len()], PeerRule::AllSources),
    };
    let fallback = full.iter().filter(|f| **f).count() as u32;
    PeerSet {
        full,
        rule,
        counts,
        fallback,
    }
}
