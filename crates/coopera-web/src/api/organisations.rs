//! Organisations as the API shows them: every one in a list, and one with its document.

use schemars::JsonSchema;
use serde::Serialize;

use super::{Links, OrganisationDocument};

/// `GET /api/v1/organisations`: every organisation.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OrganisationList {
    pub total: usize,
    pub items: Vec<OrganisationSummary>,
}

/// An organisation in the list.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OrganisationSummary {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// In the request's language, or another when it has none.
    pub name: String,
    pub acronym: Option<String>,
    #[schemars(extend("x-codelist" = "Level"))]
    pub level: &'static str,
    #[schemars(extend("pattern" = "^[A-Z]{2}$"))]
    pub country: Option<&'static str>,
    #[schemars(extend("x-codelist" = "MxState"))]
    pub mx_state: Option<&'static str>,
    /// Activities it reports or takes part in.
    pub activities: usize,
    #[schemars(extend("pattern" = "^/api/v1/organisations/"))]
    pub href: String,
}

/// `GET /api/v1/organisations/{key}`: the organisation's document.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OrganisationDetail {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// The version of the record (see `ActivityDetail.version`).
    pub version: i64,
    /// Activities it reports or takes part in.
    pub activities: usize,
    pub document: OrganisationDocument,
    pub links: Links,
}

/// `PUT /api/v1/organisations/{key}`: the organisation's new document, and the version it
/// was read at.
#[derive(Debug, Clone, serde::Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationUpdate {
    pub version: i64,
    #[schemars(with = "OrganisationDocument")]
    pub document: coopera_domain::doc::OrganisationDoc,
}
