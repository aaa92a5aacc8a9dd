//! The pages and the API's reads of the international action of states and municipalities:
//! a page per action, agreement and membership (`/actions/{key}`…) with the activities it is
//! linked to, and `/api/v1/actions`, `/api/v1/agreements`, `/api/v1/memberships` with one
//! record each. They are public, as the states' profiles that list them; the forms that
//! write them are `subnational_form`'s.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use coopera_domain::Lang;
use coopera_domain::access::{self, Action};
use coopera_domain::code::MxStateCode;
use coopera_domain::doc::{ActionDoc, AgreementDoc, MembershipDoc};
use coopera_domain::ids::{ActivityKey, OrgKey};
use coopera_domain::subnational::OrgStates;
use coopera_store::{Record, RecordKind, Store};

use super::activities::ShowParams;
use super::catalog_form::Kind;
use super::record_workflow::record_panel;
use super::states::state_url;
use super::subnational_form::{action_url, agreement_url, membership_url};
use super::{activity_url, org_url, state_name};
use crate::address::{Only, Parameters};
use crate::api::{ActionDetail, AgreementDetail, Links, MembershipDetail, SubnationalList, SubnationalSummary};
use crate::error::WebError;
use crate::guard;
use crate::locale::Ctx;
use crate::state::{AppState, Views};
use crate::views::{Cell, Chrome, RecordPage, Section, TableView, html};

/// The states of a record's owners, as INEGI codes.
fn state_codes(store: &Store, record: &Record) -> Result<Vec<String>, WebError> {
    Ok(guard::record_reach(store, record)?.states.iter().map(ToString::to_string).collect())
}

fn found<T>(record: Option<T>, kind: &'static str, key: &str) -> Result<T, WebError> {
    record.ok_or_else(|| WebError::not_found(kind, key))
}

/// An action as the API shows it.
pub(crate) fn action_detail(store: &Store, key: &str) -> Result<ActionDetail, WebError> {
    let action = found(store.action(key)?, "action", key)?;
    let document = ActionDoc::from_domain(&action).into();
    Ok(ActionDetail {
        key: key.to_owned(),
        version: store.version(RecordKind::Action, key)?.unwrap_or_default(),
        states: state_codes(store, &Record::Action(action))?,
        document,
        links: Links { html: action_url(key) },
    })
}

/// An agreement as the API shows it.
pub(crate) fn agreement_detail(store: &Store, key: &str) -> Result<AgreementDetail, WebError> {
    let agreement = found(store.agreement(key)?, "agreement", key)?;
    let document = AgreementDoc::from_domain(&agreement).into();
    Ok(AgreementDetail {
        key: key.to_owned(),
        version: store.version(RecordKind::Agreement, key)?.unwrap_or_default(),
        states: state_codes(store, &Record::Agreement(agreement))?,
        document,
        links: Links { html: agreement_url(key) },
    })
}

/// A membership as the API shows it.
pub(crate) fn membership_detail(store: &Store, key: &str) -> Result<MembershipDetail, WebError> {
    let membership = found(store.membership(key)?, "membership", key)?;
    let document = MembershipDoc::from_domain(&membership).into();
    Ok(MembershipDetail {
        key: key.to_owned(),
        version: store.version(RecordKind::Membership, key)?.unwrap_or_default(),
        states: state_codes(store, &Record::Membership(membership))?,
        document,
        links: Links { html: membership_url(key) },
    })
}

// ---------------------------------------------------------------------------------------------
// The API's lists

/// The lists read `state` (an INEGI code or ISO 3166-2 `MX-CHP`): the records of that entity.
pub(crate) struct ByState;

impl Parameters for ByState {
    const NAMES: &'static [&'static [&'static str]] = &[&["state"]];
}

/// The state asked for, if any (an empty value is none); a code that is none — blanks
/// included, codes are read as sent — is answered as a bad parameter.
fn asked_state(query: &HashMap<String, String>) -> Result<Option<MxStateCode>, WebError> {
    let Some(text) = query.get("state").filter(|s| !s.is_empty()) else { return Ok(None) };
    crate::selection::state_as_sent("state", text).map(Some)
}

/// A list item of a record.
fn summary(record: &Record, states: &OrgStates, views: &Views, lang: Lang) -> SubnationalSummary {
    let mut codes: Vec<MxStateCode> = guard::owners(record).iter().filter_map(|o| states.of(o)).collect();
    codes.sort();
    codes.dedup();
    let name = |k: &OrgKey| views.registry.org_name(k.as_str(), lang).to_owned();
    let (key, title, date, url) = match record {
        Record::Action(a) => {
            let p = a.parts();
            (p.key.to_string(), p.purpose.best(lang).to_owned(), Some(p.date), action_url(p.key.as_str()))
        }
        Record::Agreement(a) => {
            let p = a.parts();
            (p.key.to_string(), p.title.best(lang).to_owned(), Some(p.signed), agreement_url(p.key.as_str()))
        }
        Record::Membership(m) => {
            let p = m.parts();
            let title = format!("{} — {}", name(&p.network), name(&p.member));
            (p.key.to_string(), title, p.since, membership_url(p.key.as_str()))
        }
        _ => (String::new(), String::new(), None, String::new()),
    };
    SubnationalSummary {
        key,
        title,
        states: codes.iter().map(ToString::to_string).collect(),
        date: date.map(|d| d.to_string()),
        href: format!("/api/v1{url}"),
    }
}

/// The list of a kind's records, of one state when asked.
async fn api_list(
    state: AppState,
    ctx: Ctx,
    query: HashMap<String, String>,
    load: fn(&Store) -> Result<Vec<Record>, WebError>,
) -> Result<Json<SubnationalList>, WebError> {
    let only = asked_state(&query)?;
    state
        .read(move |store, views| {
            let states = OrgStates::new(&store.organisations()?);
            let items: Vec<SubnationalSummary> = guard::readable(store, &ctx.viewer, load(store)?, Record::clone)?
                .iter()
                .map(|r| summary(r, &states, views, ctx.lang))
                .filter(|s| only.is_none_or(|o| s.states.contains(&o.to_string())))
                .collect();
            Ok(Json(SubnationalList { total: items.len(), items }))
        })
        .await
}

fn sorted(mut records: Vec<Record>) -> Vec<Record> {
    records.sort_by_key(Record::key);
    records
}

/// `GET /api/v1/actions`
pub(crate) async fn api_actions(
    _: Only<ByState>,
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<SubnationalList>, WebError> {
    api_list(state, ctx, query, |s| Ok(sorted(s.actions()?.into_iter().map(Record::Action).collect()))).await
}

/// `GET /api/v1/agreements`
pub(crate) async fn api_agreements(
    _: Only<ByState>,
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<SubnationalList>, WebError> {
    api_list(state, ctx, query, |s| Ok(sorted(s.agreements()?.into_iter().map(Record::Agreement).collect()))).await
}

/// `GET /api/v1/memberships`
pub(crate) async fn api_memberships(
    _: Only<ByState>,
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<SubnationalList>, WebError> {
    api_list(state, ctx, query, |s| Ok(sorted(s.memberships()?.into_iter().map(Record::Membership).collect()))).await
}

/// `GET /api/v1/actions/{key}`, `GET /api/v1/agreements/{key}`, `GET /api/v1/memberships/{key}`
pub(crate) async fn api_show<K: Kind>(
    _: Only<crate::address::NoParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
) -> Result<Json<serde_json::Value>, WebError> {
    state
        .read(move |store, _| {
            readable(store, &ctx, K::RECORD, &key, "")?;
            Ok(Json(K::detail(store, &key)?))
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// The pages

/// The activities a record is linked to that the viewer may read.
fn linked(activities: &[ActivityKey], ctx: &Ctx, views: &Views) -> Section {
    let lang = ctx.lang;
    let mut s = Section::new("activities", lang.pick("Actividades vinculadas", "Linked activities"));
    let mut t = TableView::new(&[(lang.pick("Actividad", "Activity"), false), (lang.pick("Clave", "Key"), false)]);
    for key in activities {
        let Some(r) = views.registry.activity(key.as_str()) else { continue };
        let readable = r
            .position
            .and_then(|i| views.snapshot.reach(i))
            .is_some_and(|reach| access::decide(&ctx.viewer.actor, &Action::Read, &reach).is_ok());
        if readable {
            t.rows.push(vec![Cell::link(r.title(lang), activity_url(&r.key)), Cell::text(r.key.clone())]);
        }
    }
    s.table(t);
    s
}

fn org_fact(s: &mut Section, label: &str, key: &OrgKey, views: &Views, lang: Lang) {
    s.fact_link(label, views.registry.org_name(key.as_str(), lang), org_url(key.as_str()));
}

fn date_fact(s: &mut Section, label: &str, date: Option<time::Date>) {
    s.fact(label, date.map(|d| d.to_string()).unwrap_or_default());
}

/// The facts of a record, its heading and the activities it is linked to.
fn facts(record: &Record, ctx: &Ctx, views: &Views) -> (String, Vec<Section>) {
    let lang = ctx.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut s = Section::new("record", l("Datos", "Details"));
    let (heading, activities): (String, &[ActivityKey]) = match record {
        Record::Action(a) => {
            let p = a.parts();
            org_fact(&mut s, l("Gobierno", "Government"), &p.actor, views, lang);
            s.fact(l("Tipo", "Kind"), p.kind.label(lang));
            date_fact(&mut s, l("Fecha", "Date"), Some(p.date));
            date_fact(&mut s, l("Fecha de término", "End date"), p.end_date);
            s.fact(l("País", "Country"), p.country.map(|c| c.entry().name(lang).to_owned()).unwrap_or_default());
            s.fact(l("Ciudad", "City"), p.city.clone().unwrap_or_default());
            s.fact(l("Contraparte", "Counterpart"), p.counterpart.clone().unwrap_or_default());
            s.fact(l("Resultado", "Outcome"), p.outcome.best(lang));
            (p.purpose.best(lang).to_owned(), &p.activities)
        }
        Record::Agreement(a) => {
            let p = a.parts();
            for party in &p.parties {
                org_fact(&mut s, l("Parte", "Party"), party, views, lang);
            }
            date_fact(&mut s, l("Firmado", "Signed"), Some(p.signed));
            date_fact(&mut s, l("Vigente hasta", "Valid until"), p.valid_until);
            s.fact(l("Vigencia", "Standing"), a.standing(super::states::today()).label(lang));
            s.fact(l("Alcance", "Scope"), p.scope.best(lang));
            s.fact(l("Número de registro", "Registration number"), p.registration_number.clone().unwrap_or_default());
            (p.title.best(lang).to_owned(), &p.activities)
        }
        Record::Membership(m) => {
            let p = m.parts();
            org_fact(&mut s, l("Red", "Network"), &p.network, views, lang);
            org_fact(&mut s, l("Miembro", "Member"), &p.member, views, lang);
            date_fact(&mut s, l("Desde", "Since"), p.since);
            date_fact(&mut s, l("Hasta", "Until"), p.until);
            s.fact(l("Papel", "Role"), p.role.clone().unwrap_or_default());
            s.fact(l("Situación", "Standing"), m.standing(super::states::today()).label(lang));
            let heading = format!(
                "{} — {}",
                views.registry.org_name(p.member.as_str(), lang),
                views.registry.org_name(p.network.as_str(), lang)
            );
            (heading, &[])
        }
        _ => (String::new(), &[]),
    };
    let mut sections = vec![s];
    if !activities.is_empty() {
        sections.push(linked(activities, ctx, views));
    }
    (heading, sections)
}

/// The page of a record: its facts, its states' profiles, the activities it is linked to, and
/// its form for those who may edit it.
fn record_page<K: Kind>(
    st: &AppState,
    ctx: &Ctx,
    (store, views): (&Store, &Views),
    record: &Record,
    saved: bool,
) -> Result<Html<String>, WebError> {
    let key = record.key();
    let url = K::url(&key);
    let (heading, sections) = facts(record, ctx, views);
    let lang = ctx.lang;
    let mut chrome = Chrome::new(ctx, st, heading.clone(), "states");
    if saved {
        chrome.notice = Some(lang.pick("Registro guardado.", "Record saved.").to_owned());
    }
    let may_edit = K::editable(store, &ctx.viewer, &key, "/").is_ok();
    let mut links = vec![("JSON (API)".to_owned(), format!("/api/v1{url}"))];
    for code in state_codes(store, record)? {
        if let Ok(s) = MxStateCode::parse_any(&code) {
            links.push((state_name(&code), state_url(s)));
        }
    }
    let page = RecordPage {
        c: chrome,
        back_url: "/states".to_owned(),
        back_label: lang.pick("← Estados y municipios", "← States and municipalities").to_owned(),
        heading,
        edit_url: may_edit.then(|| format!("{url}/edit")),
        badges: Vec::new(),
        links,
        workflow: record_panel::<K>(store, ctx, record)?,
        sections,
        map: None,
    };
    html(&page)
}

/// `GET /actions/{key}`, `GET /agreements/{key}`, `GET /memberships/{key}`: the page of a
/// record the viewer may read — a draft of another scope is "not found", like a missing one.
pub(crate) async fn show<K: Kind>(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    Query(flash): Query<ShowParams>,
) -> Result<Html<String>, WebError> {
    let st = state.clone();
    state
        .read(move |store, views| {
            let record = readable(store, &ctx, K::RECORD, &key, &K::url(&key))?;
            record_page::<K>(&st, &ctx, (store, views), &record, flash.saved.is_some())
        })
        .await
}

/// The record `kind`/`key`, when the viewer may read it; "not found" otherwise, as for a
/// missing one. `next` is where a sign-in brings the browser back.
pub(crate) fn readable(store: &Store, ctx: &Ctx, kind: RecordKind, key: &str, next: &str) -> Result<Record, WebError> {
    let record = found(store.stored(kind, key)?, kind.as_str(), key)?;
    let reach = guard::record_reach(store, &record)?;
    guard::allow(&ctx.viewer, Action::Read, &reach, (kind.as_str(), key), next)?;
    Ok(record)
}
