//! The benchmark's records and queries, shared by `search_bench` and `search_tail`: titles and
//! bodies drawn from the DAC sector names, the countries and a few words of cooperation, in
//! Spanish and English, and searches of one to three words of the sector names, with a fixed
//! seed: the same sizes give the same records and queries.

use std::time::Duration;

use coopera_domain::codelists::{COUNTRY, Code, SECTOR};
use coopera_search::{DocKind, SearchDoc};

/// The records of a run, then its queries, drawn in this order from one seed.
pub struct Corpus {
    rng: Rng,
    sectors: Vec<&'static Code>,
}

impl Corpus {
    pub fn seeded() -> Corpus {
        Corpus { rng: Rng(2012), sectors: active_sectors() }
    }

    /// `capacities` capacities, then `activities` activities.
    pub fn records(&mut self, capacities: usize, activities: usize) -> Vec<SearchDoc> {
        let mut docs = Vec::with_capacity(capacities.saturating_add(activities));
        for n in 0..capacities {
            docs.push(doc(&mut self.rng, &self.sectors, DocKind::Capacity, n));
        }
        for n in 0..activities {
            docs.push(doc(&mut self.rng, &self.sectors, DocKind::Activity, n));
        }
        docs
    }

    /// `n` queries; drawn after the records, as the benchmark draws them.
    pub fn queries(&mut self, n: usize) -> Vec<String> {
        queries(&mut self.rng, n)
    }
}

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

fn active_sectors() -> Vec<&'static Code> {
    SECTOR.codes.iter().filter(|c| !c.withdrawn).collect()
}

pub fn percentile(times: &mut [Duration], p: f64) -> f64 {
    times.sort_unstable();
    let last = times.len().saturating_sub(1);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let i = ((last as f64) * p).round() as usize;
    times.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
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
