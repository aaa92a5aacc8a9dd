#!/usr/bin/env bash
# Benchmark of the read model a server keeps (report snapshot + list index) over a synthetic
# registry: the cold start, a saved activity made visible in place, and — in the same run — the
# whole load each save cost before.
#
# usage: bench/model/run.sh [N…]        (default: 100000 1000000)
# env:   EDITS (default 30), WORK (default target/bench-reports: databases are shared with the
#        reports benchmark and reused when N matches), SEED (default 2012).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)
edits="${EDITS:-30}"
seed="${SEED:-2012}"
work="${WORK:-$root/target/bench-reports}"
mkdir -p "$work"

echo "building coopera and bench_model (release)…" >&2
(cd "$root" && cargo build --release --quiet -p coopera && cargo build --release --quiet -p coopera-report --example bench_model)
coopera="$root/target/release/coopera"
bench="$root/target/release/examples/bench_model"

for n in "${sizes[@]}"; do
    db="$work/synthetic-$n-$seed.db"
    if [[ ! -f "$db" ]]; then
        echo "generating $n synthetic activities…" >&2
        "$coopera" --db "$db.tmp" demo --synthetic "$n" --seed "$seed" >&2
        mv "$db.tmp" "$db"
        rm -f "$db.tmp-wal" "$db.tmp-shm"
    fi
    # Edits change the database: time them on a copy, so every run starts from the same one.
    cp "$db" "$work/model-$n.db"
    "$bench" --db "$work/model-$n.db" --activities "$n" --edits "$edits"
    rm -f "$work/model-$n.db" "$work/model-$n.db-wal" "$work/model-$n.db-shm"
done
