//! Partners' demands (solicitudes) of the catalog: the list, the page of one with the steps
//! of its workflow and the forms that take the next one, and the API's reads and steps.
//!
//! Demands are for signed-in accounts only: the public is asked to sign in. Analysts and
//! administrators create, edit and move them (the access table's edit on a record outside
//! every organisation's and state's scope, and an agency-wide role); the others read them.
//! A demand moves received → answered (the capacities proposed) → agreed (the activity that
//! carries it out) → closed, or is declined with a reason; each step is one write of the
//! store (`Store::move_demand`), with who, when and why in the audit trail. A step that is
//! refused changes nothing and is shown in the form, each problem at its field.

use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use coopera_domain::Lang;
use coopera_domain::access::{Action, Reach, Refusal};
use coopera_domain::catalog::{Demand, DemandParts};
use coopera_domain::doc::DemandDoc;
use coopera_domain::kinds::{AccountRole, DemandState, WorkflowState};
use coopera_domain::problem::Problem;
use coopera_store::{DemandMove, RecordKind, Store, StoreError, Version};
use serde::Deserialize;

use super::activities::ShowParams;
use super::catalog::{CatalogRecordPage, areas_of, capacity_url, forms_text_of, languages_text, sectors_table};
use super::writes::{Refused, body, problems};
use super::{activity_url, area_name, org_url};
use crate::address::{Only, Parameters};
use crate::api::{DemandDetail, DemandList, DemandStepEntry, DemandSummary, DemandTransitionRequest, ErrorCode, Links};
use crate::auth::Viewer;
use crate::error::WebError;
use crate::guard;
use crate::locale::{self, Ctx};
use crate::selection::{encode, with_query};
use crate::state::{AppState, Views, Written};
use crate::views::{Cell, Chrome, Field, Opt, Section, TableView, field_id, html};

pub(crate) fn demand_url(key: &str) -> String {
    format!("/catalog/demands/{}", encode(key))
}

/// A demand to the access table: a record of no organisation's or state's scope, which every
/// account reads.
fn demand_reach() -> Reach {
    Reach::new(WorkflowState::Published)
}

/// Whether the viewer may do `action` on demands: reading needs an account; anything else
/// the access table's answer on a demand and an agency-wide role (analyst, administrator).
pub(crate) fn allow_demand(viewer: &Viewer, action: Action, key: &str, next: &str) -> Result<(), WebError> {
    viewer.require(next)?;
    if action == Action::Read {
        return Ok(());
    }
    guard::allow(viewer, action, &demand_reach(), ("demand", key), next)?;
    match viewer.actor.role() {
        Some(AccountRole::Analyst | AccountRole::Administrator) | None => Ok(()),
        Some(role) => {
            let refusal = Refusal::RoleCannot { role, action };
            Err(WebError::forbidden(refusal.message(Lang::Es), refusal.message(Lang::En)))
        }
    }
}

fn place_text(p: &DemandParts, lang: Lang) -> String {
    match (p.country, p.mx_state) {
        (_, Some(s)) => s.entry().name(lang).to_owned(),
        (Some(c), None) => c.entry().name(lang).to_owned(),
        (None, None) => String::new(),
    }
}

fn step_label(to: DemandState, lang: Lang) -> &'static str {
    match to {
        DemandState::Received => lang.pick("Recibir", "Receive"),
        DemandState::Answered => lang.pick("Responder con estas capacidades", "Answer with these capacities"),
        DemandState::Agreed => lang.pick("Acordar con esta actividad", "Agree with this activity"),
        DemandState::Closed => lang.pick("Cerrar", "Close"),
        DemandState::Declined => lang.pick("Declinar", "Decline"),
    }
}

/// The state a step asks for, its problem at `to`.
fn parse_to(to: &str) -> Result<DemandState, Problem> {
    DemandState::parse(to).map_err(|mut p| {
        p.path = "to".to_owned();
        p
    })
}

// ---------------------------------------------------------------------------------------------
// The list

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListParams {
    state: Option<String>,
}

fn state_filter(params: &ListParams) -> Result<Option<DemandState>, WebError> {
    // A `state` given empty is not "every state": it is refused, as an unknown one is.
    match params.state.as_deref().map(str::trim) {
        None => Ok(None),
        Some(s) => DemandState::parse(s)
            .map(Some)
            .map_err(|p| WebError::invalid("state", s, p.rule_message(Lang::Es), p.rule_message(Lang::En))),
    }
}

#[derive(Template)]
#[template(path = "catalog_demands.html")]
pub(crate) struct DemandsPage {
    pub c: Chrome,
    pub new_url: Option<String>,
    /// (label, address, current): every state, and all of them.
    pub filters: Vec<(String, String, bool)>,
    pub count_text: String,
    pub table: TableView,
    pub links: Vec<(String, String)>,
}

fn demands_table(demands: &[&Demand], views: &Views, lang: Lang) -> TableView {
    let mut t = TableView::new(&[
        (lang.pick("Solicitud", "Demand"), false),
        (lang.pick("Solicitante", "Requester"), false),
        (lang.pick("País o entidad", "Country or state"), false),
        (lang.pick("Recibida", "Received"), false),
        (lang.pick("Estado", "State"), false),
        (lang.pick("Capacidades propuestas", "Capacities proposed"), true),
    ]);
    for d in demands {
        let p = d.parts();
        t.rows.push(vec![
            Cell::link(p.title.best(lang), demand_url(p.key.as_str())),
            Cell::link(views.registry.org_name(p.requester.as_str(), lang), org_url(p.requester.as_str())),
            Cell::text(place_text(p, lang)),
            Cell::text(locale::opt_date(p.received, lang)),
            Cell::text(p.state.label(lang)),
            Cell::num(p.proposed.len().to_string()),
        ]);
    }
    t
}

/// `GET /catalog/demands`
pub(crate) async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ListParams>,
) -> Result<Html<String>, WebError> {
    ctx.viewer.require("/catalog/demands")?;
    let only = state_filter(&params)?;
    let st = state.clone();
    state
        .read(move |store, views| {
            let lang = ctx.lang;
            let mut all = store.demands()?;
            all.sort_by(|a, b| {
                b.parts().received.cmp(&a.parts().received).then_with(|| a.parts().key.cmp(&b.parts().key))
            });
            let shown: Vec<&Demand> = all.iter().filter(|d| only.is_none_or(|s| d.parts().state == s)).collect();
            let count = |s: DemandState| all.iter().filter(|d| d.parts().state == s).count();
            let mut filters = vec![(
                format!("{} ({})", lang.pick("Todas", "All"), all.len()),
                "/catalog/demands".to_owned(),
                only.is_none(),
            )];
            filters.extend(DemandState::ALL.iter().map(|&s| {
                let url = with_query("/catalog/demands", &[("state", s.code().to_owned())]);
                (format!("{} ({})", s.label(lang), count(s)), url, only == Some(s))
            }));
            let may_add = allow_demand(&ctx.viewer, Action::Create, "", "/").is_ok();
            let mut links = vec![
                (lang.pick("← Catálogo", "← Catalog").to_owned(), "/catalog".to_owned()),
                (lang.pick("Informe del catálogo", "Catalog report").to_owned(), "/catalog/report".to_owned()),
            ];
            if may_add {
                links.extend(super::catalog_import::links(lang));
            }
            links.push(("JSON (API)".to_owned(), "/api/v1/catalog/demands".to_owned()));
            let page = DemandsPage {
                c: Chrome::new(&ctx, &st, lang.pick("Solicitudes de los socios", "Partners' demands"), "catalog"),
                new_url: may_add.then(|| "/catalog/demands/new".to_owned()),
                filters,
                count_text: match (lang, shown.len()) {
                    (Lang::Es, 1) => "1 solicitud".to_owned(),
                    (Lang::En, 1) => "1 demand".to_owned(),
                    (Lang::Es, n) => format!("{n} solicitudes"),
                    (Lang::En, n) => format!("{n} demands"),
                },
                table: demands_table(&shown, views, lang),
                links,
            };
            html(&page)
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// One demand and its workflow

/// The workflow of a demand's page: its state, the forms of the steps the viewer may take,
/// why the last step asked was refused, and the steps taken so far.
#[derive(Debug, Clone)]
pub(crate) struct DemandPanel {
    pub state: String,
    pub action: String,
    pub version: String,
    /// (anchor, message) of each problem of the step refused, in the page's language.
    pub errors: Vec<(String, String)>,
    pub steps: Vec<DemandStepForm>,
    /// Why no step is offered.
    pub note: Option<String>,
    pub history: Option<TableView>,
}

/// The form of one step.
#[derive(Debug, Clone)]
pub(crate) struct DemandStepForm {
    pub to: &'static str,
    pub label: String,
    pub proposed: Option<ProposedField>,
    pub activity: Option<Field>,
    pub reason: Option<Field>,
}

/// The capacities to propose: suggested ones (sharing a thematic area with the demand) first.
#[derive(Debug, Clone)]
pub(crate) struct ProposedField {
    pub id: String,
    pub label: String,
    pub hint: String,
    pub groups: Vec<(String, Vec<Opt>)>,
    pub errors: Vec<String>,
}

/// A step asked through the page's form, kept to show it again when refused.
#[derive(Debug, Clone, Default)]
struct Attempt {
    to: String,
    proposed: Vec<String>,
    activity: String,
    reason: String,
    version: String,
    problems: Vec<Problem>,
    /// The demand changed since the page was shown: (es, en).
    stale: Option<(String, String)>,
}

impl Attempt {
    fn from_form(fields: &[(String, String)]) -> Attempt {
        let get =
            |k: &str| fields.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
        Attempt {
            to: get("to"),
            proposed: fields
                .iter()
                .filter(|(n, v)| n == "proposed" && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_owned())
                .collect(),
            activity: get("activity"),
            reason: get("reason"),
            version: get("version"),
            ..Attempt::default()
        }
    }

    fn to_move(&self) -> Result<DemandMove, Problem> {
        Ok(DemandMove {
            to: parse_to(&self.to)?,
            proposed: self.proposed.clone(),
            activity: Some(self.activity.clone()).filter(|a| !a.is_empty()),
            reason: Some(self.reason.clone()).filter(|r| !r.is_empty()),
        })
    }
}

/// The form field a step's problem belongs to.
fn step_field(path: &str) -> &'static str {
    match path {
        p if p == "proposed" || p.starts_with("proposed[") => "proposed",
        "activity" => "activity",
        "reason" => "reason",
        _ => "to",
    }
}

fn step_field_label(field: &str, lang: Lang) -> &'static str {
    match field {
        "proposed" => lang.pick("Capacidades propuestas", "Capacities proposed"),
        "activity" => lang.pick("Actividad acordada", "Activity agreed"),
        "reason" => lang.pick("Motivo", "Reason"),
        _ => lang.pick("Paso", "Step"),
    }
}

fn problem_text(p: &Problem, lang: Lang) -> String {
    match &p.value {
        Some(v) if !v.is_empty() => format!("«{v}»: {}", p.rule_message(lang)),
        _ => p.rule_message(lang),
    }
}

/// The capacities to propose, suggested ones first, the ones given selected.
fn proposed_groups(
    demand: &DemandParts,
    capacities: &[coopera_domain::catalog::Capacity],
    selected: &[String],
    views: &Views,
    lang: Lang,
) -> Vec<(String, Vec<Opt>)> {
    let wanted = areas_of(&demand.sectors);
    let (mut suggested, mut others) = (Vec::new(), Vec::new());
    for c in capacities {
        let p = c.parts();
        let key = p.key.as_str();
        let label = format!("{} — {}", p.title.best(lang), views.registry.org_short(p.institution.as_str(), lang));
        let opt = Opt::new(key, label, selected.iter().any(|s| s == key));
        if areas_of(&p.sectors).iter().any(|a| wanted.contains(a)) {
            suggested.push(opt);
        } else {
            others.push(opt);
        }
    }
    let mut groups = Vec::new();
    if !suggested.is_empty() {
        groups
            .push((lang.pick("Sugeridas: misma área temática", "Suggested: same thematic area").to_owned(), suggested));
    }
    groups.push((lang.pick("Otras capacidades", "Other capacities").to_owned(), others));
    groups
}

fn step_input(name: &str, to: DemandState, label: &str, value: &str, errors: Vec<String>, lang: Lang) -> Field {
    Field {
        name: name.to_owned(),
        id: field_id(&format!("{name}-{}", to.code())),
        label: label.to_owned(),
        value: value.to_owned(),
        errors,
        required_text: lang.pick("obligatorio", "required"),
        ..Field::default()
    }
}

/// The forms of the steps the viewer may take from where the demand stands.
fn step_forms(
    store: &Store,
    views: &Views,
    ctx: &Ctx,
    demand: &DemandParts,
    attempt: Option<&Attempt>,
) -> Result<Vec<DemandStepForm>, WebError> {
    let lang = ctx.lang;
    let key = demand.key.as_str();
    if allow_demand(&ctx.viewer, Action::Edit, key, "/").is_err() {
        return Ok(Vec::new());
    }
    let from = demand.state;
    let errors = |field: &str, to: DemandState| -> Vec<String> {
        attempt
            .filter(|a| a.to == to.code())
            .map(|a| {
                a.problems.iter().filter(|p| step_field(&p.path) == field).map(|p| problem_text(p, lang)).collect()
            })
            .unwrap_or_default()
    };
    let asked = |to: DemandState| attempt.filter(|a| a.to == to.code());
    let capacities = if from.can_move_to(DemandState::Answered) { store.capacities()? } else { Vec::new() };
    let mut forms = Vec::new();
    for to in DemandState::ALL.iter().copied().filter(|to| from.can_move_to(*to)) {
        let mut form = DemandStepForm {
            to: to.code(),
            label: step_label(to, lang).to_owned(),
            proposed: None,
            activity: None,
            reason: None,
        };
        match to {
            DemandState::Answered => {
                let selected = asked(to)
                    .map_or_else(|| demand.proposed.iter().map(|k| k.to_string()).collect(), |a| a.proposed.clone());
                form.proposed = Some(ProposedField {
                    id: field_id("proposed"),
                    label: step_field_label("proposed", lang).to_owned(),
                    hint: lang
                        .pick(
                            "Elija una o más (Ctrl o ⌘ para varias); primero las que comparten área temática con la solicitud.",
                            "Pick one or more (Ctrl or ⌘ for several); those sharing a thematic area with the demand come first.",
                        )
                        .to_owned(),
                    groups: proposed_groups(demand, &capacities, &selected, views, lang),
                    errors: errors("proposed", to),
                });
            }
            DemandState::Agreed => {
                let value = asked(to).map_or_else(
                    || demand.activity.as_ref().map(|a| a.to_string()).unwrap_or_default(),
                    |a| a.activity.clone(),
                );
                let mut f = step_input(
                    "activity",
                    to,
                    step_field_label("activity", lang),
                    &value,
                    errors("activity", to),
                    lang,
                );
                f.required = true;
                f.hint = Some(
                    lang.pick(
                        "Identificador IATI, p. ej. MX-AMEXCID-2014-0002",
                        "IATI identifier, e.g. MX-AMEXCID-2014-0002",
                    )
                    .to_owned(),
                );
                form.activity = Some(f);
            }
            DemandState::Closed | DemandState::Declined => {
                let value = asked(to).map(|a| a.reason.clone()).unwrap_or_default();
                let mut f =
                    step_input("reason", to, step_field_label("reason", lang), &value, errors("reason", to), lang);
                f.required = to == DemandState::Declined;
                form.reason = Some(f);
            }
            DemandState::Received => {}
        }
        forms.push(form);
    }
    Ok(forms)
}

fn history(store: &Store, key: &str, lang: Lang) -> Result<Option<TableView>, WebError> {
    let steps = store.demand_steps(Some(key))?;
    if steps.is_empty() {
        return Ok(None);
    }
    let labels = |s: &coopera_store::DemandStep| (s.from.label(lang), s.to.label(lang));
    let rows = steps.iter().rev().map(|s| (s.at.as_str(), s.author.as_str(), labels(s), s.reason.as_deref()));
    Ok(Some(super::record_workflow::steps_table(rows, lang)))
}

fn panel(
    store: &Store,
    views: &Views,
    ctx: &Ctx,
    demand: &DemandParts,
    attempt: Option<&Attempt>,
) -> Result<DemandPanel, WebError> {
    let lang = ctx.lang;
    let key = demand.key.as_str();
    let mut errors = Vec::new();
    if let Some(a) = attempt {
        if let Some((es, en)) = &a.stale {
            errors.push(("workflow".to_owned(), lang.pick(es, en).to_owned()));
        }
        for p in &a.problems {
            let field = step_field(&p.path);
            let anchor = match field {
                "proposed" => field_id("proposed"),
                "to" => "workflow".to_owned(),
                f => field_id(&format!("{f}-{}", a.to)),
            };
            errors.push((anchor, format!("{}: {}", step_field_label(field, lang), problem_text(p, lang))));
        }
    }
    let version = store.version(RecordKind::Demand, key)?.unwrap_or_default();
    let steps = step_forms(store, views, ctx, demand, attempt)?;
    let note = match (demand.state.is_final(), steps.is_empty()) {
        (true, _) => Some(
            lang.pick(
                "Una solicitud cerrada o declinada no da más pasos.",
                "A closed or declined demand takes no further step.",
            )
            .to_owned(),
        ),
        (false, true) => Some(
            lang.pick(
                "Los analistas y administradores de la agencia responden, acuerdan, cierran o declinan las solicitudes.",
                "The agency's analysts and administrators answer, agree, close or decline demands.",
            )
            .to_owned(),
        ),
        (false, false) => None,
    };
    Ok(DemandPanel {
        state: demand.state.label(lang).to_owned(),
        action: format!("{}/move", demand_url(key)),
        version: version.to_string(),
        errors,
        steps,
        note,
        history: history(store, key, lang)?,
    })
}

/// What was asked, and the answer so far: the capacities proposed, the activity agreed and
/// the dates of the steps.
fn demand_sections(store: &Store, p: &DemandParts, views: &Views, lang: Lang) -> Result<Vec<Section>, WebError> {
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("request", l("Solicitud", "Demand"));
    s.fact(l("Clave", "Key"), p.key.as_str());
    s.fact_link(
        l("Solicitante", "Requester"),
        views.registry.org_name(p.requester.as_str(), lang),
        org_url(p.requester.as_str()),
    );
    s.fact(l("País o entidad", "Country or state"), place_text(p, lang));
    s.fact(l("Recibida", "Received"), locale::opt_date(p.received, lang));
    for a in areas_of(&p.sectors) {
        s.fact_link(l("Área temática", "Thematic area"), area_name(a, lang), super::catalog::area_url(a));
    }
    s.fact(l("Formas pedidas", "Forms asked for"), forms_text_of(&p.forms, lang));
    s.fact(l("Idiomas", "Languages"), languages_text(&p.languages, lang));
    s.paragraph(p.description.best(lang));
    let mut sectors = Section::new("sectors", l("Sectores", "Sectors"));
    sectors.table(sectors_table(&p.sectors, lang));
    let mut answer = Section::new("answer", l("Respuesta", "Answer"));
    answer.fact(l("Respondida", "Answered"), p.answered.map(|d| locale::date(d, lang)).unwrap_or_default());
    answer.fact(l("Acordada", "Agreed"), p.agreed.map(|d| locale::date(d, lang)).unwrap_or_default());
    answer.fact(
        l("Cerrada o declinada", "Closed or declined"),
        p.settled.map(|d| locale::date(d, lang)).unwrap_or_default(),
    );
    if let Some(a) = &p.activity {
        let title = views.registry.activity(a.as_str()).map_or_else(|| a.to_string(), |r| r.title(lang).to_owned());
        answer.fact_link(l("Actividad acordada", "Activity agreed"), title, activity_url(a.as_str()));
    }
    let mut t = TableView::new(&[
        (l("Capacidad propuesta", "Capacity proposed"), false),
        (l("Institución", "Institution"), false),
        (l("Área temática", "Thematic area"), false),
    ]);
    for k in &p.proposed {
        match store.capacity(k.as_str())? {
            Some(c) => {
                let cp = c.parts();
                let areas: Vec<String> = areas_of(&cp.sectors).into_iter().map(|a| area_name(a, lang)).collect();
                t.rows.push(vec![
                    Cell::link(cp.title.best(lang), capacity_url(k.as_str())),
                    Cell::link(
                        views.registry.org_name(cp.institution.as_str(), lang),
                        org_url(cp.institution.as_str()),
                    ),
                    Cell::text(areas.join(", ")),
                ]);
            }
            None => t.rows.push(vec![Cell::text(k.as_str()), Cell::text(""), Cell::text("")]),
        }
    }
    answer.table(t);
    Ok(vec![s, sectors, answer])
}

/// The page of a demand, with the step `attempt` asked and why it was refused, if any.
fn demand_page(
    st: &AppState,
    store: &Store,
    views: &Views,
    ctx: &Ctx,
    key: &str,
    attempt: Option<&Attempt>,
    flash: &ShowParams,
) -> Result<CatalogRecordPage, WebError> {
    let url = demand_url(key);
    allow_demand(&ctx.viewer, Action::Read, key, &url)?;
    let demand = store.demand(key)?.ok_or_else(|| WebError::not_found("demand", key))?;
    let lang = ctx.lang;
    let p = demand.parts();
    let mut chrome = Chrome::new(ctx, st, p.title.best(lang), "catalog");
    chrome.notice = match (flash.saved.is_some(), flash.moved.is_some()) {
        (true, _) => Some(lang.pick("Solicitud guardada.", "Demand saved.").to_owned()),
        (_, true) => Some(format!("{}: {}", lang.pick("Nuevo estado", "New state"), p.state.label(lang))),
        _ => None,
    };
    let mut badges = vec![p.state.label(lang).to_owned()];
    badges.extend(areas_of(&p.sectors).into_iter().map(|a| area_name(a, lang)));
    let mut panel = panel(store, views, ctx, p, attempt)?;
    if let Some(a) = attempt
        && !a.version.is_empty()
        && a.stale.is_none()
    {
        panel.version = a.version.clone();
    }
    Ok(CatalogRecordPage {
        c: chrome,
        back_url: "/catalog/demands".to_owned(),
        back_label: lang.pick("← Solicitudes", "← Demands").to_owned(),
        heading: p.title.best(lang).to_owned(),
        edit_url: allow_demand(&ctx.viewer, Action::Edit, key, "/").is_ok().then(|| format!("{url}/edit")),
        badges,
        links: vec![("JSON (API)".to_owned(), format!("/api/v1{url}"))],
        workflow: None,
        panel: Some(panel),
        sections: demand_sections(store, p, views, lang)?,
        map: None,
        match_url: Some(format!("{url}?match=1#matches")),
        matching: None,
    })
}

/// `GET /catalog/demands/{key}`; with `match=1`, the capacities the matcher proposes, and
/// with `propose-1=KEY`… those checked among them, selected in the answer's form.
pub(crate) async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    Query(flash): Query<ShowParams>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, WebError> {
    ctx.viewer.require(&demand_url(&key))?;
    let ask = MatchAsk::parse(raw.as_deref().unwrap_or_default());
    if !ask.shown {
        let st = state.clone();
        return state.read(move |store, views| html(&demand_page(&st, store, views, &ctx, &key, None, &flash)?)).await;
    }
    state.index().ready().await?;
    let st = state.clone();
    state
        .read(move |store, views| {
            let live = st.index().current(store)?;
            let may_answer = allow_demand(&ctx.viewer, Action::Edit, &key, "/").is_ok();
            let picked = Attempt {
                to: DemandState::Answered.code().to_owned(),
                proposed: ask.picked.clone(),
                ..Attempt::default()
            };
            let prefill = (may_answer && !ask.picked.is_empty()).then_some(&picked);
            let mut page = demand_page(&st, store, views, &ctx, &key, prefill, &flash)?;
            let demand = store.demand(&key)?.ok_or_else(|| WebError::not_found("demand", &key))?;
            page.matching = Some(match_panel(live, store, views, &ctx, &demand, &ask, may_answer)?);
            html(&page)
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// The capacities proposed by the matcher

/// How many capacities a demand's page proposes.
const MATCH_SHOWN: usize = 10;

/// What a demand's page is asked to show of the matcher: whether to (`match=1`) and the
/// capacities checked to answer with (`propose-1=KEY`, `propose-2=KEY`…: one name each, since
/// an address names no parameter twice).
#[derive(Debug, Default)]
struct MatchAsk {
    shown: bool,
    picked: Vec<String>,
}

impl MatchAsk {
    fn parse(query: &str) -> MatchAsk {
        let mut ask = MatchAsk::default();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim();
            if name == "match" && !value.is_empty() {
                ask.shown = true;
            } else if name.starts_with("propose-") && !value.is_empty() && !ask.picked.iter().any(|p| p == value) {
                ask.picked.push(value.to_owned());
            }
        }
        ask
    }
}

/// The capacities proposed for a demand, as its page shows them.
#[derive(Debug, Clone)]
pub(crate) struct MatchPanel {
    pub rows: Vec<MatchRow>,
    /// Why there are none: the catalog has nothing the demand asks for.
    pub no_answer: Option<String>,
    /// Whether the viewer may answer the demand with capacities: the rows can be checked, and
    /// the form sends them to the answer's.
    pub pick: bool,
    /// The demand's page, which the form of checked capacities goes back to.
    pub action: String,
    /// Said when capacities were checked: they are selected in the answer's form.
    pub picked_note: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct MatchRow {
    /// The form field of its check box (`propose-1`).
    pub name: String,
    pub key: String,
    pub title: String,
    pub url: String,
    pub institution: String,
    pub institution_url: String,
    pub score: String,
    pub reasons: Vec<String>,
    pub checked: bool,
}

fn match_panel(
    live: &coopera_search::live::Live,
    store: &Store,
    views: &Views,
    ctx: &Ctx,
    demand: &Demand,
    ask: &MatchAsk,
    may_answer: bool,
) -> Result<MatchPanel, WebError> {
    let lang = ctx.lang;
    let request = coopera_search::matching::request_of(demand, MATCH_SHOWN);
    let found = super::search::matches(live, store, views, &ctx.viewer.actor, &request)?;
    let rows = found
        .results
        .iter()
        .enumerate()
        .map(|(i, m)| MatchRow {
            name: format!("propose-{}", i.saturating_add(1)),
            key: m.key.clone(),
            title: m.title.clone(),
            url: capacity_url(&m.key),
            institution: views.registry.org_name(&m.institution, lang).to_owned(),
            institution_url: org_url(&m.institution),
            score: format!("{:.2}", m.score),
            reasons: m.reasons.iter().map(|r| r.text(lang)).collect(),
            checked: ask.picked.contains(&m.key),
        })
        .collect();
    let p = demand.parts();
    let pick = may_answer && p.state.can_move_to(DemandState::Answered);
    Ok(MatchPanel {
        rows,
        no_answer: found.no_answer.then(|| {
            lang.pick(
                "Ninguna capacidad del catálogo responde a esta solicitud.",
                "No capacity of the catalog answers this demand.",
            )
            .to_owned()
        }),
        pick,
        action: demand_url(p.key.as_str()),
        picked_note: (pick && !ask.picked.is_empty()).then(|| {
            lang.pick(
                "Las capacidades marcadas quedaron seleccionadas en el formulario «Responder con estas capacidades»; revíselo y confírmelo.",
                "The capacities checked are selected in the form “Answer with these capacities”; review it and confirm.",
            )
            .to_owned()
        }),
    })
}

/// One step of demand `key` as the viewer asks it: the access table first, then the store's
/// own checks (the step from where the demand stands, the capacities and the activity named,
/// a reason to decline). The problems of a step refused, each at the field of the request
/// (`to`, `proposed[0]`, `activity`, `reason`); nothing is written then.
fn take_step(
    store: &Store,
    viewer: &Viewer,
    key: &str,
    step: Result<DemandMove, Problem>,
    base: Option<Version>,
) -> Result<Written<Vec<Problem>>, WebError> {
    let next = demand_url(key);
    viewer.require(&next)?;
    if store.demand(key)?.is_none() {
        return Err(WebError::not_found("demand", key));
    }
    allow_demand(viewer, Action::Edit, key, &next)?;
    let mv = match step {
        Ok(mv) => mv,
        Err(p) => return Ok(Written::unchanged(vec![p])),
    };
    match store.move_demand(viewer.who(), key, &mv, base) {
        Ok(_) => Ok(Written::changed(Vec::new())),
        Err(StoreError::Invalid(refused)) => Ok(Written::unchanged(
            refused
                .into_iter()
                .flat_map(|r| r.problems.0)
                .map(|mut p| {
                    if p.path == "state" {
                        p.path = "to".to_owned();
                    }
                    p
                })
                .collect(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// `POST /catalog/demands/{key}/move`: one step, from the version the page showed; refused,
/// the page again with the problems at their fields (422), or with who changed the demand
/// meanwhile (409).
pub(crate) async fn move_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let mut attempt = Attempt::from_form(&fields);
    let step = attempt.to_move();
    let base = attempt.version.parse().ok();
    let viewer = ctx.viewer.clone();
    let k = key.clone();
    let status = match state.write(move |store| take_step(store, &viewer, &k, step, base)).await {
        Ok(p) if p.is_empty() => {
            return Ok(Redirect::to(&format!("{}?moved=1", demand_url(&key))).into_response());
        }
        Ok(p) => {
            attempt.problems = p;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(WebError::Store(e @ StoreError::Stale { .. })) => {
            attempt.stale = Some((e.message(Lang::Es), e.message(Lang::En)));
            StatusCode::CONFLICT
        }
        Err(e) => return Err(e),
    };
    let st = state.clone();
    state
        .read(move |store, views| {
            let page = demand_page(&st, store, views, &ctx, &key, Some(&attempt), &ShowParams::default())?;
            Ok((status, html(&page)?).into_response())
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// The API

/// The parameters of `GET /api/v1/catalog/demands`.
#[derive(Debug)]
pub(crate) struct ListParameters;

impl Parameters for ListParameters {
    const NAMES: &'static [&'static [&'static str]] = &[&["state"]];
}

/// A demand as the API shows it, with the steps of its workflow.
pub(crate) fn demand_detail(store: &Store, key: &str) -> Result<DemandDetail, WebError> {
    let demand = store.demand(key)?.ok_or_else(|| WebError::not_found("demand", key))?;
    let steps = store
        .demand_steps(Some(key))?
        .into_iter()
        .map(|s| DemandStepEntry { at: s.at, author: s.author, from: s.from.code(), to: s.to.code(), reason: s.reason })
        .collect();
    Ok(DemandDetail {
        key: key.to_owned(),
        version: store.version(RecordKind::Demand, key)?.unwrap_or_default(),
        document: DemandDoc::from_domain(&demand).into(),
        steps,
        links: Links { html: demand_url(key) },
    })
}

/// `GET /api/v1/catalog/demands` (for signed-in accounts)
pub(crate) async fn api_list(
    _: Only<ListParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ListParams>,
) -> Result<Json<DemandList>, WebError> {
    ctx.viewer.require("")?;
    let only = state_filter(&params)?;
    state
        .read(move |store, views| {
            let lang = ctx.lang;
            let mut demands = store.demands()?;
            demands.sort_by(|a, b| a.parts().key.cmp(&b.parts().key));
            let items: Vec<DemandSummary> = demands
                .iter()
                .map(Demand::parts)
                .filter(|p| only.is_none_or(|s| p.state == s))
                .map(|p| DemandSummary {
                    key: p.key.to_string(),
                    title: p.title.best(lang).to_owned(),
                    requester: p.requester.to_string(),
                    requester_name: views.registry.org_name(p.requester.as_str(), lang).to_owned(),
                    state: p.state.code(),
                    country: p.country.map(|c| c.as_str()),
                    received: p.received.map(|d| d.to_string()),
                    proposed: p.proposed.iter().map(|k| k.to_string()).collect(),
                    href: format!("/api/v1{}", demand_url(p.key.as_str())),
                })
                .collect();
            Ok(Json(DemandList { total: items.len(), items }))
        })
        .await
}

/// `GET /api/v1/catalog/demands/{key}` (for signed-in accounts)
pub(crate) async fn api_show(
    _: Only<crate::address::NoParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
) -> Result<Json<DemandDetail>, WebError> {
    ctx.viewer.require("")?;
    state.read(move |store, _| Ok(Json(demand_detail(store, &key)?))).await
}

/// `POST /api/v1/catalog/demands/{key}/transitions`: one step of the demand's workflow.
pub(crate) async fn api_transition(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    bytes: Bytes,
) -> Result<Response, Refused> {
    ctx.viewer.require("")?;
    let asked: DemandTransitionRequest = body(&bytes, ctx.lang)?;
    // A state that is none is the request's mistake, as the activities' steps answer it.
    let to = parse_to(&asked.to)
        .map_err(|p| WebError::invalid("to", &asked.to, p.rule_message(Lang::Es), p.rule_message(Lang::En)))?;
    let step = Ok(DemandMove {
        to,
        proposed: asked.proposed.clone(),
        activity: asked.activity.clone(),
        reason: asked.reason.clone(),
    });
    let viewer = ctx.viewer.clone();
    let k = key.clone();
    let refused = state.write(move |store| take_step(store, &viewer, &k, step, asked.version)).await?;
    if !refused.is_empty() {
        return Ok(problems(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidRecord, &refused, ctx.lang));
    }
    let detail = state.read(move |store, _| demand_detail(store, &key)).await?;
    Ok(Json(detail).into_response())
}
