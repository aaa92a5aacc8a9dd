//! `coopera report crossborder`: the cross-border agenda over the demo — its totals are the
//! records tagged to a border, activities and actions apart; each border's and dimension's
//! counts are those of the records; the filters and the three formats.

use coopera_domain::kinds::{Border, CrossBorderDimension};

use super::*;

/// A record's tag: its border and dimensions.
type Tag = (Border, Vec<CrossBorderDimension>);

/// The activities and actions tagged to the agenda, read from the store and not through the
/// report.
fn tagged(c: &Coopera) -> (Vec<Tag>, Vec<Tag>) {
    let store = c.store();
    let mut activities = Vec::new();
    store
        .report_facts(&mut |f| {
            if let Some(b) = f.border {
                activities.push((b, f.agenda.clone()));
            }
        })
        .expect("facts");
    let actions = store
        .actions()
        .expect("actions")
        .iter()
        .filter_map(|a| a.parts().cross_border.clone().map(|t| (t.border, t.dimensions)))
        .collect();
    (activities, actions)
}

fn count(v: &Value) -> (u64, u64) {
    (v["activities"].as_u64().expect("activities"), v["actions"].as_u64().expect("actions"))
}

fn row<'a>(table: &'a Value, key: &str) -> &'a Value {
    table.as_array().expect("rows").iter().find(|r| r["key"] == key).unwrap_or_else(|| panic!("no row {key}: {table}"))
}

#[test]
fn the_agenda_counts_the_tagged_activities_and_actions_by_border_and_dimension() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let (activities, actions) = tagged(&c);
    let json = c.run(&["report", "crossborder", "--format", "json"]).ok().json();
    assert_eq!(json["report"], "crossborder");
    assert_eq!(count(&json["total"]["total"]), (activities.len() as u64, actions.len() as u64), "{json}");
    assert!(!actions.is_empty() && !activities.is_empty());
    for border in Border::ALL {
        let n = |records: &[Tag]| records.iter().filter(|r| r.0 == *border).count();
        let r = row(&json["borders"], border.code());
        assert_eq!(count(&r["figures"]["total"]), (n(&activities) as u64, n(&actions) as u64), "{border:?}");
        assert!(n(&activities) > 0 && n(&actions) > 0, "the demo has both borders, for both kinds: {border:?}");
    }
    for dim in CrossBorderDimension::ALL {
        let n = |records: &[Tag], b: Border| records.iter().filter(|r| r.0 == b && r.1.contains(dim)).count() as u64;
        let r = row(&json["dimensions"], dim.code());
        assert_eq!(count(&r["figures"]["north"]), (n(&activities, Border::North), n(&actions, Border::North)));
        assert_eq!(count(&r["figures"]["south"]), (n(&activities, Border::South), n(&actions, Border::South)));
        let (a, b) = count(&r["figures"]["total"]);
        assert!(a > 0 && b > 0, "every dimension has activities and actions in the demo: {dim:?} {r}");
    }
    // Each record once in a total; the rows of dimensions overlap, and the report says so.
    assert_eq!(json["overlap"]["dimensions"], true);
    let chiapas = row(&json["states"], "07");
    assert!(count(&chiapas["figures"]["south"]).1 >= 5, "Chiapas's actions at the southern border: {chiapas}");
    let guatemala = row(&json["corridor"]["countries"], "GT");
    assert_eq!(guatemala["figures"]["total"], row(&json["partners"], "GT")["figures"]["south"]);
    assert!(json["actions"].as_array().expect("keys").contains(&Value::from("son-grupo-seguridad-arizona")));
}

#[test]
fn the_agenda_keeps_the_report_filters_and_its_formats() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let json = |args: &[&str]| {
        let mut all = vec!["report", "crossborder", "--format", "json"];
        all.extend(args);
        c.run(&all).ok().json()
    };
    // Sonora: its activities and its actions, nobody else's.
    let sonora = json(&["--state", "Sonora"]);
    assert_eq!(sonora["states"].as_array().expect("rows")[0]["key"], "26", "{sonora}");
    assert_eq!(count(&sonora["total"]["south"]), (0, 0), "{sonora}");
    let (_, actions) = count(&sonora["total"]["total"]);
    assert_eq!(actions, 2, "the commission's meeting and its security working group: {sonora}");
    // A year: actions whose days fall in it.
    let y2013 = json(&["--year", "2013", "--filter", "agenda=drug-trafficking"]);
    assert_eq!(y2013["actions"], serde_json::json!(["son-grupo-seguridad-arizona"]), "{y2013}");
    // A filter on what actions have not leaves them out.
    let modality = json(&["--modality", "bilateral"]);
    assert_eq!(count(&modality["total"]["total"]).1, 0, "{modality}");

    let csv = c.run(&["--lang", "en", "report", "crossborder", "--format", "csv"]).ok().stdout;
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("section,key,label,activities,actions,north_activities,north_actions,south_activities,south_actions")
    );
    assert!(csv.contains("dimension,drug-trafficking,Fight against drug trafficking,"), "{csv}");
    assert!(csv.contains("corridor,GT,Guatemala,"), "{csv}");
    let table = c.run(&["report", "crossborder"]).ok().stdout;
    assert!(table.contains("Corredor sur") && table.contains("Combate al narcotráfico"), "{table}");
    let english = c.run(&["--lang", "en", "report", "crossborder"]).ok().stdout;
    assert!(english.contains("Southern corridor") && english.contains("By partner country"), "{english}");
    let money = c.run(&["report", "crossborder", "--measure", "committed"]).failed();
    assert!(money.stderr.contains("--measure"), "{}", money.stderr);
    let show = c.run(&["action", "show", "chis-modulo-migrantes-tapachula"]).ok().stdout;
    assert!(show.contains("Agenda transfronteriza: Frontera sur (Guatemala y Belice): Migración"), "{show}");
}
