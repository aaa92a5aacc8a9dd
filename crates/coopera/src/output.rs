//! Tables for the terminal, CSV and JSON: how every listing and report is printed.

use rust_decimal::Decimal;
use serde_json::{Map, Value};

/// A table with machine keys (CSV header, JSON fields) and localized headings (terminal).
#[derive(Debug, Default)]
pub struct Table {
    keys: Vec<&'static str>,
    headings: Vec<String>,
    numeric: Vec<bool>,
    /// Figures the terminal groups by thousands (`74,032,626.26`); CSV and JSON keep them plain.
    grouped: Vec<bool>,
    rows: Vec<Vec<Value>>,
}

impl Table {
    /// `columns`: (key, heading, numeric).
    pub fn new(columns: &[(&'static str, &str, bool)]) -> Table {
        Table {
            keys: columns.iter().map(|c| c.0).collect(),
            headings: columns.iter().map(|c| c.1.to_owned()).collect(),
            numeric: columns.iter().map(|c| c.2).collect(),
            grouped: vec![false; columns.len()],
            rows: Vec::new(),
        }
    }

    /// Marks the columns of `keys` as figures to group by thousands in the terminal (not a
    /// year or an identifier, which are numbers too).
    pub fn figures(mut self, keys: &[&str]) -> Table {
        for (i, key) in self.keys.iter().enumerate() {
            if keys.contains(key) {
                self.grouped[i] = true;
            }
        }
        self
    }

    pub fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.keys.len());
        self.rows.push(row);
    }

    /// Aligned columns: text to the left, numbers to the right.
    pub fn to_text(&self) -> String {
        let cell = |i: usize, v: &Value| if self.grouped[i] { grouped(v) } else { plain(v) };
        let cells: Vec<Vec<String>> =
            self.rows.iter().map(|r| r.iter().enumerate().map(|(i, v)| cell(i, v)).collect()).collect();
        let width = |i: usize| {
            cells.iter().map(|r| r[i].chars().count()).chain([self.headings[i].chars().count()]).max().unwrap_or(0)
        };
        let widths: Vec<usize> = (0..self.keys.len()).map(width).collect();
        let line = |values: &[String]| {
            let parts: Vec<String> = values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let pad = widths[i].saturating_sub(v.chars().count());
                    if self.numeric[i] { format!("{}{v}", " ".repeat(pad)) } else { format!("{v}{}", " ".repeat(pad)) }
                })
                .collect();
            parts.join("  ").trim_end().to_owned()
        };
        let mut out = line(&self.headings);
        out.push('\n');
        out.push_str(&line(&widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>()));
        out.push('\n');
        for r in &cells {
            out.push_str(&line(r));
            out.push('\n');
        }
        out
    }

    /// CSV (RFC 4180, CRLF, by [`coopera_report::csv`]), with text cells a spreadsheet would
    /// run as a formula made inert.
    pub fn to_csv(&self) -> String {
        let rows: Vec<Vec<String>> = self.rows.iter().map(|r| r.iter().map(plain).collect()).collect();
        coopera_report::csv::table(&self.keys, &rows)
    }

    /// An array of objects keyed by the machine keys.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.rows
                .iter()
                .map(|r| {
                    let map: Map<String, Value> =
                        self.keys.iter().map(|k| k.to_string()).zip(r.iter().cloned()).collect();
                    Value::Object(map)
                })
                .collect(),
        )
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A JSON number as a figure grouped by thousands; anything else as it is.
fn grouped(v: &Value) -> String {
    match v {
        Value::Number(n) => match n.to_string().parse::<Decimal>() {
            Ok(d) => coopera_web::figure(d, 28),
            Err(_) => n.to_string(),
        },
        other => plain(other),
    }
}

pub use coopera_web::json::number;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_all_three_ways() {
        let mut t = Table::new(&[("key", "Clave", false), ("value", "Valor", true)]);
        t.push(vec!["a,b".into(), number(rust_decimal::Decimal::new(125, 1))]);
        t.push(vec!["ñ".into(), Value::from(3)]);
        assert_eq!(t.to_text(), "Clave  Valor\n─────  ─────\na,b     12.5\nñ          3\n");
        assert_eq!(t.to_csv(), "key,value\r\n\"a,b\",12.5\r\nñ,3\r\n");
        assert_eq!(t.to_json()[0]["value"], serde_json::json!(12.5));
        let mut t = Table::new(&[("year", "Año", true), ("value", "Valor", true)]).figures(&["value"]);
        t.push(vec![Value::from(2012), number(Decimal::new(7403262626, 2))]);
        assert_eq!(t.to_text(), " Año          Valor\n────  ─────────────\n2012  74,032,626.26\n");
        assert_eq!(t.to_csv(), "year,value\r\n2012,74032626.26\r\n", "CSV keeps figures plain");
    }
}
