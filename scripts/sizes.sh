#!/usr/bin/env bash
# Prints the release sizes (raw and brotli) and fails when the app exceeds its budget.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${BUDGET:-204800}   # 200 KB: wasm + JS + CSS, brotli
total=0
for f in dist/*.wasm dist/*.js dist/*.css; do
  raw=$(stat -c%s "$f"); br=$(brotli -c -q 11 "$f" | wc -c)
  total=$((total + br))
  printf '%-48s raw=%7d brotli=%7d\n' "$(basename "$f")" "$raw" "$br"
done
printf 'total brotli=%d budget=%d\n' "$total" "$BUDGET"
[ "$total" -le "$BUDGET" ] || { echo "over the size budget" >&2; exit 1; }
