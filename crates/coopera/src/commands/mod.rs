//! The commands. Each takes typed arguments and a [`Ctx`], prints its result to standard
//! output and returns a [`Failure`] with messages in the user's language.

use std::io::Write as _;

use coopera_domain::Lang;
use coopera_domain::Rule;
use coopera_domain::code::CountryCode;
use coopera_domain::kinds::{Direction, Modality, WorkflowState};
use coopera_report::{Dimension, Filters, YearRange};
use coopera_store::{
    Existing, Location, Record, RecordKind, Store, StoreError, StoreOptions, WriteOptions, WriteSummary,
};

use crate::cli::{ActivitySelection, Cli, Command, DirectionArg, DocFormat, TableFormat};
use crate::input::{Batch, InputError};
use crate::output::Table;

mod activity;
mod agenda;
mod audit;
mod catalog;
mod codelist;
mod db;
mod demo;
mod export;
mod history;
mod import;
mod org;
mod practice;
mod rates;
mod report;
mod search;
mod serve;
mod sheets;
mod subnational;
mod user;
mod validate;

/// What every command needs: language, database file, the user who writes.
#[derive(Debug)]
pub struct Ctx {
    pub lang: Lang,
    pub db: Location,
    pub user: String,
    /// `--user` (or COOPERA_USER) as given: `audit` lists this account's rows.
    pub user_given: Option<String>,
    pub home_country: CountryCode,
}

impl Ctx {
    /// Opens the database, creating it when there is none: for the commands that create or
    /// add (`init`, `demo`, `import`, `activity add`, `serve`).
    pub fn open(&self) -> Result<Store, Failure> {
        // The store's message names the database and what failed.
        Store::open(&self.db, StoreOptions::new(self.home_country)).map_err(|e| Failure::one(e.message(self.lang)))
    }

    /// Opens the database, which must exist: a command that reads says that there is none
    /// rather than creating an empty one and answering with empty tables.
    pub fn open_existing(&self) -> Result<Store, Failure> {
        if !self.db_exists() {
            let db = &self.db;
            return Err(Failure::one(match self.lang {
                Lang::Es => format!("la base de datos {db} no existe; créela con `coopera init` o `coopera demo`"),
                Lang::En => {
                    format!("the database {db} does not exist; create it with `coopera init` or `coopera demo`")
                }
            }));
        }
        self.open()
    }

    /// Whether the registry exists already (a database server always does).
    pub fn db_exists(&self) -> bool {
        match &self.db {
            Location::File(path) => path.exists(),
            Location::Memory => false,
            Location::Server(_) => true,
        }
    }

    pub fn pick<'a>(&self, es: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(es, en)
    }
}

/// Why a command failed: one or more messages, and an optional closing line.
#[derive(Debug)]
pub struct Failure {
    pub lines: Vec<String>,
    pub summary: Option<String>,
}

impl Failure {
    pub fn one(message: impl Into<String>) -> Failure {
        Failure { lines: vec![message.into()], summary: None }
    }

    /// Problems in input files; nothing was written.
    pub fn input(err: InputError, lang: Lang) -> Failure {
        let n = err.0.iter().filter(|l| !l.detail).count();
        let summary = match lang {
            Lang::Es => format!("{n} problema(s); no se escribió nada en la base de datos"),
            Lang::En => format!("{n} problem(s); nothing was written to the database"),
        };
        Failure { lines: err.0.iter().map(|l| l.render()).collect(), summary: Some(summary) }
    }

    pub fn store(err: StoreError, lang: Lang) -> Failure {
        Failure::one(err.message(lang))
    }

    /// A flag's value that does not check out, named by the flag: `--state: `99`: …`.
    pub fn at_flag(flag: &'static str, lang: Lang) -> impl Fn(coopera_domain::Problem) -> Failure {
        move |mut p| {
            p.path = flag.into();
            Failure::one(p.message(lang))
        }
    }
}

/// Writes to standard output, ignoring a closed pipe (`coopera … | head`).
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = out.write_all(b"\n");
    }
}

/// Prints a table in the chosen format.
pub fn print_table(table: &Table, format: TableFormat) {
    match format {
        TableFormat::Table => print(&table.to_text()),
        TableFormat::Csv => print(&table.to_csv()),
        TableFormat::Json => print(&serde_json::to_string_pretty(&table.to_json()).unwrap_or_default()),
    }
}

/// Prints a record as `format` asks: its file form (JSON or TOML), or `text` for people.
pub fn print_doc(
    doc: &impl serde::Serialize,
    format: DocFormat,
    text: impl FnOnce() -> Result<String, Failure>,
) -> Result<(), Failure> {
    print(&match format {
        DocFormat::Json => serde_json::to_string_pretty(doc).unwrap_or_default(),
        DocFormat::Toml => toml::to_string_pretty(doc).unwrap_or_default(),
        DocFormat::Text => text()?,
    });
    Ok(())
}

/// Stores a parsed batch in one transaction, placing refused records in their files. With
/// [`Existing::Refuse`], a record stored under its key with another content refuses the
/// batch, and the failure says how to replace it.
pub fn store_batch(ctx: &Ctx, store: &Store, batch: Batch, existing: Existing) -> Result<WriteSummary, Failure> {
    write_batch(ctx, store, batch, WriteOptions { existing, ..WriteOptions::default() })
}

/// [`store_batch`], written as `how` says: marked in the audit trail as an import, say.
pub fn write_batch(ctx: &Ctx, store: &Store, batch: Batch, how: WriteOptions) -> Result<WriteSummary, Failure> {
    let records = batch.records.clone();
    match store.write(&ctx.user, records, how) {
        Ok(summary) => Ok(summary),
        Err(StoreError::Invalid(refused)) => {
            let differs =
                refused.iter().flat_map(|r| r.problems.iter()).any(|p| matches!(p.rule, Rule::StoredDiffers { .. }));
            let mut failure = Failure::input(batch.locate_refused(&refused, ctx.lang), ctx.lang);
            if differs && let Some(summary) = &mut failure.summary {
                summary.push('\n');
                summary.push_str(ctx.pick(
                    "`coopera activity add --update` reemplaza los registros que difieren; el historial guarda el antes y el después",
                    "`coopera activity add --update` replaces the records that differ; the history keeps the before and the after",
                ));
            }
            Err(failure)
        }
        Err(e) => Err(Failure::store(e, ctx.lang)),
    }
}

/// The workflow state an import's activities enter in: published with `--publish`, else a
/// draft to be submitted, validated and published — whatever the file says.
pub fn entering(publish: bool) -> WorkflowState {
    if publish { WorkflowState::Published } else { WorkflowState::Draft }
}

/// Puts every record of `records` that has a validation workflow (activities, capacities,
/// international actions, agreements, memberships, good practices) in `workflow`, whatever
/// its file said; returns how many activities and how many other such records there are.
/// A record stored already keeps its stored state: the store sees to that for every kind
/// but activities.
pub fn enter_as(records: &mut [Record], workflow: WorkflowState) -> (usize, usize) {
    let (mut activities, mut others) = (0, 0);
    for record in records.iter_mut() {
        if record.workflow().is_none() {
            continue;
        }
        match record {
            Record::Activity(_) => activities += 1,
            _ => others += 1,
        }
        record.set_workflow(workflow);
    }
    (activities, others)
}

/// What an import's summary says of the workflow: "12 actividades como borrador; publíquelas
/// con --publish o con `coopera activity transition`". Nothing when there are no activities.
pub fn workflow_line(activities: usize, workflow: WorkflowState, lang: Lang) -> Option<String> {
    if activities == 0 {
        return None;
    }
    let one = activities == 1;
    let (es, en) = (if one { "actividad" } else { "actividades" }, if one { "activity" } else { "activities" });
    Some(match (workflow, lang) {
        (WorkflowState::Published, Lang::Es) => {
            format!("{activities} {es} {} (--publish)", if one { "publicada" } else { "publicadas" })
        }
        (WorkflowState::Published, Lang::En) => format!("{activities} {en} published (--publish)"),
        (_, Lang::Es) => format!(
            "{activities} {es} como {}; {} con --publish o con `coopera activity transition`",
            workflow.label(lang).to_lowercase(),
            if one { "publíquela" } else { "publíquelas" }
        ),
        (_, Lang::En) => format!(
            "{activities} {en} as {}; publish {} with --publish or with `coopera activity transition`",
            workflow.label(lang).to_lowercase(),
            if one { "it" } else { "them" }
        ),
    })
}

/// `transition` of a capacity, an action, an agreement, a membership or a good practice.
pub fn record_transition(ctx: &Ctx, kind: RecordKind, args: &crate::cli::RecordTransitionArgs) -> Result<(), Failure> {
    activity::transition(ctx, kind, &args.key, args.to.state(), args.reason.as_deref())
}

/// What an addition's summary says of the workflow of its records other than activities:
/// "3 registros como borrador; publíquelos con --publish o con `coopera … transition`".
pub fn records_workflow_line(records: usize, workflow: WorkflowState, lang: Lang) -> Option<String> {
    if records == 0 {
        return None;
    }
    let one = records == 1;
    let (es, en) = (if one { "registro" } else { "registros" }, if one { "record" } else { "records" });
    Some(match (workflow, lang) {
        (WorkflowState::Published, Lang::Es) => {
            format!("{records} {es} {} (--publish)", if one { "publicado" } else { "publicados" })
        }
        (WorkflowState::Published, Lang::En) => format!("{records} {en} published (--publish)"),
        (_, Lang::Es) => format!(
            "{records} {es} como {}; {} con --publish o con `coopera catalog|action|agreement|membership|practice transition`",
            workflow.label(lang).to_lowercase(),
            if one { "publíquelo" } else { "publíquelos" }
        ),
        (_, Lang::En) => format!(
            "{records} {en} as {}; publish {} with --publish or with `coopera catalog|action|agreement|membership|practice transition`",
            workflow.label(lang).to_lowercase(),
            if one { "it" } else { "them" }
        ),
    })
}

/// The values of a filter, comma-separated: `centroamerica,caribe`.
pub fn split_values(v: &str) -> Vec<String> {
    v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
}

/// One `--filter DIMENSION=VALUE[,VALUE…]`, as `report`, `activity list` and `export iati`
/// take it; an unknown dimension is refused with the list of those there are.
pub fn parse_filter(f: &str, lang: Lang) -> Result<(Dimension, Vec<String>), Failure> {
    let Some((name, value)) = f.split_once('=') else {
        return Err(Failure::one(match lang {
            Lang::Es => format!("--filter: `{f}`: se espera DIMENSIÓN=VALOR, p. ej. region=centroamerica"),
            Lang::En => format!("--filter: `{f}`: expected DIMENSION=VALUE, e.g. region=centroamerica"),
        }));
    };
    let Some(dim) = Dimension::parse(name).filter(|d| *d != Dimension::Year) else {
        let known: Vec<&str> = Dimension::ALL.iter().filter(|d| **d != Dimension::Year).map(|d| d.code()).collect();
        return Err(Failure::one(match lang {
            Lang::Es => format!("--filter: dimensión desconocida `{name}`; use una de: {}", known.join(", ")),
            Lang::En => format!("--filter: unknown dimension `{name}`; use one of: {}", known.join(", ")),
        }));
    };
    Ok((dim, split_values(value)))
}

impl ActivitySelection {
    /// The selection every door shares for these arguments; an unknown modality or
    /// dimension is refused, in `lang`. Values are checked against the registry when the
    /// selection is made ([`coopera_report::Selection::list`]).
    pub fn selection(self, lang: Lang) -> Result<coopera_report::Selection, Failure> {
        let mut values: Vec<(Dimension, Vec<String>)> = Vec::new();
        if let Some(d) = self.direction {
            let d = match d {
                DirectionArg::Given => Direction::Given,
                DirectionArg::Received => Direction::Received,
                DirectionArg::Both => Direction::Both,
            };
            values.push((Dimension::Direction, vec![d.code().to_owned()]));
        }
        if let Some(m) = self.modality.as_deref() {
            let m = Modality::parse(m).map_err(Failure::at_flag("--modality", lang))?;
            values.push((Dimension::Modality, vec![m.code().to_owned()]));
        }
        for f in &self.filters {
            values.push(parse_filter(f, lang)?);
        }
        let selection = coopera_report::Selection {
            filters: Filters { years: self.year.map(|y| YearRange { from: y, to: y }), values, ..Filters::default() },
            org: self.org,
            reporting_org: self.reporting_org,
            words: Vec::new(),
        };
        Ok(match self.search.as_deref() {
            Some(text) => selection.search(text),
            None => selection,
        })
    }
}

/// The activities of the registry `selection` keeps, by identifier: the same the web's list
/// of the same selection shows. Reads the registry whole (the list index and the report
/// engine's snapshot) once.
pub fn select_activities(
    ctx: &Ctx,
    store: &Store,
    selection: &coopera_report::Selection,
) -> Result<Vec<coopera_report::list::ActivityRow>, Failure> {
    let options = coopera_report::LoadOptions { home_country: ctx.home_country, ..Default::default() };
    let (registry, snapshot) =
        coopera_report::list::Registry::load(store, &options).map_err(|e| Failure::one(e.message(ctx.lang)))?;
    let rows = selection
        .list(&registry, &snapshot, coopera_report::list::Sort::Id, ctx.lang)
        .map_err(|e| Failure::one(e.message(ctx.lang)))?;
    Ok(rows.into_iter().cloned().collect())
}

/// "3 creados, 1 actualizado, 0 sin cambios"
pub fn summary_line(summary: &WriteSummary, lang: Lang) -> String {
    use coopera_store::Outcome::*;
    let (c, u, n) = (summary.count(Created), summary.count(Updated), summary.count(Unchanged));
    match lang {
        Lang::Es => format!("{c} creado(s), {u} actualizado(s), {n} sin cambios"),
        Lang::En => format!("{c} created, {u} updated, {n} unchanged"),
    }
}

pub fn run(cli: Cli, lang: Lang) -> Result<(), Failure> {
    let home_country = CountryCode::parse(&cli.home_country).map_err(Failure::at_flag("--home-country", lang))?;
    let user = cli.user.clone().unwrap_or_else(|| "cli".to_owned());
    let ctx = Ctx { lang, db: Location::parse(cli.db.as_os_str()), user, user_given: cli.user, home_country };
    match cli.command {
        Command::Init => {
            let store = ctx.open()?;
            let (version, _) = store.schema_version().map_err(|e| Failure::store(e, lang))?;
            print(&match lang {
                Lang::Es => format!("base de datos lista: {} (esquema v{version})", ctx.db),
                Lang::En => format!("database ready: {} (schema v{version})", ctx.db),
            });
            Ok(())
        }
        Command::Demo(args) => demo::run(&ctx, args),
        Command::Activity(cmd) => activity::run(&ctx, cmd),
        Command::Org(cmd) => org::run(&ctx, cmd),
        Command::Codelist(cmd) => codelist::run(&ctx, cmd),
        Command::Report(cmd) => report::run(&ctx, cmd),
        Command::Rates(cmd) => rates::run(&ctx, cmd),
        Command::History(args) => history::run(&ctx, args),
        Command::User(command) => user::run(&ctx, command),
        Command::Audit(args) => audit::run(&ctx, args),
        Command::Db(command) => db::run(&ctx, command),
        Command::Catalog(command) => catalog::run(&ctx, command),
        Command::Action(command) => subnational::run_action(&ctx, command),
        Command::Agreement(command) => subnational::run_agreement(&ctx, command),
        Command::Membership(command) => subnational::run_membership(&ctx, command),
        Command::Practice(command) => practice::run(&ctx, command),
        Command::Search(args) => search::run(&ctx, args),
        Command::Backup(args) => db::backup(&ctx, args),
        Command::Import(crate::cli::ImportCommand::Iati(args)) => import::run(&ctx, args),
        Command::Export(crate::cli::ExportCommand::Iati(args)) => export::run(&ctx, args),
        Command::Validate(args) => validate::run(&ctx, args),
        Command::Serve(args) => serve::run(&ctx, args),
    }
}
