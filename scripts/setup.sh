#!/usr/bin/env bash
# Installs what building and testing Thi Đua needs, from the package
# registries only (crates.io, npm, Debian). Idempotent: quick when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. The WASM target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. cargo-leptos, built so that it never downloads tools (they come from PATH).
CARGO_LEPTOS_VERSION=0.3.10
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (no_downloads; ~18 min on 2 cores)"
  cargo install cargo-leptos --version "=$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

# 3. wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WB_VERSION\$"; then
  say "installing wasm-bindgen-cli $WB_VERSION"
  # Its own lock file does not build on this toolchain; resolve fresh.
  cargo install wasm-bindgen-cli --version "=$WB_VERSION" --force
fi

# 3b. s3s-fs, an S3-compatible server over a directory, for the evidence
#     files' tests on object storage (0.14.1: later releases need a newer
#     rustc than this machine's).
S3S_FS_VERSION=0.14.1
if ! s3s-fs --version 2>/dev/null | grep -q "$S3S_FS_VERSION"; then
  say "installing s3s-fs $S3S_FS_VERSION (~3 min)"
  cargo install s3s-fs --version "=$S3S_FS_VERSION" --locked --features binary
fi

# 4. Node packages: binaryen (a current wasm-opt; Debian's 108 breaks the
#    WASM), playwright-core (drives Debian's Chromium; no browser download)
#    and axe-core (the accessibility check the browser tests run).
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/playwright-core ] \
   || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing end2end node packages"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# 5. Debian's Chromium for the browser tests.
# pdftotext/pdftoppm read the certificates back in the server tests.
if ! command -v pdftotext >/dev/null 2>&1; then
  say "installing Debian poppler-utils"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
fi
if ! command -v chromium >/dev/null 2>&1; then
  say "installing Debian chromium"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

say "ready: $(cargo leptos --version), $(s3s-fs --version), wasm-bindgen $(wasm-bindgen --version | awk '{print $2}'), wasm-opt $(wasm-opt --version | awk '{print $3}'), $(chromium --version 2>/dev/null | head -1)"
