//! The catalog of national capacities (Catálogo de Capacidades): the public catalog grouped by
//! thematic area with the share of each (the seed's table), one area, the page of a capacity
//! with the activities that prove it and their partner countries on a map, the printable
//! edition that replaces the PDF catalog, the catalog report, and the API's reads of
//! capacities and of the report. The forms are in `catalog_form`, demands in `demands`.
//!
//! Access: the public reads the catalog of capacities; an editor edits the capacities of its
//! own institution (its scope covers the capacity's `institution`, as it covers the records an
//! organisation reports); analysts and administrators edit every one. The report counts
//! demands, which only signed-in accounts see, so it asks to sign in too.

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use coopera_domain::Lang;
use coopera_domain::access::{self, Action, Reach};
use coopera_domain::activity::{SectorRef, SectorShare};
use coopera_domain::catalog::{Capacity, CapacityParts};
use coopera_domain::codelists::THEMATIC_AREA;
use coopera_domain::doc::CapacityDoc;
use coopera_report::demands::{Cycle, DemandFlow};
use coopera_report::{Measure, UNCLASSIFIED};
use coopera_store::{Record, RecordKind, Store};
use rust_decimal::Decimal;

use super::activities::ShowParams;
use super::catalog_import;
use super::demands::DemandPanel;
use super::record_workflow::record_panel;
use super::{activity_url, area_name, org_url};
use crate::address::{NoParameters, Only};
use crate::api::{
    AreaShare, CapacityDetail, CapacityList, CapacitySummary, CatalogReport, CycleTimes, DemandStateCount, Links,
    Number,
};
use crate::auth::Viewer;
use crate::error::WebError;
use crate::guard;
use crate::locale::{self, Ctx};
use crate::maps::{self, Choropleth};
use crate::selection::{encode, with_query};
use crate::state::{AppState, Views};
use crate::views::{Card, Cell, Chrome, MapBlock, Section, TableView, html};

pub(crate) fn capacity_url(key: &str) -> String {
    format!("/catalog/capacities/{}", encode(key))
}

pub(crate) fn area_url(code: &str) -> String {
    format!("/catalog/areas/{}", encode(code))
}

/// The thematic areas of a record's sectors (DAC codes and categories), each once, in order;
/// the catalog report groups capacities the same way.
pub(crate) fn areas_of(sectors: &[SectorShare]) -> Vec<&'static str> {
    let mut areas = Vec::new();
    for s in sectors {
        if let Some(a) = s.sector.thematic_area().map(|a| a.entry().code)
            && !areas.contains(&a)
        {
            areas.push(a);
        }
    }
    areas
}

/// The area a capacity is listed under: its areas, or "unclassified" when it has none.
fn listed_under(parts: &CapacityParts) -> Vec<&'static str> {
    let areas = areas_of(&parts.sectors);
    if areas.is_empty() { vec![UNCLASSIFIED] } else { areas }
}

fn area_label(code: &str, lang: Lang) -> String {
    if code == UNCLASSIFIED { lang.pick("Sin clasificar", "Unclassified").to_owned() } else { area_name(code, lang) }
}

/// What the access table needs of a capacity: its workflow state, and the scope of its
/// institution — and of its state, when the institution is a state or municipal body.
pub(crate) fn capacity_reach(store: &Store, capacity: &Capacity) -> Result<Reach, WebError> {
    guard::record_reach(store, &coopera_store::Record::Capacity(capacity.clone()))
}

pub(crate) fn forms_text_of(forms: &[coopera_domain::kinds::CapacityForm], lang: Lang) -> String {
    forms.iter().map(|f| f.label(lang)).collect::<Vec<_>>().join(", ")
}

/// A language's name, its first only (`Español`, not `Español; castellano`).
pub(crate) fn language_name(code: &coopera_domain::codelists::Code, lang: Lang) -> &'static str {
    let name = code.name(lang);
    name.split(';').next().unwrap_or(name).trim()
}

pub(crate) fn languages_text(languages: &[coopera_domain::code::LanguageCode], lang: Lang) -> String {
    languages.iter().map(|l| language_name(l.entry(), lang)).collect::<Vec<_>>().join(", ")
}

pub(crate) fn sector_name(s: &SectorRef, lang: Lang) -> String {
    match s {
        SectorRef::Dac(c) => c.entry().name(lang).to_owned(),
        SectorRef::DacCategory(c) => c.entry().name(lang).to_owned(),
        SectorRef::SdgGoal(c) => c.entry().name(lang).to_owned(),
        SectorRef::SdgTarget(c) => c.entry().name(lang).to_owned(),
        SectorRef::Other { .. } => String::new(),
    }
}

/// The sectors of a capacity or demand: code, name, percentage and thematic area.
pub(crate) fn sectors_table(sectors: &[SectorShare], lang: Lang) -> TableView {
    let mut t = TableView::new(&[
        (lang.pick("Código", "Code"), false),
        (lang.pick("Sector", "Sector"), false),
        (lang.pick("Área temática", "Thematic area"), false),
        (lang.pick("Porcentaje", "Percentage"), true),
    ]);
    for s in sectors {
        let area = s.sector.thematic_area().map(|a| a.entry().code);
        t.rows.push(vec![
            Cell::text(s.sector.code()),
            Cell::text(sector_name(&s.sector, lang)),
            match area {
                Some(a) => Cell::link(area_name(a, lang), area_url(a)),
                None => Cell::text("—"),
            },
            Cell::num(locale::percent(s.percent.value(), lang)),
        ]);
    }
    t
}

/// The catalog as the pages show it: every capacity the viewer may read (the published ones,
/// and an account's drafts of its scope), and the report of those capacities by thematic
/// area (counted whole, once in each area a capacity touches).
struct Catalog {
    capacities: Vec<Capacity>,
    report: coopera_report::Report,
}

impl Catalog {
    fn load(store: &Store, viewer: &Viewer, lang: Lang) -> Result<Catalog, WebError> {
        let all = store.capacities()?;
        let mut capacities = guard::readable(store, viewer, all, |c| Record::Capacity(c.clone()))?;
        capacities.sort_by_cached_key(|c| crate::registry::fold(c.parts().title.best(lang)));
        let report = coopera_report::catalog_themes_of(&capacities, Measure::Count, 1)?;
        Ok(Catalog { capacities, report })
    }

    /// The capacities listed under `area`, by title.
    fn in_area(&self, area: &str) -> Vec<&Capacity> {
        self.capacities.iter().filter(|c| listed_under(c.parts()).contains(&area)).collect()
    }

    /// The share of `area` (its count and percentage of all capacities).
    fn share(&self, area: &str) -> (Decimal, Decimal) {
        self.report.rows.iter().find(|r| r.key == area).map_or((Decimal::ZERO, Decimal::ZERO), |r| (r.value, r.share))
    }

    fn count_text(n: usize, lang: Lang) -> String {
        match (lang, n) {
            (Lang::Es, 1) => "1 capacidad".to_owned(),
            (Lang::En, 1) => "1 capacity".to_owned(),
            (Lang::Es, n) => format!("{} capacidades", locale::number(Decimal::from(n as u64), 0)),
            (Lang::En, n) => format!("{} capacities", locale::number(Decimal::from(n as u64), 0)),
        }
    }

    /// The seed's table: each area with its capacities and its share of the catalog.
    fn shares_table(&self, lang: Lang) -> TableView {
        let mut t = TableView::new(&[
            (lang.pick("Área temática", "Thematic area"), false),
            (lang.pick("Capacidades", "Capacities"), true),
            (lang.pick("Participación", "Share"), true),
        ]);
        for r in &self.report.rows {
            t.rows.push(vec![
                Cell::link(r.label(lang), area_url(&r.key)),
                Cell::num(locale::number(r.value, 0)),
                Cell::num(locale::percent(r.share, lang)),
            ]);
        }
        t.footer = Some(vec![
            Cell::text(lang.pick("Capacidades en el catálogo", "Capacities in the catalog")),
            Cell::num(locale::number(self.report.total, 0)),
            Cell::num(String::new()),
        ]);
        t
    }

    fn overlap_note(&self, lang: Lang) -> Option<String> {
        self.report.rows_overlap.then(|| {
            lang.pick(
                "Una capacidad con sectores de varias áreas cuenta una vez en cada una: las participaciones pueden sumar más de 100 %.",
                "A capacity with sectors in several areas counts once in each: the shares may add up to more than 100%.",
            )
            .to_owned()
        })
    }

    /// The section of one area: its share and its capacities.
    fn section(&self, area: &str, views: &Views, lang: Lang) -> AreaSection {
        let caps = self.in_area(area);
        let (_, share) = self.share(area);
        let mut t = TableView::new(&[
            (lang.pick("Capacidad", "Capacity"), false),
            (lang.pick("Institución", "Institution"), false),
            (lang.pick("Formas", "Forms"), false),
            (lang.pick("Idiomas", "Languages"), false),
        ]);
        for c in &caps {
            let p = c.parts();
            t.rows.push(vec![
                Cell::link(
                    crate::views::with_state(p.title.best(lang), p.workflow, lang),
                    capacity_url(p.key.as_str()),
                ),
                Cell::link(views.registry.org_name(p.institution.as_str(), lang), org_url(p.institution.as_str())),
                Cell::text(forms_text_of(&p.forms, lang)),
                Cell::text(languages_text(&p.languages, lang)),
            ]);
        }
        AreaSection {
            id: format!("area-{area}"),
            title: area_label(area, lang),
            href: area_url(area),
            summary: format!("{} · {}", Catalog::count_text(caps.len(), lang), locale::percent(share, lang)),
            table: t,
        }
    }
}

/// An area of the catalog's page.
#[derive(Debug, Clone)]
pub(crate) struct AreaSection {
    pub id: String,
    pub title: String,
    pub href: String,
    pub summary: String,
    pub table: TableView,
}

#[derive(Template)]
#[template(path = "catalog.html")]
pub(crate) struct CatalogPage {
    pub c: Chrome,
    pub heading: String,
    pub lead: String,
    /// On an area's page: back to the whole catalog.
    pub back: Option<(String, String)>,
    pub new_url: Option<String>,
    pub links: Vec<(String, String)>,
    pub shares: Option<TableView>,
    pub note: Option<String>,
    pub sections: Vec<AreaSection>,
}

/// The links of the catalog's pages: the printable edition, for accounts the demands and
/// the report, and for those who may add records the spreadsheet upload and its template.
fn catalog_links(ctx: &Ctx) -> Vec<(String, String)> {
    let lang = ctx.lang;
    let mut links = vec![(
        lang.pick("Edición para imprimir", "Printable edition").to_owned(),
        with_query("/catalog/print", &[("lang", lang.code().to_owned())]),
    )];
    if ctx.viewer.actor.is_signed_in() {
        links.push((
            lang.pick("Solicitudes de los socios", "Partners' demands").to_owned(),
            "/catalog/demands".to_owned(),
        ));
        links.push((lang.pick("Informe del catálogo", "Catalog report").to_owned(), "/catalog/report".to_owned()));
    }
    if guard::may_create(&ctx.viewer, catalog_import::IMPORT).is_ok() {
        links.extend(catalog_import::links(lang));
    }
    links.push(("JSON (API)".to_owned(), "/api/v1/catalog/capacities".to_owned()));
    links
}

/// `GET /catalog`: the public catalog, by thematic area.
pub(crate) async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let st = state.clone();
    state
        .read(move |store, views| {
            let lang = ctx.lang;
            let catalog = Catalog::load(store, &ctx.viewer, lang)?;
            let sections = catalog.report.rows.iter().map(|r| catalog.section(&r.key, views, lang)).collect();
            let heading = lang.pick("Catálogo de capacidades", "Catalog of capacities");
            let page = CatalogPage {
                c: Chrome::new(&ctx, &st, heading, "catalog"),
                heading: heading.to_owned(),
                lead: format!(
                    "{} {}",
                    lang.pick(
                        "Lo que las instituciones mexicanas pueden ofrecer a sus socios, por área temática (grupos de sectores del CAD de la OCDE):",
                        "What Mexican institutions can offer their partners, by thematic area (groups of OECD DAC sectors):",
                    ),
                    Catalog::count_text(catalog.capacities.len(), lang)
                ),
                back: None,
                new_url: guard::may_create(&ctx.viewer, "/catalog/capacities/new")
                    .is_ok()
                    .then(|| "/catalog/capacities/new".to_owned()),
                links: catalog_links(&ctx),
                shares: Some(catalog.shares_table(lang)),
                note: catalog.overlap_note(lang),
                sections,
            };
            html(&page)
        })
        .await
}

/// `GET /catalog/areas/{code}`: the capacities of one thematic area.
pub(crate) async fn area(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Html<String>, WebError> {
    if code != UNCLASSIFIED && THEMATIC_AREA.get(&code).is_none() {
        return Err(WebError::not_found("page", &area_url(&code)));
    }
    let st = state.clone();
    state
        .read(move |store, views| {
            let lang = ctx.lang;
            let catalog = Catalog::load(store, &ctx.viewer, lang)?;
            let section = catalog.section(&code, views, lang);
            let heading = area_label(&code, lang);
            let (count, share) = catalog.share(&code);
            let lead = match lang {
                Lang::Es => format!(
                    "{} capacidades de {} en el catálogo ({}).",
                    locale::number(count, 0),
                    locale::number(catalog.report.total, 0),
                    locale::percent(share, lang)
                ),
                Lang::En => format!(
                    "{} of the catalog's {} capacities ({}).",
                    locale::number(count, 0),
                    locale::number(catalog.report.total, 0),
                    locale::percent(share, lang)
                ),
            };
            let page = CatalogPage {
                c: Chrome::new(&ctx, &st, heading.clone(), "catalog"),
                heading,
                lead,
                back: Some(("/catalog".to_owned(), lang.pick("← Catálogo", "← Catalog").to_owned())),
                new_url: None,
                links: catalog_links(&ctx),
                shares: None,
                note: None,
                sections: vec![section],
            };
            html(&page)
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// One capacity

#[derive(Template)]
#[template(path = "catalog_record.html")]
pub(crate) struct CatalogRecordPage {
    pub c: Chrome,
    pub back_url: String,
    pub back_label: String,
    pub heading: String,
    pub edit_url: Option<String>,
    pub badges: Vec<String>,
    pub links: Vec<(String, String)>,
    pub panel: Option<DemandPanel>,
    /// A capacity's validation workflow, for signed-in viewers.
    pub workflow: Option<crate::views::WorkflowPanel>,
    pub sections: Vec<Section>,
    pub map: Option<MapBlock>,
    /// A demand's: the address that shows the capacities proposed for it.
    pub match_url: Option<String>,
    /// A demand's, when asked: the capacities proposed for it.
    pub matching: Option<super::demands::MatchPanel>,
}

/// The activities that prove a capacity and that this viewer may read (an unpublished one of
/// another scope is not shown), as a table and a map of their partner countries.
fn evidence(parts: &CapacityParts, ctx: &Ctx, views: &Views) -> (Section, Option<MapBlock>) {
    let lang = ctx.lang;
    let mut s = Section::new("evidence", lang.pick("Actividades que la demuestran", "Activities that prove it"));
    let mut t = TableView::new(&[
        (lang.pick("Actividad", "Activity"), false),
        (lang.pick("Años", "Years"), false),
        (lang.pick("Países socios", "Partner countries"), false),
    ]);
    let mut countries: HashMap<String, Decimal> = HashMap::new();
    for key in &parts.evidence {
        let Some(r) = views.registry.activity(key.as_str()) else { continue };
        let readable = r
            .position
            .and_then(|i| views.snapshot.reach(i))
            .is_some_and(|reach| access::decide(&ctx.viewer.actor, &Action::Read, &reach).is_ok());
        if !readable {
            continue;
        }
        for c in &r.partner_countries {
            let n = countries.entry(c.as_str().to_owned()).or_default();
            *n = n.saturating_add(Decimal::ONE);
        }
        let years = match (r.start.map(|d| d.year()), r.end.map(|d| d.year())) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) | (None, Some(a)) => a.to_string(),
            (None, None) => "—".to_owned(),
        };
        let names: Vec<&str> = r.partner_countries.iter().map(|c| c.entry().name(lang)).collect();
        t.rows.push(vec![
            Cell::link(r.title(lang), activity_url(&r.key)),
            Cell::text(years),
            Cell::text(names.join(", ")),
        ]);
    }
    s.table(t);
    if countries.is_empty() {
        return (s, None);
    }
    let title = lang.pick("Países socios de esas actividades", "Partner countries of those activities");
    let format = |v: Decimal| match (lang, v == Decimal::ONE) {
        (Lang::Es, true) => "1 actividad".to_owned(),
        (Lang::En, true) => "1 activity".to_owned(),
        (Lang::Es, false) => format!("{} actividades", locale::number(v, 0)),
        (Lang::En, false) => format!("{} activities", locale::number(v, 0)),
    };
    let short = |v: Decimal| locale::number(v, 0);
    let href = |key: &str| with_query("/activities", &[("partner_country", key.to_owned())]);
    let map = Choropleth {
        id: "evidence-map",
        title,
        values: &countries,
        format: &format,
        short: &short,
        href: &href,
        no_data: lang.pick("sin actividades", "no activities"),
        legend: lang.pick("Actividades", "Activities"),
    };
    let block = MapBlock {
        title: title.to_owned(),
        svg: maps::render(maps::world(), &map),
        note: lang
            .pick(
                "Cada país lleva a las actividades con ese socio.",
                "Each country leads to the activities with that partner.",
            )
            .to_owned(),
    };
    (s, Some(block))
}

/// The facts of a capacity: who offers it, in which areas, forms and languages, and whom to
/// contact.
fn capacity_sections(parts: &CapacityParts, views: &Views, lang: Lang) -> Vec<Section> {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("offer", l("Oferta", "Offer"));
    s.fact_link(
        l("Institución", "Institution"),
        views.registry.org_name(parts.institution.as_str(), lang),
        org_url(parts.institution.as_str()),
    );
    s.fact(l("Clave", "Key"), parts.key.as_str());
    for a in areas_of(&parts.sectors) {
        s.fact_link(l("Área temática", "Thematic area"), area_name(a, lang), area_url(a));
    }
    s.fact(l("Formas", "Forms"), forms_text_of(&parts.forms, lang));
    s.fact(l("Idiomas", "Languages"), languages_text(&parts.languages, lang));
    s.paragraph(parts.description.best(lang));
    let mut sectors = Section::new("sectors", l("Sectores", "Sectors"));
    sectors.table(sectors_table(&parts.sectors, lang));
    let mut contact = Section::new("contact", l("Contacto", "Contact"));
    contact.fact(l("Nombre", "Name"), parts.contact.name.clone().unwrap_or_default());
    if let Some(e) = &parts.contact.email {
        contact.fact_link(l("Correo", "E-mail"), e.clone(), format!("mailto:{e}"));
    }
    contact.fact(l("Teléfono", "Phone"), parts.contact.phone.clone().unwrap_or_default());
    vec![s, sectors, contact]
}

/// The demands in which a capacity was proposed, for signed-in accounts.
fn proposed_in(store: &Store, key: &str, lang: Lang) -> Result<Section, WebError> {
    let mut s = Section::new("demands", lang.pick("Solicitudes en que se propuso", "Demands it was proposed for"));
    let mut t = TableView::new(&[(lang.pick("Solicitud", "Demand"), false), (lang.pick("Estado", "State"), false)]);
    for d in store.demands()? {
        let p = d.parts();
        if p.proposed.iter().any(|k| k.as_str() == key) {
            t.rows.push(vec![
                Cell::link(p.title.best(lang), super::demands::demand_url(p.key.as_str())),
                Cell::text(p.state.label(lang)),
            ]);
        }
    }
    s.table(t);
    Ok(s)
}

/// `GET /catalog/capacities/{key}`
pub(crate) async fn capacity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    Query(flash): Query<ShowParams>,
) -> Result<Html<String>, WebError> {
    let st = state.clone();
    state
        .read(move |store, views| {
            let cap = store.capacity(&key)?.ok_or_else(|| WebError::not_found("capacity", &key))?;
            let reach = capacity_reach(store, &cap)?;
            let url = capacity_url(&key);
            guard::allow(&ctx.viewer, Action::Read, &reach, ("capacity", &key), &url)?;
            let lang = ctx.lang;
            let p = cap.parts();
            let mut sections = capacity_sections(p, views, lang);
            let (proof, map) = evidence(p, &ctx, views);
            sections.push(proof);
            if ctx.viewer.actor.is_signed_in() {
                let demands = proposed_in(store, &key, lang)?;
                if !demands.is_empty() {
                    sections.push(demands);
                }
            }
            let mut chrome = Chrome::new(&ctx, &st, p.title.best(lang), "catalog");
            if flash.saved.is_some() {
                chrome.notice = Some(lang.pick("Capacidad guardada.", "Capacity saved.").to_owned());
            }
            let may_edit = guard::allow(&ctx.viewer, Action::Edit, &reach, ("capacity", &key), "/").is_ok();
            let page = CatalogRecordPage {
                c: chrome,
                back_url: "/catalog".to_owned(),
                back_label: lang.pick("← Catálogo", "← Catalog").to_owned(),
                heading: p.title.best(lang).to_owned(),
                edit_url: may_edit.then(|| format!("{url}/edit")),
                badges: areas_of(&p.sectors).into_iter().map(|a| area_name(a, lang)).collect(),
                links: vec![("JSON (API)".to_owned(), format!("/api/v1{url}"))],
                panel: None,
                workflow: record_panel::<super::catalog_form::Capacities>(store, &ctx, &Record::Capacity(cap.clone()))?,
                sections,
                map,
                match_url: None,
                matching: None,
            };
            html(&page)
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// The printable edition

/// A capacity as the printed catalog shows it.
#[derive(Debug, Clone)]
pub(crate) struct PrintCapacity {
    pub id: String,
    pub title: String,
    pub institution: String,
    pub description: String,
    /// (label, value), those with a value only.
    pub facts: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub(crate) struct PrintArea {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub capacities: Vec<PrintCapacity>,
}

#[derive(Template)]
#[template(path = "catalog_print.html")]
pub(crate) struct CatalogPrintPage {
    pub c: Chrome,
    pub heading: String,
    pub subtitle: String,
    pub edition: String,
    pub note: Option<String>,
    pub areas: Vec<PrintArea>,
}

fn print_capacity(c: &Capacity, area: &str, views: &Views, lang: Lang) -> PrintCapacity {
    let p = c.parts();
    let l = |es: &'static str, en: &'static str| lang.pick(es, en).to_owned();
    let mut facts = vec![
        (l("Formas", "Forms"), forms_text_of(&p.forms, lang)),
        (l("Idiomas", "Languages"), languages_text(&p.languages, lang)),
        (l("Contacto", "Contact"), p.contact.name.clone().unwrap_or_default()),
        (l("Correo", "E-mail"), p.contact.email.clone().unwrap_or_default()),
        (l("Teléfono", "Phone"), p.contact.phone.clone().unwrap_or_default()),
    ];
    facts.retain(|(_, v)| !v.is_empty());
    PrintCapacity {
        id: format!("cap-{area}-{}", p.key),
        title: p.title.best(lang).to_owned(),
        institution: views.registry.org_name(p.institution.as_str(), lang).to_owned(),
        description: p.description.best(lang).to_owned(),
        facts,
    }
}

/// `GET /catalog/print`: the catalog as a printable edition — a cover, the contents, then one
/// section per thematic area (a page each when printed) with every capacity in full. It is
/// the published edition whoever prints it: the capacities the public reads.
pub(crate) async fn print(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let st = state.clone();
    state
        .read(move |store, views| {
            let lang = ctx.lang;
            let public = Viewer::public(ctx.viewer.address.clone());
            let catalog = Catalog::load(store, &public, lang)?;
            let areas = catalog
                .report
                .rows
                .iter()
                .map(|r| {
                    let caps = catalog.in_area(&r.key);
                    PrintArea {
                        id: format!("area-{}", r.key),
                        title: r.label(lang).to_owned(),
                        summary: format!(
                            "{} · {}",
                            Catalog::count_text(caps.len(), lang),
                            locale::percent(r.share, lang)
                        ),
                        capacities: caps.iter().map(|c| print_capacity(c, &r.key, views, lang)).collect(),
                    }
                })
                .collect();
            let heading = lang.pick("Catálogo de Capacidades de México", "Catalog of Mexico's Capacities");
            let today = time::OffsetDateTime::now_utc().date();
            let page = CatalogPrintPage {
                c: Chrome::new(&ctx, &st, heading, "catalog"),
                heading: heading.to_owned(),
                subtitle: lang
                    .pick(
                        "Lo que las instituciones mexicanas ofrecen a sus socios de la cooperación internacional para el desarrollo",
                        "What Mexican institutions offer their partners in international development cooperation",
                    )
                    .to_owned(),
                edition: format!(
                    "{} · {} {}",
                    Catalog::count_text(catalog.capacities.len(), lang),
                    lang.pick("edición del", "edition of"),
                    locale::date(today, lang)
                ),
                note: catalog.overlap_note(lang),
                areas,
            };
            html(&page)
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// The report

#[derive(Template)]
#[template(path = "catalog_report.html")]
pub(crate) struct CatalogReportPage {
    pub c: Chrome,
    pub cards: Vec<Card>,
    pub states: TableView,
    pub cycles: TableView,
    pub areas: TableView,
    pub note: Option<String>,
    pub links: Vec<(String, String)>,
}

fn days(d: Option<Decimal>, lang: Lang) -> String {
    d.map_or_else(|| "—".to_owned(), |d| format!("{} {}", locale::number(d, 1), lang.pick("días", "days")))
}

fn report_tables(flow: &DemandFlow, lang: Lang) -> (TableView, TableView) {
    let mut states =
        TableView::new(&[(lang.pick("Estado", "State"), false), (lang.pick("Solicitudes", "Demands"), true)]);
    for s in &flow.by_state {
        states.rows.push(vec![
            Cell::link(
                lang.pick(s.label_es, s.label_en),
                with_query("/catalog/demands", &[("state", s.state.to_owned())]),
            ),
            Cell::num(s.demands.to_string()),
        ]);
    }
    states.footer = Some(vec![Cell::text(lang.pick("Total", "Total")), Cell::num(flow.demands.to_string())]);
    let mut cycles = TableView::new(&[
        (lang.pick("Desde la recepción hasta", "From reception to"), false),
        (lang.pick("Solicitudes", "Demands"), true),
        (lang.pick("Mediana", "Median"), true),
        (lang.pick("Media", "Mean"), true),
    ]);
    for (label, c) in [
        (lang.pick("la respuesta", "the answer"), &flow.to_answer),
        (lang.pick("el acuerdo", "agreement"), &flow.to_agreement),
    ] {
        cycles.rows.push(vec![
            Cell::text(label),
            Cell::num(c.demands.to_string()),
            Cell::num(days(c.median_days, lang)),
            Cell::num(days(c.mean_days, lang)),
        ]);
    }
    (states, cycles)
}

/// `GET /catalog/report`: how demands move through their workflow, and the capacities by area.
pub(crate) async fn report(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    ctx.viewer.require("/catalog/report")?;
    let st = state.clone();
    state
        .read(move |store, _| {
            let lang = ctx.lang;
            let flow = coopera_report::demands::demand_flow(store)?;
            let catalog = Catalog::load(store, &ctx.viewer, lang)?;
            let share = flow.answered_share.map_or_else(|| "—".to_owned(), |s| locale::percent(s, lang));
            let card = |label: &str, value: String, note: Option<String>| Card { label: label.to_owned(), value, note };
            let cards = vec![
                card(lang.pick("Solicitudes", "Demands"), flow.demands.to_string(), None),
                card(
                    lang.pick("Respondidas", "Answered"),
                    share,
                    Some(format!(
                        "{} {}",
                        flow.answered,
                        lang.pick("con capacidades propuestas", "with capacities proposed")
                    )),
                ),
                card(
                    lang.pick("Días hasta la respuesta (mediana)", "Days to answer (median)"),
                    days(flow.to_answer.median_days, lang),
                    Some(format!("{}: {}", lang.pick("media", "mean"), days(flow.to_answer.mean_days, lang))),
                ),
                card(
                    lang.pick("Días hasta el acuerdo (mediana)", "Days to agreement (median)"),
                    days(flow.to_agreement.median_days, lang),
                    Some(format!("{}: {}", lang.pick("media", "mean"), days(flow.to_agreement.mean_days, lang))),
                ),
                card(lang.pick("Capacidades", "Capacities"), catalog.capacities.len().to_string(), None),
            ];
            let (states, cycles) = report_tables(&flow, lang);
            let page = CatalogReportPage {
                c: Chrome::new(&ctx, &st, lang.pick("Informe del catálogo", "Catalog report"), "catalog"),
                cards,
                states,
                cycles,
                areas: catalog.shares_table(lang),
                note: catalog.overlap_note(lang),
                links: vec![
                    (lang.pick("Solicitudes", "Demands").to_owned(), "/catalog/demands".to_owned()),
                    ("JSON (API)".to_owned(), "/api/v1/catalog/report".to_owned()),
                ],
            };
            html(&page)
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// The API's reads

/// A capacity as the API shows it.
pub(crate) fn capacity_detail(store: &Store, key: &str) -> Result<CapacityDetail, WebError> {
    let cap = store.capacity(key)?.ok_or_else(|| WebError::not_found("capacity", key))?;
    Ok(CapacityDetail {
        key: key.to_owned(),
        version: store.version(RecordKind::Capacity, key)?.unwrap_or_default(),
        areas: areas_of(&cap.parts().sectors),
        document: CapacityDoc::from_domain(&cap).into(),
        links: Links { html: capacity_url(key) },
    })
}

/// `GET /api/v1/catalog/capacities`
pub(crate) async fn api_list(
    _: Only<NoParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<CapacityList>, WebError> {
    state
        .read(move |store, views| {
            let lang = ctx.lang;
            let all = store.capacities()?;
            let mut capacities = guard::readable(store, &ctx.viewer, all, |c| Record::Capacity(c.clone()))?;
            capacities.sort_by(|a, b| a.parts().key.cmp(&b.parts().key));
            let items: Vec<CapacitySummary> = capacities
                .iter()
                .map(|c| {
                    let p = c.parts();
                    CapacitySummary {
                        key: p.key.to_string(),
                        title: p.title.best(lang).to_owned(),
                        institution: p.institution.to_string(),
                        institution_name: views.registry.org_name(p.institution.as_str(), lang).to_owned(),
                        areas: areas_of(&p.sectors),
                        forms: p.forms.iter().map(|f| f.code()).collect(),
                        languages: p.languages.iter().map(|l| l.to_string()).collect(),
                        href: format!("/api/v1{}", capacity_url(p.key.as_str())),
                    }
                })
                .collect();
            Ok(Json(CapacityList { total: items.len(), items }))
        })
        .await
}

/// `GET /api/v1/catalog/capacities/{key}`
pub(crate) async fn api_show(
    _: Only<NoParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
) -> Result<Json<CapacityDetail>, WebError> {
    state
        .read(move |store, _| {
            super::subnational_pages::readable(store, &ctx, RecordKind::Capacity, &key, "")?;
            Ok(Json(capacity_detail(store, &key)?))
        })
        .await
}

fn cycle(c: &Cycle) -> CycleTimes {
    CycleTimes { demands: c.demands, median_days: c.median_days.map(Number), mean_days: c.mean_days.map(Number) }
}

/// `GET /api/v1/catalog/report` (for signed-in accounts: it counts demands).
pub(crate) async fn api_report(
    _: Only<NoParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<CatalogReport>, WebError> {
    ctx.viewer.require("")?;
    state
        .read(move |store, _| {
            let lang = ctx.lang;
            let flow = coopera_report::demands::demand_flow(store)?;
            let themes = coopera_report::catalog_themes(store, Measure::Count, 1)?;
            Ok(Json(CatalogReport {
                demands: flow.demands,
                by_state: flow
                    .by_state
                    .iter()
                    .map(|s| DemandStateCount {
                        state: s.state,
                        label: lang.pick(s.label_es, s.label_en),
                        demands: s.demands,
                    })
                    .collect(),
                answered: flow.answered,
                answered_share: flow.answered_share.map(Number),
                to_answer: cycle(&flow.to_answer),
                to_agreement: cycle(&flow.to_agreement),
                capacities: themes.activities,
                areas: themes
                    .rows
                    .iter()
                    .map(|r| AreaShare {
                        area: r.key.clone(),
                        label: r.label(lang).to_owned(),
                        capacities: Number(r.value),
                        share: Number(r.share),
                    })
                    .collect(),
                areas_overlap: themes.rows_overlap,
            }))
        })
        .await
}
