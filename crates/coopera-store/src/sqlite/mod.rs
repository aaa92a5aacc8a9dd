//! The embedded SQLite backend: one file (WAL journal), versioned migrations, one transaction
//! per write.

use std::collections::HashMap;
use std::path::Path;

use coopera_domain::activity::Derived;
use coopera_domain::kinds::Direction;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Transaction, params, params_from_iter};

use crate::accounts::{AccountRow, SessionRow, TokenRow};
use crate::audit::{self, AuditFilter, AuditRow};
use crate::backend::{Backend, Fetch};
use crate::record::{Record, RecordKind};
use crate::rows::{self, Cell, table};
use crate::sql::{self, CHANGES};
use crate::{
    ActivityFacts, ActivityFilter, ActivitySummary, Change, ExchangeRate, FeedEntry, HistoryFilter, ReportFacts,
    Result, StoreError, StoreOptions, Version,
};

mod facts;
mod trail;

/// One schema change: a script, and the step in Rust that follows it, if any.
struct Migration {
    sql: &'static str,
    then: Option<fn(&Transaction<'_>) -> Result<()>>,
}

/// Migrations in order; the database's `user_version` counts how many ran.
const MIGRATIONS: &[Migration] = &[
    Migration { sql: include_str!("migrations/0001_registry.sql"), then: None },
    Migration { sql: include_str!("migrations/0002_reports.sql"), then: Some(reindex_activities) },
    Migration { sql: include_str!("migrations/0003_feed.sql"), then: None },
    Migration { sql: include_str!("migrations/0004_stored_form.sql"), then: Some(rewrite_in_stored_form) },
    Migration { sql: include_str!("migrations/0005_accounts_audit.sql"), then: Some(chain_the_trail) },
    Migration { sql: include_str!("migrations/0006_good_practice.sql"), then: None },
];

/// How many migrations this program knows (the PostgreSQL backend numbers its own alike).
#[cfg(test)]
pub(crate) const MIGRATION_COUNT: usize = MIGRATIONS.len();

/// One connection to the embedded database.
#[derive(Debug)]
pub(crate) struct SqliteBackend {
    conn: Connection,
}

fn db(e: rusqlite::Error) -> StoreError {
    StoreError::backend(e)
}

impl SqliteBackend {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path, _options: StoreOptions) -> Result<SqliteBackend> {
        let conn = Connection::open(path).map_err(db)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(db)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(db)?;
        // 64 MiB of page cache (the default is 2 MiB): a large import touches the activity
        // table and a dozen index tables at once, and re-reading their pages dominated writes.
        conn.pragma_update(None, "cache_size", -65536).map_err(db)?;
        SqliteBackend::init(conn)
    }

    /// A private database in memory.
    pub fn open_in_memory() -> Result<SqliteBackend> {
        SqliteBackend::init(Connection::open_in_memory().map_err(db)?)
    }

    fn init(mut conn: Connection) -> Result<SqliteBackend> {
        conn.pragma_update(None, "foreign_keys", "ON").map_err(db)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(db)?;
        migrate(&mut conn)?;
        Ok(SqliteBackend { conn })
    }
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(db)?;
    let supported = MIGRATIONS.len() as i64;
    if current > supported {
        return Err(StoreError::TooNew { found: current, supported });
    }
    for (i, migration) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = write_transaction(conn)?;
        tx.execute_batch(migration.sql).map_err(db)?;
        if let Some(step) = migration.then {
            step(&tx)?;
        }
        tx.pragma_update(None, "user_version", (i as i64).saturating_add(1)).map_err(db)?;
        tx.commit().map_err(db)?;
    }
    Ok(())
}

/// How long a writer waits for another process's write to finish before giving up. A write
/// holds the lock for one batch (a form, a file of an import), which takes milliseconds to a
/// few seconds; waiting longer than a request's timeout would serve no one.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(25);

/// Starts a transaction that takes the database's write lock at once (`BEGIN IMMEDIATE`).
///
/// A deferred transaction reads first and asks for the lock at its first write; in WAL mode
/// SQLite cannot wait there (another writer may have changed what was read), so it fails at
/// once with "database is locked" and the busy timeout never applies. Taking the lock first
/// makes concurrent writers — the server and a CLI import, say — wait their turn instead.
fn write_transaction(conn: &mut Connection) -> Result<Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(db)
}

fn exists(conn: &Connection, kind: RecordKind, key: &str) -> Result<bool> {
    let sql = format!("SELECT 1 FROM {} WHERE key = ?1", table(kind));
    conn.query_row(&sql, [key], |_| Ok(())).optional().map(|o| o.is_some()).map_err(db)
}

fn decode(kind: RecordKind, key: &str, doc: &str) -> Result<Record> {
    Record::from_json(kind, doc).map_err(|reason| StoreError::Corrupt { kind, key: key.to_owned(), reason })
}

fn cell(c: Cell) -> Value {
    match c {
        Cell::Text(t) => t.into(),
        Cell::Int(n) => n.into(),
        Cell::Flag(b) => i64::from(b).into(),
    }
}

/// Inserts or updates a record's main row (by `id`, when it exists) and rewrites its child
/// rows; returns its id.
fn write_record(
    tx: &Transaction<'_>,
    id: Option<i64>,
    record: &Record,
    derived: Option<Derived>,
    doc: &str,
) -> Result<i64> {
    let (columns, values) = rows::main_row(record, derived);
    let table = table(record.kind());
    let mut all: Vec<Value> = values.into_iter().map(cell).collect();
    all.push(doc.to_owned().into());
    all.push(record.key().into());
    let n = all.len();
    let new_id = match id {
        Some(id) => {
            let sets: Vec<String> = columns
                .iter()
                .chain(["doc", "key"].iter())
                .zip(1..)
                .map(|(c, i): (_, usize)| format!("{c} = ?{i}"))
                .collect();
            all.push(id.into());
            let sql = format!("UPDATE {table} SET {} WHERE id = ?{}", sets.join(", "), n.saturating_add(1));
            tx.prepare_cached(&sql).and_then(|mut st| st.execute(params_from_iter(all))).map_err(db)?;
            id
        }
        None => {
            let names: Vec<&str> = columns.iter().copied().chain(["doc", "key"]).collect();
            let marks: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
            let sql = format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), marks.join(", "));
            tx.prepare_cached(&sql).and_then(|mut st| st.execute(params_from_iter(all))).map_err(db)?;
            tx.last_insert_rowid()
        }
    };
    write_children(tx, new_id, record, if id.is_some() { ChildRows::Replace } else { ChildRows::New })?;
    Ok(new_id)
}

/// Whether a record's child rows may already exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChildRows {
    /// A new record: there is nothing to delete.
    New,
    /// An update or a re-index: delete the old rows first.
    Replace,
}

/// Writes a record's child rows (deleting its old ones first when `rows` says so).
fn write_children(tx: &Transaction<'_>, id: i64, record: &Record, rows: ChildRows) -> Result<()> {
    if rows == ChildRows::Replace {
        for child in rows::child_tables(record.kind()) {
            tx.prepare_cached(&format!("DELETE FROM {} WHERE {} = ?1", child.name, child.parent))
                .and_then(|mut s| s.execute([id]))
                .map_err(db)?;
        }
    }
    static INSERTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let inserts = INSERTS.get_or_init(|| {
        rows::CHILD_TABLES
            .iter()
            .map(|t| {
                let marks: Vec<String> = (1..=t.columns.len().saturating_add(1)).map(|i| format!("?{i}")).collect();
                format!("INSERT INTO {} ({}, {}) VALUES ({})", t.name, t.parent, t.columns.join(", "), marks.join(", "))
            })
            .collect()
    });
    for child in rows::children(record) {
        let mut stmt = tx.prepare_cached(&inserts[child.table]).map_err(db)?;
        let values = std::iter::once(Value::from(id)).chain(child.values.into_iter().map(cell));
        stmt.execute(params_from_iter(values)).map_err(db)?;
    }
    Ok(())
}
/// Rewrites the index of every stored activity from its document: run once by the migration
/// that added columns and tables, so activities written before it are reported like new ones.
/// Rewrites each record's document as its stored form ([`Record::to_json`]), a few thousand
/// at a time. A document that does not read back is left as it is, and refused as damaged
/// when it is read, as before.
fn rewrite_in_stored_form(tx: &Transaction<'_>) -> Result<()> {
    const CHUNK: i64 = 5_000;
    // The kinds whose tables this migration found: good practices came later (migration 6),
    // written in the stored form from the start.
    for kind in RecordKind::ALL.into_iter().filter(|k| *k != RecordKind::Practice) {
        let table = table(kind);
        let mut after = 0i64;
        loop {
            let rows: Vec<(i64, String)> = {
                let sql = format!("SELECT rowid, doc FROM {table} WHERE rowid > ?1 ORDER BY rowid LIMIT {CHUNK}");
                let mut stmt = tx.prepare(&sql).map_err(db)?;
                stmt.query_map([after], |r| Ok((r.get(0)?, r.get(1)?)))
                    .map_err(db)?
                    .collect::<Result<_, _>>()
                    .map_err(db)?
            };
            let Some(&(last, _)) = rows.last() else { break };
            after = last;
            let mut update = tx.prepare_cached(&format!("UPDATE {table} SET doc = ?1 WHERE rowid = ?2")).map_err(db)?;
            for (rowid, doc) in rows {
                if let Ok(record) = Record::from_document(kind, &doc) {
                    update.execute(rusqlite::params![record.to_json(), rowid]).map_err(db)?;
                }
            }
        }
    }
    Ok(())
}

/// Migration 0005: chains the change history into the audit trail. Each row gets the digest
/// of its record's document after it (the next change's `before`, else the record as stored
/// now) and then its hash, oldest first.
fn chain_the_trail(tx: &Transaction<'_>) -> Result<()> {
    let mut after_hashes: Vec<(i64, String)> = Vec::new();
    {
        let mut next_before: HashMap<(String, String), Option<String>> = HashMap::new();
        let mut stmt = tx
            .prepare("SELECT id, record_kind, record_key, before, after FROM change_history ORDER BY id DESC")
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let (id, kind, key): (i64, String, String) =
                (r.get(0).map_err(db)?, r.get(1).map_err(db)?, r.get(2).map_err(db)?);
            let before: Option<String> = r.get(3).map_err(db)?;
            let after: Option<String> = r.get(4).map_err(db)?;
            let slot = (kind, key);
            // The next change's `before` first, then the record as stored now (migration 4
            // rewrote it in the stored form), then the row's own `after`.
            let after_hash = match next_before.get(&slot) {
                Some(next) => next.clone(),
                None => match RecordKind::parse(&slot.0) {
                    Some(k) => document(tx, k, &slot.1)?.as_deref().map(audit::digest),
                    None => None,
                }
                .or_else(|| after.as_deref().map(audit::digest)),
            };
            after_hashes.push((id, after_hash.unwrap_or_default()));
            next_before.insert(slot, before.as_deref().map(audit::digest));
        }
    }
    let mut prev = String::new();
    let mut update =
        tx.prepare("UPDATE change_history SET after_hash = ?1, prev_hash = ?2, hash = ?3 WHERE id = ?4").map_err(db)?;
    for (id, after_hash) in after_hashes.into_iter().rev() {
        let mut row = trail::audit_row_by_id(tx, id)?;
        row.after_hash = Some(after_hash);
        row.prev_hash = prev;
        row.hash = audit::row_hash(&row);
        update.execute(params![row.after_hash, row.prev_hash, row.hash, id]).map_err(db)?;
        prev = row.hash;
    }
    Ok(())
}

fn reindex_activities(tx: &Transaction<'_>) -> Result<()> {
    let rows: Vec<(i64, String, String)> = {
        let mut stmt = tx.prepare("SELECT id, key, doc FROM activity ORDER BY id").map_err(db)?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(db)?
            .collect::<Result<_, _>>()
            .map_err(db)?
    };
    for (id, key, doc) in rows {
        let Record::Activity(a) = decode(RecordKind::Activity, &key, &doc)? else { continue };
        let p = a.parts();
        tx.execute(
            "UPDATE activity SET start_date = ?1, end_date = ?2, border = ?3 WHERE id = ?4",
            params![
                p.dates.start().map(|d| d.to_string()),
                p.dates.end().map(|d| d.to_string()),
                p.cross_border.as_ref().map(|c| c.border.code()),
                id
            ],
        )
        .map_err(db)?;
        write_children(tx, id, &Record::Activity(a), ChildRows::Replace)?;
    }
    Ok(())
}

/// The WHERE clause and parameters of an activity filter, on table alias `a`.
fn filter_sql(filter: &ActivityFilter) -> (String, Vec<Value>) {
    let mut clauses = vec!["1 = 1".to_owned()];
    let mut values: Vec<Value> = Vec::new();
    let mut push = |clause: &str, v: Vec<Value>, clauses: &mut Vec<String>| {
        // Number each `?` after the parameters already bound.
        let mut c = String::new();
        let mut params = v.into_iter();
        for (i, part) in clause.split('?').enumerate() {
            if i > 0
                && let Some(v) = params.next()
            {
                values.push(v);
                c.push_str(&format!("?{}", values.len()));
            }
            c.push_str(part);
        }
        clauses.push(c);
    };
    if let Some(d) = filter.direction {
        push("a.direction = ?", vec![d.code().to_owned().into()], &mut clauses);
    }
    if let Some(m) = filter.modality {
        push("a.modality = ?", vec![m.code().to_owned().into()], &mut clauses);
    }
    if let Some(y) = filter.year {
        push(
            "a.start_year <= ? AND COALESCE(a.end_year, a.start_year) >= ?",
            vec![i64::from(y).into(), i64::from(y).into()],
            &mut clauses,
        );
    }
    if let Some(o) = &filter.reporting_org {
        push("a.reporting_org = ?", vec![o.clone().into()], &mut clauses);
    }
    (clauses.join(" AND "), values)
}

fn parse_direction(s: Option<String>) -> Option<Direction> {
    s.and_then(|s| Direction::parse(&s).ok())
}

/// A connection's reads, in or out of a write's transaction (a `Transaction` derefs to its
/// connection).
fn document(conn: &Connection, kind: RecordKind, key: &str) -> Result<Option<String>> {
    let sql = format!("SELECT doc FROM {} WHERE key = ?1", table(kind));
    conn.prepare_cached(&sql).and_then(|mut s| s.query_row([key], |r| r.get(0)).optional()).map_err(db)
}

fn version(conn: &Connection, kind: RecordKind, key: &str) -> Result<Option<Version>> {
    if !exists(conn, kind, key)? {
        return Ok(None);
    }
    conn.prepare_cached("SELECT COALESCE(MAX(id), 0) FROM change_history WHERE record_kind = ?1 AND record_key = ?2")
        .and_then(|mut s| s.query_row(params![kind.as_str(), key], |r| r.get(0)))
        .map(Some)
        .map_err(db)
}

impl Fetch for SqliteBackend {
    fn document(&self, kind: RecordKind, key: &str) -> Result<Option<String>> {
        document(&self.conn, kind, key)
    }

    fn exists(&self, kind: RecordKind, key: &str) -> Result<bool> {
        exists(&self.conn, kind, key)
    }

    fn version(&self, kind: RecordKind, key: &str) -> Result<Option<Version>> {
        version(&self.conn, kind, key)
    }

    fn account(&self, name: &str) -> Result<Option<AccountRow>> {
        trail::account(&self.conn, name)
    }

    fn token(&self, hash: &str) -> Result<Option<TokenRow>> {
        trail::token(&self.conn, hash)
    }

    fn session(&self, hash: &str) -> Result<Option<SessionRow>> {
        trail::session(&self.conn, hash)
    }
}

/// A write's transaction.
struct SqliteTx<'c>(Transaction<'c>);

impl Fetch for SqliteTx<'_> {
    fn document(&self, kind: RecordKind, key: &str) -> Result<Option<String>> {
        document(&self.0, kind, key)
    }

    fn exists(&self, kind: RecordKind, key: &str) -> Result<bool> {
        exists(&self.0, kind, key)
    }

    fn version(&self, kind: RecordKind, key: &str) -> Result<Option<Version>> {
        version(&self.0, kind, key)
    }

    fn account(&self, name: &str) -> Result<Option<AccountRow>> {
        trail::account(&self.0, name)
    }

    fn token(&self, hash: &str) -> Result<Option<TokenRow>> {
        trail::token(&self.0, hash)
    }

    fn session(&self, hash: &str) -> Result<Option<SessionRow>> {
        trail::session(&self.0, hash)
    }
}

impl crate::backend::Transaction for SqliteTx<'_> {
    fn put(&mut self, record: &Record, doc: &str, derived: Option<Derived>) -> Result<()> {
        let tx = &self.0;
        let kind = record.kind();
        let sql = format!("SELECT id FROM {} WHERE key = ?1", table(kind));
        let id: Option<i64> = tx
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row([record.key()], |r| r.get(0)).optional())
            .map_err(db)?;
        if record.kind() == RecordKind::Activity && derived.is_none() {
            return Err(StoreError::Backend(
                format!("activity {} written without its derived facts", record.key()).into(),
            ));
        }
        write_record(tx, id, record, derived, doc)?;
        Ok(())
    }

    fn activities_naming(&self, orgs: &[String]) -> Result<Vec<(String, String)>> {
        let marks: Vec<String> = (1..=orgs.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "SELECT DISTINCT a.key, a.doc FROM activity a JOIN activity_participant p ON p.activity_id = a.id \
             WHERE p.org_key IN ({}) ORDER BY a.key",
            marks.join(", ")
        );
        let mut stmt = self.0.prepare(&sql).map_err(db)?;
        stmt.query_map(params_from_iter(orgs.iter()), |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(db)?
            .collect::<Result<_, _>>()
            .map_err(db)
    }

    fn set_derived(&mut self, key: &str, d: Derived) -> Result<()> {
        self.0
            .execute(
                "UPDATE activity SET direction = ?1, decentralised = ?2, cross_border = ?3 WHERE key = ?4",
                params![d.direction.map(|x| x.code()), d.decentralised, d.cross_border, key],
            )
            .map(drop)
            .map_err(db)
    }

    fn last_audit(&self) -> Result<Option<(i64, String)>> {
        trail::last_audit(&self.0)
    }

    fn add_audit(&mut self, row: &AuditRow) -> Result<()> {
        trail::add_audit(&self.0, row)
    }

    fn add_feed(&mut self, entry: &FeedEntry) -> Result<()> {
        let (kind, key) = sql::feed_row(entry);
        self.0
            .prepare_cached("INSERT INTO change_feed (kind, key) VALUES (?1, ?2)")
            .and_then(|mut s| s.execute(params![kind, key]))
            .map(drop)
            .map_err(db)
    }

    fn rate(&self, r: &ExchangeRate) -> Result<Option<(String, String)>> {
        self.0
            .prepare_cached(
                "SELECT units_per_usd, source FROM exchange_rate \
                 WHERE currency = ?1 AND period_start = ?2 AND period_end = ?3",
            )
            .and_then(|mut s| {
                s.query_row(params![r.currency.as_str(), r.start.to_string(), r.end.to_string()], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .optional()
            })
            .map_err(db)
    }

    fn put_rate(&mut self, r: &ExchangeRate, units_per_usd: &str) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT OR REPLACE INTO exchange_rate (currency, period_start, period_end, units_per_usd, source) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| {
                s.execute(params![r.currency.as_str(), r.start.to_string(), r.end.to_string(), units_per_usd, r.source])
            })
            .map(drop)
            .map_err(db)
    }

    fn holds_anything(&self) -> Result<bool> {
        self.0.query_row(rows::HOLDS_ANYTHING, [], |r| r.get(0)).map_err(db)
    }

    fn put_token(&mut self, token: &crate::copy::TokenCopy) -> Result<()> {
        trail::put_token(&self.0, token)
    }

    fn put_account(&mut self, account: &AccountRow) -> Result<()> {
        trail::put_account(&self.0, account)
    }

    fn add_token(&mut self, account: &str, label: &str, hash: &str, at: &str) -> Result<()> {
        trail::add_token(&self.0, account, label, hash, at)
    }

    fn revoke_tokens(&mut self, account: &str, label: Option<&str>, at: &str) -> Result<usize> {
        trail::revoke_tokens(&self.0, account, label, at)
    }

    fn touch_token(&mut self, id: i64, now: i64) -> Result<()> {
        trail::touch_token(&self.0, id, now)
    }

    fn add_session(&mut self, session: &SessionRow) -> Result<()> {
        trail::add_session(&self.0, session)
    }

    fn touch_session(&mut self, hash: &str, now: i64) -> Result<()> {
        trail::touch_session(&self.0, hash, now)
    }

    fn end_session(&mut self, hash: &str, now: i64) -> Result<()> {
        trail::end_session(&self.0, hash, now)
    }

    fn end_sessions(&mut self, account: &str, now: i64) -> Result<()> {
        trail::end_sessions(&self.0, account, now)
    }

    fn add_failure(&mut self, name: &str, address: &str, now: i64) -> Result<()> {
        trail::add_failure(&self.0, name, address, now)
    }

    fn failures_since(&self, name: &str, address: &str, since: i64) -> Result<(u32, u32)> {
        trail::failures_since(&self.0, name, address, since)
    }

    fn clear_failures(&mut self, name: &str) -> Result<()> {
        trail::clear_failures(&self.0, name)
    }
}

impl Backend for SqliteBackend {
    fn scan_documents(&self, kind: RecordKind, visit: &mut crate::backend::VisitDocument<'_>) -> Result<()> {
        // One read transaction: the scan sees one state of the registry.
        let read = self.conn.unchecked_transaction().map_err(db)?;
        let mut stmt = read.prepare(&rows::scan_sql(kind)).map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let derived = if kind == RecordKind::Activity {
                Some(crate::store::derived(r.get(2).map_err(db)?, r.get(3).map_err(db)?, r.get(4).map_err(db)?))
            } else {
                None
            };
            let key = r.get_ref(0).and_then(|v| v.as_str().map_err(Into::into)).map_err(db)?;
            let doc = r.get_ref(1).and_then(|v| v.as_str().map_err(Into::into)).map_err(db)?;
            visit(key, doc, derived)?;
        }
        Ok(())
    }

    fn token_copies(&self) -> Result<Vec<crate::copy::TokenCopy>> {
        trail::token_copies(&self.conn)
    }

    fn documents(&self, kind: RecordKind) -> Result<Vec<(String, String)>> {
        let sql = format!("SELECT key, doc FROM {} ORDER BY key", table(kind));
        let mut stmt = self.conn.prepare(&sql).map_err(db)?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(db)?.collect::<Result<_, _>>().map_err(db)
    }

    fn activity(&self, key: &str) -> Result<Option<(String, Derived)>> {
        let row: Option<(String, Option<String>, bool, bool)> = self
            .conn
            .query_row("SELECT doc, direction, decentralised, cross_border FROM activity WHERE key = ?1", [key], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()
            .map_err(db)?;
        Ok(row.map(|(doc, direction, decentralised, cross_border)| {
            (doc, crate::store::derived(direction, decentralised, cross_border))
        }))
    }

    fn report_facts(&self, only: Option<&[String]>, visit: &mut dyn FnMut(&ReportFacts)) -> Result<()> {
        facts::report_facts(&self.conn, only, visit)
    }

    fn feed(&self, after: u64, limit: u32) -> Result<Vec<(u64, FeedEntry)>> {
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT seq, kind, key FROM change_feed WHERE seq > ?1 ORDER BY seq LIMIT ?2")
            .map_err(db)?;
        let rows = stmt
            .query_map(params![after, limit], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .map_err(db)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(db)?;
        rows.into_iter().map(|(seq, kind, key)| sql::feed_entry(seq, &kind, key)).collect()
    }

    fn feed_head(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM change_feed", [], |r| r.get::<_, i64>(0))
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(db)
    }

    fn write(&mut self, work: &mut dyn FnMut(&mut dyn crate::backend::Transaction) -> Result<()>) -> Result<()> {
        let mut tx = SqliteTx(write_transaction(&mut self.conn)?);
        work(&mut tx)?;
        tx.0.commit().map_err(db)
    }

    fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
        trail::audit(&self.conn, filter)
    }

    fn audit_rows(&self, after: i64, limit: u32) -> Result<Vec<AuditRow>> {
        trail::audit_rows(&self.conn, after, limit)
    }

    fn accounts(&self) -> Result<Vec<AccountRow>> {
        trail::accounts(&self.conn)
    }

    fn tokens(&self, account: &str) -> Result<Vec<TokenRow>> {
        trail::tokens(&self.conn, account)
    }

    fn backup(&self, out: &Path) -> Result<()> {
        // One read transaction's view of the database, written page by page into a new file:
        // writers go on meanwhile (WAL), and the copy is whole and compact.
        let out = out.to_str().ok_or_else(|| StoreError::Backend("the backup's path is not UTF-8".into()))?;
        self.conn.execute("VACUUM INTO ?1", [out]).map(drop).map_err(db)
    }

    fn schema_version(&self) -> Result<(i64, i64)> {
        let found = self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(db)?;
        Ok((found, MIGRATIONS.len() as i64))
    }

    fn activities(&self, filter: &ActivityFilter) -> Result<Vec<ActivitySummary>> {
        let (clause, mut values) = filter_sql(filter);
        values.push(filter.limit.map_or(-1, i64::from).into());
        values.push(i64::from(filter.offset).into());
        let n = values.len();
        let sql = format!(
            "SELECT a.key, a.title_es, a.title_en, a.reporting_org, a.modality, a.direction, a.status, a.start_year \
             FROM activity a WHERE {clause} ORDER BY a.key LIMIT ?{} OFFSET ?{n}",
            n.saturating_sub(1)
        );
        let mut stmt = self.conn.prepare(&sql).map_err(db)?;
        let rows = stmt
            .query_map(params_from_iter(values), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<i32>>(7)?,
                ))
            })
            .map_err(db)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(db)?;
        rows.into_iter()
            .map(|(key, title_es, title_en, reporting_org, modality, direction, status, start_year)| {
                Ok(ActivitySummary {
                    modality: sql::modality(&key, &modality)?,
                    key,
                    title_es,
                    title_en,
                    reporting_org,
                    direction: parse_direction(direction),
                    status,
                    start_year,
                })
            })
            .collect()
    }

    fn count_activities(&self, filter: &ActivityFilter) -> Result<u64> {
        let (clause, values) = filter_sql(filter);
        let sql = format!("SELECT COUNT(*) FROM activity a WHERE {clause}");
        self.conn.query_row(&sql, params_from_iter(values), |r| r.get::<_, i64>(0)).map(|n| n as u64).map_err(db)
    }

    fn activity_facts(&self, filter: &ActivityFilter) -> Result<Vec<ActivityFacts>> {
        let (clause, values) = filter_sql(filter);
        let mut gather = crate::facts::Gather::default();
        let sql = format!(
            "SELECT a.id, a.key, a.direction, a.modality, a.start_year FROM activity a WHERE {clause} ORDER BY a.id"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(db)?;
        let mut rows = stmt.query(params_from_iter(values.iter())).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let direction: Option<String> = r.get(2).map_err(db)?;
            let modality: String = r.get(3).map_err(db)?;
            gather.activity(
                r.get(0).map_err(db)?,
                r.get(1).map_err(db)?,
                direction.as_deref(),
                &modality,
                r.get(4).map_err(db)?,
            )?;
        }
        let sql = format!(
            "SELECT s.activity_id, s.vocabulary, s.code, s.percentage FROM activity_sector s \
             JOIN activity a ON a.id = s.activity_id WHERE {clause}"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(db)?;
        let mut rows = stmt.query(params_from_iter(values.iter())).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let pct: String = r.get(3).map_err(db)?;
            gather.sector(r.get(0).map_err(db)?, r.get(1).map_err(db)?, r.get(2).map_err(db)?, &pct)?;
        }
        let sql = format!(
            "SELECT m.activity_id, m.kind, m.amount, m.currency FROM activity_money m \
             JOIN activity a ON a.id = m.activity_id WHERE {clause}"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(db)?;
        let mut rows = stmt.query(params_from_iter(values.iter())).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let (kind, amount): (String, String) = (r.get(1).map_err(db)?, r.get(2).map_err(db)?);
            gather.money(r.get(0).map_err(db)?, &kind, &amount, r.get(3).map_err(db)?)?;
        }
        Ok(gather.finish())
    }

    fn exchange_rates(&self) -> Result<Vec<ExchangeRate>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT currency, period_start, period_end, units_per_usd, source FROM exchange_rate \
                 ORDER BY currency, period_start, period_end",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(db)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(db)?;
        rows.into_iter()
            .map(|(currency, start, end, value, source)| sql::exchange_rate(&currency, &start, &end, &value, source))
            .collect()
    }

    fn history(&self, filter: &HistoryFilter) -> Result<Vec<Change>> {
        let mut clauses = vec![format!("h.action IN ({CHANGES})")];
        let mut values: Vec<Value> = Vec::new();
        if let Some(k) = filter.kind {
            values.push(k.as_str().to_owned().into());
            clauses.push(format!("h.record_kind = ?{}", values.len()));
        }
        if let Some(key) = &filter.key {
            values.push(key.clone().into());
            clauses.push(format!("h.record_key = ?{}", values.len()));
        }
        values.push(filter.limit.map_or(-1, i64::from).into());
        let sql = sql::history_sql(&clauses, &format!("?{}", values.len()));
        let mut stmt = self.conn.prepare(&sql).map_err(db)?;
        let rows = stmt
            .query_map(params_from_iter(values), |r| {
                Ok(sql::HistoryRow {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    author: r.get(2)?,
                    kind: r.get(3)?,
                    key: r.get(4)?,
                    action: r.get(5)?,
                    before: r.get(6)?,
                    after: r.get(7)?,
                    event: r.get(8)?,
                    address: r.get(9)?,
                    detail: r.get(10)?,
                })
            })
            .map_err(db)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(db)?;
        rows.into_iter().map(sql::HistoryRow::change).collect()
    }

    fn count_history(&self) -> Result<u64> {
        self.conn
            .query_row(&format!("SELECT COUNT(*) FROM change_history WHERE action IN ({CHANGES})"), [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(db)
    }
}
