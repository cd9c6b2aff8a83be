#!/usr/bin/env bash
# Sets up, builds and runs Thi Đua on the embedded database with the Ngọc Hồi
# demo: http://127.0.0.1:3000 . Pass --release for an optimised server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh "$@"
source scripts/env.sh
exec "$(cat target/server-bin)" --demo --site-root target/site
