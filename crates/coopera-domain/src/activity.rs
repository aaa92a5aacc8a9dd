//! The activity (iniciativa de cooperación): the unit of the national registry.

use rust_decimal::Decimal;
use time::Date;

use crate::code::{
    ActivityStatusCode, AidTypeCode, CollaborationTypeCode, CountryCode, CurrencyCode, FinanceTypeCode, FlowTypeCode,
    MxMunicipalityCode, MxStateCode, PolicyMarkerCode, RegionCode, SdgGoalCode, SdgTargetCode, SectorCategoryCode,
    SectorCode, TransactionTypeCode,
};
use crate::code::{DocumentCategoryCode, RelatedActivityTypeCode, TiedStatusCode};
use crate::ids::{ActivityKey, OrgKey};
use crate::kinds::{
    Border, CooperationType, CrossBorderDimension, Direction, InKindUnit, Instrument, Modality, Role, WorkflowState,
};
use crate::organisation::Organisation;
use crate::problem::{Problems, Rule};
use crate::share::{Percent, check_sums};
use crate::text::Text;

/// An amount of money in a currency. Decimal, never floating point.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    pub amount: Decimal,
    pub currency: CurrencyCode,
}

/// An organisation taking part, with its role.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq)]
pub struct Participant {
    pub org: OrgKey,
    pub role: Role,
}

/// A sector in one of the vocabularies Coopera checks, or any other vocabulary kept as given.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SectorRef {
    /// OECD DAC 5-digit purpose code (IATI vocabulary 1).
    Dac(SectorCode),
    /// OECD DAC 3-digit category (IATI vocabulary 2).
    DacCategory(SectorCategoryCode),
    /// SDG goal (IATI vocabulary 7).
    SdgGoal(SdgGoalCode),
    /// SDG target (IATI vocabulary 8).
    SdgTarget(SdgTargetCode),
    /// Another IATI sector vocabulary, unchecked.
    Other { vocabulary: String, code: String },
}

impl SectorRef {
    /// The IATI SectorVocabulary code.
    pub fn vocabulary(&self) -> &str {
        match self {
            SectorRef::Dac(_) => "1",
            SectorRef::DacCategory(_) => "2",
            SectorRef::SdgGoal(_) => "7",
            SectorRef::SdgTarget(_) => "8",
            SectorRef::Other { vocabulary, .. } => vocabulary,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            SectorRef::Dac(c) => c.as_str(),
            SectorRef::DacCategory(c) => c.as_str(),
            SectorRef::SdgGoal(c) => c.as_str(),
            SectorRef::SdgTarget(c) => c.as_str(),
            SectorRef::Other { code, .. } => code,
        }
    }

    /// The thematic area (DAC group) of a DAC code or category.
    pub fn thematic_area(&self) -> Option<crate::code::ThematicAreaCode> {
        match self {
            SectorRef::Dac(c) => c.thematic_area(),
            SectorRef::DacCategory(c) => c.thematic_area(),
            _ => None,
        }
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq)]
pub struct SectorShare {
    pub sector: SectorRef,
    pub percent: Percent,
}

/// A sustainable development goal or one of its targets.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Sdg {
    Goal(SdgGoalCode),
    Target(SdgTargetCode),
}

/// A policy marker and how significant the policy is to the activity (IATI PolicySignificance).
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq)]
pub struct PolicyMarkerEntry {
    pub marker: PolicyMarkerCode,
    /// 0 not targeted, 1 significant, 2 principal, 3 principal and in most projects, 4 explicit.
    pub significance: u8,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq)]
pub struct CountryShare {
    pub country: CountryCode,
    pub percent: Percent,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq)]
pub struct RegionShare {
    pub region: RegionCode,
    pub percent: Percent,
}

/// A Mexican state, and optionally one of its municipalities, where the activity happens or
/// which takes part.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq)]
pub struct MxPlace {
    pub state: MxStateCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<MxMunicipalityCode>,
}

/// A location: a named place, with its coordinates (WGS 84) where known.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct Point {
    /// The publisher's own reference for the location (IATI `location/@ref`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub name: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<Decimal>,
}

/// A label from a tag vocabulary other than the SDGs (which are kept as [`Sdg`]).
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq)]
pub struct Tag {
    pub vocabulary: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub name: Text,
}

/// Another activity this one is linked to: its parent, a child, a sibling, a co-funded one.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq)]
pub struct RelatedActivity {
    pub kind: RelatedActivityTypeCode,
    /// The IATI identifier of the other activity (it need not be in the registry).
    pub identifier: String,
}

/// A document published about the activity. As in IATI, it has a title, a media type and at
/// least one category.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq)]
pub struct DocumentLink {
    pub url: String,
    /// IANA media type, e.g. `application/pdf`.
    pub format: String,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub title: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<DocumentCategoryCode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
}

/// Money expected to flow in a period.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct PlannedDisbursement {
    /// Revised (IATI BudgetType 2) rather than original.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revised: bool,
    pub period_start: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<Date>,
    pub value: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<TransactionParty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<TransactionParty>,
}

/// Cross-border cooperation: the border and the dimensions of the agenda it serves.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq)]
pub struct CrossBorder {
    pub border: Border,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<CrossBorderDimension>,
}

impl CrossBorder {
    /// "Frontera sur (Guatemala y Belice): Migración, Mercados laborales", for a list or a page.
    pub fn label(&self, lang: crate::Lang) -> String {
        let border = self.border.label(lang);
        if self.dimensions.is_empty() {
            return border.to_owned();
        }
        let dims: Vec<&str> = self.dimensions.iter().map(|d| d.label(lang)).collect();
        format!("{border}: {}", dims.join(", "))
    }

    /// "south: migration; labour-markets", the codes as a spreadsheet's cells take them.
    pub fn codes(&self) -> String {
        let dims: Vec<&str> = self.dimensions.iter().map(|d| d.code()).collect();
        match dims.is_empty() {
            true => self.border.code().to_owned(),
            false => format!("{}: {}", self.border.code(), dims.join("; ")),
        }
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActivityDates {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_start: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_end: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_start: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_end: Option<Date>,
}

impl ActivityDates {
    /// The best known start: actual, else planned.
    pub fn start(&self) -> Option<Date> {
        self.actual_start.or(self.planned_start)
    }

    pub fn end(&self) -> Option<Date> {
        self.actual_end.or(self.planned_end)
    }
}

/// Orthogonal flags typed by the user. Decentralised and cross-border are derived instead.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, Copy, Default, PartialEq, Eq)]
pub struct Schemes {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub south_south: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub north_south: bool,
}

/// A budget for a period: original (IATI BudgetType 1) or revised (2).
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct Budget {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revised: bool,
    pub period_start: Date,
    pub period_end: Date,
    pub value: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date: Option<Date>,
}

/// The organisation on one side of a transaction: in the registry, or only named.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, Default, PartialEq, Eq)]
pub struct TransactionParty {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<OrgKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iati_ref: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The IATI identifier of the activity on that side (provider-activity-id…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct Transaction {
    /// The publisher's reference for the transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub humanitarian: Option<bool>,
    pub kind: TransactionTypeCode,
    pub date: Date,
    pub value: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<TransactionParty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<TransactionParty>,
    /// Sectors of this transaction alone (IATI allows them instead of activity sectors).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<SectorRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<RegionCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_type: Option<FlowTypeCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finance_type: Option<FinanceTypeCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aid_type: Option<AidTypeCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tied_status: Option<TiedStatusCode>,
}

/// An in-kind contribution (cuantificación): units of expert time, courses, travel or
/// materials, and what one unit is worth where a rate is known.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct InKind {
    pub unit: InKindUnit,
    pub quantity: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_value: Option<Money>,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
}

impl InKind {
    /// Quantity × unit value, when the unit value is known. [`Activity::new`] keeps the
    /// product within the bounds of [`crate::limits`]; an unchecked value that overflows a
    /// decimal has no value rather than a wrong one.
    pub fn value(&self) -> Option<Money> {
        let u = self.unit_value?;
        Some(Money { amount: u.amount.checked_mul(self.quantity)?, currency: u.currency })
    }
}

/// The level of a result in the logical framework (IATI ResultType).
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ResultLevel {
    Output,
    Outcome,
    Impact,
    Other,
}

impl ResultLevel {
    pub fn iati_code(self) -> &'static str {
        match self {
            ResultLevel::Output => "1",
            ResultLevel::Outcome => "2",
            ResultLevel::Impact => "3",
            ResultLevel::Other => "9",
        }
    }

    pub fn from_iati_code(code: &str) -> Option<ResultLevel> {
        Some(match code {
            "1" => ResultLevel::Output,
            "2" => ResultLevel::Outcome,
            "3" => ResultLevel::Impact,
            "9" => ResultLevel::Other,
            _ => return None,
        })
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct Baseline {
    pub year: i32,
    pub value: Decimal,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct IndicatorPeriod {
    pub start: Date,
    pub end: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<Decimal>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct Indicator {
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub title: Text,
    /// Higher is better (IATI `ascending`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ascending: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<IndicatorPeriod>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct ResultEntry {
    pub level: ResultLevel,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub title: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
}

/// Everything an activity is made of; [`Activity::new`] checks it.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct ActivityParts {
    pub key: ActivityKey,
    /// The agency's own folio number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folio: Option<String>,
    /// The organisation that reports and owns the record.
    pub reporting_org: OrgKey,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub title: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub objectives: Text,
    pub instrument: Instrument,
    pub cooperation_type: CooperationType,
    pub modality: Modality,
    pub schemes: Schemes,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collaboration_type: Option<CollaborationTypeCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_currency: Option<CurrencyCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_type: Option<FlowTypeCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finance_type: Option<FinanceTypeCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aid_type: Option<AidTypeCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tied_status: Option<TiedStatusCode>,
    /// Humanitarian activity (IATI `@humanitarian`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub humanitarian: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Participant>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<SectorShare>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sdgs: Vec<Sdg>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_markers: Vec<PolicyMarkerEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<CountryShare>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<RegionShare>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mx_places: Vec<MxPlace>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<Point>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_border: Option<CrossBorder>,
    pub dates: ActivityDates,
    pub status: ActivityStatusCode,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budgets: Vec<Budget>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub planned_disbursements: Vec<PlannedDisbursement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transactions: Vec<Transaction>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub in_kind: Vec<InKind>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<ResultEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_activities: Vec<RelatedActivity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub document_links: Vec<DocumentLink>,
    /// The good-practice narrative; present means the activity is flagged as good practice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub good_practice: Option<Text>,
    pub workflow: WorkflowState,
}

/// A checked activity. Invariants (each with a test below):
/// - it has a title and at least one participant, no participant twice in one role;
/// - sector percentages add up to 100 (±0.01) per vocabulary, country and region
///   percentages together add up to 100, every percentage is 0–100 (by [`Percent`]);
/// - every code exists in its codelist (by the code types);
/// - end dates are not before start dates (activity, budgets, indicator periods);
/// - a triangular activity has a first provider, a second provider and a recipient, and those
///   two provider roles appear only in triangular activities;
/// - a municipality lies in the state given with it; in-kind quantities are not negative;
/// - every number, and every in-kind value (quantity × unit value), lies within ±10^15
///   ([`crate::limits`]; numbers are checked where documents are read).
#[derive(Debug, Clone, PartialEq)]
pub struct Activity(ActivityParts);

stored_through_parts!(Activity, ActivityParts);

impl Activity {
    /// Puts the record in another state of the validation workflow: the state is no fact a
    /// rule checks, so what was checked stands.
    pub fn set_workflow(&mut self, workflow: WorkflowState) {
        self.0.workflow = workflow;
    }

    pub fn new(parts: ActivityParts) -> Result<Activity, Problems> {
        let problems = ActivityFacts::of(&parts).check();
        problems.finish(|| Activity(parts))
    }

    pub fn parts(&self) -> &ActivityParts {
        &self.0
    }

    pub fn into_parts(self) -> ActivityParts {
        self.0
    }

    pub fn key(&self) -> &ActivityKey {
        &self.0.key
    }

    /// What is derived from the participants and places, never typed: direction relative to
    /// `home`, whether it is decentralised (a state or municipal actor takes part) and
    /// cross-border. `org` looks up the participants' organisations.
    pub fn derive<'a>(&self, home: CountryCode, org: impl Fn(&OrgKey) -> Option<&'a Organisation>) -> Derived {
        let mut gives = false;
        // The home country receives when it is a recipient country of the activity or, for
        // publishers that give countries per transaction, of one of its transactions.
        let mut receives = self.0.countries.iter().any(|c| c.country == home)
            || self.0.transactions.iter().any(|t| t.country == Some(home));
        let mut decentralised = false;
        for p in &self.0.participants {
            let Some(o) = org(&p.org) else { continue };
            // An international organisation's office in the country does not make it national.
            let at_home = o.country() == Some(home) && o.level() != crate::kinds::Level::International;
            gives |= at_home && p.role.gives();
            receives |= at_home && p.role == Role::Recipient;
            decentralised |= o.level().is_subnational();
        }
        let direction = match (gives, receives) {
            (true, true) => Some(Direction::Both),
            (true, false) => Some(Direction::Given),
            (false, true) => Some(Direction::Received),
            (false, false) => None,
        };
        Derived { direction, decentralised, cross_border: self.0.cross_border.is_some() }
    }
}

/// Facts derived from an activity and the organisations it names.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq)]
pub struct Derived {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub decentralised: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cross_border: bool,
}

/// A share of a list whose percentages add up to 100, as far as it could be read: its group
/// (a sector vocabulary, or one name for a whole list), its code and its percentage, each
/// `None` when it did not pass its own check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShareFact<'a> {
    pub group: &'a str,
    pub code: Option<&'a str>,
    pub percent: Option<Percent>,
}

/// The group countries and regions share: their percentages add up to 100 together.
pub const PLACES: &str = "countries+regions";

/// What the rules of an activity look at, as far as it could be read.
///
/// A value (or a whole row) that did not pass its own check is `None` — its problem is
/// reported already — and rows keep their positions, so problems name the rows the user
/// wrote. [`ActivityFacts::check`] applies every rule it can see through, so a document's
/// problems come in one answer: an unknown sector code hides neither an empty title nor
/// sectors adding up to 90. A rule that needs what could not be read waits (a triangular
/// activity's roles are not counted while one of them is unreadable). [`Activity::new`]
/// checks complete parts through the same rules.
#[derive(Debug, Clone)]
pub struct ActivityFacts<'a> {
    pub title: &'a Text,
    pub modality: Option<Modality>,
    pub participants: Vec<Option<&'a Participant>>,
    pub sectors: Vec<ShareFact<'a>>,
    pub countries: Vec<ShareFact<'a>>,
    pub regions: Vec<ShareFact<'a>>,
    pub dates: ActivityDates,
    pub mx_places: Vec<Option<&'a MxPlace>>,
    pub budgets: Vec<Option<&'a Budget>>,
    pub points: Vec<Option<&'a Point>>,
    pub document_links: Vec<Option<&'a DocumentLink>>,
    pub planned_disbursements: Vec<Option<&'a PlannedDisbursement>>,
    pub in_kind: Vec<Option<&'a InKind>>,
    pub results: Vec<Option<&'a ResultEntry>>,
}

impl<'a> ActivityFacts<'a> {
    /// The facts of complete parts: everything known.
    pub fn of(parts: &'a ActivityParts) -> ActivityFacts<'a> {
        ActivityFacts {
            title: &parts.title,
            modality: Some(parts.modality),
            participants: parts.participants.iter().map(Some).collect(),
            sectors: parts
                .sectors
                .iter()
                .map(|s| ShareFact {
                    group: s.sector.vocabulary(),
                    code: Some(s.sector.code()),
                    percent: Some(s.percent),
                })
                .collect(),
            countries: parts
                .countries
                .iter()
                .map(|c| ShareFact { group: PLACES, code: Some(c.country.as_str()), percent: Some(c.percent) })
                .collect(),
            regions: parts
                .regions
                .iter()
                .map(|r| ShareFact { group: PLACES, code: Some(r.region.as_str()), percent: Some(r.percent) })
                .collect(),
            dates: parts.dates,
            mx_places: parts.mx_places.iter().map(Some).collect(),
            budgets: parts.budgets.iter().map(Some).collect(),
            points: parts.points.iter().map(Some).collect(),
            document_links: parts.document_links.iter().map(Some).collect(),
            planned_disbursements: parts.planned_disbursements.iter().map(Some).collect(),
            in_kind: parts.in_kind.iter().map(Some).collect(),
            results: parts.results.iter().map(Some).collect(),
        }
    }

    /// Every problem the rules of an activity find in what is known.
    pub fn check(&self) -> Problems {
        let mut problems = Problems::new();
        if self.title.is_empty() {
            problems.add("title", None, Rule::Required);
        }
        self.check_participants(&mut problems);
        self.check_shares(&mut problems);
        check_date_order("dates.planned_end", self.dates.planned_start, self.dates.planned_end, &mut problems);
        check_date_order("dates.actual_end", self.dates.actual_start, self.dates.actual_end, &mut problems);
        for (i, place) in known(&self.mx_places) {
            if let Some(m) = place.municipality
                && m.state() != place.state
            {
                problems.add(
                    format!("mx_places[{i}].municipality"),
                    Some(m.as_str()),
                    Rule::MunicipalityOutsideState { state: place.state.as_str().to_owned() },
                );
            }
        }
        for (i, b) in known(&self.budgets) {
            let path = format!("budgets[{i}].period_end");
            check_date_order(&path, Some(b.period_start), Some(b.period_end), &mut problems);
        }
        for (i, pt) in known(&self.points) {
            if pt.latitude.is_some() != pt.longitude.is_some() {
                let missing = if pt.latitude.is_none() { "latitude" } else { "longitude" };
                problems.add(format!("points[{i}].{missing}"), None, Rule::Required);
            }
        }
        for (i, l) in known(&self.document_links) {
            if l.title.is_empty() {
                problems.add(format!("document_links[{i}].title"), None, Rule::Required);
            }
            if l.format.trim().is_empty() {
                problems.add(format!("document_links[{i}].format"), None, Rule::Required);
            }
            if l.categories.is_empty() {
                problems.add(format!("document_links[{i}].categories"), None, Rule::TooFew { min: 1 });
            }
        }
        for (i, d) in known(&self.planned_disbursements) {
            let path = format!("planned_disbursements[{i}].period_end");
            check_date_order(&path, Some(d.period_start), d.period_end, &mut problems);
        }
        for (i, k) in known(&self.in_kind) {
            if k.quantity < Decimal::ZERO {
                problems.add(format!("in_kind[{i}].quantity"), Some(&k.quantity.to_string()), Rule::Negative);
            }
            // The value (quantity × unit value) keeps the bound of every number.
            if k.unit_value.is_some() && k.value().is_none_or(|v| crate::limits::check_number(v.amount).is_err()) {
                problems.add(
                    format!("in_kind[{i}].quantity"),
                    Some(&k.quantity.to_string()),
                    crate::limits::out_of_bounds(),
                );
            }
        }
        for (r, result) in known(&self.results) {
            if result.title.is_empty() {
                problems.add(format!("results[{r}].title"), None, Rule::Required);
            }
            for (n, ind) in result.indicators.iter().enumerate() {
                for (p, period) in ind.periods.iter().enumerate() {
                    check_date_order(
                        &format!("results[{r}].indicators[{n}].periods[{p}].end"),
                        Some(period.start),
                        Some(period.end),
                        &mut problems,
                    );
                }
            }
        }
        problems
    }

    fn check_participants(&self, problems: &mut Problems) {
        if self.participants.is_empty() {
            problems.add("participants", None, Rule::TooFew { min: 1 });
        }
        for (i, p) in known(&self.participants) {
            if self.participants[..i].iter().flatten().any(|o| *o == p) {
                problems.add(format!("participants[{i}]"), Some(p.org.as_str()), Rule::Duplicate);
            }
        }
        match self.modality {
            // The roles are counted once every participant could be read.
            Some(Modality::Triangular) if self.participants.iter().all(Option::is_some) => {
                let has = |role: Role| self.participants.iter().flatten().any(|p| p.role == role);
                for role in [Role::FirstProvider, Role::SecondProvider, Role::Recipient] {
                    if !has(role) {
                        problems.add("participants", None, Rule::TriangularRoleMissing { role });
                    }
                }
            }
            Some(Modality::Triangular) | None => {}
            Some(_) => {
                for (i, p) in known(&self.participants) {
                    if matches!(p.role, Role::FirstProvider | Role::SecondProvider) {
                        problems.add(
                            format!("participants[{i}].role"),
                            Some(p.role.code()),
                            Rule::TriangularRoleOutside,
                        );
                    }
                }
            }
        }
    }

    fn check_shares(&self, problems: &mut Problems) {
        check_known_sums("sectors", &self.sectors, problems);
        check_duplicate_codes("sectors", &self.sectors, problems);
        let places: Vec<ShareFact<'_>> = self.countries.iter().chain(&self.regions).copied().collect();
        check_known_sums("countries", &places, problems);
        check_duplicate_codes("countries", &self.countries, problems);
    }
}

/// The rows that could be read, with their positions.
fn known<'r, 'a, T>(rows: &'r [Option<&'a T>]) -> impl Iterator<Item = (usize, &'a T)> + 'r {
    rows.iter().enumerate().filter_map(|(i, r)| r.map(|r| (i, r)))
}

/// Percentages of every group add up to 100 — for the groups whose percentages are all known.
pub(crate) fn check_known_sums(path: &str, shares: &[ShareFact<'_>], problems: &mut Problems) {
    let unknown: Vec<&str> = shares.iter().filter(|s| s.percent.is_none()).map(|s| s.group).collect();
    let known = shares.iter().filter(|s| !unknown.contains(&s.group)).filter_map(|s| Some((s.group, s.percent?)));
    if let Err(e) = check_sums(path, known) {
        problems.nest("", e);
    }
}

/// A code given twice in one group is a duplicate, at the later row's code.
fn check_duplicate_codes(path: &str, shares: &[ShareFact<'_>], problems: &mut Problems) {
    for (i, s) in shares.iter().enumerate() {
        let Some(code) = s.code else { continue };
        if shares[..i].iter().any(|o| o.group == s.group && o.code == Some(code)) {
            problems.add(format!("{path}[{i}].code"), Some(code), Rule::Duplicate);
        }
    }
}

fn check_date_order(path: &str, start: Option<Date>, end: Option<Date>, problems: &mut Problems) {
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        problems.add(path, Some(&e.to_string()), Rule::EndBeforeStart { start: s.to_string() });
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::code::OrganisationTypeCode;
    use crate::kinds::Level;
    use crate::organisation::OrganisationParts;

    fn org(key: &str) -> OrgKey {
        OrgKey::parse(key).unwrap()
    }

    fn pct(s: &str) -> Percent {
        s.parse().unwrap()
    }

    fn minimal() -> ActivityParts {
        ActivityParts {
            key: ActivityKey::parse("MX-TEST-1").unwrap(),
            folio: None,
            reporting_org: org("amexcid"),
            title: Text::es_en("Curso", "Course"),
            description: Text::new(),
            objectives: Text::new(),
            instrument: Instrument::Project,
            cooperation_type: CooperationType::TechnicalScientific,
            modality: Modality::Bilateral,
            schemes: Schemes::default(),
            collaboration_type: None,
            default_currency: None,
            flow_type: None,
            finance_type: None,
            aid_type: None,
            tied_status: None,
            humanitarian: false,
            participants: vec![
                Participant { org: org("amexcid"), role: Role::Provider },
                Participant { org: org("gob-gt"), role: Role::Recipient },
            ],
            sectors: vec![SectorShare {
                sector: SectorRef::Dac(SectorCode::parse("41010").unwrap()),
                percent: Percent::HUNDRED,
            }],
            sdgs: vec![],
            policy_markers: vec![],
            tags: vec![],
            countries: vec![CountryShare { country: CountryCode::parse("GT").unwrap(), percent: Percent::HUNDRED }],
            regions: vec![],
            mx_places: vec![],
            points: vec![],
            cross_border: None,
            dates: ActivityDates::default(),
            status: ActivityStatusCode::parse("2").unwrap(),
            budgets: vec![],
            planned_disbursements: vec![],
            transactions: vec![],
            in_kind: vec![],
            results: vec![],
            related_activities: vec![],
            document_links: vec![],
            good_practice: None,
            workflow: WorkflowState::Draft,
        }
    }

    fn rules(parts: ActivityParts) -> Vec<(String, Rule)> {
        Activity::new(parts).unwrap_err().0.into_iter().map(|p| (p.path, p.rule)).collect()
    }

    #[test]
    fn minimal_activity_is_valid() {
        assert!(Activity::new(minimal()).is_ok());
    }

    #[test]
    fn sector_percentages_sum_per_vocabulary() {
        let mut a = minimal();
        a.sectors = vec![
            SectorShare { sector: SectorRef::Dac(SectorCode::parse("41010").unwrap()), percent: pct("60") },
            SectorShare { sector: SectorRef::Dac(SectorCode::parse("15110").unwrap()), percent: pct("30") },
            SectorShare { sector: SectorRef::SdgGoal(SdgGoalCode::parse("13").unwrap()), percent: pct("100") },
        ];
        assert_eq!(
            rules(a.clone()),
            vec![("sectors".into(), Rule::PercentSum { group: "1".into(), sum: Decimal::from(90) })]
        );
        a.sectors[1].percent = pct("40");
        assert!(Activity::new(a).is_ok());
    }

    #[test]
    fn countries_and_regions_sum_together() {
        let mut a = minimal();
        a.countries[0].percent = pct("50");
        a.regions = vec![RegionShare { region: RegionCode::parse("489").unwrap(), percent: pct("50") }];
        assert!(Activity::new(a.clone()).is_ok());
        a.regions[0].percent = pct("40");
        assert_eq!(rules(a)[0].0, "countries");
    }

    #[test]
    fn end_not_before_start() {
        let mut a = minimal();
        a.dates.planned_start = Some(date!(2012 - 03 - 01));
        a.dates.planned_end = Some(date!(2012 - 02 - 28));
        assert_eq!(rules(a), vec![("dates.planned_end".into(), Rule::EndBeforeStart { start: "2012-03-01".into() })]);
    }

    #[test]
    fn triangular_needs_three_roles() {
        let mut a = minimal();
        a.modality = Modality::Triangular;
        let found = rules(a.clone());
        assert_eq!(
            found,
            vec![
                ("participants".into(), Rule::TriangularRoleMissing { role: Role::FirstProvider }),
                ("participants".into(), Rule::TriangularRoleMissing { role: Role::SecondProvider }),
            ]
        );
        a.participants = vec![
            Participant { org: org("amexcid"), role: Role::FirstProvider },
            Participant { org: org("giz"), role: Role::SecondProvider },
            Participant { org: org("gob-gt"), role: Role::Recipient },
        ];
        assert!(Activity::new(a.clone()).is_ok());
        a.modality = Modality::Bilateral;
        assert_eq!(rules(a).len(), 2, "provider roles outside triangular are refused");
    }

    #[test]
    fn municipality_in_its_state_and_no_negative_in_kind() {
        let mut a = minimal();
        a.mx_places = vec![MxPlace {
            state: MxStateCode::parse("20").unwrap(),
            municipality: Some(MxMunicipalityCode::parse("07101").unwrap()),
        }];
        a.in_kind = vec![InKind {
            unit: InKindUnit::ExpertDays,
            quantity: Decimal::from(-1),
            unit_value: None,
            description: Text::new(),
        }];
        let found = rules(a);
        assert_eq!(found[0].0, "mx_places[0].municipality");
        assert_eq!(found[1], ("in_kind[0].quantity".into(), Rule::Negative));
    }

    #[test]
    fn coordinates_come_in_pairs() {
        let mut a = minimal();
        let point = |lat: Option<i64>, lon: Option<i64>| Point {
            reference: None,
            name: Text::es_en("Tapachula", "Tapachula"),
            description: Text::new(),
            latitude: lat.map(Decimal::from),
            longitude: lon.map(Decimal::from),
        };
        a.points = vec![point(Some(14), Some(-92)), point(None, None), point(None, Some(-58))];
        assert_eq!(rules(a), vec![("points[2].latitude".into(), Rule::Required)]);
    }

    #[test]
    fn duplicates_and_empty_participants_are_refused() {
        let mut a = minimal();
        a.participants.push(a.participants[0].clone());
        assert_eq!(rules(a.clone()), vec![("participants[2]".into(), Rule::Duplicate)]);
        a.participants.clear();
        assert_eq!(rules(a), vec![("participants".into(), Rule::TooFew { min: 1 })]);
    }

    #[test]
    fn direction_is_derived_from_participants_and_places() {
        let mx = CountryCode::parse("MX").unwrap();
        let make = |key: &str, country: &str, level: Level, state: Option<&str>| {
            Organisation::new(OrganisationParts {
                key: org(key),
                iati_ref: None,
                name: Text::es_en(key, key),
                acronym: None,
                kind: OrganisationTypeCode::parse("10").unwrap(),
                level,
                country: Some(CountryCode::parse(country).unwrap()),
                mx_state: state.map(|s| MxStateCode::parse(s).unwrap()),
                mx_municipality: None,
                parent: None,
            })
            .unwrap()
        };
        let orgs = [
            make("amexcid", "MX", Level::Federal, None),
            make("gob-gt", "GT", Level::ForeignGovernment, None),
            make("gob-chiapas", "MX", Level::State, Some("07")),
        ];
        let lookup = |k: &OrgKey| orgs.iter().find(|o| o.key() == k);
        let given = Activity::new(minimal()).unwrap();
        let d = given.derive(mx, lookup);
        assert_eq!(d, Derived { direction: Some(Direction::Given), decentralised: false, cross_border: false });

        let mut received = minimal();
        received.participants = vec![
            Participant { org: org("gob-gt"), role: Role::Provider },
            Participant { org: org("gob-chiapas"), role: Role::Recipient },
        ];
        received.countries = vec![CountryShare { country: mx, percent: Percent::HUNDRED }];
        let d = Activity::new(received).unwrap().derive(mx, lookup);
        assert_eq!(d.direction, Some(Direction::Received));
        assert!(d.decentralised);

        // A UN agency's office in Mexico providing to Guatemala is not Mexico giving.
        let office = make("pnud-mx", "MX", Level::International, None);
        let lookup = |k: &OrgKey| if *k == org("pnud-mx") { Some(&office) } else { orgs.iter().find(|o| o.key() == k) };
        let mut by_office = minimal();
        by_office.participants[0].org = org("pnud-mx");
        assert_eq!(Activity::new(by_office).unwrap().derive(mx, lookup).direction, None);
    }
}
