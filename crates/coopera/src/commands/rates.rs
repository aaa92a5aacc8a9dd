//! `coopera rates …`: loads the exchange-rate table reports convert money with, and lists it.

use coopera_domain::Lang;
use coopera_domain::code::CurrencyCode;
use coopera_report::rates::{SAMPLE_RATES_CSV, parse_rates_csv};

use super::{Ctx, Failure, print, print_table};
use crate::cli::RatesCommand;
use crate::output::{Table, number};

pub fn run(ctx: &Ctx, cmd: RatesCommand) -> Result<(), Failure> {
    match cmd {
        RatesCommand::Load { file, sample } => {
            let (text, name) = match (file, sample) {
                (Some(path), _) => {
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        Failure::one(match ctx.lang {
                            Lang::Es => format!("no se puede leer {}: {e}", path.display()),
                            Lang::En => format!("cannot read {}: {e}", path.display()),
                        })
                    })?;
                    (text, path.display().to_string())
                }
                (None, _) => (SAMPLE_RATES_CSV.to_owned(), "rates-sample.csv".to_owned()),
            };
            let rates = parse_rates_csv(&text, &name).map_err(|e| {
                let n = e.problems.len();
                Failure {
                    lines: e.lines(ctx.lang),
                    summary: Some(match ctx.lang {
                        Lang::Es => format!("{n} problema(s); no se guardó ningún tipo de cambio"),
                        Lang::En => format!("{n} problem(s); no exchange rate was stored"),
                    }),
                }
            })?;
            // Loading rates writes: like `activity add`, it creates the database.
            let store = ctx.open()?;
            let s = store.record_rates(&rates).map_err(|e| Failure::store(e, ctx.lang))?;
            print(&match ctx.lang {
                Lang::Es => format!(
                    "{name}: {} tipos de cambio: {} nuevos, {} actualizados, {} sin cambios",
                    rates.len(),
                    s.created,
                    s.updated,
                    s.unchanged
                ),
                Lang::En => format!(
                    "{name}: {} exchange rates: {} new, {} updated, {} unchanged",
                    rates.len(),
                    s.created,
                    s.updated,
                    s.unchanged
                ),
            });
            Ok(())
        }
        RatesCommand::List { currency, format } => {
            let currency = currency
                .map(|c| CurrencyCode::parse(&c.to_uppercase()).map_err(Failure::at_flag("--currency", ctx.lang)))
                .transpose()?;
            let store = ctx.open_existing()?;
            let rates = store.exchange_rates().map_err(|e| Failure::store(e, ctx.lang))?;
            let mut t = Table::new(&[
                ("currency", ctx.pick("Moneda", "Currency"), false),
                ("start", ctx.pick("Desde", "From"), false),
                ("end", ctx.pick("Hasta", "To"), false),
                ("units_per_usd", ctx.pick("Unidades por USD", "Units per USD"), true),
                ("source", ctx.pick("Fuente", "Source"), false),
            ]);
            for r in rates.iter().filter(|r| currency.is_none_or(|c| c == r.currency)) {
                t.push(vec![
                    r.currency.as_str().into(),
                    r.start.to_string().into(),
                    r.end.to_string().into(),
                    number(r.units_per_usd),
                    r.source.clone().into(),
                ]);
            }
            print_table(&t, format);
            Ok(())
        }
    }
}
