#!/usr/bin/env python3
"""Floor of the storing side of an import: the time SQLite takes to store Coopera's activity
documents alone, already serialised, into a fresh database with the settings Coopera uses (WAL,
synchronous=NORMAL, one transaction per file is approximated by one per 100 documents), with no
parsing, mapping, history or index rows. Prints the best of RUNS wall times in seconds and the
megabytes stored.

usage: store_floor.py COOPERA_DB SCRATCH_DB [RUNS]
"""

import os
import sqlite3
import sys
import time


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    source, scratch = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    docs = [(k, d) for k, d in sqlite3.connect(source).execute("SELECT key, doc FROM activity ORDER BY id")]
    best = None
    for _ in range(runs):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(scratch + suffix):
                os.remove(scratch + suffix)
        start = time.perf_counter()
        db = sqlite3.connect(scratch)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE activity (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, doc TEXT NOT NULL)")
        for i in range(0, len(docs), 100):
            with db:
                db.executemany("INSERT INTO activity (key, doc) VALUES (?, ?)", docs[i:i + 100])
        db.close()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    size = sum(len(d) for _, d in docs) / 1e6
    print(f"{best:.3f} {size:.0f}")


if __name__ == "__main__":
    main()
