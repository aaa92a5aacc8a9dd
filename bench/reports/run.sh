#!/usr/bin/env bash
# Benchmark of reports over a large synthetic registry: Coopera's in-memory snapshot against
# DuckDB (from PyPI) running the same aggregations over the same facts, in the same run.
#
# 1. `coopera demo --synthetic N` writes a registry of N activities to SQLite (timed).
# 2. `bench_reports` (an example of coopera-report) loads the snapshot (timed apart), times
#    each report over it (minimum and median of RUNS runs) and exports the snapshot's columns
#    as CSV: activities, their thematic-area and country parts (parts per million, exactly as
#    the engine spreads them) and their flows converted to USD.
# 3. duckdb_bench.py loads those CSVs into DuckDB in-memory tables (also written as Parquet),
#    runs the same aggregations RUNS times each, and checks that every row equals Coopera's.
#
# usage: bench/reports/run.sh [N]       (default 1000000)
# env:   RUNS (default 30), YEAR (default 2015, the filtered reports' year), WORK (default
#        target/bench-reports: the database, CSV and Parquet files; reused when N matches),
#        SEED (default 2012).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-1000000}"
runs="${RUNS:-30}"
year="${YEAR:-2015}"
seed="${SEED:-2012}"
work="${WORK:-$root/target/bench-reports}"
mkdir -p "$work"

echo "building coopera and bench_reports (release)…" >&2
(cd "$root" && cargo build --release --quiet -p coopera && cargo build --release --quiet -p coopera-report --example bench_reports)
coopera="$root/target/release/coopera"
bench="$root/target/release/examples/bench_reports"

venv="$work/venv"
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -c 'import duckdb' 2>/dev/null || "$venv/bin/python" -m pip install --quiet duckdb

db="$work/synthetic-$n-$seed.db"
if [[ ! -f "$db" ]]; then
    echo "generating $n synthetic activities…" >&2
    rm -f "$db" "$db-wal" "$db-shm"
    start=$(date +%s.%N)
    "$coopera" --db "$db" demo --synthetic "$n" --seed "$seed" >"$work/generate.out" 2>/dev/null
    end=$(date +%s.%N)
    python3 -c "print(f'generate_s={float($end) - float($start):.1f}')" >"$work/generate.time"
fi
cat "$work/generate.out" >&2 || true
db_mb=$(( $(stat -c %s "$db") / 1048576 ))

echo "Coopera: loading the snapshot and timing reports…" >&2
csv="$work/csv-$n-$seed"
"$bench" --db "$db" --runs "$runs" --year "$year" --export "$csv" >"$work/coopera.json"

echo "DuckDB: loading the same facts and timing the same reports…" >&2
"$venv/bin/python" "$root/bench/reports/duckdb_bench.py" "$csv" "$work/coopera.json" "$runs" "$year" >"$work/duckdb.json"

"$venv/bin/python" - "$work/coopera.json" "$work/duckdb.json" "$work/generate.time" "$db_mb" "$n" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))
duck = json.load(open(sys.argv[2]))
try:
    generate = open(sys.argv[3]).read().strip().split("=")[1] + " s"
except OSError:
    generate = "(database reused)"
db_mb, n = sys.argv[4], int(sys.argv[5])
print(f"activities: {ours['activities']:,} · flows: {ours['flows']:,} · SQLite file: {db_mb} MB · generate and store: {generate}")
print(f"Coopera snapshot load from SQLite: {ours['load_ms'] / 1000:.1f} s, resident memory {ours['rss_before_mb']} → {ours['rss_after_mb']} MB")
print(f"DuckDB {duck['version']} ({duck['threads']} threads): CSV → in-memory tables {duck['load_ms'] / 1000:.1f} s; Parquet → tables {duck['parquet_load_ms'] / 1000:.1f} s")
print()
print("| report | filter | measure | Coopera min / median (ms) | DuckDB min / median (ms) | ratio (median) | same rows |")
print("|---|---|---|---|---|---|---|")
for o, d in zip(ours["queries"], duck["queries"]):
    ratio = d["median_ms"] / o["median_ms"] if o["median_ms"] else float("inf")
    print(f"| {o['report']} | {o['filter']} | {o['measure']} | {o['min_ms']:.2f} / {o['median_ms']:.2f} | "
          f"{d['min_ms']:.2f} / {d['median_ms']:.2f} | DuckDB {ratio:.1f}× slower | {'yes' if d['same'] else 'NO'} |")
PY
