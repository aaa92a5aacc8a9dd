#!/usr/bin/env bash
# Web benchmark: requests per second and latency percentiles of the dashboard (`/`) and of
# `/api/v1/reports/themes`, with wrk on loopback, over the demo data and over a synthetic
# registry of N activities (default 100,000). Each URL is measured twice: repeated (the
# server's per-view report cache answers) and with a random selection per request (the
# reports are computed). Also timed: the start (views built) and saving an edit through the
# form (the write and the views rebuilt).
#
# Each is measured at every number of connections in CONNECTIONS (default 10 and 50); a line
# says how many requests timed out (wrk's 2 s) or did not answer 2xx — the target is none.
#
# With CHECK=1 (as .ci/run runs it, briefly) the script fails when any request timed out or
# did not answer 2xx; the timings are printed, never judged.
#
# With DB=postgres://USER@HOST:PORT/DB (an empty database), the synthetic registry is kept on
# that PostgreSQL server instead of a SQLite file (bench/postgres/run.sh runs it so).
#
#   bench/web/run.sh                  # N=100000 DURATION=15s CONNECTIONS="10 50" THREADS=2
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-100000}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-10 50}
THREADS=${THREADS:-2}
CHECK=${CHECK:-0}
failures=0

command -v wrk >/dev/null || (apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; })
cargo build --release --locked -p coopera --quiet
bin=target/release/coopera
tmp=$(mktemp -d)
pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap 'stop; rm -rf "$tmp"' EXIT

start() {
  local db=$1; shift
  local t0; t0=$(date +%s%N)
  "$bin" --db "$db" serve --addr 127.0.0.1:0 --quiet "$@" > "$tmp/out.log" 2> "$tmp/err.log" &
  pid=$!
  url=""
  for _ in $(seq 1 600); do
    url=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/out.log" | head -n1 || true)
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$tmp/err.log"; exit 1; }
  echo "started in $(( ($(date +%s%N) - t0) / 1000000 )) ms (views built): $url"
}

# wrk's figures of one run, and its errors (timeouts, non-2xx answers) or "errors: none".
run_wrk() {
  local out; out=$(wrk "$@")
  echo "$out" | grep -E "Requests/sec|Latency  |50%|90%|99%"
  if echo "$out" | grep -E "Socket errors|Non-2xx"; then failures=$((failures + 1)); else echo "    errors: none"; fi
}

measure() {
  for c in $CONNECTIONS; do
    for path in "/" "/api/v1/reports/themes"; do
      echo "--- $path, $c connections (repeated)"
      run_wrk -t"$THREADS" -c"$c" -d"$DURATION" --latency "$url$path"
      echo "--- $path, $c connections (a random selection per request)"
      run_wrk -t"$THREADS" -c"$c" -d"$DURATION" --latency -s bench/web/random.lua "$url$path"
    done
  done
  local bytes; bytes=$(curl -s "$url/" | wc -c)
  echo "dashboard page: $bytes bytes, $(curl -s -H 'Accept-Encoding: gzip' "$url/" | wc -c) gzipped"
}

# The value of the first `csrf_token` field of a page.
csrf_of() { grep -o 'name="csrf_token" value="[^"]*"' "$1" | head -n1 | sed 's/.*value="//; s/"$//'; }

# Signs in through the sign-in page, as a browser does: cookies in $tmp/jar, the session's
# anti-forgery token in $csrf.
sign_in() {
  rm -f "$tmp/jar"
  curl -s -c "$tmp/jar" -b "$tmp/jar" "$url/login" -o "$tmp/login.html"
  curl -s -c "$tmp/jar" -b "$tmp/jar" -o /dev/null --data-urlencode "username=$1" --data-urlencode "password=$2" \
    --data "csrf_token=$(csrf_of "$tmp/login.html")" "$url/login"
  curl -s -b "$tmp/jar" "$url/account" -o "$tmp/account.html"
  csrf=$(csrf_of "$tmp/account.html")
  [ -n "$csrf" ] || { echo "cannot sign in as $1"; exit 1; }
}

save_edit() {
  local id=$1
  local t0; t0=$(date +%s%N)
  local code; code=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/jar" --data-urlencode "title.es=$2" \
    --data "csrf_token=$csrf&reporting_org=$3&instrument=project&cooperation_type=technical-scientific&modality=bilateral&status=2&participants[0].org=$3&participants[0].role=provider&save=1" \
    "$url/activities/$id/edit")
  echo "save through the form: HTTP $code in $(( ($(date +%s%N) - t0) / 1000000 )) ms (write, then views rebuilt)"
  [ "$code" = 303 ] || failures=$((failures + 1))
  # A refused save (no title, an unknown sector) must cost no rebuild of the views.
  t0=$(date +%s%N)
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/jar" \
    --data "csrf_token=$csrf&title.es=&reporting_org=$3&instrument=project&cooperation_type=technical-scientific&modality=bilateral&status=2&participants[0].org=$3&participants[0].role=provider&sectors[0].code=99999&save=1" \
    "$url/activities/$id/edit")
  echo "refused save through the form: HTTP $code in $(( ($(date +%s%N) - t0) / 1000000 )) ms (nothing written, nothing rebuilt)"
  [ "$code" = 422 ] || failures=$((failures + 1))
}

echo "== demo data"
start "$tmp/demo.db" --demo
measure
sign_in admin "$(awk '/^  admin / { print $2 }' "$tmp/out.log")"
save_edit MX-AMEXCID-2010-0001 "Prevención de incendios forestales en Guatemala" conafor
stop

synthetic=${DB:-$tmp/synthetic.db}
echo "== synthetic registry of $N activities in $synthetic"
"$bin" --db "$synthetic" demo --synthetic "$N" | tail -n1
echo "contraseña-de-la-prueba" | "$bin" --db "$synthetic" user add bench --role administrator --password-stdin
start "$synthetic"
echo "resident memory after start: $(ps -o rss= -p "$pid" | awk '{printf "%.0f MB", $1/1024}')"
measure
first=$(curl -s "$url/api/v1/activities?per_page=1&sort=id" | grep -o '"id":"[^"]*"' | head -n1 | cut -d'"' -f4)
org=$(curl -s "$url/api/v1/activities/$first" | grep -o '"reporting_org":"[^"]*"' | head -n1 | cut -d'"' -f4)
sign_in bench "contraseña-de-la-prueba"
save_edit "$first" "Actividad editada en la prueba de carga" "$org"
echo "resident memory at the end: $(ps -o rss= -p "$pid" | awk '{printf "%.0f MB", $1/1024}')"
if [ "$CHECK" = 1 ] && [ "$failures" -gt 0 ]; then
  echo "bench/web: $failures measurement(s) had timeouts or non-2xx answers"
  exit 1
fi
