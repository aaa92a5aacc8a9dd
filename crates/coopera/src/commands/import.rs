//! `coopera import iati PATH…`: reads IATI files into the registry, one transaction per file,
//! and says what it did: activities new, updated and unchanged, every warning and error with
//! its file, line and column.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use coopera_domain::Lang;
use coopera_domain::activity::Activity;
use coopera_domain::doc::OrganisationDoc;
use coopera_iati::read::map::MapOptions;
use coopera_iati::read::{FileReader, Item, ReadError, ReadOptions};
use coopera_store::{Outcome, Record, RecordKind, Store, StoreError};
use serde_json::{Value, json};

use super::{Ctx, Failure, print};
use crate::cli::{ImportIatiArgs, SummaryFormat};

/// A problem at a place in a file.
#[derive(Debug, Clone)]
struct Note {
    file: String,
    line: u32,
    column: u32,
    activity: Option<String>,
    message: String,
}

impl Note {
    fn render(&self) -> String {
        let activity = self.activity.as_ref().map(|a| format!("{a}: ")).unwrap_or_default();
        format!("{}:{}:{}: {activity}{}", self.file, self.line, self.column, self.message)
    }

    fn json(&self) -> Value {
        json!({"file": self.file, "line": self.line, "column": self.column, "activity": self.activity, "message": self.message})
    }
}

#[derive(Debug, Default)]
struct Summary {
    files: usize,
    files_imported: usize,
    /// The files whose transaction committed, in order.
    stored: Vec<String>,
    /// The files of which nothing was stored: unreadable, refused, or not reached.
    not_stored: Vec<String>,
    /// Why the import stopped before its last file (Ctrl-C, a database error).
    stopped: Option<String>,
    activities: [usize; 3],
    organisations_new: usize,
    warnings: Vec<Note>,
    errors: Vec<Note>,
    duplicates: Vec<Note>,
}

fn outcome_index(o: Outcome) -> usize {
    match o {
        Outcome::Created => 0,
        Outcome::Updated => 1,
        Outcome::Unchanged => 2,
    }
}

/// The files named, folders expanded to their `.xml` and `.xml.gz` files, sorted.
fn expand(paths: &[PathBuf], lang: Lang) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| Failure::one(format!("{}: {e}", path.display())))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
                    p.is_file() && (name.ends_with(".xml") || name.ends_with(".xml.gz"))
                })
                .collect();
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(Failure::one(match lang {
                Lang::Es => format!("{}: no existe el archivo o la carpeta", path.display()),
                Lang::En => format!("{}: no such file or folder", path.display()),
            }));
        }
    }
    Ok(files)
}

/// A one-line progress display on standard error, only when it is a terminal.
struct Progress {
    enabled: bool,
    total: usize,
}

impl Progress {
    fn show(&self, done: usize, file: &Path, activities: usize, lang: Lang) {
        if !self.enabled {
            return;
        }
        let width = 30;
        let filled = (done * width).checked_div(self.total).unwrap_or(width);
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let name: String = name.chars().take(40).collect();
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[2K[{}{}] {done}/{} {name} · {activities} {}",
            "#".repeat(filled),
            " ".repeat(width - filled),
            self.total,
            lang.pick("actividades", "activities")
        );
        let _ = err.flush();
    }

    fn finish(&self) {
        if self.enabled {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

pub fn run(ctx: &Ctx, args: ImportIatiArgs) -> Result<(), Failure> {
    let files = expand(&args.paths, ctx.lang)?;
    let store = ctx.open()?;
    let options = ReadOptions { map: MapOptions { home_country: ctx.home_country.to_string() }, ..Default::default() };
    let progress =
        Progress { enabled: args.format == SummaryFormat::Text && std::io::stderr().is_terminal(), total: files.len() };
    let mut summary = Summary { files: files.len(), ..Default::default() };
    let mut seen: HashMap<String, (String, u32)> = HashMap::new();
    // Reading (parsing, mapping, checking) runs on its own thread, up to four files ahead of
    // the writing, which keeps the database's order of files: files differ in size, and the
    // slack lets one side go on while the other is on a large one. At most six files are in
    // memory at a time.
    let lang = ctx.lang;
    let interrupted = interrupt_flag();
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<ReadFile>(4);
        let (files, options, interrupted) = (&files, &options, &interrupted);
        scope.spawn(move || {
            for path in files {
                if interrupted.load(Ordering::Relaxed) || sender.send(read_file(path, options, lang)).is_err() {
                    break; // the writer stopped
                }
            }
        });
        for (i, read) in receiver.iter().enumerate() {
            if interrupted.load(Ordering::Relaxed) {
                summary.stopped = Some(ctx.pick("interrumpida (Ctrl-C)", "interrupted (Ctrl-C)").to_owned());
                break;
            }
            progress.show(i, &files[i], summary.activities.iter().sum(), lang);
            let file = read.file.clone();
            match store_file(ctx, &store, read, options, &mut seen, &mut summary) {
                Ok(Stored::Yes) => summary.stored.push(file),
                Ok(Stored::No) => summary.not_stored.push(file),
                Err(failure) => {
                    summary.not_stored.push(file);
                    summary.stopped = Some(failure.lines.join("; "));
                    break;
                }
            }
        }
    });
    // Files never reached, when the import stopped early.
    let reached = summary.stored.len() + summary.not_stored.len();
    summary.not_stored.extend(files.iter().skip(reached).map(|p| p.display().to_string()));
    progress.show(
        files.len(),
        files.last().map_or(Path::new(""), |p| p.as_path()),
        summary.activities.iter().sum(),
        ctx.lang,
    );
    progress.finish();
    match args.format {
        SummaryFormat::Json => print(&serde_json::to_string_pretty(&summary_json(&summary)).unwrap_or_default()),
        SummaryFormat::Text => print_text(ctx, &summary, args.verbose),
    }
    if let Some(reason) = &summary.stopped {
        let (stored, total) = (summary.stored.len(), summary.files);
        return Err(Failure {
            lines: vec![match ctx.lang {
                Lang::Es => format!("la importación se detuvo: {reason}"),
                Lang::En => format!("the import stopped: {reason}"),
            }],
            summary: Some(match ctx.lang {
                Lang::Es => format!(
                    "{stored} de {total} archivo(s) guardado(s) completos; de los demás no se guardó nada (listados arriba)"
                ),
                Lang::En => {
                    format!("{stored} of {total} file(s) stored whole; nothing of the others was stored (listed above)")
                }
            }),
        });
    }
    if summary.errors.is_empty() {
        Ok(())
    } else {
        let n = summary.errors.len();
        Err(Failure {
            lines: Vec::new(),
            summary: Some(match ctx.lang {
                Lang::Es => format!("{n} error(es); los archivos con error de lectura no se importaron"),
                Lang::En => format!("{n} error(s); files with read errors were not imported"),
            }),
        })
    }
}

fn read_error_note(file: &str, e: &ReadError, lang: Lang) -> Note {
    let (line, column) = match e {
        ReadError::Xml(x) => (x.line, x.column),
        _ => (0, 0),
    };
    let prefix = lang.pick("no se importó el archivo", "file not imported");
    Note { file: file.to_owned(), line, column, activity: None, message: format!("{prefix}: {}", e.message(lang)) }
}

/// One file as read, mapped and checked, before anything is stored.
#[derive(Debug, Default)]
struct ReadFile {
    path: PathBuf,
    file: String,
    /// The error that stopped the file: nothing of it is stored.
    failed: Option<Note>,
    organisations: BTreeMap<String, OrganisationDoc>,
    /// Activities that passed the domain's checks: line, identifier, record.
    activities: Vec<(u32, String, Activity)>,
    warnings: Vec<Note>,
    /// Activities that could not be read (no identifier).
    refused: Vec<Note>,
    /// Activities that failed the domain's checks.
    invalid: Vec<Note>,
    /// Identifiers repeated within the file.
    duplicates: Vec<Note>,
}

/// Reads a whole file: pure work, no database, so that it can run beside the writing.
fn read_file(path: &Path, options: &ReadOptions, lang: Lang) -> ReadFile {
    let file = path.display().to_string();
    let mut out = ReadFile { path: path.to_owned(), file: file.clone(), ..Default::default() };
    let reader = match FileReader::open(path, options) {
        Ok(r) => r,
        Err(e) => {
            out.failed = Some(read_error_note(&file, &e, lang));
            return out;
        }
    };
    let mut in_file: HashMap<String, u32> = HashMap::new();
    for item in reader {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                // A file that breaks off is not imported at all: what was read of it goes.
                let failed = Some(read_error_note(&file, &e, lang));
                return ReadFile { path: out.path, file: out.file, failed, ..Default::default() };
            }
        };
        match item {
            Item::Refused(w) => out.refused.push(Note {
                file: file.clone(),
                line: w.line,
                column: w.column,
                activity: None,
                message: w.message(lang),
            }),
            Item::Activity { line, mapped } => {
                let mapped = *mapped;
                let id = mapped.activity.id.clone();
                for w in &mapped.warnings {
                    out.warnings.push(Note {
                        file: file.clone(),
                        line: w.line,
                        column: w.column,
                        activity: Some(id.clone()),
                        message: w.message(lang),
                    });
                }
                if let Some(first) = in_file.get(&id) {
                    out.duplicates.push(Note {
                        file: file.clone(),
                        line,
                        column: 1,
                        activity: Some(id.clone()),
                        message: match lang {
                            Lang::Es => format!("identificador repetido en el mismo archivo (primero en la línea {first}); se omitió este"),
                            Lang::En => format!("identifier repeated in the same file (first at line {first}); this one left out"),
                        },
                    });
                    continue;
                }
                in_file.insert(id.clone(), line);
                for o in mapped.organisations {
                    out.organisations.entry(o.key.clone()).or_insert(o);
                }
                match mapped.activity.into_domain() {
                    Ok(a) => out.activities.push((line, id, a)),
                    Err(problems) => {
                        for p in problems.iter() {
                            out.invalid.push(Note {
                                file: file.clone(),
                                line,
                                column: 1,
                                activity: Some(id.clone()),
                                message: p.message(lang),
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

/// Whether a file's transaction committed.
enum Stored {
    Yes,
    No,
}

/// A flag raised by the first Ctrl-C (or SIGTERM): the import finishes the file it is storing,
/// then stops and says which files were stored. A second signal ends the program at once —
/// still safely: each file is one transaction.
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // If a handler cannot be installed, the signal keeps its default: the program ends,
        // and the file being stored is rolled back by the database.
        let _ = signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&flag));
        let _ = signal_hook::flag::register(signal, Arc::clone(&flag));
    }
    flag
}

/// Stores what was read of one file in one transaction, and accounts for it.
fn store_file(
    ctx: &Ctx,
    store: &Store,
    read: ReadFile,
    options: &ReadOptions,
    seen: &mut HashMap<String, (String, u32)>,
    summary: &mut Summary,
) -> Result<Stored, Failure> {
    let lang = ctx.lang;
    let file = read.file;
    if let Some(failed) = read.failed {
        summary.errors.push(failed);
        return Ok(Stored::No);
    }
    let path = read.path.as_path();
    let mut errors = read.refused;
    let mut duplicates = read.duplicates;
    for (line, id, _) in &read.activities {
        if let Some((other, other_line)) = seen.get(id)
            && *other != file
        {
            duplicates.push(Note {
                file: file.clone(),
                line: *line,
                column: 1,
                activity: Some(id.clone()),
                message: match lang {
                    Lang::Es => {
                        format!("el identificador ya estaba en {other}:{other_line}; esta versión lo actualiza")
                    }
                    Lang::En => format!("identifier already in {other}:{other_line}; this version updates it"),
                },
            });
        }
        seen.insert(id.clone(), (file.clone(), *line));
    }
    duplicates.sort_by_key(|d| d.line);

    let (mut records, mut lines) = records_of(store, read.organisations, read.activities, &file, lang, &mut errors)?;
    errors.extend(read.invalid);
    // Leave out what the store refused, say why, and store the rest. Refusals are rare (an
    // organisation the domain refused, named by an activity), so the batch is not copied in
    // case of one: the file is read again. Each round leaves out at least one more record.
    let mut left_out: HashSet<(RecordKind, String)> = HashSet::new();
    let result = loop {
        let kinds: Vec<RecordKind> = records.iter().map(Record::kind).collect();
        match store.record(&ctx.user, records) {
            Err(StoreError::Invalid(refused))
                if refused.iter().any(|r| !left_out.contains(&(r.kind, r.key.clone()))) =>
            {
                for r in &refused {
                    let (line, activity) = lines.get(r.index).cloned().unwrap_or_default();
                    for p in r.problems.iter() {
                        errors.push(Note {
                            file: file.clone(),
                            line,
                            column: 1,
                            activity: activity.clone(),
                            message: p.message(lang),
                        });
                    }
                    left_out.insert((r.kind, r.key.clone()));
                }
                let again = read_file(path, options, lang);
                let mut ignored = Vec::new();
                (records, lines) = records_of(store, again.organisations, again.activities, &file, lang, &mut ignored)?;
                let keep: Vec<bool> = records.iter().map(|r| !left_out.contains(&(r.kind(), r.key()))).collect();
                let mut k = keep.iter();
                records.retain(|_| k.next().copied().unwrap_or(false));
                let mut k = keep.iter();
                lines.retain(|_| k.next().copied().unwrap_or(false));
            }
            other => break other.map(|written| (written, kinds)),
        }
    };
    let (written, kinds) = result.map_err(|e| Failure::store(e, lang))?;
    for (kind, outcome) in kinds.iter().zip(&written.outcomes) {
        match kind {
            RecordKind::Activity => summary.activities[outcome_index(*outcome)] += 1,
            RecordKind::Organisation if *outcome == Outcome::Created => summary.organisations_new += 1,
            _ => {}
        }
    }
    summary.files_imported += 1;
    summary.warnings.extend(read.warnings);
    summary.errors.extend(errors);
    summary.duplicates.extend(duplicates);
    Ok(Stored::Yes)
}

/// The records to write for a file, organisations first (those not yet in the registry: the
/// registry's record, curated by its users, wins over a publisher's label), each with its line
/// and identifier. Organisations the domain refuses become errors.
#[allow(clippy::type_complexity)]
fn records_of(
    store: &Store,
    organisations: BTreeMap<String, OrganisationDoc>,
    activities: Vec<(u32, String, Activity)>,
    file: &str,
    lang: Lang,
    errors: &mut Vec<Note>,
) -> Result<(Vec<Record>, Vec<(u32, Option<String>)>), Failure> {
    let mut records = Vec::with_capacity(organisations.len() + activities.len());
    let mut lines = Vec::with_capacity(records.capacity());
    for (key, doc) in organisations {
        let exists = store.organisation(&key).map_err(|e| Failure::store(e, lang))?.is_some();
        if exists {
            continue;
        }
        match doc.into_domain() {
            Ok(o) => {
                records.push(Record::Organisation(o));
                lines.push((0, None));
            }
            Err(p) => errors.push(Note {
                file: file.to_owned(),
                line: 0,
                column: 0,
                activity: None,
                message: format!("{key}: {p}"),
            }),
        }
    }
    for (line, id, activity) in activities {
        records.push(Record::Activity(Box::new(activity)));
        lines.push((line, Some(id)));
    }
    Ok((records, lines))
}

fn summary_json(s: &Summary) -> Value {
    json!({
        "files": s.files,
        "files_imported": s.files_imported,
        "activities": {"new": s.activities[0], "updated": s.activities[1], "unchanged": s.activities[2]},
        "organisations_new": s.organisations_new,
        "files_stored": s.stored,
        "files_not_stored": s.not_stored,
        "stopped": s.stopped,
        "warnings": s.warnings.iter().map(Note::json).collect::<Vec<_>>(),
        "duplicates": s.duplicates.iter().map(Note::json).collect::<Vec<_>>(),
        "errors": s.errors.iter().map(Note::json).collect::<Vec<_>>(),
    })
}

fn print_text(ctx: &Ctx, s: &Summary, verbose: bool) {
    let [new, updated, unchanged] = s.activities;
    print(&match ctx.lang {
        Lang::Es => format!(
            "{} de {} archivo(s) importado(s): {new} actividades nuevas, {updated} actualizadas, {unchanged} sin cambios; \
             {} organizaciones nuevas; {} advertencias, {} identificadores repetidos, {} errores",
            s.files_imported,
            s.files,
            s.organisations_new,
            s.warnings.len(),
            s.duplicates.len(),
            s.errors.len()
        ),
        Lang::En => format!(
            "{} of {} file(s) imported: {new} activities new, {updated} updated, {unchanged} unchanged; \
             {} new organisations; {} warnings, {} repeated identifiers, {} errors",
            s.files_imported,
            s.files,
            s.organisations_new,
            s.warnings.len(),
            s.duplicates.len(),
            s.errors.len()
        ),
    });
    if verbose {
        for n in s.warnings.iter().chain(&s.duplicates) {
            print(&format!("{}: {}", ctx.pick("advertencia", "warning"), n.render()));
        }
    } else if !s.warnings.is_empty() {
        print(ctx.pick(
            "(--verbose muestra cada advertencia con su línea)",
            "(--verbose shows every warning with its line)",
        ));
    }
    for n in &s.errors {
        eprintln!("error: {}", n.render());
    }
    if s.stopped.is_some() {
        print(ctx.pick("Archivos guardados:", "Files stored:"));
        for f in &s.stored {
            print(&format!("  {f}"));
        }
        print(ctx.pick("Archivos de los que no se guardó nada:", "Files of which nothing was stored:"));
        for f in &s.not_stored {
            print(&format!("  {f}"));
        }
    }
}
