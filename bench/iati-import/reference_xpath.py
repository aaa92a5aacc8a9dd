#!/usr/bin/env python3
"""Second reference IATI importer for the benchmark, written the way the IATI Datastore Classic
parser (iatilib, IATI's former datastore) and pyIATI read activity files: `lxml.etree.parse` of
the whole file, then, for each `iati-activity` element, every field taken with an
`element.xpath(...)` expression through small helpers (`xval(el, "@ref")`, `xtexts(el, …)`),
one row per entity.

It extracts exactly the field set of reference.py (which lists it, and what neither does
compared with Coopera) into the same tables: the schema and the database side are imported
from there, so only the reading differs. Rows are written with sqlite3 executemany in one
transaction per file. This favours it over the original, which built SQLAlchemy ORM objects
(and converted codes and dates as it went) before committing them.

The parser refuses to resolve entities or reach the network
(XMLParser(resolve_entities=False, no_network=True)).

usage: reference_xpath.py CORPUS_DIR_OR_FILES... DB
"""

from lxml import etree

from reference import (
    COOPERA_NS, V1_DATE_TYPE, V1_ROLE, V1_SECTOR_VOCABULARY, V1_TRANSACTION_TYPE, run,
)

NS = {"coopera": COOPERA_NS}
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def xval(el, xpath, default=None):
    """The first result of `xpath`, trimmed; `default` when none or blank."""
    found = el.xpath(xpath, namespaces=NS)
    if not found:
        return default
    v = found[0].strip()
    return v or default


def xtext(el):
    """The element's own text (all its text nodes), trimmed."""
    return "".join(el.xpath("text()")).strip()


def xtexts(el, lang):
    """{lang: text}: the first narrative of each language (2.0x), or the element's own text
    (1.0x). `lang` is the activity's; the element's own xml:lang comes first."""
    lang = xval(el, "@xml:lang", lang)
    out = {}
    for n in el.xpath("narrative"):
        t = xtext(n)
        if t:
            key = xval(n, "@xml:lang", lang).lower()
            if key not in out:
                out[key] = t
    if not out:
        t = xtext(el)
        if t:
            out[lang.lower()] = t
    return out


def put_texts(out, aid, owner, owner_id, field, el, xpath, lang):
    """Adds the texts of the first element `xpath` finds under `el` as narrative rows; says
    whether there were any."""
    found = el.xpath(xpath, namespaces=NS) if xpath else [el]
    if not found:
        return False
    texts = xtexts(found[0], lang)
    for key, t in texts.items():
        out.append((aid, owner, owner_id, field, key, t))
    return bool(texts)


def party(el, name, activity_attr, name_of):
    """provider-org/receiver-org: ref, coopera:org, coopera:ref, name, activity id."""
    found = el.xpath(name)
    if not found:
        return (None, None, None, None, None)
    p = found[0]
    return (xval(p, "@ref"), xval(p, "@coopera:org"), xval(p, "@coopera:ref"), name_of(p),
            xval(p, "@" + activity_attr))


def first_narrative(p):
    """A planned disbursement party's name: its first narrative."""
    found = p.xpath("narrative[1]")
    return (xtext(found[0]) or None) if found else None


def value_of(el, default_currency):
    """value text, currency (or the default), value-date of the first <value>."""
    found = el.xpath("value[1]")
    if not found:
        return (None, None, None)
    v = found[0]
    return (xtext(v) or None, xval(v, "@currency", default_currency), xval(v, "@value-date"))


def activity(a, file, version, batch):
    rows = batch.rows
    identifier = "-".join("".join(a.xpath("iati-identifier[1]/text()")).split())
    if not identifier:
        return  # Coopera refuses an activity without identifier
    aid = batch.next_id("activity")
    v1 = version.startswith("1")
    lang = xval(a, "@xml:lang", "en").lower()
    narrative = rows["narrative"]
    default_currency = xval(a, "@default-currency")

    put_texts(narrative, aid, "activity", aid, "reporting_org", a, "reporting-org[1]", lang)
    put_texts(narrative, aid, "activity", aid, "title", a, "title[1]", lang)
    done = set()
    for d in a.xpath("description[not(normalize-space(@coopera:generated) = 'true')]", namespaces=NS):
        field = "objectives" if xval(d, "@type") == "2" else "description"
        if field not in done and put_texts(narrative, aid, "activity", aid, field, d, None, lang):
            done.add(field)

    for p in a.xpath("participating-org"):
        pid = batch.next_id("participant")
        role = xval(p, "@role")
        rows["participant"].append((
            pid, aid, xval(p, "@ref"), xval(p, "@type"), V1_ROLE.get(role.lower(), role) if role else None,
            xval(p, "@coopera:org"), xval(p, "@coopera:role"),
        ))
        put_texts(narrative, aid, "participant", pid, "name", p, None, lang)

    border = xval(a, "coopera:cross-border[1]/@border")
    rows["activity"].append((
        aid, file, identifier, version, lang, default_currency, xval(a, "@humanitarian"),
        xval(a, "reporting-org[1]/@ref"), xval(a, "reporting-org[1]/@type"), xval(a, "reporting-org[1]/@coopera:org"),
        xval(a, "activity-status[1]/@code"), xval(a, "collaboration-type[1]/@code"),
        xval(a, "default-flow-type[1]/@code"), xval(a, "default-finance-type[1]/@code"),
        xval(a, "default-aid-type[not(@vocabulary) or normalize-space(@vocabulary) = '' "
                "or normalize-space(@vocabulary) = '1'][1]/@code"),
        xval(a, "default-tied-status[1]/@code"),
        xval(a, "coopera:activity[1]/@modality"), xval(a, "coopera:activity[1]/@instrument"),
        xval(a, "coopera:activity[1]/@cooperation-type"), xval(a, "coopera:activity[1]/@south-south"),
        xval(a, "coopera:activity[1]/@north-south"), xval(a, "coopera:activity[1]/@workflow"),
        xval(a, "coopera:activity[1]/@folio"), border,
    ))
    if border:
        for code in a.xpath("coopera:cross-border[1]/coopera:dimension", namespaces=NS):
            rows["cross_border_dimension"].append((aid, xval(code, "@code")))

    for d in a.xpath("activity-date[not(normalize-space(@coopera:generated) = 'true')]", namespaces=NS):
        kind = xval(d, "@type")
        rows["activity_date"].append((aid, V1_DATE_TYPE.get(kind, kind), xval(d, "@iso-date")))

    for s in a.xpath("sector"):
        vocabulary = xval(s, "@vocabulary")
        if v1 and vocabulary:
            vocabulary = V1_SECTOR_VOCABULARY.get(vocabulary, vocabulary)
        rows["sector"].append((aid, vocabulary or "1", xval(s, "@code"), xval(s, "@percentage")))
    for c in a.xpath("recipient-country"):
        rows["recipient_country"].append((aid, xval(c, "@code"), xval(c, "@percentage")))
    vocabulary_1 = "[not(@vocabulary) or normalize-space(@vocabulary) = '' or normalize-space(@vocabulary) = '1']"
    for r in a.xpath("recipient-region" + vocabulary_1):
        rows["recipient_region"].append((aid, xval(r, "@code"), xval(r, "@percentage")))
    for p in a.xpath("policy-marker" + vocabulary_1):
        rows["policy_marker"].append((aid, xval(p, "@code"), xval(p, "@significance")))
    for t in a.xpath("tag"):
        tid = batch.next_id("tag")
        vocabulary = xval(t, "@vocabulary")
        rows["tag"].append((tid, aid, vocabulary, xval(t, "@code")))
        if vocabulary not in ("2", "3"):  # SDG goals and targets have no name in Coopera
            put_texts(narrative, aid, "tag", tid, "name", t, None, lang)

    for b in a.xpath("budget"):
        rows["budget"].append((
            aid, xval(b, "@type"), xval(b, "period-start[1]/@iso-date"), xval(b, "period-end[1]/@iso-date"),
            *value_of(b, default_currency),
        ))

    for d in a.xpath("planned-disbursement"):
        rows["planned_disbursement"].append((
            aid, xval(d, "@type"), xval(d, "period-start[1]/@iso-date"), xval(d, "period-end[1]/@iso-date"),
            *value_of(d, default_currency),
            *party(d, "provider-org[1]", "provider-activity-id", first_narrative),
            *party(d, "receiver-org[1]", "receiver-activity-id", first_narrative),
        ))

    def first_lang_text(p):
        texts = xtexts(p, lang)
        return texts[min(texts)] if texts else None

    for t in a.xpath("transaction"):
        xid = batch.next_id("txn")
        kind = xval(t, "transaction-type[1]/@code")
        rows["txn"].append((
            xid, aid, xval(t, "@ref"), xval(t, "@humanitarian"), V1_TRANSACTION_TYPE.get(kind, kind),
            xval(t, "transaction-date[1]/@iso-date"), *value_of(t, default_currency),
            *party(t, "provider-org[1]", "provider-activity-id", first_lang_text),
            *party(t, "receiver-org[1]", "receiver-activity-id", first_lang_text),
            xval(t, "recipient-country[1]/@code"), xval(t, "recipient-region[1]" + vocabulary_1 + "/@code"),
            xval(t, "flow-type[1]/@code"), xval(t, "finance-type[1]/@code"),
            xval(t, "aid-type" + vocabulary_1 + "[1]/@code"), xval(t, "tied-status[1]/@code"),
        ))
        put_texts(narrative, aid, "txn", xid, "description", t, "description[1]", lang)
        for s in t.xpath("sector"):
            vocabulary = xval(s, "@vocabulary")
            rows["txn_sector"].append((xid, V1_SECTOR_VOCABULARY.get(vocabulary, vocabulary) or "1", xval(s, "@code")))

    for l in a.xpath("location"):
        lid = batch.next_id("location")
        parts = "".join(l.xpath("point[1]/pos[1]/text()")).split()
        lat, lon = (parts[0], parts[1]) if len(parts) >= 2 else (None, None)
        rows["location"].append((lid, aid, xval(l, "@ref"), lat, lon))
        put_texts(narrative, aid, "location", lid, "name", l, "name[1]", lang)
        put_texts(narrative, aid, "location", lid, "description", l, "description[1]", lang)

    for r in a.xpath("related-activity"):
        ref = xval(r, "@ref")
        rows["related_activity"].append((aid, xval(r, "@type"), "-".join(ref.split()) if ref else None))

    for d in a.xpath("document-link"):
        did = batch.next_id("document_link")
        rows["document_link"].append((did, aid, xval(d, "@url"), xval(d, "@format"),
                                      xval(d, "document-date[1]/@iso-date")))
        put_texts(narrative, aid, "document_link", did, "title", d, "title[1]", lang)
        for c in d.xpath("category"):
            rows["document_category"].append((did, xval(c, "@code")))
        for g in d.xpath("language"):
            code = xval(g, "@code")
            if code:
                rows["document_language"].append((did, code.lower()))

    for r in a.xpath("result"):
        rid = batch.next_id("result")
        rows["result"].append((rid, aid, xval(r, "@type")))
        put_texts(narrative, aid, "result", rid, "title", r, "title[1]", lang)
        put_texts(narrative, aid, "result", rid, "description", r, "description[1]", lang)
        for ind in r.xpath("indicator"):
            iid = batch.next_id("indicator")
            rows["indicator"].append((iid, rid, xval(ind, "@ascending"), xval(ind, "baseline[1]/@year"),
                                      xval(ind, "baseline[1]/@value")))
            put_texts(narrative, aid, "indicator", iid, "title", ind, "title[1]", lang)
            for per in ind.xpath("period"):
                rows["indicator_period"].append((
                    iid, xval(per, "period-start[1]/@iso-date"), xval(per, "period-end[1]/@iso-date"),
                    xval(per, "target[1]/@value"), xval(per, "actual[1]/@value"),
                ))

    for p in a.xpath("coopera:mx-place", namespaces=NS):
        rows["mx_place"].append((aid, xval(p, "@state"), xval(p, "@municipality")))
    for k in a.xpath("coopera:in-kind", namespaces=NS):
        kid = batch.next_id("in_kind")
        rows["in_kind"].append((kid, aid, xval(k, "@unit"), xval(k, "@quantity"), xval(k, "@unit-value"),
                                xval(k, "@currency")))
        put_texts(narrative, aid, "in_kind", kid, "description", k, None, lang)
    for r in a.xpath("coopera:result", namespaces=NS):
        rid = batch.next_id("coopera_result")
        rows["coopera_result"].append((rid, aid, xval(r, "@type"), xval(r, "@index")))
        put_texts(narrative, aid, "coopera_result", rid, "title", r, "coopera:title[1]", lang)
        put_texts(narrative, aid, "coopera_result", rid, "description", r, "coopera:description[1]", lang)
    put_texts(narrative, aid, "activity", aid, "good_practice", a, "coopera:good-practice[1]", lang)


def document(path, batch):
    doc = etree.parse(path, PARSER)
    root = doc.getroot()
    version = xval(root, "@version", "2.03")
    for a in root.xpath("/iati-activities/iati-activity"):
        activity(a, path, version, batch)


if __name__ == "__main__":
    run(document, __doc__)
