"""DuckDB side of bench/reports/run.sh: the same reports over the same facts.

usage: duckdb_bench.py CSV_DIR COOPERA_JSON RUNS YEAR

Loads the CSV files bench_reports exported (activities, thematic-area and country parts in
parts per million, flows in 1/10 000 USD) into in-memory tables, writes them as Parquet and
times loading those too, then runs each of Coopera's reports RUNS times with the equivalent
SQL and compares the rows with Coopera's, exactly (as decimals).
"""

import json
import sys
import time
from decimal import Decimal

import duckdb

csv_dir, coopera_json, runs, year = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ours = json.load(open(coopera_json))

con = duckdb.connect(":memory:")
threads = con.execute("SELECT current_setting('threads')").fetchone()[0]

TABLES = {
    "activities": "id INTEGER, direction VARCHAR, start_year SMALLINT, end_year SMALLINT",
    "themes": "id INTEGER, key VARCHAR, ppm INTEGER",
    "countries": "id INTEGER, key VARCHAR, ppm INTEGER",
    "flows": "id INTEGER, kind TINYINT, year SMALLINT, usd BIGINT, mxn BIGINT, provider INTEGER",
}


def load(source):
    for name, columns in TABLES.items():
        con.execute(f"DROP TABLE IF EXISTS {name}")
        con.execute(f"CREATE TABLE {name} ({columns})")
        con.execute(f"INSERT INTO {name} SELECT * FROM {source(name)}")


start = time.perf_counter()
load(lambda name: f"read_csv('{csv_dir}/{name}.csv', header = true, columns = {{{', '.join(f'{c.split()[0]!r}: {c.split()[1]!r}' for c in TABLES[name].split(', '))}}})")
load_ms = (time.perf_counter() - start) * 1000
for name in TABLES:
    con.execute(f"COPY {name} TO '{csv_dir}/{name}.parquet' (FORMAT parquet)")
start = time.perf_counter()
load(lambda name: f"read_parquet('{csv_dir}/{name}.parquet')")
parquet_load_ms = (time.perf_counter() - start) * 1000

# The filtered reports: activities given, running in YEAR (start <= YEAR <= end).
FILTER = f"a.direction = 'given' AND a.start_year <= {year} AND a.end_year >= {year}"


def count_sql(parts, filtered):
    where = f"WHERE {FILTER}" if filtered else ""
    join = "JOIN activities a USING (id)" if filtered else ""
    # Exact: parts per million, summed as integers.
    return f"SELECT p.key, SUM(p.ppm)::HUGEINT AS v FROM {parts} p {join} {where} GROUP BY p.key"


def committed_sql(parts, filtered):
    # Committed money of each activity (flows of kind 0 with a USD value; in the year when
    # filtered), spread over its parts. Exact: 1/10 000 USD × parts per million.
    year_clause = f"AND f.year = {year}" if filtered else ""
    where = f"WHERE {FILTER}" if filtered else ""
    return f"""
        WITH v AS (
            SELECT f.id, SUM(f.usd)::HUGEINT AS usd FROM flows f
            WHERE f.kind = 0 AND f.usd IS NOT NULL {year_clause} GROUP BY f.id)
        SELECT p.key, SUM(v.usd * p.ppm) AS v
        FROM v JOIN {parts} p USING (id) JOIN activities a USING (id) {where}
        GROUP BY p.key HAVING SUM(v.usd * p.ppm) <> 0"""


results = []
for q in ours["queries"]:
    parts = "themes" if q["report"] == "themes" else "countries"
    filtered = q["filter"] != "none"
    if q["measure"] in ("count", "weighted"):
        sql, scale = count_sql(parts, filtered), Decimal(10) ** 6
    else:
        sql, scale = committed_sql(parts, filtered), Decimal(10) ** 10
    times = []
    rows = None
    for _ in range(runs + 1):
        start = time.perf_counter()
        rows = con.execute(sql).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    times = sorted(times[1:])
    theirs = {k: Decimal(int(v)) / scale for k, v in rows}
    mine = {k: Decimal(v) for k, v in q["rows"]}
    results.append({
        "report": q["report"],
        "filter": q["filter"],
        "measure": q["measure"],
        "min_ms": times[0],
        "median_ms": times[len(times) // 2],
        "same": theirs == mine,
    })
    if theirs != mine:
        diff = {k: (mine.get(k), theirs.get(k)) for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k)}
        print(f"{q['report']} {q['filter']} {q['measure']}: rows differ: {list(diff.items())[:5]}", file=sys.stderr)

print(json.dumps({
    "version": duckdb.__version__,
    "threads": threads,
    "load_ms": load_ms,
    "parquet_load_ms": parquet_load_ms,
    "queries": results,
}))
