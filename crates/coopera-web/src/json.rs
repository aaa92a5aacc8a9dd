//! JSON shapes shared with the command line: a report as `GET /api/v1/reports/{name}`
//! answers it and `coopera report --format json` prints it (its schema is `Report` in
//! `assets/openapi.json`).

use coopera_domain::Lang;
use coopera_report::Report;
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// A decimal as a JSON number, as written (no trailing zeros); as a string if JSON cannot
/// hold it.
pub fn number(d: Decimal) -> Value {
    let s = d.normalize().to_string();
    s.parse::<serde_json::Number>().map(Value::Number).unwrap_or(Value::String(s))
}

/// `{report, dimension, lang, filters, measure, currency, rows:[{key, label, value, share}],
/// total, rows_overlap, concentration:{k, top_share, hhi}, activities, not_converted,
/// merged_flows}`; rows of the total value also carry `money` and `in_kind`, and the report
/// its `split`; money measures list `in_kind_not_valued`. `filters` is the caller's account of
/// the filters it applied. A count's `total` is its distinct activities; `rows_overlap` says
/// whether its rows add up to more (an activity in several rows), and concentration is over
/// the rows other than `none` and `unclassified`.
pub fn report(report: &Report, name: &str, filters: Value, lang: Lang) -> Value {
    let rows: Vec<Value> = report
        .rows
        .iter()
        .map(|r| {
            let mut row =
                json!({"key": r.key, "label": r.label(lang), "value": number(r.value), "share": number(r.share)});
            if let Some(s) = r.split {
                row["money"] = number(s.money);
                row["in_kind"] = number(s.in_kind);
            }
            row
        })
        .collect();
    let not_converted: Vec<Value> =
        report.not_converted.iter().map(|(c, a)| json!({"currency": c.as_str(), "amount": number(*a)})).collect();
    let mut out = json!({
        "report": name,
        "dimension": report.dimension.code(),
        "lang": lang.code(),
        "filters": filters,
        "measure": report.measure.code(),
        "currency": report.currency.map(|c| c.code()),
        "rows": rows,
        "total": number(report.total),
        "rows_overlap": report.rows_overlap,
        "concentration": {
            "k": report.concentration.k,
            "top_share": number(report.concentration.top_share),
            "hhi": number(report.concentration.hhi),
        },
        "activities": report.activities,
        "not_converted": not_converted,
        "merged_flows": report.merged_flows,
    });
    if let Some(s) = report.split {
        out["split"] = json!({"money": number(s.money), "in_kind": number(s.in_kind)});
    }
    if report.measure.is_money() {
        out["in_kind_not_valued"] = report
            .in_kind_not_valued
            .iter()
            .map(|(u, q)| json!({"unit": u.code(), "quantity": number(*q)}))
            .collect::<Vec<_>>()
            .into();
    }
    out
}
