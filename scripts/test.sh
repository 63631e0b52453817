#!/usr/bin/env bash
# Sets up what is missing, then runs every test: native (unit, samples, scenarios, robustness,
# stand-in, generator), a short fuzzing run, in-browser (wasm-bindgen-test, headless Chromium),
# and end to end (Playwright against the release build served by the stand-in). Ends with the
# release sizes, checked against the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
start=$SECONDS
step() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - start)); }

step "native tests"
cargo test --workspace --quiet

step "fuzzing (small budget; scripts/fuzz.sh SECONDS for longer)"
bash scripts/fuzz.sh 20

step "browser tests (wasm-bindgen-test, headless Chromium)"
cargo test -p outage-lens --target wasm32-unknown-unknown --test browser

step "release build, scenario, stand-in"
bash scripts/build.sh

step "CSP: connect-src follows config.json"
python3 scripts/test_csp.py

step "end-to-end tests (Playwright, headless Chromium)"
node --test e2e/

step "release sizes (fails over the 200 KB budget)"
STRICT=1 bash scripts/sizes.sh
printf '\nall tests passed in %ds\n' $((SECONDS - start))
