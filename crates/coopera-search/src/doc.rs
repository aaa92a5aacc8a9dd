//! What the index holds of a record: a [`SearchDoc`], made from a capacity, a demand or an
//! activity, with the names of the organisations it names supplied by the caller ([`Names`]).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use coopera_domain::Lang;
use coopera_domain::activity::{SectorRef, SectorShare};
use coopera_domain::catalog::{Capacity, Demand};
use coopera_domain::codelists;
use coopera_domain::kinds::CapacityForm;
use coopera_domain::organisation::Organisation;
use coopera_domain::text::Text;

use coopera_store::ReportFacts;

use crate::SearchError;

/// The kinds of record the index holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKind {
    Capacity,
    Demand,
    Activity,
}

impl DocKind {
    pub const ALL: [DocKind; 3] = [DocKind::Capacity, DocKind::Demand, DocKind::Activity];

    /// The code used in URLs, JSON and the index.
    pub fn code(self) -> &'static str {
        match self {
            DocKind::Capacity => "capacity",
            DocKind::Demand => "demand",
            DocKind::Activity => "activity",
        }
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for DocKind {
    type Err = SearchError;

    fn from_str(s: &str) -> Result<DocKind, SearchError> {
        DocKind::ALL
            .into_iter()
            .find(|k| k.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| SearchError::UnknownKind(s.to_owned()))
    }
}

/// The names of organisations, which records name by key. The caller supplies them (from the
/// store, or from [`OrgNames`]).
pub trait Names {
    /// The Spanish and English names of an organisation.
    fn org_name(&self, key: &str) -> Option<(String, String)>;

    /// The acronym of an organisation (CONAFOR), searched as a word of its records.
    fn org_acronym(&self, _key: &str) -> Option<String> {
        None
    }

    /// The INEGI state of a Mexican organisation, the state facet of its capacities.
    fn org_state(&self, _key: &str) -> Option<String> {
        None
    }
}

/// Names read from organisation records.
#[derive(Debug, Clone, Default)]
pub struct OrgNames {
    by_key: HashMap<String, OrgName>,
}

#[derive(Debug, Clone)]
struct OrgName {
    es: String,
    en: String,
    acronym: Option<String>,
    state: Option<String>,
}

impl OrgNames {
    pub fn new(organisations: &[Organisation]) -> OrgNames {
        let by_key = organisations
            .iter()
            .map(|o| {
                let p = o.parts();
                let name = OrgName {
                    es: p.name.best(Lang::Es).to_owned(),
                    en: p.name.best(Lang::En).to_owned(),
                    acronym: p.acronym.clone(),
                    state: p.mx_state.map(|s| s.as_str().to_owned()),
                };
                (p.key.as_str().to_owned(), name)
            })
            .collect();
        OrgNames { by_key }
    }
}

impl Names for OrgNames {
    fn org_name(&self, key: &str) -> Option<(String, String)> {
        self.by_key.get(key).map(|n| (n.es.clone(), n.en.clone()))
    }

    fn org_acronym(&self, key: &str) -> Option<String> {
        self.by_key.get(key).and_then(|n| n.acronym.clone())
    }

    fn org_state(&self, key: &str) -> Option<String> {
        self.by_key.get(key).and_then(|n| n.state.clone())
    }
}

/// One record as the index holds it. Codes are stored as codes (DAC sector and thematic area,
/// form, organisation key, INEGI state, ISO 639-1 language, ISO 3166-1 country); the bodies
/// are what a search finds a record by besides its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    pub kind: DocKind,
    pub key: String,
    pub title_es: String,
    pub title_en: String,
    /// Description, sector names, form labels, organisation names and places, in Spanish.
    pub body_es: String,
    pub body_en: String,
    /// The record's own statement of what it is, besides its title: its description (also in
    /// the body). Matching weighs how much of a capacity's title or summary a demand holds.
    pub summary_es: String,
    pub summary_en: String,
    /// DAC sector groups (`410`).
    pub thematic_areas: Vec<String>,
    /// DAC codes as the record gives them: 5-digit purpose codes, or 3-digit categories.
    pub sectors: Vec<String>,
    /// Capacity form codes (`course`).
    pub forms: Vec<String>,
    /// The capacity's institution, the demand's requester, the activity's reporting organisation.
    pub institution: Option<String>,
    /// INEGI state codes.
    pub states: Vec<String>,
    /// Languages the capacity is offered in.
    pub languages: Vec<String>,
    /// The demand's country, the activity's recipient countries.
    pub countries: Vec<String>,
}

/// A body being written in both languages.
#[derive(Default)]
struct Body {
    es: Vec<String>,
    en: Vec<String>,
}

impl Body {
    fn push(&mut self, es: &str, en: &str) {
        for (side, text) in [(&mut self.es, es), (&mut self.en, en)] {
            if !text.trim().is_empty() {
                side.push(text.trim().to_owned());
            }
        }
    }

    fn text(&mut self, t: &Text) {
        let (es, en) = titles(t);
        self.push(&es, &en);
    }

    fn sectors(&mut self, sectors: &[SectorShare]) {
        for s in sectors {
            if let Some(code) = sector_entry(&s.sector) {
                self.push(code.name_es, code.name_en);
            }
        }
    }

    fn forms(&mut self, forms: &[CapacityForm]) {
        for f in forms {
            self.push(f.label(Lang::Es), f.label(Lang::En));
        }
    }

    fn org(&mut self, names: &dyn Names, key: &str) {
        if let Some((es, en)) = names.org_name(key) {
            self.push(&es, &en);
        }
        if let Some(acronym) = names.org_acronym(key) {
            self.push(&acronym, &acronym);
        }
    }

    fn country(&mut self, code: &str) {
        if let Some(c) = codelists::COUNTRY.get(code) {
            self.push(c.name_es, c.name_en);
        }
    }

    fn state(&mut self, code: &str) {
        if let Some(c) = codelists::MX_STATE.get(code) {
            self.push(c.name_es, c.name_en);
        }
    }

    fn finish(self) -> (String, String) {
        (self.es.join("\n"), self.en.join("\n"))
    }
}

/// The codelist entry of a DAC code or category, or of an SDG goal.
fn sector_entry(sector: &SectorRef) -> Option<&'static codelists::Code> {
    match sector {
        SectorRef::Dac(c) => Some(c.entry()),
        SectorRef::DacCategory(c) => Some(c.entry()),
        SectorRef::SdgGoal(c) => Some(c.entry()),
        SectorRef::SdgTarget(_) | SectorRef::Other { .. } => None,
    }
}

/// The DAC codes and thematic areas of a list of sectors, each once, in order.
fn sector_codes(sectors: &[SectorShare]) -> (Vec<String>, Vec<String>) {
    let mut codes: Vec<String> = Vec::new();
    let mut areas: Vec<String> = Vec::new();
    for s in sectors {
        if matches!(s.sector, SectorRef::Dac(_) | SectorRef::DacCategory(_)) {
            push_once(&mut codes, s.sector.code());
        }
        if let Some(area) = s.sector.thematic_area() {
            push_once(&mut areas, area.as_str());
        }
    }
    (codes, areas)
}

fn push_once(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_owned());
    }
}

/// The Spanish and English texts; a text in neither language is taken as Spanish (the
/// analyzers of other languages would not serve it better), so that it is still found.
fn titles(t: &Text) -> (String, String) {
    match (t.get("es"), t.get("en")) {
        (None, None) => (t.best(Lang::Es).to_owned(), String::new()),
        (es, en) => (es.unwrap_or("").to_owned(), en.unwrap_or("").to_owned()),
    }
}

impl SearchDoc {
    /// A capacity of the catalog: its title, description, sectors, forms and institution.
    pub fn capacity(c: &Capacity, names: &dyn Names) -> SearchDoc {
        let p = c.parts();
        let (summary_es, summary_en) = titles(&p.description);
        let mut body = Body::default();
        body.text(&p.description);
        body.sectors(&p.sectors);
        body.forms(&p.forms);
        body.org(names, p.institution.as_str());
        let (body_es, body_en) = body.finish();
        let (title_es, title_en) = titles(&p.title);
        let (sectors, thematic_areas) = sector_codes(&p.sectors);
        SearchDoc {
            kind: DocKind::Capacity,
            key: p.key.as_str().to_owned(),
            title_es,
            title_en,
            body_es,
            body_en,
            summary_es,
            summary_en,
            thematic_areas,
            sectors,
            forms: p.forms.iter().map(|f| f.code().to_owned()).collect(),
            institution: Some(p.institution.as_str().to_owned()),
            states: names.org_state(p.institution.as_str()).into_iter().collect(),
            languages: p.languages.iter().map(|l| l.as_str().to_owned()).collect(),
            countries: Vec::new(),
        }
    }

    /// A demand: what a partner asks for, with its sectors, forms, requester and place.
    pub fn demand(d: &Demand, names: &dyn Names) -> SearchDoc {
        let p = d.parts();
        let (summary_es, summary_en) = titles(&p.description);
        let mut body = Body::default();
        body.text(&p.description);
        body.sectors(&p.sectors);
        body.forms(&p.forms);
        body.org(names, p.requester.as_str());
        if let Some(country) = &p.country {
            body.country(country.as_str());
        }
        if let Some(state) = &p.mx_state {
            body.state(state.as_str());
        }
        let (body_es, body_en) = body.finish();
        let (title_es, title_en) = titles(&p.title);
        let (sectors, thematic_areas) = sector_codes(&p.sectors);
        SearchDoc {
            kind: DocKind::Demand,
            key: p.key.as_str().to_owned(),
            title_es,
            title_en,
            body_es,
            body_en,
            summary_es,
            summary_en,
            thematic_areas,
            sectors,
            forms: p.forms.iter().map(|f| f.code().to_owned()).collect(),
            institution: Some(p.requester.as_str().to_owned()),
            states: p.mx_state.iter().map(|s| s.as_str().to_owned()).collect(),
            languages: p.languages.iter().map(|l| l.as_str().to_owned()).collect(),
            countries: p.country.iter().map(|c| c.as_str().to_owned()).collect(),
        }
    }

    /// An activity, from what the registry's index tables hold of it ([`ReportFacts`], read
    /// without decoding documents): its titles, sectors, organisations, countries and states.
    /// Its description and objectives are not indexed, so that the whole registry is indexed
    /// at the speed the reports read it.
    pub fn activity_facts(f: &ReportFacts, names: &dyn Names) -> SearchDoc {
        let mut body = Body::default();
        let mut sectors = Vec::new();
        let mut thematic_areas = Vec::new();
        for (vocabulary, code, _) in &f.sectors {
            let entry = match vocabulary.as_str() {
                "1" => codelists::SECTOR.get(code),
                "2" => codelists::SECTOR_CATEGORY.get(code),
                "7" => codelists::UNSDG_GOALS.get(code),
                _ => None,
            };
            if let Some(entry) = entry {
                body.push(entry.name_es, entry.name_en);
            }
            if matches!(vocabulary.as_str(), "1" | "2") {
                push_once(&mut sectors, code);
                let area = match vocabulary.as_str() {
                    "1" => codelists::thematic_area_of_sector(code),
                    _ => codelists::thematic_area_of_category(code),
                };
                if let Some(area) = area {
                    push_once(&mut thematic_areas, area.code);
                }
            }
        }
        let mut orgs: Vec<String> = vec![f.reporting_org.clone()];
        for (org, _) in &f.participants {
            push_once(&mut orgs, org);
        }
        for org in &orgs {
            body.org(names, org);
        }
        let mut countries = Vec::new();
        for (c, _) in &f.countries {
            push_once(&mut countries, c.as_str());
            body.country(c.as_str());
        }
        let mut states = Vec::new();
        for state in &f.mx_states {
            if !states.contains(state) {
                body.state(state);
            }
            push_once(&mut states, state);
        }
        let (body_es, body_en) = body.finish();
        SearchDoc {
            kind: DocKind::Activity,
            key: f.key.clone(),
            title_es: f.title_es.clone(),
            title_en: f.title_en.clone(),
            body_es,
            body_en,
            summary_es: String::new(),
            summary_en: String::new(),
            thematic_areas,
            sectors,
            forms: Vec::new(),
            institution: Some(f.reporting_org.clone()),
            states,
            languages: Vec::new(),
            countries,
        }
    }

    /// The title in `lang`, else in the other language.
    pub fn title(&self, lang: Lang) -> &str {
        title_in(lang, &self.title_es, &self.title_en)
    }
}

/// The title in `lang`, else in the other language.
pub(crate) fn title_in<'a>(lang: Lang, es: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Es if !es.is_empty() => es,
        Lang::En if !en.is_empty() => en,
        Lang::Es => en,
        Lang::En => es,
    }
}
