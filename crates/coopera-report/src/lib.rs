//! Reports over the registry and the catalog: figures rolled up by thematic area, with shares
//! and concentration.
//!
//! **Splitting rule.** An activity or capacity counts once in total. Its weight is spread over
//! the thematic areas of its DAC sectors (vocabulary 1, 5-digit, or 2, 3-digit) by their
//! percentages, so rows are fractions that add up to the total. One with no DAC sector goes to
//! the row "unclassified" whole. Values are split the same way.
//!
//! **Money.** Values are decimal, never floating point. Until dated exchange rates are loaded,
//! a value report adds only amounts already in the report currency and lists the amounts in
//! other currencies apart, as not converted — never as zero.

use std::collections::BTreeMap;

use coopera_domain::Lang;
use coopera_domain::activity::SectorShare;
use coopera_domain::code::{CurrencyCode, SectorCategoryCode, SectorCode};
use coopera_domain::codelists::{self, Code};
use coopera_domain::kinds::Direction;
use coopera_store::{ActivityFilter, Store, StoreError};
use rust_decimal::Decimal;

/// The key of the row for records without a DAC sector.
pub const UNCLASSIFIED: &str = "unclassified";

/// What a thematic-area report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Activities of the registry.
    Activities,
    /// Capacities of the catalog.
    Catalog,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Number of activities or capacities.
    Count,
    /// Money committed (commitments, else budgets) plus in-kind value.
    Value,
}

impl Measure {
    pub fn code(self) -> &'static str {
        match self {
            Measure::Count => "count",
            Measure::Value => "value",
        }
    }
}

/// A thematic-area report request.
#[derive(Debug, Clone)]
pub struct ThemeQuery {
    pub source: Source,
    /// `None`: given and received alike.
    pub direction: Option<Direction>,
    pub year: Option<i32>,
    pub measure: Measure,
    /// The currency of a value report.
    pub currency: CurrencyCode,
}

/// One row: a thematic area, its value and its share of the total (percent).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub key: String,
    pub label_es: String,
    pub label_en: String,
    pub value: Decimal,
    pub share: Decimal,
}

impl Row {
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.label_es, &self.label_en)
    }
}

/// How concentrated the rows are: the share of the top row and the Herfindahl–Hirschman index
/// (sum of squared percentage shares, 0–10 000).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Concentration {
    pub top_share: Decimal,
    pub hhi: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// `themes`.
    pub name: &'static str,
    pub measure: Measure,
    /// The currency of a value report.
    pub currency: Option<CurrencyCode>,
    /// Rows by value, largest first.
    pub rows: Vec<Row>,
    pub total: Decimal,
    pub concentration: Concentration,
    /// Amounts left out of a value report because they are in another currency.
    pub not_converted: Vec<(String, Decimal)>,
}

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The catalog has no money: only counts make sense.
    #[error("the catalog can only be counted, not valued")]
    CatalogHasNoValue,
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
            ReportError::Store(e) => e.message(lang),
        }
    }
}

/// The thematic area (DAC sector group) of a sector, if it is a DAC code or category.
fn area_of(vocabulary: &str, code: &str) -> Option<&'static Code> {
    match vocabulary {
        "1" => SectorCode::parse(code).ok()?.thematic_area().map(|a| a.entry()),
        "2" => SectorCategoryCode::parse(code).ok()?.thematic_area().map(|a| a.entry()),
        _ => None,
    }
}

/// Spreads `weight` over the thematic areas of `sectors` (vocabulary, code, percentage).
fn split<'a>(
    sectors: impl Iterator<Item = (&'a str, &'a str, Decimal)>,
    weight: Decimal,
    into: &mut BTreeMap<&'static str, Decimal>,
) {
    let mut dac: Vec<(&'static str, Decimal)> = Vec::new();
    let mut dac_sum = Decimal::ZERO;
    let mut has_dac = false;
    for (vocabulary, code, pct) in sectors {
        if !matches!(vocabulary, "1" | "2") {
            continue;
        }
        has_dac = true;
        if let Some(area) = area_of(vocabulary, code) {
            dac.push((area.code, pct));
            dac_sum += pct;
        }
    }
    if !has_dac || dac_sum.is_zero() {
        *into.entry(UNCLASSIFIED).or_default() += weight;
        return;
    }
    // Percentages of one vocabulary add up to 100 (±0.01) — divide by their actual sum so
    // the parts always add up to the whole weight. DAC 5-digit and 3-digit lists on the same
    // record are both complete descriptions; dividing by the sum of both counts each half.
    for (area, pct) in dac {
        *into.entry(area).or_default() += weight * pct / dac_sum;
    }
}

fn shares_sector(s: &SectorShare) -> (&str, &str, Decimal) {
    (s.sector.vocabulary(), s.sector.code(), s.percent.value())
}

/// The thematic-area report: count or value by DAC sector group.
pub fn themes(store: &dyn Store, query: &ThemeQuery) -> Result<Report, ReportError> {
    let mut areas: BTreeMap<&'static str, Decimal> = BTreeMap::new();
    let mut not_converted: BTreeMap<String, Decimal> = BTreeMap::new();
    match query.source {
        Source::Catalog => {
            if query.measure == Measure::Value {
                return Err(ReportError::CatalogHasNoValue);
            }
            for capacity in store.capacities()? {
                split(capacity.parts().sectors.iter().map(shares_sector), Decimal::ONE, &mut areas);
            }
        }
        Source::Activities => {
            let filter = ActivityFilter { direction: query.direction, year: query.year, ..Default::default() };
            for facts in store.activity_facts(&filter)? {
                let sectors = facts.sectors.iter().map(|(v, c, p)| (v.as_str(), c.as_str(), *p));
                let weight = match query.measure {
                    Measure::Count => Decimal::ONE,
                    Measure::Value => {
                        let mut in_currency = Decimal::ZERO;
                        for (currency, amount) in facts.committed.iter().chain(&facts.in_kind) {
                            if currency == query.currency.as_str() {
                                in_currency += amount;
                            } else {
                                *not_converted.entry(currency.clone()).or_default() += amount;
                            }
                        }
                        in_currency
                    }
                };
                if !weight.is_zero() {
                    split(sectors, weight, &mut areas);
                }
            }
        }
    }
    Ok(build("themes", query, areas, not_converted))
}

fn label(key: &str) -> (String, String) {
    match codelists::THEMATIC_AREA.get(key) {
        Some(c) => (c.name_es.to_owned(), c.name_en.to_owned()),
        None => ("Sin clasificar".to_owned(), "Unclassified".to_owned()),
    }
}

fn build(
    name: &'static str,
    query: &ThemeQuery,
    values: BTreeMap<&'static str, Decimal>,
    not_converted: BTreeMap<String, Decimal>,
) -> Report {
    let total: Decimal = values.values().sum();
    let mut rows: Vec<Row> = values
        .into_iter()
        .map(|(key, value)| {
            let (label_es, label_en) = label(key);
            let share = if total.is_zero() { Decimal::ZERO } else { value * Decimal::ONE_HUNDRED / total };
            Row {
                key: key.to_owned(),
                label_es,
                label_en,
                value: value.normalize(),
                share: share.round_dp(4).normalize(),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.key.cmp(&b.key)));
    Report {
        name,
        measure: query.measure,
        currency: (query.measure == Measure::Value).then_some(query.currency),
        concentration: concentration(&rows),
        rows,
        total: total.normalize(),
        not_converted: not_converted.into_iter().collect(),
    }
}

/// Top-row share and Herfindahl–Hirschman index of rows whose shares are percentages.
pub fn concentration(rows: &[Row]) -> Concentration {
    let top_share = rows.iter().map(|r| r.share).max().unwrap_or_default();
    let hhi: Decimal = rows.iter().map(|r| r.share * r.share).sum();
    Concentration { top_share, hhi: hhi.round_dp(2).normalize() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(share: i64) -> Row {
        Row {
            key: String::new(),
            label_es: String::new(),
            label_en: String::new(),
            value: Decimal::from(share),
            share: Decimal::from(share),
        }
    }

    #[test]
    fn hhi_by_hand() {
        // 50² + 30² + 20² = 2500 + 900 + 400 = 3800
        let c = concentration(&[row(50), row(30), row(20)]);
        assert_eq!(c.top_share, Decimal::from(50));
        assert_eq!(c.hhi, Decimal::from(3800));
        // one row only: complete concentration
        assert_eq!(concentration(&[row(100)]).hhi, Decimal::from(10000));
    }

    #[test]
    fn split_follows_percentages_and_keeps_the_whole() {
        let mut areas = BTreeMap::new();
        // 60 % environment, 40 % government; a second record with no DAC sector.
        split(
            [("1", "41010", Decimal::from(60)), ("1", "15110", Decimal::from(40))].into_iter(),
            Decimal::ONE,
            &mut areas,
        );
        split([("99", "X", Decimal::from(100))].into_iter(), Decimal::ONE, &mut areas);
        // 33.33 × 3 = 99.99: the parts still add up to exactly one.
        let third = Decimal::new(3333, 2);
        split(
            [("1", "11110", third), ("1", "31110", third), ("1", "12110", third)].into_iter(),
            Decimal::ONE,
            &mut areas,
        );
        assert_eq!(areas["410"], Decimal::new(6, 1));
        assert_eq!(areas["150"], Decimal::new(4, 1));
        assert_eq!(areas[UNCLASSIFIED], Decimal::ONE);
        let sum: Decimal = areas.values().sum();
        assert_eq!(sum.round_dp(20), Decimal::from(3));
    }
}
