//! Reports over the registry and the catalog: figures grouped by a dimension (thematic area,
//! country, region, partner, modality, year…), with shares and concentration, in counts and in
//! money converted at dated rates.
//!
//! Reports run over a [`Snapshot`]: the registry read once into compact columns
//! ([`Snapshot::load`]), which a command-line run loads and a server keeps in memory. A
//! [`Query`] names the dimension, the measure, the currency and the filters; [`run`] returns a
//! [`Report`].
//!
//! # The rules
//!
//! **An activity counts once.** Its weight (1 for a count, its value for money) is spread over
//! the rows of the dimension and the parts add up to the whole, so the total of a report is
//! the sum of its rows and no activity is counted twice:
//! - by the percentages of its DAC sectors (vocabularies 1 and 2, divided by their actual sum;
//!   a record with both lists counts each half) for thematic area, DAC category and DAC code;
//!   by the percentages of its SDG sectors (vocabularies 7 and 8), else in equal parts of its
//!   SDG list, for SDG goals;
//! - by the percentages of its recipient countries and regions, taken together, for country,
//!   region and DAC region (a share given to a region goes to that region's row of the
//!   country report, and to its grouping and DAC region: see [`geo`]);
//! - in equal parts where a dimension has several values and no percentages: partners
//!   (participating organisations that are not of the home country), actor levels and Mexican
//!   states (of the home country's participants, and the states where it takes place), schemes
//!   (South-South, North-South, decentralised, cross-border) and cross-border agenda dimensions.
//!
//! An activity without a value goes whole to the row "unclassified" (thematic areas) or
//! "none"; only border and agenda reports leave out the activities that are not cross-border.
//! Parts are kept in millionths with largest-remainder rounding, so the parts of an activity
//! add up to exactly one.
//!
//! **Filters.** Single-valued filters (direction, modality, instrument, type, status, border)
//! keep or drop an activity. A filter on a dimension that splits an activity keeps only the
//! part in the chosen rows: a report filtered to Guatemala counts the Guatemalan part of an
//! activity shared with Honduras, so it matches the Guatemala row of the country report.
//! Several such filters multiply. A year range keeps the activities running at some time in
//! it (start ≤ last year and end ≥ first year; an activity without dates is left out) and,
//! for money, only the flows dated in it.
//!
//! **Measures.** Count; committed: commitments (IATI transaction type 2), else incoming
//! commitments (11), else the sum of budgets; disbursed: disbursements (3), else incoming
//! funds (1); spent: expenditure (4); in kind: units × their own unit value, else × the
//! published rate of the unit ([`InKindRates`]); total: committed plus in kind. A flow counts
//! in the year of its date (budgets: period start; in kind: the activity's start).
//!
//! **Money.** Values are decimal, never floating point: amounts are converted with decimal
//! arithmetic and kept as integers of 1/10 000 of a unit. Each flow is converted to US
//! dollars and to Mexican pesos at the rate of its value date — the shortest stored period
//! that contains it, else the nearest earlier rate (`data/README.md`). A value without a rate
//! is never counted as zero: it is listed, in its own currency, as not converted. In-kind
//! units with neither a unit value nor a published rate are listed as not valued.
//!
//! **Flows reported twice.** When an incoming flow (funds or commitment) of one activity names
//! its provider activity (IATI provider-activity-id; or, naming only the provider organisation,
//! a related activity reported by that organisation) and that activity is in the registry and
//! reports the matching outgoing flow (a disbursement or commitment to this activity, or to
//! no activity in particular), the two records describe one flow. When both activities are in
//! a report, the incoming side is dropped and the report says how many flows it merged.
//!
//! **Concentration.** The share of the top k rows and the Herfindahl–Hirschman index, the sum
//! of the squared percentage shares of all rows (0–10 000), computed from exact shares.

#![warn(clippy::arithmetic_side_effects)]

use coopera_domain::Lang;
use coopera_domain::activity::SectorShare;
use coopera_domain::code::{CurrencyCode, SectorCategoryCode, SectorCode};
use coopera_domain::kinds::InKindUnit;
use coopera_store::{Store, StoreError};
use rust_decimal::Decimal;

pub mod csv;
mod dimension;
pub mod export;
pub mod geo;
mod query;
pub mod rates;
mod snapshot;
pub mod synthetic;
pub mod xlsx;

pub use dimension::{Currency, Dimension, Measure};
pub use query::{Filters, Query, YearRange, keys, run};
pub use rates::{InKindRates, RateTable};
pub use snapshot::{LoadOptions, LoadStats, Snapshot};

/// The key of the row for records without a DAC sector.
pub const UNCLASSIFIED: &str = "unclassified";

/// One row: its key, labels, value and share of the total (percent).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub key: String,
    pub label_es: String,
    pub label_en: String,
    pub value: Decimal,
    pub share: Decimal,
    /// For the total value: its money and in-kind parts.
    pub split: Option<ValueSplit>,
}

impl Row {
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.label_es, &self.label_en)
    }
}

/// A value in money and in kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValueSplit {
    pub money: Decimal,
    pub in_kind: Decimal,
}

/// How concentrated the rows are: the share of the top `k` rows and the Herfindahl–Hirschman
/// index (sum of squared percentage shares, 0–10 000).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Concentration {
    pub k: usize,
    pub top_share: Decimal,
    pub hhi: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub dimension: Dimension,
    pub measure: Measure,
    /// The currency of a value report.
    pub currency: Option<Currency>,
    /// Rows by value, largest first (ties by key).
    pub rows: Vec<Row>,
    /// The sum of the rows.
    pub total: Decimal,
    /// For the total value: the sum of the rows' money and in-kind parts.
    pub split: Option<ValueSplit>,
    pub concentration: Concentration,
    /// Activities in the report (with any part in it).
    pub activities: u64,
    /// The same, counting only the parts kept by filters on split dimensions.
    pub activities_weighted: Decimal,
    /// Values left out because no rate converts them, in their own currency.
    pub not_converted: Vec<(CurrencyCode, Decimal)>,
    /// In-kind units that neither a unit value nor a rate values.
    pub in_kind_not_valued: Vec<(InKindUnit, Decimal)>,
    /// Incoming flows dropped because their provider activity's own flow is in the report.
    pub merged_flows: u64,
}

impl Report {
    /// A report of `rows` (values set, shares not yet): sorts them and computes the total,
    /// shares and concentration.
    pub(crate) fn from_rows(dimension: Dimension, measure: Measure, mut rows: Vec<Row>, top: usize) -> Report {
        let total = sum(rows.iter().map(|r| r.value));
        let split = (measure == Measure::Total).then(|| ValueSplit {
            money: sum(rows.iter().filter_map(|r| r.split).map(|s| s.money)),
            in_kind: sum(rows.iter().filter_map(|r| r.split).map(|s| s.in_kind)),
        });
        rows.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.key.cmp(&b.key)));
        let exact: Vec<Decimal> = rows.iter().map(|r| share(r.value, total)).collect();
        for (r, s) in rows.iter_mut().zip(&exact) {
            r.share = s.round_dp(4).normalize();
        }
        Report {
            dimension,
            measure,
            currency: None,
            concentration: concentration(&exact, top),
            rows,
            total: total.normalize(),
            split,
            activities: 0,
            activities_weighted: Decimal::ZERO,
            not_converted: Vec::new(),
            in_kind_not_valued: Vec::new(),
            merged_flows: 0,
        }
    }
}

impl Report {
    /// The rows merged into groups, as a report by `dimension`: `group` names a row's group
    /// (key, Spanish and English labels), or leaves the row out of the rows and the total with
    /// `None`. Values and money/in-kind parts add up; shares and concentration are computed
    /// again; what the report says of its activities, of money not converted and of merged
    /// flows stays. The parts of each activity stay as the first report split them.
    pub fn regroup(
        &self,
        dimension: Dimension,
        top: usize,
        mut group: impl FnMut(&Row) -> Option<(String, String, String)>,
    ) -> Report {
        let mut groups: std::collections::BTreeMap<String, Row> = Default::default();
        for row in &self.rows {
            let Some((key, label_es, label_en)) = group(row) else { continue };
            let g = groups.entry(key.clone()).or_insert_with(|| Row {
                key,
                label_es,
                label_en,
                value: Decimal::ZERO,
                share: Decimal::ZERO,
                split: None,
            });
            g.value = g.value.saturating_add(row.value);
            if let Some(s) = row.split {
                let total = g.split.get_or_insert_with(ValueSplit::default);
                total.money = total.money.saturating_add(s.money);
                total.in_kind = total.in_kind.saturating_add(s.in_kind);
            }
        }
        let rows = groups.into_values().map(|r| Row { value: r.value.normalize(), ..r }).collect();
        Report {
            currency: self.currency,
            activities: self.activities,
            activities_weighted: self.activities_weighted,
            not_converted: self.not_converted.clone(),
            in_kind_not_valued: self.in_kind_not_valued.clone(),
            merged_flows: self.merged_flows,
            ..Report::from_rows(dimension, self.measure, rows, top)
        }
    }
}

/// Top-`k` share and Herfindahl–Hirschman index of percentage shares sorted largest first.
pub fn concentration(shares: &[Decimal], k: usize) -> Concentration {
    let k = k.max(1);
    let top = sum(shares.iter().take(k).copied());
    let hhi = sum(shares.iter().map(|s| s.saturating_mul(*s)));
    Concentration { k, top_share: top.round_dp(4).normalize(), hhi: hhi.round_dp(2).normalize() }
}

/// The sum of `values`, saturating at the largest decimal instead of stopping: a report is
/// made of bounded values, and a sum beyond a decimal's 7.9 × 10^28 can only come from data
/// stored before the bounds existed — it must not take a page down.
pub fn sum(values: impl Iterator<Item = Decimal>) -> Decimal {
    values.fold(Decimal::ZERO, Decimal::saturating_add)
}

/// `value` as a percentage of `total` (0 when the total is 0), never failing.
pub fn share(value: Decimal, total: Decimal) -> Decimal {
    value.saturating_mul(Decimal::ONE_HUNDRED).checked_div(total).unwrap_or(Decimal::ZERO)
}

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The catalog has no money: only counts make sense.
    #[error("the catalog can only be counted, not valued")]
    CatalogHasNoValue,
    /// A filter names a row the dimension does not have.
    #[error("{}: unknown value `{value}`", .dimension.code())]
    UnknownValue { dimension: Dimension, value: String, suggestions: Vec<String> },
    #[error("the year range starts ({from}) after it ends ({to})")]
    YearRange { from: i32, to: i32 },
    #[error("years are filtered with a year range, not as a dimension value")]
    YearAsFilter,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ReportError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReportError::CatalogHasNoValue => lang
                .pick(
                    "el catálogo de capacidades solo se cuenta (--measure count), no tiene valor monetario",
                    "the capacities catalog can only be counted (--measure count), it has no money value",
                )
                .to_owned(),
            ReportError::UnknownValue { dimension, value, suggestions } => {
                let mut m = match lang {
                    Lang::Es => format!("{}: valor desconocido `{value}`", dimension.code()),
                    Lang::En => format!("{}: unknown value `{value}`", dimension.code()),
                };
                if !suggestions.is_empty() {
                    m.push_str(&match lang {
                        Lang::Es => format!("; ¿quiso decir {}?", suggestions.join(", ")),
                        Lang::En => format!("; did you mean {}?", suggestions.join(", ")),
                    });
                }
                m
            }
            ReportError::YearRange { from, to } => match lang {
                Lang::Es => format!("--from {from} es posterior a --to {to}: el periodo empieza después de terminar"),
                Lang::En => format!("--from {from} is after --to {to}: the period starts after it ends"),
            },
            ReportError::YearAsFilter => lang
                .pick("los años se filtran con --year o --from/--to", "years are filtered with --year or --from/--to")
                .to_owned(),
            ReportError::Store(e) => e.message(lang),
        }
    }
}

/// The thematic area (DAC sector group) of a sector, if it is a DAC code or category.
fn area_of(vocabulary: &str, code: &str) -> Option<&'static str> {
    match vocabulary {
        "1" => SectorCode::parse(code).ok()?.thematic_area().map(|a| a.entry().code),
        "2" => SectorCategoryCode::parse(code).ok()?.thematic_area().map(|a| a.entry().code),
        _ => None,
    }
}

/// Spreads one record over the thematic areas of its `sectors` by percentage (the rule of
/// activities, in exact decimals: the catalog is small).
fn split_catalog(sectors: &[SectorShare], into: &mut std::collections::BTreeMap<&'static str, Decimal>) {
    let dac: Vec<(&'static str, Decimal)> = sectors
        .iter()
        .filter_map(|s| area_of(s.sector.vocabulary(), s.sector.code()).map(|a| (a, s.percent.value())))
        .collect();
    let total = sum(dac.iter().map(|d| d.1));
    if total.is_zero() {
        let n = into.entry(UNCLASSIFIED).or_default();
        *n = n.saturating_add(Decimal::ONE);
        return;
    }
    for (area, pct) in dac {
        let n = into.entry(area).or_default();
        *n = n.saturating_add(pct.checked_div(total).unwrap_or(Decimal::ZERO));
    }
}

/// The capacities catalog by thematic area (counts only: capacities have no money).
pub fn catalog_themes(store: &dyn Store, top: usize) -> Result<Report, ReportError> {
    let mut areas = std::collections::BTreeMap::new();
    let mut n = 0u64;
    for capacity in store.capacities()? {
        split_catalog(&capacity.parts().sectors, &mut areas);
        n = n.saturating_add(1);
    }
    let rows = areas
        .into_iter()
        .map(|(key, value)| {
            let (label_es, label_en) = match coopera_domain::codelists::THEMATIC_AREA.get(key) {
                Some(c) => (c.name_es.to_owned(), c.name_en.to_owned()),
                None => ("Sin clasificar".to_owned(), "Unclassified".to_owned()),
            };
            Row { key: key.to_owned(), label_es, label_en, value: value.normalize(), share: Decimal::ZERO, split: None }
        })
        .collect();
    let mut report = Report::from_rows(Dimension::ThematicArea, Measure::Count, rows, top);
    report.activities = n;
    report.activities_weighted = Decimal::from(n);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hhi_by_hand() {
        // 50² + 30² + 20² = 2500 + 900 + 400 = 3800; top 2 = 50 + 30 = 80
        let shares = [Decimal::from(50), Decimal::from(30), Decimal::from(20)];
        let c = concentration(&shares, 1);
        assert_eq!(c.top_share, Decimal::from(50));
        assert_eq!(c.hhi, Decimal::from(3800));
        assert_eq!(concentration(&shares, 2).top_share, Decimal::from(80));
        // one row only: complete concentration
        assert_eq!(concentration(&[Decimal::ONE_HUNDRED], 1).hhi, Decimal::from(10000));
    }

    #[test]
    fn regroup_adds_rows_up_and_leaves_out_the_ungrouped() {
        let row = |key: &str, value: i64, money: i64| Row {
            key: key.into(),
            label_es: key.into(),
            label_en: key.into(),
            value: Decimal::from(value),
            share: Decimal::ZERO,
            split: Some(ValueSplit { money: Decimal::from(money), in_kind: Decimal::from(value - money) }),
        };
        // Three organisations: two Spanish, one without a country.
        let mut partners = Report::from_rows(
            Dimension::Partner,
            Measure::Total,
            vec![row("aecid", 30, 20), row("fiiapp", 10, 10), row("undp", 60, 60)],
            1,
        );
        partners.activities = 7;
        partners.merged_flows = 2;
        let by_country = partners.regroup(Dimension::Country, 1, |r| {
            (r.key != "undp").then(|| ("ES".to_owned(), "España".to_owned(), "Spain".to_owned()))
        });
        assert_eq!(by_country.rows.len(), 1);
        let es = &by_country.rows[0];
        assert_eq!((es.key.as_str(), es.label(Lang::Es), es.value, es.share), ("ES", "España", 40.into(), 100.into()));
        assert_eq!(es.split, Some(ValueSplit { money: 30.into(), in_kind: 10.into() }));
        assert_eq!(by_country.total, Decimal::from(40));
        assert_eq!(by_country.split, es.split);
        assert_eq!(by_country.concentration.hhi, Decimal::from(10000));
        assert_eq!((by_country.activities, by_country.merged_flows), (7, 2));
        assert_eq!(by_country.dimension, Dimension::Country);
    }
}
