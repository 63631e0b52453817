#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already present at the
# pinned version, so it is cheap to run on every CI start. Versions: see shared toolchain notes.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14
# The tools are only built once: a fast profile keeps that to minutes (the app uses its own profile).
fast_profile=(env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0)

log() { printf '[setup] %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding wasm32 target"; rustup target add wasm32-unknown-unknown
fi

# The release build's pinned nightly (scripts/trunk-release.sh), with std's source to build it.
release_toolchain=$(bash scripts/trunk-release.sh --toolchain)
if ! rustup +"$release_toolchain" component list --installed 2>/dev/null | grep -q '^rust-src' \
  || ! rustup +"$release_toolchain" target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "installing $release_toolchain (rust-src, wasm32) for the release build"
  rustup toolchain install "$release_toolchain" --profile minimal -c rust-src -t wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # --locked fails: a locked dependency is gone from the registry.
  "${fast_profile[@]}" cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION"
  "${fast_profile[@]}" cargo install trunk --version "$TRUNK_VERSION" --locked --no-default-features --force
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  log "installing chromium + chromedriver"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver brotli >/dev/null
fi
if ! command -v brotli >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli >/dev/null
fi

# wasm-opt 132 and playwright-core from npm (Debian's binaryen 108 breaks release builds).
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ]; then
  log "npm ci"; npm ci --no-audit --no-fund --loglevel=error
fi
log "ready"
