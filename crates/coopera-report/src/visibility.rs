//! Who sees which activities: the public only published ones, a signed-in account also the
//! unpublished ones of its scope (`coopera_domain::access`). It is a filter of every query
//! ([`crate::Filters::visible`]), applied where every report, list, map and download selects
//! its activities ([`crate::select`]), so they all keep the same ones.
//!
//! The rule is the domain's, [`Scope::covers`]; the snapshot keeps what it reads of each
//! activity (workflow state, reporting organisation, states taking part) in compact columns,
//! and a selection asks the scope once about each organisation and each state rather than
//! once per activity, so that keeping or dropping an activity costs a few reads.

use coopera_domain::access::{Reach, Scope};
use coopera_domain::code::MxStateCode;
use coopera_domain::codelists::MX_STATE;
use coopera_domain::ids::OrgKey;
use coopera_domain::kinds::WorkflowState;

use crate::snapshot::{NONE, Snapshot};

/// Which activities a query may see at all, whatever its other filters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Visibility {
    /// Every activity, whatever its workflow state: the command line, which works on the
    /// registry itself.
    #[default]
    All,
    /// Published activities only: what the public sees.
    Published,
    /// Published activities, and the unpublished ones the scope covers ([`Scope::covers`]):
    /// those its reporting organisation or one of the states of its state and municipal
    /// participants puts in the scope. What a signed-in account sees.
    PublishedOrInScope(Scope),
}

/// A [`Visibility`] worked out over one snapshot: which activities it keeps, in a few reads
/// each.
#[derive(Debug, Clone)]
pub(crate) struct Visible {
    /// Every activity is kept.
    everything: bool,
    /// The position of `WorkflowState::Published` in `WorkflowState::ALL`.
    published: u8,
    /// By organisation (index in the snapshot's organisations): whether the unpublished
    /// activities it reports are kept.
    orgs: Vec<bool>,
    /// The unpublished activities with any of these states are kept (bit `k`: the `k`-th
    /// state of the INEGI list).
    states: u64,
}

impl Visible {
    /// Works `visibility` out over `snap`. A scope covers a record when it covers its
    /// reporting organisation or one of its states ([`Scope::covers`]), so the scope is asked
    /// about a record with nothing (does it cover everything?), then about each organisation
    /// and each state alone.
    pub(crate) fn of(snap: &Snapshot, visibility: &Visibility) -> Visible {
        let published = workflow_index(WorkflowState::Published);
        let mut visible = Visible { everything: false, published, orgs: Vec::new(), states: 0 };
        let scope = match visibility {
            Visibility::All => return Visible { everything: true, ..visible },
            Visibility::Published => return visible,
            Visibility::PublishedOrInScope(scope) => scope,
        };
        let mut reach = Reach::new(WorkflowState::Draft);
        if scope.covers(&reach) {
            visible.everything = true;
            return visible;
        }
        visible.orgs = snap
            .orgs
            .iter()
            .map(|o| {
                reach.reporting_org = OrgKey::parse(&o.key).ok();
                reach.reporting_org.is_some() && scope.covers(&reach)
            })
            .collect();
        reach.reporting_org = None;
        for (k, code) in MX_STATE.codes.iter().enumerate().take(64) {
            reach.states = MxStateCode::parse(code.code).into_iter().collect();
            if scope.covers(&reach) {
                visible.states |= state_bit(k as u32);
            }
        }
        visible
    }

    /// Whether activity `i` of the snapshot this was worked out over is kept.
    #[inline]
    pub(crate) fn keeps(&self, snap: &Snapshot, i: usize) -> bool {
        self.everything
            || snap.workflow[i] == self.published
            || snap.scope_states[i] & self.states != 0
            || self.orgs.get(snap.reporting_org[i] as usize).copied().unwrap_or(false)
    }
}

/// The position of `state` in `WorkflowState::ALL`: how the snapshot keeps it.
pub(crate) fn workflow_index(state: WorkflowState) -> u8 {
    WorkflowState::ALL.iter().position(|w| *w == state).map_or(u8::MAX, |i| i as u8)
}

/// The bit of each state (by its position in the INEGI list) in the snapshot's column of
/// the states in scope; none past the 64th, which the list does not reach (a test checks).
pub(crate) fn state_bit(position: u32) -> u64 {
    1u64.checked_shl(position).unwrap_or(0)
}

impl Snapshot {
    /// What access rules know of activity `i` ([`coopera_domain::access::decide`]): its
    /// workflow state, reporting organisation and the states of its state and municipal
    /// participants ([`coopera_domain::access::activity_states`]), as the snapshot read them;
    /// who submitted it is not known here. `None` past the last row.
    pub fn reach(&self, i: usize) -> Option<Reach> {
        let workflow = *WorkflowState::ALL.get(usize::from(*self.workflow.get(i)?))?;
        let org = self.reporting_org[i];
        let reporting_org =
            (org != NONE).then(|| self.orgs.get(org as usize)).flatten().and_then(|o| OrgKey::parse(&o.key).ok());
        let bits = self.scope_states[i];
        let states = MX_STATE
            .codes
            .iter()
            .enumerate()
            .filter(|(k, _)| bits & state_bit(*k as u32) != 0)
            .filter_map(|(_, c)| MxStateCode::parse(c.code).ok())
            .collect();
        Some(Reach { workflow, reporting_org, states, submitted_by: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_bit() {
        assert!(MX_STATE.codes.len() <= 64, "the column of states in scope holds 64");
        assert_eq!(state_bit(0), 1);
        assert_eq!(state_bit(64), 0);
    }

    #[test]
    fn every_workflow_state_has_a_byte() {
        for (i, w) in WorkflowState::ALL.iter().enumerate() {
            assert_eq!(usize::from(workflow_index(*w)), i);
        }
    }
}
