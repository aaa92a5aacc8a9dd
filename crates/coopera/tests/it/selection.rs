//! One selection language: random selections — direction, year, a filter of any kind, words
//! to find — give the same activities in the command line's list, the API's list and, for
//! what reports take, the same number in the command line's and the API's reports.

use proptest::prelude::*;

use super::web::{http_get, serve};
use super::*;

/// A selection as the three doors write it.
#[derive(Debug, Clone)]
struct Case {
    direction: Option<&'static str>,
    year: Option<i32>,
    /// (the command line's dimension, the API's parameter, the value)
    filter: Option<(&'static str, &'static str, &'static str)>,
    search: Option<&'static str>,
}

fn cases() -> impl Strategy<Value = Case> {
    let direction = proptest::option::of(prop::sample::select(vec!["given", "received", "both"]));
    let year = proptest::option::of(2008..2017i32);
    let filter = proptest::option::of(prop::sample::select(vec![
        ("partner-region", "partner_region", "centroamerica"),
        ("partner-region", "partner_region", "sudamerica"),
        ("partner-region", "partner_region", "caribe"),
        ("partner-region", "partner_region", "multilateral"),
        ("scheme", "scheme", "south-south"),
        ("scheme", "scheme", "decentralised"),
        ("scheme", "scheme", "cross-border"),
        ("level", "level", "state"),
        ("level", "level", "federal"),
        ("sector-group", "sector_group", "410"),
        ("sector-group", "sector_group", "150"),
        ("partner-country", "partner_country", "GT"),
        ("modality", "modality", "triangular"),
        ("instrument", "instrument", "project"),
        ("status", "status", "2"),
        ("sdg", "sdg", "4"),
    ]));
    let search = proptest::option::of(prop::sample::select(vec![
        "educacion",
        "EDUCACIÓN",
        "agua",
        "salud",
        "mexico",
        "guatemala",
        "gestion de riesgos",
        "amexcid",
    ]));
    (direction, year, filter, search).prop_map(|(direction, year, filter, search)| Case {
        direction,
        year,
        filter,
        search,
    })
}

impl Case {
    /// The command line's arguments, published records only: what the public API shows.
    fn cli_args(&self) -> Vec<String> {
        let mut args = vec!["--filter".to_owned(), "workflow=published".to_owned()];
        if let Some(d) = self.direction {
            args.extend(["--direction".to_owned(), d.to_owned()]);
        }
        if let Some(y) = self.year {
            args.extend(["--year".to_owned(), y.to_string()]);
        }
        if let Some((dimension, _, value)) = self.filter {
            args.extend(["--filter".to_owned(), format!("{dimension}={value}")]);
        }
        args
    }

    fn query(&self) -> String {
        let mut pairs = Vec::new();
        if let Some(d) = self.direction {
            pairs.push(format!("direction={d}"));
        }
        if let Some(y) = self.year {
            pairs.push(format!("year={y}"));
        }
        if let Some((_, param, value)) = self.filter {
            pairs.push(format!("{param}={value}"));
        }
        if let Some(q) = self.search {
            let encoded: String = q
                .bytes()
                .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
                .collect();
            pairs.push(format!("q={encoded}"));
        }
        pairs.join("&")
    }
}

fn cli_list(c: &Coopera, case: &Case) -> Vec<String> {
    let mut args: Vec<String> = vec!["activity".into(), "list".into(), "--format".into(), "json".into()];
    args.extend(case.cli_args());
    if let Some(q) = case.search {
        args.extend(["--search".to_owned(), q.to_owned()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = c.run(&args).ok().json();
    let rows = out.as_array().cloned().unwrap_or_default();
    let mut ids: Vec<String> = rows.iter().filter_map(|r| r["id"].as_str().map(str::to_owned)).collect();
    ids.sort();
    ids
}

fn api_list(addr: &str, case: &Case) -> Vec<String> {
    let mut ids = Vec::new();
    for page in 1.. {
        let (status, body) = http_get(addr, &format!("/api/v1/activities?{}&per_page=200&page={page}", case.query()));
        assert_eq!(status, "HTTP/1.1 200 OK", "{body}");
        let doc: Value = serde_json::from_str(&body).expect("JSON");
        for item in doc["items"].as_array().into_iter().flatten() {
            ids.push(item["id"].as_str().expect("id").to_owned());
        }
        if page >= doc["pages"].as_u64().unwrap_or(1) {
            break;
        }
    }
    ids.sort();
    ids
}

#[test]
fn every_door_selects_the_same_activities() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let server = serve(&c, &["--quiet"]);
    let config = ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() };
    proptest!(config, |(case in cases())| {
        let cli = cli_list(&c, &case);
        let api = api_list(&server.addr, &case);
        prop_assert_eq!(&cli, &api, "the command line's and the API's lists of {:?}", case);
        if case.search.is_none() {
            // Reports take the same filters: they count the activities the lists show.
            let mut args: Vec<String> = vec!["report".into(), "themes".into(), "--format".into(), "json".into()];
            args.extend(case.cli_args());
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let report = c.run(&args).ok().json();
            prop_assert_eq!(report["activities"].as_u64(), Some(cli.len() as u64), "report of {:?}", case);
            let (status, body) = http_get(&server.addr, &format!("/api/v1/reports/themes?{}", case.query()));
            prop_assert_eq!(status, "HTTP/1.1 200 OK");
            let api_report: Value = serde_json::from_str(&body).expect("JSON");
            prop_assert_eq!(api_report["activities"].as_u64(), Some(cli.len() as u64), "API report of {:?}", case);
        }
    });
}

#[test]
fn search_folds_case_and_accents_on_the_command_line() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let found = |q: &str| {
        c.run(&["activity", "list", "--search", q, "--format", "json"]).ok().json().as_array().map_or(0, Vec::len)
    };
    let plain = found("educacion");
    assert!(plain > 0, "the demo has activities about education");
    assert_eq!(found("Educación"), plain);
    assert_eq!(found("EDUCACION"), plain);
}
