//! The validation workflow on a record's page and in the API — draft → submitted → validated
//! → published, and back to draft with a reason — for activities and for every other kind
//! that has it: capacities, international actions, agreements, memberships and good
//! practices. [`panel`] draws a page's state, the steps this viewer may take (the access
//! table decides, and decides again when a step is posted) and the steps taken so far;
//! [`step`] takes a step posted from a page and [`api_step`] one sent to the API, both through
//! `Store::transition_of` from the version the client read.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use coopera_domain::Lang;
use coopera_domain::access::{Action, Actor, Reach};
use coopera_domain::kinds::WorkflowState;
use coopera_store::{Record, RecordKind, Store, StoreError, Version};

use super::catalog_form::Kind;
use super::writes::{Refused, body, problems};
use crate::api::{ErrorCode, TransitionRequest};
use crate::error::WebError;
use crate::guard;
use crate::locale::{self, Ctx};
use crate::state::{AppState, Written};
use crate::views::{Cell, TableView, WorkflowPanel};

/// A kind of record whose pages and API take workflow steps.
pub(crate) trait Stepped: Send + Sync + 'static {
    const KIND: RecordKind;
    /// The record's page.
    fn url(key: &str) -> String;
    /// What the API answers of the stored record.
    fn detail(store: &Store, key: &str) -> Result<serde_json::Value, WebError>;
}

impl<K: Kind> Stepped for K {
    const KIND: RecordKind = K::RECORD;

    fn url(key: &str) -> String {
        K::url(key)
    }

    fn detail(store: &Store, key: &str) -> Result<serde_json::Value, WebError> {
        K::detail(store, key)
    }
}

/// The workflow of a record's page: its state, the steps this viewer may take, who took the
/// steps so far; the steps post to `action`.
pub(crate) fn panel(
    store: &Store,
    ctx: &Ctx,
    (kind, id): (RecordKind, &str),
    reach: &Reach,
    version: Version,
    action: String,
) -> Result<WorkflowPanel, WebError> {
    let lang = ctx.lang;
    let from = reach.workflow;
    let steps = WorkflowState::ALL
        .iter()
        .copied()
        .filter(|to| {
            let step = Action::Transition { from, to: *to };
            guard::allow(&ctx.viewer, step, reach, (kind.as_str(), id), "/").is_ok()
        })
        .map(|to| crate::views::StepForm {
            to: to.code(),
            label: step_label(to, lang).to_owned(),
            reason: (to == WorkflowState::Draft)
                .then(|| lang.pick("Motivo de la devolución", "Why it goes back").to_owned()),
        })
        .collect();
    let transitions = store.transitions_of(kind, id)?;
    let history = (!transitions.is_empty()).then(|| {
        let labels = |s: &coopera_store::Transition| (s.from.label(lang), s.to.label(lang));
        steps_table(
            transitions.iter().rev().map(|s| (s.at.as_str(), s.author.as_str(), labels(s), s.reason.as_deref())),
            lang,
        )
    });
    let note = match (&ctx.viewer.actor, from) {
        (Actor::Public, _) => None,
        (_, WorkflowState::Submitted) if reach.submitted_by.as_deref() == ctx.viewer.name() => Some(
            lang.pick(
                "Usted envió este registro: otra persona de la agencia lo valida.",
                "You submitted this record: someone else at the agency validates it.",
            )
            .to_owned(),
        ),
        _ => None,
    };
    Ok(WorkflowPanel { state: from.label(lang).to_owned(), note, steps, version: version.to_string(), action, history })
}

/// The steps a record took, newest first, as its page lists them: when, who, from which state
/// to which, and why (a demand's steps too).
pub(crate) fn steps_table<'a>(
    steps: impl Iterator<Item = (&'a str, &'a str, (&'a str, &'a str), Option<&'a str>)>,
    lang: Lang,
) -> TableView {
    let mut t = TableView::new(&[
        (lang.pick("Fecha (UTC)", "When (UTC)"), false),
        (lang.pick("Quién", "Who"), false),
        (lang.pick("Paso", "Step"), false),
        (lang.pick("Motivo", "Reason"), false),
    ]);
    for (at, author, (from, to), reason) in steps {
        t.rows.push(vec![
            Cell::text(locale::timestamp(at, lang)),
            Cell::text(author),
            Cell::text(format!("{from} → {to}")),
            Cell::text(reason.unwrap_or_default()),
        ]);
    }
    t
}

/// The panel of a record other than an activity, for signed-in viewers: the public reads
/// published records only, and needs no panel to say so.
pub(crate) fn record_panel<S: Stepped>(
    store: &Store,
    ctx: &Ctx,
    record: &Record,
) -> Result<Option<WorkflowPanel>, WebError> {
    if !ctx.viewer.actor.is_signed_in() {
        return Ok(None);
    }
    let key = record.key();
    let reach = guard::with_submitter(store, record, guard::record_reach(store, record)?)?;
    let version = store.version(S::KIND, &key)?.unwrap_or_default();
    let action = format!("{}/transition", S::url(&key));
    Ok(Some(panel(store, ctx, (S::KIND, &key), &reach, version, action)?))
}

/// A step posted from a record's page.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct StepPost {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub version: String,
}

fn step_label(to: WorkflowState, lang: Lang) -> &'static str {
    match to {
        WorkflowState::Draft => lang.pick("Devolver a borrador", "Back to draft"),
        WorkflowState::Submitted => lang.pick("Enviar a validación", "Submit for validation"),
        WorkflowState::Validated => lang.pick("Validar", "Validate"),
        WorkflowState::Published => lang.pick("Publicar", "Publish"),
    }
}

/// Asks the access table for the step on the record as stored now, and takes it from version
/// `base`: `Ok(None)` when taken, the store's problems (a missing or too long reason, a step
/// the workflow does not allow) otherwise.
fn take_step(
    store: &Store,
    viewer: &crate::auth::Viewer,
    (kind, key): (RecordKind, &str),
    to: WorkflowState,
    (reason, base): (Option<&str>, Option<Version>),
    next: &str,
) -> Result<Written<Option<Vec<coopera_domain::Problem>>>, WebError> {
    let stored = store.stored(kind, key)?.filter(|r| r.workflow().is_some());
    let stored = stored.ok_or_else(|| WebError::not_found(kind.as_str(), key))?;
    let reach = guard::with_submitter(store, &stored, guard::record_reach(store, &stored)?)?;
    guard::allow(viewer, Action::Transition { from: reach.workflow, to }, &reach, (kind.as_str(), key), next)?;
    match store.transition_of(viewer.who(), kind, key, to, reason, base) {
        Ok(_) => Ok(Written::changed(None)),
        Err(StoreError::Invalid(refused)) => {
            Ok(Written::unchanged(Some(refused.into_iter().flat_map(|r| r.problems.0).collect())))
        }
        Err(e) => Err(e.into()),
    }
}

fn parse_to(to: &str) -> Result<WorkflowState, WebError> {
    WorkflowState::parse(to).map_err(|p| WebError::invalid("to", to, p.message(Lang::Es), p.message(Lang::En)))
}

/// `POST /activities/{id}/transition`, `POST /actions/{key}/transition` (and of agreements,
/// memberships, practices and capacities): one workflow step from the record's page, back to the page.
pub(crate) async fn step<S: Stepped>(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    axum::Form(form): axum::Form<StepPost>,
) -> Result<Response, WebError> {
    let to = parse_to(&form.to)?;
    let viewer = ctx.viewer.clone();
    let k = key.clone();
    let refused = state
        .write(move |store| {
            let reason = Some(form.reason.as_str()).filter(|r| !r.trim().is_empty());
            let base = form.version.trim().parse().ok();
            take_step(store, &viewer, (S::KIND, &k), to, (reason, base), &S::url(&k))
        })
        .await?;
    if let Some(p) = refused.and_then(|p| p.into_iter().next()) {
        return Err(WebError::invalid("reason", "", p.message(Lang::Es), p.message(Lang::En)));
    }
    Ok(Redirect::to(&format!("{}?moved=1", S::url(&key))).into_response())
}

/// `POST /api/v1/activities/{id}/transitions`, `POST /api/v1/actions/{key}/transitions` (and
/// of agreements, memberships, practices and capacities): one workflow step; the record as stored after it.
pub(crate) async fn api_step<S: Stepped>(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    bytes: Bytes,
) -> Result<Response, Refused> {
    ctx.viewer.require("")?;
    let request: TransitionRequest = body(&bytes, ctx.lang)?;
    let to = parse_to(&request.to)?;
    let viewer = ctx.viewer.clone();
    let k = key.clone();
    let refused = state
        .write(move |store| {
            let how = (request.reason.as_deref(), request.version);
            take_step(store, &viewer, (S::KIND, &k), to, how, "")
        })
        .await?;
    if let Some(p) = refused {
        return Ok(problems(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidRecord, &p, ctx.lang));
    }
    let detail = state.read(move |store, _| S::detail(store, &key)).await?;
    Ok(Json(detail).into_response())
}
