#!/usr/bin/env bash
# Builds the site (release WASM, hashed and precompressed, into target/site)
# and the server binary. `--release` builds the server with full
# optimisation (slow: ~25 min clean); the default is a quick dev build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

PROFILE=dev
[ "${1:-}" = "--release" ] && PROFILE=release

# The WASM is always release: it is what a phone downloads.
cargo leptos build --release --precompress --frontend-only --split
# cargo-leptos writes the hash list beside the (release) server binary; the
# server reads it from the site root instead, so the two builds stay apart.
cp "$CARGO_TARGET_DIR/release/hash.txt" target/site/hash.txt

if [ "$PROFILE" = release ]; then
  cargo build -p server --release
  echo "$CARGO_TARGET_DIR/release/server" > target/server-bin
else
  cargo build -p server
  echo "$CARGO_TARGET_DIR/debug/server" > target/server-bin
fi
