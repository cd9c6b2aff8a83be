# Sourced by the scripts: tools on PATH (cargo bin, wasm-opt from npm binaryen).
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Where cargo builds; CI points this at a cache outside the clone.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# The phone's WASM names the source file of every panic location; for a
# dependency that is ~60 bytes of this machine's registry path each time
# (~150 times in the main WASM). Cut to the crate's own path.
remap=""
for d in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [ -d "$d" ] && remap+=" --remap-path-prefix=$d="
done
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${remap# }"
unset remap
