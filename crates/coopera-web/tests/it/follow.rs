//! A server follows the writes of other processes: a record stored through another
//! connection to the same database — a `coopera import` beside `coopera serve`, another server
//! on the same PostgreSQL registry — shows in its pages and figures without a restart.

use super::*;

fn activity(id: &str, title: &str) -> Record {
    let doc = format!(
        r#"{{"id":"{id}","reporting_org":"amexcid","title":{{"es":"{title}","en":"{title}"}},
        "instrument":"project","cooperation_type":"technical-scientific","modality":"bilateral","status":"2","workflow":"published",
        "participants":[{{"org":"amexcid","role":"provider"}},{{"org":"segeplan","role":"recipient"}}],
        "sectors":[{{"code":"41010","percentage":100}}],"countries":[{{"code":"GT"}}],
        "dates":{{"planned_start":"2015-02-01","planned_end":"2015-11-30"}}}}"#
    );
    let doc: coopera_domain::doc::ActivityDoc = serde_json::from_str(&doc).expect("fixture");
    Record::Activity(Box::new(doc.into_domain().expect("valid fixture")))
}

/// Asks for `uri` until `done` holds for the reply, for at most ten seconds.
async fn eventually(app: &Router, uri: &str, done: impl Fn(&Reply) -> bool) -> Reply {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let reply = get(app, uri).await;
        if done(&reply) || std::time::Instant::now() > deadline {
            return reply;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_of_another_process_show_without_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pg = coopera_store::testing::TestPostgres::chosen();
    let db = pg.as_ref().map_or_else(|| coopera_store::Location::File(dir.path().join("coopera.db")), |p| p.location());
    let other = Store::open(&db, StoreOptions::default()).expect("store");
    other.record("demo", demo_records()).expect("demo stored");
    let app = coopera_web::app(AppState::open(&db, Options::default()).expect("the app starts"));

    let uri = "/activities/MX-FOLLOW-1";
    assert_eq!(get(&app, uri).await.status, StatusCode::NOT_FOUND);
    let before = get(&app, "/api/v1/activities?q=seguimiento").await.ok().json();

    other.record("import", vec![activity("MX-FOLLOW-1", "Curso de seguimiento")]).expect("written elsewhere");
    let page = eventually(&app, uri, |r| r.status == StatusCode::OK).await.ok();
    assert!(page.text().contains("Curso de seguimiento"), "{}", page.text());
    // The list and the figures are views kept in memory: they follow too.
    let listed = |r: &Reply| r.text().contains("MX-FOLLOW-1");
    let after = eventually(&app, "/api/v1/activities?q=seguimiento", listed).await.ok();
    assert!(listed(&after), "{}", after.text());
    assert_ne!(before, after.json());

    // A change to an organisation re-derives the activities that name it; the server follows.
    let count = |r: &Reply| r.json()["total"].clone();
    let given_before = get(&app, "/api/v1/activities?direction=given").await.ok();
    let moved =
        r#"{"key":"segeplan","name":"Secretaría de Planificación","kind":"10","level":"federal","country":"MX"}"#;
    let moved: coopera_domain::doc::OrganisationDoc = serde_json::from_str(moved).expect("fixture");
    other.record("import", vec![Record::Organisation(moved.into_domain().expect("valid"))]).expect("org moved");
    let given_after =
        eventually(&app, "/api/v1/activities?direction=given", |r| count(r) != count(&given_before)).await.ok();
    assert_ne!(count(&given_after), count(&given_before), "{}", given_after.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_reads_the_kept_model_and_catches_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("coopera.db");
    let other = Store::open(&db, StoreOptions::default()).expect("store");
    other.record("demo", demo_records()).expect("demo stored");
    let state = AppState::open(&db, Options::default()).expect("the app starts");
    let model = coopera_report::persist::path_beside(&db);
    assert!(model.exists(), "a start that read the registry whole keeps its model beside it");
    let before = get(&coopera_web::app(state.clone()), "/api/v1/reports/themes").await.ok().json();
    state.persist().expect("kept when the server stops");
    drop(state);

    // While no server runs, another process writes; the next start reads the model back and
    // takes that change in from the feed.
    other.record("import", vec![activity("MX-FOLLOW-2", "Curso tras el reinicio")]).expect("written elsewhere");
    let app = coopera_web::app(AppState::open(&db, Options::default()).expect("the app starts again"));
    let listed = get(&app, "/api/v1/activities?q=reinicio").await.ok();
    assert!(listed.text().contains("MX-FOLLOW-2"), "{}", listed.text());
    let after = get(&app, "/api/v1/reports/themes").await.ok().json();
    assert_eq!(after["activities"].as_u64(), before["activities"].as_u64().map(|n| n + 1));

    // A model that does not check out (another registry's) is ignored.
    std::fs::copy(&model, dir.path().join("saved.model")).expect("copy");
    let fresh = dir.path().join("fresh.db");
    std::fs::copy(dir.path().join("saved.model"), coopera_report::persist::path_beside(&fresh)).expect("copy");
    let app = coopera_web::app(AppState::open(&fresh, Options::default()).expect("starts on an empty registry"));
    let health = get(&app, "/health").await.ok().json();
    assert_eq!(health["activities"], 0, "{health}");
}
