//! Inputs the fuzz targets (`fuzz/`) found, minimised: each once crashed a target or broke a
//! promise the crate makes.

use coopera_domain::Lang;
use coopera_domain::doc::{NumberDoc, TextDoc};
use coopera_iati::read::map::{Issue, Mapped};
use coopera_iati::read::xml::XmlErrorKind;
use coopera_iati::read::{FileReader, Item, ReadError, ReadOptions};
use coopera_iati::validate::{ValidateError, validate_schema};

/// The error that stops `xml`, read as a file.
fn read_error(xml: &str) -> Option<ReadError> {
    let reader =
        match FileReader::from_file_contents(std::io::Cursor::new(xml.as_bytes().to_vec()), &ReadOptions::default()) {
            Ok(r) => r,
            Err(e) => return Some(e),
        };
    reader.filter_map(Result::err).next()
}

#[test]
fn characters_xml_allows_nowhere_make_the_file_not_well_formed() {
    // iati_read: a literal U+0001 in a narrative was read into the activity, which the writer
    // then wrote without it, so import(export(x)) != x. XML allows it nowhere; the reader now
    // refuses the file, as the validator (and xmllint) do.
    for (place, bad) in [
        ("<title><narrative>a\u{1}b</narrative></title>", '\u{1}'),
        ("<title><narrative xml:lang=\"es\u{1f}\">a</narrative></title>", '\u{1f}'),
        ("<title><narrative><![CDATA[a\u{8}]]></narrative></title>", '\u{8}'),
        ("<!-- \u{b} -->", '\u{b}'),
        ("<title><narrative>\u{fffe}</narrative></title>", '\u{fffe}'),
    ] {
        let xml = format!(
            "<iati-activities version=\"2.03\">\n<iati-activity>\n<iati-identifier>X-1</iati-identifier>\n{place}\n</iati-activity>\n</iati-activities>\n"
        );
        let expected = format!("character U+{:04X} is not allowed in XML", u32::from(bad));
        match read_error(&xml) {
            Some(ReadError::Xml(e)) => {
                assert_eq!((e.line, e.kind), (4, XmlErrorKind::Malformed(expected)), "{place:?}")
            }
            other => panic!("{place:?}: expected an XML error, got {other:?}"),
        }
        assert!(matches!(validate_schema(xml.as_bytes()), Err(ValidateError::NotWellFormed { .. })), "{place:?}");
    }
}

/// The one activity of `xml`, mapped.
fn mapped(xml: &str) -> Mapped {
    let reader = FileReader::from_file_contents(std::io::Cursor::new(xml.as_bytes().to_vec()), &ReadOptions::default())
        .expect("opens");
    match reader.collect::<Result<Vec<_>, _>>().expect("reads").pop() {
        Some(Item::Activity { mapped, .. }) => *mapped,
        other => panic!("expected one activity, got {other:?}"),
    }
}

#[test]
fn a_language_that_is_not_a_language_tag_is_a_warning_and_the_inherited_language() {
    // iati_read: a narrative's `xml:lang="e$"` became the language of a result's title, which
    // the writer then wrote back as `xml:lang="e$"`, breaking the schema.
    let m = mapped(
        "<iati-activities version=\"2.03\">\n<iati-activity xml:lang=\"es\">\n<iati-identifier>XM-1</iati-identifier>\n<activity-status code=\"2\"/>\n<title><narrative xml:lang=\"e$\">Agua</narrative><narrative xml:lang=\"EN\">Water</narrative></title>\n<description xml:lang=\"-\"><narrative>Pozos</narrative></description>\n</iati-activity>\n</iati-activities>\n",
    );
    assert_eq!(m.activity.title, TextDoc::Langs([("es".into(), "Agua".into()), ("en".into(), "Water".into())].into()));
    assert_eq!(m.activity.description, Some(TextDoc::Langs([("es".into(), "Pozos".into())].into())));
    let warnings: Vec<_> = m.warnings.iter().map(|w| (w.line, w.path.as_str(), &w.issue)).collect();
    assert_eq!(
        warnings,
        [
            (5, "narrative/@xml:lang", &Issue::BadLanguage { value: "e$".into() }),
            (6, "description/@xml:lang", &Issue::BadLanguage { value: "-".into() }),
        ]
    );
    assert_eq!(
        m.warnings[0].message(Lang::En),
        "narrative/@xml:lang: `e$` is not a language code; the text was taken in the language it inherits"
    );

    // The activity's own language, when it is not one, gives way to English.
    let m = mapped(
        "<iati-activities version=\"2.03\">\n<iati-activity xml:lang=\"es_MX\">\n<iati-identifier>XM-1</iati-identifier>\n<title><narrative>Agua</narrative></title>\n</iati-activity>\n</iati-activities>\n",
    );
    assert_eq!(m.activity.title, TextDoc::Langs([("en".into(), "Agua".into())].into()));
    assert_eq!(m.warnings[0].path, "@xml:lang");
}

#[test]
fn a_document_link_keeps_only_an_address_the_schema_accepts() {
    // iati_read: `url="https<coopera:org://…"` was kept and exported as a URL the schema
    // refuses. A `<` in an attribute value is not XML at all (the reader now refuses it as the
    // validator does); an address that is not a URI leaves the link out with a warning.
    let activity = |url: &str| {
        format!(
            "<iati-activities version=\"2.03\">\n<iati-activity xml:lang=\"es\">\n<iati-identifier>XM-1</iati-identifier>\n<activity-status code=\"2\"/>\n<title><narrative>Agua</narrative></title>\n<document-link format=\"TEXT/HTML\" url=\"{url}\"><title><narrative>Ficha</narrative></title><category code=\"A01\"/></document-link>\n</iati-activity>\n</iati-activities>\n"
        )
    };
    let xml = activity("https<coopera:org://www.iadb.org/en/project/ME-L1148");
    match read_error(&xml) {
        Some(ReadError::Xml(e)) => {
            assert_eq!((e.line, e.kind), (6, XmlErrorKind::Malformed("`<` in the value of the attribute `url`".into())))
        }
        other => panic!("expected an XML error, got {other:?}"),
    }
    assert!(matches!(validate_schema(xml.as_bytes()), Err(ValidateError::NotWellFormed { line: 6, .. })));

    let m = mapped(&activity("https://example.org/%zz"));
    assert!(m.activity.document_links.is_empty());
    let warnings: Vec<_> = m.warnings.iter().map(|w| (w.line, w.path.as_str(), &w.issue)).collect();
    assert_eq!(warnings, [(6, "document-link[1]/@url", &Issue::BadUrl { value: "https://example.org/%zz".into() })]);
    let m = mapped(&activity("https://example.org/ficha?id=1&amp;v=2"));
    assert_eq!(m.activity.document_links[0].url, "https://example.org/ficha?id=1&v=2");
}

#[test]
fn percentages_that_cannot_be_shares_are_left_out_not_added_until_they_overflow() {
    // Two sectors of 79228162514264337593543950335 % (the largest decimal) overflowed their sum
    // and stopped the import with a panic; a negative one could make any rescaling divide by
    // almost nothing. Both are now a warning, and the element is left out.
    let m = mapped(
        "<iati-activities version=\"2.03\">\n<iati-activity xml:lang=\"es\">\n<iati-identifier>XM-1</iati-identifier>\n<activity-status code=\"2\"/>\n<title><narrative>Agua</narrative></title>\n<recipient-country code=\"GT\" percentage=\"79228162514264337593543950335\"/>\n<recipient-country code=\"HN\" percentage=\"79228162514264337593543950335\"/>\n<sector code=\"14031\" percentage=\"79228162514264337593543950335\"/>\n<sector code=\"14031\" percentage=\"79228162514264337593543950335\"/>\n<sector code=\"14032\" percentage=\"-50\"/>\n<sector code=\"14030\" percentage=\"150\"/>\n</iati-activity>\n</iati-activities>\n",
    );
    let sectors: Vec<_> = m.activity.sectors.iter().map(|s| (s.code.as_str(), s.percentage.clone())).collect();
    assert_eq!(sectors, [("14030", Some(NumberDoc::Text("100".into())))]);
    let countries: Vec<_> = m.activity.countries.iter().map(|s| (s.code.as_str(), s.percentage.clone())).collect();
    assert_eq!(countries, [("GT", Some(NumberDoc::Text("50".into()))), ("HN", Some(NumberDoc::Text("50".into())))]);
    let bad: Vec<_> = m
        .warnings
        .iter()
        .filter(|w| matches!(w.issue, Issue::BadPercentage { .. }))
        .map(|w| (w.line, w.path.as_str()))
        .collect();
    assert_eq!(
        bad,
        [
            (8, "sector[1]/@percentage"),
            (9, "sector[2]/@percentage"),
            (10, "sector[3]/@percentage"),
            (6, "recipient-country[1]/@percentage"),
            (7, "recipient-country[2]/@percentage"),
        ]
    );
    assert_eq!(
        m.warnings.iter().find(|w| w.line == 10).map(|w| w.message(Lang::En)).as_deref(),
        Some("sector[3]/@percentage: `-50` is not a percentage from 0 to 1000000; left out")
    );
}
