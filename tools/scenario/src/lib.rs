//! Outage Lens scenario generator: SYNTHETIC but realistic recordings of Internet outages in
//! the exact shapes of RIPEstat Data API and IODA API v2 answers, produced from code with a
//! fixed seed (byte-identical output for a given seed). Nothing here is recorded data; every
//! answer says so inside its own shape (RIPEstat `messages`, IODA `copyright`).

pub mod asdb;
pub mod bgp;
pub mod config;
pub mod country;
pub mod ioda;
pub mod peers;
pub mod prefix;
pub mod ripestat;
pub mod rng;
pub mod time;
pub mod truth;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde_json::{json, Value};

pub use config::{
    by_name, kp_2017_transtelecom, kp_2025_06, kp_7day, kp_flapping, kp_single_link, kp_slow_decay,
    large_entity, large_entity_sized, scenario_names, ScenarioConfig,
};
pub use truth::{GroundTruth, PrefixOutageTruth, UpstreamTruth, VisibilityTruth};

pub const GENERATOR: &str = "outage-lens-scenario";
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A generated scenario: API answers by relative path, and what really happened in them.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub config: ScenarioConfig,
    /// (relative path, JSON answer), e.g. ("ripestat/bgplay/AS131279.json", {...}).
    pub files: Vec<(String, Value)>,
    pub truth: GroundTruth,
    /// Number of bgplay events (for summaries).
    pub bgplay_events: usize,
}

/// A simulated scenario before its answers are rendered: the peers, the BGP recording and
/// the ground truth. `into_scenario` builds every answer as a `Value`; `write_to` streams
/// them to files (what a large entity needs: its bgplay answer is hundreds of megabytes).
#[derive(Clone, Debug)]
pub struct Generated {
    pub config: ScenarioConfig,
    pub peers: Vec<peers::RisPeer>,
    pub recording: bgp::Recording,
    pub truth: GroundTruth,
}

/// Simulates a scenario (peers, events, ground truth) without rendering any answer.
pub fn simulate(cfg: &ScenarioConfig) -> Generated {
    let peers = peers::build(cfg);
    let recording = bgp::simulate(cfg, &peers);
    let truth = truth::measure(cfg, &peers, &recording);
    Generated {
        config: cfg.clone(),
        peers,
        recording,
        truth,
    }
}

pub fn generate(cfg: &ScenarioConfig) -> Scenario {
    simulate(cfg).into_scenario()
}

impl Generated {
    fn bgplay_path(&self) -> String {
        format!("ripestat/bgplay/AS{}.json", self.config.entity.asn)
    }

    /// Every answer but bgplay, in file order.
    fn other_files(&self) -> Vec<(String, Value)> {
        let (cfg, peers, rec) = (&self.config, &self.peers, &self.recording);
        let asn = cfg.entity.asn;
        let mut files = vec![
            (
                "ripestat/ris-peer-count/_default.json".to_string(),
                ripestat::ris_peer_count(cfg, peers),
            ),
            (
                "ripestat/ris-peers/_default.json".to_string(),
                ripestat::ris_peers(cfg, peers),
            ),
            (
                format!("ripestat/asn-neighbours/AS{asn}.json"),
                ripestat::asn_neighbours(cfg, peers, rec),
            ),
        ];
        let visible = ioda::visible_slash24s(cfg, peers, rec);
        for ent in &ioda::entities(cfg) {
            let s = ioda::series(cfg, ent, &visible);
            files.push((
                format!("ioda/signals/raw/{}/{}.json", ent.entity_type, ent.code),
                ioda::signals(cfg, ent, &s),
            ));
            files.push((
                format!("ioda/outages/events/{}/{}.json", ent.entity_type, ent.code),
                ioda::events(cfg, ent, &s),
            ));
        }
        files
    }

    /// Every answer as a `Value` (bgplay first).
    pub fn into_scenario(self) -> Scenario {
        let bgplay = ripestat::bgplay(&self.config, &self.peers, &self.recording);
        let mut files = vec![(self.bgplay_path(), bgplay)];
        files.extend(self.other_files());
        Scenario {
            bgplay_events: self.recording.events.len(),
            config: self.config,
            files,
            truth: self.truth,
        }
    }

    /// Writes the same files as `Scenario::write_to`, byte for byte, streaming the bgplay
    /// answer instead of building it in memory.
    pub fn write_to(&self, dir: &Path) -> io::Result<()> {
        let bgplay = self.bgplay_path();
        let path = dir.join(&bgplay);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut w = BufWriter::with_capacity(1 << 20, fs::File::create(&path)?);
        ripestat::write_bgplay(&mut w, &self.config, &self.peers, &self.recording)
            .map_err(io::Error::other)?;
        w.flush()?;
        let files = self.other_files();
        write_values(dir, &files)?;
        let paths: Vec<&str> = std::iter::once(bgplay.as_str())
            .chain(files.iter().map(|(p, _)| p.as_str()))
            .collect();
        let m = manifest(
            &self.config,
            &self.truth,
            &paths,
            self.recording.events.len(),
        );
        write_extras(dir, &m, &readme(&self.config))
    }
}

fn write_values(dir: &Path, files: &[(String, Value)]) -> io::Result<()> {
    for (rel, value) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, serde_json::to_vec(value).map_err(io::Error::other)?)?;
    }
    Ok(())
}

fn write_extras(dir: &Path, manifest: &Value, readme: &str) -> io::Result<()> {
    let m = serde_json::to_vec_pretty(manifest).map_err(io::Error::other)?;
    fs::write(dir.join("scenario.json"), m)?;
    fs::write(dir.join("README.txt"), readme)
}

/// The real API URL a file stands for (for the stand-in and for people reading the manifest).
fn api_url(cfg: &ScenarioConfig, path: &str) -> String {
    let (s, e) = (cfg.window_start, cfg.window_end);
    let asn = cfg.entity.asn;
    let rs = "https://stat.ripe.net/data";
    let io = "https://api.ioda.inetintel.cc.gatech.edu/v2";
    let mut parts = path.trim_end_matches(".json").split('/');
    match (parts.next(), parts.next()) {
        (Some("ripestat"), Some("bgplay")) => format!(
            "{rs}/bgplay/data.json?resource=AS{asn}&starttime={s}&endtime={e}&unix_timestamps=TRUE"
        ),
        (Some("ripestat"), Some("ris-peer-count")) => {
            format!("{rs}/ris-peer-count/data.json?starttime={s}&endtime={e}")
        }
        (Some("ripestat"), Some("ris-peers")) => format!(
            "{rs}/ris-peers/data.json?query_time={}",
            time::iso(cfg.ris_peers_query_time)
        ),
        (Some("ripestat"), Some("asn-neighbours")) => format!(
            "{rs}/asn-neighbours/data.json?resource=AS{asn}&query_time={}",
            time::iso(cfg.neighbours_query_time)
        ),
        (Some("ioda"), Some("signals")) => {
            let rest: Vec<&str> = parts.collect();
            format!("{io}/signals/{}?from={s}&until={e}", rest.join("/"))
        }
        (Some("ioda"), Some("outages")) => {
            let rest: Vec<&str> = parts.collect();
            match rest.as_slice() {
                [_, t, c] => format!(
                    "{io}/outages/events?entityType={t}&entityCode={c}&from={s}&until={e}&format=ioda"
                ),
                _ => String::new(),
            }
        }
        _ => String::new(),
    }
}

/// scenario.json: says it is synthetic, how it was made, and what really happened.
fn manifest(cfg: &ScenarioConfig, t: &GroundTruth, paths: &[&str], bgplay_events: usize) -> Value {
    let iso = |v: Option<i64>| v.map(time::iso_z);
    let ups_utc: Vec<Value> = t
        .upstreams
        .iter()
        .map(|u| {
            let mut v = json!({
                "asn": u.asn,
                "name": u.name,
                "first_withdrawal": iso(u.first_withdrawal),
                "last_withdrawn": iso(u.last_withdrawn),
                "first_reannounce": iso(u.first_reannounce),
                "last_reannounce": iso(u.last_reannounce),
            });
            if u.announced_prefixes.is_some() {
                v["first_announced"] = json!(iso(u.first_announced));
                v["last_announced"] = json!(iso(u.last_announced));
                v["announced_prefixes"] = json!(u.announced_prefixes);
            }
            v
        })
        .collect();
    let files: Vec<Value> = paths
        .iter()
        .map(|p| json!({"path": p, "url": api_url(cfg, p)}))
        .collect();
    let mut truth_utc = json!({
        "upstreams": ups_utc,
        "all_withdrawn": iso(t.all_withdrawn),
        "all_restored": iso(t.all_restored),
    });
    if let Some(v) = &t.visibility {
        truth_utc["visibility"] = json!({
            "first_loss": iso(v.first_loss),
            "below_half": iso(v.below_half),
            "none_left": iso(v.none_left),
            "above_half_again": iso(v.above_half_again),
        });
    }
    if !t.prefix_outages.is_empty() {
        truth_utc["prefix_outages"] = t
            .prefix_outages
            .iter()
            .map(|o| {
                json!({
                    "prefix_count": o.prefixes.len(),
                    "first_withdrawal": iso(o.first_withdrawal),
                    "all_withdrawn": iso(o.all_withdrawn),
                    "first_reannounce": iso(o.first_reannounce),
                    "all_restored": iso(o.all_restored),
                })
            })
            .collect();
    }
    json!({
        "synthetic": true,
        "notice": "Every file of this scenario is SYNTHETIC: generated by code from a fixed \
                   seed, not recorded from RIPEstat or IODA.",
        "name": cfg.name,
        "description": cfg.description,
        "seed": cfg.seed,
        "generator": {"name": GENERATOR, "version": GENERATOR_VERSION},
        "window": {
            "start": cfg.window_start,
            "end": cfg.window_end,
            "start_utc": time::iso_z(cfg.window_start),
            "end_utc": time::iso_z(cfg.window_end),
        },
        "view": cfg.view,
        "bgplay_events": bgplay_events,
        "truth": t,
        "truth_utc": truth_utc,
        "files": files,
        "config": cfg,
    })
}

fn readme(cfg: &ScenarioConfig) -> String {
    format!(
        "SYNTHETIC DATA - NOT RECORDED\n\
         \n\
         Every file in this folder is synthetic. It was generated by code ({GENERATOR} \
         {GENERATOR_VERSION}, scenario {name}, seed {seed}); none of it was recorded from \
         RIPEstat, RIS or IODA. The files have the shapes of real API answers so that Outage \
         Lens can be tested against them, and each answer says it is synthetic inside its own \
         shape (RIPEstat: messages; IODA: copyright).\n\
         \n\
         Scenario: {desc}.\n\
         The times in scenario.json (\"truth\") are what happened in these files, not a claim \
         about the real event.\n\
         \n\
         Regenerate: cargo run -p {GENERATOR} --bin gen-scenario -- {name} OUTDIR\n",
        name = cfg.name,
        seed = cfg.seed,
        desc = cfg.description,
    )
}

impl Scenario {
    /// scenario.json: says it is synthetic, how it was made, and what really happened.
    pub fn manifest(&self) -> Value {
        let paths: Vec<&str> = self.files.iter().map(|(p, _)| p.as_str()).collect();
        manifest(&self.config, &self.truth, &paths, self.bgplay_events)
    }

    pub fn readme(&self) -> String {
        readme(&self.config)
    }

    /// Writes every answer (compact JSON), scenario.json and README.txt under `dir`.
    pub fn write_to(&self, dir: &Path) -> io::Result<()> {
        fs::create_dir_all(dir)?;
        write_values(dir, &self.files)?;
        write_extras(dir, &self.manifest(), &self.readme())
    }
}
