//! The search benchmark (bench/search/run.sh): builds an index of `CAPACITIES` synthetic
//! capacities and `ACTIVITIES` synthetic activities, with the same text in a SQLite FTS5 table
//! beside it (`unicode61 remove_diacritics 2`, ranked by bm25), and times the same queries on
//! each — search p50/p95, then the matcher's p50/p95 over synthetic demands — with the build
//! time and size of each.
//!
//!     cargo run --release --example search_bench -p coopera-search -- CAPACITIES ACTIVITIES DIR
//!
//! The text is drawn from the DAC sector names, the countries and a few words of cooperation,
//! in Spanish and English, with a fixed seed: the same arguments give the same data.

use std::path::Path;
use std::time::{Duration, Instant};

use coopera_domain::Lang;
use coopera_domain::codelists::{COUNTRY, Code, SECTOR};
use coopera_search::{DocKind, MatchRequest, SearchDoc, SearchIndex, SearchQuery, Stamp, Track};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let n = u64::try_from(items.len()).unwrap_or(1).max(1);
        &items[usize::try_from(self.next() % n).unwrap_or(0)]
    }
}

const LEADS_ES: &[&str] = &["Fortalecimiento de", "Gestión de", "Formación en", "Asistencia técnica en", "Sistemas de"];
const LEADS_EN: &[&str] = &["Strengthening", "Management of", "Training in", "Technical assistance in", "Systems for"];
const FORMS: &[&str] = &["course", "technical-assistance", "internship", "expert-mission", "scholarship"];

fn doc(rng: &mut Rng, sectors: &[&'static Code], kind: DocKind, n: usize) -> SearchDoc {
    let sector = *rng.pick(sectors);
    let other = *rng.pick(sectors);
    let country = rng.pick(COUNTRY.codes);
    let lead = usize::try_from(rng.next() % 5).unwrap_or(0);
    let title_es = format!("{} {}", LEADS_ES[lead], sector.name_es.to_lowercase());
    let title_en = format!("{} {}", LEADS_EN[lead], sector.name_en.to_lowercase());
    SearchDoc {
        kind,
        key: format!("{}-{n}", kind.code()),
        title_es,
        title_en,
        body_es: format!("{}\n{}\n{}", other.name_es, country.name_es, sector.name_es),
        body_en: format!("{}\n{}\n{}", other.name_en, country.name_en, sector.name_en),
        summary_es: format!("{} y {}", sector.name_es, other.name_es),
        summary_en: format!("{} and {}", sector.name_en, other.name_en),
        thematic_areas: Vec::new(),
        sectors: vec![sector.code.to_owned(), other.code.to_owned()],
        forms: if kind == DocKind::Capacity { vec![(*rng.pick(FORMS)).to_owned()] } else { Vec::new() },
        institution: Some(format!("inst-{}", rng.next() % 400)),
        states: Vec::new(),
        languages: vec!["es".to_owned()],
        countries: vec![country.code.to_owned()],
    }
}

/// How many times the searches are timed.
const PASSES: usize = 3;

fn active_sectors() -> Vec<&'static Code> {
    SECTOR.codes.iter().filter(|c| !c.withdrawn).collect()
}

fn percentile(times: &mut [Duration], p: f64) -> f64 {
    times.sort_unstable();
    let last = times.len().saturating_sub(1);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let i = ((last as f64) * p).round() as usize;
    times.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map_or(0, |entries| entries.filter_map(Result::ok).filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
}

/// The queries: one to three words of the sector names, some folded, some with a typo.
fn queries(rng: &mut Rng, n: usize) -> Vec<String> {
    let words: Vec<String> = active_sectors()
        .iter()
        .flat_map(|c| c.name_es.split_whitespace().chain(c.name_en.split_whitespace()))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| w.chars().count() >= 5)
        .collect();
    (0..n)
        .map(|i| {
            let count = 1 + rng.next() % 3;
            let mut q: Vec<String> = (0..count).map(|_| rng.pick(&words).clone()).collect();
            if i % 5 == 0 {
                // One typo: a letter dropped.
                if let Some(w) = q.first_mut() {
                    let mut chars: Vec<char> = w.chars().collect();
                    chars.remove(chars.len() / 2);
                    *w = chars.into_iter().collect();
                }
            }
            q.join(" ")
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let capacities: usize = args.get(1).map_or(Ok(100_000), |a| a.parse())?;
    let activities: usize = args.get(2).map_or(Ok(1_000_000), |a| a.parse())?;
    let dir = Path::new(args.get(3).map_or("search-bench", String::as_str)).to_owned();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut rng = Rng(2012);
    let sectors = active_sectors();
    let mut docs: Vec<SearchDoc> = Vec::with_capacity(capacities.saturating_add(activities));
    for n in 0..capacities {
        docs.push(doc(&mut rng, &sectors, DocKind::Capacity, n));
    }
    for n in 0..activities {
        docs.push(doc(&mut rng, &sectors, DocKind::Activity, n));
    }

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

    let qs = queries(&mut rng, 500);
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
