# Sourced by the scripts: tools on PATH (cargo bin, wasm-opt from npm binaryen).
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Where cargo builds; CI points this at a cache outside the clone.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
