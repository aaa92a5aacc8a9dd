//! The index on disk: opening (and wiping an index of another version), the stamp every
//! commit carries, and writes — a rebuild, or a batch of upserts and deletes in one commit.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tantivy::schema::Schema;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::analysis;
use crate::doc::{DocKind, SearchDoc};
use crate::maxima::TermMaxima;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::{Result, SearchError};

/// Where the index stands in the caller's change feed: the sequence number of the last change
/// it holds. Stored with every commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp {
    pub seq: u64,
}

/// The payload of a commit: the stamp and the versions the index was built with.
#[derive(Debug, serde::Deserialize)]
struct Payload {
    seq: u64,
    schema: u32,
    analyzer: u64,
}

impl Payload {
    fn current(stamp: Stamp) -> String {
        format!(r#"{{"seq":{},"schema":{},"analyzer":{}}}"#, stamp.seq, SCHEMA_VERSION, analysis::fingerprint())
    }

    /// The stamp of a payload written by this version, `None` for any other.
    fn stamp(text: &str) -> Option<Stamp> {
        let p: Payload = serde_json::from_str(text).ok()?;
        (p.schema == SCHEMA_VERSION && p.analyzer == analysis::fingerprint()).then_some(Stamp { seq: p.seq })
    }
}

/// Memory for the writer's one indexing thread (tantivy asks for 15 MB at least).
const WRITER_MEMORY: usize = 32_000_000;

/// The search index: cheap to share behind an `Arc`, searched by many threads, written by one
/// at a time. A write is visible to searches when it returns.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    /// What each term can score in each segment, kept between searches.
    pub(crate) maxima: Arc<TermMaxima>,
    /// Opened on the first write, so that an index only searched takes no writer lock.
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
    dir: PathBuf,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("dir", &self.dir).finish_non_exhaustive()
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SearchError + '_ {
    move |source| SearchError::Io { path: path.to_owned(), source }
}

/// The threads a search runs on: one per core, at most four.
fn search_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4)
}

/// Whether a file name is one tantivy writes: its metadata, locks, segment files (32 hex
/// digits, a dot, an extension) and the temporary file of an atomic write (`.tmpXXXXXX`), which
/// a process stopped in the middle of a commit leaves behind.
fn is_index_file(name: &str) -> bool {
    if matches!(name, "meta.json" | ".managed.json")
        || (name.starts_with(".tantivy-") && name.ends_with(".lock"))
        || is_interrupted_write(name)
    {
        return true;
    }
    let Some((stem, _ext)) = name.split_once('.') else { return false };
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_interrupted_write(name: &str) -> bool {
    name.starts_with(".tmp")
}

/// Removes what interrupted atomic writes left in `dir`: never part of a commit.
fn remove_interrupted_writes(dir: &Path) -> Result<()> {
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        if is_interrupted_write(&entry.file_name().to_string_lossy()) {
            fs::remove_file(entry.path()).map_err(io(dir))?;
        }
    }
    Ok(())
}

/// The files of `dir` that are not an index's; an error names the first one.
fn check_only_index_files(dir: &Path) -> Result<()> {
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let name = entry.map_err(io(dir))?.file_name().to_string_lossy().into_owned();
        if !is_index_file(&name) {
            return Err(SearchError::NotAnIndex { path: dir.to_owned(), file: name });
        }
    }
    Ok(())
}

/// Removes the index files of `dir` (and nothing else: [`check_only_index_files`] ran first).
fn wipe(dir: &Path) -> Result<()> {
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        if is_index_file(&entry.file_name().to_string_lossy()) {
            fs::remove_file(entry.path()).map_err(io(dir))?;
        }
    }
    Ok(())
}

/// Why an existing index is not reused, if it is not.
fn stale_reason(index: &Index, schema: &Schema) -> Option<String> {
    if index.schema() != *schema {
        return Some("its fields differ".to_owned());
    }
    let metas = match index.load_metas() {
        Ok(m) => m,
        Err(e) => return Some(format!("its metadata cannot be read: {e}")),
    };
    let payload = metas.payload?;
    match Payload::stamp(&payload) {
        Some(_) => None,
        None => Some(format!("it was built by another version ({payload})")),
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the folder and the index if missing. An index built
    /// by another version of the schema or the analyzers, or one that cannot be read, is wiped
    /// and created anew: it is derived data, and [`SearchIndex::stamp`] then says `None`. A
    /// folder holding files that are not an index's is refused, never wiped.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        fs::create_dir_all(dir).map_err(io(dir))?;
        check_only_index_files(dir)?;
        remove_interrupted_writes(dir)?;
        let (schema, fields) = schema::build();
        let mut index = if dir.join("meta.json").exists() {
            let reason = match Index::open_in_dir(dir) {
                Ok(index) => stale_reason(&index, &schema).map_or(Ok(index), Err),
                Err(e) => Err(format!("it cannot be opened: {e}")),
            };
            match reason {
                Ok(index) => index,
                Err(reason) => {
                    tracing::warn!(dir = %dir.display(), %reason, "search index wiped, to be rebuilt");
                    wipe(dir)?;
                    Index::create_in_dir(dir, schema)?
                }
            }
        } else {
            Index::create_in_dir(dir, schema)?
        };
        analysis::register(&index);
        // A search spreads over the index's segments, one thread per core: it lowers one
        // request's latency, not the throughput, which the cores bound either way.
        index.set_multithread_executor(search_threads())?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex { index, reader, fields, maxima: Arc::default(), writer: Mutex::new(None), dir: dir.to_owned() })
    }

    /// How many segments the index is read in: a search runs on up to one thread per segment.
    pub fn segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// The stamp of the last commit; `None` when the index is empty, was never built, or was
    /// built by another version — the caller must then rebuild it.
    pub fn stamp(&self) -> Option<Stamp> {
        let payload = self.index.load_metas().ok()?.payload?;
        Payload::stamp(&payload)
    }

    /// Replaces everything the index holds by `docs`, in one commit.
    pub fn rebuild(&self, docs: impl IntoIterator<Item = SearchDoc>, stamp: Stamp) -> Result<()> {
        let mut rebuilding = self.begin_rebuild()?;
        for doc in docs {
            rebuilding.add(&doc)?;
        }
        rebuilding.finish(stamp)
    }

    /// Starts replacing everything the index holds: the documents given to
    /// [`Rebuilding::add`] one by one (none kept in memory but the writer's buffer) replace
    /// the index's at [`Rebuilding::finish`], in one commit; dropped unfinished, nothing
    /// changes. Other writes wait meanwhile.
    pub fn begin_rebuild(&self) -> Result<Rebuilding<'_>> {
        let mut guard = self.writer()?;
        open_writer(&self.index, &mut guard)?.delete_all_documents()?;
        Ok(Rebuilding { index: self, guard, count: 0, finished: false })
    }

    /// Adds or replaces `upserts` and removes `deletes`, in one commit; visible to searches on
    /// return.
    pub fn apply(&self, upserts: Vec<SearchDoc>, deletes: Vec<(DocKind, String)>, stamp: Stamp) -> Result<()> {
        let mut guard = self.writer()?;
        let writer = open_writer(&self.index, &mut guard)?;
        for (kind, key) in &deletes {
            writer.delete_term(self.id_term(*kind, key));
        }
        for doc in &upserts {
            writer.delete_term(self.id_term(doc.kind, &doc.key));
            writer.add_document(self.document(doc))?;
        }
        self.commit(writer, stamp)
    }

    fn writer(&self) -> Result<MutexGuard<'_, Option<IndexWriter<TantivyDocument>>>> {
        // A panic while writing leaves the writer as tantivy left it; its next commit or
        // rollback is still sound, so a poisoned lock is taken over.
        Ok(self.writer.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Every commit goes through here, so that every commit carries its payload (a plain
    /// commit would clear it).
    fn commit(&self, writer: &mut IndexWriter<TantivyDocument>, stamp: Stamp) -> Result<()> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&Payload::current(stamp));
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    fn id_term(&self, kind: DocKind, key: &str) -> Term {
        Term::from_field_text(self.fields.id, &format!("{}:{key}", kind.code()))
    }

    fn document(&self, d: &SearchDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, format!("{}:{}", d.kind.code(), d.key));
        doc.add_text(f.kind, d.kind.code());
        doc.add_text(f.key, &d.key);
        for (field, text) in
            [(f.title_es, &d.title_es), (f.title_en, &d.title_en), (f.body_es, &d.body_es), (f.body_en, &d.body_en)]
        {
            doc.add_text(field, text);
            doc.add_text(f.folded, text);
        }
        let lists = [
            (f.area, &d.thematic_areas),
            (f.sector, &d.sectors),
            (f.form, &d.forms),
            (f.state, &d.states),
            (f.language, &d.languages),
            (f.country, &d.countries),
        ];
        for (field, values) in lists {
            for value in values {
                doc.add_text(field, value);
            }
        }
        doc.add_text(f.summary_es, &d.summary_es);
        doc.add_text(f.summary_en, &d.summary_en);
        for category in categories(&d.sectors) {
            doc.add_text(f.category, category);
        }
        if let Some(institution) = &d.institution {
            doc.add_text(f.institution, institution);
        }
        doc
    }
}

/// An index being built anew ([`SearchIndex::begin_rebuild`]).
pub struct Rebuilding<'a> {
    index: &'a SearchIndex,
    guard: MutexGuard<'a, Option<IndexWriter<TantivyDocument>>>,
    count: u64,
    finished: bool,
}

impl std::fmt::Debug for Rebuilding<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rebuilding").field("count", &self.count).finish_non_exhaustive()
    }
}

impl Rebuilding<'_> {
    pub fn add(&mut self, doc: &SearchDoc) -> Result<()> {
        let document = self.index.document(doc);
        open_writer(&self.index.index, &mut self.guard)?.add_document(document)?;
        self.count = self.count.saturating_add(1);
        Ok(())
    }

    /// Commits the documents added, which replace the index's.
    pub fn finish(mut self, stamp: Stamp) -> Result<()> {
        let writer = open_writer(&self.index.index, &mut self.guard)?;
        self.index.commit(writer, stamp)?;
        self.finished = true;
        tracing::info!(documents = self.count, seq = stamp.seq, "search index rebuilt");
        Ok(())
    }
}

impl Drop for Rebuilding<'_> {
    /// An unfinished rebuild is rolled back, so that the next commit does not publish half an
    /// index.
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        if let Some(writer) = self.guard.as_mut()
            && let Err(e) = writer.rollback()
        {
            tracing::warn!(error = %e, "an unfinished search index rebuild could not be rolled back");
            // The writer's state is unknown: the next write opens a new one.
            *self.guard = None;
        }
    }
}

fn open_writer<'a>(
    index: &Index,
    slot: &'a mut Option<IndexWriter<TantivyDocument>>,
) -> Result<&'a mut IndexWriter<TantivyDocument>> {
    if slot.is_none() {
        *slot = Some(index.writer_with_num_threads(1, WRITER_MEMORY)?);
    }
    slot.as_mut().ok_or_else(|| SearchError::Internal("the index writer is missing".to_owned()))
}

/// The DAC 3-digit categories of DAC codes: a 5-digit code's category, a category itself.
pub(crate) fn categories(sectors: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in sectors {
        let category = match s.len() {
            3 => Some(s.as_str()),
            _ => coopera_domain::codelists::SECTOR.get(s).and_then(|c| c.category),
        };
        if let Some(c) = category
            && !out.iter().any(|o| o == c)
        {
            out.push(c.to_owned());
        }
    }
    out
}
