//! Downloads: the selection as CSV, XLSX and IATI XML, and the dashboard's tables.

use std::io::Cursor;

use calamine::{Reader, Xlsx};

use super::*;

fn sheets(bytes: &[u8]) -> Vec<(String, usize)> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an xlsx file");
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let rows = book.worksheet_range(&name).map(|r| r.rows().count()).unwrap_or(0);
            (name, rows)
        })
        .collect()
}

#[tokio::test]
async fn the_selection_downloads_as_csv_xlsx_and_iati() {
    let app = app();
    let filter = "direction=given&year=2012";
    let total =
        get(&app, &format!("/api/v1/activities?{filter}")).await.ok().json()["total"].as_u64().unwrap() as usize;
    assert!(total > 5);

    let csv = get(&app, &format!("/activities.csv?{filter}")).await.ok();
    assert!(csv.header(header::CONTENT_DISPOSITION).contains("attachment"));
    let text = csv.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id,title,reporting_org,reporting_org_name,modality,direction,status,start,end,sector_groups,countries,mx_states,\
         partner_countries,partner_country_names,total_usd"
    );
    assert_eq!(lines.len(), total + 1);
    assert!(lines[1..].iter().all(|l| l.contains(",given,")));

    let xlsx = get(&app, &format!("/activities.xlsx?{filter}&lang=en")).await.ok();
    assert_eq!(sheets(&xlsx.bytes), vec![("Activities".to_owned(), total + 1)]);

    let xml = get(&app, &format!("/activities.xml?{filter}")).await.ok();
    assert!(xml.header(header::CONTENT_TYPE).starts_with("application/xml"));
    let xml = xml.text();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\""));
    assert_eq!(count(&xml, "<iati-activity "), total);
    assert!(xml.trim_end().ends_with("</iati-activities>"));
}

/// The records of a CSV file (RFC 4180), header first, read by the `csv` crate.
fn records(text: &str) -> Vec<Vec<String>> {
    let reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    reader
        .into_records()
        .map(|r| r.expect("CSV with rows as wide as its header").iter().map(str::to_owned).collect())
        .collect()
}

/// The cells of the first sheet of a workbook, as text.
fn cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("a sheet");
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

#[tokio::test]
async fn the_list_downloads_carry_partner_countries_and_amounts_that_add_up() {
    let app = app();
    let filter = "direction=given&year=2012&partner_region=centroamerica";
    let card = get(&app, &format!("/api/v1/reports/directions?{filter}&measure=total")).await.ok().json();
    let total = card["total"].as_f64().expect("total");
    assert!(total > 0.0);
    let csv = get(&app, &format!("/activities.csv?{filter}")).await.ok().text();
    let mut lines = records(&csv).into_iter();
    let header = lines.next().expect("header");
    let names = header.iter().position(|h| h == "partner_country_names").expect("names column");
    let value = header.iter().position(|h| h == "total_usd").expect("value column");
    let mut sum = 0.0;
    let mut rows = 0;
    for line in lines {
        assert_eq!(line.len(), header.len(), "{line:?}");
        assert!(!line[names].is_empty(), "every activity given to Central America has a partner: {line:?}");
        sum += line[value].parse::<f64>().unwrap_or_else(|_| panic!("a number: {line:?}"));
        rows += 1;
    }
    assert_eq!(rows, card["activities"].as_u64().expect("activities") as usize, "the same activities");
    assert!((sum - total).abs() < 0.01 * rows as f64, "the amounts add up to the figures' total: {sum} vs {total}");
    assert!(csv.contains("Guatemala"), "partner countries by name");

    let en = get(&app, &format!("/activities.xlsx?{filter}&lang=en&show=committed:MXN")).await.ok();
    let cells = cells(&en.bytes);
    assert!(cells[0].contains(&"Partner countries".to_owned()), "{:?}", cells[0]);
    assert!(cells[0].contains(&"Committed (MXN)".to_owned()), "{:?}", cells[0]);
    assert!(cells.iter().skip(1).any(|r| r.iter().any(|c| c.contains("Guatemala"))));
}

#[tokio::test]
async fn the_dashboard_tables_download_as_csv_and_xlsx() {
    let app = app();
    let csv = get(&app, "/reports/themes.csv?direction=given").await.ok().text();
    assert!(csv.starts_with("key,label,value,share\r\n"));
    let json = get(&app, "/api/v1/reports/themes?direction=given").await.ok().json();
    assert_eq!(csv.lines().count(), json["rows"].as_array().unwrap().len() + 1, "the same rows as the JSON");
    let value = get(&app, "/reports/directions.csv?measure=total&currency=MXN").await.ok().text();
    assert!(value.starts_with("key,label,value,share,money,in_kind\r\n"));
    let one = get(&app, "/reports/states.xlsx").await.ok();
    assert_eq!(sheets(&one.bytes).len(), 1);
    let all = get(&app, "/reports/dashboard.xlsx?year=2012").await.ok();
    let names: Vec<String> = sheets(&all.bytes).into_iter().map(|s| s.0).collect();
    assert_eq!(names.len(), 7, "{names:?}");
    assert_eq!(get(&app, "/reports/themes.pdf").await.status, StatusCode::NOT_FOUND);
}
