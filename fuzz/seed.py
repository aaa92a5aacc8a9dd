#!/usr/bin/env python3
"""Builds the seed corpus of every fuzz target, fuzz/corpus/<target>/, from the repository's
own fixtures: IATI files split into one activity each, the demo records as TOML and as JSON,
the record fixtures of the CLI's tests, the shipped rate tables, and forms and query strings
taken from the web tests. Deterministic; run again at any time (CI runs it before fuzzing).
Existing files in the corpus (what fuzzing found) are kept."""

import gzip
import hashlib
import json
import pathlib
import re
import sys
import tomllib
import urllib.parse

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
CORPUS = FUZZ / "corpus"
# Larger seeds slow every execution that mutates them; real files are split below this.
MAX_SEED = 64 * 1024


def put(target: str, data: bytes) -> None:
    if not data or len(data) > MAX_SEED:
        return
    out = CORPUS / target
    out.mkdir(parents=True, exist_ok=True)
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)


def iati() -> None:
    fixtures = ROOT / "crates/coopera-iati/tests/fixtures"
    files = sorted((fixtures / "iati").glob("*.xml")) + sorted((fixtures / "schema").rglob("*.xml"))
    texts = [(f.name, f.read_bytes()) for f in files]
    # Compressed fixtures, except the decompression bomb (its point is its size).
    for f in sorted((fixtures / "iati").glob("*.xml.gz")):
        if f.name != "bomb.xml.gz":
            texts.append((f.name, gzip.decompress(f.read_bytes())))
    for name, data in texts:
        if len(data) <= MAX_SEED:
            put("iati_read", data)
        # One seed per activity: the file's header and root element, the activity, the end.
        head = re.search(rb"<iati-activities\b[^>]*>", data)
        if not head:
            continue
        for m in re.finditer(rb"<iati-activity\b.*?</iati-activity>", data, re.S):
            put("iati_read", data[: head.end()] + b"\n" + m.group(0) + b"\n</iati-activities>\n")
    # One gzip seed, so that the decompressing path is covered too.
    small = (fixtures / "iati/version-2.xml").read_bytes()
    put("iati_read", gzip.compress(small, mtime=0))
    put("iati_read", b"\xff\xfe" + small.decode("utf-8").encode("utf-16-le"))


def records() -> None:
    files = sorted((ROOT / "crates/coopera-demo/data").glob("*.toml"))
    files += sorted((ROOT / "crates/coopera/tests/it/fixtures").glob("*.toml"))
    for f in files:
        data = f.read_bytes()
        put("record_toml", data)
        try:
            doc = tomllib.loads(data.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        put("record_json", json.dumps(doc, ensure_ascii=False, indent=2, default=str).encode())
        # Each record of a dataset on its own, in both formats: small seeds mutate faster.
        for section, items in doc.items():
            if not isinstance(items, list):
                continue
            for item in items:
                put("record_json", json.dumps({section: [item]}, ensure_ascii=False, default=str).encode())
                if section == "activity":
                    put("record_json", json.dumps(item, ensure_ascii=False, default=str).encode())
    for f in sorted((ROOT / "crates/coopera/tests/it/fixtures").glob("*.json")):
        put("record_json", f.read_bytes())
    # TOML dates without quotes, and a syntax error.
    put("record_toml", b'id = "XM-1"\n[dates]\nplanned_start = 2012-01-01\n')
    put("record_toml", b'[[activity]\nid = "x"\n')


def forms() -> None:
    """Forms posted by the web tests (`crates/coopera-web/tests/it/forms.rs`), url-encoded."""
    source = (ROOT / "crates/coopera-web/tests/it/forms.rs").read_text()
    # Each block of ("name", "value") pairs is one form.
    for block in re.findall(r"\[\s*(\(\"[^\]]*?)\]", source, re.S):
        pairs = re.findall(r'\("([^"]*)",\s*"([^"]*)"\)', block)
        if len(pairs) >= 2:
            put("web_form", urllib.parse.urlencode(pairs).encode())
    put("web_form", b"key=x&name.es=Nombre&kind=10&level=federal&country=MX&save=1")
    put("web_form", b"id=XM-1&participants[0].org=a&participants[0].role=provider&sectors[7].code=111")


def queries() -> None:
    for q in [
        "",
        "year=2015",
        "year=2015&direction=given&modality=bilateral",
        "sector_group=120&state=09&country=GT&partner_country=CO",
        "org=amexcid&q=agua&sort=-start&page=2&per_page=50",
        "measure=committed&currency=MXN",
        "show=total:USD&top=10",
        "q=%C3%A1gua+potable&lang=en",
        "year=2012&year=2013",
        "page=0&per_page=201",
    ]:
        put("web_query", q.encode())


def rates() -> None:
    for f in sorted((ROOT / "crates/coopera-report/data").glob("*.csv")):
        data = f.read_bytes()
        put("rates_csv", data)
        lines = data.splitlines(keepends=True)
        put("rates_csv", b"".join(lines[:4]))
    put("rates_csv", b'period,currency,units_per_usd,source\n2012-01-01/2012-06-30,mxn,"13,5",x\n2012,EUR,0\n')
    put("rates_csv", b"unit,from,unit_value,currency\nexpert-days,2012,3500,MXN\n")


def main() -> int:
    iati()
    records()
    forms()
    queries()
    rates()
    for target in sorted(p.name for p in CORPUS.iterdir()):
        files = list((CORPUS / target).iterdir())
        print(f"{target}: {len(files)} seeds, {sum(f.stat().st_size for f in files) // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
