//! The search index the server keeps beside the registry (`coopera_search::live`): opened at
//! start, built in the background by a thread of its own, caught up whenever the registry
//! changes — this server's writes and, through the change feed, every other process's — and
//! caught up again before each search, so that a record saved is found at once and an index
//! behind the registry is never searched.
//!
//! Until the first build is done a search waits for it, at most [`BUILD_WAIT`]; past that it
//! is answered 503 with a message that says the index is being built.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use coopera_search::live::{self, Freshness, Live};
use coopera_store::{Location, Store};

use crate::error::WebError;

/// How long a search waits for the first build of the index before it is answered 503.
pub(crate) const BUILD_WAIT: Duration = Duration::from_secs(15);

/// The index and what keeps it current.
#[derive(Debug)]
pub(crate) struct LiveIndex {
    live: Live,
    dir: PathBuf,
    /// Catching up takes turns: two at once would apply the same changes twice.
    turn: Mutex<()>,
    /// `true` once the build (or check) at start is done, whether or not it succeeded.
    built: tokio::sync::watch::Sender<bool>,
    /// Wakes the thread that keeps the index current.
    pub(crate) poke: Arc<Poke>,
    /// Declared last, so that it is dropped after the index: the folder of a registry in
    /// memory, removed when the application stops.
    _temporary: Option<TemporaryDir>,
}

/// Where the index of a registry is kept: the folder given, or `coopera_search`'s default
/// beside the registry (a temporary folder for a registry in memory, which no other process
/// can open).
fn place(location: &Location, given: Option<&Path>) -> (PathBuf, Option<TemporaryDir>) {
    match (given, location) {
        (Some(dir), _) => (dir.to_owned(), None),
        (None, Location::Memory) => {
            let dir = TemporaryDir::new();
            (dir.0.clone(), Some(dir))
        }
        (None, _) => (live::default_dir(location), None),
    }
}

impl LiveIndex {
    /// Opens (or creates) the index; it is built or caught up later, by [`LiveIndex::catch_up`].
    pub fn open(location: &Location, given: Option<&Path>) -> Result<LiveIndex, coopera_search::SearchError> {
        let (mut dir, mut temporary) = place(location, given);
        let live = match Live::open(&dir) {
            Ok(live) => live,
            Err(e) => {
                // The index is derived data: a folder it cannot use must not keep the registry
                // from being served. A temporary index is built instead, and the log says why.
                tracing::error!(dir = %dir.display(), error = %e, "search index unusable: a temporary one is built instead");
                let fallback = TemporaryDir::new();
                dir = fallback.0.clone();
                temporary = Some(fallback);
                Live::open(&dir)?
            }
        };
        Ok(LiveIndex {
            live,
            dir,
            turn: Mutex::new(()),
            built: tokio::sync::watch::Sender::new(false),
            poke: Arc::new(Poke::default()),
            _temporary: temporary,
        })
    }

    /// Brings the index up to the registry's change feed: one read of the feed's head when it
    /// is current.
    pub fn catch_up(&self, store: &Store) -> Result<Freshness, coopera_search::SearchError> {
        let _turn = self.turn.lock().unwrap_or_else(PoisonError::into_inner);
        let began = std::time::Instant::now();
        let freshness = self.live.catch_up(store)?;
        match freshness {
            Freshness::Current => {}
            Freshness::CaughtUp { entries } => {
                tracing::debug!(entries, took_ms = began.elapsed().as_millis(), "search index caught up");
            }
            Freshness::Rebuilt { documents } => tracing::info!(
                documents,
                dir = %self.dir.display(),
                took_ms = began.elapsed().as_millis(),
                "search index built"
            ),
        }
        Ok(freshness)
    }

    /// The first catch-up, by the thread that keeps the index: a build when the index is
    /// missing or of another version. Searches waiting for it go on afterwards, even when it
    /// failed (they try again, and say why).
    pub fn first_build(&self, store: &Store) {
        if let Err(e) = self.catch_up(store) {
            tracing::error!(error = %e, dir = %self.dir.display(), "the search index could not be built");
        }
        self.stop_waiting();
    }

    /// Lets the searches waiting for the first build go on.
    pub fn stop_waiting(&self) {
        self.built.send_replace(true);
    }

    /// Waits for the first build, at most [`BUILD_WAIT`]; past it, 503.
    pub async fn ready(&self) -> Result<(), WebError> {
        let mut built = self.built.subscribe();
        match tokio::time::timeout(BUILD_WAIT, built.wait_for(|b| *b)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(_)) => Err(WebError::internal("the search index's build was abandoned")),
            Err(_) => Err(WebError::unavailable(
                "el índice de búsqueda se está construyendo; vuelva a intentarlo en unos momentos",
                "the search index is being built; try again in a moment",
            )),
        }
    }

    /// The index caught up with the registry, ready to search. When catching up fails but the
    /// index was built (another process, a second server on the same database, holds its
    /// writer and keeps it current), it is searched as it is, as `coopera search` does.
    pub fn current(&self, store: &Store) -> Result<&Live, WebError> {
        match self.catch_up(store) {
            Ok(_) => Ok(&self.live),
            Err(e) if self.live.index().stamp().is_some() => {
                tracing::warn!(error = %e, "search index not caught up: searched as it is");
                Ok(&self.live)
            }
            Err(e) => Err(WebError::internal(format!("search index: {e}"))),
        }
    }
}

/// A wake-up call for the thread that keeps the index: a flag and its condition variable.
#[derive(Debug, Default)]
pub(crate) struct Poke {
    poked: Mutex<bool>,
    wake: Condvar,
}

impl Poke {
    /// Says that the registry changed.
    pub fn poke(&self) {
        *self.poked.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.wake.notify_one();
    }

    /// Waits for a poke, at most `timeout`; whether there was one (and forgets it).
    pub fn wait(&self, timeout: Duration) -> bool {
        let poked = self.poked.lock().unwrap_or_else(PoisonError::into_inner);
        let (mut poked, _) =
            self.wake.wait_timeout_while(poked, timeout, |p| !*p).unwrap_or_else(PoisonError::into_inner);
        std::mem::replace(&mut *poked, false)
    }
}

/// A folder under the system's temporary folder, removed with everything in it when dropped.
#[derive(Debug)]
struct TemporaryDir(PathBuf);

/// The start of a temporary index folder's name; the process's id follows.
const TEMPORARY_PREFIX: &str = "coopera-search-";

impl TemporaryDir {
    fn new() -> TemporaryDir {
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        if n == 0 {
            sweep_abandoned();
        }
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("{TEMPORARY_PREFIX}{}-{nanos:x}-{n}", std::process::id()));
        TemporaryDir(dir)
    }
}

/// Removes the temporary index folders of processes that are gone: a process that exits
/// while a folder is still in use (a test binary, with an index being built) leaves it. Only
/// where `/proc` says which processes run.
fn sweep_abandoned() {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(TEMPORARY_PREFIX).and_then(|rest| rest.split('-').next()) else { continue };
        if pid.parse::<u32>().is_ok() && !proc.join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl Drop for TemporaryDir {
    fn drop(&mut self) {
        // Nothing else uses the folder; what cannot be removed stays in the temporary folder.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
