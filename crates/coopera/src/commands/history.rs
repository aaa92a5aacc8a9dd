//! `coopera history`: the audit trail.

use coopera_store::{HistoryFilter, RecordKind, Store};

use super::{Ctx, Failure, print_table};
use crate::cli::HistoryArgs;
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
    let store = ctx.open()?;
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
