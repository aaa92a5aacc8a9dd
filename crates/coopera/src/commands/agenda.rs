//! `coopera report crossborder`: the cross-border agenda — activities and actions of states
//! and municipalities by border, by dimension (with each border's part), by federal entity, by
//! partner country, and the southern corridor — as tables, one CSV or JSON.

use coopera_domain::Lang;
use coopera_domain::subnational::OrgStates;
use coopera_report::agenda::{Agenda, AgendaAction, AgendaRow, Count, SECTIONS};
use coopera_report::{Dimension, InKindRates, LoadOptions, Measure, Snapshot};
use serde_json::Value;

use super::report::{Request, request};
use super::{Ctx, Failure, print};
use crate::cli::{ReportArgs, ReportFormat, SourceArg};
use crate::output::Table;

pub fn run(ctx: &Ctx, args: &ReportArgs) -> Result<(), Failure> {
    let lang = ctx.lang;
    if args.measure.is_some_and(|m| m != crate::cli::MeasureArg::Count) {
        return Err(Failure::one(
            lang.pick(
                "--measure: la agenda transfronteriza cuenta actividades y acciones; no admite otra medida",
                "--measure: the cross-border agenda counts activities and actions; it takes no other measure",
            )
            .to_owned(),
        ));
    }
    if args.format == ReportFormat::Xlsx {
        return Err(Failure::one(
            lang.pick(
                "--format: la agenda transfronteriza se escribe como table, csv o json",
                "--format: the cross-border agenda is written as table, csv or json",
            )
            .to_owned(),
        ));
    }
    let request = request(ctx, Dimension::Border, args, SourceArg::Activities, Measure::Count)?;
    let agenda = load(ctx, &request)?;
    let text = match args.format {
        ReportFormat::Csv => agenda.to_csv(lang),
        ReportFormat::Json => {
            let value = coopera_web::json::agenda(&agenda, request.filters_json.clone(), lang);
            format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default())
        }
        ReportFormat::Table | ReportFormat::Xlsx => tables(&agenda, ctx),
    };
    match &args.out {
        None => {
            print(&text);
            Ok(())
        }
        Some(path) => std::fs::write(path, text).map_err(|e| {
            Failure::one(match lang {
                Lang::Es => format!("no se puede escribir {}: {e}", path.display()),
                Lang::En => format!("cannot write {}: {e}", path.display()),
            })
        }),
    }
}

/// The registry's activities, actions and organisations, read once, and the agenda of them.
fn load(ctx: &Ctx, request: &Request) -> Result<Agenda, Failure> {
    let report_error = |e: coopera_report::ReportError| Failure::one(e.message(ctx.lang));
    let store = ctx.open_existing()?;
    let options = LoadOptions { home_country: ctx.home_country, in_kind_rates: InKindRates::sample() };
    let snapshot = Snapshot::load(&store, &options).map_err(report_error)?;
    let actions = store.actions().map_err(|e| Failure::store(e, ctx.lang))?;
    let organisations = store.organisations().map_err(|e| Failure::store(e, ctx.lang))?;
    let states = OrgStates::new(&organisations);
    let inputs: Vec<AgendaAction<'_>> = actions.iter().map(|action| AgendaAction { action, states: &states }).collect();
    coopera_report::agenda::agenda(&snapshot, &request.query.filters, &inputs).map_err(report_error)
}

/// Each table under its heading, then the totals and what overlaps.
fn tables(agenda: &Agenda, ctx: &Ctx) -> String {
    let lang = ctx.lang;
    let mut out = String::new();
    for ((_, rows), (_, es, en)) in agenda.sections().into_iter().zip(SECTIONS) {
        out.push_str(&format!("{}\n", lang.pick(es, en)));
        out.push_str(&table(rows, ctx).to_text());
        out.push('\n');
    }
    let count = |c: Count| match lang {
        Lang::Es => format!("{} actividades y {} acciones", c.activities, c.actions),
        Lang::En => format!("{} activities and {} actions", c.activities, c.actions),
    };
    out.push_str(&format!("Total: {}\n", count(agenda.total.total)));
    out.push_str(&match lang {
        Lang::Es => format!("Corredor sur (con socios centroamericanos): {}\n", count(agenda.corridor.total)),
        Lang::En => format!("Southern corridor (with Central American partners): {}\n", count(agenda.corridor.total)),
    });
    if [&agenda.dimensions, &agenda.states, &agenda.partners].iter().any(|rows| agenda.overlaps(rows)) {
        out.push_str(overlap_note(lang));
        out.push('\n');
    }
    out
}

/// What the rows of dimensions, states and partners add up to, said once.
pub fn overlap_note(lang: Lang) -> &'static str {
    lang.pick(
        "Una actividad o acción con varias dimensiones, entidades o países cuenta en cada fila: las filas pueden sumar más que el total",
        "An activity or action with several dimensions, entities or countries counts in each row: the rows may add up to more than the total",
    )
}

fn table(rows: &[AgendaRow], ctx: &Ctx) -> Table {
    let mut t = Table::new(&[
        ("key", ctx.pick("Clave", "Key"), false),
        ("label", ctx.pick("Nombre", "Name"), false),
        ("activities", ctx.pick("Actividades", "Activities"), true),
        ("actions", ctx.pick("Acciones", "Actions"), true),
        ("north_activities", ctx.pick("Norte: actividades", "North: activities"), true),
        ("north_actions", ctx.pick("Norte: acciones", "North: actions"), true),
        ("south_activities", ctx.pick("Sur: actividades", "South: activities"), true),
        ("south_actions", ctx.pick("Sur: acciones", "South: actions"), true),
    ]);
    for r in rows {
        let f = &r.figures;
        let mut row: Vec<Value> = vec![r.key.clone().into(), r.label(ctx.lang).into()];
        for c in [f.total, f.north, f.south] {
            row.extend([c.activities.into(), c.actions.into()]);
        }
        t.push(row);
    }
    t
}
