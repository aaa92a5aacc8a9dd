//! `coopera report …`

use coopera_domain::Lang;
use coopera_domain::code::CurrencyCode;
use coopera_domain::kinds::Direction;
use coopera_report::{Measure, Report, Source, ThemeQuery};
use coopera_store::Store;
use serde_json::{Value, json};

use super::{Ctx, Failure, print};
use crate::cli::{DirectionFilter, MeasureArg, ReportCommand, SourceArg, TableFormat};
use crate::output::{Table, number};

pub fn run(ctx: &Ctx, cmd: ReportCommand) -> Result<(), Failure> {
    match cmd {
        ReportCommand::Themes(args) => {
            let currency = CurrencyCode::parse(&args.currency).map_err(|mut p| {
                p.path = "--currency".into();
                Failure::one(p.message(ctx.lang))
            })?;
            let query = ThemeQuery {
                source: match args.source {
                    SourceArg::Activities => Source::Activities,
                    SourceArg::Catalog => Source::Catalog,
                },
                direction: match args.direction {
                    DirectionFilter::Given => Some(Direction::Given),
                    DirectionFilter::Received => Some(Direction::Received),
                    DirectionFilter::All => None,
                },
                year: args.year,
                measure: match args.measure {
                    MeasureArg::Count => Measure::Count,
                    MeasureArg::Value => Measure::Value,
                },
                currency,
            };
            let store = ctx.open()?;
            print_themes(ctx, &store, &query, args.format)
        }
    }
}

pub fn print_themes(ctx: &Ctx, store: &dyn Store, query: &ThemeQuery, format: TableFormat) -> Result<(), Failure> {
    let report = coopera_report::themes(store, query).map_err(|e| Failure::one(e.message(ctx.lang)))?;
    match format {
        TableFormat::Json => {
            print(&serde_json::to_string_pretty(&report_json(&report, query, ctx.lang)).unwrap_or_default())
        }
        TableFormat::Csv => print(&table(&report, ctx).to_csv()),
        TableFormat::Table => {
            let t = table(&report, ctx);
            print(&t.to_text());
            let total = report.total.round_dp(2).normalize();
            let top = report.concentration.top_share.round_dp(2).normalize();
            let hhi = report.concentration.hhi.round_dp(0).normalize();
            print(&match ctx.lang {
                Lang::Es => format!("Total: {total} · participación del área principal: {top} % · IHH: {hhi}"),
                Lang::En => format!("Total: {total} · top area share: {top} % · HHI: {hhi}"),
            });
            for (currency, amount) in &report.not_converted {
                print(&match ctx.lang {
                    Lang::Es => format!("No convertido (sin tipo de cambio): {} {currency}", amount.normalize()),
                    Lang::En => format!("Not converted (no exchange rate): {} {currency}", amount.normalize()),
                });
            }
        }
    }
    Ok(())
}

fn table(report: &Report, ctx: &Ctx) -> Table {
    let value_heading = match (report.measure, ctx.lang) {
        (Measure::Count, Lang::Es) => "Número".to_owned(),
        (Measure::Count, Lang::En) => "Count".to_owned(),
        (Measure::Value, _) => {
            format!("{} ({})", ctx.pick("Valor", "Value"), report.currency.map(|c| c.as_str()).unwrap_or(""))
        }
    };
    let mut t = Table::new(&[
        ("key", ctx.pick("Clave", "Key"), false),
        ("label", ctx.pick("Área temática", "Thematic area"), false),
        ("value", &value_heading, true),
        ("share", ctx.pick("Participación %", "Share %"), true),
    ]);
    for r in &report.rows {
        t.push(vec![
            r.key.clone().into(),
            r.label(ctx.lang).into(),
            number(r.value.round_dp(2)),
            number(r.share.round_dp(2)),
        ]);
    }
    t
}

/// `{report, filters, measure, currency, rows:[{key,label,value,share}], total,
/// concentration:{top_share,hhi}, not_converted}`
fn report_json(report: &Report, query: &ThemeQuery, lang: Lang) -> Value {
    let rows: Vec<Value> = report
        .rows
        .iter()
        .map(|r| json!({"key": r.key, "label": r.label(lang), "value": number(r.value), "share": number(r.share)}))
        .collect();
    json!({
        "report": report.name,
        "filters": {
            "source": match query.source { Source::Activities => "activities", Source::Catalog => "catalog" },
            "direction": query.direction.map(|d| d.code()).unwrap_or("all"),
            "year": query.year,
        },
        "measure": report.measure.code(),
        "currency": report.currency.map(|c| c.as_str()),
        "rows": rows,
        "total": number(report.total),
        "concentration": {"top_share": number(report.concentration.top_share), "hhi": number(report.concentration.hhi)},
        "not_converted": report.not_converted.iter().map(|(c, a)| json!({"currency": c, "amount": number(*a)})).collect::<Vec<_>>(),
    })
}
