//! Search and matching as the API answers them. The shapes are `coopera_search`'s
//! (`SearchResults::json`, `MatchResults::json`), which `coopera search --format json` and
//! `coopera catalog match --format json` print too; these types describe them for the OpenAPI
//! document and read them back (`deny_unknown_fields`), so a field added there and not here
//! fails the tests instead of going undocumented.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `GET /api/v1/search`: the records the asker may see that match, one page of them, and the
/// counts of each facet's values among all of them.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchResults {
    /// How many records match (of which `hits` is one page).
    pub total: usize,
    /// The best first (by key when no words were given).
    pub hits: Vec<SearchHit>,
    pub facets: SearchFacets,
}

/// The kinds of record searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Capacity,
    Demand,
    Activity,
}

/// One record found.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchHit {
    pub kind: HitKind,
    /// The capacity's or demand's key, the activity's IATI identifier.
    pub key: String,
    /// In the request's language, or the other when the record has none.
    pub title: String,
    /// The relevance (BM25); 0 when no words were given.
    pub score: f32,
    /// A piece of the record's text as escaped HTML, the words found in `<b>`.
    pub snippet: String,
}

/// The values of each facet among all the records that match, the most frequent first.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchFacets {
    /// DAC sector groups (`410`).
    #[serde(rename = "thematic-area")]
    pub thematic_area: Vec<FacetCount>,
    /// DAC purpose codes (`41010`) or categories (`410`).
    pub sector: Vec<FacetCount>,
    /// Forms of a capacity (`course`).
    pub form: Vec<FacetCount>,
    /// Organisation keys: a capacity's institution, a demand's requester, an activity's
    /// reporting organisation.
    pub institution: Vec<FacetCount>,
    /// INEGI codes of Mexican states (`07`).
    pub state: Vec<FacetCount>,
    /// Languages a capacity is offered in (`en`).
    pub language: Vec<FacetCount>,
    /// A demand's country, an activity's recipient countries (`GT`).
    pub country: Vec<FacetCount>,
}

/// A value of a facet and how many of the records that match have it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// `GET /api/v1/catalog/match`: the capacities best placed to answer a demand, best first;
/// none, and `no_answer`, when the catalog has nothing the demand asks for.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchList {
    pub results: Vec<MatchEntry>,
    /// No capacity answers the demand: rather than capacities that share a word or two with
    /// it, none.
    pub no_answer: bool,
}

/// A capacity proposed for the demand.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchEntry {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// In the demand's language, else the other.
    pub title: String,
    /// The key of the institution that offers it.
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub institution: String,
    /// 0–1, rounded to 3 decimals: the weighted mean of text relevance, sector, form, language
    /// fit and the institution's record with the country.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub score: f64,
    /// The capacity's DAC codes.
    pub sectors: Vec<String>,
    /// Why it was proposed.
    pub reasons: Vec<MatchReason>,
}

/// What a reason is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// The demand's words the capacity holds: `words`, `coverage`, `offer`.
    Terms,
    /// The closest pair of DAC codes: `fit`, `requested`, `offered`.
    Sector,
    /// The demand's forms the capacity is offered in: `forms`.
    Form,
    /// The capacity is offered in the demand's language: `lang`.
    Language,
    /// The institution's past activities as a provider with the demand's country: `country`,
    /// `activities`.
    CountryRecord,
    /// The same in the country's DAC region: `region`, `activities`.
    RegionRecord,
}

/// How close the capacity's DAC code is to the demand's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SectorFit {
    SameArea,
    SameCategory,
    SameCode,
}

/// Why a capacity was proposed: its `kind`, a sentence in the request's language, and the
/// facts of that kind.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchReason {
    pub kind: ReasonKind,
    /// The reason as a sentence, in the request's language.
    pub text: String,
    /// `terms`: the demand's words found (folded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<String>>,
    /// `terms`: the share of the demand's word weight they are (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<f64>,
    /// `terms`: the share of what the capacity offers the demand holds (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit: Option<SectorFit>,
    /// `sector`: the demand's DAC code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<String>,
    /// `sector`: the capacity's DAC code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offered: Option<String>,
    /// `form`: the forms asked for that the capacity takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-codelist" = "CapacityForm"))]
    pub forms: Option<Vec<String>>,
    /// `language`: the language it is offered in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-codelist" = "Language"))]
    pub lang: Option<String>,
    /// `country_record`: the demand's country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[A-Z]{2}$"))]
    pub country: Option<String>,
    /// `region_record`: the DAC region's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// `country_record`, `region_record`: how many activities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activities: Option<u32>,
}
