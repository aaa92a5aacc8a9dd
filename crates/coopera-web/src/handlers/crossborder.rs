//! The cross-border agenda: `/crossborder`, the activities and the actions of states and
//! municipalities tagged to the northern or the southern border — by border, by dimension of
//! the agenda (each with its border's part), by federal entity, by partner country, and the
//! southern corridor on its own — and `/crossborder.csv`, the same tables to download (the
//! command line's `coopera report crossborder --format csv`).
//!
//! The figures are those of [`coopera_report::agenda::agenda`], over the activities this
//! viewer may read as the activity list selects them by default (published ones for the
//! public) and every action (actions are public). Each count of activities leads to the
//! activity list filtered to the same activities (`border`, `agenda`, `state`,
//! `partner_country`, or `scheme=cross-border` for both borders); each count of actions to
//! the actions counted, listed at the foot of the page, or to the state's profile.

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{Html, Response};
use coopera_domain::Lang;
use coopera_domain::code::{CountryCode, MxStateCode};
use coopera_domain::kinds::{Border, CrossBorderDimension};
use coopera_domain::organisation::Organisation;
use coopera_domain::subnational::{OrgStates, SubnationalAction};
use coopera_report::agenda::{Agenda, AgendaAction, AgendaRow, Count, SECTIONS};
use coopera_store::{Record, Store};
use rust_decimal::Decimal;
use serde_json::Value;

use super::org_url;
use super::states::{state_url, viewers_selection};
use crate::address::{Only, Parameters};
use crate::auth::Viewer;
use crate::downloads;
use crate::error::WebError;
use crate::guard;
use crate::locale::{self, Ctx};
use crate::maps::{self, Choropleth};
use crate::selection::{Params, Selection, with_query};
use crate::state::{AppState, Views};
use crate::views::{Cell, Chrome, MapBlock, Section, TableView, html};

#[derive(Template)]
#[template(path = "crossborder.html")]
pub(crate) struct CrossBorderPage {
    pub c: Chrome,
    pub lead: String,
    pub csv: String,
    pub json: String,
    pub sections: Vec<Section>,
    pub map: Option<MapBlock>,
}

/// The agenda of the records this viewer may read, and the actions it counts.
pub(super) struct Read {
    pub agenda: Agenda,
    /// The actions counted, in the agenda's order.
    actions: Vec<SubnationalAction>,
    orgs: HashMap<String, Organisation>,
    states: OrgStates,
}

impl Read {
    /// The agenda of the activities `selection` keeps and of the actions its filters keep.
    /// The viewer's: the actions it may read.
    pub(super) fn load(store: &Store, views: &Views, viewer: &Viewer, selection: &Selection) -> Result<Read, WebError> {
        let organisations = store.organisations()?;
        let states = OrgStates::new(&organisations);
        let all = guard::readable(store, viewer, store.actions()?, |a| Record::Action(a.clone()))?;
        let inputs: Vec<AgendaAction<'_>> = all.iter().map(|action| AgendaAction { action, states: &states }).collect();
        let agenda = coopera_report::agenda::agenda(&views.snapshot, &selection.filters(), &inputs)?;
        let mut by_key: HashMap<String, SubnationalAction> =
            all.into_iter().map(|a| (a.parts().key.to_string(), a)).collect();
        let actions = agenda.actions.iter().filter_map(|k| by_key.remove(k)).collect();
        let orgs = organisations.into_iter().map(|o| (o.key().as_str().to_owned(), o)).collect();
        Ok(Read { agenda, actions, orgs, states })
    }
}

/// Where the counts of a table lead: the activity list narrowed to the same records (and to
/// the state of a profile), the actions to `actions`, or each state's row to its profile.
pub(super) struct Links {
    pub state: Option<MxStateCode>,
    pub actions: String,
}

impl Links {
    /// The activity list of a row's activities, at `border` or at both; none for a row that
    /// no filter of the list names (no dimension, a partner that is not a country).
    fn activities(&self, section: &str, key: &str, border: Option<Border>) -> Option<String> {
        let mut sel = Selection { state: self.state, border, ..Selection::default() };
        match section {
            "border" => sel.border = Some(Border::parse(key).ok()?),
            "dimension" => sel.agenda = Some(CrossBorderDimension::parse(key).ok()?),
            "state" => sel.state = Some(MxStateCode::parse(key).ok()?),
            "partner" | "corridor" => sel.partner_country = Some(country(key)?),
            _ => {}
        }
        if section == "corridor" {
            sel.border = Some(Border::South);
        }
        if sel.border.is_none() {
            sel.scheme = Some("cross-border");
        }
        Some(with_query("/activities", &sel.pairs()))
    }

    /// Where a row's actions are listed: a state's profile, or the list of actions.
    fn actions(&self, section: &str, key: &str) -> String {
        match MxStateCode::parse(key) {
            Ok(s) if section == "state" => format!("{}#actions", state_url(s)),
            _ => self.actions.clone(),
        }
    }
}

/// A country code as the codelist writes it (partner rows may also be regions or
/// multilateral organisations).
fn country(key: &str) -> Option<CountryCode> {
    CountryCode::parse(key).ok().filter(|c| c.as_str() == key)
}

/// A count as a number, a link when it is not zero.
fn count_cell(n: u32, href: Option<String>) -> Cell {
    Cell { href: href.filter(|_| n > 0), ..Cell::num(n.to_string()) }
}

/// A table of the agenda: each row's activities and actions, in all and at each border (the
/// corridor's are all southern: in all only).
pub(super) fn table(section: &str, rows: &[AgendaRow], links: &Links, lang: Lang) -> TableView {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let both = section != "corridor";
    let mut headers = vec![(l("Nombre", "Name"), false), (l("Actividades", "Activities"), true)];
    headers.push((l("Acciones", "Actions"), true));
    if both {
        headers.extend([
            (l("Norte: actividades", "North: activities"), true),
            (l("Norte: acciones", "North: actions"), true),
            (l("Sur: actividades", "South: activities"), true),
            (l("Sur: acciones", "South: actions"), true),
        ]);
    }
    let mut t = TableView::new(&headers);
    for r in rows {
        let f = &r.figures;
        let mut row = vec![Cell::text(r.label(lang))];
        let columns: &[(Count, Option<Border>)] =
            &[(f.total, None), (f.north, Some(Border::North)), (f.south, Some(Border::South))];
        for (c, border) in columns.iter().take(if both { 3 } else { 1 }) {
            row.push(count_cell(c.activities, links.activities(section, &r.key, *border)));
            row.push(count_cell(c.actions, Some(links.actions(section, &r.key))));
        }
        t.rows.push(row);
    }
    t
}

/// "12 actividades y 3 acciones".
pub(super) fn count_text(c: Count, lang: Lang) -> String {
    match lang {
        Lang::Es => format!("{} actividades y {} acciones", c.activities, c.actions),
        Lang::En => format!("{} activities and {} actions", c.activities, c.actions),
    }
}

/// What the rows of dimensions, states and partners add up to, said once.
pub(super) fn overlap_note(lang: Lang) -> &'static str {
    lang.pick(
        "Una actividad o acción con varias dimensiones, entidades o países cuenta en cada fila: las filas pueden sumar más que el total.",
        "An activity or action with several dimensions, entities or countries counts in each row: the rows may add up to more than the total.",
    )
}

/// The agenda's totals of activities and of actions, each leading to its records.
fn total_facts(s: &mut Section, agenda: &Agenda, links: &Links, lang: Lang) {
    s.fact_link(
        lang.pick("Actividades transfronterizas", "Cross-border activities"),
        agenda.total.total.activities.to_string(),
        links.activities("", "", None).unwrap_or_default(),
    );
    s.fact_link(
        lang.pick("Acciones transfronterizas", "Cross-border actions"),
        agenda.total.total.actions.to_string(),
        links.actions.clone(),
    );
}

/// The totals, each leading to its records.
fn summary(agenda: &Agenda, links: &Links, lang: Lang) -> Section {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("summary", l("En cifras", "In figures"));
    total_facts(&mut s, agenda, links, lang);
    for b in Border::ALL {
        s.fact(b.label(lang), count_text(agenda.total.at(*b), lang));
    }
    s.fact(
        l("Corredor sur (con socios centroamericanos)", "Southern corridor (with Central American partners)"),
        count_text(agenda.corridor.total, lang),
    );
    if [&agenda.dimensions, &agenda.states, &agenda.partners].iter().any(|rows| agenda.overlaps(rows)) {
        s.paragraph(overlap_note(lang));
    }
    s
}

/// The section ids of the tables, by their key in [`SECTIONS`].
fn section_id(key: &str) -> &'static str {
    match key {
        "border" => "borders",
        "dimension" => "dimensions",
        "state" => "states",
        "partner" => "partners",
        _ => "corridor",
    }
}

/// The actions counted: when, whose, where to, at which border and for which dimensions.
fn actions_section(read: &Read, lang: Lang) -> Section {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("agenda-actions", l("Acciones transfronterizas", "Cross-border actions"));
    let mut t = TableView::new(&[
        (l("Fecha", "Date"), false),
        (l("Entidad", "State"), false),
        (l("Actor", "Actor"), false),
        (l("Destino", "Destination"), false),
        (l("Frontera", "Border"), false),
        (l("Dimensiones", "Dimensions"), false),
    ]);
    for a in &read.actions {
        let p = a.parts();
        let Some(tag) = &p.cross_border else { continue };
        let state = a.state(&read.states).map_or_else(
            || Cell::text(""),
            |st| Cell::link(st.entry().name(lang), format!("{}#actions", state_url(st))),
        );
        let actor = read
            .orgs
            .get(p.actor.as_str())
            .map_or_else(|| p.actor.to_string(), |o| o.parts().name.best(lang).to_owned());
        let dimensions: Vec<&str> = tag.dimensions.iter().map(|d| d.label(lang)).collect();
        let place = [p.city.clone(), p.country.map(|c| c.entry().name(lang).to_owned())];
        t.rows.push(vec![
            Cell::text(locale::date(p.date, lang)),
            state,
            Cell::link(actor, org_url(p.actor.as_str())),
            Cell::text(place.into_iter().flatten().collect::<Vec<_>>().join(", ")),
            Cell::text(tag.border.label(lang)),
            Cell::text(dimensions.join("; ")),
        ]);
    }
    s.table(t);
    s
}

/// The states with cross-border records on the Mexico map, each leading to its profile.
fn map(agenda: &Agenda, lang: Lang) -> Option<MapBlock> {
    let values: HashMap<String, Decimal> = agenda
        .states
        .iter()
        .filter(|r| MxStateCode::parse(&r.key).is_ok())
        .map(|r| (r.key.clone(), Decimal::from(r.figures.total.records())))
        .collect();
    if values.is_empty() {
        return None;
    }
    let title = lang.pick("Entidades con agenda transfronteriza", "States with cross-border work");
    let format = |v: Decimal| match lang {
        Lang::Es => format!("{} actividades y acciones", locale::number(v, 0)),
        Lang::En => format!("{} activities and actions", locale::number(v, 0)),
    };
    let short = |v: Decimal| locale::number(v, 0);
    let href = |key: &str| MxStateCode::parse(key).map(state_url).unwrap_or_else(|_| "/states".to_owned());
    let map = Choropleth {
        id: "crossborder-map",
        title,
        values: &values,
        format: &format,
        short: &short,
        href: &href,
        no_data: lang.pick("sin registros", "no records"),
        legend: lang.pick("Actividades y acciones", "Activities and actions"),
    };
    Some(MapBlock {
        title: title.to_owned(),
        svg: maps::render(maps::mexico(), &map),
        note: lang
            .pick(
                "Actividades y acciones transfronterizas de cada entidad; cada una lleva a su perfil.",
                "Each state's cross-border activities and actions; each leads to its profile.",
            )
            .to_owned(),
    })
}

/// The sections of the page: the totals, each table, the actions counted.
fn sections(read: &Read, lang: Lang) -> Vec<Section> {
    let links = Links { state: None, actions: "#agenda-actions".to_owned() };
    let mut out = vec![summary(&read.agenda, &links, lang)];
    for ((key, rows), (_, es, en)) in read.agenda.sections().into_iter().zip(SECTIONS) {
        let mut s = Section::new(section_id(key), lang.pick(es, en));
        s.table(table(key, rows, &links, lang));
        out.push(s);
    }
    out.push(actions_section(read, lang));
    out
}

/// `GET /crossborder`
pub(crate) async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let st = state.clone();
    state
        .read(move |store, views| {
            let lang = ctx.lang;
            let read = Read::load(store, views, &ctx.viewer, &viewers_selection(&ctx))?;
            let page = CrossBorderPage {
                c: Chrome::new(&ctx, &st, lang.pick("Agenda transfronteriza", "Cross-border agenda"), "states"),
                lead: lang
                    .pick(
                        "Las actividades de cooperación y las acciones de estados y municipios en la frontera norte y en la frontera sur: por frontera, por dimensión de la agenda, por entidad federativa y por país socio, y el corredor sur con Centroamérica. Actividades y acciones se cuentan aparte; cada cifra lleva a sus registros.",
                        "The cooperation activities and the actions of states and municipalities at the northern and at the southern border: by border, by dimension of the agenda, by federal entity and by partner country, and the southern corridor with Central America. Activities and actions are counted apart; each figure leads to its records.",
                    )
                    .to_owned(),
                csv: "/crossborder.csv".to_owned(),
                json: "/api/v1/crossborder".to_owned(),
                sections: sections(&read, lang),
                map: map(&read.agenda, lang),
            };
            html(&page)
        })
        .await
}

/// The parameters of `GET /api/v1/crossborder`: the selection's.
#[derive(Debug)]
pub(crate) struct AgendaParameters;

impl Parameters for AgendaParameters {
    const NAMES: &'static [&'static [&'static str]] = &[crate::selection::SELECTION_PARAMETERS];
}

/// `GET /api/v1/crossborder`: the agenda as `coopera report crossborder --format json` prints
/// it, of the activities the selection keeps and of the actions its filters keep (a filter on
/// something actions have not — modality, sector… — leaves them out).
pub(crate) async fn api(
    _: Only<AgendaParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Params>,
) -> Result<Json<Value>, WebError> {
    let sel = Selection::parse(&params, &ctx.viewer)?;
    state
        .read(move |store, views| {
            sel.check(&views.registry)?;
            let read = Read::load(store, views, &ctx.viewer, &sel)?;
            let filters = serde_json::to_value(super::reports::report_filters(&sel))
                .map_err(|e| WebError::internal(e.to_string()))?;
            Ok(Json(crate::json::agenda(&read.agenda, filters, ctx.lang)))
        })
        .await
}

/// `GET /crossborder.csv`: every table in one CSV ([`Agenda::to_csv`]).
pub(crate) async fn download_csv(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    state
        .read(move |store, views| {
            let read = Read::load(store, views, &ctx.viewer, &viewers_selection(&ctx))?;
            let name = ctx.lang.pick("coopera-agenda-transfronteriza.csv", "coopera-crossborder-agenda.csv");
            Ok(downloads::attachment(read.agenda.to_csv(ctx.lang), downloads::CSV, name))
        })
        .await
}

/// The section of a state's profile: its activities and actions tagged to the agenda, by
/// border and by dimension, each count leading to the activity list narrowed to the state or
/// to the state's actions, and the whole agenda a link away.
pub(super) fn profile_section(
    store: &Store,
    views: &Views,
    ctx: &Ctx,
    state: MxStateCode,
) -> Result<Section, WebError> {
    let lang = ctx.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let selection = Selection { state: Some(state), ..viewers_selection(ctx) };
    let agenda = Read::load(store, views, &ctx.viewer, &selection)?.agenda;
    let links = Links { state: Some(state), actions: "#actions".to_owned() };
    let mut s = Section::new("crossborder", l("Agenda transfronteriza", "Cross-border agenda"));
    if agenda.total.total.records() == 0 {
        s.paragraph(l(
            "Ninguna actividad ni acción de la entidad está vinculada a la agenda transfronteriza.",
            "None of the state's activities or actions is tagged to the cross-border agenda.",
        ));
    } else {
        total_facts(&mut s, &agenda, &links, lang);
        for (key, rows) in agenda.sections().into_iter().take(2) {
            let rows: Vec<AgendaRow> = rows.iter().filter(|r| r.figures.total.records() > 0).cloned().collect();
            let mut t = table(key, &rows, &links, lang);
            t.caption = SECTIONS.iter().find(|x| x.0 == key).map(|(_, es, en)| lang.pick(es, en).to_owned());
            s.table(t);
        }
    }
    s.fact_link(
        l("Toda la agenda", "The whole agenda"),
        l("Agenda transfronteriza", "Cross-border agenda"),
        "/crossborder",
    );
    Ok(s)
}
