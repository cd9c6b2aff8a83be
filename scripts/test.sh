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
# compiled dependency (SurrealDB is built once).
cargo test -p app -p server --features app/ssr

echo "== Build (release WASM, dev server) =="
scripts/build.sh

echo "== Browser tests (Debian Chromium, 360 px) =="
export THIDUA_SERVER_BIN="$(cat target/server-bin)"
export THIDUA_SITE_ROOT="$PWD/target/site"
(cd end2end && node --test --test-concurrency=1 tests/)
