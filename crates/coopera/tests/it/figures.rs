//! Figures a user can trust, on the demo data through the command line: the geography of a
//! report is the partners' (where cooperation went, where it came from), a count is of whole
//! activities, and concentration leaves out what has no value.
//!
//! Every expected figure below was worked out from `crates/coopera-demo/data/*.toml`: 156
//! activities, 102 given, 40 received, 14 both ways. Their partners:
//! - given: the recipient countries and regions (Central America in 73 of the 102, South
//!   America in 16, the Caribbean in 13 — one activity reaches both Central America and the
//!   Dominican Republic — and two with "several regions": 498 and 998);
//! - received: the providers — 24 activities from international organisations (ILPES 9, CEPAL
//!   5, EU 4, UNDP 3, FAO, UNICEF, and one UN inter-agency programme), Japan 6 (JICA), Germany 4
//!   (GIZ), Brazil 2, Argentina 1 (FOAR and INTA in one activity), Spain 1, Korea 1, the
//!   United States 1: Asia-Pacific 7, Europe 5, South America 3, North America 1;
//! - both ways: the other country of each exchange — Chile 2, Argentina, Brazil, Colombia,
//!   Peru (South America 6), the United States 5 (North America), Costa Rica and Guatemala 2
//!   (Central America 3).

use super::*;

fn demo() -> Coopera {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    c
}

/// (key, value) of every row, in the report's order.
fn rows(report: &Value) -> Vec<(String, f64)> {
    report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["key"].as_str().expect("key").to_owned(), r["value"].as_f64().expect("value")))
        .collect()
}

/// A report's expected rows: (key, value).
type Rows<'a> = &'a [(&'a str, f64)];

fn expected(rows: Rows<'_>) -> Vec<(String, f64)> {
    rows.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

fn json(c: &Coopera, args: &[&str]) -> Value {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    c.run(&all).ok().json()
}

#[test]
fn regions_and_countries_are_the_partners_in_every_direction() {
    let c = demo();
    let cases: &[(&str, Rows<'_>, f64)] = &[
        ("given", &[("centroamerica", 73.0), ("sudamerica", 16.0), ("caribe", 13.0), ("multirregional", 2.0)], 102.0),
        (
            "received",
            &[
                ("multilateral", 24.0),
                ("asia-pacifico", 7.0),
                ("europa", 5.0),
                ("sudamerica", 3.0),
                ("norteamerica", 1.0),
            ],
            40.0,
        ),
        ("both", &[("sudamerica", 6.0), ("norteamerica", 5.0), ("centroamerica", 3.0)], 14.0),
    ];
    for (direction, want, total) in cases {
        let r = json(&c, &["regions", "--direction", direction]);
        assert_eq!(rows(&r), expected(want), "regions --direction {direction}");
        assert_eq!(r["total"].as_f64(), Some(*total), "{direction}: the activities, each once");
        assert_eq!(r["dimension"], "partner-region");
    }
    // Mexico is never its own partner: received cooperation comes from its providers.
    let received = json(&c, &["countries", "--direction", "received"]);
    assert_eq!(
        rows(&received)[..4],
        expected(&[("multilateral", 24.0), ("JP", 6.0), ("DE", 4.0), ("BR", 2.0)])[..],
        "{received}"
    );
    let all = json(&c, &["countries"]);
    assert!(rows(&all).iter().all(|(k, _)| k != "MX"), "{all}");
    assert_eq!(rows(&all)[0], ("GT".to_owned(), 30.0), "28 given to Guatemala and 2 exchanges with it");
    // The view of IATI's recipient countries stays, named as such: there Mexico receives.
    let iati = json(&c, &["recipient-countries", "--direction", "received"]);
    assert_eq!(rows(&iati), expected(&[("MX", 40.0)]));
    assert_eq!(iati["dimension"], "recipient-country");
    // The seed's statement reads right: given cooperation concentrates in Central America, in
    // 73 of 102 activities (71.57 %).
    let given = json(&c, &["regions", "--direction", "given"]);
    assert_eq!(given["rows"][0]["share"].as_f64(), Some(71.5686));
    let text = c.run(&["--lang", "en", "report", "regions", "--direction", "received"]).ok().stdout;
    assert!(text.contains("Multilateral organisations") && !text.contains("North America  40"), "{text}");
}

#[test]
fn a_count_is_of_whole_activities() {
    let c = demo();
    // In Chiapas: 20 activities, 9 given, 9 received and 2 both ways — whole, adding up.
    let r = json(&c, &["directions", "--state", "07"]);
    assert_eq!(rows(&r), expected(&[("given", 9.0), ("received", 9.0), ("both", 2.0)]));
    assert_eq!(r["total"].as_f64(), Some(20.0));
    assert_eq!(r["rows_overlap"], false, "each activity has one direction");
    // Every count is a whole number; an activity in two areas counts in both, so the rows
    // add up to more than the activities, and the report says so.
    for args in [&["themes"][..], &["themes", "--state", "07"], &["regions"], &["states"], &["partners"]] {
        let r = json(&c, args);
        for (key, value) in rows(&r) {
            assert_eq!(value.fract(), 0.0, "{args:?}: {key} {value}");
        }
        let sum: f64 = rows(&r).iter().map(|x| x.1).sum();
        let total = r["total"].as_f64().expect("total");
        assert_eq!(total, r["activities"].as_f64().expect("activities"), "{args:?}");
        assert!(sum >= total, "{args:?}");
        assert_eq!(r["rows_overlap"], sum > total, "{args:?}");
    }
    let regions = json(&c, &["regions", "--direction", "given"]);
    assert_eq!(regions["rows_overlap"], true, "73 + 16 + 13 + 2 = 104 assignments of 102 activities");
    let text = c.run(&["report", "regions", "--direction", "given"]).ok().stdout;
    assert!(text.contains("pueden sumar más de 100 %"), "{text}");
    // The weighted count keeps splitting each activity by its percentages: 72.45 of the 102
    // given activities in Central America, adding up to 102.
    let weighted = json(&c, &["regions", "--direction", "given", "--measure", "weighted"]);
    assert_eq!(weighted["measure"], "weighted");
    assert_eq!(rows(&weighted)[0], ("centroamerica".to_owned(), 72.45));
    assert_eq!(weighted["total"].as_f64(), Some(102.0));
    assert_eq!(weighted["rows_overlap"], false);
}

#[test]
fn concentration_leaves_out_what_has_no_value() {
    let c = demo();
    // States: 108 of the 156 activities name none (federal cooperation, or abroad): their row
    // is shown, last, and left out of concentration. The others: Chiapas 20, Oaxaca 11,
    // Yucatán 8… 124 assignments to a state. Top 3 = (20 + 11 + 8) / 124 = 31.4516 %; HHI =
    // Σ (row / 124 × 100)² = 656.87.
    let r = json(&c, &["states", "--top", "3"]);
    let all = rows(&r);
    assert_eq!(all[..3], expected(&[("07", 20.0), ("20", 11.0), ("31", 8.0)])[..]);
    assert_eq!(all.last(), Some(&("none".to_owned(), 108.0)), "shown as its own line");
    assert_eq!(r["concentration"]["top_share"].as_f64(), Some(31.4516));
    assert_eq!(r["concentration"]["hhi"].as_f64(), Some(656.87));
    // The same rule in the table, the CSV and the workbook.
    let table = c.run(&["report", "states", "--top", "3"]).ok().stdout;
    assert!(table.contains("31.45 %") && table.contains("IHH: 657"), "{table}");
    let out = c.dir.path().join("estados.xlsx");
    let path = out.display().to_string();
    c.run(&["report", "states", "--top", "3", "--format", "xlsx", "--out", &path]).ok();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&out).expect("opens");
    use calamine::{DataType as _, Reader as _};
    let sheet = book.worksheet_range("Entidad federativa").expect("sheet");
    let hhi = sheet
        .rows()
        .find(|row| row.get(1).is_some_and(|c| c.to_string().starts_with("Índice Herfindahl")))
        .and_then(|row| row.get(2).and_then(|c| c.as_f64()))
        .expect("HHI line");
    assert_eq!(hhi, 656.87);
    // Regions of cooperation given: the two activities with "several regions" have a region
    // (a regional code), so they stay; 104 assignments, Central America 73 → 70.1923 %.
    let given = json(&c, &["regions", "--direction", "given"]);
    assert_eq!(given["concentration"]["top_share"].as_f64(), Some(70.1923));
    assert_eq!(given["concentration"]["hhi"].as_f64(), Some(5323.59));
}

#[test]
fn what_mexico_gave_central_america_in_2012_by_theme() {
    let c = demo();
    // The seed's question as the dashboard asks it (`/?year=2012&direction=given&
    // partner_region=centroamerica`): 32 activities given to Central America run in 2012,
    // counted whole in each thematic area they touch.
    let r = json(&c, &["themes", "--direction", "given", "--year", "2012", "--filter", "partner-region=centroamerica"]);
    assert_eq!(
        rows(&r),
        expected(&[
            ("110", 7.0),
            ("140", 6.0),
            ("150", 5.0),
            ("310", 5.0),
            ("410", 3.0),
            ("740", 3.0),
            ("120", 2.0),
            ("160", 2.0),
            ("130", 1.0),
            ("210", 1.0),
            ("320", 1.0),
            ("430", 1.0),
            ("720", 1.0),
        ])
    );
    assert_eq!(r["total"].as_f64(), Some(32.0));
    assert_eq!(r["activities"].as_f64(), Some(32.0));
}
