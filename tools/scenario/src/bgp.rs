//! Routes and BGP events as RIS peers see them. Each peer that carries the entity's routes is
//! simulated on its own: a small discrete-event loop over link failures and recoveries (which
//! reach each peer after its own delay) and everyday noise. Simulating per peer keeps every
//! event consistent with that peer's previous state, which is what a bgplay replay relies on.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use crate::config::{LinkOutage, ScenarioConfig};
use crate::peers::RisPeer;
use crate::rng::{fnv64, Rng};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub path: Vec<u32>,
    pub community: Vec<String>,
}

/// Why an event happened. Internal to the generator (not in the JSON): the ground truth is
/// measured on the events of each cause, never on noise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    Noise,
    /// A link failure (`UpstreamConfig::outages`) and its repair.
    Outage,
    Recovery,
    /// A link announced for the first time (`UpstreamConfig::announced_from`).
    Change,
    /// The origin withdrawing, and announcing again, the prefixes of `prefix_outages[k]`.
    PrefixOutage(usize),
    PrefixRecovery(usize),
}

#[derive(Clone, Debug)]
pub struct BgpEvent {
    pub ts: i64,
    /// Index into the scenario's peer list.
    pub peer: usize,
    /// Index into the entity's prefixes.
    pub prefix: usize,
    /// `None` = withdrawal. Routes are shared: a peer announces the same route for many
    /// prefixes, and a large entity has millions of (peer, prefix) routes.
    pub route: Option<Arc<Route>>,
    pub cause: Cause,
}

#[derive(Clone, Debug)]
pub struct Recording {
    /// Routes held at the window start: (peer, prefix, route).
    pub initial: Vec<(usize, usize, Arc<Route>)>,
    /// Sorted by time; the position is the event's `seq`.
    pub events: Vec<BgpEvent>,
}

/// The upstream of a path: the AS just before the origin, prepending removed.
pub fn upstream_of(path: &[u32], origin: u32) -> Option<u32> {
    path.iter().rev().copied().find(|&a| a != origin)
}

/// Replays `initial` then `events`: which peer holds which route at a given moment.
pub struct Replay<'a> {
    events: &'a [BgpEvent],
    next: usize,
    /// state[peer][prefix]
    pub state: Vec<Vec<Option<&'a Route>>>,
}

impl<'a> Replay<'a> {
    pub fn new(rec: &'a Recording, n_peers: usize, n_prefixes: usize) -> Self {
        let mut state = vec![vec![None; n_prefixes]; n_peers];
        for (peer, prefix, route) in &rec.initial {
            if let Some(slot) = state.get_mut(*peer).and_then(|s| s.get_mut(*prefix)) {
                *slot = Some(&**route);
            }
        }
        Replay {
            events: &rec.events,
            next: 0,
            state,
        }
    }

    /// The next event, not yet applied.
    pub fn peek(&self) -> Option<&'a BgpEvent> {
        self.events.get(self.next)
    }

    /// Applies the next event; returns it with the route it replaced.
    pub fn step(&mut self) -> Option<(&'a BgpEvent, Option<&'a Route>)> {
        let ev = self.events.get(self.next)?;
        self.next += 1;
        let slot = self
            .state
            .get_mut(ev.peer)
            .and_then(|s| s.get_mut(ev.prefix))?;
        let old = std::mem::replace(slot, ev.route.as_deref());
        Some((ev, old))
    }

    /// Applies every event stamped at or before `t`.
    pub fn advance_to(&mut self, t: i64) {
        while self.events.get(self.next).is_some_and(|e| e.ts <= t) {
            self.step();
        }
    }
}

/// Per-peer routing profile: preferred upstream and the transit chain towards each upstream.
#[derive(Clone, Debug)]
struct Profile {
    primary: usize,
    chains: Vec<Vec<u32>>,
    /// How often each upstream appears in this peer's paths (1, or 2 if it prepends).
    up_times: Vec<usize>,
}

#[derive(Clone, Copy, Debug)]
enum Act {
    LinkDown { up: usize, final_at: i64 },
    LinkUp { up: usize },
    PrefixDown { outage: usize, final_at: i64 },
    PrefixUp { outage: usize },
    Converge { prefix: Option<usize> },
    ChangeTransit,
    SetPrimary { up: usize },
    NewCommunities,
    Suppress { prefix: Option<usize>, on: bool },
    Prepend { up: usize, prefix: usize, times: u8 },
}

/// Scheduled actions of one peer.
#[derive(Default)]
struct Agenda {
    items: Vec<(i64, Cause, Act)>,
}

impl Agenda {
    fn push(&mut self, ts: i64, cause: Cause, act: Act) {
        self.items.push((ts, cause, act));
    }
}

/// A transit chain (the ASes between the peer and the upstream), `hops` long, without loops.
fn make_chain(
    rng: &mut Rng,
    cfg: &ScenarioConfig,
    peer_as: u32,
    up: usize,
    hops: usize,
) -> Vec<u32> {
    let Some(upc) = cfg.upstreams.get(up) else {
        return Vec::new();
    };
    let mut avoid: Vec<u32> = vec![peer_as, cfg.entity.asn];
    avoid.extend(cfg.upstreams.iter().map(|u| u.asn));
    let mut chain: Vec<u32> = Vec::new();
    for hop in 0..hops {
        // The hop next to the upstream must be one of its neighbours; the others are anywhere.
        let pool = if hop == 0 {
            &upc.neighbour_pool
        } else {
            &cfg.paths.middle_pool
        };
        let pick = (0..12)
            .filter_map(|_| rng.pick(pool))
            .find(|a| !avoid.contains(a) && !chain.contains(a));
        match pick {
            Some(a) => chain.insert(0, a),
            None => break,
        }
    }
    chain
}

fn draw_hops(rng: &mut Rng, cfg: &ScenarioConfig) -> usize {
    rng.weighted(&cfg.paths.transit_hops_weights).unwrap_or(1)
}

/// Communities of a route: a pure function of (peer, epoch, path), so recomputing a route
/// gives the same value and only real changes produce events.
fn communities(seed: u64, peer: usize, epoch: u64, path: &[u32]) -> Vec<String> {
    let bytes: Vec<u8> = path.iter().flat_map(|a| a.to_be_bytes()).collect();
    let mut rng = Rng::derive(seed ^ fnv64(&bytes), (peer as u64) << 20 | epoch);
    // Some peers and transits strip communities altogether.
    if rng.chance(0.2) {
        return Vec::new();
    }
    let mut out: Vec<(u32, u32)> = Vec::new();
    let peer_as = path.first().copied().unwrap_or(0);
    if peer_as <= 0xFFFF {
        for _ in 0..rng.range(1, 3) {
            let v = [1000, 2000, 3000, 4000, 5000, 65010][rng.below(6) as usize];
            out.push((peer_as, v + rng.range(0, 120) as u32));
        }
    }
    if let Some(&t) = path.get(1) {
        if t <= 0xFFFF && rng.chance(0.6) {
            for _ in 0..rng.range(1, 4) {
                let v =
                    [2, 22, 100, 123, 501, 575, 2010, 2082, 3000, 40013][rng.below(10) as usize];
                out.push((t, v));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out.into_iter().map(|(a, b)| format!("{a}:{b}")).collect()
}

/// What the origin announces where, resolved from the configuration once for all peers.
struct Announce {
    /// carries[upstream][prefix]: the entity announces the prefix via that upstream.
    carries: Vec<Vec<bool>>,
    /// Prefix indices of each `prefix_outages` entry.
    outage_prefixes: Vec<Vec<usize>>,
}

impl Announce {
    fn new(cfg: &ScenarioConfig) -> Self {
        let pfx = &cfg.entity.prefixes;
        let index = |s: &String| pfx.iter().position(|p| p == s);
        let carries = cfg
            .upstreams
            .iter()
            .map(|u| match &u.prefixes {
                None => vec![true; pfx.len()],
                Some(list) => {
                    let mut v = vec![false; pfx.len()];
                    for i in list.iter().filter_map(index) {
                        v[i] = true;
                    }
                    v
                }
            })
            .collect();
        let outage_prefixes = cfg
            .prefix_outages
            .iter()
            .map(|o| {
                let mut v: Vec<usize> = o.prefixes.iter().filter_map(index).collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        Announce {
            carries,
            outage_prefixes,
        }
    }
}

struct PeerSim<'c> {
    cfg: &'c ScenarioConfig,
    announce: &'c Announce,
    peer: usize,
    peer_as: u32,
    rng: Rng,
    profile: Profile,
    link_up: Vec<bool>,
    /// origin_down[prefix]: the origin does not announce it (a prefix outage).
    origin_down: Vec<bool>,
    /// origin_times[upstream][prefix]: how often the origin appears, as this peer sees it.
    origin_times: Vec<Vec<u8>>,
    epoch: u64,
    /// Best routes already built: (upstream, origin times) -> route. Valid while the chains
    /// and the community epoch stay the same.
    cache: Vec<(usize, u8, Arc<Route>)>,
    current: Vec<Option<Arc<Route>>>,
    suppressed: Vec<bool>,
    last_ts: Vec<i64>,
    out: Vec<(i64, u64, BgpEvent)>,
    counter: u64,
}

impl PeerSim<'_> {
    /// How often the origin appears in this peer's path via `up` (1 = no prepending).
    fn origin_times_of(&self, up: usize, prefix: usize) -> u8 {
        self.origin_times
            .get(up)
            .and_then(|v| v.get(prefix))
            .copied()
            .unwrap_or(1)
    }

    fn route_via(&self, up: usize, prefix: usize, chain: &[u32]) -> Option<Route> {
        let upc = self.cfg.upstreams.get(up)?;
        let mut path = vec![self.peer_as];
        path.extend_from_slice(chain);
        let up_times = self.profile.up_times.get(up).copied().unwrap_or(1);
        path.extend(std::iter::repeat_n(upc.asn, up_times));
        let o = self.origin_times_of(up, prefix);
        path.extend(std::iter::repeat_n(
            self.cfg.entity.asn,
            usize::from(o.max(1)),
        ));
        let community = communities(self.cfg.seed, self.peer, self.epoch, &path);
        Some(Route { path, community })
    }

    fn best(&mut self, prefix: usize) -> Option<Arc<Route>> {
        if self.suppressed.get(prefix).copied().unwrap_or(false)
            || self.origin_down.get(prefix).copied().unwrap_or(false)
        {
            return None;
        }
        let n = self.cfg.upstreams.len();
        let primary = self.profile.primary;
        let order = std::iter::once(primary).chain((0..n).filter(|&u| u != primary));
        let up = order.into_iter().find(|&up| {
            self.link_up.get(up).copied().unwrap_or(false)
                && self
                    .announce
                    .carries
                    .get(up)
                    .and_then(|c| c.get(prefix))
                    .copied()
                    .unwrap_or(false)
        })?;
        let o = self.origin_times_of(up, prefix);
        if let Some((_, _, r)) = self.cache.iter().find(|c| c.0 == up && c.1 == o) {
            return Some(Arc::clone(r));
        }
        let chain = self.profile.chains.get(up).cloned().unwrap_or_default();
        let r = Arc::new(self.route_via(up, prefix, &chain)?);
        self.cache.push((up, o, Arc::clone(&r)));
        Some(r)
    }

    fn upstream_index(&self, route: &Route) -> Option<usize> {
        let asn = upstream_of(&route.path, self.cfg.entity.asn)?;
        self.cfg.upstreams.iter().position(|u| u.asn == asn)
    }

    /// A longer, stale-looking path via `up` (path hunting / exploration).
    fn longer_route(&mut self, up: usize, prefix: usize) -> Option<Arc<Route>> {
        let cur = self.profile.chains.get(up).map_or(0, Vec::len);
        let hops = (cur + 1 + self.rng.below(2) as usize).min(4);
        let chain = make_chain(&mut self.rng, self.cfg, self.peer_as, up, hops);
        if chain.len() <= cur {
            return None;
        }
        self.route_via(up, prefix, &chain).map(Arc::new)
    }

    fn jitter(&mut self, ts: i64) -> i64 {
        if self.rng.chance(self.cfg.dynamics.per_prefix_jitter) {
            ts + 1
        } else {
            ts
        }
    }

    fn emit(&mut self, ts: i64, prefix: usize, route: Option<Arc<Route>>, cause: Cause) {
        let Some(last) = self.last_ts.get(prefix).copied() else {
            return;
        };
        // Never stamp an update of a prefix before the previous one of the same prefix.
        let ts = ts.max(last);
        if self.current.get(prefix) == Some(&route) {
            return;
        }
        if let (Some(l), Some(c)) = (self.last_ts.get_mut(prefix), self.current.get_mut(prefix)) {
            *l = ts;
            *c = route.clone();
        }
        if ts >= self.cfg.window_end {
            return;
        }
        self.counter += 1;
        self.out.push((
            ts,
            self.counter,
            BgpEvent {
                ts,
                peer: self.peer,
                prefix,
                route,
                cause,
            },
        ));
    }

    fn prefixes(&self, which: Option<usize>) -> Vec<usize> {
        match which {
            Some(p) => vec![p],
            None => (0..self.current.len()).collect(),
        }
    }

    fn converge(&mut self, now: i64, which: Option<usize>, cause: Cause) {
        for p in self.prefixes(which) {
            let best = self.best(p);
            let ts = self.jitter(now);
            self.emit(ts, p, best, cause);
        }
    }

    fn run(&mut self, agenda: Agenda) {
        let mut acts: Vec<(i64, Cause, Act)> = agenda.items;
        let mut heap: BinaryHeap<Reverse<(i64, usize)>> = BinaryHeap::new();
        for (i, a) in acts.iter().enumerate() {
            heap.push(Reverse((a.0, i)));
        }
        while let Some(Reverse((now, i))) = heap.pop() {
            if now >= self.cfg.window_end {
                break;
            }
            let Some(&(_, cause, act)) = acts.get(i) else {
                continue;
            };
            let mut later: Vec<(i64, Cause, Act)> = Vec::new();
            self.apply(now, cause, act, &mut later);
            for item in later {
                heap.push(Reverse((item.0, acts.len())));
                acts.push(item);
            }
        }
    }

    /// Routes of `prefixes` became invalid (their link or their origin announcement is gone):
    /// switch to another upstream, withdraw, or hunt through a longer path via `hunt_via` (the
    /// failed upstream; `None`: the upstream of the route held) until `final_at`.
    fn lose(
        &mut self,
        now: i64,
        cause: Cause,
        prefixes: Vec<usize>,
        hunt_via: Option<usize>,
        final_at: i64,
        later: &mut Vec<(i64, Cause, Act)>,
    ) {
        let dyn_ = &self.cfg.dynamics;
        for p in prefixes {
            let ts = self.jitter(now);
            match self.best(p) {
                Some(alt) => {
                    if self.rng.chance(dyn_.withdraw_first) {
                        self.emit(ts, p, None, cause);
                        if self.rng.chance(dyn_.reannounce_after_withdraw) {
                            let (lo, hi) = dyn_.reannounce_delay;
                            let t = now + self.rng.range(lo, hi);
                            later.push((t, cause, Act::Converge { prefix: Some(p) }));
                        }
                    } else {
                        self.emit(ts, p, Some(alt), cause);
                    }
                }
                None if final_at > now => {
                    // Path hunting: a longer stale path first, the withdrawal at final_at.
                    let up = hunt_via.or_else(|| {
                        self.current
                            .get(p)
                            .and_then(|r| r.as_ref())
                            .and_then(|r| self.upstream_index(r))
                    });
                    if let Some(r) = up.and_then(|up| self.longer_route(up, p)) {
                        self.emit(ts, p, Some(r), cause);
                    }
                    later.push((final_at, cause, Act::Converge { prefix: Some(p) }));
                }
                None => self.emit(ts, p, None, cause),
            }
        }
    }

    /// A link or an origin announcement came back: every prefix of `prefixes` whose best
    /// route changed is announced, sometimes first over a longer path (exploration).
    fn restore(
        &mut self,
        now: i64,
        cause: Cause,
        prefixes: Vec<usize>,
        later: &mut Vec<(i64, Cause, Act)>,
    ) {
        let explore_p = self.cfg.dynamics.explore_on_restore;
        for p in prefixes {
            let best = self.best(p);
            let cur = self.current.get(p).cloned().flatten();
            if best == cur {
                continue;
            }
            let ts = self.jitter(now);
            let explore_up = best.as_ref().and_then(|r| self.upstream_index(r));
            let explore = cur.is_none() && explore_up.is_some() && self.rng.chance(explore_p);
            let first = match explore_up {
                Some(eu) if explore => self.longer_route(eu, p),
                _ => None,
            };
            match first {
                Some(r) => {
                    self.emit(ts, p, Some(r), cause);
                    let t = now + self.rng.range(3, 25);
                    later.push((t, cause, Act::Converge { prefix: Some(p) }));
                }
                None => self.emit(ts, p, best, cause),
            }
        }
    }

    fn outage_prefixes(&self, outage: usize) -> Vec<usize> {
        self.announce
            .outage_prefixes
            .get(outage)
            .cloned()
            .unwrap_or_default()
    }

    fn apply(&mut self, now: i64, cause: Cause, act: Act, later: &mut Vec<(i64, Cause, Act)>) {
        match act {
            Act::LinkDown { up, final_at } => {
                if let Some(u) = self.link_up.get_mut(up) {
                    *u = false;
                }
                let via_up: Vec<usize> = self
                    .prefixes(None)
                    .into_iter()
                    .filter(|&p| {
                        self.current
                            .get(p)
                            .and_then(|r| r.as_ref())
                            .is_some_and(|r| self.upstream_index(r) == Some(up))
                    })
                    .collect();
                self.lose(now, cause, via_up, Some(up), final_at, later);
            }
            Act::LinkUp { up } => {
                if let Some(u) = self.link_up.get_mut(up) {
                    *u = true;
                }
                let all = self.prefixes(None);
                self.restore(now, cause, all, later);
            }
            Act::PrefixDown { outage, final_at } => {
                let held: Vec<usize> = self
                    .outage_prefixes(outage)
                    .into_iter()
                    .filter(|&p| {
                        if let Some(d) = self.origin_down.get_mut(p) {
                            *d = true;
                        }
                        self.current.get(p).is_some_and(Option::is_some)
                    })
                    .collect();
                self.lose(now, cause, held, None, final_at, later);
            }
            Act::PrefixUp { outage } => {
                let ps = self.outage_prefixes(outage);
                for &p in &ps {
                    if let Some(d) = self.origin_down.get_mut(p) {
                        *d = false;
                    }
                }
                self.restore(now, cause, ps, later);
            }
            Act::Converge { prefix } => self.converge(now, prefix, cause),
            Act::ChangeTransit => {
                // Change the chain of the upstream currently in use, so the change is visible.
                let up = self
                    .current
                    .iter()
                    .flatten()
                    .next()
                    .and_then(|r| self.upstream_index(r))
                    .unwrap_or(self.profile.primary);
                let old = self.profile.chains.get(up).cloned().unwrap_or_default();
                for _ in 0..8 {
                    let hops = draw_hops(&mut self.rng, self.cfg);
                    let chain = make_chain(&mut self.rng, self.cfg, self.peer_as, up, hops);
                    if chain != old {
                        if let Some(c) = self.profile.chains.get_mut(up) {
                            *c = chain;
                        }
                        self.cache.clear();
                        break;
                    }
                }
                self.converge(now, None, cause);
            }
            Act::SetPrimary { up } => {
                self.profile.primary = up;
                self.converge(now, None, cause);
            }
            Act::NewCommunities => {
                self.epoch += 1;
                self.cache.clear();
                self.converge(now, None, cause);
            }
            Act::Suppress { prefix, on } => {
                for p in self.prefixes(prefix) {
                    if let Some(s) = self.suppressed.get_mut(p) {
                        *s = on;
                    }
                }
                // A session coming back announces everything in the same second.
                for p in self.prefixes(prefix) {
                    let best = self.best(p);
                    self.emit(now, p, best, cause);
                }
            }
            Act::Prepend { up, prefix, times } => {
                if let Some(t) = self
                    .origin_times
                    .get_mut(up)
                    .and_then(|v| v.get_mut(prefix))
                {
                    *t = times;
                }
                self.converge(now, Some(prefix), cause);
            }
        }
    }
}

/// Origin prepending in force at the start: [upstream][prefix] -> times the origin appears.
fn base_origin_times(cfg: &ScenarioConfig) -> Vec<Vec<u8>> {
    cfg.upstreams
        .iter()
        .map(|u| {
            (0..cfg.entity.prefixes.len())
                .map(|p| {
                    cfg.entity
                        .origin_prepend
                        .iter()
                        .find(|(a, i, _)| *a == u.asn && *i == p)
                        .map_or(1, |x| x.2)
                })
                .collect()
        })
        .collect()
}

/// The interval kept free of noise around the link and prefix outages and link starts, so
/// the ground truth is unambiguous.
fn quiet_interval(cfg: &ScenarioConfig) -> Option<(i64, i64)> {
    let outages = cfg
        .upstreams
        .iter()
        .flat_map(|u| u.outages.iter())
        .chain(cfg.prefix_outages.iter().map(|p| &p.outage))
        .map(|o| (o.down_at, o.up_at + o.announce_spread));
    let starts = cfg
        .upstreams
        .iter()
        .filter_map(|u| u.announced_from)
        .map(|s| (s.at, s.at + s.spread));
    let spans: Vec<(i64, i64)> = outages.chain(starts).collect();
    let start = spans.iter().map(|s| s.0).min()?;
    let end = spans.iter().map(|s| s.1).max()?;
    Some((start - cfg.noise.quiet_before, end + cfg.noise.quiet_after))
}

/// When one peer reacts to a failure: (first reaction, final withdrawal if no alternative is
/// left, arrival of the repair). Draws: the delay, the path-hunting chance (and its lead),
/// the repair delay.
fn reaction(rng: &mut Rng, o: &LinkOutage, path_hunt: f64) -> (i64, i64, i64) {
    let d = o.shape.delay(o.withdraw_spread, rng.unit());
    let final_at = o.down_at + d;
    let react = if rng.chance(path_hunt) {
        o.down_at + (d as f64 * (0.15 + 0.55 * rng.unit())).round() as i64
    } else {
        final_at
    };
    let back = o.up_at + (o.announce_spread as f64 * rng.unit()).round() as i64;
    (react, final_at, back)
}

/// A start time for a noise episode lasting `dur` seconds that stays inside the window and
/// outside the quiet interval.
fn noise_slot(rng: &mut Rng, cfg: &ScenarioConfig, dur: i64) -> Option<i64> {
    let quiet = quiet_interval(cfg);
    (0..100).find_map(|_| {
        let t = rng.range(cfg.window_start + 60, cfg.window_end - dur - 120);
        let clash = quiet.is_some_and(|(qs, qe)| t <= qe && t + dur + 120 >= qs);
        (!clash && t + dur < cfg.window_end).then_some(t)
    })
}

/// Simulates every peer that carries the entity's routes.
pub fn simulate(cfg: &ScenarioConfig, peers: &[RisPeer]) -> Recording {
    let n_up = cfg.upstreams.len();
    let n_pfx = cfg.entity.prefixes.len();
    let holders: Vec<usize> = (0..peers.len())
        .filter(|&i| peers[i].carries_entity)
        .collect();
    let mut agendas: Vec<Agenda> = (0..peers.len()).map(|_| Agenda::default()).collect();

    // Preferred upstream: exact shares among full-table peers (so the mix is as configured),
    // drawn at random for the partial ones.
    let mut rng = Rng::derive(cfg.seed, 0x7072_6f66); // "prof"
    let shares: Vec<u32> = cfg
        .upstreams
        .iter()
        .map(|u| (u.share.max(0.0) * 1000.0).round() as u32)
        .collect();
    let share_sum: f64 = shares.iter().map(|&s| f64::from(s)).sum::<f64>().max(1.0);
    let mut full: Vec<usize> = holders
        .iter()
        .copied()
        .filter(|&i| peers[i].full_table)
        .collect();
    rng.shuffle(&mut full);
    let mut primary = vec![0usize; peers.len()];
    let mut assigned = 0usize;
    for (u, &s) in shares.iter().enumerate() {
        let n = if u + 1 == n_up {
            full.len() - assigned.min(full.len())
        } else {
            ((f64::from(s) / share_sum) * full.len() as f64).round() as usize
        };
        for &i in full.iter().skip(assigned).take(n) {
            primary[i] = u;
        }
        assigned += n;
    }
    for &i in holders.iter().filter(|&&i| !peers[i].full_table) {
        primary[i] = rng.weighted(&shares).unwrap_or(0);
    }
    let profiles: Vec<Profile> = (0..peers.len())
        .map(|i| {
            let chains = (0..n_up)
                .map(|u| {
                    let hops = draw_hops(&mut rng, cfg);
                    make_chain(&mut rng, cfg, peers[i].asn, u, hops)
                })
                .collect();
            let up_times = cfg
                .upstreams
                .iter()
                .map(|u| {
                    if rng.chance(u.self_prepend_fraction) {
                        2
                    } else {
                        1
                    }
                })
                .collect();
            Profile {
                primary: primary[i],
                chains,
                up_times,
            }
        })
        .collect();

    // Link failures and recoveries reach each peer after its own delay.
    let hunt = cfg.dynamics.path_hunt;
    let mut rng = Rng::derive(cfg.seed, 0x6c69_6e6b); // "link"
    for (u, upc) in cfg.upstreams.iter().enumerate() {
        for o in &upc.outages {
            for &i in &holders {
                let (react, final_at, back) = reaction(&mut rng, o, hunt);
                agendas[i].push(react, Cause::Outage, Act::LinkDown { up: u, final_at });
                agendas[i].push(back, Cause::Recovery, Act::LinkUp { up: u });
            }
        }
    }
    // New links: announced to each peer after its own delay (own stream: "strt").
    let mut rng = Rng::derive(cfg.seed, 0x7374_7274);
    for (u, upc) in cfg.upstreams.iter().enumerate() {
        if let Some(st) = upc.announced_from {
            for &i in &holders {
                let d = crate::config::Spread::SkewedEarly.delay(st.spread, rng.unit());
                agendas[i].push(st.at + d, Cause::Change, Act::LinkUp { up: u });
            }
        }
    }
    // Prefix outages (own stream: "pfxo"): the origin withdraws, every peer follows.
    let mut rng = Rng::derive(cfg.seed, 0x7066_786f);
    for (k, po) in cfg.prefix_outages.iter().enumerate() {
        for &i in &holders {
            let (react, final_at, back) = reaction(&mut rng, &po.outage, hunt);
            let down = Act::PrefixDown {
                outage: k,
                final_at,
            };
            agendas[i].push(react, Cause::PrefixOutage(k), down);
            agendas[i].push(back, Cause::PrefixRecovery(k), Act::PrefixUp { outage: k });
        }
    }

    schedule_noise(cfg, peers, &holders, &profiles, &mut agendas);

    // Run each peer.
    let base_origin = base_origin_times(cfg);
    let announce = Announce::new(cfg);
    let link_up0: Vec<bool> = cfg
        .upstreams
        .iter()
        .map(|u| u.announced_from.is_none_or(|s| s.at <= cfg.window_start))
        .collect();
    let mut initial = Vec::new();
    let mut pooled: Vec<(i64, usize, u64, BgpEvent)> = Vec::new();
    for &i in &holders {
        let profile = profiles[i].clone();
        let mut sim = PeerSim {
            cfg,
            announce: &announce,
            peer: i,
            peer_as: peers[i].asn,
            rng: Rng::derive(cfg.seed, 0x5349_4d00 + i as u64),
            profile,
            link_up: link_up0.clone(),
            origin_down: vec![false; n_pfx],
            origin_times: base_origin.clone(),
            epoch: 0,
            cache: Vec::new(),
            current: vec![None; n_pfx],
            suppressed: vec![false; n_pfx],
            last_ts: vec![cfg.window_start; n_pfx],
            out: Vec::new(),
            counter: 0,
        };
        for p in 0..n_pfx {
            let r = sim.best(p);
            if let Some(route) = &r {
                initial.push((i, p, Arc::clone(route)));
            }
            sim.current[p] = r;
        }
        sim.run(std::mem::take(&mut agendas[i]));
        pooled.extend(sim.out.into_iter().map(|(ts, c, e)| (ts, i, c, e)));
    }
    // Time order; within a second, peer order then each peer's own order.
    pooled.sort_by_key(|(ts, peer, c, _)| (*ts, *peer, *c));
    Recording {
        initial,
        events: pooled.into_iter().map(|x| x.3).collect(),
    }
}

fn schedule_noise(
    cfg: &ScenarioConfig,
    peers: &[RisPeer],
    holders: &[usize],
    profiles: &[Profile],
    agendas: &mut [Agenda],
) {
    let nz = &cfg.noise;
    let mut rng = Rng::derive(cfg.seed, 0x6e6f_6973); // "nois"
    let days = (cfg.window_end - cfg.window_start) as f64 / 86_400.0;
    let n_up = cfg.upstreams.len();
    let noise = Cause::Noise;

    // Path changes: a new transit chain, or a temporary switch to another upstream.
    for _ in 0..(nz.path_changes_per_day * days).round() as usize {
        let Some(i) = rng.pick(holders) else { break };
        if n_up > 1 && rng.chance(nz.upstream_switch_fraction) {
            let dur = rng.range(nz.upstream_switch_duration.0, nz.upstream_switch_duration.1);
            let Some(t) = noise_slot(&mut rng, cfg, dur) else {
                continue;
            };
            let base = profiles[i].primary;
            let other = (base + 1 + rng.below(n_up as u64 - 1) as usize) % n_up;
            agendas[i].push(t, noise, Act::SetPrimary { up: other });
            agendas[i].push(t + dur, noise, Act::SetPrimary { up: base });
        } else if let Some(t) = noise_slot(&mut rng, cfg, 0) {
            agendas[i].push(t, noise, Act::ChangeTransit);
        }
    }

    // Same path, new communities.
    for _ in 0..(nz.community_changes_per_day * days).round() as usize {
        let Some(i) = rng.pick(holders) else { break };
        if let Some(t) = noise_slot(&mut rng, cfg, 0) {
            agendas[i].push(t, noise, Act::NewCommunities);
        }
    }

    // Flapping peers: W then A within minutes, repeatedly (whole session or one prefix).
    let mut full: Vec<usize> = holders
        .iter()
        .copied()
        .filter(|&i| peers[i].full_table)
        .collect();
    rng.shuffle(&mut full);
    let n_pfx = cfg.entity.prefixes.len() as u64;
    for &i in full.iter().take(nz.flapping_peers) {
        for _ in 0..rng.range(nz.flap_episodes_per_peer.0, nz.flap_episodes_per_peer.1) {
            let n = rng.range(nz.flaps_per_episode.0, nz.flaps_per_episode.1);
            let steps: Vec<(i64, i64)> = (0..n)
                .map(|_| {
                    (
                        rng.range(nz.flap_down.0, nz.flap_down.1),
                        rng.range(nz.flap_gap.0, nz.flap_gap.1),
                    )
                })
                .collect();
            let total: i64 = steps.iter().map(|(d, g)| d + g).sum();
            let Some(mut t) = noise_slot(&mut rng, cfg, total) else {
                continue;
            };
            for (down, gap) in steps {
                let prefix = if rng.chance(0.5) {
                    None
                } else {
                    Some(rng.below(n_pfx) as usize)
                };
                agendas[i].push(t, noise, Act::Suppress { prefix, on: true });
                agendas[i].push(t + down, noise, Act::Suppress { prefix, on: false });
                t += down + gap;
            }
        }
    }

    // Session resets: every prefix withdrawn, back about ten minutes later.
    for &i in full.iter().skip(nz.flapping_peers).take(nz.session_resets) {
        let down = rng.range(nz.session_reset_down.0, nz.session_reset_down.1);
        if let Some(t) = noise_slot(&mut rng, cfg, down) {
            agendas[i].push(
                t,
                noise,
                Act::Suppress {
                    prefix: None,
                    on: true,
                },
            );
            agendas[i].push(
                t + down,
                noise,
                Act::Suppress {
                    prefix: None,
                    on: false,
                },
            );
        }
    }

    // Origin traffic engineering: prepending on one prefix via one upstream toggled for a while;
    // every peer routing that prefix via that upstream re-announces within a minute.
    let base = base_origin_times(cfg);
    for _ in 0..nz.te_changes {
        let up = rng.below(n_up as u64) as usize;
        let prefix = rng.below(n_pfx) as usize;
        let was = base
            .get(up)
            .and_then(|v| v.get(prefix))
            .copied()
            .unwrap_or(1);
        let times = if was > 1 { 1 } else { 3 };
        let dur = rng.range(nz.te_duration.0, nz.te_duration.1);
        let Some(t) = noise_slot(&mut rng, cfg, dur + 60) else {
            continue;
        };
        for &i in holders {
            let d1 = rng.range(0, 60);
            let d2 = rng.range(0, 60);
            agendas[i].push(t + d1, noise, Act::Prepend { up, prefix, times });
            agendas[i].push(
                t + dur + d2,
                noise,
                Act::Prepend {
                    up,
                    prefix,
                    times: was,
                },
            );
        }
    }
}
