#!/usr/bin/env bash
# Release build of the app (dist/), the synthetic scenario and the API stand-in.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/trunk-release.sh
cargo run -q --release -p outage-lens-scenario --bin gen-scenario -- kp-2025-06 target/scenarios/kp-2025-06
# The synthetic country XZ, for the fan-out test (e2e/fanout.test.mjs).
cargo run -q --release -p outage-lens-scenario --bin gen-scenario -- xz-country target/scenarios/xz-country
cargo build -q --release -p outage-lens-standin
