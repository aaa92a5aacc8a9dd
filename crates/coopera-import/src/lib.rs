//! The IATI import pipeline, as a library: `coopera import iati` is this crate plus its
//! arguments and printing, and a web upload (bytes in memory and a file name) can be too.
//!
//! ```text
//! Import::new(options).file(path).file(Source::reader(name, bytes)).run(&mut store, author, progress)
//! ```
//!
//! Each file — a path, or bytes with the name that places their problems — is read, mapped
//! and checked on a thread of its own ([`read`]), up to [`READ_AHEAD`] files ahead of the
//! writing, which keeps the files' order. Each file is then stored in one transaction through
//! the [`Sink`] ([`write`]): a file that breaks off stores nothing, a file whose activities are
//! refused stores the others. The [`ImportSummary`] says which files were stored and which
//! were not, counts what changed, and places every warning, repeated identifier and error at
//! its file, line and column — all from what was kept while reading, never by reading a file
//! again. Its messages are in the language of [`ImportOptions::lang`], Spanish or English.
//!
//! Every activity enters in the workflow state [`ImportOptions::workflow`] says — a draft
//! unless the caller publishes on import — whatever the file says, and the audit trail marks
//! each change as an import.
//!
//! The caller's progress callback is asked before each file is stored and may stop the
//! import there (Ctrl-C): the files stored stay whole, and the summary lists the others.

use std::fmt;
use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use coopera_domain::Lang;
use coopera_domain::kinds::WorkflowState;
use coopera_iati::read::ReadOptions;
use coopera_store::StoreError;

mod read;
pub mod sheets;
mod sink;
mod write;

pub use sink::Sink;

/// How many files are read ahead of the writing. Files differ in size, and the slack lets one
/// side go on while the other is on a large one; at most this many and two more (the one being
/// read, the one being stored) are in memory at a time.
pub const READ_AHEAD: usize = 4;

/// How an import reads, stores and speaks.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Limits, decompressed size and the reporting country of the mapping.
    pub read: ReadOptions,
    /// The language of the summary's messages.
    pub lang: Lang,
    /// The workflow state every activity written enters in, whatever the file says (default
    /// draft: what others published is checked here before the registry publishes it; the
    /// caller may publish on import instead).
    pub workflow: WorkflowState,
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions { read: ReadOptions::default(), lang: Lang::default(), workflow: WorkflowState::Draft }
    }
}

/// One file to import: the name its problems are placed in, and where its bytes come from.
pub struct Source {
    name: String,
    bytes: Bytes,
}

enum Bytes {
    Path(PathBuf),
    Reader(Box<dyn Read + Send>),
}

impl Source {
    /// The file at `path`, named as the path is written.
    pub fn path(path: impl Into<PathBuf>) -> Source {
        let path = path.into();
        Source { name: path.display().to_string(), bytes: Bytes::Path(path) }
    }

    /// The bytes of a file as stored (plain or gzip, in any encoding the reader reads), from
    /// elsewhere than a path — an upload, a test — and the name to place their problems in.
    pub fn reader(name: impl Into<String>, bytes: impl Read + Send + 'static) -> Source {
        Source { name: name.into(), bytes: Bytes::Reader(Box::new(bytes)) }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Source").field("name", &self.name).finish_non_exhaustive()
    }
}

impl From<PathBuf> for Source {
    fn from(path: PathBuf) -> Source {
        Source::path(path)
    }
}

impl From<&Path> for Source {
    fn from(path: &Path) -> Source {
        Source::path(path)
    }
}

/// An import to run: options and files, in the order they are to be stored.
#[derive(Debug, Default)]
pub struct Import {
    options: ImportOptions,
    sources: Vec<Source>,
}

/// Where an import is, as the progress callback is told before each file is stored, and once
/// more when every file is done.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Files done (stored or not).
    pub done: usize,
    pub total: usize,
    /// The file about to be stored; the last one when all are done.
    pub file: &'a str,
    /// Activities stored so far: new, updated and unchanged.
    pub activities: usize,
}

impl Import {
    pub fn new(options: ImportOptions) -> Import {
        Import { options, sources: Vec::new() }
    }

    /// Adds a file: a path, or a [`Source::reader`].
    pub fn file(mut self, source: impl Into<Source>) -> Import {
        self.sources.push(source.into());
        self
    }

    /// Adds files, in order.
    pub fn files<S: Into<Source>>(mut self, sources: impl IntoIterator<Item = S>) -> Import {
        self.sources.extend(sources.into_iter().map(Into::into));
        self
    }

    /// Reads every file and stores each in one transaction through `sink`, as `author`.
    /// `progress` is asked before each file is stored; [`ControlFlow::Break`] with a reason
    /// (in the summary's language) stops the import there. A database failure stops it too.
    /// Either way the summary says which files were stored whole and which not at all.
    pub fn run(
        self,
        sink: &mut dyn Sink,
        author: &str,
        mut progress: impl FnMut(&Progress<'_>) -> ControlFlow<String>,
    ) -> ImportSummary {
        let Import { options, sources } = self;
        let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
        let mut summary = ImportSummary { files: names.len(), ..ImportSummary::default() };
        let mut writer = write::Writer::new(sink, author, options.lang);
        let stop = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel(READ_AHEAD);
            let (options, stop) = (&options, &stop);
            scope.spawn(move || {
                for source in sources {
                    if stop.load(Ordering::Relaxed) || sender.send(read::read_file(source, options)).is_err() {
                        break; // the writer stopped
                    }
                }
            });
            for (i, file) in receiver.iter().enumerate() {
                let at =
                    Progress { done: i, total: names.len(), file: &names[i], activities: summary.activities.total() };
                if let ControlFlow::Break(reason) = progress(&at) {
                    summary.stopped = Some(Stop::Asked(reason));
                    break;
                }
                if let Err(e) = writer.store(file, &mut summary) {
                    summary.stopped = Some(Stop::Store(e));
                    break;
                }
            }
            stop.store(true, Ordering::Relaxed);
        });
        // Files never reached, when the import stopped early.
        let reached = summary.stored.len() + summary.not_stored.len();
        summary.not_stored.extend(names.iter().skip(reached).cloned());
        let last = names.last().map_or("", String::as_str);
        let _ = progress(&Progress {
            done: names.len(),
            total: names.len(),
            file: last,
            activities: summary.activities.total(),
        });
        summary
    }
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportSummary {
    /// Files given.
    pub files: usize,
    /// The files whose transaction committed, in order.
    pub stored: Vec<String>,
    /// The files of which nothing was stored: unreadable, refused, or not reached.
    pub not_stored: Vec<String>,
    /// Why the import stopped before its last file.
    pub stopped: Option<Stop>,
    pub activities: Counts,
    /// Organisations created (those already in the registry are kept as it has them).
    pub organisations_new: usize,
    /// What was taken otherwise than published, or left out, with the activity it is in.
    pub warnings: Vec<Note>,
    /// Identifiers repeated within a file (the first is kept) or across files (the later
    /// version updates the earlier).
    pub duplicates: Vec<Note>,
    /// Files that could not be read, activities that could not be imported.
    pub errors: Vec<Note>,
}

impl ImportSummary {
    /// Files stored whole.
    pub fn files_imported(&self) -> usize {
        self.stored.len()
    }
}

/// Activities by what happened to them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.new + self.updated + self.unchanged
    }
}

/// Why an import stopped before its last file.
#[derive(Debug)]
pub enum Stop {
    /// The progress callback asked, with this reason (Ctrl-C).
    Asked(String),
    /// The database failed: the file being stored was not, and nothing after it was tried.
    Store(StoreError),
}

impl Stop {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Stop::Asked(reason) => reason.clone(),
            Stop::Store(e) => e.message(lang),
        }
    }
}

/// A problem at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub file: String,
    /// Line and column from 1; 0 when the problem has no place in the file (it could not be
    /// opened).
    pub line: u32,
    pub column: u32,
    /// The identifier of the activity it is in.
    pub activity: Option<String>,
    /// In the import's language.
    pub message: String,
}

impl Note {
    /// `file:line:column: activity: message`
    pub fn render(&self) -> String {
        let activity = self.activity.as_ref().map(|a| format!("{a}: ")).unwrap_or_default();
        format!("{}:{}:{}: {activity}{}", self.file, self.line, self.column, self.message)
    }
}
