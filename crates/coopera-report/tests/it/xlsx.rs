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
    let value = coopera_report::run(&s, &query(Dimension::CooperationType, Measure::Total)).unwrap();
    let sheets = [
        Sheet {
            report: &themes,
            title: "Actividades por área temática".into(),
            notes: vec!["Filtros: ninguno".into()],
        },
        Sheet { report: &value, title: "Valor total".into(), notes: vec![] },
    ];
    let bytes = workbook(&sheets, Lang::Es).unwrap();
    // A native chart per sheet, as DrawingML parts of the package.
    let names = String::from_utf8_lossy(&bytes);
    assert!(names.contains("xl/charts/chart1.xml") && names.contains("xl/charts/chart2.xml"));

    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Área temática", "Tipo de cooperación"]);
    let range = book.worksheet_range("Área temática").unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 0), Data::String("Actividades por área temática".into()));
    // Title, one note, a blank line, then the header on row 3 and five rows from row 4.
    assert_eq!(cell(3, 1), Data::String("Área temática".into()));
    assert_eq!(cell(4, 0), Data::String("310".into()));
    assert_eq!(cell(4, 1), Data::String("Agricultura, Silvicultura y Pesca".into()));
    assert_eq!(cell(4, 2), Data::Float(1.5));
    assert_eq!(cell(4, 3), Data::Float(25.0));
    assert_eq!(cell(8, 0), Data::String("unclassified".into()));
    // The totals row: a SUM formula whose cached result is the report's total.
    assert_eq!(cell(9, 1), Data::String("Total".into()));
    assert_eq!(cell(9, 2), Data::Float(6.0));
    let formulas = book.worksheet_formula("Área temática").unwrap();
    assert_eq!(formulas.get_value((9, 2)).map(String::as_str), Some("SUM(C5:C9)"));
    let value = book.worksheet_range("Tipo de cooperación").unwrap();
    assert_eq!(value.get_value((2, 4)), Some(&Data::String("Dinero".into())));
    assert_eq!(value.get_value((2, 5)), Some(&Data::String("En especie".into())));
}
