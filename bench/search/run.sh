#!/usr/bin/env bash
# Search and matching at scale, beside a reference in the same run: an index of CAPACITIES
# synthetic capacities and ACTIVITIES synthetic activities (text drawn from the DAC sector and
# country names, in Spanish and English, fixed seed), and the same text in a SQLite FTS5 table
# (unicode61, diacritics removed, ranked by bm25). Prints the build time and size of each, the
# p50/p95 of 500 searches on each (one to three words, one in five with a typo; tantivy's timed
# three times over), and the matcher's p50/p95 over 200 demands; with the peak memory of the
# whole run.
#
#   bench/search/run.sh                       # CAPACITIES=100000 ACTIVITIES=1000000
#   CAPACITIES=2000 ACTIVITIES=20000 bench/search/run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
CAPACITIES=${CAPACITIES:-100000}
ACTIVITIES=${ACTIVITIES:-1000000}
[[ -x /usr/bin/time ]] || apt-get install -y -qq time >/dev/null
cargo build --release --locked --example search_bench -p coopera-search --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
target="${CARGO_TARGET_DIR:-target}"
/usr/bin/time -f "peak memory: %M KB, wall %e s" "$target/release/examples/search_bench" "$CAPACITIES" "$ACTIVITIES" "$tmp/index"
