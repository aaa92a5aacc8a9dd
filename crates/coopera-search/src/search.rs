//! Searching: a text in the query language of [`crate::query`], kinds and facet filters, a
//! page of hits with highlighted snippets, and the counts of each facet's values among all
//! the hits.

use std::fmt;
use std::str::FromStr;

use coopera_domain::Lang;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::AggregationResults;
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, EmptyQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use crate::doc::{DocKind, title_in};
use crate::index::SearchIndex;
use crate::query::{self, Builder};
use crate::schema::Fields;
use crate::{Result, SearchError};

/// The facets a search can be filtered and counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    /// DAC sector group (`410`).
    ThematicArea,
    /// DAC code (`41010`).
    Sector,
    /// Capacity form (`course`).
    Form,
    /// Organisation key: a capacity's institution, a demand's requester, an activity's
    /// reporting organisation.
    Institution,
    /// INEGI state code (`07`).
    State,
    /// ISO 639-1 language a capacity is offered in.
    Language,
    /// ISO 3166-1 country: a demand's, an activity's recipient.
    Country,
}

impl Facet {
    pub const ALL: [Facet; 7] = [
        Facet::ThematicArea,
        Facet::Sector,
        Facet::Form,
        Facet::Institution,
        Facet::State,
        Facet::Language,
        Facet::Country,
    ];

    /// The code used in URLs and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Facet::ThematicArea => "thematic-area",
            Facet::Sector => "sector",
            Facet::Form => "form",
            Facet::Institution => "institution",
            Facet::State => "state",
            Facet::Language => "language",
            Facet::Country => "country",
        }
    }

    fn field(self, f: &Fields) -> Field {
        match self {
            Facet::ThematicArea => f.area,
            Facet::Sector => f.sector,
            Facet::Form => f.form,
            Facet::Institution => f.institution,
            Facet::State => f.state,
            Facet::Language => f.language,
            Facet::Country => f.country,
        }
    }

    /// The name of the field in the index (what aggregations are asked by).
    fn field_name(self) -> &'static str {
        match self {
            Facet::ThematicArea => "area",
            Facet::Sector => "sector",
            Facet::Form => "form",
            Facet::Institution => "institution",
            Facet::State => "state",
            Facet::Language => "language",
            Facet::Country => "country",
        }
    }
}

impl fmt::Display for Facet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Facet {
    type Err = SearchError;

    fn from_str(s: &str) -> Result<Facet> {
        Facet::ALL
            .into_iter()
            .find(|f| f.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| SearchError::UnknownFacet(s.to_owned()))
    }
}

/// A search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    /// In the query language; empty lists the records the filters leave, by key.
    pub text: String,
    /// The kinds of record searched; empty for all.
    pub kinds: Vec<DocKind>,
    /// Values of the same facet are alternatives (OR); different facets all apply (AND).
    pub filters: Vec<(Facet, String)>,
    /// The language of titles and snippets.
    pub lang: Lang,
    pub limit: usize,
    pub offset: usize,
    /// Whether to count the facets' values among the hits (most of a search's time when it
    /// matches much of the index); without, every facet of [`SearchResults::facets`] has no
    /// values.
    pub facets: bool,
}

impl Default for SearchQuery {
    fn default() -> SearchQuery {
        SearchQuery {
            text: String::new(),
            kinds: Vec::new(),
            filters: Vec::new(),
            lang: Lang::Es,
            limit: 20,
            offset: 0,
            facets: true,
        }
    }
}

/// One record found.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: DocKind,
    pub key: String,
    /// In the query's language, else the other.
    pub title: String,
    /// BM25 (0 when the query has no text).
    pub score: f32,
    /// An escaped piece of the body (or title) with the words found in `<b>`; words found
    /// through the constant-score prefix match beyond the first 50 are not highlighted.
    pub snippet_html: String,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// How many records match, of which `hits` is one page.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// For every facet, its values among all matching records with their counts, the most
    /// frequent first (ties by value); no values when the search did not ask for them.
    pub facets: Vec<(Facet, Vec<(String, u64)>)>,
}

impl SearchResults {
    /// The results as JSON, the shape the command line prints and the web API answers:
    /// `{"total", "hits": [{"kind", "key", "title", "score", "snippet"}], "facets": {code:
    /// [{"value", "count"}]}}`; `snippet` is escaped HTML with the words found in `<b>`.
    pub fn json(&self) -> serde_json::Value {
        let facets: serde_json::Map<String, serde_json::Value> = self
            .facets
            .iter()
            .map(|(facet, values)| {
                let values: Vec<_> =
                    values.iter().map(|(value, count)| serde_json::json!({"value": value, "count": count})).collect();
                (facet.code().to_owned(), serde_json::Value::from(values))
            })
            .collect();
        let hits: Vec<_> = self
            .hits
            .iter()
            .map(|h| {
                serde_json::json!({
                    "kind": h.kind.code(), "key": h.key, "title": h.title, "score": h.score, "snippet": h.snippet_html,
                })
            })
            .collect();
        serde_json::json!({"total": self.total, "hits": hits, "facets": facets})
    }
}

/// A search's query, and how its hits are found when it has text to rank by.
pub(crate) struct SearchText {
    pub found: Box<dyn Query>,
    text: Option<Pass>,
}

/// How a search with text finds its hits.
enum Pass {
    /// Ranked as they are counted.
    One,
    /// Counted, then the top ones found in a pass of their own, pruned ([`crate::andish`]).
    Two,
}

/// The most values counted per facet.
const FACET_VALUES: u32 = 200;
/// The length of a snippet, in characters.
const SNIPPET_CHARS: usize = 200;

impl SearchIndex {
    /// Runs a search; see [`crate::query`] for the query language.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let query = self.query(&searcher, q)?;
        let limit = q.limit.max(1);
        let aggs = q.facets.then(|| {
            AggregationCollector::from_aggs(
                facet_aggregations(),
                AggContextParams::new(AggregationLimitsGuard::default(), self.index.tokenizers().clone()),
            )
        });
        let by_score = TopDocs::with_limit(limit).and_offset(q.offset).order_by_score();
        let (scored, total, facets): (Vec<(f32, DocAddress)>, usize, Option<AggregationResults>) = match query.text {
            Some(Pass::One) => searcher.search(&*query.found, &(by_score, Count, aggs))?,
            Some(Pass::Two) => {
                let (total, facets) = searcher.search(&*query.found, &(Count, aggs))?;
                (searcher.search(&*query.found, &by_score)?, total, facets)
            }
            None => {
                let by_key =
                    TopDocs::with_limit(limit).and_offset(q.offset).order_by_string_fast_field("key", Order::Asc);
                let (docs, total, facets) = searcher.search(&*query.found, &(by_key, Count, aggs))?;
                (docs.into_iter().map(|(_, addr)| (0.0, addr)).collect(), total, facets)
            }
        };
        let hits = self.hits(&searcher, &*query.found, scored, q.lang)?;
        Ok(SearchResults { total, hits, facets: facet_counts(facets) })
    }

    /// How many records a search matches, neither ranked nor shown: what an exact total costs
    /// at least (the benchmark's floor for [`SearchIndex::search`]).
    pub fn count(&self, q: &SearchQuery) -> Result<usize> {
        let searcher = self.reader.searcher();
        Ok(searcher.search(&*self.query(&searcher, q)?.found, &Count)?)
    }

    /// The query of a search: its text restricted by the kinds and filters, or every record
    /// they leave when it has no text.
    pub(crate) fn query(&self, searcher: &Searcher, q: &SearchQuery) -> Result<SearchText> {
        let builder = Builder { searcher, fields: self.fields };
        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let kinds: Vec<String> = q.kinds.iter().map(|k| k.code().to_owned()).collect();
        filters.extend(any_of(self.fields.kind, &kinds));
        for facet in Facet::ALL {
            let values: Vec<String> = q.filters.iter().filter(|(f, _)| *f == facet).map(|(_, v)| v.clone()).collect();
            filters.extend(any_of(facet.field(&self.fields), &values));
        }
        let filter = (!filters.is_empty()).then(|| Box::new(BooleanQuery::new(filters)) as Box<dyn Query>);
        let units = builder.units(&query::parse(&q.text))?;
        if units.is_empty() {
            let mut all: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(AllQuery))];
            all.extend(filter.map(|f| (Occur::Must, f)));
            return Ok(SearchText { found: Box::new(BooleanQuery::new(all)), text: None });
        }
        Ok(match query::combine(units, searcher.num_docs(), filter, &self.maxima) {
            Some(c) => SearchText { found: c.query, text: Some(if c.prunable { Pass::Two } else { Pass::One }) },
            None => SearchText { found: Box::new(EmptyQuery), text: Some(Pass::One) },
        })
    }

    fn hits(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        found: Vec<(f32, DocAddress)>,
        lang: Lang,
    ) -> Result<Vec<Hit>> {
        let f = &self.fields;
        let (body, title) = match lang {
            Lang::Es => (f.body_es, f.title_es),
            Lang::En => (f.body_en, f.title_en),
        };
        let mut body_snippets = SnippetGenerator::create(searcher, query, body)?;
        body_snippets.set_max_num_chars(SNIPPET_CHARS);
        let title_snippets = SnippetGenerator::create(searcher, query, title)?;
        let mut hits = Vec::with_capacity(found.len());
        for (score, addr) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field| first(&doc, field);
            let kind = text(f.kind).parse::<DocKind>()?;
            let snippet = body_snippets.snippet(&text(body));
            let snippet_html = if !snippet.highlighted().is_empty() {
                snippet.to_html()
            } else {
                let in_title = title_snippets.snippet(&text(title));
                if in_title.highlighted().is_empty() { escape(&excerpt(&text(body))) } else { in_title.to_html() }
            };
            let title = title_in(lang, &text(f.title_es), &text(f.title_en)).to_owned();
            hits.push(Hit { kind, key: text(f.key), title, score, snippet_html });
        }
        Ok(hits)
    }
}

/// A must-clause that any of `values` is in `field`; `None` for no values.
fn any_of(field: Field, values: &[String]) -> Option<(Occur, Box<dyn Query>)> {
    if values.is_empty() {
        return None;
    }
    let any: Vec<(Occur, Box<dyn Query>)> = values
        .iter()
        .map(|v| {
            let q = TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic);
            (Occur::Should, Box::new(q) as Box<dyn Query>)
        })
        .collect();
    Some((Occur::Must, Box::new(BooleanQuery::new(any))))
}

/// The first text of a field of a stored document, or "".
pub(crate) fn first(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_owned()
}

/// Every text of a field of a stored document.
pub(crate) fn all(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field).filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

fn facet_aggregations() -> Aggregations {
    let request: serde_json::Map<String, serde_json::Value> = Facet::ALL
        .iter()
        .map(|f| {
            let terms = serde_json::json!({ "terms": { "field": f.field_name(), "size": FACET_VALUES } });
            (f.code().to_owned(), terms)
        })
        .collect();
    // The request is built here from constants; it always reads.
    serde_json::from_value(serde_json::Value::Object(request)).unwrap_or_default()
}

fn facet_counts(results: Option<AggregationResults>) -> Vec<(Facet, Vec<(String, u64)>)> {
    let json = results.map(|r| serde_json::to_value(&r).unwrap_or_default()).unwrap_or_default();
    Facet::ALL
        .iter()
        .map(|facet| {
            let buckets = json.get(facet.code()).and_then(|a| a.get("buckets")).and_then(|b| b.as_array());
            let mut values: Vec<(String, u64)> = buckets
                .into_iter()
                .flatten()
                .filter_map(|b| {
                    let key = b.get("key")?.as_str()?.to_owned();
                    Some((key, b.get("doc_count")?.as_u64()?))
                })
                .collect();
            values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            (*facet, values)
        })
        .collect()
}

/// The beginning of a text, cut at a word, for a snippet with nothing to highlight.
fn excerpt(text: &str) -> String {
    if text.chars().count() <= SNIPPET_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(SNIPPET_CHARS).collect();
    match cut.rfind(char::is_whitespace) {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

/// Escapes text for HTML, as tantivy's snippets do.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
