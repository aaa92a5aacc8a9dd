//! Matching a demand to the capacities of the catalog that could answer it.
//!
//! # How capacities are ranked
//!
//! 1. **The demand's words.** The text is folded and split into words; stop words, the words
//!    a request asks with ("solicitamos apoyo…", [`analysis::REQUEST_WORDS`]) and place
//!    names (countries, Mexican states, the regions of the Americas — where the demand comes
//!    from is weighed by the record, below, not by the text) are left out, and each word form
//!    is counted once (two forms of one concept count twice, as a term repeated in a query
//!    does in BM25: the demand is about that). A word no record holds stands for the words of the index one edit away,
//!    if any (a typo, see [`crate::query`]).
//! 2. **A word's weight** is its BM25 inverse document frequency over the whole index
//!    (capacities, demands and activities), `ln(1 + (N − df + 0.5) / (df + 0.5))`, a word
//!    found nowhere weighing as one found once; a word of a generic concept (management,
//!    training, a national system… [`crate::concepts::GENERIC`]) weighs 0.3 of that.
//! 3. **Evidence.** The capacities weighed are a shortlist: the [`SHORTLIST`] that hold the
//!    demand's words (in their title, description, sector names, forms or institution name;
//!    stemmed, and through the [`crate::concepts`] table) with the highest sum of the words'
//!    BM25 scores, and up to as many in the demand's sectors. For each of them:
//!    - *coverage*: the weight of the demand's words it holds over the weight of all of them;
//!    - *offer*: how much of what it offers the demand asks for — the weight of the terms of
//!      its title (or of its description, whichever is more) that the demand holds, over the
//!      weight of all of them but at least [`OFFER_FLOOR`], so that a title of generic words
//!      is not covered by one word; terms weigh their inverse document frequency in titles
//!      (in bodies, for descriptions), generic ones 0.3 of it;
//!    - *BM25*: the sum of the words' BM25 scores, over the best capacity's.
//! 4. **Gate.** A capacity is a candidate only if it holds a word that is not generic, or fits
//!    the demand's sectors at the DAC category level or closer: a capacity with no text or
//!    sector evidence is never returned.
//! 5. **Score**, in 0–1: the weighted mean of the parts the demand gives grounds for (no
//!    sectors in the demand, no sector part):
//!    - text relevance, weight 0.60: 0.5 × offer + 0.5 × relative BM25;
//!    - sector fit, 0.25: the closest pair of the demand's and the capacity's DAC codes — the
//!      same 5-digit code 1, the same 3-digit category 0.6 (1 when the demand gave only the
//!      category), the same thematic area 0.3;
//!    - form fit, 0.06: the share of the demand's forms the capacity is offered in;
//!    - record, 0.06: the institution's past activities as a provider with the demand's
//!      country, `n / (n + 2)`, or else in the country's DAC region, half of that;
//!    - language fit, 0.03: the capacity is offered in the demand's language.
//!
//!    Rounded to 3 decimals; ties are broken by key, so the order is deterministic.
//!
//! # No answer
//!
//! A demand is answered when some candidate fits its sectors with the same 5-digit code, or
//! the demand holds [`ANSWER_OFFER`] of the candidate's offer, or [`ANSWER_OFFER_PART`] of it
//! while the candidate holds [`ANSWER_COVERAGE`] of the demand. Otherwise the catalog has
//! nothing the demand asks for: `no_answer` is true and there are no results, rather than the
//! capacities that share a word or two with it.
//!
//! The thresholds and weights were set on the odd-numbered demands of the labelled set
//! (`tests/data/eval-demands.toml`) and checked on the even-numbered ones; `tests/evaluation.rs`
//! prints the figures.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use coopera_domain::Lang;
use coopera_domain::activity::Activity;
use coopera_domain::codelists;
use coopera_domain::kinds::CapacityForm;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Scorer;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, TantivyDocument, Term};

use crate::Result;
use crate::analysis::{self, is_request_word};
use crate::concepts::{GENERIC_WEIGHT, is_generic};
use crate::doc::{DocKind, title_in};
use crate::index::{SearchIndex, categories};
use crate::query::{self, Builder, Clause};
use crate::search::{all, first};

/// The share of a capacity's offer (its title or summary, by weight) a demand must hold for
/// the capacity to answer it on that alone.
pub const ANSWER_OFFER: f64 = 0.4;
/// A smaller share of the offer answers a demand when the capacity also holds
/// [`ANSWER_COVERAGE`] of the demand's words.
pub const ANSWER_OFFER_PART: f64 = 0.25;
/// See [`ANSWER_OFFER_PART`].
pub const ANSWER_COVERAGE: f64 = 0.08;

const W_TEXT: f64 = 0.60;
const W_SECTOR: f64 = 0.25;
const W_FORM: f64 = 0.06;
const W_RECORD: f64 = 0.06;
const W_LANG: f64 = 0.03;
/// The share of offer in text relevance (the rest is relative BM25).
const OFFER_SHARE: f64 = 0.5;
/// The least weight an offer is measured against: about one specific term's (a term in one
/// title of a few hundred has an inverse document frequency of about 5).
pub const OFFER_FLOOR: f64 = 5.0;
/// How many results a request with `top = 0` gets.
const DEFAULT_TOP: usize = 10;
/// How many capacities are weighed in full: those holding the demand's words with the highest
/// BM25, and as many in its sectors (see [`SearchIndex::candidates`]).
pub const SHORTLIST: usize = 256;

/// A demand to match: what it asks for, where it comes from, in which sectors and forms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchRequest {
    pub text: String,
    /// ISO 3166-1 alpha-2 code of the requesting country.
    pub country: Option<String>,
    /// DAC 5-digit purpose codes or 3-digit categories.
    pub sectors: Vec<String>,
    /// Capacity form codes (`course`).
    pub forms: Vec<String>,
    /// ISO 639-1 language of the demand (`es`, `en`): of the text, of the results' titles, and
    /// the language the capacity should be offered in.
    pub lang: Option<String>,
    /// How many results at most; 0 for 10.
    pub top: usize,
}

/// The request of a stored demand: its titles and description (each language once), its
/// country, DAC sectors, forms and first language.
pub fn request_of(demand: &coopera_domain::catalog::Demand, top: usize) -> MatchRequest {
    let p = demand.parts();
    let mut text: Vec<&str> = Vec::new();
    for t in [&p.title, &p.description] {
        for lang in ["es", "en"] {
            if let Some(v) = t.get(lang).filter(|v| !text.contains(v)) {
                text.push(v);
            }
        }
        if t.get("es").is_none() && t.get("en").is_none() && !t.is_empty() {
            text.push(t.best(Lang::Es));
        }
    }
    MatchRequest {
        text: text.join(". "),
        country: p.country.map(|c| c.to_string()),
        sectors: p
            .sectors
            .iter()
            .filter(|s| matches!(s.sector.vocabulary(), "1" | "2"))
            .map(|s| s.sector.code().to_owned())
            .collect(),
        forms: p.forms.iter().map(|f| f.code().to_owned()).collect(),
        lang: p.languages.first().map(|l| l.to_string()),
        top,
    }
}

/// What an institution has done as a provider: its activities per recipient country and per
/// DAC region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstitutionTrack {
    pub countries: BTreeMap<String, u32>,
    pub regions: BTreeMap<String, u32>,
}

/// The institutions' record, by organisation key; built by the caller, usually with
/// [`Track::from_activities`].
#[derive(Debug, Clone)]
pub struct Track {
    pub by_institution: HashMap<String, InstitutionTrack>,
    /// The DAC region of a country (coopera-report's `geo::dac_region_of_country`).
    pub region_of: fn(&str) -> Option<&'static str>,
}

fn no_region(_: &str) -> Option<&'static str> {
    None
}

impl Default for Track {
    fn default() -> Track {
        Track { by_institution: HashMap::new(), region_of: no_region }
    }
}

impl Track {
    /// Counts, for every organisation on the giving side of an activity (a role that
    /// [`gives`](coopera_domain::kinds::Role::gives): provider, first or second provider,
    /// funding, extending), the activity once for each of its recipient countries and once for
    /// each DAC region among those countries' regions and its recipient regions.
    pub fn from_activities(activities: &[Activity], region_of: fn(&str) -> Option<&'static str>) -> Track {
        let mut track = Track { by_institution: HashMap::new(), region_of };
        for activity in activities {
            let p = activity.parts();
            let countries: Vec<&str> = p.countries.iter().map(|c| c.country.as_str()).collect();
            let regions: Vec<&str> = p.regions.iter().map(|r| r.region.as_str()).collect();
            let givers: Vec<&str> = p.participants.iter().filter(|x| x.role.gives()).map(|x| x.org.as_str()).collect();
            track.count(&givers, &countries, &regions);
        }
        track
    }

    /// Counts one activity for each of `givers` (each once): once for each of its recipient
    /// countries, once for each DAC region among those countries' regions and its recipient
    /// `regions`.
    pub fn count(&mut self, givers: &[&str], countries: &[&str], regions: &[&str]) {
        let mut all_regions: Vec<&str> = countries.iter().filter_map(|c| (self.region_of)(c)).collect();
        all_regions.extend(regions.iter().copied());
        all_regions.sort_unstable();
        all_regions.dedup();
        let mut givers = givers.to_vec();
        givers.sort_unstable();
        givers.dedup();
        for org in givers {
            let track = self.by_institution.entry(org.to_owned()).or_default();
            for c in countries {
                bump(&mut track.countries, c);
            }
            for r in &all_regions {
                bump(&mut track.regions, r);
            }
        }
    }
}

fn bump(map: &mut BTreeMap<String, u32>, key: &str) {
    let n = map.entry(key.to_owned()).or_insert(0);
    *n = n.saturating_add(1);
}

/// How close a capacity's sector is to the demand's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectorFit {
    SameArea,
    SameCategory,
    SameCode,
}

/// Why a capacity was proposed. Serialised with a `kind` tag.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The demand's words the capacity holds (as the demand has them, folded); the share of
    /// the demand's word weight they are; the share of the capacity's offer the demand holds.
    Terms { words: Vec<String>, coverage: f64, offer: f64 },
    /// The closest pair of the demand's and the capacity's DAC codes.
    Sector { fit: SectorFit, requested: String, offered: String },
    /// The demand's forms the capacity is offered in.
    Form { forms: Vec<String> },
    /// The capacity is offered in the demand's language.
    Language { lang: String },
    /// The institution's past activities as a provider with the demand's country.
    CountryRecord { country: String, activities: u32 },
    /// The institution's past activities as a provider in the demand country's DAC region.
    RegionRecord { region: String, activities: u32 },
}

fn code_name(list: &codelists::Codelist, code: &str, lang: Lang) -> String {
    list.get(code).map_or_else(|| code.to_owned(), |c| c.name(lang).to_owned())
}

fn activities(n: u32, lang: Lang) -> String {
    match (lang, n) {
        (Lang::Es, 1) => "1 actividad".to_owned(),
        (Lang::Es, _) => format!("{n} actividades"),
        (Lang::En, 1) => "1 activity".to_owned(),
        (Lang::En, _) => format!("{n} activities"),
    }
}

impl Reason {
    /// A sentence for a person, in Spanish or English.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Reason::Terms { words, offer, .. } => {
                let pct = (offer * 100.0).round();
                let words = words.join(", ");
                lang.pick(
                    &format!("Coincide con la solicitud en: {words} (la solicitud abarca el {pct} % de lo que ofrece)"),
                    &format!("Matches the request on: {words} (the request covers {pct}% of what it offers)"),
                )
                .to_owned()
            }
            Reason::Sector { fit, requested, offered } => {
                let name = |c: &str| {
                    let list = if c.len() == 3 { &codelists::SECTOR_CATEGORY } else { &codelists::SECTOR };
                    format!("{c} {}", code_name(list, c, lang))
                };
                let (es, en) = match fit {
                    SectorFit::SameCode => ("Mismo sector CAD", "Same DAC sector"),
                    SectorFit::SameCategory => ("Misma categoría CAD", "Same DAC category"),
                    SectorFit::SameArea => ("Misma área temática", "Same thematic area"),
                };
                let head = lang.pick(es, en);
                if requested == offered {
                    format!("{head}: {}", name(offered))
                } else {
                    let asked = lang.pick("solicitado", "requested");
                    format!("{head}: {} ({asked}: {})", name(offered), name(requested))
                }
            }
            Reason::Form { forms } => {
                let labels: Vec<&str> =
                    forms.iter().map(|f| CapacityForm::parse(f).map_or(f.as_str(), |k| k.label(lang))).collect();
                format!("{}: {}", lang.pick("Se ofrece como", "Offered as"), labels.join(", ").to_lowercase())
            }
            Reason::Language { lang: code } => {
                // Spanish writes language names in lower case, English capitalised.
                // The list's name may hold variants ("Español; castellano"): the first.
                let name = code_name(&codelists::LANGUAGE, code, lang);
                let name = name.split(';').next().unwrap_or_default().trim().to_owned();
                let name = if lang == Lang::Es { name.to_lowercase() } else { name };
                format!("{} {name}", lang.pick("Se ofrece en", "Offered in"))
            }
            Reason::CountryRecord { country, activities: n } => {
                let place = code_name(&codelists::COUNTRY, country, lang);
                lang.pick(
                    &format!("La institución ya ha cooperado con {place}: {}", activities(*n, lang)),
                    &format!("The institution has {} with {place} on record", activities(*n, lang)),
                )
                .to_owned()
            }
            Reason::RegionRecord { region, activities: n } => {
                let place = code_name(&codelists::REGION, region, lang);
                lang.pick(
                    &format!("La institución ya ha cooperado en la región ({place}): {}", activities(*n, lang)),
                    &format!("The institution has {} in the region ({place}) on record", activities(*n, lang)),
                )
                .to_owned()
            }
        }
    }
}

/// One capacity proposed for a demand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchResult {
    pub key: String,
    /// In the demand's language, else the other.
    pub title: String,
    /// The institution's organisation key.
    pub institution: String,
    /// 0–1, rounded to 3 decimals.
    pub score: f64,
    /// The capacity's DAC codes.
    pub sectors: Vec<String>,
    pub reasons: Vec<Reason>,
}

/// The capacities proposed for a demand, best first; or none, and `no_answer`, when the
/// catalog has nothing the demand asks for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchResults {
    pub results: Vec<MatchResult>,
    pub no_answer: bool,
}

impl MatchResults {
    /// The results as JSON, the shape the command line prints and the web API answers:
    /// `{"results": [{"key", "title", "institution", "score", "sectors", "reasons": [...]}],
    /// "no_answer"}`; each reason as [`Reason`] serialises, with its `text` in `lang`.
    pub fn json(&self, lang: Lang) -> serde_json::Value {
        let results: Vec<_> = self
            .results
            .iter()
            .map(|m| {
                let reasons: Vec<_> = m
                    .reasons
                    .iter()
                    .map(|reason| {
                        let mut v = serde_json::to_value(reason).unwrap_or_default();
                        if let Some(o) = v.as_object_mut() {
                            o.insert("text".into(), reason.text(lang).into());
                        }
                        v
                    })
                    .collect();
                serde_json::json!({
                    "key": m.key, "title": m.title, "institution": m.institution, "score": m.score,
                    "sectors": m.sectors, "reasons": reasons,
                })
            })
            .collect();
        serde_json::json!({"results": results, "no_answer": self.no_answer})
    }
}

/// One word of the demand: its label, its weight, its query over the capacities, and the
/// shortlisted capacities that hold it, with the BM25 score of the word in each.
struct Word {
    label: String,
    weight: f64,
    /// The word in the capacities (what its BM25 scores are of).
    query: Box<dyn Query>,
    scores: HashMap<DocAddress, f32>,
    /// Whether it is only of generic concepts (management, training…).
    generic: bool,
    /// The terms it stands for in each language's analysis (its typo alternatives included).
    terms: Vec<(Lang, String)>,
}

/// A capacity under consideration.
struct Candidate {
    key: String,
    title: String,
    institution: String,
    sectors: Vec<String>,
    forms: Vec<String>,
    languages: Vec<String>,
    /// Indices of the words it holds.
    words: Vec<usize>,
    bm25: f64,
    coverage: f64,
    /// The share of the capacity's offer (title or description, by weight) the demand holds.
    offer: f64,
    sector: Option<(SectorFit, f64, String, String)>,
}

impl SearchIndex {
    /// The capacities that could answer a demand, best first, with the reasons; see the module
    /// documentation for the ranking and the no-answer rule.
    pub fn match_demand(&self, d: &MatchRequest, track: &Track) -> Result<MatchResults> {
        let searcher = self.reader.searcher();
        let lang = d.lang.as_deref().and_then(|l| l.parse::<Lang>().ok());
        let mut words = self.demand_words(&searcher, &d.text, lang)?;
        let mut candidates = self.candidates(&searcher, &mut words, d, lang.unwrap_or_default())?;
        let fit = |c: &Candidate, level: SectorFit| c.sector.as_ref().is_some_and(|s| s.0 >= level);
        let topical = |c: &Candidate| c.words.iter().filter_map(|&i| words.get(i)).any(|w| !w.generic);
        candidates.retain(|c| topical(c) || fit(c, SectorFit::SameCategory));
        let answered = candidates.iter().any(|c| {
            let part = c.offer >= ANSWER_OFFER_PART && c.coverage >= ANSWER_COVERAGE;
            c.offer >= ANSWER_OFFER || part || fit(c, SectorFit::SameCode)
        });
        if !answered {
            return Ok(MatchResults { results: Vec::new(), no_answer: true });
        }
        let best_bm25 = candidates.iter().map(|c| c.bm25).fold(0.0, f64::max);
        let mut results: Vec<MatchResult> =
            candidates.into_iter().map(|c| score(c, &words, best_bm25, d, lang, track)).collect();
        results.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
        results.truncate(if d.top == 0 { DEFAULT_TOP } else { d.top });
        Ok(MatchResults { results, no_answer: false })
    }

    /// The shortlisted capacities — the [`SHORTLIST`] that hold the demand's words with the
    /// highest BM25, and up to as many in its sectors — with their evidence.
    fn candidates(
        &self,
        searcher: &Searcher,
        words: &mut [Word],
        d: &MatchRequest,
        lang: Lang,
    ) -> Result<Vec<Candidate>> {
        let mut addresses = self.shortlist(searcher, words)?;
        addresses.extend(self.sector_candidates(searcher, &d.sectors)?);
        addresses.sort_unstable();
        addresses.dedup();
        score_words(searcher, words, &addresses)?;
        let total_weight: f64 = words.iter().map(|w| w.weight).sum();
        let demand_terms: HashSet<(Lang, String)> = words.iter().flat_map(|w| w.terms.iter().cloned()).collect();
        let mut weights = TermWeights::new(searcher);
        let mut candidates = Vec::with_capacity(addresses.len());
        for addr in addresses {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let mut c = self.candidate(&doc, lang);
            for (i, w) in words.iter().enumerate() {
                if let Some(score) = w.scores.get(&addr) {
                    c.words.push(i);
                    c.bm25 += f64::from(*score);
                }
            }
            let held: f64 = c.words.iter().filter_map(|&i| words.get(i)).map(|w| w.weight).sum();
            c.coverage = if total_weight > 0.0 { held / total_weight } else { 0.0 };
            c.offer = self.offer_coverage(&mut weights, &doc, &demand_terms)?;
            c.sector = sector_fit(&d.sectors, &c.sectors);
            candidates.push(c);
        }
        Ok(candidates)
    }

    /// The [`SHORTLIST`] capacities holding the demand's words with the highest sum of their
    /// BM25 scores (what the text relevance's relative BM25 is of), found with tantivy's
    /// block-max pruning rather than by scoring every capacity that holds a word.
    fn shortlist(&self, searcher: &Searcher, words: &[Word]) -> Result<Vec<DocAddress>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let any: Vec<(Occur, Box<dyn Query>)> = words.iter().map(|w| (Occur::Should, w.query.box_clone())).collect();
        let top = searcher.search(&BooleanQuery::new(any), &TopDocs::with_limit(SHORTLIST).order_by_score())?;
        Ok(top.into_iter().map(|(_, a)| a).collect())
    }

    /// The demand's words, with their weights and the capacities holding each.
    fn demand_words(&self, searcher: &Searcher, text: &str, lang: Option<Lang>) -> Result<Vec<Word>> {
        let clauses = query::parse(&text.replace(['"', '*'], " "));
        let lang = query::text_lang(&clauses).or(lang);
        let folded: Vec<String> = clauses
            .into_iter()
            .filter_map(|c| match c {
                Clause::Word(w) => Some(w),
                Clause::Prefix(_) | Clause::Phrase(_) => None,
            })
            .collect();
        let builder = Builder { searcher, fields: self.fields };
        let capacities = self.kind_query(DocKind::Capacity);
        let n = searcher.num_docs() as f64;
        let mut seen = HashSet::new();
        let mut words = Vec::new();
        for w in without_places(&folded) {
            // Each word form once; two forms of one concept ("parques", "reservas") count
            // twice, as a term repeated in a query does in BM25: the demand is about that.
            if query::is_dropped(&w, lang) || is_request_word(&w) || !seen.insert(w.clone()) {
                continue;
            }
            let Some(unit) = builder.word(&w)? else { continue };
            let terms = unit_terms(&unit.alternatives);
            let df = searcher.search(&*unit.query, &Count)? as f64;
            let generic = !terms.is_empty() && terms.iter().all(|(_, t)| is_generic(t));
            let weight = idf(n, df) * if generic { f64::from(GENERIC_WEIGHT) } else { 1.0 };
            let query =
                Box::new(BooleanQuery::new(vec![(Occur::Must, unit.query), (Occur::Must, capacities.box_clone())]));
            words.push(Word { label: w, weight, query, scores: HashMap::new(), generic, terms });
        }
        Ok(words)
    }

    /// The share of what a capacity offers that the demand holds: of its title or of its
    /// description, in Spanish or English, whichever is most (see the module documentation).
    fn offer_coverage(
        &self,
        weights: &mut TermWeights<'_>,
        doc: &TantivyDocument,
        demand: &HashSet<(Lang, String)>,
    ) -> Result<f64> {
        let f = &self.fields;
        let statements = [
            (f.title_es, f.title_es, Lang::Es),
            (f.title_en, f.title_en, Lang::En),
            (f.summary_es, f.body_es, Lang::Es),
            (f.summary_en, f.body_en, Lang::En),
        ];
        let mut best: f64 = 0.0;
        for (stored, indexed, lang) in statements {
            let mut terms = analysis::tokens(&mut analysis::analyzers().stemmed(lang), &first(doc, stored));
            terms.sort_unstable();
            terms.dedup();
            let (mut held, mut all) = (0.0, 0.0);
            for t in terms {
                let weight = weights.get(indexed, &t)?;
                all += weight;
                if demand.contains(&(lang, t)) {
                    held += weight;
                }
            }
            best = best.max(held / all.max(OFFER_FLOOR));
        }
        Ok(best)
    }

    fn kind_query(&self, kind: DocKind) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(self.fields.kind, kind.code()), IndexRecordOption::Basic))
    }

    /// Capacities in the demand's DAC codes or their categories.
    fn sector_candidates(&self, searcher: &Searcher, sectors: &[String]) -> Result<Vec<DocAddress>> {
        if sectors.is_empty() {
            return Ok(Vec::new());
        }
        let f = &self.fields;
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for s in sectors.iter().filter(|s| s.len() == 5) {
            any.push((
                Occur::Should,
                Box::new(TermQuery::new(Term::from_field_text(f.sector, s), IndexRecordOption::Basic)),
            ));
        }
        for c in categories(sectors) {
            any.push((
                Occur::Should,
                Box::new(TermQuery::new(Term::from_field_text(f.category, &c), IndexRecordOption::Basic)),
            ));
        }
        if any.is_empty() {
            return Ok(Vec::new());
        }
        let q = BooleanQuery::new(vec![
            (Occur::Must, Box::new(BooleanQuery::new(any)) as Box<dyn Query>),
            (Occur::Must, self.kind_query(DocKind::Capacity)),
        ]);
        Ok(searcher.search(&q, &TopDocs::with_limit(SHORTLIST).order_by_score())?.into_iter().map(|(_, a)| a).collect())
    }

    fn candidate(&self, doc: &TantivyDocument, lang: Lang) -> Candidate {
        let f = &self.fields;
        Candidate {
            key: first(doc, f.key),
            title: title_in(lang, &first(doc, f.title_es), &first(doc, f.title_en)).to_owned(),
            institution: first(doc, f.institution),
            sectors: all(doc, f.sector),
            forms: all(doc, f.form),
            languages: all(doc, f.language),
            words: Vec::new(),
            bm25: 0.0,
            coverage: 0.0,
            offer: 0.0,
            sector: None,
        }
    }
}

/// The closest pair of requested and offered DAC codes: (fit, its value, requested, offered).
fn sector_fit(requested: &[String], offered: &[String]) -> Option<(SectorFit, f64, String, String)> {
    let mut best: Option<(SectorFit, f64, String, String)> = None;
    for r in requested {
        for o in offered {
            let Some((fit, value)) = pair_fit(r, o) else { continue };
            if best.as_ref().is_none_or(|b| value > b.1) {
                best = Some((fit, value, r.clone(), o.clone()));
            }
        }
    }
    best
}

fn pair_fit(requested: &str, offered: &str) -> Option<(SectorFit, f64)> {
    if requested == offered {
        return Some((SectorFit::SameCode, 1.0));
    }
    let category = |c: &str| categories(&[c.to_owned()]).into_iter().next();
    let (rc, oc) = (category(requested), category(offered));
    if rc.is_some() && rc == oc {
        let value = if requested.len() == 3 { 1.0 } else { 0.6 };
        return Some((SectorFit::SameCategory, value));
    }
    let area = |c: Option<String>| c.and_then(|c| codelists::thematic_area_of_category(&c)).map(|a| a.code);
    let (ra, oa) = (area(rc), area(oc));
    (ra.is_some() && ra == oa).then_some((SectorFit::SameArea, 0.3))
}

/// The weighted score of a candidate and its reasons.
fn score(
    c: Candidate,
    words: &[Word],
    best_bm25: f64,
    d: &MatchRequest,
    lang: Option<Lang>,
    track: &Track,
) -> MatchResult {
    let mut sum = 0.0;
    let mut weights = 0.0;
    let mut reasons = Vec::new();
    if !words.is_empty() {
        let relative = if best_bm25 > 0.0 { c.bm25 / best_bm25 } else { 0.0 };
        sum += W_TEXT * (OFFER_SHARE * c.offer + (1.0 - OFFER_SHARE) * relative);
        weights += W_TEXT;
        if !c.words.is_empty() {
            let held = c.words.iter().filter_map(|&i| words.get(i)).map(|w| w.label.clone()).collect();
            reasons.push(Reason::Terms { words: held, coverage: round3(c.coverage), offer: round3(c.offer) });
        }
    }
    if !d.sectors.is_empty() {
        weights += W_SECTOR;
        if let Some((fit, value, requested, offered)) = c.sector {
            sum += W_SECTOR * value;
            reasons.push(Reason::Sector { fit, requested, offered });
        }
    }
    if !d.forms.is_empty() {
        weights += W_FORM;
        let shared: Vec<String> = d.forms.iter().filter(|f| c.forms.contains(f)).cloned().collect();
        if !shared.is_empty() {
            sum += W_FORM * shared.len() as f64 / d.forms.len() as f64;
            reasons.push(Reason::Form { forms: shared });
        }
    }
    if let Some(l) = lang {
        weights += W_LANG;
        if c.languages.iter().any(|x| x == l.code()) {
            sum += W_LANG;
            reasons.push(Reason::Language { lang: l.code().to_owned() });
        }
    }
    if let Some(country) = &d.country {
        weights += W_RECORD;
        let (value, reason) = record(track, &c.institution, country);
        sum += W_RECORD * value;
        reasons.extend(reason);
    }
    let score = if weights > 0.0 { round3(sum / weights) } else { 0.0 };
    MatchResult { key: c.key, title: c.title, institution: c.institution, score, sectors: c.sectors, reasons }
}

/// The record bonus: activities with the country, `n / (n + 2)`; else in its region, half.
fn record(track: &Track, institution: &str, country: &str) -> (f64, Option<Reason>) {
    let Some(t) = track.by_institution.get(institution) else { return (0.0, None) };
    let saturate = |n: u32| f64::from(n) / (f64::from(n) + 2.0);
    if let Some(&n) = t.countries.get(country).filter(|n| **n > 0) {
        return (saturate(n), Some(Reason::CountryRecord { country: country.to_owned(), activities: n }));
    }
    let Some(region) = (track.region_of)(country) else { return (0.0, None) };
    match t.regions.get(region).filter(|n| **n > 0) {
        Some(&n) => (saturate(n) / 2.0, Some(Reason::RegionRecord { region: region.to_owned(), activities: n })),
        None => (0.0, None),
    }
}

/// The BM25 score of each word in each of `addresses` (sorted), where it holds the word: each
/// word's scorer is moved forward through the shortlisted documents of each segment, not run
/// over every capacity that holds the word.
fn score_words(searcher: &Searcher, words: &mut [Word], addresses: &[DocAddress]) -> Result<()> {
    for w in words.iter_mut() {
        let weight = w.query.weight(EnableScoring::enabled_from_searcher(searcher))?;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let ord = u32::try_from(ord).unwrap_or(u32::MAX);
            let docs = addresses.iter().filter(|a| a.segment_ord == ord);
            let mut scorer = weight.scorer(segment, 1.0)?;
            for addr in docs {
                if scorer.doc() < addr.doc_id {
                    scorer.seek(addr.doc_id);
                }
                if scorer.doc() == addr.doc_id {
                    w.scores.insert(*addr, scorer.score());
                }
            }
        }
    }
    Ok(())
}

/// The weight of the terms of capacities' statements, each term looked up once a match: its
/// inverse document frequency in the field, generic terms 0.3 of it.
struct TermWeights<'a> {
    searcher: &'a Searcher,
    n: f64,
    known: HashMap<(Field, String), f64>,
}

impl<'a> TermWeights<'a> {
    fn new(searcher: &'a Searcher) -> TermWeights<'a> {
        TermWeights { searcher, n: searcher.num_docs() as f64, known: HashMap::new() }
    }

    fn get(&mut self, field: Field, term: &str) -> Result<f64> {
        if let Some(w) = self.known.get(&(field, term.to_owned())) {
            return Ok(*w);
        }
        let df = self.searcher.doc_freq(&Term::from_field_text(field, term))? as f64;
        let weight = idf(self.n, df) * if is_generic(term) { f64::from(GENERIC_WEIGHT) } else { 1.0 };
        self.known.insert((field, term.to_owned()), weight);
        Ok(weight)
    }
}

/// The terms a word stands for in each language's analysis, sorted.
fn unit_terms(alternatives: &[String]) -> Vec<(Lang, String)> {
    let mut terms = Vec::new();
    for alternative in alternatives {
        for lang in [Lang::Es, Lang::En] {
            let analyzed = analysis::tokens(&mut analysis::analyzers().stemmed(lang), alternative);
            terms.extend(analyzed.into_iter().map(|t| (lang, t)));
        }
    }
    terms.sort_unstable_by(|a, b| (a.0.code(), &a.1).cmp(&(b.0.code(), &b.1)));
    terms.dedup();
    terms
}

/// BM25's inverse document frequency; a term found nowhere weighs as one found once.
fn idf(n: f64, df: f64) -> f64 {
    let df = df.max(1.0);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Place names, folded and split into words: countries (Spanish and English names, with and
/// without what follows a parenthesis or comma), Mexican states, and the regions of the
/// Americas.
fn places() -> &'static Vec<Vec<String>> {
    static PLACES: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    PLACES.get_or_init(|| {
        const REGIONS: &[&str] = &[
            "Centroamérica",
            "América Central",
            "Central America",
            "Mesoamérica",
            "Mesoamerica",
            "Latinoamérica",
            "América Latina",
            "Latin America",
            "Sudamérica",
            "Suramérica",
            "América del Sur",
            "South America",
            "Caribe",
            "Caribbean",
            "Norteamérica",
            "North America",
        ];
        let mut names: Vec<&str> = REGIONS.to_vec();
        for code in codelists::COUNTRY.codes.iter().chain(codelists::MX_STATE.codes) {
            for name in [code.name_es, code.name_en] {
                names.push(name);
                names.extend(name.split(['(', ',']).next());
            }
        }
        let mut out: Vec<Vec<String>> =
            names.into_iter().map(analysis::folded_tokens).filter(|t| !t.is_empty()).collect();
        // Longest first, so that "Estado de México" is taken whole before "México".
        out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        out.dedup();
        out
    })
}

/// The words without the place names in them.
fn without_places(words: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0usize;
    while let Some(word) = words.get(i) {
        let rest = words.get(i..).unwrap_or_default();
        match places().iter().find(|p| rest.starts_with(p)) {
            Some(p) => i = i.saturating_add(p.len()),
            None => {
                out.push(word.clone());
                i = i.saturating_add(1);
            }
        }
    }
    out
}
