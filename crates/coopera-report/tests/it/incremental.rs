//! The read model taken in change by change ([`Snapshot::apply`], [`Registry::apply`]) says
//! exactly what a whole load of the same registry says: every report, in every currency,
//! and every row of the list.

use coopera_report::list::Registry;
use coopera_report::synthetic::Synthetic;
use coopera_report::{Currency, Dimension, Filters, LoadOptions, Measure, Query, Snapshot};
use coopera_store::{Record, ReportFacts, Store, StoreOptions};

fn every_report(s: &Snapshot) -> Vec<coopera_report::Report> {
    let mut out = Vec::new();
    for dim in Dimension::ALL {
        for measure in Measure::ALL {
            for currency in [Currency::Usd, Currency::Mxn] {
                let q = Query { dimension: *dim, measure: *measure, currency, filters: Filters::default(), top: 5 };
                out.push(coopera_report::run(s, &q).expect("report"));
            }
        }
    }
    out
}

/// The list's rows as text, by identifier, without the snapshot numbers (which differ by
/// construction).
fn rows(r: &Registry) -> Vec<String> {
    let mut rows: Vec<String> = r
        .activities()
        .iter()
        .map(|a| {
            let mut a = a.clone();
            a.position = None;
            format!("{a:?}")
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn changes_taken_in_one_by_one_match_a_whole_load() {
    let n = 1500;
    let first = Synthetic::new(n + 200, 7).expect("generator");
    let edits = Synthetic::new(n + 200, 8).expect("generator");
    let store = Store::open_in_memory(StoreOptions::default()).expect("store");
    store.record("synthetic", first.organisations().expect("orgs")).expect("orgs");
    store.record("synthetic", first.activities(0..n).expect("activities")).expect("activities");
    let rates = coopera_report::rates::parse_rates_csv(coopera_report::rates::SAMPLE_RATES_CSV, "sample").unwrap();
    store.record_rates(&rates).expect("rates");
    let options = LoadOptions::default();
    let (mut registry, mut snap) = Registry::load(&store, &options).expect("load");

    // Batches of edits of existing activities and of new ones, as forms and imports make them.
    let mut batches: Vec<Vec<Record>> = Vec::new();
    for start in (0..n).step_by(97).take(12) {
        batches.push(edits.activities(start..start + 3).expect("edits"));
    }
    for start in (n..n + 200).step_by(40) {
        batches.push(first.activities(start..start + 5).expect("new"));
    }
    let (mut incremental, mut whole) = (0, 0);
    for batch in batches {
        let keys: Vec<String> = batch.iter().map(Record::key).collect();
        let summary = store.record("editor", batch).expect("write");
        assert!(summary.changed_anything());
        let mut facts: Vec<ReportFacts> = Vec::new();
        store.report_facts_of(&keys, &mut |f| facts.push(f.clone())).expect("facts");
        assert_eq!(facts.len(), keys.len());
        let mut applied = Vec::new();
        if snap.apply(&facts, &mut |position, f| applied.push((position, f.clone()))) {
            registry.apply(&applied);
            incremental += 1;
        } else {
            (registry, snap) = Registry::load(&store, &options).expect("reload");
            whole += 1;
        }
    }
    assert_eq!(whole, 0, "every edit is taken in one by one ({incremental} of them)");

    let (full_registry, full) = Registry::load(&store, &options).expect("whole load");
    assert_eq!(snap.len(), full.len());
    assert!(snap.rows() > full.rows(), "replaced rows stay until the next whole load");
    assert_eq!(snap.stats(), full.stats());
    assert_eq!(every_report(&snap), every_report(&full));
    assert_eq!(rows(&registry), rows(&full_registry));
    assert_eq!(registry.years(), full_registry.years());
    for (a, b) in registry.organisations().iter().zip(full_registry.organisations()) {
        assert_eq!((&a.key, a.activities), (&b.key, b.activities));
    }

    // A list selects, through the snapshot numbers, the same activities either way.
    let query = Query {
        dimension: Dimension::ThematicArea,
        measure: Measure::Committed,
        currency: Currency::Usd,
        filters: Filters::default(),
        top: 5,
    };
    let members = |r: &Registry, s: &Snapshot| -> Vec<(String, Option<rust_decimal::Decimal>)> {
        let m = coopera_report::per_activity(s, &query).expect("members");
        r.activities()
            .iter()
            .filter_map(|a| a.position.filter(|&p| m.contains(p)).map(|p| (a.key.clone(), m.value(p))))
            .collect()
    };
    assert_eq!(members(&registry, &snap), members(&full_registry, &full));
}

#[test]
fn the_model_kept_beside_the_database_reads_back_and_checks_out() {
    use coopera_report::persist::{self, Mark};
    let n = 800;
    let generator = Synthetic::new(n + 10, 11).expect("generator");
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("coopera.db");
    let store = Store::open(&db, StoreOptions::default()).expect("store");
    store.record("synthetic", generator.organisations().expect("orgs")).expect("orgs");
    store.record("synthetic", generator.activities(0..n).expect("activities")).expect("activities");
    let rates = coopera_report::rates::parse_rates_csv(coopera_report::rates::SAMPLE_RATES_CSV, "sample").unwrap();
    store.record_rates(&rates).expect("rates");
    let options = LoadOptions::default();
    let (registry, snap) = Registry::load(&store, &options).expect("load");
    let path = persist::path_beside(&db);
    let mark = Mark::of(&store).expect("mark");
    persist::save(&path, &registry, &snap, &mark, &options).expect("save");

    let (back_registry, mut back, head) = persist::load(&path, &store, &options).expect("read").expect("checks out");
    assert_eq!(head, mark.head);
    assert_eq!(every_report(&back), every_report(&snap));
    assert_eq!(rows(&back_registry), rows(&registry));
    assert_eq!(back.stats(), snap.stats());

    // Read back, it still takes changes in.
    let batch = generator.activities(n..n + 10).expect("new");
    let keys: Vec<String> = batch.iter().map(Record::key).collect();
    store.record("editor", batch).expect("write");
    let mut facts = Vec::new();
    store.report_facts_of(&keys, &mut |f| facts.push(f.clone())).expect("facts");
    let mut back_registry = back_registry;
    let mut applied = Vec::new();
    assert!(back.apply(&facts, &mut |p, f| applied.push((p, f.clone()))), "taken in place");
    back_registry.apply(&applied);
    let (full_registry, full) = Registry::load(&store, &options).expect("whole");
    assert_eq!(every_report(&back), every_report(&full));
    assert_eq!(rows(&back_registry), rows(&full_registry));

    // Another database, or the same one taken back to before the model, does not check out.
    let other_db = dir.path().join("other.db");
    let other = Store::open(&other_db, StoreOptions::default()).expect("store");
    other.record("synthetic", generator.organisations().expect("orgs")).expect("orgs");
    assert!(persist::load(&path, &other, &options).expect("read").is_none());
    // Other options (another home country) do not either.
    let abroad = LoadOptions {
        home_country: coopera_domain::code::CountryCode::parse("GT").expect("GT"),
        ..LoadOptions::default()
    };
    assert!(persist::load(&path, &store, &abroad).expect("read").is_none());
    // Nor a file cut short.
    let bytes = std::fs::read(&path).expect("model");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("cut");
    assert!(persist::load(&path, &store, &options).expect("read").is_none());
}

#[test]
fn new_organisations_are_taken_in_with_the_activities_that_name_them() {
    let n = 300;
    let generator = Synthetic::new(n, 5).expect("generator");
    let store = Store::open_in_memory(StoreOptions::default()).expect("store");
    store.record("synthetic", generator.organisations().expect("orgs")).expect("orgs");
    store.record("synthetic", generator.activities(0..n).expect("activities")).expect("activities");
    let options = LoadOptions::default();
    let (mut registry, mut snap) = Registry::load(&store, &options).expect("load");

    let org: coopera_domain::doc::OrganisationDoc = serde_json::from_str(
        r#"{"key":"aa-nueva","name":"Agencia Nueva","kind":"10","level":"foreign-government","country":"HN"}"#,
    )
    .expect("fixture");
    let org = org.into_domain().expect("valid");
    let reporter =
        store.organisations().expect("orgs").into_iter().find(|o| o.country().is_some_and(|c| c.as_str() == "MX"));
    let reporter = reporter.expect("a Mexican organisation").key().to_string();
    let activity: coopera_domain::doc::ActivityDoc = serde_json::from_str(&format!(
        r#"{{"id":"MX-NUEVA-1","reporting_org":"{reporter}","title":"Curso con una agencia nueva",
        "instrument":"project","cooperation_type":"technical-scientific","modality":"bilateral","status":"2",
        "participants":[{{"org":"{reporter}","role":"provider"}},{{"org":"aa-nueva","role":"recipient"}}],
        "sectors":[{{"code":"41010","percentage":100}}],"countries":[{{"code":"HN"}}],
        "dates":{{"planned_start":"2014-02-01","planned_end":"2014-11-30"}},
        "budgets":[{{"period_start":"2014-01-01","period_end":"2014-12-31","amount":5000,"currency":"USD"}}]}}"#
    ))
    .expect("fixture");
    let activity = Record::Activity(Box::new(activity.into_domain().expect("valid")));
    store.record("editor", vec![Record::Organisation(org.clone()), activity]).expect("write");

    assert!(snap.add_organisations(std::slice::from_ref(&org)));
    registry.add_organisations(std::slice::from_ref(&org));
    assert!(!snap.add_organisations(std::slice::from_ref(&org)), "a known organisation asks for a whole load");
    let mut facts = Vec::new();
    store.report_facts_of(&["MX-NUEVA-1".to_owned()], &mut |f| facts.push(f.clone())).expect("facts");
    let mut applied = Vec::new();
    assert!(snap.apply(&facts, &mut |p, f| applied.push((p, f.clone()))));
    registry.apply(&applied);

    let (full_registry, full) = Registry::load(&store, &options).expect("whole");
    assert_eq!(every_report(&snap), every_report(&full));
    assert_eq!(rows(&registry), rows(&full_registry));
    let orgs = |r: &Registry| r.organisations().iter().map(|o| (o.key.clone(), o.activities)).collect::<Vec<_>>();
    assert_eq!(orgs(&registry), orgs(&full_registry));
}

/// A publisher's activity and a receiver's, reporting the same flow: the links between them
/// follow every change on either side, as a whole load would resolve them.
#[test]
fn links_between_flows_follow_changes_on_either_side() {
    let record = |json: &str| -> Record {
        if json.contains("\"reporting_org\"") {
            let doc: coopera_domain::doc::ActivityDoc = serde_json::from_str(json).expect("activity fixture");
            Record::Activity(Box::new(doc.into_domain().expect("valid activity")))
        } else {
            let doc: coopera_domain::doc::OrganisationDoc = serde_json::from_str(json).expect("organisation fixture");
            Record::Organisation(doc.into_domain().expect("valid organisation"))
        }
    };
    // The giver's activity, its outgoing disbursement naming the receiver activity (or none).
    let giver = |id: &str, disbursed: Option<&str>, receiver: &str| {
        let disbursement = match disbursed {
            Some(amount) => format!(
                r#",{{"type":"3","date":"2015-06-01","amount":{amount},"currency":"USD"{receiver}}}"#,
                receiver = if receiver.is_empty() {
                    String::new()
                } else {
                    format!(r#","receiver":{{"activity":"{receiver}"}}"#)
                }
            ),
            None => String::new(),
        };
        record(&format!(
            r#"{{"id":"{id}","reporting_org":"giz","title":"Fondo {id}","instrument":"project",
            "cooperation_type":"technical-scientific","modality":"bilateral","status":"2",
            "participants":[{{"org":"giz","role":"provider"}},{{"org":"amexcid","role":"recipient"}}],
            "sectors":[{{"code":"31110"}}],"countries":[{{"code":"MX"}}],"dates":{{"actual_start":"2015-01-01"}},
            "transactions":[{{"type":"2","date":"2015-01-01","amount":900,"currency":"USD"}}{disbursement}]}}"#
        ))
    };
    // The receiver's activity, its incoming funds naming the provider activity, or only the
    // provider organisation beside a related activity.
    let receiver = |id: &str, amount: &str, provider: &str, related: &str| {
        let provider = if provider.is_empty() {
            r#"{"org":"giz"}"#.to_owned()
        } else {
            format!(r#"{{"org":"giz","activity":"{provider}"}}"#)
        };
        let related = if related.is_empty() {
            String::new()
        } else {
            format!(r#","related_activities":[{{"type":"1","id":"{related}"}}]"#)
        };
        record(&format!(
            r#"{{"id":"{id}","reporting_org":"amexcid","title":"Recibe {id}","instrument":"project",
            "cooperation_type":"technical-scientific","modality":"bilateral","status":"2",
            "participants":[{{"org":"giz","role":"funding"}},{{"org":"amexcid","role":"recipient"}}],
            "sectors":[{{"code":"31110"}}],"countries":[{{"code":"MX"}}],"dates":{{"actual_start":"2015-02-01"}}{related},
            "transactions":[{{"type":"1","date":"2015-06-02","amount":{amount},"currency":"USD","provider":{provider}}},
                            {{"type":"4","date":"2015-09-01","amount":100,"currency":"USD"}}]}}"#
        ))
    };
    let store = Store::open_in_memory(StoreOptions::default()).expect("store");
    store
        .record(
            "test",
            vec![
                record(r#"{"key":"amexcid","name":"AMEXCID","kind":"10","level":"federal","country":"MX"}"#),
                record(r#"{"key":"giz","name":"GIZ","kind":"10","level":"foreign-government","country":"DE"}"#),
                receiver("MX-R1", "400", "DE-G1", ""),
                receiver("MX-R2", "300", "", "DE-G2"),
                giver("DE-G2", Some("300"), "MX-R2"),
            ],
        )
        .expect("fixture");
    let options = LoadOptions::default();
    let (mut registry, mut snap) = Registry::load(&store, &options).expect("load");
    assert_eq!(snap.stats().linked_flows, 1, "MX-R2's funds are DE-G2's disbursement; MX-R1's provider is not here");

    let steps: Vec<(&str, Vec<Record>, usize)> = vec![
        ("the provider arrives", vec![giver("DE-G1", Some("400"), "")], 2),
        ("it no longer reports the disbursement", vec![giver("DE-G1", None, "")], 1),
        ("it reports it again, naming the receiver", vec![giver("DE-G1", Some("400"), "MX-R1")], 2),
        ("the receiver changes its amount", vec![receiver("MX-R1", "450", "DE-G1", "")], 2),
        ("the other giver names another receiver", vec![giver("DE-G2", Some("300"), "MX-R1")], 1),
        (
            "and back, with the receiver changed too",
            vec![giver("DE-G2", Some("300"), "MX-R2"), receiver("MX-R2", "310", "", "DE-G2")],
            2,
        ),
        ("the receiver names no provider", vec![receiver("MX-R1", "450", "", "")], 1),
    ];
    for (what, batch, linked) in steps {
        let keys: Vec<String> = batch.iter().map(Record::key).collect();
        store.record("editor", batch).expect("write");
        let mut facts = Vec::new();
        store.report_facts_of(&keys, &mut |f| facts.push(f.clone())).expect("facts");
        let mut applied = Vec::new();
        assert!(snap.apply(&facts, &mut |p, f| applied.push((p, f.clone()))), "{what}: taken in place");
        registry.apply(&applied);
        let (full_registry, full) = Registry::load(&store, &options).expect("whole");
        assert_eq!(full.stats().linked_flows, linked, "{what}: the fixture links as meant");
        assert_eq!(snap.stats(), full.stats(), "{what}");
        assert_eq!(every_report(&snap), every_report(&full), "{what}");
        assert_eq!(rows(&registry), rows(&full_registry), "{what}");
    }

    // The links are kept with the model, and still follow once it is read back.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("coopera.db.model");
    let mark = coopera_report::persist::Mark::of(&store).expect("mark");
    coopera_report::persist::save(&path, &registry, &snap, &mark, &options).expect("save");
    let (_, mut back, _) = coopera_report::persist::load(&path, &store, &options).expect("read").expect("checks out");
    let batch = vec![receiver("MX-R1", "450", "DE-G1", "")];
    store.record("editor", batch).expect("write");
    let mut facts = Vec::new();
    store.report_facts_of(&["MX-R1".to_owned()], &mut |f| facts.push(f.clone())).expect("facts");
    assert!(back.apply(&facts, &mut |_, _| {}));
    let (_, full) = Registry::load(&store, &options).expect("whole");
    assert_eq!(full.stats().linked_flows, 2);
    assert_eq!(back.stats(), full.stats());
    assert_eq!(every_report(&back), every_report(&full));
}
