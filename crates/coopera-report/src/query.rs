//! Running a report over a [`Snapshot`]: select and weigh activities by the filters, count
//! them in each row they touch or add up the measure spread over the rows of the dimension,
//! and compute shares and concentration. Only integer arithmetic runs per activity; decimals
//! are made at the end.

use std::collections::BTreeMap;

use coopera_domain::code::{CurrencyCode, MxStateCode};
use coopera_domain::codelists::{
    ACTIVITY_STATUS, COUNTRY, CURRENCY, MX_STATE, REGION, SECTOR, SECTOR_CATEGORY, THEMATIC_AREA, UNSDG_GOALS,
};
use coopera_domain::kinds::{
    Border, CooperationType, CrossBorderDimension, Direction, InKindUnit, Instrument, Level, Modality, WorkflowState,
};
use rust_decimal::Decimal;

use crate::dimension::{Currency, Dimension, Measure};
use crate::snapshot::{
    FlowKind, MONEY_SCALE, NO_YEAR, NONE, NOT_CONVERTED, PPM, Shares, Snapshot, lists, multilateral_row,
};
use crate::visibility::{Visibility, Visible};
use crate::{NOT_SPECIFIED, Report, ReportError, Row, UNCLASSIFIED, ValueSplit};

/// Which activities a report covers. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Activities running at some time in these years (inclusive); value measures then count
    /// only the flows dated in them.
    pub years: Option<YearRange>,
    /// For each dimension, the row keys to keep (any of them). On a dimension with several
    /// values per activity (sectors, places, actors), an activity with any of them is kept; a
    /// count takes it whole, money and the weighted count only the part in those rows.
    pub values: Vec<(Dimension, Vec<String>)>,
    /// Which activities may be seen at all, by their workflow state and the asker's scope:
    /// every one by default (the command line); the web sets it from who is asking.
    pub visible: Visibility,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    pub from: i32,
    pub to: i32,
}

/// A report request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub dimension: Dimension,
    pub measure: Measure,
    pub currency: Currency,
    pub filters: Filters,
    /// How many rows the concentration's top share adds up (at least 1).
    pub top: usize,
}

/// Where an activity's parts for a dimension come from.
pub(crate) enum Parts<'a> {
    /// One row per activity: `column[i] - offset` (values below `offset` and `u8::MAX`: none).
    Single { column: &'a [u8], offset: u8 },
    /// Several rows with shares, each row mapped through `map` when given.
    Shares { shares: &'a Shares, map: Option<&'a [u32]> },
    /// Flags, in equal parts.
    Bits { column: &'a [u8] },
    /// The start year.
    StartYear,
}

impl Parts<'_> {
    /// How costly [`Parts::each`] is, in order: one byte, then a few, then a list of shares.
    fn cost(&self) -> u8 {
        match self {
            Parts::Single { .. } | Parts::StartYear => 0,
            Parts::Bits { .. } => 1,
            Parts::Shares { .. } => 2,
        }
    }
}

pub(crate) fn parts(snap: &Snapshot, dim: Dimension) -> Parts<'_> {
    let l = lists();
    match dim {
        Dimension::ThematicArea => Parts::Shares { shares: &snap.sectors, map: Some(&l.code_area) },
        Dimension::DacCategory => Parts::Shares { shares: &snap.sectors, map: Some(&l.code_category) },
        Dimension::DacCode => Parts::Shares { shares: &snap.sectors, map: None },
        Dimension::SdgGoal => Parts::Shares { shares: &snap.sdgs, map: None },
        Dimension::PartnerCountry => Parts::Shares { shares: &snap.partner_places, map: None },
        Dimension::PartnerRegion => Parts::Shares { shares: &snap.partner_places, map: Some(&l.partner_grouping) },
        Dimension::RecipientCountry => Parts::Shares { shares: &snap.places, map: None },
        Dimension::RecipientRegion => Parts::Shares { shares: &snap.places, map: Some(&l.place_grouping) },
        Dimension::DacRegion => Parts::Shares { shares: &snap.places, map: Some(&l.place_dac_region) },
        Dimension::Partner => Parts::Shares { shares: &snap.partners, map: None },
        Dimension::ActorLevel => Parts::Shares { shares: &snap.levels, map: None },
        Dimension::MxState => Parts::Shares { shares: &snap.states, map: None },
        Dimension::Modality => Parts::Single { column: &snap.modality, offset: 0 },
        Dimension::Instrument => Parts::Single { column: &snap.instrument, offset: 0 },
        Dimension::CooperationType => Parts::Single { column: &snap.cooperation_type, offset: 0 },
        Dimension::Status => Parts::Single { column: &snap.status, offset: 0 },
        Dimension::Workflow => Parts::Single { column: &snap.workflow, offset: 0 },
        Dimension::Direction => Parts::Single { column: &snap.direction, offset: 1 },
        Dimension::Border => Parts::Single { column: &snap.border, offset: 1 },
        Dimension::Scheme => Parts::Bits { column: &snap.schemes },
        Dimension::Agenda => Parts::Bits { column: &snap.agenda },
        Dimension::Year => Parts::StartYear,
    }
}

impl Parts<'_> {
    /// Calls `f(row, ppm)` for each part of activity `i`; `none` is the row of "no value".
    #[inline(always)]
    pub(crate) fn each(&self, snap: &Snapshot, i: usize, none: usize, mut f: impl FnMut(usize, u32)) {
        match self {
            Parts::Single { column, offset } => {
                let v = column[i];
                let row = match v.checked_sub(*offset) {
                    Some(r) if v != u8::MAX => usize::from(r),
                    _ => none,
                };
                f(row, PPM);
            }
            Parts::Shares { shares, map } => {
                let range = shares.range(i);
                if range.is_empty() {
                    f(none, PPM);
                    return;
                }
                for e in range {
                    let id = shares.ids[e];
                    let row = match map {
                        Some(m) => m[id as usize],
                        None => id,
                    };
                    f(if row == NONE { none } else { row as usize }, shares.ppm[e]);
                }
            }
            Parts::Bits { column } => {
                let bits = column[i];
                let n = bits.count_ones();
                if n == 0 {
                    f(none, PPM);
                    return;
                }
                // n is 1–8: a million in n parts, the remainder spread one by one.
                let each = PPM.checked_div(n).unwrap_or(PPM);
                let mut left = PPM.saturating_sub(each.saturating_mul(n));
                for k in 0..8 {
                    if bits & (1 << k) != 0 {
                        let extra = u32::from(left > 0);
                        left = left.saturating_sub(extra);
                        f(k, each.saturating_add(extra));
                    }
                }
            }
            Parts::StartYear => {
                let y = snap.start_year[i];
                f(if y == NO_YEAR { none } else { year_row(snap, y) }, PPM);
            }
        }
    }
}

/// The number of rows of a dimension, not counting the row of "no value" (which comes last).
pub(crate) fn universe_len(snap: &Snapshot, dim: Dimension) -> usize {
    match dim {
        Dimension::ThematicArea => THEMATIC_AREA.codes.len(),
        Dimension::DacCategory => SECTOR_CATEGORY.codes.len(),
        Dimension::DacCode => SECTOR.codes.len().saturating_add(SECTOR_CATEGORY.codes.len()),
        Dimension::SdgGoal => UNSDG_GOALS.codes.len(),
        Dimension::PartnerCountry => (multilateral_row() as usize).saturating_add(1),
        Dimension::RecipientCountry => COUNTRY.codes.len().saturating_add(REGION.codes.len()),
        Dimension::PartnerRegion | Dimension::RecipientRegion => crate::geo::GROUPINGS.len(),
        Dimension::DacRegion => REGION.codes.len(),
        Dimension::Partner => snap.orgs.len(),
        Dimension::ActorLevel => Level::ALL.len(),
        Dimension::MxState => MX_STATE.codes.len(),
        Dimension::Modality => Modality::ALL.len(),
        Dimension::Instrument => Instrument::ALL.len(),
        Dimension::CooperationType => CooperationType::ALL.len(),
        Dimension::Status => ACTIVITY_STATUS.codes.len(),
        Dimension::Workflow => WorkflowState::ALL.len(),
        Dimension::Direction => Direction::ALL.len(),
        Dimension::Border => Border::ALL.len(),
        Dimension::Scheme => SCHEMES.len(),
        Dimension::Agenda => CrossBorderDimension::ALL.len(),
        Dimension::Year => {
            if snap.year_min == NO_YEAR {
                0
            } else {
                year_row(snap, snap.year_max).saturating_add(1)
            }
        }
    }
}

/// The schemes (key, Spanish and English names), in the order of the snapshot's bits.
pub const SCHEMES: &[(&str, &str, &str)] = &[
    ("south-south", "Sur-Sur", "South-South"),
    ("north-south", "Norte-Sur", "North-South"),
    ("decentralised", "Descentralizada", "Decentralised"),
    ("cross-border", "Transfronteriza", "Cross-border"),
];

/// (key, Spanish label, English label) of a row.
pub(crate) fn row_info(snap: &Snapshot, dim: Dimension, row: usize) -> (String, String, String) {
    if row >= universe_len(snap, dim) {
        return if dim == Dimension::ThematicArea {
            (UNCLASSIFIED.to_owned(), "Sin clasificar".to_owned(), "Unclassified".to_owned())
        } else {
            (NOT_SPECIFIED.to_owned(), "Sin especificar".to_owned(), "Not specified".to_owned())
        };
    }
    let code = |c: &coopera_domain::codelists::Code| (c.code.to_owned(), c.name_es.to_owned(), c.name_en.to_owned());
    let kind = |code: &str, es: &str, en: &str| (code.to_owned(), es.to_owned(), en.to_owned());
    use coopera_domain::Lang::{En, Es};
    match dim {
        Dimension::ThematicArea => code(&THEMATIC_AREA.codes[row]),
        Dimension::DacCategory => code(&SECTOR_CATEGORY.codes[row]),
        Dimension::DacCode => code(
            SECTOR.codes.get(row).unwrap_or_else(|| &SECTOR_CATEGORY.codes[row.saturating_sub(SECTOR.codes.len())]),
        ),
        Dimension::SdgGoal => code(&UNSDG_GOALS.codes[row]),
        Dimension::PartnerCountry if row == multilateral_row() as usize => {
            kind(crate::partner::MULTILATERAL, "Organismos multilaterales", "Multilateral organisations")
        }
        Dimension::PartnerCountry | Dimension::RecipientCountry => {
            code(COUNTRY.codes.get(row).unwrap_or_else(|| &REGION.codes[row.saturating_sub(COUNTRY.codes.len())]))
        }
        Dimension::PartnerRegion | Dimension::RecipientRegion => {
            let g = &crate::geo::GROUPINGS[row];
            kind(g.key, g.name_es, g.name_en)
        }
        Dimension::DacRegion => code(&REGION.codes[row]),
        Dimension::Partner => {
            let o = &snap.orgs[row];
            (o.key.clone(), o.name_es.clone(), o.name_en.clone())
        }
        Dimension::ActorLevel => {
            let l = Level::ALL[row];
            kind(l.code(), l.label(Es), l.label(En))
        }
        Dimension::MxState => code(&MX_STATE.codes[row]),
        Dimension::Modality => {
            let m = Modality::ALL[row];
            kind(m.code(), m.label(Es), m.label(En))
        }
        Dimension::Instrument => {
            let m = Instrument::ALL[row];
            kind(m.code(), m.label(Es), m.label(En))
        }
        Dimension::CooperationType => {
            let m = CooperationType::ALL[row];
            kind(m.code(), m.label(Es), m.label(En))
        }
        Dimension::Status => code(&ACTIVITY_STATUS.codes[row]),
        Dimension::Workflow => {
            let w = WorkflowState::ALL[row];
            kind(w.code(), w.label(Es), w.label(En))
        }
        Dimension::Direction => {
            let m = Direction::ALL[row];
            kind(m.code(), m.label(Es), m.label(En))
        }
        Dimension::Border => {
            let m = Border::ALL[row];
            kind(m.code(), m.label(Es), m.label(En))
        }
        Dimension::Scheme => {
            let (k, es, en) = SCHEMES[row];
            kind(k, es, en)
        }
        Dimension::Agenda => {
            let m = CrossBorderDimension::ALL[row];
            kind(m.code(), m.label(Es), m.label(En))
        }
        Dimension::Year => {
            let y = i64::from(snap.year_min).saturating_add(row as i64).to_string();
            (y.clone(), y.clone(), y)
        }
    }
}

/// The rows a filter value names: a key (case-insensitive), a label, or for Mexican states
/// also an ISO 3166-2 code or a number without its leading zero.
pub(crate) fn resolve(snap: &Snapshot, dim: Dimension, value: &str) -> Result<usize, ReportError> {
    let wanted = value.trim().to_lowercase();
    let len = universe_len(snap, dim);
    let by_key = |key: &str| -> Option<usize> {
        if dim == Dimension::Partner {
            // Keys are case-sensitive: the one written as it is first.
            let exact = value.trim();
            return snap
                .orgs
                .iter()
                .position(|o| o.key == exact)
                .or_else(|| snap.orgs.iter().position(|o| o.key == key));
        }
        (0..=len).find(|&r| row_info(snap, dim, r).0.to_lowercase() == key)
    };
    if let Some(r) = by_key(&wanted) {
        return Ok(r);
    }
    if dim == Dimension::MxState
        && let Ok(s) = MxStateCode::parse_any(value)
        && let Some(r) = lists().state.get(s.as_str())
    {
        return Ok(r as usize);
    }
    if let Some(r) = (0..=len).find(|&r| {
        let (_, es, en) = row_info(snap, dim, r);
        es.to_lowercase() == wanted || en.to_lowercase() == wanted
    }) {
        return Ok(r);
    }
    let mut near: Vec<(usize, String)> = (0..len)
        .map(|r| {
            let (key, es, _) = row_info(snap, dim, r);
            let d =
                strsim::levenshtein(&wanted, &key.to_lowercase()).min(strsim::levenshtein(&wanted, &es.to_lowercase()));
            (d, key)
        })
        .filter(|(d, _)| *d <= 3.max(wanted.chars().count() / 3))
        .collect();
    near.sort();
    Err(ReportError::UnknownValue {
        dimension: dim,
        value: value.to_owned(),
        suggestions: near.into_iter().take(5).map(|(_, k)| k).collect(),
    })
}

/// Decimal of a fixed-point integer, dropping digits of the scale while the number is too
/// large for a decimal (never happens below 10^16 currency units).
fn to_decimal(mut value: i128, mut scale: u32) -> Decimal {
    loop {
        if let Ok(d) = Decimal::try_from_i128_with_scale(value, scale) {
            return d.normalize();
        }
        if scale == 0 {
            return if value > 0 { Decimal::MAX } else { Decimal::MIN };
        }
        // value is nonzero here (zero always fits): drop its last digit, rounding half away.
        let rest = value.checked_rem(10).unwrap_or(0);
        value = value.checked_div(10).unwrap_or(0);
        if rest.unsigned_abs() >= 5 {
            value = value.saturating_add(rest.signum());
        }
        scale = scale.saturating_sub(1);
    }
}

/// The row of a start year in the year dimension.
fn year_row(snap: &Snapshot, year: i16) -> usize {
    usize::try_from(i32::from(year).saturating_sub(i32::from(snap.year_min))).unwrap_or(0)
}

/// An amount spread to a row: amount × weight × part, both in millionths. Amounts are at most
/// 2^63 and the factors at most 10^6 each, so one product is below 10^31; sums of them
/// saturate rather than wrap (a sum near i128's 10^38 would need 10^7 maximal flows).
#[inline(always)]
fn spread(amount: i128, weight: i128, ppm: u32) -> i128 {
    amount.saturating_mul(weight).saturating_mul(i128::from(ppm))
}

/// The activities a selection keeps and the part of each in it, worked out once and shared
/// by every report of the selection: a dashboard runs a dozen reports over one selection, and
/// the filters, not the rows, are most of the work of a narrow one.
#[derive(Debug, Clone)]
pub struct Selected {
    filters: Filters,
    years: Option<(i16, i16)>,
    /// The kept activities, in order.
    kept: Vec<u32>,
    /// For every activity, its part in the selection in millionths (0 when not kept; a kept
    /// activity can have a part of 0, when its parts in the kept rows are 0 %).
    weights: Vec<u32>,
}

impl Selected {
    /// How many activities the selection keeps.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    pub fn filters(&self) -> &Filters {
        &self.filters
    }

    /// The kept activities, as the snapshot numbers them, in order.
    pub(crate) fn kept(&self) -> impl Iterator<Item = usize> + '_ {
        self.kept.iter().map(|&i| i as usize)
    }
}

/// Selects and weighs the activities `filters` keep.
pub fn select(snap: &Snapshot, filters: &Filters) -> Result<Selected, ReportError> {
    if let Some(YearRange { from, to }) = filters.years
        && from > to
    {
        return Err(ReportError::YearRange { from, to });
    }
    // Filters: for each, the rows it keeps (the last row is "no value").
    let mut checks: Vec<(Parts<'_>, usize, Vec<bool>)> = Vec::new();
    for (d, values) in &filters.values {
        if *d == Dimension::Year {
            return Err(ReportError::YearAsFilter);
        }
        let len = universe_len(snap, *d);
        let mut keep = vec![false; len.saturating_add(1)];
        for v in values {
            keep[resolve(snap, *d, v)?] = true;
        }
        checks.push((parts(snap, *d), len, keep));
    }
    // The cheapest checks first: most activities of a narrow selection fail one of them.
    checks.sort_by_key(|(p, _, _)| p.cost());
    let years = filters.years.map(|r| {
        let clamp = |y: i32| i16::try_from(y).unwrap_or(if y < 0 { -i16::MAX } else { i16::MAX }).max(-i16::MAX);
        (clamp(r.from), clamp(r.to))
    });

    // Who may see what comes first: an activity they may not see is in no report, list or map.
    let visible = Visible::of(snap, &filters.visible);
    // Whether activity `i` is kept, and its part in millionths: the part of it in the rows the
    // filters keep (a count takes a kept activity whole; money and the weighted count take
    // its part).
    let weight = |i: usize| -> Option<u32> {
        if !snap.is_live(i) || !visible.keeps(snap, i) {
            return None;
        }
        if let Some((from, to)) = years {
            let (start, end) = (snap.start_year[i], snap.end_year[i]);
            if start == NO_YEAR || start > to || end < from {
                return None;
            }
        }
        let mut w = u64::from(PPM);
        for (p, len, keep) in &checks {
            let (mut kept, mut part) = (false, 0u64);
            p.each(snap, i, *len, |row, ppm| {
                if keep[row] {
                    kept = true;
                    part = part.saturating_add(u64::from(ppm));
                }
            });
            if !kept {
                return None;
            }
            // Both are at most a million (parts of one activity add up to a million).
            w = w.saturating_mul(part).checked_div(u64::from(PPM)).unwrap_or(0);
        }
        Some(u32::try_from(w).unwrap_or(PPM))
    };
    let mut kept = Vec::new();
    let mut weights = vec![0u32; snap.len];
    for (i, slot) in weights.iter_mut().enumerate() {
        if let Some(w) = weight(i) {
            kept.push(u32::try_from(i).unwrap_or(u32::MAX));
            *slot = w;
        }
    }
    Ok(Selected { filters: filters.clone(), years, kept, weights })
}

/// Each activity as a report counts it: whether the filters keep it and, for a measure of
/// money, the value it adds to the report's total — its flows in the years asked for, in the
/// report's currency, times the part of it the filters keep — so that the values of the kept
/// activities add up to the total of any report with the same query. Activities are numbered
/// as the snapshot read them ([`Snapshot::load_visiting`]).
#[derive(Debug, Clone, Default)]
pub struct PerActivity {
    kept: Vec<bool>,
    /// In 1/10 000 of a unit times millionths; empty for counts.
    values: Vec<i128>,
}

impl PerActivity {
    /// Whether the activity numbered `i` is in the report.
    pub fn contains(&self, i: usize) -> bool {
        self.kept.get(i).copied().unwrap_or(false)
    }

    /// The value activity `i` adds to the report (`None` for a count, or when it is not in
    /// it); amounts without a rate add nothing, as in the report.
    pub fn value(&self, i: usize) -> Option<Decimal> {
        if !self.contains(i) {
            return None;
        }
        self.values.get(i).map(|v| to_decimal(*v, MONEY_SCALE.saturating_add(6)))
    }
}

/// Every activity as a report with `query`'s filters, measure and currency counts it (its
/// dimension does not matter).
pub fn per_activity(snap: &Snapshot, query: &Query) -> Result<PerActivity, ReportError> {
    per_activity_selected(snap, &select(snap, &query.filters)?, query)
}

/// [`per_activity`] over `selected`, the selection of the query's filters (made again from
/// them if it is another).
pub fn per_activity_selected(snap: &Snapshot, selected: &Selected, query: &Query) -> Result<PerActivity, ReportError> {
    if selected.filters != query.filters || selected.weights.len() != snap.len {
        return per_activity(snap, query);
    }
    let mut kept = vec![false; snap.len];
    for &i in &selected.kept {
        kept[i as usize] = true;
    }
    let mut values = Vec::new();
    if query.measure.is_money() {
        // One row per activity: its whole value goes to its direction's row.
        let q = Query { dimension: Dimension::Direction, ..query.clone() };
        values = vec![0i128; snap.len];
        run_over(snap, selected, &q, Some(&mut values))?;
    }
    Ok(PerActivity { kept, values })
}

/// Runs `query`.
pub fn run(snap: &Snapshot, query: &Query) -> Result<Report, ReportError> {
    run_over(snap, &select(snap, &query.filters)?, query, None)
}

/// Runs `query` over `selected`, the selection of its filters (made by [`select`] over the same
/// snapshot); another selection is made again from the query's filters.
pub fn run_selected(snap: &Snapshot, selected: &Selected, query: &Query) -> Result<Report, ReportError> {
    if selected.filters != query.filters || selected.weights.len() != snap.len {
        return run(snap, query);
    }
    run_over(snap, selected, query, None)
}

/// Runs `query` over `selected` (of its filters), adding each activity's value (money
/// measures, any dimension but the year) into `per_activity` when given.
fn run_over(
    snap: &Snapshot,
    selected: &Selected,
    query: &Query,
    per_activity: Option<&mut Vec<i128>>,
) -> Result<Report, ReportError> {
    let pass = Pass {
        snap,
        weights: &selected.weights,
        years: selected.years,
        dim: query.dimension,
        // Reports by border or agenda leave out the activities that are not cross-border,
        // also as providers of merged flows.
        cross_border_only: query.dimension.only_cross_border(),
        len: universe_len(snap, query.dimension),
        parts: parts(snap, query.dimension),
    };
    let mut sums = Sums::new(pass.len.saturating_add(1), query.measure);
    let money = pass.count(selected, query.measure, &mut sums);
    pass.add_money(&money, query, &mut sums, per_activity);
    if matches!(query.measure, Measure::InKind | Measure::Total) {
        pass.add_not_valued(&mut sums);
    }
    Ok(sums.into_report(snap, query))
}

/// One report's pass over the snapshot: what it reads.
struct Pass<'a> {
    snap: &'a Snapshot,
    weights: &'a [u32],
    years: Option<(i16, i16)>,
    dim: Dimension,
    cross_border_only: bool,
    /// The dimension's rows (one more holds what falls in none).
    len: usize,
    parts: Parts<'a>,
}

/// What a pass adds up, row by row.
struct Sums {
    /// Money (or counts), and in-kind value for the total measure, by row.
    acc: Vec<i128>,
    acc_in_kind: Vec<i128>,
    activities: u64,
    count_weight: i128,
    not_converted: BTreeMap<u16, i128>,
    not_valued: BTreeMap<InKindUnit, Decimal>,
    merged_flows: u64,
}

impl Pass<'_> {
    #[inline]
    fn in_report(&self, i: usize) -> bool {
        !self.cross_border_only || self.snap.border[i] != 0
    }

    /// Counts the selected activities (into the rows, for the count measures); returns those
    /// whose money the measure adds up.
    fn count(&self, selected: &Selected, measure: Measure, sums: &mut Sums) -> Vec<usize> {
        let (snap, weights, len) = (self.snap, self.weights, self.len);
        let kept = selected.kept.iter().map(|&i| i as usize).filter(|&i| self.in_report(i));
        let mut money: Vec<usize> = Vec::new();
        let acc = &mut sums.acc;
        let mut see = |i: usize| {
            sums.activities = sums.activities.saturating_add(1);
            sums.count_weight = sums.count_weight.saturating_add(i128::from(weights[i]));
            weights[i]
        };
        match measure {
            Measure::Count => {
                // Each row counts an activity once, however many of its parts fall in the row
                // (two DAC codes of one thematic area): `last` is the activity a row last
                // counted.
                let mut last = vec![usize::MAX; acc.len()];
                for i in kept {
                    see(i);
                    self.parts.each(snap, i, len, |row, _| {
                        if last[row] != i {
                            last[row] = i;
                            acc[row] = acc[row].saturating_add(1);
                        }
                    });
                }
            }
            Measure::Weighted => {
                // An activity adds at most 10^12 (its weight × its parts, both in millionths):
                // 64-bit sums are exact below 9 million activities, and faster.
                let mut small = vec![0i64; acc.len()];
                let fits = snap.len < 9_000_000;
                for i in kept {
                    let w = see(i);
                    if fits {
                        let w = i64::from(w);
                        self.parts.each(snap, i, len, |row, ppm| {
                            small[row] = small[row].saturating_add(w.saturating_mul(i64::from(ppm)));
                        });
                    } else {
                        let w = i128::from(w);
                        self.parts.each(snap, i, len, |row, ppm| {
                            acc[row] = acc[row].saturating_add(w.saturating_mul(i128::from(ppm)));
                        });
                    }
                }
                for (a, s) in acc.iter_mut().zip(small) {
                    *a = a.saturating_add(i128::from(s));
                }
            }
            _ => {
                for i in kept {
                    if see(i) > 0 {
                        money.push(i);
                    }
                }
            }
        }
        money
    }

    /// Adds up each activity's flows and spreads the sum over the rows; a flow whose
    /// provider activity is in the report is merged into the provider's own.
    fn add_money(&self, money: &[usize], query: &Query, sums: &mut Sums, mut per_activity: Option<&mut Vec<i128>>) {
        let (snap, weights, dim, len) = (self.snap, self.weights, self.dim, self.len);
        // The flow tables the measure adds up, and the accumulator each goes to (0 money, 1
        // in kind).
        let tables: &[(FlowKind, usize)] = match query.measure {
            Measure::Count | Measure::Weighted => &[],
            Measure::Committed => &[(FlowKind::Committed, 0)],
            Measure::Disbursed => &[(FlowKind::Disbursed, 0)],
            Measure::Spent => &[(FlowKind::Spent, 0)],
            Measure::InKind => &[(FlowKind::InKind, 0)],
            Measure::Total => &[(FlowKind::Committed, 0), (FlowKind::InKind, 1)],
        };
        let native_currency = match query.currency {
            Currency::Native(c) => lists().currency.get(c.as_str()).map(|x| x as u16),
            _ => None,
        };
        for &i in money {
            let w = i128::from(weights[i]);
            let mut by_slot = [0i128; 2];
            for &(kind, slot) in tables {
                let flows = &snap.flows[kind as usize];
                let target: &[i64] = match query.currency {
                    Currency::Usd => &flows.usd,
                    Currency::Mxn => &flows.mxn,
                    Currency::Native(_) => &flows.native,
                };
                for f in flows.range(i) {
                    let year = flows.year[f];
                    if let Some((from, to)) = self.years
                        && (year == NO_YEAR || year < from || year > to)
                    {
                        continue;
                    }
                    let provider = flows.provider[f];
                    if provider != NONE && weights[provider as usize] > 0 && self.in_report(provider as usize) {
                        sums.merged_flows = sums.merged_flows.saturating_add(1);
                        continue;
                    }
                    let value = target[f];
                    if value == NOT_CONVERTED || native_currency.is_some_and(|c| c != flows.currency[f]) {
                        if flows.native[f] != NOT_CONVERTED {
                            let sum = sums.not_converted.entry(flows.currency[f]).or_default();
                            *sum = sum.saturating_add(i128::from(flows.native[f]).saturating_mul(w));
                        }
                        continue;
                    }
                    if dim == Dimension::Year {
                        let row = if year == NO_YEAR { len } else { year_row(snap, year) };
                        let into = if slot == 0 { &mut sums.acc } else { &mut sums.acc_in_kind };
                        into[row] = into[row].saturating_add(spread(i128::from(value), w, PPM));
                    } else {
                        by_slot[slot] = by_slot[slot].saturating_add(i128::from(value));
                    }
                }
            }
            if let Some(per) = per_activity.as_deref_mut()
                && let Some(v) = per.get_mut(i)
            {
                *v = by_slot[0].saturating_add(by_slot[1]).saturating_mul(w);
            }
            if dim != Dimension::Year {
                for (slot, sum) in by_slot.into_iter().enumerate() {
                    if sum != 0 {
                        let into = if slot == 0 { &mut sums.acc } else { &mut sums.acc_in_kind };
                        self.parts
                            .each(snap, i, len, |row, ppm| into[row] = into[row].saturating_add(spread(sum, w, ppm)));
                    }
                }
            }
        }
    }

    /// Adds up the in-kind quantities that have no value, by unit.
    fn add_not_valued(&self, sums: &mut Sums) {
        for (i, unit, quantity) in &self.snap.in_kind_not_valued {
            let w = self.weights[*i as usize];
            if w > 0 && self.in_report(*i as usize) {
                // Quantities are bounded where records are written; one stored before the
                // bound existed saturates instead of stopping the report.
                // The weight in millionths is exactly w × 10^-6, at most one.
                let part = quantity.checked_mul(Decimal::new(i64::from(w), 6)).unwrap_or(Decimal::MAX);
                let sum = sums.not_valued.entry(*unit).or_default();
                *sum = sum.checked_add(part).unwrap_or(Decimal::MAX);
            }
        }
    }
}

impl Sums {
    fn new(rows: usize, measure: Measure) -> Sums {
        Sums {
            acc: vec![0; rows],
            acc_in_kind: vec![0; if measure == Measure::Total { rows } else { 0 }],
            activities: 0,
            count_weight: 0,
            not_converted: BTreeMap::new(),
            not_valued: BTreeMap::new(),
            merged_flows: 0,
        }
    }

    /// The report the sums make: its rows with their labels, shares and totals.
    fn into_report(self, snap: &Snapshot, query: &Query) -> Report {
        let dim = query.dimension;
        // A count is of whole activities; the weighted count is in millionths of millionths
        // (a weight times a part); money, in 1/10 000 of a unit times those.
        let scale = match query.measure {
            Measure::Count => 0,
            Measure::Weighted => 12,
            _ => MONEY_SCALE.saturating_add(12),
        };
        let mut rows = Vec::new();
        for (row, &money) in self.acc.iter().enumerate() {
            let in_kind = self.acc_in_kind.get(row).copied().unwrap_or(0);
            if money == 0 && in_kind == 0 {
                continue;
            }
            let (key, label_es, label_en) = row_info(snap, dim, row);
            let split = (query.measure == Measure::Total)
                .then(|| ValueSplit { money: to_decimal(money, scale), in_kind: to_decimal(in_kind, scale) });
            let value = split
                .map_or_else(|| to_decimal(money, scale), |s| s.money.checked_add(s.in_kind).unwrap_or(Decimal::MAX));
            rows.push(Row { key, label_es, label_en, value, share: Decimal::ZERO, split });
        }
        let not_converted = self
            .not_converted
            .into_iter()
            .filter(|(_, v)| *v != 0)
            .filter_map(|(c, v)| {
                let code = CURRENCY.codes.get(usize::from(c))?;
                Some((CurrencyCode::parse(code.code).ok()?, to_decimal(v, MONEY_SCALE.saturating_add(6))))
            })
            .collect();
        let total = (query.measure == Measure::Count).then(|| Decimal::from(self.activities));
        let mut report = Report::from_rows(dim, query.measure, rows, total, query.top);
        report.currency = query.measure.is_money().then_some(query.currency);
        report.activities = self.activities;
        report.activities_weighted = to_decimal(self.count_weight, 6);
        report.not_converted = not_converted;
        report.in_kind_not_valued = self.not_valued.into_iter().map(|(u, q)| (u, q.normalize())).collect();
        report.merged_flows = self.merged_flows;
        report
    }
}

/// Keys of every row a dimension can have, for help and suggestions.
pub fn keys(snap: &Snapshot, dim: Dimension) -> Vec<String> {
    (0..universe_len(snap, dim)).map(|r| row_info(snap, dim, r).0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_to_decimal() {
        assert_eq!(to_decimal(1_500_000, 6), Decimal::new(15, 1));
        assert_eq!(to_decimal(-25, 1), Decimal::new(-25, 1));
        // Too many digits for a decimal: the last ones are rounded away.
        let big = 10i128.pow(30) + 6;
        assert_eq!(to_decimal(big, 16), Decimal::from(100_000_000_000_000u64));
    }
}
