//! A posted activity or organisation form, decoded as axum's `Form` decodes it and checked as
//! its handler checks it before the store (`coopera_web::fuzzing`).
#![no_main]

use coopera_web::fuzzing::{activity_form, activity_form_unchanged, organisation_form, organisation_form_unchanged};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // `Form<Vec<(String, String)>>` refuses a body that does not decode before any handler runs.
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(data) else { return };

    let checked = activity_form(&fields, None);
    match &checked.record {
        Ok(_) => {
            assert!(checked.by_field.iter().all(Vec::is_empty), "messages beside an accepted form");
            // Opening the saved activity's edit form and saving it unchanged changes nothing.
            let again = activity_form_unchanged(&checked.doc);
            assert_eq!(again, checked.doc, "an activity saved unchanged from its form changes");
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "a refusal without a problem");
            // A refused form shows its messages, in either language, beside the same fields.
            let [es, en] = &checked.by_field;
            assert!(!es.is_empty() && !en.is_empty(), "a refused form that shows no message: {problems:?}");
            let fields = |v: &Vec<(String, Vec<String>)>| v.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>();
            assert_eq!(fields(es), fields(en), "messages placed differently by language");
        }
    }

    let checked = organisation_form(&fields);
    match &checked.record {
        Ok(_) => {
            let again = organisation_form_unchanged(&checked.doc);
            assert_eq!(again, checked.doc, "an organisation saved unchanged from its form changes");
        }
        Err(problems) => assert!(!problems.is_empty(), "a refusal without a problem"),
    }
});
