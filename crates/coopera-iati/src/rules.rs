//! The IATI rules beyond the schema (IATI-Rulesets, `standard.json`): codes in their
//! codelists, percentages adding up to 100, dates in order and not in the future, budgets of at
//! most a year, identifiers that start with the reporting organisation's and hold no spaces.
//!
//! The codelist, percentage and date-order checks are the ones the importer makes (its
//! warnings are these rules' findings); the others are checked here on the element tree.

use std::io::Read;

use coopera_domain::Lang;
use time::Date;

use crate::input::{DEFAULT_MAX_DECOMPRESSED, Utf8Input};
use crate::read::map::{MapOptions, map_activity};
use crate::read::xml::{ActivityStream, Element, Limits, XmlError, XmlErrorKind};

/// One broken rule, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleProblem {
    pub line: u32,
    pub column: u32,
    pub xpath: String,
    /// The IATI-Rulesets rule this is (`date_order`, `strict_sum`, `codelist`…).
    pub rule: &'static str,
    message_es: String,
    message_en: String,
}

impl RuleProblem {
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.message_es, &self.message_en)
    }
}

fn problem(el: &Element, xpath: String, rule: &'static str, es: String, en: String) -> RuleProblem {
    RuleProblem { line: el.line, column: el.column, xpath, rule, message_es: es, message_en: en }
}

fn date(el: &Element, attr: &str) -> Option<Date> {
    coopera_domain::doc::parse_date(el.attr(attr)?).ok()
}

/// Checks every activity of a file's bytes (read as the reader and the validator read them,
/// [`crate::input`]) against the rules. `today` decides which dates are in the future. A file
/// that is not well-formed stops with its error.
pub fn check_rules(bytes: impl Read, today: Date) -> Result<Vec<RuleProblem>, XmlError> {
    let input = Utf8Input::new(bytes, DEFAULT_MAX_DECOMPRESSED).map_err(|e| XmlError {
        line: 1,
        column: 1,
        kind: XmlErrorKind::Io(e.to_string()),
    })?;
    let stream = ActivityStream::new(input, Limits::default())?;
    let version = stream.root.attr_trim("version").unwrap_or("2.03").to_owned();
    let options = MapOptions::default();
    let mut problems = Vec::new();
    for (n, activity) in stream.enumerate() {
        let el = activity?;
        let base = format!("/iati-activities/iati-activity[{}]", n + 1);
        match map_activity(&el, &options, &version) {
            Ok(mapped) => {
                for w in mapped.warnings {
                    let rule = match w.issue {
                        crate::read::map::Issue::UnknownCode { .. } => "codelist",
                        crate::read::map::Issue::PercentSum { .. }
                        | crate::read::map::Issue::RegionsOverCountries { .. } => "strict_sum",
                        crate::read::map::Issue::EndBeforeStart => "date_order",
                        crate::read::map::Issue::BadDate { .. }
                        | crate::read::map::Issue::BadLanguage { .. }
                        | crate::read::map::Issue::BadUrl { .. }
                        | crate::read::map::Issue::BadPercentage { .. }
                        | crate::read::map::Issue::BadNumber { .. } => "format",
                        crate::read::map::Issue::Duplicate { .. } => "unique",
                        _ => "atleast_one",
                    };
                    problems.push(RuleProblem {
                        line: w.line,
                        column: w.column,
                        xpath: format!("{base}/{}", w.path),
                        rule,
                        message_es: w.issue_message(Lang::Es),
                        message_en: w.issue_message(Lang::En),
                    });
                }
            }
            Err(w) => problems.push(RuleProblem {
                line: w.line,
                column: w.column,
                xpath: format!("{base}/{}", w.path),
                rule: "atleast_one",
                message_es: w.issue_message(Lang::Es),
                message_en: w.issue_message(Lang::En),
            }),
        }
        check_identifiers(&el, &base, &mut problems);
        check_dates(&el, &base, today, &mut problems);
    }
    Ok(problems)
}

fn check_identifiers(el: &Element, base: &str, out: &mut Vec<RuleProblem>) {
    let Some(id_el) = el.child("iati-identifier") else { return };
    let id = id_el.text.trim();
    if id.contains(char::is_whitespace) {
        out.push(problem(
            id_el,
            format!("{base}/iati-identifier"),
            "no_spaces",
            format!("el identificador `{id}` contiene espacios; quítelos"),
            format!("the identifier `{id}` contains spaces; remove them"),
        ));
    }
    let reporting = el.child("reporting-org").and_then(|r| r.attr_trim("ref"));
    if let Some(r) = reporting {
        if r.contains(char::is_whitespace) {
            out.push(problem(
                el.child("reporting-org").unwrap_or(el),
                format!("{base}/reporting-org/@ref"),
                "no_spaces",
                format!("el identificador de organización `{r}` contiene espacios; quítelos"),
                format!("the organisation identifier `{r}` contains spaces; remove them"),
            ));
        }
        if !id.is_empty() && !id.starts_with(r) {
            out.push(problem(
                id_el,
                format!("{base}/iati-identifier"),
                "startswith",
                format!("el identificador `{id}` debería empezar con el de la organización que reporta, `{r}-`"),
                format!("the identifier `{id}` should start with the reporting organisation's, `{r}-`"),
            ));
        }
    }
}

fn check_dates(el: &Element, base: &str, today: Date, out: &mut Vec<RuleProblem>) {
    for (i, d) in el.children_named("activity-date").enumerate() {
        let actual = matches!(d.attr_trim("type"), Some("2" | "4" | "start-actual" | "end-actual"));
        if let Some(day) = date(d, "iso-date")
            && actual
            && day > today
        {
            out.push(problem(
                d,
                format!("{base}/activity-date[{}]/@iso-date", i + 1),
                "date_now",
                format!("una fecha real ({day}) no puede estar en el futuro; use la fecha prevista (tipo 1 o 3)"),
                format!("an actual date ({day}) cannot be in the future; use a planned date (type 1 or 3)"),
            ));
        }
    }
    for (i, t) in el.children_named("transaction").enumerate() {
        let Some(td) = t.child("transaction-date") else { continue };
        if let Some(day) = date(td, "iso-date")
            && day > today
        {
            out.push(problem(
                td,
                format!("{base}/transaction[{}]/transaction-date/@iso-date", i + 1),
                "date_now",
                format!("la transacción tiene fecha futura ({day}); registre solo transacciones ocurridas"),
                format!("the transaction is dated in the future ({day}); record only transactions that happened"),
            ));
        }
    }
    for (i, b) in el.children_named("budget").enumerate() {
        let (Some(s), Some(e)) = (
            b.child("period-start").and_then(|p| date(p, "iso-date")),
            b.child("period-end").and_then(|p| date(p, "iso-date")),
        ) else {
            continue;
        };
        if (e - s).whole_days() > 366 {
            out.push(problem(
                b,
                format!("{base}/budget[{}]", i + 1),
                "time_limit",
                format!("el periodo del presupuesto ({s} a {e}) pasa de un año; divídalo en periodos anuales"),
                format!("the budget period ({s} to {e}) is longer than a year; split it into yearly periods"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn finds_each_kind_of_rule() {
        let xml = r#"<iati-activities version="2.03">
 <iati-activity>
  <iati-identifier>XM-1 A</iati-identifier>
  <reporting-org ref="GB-1" type="10"><narrative>X</narrative></reporting-org>
  <title><narrative>T</narrative></title>
  <participating-org role="1" ref="GB-1"/>
  <activity-status code="2"/>
  <activity-date type="2" iso-date="2030-01-01"/>
  <sector code="41010" percentage="60"/>
  <sector code="99999" percentage="40"/>
  <budget><period-start iso-date="2020-01-01"/><period-end iso-date="2022-01-01"/><value currency="USD" value-date="2020-01-01">1</value></budget>
 </iati-activity>
</iati-activities>"#;
        let found = check_rules(xml.as_bytes(), date!(2026 - 01 - 01)).unwrap();
        let rules: Vec<(&str, u32)> = found.iter().map(|p| (p.rule, p.line)).collect();
        assert!(rules.contains(&("codelist", 10)), "{found:#?}");
        assert!(rules.contains(&("strict_sum", 2)), "{found:#?}");
        assert!(rules.contains(&("no_spaces", 3)), "{found:#?}");
        assert!(rules.contains(&("startswith", 3)), "{found:#?}");
        assert!(rules.contains(&("date_now", 8)), "{found:#?}");
        assert!(rules.contains(&("time_limit", 11)), "{found:#?}");
        let unknown = found.iter().find(|p| p.rule == "codelist").unwrap();
        assert_eq!(unknown.xpath, "/iati-activities/iati-activity[1]/sector[2]/@code");
        assert!(unknown.message(Lang::Es).contains("99999"));
    }
}
