//! The filters of the dashboard, the lists and the API, as they live in the URL
//! (`?year=2012&direction=given&partner_region=centroamerica&sector_group=410`), checked into
//! a typed [`Selection`] that turns into report filters — one per dimension of the report
//! engine a user filters by, named as the command line's `--filter` names them, in snake
//! case — and into the list's predicate, which asks the engine which activities those filters
//! keep: a chart and the list under it always count the same activities.

use coopera_domain::code::{CountryCode, MxStateCode, ThematicAreaCode};
use coopera_domain::codelists::{ACTIVITY_STATUS, UNSDG_GOALS};
use coopera_domain::kinds::{Border, CooperationType, CrossBorderDimension, Direction, Instrument, Level, Modality};
use coopera_report::{Currency, Dimension, Filters, Measure, PerActivity, Query, YearRange};
use serde::Deserialize;

use crate::error::WebError;
use crate::registry::{ActivityRow, Registry, Sort};

/// The query string, as sent. Empty values (an "all" option of a form) do not filter.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Params {
    pub year: Option<String>,
    pub direction: Option<String>,
    pub modality: Option<String>,
    pub sector_group: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub partner_country: Option<String>,
    pub partner_region: Option<String>,
    pub scheme: Option<String>,
    pub border: Option<String>,
    pub agenda: Option<String>,
    pub partner: Option<String>,
    pub level: Option<String>,
    pub sdg: Option<String>,
    pub instrument: Option<String>,
    pub cooperation_type: Option<String>,
    pub status: Option<String>,
    pub org: Option<String>,
    pub q: Option<String>,
    /// `mine`: a signed-in account's view of every record in its scope, unpublished ones
    /// too; otherwise published records only.
    pub view: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
    pub measure: Option<String>,
    pub currency: Option<String>,
    /// The dashboard's single select for both: `count`, `total:USD`, `committed:MXN`…
    pub show: Option<String>,
    pub top: Option<String>,
}

/// The parameters [`Selection::parse`] reads: every API endpoint that takes a selection
/// accepts them, and only those (see `address::Only`).
pub(crate) const SELECTION_PARAMETERS: &[&str] = &[
    "year",
    "direction",
    "modality",
    "sector_group",
    "state",
    "country",
    "partner_country",
    "partner_region",
    "scheme",
    "border",
    "agenda",
    "partner",
    "level",
    "sdg",
    "instrument",
    "cooperation_type",
    "status",
    "view",
];

/// The parameters [`MeasureChoice::parse`] reads in the API (`show` is the dashboard's form).
pub(crate) const MEASURE_PARAMETERS: &[&str] = &["measure", "currency"];

/// A value that was set. Codes and numbers are read as sent (`2012 ` is not a year); only
/// the free-text fields, `q` and `org`, are trimmed.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

fn given_text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A Mexican state as a query names it: its INEGI code (`07`) or its ISO 3166-2 code
/// (`MX-CHP`), exactly — `7` or `mx-chp` is answered with the code to write.
pub(crate) fn state_as_sent(name: &str, value: &str) -> Result<MxStateCode, WebError> {
    let state = MxStateCode::parse_any(value).map_err(|e| {
        let (es, en) = problem_reason(&e);
        WebError::invalid(name, value, es, en)
    })?;
    let iso = coopera_domain::codelists::mx_state_iso(state.as_str()).unwrap_or_default();
    exactly(name, value, &[state.as_str(), iso])?;
    Ok(state)
}

/// The domain's parsers forgive case, padding and `7` for `07`; the URL's contract (and the
/// API's document) lists the codes exactly, so another spelling is answered with the one to
/// write rather than read as a guess.
fn exactly(name: &str, value: &str, canonical: &[&str]) -> Result<(), WebError> {
    if canonical.contains(&value) {
        return Ok(());
    }
    let quoted: Vec<String> = canonical.iter().map(|c| format!("`{c}`")).collect();
    Err(WebError::invalid(
        name,
        value,
        format!("escriba {}", quoted.join(" o ")),
        format!("write {}", quoted.join(" or ")),
    ))
}

/// One of `keys`, written exactly: another spelling of one is answered with the one to write,
/// anything else with the list.
pub(crate) fn one_of(name: &str, value: &str, keys: &[&'static str]) -> Result<&'static str, WebError> {
    if let Some(k) = keys.iter().find(|k| **k == value) {
        return Ok(k);
    }
    let folded = crate::registry::fold(value).replace(' ', "-");
    if let Some(k) = keys.iter().find(|k| crate::registry::fold(k).replace(' ', "-") == folded) {
        return Err(WebError::invalid(name, value, format!("escriba `{k}`"), format!("write `{k}`")));
    }
    let all: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    Err(WebError::invalid(
        name,
        value,
        format!("use uno de: {}", all.join(", ")),
        format!("use one of: {}", all.join(", ")),
    ))
}

/// A value of one of Coopera's classifications, by its code written exactly.
fn kind<T: Copy>(
    name: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Result<T, coopera_domain::Problem>,
    code: impl Fn(T) -> &'static str,
) -> Result<Option<T>, WebError> {
    let Some(v) = value else { return Ok(None) };
    let k = parse(v).map_err(|e| {
        let (es, en) = problem_reason(&e);
        WebError::invalid(name, v, es, en)
    })?;
    exactly(name, v, &[code(k)])?;
    Ok(Some(k))
}

/// Which activities: every field that is set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Selection {
    pub year: Option<i32>,
    pub direction: Option<Direction>,
    pub modality: Option<Modality>,
    pub sector_group: Option<ThematicAreaCode>,
    pub state: Option<MxStateCode>,
    /// An IATI recipient country of the activity.
    pub country: Option<CountryCode>,
    /// A partner country (the report engine's partner geography: where cooperation went or
    /// came from; the dashboard's world map).
    pub partner_country: Option<CountryCode>,
    /// A partner region (`coopera_report::geo::GROUPINGS`: `centroamerica`, …,
    /// `multilateral`), by the same partner geography.
    pub partner_region: Option<&'static str>,
    /// A scheme: `south-south`, `north-south`, `decentralised`, `cross-border`.
    pub scheme: Option<&'static str>,
    /// The border of a cross-border activity (`north`, `south`): the cross-border agenda's
    /// activities at that border.
    pub border: Option<Border>,
    /// A dimension of the cross-border agenda a cross-border activity is tagged to.
    pub agenda: Option<CrossBorderDimension>,
    /// A partner organisation (a participant not of the home country), by its key.
    pub partner: Option<String>,
    /// The government level of one of the home country's actors.
    pub level: Option<Level>,
    /// A Sustainable Development Goal, `1` to `17`.
    pub sdg: Option<&'static str>,
    pub instrument: Option<Instrument>,
    pub cooperation_type: Option<CooperationType>,
    /// An IATI activity status code.
    pub status: Option<&'static str>,
    /// An organisation that reports or takes part (lists only).
    pub org: Option<String>,
    /// Words to search (lists only).
    pub q: Option<String>,
    /// Which records the viewer sees: published ones, or also the unpublished ones of its
    /// scope (`view=mine`). Decided by who asks, never by the address alone.
    pub visible: coopera_report::Visibility,
    /// Whether the address asked for `view=mine` (kept in links and forms).
    pub mine: bool,
    /// Whether an account is asking (it may switch to `view=mine`).
    pub signed_in: bool,
}

/// What the figures add up, and in which currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MeasureChoice {
    pub measure: Measure,
    pub currency: Currency,
}

impl Default for MeasureChoice {
    fn default() -> MeasureChoice {
        MeasureChoice { measure: Measure::Count, currency: Currency::Usd }
    }
}

fn problem_reason(p: &coopera_domain::Problem) -> (String, String) {
    (p.rule_message(coopera_domain::Lang::Es), p.rule_message(coopera_domain::Lang::En))
}

/// An ISO 3166-1 alpha-2 country code, upper case as the codelist writes it (a lower-case
/// code is answered with the upper-case one to write).
fn country(name: &str, value: Option<&str>) -> Result<Option<CountryCode>, WebError> {
    let Some(c) = value else { return Ok(None) };
    let code = CountryCode::parse(&c.to_ascii_uppercase()).map_err(|e| {
        let (es, en) = problem_reason(&e);
        WebError::invalid(name, c, es, en)
    })?;
    exactly(name, c, &[code.as_str()])?;
    Ok(Some(code))
}

impl Selection {
    /// The selection of an address, as `viewer` may see it: the public sees published
    /// records; an account asking for `view=mine` also sees the unpublished records of its
    /// scope (analysts and administrators: every record).
    pub fn parse(p: &Params, viewer: &crate::auth::Viewer) -> Result<Selection, WebError> {
        let mut s = Selection::default();
        s.mine = match given(&p.view) {
            None => false,
            Some("mine") => true,
            Some(other) => return Err(WebError::invalid("view", other, "escriba `mine`", "write `mine`")),
        };
        s.visible = viewer.visibility(s.mine);
        s.signed_in = viewer.actor.is_signed_in();
        if let Some(y) = given(&p.year) {
            let year = y.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y)).ok_or_else(|| {
                WebError::invalid("year", y, "se espera un año, p. ej. 2012", "expected a year, e.g. 2012")
            })?;
            s.year = Some(year);
        }
        if let Some(d) = given(&p.direction) {
            let direction = Direction::parse(d).map_err(|e| {
                let (es, en) = problem_reason(&e);
                WebError::invalid("direction", d, es, en)
            })?;
            exactly("direction", d, &[direction.code()])?;
            s.direction = Some(direction);
        }
        if let Some(m) = given(&p.modality) {
            let modality = Modality::parse(m).map_err(|e| {
                let (es, en) = problem_reason(&e);
                WebError::invalid("modality", m, es, en)
            })?;
            exactly("modality", m, &[modality.code()])?;
            s.modality = Some(modality);
        }
        if let Some(g) = given(&p.sector_group) {
            let group = ThematicAreaCode::parse(g).map_err(|e| {
                let (es, en) = problem_reason(&e);
                WebError::invalid("sector_group", g, es, en)
            })?;
            exactly("sector_group", g, &[group.as_str()])?;
            s.sector_group = Some(group);
        }
        if let Some(st) = given(&p.state) {
            s.state = Some(state_as_sent("state", st)?);
        }
        s.country = country("country", given(&p.country))?;
        s.partner_country = country("partner_country", given(&p.partner_country))?;
        if let Some(r) = given(&p.partner_region) {
            let keys: Vec<&'static str> = coopera_report::geo::GROUPINGS.iter().map(|g| g.key).collect();
            s.partner_region = Some(one_of("partner_region", r, &keys)?);
        }
        if let Some(v) = given(&p.scheme) {
            let keys: Vec<&'static str> = coopera_report::SCHEMES.iter().map(|x| x.0).collect();
            s.scheme = Some(one_of("scheme", v, &keys)?);
        }
        s.border = kind("border", given(&p.border), Border::parse, Border::code)?;
        s.agenda = kind("agenda", given(&p.agenda), CrossBorderDimension::parse, CrossBorderDimension::code)?;
        s.partner = given(&p.partner).map(str::to_owned);
        s.level = kind("level", given(&p.level), Level::parse, Level::code)?;
        if let Some(v) = given(&p.sdg) {
            let keys: Vec<&'static str> = UNSDG_GOALS.codes.iter().map(|c| c.code).collect();
            s.sdg = Some(one_of("sdg", v, &keys)?);
        }
        s.instrument = kind("instrument", given(&p.instrument), Instrument::parse, Instrument::code)?;
        s.cooperation_type =
            kind("cooperation_type", given(&p.cooperation_type), CooperationType::parse, CooperationType::code)?;
        if let Some(v) = given(&p.status) {
            let keys: Vec<&'static str> = ACTIVITY_STATUS.codes.iter().map(|c| c.code).collect();
            s.status = Some(one_of("status", v, &keys)?);
        }
        s.org = given_text(&p.org).map(str::to_owned);
        s.q = given_text(&p.q).map(str::to_owned);
        Ok(s)
    }

    /// The report engine's filters for the same selection (`org` and `q` are list-only).
    pub fn filters(&self) -> Filters {
        let mut values: Vec<(Dimension, Vec<String>)> = Vec::new();
        if let Some(d) = self.direction {
            values.push((Dimension::Direction, vec![d.code().to_owned()]));
        }
        if let Some(m) = self.modality {
            values.push((Dimension::Modality, vec![m.code().to_owned()]));
        }
        if let Some(g) = self.sector_group {
            values.push((Dimension::ThematicArea, vec![g.as_str().to_owned()]));
        }
        if let Some(s) = self.state {
            values.push((Dimension::MxState, vec![s.as_str().to_owned()]));
        }
        if let Some(c) = self.country {
            values.push((Dimension::RecipientCountry, vec![c.as_str().to_owned()]));
        }
        if let Some(c) = self.partner_country {
            values.push((Dimension::PartnerCountry, vec![c.as_str().to_owned()]));
        }
        let mut one = |d: Dimension, v: Option<&str>| {
            if let Some(v) = v {
                values.push((d, vec![v.to_owned()]));
            }
        };
        one(Dimension::PartnerRegion, self.partner_region);
        one(Dimension::Scheme, self.scheme);
        one(Dimension::Border, self.border.map(Border::code));
        one(Dimension::Agenda, self.agenda.map(CrossBorderDimension::code));
        one(Dimension::Partner, self.partner.as_deref());
        one(Dimension::ActorLevel, self.level.map(Level::code));
        one(Dimension::SdgGoal, self.sdg);
        one(Dimension::Instrument, self.instrument.map(Instrument::code));
        one(Dimension::CooperationType, self.cooperation_type.map(CooperationType::code));
        one(Dimension::Status, self.status);
        Filters { years: self.year.map(|y| YearRange { from: y, to: y }), values, visible: self.visible.clone() }
    }

    /// What only the registry can tell: a partner organisation is one it holds. One it does
    /// not is answered as a missing resource (404), like its own address would be.
    pub fn check(&self, registry: &Registry) -> Result<(), WebError> {
        match &self.partner {
            Some(p) if registry.organisation(p).is_none() => Err(WebError::not_found("organisation", p)),
            _ => Ok(()),
        }
    }

    /// The selection every door shares ([`coopera_report::Selection`]): the report
    /// engine's filters, the organisation and the words to find.
    pub fn shared(&self) -> coopera_report::Selection {
        let shared = coopera_report::Selection {
            filters: self.filters(),
            org: self.org.clone(),
            ..coopera_report::Selection::default()
        };
        match &self.q {
            Some(q) => shared.search(q),
            None => shared,
        }
    }

    /// The query of a list of this selection: which activities, and the value of each.
    pub fn list_query(&self, value: MeasureChoice) -> Query {
        self.shared().list_query(value.measure, value.currency)
    }

    /// The list's predicate: the activities the report engine counts for
    /// [`Selection::filters`] (`members`, of [`Selection::list_query`]), narrowed by the
    /// list-only `org` and `q` — [`coopera_report::Selection::keep`].
    pub fn keep<'a>(&self, members: &'a PerActivity) -> impl Fn(&ActivityRow) -> bool + 'a {
        let shared = self.shared();
        move |r: &ActivityRow| shared.keep(members)(r)
    }

    /// The selection as query-string pairs, in a fixed order (links, downloads, pages).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(y) = self.year {
            out.push(("year", y.to_string()));
        }
        if let Some(d) = self.direction {
            out.push(("direction", d.code().to_owned()));
        }
        if let Some(m) = self.modality {
            out.push(("modality", m.code().to_owned()));
        }
        if let Some(g) = self.sector_group {
            out.push(("sector_group", g.as_str().to_owned()));
        }
        if let Some(s) = self.state {
            out.push(("state", s.as_str().to_owned()));
        }
        if let Some(c) = self.country {
            out.push(("country", c.as_str().to_owned()));
        }
        if let Some(c) = self.partner_country {
            out.push(("partner_country", c.as_str().to_owned()));
        }
        let mut one = |name: &'static str, v: Option<&str>| {
            if let Some(v) = v {
                out.push((name, v.to_owned()));
            }
        };
        one("partner_region", self.partner_region);
        one("scheme", self.scheme);
        one("border", self.border.map(Border::code));
        one("agenda", self.agenda.map(CrossBorderDimension::code));
        one("partner", self.partner.as_deref());
        one("level", self.level.map(Level::code));
        one("sdg", self.sdg);
        one("instrument", self.instrument.map(Instrument::code));
        one("cooperation_type", self.cooperation_type.map(CooperationType::code));
        one("status", self.status);
        if let Some(o) = &self.org {
            out.push(("org", o.clone()));
        }
        if let Some(q) = &self.q {
            out.push(("q", q.clone()));
        }
        if self.mine {
            out.push(("view", "mine".to_owned()));
        }
        out
    }

    /// Whether no filter is set (who is looking is not a filter).
    pub fn is_empty(&self) -> bool {
        let filters = Selection { visible: Default::default(), mine: false, signed_in: false, ..self.clone() };
        filters == Selection::default()
    }

    /// What the figures count, as the API says it: `published`, `scope` or `all`.
    pub fn records(&self) -> &'static str {
        use coopera_report::Visibility;
        match self.visible {
            Visibility::Published => "published",
            Visibility::PublishedOrInScope(_) => "scope",
            Visibility::All => "all",
        }
    }

    /// What the figures count, said under them.
    pub fn records_note(&self, lang: coopera_domain::Lang) -> &'static str {
        use coopera_report::Visibility;
        match self.visible {
            Visibility::Published => lang.pick(
                "Cifras de registros publicados (validados por la agencia).",
                "Figures of published records (validated by the agency).",
            ),
            Visibility::All => lang.pick(
                "Todos los registros: publicados y sin publicar (borradores, enviados y validados).",
                "Every record: published and unpublished (drafts, submitted and validated).",
            ),
            Visibility::PublishedOrInScope(_) => lang.pick(
                "Registros publicados y los de su alcance aún sin publicar.",
                "Published records, and those of your scope not yet published.",
            ),
        }
    }
}

impl MeasureChoice {
    pub fn parse(p: &Params) -> Result<MeasureChoice, WebError> {
        if let Some(show) = given(&p.show) {
            let (measure, currency) = show.split_once(':').unwrap_or((show, "USD"));
            let both =
                Params { measure: Some(measure.to_owned()), currency: Some(currency.to_owned()), ..Params::default() };
            return MeasureChoice::parse(&both);
        }
        let mut choice = MeasureChoice::default();
        if let Some(m) = given(&p.measure) {
            choice.measure = Measure::ALL.iter().copied().find(|x| x.code() == m).ok_or_else(|| {
                let all: Vec<&str> = Measure::ALL.iter().map(|x| x.code()).collect();
                WebError::invalid(
                    "measure",
                    m,
                    format!("use una de: {}", all.join(", ")),
                    format!("use one of: {}", all.join(", ")),
                )
            })?;
        }
        if let Some(c) = given(&p.currency) {
            choice.currency = match c {
                "USD" => Currency::Usd,
                "MXN" => Currency::Mxn,
                _ => {
                    return Err(WebError::invalid(
                        "currency",
                        c,
                        "los informes convierten a USD o MXN",
                        "reports convert to USD or MXN",
                    ));
                }
            };
        }
        Ok(choice)
    }

    /// The value a list shows beside each activity: a measure of money (`show`, or
    /// `measure` and `currency`), by default the total value in US dollars.
    pub fn parse_value(p: &Params) -> Result<MeasureChoice, WebError> {
        if given(&p.show).is_none() && given(&p.measure).is_none() {
            let currency = MeasureChoice::parse(p)?.currency;
            return Ok(MeasureChoice { measure: Measure::Total, currency });
        }
        let choice = MeasureChoice::parse(p)?;
        if !choice.measure.is_money() {
            let (name, value) = match given(&p.show) {
                Some(show) => ("show", show),
                None => ("measure", choice.measure.code()),
            };
            let money: Vec<&str> = Measure::ALL.iter().filter(|m| m.is_money()).map(|m| m.code()).collect();
            return Err(WebError::invalid(
                name,
                value,
                format!("la lista muestra importes: use uno de {}", money.join(", ")),
                format!("the list shows amounts: use one of {}", money.join(", ")),
            ));
        }
        Ok(choice)
    }

    /// `show=committed:MXN`, the form of a page's address.
    pub fn show_pair(&self) -> (&'static str, String) {
        ("show", format!("{}:{}", self.measure.code(), self.currency.code()))
    }

    /// The value of a list as a page's address carries it: nothing for the default.
    pub fn list_pairs(&self) -> Vec<(&'static str, String)> {
        if *self == (MeasureChoice { measure: Measure::Total, currency: Currency::Usd }) {
            Vec::new()
        } else {
            vec![self.show_pair()]
        }
    }

    /// The value of a list as the API reads it.
    pub fn api_pairs(&self) -> Vec<(&'static str, String)> {
        vec![("measure", self.measure.code().to_owned()), ("currency", self.currency.code().to_owned())]
    }

    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.measure != Measure::Count {
            out.push(("measure", self.measure.code().to_owned()));
            if self.currency != Currency::Usd {
                out.push(("currency", self.currency.code().to_owned()));
            }
        }
        out
    }
}

/// Page number and size of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paging {
    pub page: usize,
    pub per_page: usize,
}

impl Paging {
    pub const MAX_PER_PAGE: usize = 200;
    /// The last page asked for that is read as a number (the document's `maximum`); any page
    /// past the end is simply empty.
    pub const MAX_PAGE: usize = 1_000_000_000;

    pub fn parse(p: &Params, default_per_page: usize) -> Result<Paging, WebError> {
        let page = match given(&p.page) {
            None => 1,
            Some(v) => v.parse::<usize>().ok().filter(|n| (1..=Paging::MAX_PAGE).contains(n)).ok_or_else(|| {
                WebError::invalid(
                    "page",
                    v,
                    "se espera un número de 1 a 1000000000",
                    "expected a number from 1 to 1000000000",
                )
            })?,
        };
        let per_page = match given(&p.per_page) {
            None => default_per_page,
            Some(v) => v.parse::<usize>().ok().filter(|n| (1..=Paging::MAX_PER_PAGE).contains(n)).ok_or_else(|| {
                WebError::invalid("per_page", v, "se espera un número de 1 a 200", "expected a number from 1 to 200")
            })?,
        };
        Ok(Paging { page, per_page })
    }

    pub fn pages(&self, total: usize) -> usize {
        total.div_ceil(self.per_page).max(1)
    }

    pub fn range(&self, total: usize) -> std::ops::Range<usize> {
        let start = self.page.saturating_sub(1).saturating_mul(self.per_page).min(total);
        start..start.saturating_add(self.per_page).min(total)
    }
}

pub(crate) fn parse_sort(p: &Params) -> Result<Sort, WebError> {
    match given(&p.sort) {
        None => Ok(Sort::default()),
        Some(s) => Sort::parse(s).ok_or_else(|| {
            let all: Vec<&str> = Sort::ALL.iter().map(|x| x.code()).collect();
            WebError::invalid(
                "sort",
                s,
                format!("use uno de: {}", all.join(", ")),
                format!("use one of: {}", all.join(", ")),
            )
        }),
    }
}

/// Percent-encodes a query-string value (RFC 3986 unreserved characters pass).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `a=1&b=2`, values encoded.
pub(crate) fn query_string(pairs: &[(&str, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

/// `path` followed by `?query` when there is one.
pub(crate) fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() { path.to_owned() } else { format!("{path}?{}", query_string(pairs)) }
}
