//! Codelists in the API: the IATI and INEGI lists compiled into Coopera and Coopera's own
//! classifications, with Spanish and English names (the forms' searchable selects use them).

use axum::Json;
use axum::extract::{Path, Query};
use coopera_domain::codelists;
use serde::Deserialize;

use crate::address::{NoParameters, Only, Parameters};
use crate::api::{Code, Codelist, CodelistList, CodelistSummary};
use crate::error::WebError;
use crate::locale::Ctx;

/// `GET /api/v1/codelists`
pub(crate) async fn api_list(_: Only<NoParameters>) -> Json<CodelistList> {
    let items: Vec<CodelistSummary> = codelists::every_list()
        .iter()
        .map(|l| CodelistSummary {
            name: l.name,
            source: l.source,
            codes: l.codes.len(),
            href: format!("/api/v1/codelists/{}", l.name),
        })
        .collect();
    Json(CodelistList { total: items.len(), items })
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CodesParams {
    /// Only the codes of this category (the municipalities of a state: `?category=07`).
    category: Option<String>,
}

impl Parameters for CodesParams {
    const NAMES: &'static [&'static [&'static str]] = &[&["category"]];
}

/// `GET /api/v1/codelists/{name}`
pub(crate) async fn api_show(
    _: Only<CodesParams>,
    ctx: Ctx,
    Path(name): Path<String>,
    Query(params): Query<CodesParams>,
) -> Result<Json<Codelist>, WebError> {
    let list = codelists::find_list(&name).ok_or_else(|| WebError::not_found("codelist", &name))?;
    let category = params.category.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let codes: Vec<Code> = list
        .codes
        .iter()
        .filter(|c| category.is_none_or(|cat| c.category == Some(cat)))
        .map(|c| Code {
            code: c.code,
            name: c.name(ctx.lang),
            name_es: c.name_es,
            name_en: c.name_en,
            category: c.category,
            withdrawn: c.withdrawn,
        })
        .collect();
    Ok(Json(Codelist { name: list.name, source: list.source, total: codes.len(), codes }))
}
