//! The list index: one compact row per activity and per organisation, read from the store in
//! the same pass as the report engine's snapshot and kept beside it — updated from the
//! activities a write changed ([`Registry::apply`]) — that lists filter, search, sort and
//! page through in memory.
//!
//! Search is a normalized substring match: the query and the indexed text (identifier,
//! titles in every language, and the names and acronyms of the organisations taking part)
//! are lowercased and stripped of accents, and every word of the query must appear. SQLite's
//! FTS5 has no Spanish stemmer either; a stemming index (tantivy, or PostgreSQL's `spanish`
//! configuration) can replace this behind [`Registry::find`].

use std::collections::HashMap;

use crate::partner::{self, PartnerPlace, Party};
use crate::persist::{Decoder, Encoder};
use crate::{LoadOptions, ReportError, Snapshot};
use coopera_domain::Lang;
use coopera_domain::code::{CountryCode, SectorCategoryCode, SectorCode};
use coopera_domain::kinds::{Direction, Level, Modality, Role};
use coopera_domain::organisation::Organisation;
use coopera_store::{ReportFacts, Store};
use time::Date;

/// One activity as lists show and filter it.
#[derive(Debug, Clone)]
pub struct ActivityRow {
    pub key: String,
    pub title_es: String,
    pub title_en: String,
    pub reporting_org: String,
    pub modality: Modality,
    pub direction: Option<Direction>,
    /// IATI ActivityStatus code.
    pub status: String,
    pub start: Option<Date>,
    pub end: Option<Date>,
    /// Thematic areas (DAC sector groups) of its DAC sectors.
    pub areas: Vec<&'static str>,
    /// INEGI codes of the Mexican states where it happens or whose governments take part.
    pub states: Vec<&'static str>,
    /// IATI recipient countries.
    pub countries: Vec<CountryCode>,
    /// Partner countries, by the report engine's rule (`coopera_report::partner`): where
    /// cooperation went or came from.
    pub partner_countries: Vec<CountryCode>,
    /// Its partners' places, by the same rule: countries, regions, international
    /// organisations (what the list shows).
    pub partner_places: Vec<PartnerPlace>,
    /// Its number in the report engine's snapshot, which selects the activities of a list
    /// (`coopera_report::per_activity`); `None` for one the snapshot did not read.
    pub position: Option<usize>,
    pub participants: Vec<(String, Role)>,
    search: String,
}

impl ActivityRow {
    pub fn title(&self, lang: Lang) -> &str {
        let t = lang.pick(&self.title_es, &self.title_en);
        if !t.is_empty() {
            return t;
        }
        if self.title_es.is_empty() { &self.title_en } else { &self.title_es }
    }

    /// Whether the activity runs at some time in `year` (start ≤ year ≤ end; without an end,
    /// in its start year), as reports count it.
    pub fn runs_in(&self, year: i32) -> bool {
        match (self.start, self.end.or(self.start)) {
            (Some(s), Some(e)) => s.year() <= year && e.year() >= year,
            _ => false,
        }
    }

    /// Whether every word of a folded query appears in the indexed text.
    pub fn matches_words(&self, words: &[String]) -> bool {
        words.iter().all(|w| self.search.contains(w.as_str()))
    }

    /// Whether `org` reports or takes part in the activity.
    pub fn involves(&self, org: &str) -> bool {
        self.reporting_org == org || self.participants.iter().any(|(o, _)| o == org)
    }
}

/// One organisation as lists show it.
#[derive(Debug, Clone)]
pub struct OrgRow {
    pub key: String,
    pub name_es: String,
    pub name_en: String,
    pub acronym: Option<String>,
    pub level: Level,
    pub country: Option<CountryCode>,
    pub mx_state: Option<&'static str>,
    /// Activities it reports or takes part in.
    pub activities: usize,
    search: String,
}

impl OrgRow {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_es, &self.name_en)
    }

    pub fn matches_words(&self, words: &[String]) -> bool {
        words.iter().all(|w| self.search.contains(w.as_str()))
    }
}

/// How a list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Latest start first (the default), undated last.
    #[default]
    Recent,
    Oldest,
    Title,
    Id,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Recent, Sort::Oldest, Sort::Title, Sort::Id];

    pub fn code(self) -> &'static str {
        match self {
            Sort::Recent => "recent",
            Sort::Oldest => "oldest",
            Sort::Title => "title",
            Sort::Id => "id",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Sort::Recent => lang.pick("Más recientes", "Most recent"),
            Sort::Oldest => lang.pick("Más antiguas", "Oldest"),
            Sort::Title => lang.pick("Título", "Title"),
            Sort::Id => lang.pick("Identificador", "Identifier"),
        }
    }
}

/// The registry's rows, in memory.
#[derive(Debug, Default, Clone)]
pub struct Registry {
    /// How many activities start or end in each year: their first and last follow a change
    /// without a pass over every row.
    year_count: std::collections::BTreeMap<i32, u32>,
    activities: Vec<ActivityRow>,
    by_key: HashMap<String, usize>,
    orgs: Vec<OrgRow>,
    org_by_key: HashMap<String, usize>,
    org_facts: Orgs,
}

/// Lowercase, without accents, punctuation collapsed to single spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c => c,
        };
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The words of a search, folded.
pub fn words(q: &str) -> Vec<String> {
    fold(q).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

fn area_of(vocabulary: &str, code: &str) -> Option<&'static str> {
    let area = match vocabulary {
        "1" => SectorCode::parse(code).ok()?.thematic_area(),
        "2" => SectorCategoryCode::parse(code).ok()?.thematic_area(),
        _ => None,
    };
    area.map(|a| a.entry().code)
}

fn state_code(code: &str) -> Option<&'static str> {
    coopera_domain::codelists::MX_STATE.get(code).map(|c| c.code)
}

/// What the list needs of each organisation to build an activity's row.
#[derive(Debug, Default, Clone)]
struct Orgs {
    by_key: HashMap<String, OrgFacts>,
    home: Option<CountryCode>,
}

#[derive(Debug, Clone)]
struct OrgFacts {
    /// Key, names and acronym, for the search text of the activities it takes part in.
    words: String,
    party: (bool, bool, Option<CountryCode>),
    /// INEGI code of the state of a home-country state or municipal government.
    home_state: Option<&'static str>,
}

impl Orgs {
    fn new(orgs: &[Organisation], home: CountryCode) -> Orgs {
        let by_key = orgs
            .iter()
            .map(|o| {
                let p = o.parts();
                let names: Vec<&str> = p.name.iter().map(|(_, t)| t).collect();
                let key = o.key().to_string();
                let words = format!("{key} {} {}", names.join(" "), p.acronym.as_deref().unwrap_or(""));
                let international = o.level() == Level::International;
                let at_home = o.country() == Some(home) && !international;
                let home_state = if at_home && o.level().is_subnational() {
                    o.mx_state().and_then(|s| state_code(s.as_str()))
                } else {
                    None
                };
                (key, OrgFacts { words, party: (at_home, international, o.country()), home_state })
            })
            .collect();
        Orgs { by_key, home: Some(home) }
    }

    fn words<'a>(&'a self, key: &'a str) -> &'a str {
        self.by_key.get(key).map_or(key, |o| o.words.as_str())
    }

    /// The row of an activity, from the facts the snapshot read at `position`.
    fn row(
        &self,
        f: &ReportFacts,
        position: usize,
        parties: &mut Vec<Party>,
        places: &mut Vec<(PartnerPlace, rust_decimal::Decimal)>,
    ) -> ActivityRow {
        let mut areas = Vec::new();
        for (vocabulary, code, _) in &f.sectors {
            if let Some(a) = area_of(vocabulary, code)
                && !areas.contains(&a)
            {
                areas.push(a);
            }
        }
        let mut states = Vec::new();
        let home_states = f.participants.iter().filter_map(|p| self.by_key.get(&p.0).and_then(|o| o.home_state));
        for s in f.mx_states.iter().filter_map(|s| state_code(s)).chain(home_states) {
            if !states.contains(&s) {
                states.push(s);
            }
        }
        parties.clear();
        for (key, role) in &f.participants {
            let Some(o) = self.by_key.get(key) else { continue };
            let (home, international, country) = o.party;
            parties.push(Party { role: *role, home, international, country });
        }
        let home = self.home.unwrap_or_else(|| LoadOptions::default().home_country);
        let activity =
            partner::Activity { direction: f.direction, countries: &f.countries, regions: &f.regions, parties, home };
        partner::partner_places(&activity, places);
        let mut text = format!("{} {} {} {}", f.key, f.title_es, f.title_en, self.words(&f.reporting_org));
        for (org, _) in &f.participants {
            if *org != f.reporting_org {
                text.push(' ');
                text.push_str(self.words(org));
            }
        }
        ActivityRow {
            search: fold(&text),
            key: f.key.clone(),
            title_es: f.title_es.clone(),
            title_en: f.title_en.clone(),
            reporting_org: f.reporting_org.clone(),
            modality: f.modality,
            direction: f.direction,
            status: f.status.clone(),
            start: f.start,
            end: f.end,
            areas,
            states,
            countries: f.countries.iter().map(|c| c.0).collect(),
            partner_countries: places
                .iter()
                .filter_map(|(p, _)| match p {
                    PartnerPlace::Country(c) => Some(*c),
                    _ => None,
                })
                .collect(),
            partner_places: places.iter().map(|(p, _)| *p).collect(),
            position: Some(position),
            participants: f.participants.clone(),
        }
    }
}

/// The list row of an organisation taking part in `activities` activities.
fn org_row(o: &Organisation, orgs: &Orgs, activities: usize) -> OrgRow {
    let p = o.parts();
    let key = p.key.to_string();
    OrgRow {
        activities,
        search: fold(orgs.words(&key)),
        name_es: p.name.best(Lang::Es).to_owned(),
        name_en: p.name.best(Lang::En).to_owned(),
        acronym: p.acronym.clone(),
        level: p.level,
        country: p.country,
        mx_state: o.mx_state().and_then(|s| state_code(s.as_str())),
        key,
    }
}

/// Adds (`by` 1) or takes away (-1) the years an activity row starts and ends in.
fn count_years(years: &mut std::collections::BTreeMap<i32, u32>, row: &ActivityRow, by: i8) {
    for y in [row.start, row.end].into_iter().flatten().map(|d| d.year()) {
        let n = years.entry(y).or_default();
        *n = if by > 0 { n.saturating_add(1) } else { n.saturating_sub(1) };
        if *n == 0 {
            years.remove(&y);
        }
    }
}

/// The organisations an activity row counts for: its reporting organisation and each
/// participant, once.
fn involved(row: &ActivityRow) -> Vec<&str> {
    let mut seen: Vec<&str> = vec![row.reporting_org.as_str()];
    for (org, _) in &row.participants {
        if !seen.contains(&org.as_str()) {
            seen.push(org);
        }
    }
    seen
}

impl Registry {
    /// Reads every activity and organisation of `store`, and the report engine's snapshot in
    /// the same pass, so that each row knows its activity's number in the snapshot.
    pub fn load(store: &Store, options: &LoadOptions) -> Result<(Registry, Snapshot), ReportError> {
        let organisations: Vec<Organisation> = store.organisations()?;
        let orgs = Orgs::new(&organisations, options.home_country);
        let mut activities = Vec::new();
        let (mut parties, mut places) = (Vec::new(), Vec::new());
        let snapshot = Snapshot::load_visiting(store, options, &mut |position, f| {
            activities.push(orgs.row(f, position, &mut parties, &mut places));
        })?;
        Ok((Registry::assemble(activities, &organisations, orgs), snapshot))
    }

    /// The registry over its activity rows: rows by identifier, organisations with the
    /// number of activities each takes part in, the years.
    fn assemble(mut activities: Vec<ActivityRow>, organisations: &[Organisation], orgs: Orgs) -> Registry {
        // Rows by identifier, as lists have always been ordered before sorting.
        activities.sort_by(|a, b| a.key.cmp(&b.key));
        let by_key = activities.iter().enumerate().map(|(i, r)| (r.key.clone(), i)).collect();
        let mut involved_in: HashMap<&str, usize> = HashMap::new();
        for row in &activities {
            for org in involved(row) {
                let n = involved_in.entry(org).or_default();
                *n = n.saturating_add(1);
            }
        }
        let org_rows: Vec<OrgRow> = organisations
            .iter()
            .map(|o| org_row(o, &orgs, involved_in.get(o.key().as_str()).copied().unwrap_or(0)))
            .collect();
        let org_by_key = org_rows.iter().enumerate().map(|(i, o)| (o.key.clone(), i)).collect();
        let mut year_count = std::collections::BTreeMap::new();
        for row in &activities {
            count_years(&mut year_count, row, 1);
        }
        Registry { year_count, activities, by_key, orgs: org_rows, org_by_key, org_facts: orgs }
    }

    /// Takes in organisations created since the load (see [`Snapshot::add_organisations`]).
    pub fn add_organisations(&mut self, organisations: &[Organisation]) {
        let home = self.org_facts.home.unwrap_or_else(|| LoadOptions::default().home_country);
        let added = Orgs::new(organisations, home);
        self.orgs.extend(organisations.iter().map(|o| org_row(o, &added, 0)));
        self.org_facts.by_key.extend(added.by_key);
        // Organisations are few: kept by key.
        self.orgs.sort_by(|a, b| a.key.cmp(&b.key));
        self.org_by_key = self.orgs.iter().enumerate().map(|(i, o)| (o.key.clone(), i)).collect();
    }

    /// Takes in the activities the snapshot has just re-read ([`Snapshot::apply`]), each at
    /// its new number: a row replaces the one of the same identifier, or is added. The
    /// organisations are as they were (a change to one rebuilds the whole model).
    pub fn apply(&mut self, changed: &[(usize, ReportFacts)]) {
        let (mut parties, mut places) = (Vec::new(), Vec::new());
        for (position, f) in changed {
            let row = self.org_facts.row(f, *position, &mut parties, &mut places);
            count_years(&mut self.year_count, &row, 1);
            for org in involved(&row) {
                if let Some(&o) = self.org_by_key.get(org) {
                    self.orgs[o].activities = self.orgs[o].activities.saturating_add(1);
                }
            }
            match self.by_key.get(&f.key) {
                Some(&i) => {
                    let old = std::mem::replace(&mut self.activities[i], row);
                    count_years(&mut self.year_count, &old, -1);
                    for org in involved(&old) {
                        if let Some(&o) = self.org_by_key.get(org) {
                            self.orgs[o].activities = self.orgs[o].activities.saturating_sub(1);
                        }
                    }
                }
                None => {
                    // Added at the end: lists sort what they show (`find`), with the
                    // identifier breaking ties, so the order of the rows does not matter.
                    self.by_key.insert(f.key.clone(), self.activities.len());
                    self.activities.push(row);
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.activities.len()
    }

    /// The first and last year any activity runs in.
    pub fn years(&self) -> Option<(i32, i32)> {
        Some((*self.year_count.keys().next()?, *self.year_count.keys().next_back()?))
    }

    pub fn is_empty(&self) -> bool {
        self.activities.is_empty()
    }

    pub fn activity(&self, key: &str) -> Option<&ActivityRow> {
        self.by_key.get(key).map(|&i| &self.activities[i])
    }

    pub fn activities(&self) -> &[ActivityRow] {
        &self.activities
    }

    pub fn organisation(&self, key: &str) -> Option<&OrgRow> {
        self.org_by_key.get(key).map(|&i| &self.orgs[i])
    }

    /// Organisations, by key.
    pub fn organisations(&self) -> &[OrgRow] {
        &self.orgs
    }

    /// The name of an organisation in `lang`, or its key when it is not in the registry.
    pub fn org_name<'a>(&'a self, key: &'a str, lang: Lang) -> &'a str {
        self.organisation(key).map(|o| o.name(lang)).filter(|n| !n.is_empty()).unwrap_or(key)
    }

    /// The acronym of an organisation when it has one (lists are narrow), else its name.
    pub fn org_short<'a>(&'a self, key: &'a str, lang: Lang) -> &'a str {
        match self.organisation(key) {
            Some(o) => o.acronym.as_deref().filter(|a| !a.is_empty()).unwrap_or_else(|| o.name(lang)),
            None => key,
        }
    }

    /// The activities `keep` accepts, ordered by `sort`.
    pub fn find(&self, keep: impl Fn(&ActivityRow) -> bool, sort: Sort, lang: Lang) -> Vec<&ActivityRow> {
        let mut found: Vec<&ActivityRow> = self.activities.iter().filter(|r| keep(r)).collect();
        match sort {
            Sort::Recent => found.sort_by(|a, b| match (a.start, b.start) {
                (Some(x), Some(y)) => y.cmp(&x).then_with(|| a.key.cmp(&b.key)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.key.cmp(&b.key),
            }),
            Sort::Oldest => found.sort_by(|a, b| match (a.start, b.start) {
                (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.key.cmp(&b.key)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.key.cmp(&b.key),
            }),
            Sort::Title => {
                found.sort_by_cached_key(|r| (fold(r.title(lang)), r.key.clone()));
            }
            Sort::Id => found.sort_by(|a, b| a.key.cmp(&b.key)),
        }
        found
    }
}

/// The list in the model kept beside the database (`persist.rs`): the activity rows; the
/// organisations' rows are made again from the registry's organisations.
impl Registry {
    /// The number of activity rows to encode in parts.
    pub(crate) fn rows(&self) -> usize {
        self.activities.len()
    }

    /// Encodes the activity rows in `range`, to be read back by [`Registry::decode_rows`].
    pub(crate) fn encode_rows(&self, e: &mut Encoder, range: std::ops::Range<usize>) {
        let date = |e: &mut Encoder, d: Option<Date>| e.u64(d.map_or(u64::MAX, |d| d.to_julian_day() as u32 as u64));
        let strs = |e: &mut Encoder, v: &mut dyn Iterator<Item = &str>| {
            let v: Vec<&str> = v.collect();
            e.len(v.len());
            v.iter().for_each(|s| e.str(s));
        };
        let rows = self.activities.get(range).unwrap_or_default();
        e.len(rows.len());
        for r in rows {
            for text in [&r.key, &r.title_es, &r.title_en, &r.reporting_org, &r.status, &r.search] {
                e.str(text);
            }
            e.str(r.modality.code());
            e.str(r.direction.map_or("", Direction::code));
            date(e, r.start);
            date(e, r.end);
            strs(e, &mut r.areas.iter().copied());
            strs(e, &mut r.states.iter().copied());
            strs(e, &mut r.countries.iter().map(CountryCode::as_str));
            strs(e, &mut r.partner_countries.iter().map(CountryCode::as_str));
            e.len(r.partner_places.len());
            for p in &r.partner_places {
                match p {
                    PartnerPlace::Country(c) => {
                        e.u8(0);
                        e.str(c.as_str());
                    }
                    PartnerPlace::Region(x) => {
                        e.u8(1);
                        e.str(x.as_str());
                    }
                    PartnerPlace::Multilateral => e.u8(2),
                }
            }
            e.u64(r.position.map_or(u64::MAX, |p| p as u64));
            e.len(r.participants.len());
            for (org, role) in &r.participants {
                e.str(org);
                e.str(role.code());
            }
        }
    }

    /// The list over its activity rows read back.
    pub(crate) fn from_rows(rows: Vec<ActivityRow>, organisations: &[Organisation], options: &LoadOptions) -> Registry {
        Registry::assemble(rows, organisations, Orgs::new(organisations, options.home_country))
    }

    /// Activity rows encoded by [`Registry::encode_rows`], all of `d`.
    pub(crate) fn decode_rows(d: &mut Decoder<'_>) -> Option<Vec<ActivityRow>> {
        use coopera_domain::code::RegionCode;
        use coopera_domain::codelists::{MX_STATE, THEMATIC_AREA};
        fn date(d: &mut Decoder<'_>) -> Option<Option<Date>> {
            match d.u64()? {
                u64::MAX => Some(None),
                day => Some(Some(Date::from_julian_day(i32::try_from(day as u32).ok()?).ok()?)),
            }
        }
        fn list<T>(d: &mut Decoder<'_>, parse: impl Fn(&str) -> Option<T>) -> Option<Vec<T>> {
            let n = d.len()?;
            (0..n).map(|_| parse(d.str_ref()?)).collect()
        }
        let n = d.len()?;
        let mut activities = Vec::with_capacity(n);
        for _ in 0..n {
            let (key, title_es, title_en, reporting_org, status, search) =
                (d.str()?, d.str()?, d.str()?, d.str()?, d.str()?, d.str()?);
            let modality = Modality::parse(d.str_ref()?).ok()?;
            let direction = match d.str_ref()? {
                "" => None,
                code => Some(Direction::parse(code).ok()?),
            };
            let (start, end) = (date(d)?, date(d)?);
            let areas = list(d, |c| THEMATIC_AREA.get(c).map(|x| x.code))?;
            let states = list(d, |c| MX_STATE.get(c).map(|x| x.code))?;
            let countries = list(d, |c| CountryCode::parse(c).ok())?;
            let partner_countries = list(d, |c| CountryCode::parse(c).ok())?;
            let places = d.len()?;
            let mut partner_places = Vec::with_capacity(places);
            for _ in 0..places {
                partner_places.push(match d.u8()? {
                    0 => PartnerPlace::Country(CountryCode::parse(d.str_ref()?).ok()?),
                    1 => PartnerPlace::Region(RegionCode::parse(d.str_ref()?).ok()?),
                    2 => PartnerPlace::Multilateral,
                    _ => return None,
                });
            }
            let position = match d.u64()? {
                u64::MAX => None,
                p => Some(usize::try_from(p).ok()?),
            };
            let participants_n = d.len()?;
            let mut participants = Vec::with_capacity(participants_n);
            for _ in 0..participants_n {
                let org = d.str()?;
                participants.push((org, Role::parse(d.str_ref()?).ok()?));
            }
            activities.push(ActivityRow {
                key,
                title_es,
                title_en,
                reporting_org,
                modality,
                direction,
                status,
                start,
                end,
                areas,
                states,
                countries,
                partner_countries,
                partner_places,
                position,
                participants,
                search,
            });
        }
        if d.u8().is_some() {
            return None;
        }
        Some(activities)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("Capacitación en Gestión — Niñez, ¡ya!"), "capacitacion en gestion ninez ya");
        assert_eq!(words("  CAPACITACIÓN   riesgo "), vec!["capacitacion".to_owned(), "riesgo".to_owned()]);
    }
}
