#!/usr/bin/env bash
# `trunk build --release` (arguments passed on) with std compiled for the app, not taken
# prebuilt, to fit the 200 KB budget. That needs a nightly toolchain, pinned
# here (RELEASE_TOOLCHAIN; scripts/setup.sh installs it). Everything else, tests and debug
# builds, stays on stable. Measured on the brotli total of dist/ (README, "Budgets"): std built
# with the app's profile -4.0 KB, its `optimize_for_size` feature -0.8 KB (a heapsort, no
# float-parsing fast path; neither is on the app's hot paths), -Zlocation-detail=none -4.6 KB
# (a panic logs its message and a stack of wasm offsets, not file:line), -Zfmt-debug=none
# -0.9 KB (`{:?}` prints nothing; the app formats no Debug outside tests), -Zinline-mir=no
# -0.1 KB.
set -euo pipefail
cd "$(dirname "$0")/.."
RELEASE_TOOLCHAIN=nightly-2026-05-20
if [ "${1:-}" = "--toolchain" ]; then echo "$RELEASE_TOOLCHAIN"; exit 0; fi
export PATH="$PWD/node_modules/.bin:$PATH"   # wasm-opt 132 from npm, never Debian's
export RUSTUP_TOOLCHAIN=$RELEASE_TOOLCHAIN
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
export RUSTFLAGS="-Zlocation-detail=none -Zfmt-debug=none -Zinline-mir=no"
exec trunk build --release "$@"
