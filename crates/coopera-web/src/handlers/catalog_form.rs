//! The forms that create and correct the capacities and demands of the catalog, and the API's
//! writes of them (`POST`/`PUT` of their documents). One save function per kind of record
//! ([`Kind::save`]) checks every problem at once, asks the access table on the record as
//! stored and as it would be, and writes it from the version the writer read: the form and
//! the API share it. The flow
//! around it — the form of a new or a stored record, a post saved or shown again with its
//! problems, the API's answers — is written once, over a [`Kind`] of record.
//!
//! A demand's workflow (its state, the capacities proposed, the activity agreed and the dates
//! of its steps) is not edited here: an edit keeps it as stored, and it moves by its own
//! steps (`demands`).

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use coopera_domain::access::{Action, Actor, Scope};
use coopera_domain::catalog::Capacity;
use coopera_domain::codelists::{COUNTRY, LANGUAGE, MX_STATE, SECTOR};
use coopera_domain::doc::{CapacityDoc, ContactDoc, DemandDoc, Reference, SectorDoc, TextDoc};
use coopera_domain::kinds::CapacityForm;
use coopera_domain::{Lang, Problem, Problems, Rule};
use coopera_store::{Record, RecordKind, Store, StoreError, Version, WriteOptions};
use serde::de::DeserializeOwned;

use super::activity_form::{AUTHOR, PCT, Saved, ShareRow, number, number_text, text_doc, text_pair};
use super::catalog::{capacity_detail, capacity_reach, capacity_url, language_name};
use super::demands::{allow_demand, demand_detail, demand_url};
pub(crate) use super::organisations::Mode;
use super::writes::{Refused, body, problems};
use crate::api::{CapacityUpdate, DemandUpdate, ErrorCode};
use crate::auth::Viewer;
use crate::error::WebError;
use crate::guard;
use crate::locale::Ctx;
use crate::state::{AppState, Views, Written};
use crate::views::{Chrome, Field, Opt, SelectField, field_id, html};

/// The languages offered as boxes to tick; others a record holds are shown too.
const LANGUAGES: [&str; 4] = ["es", "en", "fr", "pt"];

// ---------------------------------------------------------------------------------------------
// The kinds of record

/// What the catalog's forms and the API's writes need to know of a kind of record: its
/// documents, its form's values and page, its addresses, who may write it and how it is saved.
pub(crate) trait Kind: Send + Sync + 'static {
    /// The record's document: what the API takes and the form makes.
    type Doc: DeserializeOwned + Send + 'static;
    /// The API's body of an update: the version read and the document.
    type Update: DeserializeOwned + Send + 'static;
    /// What the form holds.
    type Values: Values<Doc = Self::Doc>;
    type Page: Template;
    const RECORD: RecordKind;
    /// The address of the form of a new one.
    const NEW: &'static str;

    fn url(key: &str) -> String;
    /// Whether the viewer may create one at all; a sign-in comes back to `next`.
    fn may_create(viewer: &Viewer, next: &str) -> Result<(), WebError>;
    /// The stored record's document, once the access table lets the viewer edit it.
    fn editable(store: &Store, viewer: &Viewer, key: &str, next: &str) -> Result<Self::Doc, WebError>;
    /// The stored record's document, if there is one.
    fn stored(store: &Store, key: &str) -> Result<Option<Self::Doc>, WebError>;
    /// Checks a document as the viewer may save it — every problem at once, then the access
    /// table on the record as stored and as it would be — and saves it (from version `base`,
    /// when given): the one write path of the form and of the API.
    fn save(
        store: &Store,
        viewer: &Viewer,
        doc: Self::Doc,
        mode: &Mode,
        base: Option<Version>,
    ) -> Result<Written<Saved>, WebError>;
    /// The form of a new one, as the viewer opens it.
    fn blank(viewer: &Viewer) -> Self::Values;
    fn page(form: &FormInput<'_, Self::Values>) -> Self::Page;
    /// What the API answers of the stored record.
    fn detail(store: &Store, key: &str) -> Result<serde_json::Value, WebError>;
    fn split(update: Self::Update) -> (Self::Doc, Version);
}

/// What a form's page is drawn from.
pub(crate) struct FormInput<'a, V> {
    pub st: &'a AppState,
    pub ctx: &'a Ctx,
    pub views: &'a Views,
    pub values: &'a V,
    pub problems: &'a [Problem],
    pub mode: &'a Mode,
    /// Whether "add a sector" was pressed: one more empty row.
    pub add: bool,
}

/// What a kind's form holds, as text: from a document, from a post, and back.
pub(crate) trait Values: Clone + Default + Send + 'static {
    type Doc;
    fn from_doc(doc: &Self::Doc) -> Self;
    fn from_form(posted: &Posted<'_>) -> Self;
    /// The document: these values, with what of `base` the form does not show.
    fn to_doc(&self, base: Option<&Self::Doc>) -> Self::Doc;
    fn key_mut(&mut self) -> &mut String;
    /// The version the form was opened at.
    fn version_mut(&mut self) -> &mut String;
}

/// The capacities of the catalog: an editor writes those of its institution.
#[derive(Debug)]
pub(crate) struct Capacities;

impl Kind for Capacities {
    type Doc = CapacityDoc;
    type Update = CapacityUpdate;
    type Values = CapacityValues;
    type Page = CapacityFormPage;
    const RECORD: RecordKind = RecordKind::Capacity;
    const NEW: &'static str = "/catalog/capacities/new";

    fn url(key: &str) -> String {
        capacity_url(key)
    }

    fn may_create(viewer: &Viewer, next: &str) -> Result<(), WebError> {
        guard::may_create(viewer, next)
    }

    fn editable(store: &Store, viewer: &Viewer, key: &str, next: &str) -> Result<CapacityDoc, WebError> {
        let stored = store.capacity(key)?.ok_or_else(|| WebError::not_found("capacity", key))?;
        guard::allow(viewer, Action::Edit, &capacity_reach(store, &stored)?, ("capacity", key), next)?;
        Ok(CapacityDoc::from_domain(&stored))
    }

    fn stored(store: &Store, key: &str) -> Result<Option<CapacityDoc>, WebError> {
        Ok(store.capacity(key)?.map(|c| CapacityDoc::from_domain(&c)))
    }

    /// An editor saves the capacities of its institution only.
    fn save(
        store: &Store,
        viewer: &Viewer,
        doc: CapacityDoc,
        mode: &Mode,
        base: Option<Version>,
    ) -> Result<Written<Saved>, WebError> {
        let next = next_of::<Capacities>(mode);
        match mode {
            Mode::Edit(k) => {
                Capacities::editable(store, viewer, k, &next)?;
            }
            Mode::Create => Capacities::may_create(viewer, &next)?,
        }
        let key = doc.key.trim().to_owned();
        let references = doc.references();
        let checked = doc.into_domain();
        let taken = store.capacity(&key)?.is_some();
        let problems = all_problems(store, &checked, &references, (mode, &key, taken))?;
        let capacity = match checked {
            Ok(c) if problems.is_empty() => c,
            _ => return Ok(Written::unchanged(Saved::No(problems))),
        };
        allow_capacity_as_saved(store, viewer, &capacity, mode, &next)?;
        store_record(store, viewer, Record::Capacity(capacity), key, base)
    }

    /// An editor's own institution is chosen already.
    fn blank(viewer: &Viewer) -> CapacityValues {
        let institution = match &viewer.actor {
            Actor::Account { scope: Scope::Organisation(k), .. } => k.to_string(),
            _ => String::new(),
        };
        CapacityValues { institution, languages: vec!["es".to_owned()], ..CapacityValues::default() }
    }

    fn page(form: &FormInput<'_, CapacityValues>) -> CapacityFormPage {
        capacity_form(form)
    }

    fn detail(store: &Store, key: &str) -> Result<serde_json::Value, WebError> {
        json(capacity_detail(store, key)?)
    }

    fn split(update: CapacityUpdate) -> (CapacityDoc, Version) {
        (update.document, update.version)
    }
}

/// The partners' demands: analysts and administrators write them.
#[derive(Debug)]
pub(crate) struct Demands;

impl Kind for Demands {
    type Doc = DemandDoc;
    type Update = DemandUpdate;
    type Values = DemandValues;
    type Page = DemandFormPage;
    const RECORD: RecordKind = RecordKind::Demand;
    const NEW: &'static str = "/catalog/demands/new";

    fn url(key: &str) -> String {
        demand_url(key)
    }

    fn may_create(viewer: &Viewer, next: &str) -> Result<(), WebError> {
        allow_demand(viewer, Action::Create, "", next)
    }

    fn editable(store: &Store, viewer: &Viewer, key: &str, next: &str) -> Result<DemandDoc, WebError> {
        allow_demand(viewer, Action::Edit, key, next)?;
        let stored = store.demand(key)?.ok_or_else(|| WebError::not_found("demand", key))?;
        Ok(DemandDoc::from_domain(&stored))
    }

    fn stored(store: &Store, key: &str) -> Result<Option<DemandDoc>, WebError> {
        Ok(store.demand(key)?.map(|d| DemandDoc::from_domain(&d)))
    }

    /// Analysts and administrators only; an edit keeps the stored workflow.
    fn save(
        store: &Store,
        viewer: &Viewer,
        mut doc: DemandDoc,
        mode: &Mode,
        base: Option<Version>,
    ) -> Result<Written<Saved>, WebError> {
        let next = next_of::<Demands>(mode);
        match mode {
            Mode::Edit(k) => keep_workflow(&mut doc, Demands::editable(store, viewer, k, &next)?),
            Mode::Create => Demands::may_create(viewer, &next)?,
        }
        let key = doc.key.trim().to_owned();
        let references = doc.references();
        let checked = doc.into_domain();
        let taken = store.demand(&key)?.is_some();
        let problems = all_problems(store, &checked, &references, (mode, &key, taken))?;
        match checked {
            Ok(d) if problems.is_empty() => store_record(store, viewer, Record::Demand(d), key, base),
            _ => Ok(Written::unchanged(Saved::No(problems))),
        }
    }

    /// Received today.
    fn blank(_: &Viewer) -> DemandValues {
        DemandValues {
            received: time::OffsetDateTime::now_utc().date().to_string(),
            languages: vec!["es".to_owned()],
            ..DemandValues::default()
        }
    }

    fn page(form: &FormInput<'_, DemandValues>) -> DemandFormPage {
        demand_form(form)
    }

    fn detail(store: &Store, key: &str) -> Result<serde_json::Value, WebError> {
        json(demand_detail(store, key)?)
    }

    fn split(update: DemandUpdate) -> (DemandDoc, Version) {
        (update.document, update.version)
    }
}

// ---------------------------------------------------------------------------------------------
// Saving, for the forms and the API

/// The problems of a record's key: taken on creation, changed on an edit.
pub(super) fn key_problems(mode: &Mode, key: &str, taken: bool, problems: &mut Vec<Problem>) {
    match mode {
        Mode::Create if !key.is_empty() && taken => {
            problems.push(Problem::new("key", Some(key), Rule::Duplicate));
        }
        Mode::Edit(k) if key != k => {
            let rule = Rule::Changed { stored: Some(k.clone()), new: Some(key.to_owned()) };
            problems.push(Problem::new("key", Some(key), rule));
        }
        _ => {}
    }
}

/// Every problem of a document at once: its own (`checked`), its references to records
/// that do not exist, and its key's.
pub(super) fn all_problems<T>(
    store: &Store,
    checked: &Result<T, Problems>,
    references: &[Reference],
    (mode, key, taken): (&Mode, &str, bool),
) -> Result<Vec<Problem>, WebError> {
    let mut problems = checked.as_ref().err().map(|p| p.0.clone()).unwrap_or_default();
    problems.extend(store.check_references(references)?.0);
    key_problems(mode, key, taken, &mut problems);
    Ok(problems)
}

/// Writes a checked record from version `base`; one saved meanwhile is answered with who
/// saved it and what differs.
pub(super) fn store_record(
    store: &Store,
    viewer: &Viewer,
    record: Record,
    key: String,
    base: Option<Version>,
) -> Result<Written<Saved>, WebError> {
    let how = WriteOptions { base, address: Some(viewer.address.clone()), ..WriteOptions::default() };
    let author = viewer.name().unwrap_or(AUTHOR).to_owned();
    match store.write(&author, vec![record.clone()], how) {
        Err(StoreError::Stale { current, .. }) => {
            let problems = guard::changed_meanwhile(store, &record)?;
            Ok(Written::unchanged(Saved::Meanwhile { problems, version: current }))
        }
        result => Ok(Written::of(result, key)?.map(Saved::from)),
    }
}

/// Where a sign-in brings the browser back to: the form.
pub(super) fn next_of<K: Kind>(mode: &Mode) -> String {
    match mode {
        Mode::Create => K::NEW.to_owned(),
        Mode::Edit(k) => format!("{}/edit", K::url(k)),
    }
}

/// Whether the viewer may save a capacity as it would be: in an editor's scope by its
/// institution; a new one in the state its document asks, a stored one in its own.
pub(crate) fn allow_capacity_as_saved(
    store: &Store,
    viewer: &Viewer,
    capacity: &Capacity,
    mode: &Mode,
    next: &str,
) -> Result<(), WebError> {
    let record = Record::Capacity(capacity.clone());
    super::subnational_form::allow_as_saved(store, viewer, &record, mode, next)
}

/// A demand's workflow as stored, over a document that is edited.
fn keep_workflow(doc: &mut DemandDoc, stored: DemandDoc) {
    doc.state = stored.state;
    doc.proposed = stored.proposed;
    doc.activity = stored.activity;
    doc.answered = stored.answered;
    doc.agreed = stored.agreed;
    doc.settled = stored.settled;
}

// ---------------------------------------------------------------------------------------------
// The API's writes

/// The answer to a write of the API: the record as stored (201 with its address when
/// created), or its problems (422), or what changed meanwhile (409).
fn answered(saved: Saved, created: bool, detail: serde_json::Value, location: &str, lang: Lang) -> Response {
    match saved {
        Saved::Yes(_) => {
            let status = if created { StatusCode::CREATED } else { StatusCode::OK };
            let mut response = (status, axum::Json(detail)).into_response();
            if created && let Ok(v) = location.parse() {
                response.headers_mut().insert(header::LOCATION, v);
            }
            response
        }
        Saved::No(p) => problems(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidRecord, &p, lang),
        Saved::Meanwhile { problems: p, .. } => problems(StatusCode::CONFLICT, ErrorCode::Conflict, &p, lang),
    }
}

pub(super) fn json<T: serde::Serialize>(value: T) -> Result<serde_json::Value, WebError> {
    serde_json::to_value(value).map_err(|e| WebError::internal(format!("json: {e}")))
}

async fn api_answer<K: Kind>(state: &AppState, saved: Saved, created: bool, lang: Lang) -> Result<Response, WebError> {
    let Saved::Yes(key) = &saved else { return Ok(answered(saved, created, serde_json::Value::Null, "", lang)) };
    let k = key.clone();
    let detail = state.read(move |store, _| K::detail(store, &k)).await?;
    let location = format!("/api/v1{}", K::url(key));
    Ok(answered(saved, created, detail, &location, lang))
}

/// `POST /api/v1/catalog/capacities`, `POST /api/v1/catalog/demands`
pub(crate) async fn api_create<K: Kind>(
    State(state): State<AppState>,
    ctx: Ctx,
    bytes: Bytes,
) -> Result<Response, Refused> {
    ctx.viewer.require("")?;
    let doc: K::Doc = body(&bytes, ctx.lang)?;
    let viewer = ctx.viewer.clone();
    let saved = state.write(move |store| K::save(store, &viewer, doc, &Mode::Create, None)).await?;
    Ok(api_answer::<K>(&state, saved, true, ctx.lang).await?)
}

/// `PUT /api/v1/catalog/capacities/{key}`, `PUT /api/v1/catalog/demands/{key}`
pub(crate) async fn api_update<K: Kind>(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    bytes: Bytes,
) -> Result<Response, Refused> {
    ctx.viewer.require("")?;
    let (doc, version) = K::split(body(&bytes, ctx.lang)?);
    let viewer = ctx.viewer.clone();
    let mode = Mode::Edit(key);
    let saved = state.write(move |store| K::save(store, &viewer, doc, &mode, Some(version))).await?;
    Ok(api_answer::<K>(&state, saved, false, ctx.lang).await?)
}

// ---------------------------------------------------------------------------------------------
// What a form posts

/// The fields of a posted form.
pub(crate) struct Posted<'a>(&'a [(String, String)]);

impl Posted<'_> {
    pub(super) fn get(&self, name: &str) -> String {
        self.0.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default()
    }

    pub(super) fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(n, v)| n == name && !v.trim().is_empty()).map(|(_, v)| v.trim().to_owned()).collect()
    }

    pub(super) fn pair(&self, name: &str) -> [String; 2] {
        [self.get(&format!("{name}.es")), self.get(&format!("{name}.en"))]
    }

    /// The rows of `sectors[i].code` and `sectors[i].percentage`, in order, blank ones left out.
    fn sectors(&self) -> Vec<[String; 2]> {
        let mut rows: BTreeMap<usize, [String; 2]> = BTreeMap::new();
        for (name, value) in self.0 {
            let Some(rest) = name.strip_prefix("sectors[") else { continue };
            let Some((index, field)) = rest.split_once("].") else { continue };
            let Ok(i) = index.parse::<usize>() else { continue };
            let row = rows.entry(i).or_default();
            match field {
                "code" => row[0] = value.trim().to_owned(),
                "percentage" => row[1] = value.trim().to_owned(),
                _ => {}
            }
        }
        rows.into_values().filter(|r| r.iter().any(|v| !v.is_empty())).collect()
    }

    /// Whether "add a sector" was pressed rather than "save".
    fn adds_a_row(&self) -> bool {
        self.0.iter().any(|(n, v)| n == "add" && v == "sectors") && !self.0.iter().any(|(n, _)| n == "save")
    }
}

/// The DAC sectors of a document as the form's rows; the others are kept when saving.
fn sector_rows(sectors: &[SectorDoc]) -> Vec<[String; 2]> {
    sectors
        .iter()
        .filter(|s| s.vocabulary.as_deref().is_none_or(|v| v == "1"))
        .map(|s| [s.code.clone(), s.percentage.as_ref().map(number_text).unwrap_or_default()])
        .collect()
}

/// The form's rows as sectors, then those of `base` of other vocabularies, which the form
/// does not show.
fn sector_docs(rows: &[[String; 2]], base: &[SectorDoc]) -> Vec<SectorDoc> {
    let mut out: Vec<SectorDoc> = rows
        .iter()
        .map(|[code, pct]| SectorDoc { vocabulary: None, code: code.clone(), percentage: number(pct) })
        .collect();
    out.extend(base.iter().filter(|s| s.vocabulary.as_deref().is_some_and(|v| v != "1")).cloned());
    out
}

pub(super) fn opt(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.trim().to_owned())
}

/// The form's capacity.
#[derive(Debug, Clone, Default)]
pub(crate) struct CapacityValues {
    key: String,
    title: [String; 2],
    description: [String; 2],
    institution: String,
    sectors: Vec<[String; 2]>,
    forms: Vec<String>,
    languages: Vec<String>,
    /// Name, e-mail, phone.
    contact: [String; 3],
    /// Activity identifiers, one a line.
    evidence: String,
    version: String,
}

impl Values for CapacityValues {
    type Doc = CapacityDoc;

    fn from_doc(d: &CapacityDoc) -> CapacityValues {
        CapacityValues {
            key: d.key.clone(),
            title: text_pair(Some(&d.title)),
            description: text_pair(d.description.as_ref()),
            institution: d.institution.clone(),
            sectors: sector_rows(&d.sectors),
            forms: d.forms.clone(),
            languages: d.languages.clone(),
            contact: [
                d.contact.name.clone().unwrap_or_default(),
                d.contact.email.clone().unwrap_or_default(),
                d.contact.phone.clone().unwrap_or_default(),
            ],
            evidence: d.evidence.join("\n"),
            version: String::new(),
        }
    }

    fn from_form(posted: &Posted<'_>) -> CapacityValues {
        CapacityValues {
            key: posted.get("key"),
            title: posted.pair("title"),
            description: posted.pair("description"),
            institution: posted.get("institution"),
            sectors: posted.sectors(),
            forms: posted.all("forms"),
            languages: posted.all("languages"),
            contact: [posted.get("contact.name"), posted.get("contact.email"), posted.get("contact.phone")],
            evidence: posted.get("evidence"),
            version: posted.get("version"),
        }
    }

    /// The document: these values, with the sectors of `base` the form does not show.
    fn to_doc(&self, base: Option<&CapacityDoc>) -> CapacityDoc {
        CapacityDoc {
            key: self.key.clone(),
            title: text_doc(&self.title).unwrap_or(TextDoc::Plain(String::new())),
            description: text_doc(&self.description),
            institution: self.institution.clone(),
            sectors: sector_docs(&self.sectors, base.map_or(&[], |b| &b.sectors)),
            forms: self.forms.clone(),
            languages: self.languages.clone(),
            contact: ContactDoc {
                name: opt(&self.contact[0]),
                email: opt(&self.contact[1]),
                phone: opt(&self.contact[2]),
            },
            evidence: self
                .evidence
                .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            // A new capacity is a draft; a stored one keeps its state (the store sees to it).
            workflow: None,
        }
    }

    fn key_mut(&mut self) -> &mut String {
        &mut self.key
    }

    fn version_mut(&mut self) -> &mut String {
        &mut self.version
    }
}

/// The form's demand (its workflow is not the form's).
#[derive(Debug, Clone, Default)]
pub(crate) struct DemandValues {
    key: String,
    title: [String; 2],
    description: [String; 2],
    requester: String,
    sectors: Vec<[String; 2]>,
    forms: Vec<String>,
    country: String,
    mx_state: String,
    received: String,
    languages: Vec<String>,
    version: String,
}

impl Values for DemandValues {
    type Doc = DemandDoc;

    fn from_doc(d: &DemandDoc) -> DemandValues {
        DemandValues {
            key: d.key.clone(),
            title: text_pair(Some(&d.title)),
            description: text_pair(d.description.as_ref()),
            requester: d.requester.clone(),
            sectors: sector_rows(&d.sectors),
            forms: d.forms.clone(),
            country: d.country.clone().unwrap_or_default(),
            mx_state: d.mx_state.clone().unwrap_or_default(),
            received: d.received.clone().unwrap_or_default(),
            languages: d.languages.clone(),
            version: String::new(),
        }
    }

    fn from_form(posted: &Posted<'_>) -> DemandValues {
        DemandValues {
            key: posted.get("key"),
            title: posted.pair("title"),
            description: posted.pair("description"),
            requester: posted.get("requester"),
            sectors: posted.sectors(),
            forms: posted.all("forms"),
            country: posted.get("country").to_ascii_uppercase(),
            mx_state: posted.get("mx_state"),
            received: posted.get("received"),
            languages: posted.all("languages"),
            version: posted.get("version"),
        }
    }

    fn to_doc(&self, base: Option<&DemandDoc>) -> DemandDoc {
        DemandDoc {
            key: self.key.clone(),
            title: text_doc(&self.title).unwrap_or(TextDoc::Plain(String::new())),
            description: text_doc(&self.description),
            requester: self.requester.clone(),
            sectors: sector_docs(&self.sectors, base.map_or(&[], |b| &b.sectors)),
            forms: self.forms.clone(),
            country: opt(&self.country),
            mx_state: opt(&self.mx_state),
            received: opt(&self.received),
            languages: self.languages.clone(),
            state: None,
            proposed: Vec::new(),
            activity: None,
            answered: None,
            agreed: None,
            settled: None,
        }
    }

    fn key_mut(&mut self) -> &mut String {
        &mut self.key
    }

    fn version_mut(&mut self) -> &mut String {
        &mut self.version
    }
}

// ---------------------------------------------------------------------------------------------
// The form pages

/// A box to tick.
#[derive(Debug, Clone)]
pub(crate) struct Check {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// Boxes to tick under one name (`forms`, `languages`), with the problems of the list.
#[derive(Debug, Clone)]
pub(crate) struct CheckGroup {
    pub name: &'static str,
    pub legend: String,
    pub hint: Option<String>,
    pub options: Vec<Check>,
    pub errors: Vec<String>,
}

/// The form field a problem path belongs to: texts at their Spanish field, the items of a
/// list at the list.
fn field_of(path: &str) -> String {
    let list = path.split_once('[').map_or(path, |(l, _)| l);
    match path {
        "title" | "description" | "purpose" | "outcome" | "scope" => format!("{path}.es"),
        p if p.starts_with("sectors[") && !p.contains("].") => format!("{p}.code"),
        _ if matches!(list, "forms" | "languages" | "evidence" | "activities") => list.to_owned(),
        p => p.to_owned(),
    }
}

/// Builds fields, taking their problems and listing them in the summary, in form order.
pub(super) struct Builder {
    pub(super) lang: Lang,
    errors: BTreeMap<String, Vec<String>>,
    pub(super) summary: Vec<(String, String)>,
}

impl Builder {
    pub(super) fn new(problems: &[Problem], lang: Lang) -> Builder {
        let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for p in problems {
            let m = match &p.value {
                Some(v) if !v.is_empty() => format!("«{v}»: {}", p.rule_message(lang)),
                _ => p.rule_message(lang),
            };
            errors.entry(field_of(&p.path)).or_default().push(m);
        }
        Builder { lang, errors, summary: Vec::new() }
    }

    pub(super) fn field(&mut self, name: &str, label: &str, value: &str) -> Field {
        let errors = self.errors.remove(name).unwrap_or_default();
        let id = field_id(name);
        for e in &errors {
            self.summary.push((id.clone(), format!("{label}: {e}")));
        }
        Field {
            name: name.to_owned(),
            id,
            label: label.to_owned(),
            value: value.to_owned(),
            errors,
            required_text: self.lang.pick("obligatorio", "required"),
            ..Field::default()
        }
    }

    pub(super) fn required(&mut self, name: &str, label: &str, value: &str) -> Field {
        Field { required: true, ..self.field(name, label, value) }
    }

    pub(super) fn select(
        &mut self,
        name: &str,
        label: &str,
        value: &str,
        options: Vec<(String, String)>,
    ) -> SelectField {
        let field = self.field(name, label, value);
        let mut opts = vec![Opt::new("", self.lang.pick("— elija —", "— choose —"), value.is_empty())];
        let mut found = value.is_empty();
        for (code, text) in options {
            let selected = code == value;
            found |= selected;
            opts.push(Opt::new(code, text, selected));
        }
        if !found {
            opts.push(Opt::new(value, value, true));
        }
        SelectField { field, options: opts }
    }

    /// Problems of a whole list, at its fieldset.
    pub(super) fn group(&mut self, name: &str, label: &str) -> Vec<String> {
        let errors = self.errors.remove(name).unwrap_or_default();
        for e in &errors {
            self.summary.push((name.to_owned(), format!("{label}: {e}")));
        }
        errors
    }

    fn checks(
        &mut self,
        name: &'static str,
        legend: &str,
        options: Vec<(String, String)>,
        chosen: &[String],
    ) -> CheckGroup {
        let mut options: Vec<Check> = options
            .into_iter()
            .map(|(value, label)| Check { checked: chosen.contains(&value), value, label })
            .collect();
        let others: Vec<Check> = chosen
            .iter()
            .filter(|c| !options.iter().any(|o| &o.value == *c))
            .map(|c| Check { value: c.clone(), label: c.clone(), checked: true })
            .collect();
        options.extend(others);
        CheckGroup { name, legend: legend.to_owned(), hint: None, errors: self.group(name, legend), options }
    }

    fn sectors(&mut self, values: &[[String; 2]], add: bool) -> Vec<ShareRow> {
        let lang = self.lang;
        let n = values.len().saturating_add(1).saturating_add(usize::from(add));
        (0..n)
            .map(|i| {
                let v = values.get(i).cloned().unwrap_or_default();
                let label = format!("{} {}", lang.pick("Sector CAD", "DAC sector"), i.saturating_add(1));
                let mut code = self.field(&format!("sectors[{i}].code"), &label, &v[0]);
                code.list = Some("dl-sector");
                let mut percentage =
                    self.field(&format!("sectors[{i}].percentage"), lang.pick("Porcentaje", "Percentage"), &v[1]);
                percentage.extra = Some(PCT);
                ShareRow { code, percentage }
            })
            .collect()
    }

    /// Problems at no field of the form, in the summary.
    pub(super) fn rest(&mut self) {
        for (path, messages) in std::mem::take(&mut self.errors) {
            for m in messages {
                let m = if path.is_empty() { m } else { format!("{path}: {m}") };
                self.summary.push(("error-summary".to_owned(), m));
            }
        }
    }
}

fn form_options(lang: Lang) -> Vec<(String, String)> {
    CapacityForm::ALL.iter().map(|f| (f.code().to_owned(), f.label(lang).to_owned())).collect()
}

fn language_options(lang: Lang) -> Vec<(String, String)> {
    LANGUAGES
        .iter()
        .map(|c| {
            ((*c).to_owned(), LANGUAGE.get(c).map_or_else(|| (*c).to_owned(), |l| language_name(l, lang).to_owned()))
        })
        .collect()
}

/// The organisations, by name, with their acronyms.
pub(super) fn organisations(views: &Views, lang: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = views
        .registry
        .organisations()
        .iter()
        .map(|o| {
            let name = o.name(lang);
            let label = match &o.acronym {
                Some(a) if !name.contains(a.as_str()) => format!("{name} ({a})"),
                _ => name.to_owned(),
            };
            (o.key.clone(), label)
        })
        .collect();
    out.sort_by_cached_key(|o| crate::registry::fold(&o.1));
    out
}

fn datalists(lang: Lang) -> Vec<(&'static str, Vec<(String, String)>)> {
    let list = |codes: &'static [coopera_domain::codelists::Code]| {
        codes.iter().filter(|c| !c.withdrawn).map(|c| (c.code.to_owned(), c.name(lang).to_owned())).collect()
    };
    vec![("dl-sector", list(SECTOR.codes)), ("dl-country", list(COUNTRY.codes))]
}

/// The links to the spreadsheet upload and its template, on the form of a new record.
fn bulk(mode: &Mode, lang: Lang) -> Vec<(String, String)> {
    match mode {
        Mode::Create => super::catalog_import::links(lang).into(),
        Mode::Edit(_) => Vec::new(),
    }
}

/// Where a form goes and comes back to: its heading, its action and the back link.
pub(super) fn frame<K: Kind>(mode: &Mode, lang: Lang, what: [&str; 2], list: &str) -> [String; 3] {
    match mode {
        Mode::Create => [lang.pick(what[0], what[1]).to_owned(), K::NEW.to_owned(), list.to_owned()],
        Mode::Edit(k) => [format!("{}: {k}", lang.pick("Editar", "Edit")), format!("{}/edit", K::url(k)), K::url(k)],
    }
}

#[derive(Template)]
#[template(path = "catalog_capacity_form.html")]
pub(crate) struct CapacityFormPage {
    pub c: Chrome,
    pub back_url: String,
    pub back_label: String,
    pub heading: String,
    /// On a new one's form: the spreadsheet upload and its template, for many at once.
    pub bulk: Vec<(String, String)>,
    pub summary: Vec<(String, String)>,
    pub action: String,
    pub version: String,
    pub key: Field,
    pub title_es: Field,
    pub title_en: Field,
    pub description_es: Field,
    pub description_en: Field,
    pub institution: SelectField,
    pub sectors: Vec<ShareRow>,
    pub sectors_errors: Vec<String>,
    pub forms: CheckGroup,
    pub languages: CheckGroup,
    pub contact_name: Field,
    pub contact_email: Field,
    pub contact_phone: Field,
    pub evidence: Field,
    pub datalists: Vec<(&'static str, Vec<(String, String)>)>,
}

pub(super) fn key_field(b: &mut Builder, value: &str, mode: &Mode, example: &str) -> Field {
    let lang = b.lang;
    let mut key = b.required("key", lang.pick("Clave", "Key"), value);
    key.readonly = matches!(mode, Mode::Edit(_));
    key.hint = Some(match lang {
        Lang::Es => format!("Minúsculas, dígitos y guiones, p. ej. {example}"),
        Lang::En => format!("Lowercase letters, digits and dashes, e.g. {example}"),
    });
    key
}

fn capacity_form(form: &FormInput<'_, CapacityValues>) -> CapacityFormPage {
    let FormInput { st, ctx, views, values: v, problems, mode, add } = *form;
    let lang = ctx.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut b = Builder::new(problems, lang);
    let key = key_field(&mut b, &v.key, mode, "cap-manejo-de-cuencas");
    let title_es = b.required("title.es", l("Título (español)", "Title (Spanish)"), &v.title[0]);
    let title_en = b.field("title.en", l("Título (inglés)", "Title (English)"), &v.title[1]);
    let description_es =
        b.field("description.es", l("Descripción (español)", "Description (Spanish)"), &v.description[0]);
    let description_en =
        b.field("description.en", l("Descripción (inglés)", "Description (English)"), &v.description[1]);
    let mut institution = b.select(
        "institution",
        l("Institución que la ofrece", "Institution that offers it"),
        &v.institution,
        organisations(views, lang),
    );
    institution.field.required = true;
    let sectors_errors = b.group("sectors", l("Sectores", "Sectors"));
    let sectors = b.sectors(&v.sectors, add);
    let forms = b.checks("forms", l("Formas que puede tomar", "Forms it can take"), form_options(lang), &v.forms);
    let languages = b.checks("languages", l("Idiomas", "Languages"), language_options(lang), &v.languages);
    let contact_name = b.field("contact.name", l("Contacto: nombre", "Contact: name"), &v.contact[0]);
    let contact_email = b.field("contact.email", l("Contacto: correo", "Contact: e-mail"), &v.contact[1]);
    let contact_phone = b.field("contact.phone", l("Contacto: teléfono", "Contact: phone"), &v.contact[2]);
    let mut evidence = b.field("evidence", l("Actividades que la demuestran", "Activities that prove it"), &v.evidence);
    evidence.hint = Some(l("Identificadores IATI, uno por línea", "IATI identifiers, one a line").to_owned());
    b.rest();
    let [heading, action, back_url] = frame::<Capacities>(mode, lang, ["Nueva capacidad", "New capacity"], "/catalog");
    let back_label = match mode {
        Mode::Create => l("← Catálogo", "← Catalog"),
        Mode::Edit(_) => l("← Volver a la capacidad", "← Back to the capacity"),
    };
    CapacityFormPage {
        c: Chrome::new(ctx, st, heading.clone(), "catalog"),
        back_url,
        back_label: back_label.to_owned(),
        heading,
        bulk: bulk(mode, lang),
        summary: b.summary,
        action,
        version: v.version.clone(),
        key,
        title_es,
        title_en,
        description_es,
        description_en,
        institution,
        sectors,
        sectors_errors,
        forms,
        languages,
        contact_name,
        contact_email,
        contact_phone,
        evidence,
        datalists: datalists(lang),
    }
}

#[derive(Template)]
#[template(path = "catalog_demand_form.html")]
pub(crate) struct DemandFormPage {
    pub c: Chrome,
    pub back_url: String,
    pub back_label: String,
    pub heading: String,
    /// On a new one's form: the spreadsheet upload and its template, for many at once.
    pub bulk: Vec<(String, String)>,
    pub summary: Vec<(String, String)>,
    pub action: String,
    pub version: String,
    pub key: Field,
    pub title_es: Field,
    pub title_en: Field,
    pub description_es: Field,
    pub description_en: Field,
    pub requester: SelectField,
    pub country: Field,
    pub mx_state: SelectField,
    pub received: Field,
    pub sectors: Vec<ShareRow>,
    pub sectors_errors: Vec<String>,
    pub forms: CheckGroup,
    pub languages: CheckGroup,
    pub datalists: Vec<(&'static str, Vec<(String, String)>)>,
}

fn demand_form(form: &FormInput<'_, DemandValues>) -> DemandFormPage {
    let FormInput { st, ctx, views, values: v, problems, mode, add } = *form;
    let lang = ctx.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut b = Builder::new(problems, lang);
    let key = key_field(&mut b, &v.key, mode, "sol-gt-incendios");
    let title_es = b.required("title.es", l("Título (español)", "Title (Spanish)"), &v.title[0]);
    let title_en = b.field("title.en", l("Título (inglés)", "Title (English)"), &v.title[1]);
    let description_es =
        b.field("description.es", l("Descripción (español)", "Description (Spanish)"), &v.description[0]);
    let description_en =
        b.field("description.en", l("Descripción (inglés)", "Description (English)"), &v.description[1]);
    let mut requester =
        b.select("requester", l("Quién la solicita", "Who asks"), &v.requester, organisations(views, lang));
    requester.field.required = true;
    let mut country = b.field("country", l("País (ISO 3166-1)", "Country (ISO 3166-1)"), &v.country);
    country.list = Some("dl-country");
    let mx_state = b.select(
        "mx_state",
        l("Entidad federativa", "Mexican state"),
        &v.mx_state,
        MX_STATE.codes.iter().map(|c| (c.code.to_owned(), c.name(lang).to_owned())).collect(),
    );
    let received = b.field("received", l("Recibida", "Received"), &v.received);
    let sectors_errors = b.group("sectors", l("Sectores", "Sectors"));
    let sectors = b.sectors(&v.sectors, add);
    let forms = b.checks(
        "forms",
        l("Formas de cooperación pedidas", "Forms of cooperation asked for"),
        form_options(lang),
        &v.forms,
    );
    let languages = b.checks("languages", l("Idiomas", "Languages"), language_options(lang), &v.languages);
    b.rest();
    let [heading, action, back_url] =
        frame::<Demands>(mode, lang, ["Nueva solicitud", "New demand"], "/catalog/demands");
    let back_label = match mode {
        Mode::Create => l("← Solicitudes", "← Demands"),
        Mode::Edit(_) => l("← Volver a la solicitud", "← Back to the demand"),
    };
    DemandFormPage {
        c: Chrome::new(ctx, st, heading.clone(), "catalog"),
        back_url,
        back_label: back_label.to_owned(),
        heading,
        bulk: bulk(mode, lang),
        summary: b.summary,
        action,
        version: v.version.clone(),
        key,
        title_es,
        title_en,
        description_es,
        description_en,
        requester,
        country,
        mx_state,
        received,
        sectors,
        sectors_errors,
        forms,
        languages,
        datalists: datalists(lang),
    }
}

// ---------------------------------------------------------------------------------------------
// The form handlers

/// `GET /catalog/capacities/new`, `GET /catalog/demands/new`
pub(crate) async fn new_form<K: Kind>(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    K::may_create(&ctx.viewer, K::NEW)?;
    let st = state.clone();
    state
        .compute(move |views| {
            let v = K::blank(&ctx.viewer);
            let form =
                FormInput { st: &st, ctx: &ctx, views, values: &v, problems: &[], mode: &Mode::Create, add: false };
            Ok(html(&K::page(&form))?.into_response())
        })
        .await
}

/// `GET /catalog/capacities/{key}/edit`, `GET /catalog/demands/{key}/edit`
pub(crate) async fn edit_form<K: Kind>(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
) -> Result<Response, WebError> {
    let st = state.clone();
    state
        .read(move |store, views| {
            let next = format!("{}/edit", K::url(&key));
            let mut v = K::Values::from_doc(&K::editable(store, &ctx.viewer, &key, &next)?);
            *v.version_mut() = store.version(K::RECORD, &key)?.unwrap_or_default().to_string();
            let mode = Mode::Edit(key.clone());
            let form = FormInput { st: &st, ctx: &ctx, views, values: &v, problems: &[], mode: &mode, add: false };
            Ok(html(&K::page(&form))?.into_response())
        })
        .await
}

/// `POST /catalog/capacities/new`, `POST /catalog/demands/new`
pub(crate) async fn create<K: Kind>(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    submit::<K>(state, ctx, &fields, Mode::Create).await
}

/// `POST /catalog/capacities/{key}/edit`, `POST /catalog/demands/{key}/edit`
pub(crate) async fn update<K: Kind>(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    submit::<K>(state, ctx, &fields, Mode::Edit(key)).await
}

/// The status a refused save answers with, and the version the form goes on from.
fn refusal(saved: Saved, version: &mut String) -> Result<(Vec<Problem>, StatusCode), String> {
    match saved {
        Saved::Yes(key) => Err(key),
        Saved::No(p) => Ok((p, StatusCode::UNPROCESSABLE_ENTITY)),
        Saved::Meanwhile { problems, version: now } => {
            *version = now.to_string();
            Ok((problems, StatusCode::CONFLICT))
        }
    }
}

/// Checks and saves the posted record, or shows the form again: with its problems, or with
/// one more sector row where "add" was pressed (nothing is saved then).
async fn submit<K: Kind>(
    state: AppState,
    ctx: Ctx,
    fields: &[(String, String)],
    mode: Mode,
) -> Result<Response, WebError> {
    let posted = Posted(fields);
    let mut values = K::Values::from_form(&posted);
    if let Mode::Edit(k) = &mode {
        *values.key_mut() = k.clone();
    }
    let (problems, status) = if posted.adds_a_row() {
        (Vec::new(), StatusCode::OK)
    } else {
        let (mut saving, save_mode, viewer) = (values.clone(), mode.clone(), ctx.viewer.clone());
        let saved = state
            .write(move |store| {
                let base = match &save_mode {
                    Mode::Edit(k) => K::stored(store, k)?,
                    Mode::Create => None,
                };
                let doc = saving.to_doc(base.as_ref());
                let version = saving.version_mut().parse().ok();
                K::save(store, &viewer, doc, &save_mode, version)
            })
            .await?;
        match refusal(saved, values.version_mut()) {
            Err(key) => return Ok(Redirect::to(&format!("{}?saved=1", K::url(&key))).into_response()),
            Ok(refused) => refused,
        }
    };
    let add = status == StatusCode::OK;
    let st = state.clone();
    state
        .compute(move |views| {
            let form = FormInput { st: &st, ctx: &ctx, views, values: &values, problems: &problems, mode: &mode, add };
            let body = html(&K::page(&form))?;
            Ok((status, body).into_response())
        })
        .await
}
