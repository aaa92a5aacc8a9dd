//! The catalog of national capacities and partners' demands as the API shows them: the lists,
//! one capacity or demand with its document (and a demand's workflow steps), the bodies of
//! their writes and of a demand's step, and the catalog report.

use coopera_domain::doc::{CapacityDoc, ContactDoc, DemandDoc};
use schemars::JsonSchema;
use serde::Serialize;

use super::{Links, Number, SectorShare, Text};

/// `GET /api/v1/catalog/capacities`: every capacity of the catalog.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CapacityList {
    pub total: usize,
    pub items: Vec<CapacitySummary>,
}

/// A capacity in the list.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CapacitySummary {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// In the request's language, or another when it has none.
    pub title: String,
    /// The key of the national institution that offers it.
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub institution: String,
    /// The institution's name, in the request's language.
    pub institution_name: String,
    /// The thematic areas of its sectors (none when no sector has one).
    #[schemars(extend("x-codelist" = "ThematicArea"))]
    pub areas: Vec<&'static str>,
    #[schemars(extend("x-codelist" = "CapacityForm"))]
    pub forms: Vec<&'static str>,
    #[schemars(extend("x-codelist" = "Language"))]
    pub languages: Vec<String>,
    #[schemars(extend("pattern" = "^/api/v1/catalog/capacities/"))]
    pub href: String,
}

/// `GET /api/v1/catalog/capacities/{key}`: the capacity's document.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CapacityDetail {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// The version of the record (see `ActivityDetail.version`).
    pub version: i64,
    /// The thematic areas of its sectors.
    #[schemars(extend("x-codelist" = "ThematicArea"))]
    pub areas: Vec<&'static str>,
    pub document: CapacityDocument,
    pub links: Links,
}

/// Whom to contact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Contact {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl Contact {
    fn is_empty(&self) -> bool {
        *self == Contact::default()
    }
}

impl From<ContactDoc> for Contact {
    fn from(c: ContactDoc) -> Contact {
        let ContactDoc { name, email, phone } = c;
        Contact { name, email, phone }
    }
}

/// A capacity of the catalog as a document (crates/coopera-domain/src/doc.rs): what a national
/// institution can offer, in which sectors and forms. Fields without a value are left out.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CapacityDocument {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    pub title: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// The national institution that offers it (an organisation's key).
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub institution: String,
    /// Its sectors, the percentages of each vocabulary adding up to 100.
    pub sectors: Vec<SectorShare>,
    /// The forms it can take (at least one).
    #[schemars(extend("x-codelist" = "CapacityForm"))]
    pub forms: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-codelist" = "Language"))]
    pub languages: Vec<String>,
    #[serde(skip_serializing_if = "Contact::is_empty")]
    pub contact: Contact,
    /// Past activities that prove it (IATI identifiers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Where it stands in the validation workflow.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-codelist" = "WorkflowState"))]
    pub workflow: Option<String>,
}

impl From<CapacityDoc> for CapacityDocument {
    fn from(doc: CapacityDoc) -> CapacityDocument {
        let CapacityDoc {
            key,
            title,
            description,
            institution,
            sectors,
            forms,
            languages,
            contact,
            evidence,
            workflow,
        } = doc;
        CapacityDocument {
            key,
            title: title.into(),
            description: description.map(Text::from),
            institution,
            sectors: sectors.into_iter().map(SectorShare::from).collect(),
            forms,
            languages,
            contact: contact.into(),
            evidence,
            workflow,
        }
    }
}

/// `PUT /api/v1/catalog/capacities/{key}`: the capacity's new document, and the version it
/// was read at.
#[derive(Debug, Clone, serde::Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityUpdate {
    pub version: i64,
    #[schemars(with = "CapacityDocument")]
    pub document: CapacityDoc,
}

/// `GET /api/v1/catalog/demands`: the partners' demands (for signed-in accounts).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DemandList {
    pub total: usize,
    pub items: Vec<DemandSummary>,
}

/// A demand in the list.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DemandSummary {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// In the request's language, or another when it has none.
    pub title: String,
    /// The key of the partner or Mexican state that asks.
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub requester: String,
    /// The requester's name, in the request's language.
    pub requester_name: String,
    #[schemars(extend("x-codelist" = "DemandState"))]
    pub state: &'static str,
    #[schemars(extend("pattern" = "^[A-Z]{2}$"))]
    pub country: Option<&'static str>,
    #[schemars(extend("format" = "date"))]
    pub received: Option<String>,
    /// The capacities proposed in answer, best first.
    #[schemars(extend("items" = { "type": "string", "pattern": "^[a-z0-9_-]{1,64}$" }))]
    pub proposed: Vec<String>,
    #[schemars(extend("pattern" = "^/api/v1/catalog/demands/"))]
    pub href: String,
}

/// `GET /api/v1/catalog/demands/{key}`: the demand's document and the steps of its workflow.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DemandDetail {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// The version of the record (see `ActivityDetail.version`).
    pub version: i64,
    pub document: DemandDocument,
    /// Who moved it along its workflow, when and why, oldest first.
    pub steps: Vec<DemandStepEntry>,
    pub links: Links,
}

/// A step of a demand's workflow, from the audit trail.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DemandStepEntry {
    /// UTC, RFC 3339.
    #[schemars(extend("format" = "date-time"))]
    pub at: String,
    /// The account (or command-line user) that took it.
    pub author: String,
    #[schemars(extend("x-codelist" = "DemandState"))]
    pub from: &'static str,
    #[schemars(extend("x-codelist" = "DemandState"))]
    pub to: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A partner's demand (solicitud) as a document (crates/coopera-domain/src/doc.rs). Fields
/// without a value are left out.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DemandDocument {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    pub title: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// The partner or Mexican state that asks (an organisation's key).
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub requester: String,
    pub sectors: Vec<SectorShare>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-codelist" = "CapacityForm"))]
    pub forms: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[A-Z]{2}$"))]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[0-9]{2}$"))]
    pub mx_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub received: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-codelist" = "Language"))]
    pub languages: Vec<String>,
    /// Where the demand stands; left out while `received`. It moves by its own steps
    /// (`POST …/transitions`): a `PUT` keeps the stored one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-codelist" = "DemandState"))]
    pub state: Option<String>,
    /// The capacities proposed in answer, best first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("items" = { "type": "string", "pattern": "^[a-z0-9_-]{1,64}$" }))]
    pub proposed: Vec<String>,
    /// The activity that carries the agreed cooperation out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub answered: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub agreed: Option<String>,
    /// When it was closed or declined.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub settled: Option<String>,
}

impl From<DemandDoc> for DemandDocument {
    fn from(doc: DemandDoc) -> DemandDocument {
        let DemandDoc {
            key,
            title,
            description,
            requester,
            sectors,
            forms,
            country,
            mx_state,
            received,
            languages,
            state,
            proposed,
            activity,
            answered,
            agreed,
            settled,
        } = doc;
        DemandDocument {
            key,
            title: title.into(),
            description: description.map(Text::from),
            requester,
            sectors: sectors.into_iter().map(SectorShare::from).collect(),
            forms,
            country,
            mx_state,
            received,
            languages,
            state,
            proposed,
            activity,
            answered,
            agreed,
            settled,
        }
    }
}

/// `PUT /api/v1/catalog/demands/{key}`: the demand's new document, and the version it was
/// read at. Its workflow (`state`, `proposed`, `activity` and the dates of the steps) is kept
/// as stored: it moves by its own steps (`POST …/transitions`).
#[derive(Debug, Clone, serde::Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandUpdate {
    pub version: i64,
    #[schemars(with = "DemandDocument")]
    pub document: DemandDoc,
}

/// `POST /api/v1/catalog/demands/{key}/transitions`: one step of a demand's workflow —
/// received → answered (with the capacities proposed) → agreed (with the activity that carries
/// it out) → closed; a received or answered demand may be declined, with a reason.
#[derive(Debug, Clone, serde::Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandTransitionRequest {
    /// The state to move to.
    #[schemars(extend("x-codelist" = "DemandState"))]
    pub to: String,
    /// The capacities proposed, best first (answering): they replace those proposed before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("items" = { "type": "string", "pattern": "^[a-z0-9_-]{1,64}$" }))]
    pub proposed: Vec<String>,
    /// The activity that carries the agreed cooperation out (agreeing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    /// Why (required to decline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The version the step was decided at: refused (409) when the demand changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// `GET /api/v1/catalog/report`: how partners' demands move through their workflow, and the
/// capacities of the catalog by thematic area.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CatalogReport {
    /// Demands in the registry.
    pub demands: u64,
    /// Every state, in workflow order, with its count (zero included).
    pub by_state: Vec<DemandStateCount>,
    /// Demands answered or past it (agreed, closed): capacities were proposed.
    pub answered: u64,
    /// `answered` as a percentage of all demands; null without demands.
    pub answered_share: Option<Number>,
    /// Days from reception to answer.
    pub to_answer: CycleTimes,
    /// Days from reception to agreement.
    pub to_agreement: CycleTimes,
    /// Capacities in the catalog.
    pub capacities: u64,
    /// Capacities by thematic area, largest first: a capacity counts once in each area it
    /// touches, so the shares may add up to more than 100.
    pub areas: Vec<AreaShare>,
    /// Whether a capacity counts in more than one area.
    pub areas_overlap: bool,
}

/// How many demands stand in a state.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DemandStateCount {
    #[schemars(extend("x-codelist" = "DemandState"))]
    pub state: &'static str,
    /// In the request's language.
    pub label: &'static str,
    pub demands: u64,
}

/// Days from a demand's reception to a step, over the demands that have both dates.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CycleTimes {
    /// Demands with both dates.
    pub demands: u64,
    /// Null without such demands.
    pub median_days: Option<Number>,
    /// Null without such demands.
    pub mean_days: Option<Number>,
}

/// The capacities of a thematic area.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AreaShare {
    /// A ThematicArea code, or `unclassified`.
    pub area: String,
    /// In the request's language.
    pub label: String,
    pub capacities: Number,
    /// Percentage of all capacities.
    pub share: Number,
}
