//! Codelists in the API: the IATI and INEGI lists compiled into Coopera and Coopera's own
//! classifications, with Spanish and English names (the forms' searchable selects use them).

use axum::Json;
use axum::extract::{Path, Query};
use coopera_domain::Lang;
use coopera_domain::codelists::{self, Code};
use coopera_domain::kinds::*;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::WebError;
use crate::locale::Ctx;

/// A list: its name, where it comes from and its codes.
struct List {
    name: &'static str,
    source: &'static str,
    codes: Vec<Code>,
}

macro_rules! own {
    ($($kind:ty),+ $(,)?) => {
        vec![$(List {
            name: <$kind>::LIST,
            source: "Coopera",
            codes: <$kind>::ALL
                .iter()
                .map(|k| Code { code: k.code(), name_es: k.label(Lang::Es), name_en: k.label(Lang::En), category: None, withdrawn: false })
                .collect(),
        }),+]
    };
}

fn lists() -> Vec<List> {
    let mut all: Vec<List> = codelists::ALL
        .iter()
        .map(|l| List {
            name: l.name,
            source: if l.name.starts_with("Mx") {
                "INEGI"
            } else if l.name == "ThematicArea" {
                "Coopera / OECD DAC"
            } else {
                "IATI"
            },
            codes: l.codes.to_vec(),
        })
        .collect();
    all.extend(own!(
        Level,
        Instrument,
        CooperationType,
        Modality,
        Role,
        Direction,
        Border,
        CrossBorderDimension,
        InKindUnit,
        WorkflowState,
        CapacityForm,
        ActionKind,
    ));
    all
}

fn normalize(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase()
}

/// `GET /api/v1/codelists`
pub(crate) async fn api_list() -> Json<Value> {
    let items: Vec<Value> = lists()
        .iter()
        .map(|l| json!({"name": l.name, "source": l.source, "codes": l.codes.len(), "href": format!("/api/v1/codelists/{}", l.name)}))
        .collect();
    Json(json!({ "total": items.len(), "items": items }))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CodesParams {
    /// Only the codes of this category (the municipalities of a state: `?category=07`).
    category: Option<String>,
}

/// `GET /api/v1/codelists/{name}`
pub(crate) async fn api_show(
    ctx: Ctx,
    Path(name): Path<String>,
    Query(params): Query<CodesParams>,
) -> Result<Json<Value>, WebError> {
    let wanted = normalize(&name);
    let all = lists();
    let list =
        all.iter().find(|l| normalize(l.name) == wanted).ok_or_else(|| WebError::not_found("codelist", &name))?;
    let category = params.category.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let codes: Vec<Value> = list
        .codes
        .iter()
        .filter(|c| category.is_none_or(|cat| c.category == Some(cat)))
        .map(|c| {
            json!({
                "code": c.code,
                "name": c.name(ctx.lang),
                "name_es": c.name_es,
                "name_en": c.name_en,
                "category": c.category,
                "withdrawn": c.withdrawn,
            })
        })
        .collect();
    Ok(Json(json!({ "name": list.name, "source": list.source, "total": codes.len(), "codes": codes })))
}
