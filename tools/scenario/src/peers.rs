//! The RIS peers of the scenario: IPv4 and IPv6 sessions, full-table or partial, spread over
//! the collectors, as ris-peers lists them and as bgplay names them ("<rrc>-<ip>").

use std::collections::HashSet;

use crate::asdb;
use crate::config::ScenarioConfig;
use crate::rng::Rng;

#[derive(Clone, Debug)]
pub struct RisPeer {
    pub rrc: u8,
    pub ip: String,
    pub asn: u32,
    pub v4_prefix_count: u64,
    pub v6_prefix_count: u64,
    pub is_v6: bool,
    /// At or above the ris-peer-count threshold of its address family.
    pub full_table: bool,
    /// Carries routes to the entity's prefixes (appears in bgplay).
    pub carries_entity: bool,
}

impl RisPeer {
    /// bgplay's source id: "<NN>-<peer ip>".
    pub fn source_id(&self) -> String {
        format!("{:02}-{}", self.rrc, self.ip)
    }
}

/// Roughly log-uniform draw with integers only (a decade at random, then uniform within it):
/// partial peers are mostly small (a few hundred routes), a few are large.
fn log_uniform(rng: &mut Rng, (lo, hi): (u64, u64)) -> u64 {
    let hi = hi.max(lo);
    let mut bounds = vec![lo];
    let mut b = lo.max(1);
    while b.saturating_mul(10) < hi {
        b = b.saturating_mul(10);
        bounds.push(b);
    }
    bounds.push(hi);
    let k = rng.below(bounds.len() as u64 - 1) as usize;
    match (bounds.get(k), bounds.get(k + 1)) {
        (Some(&a), Some(&z)) => uniform(rng, (a, z)),
        _ => lo,
    }
}

fn uniform(rng: &mut Rng, (lo, hi): (u64, u64)) -> u64 {
    rng.range(lo as i64, hi as i64) as u64
}

/// All RIS peers: IPv4 full-table, IPv4 partial, IPv6 full-table, IPv6 partial (in that order).
pub fn build(cfg: &ScenarioConfig) -> Vec<RisPeer> {
    let pc = &cfg.peers;
    let mut rng = Rng::derive(cfg.seed, 0x7065_6572); // "peer"
    let col_weights: Vec<u32> = pc.collectors.iter().map(|c| c.1).collect();
    let as_weights: Vec<u32> = pc.peer_as_pool.iter().map(|a| a.1).collect();
    let mut used: HashSet<String> = HashSet::new();
    let mut peers = Vec::new();

    let kinds = [
        (false, true, pc.full_table_v4),
        (false, false, pc.partial_v4),
        (true, true, pc.full_table_v6),
        (true, false, pc.partial_v6),
    ];
    for (is_v6, full, count) in kinds {
        for k in 0..count {
            let rrc = rng
                .weighted(&col_weights)
                .and_then(|i| pc.collectors.get(i))
                .map_or(0, |c| c.0);
            let asn = rng
                .weighted(&as_weights)
                .and_then(|i| pc.peer_as_pool.get(i))
                .map_or(64_512, |a| a.0);
            let ip = unique_ip(&mut rng, rrc, asn, is_v6, k, &mut used);
            let (v4, v6) = match (is_v6, full) {
                (false, true) => (uniform(&mut rng, pc.full_v4_prefixes), 0),
                (false, false) => (log_uniform(&mut rng, pc.partial_v4_prefixes), 0),
                (true, true) => (0, uniform(&mut rng, pc.full_v6_prefixes)),
                (true, false) => (0, log_uniform(&mut rng, pc.partial_v6_prefixes)),
            };
            let full_table = if is_v6 {
                v6 >= pc.v6_full_threshold
            } else {
                v4 >= pc.v4_full_threshold
            };
            peers.push(RisPeer {
                rrc,
                ip,
                asn,
                v4_prefix_count: v4,
                v6_prefix_count: v6,
                is_v6,
                full_table,
                carries_entity: !is_v6 && full_table,
            });
        }
    }

    // Some partial IPv4 peers carry the entity's routes too: a consumer that forgets to keep
    // only full-table peers counts them and gets visibility wrong.
    let mut partial: Vec<usize> = (0..peers.len())
        .filter(|&i| !peers[i].is_v6 && !peers[i].full_table)
        .collect();
    rng.shuffle(&mut partial);
    for &i in partial.iter().take(pc.partial_v4_with_routes) {
        peers[i].carries_entity = true;
    }
    peers
}

fn unique_ip(
    rng: &mut Rng,
    rrc: u8,
    asn: u32,
    is_v6: bool,
    k: usize,
    used: &mut HashSet<String>,
) -> String {
    let lans = asdb::collector_lans(rrc);
    for attempt in 0..1000u32 {
        let ip = if is_v6 {
            // IXP-style IPv6 addressing: the peer's ASN in the interface id.
            format!(
                "2001:7f8:{:x}::{:x}:{}",
                u32::from(rrc) + 1,
                asn,
                rng.range(1, 4) + i64::from(attempt)
            )
        } else {
            let lan = rng.pick(lans).unwrap_or("10.255.0.");
            format!("{lan}{}", rng.range(1, 254))
        };
        if used.insert(format!("{rrc}-{ip}")) {
            return ip;
        }
    }
    // Only reachable with far more peers than a LAN holds: fall back to a unique made-up one.
    let ip = format!("100.{}.{}.{}", rrc, (k / 250) % 250, k % 250 + 1);
    used.insert(format!("{rrc}-{ip}"));
    ip
}
