//! The one input layer under the reader and the validator (`coopera_iati::input`): whatever the
//! encoding or compression of a file, both read the same UTF-8 text from it, give it the same
//! verdict, and refuse what cannot be read with the same message.

use std::io::{Read as _, Write as _};
use std::path::Path;

use coopera_domain::Lang;
use coopera_domain::doc::TextDoc;
use coopera_iati::input::{self, DEFAULT_MAX_DECOMPRESSED, InputError};
use coopera_iati::read::xml::{XmlError, XmlErrorKind};
use coopera_iati::read::{FileReader, Item, ReadError, ReadOptions};
use coopera_iati::validate::{self, ValidateError, validate_schema, validate_schema_with};

/// A schema-valid activity file whose declaration names `ENCODING`, with accented titles and
/// characters windows-1252 has and ISO-8859-1 has not (`€`, the curly quotes) only where
/// asked.
fn activity(encoding: &str, title: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"{encoding}\"?>
<iati-activities version=\"2.03\">
 <iati-activity>
  <iati-identifier>XM-EX-ACENTOS</iati-identifier>
  <reporting-org ref=\"XM-EX\" type=\"10\"><narrative>Secretaría de Relaciones Exteriores</narrative></reporting-org>
  <title><narrative xml:lang=\"es\">{title}</narrative></title>
  <description><narrative xml:lang=\"es\">Niñas y niños de Quetzaltenango</narrative></description>
  <participating-org role=\"1\"/>
  <activity-status code=\"2\"/>
  <activity-date type=\"1\" iso-date=\"2024-01-31\"/>
 </iati-activity>
</iati-activities>
"
    )
}

const TITLE: &str = "Educación básica: año único, señal, pingüino";

fn latin1(text: &str) -> Vec<u8> {
    text.chars().map(|c| u8::try_from(u32::from(c)).expect("a latin-1 character")).collect()
}

fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let mut bytes = match (bom, little_endian) {
        (false, _) => Vec::new(),
        (true, true) => vec![0xFF, 0xFE],
        (true, false) => vec![0xFE, 0xFF],
    };
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&if little_endian { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    bytes
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("compress");
    gz.finish().expect("compress")
}

/// The same file in every encoding and compression the layer reads: (name, bytes).
fn variants() -> Vec<(&'static str, Vec<u8>)> {
    let utf8 = activity("UTF-8", TITLE);
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(utf8.as_bytes());
    let utf16_text = activity("UTF-16", TITLE);
    vec![
        ("UTF-8", utf8.clone().into_bytes()),
        ("UTF-8 with a BOM", bom),
        ("UTF-16LE with a BOM", utf16(&utf16_text, true, true)),
        ("UTF-16BE with a BOM", utf16(&utf16_text, false, true)),
        ("UTF-16LE without a BOM", utf16(&utf16_text, true, false)),
        ("UTF-16BE without a BOM", utf16(&utf16_text, false, false)),
        ("ISO-8859-1", latin1(&activity("ISO-8859-1", TITLE))),
        ("latin1", latin1(&activity("latin1", TITLE))),
        ("windows-1252", latin1(&activity("windows-1252", TITLE))),
        ("gzip ISO-8859-1", gzip(&latin1(&activity("ISO-8859-1", TITLE)))),
        ("gzip UTF-16LE", gzip(&utf16(&utf16_text, true, true))),
    ]
}

/// What the reader makes of `bytes`: (line, title in Spanish) of each activity, or the error.
fn read(bytes: &[u8], options: &ReadOptions) -> Result<Vec<(u32, String)>, ReadError> {
    let reader = FileReader::from_file_contents(std::io::Cursor::new(bytes.to_vec()), options)?;
    let mut out = Vec::new();
    for item in reader {
        match item? {
            Item::Activity { line, mapped } => {
                let title = match &mapped.activity.title {
                    TextDoc::Langs(m) => m.get("es").cloned().unwrap_or_default(),
                    TextDoc::Plain(s) => s.clone(),
                };
                out.push((line, title));
            }
            Item::Refused(w) => panic!("refused: {w:?}"),
        }
    }
    Ok(out)
}

/// The UTF-8 text the layer gives, after the XML declaration.
fn body(bytes: &[u8]) -> String {
    let mut text = String::new();
    input::open(bytes, DEFAULT_MAX_DECOMPRESSED).expect("open").read_to_string(&mut text).expect("decodes");
    let end = text.find("?>").expect("a declaration") + 2;
    text[end..].to_owned()
}

#[test]
fn every_encoding_gives_the_reader_and_the_validator_the_same_text_and_verdict() {
    let expected_body = body(activity("UTF-8", TITLE).as_bytes());
    for (name, bytes) in variants() {
        assert_eq!(body(&bytes), expected_body, "{name}: the text both read");
        let problems = validate_schema(bytes.as_slice()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(problems.is_empty(), "{name}: {problems:?}");
        let activities = read(&bytes, &ReadOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(activities, [(3, TITLE.to_owned())], "{name}");
    }
}

#[test]
fn windows_1252_reads_its_own_characters() {
    let title = "Cooperación “triangular” por 5 €";
    let mut bytes = latin1(&activity("windows-1252", "TITLE"));
    let at = bytes.windows(5).position(|w| w == b"TITLE").expect("placeholder");
    // “ ” € in windows-1252.
    let encoded: Vec<u8> = title
        .chars()
        .map(|c| match c {
            '“' => 0x93,
            '”' => 0x94,
            '€' => 0x80,
            c => u8::try_from(u32::from(c)).expect("latin-1"),
        })
        .collect();
    bytes.splice(at..at + 5, encoded);
    assert_eq!(validate_schema(bytes.as_slice()).map(|p| p.len()).ok(), Some(0));
    assert_eq!(read(&bytes, &ReadOptions::default()).expect("read"), [(3, title.to_owned())]);
}

/// The input error that stopped the reader, with its message in both languages.
fn reader_refusal(bytes: &[u8], options: &ReadOptions) -> (InputError, [String; 2]) {
    let e = read(bytes, options).expect_err("refused");
    match &e {
        ReadError::Xml(XmlError { kind: XmlErrorKind::Input(input), .. }) => {
            (input.clone(), [e.message(Lang::Es), e.message(Lang::En)])
        }
        other => panic!("expected an input error, got {other:?}"),
    }
}

/// The input error that stopped the validator, with its message in both languages.
fn validator_refusal(bytes: &[u8], limits: validate::Limits) -> (InputError, [String; 2]) {
    let e = validate_schema_with(bytes, limits).expect_err("refused");
    match &e {
        ValidateError::Input { error, .. } => (error.clone(), [e.message(Lang::Es), e.message(Lang::En)]),
        other => panic!("expected an input error, got {other:?}"),
    }
}

/// Both refuse `bytes` with `expected`, and say it in the same words (the validator places
/// it as `line …, column …:`, the importer as `file:line:column:`).
fn both_refuse(bytes: &[u8], limit: u64, expected: &InputError) {
    let options = ReadOptions { max_decompressed: Some(limit), ..ReadOptions::default() };
    let limits = validate::Limits { max_decompressed: limit, ..validate::Limits::default() };
    let (read, read_messages) = reader_refusal(bytes, &options);
    let (validated, validate_messages) = validator_refusal(bytes, limits);
    assert_eq!((&read, &validated), (expected, expected));
    for (i, lang) in [Lang::Es, Lang::En].into_iter().enumerate() {
        assert_eq!(read_messages[i], expected.message(lang));
        assert!(validate_messages[i].ends_with(&format!(": {}", expected.message(lang))), "{}", validate_messages[i]);
    }
}

#[test]
fn a_gzip_bomb_is_refused_by_both_with_the_same_message() {
    let bomb =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/iati/bomb.xml.gz")).expect("fixture");
    let limit = 1 << 20;
    both_refuse(&bomb, limit, &InputError::TooLarge(limit));
    assert_eq!(InputError::TooLarge(limit).message(Lang::Es), "el archivo descomprimido pasa de 1048576 bytes");
    // Under the default limit both read it to its end.
    assert!(validate_schema(bomb.as_slice()).is_ok());
    assert_eq!(read(&bomb, &ReadOptions::default()).map(|a| a.len()).ok(), Some(1));
}

#[test]
fn what_cannot_be_decoded_is_refused_by_both_with_the_same_message() {
    let ebcdic = activity("EBCDIC-US", "Agua");
    both_refuse(ebcdic.as_bytes(), DEFAULT_MAX_DECOMPRESSED, &InputError::Encoding("EBCDIC-US".into()));
    let undefined = latin1(&activity("windows-1252", "Agua \u{81}"));
    both_refuse(&undefined, DEFAULT_MAX_DECOMPRESSED, &InputError::Malformed("windows-1252"));
    let mut lone = utf16(&activity("UTF-16", "Agua"), true, true);
    let at = lone.len() - 40;
    lone[at..at + 2].copy_from_slice(&0xDC00u16.to_le_bytes());
    both_refuse(&lone, DEFAULT_MAX_DECOMPRESSED, &InputError::Malformed("UTF-16 (lone surrogate)"));
}

#[test]
fn latin1_bytes_a_file_does_not_declare_are_not_utf8_to_either() {
    let bytes = latin1(&activity("UTF-8", TITLE));
    assert!(matches!(validate_schema(bytes.as_slice()), Err(ValidateError::NotWellFormed { .. })));
    assert!(matches!(
        read(&bytes, &ReadOptions::default()),
        Err(ReadError::Xml(XmlError { kind: XmlErrorKind::Malformed(_), .. }))
    ));
}
