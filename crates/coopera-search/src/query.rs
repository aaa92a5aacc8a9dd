//! The query language, and the queries it becomes.
//!
//! - Plain words are searched in every language: each word is analyzed by the Spanish and the
//!   English analyzer and looked up in the titles (weight 2) and bodies of both languages.
//! - `"a phrase"`: the words in this order, in one field.
//! - `prefix*`: every word of the index that starts so.
//! - Typos: a word of 5 characters or more that no record holds is replaced by the words of
//!   the index one edit away (a letter changed, added, removed, or two swapped), found with
//!   tantivy's Levenshtein automaton on the folded dictionary; they count half as much as the
//!   word itself would. Being words of the index, they are stemmed, joined to their concepts
//!   and highlighted like any other.
//! - Stop words (of the language the text is in, told by which list it has more words of; of
//!   both when it cannot be told) are left out.
//!
//! - Words of a generic concept ([`crate::concepts::GENERIC`]: management, training…) weigh
//!   0.3 of other words.
//!
//! Each word, phrase or prefix is a *unit*. Ranking is AND-ish: the BM25 scores of the units
//! a record has are added, and a record that has every unit gets its score counted twice.
//!
//! Recall is OR over the query's distinctive units. A word is *common* when more than
//! [`COMMON_SHARE`] of the records (and more than [`COMMON_MIN_DOCS`]) hold it —
//! "management", "desarrollo", "programa" in a large registry. Common words rank but do not
//! find: a record is found for the query's other units, and a record holding only common
//! words of a query that has others is not found ("gestión del agua" finds what speaks of
//! water, not every record that mentions management). A query of common words only finds the
//! records holding all of them. Units no record holds are left out of recall, so that a word
//! of no record does not empty a search. The rule is Lucene's common-terms query; it leaves a
//! registry of a few thousand records unchanged, and at a million it spares scoring the half
//! of the index a common word is in (BENCHMARKS.md, search). How such a query is run, and its
//! top records found without ranking every record, is [`crate::andish`]'s.

use std::collections::BTreeSet;
use std::sync::Arc;

use coopera_domain::Lang;
use tantivy::query::{BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::Result;
use crate::analysis::{self, analyzers, is_stop_word};
use crate::andish::{AndishQuery, AndishUnit};
use crate::concepts::{GENERIC_WEIGHT, is_generic};
use crate::maxima::TermMaxima;
use crate::schema::Fields;
use crate::seek_union::SeekUnion;

/// The shortest word (in characters) a typo is looked for in.
pub const TYPO_MIN_CHARS: usize = 5;
/// The weight of a word found for a typo, against 1 for the word as typed.
pub const TYPO_WEIGHT: f32 = 0.5;
/// A word held by more than this share of the records is common (see the module doc).
pub const COMMON_SHARE: f64 = 0.05;
/// ... and by more than this many records: below that, every word finds.
pub const COMMON_MIN_DOCS: u64 = 5_000;
/// The most words a typo is replaced by.
const TYPO_MAX: usize = 8;
/// The most words a prefix is expanded to for ranking and highlighting; records with other
/// words of the prefix are still found, with a constant score.
const PREFIX_MAX: usize = 50;
/// The weight of the constant-score prefix match.
const PREFIX_RECALL_WEIGHT: f32 = 0.3;

/// A part of a query as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// One folded word.
    Word(String),
    /// The folded beginning of a word.
    Prefix(String),
    /// Words in this order, as typed.
    Phrase(String),
}

/// Splits a query into words, prefixes and phrases. Never fails: an unclosed quote runs to
/// the end, a lone `*` is nothing.
pub fn parse(text: &str) -> Vec<Clause> {
    let mut clauses = Vec::new();
    for (i, part) in text.split('"').enumerate() {
        if i % 2 == 1 {
            phrase(part, &mut clauses);
            continue;
        }
        for raw in part.split_whitespace() {
            let (stem, is_prefix) = match raw.strip_suffix('*') {
                Some(stem) => (stem.trim_end_matches('*'), true),
                None => (raw, false),
            };
            let mut words = analysis::folded_tokens(stem);
            let last = if is_prefix { words.pop() } else { None };
            clauses.extend(words.into_iter().map(Clause::Word));
            clauses.extend(last.map(Clause::Prefix));
        }
    }
    clauses
}

fn phrase(part: &str, clauses: &mut Vec<Clause>) {
    let words = analysis::folded_tokens(part);
    match words.len() {
        0 => {}
        1 => clauses.extend(words.into_iter().map(Clause::Word)),
        _ => clauses.push(Clause::Phrase(part.trim().to_owned())),
    }
}

/// The language a text is in, told by its stop words; `None` when it cannot be told.
pub fn text_lang(clauses: &[Clause]) -> Option<Lang> {
    let (mut es, mut en) = (0usize, 0usize);
    for c in clauses {
        if let Clause::Word(w) = c {
            es = es.saturating_add(usize::from(is_stop_word(Lang::Es, w)));
            en = en.saturating_add(usize::from(is_stop_word(Lang::En, w)));
        }
    }
    match es.cmp(&en) {
        std::cmp::Ordering::Greater => Some(Lang::Es),
        std::cmp::Ordering::Less => Some(Lang::En),
        std::cmp::Ordering::Equal => None,
    }
}

/// Whether a word is left out: a stop word of the text's language, or of either language when
/// the language is not known.
pub fn is_dropped(word: &str, lang: Option<Lang>) -> bool {
    match lang {
        Some(l) => is_stop_word(l, word),
        None => is_stop_word(Lang::Es, word) || is_stop_word(Lang::En, word),
    }
}

/// One unit of a query: what was typed, the words of the index it stands for, and its query.
pub struct Unit {
    /// The word, prefix (with `*`) or phrase as typed (folded).
    pub label: String,
    /// The words of the index it was matched through: itself, or the words of a typo or prefix.
    pub alternatives: Vec<String>,
    pub query: Box<dyn Query>,
    /// The same query, cheap to seek rather than to walk: for a unit that scores or filters
    /// what other units find ([`SeekUnion`]).
    pub seekable: Box<dyn Query>,
    /// How many records hold it, at least (the most of any of its terms); `None` when not
    /// counted (phrases and prefixes, which are never common).
    pub records: Option<u64>,
    /// The terms it matches through with their boosts, for a word (a common unit is a word);
    /// empty otherwise.
    pub terms: Vec<(Term, f32)>,
}

impl std::fmt::Debug for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Unit").field("label", &self.label).field("alternatives", &self.alternatives).finish()
    }
}

/// Builds queries against one searcher (typos and prefixes are looked up in its dictionary).
pub(crate) struct Builder<'a> {
    pub searcher: &'a Searcher,
    pub fields: Fields,
}

impl Builder<'_> {
    /// The units of `clauses`, stop words left out.
    pub fn units(&self, clauses: &[Clause]) -> Result<Vec<Unit>> {
        let lang = text_lang(clauses);
        let mut units = Vec::new();
        for clause in clauses {
            let unit = match clause {
                Clause::Word(w) if is_dropped(w, lang) => None,
                Clause::Word(w) => self.word(w)?,
                Clause::Prefix(p) => self.prefix(p)?,
                Clause::Phrase(p) => self.phrase(p),
            };
            units.extend(unit);
        }
        Ok(units)
    }

    /// The terms of a word as the analyzers make it, in every stemmed field, with the
    /// field's weight.
    fn terms(&self, word: &str) -> Vec<(Term, f32)> {
        let a = analyzers();
        let mut out = Vec::new();
        for (field, lang, field_weight) in self.fields.texts() {
            let terms = analysis::tokens(&mut a.stemmed(lang), word);
            out.extend(terms.iter().map(|t| (Term::from_field_text(field, t), field_weight)));
        }
        out
    }

    /// The query of a word as the analyzers make it, in every stemmed field, with `weight`.
    fn stemmed(&self, word: &str, weight: f32) -> Vec<(Occur, Box<dyn Query>)> {
        term_queries(self.terms(word), weight)
    }

    /// The unit of one folded word, typos looked up; `None` when it makes no term.
    pub(crate) fn word(&self, word: &str) -> Result<Option<Unit>> {
        let mut alternatives = vec![word.to_owned()];
        let mut weight = 1.0;
        if word.chars().count() >= TYPO_MIN_CHARS && !self.in_dictionary(word)? {
            let near = self.near(word)?;
            if !near.is_empty() {
                alternatives = near;
                weight = TYPO_WEIGHT;
            }
        }
        let terms: Vec<(Term, f32)> = alternatives.iter().flat_map(|a| self.terms(a)).collect();
        if terms.is_empty() {
            return Ok(None);
        }
        let mut records = 0;
        for (term, _) in &terms {
            records = records.max(self.searcher.doc_freq(term)?);
        }
        let unit_terms = boosted(&terms, weight).collect();
        let clauses = term_queries(terms, weight);
        let seekable = Box::new(SeekUnion::new(clauses.iter().map(|(_, q)| q.box_clone()).collect()));
        Ok(Some(Unit {
            label: word.to_owned(),
            alternatives,
            query: Box::new(BooleanQuery::new(clauses)),
            seekable,
            records: Some(records),
            terms: unit_terms,
        }))
    }

    fn prefix(&self, prefix: &str) -> Result<Option<Unit>> {
        let alternatives = self.starting_with(prefix)?;
        let mut clauses: Vec<_> = alternatives.iter().flat_map(|a| self.stemmed(a, 1.0)).collect();
        let recall = FuzzyTermQuery::new_prefix(Term::from_field_text(self.fields.folded, prefix), 0, true);
        clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(recall), PREFIX_RECALL_WEIGHT))));
        let query: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
        Ok(Some(Unit {
            label: format!("{prefix}*"),
            alternatives,
            seekable: query.box_clone(),
            query,
            records: None,
            terms: Vec::new(),
        }))
    }

    fn phrase(&self, text: &str) -> Option<Unit> {
        let a = analyzers();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, lang, field_weight) in self.fields.texts() {
            let terms = analysis::positioned(&mut a.stemmed(lang), text);
            if let Some(q) = phrase_query(field, terms) {
                clauses.push((Occur::Should, Box::new(BoostQuery::new(q, field_weight))));
            }
        }
        if clauses.is_empty() {
            return None;
        }
        let label = analysis::folded_tokens(text).join(" ");
        let query: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
        Some(Unit {
            label: format!("\"{label}\""),
            alternatives: Vec::new(),
            seekable: query.box_clone(),
            query,
            records: None,
            terms: Vec::new(),
        })
    }

    fn in_dictionary(&self, word: &str) -> Result<bool> {
        Ok(self.searcher.doc_freq(&Term::from_field_text(self.fields.folded, word))? > 0)
    }

    /// The words of the index one edit from `word`, nearest first in dictionary order.
    fn near(&self, word: &str) -> Result<Vec<String>> {
        let automaton = FuzzyTermQuery::new(Term::from_field_text(self.fields.folded, word), 1, true).automaton()?;
        let mut found = BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.folded)?;
            let mut stream = inverted.terms().search(&automaton).into_stream()?;
            while stream.advance() {
                found.insert(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
        Ok(found.into_iter().take(TYPO_MAX).collect())
    }

    /// Up to [`PREFIX_MAX`] words of the index that start with `prefix`.
    fn starting_with(&self, prefix: &str) -> Result<Vec<String>> {
        let mut found = BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.folded)?;
            let mut stream = inverted.terms().range().ge(prefix.as_bytes()).into_stream()?;
            while stream.advance() && found.len() < PREFIX_MAX.saturating_mul(2) {
                let key = stream.key();
                if !key.starts_with(prefix.as_bytes()) {
                    break;
                }
                found.insert(String::from_utf8_lossy(key).into_owned());
            }
        }
        Ok(found.into_iter().take(PREFIX_MAX).collect())
    }
}

/// The term queries of `terms` (with their fields' weights), each weighted by `weight` and,
/// for a generic concept's term, by [`GENERIC_WEIGHT`].
fn term_queries(terms: Vec<(Term, f32)>, weight: f32) -> Vec<(Occur, Box<dyn Query>)> {
    boosted(&terms, weight)
        .map(|(term, boost)| {
            let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
            (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)) as Box<dyn Query>)
        })
        .collect()
}

/// `terms` with the boost [`term_queries`] gives each.
fn boosted(terms: &[(Term, f32)], weight: f32) -> impl Iterator<Item = (Term, f32)> {
    terms.iter().map(move |(term, field_weight)| {
        let generic = if term.value().as_str().is_some_and(is_generic) { GENERIC_WEIGHT } else { 1.0 };
        (term.clone(), field_weight * weight * generic)
    })
}

/// A phrase of analyzed terms in one field: a term query for one term, a phrase query (with
/// the terms' relative positions, stop words leaving gaps as in the index) for more.
fn phrase_query(field: Field, terms: Vec<(usize, String)>) -> Option<Box<dyn Query>> {
    let first = terms.first().map(|(p, _)| *p)?;
    let terms: Vec<(usize, Term)> =
        terms.into_iter().map(|(p, t)| (p.saturating_sub(first), Term::from_field_text(field, &t))).collect();
    let distinct: BTreeSet<usize> = terms.iter().map(|(p, _)| *p).collect();
    if distinct.len() < 2 {
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .into_iter()
            .map(|(_, t)| (Occur::Should, Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>))
            .collect();
        return Some(Box::new(BooleanQuery::new(clauses)));
    }
    Some(Box::new(PhraseQuery::new_with_offset(terms)))
}

/// The query of `units` over an index of `records` records, narrowed by `filter` (which adds
/// nothing to the score): recall by the distinctive units, AND-ish ranking (see the module
/// doc); `None` for no units.
///
/// The units that find are walked; the common ones, which only score, are sought record by
/// record ([`Unit::seekable`]): a common word's postings are then read where the records found
/// are, not from end to end. A query of common words only finds what they all hold, read
/// into bits ([`AndishQuery`]).
pub(crate) fn combine(
    units: Vec<Unit>,
    records: u64,
    filter: Option<Box<dyn Query>>,
    maxima: &Arc<TermMaxima>,
) -> Option<Combined> {
    let count = units.len();
    if count < 2 && filter.is_none() {
        return units.into_iter().next().map(|u| Combined { query: u.query, prunable: false });
    }
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let common_above = ((records as f64 * COMMON_SHARE) as u64).max(COMMON_MIN_DOCS);
    let is_common = |u: &Unit| count > 1 && u.records.is_some_and(|r| r > common_above);
    let (common, finding): (Vec<Unit>, Vec<Unit>) =
        units.into_iter().filter(|u| u.records != Some(0)).partition(|u| is_common(u));
    let unit = |u: Unit| AndishUnit { walk: u.query, seek: u.seekable, terms: u.terms };
    let query = if finding.is_empty() {
        // Common words only (besides words no record holds): the records holding them all.
        if common.is_empty() {
            return Some(Combined { query: Box::new(EmptyQuery), prunable: false });
        }
        AndishQuery::all(common.into_iter().map(unit).collect(), count, filter, maxima.clone())
    } else {
        let (walked, sought) = (finding.into_iter().map(unit).collect(), common.into_iter().map(unit).collect());
        AndishQuery::any(walked, sought, count, filter, maxima.clone())
    };
    Some(Combined { prunable: query.prunable(), query: Box::new(query) })
}

/// A search's query, and whether its top records are best found in a pass of their own,
/// pruned ([`AndishQuery::prunable`]).
pub(crate) struct Combined {
    pub query: Box<dyn Query>,
    pub prunable: bool,
}
