//! The JSON API's edge: every body `/api/v1` (and `/health`) answers is a type of this module,
//! built by the handlers and serialized as it is. The types derive their JSON Schema too, and
//! `components.schemas` of the OpenAPI document (`assets/openapi.json`) is generated from them
//! ([`openapi`]), so a field added here and not to the document fails a test.
//!
//! The doc comments of these types and their fields are the document's descriptions: they
//! speak to the API's clients. What the schema cannot tell from a Rust type is said with
//! `#[schemars(...)]`: `extend("x-codelist" = "Modality")` for a code of one of
//! Coopera's lists (the generator writes its codes as the `enum`; on an array, the list of its
//! items), `schema_with` for values the code enumerates (report names, measures…), `range` and
//! `extend("pattern" = …)` for the rest.

use std::borrow::Cow;

use rust_decimal::Decimal;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Serialize, Serializer};

mod activities;
mod catalog;
mod codelists;
mod documents;
mod errors;
pub mod openapi;
mod organisations;
mod practices;
mod reports;
mod search;
mod subnational;

pub use activities::{ActivityDetail, ActivityList, ActivitySummary, ActivityUpdate, Derived, TransitionRequest};
pub use catalog::{
    AreaShare, CapacityDetail, CapacityDocument, CapacityList, CapacitySummary, CapacityUpdate, CatalogReport, Contact,
    CycleTimes, DemandDetail, DemandDocument, DemandList, DemandStateCount, DemandStepEntry, DemandSummary,
    DemandTransitionRequest, DemandUpdate,
};
pub use codelists::{Code, Codelist, CodelistList, CodelistSummary};
pub use documents::{
    ActivityDates, ActivityDocument, Budget, CrossBorder, DecimalText, DocumentLink, InKind, Indicator,
    IndicatorPeriod, MxPlace, OrganisationDocument, Participant, Party, PlaceShare, PlannedDisbursement, Point,
    PolicyMarker, RelatedActivity, ResultEntry, SectorShare, Tag, Text, Transaction,
};
pub use errors::{ErrorBody, ErrorCode, ErrorDetail, ProblemEntry};
pub use organisations::{OrganisationDetail, OrganisationList, OrganisationSummary, OrganisationUpdate};
pub use practices::{
    PracticeDetail, PracticeDocument, PracticeDocumentLink, PracticeIndicator, PracticeList, PracticeSummary,
};
pub use reports::{
    CURRENCIES, Concentration, InKindQuantity, NotConverted, Report, ReportFilters, ReportInfo, ReportList, ReportRow,
    Split,
};
pub use search::{
    FacetCount, HitKind, MatchEntry, MatchList, MatchReason, ReasonKind, SearchFacets, SearchHit, SearchResults,
    SectorFit,
};
pub use subnational::{
    ActionDetail, ActionDocument, ActionUpdate, AgreementDetail, AgreementDocument, AgreementUpdate, MembershipDetail,
    MembershipDocument, MembershipUpdate, SubnationalList, SubnationalSummary,
};

/// A decimal written as a JSON number, as written (no trailing zeros); as a string if JSON
/// cannot hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number(pub Decimal);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = self.0.normalize().to_string();
        match s.parse::<serde_json::Number>() {
            Ok(n) => n.serialize(serializer),
            Err(_) => serializer.serialize_str(&s),
        }
    }
}

impl JsonSchema for Number {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Number".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number" })
    }
}

/// `GET /api/v1`: the resources of the API.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Index {
    #[schemars(extend("const" = "Coopera API"))]
    pub name: &'static str,
    #[schemars(extend("const" = "v1"))]
    pub version: &'static str,
    #[schemars(extend("const" = "/api/v1/openapi.json"))]
    pub openapi: &'static str,
    pub resources: Resources,
}

/// Where each resource of the API is.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Resources {
    #[schemars(extend("const" = "/api/v1/activities"))]
    pub activities: &'static str,
    #[schemars(extend("const" = "/api/v1/organisations"))]
    pub organisations: &'static str,
    #[schemars(extend("const" = "/api/v1/codelists"))]
    pub codelists: &'static str,
    #[schemars(extend("const" = "/api/v1/reports"))]
    pub reports: &'static str,
    /// The cross-border agenda: activities and actions of states and municipalities.
    #[schemars(extend("const" = "/api/v1/crossborder"))]
    pub crossborder: &'static str,
    /// The catalog of national capacities (public).
    #[schemars(extend("const" = "/api/v1/catalog/capacities"))]
    pub capacities: &'static str,
    /// Partners' demands (for signed-in accounts).
    #[schemars(extend("const" = "/api/v1/catalog/demands"))]
    pub demands: &'static str,
    /// The catalog report (for signed-in accounts).
    #[schemars(extend("const" = "/api/v1/catalog/report"))]
    pub catalog_report: &'static str,
    /// Search of capacities, activities and (for signed-in accounts) demands.
    #[schemars(extend("const" = "/api/v1/search"))]
    pub search: &'static str,
    /// The capacities that could answer a demand.
    #[schemars(extend("const" = "/api/v1/catalog/match"))]
    pub catalog_match: &'static str,
    /// Good practices of the federal government, the states and the municipalities (public).
    #[schemars(extend("const" = "/api/v1/practices"))]
    pub practices: &'static str,
}

impl Index {
    /// The one index there is.
    pub const V1: Index = Index {
        name: "Coopera API",
        version: "v1",
        openapi: "/api/v1/openapi.json",
        resources: Resources {
            activities: "/api/v1/activities",
            organisations: "/api/v1/organisations",
            codelists: "/api/v1/codelists",
            reports: "/api/v1/reports",
            crossborder: "/api/v1/crossborder",
            capacities: "/api/v1/catalog/capacities",
            demands: "/api/v1/catalog/demands",
            catalog_report: "/api/v1/catalog/report",
            search: "/api/v1/search",
            catalog_match: "/api/v1/catalog/match",
            practices: "/api/v1/practices",
        },
    };
}

/// `GET /health` (outside `/api/v1`): whether the server answers, and what it holds.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Health {
    #[schemars(extend("const" = "ok"))]
    pub status: &'static str,
    /// The version of Coopera that answers.
    pub version: &'static str,
    /// Activities in the registry.
    pub activities: usize,
    /// Organisations in the registry.
    pub organisations: usize,
}

/// Where a record is shown to people.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Links {
    /// The record's page.
    pub html: String,
}
