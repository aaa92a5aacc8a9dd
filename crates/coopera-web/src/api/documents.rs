//! The documents of records as the API shows them: the activity and the organisation, field
//! for field as the registry keeps them.
//!
//! Today each is converted from the domain's document (`coopera_domain::doc::ActivityDoc`,
//! `OrganisationDoc`), which is also the file format users write and what the change history
//! stores, and the JSON is the same. They are separate types so that the API owns its shape:
//! a field the file format gains does not reach the API until it is added here (the
//! conversions take the domain's documents apart field by field, so such a field fails to
//! compile), and the API can keep its shape when the file format changes.

use std::collections::BTreeMap;

use coopera_domain::doc::{
    ActivityDoc, BudgetDoc, CrossBorderDoc, DatesDoc, DocumentLinkDoc, InKindDoc, IndicatorDoc, MxPlaceDoc, NumberDoc,
    OrganisationDoc, ParticipantDoc, PartyDoc, PeriodDoc, PlannedDisbursementDoc, PointDoc, PolicyMarkerDoc,
    RelatedDoc, ResultDoc, SectorDoc, ShareDoc, TagDoc, TextDoc, TransactionDoc,
};
use schemars::JsonSchema;
use serde::Serialize;

/// Text by language code (`es`, `en`…).
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Text(pub BTreeMap<String, String>);

impl From<TextDoc> for Text {
    /// A text written plainly is Spanish, as files read it (a stored record's text always
    /// names its languages).
    fn from(t: TextDoc) -> Text {
        match t {
            TextDoc::Langs(m) => Text(m),
            TextDoc::Plain(s) if s.is_empty() => Text::default(),
            TextDoc::Plain(s) => Text(BTreeMap::from([("es".to_owned(), s)])),
        }
    }
}

/// An exact decimal written as a string (money, quantities, percentages, coordinates).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(rename = "Decimal", extend("pattern" = "^-?[0-9]+(\\.[0-9]+)?$"))]
pub struct DecimalText(pub String);

impl From<NumberDoc> for DecimalText {
    fn from(n: NumberDoc) -> DecimalText {
        DecimalText(match n {
            NumberDoc::Int(i) => i.to_string(),
            NumberDoc::Float(f) => f.to_string(),
            NumberDoc::Text(s) => s,
        })
    }
}

fn texts(t: Option<TextDoc>) -> Option<Text> {
    t.map(Text::from)
}

fn decimal(n: Option<NumberDoc>) -> Option<DecimalText> {
    n.map(DecimalText::from)
}

fn all<T, U: From<T>>(items: Vec<T>) -> Vec<U> {
    items.into_iter().map(U::from).collect()
}

/// The organisation as a document (crates/coopera-domain/src/doc.rs). Fields without a value
/// are left out.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct OrganisationDocument {
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iati_ref: Option<String>,
    pub name: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acronym: Option<String>,
    /// IATI OrganisationType code.
    #[schemars(extend("x-codelist" = "OrganisationType"))]
    pub kind: String,
    #[schemars(extend("x-codelist" = "Level"))]
    pub level: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[A-Z]{2}$"))]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[0-9]{2}$"))]
    pub mx_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[0-9]{5}$"))]
    pub mx_municipality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[a-z0-9_-]{1,64}$"))]
    pub parent: Option<String>,
}

impl From<OrganisationDoc> for OrganisationDocument {
    fn from(doc: OrganisationDoc) -> OrganisationDocument {
        let OrganisationDoc { key, iati_ref, name, acronym, kind, level, country, mx_state, mx_municipality, parent } =
            doc;
        OrganisationDocument {
            key,
            iati_ref,
            name: name.into(),
            acronym,
            kind,
            level,
            country,
            mx_state,
            mx_municipality,
            parent,
        }
    }
}

/// The activity as a document, the form `coopera activity show --format json` prints and
/// `coopera activity add` reads; every field is described in
/// crates/coopera-domain/src/doc.rs. Fields without a value are left out.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ActivityDocument {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folio: Option<String>,
    pub reporting_org: String,
    pub title: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objectives: Option<Text>,
    #[schemars(extend("x-codelist" = "Instrument"))]
    pub instrument: String,
    #[schemars(extend("x-codelist" = "CooperationType"))]
    pub cooperation_type: String,
    #[schemars(extend("x-codelist" = "Modality"))]
    pub modality: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schemars(extend("const" = true))]
    pub south_south: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schemars(extend("const" = true))]
    pub north_south: bool,
    /// IATI CollaborationType code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collaboration_type: Option<String>,
    /// ISO 4217 currency code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[A-Z]{3}$"))]
    pub default_currency: Option<String>,
    /// IATI FlowType code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_type: Option<String>,
    /// IATI FinanceType code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finance_type: Option<String>,
    /// IATI AidType code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aid_type: Option<String>,
    /// IATI TiedStatus code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tied_status: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schemars(extend("const" = true))]
    pub humanitarian: bool,
    #[schemars(extend("x-codelist" = "ActivityStatus"))]
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-codelist" = "WorkflowState"))]
    pub workflow: Option<String>,
    pub participants: Vec<Participant>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<SectorShare>,
    /// SDG goals (`5`) and targets (`5.2`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("items" = { "type": "string", "pattern": "^[0-9]{1,2}(\\.[0-9a-z]{1,2})?$" }))]
    pub sdgs: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policy_markers: Vec<PolicyMarker>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    /// Recipient countries (IATI Country codes) with their percentages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<PlaceShare>,
    /// Recipient regions (IATI Region codes) with their percentages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<PlaceShare>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mx_places: Vec<MxPlace>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<Point>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cross_border: Option<CrossBorder>,
    #[serde(skip_serializing_if = "ActivityDates::is_empty")]
    pub dates: ActivityDates,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub budgets: Vec<Budget>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub planned_disbursements: Vec<PlannedDisbursement>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transactions: Vec<Transaction>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub in_kind: Vec<InKind>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<ResultEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_activities: Vec<RelatedActivity>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub document_links: Vec<DocumentLink>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub good_practice: Option<Text>,
}

impl From<ActivityDoc> for ActivityDocument {
    fn from(doc: ActivityDoc) -> ActivityDocument {
        // Taken apart whole: a field the domain's document gains must be placed here.
        let ActivityDoc {
            id,
            folio,
            reporting_org,
            title,
            description,
            objectives,
            instrument,
            cooperation_type,
            modality,
            south_south,
            north_south,
            collaboration_type,
            default_currency,
            flow_type,
            finance_type,
            aid_type,
            tied_status,
            humanitarian,
            status,
            workflow,
            participants,
            sectors,
            sdgs,
            policy_markers,
            tags,
            countries,
            regions,
            mx_places,
            points,
            cross_border,
            dates,
            budgets,
            planned_disbursements,
            transactions,
            in_kind,
            results,
            related_activities,
            document_links,
            good_practice,
        } = doc;
        ActivityDocument {
            id,
            folio,
            reporting_org,
            title: title.into(),
            description: texts(description),
            objectives: texts(objectives),
            instrument,
            cooperation_type,
            modality,
            south_south,
            north_south,
            collaboration_type,
            default_currency,
            flow_type,
            finance_type,
            aid_type,
            tied_status,
            humanitarian,
            status,
            workflow,
            participants: all(participants),
            sectors: all(sectors),
            sdgs,
            policy_markers: all(policy_markers),
            tags: all(tags),
            countries: all(countries),
            regions: all(regions),
            mx_places: all(mx_places),
            points: all(points),
            cross_border: cross_border.map(CrossBorder::from),
            dates: dates.into(),
            budgets: all(budgets),
            planned_disbursements: all(planned_disbursements),
            transactions: all(transactions),
            in_kind: all(in_kind),
            results: all(results),
            related_activities: all(related_activities),
            document_links: all(document_links),
            good_practice: texts(good_practice),
        }
    }
}

/// An organisation taking part, and its role.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Participant {
    pub org: String,
    #[schemars(extend("x-codelist" = "Role"))]
    pub role: String,
}

impl From<ParticipantDoc> for Participant {
    fn from(p: ParticipantDoc) -> Participant {
        let ParticipantDoc { org, role } = p;
        Participant { org, role }
    }
}

/// A sector (a DAC purpose code unless another vocabulary is named) and its percentage.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SectorShare {
    /// IATI SectorVocabulary code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vocabulary: Option<String>,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percentage: Option<DecimalText>,
}

impl From<SectorDoc> for SectorShare {
    fn from(s: SectorDoc) -> SectorShare {
        let SectorDoc { vocabulary, code, percentage } = s;
        SectorShare { vocabulary, code, percentage: decimal(percentage) }
    }
}

/// A country or region and its percentage.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PlaceShare {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percentage: Option<DecimalText>,
}

impl From<ShareDoc> for PlaceShare {
    fn from(s: ShareDoc) -> PlaceShare {
        let ShareDoc { code, percentage } = s;
        PlaceShare { code, percentage: decimal(percentage) }
    }
}

/// A policy objective (IATI PolicyMarker code) and how much the activity aims at it (IATI
/// PolicySignificance code).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PolicyMarker {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub significance: Option<u8>,
}

impl From<PolicyMarkerDoc> for PolicyMarker {
    fn from(p: PolicyMarkerDoc) -> PolicyMarker {
        let PolicyMarkerDoc { code, significance } = p;
        PolicyMarker { code, significance }
    }
}

/// A tag of another vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Tag {
    pub vocabulary: String,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
}

impl From<TagDoc> for Tag {
    fn from(t: TagDoc) -> Tag {
        let TagDoc { vocabulary, code, name } = t;
        Tag { vocabulary, code, name: texts(name) }
    }
}

/// A Mexican state (INEGI code) and, within it, a municipality.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct MxPlace {
    #[schemars(extend("pattern" = "^[0-9]{2}$"))]
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[0-9]{5}$"))]
    pub municipality: Option<String>,
}

impl From<MxPlaceDoc> for MxPlace {
    fn from(p: MxPlaceDoc) -> MxPlace {
        let MxPlaceDoc { state, municipality } = p;
        MxPlace { state, municipality }
    }
}

/// A precise place.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Point {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<DecimalText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<DecimalText>,
}

impl From<PointDoc> for Point {
    fn from(p: PointDoc) -> Point {
        let PointDoc { reference, name, description, latitude, longitude } = p;
        Point {
            reference,
            name: texts(name),
            description: texts(description),
            latitude: decimal(latitude),
            longitude: decimal(longitude),
        }
    }
}

/// Cross-border cooperation: the border, and the dimensions of its agenda.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CrossBorder {
    #[schemars(extend("x-codelist" = "Border"))]
    pub border: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-codelist" = "CrossBorderDimension"))]
    pub dimensions: Vec<String>,
}

impl From<CrossBorderDoc> for CrossBorder {
    fn from(c: CrossBorderDoc) -> CrossBorder {
        let CrossBorderDoc { border, dimensions } = c;
        CrossBorder { border, dimensions }
    }
}

/// The activity's dates, planned and actual.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct ActivityDates {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub planned_start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub planned_end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub actual_start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub actual_end: Option<String>,
}

impl ActivityDates {
    fn is_empty(&self) -> bool {
        *self == ActivityDates::default()
    }
}

impl From<DatesDoc> for ActivityDates {
    fn from(d: DatesDoc) -> ActivityDates {
        let DatesDoc { planned_start, planned_end, actual_start, actual_end } = d;
        ActivityDates { planned_start, planned_end, actual_start, actual_end }
    }
}

/// A budget for a period.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Budget {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schemars(extend("const" = true))]
    pub revised: bool,
    #[schemars(extend("format" = "date"))]
    pub period_start: String,
    #[schemars(extend("format" = "date"))]
    pub period_end: String,
    pub amount: DecimalText,
    /// ISO 4217 currency code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[A-Z]{3}$"))]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub value_date: Option<String>,
}

impl From<BudgetDoc> for Budget {
    fn from(b: BudgetDoc) -> Budget {
        let BudgetDoc { revised, period_start, period_end, amount, currency, value_date } = b;
        Budget { revised, period_start, period_end, amount: amount.into(), currency, value_date }
    }
}

/// A disbursement planned for a period.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PlannedDisbursement {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schemars(extend("const" = true))]
    pub revised: bool,
    #[schemars(extend("format" = "date"))]
    pub period_start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub period_end: Option<String>,
    pub amount: DecimalText,
    /// ISO 4217 currency code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[A-Z]{3}$"))]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub value_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<Party>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receiver: Option<Party>,
}

impl From<PlannedDisbursementDoc> for PlannedDisbursement {
    fn from(p: PlannedDisbursementDoc) -> PlannedDisbursement {
        let PlannedDisbursementDoc {
            revised,
            period_start,
            period_end,
            amount,
            currency,
            value_date,
            provider,
            receiver,
        } = p;
        PlannedDisbursement {
            revised,
            period_start,
            period_end,
            amount: amount.into(),
            currency,
            value_date,
            provider: provider.map(Party::from),
            receiver: receiver.map(Party::from),
        }
    }
}

/// Who gives or receives a flow: an organisation of the registry, or one named only by its
/// IATI identifier or name, and its activity.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Party {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iati_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
}

impl From<PartyDoc> for Party {
    fn from(p: PartyDoc) -> Party {
        let PartyDoc { org, iati_ref, name, activity } = p;
        Party { org, iati_ref, name, activity }
    }
}

/// A flow of money: committed, disbursed, spent…
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Transaction {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub humanitarian: Option<bool>,
    /// IATI TransactionType code.
    #[serde(rename = "type")]
    pub kind: String,
    #[schemars(extend("format" = "date"))]
    pub date: String,
    pub amount: DecimalText,
    /// ISO 4217 currency code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[A-Z]{3}$"))]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub value_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<Party>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receiver: Option<Party>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<SectorShare>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[A-Z]{2}$"))]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finance_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aid_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tied_status: Option<String>,
}

impl From<TransactionDoc> for Transaction {
    fn from(t: TransactionDoc) -> Transaction {
        let TransactionDoc {
            reference,
            humanitarian,
            kind,
            date,
            amount,
            currency,
            value_date,
            description,
            provider,
            receiver,
            sectors,
            country,
            region,
            flow_type,
            finance_type,
            aid_type,
            tied_status,
        } = t;
        Transaction {
            reference,
            humanitarian,
            kind,
            date,
            amount: amount.into(),
            currency,
            value_date,
            description: texts(description),
            provider: provider.map(Party::from),
            receiver: receiver.map(Party::from),
            sectors: all(sectors),
            country,
            region,
            flow_type,
            finance_type,
            aid_type,
            tied_status,
        }
    }
}

/// Cooperation in kind: expert days, participants, trips, materials…, with the value of a
/// unit when it is known.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct InKind {
    #[schemars(extend("x-codelist" = "InKindUnit"))]
    pub unit: String,
    pub quantity: DecimalText,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_value: Option<DecimalText>,
    /// ISO 4217 currency code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[A-Z]{3}$"))]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
}

impl From<InKindDoc> for InKind {
    fn from(k: InKindDoc) -> InKind {
        let InKindDoc { unit, quantity, unit_value, currency, description } = k;
        InKind {
            unit,
            quantity: quantity.into(),
            unit_value: decimal(unit_value),
            currency,
            description: texts(description),
        }
    }
}

/// A result expected of the activity, and how it is measured.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(rename = "Result")]
pub struct ResultEntry {
    /// IATI ResultType code.
    pub level: String,
    pub title: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
}

impl From<ResultDoc> for ResultEntry {
    fn from(r: ResultDoc) -> ResultEntry {
        let ResultDoc { level, title, description, indicators } = r;
        ResultEntry { level, title: title.into(), description: texts(description), indicators: all(indicators) }
    }
}

/// How a result is measured: a baseline, and targets and actual values by period.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Indicator {
    pub title: Text,
    /// Left out when higher is better, as it is unless said otherwise.
    #[serde(skip_serializing_if = "Clone::clone")]
    #[schemars(extend("const" = false))]
    pub ascending: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<DecimalText>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<IndicatorPeriod>,
}

impl From<IndicatorDoc> for Indicator {
    fn from(i: IndicatorDoc) -> Indicator {
        let IndicatorDoc { title, ascending, baseline_year, baseline, periods } = i;
        Indicator { title: title.into(), ascending, baseline_year, baseline: decimal(baseline), periods: all(periods) }
    }
}

/// An indicator's target and actual value over a period.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct IndicatorPeriod {
    #[schemars(extend("format" = "date"))]
    pub start: String,
    #[schemars(extend("format" = "date"))]
    pub end: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<DecimalText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<DecimalText>,
}

impl From<PeriodDoc> for IndicatorPeriod {
    fn from(p: PeriodDoc) -> IndicatorPeriod {
        let PeriodDoc { start, end, target, actual } = p;
        IndicatorPeriod { start, end, target: decimal(target), actual: decimal(actual) }
    }
}

/// Another activity this one is related to.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RelatedActivity {
    /// IATI RelatedActivityType code.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

impl From<RelatedDoc> for RelatedActivity {
    fn from(r: RelatedDoc) -> RelatedActivity {
        let RelatedDoc { kind, id } = r;
        RelatedActivity { kind, id }
    }
}

/// A document about the activity, on the web.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DocumentLink {
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub date: Option<String>,
}

impl From<DocumentLinkDoc> for DocumentLink {
    fn from(d: DocumentLinkDoc) -> DocumentLink {
        let DocumentLinkDoc { url, format, title, categories, languages, date } = d;
        DocumentLink { url, format, title: texts(title), categories, languages, date }
    }
}
