//! What a scenario is made of. Every knob that shapes the recording (peer counts, upstream
//! shares, link failure times, reaction probabilities, noise rates) lives here, so new
//! scenarios (a single link lost, a slow peer-by-peer decay, a flapping prefix, a 7-day
//! window, a large entity) are new constructor functions, not generator changes.

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
        let f = match self {
            Spread::SkewedEarly => x * x.sqrt(),
            Spread::Uniform => x,
        };
        (spread as f64 * f).round() as i64
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
    &["kp-2025-06"]
}

/// Configuration of a scenario by name.
pub fn by_name(name: &str) -> Option<ScenarioConfig> {
    match name {
        "kp-2025-06" => Some(kp_2025_06()),
        _ => None,
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
