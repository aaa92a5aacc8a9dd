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
use coopera_domain::doc::{ActivityDoc, OrganisationDoc};
use coopera_domain::{Lang, Problem};
use coopera_store::{RecordKind, Store};
use serde::de::DeserializeOwned;

use super::activity_form::{self, Saved};
use super::organisations;
use super::{activity_url, org_url};
use crate::api::{
    ActivityDetail, ActivityUpdate, Derived, ErrorBody, ErrorCode, ErrorDetail, Links, OrganisationDetail,
    OrganisationUpdate, ProblemEntry,
};
use crate::auth::Viewer;
use crate::error::WebError;
use crate::locale::Ctx;
use crate::state::AppState;

/// Why a write was not taken: an error of the application, rendered by the error layer, or
/// an answer of this module with the problems of what was sent.
pub(crate) enum Refused {
    Web(WebError),
    Answer(Box<Response>),
}

impl From<WebError> for Refused {
    fn from(e: WebError) -> Refused {
        Refused::Web(e)
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::Web(e) => e.into_response(),
            Refused::Answer(r) => *r,
        }
    }
}

/// A JSON body; what is wrong with it, and where, as 400 when it is not JSON at all and as
/// 422 `invalid_record` when it is JSON of another shape (a number where a code goes, a field
/// the document does not have).
pub(crate) fn body<T: DeserializeOwned>(bytes: &Bytes, lang: Lang) -> Result<T, Refused> {
    serde_json::from_slice(bytes).map_err(|e| {
        let (es, en) =
            (format!("el cuerpo no es el JSON esperado: {e}"), format!("the body is not the JSON expected: {e}"));
        if e.is_data() {
            let entry = ProblemEntry { path: String::new(), value: None, message: lang.pick(&es, &en).to_owned() };
            let detail =
                ErrorDetail { code: ErrorCode::InvalidRecord, message: entry.message.clone(), problems: vec![entry] };
            Refused::Answer(Box::new(
                (StatusCode::UNPROCESSABLE_ENTITY, Json(ErrorBody { error: detail })).into_response(),
            ))
        } else {
            Refused::Web(WebError::malformed(es, en))
        }
    })
}

/// 422 (or 409) with every problem at its field, in the request's language.
pub(crate) fn problems(status: StatusCode, code: ErrorCode, problems: &[Problem], lang: Lang) -> Response {
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
async fn answer(state: &AppState, saved: Saved, created: bool, lang: Lang) -> Result<Response, WebError> {
    match saved {
        Saved::Yes(key) => {
            let id = key.clone();
            let detail = state.read(move |store, _| activity_detail(store, &id)).await?;
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
) -> Result<Response, Refused> {
    ctx.viewer.require("")?;
    let doc: ActivityDoc = body(&bytes, ctx.lang)?;
    let viewer = ctx.viewer.clone();
    let mode = activity_form::Mode::Create;
    let saved = state.write(move |store| activity_form::save_document(store, &viewer, doc, None, &mode, None)).await?;
    Ok(answer(&state, saved, true, ctx.lang).await?)
}

/// `PUT /api/v1/activities/{id}`: the activity's new document, from the version it was read at.
pub(crate) async fn update_activity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Response, Refused> {
    ctx.viewer.require("")?;
    let update: ActivityUpdate = body(&bytes, ctx.lang)?;
    let viewer = ctx.viewer.clone();
    let mode = activity_form::Mode::Edit(id);
    let saved = state
        .write(move |store| {
            let stored = activity_form::stored_for_edit(store, &viewer, &mode)?;
            activity_form::save_document(store, &viewer, update.document, stored.as_ref(), &mode, Some(update.version))
        })
        .await?;
    Ok(answer(&state, saved, false, ctx.lang).await?)
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
) -> Result<Response, Refused> {
    ctx.viewer.require("")?;
    let doc: OrganisationDoc = body(&bytes, ctx.lang)?;
    Ok(save_organisation(state, ctx.viewer, ctx.lang, doc, organisations::Mode::Create, None).await?)
}

/// `PUT /api/v1/organisations/{key}`
pub(crate) async fn update_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    bytes: Bytes,
) -> Result<Response, Refused> {
    ctx.viewer.require("")?;
    let update: OrganisationUpdate = body(&bytes, ctx.lang)?;
    let mode = organisations::Mode::Edit(key);
    Ok(save_organisation(state, ctx.viewer, ctx.lang, update.document, mode, Some(update.version)).await?)
}
