//! The search benchmark (bench/search/run.sh): builds an index of `CAPACITIES` synthetic
//! capacities and `ACTIVITIES` synthetic activities, with the same text in a SQLite FTS5 table
//! beside it (`unicode61 remove_diacritics 2`, ranked by bm25), and times the same queries on
//! each — search p50/p95, then the matcher's p50/p95 over synthetic demands — with the build
//! time and size of each.
//!
//!     cargo run --release --example search_bench -p coopera-search -- CAPACITIES ACTIVITIES DIR
//!
//! The records and queries are those of `bench_data`: the same arguments give the same data.

use std::path::Path;
use std::time::Instant;

use bench_data::{Corpus, percentile};
use coopera_domain::Lang;
use coopera_search::{MatchRequest, SearchIndex, SearchQuery, Stamp, Track};

mod bench_data;

/// How many times the searches are timed.
const PASSES: usize = 3;

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map_or(0, |entries| entries.filter_map(Result::ok).filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let capacities: usize = args.get(1).map_or(Ok(100_000), |a| a.parse())?;
    let activities: usize = args.get(2).map_or(Ok(1_000_000), |a| a.parse())?;
    let dir = Path::new(args.get(3).map_or("search-bench", String::as_str)).to_owned();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut corpus = Corpus::seeded();
    let docs = corpus.records(capacities, activities);

    let started = Instant::now();
    let index = SearchIndex::open(&dir.join("tantivy"))?;
    index.rebuild(docs.iter().cloned(), Stamp { seq: 1 })?;
    let tantivy_build = started.elapsed();
    let tantivy_size = dir_size(&dir.join("tantivy"));

    let started = Instant::now();
    let db = rusqlite::Connection::open(dir.join("fts5.db"))?;
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE VIRTUAL TABLE doc USING fts5(key UNINDEXED, title_es, title_en, body_es, body_en,
             tokenize = 'unicode61 remove_diacritics 2');",
    )?;
    {
        let tx = db.unchecked_transaction()?;
        let mut insert = tx.prepare("INSERT INTO doc VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for d in &docs {
            insert.execute([&d.key, &d.title_es, &d.title_en, &d.body_es, &d.body_en])?;
        }
        drop(insert);
        tx.commit()?;
    }
    let fts_build = started.elapsed();
    let fts_size = std::fs::metadata(dir.join("fts5.db"))?.len();
    drop(docs);

    let qs = corpus.queries(500);
    let mut tantivy_times = Vec::new();
    let mut faceted_times = Vec::new();
    let mut typo_times = Vec::new();
    let mut count_times = Vec::new();
    let mut tantivy_hits = 0usize;
    // Three passes over the queries: a p95 of 1,500 timings moves less with the machine's
    // other work than one of 500.
    for (i, q) in std::iter::repeat_n(qs.iter(), PASSES).flatten().enumerate() {
        let search =
            SearchQuery { text: q.clone(), lang: Lang::Es, limit: 10, facets: false, ..SearchQuery::default() };
        let started = Instant::now();
        let r = index.search(&search)?;
        tantivy_times.push(started.elapsed());
        if i % 5 == 0 {
            typo_times.push(started.elapsed());
        }
        if i < qs.len() {
            tantivy_hits = tantivy_hits.saturating_add(usize::from(!r.hits.is_empty()));
        }
        let started = Instant::now();
        index.count(&search)?;
        count_times.push(started.elapsed());
        let started = Instant::now();
        index.search(&SearchQuery { facets: true, ..search })?;
        faceted_times.push(started.elapsed());
    }
    let mut fts_times = Vec::new();
    let mut fts_hits = 0usize;
    let mut select = db.prepare("SELECT key FROM doc WHERE doc MATCH ?1 ORDER BY rank LIMIT 10")?;
    for q in &qs {
        // FTS5's own query syntax: each word quoted, any of them (OR), as a plain search box would.
        let fts_query: Vec<String> = q.split_whitespace().map(|w| format!("\"{w}\"")).collect();
        let started = Instant::now();
        let keys: Vec<String> = select.query_map([fts_query.join(" OR ")], |r| r.get(0))?.collect::<Result<_, _>>()?;
        fts_times.push(started.elapsed());
        fts_hits = fts_hits.saturating_add(usize::from(!keys.is_empty()));
    }

    let mut match_times = Vec::new();
    let track = Track::default();
    for q in qs.iter().take(200) {
        let request = MatchRequest { text: format!("Solicitamos apoyo en {q}"), top: 10, ..MatchRequest::default() };
        let started = Instant::now();
        index.match_demand(&request, &track)?;
        match_times.push(started.elapsed());
    }

    let mb = |b: u64| b / 1_000_000;
    println!("documents: {capacities} capacities + {activities} activities, in {} segments", index.segments());
    println!(
        "build: tantivy {:.1} s, {} MB; SQLite FTS5 {:.1} s, {} MB",
        tantivy_build.as_secs_f64(),
        mb(tantivy_size),
        fts_build.as_secs_f64(),
        mb(fts_size)
    );
    println!(
        "search ({} queries, tantivy's timed {PASSES} times): tantivy p50 {:.2} ms, p95 {:.2} ms ({} with hits); FTS5 p50 {:.2} ms, p95 {:.2} ms ({} with hits)",
        qs.len(),
        percentile(&mut tantivy_times, 0.5),
        percentile(&mut tantivy_times, 0.95),
        tantivy_hits,
        percentile(&mut fts_times, 0.5),
        percentile(&mut fts_times, 0.95),
        fts_hits
    );
    println!(
        "of which the {} with a typo: tantivy p50 {:.2} ms, p95 {:.2} ms",
        typo_times.len(),
        percentile(&mut typo_times, 0.5),
        percentile(&mut typo_times, 0.95)
    );
    println!(
        "counting the hits alone (the floor of an exact total): tantivy p50 {:.2} ms, p95 {:.2} ms",
        percentile(&mut count_times, 0.5),
        percentile(&mut count_times, 0.95)
    );
    println!(
        "search with the counts of the 7 facets: tantivy p50 {:.2} ms, p95 {:.2} ms",
        percentile(&mut faceted_times, 0.5),
        percentile(&mut faceted_times, 0.95)
    );
    println!(
        "match ({} demands): p50 {:.2} ms, p95 {:.2} ms",
        match_times.len(),
        percentile(&mut match_times, 0.5),
        percentile(&mut match_times, 0.95)
    );
    Ok(())
}
