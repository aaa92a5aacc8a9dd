//! Good practices: `/practices`, the showcase — cards of the practices of the federal
//! government, of states and of municipalities, narrowed by thematic area, state, form of
//! cooperation and order of government, and by words of their text — and `/practices/{key}`,
//! one practice with its evidence (linked activities, documents, indicators).
//!
//! Practices have no workflow: like organisations, every visitor reads them. The activities
//! they link to are listed only when the viewer may read them.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use coopera_domain::Lang;
use coopera_domain::code::{MxMunicipalityCode, MxStateCode, ThematicAreaCode};
use coopera_domain::codelists::{MX_STATE, THEMATIC_AREA};
use coopera_domain::doc::PracticeDoc;
use coopera_domain::ids::OrgKey;
use coopera_domain::kinds::CapacityForm;
use coopera_domain::organisation::Organisation;
use coopera_domain::practice::{GOVERNMENT_LEVELS, GoodPractice, PracticeFilter};
use coopera_domain::subnational::OrgStates;
use coopera_store::{Record, RecordKind, Store};
use serde::Deserialize;

use super::search::readable;
use super::states::state_url;
use super::{activity_url, org_url};
use crate::address::{Only, Parameters};
use crate::api::{Links, PracticeDetail, PracticeList, PracticeSummary};
use crate::auth::Viewer;
use crate::error::WebError;
use crate::guard;
use crate::locale::{self, Ctx};
use crate::registry::fold;
use crate::selection::with_query;
use crate::state::{AppState, Views};
use crate::views::{
    Cell, Chrome, FilterSelect, Opt, PracticeCard, PracticesPage, RecordPage, Section, TableView, html,
};

use super::record_workflow::{Stepped, record_panel};

pub(crate) fn practice_url(key: &str) -> String {
    format!("/practices/{}", crate::selection::encode(key))
}

/// The showcase narrowed to a state: its practices.
pub(crate) fn state_practices_url(state: MxStateCode) -> String {
    with_query("/practices", &[("state", state.as_str().to_owned())])
}

/// The good practices and the organisations they name, read once for a page.
pub(super) struct Practices {
    orgs: HashMap<String, Organisation>,
    states: OrgStates,
    pub practices: Vec<GoodPractice>,
}

impl Practices {
    /// Every practice the viewer may read, by title in `lang`.
    pub(super) fn load(store: &Store, viewer: &Viewer, lang: Lang) -> Result<Practices, WebError> {
        let mut practices = guard::readable(store, viewer, store.practices()?, |p| Record::Practice(p.clone()))?;
        practices.sort_by_cached_key(|p| fold(p.parts().title.best(lang)));
        Ok(Practices { practices, ..Practices::none(store)? })
    }

    /// No practice, with the organisations and states the practices' figures need.
    fn none(store: &Store) -> Result<Practices, WebError> {
        let organisations = store.organisations()?;
        let states = OrgStates::new(&organisations);
        let orgs = organisations.into_iter().map(|o| (o.key().as_str().to_owned(), o)).collect();
        Ok(Practices { orgs, states, practices: Vec::new() })
    }

    fn org(&self, key: &OrgKey) -> Option<&Organisation> {
        self.orgs.get(key.as_str())
    }

    /// Only the practices `filter` keeps and whose text holds every word of `words`.
    pub(super) fn narrow(mut self, filter: &PracticeFilter, words: &str) -> Practices {
        let words: Vec<String> = fold(words).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
        let (orgs, states) = (&self.orgs, &self.states);
        self.practices.retain(|p| {
            filter.keeps(p, states, |k| orgs.get(k.as_str()))
                && (words.is_empty() || {
                    let text = searchable(p);
                    words.iter().all(|w| text.split(' ').any(|t| t.starts_with(w.as_str())))
                })
        });
        self
    }

    /// The organisations of a practice, each a link to its page.
    fn who(&self, p: &GoodPractice, lang: Lang) -> Vec<(String, String)> {
        let name = |k: &OrgKey| self.org(k).map_or_else(|| k.to_string(), |o| o.parts().name.best(lang).to_owned());
        p.parts().organisations.iter().map(|k| (name(k), org_url(k.as_str()))).collect()
    }

    fn levels(&self, p: &GoodPractice, lang: Lang) -> Vec<String> {
        p.levels(|k| self.org(k)).iter().map(|l| l.label(lang).to_owned()).collect()
    }

    /// "Chiapas; Tapachula, Suchiate; Guatemala": its states (of its organisations and
    /// places), municipalities and countries.
    fn place(&self, p: &GoodPractice, lang: Lang) -> String {
        let parts = p.parts();
        let states: Vec<&str> = p.states(&self.states).iter().map(|s| s.entry().name(lang)).collect();
        let municipalities: Vec<&str> = parts.mx_municipalities.iter().map(|m| m.entry().name(lang)).collect();
        let countries: Vec<&str> = parts.countries.iter().map(|c| c.entry().name(lang)).collect();
        [states, municipalities, countries]
            .iter()
            .filter(|l| !l.is_empty())
            .map(|l| l.join(", "))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A practice's words, in every language, folded: title, summary, results and keywords.
fn searchable(p: &GoodPractice) -> String {
    let parts = p.parts();
    let texts = [&parts.title, &parts.summary, &parts.results];
    let mut all: Vec<&str> = texts.iter().flat_map(|t| t.iter().map(|(_, v)| v)).collect();
    all.extend(parts.keywords.iter().map(String::as_str));
    fold(&all.join(" "))
}

fn themes(p: &GoodPractice, lang: Lang) -> String {
    p.parts().themes.iter().map(|t| t.entry().name(lang)).collect::<Vec<_>>().join("; ")
}

fn forms(p: &GoodPractice, lang: Lang) -> String {
    p.parts().forms.iter().map(|f| f.label(lang)).collect::<Vec<_>>().join(", ")
}

/// The first words of a text, up to about `max` characters.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let words = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", words.trim_end_matches([',', ';', ':', '.']))
}

/// The showcase's parameters, as the form sends them (an empty one is no filter).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Params {
    q: Option<String>,
    theme: Option<String>,
    state: Option<String>,
    form: Option<String>,
    level: Option<String>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

/// The words asked for, trimmed; codes are read as sent ([`given`]).
fn given_words(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The filter the parameters ask for; a value outside its list is answered with 400, naming
/// the parameter and what it takes.
fn parse(params: &Params) -> Result<PracticeFilter, WebError> {
    let bad = |name: &str, value: &str, es: &str, en: &str| WebError::invalid(name, value, es, en);
    let theme = given(&params.theme)
        .map(|v| {
            ThematicAreaCode::parse(v)
                .map_err(|_| bad("theme", v, "un área temática (p. ej. 410)", "a thematic area (e.g. 410)"))
        })
        .transpose()?;
    let state = given(&params.state).map(|v| crate::selection::state_as_sent("state", v)).transpose()?;
    let form = given(&params.form)
        .map(|v| {
            CapacityForm::parse(v).map_err(|_| {
                bad("form", v, "una forma de cooperación (p. ej. course)", "a form of cooperation (e.g. course)")
            })
        })
        .transpose()?;
    let level = given(&params.level)
        .map(|v| {
            GOVERNMENT_LEVELS
                .into_iter()
                .find(|l| l.code() == v)
                .ok_or_else(|| bad("level", v, "federal, state o municipal", "federal, state or municipal"))
        })
        .transpose()?;
    Ok(PracticeFilter { state, theme, form, level })
}

/// The selects of the showcase's filters, the chosen value of each marked.
fn selects(filter: &PracticeFilter, lang: Lang) -> Vec<FilterSelect> {
    let select =
        |name: &'static str, label: &str, any: &str, options: Vec<(String, String)>, chosen: Option<String>| {
            let mut list = vec![Opt::new("", any, false)];
            list.extend(options.into_iter().map(|(v, l)| {
                let on = chosen.as_deref() == Some(v.as_str());
                Opt::new(v, l, on)
            }));
            FilterSelect { name, label: label.to_owned(), options: list }
        };
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut areas: Vec<(String, String)> =
        THEMATIC_AREA.codes.iter().map(|c| (c.code.to_owned(), c.name(lang).to_owned())).collect();
    areas.sort_by_cached_key(|a| fold(&a.1));
    let states = MX_STATE.codes.iter().map(|c| (c.code.to_owned(), c.name(lang).to_owned())).collect();
    let forms = CapacityForm::ALL.iter().map(|f| (f.code().to_owned(), f.label(lang).to_owned())).collect();
    let levels = GOVERNMENT_LEVELS.iter().map(|l| (l.code().to_owned(), l.label(lang).to_owned())).collect();
    vec![
        select(
            "theme",
            l("Área temática", "Thematic area"),
            l("Todas las áreas", "All areas"),
            areas,
            filter.theme.map(|t| t.to_string()),
        ),
        select(
            "state",
            l("Entidad federativa", "State"),
            l("Todas las entidades", "All states"),
            states,
            filter.state.map(|s| s.to_string()),
        ),
        select(
            "form",
            l("Forma de cooperación", "Form of cooperation"),
            l("Todas las formas", "All forms"),
            forms,
            filter.form.map(|f| f.code().to_owned()),
        ),
        select(
            "level",
            l("Orden de gobierno", "Level of government"),
            l("Todos los órdenes", "All levels"),
            levels,
            filter.level.map(|l| l.code().to_owned()),
        ),
    ]
}

fn card(all: &Practices, p: &GoodPractice, lang: Lang) -> PracticeCard {
    let parts = p.parts();
    PracticeCard {
        title: crate::views::with_state(parts.title.best(lang), parts.workflow, lang),
        href: practice_url(parts.key.as_str()),
        who: all.who(p, lang),
        levels: all.levels(p, lang),
        place: all.place(p, lang),
        themes: themes(p, lang),
        forms: forms(p, lang),
        results: short(parts.results.best(lang), 220),
    }
}

/// `GET /practices?q=…&theme=…&state=…&form=…&level=…`
pub(crate) async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Params>,
) -> Result<Html<String>, WebError> {
    let filter = parse(&params)?;
    let st = state.clone();
    state
        .read(move |store, _| {
            let lang = ctx.lang;
            let l = |es: &'static str, en: &'static str| lang.pick(es, en);
            let q = given_words(&params.q).unwrap_or_default().to_owned();
            let all = Practices::load(store, &ctx.viewer, lang)?.narrow(&filter, &q);
            let n = all.practices.len();
            let count = match (lang, n) {
                (Lang::Es, 1) => "1 buena práctica".to_owned(),
                (Lang::En, 1) => "1 good practice".to_owned(),
                (Lang::Es, n) => format!("{n} buenas prácticas"),
                (Lang::En, n) => format!("{n} good practices"),
            };
            let page = PracticesPage {
                c: Chrome::new(&ctx, &st, l("Buenas prácticas", "Good practices"), "practices"),
                lead: l(
                    "Experiencias exitosas de cooperación del gobierno federal, de los estados y de los municipios, con la evidencia de sus resultados: actividades del registro, documentos e indicadores.",
                    "Successful cooperation experiences of the federal government, the states and the municipalities, with the evidence of their results: activities of the registry, documents and indicators.",
                )
                .to_owned(),
                q,
                selects: selects(&filter, lang),
                active: filter != PracticeFilter::default() || given_words(&params.q).is_some(),
                count,
                cards: all.practices.iter().map(|p| card(&all, p, lang)).collect(),
            };
            html(&page)
        })
        .await
}

/// `GET /practices/{key}`
pub(crate) async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
) -> Result<Html<String>, WebError> {
    let st = state.clone();
    state
        .read(move |store, views| {
            let lang = ctx.lang;
            let l = |es: &'static str, en: &'static str| lang.pick(es, en).to_owned();
            let url = practice_url(&key);
            let record = super::subnational_pages::readable(store, &ctx, RecordKind::Practice, &key, &url)?;
            let Record::Practice(practice) = &record else { return Err(WebError::not_found("practice", &key)) };
            let all = Practices::none(store)?;
            let p = practice.parts();
            let mut badges = all.levels(practice, lang);
            badges.extend(p.themes.iter().map(|t| t.entry().name(lang).to_owned()));
            let links = practice
                .states(&all.states)
                .into_iter()
                .map(|s| (s.entry().name(lang).to_owned(), state_url(s)))
                .collect();
            let page = RecordPage {
                c: Chrome::new(&ctx, &st, p.title.best(lang), "practices"),
                back_url: "/practices".to_owned(),
                back_label: l("← Buenas prácticas", "← Good practices"),
                heading: p.title.best(lang).to_owned(),
                edit_url: None,
                badges,
                links,
                workflow: record_panel::<PracticeRecords>(store, &ctx, &record)?,
                sections: vec![
                    about(&all, practice, lang),
                    evidence_activities(practice, views, &ctx),
                    documents(practice, lang),
                    indicators(practice, lang),
                ],
                map: None,
            };
            html(&page)
        })
        .await
}

/// Who, where, when, what was done and with what results.
fn about(all: &Practices, practice: &GoodPractice, lang: Lang) -> Section {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let p = practice.parts();
    let mut s = Section::new("about", l("La práctica", "The practice"));
    let who: Vec<String> = all.who(practice, lang).into_iter().map(|(name, _)| name).collect();
    s.fact(l("Quién la llevó a cabo", "Who carried it out"), who.join("; "));
    s.fact(l("Orden de gobierno", "Level of government"), all.levels(practice, lang).join(", "));
    s.fact(l("Dónde", "Where"), all.place(practice, lang));
    if p.start.is_some() || p.end.is_some() {
        let day = |d: Option<time::Date>| d.map_or_else(|| "…".to_owned(), |d| locale::date(d, lang));
        s.fact(l("Periodo", "Period"), format!("{} – {}", day(p.start), day(p.end)));
    }
    s.fact(l("Áreas temáticas", "Thematic areas"), themes(practice, lang));
    s.fact(l("Formas de cooperación", "Forms of cooperation"), forms(practice, lang));
    if !p.keywords.is_empty() {
        s.fact(l("Palabras clave", "Keywords"), p.keywords.join(", "));
    }
    s.facts.retain(|f| !f.1.is_empty());
    s.paragraph(&format!("{}: {}", l("Qué se hizo", "What was done"), p.summary.best(lang)));
    if !p.results.is_empty() {
        s.paragraph(&format!("{}: {}", l("Resultados", "Results"), p.results.best(lang)));
    }
    s
}

/// The linked activities the viewer may read, each a link to its page.
fn evidence_activities(practice: &GoodPractice, views: &Views, ctx: &Ctx) -> Section {
    let lang = ctx.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("activities", l("Actividades vinculadas", "Linked activities"));
    let mut t = TableView::new(&[(l("Actividad", "Activity"), false), (l("Título", "Title"), false)]);
    for k in practice.parts().activities.iter().filter(|k| readable(views, &ctx.viewer.actor, k.as_str())) {
        let title = views.registry.activity(k.as_str()).map(|a| a.title(lang).to_owned()).unwrap_or_default();
        t.rows.push(vec![Cell::link(k.to_string(), activity_url(k.as_str())), Cell::text(title)]);
    }
    if !t.rows.is_empty() {
        s.table(t);
    }
    s
}

fn documents(practice: &GoodPractice, lang: Lang) -> Section {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("documents", l("Documentos", "Documents"));
    let mut t = TableView::new(&[(l("Documento", "Document"), false), (l("Dirección", "Address"), false)]);
    for d in &practice.parts().documents {
        let title = if d.title.is_empty() { d.url.clone() } else { d.title.best(lang).to_owned() };
        t.rows.push(vec![Cell::link(title, d.url.clone()), Cell::text(d.url.clone())]);
    }
    if !t.rows.is_empty() {
        s.table(t);
    }
    s
}

fn indicators(practice: &GoodPractice, lang: Lang) -> Section {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("indicators", l("Indicadores", "Indicators"));
    let mut t = TableView::new(&[
        (l("Indicador", "Indicator"), false),
        (l("Valor", "Value"), true),
        (l("Unidad", "Unit"), false),
        (l("Año", "Year"), true),
    ]);
    for i in &practice.parts().indicators {
        t.rows.push(vec![
            Cell::text(i.name.best(lang)),
            Cell::num(locale::number(i.value, i.value.scale())),
            Cell::text(i.unit.clone().unwrap_or_default()),
            Cell::num(i.year.map(|y| y.to_string()).unwrap_or_default()),
        ]);
    }
    if !t.rows.is_empty() {
        s.table(t);
    }
    s
}

/// A state's practices, for its profile: each with who carried it out, its thematic areas
/// and the start of its results.
pub(super) fn state_section(
    store: &Store,
    viewer: &Viewer,
    state: MxStateCode,
    lang: Lang,
) -> Result<Section, WebError> {
    let filter = PracticeFilter { state: Some(state), ..PracticeFilter::default() };
    Ok(section(&Practices::load(store, viewer, lang)?.narrow(&filter, ""), lang))
}

/// The section of a municipality's page: the practices that name it as a place, or of its
/// organisations.
pub(super) fn municipality_section(
    store: &Store,
    viewer: &Viewer,
    municipality: MxMunicipalityCode,
    lang: Lang,
) -> Result<Section, WebError> {
    let mut all = Practices::load(store, viewer, lang)?;
    let orgs = &all.orgs;
    let here = |k: &OrgKey| orgs.get(k.as_str()).and_then(|o| o.parts().mx_municipality) == Some(municipality);
    let keep: Vec<bool> = all
        .practices
        .iter()
        .map(|p| p.parts().mx_municipalities.contains(&municipality) || p.parts().organisations.iter().any(here))
        .collect();
    let mut keep = keep.into_iter();
    all.practices.retain(|_| keep.next().unwrap_or(false));
    Ok(section(&all, lang))
}

/// The practices as the table of a profile's section.
fn section(all: &Practices, lang: Lang) -> Section {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("practices", l("Buenas prácticas", "Good practices"));
    let mut t = TableView::new(&[
        (l("Buena práctica", "Good practice"), false),
        (l("Quién la llevó a cabo", "Who carried it out"), false),
        (l("Áreas temáticas", "Thematic areas"), false),
        (l("Resultados", "Results"), false),
    ]);
    for p in &all.practices {
        let parts = p.parts();
        t.rows.push(vec![
            Cell::link(parts.title.best(lang), practice_url(parts.key.as_str())),
            Cell::links(all.who(p, lang)),
            Cell::text(themes(p, lang)),
            Cell::text(short(parts.results.best(lang), 120)),
        ]);
    }
    if !t.rows.is_empty() {
        s.table(t);
    }
    s
}

/// The parameters of `GET /api/v1/practices`: the showcase's.
#[derive(Debug)]
pub(crate) struct ListParameters;

impl Parameters for ListParameters {
    const NAMES: &'static [&'static [&'static str]] = &[&["q", "theme", "state", "form", "level"]];
}

/// `GET /api/v1/practices?q=…&theme=…&state=…&form=…&level=…`
pub(crate) async fn api_list(
    _: Only<ListParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Params>,
) -> Result<Json<PracticeList>, WebError> {
    let filter = parse(&params)?;
    state
        .read(move |store, _| {
            let lang = ctx.lang;
            let all =
                Practices::load(store, &ctx.viewer, lang)?.narrow(&filter, given_words(&params.q).unwrap_or_default());
            let items: Vec<PracticeSummary> = all
                .practices
                .iter()
                .map(|g| {
                    let p = g.parts();
                    PracticeSummary {
                        key: p.key.to_string(),
                        title: p.title.best(lang).to_owned(),
                        organisations: p.organisations.iter().map(|k| k.to_string()).collect(),
                        levels: g.levels(|k| all.org(k)).iter().map(|l| l.code()).collect(),
                        states: g.states(&all.states).iter().map(|s| s.as_str()).collect(),
                        themes: p.themes.iter().map(|t| t.as_str()).collect(),
                        forms: p.forms.iter().map(|f| f.code()).collect(),
                        href: format!("/api/v1{}", practice_url(p.key.as_str())),
                    }
                })
                .collect();
            Ok(Json(PracticeList { total: items.len(), items }))
        })
        .await
}

/// `GET /api/v1/practices/{key}`
pub(crate) async fn api_show(
    _: Only<crate::address::NoParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
) -> Result<Json<PracticeDetail>, WebError> {
    state
        .read(move |store, _| {
            super::subnational_pages::readable(store, &ctx, RecordKind::Practice, &key, "")?;
            Ok(Json(practice_detail(store, &key)?))
        })
        .await
}

/// A practice as the API shows it.
fn practice_detail(store: &Store, key: &str) -> Result<PracticeDetail, WebError> {
    let practice = store.practice(key)?.ok_or_else(|| WebError::not_found("practice", key))?;
    let all = Practices::none(store)?;
    Ok(PracticeDetail {
        key: key.to_owned(),
        version: store.version(RecordKind::Practice, key)?.unwrap_or_default(),
        levels: practice.levels(|k| all.org(k)).iter().map(|l| l.code()).collect(),
        states: practice.states(&all.states).iter().map(|s| s.as_str()).collect(),
        document: PracticeDoc::from_domain(&practice).into(),
        links: Links { html: practice_url(key) },
    })
}

/// Good practices, as the workflow's steps know them.
#[derive(Debug)]
pub(crate) struct PracticeRecords;

impl Stepped for PracticeRecords {
    const KIND: RecordKind = RecordKind::Practice;

    fn url(key: &str) -> String {
        practice_url(key)
    }

    fn detail(store: &Store, key: &str) -> Result<serde_json::Value, WebError> {
        super::catalog_form::json(practice_detail(store, key)?)
    }
}
