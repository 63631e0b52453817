#!/usr/bin/env bash
# Benchmarks the analysis pipeline (parse + replay + series + detection + evidence + graph) on
# a generated, synthetic scenario: natively, then in headless Chromium against JSON.parse of
# the same bytes. The last line is the browser's `pipeline_vs_json_parse=<ratio>`.
# Usage: scripts/bench.sh [scenario]   (default kp-7day; any name gen-scenario knows)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
scenario=${1:-kp-7day}
echo "== native (release)"
cargo bench -q --bench pipeline -- "$scenario" | tee /tmp/outage-lens-bench-native.txt
echo "== browser (release build, headless Chromium)"
BENCH_SCENARIO=$scenario cargo test --release -p outage-lens --target wasm32-unknown-unknown \
  --test bench_browser -- --nocapture 2>&1 | tee /tmp/outage-lens-bench-browser.txt | grep -E "scenario=|browser " || true
ratio=$(grep -o 'browser pipeline_vs_json_parse=[0-9.]*' /tmp/outage-lens-bench-browser.txt | cut -d= -f2)
[ -n "$ratio" ] || { echo "the browser benchmark did not report" >&2; exit 1; }
echo "pipeline_vs_json_parse=$ratio"
