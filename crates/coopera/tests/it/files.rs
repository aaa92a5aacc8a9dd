//! `coopera activity add`: good files are stored with history; bad files are refused with
//! their file, line and rule, and leave the database as it was.

use super::*;

fn with_orgs() -> Coopera {
    let c = Coopera::new();
    c.run(&["activity", "add", "--file", &fixture("orgs.toml")]).ok();
    c
}

#[test]
fn good_file_is_stored_once_with_history() {
    let c = with_orgs();
    assert_eq!(c.history_rows(), 2);
    let r = c.run(&["--user", "ana", "activity", "add", "--file", &fixture("activity-ok.toml")]).ok();
    assert!(r.stdout.contains("1 creado(s)"), "{}", r.stdout);
    assert_eq!(c.history_rows(), 3, "one history row per write");
    let again = c.run(&["activity", "add", "--file", &fixture("activity-ok.toml")]).ok();
    assert!(again.stdout.contains("1 sin cambios"), "{}", again.stdout);
    assert_eq!(c.history_rows(), 3, "an identical write is no write");

    let shown = c.run(&["activity", "show", "MX-TEST-2012-0001"]).ok();
    assert!(shown.stdout.contains("Dirección: Otorgada"), "{}", shown.stdout);
    assert!(shown.stdout.contains("41010 Política medioambiental"), "{}", shown.stdout);

    // Edit the shown document and add it back: an update, with before and after in history.
    let json = c.run(&["activity", "show", "MX-TEST-2012-0001", "--format", "json"]).ok().json();
    let mut doc = json.clone();
    doc["title"]["es"] = Value::from("Curso de manejo de cuencas (segunda edición)");
    let edited = c.dir.path().join("edited.json");
    std::fs::write(&edited, serde_json::to_string_pretty(&doc).expect("json")).expect("write");
    let r = c.run(&["--user", "luis", "activity", "add", "--file", &edited.display().to_string()]).ok();
    assert!(r.stdout.contains("1 actualizado(s)"), "{}", r.stdout);
    let history = c.run(&["history", "--key", "MX-TEST-2012-0001", "--format", "json"]).ok().json();
    let rows = history.as_array().expect("array");
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0]["action"].as_str(), rows[0]["author"].as_str()), (Some("update"), Some("luis")));
    let change = &c.store().history(&Default::default()).expect("history")[0];
    assert!(change.before.as_deref().is_some_and(|b| b.contains("Curso de manejo integral")));
    assert!(change.after.as_deref().is_some_and(|a| a.contains("segunda edición")));

    // The TOML form round-trips too.
    let toml_doc = c.run(&["activity", "show", "MX-TEST-2012-0001", "--format", "toml"]).ok();
    let again = c.dir.path().join("again.toml");
    std::fs::write(&again, toml_doc.stdout).expect("write");
    let r = c.run(&["activity", "add", "--file", &again.display().to_string()]).ok();
    assert!(r.stdout.contains("1 sin cambios"), "{}", r.stdout);
}

/// Runs `activity add` on a bad fixture and checks the message and that nothing changed.
fn refused(file: &str, lang: &str, expected: &[&str]) {
    let c = with_orgs();
    let before = (c.history_rows(), c.activities());
    let r = c.run(&["--lang", lang, "activity", "add", "--file", &fixture(file)]).failed();
    for e in expected {
        assert!(r.stderr.contains(e), "expected `{e}` in:\n{}", r.stderr);
    }
    assert_eq!((c.history_rows(), c.activities()), before, "a refused file writes nothing");
}

#[test]
fn percentage_error_is_refused_with_its_line() {
    refused(
        "activity-bad-percent.toml",
        "es",
        &[
            "activity-bad-percent.toml:14:11: actividad MX-TEST-2012-0001: sectors:",
            "suman 90, deben sumar 100",
            "no se escribió nada",
        ],
    );
}

#[test]
fn unknown_sector_code_is_refused_with_suggestions() {
    refused(
        "activity-bad-code.json",
        "en",
        &[
            "activity-bad-code.json:14:14: activity MX-TEST-2012-0002: sectors[0].code: `41011`: unknown code in the Sector codelist; did you mean",
            "41010",
            "nothing was written",
        ],
    );
}

#[test]
fn unknown_organisation_is_refused_with_its_line() {
    refused(
        "activity-unknown-org.toml",
        "es",
        &[
            "activity-unknown-org.toml:10:11: actividad MX-TEST-2012-0003: participants[1].org: `minsal-sv`: no existe organisation",
        ],
    );
}

#[test]
fn malformed_file_is_refused_with_its_line() {
    refused("broken.toml", "es", &["broken.toml:3:", "TOML no válido"]);
}

#[test]
fn missing_file_is_refused() {
    refused("no-such-file.toml", "en", &["no-such-file.toml: cannot read the file"]);
}

#[test]
fn a_dataset_is_all_or_nothing() {
    let c = Coopera::new();
    let mixed = c.dir.path().join("mixed.toml");
    let orgs = std::fs::read_to_string(fixture("orgs.toml")).expect("read");
    // Valid organisations, one valid activity, one with an unknown country.
    let text = format!(
        "{orgs}\n[[activity]]\nid = \"A-1\"\nreporting_org = \"amexcid\"\ntitle = \"Uno\"\ninstrument = \"action\"\n\
         cooperation_type = \"economic\"\nmodality = \"bilateral\"\nstatus = \"2\"\nparticipants = [{{ org = \"amexcid\", role = \"provider\" }}]\n\
         \n[[activity]]\nid = \"A-2\"\nreporting_org = \"amexcid\"\ntitle = \"Dos\"\ninstrument = \"action\"\n\
         cooperation_type = \"economic\"\nmodality = \"bilateral\"\nstatus = \"2\"\nparticipants = [{{ org = \"amexcid\", role = \"provider\" }}]\n\
         countries = [{{ code = \"XX\" }}]\n"
    );
    std::fs::write(&mixed, &text).expect("write");
    let r = c.run(&["activity", "add", "--file", &mixed.display().to_string()]).failed();
    let line = text.lines().position(|l| l.starts_with("countries")).expect("line") + 1;
    assert!(r.stderr.contains(&format!("mixed.toml:{line}:")), "{}", r.stderr);
    assert!(r.stderr.contains("actividad A-2: countries[0].code: `XX`"), "{}", r.stderr);
    assert_eq!((c.history_rows(), c.activities()), (0, 0));
    assert!(c.store().organisations().expect("orgs").is_empty());
}
