//! `coopera history`: the change history of the records, newest first, each change with how it
//! came (an edit, an import, a change of workflow state) and a transition's steps and reason.

use coopera_domain::Lang;
use coopera_domain::kinds::WorkflowState;
use coopera_store::{AuditEvent, Change, HistoryFilter, RecordKind};

use super::{Ctx, Failure, print_table};
use crate::cli::{HistoryArgs, TableFormat};
use crate::output::Table;

pub fn run(ctx: &Ctx, args: HistoryArgs) -> Result<(), Failure> {
    let kind = match args.kind.as_deref() {
        None => None,
        Some(k) => Some(RecordKind::parse(k).ok_or_else(|| {
            let all: Vec<&str> = RecordKind::ALL.iter().map(|k| k.as_str()).collect();
            Failure::one(match ctx.lang {
                Lang::Es => format!("--kind: tipo de registro desconocido `{k}`; use uno de: {}", all.join(", ")),
                Lang::En => format!("--kind: unknown record kind `{k}`; use one of: {}", all.join(", ")),
            })
        })?),
    };
    let store = ctx.open_existing()?;
    let changes = store
        .history(&HistoryFilter { kind, key: args.key, limit: Some(args.limit) })
        .map_err(|e| Failure::store(e, ctx.lang))?;
    if args.format == TableFormat::Json {
        // JSON carries the documents before and after each change; the table only says which.
        let parse = |d: &Option<String>| d.as_deref().and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok());
        let rows: Vec<serde_json::Value> = changes
            .iter()
            .map(|c| {
                let step = transition(c);
                serde_json::json!({
                    "id": c.id, "at": c.at, "author": c.author, "kind": c.kind.as_str(), "key": c.key,
                    "action": c.action.as_str(), "event": c.event.as_str(), "detail": c.detail,
                    "reason": step.and_then(|s| s.2), "before": parse(&c.before), "after": parse(&c.after),
                })
            })
            .collect();
        super::print(&serde_json::to_string_pretty(&rows).unwrap_or_default());
        return Ok(());
    }
    let mut t = Table::new(&[
        ("id", "#", true),
        ("at", ctx.pick("Fecha (UTC)", "When (UTC)"), false),
        ("author", ctx.pick("Autor", "Author"), false),
        ("kind", ctx.pick("Tipo", "Kind"), false),
        ("key", ctx.pick("Registro", "Record"), false),
        ("action", ctx.pick("Cambio", "Change"), false),
        ("event", ctx.pick("Evento", "Event"), false),
        ("detail", ctx.pick("Detalle", "Detail"), false),
    ]);
    for c in changes {
        let detail = detail(&c, ctx.lang);
        t.push(vec![
            c.id.into(),
            c.at.into(),
            c.author.into(),
            c.kind.as_str().into(),
            c.key.into(),
            c.action.as_str().into(),
            c.event.label(ctx.lang).into(),
            detail.into(),
        ]);
    }
    print_table(&t, args.format);
    Ok(())
}

/// A transition's steps and reason, read from the detail the store wrote (`from->to: reason`).
fn transition(c: &Change) -> Option<(WorkflowState, WorkflowState, Option<&str>)> {
    if c.event != AuditEvent::Transition {
        return None;
    }
    let detail = c.detail.as_deref()?;
    let (steps, reason) = match detail.split_once(": ") {
        Some((steps, reason)) => (steps, Some(reason)),
        None => (detail, None),
    };
    let (from, to) = steps.split_once("->")?;
    Some((WorkflowState::parse(from).ok()?, WorkflowState::parse(to).ok()?, reason))
}

/// The detail of a change for people: a transition as `Publicado → Borrador: reason`, any other
/// detail as written.
fn detail(c: &Change, lang: Lang) -> String {
    match transition(c) {
        Some((from, to, reason)) => {
            let steps = format!("{} → {}", from.label(lang), to.label(lang));
            reason.map_or(steps.clone(), |r| format!("{steps}: {r}"))
        }
        None => c.detail.clone().unwrap_or_default(),
    }
}
