//! The byte stream under the XML reader: it detects the encoding (a byte-order mark or the
//! XML declaration) and transcodes UTF-16, ISO-8859-1 and windows-1252 to UTF-8, counts
//! lines and columns of what the reader consumes so every event has a position, and refuses
//! a run of more than `max_token` bytes without markup, so one huge text or attribute cannot
//! exhaust memory.

use std::io::{self, BufRead, Read};

/// How the input bytes become UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Latin1,
    Windows1252,
}

/// Why the input could not be decoded or was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// The declared encoding is not one the validator reads.
    Unsupported(String),
    /// Bytes that are not valid in the encoding.
    Malformed(&'static str),
    /// More than `max_token` bytes without `<` or `>`.
    TooLarge(u64),
}

/// A position: line and column (in characters), both from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

#[derive(Debug)]
pub struct Input<R> {
    inner: R,
    encoding: Encoding,
    /// Bytes read ahead to detect the encoding, served before `inner`.
    head: Vec<u8>,
    head_pos: usize,
    /// Transcoded UTF-8 (for encodings other than UTF-8).
    out: Vec<u8>,
    out_pos: usize,
    /// An odd byte of UTF-16 left over from the previous read.
    carry: Vec<u8>,
    line: u64,
    column: u64,
    run: u64,
    max_token: u64,
    error: Option<InputError>,
}

impl<R: BufRead> Input<R> {
    /// Reads enough of `inner` to choose the encoding.
    pub fn new(mut inner: R, max_token: u64) -> Result<Input<R>, io::Error> {
        let mut head = Vec::new();
        // Up to the end of the XML declaration, if there is one.
        while head.len() < 1024 {
            let buf = inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let take = buf.len().min(1024 - head.len());
            head.extend_from_slice(&buf[..take]);
            inner.consume(take);
            if head.len() >= 4 && (!head.starts_with(b"<?xml") || head.windows(2).any(|w| w == b"?>")) {
                break;
            }
        }
        let (encoding, skip) = detect(&head);
        let mut input = Input {
            inner,
            encoding: Encoding::Utf8,
            head,
            head_pos: skip,
            out: Vec::new(),
            out_pos: 0,
            carry: Vec::new(),
            line: 1,
            column: 1,
            run: 0,
            max_token,
            error: None,
        };
        match encoding {
            Ok(e) => input.encoding = e,
            Err(e) => input.error = Some(e),
        }
        Ok(input)
    }

    /// The position of the next byte the reader will consume.
    pub fn position(&self) -> Position {
        Position { line: self.line, column: self.column }
    }

    /// The error that stopped the input, if one did.
    pub fn error(&self) -> Option<&InputError> {
        self.error.as_ref()
    }

    fn fail(&mut self, e: InputError) -> io::Error {
        let message = match &e {
            InputError::Unsupported(name) => format!("unsupported encoding {name}"),
            InputError::Malformed(what) => format!("malformed {what}"),
            InputError::TooLarge(n) => format!("more than {n} bytes without markup"),
        };
        self.error = Some(e);
        io::Error::new(io::ErrorKind::InvalidData, message)
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
            let mut chunk = [0u8; 8192];
            let n = loop {
                match self.inner.read(&mut chunk) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            raw.extend_from_slice(&chunk[..n]);
            if n == 0 && raw.is_empty() {
                return Ok(false);
            }
            if n == 0 && !raw.is_empty() {
                return Err(self.fail(InputError::Malformed("UTF-16 (odd number of bytes)")));
            }
        }
        match self.encoding {
            Encoding::Utf8 => self.out.extend_from_slice(&raw),
            Encoding::Latin1 => {
                for &b in &raw {
                    push_char(&mut self.out, char::from(b));
                }
            }
            Encoding::Windows1252 => {
                for &b in &raw {
                    match windows1252(b) {
                        Some(c) => push_char(&mut self.out, c),
                        None => return Err(self.fail(InputError::Malformed("windows-1252"))),
                    }
                }
            }
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let le = self.encoding == Encoding::Utf16Le;
                let mut i = 0;
                while i + 1 < raw.len() {
                    let unit = |k: usize| {
                        if le {
                            u16::from_le_bytes([raw[k], raw[k + 1]])
                        } else {
                            u16::from_be_bytes([raw[k], raw[k + 1]])
                        }
                    };
                    let u = unit(i);
                    if (0xD800..0xDC00).contains(&u) {
                        if i + 3 >= raw.len() {
                            break; // the low surrogate is in the next chunk
                        }
                        let low = unit(i + 2);
                        if !(0xDC00..0xE000).contains(&low) {
                            return Err(self.fail(InputError::Malformed("UTF-16 (lone surrogate)")));
                        }
                        let c = 0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                        match char::from_u32(c) {
                            Some(c) => push_char(&mut self.out, c),
                            None => return Err(self.fail(InputError::Malformed("UTF-16"))),
                        }
                        i += 4;
                    } else {
                        match char::from_u32(u32::from(u)) {
                            Some(c) => push_char(&mut self.out, c),
                            None => return Err(self.fail(InputError::Malformed("UTF-16 (lone surrogate)"))),
                        }
                        i += 2;
                    }
                }
                self.carry.extend_from_slice(&raw[i..]);
            }
        }
        Ok(true)
    }
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// The encoding and the length of the byte-order mark to skip.
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
    let decl = String::from_utf8_lossy(&head[..end]);
    let Some(name) = pseudo_attribute(&decl, "encoding") else { return (Ok(Encoding::Utf8), 0) };
    let encoding = match name.to_ascii_lowercase().as_str() {
        "utf-8" | "utf8" | "us-ascii" | "ascii" => Ok(Encoding::Utf8),
        "iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1" => Ok(Encoding::Latin1),
        "windows-1252" | "cp1252" => Ok(Encoding::Windows1252),
        // UTF-16 declared in a file that starts in ASCII: the declaration is wrong.
        _ => Err(InputError::Unsupported(name.to_owned())),
    };
    (encoding, 0)
}

/// A pseudo-attribute of the XML declaration (`encoding="UTF-8"`).
fn pseudo_attribute<'a>(decl: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = decl;
    while let Some(i) = rest.find(name) {
        let after = rest[i + name.len()..].trim_start();
        if let Some(after) = after.strip_prefix('=') {
            let after = after.trim_start();
            let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let value = &after[1..];
            return value.find(quote).map(|end| &value[..end]);
        }
        rest = &rest[i + name.len()..];
    }
    None
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

impl<R: BufRead> Read for Input<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if let Some(e) = &self.error {
            let e = e.clone();
            return Err(self.fail(e));
        }
        if self.encoding == Encoding::Utf8 {
            if self.head_pos < self.head.len() {
                return Ok(&self.head[self.head_pos..]);
            }
            return self.inner.fill_buf();
        }
        if self.out_pos >= self.out.len() {
            while self.transcode()? && self.out.is_empty() {}
        }
        Ok(&self.out[self.out_pos..])
    }

    fn consume(&mut self, amt: usize) {
        let (line, column, run) = {
            let bytes: &[u8] = if self.encoding != Encoding::Utf8 {
                &self.out[self.out_pos..]
            } else if self.head_pos < self.head.len() {
                &self.head[self.head_pos..]
            } else {
                match self.inner.fill_buf() {
                    Ok(b) => b,
                    Err(_) => &[],
                }
            };
            let bytes = &bytes[..amt.min(bytes.len())];
            if bytes.len() <= 64 {
                // Most calls consume a tag or a short text: one pass is cheapest.
                let (mut line, mut column, mut run) = (self.line, self.column, self.run);
                for &b in bytes {
                    run += 1;
                    if b == b'\n' {
                        line += 1;
                        column = 1;
                    } else if (b as i8) >= -64 {
                        column += 1;
                    }
                    if b == b'<' || b == b'>' {
                        run = 0;
                    }
                }
                (line, column, run)
            } else {
                // Counting passes vectorise; the backward searches only run when the chunk holds
                // what they look for, and then stop soon (markup is dense, lines are short).
                let chars = |b: &[u8]| (b.len() - b.iter().filter(|&&c| (c as i8) < -64).count()) as u64;
                let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
                let (line, column) = match newlines {
                    0 => (self.line, self.column + chars(bytes)),
                    n => {
                        let last = bytes.iter().rposition(|&b| b == b'\n').unwrap_or(0);
                        (self.line + n, 1 + chars(&bytes[last + 1..]))
                    }
                };
                let markup = bytes.iter().filter(|&&b| b == b'<' || b == b'>').count();
                let run = match markup {
                    0 => self.run + bytes.len() as u64,
                    _ => bytes.iter().rev().take_while(|&&b| b != b'<' && b != b'>').count() as u64,
                };
                (line, column, run)
            }
        };
        self.line = line;
        self.column = column;
        self.run = run;
        if self.run > self.max_token && self.error.is_none() {
            self.error = Some(InputError::TooLarge(self.max_token));
        }
        if self.encoding != Encoding::Utf8 {
            self.out_pos += amt;
        } else if self.head_pos < self.head.len() {
            self.head_pos += amt;
        } else {
            self.inner.consume(amt);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<String, io::Error> {
        let mut input = Input::new(bytes, 1 << 20)?;
        let mut out = String::new();
        input.read_to_string(&mut out)?;
        Ok(out)
    }

    #[test]
    fn transcodes_utf16_and_latin1() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>é𝄞</a>";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&le).unwrap(), text);
        assert_eq!(decode(&be).unwrap(), text);
        let latin = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xe9</a>";
        assert_eq!(decode(latin).unwrap(), "<?xml version='1.0' encoding='ISO-8859-1'?><a>é</a>");
        let cp = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>\x80</a>";
        assert!(decode(cp).unwrap().ends_with("<a>€</a>"));
        assert!(decode(b"<?xml version=\"1.0\" encoding=\"EBCDIC\"?><a/>").is_err());
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
    }

    #[test]
    fn counts_lines_and_columns_in_characters() {
        let mut input = Input::new("<a>\n  <é/>ü\n<b/>".as_bytes(), 1 << 20).unwrap();
        let n = input.fill_buf().unwrap().len();
        assert_eq!(n, "<a>\n  <é/>ü\n<b/>".len());
        input.consume("<a>\n  <é/>ü".len());
        assert_eq!(input.position(), Position { line: 2, column: 8 });
        input.consume(1);
        assert_eq!(input.position(), Position { line: 3, column: 1 });
    }

    #[test]
    fn long_and_short_chunks_count_alike() {
        let text = "<a>\n  <é/>ü… texto largo sin marcas ni saltos de línea, más de sesenta y cuatro bytes ñ\n<b/>x";
        let mut whole = Input::new(text.as_bytes(), 1 << 20).unwrap();
        let n = whole.fill_buf().unwrap().len();
        whole.consume(n);
        let mut bytewise = Input::new(text.as_bytes(), 1 << 20).unwrap();
        for _ in 0..n {
            bytewise.fill_buf().unwrap();
            bytewise.consume(1);
        }
        assert_eq!(whole.position(), bytewise.position());
        assert_eq!(whole.position(), Position { line: 3, column: 6 });
        assert_eq!((whole.run, bytewise.run), (1, 1));
    }

    #[test]
    fn refuses_huge_runs_without_markup() {
        let text = format!("<a>{}</a>", "x".repeat(100));
        let mut input = Input::new(text.as_bytes(), 50).unwrap();
        let mut out = String::new();
        assert!(input.read_to_string(&mut out).is_err());
        assert_eq!(input.error(), Some(&InputError::TooLarge(50)));
    }
}
