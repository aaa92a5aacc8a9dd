#!/usr/bin/env bash
# How soon a running `coopera serve` shows what another process writes: a server on a
# synthetic registry of N activities (started from the model kept beside the database after
# its first start), then `coopera import iati` of a small real file beside it; the time from
# the import's end to the first API answer that lists the imported activity.
#
# usage: bench/model/follow.sh [N]       (default 1000000; the database of bench/model/run.sh)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-1000000}"
work="${WORK:-$root/target/bench-reports}"
db="$work/synthetic-$n-${SEED:-2012}.db"
[[ -f "$db" ]] || { echo "no $db: run bench/model/run.sh $n first" >&2; exit 1; }
(cd "$root" && cargo build --release --quiet -p coopera)
coopera="$root/target/release/coopera"
fixture="$root/crates/coopera-iati/tests/fixtures/iati/dportal-covid-2021-recipient-MX.xml"
id="$(grep -o '<iati-identifier>[^<]*' "$fixture" | head -n1 | sed 's/<iati-identifier>//')"

tmp="$(mktemp -d "$work/follow.XXXX")"
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$tmp"' EXIT
cp "$db" "$tmp/c.db"
server=""
# Starts the server; sets `url` and `took` (seconds until it printed its address).
start() {
    "$coopera" --db "$tmp/c.db" serve --addr 127.0.0.1:0 --quiet > "$tmp/serve.out" 2>&1 &
    server=$!
    local began
    began=$(date +%s.%N)
    url=""
    while [[ -z "$url" ]]; do
        url="$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -n1 || true)"
        kill -0 "$server" 2>/dev/null || { cat "$tmp/serve.out" >&2; exit 1; }
        sleep 0.02
    done
    took=$(echo "$(date +%s.%N) - $began" | bc)
}
start
first=$took
kill -INT "$server"; wait "$server" || true
start
second=$took
printf '{"activities": %s, "first_start_s": %.2f, "start_from_model_s": %.2f' "$n" "$first" "$second"
"$coopera" --db "$tmp/c.db" import iati "$fixture" > /dev/null
imported=$(date +%s.%N)
until curl -fsS "$url/api/v1/activities?q=$(printf %s "$id" | sed 's/[^A-Za-z0-9]/+/g')" | grep -q "\"$id\""; do
    sleep 0.01
done
echo "$(date +%s.%N) - $imported" | bc | xargs printf ', "import_visible_in_server_s": %.3f}\n'
