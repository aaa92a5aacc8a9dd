//! The rows a record is indexed into, written once for every backend: the columns of its main
//! row (besides `key` and `doc`) and the rows of its child tables. A backend only binds these
//! values in its own types and inserts them.

use coopera_domain::activity::{Activity, Derived, Sdg};

use crate::record::{Record, RecordKind};

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(Option<String>),
    Int(Option<i64>),
    /// A yes/no column (an integer 0/1 in SQLite, a boolean in PostgreSQL).
    Flag(bool),
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(Some(s))
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(Some(s.to_owned()))
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Cell {
        Cell::Text(s)
    }
}

impl From<Option<&str>> for Cell {
    fn from(s: Option<&str>) -> Cell {
        Cell::Text(s.map(str::to_owned))
    }
}

impl From<Option<i64>> for Cell {
    fn from(n: Option<i64>) -> Cell {
        Cell::Int(n)
    }
}

impl From<bool> for Cell {
    fn from(b: bool) -> Cell {
        Cell::Flag(b)
    }
}

/// The table of each record kind.
pub(crate) fn table(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Organisation => "organisation",
        RecordKind::Activity => "activity",
        RecordKind::Capacity => "capacity",
        RecordKind::Demand => "demand",
        RecordKind::Action => "subnational_action",
        RecordKind::Agreement => "agreement",
        RecordKind::Membership => "network_membership",
        RecordKind::Practice => "good_practice",
    }
}

/// A query answering whether a registry holds anything (a record, an audit row, an account or
/// a rate), in SQL both backends read.
pub(crate) const HOLDS_ANYTHING: &str = "SELECT EXISTS (SELECT 1 FROM organisation) OR EXISTS (SELECT 1 FROM activity) \
     OR EXISTS (SELECT 1 FROM capacity) OR EXISTS (SELECT 1 FROM demand) OR EXISTS (SELECT 1 FROM subnational_action) \
     OR EXISTS (SELECT 1 FROM agreement) OR EXISTS (SELECT 1 FROM network_membership) OR EXISTS (SELECT 1 FROM good_practice) \
     OR EXISTS (SELECT 1 FROM change_history) OR EXISTS (SELECT 1 FROM account) OR EXISTS (SELECT 1 FROM exchange_rate)";

/// The columns of a record kind's scan ([`crate::backend::Backend::scan_documents`]): the key
/// and document, and an activity's derived facts.
pub(crate) fn scan_sql(kind: RecordKind) -> String {
    match kind {
        RecordKind::Activity => "SELECT key, doc, direction, decentralised, cross_border FROM activity".to_owned(),
        other => format!("SELECT key, doc FROM {}", table(other)),
    }
}

/// A child table: its name, the column naming its parent's id, and its other columns in the
/// order [`Child::values`] gives them.
#[derive(Debug)]
pub(crate) struct ChildTable {
    pub name: &'static str,
    pub parent: &'static str,
    pub columns: &'static [&'static str],
}

/// Every child table, activities' first; [`Child::table`] indexes this list.
pub(crate) const CHILD_TABLES: &[ChildTable] = &[
    ChildTable { name: "activity_participant", parent: "activity_id", columns: &["org_key", "role"] },
    ChildTable { name: "activity_sector", parent: "activity_id", columns: &["vocabulary", "code", "percentage"] },
    ChildTable { name: "activity_place", parent: "activity_id", columns: &["kind", "code", "percentage"] },
    ChildTable {
        name: "activity_money",
        parent: "activity_id",
        columns: &[
            "kind",
            "date",
            "amount",
            "currency",
            "value_date",
            "provider_org",
            "provider_activity",
            "receiver_activity",
        ],
    },
    ChildTable {
        name: "activity_in_kind",
        parent: "activity_id",
        columns: &["unit", "quantity", "unit_value", "currency"],
    },
    ChildTable { name: "activity_related", parent: "activity_id", columns: &["kind", "identifier"] },
    ChildTable { name: "activity_sdg", parent: "activity_id", columns: &["code"] },
    ChildTable { name: "activity_agenda", parent: "activity_id", columns: &["dimension"] },
    ChildTable { name: "capacity_sector", parent: "capacity_id", columns: &["vocabulary", "code", "percentage"] },
];

const PARTICIPANT: usize = 0;
const SECTOR: usize = 1;
const PLACE: usize = 2;
const MONEY: usize = 3;
const IN_KIND: usize = 4;
const RELATED: usize = 5;
const SDG: usize = 6;
const AGENDA: usize = 7;
const CAPACITY_SECTOR: usize = 8;

/// The child tables a record kind writes, to delete from before a record is rewritten.
pub(crate) fn child_tables(kind: RecordKind) -> &'static [ChildTable] {
    match kind {
        RecordKind::Activity => &CHILD_TABLES[..=AGENDA],
        RecordKind::Capacity => &CHILD_TABLES[CAPACITY_SECTOR..],
        _ => &[],
    }
}

/// A row of a child table, without its parent's id.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Child {
    /// Index in [`CHILD_TABLES`].
    pub table: usize,
    pub values: Vec<Cell>,
}

/// The columns of the activity row besides `key` and `doc`, in the order [`activity_row`]
/// gives them.
pub(crate) const ACTIVITY_COLUMNS: &[&str] = &[
    "reporting_org",
    "title_es",
    "title_en",
    "instrument",
    "cooperation_type",
    "modality",
    "status",
    "workflow",
    "south_south",
    "north_south",
    "direction",
    "decentralised",
    "cross_border",
    "start_year",
    "end_year",
    "start_date",
    "end_date",
    "border",
];

pub(crate) fn activity_row(a: &Activity, derived: Derived) -> Vec<Cell> {
    let p = a.parts();
    vec![
        p.reporting_org.to_string().into(),
        p.title.get("es").unwrap_or("").into(),
        p.title.get("en").unwrap_or("").into(),
        p.instrument.code().into(),
        p.cooperation_type.code().into(),
        p.modality.code().into(),
        p.status.to_string().into(),
        p.workflow.code().into(),
        p.schemes.south_south.into(),
        p.schemes.north_south.into(),
        derived.direction.map(|d| d.code()).into(),
        derived.decentralised.into(),
        derived.cross_border.into(),
        p.dates.start().map(|d| i64::from(d.year())).into(),
        p.dates.end().map(|d| i64::from(d.year())).into(),
        p.dates.start().map(|d| d.to_string()).into(),
        p.dates.end().map(|d| d.to_string()).into(),
        p.cross_border.as_ref().map(|c| c.border.code()).into(),
    ]
}

/// The columns and values of a record's main row besides `key` and `doc`; `derived` is what
/// was derived of an activity (the backends refuse an activity without it; other kinds have
/// none).
pub(crate) fn main_row(record: &Record, derived: Option<Derived>) -> (&'static [&'static str], Vec<Cell>) {
    match record {
        Record::Organisation(o) => {
            let p = o.parts();
            (
                &["name_es", "name_en", "acronym", "kind", "level", "country", "mx_state"],
                vec![
                    p.name.get("es").unwrap_or(p.name.best(coopera_domain::Lang::Es)).into(),
                    p.name.get("en").unwrap_or(p.name.best(coopera_domain::Lang::En)).into(),
                    p.acronym.clone().into(),
                    p.kind.to_string().into(),
                    p.level.code().into(),
                    p.country.map(|c| c.to_string()).into(),
                    o.mx_state().map(|c| c.to_string()).into(),
                ],
            )
        }
        Record::Capacity(c) => (&["institution"], vec![c.parts().institution.to_string().into()]),
        Record::Demand(d) => (&["requester"], vec![d.parts().requester.to_string().into()]),
        Record::Action(a) => {
            let p = a.parts();
            (
                &["actor", "kind", "date", "country"],
                vec![
                    p.actor.to_string().into(),
                    p.kind.code().into(),
                    p.date.to_string().into(),
                    p.country.map(|c| c.to_string()).into(),
                ],
            )
        }
        Record::Agreement(a) => (&["signed"], vec![a.parts().signed.to_string().into()]),
        Record::Membership(m) => {
            (&["network", "member"], vec![m.parts().network.to_string().into(), m.parts().member.to_string().into()])
        }
        Record::Practice(g) => (&["title"], vec![g.parts().title.best(coopera_domain::Lang::Es).into()]),
        Record::Activity(a) => {
            let derived = derived.unwrap_or(Derived { direction: None, decentralised: false, cross_border: false });
            (ACTIVITY_COLUMNS, activity_row(a, derived))
        }
    }
}

/// The child rows of a record, in the order reports read them back.
pub(crate) fn children(record: &Record) -> Vec<Child> {
    let mut out = Vec::new();
    let mut push = |table: usize, values: Vec<Cell>| out.push(Child { table, values });
    match record {
        Record::Activity(a) => activity_children(a, &mut push),
        Record::Capacity(c) => {
            for s in &c.parts().sectors {
                push(
                    CAPACITY_SECTOR,
                    vec![s.sector.vocabulary().into(), s.sector.code().into(), s.percent.to_string().into()],
                );
            }
        }
        _ => {}
    }
    out
}

/// The index rows reports and filters read: participants, sectors, places, money, in-kind
/// units, related activities, SDGs and the cross-border agenda.
fn activity_children(a: &Activity, push: &mut dyn FnMut(usize, Vec<Cell>)) {
    let p = a.parts();
    let none = || Cell::Text(None);
    for x in &p.participants {
        push(PARTICIPANT, vec![x.org.as_str().into(), x.role.code().into()]);
    }
    for s in &p.sectors {
        push(SECTOR, vec![s.sector.vocabulary().into(), s.sector.code().into(), s.percent.to_string().into()]);
    }
    for c in &p.countries {
        push(PLACE, vec!["country".into(), c.country.as_str().into(), c.percent.to_string().into()]);
    }
    for r in &p.regions {
        push(PLACE, vec!["region".into(), r.region.as_str().into(), r.percent.to_string().into()]);
    }
    for m in &p.mx_places {
        push(PLACE, vec!["mx_state".into(), m.state.as_str().into(), none()]);
    }
    for b in &p.budgets {
        push(
            MONEY,
            vec![
                "budget".into(),
                b.period_start.to_string().into(),
                b.value.amount.to_string().into(),
                b.value.currency.as_str().into(),
                b.value_date.map(|d| d.to_string()).into(),
                none(),
                none(),
                none(),
            ],
        );
    }
    for t in &p.transactions {
        let provider = t.provider.as_ref();
        push(
            MONEY,
            vec![
                format!("transaction:{}", t.kind).into(),
                t.date.to_string().into(),
                t.value.amount.to_string().into(),
                t.value.currency.as_str().into(),
                t.value_date.map(|d| d.to_string()).into(),
                provider.and_then(|x| x.org.as_ref()).map(|o| o.as_str()).into(),
                provider.and_then(|x| x.activity.as_deref()).into(),
                t.receiver.as_ref().and_then(|x| x.activity.as_deref()).into(),
            ],
        );
    }
    for k in &p.in_kind {
        if let Some(v) = k.value() {
            push(
                MONEY,
                vec![
                    "in_kind".into(),
                    none(),
                    v.amount.to_string().into(),
                    v.currency.as_str().into(),
                    none(),
                    none(),
                    none(),
                    none(),
                ],
            );
        }
    }
    for k in &p.in_kind {
        push(
            IN_KIND,
            vec![
                k.unit.code().into(),
                k.quantity.to_string().into(),
                k.unit_value.map(|u| u.amount.to_string()).into(),
                k.unit_value.map(|u| u.currency.as_str()).into(),
            ],
        );
    }
    for r in &p.related_activities {
        push(RELATED, vec![r.kind.as_str().into(), r.identifier.as_str().into()]);
    }
    for g in &p.sdgs {
        let code = match g {
            Sdg::Goal(c) => c.as_str(),
            Sdg::Target(c) => c.as_str(),
        };
        push(SDG, vec![code.into()]);
    }
    if let Some(cb) = &p.cross_border {
        for d in &cb.dimensions {
            push(AGENDA, vec![d.code().into()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_child_row_fills_its_table() {
        let doc: coopera_domain::doc::ActivityDoc = serde_json::from_str(
            r#"{"id":"MX-1","reporting_org":"amexcid","title":"Curso","instrument":"project",
              "cooperation_type":"technical-scientific","modality":"bilateral","status":"2",
              "participants":[{"org":"amexcid","role":"provider"}],"sectors":[{"code":"15110"}],
              "countries":[{"code":"GT"}],"sdgs":["13"],"cross_border":{"border":"south","dimensions":["migration"]},
              "budgets":[{"period_start":"2012-01-01","period_end":"2012-12-31","amount":5,"currency":"USD"}],
              "in_kind":[{"unit":"trips","quantity":2}]}"#,
        )
        .expect("fixture");
        let record = Record::Activity(Box::new(doc.into_domain().expect("valid")));
        let rows = children(&record);
        assert!(rows.len() >= 7);
        for row in rows {
            assert_eq!(row.values.len(), CHILD_TABLES[row.table].columns.len(), "{}", CHILD_TABLES[row.table].name);
        }
        assert_eq!(main_row(&record, None).1.len(), ACTIVITY_COLUMNS.len());
    }
}
