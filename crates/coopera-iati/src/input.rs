//! The one input layer under the IATI reader and the validator: a file's bytes as stored —
//! plain or gzip (told by its magic bytes, whatever its name, within a bound on the
//! decompressed size), UTF-8, UTF-16 with or without a byte-order mark, or ISO-8859-1 or
//! windows-1252 as its XML declaration says — become one stream of UTF-8 XML. `coopera import`
//! and `coopera validate` read the same text from the same bytes, and refuse what they refuse
//! with the same [`InputError`].
//!
//! The declaration of a transcoded file is rewritten to say UTF-8 (what the bytes now are),
//! padded with spaces so that what follows it on its line keeps its column.

use std::io::{self, BufRead, BufReader, Read};

use coopera_domain::Lang;

/// Largest decompressed size accepted from a gzip file unless told otherwise: 2 GiB.
pub const DEFAULT_MAX_DECOMPRESSED: u64 = 2 << 30;

/// How the bytes of a file are text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Latin1,
    Windows1252,
}

/// Why the bytes of a file do not make UTF-8 XML. Nothing of such a file is read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// A gzip file that decompresses to more than the limit: a guard against decompression
    /// bombs.
    #[error("the decompressed file is larger than {0} bytes")]
    TooLarge(u64),
    /// The XML declaration names an encoding that is not read.
    #[error("unsupported encoding `{0}`; the file must be UTF-8, UTF-16, ISO-8859-1 or windows-1252")]
    Encoding(String),
    /// Bytes that are not valid in the file's encoding (`UTF-16 (lone surrogate)`…).
    #[error("the bytes are not valid {0}")]
    Malformed(&'static str),
}

impl InputError {
    /// The problem in the user's language, without a place (callers place it).
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (InputError::TooLarge(n), Lang::Es) => format!("el archivo descomprimido pasa de {n} bytes"),
            (InputError::Encoding(name), Lang::Es) => format!(
                "codificación `{name}` no admitida; el archivo debe estar en UTF-8, UTF-16, ISO-8859-1 o windows-1252"
            ),
            (InputError::Malformed(what), Lang::Es) => format!("los bytes no son {what} válido"),
        }
    }

    /// The input error an I/O error carries, when this layer raised it: the parsers above
    /// only pass I/O errors on.
    pub fn of(e: &io::Error) -> Option<&InputError> {
        e.get_ref().and_then(|inner| inner.downcast_ref::<InputError>())
    }

    fn into_io(self) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, self)
    }
}

/// Opens the bytes of a file as UTF-8 XML. See [`Utf8Input`].
pub fn open<R: Read>(bytes: R, max_decompressed: u64) -> io::Result<Utf8Input<R>> {
    Utf8Input::new(bytes, max_decompressed)
}

/// A reader that fails once more than `limit` bytes came through.
struct Bounded<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            self.left = 0;
            return Err(InputError::TooLarge(self.limit).into_io());
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// The bytes as stored, decompressed when they are gzip.
enum Stored<R: Read> {
    Plain(BufReader<R>),
    Gzip(Box<BufReader<Bounded<flate2::bufread::MultiGzDecoder<BufReader<R>>>>>),
}

impl<R: Read> Read for Stored<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stored::Plain(r) => r.read(buf),
            Stored::Gzip(r) => r.read(buf),
        }
    }
}

impl<R: Read> BufRead for Stored<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self {
            Stored::Plain(r) => r.fill_buf(),
            Stored::Gzip(r) => r.fill_buf(),
        }
    }

    fn consume(&mut self, amt: usize) {
        match self {
            Stored::Plain(r) => r.consume(amt),
            Stored::Gzip(r) => r.consume(amt),
        }
    }
}

/// How far the encoding is looked for: the XML declaration must fit.
const HEAD: usize = 1024;

/// A file's bytes as a stream of UTF-8: passed through when they are UTF-8 already,
/// transcoded as they come otherwise, so memory stays bounded whatever the encoding.
///
/// An error of the input itself (the decompressed size passed the limit, an encoding that is
/// not read, bytes not valid in theirs) comes out of `read` as an I/O error that carries the
/// [`InputError`] ([`InputError::of`]), and again on every later read.
pub struct Utf8Input<R: Read> {
    inner: Stored<R>,
    encoding: Encoding,
    compressed: bool,
    /// Bytes read ahead to tell the encoding, served before `inner`.
    head: Vec<u8>,
    head_pos: usize,
    /// Transcoded UTF-8 (for encodings other than UTF-8).
    out: Vec<u8>,
    out_pos: usize,
    /// Bytes of a UTF-16 unit or surrogate pair left over from the previous chunk.
    carry: Vec<u8>,
    /// Whether the declaration of a transcoded file still has to be rewritten.
    declaration: bool,
    error: Option<InputError>,
}

impl<R: Read> std::fmt::Debug for Utf8Input<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Utf8Input")
            .field("encoding", &self.encoding)
            .field("compressed", &self.compressed)
            .field("error", &self.error)
            .finish()
    }
}

impl<R: Read> Utf8Input<R> {
    /// Reads enough of `bytes` to tell compression and encoding. Only a failure to read at all
    /// is an error here; what is wrong with the bytes comes out of the first read.
    pub fn new(bytes: R, max_decompressed: u64) -> io::Result<Utf8Input<R>> {
        let mut plain = BufReader::with_capacity(1 << 16, bytes);
        let compressed = plain.fill_buf()?.starts_with(&[0x1f, 0x8b]);
        let inner = if compressed {
            let decoder = flate2::bufread::MultiGzDecoder::new(plain);
            let bounded = Bounded { inner: decoder, left: max_decompressed, limit: max_decompressed };
            Stored::Gzip(Box::new(BufReader::with_capacity(1 << 16, bounded)))
        } else {
            Stored::Plain(plain)
        };
        let mut input = Utf8Input {
            inner,
            encoding: Encoding::Utf8,
            compressed,
            head: Vec::new(),
            head_pos: 0,
            out: Vec::new(),
            out_pos: 0,
            carry: Vec::new(),
            declaration: false,
            error: None,
        };
        if let Err(e) = input.read_head() {
            input.error = Some(InputError::of(&e).cloned().ok_or(e)?);
            return Ok(input);
        }
        let (encoding, skip) = detect(&input.head);
        input.head_pos = skip;
        match encoding {
            Ok(e) => input.encoding = e,
            Err(e) => input.error = Some(e),
        }
        input.declaration = input.encoding != Encoding::Utf8;
        Ok(input)
    }

    /// Up to the end of the XML declaration, if there is one, within [`HEAD`] bytes.
    fn read_head(&mut self) -> io::Result<()> {
        while self.head.len() < HEAD {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let take = buf.len().min(HEAD - self.head.len());
            self.head.extend_from_slice(&buf[..take]);
            self.inner.consume(take);
            let head = &self.head;
            if head.len() >= 4 && (!head.starts_with(b"<?xml") || head.windows(2).any(|w| w == b"?>")) {
                break;
            }
        }
        Ok(())
    }

    /// The encoding the bytes were read in.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Whether the bytes were gzip.
    pub fn compressed(&self) -> bool {
        self.compressed
    }

    /// The error that stopped the input, if one did.
    pub fn error(&self) -> Option<&InputError> {
        self.error.as_ref()
    }

    fn fail(&mut self, e: InputError) -> io::Error {
        self.error = Some(e.clone());
        e.into_io()
    }

    /// An error of the bytes below: kept when it is the input's own, so it comes again.
    fn below(&mut self, e: io::Error) -> io::Error {
        if let Some(input) = InputError::of(&e) {
            self.error = Some(input.clone());
        }
        e
    }

    /// Fills `out` with the next transcoded chunk; false at the end of the input.
    fn transcode(&mut self) -> io::Result<bool> {
        self.out.clear();
        self.out_pos = 0;
        let mut raw = std::mem::take(&mut self.carry);
        if self.head_pos < self.head.len() {
            raw.extend_from_slice(&self.head[self.head_pos..]);
            self.head_pos = self.head.len();
        } else {
            let chunk = match self.inner.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) => return Err(self.below(e)),
            };
            let n = chunk.len();
            raw.extend_from_slice(chunk);
            self.inner.consume(n);
            if n == 0 && raw.is_empty() {
                return Ok(false);
            }
            if n == 0 {
                return Err(self.fail(InputError::Malformed("UTF-16 (odd number of bytes)")));
            }
        }
        match self.encoding {
            Encoding::Utf8 => self.out.extend_from_slice(&raw),
            Encoding::Latin1 => raw.iter().for_each(|&b| push_char(&mut self.out, char::from(b))),
            Encoding::Windows1252 => {
                for &b in &raw {
                    match windows1252(b) {
                        Some(c) => push_char(&mut self.out, c),
                        None => return Err(self.fail(InputError::Malformed("windows-1252"))),
                    }
                }
            }
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let used = match utf16_to_utf8(&raw, self.encoding == Encoding::Utf16Le, &mut self.out) {
                    Ok(used) => used,
                    Err(e) => return Err(self.fail(e)),
                };
                self.carry.extend_from_slice(&raw[used..]);
            }
        }
        if self.declaration {
            self.declaration = false;
            rewrite_declaration(&mut self.out);
        }
        Ok(true)
    }
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Appends the characters of whole UTF-16 units of `raw`; returns how many bytes it used (a
/// last odd byte, or a high surrogate without its low one yet, wait for the next chunk).
fn utf16_to_utf8(raw: &[u8], little_endian: bool, out: &mut Vec<u8>) -> Result<usize, InputError> {
    let unit = |k: usize| {
        let pair = [raw[k], raw[k + 1]];
        if little_endian { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
    };
    const LONE: InputError = InputError::Malformed("UTF-16 (lone surrogate)");
    let mut i = 0;
    while i + 1 < raw.len() {
        let u = unit(i);
        if (0xD800..0xDC00).contains(&u) {
            if i + 3 >= raw.len() {
                break; // the low surrogate is in the next chunk
            }
            let low = unit(i + 2);
            if !(0xDC00..0xE000).contains(&low) {
                return Err(LONE);
            }
            let c = 0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
            push_char(out, char::from_u32(c).ok_or(LONE)?);
            i += 4;
        } else {
            push_char(out, char::from_u32(u32::from(u)).ok_or(LONE)?);
            i += 2;
        }
    }
    Ok(i)
}

/// The encoding the first bytes tell, and the length of the byte-order mark to skip.
fn detect(head: &[u8]) -> (Result<Encoding, InputError>, usize) {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return (Ok(Encoding::Utf8), 3);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return (Ok(Encoding::Utf16Le), 2);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return (Ok(Encoding::Utf16Be), 2);
    }
    if head.starts_with(&[b'<', 0, b'?', 0]) {
        return (Ok(Encoding::Utf16Le), 0);
    }
    if head.starts_with(&[0, b'<', 0, b'?']) {
        return (Ok(Encoding::Utf16Be), 0);
    }
    if !head.starts_with(b"<?xml") {
        return (Ok(Encoding::Utf8), 0);
    }
    let end = head.windows(2).position(|w| w == b"?>").unwrap_or(head.len());
    let declaration = String::from_utf8_lossy(&head[..end]);
    let Some((start, len)) = encoding_value(&declaration) else { return (Ok(Encoding::Utf8), 0) };
    let name = &declaration[start..start + len];
    let encoding = match name.to_ascii_lowercase().as_str() {
        "utf-8" | "utf8" | "us-ascii" | "ascii" => Ok(Encoding::Utf8),
        "iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1" => Ok(Encoding::Latin1),
        "windows-1252" | "cp1252" => Ok(Encoding::Windows1252),
        // UTF-16 declared in a file that starts in ASCII: the declaration is wrong.
        _ => Err(InputError::Encoding(name.to_owned())),
    };
    (encoding, 0)
}

/// Where the value of the declaration's `encoding="…"` starts, and its length in bytes.
fn encoding_value(declaration: &str) -> Option<(usize, usize)> {
    let name = "encoding";
    let mut from = 0;
    while let Some(i) = declaration[from..].find(name) {
        let at = from + i + name.len();
        let after = &declaration[at..];
        let trimmed = after.trim_start();
        if let Some(value) = trimmed.strip_prefix('=') {
            let value_trimmed = value.trim_start();
            let quote = value_trimmed.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let start = declaration.len() - value_trimmed.len() + 1;
            let len = declaration[start..].find(quote)?;
            return Some((start, len));
        }
        from = at;
    }
    None
}

/// Makes the declaration at the start of `text` (already UTF-8) say so: `encoding="UTF-8"`,
/// followed by as many spaces as the old name was longer.
fn rewrite_declaration(text: &mut Vec<u8>) {
    if !text.starts_with(b"<?xml") {
        return;
    }
    let Some(end) = text.windows(2).position(|w| w == b"?>") else { return };
    let Ok(declaration) = std::str::from_utf8(&text[..end]) else { return };
    let Some((start, len)) = encoding_value(declaration) else { return };
    let padding = len.saturating_sub("UTF-8".len());
    let mut replacement = b"UTF-8".to_vec();
    replacement.push(text[start + len]); // the closing quote
    replacement.extend(std::iter::repeat_n(b' ', padding));
    text.splice(start..=start + len, replacement);
}

/// windows-1252 bytes; the five it leaves undefined are errors.
fn windows1252(b: u8) -> Option<char> {
    const HIGH: [u16; 32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D,
        0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,
        0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => match HIGH[usize::from(b - 0x80)] {
            0 => None,
            u => char::from_u32(u32::from(u)),
        },
        _ => Some(char::from(b)),
    }
}

impl<R: Read> Read for Utf8Input<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Utf8Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if let Some(e) = &self.error {
            return Err(e.clone().into_io());
        }
        if self.encoding == Encoding::Utf8 {
            if self.head_pos < self.head.len() {
                return Ok(&self.head[self.head_pos..]);
            }
            // Asked twice so that an error can be kept before the bytes are lent; the second
            // call only returns the buffer the first filled.
            if let Err(e) = self.inner.fill_buf() {
                return Err(self.below(e));
            }
            return self.inner.fill_buf();
        }
        while self.out_pos >= self.out.len() {
            if !self.transcode()? {
                break;
            }
        }
        Ok(&self.out[self.out_pos..])
    }

    fn consume(&mut self, amt: usize) {
        if self.encoding != Encoding::Utf8 {
            self.out_pos = (self.out_pos + amt).min(self.out.len());
        } else if self.head_pos < self.head.len() {
            self.head_pos = (self.head_pos + amt).min(self.head.len());
        } else {
            self.inner.consume(amt);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<String, io::Error> {
        let mut input = open(bytes, DEFAULT_MAX_DECOMPRESSED)?;
        let mut out = String::new();
        input.read_to_string(&mut out)?;
        Ok(out)
    }

    fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
        let mut bytes = match (bom, little_endian) {
            (false, _) => Vec::new(),
            (true, true) => vec![0xFF, 0xFE],
            (true, false) => vec![0xFE, 0xFF],
        };
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&if little_endian { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        bytes
    }

    #[test]
    fn every_encoding_becomes_the_same_utf8() {
        let utf8 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>Educación é𝄞</a>";
        let utf16_text = utf8.replace("UTF-8", "UTF-16");
        let padded = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?><a>Educación é𝄞</a>";
        for little_endian in [true, false] {
            for bom in [true, false] {
                let bytes = utf16(&utf16_text, little_endian, bom);
                assert_eq!(decode(&bytes).unwrap(), padded, "little endian {little_endian}, BOM {bom}");
            }
        }
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(utf8.as_bytes());
        assert_eq!(decode(&with_bom).unwrap(), utf8);
        assert_eq!(decode(utf8.as_bytes()).unwrap(), utf8);

        let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>Educaci\xf3n</a>";
        assert_eq!(decode(latin1).unwrap(), "<?xml version='1.0' encoding='UTF-8'     ?><a>Educación</a>");
        let cp = b"<?xml version=\"1.0\" encoding = \"windows-1252\" standalone=\"yes\"?>\n<a>\x80</a>";
        assert_eq!(
            decode(cp).unwrap(),
            "<?xml version=\"1.0\" encoding = \"UTF-8\"        standalone=\"yes\"?>\n<a>€</a>"
        );
    }

    #[test]
    fn a_transcoded_declaration_keeps_the_columns_after_it() {
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9</a>";
        let text = decode(latin1).unwrap();
        assert_eq!(text.find("<a>"), latin1.windows(3).position(|w| w == b"<a>"));
    }

    #[test]
    fn what_cannot_be_decoded_is_refused_with_its_reason() {
        let error = |bytes: &[u8]| {
            let e = decode(bytes).expect_err("refused");
            InputError::of(&e).cloned()
        };
        assert_eq!(
            error(b"<?xml version=\"1.0\" encoding=\"EBCDIC\"?><a/>"),
            Some(InputError::Encoding("EBCDIC".into()))
        );
        assert_eq!(
            error(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>\x81</a>"),
            Some(InputError::Malformed("windows-1252"))
        );
        let mut lone = utf16("<a>", true, true);
        lone.extend_from_slice(&0xD800u16.to_le_bytes());
        lone.extend_from_slice(&u16::from(b'x').to_le_bytes());
        assert_eq!(error(&lone), Some(InputError::Malformed("UTF-16 (lone surrogate)")));
        let mut odd = utf16("<a/>", false, true);
        odd.push(0);
        assert_eq!(error(&odd), Some(InputError::Malformed("UTF-16 (odd number of bytes)")));
        assert_eq!(
            InputError::Encoding("EBCDIC".into()).message(Lang::Es),
            "codificación `EBCDIC` no admitida; el archivo debe estar en UTF-8, UTF-16, ISO-8859-1 o windows-1252"
        );
    }

    #[test]
    fn utf16_split_anywhere_decodes_alike() {
        let text = "<a>𝄞é𝄞</a>";
        let bytes = utf16(text, true, true);
        for size in 1..8 {
            // A reader that hands out `size` bytes at a time splits units and pairs.
            struct Chunks<'a>(&'a [u8], usize);
            impl Read for Chunks<'_> {
                fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                    let n = self.1.min(buf.len()).min(self.0.len());
                    buf[..n].copy_from_slice(&self.0[..n]);
                    self.0 = &self.0[n..];
                    Ok(n)
                }
            }
            let mut out = String::new();
            open(Chunks(&bytes, size), DEFAULT_MAX_DECOMPRESSED).unwrap().read_to_string(&mut out).unwrap();
            assert_eq!(out, text, "chunks of {size}");
        }
    }

    #[test]
    fn gzip_is_decompressed_within_its_limit() {
        use std::io::Write as _;
        let text = format!("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>{}</a>", "x".repeat(10_000));
        let latin1: Vec<u8> = text.chars().map(|c| c as u8).collect();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&latin1).unwrap();
        let gz = gz.finish().unwrap();
        let mut input = open(gz.as_slice(), DEFAULT_MAX_DECOMPRESSED).unwrap();
        assert!(input.compressed());
        assert_eq!(input.encoding(), Encoding::Latin1);
        let mut out = String::new();
        input.read_to_string(&mut out).unwrap();
        assert_eq!(out.len(), text.len());
        for limit in [100, 5_000] {
            let mut input = open(gz.as_slice(), limit).unwrap();
            let e = input.read_to_string(&mut String::new()).expect_err("over the limit");
            assert_eq!(InputError::of(&e), Some(&InputError::TooLarge(limit)), "{limit}");
            let again = input.read(&mut [0; 16]).expect_err("stays refused");
            assert_eq!(InputError::of(&again), Some(&InputError::TooLarge(limit)));
        }
    }
}
