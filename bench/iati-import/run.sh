#!/usr/bin/env bash
# Benchmark of `coopera import iati` on the real IATI corpus, against a Python + lxml reference
# importer (reference.py) and a bare streaming parse by xmllint (the floor).
#
# usage: bench/iati-import/run.sh [CORPUS_DIR]   (default: ../shared/data/iati/real/dportal-covid-2021)
# env:   RUNS (default 3): each tool runs this many times; the best wall time is kept, with the
#        peak memory of that run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
corpus="${1:-$root/../shared/data/iati/real/dportal-covid-2021}"
runs="${RUNS:-3}"
[[ -d "$corpus" ]] || { echo "no corpus at $corpus" >&2; exit 1; }
corpus="$(cd "$corpus" && pwd)"

apt_install() {
    if command -v apt-get >/dev/null; then
        apt-get update -qq >/dev/null && apt-get install -y -qq "$@" >/dev/null
    else
        echo "install $* by hand" >&2
        exit 1
    fi
}

command -v xmllint >/dev/null || apt_install libxml2-utils
[[ -x /usr/bin/time ]] || apt_install time
python3 -c 'import lxml' 2>/dev/null || python3 -m pip install --quiet lxml || apt_install python3-lxml

echo "building coopera (release)…" >&2
(cd "$root" && cargo build --release --quiet -p coopera)
coopera="$root/target/release/coopera"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
files=("$corpus"/*.xml)
bytes=$(cat "${files[@]}" | wc -c)

# Runs "$@" under /usr/bin/time -v; prints "seconds peak_kb".
measure() {
    /usr/bin/time -v -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || {
        echo "failed: $*" >&2
        cat "$tmp/err" >&2
        exit 1
    }
    awk '/Elapsed \(wall clock\)/ { n = split($NF, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
         /Maximum resident set size/ { kb = $NF }
         END { printf "%.3f %d\n", s, kb }' "$tmp/time"
}

# best_of NAME PREPARE COMMAND…: PREPARE runs before each run, untimed.
best_of() {
    local name="$1" prepare="$2"
    shift 2
    local best="" best_kb=0
    for _ in $(seq "$runs"); do
        eval "$prepare"
        read -r s kb < <(measure "$@")
        [[ -n "${s:-}" ]] || exit 1
        echo "  $name: ${s} s, $((kb / 1024)) MB" >&2
        if [[ -z "$best" ]] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best="$s"
            best_kb="$kb"
        fi
    done
    echo "$best $best_kb"
}

echo "corpus: $corpus (${#files[@]} files, $((bytes / 1000000)) MB); best of $runs" >&2
read -r coopera_s coopera_kb < <(best_of coopera 'rm -f "$tmp"/x.db*' \
    "$coopera" --db "$tmp/x.db" import iati "$corpus")
coopera_count=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from activity').fetchone()[0])" "$tmp/x.db")
read -r python_s python_kb < <(best_of python 'rm -f "$tmp"/ref.db*' \
    python3 "$root/bench/iati-import/reference.py" "$corpus" "$tmp/ref.db")
python_count=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from activity').fetchone()[0])" "$tmp/ref.db")
read -r xmllint_s xmllint_kb < <(best_of xmllint ':' xmllint --stream --noout "${files[@]}")
read -r xmllint1_s xmllint1_kb < <(best_of "xmllint per file" ':' \
    bash -c 'for f in "$@"; do xmllint --stream --noout "$f" || exit 1; done' _ "${files[@]}")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mb() { echo $(( $1 / 1024 )); }
mbps() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / 1e6 / s }'; }

cat <<EOF

| tool | what it does | activities | wall (best of $runs) | MB/s | peak RSS |
|---|---|---:|---:|---:|---:|
| \`coopera import iati\` | parse, map, check, store in a fresh SQLite DB with history | $coopera_count | ${coopera_s} s | $(mbps "$coopera_s") | $(mb "$coopera_kb") MB |
| \`reference.py\` (Python $(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])') + lxml $(python3 -c 'import lxml; print(lxml.__version__)')) | iterparse + clear, same fields, executemany into SQLite | $python_count | ${python_s} s | $(mbps "$python_s") | $(mb "$python_kb") MB |
| \`xmllint --stream --noout\` | bare streaming parse, one process for all files (the floor) | — | ${xmllint_s} s | $(mbps "$xmllint_s") | $(mb "$xmllint_kb") MB |
| \`xmllint --stream --noout\`, per file | the same, one process per file | — | ${xmllint1_s} s | $(mbps "$xmllint1_s") | $(mb "$xmllint1_kb") MB |

- Python / Coopera: $(ratio "$python_s" "$coopera_s")× (target ≥ 20×)
- Coopera / xmllint: $(ratio "$coopera_s" "$xmllint_s")× (target ≤ 3×; $(ratio "$coopera_s" "$xmllint1_s")× against one xmllint process per file)
- Coopera peak RSS: $(mb "$coopera_kb") MB (target < 300 MB)
EOF
