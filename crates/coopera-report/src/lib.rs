//! Reports over the registry and the catalog: figures grouped by a dimension (thematic area,
//! partner country and region, partner, modality, year…), with shares and concentration, in
//! counts of activities and in money converted at dated rates.
//!
//! Reports run over a [`Snapshot`]: the registry read once into compact columns
//! ([`Snapshot::load`]), which a command-line run loads and a server keeps in memory. A
//! [`Query`] names the dimension, the measure, the currency and the filters; [`run`] returns a
//! [`Report`].
//!
//! # The rules
//!
//! **Whose geography.** The countries and regions of a report are the partners' by default
//! (`countries`, `regions`): for cooperation given, where it went — the recipient countries
//! and regions; for cooperation received, where it came from — the providers' countries, an
//! international organisation under "multilateral"; for both ways, the partner on each side.
//! The home country is never its own partner. The rule in full is in [`partner`]. IATI's
//! recipient countries and regions (where the home country is the recipient of what it
//! receives) remain as `recipient-countries`, `recipient-regions` and `dac-regions`.
//!
//! **A count is of whole activities.** Measure `count`: an activity counts once in every row
//! it touches — an activity in two thematic areas counts in both — so the rows of a dimension
//! with several values per activity overlap: they may add up to more than the total, and
//! their shares to more than 100 % ([`Report::rows_overlap`] says when). The total is the
//! number of distinct activities, and shares are of it.
//!
//! **Money, and the weighted count, are split.** For money (and for measure `weighted`, an
//! activity counting as one), an activity's value is spread over the rows of the dimension
//! and the parts add up to the whole, so the total is the sum of the rows and nothing is
//! counted twice:
//! - by the percentages of its DAC sectors (vocabularies 1 and 2, divided by their actual sum;
//!   a record with both lists counts each half) for thematic area, DAC category and DAC code;
//!   by the percentages of its SDG sectors (vocabularies 7 and 8), else in equal parts of its
//!   SDG list, for SDG goals;
//! - by the percentages of its recipient countries and regions, taken together, for the
//!   recipient country, recipient region and DAC region (a share given to a region goes to
//!   that region's row of the country report, and to its grouping and DAC region: see
//!   [`geo`]); by the parts [`partner`] gives the partners' places, for partner country and
//!   partner region;
//! - in equal parts where a dimension has several values and no percentages: partners
//!   (participating organisations that are not of the home country), actor levels and Mexican
//!   states (of the home country's participants, and the states where it takes place), schemes
//!   (South-South, North-South, decentralised, cross-border) and cross-border agenda dimensions.
//!
//! Parts are kept in millionths with largest-remainder rounding, so the parts of an activity
//! add up to exactly one.
//!
//! **Not specified.** An activity without a value for the dimension goes whole to the row
//! "unclassified" (thematic areas) or "not specified" (key `none`), listed last; only border
//! and agenda reports leave out the activities that are not cross-border.
//!
//! **Who sees what.** Every query says which activities may be seen at all
//! ([`Visibility`], in [`Filters::visible`]): all of them (the command line, by default), the
//! published ones (the public), or the published ones and those of a scope (a signed-in
//! account: an activity its reporting organisation, or the state of one of its state or
//! municipal participants, puts in the scope; `coopera_domain::access`). An activity that may
//! not be seen is in no report, nor in a list, map or download of a selection, as if it were
//! not in the registry: a flow that names it as its provider is not merged into it.
//!
//! **Filters.** Single-valued filters (direction, modality, instrument, type, status,
//! workflow, border) keep or drop an activity. A filter on a dimension with several values per
//! activity keeps the activities with any value in the chosen rows; a count takes them whole,
//! while money and the weighted count take only the part in those rows: a report filtered to
//! Guatemala adds the Guatemalan part of the money of an activity shared with Honduras, so it
//! matches the Guatemala row of the country report. Several such filters multiply. A year
//! range keeps the activities running at some time in it (start ≤ last year and end ≥ first
//! year; an activity without dates is left out) and, for money, only the flows dated in it.
//!
//! **Measures.** Count; weighted count; committed: commitments (IATI transaction type 2), else
//! incoming commitments (11), else the sum of budgets; disbursed: disbursements (3), else
//! incoming funds (1); spent: expenditure (4); in kind: units × their own unit value, else ×
//! the published rate of the unit ([`InKindRates`]); total: committed plus in kind. A flow
//! counts in the year of its date (budgets: period start; in kind: the activity's start).
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
//! a report, the incoming side is dropped and the report says how many it merged.
//!
//! **Concentration** ([`concentration`]) is measured over the rows that have a value: the row
//! "not specified" ("unclassified") is shown but left out. Each row's part is its value over
//! the sum of those rows — of the activities that have a value, or, where a count's rows
//! overlap, of their assignments to rows — so the parts add up to 100 %: the share of the top
//! k rows, and the Herfindahl–Hirschman index, the sum of the squared percentage parts
//! (0–10 000), computed from exact parts. The command line, the web pages, the API and the
//! workbooks all show this one figure.

#![warn(clippy::arithmetic_side_effects)]

use coopera_domain::Lang;
use coopera_domain::activity::SectorShare;
use coopera_domain::code::{CurrencyCode, SectorCategoryCode, SectorCode};
use coopera_domain::kinds::InKindUnit;
use coopera_store::{Store, StoreError};
use rust_decimal::Decimal;

pub mod agenda;
pub mod csv;
pub mod demands;
mod dimension;
pub mod export;
pub mod geo;
pub mod list;
pub mod partner;
pub mod persist;
mod query;
pub mod rates;
mod selection;
mod snapshot;
pub mod synthetic;
mod visibility;
pub mod xlsx;

pub use dimension::{Currency, Dimension, Measure};
pub use query::{
    Filters, PerActivity, Query, SCHEMES, Selected, YearRange, keys, per_activity, per_activity_selected, run,
    run_selected, select,
};
pub use rates::{InKindRates, RateTable};
pub use selection::Selection;
pub use snapshot::{LoadOptions, LoadStats, Snapshot, Source};
pub use visibility::Visibility;

/// The key of the row for records without a DAC sector.
pub const UNCLASSIFIED: &str = "unclassified";
/// The key of the row for activities without a value for the dimension ("not specified").
pub const NOT_SPECIFIED: &str = "none";

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

    /// Whether the row is of activities that have a value for the dimension (not "not
    /// specified" nor "unclassified"): the rows concentration is measured over.
    pub fn is_assigned(&self) -> bool {
        self.key != NOT_SPECIFIED && self.key != UNCLASSIFIED
    }
}

/// A value in money and in kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValueSplit {
    pub money: Decimal,
    pub in_kind: Decimal,
}

/// How concentrated the rows that have a value are: the share of the top `k` of them and the
/// Herfindahl–Hirschman index (sum of squared percentage parts, 0–10 000), each row's part
/// being its value over the sum of those rows (see [`concentration`]).
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
    /// Rows with a value, largest first (ties by key), then the row "not specified" or
    /// "unclassified" if there is one.
    pub rows: Vec<Row>,
    /// A count: the number of distinct activities. Otherwise the sum of the rows.
    pub total: Decimal,
    /// Whether an activity counts in more than one row (a count over a dimension with several
    /// values per activity): the rows then add up to more than the total, and their shares to
    /// more than 100 %.
    pub rows_overlap: bool,
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
    /// A report of `rows` (values set, shares not yet) whose total is `total` (a count's
    /// distinct activities) or, with `None`, the sum of the rows: sorts the rows and computes
    /// the shares and concentration.
    pub(crate) fn from_rows(
        dimension: Dimension,
        measure: Measure,
        mut rows: Vec<Row>,
        total: Option<Decimal>,
        top: usize,
    ) -> Report {
        let sum_of_rows = sum(rows.iter().map(|r| r.value));
        let total = total.unwrap_or(sum_of_rows);
        let split = (measure == Measure::Total).then(|| ValueSplit {
            money: sum(rows.iter().filter_map(|r| r.split).map(|s| s.money)),
            in_kind: sum(rows.iter().filter_map(|r| r.split).map(|s| s.in_kind)),
        });
        rows.sort_by(|a, b| {
            b.is_assigned().cmp(&a.is_assigned()).then_with(|| b.value.cmp(&a.value)).then_with(|| a.key.cmp(&b.key))
        });
        for r in &mut rows {
            r.share = share(r.value, total).round_dp(4).normalize();
        }
        Report {
            dimension,
            measure,
            currency: None,
            concentration: concentration(&rows, top),
            rows_overlap: sum_of_rows > total,
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
    /// What a report whose rows overlap says of them, in `lang` (`None` when they do not).
    pub fn overlap_note(&self, lang: Lang) -> Option<&'static str> {
        self.rows_overlap.then(|| {
            lang.pick(
                "Una actividad cuenta en cada fila que toca: las filas se superponen y las participaciones pueden sumar más de 100 %.",
                "An activity counts in every row it touches: rows overlap, and shares may add up to more than 100%.",
            )
        })
    }
}

/// Concentration of `rows`, measured over the rows that have a value ([`Row::is_assigned`]):
/// each one's part is its value over the sum of those rows, so the parts add up to 100 %
/// whether or not the rows overlap; the share of the `k` largest parts (at least one) and the
/// Herfindahl–Hirschman index, the sum of the squared percentage parts (0–10 000).
pub fn concentration(rows: &[Row], k: usize) -> Concentration {
    let k = k.max(1);
    let mut values: Vec<Decimal> = rows.iter().filter(|r| r.is_assigned()).map(|r| r.value).collect();
    values.sort_by(|a, b| b.cmp(a));
    let total = sum(values.iter().copied());
    let parts: Vec<Decimal> = values.iter().map(|v| share(*v, total)).collect();
    let top = sum(parts.iter().take(k).copied());
    let hhi = sum(parts.iter().map(|s| s.saturating_mul(*s)));
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

/// The thematic areas of one record's `sectors` with their percentages (DAC codes and
/// categories only).
fn catalog_areas(sectors: &[SectorShare]) -> Vec<(&'static str, Decimal)> {
    let mut areas: Vec<(&'static str, Decimal)> = Vec::new();
    for s in sectors {
        let Some(area) = area_of(s.sector.vocabulary(), s.sector.code()) else { continue };
        match areas.iter_mut().find(|a| a.0 == area) {
            Some(a) => a.1 = a.1.saturating_add(s.percent.value()),
            None => areas.push((area, s.percent.value())),
        }
    }
    areas
}

/// The capacities catalog by thematic area, counted as activities are: `count` (whole
/// capacities, once in each area they touch) or `weighted` (split by sector percentages).
/// Capacities have no money.
pub fn catalog_themes(store: &Store, measure: Measure, top: usize) -> Result<Report, ReportError> {
    catalog_themes_of(&store.capacities()?, measure, top)
}

/// [`catalog_themes`] of some capacities (those a reader may see).
pub fn catalog_themes_of(
    capacities: &[coopera_domain::catalog::Capacity],
    measure: Measure,
    top: usize,
) -> Result<Report, ReportError> {
    if measure.is_money() {
        return Err(ReportError::CatalogHasNoValue);
    }
    let mut values: std::collections::BTreeMap<&'static str, Decimal> = std::collections::BTreeMap::new();
    let mut n = 0u64;
    for capacity in capacities {
        n = n.saturating_add(1);
        let areas = catalog_areas(&capacity.parts().sectors);
        let total = sum(areas.iter().map(|a| a.1));
        if areas.is_empty() || total <= Decimal::ZERO {
            let v = values.entry(UNCLASSIFIED).or_default();
            *v = v.saturating_add(Decimal::ONE);
            continue;
        }
        for (area, pct) in areas {
            let part = match measure {
                Measure::Weighted => pct.checked_div(total).unwrap_or(Decimal::ZERO),
                _ => Decimal::ONE,
            };
            let v = values.entry(area).or_default();
            *v = v.saturating_add(part);
        }
    }
    let rows = values
        .into_iter()
        .map(|(key, value)| {
            let (label_es, label_en) = match coopera_domain::codelists::THEMATIC_AREA.get(key) {
                Some(c) => (c.name_es.to_owned(), c.name_en.to_owned()),
                None => ("Sin clasificar".to_owned(), "Unclassified".to_owned()),
            };
            Row { key: key.to_owned(), label_es, label_en, value: value.normalize(), share: Decimal::ZERO, split: None }
        })
        .collect();
    let total = (measure == Measure::Count).then(|| Decimal::from(n));
    let mut report = Report::from_rows(Dimension::ThematicArea, measure, rows, total, top);
    report.activities = n;
    report.activities_weighted = Decimal::from(n);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, value: i64) -> Row {
        Row {
            key: key.into(),
            label_es: key.into(),
            label_en: key.into(),
            value: Decimal::from(value),
            share: Decimal::ZERO,
            split: None,
        }
    }

    #[test]
    fn hhi_by_hand() {
        // 50² + 30² + 20² = 2500 + 900 + 400 = 3800; top 2 = 50 + 30 = 80
        let rows = [row("a", 5), row("b", 3), row("c", 2)];
        let c = concentration(&rows, 1);
        assert_eq!(c.top_share, Decimal::from(50));
        assert_eq!(c.hhi, Decimal::from(3800));
        assert_eq!(concentration(&rows, 2).top_share, Decimal::from(80));
        // one row only: complete concentration
        assert_eq!(concentration(&[row("a", 7)], 1).hhi, Decimal::from(10000));
    }

    #[test]
    fn concentration_leaves_out_what_has_no_value() {
        // "Not specified" 90 and "unclassified" 10 are left out whatever their size: the parts
        // are of 5 + 3 + 2 = 10, as above. Rows in any order.
        let rows = [row(NOT_SPECIFIED, 90), row("c", 2), row(UNCLASSIFIED, 10), row("a", 5), row("b", 3)];
        let c = concentration(&rows, 1);
        assert_eq!((c.top_share, c.hhi), (Decimal::from(50), Decimal::from(3800)));
        // Nothing with a value: no concentration to measure.
        assert_eq!(concentration(&[row(NOT_SPECIFIED, 4)], 1).hhi, Decimal::ZERO);
    }

    #[test]
    fn rows_with_a_value_first_and_a_counts_total_is_its_activities() {
        // Four activities; an activity in both a and b counts in both (5 assignments).
        let rows = vec![row(NOT_SPECIFIED, 1), row("b", 2), row("a", 2)];
        let r = Report::from_rows(Dimension::Partner, Measure::Count, rows, Some(Decimal::from(4)), 1);
        let keys: Vec<&str> = r.rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["a", "b", NOT_SPECIFIED], "ties by key, not specified last");
        assert_eq!(r.total, Decimal::from(4));
        assert!(r.rows_overlap);
        // Shares of the 4 activities: 50 + 50 + 25 = 125 %.
        let shares: Vec<Decimal> = r.rows.iter().map(|r| r.share).collect();
        assert_eq!(shares, [Decimal::from(50), Decimal::from(50), Decimal::from(25)]);
        // Concentration over a and b: halves.
        assert_eq!(r.concentration.top_share, Decimal::from(50));
        assert_eq!(r.concentration.hhi, Decimal::from(5000));
        // Without a total of its own, the total is the sum of the rows: no overlap.
        let r = Report::from_rows(Dimension::Partner, Measure::Weighted, vec![row("a", 3), row("b", 1)], None, 1);
        assert_eq!((r.total, r.rows_overlap), (Decimal::from(4), false));
    }
}
