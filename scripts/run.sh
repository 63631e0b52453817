#!/usr/bin/env bash
# Sets up everything, builds, and serves the app with the synthetic North Korea scenario on
# http://127.0.0.1:8080/ (override with ADDR=host:port). `--data DIR` serves other recorded
# responses instead (layout: tools/standin/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
data=target/scenarios/kp-2025-06
if [ "${1:-}" = "--data" ] && [ -n "${2:-}" ]; then data=$2; fi
bash scripts/setup.sh
bash scripts/build.sh
echo "Open http://${ADDR:-127.0.0.1:8080}/?asn=131279&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z"
exec target/release/standin --data "$data" --app dist --addr "${ADDR:-127.0.0.1:8080}"
