//! Reports as an Excel workbook: one formatted sheet per report (title, filters, a table with
//! its totals row, concentration and what was left out) and a native bar chart of its rows.
//!
//! Cells hold numbers as spreadsheets do (binary floating point); every figure is computed in
//! decimal before it is written.

use coopera_domain::Lang;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Chart, ChartType, Color, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet};

use crate::{Measure, Report};

/// One sheet: a report, its title and lines describing it (filters, currency, source).
#[derive(Debug, Clone)]
pub struct Sheet<'a> {
    pub report: &'a Report,
    pub title: String,
    pub notes: Vec<String>,
}

/// The workbook could not be written (a defect: the input is always valid).
#[derive(Debug, thiserror::Error)]
#[error("cannot write the spreadsheet: {0}")]
pub struct XlsxError(String);

impl From<rust_xlsxwriter::XlsxError> for XlsxError {
    fn from(e: rust_xlsxwriter::XlsxError) -> XlsxError {
        XlsxError(e.to_string())
    }
}

/// How many rows the chart shows at most (the largest).
const CHART_ROWS: usize = 15;

fn number(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(title: &str, taken: &[String]) -> String {
    let clean: String = title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(28).collect();
    let clean = if clean.trim().is_empty() { "Reporte".to_owned() } else { clean.trim().to_owned() };
    let mut name = clean.clone();
    let mut n = 2u32;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        name = format!("{clean} {n}");
        n = n.saturating_add(1);
    }
    name
}

/// The workbook, as the bytes of an `.xlsx` file.
pub fn workbook(sheets: &[Sheet<'_>], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let mut names: Vec<String> = Vec::new();
    for sheet in sheets {
        let name = sheet_name(sheet.report.dimension.label(lang), &names);
        let ws = book.add_worksheet();
        ws.set_name(&name)?;
        write_sheet(ws, &name, sheet, lang)?;
        names.push(name);
    }
    Ok(book.save_to_buffer()?)
}

/// One report's sheet: its title and notes, the table with its totals row, what the figures
/// leave out, the columns' widths and the chart, each written by a step below.
fn write_sheet(ws: &mut Worksheet, name: &str, sheet: &Sheet<'_>, lang: Lang) -> Result<(), XlsxError> {
    let report = sheet.report;
    let formats = Formats::new(report.measure);
    ws.write_string_with_format(0, 0, &sheet.title, &formats.title)?;
    for (i, line) in sheet.notes.iter().enumerate() {
        ws.write_string_with_format((i as u32).saturating_add(1), 0, line, &formats.note)?;
    }
    let head = (sheet.notes.len() as u32).saturating_add(2);
    let table =
        Table { head, first: head.saturating_add(1), n: report.rows.len() as u32, split: report.split.is_some() };
    let headings = headings(report, lang);
    table.write_rows(ws, report, &headings, &formats, lang)?;
    let total_row = table.write_totals(ws, report, &formats)?;
    write_summary(ws, report, total_row.saturating_add(2), &formats.note, lang)?;

    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 48)?;
    for col in 2..if table.split { 6 } else { 4 } {
        ws.set_column_width(col, 18)?;
    }
    ws.set_freeze_panes(table.first, 0)?;
    if table.n > 0 {
        ws.insert_chart(table.head, if table.split { 7 } else { 5 }, &table.chart(name, sheet, &headings[2]))?;
    }
    Ok(())
}

/// The cell formats of a sheet; numbers as the report's measure wants them.
struct Formats {
    title: Format,
    note: Format,
    header: Format,
    value: Format,
    share: Format,
    text: Format,
    total_text: Format,
    total_value: Format,
    total_share: Format,
}

impl Formats {
    fn new(measure: Measure) -> Formats {
        let money_format = match measure {
            Measure::Count => "#,##0",
            Measure::Weighted => "#,##0.##",
            _ => "#,##0.00",
        };
        let total_text = Format::new().set_bold().set_border_top(FormatBorder::Double);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new().set_italic().set_font_color(Color::RGB(0x595959)),
            header: Format::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(0x1F4E79))
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            value: Format::new().set_num_format(money_format).set_border(FormatBorder::Thin),
            share: Format::new().set_num_format("0.00").set_border(FormatBorder::Thin),
            text: Format::new().set_border(FormatBorder::Thin),
            total_value: total_text.clone().set_num_format(money_format),
            total_share: total_text.clone().set_num_format("0.00"),
            total_text,
        }
    }
}

/// The table's headings: key, label, the measure (in its currency), share, and money and in
/// kind when the report splits its figures.
fn headings(report: &Report, lang: Lang) -> Vec<String> {
    let value_heading = match report.currency {
        Some(c) => format!("{} ({})", report.measure.label(lang), c.code()),
        None => report.measure.label(lang).to_owned(),
    };
    let mut headings = vec![
        lang.pick("Clave", "Key").to_owned(),
        report.dimension.label(lang).to_owned(),
        value_heading,
        lang.pick("Participación (%)", "Share (%)").to_owned(),
    ];
    if report.split.is_some() {
        headings.push(lang.pick("Dinero", "Money").to_owned());
        headings.push(lang.pick("En especie", "In kind").to_owned());
    }
    headings
}

/// Where the table of a sheet lies: its heading row, its first row of figures, how many
/// rows, and whether money and in kind have columns of their own.
struct Table {
    head: u32,
    first: u32,
    n: u32,
    split: bool,
}

impl Table {
    fn write_rows(
        &self,
        ws: &mut Worksheet,
        report: &Report,
        headings: &[String],
        f: &Formats,
        lang: Lang,
    ) -> Result<(), XlsxError> {
        for (c, h) in headings.iter().enumerate() {
            ws.write_string_with_format(self.head, c as u16, h, &f.header)?;
        }
        for (i, r) in report.rows.iter().enumerate() {
            let row = self.first.saturating_add(i as u32);
            ws.write_string_with_format(row, 0, &r.key, &f.text)?;
            ws.write_string_with_format(row, 1, r.label(lang), &f.text)?;
            ws.write_number_with_format(row, 2, number(r.value), &f.value)?;
            ws.write_number_with_format(row, 3, number(r.share), &f.share)?;
            if let Some(s) = r.split {
                ws.write_number_with_format(row, 4, number(s.money), &f.value)?;
                ws.write_number_with_format(row, 5, number(s.in_kind), &f.value)?;
            }
        }
        Ok(())
    }

    /// The totals row, as formulas over the rows (with their results) where the rows add up
    /// to the total; its row number.
    fn write_totals(&self, ws: &mut Worksheet, report: &Report, f: &Formats) -> Result<u32, XlsxError> {
        let (first, n) = (self.first, self.n);
        let total_row = first.saturating_add(n);
        let sum = |col: char, result: Decimal| {
            let formula = if n == 0 {
                "=0".to_owned()
            } else {
                format!("=SUM({col}{}:{col}{})", first.saturating_add(1), first.saturating_add(n))
            };
            Formula::new(formula).set_result(result.to_string())
        };
        ws.write_string_with_format(total_row, 0, "", &f.total_text)?;
        ws.write_string_with_format(total_row, 1, "Total", &f.total_text)?;
        if report.measure == Measure::Count {
            // The activities, each once: the rows may overlap, so their sum is not the total.
            ws.write_number_with_format(total_row, 2, number(report.total), &f.total_value)?;
        } else {
            ws.write_formula_with_format(total_row, 2, sum('C', report.total), &f.total_value)?;
        }
        let hundred = if report.rows.is_empty() { Decimal::ZERO } else { Decimal::ONE_HUNDRED };
        ws.write_number_with_format(total_row, 3, number(hundred), &f.total_share)?;
        if let Some(s) = report.split {
            ws.write_formula_with_format(total_row, 4, sum('E', s.money), &f.total_value)?;
            ws.write_formula_with_format(total_row, 5, sum('F', s.in_kind), &f.total_value)?;
        }
        Ok(total_row)
    }

    /// A bar chart of the largest rows (at most [`CHART_ROWS`]), largest at the top; the
    /// table must have rows.
    fn chart(&self, name: &str, sheet: &Sheet<'_>, series: &str) -> Chart {
        let shown = self.n.min(CHART_ROWS as u32);
        let last = self.first.saturating_add(shown).saturating_sub(1);
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_name(series)
            .set_categories((name, self.first, 1, last, 1))
            .set_values((name, self.first, 2, last, 2));
        chart.title().set_name(sheet.title.as_str());
        chart.legend().set_hidden();
        // Largest at the top, as in the table.
        chart.y_axis().set_reverse();
        chart.set_width(640).set_height(shown.saturating_mul(24).saturating_add(120));
        chart
    }
}

/// Below the table, from `row` on: the note on overlapping rows, the concentration, the
/// activities and flows counted, and what no figure includes (money without an exchange
/// rate, in kind without a value).
fn write_summary(ws: &mut Worksheet, report: &Report, row: u32, note: &Format, lang: Lang) -> Result<(), XlsxError> {
    let mut row = row;
    if let Some(text) = report.overlap_note(lang) {
        ws.write_string_with_format(row, 1, text, note)?;
        row = row.saturating_add(1);
    }
    let c = report.concentration;
    let mut line = |label: String, v: Decimal, format: &Format| -> Result<(), XlsxError> {
        ws.write_string(row, 1, label)?;
        ws.write_number_with_format(row, 2, number(v), format)?;
        row = row.saturating_add(1);
        Ok(())
    };
    let plain = Format::new().set_num_format("#,##0.00");
    line(top_share_label(c.k, lang), c.top_share, &plain)?;
    line(
        lang.pick("Índice Herfindahl-Hirschman (0–10,000)", "Herfindahl-Hirschman index (0–10,000)").into(),
        c.hhi,
        &plain,
    )?;
    line(lang.pick("Actividades", "Activities").into(), Decimal::from(report.activities), &plain)?;
    if report.merged_flows > 0 {
        line(
            lang.pick("Flujos reportados dos veces, contados una", "Flows reported twice, counted once").into(),
            Decimal::from(report.merged_flows),
            &plain,
        )?;
    }
    for (currency, amount) in &report.not_converted {
        let label = match lang {
            Lang::Es => format!("No convertido (sin tipo de cambio), {currency}"),
            Lang::En => format!("Not converted (no exchange rate), {currency}"),
        };
        line(label, *amount, &plain)?;
    }
    for (unit, quantity) in &report.in_kind_not_valued {
        let label = match lang {
            Lang::Es => format!("En especie sin valorar: {}", unit.label(lang)),
            Lang::En => format!("In kind not valued: {}", unit.label(lang)),
        };
        line(label, *quantity, &plain)?;
    }
    Ok(())
}

/// "Participación de la fila principal", "… de las 3 filas principales".
fn top_share_label(k: usize, lang: Lang) -> String {
    match (lang, k) {
        (Lang::Es, 1) => "Participación de la fila principal (%), entre las filas con valor".to_owned(),
        (Lang::En, 1) => "Share of the top row (%), among the rows with a value".to_owned(),
        (Lang::Es, k) => format!("Participación de las {k} filas principales (%), entre las filas con valor"),
        (Lang::En, k) => format!("Share of the top {k} rows (%), among the rows with a value"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let taken = vec!["Países".to_owned()];
        assert_eq!(sheet_name("Países", &taken), "Países 2");
        assert_eq!(sheet_name("a/b:c", &[]), "abc");
        assert!(sheet_name("Dimensión de la agenda transfronteriza", &[]).chars().count() <= 31);
    }

    #[test]
    fn the_top_row_is_singular() {
        assert_eq!(top_share_label(1, Lang::Es), "Participación de la fila principal (%), entre las filas con valor");
        assert_eq!(top_share_label(1, Lang::En), "Share of the top row (%), among the rows with a value");
        assert!(top_share_label(3, Lang::Es).starts_with("Participación de las 3 filas principales"));
    }
}
