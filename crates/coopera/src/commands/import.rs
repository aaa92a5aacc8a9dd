//! `coopera import iati PATH…`: the files named (folders expanded) go through the import
//! pipeline (`coopera_import`), one transaction per file, and the summary is printed: activities
//! new, updated and unchanged, every warning and error with its file, line and column. The
//! activities enter as drafts, whatever the files say, unless `--publish` publishes them; the
//! audit trail marks every change as an import.

use std::io::{IsTerminal, Write as _};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use coopera_domain::Lang;
use coopera_domain::kinds::WorkflowState;
use coopera_iati::read::ReadOptions;
use coopera_iati::read::map::MapOptions;
use coopera_import::{Import, ImportOptions, ImportSummary, Note, Progress};
use serde_json::{Value, json};

use super::{Ctx, Failure, print};
use crate::cli::{ImportIatiArgs, SummaryFormat};

fn note_json(n: &Note) -> Value {
    json!({"file": n.file, "line": n.line, "column": n.column, "activity": n.activity, "message": n.message})
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
struct ProgressBar {
    enabled: bool,
}

impl ProgressBar {
    fn show(&self, at: &Progress<'_>, lang: Lang) {
        if !self.enabled {
            return;
        }
        let width = 30;
        let filled = (at.done * width).checked_div(at.total).unwrap_or(width);
        let name = std::path::Path::new(at.file).file_name().map(|n| n.to_string_lossy().into_owned());
        let name: String = name.unwrap_or_default().chars().take(40).collect();
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[2K[{}{}] {}/{} {name} · {} {}",
            "#".repeat(filled),
            " ".repeat(width - filled),
            at.done,
            at.total,
            at.activities,
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
    let mut store = ctx.open()?;
    let workflow = super::entering(args.publish);
    let options = ImportOptions {
        read: ReadOptions { map: MapOptions { home_country: ctx.home_country.to_string() }, ..Default::default() },
        lang: ctx.lang,
        workflow,
    };
    let bar = ProgressBar { enabled: args.format == SummaryFormat::Text && std::io::stderr().is_terminal() };
    let interrupted = interrupt_flag();
    let summary = Import::new(options).files(files).run(&mut store, &ctx.user, |at| {
        if interrupted.load(Ordering::Relaxed) {
            return ControlFlow::Break(ctx.pick("interrumpida (Ctrl-C)", "interrupted (Ctrl-C)").to_owned());
        }
        bar.show(at, ctx.lang);
        ControlFlow::Continue(())
    });
    bar.finish();
    match args.format {
        SummaryFormat::Json => {
            print(&serde_json::to_string_pretty(&summary_json(&summary, workflow, ctx.lang)).unwrap_or_default())
        }
        SummaryFormat::Text => print_text(ctx, &summary, workflow, args.verbose),
    }
    if let Some(stop) = &summary.stopped {
        let reason = stop.message(ctx.lang);
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

fn summary_json(s: &ImportSummary, workflow: WorkflowState, lang: Lang) -> Value {
    let a = s.activities;
    json!({
        "files": s.files,
        "files_imported": s.files_imported(),
        "activities": {"new": a.new, "updated": a.updated, "unchanged": a.unchanged},
        "workflow": workflow.code(),
        "organisations_new": s.organisations_new,
        "files_stored": s.stored,
        "files_not_stored": s.not_stored,
        "stopped": s.stopped.as_ref().map(|stop| stop.message(lang)),
        "warnings": s.warnings.iter().map(note_json).collect::<Vec<_>>(),
        "duplicates": s.duplicates.iter().map(note_json).collect::<Vec<_>>(),
        "errors": s.errors.iter().map(note_json).collect::<Vec<_>>(),
    })
}

fn print_text(ctx: &Ctx, s: &ImportSummary, workflow: WorkflowState, verbose: bool) {
    let (new, updated, unchanged) = (s.activities.new, s.activities.updated, s.activities.unchanged);
    print(&match ctx.lang {
        Lang::Es => format!(
            "{} de {} archivo(s) importado(s): {new} actividades nuevas, {updated} actualizadas, {unchanged} sin cambios; \
             {} organizaciones nuevas; {} advertencias, {} identificadores repetidos, {} errores",
            s.files_imported(),
            s.files,
            s.organisations_new,
            s.warnings.len(),
            s.duplicates.len(),
            s.errors.len()
        ),
        Lang::En => format!(
            "{} of {} file(s) imported: {new} activities new, {updated} updated, {unchanged} unchanged; \
             {} new organisations; {} warnings, {} repeated identifiers, {} errors",
            s.files_imported(),
            s.files,
            s.organisations_new,
            s.warnings.len(),
            s.duplicates.len(),
            s.errors.len()
        ),
    });
    if let Some(line) = super::workflow_line(s.activities.total(), workflow, ctx.lang) {
        print(&line);
    }
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
