#!/usr/bin/env python3
"""Reference IATI importer for the benchmark: Python + lxml, the way today's IATI tools read
activity files (lxml.etree.iterparse, one <iati-activity> at a time, cleared when done) and
write them to SQLite (executemany, one transaction per file).

It extracts the fields Coopera's mapper reads: identifier, reporting organisation, titles and
descriptions by language, participating organisations with roles, status, dates, sectors and
recipient countries/regions with percentages, policy markers, SDG tags, budgets, transactions
(currency, date, provider, receiver) and results with their indicators. It does less than
Coopera: no codelist checks, no percentage rescaling, no change history, no JSON documents —
so the comparison favours it.

usage: reference.py CORPUS_DIR_OR_FILES... DB
"""

import os
import sqlite3
import sys

from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

SCHEMA = """
CREATE TABLE activity (id INTEGER PRIMARY KEY, identifier TEXT NOT NULL, file TEXT NOT NULL,
    reporting_org_ref TEXT, reporting_org_type TEXT, reporting_org_name TEXT, default_currency TEXT,
    status TEXT, collaboration_type TEXT, flow_type TEXT, finance_type TEXT, aid_type TEXT,
    humanitarian TEXT);
CREATE TABLE narrative (activity_id INTEGER, field TEXT, lang TEXT, text TEXT);
CREATE TABLE participant (activity_id INTEGER, ref TEXT, role TEXT, type TEXT, name TEXT);
CREATE TABLE activity_date (activity_id INTEGER, type TEXT, iso_date TEXT);
CREATE TABLE sector (activity_id INTEGER, vocabulary TEXT, code TEXT, percentage TEXT);
CREATE TABLE place (activity_id INTEGER, kind TEXT, vocabulary TEXT, code TEXT, percentage TEXT);
CREATE TABLE policy_marker (activity_id INTEGER, vocabulary TEXT, code TEXT, significance TEXT);
CREATE TABLE sdg (activity_id INTEGER, vocabulary TEXT, code TEXT);
CREATE TABLE budget (activity_id INTEGER, type TEXT, period_start TEXT, period_end TEXT,
    value TEXT, currency TEXT, value_date TEXT);
CREATE TABLE txn (activity_id INTEGER, type TEXT, date TEXT, value TEXT, currency TEXT,
    value_date TEXT, provider_ref TEXT, provider_name TEXT, receiver_ref TEXT, receiver_name TEXT);
CREATE TABLE result (id INTEGER PRIMARY KEY, activity_id INTEGER, type TEXT, title TEXT);
CREATE TABLE indicator (result_id INTEGER, title TEXT, measure TEXT, baseline_year TEXT,
    baseline_value TEXT, periods INTEGER);
"""


def text_of(el):
    """The element's narratives (2.0x) or its own text (1.0x), as the first non-empty one."""
    if el is None:
        return None
    for n in el.iterfind("narrative"):
        if n.text and n.text.strip():
            return n.text.strip()
    if el.text and el.text.strip():
        return el.text.strip()
    return None


def narratives(el, default_lang):
    """(lang, text) of every narrative, or of the element's own text."""
    out = []
    for n in el.iterfind("narrative"):
        if n.text and n.text.strip():
            out.append(((n.get(XML_LANG) or default_lang).lower(), n.text.strip()))
    if not out and el.text and el.text.strip():
        out.append(((el.get(XML_LANG) or default_lang).lower(), el.text.strip()))
    return out


def attr(el, name):
    if el is None:
        return None
    v = el.get(name)
    return v.strip() if v else v


class Rows:
    def __init__(self):
        self.tables = {}

    def add(self, table, row):
        self.tables.setdefault(table, []).append(row)


def read_activity(a, aid, file, rows):
    lang = (a.get(XML_LANG) or "en").lower()
    reporting = a.find("reporting-org")
    rows.add("activity", (
        aid, (a.findtext("iati-identifier") or "").strip(), file,
        attr(reporting, "ref"), attr(reporting, "type"), text_of(reporting), attr(a, "default-currency"),
        attr(a.find("activity-status"), "code"), attr(a.find("collaboration-type"), "code"),
        attr(a.find("default-flow-type"), "code"), attr(a.find("default-finance-type"), "code"),
        attr(a.find("default-aid-type"), "code"), attr(a, "humanitarian"),
    ))
    for field in ("title", "description"):
        for el in a.iterfind(field):
            kind = field if field == "title" else "description-" + (el.get("type") or "1")
            for lng, txt in narratives(el, lang):
                rows.add("narrative", (aid, kind, lng, txt))
    for p in a.iterfind("participating-org"):
        rows.add("participant", (aid, attr(p, "ref"), attr(p, "role"), attr(p, "type"), text_of(p)))
    for d in a.iterfind("activity-date"):
        rows.add("activity_date", (aid, attr(d, "type"), attr(d, "iso-date")))
    for s in a.iterfind("sector"):
        rows.add("sector", (aid, attr(s, "vocabulary") or "1", attr(s, "code"), attr(s, "percentage")))
    for c in a.iterfind("recipient-country"):
        rows.add("place", (aid, "country", None, attr(c, "code"), attr(c, "percentage")))
    for r in a.iterfind("recipient-region"):
        rows.add("place", (aid, "region", attr(r, "vocabulary") or "1", attr(r, "code"), attr(r, "percentage")))
    for p in a.iterfind("policy-marker"):
        rows.add("policy_marker", (aid, attr(p, "vocabulary") or "1", attr(p, "code"), attr(p, "significance")))
    for t in a.iterfind("tag"):
        if t.get("vocabulary") in ("2", "3"):
            rows.add("sdg", (aid, t.get("vocabulary"), attr(t, "code")))
    default_currency = attr(a, "default-currency")
    for b in a.iterfind("budget"):
        v = b.find("value")
        rows.add("budget", (
            aid, attr(b, "type"), attr(b.find("period-start"), "iso-date"), attr(b.find("period-end"), "iso-date"),
            v.text.strip() if v is not None and v.text else None, attr(v, "currency") or default_currency,
            attr(v, "value-date"),
        ))
    for t in a.iterfind("transaction"):
        v = t.find("value")
        provider, receiver = t.find("provider-org"), t.find("receiver-org")
        rows.add("txn", (
            aid, attr(t.find("transaction-type"), "code"), attr(t.find("transaction-date"), "iso-date"),
            v.text.strip() if v is not None and v.text else None, attr(v, "currency") or default_currency,
            attr(v, "value-date"), attr(provider, "ref"), text_of(provider), attr(receiver, "ref"), text_of(receiver),
        ))
    for r in a.iterfind("result"):
        rid = len(rows.tables.get("result", [])) + rows.result_base
        rows.add("result", (rid, aid, attr(r, "type"), text_of(r.find("title"))))
        for ind in r.iterfind("indicator"):
            baseline = ind.find("baseline")
            rows.add("indicator", (
                rid, text_of(ind.find("title")), attr(ind, "measure"), attr(baseline, "year"),
                attr(baseline, "value"), len(ind.findall("period")),
            ))


def files_of(args):
    for arg in args:
        if os.path.isdir(arg):
            for name in sorted(os.listdir(arg)):
                if name.lower().endswith(".xml"):
                    yield os.path.join(arg, name)
        else:
            yield arg


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    *inputs, db_path = sys.argv[1:]
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(SCHEMA)
    aid = 0
    result_base = 0
    activities = 0
    for path in files_of(inputs):
        rows = Rows()
        rows.result_base = result_base
        context = etree.iterparse(path, events=("end",), tag="iati-activity",
                                  resolve_entities=False, no_network=True, huge_tree=False)
        for _, a in context:
            aid += 1
            read_activity(a, aid, path, rows)
            # Free what was read: the element and the siblings before it.
            a.clear()
            while a.getprevious() is not None:
                del a.getparent()[0]
        del context
        result_base += len(rows.tables.get("result", []))
        with db:
            for table, values in rows.tables.items():
                marks = ",".join("?" * len(values[0]))
                db.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
        activities += len(rows.tables.get("activity", []))
    db.close()
    print(f"{activities} activities")


if __name__ == "__main__":
    main()
