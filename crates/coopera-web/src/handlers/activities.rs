//! Activities: the list (filters, search, order, pages), the page of one activity with every
//! facet and its history, the downloads of a selection (CSV, XLSX, IATI XML) and the API.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use coopera_domain::Lang;
use coopera_domain::access::Action;
use coopera_domain::activity::{ActivityParts, ResultLevel, Sdg, SectorRef, TransactionParty};
use coopera_domain::codelists::{COUNTRY, REGION};
use coopera_report::PerActivity;
use coopera_report::partner::{MULTILATERAL, PartnerPlace};
use coopera_store::{Change, HistoryFilter, RecordKind, StoredActivity};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

use super::{BarExtras, activity_url, area_name, filter_bar, org_url, state_name, status_name};
use crate::address::{NoParameters, Only, Parameters};
use crate::api::{ActivityDetail, ActivityList, ActivitySummary, Number};
use crate::downloads::{self, csv_line};
use crate::error::WebError;
use crate::guard;
use crate::locale::{self, Ctx};
use crate::registry::ActivityRow;
use crate::selection::{MeasureChoice, Paging, Params, Selection, parse_sort, with_query};
use crate::state::{AppState, Views};
use crate::views::{ActivitiesPage, Cell, Chrome, Pager, RecordPage, Section, TableView, html};

const PER_PAGE: usize = 25;

fn years(r: &ActivityRow) -> String {
    match (r.start.map(|d| d.year()), r.end.map(|d| d.year())) {
        (Some(s), Some(e)) if s != e => format!("{s}–{e}"),
        (Some(s), _) => s.to_string(),
        (None, Some(e)) => format!("–{e}"),
        (None, None) => "—".to_owned(),
    }
}

fn count_text(n: usize, lang: Lang) -> String {
    let num = locale::number(Decimal::from(n as u64), 0);
    match (lang, n) {
        (Lang::Es, 1) => "1 actividad".to_owned(),
        (Lang::Es, _) => format!("{num} actividades"),
        (Lang::En, 1) => "1 activity".to_owned(),
        (Lang::En, _) => format!("{num} activities"),
    }
}

/// The activities of a selection and the value each adds to its figures, as the report
/// engine counts them.
fn members(views: &Views, sel: &Selection, value: MeasureChoice) -> Result<Arc<PerActivity>, WebError> {
    sel.check(&views.registry)?;
    Ok(views.members(&sel.list_query(value))?)
}

/// The value of an activity in a list (0 for one the figures do not count).
fn value_of(r: &ActivityRow, members: &PerActivity) -> Decimal {
    r.position.and_then(|p| members.value(p)).unwrap_or_default()
}

/// "Valor total (USD)"
fn value_heading(value: MeasureChoice, lang: Lang) -> String {
    format!("{} ({})", value.measure.label(lang), value.currency.code())
}

/// The names of an activity's partners' places: countries, regions, international
/// organisations.
fn partner_names(r: &ActivityRow, lang: Lang) -> Vec<String> {
    r.partner_places
        .iter()
        .map(|p| match p {
            PartnerPlace::Country(c) => COUNTRY.get(c.as_str()).map_or(c.as_str(), |x| x.name(lang)).to_owned(),
            PartnerPlace::Region(g) => REGION.get(g.as_str()).map_or(g.as_str(), |x| x.name(lang)).to_owned(),
            PartnerPlace::Multilateral => {
                lang.pick("Organismos multilaterales", "Multilateral organisations").to_owned()
            }
        })
        .collect()
}

/// The codes of an activity's partners' places: ISO countries, IATI regions, `multilateral`.
fn partner_codes(r: &ActivityRow) -> Vec<&str> {
    r.partner_places
        .iter()
        .map(|p| match p {
            PartnerPlace::Country(c) => c.as_str(),
            PartnerPlace::Region(g) => g.as_str(),
            PartnerPlace::Multilateral => MULTILATERAL,
        })
        .collect()
}

/// `GET /activities`
pub(crate) async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Params>,
) -> Result<Html<String>, WebError> {
    let sel = Selection::parse(&params, &ctx.viewer)?;
    let sort = parse_sort(&params)?;
    let paging = Paging::parse(&params, PER_PAGE)?;
    let value = MeasureChoice::parse_value(&params)?;
    let st = state.clone();
    state
        .compute(move |views| {
            let lang = ctx.lang;
            let members = members(views, &sel, value)?;
            let found = views.registry.find(sel.keep(&members), sort, lang);
            let total = found.len();
            let mut pairs = sel.pairs();
            pairs.extend(value.list_pairs());
            if sort != crate::registry::Sort::default() {
                pairs.push(("sort", sort.code().to_owned()));
            }
            let mut api = sel.pairs();
            if !value.list_pairs().is_empty() {
                api.extend(value.api_pairs());
            }
            if sort != crate::registry::Sort::default() {
                api.push(("sort", sort.code().to_owned()));
            }
            let value_head = value_heading(value, lang);
            let mut table = TableView::new(&[
                (lang.pick("Identificador", "Identifier"), false),
                (lang.pick("Título", "Title"), false),
                (lang.pick("Reporta", "Reported by"), false),
                (lang.pick("Países socios", "Partner countries"), false),
                (&value_head, true),
                (lang.pick("Modalidad", "Modality"), false),
                (lang.pick("Dirección", "Direction"), false),
                (lang.pick("Años", "Years"), false),
                (lang.pick("Estado", "Status"), false),
            ]);
            for r in &found[paging.range(total)] {
                let url = activity_url(&r.key);
                table.rows.push(vec![
                    Cell::link(&r.key, &url),
                    Cell::link(r.title(lang), &url),
                    Cell::link(views.registry.org_short(&r.reporting_org, lang), org_url(&r.reporting_org)),
                    Cell::text(partner_names(r, lang).join(", ")),
                    Cell::num(locale::number(value_of(r, &members), 0)),
                    Cell::text(r.modality.label(lang)),
                    Cell::text(r.direction.map(|d| d.label(lang)).unwrap_or("—")),
                    Cell::text(years(r)),
                    Cell::text(status_name(&r.status, lang)),
                ]);
            }
            let pages = paging.pages(total);
            let page_url = |page: usize| {
                let mut p = pairs.clone();
                if page > 1 {
                    p.push(("page", page.to_string()));
                }
                with_query("/activities", &p)
            };
            let pager = Pager {
                pages,
                text: match lang {
                    Lang::Es => format!("Página {} de {pages}", paging.page),
                    Lang::En => format!("Page {} of {pages}", paging.page),
                },
                prev: (paging.page > 1).then(|| page_url(paging.page.min(pages.saturating_add(1)).saturating_sub(1))),
                next: (paging.page < pages).then(|| page_url(paging.page.saturating_add(1))),
            };
            let mut count = count_text(total, lang);
            if pages > 1 {
                count.push_str(&format!(" · {}", pager.text.to_lowercase()));
            }
            let page = ActivitiesPage {
                c: Chrome::new(&ctx, &st, lang.pick("Actividades", "Activities"), "activities"),
                f: filter_bar(lang, views, &sel, "/activities", BarExtras::List { sort, value }),
                count_text: count,
                csv: with_query("/activities.csv", &pairs),
                xlsx: with_query("/activities.xlsx", &pairs),
                iati: with_query("/activities.xml", &pairs),
                json: with_query("/api/v1/activities", &api),
                value_note: value_note(&sel, value, lang),
                table,
                pager,
            };
            html(&page)
        })
        .await
}

/// What the amounts of a list are, said under it when the selection narrows them.
fn value_note(sel: &Selection, value: MeasureChoice, lang: Lang) -> Option<String> {
    let filters = sel.filters();
    let narrowed = filters.years.is_some()
        || filters.values.iter().any(|(d, _)| {
            !matches!(
                d,
                coopera_report::Dimension::Direction
                    | coopera_report::Dimension::Modality
                    | coopera_report::Dimension::Instrument
                    | coopera_report::Dimension::CooperationType
                    | coopera_report::Dimension::Status
            )
        });
    narrowed.then(|| {
        let what = value_heading(value, lang);
        match lang {
            Lang::Es => format!(
                "{what}: la parte de cada actividad que cuentan las cifras de esta selección (los flujos del año elegido, la parte en los países, regiones, sectores o socios elegidos); los importes suman el total del panel."
            ),
            Lang::En => format!(
                "{what}: the part of each activity the figures of this selection count (the flows of the year chosen, the part in the countries, regions, sectors or partners chosen); the amounts add up to the dashboard's total."
            ),
        }
    })
}

/// The CSV column of a list's value: `total_usd`, `in_kind_mxn`…
fn value_column(value: MeasureChoice) -> String {
    format!("{}_{}", value.measure.code().replace('-', "_"), value.currency.code().to_lowercase())
}

fn csv_row(r: &ActivityRow, views: &Views, members: &PerActivity, lang: Lang) -> String {
    let date = |d: Option<time::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let list = |v: Vec<String>| v.join(" ");
    csv_line(&[
        &r.key,
        r.title(lang),
        &r.reporting_org,
        views.registry.org_name(&r.reporting_org, lang),
        r.modality.code(),
        r.direction.map(|d| d.code()).unwrap_or(""),
        &r.status,
        &date(r.start),
        &date(r.end),
        &list(r.areas.iter().map(|s| (*s).to_owned()).collect()),
        &list(r.countries.iter().map(|c| c.as_str().to_owned()).collect()),
        &list(r.states.iter().map(|s| (*s).to_owned()).collect()),
        &partner_codes(r).join(" "),
        &partner_names(r, lang).join("; "),
        &value_of(r, members).round_dp(4).normalize().to_string(),
    ])
}

const CSV_HEADER: [&str; 14] = [
    "id",
    "title",
    "reporting_org",
    "reporting_org_name",
    "modality",
    "direction",
    "status",
    "start",
    "end",
    "sector_groups",
    "countries",
    "mx_states",
    "partner_countries",
    "partner_country_names",
];

/// `GET /activities.csv`: the selection, one line per activity.
pub(crate) async fn download_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Params>,
) -> Result<Response, WebError> {
    let sel = Selection::parse(&params, &ctx.viewer)?;
    crate::guard::note_export(&state, &ctx, &sel).await?;
    let sort = parse_sort(&params)?;
    let value = MeasureChoice::parse_value(&params)?;
    let views = state.views();
    let members = members(&views, &sel, value)?;
    Ok(downloads::streamed(downloads::CSV, "coopera-actividades.csv", move |out: &mut dyn Write| {
        let column = value_column(value);
        let mut header: Vec<&str> = CSV_HEADER.to_vec();
        header.push(&column);
        out.write_all(csv_line(&header).as_bytes())?;
        for r in views.registry.find(sel.keep(&members), sort, ctx.lang) {
            out.write_all(csv_row(r, &views, &members, ctx.lang).as_bytes())?;
        }
        Ok(())
    }))
}

/// `GET /activities.xlsx`
pub(crate) async fn download_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Params>,
) -> Result<Response, WebError> {
    let sel = Selection::parse(&params, &ctx.viewer)?;
    crate::guard::note_export(&state, &ctx, &sel).await?;
    let sort = parse_sort(&params)?;
    let value = MeasureChoice::parse_value(&params)?;
    state
        .compute(move |views| {
            let lang = ctx.lang;
            let members = members(views, &sel, value)?;
            let rows = views.registry.find(sel.keep(&members), sort, lang);
            let list = XlsxList { rows: &rows, members: &members, value };
            let bytes = activities_xlsx(&list, views, lang).map_err(|e| WebError::internal(e.to_string()))?;
            Ok(downloads::attachment(bytes, downloads::XLSX, "coopera-actividades.xlsx"))
        })
        .await
}

/// What a list's workbook holds.
struct XlsxList<'a> {
    rows: &'a [&'a ActivityRow],
    members: &'a PerActivity,
    value: MeasureChoice,
}

fn activities_xlsx(list: &XlsxList<'_>, views: &Views, lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let rows = list.rows;
    let value_head = value_heading(list.value, lang);
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(lang.pick("Actividades", "Activities"))?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let headings = [
        lang.pick("Identificador", "Identifier"),
        lang.pick("Título", "Title"),
        lang.pick("Reporta", "Reported by"),
        lang.pick("Modalidad", "Modality"),
        lang.pick("Dirección", "Direction"),
        lang.pick("Estado", "Status"),
        lang.pick("Inicio", "Start"),
        lang.pick("Fin", "End"),
        lang.pick("Áreas temáticas", "Thematic areas"),
        lang.pick("Países", "Countries"),
        lang.pick("Entidades", "Mexican states"),
        lang.pick("Países socios", "Partner countries"),
        &value_head,
    ];
    for (c, h) in headings.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1);
        let date = |d: Option<time::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let cells = [
            r.key.clone(),
            r.title(lang).to_owned(),
            views.registry.org_name(&r.reporting_org, lang).to_owned(),
            r.modality.label(lang).to_owned(),
            r.direction.map(|d| d.label(lang)).unwrap_or("").to_owned(),
            status_name(&r.status, lang),
            date(r.start),
            date(r.end),
            r.areas.iter().map(|a| area_name(a, lang)).collect::<Vec<_>>().join("; "),
            r.countries.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(" "),
            r.states.iter().map(|s| state_name(s)).collect::<Vec<_>>().join("; "),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(row, c as u16, v)?;
        }
        let next = cells.len() as u16;
        ws.write_string(row, next, partner_names(r, lang).join("; "))?;
        // Spreadsheet cells are the one place a float is allowed: they are read, not summed here.
        let amount = rust_decimal::prelude::ToPrimitive::to_f64(&value_of(r, list.members)).unwrap_or(0.0);
        ws.write_number_with_format(row, next.saturating_add(1), amount, &money)?;
    }
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 60)?;
    ws.set_column_width(2, 30)?;
    ws.set_column_width(headings.len().saturating_sub(2) as u16, 30)?;
    ws.set_column_width(headings.len().saturating_sub(1) as u16, 18)?;
    ws.autofilter(0, 0, rows.len() as u32, headings.len().saturating_sub(1) as u16)?;
    ws.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

/// `GET /activities.xml`: the selection as IATI 2.03, written while it is sent.
pub(crate) async fn download_iati(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Params>,
) -> Result<Response, WebError> {
    use coopera_iati::write::{WriteOptions, write_activity, write_footer, write_header};
    let sel = Selection::parse(&params, &ctx.viewer)?;
    crate::guard::note_export(&state, &ctx, &sel).await?;
    let sort = parse_sort(&params)?;
    let value = MeasureChoice::parse_value(&params)?;
    let members = members(&state.views(), &sel, value)?;
    Ok(downloads::streamed(downloads::XML, "coopera-iati.xml", move |mut out: &mut dyn Write| {
        state.blocking_read(|store, views| {
            let failed = |e: coopera_store::StoreError| std::io::Error::other(e.to_string());
            let orgs: HashMap<String, _> =
                store.organisations().map_err(failed)?.into_iter().map(|o| (o.key().to_string(), o)).collect();
            let lookup = |key: &str| orgs.get(key).cloned();
            let options = WriteOptions::now();
            write_header(&mut out, &options)?;
            for r in views.registry.find(sel.keep(&members), sort, ctx.lang) {
                if let Some(stored) = store.activity(&r.key).map_err(failed)? {
                    write_activity(&mut out, &stored.activity, &lookup, &options)?;
                }
            }
            write_footer(&mut out)
        })
    }))
}

/// The parameters of `GET /api/v1/activities`.
#[derive(Debug)]
pub(crate) struct ListParameters;

impl Parameters for ListParameters {
    const NAMES: &'static [&'static [&'static str]] = &[
        crate::selection::SELECTION_PARAMETERS,
        crate::selection::MEASURE_PARAMETERS,
        &["org", "q", "sort", "page", "per_page"],
    ];
}

/// `GET /api/v1/activities`
pub(crate) async fn api_list(
    _: Only<ListParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Params>,
) -> Result<Json<ActivityList>, WebError> {
    let sel = Selection::parse(&params, &ctx.viewer)?;
    let sort = parse_sort(&params)?;
    let paging = Paging::parse(&params, PER_PAGE)?;
    let value = MeasureChoice::parse_value(&params)?;
    state
        .compute(move |views| {
            let lang = ctx.lang;
            let members = members(views, &sel, value)?;
            let found = views.registry.find(sel.keep(&members), sort, lang);
            let total = found.len();
            let items: Vec<ActivitySummary> = found[paging.range(total)]
                .iter()
                .map(|r| ActivitySummary {
                    id: r.key.clone(),
                    title: r.title(lang).to_owned(),
                    reporting_org: r.reporting_org.clone(),
                    modality: r.modality.code(),
                    direction: r.direction.map(|d| d.code()),
                    status: r.status.clone(),
                    start: r.start.map(|d| d.to_string()),
                    end: r.end.map(|d| d.to_string()),
                    sector_groups: r.areas.clone(),
                    countries: r.countries.iter().map(|c| c.as_str()).collect(),
                    mx_states: r.states.clone(),
                    partner_countries: r.partner_countries.iter().map(|c| c.as_str()).collect(),
                    partners_multilateral: r.partner_places.contains(&PartnerPlace::Multilateral),
                    value: Number(value_of(r, &members).round_dp(4)),
                    href: format!("/api/v1{}", activity_url(&r.key)),
                })
                .collect();
            Ok(Json(ActivityList {
                total,
                page: paging.page,
                per_page: paging.per_page,
                pages: paging.pages(total),
                measure: value.measure.code(),
                currency: value.currency.code(),
                records: sel.records(),
                items,
            }))
        })
        .await
}

/// `GET /api/v1/activities/{id}`: the activity's document and what was derived from it.
pub(crate) async fn api_show(
    _: Only<NoParameters>,
    State(state): State<AppState>,
    viewer: crate::auth::Viewer,
    Path(id): Path<String>,
) -> Result<Json<ActivityDetail>, WebError> {
    state
        .read(move |store, _views| {
            let stored = store.activity(&id)?.ok_or_else(|| WebError::not_found("activity", &id))?;
            let reach = guard::activity_reach(store, &stored.activity)?;
            guard::allow(&viewer, Action::Read, &reach, ("activity", &id), "")?;
            Ok(Json(super::writes::activity_detail(store, &id)?))
        })
        .await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ShowParams {
    pub saved: Option<String>,
    /// Set after a workflow step, to say the new state.
    pub moved: Option<String>,
}

/// `GET /activities/{id}`
pub(crate) async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<ShowParams>,
) -> Result<Html<String>, WebError> {
    let st = state.clone();
    state
        .read(move |store, views| {
            let stored = store.activity(&id)?.ok_or_else(|| WebError::not_found("activity", &id))?;
            let reach = guard::activity_reach(store, &stored.activity)?;
            guard::allow(&ctx.viewer, Action::Read, &reach, ("activity", &id), &activity_url(&id))?;
            let history = store.history(&HistoryFilter {
                kind: Some(RecordKind::Activity),
                key: Some(id.clone()),
                limit: Some(100),
            })?;
            let lang = ctx.lang;
            let p = stored.activity.parts();
            let mut chrome = Chrome::new(&ctx, &st, p.title.best(lang), "activities");
            chrome.notice = match (flash.saved.is_some(), flash.moved.is_some()) {
                (true, _) => Some(lang.pick("Actividad guardada.", "Activity saved.").to_owned()),
                (_, true) => Some(format!("{}: {}", lang.pick("Nuevo estado", "New state"), p.workflow.label(lang))),
                _ => None,
            };
            let mut badges = vec![p.workflow.label(lang).to_owned(), p.modality.label(lang).to_owned()];
            if let Some(d) = stored.derived.direction {
                badges.insert(0, d.label(lang).to_owned());
            }
            if p.good_practice.is_some() {
                badges.push(lang.pick("Buena práctica", "Good practice").to_owned());
            }
            let may_edit = guard::allow(&ctx.viewer, Action::Edit, &reach, ("activity", &id), "/").is_ok();
            let version = store.version(RecordKind::Activity, &id)?.unwrap_or_default();
            let action = format!("{}/transition", activity_url(&id));
            let workflow =
                super::record_workflow::panel(store, &ctx, (RecordKind::Activity, &id), &reach, version, action)?;
            let page = RecordPage {
                c: chrome,
                back_url: "/activities".to_owned(),
                back_label: lang.pick("← Actividades", "← Activities").to_owned(),
                heading: p.title.best(lang).to_owned(),
                edit_url: may_edit.then(|| format!("{}/edit", activity_url(&id))),
                badges,
                links: vec![("JSON (API)".to_owned(), format!("/api/v1{}", activity_url(&id)))],
                workflow: Some(workflow),
                sections: describe(&stored, &history, views, lang),
                map: None,
            };
            html(&page)
        })
        .await
}

/// Activities, as the workflow's steps know them (`record_workflow`).
#[derive(Debug)]
pub(crate) struct ActivityRecords;

impl super::record_workflow::Stepped for ActivityRecords {
    const KIND: RecordKind = RecordKind::Activity;

    fn url(key: &str) -> String {
        activity_url(key)
    }

    fn detail(store: &coopera_store::Store, key: &str) -> Result<serde_json::Value, WebError> {
        super::catalog_form::json(super::writes::activity_detail(store, key)?)
    }
}

fn text_cell(t: &coopera_domain::text::Text, lang: Lang) -> String {
    t.best(lang).to_owned()
}

fn pct(d: Decimal, lang: Lang) -> String {
    locale::percent(d, lang)
}

fn money(m: &coopera_domain::activity::Money, lang: Lang) -> String {
    locale::money(m.amount, m.currency.as_str(), lang)
}

fn opt_num(d: Option<Decimal>) -> String {
    d.map(|d| locale::number(d, 4)).unwrap_or_else(|| "—".to_owned())
}

/// Every facet of an activity, in sections. A section with nothing to show is left out, but
/// for the participants.
fn describe(stored: &StoredActivity, history: &[Change], views: &Views, lang: Lang) -> Vec<Section> {
    let page = ActivityPage { stored, p: stored.activity.parts(), views, lang };
    let mut sections = vec![
        page.summary_section(),
        page.participants_section(),
        page.sectors_section(),
        page.places_section(),
        page.money_section(),
        page.in_kind_section(),
        page.results_section(),
        page.documents_section(),
    ];
    sections.extend(page.good_practice_section());
    sections.push(page.history_section(history));
    sections.retain(|s| !s.is_empty() || s.id == "participants");
    sections
}

/// What the sections of an activity's page are drawn from.
struct ActivityPage<'a> {
    stored: &'a StoredActivity,
    p: &'a ActivityParts,
    views: &'a Views,
    lang: Lang,
}

impl ActivityPage<'_> {
    /// The Spanish or the English label.
    fn l(&self, es: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(es, en)
    }

    /// An organisation's name, by its key.
    fn org(&self, key: &str) -> String {
        self.views.registry.org_name(key, self.lang).to_owned()
    }

    fn summary_section(&self) -> Section {
        let (p, lang) = (self.p, self.lang);
        let mut s = Section::new("summary", self.l("Resumen", "Summary"));
        s.fact(self.l("Identificador", "Identifier"), p.key.as_str());
        s.fact(self.l("Folio", "Folio"), p.folio.clone().unwrap_or_default());
        s.fact_link(
            self.l("Reporta", "Reported by"),
            self.org(p.reporting_org.as_str()),
            org_url(p.reporting_org.as_str()),
        );
        s.fact(self.l("Instrumento", "Instrument"), p.instrument.label(lang));
        s.fact(self.l("Tipo de cooperación", "Type of cooperation"), p.cooperation_type.label(lang));
        s.fact(self.l("Modalidad", "Modality"), p.modality.label(lang));
        s.fact(self.l("Esquemas", "Schemes"), self.schemes());
        s.fact(
            self.l("Dirección (derivada)", "Direction (derived)"),
            self.stored.derived.direction.map(|d| d.label(lang)).unwrap_or("—"),
        );
        s.fact(self.l("Estado", "Status"), p.status.entry().name(lang));
        s.fact(self.l("Flujo de validación", "Workflow"), p.workflow.label(lang));
        let dates = |a: Option<time::Date>, b: Option<time::Date>| {
            if a.is_none() && b.is_none() {
                String::new()
            } else {
                format!("{} → {}", locale::opt_date(a, lang), locale::opt_date(b, lang))
            }
        };
        s.fact(self.l("Fechas previstas", "Planned dates"), dates(p.dates.planned_start, p.dates.planned_end));
        s.fact(self.l("Fechas reales", "Actual dates"), dates(p.dates.actual_start, p.dates.actual_end));
        s.fact(
            self.l("Tipo de colaboración (IATI)", "Collaboration type (IATI)"),
            p.collaboration_type.map(|c| c.entry().name(lang)).unwrap_or(""),
        );
        s.fact(self.l("Moneda por defecto", "Default currency"), p.default_currency.map(|c| c.as_str()).unwrap_or(""));
        s.fact(self.l("Tipo de flujo", "Flow type"), p.flow_type.map(|c| c.entry().name(lang)).unwrap_or(""));
        s.fact(
            self.l("Tipo de financiamiento", "Finance type"),
            p.finance_type.map(|c| c.entry().name(lang)).unwrap_or(""),
        );
        s.fact(self.l("Tipo de ayuda", "Aid type"), p.aid_type.map(|c| c.entry().name(lang)).unwrap_or(""));
        if p.humanitarian {
            s.fact(self.l("Humanitaria", "Humanitarian"), self.l("sí", "yes"));
        }
        if !p.description.is_empty() {
            s.paragraph(&format!("{}: {}", self.l("Descripción", "Description"), p.description.best(lang)));
        }
        if !p.objectives.is_empty() {
            s.paragraph(&format!("{}: {}", self.l("Objetivos", "Objectives"), p.objectives.best(lang)));
        }
        s
    }

    /// The schemes the activity belongs to, as stated and as derived.
    fn schemes(&self) -> String {
        let mut schemes = Vec::new();
        if self.p.schemes.south_south {
            schemes.push(self.l("Sur-Sur", "South-South"));
        }
        if self.p.schemes.north_south {
            schemes.push(self.l("Norte-Sur", "North-South"));
        }
        if self.stored.derived.decentralised {
            schemes.push(self.l("descentralizada", "decentralised"));
        }
        if self.stored.derived.cross_border {
            schemes.push(self.l("transfronteriza", "cross-border"));
        }
        schemes.join(", ")
    }

    fn participants_section(&self) -> Section {
        let lang = self.lang;
        let mut s = Section::new("participants", self.l("Participantes y roles", "Participants and roles"));
        let mut t = TableView::new(&[
            (self.l("Organización", "Organisation"), false),
            (self.l("Rol", "Role"), false),
            (self.l("Rol IATI", "IATI role"), false),
        ]);
        for x in &self.p.participants {
            let iati = coopera_domain::codelists::ORGANISATION_ROLE
                .get(x.role.iati_code())
                .map(|c| format!("{} {}", c.code, c.name(lang)))
                .unwrap_or_default();
            t.rows.push(vec![
                Cell::link(self.org(x.org.as_str()), org_url(x.org.as_str())),
                Cell::text(x.role.label(lang)),
                Cell::text(iati),
            ]);
        }
        s.table(t);
        s
    }

    /// Sectors with their vocabulary and thematic area, SDGs, policy markers and tags.
    fn sectors_section(&self) -> Section {
        let (p, lang) = (self.p, self.lang);
        let mut s = Section::new("sectors", self.l("Sectores y temas", "Sectors and themes"));
        let mut t = TableView::new(&[
            (self.l("Código", "Code"), false),
            (self.l("Sector", "Sector"), false),
            (self.l("Vocabulario", "Vocabulary"), false),
            (self.l("Porcentaje", "Percentage"), true),
            (self.l("Área temática", "Thematic area"), false),
        ]);
        for x in &p.sectors {
            let name = match &x.sector {
                SectorRef::Dac(c) => c.entry().name(lang).to_owned(),
                SectorRef::DacCategory(c) => c.entry().name(lang).to_owned(),
                SectorRef::SdgGoal(c) => c.entry().name(lang).to_owned(),
                SectorRef::SdgTarget(c) => c.entry().name(lang).to_owned(),
                SectorRef::Other { .. } => String::new(),
            };
            let vocabulary = coopera_domain::codelists::SECTOR_VOCABULARY
                .get(x.sector.vocabulary())
                .map(|c| c.name(lang).to_owned())
                .unwrap_or_else(|| x.sector.vocabulary().to_owned());
            let area = x.sector.thematic_area().map(|a| a.entry().name(lang).to_owned()).unwrap_or_default();
            t.rows.push(vec![
                Cell::text(x.sector.code()),
                Cell::text(name),
                Cell::text(vocabulary),
                Cell::num(pct(x.percent.value(), lang)),
                Cell::text(area),
            ]);
        }
        s.table(t);
        let sdgs: Vec<String> = p
            .sdgs
            .iter()
            .map(|x| match x {
                Sdg::Goal(g) => format!("{} {}", g, g.entry().name(lang)),
                Sdg::Target(t) => format!("{} {}", t, t.entry().name(lang)),
            })
            .collect();
        s.fact(self.l("Objetivos de Desarrollo Sostenible", "Sustainable Development Goals"), sdgs.join("; "));
        let mut t = TableView::new(&[
            (self.l("Marcador de política", "Policy marker"), false),
            (self.l("Importancia", "Significance"), true),
        ]);
        for m in &p.policy_markers {
            t.rows.push(vec![Cell::text(m.marker.entry().name(lang)), Cell::num(m.significance.to_string())]);
        }
        s.table(t);
        if !p.tags.is_empty() {
            let tags: Vec<String> = p.tags.iter().map(|t| format!("{} ({})", t.code, t.vocabulary)).collect();
            s.fact(self.l("Etiquetas", "Tags"), tags.join(", "));
        }
        s
    }

    /// Countries and regions, Mexican states and municipalities, locations, and the
    /// cross-border agenda.
    fn places_section(&self) -> Section {
        let (p, lang) = (self.p, self.lang);
        let mut s = Section::new("places", self.l("Lugares", "Places"));
        let mut t = TableView::new(&[
            (self.l("País o región", "Country or region"), false),
            (self.l("Porcentaje", "Percentage"), true),
        ]);
        for c in &p.countries {
            t.rows.push(vec![
                Cell::link(
                    c.country.entry().name(lang),
                    with_query("/activities", &[("country", c.country.as_str().to_owned())]),
                ),
                Cell::num(pct(c.percent.value(), lang)),
            ]);
        }
        for r in &p.regions {
            t.rows.push(vec![Cell::text(r.region.entry().name(lang)), Cell::num(pct(r.percent.value(), lang))]);
        }
        s.table(t);
        let mut t = TableView::new(&[
            (self.l("Entidad federativa", "Mexican state"), false),
            (self.l("Municipio", "Municipality"), false),
        ]);
        for m in &p.mx_places {
            t.rows.push(vec![
                Cell::link(
                    m.state.entry().name(lang),
                    with_query("/activities", &[("state", m.state.as_str().to_owned())]),
                ),
                Cell::text(m.municipality.map(|x| x.entry().name(lang)).unwrap_or("")),
            ]);
        }
        s.table(t);
        let mut t = TableView::new(&[
            (self.l("Lugar", "Location"), false),
            (self.l("Latitud", "Latitude"), true),
            (self.l("Longitud", "Longitude"), true),
        ]);
        for pt in &p.points {
            t.rows.push(vec![
                Cell::text(text_cell(&pt.name, lang)),
                Cell::num(opt_num(pt.latitude)),
                Cell::num(opt_num(pt.longitude)),
            ]);
        }
        s.table(t);
        if let Some(cb) = &p.cross_border {
            let dims: Vec<&str> = cb.dimensions.iter().map(|d| d.label(lang)).collect();
            s.fact(self.l("Frontera", "Border"), cb.border.label(lang));
            s.fact(self.l("Agenda transfronteriza", "Cross-border agenda"), dims.join(", "));
        }
        s
    }

    /// Budgets, transactions and planned disbursements.
    fn money_section(&self) -> Section {
        let (p, lang) = (self.p, self.lang);
        let mut s = Section::new("money", self.l("Dinero", "Money"));
        let mut t = TableView::new(&[
            (self.l("Periodo", "Period"), false),
            (self.l("Tipo", "Type"), false),
            (self.l("Monto", "Amount"), true),
        ]);
        t.caption = Some(self.l("Presupuestos", "Budgets").to_owned());
        for b in &p.budgets {
            t.rows.push(vec![
                Cell::text(format!("{} → {}", locale::date(b.period_start, lang), locale::date(b.period_end, lang))),
                Cell::text(if b.revised { self.l("revisado", "revised") } else { self.l("original", "original") }),
                Cell::num(money(&b.value, lang)),
            ]);
        }
        s.table(t);
        let mut t = TableView::new(&[
            (self.l("Fecha", "Date"), false),
            (self.l("Tipo", "Type"), false),
            (self.l("Monto", "Amount"), true),
            (self.l("De", "From"), false),
            (self.l("A", "To"), false),
        ]);
        t.caption = Some(self.l("Transacciones", "Transactions").to_owned());
        for tx in &p.transactions {
            t.rows.push(vec![
                Cell::text(locale::date(tx.date, lang)),
                Cell::text(tx.kind.entry().name(lang)),
                Cell::num(money(&tx.value, lang)),
                Cell::text(self.party(tx.provider.as_ref())),
                Cell::text(self.party(tx.receiver.as_ref())),
            ]);
        }
        s.table(t);
        let mut t = TableView::new(&[(self.l("Periodo", "Period"), false), (self.l("Monto", "Amount"), true)]);
        t.caption = Some(self.l("Desembolsos previstos", "Planned disbursements").to_owned());
        for d in &p.planned_disbursements {
            t.rows.push(vec![
                Cell::text(format!(
                    "{} → {}",
                    locale::date(d.period_start, lang),
                    locale::opt_date(d.period_end, lang)
                )),
                Cell::num(money(&d.value, lang)),
            ]);
        }
        s.table(t);
        s
    }

    /// A party to a transaction: its organisation's name, else the name or identifier the
    /// transaction gives.
    fn party(&self, x: Option<&TransactionParty>) -> String {
        let Some(x) = x else { return String::new() };
        match (&x.org, &x.name) {
            (Some(k), _) => self.org(k.as_str()),
            (None, Some(n)) => n.clone(),
            (None, None) => x.iati_ref.clone().unwrap_or_default(),
        }
    }

    fn in_kind_section(&self) -> Section {
        let lang = self.lang;
        let mut s = Section::new("in-kind", self.l("En especie", "In kind"));
        let mut t = TableView::new(&[
            (self.l("Unidad", "Unit"), false),
            (self.l("Cantidad", "Quantity"), true),
            (self.l("Valor unitario", "Unit value"), true),
            (self.l("Valor", "Value"), true),
            (self.l("Descripción", "Description"), false),
        ]);
        for k in &self.p.in_kind {
            t.rows.push(vec![
                Cell::text(k.unit.label(lang)),
                Cell::num(locale::number(k.quantity, 2)),
                Cell::num(k.unit_value.map(|u| money(&u, lang)).unwrap_or_else(|| "—".into())),
                Cell::num(k.value().map(|v| money(&v, lang)).unwrap_or_else(|| "—".into())),
                Cell::text(text_cell(&k.description, lang)),
            ]);
        }
        s.table(t);
        s
    }

    /// A table per result, a row per indicator and period; a result without indicators is a
    /// line of text.
    fn results_section(&self) -> Section {
        let lang = self.lang;
        let mut s = Section::new("results", self.l("Resultados", "Results"));
        for r in &self.p.results {
            let level = match r.level {
                ResultLevel::Output => self.l("Producto", "Output"),
                ResultLevel::Outcome => self.l("Efecto", "Outcome"),
                ResultLevel::Impact => self.l("Impacto", "Impact"),
                ResultLevel::Other => self.l("Otro", "Other"),
            };
            let mut t = TableView::new(&[
                (self.l("Indicador", "Indicator"), false),
                (self.l("Línea base", "Baseline"), true),
                (self.l("Periodo", "Period"), false),
                (self.l("Meta", "Target"), true),
                (self.l("Logro", "Actual"), true),
            ]);
            t.caption = Some(format!("{level}: {}", r.title.best(lang)));
            for ind in &r.indicators {
                let baseline = ind
                    .baseline
                    .as_ref()
                    .map(|b| format!("{} ({})", locale::number(b.value, 4), b.year))
                    .unwrap_or_else(|| "—".into());
                if ind.periods.is_empty() {
                    t.rows.push(vec![
                        Cell::text(ind.title.best(lang)),
                        Cell::num(baseline.clone()),
                        Cell::text("—"),
                        Cell::num("—"),
                        Cell::num("—"),
                    ]);
                }
                for per in &ind.periods {
                    t.rows.push(vec![
                        Cell::text(ind.title.best(lang)),
                        Cell::num(baseline.clone()),
                        Cell::text(format!("{} → {}", locale::date(per.start, lang), locale::date(per.end, lang))),
                        Cell::num(opt_num(per.target)),
                        Cell::num(opt_num(per.actual)),
                    ]);
                }
            }
            if t.rows.is_empty() {
                s.paragraph(&format!("{level}: {}", r.title.best(lang)));
            }
            s.table(t);
        }
        s
    }

    /// Document links (a link only to a web address) and related activities (a link only to
    /// one in the registry).
    fn documents_section(&self) -> Section {
        let lang = self.lang;
        let mut s = Section::new(
            "documents",
            self.l("Documentos y actividades relacionadas", "Documents and related activities"),
        );
        let mut t = TableView::new(&[(self.l("Documento", "Document"), false), (self.l("Formato", "Format"), false)]);
        for d in &self.p.document_links {
            let title = if d.title.is_empty() { d.url.clone() } else { d.title.best(lang).to_owned() };
            let safe = d.url.starts_with("https://") || d.url.starts_with("http://");
            let mut cell = if safe { Cell::link(title, &d.url) } else { Cell::text(title) };
            cell.external = safe;
            t.rows.push(vec![cell, Cell::text(&d.format)]);
        }
        s.table(t);
        let mut t =
            TableView::new(&[(self.l("Actividad", "Activity"), false), (self.l("Relación", "Relation"), false)]);
        for r in &self.p.related_activities {
            let cell = if self.views.registry.activity(&r.identifier).is_some() {
                Cell::link(&r.identifier, activity_url(&r.identifier))
            } else {
                Cell::text(&r.identifier)
            };
            t.rows.push(vec![cell, Cell::text(r.kind.entry().name(lang))]);
        }
        s.table(t);
        s
    }

    fn good_practice_section(&self) -> Option<Section> {
        let g = self.p.good_practice.as_ref()?;
        let mut s = Section::new("good-practice", self.l("Buena práctica", "Good practice"));
        s.paragraph(g.best(self.lang));
        Some(s)
    }

    fn history_section(&self, history: &[Change]) -> Section {
        let lang = self.lang;
        let mut s = Section::new("history", self.l("Historial de cambios", "Change history"));
        let mut t = TableView::new(&[
            (self.l("Cuándo", "When"), false),
            (self.l("Quién", "Who"), false),
            (self.l("Acción", "Action"), false),
            (self.l("Campos cambiados", "Fields changed"), false),
        ]);
        for c in history {
            let action = match c.action {
                coopera_store::ChangeAction::Create => self.l("creación", "created"),
                coopera_store::ChangeAction::Update => self.l("actualización", "updated"),
            };
            t.rows.push(vec![
                Cell::text(locale::timestamp(&c.at, lang)),
                Cell::text(&c.author),
                Cell::text(action),
                Cell::text(changed_fields(c, lang)),
            ]);
        }
        s.table(t);
        s
    }
}

/// The top-level fields whose value differs between a change's before and after.
fn changed_fields(c: &Change, lang: Lang) -> String {
    let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok());
    let (before, after) = (parse(&c.before), parse(&c.after));
    let (Some(Value::Object(b)), Some(Value::Object(a))) = (before, after) else {
        return lang.pick("registro completo", "whole record").to_owned();
    };
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    let changed: Vec<&str> = keys.into_iter().filter(|k| b.get(*k) != a.get(*k)).map(|k| k.as_str()).collect();
    if changed.is_empty() { "—".to_owned() } else { changed.join(", ") }
}
