//! `coopera audit`: the audit trail, and `audit verify`, which walks its hash chain.

use coopera_domain::Lang;
use coopera_store::{AuditFilter, AuditVerdict};

use super::{Ctx, Failure, print, print_table};
use crate::cli::{AuditArgs, AuditCommand, TableFormat};
use crate::output::Table;

pub fn run(ctx: &Ctx, args: AuditArgs) -> Result<(), Failure> {
    let store = ctx.open_existing()?;
    if let Some(AuditCommand::Verify) = args.verify {
        return verify(ctx, &store);
    }
    let since = args.since.as_deref().map(|s| check_since(s, ctx.lang)).transpose()?;
    let filter =
        AuditFilter { since, author: ctx.user_given.clone(), key: args.record, kind: None, limit: Some(args.limit) };
    let rows = store.audit(&filter).map_err(|e| Failure::store(e, ctx.lang))?;
    if args.format == TableFormat::Json {
        let parse = |d: &Option<String>| d.as_deref().and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok());
        let out: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "at": r.at, "user": r.author, "address": r.address,
                    "event": r.event.map(|e| e.as_str()), "action": r.action, "kind": r.kind, "key": r.key,
                    "detail": r.detail, "before": parse(&r.before), "after_hash": r.after_hash, "hash": r.hash,
                })
            })
            .collect();
        print(&serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(());
    }
    let mut t = Table::new(&[
        ("id", "#", true),
        ("at", ctx.pick("Fecha (UTC)", "When (UTC)"), false),
        ("user", ctx.pick("Usuario", "User"), false),
        ("address", ctx.pick("Dirección", "Address"), false),
        ("event", ctx.pick("Evento", "Event"), false),
        ("record", ctx.pick("Registro", "Record"), false),
        ("detail", ctx.pick("Detalle", "Detail"), false),
    ]);
    for r in rows {
        let event = r.event.map(|e| if args.format == TableFormat::Table { e.label(ctx.lang) } else { e.as_str() });
        let event = match (r.action.as_str(), event) {
            ("create", Some(e)) => format!("{e} ({})", ctx.pick("alta", "create")),
            (_, Some(e)) => e.to_owned(),
            (a, None) => a.to_owned(),
        };
        let record = if r.kind.is_empty() { String::new() } else { format!("{} {}", r.kind, r.key) };
        t.push(vec![
            r.id.into(),
            r.at.into(),
            r.author.into(),
            r.address.unwrap_or_default().into(),
            event.into(),
            record.into(),
            r.detail.unwrap_or_default().into(),
        ]);
    }
    print_table(&t, args.format);
    Ok(())
}

/// A `--since` is a date (`2026-12-01`) or a moment in RFC 3339 UTC.
fn check_since(s: &str, lang: Lang) -> Result<String, Failure> {
    let s = s.trim();
    let date = time::macros::format_description!("[year]-[month]-[day]");
    if time::Date::parse(s, date).is_ok() {
        return Ok(s.to_owned());
    }
    match time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        Ok(t) => {
            let utc = t.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).unwrap_or(t);
            Ok(utc.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| s.to_owned()))
        }
        Err(_) => Err(Failure::one(match lang {
            Lang::Es => format!("--since: `{s}` no es una fecha (2026-12-01) ni un momento (2026-12-01T10:00:00Z)"),
            Lang::En => format!("--since: `{s}` is neither a date (2026-12-01) nor a moment (2026-12-01T10:00:00Z)"),
        })),
    }
}

fn verify(ctx: &Ctx, store: &coopera_store::Store) -> Result<(), Failure> {
    match store.verify_audit().map_err(|e| Failure::store(e, ctx.lang))? {
        AuditVerdict::Intact { rows, head } => {
            print(&match ctx.lang {
                Lang::Es => format!("bitácora íntegra: {rows} filas encadenadas; hash de la última: {head}"),
                Lang::En => format!("audit trail intact: {rows} chained rows; hash of the last: {head}"),
            });
            Ok(())
        }
        AuditVerdict::Broken { id, why } => Err(Failure::one(match ctx.lang {
            Lang::Es => format!("bitácora alterada en la fila {id}: {}", why.message(ctx.lang)),
            Lang::En => format!("audit trail altered at row {id}: {}", why.message(ctx.lang)),
        })),
    }
}
