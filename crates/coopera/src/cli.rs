//! Command-line arguments, as parsed by clap. `main` turns them into typed requests.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Coopera: registry, catalog and figures of international development cooperation.
#[derive(Debug, Parser)]
#[command(name = "coopera", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Database file (SQLite).
    #[arg(long, global = true, env = "COOPERA_DB", default_value = "coopera.db")]
    pub db: PathBuf,
    /// Language of messages and labels: es (default) or en.
    #[arg(long, global = true, env = "COOPERA_LANG", default_value = "es")]
    pub lang: String,
    /// The reporting country (ISO 3166-1 alpha-2): cooperation is given when one of its
    /// organisations provides, received when it or one of its organisations receives.
    #[arg(long, global = true, env = "COOPERA_HOME_COUNTRY", default_value = "MX")]
    pub home_country: String,
    /// Who is writing, recorded in the change history.
    #[arg(long, global = true, env = "COOPERA_USER", default_value = "cli")]
    pub user: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database (or bring its schema up to date).
    Init,
    /// Load the illustrative demo data (idempotent) and print the thematic-area report.
    Demo,
    /// Activities of the registry.
    #[command(subcommand)]
    Activity(ActivityCommand),
    /// Organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Codelists: IATI lists, Mexican states and municipalities, Coopera's classifications.
    #[command(subcommand)]
    Codelist(CodelistCommand),
    /// Reports.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Import data published by others.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Publish the registry in an international standard.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Check an IATI activity file against the 2.03 schema and the main IATI rules.
    Validate(ValidateArgs),
    /// The change history, newest first.
    History(HistoryArgs),
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
    /// Add or update records from a TOML or JSON file: one activity, or a dataset with
    /// [[organisation]], [[activity]], [[capacity]]… arrays. All or nothing.
    Add {
        #[arg(long)]
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ActivityListArgs {
    #[arg(long, value_enum)]
    pub direction: Option<DirectionArg>,
    #[arg(long)]
    pub modality: Option<String>,
    /// Activities running during this year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Text in the identifier or the title.
    #[arg(long)]
    pub search: Option<String>,
    #[arg(long)]
    pub limit: Option<u32>,
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
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
    #[arg(long, value_enum)]
    pub direction: Option<DirectionArg>,
    #[arg(long)]
    pub modality: Option<String>,
    /// Activities running during this year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Only activities reported by this organisation (its key).
    #[arg(long)]
    pub reporting_org: Option<String>,
    /// Text in the identifier or the title.
    #[arg(long)]
    pub search: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// IATI activity files (.xml, .xml.gz; versions 1.0x to 2.03), or folders of them. One
    /// transaction per file: a file that cannot be read to its end is not imported at all.
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Share by thematic area (DAC sector group) of activities or of the capacities catalog.
    Themes(ThemesArgs),
}

#[derive(Debug, Args)]
pub struct ThemesArgs {
    #[arg(long, value_enum, default_value_t = SourceArg::Activities)]
    pub source: SourceArg,
    #[arg(long, value_enum, default_value_t = DirectionFilter::All)]
    pub direction: DirectionFilter,
    #[arg(long)]
    pub year: Option<i32>,
    #[arg(long, value_enum, default_value_t = MeasureArg::Count)]
    pub measure: MeasureArg,
    /// Currency of a value report (ISO 4217).
    #[arg(long, default_value = "USD")]
    pub currency: String,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
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
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceArg {
    Activities,
    Catalog,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MeasureArg {
    Count,
    Value,
}
