//! Reading IATI activity files: plain or gzip-compressed, UTF-8 or UTF-16 with a byte-order
//! mark, any version from 1.0x to 2.03, one activity at a time.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub mod map;
pub mod org;
pub mod xml;

use coopera_domain::Lang;
use map::{MapOptions, Mapped, Warning, map_activity};
use xml::{ActivityStream, Limits, XmlError};

/// How a file is read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub limits: Limits,
    /// Largest decompressed size accepted from a `.gz` file, in bytes (default 2 GiB).
    pub max_decompressed: Option<u64>,
    pub map: MapOptions,
}

const DEFAULT_MAX_DECOMPRESSED: u64 = 2 << 30;

/// Why a file could not be opened or read to its end. Nothing of such a file is imported.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Xml(#[from] XmlError),
    #[error("the decompressed file is larger than {0} bytes")]
    TooLarge(u64),
    #[error("the file is UTF-16 but its bytes do not decode")]
    BadUtf16,
}

impl ReadError {
    /// The problem in the user's language. The position of an XML error is left to the caller,
    /// which prints it as `file:line:column`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ReadError::Xml(e), _) => e.kind.message(lang),
            (ReadError::Io(e), Lang::Es) => format!("no se puede leer el archivo: {e}"),
            (ReadError::TooLarge(n), Lang::Es) => format!("el archivo descomprimido pasa de {n} bytes"),
            (ReadError::BadUtf16, Lang::Es) => "el archivo es UTF-16 pero sus bytes no se decodifican".to_owned(),
            (other, _) => other.to_string(),
        }
    }
}

/// A reader that fails once more than `limit` bytes came through: a guard against
/// decompression bombs. `hit` tells the caller, whose parser only sees an I/O error, why.
struct Bounded<R> {
    inner: R,
    left: u64,
    limit: u64,
    hit: Arc<AtomicBool>,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            self.hit.store(true, Ordering::Relaxed);
            return Err(std::io::Error::other(format!("decompressed size exceeds {} bytes", self.limit)));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Opens `path` as a byte stream of UTF-8 XML, decompressing and transcoding as needed.
///
/// A `.gz` file (recognised by its magic bytes, whatever its name) that decompresses to more
/// than `ReadOptions::max_decompressed` bytes fails with an I/O error when the limit is
/// passed; [`FileReader`] reports it as [`ReadError::TooLarge`].
pub fn open_bytes(path: &Path, options: &ReadOptions) -> Result<Box<dyn BufRead>, ReadError> {
    open_bounded(path, options).map(|(bytes, _)| bytes)
}

fn open_bounded(path: &Path, options: &ReadOptions) -> Result<(Box<dyn BufRead>, Arc<AtomicBool>), ReadError> {
    decode(File::open(path)?, options)
}

/// A file's bytes as stored, made a stream of UTF-8 XML; `hit` is set when the decompressed
/// size passes the limit.
fn decode(input: impl Read + 'static, options: &ReadOptions) -> Result<(Box<dyn BufRead>, Arc<AtomicBool>), ReadError> {
    let mut file = BufReader::with_capacity(1 << 16, input);
    let gzip = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let limit = options.max_decompressed.unwrap_or(DEFAULT_MAX_DECOMPRESSED);
    let hit = Arc::new(AtomicBool::new(false));
    let too_large = |e: std::io::Error, hit: &AtomicBool| {
        if hit.load(Ordering::Relaxed) { ReadError::TooLarge(limit) } else { ReadError::Io(e) }
    };
    let mut reader: Box<dyn BufRead> = if gzip {
        let decoder = flate2::read::MultiGzDecoder::new(file);
        Box::new(BufReader::with_capacity(1 << 16, Bounded { inner: decoder, left: limit, limit, hit: hit.clone() }))
    } else {
        Box::new(file)
    };
    let head = reader.fill_buf().map_err(|e| too_large(e, &hit))?;
    let utf16 = match head {
        [0xff, 0xfe, ..] => Some(false),
        [0xfe, 0xff, ..] => Some(true),
        _ => None,
    };
    if let Some(big_endian) = utf16 {
        // UTF-16 files are rare and small: transcode whole, within the same bound.
        let mut bytes = Vec::new();
        Bounded { inner: reader, left: limit, limit, hit: hit.clone() }
            .read_to_end(&mut bytes)
            .map_err(|e| too_large(e, &hit))?;
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| if big_endian { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) })
            .collect();
        let text = String::from_utf16(&units).map_err(|_| ReadError::BadUtf16)?;
        // The declaration says UTF-16; the bytes are now UTF-8.
        let text = text.replacen("encoding=\"UTF-16\"", "encoding=\"UTF-8\"", 1).replacen(
            "encoding='UTF-16'",
            "encoding='UTF-8'",
            1,
        );
        return Ok((Box::new(Cursor::new(text.into_bytes())), hit));
    }
    if head.starts_with(&[0xef, 0xbb, 0xbf]) {
        reader.consume(3);
    }
    Ok((reader, hit))
}

/// One activity read from a file: mapped, or refused with the reason.
#[derive(Debug)]
pub enum Item {
    Activity {
        line: u32,
        mapped: Box<Mapped>,
    },
    /// An activity that cannot be imported at all (no identifier).
    Refused(Warning),
}

/// The activities of one file, in order.
pub struct FileReader {
    stream: ActivityStream<Box<dyn BufRead>>,
    /// Set when the decompressed size passed `ReadOptions::max_decompressed`.
    limit_hit: Option<(Arc<AtomicBool>, u64)>,
    /// The file's IATI version (`@version` of the root), `2.03` when absent.
    pub version: String,
    options: MapOptions,
}

impl std::fmt::Debug for FileReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileReader").field("version", &self.version).finish()
    }
}

impl FileReader {
    pub fn open(path: &Path, options: &ReadOptions) -> Result<FileReader, ReadError> {
        FileReader::start(open_bounded(path, options)?, options)
    }

    /// Reads the contents of a file as they are stored — plain or gzip, UTF-8 or UTF-16 —
    /// the way [`FileReader::open`] reads the file at a path: for bytes that come from
    /// elsewhere than a path (an upload, a test, a fuzzer).
    pub fn from_file_contents(input: impl Read + 'static, options: &ReadOptions) -> Result<FileReader, ReadError> {
        FileReader::start(decode(input, options)?, options)
    }

    fn start(
        (bytes, hit): (Box<dyn BufRead>, Arc<AtomicBool>),
        options: &ReadOptions,
    ) -> Result<FileReader, ReadError> {
        let limit = options.max_decompressed.unwrap_or(DEFAULT_MAX_DECOMPRESSED);
        let limit_hit = Some((hit, limit));
        let stream = ActivityStream::new(bytes, options.limits).map_err(|e| read_error(e, &limit_hit))?;
        Ok(FileReader::with_stream(stream, limit_hit, options))
    }

    /// Reads bytes that are already UTF-8 XML (nothing is decompressed or transcoded).
    pub fn from_reader(bytes: Box<dyn BufRead>, options: &ReadOptions) -> Result<FileReader, ReadError> {
        let stream = ActivityStream::new(bytes, options.limits)?;
        Ok(FileReader::with_stream(stream, None, options))
    }

    fn with_stream(
        stream: ActivityStream<Box<dyn BufRead>>,
        limit_hit: Option<(Arc<AtomicBool>, u64)>,
        options: &ReadOptions,
    ) -> FileReader {
        let version = stream.root.attr_trim("version").unwrap_or("2.03").to_owned();
        FileReader { stream, limit_hit, version, options: options.map.clone() }
    }
}

/// A parse error, or the decompression limit that caused it.
fn read_error(e: XmlError, limit_hit: &Option<(Arc<AtomicBool>, u64)>) -> ReadError {
    match limit_hit {
        Some((hit, limit)) if hit.load(Ordering::Relaxed) => ReadError::TooLarge(*limit),
        _ => ReadError::Xml(e),
    }
}

impl Iterator for FileReader {
    type Item = Result<Item, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let element = match self.stream.next()? {
            Ok(e) => e,
            Err(e) => return Some(Err(read_error(e, &self.limit_hit))),
        };
        Some(Ok(match map_activity(&element, &self.options, &self.version) {
            Ok(mapped) => Item::Activity { line: element.line, mapped: Box::new(mapped) },
            Err(w) => Item::Refused(w),
        }))
    }
}
