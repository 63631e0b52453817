//! What a scenario is made of. Every knob that shapes the recording (peer counts, upstream
//! shares, link failure times and reaction shapes, new links, prefix outages, reaction
//! probabilities, noise rates) lives here, so each scenario (a single link lost, a slow
//! peer-by-peer decay, a flapping prefix, a 7-day window, a large entity, a new upstream in
//! 2017) is a constructor function, not generator code. New knobs keep a default that draws
//! nothing new and is not serialized, so older scenarios keep their exact output.

use serde::Serialize;

use crate::prefix::{format_v4, slash24_count};
use crate::rng::Rng;
use crate::time::utc;

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Clone, Debug, Serialize)]
pub struct ScenarioConfig {
    /// Short id used on the command line and in the synthetic labels ("kp-2025-06").
    pub name: String,
    pub description: String,
    pub seed: u64,
    /// Recording window, Unix seconds (bgplay starttime/endtime, IODA from/until).
    pub window_start: i64,
    pub window_end: i64,
    /// Pretend moment the responses were fetched (envelope `time`, IODA `metadata`).
    pub recorded_at: i64,
    /// `query_time` of the asn-neighbours answer and of the ris-peers answer.
    pub neighbours_query_time: i64,
    pub ris_peers_query_time: i64,
    /// The app URL (path and query) that opens this scenario.
    pub view: String,
    pub entity: EntityConfig,
    pub upstreams: Vec<UpstreamConfig>,
    pub peers: PeerConfig,
    pub paths: PathConfig,
    pub dynamics: Dynamics,
    pub noise: NoiseConfig,
    pub ioda: IodaConfig,
    /// The origin stops announcing some of its prefixes for a while (a flapping /24, or a
    /// subset of a large entity's space), whatever the links do.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prefix_outages: Vec<PrefixOutage>,
    /// Also measure how the share of (full-table peer, prefix) routes evolves (ground truth
    /// `visibility`: first loss, crossing of 50 %, none left, back above 50 %).
    #[serde(skip_serializing_if = "is_false")]
    pub report_visibility: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct EntityConfig {
    pub asn: u32,
    /// IODA entity name of the AS ("AS131279 (STAR-KP)").
    pub ioda_name: String,
    pub country_code: String,
    pub country_name: String,
    /// IODA fqid of the country in signals (geo.provider...) and in events (geo.netacuity...):
    /// the real API uses different providers in the two answers.
    pub country_signals_fqid: String,
    pub country_events_fqid: String,
    pub prefixes: Vec<String>,
    /// Origin prepending in force at the start: (upstream ASN, prefix index, times the origin
    /// appears in the path). Unlisted pairs appear once.
    pub origin_prepend: Vec<(u32, usize, u8)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct UpstreamConfig {
    pub asn: u32,
    /// Short human name ("China Unicom").
    pub name: String,
    /// Share of route-holding RIS peers that prefer this upstream (shares are normalised).
    pub share: f64,
    /// ASes that connect to this upstream: the hop before it in a path is drawn from here.
    pub neighbour_pool: Vec<u32>,
    /// Fraction of peers that see this upstream prepend itself once ("4837 4837 131279").
    pub self_prepend_fraction: f64,
    /// Failures of the link between the entity and this upstream.
    pub outages: Vec<LinkOutage>,
    /// The link is first announced inside the window (down before `at`): a new upstream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub announced_from: Option<LinkStart>,
    /// The entity's prefixes announced via this upstream (`None`: all of them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefixes: Option<Vec<String>>,
}

/// A link that starts to carry routes at `at`; peers learn it within `spread` seconds,
/// skewed early like the reactions to a failure.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct LinkStart {
    pub at: i64,
    pub spread: i64,
}

/// How per-peer reaction delays are spread over `withdraw_spread`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Spread {
    /// Most peers react within seconds, a tail takes up to the spread (delay = spread x u^1.5).
    #[default]
    SkewedEarly,
    /// Peers react evenly over the spread (a slow, peer-by-peer decay).
    Uniform,
}

impl Spread {
    fn is_default(&self) -> bool {
        *self == Spread::SkewedEarly
    }

    /// The delay for a uniform draw `x` in [0, 1). u^1.5 is computed as u*sqrt(u): sqrt is
    /// exactly rounded everywhere, powf is not.
    pub fn delay(self, spread: i64, x: f64) -> i64 {
        let s = spread as f64;
        match self {
            // (s * x) * sqrt(x), in this order: the recorded output depends on the rounding.
            Spread::SkewedEarly => (s * x * x.sqrt()).round() as i64,
            Spread::Uniform => (s * x).round() as i64,
        }
    }
}

/// A failure and its repair: of a link (`UpstreamConfig::outages`) or of some prefixes
/// (`PrefixOutage`).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct LinkOutage {
    /// The link goes down at `down_at`; each RIS peer reacts within `withdraw_spread` seconds.
    pub down_at: i64,
    pub withdraw_spread: i64,
    /// The link comes back at `up_at`; announcements reach the peers over `announce_spread` s.
    pub up_at: i64,
    pub announce_spread: i64,
    #[serde(skip_serializing_if = "Spread::is_default")]
    pub shape: Spread,
}

impl LinkOutage {
    /// Down at `down_at` (reactions within `withdraw_spread`, skewed early), back at `up_at`.
    pub fn new(down_at: i64, withdraw_spread: i64, up_at: i64, announce_spread: i64) -> Self {
        LinkOutage {
            down_at,
            withdraw_spread,
            up_at,
            announce_spread,
            shape: Spread::SkewedEarly,
        }
    }
}

/// The origin withdraws `prefixes` (strings of `EntityConfig::prefixes`) at `outage.down_at`
/// and announces them again at `outage.up_at`.
#[derive(Clone, Debug, Serialize)]
pub struct PrefixOutage {
    pub prefixes: Vec<String>,
    pub outage: LinkOutage,
}

#[derive(Clone, Debug, Serialize)]
pub struct PeerConfig {
    /// RIS collectors in use: (rrc number, relative weight of peers there).
    pub collectors: Vec<(u8, u32)>,
    pub full_table_v4: usize,
    pub partial_v4: usize,
    /// How many of the partial IPv4 peers also carry routes to the entity's prefixes.
    pub partial_v4_with_routes: usize,
    pub full_table_v6: usize,
    pub partial_v6: usize,
    /// ris-peers prefix counts (inclusive ranges).
    pub full_v4_prefixes: (u64, u64),
    pub partial_v4_prefixes: (u64, u64),
    pub full_v6_prefixes: (u64, u64),
    pub partial_v6_prefixes: (u64, u64),
    /// ris-peer-count thresholds: a peer with at least this many prefixes is "full feed".
    pub v4_full_threshold: u64,
    pub v6_full_threshold: u64,
    /// ASes of the RIS peers, with relative weights (several peers may share an AS).
    pub peer_as_pool: Vec<(u32, u32)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PathConfig {
    /// Weights of 0, 1, 2, 3 transit ASes between the RIS peer and the upstream.
    pub transit_hops_weights: [u32; 4],
    /// Middle transit ASes (between the peer and the upstream's neighbour).
    pub middle_pool: Vec<u32>,
}

/// How peers behave when a link changes state.
#[derive(Clone, Debug, Serialize)]
pub struct Dynamics {
    /// When a peer loses its preferred upstream but has another: withdraw first (then maybe
    /// re-announce via the other) instead of switching in one update.
    pub withdraw_first: f64,
    /// After such a withdrawal, the chance it re-announces via the remaining upstream.
    pub reannounce_after_withdraw: f64,
    /// When no upstream is left: announce a longer (stale) path before withdrawing.
    pub path_hunt: f64,
    /// When a link comes back: first announce a longer path, then the best one seconds later.
    pub explore_on_restore: f64,
    /// Chance a prefix's update of one batch is stamped one second later than the others.
    pub per_prefix_jitter: f64,
    /// Delay (s) between such a withdrawal and the re-announcement via the remaining upstream.
    #[serde(skip_serializing_if = "is_default_reannounce_delay")]
    pub reannounce_delay: (i64, i64),
}

pub const DEFAULT_REANNOUNCE_DELAY: (i64, i64) = (5, 60);

fn is_default_reannounce_delay(d: &(i64, i64)) -> bool {
    *d == DEFAULT_REANNOUNCE_DELAY
}

#[derive(Clone, Debug, Serialize)]
pub struct NoiseConfig {
    /// Everyday path changes over all peers (transit or upstream switches).
    pub path_changes_per_day: f64,
    /// Fraction of those that are temporary switches to the other upstream.
    pub upstream_switch_fraction: f64,
    /// Duration of such an excursion (s).
    pub upstream_switch_duration: (i64, i64),
    /// Re-announcements of the same path with changed communities.
    pub community_changes_per_day: f64,
    pub flapping_peers: usize,
    pub flap_episodes_per_peer: (i64, i64),
    pub flaps_per_episode: (i64, i64),
    /// Gap between flaps, and time a flapped route stays withdrawn (s).
    pub flap_gap: (i64, i64),
    pub flap_down: (i64, i64),
    pub session_resets: usize,
    pub session_reset_down: (i64, i64),
    /// Origin traffic-engineering changes (prepending on one prefix toggled for a while).
    pub te_changes: usize,
    pub te_duration: (i64, i64),
    /// No noise this long before the first link failure and after the last recovery, so the
    /// ground truth is unambiguous.
    pub quiet_before: i64,
    pub quiet_after: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct IodaConfig {
    /// maxPoints in requestParameters (above the series length, so step = nativeStep).
    pub max_points: u32,
    /// Responsive /24s of ping-slash24 in normal times, and the chances of one more or less.
    pub ping_base: u32,
    pub ping_up: f64,
    pub ping_down: f64,
    pub ping_null_rate: f64,
    /// merit-nt unique sources: mean, daily amplitude, noise, clamp, and missing values.
    pub merit_mean: f64,
    pub merit_amplitude: f64,
    /// Hour (UTC) of the daily peak of telescope traffic.
    pub merit_peak_hour_utc: f64,
    pub merit_noise: f64,
    pub merit_clamp: (f64, f64),
    pub merit_null_rate: f64,
    /// Chance of a stray source (value 1) in a bin while the entity is cut off.
    pub merit_outage_stray: f64,
}

/// Names of the scenarios this crate can generate.
pub fn scenario_names() -> &'static [&'static str] {
    &[
        "kp-2025-06",
        "kp-single-link",
        "kp-slow-decay",
        "kp-flapping",
        "kp-7day",
        "large-entity",
        "kp-2017-transtelecom",
    ]
}

/// Configuration of a scenario by name.
pub fn by_name(name: &str) -> Option<ScenarioConfig> {
    match name {
        "kp-2025-06" => Some(kp_2025_06()),
        "kp-single-link" => Some(kp_single_link()),
        "kp-slow-decay" => Some(kp_slow_decay()),
        "kp-flapping" => Some(kp_flapping()),
        "kp-7day" => Some(kp_7day()),
        "large-entity" => Some(large_entity()),
        "kp-2017-transtelecom" => Some(kp_2017_transtelecom()),
        _ => None,
    }
}

const CHINA_UNICOM: u32 = 4837;
const TRANSTELECOM: u32 = 20485;

impl ScenarioConfig {
    /// The upstream with this ASN, to adjust a derived scenario.
    pub fn upstream_mut(&mut self, asn: u32) -> Option<&mut UpstreamConfig> {
        self.upstreams.iter_mut().find(|u| u.asn == asn)
    }
}

/// North Korea, 2025-06-06/07: TransTelecom fails, then China Unicom two and a half minutes
/// later; about nine hours without any route; China Unicom returns first.
pub fn kp_2025_06() -> ScenarioConfig {
    let tier1_to_cn = vec![
        3356, 1299, 174, 2914, 3257, 6453, 6762, 3491, 4637, 7473, 10099, 2516, 4766, 6939, 1273,
        5511, 701, 7018,
    ];
    let to_ru = vec![
        12389, 3216, 31133, 20764, 9002, 8359, 8732, 29076, 1299, 3356, 174, 6939, 1273, 3257,
    ];
    ScenarioConfig {
        name: "kp-2025-06".into(),
        description: "North Korea (AS131279) loses TransTelecom, then China Unicom, on \
                      2025-06-06 ~17:30 UTC; all four /24s unreachable for about nine hours"
            .into(),
        seed: 20_250_606,
        window_start: utc(2025, 6, 4, 0, 0, 0),
        window_end: utc(2025, 6, 9, 0, 0, 0),
        recorded_at: utc(2025, 6, 10, 9, 15, 27),
        neighbours_query_time: utc(2025, 6, 6, 0, 0, 0),
        ris_peers_query_time: utc(2025, 6, 6, 16, 0, 0),
        view: "/?asn=131279&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z".into(),
        entity: EntityConfig {
            asn: 131_279,
            ioda_name: "AS131279 (STAR-KP)".into(),
            country_code: "KP".into(),
            country_name: "North Korea".into(),
            country_signals_fqid: "geo.provider.AS.KP".into(),
            country_events_fqid: "geo.netacuity.AS.KP".into(),
            prefixes: vec![
                "175.45.176.0/24".into(),
                "175.45.177.0/24".into(),
                "175.45.178.0/24".into(),
                "175.45.179.0/24".into(),
            ],
            // TransTelecom is the backup for the last /24: "20485 131279 131279 131279".
            origin_prepend: vec![(20485, 3, 3)],
        },
        upstreams: vec![
            UpstreamConfig {
                asn: 4837,
                name: "China Unicom".into(),
                share: 0.6,
                neighbour_pool: tier1_to_cn,
                self_prepend_fraction: 0.12,
                outages: vec![LinkOutage::new(
                    utc(2025, 6, 6, 17, 31, 5),
                    88,
                    utc(2025, 6, 7, 2, 27, 30),
                    100,
                )],
                announced_from: None,
                prefixes: None,
            },
            UpstreamConfig {
                asn: 20485,
                name: "TransTelecom".into(),
                share: 0.4,
                neighbour_pool: to_ru,
                self_prepend_fraction: 0.05,
                outages: vec![LinkOutage::new(
                    utc(2025, 6, 6, 17, 28, 40),
                    60,
                    utc(2025, 6, 7, 2, 34, 10),
                    80,
                )],
                announced_from: None,
                prefixes: None,
            },
        ],
        peers: PeerConfig {
            // The multihop collector rrc00 and the big European IXPs have the most peers.
            collectors: vec![
                (0, 5),
                (1, 4),
                (3, 4),
                (4, 1),
                (5, 2),
                (6, 1),
                (7, 2),
                (10, 1),
                (11, 2),
                (12, 3),
                (13, 2),
                (14, 2),
                (15, 2),
                (16, 1),
                (18, 1),
                (19, 1),
                (20, 2),
                (21, 2),
                (22, 1),
                (23, 2),
                (24, 2),
                (25, 3),
                (26, 1),
            ],
            full_table_v4: 331,
            partial_v4: 72,
            partial_v4_with_routes: 21,
            full_table_v6: 214,
            partial_v6: 48,
            full_v4_prefixes: (930_000, 1_010_000),
            partial_v4_prefixes: (10, 300_000),
            full_v6_prefixes: (205_000, 236_000),
            partial_v6_prefixes: (3, 60_000),
            // About 75 % of a full IPv4 table in 2025 (~1.0 M routes), as RIS's own rule of
            // thumb; every partial peer above stays far below it.
            v4_full_threshold: 750_000,
            v6_full_threshold: 150_000,
            peer_as_pool: vec![
                (6939, 14),
                (3356, 5),
                (1299, 4),
                (174, 5),
                (2914, 4),
                (3257, 4),
                (6453, 2),
                (6762, 3),
                (3491, 2),
                (9002, 4),
                (1273, 2),
                (5511, 2),
                (6830, 3),
                (8220, 3),
                (13030, 4),
                (34549, 6),
                (39120, 3),
                (20811, 3),
                (47692, 3),
                (57866, 4),
                (50304, 3),
                (25091, 4),
                (8283, 3),
                (8455, 3),
                (16347, 3),
                (37271, 4),
                (37100, 3),
                (7018, 2),
                (701, 2),
                (3320, 2),
                (2497, 3),
                (7660, 3),
                (7575, 3),
                (4608, 2),
                (4777, 2),
                (18106, 3),
                (24482, 3),
                (9304, 3),
                (2152, 2),
                (11537, 3),
                (6079, 2),
                (3130, 3),
                (19151, 3),
                (7922, 2),
                (53013, 3),
                (1103, 3),
                (25152, 2),
                (12389, 2),
                (3216, 2),
                (31133, 2),
                (20764, 2),
                (8359, 2),
                (199524, 3),
                (396998, 2),
                (2516, 2),
                (4766, 2),
                (9498, 2),
                (7473, 2),
                (4637, 2),
            ],
        },
        paths: PathConfig {
            transit_hops_weights: [12, 45, 33, 10],
            middle_pool: vec![
                3356, 1299, 174, 2914, 3257, 6453, 6762, 3491, 6461, 6939, 1273, 5511, 9002, 6830,
                8220, 3320, 13030, 34549, 20811, 37100, 9498, 2497, 4637,
            ],
        },
        dynamics: Dynamics {
            withdraw_first: 0.3,
            reannounce_after_withdraw: 0.5,
            path_hunt: 0.3,
            explore_on_restore: 0.12,
            per_prefix_jitter: 0.15,
            reannounce_delay: DEFAULT_REANNOUNCE_DELAY,
        },
        noise: NoiseConfig {
            path_changes_per_day: 40.0,
            upstream_switch_fraction: 0.3,
            upstream_switch_duration: (600, 6 * 3600),
            community_changes_per_day: 25.0,
            flapping_peers: 4,
            flap_episodes_per_peer: (1, 2),
            flaps_per_episode: (4, 10),
            flap_gap: (180, 1200),
            flap_down: (20, 240),
            session_resets: 1,
            session_reset_down: (540, 700),
            te_changes: 2,
            te_duration: (1800, 4 * 3600),
            quiet_before: 900,
            quiet_after: 1800,
        },
        ioda: IodaConfig {
            max_points: 2000,
            ping_base: 3,
            ping_up: 0.12,
            ping_down: 0.06,
            ping_null_rate: 0.003,
            merit_mean: 15.0,
            merit_amplitude: 6.0,
            merit_peak_hour_utc: 5.0,
            merit_noise: 3.5,
            merit_clamp: (5.0, 30.0),
            merit_null_rate: 0.008,
            merit_outage_stray: 0.15,
        },
        prefix_outages: Vec::new(),
        report_visibility: false,
    }
}

/// A scenario derived from kp-2025-06: same entity, peers, paths, dynamics and noise.
fn kp_variant(name: &str, description: &str, seed: u64) -> ScenarioConfig {
    let mut c = kp_2025_06();
    c.name = name.into();
    c.description = description.into();
    c.seed = seed;
    c
}

/// Only the TransTelecom link fails, for about three and a half hours; the peers that used it
/// move to China Unicom within about a minute, so every /24 stays visible.
pub fn kp_single_link() -> ScenarioConfig {
    let mut c = kp_variant(
        "kp-single-link",
        "North Korea (AS131279) loses only its TransTelecom (AS20485) link, on 2025-06-06 \
         17:28 UTC for about three and a half hours; the RIS peers that used it move to China \
         Unicom (AS4837) within about a minute and all four /24s stay visible",
        20_250_616,
    );
    if let Some(u) = c.upstream_mut(CHINA_UNICOM) {
        u.outages.clear();
    }
    if let Some(u) = c.upstream_mut(TRANSTELECOM) {
        u.outages = vec![LinkOutage::new(
            utc(2025, 6, 6, 17, 28, 40),
            40,
            utc(2025, 6, 6, 21, 2, 15),
            80,
        )];
    }
    // A peer that withdraws first always finds the China Unicom path, seconds later.
    c.dynamics.reannounce_after_withdraw = 1.0;
    c.dynamics.reannounce_delay = (3, 15);
    c.report_visibility = true;
    c
}

/// Both links decay peer by peer over two hours (each RIS peer loses each link at its own,
/// uniformly spread moment) until nobody has a route; the links return at night.
pub fn kp_slow_decay() -> ScenarioConfig {
    let mut c = kp_variant(
        "kp-slow-decay",
        "North Korea (AS131279): from 2025-06-06 16:00 UTC the routes are lost RIS peer by RIS \
         peer over about two hours, not withdrawn everywhere at once, until no peer has any; \
         China Unicom and TransTelecom return on 2025-06-07 ~02:30 UTC",
        20_250_626,
    );
    let start = utc(2025, 6, 6, 16, 0, 0);
    let decay = |up_at: i64, announce_spread: i64| LinkOutage {
        down_at: start,
        withdraw_spread: 2 * 3600,
        up_at,
        announce_spread,
        shape: Spread::Uniform,
    };
    if let Some(u) = c.upstream_mut(CHINA_UNICOM) {
        u.outages = vec![decay(utc(2025, 6, 7, 2, 27, 30), 100)];
    }
    if let Some(u) = c.upstream_mut(TRANSTELECOM) {
        u.outages = vec![decay(utc(2025, 6, 7, 2, 34, 10), 80)];
    }
    // Path hunting lasts seconds, not the hour a reaction may take here: rarer.
    c.dynamics.path_hunt = 0.1;
    c.report_visibility = true;
    c
}

/// Start of the flapping hour of kp-flapping, and the flaps: seconds withdrawn, then seconds
/// announced before the next withdrawal.
const FLAP_START: (u32, u32) = (17, 30);
const FLAPS: [(i64, i64); 8] = [
    (240, 270),
    (200, 240),
    (280, 300),
    (220, 210),
    (260, 330),
    (190, 260),
    (250, 240),
    (230, 0),
];

/// One /24 flaps for an hour (withdrawn by the origin, back a few minutes later, eight times);
/// the links and the other three /24s stay up.
pub fn kp_flapping() -> ScenarioConfig {
    let mut c = kp_variant(
        "kp-flapping",
        "North Korea (AS131279): 175.45.178.0/24 flaps on 2025-06-06 from 17:30 UTC for about an \
         hour, withdrawn everywhere and back a few minutes later, eight times; the other three \
         /24s and both upstream links stay up",
        20_250_636,
    );
    for u in &mut c.upstreams {
        u.outages.clear();
    }
    let prefix = c.entity.prefixes.get(2).cloned().unwrap_or_default();
    let mut t = utc(2025, 6, 6, FLAP_START.0, FLAP_START.1, 0);
    for (down, up) in FLAPS {
        c.prefix_outages.push(PrefixOutage {
            prefixes: vec![prefix.clone()],
            outage: LinkOutage::new(t, 30, t + down, 40),
        });
        t += down + up;
    }
    c
}

/// kp-2025-06's outage in the middle of a week of everyday noise.
pub fn kp_7day() -> ScenarioConfig {
    let mut c = kp_variant(
        "kp-7day",
        "North Korea (AS131279) over seven days, 2025-06-03 to 2025-06-10, with everyday \
         routing noise; in the middle, TransTelecom then China Unicom fail on 2025-06-06 ~17:30 \
         UTC and all four /24s are unreachable for about nine hours",
        20_250_603,
    );
    c.window_start = utc(2025, 6, 3, 0, 0, 0);
    c.window_end = utc(2025, 6, 10, 0, 0, 0);
    c.recorded_at = utc(2025, 6, 11, 8, 42, 9);
    c.view = "/?asn=131279&from=2025-06-03T00:00Z&until=2025-06-10T00:00Z".into();
    // 2016 five-minute bins: maxPoints above that, so IODA answers at the native step.
    c.ioda.max_points = 3000;
    // Flapping peers and session resets are counted per window, not per day: more of them
    // for a week, so that every day has its withdrawals.
    c.noise.flapping_peers = 8;
    c.noise.flap_episodes_per_peer = (2, 3);
    c.noise.session_resets = 4;
    c
}

/// 2017-09-29 to 2017-10-03: China Unicom only, until TransTelecom starts to be announced as
/// an upstream of three of the four /24s and part of the RIS peers move to it.
pub fn kp_2017_transtelecom() -> ScenarioConfig {
    let mut c = kp_variant(
        "kp-2017-transtelecom",
        "North Korea (AS131279), 2017-09-29 to 2017-10-03: all routes via China Unicom (AS4837) \
         until 2017-10-01 09:07:51 UTC, when TransTelecom (AS20485) starts to be announced as a \
         second upstream for 175.45.176.0/24, 175.45.177.0/24 and 175.45.178.0/24 (not \
         175.45.179.0/24) and about a third of the RIS peers move to it",
        20_171_001,
    );
    c.window_start = utc(2017, 9, 29, 0, 0, 0);
    c.window_end = utc(2017, 10, 3, 0, 0, 0);
    c.recorded_at = utc(2025, 6, 12, 10, 3, 41);
    c.neighbours_query_time = utc(2017, 10, 2, 0, 0, 0);
    c.ris_peers_query_time = utc(2017, 9, 30, 16, 0, 0);
    c.view = "/?asn=131279&from=2017-09-29T00:00Z&until=2017-10-03T00:00Z".into();
    c.entity.origin_prepend.clear();
    let three: Vec<String> = c.entity.prefixes.iter().take(3).cloned().collect();
    if let Some(u) = c.upstream_mut(CHINA_UNICOM) {
        u.outages.clear();
        u.share = 0.68;
    }
    if let Some(u) = c.upstream_mut(TRANSTELECOM) {
        u.outages.clear();
        u.share = 0.32;
        u.announced_from = Some(LinkStart {
            at: utc(2017, 10, 1, 9, 7, 51),
            spread: 240,
        });
        u.prefixes = Some(three);
    }
    // RIS in 2017: fewer collectors (rrc22 and later did not exist) and peers, a smaller table.
    c.peers.collectors.retain(|&(rrc, _)| rrc < 22 || rrc == 23);
    c.peers.full_table_v4 = 190;
    c.peers.partial_v4 = 60;
    c.peers.partial_v4_with_routes = 14;
    c.peers.full_table_v6 = 120;
    c.peers.partial_v6 = 35;
    c.peers.full_v4_prefixes = (640_000, 700_000);
    c.peers.partial_v4_prefixes = (10, 250_000);
    c.peers.full_v6_prefixes = (38_000, 45_000);
    c.peers.partial_v6_prefixes = (3, 20_000);
    // About 75 % of a 2017 table (~670k IPv4, ~42k IPv6 routes).
    c.peers.v4_full_threshold = 500_000;
    c.peers.v6_full_threshold = 30_000;
    c
}

/// The synthetic large entity: a documentation ASN (RFC 5398).
pub const LARGE_ENTITY_ASN: u32 = 64_500;
/// Prefixes of the full-size large entity (the plan stops at the first /16 that reaches it).
pub const LARGE_ENTITY_PREFIXES: usize = 3_600;

/// A synthetic address plan in 10.0.0.0/8 (private, so no real network is implied), one /16
/// after another, each announced in one style: the /16 with a few more-specifics, sixteen
/// /20s, sixty-four /22s, or scattered /24s under an occasional /21. Returns (all prefixes,
/// the ones the outage takes down): every prefix of every twelfth /16 from the third on
/// (aggregates and more-specifics, so their /24s really go dark) and one more-specific under
/// each surviving /16 aggregate (lost as a route, still covered).
fn large_prefix_plan(seed: u64, target: usize) -> (Vec<String>, Vec<String>) {
    let mut rng = Rng::derive(seed, 0x706c_616e); // "plan"
    let mut all: Vec<(u32, u8)> = Vec::new();
    let mut down: Vec<(u32, u8)> = Vec::new();
    let mut block: u32 = 0;
    while all.len() < target && block < 256 {
        let base = (10u32 << 24) | (block << 16);
        let at = |sub: u64, len: u8| (base | ((sub as u32) << (32 - u32::from(len))), len);
        let mut mine: Vec<(u32, u8)> = Vec::new();
        let mut specific: Option<(u32, u8)> = None;
        match rng.below(10) {
            0 | 1 => {
                mine.push((base, 16));
                for _ in 0..rng.range(2, 12) {
                    let s = at(rng.below(256), 24);
                    specific.get_or_insert(s);
                    mine.push(s);
                }
                if rng.chance(0.5) {
                    mine.push(at(rng.below(16), 20));
                }
            }
            2..=4 => {
                for k in 0..16 {
                    mine.push(at(k, 20));
                }
                for _ in 0..rng.range(1, 5) {
                    let k = rng.below(16);
                    mine.push(if rng.chance(0.5) {
                        at(k * 4 + rng.below(4), 22)
                    } else {
                        at(k * 16 + rng.below(16), 24)
                    });
                }
            }
            5 | 6 => {
                for k in 0..64 {
                    mine.push(at(k, 22));
                }
                for _ in 0..rng.range(0, 4) {
                    mine.push(at(rng.below(256), 24));
                }
            }
            _ => {
                for _ in 0..rng.range(60, 180) {
                    mine.push(at(rng.below(256), 24));
                }
                if rng.chance(0.4) {
                    mine.push(at(rng.below(32), 21));
                }
            }
        }
        mine.sort_unstable();
        mine.dedup();
        if block % 12 == 2 {
            down.extend_from_slice(&mine);
        } else if let Some(s) = specific {
            down.push(s);
        }
        all.extend(mine);
        block += 1;
    }
    all.sort_unstable();
    down.sort_unstable();
    down.dedup();
    let fmt = |v: Vec<(u32, u8)>| v.into_iter().map(|(a, l)| format_v4(a, l)).collect();
    (fmt(all), fmt(down))
}

/// The full-size large entity: about a million bgplay events over seven days.
pub fn large_entity() -> ScenarioConfig {
    large_entity_sized(LARGE_ENTITY_PREFIXES)
}

/// The large entity with about `target_prefixes` prefixes (events scale with it: most noise
/// moves every prefix of one peer, and the outage takes about 8 % of the prefixes).
pub fn large_entity_sized(target_prefixes: usize) -> ScenarioConfig {
    let seed = 64_500_007;
    let (prefixes, down) = large_prefix_plan(seed, target_prefixes);
    let slash24s = slash24_count(prefixes.iter().map(String::as_str));
    let base = kp_2025_06();
    let ups: [u32; 3] = [174, 1299, 3356];
    let pool = |v: &[u32]| -> Vec<u32> { v.iter().copied().filter(|a| !ups.contains(a)).collect() };
    let upstream = |asn: u32, name: &str, share: f64, neighbours: &[u32]| UpstreamConfig {
        asn,
        name: name.into(),
        share,
        neighbour_pool: pool(neighbours),
        self_prepend_fraction: 0.04,
        outages: Vec::new(),
        announced_from: None,
        prefixes: None,
    };
    let mut peers = base.peers.clone();
    // A RIS peer in the upstream's own AS would put the upstream twice in a path.
    peers.peer_as_pool.retain(|(a, _)| !ups.contains(a));
    ScenarioConfig {
        name: "large-entity".into(),
        description: format!(
            "SYNTHETIC large entity AS{LARGE_ENTITY_ASN} (a documentation ASN) with {} prefixes \
             in 10.0.0.0/8 (/16 to /24, some overlapping), three upstreams, 2025-06-03 to \
             2025-06-10 with everyday noise; the origin withdraws {} of its prefixes on \
             2025-06-07 08:12 UTC for about three hours",
            prefixes.len(),
            down.len()
        ),
        seed,
        window_start: utc(2025, 6, 3, 0, 0, 0),
        window_end: utc(2025, 6, 10, 0, 0, 0),
        recorded_at: utc(2025, 6, 11, 7, 30, 12),
        neighbours_query_time: utc(2025, 6, 5, 0, 0, 0),
        ris_peers_query_time: utc(2025, 6, 7, 8, 0, 0),
        view: format!("/?asn={LARGE_ENTITY_ASN}&from=2025-06-03T00:00Z&until=2025-06-10T00:00Z"),
        entity: EntityConfig {
            asn: LARGE_ENTITY_ASN,
            ioda_name: format!("AS{LARGE_ENTITY_ASN} (SYNTHETIC-LARGE)"),
            country_code: "ZZ".into(),
            country_name: "Synthetic Country".into(),
            country_signals_fqid: "geo.provider.AS.ZZ".into(),
            country_events_fqid: "geo.netacuity.AS.ZZ".into(),
            origin_prepend: vec![(1299, 5, 2), (3356, 17, 3)],
            prefixes,
        },
        upstreams: vec![
            upstream(
                174,
                "Cogent",
                0.4,
                &[
                    1299, 2914, 6939, 3257, 6453, 6762, 3491, 9002, 8220, 6830, 5511, 1273, 7018,
                    701,
                ],
            ),
            upstream(
                1299,
                "Arelion",
                0.35,
                &[
                    174, 2914, 6939, 3257, 6453, 6762, 3320, 9002, 8220, 13030, 34549, 20811, 1273,
                    5511,
                ],
            ),
            upstream(
                3356,
                "Lumen",
                0.25,
                &[
                    2914, 6939, 3257, 6453, 6762, 3491, 7018, 701, 6461, 7922, 2152, 11537,
                ],
            ),
        ],
        peers,
        paths: base.paths.clone(),
        dynamics: base.dynamics.clone(),
        noise: NoiseConfig {
            // Most of these move every prefix of one peer: with thousands of prefixes they make
            // most of the million events.
            path_changes_per_day: 10.0,
            upstream_switch_fraction: 0.3,
            upstream_switch_duration: (600, 6 * 3600),
            community_changes_per_day: 8.0,
            flapping_peers: 4,
            flap_episodes_per_peer: (1, 2),
            flaps_per_episode: (4, 10),
            flap_gap: (180, 1200),
            flap_down: (20, 240),
            session_resets: 6,
            session_reset_down: (540, 700),
            te_changes: 150,
            te_duration: (1800, 4 * 3600),
            quiet_before: 900,
            quiet_after: 1800,
        },
        ioda: IodaConfig {
            max_points: 3000,
            ping_base: slash24s * 3 / 10,
            ping_up: 0.12,
            ping_down: 0.06,
            ping_null_rate: 0.003,
            merit_mean: 2400.0,
            merit_amplitude: 700.0,
            merit_peak_hour_utc: 14.0,
            merit_noise: 180.0,
            merit_clamp: (900.0, 4200.0),
            merit_null_rate: 0.008,
            merit_outage_stray: 0.15,
        },
        prefix_outages: vec![PrefixOutage {
            prefixes: down,
            outage: LinkOutage::new(
                utc(2025, 6, 7, 8, 12, 0),
                90,
                utc(2025, 6, 7, 11, 20, 0),
                150,
            ),
        }],
        report_visibility: false,
    }
}
