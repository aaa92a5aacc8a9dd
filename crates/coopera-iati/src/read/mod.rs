//! Reading IATI activity files one activity at a time, any version from 1.0x to 2.03. The
//! bytes go through the input layer the validator reads through too ([`crate::input`]): plain
//! or gzip, UTF-8, UTF-16, ISO-8859-1 or windows-1252.

use std::fs::File;
use std::io::{BufRead, Read};
use std::path::Path;

pub mod map;
pub mod org;
pub mod xml;

use coopera_domain::Lang;
use map::{MapOptions, Mapped, Warning, map_activity};
use xml::{ActivityStream, Limits, XmlError};

use crate::input::{DEFAULT_MAX_DECOMPRESSED, Utf8Input};

/// How a file is read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub limits: Limits,
    /// Largest decompressed size accepted from a `.gz` file, in bytes (default 2 GiB).
    pub max_decompressed: Option<u64>,
    pub map: MapOptions,
}

impl ReadOptions {
    fn max_decompressed(&self) -> u64 {
        self.max_decompressed.unwrap_or(DEFAULT_MAX_DECOMPRESSED)
    }
}

/// Why a file could not be opened or read to its end. Nothing of such a file is imported.
///
/// Bytes that do not make UTF-8 XML (a decompressed size over the limit, an encoding not
/// read) are an [`XmlError`] of kind [`xml::XmlErrorKind::Input`], at the place the reading
/// stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Xml(#[from] XmlError),
}

impl ReadError {
    /// The problem in the user's language. The position of an XML error is left to the caller,
    /// which prints it as `file:line:column`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ReadError::Xml(e), _) => e.kind.message(lang),
            (ReadError::Io(e), Lang::Es) => format!("no se puede leer el archivo: {e}"),
            (other, _) => other.to_string(),
        }
    }
}

/// Opens `path` as a byte stream of UTF-8 XML, decompressing and transcoding as needed
/// ([`crate::input`]); the decompressed size is bounded by `ReadOptions::max_decompressed`.
pub fn open_bytes(path: &Path, options: &ReadOptions) -> Result<Box<dyn BufRead>, ReadError> {
    Ok(Box::new(Utf8Input::new(File::open(path)?, options.max_decompressed())?))
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
        FileReader::from_reader(open_bytes(path, options)?, options)
    }

    /// Reads the contents of a file as they are stored — plain or gzip, in any encoding the
    /// input layer reads — the way [`FileReader::open`] reads the file at a path: for bytes
    /// that come from elsewhere than a path (an upload, a test, a fuzzer).
    pub fn from_file_contents(input: impl Read + 'static, options: &ReadOptions) -> Result<FileReader, ReadError> {
        FileReader::from_reader(Box::new(Utf8Input::new(input, options.max_decompressed())?), options)
    }

    /// Reads bytes that are already UTF-8 XML (nothing is decompressed or transcoded).
    pub fn from_reader(bytes: Box<dyn BufRead>, options: &ReadOptions) -> Result<FileReader, ReadError> {
        let stream = ActivityStream::new(bytes, options.limits)?;
        let version = stream.root.attr_trim("version").unwrap_or("2.03").to_owned();
        Ok(FileReader { stream, version, options: options.map.clone() })
    }
}

impl Iterator for FileReader {
    type Item = Result<Item, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let element = match self.stream.next()? {
            Ok(e) => e,
            Err(e) => return Some(Err(ReadError::Xml(e))),
        };
        Some(Ok(match map_activity(&element, &self.options, &self.version) {
            Ok(mapped) => Item::Activity { line: element.line, mapped: Box::new(mapped) },
            Err(w) => Item::Refused(w),
        }))
    }
}
