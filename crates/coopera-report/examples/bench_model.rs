//! Times the read model a server keeps — the report snapshot and the list index — against a
//! synthetic registry: the cold start (a whole load, and reading back the model kept beside
//! the database), and a saved activity made visible by
//! taking it in (`Snapshot::apply`, `Registry::apply`) beside today's alternative, the
//! whole load again (`bench/model/run.sh`).
//!
//! ```text
//! cargo run --release -p coopera-report --example bench_model -- --db coopera.db --activities N [--edits 30]
//! ```
//!
//! The database must hold `coopera demo --synthetic N --seed 2012`. Prints one JSON document.

use std::path::PathBuf;
use std::time::Instant;

use coopera_report::list::Registry;
use coopera_report::synthetic::Synthetic;
use coopera_report::{LoadOptions, persist};
use coopera_store::{Record, ReportFacts, Store, StoreOptions};

#[path = "common/mem.rs"]
mod mem;
use mem::rss_mb;

/// The allocator `coopera serve` runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(at).copied().unwrap_or(f64::NAN)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut db, mut n, mut edits) = (None::<PathBuf>, 0usize, 30usize);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--db" => db = args.next().map(PathBuf::from),
            "--activities" => n = args.next().and_then(|v| v.parse().ok()).unwrap_or(0),
            "--edits" => edits = args.next().and_then(|v| v.parse().ok()).unwrap_or(edits),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let db = db.ok_or("--db FILE is required")?;
    if n == 0 {
        return Err("--activities N (the size the database was generated with) is required".into());
    }
    let store = Store::open(&db, StoreOptions::default())?;
    let options = LoadOptions::default();

    let started = Instant::now();
    let (mut registry, mut snapshot) = Registry::load(&store, &options)?;
    let cold_start_ms = ms(started);
    let rss = rss_mb();

    // Edits: the same activities as another seed draws them, spread over the registry; a
    // whole load after one of them is what each save cost before.
    let other = Synthetic::new(n, 2013)?;
    let step = (n / edits.max(1)).max(1);
    let (mut write, mut visible, mut whole_loads) = (Vec::new(), Vec::new(), 0usize);
    for k in (0..n).step_by(step).take(edits) {
        let batch: Vec<Record> = other.activities(k..k + 1)?;
        let keys: Vec<String> = batch.iter().map(Record::key).collect();
        let t = Instant::now();
        store.record("bench", batch)?;
        write.push(ms(t));
        let t = Instant::now();
        let mut facts: Vec<ReportFacts> = Vec::new();
        store.report_facts_of(&keys, &mut |f| facts.push(f.clone()))?;
        let mut applied = Vec::new();
        if snapshot.apply(&facts, &mut |position, f| applied.push((position, f.clone()))) {
            registry.apply(&applied);
            visible.push(ms(t));
        } else {
            // The edit moves a link between flows: the model is read again whole.
            (registry, snapshot) = Registry::load(&store, &options)?;
            whole_loads += 1;
        }
    }
    let started = Instant::now();
    let (whole_registry, whole) = Registry::load(&store, &options)?;
    let rebuild_ms = ms(started);
    assert_eq!(whole.len(), snapshot.len());
    assert_eq!(whole_registry.len(), registry.len());
    drop((whole_registry, whole));

    // The model kept beside the database: written when a server stops, read back when one
    // starts (and checked against the database).
    let path = persist::path_beside(&db);
    let started = Instant::now();
    persist::save(&path, &registry, &snapshot, &persist::Mark::of(&store)?, &options)?;
    let save_ms = ms(started);
    let model_mb = std::fs::metadata(&path)?.len() as f64 / 1_048_576.0;
    drop((registry, snapshot));
    let started = Instant::now();
    let (resumed_registry, resumed, _) =
        persist::load(&path, &store, &options)?.ok_or("the model did not check out")?;
    let warm_start_ms = ms(started);
    assert_eq!(resumed_registry.len(), n);
    assert_eq!(resumed.len(), n);
    std::fs::remove_file(&path)?;

    write.sort_by(f64::total_cmp);
    visible.sort_by(f64::total_cmp);
    let doc = serde_json::json!({
        "activities": n,
        "cold_start_ms": cold_start_ms,
        "model_save_ms": save_ms,
        "model_mb": model_mb,
        "start_from_model_ms": warm_start_ms,
        "rss_after_load_mb": rss,
        "full_rebuild_ms": rebuild_ms,
        "edits": edits,
        "taken_in_place": visible.len(),
        "read_again_whole": whole_loads,
        "write_ms": {"median": percentile(&write, 0.5), "p95": percentile(&write, 0.95)},
        "visible_after_write_ms": {"median": percentile(&visible, 0.5), "p95": percentile(&visible, 0.95), "max": visible.last()},
    });
    println!("{}", serde_json::to_string_pretty(&doc)?);
    Ok(())
}
