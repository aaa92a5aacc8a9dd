//! Search and matching: the page `/search`, `GET /api/v1/search` and `GET /api/v1/catalog/match`,
//! and the capacities a demand's page proposes for it.
//!
//! Every search reads the index kept beside the registry (`crate::live_index`), caught up
//! first, and shows only what the asker may see, by the rules of the lists and record pages:
//! capacities to everyone, demands to signed-in accounts, an activity to whoever the access
//! table lets read it (the public: published ones). The index holds every record, so what the
//! asker may not read is taken out of the hits, the total and the facets' counts
//! ([`visible_search`]).

use std::collections::HashSet;

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::Html;
use coopera_domain::Lang;
use coopera_domain::access::{self, Action, Actor};
use coopera_domain::codelists::{COUNTRY, LANGUAGE, MX_STATE, SECTOR, SECTOR_CATEGORY};
use coopera_domain::kinds::CapacityForm;
use coopera_search::live::Live;
use coopera_search::{DocKind, Facet, MatchRequest, MatchResults, OrgNames, SearchDoc, SearchQuery, Track};
use coopera_store::{ReportFacts, Store};
use serde::Deserialize;

use super::catalog::capacity_url;
use super::demands::demand_url;
use super::{activity_url, area_name};
use crate::address::{Only, Parameters};
use crate::api::{MatchList, SearchResults};
use crate::error::WebError;
use crate::locale::Ctx;
use crate::registry::ActivityRow;
use crate::selection::with_query;
use crate::state::{AppState, Views};
use crate::views::{Chrome, Pager, html};

/// Hits per page.
const PER_PAGE: usize = 20;
/// The last page asked for that is answered (past it, 400): 10,000 hits.
const MAX_PAGE: usize = 500;
/// The values of each facet the page offers.
const FACET_SHOWN: usize = 8;
/// How many capacities `GET /api/v1/catalog/match` proposes unless told (as `coopera catalog
/// match`), and at most.
const MATCH_TOP: usize = 5;
const MATCH_TOP_MAX: usize = 50;

// ---------------------------------------------------------------------------------------------
// What is asked

/// The parameters of a search, the page's and the API's.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SearchParams {
    q: Option<String>,
    kind: Option<String>,
    #[serde(rename = "thematic-area")]
    thematic_area: Option<String>,
    sector: Option<String>,
    form: Option<String>,
    institution: Option<String>,
    state: Option<String>,
    language: Option<String>,
    country: Option<String>,
    page: Option<String>,
    facets: Option<String>,
}

/// The parameters of `GET /api/v1/search`.
#[derive(Debug)]
pub(crate) struct SearchParameters;

impl Parameters for SearchParameters {
    const NAMES: &'static [&'static [&'static str]] = &[&[
        "q",
        "kind",
        "thematic-area",
        "sector",
        "form",
        "institution",
        "state",
        "language",
        "country",
        "page",
        "facets",
    ]];
}

/// A search as asked: the words, the kinds, the facet filters (one value per facet), the page.
#[derive(Debug, Clone)]
struct Asked {
    text: String,
    kinds: Vec<DocKind>,
    filters: Vec<(Facet, String)>,
    page: usize,
    /// Whether the facets' values are counted (the API's `facets=false` leaves them out).
    facets: bool,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Asked {
    fn parse(p: &SearchParams) -> Result<Asked, WebError> {
        let mut kinds = Vec::new();
        for k in given(&p.kind).into_iter().flat_map(|k| k.split(',')).map(str::trim).filter(|k| !k.is_empty()) {
            let kind = k.parse::<DocKind>().map_err(|_| {
                WebError::invalid(
                    "kind",
                    k,
                    "escriba capacity, demand o activity (varios, separados por comas)",
                    "write capacity, demand or activity (several, separated by commas)",
                )
            })?;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        let facets = [
            (Facet::ThematicArea, &p.thematic_area),
            (Facet::Sector, &p.sector),
            (Facet::Form, &p.form),
            (Facet::Institution, &p.institution),
            (Facet::State, &p.state),
            (Facet::Language, &p.language),
            (Facet::Country, &p.country),
        ];
        let filters = facets.into_iter().filter_map(|(f, v)| given(v).map(|v| (f, v.to_owned()))).collect();
        let page = match given(&p.page) {
            None => 1,
            Some(v) => v.parse::<usize>().ok().filter(|n| (1..=MAX_PAGE).contains(n)).ok_or_else(|| {
                WebError::invalid(
                    "page",
                    v,
                    format!("escriba un número de 1 a {MAX_PAGE}"),
                    format!("write a number from 1 to {MAX_PAGE}"),
                )
            })?,
        };
        let facets = match given(&p.facets) {
            None | Some("true") => true,
            Some("false") => false,
            Some(v) => {
                return Err(WebError::invalid("facets", v, "escriba true o false", "write true or false"));
            }
        };
        Ok(Asked { text: given(&p.q).unwrap_or_default().to_owned(), kinds, filters, page, facets })
    }

    /// The search as query-string pairs (without the page), in a fixed order.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.text.is_empty() {
            out.push(("q", self.text.clone()));
        }
        if !self.kinds.is_empty() {
            let kinds: Vec<&str> = self.kinds.iter().map(|k| k.code()).collect();
            out.push(("kind", kinds.join(",")));
        }
        for facet in Facet::ALL {
            if let Some((_, v)) = self.filters.iter().find(|(f, _)| *f == facet) {
                out.push((facet.code(), v.clone()));
            }
        }
        out
    }

    fn filter(&self, facet: Facet) -> Option<&str> {
        self.filters.iter().find(|(f, _)| *f == facet).map(|(_, v)| v.as_str())
    }
}

// ---------------------------------------------------------------------------------------------
// What the asker may see

/// Whether `actor` may read the activity of this list row (the access table, on the workflow
/// state and scope the report engine's snapshot keeps).
fn readable_row(views: &Views, actor: &Actor, row: &ActivityRow) -> bool {
    row.position
        .and_then(|i| views.snapshot.reach(i))
        .is_some_and(|reach| access::decide(actor, &Action::Read, &reach).is_ok())
}

/// Whether `actor` may read activity `key`. One the views do not hold yet (written by
/// another process a moment ago) is not shown until they do.
pub(crate) fn readable(views: &Views, actor: &Actor, key: &str) -> bool {
    views.registry.activity(key).is_some_and(|row| readable_row(views, actor, row))
}

/// A key of what `actor` may read: the public, or a role and scope.
fn reader_key(actor: &Actor) -> String {
    match actor {
        Actor::Public => "public".to_owned(),
        Actor::Account { role, scope, .. } => format!("{role:?}/{scope:?}"),
    }
}

/// The kinds of record searched: those asked (all when none), demands only for accounts.
fn kinds_for(asked: &Asked, actor: &Actor) -> Vec<DocKind> {
    let mut kinds = if asked.kinds.is_empty() { DocKind::ALL.to_vec() } else { asked.kinds.clone() };
    if !actor.is_signed_in() {
        kinds.retain(|k| *k != DocKind::Demand);
    }
    kinds
}

fn no_results() -> coopera_search::SearchResults {
    coopera_search::SearchResults {
        total: 0,
        hits: Vec::new(),
        facets: Facet::ALL.iter().map(|f| (*f, Vec::new())).collect(),
    }
}

fn searched(live: &Live, q: &SearchQuery) -> Result<coopera_search::SearchResults, WebError> {
    live.index().search(q).map_err(|e| WebError::internal(format!("search: {e}")))
}

/// A page of what `asked` finds that `actor` may see, with the total and the facets' counts
/// of all of it.
///
/// When every activity the views hold is readable, the index answers as it is. Otherwise the
/// activities that match are listed first (kind `activity` only, every hit) to find those
/// `actor` may not read; the page is then cut from a longer list with them left out, and
/// their facet values are taken off the counts — worked out from the registry's facts as the
/// index worked them out (`SearchDoc::activity_facts`).
fn visible_search(
    live: &Live,
    store: &Store,
    views: &Views,
    actor: &Actor,
    asked: &Asked,
    lang: Lang,
) -> Result<coopera_search::SearchResults, WebError> {
    let kinds = kinds_for(asked, actor);
    if kinds.is_empty() {
        return Ok(no_results());
    }
    let offset = asked.page.saturating_sub(1).saturating_mul(PER_PAGE);
    let query = SearchQuery {
        text: asked.text.clone(),
        kinds: kinds.clone(),
        filters: asked.filters.clone(),
        lang,
        limit: PER_PAGE,
        offset,
        facets: asked.facets,
    };
    let activities = kinds.contains(&DocKind::Activity);
    let hides = activities
        && views
            .hides(&reader_key(actor), || views.registry.activities().iter().any(|r| !readable_row(views, actor, r)));
    if !hides {
        let found = searched(live, &query)?;
        let page_readable = found.hits.iter().all(|h| h.kind != DocKind::Activity || readable(views, actor, &h.key));
        if page_readable {
            return Ok(found);
        }
    }
    let hidden = unreadable_matches(live, views, actor, &query)?;
    if hidden.is_empty() {
        return searched(live, &query);
    }
    let wide =
        SearchQuery { limit: offset.saturating_add(PER_PAGE).saturating_add(hidden.len()), offset: 0, ..query.clone() };
    let mut found = searched(live, &wide)?;
    let shown = std::mem::take(&mut found.hits)
        .into_iter()
        .filter(|h| h.kind != DocKind::Activity || !hidden.contains(&h.key))
        .skip(offset)
        .take(PER_PAGE);
    found.hits = shown.collect();
    found.total = found.total.saturating_sub(hidden.len());
    take_off_facets(store, &hidden, &mut found.facets)?;
    Ok(found)
}

/// The activities matching `query` that `actor` may not read.
fn unreadable_matches(
    live: &Live,
    views: &Views,
    actor: &Actor,
    query: &SearchQuery,
) -> Result<HashSet<String>, WebError> {
    // Every activity hit: the registry's activities, and room for those written meanwhile.
    let mut scan = SearchQuery {
        kinds: vec![DocKind::Activity],
        limit: views.registry.len().saturating_add(256),
        offset: 0,
        facets: false,
        ..query.clone()
    };
    let mut found = searched(live, &scan)?;
    if found.total > found.hits.len() {
        scan.limit = found.total;
        found = searched(live, &scan)?;
    }
    Ok(found.hits.into_iter().filter(|h| !readable(views, actor, &h.key)).map(|h| h.key).collect())
}

/// Takes the facet values of the activities `hidden` off the counts (and drops the values
/// counted by them alone).
fn take_off_facets(
    store: &Store,
    hidden: &HashSet<String>,
    facets: &mut [(Facet, Vec<(String, u64)>)],
) -> Result<(), WebError> {
    let keys: Vec<String> = hidden.iter().cloned().collect();
    // Only the facet values are read from these documents: names are not needed.
    let names = OrgNames::default();
    let mut docs = Vec::with_capacity(keys.len());
    store.report_facts_of(&keys, &mut |f: &ReportFacts| docs.push(SearchDoc::activity_facts(f, &names)))?;
    for doc in &docs {
        for (facet, counts) in facets.iter_mut() {
            for value in facet_values(doc, *facet) {
                if let Some(c) = counts.iter_mut().find(|(v, _)| v == value) {
                    c.1 = c.1.saturating_sub(1);
                }
            }
        }
    }
    for (_, counts) in facets.iter_mut() {
        counts.retain(|(_, n)| *n > 0);
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    Ok(())
}

/// The values a document has for a facet, as the index counts them.
fn facet_values(doc: &SearchDoc, facet: Facet) -> Vec<&str> {
    let list = match facet {
        Facet::ThematicArea => &doc.thematic_areas,
        Facet::Sector => &doc.sectors,
        Facet::Form => &doc.forms,
        Facet::Institution => return doc.institution.iter().map(String::as_str).collect(),
        Facet::State => &doc.states,
        Facet::Language => &doc.languages,
        Facet::Country => &doc.countries,
    };
    list.iter().map(String::as_str).collect()
}

/// Runs `search` over the index caught up with the registry, once its first build is done.
async fn with_index<T, F>(state: &AppState, search: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&Live, &Store, &Views) -> Result<T, WebError> + Send + 'static,
{
    state.index().ready().await?;
    let st = state.clone();
    state
        .read(move |store, views| {
            let live = st.index().current(store)?;
            search(live, store, views)
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// The API

/// `GET /api/v1/search`
pub(crate) async fn api_search(
    _: Only<SearchParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchResults>, WebError> {
    let asked = Asked::parse(&params)?;
    let (lang, actor) = (ctx.lang, ctx.viewer.actor.clone());
    let found =
        with_index(&state, move |live, store, views| visible_search(live, store, views, &actor, &asked, lang)).await?;
    serde_json::from_value(found.json())
        .map(Json)
        .map_err(|e| WebError::internal(format!("the search's JSON is not the documented one: {e}")))
}

/// The parameters of `GET /api/v1/catalog/match`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct MatchParams {
    text: Option<String>,
    demand: Option<String>,
    country: Option<String>,
    sector: Option<String>,
    form: Option<String>,
    top: Option<String>,
}

#[derive(Debug)]
pub(crate) struct MatchParameters;

impl Parameters for MatchParameters {
    const NAMES: &'static [&'static [&'static str]] = &[&["text", "demand", "country", "sector", "form", "top"]];
}

/// The values of a list parameter (`sector=31310,41010`), each checked by `check`.
fn list_of(
    name: &str,
    value: &Option<String>,
    check: impl Fn(&str) -> bool,
    es: &str,
    en: &str,
) -> Result<Vec<String>, WebError> {
    let mut out = Vec::new();
    // Exactly as the document's pattern says: no spaces, no empty item.
    for v in value.as_deref().filter(|v| !v.is_empty()).into_iter().flat_map(|v| v.split(',')) {
        if !check(v) {
            return Err(WebError::invalid(name, v, es, en));
        }
        out.push(v.to_owned());
    }
    Ok(out)
}

/// The demand a match request describes, from its parameters (`demand` is read by the caller).
fn match_request(p: &MatchParams, lang: Lang) -> Result<MatchRequest, WebError> {
    let top = match given(&p.top) {
        None => MATCH_TOP,
        Some(v) => v.parse::<usize>().ok().filter(|n| (1..=MATCH_TOP_MAX).contains(n)).ok_or_else(|| {
            WebError::invalid(
                "top",
                v,
                format!("escriba un número de 1 a {MATCH_TOP_MAX}"),
                format!("write a number from 1 to {MATCH_TOP_MAX}"),
            )
        })?,
    };
    let country = match given(&p.country) {
        None => None,
        // Any code of the documented shape: one the lists do not hold only finds no record.
        Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()) => Some(c.to_owned()),
        Some(c) => {
            return Err(WebError::invalid(
                "country",
                c,
                "escriba un código ISO 3166-1 de dos letras mayúsculas (GT)",
                "write an ISO 3166-1 code of two capital letters (GT)",
            ));
        }
    };
    let sectors = list_of(
        "sector",
        &p.sector,
        // Any code of the shape: one the lists do not hold fits no capacity.
        |s| matches!(s.len(), 3 | 5) && s.bytes().all(|b| b.is_ascii_digit()),
        "escriba códigos CAD de 5 dígitos o categorías de 3, separados por comas",
        "write 5-digit DAC codes or 3-digit categories, separated by commas",
    )?;
    let forms = list_of(
        "form",
        &p.form,
        |f| CapacityForm::ALL.iter().any(|k| k.code() == f),
        "escriba course, technical-assistance, internship, expert-mission o scholarship",
        "write course, technical-assistance, internship, expert-mission or scholarship",
    )?;
    // No text, no sector: nothing is asked, and nothing answers (`no_answer`).
    let text = given(&p.text).unwrap_or_default().to_owned();
    Ok(MatchRequest { text, country, sectors, forms, lang: Some(lang.code().to_owned()), top })
}

/// The institutions' record with countries and regions (the matcher's `record` reason), from
/// the activities `actor` may read only, as `coopera_search::live::track` counts it.
fn track(store: &Store, views: &Views, actor: &Actor) -> Result<std::sync::Arc<Track>, WebError> {
    views.track(&reader_key(actor), || {
        let mut track = Track { region_of: coopera_report::geo::dac_region_of_country, ..Track::default() };
        store.report_facts(&mut |f: &ReportFacts| {
            if !readable(views, actor, &f.key) {
                return;
            }
            let givers: Vec<&str> = f.participants.iter().filter(|p| p.1.gives()).map(|p| p.0.as_str()).collect();
            let countries: Vec<&str> = f.countries.iter().map(|c| c.0.as_str()).collect();
            let regions: Vec<&str> = f.regions.iter().map(|r| r.0.as_str()).collect();
            track.count(&givers, &countries, &regions);
        })?;
        Ok(track)
    })
}

/// The capacities for `request`, ranked, as `actor` may see the institutions' record.
pub(crate) fn matches(
    live: &Live,
    store: &Store,
    views: &Views,
    actor: &Actor,
    request: &MatchRequest,
) -> Result<MatchResults, WebError> {
    let track = track(store, views, actor)?;
    live.index().match_demand(request, &track).map_err(|e| WebError::internal(format!("match: {e}")))
}

/// `GET /api/v1/catalog/match`: the capacities for a demand written in `text` (public), or
/// for a stored demand (`demand`, signed-in accounts).
pub(crate) async fn api_match(
    _: Only<MatchParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<MatchParams>,
) -> Result<Json<MatchList>, WebError> {
    let lang = ctx.lang;
    let mut request = match_request(&params, lang)?;
    let demand = given(&params.demand).map(str::to_owned);
    if demand.is_some() {
        // The stored demand's own text is read; a `text` given with it is not (documented).
        ctx.viewer.require("")?;
    }
    let actor = ctx.viewer.actor.clone();
    let found = with_index(&state, move |live, store, views| {
        if let Some(key) = &demand {
            let d = store.demand(key)?.ok_or_else(|| WebError::not_found("demand", key))?;
            let top = request.top;
            request = coopera_search::matching::request_of(&d, top);
        }
        matches(live, store, views, &actor, &request)
    })
    .await?;
    serde_json::from_value(found.json(lang))
        .map(Json)
        .map_err(|e| WebError::internal(format!("the match's JSON is not the documented one: {e}")))
}

// ---------------------------------------------------------------------------------------------
// The page

/// One record found, as the page shows it.
#[derive(Debug, Clone)]
pub(crate) struct HitView {
    pub kind: String,
    pub title: String,
    pub url: String,
    pub key: String,
    /// Escaped HTML where only `<b>` and `</b>` are tags ([`safe_snippet`]).
    pub snippet: String,
}

/// A facet's values, each a link that adds its filter or, when it is on, takes it away.
#[derive(Debug, Clone)]
pub(crate) struct FacetView {
    pub title: String,
    pub values: Vec<FacetLink>,
}

#[derive(Debug, Clone)]
pub(crate) struct FacetLink {
    pub label: String,
    pub count: String,
    pub url: String,
    pub on: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
pub(crate) struct SearchPage {
    pub c: Chrome,
    pub q: String,
    /// The filters and kinds set, kept when the words change.
    pub hidden: Vec<(String, String)>,
    /// (label, address, current): every kind, and all of them.
    pub kinds: Vec<(String, String, bool)>,
    /// (label, address that takes it away): the filters set.
    pub active: Vec<(String, String)>,
    pub count_text: String,
    pub note: Option<String>,
    pub hits: Vec<HitView>,
    pub facets: Vec<FacetView>,
    pub pager: Pager,
    pub json: String,
}

/// A snippet as the page writes it: `coopera_search` escapes the text and marks the words
/// found with `<b>`; anything else that looks like a tag is escaped again, so that nothing
/// but `<b>` can reach the page whatever the index holds.
pub(crate) fn safe_snippet(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let (text, tail) = rest.split_at(at);
        out.push_str(&text.replace('>', "&gt;"));
        match ["<b>", "</b>"].into_iter().find(|t| tail.starts_with(t)) {
            Some(tag) => {
                out.push_str(tag);
                rest = &tail[tag.len()..];
            }
            None => {
                out.push_str("&lt;");
                rest = &tail[1..];
            }
        }
    }
    out.push_str(&rest.replace('>', "&gt;"));
    out
}

fn kind_label(kind: DocKind, lang: Lang) -> &'static str {
    match kind {
        DocKind::Capacity => lang.pick("Capacidad", "Capacity"),
        DocKind::Demand => lang.pick("Solicitud", "Demand"),
        DocKind::Activity => lang.pick("Actividad", "Activity"),
    }
}

fn record_url(kind: DocKind, key: &str) -> String {
    match kind {
        DocKind::Capacity => capacity_url(key),
        DocKind::Demand => demand_url(key),
        DocKind::Activity => activity_url(key),
    }
}

fn facet_title(facet: Facet, lang: Lang) -> &'static str {
    match facet {
        Facet::ThematicArea => lang.pick("Área temática", "Thematic area"),
        Facet::Sector => lang.pick("Sector", "Sector"),
        Facet::Form => lang.pick("Forma", "Form"),
        Facet::Institution => lang.pick("Institución", "Institution"),
        Facet::State => lang.pick("Entidad federativa", "Mexican state"),
        Facet::Language => lang.pick("Idioma", "Language"),
        Facet::Country => lang.pick("País", "Country"),
    }
}

/// The name of a facet's value.
fn facet_label(facet: Facet, value: &str, views: &Views, lang: Lang) -> String {
    let named = |list: &coopera_domain::codelists::Codelist| list.get(value).map(|c| c.name(lang).to_owned());
    let name = match facet {
        Facet::ThematicArea => Some(area_name(value, lang)),
        Facet::Sector => named(&SECTOR).or_else(|| named(&SECTOR_CATEGORY)).map(|n| format!("{value} {n}")),
        Facet::Form => CapacityForm::parse(value).ok().map(|f| f.label(lang).to_owned()),
        Facet::Institution => Some(views.registry.org_short(value, lang).to_owned()),
        Facet::State => named(&MX_STATE),
        Facet::Language => named(&LANGUAGE),
        Facet::Country => named(&COUNTRY),
    };
    name.filter(|n| !n.is_empty()).unwrap_or_else(|| value.to_owned())
}

/// The facets of a search, each value a link that adds or takes away its filter.
fn facet_views(asked: &Asked, found: &coopera_search::SearchResults, views: &Views, lang: Lang) -> Vec<FacetView> {
    let mut out = Vec::new();
    for (facet, counts) in &found.facets {
        if counts.is_empty() {
            continue;
        }
        let on = asked.filter(*facet);
        let values = counts
            .iter()
            .take(FACET_SHOWN)
            .map(|(value, n)| {
                let mut toggled = asked.clone();
                toggled.filters.retain(|(f, _)| f != facet);
                if on != Some(value.as_str()) {
                    toggled.filters.push((*facet, value.clone()));
                }
                FacetLink {
                    label: facet_label(*facet, value, views, lang),
                    count: crate::locale::number(rust_decimal::Decimal::from(*n), 0),
                    url: with_query("/search", &toggled.pairs()),
                    on: on == Some(value.as_str()),
                }
            })
            .collect();
        out.push(FacetView { title: facet_title(*facet, lang).to_owned(), values });
    }
    out
}

/// The links that choose the kind of record: all, then each the asker may search.
fn kind_links(asked: &Asked, actor: &Actor, lang: Lang) -> Vec<(String, String, bool)> {
    let with_kinds = |kinds: Vec<DocKind>| {
        let mut a = asked.clone();
        a.kinds = kinds;
        with_query("/search", &a.pairs())
    };
    let mut out = vec![(lang.pick("Todo", "Everything").to_owned(), with_kinds(Vec::new()), asked.kinds.is_empty())];
    for kind in DocKind::ALL {
        if kind == DocKind::Demand && !actor.is_signed_in() {
            continue;
        }
        let label = match kind {
            DocKind::Capacity => lang.pick("Capacidades", "Capacities"),
            DocKind::Demand => lang.pick("Solicitudes", "Demands"),
            DocKind::Activity => lang.pick("Actividades", "Activities"),
        };
        out.push((label.to_owned(), with_kinds(vec![kind]), asked.kinds == [kind]));
    }
    out
}

fn count_text(total: usize, text: &str, lang: Lang) -> String {
    let n = crate::locale::number(rust_decimal::Decimal::from(total as u64), 0);
    match (lang, total, text.is_empty()) {
        (Lang::Es, 1, true) => "1 registro".to_owned(),
        (Lang::Es, _, true) => format!("{n} registros"),
        (Lang::En, 1, true) => "1 record".to_owned(),
        (Lang::En, _, true) => format!("{n} records"),
        (Lang::Es, 1, false) => format!("1 resultado para «{text}»"),
        (Lang::Es, _, false) => format!("{n} resultados para «{text}»"),
        (Lang::En, 1, false) => format!("1 result for “{text}”"),
        (Lang::En, _, false) => format!("{n} results for “{text}”"),
    }
}

fn pager(asked: &Asked, total: usize, lang: Lang) -> Pager {
    let pages = total.div_ceil(PER_PAGE).clamp(1, MAX_PAGE);
    let url = |page: usize| {
        let mut pairs = asked.pairs();
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        with_query("/search", &pairs)
    };
    let page = asked.page;
    Pager {
        pages,
        text: match lang {
            Lang::Es => format!("Página {page} de {pages}"),
            Lang::En => format!("Page {page} of {pages}"),
        },
        prev: (page > 1).then(|| url(page.min(pages.saturating_add(1)).saturating_sub(1))),
        next: (page < pages).then(|| url(page.saturating_add(1))),
    }
}

/// The page of a search's results.
fn search_page(
    st: &AppState,
    ctx: &Ctx,
    views: &Views,
    asked: &Asked,
    found: &coopera_search::SearchResults,
) -> SearchPage {
    let lang = ctx.lang;
    let actor = &ctx.viewer.actor;
    let hits = found
        .hits
        .iter()
        .map(|h| HitView {
            kind: kind_label(h.kind, lang).to_owned(),
            title: if h.title.is_empty() { h.key.clone() } else { h.title.clone() },
            url: record_url(h.kind, &h.key),
            key: h.key.clone(),
            snippet: safe_snippet(&h.snippet_html),
        })
        .collect();
    let active = asked
        .filters
        .iter()
        .map(|(facet, value)| {
            let mut without = asked.clone();
            without.filters.retain(|(f, _)| f != facet);
            let label = format!("{}: {}", facet_title(*facet, lang), facet_label(*facet, value, views, lang));
            (label, with_query("/search", &without.pairs()))
        })
        .collect();
    let mut hidden: Vec<(String, String)> =
        asked.pairs().into_iter().filter(|(k, _)| *k != "q").map(|(k, v)| (k.to_owned(), v)).collect();
    hidden.sort();
    let note = (!actor.is_signed_in() && asked.kinds.contains(&DocKind::Demand)).then(|| {
        lang.pick(
            "Las solicitudes de los socios solo se buscan con una sesión iniciada.",
            "Partners' demands are searched only when signed in.",
        )
        .to_owned()
    });
    let title = if asked.text.is_empty() {
        lang.pick("Buscar", "Search").to_owned()
    } else {
        format!("{} · {}", asked.text, lang.pick("Buscar", "Search"))
    };
    SearchPage {
        c: Chrome::new(ctx, st, title, "search"),
        q: asked.text.clone(),
        hidden,
        kinds: kind_links(asked, actor, lang),
        active,
        count_text: count_text(found.total, &asked.text, lang),
        note,
        hits,
        facets: facet_views(asked, found, views, lang),
        pager: pager(asked, found.total, lang),
        json: with_query("/api/v1/search", &asked.pairs()),
    }
}

/// `GET /search`
pub(crate) async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<SearchParams>,
) -> Result<Html<String>, WebError> {
    let asked = Asked::parse(&params)?;
    let st = state.clone();
    with_index(&state, move |live, store, views| {
        let found = visible_search(live, store, views, &ctx.viewer.actor, &asked, ctx.lang)?;
        html(&search_page(&st, &ctx, views, &asked, &found))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_keeps_its_highlights_and_nothing_else() {
        assert_eq!(safe_snippet("la <b>pesca</b> &amp; más"), "la <b>pesca</b> &amp; más");
        assert_eq!(safe_snippet("<script>x</script><b>y</b>"), "&lt;script&gt;x&lt;/script&gt;<b>y</b>");
        assert_eq!(safe_snippet("<b onclick=1>z</b> a > b"), "&lt;b onclick=1&gt;z</b> a &gt; b");
        assert_eq!(safe_snippet("<"), "&lt;");
    }
}
