//! Outage Lens scenario generator: SYNTHETIC but realistic recordings of Internet outages in
//! the exact shapes of RIPEstat Data API and IODA API v2 answers, produced from code with a
//! fixed seed (byte-identical output for a given seed). Nothing here is recorded data; every
//! answer says so inside its own shape (RIPEstat `messages`, IODA `copyright`).

pub mod asdb;
pub mod bgp;
pub mod config;
pub mod ioda;
pub mod peers;
pub mod ripestat;
pub mod rng;
pub mod time;
pub mod truth;

use std::fs;
use std::io;
use std::path::Path;

use serde_json::{json, Value};

pub use config::{by_name, kp_2025_06, scenario_names, ScenarioConfig};
pub use truth::{GroundTruth, UpstreamTruth};

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

pub fn generate(cfg: &ScenarioConfig) -> Scenario {
    let peers = peers::build(cfg);
    let rec = bgp::simulate(cfg, &peers);
    let truth = truth::measure(cfg, &peers, &rec);
    let asn = cfg.entity.asn;

    let mut files = vec![
        (
            format!("ripestat/bgplay/AS{asn}.json"),
            ripestat::bgplay(cfg, &peers, &rec),
        ),
        (
            "ripestat/ris-peer-count/_default.json".to_string(),
            ripestat::ris_peer_count(cfg, &peers),
        ),
        (
            "ripestat/ris-peers/_default.json".to_string(),
            ripestat::ris_peers(cfg, &peers),
        ),
        (
            format!("ripestat/asn-neighbours/AS{asn}.json"),
            ripestat::asn_neighbours(cfg, &peers, &rec),
        ),
    ];
    let visible = ioda::visible_slash24s(cfg, &peers, &rec);
    let ents = ioda::entities(cfg);
    for ent in &ents {
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
    Scenario {
        config: cfg.clone(),
        files,
        truth,
        bgplay_events: rec.events.len(),
    }
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

impl Scenario {
    /// scenario.json: says it is synthetic, how it was made, and what really happened.
    pub fn manifest(&self) -> Value {
        let cfg = &self.config;
        let t = &self.truth;
        let iso = |v: Option<i64>| v.map(time::iso_z);
        let ups_utc: Vec<Value> = t
            .upstreams
            .iter()
            .map(|u| {
                json!({
                    "asn": u.asn,
                    "name": u.name,
                    "first_withdrawal": iso(u.first_withdrawal),
                    "last_withdrawn": iso(u.last_withdrawn),
                    "first_reannounce": iso(u.first_reannounce),
                    "last_reannounce": iso(u.last_reannounce),
                })
            })
            .collect();
        let files: Vec<Value> = self
            .files
            .iter()
            .map(|(p, _)| json!({"path": p, "url": api_url(cfg, p)}))
            .collect();
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
            "bgplay_events": self.bgplay_events,
            "truth": t,
            "truth_utc": {
                "upstreams": ups_utc,
                "all_withdrawn": iso(t.all_withdrawn),
                "all_restored": iso(t.all_restored),
            },
            "files": files,
            "config": cfg,
        })
    }

    pub fn readme(&self) -> String {
        let cfg = &self.config;
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

    /// Writes every answer (compact JSON), scenario.json and README.txt under `dir`.
    pub fn write_to(&self, dir: &Path) -> io::Result<()> {
        fs::create_dir_all(dir)?;
        for (rel, value) in &self.files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, serde_json::to_vec(value).map_err(io::Error::other)?)?;
        }
        let manifest = serde_json::to_vec_pretty(&self.manifest()).map_err(io::Error::other)?;
        fs::write(dir.join("scenario.json"), manifest)?;
        fs::write(dir.join("README.txt"), self.readme())?;
        Ok(())
    }
}
