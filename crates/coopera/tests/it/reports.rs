//! `coopera report …`, `coopera rates …` and `coopera demo --synthetic` on real databases.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::*;

fn demo() -> Coopera {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    c
}

fn rows(report: &Value) -> &Vec<Value> {
    report["rows"].as_array().expect("rows")
}

fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn the_json_shape_and_the_seed_table() {
    let c = demo();
    let r = c.run(&["report", "themes", "--source", "catalog", "--format", "json"]).ok().json();
    for field in
        ["report", "filters", "measure", "currency", "rows", "total", "concentration", "not_converted", "merged_flows"]
    {
        assert!(r.get(field).is_some(), "{field} missing: {r}");
    }
    assert_eq!(r["report"], "themes");
    assert_eq!(r["measure"], "count");
    assert_eq!(r["currency"], Value::Null);
    for row in rows(&r) {
        for field in ["key", "label", "value", "share"] {
            assert!(row.get(field).is_some(), "{field} missing in {row}");
        }
    }
    let seed: Vec<(String, f64)> =
        rows(&r).iter().take(4).map(|x| (x["key"].as_str().unwrap_or("").to_owned(), number(&x["share"]))).collect();
    assert_eq!(
        seed,
        [("410".to_owned(), 20.0), ("110".to_owned(), 15.0), ("150".to_owned(), 15.0), ("310".to_owned(), 15.0)]
    );
    // Concentration of the seed's table: 20² + 3 × 15² + the other areas' squares.
    let hhi: f64 = rows(&r).iter().map(|x| number(&x["share"]).powi(2)).sum();
    assert!((number(&r["concentration"]["hhi"]) - hhi).abs() < 0.05, "{}", r["concentration"]);
    assert_eq!(number(&r["concentration"]["top_share"]), 20.0);
}

#[test]
fn cooperation_given_concentrates_in_central_america() {
    let c = demo();
    let regions = c.run(&["report", "regions", "--direction", "given", "--format", "json"]).ok().json();
    assert_eq!(rows(&regions)[0]["key"], "centroamerica");
    // The demo's 102 activities given: 73 of them reach Central America (71.57 % of them);
    // with South America 16, the Caribbean 13 and "several regions" 2 they are assigned 104
    // times, and concentration is over those: 73/104 = 70.19 %, HHI
    // (73² + 16² + 13² + 2²) / 104² × 10 000 = 5323.59.
    assert_eq!(number(&rows(&regions)[0]["share"]), 71.5686);
    assert_eq!(number(&regions["concentration"]["top_share"]), 70.1923);
    assert_eq!(number(&regions["concentration"]["hhi"]), 5323.59);

    // Weighted, each activity split by its place percentages: 72.45 of the 102 in Central
    // America, and the countries of Central America (with its regional code 1032) add up to it.
    let args = ["report", "regions", "--direction", "given", "--measure", "weighted", "--format", "json"];
    let weighted = c.run(&args).ok().json();
    assert_eq!(number(&rows(&weighted)[0]["value"]), 72.45);
    let args = ["report", "countries", "--direction", "given", "--measure", "weighted", "--format", "json"];
    let countries = c.run(&args).ok().json();
    let central = ["GT", "HN", "SV", "NI", "CR", "PA", "BZ", "1032"];
    let in_central: f64 = rows(&countries)
        .iter()
        .filter(|x| central.contains(&x["key"].as_str().unwrap_or("")))
        .map(|x| number(&x["value"]))
        .sum();
    assert!((in_central - 72.45).abs() < 1e-9, "the countries of Central America add up to the region: {in_central}");

    // Counted whole by country: Guatemala in 28 of them, El Salvador 20, Honduras 17… 134
    // assignments: top 28/134 = 20.8955 %, top 3 (28 + 20 + 17)/134 = 48.5075 %, HHI 1074.85.
    let countries = c.run(&["report", "countries", "--direction", "given", "--format", "json"]).ok().json();
    assert_eq!(rows(&countries)[0]["key"], "GT");
    assert_eq!(number(&rows(&countries)[0]["value"]), 28.0);
    assert_eq!(number(&countries["concentration"]["top_share"]), 20.8955);
    assert_eq!(number(&countries["concentration"]["hhi"]), 1074.85);
    let top3 = c.run(&["report", "countries", "--direction", "given", "--top", "3", "--format", "json"]).ok().json();
    assert_eq!(number(&top3["concentration"]["top_share"]), 48.5075);
    assert_eq!(top3["concentration"]["k"], 3);

    let table = c.run(&["--lang", "en", "report", "regions", "--direction", "given"]).ok();
    assert!(table.stdout.contains("Central America") && table.stdout.contains("HHI: 5,324"), "{}", table.stdout);
}

/// An activity given with a commitment in a currency the sample has no rate for in 2012.
const POUNDS_2012: &str = r#"
id = "MX-TEST-2012-0009"
reporting_org = "amexcid"
title = "Taller con fondos en libras"
instrument = "action"
cooperation_type = "technical-scientific"
modality = "bilateral"
status = "2"
participants = [{ org = "amexcid", role = "provider" }, { org = "segeplan", role = "recipient" }]
countries = [{ code = "GT" }]
dates = { planned_start = "2012-03-01" }
transactions = [{ type = "2", date = "2012-03-01", amount = 5000, currency = "GBP" }]
"#;

#[test]
fn value_given_splits_money_and_in_kind() {
    let c = demo();
    let r = c.run(&["report", "value", "--direction", "given", "--format", "json"]).ok().json();
    assert_eq!(r["report"], "value");
    assert_eq!(r["measure"], "total");
    assert_eq!(r["currency"], "USD");
    let (money, in_kind, total) = (number(&r["split"]["money"]), number(&r["split"]["in_kind"]), number(&r["total"]));
    assert!(money > 0.0 && in_kind > 0.0, "{}", r["split"]);
    assert!((money + in_kind - total).abs() < 1e-6, "money + in kind = total");
    let keys: Vec<&str> = rows(&r).iter().filter_map(|x| x["key"].as_str()).collect();
    assert!(keys.contains(&"technical-scientific"), "by type of cooperation: {keys:?}");
    for row in rows(&r) {
        let parts = number(&row["money"]) + number(&row["in_kind"]);
        assert!((parts - number(&row["value"])).abs() < 1e-6, "{row}");
    }
    // The sample rates cover the demo's currencies and years.
    assert_eq!(r["not_converted"], Value::Array(Vec::new()), "{}", r["not_converted"]);

    let text = c.run(&["report", "value", "--direction", "given", "--currency", "MXN"]).ok();
    assert!(text.stdout.contains("Dinero:") && text.stdout.contains("en especie:"), "{}", text.stdout);
    assert!(!text.stdout.contains("No convertido"), "{}", text.stdout);
    // Pounds of 2012 have no rate in the sample: listed, never counted as zero.
    let pounds = c.dir.path().join("libras.toml");
    std::fs::write(&pounds, POUNDS_2012).expect("written");
    c.run(&["activity", "add", "--file", &pounds.display().to_string()]).ok();
    let r = c.run(&["report", "value", "--direction", "given", "--format", "json"]).ok().json();
    let gbp = r["not_converted"].as_array().expect("list").iter().find(|x| x["currency"] == "GBP");
    assert!(gbp.is_some_and(|x| number(&x["amount"]) == 5000.0), "{}", r["not_converted"]);
    let text = c.run(&["report", "value", "--direction", "given", "--currency", "MXN"]).ok();
    assert!(text.stdout.contains("No convertido (sin tipo de cambio):"), "{}", text.stdout);
    let in_kind_only = c.run(&["report", "types", "--direction", "given", "--measure", "in-kind", "--format", "json"]);
    let in_kind_only = in_kind_only.ok().json();
    assert!((number(&in_kind_only["total"]) - in_kind).abs() < 1e-6);
}

#[test]
fn xlsx_opens_with_its_rows_and_chart() {
    let c = demo();
    let out = c.dir.path().join("paises.xlsx");
    let out_arg = out.display().to_string();
    let run = c.run(&["report", "countries", "--direction", "given", "--format", "xlsx", "--out", &out_arg]).ok();
    assert!(run.stdout.contains("informe escrito en"), "{}", run.stdout);
    let bytes = std::fs::read(&out).expect("written");
    assert!(bytes.starts_with(b"PK"), "a zip package");
    assert!(String::from_utf8_lossy(&bytes).contains("xl/charts/chart1.xml"), "a native chart");
    let json = c.run(&["report", "countries", "--direction", "given", "--format", "json"]).ok().json();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("opens");
    let range = book.worksheet_range("País socio").expect("sheet");
    // Title, filters, currency-less note, source, blank; header on row 4; rows from row 5.
    let header = (0..range.height() as u32)
        .find(|r| range.get_value((*r, 0)) == Some(&Data::String("Clave".into())))
        .expect("header row");
    for (i, row) in rows(&json).iter().enumerate() {
        let r = header + 1 + i as u32;
        assert_eq!(range.get_value((r, 0)), Some(&Data::String(row["key"].as_str().unwrap_or("").into())));
        assert_eq!(range.get_value((r, 2)), Some(&Data::Float(number(&row["value"]))));
    }
    let total_row = header + 1 + rows(&json).len() as u32;
    assert_eq!(range.get_value((total_row, 1)), Some(&Data::String("Total".into())));
    assert_eq!(range.get_value((total_row, 2)), Some(&Data::Float(number(&json["total"]))));
}

#[test]
fn bad_requests_are_refused_in_both_languages() {
    let c = demo();
    let cases: &[(&[&str], &str)] = &[
        (&["report", "themes", "--country", "XX"], "country: valor desconocido `XX`"),
        (&["report", "regions", "--filter", "partner-region=centroamerika"], "¿quiso decir centroamerica?"),
        (&["report", "regions", "--filter", "region=centroamerica"], "dimensión desconocida `region`"),
        (&["report", "themes", "--from", "2015", "--to", "2012"], "--from 2015 es posterior a --to 2012"),
        (&["report", "countries", "--format", "xlsx"], "--format xlsx escribe un archivo"),
        (&["report", "themes", "--measure", "committed", "--currency", "XYZ"], "--currency: `XYZ`"),
        (&["report", "themes", "--measure", "committed", "--currency", "EUR"], "añada --native"),
        (&["report", "themes", "--filter", "planet=mars"], "dimensión desconocida `planet`"),
        (&["report", "themes", "--filter", "region"], "se espera DIMENSIÓN=VALOR"),
    ];
    for (args, message) in cases {
        let r = c.run(args).failed();
        assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
    }
    let en = c.run(&["--lang", "en", "report", "themes", "--from", "2015", "--to", "2012"]).failed();
    assert!(en.stderr.contains("--from 2015 is after --to 2012"), "{}", en.stderr);
    let en = c.run(&["--lang", "en", "report", "countries", "--format", "xlsx"]).failed();
    assert!(en.stderr.contains("--format xlsx writes a file: say where with --out"), "{}", en.stderr);
    // Native totals in any currency are allowed, and say so.
    let eur =
        c.run(&["report", "themes", "--measure", "committed", "--currency", "EUR", "--native", "--format", "json"]);
    assert_eq!(eur.ok().json()["currency"], "EUR");
}

#[test]
fn rates_load_all_or_nothing_and_convert() {
    let c = Coopera::new();
    let bad = c.dir.path().join("bad.csv");
    std::fs::write(&bad, "period,currency,units_per_usd\n2012,MXN,13.17\n2012-13,MXN,13\n2012,XYZ,1\n").expect("write");
    let r = c.run(&["rates", "load", &bad.display().to_string()]).failed();
    assert!(r.stderr.contains("bad.csv:3: period: `2012-13`"), "{}", r.stderr);
    assert!(r.stderr.contains("bad.csv:4: currency: `XYZ`"), "{}", r.stderr);
    assert!(r.stderr.contains("no se guardó ningún tipo de cambio"), "{}", r.stderr);
    if c.postgres.is_none() {
        let listed = c.run(&["rates", "list", "--format", "json"]).failed();
        assert!(listed.stderr.contains("no existe"), "nothing stored, not even a database: {}", listed.stderr);
    } else {
        let listed = c.run(&["rates", "list", "--format", "json"]).ok();
        assert_eq!(listed.json(), serde_json::json!([]), "nothing stored");
    }

    let good = c.dir.path().join("rates.csv");
    std::fs::write(&good, "# Banxico FIX\nperiod,currency,units_per_usd,source\n2012,MXN,13.17,Banxico\n")
        .expect("write");
    let r = c.run(&["rates", "load", &good.display().to_string()]).ok();
    assert!(r.stdout.contains("1 nuevos"), "{}", r.stdout);
    let again = c.run(&["rates", "load", &good.display().to_string()]).ok();
    assert!(again.stdout.contains("1 sin cambios"), "{}", again.stdout);
    let listed = c.run(&["rates", "list", "--currency", "mxn", "--format", "json"]).ok().json();
    assert_eq!(listed[0]["start"], "2012-01-01");
    assert_eq!(listed[0]["end"], "2012-12-31");
    assert_eq!(listed[0]["units_per_usd"], 13.17);
    let sample = c.run(&["rates", "load", "--sample"]).ok();
    assert!(sample.stdout.contains("rates-sample.csv"), "{}", sample.stdout);
}

#[test]
fn synthetic_registry_merges_flows_reported_twice() {
    let c = Coopera::new();
    let r = c.run(&["demo", "--synthetic", "600", "--seed", "3"]).ok();
    assert!(r.stdout.contains("600 actividades sintéticas (semilla 3)"), "{}", r.stdout);
    assert_eq!(c.activities(), 600);
    let received = c
        .run(&["report", "partners", "--direction", "received", "--measure", "disbursed", "--format", "json"])
        .ok()
        .json();
    assert!(received["merged_flows"].as_u64().is_some_and(|n| n > 0), "{}", received["merged_flows"]);
    // Money in a year range counts the flows dated in it: rows are those years only.
    let args = ["report", "years", "--measure", "committed", "--from", "2010", "--to", "2012", "--format", "json"];
    let years = c.run(&args).ok().json();
    let keys: Vec<&str> = rows(&years).iter().filter_map(|x| x["key"].as_str()).collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert!(keys.iter().all(|k| ["2010", "2011", "2012"].contains(k)), "{keys:?}");
    let timing = c.run(&["report", "themes", "--timing"]).ok();
    assert!(timing.stderr.contains("tiempo: carga del registro") && timing.stderr.contains("600 actividades"));
}

#[test]
fn the_terminal_groups_figures_by_thousands_and_counts_in_the_singular() {
    let c = demo();
    let themes = c.run(&["report", "themes", "--measure", "total"]).ok().stdout;
    assert!(themes.contains("Total: 74,032,626.26 USD"), "{themes}");
    assert!(themes.contains("11,143,006.84"), "rows grouped: {themes}");
    assert!(themes.contains("Dinero: 66,065,754.25 USD · en especie: 7,966,872 USD"), "{themes}");
    assert!(themes.contains("IHH: 1,032"), "{themes}");
    let en = c.run(&["--lang", "en", "report", "themes", "--measure", "total"]).ok().stdout;
    assert!(en.contains("Total: USD 74,032,626.26"), "{en}");
    let one = c.run(&["report", "themes", "--year", "2011", "--modality", "regional"]).ok().stdout;
    assert!(one.contains("Total: 1 actividad\n"), "{one}");
    let one = c.run(&["--lang", "en", "report", "themes", "--year", "2011", "--modality", "regional"]).ok().stdout;
    assert!(one.contains("Total: 1 activity\n"), "{one}");
    // Keys stay as they are: a year is not a number to group.
    let years = c.run(&["report", "years"]).ok().stdout;
    assert!(years.contains("2012") && !years.contains("2,012"), "{years}");
}
