#!/usr/bin/env bash
# Prints build times and the sizes of what a phone downloads.
#   scripts/bench.sh           incremental build times + asset sizes (+ first visit, if the
#                              browser tests have run and left end2end/artifacts/first-visit.json)
#   scripts/bench.sh --clean   also clean builds, in a fresh target dir (slow: ~15 min)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

secs() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1; awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

if [ "${1:-}" = "--clean" ]; then
  CLEAN_DIR=$(mktemp -d)
  echo "clean WASM release build (cargo leptos build --release --precompress --frontend-only): $(CARGO_TARGET_DIR=$CLEAN_DIR secs cargo leptos build --release --precompress --frontend-only) s"
  echo "clean dev server build (cargo build -p server): $(CARGO_TARGET_DIR=$CLEAN_DIR secs cargo build -p server) s"
  rm -rf "$CLEAN_DIR"
fi

scripts/build.sh >/dev/null 2>&1
touch app/src/pages/home.rs
echo "incremental WASM rebuild after editing a page: $(secs cargo leptos build --release --precompress --frontend-only --split) s"
cp "$CARGO_TARGET_DIR/release/hash.txt" target/site/hash.txt
touch app/src/pages/home.rs
echo "incremental dev server rebuild after editing a page: $(secs cargo build -p server) s"

echo
printf '%-40s %10s %10s %10s\n' asset raw gzip brotli
for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
  [ -f "$f" ] || continue
  printf '%-40s %10d %10d %10d\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(stat -c %s "$f.gz" 2>/dev/null || echo 0)" "$(stat -c %s "$f.br" 2>/dev/null || echo 0)"
done

if [ -f end2end/artifacts/first-visit.json ]; then
  echo
  node -e 'const r=require("./end2end/artifacts/first-visit.json"); console.log(`first visit to / in Chromium: ${r.total} bytes on the wire, ${r.rows.length} requests`); for (const x of r.rows) console.log(`  ${String(x.bytes).padStart(8)}  ${x.encoding||"-"}  ${x.url}`)'
fi

echo
echo "sync (cargo run -p server --example sync_bench):"
cargo run -q -p server --example sync_bench 2>/dev/null

echo
echo "meeting displays (cargo run -p server --example display_bench):"
cargo run -q -p server --example display_bench 2>/dev/null

echo
echo "phone (end2end/bench/phone.mjs):"
THIDUA_SERVER_BIN=$(cat target/server-bin) THIDUA_SITE_ROOT=$PWD/target/site node end2end/bench/phone.mjs 2>/dev/null
