#!/usr/bin/env bash
# The large entity (synthetic) at growing sizes, natively and in headless Chromium: time per
# event (is the cost linear?) and, in the browser, the longest stretch the page's main thread
# is held while the answer is parsed and analysed in slices (the 50 ms rule).
# Usage: scripts/bench-large.sh [sizes in prefixes, comma-separated; default 450,900,1800,3600]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
sizes=${1:-450,900,1800,3600}
echo "== native (release)"
for n in ${sizes//,/ }; do
  BENCH_RUNS=3 cargo bench -q --bench pipeline -- "large-entity:$n" | grep -E "scenario=|typed_parse"
  # The longest stretch without a look at the clock. glibc's fastbins are off for it: freeing
  # millions of small blocks, then a large one, makes glibc consolidate them all at once (a
  # native artifact of hundreds of ms; the wasm allocator has no fastbins).
  GLIBC_TUNABLES=glibc.malloc.mxfast=0 BENCH_RUNS=1 BENCH_ONLY=parse \
    cargo bench -q --bench pipeline -- "large-entity:$n" | grep -E "paced_longest"
done
echo "== browser (release build, headless Chromium, paced as the page)"
BENCH_LARGE=$sizes WASM_BINDGEN_TEST_TIMEOUT=900 cargo test --release -p outage-lens --target wasm32-unknown-unknown \
  --test bench_browser -- --nocapture large_entity_in_slices 2>&1 | tee /tmp/outage-lens-bench-large.txt | grep -E "^large " || {
  echo "the browser benchmark did not report" >&2; exit 1; }
