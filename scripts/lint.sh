#!/usr/bin/env bash
# The house style, as CI checks it: rustfmt (rustfmt.toml) and clippy with
# warnings as errors, for both builds of the app: the server's (`ssr`, with
# the tests) and the phone's (`hydrate`, WASM).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
for c in rustfmt clippy; do
  rustup component list --installed | grep -q "^$c" || rustup component add "$c"
done
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

echo "== cargo fmt --check =="
cargo fmt --all --check
echo "== clippy: server build and tests (ssr) =="
cargo clippy -p app -p server --features app/ssr --all-targets -- -D warnings
echo "== clippy: phone build (hydrate, wasm32) =="
cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
