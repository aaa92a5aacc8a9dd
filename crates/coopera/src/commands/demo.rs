//! `coopera demo`: loads the illustrative demo data and the sample exchange rates and prints
//! the seed's table; `--synthetic N` generates a large synthetic registry instead. The demo's
//! activities keep the workflow states its files give; its writes are marked as an import.

use std::time::Instant;

use coopera_domain::Lang;
use coopera_report::synthetic::Synthetic;
use coopera_report::{Currency, Dimension, Filters, LoadOptions, Measure, Query, Snapshot};
use coopera_store::{AuditEvent, Existing, Store, WriteOptions, WriteSummary};

use super::{Ctx, Failure, print, summary_line, write_batch};
use crate::cli::DemoArgs;
use crate::input::{Batch, Source as InputSource};

pub fn run(ctx: &Ctx, args: DemoArgs) -> Result<(), Failure> {
    if let Some(n) = args.synthetic {
        return synthetic(ctx, n, args.seed);
    }
    let store = ctx.open()?;
    let summary = load(ctx, &store)?;
    print(&match ctx.lang {
        Lang::Es => format!("datos de demostración (ilustrativos) en {}: {}", ctx.db, summary_line(&summary, ctx.lang)),
        Lang::En => {
            format!("demo data (illustrative) in {}: {}", ctx.db, summary_line(&summary, ctx.lang))
        }
    });
    sample_rates(ctx, &store)?;
    print("");
    print(
        ctx.pick("Catálogo de Capacidades: oferta por área temática", "Capabilities catalog: offer by thematic area"),
    );
    let catalog =
        coopera_report::catalog_themes(&store, Measure::Count, 1).map_err(|e| Failure::one(e.message(ctx.lang)))?;
    super::report::print_report(ctx, &catalog);
    print("");
    print(
        ctx.pick(
            "Cooperación otorgada: actividades por área temática",
            "Cooperation given: activities by thematic area",
        ),
    );
    let options = LoadOptions { home_country: ctx.home_country, ..LoadOptions::default() };
    let snapshot = Snapshot::load(&store, &options).map_err(|e| Failure::one(e.message(ctx.lang)))?;
    let query = Query {
        dimension: Dimension::ThematicArea,
        measure: Measure::Count,
        currency: Currency::Usd,
        filters: Filters { values: vec![(Dimension::Direction, vec!["given".into()])], ..Filters::default() },
        top: 1,
    };
    let given = coopera_report::run(&snapshot, &query).map_err(|e| Failure::one(e.message(ctx.lang)))?;
    super::report::print_report(ctx, &given);
    Ok(())
}

/// Stores the demo files, by `demo`. Their activities keep the workflow states the files give
/// them — a few drafts, submitted and validated among the published — since the demo shows the
/// workflow at work; the audit trail marks the changes as an import.
pub fn load(ctx: &Ctx, store: &Store) -> Result<WriteSummary, Failure> {
    let sources = coopera_demo::FILES.iter().map(|(name, text)| InputSource::embedded(name, text)).collect();
    // The demo files are checked by their own tests; a failure here is a defect, reported
    // with its file and line all the same.
    let batch = Batch::parse(sources, ctx.lang).map_err(|e| Failure::input(e, ctx.lang))?;
    let demo_ctx = Ctx { user: "demo".to_owned(), db: ctx.db.clone(), user_given: None, ..*ctx };
    let how = WriteOptions { existing: Existing::Update, event: Some(AuditEvent::Import), ..WriteOptions::default() };
    write_batch(&demo_ctx, store, batch, how)
}

/// Stores the sample exchange-rate table shipped with Coopera (illustrative, not official).
fn sample_rates(ctx: &Ctx, store: &Store) -> Result<(), Failure> {
    let rates = coopera_report::rates::parse_rates_csv(coopera_report::rates::SAMPLE_RATES_CSV, "rates-sample.csv")
        .map_err(|e| Failure { lines: e.lines(ctx.lang), summary: None })?;
    let summary = store.record_rates(&rates).map_err(|e| Failure::store(e, ctx.lang))?;
    print(&match ctx.lang {
        Lang::Es => format!(
            "tipos de cambio de muestra (no oficiales): {} nuevos, {} actualizados, {} sin cambios",
            summary.created, summary.updated, summary.unchanged
        ),
        Lang::En => format!(
            "sample exchange rates (not official): {} new, {} updated, {} unchanged",
            summary.created, summary.updated, summary.unchanged
        ),
    });
    Ok(())
}

/// Activities stored per transaction by `--synthetic`.
const BATCH: usize = 20_000;

/// Generates and stores `n` synthetic activities, in large transactions.
fn synthetic(ctx: &Ctx, n: usize, seed: u64) -> Result<(), Failure> {
    let generator_error = |e: coopera_report::synthetic::SyntheticError| Failure::one(e.to_string());
    let generator = Synthetic::new(n, seed).map_err(generator_error)?;
    let store = ctx.open()?;
    let started = Instant::now();
    let author = "synthetic";
    let import = || WriteOptions { event: Some(AuditEvent::Import), ..WriteOptions::default() };
    store
        .write(author, generator.organisations().map_err(generator_error)?, import())
        .map_err(|e| Failure::store(e, ctx.lang))?;
    sample_rates(ctx, &store)?;
    let mut written = 0usize;
    for from in (0..n).step_by(BATCH) {
        let records = generator.activities(from..from + BATCH).map_err(generator_error)?;
        written += records.len();
        store.write(author, records, import()).map_err(|e| Failure::store(e, ctx.lang))?;
        if n > BATCH {
            let secs = started.elapsed().as_secs_f64();
            eprint!("\r{written}/{n} ({secs:.0} s)");
        }
    }
    if n > BATCH {
        eprintln!();
    }
    let secs = started.elapsed().as_secs_f64();
    let rate = if secs > 0.0 { written as f64 / secs } else { 0.0 };
    print(&match ctx.lang {
        Lang::Es => format!(
            "{written} actividades sintéticas (semilla {seed}) en {}: {secs:.1} s, {rate:.0} por segundo",
            ctx.db
        ),
        Lang::En => {
            format!("{written} synthetic activities (seed {seed}) in {}: {secs:.1} s, {rate:.0} per second", ctx.db)
        }
    });
    Ok(())
}
