//! Who sees what: under each [`Visibility`] every report, list and map keeps the same
//! activities — the published ones, and the unpublished ones of a scope as
//! `coopera_domain::access` decides it — and the model kept beside the database keeps what
//! decides it.
//!
//! The fixture: AMEXCID (federal), the governments of Chiapas (07, state) and Oaxaca (20,
//! state), the municipality of Tuxtla (07, municipal), a Chiapas NGO and Guatemala. Each
//! activity commits a different power of two in US dollars, so a total names its activities.
//!
//! | id       | reports     | takes part (states in scope)         | workflow  | USD |
//! |----------|-------------|--------------------------------------|-----------|-----|
//! | PUB-1    | amexcid     | amexcid, gt-gov                      | published | 1   |
//! | PUB-OAX  | gob-oaxaca  | gob-oaxaca, gt-gov (20)              | published | 2   |
//! | CHP-SUB  | gob-chiapas | gob-chiapas, gt-gov (07)             | submitted | 4   |
//! | TUX-VAL  | amexcid     | amexcid, mun-tuxtla, gt-gov (07)     | validated | 8   |
//! | OAX-DRA  | gob-oaxaca  | gob-oaxaca, gt-gov (20)              | draft     | 16  |
//! | AMX-DRA  | amexcid     | amexcid, ong-chiapas, gt-gov (none)  | draft     | 32  |
//! | BOTH-SUB | amexcid     | amexcid, gob-chiapas, gob-oaxaca (07, 20) | submitted | 64 |
//! | PLACE-CH | amexcid     | amexcid, gt-gov, takes place in 07 (none) | draft | 128 |
//!
//! A place is not a participant, and an NGO is not a government: neither puts an activity in
//! a state's scope.

use std::collections::BTreeSet;

use coopera_domain::Lang;
use coopera_domain::access::{Scope, activity_states};
use coopera_domain::code::MxStateCode;
use coopera_domain::ids::OrgKey;
use coopera_domain::kinds::WorkflowState;
use coopera_report::list::{Registry, Sort};
use coopera_report::persist::{self, Mark};
use coopera_report::{
    Currency, Dimension, Filters, LoadOptions, Measure, Query, Selection, Snapshot, Visibility, per_activity,
};
use coopera_store::{Record, Store, StoreOptions, Who};
use rust_decimal::Decimal;

use super::{activity, org};

const ALL: &[&str] = &["PUB-1", "PUB-OAX", "CHP-SUB", "TUX-VAL", "OAX-DRA", "AMX-DRA", "BOTH-SUB", "PLACE-CH"];
const PUBLISHED: &[&str] = &["PUB-1", "PUB-OAX"];

fn organisations() -> Vec<Record> {
    vec![
        org(r#"{"key":"amexcid","name":"AMEXCID","kind":"10","level":"federal","country":"MX"}"#),
        org(r#"{"key":"gob-chiapas","name":"Chiapas","kind":"10","level":"state","country":"MX","mx_state":"07"}"#),
        org(r#"{"key":"gob-oaxaca","name":"Oaxaca","kind":"10","level":"state","country":"MX","mx_state":"20"}"#),
        org(r#"{"key":"mun-tuxtla","name":"Tuxtla","kind":"10","level":"municipal","country":"MX","mx_state":"07",
            "mx_municipality":"07101"}"#),
        org(
            r#"{"key":"ong-chiapas","name":"ONG","kind":"22","level":"non-governmental","country":"MX","mx_state":"07"}"#,
        ),
        org(r#"{"key":"gt-gov","name":"Guatemala","kind":"10","level":"foreign-government","country":"GT"}"#),
    ]
}

/// An activity given to Guatemala, committing `usd` in 2014.
fn given(id: &str, reporting: &str, parties: &[&str], workflow: &str, usd: u32, places: &str) -> Record {
    let participants: Vec<String> = parties
        .iter()
        .enumerate()
        .map(|(i, o)| format!(r#"{{"org":"{o}","role":"{}"}}"#, if i == 0 { "provider" } else { "recipient" }))
        .collect();
    activity(&format!(
        r#"{{"id":"{id}","reporting_org":"{reporting}","title":"{id}","instrument":"project",
        "cooperation_type":"technical-scientific","modality":"bilateral","status":"2","workflow":"{workflow}",
        "participants":[{}],"sectors":[{{"code":"15110"}}],"countries":[{{"code":"GT"}}]{places},
        "dates":{{"actual_start":"2014-01-01"}},
        "transactions":[{{"type":"2","date":"2014-02-01","amount":{usd},"currency":"USD"}}]}}"#,
        participants.join(",")
    ))
}

fn activities() -> Vec<Record> {
    let chiapas = r#","mx_places":[{"state":"07"}]"#;
    vec![
        given("PUB-1", "amexcid", &["amexcid", "gt-gov"], "published", 1, ""),
        given("PUB-OAX", "gob-oaxaca", &["gob-oaxaca", "gt-gov"], "published", 2, ""),
        given("CHP-SUB", "gob-chiapas", &["gob-chiapas", "gt-gov"], "submitted", 4, ""),
        given("TUX-VAL", "amexcid", &["amexcid", "mun-tuxtla", "gt-gov"], "validated", 8, ""),
        given("OAX-DRA", "gob-oaxaca", &["gob-oaxaca", "gt-gov"], "draft", 16, ""),
        given("AMX-DRA", "amexcid", &["amexcid", "ong-chiapas", "gt-gov"], "draft", 32, ""),
        given("BOTH-SUB", "amexcid", &["amexcid", "gob-chiapas", "gob-oaxaca"], "submitted", 64, ""),
        given("PLACE-CH", "amexcid", &["amexcid", "gt-gov"], "draft", 128, chiapas),
    ]
}

fn store_at(store: Store) -> Store {
    store.record("test", organisations()).expect("organisations");
    store.record("test", activities()).expect("activities");
    store
}

fn state(code: &str) -> Scope {
    Scope::State(MxStateCode::parse(code).expect("state"))
}

fn organisation(key: &str) -> Scope {
    Scope::Organisation(OrgKey::parse(key).expect("key"))
}

/// Each visibility and the activities it keeps.
fn cases() -> Vec<(Visibility, Vec<&'static str>)> {
    let with = |more: &[&'static str]| PUBLISHED.iter().chain(more).copied().collect::<Vec<_>>();
    vec![
        (Visibility::All, ALL.to_vec()),
        (Visibility::Published, PUBLISHED.to_vec()),
        (Visibility::PublishedOrInScope(state("07")), with(&["CHP-SUB", "TUX-VAL", "BOTH-SUB"])),
        (Visibility::PublishedOrInScope(state("20")), with(&["OAX-DRA", "BOTH-SUB"])),
        (Visibility::PublishedOrInScope(state("27")), with(&[])),
        (
            Visibility::PublishedOrInScope(organisation("amexcid")),
            with(&["TUX-VAL", "AMX-DRA", "BOTH-SUB", "PLACE-CH"]),
        ),
        (Visibility::PublishedOrInScope(organisation("gob-chiapas")), with(&["CHP-SUB"])),
        (Visibility::PublishedOrInScope(organisation("nobody")), with(&[])),
        (Visibility::PublishedOrInScope(Scope::All), ALL.to_vec()),
    ]
}

/// The dollars the activities commit, each a power of two.
fn committed(keys: &[&str]) -> Decimal {
    keys.iter().map(|k| Decimal::from(1u32 << ALL.iter().position(|a| a == k).expect("known"))).sum()
}

fn query(dimension: Dimension, measure: Measure, visible: &Visibility) -> Query {
    let filters = Filters { visible: visible.clone(), ..Filters::default() };
    Query { dimension, measure, currency: Currency::Usd, filters, top: 3 }
}

fn sorted(keys: impl IntoIterator<Item = impl Into<String>>) -> BTreeSet<String> {
    keys.into_iter().map(Into::into).collect()
}

/// What a visibility shows: the activities of a list of everything, and of a report (its
/// count and its committed total), checked against each other on the way.
fn shown(registry: &Registry, snap: &Snapshot, visible: &Visibility) -> (BTreeSet<String>, u64, Decimal) {
    let selection =
        Selection { filters: Filters { visible: visible.clone(), ..Filters::default() }, ..Selection::default() };
    let listed =
        sorted(selection.list(registry, snap, Sort::Id, Lang::En).expect("list").iter().map(|r| r.key.clone()));
    let count = coopera_report::run(snap, &query(Dimension::Direction, Measure::Count, visible)).expect("count");
    let money = query(Dimension::ThematicArea, Measure::Committed, visible);
    let report = coopera_report::run(snap, &money).expect("committed");
    // The list's amounts add up to the report's total.
    let members = per_activity(snap, &money).expect("members");
    let list_total: Decimal = registry
        .activities()
        .iter()
        .filter_map(|r| r.position.filter(|&p| members.contains(p)))
        .filter_map(|p| members.value(p))
        .sum();
    assert_eq!(list_total, report.total, "{visible:?}: the list adds up to the report");
    assert_eq!(listed.len() as u64, count.activities, "{visible:?}: the list holds the report's activities");
    (listed, count.activities, report.total)
}

#[test]
fn every_report_and_list_keeps_what_its_visibility_shows() {
    let store = store_at(Store::open_in_memory(StoreOptions::default()).expect("store"));
    let (registry, snap) = Registry::load(&store, &LoadOptions::default()).expect("load");
    for (visible, expected) in cases() {
        let (listed, count, total) = shown(&registry, &snap, &visible);
        assert_eq!(listed, sorted(expected.iter().copied()), "{visible:?}");
        assert_eq!(count, expected.len() as u64, "{visible:?}");
        assert_eq!(total, committed(&expected), "{visible:?}");
        // Every report, the map of states included, counts the same activities (border and
        // agenda reports keep only cross-border ones, and there are none).
        for dimension in Dimension::ALL.iter().filter(|d| !matches!(d, Dimension::Border | Dimension::Agenda)) {
            for measure in [Measure::Count, Measure::Committed] {
                let r = coopera_report::run(&snap, &query(*dimension, measure, &visible)).expect("report");
                assert_eq!(r.activities, expected.len() as u64, "{visible:?} {dimension:?} {measure:?}");
                if measure == Measure::Committed {
                    assert_eq!(r.total, committed(&expected), "{visible:?} {dimension:?}");
                }
            }
        }
    }
}

/// What the snapshot keeps of each activity is what access rules read of it, and a scope
/// keeps what [`Scope::covers`] says of it.
#[test]
fn a_scope_keeps_what_the_access_rules_say() {
    let store = store_at(Store::open_in_memory(StoreOptions::default()).expect("store"));
    let (registry, snap) = Registry::load(&store, &LoadOptions::default()).expect("load");
    let organisations = store.organisations().expect("organisations");
    let scopes = [state("07"), state("20"), organisation("amexcid"), organisation("gob-oaxaca"), Scope::All];
    for row in registry.activities() {
        let position = row.position.expect("read by the snapshot");
        let reach = snap.reach(position).expect("a reach");
        let stored = store.activity(&row.key).expect("read").expect("there").activity;
        let parts = stored.parts();
        let taking_part = organisations.iter().filter(|o| parts.participants.iter().any(|p| p.org == *o.key()));
        assert_eq!(reach.workflow, parts.workflow, "{}", row.key);
        assert_eq!(reach.reporting_org.as_ref(), Some(&parts.reporting_org), "{}", row.key);
        assert_eq!(reach.states, activity_states(taking_part), "{}", row.key);
        for scope in &scopes {
            let visible = Visibility::PublishedOrInScope(scope.clone());
            let members = per_activity(&snap, &query(Dimension::Direction, Measure::Count, &visible)).expect("members");
            let expected = reach.workflow == WorkflowState::Published || scope.covers(&reach);
            assert_eq!(members.contains(position), expected, "{} in {scope}", row.key);
        }
    }
    assert!(snap.reach(snap.rows()).is_none());
}

#[test]
fn figures_group_and_filter_by_workflow_state() {
    let store = store_at(Store::open_in_memory(StoreOptions::default()).expect("store"));
    let snap = Snapshot::load(&store, &LoadOptions::default()).expect("load");
    assert_eq!(Dimension::parse("workflow"), Some(Dimension::Workflow));
    assert_eq!(Dimension::Workflow.label(Lang::Es), "Flujo de validación");
    assert_eq!(Dimension::Workflow.label(Lang::En), "Workflow");
    assert_eq!(coopera_report::keys(&snap, Dimension::Workflow), ["draft", "submitted", "validated", "published"]);
    let r = coopera_report::run(&snap, &query(Dimension::Workflow, Measure::Count, &Visibility::All)).expect("report");
    let rows: Vec<(&str, &str, Decimal)> =
        r.rows.iter().map(|r| (r.key.as_str(), r.label_es.as_str(), r.value)).collect();
    assert_eq!(
        rows,
        [
            ("draft", "Borrador", Decimal::from(3)),
            ("published", "Publicado", Decimal::from(2)),
            ("submitted", "Enviado", Decimal::from(2)),
            ("validated", "Validado", Decimal::from(1)),
        ]
    );
    let mut drafts = query(Dimension::Direction, Measure::Committed, &Visibility::All);
    drafts.filters.values = vec![(Dimension::Workflow, vec!["Draft".into()])];
    assert_eq!(
        coopera_report::run(&snap, &drafts).expect("drafts").total,
        committed(&["OAX-DRA", "AMX-DRA", "PLACE-CH"])
    );
    // A filter and a visibility hold together: the public sees no draft.
    drafts.filters.visible = Visibility::Published;
    assert_eq!(coopera_report::run(&snap, &drafts).expect("none").activities, 0);
    drafts.filters.values = vec![(Dimension::Workflow, vec!["publshed".into()])];
    match coopera_report::run(&snap, &drafts) {
        Err(coopera_report::ReportError::UnknownValue { suggestions, .. }) => assert_eq!(suggestions, ["published"]),
        other => panic!("an unknown state is refused with the close ones: {other:?}"),
    }
}

/// A workflow step is a change like any other: the model takes it in, and who sees the
/// activity follows.
#[test]
fn a_published_activity_is_seen_once_the_change_is_taken_in() {
    let store = store_at(Store::open_in_memory(StoreOptions::default()).expect("store"));
    let (mut registry, mut snap) = Registry::load(&store, &LoadOptions::default()).expect("load");
    let luis = Who::local("luis");
    store.transition(luis, "TUX-VAL", WorkflowState::Published, None, None).expect("publish");
    let mut facts = Vec::new();
    store.report_facts_of(&["TUX-VAL".to_owned()], &mut |f| facts.push(f.clone())).expect("facts");
    let mut applied = Vec::new();
    assert!(snap.apply(&facts, &mut |p, f| applied.push((p, f.clone()))));
    registry.apply(&applied);
    let (listed, _, total) = shown(&registry, &snap, &Visibility::Published);
    assert_eq!(listed, sorted(["PUB-1", "PUB-OAX", "TUX-VAL"]));
    assert_eq!(total, committed(&["PUB-1", "PUB-OAX", "TUX-VAL"]));
    // Sent back to draft, it leaves the public's figures again.
    store.transition(luis, "TUX-VAL", WorkflowState::Draft, Some("faltan montos"), None).expect("back");
    facts.clear();
    store.report_facts_of(&["TUX-VAL".to_owned()], &mut |f| facts.push(f.clone())).expect("facts");
    applied.clear();
    assert!(snap.apply(&facts, &mut |p, f| applied.push((p, f.clone()))));
    registry.apply(&applied);
    assert_eq!(shown(&registry, &snap, &Visibility::Published).0, sorted(PUBLISHED.iter().copied()));
    assert_eq!(
        shown(&registry, &snap, &Visibility::PublishedOrInScope(state("07"))).0,
        sorted(["PUB-1", "PUB-OAX", "CHP-SUB", "TUX-VAL", "BOTH-SUB"])
    );
}

/// The model kept beside the database keeps each activity's workflow state, reporting
/// organisation and states in scope; a model of the version before them is read again from
/// the database rather than misread.
#[test]
fn the_kept_model_keeps_who_sees_what() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("coopera.db");
    let store = store_at(Store::open(&db, StoreOptions::default()).expect("store"));
    let options = LoadOptions::default();
    let (registry, snap) = Registry::load(&store, &options).expect("load");
    let path = persist::path_beside(&db);
    persist::save(&path, &registry, &snap, &Mark::of(&store).expect("mark"), &options).expect("save");

    let (back_registry, back, _) = persist::load(&path, &store, &options).expect("read").expect("checks out");
    for i in 0..snap.rows() {
        assert_eq!(back.reach(i), snap.reach(i), "row {i}");
    }
    for (visible, expected) in cases() {
        let (listed, _, total) = shown(&back_registry, &back, &visible);
        assert_eq!(listed, sorted(expected.iter().copied()), "{visible:?}");
        assert_eq!(total, committed(&expected), "{visible:?}");
    }

    // The same bytes under the previous version's name are not read.
    let mut bytes = std::fs::read(&path).expect("model");
    bytes[..16].copy_from_slice(b"coopera-model-02");
    std::fs::write(&path, bytes).expect("older model");
    assert!(persist::load(&path, &store, &options).expect("read").is_none(), "an older model is read again");
}
