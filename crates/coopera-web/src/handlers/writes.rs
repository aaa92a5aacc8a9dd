//! Writes through the API: `POST /api/v1/activities`, `PUT /api/v1/activities/{id}`,
//! `POST /api/v1/activities/{id}/transitions`, and `POST`/`PUT` of organisations. A token in
//! `Authorization: Bearer` says who writes; the access table, the checks and the messages
//! are the forms' own (the same functions save both); problems come back as JSON with a
//! stable code and each problem at its field; a write over a newer version answers 409.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use coopera_domain::access::Action;
use coopera_domain::doc::{ActivityDoc, OrganisationDoc};
use coopera_domain::kinds::WorkflowState;
use coopera_domain::{Lang, Problem};
use coopera_store::{RecordKind, Store, StoreError};
use serde::de::DeserializeOwned;

use super::activity_form::{self, Saved};
use super::organisations;
use super::{activity_url, org_url};
use crate::api::{
    ActivityDetail, ActivityUpdate, Derived, ErrorBody, ErrorCode, ErrorDetail, Links, OrganisationDetail,
    OrganisationUpdate, ProblemEntry, TransitionRequest,
};
use crate::auth::Viewer;
use crate::error::WebError;
use crate::guard;
use crate::locale::Ctx;
use crate::state::{AppState, Written};

/// A JSON body; what is wrong with it, and where, as 400 when it is not JSON at all and as
/// 422 `invalid_record` when it is JSON of another shape (a number where a code goes, a field
/// the document does not have).
fn body<T: DeserializeOwned>(bytes: &Bytes, lang: Lang) -> Result<T, Box<Response>> {
    serde_json::from_slice(bytes).map_err(|e| {
        let (es, en) =
            (format!("el cuerpo no es el JSON esperado: {e}"), format!("the body is not the JSON expected: {e}"));
        if e.is_data() {
            let entry = ProblemEntry { path: String::new(), value: None, message: lang.pick(&es, &en).to_owned() };
            let detail =
                ErrorDetail { code: ErrorCode::InvalidRecord, message: entry.message.clone(), problems: vec![entry] };
            Box::new((StatusCode::UNPROCESSABLE_ENTITY, Json(ErrorBody { error: detail })).into_response())
        } else {
            Box::new(WebError::malformed(es, en).into_response())
        }
    })
}

/// 422 (or 409) with every problem at its field, in the request's language.
fn problems(status: StatusCode, code: ErrorCode, problems: &[Problem], lang: Lang) -> Response {
    let message = match (code, lang) {
        (ErrorCode::Conflict, _) => problems.first().map(|p| p.message(lang)).unwrap_or_default(),
        (_, Lang::Es) => format!("{} problema(s); no se guardó nada", problems.len()),
        (_, Lang::En) => format!("{} problem(s); nothing was saved", problems.len()),
    };
    let entries = problems
        .iter()
        .map(|p| ProblemEntry { path: p.path.clone(), value: p.value.clone(), message: p.message(lang) })
        .collect();
    (status, Json(ErrorBody { error: ErrorDetail { code, message, problems: entries } })).into_response()
}

/// An activity as the API shows it.
pub(crate) fn activity_detail(store: &Store, id: &str) -> Result<ActivityDetail, WebError> {
    let stored = store.activity(id)?.ok_or_else(|| WebError::not_found("activity", id))?;
    Ok(ActivityDetail {
        version: store.version(RecordKind::Activity, id)?.unwrap_or_default(),
        derived: Derived {
            direction: stored.derived.direction.map(|d| d.code()),
            decentralised: stored.derived.decentralised,
            cross_border: stored.derived.cross_border,
        },
        document: ActivityDoc::from_domain(&stored.activity).into(),
        links: Links { html: activity_url(id) },
        id: id.to_owned(),
    })
}

/// The answer to a saved activity: its detail, or its problems.
fn answer(state: &AppState, saved: Saved, created: bool, lang: Lang) -> Result<Response, WebError> {
    match saved {
        Saved::Yes(key) => {
            let detail = state.blocking_read(|store, _| activity_detail(store, &key))?;
            let status = if created { StatusCode::CREATED } else { StatusCode::OK };
            let mut response = (status, Json(detail)).into_response();
            if created && let Ok(v) = format!("/api/v1{}", activity_url(&key)).parse() {
                response.headers_mut().insert(header::LOCATION, v);
            }
            Ok(response)
        }
        Saved::No(p) => Ok(problems(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidRecord, &p, lang)),
        Saved::Meanwhile { problems: p, .. } => Ok(problems(StatusCode::CONFLICT, ErrorCode::Conflict, &p, lang)),
    }
}

/// `POST /api/v1/activities`: a new activity (a draft unless its document says otherwise
/// and the account may create it so).
pub(crate) async fn create_activity(
    State(state): State<AppState>,
    ctx: Ctx,
    bytes: Bytes,
) -> Result<Response, WebError> {
    ctx.viewer.require("")?;
    let doc: ActivityDoc = match body(&bytes, ctx.lang) {
        Ok(doc) => doc,
        Err(refused) => return Ok(*refused),
    };
    let viewer = ctx.viewer.clone();
    let mode = activity_form::Mode::Create;
    let saved = state.write(move |store| activity_form::save_document(store, &viewer, doc, None, &mode, None)).await?;
    let st = state.clone();
    tokio::task::spawn_blocking(move || answer(&st, saved, true, ctx.lang))
        .await
        .map_err(|e| WebError::internal(format!("a blocking task failed: {e}")))?
}

/// `PUT /api/v1/activities/{id}`: the activity's new document, from the version it was read at.
pub(crate) async fn update_activity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Response, WebError> {
    ctx.viewer.require("")?;
    let update: ActivityUpdate = match body(&bytes, ctx.lang) {
        Ok(update) => update,
        Err(refused) => return Ok(*refused),
    };
    let viewer = ctx.viewer.clone();
    let mode = activity_form::Mode::Edit(id);
    let saved = state
        .write(move |store| {
            let stored = activity_form::stored_for_edit(store, &viewer, &mode)?;
            activity_form::save_document(store, &viewer, update.document, stored.as_ref(), &mode, Some(update.version))
        })
        .await?;
    let st = state.clone();
    tokio::task::spawn_blocking(move || answer(&st, saved, false, ctx.lang))
        .await
        .map_err(|e| WebError::internal(format!("a blocking task failed: {e}")))?
}

/// `POST /api/v1/activities/{id}/transitions`: one step of the workflow.
pub(crate) async fn transition(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Response, WebError> {
    ctx.viewer.require("")?;
    let step: TransitionRequest = match body(&bytes, ctx.lang) {
        Ok(step) => step,
        Err(refused) => return Ok(*refused),
    };
    let to = WorkflowState::parse(&step.to)
        .map_err(|p| WebError::invalid("to", &step.to, p.message(Lang::Es), p.message(Lang::En)))?;
    let viewer = ctx.viewer.clone();
    let key = id.clone();
    let refused = state
        .write(move |store| {
            let stored = store.activity(&key)?.ok_or_else(|| WebError::not_found("activity", &key))?;
            let reach = guard::activity_reach(store, &stored.activity)?;
            guard::allow(&viewer, Action::Transition { from: reach.workflow, to }, &reach, ("activity", &key), "")?;
            match store.transition(viewer.who(), &key, to, step.reason.as_deref(), step.version) {
                Ok(_) => Ok(Written::changed(None)),
                Err(StoreError::Invalid(refused)) => {
                    Ok(Written::unchanged(Some(refused.into_iter().flat_map(|r| r.problems.0).collect::<Vec<_>>())))
                }
                Err(e) => Err(e.into()),
            }
        })
        .await?;
    if let Some(p) = refused {
        return Ok(problems(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidRecord, &p, ctx.lang));
    }
    let detail = state.read(move |store, _| activity_detail(store, &id)).await?;
    Ok(Json(detail).into_response())
}

/// An organisation as the API shows it.
pub(crate) fn organisation_detail(
    store: &Store,
    views: &crate::state::Views,
    key: &str,
) -> Result<OrganisationDetail, WebError> {
    let org = store.organisation(key)?.ok_or_else(|| WebError::not_found("organisation", key))?;
    Ok(OrganisationDetail {
        version: store.version(RecordKind::Organisation, key)?.unwrap_or_default(),
        activities: views.registry.organisation(key).map_or(0, |o| o.activities),
        document: OrganisationDoc::from_domain(&org).into(),
        links: Links { html: org_url(key) },
        key: key.to_owned(),
    })
}

async fn save_organisation(
    state: AppState,
    viewer: Viewer,
    lang: Lang,
    doc: OrganisationDoc,
    mode: organisations::Mode,
    base: Option<i64>,
) -> Result<Response, WebError> {
    let created = mode == organisations::Mode::Create;
    let saved = state.write(move |store| organisations::save_document(store, &viewer, doc, &mode, base)).await?;
    match saved {
        Saved::Yes(key) => {
            let detail = state.read(move |store, views| organisation_detail(store, views, &key)).await?;
            let status = if created { StatusCode::CREATED } else { StatusCode::OK };
            Ok((status, Json(detail)).into_response())
        }
        Saved::No(p) => Ok(problems(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidRecord, &p, lang)),
        Saved::Meanwhile { problems: p, .. } => Ok(problems(StatusCode::CONFLICT, ErrorCode::Conflict, &p, lang)),
    }
}

/// `POST /api/v1/organisations`
pub(crate) async fn create_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    bytes: Bytes,
) -> Result<Response, WebError> {
    ctx.viewer.require("")?;
    let doc: OrganisationDoc = match body(&bytes, ctx.lang) {
        Ok(doc) => doc,
        Err(refused) => return Ok(*refused),
    };
    save_organisation(state, ctx.viewer, ctx.lang, doc, organisations::Mode::Create, None).await
}

/// `PUT /api/v1/organisations/{key}`
pub(crate) async fn update_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    bytes: Bytes,
) -> Result<Response, WebError> {
    ctx.viewer.require("")?;
    let update: OrganisationUpdate = match body(&bytes, ctx.lang) {
        Ok(update) => update,
        Err(refused) => return Ok(*refused),
    };
    let mode = organisations::Mode::Edit(key);
    save_organisation(state, ctx.viewer, ctx.lang, update.document, mode, Some(update.version)).await
}
