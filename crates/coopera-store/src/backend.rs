//! The narrow seam between the write layer ([`crate::Store`]) and a database: a backend only
//! stores and fetches. Every rule — references, keys, derivation, change detection, versions,
//! history — lives above it, in `write.rs`, written once for every backend.

use std::fmt;

use coopera_domain::activity::Derived;
use coopera_domain::record::RecordKind;

use crate::accounts::{AccountRow, SessionRow, TokenRow};
use crate::audit::{AuditFilter, AuditRow};
use crate::copy::TokenCopy;
use crate::{
    ActivityFacts, ActivityFilter, ActivitySummary, Change, ExchangeRate, FeedEntry, HistoryFilter, Record,
    ReportFacts, Result, Version,
};

/// What a scan of records calls for each: its key, document and (for an activity) what was
/// derived of it.
pub(crate) type VisitDocument<'v> = dyn FnMut(&str, &str, Option<Derived>) -> Result<()> + 'v;

/// Reads any backend answers the same way inside and outside a write.
pub(crate) trait Fetch {
    /// The canonical JSON document stored under `key`.
    fn document(&self, kind: RecordKind, key: &str) -> Result<Option<String>>;
    /// The documents stored under any of `keys`, by key (a server answers in one round trip).
    fn documents_of(&self, kind: RecordKind, keys: &[String]) -> Result<std::collections::HashMap<String, String>> {
        let mut found = std::collections::HashMap::with_capacity(keys.len());
        for key in keys {
            if let Some(doc) = self.document(kind, key)? {
                found.insert(key.clone(), doc);
            }
        }
        Ok(found)
    }
    fn exists(&self, kind: RecordKind, key: &str) -> Result<bool>;
    /// The version of a record: the number of its latest change (0 for a record without
    /// history), or `None` when there is no such record.
    fn version(&self, kind: RecordKind, key: &str) -> Result<Option<Version>>;
    /// The account of a (normalised) name.
    fn account(&self, name: &str) -> Result<Option<AccountRow>>;
    /// The API token whose secret has this digest.
    fn token(&self, hash: &str) -> Result<Option<TokenRow>>;
    /// The web session whose id has this digest.
    fn session(&self, hash: &str) -> Result<Option<SessionRow>>;
}

/// One session with a database (a SQLite connection, later a PostgreSQL one).
pub(crate) trait Backend: Fetch + Send + fmt::Debug {
    /// Every document of a kind, as (key, document), by key.
    fn documents(&self, kind: RecordKind) -> Result<Vec<(String, String)>>;
    /// Visits every record of a kind, one at a time — its key, document and (for an activity)
    /// what was derived of it — in no particular order, in bounded memory.
    fn scan_documents(&self, kind: RecordKind, visit: &mut VisitDocument<'_>) -> Result<()>;
    /// Every API token as stored (the digest of its secret, never the secret).
    fn token_copies(&self) -> Result<Vec<TokenCopy>>;
    /// An activity's document and what was derived when it was written.
    fn activity(&self, key: &str) -> Result<Option<(String, Derived)>>;
    fn activities(&self, filter: &ActivityFilter) -> Result<Vec<ActivitySummary>>;
    fn count_activities(&self, filter: &ActivityFilter) -> Result<u64>;
    fn activity_facts(&self, filter: &ActivityFilter) -> Result<Vec<ActivityFacts>>;
    /// Streams the report facts of every activity — or of those whose key is in `only` —
    /// in a stable order, one at a time.
    fn report_facts(&self, only: Option<&[String]>, visit: &mut dyn FnMut(&ReportFacts)) -> Result<()>;
    fn exchange_rates(&self) -> Result<Vec<ExchangeRate>>;
    /// The record changes of the audit trail, newest first.
    fn history(&self, filter: &HistoryFilter) -> Result<Vec<Change>>;
    fn count_history(&self) -> Result<u64>;
    /// Rows of the audit trail, oldest first (the newest `limit` when there is a limit).
    fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>>;
    /// Rows of the audit trail with an id above `after`, in id order, at most `limit`.
    fn audit_rows(&self, after: i64, limit: u32) -> Result<Vec<AuditRow>>;
    /// Every account, by name.
    fn accounts(&self) -> Result<Vec<AccountRow>>;
    /// An account's API tokens, oldest first.
    fn tokens(&self, account: &str) -> Result<Vec<TokenRow>>;
    /// The entries of the change feed after `after`, oldest first, at most `limit`.
    fn feed(&self, after: u64, limit: u32) -> Result<Vec<(u64, FeedEntry)>>;
    /// The number of the newest entry of the change feed (0 when empty).
    fn feed_head(&self) -> Result<u64>;
    /// Runs `work` in one transaction that holds the database's write lock from its start:
    /// committed when `work` returns `Ok`, rolled back otherwise.
    fn write(&mut self, work: &mut dyn FnMut(&mut dyn Transaction) -> Result<()>) -> Result<()>;
    /// How many migrations the database has run, and how many this program knows.
    fn schema_version(&self) -> Result<(i64, i64)>;
    /// Writes a consistent copy of the whole database into the new file `out`, while others
    /// read and write (an embedded database only; a server has its own tools).
    fn backup(&self, out: &std::path::Path) -> Result<()>;
}

/// What a write may do inside its transaction.
pub(crate) trait Transaction: Fetch {
    /// Stores a record under its key (inserting or replacing it) with its document and, for an
    /// activity, what was derived of it; the backend writes whatever index it keeps.
    fn put(&mut self, record: &Record, doc: &str, derived: Option<Derived>) -> Result<()>;
    /// The activities one of `orgs` takes part in, as (key, document).
    fn activities_naming(&self, orgs: &[String]) -> Result<Vec<(String, String)>>;
    /// Replaces what is derived of a stored activity.
    fn set_derived(&mut self, key: &str, derived: Derived) -> Result<()>;
    /// The id and hash of the newest row of the audit trail.
    fn last_audit(&self) -> Result<Option<(i64, String)>>;
    /// Appends a row, whole, to the audit trail (`audit::append` chains it first).
    fn add_audit(&mut self, row: &AuditRow) -> Result<()>;
    /// Appends an entry to the change feed other processes follow.
    fn add_feed(&mut self, entry: &FeedEntry) -> Result<()>;
    /// The stored rate for a currency and period, as (units per USD, source).
    fn rate(&self, rate: &ExchangeRate) -> Result<Option<(String, String)>>;
    /// Stores a rate (`units_per_usd` as written), replacing the one of the same period.
    fn put_rate(&mut self, rate: &ExchangeRate, units_per_usd: &str) -> Result<()>;
    /// Whether the registry holds any record, audit row, account or rate.
    fn holds_anything(&self) -> Result<bool>;
    /// Stores an API token as it was stored elsewhere (a copy).
    fn put_token(&mut self, token: &TokenCopy) -> Result<()>;
    /// Stores an account, inserting or replacing the one of its name.
    fn put_account(&mut self, account: &AccountRow) -> Result<()>;
    fn add_token(&mut self, account: &str, label: &str, hash: &str, at: &str) -> Result<()>;
    /// Revokes an account's tokens that are not revoked yet — the one labelled `label`, or
    /// all; returns how many.
    fn revoke_tokens(&mut self, account: &str, label: Option<&str>, at: &str) -> Result<usize>;
    fn touch_token(&mut self, id: i64, now: i64) -> Result<()>;
    fn add_session(&mut self, session: &SessionRow) -> Result<()>;
    fn touch_session(&mut self, hash: &str, now: i64) -> Result<()>;
    fn end_session(&mut self, hash: &str, now: i64) -> Result<()>;
    /// Ends every open session of an account.
    fn end_sessions(&mut self, account: &str, now: i64) -> Result<()>;
    fn add_failure(&mut self, name: &str, address: &str, now: i64) -> Result<()>;
    /// Failed sign-ins since `since` (Unix seconds): for the name, and from the address.
    fn failures_since(&self, name: &str, address: &str, since: i64) -> Result<(u32, u32)>;
    fn clear_failures(&mut self, name: &str) -> Result<()>;
}
