//! Codelists as the API shows them: the lists there are, and the codes of one.

use schemars::JsonSchema;
use serde::Serialize;

use crate::api::openapi::values;

/// `GET /api/v1/codelists`: the lists there are.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CodelistList {
    pub total: usize,
    pub items: Vec<CodelistSummary>,
}

/// A list, without its codes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CodelistSummary {
    #[schemars(schema_with = "values::codelist_name")]
    pub name: &'static str,
    #[schemars(schema_with = "values::codelist_source")]
    pub source: &'static str,
    /// How many codes it has.
    pub codes: usize,
    #[schemars(extend("pattern" = "^/api/v1/codelists/"))]
    pub href: String,
}

/// `GET /api/v1/codelists/{name}`: the codes of a list (of one category, when asked).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Codelist {
    #[schemars(schema_with = "values::codelist_name")]
    pub name: &'static str,
    #[schemars(schema_with = "values::codelist_source")]
    pub source: &'static str,
    pub total: usize,
    pub codes: Vec<Code>,
}

/// A code with its names.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Code {
    pub code: &'static str,
    /// In the request's language.
    pub name: &'static str,
    pub name_es: &'static str,
    pub name_en: &'static str,
    /// The code's category in the list (a municipality's state), if the list has them.
    pub category: Option<&'static str>,
    /// Whether the list's publisher withdrew it.
    pub withdrawn: bool,
}
