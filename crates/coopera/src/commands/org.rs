//! `coopera org list|show`

use coopera_domain::Lang;
use coopera_domain::doc::OrganisationDoc;
use coopera_domain::organisation::Organisation;

use super::{Ctx, Failure, print_doc, print_table};
use crate::cli::OrgCommand;
use crate::output::Table;

pub fn run(ctx: &Ctx, cmd: OrgCommand) -> Result<(), Failure> {
    let store = ctx.open_existing()?;
    match cmd {
        OrgCommand::List { format } => {
            let orgs = store.organisations().map_err(|e| Failure::store(e, ctx.lang))?;
            let mut t = Table::new(&[
                ("key", ctx.pick("Clave", "Key"), false),
                ("name", ctx.pick("Nombre", "Name"), false),
                ("acronym", ctx.pick("Siglas", "Acronym"), false),
                ("level", ctx.pick("Nivel", "Level"), false),
                ("country", ctx.pick("País", "Country"), false),
                ("mx_state", ctx.pick("Entidad", "State"), false),
            ]);
            for o in &orgs {
                let p = o.parts();
                t.push(vec![
                    p.key.to_string().into(),
                    p.name.best(ctx.lang).into(),
                    p.acronym.clone().unwrap_or_default().into(),
                    p.level.label(ctx.lang).into(),
                    p.country.map(|c| c.to_string()).unwrap_or_default().into(),
                    o.mx_state().map(|s| s.entry().name(ctx.lang)).unwrap_or("").into(),
                ]);
            }
            print_table(&t, format);
            Ok(())
        }
        OrgCommand::Show { key, format } => {
            let org = store.organisation(&key).map_err(|e| Failure::store(e, ctx.lang))?.ok_or_else(|| {
                Failure::one(match ctx.lang {
                    Lang::Es => format!("no existe la organización `{key}` (`coopera org list` las muestra)"),
                    Lang::En => format!("there is no organisation `{key}` (`coopera org list` shows them)"),
                })
            })?;
            print_doc(&OrganisationDoc::from_domain(&org), format, || Ok(describe(ctx, &org)))
        }
    }
}

fn describe(ctx: &Ctx, o: &Organisation) -> String {
    let p = o.parts();
    let mut lines = vec![format!("{} ({})", p.name.best(ctx.lang), p.key)];
    let mut field = |label: &str, value: String| {
        if !value.is_empty() {
            lines.push(format!("  {label}: {value}"));
        }
    };
    field(ctx.pick("Siglas", "Acronym"), p.acronym.clone().unwrap_or_default());
    field(ctx.pick("Tipo", "Type"), p.kind.entry().name(ctx.lang).to_owned());
    field(ctx.pick("Nivel", "Level"), p.level.label(ctx.lang).to_owned());
    field(ctx.pick("País", "Country"), p.country.map(|c| c.entry().name(ctx.lang).to_owned()).unwrap_or_default());
    field(
        ctx.pick("Entidad federativa", "Federal entity"),
        o.mx_state().map(|s| format!("{} ({})", s.entry().name(ctx.lang), s.iso())).unwrap_or_default(),
    );
    field(
        ctx.pick("Municipio", "Municipality"),
        p.mx_municipality.map(|m| format!("{} ({m})", m.entry().name(ctx.lang))).unwrap_or_default(),
    );
    field(ctx.pick("Identificador IATI", "IATI identifier"), p.iati_ref.clone().unwrap_or_default());
    field(ctx.pick("Depende de", "Parent"), p.parent.as_ref().map(|k| k.to_string()).unwrap_or_default());
    lines.join("\n")
}
