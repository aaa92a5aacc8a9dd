//! The Excel workbook: it opens, holds the rows, the totals row and a native chart.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use coopera_domain::Lang;
use coopera_report::xlsx::{Sheet, workbook};
use coopera_report::{Dimension, Measure};

use super::{query, snapshot};

#[test]
fn workbook_has_a_sheet_per_report_with_totals_and_a_chart() {
    let s = snapshot();
    let themes = coopera_report::run(&s, &query(Dimension::ThematicArea, Measure::Count)).unwrap();
    let weighted = coopera_report::run(&s, &query(Dimension::ThematicArea, Measure::Weighted)).unwrap();
    let value = coopera_report::run(&s, &query(Dimension::CooperationType, Measure::Total)).unwrap();
    let sheets = [
        Sheet {
            report: &themes,
            title: "Actividades por área temática".into(),
            notes: vec!["Filtros: ninguno".into()],
        },
        Sheet { report: &weighted, title: "Ponderado".into(), notes: vec!["Filtros: ninguno".into()] },
        Sheet { report: &value, title: "Valor total".into(), notes: vec![] },
    ];
    let bytes = workbook(&sheets, Lang::Es).unwrap();
    // A native chart per sheet, as DrawingML parts of the package.
    let names = String::from_utf8_lossy(&bytes);
    assert!(names.contains("xl/charts/chart1.xml") && names.contains("xl/charts/chart3.xml"));

    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Área temática", "Área temática 2", "Tipo de cooperación"]);
    let range = book.worksheet_range("Área temática").unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 0), Data::String("Actividades por área temática".into()));
    // Title, one note, a blank line, then the header on row 3 and five rows from row 4:
    // whole activities (see `themes_count_whole_activities`).
    assert_eq!(cell(3, 1), Data::String("Área temática".into()));
    assert_eq!(cell(4, 0), Data::String("150".into()));
    assert_eq!(cell(4, 1), Data::String("Gobierno y Sociedad Civil".into()));
    assert_eq!(cell(4, 2), Data::Float(2.0));
    assert_eq!(cell(4, 3), Data::Float(33.3333));
    assert_eq!(cell(8, 0), Data::String("unclassified".into()));
    // The totals row: the 6 activities, a number — the rows overlap (8 assignments), so it
    // is not their sum — and the note that says so under it.
    assert_eq!(cell(9, 1), Data::String("Total".into()));
    assert_eq!(cell(9, 2), Data::Float(6.0));
    let formulas = book.worksheet_formula("Área temática").unwrap();
    assert_eq!(formulas.get_value((9, 2)).map(String::as_str).unwrap_or(""), "");
    assert!(matches!(cell(11, 1), Data::String(s) if s.contains("pueden sumar más de 100 %")));
    // Concentration over the classified rows: 2653.06 (see `themes_count_whole_activities`).
    assert_eq!(cell(13, 2), Data::Float(2653.06));
    // Weighted, the rows add up: a SUM formula whose cached result is the report's total.
    let range = book.worksheet_range("Área temática 2").unwrap();
    assert_eq!(range.get_value((4, 2)), Some(&Data::Float(1.5)));
    assert_eq!(range.get_value((9, 2)), Some(&Data::Float(6.0)));
    let formulas = book.worksheet_formula("Área temática 2").unwrap();
    assert_eq!(formulas.get_value((9, 2)).map(String::as_str), Some("SUM(C5:C9)"));
    let value = book.worksheet_range("Tipo de cooperación").unwrap();
    assert_eq!(value.get_value((2, 4)), Some(&Data::String("Dinero".into())));
    assert_eq!(value.get_value((2, 5)), Some(&Data::String("En especie".into())));
}
