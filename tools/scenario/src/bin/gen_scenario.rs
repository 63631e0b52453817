//! gen-scenario [NAME] OUTDIR: writes a synthetic scenario's files and prints one summary line.

use std::path::PathBuf;
use std::process::ExitCode;

use outage_lens_scenario::{by_name, generate, scenario_names, time::iso_z};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (name, out) = match args.as_slice() {
        [out] => ("kp-2025-06".to_string(), out.clone()),
        [name, out] => (name.clone(), out.clone()),
        _ => {
            eprintln!(
                "usage: gen-scenario [NAME] OUTDIR   (NAME: {}; default kp-2025-06)",
                scenario_names().join(", ")
            );
            return ExitCode::from(2);
        }
    };
    let Some(cfg) = by_name(&name) else {
        eprintln!(
            "gen-scenario: unknown scenario {name:?} (known: {})",
            scenario_names().join(", ")
        );
        return ExitCode::from(2);
    };
    let sc = generate(&cfg);
    let dir = PathBuf::from(&out);
    if let Err(e) = sc.write_to(&dir) {
        eprintln!("gen-scenario: writing {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let t = &sc.truth;
    let at = |v: Option<i64>| v.map_or_else(|| "-".to_string(), iso_z);
    let ups: Vec<String> = t
        .upstreams
        .iter()
        .map(|u| {
            format!(
                "AS{} first W {} last W {} back {}..{}",
                u.asn,
                at(u.first_withdrawal),
                at(u.last_withdrawn),
                at(u.first_reannounce),
                at(u.last_reannounce)
            )
        })
        .collect();
    println!(
        "{} (seed {}, SYNTHETIC): {} files + scenario.json + README.txt in {}; {} bgplay events; \
         {} full-table peers ({} partial, {} with routes); {}; all withdrawn {}; all restored {}",
        cfg.name,
        cfg.seed,
        sc.files.len(),
        dir.display(),
        sc.bgplay_events,
        t.full_table_peer_count,
        t.partial_peer_count,
        t.partial_peers_with_routes,
        ups.join("; "),
        at(t.all_withdrawn),
        at(t.all_restored)
    );
    ExitCode::SUCCESS
}
