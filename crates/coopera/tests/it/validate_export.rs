//! `coopera export iati` and `coopera validate`: what Coopera publishes is valid IATI 2.03 and
//! reads back as the same activities; a bad file is reported with its lines and fixes; both
//! commands read a file's bytes alike, whatever its encoding.

use std::collections::BTreeMap;

use super::*;

/// Validates `file` with xmllint too when the official schema is there (CI has it and
/// installs xmllint); Coopera's own validator, whose verdict equals xmllint's, always runs.
fn xmllint_accepts(file: &Path) -> Option<bool> {
    let schema = shared_data("iati/schema-2.03/iati-activities-schema.xsd")?;
    let output = Command::new("xmllint").args(["--noout", "--nonet", "--schema"]).arg(&schema).arg(file).output();
    let required = std::env::var_os("COOPERA_REQUIRE_SHARED_DATA").is_some();
    match output {
        Ok(output) => Some(output.status.success()),
        Err(e) if required => panic!("xmllint: {e}"),
        Err(_) => None,
    }
}

#[test]
fn exported_demo_is_valid_iati_and_reads_back_the_same() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let out = c.dir.path().join("demo.xml");
    let r = c.run(&["export", "iati", "--out", &out.display().to_string()]).ok();
    assert!(r.stderr.contains("156 actividades exportadas"), "{}", r.stderr);
    let verdict = c.run(&["validate", &out.display().to_string(), "--format", "json"]).ok().json();
    assert_eq!(verdict["valid"], true, "{verdict}");
    assert_eq!(verdict["schema"].as_array().map(Vec::len), Some(0));
    match xmllint_accepts(&out) {
        Some(accepted) => assert!(accepted, "xmllint refused the export"),
        None => {
            eprintln!("xmllint or the official schema is not available here; Coopera's validator checked the export")
        }
    }

    // Into the same registry, published on import: the published activities are unchanged,
    // the others only move to published. Into an empty one: the same documents.
    let published = workflows(&c).values().filter(|w| *w == "published").count();
    assert!(published < 156, "the demo has activities not yet published");
    let same = c.run(&["import", "iati", "--publish", &out.display().to_string(), "--format", "json"]).ok().json();
    assert_eq!(same["activities"]["unchanged"], published, "{same}");
    assert_eq!(same["activities"]["updated"], 156 - published, "{same}");
    assert_eq!(same["warnings"].as_array().map(Vec::len), Some(0), "{same}");
    let fresh = Coopera::new();
    let imported =
        fresh.run(&["import", "iati", "--publish", &out.display().to_string(), "--format", "json"]).ok().json();
    assert_eq!(imported["activities"]["new"], 156);
    for id in ["MX-AMEXCID-2012-0001", "MX-AMEXCID-2010-0006"] {
        let a = c.run(&["activity", "show", id, "--format", "json"]).ok().json();
        let b = fresh.run(&["activity", "show", id, "--format", "json"]).ok().json();
        assert_eq!(a, b, "{id} differs after export and import");
    }
    assert!(workflows(&fresh).values().all(|w| w == "published"));
}

/// Each activity's workflow state, as stored.
fn workflows(c: &Coopera) -> BTreeMap<String, String> {
    let store = c.store();
    let keys = store.activities(&coopera_store::ActivityFilter::default()).expect("list");
    keys.into_iter()
        .map(|a| {
            let stored = store.activity(&a.key).expect("read").expect("stored");
            (a.key, stored.activity.parts().workflow.code().to_owned())
        })
        .collect()
}

/// (row key, value) of a report, and its total, as JSON.
fn report_rows(c: &Coopera, args: &[&str]) -> (Vec<(String, String)>, String) {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let r = c.run(&all).ok().json();
    let rows = r["rows"].as_array().unwrap_or_else(|| panic!("rows in {r}"));
    let rows = rows.iter().map(|x| (x["key"].to_string(), x["value"].to_string())).collect();
    (rows, format!("{} {}", r["total"], r["not_converted"]))
}

/// Each activity's derived direction, from `activity list`.
fn directions(c: &Coopera) -> BTreeMap<String, String> {
    let list = c.run(&["--lang", "en", "activity", "list", "--format", "json"]).ok().json();
    let rows = list.as_array().unwrap_or_else(|| panic!("rows in {list}"));
    rows.iter().map(|a| (a["id"].to_string(), a["direction"].to_string())).collect()
}

#[test]
fn direction_survives_export_and_import_into_an_empty_registry() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let out = c.dir.path().join("demo.xml");
    c.run(&["export", "iati", "--out", &out.display().to_string()]).ok();
    let fresh = Coopera::new();
    fresh.run(&["rates", "load", "--sample"]).ok();
    let imported = fresh.run(&["import", "iati", &out.display().to_string(), "--format", "json"]).ok().json();
    assert_eq!(imported["activities"]["new"], 156, "{imported}");
    assert_eq!(imported["errors"].as_array().map(Vec::len), Some(0), "{imported}");

    let before = directions(&c);
    assert_eq!(before.len(), 156);
    assert!(before.values().all(|d| d != "null" && d != "\"\""), "the demo has a direction everywhere: {before:?}");
    assert_eq!(directions(&fresh), before, "every activity keeps its direction");
    for direction in ["given", "received", "both"] {
        for measure in ["count", "total"] {
            let args = ["themes", "--direction", direction, "--measure", measure];
            let (rows, total) = report_rows(&c, &args);
            assert!(!rows.is_empty(), "{direction} {measure}: the demo has some");
            assert_eq!(report_rows(&fresh, &args), (rows, total), "themes, {direction}, {measure}");
        }
    }
    // The organisations themselves: each one the activities name (or a parent of one) comes
    // back as it was, municipalities and states with their INEGI codes.
    let registry: BTreeMap<String, _> =
        c.store().organisations().expect("organisations").into_iter().map(|o| (o.key().to_string(), o)).collect();
    let back = fresh.store().organisations().expect("organisations");
    assert!(back.len() > 100, "{} organisations", back.len());
    for o in &back {
        assert_eq!(Some(o), registry.get(o.key().as_str()), "{} differs after export and import", o.key());
    }
    assert!(back.iter().any(|o| o.parts().mx_municipality.is_some()), "municipalities among them");
}

#[test]
fn validate_reports_schema_problems_and_rules_with_lines() {
    let c = Coopera::new();
    let bad = fixture("iati-invalid.xml");
    let r = c.run(&["--lang", "en", "validate", &bad]).failed();
    assert!(
        r.stdout.contains("iati-invalid.xml:5:5: [unexpected-element] /iati-activities/iati-activity[1]/title[1]"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("<reporting-org>"), "the fix names the missing element: {}", r.stdout);
    assert!(
        r.stdout.contains(":10:5: [rule codelist] /iati-activities/iati-activity[1]/sector[1]/@code"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("NOT valid against the IATI 2.03 schema"), "{}", r.stdout);
    let json = c.run(&["validate", &bad, "--format", "json"]).failed().json();
    assert_eq!(json["valid"], false);
    assert!(json["schema"][0]["message"].as_str().is_some_and(|m| m.contains("<reporting-org>")), "{json}");
}

#[test]
fn validate_refuses_a_dtd() {
    let c = Coopera::new();
    let xxe = c.dir.path().join("xxe.xml");
    std::fs::write(&xxe, "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<iati-activities>&e;</iati-activities>")
        .expect("write");
    let r = c.run(&["validate", &xxe.display().to_string()]).failed();
    assert!(r.stdout.contains("línea 2") && r.stdout.contains("DTD"), "{}", r.stdout);
    assert!(!r.stdout.contains("root:"), "no entity was expanded: {}", r.stdout);
}

/// A schema-valid file of one activity titled `title`, declared in `encoding`, its characters
/// written one byte each (ISO-8859-1).
fn latin1_file(c: &Coopera, name: &str, encoding: &str, title: &str) -> String {
    let text = format!(
        "<?xml version=\"1.0\" encoding=\"{encoding}\"?>
<iati-activities version=\"2.03\">
 <iati-activity>
  <iati-identifier>XM-EX-LATIN1</iati-identifier>
  <reporting-org ref=\"XM-EX\" type=\"10\"><narrative>Secretaría de Relaciones Exteriores</narrative></reporting-org>
  <title><narrative xml:lang=\"es\">{title}</narrative></title>
  <description><narrative xml:lang=\"es\">Niñas y niños de Quetzaltenango</narrative></description>
  <participating-org role=\"1\" ref=\"XM-EX\"/>
  <activity-status code=\"2\"/>
  <activity-date type=\"1\" iso-date=\"2024-01-31\"/>
 </iati-activity>
</iati-activities>
"
    );
    let bytes: Vec<u8> = text.chars().map(|ch| u8::try_from(u32::from(ch)).expect("a latin-1 character")).collect();
    let path = c.dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    path.display().to_string()
}

#[test]
fn validate_and_import_read_a_latin1_file_alike() {
    let c = Coopera::new();
    let title = "Educación básica: año único, niñas y niños";
    let file = latin1_file(&c, "latin1.xml", "ISO-8859-1", title);
    let verdict = c.run(&["validate", &file, "--format", "json"]).ok().json();
    assert_eq!(verdict["valid"], true, "{verdict}");
    let summary = c.run(&["import", "iati", &file, "--format", "json"]).ok().json();
    assert_eq!(summary["activities"]["new"], 1, "{summary}");
    let shown = c.run(&["activity", "show", "XM-EX-LATIN1", "--format", "json"]).ok().json();
    assert_eq!(shown["title"]["es"], title);

    // An encoding neither reads: both refuse the file with the same words.
    let file = latin1_file(&c, "ebcdic.xml", "EBCDIC-US", "Agua");
    let message =
        "codificación `EBCDIC-US` no admitida; el archivo debe estar en UTF-8, UTF-16, ISO-8859-1 o windows-1252";
    let validate = c.run(&["validate", &file]).failed();
    assert!(validate.stdout.contains(&format!("ebcdic.xml: línea 1, columna 1: {message}")), "{}", validate.stdout);
    let import = c.run(&["import", "iati", &file]).failed();
    assert!(
        import.stderr.contains(&format!("ebcdic.xml:1:1: no se importó el archivo: {message}")),
        "{}",
        import.stderr
    );
}
