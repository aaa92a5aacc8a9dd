//! The index beside a registry: where it lives ([`default_dir`]) and how it keeps up with the
//! registry's writes ([`Live::catch_up`]). The index's stamp is the number of the change-feed
//! entry it has reached; catching up reads the entries since, re-reads the records they name
//! and applies them in one commit — or rebuilds the whole index when it was never built,
//! was built by another version, is ahead of the registry (a restored or another database)
//! or an organisation changed (its name is in the documents of its records). A reader that
//! catches up before it searches is never served an index behind the registry.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use coopera_domain::catalog::Capacity;
use coopera_domain::kinds::WorkflowState;
use coopera_store::{FeedEntry, Location, RecordKind, ReportFacts, Store, StoreError};

use crate::{DocKind, OrgNames, Result, SearchDoc, SearchError, SearchIndex, Stamp, Track};

/// Past this many feed entries behind, rebuilding is cheaper than catching up.
const CATCH_UP_LIMIT: u32 = 20_000;

/// Where the index of a registry lives when not told: beside a SQLite file
/// (`coopera.db.search`); for PostgreSQL, in the user's data folder, one per server and
/// database (`~/.local/share/coopera/search/127.0.0.1-5432-coopera`).
pub fn default_dir(location: &Location) -> PathBuf {
    if let Some(file) = location.file() {
        let mut name = file.as_os_str().to_owned();
        name.push(".search");
        return PathBuf::from(name);
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    let shown = location.to_string();
    let tail = shown.rsplit_once('@').map_or(shown.as_str(), |(_, t)| t);
    let tail = tail.split_once("://").map_or(tail, |(_, t)| t);
    let name: String = tail.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '-' }).collect();
    data.join("coopera").join("search").join(name)
}

/// What catching up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// The index was current.
    Current,
    /// The changes of `entries` feed entries were applied.
    CaughtUp { entries: usize },
    /// The index was built anew from the registry's `documents` records.
    Rebuilt { documents: usize },
}

fn store(e: StoreError) -> SearchError {
    SearchError::Internal(e.message(coopera_domain::Lang::En))
}

/// A search index kept in step with one registry.
#[derive(Debug)]
pub struct Live {
    index: SearchIndex,
}

impl Live {
    pub fn open(dir: &Path) -> Result<Live> {
        Ok(Live { index: SearchIndex::open(dir)? })
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Brings the index up to the registry's change feed (see the module's documentation).
    pub fn catch_up(&self, registry: &Store) -> Result<Freshness> {
        let head = registry.feed_head().map_err(store)?;
        let Some(stamp) = self.index.stamp() else { return self.rebuild(registry) };
        if stamp.seq == head {
            return Ok(Freshness::Current);
        }
        if stamp.seq > head || head.saturating_sub(stamp.seq) > u64::from(CATCH_UP_LIMIT) {
            return self.rebuild(registry);
        }
        let mut keys: [BTreeSet<String>; 3] = Default::default();
        let mut after = stamp.seq;
        let mut entries = 0usize;
        while after < head {
            let batch = registry.changes_since(after, CATCH_UP_LIMIT).map_err(store)?;
            let Some(last) = batch.last().map(|b| b.0) else { break };
            for (_, entry) in batch {
                entries = entries.saturating_add(1);
                match entry {
                    FeedEntry::Record { kind: RecordKind::Organisation, .. } => return self.rebuild(registry),
                    FeedEntry::Record { kind: RecordKind::Capacity, key } => drop(keys[0].insert(key)),
                    FeedEntry::Record { kind: RecordKind::Demand, key } => drop(keys[1].insert(key)),
                    FeedEntry::Record { kind: RecordKind::Activity, key } => drop(keys[2].insert(key)),
                    FeedEntry::Record { .. } | FeedEntry::Rates => {}
                }
            }
            after = last;
        }
        let names = OrgNames::new(&registry.organisations().map_err(store)?);
        let (mut upserts, mut deletes) = (Vec::new(), Vec::new());
        for key in &keys[0] {
            match registry.capacity(key).map_err(store)?.filter(in_catalog) {
                Some(c) => upserts.push(SearchDoc::capacity(&c, &names)),
                None => deletes.push((DocKind::Capacity, key.clone())),
            }
        }
        for key in &keys[1] {
            match registry.demand(key).map_err(store)? {
                Some(d) => upserts.push(SearchDoc::demand(&d, &names)),
                None => deletes.push((DocKind::Demand, key.clone())),
            }
        }
        let activities: Vec<String> = keys[2].iter().cloned().collect();
        let mut found = BTreeSet::new();
        registry
            .report_facts_of(&activities, &mut |f: &ReportFacts| {
                found.insert(f.key.clone());
                upserts.push(SearchDoc::activity_facts(f, &names));
            })
            .map_err(store)?;
        deletes.extend(activities.into_iter().filter(|k| !found.contains(k)).map(|k| (DocKind::Activity, k)));
        self.index.apply(upserts, deletes, Stamp { seq: after })?;
        Ok(Freshness::CaughtUp { entries })
    }

    /// Builds the index anew from every capacity, demand and activity of the registry.
    pub fn rebuild(&self, registry: &Store) -> Result<Freshness> {
        // The feed's head is read first: what is written meanwhile is caught up next time.
        let head = registry.feed_head().map_err(store)?;
        let names = OrgNames::new(&registry.organisations().map_err(store)?);
        // The documents stream into the writer: none is held beyond its turn.
        let mut rebuilding = self.index.begin_rebuild()?;
        let mut documents = 0usize;
        for c in registry.capacities().map_err(store)?.into_iter().filter(in_catalog) {
            rebuilding.add(&SearchDoc::capacity(&c, &names))?;
            documents = documents.saturating_add(1);
        }
        for d in registry.demands().map_err(store)? {
            rebuilding.add(&SearchDoc::demand(&d, &names))?;
            documents = documents.saturating_add(1);
        }
        let mut failed = None;
        registry
            .report_facts(&mut |f: &ReportFacts| {
                if failed.is_none() {
                    match rebuilding.add(&SearchDoc::activity_facts(f, &names)) {
                        Ok(()) => documents = documents.saturating_add(1),
                        Err(e) => failed = Some(e),
                    }
                }
            })
            .map_err(store)?;
        if let Some(e) = failed {
            return Err(e);
        }
        rebuilding.finish(Stamp { seq: head })?;
        Ok(Freshness::Rebuilt { documents })
    }
}

/// Whether a capacity is in the published catalog, which search and matching hold: a draft,
/// or one on its way through validation, is found once it is published (and no longer once
/// it goes back to draft).
fn in_catalog(capacity: &Capacity) -> bool {
    capacity.parts().workflow == WorkflowState::Published
}

/// The institutions' record with partner countries and regions, from the registry's
/// activities (see [`Track::count`]).
pub fn track(registry: &Store, region_of: fn(&str) -> Option<&'static str>) -> Result<Track> {
    let mut track = Track { region_of, ..Track::default() };
    registry
        .report_facts(&mut |f: &ReportFacts| {
            let givers: Vec<&str> = f.participants.iter().filter(|p| p.1.gives()).map(|p| p.0.as_str()).collect();
            let countries: Vec<&str> = f.countries.iter().map(|c| c.0.as_str()).collect();
            let regions: Vec<&str> = f.regions.iter().map(|r| r.0.as_str()).collect();
            track.count(&givers, &countries, &regions);
        })
        .map_err(store)?;
    Ok(track)
}
