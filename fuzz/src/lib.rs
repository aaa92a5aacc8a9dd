//! What the record targets share: `record_toml` and `record_json` run the binary's reading of
//! a record file (`coopera::input`) and check the same properties of its answer.

use coopera::input::{Batch, Source};
use coopera_domain::Lang;
use coopera_domain::organisation::Organisation;
use coopera_iati::validate::validate_schema;
use coopera_iati::write::{WriteOptions, write_file};
use coopera_store::Record;

/// Reads `text` as the record file `name` (its extension says the format) and checks what a
/// user would see of the answer:
///
/// - every problem is placed: in this file, at a line and column inside the text (a file
///   that parsed can always be walked to the place a path names, or to its record);
/// - every record accepted is what the store keeps: its canonical document reads back into
///   the same record;
/// - every activity accepted can be published: written as IATI (with the organisations of the
///   file it names), it passes the 2.03 schema.
pub fn check_record_file(name: &str, text: &str, lang: Lang) {
    let (batch, problems) = Batch::read(vec![Source::embedded(name, text)], lang);
    let lines = text.split('\n').count();
    for p in &problems {
        assert_eq!(p.file, name, "a problem placed in another file: {p:?}");
        let Some(at) = p.position else { panic!("a problem without a place: {p:?}") };
        assert!(at.line >= 1 && at.column >= 1, "a place counted from 0: {p:?}");
        assert!(at.line <= lines, "a place after the last line ({lines}): {p:?}");
        assert!(!p.message.trim().is_empty(), "a problem without a message: {p:?}");
    }
    for record in &batch.records {
        let json = record.to_json();
        let back = match Record::from_json(record.kind(), &json) {
            Ok(r) => r,
            Err(e) => panic!("an accepted record that the store cannot read back: {e}\n{json}"),
        };
        let again = back.to_json();
        assert!(Record::same_document(&json, &again), "a record that changes when stored:\n{json}\n{again}");
    }
    let organisations: Vec<&Organisation> =
        batch.records.iter().filter_map(|r| if let Record::Organisation(o) = r { Some(o) } else { None }).collect();
    let lookup = |key: &str| organisations.iter().find(|o| o.key().as_str() == key).map(|o| (*o).clone());
    let activities: Vec<_> =
        batch.records.iter().filter_map(|r| if let Record::Activity(a) = r { Some(&**a) } else { None }).collect();
    // The schema wants at least one activity in a file.
    if activities.is_empty() {
        return;
    }
    let options =
        WriteOptions { generated: "2026-01-01T00:00:00Z".to_owned(), today: time::macros::date!(2026 - 01 - 01) };
    let mut out = Vec::new();
    if let Err(e) = write_file(&mut out, activities, &lookup, &options) {
        panic!("writing to memory failed: {e}");
    }
    match validate_schema(out.as_slice()) {
        Ok(problems) => assert!(
            problems.is_empty(),
            "an accepted activity the schema refuses: {problems:?}\n{}",
            String::from_utf8_lossy(&out)
        ),
        Err(e) => panic!("an export that cannot be validated: {e}\n{}", String::from_utf8_lossy(&out)),
    }
}
