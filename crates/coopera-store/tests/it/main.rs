//! Integration tests of the storage backends: the conformance suite on SQLite, and what only
//! the file-backed SQLite store does (migrations, WAL, reopening).

use coopera_store::{Location, Store, StoreOptions};

fn open(path: &std::path::Path) -> coopera_store::Result<Store> {
    Store::open(Location::File(path.to_owned()), StoreOptions::default())
}

fn org(json: &str) -> coopera_store::Record {
    let doc: coopera_domain::doc::OrganisationDoc = serde_json::from_str(json).expect("fixture");
    coopera_store::Record::Organisation(doc.into_domain().expect("ok"))
}

mod conformance_sqlite {
    use coopera_store::{Store, StoreOptions};

    coopera_store::conformance_tests!(Store::open_in_memory(StoreOptions::default()).expect("in-memory store"));
}

mod conformance_postgres {
    coopera_store::conformance_tests!(postgres);
}

#[test]
fn file_store_migrates_once_and_reopens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("coopera.db");
    {
        let store = open(&path).expect("create");
        let (found, supported) = store.schema_version().expect("version");
        assert_eq!(found, supported);
    }
    let store = open(&path).expect("reopen");
    assert_eq!(store.count_history().expect("history"), 0);
    let mode: String = rusqlite_journal_mode(&path);
    assert_eq!(mode, "wal");
}

#[test]
fn version_1_database_is_reindexed_for_reports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("v1.db");
    use coopera_domain::doc::ActivityDoc;
    use coopera_store::Record;
    let activity = r#"{"id":"MX-1","reporting_org":"amexcid","title":"Curso","instrument":"project",
          "cooperation_type":"technical-scientific","modality":"bilateral","status":"2",
          "participants":[{"org":"amexcid","role":"provider"},{"org":"segeplan","role":"recipient"}],
          "sdgs":["13"],"cross_border":{"border":"south","dimensions":["migration"]},
          "dates":{"actual_start":"2012-05-01"},
          "transactions":[{"type":"3","date":"2012-06-01","value_date":"2012-05-30","amount":10,"currency":"USD",
            "provider":{"org":"amexcid","activity":"MX-0"}}],
          "in_kind":[{"unit":"trips","quantity":2}]}"#;
    let batch = vec![
        org(r#"{"key":"amexcid","name":"AMEXCID","kind":"10","level":"federal","country":"MX"}"#),
        org(r#"{"key":"segeplan","name":"Segeplan","kind":"10","level":"foreign-government","country":"GT"}"#),
        Record::Activity(Box::new(
            serde_json::from_str::<ActivityDoc>(activity).expect("fixture").into_domain().expect("valid"),
        )),
    ];
    {
        let store = open(&path).expect("create");
        store.record("tester", batch).expect("write");
    }
    // Take the database back to what version 1 wrote: no new tables, no new columns.
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(
            "DROP TABLE activity_in_kind; DROP TABLE activity_related; DROP TABLE activity_sdg;
             DROP TABLE activity_agenda; DROP TABLE exchange_rate;
             ALTER TABLE activity DROP COLUMN start_date; ALTER TABLE activity DROP COLUMN end_date;
             ALTER TABLE activity DROP COLUMN border; ALTER TABLE activity_money DROP COLUMN value_date;
             ALTER TABLE activity_money DROP COLUMN provider_org;
             ALTER TABLE activity_money DROP COLUMN provider_activity;
             ALTER TABLE activity_money DROP COLUMN receiver_activity;
             DROP TABLE change_feed;
             PRAGMA user_version = 1;",
        )
        .expect("downgrade");
        conn.execute_batch(UNDO_GOOD_PRACTICE).expect("downgrade");
        conn.execute_batch(UNDO_ACCOUNTS_AUDIT).expect("downgrade");
        conn.execute_batch("PRAGMA user_version = 1;").expect("downgrade");
    }
    let store = open(&path).expect("migrate");
    let (found, supported) = store.schema_version().expect("version");
    assert_eq!(found, supported);
    let mut facts = Vec::new();
    store.report_facts(&mut |f| facts.push(f.clone())).expect("facts");
    assert_eq!(facts.len(), 1);
    let f = &facts[0];
    assert_eq!(f.sdgs, ["13"]);
    assert_eq!(f.border.map(|b| b.code()), Some("south"));
    assert_eq!(f.agenda.len(), 1);
    assert_eq!(f.start.map(|d| d.to_string()).as_deref(), Some("2012-05-01"));
    assert_eq!(f.in_kind.len(), 1);
    assert_eq!(f.transactions.len(), 1, "money rows rewritten once, not duplicated");
    assert_eq!(f.transactions[0].value_date.map(|d| d.to_string()).as_deref(), Some("2012-05-30"));
    assert_eq!(f.transactions[0].provider_activity.as_deref(), Some("MX-0"));
}

/// What migration 5 (accounts and the audit chain) added, taken away again.
/// Takes a database back to before migration 6 (good practices).
const UNDO_GOOD_PRACTICE: &str = "DROP TABLE good_practice;";

const UNDO_ACCOUNTS_AUDIT: &str = "
    DROP TABLE api_token; DROP TABLE web_session; DROP TABLE sign_in_failure; DROP TABLE account;
    DROP INDEX change_history_author;
    ALTER TABLE change_history DROP COLUMN event; ALTER TABLE change_history DROP COLUMN address;
    ALTER TABLE change_history DROP COLUMN detail; ALTER TABLE change_history DROP COLUMN after_hash;
    ALTER TABLE change_history DROP COLUMN prev_hash; ALTER TABLE change_history DROP COLUMN hash;";

/// A database written when records were kept as documents (schema 3): its records are
/// rewritten in the stored form once, read back the same, and a write of the same records
/// changes nothing; the history it kept still reads as documents.
#[test]
fn records_kept_as_documents_are_rewritten_in_the_stored_form() {
    use coopera_domain::doc::ActivityDoc;
    use coopera_store::{Outcome, Record, RecordKind};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("v3.db");
    let activity = r#"{"id":"MX-1","reporting_org":"amexcid","title":{"es":"Curso","en":"Course"},
          "instrument":"project","cooperation_type":"technical-scientific","modality":"bilateral","status":"2",
          "participants":[{"org":"amexcid","role":"provider"},{"org":"segeplan","role":"recipient"}],
          "sectors":[{"code":"11110","percentage":60},{"code":"15110","percentage":40}],"countries":[{"code":"GT"}],
          "dates":{"actual_start":"2012-05-01"},
          "transactions":[{"type":"3","date":"2012-06-01","amount":10.5,"currency":"USD"}],
          "in_kind":[{"unit":"trips","quantity":2}]}"#;
    let batch = vec![
        org(r#"{"key":"amexcid","name":"AMEXCID","kind":"10","level":"federal","country":"MX"}"#),
        org(r#"{"key":"segeplan","name":"Segeplan","kind":"10","level":"foreign-government","country":"GT"}"#),
        Record::Activity(Box::new(
            serde_json::from_str::<ActivityDoc>(activity).expect("fixture").into_domain().expect("valid"),
        )),
    ];
    for record in &batch {
        let stored = record.to_json();
        assert_eq!(Record::from_json(record.kind(), &stored).as_ref(), Ok(record), "{stored}");
    }
    // A small organisation reads the same either way; an activity does not.
    assert_ne!(batch[2].to_json(), batch[2].document_json(), "the stored form is not the document");
    {
        let store = open(&path).expect("create");
        store.record("tester", batch.clone()).expect("write");
    }
    // Take the database back to what schema 3 kept: documents, in the records and the history.
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        for (table, record) in [("organisation", &batch[0]), ("organisation", &batch[1]), ("activity", &batch[2])] {
            let sql = format!("UPDATE {table} SET doc = ?1 WHERE key = ?2");
            conn.execute(&sql, rusqlite::params![record.document_json(), record.key()]).expect("document back");
        }
        conn.execute("UPDATE change_history SET after = ?1 WHERE record_key = 'MX-1'", [batch[2].document_json()])
            .expect("history back");
        conn.execute_batch(UNDO_GOOD_PRACTICE).expect("downgrade");
        conn.execute_batch(UNDO_ACCOUNTS_AUDIT).expect("downgrade");
        conn.pragma_update(None, "user_version", 3).expect("pragma");
    }
    let store = open(&path).expect("migrate");
    let conn = rusqlite::Connection::open(&path).expect("open");
    let doc: String = conn.query_row("SELECT doc FROM activity WHERE key = 'MX-1'", [], |r| r.get(0)).expect("row");
    assert_eq!(doc, batch[2].to_json(), "rewritten in the stored form");
    let stored = store.activity("MX-1").expect("read").expect("there");
    assert_eq!(&Record::Activity(Box::new(stored.activity)), &batch[2]);
    let summary = store.record("tester", batch.clone()).expect("same records");
    assert_eq!(summary.count(Outcome::Unchanged), 3, "{summary:?}");
    let history = store
        .history(&coopera_store::HistoryFilter {
            kind: Some(RecordKind::Activity),
            key: Some("MX-1".into()),
            limit: None,
        })
        .expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].after.as_deref(), Some(batch[2].document_json().as_str()));
    // The history it kept was chained into the audit trail, which verifies, and goes on.
    let intact = |store: &coopera_store::Store| {
        matches!(store.verify_audit().expect("verify"), coopera_store::AuditVerdict::Intact { rows: 3, .. })
    };
    assert!(intact(&store), "{:?}", store.verify_audit());
    store.record("tester", vec![batch[0].clone()]).expect("same");
    assert!(intact(&store));
}

/// Whoever edits or removes a row of the audit trail in the database file is caught by
/// `verify_audit`, which names the first row that no longer fits.
#[test]
fn an_altered_audit_row_is_caught() {
    use coopera_store::{AuditVerdict, Broken};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("trail.db");
    let batch = vec![
        org(r#"{"key":"amexcid","name":"AMEXCID","kind":"10","level":"federal","country":"MX"}"#),
        org(r#"{"key":"segeplan","name":"Segeplan","kind":"10","level":"foreign-government","country":"GT"}"#),
        org(r#"{"key":"sre","name":"SRE","kind":"10","level":"federal","country":"MX"}"#),
    ];
    let renamed = org(r#"{"key":"sre","name":"Cancillería","kind":"10","level":"federal","country":"MX"}"#);
    {
        let store = open(&path).expect("create");
        store.record("ana", batch).expect("write");
        store.record("luis", vec![renamed]).expect("rename");
        assert!(matches!(store.verify_audit().expect("verify"), AuditVerdict::Intact { rows: 4, .. }));
    }
    let tamper = |sql: &str| {
        let copy = dir.path().join("copy.db");
        std::fs::copy(&path, &copy).expect("copy");
        rusqlite::Connection::open(&copy).expect("open").execute_batch(sql).expect("tamper");
        open(&copy).expect("open").verify_audit().expect("verify")
    };
    assert_eq!(
        tamper("UPDATE change_history SET author = 'mallory' WHERE id = 2"),
        AuditVerdict::Broken { id: 2, why: Broken::Altered }
    );
    assert_eq!(
        tamper("DELETE FROM change_history WHERE id = 2"),
        AuditVerdict::Broken { id: 3, why: Broken::Unchained }
    );
    assert_eq!(
        tamper("UPDATE organisation SET doc = replace(doc, 'Cancillería', 'SRE') WHERE key = 'sre'"),
        AuditVerdict::Broken { id: 4, why: Broken::RecordDiffers },
        "a record changed behind the trail's back"
    );
    assert_eq!(
        tamper("DELETE FROM change_history WHERE id = 4"),
        AuditVerdict::Broken { id: 3, why: Broken::RecordDiffers },
        "the last change removed: the record is not what the trail ends on"
    );
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("future.db");
    drop(open(&path).expect("create"));
    set_user_version(&path, 999);
    let err = open(&path).expect_err("too new");
    assert!(matches!(err, coopera_store::StoreError::TooNew { found: 999, .. }), "{err:?}");
}

fn rusqlite_journal_mode(path: &std::path::Path) -> String {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).expect("pragma")
}

fn set_user_version(path: &std::path::Path, v: i64) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.pragma_update(None, "user_version", v).expect("pragma");
}

/// The layering the write layer rests on: no crate above the store names a backend — in its
/// dependencies or its code — so every write goes through the rules of `write.rs`.
#[test]
fn no_crate_above_the_store_names_a_backend() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for name in ["coopera", "coopera-web", "coopera-report", "coopera-iati", "coopera-demo"] {
        let dir = crates.join(name);
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
        let deps = manifest.split("[dependencies]").nth(1).and_then(|s| s.split("\n[").next()).unwrap_or("");
        assert!(!deps.contains("rusqlite"), "{name} depends on rusqlite");
        let mut stack = vec![dir.join("src")];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).expect("source dir").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let code = std::fs::read_to_string(&path).expect("source");
                    for backend in ["rusqlite", "SqliteBackend", "SqliteStore"] {
                        assert!(!code.contains(backend), "{} names {backend}", path.display());
                    }
                }
            }
        }
    }
}
