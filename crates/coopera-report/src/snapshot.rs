//! The in-memory columnar snapshot reports run over: every activity's dimensions and money,
//! read once from the store, dictionary-encoded and pre-split into compact vectors.
//!
//! Loading reads the registry once (`Store::report_facts`), converts every flow to US dollars
//! and Mexican pesos at its dated rate, values in-kind units, splits sectors, places, the
//! partners' places (`partner`) and actors into parts per million and resolves the links
//! between activities that describe the same flow. A report then only adds integers: see
//! `query.rs`.

use std::collections::{HashMap, HashSet};

use coopera_domain::access;
use coopera_domain::code::{CountryCode, CurrencyCode};
use coopera_domain::codelists::{
    self, ACTIVITY_STATUS, COUNTRY, CURRENCY, MX_STATE, REGION, SECTOR, SECTOR_CATEGORY, THEMATIC_AREA, UNSDG_GOALS,
};
use coopera_domain::kinds::{
    Border, CooperationType, CrossBorderDimension, Direction, InKindUnit, Instrument, Level, Modality,
};
use coopera_domain::organisation::Organisation;
use coopera_store::{ExchangeRate, ReportFacts, Store, StoreError};
use rust_decimal::{Decimal, RoundingStrategy};
use time::Date;

use crate::ReportError;
use crate::geo;
use crate::partner::{self, PartnerPlace, Party};
use crate::persist::{Decoder, Encoder};
use crate::rates::{InKindRates, RateTable};
use crate::visibility::{state_bit, workflow_index};

/// One part in a million: the resolution of every split.
pub(crate) const PPM: u32 = 1_000_000;
/// Money is kept as integers of 1/10 000 of a currency unit.
pub(crate) const MONEY_SCALE: u32 = 4;
/// A value that has no rate into the report currency.
pub(crate) const NOT_CONVERTED: i64 = i64::MIN;
/// No value (an empty year, no organisation, no provider activity).
pub(crate) const NONE: u32 = u32::MAX;
pub(crate) const NO_YEAR: i16 = i16::MIN;

/// What a flow of money counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum FlowKind {
    Committed = 0,
    Disbursed = 1,
    Spent = 2,
    InKind = 3,
}

/// A multi-valued column: for activity `i`, entries `offsets[i]..offsets[i + 1]` of `ids`
/// (a row of the dimension's universe) and `ppm` (its share, in parts per million; the shares
/// of one activity add up to exactly one million).
#[derive(Debug, Default, Clone)]
pub(crate) struct Shares {
    pub offsets: Vec<u32>,
    pub ids: Vec<u32>,
    pub ppm: Vec<u32>,
}

impl Shares {
    fn new() -> Shares {
        Shares { offsets: vec![0], ids: Vec::new(), ppm: Vec::new() }
    }

    /// Closes activity's entries: `parts` are (id, weight) with weights as decimals.
    fn push_weighted(&mut self, parts: &[(u32, Decimal)]) {
        let total = crate::sum(parts.iter().map(|p| p.1));
        if total > Decimal::ZERO {
            let ppm = split_ppm(parts.iter().map(|p| p.1), total);
            for (&(id, _), share) in parts.iter().zip(ppm) {
                self.ids.push(id);
                self.ppm.push(share);
            }
        }
        self.close();
    }

    /// Closes the activity's entries, each of `ids` with an equal share.
    fn push_equal(&mut self, ids: &[u32]) {
        let n = ids.len() as u32;
        if let Some(each) = PPM.checked_div(n) {
            let mut left = PPM.saturating_sub(each.saturating_mul(n));
            for &id in ids {
                let extra = u32::from(left > 0);
                left = left.saturating_sub(extra);
                self.ids.push(id);
                self.ppm.push(each.saturating_add(extra));
            }
        }
        self.close();
    }

    fn close(&mut self) {
        self.offsets.push(self.ids.len() as u32);
    }

    #[inline]
    pub fn range(&self, i: usize) -> std::ops::Range<usize> {
        offsets_range(&self.offsets, i)
    }
}

/// The entries of activity `i` in a table whose `offsets` has one more element than there
/// are activities (the last closes the table).
#[inline]
fn offsets_range(offsets: &[u32], i: usize) -> std::ops::Range<usize> {
    let start = offsets[i] as usize;
    start..offsets.get(i.saturating_add(1)).map_or(start, |&end| end as usize)
}

/// Splits one million in proportion to `weights` (summing to `total` > 0), largest remainder
/// first, so the parts add up to exactly one million.
fn split_ppm(weights: impl Iterator<Item = Decimal>, total: Decimal) -> Vec<u32> {
    let million = Decimal::from(PPM);
    let mut parts: Vec<(u32, Decimal)> = weights
        .map(|w| {
            // Weights are percentages or other bounded shares; a product that does not fit
            // counts as nothing rather than stopping the load.
            let exact =
                w.max(Decimal::ZERO).checked_mul(million).and_then(|x| x.checked_div(total)).unwrap_or(Decimal::ZERO);
            let floor = exact.floor();
            (
                rust_decimal::prelude::ToPrimitive::to_u32(&floor).unwrap_or(0),
                exact.checked_sub(floor).unwrap_or(Decimal::ZERO),
            )
        })
        .collect();
    let given = parts.iter().fold(0u32, |sum, p| sum.saturating_add(p.0));
    let left = PPM.saturating_sub(given);
    if left > 0 {
        let mut order: Vec<usize> = (0..parts.len()).collect();
        order.sort_by(|&a, &b| parts[b].1.cmp(&parts[a].1).then(a.cmp(&b)));
        for &i in order.iter().cycle().take(left as usize) {
            parts[i].0 = parts[i].0.saturating_add(1);
        }
    }
    parts.into_iter().map(|p| p.0).collect()
}

/// Dated flows of money of one kind, for every activity (one table per [`FlowKind`], so a
/// report reads only the flows it adds up).
#[derive(Debug, Default, Clone)]
pub(crate) struct Flows {
    pub offsets: Vec<u32>,
    /// The year the flow counts in (transaction date, budget period start, activity start for
    /// in kind); `NO_YEAR` when unknown.
    pub year: Vec<i16>,
    /// In 1/10 000 units; `NOT_CONVERTED` without a rate.
    pub usd: Vec<i64>,
    pub mxn: Vec<i64>,
    /// As recorded, in 1/10 000 of `currency`; `NOT_CONVERTED` beyond ±922 trillion.
    pub native: Vec<i64>,
    /// Index in the ISO 4217 list.
    pub currency: Vec<u16>,
    /// The activity whose own flow this one duplicates (`NONE` if none): dropped when both
    /// are in a report.
    pub provider: Vec<u32>,
}

impl Flows {
    #[inline]
    pub fn range(&self, i: usize) -> std::ops::Range<usize> {
        offsets_range(&self.offsets, i)
    }

    pub fn len(&self) -> usize {
        self.year.len()
    }
}

/// An organisation as reports show it.
#[derive(Debug, Clone)]
pub(crate) struct OrgInfo {
    pub key: String,
    pub name_es: String,
    pub name_en: String,
}

/// How the snapshot is built.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The reporting country: its organisations are actors, the others partners.
    pub home_country: CountryCode,
    /// The table that values in-kind units recorded without their own unit value.
    pub in_kind_rates: InKindRates,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            home_country: coopera_store::StoreOptions::default().home_country,
            in_kind_rates: InKindRates::sample(),
        }
    }
}

/// Counts of what a load found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadStats {
    pub activities: usize,
    pub flows: usize,
    /// Flows without a rate into US dollars.
    pub flows_not_converted_usd: usize,
    /// Incoming flows that duplicate a provider activity's own flow in the registry.
    pub linked_flows: usize,
    /// In-kind contributions without a unit value or a rate.
    pub in_kind_not_valued: usize,
}

/// The registry, columnar and in memory, ready to answer any report.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub(crate) len: usize,
    /// 0 none, then 1 + index in `Direction::ALL`.
    pub(crate) direction: Vec<u8>,
    /// Index in `Modality::ALL`, `Instrument::ALL`, `CooperationType::ALL`.
    pub(crate) modality: Vec<u8>,
    pub(crate) instrument: Vec<u8>,
    pub(crate) cooperation_type: Vec<u8>,
    /// Index in the ActivityStatus list; `u8::MAX` for a code it does not hold.
    pub(crate) status: Vec<u8>,
    /// 0 not cross-border, then 1 + index in `Border::ALL`.
    pub(crate) border: Vec<u8>,
    /// Bits: south-south, north-south, decentralised, cross-border.
    pub(crate) schemes: Vec<u8>,
    /// Bit `k`: `CrossBorderDimension::ALL[k]`.
    pub(crate) agenda: Vec<u8>,
    pub(crate) start_year: Vec<i16>,
    pub(crate) end_year: Vec<i16>,
    /// Who may see each activity (`visibility`): its workflow state (index in
    /// `WorkflowState::ALL`), its reporting organisation (index in `orgs`, `NONE` if unknown)
    /// and the states of its state and municipal participants (`access::state_of`; bit `k`:
    /// the `k`-th of the INEGI states list).
    pub(crate) workflow: Vec<u8>,
    pub(crate) reporting_org: Vec<u32>,
    pub(crate) scope_states: Vec<u64>,
    /// Rows of the DAC-code universe (sector codes, then categories).
    pub(crate) sectors: Shares,
    /// Index in the SDG goals list.
    pub(crate) sdgs: Shares,
    /// Rows of the place universe (countries, then regions).
    pub(crate) places: Shares,
    /// The partners' places (`partner`): rows of the partner universe (the place universe,
    /// then one row for international organisations).
    pub(crate) partner_places: Shares,
    /// Index in `orgs`.
    pub(crate) partners: Shares,
    /// Index in `Level::ALL`.
    pub(crate) levels: Shares,
    /// Index in the INEGI states list.
    pub(crate) states: Shares,
    /// By `FlowKind`: committed, disbursed, spent, in kind.
    pub(crate) flows: [Flows; 4],
    /// (activity, unit, quantity) of in-kind contributions that could not be valued.
    pub(crate) in_kind_not_valued: Vec<(u32, InKindUnit, Decimal)>,
    pub(crate) orgs: Vec<OrgInfo>,
    pub(crate) year_min: i16,
    pub(crate) year_max: i16,
    pub(crate) has_links: bool,
    stats: LoadStats,
    /// Rows replaced by a later row of the same activity ([`Snapshot::apply`]); empty while
    /// there are none. A dead row is in no selection.
    pub(crate) dead: Vec<bool>,
    dead_count: usize,
    kept: Option<Box<Kept>>,
}

/// Index of a code in a codelist, by its position.
pub(crate) struct Positions(HashMap<&'static str, u32>);

impl Positions {
    fn of(codes: &'static [codelists::Code]) -> Positions {
        Positions(codes.iter().enumerate().map(|(i, c)| (c.code, i as u32)).collect())
    }

    pub fn get(&self, code: &str) -> Option<u32> {
        self.0.get(code).copied()
    }
}

/// The positions of the codelists reports use, built once.
pub(crate) struct Lists {
    pub sector: Positions,
    pub category: Positions,
    pub country: Positions,
    pub region: Positions,
    pub sdg: Positions,
    pub state: Positions,
    pub status: Positions,
    pub currency: Positions,
    /// For each row of the DAC-code universe: its category and thematic area (`NONE` if none).
    pub code_category: Vec<u32>,
    pub code_area: Vec<u32>,
    /// For each row of the place universe: its grouping and DAC region (rows of the place
    /// universe: regions come after countries).
    pub place_grouping: Vec<u32>,
    pub place_dac_region: Vec<u32>,
    /// For each row of the partner universe: its grouping.
    pub partner_grouping: Vec<u32>,
}

/// The row of international organisations in the partner universe: after every country and
/// region.
pub(crate) fn multilateral_row() -> u32 {
    (COUNTRY.codes.len() as u32).saturating_add(REGION.codes.len() as u32)
}

pub(crate) fn lists() -> &'static Lists {
    static LISTS: std::sync::OnceLock<Lists> = std::sync::OnceLock::new();
    LISTS.get_or_init(|| {
        let sector = Positions::of(SECTOR.codes);
        let category = Positions::of(SECTOR_CATEGORY.codes);
        let area = Positions::of(THEMATIC_AREA.codes);
        let country = Positions::of(COUNTRY.codes);
        let region = Positions::of(REGION.codes);
        let category_of = |code: &str| -> (u32, u32) {
            let cat = category.get(code).unwrap_or(NONE);
            let area = codelists::thematic_area_of_category(code).and_then(|a| area.get(a.code)).unwrap_or(NONE);
            (cat, area)
        };
        let (mut code_category, mut code_area) = (Vec::new(), Vec::new());
        for c in SECTOR.codes.iter().chain(SECTOR_CATEGORY.codes) {
            // A 5-digit code's category is its parent; a category row is its own category.
            let (cat, area) = category_of(c.category.filter(|_| c.code.len() == 5).unwrap_or(c.code));
            code_category.push(cat);
            code_area.push(area);
        }
        let grouping = |g: Option<&str>| g.and_then(geo::grouping_index).map_or(NONE, |i| i as u32);
        let (mut place_grouping, mut place_dac_region) = (Vec::new(), Vec::new());
        for c in COUNTRY.codes {
            place_grouping.push(grouping(geo::grouping_of_country(c.code)));
            place_dac_region.push(geo::dac_region_of_country(c.code).and_then(|r| region.get(r)).unwrap_or(NONE));
        }
        for r in REGION.codes {
            place_grouping.push(grouping(geo::grouping_of_region(r.code)));
            place_dac_region.push(geo::dac_region_of_region(r.code).and_then(|d| region.get(d)).unwrap_or(NONE));
        }
        let mut partner_grouping = place_grouping.clone();
        partner_grouping.push(grouping(Some(partner::MULTILATERAL)));
        Lists {
            sector,
            category,
            country,
            region,
            sdg: Positions::of(UNSDG_GOALS.codes),
            state: Positions::of(MX_STATE.codes),
            status: Positions::of(ACTIVITY_STATUS.codes),
            currency: Positions::of(CURRENCY.codes),
            code_category,
            code_area,
            place_grouping,
            place_dac_region,
            partner_grouping,
        }
    })
}

fn index_of<T: PartialEq>(all: &[T], v: &T) -> u8 {
    all.iter().position(|x| x == v).map_or(u8::MAX, |i| i as u8)
}

fn year_of(d: Option<Date>) -> i16 {
    d.and_then(|d| i16::try_from(d.year()).ok()).unwrap_or(NO_YEAR)
}

/// `d` as an integer of 1/10 000, if it fits.
fn fixed(d: Decimal) -> Option<i64> {
    let r = d.round_dp_with_strategy(MONEY_SCALE, RoundingStrategy::MidpointNearestEven);
    let m = r.mantissa().checked_mul(10i128.checked_pow(MONEY_SCALE.checked_sub(r.scale())?)?)?;
    i64::try_from(m).ok().filter(|v| *v != NOT_CONVERTED)
}

/// An incoming flow that may duplicate a provider activity's own flow, resolved after the
/// whole registry is read, and again whenever an activity it names changes.
#[derive(Debug, Clone)]
struct PendingLink {
    flow: u32,
    receiver: u32,
    /// The kind the incoming flow counts as, which is also the kind of the provider's own
    /// flow it duplicates (disbursements for incoming funds, commitments for incoming
    /// commitments); `flow` indexes that kind's table.
    kind: FlowKind,
    target: LinkTarget,
}

#[derive(Debug, Clone)]
enum LinkTarget {
    /// The transaction names the provider activity (IATI provider-activity-id).
    Activity(String),
    /// It names only the provider organisation: the activity's related activities reported
    /// by that organisation are the candidates.
    Related { provider_org: String, related: Vec<String> },
}

/// What a snapshot keeps of its load to take in changed activities later
/// ([`Snapshot::apply`]): the organisations and rates it was read with, where each activity
/// is, and which activities take part in links between flows.
#[derive(Debug, Clone)]
struct Kept {
    options: LoadOptions,
    rates: RateTable,
    usd: CurrencyCode,
    mxn: CurrencyCode,
    org_index: HashMap<String, u32>,
    org_home: Vec<bool>,
    org_international: Vec<bool>,
    org_country: Vec<Option<CountryCode>>,
    org_level: Vec<u8>,
    org_state: Vec<u32>,
    /// The number of each activity, by identifier (its live row).
    keys: HashMap<String, u32>,
    /// Every incoming flow that may duplicate its provider's own flow (those of replaced
    /// rows included, and passed over), and, by identifier, the ones that name it as their
    /// provider or as a related activity: a change to that activity resolves them again.
    links: Vec<PendingLink>,
    naming: HashMap<String, Vec<u32>>,
    /// By row, a bit for each kind of flow (`FlowKind as u8`) the activity gives without
    /// naming the receiver activity; by (row, kind), the receiver activities it names.
    outgoing_unnamed: Vec<u8>,
    outgoing_named: HashMap<(u32, u8), Vec<String>>,
    /// How many live rows' dates and flows fall in each year: the snapshot's first and last
    /// year follow a change without a pass over every row.
    year_count: std::collections::BTreeMap<i16, u32>,
    /// Conversion cache: (currency, date) → (USD, MXN) per unit, as rates.
    rate_cache: HashMap<(CurrencyCode, Date), (Option<Decimal>, Option<Decimal>)>,
    scratch: Vec<(u32, Decimal)>,
    scratch_ids: Vec<u32>,
    scratch_parties: Vec<Party>,
    scratch_places: Vec<(PartnerPlace, Decimal)>,
}

impl Kept {
    /// The state of a load before any activity: the organisations' tables (and their
    /// information for reports, in the same order) and the rates.
    fn new(orgs: &[Organisation], rates: &[ExchangeRate], options: &LoadOptions) -> (Kept, Vec<OrgInfo>) {
        let mut org_index = HashMap::new();
        let (mut org_home, mut org_level, mut org_state, mut infos) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut org_international, mut org_country) = (Vec::new(), Vec::new());
        let lists = lists();
        for (i, o) in orgs.iter().enumerate() {
            org_index.insert(o.key().to_string(), i as u32);
            org_home.push(o.country() == Some(options.home_country) && o.level() != Level::International);
            org_international.push(o.level() == Level::International);
            org_country.push(o.country());
            org_level.push(index_of(Level::ALL, &o.level()));
            org_state.push(access::state_of(o).and_then(|s| lists.state.get(s.as_str())).unwrap_or(NONE));
            let name = &o.parts().name;
            infos.push(OrgInfo {
                key: o.key().to_string(),
                name_es: name.best(coopera_domain::Lang::Es).to_owned(),
                name_en: name.best(coopera_domain::Lang::En).to_owned(),
            });
        }
        let k = Kept {
            options: options.clone(),
            rates: RateTable::new(rates),
            usd: currency_code("USD"),
            mxn: currency_code("MXN"),
            org_index,
            org_home,
            org_international,
            org_country,
            org_level,
            org_state,
            keys: HashMap::new(),
            links: Vec::new(),
            naming: HashMap::new(),
            outgoing_unnamed: Vec::new(),
            outgoing_named: HashMap::new(),
            year_count: std::collections::BTreeMap::new(),
            rate_cache: HashMap::new(),
            scratch: Vec::new(),
            scratch_ids: Vec::new(),
            scratch_parties: Vec::new(),
            scratch_places: Vec::new(),
        };
        (k, infos)
    }

    /// Keeps `new` links, each indexed by the identifiers it names; returns their numbers.
    fn remember(&mut self, new: Vec<PendingLink>) -> std::ops::Range<usize> {
        let from = self.links.len();
        for link in new {
            let n = self.links.len() as u32;
            let mut name = |id: &String| self.naming.entry(id.clone()).or_default().push(n);
            match &link.target {
                LinkTarget::Activity(id) => name(id),
                LinkTarget::Related { related, .. } => related.iter().for_each(name),
            }
            self.links.push(link);
        }
        from..self.links.len()
    }

    /// The live row whose own flow the link's incoming flow duplicates: the activity it
    /// names (or, naming only the provider organisation, the first related activity that
    /// organisation reports, by `reporting_org`, the snapshot's column), when that activity
    /// reports the matching outgoing flow to the receiver or to no activity in particular.
    fn provider_of(&self, link: &PendingLink, reporting_org: &[u32]) -> Option<u32> {
        let provider = match &link.target {
            LinkTarget::Activity(id) => self.keys.get(id).copied(),
            LinkTarget::Related { provider_org, related } => {
                let org = self.org_index.get(provider_org).copied()?;
                related
                    .iter()
                    .filter_map(|r| self.keys.get(r).copied())
                    .find(|&a| reporting_org.get(a as usize).copied() == Some(org))
            }
        }?;
        let k = link.kind as u8;
        let unnamed = self.outgoing_unnamed.get(provider as usize).is_some_and(|bits| bits & (1 << k) != 0);
        let named = || {
            self.outgoing_named
                .get(&(provider, k))
                .is_some_and(|names| names.iter().any(|n| self.keys.get(n) == Some(&link.receiver)))
        };
        (provider != link.receiver && (unnamed || named())).then_some(provider)
    }
}

/// Whether [`Snapshot::tally`] adds a row or takes it away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tally {
    Add,
    Remove,
}

/// The state of a load.
struct Builder {
    k: Kept,
    snap: Snapshot,
    /// The links of the activities read, resolved once all are.
    pending: Vec<PendingLink>,
}

/// What a snapshot is read from: the store, or anything that gives the same facts (a test's
/// registry whose amounts are pushed to the edge).
pub trait Source {
    fn exchange_rates(&self) -> Result<Vec<ExchangeRate>, StoreError>;
    fn organisations(&self) -> Result<Vec<Organisation>, StoreError>;
    fn report_facts(&self, visit: &mut dyn FnMut(&ReportFacts)) -> Result<(), StoreError>;
}

impl Source for Store {
    fn exchange_rates(&self) -> Result<Vec<ExchangeRate>, StoreError> {
        Store::exchange_rates(self)
    }

    fn organisations(&self) -> Result<Vec<Organisation>, StoreError> {
        Store::organisations(self)
    }

    fn report_facts(&self, visit: &mut dyn FnMut(&ReportFacts)) -> Result<(), StoreError> {
        Store::report_facts(self, visit)
    }
}

impl Snapshot {
    /// Reads the whole registry from `store` into memory.
    pub fn load(store: &dyn Source, options: &LoadOptions) -> Result<Snapshot, ReportError> {
        Snapshot::load_visiting(store, options, &mut |_, _| {})
    }

    /// [`Snapshot::load`], showing `visit` each activity's facts with the number the snapshot
    /// gives it (0, 1, 2… in the order read): what another view builds from the same read
    /// matches the snapshot's activities one to one ([`crate::per_activity`] numbers them so).
    pub fn load_visiting(
        store: &dyn Source,
        options: &LoadOptions,
        visit: &mut dyn FnMut(usize, &ReportFacts),
    ) -> Result<Snapshot, ReportError> {
        let (k, infos) = Kept::new(&store.organisations()?, &store.exchange_rates()?, options);
        let mut b = Builder { k, snap: Snapshot::empty(infos), pending: Vec::new() };
        store.report_facts(&mut |f| {
            visit(b.snap.len, f);
            b.add(f);
        })?;
        Ok(b.finish())
    }

    fn empty(orgs: Vec<OrgInfo>) -> Snapshot {
        Snapshot {
            len: 0,
            direction: Vec::new(),
            modality: Vec::new(),
            instrument: Vec::new(),
            cooperation_type: Vec::new(),
            status: Vec::new(),
            border: Vec::new(),
            schemes: Vec::new(),
            agenda: Vec::new(),
            start_year: Vec::new(),
            end_year: Vec::new(),
            workflow: Vec::new(),
            reporting_org: Vec::new(),
            scope_states: Vec::new(),
            sectors: Shares::new(),
            sdgs: Shares::new(),
            places: Shares::new(),
            partner_places: Shares::new(),
            partners: Shares::new(),
            levels: Shares::new(),
            states: Shares::new(),
            flows: std::array::from_fn(|_| Flows { offsets: vec![0], ..Flows::default() }),
            in_kind_not_valued: Vec::new(),
            orgs,
            year_min: NO_YEAR,
            year_max: NO_YEAR,
            has_links: false,
            stats: LoadStats::default(),
            dead: Vec::new(),
            dead_count: 0,
            kept: None,
        }
    }

    /// Number of activities.
    pub fn len(&self) -> usize {
        self.len.saturating_sub(self.dead_count)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of rows, those replaced by a later one included: the activities' numbers run
    /// below it.
    pub fn rows(&self) -> usize {
        self.len
    }

    /// Whether row `i` holds an activity as it is now (not replaced by a later row).
    #[inline]
    pub fn is_live(&self, i: usize) -> bool {
        self.dead.get(i).is_none_or(|dead| !dead)
    }

    /// Takes in activities changed since the load — created or updated, with what was
    /// derived of them — in place: each gets a new row at the end, and the row it had, if
    /// any, is no longer counted. `visit` sees each one's facts with its new number. Costs
    /// what the changed activities hold, whatever the size of the registry.
    ///
    /// Links between flows follow: the changed activities' own incoming flows are resolved,
    /// and so is every kept link that names one of them (its provider moved to a new row, or
    /// may no longer report the flow).
    ///
    /// Returns `false`, changing nothing, where a whole load is needed instead: for a
    /// snapshot without its load's state, or an activity given twice. Changes to
    /// organisations and exchange rates are taken in by a whole load too.
    pub fn apply(&mut self, changed: &[ReportFacts], visit: &mut dyn FnMut(usize, &ReportFacts)) -> bool {
        let Some(kept) = self.kept.take() else { return false };
        let mut seen = HashSet::new();
        if !changed.iter().all(|f| seen.insert(f.key.as_str())) {
            self.kept = Some(kept);
            return false;
        }
        let snap = std::mem::replace(self, Snapshot::empty(Vec::new()));
        let mut b = Builder { k: *kept, snap, pending: Vec::new() };
        let mut unlinked = 0usize;
        for f in changed {
            if let Some(&old) = b.k.keys.get(&f.key) {
                let s = &mut b.snap;
                s.tally(&mut b.k.year_count, old as usize, Tally::Remove);
                unlinked = unlinked.saturating_add(s.linked_in(old as usize));
                if s.dead.is_empty() {
                    s.dead = vec![false; s.len];
                }
                s.dead[old as usize] = true;
                s.dead_count = s.dead_count.saturating_add(1);
            }
            let i = b.snap.len;
            visit(i, f);
            b.add(f);
            b.snap.tally(&mut b.k.year_count, i, Tally::Add);
        }
        // The changed activities' own links, and every link that names one of them: its
        // provider may have moved to a new row, or no longer confirm the flow.
        let pending = std::mem::take(&mut b.pending);
        let mut which: Vec<usize> = b.k.remember(pending).collect();
        for f in changed {
            if let Some(naming) = b.k.naming.get(&f.key) {
                which.extend(naming.iter().map(|&n| n as usize));
            }
        }
        which.sort_unstable();
        which.dedup();
        let (before, after) = b.relink(&which);
        let mut snap = b.snap;
        if !snap.dead.is_empty() {
            snap.dead.resize(snap.len, false);
        }
        let st = &mut snap.stats;
        st.activities = snap.len.saturating_sub(snap.dead_count);
        st.linked_flows = st.linked_flows.saturating_sub(unlinked).saturating_sub(before).saturating_add(after);
        snap.has_links = st.linked_flows > 0;
        snap.year_min = b.k.year_count.keys().next().copied().unwrap_or(NO_YEAR);
        snap.year_max = b.k.year_count.keys().next_back().copied().unwrap_or(NO_YEAR);
        snap.kept = Some(Box::new(b.k));
        *self = snap;
        true
    }

    /// Takes in organisations created since the load, before the activities that name
    /// them; `false`, changing nothing, when one is already known (a change to an
    /// organisation asks for a whole load: what is derived from it may move) or without the
    /// load's state.
    pub fn add_organisations(&mut self, orgs: &[Organisation]) -> bool {
        let Some(kept) = self.kept.as_deref_mut() else { return false };
        if orgs.iter().any(|o| kept.org_index.contains_key(o.key().as_str())) {
            return false;
        }
        let (added, infos) = Kept::new(orgs, &[], &kept.options);
        let base = kept.org_home.len() as u32;
        for (key, i) in added.org_index {
            kept.org_index.insert(key, base.saturating_add(i));
        }
        kept.org_home.extend(added.org_home);
        kept.org_international.extend(added.org_international);
        kept.org_country.extend(added.org_country);
        kept.org_level.extend(added.org_level);
        kept.org_state.extend(added.org_state);
        self.orgs.extend(infos);
        true
    }

    /// Adds row `i`'s years, flows and unvalued units to the counts, or takes them away.
    fn tally(&mut self, years: &mut std::collections::BTreeMap<i16, u32>, i: usize, how: Tally) {
        let mut see = |y: i16| {
            if y == NO_YEAR {
                return;
            }
            let n = years.entry(y).or_default();
            *n = match how {
                Tally::Add => n.saturating_add(1),
                Tally::Remove => n.saturating_sub(1),
            };
            if *n == 0 {
                years.remove(&y);
            }
        };
        see(self.start_year[i]);
        see(self.end_year[i]);
        let (mut flows, mut not_converted) = (0usize, 0usize);
        for table in &self.flows {
            for f in table.range(i) {
                see(table.year[f]);
                flows = flows.saturating_add(1);
                not_converted = not_converted.saturating_add(usize::from(table.usd[f] == NOT_CONVERTED));
            }
        }
        // Unvalued units are listed in row order.
        let row = i as u32;
        let from = self.in_kind_not_valued.partition_point(|(r, _, _)| *r < row);
        let to = self.in_kind_not_valued.partition_point(|(r, _, _)| *r <= row);
        let not_valued = to.saturating_sub(from);
        let st = &mut self.stats;
        let change = |n: &mut usize, by: usize| {
            *n = match how {
                Tally::Add => n.saturating_add(by),
                Tally::Remove => n.saturating_sub(by),
            }
        };
        change(&mut st.flows, flows);
        change(&mut st.flows_not_converted_usd, not_converted);
        change(&mut st.in_kind_not_valued, not_valued);
    }

    /// How many of row `i`'s flows duplicate a provider's flow.
    fn linked_in(&self, i: usize) -> usize {
        self.flows.iter().map(|t| t.range(i).filter(|&f| t.provider[f] != NONE).count()).sum()
    }

    /// Counts the years of every live row (after a load, or reading a model back).
    fn count_years(&self) -> std::collections::BTreeMap<i16, u32> {
        let mut years = std::collections::BTreeMap::new();
        for i in (0..self.len).filter(|&i| self.is_live(i)) {
            let mut see = |y: i16| {
                if y != NO_YEAR {
                    let n: &mut u32 = years.entry(y).or_default();
                    *n = n.saturating_add(1);
                }
            };
            see(self.start_year[i]);
            see(self.end_year[i]);
            for table in &self.flows {
                table.range(i).for_each(|f| see(table.year[f]));
            }
        }
        years
    }

    pub fn stats(&self) -> LoadStats {
        self.stats
    }
}

fn currency_code(code: &str) -> CurrencyCode {
    // USD and MXN are in the generated ISO 4217 list; a failure is a build defect.
    CurrencyCode::parse(code).unwrap_or_else(|p| panic!("currency list lacks {code}: {p}"))
}

impl Builder {
    fn add(&mut self, f: &ReportFacts) {
        let lists = lists();
        let i = self.snap.len as u32;
        self.snap.len = self.snap.len.saturating_add(1);
        self.k.keys.insert(f.key.clone(), i);
        self.k.outgoing_unnamed.push(0);
        self.add_access(f);
        let s = &mut self.snap;
        s.direction.push(f.direction.map_or(0, |d| index_of(Direction::ALL, &d).saturating_add(1)));
        s.modality.push(index_of(Modality::ALL, &f.modality));
        s.instrument.push(index_of(Instrument::ALL, &f.instrument));
        s.cooperation_type.push(index_of(CooperationType::ALL, &f.cooperation_type));
        s.status.push(lists.status.get(&f.status).map_or(u8::MAX, |x| x as u8));
        s.border.push(f.border.map_or(0, |b| index_of(Border::ALL, &b).saturating_add(1)));
        let flags = [f.schemes.south_south, f.schemes.north_south, f.schemes.decentralised, f.schemes.cross_border];
        s.schemes.push(flags.iter().enumerate().fold(0u8, |bits, (k, on)| bits | (u8::from(*on) << k)));
        let agenda = if f.schemes.cross_border || f.border.is_some() {
            f.agenda.iter().fold(0u8, |bits, d| bits | (1 << index_of(CrossBorderDimension::ALL, d)))
        } else {
            0
        };
        s.agenda.push(agenda);
        let (start, end) = (year_of(f.start), year_of(f.end.or(f.start)));
        s.start_year.push(start);
        s.end_year.push(end);
        for y in [start, end] {
            if y != NO_YEAR {
                s.year_min = if s.year_min == NO_YEAR { y } else { s.year_min.min(y) };
                s.year_max = s.year_max.max(y);
            }
        }

        // Sectors: DAC codes (vocabulary 1) and categories (2), by percentage. Unknown codes
        // take no part; without any known one the activity is unclassified.
        self.k.scratch.clear();
        for (vocabulary, code, pct) in &f.sectors {
            let row = match vocabulary.as_str() {
                "1" => lists.sector.get(code),
                "2" => lists.category.get(code).map(|c| (SECTOR.codes.len() as u32).saturating_add(c)),
                _ => None,
            };
            if let Some(row) = row {
                self.k.scratch.push((row, *pct));
            }
        }
        self.snap.sectors.push_weighted(&self.k.scratch);

        // SDGs: sector vocabularies 7 and 8 by percentage, else the SDG list in equal parts.
        self.k.scratch.clear();
        for (vocabulary, code, pct) in &f.sectors {
            if matches!(vocabulary.as_str(), "7" | "8")
                && let Some(g) = lists.sdg.get(code.split('.').next().unwrap_or(""))
            {
                self.k.scratch.push((g, *pct));
            }
        }
        if self.k.scratch.is_empty() {
            self.k.scratch_ids.clear();
            for code in &f.sdgs {
                if let Some(g) = lists.sdg.get(code.split('.').next().unwrap_or(""))
                    && !self.k.scratch_ids.contains(&g)
                {
                    self.k.scratch_ids.push(g);
                }
            }
            self.snap.sdgs.push_equal(&self.k.scratch_ids);
        } else {
            self.snap.sdgs.push_weighted(&self.k.scratch);
        }

        // Places: countries and regions together, by percentage.
        self.k.scratch.clear();
        for (c, pct) in &f.countries {
            if let Some(row) = lists.country.get(c.as_str()) {
                self.k.scratch.push((row, *pct));
            }
        }
        for (r, pct) in &f.regions {
            if let Some(row) = lists.region.get(r.as_str()) {
                self.k.scratch.push(((COUNTRY.codes.len() as u32).saturating_add(row), *pct));
            }
        }
        self.snap.places.push_weighted(&self.k.scratch);
        self.add_partner_places(f);

        // Partners (organisations not of the home country), levels and states of the home
        // country's actors: each in equal parts.
        self.k.scratch_ids.clear();
        let mut levels: Vec<u32> = Vec::new();
        let mut states: Vec<u32> = Vec::new();
        for (org, _role) in &f.participants {
            let Some(&o) = self.k.org_index.get(org) else { continue };
            let o = o as usize;
            if self.k.org_home[o] {
                let level = u32::from(self.k.org_level[o]);
                if !levels.contains(&level) {
                    levels.push(level);
                }
                let state = self.k.org_state[o];
                if state != NONE && !states.contains(&state) {
                    states.push(state);
                }
            } else if !self.k.scratch_ids.contains(&(o as u32)) {
                self.k.scratch_ids.push(o as u32);
            }
        }
        for code in &f.mx_states {
            if let Some(state) = lists.state.get(code)
                && !states.contains(&state)
            {
                states.push(state);
            }
        }
        self.snap.partners.push_equal(&self.k.scratch_ids);
        self.snap.levels.push_equal(&levels);
        self.snap.states.push_equal(&states);

        self.add_flows(i, f);
    }

    /// What decides who may see the activity (`visibility`): its workflow state, reporting
    /// organisation and the states of its state and municipal participants.
    fn add_access(&mut self, f: &ReportFacts) {
        let states = f
            .participants
            .iter()
            .filter_map(|(org, _)| self.k.org_index.get(org))
            .map(|&o| self.k.org_state[o as usize])
            .filter(|&state| state != NONE)
            .fold(0u64, |bits, state| bits | state_bit(state));
        let s = &mut self.snap;
        s.workflow.push(workflow_index(f.workflow));
        s.reporting_org.push(self.k.org_index.get(&f.reporting_org).copied().unwrap_or(NONE));
        s.scope_states.push(states);
    }

    /// The places of the activity's partners (`partner`), as rows of the partner universe.
    fn add_partner_places(&mut self, f: &ReportFacts) {
        let lists = lists();
        self.k.scratch_parties.clear();
        for (org, role) in &f.participants {
            let Some(&o) = self.k.org_index.get(org) else { continue };
            let o = o as usize;
            self.k.scratch_parties.push(Party {
                role: *role,
                home: self.k.org_home[o],
                international: self.k.org_international[o],
                country: self.k.org_country[o],
            });
        }
        let activity = partner::Activity {
            direction: f.direction,
            countries: &f.countries,
            regions: &f.regions,
            parties: &self.k.scratch_parties,
            home: self.k.options.home_country,
        };
        partner::partner_places(&activity, &mut self.k.scratch_places);
        self.k.scratch.clear();
        for (place, weight) in &self.k.scratch_places {
            let row = match place {
                PartnerPlace::Country(c) => lists.country.get(c.as_str()),
                PartnerPlace::Region(r) => {
                    lists.region.get(r.as_str()).map(|r| (COUNTRY.codes.len() as u32).saturating_add(r))
                }
                PartnerPlace::Multilateral => Some(multilateral_row()),
            };
            if let Some(row) = row {
                self.k.scratch.push((row, *weight));
            }
        }
        self.snap.partner_places.push_weighted(&self.k.scratch);
    }

    /// The activity's flows: commitments (else incoming commitments, else budgets),
    /// disbursements (else incoming funds), expenditure and in-kind value.
    fn add_flows(&mut self, i: u32, f: &ReportFacts) {
        let has = |kind: &str| f.transactions.iter().any(|t| t.kind == kind);
        let committed = if has("2") {
            Some("2")
        } else if has("11") {
            Some("11")
        } else {
            None
        };
        let disbursed = if has("3") { "3" } else { "1" };
        for t in &f.transactions {
            let kind = match t.kind.as_str() {
                k if Some(k) == committed => FlowKind::Committed,
                k if k == disbursed => FlowKind::Disbursed,
                "4" => FlowKind::Spent,
                _ => continue,
            };
            let flow =
                self.push_flow(kind, year_of(Some(t.date)), t.amount, t.currency, Some(t.value_date.unwrap_or(t.date)));
            // Outgoing flows: remember whom they name, to confirm links from receivers.
            if matches!(t.kind.as_str(), "2" | "3") {
                let k = kind as u8;
                match &t.receiver_activity {
                    Some(r) => self.k.outgoing_named.entry((i, k)).or_default().push(r.clone()),
                    None => {
                        if let Some(bits) = self.k.outgoing_unnamed.get_mut(i as usize) {
                            *bits |= 1 << k;
                        }
                    }
                }
            }
            // Incoming flows: they may duplicate the provider activity's own flow.
            if matches!(t.kind.as_str(), "1" | "11") {
                let target = match (&t.provider_activity, &t.provider_org) {
                    (Some(a), _) => Some(LinkTarget::Activity(a.clone())),
                    (None, Some(org)) if !f.related.is_empty() => Some(LinkTarget::Related {
                        provider_org: org.clone(),
                        related: f.related.iter().map(|r| r.1.clone()).collect(),
                    }),
                    _ => None,
                };
                if let Some(target) = target {
                    self.pending.push(PendingLink { flow, receiver: i, kind, target });
                }
            }
        }
        if committed.is_none() {
            for b in &f.budgets {
                self.push_flow(
                    FlowKind::Committed,
                    year_of(Some(b.period_start)),
                    b.amount,
                    b.currency,
                    Some(b.value_date.unwrap_or(b.period_start)),
                );
            }
        }
        let dated = f.start.or(f.end);
        for k in &f.in_kind {
            let unit_value = k.unit_value.or_else(|| self.k.options.in_kind_rates.unit_value(k.unit, dated));
            match unit_value {
                Some((value, currency)) => match k.quantity.checked_mul(value) {
                    Some(amount) => {
                        self.push_flow(FlowKind::InKind, year_of(dated), amount, currency, dated);
                    }
                    None => self.snap.in_kind_not_valued.push((i, k.unit, k.quantity)),
                },
                None => self.snap.in_kind_not_valued.push((i, k.unit, k.quantity)),
            }
        }
        for table in &mut self.snap.flows {
            table.offsets.push(table.len() as u32);
        }
    }

    /// Adds a flow converted at the rate of `on`; returns its index.
    fn push_flow(
        &mut self,
        kind: FlowKind,
        year: i16,
        amount: Decimal,
        currency: CurrencyCode,
        on: Option<Date>,
    ) -> u32 {
        let (usd, mxn) = self.convert(amount, currency, on);
        let flows = &mut self.snap.flows[kind as usize];
        let index = flows.len() as u32;
        flows.year.push(year);
        flows.usd.push(usd);
        flows.mxn.push(mxn);
        flows.native.push(fixed(amount).unwrap_or(NOT_CONVERTED));
        flows.currency.push(lists().currency.get(currency.as_str()).map_or(u16::MAX, |c| c as u16));
        flows.provider.push(NONE);
        if year != NO_YEAR {
            let s = &mut self.snap;
            s.year_min = if s.year_min == NO_YEAR { year } else { s.year_min.min(year) };
            s.year_max = s.year_max.max(year);
        }
        index
    }

    /// (USD, MXN) as fixed-point integers, `NOT_CONVERTED` where there is no rate.
    fn convert(&mut self, amount: Decimal, currency: CurrencyCode, on: Option<Date>) -> (i64, i64) {
        let direct = |target: CurrencyCode| (currency == target).then(|| fixed(amount).unwrap_or(NOT_CONVERTED));
        let (usd_direct, mxn_direct) = (direct(self.k.usd), direct(self.k.mxn));
        if let (Some(u), Some(m)) = (usd_direct, mxn_direct) {
            return (u, m);
        }
        let Some(on) = on else {
            return (usd_direct.unwrap_or(NOT_CONVERTED), mxn_direct.unwrap_or(NOT_CONVERTED));
        };
        let (usd, mxn) = (self.k.usd, self.k.mxn);
        let rates = &self.k.rates;
        let (from_rate, mxn_rate) = *self
            .k
            .rate_cache
            .entry((currency, on))
            .or_insert_with(|| (rates.units_per_usd(currency, on), rates.units_per_usd(mxn, on)));
        let in_usd = || -> Option<Decimal> { amount.checked_div(from_rate?) };
        let to_usd = usd_direct.unwrap_or_else(|| in_usd().and_then(fixed).unwrap_or(NOT_CONVERTED));
        let to_mxn = mxn_direct.unwrap_or_else(|| {
            if currency == usd {
                return mxn_rate.and_then(|m| amount.checked_mul(m)).and_then(fixed).unwrap_or(NOT_CONVERTED);
            }
            (|| amount.checked_mul(mxn_rate?)?.checked_div(from_rate?))().and_then(fixed).unwrap_or(NOT_CONVERTED)
        });
        (to_usd, to_mxn)
    }

    fn finish(mut self) -> Snapshot {
        // Links: an incoming flow duplicates its provider activity's flow when that activity
        // is in the registry and reports the matching outgoing flow to this activity (or to
        // no activity in particular).
        let pending = std::mem::take(&mut self.pending);
        let all: Vec<usize> = self.k.remember(pending).collect();
        let (_, links) = self.relink(&all);
        let flows = &self.snap.flows;
        self.snap.has_links = links > 0;
        self.snap.stats = LoadStats {
            activities: self.snap.len,
            flows: flows.iter().map(Flows::len).sum(),
            flows_not_converted_usd: flows.iter().flat_map(|f| &f.usd).filter(|v| **v == NOT_CONVERTED).count(),
            linked_flows: links,
            in_kind_not_valued: self.snap.in_kind_not_valued.len(),
        };
        self.k.year_count = self.snap.count_years();
        self.snap.kept = Some(Box::new(self.k));
        self.snap
    }

    /// Resolves links `which` (numbers in `Kept::links`) again: the flow each live receiver
    /// holds points at its provider's row, or at none. Returns how many were linked before,
    /// and how many are now.
    fn relink(&mut self, which: &[usize]) -> (usize, usize) {
        let (mut before, mut after) = (0usize, 0usize);
        for &n in which {
            let Some(link) = self.k.links.get(n) else { continue };
            if !self.snap.is_live(link.receiver as usize) {
                continue;
            }
            let provider = self.k.provider_of(link, &self.snap.reporting_org).unwrap_or(NONE);
            let Some(slot) = self.snap.flows[link.kind as usize].provider.get_mut(link.flow as usize) else {
                continue;
            };
            before = before.saturating_add(usize::from(*slot != NONE));
            after = after.saturating_add(usize::from(provider != NONE));
            *slot = provider;
        }
        (before, after)
    }
}

/// The snapshot in the model kept beside the database (`persist.rs`).
impl Snapshot {
    pub(crate) fn encode(&self, e: &mut Encoder) {
        e.len(self.len);
        for column in [
            &self.direction,
            &self.modality,
            &self.instrument,
            &self.cooperation_type,
            &self.status,
            &self.border,
            &self.schemes,
            &self.agenda,
            &self.workflow,
        ] {
            e.bytes(column);
        }
        e.i16s(&self.start_year);
        e.i16s(&self.end_year);
        e.u32s(&self.reporting_org);
        e.u64s(&self.scope_states);
        for shares in
            [&self.sectors, &self.sdgs, &self.places, &self.partner_places, &self.partners, &self.levels, &self.states]
        {
            e.u32s(&shares.offsets);
            e.u32s(&shares.ids);
            e.u32s(&shares.ppm);
        }
        for flows in &self.flows {
            e.u32s(&flows.offsets);
            e.i16s(&flows.year);
            e.i64s(&flows.usd);
            e.i64s(&flows.mxn);
            e.i64s(&flows.native);
            e.u16s(&flows.currency);
            e.u32s(&flows.provider);
        }
        e.len(self.in_kind_not_valued.len());
        for (i, unit, quantity) in &self.in_kind_not_valued {
            e.u64(u64::from(*i));
            e.str(unit.code());
            e.str(&quantity.to_string());
        }
        e.i16s(&[self.year_min, self.year_max]);
        e.u8(u8::from(self.has_links));
        let st = self.stats;
        for n in [st.activities, st.flows, st.flows_not_converted_usd, st.linked_flows, st.in_kind_not_valued] {
            e.len(n);
        }
        e.bytes(&self.dead.iter().map(|d| u8::from(*d)).collect::<Vec<u8>>());
        e.len(self.dead_count);
        let Some(kept) = self.kept.as_deref() else {
            e.len(0);
            e.bytes(&[]);
            e.len(0);
            return;
        };
        e.len(kept.links.len());
        for link in &kept.links {
            e.u64(u64::from(link.flow));
            e.u64(u64::from(link.receiver));
            e.u8(link.kind as u8);
            match &link.target {
                LinkTarget::Activity(id) => {
                    e.u8(0);
                    e.str(id);
                }
                LinkTarget::Related { provider_org, related } => {
                    e.u8(1);
                    e.str(provider_org);
                    e.len(related.len());
                    related.iter().for_each(|r| e.str(r));
                }
            }
        }
        e.bytes(&kept.outgoing_unnamed);
        e.len(kept.outgoing_named.len());
        for ((row, kind), names) in &kept.outgoing_named {
            e.u64(u64::from(*row));
            e.u8(*kind);
            e.len(names.len());
            names.iter().for_each(|n| e.str(n));
        }
    }

    /// A snapshot read back, over the organisations and rates of the registry now (which
    /// are those it was built with: a change to them is in the change feed, and asks for a
    /// whole load). Its activities' numbers by identifier come from the list
    /// ([`Snapshot::set_keys`]).
    pub(crate) fn decode(
        d: &mut Decoder<'_>,
        orgs: &[Organisation],
        rates: &[ExchangeRate],
        options: &LoadOptions,
    ) -> Option<Snapshot> {
        let (mut kept, infos) = Kept::new(orgs, rates, options);
        let mut s = Snapshot::empty(infos);
        s.len = d.len()?;
        s.direction = d.bytes()?;
        s.modality = d.bytes()?;
        s.instrument = d.bytes()?;
        s.cooperation_type = d.bytes()?;
        s.status = d.bytes()?;
        s.border = d.bytes()?;
        s.schemes = d.bytes()?;
        s.agenda = d.bytes()?;
        s.workflow = d.bytes()?;
        s.start_year = d.i16s()?;
        s.end_year = d.i16s()?;
        s.reporting_org = d.u32s()?;
        s.scope_states = d.u64s()?;
        for shares in [
            &mut s.sectors,
            &mut s.sdgs,
            &mut s.places,
            &mut s.partner_places,
            &mut s.partners,
            &mut s.levels,
            &mut s.states,
        ] {
            *shares = Shares { offsets: d.u32s()?, ids: d.u32s()?, ppm: d.u32s()? };
        }
        for flows in &mut s.flows {
            *flows = Flows {
                offsets: d.u32s()?,
                year: d.i16s()?,
                usd: d.i64s()?,
                mxn: d.i64s()?,
                native: d.i64s()?,
                currency: d.u16s()?,
                provider: d.u32s()?,
            };
        }
        let n = d.len()?;
        for _ in 0..n {
            let i = u32::try_from(d.u64()?).ok()?;
            let unit = InKindUnit::parse(&d.str()?).ok()?;
            let quantity: Decimal = d.str()?.parse().ok()?;
            s.in_kind_not_valued.push((i, unit, quantity));
        }
        let years = d.i16s()?;
        (s.year_min, s.year_max) = (*years.first()?, *years.get(1)?);
        s.has_links = d.u8()? == 1;
        s.stats = LoadStats {
            activities: d.len()?,
            flows: d.len()?,
            flows_not_converted_usd: d.len()?,
            linked_flows: d.len()?,
            in_kind_not_valued: d.len()?,
        };
        s.dead = d.bytes()?.into_iter().map(|b| b == 1).collect();
        s.dead_count = d.len()?;
        let links = decode_links(d, &s)?;
        kept.remember(links);
        kept.outgoing_unnamed = d.bytes()?;
        let n = d.len()?;
        for _ in 0..n {
            let row = u32::try_from(d.u64()?).ok()?;
            let kind = d.u8()?;
            let names = (0..d.len()?).map(|_| d.str()).collect::<Option<Vec<String>>>()?;
            kept.outgoing_named.insert((row, kind), names);
        }
        // Every column holds one entry per row.
        let rows = s.len;
        let whole = [
            &s.direction,
            &s.modality,
            &s.instrument,
            &s.cooperation_type,
            &s.status,
            &s.border,
            &s.schemes,
            &s.agenda,
            &s.workflow,
        ]
        .iter()
        .all(|c| c.len() == rows)
            && s.start_year.len() == rows
            && s.end_year.len() == rows
            && s.reporting_org.len() == rows
            && s.scope_states.len() == rows
            && s.workflow.iter().all(|w| usize::from(*w) < coopera_domain::kinds::WorkflowState::ALL.len())
            && kept.outgoing_unnamed.len() == rows
            && (s.dead.is_empty() || s.dead.len() == rows)
            && [&s.sectors, &s.sdgs, &s.places, &s.partner_places, &s.partners, &s.levels, &s.states]
                .iter()
                .all(|sh| sh.offsets.len() == rows.saturating_add(1) && sh.ids.len() == sh.ppm.len())
            && s.flows.iter().all(|f| f.offsets.len() == rows.saturating_add(1));
        if !whole {
            return None;
        }
        kept.year_count = s.count_years();
        s.kept = Some(Box::new(kept));
        Some(s)
    }

    /// Sets the live row of each activity, by identifier (read back from the list's rows).
    pub(crate) fn set_keys(&mut self, keys: HashMap<String, u32>) {
        if let Some(kept) = self.kept.as_deref_mut() {
            kept.keys = keys;
        }
    }
}

/// The links kept in a model, each checked against the rows and flows read before them.
fn decode_links(d: &mut Decoder<'_>, s: &Snapshot) -> Option<Vec<PendingLink>> {
    let n = d.len()?;
    let mut links = Vec::with_capacity(n.min(1 << 20));
    for _ in 0..n {
        let flow = u32::try_from(d.u64()?).ok()?;
        let receiver = u32::try_from(d.u64()?).ok()?;
        let kind = match d.u8()? {
            0 => FlowKind::Committed,
            1 => FlowKind::Disbursed,
            2 => FlowKind::Spent,
            3 => FlowKind::InKind,
            _ => return None,
        };
        let target = match d.u8()? {
            0 => LinkTarget::Activity(d.str()?),
            1 => {
                let provider_org = d.str()?;
                let related = (0..d.len()?).map(|_| d.str()).collect::<Option<Vec<String>>>()?;
                LinkTarget::Related { provider_org, related }
            }
            _ => return None,
        };
        if receiver as usize >= s.len || flow as usize >= s.flows[kind as usize].len() {
            return None;
        }
        links.push(PendingLink { flow, receiver, kind, target });
    }
    Some(links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_add_up_to_exactly_one_million() {
        let third = Decimal::new(3333, 2);
        let parts = split_ppm([third, third, third].into_iter(), third * Decimal::from(3));
        assert_eq!(parts, vec![333334, 333333, 333333]);
        let parts = split_ppm([Decimal::from(60), Decimal::from(40)].into_iter(), Decimal::from(100));
        assert_eq!(parts, vec![600000, 400000]);
        let mut equal = Shares::new();
        equal.push_equal(&[7, 8, 9]);
        assert_eq!(equal.ppm, vec![333334, 333333, 333333]);
        assert_eq!(equal.offsets, vec![0, 3]);
    }

    #[test]
    fn fixed_point_money() {
        assert_eq!(fixed(Decimal::new(12345678, 5)), Some(1234568), "123.45678 → 123.4568");
        assert_eq!(fixed(Decimal::from(-2)), Some(-20000));
        assert_eq!(fixed(Decimal::from(i64::MAX)), None);
    }
}
