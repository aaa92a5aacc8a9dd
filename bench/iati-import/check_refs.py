#!/usr/bin/env python3
"""Checks that the two reference importers (reference.py, reference_xpath.py) stored the same
thing, and compares them with Coopera's database.

- references: row counts per table, rows of each table that one has and the other has not,
  and the sum of transaction values per currency (Python Decimal). Any difference fails.
- Coopera: the number of activities, and the transactions with their sums per currency, read
  from the JSON documents (`activity.doc`: `transactions[].amount`, `.currency`, the currency
  being the activity's default-currency when the value has none). The references keep
  transactions that Coopera leaves out, so they are compared twice: as stored, and restricted
  to the transactions Coopera could keep without its codelists (a transaction-type, a value
  that is a number, a currency, a transaction-date or value-date). What still differs comes
  from codelist and date checks, which the references do not make; it is printed, and only a
  different number of activities fails.

usage: check_refs.py REFERENCE_DB REFERENCE_XPATH_DB [COOPERA_DB]
"""

import json
import sqlite3
import sys
from collections import defaultdict
from decimal import Decimal, InvalidOperation


def number(text):
    """The value as Coopera reads it (a decimal, possibly in scientific notation), or None."""
    if text is None:
        return None
    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        return None
    # Coopera refuses thousands separators and non-finite values; Decimal takes `1_000`.
    return d if d.is_finite() and "_" not in text else None


def tables(db):
    return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]


def sums(rows):
    """{currency: (count, sum)} of (value, currency) rows whose value is a number."""
    out = defaultdict(lambda: [0, Decimal(0)])
    for value, currency in rows:
        d = number(value) if isinstance(value, str) else value
        if d is not None:
            out[currency][0] += 1
            out[currency][1] += d
    return {c: tuple(v) for c, v in out.items()}


def reference_sums(db, comparable=False):
    where = ""
    if comparable:
        where = "WHERE type IS NOT NULL AND currency IS NOT NULL AND coalesce(date, value_date) IS NOT NULL"
    return sums(db.execute(f"SELECT value, currency FROM txn {where}"))


def print_sums(label, a, b, names, show=()):
    """Prints the currencies that differ (and those in `show`); says whether none differs."""
    same = True
    for currency in sorted(set(a) | set(b), key=lambda c: (c is None, c or "")):
        x, y = a.get(currency, (0, Decimal(0))), b.get(currency, (0, Decimal(0)))
        mark = "" if x == y else "  ≠"
        same &= x == y
        if mark or currency in show:
            print(f"    {currency or '(none)':6} {names[0]}: {x[0]:>6} txn {x[1]:>22,.2f}   "
                  f"{names[1]}: {y[0]:>6} txn {y[1]:>22,.2f}{mark}")
    total_a = sum(v[0] for v in a.values())
    total_b = sum(v[0] for v in b.values())
    print(f"  {label}: {len(set(a) | set(b))} currencies, {total_a} / {total_b} transactions with a number: "
          f"{'same sums' if same else 'sums differ'}")
    return same


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    ref = sqlite3.connect(sys.argv[1])
    ref.execute("ATTACH DATABASE ? AS other", (sys.argv[2],))
    ok = True

    print("references: rows per table (reference.py / reference_xpath.py)")
    for t in tables(ref):
        a = ref.execute(f"SELECT count(*) FROM main.{t}").fetchone()[0]
        b = ref.execute(f"SELECT count(*) FROM other.{t}").fetchone()[0]
        only_a = ref.execute(f"SELECT count(*) FROM (SELECT * FROM main.{t} EXCEPT SELECT * FROM other.{t})").fetchone()[0]
        only_b = ref.execute(f"SELECT count(*) FROM (SELECT * FROM other.{t} EXCEPT SELECT * FROM main.{t})").fetchone()[0]
        same = a == b and only_a == 0 and only_b == 0
        ok &= same
        extra = "" if same else f"   DIFFERENT ({only_a} rows only in the first, {only_b} only in the second)"
        print(f"  {t:24} {a:>8} {b:>8}{extra}")
    xpath = sqlite3.connect(sys.argv[2])
    ok &= print_sums("transaction values per currency", reference_sums(ref), reference_sums(xpath),
                     ("reference.py", "reference_xpath.py"), show=("USD", "EUR", "GBP"))

    if len(sys.argv) == 4:
        coopera = sqlite3.connect(sys.argv[3])
        n_ref = ref.execute("SELECT count(*) FROM activity").fetchone()[0]
        n_coopera = coopera.execute("SELECT count(*) FROM activity").fetchone()[0]
        ok &= n_ref == n_coopera
        print(f"Coopera: {n_coopera} activities, references {n_ref}: {'same' if n_ref == n_coopera else 'DIFFERENT'}")
        rows = []
        # Records are kept in their stored form (a transaction's `value` holds its amount and
        # currency); a database written before that kept the document form (both at the top).
        for (doc,) in coopera.execute("SELECT doc FROM activity"):
            for t in json.loads(doc).get("transactions", ()):
                value = t.get("value", t)
                rows.append((Decimal(value["amount"]), value.get("currency")))
        coopera_sums = sums(rows)
        names = ("references", "Coopera")
        print_sums("Coopera, transaction values per currency, as stored", reference_sums(ref), coopera_sums, names)
        print_sums("Coopera, the same, restricted to what Coopera could keep without codelists",
                   reference_sums(ref, comparable=True), coopera_sums, names)

    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
