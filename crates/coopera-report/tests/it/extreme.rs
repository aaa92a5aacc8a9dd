//! Values beyond every bound, as a database written before the bounds existed (or edited by
//! hand) may hold: every report over them is made, none panics. The registry refuses such
//! values today, so they are injected between the store and the snapshot.

use coopera_domain::organisation::Organisation;
use coopera_report::Source;
use coopera_store::{ExchangeRate, ReportFacts, Result, Store};

use super::*;

/// The fixture registry, whose facts come out with every amount and quantity at a decimal's
/// largest value (or its negative).
struct Extreme(Store);

impl Source for Extreme {
    fn exchange_rates(&self) -> Result<Vec<ExchangeRate>> {
        self.0.exchange_rates()
    }
    fn organisations(&self) -> Result<Vec<Organisation>> {
        self.0.organisations()
    }
    fn report_facts(&self, visit: &mut dyn FnMut(&ReportFacts)) -> Result<()> {
        self.0.report_facts(&mut |facts| {
            let mut f = facts.clone();
            for (i, t) in f.transactions.iter_mut().enumerate() {
                t.amount = if i % 2 == 0 { Decimal::MAX } else { Decimal::MIN };
            }
            for b in &mut f.budgets {
                b.amount = Decimal::MAX;
            }
            for k in &mut f.in_kind {
                k.quantity = Decimal::MAX;
                if let Some((value, _)) = &mut k.unit_value {
                    *value = Decimal::MAX;
                }
            }
            visit(&f);
        })
    }
}

#[test]
fn every_report_over_values_beyond_every_bound_is_made() {
    let store = Extreme(fixture_store());
    let in_kind =
        parse_in_kind_csv("unit,from,unit_value,currency\ntrips,2008-01-01,650,MXN\n", "t.csv").expect("in-kind rates");
    let options = LoadOptions { in_kind_rates: InKindRates::new(in_kind), ..LoadOptions::default() };
    let snap = Snapshot::load(&store, &options).expect("a snapshot of extreme values loads");
    let currencies = [Currency::Usd, Currency::Mxn, Currency::Native(CurrencyCode::parse("MXN").expect("MXN"))];
    for dimension in Dimension::ALL {
        for measure in Measure::ALL {
            for currency in currencies {
                let mut q = query(*dimension, *measure);
                q.currency = currency;
                let report = coopera_report::run(&snap, &q);
                assert!(report.is_ok(), "{dimension:?} {measure:?} {currency:?}: {report:?}");
                if let Ok(r) = report {
                    // Whatever saturated, the shares stay percentages.
                    assert!(r.rows.iter().all(|row| row.share.abs() <= Decimal::ONE_HUNDRED), "{dimension:?}");
                }
            }
        }
    }
}
