//! The federal entities: `/states`, Mexico's 32 states with the counts of their international
//! action, and `/states/{code}`, the profile of one — the cooperation activities it takes part
//! in, its actions abroad (their destinations on the world map), its agreements by standing,
//! its memberships of networks, its offices abroad and its good practices, its municipalities'
//! records included.
//!
//! Actions, agreements and memberships have no workflow: like organisations, they are public.
//! The activities they link to, and the count of the state's activities, are those the viewer
//! may read, as the activity list selects them.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, State};
use axum::response::{Html, Response};
use coopera_domain::Lang;
use coopera_domain::code::{MxMunicipalityCode, MxStateCode};
use coopera_domain::codelists::MX_STATE;
use coopera_domain::ids::OrgKey;
use coopera_domain::kinds::{ActionKind, AgreementStanding, Level, MembershipStanding};
use coopera_domain::organisation::Organisation;
use coopera_domain::subnational::{Agreement, NetworkMembership, OrgStates, SubnationalAction, SubnationalActionParts};
use coopera_report::Dimension;
use coopera_store::{Record, Store};
use rust_decimal::Decimal;
use time::Date;

use super::dashboard::query;
use super::search::readable;
use super::subnational_form::{action_url, agreement_url, membership_url};
use super::{activity_url, org_url};
use crate::auth::Viewer;
use crate::downloads;
use crate::error::WebError;
use crate::guard;
use crate::locale::{self, Ctx};
use crate::maps::{self, Choropleth};
use crate::selection::{MeasureChoice, Selection, with_query};
use crate::state::{AppState, Views};
use crate::views::{Cell, Chrome, MapBlock, RecordPage, Section, StatesPage, TableView, html, with_state};

pub(crate) fn state_url(state: MxStateCode) -> String {
    format!("/states/{}", state.as_str())
}

/// `/states/07/municipalities/07101`.
pub(crate) fn municipality_url(m: MxMunicipalityCode) -> String {
    format!("/states/{}/municipalities/{}", m.state().as_str(), m.as_str())
}

/// The activity list narrowed to a state: the activities a government or body of the state,
/// or of one of its municipalities, takes part in, or that take place there.
fn activities_url(state: MxStateCode) -> String {
    with_query("/activities", &[("state", state.as_str().to_owned())])
}

pub(super) fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

/// "Situación al 04/12/2026": the day the standings of agreements and memberships are judged.
pub(super) fn on_day(text: &str, on: Date, lang: Lang) -> String {
    format!("{text} {}", locale::date(on, lang))
}

/// The subnational records and the organisations they name, read once for a page.
pub(super) struct Subnational {
    orgs: HashMap<String, Organisation>,
    states: OrgStates,
    actions: Vec<SubnationalAction>,
    agreements: Vec<Agreement>,
    memberships: Vec<NetworkMembership>,
}

/// What `/states` and its comparison count of a state.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Counts {
    pub actions: usize,
    pub agreements_in_force: usize,
    pub memberships_current: usize,
    /// The actions that are offices abroad, as the profile lists them.
    pub offices: usize,
}

impl Subnational {
    /// Every action, agreement and membership the viewer may read: the published ones, and
    /// an account's drafts of its scope.
    pub(super) fn load(store: &Store, viewer: &Viewer) -> Result<Subnational, WebError> {
        let organisations = store.organisations()?;
        let states = OrgStates::new(&organisations);
        Ok(Subnational {
            orgs: organisations.into_iter().map(|o| (o.key().as_str().to_owned(), o)).collect(),
            states,
            actions: guard::readable(store, viewer, store.actions()?, |a| Record::Action(a.clone()))?,
            agreements: guard::readable(store, viewer, store.agreements()?, |a| Record::Agreement(a.clone()))?,
            memberships: guard::readable(store, viewer, store.memberships()?, |m| Record::Membership(m.clone()))?,
        })
    }

    /// Only the records of `state` (of its government, its bodies and its municipalities'),
    /// the most recent action first.
    fn of(mut self, state: MxStateCode) -> Subnational {
        let states = &self.states;
        self.actions.retain(|a| a.state(states) == Some(state));
        self.agreements.retain(|a| a.states(states).contains(&state));
        self.memberships.retain(|m| m.state(states) == Some(state));
        self.actions.sort_by(|a, b| (b.parts().date, &b.parts().key).cmp(&(a.parts().date, &a.parts().key)));
        self.agreements.sort_by(|a, b| (b.parts().signed, &b.parts().key).cmp(&(a.parts().signed, &a.parts().key)));
        self
    }

    /// Only the records of the organisations of `municipality` (its government and its
    /// bodies), in the order of [`Subnational::of`].
    fn of_municipality(self, municipality: MxMunicipalityCode) -> Subnational {
        let mut out = self.of(municipality.state());
        let orgs = &out.orgs;
        let here = |k: &OrgKey| orgs.get(k.as_str()).and_then(|o| o.parts().mx_municipality) == Some(municipality);
        out.actions.retain(|a| here(&a.parts().actor));
        out.agreements.retain(|a| a.parts().parties.iter().any(here));
        out.memberships.retain(|m| here(&m.parts().member));
        out
    }

    /// The municipalities of `state` whose organisations have a record here, each with its
    /// organisations, by name.
    fn municipalities(&self, state: MxStateCode) -> BTreeMap<MxMunicipalityCode, Vec<&Organisation>> {
        let mut out: BTreeMap<MxMunicipalityCode, Vec<&Organisation>> = BTreeMap::new();
        let named = self
            .actions
            .iter()
            .map(|a| &a.parts().actor)
            .chain(self.agreements.iter().flat_map(|a| &a.parts().parties))
            .chain(self.memberships.iter().map(|m| &m.parts().member));
        for key in named {
            let Some(o) = self.orgs.get(key.as_str()) else { continue };
            let Some(m) = o.parts().mx_municipality.filter(|m| m.state() == state) else { continue };
            let orgs = out.entry(m).or_default();
            if !orgs.iter().any(|x| x.key() == o.key()) {
                orgs.push(o);
            }
        }
        out
    }

    /// The counts of every state that has a record.
    pub(super) fn counts(&self, on: Date) -> BTreeMap<MxStateCode, Counts> {
        let mut out: BTreeMap<MxStateCode, Counts> = BTreeMap::new();
        for a in &self.actions {
            let Some(s) = a.state(&self.states) else { continue };
            let c = out.entry(s).or_default();
            c.actions = c.actions.saturating_add(1);
            c.offices = c.offices.saturating_add(usize::from(a.parts().kind == ActionKind::OfficeAbroad));
        }
        for a in self.agreements.iter().filter(|a| a.standing(on) == AgreementStanding::InForce) {
            for s in a.states(&self.states) {
                let c = out.entry(s).or_default();
                c.agreements_in_force = c.agreements_in_force.saturating_add(1);
            }
        }
        for m in &self.memberships {
            if let Some(s) = m.state(&self.states).filter(|_| m.standing(on) == MembershipStanding::Current) {
                let c = out.entry(s).or_default();
                c.memberships_current = c.memberships_current.saturating_add(1);
            }
        }
        out
    }

    fn name(&self, key: &OrgKey, lang: Lang) -> String {
        self.orgs.get(key.as_str()).map_or_else(|| key.to_string(), |o| o.parts().name.best(lang).to_owned())
    }

    /// "Name (ACRONYM)", as networks are known.
    fn name_and_acronym(&self, key: &OrgKey, lang: Lang) -> String {
        match self.orgs.get(key.as_str()).and_then(|o| o.parts().acronym.as_deref()) {
            Some(acronym) => format!("{} ({acronym})", self.name(key, lang)),
            None => self.name(key, lang),
        }
    }

    /// An organisation as a link to its page.
    fn org_link(&self, key: &OrgKey, lang: Lang) -> (String, String) {
        (self.name(key, lang), org_url(key.as_str()))
    }

    /// The municipality an organisation of `state` is the government or a body of, by name:
    /// the mark of a municipality's record on its state's profile (empty for the others).
    fn municipality(&self, key: &OrgKey, state: MxStateCode, lang: Lang) -> Cell {
        self.orgs
            .get(key.as_str())
            .filter(|o| o.level() == Level::Municipal && self.states.of(key) == Some(state))
            .and_then(|o| o.parts().mx_municipality)
            .map_or_else(|| Cell::text(""), |m| Cell::link(m.entry().name(lang), municipality_url(m)))
    }
}

/// The selection of the activity list as this viewer sees it by default (published records),
/// so that the counts here are those of the list they link to.
pub(super) fn viewers_selection(ctx: &Ctx) -> Selection {
    Selection {
        visible: ctx.viewer.visibility(false),
        signed_in: ctx.viewer.actor.is_signed_in(),
        ..Selection::default()
    }
}

/// The number of activities of each state (by INEGI code) this viewer may read.
pub(super) fn activity_counts(views: &Views, ctx: &Ctx) -> Result<HashMap<String, Decimal>, WebError> {
    by_state(views, ctx, MeasureChoice::default())
}

/// A measure of the activities of each state (by INEGI code) this viewer may read: the
/// engine's report by Mexican state, the dashboard's map of states.
pub(super) fn by_state(views: &Views, ctx: &Ctx, choice: MeasureChoice) -> Result<HashMap<String, Decimal>, WebError> {
    let report = views.report(&query(Dimension::MxState, &viewers_selection(ctx), choice))?;
    Ok(report.rows.iter().map(|r| (r.key.clone(), r.value)).collect())
}

/// `GET /states`
pub(crate) async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let st = state.clone();
    state
        .read(move |store, views| {
            let lang = ctx.lang;
            let l = |es: &'static str, en: &'static str| lang.pick(es, en);
            let on = today();
            let counts = Subnational::load(store, &ctx.viewer)?.counts(on);
            let activities = activity_counts(views, &ctx)?;
            let mut table = TableView::new(&[
                (l("Entidad federativa", "State"), false),
                (l("Clave INEGI", "INEGI code"), false),
                (l("Actividades de cooperación", "Cooperation activities"), true),
                (l("Acciones en el exterior", "Actions abroad"), true),
                (l("Acuerdos vigentes", "Agreements in force"), true),
                (l("Membresías de redes vigentes", "Current network memberships"), true),
            ]);
            table.caption = Some(on_day(
                l("Acuerdos y membresías según su situación al", "Agreements and memberships as they stand on"),
                on,
                lang,
            ));
            for code in MX_STATE.codes {
                let Ok(s) = MxStateCode::parse(code.code) else { continue };
                let c = counts.get(&s).copied().unwrap_or_default();
                let n = activities.get(code.code).copied().unwrap_or_default();
                table.rows.push(vec![
                    Cell::link(code.name(lang), state_url(s)),
                    Cell::text(code.code),
                    Cell { href: Some(activities_url(s)), ..Cell::num(locale::count(n)) },
                    Cell::num(c.actions.to_string()),
                    Cell::num(c.agreements_in_force.to_string()),
                    Cell::num(c.memberships_current.to_string()),
                ]);
            }
            let page = StatesPage {
                c: Chrome::new(&ctx, &st, l("Entidades federativas", "Mexican states"), "states"),
                lead: l(
                    "La acción internacional de los 32 estados y sus municipios: actividades de cooperación, acciones en el exterior, acuerdos interinstitucionales y redes. Cada entidad lleva a su perfil.",
                    "The international action of the 32 states and their municipalities: cooperation activities, actions abroad, inter-institutional agreements and networks. Each state leads to its profile.",
                )
                .to_owned(),
                table,
            };
            html(&page)
        })
        .await
}

/// `GET /states/{code}`: an INEGI code (`07`, or `7`) or an ISO 3166-2 code (`MX-CHP`); any
/// other is a missing page.
pub(crate) async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Html<String>, WebError> {
    let Ok(mx) = MxStateCode::parse_any(&code) else { return Err(WebError::not_found("state", &code)) };
    let st = state.clone();
    state
        .read(move |store, views| {
            let lang = ctx.lang;
            let l = |es: &'static str, en: &'static str| lang.pick(es, en).to_owned();
            let on = today();
            let records = Subnational::load(store, &ctx.viewer)?.of(mx);
            let activities = activity_counts(views, &ctx)?.get(mx.as_str()).copied().unwrap_or_default();
            let name = mx.entry().name(lang);
            let page = RecordPage {
                c: Chrome::new(&ctx, &st, name, "states"),
                back_url: "/states".to_owned(),
                back_label: l("← Entidades federativas", "← Mexican states"),
                heading: name.to_owned(),
                edit_url: None,
                badges: vec![format!("INEGI {}", mx.as_str()), mx.iso().to_owned()],
                links: vec![
                    (
                        format!(
                            "{} ({})",
                            l("Sus actividades de cooperación", "Its cooperation activities"),
                            locale::count(activities)
                        ),
                        activities_url(mx),
                    ),
                    (
                        l("Sus cifras en el panel", "Its figures on the dashboard"),
                        with_query("/", &[("state", mx.as_str().to_owned())]),
                    ),
                    (l("Sus buenas prácticas", "Its good practices"), super::practices::state_practices_url(mx)),
                    (
                        l(
                            "Sus acciones, acuerdos y membresías (XLSX)",
                            "Its actions, agreements and memberships (XLSX)",
                        ),
                        format!("{}/export.xlsx", state_url(mx)),
                    ),
                ]
                .into_iter()
                .chain(super::subnational_form::write_links(&ctx.viewer, mx, lang))
                .collect(),
                workflow: None,
                sections: vec![
                    summary(&records, mx, Some(activities), on, lang),
                    super::states_figures::cooperation_section(views, &ctx, mx)?,
                    municipalities_section(&records, mx, lang),
                    actions_section(&records, mx, views, &ctx),
                    super::crossborder::profile_section(store, views, &ctx, mx)?,
                    offices_section(&records, mx, lang),
                    agreements_section(&records, mx, on, lang),
                    memberships_section(&records, mx, on, lang),
                    super::practices::state_section(store, &ctx.viewer, mx, lang)?,
                ],
                map: destinations(&records, mx, lang),
            };
            html(&page)
        })
        .await
}

/// The records as the spreadsheet of their template, each sheet with its rows (what
/// `/states/import` and `coopera action add --file … --update` take back unchanged).
fn workbook(records: Subnational, name: &str, lang: Lang) -> Result<Response, WebError> {
    let all: Vec<Record> = records
        .actions
        .into_iter()
        .map(Record::Action)
        .chain(records.agreements.into_iter().map(Record::Agreement))
        .chain(records.memberships.into_iter().map(Record::Membership))
        .collect();
    let bytes = coopera_import::sheets::export(&all, lang).map_err(|e| WebError::internal(e.to_string()))?;
    Ok(downloads::attachment(bytes, downloads::XLSX, name))
}

/// `GET /states/export.xlsx`: every state's and municipality's actions, agreements and
/// memberships.
pub(crate) async fn export(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    state.read(move |store, _| workbook(Subnational::load(store, &ctx.viewer)?, "coopera-estados.xlsx", ctx.lang)).await
}

/// `GET /states/{code}/export.xlsx`: one state's.
pub(crate) async fn export_state(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let Ok(mx) = MxStateCode::parse_any(&code) else { return Err(WebError::not_found("state", &code)) };
    let name = format!("coopera-estado-{}.xlsx", mx.as_str());
    state.read(move |store, _| workbook(Subnational::load(store, &ctx.viewer)?.of(mx), &name, ctx.lang)).await
}

/// `GET /states/{code}/municipalities/{municipality}`: a municipality that acts abroad — its
/// government's and bodies' actions, agreements and networks, and their activities. The
/// municipality is an INEGI code of five digits of that state; any other is a missing page.
pub(crate) async fn municipality(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, municipality)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let found = MxStateCode::parse_any(&code)
        .ok()
        .zip(MxMunicipalityCode::parse(&municipality).ok())
        .filter(|(s, m)| m.state() == *s);
    let Some((mx, m)) = found else { return Err(WebError::not_found("municipality", &municipality)) };
    let st = state.clone();
    state
        .read(move |store, views| {
            let lang = ctx.lang;
            let l = |es: &'static str, en: &'static str| lang.pick(es, en).to_owned();
            let on = today();
            let all = Subnational::load(store, &ctx.viewer)?;
            let orgs: Vec<Organisation> =
                all.orgs.values().filter(|o| o.parts().mx_municipality == Some(m)).cloned().collect();
            let records = all.of_municipality(m);
            let name = m.entry().name(lang);
            let heading = format!("{name}, {}", mx.entry().name(lang));
            let page = RecordPage {
                c: Chrome::new(&ctx, &st, &heading, "states"),
                back_url: state_url(mx),
                back_label: format!("← {}", mx.entry().name(lang)),
                heading,
                edit_url: None,
                badges: vec![format!("INEGI {}", m.as_str()), l("Municipio", "Municipality")],
                links: Vec::new(),
                workflow: None,
                sections: vec![
                    organisations_section(&orgs, views, &ctx),
                    summary(&records, mx, None, on, lang),
                    actions_section(&records, mx, views, &ctx),
                    offices_section(&records, mx, lang),
                    agreements_section(&records, mx, on, lang),
                    memberships_section(&records, mx, on, lang),
                    super::practices::municipality_section(store, &ctx.viewer, m, lang)?,
                ],
                map: destinations(&records, mx, lang),
            };
            html(&page)
        })
        .await
}

/// A municipality's organisations, each with the activities it takes part in that the viewer
/// may read.
fn organisations_section(orgs: &[Organisation], views: &Views, ctx: &Ctx) -> Section {
    let lang = ctx.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("organisations", l("Sus organizaciones", "Its organisations"));
    let mut t = TableView::new(&[
        (l("Organización", "Organisation"), false),
        (l("Nivel", "Level"), false),
        (l("Actividades de cooperación", "Cooperation activities"), true),
    ]);
    let mut orgs: Vec<&Organisation> = orgs.iter().collect();
    orgs.sort_by_cached_key(|o| crate::registry::fold(o.parts().name.best(lang)));
    for o in orgs {
        let key = o.key().as_str();
        let n = views
            .registry
            .activities()
            .iter()
            .filter(|a| a.involves(key) && readable(views, &ctx.viewer.actor, &a.key))
            .count();
        t.rows.push(vec![
            Cell::link(o.parts().name.best(lang), org_url(key)),
            Cell::text(o.level().label(lang)),
            Cell { href: Some(with_query("/activities", &[("org", key.to_owned())])), ..Cell::num(n.to_string()) },
        ]);
    }
    s.table(t);
    s
}

/// The municipalities of the state that act abroad, each leading to its page.
fn municipalities_section(records: &Subnational, state: MxStateCode, lang: Lang) -> Section {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s =
        Section::new("municipalities", l("Municipios con acción internacional", "Municipalities acting abroad"));
    let mut t = TableView::new(&[
        (l("Municipio", "Municipality"), false),
        (l("Clave INEGI", "INEGI code"), false),
        (l("Organizaciones", "Organisations"), false),
    ]);
    for (m, orgs) in records.municipalities(state) {
        let orgs = orgs.iter().map(|o| (o.parts().name.best(lang).to_owned(), org_url(o.key().as_str()))).collect();
        t.rows.push(vec![
            Cell::link(m.entry().name(lang), municipality_url(m)),
            Cell::text(m.as_str()),
            Cell::links(orgs),
        ]);
    }
    s.table(t);
    s
}

/// The figures of the profile, each leading to its part of the page or to the list.
fn summary(records: &Subnational, state: MxStateCode, activities: Option<Decimal>, on: Date, lang: Lang) -> Section {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let counts = records.counts(on).get(&state).copied().unwrap_or_default();
    let mut s = Section::new("summary", l("En cifras", "In figures"));
    if let Some(activities) = activities {
        s.fact_link(
            l("Actividades de cooperación", "Cooperation activities"),
            locale::count(activities),
            activities_url(state),
        );
    }
    s.fact_link(l("Acciones en el exterior", "Actions abroad"), records.actions.len().to_string(), "#actions");
    s.fact_link(l("Acuerdos vigentes", "Agreements in force"), counts.agreements_in_force.to_string(), "#agreements");
    s.fact_link(
        l("Membresías de redes vigentes", "Current network memberships"),
        counts.memberships_current.to_string(),
        "#memberships",
    );
    s.fact(l("Situación al", "Standing on"), locale::date(on, lang));
    s
}

/// An action's day, or its first and last days.
fn period(date: Date, end: Option<Date>, lang: Lang) -> String {
    match end {
        Some(end) if end != date => format!("{} – {}", locale::date(date, lang), locale::date(end, lang)),
        _ => locale::date(date, lang),
    }
}

/// "Quetzaltenango, Guatemala".
fn destination(p: &SubnationalActionParts, lang: Lang) -> String {
    let country = p.country.map(|c| c.entry().name(lang).to_owned());
    [p.city.clone(), country].into_iter().flatten().collect::<Vec<_>>().join(", ")
}

/// The columns every table of actions has: who acted — with its municipality's name, for a
/// municipality's action — with whom, and for what.
fn who_and_why(lang: Lang) -> [(&'static str, bool); 4] {
    [
        (lang.pick("Actor", "Actor"), false),
        (lang.pick("Municipio", "Municipality"), false),
        (lang.pick("Contraparte", "Counterpart"), false),
        (lang.pick("Propósito", "Purpose"), false),
    ]
}

/// An action's cells of [`who_and_why`].
fn who_and_why_cells(records: &Subnational, p: &SubnationalActionParts, state: MxStateCode, lang: Lang) -> [Cell; 4] {
    let (actor, href) = records.org_link(&p.actor, lang);
    [
        Cell::link(actor, href),
        records.municipality(&p.actor, state, lang),
        Cell::text(p.counterpart.clone().unwrap_or_default()),
        Cell::text(p.purpose.best(lang)),
    ]
}

/// The actions abroad: how many of each kind, then each one.
fn actions_section(records: &Subnational, state: MxStateCode, views: &Views, ctx: &Ctx) -> Section {
    let lang = ctx.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("actions", l("Acciones en el exterior", "Actions abroad"));
    let mut kinds = TableView::new(&[(l("Tipo de acción", "Kind of action"), false), (l("Acciones", "Actions"), true)]);
    kinds.caption = Some(l("Acciones por tipo", "Actions by kind").to_owned());
    for kind in ActionKind::ALL {
        let n = records.actions.iter().filter(|a| a.parts().kind == *kind).count();
        if n > 0 {
            kinds.rows.push(vec![Cell::text(kind.label(lang)), Cell::num(n.to_string())]);
        }
    }
    s.table(kinds);
    let mut headers =
        vec![(l("Fecha", "Date"), false), (l("Tipo", "Kind"), false), (l("Destino", "Destination"), false)];
    headers.extend(who_and_why(lang));
    headers.push((l("Actividades vinculadas", "Linked activities"), false));
    let mut t = TableView::new(&headers);
    t.caption =
        Some(l("Cada acción, de la más reciente a la más antigua", "Each action, the most recent first").to_owned());
    for a in &records.actions {
        let p = a.parts();
        let linked = p
            .activities
            .iter()
            .filter(|k| readable(views, &ctx.viewer.actor, k.as_str()))
            .map(|k| (k.to_string(), activity_url(k.as_str())))
            .collect();
        let mut row = vec![
            Cell::link(with_state(&period(p.date, p.end_date, lang), p.workflow, lang), action_url(p.key.as_str())),
            Cell::text(p.kind.label(lang)),
            Cell::text(destination(p, lang)),
        ];
        row.extend(who_and_why_cells(records, p, state, lang));
        row.push(Cell::links(linked));
        t.rows.push(row);
    }
    s.table(t);
    s
}

/// The offices abroad: the actions of that kind, where and since when.
fn offices_section(records: &Subnational, state: MxStateCode, lang: Lang) -> Section {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("offices", l("Oficinas en el exterior", "Offices abroad"));
    let mut headers = vec![(l("Lugar", "Place"), false), (l("Desde", "Since"), false)];
    headers.extend(who_and_why(lang));
    let mut t = TableView::new(&headers);
    t.caption = Some(l("Oficinas de representación y de atención", "Representative and service offices").to_owned());
    for a in records.actions.iter().filter(|a| a.parts().kind == ActionKind::OfficeAbroad) {
        let p = a.parts();
        let mut row = vec![Cell::text(destination(p, lang)), Cell::text(locale::date(p.date, lang))];
        row.extend(who_and_why_cells(records, p, state, lang));
        t.rows.push(row);
    }
    s.table(t);
    s
}

/// The heading of the agreements of a standing.
fn standing_caption(standing: AgreementStanding, lang: Lang) -> &'static str {
    match standing {
        AgreementStanding::InForce => lang.pick("Acuerdos vigentes", "Agreements in force"),
        AgreementStanding::Expired => lang.pick("Acuerdos vencidos", "Expired agreements"),
        AgreementStanding::NotYetInForce => lang.pick("Acuerdos aún no vigentes", "Agreements not yet in force"),
    }
}

/// The agreements, in force, expired and not yet in force on `on`.
fn agreements_section(records: &Subnational, state: MxStateCode, on: Date, lang: Lang) -> Section {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("agreements", l("Acuerdos interinstitucionales", "Inter-institutional agreements"));
    let of = |standing| records.agreements.iter().filter(move |a| a.standing(on) == standing);
    let counts: Vec<String> = AgreementStanding::ALL
        .iter()
        .map(|st| format!("{}: {}", standing_caption(*st, lang), of(*st).count()))
        .collect();
    s.paragraph(&format!("{} — {}", on_day(l("Al", "On"), on, lang), counts.join(" · ")));
    for standing in AgreementStanding::ALL {
        let mut t = TableView::new(&[
            (l("Acuerdo", "Agreement"), false),
            (l("Partes", "Parties"), false),
            (l("Municipio", "Municipality"), false),
            (l("Firma", "Signed"), false),
            (l("Vigente hasta", "Valid until"), false),
            (l("Registro", "Registration number"), false),
        ]);
        t.caption = Some(standing_caption(*standing, lang).to_owned());
        for a in of(*standing) {
            let p = a.parts();
            let municipalities: Vec<(String, String)> = p
                .parties
                .iter()
                .map(|k| records.municipality(k, state, lang))
                .filter_map(|m| Some((m.text, m.href?)))
                .collect();
            t.rows.push(vec![
                Cell::link(with_state(p.title.best(lang), p.workflow, lang), agreement_url(p.key.as_str())),
                Cell::links(p.parties.iter().map(|k| records.org_link(k, lang)).collect()),
                Cell::links(municipalities),
                Cell::text(locale::date(p.signed, lang)),
                Cell::text(
                    p.valid_until.map_or_else(|| l("sin término", "open-ended").to_owned(), |d| locale::date(d, lang)),
                ),
                Cell::text(p.registration_number.clone().unwrap_or_default()),
            ]);
        }
        s.table(t);
    }
    s
}

/// The memberships of networks, current or past on `on`.
fn memberships_section(records: &Subnational, state: MxStateCode, on: Date, lang: Lang) -> Section {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("memberships", l("Redes", "Networks"));
    let mut t = TableView::new(&[
        (l("Red", "Network"), false),
        (l("Miembro", "Member"), false),
        (l("Municipio", "Municipality"), false),
        (l("Desde", "Since"), false),
        (l("Hasta", "Until"), false),
        (l("Papel", "Role"), false),
        (l("Situación", "Standing"), false),
    ]);
    t.caption = Some(on_day(l("Membresías según su situación al", "Memberships as they stand on"), on, lang));
    let mut memberships: Vec<&NetworkMembership> = records.memberships.iter().collect();
    memberships.sort_by_cached_key(|m| crate::registry::fold(&records.name(&m.parts().network, lang)));
    for m in memberships {
        let p = m.parts();
        let network = records.name_and_acronym(&p.network, lang);
        let (member, member_href) = records.org_link(&p.member, lang);
        t.rows.push(vec![
            Cell::link(network, org_url(p.network.as_str())),
            Cell::link(member, member_href),
            records.municipality(&p.member, state, lang),
            Cell::text(locale::opt_date(p.since, lang)),
            Cell::text(locale::opt_date(p.until, lang)),
            Cell::text(p.role.clone().unwrap_or_default()),
            Cell::link(with_state(m.standing(on).label(lang), p.workflow, lang), membership_url(p.key.as_str())),
        ]);
    }
    s.table(t);
    s
}

/// The countries the state's actions went to, on the world map the capacities' pages draw.
fn destinations(records: &Subnational, state: MxStateCode, lang: Lang) -> Option<MapBlock> {
    let mut countries: HashMap<String, Decimal> = HashMap::new();
    for c in records.actions.iter().filter_map(|a| a.parts().country) {
        let n = countries.entry(c.as_str().to_owned()).or_default();
        *n = n.saturating_add(Decimal::ONE);
    }
    if countries.is_empty() {
        return None;
    }
    let title = lang.pick("Destinos de sus acciones en el exterior", "Destinations of its actions abroad");
    let format = |v: Decimal| match (lang, v == Decimal::ONE) {
        (Lang::Es, true) => "1 acción".to_owned(),
        (Lang::En, true) => "1 action".to_owned(),
        (Lang::Es, false) => format!("{} acciones", locale::number(v, 0)),
        (Lang::En, false) => format!("{} actions", locale::number(v, 0)),
    };
    let short = |v: Decimal| locale::number(v, 0);
    let href = |key: &str| {
        with_query("/activities", &[("state", state.as_str().to_owned()), ("partner_country", key.to_owned())])
    };
    let map = Choropleth {
        id: "destinations-map",
        title,
        values: &countries,
        format: &format,
        short: &short,
        href: &href,
        no_data: lang.pick("sin acciones", "no actions"),
        legend: lang.pick("Acciones", "Actions"),
    };
    Some(MapBlock {
        title: title.to_owned(),
        svg: maps::render(maps::world(), &map),
        note: lang
            .pick(
                "Cada país lleva a las actividades de cooperación de la entidad con ese país socio.",
                "Each country leads to the state's cooperation activities with that partner country.",
            )
            .to_owned(),
    })
}
