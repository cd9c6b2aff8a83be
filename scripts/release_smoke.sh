#!/usr/bin/env bash
# Unpacks a release archive and runs it as an administrator would, with no
# cargo, node or chromium reachable (an empty PATH, a fresh HOME): creates an
# officer, serves the demo, and checks /healthz, a page, a sign-in, a
# backup. Exits non-zero on the first failure.
set -euo pipefail
archive=$(realpath "$1")
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=
say() { printf '\033[1m[release smoke]\033[0m %s\n' "$*"; }

tar -C "$work" -xzf "$archive"
root=$(echo "$work"/thidua-*)
for f in bin/server site/hash.txt templates/covid-2021.v1.toml thidua.service thidua.env Caddyfile INSTALL.md \
         licenses/THIRD-PARTY.md licenses/NotoSerif-OFL.txt; do
  [ -e "$root/$f" ] || { echo "missing from the archive: $f"; exit 1; }
done
grep -q '^| leptos | ' "$root/licenses/THIRD-PARTY.md" || { echo "crate licences not listed"; exit 1; }

# The server alone: no PATH, a HOME of its own.
alone=(env -i HOME="$work/home" PATH=/nonexistent THIDUA_DB_URL="surrealkv://$work/data" THIDUA_SITE_ROOT="$root/site")
run() { "${alone[@]}" "$@"; }
# In the background, as the server itself (so $! is its pid and a kill reaches it).
serve() { exec "${alone[@]}" "$@"; }
mkdir -p "$work/home"
run "$root/bin/server" load-demo >/dev/null
run THIDUA_PASSWORD='smoke-test-password-1' "$root/bin/server" create-account --username noivu \
  --display-name "Phòng Nội vụ" --role district_officer --unit d611 >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
serve THIDUA_ADDR="127.0.0.1:$port" THIDUA_DEMO=true THIDUA_BACKUP_DIR="$work/backups" RUST_LOG=warn "$root/bin/server" &
pid=$!
for _ in $(seq 1 600); do
  curl -fs "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "the server exited"; exit 1; }
  sleep 0.2
done
# (Captured, then matched: `grep -q` on a pipe would cut the writer short,
# which pipefail counts as a failure.)
health=$(curl -fs "$base/healthz")
grep -q '"status":"ok"' <<<"$health" || { echo "/healthz: $health"; exit 1; }
say "/healthz ok"
page=$(curl -fs "$base/bang-xep-hang")
grep -q 'Bảng xếp hạng' <<<"$page" || { echo "the leaderboard page"; exit 1; }
asset=$(grep -o -m1 '/pkg/thidua\.[A-Za-z0-9_-]*\.\(wasm\|js\)' <<<"$page" || true)
asset=${asset%%$'\n'*}
[ -n "$asset" ] && curl -fs -o /dev/null -H 'Accept-Encoding: br' "$base$asset" || { echo "the page's app ($asset)"; exit 1; }
say "a page and its app ($asset) ok"
jar="$work/cookies"
curl -fs -c "$jar" -H 'Accept: application/json' -d 'username=noivu&password=smoke-test-password-1' "$base/api/auth/sign_in" >/dev/null \
  || { echo "sign-in"; exit 1; }
desk=$(curl -fs -b "$jar" -X POST -H 'Accept: application/json' "$base/api/review/desk" -d 'period=') \
  && grep -q '"rates"' <<<"$desk" || { echo "the desk after sign-in"; exit 1; }
say "sign-in ok"
kill "$pid"; wait "$pid" || true
run "$root/bin/server" backup --to "$work/smoke.backup.gz" >/dev/null
run "$root/bin/server" verify-backup "$work/smoke.backup.gz" >/dev/null
say "backup and verify ok"
