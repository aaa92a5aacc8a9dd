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
