//! `coopera history`: the audit trail.

use coopera_store::{HistoryFilter, RecordKind};

use super::{Ctx, Failure, print_table};
use crate::cli::{HistoryArgs, TableFormat};
use crate::output::Table;

pub fn run(ctx: &Ctx, args: HistoryArgs) -> Result<(), Failure> {
    let kind = match args.kind.as_deref() {
        None => None,
        Some(k) => Some(RecordKind::parse(k).ok_or_else(|| {
            let all: Vec<&str> = RecordKind::ALL.iter().map(|k| k.as_str()).collect();
            Failure::one(match ctx.lang {
                coopera_domain::Lang::Es => {
                    format!("--kind: tipo de registro desconocido `{k}`; use uno de: {}", all.join(", "))
                }
                coopera_domain::Lang::En => {
                    format!("--kind: unknown record kind `{k}`; use one of: {}", all.join(", "))
                }
            })
        })?),
    };
    let store = ctx.open_existing()?;
    let changes = store
        .history(&HistoryFilter { kind, key: args.key, limit: Some(args.limit) })
        .map_err(|e| Failure::store(e, ctx.lang))?;
    let mut t = Table::new(&[
        ("id", "#", true),
        ("at", ctx.pick("Fecha (UTC)", "When (UTC)"), false),
        ("author", ctx.pick("Autor", "Author"), false),
        ("kind", ctx.pick("Tipo", "Kind"), false),
        ("key", ctx.pick("Registro", "Record"), false),
        ("action", ctx.pick("Cambio", "Change"), false),
    ]);
    if args.format == TableFormat::Json {
        // JSON carries the documents before and after each change; the table only says which.
        let parse = |d: &Option<String>| d.as_deref().and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok());
        let rows: Vec<serde_json::Value> = changes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "id": c.id, "at": c.at, "author": c.author, "kind": c.kind.as_str(), "key": c.key,
                    "action": c.action.as_str(), "before": parse(&c.before), "after": parse(&c.after),
                })
            })
            .collect();
        super::print(&serde_json::to_string_pretty(&rows).unwrap_or_default());
        return Ok(());
    }
    for c in changes {
        t.push(vec![
            c.id.into(),
            c.at.into(),
            c.author.into(),
            c.kind.as_str().into(),
            c.key.into(),
            c.action.as_str().into(),
        ]);
    }
    print_table(&t, args.format);
    Ok(())
}
