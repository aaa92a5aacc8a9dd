//! `coopera validate FILE`: the file against the IATI 2.03 schema (its verdict is xmllint's)
//! and against the main IATI rules, each problem with its line, column, XPath and a fix.

use std::fs::File;

use coopera_domain::Lang;
use coopera_iati::rules::check_rules;
use coopera_iati::validate::validate_schema;
use serde_json::json;

use super::{Ctx, Failure, print};
use crate::cli::{SummaryFormat, ValidateArgs};

pub fn run(ctx: &Ctx, args: ValidateArgs) -> Result<(), Failure> {
    let lang = ctx.lang;
    let name = args.file.display().to_string();
    let io_failure = |e: std::io::Error| {
        Failure::one(match lang {
            Lang::Es => format!("{name}: no se puede leer el archivo: {e}"),
            Lang::En => format!("{name}: cannot read the file: {e}"),
        })
    };
    // Plain or gzip, in any encoding: the validator reads the bytes as the importer does.
    let schema = validate_schema(File::open(&args.file).map_err(io_failure)?);
    let (schema, fatal) = match schema {
        Ok(problems) => (problems, None),
        Err(e) => (Vec::new(), Some(e.message(lang))),
    };
    let today = time::OffsetDateTime::now_utc().date();
    let rules = if fatal.is_none() {
        match File::open(&args.file).map_err(|e| Failure::one(format!("{name}: {e}"))).map(|r| check_rules(r, today)) {
            Ok(Ok(found)) => found,
            Ok(Err(_)) | Err(_) => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let valid = fatal.is_none() && schema.is_empty();
    match args.format {
        SummaryFormat::Json => {
            let out = json!({
                "file": name,
                "valid": valid,
                "fatal": fatal,
                "schema": schema.iter().map(|p| json!({
                    "line": p.line, "column": p.column, "xpath": p.xpath, "code": p.code, "message": p.message(lang),
                })).collect::<Vec<_>>(),
                "rules": rules.iter().map(|p| json!({
                    "line": p.line, "column": p.column, "xpath": p.xpath, "rule": p.rule, "message": p.message(lang),
                })).collect::<Vec<_>>(),
            });
            print(&serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        SummaryFormat::Text => {
            if let Some(f) = &fatal {
                print(&format!("{name}: {f}"));
            }
            for p in &schema {
                print(&format!("{name}:{}:{}: [{}] {}: {}", p.line, p.column, p.code, p.xpath, p.message(lang)));
            }
            for p in &rules {
                let kind = lang.pick("regla", "rule");
                print(&format!("{name}:{}:{}: [{kind} {}] {}: {}", p.line, p.column, p.rule, p.xpath, p.message(lang)));
            }
            let verdict = match (valid, lang) {
                (true, Lang::Es) => format!("{name}: válido según el esquema IATI 2.03"),
                (true, Lang::En) => format!("{name}: valid against the IATI 2.03 schema"),
                (false, Lang::Es) => {
                    format!("{name}: NO válido según el esquema IATI 2.03 ({} problema(s))", schema.len().max(1))
                }
                (false, Lang::En) => {
                    format!("{name}: NOT valid against the IATI 2.03 schema ({} problem(s))", schema.len().max(1))
                }
            };
            print(&verdict);
            if !rules.is_empty() {
                print(&match lang {
                    Lang::Es => format!("{} aviso(s) de las reglas IATI", rules.len()),
                    Lang::En => format!("{} IATI rule warning(s)", rules.len()),
                });
            }
        }
    }
    if valid { Ok(()) } else { Err(Failure { lines: Vec::new(), summary: None }) }
}
