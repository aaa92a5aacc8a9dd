//! The conformance suite: the behaviour every backend must show through [`Store`], written
//! once. A backend runs all of it with one line in its tests:
//!
//! ```text
//! coopera_store::conformance_tests!(Store::open_in_memory(Default::default()).unwrap());
//! ```
//!
//! The cases panic on failure, like tests; they are public so other crates can run them.

use coopera_domain::Lang;
use coopera_domain::doc::{ActionDoc, ActivityDoc, CapacityDoc, MembershipDoc, OrganisationDoc, PracticeDoc};
use coopera_domain::kinds::{Direction, Modality};
use coopera_domain::problem::{Rule, Target};
use rust_decimal::Decimal;

use coopera_domain::access::Scope;
use coopera_domain::kinds::AccountRole;

use crate::{
    AccountProblem, ActivityFilter, AuditEvent, AuditFilter, AuditVerdict, ChangeAction, ExchangeRate, Existing,
    FactBudget, FactInKind, FactSchemes, FactTransaction, FeedEntry, HistoryFilter, Outcome, RatesSummary, Record,
    RecordKind, ReportFacts, SessionLimits, Store, StoreError, Who, WriteOptions,
};

/// Expands to one `#[test]` per conformance case, each on a fresh store: made by `$make`, or
/// with `postgres`, opened on a schema of its own on the test server
/// ([`crate::testing::TestPostgres`]; the cases do not run when none is configured).
#[macro_export]
macro_rules! conformance_tests {
    (@each $how:tt) => {
        $crate::conformance_tests!(@cases $how
            creates_and_reads_back,
            identical_rewrite_changes_nothing,
            update_keeps_before_and_after,
            bad_reference_writes_nothing,
            duplicate_key_in_batch_is_refused,
            a_different_record_is_not_replaced_unless_asked,
            references_are_checked_before_a_record_is_whole,
            direction_is_derived_and_follows_organisations,
            actor_of_action_must_be_subnational,
            a_practice_is_of_mexican_governments_and_its_evidence_exists,
            filters_and_pagination,
            facts_for_reports,
            report_facts_carry_every_dimension,
            report_facts_follow_updates,
            exchange_rates_replace_by_period,
            catalog_and_subnational_round_trip,
            a_write_from_an_older_version_is_refused,
            the_change_feed_names_every_change,
            report_facts_of_some_activities,
            accounts_sign_in_and_tokens,
            sessions_expire_and_end,
            sign_ins_are_throttled_without_telling_who_exists,
            the_audit_trail_is_chained_and_verified,
            the_workflow_moves_one_step_or_back_with_a_reason,
            other_records_keep_their_workflow_through_edits,
            a_demand_moves_from_received_to_closed,
            a_copy_holds_the_same_registry
        );
    };
    (@cases $how:tt $($case:ident),+) => {
        $( $crate::conformance_tests!(@one $how $case); )+
    };
    (@one [postgres] $case:ident) => {
        #[test]
        fn $case() {
            let Some(db) = $crate::testing::TestPostgres::new() else { return };
            let store = $crate::Store::open(db.location(), ::core::default::Default::default())
                .expect("PostgreSQL store");
            $crate::conformance::$case(&store);
            drop(store);
        }
    };
    (@one [$make:expr] $case:ident) => {
        #[test]
        fn $case() {
            let store = $make;
            $crate::conformance::$case(&store);
        }
    };
    (postgres) => {
        $crate::conformance_tests!(@each [postgres]);
    };
    ($make:expr) => {
        $crate::conformance_tests!(@each [$make]);
    };
}

fn org(json: &str) -> Record {
    let doc: OrganisationDoc = serde_json::from_str(json).unwrap_or_else(|e| panic!("fixture: {e}: {json}"));
    Record::Organisation(doc.into_domain().unwrap_or_else(|p| panic!("fixture: {p}")))
}

fn activity(json: &str) -> Record {
    let doc: ActivityDoc = serde_json::from_str(json).unwrap_or_else(|e| panic!("fixture: {e}: {json}"));
    Record::Activity(Box::new(doc.into_domain().unwrap_or_else(|p| panic!("fixture: {p}"))))
}

/// Three organisations: a Mexican federal agency, a Guatemalan ministry, a Mexican state.
fn orgs() -> Vec<Record> {
    vec![
        org(
            r#"{"key":"amexcid","name":{"es":"Agencia Mexicana de Cooperación","en":"Mexican Agency"},"kind":"10","level":"federal","country":"MX"}"#,
        ),
        org(
            r#"{"key":"segeplan","name":"Secretaría de Planificación","kind":"10","level":"foreign-government","country":"GT"}"#,
        ),
        org(
            r#"{"key":"gob-chiapas","name":"Gobierno de Chiapas","kind":"10","level":"state","country":"MX","mx_state":"07"}"#,
        ),
    ]
}

/// `n`: a given bilateral activity from AMEXCID to Guatemala, starting in `year`.
fn given(n: u32, year: i32) -> Record {
    activity(&format!(
        r#"{{"id":"MX-T-{n}","reporting_org":"amexcid","title":{{"es":"Curso {n}","en":"Course {n}"}},
        "instrument":"project","cooperation_type":"technical-scientific","modality":"bilateral","status":"2",
        "participants":[{{"org":"amexcid","role":"provider"}},{{"org":"segeplan","role":"recipient"}}],
        "sectors":[{{"code":"41010","percentage":60}},{{"code":"15110","percentage":40}}],
        "countries":[{{"code":"GT"}}],
        "dates":{{"planned_start":"{year}-02-01","planned_end":"{year}-11-30"}},
        "budgets":[{{"period_start":"{year}-01-01","period_end":"{year}-12-31","amount":1000,"currency":"USD"}}],
        "in_kind":[{{"unit":"expert-days","quantity":10,"unit_value":"250.5","currency":"USD"}}]}}"#
    ))
}

/// A received activity: Guatemala provides, Chiapas receives (decentralised).
fn received() -> Record {
    activity(
        r#"{"id":"GT-R-1","reporting_org":"segeplan","title":"Intercambio fronterizo","instrument":"action",
        "cooperation_type":"technical-scientific","modality":"bilateral","status":"3",
        "participants":[{"org":"segeplan","role":"provider"},{"org":"gob-chiapas","role":"recipient"}],
        "sectors":[{"code":"15110"}],"countries":[{"code":"MX"}],
        "cross_border":{"border":"south","dimensions":["migration"]},
        "dates":{"actual_start":"2013-03-01"},
        "transactions":[{"type":"2","date":"2013-03-01","amount":"5000.25","currency":"MXN"},
                        {"type":"3","date":"2013-04-01","amount":"100","currency":"MXN"}]}"#,
    )
}

fn history_len(store: &Store) -> u64 {
    store.count_history().expect("count history")
}

pub fn creates_and_reads_back(store: &Store) {
    let mut batch = orgs();
    batch.push(given(1, 2012));
    let expected = batch.clone();
    let summary = store.record("tester", batch).expect("write");
    assert_eq!(summary.count(Outcome::Created), 4);
    assert_eq!(history_len(store), 4, "one history row per record written");
    let Record::Activity(a) = &expected[3] else { unreachable!() };
    let stored = store.activity("MX-T-1").expect("read").expect("exists");
    assert_eq!(&stored.activity, a.as_ref());
    let Record::Organisation(o) = &expected[2] else { unreachable!() };
    assert_eq!(store.organisation("gob-chiapas").expect("read").as_ref(), Some(o));
    assert_eq!(store.organisations().expect("list").len(), 3);
    assert!(store.activity("nope").expect("read").is_none());
}

pub fn identical_rewrite_changes_nothing(store: &Store) {
    let mut batch = orgs();
    batch.push(given(1, 2012));
    store.record("tester", batch.clone()).expect("first write");
    let before = history_len(store);
    let summary = store.record("tester", batch).expect("second write");
    assert_eq!(summary.count(Outcome::Unchanged), 4);
    assert_eq!(history_len(store), before);
}

pub fn update_keeps_before_and_after(store: &Store) {
    let mut batch = orgs();
    batch.push(given(1, 2012));
    store.record("ana", batch).expect("write");
    let Record::Activity(a) = given(1, 2012) else { unreachable!() };
    let mut doc = ActivityDoc::from_domain(&a);
    doc.title = coopera_domain::doc::TextDoc::Plain("Curso corregido".into());
    let changed = Record::Activity(Box::new(doc.clone().into_domain().expect("valid")));
    let summary = store.record("luis", vec![changed]).expect("update");
    assert_eq!(summary.outcomes, vec![Outcome::Updated]);
    let history = store
        .history(&HistoryFilter { kind: Some(RecordKind::Activity), key: Some("MX-T-1".into()), limit: None })
        .expect("history");
    assert_eq!(history.len(), 2);
    let newest = &history[0];
    assert_eq!((newest.action, newest.author.as_str()), (ChangeAction::Update, "luis"));
    assert!(newest.before.as_deref().is_some_and(|b| b.contains("Curso 1")));
    assert!(newest.after.as_deref().is_some_and(|a| a.contains("Curso corregido")));
    assert_eq!(history[1].action, ChangeAction::Create);
    assert!(history[1].before.is_none());
    assert_eq!(history[1].after, history[0].before, "a change's after is the next change's before");
    assert_eq!(history[0].at.len(), 20, "RFC 3339 UTC timestamp: {}", history[0].at);

    // A third version: each row keeps its own before and after, whatever came later.
    doc.title = coopera_domain::doc::TextDoc::Plain("Curso corregido otra vez".into());
    store.record("ana", vec![Record::Activity(Box::new(doc.into_domain().expect("valid")))]).expect("update");
    let history = store
        .history(&HistoryFilter { kind: Some(RecordKind::Activity), key: Some("MX-T-1".into()), limit: None })
        .expect("history");
    assert_eq!(history.len(), 3);
    let stored = store.activity("MX-T-1").expect("read").expect("stored");
    // The history reads as documents in the format users write, whatever form it keeps.
    let record = Record::Activity(Box::new(stored.activity));
    assert_eq!(history[0].after.as_deref(), Some(record.document_json().as_str()));
    assert_ne!(record.document_json(), record.to_json(), "the stored form is the store's own");
    assert!(history[0].before.as_deref().is_some_and(|b| b.contains("Curso corregido") && !b.contains("otra vez")));
    assert!(history[1].after.as_deref().is_some_and(|a| a.contains("Curso corregido") && !a.contains("otra vez")));
    assert!(history[1].before.as_deref().is_some_and(|b| b.contains("Curso 1")));
    assert_eq!(history[2].after, history[1].before);
    // Each row alone (as `--limit 1` reads it) says the same.
    let newest =
        store.history(&HistoryFilter { kind: Some(RecordKind::Activity), key: None, limit: Some(1) }).expect("history");
    assert_eq!(newest, history[..1]);
}

pub fn bad_reference_writes_nothing(store: &Store) {
    let mut batch = orgs();
    batch.remove(1); // segeplan, a participant of the activity
    batch.push(given(1, 2012));
    let err = store.record("tester", batch).expect_err("unknown participant");
    let StoreError::Invalid(refused) = err else { panic!("expected Invalid, got {err:?}") };
    assert_eq!(refused.len(), 1);
    assert_eq!((refused[0].index, refused[0].kind), (2, RecordKind::Activity));
    let p = &refused[0].problems.0[0];
    assert_eq!(p.path, "participants[1].org");
    assert_eq!(p.value.as_deref(), Some("segeplan"));
    assert_eq!(p.rule, Rule::UnknownReference { target: Target::Organisation });
    assert!(store.organisations().expect("list").is_empty(), "the valid records were not written either");
    assert_eq!(history_len(store), 0);
}

pub fn duplicate_key_in_batch_is_refused(store: &Store) {
    let mut batch = orgs();
    batch.push(given(1, 2012));
    batch.push(given(1, 2013));
    let err = store.record("tester", batch).expect_err("duplicate");
    let StoreError::Invalid(refused) = err else { panic!("expected Invalid, got {err:?}") };
    assert_eq!(refused[0].index, 4);
    assert_eq!(refused[0].problems.0[0].path, "id");
    assert_eq!(refused[0].problems.0[0].rule, Rule::Duplicate);
    assert_eq!(store.count_activities(&ActivityFilter::default()).expect("count"), 0);
}

/// A record whose key is stored with another content is refused, when the writer says so,
/// with every field that differs — together with the batch's other problems — and nothing
/// is written; the same record again is no change, and an update keeps both in the history.
pub fn a_different_record_is_not_replaced_unless_asked(store: &Store) {
    let mut batch = orgs();
    batch.push(given(1, 2012));
    store.record("tester", batch).expect("first write");
    let written = history_len(store);
    let Record::Activity(a) = given(1, 2013) else { unreachable!() };
    let mut other = ActivityDoc::from_domain(&a);
    other.participants[1].org = "nadie".into();
    let other = other.into_domain().expect("a valid activity");
    let mut batch = orgs();
    batch.push(Record::Activity(Box::new(other)));
    let err = store.record_with("tester", batch, Existing::Refuse).expect_err("differs");
    let StoreError::Invalid(refused) = err else { panic!("expected Invalid, got {err:?}") };
    assert_eq!(refused.len(), 1, "identical organisations are no problem: {refused:?}");
    let found: Vec<(&str, &Rule)> = refused[0].problems.iter().map(|p| (p.path.as_str(), &p.rule)).collect();
    let changed = |stored: &str, new: &str| Rule::Changed { stored: Some(stored.into()), new: Some(new.into()) };
    assert_eq!(
        found,
        [
            ("participants[1].org", &Rule::UnknownReference { target: Target::Organisation }),
            ("id", &Rule::StoredDiffers { differences: 5 }),
            ("budgets[0].period_end", &changed("2012-12-31", "2013-12-31")),
            ("budgets[0].period_start", &changed("2012-01-01", "2013-01-01")),
            ("dates.planned_end", &changed("2012-11-30", "2013-11-30")),
            ("dates.planned_start", &changed("2012-02-01", "2013-02-01")),
            ("participants[1].org", &changed("segeplan", "nadie")),
        ]
    );
    assert_eq!(history_len(store), written, "nothing written");
    // The same record is no change even when refusing; asked to, the update is written.
    let same = store.record_with("tester", vec![given(1, 2012)], Existing::Refuse).expect("same record");
    assert_eq!(same.count(Outcome::Unchanged), 1);
    let updated = store.record_with("tester", vec![given(1, 2013)], Existing::Update).expect("update");
    assert_eq!(updated.count(Outcome::Updated), 1);
    let history = store
        .history(&HistoryFilter { kind: Some(RecordKind::Activity), key: Some("MX-T-1".into()), limit: None })
        .expect("history");
    assert!(history[0].before.as_deref().is_some_and(|b| b.contains("2012-11-30")));
    assert!(history[0].after.as_deref().is_some_and(|a| a.contains("2013-11-30")));
}

/// References of a document are checked against the registry on their own, so a form can
/// report them with its other problems.
pub fn references_are_checked_before_a_record_is_whole(store: &Store) {
    store.record("tester", orgs()).expect("orgs");
    store.record("tester", vec![given(1, 2012)]).expect("activity");
    let action: ActionDoc = serde_json::from_str(
        r#"{"actor":"amexcid","activities":["MX-T-1","MX-T-9"],"kind":"nothing","date":"someday"}"#,
    )
    .expect("fixture");
    let problems = store.check_references(&action.references()).expect("check");
    let found: Vec<(&str, Option<&str>, &Rule)> =
        problems.iter().map(|p| (p.path.as_str(), p.value.as_deref(), &p.rule)).collect();
    assert_eq!(
        found,
        [
            ("actor", Some("amexcid"), &Rule::NotSubnational),
            ("activities[1]", Some("MX-T-9"), &Rule::UnknownReference { target: Target::Activity }),
        ]
    );
    let membership: MembershipDoc =
        serde_json::from_str(r#"{"network":"gob-chiapas","member":"nadie"}"#).expect("fixture");
    let problems = store.check_references(&membership.references()).expect("check");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems.0[0].path, "member");
}

pub fn direction_is_derived_and_follows_organisations(store: &Store) {
    let mut batch = orgs();
    batch.push(given(1, 2012));
    batch.push(received());
    store.record("tester", batch).expect("write");
    let g = store.activity("MX-T-1").expect("read").expect("exists");
    assert_eq!(g.derived.direction, Some(Direction::Given));
    assert!(!g.derived.decentralised);
    let r = store.activity("GT-R-1").expect("read").expect("exists");
    assert_eq!(r.derived.direction, Some(Direction::Received));
    assert!(r.derived.decentralised && r.derived.cross_border);
    let given_only = ActivityFilter { direction: Some(Direction::Given), ..Default::default() };
    assert_eq!(store.count_activities(&given_only).expect("count"), 1);

    // Segeplan turns out to be Mexican: the first activity now flows both ways. The activity
    // itself did not change, so it gets no history row, but its derived direction follows.
    let moved =
        org(r#"{"key":"segeplan","name":"Secretaría de Planificación","kind":"10","level":"federal","country":"MX"}"#);
    let before = history_len(store);
    store.record("tester", vec![moved]).expect("update org");
    assert_eq!(history_len(store), before.saturating_add(1));
    let g = store.activity("MX-T-1").expect("read").expect("exists");
    assert_eq!(g.derived.direction, Some(Direction::Both));
}

pub fn actor_of_action_must_be_subnational(store: &Store) {
    store.record("tester", orgs()).expect("orgs");
    let action = |actor: &str| {
        let json = format!(
            r#"{{"key":"mision-1","actor":"{actor}","kind":"trade-mission","date":"2012-05-10","country":"GT","purpose":"Promoción"}}"#
        );
        let doc: ActionDoc = serde_json::from_str(&json).expect("fixture");
        Record::Action(doc.into_domain().expect("fixture"))
    };
    let err = store.record("tester", vec![action("amexcid")]).expect_err("federal actor");
    let StoreError::Invalid(refused) = err else { panic!("expected Invalid, got {err:?}") };
    assert_eq!(refused[0].problems.0[0].rule, Rule::NotSubnational);
    store.record("tester", vec![action("gob-chiapas")]).expect("state actor");
    assert_eq!(store.actions().expect("list").len(), 1);
}

/// A good practice: `organisations` and the linked activity given.
fn practice(organisations: &str, activity: &str) -> Record {
    let json = format!(
        r#"{{"key":"bp-registro","title":"Registro de trabajadores","organisations":[{organisations}],
            "summary":"Se documentó a los trabajadores.","mx_states":["07"],"themes":["150"],"forms":["technical-assistance"],
            "activities":["{activity}"],"indicators":[{{"name":"Tarjetas","value":1200,"year":2013}}]}}"#
    );
    let doc: PracticeDoc = serde_json::from_str(&json).expect("fixture");
    Record::Practice(doc.into_domain().expect("fixture"))
}

pub fn a_practice_is_of_mexican_governments_and_its_evidence_exists(store: &Store) {
    let mut batch = orgs();
    batch.push(given(1, 2012));
    store.record("tester", batch).expect("orgs and an activity");
    let err = store.record("tester", vec![practice(r#""amexcid","segeplan""#, "MX-T-9")]).expect_err("refused");
    let StoreError::Invalid(refused) = err else { panic!("expected Invalid, got {err:?}") };
    let found: Vec<_> = refused[0].problems.iter().map(|p| (p.path.as_str(), p.rule.clone())).collect();
    assert_eq!(
        found,
        [
            ("organisations[1]", Rule::NotMexicanGovernment),
            ("activities[0]", Rule::UnknownReference { target: Target::Activity })
        ]
    );
    assert!(store.practices().expect("list").is_empty(), "nothing written");
    store.record("tester", vec![practice(r#""amexcid","gob-chiapas""#, "MX-T-1")]).expect("federal and state");
    let stored = store.practice("bp-registro").expect("read").expect("stored");
    assert_eq!(stored.parts().indicators[0].year, Some(2013));
    let filter = HistoryFilter { kind: Some(RecordKind::Practice), key: Some("bp-registro".into()), limit: None };
    assert_eq!(store.history(&filter).expect("history").len(), 1, "one change, the creation");
}

pub fn filters_and_pagination(store: &Store) {
    let mut batch = orgs();
    batch.extend((1..=5).map(|n| given(n, 2010i32.saturating_add(n as i32))));
    batch.push(received());
    store.record("tester", batch).expect("write");
    let all = store.activities(&ActivityFilter::default()).expect("list");
    assert_eq!(all.len(), 6);
    let page = store.activities(&ActivityFilter { limit: Some(2), offset: 1, ..Default::default() }).expect("page");
    assert_eq!(page.iter().map(|a| a.key.as_str()).collect::<Vec<_>>(), [all[1].key.as_str(), all[2].key.as_str()]);
    let y2013 = store.activities(&ActivityFilter { year: Some(2013), ..Default::default() }).expect("year");
    assert_eq!(y2013.iter().map(|a| a.key.as_str()).collect::<Vec<_>>(), ["GT-R-1", "MX-T-3"]);
    let tri = ActivityFilter { modality: Some(Modality::Triangular), ..Default::default() };
    assert_eq!(store.count_activities(&tri).expect("count"), 0);
    assert_eq!(all[0].title(coopera_domain::Lang::En), "Intercambio fronterizo", "falls back to Spanish");
}

pub fn facts_for_reports(store: &Store) {
    let mut batch = orgs();
    batch.push(given(1, 2012));
    batch.push(received());
    store.record("tester", batch).expect("write");
    let facts = store.activity_facts(&ActivityFilter::default()).expect("facts");
    let g = facts.iter().find(|f| f.key == "MX-T-1").expect("given");
    assert_eq!(g.start_year, Some(2012));
    assert_eq!(
        g.sectors,
        vec![("1".into(), "41010".into(), Decimal::from(60)), ("1".into(), "15110".into(), Decimal::from(40))]
    );
    assert_eq!(g.committed, vec![("USD".into(), Decimal::from(1000))], "budgets when no commitment");
    assert_eq!(g.in_kind, vec![("USD".into(), Decimal::new(2505, 0))]);
    let r = facts.iter().find(|f| f.key == "GT-R-1").expect("received");
    assert_eq!(r.committed, vec![("MXN".into(), Decimal::new(500025, 2))], "commitments only, not disbursements");
    let given_only = ActivityFilter { direction: Some(Direction::Given), ..Default::default() };
    assert_eq!(store.activity_facts(&given_only).expect("facts").len(), 1);
}

/// A validated triangular activity with every fact the reports read: SDGs, regions, Mexican
/// states, dated transactions naming the activities on both sides, in kind with and without
/// unit value, related activities and a cross-border agenda.
fn rich() -> Record {
    activity(
        r#"{"id":"MX-RICH-1","reporting_org":"amexcid","title":"Triangular","instrument":"programme",
        "cooperation_type":"educational-cultural","modality":"triangular","south_south":true,"status":"2",
        "workflow":"validated",
        "participants":[{"org":"amexcid","role":"first-provider"},{"org":"gob-chiapas","role":"second-provider"},
                        {"org":"segeplan","role":"recipient"}],
        "sectors":[{"code":"11110","percentage":75},{"code":"41030","percentage":25},
                   {"vocabulary":"2","code":"410"},{"vocabulary":"7","code":"4"}],
        "sdgs":["4","13.1"],
        "countries":[{"code":"GT","percentage":60}],"regions":[{"code":"1032","percentage":40}],
        "mx_places":[{"state":"07"},{"state":"27","municipality":"27004"}],
        "cross_border":{"border":"south","dimensions":["migration","labour-markets"]},
        "dates":{"planned_start":"2014-01-15","actual_start":"2014-02-01","planned_end":"2016-12-31"},
        "budgets":[{"period_start":"2014-01-01","period_end":"2014-12-31","amount":"900.5","currency":"EUR",
                    "value_date":"2014-01-01"}],
        "transactions":[
          {"type":"1","date":"2014-03-01","amount":"400","currency":"USD","value_date":"2014-02-27",
           "provider":{"org":"segeplan","activity":"GT-R-1"}},
          {"type":"3","date":"2014-04-01","amount":"250","currency":"MXN",
           "receiver":{"name":"Escuela","activity":"GT-SCHOOL-9"}}],
        "in_kind":[{"unit":"expert-days","quantity":12,"unit_value":"3500","currency":"MXN"},
                   {"unit":"trips","quantity":"2.5"}],
        "related_activities":[{"type":"1","id":"MX-T-1"}]}"#,
    )
}

fn all_facts(store: &Store) -> Vec<ReportFacts> {
    let mut all = Vec::new();
    store.report_facts(&mut |f| all.push(f.clone())).expect("report facts");
    all
}

fn date(s: &str) -> time::Date {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).expect("date")
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

pub fn report_facts_carry_every_dimension(store: &Store) {
    use coopera_domain::code::{CountryCode, CurrencyCode, RegionCode};
    use coopera_domain::kinds::{
        Border, CooperationType, CrossBorderDimension, InKindUnit, Instrument, Role, WorkflowState,
    };
    let mut batch = orgs();
    batch.push(given(1, 2012));
    batch.push(rich());
    batch.push(received());
    store.record("tester", batch).expect("write");
    let facts = all_facts(store);
    assert_eq!(facts.len(), 3, "every activity, once");
    let keys: Vec<&str> = facts.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys.iter().filter(|k| **k == "MX-RICH-1").count(), 1);

    let r = facts.iter().find(|f| f.key == "MX-RICH-1").expect("rich");
    let usd = CurrencyCode::parse("USD").expect("USD");
    let mxn = CurrencyCode::parse("MXN").expect("MXN");
    let eur = CurrencyCode::parse("EUR").expect("EUR");
    assert_eq!(r.reporting_org, "amexcid");
    assert_eq!(r.direction, Some(Direction::Given));
    assert_eq!(
        (r.modality, r.instrument, r.cooperation_type, r.status.as_str()),
        (Modality::Triangular, Instrument::Programme, CooperationType::EducationalCultural, "2")
    );
    assert_eq!(r.workflow, WorkflowState::Validated);
    assert_eq!(
        r.schemes,
        FactSchemes { south_south: true, north_south: false, decentralised: true, cross_border: true }
    );
    assert_eq!((r.start, r.end), (Some(date("2014-02-01")), Some(date("2016-12-31"))), "actual start, else planned");
    assert_eq!(r.border, Some(Border::South));
    assert_eq!(r.agenda, vec![CrossBorderDimension::Migration, CrossBorderDimension::LabourMarkets]);
    assert_eq!(
        r.sectors,
        vec![
            ("1".into(), "11110".into(), Decimal::from(75)),
            ("1".into(), "41030".into(), Decimal::from(25)),
            ("2".into(), "410".into(), Decimal::from(100)),
            ("7".into(), "4".into(), Decimal::from(100)),
        ]
    );
    assert_eq!(r.sdgs, vec!["4".to_owned(), "13.1".to_owned()]);
    assert_eq!(r.countries, vec![(CountryCode::parse("GT").expect("GT"), Decimal::from(60))]);
    assert_eq!(r.regions, vec![(RegionCode::parse("1032").expect("1032"), Decimal::from(40))]);
    assert_eq!(r.mx_states, vec!["07".to_owned(), "27".to_owned()]);
    assert_eq!(
        r.participants,
        vec![
            ("amexcid".to_owned(), Role::FirstProvider),
            ("gob-chiapas".to_owned(), Role::SecondProvider),
            ("segeplan".to_owned(), Role::Recipient)
        ]
    );
    assert_eq!(
        r.budgets,
        vec![FactBudget {
            period_start: date("2014-01-01"),
            value_date: Some(date("2014-01-01")),
            amount: dec("900.5"),
            currency: eur
        }]
    );
    assert_eq!(
        r.transactions,
        vec![
            FactTransaction {
                kind: "1".into(),
                date: date("2014-03-01"),
                value_date: Some(date("2014-02-27")),
                amount: Decimal::from(400),
                currency: usd,
                provider_org: Some("segeplan".into()),
                provider_activity: Some("GT-R-1".into()),
                receiver_activity: None,
            },
            FactTransaction {
                kind: "3".into(),
                date: date("2014-04-01"),
                value_date: None,
                amount: Decimal::from(250),
                currency: mxn,
                provider_org: None,
                provider_activity: None,
                receiver_activity: Some("GT-SCHOOL-9".into()),
            },
        ]
    );
    assert_eq!(
        r.in_kind,
        vec![
            FactInKind {
                unit: InKindUnit::ExpertDays,
                quantity: Decimal::from(12),
                unit_value: Some((dec("3500"), mxn))
            },
            FactInKind { unit: InKindUnit::Trips, quantity: dec("2.5"), unit_value: None },
        ],
        "in kind without a unit value is kept, to be valued by a rate table"
    );
    assert_eq!(r.related, vec![("1".to_owned(), "MX-T-1".to_owned())]);

    let g = facts.iter().find(|f| f.key == "MX-T-1").expect("given");
    assert!(g.agenda.is_empty() && g.border.is_none() && g.related.is_empty() && g.sdgs.is_empty());
    assert_eq!(g.schemes, FactSchemes::default());
    assert_eq!(g.start, Some(date("2012-02-01")));
    assert_eq!(g.workflow, WorkflowState::Draft, "a record written without a state is a draft");
    let rec = facts.iter().find(|f| f.key == "GT-R-1").expect("received");
    assert_eq!(rec.direction, Some(Direction::Received));
    assert_eq!(rec.transactions.iter().map(|t| t.kind.as_str()).collect::<Vec<_>>(), ["2", "3"]);
    assert_eq!(rec.transactions[0].value_date, None);
}

pub fn report_facts_follow_updates(store: &Store) {
    let mut batch = orgs();
    batch.push(given(1, 2012));
    batch.push(given(2, 2013));
    store.record("tester", batch).expect("write");
    let Record::Activity(a) = given(1, 2012) else { unreachable!() };
    let mut doc = ActivityDoc::from_domain(&a);
    doc.sectors.truncate(1);
    doc.sectors[0].percentage = None;
    doc.countries.clear();
    doc.budgets.clear();
    store.record("tester", vec![Record::Activity(Box::new(doc.into_domain().expect("valid")))]).expect("update");
    let facts = all_facts(store);
    assert_eq!(facts.len(), 2);
    let f = facts.iter().find(|f| f.key == "MX-T-1").expect("updated");
    assert_eq!(f.sectors, vec![("1".into(), "41010".into(), Decimal::from(100))], "old rows replaced, not added");
    assert!(f.countries.is_empty() && f.budgets.is_empty());
    assert_eq!(f.in_kind.len(), 1);
    let other = facts.iter().find(|f| f.key == "MX-T-2").expect("other");
    assert_eq!(other.sectors.len(), 2, "the other activity keeps its rows");
    assert_eq!(other.workflow, coopera_domain::kinds::WorkflowState::Draft);

    // A workflow step is an update too: the facts follow it, in every activity read.
    use coopera_domain::kinds::WorkflowState::{Draft, Submitted};
    store.transition(Who::local("ana"), "MX-T-2", Submitted, None, None).expect("submit");
    let workflows: Vec<_> = all_facts(store).into_iter().map(|f| (f.key, f.workflow)).collect();
    assert_eq!(workflows, [("MX-T-1".to_owned(), Draft), ("MX-T-2".to_owned(), Submitted)]);
    let mut some = Vec::new();
    store.report_facts_of(&["MX-T-2".to_owned()], &mut |f| some.push(f.workflow)).expect("some");
    assert_eq!(some, [Submitted]);
}

pub fn exchange_rates_replace_by_period(store: &Store) {
    use coopera_domain::code::CurrencyCode;
    let rate = |currency: &str, start: &str, end: &str, value: &str| ExchangeRate {
        currency: CurrencyCode::parse(currency).expect("currency"),
        start: date(start),
        end: date(end),
        units_per_usd: dec(value),
        source: "test".into(),
    };
    assert!(store.exchange_rates().expect("rates").is_empty());
    let first = [
        rate("MXN", "2012-01-01", "2012-12-31", "13.17"),
        rate("MXN", "2013-03-04", "2013-03-04", "12.6"),
        rate("EUR", "2012-01-01", "2012-12-31", "0.778"),
    ];
    let summary = store.record_rates(&first).expect("load");
    assert_eq!(summary, RatesSummary { created: 3, updated: 0, unchanged: 0 });
    let again = store.record_rates(&first).expect("load again");
    assert_eq!(again, RatesSummary { created: 0, updated: 0, unchanged: 3 });
    let corrected = store.record_rates(&[rate("MXN", "2012-01-01", "2012-12-31", "13.1695")]).expect("correct");
    assert_eq!(corrected, RatesSummary { created: 0, updated: 1, unchanged: 0 });
    let stored = store.exchange_rates().expect("rates");
    assert_eq!(stored.len(), 3, "the same currency and period is replaced, not added");
    assert_eq!(stored[0].currency.as_str(), "EUR");
    let mxn_2012 = stored.iter().find(|r| r.currency.as_str() == "MXN" && r.start == date("2012-01-01")).expect("2012");
    assert_eq!(mxn_2012.units_per_usd, dec("13.1695"));
    assert_eq!(history_len(store), 0, "rates are reference data, without change history");
}

pub fn catalog_and_subnational_round_trip(store: &Store) {
    let mut batch = orgs();
    batch.push(org(r#"{"key":"amaie","name":"AMAIE","kind":"80","level":"non-governmental","country":"MX"}"#));
    batch.push(given(1, 2012));
    let cap: CapacityDoc = serde_json::from_str(
        r#"{"key":"cap-cuencas","title":"Manejo de cuencas","institution":"amexcid","sectors":[{"code":"41010"}],
            "forms":["course"],"evidence":["MX-T-1"]}"#,
    )
    .expect("fixture");
    let capacity = cap.into_domain().expect("fixture");
    batch.push(Record::Capacity(capacity.clone()));
    let m: MembershipDoc = serde_json::from_str(
        r#"{"key":"amaie-chiapas","network":"amaie","member":"gob-chiapas","since":"2008-01-01"}"#,
    )
    .expect("fixture");
    batch.push(Record::Membership(m.into_domain().expect("fixture")));
    store.record("tester", batch).expect("write");
    assert_eq!(store.capacities().expect("list"), vec![capacity]);
    assert_eq!(store.memberships().expect("list").len(), 1);

    let bad: CapacityDoc = serde_json::from_str(
        r#"{"key":"cap-2","title":"X","institution":"amexcid","sectors":[{"code":"41010"}],"forms":["course"],"evidence":["NOPE"]}"#,
    )
    .expect("fixture");
    let err = store
        .record("tester", vec![Record::Capacity(bad.into_domain().expect("fixture"))])
        .expect_err("unknown evidence");
    let StoreError::Invalid(refused) = err else { panic!("expected Invalid, got {err:?}") };
    assert_eq!(refused[0].problems.0[0].path, "evidence[0]");
}

pub fn a_write_from_an_older_version_is_refused(store: &Store) {
    let mut batch = orgs();
    batch.push(given(1, 2012));
    store.record("ana", batch).expect("write");
    let opened = store.version(RecordKind::Activity, "MX-T-1").expect("version").expect("stored");
    assert!(store.version(RecordKind::Activity, "MX-T-404").expect("version").is_none());

    // Luis saves a change first; Ana, who opened the activity before, then saves hers.
    let edit = |year: i32| given(1, year);
    let at_opened = WriteOptions { base: Some(opened), ..Default::default() };
    store.write("luis", vec![edit(2013)], at_opened.clone()).expect("luis saves from the current version");
    let newer = store.version(RecordKind::Activity, "MX-T-1").expect("version").expect("stored");
    assert!(newer > opened, "a saved change makes a new version");
    let written = history_len(store);
    let err = store.write("ana", vec![edit(2014)], at_opened).expect_err("stale");
    match &err {
        StoreError::Stale { kind, key, base, current } => {
            assert_eq!((*kind, key.as_str(), *base, *current), (RecordKind::Activity, "MX-T-1", opened, newer));
        }
        other => panic!("expected a stale write, got {other:?}"),
    }
    assert!(
        err.message(coopera_domain::Lang::Es).contains("cambió desde que se abrió"),
        "{}",
        err.message(coopera_domain::Lang::Es)
    );
    assert_eq!(history_len(store), written, "nothing written");
    let stored = store.activity("MX-T-1").expect("read").expect("exists");
    assert_eq!(stored.activity.parts().dates.start().map(|d| d.year()), Some(2013), "Luis's change is kept");
    // From the new version, and for a record not stored yet, the write goes through.
    store
        .write("ana", vec![edit(2014), given(2, 2014)], WriteOptions { base: Some(newer), ..Default::default() })
        .expect("current version");
}

pub fn the_change_feed_names_every_change(store: &Store) {
    let head = store.feed_head().expect("head");
    assert_eq!(head, 0);
    let mut batch = orgs();
    batch.push(given(1, 2012));
    store.record("tester", batch.clone()).expect("write");
    let entries = store.changes_since(head, 100).expect("feed");
    assert_eq!(entries.len(), 4, "{entries:?}");
    assert!(entries.windows(2).all(|w| w[0].0 < w[1].0), "numbered in order");
    assert_eq!(entries[3].1, FeedEntry::Record { kind: RecordKind::Activity, key: "MX-T-1".into() });
    let head = store.feed_head().expect("head");
    assert_eq!(head, entries[3].0);

    // An identical write changes nothing and adds nothing.
    store.record("tester", batch).expect("rewrite");
    assert!(store.changes_since(head, 100).expect("feed").is_empty());

    // An organisation's change re-derives the activities naming it: both are in the feed.
    let moved =
        org(r#"{"key":"segeplan","name":"Secretaría de Planificación","kind":"10","level":"federal","country":"MX"}"#);
    let summary = store.record("tester", vec![moved]).expect("update org");
    assert_eq!(summary.rederived, ["MX-T-1"]);
    let feed: Vec<FeedEntry> = store.changes_since(head, 100).expect("feed").into_iter().map(|e| e.1).collect();
    assert_eq!(
        feed,
        [
            FeedEntry::Record { kind: RecordKind::Organisation, key: "segeplan".into() },
            FeedEntry::Record { kind: RecordKind::Activity, key: "MX-T-1".into() },
        ]
    );
    let head = store.feed_head().expect("head");
    assert_eq!(store.changes_since(0, 2).expect("feed").len(), 2, "at most the limit");

    use coopera_domain::code::CurrencyCode;
    let rate = ExchangeRate {
        currency: CurrencyCode::parse("MXN").expect("currency"),
        start: date("2012-01-01"),
        end: date("2012-12-31"),
        units_per_usd: dec("13.17"),
        source: "test".into(),
    };
    store.record_rates(std::slice::from_ref(&rate)).expect("rates");
    assert_eq!(
        store.changes_since(head, 100).expect("feed").into_iter().map(|e| e.1).collect::<Vec<_>>(),
        [FeedEntry::Rates]
    );
    let head = store.feed_head().expect("head");
    store.record_rates(&[rate]).expect("same rates");
    assert!(store.changes_since(head, 100).expect("feed").is_empty(), "unchanged rates add nothing");
}

pub fn report_facts_of_some_activities(store: &Store) {
    let mut batch = orgs();
    for n in 1..=5 {
        batch.push(given(n, 2010_i32.saturating_add(n as i32)));
    }
    store.record("tester", batch).expect("write");
    let mut all = Vec::new();
    store.report_facts(&mut |f| all.push(f.clone())).expect("all");
    let keys = vec!["MX-T-4".to_owned(), "MX-T-2".to_owned(), "MX-T-404".to_owned()];
    let mut some = Vec::new();
    store.report_facts_of(&keys, &mut |f| some.push(f.clone())).expect("some");
    let expected: Vec<ReportFacts> = all.into_iter().filter(|f| f.key == "MX-T-2" || f.key == "MX-T-4").collect();
    assert_eq!(some, expected, "the same facts as the full scan, in its order; unknown keys are skipped");
    let mut none = Vec::new();
    store.report_facts_of(&[], &mut |f| none.push(f.clone())).expect("none");
    assert!(none.is_empty());
}

fn admin() -> Who<'static> {
    Who::local("cli")
}

fn refused_with(err: StoreError) -> AccountProblem {
    match err {
        StoreError::Account(p) => p,
        other => panic!("expected an account problem, got {other:?}"),
    }
}

pub fn accounts_sign_in_and_tokens(store: &Store) {
    let chiapas = Scope::parse("state:MX-CHP").expect("scope");
    let ana = store.add_account(admin(), "Ana", AccountRole::Editor, &chiapas, "contraseña-de-ana").expect("add");
    assert_eq!((ana.name.as_str(), ana.scope.to_string().as_str()), ("ana", "state:07"));
    let taken = store.add_account(admin(), "ANA", AccountRole::Viewer, &Scope::All, "otra-contraseña");
    assert_eq!(refused_with(taken.expect_err("taken")), AccountProblem::Exists("ana".into()));
    let short = store.add_account(admin(), "luis", AccountRole::Viewer, &Scope::All, "corta");
    assert_eq!(refused_with(short.expect_err("short")), AccountProblem::WeakPassword);
    assert_eq!(store.accounts().expect("list").len(), 1, "refused accounts are not made");

    let session = store.sign_in("ana", "contraseña-de-ana", "10.0.0.1").expect("sign in");
    assert_eq!(session.account.role, AccountRole::Editor);
    let open = store.session(&session.id, SessionLimits::default()).expect("session").expect("open");
    assert_eq!((open.account.name.as_str(), open.csrf.as_str()), ("ana", session.csrf.as_str()));
    for (name, password) in [("ana", "contraseña-de-anA"), ("nadie", "contraseña-de-ana")] {
        let err = store.sign_in(name, password, "10.0.0.1").expect_err("refused");
        assert_eq!(refused_with(err), AccountProblem::WrongCredentials, "the same answer for {name}");
    }

    let token = store.issue_token(admin(), "ana", "script").expect("token");
    assert!(token.starts_with("coopera_"));
    assert_eq!(store.token_account(&token, None).expect("use").map(|a| a.name), Some("ana".into()));
    assert_eq!(store.token_account("coopera_0000", None).expect("use"), None);
    assert_eq!(store.revoke_token(admin(), "ana", Some("script")).expect("revoke"), 1);
    assert_eq!(store.token_account(&token, None).expect("use"), None, "a revoked token opens nothing");
    assert!(store.tokens("ana").expect("tokens")[0].revoked);

    store.reset_password(admin(), "ana", "nueva-contraseña-de-ana").expect("reset");
    assert_eq!(store.session(&session.id, SessionLimits::default()).expect("session"), None, "reset ends sessions");
    let again = store.sign_in("ana", "nueva-contraseña-de-ana", "10.0.0.1").expect("new password");
    let token = store.issue_token(admin(), "ana", "otro").expect("token");
    store.disable_account(admin(), "ana").expect("disable");
    assert_eq!(store.session(&again.id, SessionLimits::default()).expect("session"), None, "disabling ends sessions");
    assert_eq!(store.token_account(&token, None).expect("use"), None, "a disabled account's token opens nothing");
    let err = store.sign_in("ana", "nueva-contraseña-de-ana", "10.0.0.1").expect_err("disabled");
    assert_eq!(refused_with(err), AccountProblem::WrongCredentials, "a disabled account is not told apart");
}

pub fn sessions_expire_and_end(store: &Store) {
    store.add_account(admin(), "luis", AccountRole::Analyst, &Scope::All, "contraseña-de-luis").expect("add");
    let s = store.sign_in("luis", "contraseña-de-luis", "10.0.0.2").expect("sign in");
    let limits = SessionLimits::default();
    assert!(store.session(&s.id, limits).expect("session").is_some());
    assert_eq!(store.session("not-a-session", limits).expect("session"), None);
    let last = if s.id.ends_with('0') { '1' } else { '0' };
    let tampered = format!("{}{last}", &s.id[..s.id.len().saturating_sub(1)]);
    assert_eq!(store.session(&tampered, limits).expect("session"), None, "a tampered id opens nothing");
    let expired = SessionLimits { idle: std::time::Duration::ZERO, absolute: limits.absolute };
    assert_eq!(store.session(&s.id, expired).expect("session"), None, "idle expiry");
    let old = SessionLimits { idle: limits.idle, absolute: std::time::Duration::ZERO };
    assert_eq!(store.session(&s.id, old).expect("session"), None, "absolute expiry");
    store.sign_out(&s.id, Some("10.0.0.2")).expect("sign out");
    assert_eq!(store.session(&s.id, limits).expect("session"), None, "signed out");
    let a = store.sign_in("luis", "contraseña-de-luis", "10.0.0.2").expect("sign in");
    let b = store.sign_in("luis", "contraseña-de-luis", "10.0.0.3").expect("sign in");
    store.sign_out_everywhere("luis", None).expect("everywhere");
    for s in [a, b] {
        assert_eq!(store.session(&s.id, limits).expect("session"), None, "signed out everywhere");
    }
}

pub fn sign_ins_are_throttled_without_telling_who_exists(store: &Store) {
    store.add_account(admin(), "eva", AccountRole::Viewer, &Scope::All, "contraseña-de-eva").expect("add");
    for name in ["eva", "nadie"] {
        for _ in 0..crate::accounts::FAILURES_PER_NAME {
            let err = store.sign_in(name, "equivocada-123", "10.0.0.9").expect_err("wrong");
            assert_eq!(refused_with(err), AccountProblem::WrongCredentials);
        }
        let err = store.sign_in(name, "contraseña-de-eva", "10.0.0.8").expect_err("throttled");
        assert!(matches!(refused_with(err), AccountProblem::Throttled { .. }), "{name}: throttled alike");
    }
    let failed = store
        .audit(&AuditFilter { key: Some("eva".into()), ..Default::default() })
        .expect("audit")
        .iter()
        .filter(|r| r.event == Some(AuditEvent::SignInFailed))
        .count();
    assert_eq!(
        failed,
        (crate::accounts::FAILURES_PER_NAME as usize).saturating_add(1),
        "every failure is in the trail"
    );
}

pub fn the_audit_trail_is_chained_and_verified(store: &Store) {
    store.record("ana", orgs()).expect("orgs");
    store.record("ana", vec![given(1, 2012)]).expect("create");
    let how = WriteOptions {
        event: Some(AuditEvent::Transition),
        address: Some("10.0.0.1".into()),
        detail: Some("faltan montos".into()),
        ..Default::default()
    };
    store.write("luis", vec![given(1, 2013)], how).expect("update");
    store.add_account(admin(), "luis", AccountRole::Analyst, &Scope::All, "contraseña-de-luis").expect("account");
    store
        .record_event(Who { name: "luis", address: Some("10.0.0.1") }, AuditEvent::Export, Some("drafts"))
        .expect("event");
    let rows = store.audit(&AuditFilter::default()).expect("audit");
    assert_eq!(rows.len(), 7, "3 organisations, 2 changes, an account, an export");
    let change = rows.iter().find(|r| r.event == Some(AuditEvent::Transition)).expect("transition");
    assert_eq!((change.author.as_str(), change.address.as_deref()), ("luis", Some("10.0.0.1")));
    assert_eq!(change.detail.as_deref(), Some("faltan montos"));
    let history = store
        .history(&HistoryFilter { kind: Some(RecordKind::Activity), key: Some("MX-T-1".into()), limit: None })
        .expect("history");
    assert_eq!(history.len(), 2, "the history is the trail's record changes");
    assert_eq!(history[0].event, AuditEvent::Transition);
    assert_eq!(history_len(store), 5, "events are not record changes");
    let by_luis = store.audit(&AuditFilter { author: Some("luis".into()), ..Default::default() }).expect("audit");
    assert_eq!(by_luis.len(), 2);
    match store.verify_audit().expect("verify") {
        AuditVerdict::Intact { rows, head } => {
            assert_eq!(rows, 7);
            assert_eq!(head.len(), 64);
        }
        broken => panic!("a trail written by the store verifies: {broken:?}"),
    }
    // An identical rewrite leaves no row; the trail still verifies.
    store.record("ana", vec![given(1, 2013)]).expect("same");
    assert!(matches!(store.verify_audit().expect("verify"), AuditVerdict::Intact { rows: 7, .. }));
}

pub fn the_workflow_moves_one_step_or_back_with_a_reason(store: &Store) {
    use coopera_domain::kinds::WorkflowState::*;
    store.record("ana", orgs()).expect("orgs");
    store.record("ana", vec![given(1, 2012)]).expect("create");
    let workflow = |store: &Store| store.activity("MX-T-1").expect("read").expect("there").activity.parts().workflow;
    assert_eq!(workflow(store), Draft);
    let ana = Who { name: "ana", address: Some("10.0.0.1") };
    let luis = Who::local("luis");
    let skipped = store.transition(ana, "MX-T-1", Published, None, None).expect_err("not a step");
    assert!(matches!(skipped, StoreError::Invalid(_)), "{skipped:?}");
    let opened = store.version(RecordKind::Activity, "MX-T-1").expect("version").expect("stored");
    store.transition(ana, "MX-T-1", Submitted, None, Some(opened)).expect("submit");
    assert!(matches!(store.transition(luis, "MX-T-1", Validated, None, Some(opened)), Err(StoreError::Stale { .. })));
    store.transition(luis, "MX-T-1", Validated, None, None).expect("validate");
    store.transition(luis, "MX-T-1", Published, None, None).expect("publish");
    assert_eq!(workflow(store), Published);
    let no_reason = store.transition(luis, "MX-T-1", Draft, Some("  "), None).expect_err("reason needed");
    assert!(
        no_reason.message(coopera_domain::Lang::Es).contains("reason"),
        "{}",
        no_reason.message(coopera_domain::Lang::Es)
    );
    store.transition(luis, "MX-T-1", Draft, Some("faltan los montos"), None).expect("back");
    let steps = store.transitions("MX-T-1").expect("transitions");
    let seen: Vec<_> = steps.iter().map(|t| (t.author.as_str(), t.from, t.to)).collect();
    assert_eq!(
        seen,
        [
            ("ana", Draft, Submitted),
            ("luis", Submitted, Validated),
            ("luis", Validated, Published),
            ("luis", Published, Draft)
        ]
    );
    assert_eq!(steps[3].reason.as_deref(), Some("faltan los montos"));
    assert_eq!(store.submitted_by("MX-T-1").expect("submitted by").as_deref(), Some("ana"));
    let history = store
        .history(&HistoryFilter { kind: Some(RecordKind::Activity), key: Some("MX-T-1".into()), limit: None })
        .expect("history");
    assert_eq!(history.len(), 5, "each transition is a change of the record");
    assert_eq!(history[0].address, None);
    assert_eq!(history[3].address.as_deref(), Some("10.0.0.1"));
    assert!(matches!(store.verify_audit().expect("verify"), AuditVerdict::Intact { .. }));
}

/// A capacity (as an action, an agreement, a membership, a practice) enters in the state its
/// document asks, moves only by its steps, and keeps its state through an edit or an update.
pub fn other_records_keep_their_workflow_through_edits(store: &Store) {
    use coopera_domain::kinds::WorkflowState::*;
    store.record("ana", orgs()).expect("orgs");
    let capacity = |title: &str| {
        let doc: CapacityDoc = serde_json::from_str(&format!(
            r#"{{"key":"cap-cuencas","title":"{title}","institution":"amexcid","sectors":[{{"code":"41010"}}],"forms":["course"]}}"#
        ))
        .expect("fixture");
        Record::Capacity(doc.into_domain().expect("fixture"))
    };
    let workflow = |store: &Store| store.capacity("cap-cuencas").expect("read").expect("there").parts().workflow;
    store.record("ana", vec![capacity("Cuencas")]).expect("create");
    assert_eq!(workflow(store), Draft, "a document that says nothing enters as a draft");
    let luis = Who::local("luis");
    let skipped = store.transition_of(luis, RecordKind::Capacity, "cap-cuencas", Validated, None, None);
    assert!(matches!(skipped, Err(StoreError::Invalid(_))), "{skipped:?}");
    for to in [Submitted, Validated, Published] {
        store.transition_of(luis, RecordKind::Capacity, "cap-cuencas", to, None, None).expect("a step");
    }
    // An edit, and an update of a draft document, keep the record published.
    store.record("ana", vec![capacity("Manejo de cuencas")]).expect("edit");
    let how = WriteOptions { existing: Existing::Update, ..WriteOptions::default() };
    store.write("ana", vec![capacity("Manejo integral de cuencas").with_workflow(Draft)], how).expect("update");
    assert_eq!(workflow(store), Published);
    assert_eq!(
        store.capacity("cap-cuencas").expect("read").expect("there").parts().title.best(Lang::Es),
        "Manejo integral de cuencas"
    );
    let steps = store.transitions_of(RecordKind::Capacity, "cap-cuencas").expect("steps");
    assert_eq!(steps.iter().map(|t| t.to).collect::<Vec<_>>(), [Submitted, Validated, Published]);
    assert_eq!(store.submitted_by_of(RecordKind::Capacity, "cap-cuencas").expect("who").as_deref(), Some("luis"));
    let unknown = store.transition_of(luis, RecordKind::Action, "no-such-action", Submitted, None, None);
    let Err(err) = unknown else { panic!("an unknown record has no step") };
    assert!(err.message(Lang::Es).contains("no existe la acción internacional"), "{}", err.message(Lang::Es));
    assert!(matches!(store.verify_audit().expect("verify"), AuditVerdict::Intact { .. }));
}

pub fn a_demand_moves_from_received_to_closed(store: &Store) {
    use crate::DemandMove;
    use coopera_domain::doc::DemandDoc;
    use coopera_domain::kinds::DemandState::*;
    let mut batch = orgs();
    batch.push(given(1, 2012));
    let cap: CapacityDoc = serde_json::from_str(
        r#"{"key":"cap-cuencas","title":"Manejo de cuencas","institution":"amexcid","sectors":[{"code":"41010"}],"forms":["course"]}"#,
    )
    .expect("fixture");
    batch.push(Record::Capacity(cap.into_domain().expect("fixture")));
    let demand: DemandDoc = serde_json::from_str(
        r#"{"key":"sol-1","title":"Cuencas","requester":"amexcid","sectors":[{"code":"41010"}],"received":"2014-02-10"}"#,
    )
    .expect("fixture");
    batch.push(Record::Demand(demand.into_domain().expect("fixture")));
    store.record("ana", batch).expect("write");
    let state = |store: &Store| store.demand("sol-1").expect("read").expect("there").parts().state;
    assert_eq!(state(store), Received);
    let ana = Who::local("ana");
    let to = |to, proposed: &[&str], activity: Option<&str>| DemandMove {
        to,
        proposed: proposed.iter().map(|k| (*k).to_owned()).collect(),
        activity: activity.map(str::to_owned),
        reason: None,
    };
    let invalid = |e: StoreError| match e {
        StoreError::Invalid(r) => r[0].problems.0.iter().map(|p| (p.path.clone(), p.rule.clone())).collect::<Vec<_>>(),
        other => panic!("expected Invalid, got {other:?}"),
    };
    // Straight to agreed is not a step; answering needs capacities that exist.
    let skipped = invalid(store.move_demand(ana, "sol-1", &to(Agreed, &[], Some("MX-T-1")), None).expect_err("step"));
    assert!(matches!(skipped[0].1, Rule::DemandStep { from: Received }), "{skipped:?}");
    let bare = invalid(store.move_demand(ana, "sol-1", &to(Answered, &[], None), None).expect_err("no proposal"));
    assert_eq!(bare[0], ("proposed".to_owned(), Rule::RequiredInState { state: Answered }));
    let unknown = invalid(store.move_demand(ana, "sol-1", &to(Answered, &["cap-nada"], None), None).expect_err("nope"));
    assert_eq!(unknown[0], ("proposed[0]".to_owned(), Rule::UnknownReference { target: Target::Capacity }));
    assert_eq!(state(store), Received, "a refused step changes nothing");

    store.move_demand(ana, "sol-1", &to(Answered, &["cap-cuencas"], None), None).expect("answer");
    let no_activity = invalid(store.move_demand(ana, "sol-1", &to(Agreed, &[], Some("MX-T-9")), None).expect_err("x"));
    assert_eq!(no_activity[0], ("activity".to_owned(), Rule::UnknownReference { target: Target::Activity }));
    store.move_demand(Who::local("luis"), "sol-1", &to(Agreed, &[], Some("MX-T-1")), None).expect("agree");
    store.move_demand(ana, "sol-1", &to(Closed, &[], None), None).expect("close");
    let closed = store.demand("sol-1").expect("read").expect("there");
    assert_eq!(closed.parts().state, Closed);
    assert_eq!(closed.parts().proposed.iter().map(|k| k.as_str()).collect::<Vec<_>>(), ["cap-cuencas"]);
    assert_eq!(closed.parts().activity.as_ref().map(|a| a.to_string()).as_deref(), Some("MX-T-1"));
    let p = closed.parts();
    assert!(p.answered.is_some() && p.agreed.is_some() && p.settled.is_some(), "each step dates itself: {p:?}");
    let decline = to(Declined, &[], None);
    assert!(store.move_demand(ana, "sol-1", &decline, None).is_err(), "closed is final");

    let steps = store.demand_steps(Some("sol-1")).expect("steps");
    let seen: Vec<_> = steps.iter().map(|s| (s.author.as_str(), s.from, s.to)).collect();
    assert_eq!(seen, [("ana", Received, Answered), ("luis", Answered, Agreed), ("ana", Agreed, Closed)]);
    assert_eq!(store.demand_steps(None).expect("all").len(), 3);
    assert!(matches!(store.verify_audit().expect("verify"), AuditVerdict::Intact { .. }));
}

/// A registry in memory holding a little of everything a copy carries.
fn everything() -> (Store, String) {
    let source = Store::open_in_memory(Default::default()).expect("memory store");
    source.record("ana", orgs()).expect("orgs");
    source.record("ana", vec![rich(), given(1, 2012), received()]).expect("activities");
    source.record("luis", vec![given(1, 2013)]).expect("an update");
    let cap: CapacityDoc = serde_json::from_str(
        r#"{"key":"cap-cuencas","title":"Manejo de cuencas","institution":"amexcid","sectors":[{"code":"41010"}],
            "forms":["course"],"evidence":["MX-T-1"]}"#,
    )
    .expect("fixture");
    let m: MembershipDoc = serde_json::from_str(
        r#"{"key":"amaie-chiapas","network":"amaie","member":"gob-chiapas","since":"2008-01-01"}"#,
    )
    .expect("fixture");
    let network = org(r#"{"key":"amaie","name":"AMAIE","kind":"80","level":"non-governmental","country":"MX"}"#);
    let batch = vec![
        network,
        Record::Capacity(cap.into_domain().expect("fixture")),
        Record::Membership(m.into_domain().expect("fixture")),
        practice(r#""amexcid","gob-chiapas""#, "MX-T-1"),
    ];
    source.record("ana", batch).expect("catalog, network and practice");
    source.add_account(admin(), "ana", AccountRole::Editor, &Scope::All, "contraseña-de-ana").expect("account");
    let token = source.issue_token(admin(), "ana", "script").expect("token");
    source.issue_token(admin(), "ana", "old").expect("token");
    source.revoke_token(admin(), "ana", Some("old")).expect("revoked");
    let rate = ExchangeRate {
        currency: coopera_domain::code::CurrencyCode::parse("MXN").expect("MXN"),
        start: date("2012-01-01"),
        end: date("2012-12-31"),
        units_per_usd: dec("13.1695"),
        source: "Banxico".into(),
    };
    source.record_rates(&[rate]).expect("rates");
    source.record_event(admin(), AuditEvent::Export, Some("all")).expect("event");
    (source, token)
}

pub fn a_copy_holds_the_same_registry(store: &Store) {
    let (source, token) = everything();
    let summary = store.copy_from(&source).expect("copy into this backend");
    assert_eq!((summary.accounts, summary.tokens, summary.rates), (1, 2, 1));
    let sums = source.checksums().expect("checksums");
    assert_eq!(store.checksums().expect("checksums"), sums, "equal digests, table by table");
    let empty: Vec<&str> = sums.iter().filter(|t| t.rows == 0).map(|t| t.table).collect();
    assert_eq!(empty, ["demand", "subnational_action", "agreement"], "the copy carries every other table");
    assert!(matches!(store.verify_audit().expect("verify"), AuditVerdict::Intact { .. }), "the chain is whole");
    assert_eq!(store.token_account(&token, None).expect("token").map(|a| a.name), Some("ana".into()));
    assert_eq!(store.activity("MX-T-1").expect("read"), source.activity("MX-T-1").expect("read"));

    // And back out into another backend (using the token was itself audited: read again).
    let sums = store.checksums().expect("checksums");
    let back = Store::open_in_memory(Default::default()).expect("memory store");
    back.copy_from(store).expect("copy out of this backend");
    assert_eq!(back.checksums().expect("checksums"), sums);

    // A copy goes into an empty registry only, and a refused one changes nothing.
    assert!(matches!(store.copy_from(&source), Err(StoreError::NotEmpty)));
    assert_eq!(store.checksums().expect("checksums"), sums, "a refused copy changes nothing");
    // A change shows in its table's digest.
    store.record("luis", vec![given(1, 2014)]).expect("an edit");
    let changed = store.checksums().expect("checksums");
    assert_ne!(changed, sums);
}
