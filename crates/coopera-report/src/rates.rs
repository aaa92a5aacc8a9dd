//! Exchange rates and in-kind rates: the tables, how a rate is chosen for a date, and their
//! CSV form. The rules are documented in `data/README.md` and at the top of `lib.rs`.

use std::collections::HashMap;
use std::str::FromStr;

use coopera_domain::Lang;
use coopera_domain::code::CurrencyCode;
use coopera_domain::kinds::InKindUnit;
use coopera_store::ExchangeRate;
use rust_decimal::Decimal;
use time::{Date, Month};

/// The sample exchange-rate table shipped with Coopera (see `data/README.md`).
pub const SAMPLE_RATES_CSV: &str = include_str!("../data/rates-sample.csv");
/// The illustrative in-kind rate table shipped with Coopera.
pub const IN_KIND_RATES_CSV: &str = include_str!("../data/in-kind-rates.csv");

#[derive(Debug, Clone, Copy)]
struct Period {
    start: Date,
    end: Date,
    units_per_usd: Decimal,
}

/// Exchange rates by currency, ready to be looked up by date.
#[derive(Debug, Clone, Default)]
pub struct RateTable {
    by_currency: HashMap<CurrencyCode, Vec<Period>>,
}

impl RateTable {
    pub fn new(rates: &[ExchangeRate]) -> RateTable {
        let mut by_currency: HashMap<CurrencyCode, Vec<Period>> = HashMap::new();
        for r in rates {
            if r.units_per_usd <= Decimal::ZERO {
                continue;
            }
            by_currency.entry(r.currency).or_default().push(Period {
                start: r.start,
                end: r.end,
                units_per_usd: r.units_per_usd,
            });
        }
        for periods in by_currency.values_mut() {
            periods.sort_by_key(|p| (p.start, p.end));
        }
        RateTable { by_currency }
    }

    pub fn is_empty(&self) -> bool {
        self.by_currency.is_empty()
    }

    /// Units of `currency` per US dollar on `on`: the shortest period containing the date,
    /// else the period that ended last before it; `None` when no rate is on or before it.
    pub fn units_per_usd(&self, currency: CurrencyCode, on: Date) -> Option<Decimal> {
        if currency.as_str() == "USD" {
            return Some(Decimal::ONE);
        }
        let periods = self.by_currency.get(&currency)?;
        let mut containing: Option<&Period> = None;
        let mut earlier: Option<&Period> = None;
        for p in periods {
            if p.start > on {
                break;
            }
            if p.end >= on {
                let shorter = containing.is_none_or(|c| {
                    let days = |q: &Period| {
                        i64::from(q.end.to_julian_day()).saturating_sub(i64::from(q.start.to_julian_day()))
                    };
                    let (len, best) = (days(p), days(c));
                    len < best || (len == best && p.start > c.start)
                });
                if shorter {
                    containing = Some(p);
                }
            } else if earlier.is_none_or(|e| p.end > e.end || (p.end == e.end && p.start > e.start)) {
                earlier = Some(p);
            }
        }
        containing.or(earlier).map(|p| p.units_per_usd)
    }

    /// `amount` in `from` expressed in `to` on `on`, through the dollar; `None` without a rate
    /// (or when the result does not fit a decimal).
    pub fn convert(&self, amount: Decimal, from: CurrencyCode, to: CurrencyCode, on: Date) -> Option<Decimal> {
        if from == to {
            return Some(amount);
        }
        let from_rate = self.units_per_usd(from, on)?;
        let to_rate = self.units_per_usd(to, on)?;
        amount.checked_mul(to_rate)?.checked_div(from_rate)
    }
}

/// One rate of the in-kind table: what one unit is worth from a date on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InKindRate {
    pub unit: InKindUnit,
    pub from: Date,
    pub unit_value: Decimal,
    pub currency: CurrencyCode,
    pub source: String,
}

/// The published values of in-kind units (expert-days, course participants, trips,
/// materials).
#[derive(Debug, Clone, Default)]
pub struct InKindRates {
    by_unit: HashMap<InKindUnit, Vec<InKindRate>>,
}

impl InKindRates {
    pub fn new(rates: Vec<InKindRate>) -> InKindRates {
        let mut by_unit: HashMap<InKindUnit, Vec<InKindRate>> = HashMap::new();
        for r in rates {
            by_unit.entry(r.unit).or_default().push(r);
        }
        for rates in by_unit.values_mut() {
            rates.sort_by_key(|r| r.from);
        }
        InKindRates { by_unit }
    }

    /// The table as text that is the same in every process (a map's order is not), for the
    /// fingerprint of the model kept beside the database.
    pub(crate) fn canonical(&self) -> String {
        let mut units: Vec<String> = self.by_unit.iter().map(|(u, r)| format!("{}={r:?}", u.code())).collect();
        units.sort();
        units.join(";")
    }

    /// The table shipped with Coopera (illustrative values, see `data/README.md`).
    pub fn sample() -> InKindRates {
        // The sample is checked by a test; should it ever fail to parse, no rate is better
        // than a panic in a report.
        InKindRates::new(parse_in_kind_csv(IN_KIND_RATES_CSV, "in-kind-rates.csv").unwrap_or_default())
    }

    /// The value of one `unit` for an activity starting on `on`: the latest rate from on or
    /// before that date; the earliest rate when the activity is undated or starts before all.
    pub fn unit_value(&self, unit: InKindUnit, on: Option<Date>) -> Option<(Decimal, CurrencyCode)> {
        let rates = self.by_unit.get(&unit)?;
        let chosen = on.and_then(|d| rates.iter().rev().find(|r| r.from <= d)).or_else(|| rates.first())?;
        Some((chosen.unit_value, chosen.currency))
    }
}

/// A problem in a rates file, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub line: usize,
    pub es: String,
    pub en: String,
}

/// The problems of a rates file; nothing of it is used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {} problem(s), first at line {}", .problems.len(), .problems.first().map_or(0, |p| p.line))]
pub struct CsvError {
    pub file: String,
    pub problems: Vec<LineProblem>,
}

impl CsvError {
    /// One line per problem: `file:line: message`.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        self.problems.iter().map(|p| format!("{}:{}: {}", self.file, p.line, lang.pick(&p.es, &p.en))).collect()
    }
}

/// A record of a CSV file: the line it starts on, and its fields.
type Row = (usize, Vec<String>);

/// Reads CSV text into records (line where each starts, fields) with the `csv` crate: RFC 4180
/// fields (quoted ones may hold commas, quotes and line breaks), a UTF-8 byte-order mark
/// skipped, any line end, each field trimmed; blank lines and lines starting with `#` skipped.
/// A record the reader refuses is a problem at its line. (A quote opens a quoted field only as
/// the field's first character, so `a, "b, c"` is three fields: the header's width catches it.)
fn records(text: &str) -> impl Iterator<Item = Result<Row, LineProblem>> + '_ {
    let reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut lines = Lines { bytes: text.as_bytes(), counted: 0, line: 1 };
    reader.into_records().filter_map(move |record| match record {
        Ok(record) => {
            let line = lines.at(record.position().map_or(0, ::csv::Position::byte));
            let fields: Vec<String> = record.iter().map(str::to_owned).collect();
            // A line of spaces is one empty field; a comment may be indented.
            let blank = fields.iter().all(String::is_empty);
            let comment = fields.first().is_some_and(|f| f.starts_with('#'));
            (!blank && !comment).then_some(Ok((line, fields)))
        }
        Err(e) => {
            let line = lines.at(e.position().map_or(0, ::csv::Position::byte));
            Some(Err(LineProblem { line, es: format!("CSV ilegible: {e}"), en: format!("unreadable CSV: {e}") }))
        }
    })
}

/// The line a record starts on, from the byte offset the `csv` reader gives it. That offset is
/// where the previous record ended, before the line ends and comments the reader skipped (and
/// its own line count misses line breaks inside quotes), so the start is found here and the
/// line breaks before it counted, once, as records come in order.
struct Lines<'a> {
    bytes: &'a [u8],
    counted: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, offset: u64) -> usize {
        let from = usize::try_from(offset).unwrap_or(usize::MAX);
        let mut rest = self.bytes.get(from..).unwrap_or_default();
        loop {
            let ends = rest.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
            rest = rest.get(ends..).unwrap_or_default();
            if rest.first() != Some(&b'#') {
                break;
            }
            let comment = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            rest = rest.get(comment..).unwrap_or_default();
        }
        let start = self.bytes.len().saturating_sub(rest.len());
        let before = self.bytes.get(self.counted..start).unwrap_or_default();
        self.line = self.line.saturating_add(before.iter().filter(|&&b| b == b'\n').count());
        self.counted = self.counted.max(start);
        self.line
    }
}

/// The rows of a table after its header, each with its line, once the header has the
/// `required` columns; every problem of the header and of the rows' shape goes to `problems`.
fn read_table(
    text: &str,
    required: &[&'static str],
    optional: &[&'static str],
    problems: &mut Vec<LineProblem>,
) -> Option<(Header, Vec<Row>)> {
    let mut header: Option<Option<Header>> = None;
    let mut rows = Vec::new();
    for record in records(text) {
        let (line, fields) = match record {
            Ok(r) => r,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let Some(read) = &header else {
            header = Some(Header::read(&fields, line, required, optional, problems));
            continue;
        };
        let Some(h) = read else { continue };
        if fields.len() > h.width {
            problems.push(LineProblem {
                line,
                es: format!(
                    "{} campos donde el encabezado tiene {}; un valor con comas va entre comillas dobles, sin espacio antes de la comilla",
                    fields.len(),
                    h.width
                ),
                en: format!(
                    "{} fields where the header has {}; a value holding a comma goes in double quotes, with no space before the quote",
                    fields.len(),
                    h.width
                ),
            });
            continue;
        }
        rows.push((line, fields));
    }
    match header {
        Some(h) => h.map(|h| (h, rows)),
        None => {
            if problems.is_empty() {
                problems.push(LineProblem {
                    line: 1,
                    es: "el archivo está vacío".into(),
                    en: "the file is empty".into(),
                });
            }
            None
        }
    }
}

/// A CSV's header, mapping the expected columns to positions.
struct Header {
    positions: HashMap<&'static str, usize>,
    width: usize,
}

impl Header {
    fn read(
        fields: &[String],
        line: usize,
        required: &[&'static str],
        optional: &[&'static str],
        problems: &mut Vec<LineProblem>,
    ) -> Option<Header> {
        let mut positions = HashMap::new();
        for (i, f) in fields.iter().enumerate() {
            let name = f.to_lowercase();
            match required.iter().chain(optional).find(|c| **c == name) {
                Some(c) => {
                    positions.insert(*c, i);
                }
                None => problems.push(LineProblem {
                    line,
                    es: format!("columna desconocida `{f}`; se esperan {}", required.join(", ")),
                    en: format!("unknown column `{f}`; expected {}", required.join(", ")),
                }),
            }
        }
        let missing: Vec<&str> = required.iter().copied().filter(|c| !positions.contains_key(c)).collect();
        if !missing.is_empty() {
            problems.push(LineProblem {
                line,
                es: format!("faltan las columnas {} en el encabezado", missing.join(", ")),
                en: format!("the header lacks the columns {}", missing.join(", ")),
            });
            return None;
        }
        Some(Header { positions, width: fields.len() })
    }

    fn get<'a>(&self, fields: &'a [String], column: &str) -> Option<&'a str> {
        self.positions.get(column).and_then(|&i| fields.get(i)).map(String::as_str).filter(|s| !s.is_empty())
    }
}

fn ymd(s: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &format).ok()
}

/// `2012`, `2012-03`, `2012-03-05` or `2012-01-01/2012-06-30` as (first day, last day).
pub fn parse_period(s: &str) -> Option<(Date, Date)> {
    let s = s.trim();
    if let Some((a, b)) = s.split_once('/') {
        let (start, end) = (ymd(a.trim())?, ymd(b.trim())?);
        return (start <= end).then_some((start, end));
    }
    let parts: Vec<&str> = s.split('-').collect();
    let number = |p: &str| p.parse::<i32>().ok().filter(|_| p.bytes().all(|b| b.is_ascii_digit()));
    match parts.as_slice() {
        [y] if y.len() == 4 => {
            let y = number(y)?;
            Some((
                Date::from_calendar_date(y, Month::January, 1).ok()?,
                Date::from_calendar_date(y, Month::December, 31).ok()?,
            ))
        }
        [y, m] if y.len() == 4 && m.len() == 2 => {
            let month = Month::try_from(u8::try_from(number(m)?).ok()?).ok()?;
            let start = Date::from_calendar_date(number(y)?, month, 1).ok()?;
            let end = Date::from_calendar_date(start.year(), month, month.length(start.year())).ok()?;
            Some((start, end))
        }
        [_, _, _] => ymd(s).map(|d| (d, d)),
        _ => None,
    }
}

fn currency(value: &str, line: usize, problems: &mut Vec<LineProblem>) -> Option<CurrencyCode> {
    match CurrencyCode::parse(&value.to_uppercase()) {
        Ok(c) => Some(c),
        Err(p) => {
            problems.push(LineProblem {
                line,
                es: format!("currency: {}", p.message(Lang::Es)),
                en: format!("currency: {}", p.message(Lang::En)),
            });
            None
        }
    }
}

/// A positive number within the bound every number keeps (`coopera_domain::limits`): a rate
/// or unit value beyond it is a slip that would overflow the conversions.
fn positive(column: &str, value: &str, line: usize, problems: &mut Vec<LineProblem>) -> Option<Decimal> {
    match Decimal::from_str(value) {
        Ok(d) if d > Decimal::ZERO && d <= coopera_domain::limits::MAX_ABS_NUMBER => Some(d),
        Ok(d) if d > Decimal::ZERO => {
            let max = coopera_domain::limits::MAX_ABS_NUMBER;
            problems.push(LineProblem {
                line,
                es: format!("{column}: `{value}` pasa del máximo, {max}"),
                en: format!("{column}: `{value}` is beyond the largest value allowed, {max}"),
            });
            None
        }
        _ => {
            problems.push(LineProblem {
                line,
                es: format!("{column}: `{value}` no es un número positivo"),
                en: format!("{column}: `{value}` is not a positive number"),
            });
            None
        }
    }
}

fn missing(column: &str, line: usize) -> LineProblem {
    LineProblem { line, es: format!("{column}: falta el valor"), en: format!("{column}: the value is missing") }
}

/// Reads an exchange-rate table: `period,currency,units_per_usd[,source]`. `file` names the
/// input in messages and is the default source. Every problem is reported, with its line.
pub fn parse_rates_csv(text: &str, file: &str) -> Result<Vec<ExchangeRate>, CsvError> {
    let mut problems = Vec::new();
    let mut rates: Vec<ExchangeRate> = Vec::new();
    let mut seen: HashMap<(CurrencyCode, Date, Date), usize> = HashMap::new();
    let table = read_table(text, &["period", "currency", "units_per_usd"], &["source"], &mut problems);
    if let Some((header, rows)) = table {
        for (line, fields) in rows {
            let (Some(period), Some(cur), Some(value)) =
                (header.get(&fields, "period"), header.get(&fields, "currency"), header.get(&fields, "units_per_usd"))
            else {
                for column in ["period", "currency", "units_per_usd"] {
                    if header.get(&fields, column).is_none() {
                        problems.push(missing(column, line));
                    }
                }
                continue;
            };
            let dates = parse_period(period);
            if dates.is_none() {
                problems.push(LineProblem {
                    line,
                    es: format!("period: `{period}` no es un año (2012), un mes (2012-03), un día (2012-03-05) ni un intervalo (2012-01-01/2012-06-30)"),
                    en: format!("period: `{period}` is not a year (2012), a month (2012-03), a day (2012-03-05) or a range (2012-01-01/2012-06-30)"),
                });
            }
            let currency = currency(cur, line, &mut problems);
            let value = positive("units_per_usd", value, line, &mut problems);
            let (Some((start, end)), Some(currency), Some(units_per_usd)) = (dates, currency, value) else { continue };
            if let Some(first) = seen.insert((currency, start, end), line) {
                problems.push(LineProblem {
                    line,
                    es: format!("{currency} {period}: repetido (ya en la línea {first})"),
                    en: format!("{currency} {period}: repeated (already on line {first})"),
                });
                continue;
            }
            let source = header.get(&fields, "source").unwrap_or(file).to_owned();
            rates.push(ExchangeRate { currency, start, end, units_per_usd, source });
        }
    }
    if problems.is_empty() { Ok(rates) } else { Err(CsvError { file: file.to_owned(), problems }) }
}

/// Reads an in-kind rate table: `unit,from,unit_value,currency[,source]`.
pub fn parse_in_kind_csv(text: &str, file: &str) -> Result<Vec<InKindRate>, CsvError> {
    let mut problems = Vec::new();
    let mut rates = Vec::new();
    let table = read_table(text, &["unit", "from", "unit_value", "currency"], &["source"], &mut problems);
    if let Some((header, rows)) = table {
        for (line, fields) in rows {
            let columns = ["unit", "from", "unit_value", "currency"];
            let values: Vec<Option<&str>> = columns.iter().map(|c| header.get(&fields, c)).collect();
            let [Some(unit), Some(from), Some(value), Some(cur)] = values[..] else {
                for (c, v) in columns.iter().zip(&values) {
                    if v.is_none() {
                        problems.push(missing(c, line));
                    }
                }
                continue;
            };
            let unit = match InKindUnit::parse(unit) {
                Ok(u) => Some(u),
                Err(p) => {
                    problems.push(LineProblem {
                        line,
                        es: format!("unit: {}", p.message(Lang::Es)),
                        en: format!("unit: {}", p.message(Lang::En)),
                    });
                    None
                }
            };
            let from_date = parse_period(from).map(|(start, _)| start);
            if from_date.is_none() {
                problems.push(LineProblem {
                    line,
                    es: format!("from: `{from}` no es una fecha (2012-01-01) ni un año"),
                    en: format!("from: `{from}` is not a date (2012-01-01) or a year"),
                });
            }
            let currency = currency(cur, line, &mut problems);
            let unit_value = positive("unit_value", value, line, &mut problems);
            let (Some(unit), Some(from), Some(unit_value), Some(currency)) = (unit, from_date, unit_value, currency)
            else {
                continue;
            };
            let source = header.get(&fields, "source").unwrap_or(file).to_owned();
            rates.push(InKindRate { unit, from, unit_value, currency, source });
        }
    }
    if problems.is_empty() { Ok(rates) } else { Err(CsvError { file: file.to_owned(), problems }) }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn cur(s: &str) -> CurrencyCode {
        CurrencyCode::parse(s).unwrap()
    }

    fn rate(currency: &str, period: &str, value: &str) -> ExchangeRate {
        let (start, end) = parse_period(period).unwrap();
        ExchangeRate { currency: cur(currency), start, end, units_per_usd: value.parse().unwrap(), source: "t".into() }
    }

    #[test]
    fn the_rate_of_the_date_else_the_nearest_earlier() {
        let table = RateTable::new(&[
            rate("MXN", "2012", "13.17"),
            rate("MXN", "2012-03", "12.80"),
            rate("MXN", "2012-03-05", "12.71"),
            rate("MXN", "2013", "12.77"),
        ]);
        let mxn = cur("MXN");
        let d = |s: &str| Decimal::from_str(s).unwrap();
        // The shortest period containing the date wins: day, then month, then year.
        assert_eq!(table.units_per_usd(mxn, date!(2012 - 03 - 05)), Some(d("12.71")));
        assert_eq!(table.units_per_usd(mxn, date!(2012 - 03 - 06)), Some(d("12.80")));
        assert_eq!(table.units_per_usd(mxn, date!(2012 - 07 - 01)), Some(d("13.17")));
        // After the last period: the nearest earlier one. Before the first: none.
        assert_eq!(table.units_per_usd(mxn, date!(2015 - 01 - 01)), Some(d("12.77")));
        assert_eq!(table.units_per_usd(mxn, date!(2011 - 12 - 31)), None);
        assert_eq!(table.units_per_usd(cur("USD"), date!(1990 - 01 - 01)), Some(Decimal::ONE));
        assert_eq!(table.units_per_usd(cur("EUR"), date!(2012 - 01 - 01)), None);
    }

    #[test]
    fn conversion_goes_through_the_dollar() {
        let table = RateTable::new(&[rate("MXN", "2012", "13"), rate("EUR", "2012", "0.8")]);
        let on = date!(2012 - 06 - 01);
        // 100 EUR = 100 / 0.8 = 125 USD = 125 × 13 = 1625 MXN
        assert_eq!(table.convert(Decimal::from(100), cur("EUR"), cur("USD"), on), Some(Decimal::from(125)));
        assert_eq!(table.convert(Decimal::from(100), cur("EUR"), cur("MXN"), on), Some(Decimal::from(1625)));
        assert_eq!(table.convert(Decimal::from(7), cur("JPY"), cur("JPY"), on), Some(Decimal::from(7)));
        assert_eq!(table.convert(Decimal::from(7), cur("JPY"), cur("USD"), on), None);
    }

    #[test]
    fn periods() {
        assert_eq!(parse_period("2012"), Some((date!(2012 - 01 - 01), date!(2012 - 12 - 31))));
        assert_eq!(parse_period("2012-02"), Some((date!(2012 - 02 - 01), date!(2012 - 02 - 29))));
        assert_eq!(parse_period("2012-02-03"), Some((date!(2012 - 02 - 03), date!(2012 - 02 - 03))));
        assert_eq!(parse_period("2012-01-01/2012-06-30"), Some((date!(2012 - 01 - 01), date!(2012 - 06 - 30))));
        assert_eq!(parse_period("2012-06-30/2012-01-01"), None);
        assert_eq!(parse_period("12"), None);
        assert_eq!(parse_period("2012-13"), None);
    }

    #[test]
    fn rates_csv_reports_every_problem_with_its_line() {
        let ok =
            "# comment\nperiod,currency,units_per_usd,source\n2012,mxn,13.17,\"Banxico, FIX\"\n2012-03-05,EUR,0.76,\n";
        let rates = parse_rates_csv(ok, "r.csv").unwrap();
        assert_eq!(rates.len(), 2);
        assert_eq!(rates[0].source, "Banxico, FIX");
        assert_eq!(rates[1].source, "r.csv", "the file is the default source");
        let bad = "period,currency,units_per_usd\n2012,XYZ,13\n2012-13,MXN,-1\n2012,MXN,13\n2012,MXN,14\n";
        let err = parse_rates_csv(bad, "bad.csv").unwrap_err();
        let lines = err.lines(Lang::En);
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(lines[0].starts_with("bad.csv:2: currency: `XYZ`"), "{}", lines[0]);
        assert!(lines[1].starts_with("bad.csv:3: period: `2012-13`"), "{}", lines[1]);
        assert!(lines[2].starts_with("bad.csv:3: units_per_usd: `-1` is not a positive number"), "{}", lines[2]);
        assert!(lines[3].contains("bad.csv:5: MXN 2012: repeated (already on line 4)"), "{}", lines[3]);
        let es = parse_rates_csv("date,currency\n", "x.csv").unwrap_err().lines(Lang::Es);
        assert!(es.iter().any(|l| l.contains("columna desconocida `date`")), "{es:?}");
    }

    #[test]
    fn rates_csv_as_spreadsheets_save_it() {
        // A byte-order mark, CRLF line ends, a quoted source holding a comma, a quote and a
        // line break, and a comment indented.
        let text = "\u{feff}period,currency,units_per_usd,source\r\n  # comment, with a comma\r\n2012,MXN,13.17,\"Banxico, FIX\r\n(\"\"SF43718\"\")\"\r\n\r\n2013,EUR,0.75,ECB\r\n";
        let rates = parse_rates_csv(text, "r.csv").unwrap();
        assert_eq!(rates.len(), 2);
        assert_eq!(rates[0].source, "Banxico, FIX\r\n(\"SF43718\")");
        assert_eq!(rates[1].source, "ECB");
        assert_eq!(rates[1].units_per_usd, Decimal::from_str("0.75").unwrap());
        // A problem is placed at the line its record starts on, after fields that span lines,
        // blank lines and comments.
        let bad = "period,currency,units_per_usd,source\r\n2012,MXN,13,\"one\r\ntwo\"\r\n2013,MXN,x,\r\n\r\n# c\r\n  \r\n2014,MXN,-1,\"a\nb\"\n2015,MXN,0,\n";
        let lines = parse_rates_csv(bad, "bad.csv").unwrap_err().lines(Lang::En);
        assert_eq!(
            lines,
            [
                "bad.csv:4: units_per_usd: `x` is not a positive number",
                "bad.csv:8: units_per_usd: `-1` is not a positive number",
                "bad.csv:10: units_per_usd: `0` is not a positive number",
            ]
        );
    }

    #[test]
    fn a_comma_outside_quotes_is_a_field_too_many() {
        // A space before the quote leaves it unquoted (RFC 4180), so the comma splits the value.
        let text = "period,currency,units_per_usd,source\n2012,MXN,13.17, \"Banxico, FIX\"\n2013,MXN,13,\n";
        let lines = parse_rates_csv(text, "r.csv").unwrap_err().lines(Lang::En);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with("r.csv:2: 5 fields where the header has 4"), "{}", lines[0]);
        let lines = parse_in_kind_csv("unit,from\n", "k.csv").unwrap_err().lines(Lang::En);
        assert_eq!(lines, ["k.csv:1: the header lacks the columns unit_value, currency"]);
        let lines = parse_in_kind_csv("\u{feff}\n# nothing\n", "k.csv").unwrap_err().lines(Lang::En);
        assert_eq!(lines, ["k.csv:1: the file is empty"]);
    }

    #[test]
    fn the_shipped_tables_read() {
        let rates = parse_rates_csv(SAMPLE_RATES_CSV, "rates-sample.csv").unwrap();
        assert!(rates.len() > 150);
        assert!(rates.iter().any(|r| r.currency.as_str() == "MXN" && r.start == date!(2012 - 01 - 01)));
        let in_kind = parse_in_kind_csv(IN_KIND_RATES_CSV, "in-kind-rates.csv").unwrap();
        assert_eq!(in_kind.len(), 4);
        let table = InKindRates::new(in_kind);
        assert_eq!(
            table.unit_value(InKindUnit::ExpertDays, Some(date!(2012 - 01 - 01))),
            Some((Decimal::from(3500), cur("MXN")))
        );
        assert_eq!(table.unit_value(InKindUnit::Other, None), None);
    }
}
