#!/usr/bin/env bash
# PostgreSQL against SQLite, in the same run on the same machine:
#   1. the real IATI corpus imported into each (best of RUNS, a fresh database each run);
#   2. the corpus copied SQLite → PostgreSQL → SQLite, with equal per-table checksums;
#   3. a synthetic registry of each size in SIZES (default 100000): generated in SQLite,
#      copied to PostgreSQL, and the report snapshot loaded from each (`report themes`, best of
#      RUNS), with the peak memory of the load;
#   4. two `coopera serve` processes on one PostgreSQL registry against one: the dashboard and
#      the themes API with a random selection per request, CONNECTIONS in all (split between
#      the two servers), wrk for DURATION.
# The web benchmark on each backend is bench/web/run.sh (DB=postgres://… for PostgreSQL).
#
#   bench/postgres/run.sh            # PG=postgres://root@127.0.0.1:5432 RUNS=3 SIZES=100000
#   SIZES="100000 1000000" bench/postgres/run.sh
# PG names a server where the script may create and drop databases coopera_bench_*.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
PG=${PG:-postgres://root@127.0.0.1:5432}
RUNS=${RUNS:-3}
SIZES=${SIZES:-100000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
corpus="${CORPUS:-$root/../shared/data/iati/real/dportal-covid-2021}"

command -v wrk >/dev/null || (apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; })
[[ -x /usr/bin/time ]] || apt-get install -y -qq time >/dev/null
cargo build --release --locked -p coopera --quiet
bin=target/release/coopera
tmp=$(mktemp -d)
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=(); }
trap 'stop; rm -rf "$tmp"' EXIT

fresh() { # fresh NAME: an empty database on the server; prints its address
  psql -q -v ON_ERROR_STOP=1 "$PG/postgres" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
  echo "$PG/$1"
}

timed() { # timed COMMAND…: prints "seconds peak_MB"
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > "$tmp/out" 2> "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
  awk '{ printf "%.2f %d\n", $1, $2 / 1024 }' "$tmp/time"
}

best() { # best PREPARE COMMAND…: the best of RUNS, "seconds peak_MB"
  local prepare=$1; shift
  local best="" mb=0
  for _ in $(seq "$RUNS"); do
    eval "$prepare"
    read -r s m < <(timed "$@")
    if [[ -z "$best" ]] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$s; mb=$m; fi
  done
  echo "$best $mb"
}

echo "== 1. the real corpus imported ($(ls "$corpus"/*.xml | wc -l) files), best of $RUNS"
read -r sq_s sq_mb < <(best 'rm -f "$tmp"/corpus.db*' "$bin" --db "$tmp/corpus.db" import iati "$corpus")
read -r pg_s pg_mb < <(best 'url=$(fresh coopera_bench_corpus)' "$bin" --db "$PG/coopera_bench_corpus" import iati "$corpus")
echo "SQLite:     ${sq_s} s, ${sq_mb} MB"
echo "PostgreSQL: ${pg_s} s, ${pg_mb} MB ($(awk -v a="$pg_s" -v b="$sq_s" 'BEGIN { printf "%.2f", a / b }') × SQLite)"

echo "== 2. the corpus copied SQLite → PostgreSQL → SQLite"
url=$(fresh coopera_bench_copy)
read -r s _ < <(timed "$bin" db copy --from "$tmp/corpus.db" --to "$url"); echo "to PostgreSQL: ${s} s"; tail -n1 "$tmp/out"
read -r s _ < <(timed "$bin" db copy --from "$url" --to "$tmp/back.db"); echo "back to SQLite: ${s} s"; tail -n1 "$tmp/out"
"$bin" --db "$tmp/corpus.db" db checksum --format csv > "$tmp/a.csv"
"$bin" --db "$url" db checksum --format csv > "$tmp/b.csv"
"$bin" --db "$tmp/back.db" db checksum --format csv > "$tmp/c.csv"
cmp -s "$tmp/a.csv" "$tmp/b.csv" && cmp -s "$tmp/a.csv" "$tmp/c.csv" && echo "checksums: equal on all three" || { echo "checksums differ"; exit 1; }

for n in $SIZES; do
  echo "== 3. a synthetic registry of $n activities: report snapshot load, best of $RUNS"
  rm -f "$tmp"/syn.db*
  read -r s _ < <(timed "$bin" --db "$tmp/syn.db" demo --synthetic "$n"); echo "generated in SQLite: ${s} s"
  url=$(fresh coopera_bench_syn)
  read -r s _ < <(timed "$bin" db copy --from "$tmp/syn.db" --to "$url"); echo "copied to PostgreSQL: ${s} s"
  read -r sq_s sq_mb < <(best : "$bin" --db "$tmp/syn.db" report themes)
  read -r pg_s pg_mb < <(best : "$bin" --db "$url" report themes)
  echo "SQLite:     ${sq_s} s, ${sq_mb} MB"
  echo "PostgreSQL: ${pg_s} s, ${pg_mb} MB"
done

echo "== 4. one server against two on one PostgreSQL registry ($CONNECTIONS connections in all, $DURATION)"
url=$(fresh coopera_bench_syn)
"$bin" db copy --from "$tmp/syn.db" --to "$url" > /dev/null
start() {
  "$bin" --db "$url" serve --addr 127.0.0.1:0 --quiet > "$tmp/serve$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 900); do grep -q 'http://127.0.0.1' "$tmp/serve$1.log" && break; sleep 0.1; done
  grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve$1.log" | head -n1
}
rate() { grep -E "Requests/sec" "$1" | awk '{ print $2 }'; }
p99() { grep -E "^ +99%" "$1" | awk '{ print $2 }'; }
errors() { grep -cE "Socket errors|Non-2xx" "$1" || true; }
one=$(start 1)
for path in / /api/v1/reports/themes; do
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/web/random.lua "$one$path" > "$tmp/w1"
  echo "one server, $path: $(rate "$tmp/w1") req/s, p99 $(p99 "$tmp/w1"), error lines $(errors "$tmp/w1")"
done
two=$(start 2)
half=$((CONNECTIONS / 2))
for path in / /api/v1/reports/themes; do
  wrk -t1 -c"$half" -d"$DURATION" --latency -s bench/web/random.lua "$one$path" > "$tmp/wa" &
  wrk -t1 -c"$half" -d"$DURATION" --latency -s bench/web/random.lua "$two$path" > "$tmp/wb"
  wait %1 2>/dev/null || wait
  echo "two servers, $path: $(awk -v a="$(rate "$tmp/wa")" -v b="$(rate "$tmp/wb")" 'BEGIN { printf "%.0f", a + b }') req/s in all, p99 $(p99 "$tmp/wa") / $(p99 "$tmp/wb"), error lines $(( $(errors "$tmp/wa") + $(errors "$tmp/wb") ))"
done
stop
for db in corpus copy syn; do psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS coopera_bench_$db WITH (FORCE)" >/dev/null 2>&1 || true; done
