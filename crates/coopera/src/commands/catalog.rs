//! `coopera catalog list|show|add`: the catalog of national capacities and partners' demands.

use coopera_domain::Lang;
use coopera_domain::activity::SectorShare;
use coopera_domain::catalog::{Capacity, Demand};
use coopera_domain::doc::{CapacityDoc, DemandDoc};
use coopera_domain::kinds::CapacityForm;
use coopera_import::sheets::Book;

use super::activity::{Adding, add};
use super::{Ctx, Failure, print, print_doc, print_table};
use super::{entering, sheets};
use coopera_domain::kinds::DemandState;
use coopera_report::demands::{Cycle, DemandFlow};
use coopera_store::{DemandMove, RecordKind, Who};

use crate::cli::{CatalogCommand, DocFormat, SummaryFormat};
use crate::output::Table;

pub fn run(ctx: &Ctx, cmd: CatalogCommand) -> Result<(), Failure> {
    match cmd {
        CatalogCommand::List { demands, format } => {
            let store = ctx.open_existing()?;
            let table = if demands {
                demand_table(ctx, &store.demands().map_err(|e| Failure::store(e, ctx.lang))?)
            } else {
                capacity_table(ctx, &store.capacities().map_err(|e| Failure::store(e, ctx.lang))?)
            };
            print_table(&table, format);
            Ok(())
        }
        CatalogCommand::Show { key, format } => show(ctx, &key, format),
        CatalogCommand::Add(args) => {
            let existing = if args.update { coopera_store::Existing::Update } else { coopera_store::Existing::Refuse };
            if sheets::is_spreadsheet(&args.file) {
                return sheets::add(ctx, &args.file, existing, Book::Catalog, entering(args.publish));
            }
            add(ctx, &args.file, Adding { existing, workflow: entering(args.publish) })
        }
        CatalogCommand::Transition(args) => super::record_transition(ctx, RecordKind::Capacity, &args),
        CatalogCommand::Template { out } => sheets::template(ctx, &out, Book::Catalog),
        CatalogCommand::Move { key, to, propose, activity, reason } => {
            move_demand(ctx, &key, &to, DemandMove { proposed: propose, activity, reason, ..DemandMove::default() })
        }
        CatalogCommand::Report { format } => report(ctx, format),
        CatalogCommand::Match(args) => super::search::matching(ctx, args),
    }
}

/// `catalog move`: one step of a demand's workflow by the CLI's user. Whatever is wrong —
/// the step, a capacity or activity that does not exist, a missing reason — is refused
/// before anything is written, from the version read.
fn move_demand(ctx: &Ctx, key: &str, to: &str, mut mv: DemandMove) -> Result<(), Failure> {
    let lang = ctx.lang;
    mv.to = DemandState::parse(to).map_err(|p| Failure::one(format!("--to: {}", p.message(lang))))?;
    let store = ctx.open_existing()?;
    let Some(demand) = store.demand(key).map_err(|e| Failure::store(e, lang))? else {
        return Err(Failure::one(match lang {
            Lang::Es => format!("no existe la demanda `{key}` (`coopera catalog list --demands` las muestra)"),
            Lang::En => format!("there is no demand `{key}` (`coopera catalog list --demands` shows them)"),
        }));
    };
    let from = demand.parts().state;
    let base = store.version(RecordKind::Demand, key).map_err(|e| Failure::store(e, lang))?;
    store.move_demand(Who::local(&ctx.user), key, &mv, base).map_err(|e| Failure::store(e, lang))?;
    print(&format!("{key}: {} → {}", from.label(lang), mv.to.label(lang)));
    Ok(())
}

fn report(ctx: &Ctx, format: SummaryFormat) -> Result<(), Failure> {
    let store = ctx.open_existing()?;
    let flow = coopera_report::demands::demand_flow(&store).map_err(|e| Failure::one(e.message(ctx.lang)))?;
    print(&match format {
        SummaryFormat::Json => serde_json::to_string_pretty(&flow.json()).unwrap_or_default(),
        SummaryFormat::Text => describe_flow(ctx, &flow),
    });
    Ok(())
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn describe_flow(ctx: &Ctx, flow: &DemandFlow) -> String {
    let lang = ctx.lang;
    let mut out = vec![match lang {
        Lang::Es => format!("Demandas de los socios: {}", flow.demands),
        Lang::En => format!("Partners' demands: {}", flow.demands),
    }];
    for s in &flow.by_state {
        out.push(format!("  {:<12} {:>5}", lang.pick(s.label_es, s.label_en), s.demands));
    }
    let share = flow.answered_share.map_or("—".to_owned(), |s| format!("{s} %"));
    out.push(match lang {
        Lang::Es => format!("Respondidas (con capacidades propuestas): {} ({share})", flow.answered),
        Lang::En => format!("Answered (capacities proposed): {} ({share})", flow.answered),
    });
    let cycle = |c: &Cycle| match (c.median_days, c.mean_days) {
        (Some(median), Some(mean)) => match lang {
            Lang::Es => {
                format!("mediana {median} días, media {mean} días ({})", plural(c.demands, "demanda", "demandas"))
            }
            Lang::En => format!("median {median} days, mean {mean} days ({})", plural(c.demands, "demand", "demands")),
        },
        _ => lang.pick("sin demandas fechadas", "no dated demands").to_owned(),
    };
    out.push(format!(
        "{}: {}",
        lang.pick("De la recepción a la respuesta", "From reception to answer"),
        cycle(&flow.to_answer)
    ));
    out.push(format!(
        "{}: {}",
        lang.pick("De la recepción al acuerdo", "From reception to agreement"),
        cycle(&flow.to_agreement)
    ));
    out.join("\n")
}

/// The thematic areas of a record's sectors, in order, each once.
fn areas(sectors: &[SectorShare], lang: Lang) -> String {
    let mut out: Vec<&str> = Vec::new();
    for s in sectors {
        if let Some(area) = s.sector.thematic_area() {
            let name = area.entry().name(lang);
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out.join("; ")
}

fn forms(forms: &[CapacityForm], lang: Lang) -> String {
    forms.iter().map(|f| f.label(lang)).collect::<Vec<_>>().join("; ")
}

fn capacity_table(ctx: &Ctx, capacities: &[Capacity]) -> Table {
    let mut t = Table::new(&[
        ("key", ctx.pick("Clave", "Key"), false),
        ("title", ctx.pick("Capacidad", "Capacity"), false),
        ("institution", ctx.pick("Institución", "Institution"), false),
        ("areas", ctx.pick("Áreas temáticas", "Thematic areas"), false),
        ("forms", ctx.pick("Modalidades", "Forms"), false),
        ("languages", ctx.pick("Idiomas", "Languages"), false),
    ]);
    for c in capacities {
        let p = c.parts();
        t.push(vec![
            p.key.to_string().into(),
            p.title.best(ctx.lang).into(),
            p.institution.to_string().into(),
            areas(&p.sectors, ctx.lang).into(),
            forms(&p.forms, ctx.lang).into(),
            p.languages.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", ").into(),
        ]);
    }
    t
}

fn demand_table(ctx: &Ctx, demands: &[Demand]) -> Table {
    let mut t = Table::new(&[
        ("key", ctx.pick("Clave", "Key"), false),
        ("title", ctx.pick("Demanda", "Demand"), false),
        ("requester", ctx.pick("Solicitante", "Requester"), false),
        ("country", ctx.pick("País", "Country"), false),
        ("areas", ctx.pick("Áreas temáticas", "Thematic areas"), false),
        ("forms", ctx.pick("Modalidades", "Forms"), false),
        ("received", ctx.pick("Recibida", "Received"), false),
        ("state", ctx.pick("Estado", "State"), false),
    ]);
    for d in demands {
        let p = d.parts();
        t.push(vec![
            p.key.to_string().into(),
            p.title.best(ctx.lang).into(),
            p.requester.to_string().into(),
            p.country.map(|c| c.to_string()).unwrap_or_default().into(),
            areas(&p.sectors, ctx.lang).into(),
            forms(&p.forms, ctx.lang).into(),
            p.received.map(|d| d.to_string()).unwrap_or_default().into(),
            p.state.label(ctx.lang).into(),
        ]);
    }
    t
}

/// A capacity, or else a demand, by key.
fn show(ctx: &Ctx, key: &str, format: DocFormat) -> Result<(), Failure> {
    let store = ctx.open_existing()?;
    let capacity = store
        .capacities()
        .map_err(|e| Failure::store(e, ctx.lang))?
        .into_iter()
        .find(|c| c.parts().key.as_str() == key);
    if let Some(c) = capacity {
        return print_doc(&CapacityDoc::from_domain(&c), format, || Ok(describe_capacity(ctx, &c)));
    }
    let demand =
        store.demands().map_err(|e| Failure::store(e, ctx.lang))?.into_iter().find(|d| d.parts().key.as_str() == key);
    let Some(d) = demand else {
        return Err(Failure::one(match ctx.lang {
            Lang::Es => format!("no existe la capacidad ni la demanda `{key}` (`coopera catalog list` las muestra)"),
            Lang::En => format!("there is no capacity or demand `{key}` (`coopera catalog list` shows them)"),
        }));
    };
    print_doc(&DemandDoc::from_domain(&d), format, || {
        let steps = store.demand_steps(Some(key)).map_err(|e| Failure::store(e, ctx.lang))?;
        Ok(describe_demand(ctx, &d, &steps))
    })
}

/// A record for people: its title, then each field that has a value, indented.
pub(super) fn lines(title: String, fields: &[(&str, String)]) -> String {
    let mut out = vec![title];
    for (label, value) in fields {
        if !value.is_empty() {
            out.push(format!("  {label}: {value}"));
        }
    }
    out.join("\n")
}

fn describe_capacity(ctx: &Ctx, c: &Capacity) -> String {
    let p = c.parts();
    let contact = [p.contact.name.as_deref(), p.contact.email.as_deref(), p.contact.phone.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    lines(
        format!("{} ({})", p.title.best(ctx.lang), p.key),
        &[
            (ctx.pick("Institución", "Institution"), p.institution.to_string()),
            (ctx.pick("Descripción", "Description"), p.description.best(ctx.lang).to_owned()),
            (ctx.pick("Áreas temáticas", "Thematic areas"), areas(&p.sectors, ctx.lang)),
            (ctx.pick("Modalidades", "Forms"), forms(&p.forms, ctx.lang)),
            (
                ctx.pick("Idiomas", "Languages"),
                p.languages.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", "),
            ),
            (ctx.pick("Contacto", "Contact"), contact),
            (
                ctx.pick("Actividades que la acreditan", "Activities that prove it"),
                p.evidence.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", "),
            ),
        ],
    )
}

fn describe_demand(ctx: &Ctx, d: &Demand, steps: &[coopera_store::DemandStep]) -> String {
    let p = d.parts();
    let steps = steps
        .iter()
        .map(|s| {
            let reason = s.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
            format!("\n    {} {}: {} → {}{reason}", s.at, s.author, s.from.label(ctx.lang), s.to.label(ctx.lang))
        })
        .collect::<String>();
    lines(
        format!("{} ({})", p.title.best(ctx.lang), p.key),
        &[
            (ctx.pick("Solicitante", "Requester"), p.requester.to_string()),
            (ctx.pick("País", "Country"), p.country.map(|c| c.to_string()).unwrap_or_default()),
            (ctx.pick("Descripción", "Description"), p.description.best(ctx.lang).to_owned()),
            (ctx.pick("Áreas temáticas", "Thematic areas"), areas(&p.sectors, ctx.lang)),
            (ctx.pick("Modalidades", "Forms"), forms(&p.forms, ctx.lang)),
            (ctx.pick("Recibida", "Received"), p.received.map(|d| d.to_string()).unwrap_or_default()),
            (ctx.pick("Estado", "State"), p.state.label(ctx.lang).to_owned()),
            (
                ctx.pick("Capacidades propuestas", "Capacities proposed"),
                p.proposed.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", "),
            ),
            (
                ctx.pick("Actividad acordada", "Activity agreed"),
                p.activity.as_ref().map(|a| a.to_string()).unwrap_or_default(),
            ),
            (ctx.pick("Pasos", "Steps"), steps),
        ],
    )
}
