//! An IATI file, as `coopera import iati` reads it (plain or gzip, in any encoding it reads, mapped
//! into documents and checked into domain records) and as `coopera validate` checks it against
//! the 2.03 schema.
#![no_main]

use std::collections::BTreeMap;
use std::io::Cursor;

use coopera_domain::Lang;
use coopera_domain::activity::Activity;
use coopera_domain::doc::ActivityDoc;
use coopera_domain::organisation::Organisation;
use coopera_iati::read::{FileReader, Item, ReadError, ReadOptions};
use coopera_iati::validate::{self, ValidateError, validate_schema, validate_schema_with};
use coopera_iati::write::{WriteOptions, write_file};
use libfuzzer_sys::fuzz_target;

/// More activities than this from one input are read but not exported again: each export
/// and re-read costs as much as the read itself.
const EXPORTED: usize = 16;

fuzz_target!(|data: &[u8]| {
    check_validator(data);
    let (activities, organisations) = import(data);
    if !activities.is_empty() {
        export_again(&activities, &organisations);
    }
});

/// `coopera validate`: the file is valid, or every problem has a place; a file that cannot
/// be validated says where it broke off.
fn check_validator(data: &[u8]) {
    let limits = validate::Limits { max_token: 1 << 20, max_decompressed: 8 << 20, ..validate::Limits::default() };
    match validate_schema_with(data, limits) {
        Ok(problems) => {
            for p in &problems {
                assert!(p.line >= 1 && p.column >= 1, "a schema problem without a place: {p:?}");
                assert!(!p.message(Lang::Es).is_empty() && !p.message(Lang::En).is_empty(), "{p:?}");
            }
        }
        Err(e) => {
            let _ = (e.message(Lang::Es), e.message(Lang::En));
            let place = match e {
                ValidateError::NotWellFormed { line, column, .. }
                | ValidateError::Dtd { line, column }
                | ValidateError::Entity { line, column, .. }
                | ValidateError::TooDeep { line, column, .. }
                | ValidateError::TooLarge { line, column, .. }
                | ValidateError::Input { line, column, .. } => Some((line, column)),
                ValidateError::Io(_) => None,
            };
            if let Some((line, column)) = place {
                assert!(line >= 1 && column >= 1, "an error placed at {line}:{column}");
            }
        }
    }
}

/// `coopera import iati`: the activities the importer would store, and the organisations
/// they name. Every warning and refusal has a line; every activity refused by the domain
/// says why.
fn import(data: &[u8]) -> (Vec<Activity>, BTreeMap<String, Organisation>) {
    let options = ReadOptions { max_decompressed: Some(8 << 20), ..ReadOptions::default() };
    let mut activities = Vec::new();
    let mut organisations = BTreeMap::new();
    let reader = match FileReader::from_file_contents(Cursor::new(data.to_vec()), &options) {
        Ok(r) => r,
        Err(e) => {
            check_read_error(&e);
            return (activities, organisations);
        }
    };
    for item in reader {
        match item {
            // A file that breaks off is not imported at all.
            Err(e) => {
                check_read_error(&e);
                return (Vec::new(), BTreeMap::new());
            }
            Ok(Item::Refused(w)) => {
                assert!(w.line >= 1, "a refusal without a line: {w:?}");
                let _ = (w.message(Lang::Es), w.message(Lang::En));
            }
            Ok(Item::Activity { line, mapped }) => {
                assert!(line >= 1, "an activity at line 0");
                for w in &mapped.warnings {
                    assert!(w.line >= 1, "a warning without a line: {w:?}");
                    let _ = (w.message(Lang::Es), w.message(Lang::En));
                }
                for doc in mapped.organisations {
                    let key = doc.key.clone();
                    match doc.into_domain() {
                        Ok(o) => {
                            organisations.entry(key).or_insert(o);
                        }
                        Err(problems) => assert!(!problems.is_empty(), "a refusal without a problem"),
                    }
                }
                match mapped.activity.into_domain() {
                    Ok(a) if activities.len() < EXPORTED => activities.push(a),
                    Ok(_) => {}
                    Err(problems) => {
                        assert!(!problems.is_empty(), "a refusal without a problem");
                        for p in problems.iter() {
                            let _ = (p.message(Lang::Es), p.message(Lang::En));
                        }
                    }
                }
            }
        }
    }
    (activities, organisations)
}

fn check_read_error(e: &ReadError) {
    let _ = (e.message(Lang::Es), e.message(Lang::En));
    if let ReadError::Xml(x) = e {
        assert!(x.line >= 1 && x.column >= 1, "an XML error without a place: {x:?}");
    }
}

/// `coopera export iati` of what was imported: whatever the importer accepted can be
/// published — the file is valid against the schema and reads back into the same activities.
fn export_again(activities: &[Activity], organisations: &BTreeMap<String, Organisation>) {
    let options =
        WriteOptions { generated: "2026-01-01T00:00:00Z".to_owned(), today: time::macros::date!(2026 - 01 - 01) };
    let lookup = |key: &str| organisations.get(key).cloned();
    let mut out = Vec::new();
    if let Err(e) = write_file(&mut out, activities, &lookup, &options) {
        panic!("writing to memory failed: {e}");
    }
    let text = String::from_utf8_lossy(&out);
    match validate_schema(out.as_slice()) {
        Ok(problems) => assert!(problems.is_empty(), "an export the schema refuses: {problems:?}\n{text}"),
        Err(e) => panic!("an export that cannot be validated: {e}\n{text}"),
    }
    let reader = match FileReader::from_file_contents(Cursor::new(out.clone()), &ReadOptions::default()) {
        Ok(r) => r,
        Err(e) => panic!("an export that cannot be read: {e}\n{text}"),
    };
    let mut read = 0;
    for (item, original) in reader.zip(activities) {
        let mapped = match item {
            Ok(Item::Activity { mapped, .. }) => mapped,
            Ok(Item::Refused(w)) => panic!("an exported activity refused on import: {w:?}\n{text}"),
            Err(e) => panic!("an export that cannot be read: {e}\n{text}"),
        };
        let expected = ActivityDoc::from_domain(original);
        assert_eq!(mapped.activity.id, expected.id, "activities exported out of order");
        if let Err(problems) = mapped.activity.into_domain() {
            panic!("an exported activity that no longer passes the rules: {problems}\n{text}");
        }
        read += 1;
    }
    assert_eq!(read, activities.len(), "activities lost between export and import\n{text}");
}
