//! Lexical checks of the built-in types, written to give the same verdict as the reference
//! validator (libxml2's, which `xmllint --schema` uses) on every value, including its
//! peculiarities, because a file must not pass here and fail there or the other way round:
//!
//! - `xs:decimal`, `xs:integer` and its unbounded subtypes and `xs:boolean` allow
//!   surrounding whitespace; `xs:int` and `xs:long` do not; `xs:date` allows none and
//!   `xs:dateTime` allows trailing whitespace only after a time zone.
//! - A decimal may have at most 24 significant digits (leading zeros of the integer part do
//!   not count; trailing zeros of the fraction do).
//! - `xs:anyURI` is parsed as an RFC 3986 URI reference after characters URIs cannot hold
//!   (spaces, non-ASCII, `{`, `|`…) are replaced, so `http://x/a b` passes and `a[1]` fails.
//! - Names and tokens use the XML 1.0 4th-edition character classes.

use super::chars::{is_letter4, is_name_char4};
use super::schema::Builtin;
use super::uri::is_uri_reference;

/// XML whitespace as the schema types see it.
pub fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

pub fn is_blank_str(s: &str) -> bool {
    s.bytes().all(is_blank)
}

/// Whether `value` is in the lexical space of `builtin`.
pub fn is_valid(builtin: Builtin, value: &str) -> bool {
    match builtin {
        Builtin::AnySimpleType | Builtin::String | Builtin::NormalizedString | Builtin::Token => true,
        Builtin::Language => is_language(&collapse(value)),
        Builtin::NmToken => {
            let t = trim_blank(value);
            !t.is_empty() && t.chars().all(is_name_char4)
        }
        Builtin::Name => is_name4(trim_blank(value), true),
        Builtin::NcName | Builtin::Id => is_name4(trim_blank(value), false),
        Builtin::Decimal => is_decimal(value),
        Builtin::Integer => integer(value, true).is_some(),
        Builtin::NonNegativeInteger => integer(value, true).is_some_and(|(neg, n)| !neg || n == 0),
        Builtin::PositiveInteger => integer(value, true).is_some_and(|(neg, n)| !neg && n != 0),
        Builtin::Long => integer(value, false).is_some_and(|(neg, n)| n <= i64::MAX as u128 + u128::from(neg)),
        Builtin::Int => integer(value, false).is_some_and(|(neg, n)| n <= i32::MAX as u128 + u128::from(neg)),
        Builtin::Boolean => matches!(trim_blank(value), "true" | "false" | "1" | "0"),
        Builtin::Date => date_time(value) == Some(DateKind::Date),
        Builtin::DateTime => date_time(value) == Some(DateKind::DateTime),
        Builtin::AnyUri => value.is_empty() || is_uri_reference(&collapse(value)),
    }
}

/// The value after whitespace normalisation, as enumeration and length facets see it.
pub fn normalize(builtin: Builtin, value: &str) -> std::borrow::Cow<'_, str> {
    match builtin {
        Builtin::AnySimpleType | Builtin::String => value.into(),
        Builtin::NormalizedString => {
            if value.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
                value.replace(['\t', '\n', '\r'], " ").into()
            } else {
                value.into()
            }
        }
        _ => collapse(value),
    }
}

/// Whitespace collapsed: runs of blanks become one space, none at either end.
pub fn collapse(value: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = trim_blank(value);
    let b = trimmed.as_bytes();
    let clean = !b.windows(2).any(|w| is_blank(w[0]) && is_blank(w[1])) && !b.iter().any(|&c| c != b' ' && is_blank(c));
    if clean {
        return trimmed.into();
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut blank = false;
    for c in trimmed.chars() {
        if c.is_ascii() && is_blank(c as u8) {
            blank = true;
        } else {
            if blank {
                out.push(' ');
                blank = false;
            }
            out.push(c);
        }
    }
    out.into()
}

pub fn trim_blank(value: &str) -> &str {
    value.trim_matches(|c: char| c.is_ascii() && is_blank(c as u8))
}

/// `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`
pub(crate) fn is_language(value: &str) -> bool {
    let mut first = true;
    for part in value.split('-') {
        let ok = (1..=8).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_alphabetic() || (!first && b.is_ascii_digit()));
        if !ok {
            return false;
        }
        first = false;
    }
    true
}

/// `Name` (`colon` allowed) or `NCName`, 4th-edition classes.
fn is_name4(value: &str, colon: bool) -> bool {
    let mut chars = value.chars();
    let Some(first) = chars.next() else { return false };
    if !(is_letter4(first) || first == '_' || (colon && first == ':')) {
        return false;
    }
    chars.all(|c| is_name_char4(c) && (colon || c != ':'))
}

/// `xs:decimal`: optional sign, digits with an optional point, at most 24 significant digits,
/// surrounding whitespace allowed.
fn is_decimal(value: &str) -> bool {
    let b = value.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    if b.is_empty() {
        return false;
    }
    let mut i = 0;
    while is_blank(at(i)) {
        i += 1;
    }
    if matches!(at(i), b'-' | b'+') {
        i += 1;
    }
    if at(i) == 0 {
        return false;
    }
    let mut leading_zeros = false;
    while at(i) == b'0' {
        i += 1;
        leading_zeros = true;
    }
    let mut digits = 0;
    if at(i) != 0 {
        loop {
            let c = at(i);
            if c.is_ascii_digit() {
                i += 1;
                digits += 1;
            } else if c == b'.' {
                i += 1;
                loop {
                    if at(i).is_ascii_digit() {
                        i += 1;
                        digits += 1;
                    } else {
                        break;
                    }
                    if digits >= 24 {
                        break;
                    }
                }
                if digits == 0 && !leading_zeros {
                    return false;
                }
                break;
            } else {
                break;
            }
            if digits >= 24 {
                break;
            }
        }
    }
    while is_blank(at(i)) {
        i += 1;
    }
    i == b.len()
}

/// An integer as (negative, magnitude) — `None` if not lexically valid. With `blanks`,
/// surrounding whitespace is allowed (as for `xs:integer`, unlike `xs:int`).
fn integer(value: &str, blanks: bool) -> Option<(bool, u128)> {
    let s = if blanks { trim_blank(value) } else { value };
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = digits.trim_start_matches('0');
    if significant.len() > 24 {
        return None;
    }
    let n = significant.bytes().fold(0u128, |n, d| n * 10 + u128::from(d - b'0'));
    Some((neg, n))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateKind {
    Date,
    DateTime,
    /// A time, a year, a year and month… — valid lexically but none of the two types.
    Other,
}

#[derive(Default)]
struct Parsed {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: f64,
    tz_minutes: i32,
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A cursor over a value with C-string semantics: reading past the end gives 0.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn at(&self, k: usize) -> u8 {
        self.b.get(self.i + k).copied().unwrap_or(0)
    }

    fn end(&self) -> bool {
        self.i >= self.b.len()
    }

    fn two_digits(&mut self) -> Option<u32> {
        let (a, b) = (self.at(0), self.at(1));
        self.i += 2;
        (a.is_ascii_digit() && b.is_ascii_digit()).then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
    }
}

/// The kind of date/time value `value` is, the way libxml2 decides it; `None` if invalid.
fn date_time(value: &str) -> Option<DateKind> {
    let b = value.as_bytes();
    let mut c = Cursor { b, i: 0 };
    while is_blank(c.at(0)) {
        c.i += 1;
    }
    if c.at(0) == b'-' && c.at(1) == b'-' {
        // gDay, gMonth, gMonthDay: never a date or a dateTime.
        return None;
    }
    let mut p = Parsed::default();
    if c.at(0).is_ascii_digit() {
        let mut t = Cursor { b, i: c.i };
        if parse_time(&mut t, &mut p) && is_tz_char(t.at(0)) {
            let mut z = Cursor { b, i: t.i };
            if parse_tz(&mut z, &mut p) {
                return z.end().then_some(DateKind::Other);
            }
        }
    }
    // Dates are parsed from the very start: leading whitespace makes them invalid.
    let mut c = Cursor { b, i: 0 };
    p = Parsed::default();
    if !parse_year(&mut c, &mut p) {
        return None;
    }
    if let Some(done) = type_if_valid(&mut c, &mut p) {
        return done.map(|()| DateKind::Other);
    }
    if c.at(0) != b'-' {
        return None;
    }
    c.i += 1;
    p.month = c.two_digits().filter(|m| (1..=12).contains(m))?;
    if let Some(done) = type_if_valid(&mut c, &mut p) {
        return done.map(|()| DateKind::Other);
    }
    if c.at(0) != b'-' {
        return None;
    }
    c.i += 1;
    p.day = c.two_digits().filter(|d| (1..=31).contains(d))?;
    if p.year == 0 || p.day > days_in_month(p.year, p.month) {
        return None;
    }
    if let Some(done) = type_if_valid(&mut c, &mut p) {
        return done.map(|()| DateKind::Date);
    }
    if c.at(0) != b'T' {
        return None;
    }
    c.i += 1;
    if !parse_time(&mut c, &mut p) {
        return None;
    }
    let tz_ok = parse_tz(&mut c, &mut p);
    while is_blank(c.at(0)) {
        c.i += 1;
    }
    (tz_ok && c.end() && valid_time(&p)).then_some(DateKind::DateTime)
}

fn is_tz_char(b: u8) -> bool {
    matches!(b, 0 | b'Z' | b'+' | b'-')
}

/// libxml2's `RETURN_TYPE_IF_VALID`: at a time-zone character, a time zone that parses ends
/// the value — `Some(Ok)` if nothing follows it, `Some(Err)` if something does. `None` means
/// go on parsing.
fn type_if_valid(c: &mut Cursor<'_>, p: &mut Parsed) -> Option<Option<()>> {
    if !is_tz_char(c.at(0)) {
        return None;
    }
    let mut z = Cursor { b: c.b, i: c.i };
    if parse_tz(&mut z, p) {
        return Some(z.end().then_some(()));
    }
    None
}

fn parse_year(c: &mut Cursor<'_>, p: &mut Parsed) -> bool {
    let negative = c.at(0) == b'-';
    if negative {
        c.i += 1;
    }
    let first = c.at(0);
    let mut digits = 0;
    let mut year: i64 = 0;
    while c.at(0).is_ascii_digit() {
        let d = i64::from(c.at(0) - b'0');
        match year.checked_mul(10).and_then(|y| y.checked_add(d)) {
            Some(y) => year = y,
            None => return false,
        }
        c.i += 1;
        digits += 1;
    }
    if digits < 4 || (digits > 4 && first == b'0') {
        return false;
    }
    p.year = if negative { -year } else { year };
    p.year != 0
}

fn parse_time(c: &mut Cursor<'_>, p: &mut Parsed) -> bool {
    let Some(hour) = c.two_digits() else { return false };
    if c.at(0) != b':' || (hour > 23 && hour != 24) {
        return false;
    }
    c.i += 1;
    p.hour = hour;
    let Some(minute) = c.two_digits().filter(|m| *m <= 59) else { return false };
    p.minute = minute;
    if c.at(0) != b':' {
        return false;
    }
    c.i += 1;
    let Some(whole) = c.two_digits() else { return false };
    let mut second = f64::from(whole);
    if c.at(0) == b'.' {
        c.i += 1;
        if !c.at(0).is_ascii_digit() {
            return false;
        }
        let mut mult = 1.0;
        while c.at(0).is_ascii_digit() {
            mult /= 10.0;
            second += f64::from(c.at(0) - b'0') * mult;
            c.i += 1;
        }
    }
    p.second = second;
    valid_time(p)
}

fn valid_time(p: &Parsed) -> bool {
    let regular = p.hour <= 23 && p.minute <= 59 && p.second < 60.0;
    let end_of_day = p.hour == 24 && p.minute == 0 && p.second == 0.0;
    (regular || end_of_day) && (-840..=840).contains(&p.tz_minutes)
}

fn parse_tz(c: &mut Cursor<'_>, p: &mut Parsed) -> bool {
    match c.at(0) {
        0 => {
            p.tz_minutes = 0;
            true
        }
        b'Z' => {
            p.tz_minutes = 0;
            c.i += 1;
            true
        }
        sign @ (b'+' | b'-') => {
            let mut z = Cursor { b: c.b, i: c.i + 1 };
            let Some(h) = z.two_digits().filter(|h| *h <= 23) else { return false };
            if z.at(0) != b':' {
                return false;
            }
            z.i += 1;
            let Some(m) = z.two_digits().filter(|m| *m <= 59) else { return false };
            let minutes = (h * 60 + m) as i32;
            let minutes = if sign == b'-' { -minutes } else { minutes };
            if !(-840..=840).contains(&minutes) {
                return false;
            }
            p.tz_minutes = minutes;
            c.i = z.i;
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The verdicts of `xmllint --schema` (libxml2 2.9.14) on each value, recorded by putting
    /// it in an IATI document at a place of that type. One line per case:
    /// `type<TAB>valid|invalid<TAB>value`, values XML-escaped as they were written.
    const ORACLE: &str = include_str!("testdata/lexical.tsv");

    fn unescape(raw: &str) -> String {
        let mut out = String::new();
        let mut rest = raw;
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            let end = rest[i..].find(';').expect("entity end") + i;
            let entity = &rest[i + 1..end];
            out.push(crate::validate::resolve_reference(entity).expect("a reference to a character"));
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn agrees_with_the_reference_validator() {
        let mut failures = Vec::new();
        let mut count = 0;
        for line in ORACLE.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let mut parts = line.splitn(3, '\t');
            let (ty, verdict, raw) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap_or(""));
            // An attribute value: literal tabs and newlines would have become spaces.
            let value = unescape(raw);
            let expected = verdict == "valid";
            let got = match ty {
                "decimal" | "decimal-text" => is_valid(Builtin::Decimal, &value),
                "int" => is_valid(Builtin::Int, &value),
                "nonNegativeInteger" => is_valid(Builtin::NonNegativeInteger, &value),
                "positiveInteger" => is_valid(Builtin::PositiveInteger, &value),
                "boolean" => is_valid(Builtin::Boolean, &value),
                "date" => is_valid(Builtin::Date, &value),
                "dateTime" => is_valid(Builtin::DateTime, &value),
                "anyURI" => is_valid(Builtin::AnyUri, &value),
                "NMTOKEN" => is_valid(Builtin::NmToken, &value),
                "xml:lang" => is_valid(Builtin::Language, &value) || value.is_empty(),
                other => panic!("unknown type {other}"),
            };
            count += 1;
            if got != expected {
                failures.push(format!("{ty} {raw:?}: expected {verdict}"));
            }
        }
        assert!(count > 500, "only {count} cases");
        assert!(failures.is_empty(), "{} disagreements:\n{}", failures.len(), failures.join("\n"));
    }
}
