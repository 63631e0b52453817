#!/usr/bin/env bash
# A release build that keeps the wasm's function names (wasm-bindgen's `data-keep-debug`, and
# wasm-opt's `-g` through KEEP_NAMES=1), into target/dist-prof: Chromium's profiles then name
# our functions. For finding what a long task runs (scripts/trace-page.mjs), never shipped.
set -euo pipefail
cd "$(dirname "$0")/.."
html=index-prof.html
trap 'rm -f "$html"' EXIT
sed 's/data-wasm-opt="0"/data-wasm-opt="0" data-keep-debug/' index.html > "$html"
KEEP_NAMES=1 bash scripts/trunk-release.sh --dist target/dist-prof "$html"
if [ -f target/dist-prof/"$html" ]; then mv target/dist-prof/"$html" target/dist-prof/index.html; fi
