//! What every handler shares: the store's connections, the in-memory views of the registry
//! and the settings. The store is synchronous, so it is only touched from blocking tasks.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use bytes::Bytes;
use coopera_domain::Lang;
use coopera_domain::Problem;
use coopera_domain::code::CountryCode;
use coopera_domain::organisation::Organisation;
use coopera_domain::record::RecordKind;
use coopera_report::{Filters, InKindRates, LoadOptions, PerActivity, Query, Report, ReportError, Selected, Snapshot};
use coopera_store::{FeedEntry, Location, ReportFacts, Store, StoreError, StoreOptions, WriteSummary};

use crate::error::WebError;
use crate::live_index::{LiveIndex, Poke};
use crate::registry::Registry;

/// Whether each request is logged, as a `tracing` event the binary writes where it wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestLog {
    #[default]
    Off,
    /// `GET /activities 200 1.2 ms`, one `INFO` event per request.
    Info,
}

/// A note every page shows under the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Banner {
    #[default]
    None,
    /// The registry holds the illustrative demo data.
    Demo,
}

/// The server's settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// The reporting country (default Mexico): decides what is given and received.
    pub home_country: CountryCode,
    /// The table that values in-kind units without their own unit value (default: the
    /// illustrative table shipped with Coopera).
    pub in_kind_rates: InKindRates,
    /// Request log (default: off).
    pub log: RequestLog,
    /// Database connections used for reading besides the one that writes (default 3; only
    /// for file databases — a database in memory has a single connection).
    pub readers: usize,
    pub banner: Banner,
    /// How long web sessions last without a request, and at most.
    pub sessions: coopera_store::SessionLimits,
    /// Mark the session cookie `Secure` (served over TLS, or behind a proxy that is). A request
    /// that says it came over HTTPS (`X-Forwarded-Proto: https`) gets it anyway.
    pub secure_cookies: bool,
    /// Where the search index is kept (default: `coopera_search::live::default_dir` of the
    /// registry — `coopera.db.search` beside a SQLite file —, or a temporary folder, removed
    /// when the application stops, for a registry in memory).
    pub search_index: Option<std::path::PathBuf>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            home_country: StoreOptions::default().home_country,
            in_kind_rates: InKindRates::sample(),
            log: RequestLog::Off,
            readers: 3,
            banner: Banner::None,
            sessions: coopera_store::SessionLimits::default(),
            secure_cookies: false,
            search_index: None,
        }
    }
}

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The views could not be written beside the database (path, reason).
    #[error("cannot write {0}: {1}")]
    Persist(String, String),
    /// The search index cannot be opened (a folder that holds other files, no permission).
    #[error("search index: {0}")]
    Search(#[from] coopera_search::SearchError),
}

/// How the report engine reads the registry, from the server's settings.
fn load_options(options: &Options) -> LoadOptions {
    LoadOptions { home_country: options.home_country, in_kind_rates: options.in_kind_rates.clone() }
}

impl StartError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StartError::Store(e) => e.message(lang),
            StartError::Report(e) => e.message(lang),
            StartError::Persist(path, reason) => match lang {
                Lang::Es => format!("no se puede escribir {path}: {reason}"),
                Lang::En => self.to_string(),
            },
            StartError::Search(e) => match lang {
                Lang::Es => format!("índice de búsqueda: {e}"),
                Lang::En => self.to_string(),
            },
        }
    }
}

/// The registry as the pages read it, rebuilt after each write: the report engine's snapshot,
/// the list index, and the reports already computed over them.
#[derive(Debug)]
pub(crate) struct Views {
    /// Which build of the views this is: the server's start time and a count of rebuilds, so
    /// that no two builds — even across restarts — share it. It names the data a page shows
    /// (its `ETag`).
    pub version: String,
    /// The change feed's newest entry when these views were read: every change up to it is
    /// in them.
    feed: u64,
    pub snapshot: Snapshot,
    pub registry: Registry,
    reports: Mutex<HashMap<String, Arc<Report>>>,
    /// The selections reports were last run over, newest last: the reports of one page share
    /// their selection (see [`coopera_report::select`]).
    selections: Mutex<Vec<Arc<Selected>>>,
    /// The activities (and their values) of the queries lists have asked for.
    members: Mutex<HashMap<String, Arc<PerActivity>>>,
    pages: Mutex<Pages>,
    /// The institutions' record the matcher weighs, by who may see which activities.
    tracks: Mutex<HashMap<String, Arc<coopera_search::Track>>>,
    /// Whether some activity is hidden from a kind of asker (the public, a role and scope).
    hides: Mutex<HashMap<String, bool>>,
}

/// How many selections are kept per view (each holds a weight per activity).
const SELECTION_CACHE: usize = 8;

/// How many bytes of lists' selections are kept per view (each holds a flag and a value per
/// activity, 17 bytes: 200 KiB at 13,000 activities, 17 MB at a million) before that cache
/// starts over.
const MEMBERS_CACHE_BYTES: usize = 128 << 20;

/// How many reports are kept per view before the cache starts over.
const REPORT_CACHE: usize = 1024;
/// How many bytes of drawn pages are kept per view before that cache starts over.
const PAGE_CACHE_BYTES: usize = 64 << 20;

/// A page drawn once over a view, as HTML and, once a client asks for it, gzip-compressed.
#[derive(Debug)]
pub(crate) struct Page {
    html: Bytes,
    gzip: std::sync::OnceLock<Bytes>,
}

#[derive(Debug, Default)]
struct Pages {
    by_key: HashMap<String, Arc<Page>>,
    bytes: usize,
}

impl Views {
    fn load(store: &Store, options: &Options, version: String) -> Result<Views, StartError> {
        // Read before the registry: a change committed while it is read is applied again
        // later rather than missed.
        let feed = store.feed_head()?;
        let (registry, snapshot) = Registry::load(store, &load_options(options))?;
        Ok(Views::over(version, feed, registry, snapshot))
    }

    /// The views kept beside the database file (`coopera_report::persist`), when they check
    /// out against it; they are at feed entry `feed`, and catch up from there.
    fn resume(store: &Store, options: &Options, version: String) -> Result<Option<Views>, StartError> {
        let Some(db) = store.location().file() else { return Ok(None) };
        let path = coopera_report::persist::path_beside(db);
        Ok(coopera_report::persist::load(&path, store, &load_options(options))?
            .map(|(registry, snapshot, feed)| Views::over(version, feed, registry, snapshot)))
    }

    fn over(version: String, feed: u64, registry: Registry, snapshot: Snapshot) -> Views {
        Views {
            version,
            feed,
            snapshot,
            registry,
            reports: Mutex::new(HashMap::new()),
            selections: Mutex::default(),
            members: Mutex::new(HashMap::new()),
            pages: Mutex::default(),
            tracks: Mutex::default(),
            hides: Mutex::default(),
        }
    }

    /// The page `key` names (its language and address), drawn by `draw` the first time it is
    /// asked for over these views: between two writes, the same address in the same language
    /// is the same page, so under load a page costs a lookup instead of a dozen reports, the
    /// charts and the compression.
    pub fn page(&self, key: &str, draw: impl FnOnce() -> Result<String, WebError>) -> Result<Arc<Page>, WebError> {
        if let Some(p) = self.pages.lock().unwrap_or_else(PoisonError::into_inner).by_key.get(key) {
            return Ok(Arc::clone(p));
        }
        let html = Bytes::from(draw()?);
        // The compressed copy is made later, if asked for; it is a fraction of the HTML.
        let size = html.len().saturating_add(html.len() / 4).saturating_add(key.len());
        let page = Arc::new(Page { html, gzip: std::sync::OnceLock::new() });
        let mut pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        if pages.bytes.saturating_add(size) > PAGE_CACHE_BYTES {
            *pages = Pages::default();
        }
        pages.bytes = pages.bytes.saturating_add(size);
        pages.by_key.insert(key.to_owned(), Arc::clone(&page));
        Ok(page)
    }

    /// The institutions' record with partner countries and regions as `who` may see it (a key
    /// of what it may read), built by `build` the first time it is asked for over these views.
    pub fn track(
        &self,
        who: &str,
        build: impl FnOnce() -> Result<coopera_search::Track, WebError>,
    ) -> Result<Arc<coopera_search::Track>, WebError> {
        if let Some(t) = self.tracks.lock().unwrap_or_else(PoisonError::into_inner).get(who) {
            return Ok(Arc::clone(t));
        }
        let track = Arc::new(build()?);
        self.tracks.lock().unwrap_or_else(PoisonError::into_inner).insert(who.to_owned(), Arc::clone(&track));
        Ok(track)
    }

    /// Whether these views hold an activity `who` (a key of what it may read) may not read,
    /// worked out by `find` the first time it is asked for.
    pub fn hides(&self, who: &str, find: impl FnOnce() -> bool) -> bool {
        if let Some(h) = self.hides.lock().unwrap_or_else(PoisonError::into_inner).get(who) {
            return *h;
        }
        let hides = find();
        self.hides.lock().unwrap_or_else(PoisonError::into_inner).insert(who.to_owned(), hides);
        hides
    }

    /// Runs a report, or gives the one already run with the same query: the snapshot does not
    /// change until the next write, which makes new views.
    pub fn report(&self, query: &Query) -> Result<Arc<Report>, ReportError> {
        let key = format!("{query:?}");
        if let Some(r) = self.reports.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return Ok(Arc::clone(r));
        }
        let selected = self.selection(&query.filters)?;
        let report = Arc::new(coopera_report::run_selected(&self.snapshot, &selected, query)?);
        let mut cache = self.reports.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= REPORT_CACHE {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&report));
        Ok(report)
    }

    /// The selection of `filters`, made once for the reports that share it.
    fn selection(&self, filters: &Filters) -> Result<Arc<Selected>, ReportError> {
        let cached = |s: &Vec<Arc<Selected>>| s.iter().rev().find(|s| s.filters() == filters).map(Arc::clone);
        if let Some(s) = cached(&self.selections.lock().unwrap_or_else(PoisonError::into_inner)) {
            return Ok(s);
        }
        let selected = Arc::new(coopera_report::select(&self.snapshot, filters)?);
        let mut selections = self.selections.lock().unwrap_or_else(PoisonError::into_inner);
        if selections.len() >= SELECTION_CACHE {
            selections.remove(0);
        }
        selections.push(Arc::clone(&selected));
        Ok(selected)
    }
}

impl Views {
    /// The activities a report with `query` counts, and the value each adds to it: what a
    /// list of the same selection shows, or found already computed over these views.
    pub fn members(&self, query: &Query) -> Result<Arc<PerActivity>, ReportError> {
        let key = format!("{query:?}");
        if let Some(m) = self.members.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return Ok(Arc::clone(m));
        }
        let selected = self.selection(&query.filters)?;
        let members = Arc::new(coopera_report::per_activity_selected(&self.snapshot, &selected, query)?);
        let each = self.snapshot.len().saturating_mul(17).max(1);
        let mut cache = self.members.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.len().saturating_add(1).saturating_mul(each) > MEMBERS_CACHE_BYTES {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&members));
        Ok(members)
    }
}

/// `bytes` compressed at the fastest level: a dashboard page shrinks about sixfold in a
/// fraction of the time the default level takes, which dominated drawing a new page.
fn gzip(bytes: &[u8]) -> Bytes {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing into memory cannot fail.
    let _ = encoder.write_all(bytes);
    Bytes::from(encoder.finish().unwrap_or_default())
}

/// What a write gave, and whether it changed the registry (the views are rebuilt only then).
#[derive(Debug)]
pub(crate) struct Written<T> {
    pub value: T,
    changed: bool,
}

impl<T> Written<T> {
    /// Nothing was stored: the write was refused before reaching the store.
    pub fn unchanged(value: T) -> Written<T> {
        Written { value, changed: false }
    }

    /// The registry changed: the views are brought up to date before the answer.
    pub fn changed(value: T) -> Written<T> {
        Written { value, changed: true }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Written<U> {
        Written { value: f(self.value), changed: self.changed }
    }
}

impl Written<Result<String, Vec<Problem>>> {
    /// The outcome of storing the record `key`: saved (changed unless it was identical), or
    /// refused with its problems; other store failures are the server's.
    pub fn of(result: Result<WriteSummary, StoreError>, key: String) -> Result<Self, WebError> {
        match result {
            Ok(summary) => Ok(Written { value: Ok(key), changed: summary.changed_anything() }),
            Err(StoreError::Invalid(refused)) => {
                Ok(Written::unchanged(Err(refused.into_iter().flat_map(|r| r.problems.0).collect())))
            }
            Err(e) => Err(WebError::Store(e)),
        }
    }
}

#[derive(Debug)]
struct Inner {
    store: Store,
    /// Held by a write until the views show it, so that writes and rebuilds take turns.
    writing: Mutex<()>,
    views: RwLock<Arc<Views>>,
    options: Options,
    /// One permit per processor for the work of reading pages: fifty connections asking at
    /// once queue here as cheap tasks instead of becoming fifty threads that share two
    /// cores — and memory — while each takes fifty times longer.
    workers: tokio::sync::Semaphore,
    /// The secret of the one-time link that makes the first administrator, while the
    /// registry has no account (see [`AppState::setup_link`]).
    setup: Mutex<Option<String>>,
    /// The search index, kept current by a thread of its own ([`keep_index`]).
    index: LiveIndex,
}

/// The application's shared state. Cloning it is cheap.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    /// Opens the registry at `location` (creating it and bringing its schema up to date) with
    /// a writer and `options.readers` reading connections, and builds the views.
    pub fn open(location: impl Into<Location>, options: Options) -> Result<AppState, StartError> {
        let store_options = StoreOptions { home_country: options.home_country, readers: options.readers };
        AppState::from_store(Store::open(location, store_options)?, options)
    }

    /// The application over a store already open.
    pub fn from_store(store: Store, options: Options) -> Result<AppState, StartError> {
        let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        let version = format!("{started:x}-0");
        let began = std::time::Instant::now();
        let (views, resumed) = match Views::resume(&store, &options, version.clone())? {
            Some(views) => (views, true),
            None => (Views::load(&store, &options, version)?, false),
        };
        let how = if resumed { "read back from the model beside the database" } else { "read whole" };
        tracing::info!(activities = views.snapshot.len(), took_ms = began.elapsed().as_millis(), "views {how}");
        let workers = std::thread::available_parallelism().map_or(2, usize::from);
        let workers = tokio::sync::Semaphore::new(workers);
        let views = RwLock::new(Arc::new(views));
        let file = store.location().file().is_some();
        let setup = Mutex::new(None);
        let index = LiveIndex::open(store.location(), options.search_index.as_deref())?;
        let state = AppState(Arc::new(Inner { store, writing: Mutex::new(()), views, options, workers, setup, index }));
        if resumed {
            let _writing = state.0.writing.lock().unwrap_or_else(PoisonError::into_inner);
            state.catch_up()?;
        } else if file {
            // Kept beside the database, so that the next start reads it back.
            state.persist()?;
        }
        if !matches!(state.0.store.location(), Location::Memory) {
            follow_changes(Arc::downgrade(&state.0), state.0.store.watcher()?);
        }
        keep_index(Arc::downgrade(&state.0), Arc::clone(&state.0.index.poke));
        Ok(state)
    }

    /// Writes the views beside the database file (`coopera_report::persist`), for the next
    /// start: `serve` does it when it stops, and a start that read the registry whole does it
    /// at once. Nothing for a database in memory.
    pub fn persist(&self) -> Result<(), StartError> {
        let Some(db) = self.0.store.location().file() else { return Ok(()) };
        let views = self.views();
        let mark = coopera_report::persist::Mark::at(&self.0.store, views.feed)?;
        let path = coopera_report::persist::path_beside(db);
        coopera_report::persist::save(&path, &views.registry, &views.snapshot, &mark, &load_options(&self.0.options))
            .map_err(|e| StartError::Persist(path.display().to_string(), e.to_string()))
    }

    pub fn options(&self) -> &Options {
        &self.0.options
    }

    /// The store, for what the application does outside the request handlers (demo
    /// accounts at start). Handlers go through [`AppState::read`] and [`AppState::write`].
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// When the registry has no account: the path of a one-time page (`/setup/SECRET`) that
    /// makes the first administrator, for `serve` to print. `None` once there is an account.
    pub fn setup_link(&self) -> Result<Option<String>, StartError> {
        if !self.0.store.accounts()?.is_empty() {
            return Ok(None);
        }
        let mut setup = self.0.setup.lock().unwrap_or_else(PoisonError::into_inner);
        let secret = match setup.as_ref() {
            Some(s) => s.clone(),
            None => {
                let s = coopera_store::accounts::random_password()?;
                *setup = Some(s.clone());
                s
            }
        };
        Ok(Some(format!("/setup/{secret}")))
    }

    /// Whether `secret` is the setup link's, which it can be only once: a match forgets it.
    pub(crate) fn take_setup(&self, secret: &str) -> bool {
        let mut setup = self.0.setup.lock().unwrap_or_else(PoisonError::into_inner);
        let matches = setup.as_deref().is_some_and(|s| crate::auth::same(s, secret));
        if matches {
            *setup = None;
        }
        matches
    }

    /// Whether `secret` is the setup link's, without using it.
    pub(crate) fn is_setup(&self, secret: &str) -> bool {
        let setup = self.0.setup.lock().unwrap_or_else(PoisonError::into_inner);
        setup.as_deref().is_some_and(|s| crate::auth::same(s, secret))
    }

    /// The search index (searched through [`LiveIndex::current`], which catches it up first).
    pub(crate) fn index(&self) -> &LiveIndex {
        &self.0.index
    }

    /// The current views of the registry.
    pub(crate) fn views(&self) -> Arc<Views> {
        Arc::clone(&self.0.views.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Runs `f` on a blocking thread with a reading connection and the current views.
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Store, &Views) -> Result<T, WebError> + Send + 'static,
    {
        let _turn = self.turn().await?;
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let views = state.views();
            f(&state.0.store, &views)
        })
        .await
        .map_err(|e| WebError::internal(format!("a blocking task failed: {e}")))?
    }

    /// Waits for a worker to be free (see `Inner::workers`).
    async fn turn(&self) -> Result<tokio::sync::SemaphorePermit<'_>, WebError> {
        self.0.workers.acquire().await.map_err(|e| WebError::internal(format!("workers closed: {e}")))
    }

    /// Runs `f` here, with a reading connection and the current views: only from a thread
    /// that may block (a blocking task that streams a download).
    pub(crate) fn blocking_read<T>(&self, f: impl FnOnce(&Store, &Views) -> T) -> T {
        let views = self.views();
        f(&self.0.store, &views)
    }

    /// Runs `f` on a blocking thread over the current views only (no database).
    pub(crate) async fn compute<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Views) -> Result<T, WebError> + Send + 'static,
    {
        let _turn = self.turn().await?;
        let views = self.views();
        tokio::task::spawn_blocking(move || f(&views))
            .await
            .map_err(|e| WebError::internal(format!("a blocking task failed: {e}")))?
    }

    /// Runs `f` on a blocking thread, one write at a time; when it changed the registry, the
    /// views are rebuilt before the next write starts, so the next page shows the change. A refused or identical write costs no rebuild.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<Written<T>, WebError> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let _writing = state.0.writing.lock().unwrap_or_else(PoisonError::into_inner);
            let store = &state.0.store;
            let out = f(store)?;
            if out.changed {
                // The search index follows on its own thread; a search catches it up anyway.
                state.0.index.poke.poke();
                state.catch_up().map_err(|e| match e {
                    StartError::Store(e) => WebError::Store(e),
                    StartError::Report(e) => WebError::Report(e),
                    other => WebError::internal(other.to_string()),
                })?;
            }
            Ok(out.value)
        })
        .await
        .map_err(|e| WebError::internal(format!("a blocking task failed: {e}")))?
    }
}

/// Past this many entries of the change feed, the views are read again whole rather than
/// change by change (a large import).
const FEED_BATCH: u32 = 20_000;

/// How long a write waits for the requests still reading the views to finish, so that it can
/// change them in place; past it, the change goes into a copy of the views (a long download
/// holds them). No new request takes the views meanwhile, and at most one per worker is
/// reading them: a search over a million activities takes about 100 ms here, a copy of their
/// views seconds.
const IN_PLACE_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

fn next_version(current: &str) -> String {
    match current.rsplit_once('-') {
        Some((start, n)) => format!("{start}-{}", n.parse::<u64>().unwrap_or(0).saturating_add(1)),
        None => format!("{current}-1"),
    }
}

impl Views {
    /// Forgets what was computed over the views before a change.
    fn changed(&mut self, feed: u64) {
        self.version = next_version(&self.version);
        self.feed = feed;
        *self.reports.get_mut().unwrap_or_else(PoisonError::into_inner) = HashMap::new();
        *self.selections.get_mut().unwrap_or_else(PoisonError::into_inner) = Vec::new();
        *self.members.get_mut().unwrap_or_else(PoisonError::into_inner) = HashMap::new();
        *self.pages.get_mut().unwrap_or_else(PoisonError::into_inner) = Pages::default();
        *self.tracks.get_mut().unwrap_or_else(PoisonError::into_inner) = HashMap::new();
        *self.hides.get_mut().unwrap_or_else(PoisonError::into_inner) = HashMap::new();
    }
}

/// What the change feed says the views must take in.
#[derive(Debug, Default)]
struct Pending {
    /// Activities created, updated or re-derived.
    activities: std::collections::BTreeSet<String>,
    /// Organisations created or updated (a new one is taken in; a changed one asks for a
    /// whole read).
    organisations: std::collections::BTreeSet<String>,
    /// The exchange rates changed, or too much changed: read everything.
    whole: bool,
    /// Something the views do not hold changed (a capacity, an action): only pages drawn
    /// before are stale.
    other: bool,
    head: u64,
}

impl AppState {
    /// Brings the views up to date with the change feed — this process's writes and every
    /// other's: the activities that changed are read again and taken in place
    /// ([`Snapshot::apply`], [`Registry::apply`]); a change to an organisation or to rates,
    /// or a large batch reads the views again whole.
    /// Called with `writing` held.
    fn catch_up(&self) -> Result<(), StartError> {
        let store = &self.0.store;
        let seen = self.views().feed;
        let entries = store.changes_since(seen, FEED_BATCH.saturating_add(1))?;
        let Some(&(last, _)) = entries.last() else { return Ok(()) };
        let mut pending = Pending { whole: entries.len() > FEED_BATCH as usize, head: last, ..Pending::default() };
        for (_, entry) in entries {
            match entry {
                FeedEntry::Record { kind: RecordKind::Activity, key } => {
                    pending.activities.insert(key);
                }
                FeedEntry::Record { kind: RecordKind::Organisation, key } => {
                    pending.organisations.insert(key);
                }
                FeedEntry::Rates => pending.whole = true,
                FeedEntry::Record { .. } => pending.other = true,
            }
        }
        let began = std::time::Instant::now();
        let changes = pending.activities.len().saturating_add(pending.organisations.len());
        if !pending.whole && self.take_in(&pending)? {
            tracing::debug!(changes, took_ms = began.elapsed().as_millis(), "changes taken in place");
            return Ok(());
        }
        let views = Views::load(store, &self.0.options, next_version(&self.views().version))?;
        *self.0.views.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(views);
        tracing::info!(changes, took_ms = began.elapsed().as_millis(), "views read again whole");
        Ok(())
    }

    /// Takes the changed activities into the views in place; `false` when they must be read
    /// again whole instead.
    fn take_in(&self, pending: &Pending) -> Result<bool, StartError> {
        let mut organisations = Vec::with_capacity(pending.organisations.len());
        for key in &pending.organisations {
            match self.0.store.organisation(key)? {
                Some(o) => organisations.push(o),
                None => return Ok(false),
            }
        }
        let keys: Vec<String> = pending.activities.iter().cloned().collect();
        let mut facts = Vec::with_capacity(keys.len());
        self.0.store.report_facts_of(&keys, &mut |f| facts.push(f.clone()))?;
        if facts.len() != keys.len() {
            // An activity is gone: only a whole read knows what that removes.
            return Ok(false);
        }
        {
            let mut lock = self.0.views.write().unwrap_or_else(PoisonError::into_inner);
            // Requests that took the views before the lock still read them: wait a moment
            // for them.
            let waiting = std::time::Instant::now();
            while waiting.elapsed() <= IN_PLACE_WAIT {
                if let Some(views) = Arc::get_mut(&mut lock) {
                    return Ok(Views::take_in(views, &organisations, &facts, pending.head));
                }
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
        }
        // They are still at it (a long download, searches over a large registry): the change
        // goes into a copy, which replaces the views once it holds it; they finish on the
        // views they took. Writes wait on `writing`, so nothing else changes the views meanwhile.
        let current = self.views();
        let mut copy =
            Views::over(current.version.clone(), current.feed, current.registry.clone(), current.snapshot.clone());
        drop(current);
        if !Views::take_in(&mut copy, &organisations, &facts, pending.head) {
            return Ok(false);
        }
        *self.0.views.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(copy);
        Ok(true)
    }
}

impl Views {
    /// Takes new organisations and changed activities into these views; `false`, when they
    /// must be read whole instead.
    fn take_in(views: &mut Views, organisations: &[Organisation], facts: &[ReportFacts], head: u64) -> bool {
        if !organisations.is_empty() {
            if !views.snapshot.add_organisations(organisations) {
                return false;
            }
            views.registry.add_organisations(organisations);
        }
        let mut applied = Vec::with_capacity(facts.len());
        if !views.snapshot.apply(facts, &mut |position, f| applied.push((position, f.clone()))) {
            return false;
        }
        views.registry.apply(&applied);
        views.changed(head);
        true
    }
}

/// How long the follower waits for a change before it looks whether the application still
/// lives (it reads nothing then).
const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// Follows the change feed on a thread of its own while the application lives: when another
/// process has written (a `coopera import` beside a running server, another server on the same
/// database), the views take its changes in, so they show within a moment. The store's
/// [`Watcher`](coopera_store::Watcher) says when to look: on PostgreSQL a notification of the
/// write; on a SQLite file a short interval, each look one indexed read.
fn follow_changes(inner: std::sync::Weak<Inner>, mut watcher: coopera_store::Watcher) {
    let spawned = std::thread::Builder::new().name("coopera-follow".into()).spawn(move || {
        loop {
            let woken = watcher.wait(FOLLOW_EVERY);
            let Some(inner) = inner.upgrade() else { return };
            match woken {
                Ok(coopera_store::Woken::Quiet) => continue,
                Ok(coopera_store::Woken::Look) => {}
                Err(e) => {
                    eprintln!("coopera: cannot listen for changes: {}", e.message(Lang::En));
                    continue;
                }
            }
            let state = AppState(inner);
            let seen = state.views().feed;
            match state.0.store.feed_head() {
                Ok(head) if head > seen => {
                    state.0.index.poke.poke();
                    let _writing = state.0.writing.lock().unwrap_or_else(PoisonError::into_inner);
                    // A write of this process may have brought the views up to date meanwhile.
                    if state.views().feed < head
                        && let Err(e) = state.catch_up()
                    {
                        eprintln!("coopera: the views could not follow a change: {}", e.message(Lang::En));
                    }
                }
                Ok(_) => {}
                Err(e) => eprintln!("coopera: the change feed could not be read: {}", e.message(Lang::En)),
            }
        }
    });
    if let Err(e) = spawned {
        eprintln!("coopera: changes made by other processes will not show until a restart: {e}");
    }
}

/// Keeps the search index current on a thread of its own while the application lives: builds
/// it first (when missing or of another version — searches wait for that), then catches it up
/// whenever [`Poke`] says the registry changed: after a write of this server, and when the
/// follower of the change feed ([`follow_changes`]) saw another process's. A search catches
/// it up too before it reads, so this only keeps that cheap.
fn keep_index(inner: std::sync::Weak<Inner>, poke: Arc<Poke>) {
    let weak = inner.clone();
    let spawned = std::thread::Builder::new().name("coopera-index".into()).spawn(move || {
        match weak.upgrade() {
            Some(inner) => inner.index.first_build(&inner.store),
            None => return,
        }
        loop {
            let poked = poke.wait(FOLLOW_EVERY);
            let Some(inner) = weak.upgrade() else { return };
            if poked && let Err(e) = inner.index.catch_up(&inner.store) {
                tracing::warn!(error = %e, "the search index could not follow a change; the next search tries again");
            }
        }
    });
    if let Err(e) = spawned {
        eprintln!("coopera: the search index is built at the first search instead: {e}");
        if let Some(inner) = inner.upgrade() {
            inner.index.stop_waiting();
        }
    }
}

/// How a client takes a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Identity,
    Gzip,
}

impl Encoding {
    /// Gzip when the request's `Accept-Encoding` lists it without refusing it (`gzip;q=0`).
    pub fn accepted(headers: &axum::http::HeaderMap) -> Encoding {
        let gzip =
            headers.get_all(axum::http::header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|v| {
                v.split(',').any(|item| {
                    let mut parts = item.split(';').map(str::trim);
                    let name = parts.next().unwrap_or("");
                    let refused = parts.any(|p| {
                        let q = p.split_once('=').filter(|(k, _)| k.trim().eq_ignore_ascii_case("q"));
                        q.and_then(|(_, v)| v.trim().parse::<f32>().ok()) == Some(0.0)
                    });
                    (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
                })
            });
        if gzip { Encoding::Gzip } else { Encoding::Identity }
    }
}

impl Page {
    /// The page as an HTML response in `encoding` (already compressed, so the compression
    /// layer leaves it as it is).
    pub fn response(&self, encoding: Encoding) -> axum::response::Response {
        use axum::http::{HeaderValue, header};
        use axum::response::IntoResponse as _;
        let body = match encoding {
            Encoding::Gzip => self.gzip.get_or_init(|| gzip(&self.html)).clone(),
            Encoding::Identity => self.html.clone(),
        };
        let mut response = body.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        headers.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        if encoding == Encoding::Gzip {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// While a request still reads the views (a download, a search over a million rows), a
    /// write does not wait for it, nor read the registry whole: the change goes into a copy.
    #[test]
    fn a_change_goes_into_a_copy_while_a_request_holds_the_views() {
        use coopera_store::Record;
        let org = |json: &str| {
            let doc: coopera_domain::doc::OrganisationDoc = serde_json::from_str(json).expect("fixture");
            Record::Organisation(doc.into_domain().expect("valid"))
        };
        let activity = |title: &str| {
            let doc = format!(
                r#"{{"id":"MX-COPY-1","reporting_org":"amexcid","title":"{title}","instrument":"project",
                "cooperation_type":"technical-scientific","modality":"bilateral","status":"2",
                "participants":[{{"org":"amexcid","role":"provider"}},{{"org":"gt-gov","role":"recipient"}}],
                "sectors":[{{"code":"41010"}}],"countries":[{{"code":"GT"}}],"dates":{{"planned_start":"2015-02-01"}}}}"#
            );
            let doc: coopera_domain::doc::ActivityDoc = serde_json::from_str(&doc).expect("fixture");
            Record::Activity(Box::new(doc.into_domain().expect("valid")))
        };
        let state = AppState::open(Location::Memory, Options::default()).expect("app");
        let catch_up = |records: Vec<Record>| {
            let _writing = state.0.writing.lock().unwrap_or_else(PoisonError::into_inner);
            state.0.store.record("test", records).expect("write");
            state.catch_up().expect("caught up");
        };
        catch_up(vec![
            org(r#"{"key":"amexcid","name":"AMEXCID","kind":"10","level":"federal","country":"MX"}"#),
            org(
                r#"{"key":"gt-gov","name":"Gobierno de Guatemala","kind":"10","level":"foreign-government","country":"GT"}"#,
            ),
            activity("Curso primero"),
        ]);
        let held = state.views();
        catch_up(vec![activity("Curso segundo")]);
        let now = state.views();
        assert!(!Arc::ptr_eq(&held, &now));
        assert_eq!((held.snapshot.rows(), held.snapshot.len()), (1, 1), "the request's views are as they were");
        assert_eq!((now.snapshot.rows(), now.snapshot.len()), (2, 1), "taken in, not read whole");
        let title = |v: &Views| format!("{:?}", v.registry.activities());
        assert!(title(&now).contains("Curso segundo") && !title(&held).contains("Curso segundo"));
    }

    #[test]
    fn gzip_is_taken_unless_refused() {
        let check = |accept: Option<&str>, expected: Encoding| {
            let mut headers = axum::http::HeaderMap::new();
            if let Some(a) = accept {
                headers.insert(axum::http::header::ACCEPT_ENCODING, a.parse().expect("header"));
            }
            assert_eq!(Encoding::accepted(&headers), expected, "{accept:?}");
        };
        check(None, Encoding::Identity);
        check(Some("gzip, deflate, br"), Encoding::Gzip);
        check(Some("br;q=1.0, GZIP;q=0.5"), Encoding::Gzip);
        check(Some("gzip;q=0"), Encoding::Identity);
        check(Some("gzip; q=0.0"), Encoding::Identity);
        check(Some("gzip;q=0.000"), Encoding::Identity);
        check(Some("gzip;q=0.001"), Encoding::Gzip);
        check(Some("*"), Encoding::Gzip);
        check(Some("deflate"), Encoding::Identity);
        check(Some("identity"), Encoding::Identity);
    }
}
