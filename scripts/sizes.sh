#!/usr/bin/env bash
# Prints the release sizes (raw and brotli) against the 200 KB budget. STRICT=1 (as
# scripts/test.sh runs it) makes going over the budget an error.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${BUDGET:-204800}   # 200 KB: wasm + JS + CSS, brotli
total=0
for f in $(find dist -name "*.wasm" -o -name "*.js" -o -name "*.css" | sort); do
  raw=$(stat -c%s "$f"); br=$(brotli -c -q 11 "$f" | wc -c)
  total=$((total + br))
  printf '%-64s raw=%7d brotli=%7d\n' "${f#dist/}" "$raw" "$br"
done
printf 'total brotli=%d budget=%d\n' "$total" "$BUDGET"
if [ "$total" -gt "$BUDGET" ]; then
  echo "OVER BUDGET by $((total - BUDGET)) bytes"
  [ "${STRICT:-0}" = 1 ] && exit 1
fi
exit 0
