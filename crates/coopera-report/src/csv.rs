//! CSV as Coopera writes it, in one place for the command line and the web: RFC 4180 records
//! written by the `csv` crate, and text cells that a spreadsheet would run as a formula made
//! inert.
//!
//! A cell beginning with `=`, `+`, `-` or `@` is a formula to Excel, LibreOffice and Google
//! Sheets (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`), and one beginning with a tab or a carriage
//! return can become one once the spreadsheet trims it. Such a cell is written with a leading
//! apostrophe, which spreadsheets show as text and OWASP recommends. Plain numbers (`-12.5`)
//! are left as they are: they cannot run, and sums of a report must stay numbers.

use std::borrow::Cow;
use std::io::{self, Write};

/// `text` as a cell a spreadsheet shows and never runs.
pub fn inert(text: &str) -> Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(text) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

/// `-12.5`, `3`, `0.25`: an optional minus, digits, an optional fraction.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty() && !frac.is_empty() && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
}

/// Writes CSV records as the `csv` crate does (RFC 4180: fields quoted when they hold a comma,
/// a quote or a line break; quotes doubled; CRLF line ends), every cell made [`inert`].
#[derive(Debug)]
pub struct Writer<W: Write> {
    inner: ::csv::Writer<W>,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W) -> Writer<W> {
        Writer { inner: builder().from_writer(out) }
    }

    /// Writes one record. Rows may differ in length, as a table's rows never should but a
    /// download must not fail for.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> io::Result<()> {
        for cell in cells {
            self.inner.write_field(inert(cell.as_ref()).as_bytes())?;
        }
        // An empty record ends the one whose fields were written.
        self.inner.write_record(std::iter::empty::<&[u8]>())?;
        Ok(())
    }

    /// Flushes what is buffered and gives the output back.
    pub fn into_inner(self) -> io::Result<W> {
        self.inner.into_inner().map_err(|e| e.into_error())
    }
}

fn builder() -> ::csv::WriterBuilder {
    let mut b = ::csv::WriterBuilder::new();
    b.terminator(::csv::Terminator::CRLF).flexible(true);
    b
}

/// One record as a string, ending with CRLF: what [`Writer::row`] writes.
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut w = Writer { inner: builder().buffer_capacity(256).from_writer(Vec::new()) };
    // Writing to memory cannot fail, and the writer adds only ASCII to cells that are UTF-8.
    let bytes = w.row(cells).and_then(|()| w.into_inner()).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A whole table as a string: `header`, then `rows`, each as [`line`] writes it.
pub fn table<S: AsRef<str>, R: AsRef<[S]>>(header: &[&str], rows: &[R]) -> String {
    let mut w = Writer::new(Vec::new());
    // As in `line`: memory does not fail and the output is UTF-8.
    let written = w.row(header).and_then(|()| rows.iter().try_for_each(|r| w.row(r.as_ref())));
    let bytes = written.and_then(|()| w.into_inner()).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_inert_and_numbers_kept() {
        let check = |cell: &str, expected: &str| assert_eq!(inert(cell), expected, "{cell:?}");
        check("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")");
        check("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0");
        check("@SUM(1+1)", "'@SUM(1+1)");
        check("-2+3", "'-2+3");
        check("\t=1", "'\t=1");
        check("\r=1", "'\r=1");
        check("-", "'-");
        check("-12.5", "-12.5");
        check("-3", "-3");
        check("Educación = calidad", "Educación = calidad");
        check("", "");
    }

    #[test]
    fn lines_quote_what_needs_it() {
        assert_eq!(line(&["a", "b,c", "say \"hi\""]), "a,\"b,c\",\"say \"\"hi\"\"\"\r\n");
        assert_eq!(line(&["=1+1", "x\ny"]), "'=1+1,\"x\ny\"\r\n");
        assert_eq!(line(&["\r=cmd"]), "\"'\r=cmd\"\r\n");
        assert_eq!(line(&["", ""]), ",\r\n");
        // A record of no cells, or of one empty cell, is `""`: a blank line would be no record.
        assert_eq!(line::<&str>(&[]), "\"\"\r\n");
        assert_eq!(line(&[""]), "\"\"\r\n");
    }

    #[test]
    fn cells_with_line_breaks_and_quotes_read_back_whole() {
        let cells = ["Título con \"comillas\"\ny otra línea", "a,b", "\r\n", "plain", "-12.5"];
        let text = table(&["one", "two", "three", "four", "five"], &[cells]);
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap(), vec!["one", "two", "three", "four", "five"]);
        let records: Vec<::csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(records.len(), 1, "{text:?}");
        // Every cell as written, the one that began with a carriage return made inert.
        assert_eq!(records[0], vec![cells[0], cells[1], "'\r\n", cells[3], cells[4]]);
    }

    #[test]
    fn a_table_is_its_lines() {
        let rows = vec![vec!["a,b".to_owned(), "12.5".to_owned()], vec!["@x".to_owned(), String::new()]];
        let expected = [line(&["key", "value"]), line(&rows[0]), line(&rows[1])].concat();
        assert_eq!(table(&["key", "value"], &rows), expected);
        assert_eq!(expected, "key,value\r\n\"a,b\",12.5\r\n'@x,\r\n");
    }
}
