//! CSV as Coopera writes it, in one place for the command line and the web: RFC 4180 lines,
//! and text cells that a spreadsheet would run as a formula made inert.
//!
//! A cell beginning with `=`, `+`, `-` or `@` is a formula to Excel, LibreOffice and Google
//! Sheets (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`), and one beginning with a tab or a carriage
//! return can become one once the spreadsheet trims it. Such a cell is written with a leading
//! apostrophe, which spreadsheets show as text and OWASP recommends. Plain numbers (`-12.5`)
//! are left as they are: they cannot run, and sums of a report must stay numbers.

use std::borrow::Cow;

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

/// One line of cells, ending with CRLF. Every cell is made [`inert`], then quoted when it
/// holds a comma, a quote or a line break.
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let cell = inert(cell.as_ref());
        if cell.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push_str("\r\n");
    out
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
        assert_eq!(line::<&str>(&[]), "\r\n");
    }
}
