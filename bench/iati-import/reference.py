#!/usr/bin/env python3
"""Reference IATI importer for the benchmark: Python + lxml, the way today's IATI tools read
activity files (lxml.etree.iterparse, one <iati-activity> at a time, cleared when done, fields
taken with ElementPath find/iterfind), written to normalized SQLite tables (one table per
repeated thing; executemany, one transaction per file, WAL with synchronous=NORMAL as Coopera).

It extracts the field set that Coopera's mapper (crates/coopera-iati/src/read/map.rs) reads, no
more and no less:

- activity: iati-identifier (whitespace runs joined by `-`), @xml:lang, @default-currency,
  @humanitarian, the root's @version; reporting-org @ref @type @coopera:org and name;
  activity-status, collaboration-type, default-flow-type, default-finance-type,
  default-tied-status, the first default-aid-type of vocabulary 1 (@code each);
  coopera:activity @modality @instrument @cooperation-type @south-south @north-south
  @workflow @folio; coopera:cross-border @border;
- texts, all languages (narratives by xml:lang, inherited from the element, then the activity,
  then `en`; the first text of each language; or, in 1.0x files, the element's own text): title,
  the first description and the first objectives (description type 2), reporting and
  participating organisation names, non-SDG tag names, location name and description,
  transaction description, document-link title, result, indicator and coopera:result titles
  and descriptions, coopera:in-kind description, coopera:good-practice;
- participating-org @ref @type @role (1.0x names turned into codes) @coopera:org @coopera:role;
- activity-date @type (1.0x names turned into codes) @iso-date, except coopera:generated ones;
- sector @vocabulary (1.0x DAC/DAC-3/RO turned into codes) @code @percentage;
  recipient-country @code @percentage; recipient-region of vocabulary 1 @code @percentage;
  policy-marker of vocabulary 1 @code @significance; tag @vocabulary @code;
- location @ref, name, description, point/pos (latitude and longitude);
- budget and planned-disbursement @type, period-start/period-end @iso-date, value with its
  @currency (the activity's default-currency when it has none) and @value-date;
  planned-disbursement provider-org/receiver-org @ref @coopera:org @coopera:ref
  @provider-activity-id/@receiver-activity-id and the first narrative;
- transaction @ref @humanitarian, transaction-type @code (1.0x letters turned into codes),
  transaction-date @iso-date, value (currency defaulted as above, @value-date), description,
  provider-org/receiver-org (@ref @coopera:org @coopera:ref @…-activity-id, the name in its
  first language), sector @vocabulary @code (every one), the first recipient-country @code,
  the first recipient-region when of vocabulary 1, flow-type, finance-type, the first aid-type
  of vocabulary 1, tied-status;
- related-activity @type @ref; document-link @url @format, title, category @code (every
  one), language @code, document-date @iso-date;
- result @type, title, description; indicator @ascending, title, baseline @year @value;
  period period-start/period-end @iso-date, target @value, actual @value;
- coopera:mx-place @state @municipality, coopera:cross-border/coopera:dimension @code,
  coopera:in-kind @unit @quantity @unit-value @currency, coopera:result @type @index.

Not read, as in map.rs: contact-info, activity-scope, capital-spend, humanitarian-scope,
country-budget-items, conditions, disbursement-channel, participating-org @activity-id,
provider/receiver @type, location administrative/exactness/…, indicator @measure.

It does less than Coopera, so the comparison favours it: values are kept as published
(trimmed): no codelist checks, no date or number parsing, no percentage merging or rescaling,
no derived classification, no organisation keys, no warnings, no JSON documents, no change
history, no upsert of activities already stored; elements that Coopera leaves out (a bad code,
a transaction without a date…) are kept. Only activities without an identifier are skipped,
as Coopera refuses them. Coopera's extension elements are matched by their namespace
(https://coopera.dev/ns/iati/1), Coopera's own reader by the `coopera:` prefix.

usage: reference.py CORPUS_DIR_OR_FILES... DB
"""

import os
import sqlite3
import sys

from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
COOPERA_NS = "https://coopera.dev/ns/iati/1"
C = "{" + COOPERA_NS + "}"

SCHEMA = """
CREATE TABLE activity (id INTEGER PRIMARY KEY, file TEXT NOT NULL, identifier TEXT NOT NULL,
    version TEXT, lang TEXT, default_currency TEXT, humanitarian TEXT,
    reporting_org_ref TEXT, reporting_org_type TEXT, reporting_org_coopera_org TEXT,
    status TEXT, collaboration_type TEXT, flow_type TEXT, finance_type TEXT, aid_type TEXT,
    tied_status TEXT, modality TEXT, instrument TEXT, cooperation_type TEXT, south_south TEXT,
    north_south TEXT, workflow TEXT, folio TEXT, cross_border TEXT);
-- Every text, by language. owner: the table of the row the text belongs to (activity,
-- participant, tag, location, txn, document_link, result, indicator, in_kind, coopera_result).
CREATE TABLE narrative (activity_id INTEGER, owner TEXT, owner_id INTEGER, field TEXT,
    lang TEXT, text TEXT);
CREATE TABLE participant (id INTEGER PRIMARY KEY, activity_id INTEGER, ref TEXT, type TEXT,
    role TEXT, coopera_org TEXT, coopera_role TEXT);
CREATE TABLE activity_date (activity_id INTEGER, type TEXT, iso_date TEXT);
CREATE TABLE sector (activity_id INTEGER, vocabulary TEXT, code TEXT, percentage TEXT);
CREATE TABLE recipient_country (activity_id INTEGER, code TEXT, percentage TEXT);
CREATE TABLE recipient_region (activity_id INTEGER, code TEXT, percentage TEXT);
CREATE TABLE policy_marker (activity_id INTEGER, code TEXT, significance TEXT);
CREATE TABLE tag (id INTEGER PRIMARY KEY, activity_id INTEGER, vocabulary TEXT, code TEXT);
CREATE TABLE location (id INTEGER PRIMARY KEY, activity_id INTEGER, ref TEXT, latitude TEXT,
    longitude TEXT);
CREATE TABLE budget (activity_id INTEGER, type TEXT, period_start TEXT, period_end TEXT,
    value TEXT, currency TEXT, value_date TEXT);
CREATE TABLE planned_disbursement (activity_id INTEGER, type TEXT, period_start TEXT,
    period_end TEXT, value TEXT, currency TEXT, value_date TEXT,
    provider_ref TEXT, provider_coopera_org TEXT, provider_coopera_ref TEXT, provider_name TEXT,
    provider_activity_id TEXT, receiver_ref TEXT, receiver_coopera_org TEXT,
    receiver_coopera_ref TEXT, receiver_name TEXT, receiver_activity_id TEXT);
CREATE TABLE txn (id INTEGER PRIMARY KEY, activity_id INTEGER, ref TEXT, humanitarian TEXT,
    type TEXT, date TEXT, value TEXT, currency TEXT, value_date TEXT,
    provider_ref TEXT, provider_coopera_org TEXT, provider_coopera_ref TEXT, provider_name TEXT,
    provider_activity_id TEXT, receiver_ref TEXT, receiver_coopera_org TEXT,
    receiver_coopera_ref TEXT, receiver_name TEXT, receiver_activity_id TEXT,
    recipient_country TEXT, recipient_region TEXT, flow_type TEXT, finance_type TEXT,
    aid_type TEXT, tied_status TEXT);
CREATE TABLE txn_sector (txn_id INTEGER, vocabulary TEXT, code TEXT);
CREATE TABLE related_activity (activity_id INTEGER, type TEXT, ref TEXT);
CREATE TABLE document_link (id INTEGER PRIMARY KEY, activity_id INTEGER, url TEXT,
    format TEXT, document_date TEXT);
CREATE TABLE document_category (document_link_id INTEGER, code TEXT);
CREATE TABLE document_language (document_link_id INTEGER, code TEXT);
CREATE TABLE result (id INTEGER PRIMARY KEY, activity_id INTEGER, type TEXT);
CREATE TABLE indicator (id INTEGER PRIMARY KEY, result_id INTEGER, ascending TEXT,
    baseline_year TEXT, baseline_value TEXT);
CREATE TABLE indicator_period (indicator_id INTEGER, period_start TEXT, period_end TEXT,
    target TEXT, actual TEXT);
CREATE TABLE mx_place (activity_id INTEGER, state TEXT, municipality TEXT);
CREATE TABLE cross_border_dimension (activity_id INTEGER, code TEXT);
CREATE TABLE in_kind (id INTEGER PRIMARY KEY, activity_id INTEGER, unit TEXT, quantity TEXT,
    unit_value TEXT, currency TEXT);
CREATE TABLE coopera_result (id INTEGER PRIMARY KEY, activity_id INTEGER, type TEXT,
    position TEXT);
"""

# Version 1 codes and names, as map.rs turns them into 2.0x codes.
V1_TRANSACTION_TYPE = {"IF": "1", "C": "2", "D": "3", "E": "4", "IR": "5", "LR": "6", "R": "7",
                       "QP": "8", "QS": "9", "CG": "10"}
V1_ROLE = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
V1_DATE_TYPE = {"start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"}
V1_SECTOR_VOCABULARY = {"DAC": "1", "DAC-3": "2", "RO": "99", "RO2": "99"}
VOCABULARY_1 = (None, "1")


# ---------------------------------------------------------------------------------------------
# Shared with reference_xpath.py: the database side.

class Batch:
    """The rows of one file, by table, and the ids given so far (across files)."""

    def __init__(self, tables, ids):
        self.rows = {t: [] for t in tables}
        self.ids = ids

    def next_id(self, table):
        self.ids[table] = n = self.ids.get(table, 0) + 1
        return n


def open_db(path):
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    inserts = {}
    for t in tables:
        columns = len(db.execute(f"PRAGMA table_info({t})").fetchall())
        inserts[t] = f"INSERT INTO {t} VALUES ({','.join('?' * columns)})"
    return db, inserts


def write(db, inserts, batch):
    """One transaction per file."""
    with db:
        for table, rows in batch.rows.items():
            if rows:
                db.executemany(inserts[table], rows)


def files_of(args):
    for arg in args:
        if os.path.isdir(arg):
            for name in sorted(os.listdir(arg)):
                if name.lower().endswith(".xml"):
                    yield os.path.join(arg, name)
        else:
            yield arg


def run(read_file, usage):
    """Command line: reads every file with read_file(path, batch) and stores its rows."""
    if len(sys.argv) < 3:
        sys.exit(usage)
    *inputs, db_path = sys.argv[1:]
    db, inserts = open_db(db_path)
    ids = {}
    for path in files_of(inputs):
        batch = Batch(inserts, ids)
        read_file(path, batch)
        write(db, inserts, batch)
    db.close()
    print(f"{ids.get('activity', 0)} activities")


# ---------------------------------------------------------------------------------------------
# Reading with ElementPath.

def attr(el, name):
    """A non-blank attribute, trimmed; None when absent or blank."""
    if el is None:
        return None
    v = el.get(name)
    if v:
        v = v.strip()
    return v or None


def own_text(el):
    """The element's own text, trimmed: all its text nodes, not its children's."""
    t = el.text or ""
    if len(el):
        t += "".join(c.tail or "" for c in el)
    return t.strip()


def texts(el, lang):
    """{lang: text}: the first narrative of each language (2.0x), or the element's own text
    (1.0x). `lang` is the activity's; the element's own xml:lang comes first."""
    lang = attr(el, XML_LANG) or lang
    out = {}
    for n in el.iterfind("narrative"):
        t = own_text(n)
        if t:
            key = (attr(n, XML_LANG) or lang).lower()
            if key not in out:
                out[key] = t
    if not out:
        t = own_text(el)
        if t:
            out[lang.lower()] = t
    return out


def put_texts(out, aid, owner, owner_id, field, el, lang):
    """Adds the texts of `el` (if any) as narrative rows; says whether there were any."""
    if el is None:
        return False
    found = texts(el, lang)
    for key, t in found.items():
        out.append((aid, owner, owner_id, field, key, t))
    return bool(found)


def first_of_vocabulary_1(el, name):
    for x in el.iterfind(name):
        if attr(x, "vocabulary") in VOCABULARY_1:
            return x
    return None


def party(p, activity_attr, name):
    """provider-org/receiver-org: ref, coopera:org, coopera:ref, name, activity id."""
    if p is None:
        return (None, None, None, None, None)
    return (attr(p, "ref"), attr(p, C + "org"), attr(p, C + "ref"), name, attr(p, activity_attr))


def first_lang_text(p, lang):
    """A transaction party's name: its text in the first language (by code), as map.rs."""
    found = texts(p, lang)
    return found[min(found)] if found else None


def first_narrative(p):
    """A planned disbursement party's name: its first narrative."""
    n = p.find("narrative") if p is not None else None
    return (own_text(n) or None) if n is not None else None


def value_of(parent, default_currency):
    """value text, currency (or the default), value-date of the first <value>."""
    v = parent.find("value")
    if v is None:
        return (None, None, None)
    return (own_text(v) or None, attr(v, "currency") or default_currency, attr(v, "value-date"))


def read_activity(a, file, version, batch):
    rows = batch.rows
    id_el = a.find("iati-identifier")
    identifier = "-".join(own_text(id_el).split()) if id_el is not None else ""
    if not identifier:
        return  # Coopera refuses an activity without identifier
    aid = batch.next_id("activity")
    v1 = version.startswith("1")
    lang = (attr(a, XML_LANG) or "en").lower()
    narrative = rows["narrative"]
    default_currency = attr(a, "default-currency")

    reporting = a.find("reporting-org")
    put_texts(narrative, aid, "activity", aid, "reporting_org", reporting, lang)
    put_texts(narrative, aid, "activity", aid, "title", a.find("title"), lang)
    done = set()
    for d in a.iterfind("description"):
        if attr(d, C + "generated") == "true":
            continue
        field = "objectives" if attr(d, "type") == "2" else "description"
        if field not in done and put_texts(narrative, aid, "activity", aid, field, d, lang):
            done.add(field)

    for p in a.iterfind("participating-org"):
        pid = batch.next_id("participant")
        role = attr(p, "role")
        rows["participant"].append((
            pid, aid, attr(p, "ref"), attr(p, "type"), V1_ROLE.get(role.lower(), role) if role else None,
            attr(p, C + "org"), attr(p, C + "role"),
        ))
        put_texts(narrative, aid, "participant", pid, "name", p, lang)

    aid_type = first_of_vocabulary_1(a, "default-aid-type")
    ext = a.find(C + "activity")
    cross_border = a.find(C + "cross-border")
    rows["activity"].append((
        aid, file, identifier, version, lang, default_currency, attr(a, "humanitarian"),
        attr(reporting, "ref"), attr(reporting, "type"), attr(reporting, C + "org"),
        attr(a.find("activity-status"), "code"), attr(a.find("collaboration-type"), "code"),
        attr(a.find("default-flow-type"), "code"), attr(a.find("default-finance-type"), "code"),
        attr(aid_type, "code"), attr(a.find("default-tied-status"), "code"),
        attr(ext, "modality"), attr(ext, "instrument"), attr(ext, "cooperation-type"),
        attr(ext, "south-south"), attr(ext, "north-south"), attr(ext, "workflow"), attr(ext, "folio"),
        attr(cross_border, "border"),
    ))
    if attr(cross_border, "border"):
        for d in cross_border.iterfind(C + "dimension"):
            rows["cross_border_dimension"].append((aid, attr(d, "code")))

    for d in a.iterfind("activity-date"):
        if attr(d, C + "generated") == "true":
            continue
        kind = attr(d, "type")
        rows["activity_date"].append((aid, V1_DATE_TYPE.get(kind, kind), attr(d, "iso-date")))

    for s in a.iterfind("sector"):
        vocabulary = attr(s, "vocabulary")
        if v1 and vocabulary:
            vocabulary = V1_SECTOR_VOCABULARY.get(vocabulary, vocabulary)
        rows["sector"].append((aid, vocabulary or "1", attr(s, "code"), attr(s, "percentage")))
    for c in a.iterfind("recipient-country"):
        rows["recipient_country"].append((aid, attr(c, "code"), attr(c, "percentage")))
    for r in a.iterfind("recipient-region"):
        if attr(r, "vocabulary") in VOCABULARY_1:
            rows["recipient_region"].append((aid, attr(r, "code"), attr(r, "percentage")))
    for p in a.iterfind("policy-marker"):
        if attr(p, "vocabulary") in VOCABULARY_1:
            rows["policy_marker"].append((aid, attr(p, "code"), attr(p, "significance")))
    for t in a.iterfind("tag"):
        tid = batch.next_id("tag")
        vocabulary = attr(t, "vocabulary")
        rows["tag"].append((tid, aid, vocabulary, attr(t, "code")))
        if vocabulary not in ("2", "3"):  # SDG goals and targets have no name in Coopera
            put_texts(narrative, aid, "tag", tid, "name", t, lang)

    for b in a.iterfind("budget"):
        rows["budget"].append((
            aid, attr(b, "type"), attr(b.find("period-start"), "iso-date"), attr(b.find("period-end"), "iso-date"),
            *value_of(b, default_currency),
        ))
    for d in a.iterfind("planned-disbursement"):
        provider, receiver = d.find("provider-org"), d.find("receiver-org")
        rows["planned_disbursement"].append((
            aid, attr(d, "type"), attr(d.find("period-start"), "iso-date"), attr(d.find("period-end"), "iso-date"),
            *value_of(d, default_currency),
            *party(provider, "provider-activity-id", first_narrative(provider)),
            *party(receiver, "receiver-activity-id", first_narrative(receiver)),
        ))
    for t in a.iterfind("transaction"):
        xid = batch.next_id("txn")
        kind = attr(t.find("transaction-type"), "code")
        provider, receiver = t.find("provider-org"), t.find("receiver-org")
        region = t.find("recipient-region")
        if region is not None and attr(region, "vocabulary") not in VOCABULARY_1:
            region = None
        rows["txn"].append((
            xid, aid, attr(t, "ref"), attr(t, "humanitarian"), V1_TRANSACTION_TYPE.get(kind, kind),
            attr(t.find("transaction-date"), "iso-date"), *value_of(t, default_currency),
            *party(provider, "provider-activity-id", first_lang_text(provider, lang) if provider is not None else None),
            *party(receiver, "receiver-activity-id", first_lang_text(receiver, lang) if receiver is not None else None),
            attr(t.find("recipient-country"), "code"), attr(region, "code"),
            attr(t.find("flow-type"), "code"), attr(t.find("finance-type"), "code"),
            attr(first_of_vocabulary_1(t, "aid-type"), "code"), attr(t.find("tied-status"), "code"),
        ))
        put_texts(narrative, aid, "txn", xid, "description", t.find("description"), lang)
        for s in t.iterfind("sector"):
            vocabulary = attr(s, "vocabulary")
            rows["txn_sector"].append((xid, V1_SECTOR_VOCABULARY.get(vocabulary, vocabulary) or "1", attr(s, "code")))

    for l in a.iterfind("location"):
        lid = batch.next_id("location")
        point = l.find("point")
        pos = point.find("pos") if point is not None else None
        parts = own_text(pos).split() if pos is not None else ()
        lat, lon = (parts[0], parts[1]) if len(parts) >= 2 else (None, None)
        rows["location"].append((lid, aid, attr(l, "ref"), lat, lon))
        put_texts(narrative, aid, "location", lid, "name", l.find("name"), lang)
        put_texts(narrative, aid, "location", lid, "description", l.find("description"), lang)

    for r in a.iterfind("related-activity"):
        ref = attr(r, "ref")
        rows["related_activity"].append((aid, attr(r, "type"), "-".join(ref.split()) if ref else None))

    for d in a.iterfind("document-link"):
        did = batch.next_id("document_link")
        rows["document_link"].append((did, aid, attr(d, "url"), attr(d, "format"),
                                      attr(d.find("document-date"), "iso-date")))
        put_texts(narrative, aid, "document_link", did, "title", d.find("title"), lang)
        for c in d.iterfind("category"):
            rows["document_category"].append((did, attr(c, "code")))
        for g in d.iterfind("language"):
            code = attr(g, "code")
            if code:
                rows["document_language"].append((did, code.lower()))

    for r in a.iterfind("result"):
        rid = batch.next_id("result")
        rows["result"].append((rid, aid, attr(r, "type")))
        put_texts(narrative, aid, "result", rid, "title", r.find("title"), lang)
        put_texts(narrative, aid, "result", rid, "description", r.find("description"), lang)
        for ind in r.iterfind("indicator"):
            iid = batch.next_id("indicator")
            baseline = ind.find("baseline")
            rows["indicator"].append((iid, rid, attr(ind, "ascending"), attr(baseline, "year"), attr(baseline, "value")))
            put_texts(narrative, aid, "indicator", iid, "title", ind.find("title"), lang)
            for per in ind.iterfind("period"):
                rows["indicator_period"].append((
                    iid, attr(per.find("period-start"), "iso-date"), attr(per.find("period-end"), "iso-date"),
                    attr(per.find("target"), "value"), attr(per.find("actual"), "value"),
                ))

    for p in a.iterfind(C + "mx-place"):
        rows["mx_place"].append((aid, attr(p, "state"), attr(p, "municipality")))
    for k in a.iterfind(C + "in-kind"):
        kid = batch.next_id("in_kind")
        rows["in_kind"].append((kid, aid, attr(k, "unit"), attr(k, "quantity"), attr(k, "unit-value"),
                                attr(k, "currency")))
        put_texts(narrative, aid, "in_kind", kid, "description", k, lang)
    for r in a.iterfind(C + "result"):
        rid = batch.next_id("coopera_result")
        rows["coopera_result"].append((rid, aid, attr(r, "type"), attr(r, "index")))
        put_texts(narrative, aid, "coopera_result", rid, "title", r.find(C + "title"), lang)
        put_texts(narrative, aid, "coopera_result", rid, "description", r.find(C + "description"), lang)
    put_texts(narrative, aid, "activity", aid, "good_practice", a.find(C + "good-practice"), lang)


def read_file(path, batch):
    context = etree.iterparse(path, events=("end",), tag="iati-activity",
                              resolve_entities=False, no_network=True)
    version = None
    for _, a in context:
        if version is None:
            version = attr(a.getparent(), "version") or "2.03"
        read_activity(a, path, version, batch)
        # Free what was read: the element and the siblings before it.
        a.clear(keep_tail=True)
        while a.getprevious() is not None:
            del a.getparent()[0]
    del context


if __name__ == "__main__":
    run(read_file, __doc__)
