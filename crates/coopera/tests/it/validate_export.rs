//! `coopera export iati` and `coopera validate`: what Coopera publishes is valid IATI 2.03 and
//! reads back as the same activities; a bad file is reported with its lines and fixes.

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
    assert!(r.stderr.contains("155 actividades exportadas"), "{}", r.stderr);
    let verdict = c.run(&["validate", &out.display().to_string(), "--format", "json"]).ok().json();
    assert_eq!(verdict["valid"], true, "{verdict}");
    assert_eq!(verdict["schema"].as_array().map(Vec::len), Some(0));
    match xmllint_accepts(&out) {
        Some(accepted) => assert!(accepted, "xmllint refused the export"),
        None => {
            eprintln!("xmllint or the official schema is not available here; Coopera's validator checked the export")
        }
    }

    // Into the same registry: nothing changes. Into an empty one: the same documents.
    let same = c.run(&["import", "iati", &out.display().to_string(), "--format", "json"]).ok().json();
    assert_eq!(same["activities"]["unchanged"], 155, "{same}");
    assert_eq!(same["warnings"].as_array().map(Vec::len), Some(0), "{same}");
    let fresh = Coopera::new();
    let imported = fresh.run(&["import", "iati", &out.display().to_string(), "--format", "json"]).ok().json();
    assert_eq!(imported["activities"]["new"], 155);
    for id in ["MX-AMEXCID-2012-0001", "MX-AMEXCID-2010-0006"] {
        let a = c.run(&["activity", "show", id, "--format", "json"]).ok().json();
        let b = fresh.run(&["activity", "show", id, "--format", "json"]).ok().json();
        assert_eq!(a, b, "{id} differs after export and import");
    }
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
