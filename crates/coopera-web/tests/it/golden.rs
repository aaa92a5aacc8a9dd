//! Golden files of what the application answers over the demo registry: pages in Spanish and
//! English, JSON, CSV and the cells of each sheet of a workbook. A change in what a user or a
//! client receives fails here and becomes a reviewed diff of `snapshots/` (`cargo insta
//! review`, or rename the `.snap.new` file the failed run wrote). What changes from run to run
//! — the moment each record was written — is replaced by a placeholder before comparing.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use insta::assert_snapshot;

use super::*;

/// An activity with most facets: participants, sectors, places and Mexican states, markers,
/// tags, budgets, transactions, results and good practice.
const ACTIVITY: &str = "MX-AMEXCID-2011-0021";
/// An activity with the facets the other lacks: cross-border agenda, in-kind units, points.
const BORDER_ACTIVITY: &str = "MX-AMEXCID-2012-0002";
const ORGANISATION: &str = "conafor";

/// The shapes of the moment a record was written, as the history shows it (`03/12/2026 18:55
/// UTC`, `3 Dec 2026 18:55 UTC`) and as the store keeps it (`2026-12-03T18:55:06Z`): `9` is a
/// digit, `A` an uppercase letter, `a` a lowercase one, anything else itself.
const TIMESTAMPS: [&str; 4] =
    ["99/99/9999 99:99 UTC", "9 Aaa 9999 99:99 UTC", "99 Aaa 9999 99:99 UTC", "9999-99-99T99:99:99Z"];

/// What precedes the assets' version in their addresses.
const ASSETS_VERSION: &str = "?v=";

/// Whether `text` begins with something of `shape`'s ([`TIMESTAMPS`]).
fn starts_with_shape(text: &[u8], shape: &str) -> bool {
    text.len() >= shape.len()
        && shape.bytes().zip(text).all(|(s, &t)| match s {
            b'9' => t.is_ascii_digit(),
            b'A' => t.is_ascii_uppercase(),
            b'a' => t.is_ascii_lowercase(),
            s => s == t,
        })
}

/// A body as text, with what varies between runs replaced: the moment the demo was written,
/// which the history of every record shows. The assets' version (`?v=189c15f9`, a hash of the
/// stylesheet, script and icon) is replaced too: a change of style is not a change of a page.
fn stable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix(ASSETS_VERSION) {
            out.push_str(ASSETS_VERSION);
            out.push_str("[assets]");
            rest = after.trim_start_matches(|c: char| c.is_ascii_hexdigit());
            continue;
        }
        // A timestamp begins after anything but a digit, so `12/03/2026` is not read from `1`.
        let at_start = !out.ends_with(|c: char| c.is_ascii_digit());
        match TIMESTAMPS.iter().find(|shape| at_start && starts_with_shape(rest.as_bytes(), shape)) {
            Some(shape) => {
                out.push_str("[timestamp]");
                rest = &rest[shape.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

async fn page(app: &Router, uri: &str) -> String {
    let r = get(app, uri).await.ok();
    assert!(r.header(header::CONTENT_TYPE).starts_with("text/html"), "{uri}");
    stable(&r.text())
}

async fn json_text(app: &Router, uri: &str) -> String {
    let r = get(app, uri).await.ok();
    let pretty = serde_json::to_string_pretty(&r.json()).expect("JSON prints");
    stable(&pretty)
}

/// Every sheet of a workbook: its name, then one line per row with the cells as text.
fn workbook_text(bytes: &[u8]) -> String {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("a sheet");
        out.push_str(&format!("== {name} ({} rows)\n", range.rows().count()));
        for row in range.rows() {
            let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
            out.push_str(&cells.join(" | "));
            out.push('\n');
        }
    }
    out
}

#[tokio::test]
async fn activity_pages() {
    let app = app();
    for (name, id) in [("activity", ACTIVITY), ("border_activity", BORDER_ACTIVITY)] {
        assert_snapshot!(format!("{name}_es"), page(&app, &format!("/activities/{id}")).await);
        assert_snapshot!(format!("{name}_en"), page(&app, &format!("/activities/{id}?lang=en")).await);
    }
}

#[tokio::test]
async fn organisation_page() {
    let app = app();
    assert_snapshot!("organisation_es", page(&app, &format!("/organisations/{ORGANISATION}")).await);
    assert_snapshot!("organisation_en", page(&app, &format!("/organisations/{ORGANISATION}?lang=en")).await);
}

#[tokio::test]
async fn json_of_a_report_and_an_activity() {
    let app = app();
    assert_snapshot!("report_regions_json", json_text(&app, "/api/v1/reports/regions?direction=given").await);
    assert_snapshot!("activity_json", json_text(&app, &format!("/api/v1/activities/{ACTIVITY}")).await);
}

#[tokio::test]
async fn csv_of_a_report_and_of_the_list() {
    let app = app();
    let report = get(&app, "/reports/themes.csv?direction=given&measure=total&currency=MXN").await.ok();
    assert_snapshot!("report_themes_csv", stable(&report.text()));
    let list = get(&app, "/activities.csv?year=2012").await.ok();
    assert_snapshot!("activities_csv", stable(&list.text()));
}

#[tokio::test]
async fn xlsx_sheets_of_the_dashboard_and_of_the_list() {
    let app = app();
    let dashboard = get(&app, "/reports/dashboard.xlsx?year=2012").await.ok();
    assert_snapshot!("dashboard_xlsx", workbook_text(&dashboard.bytes));
    let list = get(&app, "/activities.xlsx?direction=given&year=2012&lang=en").await.ok();
    assert_snapshot!("activities_xlsx_en", workbook_text(&list.bytes));
}

#[test]
fn the_moment_of_writing_and_the_assets_version_are_replaced_and_dates_kept() {
    assert_eq!(
        stable("<td>03/12/2026 18:55 UTC</td><td>3 Dec 2026 09:05 UTC</td> 2026-12-03T18:55:06Z; 15/04/2012, 123 Dec"),
        "<td>[timestamp]</td><td>[timestamp]</td> [timestamp]; 15/04/2012, 123 Dec"
    );
    assert_eq!(stable("href=\"/assets/app.css?v=189c15f9\">"), "href=\"/assets/app.css?v=[assets]\">");
}
