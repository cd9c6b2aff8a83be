#!/usr/bin/env bash
# Sets up and runs every test: Rust unit and integration tests (real
# SurrealDB, in memory and on disk), then the browser tests in Debian
# Chromium against the built app (release WASM).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

echo "== SurrealDB server for the cluster-mode test (built from crates.io; ~12 min once) =="
cargo build -p surreal-node
export THIDUA_SURREAL_BIN="$CARGO_TARGET_DIR/debug/surreal"

echo "== Rust tests (domain, store, importer, server, cluster mode) =="
# One invocation, so both packages resolve features together and share every
# compiled dependency (SurrealDB is built once). Built first, then run under
# a time limit: a test that hangs fails here in minutes (all take ~3) rather
# than at CI's 90-minute limit with nothing said.
cargo test -p app -p server --features app/ssr --no-run
timeout --kill-after=30s 20m cargo test -p app -p server --features app/ssr \
  || { rc=$?; [ "$rc" -ge 124 ] && echo "Rust tests stopped after 20 min: a test hangs (the last 'running for over 60 seconds' above names it)"; exit "$rc"; }

echo "== Build (release WASM, dev server) =="
scripts/build.sh

echo "== Release archive (packaged from the dev build), run with nothing else installed =="
scripts/release_smoke.sh "$(scripts/release.sh --dev)"

echo "== Browser tests (Debian Chromium, 360 px) =="
export THIDUA_SERVER_BIN="$(cat target/server-bin)"
export THIDUA_SITE_ROOT="$PWD/target/site"
(cd end2end && timeout --kill-after=30s 25m node --test --test-concurrency=1 tests/) \
  || { rc=$?; [ "$rc" -ge 124 ] && echo "Browser tests stopped after 25 min: one hangs"; exit "$rc"; }
