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
