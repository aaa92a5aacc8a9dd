//! Coopera's storage: [`Store`], whose methods say what the registry does ("record these
//! records", "list activities given in 2012"), opened from a [`Location`] — a file path for
//! the embedded SQLite database. The rules every write keeps live once, in `write.rs`, above a
//! narrow backend seam (`backend.rs`) that each database implements by storing and fetching
//! only; a conformance suite ([`conformance`]) runs unchanged on every backend.
//!
//! Every write is one transaction: either every record of a batch is stored, with one row of
//! change history per record created or updated and one entry in the change feed per record
//! changed, or nothing is.

#![warn(clippy::arithmetic_side_effects)]

use std::fmt;

use coopera_domain::activity::{Activity, Derived};
use coopera_domain::code::{CountryCode, CurrencyCode, RegionCode};
use coopera_domain::kinds::{
    Border, CooperationType, CrossBorderDimension, Direction, InKindUnit, Instrument, Modality, Role, WorkflowState,
};
use coopera_domain::{Lang, Problems};
use rust_decimal::Decimal;

pub mod accounts;
pub mod audit;
mod backend;
pub mod conformance;
mod copy;
mod demand_flow;
mod facts;
mod postgres;
mod record;
mod rows;
mod sql;
mod sqlite;
mod store;
mod store_accounts;
pub mod testing;
mod watch;
mod workflow;
mod write;

pub use accounts::{Account, AccountProblem, NewSession, Session, SessionLimits, TokenInfo};
pub use audit::{AuditEntry, AuditEvent, AuditFilter, AuditVerdict, Broken, Who};
pub use copy::{CopySummary, TableChecksum};
pub use demand_flow::{DemandMove, DemandStep};
pub use record::{Difference, Record, RecordKind};
pub use store::{Location, Store};
pub use watch::{Watcher, Woken};
pub use workflow::Transition;
pub use write::WriteOptions;

/// Settings every backend honours.
#[derive(Debug, Clone, Copy)]
pub struct StoreOptions {
    /// The reporting country: cooperation is "given" when one of its organisations provides
    /// and "received" when it or one of its organisations receives. Default: Mexico.
    pub home_country: CountryCode,
    /// Connections kept for reading besides the one that writes (file databases only; a
    /// database in memory has one connection). Default 0: a command reads and writes in turn;
    /// a server reading for many clients at once keeps a few.
    pub readers: usize,
}

impl StoreOptions {
    pub fn new(home_country: CountryCode) -> StoreOptions {
        StoreOptions { home_country, readers: 0 }
    }
}

impl Default for StoreOptions {
    fn default() -> StoreOptions {
        // MX is in the generated ISO 3166-1 list; a failure here is a build defect, caught by tests.
        let mx = CountryCode::parse("MX").unwrap_or_else(|p| panic!("codelist lacks MX: {p}"));
        StoreOptions::new(mx)
    }
}

/// The version of a stored record: the number of its latest change in the history. A writer
/// that read a record at one version and writes it back names that version
/// ([`WriteOptions::base`]); if the record changed in between, the write is refused.
pub type Version = i64;

/// An entry of the change feed: what a write changed, for the readers that keep derived views
/// of the registry — in this process and in others sharing the database.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FeedEntry {
    /// A record was created or updated, or (for an activity) what is derived of it changed.
    Record { kind: RecordKind, key: String },
    /// Exchange rates changed: every converted amount may differ.
    Rates,
}

/// What happened to one record of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    /// The stored record was already identical: nothing written, no history row.
    Unchanged,
}

/// What a write does with a record stored under the same key with another content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Existing {
    /// Replace it; the change history keeps what it was (imports, forms that edit, `activity
    /// add --update`).
    #[default]
    Update,
    /// Refuse the write, naming every field that differs (`activity add`): a record that
    /// happens to reuse a key does not silently replace another.
    Refuse,
}

/// How many differing fields a refused record lists; the message says how many there are.
pub const DIFFERENCES_SHOWN: usize = 20;

/// The outcome of a write, per record in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteSummary {
    pub outcomes: Vec<Outcome>,
    /// Activities the batch did not include whose derived facts were recomputed because an
    /// organisation they name changed.
    pub rederived: Vec<String>,
}

impl WriteSummary {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.outcomes.iter().filter(|o| **o == outcome).count()
    }

    /// Whether the write changed anything at all.
    pub fn changed_anything(&self) -> bool {
        self.outcomes.iter().any(|o| *o != Outcome::Unchanged) || !self.rederived.is_empty()
    }
}

/// The problems of one record of a refused write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordProblems {
    /// Position of the record in the batch.
    pub index: usize,
    pub kind: RecordKind,
    pub key: String,
    pub problems: Problems,
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The user's mistake: records that break a rule needing the database (a reference to an
    /// organisation that does not exist, a key given twice). Nothing was written.
    #[error("{} record(s) refused, nothing written", .0.len())]
    Invalid(Vec<RecordProblems>),
    /// The record changed after the version the writer started from: someone else saved it in
    /// between. Nothing was written.
    #[error("{kind} `{key}` changed since version {base} (now {current}); nothing written")]
    Stale { kind: RecordKind, key: String, base: Version, current: Version },
    /// An account operation was refused (a wrong password, a name taken). Nothing changed.
    #[error("{0}")]
    Account(AccountProblem),
    /// The database at a location could not be opened (a server that does not answer, a
    /// refused sign-in, a file that cannot be created).
    #[error("cannot open the database `{location}`: {reason}")]
    Unreachable { location: String, reason: String },
    /// A copy's target already holds a registry: a copy goes into an empty one only.
    #[error("the target database already holds a registry; a copy goes into an empty one")]
    NotEmpty,
    /// The database file was written by a newer Coopera.
    #[error("the database is at schema version {found}, newer than this program's {supported}; upgrade Coopera")]
    TooNew { found: i64, supported: i64 },
    /// A stored record no longer reads back (edited by hand, or a defect).
    #[error("stored {kind} `{key}` cannot be read: {reason}")]
    Corrupt { kind: RecordKind, key: String, reason: String },
    /// The database itself failed (disk, locks, permissions).
    #[error("database error: {0}")]
    Backend(#[from] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    pub(crate) fn backend(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
        StoreError::Backend(Box::new(e))
    }

    /// A failure of the database itself while opening `location`, said as such (with the
    /// address, its password left out); other errors pass unchanged.
    pub(crate) fn at(self, location: &Location) -> StoreError {
        match self {
            StoreError::Backend(e) => {
                let mut reason = e.to_string();
                let mut source = e.source();
                while let Some(s) = source {
                    reason.push_str(&format!(": {s}"));
                    source = s.source();
                }
                StoreError::Unreachable { location: location.to_string(), reason }
            }
            other => other,
        }
    }

    /// A message for the user in `lang`; internal failures keep their technical text.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StoreError::Invalid(records) => {
                let mut m = lang
                    .pick("registros rechazados, no se escribió nada:", "records refused, nothing written:")
                    .to_owned();
                for r in records {
                    for p in r.problems.iter() {
                        m.push_str(&format!("\n  {} `{}`: {}", r.kind.label(lang), r.key, p.message(lang)));
                    }
                }
                m
            }
            StoreError::Stale { kind, key, .. } => match lang {
                Lang::Es => format!(
                    "{} `{key}` cambió desde que se abrió; no se escribió nada: vuelva a abrir el registro y repita el cambio",
                    kind.with_article(lang)
                ),
                Lang::En => format!(
                    "{} `{key}` changed since it was opened; nothing was written: open the record again and repeat the change",
                    kind.with_article(lang)
                ),
            },
            StoreError::Account(p) => p.message(lang),
            StoreError::Unreachable { location, reason } => match lang {
                Lang::Es => format!("no se puede abrir la base de datos `{location}`: {reason}"),
                Lang::En => self.to_string(),
            },
            StoreError::NotEmpty => match lang {
                Lang::Es => "la base de datos de destino ya tiene un registro; una copia va a una vacía".to_owned(),
                Lang::En => self.to_string(),
            },
            StoreError::TooNew { found, supported } => match lang {
                Lang::Es => format!(
                    "la base de datos tiene el esquema {found}, más nuevo que el {supported} de este programa; actualice Coopera"
                ),
                Lang::En => self.to_string(),
            },
            StoreError::Corrupt { kind, key, reason } => match lang {
                Lang::Es => format!("no se puede leer {} `{key}` guardado: {reason}", kind.label(lang)),
                Lang::En => self.to_string(),
            },
            StoreError::Backend(e) => match lang {
                Lang::Es => format!("error de la base de datos: {e}"),
                Lang::En => self.to_string(),
            },
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An activity as stored, with what was derived when it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredActivity {
    pub activity: Activity,
    pub derived: Derived,
}

/// Which activities to list, by what the store indexes. Empty fields do not filter. Lists
/// that users ask for — with words to find and filters of every dimension — go through
/// `coopera_report::Selection`, the one selection of every door.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub direction: Option<Direction>,
    pub modality: Option<Modality>,
    /// Activities running during this year (start year ≤ year ≤ end year).
    pub year: Option<i32>,
    pub reporting_org: Option<String>,
    pub limit: Option<u32>,
    pub offset: u32,
}

/// One line of an activity list.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivitySummary {
    pub key: String,
    pub title_es: String,
    pub title_en: String,
    pub reporting_org: String,
    pub modality: Modality,
    pub direction: Option<Direction>,
    pub status: String,
    pub start_year: Option<i32>,
}

impl ActivitySummary {
    pub fn title(&self, lang: Lang) -> &str {
        let t = lang.pick(&self.title_es, &self.title_en);
        if t.is_empty() { if self.title_es.is_empty() { &self.title_en } else { &self.title_es } } else { t }
    }
}

/// What the reports need of an activity, read from the index tables without decoding it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFacts {
    pub key: String,
    pub direction: Option<Direction>,
    pub modality: Modality,
    pub start_year: Option<i32>,
    /// (vocabulary, code, percentage)
    pub sectors: Vec<(String, String, Decimal)>,
    /// Committed money by currency: commitments, else the sum of budgets.
    pub committed: Vec<(String, Decimal)>,
    /// In-kind value by currency, where a unit value was given.
    pub in_kind: Vec<(String, Decimal)>,
}

/// Everything the report engine reads of one activity, from the index tables, without decoding
/// its document. [`Store::report_facts`] streams these one at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFacts {
    pub key: String,
    /// The title in Spanish and in English, empty where it has none (what lists show).
    pub title_es: String,
    pub title_en: String,
    pub reporting_org: String,
    pub direction: Option<Direction>,
    pub modality: Modality,
    pub instrument: Instrument,
    pub cooperation_type: CooperationType,
    /// IATI ActivityStatus code.
    pub status: String,
    /// Where the activity stands in the validation workflow: who may see it depends on it
    /// (`coopera_domain::access`).
    pub workflow: WorkflowState,
    pub schemes: FactSchemes,
    /// Best known start and end (actual, else planned).
    pub start: Option<time::Date>,
    pub end: Option<time::Date>,
    /// The border of a cross-border activity and the dimensions of the agenda it serves.
    pub border: Option<Border>,
    pub agenda: Vec<CrossBorderDimension>,
    /// (vocabulary, code, percentage)
    pub sectors: Vec<(String, String, Decimal)>,
    /// SDG goals (`5`) and targets (`5.2`) of the activity's SDG list.
    pub sdgs: Vec<String>,
    pub countries: Vec<(CountryCode, Decimal)>,
    pub regions: Vec<(RegionCode, Decimal)>,
    /// INEGI codes of the Mexican states where the activity takes place, as listed.
    pub mx_states: Vec<String>,
    /// (organisation key, role)
    pub participants: Vec<(String, Role)>,
    pub transactions: Vec<FactTransaction>,
    pub budgets: Vec<FactBudget>,
    pub in_kind: Vec<FactInKind>,
    /// (IATI RelatedActivityType, identifier of the other activity)
    pub related: Vec<(String, String)>,
}

/// Typed flags and derived schemes of an activity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FactSchemes {
    pub south_south: bool,
    pub north_south: bool,
    /// Derived: a state or municipal actor takes part.
    pub decentralised: bool,
    /// Derived: the activity has a cross-border agenda.
    pub cross_border: bool,
}

/// A transaction as the reports see it.
#[derive(Debug, Clone, PartialEq)]
pub struct FactTransaction {
    /// IATI TransactionType code: 1 incoming funds, 2 commitment, 3 disbursement, 4 expenditure…
    pub kind: String,
    pub date: time::Date,
    pub value_date: Option<time::Date>,
    pub amount: Decimal,
    pub currency: CurrencyCode,
    /// The provider organisation's key, when it is in the registry.
    pub provider_org: Option<String>,
    /// IATI provider-activity-id and receiver-activity-id.
    pub provider_activity: Option<String>,
    pub receiver_activity: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FactBudget {
    pub period_start: time::Date,
    pub value_date: Option<time::Date>,
    pub amount: Decimal,
    pub currency: CurrencyCode,
}

/// An in-kind contribution: units, and their own unit value where one was given.
#[derive(Debug, Clone, PartialEq)]
pub struct FactInKind {
    pub unit: InKindUnit,
    pub quantity: Decimal,
    pub unit_value: Option<(Decimal, CurrencyCode)>,
}

/// Units of a currency per US dollar for a day (`start == end`) or a period (a month, a year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeRate {
    pub currency: CurrencyCode,
    pub start: time::Date,
    pub end: time::Date,
    pub units_per_usd: Decimal,
    /// Where the rate comes from (publisher and series).
    pub source: String,
}

/// What a load of exchange rates did, by rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RatesSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Created, updated (or deleted, later) — what a history row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeAction {
    Create,
    Update,
}

impl ChangeAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Create => "create",
            ChangeAction::Update => "update",
        }
    }
}

impl fmt::Display for ChangeAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the change history: who changed which record when, and its document before and
/// after (JSON, the same shape `coopera activity show --format json` prints).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub id: i64,
    /// UTC, RFC 3339.
    pub at: String,
    pub author: String,
    pub kind: RecordKind,
    pub key: String,
    pub action: ChangeAction,
    pub before: Option<String>,
    pub after: Option<String>,
    /// How the change came: an edit, an import, a workflow transition.
    pub event: AuditEvent,
    /// The client's address, for a change made over the network.
    pub address: Option<String>,
    /// A transition's reason.
    pub detail: Option<String>,
}

/// Which history rows to read, newest first.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    pub kind: Option<RecordKind>,
    pub key: Option<String>,
    pub limit: Option<u32>,
}
