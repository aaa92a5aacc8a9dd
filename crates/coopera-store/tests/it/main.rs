//! Integration tests of the storage backends: the conformance suite on SQLite, and what only
//! the file-backed SQLite store does (migrations, WAL, reopening).

use coopera_store::{SqliteStore, Store, StoreOptions};

mod conformance_sqlite {
    use super::*;

    coopera_store::conformance_tests!(SqliteStore::open_in_memory(StoreOptions::default()).expect("in-memory store"));
}

#[test]
fn file_store_migrates_once_and_reopens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("coopera.db");
    {
        let store = SqliteStore::open(&path, StoreOptions::default()).expect("create");
        assert_eq!(store.schema_version().expect("version"), SqliteStore::supported_schema_version());
    }
    let store = SqliteStore::open(&path, StoreOptions::default()).expect("reopen");
    assert_eq!(store.count_history().expect("history"), 0);
    let mode: String = rusqlite_journal_mode(&path);
    assert_eq!(mode, "wal");
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("future.db");
    drop(SqliteStore::open(&path, StoreOptions::default()).expect("create"));
    set_user_version(&path, 999);
    let err = SqliteStore::open(&path, StoreOptions::default()).expect_err("too new");
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
