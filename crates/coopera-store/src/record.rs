//! A record of any kind, as the store receives it, and its document form.

use std::fmt;

use coopera_domain::Lang;
use coopera_domain::activity::Activity;
use coopera_domain::catalog::{Capacity, Demand};
use coopera_domain::doc::{
    ActionDoc, ActivityDoc, AgreementDoc, CapacityDoc, DemandDoc, MembershipDoc, OrganisationDoc,
};
use coopera_domain::organisation::Organisation;
use coopera_domain::subnational::{Agreement, NetworkMembership, SubnationalAction};

/// The kinds of record the registry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    Organisation,
    Activity,
    Capacity,
    Demand,
    Action,
    Agreement,
    Membership,
}

impl RecordKind {
    pub const ALL: [RecordKind; 7] = [
        RecordKind::Organisation,
        RecordKind::Activity,
        RecordKind::Capacity,
        RecordKind::Demand,
        RecordKind::Action,
        RecordKind::Agreement,
        RecordKind::Membership,
    ];

    /// The name in the database and in dataset files.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Organisation => "organisation",
            RecordKind::Activity => "activity",
            RecordKind::Capacity => "capacity",
            RecordKind::Demand => "demand",
            RecordKind::Action => "action",
            RecordKind::Agreement => "agreement",
            RecordKind::Membership => "membership",
        }
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RecordKind::Organisation => lang.pick("organización", "organisation"),
            RecordKind::Activity => lang.pick("actividad", "activity"),
            RecordKind::Capacity => lang.pick("capacidad", "capacity"),
            RecordKind::Demand => lang.pick("solicitud", "demand"),
            RecordKind::Action => lang.pick("acción internacional", "international action"),
            RecordKind::Agreement => lang.pick("acuerdo", "agreement"),
            RecordKind::Membership => lang.pick("membresía", "membership"),
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A checked record of any kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Organisation(Organisation),
    /// Boxed: an activity is many times larger than the other records.
    Activity(Box<Activity>),
    Capacity(Capacity),
    Demand(Demand),
    Action(SubnationalAction),
    Agreement(Agreement),
    Membership(NetworkMembership),
}

impl Record {
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::Organisation(_) => RecordKind::Organisation,
            Record::Activity(_) => RecordKind::Activity,
            Record::Capacity(_) => RecordKind::Capacity,
            Record::Demand(_) => RecordKind::Demand,
            Record::Action(_) => RecordKind::Action,
            Record::Agreement(_) => RecordKind::Agreement,
            Record::Membership(_) => RecordKind::Membership,
        }
    }

    pub fn key(&self) -> String {
        match self {
            Record::Organisation(o) => o.key().to_string(),
            Record::Activity(a) => a.key().to_string(),
            Record::Capacity(c) => c.parts().key.to_string(),
            Record::Demand(d) => d.parts().key.to_string(),
            Record::Action(a) => a.parts().key.to_string(),
            Record::Agreement(a) => a.parts().key.to_string(),
            Record::Membership(m) => m.parts().key.to_string(),
        }
    }

    /// The canonical JSON document: stored with the record, compared to detect changes, and
    /// kept before/after in the history.
    pub fn to_json(&self) -> String {
        let json = match self {
            Record::Organisation(o) => serde_json::to_string(&OrganisationDoc::from_domain(o)),
            Record::Activity(a) => serde_json::to_string(&ActivityDoc::from_domain(a)),
            Record::Capacity(c) => serde_json::to_string(&CapacityDoc::from_domain(c)),
            Record::Demand(d) => serde_json::to_string(&DemandDoc::from_domain(d)),
            Record::Action(a) => serde_json::to_string(&ActionDoc::from_domain(a)),
            Record::Agreement(a) => serde_json::to_string(&AgreementDoc::from_domain(a)),
            Record::Membership(m) => serde_json::to_string(&MembershipDoc::from_domain(m)),
        };
        // Documents are plain strings, numbers and maps with string keys: they always serialise.
        json.unwrap_or_default()
    }

    /// Whether two stored documents say the same, whatever their key order or spacing (an
    /// older version of Coopera wrote keys sorted).
    pub fn same_document(a: &str, b: &str) -> bool {
        if a == b {
            return true;
        }
        match (serde_json::from_str::<serde_json::Value>(a), serde_json::from_str::<serde_json::Value>(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }

    /// Reads a stored document back into a checked record.
    pub fn from_json(kind: RecordKind, json: &str) -> Result<Record, String> {
        fn parse<D: serde::de::DeserializeOwned>(json: &str) -> Result<D, String> {
            serde_json::from_str(json).map_err(|e| e.to_string())
        }
        let problems = |p: coopera_domain::Problems| p.to_string();
        Ok(match kind {
            RecordKind::Organisation => {
                Record::Organisation(parse::<OrganisationDoc>(json)?.into_domain().map_err(problems)?)
            }
            RecordKind::Activity => {
                Record::Activity(Box::new(parse::<ActivityDoc>(json)?.into_domain().map_err(problems)?))
            }
            RecordKind::Capacity => Record::Capacity(parse::<CapacityDoc>(json)?.into_domain().map_err(problems)?),
            RecordKind::Demand => Record::Demand(parse::<DemandDoc>(json)?.into_domain().map_err(problems)?),
            RecordKind::Action => Record::Action(parse::<ActionDoc>(json)?.into_domain().map_err(problems)?),
            RecordKind::Agreement => Record::Agreement(parse::<AgreementDoc>(json)?.into_domain().map_err(problems)?),
            RecordKind::Membership => {
                Record::Membership(parse::<MembershipDoc>(json)?.into_domain().map_err(problems)?)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_compare_by_content_not_key_order() {
        assert!(Record::same_document(r#"{"a":1,"b":[1,2]}"#, r#"{"b":[1,2],"a":1}"#));
        assert!(!Record::same_document(r#"{"a":1,"b":[1,2]}"#, r#"{"a":1,"b":[2,1]}"#));
        assert!(!Record::same_document("not json", "not json either"));
    }
}
