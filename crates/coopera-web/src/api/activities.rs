//! Activities as the API shows them: a page of the list, and one activity with what was
//! derived from it.

use schemars::JsonSchema;
use serde::Serialize;

use super::{ActivityDocument, Links, Number};
use crate::api::openapi::values;

/// `GET /api/v1/activities`: a page of the activities that match.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ActivityList {
    /// Activities that match, on every page.
    pub total: usize,
    #[schemars(range(min = 1))]
    pub page: usize,
    #[schemars(range(min = 1, max = 200))]
    pub per_page: usize,
    #[schemars(range(min = 1))]
    pub pages: usize,
    /// What each item's `value` adds up.
    #[schemars(schema_with = "values::money_measure")]
    pub measure: &'static str,
    #[schemars(schema_with = "values::currency")]
    pub currency: &'static str,
    /// Which records are listed: `published` (what the public sees), `scope` (those and the
    /// unpublished records of the token's account scope, `view=mine`) or `all`.
    #[schemars(extend("enum" = ["published", "scope", "all"]))]
    pub records: &'static str,
    #[schemars(extend("maxItems" = 200))]
    pub items: Vec<ActivitySummary>,
}

/// An activity in a list.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ActivitySummary {
    pub id: String,
    /// In the request's language, or another when it has none.
    pub title: String,
    pub reporting_org: String,
    #[schemars(extend("x-codelist" = "Modality"))]
    pub modality: &'static str,
    #[schemars(extend("x-codelist" = "Direction"))]
    pub direction: Option<&'static str>,
    #[schemars(extend("x-codelist" = "ActivityStatus"))]
    pub status: String,
    #[schemars(extend("format" = "date"))]
    pub start: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub end: Option<String>,
    #[schemars(extend("x-codelist" = "ThematicArea"))]
    pub sector_groups: Vec<&'static str>,
    #[schemars(extend("items" = { "type": "string", "pattern": "^[A-Z]{2}$" }))]
    pub countries: Vec<&'static str>,
    #[schemars(extend("x-codelist" = "MxState"))]
    pub mx_states: Vec<&'static str>,
    /// Partner countries, by the partner geography of the `countries` report.
    #[schemars(extend("items" = { "type": "string", "pattern": "^[A-Z]{2}$" }))]
    pub partner_countries: Vec<&'static str>,
    /// Whether international organisations are among its partners.
    pub partners_multilateral: bool,
    /// The part of its money (`measure`, in `currency`) the figures of the selection count: its
    /// flows in the year asked for, times its part in the regions, countries, sectors or
    /// partners asked for (a string only beyond a JSON number's precision).
    #[schemars(extend("type" = ["number", "string"]))]
    pub value: Number,
    #[schemars(extend("pattern" = "^/api/v1/activities/"))]
    pub href: String,
}

/// `GET /api/v1/activities/{id}`: the activity's document and what was derived from it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ActivityDetail {
    pub id: String,
    /// The version of the record: the number of its latest change. A `PUT` names the version
    /// it started from, and is refused (409) when the record changed since.
    pub version: i64,
    pub derived: Derived,
    pub document: ActivityDocument,
    pub links: Links,
}

/// What Coopera derived from the activity's participants and their organisations when it was
/// written.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Derived {
    #[schemars(extend("x-codelist" = "Direction"))]
    pub direction: Option<&'static str>,
    pub decentralised: bool,
    pub cross_border: bool,
}

/// `PUT /api/v1/activities/{id}`: the activity's new document, and the version it was read
/// at. The document's `workflow` is ignored: the workflow moves by its own steps
/// (`POST …/transitions`).
#[derive(Debug, Clone, serde::Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityUpdate {
    pub version: i64,
    #[schemars(with = "ActivityDocument")]
    pub document: coopera_domain::doc::ActivityDoc,
}

/// `POST /api/v1/activities/{id}/transitions`: one step of the validation workflow.
#[derive(Debug, Clone, serde::Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// The state to move to: one step forward, or back to `draft`.
    #[schemars(extend("x-codelist" = "WorkflowState"))]
    pub to: String,
    /// Why it goes back to draft (required then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The version the step was decided at: refused (409) when the record changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}
