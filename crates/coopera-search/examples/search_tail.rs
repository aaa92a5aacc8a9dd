//! The slowest searches of the benchmark, on an index built once: builds the benchmark's
//! records into `DIR` unless an index is there already, times each of its 500 searches three
//! times and keeps the best (the p50 and p95 of the best, and of the first, cold, timing),
//! then lists the slowest, with what counting their hits alone costs and how many they find.
//!
//!     cargo run --release --example search_tail -p coopera-search -- DIR [CAPACITIES ACTIVITIES]
//!
//! The index is reused as it is, so that two revisions of the search can be timed in turns on
//! the same index (BENCHMARKS.md, search).

use std::path::Path;
use std::time::{Duration, Instant};

use bench_data::{Corpus, percentile};
use coopera_domain::Lang;
use coopera_search::{SearchIndex, SearchQuery, Stamp};

mod bench_data;

/// How many of the slowest searches are listed.
const LISTED: usize = 30;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(args.get(1).map_or("search-tail", String::as_str)).join("tantivy");
    let capacities: usize = args.get(2).map_or(Ok(100_000), |a| a.parse())?;
    let activities: usize = args.get(3).map_or(Ok(1_000_000), |a| a.parse())?;
    let mut corpus = Corpus::seeded();
    let docs = corpus.records(capacities, activities);
    let built = dir.join("meta.json").exists();
    std::fs::create_dir_all(&dir)?;
    let index = SearchIndex::open(&dir)?;
    if !built {
        index.rebuild(docs, Stamp { seq: 1 })?;
    }
    let mut rows = Vec::new();
    let mut firsts = Vec::new();
    for q in corpus.queries(500) {
        let search =
            SearchQuery { text: q.clone(), lang: Lang::Es, limit: 10, facets: false, ..SearchQuery::default() };
        let (mut best, mut count, mut total) = (Duration::MAX, Duration::MAX, 0);
        for pass in 0..3 {
            let started = Instant::now();
            total = index.search(&search)?.total;
            let took = started.elapsed();
            if pass == 0 {
                firsts.push(took);
            }
            best = best.min(took);
            let started = Instant::now();
            index.count(&search)?;
            count = count.min(started.elapsed());
        }
        rows.push((best, count, total, q));
    }
    let mut bests: Vec<Duration> = rows.iter().map(|r| r.0).collect();
    println!(
        "search, best of 3: p50 {:.2} ms, p95 {:.2} ms; first timing: p50 {:.2} ms, p95 {:.2} ms",
        percentile(&mut bests, 0.5),
        percentile(&mut bests, 0.95),
        percentile(&mut firsts, 0.5),
        percentile(&mut firsts, 0.95)
    );
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    println!("   search    count      found  query");
    for (best, count, total, q) in rows.iter().take(LISTED) {
        let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
        println!("{:6.2} ms {:6.2} ms {total:>10}  {q}", ms(best), ms(count));
    }
    Ok(())
}
