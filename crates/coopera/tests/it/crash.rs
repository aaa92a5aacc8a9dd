//! Crash consistency: `coopera import iati` killed with SIGKILL at random points, several times
//! over the same database, leaves a sound database in which every file is stored whole or not
//! at all, with one history row per record created; an uninterrupted import then completes to
//! exactly the registry of an import that never crashed.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::generated::{Rng, Set};
use super::*;

const ROUNDS: usize = 5;

/// What a database holds, read with plain SQL so that nothing of the product's own reading is
/// trusted: documents by key, and the change history.
#[derive(Debug, PartialEq, Eq)]
struct Contents {
    activities: BTreeMap<String, String>,
    organisations: BTreeMap<String, String>,
    /// (kind, key) → actions, oldest first.
    history: BTreeMap<(String, String), Vec<String>>,
    /// Per activity, its rows in the index tables: sectors, money, participants, places.
    index_rows: BTreeMap<String, [i64; 4]>,
}

fn open(db: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).unwrap_or_else(|e| panic!("open {}: {e}", db.display()))
}

fn pairs(conn: &rusqlite::Connection, sql: &str) -> BTreeMap<String, String> {
    let mut stmt = conn.prepare(sql).expect("prepare");
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).expect("query");
    rows.map(|r| r.expect("row")).collect()
}

fn contents(db: &Path) -> Contents {
    let conn = open(db);
    let mut history: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut stmt =
        conn.prepare("SELECT record_kind, record_key, action FROM change_history ORDER BY id").expect("prepare");
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
        .expect("history");
    for row in rows {
        let (kind, key, action) = row.expect("row");
        history.entry((kind, key)).or_default().push(action);
    }
    let mut stmt = conn
        .prepare(
            "SELECT a.key, \
             (SELECT COUNT(*) FROM activity_sector x WHERE x.activity_id = a.id), \
             (SELECT COUNT(*) FROM activity_money x WHERE x.activity_id = a.id), \
             (SELECT COUNT(*) FROM activity_participant x WHERE x.activity_id = a.id), \
             (SELECT COUNT(*) FROM activity_place x WHERE x.activity_id = a.id) \
             FROM activity a",
        )
        .expect("prepare");
    let index_rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])))
        .expect("index rows")
        .map(|r| r.expect("row"))
        .collect();
    Contents {
        activities: pairs(&conn, "SELECT key, doc FROM activity"),
        organisations: pairs(&conn, "SELECT key, doc FROM organisation"),
        history,
        index_rows,
    }
}

/// `PRAGMA integrity_check` and `PRAGMA foreign_key_check` of the database.
fn soundness(db: &Path) -> (Vec<String>, usize) {
    let conn = open(db);
    let mut stmt = conn.prepare("PRAGMA integrity_check").expect("prepare");
    let integrity = stmt.query_map([], |r| r.get::<_, String>(0)).expect("check").map(|r| r.expect("row")).collect();
    let mut stmt = conn.prepare("PRAGMA foreign_key_check").expect("prepare");
    let broken = stmt.query_map([], |_| Ok(())).expect("check").count();
    (integrity, broken)
}

/// Checks what a killed import left and says how many files are stored.
fn check_after_kill(db: &Path, set: &Set, reference: &Contents, round: usize) -> usize {
    let (integrity, broken_keys) = soundness(db);
    assert_eq!(integrity, ["ok"], "round {round}: PRAGMA integrity_check");
    assert_eq!(broken_keys, 0, "round {round}: PRAGMA foreign_key_check finds rows");

    let now = contents(db);
    let mut per_file = vec![0usize; set.files];
    for key in now.activities.keys() {
        let file = set.file_of(key).unwrap_or_else(|| panic!("round {round}: {key} is from no generated file"));
        per_file[file] += 1;
    }
    for (file, stored) in per_file.iter().enumerate() {
        assert!(
            *stored == 0 || *stored == set.per_file,
            "round {round}: {} is stored in part: {stored} of its {} activities",
            set.file_name(file),
            set.per_file
        );
        let publisher = now.organisations.contains_key(&set.publisher_key(file));
        assert_eq!(
            publisher,
            *stored > 0,
            "round {round}: the publisher of {} is stored without its activities, or the other way round",
            set.file_name(file)
        );
    }
    // What is stored is what an uninterrupted import stores, index rows included.
    for (key, doc) in &now.activities {
        assert_eq!(Some(doc), reference.activities.get(key), "round {round}: the document of {key}");
        assert_eq!(now.index_rows.get(key), reference.index_rows.get(key), "round {round}: index rows of {key}");
    }
    for (key, doc) in &now.organisations {
        assert_eq!(Some(doc), reference.organisations.get(key), "round {round}: the document of organisation {key}");
    }
    check_history(&now, &format!("round {round}"));
    per_file.iter().filter(|n| **n > 0).count()
}

/// Exactly one history row, a creation, per record stored, and none for a record not stored.
fn check_history(c: &Contents, when: &str) {
    let stored: BTreeSet<(String, String)> = c
        .activities
        .keys()
        .map(|k| ("activity".to_owned(), k.clone()))
        .chain(c.organisations.keys().map(|k| ("organisation".to_owned(), k.clone())))
        .collect();
    let in_history: BTreeSet<(String, String)> = c.history.keys().cloned().collect();
    assert_eq!(
        stored.symmetric_difference(&in_history).take(5).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "{when}: records stored and records in the history differ"
    );
    for (record, actions) in &c.history {
        assert_eq!(actions, &["create"], "{when}: history of {record:?}");
    }
}

fn import_args(dir: &Path) -> Vec<String> {
    ["--lang", "en", "import", "iati", "--format", "json"]
        .iter()
        .map(|s| (*s).to_owned())
        .chain([dir.display().to_string()])
        .collect()
}

#[test]
fn an_import_killed_at_random_points_stores_whole_files_and_completes_on_reimport() {
    let mut rng = Rng::from_env("COOPERA_CRASH_SEED", 20_241_203);
    let files = tempfile::tempdir().expect("temp dir");
    let set = Set { prefix: "XM-CRASH".into(), files: 16, per_file: 100 };
    set.write(files.path(), &mut rng);
    let args = import_args(files.path());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();

    // An import that is never interrupted: what every other run must end with. Its duration
    // only spreads the kills over the import; nothing is asserted about it.
    let reference = Coopera::sqlite();
    let started = Instant::now();
    let summary = reference.run(&args).ok().json();
    let whole = started.elapsed();
    let started = Instant::now();
    reference.run(&args).ok();
    let unchanged = started.elapsed();
    eprintln!("an uninterrupted import took {whole:?}, and {unchanged:?} again unchanged");
    assert_eq!(summary["files_imported"].as_u64(), Some(set.files as u64), "{summary}");
    assert_eq!(summary["activities"]["new"].as_u64(), Some(set.activities() as u64), "{summary}");
    let expected = contents(&reference.db());
    assert_eq!(expected.activities.len(), set.activities());
    check_history(&expected, "uninterrupted import");

    let mut c = Coopera::sqlite();
    c.run(&["init"]).ok();
    let (mut killed, mut stored) = (0, 0);
    // The uninterrupted import may have been timed on a busier moment than the rounds run in:
    // when a round finishes before its kill with every file stored, later rounds would have
    // nothing left to interrupt, so they start again on an empty database with the kills
    // spread over a shorter time.
    let mut spread = 1u64;
    for round in 1..=ROUNDS {
        // Each run first reads again the files already stored: the kill falls in the part of
        // the run that stores new files, before its last quarter.
        let files = set.files as u64;
        let start = unchanged.as_micros() as u64 * stored as u64 / files;
        let new = whole.as_micros() as u64 * (files - stored as u64) / files / spread;
        let delay = Duration::from_micros(start + rng.range(0, new * 3 / 4));
        let mut child = Command::new(env!("CARGO_BIN_EXE_coopera"))
            .args(&args)
            .env("COOPERA_DB", c.db())
            .env_remove("COOPERA_LANG")
            .env_remove("COOPERA_USER")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start coopera import");
        std::thread::sleep(delay);
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("wait");
        let was_killed = status.signal() == Some(9);
        killed += usize::from(was_killed);
        stored = check_after_kill(&c.db(), &set, &expected, round);
        eprintln!(
            "round {round}: {} after {delay:?}; {stored} of {} files stored",
            if was_killed { "killed" } else { "finished before the kill" },
            set.files
        );
        if !was_killed && stored == set.files && round < ROUNDS {
            c = Coopera::sqlite();
            c.run(&["init"]).ok();
            stored = 0;
            spread = spread.saturating_mul(2);
        }
    }
    assert!(killed > 0, "no round killed the import: the test checked nothing");

    let last = c.run(&args).ok().json();
    assert_eq!(last["files_imported"].as_u64(), Some(set.files as u64), "{last}");
    assert_eq!(last["errors"].as_array().map(Vec::len), Some(0), "{last}");
    assert_eq!(last["activities"]["updated"].as_u64(), Some(0), "{last}");
    let after = contents(&c.db());
    check_history(&after, "after the re-import");
    assert_eq!(soundness(&c.db()), (vec!["ok".to_owned()], 0));
    assert!(after.activities == expected.activities, "the re-imported activities differ from an uninterrupted import");
    assert!(after.organisations == expected.organisations, "the organisations differ from an uninterrupted import");
    assert!(after.index_rows == expected.index_rows, "the index rows differ from an uninterrupted import");
    assert_eq!(after.history.len(), expected.history.len());
}
