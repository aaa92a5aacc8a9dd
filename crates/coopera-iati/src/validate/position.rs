//! The byte stream under the validator's XML reader: over the UTF-8 text the input layer
//! ([`crate::input`]) makes of a file, it counts lines and columns of what the reader consumes
//! so every event has a position, and refuses a run of more than `max_token` bytes without
//! markup, so one huge text or attribute cannot exhaust memory.

use std::io::{self, BufRead, Read};

/// A position: line and column (in characters), both from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

#[derive(Debug)]
pub struct Positioned<R> {
    inner: R,
    line: u64,
    column: u64,
    run: u64,
    max_token: u64,
    /// Set once a run without markup passed `max_token`.
    too_large: bool,
}

impl<R: BufRead> Positioned<R> {
    pub fn new(inner: R, max_token: u64) -> Positioned<R> {
        Positioned { inner, line: 1, column: 1, run: 0, max_token, too_large: false }
    }

    /// The position of the next byte the reader will consume.
    pub fn position(&self) -> Position {
        Position { line: self.line, column: self.column }
    }

    /// Whether a run without markup passed `max_token`.
    pub fn too_large(&self) -> bool {
        self.too_large
    }
}

impl<R: BufRead> Read for Positioned<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Positioned<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.too_large {
            let message = format!("more than {} bytes without markup", self.max_token);
            return Err(io::Error::new(io::ErrorKind::InvalidData, message));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        let (line, column, run) = {
            let bytes: &[u8] = self.inner.fill_buf().unwrap_or(&[]);
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
        if self.run > self.max_token {
            self.too_large = true;
        }
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_and_columns_in_characters() {
        let mut input = Positioned::new("<a>\n  <é/>ü\n<b/>".as_bytes(), 1 << 20);
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
        let mut whole = Positioned::new(text.as_bytes(), 1 << 20);
        let n = whole.fill_buf().unwrap().len();
        whole.consume(n);
        let mut bytewise = Positioned::new(text.as_bytes(), 1 << 20);
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
        let mut input = Positioned::new(text.as_bytes(), 50);
        let mut out = String::new();
        assert!(input.read_to_string(&mut out).is_err());
        assert!(input.too_large());
    }
}
