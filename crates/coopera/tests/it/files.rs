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

    // Edit the shown document and add it back with --update: an update, with before and after
    // in history. (Without --update it is refused: see the test below.)
    let json = c.run(&["activity", "show", "MX-TEST-2012-0001", "--format", "json"]).ok().json();
    let mut doc = json.clone();
    doc["title"]["es"] = Value::from("Curso de manejo de cuencas (segunda edición)");
    let edited = c.dir.path().join("edited.json");
    std::fs::write(&edited, serde_json::to_string_pretty(&doc).expect("json")).expect("write");
    let r = c.run(&["--user", "luis", "activity", "add", "--update", "--file", &edited.display().to_string()]).ok();
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
            "activity-bad-code.json:14:14: activity MX-TEST-2012-0002: sectors[0].code: `41011`: unknown code in the `Sector` codelist; did you mean",
            "“41010 — Environmental policy and administrative management”",
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
            "activity-unknown-org.toml:10:11: actividad MX-TEST-2012-0003: participants[1].org: `minsal-sv`: no existe una organización con esa clave",
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

/// Writes `text` to `name` in the test's folder and gives its path.
fn write(c: &Coopera, name: &str, text: &str) -> String {
    let path = c.dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

/// The stored document of an activity, as JSON.
fn stored(c: &Coopera, id: &str) -> Value {
    c.run(&["activity", "show", id, "--format", "json"]).ok().json()
}

#[test]
fn a_different_activity_under_a_stored_identifier_is_refused_with_its_differences() {
    let c = with_orgs();
    c.run(&["activity", "add", "--file", &fixture("activity-ok.toml")]).ok();
    let before = (c.history_rows(), stored(&c, "MX-TEST-2012-0001"));
    // Another activity that happens to carry the same identifier.
    let ok = std::fs::read_to_string(fixture("activity-ok.toml")).expect("read");
    let other = ok
        .replace("Curso de manejo integral de cuencas", "Misión de salud materna")
        .replace("{ code = \"41010\", percentage = 60 }", "{ code = \"12261\", percentage = 60 }");
    let file = write(&c, "otra.toml", &other);
    let title_line = other.lines().position(|l| l.starts_with("title")).expect("title") + 1;
    let sector_line = other.lines().position(|l| l.contains("12261")).expect("sector") + 1;

    let r = c.run(&["activity", "add", "--file", &file]).failed();
    assert!(
        r.stderr.contains("otra.toml:2:6: actividad MX-TEST-2012-0001: id: `MX-TEST-2012-0001`: ya existe"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!(
            "otra.toml:{title_line}:16: actividad MX-TEST-2012-0001: title.es: guardado «Curso de manejo integral de cuencas» → nuevo «Misión de salud materna»"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!(
            "otra.toml:{sector_line}:12: actividad MX-TEST-2012-0001: sectors[0].code: guardado «41010» → nuevo «12261»"
        )),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--update"), "the way to replace it is named: {}", r.stderr);
    assert_eq!((c.history_rows(), stored(&c, "MX-TEST-2012-0001")), before, "nothing was written");

    let en = c.run(&["--lang", "en", "activity", "add", "--file", &file]).failed();
    assert!(
        en.stderr.contains("title.es: stored “Curso de manejo integral de cuencas” → new “Misión de salud materna”"),
        "{}",
        en.stderr
    );

    // The same activity again is no change; with --update the other one replaces it, and
    // the history keeps both.
    let same = c.run(&["activity", "add", "--file", &fixture("activity-ok.toml")]).ok();
    assert!(same.stdout.contains("1 sin cambios"), "{}", same.stdout);
    let r = c.run(&["--user", "ana", "activity", "add", "--update", "--file", &file]).ok();
    assert!(r.stdout.contains("1 actualizado(s)"), "{}", r.stdout);
    assert_eq!(stored(&c, "MX-TEST-2012-0001")["title"]["es"], "Misión de salud materna");
    let change = &c.store().history(&Default::default()).expect("history")[0];
    assert!(change.before.as_deref().is_some_and(|b| b.contains("Curso de manejo integral")), "{change:?}");
    assert!(change.after.as_deref().is_some_and(|a| a.contains("salud materna")), "{change:?}");
}

#[test]
fn a_dataset_is_checked_record_by_record_against_what_is_stored() {
    let c = with_orgs();
    let orgs = std::fs::read_to_string(fixture("orgs.toml")).expect("read");
    // The same organisations (unchanged), one of them renamed, and a new activity.
    let renamed = orgs.replace("acronym = \"SEGEPLAN\"", "acronym = \"SEGEPLAN-GT\"");
    let activity = "\n[[activity]]\nid = \"A-1\"\nreporting_org = \"amexcid\"\ntitle = \"Uno\"\ninstrument = \"action\"\n\
                    cooperation_type = \"economic\"\nmodality = \"bilateral\"\nstatus = \"2\"\n\
                    participants = [{ org = \"amexcid\", role = \"provider\" }]\n";
    let file = write(&c, "datos.toml", &format!("{renamed}{activity}"));
    let before = (c.history_rows(), c.activities());
    let r = c.run(&["activity", "add", "--file", &file]).failed();
    assert!(
        r.stderr.contains("organización segeplan: acronym: guardado «SEGEPLAN» → nuevo «SEGEPLAN-GT»"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("organización amexcid"), "an identical record is not a problem: {}", r.stderr);
    assert_eq!((c.history_rows(), c.activities()), before, "the whole dataset is refused");
    let r = c.run(&["activity", "add", "--update", "--file", &file]).ok();
    assert!(r.stdout.contains("1 creado(s), 1 actualizado(s), 1 sin cambios"), "{}", r.stdout);
}

#[test]
fn missing_fields_are_located_translated_problems_reported_with_the_others() {
    let c = with_orgs();
    // No instrument nor status, an unknown sector, sectors adding up to 90, a bad date and an
    // organisation that does not exist — every problem in the first answer.
    let text = "id = \"MX-TEST-2012-0009\"\nreporting_org = \"amexcid\"\ntitle = \"\"\n\
                cooperation_type = \"technical-scientific\"\nmodality = \"bilateral\"\n\
                participants = [\n  { org = \"amexcid\", role = \"provider\" },\n  { org = \"minsal-sv\", role = \"recipient\" },\n]\n\
                sectors = [\n  { code = \"41011\", percentage = 60 },\n  { code = \"15110\", percentage = 30 },\n]\n\
                dates = { planned_start = \"2012-03-01\", planned_end = \"2012-02-30\" }\n";
    let file = write(&c, "incompleta.toml", text);
    let r = c.run(&["activity", "add", "--file", &file]).failed();
    for expected in [
        "incompleta.toml:1:1: actividad MX-TEST-2012-0009: instrument: campo obligatorio",
        "incompleta.toml:1:1: actividad MX-TEST-2012-0009: status: campo obligatorio",
        "incompleta.toml:3:9: actividad MX-TEST-2012-0009: title: campo obligatorio",
        "incompleta.toml:8:11: actividad MX-TEST-2012-0009: participants[1].org: `minsal-sv`: no existe una organización con esa clave",
        "incompleta.toml:11:12: actividad MX-TEST-2012-0009: sectors[0].code: `41011`: código desconocido",
        "«41010 — Política medioambiental y gestión administrativa»",
        "incompleta.toml:10:11: actividad MX-TEST-2012-0009: sectors: los porcentajes de sectores del vocabulario 1",
        "suman 90",
        "dates.planned_end: `2012-02-30`: formato inválido",
        "7 problema(s); no se escribió nada",
    ] {
        assert!(r.stderr.contains(expected), "expected `{expected}` in:\n{}", r.stderr);
    }
    for english in ["missing field", "TOML no válido", "organisation", "did you mean"] {
        assert!(!r.stderr.contains(english), "`{english}` in a Spanish message:\n{}", r.stderr);
    }

    // The same in a dataset, in JSON: placed at the record's object.
    let json = "{\n  \"activity\": [\n    {\n      \"id\": \"A-2\",\n      \"reporting_org\": \"amexcid\",\n      \"title\": \"Dos\",\n      \"instrument\": \"action\",\n      \"modality\": \"bilateral\",\n      \"status\": \"2\",\n      \"participants\": [{\"org\": \"amexcid\", \"role\": \"provider\"}],\n      \"sectorss\": []\n    }\n  ]\n}\n";
    let file = write(&c, "datos.json", json);
    let r = c.run(&["--lang", "en", "activity", "add", "--file", &file]).failed();
    assert!(r.stderr.contains("datos.json:3:5: activity A-2: cooperation_type: required field"), "{}", r.stderr);
    assert!(
        r.stderr.contains("datos.json:11:19: activity A-2: sectorss: unknown field; did you mean `sectors`?"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("invalid JSON"), "{}", r.stderr);
    assert_eq!(c.activities(), 0);
}
