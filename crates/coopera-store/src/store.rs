//! [`Store`]: the registry's storage as every crate above sees it — one value, shareable across
//! threads, opened from a [`Location`], whose writes keep the rules of `write.rs` on whichever
//! backend holds the data.

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use coopera_domain::activity::Derived;
use coopera_domain::catalog::{Capacity, Demand};
use coopera_domain::doc::Reference;
use coopera_domain::organisation::Organisation;
use coopera_domain::practice::GoodPractice;
use coopera_domain::problem::Problems;
use coopera_domain::record::RecordKind;
use coopera_domain::subnational::{Agreement, NetworkMembership, SubnationalAction};

use crate::backend::Backend;
use crate::postgres::PostgresBackend;
use crate::sqlite::SqliteBackend;
use crate::watch::Watcher;
use crate::write::{self, WriteOptions, decode};
use crate::{
    ActivityFacts, ActivityFilter, ActivitySummary, Change, ExchangeRate, Existing, FeedEntry, HistoryFilter,
    RatesSummary, Record, ReportFacts, Result, StoreOptions, StoredActivity, Version, WriteSummary,
};

/// Where a registry is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite database file (created when missing).
    File(PathBuf),
    /// A private SQLite database in memory, gone when the store is dropped (tests, previews).
    Memory,
    /// A PostgreSQL database (`postgres://USER@HOST:PORT/DB`), shared by every process that
    /// opens it.
    Server(String),
}

impl Location {
    /// Reads a location as users write it: `postgres://…` or `postgresql://…` names a server,
    /// `:memory:` a database in memory, `sqlite:PATH` or any other text a file path.
    pub fn parse(text: &OsStr) -> Location {
        let s = text.to_string_lossy();
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Location::Server(s.into_owned())
        } else if s == ":memory:" {
            Location::Memory
        } else if let Some(path) = s.strip_prefix("sqlite:") {
            Location::File(PathBuf::from(path))
        } else {
            Location::File(PathBuf::from(text))
        }
    }

    /// The file that holds the registry, for a file database.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(p) => Some(p),
            _ => None,
        }
    }
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Location {
        Location::File(path.to_owned())
    }
}

impl From<&PathBuf> for Location {
    fn from(path: &PathBuf) -> Location {
        Location::File(path.clone())
    }
}

impl From<PathBuf> for Location {
    fn from(path: PathBuf) -> Location {
        Location::File(path)
    }
}

impl From<&Location> for Location {
    fn from(location: &Location) -> Location {
        location.clone()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Memory => f.write_str(":memory:"),
            Location::Server(url) => f.write_str(&redact(url)),
        }
    }
}

/// A server address without its password (`postgres://user:secret@host` → `postgres://user@host`).
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    match rest.split_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or("");
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_owned(),
    }
}

/// The registry's storage: connections to one database — the first writes, the others read —
/// and the rules every write keeps. `Send + Sync`: one `Store` serves every thread.
pub struct Store {
    options: StoreOptions,
    location: Location,
    conns: Vec<Mutex<Box<dyn Backend>>>,
    next: AtomicUsize,
    /// Run once the connections are closed (a test's schema is dropped).
    cleanup: Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("location", &self.location).field("connections", &self.conns.len()).finish()
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        // A server's connection blocks as it closes: not on an async runtime's thread.
        let conns = std::mem::take(&mut self.conns);
        crate::postgres::off_runtime(move || drop(conns));
        if let Some(cleanup) = self.cleanup.get_mut().unwrap_or_else(PoisonError::into_inner).take() {
            cleanup();
        }
    }
}

fn guard(m: &Mutex<Box<dyn Backend>>) -> MutexGuard<'_, Box<dyn Backend>> {
    // A panic while holding a connection leaves it usable: the database rolled back what was open.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Store {
    /// Opens the registry at `location` (creating it and bringing its schema up to date).
    pub fn open(location: impl Into<Location>, options: StoreOptions) -> Result<Store> {
        let location = location.into();
        let conns = crate::postgres::off_runtime(|| Store::connect(&location, options)).map_err(|e| e.at(&location))?;
        Ok(Store {
            options,
            location,
            conns: conns.into_iter().map(Mutex::new).collect(),
            next: AtomicUsize::new(0),
            cleanup: Mutex::new(None),
        })
    }

    /// This store, running `cleanup` when it is dropped, after its connections are closed.
    pub fn with_cleanup(self, cleanup: impl FnOnce() + Send + 'static) -> Store {
        *self.cleanup.lock().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(cleanup));
        self
    }

    /// The connections to `location`: the one that writes, then the readers.
    fn connect(location: &Location, options: StoreOptions) -> Result<Vec<Box<dyn Backend>>> {
        let mut conns: Vec<Box<dyn Backend>> = Vec::with_capacity(options.readers.saturating_add(1));
        match location {
            Location::File(path) => {
                for _ in 0..=options.readers {
                    conns.push(Box::new(SqliteBackend::open(path, options)?));
                }
            }
            Location::Memory => conns.push(Box::new(SqliteBackend::open_in_memory()?)),
            Location::Server(url) => {
                for _ in 0..=options.readers {
                    conns.push(Box::new(PostgresBackend::open(url)?));
                }
            }
        }
        Ok(conns)
    }

    /// A private registry in memory.
    pub fn open_in_memory(options: StoreOptions) -> Result<Store> {
        Store::open(Location::Memory, options)
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    pub fn options(&self) -> StoreOptions {
        self.options
    }

    /// A connection for reading: a free reader if there is one, else the next in turn.
    pub(crate) fn reader(&self) -> MutexGuard<'_, Box<dyn Backend>> {
        let n = self.conns.len();
        if n == 1 {
            return guard(&self.conns[0]);
        }
        // Readers are 1..n; the writer reads only when it is the one connection.
        let readers = n.saturating_sub(1);
        let start = self.next.fetch_add(1, Ordering::Relaxed).checked_rem(readers).unwrap_or(0);
        for i in 0..readers {
            let at = start.saturating_add(i).checked_rem(readers).unwrap_or(0).saturating_add(1);
            if let Ok(c) = self.conns[at].try_lock() {
                return c;
            }
        }
        guard(&self.conns[start.saturating_add(1)])
    }

    pub(crate) fn writer(&self) -> MutexGuard<'_, Box<dyn Backend>> {
        guard(&self.conns[0])
    }

    /// Writes a consistent copy of a SQLite registry into the new file `out` while servers
    /// and imports go on writing (a PostgreSQL registry is backed up with `pg_dump`).
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        self.reader().backup(out)
    }

    /// How many migrations the database has run, and how many this program knows.
    pub fn schema_version(&self) -> Result<(i64, i64)> {
        self.reader().schema_version()
    }

    /// Records a batch of records of any kind in one transaction. Each is created, updated or
    /// left unchanged (if identical); created and updated ones get a history row by `author`.
    /// References between records may point inside the batch. If any record breaks a rule
    /// that needs the database, nothing is written and every problem is returned.
    pub fn record(&self, author: &str, records: Vec<Record>) -> Result<WriteSummary> {
        self.write(author, records, WriteOptions::default())
    }

    /// [`Store::record`], saying what to do with a record stored under the same key with
    /// another content: with [`Existing::Refuse`] such a record is refused with a problem at
    /// its key ([`Rule::StoredDiffers`]) and one per differing field ([`Rule::Changed`], at
    /// most [`crate::DIFFERENCES_SHOWN`]), in the same answer as the batch's other problems.
    ///
    /// [`Rule::StoredDiffers`]: coopera_domain::Rule::StoredDiffers
    /// [`Rule::Changed`]: coopera_domain::Rule::Changed
    pub fn record_with(&self, author: &str, records: Vec<Record>, existing: Existing) -> Result<WriteSummary> {
        self.write(author, records, WriteOptions { existing, ..WriteOptions::default() })
    }

    /// Writes a batch as `how` says, in one transaction; see [`WriteOptions`].
    pub fn write(&self, author: &str, records: Vec<Record>, how: WriteOptions) -> Result<WriteSummary> {
        let options = self.options;
        let mut summary = None;
        self.writer().write(&mut |tx| {
            summary = Some(write::record(tx, author, &records, &how, options)?);
            Ok(())
        })?;
        Ok(summary.unwrap_or_default())
    }

    /// The problems of `references` that point to no record of the registry (and of an
    /// international action's actor that is not a state or municipality), each at its path.
    /// Forms and files use it to report these with a record's other problems, before the
    /// record is whole enough to be written.
    pub fn check_references(&self, references: &[Reference]) -> Result<Problems> {
        let conn = self.reader();
        write::references(&**conn, references)
    }

    /// Stores exchange rates in one transaction: a rate for the same currency and period
    /// replaces the one stored. Rates are reference data: they have no change history.
    pub fn record_rates(&self, rates: &[ExchangeRate]) -> Result<RatesSummary> {
        let mut summary = RatesSummary::default();
        self.writer().write(&mut |tx| {
            summary = write::record_rates(tx, rates)?;
            Ok(())
        })?;
        Ok(summary)
    }

    /// The version of a stored record (see [`Version`]).
    pub fn version(&self, kind: RecordKind, key: &str) -> Result<Option<Version>> {
        self.reader().version(kind, key)
    }

    pub fn organisation(&self, key: &str) -> Result<Option<Organisation>> {
        let doc = self.reader().document(RecordKind::Organisation, key)?;
        Ok(match doc.map(|d| decode(RecordKind::Organisation, key, &d)).transpose()? {
            Some(Record::Organisation(o)) => Some(o),
            _ => None,
        })
    }

    pub fn organisations(&self) -> Result<Vec<Organisation>> {
        self.all(RecordKind::Organisation, |r| if let Record::Organisation(o) = r { Some(o) } else { None })
    }

    pub fn activity(&self, key: &str) -> Result<Option<StoredActivity>> {
        let Some((doc, derived)) = self.reader().activity(key)? else { return Ok(None) };
        let Record::Activity(activity) = decode(RecordKind::Activity, key, &doc)? else { return Ok(None) };
        Ok(Some(StoredActivity { activity: *activity, derived }))
    }

    pub fn activities(&self, filter: &ActivityFilter) -> Result<Vec<ActivitySummary>> {
        self.reader().activities(filter)
    }

    pub fn count_activities(&self, filter: &ActivityFilter) -> Result<u64> {
        self.reader().count_activities(filter)
    }

    /// Report inputs for the activities matching `filter` (limit and offset ignored).
    pub fn activity_facts(&self, filter: &ActivityFilter) -> Result<Vec<ActivityFacts>> {
        self.reader().activity_facts(filter)
    }

    /// Streams what the report engine needs of every activity, in a stable order, one at a
    /// time (memory stays bounded however large the registry is).
    pub fn report_facts(&self, visit: &mut dyn FnMut(&ReportFacts)) -> Result<()> {
        self.reader().report_facts(None, visit)
    }

    /// [`Store::report_facts`] of the activities whose key is in `keys` (those that exist).
    pub fn report_facts_of(&self, keys: &[String], visit: &mut dyn FnMut(&ReportFacts)) -> Result<()> {
        self.reader().report_facts(Some(keys), visit)
    }

    /// Every stored exchange rate, by currency and period.
    pub fn exchange_rates(&self) -> Result<Vec<ExchangeRate>> {
        self.reader().exchange_rates()
    }

    pub fn capacities(&self) -> Result<Vec<Capacity>> {
        self.all(RecordKind::Capacity, |r| if let Record::Capacity(c) = r { Some(c) } else { None })
    }

    pub fn capacity(&self, key: &str) -> Result<Option<Capacity>> {
        let doc = self.reader().document(RecordKind::Capacity, key)?;
        Ok(match doc.map(|d| decode(RecordKind::Capacity, key, &d)).transpose()? {
            Some(Record::Capacity(c)) => Some(c),
            _ => None,
        })
    }

    pub fn demand(&self, key: &str) -> Result<Option<Demand>> {
        let doc = self.reader().document(RecordKind::Demand, key)?;
        Ok(match doc.map(|d| decode(RecordKind::Demand, key, &d)).transpose()? {
            Some(Record::Demand(d)) => Some(d),
            _ => None,
        })
    }

    pub fn demands(&self) -> Result<Vec<Demand>> {
        self.all(RecordKind::Demand, |r| if let Record::Demand(d) = r { Some(d) } else { None })
    }

    pub fn actions(&self) -> Result<Vec<SubnationalAction>> {
        self.all(RecordKind::Action, |r| if let Record::Action(a) = r { Some(a) } else { None })
    }

    pub fn agreements(&self) -> Result<Vec<Agreement>> {
        self.all(RecordKind::Agreement, |r| if let Record::Agreement(a) = r { Some(a) } else { None })
    }

    pub fn memberships(&self) -> Result<Vec<NetworkMembership>> {
        self.all(RecordKind::Membership, |r| if let Record::Membership(m) = r { Some(m) } else { None })
    }

    pub fn practices(&self) -> Result<Vec<GoodPractice>> {
        self.all(RecordKind::Practice, |r| if let Record::Practice(g) = r { Some(g) } else { None })
    }

    /// One good practice by its key.
    pub fn practice(&self, key: &str) -> Result<Option<GoodPractice>> {
        self.one(RecordKind::Practice, key, |r| if let Record::Practice(g) = r { Some(g) } else { None })
    }

    pub fn action(&self, key: &str) -> Result<Option<SubnationalAction>> {
        self.one(RecordKind::Action, key, |r| if let Record::Action(a) = r { Some(a) } else { None })
    }

    pub fn agreement(&self, key: &str) -> Result<Option<Agreement>> {
        self.one(RecordKind::Agreement, key, |r| if let Record::Agreement(a) = r { Some(a) } else { None })
    }

    pub fn membership(&self, key: &str) -> Result<Option<NetworkMembership>> {
        self.one(RecordKind::Membership, key, |r| if let Record::Membership(m) = r { Some(m) } else { None })
    }

    /// The record of `kind` stored under `key`, whatever its kind.
    pub fn stored(&self, kind: RecordKind, key: &str) -> Result<Option<Record>> {
        self.one(kind, key, Some)
    }

    fn one<T>(&self, kind: RecordKind, key: &str, pick: fn(Record) -> Option<T>) -> Result<Option<T>> {
        let doc = self.reader().document(kind, key)?;
        Ok(doc.map(|d| decode(kind, key, &d)).transpose()?.and_then(pick))
    }

    fn all<T>(&self, kind: RecordKind, pick: fn(Record) -> Option<T>) -> Result<Vec<T>> {
        let docs = self.reader().documents(kind)?;
        let mut out = Vec::with_capacity(docs.len());
        for (key, doc) in docs {
            out.extend(pick(decode(kind, &key, &doc)?));
        }
        Ok(out)
    }

    /// The change history, newest first; each change's before and after are documents in
    /// the format users write (the history keeps stored forms, [`Record::to_json`]).
    pub fn history(&self, filter: &HistoryFilter) -> Result<Vec<Change>> {
        let mut changes = self.reader().history(filter)?;
        for c in &mut changes {
            for side in [&mut c.before, &mut c.after] {
                if let Some(stored) = side.as_deref() {
                    *side = Some(Record::as_document(c.kind, stored));
                }
            }
        }
        Ok(changes)
    }

    pub fn count_history(&self) -> Result<u64> {
        self.reader().count_history()
    }

    /// What changed after entry `after` of the change feed — by this process or any other
    /// sharing the database — oldest first, at most `limit` entries, each with its number.
    pub fn changes_since(&self, after: u64, limit: u32) -> Result<Vec<(u64, FeedEntry)>> {
        self.reader().feed(after, limit)
    }

    /// A watcher of this registry's writes by any process (see [`Watcher`]): on PostgreSQL a
    /// connection of its own that listens for them.
    pub fn watcher(&self) -> Result<Watcher> {
        Watcher::open(&self.location).map_err(|e| e.at(&self.location))
    }

    /// The number of the newest entry of the change feed: a reader that has applied every
    /// entry up to it is up to date.
    pub fn feed_head(&self) -> Result<u64> {
        self.reader().feed_head()
    }
}

/// What an activity's row says was derived of it.
pub(crate) fn derived(direction: Option<String>, decentralised: bool, cross_border: bool) -> Derived {
    let direction = direction.and_then(|d| coopera_domain::kinds::Direction::parse(&d).ok());
    Derived { direction, decentralised, cross_border }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_read_as_users_write_them() {
        let parse = |s: &str| Location::parse(OsStr::new(s));
        assert_eq!(parse("coopera.db"), Location::File("coopera.db".into()));
        assert_eq!(parse("sqlite:/tmp/x.db"), Location::File("/tmp/x.db".into()));
        assert_eq!(parse(":memory:"), Location::Memory);
        let server = parse("postgres://ana:secreto@db.example:5432/coopera");
        assert_eq!(server.to_string(), "postgres://ana@db.example:5432/coopera");
    }

    #[test]
    fn a_store_is_shared_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Store>();
    }
}
