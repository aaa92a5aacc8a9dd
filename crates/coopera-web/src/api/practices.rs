//! Good practices as the API shows them: the showcase's list, narrowed as the page narrows it,
//! and one practice with its document and what is derived from it.

use coopera_domain::doc::{PracticeDoc, PracticeDocumentDoc, PracticeIndicatorDoc};
use schemars::JsonSchema;
use serde::Serialize;

use super::{DecimalText, Links, Text};

/// `GET /api/v1/practices`: the good practices the filters keep, by title.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PracticeList {
    pub total: usize,
    pub items: Vec<PracticeSummary>,
}

/// A good practice in the list.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PracticeSummary {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// In the request's language, or another when it has none.
    pub title: String,
    /// The keys of the organisations that carried it out.
    pub organisations: Vec<String>,
    /// The orders of government of its organisations: federal, state, municipal.
    #[schemars(extend("x-codelist" = "Level"))]
    pub levels: Vec<&'static str>,
    /// Its states: of its organisations, of the states it names and of its municipalities.
    #[schemars(extend("x-codelist" = "MxState"))]
    pub states: Vec<&'static str>,
    #[schemars(extend("x-codelist" = "ThematicArea"))]
    pub themes: Vec<&'static str>,
    #[schemars(extend("x-codelist" = "CapacityForm"))]
    pub forms: Vec<&'static str>,
    #[schemars(extend("pattern" = "^/api/v1/practices/"))]
    pub href: String,
}

/// `GET /api/v1/practices/{key}`: the practice's document, with its levels and states.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PracticeDetail {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// The version of the record (see `ActivityDetail.version`).
    pub version: i64,
    #[schemars(extend("x-codelist" = "Level"))]
    pub levels: Vec<&'static str>,
    #[schemars(extend("x-codelist" = "MxState"))]
    pub states: Vec<&'static str>,
    pub document: PracticeDocument,
    pub links: Links,
}

/// The good practice as a document (crates/coopera-domain/src/doc.rs). Fields without a value
/// are left out.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PracticeDocument {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    pub title: Text,
    pub organisations: Vec<String>,
    pub summary: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-codelist" = "MxState"))]
    pub mx_states: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-codelist" = "MxMunicipality"))]
    pub mx_municipalities: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-codelist" = "Country"))]
    pub countries: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Text>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-codelist" = "ThematicArea"))]
    pub themes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-codelist" = "CapacityForm"))]
    pub forms: Vec<String>,
    /// Identifiers of the activities that are evidence of it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<PracticeDocumentLink>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<PracticeIndicator>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Where it stands in the validation workflow.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-codelist" = "WorkflowState"))]
    pub workflow: Option<String>,
}

/// A document that shows the practice.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PracticeDocumentLink {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// An `http://` or `https://` address.
    pub url: String,
}

/// A figure that shows the practice's results.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PracticeIndicator {
    pub name: Text,
    pub value: DecimalText,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

impl From<PracticeDoc> for PracticeDocument {
    fn from(doc: PracticeDoc) -> PracticeDocument {
        let link = |d: PracticeDocumentDoc| PracticeDocumentLink { title: d.title.map(Text::from), url: d.url };
        let indicator = |i: PracticeIndicatorDoc| PracticeIndicator {
            name: i.name.into(),
            value: i.value.into(),
            unit: i.unit,
            year: i.year,
        };
        PracticeDocument {
            key: doc.key,
            title: doc.title.into(),
            organisations: doc.organisations,
            summary: doc.summary.into(),
            mx_states: doc.mx_states,
            mx_municipalities: doc.mx_municipalities,
            countries: doc.countries,
            start: doc.start,
            end: doc.end,
            results: doc.results.map(Text::from),
            themes: doc.themes,
            forms: doc.forms,
            activities: doc.activities,
            documents: doc.documents.into_iter().map(link).collect(),
            indicators: doc.indicators.into_iter().map(indicator).collect(),
            keywords: doc.keywords,
            workflow: doc.workflow,
        }
    }
}
