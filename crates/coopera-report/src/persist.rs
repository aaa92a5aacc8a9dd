//! The read model kept beside the database (`coopera.db.model`), so that a server starts in
//! the time it takes to read it back rather than to read the registry whole: the snapshot's
//! columns and the list's rows as they were at one entry of the change feed, checked against
//! the database when read (that entry must be there, the number of activities must match, the
//! options and the format must be the same) and brought up to date from the feed since.
//! Anything that does not check out is ignored: the model is then read from the database, as
//! without a file.
//!
//! The format is Coopera's own: little-endian numbers and length-prefixed columns, one file
//! written to a temporary name and renamed, so a reader never sees half of one.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use coopera_store::{FeedEntry, Store};

use crate::list::Registry;
use crate::{LoadOptions, ReportError, Snapshot};

/// The format's name and version: a file of another version is ignored. Version 3 keeps
/// what decides who sees each activity (workflow state, reporting organisation, states in
/// scope), which a model of version 2 lacks: it is read from the database again.
const MAGIC: &[u8; 16] = b"coopera-model-03";

/// Where the model of the database at `db` is kept.
pub fn path_beside(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".model");
    PathBuf::from(name)
}

/// What the model was read at: the change feed's newest entry then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub head: u64,
    pub entry: Option<FeedEntry>,
}

impl Mark {
    /// The store's newest feed entry now.
    pub fn of(store: &Store) -> Result<Mark, ReportError> {
        Mark::at(store, store.feed_head()?)
    }

    /// The feed entry numbered `head`.
    pub fn at(store: &Store, head: u64) -> Result<Mark, ReportError> {
        let entry = match head.checked_sub(1) {
            Some(before) => {
                store.changes_since(before, 1)?.into_iter().next().filter(|(n, _)| *n == head).map(|(_, e)| e)
            }
            None => None,
        };
        Ok(Mark { head, entry })
    }
}

/// Writes the model to `path` (through a temporary file renamed over it).
pub fn save(
    path: &Path,
    registry: &Registry,
    snapshot: &Snapshot,
    mark: &Mark,
    options: &LoadOptions,
) -> io::Result<()> {
    let mut e = Encoder(Vec::with_capacity(1 << 10));
    e.0.extend_from_slice(MAGIC);
    e.u64(fingerprint(options));
    e.u64(mark.head);
    encode_entry(&mut e, mark.entry.as_ref());
    // Three sections — the snapshot's columns and the list's rows in two halves — written,
    // and read back, side by side.
    let half = registry.rows() / 2;
    let sections: Vec<Vec<u8>> = std::thread::scope(|scope| {
        let columns = scope.spawn(|| {
            let mut c = Encoder(Vec::with_capacity(64 << 20));
            snapshot.encode(&mut c);
            c.0
        });
        let first = scope.spawn(|| {
            let mut r = Encoder(Vec::with_capacity(64 << 20));
            registry.encode_rows(&mut r, 0..half);
            r.0
        });
        let mut second = Encoder(Vec::with_capacity(64 << 20));
        registry.encode_rows(&mut second, half..registry.rows());
        vec![columns.join().unwrap_or_default(), first.join().unwrap_or_default(), second.0]
    });
    for section in &sections {
        e.len(section.len());
    }
    let tmp = {
        let mut name = path.as_os_str().to_owned();
        name.push(".tmp");
        PathBuf::from(name)
    };
    let mut file = io::BufWriter::new(std::fs::File::create(&tmp)?);
    file.write_all(&e.0)?;
    for section in &sections {
        file.write_all(section)?;
    }
    let file = file.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// Reads the model at `path` back, if it is there and checks out against `store`: the
/// registry, the snapshot and the feed entry they are at. `None` means "read the registry".
pub fn load(
    path: &Path,
    store: &Store,
    options: &LoadOptions,
) -> Result<Option<(Registry, Snapshot, u64)>, ReportError> {
    let Ok(mut file) = std::fs::File::open(path) else { return Ok(None) };
    let mut header = vec![0u8; 4096];
    let Ok(n) = read_up_to(&mut file, &mut header) else { return refused(path, "unreadable") };
    header.truncate(n);
    let mut d = Decoder::over(&header);
    if d.take(MAGIC.len()) != Some(MAGIC.as_slice()) || d.u64() != Some(fingerprint(options)) {
        return refused(path, "another version or other options");
    }
    let (Some(head), Some(entry)) = (d.u64(), decode_entry(&mut d)) else { return refused(path, "damaged") };
    let Some(lengths) = (0..3).map(|_| d.u64()).collect::<Option<Vec<u64>>>() else {
        return refused(path, "damaged");
    };
    // The database must hold the entry the model was read at, under the same number.
    let here = match head.checked_sub(1) {
        Some(before) => store.changes_since(before, 1)?.into_iter().next(),
        None => None,
    };
    if here != entry.map(|e| (head, e)) || store.feed_head()? < head {
        return refused(path, "made for another database");
    }
    let mut sections = Vec::with_capacity(3);
    let mut at = d.at as u64;
    for len in lengths {
        sections.push((at, len));
        at = at.saturating_add(len);
    }
    if std::fs::metadata(path).map(|m| m.len()).ok() != Some(at) {
        return refused(path, "cut short");
    }
    let organisations = store.organisations()?;
    let rates = store.exchange_rates()?;
    // Each section read and decoded by its own thread, with its own reader of the file.
    let read = |(offset, len): (u64, u64)| -> Option<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = std::fs::File::open(path).ok()?;
        f.seek(SeekFrom::Start(offset)).ok()?;
        let mut buf = vec![0u8; usize::try_from(len).ok()?];
        f.read_exact(&mut buf).ok()?;
        Some(buf)
    };
    // Rows, and each one's identifier and number in the snapshot.
    let rows = |n: usize| {
        let rows = Registry::decode_rows(&mut Decoder::over(&read(sections[n])?))?;
        let keys: Vec<(String, u32)> =
            rows.iter().filter_map(|r| r.position.map(|p| (r.key.clone(), p as u32))).collect();
        Some((rows, keys))
    };
    let (snapshot, first, second) = std::thread::scope(|scope| {
        let snapshot = scope.spawn(|| {
            let bytes = read(sections[0])?;
            Snapshot::decode(&mut Decoder::over(&bytes), &organisations, &rates, options)
        });
        let first = scope.spawn(|| rows(1));
        let second = rows(2);
        (snapshot.join().ok().flatten(), first.join().ok().flatten(), second)
    });
    let (Some(mut snapshot), Some((mut rows, mut keys)), Some((more_rows, more_keys))) = (snapshot, first, second)
    else {
        return refused(path, "damaged");
    };
    rows.extend(more_rows);
    keys.extend(more_keys);
    // The snapshot's index by identifier, made beside the list's own.
    let (keys, registry) = std::thread::scope(|scope| {
        let keys = scope.spawn(move || keys.into_iter().collect::<HashMap<String, u32>>());
        let registry = Registry::from_rows(rows, &organisations, options);
        (keys.join().unwrap_or_default(), registry)
    });
    if registry.len() != snapshot.len() {
        return refused(path, "damaged");
    }
    snapshot.set_keys(keys);
    // With nothing changed since, the registry holds exactly the model's activities.
    if store.feed_head()? == head
        && usize::try_from(store.count_activities(&coopera_store::ActivityFilter::default())?).ok()
            != Some(snapshot.len())
    {
        return refused(path, "its activities are not the database's");
    }
    Ok(Some((registry, snapshot, head)))
}

/// No model to read back: says why in the log, for whoever wonders at a slow start.
fn refused<T>(path: &Path, why: &str) -> Result<Option<T>, ReportError> {
    tracing::info!(path = %path.display(), "the model beside the database is not used: {why}");
    Ok(None)
}

/// Reads into `buf` until it is full or the file ends; returns how much was read.
fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> io::Result<usize> {
    use std::io::Read;
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n = n.saturating_add(k),
        }
    }
    Ok(n)
}

/// What makes two loads of the same registry give different models.
fn fingerprint(options: &LoadOptions) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    options.home_country.as_str().hash(&mut h);
    options.in_kind_rates.canonical().hash(&mut h);
    h.finish()
}

fn encode_entry(e: &mut Encoder, entry: Option<&FeedEntry>) {
    match entry {
        None => e.u8(0),
        Some(FeedEntry::Rates) => e.u8(1),
        Some(FeedEntry::Record { kind, key }) => {
            e.u8(2);
            e.str(kind.as_str());
            e.str(key);
        }
    }
}

/// `Some(None)` for no entry; `None` for a malformed one.
fn decode_entry(d: &mut Decoder<'_>) -> Option<Option<FeedEntry>> {
    Some(match d.u8()? {
        0 => None,
        1 => Some(FeedEntry::Rates),
        2 => {
            let kind = coopera_domain::record::RecordKind::parse(&d.str()?)?;
            Some(FeedEntry::Record { kind, key: d.str()? })
        }
        _ => return None,
    })
}

/// Appends values in the model's format.
#[derive(Debug)]
pub(crate) struct Encoder(pub Vec<u8>);

impl Encoder {
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }

    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    pub fn bytes(&mut self, v: &[u8]) {
        self.len(v.len());
        self.0.extend_from_slice(v);
    }

    pub fn u16s(&mut self, v: &[u16]) {
        self.len(v.len());
        self.0.reserve(v.len().saturating_mul(2));
        v.iter().for_each(|x| self.0.extend_from_slice(&x.to_le_bytes()));
    }

    pub fn i16s(&mut self, v: &[i16]) {
        self.len(v.len());
        self.0.reserve(v.len().saturating_mul(2));
        v.iter().for_each(|x| self.0.extend_from_slice(&x.to_le_bytes()));
    }

    pub fn u32s(&mut self, v: &[u32]) {
        self.len(v.len());
        self.0.reserve(v.len().saturating_mul(4));
        v.iter().for_each(|x| self.0.extend_from_slice(&x.to_le_bytes()));
    }

    pub fn i64s(&mut self, v: &[i64]) {
        self.len(v.len());
        self.0.reserve(v.len().saturating_mul(8));
        v.iter().for_each(|x| self.0.extend_from_slice(&x.to_le_bytes()));
    }

    pub fn u64s(&mut self, v: &[u64]) {
        self.len(v.len());
        self.0.reserve(v.len().saturating_mul(8));
        v.iter().for_each(|x| self.0.extend_from_slice(&x.to_le_bytes()));
    }
}

/// Reads values in the model's format; `None` past the end or for a value out of range.
#[derive(Debug)]
pub(crate) struct Decoder<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Decoder<'a> {
    pub fn over(bytes: &'a [u8]) -> Decoder<'a> {
        Decoder { bytes, at: 0 }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let out = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(out)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    pub fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    pub fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    pub fn len(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok().filter(|n| *n <= self.bytes.len())
    }

    /// A string borrowed from the file (codes, read without a copy).
    pub fn str_ref(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    pub fn str(&mut self) -> Option<String> {
        let n = self.len()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }

    pub fn bytes(&mut self) -> Option<Vec<u8>> {
        let n = self.len()?;
        Some(self.take(n)?.to_vec())
    }

    pub fn u16s(&mut self) -> Option<Vec<u16>> {
        let n = self.len()?;
        let raw = self.take(n.checked_mul(2)?)?;
        Some(raw.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
    }

    pub fn i16s(&mut self) -> Option<Vec<i16>> {
        let n = self.len()?;
        let raw = self.take(n.checked_mul(2)?)?;
        Some(raw.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect())
    }

    pub fn u32s(&mut self) -> Option<Vec<u32>> {
        let n = self.len()?;
        let raw = self.take(n.checked_mul(4)?)?;
        Some(raw.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }

    pub fn i64s(&mut self) -> Option<Vec<i64>> {
        let n = self.len()?;
        let raw = self.take(n.checked_mul(8)?)?;
        Some(raw.chunks_exact(8).map(|c| i64::from_le_bytes(c.try_into().unwrap_or([0; 8]))).collect())
    }

    pub fn u64s(&mut self) -> Option<Vec<u64>> {
        let n = self.len()?;
        let raw = self.take(n.checked_mul(8)?)?;
        Some(raw.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8]))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Another process reads the model back only if it computes the same fingerprint: the
    /// in-kind table is a map, whose order differs from one map to the next.
    #[test]
    fn the_fingerprint_does_not_depend_on_a_map_order() {
        let first = fingerprint(&LoadOptions::default());
        for _ in 0..20 {
            assert_eq!(fingerprint(&LoadOptions::default()), first);
        }
    }
}
