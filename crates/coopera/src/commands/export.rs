//! `coopera export iati`: the registry (or a filtered part of it) as IATI 2.03 XML.

use std::collections::HashMap;
use std::io::{BufWriter, Write};

use coopera_domain::Lang;
use coopera_iati::write::{WriteOptions, write_activity, write_footer, write_header};

use super::{Ctx, Failure};
use crate::cli::ExportIatiArgs;

pub fn run(ctx: &Ctx, args: ExportIatiArgs) -> Result<(), Failure> {
    let lang = ctx.lang;
    let selection = args.selection.selection(lang)?;
    let store = ctx.open_existing()?;
    let keys = super::select_activities(ctx, &store, &selection)?;
    let orgs: HashMap<String, _> = store
        .organisations()
        .map_err(|e| Failure::store(e, lang))?
        .into_iter()
        .map(|o| (o.key().to_string(), o))
        .collect();
    let lookup = |key: &str| orgs.get(key).cloned();
    let options = WriteOptions::now();
    let io_error = |e: std::io::Error| {
        Failure::one(match lang {
            Lang::Es => format!("no se pudo escribir la exportación: {e}"),
            Lang::En => format!("cannot write the export: {e}"),
        })
    };
    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(BufWriter::new(
            std::fs::File::create(path).map_err(|e| Failure::one(format!("{}: {e}", path.display())))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    write_header(&mut out, &options).map_err(io_error)?;
    let mut unpublished = 0usize;
    for summary in &keys {
        let Some(stored) = store.activity(&summary.key).map_err(|e| Failure::store(e, lang))? else { continue };
        if stored.activity.parts().workflow != coopera_domain::kinds::WorkflowState::Published {
            unpublished = unpublished.saturating_add(1);
        }
        write_activity(&mut out, &stored.activity, &lookup, &options).map_err(io_error)?;
    }
    write_footer(&mut out).map_err(io_error)?;
    out.flush().map_err(io_error)?;
    // Unpublished records that leave the registry are a row of the audit trail.
    if unpublished > 0 {
        let detail = format!("export iati: {} activities, {unpublished} unpublished", keys.len());
        store
            .record_event(coopera_store::Who::local(&ctx.user), coopera_store::AuditEvent::Export, Some(&detail))
            .map_err(|e| Failure::store(e, lang))?;
    }
    if let Some(path) = &args.out {
        eprintln!(
            "{}",
            match lang {
                Lang::Es => format!("{} actividades exportadas a {}", keys.len(), path.display()),
                Lang::En => format!("{} activities exported to {}", keys.len(), path.display()),
            }
        );
    }
    Ok(())
}
