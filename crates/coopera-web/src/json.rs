//! JSON shapes shared with the command line: a report as `GET /api/v1/reports/{name}`
//! answers it and `coopera report --format json` prints it ([`crate::api::Report`], whose
//! schema is `Report` in `assets/openapi.json`).

use coopera_domain::Lang;
use coopera_report::Report;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::api::{self, Number};

/// A decimal as a JSON number, as written (no trailing zeros); as a string if JSON cannot
/// hold it.
pub fn number(d: Decimal) -> Value {
    serde_json::to_value(Number(d)).unwrap_or(Value::Null)
}

/// The report as JSON, with the caller's account of the filters it applied: the shape of
/// [`api::Report`].
pub fn report(report: &Report, name: &str, filters: Value, lang: Lang) -> Value {
    serde_json::to_value(api::Report::new(report, name, filters, lang)).unwrap_or(Value::Null)
}

/// The cross-border agenda as `coopera report crossborder --format json` prints it: the
/// totals, each table's rows with their counts in all and at each border, and the southern
/// corridor.
pub fn agenda(agenda: &coopera_report::agenda::Agenda, filters: Value, lang: Lang) -> Value {
    use coopera_report::agenda::{AgendaRow, Count, Figures};
    use serde_json::json;
    let count = |c: Count| json!({"activities": c.activities, "actions": c.actions});
    let figures = |f: &Figures| json!({"total": count(f.total), "north": count(f.north), "south": count(f.south)});
    let rows = |rows: &[AgendaRow]| -> Value {
        rows.iter().map(|r| json!({"key": r.key, "label": r.label(lang), "figures": figures(&r.figures)})).collect()
    };
    json!({
        "report": "crossborder",
        "lang": lang.code(),
        "filters": filters,
        "total": figures(&agenda.total),
        "borders": rows(&agenda.borders),
        "dimensions": rows(&agenda.dimensions),
        "states": rows(&agenda.states),
        "partners": rows(&agenda.partners),
        "corridor": {"total": count(agenda.corridor.total), "countries": rows(&agenda.corridor.countries)},
        "overlap": {
            "dimensions": agenda.overlaps(&agenda.dimensions),
            "states": agenda.overlaps(&agenda.states),
            "partners": agenda.overlaps(&agenda.partners),
        },
        "actions": agenda.actions,
    })
}
