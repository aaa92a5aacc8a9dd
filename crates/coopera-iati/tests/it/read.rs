//! Reading IATI files as they are published, and as an attacker would write them. Every
//! number and line asserted here was read by hand from the files in `tests/fixtures/iati`
//! (sources and licences in its README).

use std::collections::BTreeMap;
use std::io::{BufReader, Read as _};
use std::path::{Path, PathBuf};

use coopera_domain::Lang;
use coopera_domain::doc::{ActivityDoc, NumberDoc, TextDoc};
use coopera_iati::input::InputError;
use coopera_iati::read::map::{Issue, MapOptions, Mapped, Warning, map_activity};
use coopera_iati::read::xml::{ActivityStream, Limits, XmlError, XmlErrorKind};
use coopera_iati::read::{FileReader, Item, ReadError, ReadOptions, open_bytes};
use coopera_iati::write::{WriteOptions, write_file};
use rust_decimal::Decimal;

const MX: &str = "dportal-covid-2021-recipient-MX.xml";
const TRIANGULAR: &str = "dportal-covid-2021-collab-type-8-triangular.xml";
const DFID_V1: &str = "iati-datastore-fixture_complex_example_dfid.xml";
const AECID: &str = "iati-cloud_MAEC_IATI_INDONESIA.xml";
const UTF16_ORGANISATIONS: &str = "pwyf-iati-decipher_wateraid-org.xml";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/iati").join(name)
}

/// What a file yielded until its end or the error that stopped it.
#[derive(Debug, Default)]
struct FileRead {
    activities: Vec<(u32, Mapped)>,
    refused: Vec<Warning>,
    error: Option<ReadError>,
}

impl FileRead {
    fn activity(&self, id: &str) -> &Mapped {
        self.activities
            .iter()
            .map(|(_, m)| m)
            .find(|m| m.activity.id == id)
            .unwrap_or_else(|| panic!("no activity {id}"))
    }

    fn line_of(&self, id: &str) -> u32 {
        self.activities.iter().find(|(_, m)| m.activity.id == id).map(|(l, _)| *l).unwrap_or_default()
    }

    fn ids(&self) -> Vec<&str> {
        self.activities.iter().map(|(_, m)| m.activity.id.as_str()).collect()
    }

    /// The input error that stopped the file ([`coopera_iati::input`]), if one did.
    fn input_error(&self) -> Option<&InputError> {
        match &self.error {
            Some(ReadError::Xml(XmlError { kind: XmlErrorKind::Input(e), .. })) => Some(e),
            _ => None,
        }
    }

    /// The error that stopped the file, which must be an XML error.
    fn xml_error(&self) -> &XmlError {
        match &self.error {
            Some(ReadError::Xml(e)) => e,
            other => panic!("expected an XML error, got {other:?}"),
        }
    }
}

fn read_with(name: &str, options: &ReadOptions) -> FileRead {
    collect(FileReader::open(&fixture(name), options))
}

fn collect(opened: Result<FileReader, ReadError>) -> FileRead {
    let mut out = FileRead::default();
    let reader = match opened {
        Ok(r) => r,
        Err(e) => {
            out.error = Some(e);
            return out;
        }
    };
    for item in reader {
        match item {
            Ok(Item::Activity { line, mapped }) => out.activities.push((line, *mapped)),
            Ok(Item::Refused(w)) => out.refused.push(w),
            Err(e) => {
                out.error = Some(e);
                break;
            }
        }
    }
    out
}

fn read(name: &str) -> FileRead {
    read_with(name, &ReadOptions::default())
}

/// A file that must read to its end.
fn read_ok(name: &str) -> FileRead {
    let r = read(name);
    assert!(r.error.is_none(), "{name}: {:?}", r.error);
    r
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn number(n: &NumberDoc) -> Decimal {
    match n {
        NumberDoc::Int(i) => Decimal::from(*i),
        NumberDoc::Text(s) => d(s),
        NumberDoc::Float(f) => panic!("the mapper writes decimals as text, got {f}"),
    }
}

fn text<'a>(t: &'a TextDoc, lang: &str) -> Option<&'a str> {
    match t {
        TextDoc::Langs(m) => m.get(lang).map(String::as_str),
        TextDoc::Plain(s) => Some(s),
    }
}

/// Transactions summed per currency.
fn transaction_sums(doc: &ActivityDoc) -> BTreeMap<String, Decimal> {
    let mut sums = BTreeMap::new();
    for t in &doc.transactions {
        let currency = t.currency.clone().or_else(|| doc.default_currency.clone()).expect("currency");
        *sums.entry(currency).or_default() += number(&t.amount);
    }
    sums
}

/// (vocabulary, code, percentage) of each sector; vocabulary 1 is written as `None`.
fn sectors(doc: &ActivityDoc) -> Vec<(Option<&str>, &str, Decimal)> {
    doc.sectors
        .iter()
        .map(|s| (s.vocabulary.as_deref(), s.code.as_str(), s.percentage.as_ref().map(number).expect("percentage")))
        .collect()
}

fn shares(list: &[coopera_domain::doc::ShareDoc]) -> Vec<(&str, Decimal)> {
    list.iter().map(|s| (s.code.as_str(), s.percentage.as_ref().map(number).expect("percentage"))).collect()
}

fn issues(m: &Mapped) -> Vec<(u32, &str, &Issue)> {
    m.warnings.iter().map(|w| (w.line, w.path.as_str(), &w.issue)).collect()
}

// ---------------------------------------------------------------------------------------------
// Real files

#[test]
fn mexico_recipient_file_reads_every_activity() {
    let r = read_ok(MX);
    assert_eq!(r.activities.len(), 82);
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    let mut ids = r.ids();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 82, "identifiers are unique in this file");

    // The Inter-American Development Bank publishes titles in four languages.
    let iadb = &r.activity("IADB-ME-L1148").activity;
    assert_eq!(r.line_of("IADB-ME-L1148"), 3552);
    assert_eq!(
        text(&iadb.title, "es"),
        Some("Programa Global de Crédito para la Defensa del Tejido Productivo y el Empleo")
    );
    assert_eq!(
        text(&iadb.title, "en"),
        Some("Global Credit Program for Safeguarding the Productive Fabric and Employment")
    );
    assert_eq!(iadb.default_currency.as_deref(), Some("USD"));
    assert_eq!(iadb.collaboration_type.as_deref(), Some("4"));
    assert_eq!(iadb.modality, "multilateral");
    assert_eq!(transaction_sums(iadb), BTreeMap::from([("USD".to_owned(), d("85800000"))]));
    assert_eq!(shares(&iadb.countries), vec![("MX", d("100"))]);
}

#[test]
fn humanitarian_activity_keeps_sectors_per_vocabulary_participants_and_money() {
    let r = read_ok(MX);
    let wv = &r.activity("GB-CHC-285908-215010").activity;
    assert_eq!(text(&wv.title, "en"), Some("Start Fund Mexico Flood Response 2020"));
    // humanitarian="1" on the activity.
    assert_eq!(wv.instrument, "humanitarian-aid");
    assert_eq!(wv.cooperation_type, "humanitarian");
    // Each vocabulary adds up to 100 on its own.
    assert_eq!(sectors(wv), vec![(None, "52010", d("100")), (Some("99"), "P13", d("100"))]);
    assert_eq!(wv.dates.planned_start.as_deref(), Some("2020-06-24"));
    assert_eq!(wv.dates.actual_start.as_deref(), Some("2020-06-24"));
    assert_eq!(wv.dates.planned_end.as_deref(), Some("2020-09-20"));
    let kinds: Vec<&str> = wv.transactions.iter().map(|t| t.kind.as_str()).collect();
    assert_eq!(kinds, ["1", "3", "3"]);
    assert_eq!(
        transaction_sums(wv),
        BTreeMap::from([("GBP".to_owned(), d("140990.79")), ("USD".to_owned(), d("75000"))])
    );
    let received = &wv.transactions[1];
    assert_eq!(received.receiver.as_ref().and_then(|p| p.name.as_deref()), Some("World Vision Mexico"));
    assert_eq!(received.receiver.as_ref().and_then(|p| p.activity.as_deref()), Some("US-EIN-95-3202116-MX"));
    // Start Network has no identifier: keyed by its name.
    let roles: Vec<(&str, &str)> = wv.participants.iter().map(|p| (p.org.as_str(), p.role.as_str())).collect();
    assert_eq!(
        roles,
        [
            ("n-start-network", "funding"),
            ("us-ein-95-3202116", "extending"),
            ("n-world-vision-mexico", "implementing"),
            ("gb-chc-285908", "accountable"),
            ("gb-chc-285908", "extending"),
        ]
    );
    assert!(
        wv.participants.iter().all(|p| r.activity("GB-CHC-285908-215010").organisations.iter().any(|o| o.key == p.org))
    );
}

#[test]
fn sector_percentages_adding_to_200_are_rescaled_with_a_warning() {
    let r = read_ok(MX);
    let id = "ES-DIR3-EA0035768-Z01-20-I1-01200";
    let aecid = r.activity(id);
    assert_eq!(r.line_of(id), 3302);
    assert_eq!(
        text(&aecid.activity.title, "es").map(|t| t.starts_with("Fortalecimiento del servicio de agua")),
        Some(true)
    );
    assert_eq!(sectors(&aecid.activity), vec![(None, "14031", d("50")), (None, "14032", d("50"))]);
    // MX 100% and region 389 100%: the region only says where Mexico is.
    assert_eq!(shares(&aecid.activity.countries), vec![("MX", d("100"))]);
    assert!(aecid.activity.regions.is_empty());
    assert_eq!(
        issues(aecid),
        vec![
            (3302, "sector/@percentage", &Issue::PercentSum { what: "sector", sum: "200".into() }),
            (3302, "recipient-region", &Issue::RegionsOverCountries { sum: "100".into() }),
        ]
    );
    assert_eq!(
        aecid.warnings[0].message(Lang::En),
        "sector/@percentage: the sector percentages add up to 200, not 100; rescaled"
    );
    assert_eq!(transaction_sums(&aecid.activity), BTreeMap::from([("EUR".to_owned(), d("500000"))]));
}

#[test]
fn many_transactions_in_two_currencies_add_up() {
    let r = read_ok(MX);
    let jpal = &r.activity("US-EIN-042103594-PPE3978774").activity;
    assert_eq!(jpal.transactions.len(), 145);
    assert_eq!(jpal.transactions.iter().filter(|t| t.kind == "2").count(), 144);
    assert_eq!(
        transaction_sums(jpal),
        BTreeMap::from([("GBP".to_owned(), d("3623193")), ("USD".to_owned(), d("11616355.28"))])
    );
}

#[test]
fn map_activity_places_organisations_by_home_country() {
    // The mapper on its own, over the element trees of the stream.
    let bytes = open_bytes(&fixture(MX), &ReadOptions::default()).expect("open");
    let stream = ActivityStream::new(bytes, Limits::default()).expect("root");
    assert_eq!(stream.root.attr("version"), Some("2.03"));
    let element = stream
        .map(|e| e.expect("well-formed"))
        .find(|e| e.child("iati-identifier").is_some_and(|i| i.text == "ES-DIR3-EA0035768-Z01-20-I1-01200"))
        .expect("the AECID activity");
    assert_eq!(element.line, 3302);
    let level = |home: &str| {
        let mapped = map_activity(&element, &MapOptions { home_country: home.into() }, "2.03").expect("mapped");
        let org = mapped.organisations.iter().find(|o| o.key == "es-dir3-ea0035768").expect("AECID");
        (org.country.clone(), org.level.clone())
    };
    assert_eq!(level("MX"), (Some("ES".into()), "foreign-government".into()));
    assert_eq!(level("ES"), (Some("ES".into()), "federal".into()));
}

#[test]
fn triangular_file_keeps_collaboration_type_8() {
    let r = read_ok(TRIANGULAR);
    assert_eq!(r.activities.len(), 18);
    for (_, m) in &r.activities {
        assert_eq!(m.activity.collaboration_type.as_deref(), Some("8"), "{}", m.activity.id);
        assert!(m.warnings.iter().any(|w| w.issue == Issue::TriangularRoles), "{}", m.activity.id);
    }
    let first = &r.activities[0].1;
    assert_eq!(first.activity.id, "NL-KVK-27378529-DSS220CM01");
    let triangular = first.warnings.iter().find(|w| w.issue == Issue::TriangularRoles).expect("warning");
    assert_eq!((triangular.line, triangular.path.as_str()), (33, "collaboration-type"));
    // Vocabulary 7 (SDG goal 6) published at 1%: alone in its vocabulary, it becomes 100%.
    assert_eq!(
        sectors(&first.activity),
        vec![(None, "14030", d("50")), (None, "73010", d("50")), (Some("7"), "6", d("100"))]
    );
    // A commitment of 36,781.75 + 7,724.16 cancelled by -44,505.91, and the same incoming.
    assert_eq!(first.activity.transactions.len(), 6);
    assert_eq!(transaction_sums(&first.activity), BTreeMap::from([("EUR".to_owned(), d("0"))]));
}

#[test]
fn gzip_file_reads_like_the_plain_file() {
    let plain = read_ok(TRIANGULAR);
    let gzip = read_ok("triangular.xml.gz");
    assert_eq!(gzip.activities.len(), 18);
    for ((pl, p), (gl, g)) in plain.activities.iter().zip(&gzip.activities) {
        assert_eq!(pl, gl);
        assert_eq!(p.activity, g.activity);
        assert_eq!(p.warnings, g.warnings);
    }
}

#[test]
fn file_contents_read_like_the_file_at_a_path() {
    for name in [TRIANGULAR, "triangular.xml.gz", UTF16_ORGANISATIONS, "truncated.xml"] {
        let bytes = std::fs::read(fixture(name)).expect("fixture");
        let contents = collect(FileReader::from_file_contents(std::io::Cursor::new(bytes), &ReadOptions::default()));
        let path = read(name);
        assert_eq!(contents.ids(), path.ids(), "{name}");
        for ((cl, c), (pl, p)) in contents.activities.iter().zip(&path.activities) {
            assert_eq!((cl, &c.activity, &c.warnings), (pl, &p.activity, &p.warnings), "{name}");
        }
        assert_eq!(contents.error.map(|e| e.to_string()), path.error.map(|e| e.to_string()), "{name}");
    }
    // The decompression limit holds too.
    let bomb = std::fs::read(fixture("bomb.xml.gz")).expect("fixture");
    let tiny = ReadOptions { max_decompressed: Some(100), ..Default::default() };
    let r = collect(FileReader::from_file_contents(std::io::Cursor::new(bomb), &tiny));
    assert_eq!(r.input_error(), Some(&InputError::TooLarge(100)), "{:?}", r.error);
}

#[test]
fn each_organisation_is_placed_where_the_activity_first_names_it() {
    let r = read_ok("version-1.xml");
    let named_at: Vec<(&str, (u32, u32))> =
        r.activity("XM-EXAMPLE-VERSIONED").named_at.iter().map(|(k, p)| (k.as_str(), *p)).collect();
    // The reporting organisation on line 5 is named again as a participant on line 7.
    assert_eq!(named_at, [("mx-example-sre", (8, 3)), ("xm-example", (5, 3))]);
}

#[test]
fn version_1_file_maps_old_codes() {
    let r = read_ok(DFID_V1);
    assert_eq!(r.activities.len(), 57);
    let reader = FileReader::open(&fixture(DFID_V1), &ReadOptions::default()).expect("open");
    assert_eq!(reader.version, "1.00");

    let id = "GB-CHC-285776-DRC173";
    let cafod = r.activity(id);
    let a = &cafod.activity;
    // 1.0x titles are plain text; the activity says xml:lang="en".
    assert_eq!(text(&a.title, "en"), Some("Field-level conflict analysies by church partners- Caritas Bukavu Diocese"));
    assert_eq!(a.status, "2");
    // type="start-actual" and "end-planned".
    assert_eq!(a.dates.actual_start.as_deref(), Some("2009-10-07"));
    assert_eq!(a.dates.planned_end.as_deref(), Some("2012-09-30"));
    // role="Funding" and "Implementing"; the implementer has no identifier.
    let roles: Vec<(&str, &str)> = a.participants.iter().map(|p| (p.org.as_str(), p.role.as_str())).collect();
    assert_eq!(roles, [("gb-chc-285776", "funding"), ("n-caritas-dr-congo-bukavu-diocese", "implementing")]);
    // vocabulary="DAC": 99810 40, 15160 20 twice (merged), 22030 20; the RO sector has no code.
    assert_eq!(sectors(a), vec![(None, "99810", d("40")), (None, "15160", d("40")), (None, "22030", d("20"))]);
    assert!(
        cafod.warnings.iter().any(|w| w.issue == Issue::Duplicate { code: "15160".into() }),
        "{:?}",
        cafod.warnings
    );
    // Transaction types IF and D are incoming funds (1) and disbursements (3).
    let count = |k: &str| a.transactions.iter().filter(|t| t.kind == k).count();
    assert_eq!((count("1"), count("3"), a.transactions.len()), (8, 14, 22));
    assert_eq!(transaction_sums(a), BTreeMap::from([("GBP".to_owned(), d("372290"))]));
}

#[test]
fn spanish_file_with_crlf_lines() {
    let r = read_ok(AECID);
    assert_eq!(r.activities.len(), 83);
    let reader = FileReader::open(&fixture(AECID), &ReadOptions::default()).expect("open");
    assert_eq!(reader.version, "2.01");
    let (line, first) = &r.activities[0];
    assert_eq!(*line, 3, "lines counted across CRLF");
    assert_eq!(first.activity.id, "ES-DIR3-E04585801-009-001301");
    assert_eq!(
        text(&first.activity.title, "es"),
        Some("Personas cooperantes voluntarias en organismos internacionales")
    );
    assert_eq!(text(first.activity.description.as_ref().expect("description"), "es"), Some("UNESCO YACARTA"));
    assert_eq!(first.activity.status, "3");
    assert_eq!(shares(&first.activity.countries), vec![("ID", d("100"))]);
    assert_eq!(sectors(&first.activity), vec![(None, "43081", d("100"))]);
    assert_eq!(transaction_sums(&first.activity), BTreeMap::from([("EUR".to_owned(), d("24720"))]));
    // Participants say their narratives' language on the element: xml:lang is inherited.
    let name = |key: &str| first.organisations.iter().find(|o| o.key == key).map(|o| o.name.clone());
    let langs = |lang: &str, text: &str| Some(TextDoc::Langs(BTreeMap::from([(lang.to_owned(), text.to_owned())])));
    assert_eq!(name("35"), langs("es", "CCAA CAV - País Vasco"));
    assert_eq!(name("n-spain"), langs("en", "Spain"));
}

#[test]
fn utf16_organisation_file_is_refused_by_its_root() {
    // Transcoded from UTF-16: the declaration now says UTF-8 and the bytes are UTF-8; a space
    // where the name was longer keeps the columns of what follows.
    let mut head = String::new();
    open_bytes(&fixture(UTF16_ORGANISATIONS), &ReadOptions::default())
        .expect("open")
        .take(120)
        .read_to_string(&mut head)
        .expect("UTF-8");
    assert!(head.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>"), "{head}");
    assert!(head.contains("<iati-organisations version=\"1.04\""), "{head}");

    let r = read(UTF16_ORGANISATIONS);
    let e = r.xml_error();
    assert_eq!((e.kind.clone(), e.line, e.column), (XmlErrorKind::NotActivities("iati-organisations".into()), 2, 1));
    assert_eq!(e.to_string(), "line 2, column 1: the root element is <iati-organisations>, not <iati-activities>");
    assert!(r.activities.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Hostile and broken files

#[test]
fn external_entities_and_entity_expansion_are_refused_at_the_doctype() {
    for name in ["xxe.xml", "billion-laughs.xml"] {
        let r = read(name);
        let e = r.xml_error();
        assert_eq!((e.kind.clone(), e.line), (XmlErrorKind::Doctype, 2), "{name}");
        assert!(r.activities.is_empty(), "{name}");
    }
}

#[test]
fn undeclared_entity_stops_the_file_at_its_line() {
    let r = read("undeclared-entity.xml");
    assert_eq!(r.ids(), ["XM-EXAMPLE-ENTITY-1"]);
    assert_eq!(text(&r.activities[0].1.activity.title, "en"), Some("Fine & well"));
    let e = r.xml_error();
    assert_eq!((e.kind.clone(), e.line), (XmlErrorKind::Entity("lol9".into()), 9));
}

#[test]
fn truncated_file_fails_after_its_complete_activities() {
    let r = read("truncated.xml");
    // Two activities are complete; the third breaks off inside a <value> tag on line 252.
    assert_eq!(r.ids(), ["NL-KVK-27378529-DSS220CM01", "NL-KVK-27378529-DSS220CM02"]);
    let e = r.xml_error();
    assert_eq!((e.kind.clone(), e.line), (XmlErrorKind::Truncated, 252));
    assert_eq!(e.kind.message(Lang::Es), "el archivo termina antes de cerrar sus elementos (¿está truncado?)");
    assert_eq!(
        r.error.as_ref().map(|e| e.message(Lang::En)).as_deref(),
        Some("the file ends before its elements are closed (truncated?)"),
        "the message leaves the position to the caller"
    );
}

#[test]
fn gzip_bomb_stops_at_the_configured_limit() {
    // 28 KB that decompress to 8 MiB: one activity, then comments.
    let whole = read_ok("bomb.xml.gz");
    assert_eq!(whole.ids(), ["XM-EXAMPLE-BOMB"]);
    let mut bytes = 0;
    let mut reader = open_bytes(&fixture("bomb.xml.gz"), &ReadOptions::default()).expect("open");
    std::io::copy(&mut reader, &mut std::io::sink()).map(|n| bytes = n).expect("decompress");
    assert_eq!(bytes, 8_388_876);

    let limit = 1 << 20;
    let options = ReadOptions { max_decompressed: Some(limit), ..Default::default() };
    let bounded = read_with("bomb.xml.gz", &options);
    assert_eq!(bounded.ids(), ["XM-EXAMPLE-BOMB"], "what came before the limit was read");
    assert_eq!(bounded.input_error(), Some(&InputError::TooLarge(limit)), "{:?}", bounded.error);
    assert_eq!(
        bounded.error.as_ref().map(|e| e.message(Lang::Es)).as_deref(),
        Some("el archivo descomprimido pasa de 1048576 bytes")
    );

    // A limit smaller than the first read fails at once.
    let tiny = ReadOptions { max_decompressed: Some(100), ..Default::default() };
    let r = read_with("bomb.xml.gz", &tiny);
    assert_eq!(r.input_error(), Some(&InputError::TooLarge(100)), "{:?}", r.error);
    let mut raw = open_bytes(&fixture("bomb.xml.gz"), &options).expect("open");
    assert!(std::io::copy(&mut raw, &mut std::io::sink()).is_err(), "open_bytes enforces the limit too");
}

#[test]
fn deep_nesting_is_refused_at_the_first_element_too_deep() {
    let r = read("deep.xml");
    // <iati-activities> is depth 1, <iati-activity> 2; the 63rd <nested>, on line 67, is 65.
    let e = r.xml_error();
    assert_eq!((e.kind.clone(), e.line), (XmlErrorKind::TooDeep(64), 67));
    let deeper = ReadOptions { limits: Limits { max_depth: 102, ..Limits::default() }, ..Default::default() };
    assert_eq!(read_with("deep.xml", &deeper).ids(), ["XM-EXAMPLE-DEEP"]);
    let shallow = ReadOptions { limits: Limits { max_depth: 101, ..Limits::default() }, ..Default::default() };
    assert_eq!(read_with("deep.xml", &shallow).xml_error().line, 5 + 99);
}

/// `head`, then `fill` repeated for ever.
struct Endless {
    head: &'static [u8],
    fill: &'static [u8],
    at: usize,
}

impl std::io::Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        for b in buf.iter_mut() {
            *b = match self.head.get(self.at) {
                Some(h) => *h,
                None => self.fill[(self.at - self.head.len()) % self.fill.len()],
            };
            self.at += 1;
        }
        Ok(buf.len())
    }
}

#[test]
fn endless_text_comment_or_references_are_refused_before_they_fill_memory() {
    // Never-ending input: without a bound on what one element or event may hold, reading would
    // not return.
    let limits = Limits { max_text: 64 << 10, ..Limits::default() };
    let cases: [(&[u8], &[u8]); 4] = [
        (b"<iati-activities>\n<iati-activity/>", b" "),
        (b"<iati-activities>\n<iati-activity><title>", b"x"),
        (b"<iati-activities>\n<!-- ", b"x"),
        (b"<iati-activities>\n<iati-activity><title>", b"&amp;"),
    ];
    for (head, fill) in cases {
        let input = BufReader::new(Endless { head, fill, at: 0 });
        let result: Result<Vec<_>, XmlError> = ActivityStream::new(input, limits).and_then(|s| s.collect());
        let e = result.expect_err("refused");
        assert_eq!((e.kind, e.line), (XmlErrorKind::TooLarge(64 << 10), 2), "{}", String::from_utf8_lossy(head));
    }
}

#[test]
fn activity_without_identifier_is_refused_and_the_rest_is_read() {
    let r = read_ok("problems.xml");
    assert_eq!(r.refused.len(), 1);
    let w = &r.refused[0];
    assert_eq!((w.line, w.column), (4, 2));
    assert_eq!(w.issue, Issue::Missing { element: "iati-identifier" });
    assert_eq!(w.message(Lang::En), "iati-identifier: <iati-identifier> is missing; the activity cannot be imported");
    assert_eq!(r.ids(), ["XM-EXAMPLE-SECTOR", "XM-EXAMPLE-PERCENT", "XM-EXAMPLE-DATE"]);
}

#[test]
fn unknown_sector_code_is_left_out_with_its_line() {
    let r = read_ok("problems.xml");
    let m = r.activity("XM-EXAMPLE-SECTOR");
    assert_eq!(
        issues(m),
        vec![
            (17, "sector[2]/@code", &Issue::UnknownCode { list: "Sector", code: "99999".into() }),
            (9, "sector/@percentage", &Issue::PercentSum { what: "sector", sum: "60".into() }),
        ]
    );
    assert_eq!(m.warnings[0].column, 3);
    assert_eq!(
        m.warnings[0].message(Lang::Es),
        "sector[2]/@code: código `99999` desconocido en la lista Sector; se omitió"
    );
    assert_eq!(sectors(&m.activity), vec![(None, "11110", d("100"))]);
}

#[test]
fn percentages_not_adding_to_100_are_rescaled() {
    let r = read_ok("problems.xml");
    let m = r.activity("XM-EXAMPLE-PERCENT");
    assert_eq!(text(&m.activity.title, "es"), Some("Porcentajes que no suman 100"), "xml:lang=\"es\" on the activity");
    assert_eq!(sectors(&m.activity), vec![(None, "11110", d("50")), (None, "12220", d("50"))]);
    // 50 and 25 of 75: two thirds and one third, to four decimals, adding to exactly 100.
    assert_eq!(shares(&m.activity.countries), vec![("GT", d("66.6667")), ("HN", d("33.3333"))]);
    assert_eq!(
        issues(m),
        vec![
            (19, "sector/@percentage", &Issue::PercentSum { what: "sector", sum: "60".into() }),
            (
                19,
                "recipient-country/@percentage",
                &Issue::PercentSum { what: "recipient-country/region", sum: "75".into() }
            ),
        ]
    );
}

#[test]
fn bad_dates_are_left_out_with_their_lines() {
    let r = read_ok("problems.xml");
    let m = r.activity("XM-EXAMPLE-DATE");
    assert_eq!(m.activity.dates.planned_start.as_deref(), Some("2021-01-15"));
    assert_eq!(m.activity.dates.actual_start, None, "2021-02-30 does not exist");
    // The disbursement's date is not ISO and it has no value-date: it is left out.
    assert_eq!(m.activity.transactions.len(), 1);
    assert_eq!(transaction_sums(&m.activity), BTreeMap::from([("USD".to_owned(), d("1000"))]));
    assert_eq!(
        issues(m),
        vec![
            (37, "activity-date[2]/@iso-date", &Issue::BadDate { value: "2021-02-30".into() }),
            (47, "transaction[2]/transaction-date/@iso-date", &Issue::BadDate { value: "31/03/2021".into() }),
            (45, "transaction[2]/transaction-date", &Issue::Missing { element: "transaction-date" }),
        ]
    );
    assert_eq!(
        m.warnings[2].message(Lang::En),
        "transaction[2]/transaction-date: <transaction-date> is missing; the transaction was left out"
    );
}

/// Found by fuzzing: a date of year 0 was imported, and the export of the activity refused by
/// the schema (`xs:date` has no year 0). Such a date is left out like any other bad date.
#[test]
fn a_date_of_year_0_is_left_out_and_the_rest_exports() {
    let text = std::fs::read_to_string(fixture("version-2.xml")).expect("fixture");
    let xml = text.replace("iso-date=\"2023-03-01\"", "iso-date=\"0000-03-01\"");
    assert!(xml.contains("0000-03-01"), "the fixture's dates changed");
    let r = collect(FileReader::from_file_contents(std::io::Cursor::new(xml.into_bytes()), &ReadOptions::default()));
    assert!(r.error.is_none(), "{:?}", r.error);
    let m = r.activities.into_iter().next().expect("one activity").1;
    assert!(!m.warnings.is_empty());
    for w in &m.warnings {
        assert_eq!(w.issue, Issue::BadDate { value: "0000-03-01".into() });
    }
    assert!(m.warnings[0].message(Lang::Es).contains("del año 0001 al 9999"), "{}", m.warnings[0].message(Lang::Es));
    let organisations: BTreeMap<_, _> =
        m.organisations.into_iter().map(|o| (o.key.clone(), o.into_domain().expect("organisation"))).collect();
    let activity = m.activity.into_domain().expect("the rest of the activity stands");
    let options = WriteOptions { generated: "2026-01-01T00:00:00Z".into(), today: time::macros::date!(2026 - 01 - 01) };
    let mut out = Vec::new();
    write_file(&mut out, [&activity], &|k| organisations.get(k).cloned(), &options).expect("written to memory");
    let problems = coopera_iati::validate::validate_schema(out.as_slice()).expect("validated");
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn a_newer_version_changes_only_what_changed() {
    let old = read_ok("version-1.xml");
    let new = read_ok("version-2.xml");
    let (old, new) = (&old.activities[0].1.activity, &new.activities[0].1.activity);
    assert_eq!(old.id, new.id);
    assert_eq!(text(&old.title, "es"), Some("Fortalecimiento institucional"));
    assert_eq!(text(&new.title, "es"), Some("Fortalecimiento institucional (fase ampliada)"));
    assert_eq!(transaction_sums(old), BTreeMap::from([("USD".to_owned(), d("50000"))]));
    assert_eq!(transaction_sums(new), BTreeMap::from([("USD".to_owned(), d("75000"))]));
    let mut same = new.clone();
    same.title = old.title.clone();
    same.transactions = old.transactions.clone();
    assert_eq!(&same, old);
}

#[test]
fn repeated_identifiers_are_all_yielded_for_the_importer_to_judge() {
    let r = read_ok("duplicates-a.xml");
    assert_eq!(r.ids(), ["XM-EXAMPLE-DUP-1", "XM-EXAMPLE-DUP-2", "XM-EXAMPLE-DUP-1"]);
    let lines: Vec<u32> = r.activities.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [3, 19, 35]);
}
