//! gen-scenario [NAME] OUTDIR: writes a synthetic scenario's files (bgplay streamed, so the
//! large entity stays within memory) and prints a summary of its ground truth.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use outage_lens_scenario::{by_name, country, scenario_names, simulate, time::iso_z};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (name, out) = match args.as_slice() {
        [out] => ("kp-2025-06".to_string(), out.clone()),
        [name, out] => (name.clone(), out.clone()),
        _ => {
            eprintln!(
                "usage: gen-scenario [NAME] OUTDIR   (NAME: {}, {}; default kp-2025-06)",
                scenario_names().join(", "),
                country::NAME
            );
            return ExitCode::from(2);
        }
    };
    // The synthetic country is several networks, not one scenario configuration.
    if name == country::NAME {
        return match country::write_to(&PathBuf::from(&out)) {
            Ok(files) => {
                println!(
                    "{} (SYNTHETIC country {}): {} files written to {out}",
                    country::NAME,
                    country::CODE,
                    files.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("gen-scenario: writing {out}: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let Some(cfg) = by_name(&name) else {
        eprintln!(
            "gen-scenario: unknown scenario {name:?} (known: {})",
            scenario_names().join(", ")
        );
        return ExitCode::from(2);
    };
    let started = Instant::now();
    let g = simulate(&cfg);
    let simulated = started.elapsed();
    let dir = PathBuf::from(&out);
    if let Err(e) = g.write_to(&dir) {
        eprintln!("gen-scenario: writing {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let t = &g.truth;
    let at = |v: Option<i64>| v.map_or_else(|| "-".to_string(), iso_z);
    let mut lines: Vec<String> = t
        .upstreams
        .iter()
        .map(|u| {
            let mut s = format!(
                "AS{} first W {} last W {} back {}..{}",
                u.asn,
                at(u.first_withdrawal),
                at(u.last_withdrawn),
                at(u.first_reannounce),
                at(u.last_reannounce)
            );
            if let Some(ps) = &u.announced_prefixes {
                s += &format!(
                    "; announced {}..{} for {}",
                    at(u.first_announced),
                    at(u.last_announced),
                    ps.join(" ")
                );
            }
            s
        })
        .collect();
    lines.push(format!(
        "all withdrawn {}; all restored {}",
        at(t.all_withdrawn),
        at(t.all_restored)
    ));
    if let Some(v) = &t.visibility {
        lines.push(format!(
            "visibility: first loss {}, below 50 % {}, none left {}, back above 50 % {}, \
             min {}/{} routes",
            at(v.first_loss),
            at(v.below_half),
            at(v.none_left),
            at(v.above_half_again),
            v.min_routes,
            v.routes_possible
        ));
    }
    for o in &t.prefix_outages {
        let what = match o.prefixes.as_slice() {
            [one] => one.clone(),
            many => format!("{} prefixes ({} /24s lost)", many.len(), o.slash24s_lost),
        };
        lines.push(format!(
            "{what} first W {} withdrawn everywhere {} back {} restored {}",
            at(o.first_withdrawal),
            at(o.all_withdrawn),
            at(o.first_reannounce),
            at(o.all_restored)
        ));
    }
    println!(
        "{} (seed {}, SYNTHETIC): {} prefixes; {} bgplay events; {} full-table peers ({} \
         partial, {} with routes); written to {}\n  {}",
        cfg.name,
        cfg.seed,
        cfg.entity.prefixes.len(),
        g.recording.events.len(),
        t.full_table_peer_count,
        t.partial_peer_count,
        t.partial_peers_with_routes,
        dir.display(),
        lines.join("\n  ")
    );
    eprintln!(
        "gen-scenario: simulated in {:.2} s, total {:.2} s",
        simulated.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
