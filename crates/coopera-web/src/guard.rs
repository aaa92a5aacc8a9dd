//! The server-side check every handler makes before it shows or changes a record: what the
//! record is to the access table ([`Reach`]), and [`allow`], which asks
//! [`coopera_domain::access::decide`] and turns a refusal into the answer the user gets — a
//! record one may not read is "not found", exactly like a missing one; the public is asked to
//! sign in; an account is told what its role or scope does not allow.

use coopera_domain::access::{self, Action, Reach, Refusal};
use coopera_domain::activity::Activity;
use coopera_domain::ids::OrgKey;
use coopera_domain::kinds::WorkflowState;
use coopera_domain::organisation::Organisation;
use coopera_domain::problem::{Problem, Rule};
use coopera_store::{HistoryFilter, Record, Store};

use crate::auth::Viewer;
use crate::error::WebError;

/// What the access table needs of an activity: its workflow state, who reports it, the
/// states whose governments (or municipalities) take part, and who submitted it.
pub(crate) fn activity_reach(store: &Store, activity: &Activity) -> Result<Reach, WebError> {
    let parts = activity.parts();
    let mut orgs = Vec::new();
    for p in &parts.participants {
        if let Some(o) = store.organisation(p.org.as_str())? {
            orgs.push(o);
        }
    }
    let submitted_by = match parts.workflow {
        WorkflowState::Draft => None,
        _ => store.submitted_by(&parts.key.to_string())?,
    };
    Ok(Reach {
        workflow: parts.workflow,
        reporting_org: Some(parts.reporting_org.clone()),
        states: access::activity_states(orgs.iter()),
        submitted_by,
    })
}

/// The organisations whose record it is: an action's actor, an agreement's parties, a
/// membership's member, a practice's organisations, a capacity's institution (an activity's
/// are its participants, see [`activity_reach`]; organisations and demands have none).
pub(crate) fn owners(record: &Record) -> Vec<OrgKey> {
    match record {
        Record::Action(a) => vec![a.parts().actor.clone()],
        Record::Agreement(a) => a.parts().parties.clone(),
        Record::Membership(m) => vec![m.parts().member.clone()],
        Record::Practice(g) => g.parts().organisations.clone(),
        Record::Capacity(c) => vec![c.parts().institution.clone()],
        Record::Activity(_) | Record::Organisation(_) | Record::Demand(_) => Vec::new(),
    }
}

/// What the access table needs of a record: its workflow state and the states of its
/// [`owners`] (a capacity's institution also reports it). Who submitted it is not looked up
/// here (see [`with_submitter`]): reading and editing do not need it. Organisations and
/// demands, which have no such workflow, are published records of nobody's scope.
pub(crate) fn record_reach(store: &Store, record: &Record) -> Result<Reach, WebError> {
    let reporting_org = match record {
        Record::Activity(a) => return activity_reach(store, a),
        Record::Capacity(c) => Some(c.parts().institution.clone()),
        _ => None,
    };
    let mut orgs = Vec::new();
    for key in owners(record) {
        orgs.extend(store.organisation(key.as_str())?);
    }
    let workflow = record.workflow().unwrap_or(WorkflowState::Published);
    Ok(Reach { workflow, reporting_org, states: access::activity_states(orgs.iter()), submitted_by: None })
}

/// A reach with who submitted the record, for the four-eyes rule of a workflow step.
pub(crate) fn with_submitter(store: &Store, record: &Record, mut reach: Reach) -> Result<Reach, WebError> {
    if reach.workflow != WorkflowState::Draft {
        reach.submitted_by = store.submitted_by_of(record.kind(), &record.key())?;
    }
    Ok(reach)
}

/// The records of `records` the viewer may read: the published ones, and for an account
/// those of its scope (all of them for the agency's analysts and administrators).
pub(crate) fn readable<R>(
    store: &Store,
    viewer: &Viewer,
    records: Vec<R>,
    as_record: impl Fn(&R) -> Record,
) -> Result<Vec<R>, WebError> {
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let record = as_record(&r);
        let published = record.workflow().is_none_or(|w| w == WorkflowState::Published);
        let keep = published
            || (!matches!(viewer.actor, access::Actor::Public)
                && access::decide(&viewer.actor, &Action::Read, &record_reach(store, &record)?).is_ok());
        if keep {
            out.push(r);
        }
    }
    Ok(out)
}

/// An organisation's reach: organisations are public; an editor works on those of its
/// scope (the organisation itself, or a government or body of its state).
pub(crate) fn organisation_reach(org: &Organisation) -> Reach {
    Reach {
        workflow: WorkflowState::Draft,
        reporting_org: Some(org.key().clone()),
        states: access::state_of(org).into_iter().collect(),
        submitted_by: None,
    }
}

/// Whether the viewer may do `action` on a record of this reach; a refusal as the answer
/// the user gets. `kind` and `key` name the record for "not found"; `next` is where a sign-in
/// brings the browser back.
pub(crate) fn allow(
    viewer: &Viewer,
    action: Action,
    reach: &Reach,
    (kind, key): (&'static str, &str),
    next: &str,
) -> Result<(), WebError> {
    match access::decide(&viewer.actor, &action, reach) {
        Ok(()) => Ok(()),
        // Exactly a missing record's answer, for the public too: asking to sign in would tell
        // that an unpublished record exists.
        Err(Refusal::NotFound) => Err(WebError::not_found(kind, key)),
        Err(Refusal::SignInRequired) => Err(WebError::SignInRequired { next: next.to_owned() }),
        Err(refusal) => Err(WebError::forbidden(
            refusal.message(coopera_domain::Lang::Es),
            refusal.message(coopera_domain::Lang::En),
        )),
    }
}

/// The answer to a save refused because the record changed after the form was opened: who
/// saved it and when, then each field where what is stored now differs from the form.
pub(crate) fn changed_meanwhile(store: &Store, record: &Record) -> Result<Vec<Problem>, WebError> {
    let latest = store
        .history(&HistoryFilter { kind: Some(record.kind()), key: Some(record.key()), limit: Some(1) })?
        .into_iter()
        .next();
    let mut problems = Vec::new();
    let (by, at, now) = match latest {
        Some(c) => (c.author, c.at, c.after.unwrap_or_default()),
        None => (String::new(), String::new(), String::new()),
    };
    problems.push(Problem::new("id", Some(&record.key()), Rule::EditedMeanwhile { by, at }));
    for d in Record::differences(&now, &record.document_json()) {
        problems.push(Problem::new(d.path, None, Rule::Changed { stored: d.stored, new: d.new }));
    }
    Ok(problems)
}

/// Whether the viewer may create records at all (before the record is known): signed in,
/// with a role that creates. Where the record falls is checked when it is saved.
pub(crate) fn may_create(viewer: &Viewer, next: &str) -> Result<(), WebError> {
    viewer.require(next)?;
    let covered = match &viewer.actor {
        access::Actor::Account { scope, .. } => own_reach(scope),
        access::Actor::Public => Reach::new(WorkflowState::Draft),
    };
    allow(viewer, Action::Create, &covered, ("page", next), next)
}

/// A draft the scope covers.
fn own_reach(scope: &access::Scope) -> Reach {
    let mut reach = Reach::new(WorkflowState::Draft);
    match scope {
        access::Scope::All => {}
        access::Scope::Organisation(k) => reach.reporting_org = Some(k.clone()),
        access::Scope::State(s) => reach.states = vec![*s],
    }
    reach
}

/// [`allow`] for a record as a save would leave it: one the viewer could not read afterwards
/// is refused as out of its scope (it exists — the viewer is writing it).
pub(crate) fn allow_as_saved(viewer: &Viewer, action: Action, reach: &Reach, next: &str) -> Result<(), WebError> {
    match access::decide(&viewer.actor, &action, reach) {
        Err(Refusal::NotFound) => match &viewer.actor {
            access::Actor::Account { scope, .. } => {
                let refusal = Refusal::OutOfScope { scope: scope.clone() };
                Err(WebError::forbidden(
                    refusal.message(coopera_domain::Lang::Es),
                    refusal.message(coopera_domain::Lang::En),
                ))
            }
            access::Actor::Public => Err(WebError::SignInRequired { next: next.to_owned() }),
        },
        _ => allow(viewer, action, reach, ("activity", ""), next),
    }
}

/// Records in the audit trail a download that carries unpublished records (an account's own
/// view): who took what, from where. What the public may download leaves no row.
pub(crate) async fn note_export(
    state: &crate::state::AppState,
    ctx: &crate::locale::Ctx,
    sel: &crate::selection::Selection,
) -> Result<(), WebError> {
    if sel.visible == coopera_report::Visibility::Published {
        return Ok(());
    }
    let viewer = ctx.viewer.clone();
    let what = ctx.uri.to_string();
    state
        .read(move |store, _| Ok(store.record_event(viewer.who(), coopera_store::AuditEvent::Export, Some(&what))?))
        .await
}
