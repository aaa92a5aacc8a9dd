//! A record of any kind, as the store receives it; its stored form (the store's own) and its
//! document form (what users write and read).

use coopera_domain::activity::Activity;
use coopera_domain::catalog::{Capacity, Demand};
use coopera_domain::doc::{
    ActionDoc, ActivityDoc, AgreementDoc, CapacityDoc, DemandDoc, MembershipDoc, OrganisationDoc, PracticeDoc,
    Reference,
};
use coopera_domain::kinds::WorkflowState;
use coopera_domain::organisation::Organisation;
use coopera_domain::practice::GoodPractice;
pub use coopera_domain::record::RecordKind;
use coopera_domain::subnational::{Agreement, NetworkMembership, SubnationalAction};

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
    Practice(GoodPractice),
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
            Record::Practice(_) => RecordKind::Practice,
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
            Record::Practice(g) => g.parts().key.to_string(),
        }
    }

    /// Where the record stands in the validation workflow; organisations have no workflow, and
    /// a demand has its own flow (received → answered → agreed → closed).
    pub fn workflow(&self) -> Option<WorkflowState> {
        match self {
            Record::Activity(a) => Some(a.parts().workflow),
            Record::Capacity(c) => Some(c.parts().workflow),
            Record::Action(a) => Some(a.parts().workflow),
            Record::Agreement(a) => Some(a.parts().workflow),
            Record::Membership(m) => Some(m.parts().workflow),
            Record::Practice(g) => Some(g.parts().workflow),
            Record::Organisation(_) | Record::Demand(_) => None,
        }
    }

    /// The record in `workflow`, where its kind has a workflow; as it is otherwise.
    pub fn with_workflow(mut self, workflow: WorkflowState) -> Record {
        self.set_workflow(workflow);
        self
    }

    /// Puts the record in `workflow`, where its kind has a workflow.
    pub fn set_workflow(&mut self, workflow: WorkflowState) {
        match self {
            Record::Activity(a) => a.set_workflow(workflow),
            Record::Capacity(c) => c.set_workflow(workflow),
            Record::Action(a) => a.set_workflow(workflow),
            Record::Agreement(a) => a.set_workflow(workflow),
            Record::Membership(m) => m.set_workflow(workflow),
            Record::Practice(g) => g.set_workflow(workflow),
            Record::Organisation(_) | Record::Demand(_) => {}
        }
    }

    /// The stored form: the checked record itself as JSON (the domain types' `serde`), kept
    /// with the record, compared to detect changes and kept before and after in the history.
    /// It is the store's own, apart from the document format users write and read
    /// ([`Record::document_json`]): either can change without the other.
    pub fn to_json(&self) -> String {
        self.stored().0
    }

    /// The records this one names, which must exist, each at the path of the document that
    /// names it (for messages in the user's terms).
    pub fn references(&self) -> Vec<Reference> {
        self.stored().1
    }

    /// The stored form and the references the record makes.
    pub fn stored(&self) -> (String, Vec<Reference>) {
        fn both<R: serde::Serialize, D>(
            record: &R,
            doc: D,
            references: fn(&D) -> Vec<Reference>,
        ) -> (String, Vec<Reference>) {
            // Records are plain strings, numbers and maps with string keys: they always
            // serialise.
            (serde_json::to_string(record).unwrap_or_default(), references(&doc))
        }
        match self {
            Record::Organisation(o) => both(o, OrganisationDoc::from_domain(o), OrganisationDoc::references),
            Record::Activity(a) => both(a, ActivityDoc::from_domain(a), ActivityDoc::references),
            Record::Capacity(c) => both(c, CapacityDoc::from_domain(c), CapacityDoc::references),
            Record::Demand(d) => both(d, DemandDoc::from_domain(d), DemandDoc::references),
            Record::Action(a) => both(a, ActionDoc::from_domain(a), ActionDoc::references),
            Record::Agreement(a) => both(a, AgreementDoc::from_domain(a), AgreementDoc::references),
            Record::Membership(m) => both(m, MembershipDoc::from_domain(m), MembershipDoc::references),
            Record::Practice(g) => both(g, PracticeDoc::from_domain(g), PracticeDoc::references),
        }
    }

    /// The record in the document format users write (`coopera activity add`, the API), as
    /// JSON.
    pub fn document_json(&self) -> String {
        fn json<D: serde::Serialize>(doc: D) -> String {
            serde_json::to_string(&doc).unwrap_or_default()
        }
        match self {
            Record::Organisation(o) => json(OrganisationDoc::from_domain(o)),
            Record::Activity(a) => json(ActivityDoc::from_domain(a)),
            Record::Capacity(c) => json(CapacityDoc::from_domain(c)),
            Record::Demand(d) => json(DemandDoc::from_domain(d)),
            Record::Action(a) => json(ActionDoc::from_domain(a)),
            Record::Agreement(a) => json(AgreementDoc::from_domain(a)),
            Record::Membership(m) => json(MembershipDoc::from_domain(m)),
            Record::Practice(g) => json(PracticeDoc::from_domain(g)),
        }
    }

    /// What differs between the record stored (its stored form) and this one, in the terms
    /// of the document users write: `title.es`, `sectors[1].percentage`.
    pub fn differences_from(&self, stored: &str) -> Vec<Difference> {
        Record::differences(&Record::as_document(self.kind(), stored), &self.document_json())
    }

    /// A stored form (or, in a database written before the stored form was the store's own,
    /// a document) as the document users read; the text as it is when it reads as neither.
    pub fn as_document(kind: RecordKind, stored: &str) -> String {
        Record::from_json(kind, stored).map_or_else(|_| stored.to_owned(), |r| r.document_json())
    }

    /// What differs between two documents of a record, field by field: the path of each value
    /// that is not the same (`title.es`, `sectors[1].percentage`) with its text before and
    /// after (`None` where absent or empty); the stored document's fields first, then those
    /// only the new one has.
    pub fn differences(stored: &str, new: &str) -> Vec<Difference> {
        let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap_or(serde_json::Value::Null);
        let mut out = Vec::new();
        differ("", Some(&parse(stored)), Some(&parse(new)), &mut out);
        out
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

    /// Reads a stored form back into a checked record. A database written before the stored
    /// form was the store's own holds documents instead (until its migration rewrites them):
    /// those are read as documents.
    pub fn from_json(kind: RecordKind, json: &str) -> Result<Record, String> {
        fn stored<R: serde::de::DeserializeOwned>(json: &str, into: fn(R) -> Record) -> Result<Record, String> {
            serde_json::from_str(json).map(into).map_err(|e| e.to_string())
        }
        let read = match kind {
            RecordKind::Organisation => stored(json, Record::Organisation),
            RecordKind::Activity => stored(json, |a| Record::Activity(Box::new(a))),
            RecordKind::Capacity => stored(json, Record::Capacity),
            RecordKind::Demand => stored(json, Record::Demand),
            RecordKind::Action => stored(json, Record::Action),
            RecordKind::Agreement => stored(json, Record::Agreement),
            RecordKind::Membership => stored(json, Record::Membership),
            RecordKind::Practice => stored(json, Record::Practice),
        };
        read.or_else(|error| Record::from_document(kind, json).map_err(|_| error))
    }

    /// Reads a record from the document format users write (JSON), checked.
    pub fn from_document(kind: RecordKind, json: &str) -> Result<Record, String> {
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
            RecordKind::Practice => Record::Practice(parse::<PracticeDoc>(json)?.into_domain().map_err(problems)?),
        })
    }
}

/// A field whose value differs between a stored record and a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub path: String,
    pub stored: Option<String>,
    pub new: Option<String>,
}

fn differ(path: &str, a: Option<&serde_json::Value>, b: Option<&serde_json::Value>, out: &mut Vec<Difference>) {
    use serde_json::{Map, Value};
    fn array(v: Option<&Value>) -> Option<&Vec<Value>> {
        v.and_then(Value::as_array)
    }
    fn object(v: Option<&Value>) -> Option<&Map<String, Value>> {
        v.and_then(Value::as_object)
    }
    let absent_or = |v: Option<&Value>, kind: fn(&Value) -> bool| v.is_none_or(kind);
    if (a.is_some() || b.is_some()) && absent_or(a, Value::is_array) && absent_or(b, Value::is_array) {
        let len = |v: Option<&Value>| array(v).map_or(0, Vec::len);
        for i in 0..len(a).max(len(b)) {
            let (x, y) = (array(a).and_then(|x| x.get(i)), array(b).and_then(|y| y.get(i)));
            differ(&format!("{path}[{i}]"), x, y, out);
        }
    } else if (a.is_some() || b.is_some()) && absent_or(a, Value::is_object) && absent_or(b, Value::is_object) {
        let mut keys: Vec<&String> = object(a).map(|m| m.keys().collect()).unwrap_or_default();
        for k in object(b).into_iter().flat_map(|m| m.keys()) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        for k in keys {
            let (x, y) = (object(a).and_then(|m| m.get(k)), object(b).and_then(|m| m.get(k)));
            let path = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
            differ(&path, x, y, out);
        }
    } else {
        let (stored, new) = (scalar(a), scalar(b));
        if stored != new {
            out.push(Difference { path: path.to_owned(), stored, new });
        }
    }
}

/// A leaf value as messages show it; absent, null and empty are all nothing.
fn scalar(v: Option<&serde_json::Value>) -> Option<String> {
    use serde_json::Value;
    match v? {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        other @ (Value::Bool(_) | Value::Number(_)) => Some(other.to_string()),
        // A list or a table against a value: shown as written.
        other => Some(other.to_string()),
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

    #[test]
    fn differences_name_each_field() {
        let stored = r#"{"id":"A","title":{"es":"Curso","en":"Course"},"sectors":[{"code":"41010","percentage":"60"},{"code":"15110","percentage":"40"}],"south_south":true}"#;
        let new = r#"{"id":"A","title":{"es":"Taller"},"sectors":[{"code":"41010","percentage":"100"}],"folio":"F-1"}"#;
        let found: Vec<(String, Option<String>, Option<String>)> =
            Record::differences(stored, new).into_iter().map(|d| (d.path, d.stored, d.new)).collect();
        let d = |p: &str, a: Option<&str>, b: Option<&str>| (p.to_owned(), a.map(str::to_owned), b.map(str::to_owned));
        assert_eq!(
            found,
            [
                d("sectors[0].percentage", Some("60"), Some("100")),
                d("sectors[1].code", Some("15110"), None),
                d("sectors[1].percentage", Some("40"), None),
                d("south_south", Some("true"), None),
                d("title.en", Some("Course"), None),
                d("title.es", Some("Curso"), Some("Taller")),
                d("folio", None, Some("F-1")),
            ]
        );
        assert!(Record::differences(stored, stored).is_empty());
    }
}
