//! Inputs the fuzz targets (`fuzz/`) found, minimised: each once crashed a target or broke a
//! promise the crate makes.

use coopera_iati::read::xml::XmlErrorKind;
use coopera_iati::read::{FileReader, ReadError, ReadOptions};
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
