//! `coopera demo` and the reports over its data.

use super::*;

#[test]
fn demo_is_idempotent_and_reproduces_the_seed() {
    let c = Coopera::new();
    let first = c.run(&["demo"]).ok();
    assert!(first.stdout.contains("ilustrativos"), "{}", first.stdout);
    let written = c.history_rows();
    assert!(c.activities() >= 120, "at least 120 activities");
    assert!(c.store().capacities().expect("capacities").len() >= 60);
    assert_eq!(
        written as usize,
        c.store().organisations().expect("orgs").len() + count_other_records(&c),
        "one history row per record"
    );

    let second = c.run(&["demo"]).ok();
    assert!(second.stdout.contains("0 creado(s), 0 actualizado(s)"), "{}", second.stdout);
    assert_eq!(c.history_rows(), written, "loading the demo again writes nothing");

    let report = c.run(&["report", "themes", "--source", "catalog", "--format", "json"]).ok().json();
    let share = |key: &str| {
        report["rows"].as_array().and_then(|rows| rows.iter().find(|r| r["key"] == key)).map(|r| r["share"].clone())
    };
    assert_eq!(share("410"), Some(Value::from(20)), "Medio Ambiente 20%");
    assert_eq!(share("150"), Some(Value::from(15)), "Gobierno y Sociedad Civil 15%");
    assert_eq!(share("110"), Some(Value::from(15)), "Educación 15%");
    assert_eq!(share("310"), Some(Value::from(15)), "Agricultura, Silvicultura y Pesca 15%");
    let labels: Vec<&str> =
        report["rows"].as_array().expect("rows").iter().filter_map(|r| r["label"].as_str()).collect();
    assert!(labels.contains(&"Medio Ambiente") && labels.contains(&"Agricultura, Silvicultura y Pesca"), "{labels:?}");
    let others: f64 = report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| !["410", "150", "110", "310"].contains(&r["key"].as_str().unwrap_or("")))
        .filter_map(|r| r["share"].as_f64())
        .sum();
    assert!((others - 35.0).abs() < 1e-9, "the other areas hold 35%: {others}");
}

fn count_other_records(c: &Coopera) -> usize {
    let s = c.store();
    c.activities() as usize
        + s.capacities().expect("capacities").len()
        + s.demands().expect("demands").len()
        + s.actions().expect("actions").len()
        + s.agreements().expect("agreements").len()
        + s.memberships().expect("memberships").len()
        + s.practices().expect("practices").len()
}

#[test]
fn value_report_keeps_other_currencies_apart() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let usd =
        c.run(&["report", "themes", "--direction", "given", "--measure", "value", "--format", "json"]).ok().json();
    assert_eq!(usd["currency"], "USD");
    let total = usd["total"].as_f64().expect("total");
    let sum: f64 = usd["rows"].as_array().expect("rows").iter().filter_map(|r| r["value"].as_f64()).sum();
    assert!((total - sum).abs() < 1e-6 * total.max(1.0), "rows add up to the total");
    let catalog_value = c.run(&["report", "themes", "--source", "catalog", "--measure", "value"]).failed();
    assert!(catalog_value.stderr.contains("solo se cuenta"), "{}", catalog_value.stderr);
}

#[test]
fn lists_and_filters_in_english() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let given = c.run(&["--lang", "en", "activity", "list", "--direction", "given", "--format", "json"]).ok().json();
    let rows = given.as_array().expect("array");
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["direction"] == "Given"), "{rows:?}");
    let tri = c.run(&["activity", "list", "--modality", "triangular", "--format", "csv"]).ok();
    assert!(tri.stdout.lines().count() > 3, "{}", tri.stdout);
    let orgs = c.run(&["org", "show", "amexcid"]).ok();
    assert!(orgs.stdout.contains("AMEXCID"), "{}", orgs.stdout);
    let bad = c.run(&["--lang", "en", "activity", "list", "--modality", "trilateral"]).failed();
    assert!(
        bad.stderr.contains(
            "--modality: `trilateral`: unknown code in the `Modality` codelist; did you mean “bilateral — Bilateral”"
        ),
        "{}",
        bad.stderr
    );
}
