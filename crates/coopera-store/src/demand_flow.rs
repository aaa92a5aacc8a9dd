//! [`Store::move_demand`]: moving a partner's demand along its workflow — received →
//! answered (capacities proposed) → agreed (the activity that carries it out) → closed, or
//! declined — as one write of the record, marked in the audit trail as a transition with its
//! reason, exactly as an activity's workflow steps are ([`crate::workflow`]).
//! [`Store::demand_steps`] reads them back, for a demand's page and the catalog report.

use coopera_domain::catalog::Demand;
use coopera_domain::ids::{ActivityKey, RecordKey};
use coopera_domain::kinds::DemandState;
use coopera_domain::problem::{Problem, Problems, Rule, Target};
use coopera_domain::record::RecordKind;

use crate::audit::{AuditEvent, AuditFilter, Who};
use crate::workflow::{MAX_REASON, parse_step, step_detail};
use crate::write::WriteOptions;
use crate::{Record, RecordProblems, Result, Store, StoreError, Version};

/// A step asked of a demand.
#[derive(Debug, Clone, Default)]
pub struct DemandMove {
    pub to: DemandState,
    /// The capacities proposed (answering): they replace those proposed before. Empty keeps
    /// them.
    pub proposed: Vec<String>,
    /// The activity that carries the agreed cooperation out (agreeing).
    pub activity: Option<String>,
    /// Why, in a word: required to decline.
    pub reason: Option<String>,
}

/// A step of a demand's workflow, as the audit trail recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemandStep {
    /// The demand's key.
    pub key: String,
    /// UTC, RFC 3339.
    pub at: String,
    pub author: String,
    pub from: DemandState,
    pub to: DemandState,
    pub reason: Option<String>,
}

fn detail(from: DemandState, to: DemandState, reason: Option<&str>) -> String {
    step_detail(from.code(), to.code(), reason)
}

fn parse_detail(detail: &str) -> Option<(DemandState, DemandState, Option<String>)> {
    let (from, to, reason) = parse_step(detail)?;
    Some((DemandState::parse(from).ok()?, DemandState::parse(to).ok()?, reason))
}

fn refused(key: &str, problems: Problems) -> StoreError {
    StoreError::Invalid(vec![RecordProblems { index: 0, kind: RecordKind::Demand, key: key.to_owned(), problems }])
}

fn one(key: &str, problem: Problem) -> StoreError {
    let mut problems = Problems::new();
    problems.push(problem);
    refused(key, problems)
}

/// The keys of `mv`, parsed; their problems named by field.
fn parse_move(mv: &DemandMove) -> (Vec<RecordKey>, Option<ActivityKey>, Problems) {
    let mut problems = Problems::new();
    let mut proposed = Vec::new();
    for (i, k) in mv.proposed.iter().enumerate() {
        match RecordKey::parse(k) {
            Ok(k) if !proposed.contains(&k) => proposed.push(k),
            Ok(_) => problems.add(format!("proposed[{i}]"), Some(k), Rule::Duplicate),
            Err(p) => problems.nest(&format!("proposed[{i}]"), Problems::from(p)),
        }
    }
    let activity = match mv.activity.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => match ActivityKey::parse(a) {
            Ok(a) => Some(a),
            Err(p) => {
                problems.nest("activity", Problems::from(p));
                None
            }
        },
        None => None,
    };
    (proposed, activity, problems)
}

impl Store {
    /// Moves demand `key` one step along its workflow, by `who`. Answering names the
    /// capacities proposed, agreeing the activity that carries the demand out (both must
    /// exist), declining a reason. With `base`, refused as [`StoreError::Stale`] when the
    /// demand changed since that version. Returns the demand's new version.
    pub fn move_demand(&self, who: Who<'_>, key: &str, mv: &DemandMove, base: Option<Version>) -> Result<Version> {
        let reason = mv.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        let Some(stored) = self.demand(key)? else {
            let rule = Rule::UnknownReference { target: Target::Demand };
            return Err(one(key, Problem::new("key", Some(key), rule)));
        };
        let from = stored.parts().state;
        from.move_to(mv.to).map_err(|p| one(key, p))?;
        if mv.to == DemandState::Declined && reason.is_none() {
            return Err(one(key, Problem::new("reason", None, Rule::Required)));
        }
        if let Some(r) = reason
            && r.chars().count() > MAX_REASON
        {
            return Err(one(key, Problem::new("reason", None, Rule::TooLong { max: MAX_REASON })));
        }
        let (proposed, activity, problems) = parse_move(mv);
        if !problems.is_empty() {
            return Err(refused(key, problems));
        }
        let mut parts = stored.into_parts();
        parts.state = mv.to;
        let today = Some(time::OffsetDateTime::now_utc().date());
        match mv.to {
            DemandState::Answered => parts.answered = today,
            DemandState::Agreed => parts.agreed = today,
            DemandState::Closed | DemandState::Declined => parts.settled = today,
            DemandState::Received => {}
        }
        if !proposed.is_empty() {
            parts.proposed = proposed;
        }
        if activity.is_some() {
            parts.activity = activity;
        }
        let demand = Demand::new(parts).map_err(|problems| refused(key, problems))?;
        let how = WriteOptions {
            base,
            event: Some(AuditEvent::Transition),
            address: who.address.map(str::to_owned),
            detail: Some(detail(from, mv.to, reason)),
            ..WriteOptions::default()
        };
        self.write(who.name, vec![Record::Demand(demand)], how)?;
        Ok(self.version(RecordKind::Demand, key)?.unwrap_or_default())
    }

    /// The workflow steps of demand `key`, or of every demand when `None`, oldest first.
    pub fn demand_steps(&self, key: Option<&str>) -> Result<Vec<DemandStep>> {
        let filter = AuditFilter {
            key: key.map(str::to_owned),
            kind: Some(RecordKind::Demand.as_str().to_owned()),
            ..AuditFilter::default()
        };
        Ok(self
            .audit(&filter)?
            .into_iter()
            .filter(|r| r.event == Some(AuditEvent::Transition))
            .filter_map(|r| {
                let (from, to, reason) = parse_detail(r.detail.as_deref()?)?;
                Some(DemandStep { key: r.key, at: r.at, author: r.author, from, to, reason })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_read_back() {
        use DemandState::*;
        assert_eq!(parse_detail(&detail(Received, Answered, None)), Some((Received, Answered, None)));
        let back = detail(Answered, Declined, Some("sin presupuesto: 2015"));
        assert_eq!(parse_detail(&back), Some((Answered, Declined, Some("sin presupuesto: 2015".into()))));
        assert_eq!(parse_detail("draft->submitted"), None);
    }
}
