//! Reports as the API shows them (and `coopera report --format json` prints them): the
//! reports there are, and one report's rows, total and concentration.

use coopera_domain::Lang;
use coopera_report::Currency;
use schemars::JsonSchema;
use serde::Serialize;

use super::Number;
use crate::api::openapi::values;

/// The currencies the API converts money to.
pub const CURRENCIES: [Currency; 2] = [Currency::Usd, Currency::Mxn];

/// `GET /api/v1/reports`: the reports there are, and what they can add up.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReportList {
    pub reports: Vec<ReportInfo>,
    #[schemars(schema_with = "values::measures")]
    pub measures: Vec<&'static str>,
    #[schemars(schema_with = "values::currencies")]
    pub currencies: Vec<&'static str>,
}

/// A report: its name, the dimension its rows are, and where it is.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReportInfo {
    #[schemars(schema_with = "values::report_name")]
    pub name: &'static str,
    #[schemars(schema_with = "values::dimension")]
    pub dimension: &'static str,
    /// In the request's language.
    pub label: &'static str,
    #[schemars(extend("pattern" = "^/api/v1/reports/"))]
    pub href: String,
}

/// `GET /api/v1/reports/{name}`: the rows of a dimension with their value and share, the
/// total and the concentration.
// `filters` is the caller's account of the filters it applied: the API's are
// `ReportFilters`, the command line (`coopera report --format json`) writes its own.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(rename = "Report")]
pub struct Report<F> {
    #[schemars(schema_with = "values::report_name")]
    pub report: String,
    #[schemars(schema_with = "values::dimension")]
    pub dimension: &'static str,
    #[schemars(schema_with = "values::lang")]
    pub lang: &'static str,
    pub filters: F,
    #[schemars(schema_with = "values::measure")]
    pub measure: &'static str,
    #[schemars(schema_with = "values::currency_or_null")]
    pub currency: Option<&'static str>,
    pub rows: Vec<ReportRow>,
    /// `count`: the number of distinct activities (not the sum of overlapping rows); otherwise
    /// the sum of the rows.
    pub total: Number,
    /// Whether an activity counts in more than one row: the rows add up to more than `total`,
    /// and their shares to more than 100.
    pub rows_overlap: bool,
    pub concentration: Concentration,
    /// Activities in the report (with any part in it).
    pub activities: u64,
    /// Amounts left out because no rate converts them, in their own currency.
    pub not_converted: Vec<NotConverted>,
    /// Incoming flows left out because their provider activity's own flow is in the report.
    pub merged_flows: u64,
    /// Measure `total` only: the part of the total that is money and the part that is in kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
    /// Money measures only: in-kind quantities that neither a unit value nor a rate values, by
    /// unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_kind_not_valued: Option<Vec<InKindQuantity>>,
}

impl<F> Report<F> {
    /// The report named `name` (as asked for) in `lang`, with the caller's account of its
    /// filters.
    pub fn new(report: &coopera_report::Report, name: &str, filters: F, lang: Lang) -> Report<F> {
        let split = |s: coopera_report::ValueSplit| Split { money: Number(s.money), in_kind: Number(s.in_kind) };
        Report {
            report: name.to_owned(),
            dimension: report.dimension.code(),
            lang: lang.code(),
            filters,
            measure: report.measure.code(),
            currency: report.currency.map(|c| c.code()),
            rows: report
                .rows
                .iter()
                .map(|r| ReportRow {
                    key: r.key.clone(),
                    label: r.label(lang).to_owned(),
                    value: Number(r.value),
                    share: Number(r.share),
                    money: r.split.map(|s| Number(s.money)),
                    in_kind: r.split.map(|s| Number(s.in_kind)),
                })
                .collect(),
            total: Number(report.total),
            rows_overlap: report.rows_overlap,
            concentration: Concentration {
                k: report.concentration.k,
                top_share: Number(report.concentration.top_share),
                hhi: Number(report.concentration.hhi),
            },
            activities: report.activities,
            not_converted: report
                .not_converted
                .iter()
                .map(|(c, a)| NotConverted { currency: c.as_str().to_owned(), amount: Number(*a) })
                .collect(),
            merged_flows: report.merged_flows,
            split: report.split.map(split),
            in_kind_not_valued: report.measure.is_money().then(|| {
                report
                    .in_kind_not_valued
                    .iter()
                    .map(|(u, q)| InKindQuantity { unit: u.code(), quantity: Number(*q) })
                    .collect()
            }),
        }
    }
}

/// A row of a report: a value of its dimension.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReportRow {
    pub key: String,
    /// In the request's language.
    pub label: String,
    pub value: Number,
    /// Percent of the total.
    #[schemars(range(min = 0, max = 100))]
    pub share: Number,
    /// Measure `total` only: the part of the value that is money.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub money: Option<Number>,
    /// Measure `total` only: the part of the value that is in kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_kind: Option<Number>,
}

/// Over the rows other than `none` and `unclassified`, each as a part of their sum.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Concentration {
    /// How many rows the top share adds up.
    #[schemars(range(min = 1, max = 100))]
    pub k: usize,
    /// The share of the `k` largest rows, in percent.
    #[schemars(range(min = 0, max = 100))]
    pub top_share: Number,
    /// The Herfindahl–Hirschman index of the rows' shares (0 to 10,000).
    #[schemars(range(min = 0, max = 10000))]
    pub hhi: Number,
}

/// An amount no rate converts, in its own currency.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NotConverted {
    /// ISO 4217 currency code.
    #[schemars(extend("pattern" = "^[A-Z]{3}$"))]
    pub currency: String,
    pub amount: Number,
}

/// A quantity of an in-kind unit.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct InKindQuantity {
    #[schemars(extend("x-codelist" = "InKindUnit"))]
    pub unit: &'static str,
    pub quantity: Number,
}

/// A value split into money and in kind.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Split {
    pub money: Number,
    pub in_kind: Number,
}

/// The filters applied, as codes (a state as its INEGI code); `null` for those not given.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReportFilters {
    pub year: Option<i32>,
    #[schemars(extend("x-codelist" = "Direction"))]
    pub direction: Option<&'static str>,
    #[schemars(extend("x-codelist" = "Modality"))]
    pub modality: Option<&'static str>,
    #[schemars(extend("x-codelist" = "ThematicArea"))]
    pub sector_group: Option<&'static str>,
    #[schemars(extend("x-codelist" = "MxState"))]
    pub state: Option<&'static str>,
    #[schemars(extend("pattern" = "^[A-Z]{2}$"))]
    pub country: Option<&'static str>,
    #[schemars(extend("pattern" = "^[A-Z]{2}$"))]
    pub partner_country: Option<&'static str>,
    #[schemars(schema_with = "values::partner_region_or_null")]
    pub partner_region: Option<&'static str>,
    #[schemars(schema_with = "values::scheme_or_null")]
    pub scheme: Option<&'static str>,
    #[schemars(extend("x-codelist" = "Border"))]
    pub border: Option<&'static str>,
    #[schemars(extend("x-codelist" = "CrossBorderDimension"))]
    pub agenda: Option<&'static str>,
    pub partner: Option<String>,
    #[schemars(extend("x-codelist" = "Level"))]
    pub level: Option<&'static str>,
    #[schemars(extend("x-codelist" = "UNSDG-Goals"))]
    pub sdg: Option<&'static str>,
    #[schemars(extend("x-codelist" = "Instrument"))]
    pub instrument: Option<&'static str>,
    #[schemars(extend("x-codelist" = "CooperationType"))]
    pub cooperation_type: Option<&'static str>,
    #[schemars(extend("x-codelist" = "ActivityStatus"))]
    pub status: Option<&'static str>,
    /// Which records the figures count: `published` (what the public sees: records the agency
    /// validated and published), `scope` (those and the unpublished records of the token's
    /// account scope, `view=mine`) or `all` (an agency-wide account's `view=mine`).
    #[schemars(extend("enum" = ["published", "scope", "all"]))]
    pub records: &'static str,
}
