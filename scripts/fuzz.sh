#!/usr/bin/env bash
# Robustness fuzzing: `scripts/fuzz.sh [seconds] [fuzzer options]` (default 60 s).
# Builds tools/fuzz in release and runs it for that long: every recorded sample, URL examples,
# generated bgplay answers and the synthetic scenario, mutated deterministically, through every
# parser and the analysis, each input under catch_unwind. Crashing inputs are saved under
# target/fuzz-crashes/. The last line printed is the fuzzer's `executions=<n> crashes=<m>`; the
# exit status is 0 only when m == 0. Extra options go to the fuzzer, e.g. `--seed 7`.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
[ $# -gt 0 ] && shift

# The workspace's release profile is the WASM app's: panic=abort, size-optimised, fat LTO. The
# fuzzer must catch panics (unwind), checks arithmetic overflow as a debug build does, and
# builds faster without LTO. Other release builds keep their own artifacts.
export CARGO_PROFILE_RELEASE_PANIC=unwind
export CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true
export CARGO_PROFILE_RELEASE_OPT_LEVEL=3
export CARGO_PROFILE_RELEASE_LTO=false
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

cargo build -q --release -p outage-lens-fuzz >&2
exec cargo run -q --release -p outage-lens-fuzz -- --seconds "$seconds" "$@"
