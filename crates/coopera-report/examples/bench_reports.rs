//! Times reports over a loaded snapshot, apart from the load, and exports the snapshot's
//! columns as CSV so that DuckDB can run the same aggregations (`bench/reports/run.sh`).
//!
//! ```text
//! cargo run --release -p coopera-report --example bench_reports -- --db coopera.db [--runs 30] [--year 2015] [--export DIR]
//! ```
//!
//! Prints one JSON document: load time, resident memory, and for each query the minimum and
//! median time over the runs and the rows it returned.

use std::path::PathBuf;
use std::time::Instant;

use coopera_report::{Currency, Dimension, Filters, LoadOptions, Measure, Query, Snapshot, YearRange};
use coopera_store::{Store, StoreOptions};

#[path = "common/mem.rs"]
mod mem;
use mem::rss_mb;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut db: Option<PathBuf> = None;
    let mut export: Option<PathBuf> = None;
    let mut runs = 30usize;
    let mut year = 2015;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--db" => db = args.next().map(PathBuf::from),
            "--export" => export = args.next().map(PathBuf::from),
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(runs),
            "--year" => year = args.next().and_then(|v| v.parse().ok()).unwrap_or(year),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let db = db.ok_or("--db FILE is required")?;
    let store = Store::open(&db, StoreOptions::default())?;
    let rss_before = rss_mb();
    let started = Instant::now();
    let snapshot = Snapshot::load(&store, &LoadOptions::default())?;
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    let rss_after = rss_mb();

    let filtered = Filters {
        years: Some(YearRange { from: year, to: year }),
        values: vec![(Dimension::Direction, vec!["given".to_owned()])],
        ..Filters::default()
    };
    let queries: Vec<(&str, &str, Query)> = [
        // The weighted count: the parts per million the export writes, so DuckDB's `SUM(ppm)`
        // computes the same rows.
        ("themes", Measure::Weighted, false),
        ("themes", Measure::Weighted, true),
        ("countries", Measure::Weighted, false),
        ("countries", Measure::Weighted, true),
        ("themes", Measure::Committed, false),
        ("themes", Measure::Committed, true),
        ("countries", Measure::Committed, true),
    ]
    .into_iter()
    .map(|(name, measure, filter)| {
        // "countries" are IATI's recipient countries, the parts exported as countries.csv.
        let dimension = if name == "themes" { Dimension::ThematicArea } else { Dimension::RecipientCountry };
        let filters = if filter { filtered.clone() } else { Filters::default() };
        let label = if filter { "year+direction" } else { "none" };
        (name, label, Query { dimension, measure, currency: Currency::Usd, filters, top: 1 })
    })
    .collect();

    let mut results = Vec::new();
    for (name, filter, q) in &queries {
        let mut times = Vec::with_capacity(runs);
        let mut report = coopera_report::run(&snapshot, q)?;
        for _ in 0..runs {
            let t = Instant::now();
            report = coopera_report::run(&snapshot, q)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let rows: Vec<String> = report.rows.iter().map(|r| format!("[\"{}\",\"{}\"]", r.key, r.value)).collect();
        results.push(format!(
            "{{\"report\":\"{name}\",\"filter\":\"{filter}\",\"measure\":\"{}\",\"min_ms\":{:.3},\"median_ms\":{:.3},\
             \"activities\":{},\"rows\":[{}]}}",
            q.measure.code(),
            times.first().copied().unwrap_or(0.0),
            times.get(times.len() / 2).copied().unwrap_or(0.0),
            report.activities,
            rows.join(",")
        ));
    }

    let mut export_ms = 0.0;
    if let Some(dir) = export {
        let started = Instant::now();
        std::fs::create_dir_all(&dir)?;
        let file = |name: &str| -> std::io::Result<std::io::BufWriter<std::fs::File>> {
            Ok(std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join(name))?))
        };
        coopera_report::export::activities(&snapshot, &mut file("activities.csv")?)?;
        coopera_report::export::parts_of(&snapshot, Dimension::ThematicArea, &mut file("themes.csv")?)?;
        coopera_report::export::parts_of(&snapshot, Dimension::RecipientCountry, &mut file("countries.csv")?)?;
        coopera_report::export::flows(&snapshot, &mut file("flows.csv")?)?;
        export_ms = started.elapsed().as_secs_f64() * 1000.0;
    }
    let stats = snapshot.stats();
    println!(
        "{{\"activities\":{},\"flows\":{},\"load_ms\":{load_ms:.1},\"rss_before_mb\":{rss_before:.0},\
         \"rss_after_mb\":{rss_after:.0},\"export_ms\":{export_ms:.0},\"runs\":{runs},\"year\":{year},\"queries\":[{}]}}",
        stats.activities,
        stats.flows,
        results.join(",")
    );
    Ok(())
}
