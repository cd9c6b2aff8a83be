#!/usr/bin/env bash
# The benchmark command: runs every benchmark, prints the figures and rewrites
# the "Latest run" section of BENCHMARKS.md (between its markers) with them,
# the date and the commit. ~10 min on the project's machine once the release
# builds are cached (the first release build of SurrealDB takes ~25 min).
#
#   scripts/bench.sh                 everything below
#   scripts/bench.sh --build-times   also incremental rebuild times (touches a page)
#   scripts/bench.sh --clean         also clean builds in a fresh target dir (~15 min more)
#
# Benchmarks run in release, in their own target dir (BENCH_TARGET_DIR,
# default target/bench) so they do not evict the dev build the tests use.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh >/dev/null

BENCH_TARGET_DIR="${BENCH_TARGET_DIR:-$PWD/target/bench}"
OUT=$(mktemp)
START=$(date +%s)
secs() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1; awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
say() { echo "$@" | tee -a "$OUT"; }
example() { CARGO_TARGET_DIR="$BENCH_TARGET_DIR" cargo run -q --release -p server --example "$@" 2>/dev/null; }

echo "building (release WASM and dev server; release benchmark examples)…" >&2
scripts/build.sh >/dev/null 2>&1
CARGO_TARGET_DIR="$BENCH_TARGET_DIR" cargo build -q --release -p server --examples 2>/dev/null

say "Run on $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(date -u +%Y-%m-%d), commit \`$(git rev-parse --short HEAD)\`$(git diff --quiet HEAD -- app server || echo ' with local changes'), by \`scripts/bench.sh\`."
say

if [ "${1:-}" = "--clean" ]; then
  CLEAN_DIR=$(mktemp -d)
  say "- clean WASM release build: $(CARGO_TARGET_DIR=$CLEAN_DIR secs cargo leptos build --release --precompress --frontend-only --split) s"
  say "- clean dev server build: $(CARGO_TARGET_DIR=$CLEAN_DIR secs cargo build -p server) s"
  rm -rf "$CLEAN_DIR"
fi
if [ "${1:-}" = "--build-times" ]; then
  touch app/src/pages/home.rs
  say "- release WASM rebuild after editing a page: $(secs cargo leptos build --release --precompress --frontend-only --split) s"
  cp "$CARGO_TARGET_DIR/release/hash.txt" target/site/hash.txt
  touch app/src/pages/home.rs
  say "- dev server rebuild after editing a page: $(secs cargo build -p server) s"
  say
fi

say "### 1. What a phone downloads (release build, \`target/site/pkg\`)"
say
say "The server sends the \`.br\` (or \`.gz\`) file the build precompressed, with \`Cache-Control: public, max-age=31536000, immutable\` for these hashed names; no WASM goes out uncompressed to a browser that accepts brotli or gzip (\`server/tests/demo_and_pages.rs\`, \`end2end/tests/foundation.test.mjs\`)."
say
say "| Asset | Raw | gzip | brotli |"
say "|---|---:|---:|---:|"
parts=0; praw=0; pgz=0; pbr=0
for f in target/site/pkg/*; do
  case "$f" in *.gz|*.br) continue;; esac
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(stat -c %s "$f.gz" 2>/dev/null || echo 0); br=$(stat -c %s "$f.br" 2>/dev/null || echo 0)
  name=$(basename "$f")
  case "$name" in
    thidua*.wasm|thidua*.js|thidua*.css|*.css) say "| \`$name\` | $raw | $gz | $br |";;
    *) parts=$((parts+1)); praw=$((praw+raw)); pgz=$((pgz+gz)); pbr=$((pbr+br));;
  esac
done
say "| $parts lazy route parts (WASM and JS), all together | $praw | $pgz | $pbr |"
say

say "### 2–3. Sync ingest over HTTP, and the raw engine ceiling"
say
say "\`cargo run --release -p server --example ingest_bench\`: embedded SurrealKV in a temp dir, the real router on loopback."
say
example ingest_bench | tee -a "$OUT"
say
say "Bytes and a 500-report queue (\`--example sync_bench\`):"
say
example sync_bench | sed 's/^/    /' | tee -a "$OUT"
say

say "### 4. Consolidation and leaderboards with the whole country"
say
say "\`cargo run --release -p server --example consolidation_bench\` (synthetic catalogue of 63 provinces, 693 districts, 10,395 communes; a year of monthly reports from every commune):"
say
example consolidation_bench | sed 's/^/- /' | tee -a "$OUT"
say

say "### Two levels of local government: catalogue, mapping, a province's consolidation"
say
say "\`cargo run --release -p server --example reform_bench\` (the pre-2025 country, today's two-level country dated 1/7/2025 with reused codes, the old→new mapping; a 100-commune province's consolidation page with a year of reports):"
say
example reform_bench | sed 's/^/- /' | tee -a "$OUT"
say

say "### Meeting displays"
say
say "\`cargo run --release -p server --example display_bench\`:"
say
example display_bench | sed 's/^/- /' | tee -a "$OUT"
say

say "### Evidence files"
say
say "\`cargo run --release -p server --example files_bench\` (files in a directory beside embedded SurrealKV, the real router on loopback):"
say
example files_bench | sed 's/^/- /' | tee -a "$OUT"
say

say "### Phone (Debian Chromium)"
say
THIDUA_SERVER_BIN=$(cat target/server-bin) THIDUA_SITE_ROOT=$PWD/target/site node end2end/bench/phone.mjs 2>/dev/null | grep -v WARN | sed 's/^/- /' | tee -a "$OUT"
say

say "### Cluster mode"
say
say "\`cargo test -p server --features app/ssr --test cluster -- --nocapture\` (a \`surreal\` server built from crates.io, two app processes over \`ws://\`):"
say
cargo test -q -p server --features app/ssr --test cluster -- --nocapture 2>/dev/null | grep '^cluster mode' | sed 's/^/- /' | tee -a "$OUT"
say

say "Total time of this run: $(( $(date +%s) - START )) s."

# Replace the generated section of BENCHMARKS.md.
node -e '
const fs = require("fs");
const [file, gen] = [process.argv[1], fs.readFileSync(process.argv[2], "utf8")];
const md = fs.readFileSync(file, "utf8");
const a = "<!-- bench:start -->", b = "<!-- bench:end -->";
const i = md.indexOf(a), j = md.indexOf(b);
if (i < 0 || j < i) { console.error("BENCHMARKS.md has no bench markers"); process.exit(1); }
fs.writeFileSync(file, md.slice(0, i + a.length) + "\n" + gen + "\n" + md.slice(j));
' BENCHMARKS.md "$OUT"
rm -f "$OUT"
echo "BENCHMARKS.md updated." >&2
