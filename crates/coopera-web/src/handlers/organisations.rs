//! Organisations: the list, the page of one (its facts and the activities it takes part
//! in), the form that creates or corrects one, and the API.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use coopera_domain::access::Action;
use coopera_domain::codelists::{COUNTRY, MX_STATE, ORGANISATION_TYPE};
use coopera_domain::doc::{OrganisationDoc, TextDoc};
use coopera_domain::kinds::Level;
use coopera_domain::{Lang, Problem};
use coopera_store::{Record, WriteOptions};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::activities::ShowParams;
use super::activity_form::{AUTHOR, Saved};
use super::{activity_url, org_url, state_name};
use crate::address::{NoParameters, Only};
use crate::api::{OrganisationDetail, OrganisationList, OrganisationSummary};
use crate::error::WebError;
use crate::guard;
use crate::locale::{self, Ctx};
use crate::registry::{Sort, words};
use crate::selection::with_query;
use crate::state::{AppState, Views, Written};
use crate::views::{
    Cell, Chrome, Field, Opt, OrganisationsPage, RecordPage, Section, SelectField, TableView, field_id, html,
};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListParams {
    q: Option<String>,
}

fn level_and_place(o: &crate::registry::OrgRow, lang: Lang) -> (String, String) {
    let place = match (o.country, o.mx_state) {
        (_, Some(s)) => state_name(s),
        (Some(c), None) => c.entry().name(lang).to_owned(),
        (None, None) => String::new(),
    };
    (o.level.label(lang).to_owned(), place)
}

/// `GET /organisations`
pub(crate) async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ListParams>,
) -> Result<Html<String>, WebError> {
    let st = state.clone();
    state
        .compute(move |views| {
            let lang = ctx.lang;
            let q = params.q.unwrap_or_default();
            let w = words(&q);
            let mut table = TableView::new(&[
                (lang.pick("Organización", "Organisation"), false),
                (lang.pick("Siglas", "Acronym"), false),
                (lang.pick("Nivel", "Level"), false),
                (lang.pick("País o entidad", "Country or state"), false),
                (lang.pick("Actividades", "Activities"), true),
            ]);
            let mut orgs: Vec<_> = views.registry.organisations().iter().filter(|o| o.matches_words(&w)).collect();
            orgs.sort_by_cached_key(|o| crate::registry::fold(o.name(lang)));
            for o in &orgs {
                let (level, place) = level_and_place(o, lang);
                let activities = with_query("/activities", &[("org", o.key.clone())]);
                table.rows.push(vec![
                    Cell::link(o.name(lang), org_url(&o.key)),
                    Cell::text(o.acronym.clone().unwrap_or_default()),
                    Cell::text(level),
                    Cell::text(place),
                    Cell { href: Some(activities), ..Cell::num(o.activities.to_string()) },
                ]);
            }
            let n = locale::number(Decimal::from(orgs.len() as u64), 0);
            let page = OrganisationsPage {
                c: Chrome::new(&ctx, &st, lang.pick("Organizaciones", "Organisations"), "organisations"),
                q,
                count_text: match (lang, orgs.len()) {
                    (Lang::Es, 1) => "1 organización".to_owned(),
                    (Lang::En, 1) => "1 organisation".to_owned(),
                    (Lang::Es, _) => format!("{n} organizaciones"),
                    (Lang::En, _) => format!("{n} organisations"),
                },
                table,
            };
            html(&page)
        })
        .await
}

/// `GET /organisations/{key}`
pub(crate) async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    Query(flash): Query<ShowParams>,
) -> Result<Html<String>, WebError> {
    let st = state.clone();
    state
        .read(move |store, views| {
            let org = store.organisation(&key)?.ok_or_else(|| WebError::not_found("organisation", &key))?;
            let lang = ctx.lang;
            let p = org.parts();
            let l = |es: &'static str, en: &'static str| lang.pick(es, en);
            let mut s = Section::new("facts", l("Datos", "Facts"));
            s.fact(l("Clave", "Key"), p.key.as_str());
            s.fact(l("Siglas", "Acronym"), p.acronym.clone().unwrap_or_default());
            s.fact(l("Tipo (IATI)", "Type (IATI)"), p.kind.entry().name(lang));
            s.fact(l("Nivel", "Level"), p.level.label(lang));
            s.fact(l("País", "Country"), p.country.map(|c| c.entry().name(lang)).unwrap_or(""));
            if let Some(st) = org.mx_state() {
                s.fact_link(
                    l("Entidad federativa", "Mexican state"),
                    format!("{} ({})", st.entry().name(lang), st.iso()),
                    with_query("/", &[("state", st.as_str().to_owned())]),
                );
            }
            s.fact(
                l("Municipio", "Municipality"),
                p.mx_municipality.map(|m| format!("{} ({m})", m.entry().name(lang))).unwrap_or_default(),
            );
            s.fact(l("Identificador IATI", "IATI identifier"), p.iati_ref.clone().unwrap_or_default());
            if let Some(parent) = &p.parent {
                s.fact_link(
                    l("Depende de", "Part of"),
                    views.registry.org_name(parent.as_str(), lang),
                    org_url(parent.as_str()),
                );
            }
            let mut a = Section::new("activities", l("Actividades en que participa", "Activities it takes part in"));
            let mut t = TableView::new(&[
                (l("Actividad", "Activity"), false),
                (l("Rol", "Role"), false),
                (l("Dirección", "Direction"), false),
                (l("Inicio", "Start"), false),
            ]);
            // Only the activities this viewer may read: a draft of another scope is not listed.
            let readable = |r: &crate::registry::ActivityRow| {
                r.position.and_then(|i| views.snapshot.reach(i)).is_some_and(|reach| {
                    coopera_domain::access::decide(&ctx.viewer.actor, &Action::Read, &reach).is_ok()
                })
            };
            let rows = views.registry.find(|r| r.involves(p.key.as_str()) && readable(r), Sort::Recent, lang);
            for r in rows.iter().take(200) {
                let roles: Vec<&str> = r
                    .participants
                    .iter()
                    .filter(|(o, _)| o == p.key.as_str())
                    .map(|(_, role)| role.label(lang))
                    .collect();
                let roles = if roles.is_empty() { l("reporta", "reports").to_owned() } else { roles.join(", ") };
                t.rows.push(vec![
                    Cell::link(r.title(lang), activity_url(&r.key)),
                    Cell::text(roles),
                    Cell::text(r.direction.map(|d| d.label(lang)).unwrap_or("—")),
                    Cell::text(r.start.map(|d| locale::date(d, lang)).unwrap_or_else(|| "—".into())),
                ]);
            }
            if rows.len() > 200 {
                t.caption = Some(match lang {
                    Lang::Es => format!("Las 200 más recientes de {}", rows.len()),
                    Lang::En => format!("The 200 most recent of {}", rows.len()),
                });
            }
            a.table(t);
            let mut chrome = Chrome::new(&ctx, &st, p.name.best(lang), "organisations");
            if flash.saved.is_some() {
                chrome.notice = Some(l("Organización guardada.", "Organisation saved.").to_owned());
            }
            let page = RecordPage {
                c: chrome,
                back_url: "/organisations".to_owned(),
                back_label: l("← Organizaciones", "← Organisations").to_owned(),
                heading: p.name.best(lang).to_owned(),
                edit_url: guard::allow(
                    &ctx.viewer,
                    Action::Edit,
                    &guard::organisation_reach(&org),
                    ("organisation", &key),
                    "/",
                )
                .is_ok()
                .then(|| format!("{}/edit", org_url(&key))),
                workflow: None,
                badges: vec![p.level.label(lang).to_owned()],
                links: vec![
                    (
                        format!("{} ({})", l("Sus actividades", "Its activities"), rows.len()),
                        with_query("/activities", &[("org", key.clone())]),
                    ),
                    ("JSON (API)".to_owned(), format!("/api/v1{}", org_url(&key))),
                ],
                sections: vec![s, a],
                map: None,
            };
            html(&page)
        })
        .await
}

/// `GET /api/v1/organisations`
pub(crate) async fn api_list(
    _: Only<NoParameters>,
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<OrganisationList>, WebError> {
    state
        .compute(move |views| {
            let items: Vec<OrganisationSummary> = views
                .registry
                .organisations()
                .iter()
                .map(|o| OrganisationSummary {
                    key: o.key.clone(),
                    name: o.name(ctx.lang).to_owned(),
                    acronym: o.acronym.clone(),
                    level: o.level.code(),
                    country: o.country.map(|c| c.as_str()),
                    mx_state: o.mx_state,
                    activities: o.activities,
                    href: format!("/api/v1{}", org_url(&o.key)),
                })
                .collect();
            Ok(Json(OrganisationList { total: items.len(), items }))
        })
        .await
}

/// `GET /api/v1/organisations/{key}`
pub(crate) async fn api_show(
    _: Only<NoParameters>,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<OrganisationDetail>, WebError> {
    state.read(move |store, views| Ok(Json(super::writes::organisation_detail(store, views, &key)?))).await
}

// ---------------------------------------------------------------------------------------------
// The form

#[derive(Debug, Clone, Default)]
pub(crate) struct Values {
    key: String,
    iati_ref: String,
    name: [String; 2],
    acronym: String,
    kind: String,
    level: String,
    country: String,
    mx_state: String,
    mx_municipality: String,
    parent: String,
    /// The version of the stored organisation the form was opened at.
    version: String,
}

impl Values {
    pub(crate) fn from_doc(d: &OrganisationDoc) -> Values {
        let name = match &d.name {
            TextDoc::Plain(s) => [s.clone(), String::new()],
            TextDoc::Langs(m) => [m.get("es").cloned().unwrap_or_default(), m.get("en").cloned().unwrap_or_default()],
        };
        Values {
            key: d.key.clone(),
            iati_ref: d.iati_ref.clone().unwrap_or_default(),
            name,
            acronym: d.acronym.clone().unwrap_or_default(),
            kind: d.kind.clone(),
            level: d.level.clone(),
            country: d.country.clone().unwrap_or_default(),
            mx_state: d.mx_state.clone().unwrap_or_default(),
            mx_municipality: d.mx_municipality.clone().unwrap_or_default(),
            parent: d.parent.clone().unwrap_or_default(),
            version: String::new(),
        }
    }

    pub(crate) fn from_form(fields: &[(String, String)]) -> Values {
        let get =
            |k: &str| fields.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
        Values {
            key: get("key"),
            iati_ref: get("iati_ref"),
            name: [get("name.es"), get("name.en")],
            acronym: get("acronym"),
            kind: get("kind"),
            level: get("level"),
            country: get("country").to_ascii_uppercase(),
            mx_state: get("mx_state"),
            mx_municipality: get("mx_municipality"),
            parent: get("parent"),
            version: get("version"),
        }
    }

    pub(crate) fn to_doc(&self) -> OrganisationDoc {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let mut name = BTreeMap::new();
        for (lang, v) in ["es", "en"].iter().zip(&self.name) {
            if !v.is_empty() {
                name.insert((*lang).to_owned(), v.clone());
            }
        }
        OrganisationDoc {
            key: self.key.clone(),
            iati_ref: opt(&self.iati_ref),
            name: if name.is_empty() { TextDoc::Plain(String::new()) } else { TextDoc::Langs(name) },
            acronym: opt(&self.acronym),
            kind: self.kind.clone(),
            level: self.level.clone(),
            country: opt(&self.country),
            mx_state: opt(&self.mx_state),
            mx_municipality: opt(&self.mx_municipality),
            parent: opt(&self.parent),
        }
    }
}

#[derive(Debug)]
pub(crate) struct OrgFormView {
    pub key: Field,
    pub iati_ref: Field,
    pub name_es: Field,
    pub name_en: Field,
    pub acronym: Field,
    pub kind: SelectField,
    pub level: SelectField,
    pub country: Field,
    pub mx_state: SelectField,
    pub mx_municipality: Field,
    pub parent: SelectField,
}

#[derive(Template)]
#[template(path = "organisation_form.html")]
pub(crate) struct OrgFormPage {
    pub c: Chrome,
    pub back_url: String,
    pub back_label: String,
    pub heading: String,
    pub summary: Vec<(String, String)>,
    pub action: String,
    pub f: OrgFormView,
    pub datalists: Vec<(&'static str, Vec<(String, String)>)>,
    /// The stored version the form edits (empty when creating).
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mode {
    Create,
    Edit(String),
}

/// Checks an organisation's document as the viewer may save it — every problem at once, then
/// the access table on the organisation as stored and as it would be — and saves it (from
/// version `base`, when given): the one write path of the form and of the API.
pub(crate) fn save_document(
    store: &coopera_store::Store,
    viewer: &crate::auth::Viewer,
    doc: OrganisationDoc,
    mode: &Mode,
    base: Option<coopera_store::Version>,
) -> Result<Written<Saved>, WebError> {
    let next = match mode {
        Mode::Create => "/organisations/new".to_owned(),
        Mode::Edit(k) => format!("{}/edit", org_url(k)),
    };
    if let Mode::Edit(k) = mode {
        let stored = store.organisation(k)?.ok_or_else(|| WebError::not_found("organisation", k))?;
        guard::allow(viewer, Action::Edit, &guard::organisation_reach(&stored), ("organisation", k), &next)?;
    } else {
        guard::may_create(viewer, &next)?;
    }
    // Every check at once, as the activity form does.
    let key = doc.key.trim().to_owned();
    let references = doc.references();
    let checked = doc.into_domain();
    let mut problems = checked.as_ref().err().map(|p| p.0.clone()).unwrap_or_default();
    problems.extend(store.check_references(&references)?.0);
    if *mode == Mode::Create && !key.is_empty() && store.organisation(&key)?.is_some() {
        problems.push(Problem::new("key", Some(&key), coopera_domain::Rule::Duplicate));
    }
    if let Mode::Edit(k) = mode
        && key != *k
    {
        let rule = coopera_domain::Rule::Changed { stored: Some(k.clone()), new: Some(key.clone()) };
        problems.push(Problem::new("key", Some(&key), rule));
    }
    match checked {
        Ok(org) if problems.is_empty() => {
            let key = org.key().to_string();
            let action = if *mode == Mode::Create { Action::Create } else { Action::Edit };
            guard::allow_as_saved(viewer, action, &guard::organisation_reach(&org), &next)?;
            let how = WriteOptions { base, address: Some(viewer.address.clone()), ..WriteOptions::default() };
            let author = viewer.name().unwrap_or(AUTHOR).to_owned();
            let record = Record::Organisation(org);
            match store.write(&author, vec![record.clone()], how) {
                Err(coopera_store::StoreError::Stale { current, .. }) => {
                    let problems = guard::changed_meanwhile(store, &record)?;
                    Ok(Written::unchanged(Saved::Meanwhile { problems, version: current }))
                }
                result => Ok(Written::of(result, key)?.map(Saved::from)),
            }
        }
        _ => Ok(Written::unchanged(Saved::No(problems))),
    }
}

fn form_page(state: &AppState, ctx: &Ctx, views: &Views, v: &Values, problems: &[Problem], mode: &Mode) -> OrgFormPage {
    let lang = ctx.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in problems {
        let path = if p.path == "name" { "name.es".to_owned() } else { p.path.clone() };
        let m = match &p.value {
            Some(x) if !x.is_empty() => format!("«{x}»: {}", p.rule_message(lang)),
            _ => p.rule_message(lang),
        };
        errors.entry(path).or_default().push(m);
    }
    let mut summary = Vec::new();
    let mut field = |name: &str, label: &str, value: &str| {
        let errs = errors.remove(name).unwrap_or_default();
        let id = field_id(name);
        for e in &errs {
            summary.push((id.clone(), format!("{label}: {e}")));
        }
        Field {
            name: name.to_owned(),
            id,
            label: label.to_owned(),
            value: value.to_owned(),
            errors: errs,
            required_text: l("obligatorio", "required"),
            ..Field::default()
        }
    };
    let select = |f: Field, options: Vec<(String, String)>| {
        let mut opts = vec![Opt::new("", l("— elija —", "— choose —"), f.value.is_empty())];
        opts.extend(options.into_iter().map(|(c, t)| {
            let selected = c == f.value;
            Opt::new(c, t, selected)
        }));
        SelectField { field: f, options: opts }
    };
    let mut key = field("key", l("Clave", "Key"), &v.key);
    key.required = true;
    key.readonly = matches!(mode, Mode::Edit(_));
    key.hint = Some(
        l(
            "Minúsculas, dígitos y guiones, p. ej. gob-chiapas",
            "Lowercase letters, digits and dashes, e.g. gob-chiapas",
        )
        .to_owned(),
    );
    let iati_ref = field("iati_ref", l("Identificador IATI", "IATI identifier"), &v.iati_ref);
    let mut name_es = field("name.es", l("Nombre (español)", "Name (Spanish)"), &v.name[0]);
    name_es.required = true;
    let name_en = field("name.en", l("Nombre (inglés)", "Name (English)"), &v.name[1]);
    let acronym = field("acronym", l("Siglas", "Acronym"), &v.acronym);
    let mut kind = select(
        field("kind", l("Tipo (IATI)", "Type (IATI)"), &v.kind),
        ORGANISATION_TYPE
            .codes
            .iter()
            .filter(|c| !c.withdrawn)
            .map(|c| (c.code.to_owned(), c.name(lang).to_owned()))
            .collect(),
    );
    kind.field.required = true;
    let mut level = select(
        field("level", l("Nivel", "Level"), &v.level),
        Level::ALL.iter().map(|x| (x.code().to_owned(), x.label(lang).to_owned())).collect(),
    );
    level.field.required = true;
    level.field.hint = Some(
        l(
            "Un gobierno estatal o municipal necesita país MX y su entidad.",
            "A state or municipal government needs country MX and its state.",
        )
        .to_owned(),
    );
    let mut country = field("country", l("País (ISO 3166-1)", "Country (ISO 3166-1)"), &v.country);
    country.list = Some("dl-country");
    let mx_state = select(
        field("mx_state", l("Entidad federativa", "Mexican state"), &v.mx_state),
        MX_STATE.codes.iter().map(|c| (c.code.to_owned(), c.name(lang).to_owned())).collect(),
    );
    let mut mx_municipality =
        field("mx_municipality", l("Municipio (clave INEGI)", "Municipality (INEGI code)"), &v.mx_municipality);
    mx_municipality.hint =
        Some(l("Cinco dígitos; solo para gobiernos municipales", "Five digits; municipal governments only").to_owned());
    let parent = select(
        field("parent", l("Depende de", "Part of"), &v.parent),
        views
            .registry
            .organisations()
            .iter()
            .filter(|o| o.key != v.key)
            .map(|o| (o.key.clone(), o.name(lang).to_owned()))
            .collect(),
    );
    for (path, messages) in errors {
        for m in messages {
            summary.push(("error-summary".to_owned(), format!("{path}: {m}")));
        }
    }
    let (heading, action, back_url, back_label) = match mode {
        Mode::Create => (
            l("Nueva organización", "New organisation").to_owned(),
            "/organisations/new".to_owned(),
            "/organisations".to_owned(),
            l("← Organizaciones", "← Organisations").to_owned(),
        ),
        Mode::Edit(k) => (
            format!("{}: {k}", l("Editar", "Edit")),
            format!("{}/edit", org_url(k)),
            org_url(k),
            l("← Volver a la organización", "← Back to the organisation").to_owned(),
        ),
    };
    let countries =
        COUNTRY.codes.iter().filter(|c| !c.withdrawn).map(|c| (c.code.to_owned(), c.name(lang).to_owned())).collect();
    OrgFormPage {
        version: v.version.clone(),
        c: Chrome::new(ctx, state, heading.clone(), "organisations"),
        back_url,
        back_label,
        heading,
        summary,
        action,
        f: OrgFormView {
            key,
            iati_ref,
            name_es,
            name_en,
            acronym,
            kind,
            level,
            country,
            mx_state,
            mx_municipality,
            parent,
        },
        datalists: vec![("dl-country", countries)],
    }
}

/// `GET /organisations/new`
pub(crate) async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    guard::may_create(&ctx.viewer, "/organisations/new")?;
    let st = state.clone();
    state
        .compute(move |views| {
            let v = Values { country: "MX".to_owned(), ..Values::default() };
            Ok(html(&form_page(&st, &ctx, views, &v, &[], &Mode::Create))?.into_response())
        })
        .await
}

/// `GET /organisations/{key}/edit`
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
) -> Result<Response, WebError> {
    let st = state.clone();
    state
        .read(move |store, views| {
            let org = store.organisation(&key)?.ok_or_else(|| WebError::not_found("organisation", &key))?;
            let next = format!("{}/edit", org_url(&key));
            guard::allow(&ctx.viewer, Action::Edit, &guard::organisation_reach(&org), ("organisation", &key), &next)?;
            let mut v = Values::from_doc(&OrganisationDoc::from_domain(&org));
            v.version = store.version(coopera_store::RecordKind::Organisation, &key)?.unwrap_or_default().to_string();
            Ok(html(&form_page(&st, &ctx, views, &v, &[], &Mode::Edit(key.clone())))?.into_response())
        })
        .await
}

/// `POST /organisations/new`
pub(crate) async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    submit(state, ctx, Values::from_form(&fields), Mode::Create).await
}

/// `POST /organisations/{key}/edit`
pub(crate) async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let mut v = Values::from_form(&fields);
    v.key = key.clone();
    submit(state, ctx, v, Mode::Edit(key)).await
}

async fn submit(state: AppState, ctx: Ctx, values: Values, mode: Mode) -> Result<Response, WebError> {
    let doc = values.to_doc();
    let save_mode = mode.clone();
    let viewer = ctx.viewer.clone();
    let base = values.version.trim().parse().ok();
    let outcome = state.write(move |store| save_document(store, &viewer, doc, &save_mode, base)).await?;
    let mut values = values;
    let (problems, status) = match outcome {
        Saved::Yes(key) => return Ok(Redirect::to(&format!("{}?saved=1", org_url(&key))).into_response()),
        Saved::No(problems) => (problems, StatusCode::UNPROCESSABLE_ENTITY),
        Saved::Meanwhile { problems, version } => {
            values.version = version.to_string();
            (problems, StatusCode::CONFLICT)
        }
    };
    let st = state.clone();
    state
        .compute(move |views| {
            let body = html(&form_page(&st, &ctx, views, &values, &problems, &mode))?;
            Ok((status, body).into_response())
        })
        .await
}
