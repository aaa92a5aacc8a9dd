//! `coopera catalog list|show|add`: the catalog of capacities and the partners' demands from
//! the command line, in both languages, and a file of capacities taken whole or not at all.

use super::*;

const GOOD: &str = r#"
[[capacity]]
key = "cap-pesca-riberena"
title = { es = "Pesca ribereña sustentable", en = "Sustainable small-scale fishing" }
institution = "conapesca"
sectors = [{ code = "31310" }]
forms = ["course", "technical-assistance"]
languages = ["es"]
contact = { email = "pesca@example.org" }
"#;

#[test]
fn the_catalog_is_listed_shown_and_added_to() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let listed = c.run(&["catalog", "list", "--format", "json"]).ok().json();
    let before = listed.as_array().map_or(0, Vec::len);
    assert!(before >= 20, "the demo's capacities: {listed}");
    let demands = c.run(&["--lang", "en", "catalog", "list", "--demands"]).ok();
    assert!(demands.stdout.contains("Requester") && demands.stdout.contains("sol-"), "{}", demands.stdout);

    // A file with a problem is refused, naming its line, and stores nothing.
    let bad = c.dir.path().join("bad.toml");
    std::fs::write(&bad, GOOD.replace("31310", "99999")).expect("write");
    let refused = c.run(&["catalog", "add", "--file", &bad.to_string_lossy()]).failed();
    assert!(refused.stderr.contains("bad.toml:6"), "{}", refused.stderr);
    assert_eq!(c.run(&["catalog", "list", "--format", "json"]).ok().json().as_array().map_or(0, Vec::len), before);

    let good = c.dir.path().join("capacidades.toml");
    std::fs::write(&good, GOOD).expect("write");
    c.run(&["catalog", "add", "--file", &good.to_string_lossy()]).ok();
    let shown = c.run(&["catalog", "show", "cap-pesca-riberena"]).ok();
    assert!(shown.stdout.contains("Pesca ribereña sustentable"), "{}", shown.stdout);
    assert!(shown.stdout.contains("Agricultura, Silvicultura y Pesca"), "its thematic area: {}", shown.stdout);
    let json = c.run(&["catalog", "show", "cap-pesca-riberena", "--format", "json"]).ok().json();
    assert_eq!(json["institution"], "conapesca");
    let english = c.run(&["--lang", "en", "catalog", "show", "cap-pesca-riberena"]).ok();
    assert!(
        english.stdout.contains("Sustainable small-scale fishing") && english.stdout.contains("Forms"),
        "{}",
        english.stdout
    );
    let missing = c.run(&["--lang", "en", "catalog", "show", "nada"]).failed();
    assert!(missing.stderr.contains("there is no capacity or demand `nada`"), "{}", missing.stderr);
}

#[test]
fn a_demand_moves_to_agreement_and_the_report_counts_it() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let report = c.run(&["catalog", "report", "--format", "json"]).ok().json();
    let answered = report["answered"].as_u64().expect("answered");
    let demands = report["demands"].as_u64().expect("demands");
    assert!(demands >= 10 && answered < demands, "{report}");

    // Every wrong step is refused, says why, and changes nothing.
    let skipped = c.run(&["catalog", "move", "sol-ni-suelos", "--to", "agreed"]).failed();
    assert!(skipped.stderr.contains("una solicitud recibida no puede pasar"), "{}", skipped.stderr);
    let unknown =
        c.run(&["--lang", "en", "catalog", "move", "sol-ni-suelos", "--to", "answered", "--propose", "cap-nada"]);
    let unknown = unknown.failed();
    assert!(unknown.stderr.contains("proposed[0]") && unknown.stderr.contains("no capacity"), "{}", unknown.stderr);
    let no_reason = c.run(&["catalog", "move", "sol-ni-suelos", "--to", "declined"]).failed();
    assert!(no_reason.stderr.contains("reason"), "{}", no_reason.stderr);
    assert_eq!(c.run(&["catalog", "report", "--format", "json"]).ok().json(), report);

    c.run(&["catalog", "move", "sol-ni-suelos", "--to", "answered", "--propose", "cap-agricultura-conservacion"]).ok();
    let agreed = c.run(&[
        "--user",
        "luis",
        "catalog",
        "move",
        "sol-ni-suelos",
        "--to",
        "agreed",
        "--activity",
        "MX-AMEXCID-2012-0008",
    ]);
    assert!(agreed.ok().stdout.contains("Respondida → Acordada"));
    let after = c.run(&["catalog", "report", "--format", "json"]).ok().json();
    assert_eq!(after["answered"].as_u64(), Some(answered + 1), "{after}");
    let agreed_count = |r: &serde_json::Value| {
        r["by_state"].as_array().and_then(|s| s.iter().find(|s| s["state"] == "agreed")).map(|s| s["demands"].clone())
    };
    assert_eq!(agreed_count(&after), Some(serde_json::json!(1)));
    assert_eq!(after["to_agreement"]["demands"].as_u64(), report["to_agreement"]["demands"].as_u64().map(|n| n + 1));

    let shown = c.run(&["--lang", "en", "catalog", "show", "sol-ni-suelos"]).ok();
    assert!(shown.stdout.contains("luis: Answered → Agreed"), "who moved it is shown: {}", shown.stdout);
    assert!(shown.stdout.contains("MX-AMEXCID-2012-0008"), "{}", shown.stdout);
    let text = c.run(&["--lang", "en", "catalog", "report"]).ok();
    assert!(text.stdout.contains("From reception to agreement: median"), "{}", text.stdout);
}

#[test]
fn a_spreadsheet_is_taken_whole_or_its_cells_are_named() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let count =
        |c: &Coopera| c.run(&["catalog", "list", "--format", "json"]).ok().json().as_array().map_or(0, Vec::len);
    let before = count(&c);
    let csv = c.dir.path().join("capacidades.csv");
    std::fs::write(
        &csv,
        "clave,titulo_es,institucion,sectores,modalidades\n\
         cap-x1,Pesca ribereña,conapesca,31310:70; 31320:30,course\n\
         cap-x2,Acuacultura rural,conapesca,31310,curso\n\
         cap-x3,Otra,nadie,31310,course\n",
    )
    .expect("write");
    let refused = c.run(&["catalog", "add", "--file", &csv.to_string_lossy()]).failed();
    assert!(refused.stderr.contains("fila 3, columna E (modalidades)"), "{}", refused.stderr);
    assert!(refused.stderr.contains("fila 4, columna C (institucion)"), "references too: {}", refused.stderr);
    assert_eq!(count(&c), before, "nothing written");

    // The template, filled with its own examples, goes in whole.
    let template = c.dir.path().join("template.xlsx");
    c.run(&["--lang", "en", "catalog", "template", "--out", &template.to_string_lossy()]).ok();
    let added = c.run(&["--lang", "en", "catalog", "add", "--file", &template.to_string_lossy()]).ok();
    assert!(added.stdout.contains("2 created"), "{}", added.stdout);
    assert_eq!(count(&c), before + 1);
}
