//! The cross-border agenda: the activities and the actions of states and municipalities tagged
//! to the northern or the southern border, counted by border, by dimension of the agenda (each
//! with its border's part), by federal entity and by partner country, and the southern
//! corridor (the southern border with Central America) on its own.
//!
//! **A count is of records.** An activity or an action counts once in every row it touches:
//! one with two dimensions counts in both, so the rows of dimensions, states and partners may
//! add up to more than the total ([`Agenda::overlaps`]); the totals are the records, each
//! once. Activities and actions are counted apart, never added.
//!
//! **Which records.** Activities: those the report's [`Filters`] keep (visibility, years and
//! every dimension filter, as for any report) that are cross-border. Actions: those with a
//! cross-border tag that every filter applies to and keeps — years (the action's days fall in
//! them), state (its actor's, by [`OrgStates`]), country (its destination, as a recipient or
//! partner country), border and agenda dimension; a filter on something an action has not
//! (modality, sector, direction…) leaves the actions out.
//!
//! **Whose state and country.** An activity's states are those of the `states` report (its
//! home-country participants' and the places where it takes place); its partner countries are
//! those of the `countries` report ([`crate::partner`]). An action's state is its actor's; its
//! partner country is its destination.

use std::collections::BTreeMap;

use coopera_domain::kinds::{Border, CrossBorderDimension};
use coopera_domain::subnational::{OrgStates, SubnationalAction};

use crate::query::{Parts, parts, resolve, row_info, select, universe_len};
use crate::{Dimension, Filters, ReportError, Snapshot};

/// The countries of the southern corridor beyond Mexico's southern border: Central America.
pub const CORRIDOR: &[&str] = &["GT", "BZ", "SV", "HN", "NI", "CR", "PA"];

/// How many activities and how many actions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub activities: u32,
    pub actions: u32,
}

impl Count {
    fn add(&mut self, kind: Kind) {
        match kind {
            Kind::Activity => self.activities = self.activities.saturating_add(1),
            Kind::Action => self.actions = self.actions.saturating_add(1),
        }
    }

    /// Activities and actions together, for ordering rows.
    pub fn records(self) -> u32 {
        self.activities.saturating_add(self.actions)
    }
}

/// A row's counts: in all, and at each border.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub total: Count,
    pub north: Count,
    pub south: Count,
}

impl Figures {
    fn add(&mut self, kind: Kind, border: Border) {
        self.total.add(kind);
        match border {
            Border::North => self.north.add(kind),
            Border::South => self.south.add(kind),
        }
    }

    /// The counts at one border.
    pub fn at(&self, border: Border) -> Count {
        match border {
            Border::North => self.north,
            Border::South => self.south,
        }
    }
}

/// One row of a table of the agenda: its key (a code, or `none`), labels and counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaRow {
    pub key: String,
    pub label_es: String,
    pub label_en: String,
    pub figures: Figures,
}

impl AgendaRow {
    pub fn label(&self, lang: coopera_domain::Lang) -> &str {
        lang.pick(&self.label_es, &self.label_en)
    }
}

/// The southern corridor: the southern border's records with a Central American partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corridor {
    /// Each record once, whatever its number of Central American partners.
    pub total: Count,
    /// Each country of [`CORRIDOR`], in that order; `figures.total` is the southern count.
    pub countries: Vec<AgendaRow>,
}

/// The cross-border agenda, in figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agenda {
    /// Every record counted, each once.
    pub total: Figures,
    /// The northern and the southern border, in that order.
    pub borders: Vec<AgendaRow>,
    /// The seven dimensions in their list's order, then the records without one (`none`) if any.
    pub dimensions: Vec<AgendaRow>,
    /// The federal entities with records, most first; those without one (`none`) last.
    pub states: Vec<AgendaRow>,
    /// The partner countries (and regions, multilateral) with records, most first; `none` last.
    pub partners: Vec<AgendaRow>,
    pub corridor: Corridor,
    /// The keys of the actions counted, in the order given.
    pub actions: Vec<String>,
}

impl Agenda {
    /// Whether a table's rows add up to more than the records: some record is in several rows.
    pub fn overlaps(&self, rows: &[AgendaRow]) -> bool {
        let (mut activities, mut actions) = (0u32, 0u32);
        for r in rows {
            activities = activities.saturating_add(r.figures.total.activities);
            actions = actions.saturating_add(r.figures.total.actions);
        }
        activities > self.total.total.activities || actions > self.total.total.actions
    }
}

/// An action as the agenda reads it: the action and its state.
#[derive(Debug, Clone, Copy)]
pub struct AgendaAction<'a> {
    pub action: &'a SubnationalAction,
    pub states: &'a OrgStates,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Activity,
    Action,
}

/// One record as the tables count it: rows of each dimension, "none" being the last row.
struct Tagged {
    kind: Kind,
    border: Border,
    dimensions: Vec<usize>,
    states: Vec<usize>,
    partners: Vec<usize>,
}

/// The cross-border agenda of the activities `filters` keep and of `actions`.
pub fn agenda(snap: &Snapshot, filters: &Filters, actions: &[AgendaAction<'_>]) -> Result<Agenda, ReportError> {
    let selected = select(snap, filters)?;
    let mut tally = Tally::new(snap);
    for i in selected.kept() {
        if let Some(record) = activity(snap, i) {
            tally.add(&record);
        }
    }
    let keep = ActionFilter::new(snap, filters)?;
    let mut keys = Vec::new();
    for a in actions {
        if let Some(record) = action(snap, a).filter(|r| keep.keeps(a, r)) {
            tally.add(&record);
            keys.push(a.action.parts().key.to_string());
        }
    }
    Ok(tally.finish(snap, keys))
}

/// The rows activity `i` touches in `dim`, each once.
fn rows_of(snap: &Snapshot, dim: Dimension, i: usize) -> Vec<usize> {
    let mut rows = Vec::new();
    let p: Parts<'_> = parts(snap, dim);
    p.each(snap, i, universe_len(snap, dim), |row, _| rows.push(row));
    rows.sort_unstable();
    rows.dedup();
    rows
}

fn activity(snap: &Snapshot, i: usize) -> Option<Tagged> {
    let border = *Border::ALL.get(usize::from(snap.border[i].checked_sub(1)?))?;
    Some(Tagged {
        kind: Kind::Activity,
        border,
        dimensions: rows_of(snap, Dimension::Agenda, i),
        states: rows_of(snap, Dimension::MxState, i),
        partners: rows_of(snap, Dimension::PartnerCountry, i),
    })
}

/// The row of a code in `dim`, or the row of "none".
fn row(snap: &Snapshot, dim: Dimension, code: Option<String>) -> usize {
    code.and_then(|c| resolve(snap, dim, &c).ok()).unwrap_or_else(|| universe_len(snap, dim))
}

fn action(snap: &Snapshot, a: &AgendaAction<'_>) -> Option<Tagged> {
    let p = a.action.parts();
    let tag = p.cross_border.as_ref()?;
    let mut dimensions: Vec<usize> =
        tag.dimensions.iter().filter_map(|d| CrossBorderDimension::ALL.iter().position(|x| x == d)).collect();
    if dimensions.is_empty() {
        dimensions.push(CrossBorderDimension::ALL.len());
    }
    dimensions.sort_unstable();
    dimensions.dedup();
    let state = a.action.state(a.states).map(|s| s.to_string());
    Some(Tagged {
        kind: Kind::Action,
        border: tag.border,
        dimensions,
        states: vec![row(snap, Dimension::MxState, state)],
        partners: vec![row(snap, Dimension::PartnerCountry, p.country.map(|c| c.to_string()))],
    })
}

/// The report's filters as they apply to actions.
struct ActionFilter {
    years: Option<(i32, i32)>,
    /// For each filter on something actions have: its dimension and the rows it keeps.
    rows: Vec<(Dimension, Vec<usize>)>,
    /// A filter on something actions have not: no action is kept.
    none: bool,
}

impl ActionFilter {
    fn new(snap: &Snapshot, filters: &Filters) -> Result<ActionFilter, ReportError> {
        let mut out = ActionFilter { years: filters.years.map(|y| (y.from, y.to)), rows: Vec::new(), none: false };
        for (dim, values) in &filters.values {
            let dim = match dim {
                Dimension::RecipientCountry | Dimension::PartnerCountry => Dimension::PartnerCountry,
                Dimension::MxState | Dimension::Border | Dimension::Agenda => *dim,
                _ => {
                    out.none = true;
                    continue;
                }
            };
            let rows = values.iter().map(|v| resolve(snap, dim, v)).collect::<Result<Vec<_>, _>>()?;
            out.rows.push((dim, rows));
        }
        Ok(out)
    }

    fn keeps(&self, a: &AgendaAction<'_>, record: &Tagged) -> bool {
        if self.none {
            return false;
        }
        let p = a.action.parts();
        if let Some((from, to)) = self.years {
            let (start, end) = (p.date.year(), p.end_date.unwrap_or(p.date).year());
            if start > to || end < from {
                return false;
            }
        }
        let border = Border::ALL.iter().position(|b| *b == record.border).unwrap_or(Border::ALL.len());
        self.rows.iter().all(|(dim, keep)| {
            let mine: &[usize] = match dim {
                Dimension::MxState => &record.states,
                Dimension::PartnerCountry => &record.partners,
                Dimension::Agenda => &record.dimensions,
                _ => std::slice::from_ref(&border),
            };
            mine.iter().any(|r| keep.contains(r))
        })
    }
}

/// The counts, row by row, as records are added.
struct Tally {
    total: Figures,
    borders: [Figures; 2],
    dimensions: Vec<Figures>,
    states: BTreeMap<usize, Figures>,
    partners: BTreeMap<usize, Figures>,
    corridor_rows: Vec<Option<usize>>,
    corridor: Count,
    corridor_countries: Vec<Count>,
}

impl Tally {
    fn new(snap: &Snapshot) -> Tally {
        let corridor_rows = CORRIDOR.iter().map(|c| resolve(snap, Dimension::PartnerCountry, c).ok()).collect();
        Tally {
            total: Figures::default(),
            borders: [Figures::default(); 2],
            dimensions: vec![Figures::default(); CrossBorderDimension::ALL.len().saturating_add(1)],
            states: BTreeMap::new(),
            partners: BTreeMap::new(),
            corridor_rows,
            corridor: Count::default(),
            corridor_countries: vec![Count::default(); CORRIDOR.len()],
        }
    }

    fn add(&mut self, r: &Tagged) {
        let (kind, border) = (r.kind, r.border);
        self.total.add(kind, border);
        let b = usize::from(border == Border::South);
        self.borders[b].add(kind, border);
        for &d in &r.dimensions {
            if let Some(f) = self.dimensions.get_mut(d) {
                f.add(kind, border);
            }
        }
        for &s in &r.states {
            self.states.entry(s).or_default().add(kind, border);
        }
        for &p in &r.partners {
            self.partners.entry(p).or_default().add(kind, border);
        }
        if border == Border::South {
            self.add_corridor(r);
        }
    }

    fn add_corridor(&mut self, r: &Tagged) {
        let mut any = false;
        for (k, row) in self.corridor_rows.iter().enumerate() {
            if row.is_some_and(|row| r.partners.contains(&row)) {
                self.corridor_countries[k].add(r.kind);
                any = true;
            }
        }
        if any {
            self.corridor.add(r.kind);
        }
    }

    fn finish(self, snap: &Snapshot, actions: Vec<String>) -> Agenda {
        let borders = Border::ALL
            .iter()
            .zip(self.borders)
            .map(|(b, figures)| {
                use coopera_domain::Lang::{En, Es};
                AgendaRow { key: b.code().into(), label_es: b.label(Es).into(), label_en: b.label(En).into(), figures }
            })
            .collect();
        let none = CrossBorderDimension::ALL.len();
        let dimensions = self
            .dimensions
            .into_iter()
            .enumerate()
            .filter(|(d, f)| *d < none || f.total.records() > 0)
            .map(|(d, figures)| table_row(snap, Dimension::Agenda, d, figures))
            .collect();
        let countries = CORRIDOR
            .iter()
            .zip(self.corridor_countries)
            .map(|(code, south)| {
                let entry = coopera_domain::code::CountryCode::parse(code).ok().map(|c| c.entry());
                let name = |lang| entry.map_or_else(|| (*code).to_owned(), |e| e.name(lang).to_owned());
                AgendaRow {
                    key: (*code).to_owned(),
                    label_es: name(coopera_domain::Lang::Es),
                    label_en: name(coopera_domain::Lang::En),
                    figures: Figures { total: south, north: Count::default(), south },
                }
            })
            .collect();
        Agenda {
            total: self.total,
            borders,
            dimensions,
            states: ranked(snap, Dimension::MxState, self.states),
            partners: ranked(snap, Dimension::PartnerCountry, self.partners),
            corridor: Corridor { total: self.corridor, countries },
            actions,
        }
    }
}

fn table_row(snap: &Snapshot, dim: Dimension, row: usize, figures: Figures) -> AgendaRow {
    let (key, label_es, label_en) = row_info(snap, dim, row);
    AgendaRow { key, label_es, label_en, figures }
}

/// The rows most records first (then by key), the row of "none" last.
fn ranked(snap: &Snapshot, dim: Dimension, rows: BTreeMap<usize, Figures>) -> Vec<AgendaRow> {
    let none = universe_len(snap, dim);
    let mut out: Vec<(bool, AgendaRow)> =
        rows.into_iter().map(|(r, f)| (r >= none, table_row(snap, dim, r, f))).collect();
    out.sort_by(|(a_none, a), (b_none, b)| {
        (a_none, std::cmp::Reverse(a.figures.total.records()), &a.key).cmp(&(
            b_none,
            std::cmp::Reverse(b.figures.total.records()),
            &b.key,
        ))
    });
    out.into_iter().map(|(_, r)| r).collect()
}

/// The sections of [`Agenda::to_csv`], by key: (key, Spanish, English).
pub const SECTIONS: &[(&str, &str, &str)] = &[
    ("border", "Por frontera", "By border"),
    ("dimension", "Por dimensión de la agenda", "By dimension of the agenda"),
    ("state", "Por entidad federativa", "By federal entity"),
    ("partner", "Por país socio", "By partner country"),
    (
        "corridor",
        "Corredor sur: frontera sur con Centroamérica",
        "Southern corridor: the southern border with Central America",
    ),
];

impl Agenda {
    /// Each table with its section's key: borders, dimensions, states, partners, corridor.
    pub fn sections(&self) -> [(&'static str, &[AgendaRow]); 5] {
        [
            ("border", &self.borders),
            ("dimension", &self.dimensions),
            ("state", &self.states),
            ("partner", &self.partners),
            ("corridor", &self.corridor.countries),
        ]
    }

    /// The records counted, as a row: key `all`.
    pub fn total_row(&self) -> AgendaRow {
        AgendaRow { key: "all".into(), label_es: "Total".into(), label_en: "Total".into(), figures: self.total }
    }

    /// Every table in one CSV, a column naming the section; the counts at each border beside
    /// the row's (the corridor's are all southern). The command line's `--format csv` and the
    /// web page's download write this one.
    pub fn to_csv(&self, lang: coopera_domain::Lang) -> String {
        let keys = [
            "section",
            "key",
            "label",
            "activities",
            "actions",
            "north_activities",
            "north_actions",
            "south_activities",
            "south_actions",
        ];
        let mut rows = Vec::new();
        let total = self.total_row();
        for (section, table) in std::iter::once(("total", std::slice::from_ref(&total))).chain(self.sections()) {
            for r in table {
                let f = &r.figures;
                let mut row = vec![section.to_owned(), r.key.clone(), r.label(lang).to_owned()];
                for c in [f.total, f.north, f.south] {
                    row.extend([c.activities.to_string(), c.actions.to_string()]);
                }
                rows.push(row);
            }
        }
        crate::csv::table(&keys, &rows)
    }
}
