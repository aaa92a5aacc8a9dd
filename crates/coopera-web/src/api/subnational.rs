//! The international action of states and municipalities as the API shows it: actions
//! abroad, inter-institutional agreements and memberships of networks — their lists, one
//! record with its document, and the bodies of their updates.

use coopera_domain::doc::{ActionDoc, AgreementDoc, MembershipDoc};
use schemars::JsonSchema;
use serde::Serialize;

use super::{CrossBorder, Links, Text};

/// `GET /api/v1/actions`, `GET /api/v1/agreements`, `GET /api/v1/memberships`: every record
/// of the kind, or those of one federal entity (`?state=07`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SubnationalList {
    pub total: usize,
    pub items: Vec<SubnationalSummary>,
}

/// A record in the list.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SubnationalSummary {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// What it is, in the request's language: an action's purpose, an agreement's title, a
    /// membership's network and member.
    pub title: String,
    /// The federal entities (INEGI codes) whose record it is: those of its actor, its parties
    /// or its member.
    #[schemars(extend("items" = { "type": "string", "pattern": "^[0-9]{2}$" }))]
    pub states: Vec<String>,
    /// The day it starts: an action's date, an agreement's signature, a membership's start.
    #[schemars(extend("format" = "date"))]
    pub date: Option<String>,
    #[schemars(extend("pattern" = "^/api/v1/"))]
    pub href: String,
}

/// `GET /api/v1/actions/{key}`: the action's document.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ActionDetail {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// The version of the record (see `ActivityDetail.version`).
    pub version: i64,
    /// The federal entities (INEGI codes) whose action it is: its actor's.
    #[schemars(extend("items" = { "type": "string", "pattern": "^[0-9]{2}$" }))]
    pub states: Vec<String>,
    pub document: ActionDocument,
    pub links: Links,
}

/// An international action of a state or municipal government as a document
/// (crates/coopera-domain/src/doc.rs): a trade mission, a visit, an office abroad… Fields
/// without a value are left out.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ActionDocument {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// The state or municipal government that acts (an organisation's key).
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub actor: String,
    #[schemars(extend("x-codelist" = "SubnationalActionKind"))]
    pub kind: String,
    #[schemars(extend("format" = "date"))]
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub end_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[A-Z]{2}$"))]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Whom it met abroad, free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counterpart: Option<String>,
    pub purpose: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Text>,
    /// The activities it led to (IATI identifiers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<String>,
    /// Its place in the cross-border agenda: the border and the dimensions it serves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cross_border: Option<CrossBorder>,
    /// Where it stands in the validation workflow.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-codelist" = "WorkflowState"))]
    pub workflow: Option<String>,
}

impl From<ActionDoc> for ActionDocument {
    fn from(doc: ActionDoc) -> ActionDocument {
        let ActionDoc {
            key,
            actor,
            kind,
            date,
            end_date,
            country,
            city,
            counterpart,
            purpose,
            outcome,
            activities,
            cross_border,
            workflow,
        } = doc;
        ActionDocument {
            key,
            actor,
            kind,
            date,
            end_date,
            country,
            city,
            counterpart,
            purpose: purpose.into(),
            outcome: outcome.map(Text::from),
            activities,
            cross_border: cross_border.map(CrossBorder::from),
            workflow,
        }
    }
}

/// `PUT /api/v1/actions/{key}`: the action's new document, and the version it was read at.
#[derive(Debug, Clone, serde::Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionUpdate {
    pub version: i64,
    #[schemars(with = "ActionDocument")]
    pub document: ActionDoc,
}

/// `GET /api/v1/agreements/{key}`: the agreement's document.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AgreementDetail {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// The version of the record (see `ActivityDetail.version`).
    pub version: i64,
    /// The federal entities (INEGI codes) whose agreement it is: its parties'.
    #[schemars(extend("items" = { "type": "string", "pattern": "^[0-9]{2}$" }))]
    pub states: Vec<String>,
    pub document: AgreementDocument,
    pub links: Links,
}

/// An inter-institutional agreement as a document (crates/coopera-domain/src/doc.rs). Fields
/// without a value are left out.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct AgreementDocument {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    pub title: Text,
    /// The parties (organisations' keys), at least two, each once.
    #[schemars(extend("items" = { "type": "string", "pattern": "^[a-z0-9_-]{1,64}$" }))]
    pub parties: Vec<String>,
    #[schemars(extend("format" = "date"))]
    pub signed: String,
    /// Its last day of validity; none is for ever.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub valid_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<Text>,
    /// The number the foreign ministry's registry of agreements gave it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    /// The activities carried out under it (IATI identifiers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<String>,
    /// Where it stands in the validation workflow.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-codelist" = "WorkflowState"))]
    pub workflow: Option<String>,
}

impl From<AgreementDoc> for AgreementDocument {
    fn from(doc: AgreementDoc) -> AgreementDocument {
        let AgreementDoc { key, title, parties, signed, valid_until, scope, registration_number, activities, workflow } =
            doc;
        AgreementDocument {
            key,
            title: title.into(),
            parties,
            signed,
            valid_until,
            scope: scope.map(Text::from),
            registration_number,
            activities,
            workflow,
        }
    }
}

/// `PUT /api/v1/agreements/{key}`: the agreement's new document, and the version it was read at.
#[derive(Debug, Clone, serde::Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementUpdate {
    pub version: i64,
    #[schemars(with = "AgreementDocument")]
    pub document: AgreementDoc,
}

/// `GET /api/v1/memberships/{key}`: the membership's document.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MembershipDetail {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// The version of the record (see `ActivityDetail.version`).
    pub version: i64,
    /// The federal entities (INEGI codes) whose membership it is: its member's.
    #[schemars(extend("items" = { "type": "string", "pattern": "^[0-9]{2}$" }))]
    pub states: Vec<String>,
    pub document: MembershipDocument,
    pub links: Links,
}

/// A membership of a network (AMAIE, CONAGO's international affairs commission…) as a
/// document (crates/coopera-domain/src/doc.rs). Fields without a value are left out.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct MembershipDocument {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    /// The network, itself an organisation (its key).
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub network: String,
    /// The member (an organisation's key), not the network itself.
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub member: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub until: Option<String>,
    /// The member's role in the network, free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Where it stands in the validation workflow.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-codelist" = "WorkflowState"))]
    pub workflow: Option<String>,
}

impl From<MembershipDoc> for MembershipDocument {
    fn from(doc: MembershipDoc) -> MembershipDocument {
        let MembershipDoc { key, network, member, since, until, role, workflow } = doc;
        MembershipDocument { key, network, member, since, until, role, workflow }
    }
}

/// `PUT /api/v1/memberships/{key}`: the membership's new document, and the version it was
/// read at.
#[derive(Debug, Clone, serde::Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipUpdate {
    pub version: i64,
    #[schemars(with = "MembershipDocument")]
    pub document: MembershipDoc,
}
