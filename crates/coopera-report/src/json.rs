//! A report as JSON: the one shape that `coopera report --format json` prints and
//! `GET /api/v1/reports/{name}` answers (its schema is `Report` in the web crate's
//! `assets/openapi.json`).

use coopera_domain::Lang;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::Report;

/// A decimal as a JSON number, as written (no trailing zeros); as a string if JSON cannot
/// hold it.
pub fn number(d: Decimal) -> Value {
    let s = d.normalize().to_string();
    s.parse::<serde_json::Number>().map(Value::Number).unwrap_or(Value::String(s))
}

impl Report {
    /// `{report, dimension, lang, filters, measure, currency, rows:[{key, label, value, share}],
    /// total, concentration:{k, top_share, hhi}, activities, not_converted, merged_flows}`; rows
    /// of the total value also carry `money` and `in_kind`, and the report its `split`; money
    /// measures list `in_kind_not_valued`. `filters` is the caller's account of the filters it
    /// applied.
    pub fn to_json(&self, name: &str, filters: Value, lang: Lang) -> Value {
        let rows: Vec<Value> = self
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
            self.not_converted.iter().map(|(c, a)| json!({"currency": c.as_str(), "amount": number(*a)})).collect();
        let mut out = json!({
            "report": name,
            "dimension": self.dimension.code(),
            "lang": lang.code(),
            "filters": filters,
            "measure": self.measure.code(),
            "currency": self.currency.map(|c| c.code()),
            "rows": rows,
            "total": number(self.total),
            "concentration": {
                "k": self.concentration.k,
                "top_share": number(self.concentration.top_share),
                "hhi": number(self.concentration.hhi),
            },
            "activities": self.activities,
            "not_converted": not_converted,
            "merged_flows": self.merged_flows,
        });
        if let Some(s) = self.split {
            out["split"] = json!({"money": number(s.money), "in_kind": number(s.in_kind)});
        }
        if self.measure.is_money() {
            out["in_kind_not_valued"] = self
                .in_kind_not_valued
                .iter()
                .map(|(u, q)| json!({"unit": u.code(), "quantity": number(*q)}))
                .collect::<Vec<_>>()
                .into();
        }
        out
    }
}
