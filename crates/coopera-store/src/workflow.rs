//! [`Store::transition_of`]: moving a record (an activity, a capacity, an international
//! action, an agreement, a membership, a good practice) along the validation workflow — draft →
//! submitted → validated → published, and any state back to draft with a reason — as one
//! write of the record, marked in the audit trail as a transition with its reason.
//! [`Store::transitions`] reads them back for a record's page and for the four-eyes rule.

use coopera_domain::kinds::WorkflowState;
use coopera_domain::problem::{Problem, Problems, Rule, Target};
use coopera_domain::record::RecordKind;

use crate::audit::{AuditEvent, AuditFilter, Who};
use crate::write::{WriteOptions, decode};
use crate::{RecordProblems, Result, Store, StoreError, Version};

/// A step of an activity's workflow, as the audit trail recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// UTC, RFC 3339.
    pub at: String,
    pub author: String,
    pub from: WorkflowState,
    pub to: WorkflowState,
    /// Why it went back to draft (required then), or a note.
    pub reason: Option<String>,
}

/// The audit trail's `detail` of a step of a workflow (an activity's, a demand's): `from->to`,
/// then `: reason`.
pub(crate) fn step_detail(from: &str, to: &str, reason: Option<&str>) -> String {
    match reason {
        Some(r) => format!("{from}->{to}: {r}"),
        None => format!("{from}->{to}"),
    }
}

/// The codes and reason of a [`step_detail`].
pub(crate) fn parse_step(detail: &str) -> Option<(&str, &str, Option<String>)> {
    let (steps, reason) = match detail.split_once(": ") {
        Some((s, r)) => (s, Some(r.to_owned())),
        None => (detail, None),
    };
    let (from, to) = steps.split_once("->")?;
    Some((from, to, reason))
}

fn detail(from: WorkflowState, to: WorkflowState, reason: Option<&str>) -> String {
    step_detail(from.code(), to.code(), reason)
}

fn parse_detail(detail: &str) -> Option<(WorkflowState, WorkflowState, Option<String>)> {
    let (from, to, reason) = parse_step(detail)?;
    Some((WorkflowState::parse(from).ok()?, WorkflowState::parse(to).ok()?, reason))
}

fn refused(kind: RecordKind, key: &str, problem: Problem) -> StoreError {
    let mut problems = Problems::new();
    problems.push(problem);
    StoreError::Invalid(vec![RecordProblems { index: 0, kind, key: key.to_owned(), problems }])
}

/// The longest reason kept.
pub const MAX_REASON: usize = 2000;

impl Store {
    /// Moves activity `key` to `to`: [`Store::transition_of`] an activity.
    pub fn transition(
        &self,
        who: Who<'_>,
        key: &str,
        to: WorkflowState,
        reason: Option<&str>,
        base: Option<Version>,
    ) -> Result<Version> {
        self.transition_of(who, RecordKind::Activity, key, to, reason, base)
    }

    /// Moves the record `kind`/`key` to `to`, by `who`: one step forward, or back to draft
    /// with a `reason` (required then). With `base`, refused as [`StoreError::Stale`] when the
    /// record changed since that version. Returns the record's new version. A kind without
    /// this workflow (organisations; demands, which have their own) is refused as unknown.
    pub fn transition_of(
        &self,
        who: Who<'_>,
        kind: RecordKind,
        key: &str,
        to: WorkflowState,
        reason: Option<&str>,
        base: Option<Version>,
    ) -> Result<Version> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let stored = self.reader().document(kind, key)?.map(|d| decode(kind, key, &d)).transpose()?;
        let Some((stored, from)) = stored.and_then(|r| r.workflow().map(|w| (r, w))) else {
            let target = match kind {
                RecordKind::Activity => Target::Activity,
                _ => Target::Record(kind),
            };
            return Err(refused(kind, key, Problem::new("key", Some(key), Rule::UnknownReference { target })));
        };
        from.move_to(to).map_err(|p| refused(kind, key, p))?;
        if to == WorkflowState::Draft && reason.is_none() {
            return Err(refused(kind, key, Problem::new("reason", None, Rule::Required)));
        }
        if let Some(r) = reason
            && r.chars().count() > MAX_REASON
        {
            return Err(refused(kind, key, Problem::new("reason", None, Rule::TooLong { max: MAX_REASON })));
        }
        let how = WriteOptions {
            base,
            event: Some(AuditEvent::Transition),
            address: who.address.map(str::to_owned),
            detail: Some(detail(from, to, reason)),
            ..WriteOptions::default()
        };
        self.write(who.name, vec![stored.with_workflow(to)], how)?;
        Ok(self.version(kind, key)?.unwrap_or_default())
    }

    /// The workflow steps of activity `key`, oldest first.
    pub fn transitions(&self, key: &str) -> Result<Vec<Transition>> {
        self.transitions_of(RecordKind::Activity, key)
    }

    /// The workflow steps of the record `kind`/`key`, oldest first.
    pub fn transitions_of(&self, kind: RecordKind, key: &str) -> Result<Vec<Transition>> {
        let filter = AuditFilter { key: Some(key.to_owned()), ..AuditFilter::default() };
        Ok(self
            .audit(&filter)?
            .into_iter()
            .filter(|r| r.event == Some(AuditEvent::Transition) && r.kind == kind.as_str())
            .filter_map(|r| {
                let (from, to, reason) = parse_detail(r.detail.as_deref()?)?;
                Some(Transition { at: r.at, author: r.author, from, to, reason })
            })
            .collect())
    }

    /// Who moved activity `key` to submitted most recently: [`Store::submitted_by_of`].
    pub fn submitted_by(&self, key: &str) -> Result<Option<String>> {
        self.submitted_by_of(RecordKind::Activity, key)
    }

    /// Who moved the record to submitted most recently, if it is submitted or past it: the
    /// four-eyes rule keeps them from validating it.
    pub fn submitted_by_of(&self, kind: RecordKind, key: &str) -> Result<Option<String>> {
        let steps = self.transitions_of(kind, key)?;
        Ok(steps.into_iter().rev().find(|t| t.to == WorkflowState::Submitted).map(|t| t.author))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_read_back() {
        use WorkflowState::*;
        assert_eq!(parse_detail(&detail(Draft, Submitted, None)), Some((Draft, Submitted, None)));
        let back = detail(Published, Draft, Some("montos: a revisar"));
        assert_eq!(parse_detail(&back), Some((Published, Draft, Some("montos: a revisar".into()))));
        assert_eq!(parse_detail("role=editor"), None);
    }
}
