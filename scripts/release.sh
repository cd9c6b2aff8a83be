#!/usr/bin/env bash
# Packages a release: one .tar.gz that runs on a Debian machine with nothing
# else installed (no Rust, Node or Chromium): the server binary, the built
# site, the movement templates, the deploy samples, and the licences of the
# fonts and crates inside.
#   scripts/release.sh         optimised server and release WASM (~25 min clean)
#   scripts/release.sh --dev   the dev build already made by scripts/build.sh
#                              (what the test command packages and checks)
# Prints the archive's path.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

if [ "${1:-}" = "--dev" ]; then
  [ -f target/server-bin ] && [ -f target/site/hash.txt ] || scripts/build.sh >&2
else
  scripts/build.sh --release >&2
fi
bin=$(cat target/server-bin)
version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
name="thidua-$version-linux-$(uname -m)"
out=target/release-archive
stage="$out/$name"
rm -rf "$stage" "$out/$name.tar.gz"
mkdir -p "$stage/bin" "$stage/licenses/crates"

cp "$bin" "$stage/bin/server"
[ "${1:-}" = "--dev" ] || strip "$stage/bin/server"
cp -r target/site "$stage/site"
cp -r data/templates "$stage/templates"
cp deploy/* "$stage/"
cp server/assets/fonts/OFL.txt "$stage/licenses/NotoSerif-OFL.txt"

# Every crate compiled into the server or the WASM, its licence, and its
# licence files as published.
{
  echo "# Third-party crates"
  echo
  echo "Compiled into \`bin/server\` (x86_64 Linux) or the site's WASM. Licence files are in \`crates/\`."
  echo
  echo "| Crate | Version | Licence |"
  echo "|---|---|---|"
  { cargo tree -p server -e normal --target x86_64-unknown-linux-gnu --prefix none --format '{p}|{l}'
    cargo tree -p app --features hydrate -e normal --target wasm32-unknown-unknown --prefix none --format '{p}|{l}'; } \
    | grep -v '(/' | sed 's/ (\*)//' | sort -u \
    | while IFS='|' read -r pkg lic; do
        crate=${pkg% v*}; ver=${pkg##* v}
        echo "| $crate | $ver | ${lic:-see files} |"
        src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$crate-$ver" 2>/dev/null | head -1 || true)
        if [ -n "$src" ]; then
          files=$(find "$src" -maxdepth 1 -type f \( -iname 'LICEN[CS]E*' -o -iname 'COPYING*' -o -iname 'NOTICE*' \) || true)
          if [ -n "$files" ]; then
            mkdir -p "$stage/licenses/crates/$crate-$ver"
            echo "$files" | xargs -I{} cp {} "$stage/licenses/crates/$crate-$ver/"
          fi
        fi
      done
} > "$stage/licenses/THIRD-PARTY.md"

cat > "$stage/INSTALL.md" <<'DOC'
# Installing Thi Đua on a server

Debian (x86_64) with the C library of the machine that built the archive or newer (built on
Debian 12: glibc 2.36, so Debian 12 and 13). Nothing else to install. As root:

    useradd --system --home /var/lib/thidua --create-home thidua
    mkdir -p /opt/thidua /var/backups/thidua && chown thidua: /var/backups/thidua
    cp -r bin site templates /opt/thidua/
    cp thidua.env /etc/thidua.env          # edit: the address, backups, token
    cp thidua.service /etc/systemd/system/
    sudo -u thidua env $(grep -v '^#' /etc/thidua.env | xargs) THIDUA_PASSWORD='a-long-password' \
      /opt/thidua/bin/server create-account --username admin --display-name "Văn phòng" \
      --role district_officer --unit <the organiser's unit code>
    systemctl enable --now thidua

Then HTTPS in front: Caddy (`Caddyfile`, automatic certificates) or nginx (`nginx.conf`).
The server refuses to listen on a public address without a TLS proxy in front (`--trusted-proxy`).
Check: `curl -s http://127.0.0.1:3000/healthz`. Backups: see the README ("Backup and restore").
DOC

tar -C "$out" -czf "$out/$name.tar.gz" "$name"
rm -rf "$stage"
echo "$out/$name.tar.gz"
