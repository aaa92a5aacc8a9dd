//! Command-line arguments, as parsed by clap. `main` turns them into typed requests.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Coopera: registry, catalog and figures of international development cooperation.
#[derive(Debug, Parser)]
#[command(name = "coopera", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Where the registry is kept: a database file (SQLite), created when missing, or a
    /// PostgreSQL server (`postgres://USER@HOST:PORT/DB`) shared by several processes.
    #[arg(long, global = true, env = "COOPERA_DB", default_value = "./coopera.db")]
    pub db: PathBuf,
    /// Language of messages and labels: es (default) or en.
    #[arg(long, global = true, env = "COOPERA_LANG", default_value = "es")]
    pub lang: String,
    /// The reporting country (ISO 3166-1 alpha-2): cooperation is given when one of its
    /// organisations provides, received when it or one of its organisations receives.
    #[arg(long, global = true, env = "COOPERA_HOME_COUNTRY", default_value = "MX")]
    pub home_country: String,
    /// Who is writing, recorded in the audit trail (default: cli); with `audit`, whose rows
    /// to list.
    #[arg(long, global = true, env = "COOPERA_USER")]
    pub user: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database (or bring its schema up to date).
    Init,
    /// Load the illustrative demo data (idempotent) and the sample exchange rates, and print
    /// the thematic-area report; or generate a large synthetic registry (--synthetic N).
    Demo(DemoArgs),
    /// Activities of the registry.
    #[command(subcommand)]
    Activity(ActivityCommand),
    /// Organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// The catalog of national capacities, and partners' demands.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// The international action of states and municipalities: offices abroad, missions,
    /// fairs, meetings, sister cities, services to migrants.
    #[command(subcommand)]
    Action(ActionCommand),
    /// Inter-institutional agreements of states and municipalities, in force or expired.
    #[command(subcommand)]
    Agreement(AgreementCommand),
    /// Memberships of networks of organisations (AMAIE, CONAGO's commission, FIDESUR…).
    #[command(subcommand)]
    Membership(MembershipCommand),
    /// Good practices of the federal government, of states and of municipalities, with their
    /// evidence.
    #[command(subcommand)]
    Practice(PracticeCommand),
    /// Codelists: IATI lists, Mexican states and municipalities, Coopera's classifications.
    #[command(subcommand)]
    Codelist(CodelistCommand),
    /// Reports: figures by theme, place, actor, year… in counts, money and in kind.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Exchange rates used to convert money in reports.
    #[command(subcommand)]
    Rates(RatesCommand),
    /// Import data published by others.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Publish the registry in an international standard.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Check an IATI activity file against the 2.03 schema and the main IATI rules.
    Validate(ValidateArgs),
    /// The change history, newest first: each change with how it came (an edit, an import,
    /// a change of workflow state) and a transition's reason.
    History(HistoryArgs),
    /// Accounts of the web application and the API: who may sign in, with which role.
    #[command(subcommand)]
    User(UserCommand),
    /// The audit trail: every change, sign-in, account change and export, chained by hash.
    Audit(AuditArgs),
    /// Serve the web application: dashboard, registry, forms and the JSON API.
    Serve(ServeArgs),
    /// Move a registry between databases (SQLite files, PostgreSQL servers) and prove it.
    #[command(subcommand)]
    Db(DbCommand),
    /// A consistent copy of a SQLite registry into a new file, taken while servers run (for
    /// PostgreSQL, pg_dump: see docs/deployment.md).
    Backup(BackupArgs),
    /// Search capacities, demands and activities: words (any accent or case, Spanish and
    /// English stems, one typo), "a phrase", prefix*; facets with counts.
    Search(SearchArgs),
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SearchArgs {
    #[command(subcommand)]
    pub command: Option<SearchCommand>,
    /// What to look for.
    pub text: Option<String>,
    /// Only records of these kinds: capacity, demand, activity (separated by commas).
    #[arg(long, value_delimiter = ',')]
    pub kind: Vec<String>,
    /// Only records with this facet value: thematic-area=410, sector=31310, form=course,
    /// institution=conapesca, state=07, language=en, country=GT (repeatable).
    #[arg(long, value_name = "FACET=VALUE")]
    pub filter: Vec<String>,
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Do not count the facets' values (faster over a large registry).
    #[arg(long)]
    pub no_facets: bool,
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
    #[command(flatten)]
    pub index: IndexArg,
}

#[derive(Debug, Args)]
pub struct IndexArg {
    /// Where the search index is kept (default: beside a SQLite file, `coopera.db.search`;
    /// for PostgreSQL, in the user's data folder). Built, or caught up, by itself.
    #[arg(long, env = "COOPERA_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Build the search index anew from the registry.
    Reindex {
        #[command(flatten)]
        index: IndexArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy a whole registry — records, history and audit chain, accounts and API tokens,
    /// exchange rates — into an empty database, and check both sides' checksums.
    Copy {
        /// The registry to copy: a SQLite file or a postgres:// address.
        #[arg(long)]
        from: std::ffi::OsString,
        /// An empty database (a new SQLite file, or an empty PostgreSQL database or schema).
        #[arg(long)]
        to: std::ffi::OsString,
    },
    /// One digest per table of the registry (--db), from its canonical documents and rows:
    /// equal on two databases that hold the same registry, whatever backend holds them.
    Checksum {
        /// table, csv or json.
        #[arg(long, value_enum, default_value = "table")]
        format: TableFormat,
    },
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file (refused if it exists).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; its password is read from standard input.
    Add {
        name: String,
        /// administrator, analyst, editor or viewer.
        #[arg(long)]
        role: String,
        /// What an editor or viewer may reach: all (the default), org:KEY, state:07 or
        /// state:MX-CHP.
        #[arg(long, default_value = "all")]
        scope: String,
        /// Read the password from standard input (one line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List the accounts.
    List {
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// Disable an account: it can no longer sign in, its sessions end, its tokens stop working.
    Disable { name: String },
    /// Set a new password, read from standard input; the account's sessions end.
    ResetPassword {
        name: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Issue an API token for an account, printed once (only its digest is kept).
    Token {
        name: String,
        /// A label to tell the account's tokens apart (to revoke one).
        #[arg(long = "name", default_value = "api")]
        label: String,
    },
    /// Revoke an account's token of this label, or all its tokens.
    RevokeToken {
        name: String,
        #[arg(long = "name")]
        label: Option<String>,
    },
    /// List an account's tokens (never their secrets).
    Tokens {
        name: String,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub verify: Option<AuditCommand>,
    /// Only rows at or after this date or moment (2026-12-01, 2026-12-01T10:00:00Z).
    #[arg(long)]
    pub since: Option<String>,
    /// Only rows about this record (or account).
    #[arg(long)]
    pub record: Option<String>,
    /// The newest rows shown.
    #[arg(long, default_value_t = 100)]
    pub limit: u32,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check that no row of the trail was altered or removed; exits 1 naming the first that was.
    Verify,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Load the illustrative demo data first when the database is empty, and make (or give
    /// new passwords to) the demo accounts: an administrator, an analyst, Chiapas's editor
    /// and a viewer of Oaxaca, printed once.
    #[arg(long)]
    pub demo: bool,
    /// Mark the session cookie Secure: for a server reached over HTTPS (behind a proxy that
    /// terminates TLS). A request that says it came over HTTPS (X-Forwarded-Proto) gets it anyway.
    #[arg(long)]
    pub secure_cookies: bool,
    /// Do not log each request on standard error (failures are still logged). COOPERA_LOG or
    /// RUST_LOG set what the log shows: `info` (the default), `warn`, `coopera_web=debug`…
    #[arg(long)]
    pub quiet: bool,
    /// The search index the server keeps in step with the registry (built in the background
    /// at start when missing or of another version).
    #[command(flatten)]
    pub index: IndexArg,
}

#[derive(Debug, Subcommand)]
pub enum ActivityCommand {
    /// List activities.
    List(ActivityListArgs),
    /// Show one activity.
    Show {
        /// The activity identifier.
        id: String,
        #[arg(long, value_enum, default_value_t = DocFormat::Text)]
        format: DocFormat,
    },
    /// Add records from a TOML or JSON file: one activity, or a dataset with
    /// [[organisation]], [[activity]], [[capacity]]… arrays. All or nothing. A record whose
    /// key is stored with another content is refused, with the fields that differ, unless
    /// --update is given. Activities enter as drafts, whatever the file says, unless
    /// --publish is given.
    Add {
        #[arg(long)]
        file: PathBuf,
        /// Replace the stored records that differ (the change history keeps what they were).
        #[arg(long)]
        update: bool,
        /// Publish the activities at once instead of entering them as drafts to be submitted,
        /// validated and published (`coopera activity transition`).
        #[arg(long)]
        publish: bool,
    },
    /// Move an activity along the validation workflow: draft → submitted → validated →
    /// published, one step at a time, or back to draft from any state with --reason.
    Transition {
        /// The activity identifier.
        id: String,
        /// The state to move to.
        #[arg(long, value_enum)]
        to: WorkflowArg,
        /// Why it goes back to draft (required then; kept in the audit trail).
        #[arg(long)]
        reason: Option<String>,
    },
}

/// A state of the validation workflow, as `activity transition --to` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WorkflowArg {
    Draft,
    Submitted,
    Validated,
    Published,
}

/// Which activities a list or an export takes: the same selection as the web's lists and
/// the reports (`coopera_report::Selection`).
#[derive(Debug, Args)]
pub struct ActivitySelection {
    #[arg(long, value_enum)]
    pub direction: Option<DirectionArg>,
    /// bilateral, triangular, regional or multilateral.
    #[arg(long)]
    pub modality: Option<String>,
    /// Activities running during this year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Only activities reported by this organisation (its key).
    #[arg(long)]
    pub reporting_org: Option<String>,
    /// Only activities this organisation reports or takes part in (its key).
    #[arg(long)]
    pub org: Option<String>,
    /// Words in the identifier, the titles or the names of the organisations taking part;
    /// case and accents are ignored ("educacion" finds "Educación"), every word must appear.
    #[arg(long)]
    pub search: Option<String>,
    /// Any other filter, DIMENSION=VALUE[,VALUE…], as `report` takes it:
    /// partner-region=centroamerica, thematic-area=410, scheme=south-south… (repeatable).
    #[arg(long = "filter", value_name = "DIMENSION=VALUE")]
    pub filters: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ActivityListArgs {
    #[command(flatten)]
    pub selection: ActivitySelection,
    #[arg(long)]
    pub limit: Option<u32>,
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// List the capacities (or, with --demands, the demands).
    List {
        #[arg(long)]
        demands: bool,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// Show one capacity or demand.
    Show {
        key: String,
        #[arg(long, value_enum, default_value_t = DocFormat::Text)]
        format: DocFormat,
    },
    /// Add the capacities and demands of a file — TOML or JSON (docs/file-format.md), CSV or
    /// XLSX (the layout of `catalog template`): all or none. New capacities enter as drafts,
    /// whatever the file says, unless --publish is given.
    Add(RecordAddArgs),
    /// Move a capacity along the validation workflow: draft → submitted → validated →
    /// published, one step at a time, or back to draft from any state with --reason.
    Transition(RecordTransitionArgs),
    /// Move a demand along its workflow: received → answered (--propose the capacities) →
    /// agreed (--activity that carries it out) → closed; or declined (--reason).
    Move {
        /// The demand's key.
        key: String,
        /// The state to move to: answered, agreed, closed or declined.
        #[arg(long, value_name = "STATE")]
        to: String,
        /// The capacities proposed, best first (answering), separated by commas.
        #[arg(long, value_name = "KEYS", value_delimiter = ',')]
        propose: Vec<String>,
        /// The activity that carries the agreed cooperation out (agreeing).
        #[arg(long, value_name = "ID")]
        activity: Option<String>,
        /// Why (required to decline); kept in the audit trail.
        #[arg(long)]
        reason: Option<String>,
    },
    /// The capacities best placed to answer a demand, ranked, each with its score and the
    /// reasons: words and concepts matched, sector, form and language fit, and the
    /// institution's record with the country or its region.
    Match(MatchArgs),
    /// Write the spreadsheet template for capacities and demands (XLSX, with a sheet that
    /// explains every column).
    Template {
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
    /// The demands by state, the share answered and the cycle times, in days.
    Report {
        #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
        format: SummaryFormat,
    },
}

#[derive(Debug, Subcommand)]
pub enum ActionCommand {
    /// List the international actions of states and municipalities, oldest first.
    List(ActionListArgs),
    /// Show one action.
    Show(RecordShowArgs),
    /// Add the actions (or any records) of a file — TOML or JSON (docs/file-format.md), CSV or
    /// XLSX (the layout of `action template`): all or none.
    Add(RecordAddArgs),
    /// Move a record along the validation workflow: draft → submitted → validated →
    /// published, one step at a time, or back to draft from any state with --reason.
    Transition(RecordTransitionArgs),
    /// Write the spreadsheet template for actions, agreements and memberships (XLSX, a sheet
    /// for each and one that explains every column; docs/subnational.md).
    Template {
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
    /// Write the actions, agreements and memberships in the template's layout (XLSX), to
    /// correct and take back with `action add --file FILE.xlsx --update`.
    Export {
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
        /// Only the records of this state's government, bodies and municipalities (INEGI
        /// code, e.g. 07, or ISO 3166-2, e.g. MX-CHP).
        #[arg(long)]
        state: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ActionListArgs {
    /// Only the actions of this state's government and its municipalities (INEGI code, e.g.
    /// 07, or ISO 3166-2, e.g. MX-CHP).
    #[arg(long)]
    pub state: Option<String>,
    /// Only actions of this kind: office-abroad, investment-mission, trade-mission… (as
    /// `coopera codelist show SubnationalActionKind` lists them).
    #[arg(long)]
    pub kind: Option<String>,
    /// Only actions in this country (ISO 3166-1 alpha-2).
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Subcommand)]
pub enum AgreementCommand {
    /// List the inter-institutional agreements, oldest first, each with where it stands on a
    /// date (in force, expired, not yet in force), derived from its signature and validity.
    List(AgreementListArgs),
    /// Show one agreement.
    Show(RecordShowArgs),
    /// Add the agreements (or any records) of a file — TOML or JSON (docs/file-format.md), CSV
    /// or XLSX (the layout of `action template`): all or none.
    Add(RecordAddArgs),
    /// Move a record along the validation workflow: draft → submitted → validated →
    /// published, one step at a time, or back to draft from any state with --reason.
    Transition(RecordTransitionArgs),
}

#[derive(Debug, Args)]
pub struct AgreementListArgs {
    /// Only agreements a government of this state or one of its municipalities is party to
    /// (INEGI code, e.g. 07, or ISO 3166-2, e.g. MX-CHP).
    #[arg(long)]
    pub state: Option<String>,
    /// Only the agreements in force on the date (--on).
    #[arg(long, conflicts_with = "expired")]
    pub in_force: bool,
    /// Only the agreements expired on the date (--on).
    #[arg(long)]
    pub expired: bool,
    #[command(flatten)]
    pub on: OnArg,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Subcommand)]
pub enum MembershipCommand {
    /// List the memberships of networks, each current or past on a date (--on).
    List(MembershipListArgs),
    /// Show one membership.
    Show(RecordShowArgs),
    /// Add the memberships (or any records) of a file — TOML or JSON (docs/file-format.md), CSV
    /// or XLSX (the layout of `action template`): all or none.
    Add(RecordAddArgs),
    /// Move a record along the validation workflow: draft → submitted → validated →
    /// published, one step at a time, or back to draft from any state with --reason.
    Transition(RecordTransitionArgs),
}

#[derive(Debug, Args)]
pub struct MembershipListArgs {
    /// Only the members of this network (its organisation key).
    #[arg(long)]
    pub network: Option<String>,
    /// Only the networks of this member (its organisation key).
    #[arg(long)]
    pub member: Option<String>,
    #[command(flatten)]
    pub on: OnArg,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Subcommand)]
pub enum PracticeCommand {
    /// List the good practices, by title.
    List(PracticeListArgs),
    /// Show one good practice with its evidence.
    Show(RecordShowArgs),
    /// Add the good practices (or any records) of a TOML or JSON file (docs/file-format.md):
    /// all or none.
    Add(RecordAddArgs),
    /// Move a record along the validation workflow: draft → submitted → validated →
    /// published, one step at a time, or back to draft from any state with --reason.
    Transition(RecordTransitionArgs),
}

#[derive(Debug, Args)]
pub struct PracticeListArgs {
    /// Only the practices of this state: of its government, its bodies or its municipalities,
    /// or that took place there (INEGI code, e.g. 07, or ISO 3166-2, e.g. MX-CHP).
    #[arg(long)]
    pub state: Option<String>,
    /// Only the practices of this thematic area (`coopera codelist show ThematicArea`, e.g. 410).
    #[arg(long)]
    pub theme: Option<String>,
    /// Only the practices that took this form of cooperation (`coopera codelist show
    /// CapacityForm`, e.g. course).
    #[arg(long)]
    pub form: Option<String>,
    /// Only the practices of an organisation of this order of government.
    #[arg(long, value_enum)]
    pub level: Option<GovernmentLevel>,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

/// The orders of government a good practice is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GovernmentLevel {
    Federal,
    State,
    Municipal,
}

#[derive(Debug, Args)]
pub struct OnArg {
    /// The day a record's standing is judged on (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
}

/// `show` of one record by key.
#[derive(Debug, Args)]
pub struct RecordShowArgs {
    /// The record's key.
    pub key: String,
    /// text, or the file form ready to edit and add back: toml or json.
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    pub format: DocFormat,
}

/// `add` of the records of a TOML or JSON file, or of a spreadsheet (CSV, XLSX).
#[derive(Debug, Args)]
pub struct RecordAddArgs {
    #[arg(long)]
    pub file: PathBuf,
    /// Replace the stored records that differ (the change history keeps what they were, and
    /// each keeps its workflow state).
    #[arg(long)]
    pub update: bool,
    /// Publish the new records at once instead of entering them as drafts to be submitted,
    /// validated and published (`transition`).
    #[arg(long)]
    pub publish: bool,
}

/// `transition` of a record: one step of the validation workflow.
#[derive(Debug, Args)]
pub struct RecordTransitionArgs {
    /// The record's key.
    pub key: String,
    /// The state to move to.
    #[arg(long, value_enum)]
    pub to: WorkflowArg,
    /// Why it goes back to draft (required then; kept in the audit trail).
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// The demand, as the partner wrote it.
    #[arg(long, required_unless_present = "demand")]
    pub text: Option<String>,
    /// Or a stored demand, by key: its text, country, sectors, forms and languages.
    #[arg(long, conflicts_with = "text")]
    pub demand: Option<String>,
    /// The requesting country (ISO 3166-1 alpha-2).
    #[arg(long)]
    pub country: Option<String>,
    /// A DAC sector (5 digits) or category (3 digits); repeatable.
    #[arg(long)]
    pub sector: Vec<String>,
    /// course, technical-assistance, internship, expert-mission or scholarship; repeatable.
    #[arg(long)]
    pub form: Vec<String>,
    /// The language the cooperation would take place in: es or en.
    #[arg(long = "in", value_name = "LANG")]
    pub language: Option<String>,
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
    #[command(flatten)]
    pub index: IndexArg,
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// List organisations.
    List {
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// Show one organisation.
    Show {
        key: String,
        #[arg(long, value_enum, default_value_t = DocFormat::Text)]
        format: DocFormat,
    },
}

#[derive(Debug, Subcommand)]
pub enum CodelistCommand {
    /// The lists there are.
    List {
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// The codes of a list, or one code.
    Show {
        /// List name, e.g. Sector, Country, MxState, Modality.
        list: String,
        code: Option<String>,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The file (.xml or .xml.gz).
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// IATI 2.03 activity XML (the official schema accepts it; Coopera's own facts travel in
    /// its namespace, so importing the file gives the same activities back).
    Iati(ExportIatiArgs),
}

#[derive(Debug, Args)]
pub struct ExportIatiArgs {
    /// Output file; standard output when not given.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub selection: ActivitySelection,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// IATI activity files (.xml, .xml.gz; versions 1.0x to 2.03), or folders of them. One
    /// transaction per file: a file that cannot be read to its end is not imported at all.
    /// Activities enter as drafts, whatever the file says, unless --publish is given.
    Iati(ImportIatiArgs),
}

#[derive(Debug, Args)]
pub struct ImportIatiArgs {
    /// Files or folders.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// `text` prints a summary and the errors; `json` the whole summary with every warning.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
    /// Print every warning, not only their number.
    #[arg(long)]
    pub verbose: bool,
    /// Publish the activities at once instead of entering them as drafts to be submitted,
    /// validated and published (`coopera activity transition`).
    #[arg(long)]
    pub publish: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Instead of the demo data, generate this many synthetic activities (for benchmarks).
    #[arg(long, value_name = "N")]
    pub synthetic: Option<usize>,
    /// Seed of the synthetic data: the same seed gives the same registry.
    #[arg(long, default_value_t = 2012, requires = "synthetic")]
    pub seed: u64,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// By thematic area (DAC sector group), of activities or of the capacities catalog.
    Themes(ThemesArgs),
    /// By DAC 3-digit category.
    Categories(ReportArgs),
    /// By DAC 5-digit sector code.
    Sectors(ReportArgs),
    /// By Sustainable Development Goal.
    Sdgs(ReportArgs),
    /// By partner country: where cooperation went (given) or came from (received); international organisations as "multilateral".
    Countries(ReportArgs),
    /// By partner region: Centroamérica, Caribe, Sudamérica, Norteamérica, Europa, Asia-Pacífico, África, Medio Oriente, multilateral.
    Regions(ReportArgs),
    /// By IATI recipient country (the home country, for what it receives; regional shares in their own rows).
    RecipientCountries(ReportArgs),
    /// By the region of IATI recipient countries.
    RecipientRegions(ReportArgs),
    /// By OECD DAC region of IATI recipient countries.
    DacRegions(ReportArgs),
    /// By partner organisation (participants that are not of the home country).
    Partners(ReportArgs),
    /// By modality: bilateral, triangular, regional, multilateral.
    Modalities(ReportArgs),
    /// By scheme: South-South, North-South, decentralised, cross-border.
    Schemes(ReportArgs),
    /// By instrument: programme, project, action, scholarship…
    Instruments(ReportArgs),
    /// By type of cooperation.
    Types(ReportArgs),
    /// By direction: given, received, both ways.
    Directions(ReportArgs),
    /// By level of the home country's actors: federal, state, municipal…
    Levels(ReportArgs),
    /// By Mexican state.
    States(ReportArgs),
    /// The cross-border agenda: activities and actions of states and municipalities by
    /// border, dimension, federal entity and partner country, and the southern corridor.
    Crossborder(ReportArgs),
    /// Cross-border cooperation by dimension of the agenda.
    Agenda(ReportArgs),
    /// By year (start year for counts, the flow's year for money).
    Years(ReportArgs),
    /// By IATI activity status.
    Statuses(ReportArgs),
    /// Total value of cooperation (money and in kind) by type of cooperation.
    Value(ReportArgs),
}

#[derive(Debug, Args)]
pub struct ThemesArgs {
    #[arg(long, value_enum, default_value_t = SourceArg::Activities)]
    pub source: SourceArg,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[arg(long, value_enum, default_value_t = DirectionFilter::All)]
    pub direction: DirectionFilter,
    /// Activities running during this year (money: flows dated in it).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub year: Option<i32>,
    /// First year of a range (with --to).
    #[arg(long)]
    pub from: Option<i32>,
    /// Last year of a range.
    #[arg(long)]
    pub to: Option<i32>,
    /// bilateral, triangular, regional or multilateral.
    #[arg(long)]
    pub modality: Option<String>,
    /// Thematic area (DAC sector group code, e.g. 410, or its name).
    #[arg(long)]
    pub sector_group: Option<String>,
    /// IATI recipient country (ISO 3166-1 alpha-2); partner countries: --filter partner-country=CC.
    #[arg(long)]
    pub country: Option<String>,
    /// Mexican state (INEGI code, ISO 3166-2 code or name).
    #[arg(long)]
    pub state: Option<String>,
    /// Any other filter, DIMENSION=VALUE[,VALUE…]: partner-region=centroamerica, scheme=south-south,
    /// partner=giz, level=state, instrument=project, status=2… (repeatable).
    #[arg(long = "filter", value_name = "DIMENSION=VALUE")]
    pub filters: Vec<String>,
    /// What to add up (default: count; total for the value report).
    #[arg(long, value_enum)]
    pub measure: Option<MeasureArg>,
    /// Currency of a value report: USD or MXN (converted at dated rates).
    #[arg(long, default_value = "USD")]
    pub currency: String,
    /// Add up only the amounts recorded in --currency, as recorded (any ISO 4217 currency),
    /// instead of converting every amount.
    #[arg(long)]
    pub native: bool,
    /// How many top rows the concentration's top share adds up.
    #[arg(long, default_value_t = 1)]
    pub top: usize,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Write to this file instead of standard output (required for xlsx).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The table that values in-kind units without their own unit value (CSV:
    /// unit,from,unit_value,currency,source); default: the illustrative table shipped.
    #[arg(long, value_name = "FILE.csv")]
    pub in_kind_rates: Option<PathBuf>,
    /// Print how long loading the registry and running the report took (standard error).
    #[arg(long)]
    pub timing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
    Xlsx,
}

#[derive(Debug, Subcommand)]
pub enum RatesCommand {
    /// Load exchange rates from a CSV file (period,currency,units_per_usd[,source]); a rate of
    /// the same currency and period replaces the stored one. All or nothing.
    Load {
        /// The CSV file.
        #[arg(required_unless_present = "sample", conflicts_with = "sample")]
        file: Option<PathBuf>,
        /// Load the sample table shipped with Coopera instead (not official figures).
        #[arg(long)]
        sample: bool,
    },
    /// The stored exchange rates.
    List {
        /// Only this currency.
        #[arg(long)]
        currency: Option<String>,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only records of this kind (organisation, activity, capacity…).
    #[arg(long)]
    pub kind: Option<String>,
    /// Only this record.
    #[arg(long)]
    pub key: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    Text,
    Json,
    Toml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DirectionArg {
    Given,
    Received,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DirectionFilter {
    Given,
    Received,
    Both,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceArg {
    Activities,
    Catalog,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MeasureArg {
    /// Number of activities, each whole in every row it touches.
    Count,
    /// Number of activities, each split over its rows by its percentages.
    Weighted,
    /// Commitments, else budgets.
    Committed,
    /// Disbursements, else incoming funds.
    Disbursed,
    /// Expenditure.
    Spent,
    /// Value of in-kind contributions.
    InKind,
    /// Money committed plus in kind.
    #[value(alias = "value")]
    Total,
}
