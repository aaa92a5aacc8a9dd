//! Golden files of what the writer publishes: the demo registry exported as IATI 2.03. A change
//! in the output fails here and becomes a reviewed diff of `snapshots/` (`cargo insta review`,
//! or rename the `.snap.new` file the failed run wrote).

use std::collections::BTreeMap;

use coopera_domain::activity::Activity;
use coopera_domain::organisation::Organisation;
use coopera_iati::validate::validate_schema;
use coopera_iati::write::{WriteOptions, write_file};

/// The demo's activities, in the order of its files, and its organisations by key.
fn demo() -> (Vec<Activity>, BTreeMap<String, Organisation>) {
    let (mut activities, mut organisations) = (Vec::new(), BTreeMap::new());
    for (file, doc) in coopera_demo::dataset().expect("the demo parses") {
        for o in doc.organisations {
            let o = o.into_domain().unwrap_or_else(|p| panic!("{file}: {p}"));
            organisations.insert(o.key().to_string(), o);
        }
        activities
            .extend(doc.activities.into_iter().map(|a| a.into_domain().unwrap_or_else(|p| panic!("{file}: {p}"))));
    }
    (activities, organisations)
}

/// The file as `coopera export iati` writes it, dated so that it does not change by the day.
fn export(activities: &[Activity], organisations: &BTreeMap<String, Organisation>) -> String {
    let options = WriteOptions { generated: "2026-01-01T00:00:00Z".into(), today: time::macros::date!(2026 - 01 - 01) };
    let mut xml = Vec::new();
    write_file(&mut xml, activities, &|key| organisations.get(key).cloned(), &options).expect("written to memory");
    String::from_utf8(xml).expect("the writer writes UTF-8")
}

#[test]
fn the_demo_exports_as_this_iati_file() {
    let (activities, organisations) = demo();
    let xml = export(&activities, &organisations);
    // A golden file is worth keeping only if it is valid: the schema says so first.
    let problems = validate_schema(xml.as_bytes()).expect("the validator reads the file");
    assert!(problems.is_empty(), "{problems:?}");
    insta::assert_snapshot!("demo_iati_activities", xml);
}
