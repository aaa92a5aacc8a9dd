//! Reports: the dashboard's tables as CSV and XLSX downloads, and as JSON under
//! `/api/v1/reports` (any dimension of the report engine, with the same filters).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use coopera_domain::Lang;
use coopera_report::{Dimension, Measure, Report};

use std::sync::Arc;

use super::dashboard::{PANELS, query, title};
use crate::address::{NoParameters, Only, Parameters};
use crate::api::{self, ReportFilters, ReportInfo, ReportList};
use crate::downloads;
use crate::error::WebError;
use crate::locale::Ctx;
use crate::selection::{MeasureChoice, Params, Selection};
use crate::state::{AppState, Views};

/// A report by its name (`themes`, `countries`, `recipient-countries`…) or dimension code,
/// written exactly: an address names one resource (the engine's own parser also forgives case
/// and spaces, which suits the command line).
pub(crate) fn parse(name: &str) -> Result<Dimension, WebError> {
    Dimension::ALL
        .iter()
        .find(|d| d.report_name() == name || d.code() == name)
        .copied()
        .ok_or_else(|| WebError::not_found("report", name))
}

/// Runs (or finds already run) the report by `dimension` for a selection.
pub(crate) fn make(
    views: &Views,
    dimension: Dimension,
    sel: &Selection,
    choice: MeasureChoice,
    top: usize,
) -> Result<Arc<Report>, WebError> {
    sel.check(&views.registry)?;
    let mut q = query(dimension, sel, choice);
    q.top = top;
    Ok(views.report(&q)?)
}

fn top(params: &Params) -> Result<usize, WebError> {
    match params.top.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(1),
        Some(t) => t.parse::<usize>().ok().filter(|n| (1..=100).contains(n)).ok_or_else(|| {
            WebError::invalid("top", t, "se espera un número de 1 a 100", "expected a number from 1 to 100")
        }),
    }
}

/// The filters as the notes of a workbook say them.
fn notes(sel: &Selection, report: &Report, lang: Lang) -> Vec<String> {
    let pairs = sel.pairs();
    let filters = if pairs.is_empty() {
        lang.pick("ninguno", "none").to_owned()
    } else {
        pairs.iter().map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join("; ")
    };
    let mut notes = vec![format!("{}: {filters}", lang.pick("Filtros", "Filters"))];
    if let Some(c) = report.currency {
        notes.push(match lang {
            Lang::Es => format!("Moneda: {}, convertida al tipo de cambio de la fecha valor de cada flujo", c.code()),
            Lang::En => format!("Currency: {}, converted at the rate of each flow's value date", c.code()),
        });
    }
    notes.push(lang.pick("Fuente: registro Coopera", "Source: Coopera registry").to_owned());
    notes
}

fn report_csv(report: &Report, lang: Lang) -> String {
    let split = report.split.is_some();
    let header: &[&str] = if split {
        &["key", "label", "value", "share", "money", "in_kind"]
    } else {
        &["key", "label", "value", "share"]
    };
    let rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| {
            let mut cells =
                vec![r.key.clone(), r.label(lang).to_owned(), r.value.normalize().to_string(), r.share.to_string()];
            if let Some(s) = r.split {
                cells.push(s.money.normalize().to_string());
                cells.push(s.in_kind.normalize().to_string());
            } else if split {
                cells.extend([String::new(), String::new()]);
            }
            cells
        })
        .collect();
    coopera_report::csv::table(header, &rows)
}

/// `/reports/{name}.csv`, `/reports/{name}.xlsx`, and `/reports/dashboard.xlsx` (every panel).
pub(crate) async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(file): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, WebError> {
    let (name, format) = file.rsplit_once('.').ok_or_else(|| WebError::not_found("page", &file))?;
    let sel = Selection::parse(&params, &ctx.viewer)?;
    crate::guard::note_export(&state, &ctx, &sel).await?;
    let choice = MeasureChoice::parse(&params)?;
    let top = top(&params)?;
    let lang = ctx.lang;
    let dimensions: Vec<Dimension> = match (name, format) {
        ("dashboard", "xlsx") => PANELS.iter().map(|p| p.1).collect(),
        (_, "csv" | "xlsx") => vec![parse(name)?],
        _ => return Err(WebError::not_found("page", &format!("/reports/{file}"))),
    };
    let name = name.to_owned();
    let format = format.to_owned();
    state
        .compute(move |views| {
            let mut reports = Vec::new();
            for dimension in &dimensions {
                reports.push(make(views, *dimension, &sel, choice, top)?);
            }
            if format == "csv" {
                let body = report_csv(&reports[0], lang);
                return Ok(downloads::attachment(body.into_bytes(), downloads::CSV, &format!("coopera-{name}.csv")));
            }
            let sheets: Vec<coopera_report::xlsx::Sheet<'_>> = reports
                .iter()
                .map(|r| coopera_report::xlsx::Sheet {
                    report: r,
                    title: title(r.dimension, r.measure, choice.currency, lang),
                    notes: notes(&sel, r, lang),
                })
                .collect();
            let bytes = coopera_report::xlsx::workbook(&sheets, lang).map_err(|e| WebError::internal(e.to_string()))?;
            Ok(downloads::attachment(bytes, downloads::XLSX, &format!("coopera-{name}.xlsx")))
        })
        .await
}

/// The report as the API answers it (the shape of `coopera report --format json`), with the
/// web's filters.
pub(crate) fn report_json(name: &str, report: &Report, sel: &Selection, lang: Lang) -> api::Report<ReportFilters> {
    api::Report::new(report, name, report_filters(sel), lang)
}

/// The filters of a selection as the API's reports say them.
pub(crate) fn report_filters(sel: &Selection) -> ReportFilters {
    ReportFilters {
        year: sel.year,
        direction: sel.direction.map(|d| d.code()),
        modality: sel.modality.map(|m| m.code()),
        sector_group: sel.sector_group.map(|g| g.as_str()),
        state: sel.state.map(|s| s.as_str()),
        country: sel.country.map(|c| c.as_str()),
        partner_country: sel.partner_country.map(|c| c.as_str()),
        partner_region: sel.partner_region,
        scheme: sel.scheme,
        border: sel.border.map(|b| b.code()),
        agenda: sel.agenda.map(|d| d.code()),
        partner: sel.partner.clone(),
        level: sel.level.map(|l| l.code()),
        sdg: sel.sdg,
        instrument: sel.instrument.map(|i| i.code()),
        cooperation_type: sel.cooperation_type.map(|c| c.code()),
        status: sel.status,
        records: sel.records(),
    }
}

/// The parameters of `GET /api/v1/reports/{name}`: the dashboard's filters without the
/// list-only ones, and what to add up.
#[derive(Debug)]
pub(crate) struct ReportParameters;

impl Parameters for ReportParameters {
    const NAMES: &'static [&'static [&'static str]] =
        &[crate::selection::SELECTION_PARAMETERS, crate::selection::MEASURE_PARAMETERS, &["top"]];
}

/// `GET /api/v1/reports/{name}`
pub(crate) async fn api_show(
    _: Only<ReportParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    Query(params): Query<Params>,
) -> Result<Json<api::Report<ReportFilters>>, WebError> {
    let dimension = parse(&name)?;
    let sel = Selection::parse(&params, &ctx.viewer)?;
    let choice = MeasureChoice::parse(&params)?;
    let top = top(&params)?;
    let lang = ctx.lang;
    state
        .compute(move |views| {
            let report = make(views, dimension, &sel, choice, top)?;
            Ok(Json(report_json(dimension.report_name(), &report, &sel, lang)))
        })
        .await
}

/// `GET /api/v1/reports`: the reports there are.
pub(crate) async fn api_list(_: Only<NoParameters>, ctx: Ctx) -> Json<ReportList> {
    let reports: Vec<ReportInfo> = Dimension::ALL
        .iter()
        .map(|d| ReportInfo {
            name: d.report_name(),
            dimension: d.code(),
            label: d.label(ctx.lang),
            href: format!("/api/v1/reports/{}", d.report_name()),
        })
        .collect();
    Json(ReportList {
        reports,
        measures: Measure::ALL.iter().map(|m| m.code()).collect(),
        currencies: api::CURRENCIES.iter().map(|c| c.code()).collect(),
    })
}
