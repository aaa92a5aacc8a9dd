#!/usr/bin/env bash
# Browser tests of the web application: builds `coopera`, serves the demo data on a free
# loopback port with a temporary database, and drives headless Chromium (the Debian package,
# no browser download) with playwright-core through test.mjs. Screenshots of the main pages
# are written to target/screenshots/ (in CARGO_TARGET_DIR, when set).
#
#   bash crates/coopera-web/tests/browser/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"

if ! command -v chromium >/dev/null; then
  echo "== installing chromium (Debian package)"
  (apt-get install -y chromium >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; })
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "== installing playwright-core (npm)"
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== building coopera"
(cd "$root" && cargo build --locked -p coopera --quiet)
# Where cargo built it: CARGO_TARGET_DIR when set, else the workspace's target/.
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/debug/coopera"

tmp="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$bin" --db "$tmp/coopera.db" serve --addr 127.0.0.1:0 --demo --quiet > "$tmp/out.log" 2> "$tmp/err.log" &
server=$!
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/out.log" | head -n1 || true)"
  [ -n "$url" ] && break
  if ! kill -0 "$server" 2>/dev/null; then cat "$tmp/err.log"; exit 1; fi
  sleep 0.2
done
[ -n "$url" ] || { echo "the server did not start"; cat "$tmp/err.log"; exit 1; }
echo "== serving at $url"

# The demo accounts' passwords, printed once by `serve --demo`: `name password` per line.
passwords="$(awk '/^  (admin|analista|editor-chiapas|consulta-oaxaca) / { print $1 " " $2 }' "$tmp/out.log")"
[ "$(echo "$passwords" | wc -l)" -eq 4 ] || { echo "serve --demo printed no demo accounts"; cat "$tmp/out.log"; exit 1; }

mkdir -p "$target/screenshots"
COOPERA_URL="$url" COOPERA_PASSWORDS="$passwords" SCREENSHOTS="$target/screenshots" node "$here/test.mjs"
