//! The PostgreSQL backend, for a registry shared by several processes on a database server.
//! The same tables and migrations as SQLite (in PostgreSQL's types), one transaction per write
//! holding the registry's write lock (a transaction-level advisory lock, so writers from every
//! process take turns as SQLite's do), and a NOTIFY on `coopera_feed` when a write adds to the
//! change feed.
//!
//! The driver is `postgres` (rust-postgres, synchronous): the store's seam is synchronous, the
//! server calls it from blocking threads, and the crate gives portals (server-side cursors),
//! COPY and LISTEN/NOTIFY without an ORM between the SQL and the rows.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use coopera_domain::activity::Derived;
use coopera_domain::kinds::Direction;
use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls, Row, Statement};

use crate::accounts::{AccountRow, SessionRow, TokenRow};
use crate::audit::{AuditFilter, AuditRow};
use crate::backend::{Backend, Fetch};
use crate::record::{Record, RecordKind};
use crate::rows::{self, Cell, table};
use crate::sql::{self, CHANGES};
use crate::{
    ActivityFacts, ActivityFilter, ActivitySummary, Change, ExchangeRate, FeedEntry, HistoryFilter, ReportFacts,
    Result, StoreError, Version,
};

mod bulk;
mod facts;
mod trail;

/// Migrations in order, numbered as SQLite's; `coopera_schema` counts how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_registry.sql"),
    include_str!("migrations/0002_reports.sql"),
    include_str!("migrations/0003_feed.sql"),
    include_str!("migrations/0004_stored_form.sql"),
    include_str!("migrations/0005_accounts_audit.sql"),
    include_str!("migrations/0006_good_practice.sql"),
];

/// The advisory lock every write holds for its transaction: one writer at a time, in every
/// process sharing the database (the audit chain and record versions need a single order).
/// The key is "cooperaW" in ASCII.
const WRITE_LOCK: i64 = 0x636f_6f70_6572_6157;
/// The advisory lock migrations hold, so that processes starting together migrate once
/// ("cooperaM").
const MIGRATE_LOCK: i64 = 0x636f_6f70_6572_614d;

/// The channel a write notifies when it adds to the change feed.
pub(crate) const FEED_CHANNEL: &str = "coopera_feed";

/// A parameter of a query built at run time.
type Param = Box<dyn ToSql + Sync + Send>;

fn db(e: postgres::Error) -> StoreError {
    StoreError::backend(e)
}

/// Runs `f`, on a thread of its own when this one drives an async runtime: the driver blocks
/// on a runtime of its own, which tokio does not allow inside another (a web handler, an async
/// test). Elsewhere — the server's blocking threads, the command line — `f` runs here.
pub(crate) fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| s.spawn(f).join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
}

/// Prepared statements by their text, per connection (they outlive transactions).
type Statements = RefCell<HashMap<String, Statement>>;

/// A connection (or a transaction on one) and its prepared statements: what every read and
/// write below runs on.
struct Pg<'a, C> {
    client: &'a RefCell<C>,
    statements: &'a Statements,
}

impl<C: GenericClient + Send> Pg<'_, C> {
    fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let mut client = self.client.borrow_mut();
        let client = &mut *client;
        let s = off_runtime(|| client.prepare(sql)).map_err(db)?;
        self.statements.borrow_mut().insert(sql.to_owned(), s.clone());
        Ok(s)
    }

    fn query(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        let s = self.statement(sql)?;
        let mut client = self.client.borrow_mut();
        let client = &mut *client;
        off_runtime(|| client.query(&s, params)).map_err(db)
    }

    fn opt(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<Row>> {
        let s = self.statement(sql)?;
        let mut client = self.client.borrow_mut();
        let client = &mut *client;
        off_runtime(|| client.query_opt(&s, params)).map_err(db)
    }

    fn one(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row> {
        let s = self.statement(sql)?;
        let mut client = self.client.borrow_mut();
        let client = &mut *client;
        off_runtime(|| client.query_one(&s, params)).map_err(db)
    }

    fn execute(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        let s = self.statement(sql)?;
        let mut client = self.client.borrow_mut();
        let client = &mut *client;
        off_runtime(|| client.execute(&s, params)).map_err(db)
    }
}

fn refs(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect()
}

fn get<'r, T: postgres::types::FromSql<'r>>(row: &'r Row, i: usize) -> Result<T> {
    row.try_get(i).map_err(db)
}

/// One connection to a PostgreSQL registry.
pub(crate) struct PostgresBackend {
    client: RefCell<Client>,
    statements: Statements,
}

impl fmt::Debug for PostgresBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresBackend").finish_non_exhaustive()
    }
}

/// Opens a connection to the server at `url` (a `postgres://` address or key=value settings).
pub(crate) fn connect(url: &str) -> Result<Client> {
    let mut config = postgres::Config::from_str(url).map_err(db)?;
    if config.get_application_name().is_none() {
        config.application_name("coopera");
    }
    off_runtime(|| config.connect(NoTls)).map_err(db)
}

impl PostgresBackend {
    /// Connects to the database at `url` and brings its schema up to date.
    pub fn open(url: &str) -> Result<PostgresBackend> {
        let mut client = connect(url)?;
        off_runtime(|| migrate(&mut client))?;
        Ok(PostgresBackend { client: RefCell::new(client), statements: RefCell::default() })
    }

    fn pg(&self) -> Pg<'_, Client> {
        Pg { client: &self.client, statements: &self.statements }
    }
}

fn migrate(client: &mut Client) -> Result<()> {
    let mut tx = client.transaction().map_err(db)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK]).map_err(db)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS coopera_schema (version BIGINT NOT NULL)").map_err(db)?;
    let current: i64 = match tx.query_opt("SELECT version FROM coopera_schema", &[]).map_err(db)? {
        Some(row) => row.try_get(0).map_err(db)?,
        None => {
            tx.execute("INSERT INTO coopera_schema (version) VALUES (0)", &[]).map_err(db)?;
            0
        }
    };
    let supported = MIGRATIONS.len() as i64;
    if current > supported {
        return Err(StoreError::TooNew { found: current, supported });
    }
    // Every pending migration in one transaction: a server that cannot finish leaves the
    // schema as it found it.
    for sql in MIGRATIONS.iter().skip(usize::try_from(current).unwrap_or(0)) {
        tx.batch_execute(sql).map_err(db)?;
    }
    tx.execute("UPDATE coopera_schema SET version = $1", &[&supported]).map_err(db)?;
    tx.commit().map_err(db)
}

fn schema_version(pg: &Pg<'_, impl GenericClient + Send>) -> Result<i64> {
    get(&pg.one("SELECT version FROM coopera_schema", &[])?, 0)
}

fn document(pg: &Pg<'_, impl GenericClient + Send>, kind: RecordKind, key: &str) -> Result<Option<String>> {
    let sql = format!("SELECT doc FROM {} WHERE key = $1", table(kind));
    pg.opt(&sql, &[&key])?.map(|r| get(&r, 0)).transpose()
}

fn documents_of(
    pg: &Pg<'_, impl GenericClient + Send>,
    kind: RecordKind,
    keys: &[String],
) -> Result<HashMap<String, String>> {
    let sql = format!("SELECT key, doc FROM {} WHERE key = ANY($1)", table(kind));
    pg.query(&sql, &[&keys])?.iter().map(|r| Ok((get(r, 0)?, get(r, 1)?))).collect()
}

fn exists(pg: &Pg<'_, impl GenericClient + Send>, kind: RecordKind, key: &str) -> Result<bool> {
    let sql = format!("SELECT 1 FROM {} WHERE key = $1", table(kind));
    Ok(pg.opt(&sql, &[&key])?.is_some())
}

fn version(pg: &Pg<'_, impl GenericClient + Send>, kind: RecordKind, key: &str) -> Result<Option<Version>> {
    if !exists(pg, kind, key)? {
        return Ok(None);
    }
    let row = pg.one(
        "SELECT COALESCE(MAX(id), 0) FROM change_history WHERE record_kind = $1 AND record_key = $2",
        &[&kind.as_str(), &key],
    )?;
    get(&row, 0).map(Some)
}

fn cell(c: Cell) -> Param {
    match c {
        Cell::Text(t) => Box::new(t),
        Cell::Int(n) => Box::new(n),
        Cell::Flag(b) => Box::new(b),
    }
}

/// Leaves a record to be stored with the transaction's other waiting rows (`bulk.rs`); a
/// record already waiting, or a large batch, sends what waits first.
fn write_record(
    tx: &mut (impl GenericClient + Send),
    pending: &mut bulk::Pending,
    record: &Record,
    derived: Option<Derived>,
    doc: &str,
) -> Result<()> {
    let (kind, key) = (record.kind(), record.key());
    if pending.waits_for(kind, &key) {
        pending.flush(tx)?;
    }
    let (columns, mut values) = rows::main_row(record, derived);
    values.push(doc.into());
    values.push(key.as_str().into());
    pending.record(kind, key, columns, values, rows::children(record));
    if pending.size() > bulk::FLUSH_AT {
        pending.flush(tx)?;
    }
    Ok(())
}

/// The WHERE clause and parameters of an activity filter, on table alias `a`.
fn filter_sql(filter: &ActivityFilter) -> (String, Vec<Param>) {
    let mut clauses = vec!["TRUE".to_owned()];
    let mut values: Vec<Param> = Vec::new();
    if let Some(d) = filter.direction {
        values.push(Box::new(d.code().to_owned()));
        clauses.push(format!("a.direction = ${}", values.len()));
    }
    if let Some(m) = filter.modality {
        values.push(Box::new(m.code().to_owned()));
        clauses.push(format!("a.modality = ${}", values.len()));
    }
    if let Some(y) = filter.year {
        values.push(Box::new(i64::from(y)));
        let n = values.len();
        clauses.push(format!("a.start_year <= ${n} AND COALESCE(a.end_year, a.start_year) >= ${n}"));
    }
    if let Some(o) = &filter.reporting_org {
        values.push(Box::new(o.clone()));
        clauses.push(format!("a.reporting_org = ${}", values.len()));
    }
    (clauses.join(" AND "), values)
}

fn year(n: Option<i64>) -> Option<i32> {
    n.and_then(|n| i32::try_from(n).ok())
}

impl Fetch for PostgresBackend {
    fn document(&self, kind: RecordKind, key: &str) -> Result<Option<String>> {
        document(&self.pg(), kind, key)
    }

    fn documents_of(&self, kind: RecordKind, keys: &[String]) -> Result<HashMap<String, String>> {
        documents_of(&self.pg(), kind, keys)
    }

    fn exists(&self, kind: RecordKind, key: &str) -> Result<bool> {
        exists(&self.pg(), kind, key)
    }

    fn version(&self, kind: RecordKind, key: &str) -> Result<Option<Version>> {
        version(&self.pg(), kind, key)
    }

    fn account(&self, name: &str) -> Result<Option<AccountRow>> {
        trail::account(&self.pg(), name)
    }

    fn token(&self, hash: &str) -> Result<Option<TokenRow>> {
        trail::token(&self.pg(), hash)
    }

    fn session(&self, hash: &str) -> Result<Option<SessionRow>> {
        trail::session(&self.pg(), hash)
    }
}

/// A write's transaction.
struct PgTx<'t> {
    tx: RefCell<postgres::Transaction<'t>>,
    statements: &'t Statements,
    /// Rows added but not copied to the server yet (see `bulk.rs`).
    pending: RefCell<bulk::Pending>,
    /// Whether the write added to the change feed (and so notifies the others at commit).
    fed: bool,
}

impl<'t> PgTx<'t> {
    fn pg(&self) -> Pg<'_, postgres::Transaction<'t>> {
        Pg { client: &self.tx, statements: self.statements }
    }

    /// The transaction as the server sees it, every pending row copied: for the reads that
    /// may need them.
    fn flushed(&self) -> Result<Pg<'_, postgres::Transaction<'t>>> {
        let mut pending = self.pending.borrow_mut();
        if !pending.is_empty() {
            pending.flush(&mut *self.tx.borrow_mut())?;
        }
        Ok(self.pg())
    }
}

impl Fetch for PgTx<'_> {
    fn document(&self, kind: RecordKind, key: &str) -> Result<Option<String>> {
        document(&self.flushed()?, kind, key)
    }

    fn documents_of(&self, kind: RecordKind, keys: &[String]) -> Result<HashMap<String, String>> {
        documents_of(&self.flushed()?, kind, keys)
    }

    fn exists(&self, kind: RecordKind, key: &str) -> Result<bool> {
        exists(&self.flushed()?, kind, key)
    }

    fn version(&self, kind: RecordKind, key: &str) -> Result<Option<Version>> {
        version(&self.flushed()?, kind, key)
    }

    fn account(&self, name: &str) -> Result<Option<AccountRow>> {
        trail::account(&self.flushed()?, name)
    }

    fn token(&self, hash: &str) -> Result<Option<TokenRow>> {
        trail::token(&self.flushed()?, hash)
    }

    fn session(&self, hash: &str) -> Result<Option<SessionRow>> {
        trail::session(&self.flushed()?, hash)
    }
}

impl crate::backend::Transaction for PgTx<'_> {
    fn put(&mut self, record: &Record, doc: &str, derived: Option<Derived>) -> Result<()> {
        if record.kind() == RecordKind::Activity && derived.is_none() {
            return Err(StoreError::Backend(
                format!("activity {} written without its derived facts", record.key()).into(),
            ));
        }
        write_record(self.tx.get_mut(), self.pending.get_mut(), record, derived, doc)
    }

    fn activities_naming(&self, orgs: &[String]) -> Result<Vec<(String, String)>> {
        let rows = self.flushed()?.query(
            "SELECT DISTINCT a.key, a.doc FROM activity a JOIN activity_participant p ON p.activity_id = a.id \
             WHERE p.org_key = ANY($1) ORDER BY a.key",
            &[&orgs],
        )?;
        rows.iter().map(|r| Ok((get(r, 0)?, get(r, 1)?))).collect()
    }

    fn set_derived(&mut self, key: &str, d: Derived) -> Result<()> {
        self.flushed()?
            .execute(
                "UPDATE activity SET direction = $1, decentralised = $2, cross_border = $3 WHERE key = $4",
                &[&d.direction.map(|x| x.code()), &d.decentralised, &d.cross_border, &key],
            )
            .map(drop)
    }

    fn last_audit(&self) -> Result<Option<(i64, String)>> {
        if let Some(last) = &self.pending.borrow().last_audit {
            return Ok(Some(last.clone()));
        }
        trail::last_audit(&self.pg())
    }

    fn add_audit(&mut self, row: &AuditRow) -> Result<()> {
        let pending = self.pending.get_mut();
        pending.audit(row);
        if pending.size() > bulk::FLUSH_AT {
            pending.flush(self.tx.get_mut())?;
        }
        Ok(())
    }

    fn add_feed(&mut self, entry: &FeedEntry) -> Result<()> {
        let (kind, key) = sql::feed_row(entry);
        self.fed = true;
        self.pending.get_mut().feed(kind, key);
        Ok(())
    }

    fn rate(&self, r: &ExchangeRate) -> Result<Option<(String, String)>> {
        let row = self.pg().opt(
            "SELECT units_per_usd, source FROM exchange_rate \
             WHERE currency = $1 AND period_start = $2 AND period_end = $3",
            &[&r.currency.as_str(), &r.start.to_string(), &r.end.to_string()],
        )?;
        row.map(|row| Ok((get(&row, 0)?, get(&row, 1)?))).transpose()
    }

    fn put_rate(&mut self, r: &ExchangeRate, units_per_usd: &str) -> Result<()> {
        self.pg()
            .execute(
                "INSERT INTO exchange_rate (currency, period_start, period_end, units_per_usd, source) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (currency, period_start, period_end) \
                 DO UPDATE SET units_per_usd = EXCLUDED.units_per_usd, source = EXCLUDED.source",
                &[&r.currency.as_str(), &r.start.to_string(), &r.end.to_string(), &units_per_usd, &r.source],
            )
            .map(drop)
    }

    fn holds_anything(&self) -> Result<bool> {
        get(&self.pg().one(rows::HOLDS_ANYTHING, &[])?, 0)
    }

    fn put_token(&mut self, token: &crate::copy::TokenCopy) -> Result<()> {
        trail::put_token(&self.pg(), token)
    }

    fn put_account(&mut self, account: &AccountRow) -> Result<()> {
        trail::put_account(&self.pg(), account)
    }

    fn add_token(&mut self, account: &str, label: &str, hash: &str, at: &str) -> Result<()> {
        trail::add_token(&self.pg(), account, label, hash, at)
    }

    fn revoke_tokens(&mut self, account: &str, label: Option<&str>, at: &str) -> Result<usize> {
        trail::revoke_tokens(&self.pg(), account, label, at)
    }

    fn touch_token(&mut self, id: i64, now: i64) -> Result<()> {
        trail::touch_token(&self.pg(), id, now)
    }

    fn add_session(&mut self, session: &SessionRow) -> Result<()> {
        trail::add_session(&self.pg(), session)
    }

    fn touch_session(&mut self, hash: &str, now: i64) -> Result<()> {
        trail::touch_session(&self.pg(), hash, now)
    }

    fn end_session(&mut self, hash: &str, now: i64) -> Result<()> {
        trail::end_session(&self.pg(), hash, now)
    }

    fn end_sessions(&mut self, account: &str, now: i64) -> Result<()> {
        trail::end_sessions(&self.pg(), account, now)
    }

    fn add_failure(&mut self, name: &str, address: &str, now: i64) -> Result<()> {
        trail::add_failure(&self.pg(), name, address, now)
    }

    fn failures_since(&self, name: &str, address: &str, since: i64) -> Result<(u32, u32)> {
        trail::failures_since(&self.pg(), name, address, since)
    }

    fn clear_failures(&mut self, name: &str) -> Result<()> {
        trail::clear_failures(&self.pg(), name)
    }
}

impl Backend for PostgresBackend {
    fn scan_documents(&self, kind: RecordKind, visit: &mut crate::backend::VisitDocument<'_>) -> Result<()> {
        facts::scan_documents(&mut self.client.borrow_mut(), kind, visit)
    }

    fn token_copies(&self) -> Result<Vec<crate::copy::TokenCopy>> {
        trail::token_copies(&self.pg())
    }

    fn documents(&self, kind: RecordKind) -> Result<Vec<(String, String)>> {
        let rows = self.pg().query(&format!("SELECT key, doc FROM {} ORDER BY key", table(kind)), &[])?;
        rows.iter().map(|r| Ok((get(r, 0)?, get(r, 1)?))).collect()
    }

    fn activity(&self, key: &str) -> Result<Option<(String, Derived)>> {
        let row = self
            .pg()
            .opt("SELECT doc, direction, decentralised, cross_border FROM activity WHERE key = $1", &[&key])?;
        row.map(|r| Ok((get(&r, 0)?, crate::store::derived(get(&r, 1)?, get(&r, 2)?, get(&r, 3)?)))).transpose()
    }

    fn activities(&self, filter: &ActivityFilter) -> Result<Vec<ActivitySummary>> {
        let (clause, mut values) = filter_sql(filter);
        values.push(Box::new(filter.limit.map(i64::from)));
        values.push(Box::new(i64::from(filter.offset)));
        let n = values.len();
        let sql = format!(
            "SELECT a.key, a.title_es, a.title_en, a.reporting_org, a.modality, a.direction, a.status, a.start_year \
             FROM activity a WHERE {clause} ORDER BY a.key LIMIT ${} OFFSET ${n}",
            n.saturating_sub(1)
        );
        let rows = self.pg().query(&sql, &refs(&values))?;
        rows.iter()
            .map(|r| {
                let key: String = get(r, 0)?;
                Ok(ActivitySummary {
                    modality: sql::modality(&key, get(r, 4)?)?,
                    title_es: get(r, 1)?,
                    title_en: get(r, 2)?,
                    reporting_org: get(r, 3)?,
                    direction: get::<Option<&str>>(r, 5)?.and_then(|d| Direction::parse(d).ok()),
                    status: get(r, 6)?,
                    start_year: year(get(r, 7)?),
                    key,
                })
            })
            .collect()
    }

    fn count_activities(&self, filter: &ActivityFilter) -> Result<u64> {
        let (clause, values) = filter_sql(filter);
        let row = self.pg().one(&format!("SELECT COUNT(*) FROM activity a WHERE {clause}"), &refs(&values))?;
        Ok(u64::try_from(get::<i64>(&row, 0)?).unwrap_or(0))
    }

    fn activity_facts(&self, filter: &ActivityFilter) -> Result<Vec<ActivityFacts>> {
        facts::activity_facts(&self.pg(), filter)
    }

    fn report_facts(&self, only: Option<&[String]>, visit: &mut dyn FnMut(&ReportFacts)) -> Result<()> {
        facts::report_facts(&mut self.client.borrow_mut(), only, visit)
    }

    fn exchange_rates(&self) -> Result<Vec<ExchangeRate>> {
        let rows = self.pg().query(
            "SELECT currency, period_start, period_end, units_per_usd, source FROM exchange_rate \
             ORDER BY currency, period_start, period_end",
            &[],
        )?;
        rows.iter().map(|r| sql::exchange_rate(get(r, 0)?, get(r, 1)?, get(r, 2)?, get(r, 3)?, get(r, 4)?)).collect()
    }

    fn history(&self, filter: &HistoryFilter) -> Result<Vec<Change>> {
        history(&self.pg(), filter)
    }

    fn count_history(&self) -> Result<u64> {
        let row = self.pg().one(&format!("SELECT COUNT(*) FROM change_history WHERE action IN ({CHANGES})"), &[])?;
        Ok(u64::try_from(get::<i64>(&row, 0)?).unwrap_or(0))
    }

    fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
        trail::audit(&self.pg(), filter)
    }

    fn audit_rows(&self, after: i64, limit: u32) -> Result<Vec<AuditRow>> {
        trail::audit_rows(&self.pg(), after, limit)
    }

    fn accounts(&self) -> Result<Vec<AccountRow>> {
        trail::accounts(&self.pg())
    }

    fn tokens(&self, account: &str) -> Result<Vec<TokenRow>> {
        trail::tokens(&self.pg(), account)
    }

    fn feed(&self, after: u64, limit: u32) -> Result<Vec<(u64, FeedEntry)>> {
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let rows = self.pg().query(
            "SELECT seq, kind, key FROM change_feed WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&after, &i64::from(limit)],
        )?;
        rows.iter().map(|r| sql::feed_entry(get(r, 0)?, get(r, 1)?, get(r, 2)?)).collect()
    }

    fn feed_head(&self) -> Result<u64> {
        let row = self.pg().one("SELECT COALESCE(MAX(seq), 0)::BIGINT FROM change_feed", &[])?;
        Ok(u64::try_from(get::<i64>(&row, 0)?).unwrap_or(0))
    }

    fn write(&mut self, work: &mut dyn FnMut(&mut dyn crate::backend::Transaction) -> Result<()>) -> Result<()> {
        let PostgresBackend { client, statements } = self;
        let client = client.get_mut();
        let tx = off_runtime(|| -> Result<postgres::Transaction<'_>> {
            let mut tx = client.transaction().map_err(db)?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK]).map_err(db)?;
            Ok(tx)
        })?;
        let mut ptx = PgTx { tx: RefCell::new(tx), statements, pending: RefCell::default(), fed: false };
        let done = work(&mut ptx).and_then(|()| ptx.flushed().map(drop));
        let fed = ptx.fed;
        let mut tx = ptx.tx.into_inner();
        match done {
            Ok(()) => off_runtime(move || {
                if fed {
                    tx.execute("SELECT pg_notify($1, '')", &[&FEED_CHANNEL]).map_err(db)?;
                }
                tx.commit().map_err(db)
            }),
            Err(e) => {
                // Rolled back here rather than by the transaction's drop, which would block
                // wherever it happens to be.
                let _ = off_runtime(move || tx.rollback());
                Err(e)
            }
        }
    }

    fn backup(&self, _out: &std::path::Path) -> Result<()> {
        Err(StoreError::Backend("a PostgreSQL registry is backed up with pg_dump (see docs/deployment.md)".into()))
    }

    fn schema_version(&self) -> Result<(i64, i64)> {
        Ok((schema_version(&self.pg())?, MIGRATIONS.len() as i64))
    }
}

/// The change history, newest first (see the SQLite backend's, which this mirrors).
fn history(pg: &Pg<'_, impl GenericClient + Send>, filter: &HistoryFilter) -> Result<Vec<Change>> {
    let mut clauses = vec![format!("h.action IN ({CHANGES})")];
    let mut values: Vec<Param> = Vec::new();
    if let Some(k) = filter.kind {
        values.push(Box::new(k.as_str().to_owned()));
        clauses.push(format!("h.record_kind = ${}", values.len()));
    }
    if let Some(key) = &filter.key {
        values.push(Box::new(key.clone()));
        clauses.push(format!("h.record_key = ${}", values.len()));
    }
    values.push(Box::new(filter.limit.map(i64::from)));
    let sql = sql::history_sql(&clauses, &format!("${}", values.len()));
    let rows = pg.query(&sql, &refs(&values))?;
    rows.iter()
        .map(|r| {
            sql::HistoryRow {
                id: get(r, 0)?,
                at: get(r, 1)?,
                author: get(r, 2)?,
                kind: get(r, 3)?,
                key: get(r, 4)?,
                action: get(r, 5)?,
                before: get(r, 6)?,
                after: get(r, 7)?,
                event: get(r, 8)?,
                address: get(r, 9)?,
                detail: get(r, 10)?,
            }
            .change()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_as_sqlites() {
        assert_eq!(MIGRATIONS.len(), crate::sqlite::MIGRATION_COUNT);
    }

    #[test]
    fn filters_number_their_parameters() {
        let filter = ActivityFilter { year: Some(2012), reporting_org: Some("amexcid".into()), ..Default::default() };
        let (clause, values) = filter_sql(&filter);
        assert_eq!(values.len(), 2);
        assert!(clause.contains("a.start_year <= $1") && clause.contains("a.reporting_org = $2"), "{clause}");
    }
}
