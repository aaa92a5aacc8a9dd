//! The international action of states and municipalities: actions abroad, inter-institutional
//! agreements and memberships of networks such as AMAIE or CONAGO's commission.

use std::collections::HashMap;

use time::Date;

use crate::activity::CrossBorder;
use crate::code::{CountryCode, MxStateCode};
use crate::ids::{ActivityKey, OrgKey, RecordKey};
use crate::kinds::{ActionKind, AgreementStanding, MembershipStanding, WorkflowState};
use crate::organisation::Organisation;
use crate::problem::{Problems, Rule};
use crate::text::Text;

/// An end not before its start, when both are known.
fn end_not_before(path: &str, start: Option<Date>, end: Option<Date>, problems: &mut Problems) {
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        problems.add(path, Some(&e.to_string()), Rule::EndBeforeStart { start: s.to_string() });
    }
}

/// The state of each organisation that has one, by key: [`crate::access::state_of`], the rule
/// of a `state:` scope — a state or municipal government or body belongs to its state, or to
/// its municipality's. It says whose records an action, an agreement or a membership is, for
/// every door that lists them by state (the command line's `--state`, the web's profiles).
#[derive(Debug, Clone, Default)]
pub struct OrgStates(HashMap<String, MxStateCode>);

impl OrgStates {
    pub fn new<'a>(organisations: impl IntoIterator<Item = &'a Organisation>) -> OrgStates {
        let states = organisations
            .into_iter()
            .filter_map(|o| crate::access::state_of(o).map(|s| (o.key().as_str().to_owned(), s)));
        OrgStates(states.collect())
    }

    pub fn of(&self, key: &OrgKey) -> Option<MxStateCode> {
        self.0.get(key.as_str()).copied()
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct SubnationalActionParts {
    pub key: RecordKey,
    /// The state or municipal government that acts. That it is subnational is checked where
    /// the organisations are known (the store).
    pub actor: OrgKey,
    pub kind: ActionKind,
    pub date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterpart: Option<String>,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub purpose: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub outcome: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<ActivityKey>,
    /// The cross-border agenda the action serves, as an activity's: a border and dimensions.
    /// Absent in actions stored before the tag existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_border: Option<CrossBorder>,
    /// Where the record stands in the validation workflow; records stored before it had one
    /// were public, and stay so.
    #[serde(default = "WorkflowState::stored_before_workflow")]
    pub workflow: WorkflowState,
}

/// One international action of a subnational government. Invariants: a purpose; an end date,
/// if any, not before the date.
#[derive(Debug, Clone, PartialEq)]
pub struct SubnationalAction(SubnationalActionParts);

stored_through_parts!(SubnationalAction, SubnationalActionParts);

/// What the rules of an international action look at, as far as it could be read.
#[derive(Debug, Clone, Copy)]
pub struct ActionFacts<'a> {
    pub purpose: &'a Text,
    pub date: Option<Date>,
    pub end_date: Option<Date>,
}

impl ActionFacts<'_> {
    pub fn check(&self) -> Problems {
        let mut problems = Problems::new();
        if self.purpose.is_empty() {
            problems.add("purpose", None, Rule::Required);
        }
        end_not_before("end_date", self.date, self.end_date, &mut problems);
        problems
    }
}

impl SubnationalAction {
    /// Puts the record in another state of the validation workflow: the state is no fact a
    /// rule checks, so what was checked stands.
    pub fn set_workflow(&mut self, workflow: WorkflowState) {
        self.0.workflow = workflow;
    }

    pub fn new(parts: SubnationalActionParts) -> Result<SubnationalAction, Problems> {
        let facts = ActionFacts { purpose: &parts.purpose, date: Some(parts.date), end_date: parts.end_date };
        let problems = facts.check();
        problems.finish(|| SubnationalAction(parts))
    }

    pub fn parts(&self) -> &SubnationalActionParts {
        &self.0
    }

    /// The state whose action it is: its actor's.
    pub fn state(&self, states: &OrgStates) -> Option<MxStateCode> {
        states.of(&self.0.actor)
    }

    pub fn into_parts(self) -> SubnationalActionParts {
        self.0
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct AgreementParts {
    pub key: RecordKey,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub title: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<OrgKey>,
    pub signed: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub scope: Text,
    /// The registration number given by the foreign ministry's registry of agreements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<ActivityKey>,
    /// Where the record stands in the validation workflow; records stored before it had one
    /// were public, and stay so.
    #[serde(default = "WorkflowState::stored_before_workflow")]
    pub workflow: WorkflowState,
}

/// An inter-institutional agreement (acuerdo interinstitucional). Invariants: a title, at least
/// two distinct parties, validity not ending before signature.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement(AgreementParts);

stored_through_parts!(Agreement, AgreementParts);

/// What the rules of an agreement look at, as far as it could be read: parties by position.
#[derive(Debug, Clone)]
pub struct AgreementFacts<'a> {
    pub title: &'a Text,
    pub parties: Vec<Option<&'a OrgKey>>,
    pub signed: Option<Date>,
    pub valid_until: Option<Date>,
}

impl AgreementFacts<'_> {
    pub fn check(&self) -> Problems {
        let mut problems = Problems::new();
        if self.title.is_empty() {
            problems.add("title", None, Rule::Required);
        }
        if self.parties.len() < 2 {
            problems.add("parties", None, Rule::TooFew { min: 2 });
        }
        for (i, p) in self.parties.iter().enumerate() {
            if let Some(p) = p
                && self.parties[..i].contains(&Some(*p))
            {
                problems.add(format!("parties[{i}]"), Some(p.as_str()), Rule::Duplicate);
            }
        }
        end_not_before("valid_until", self.signed, self.valid_until, &mut problems);
        problems
    }
}

impl Agreement {
    /// Puts the record in another state of the validation workflow: the state is no fact a
    /// rule checks, so what was checked stands.
    pub fn set_workflow(&mut self, workflow: WorkflowState) {
        self.0.workflow = workflow;
    }

    pub fn new(parts: AgreementParts) -> Result<Agreement, Problems> {
        let facts = AgreementFacts {
            title: &parts.title,
            parties: parts.parties.iter().map(Some).collect(),
            signed: Some(parts.signed),
            valid_until: parts.valid_until,
        };
        let problems = facts.check();
        problems.finish(|| Agreement(parts))
    }

    pub fn parts(&self) -> &AgreementParts {
        &self.0
    }

    /// Where the agreement stands `on` a day: in force from its signature to its last day of
    /// validity, both included (for ever when it has none); expired after; not yet before.
    pub fn standing(&self, on: Date) -> AgreementStanding {
        let p = &self.0;
        if on < p.signed {
            AgreementStanding::NotYetInForce
        } else if p.valid_until.is_some_and(|until| until < on) {
            AgreementStanding::Expired
        } else {
            AgreementStanding::InForce
        }
    }

    /// The states whose agreement it is: those of its parties, sorted, each once.
    pub fn states(&self, states: &OrgStates) -> Vec<MxStateCode> {
        let mut out: Vec<MxStateCode> = self.0.parties.iter().filter_map(|p| states.of(p)).collect();
        out.sort();
        out.dedup();
        out
    }

    pub fn into_parts(self) -> AgreementParts {
        self.0
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct NetworkMembershipParts {
    pub key: RecordKey,
    /// The network, itself an organisation (AMAIE, CONAGO's international affairs commission…).
    pub network: OrgKey,
    pub member: OrgKey,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// The member's role in the network (coordinator, member…), free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Where the record stands in the validation workflow; records stored before it had one
    /// were public, and stay so.
    #[serde(default = "WorkflowState::stored_before_workflow")]
    pub workflow: WorkflowState,
}

/// Membership of a network. Invariants: an organisation is not a member of itself; the end,
/// if any, is not before the start.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkMembership(NetworkMembershipParts);

stored_through_parts!(NetworkMembership, NetworkMembershipParts);

/// What the rules of a membership look at, as far as it could be read.
#[derive(Debug, Clone, Copy)]
pub struct MembershipFacts<'a> {
    pub network: Option<&'a OrgKey>,
    pub member: Option<&'a OrgKey>,
    pub since: Option<Date>,
    pub until: Option<Date>,
}

impl MembershipFacts<'_> {
    pub fn check(&self) -> Problems {
        let mut problems = Problems::new();
        if let (Some(network), Some(member)) = (self.network, self.member)
            && network == member
        {
            problems.add("member", Some(member.as_str()), Rule::Duplicate);
        }
        end_not_before("until", self.since, self.until, &mut problems);
        problems
    }
}

impl NetworkMembership {
    /// Puts the record in another state of the validation workflow: the state is no fact a
    /// rule checks, so what was checked stands.
    pub fn set_workflow(&mut self, workflow: WorkflowState) {
        self.0.workflow = workflow;
    }

    pub fn new(parts: NetworkMembershipParts) -> Result<NetworkMembership, Problems> {
        let facts = MembershipFacts {
            network: Some(&parts.network),
            member: Some(&parts.member),
            since: parts.since,
            until: parts.until,
        };
        let problems = facts.check();
        problems.finish(|| NetworkMembership(parts))
    }

    pub fn parts(&self) -> &NetworkMembershipParts {
        &self.0
    }

    /// Where the membership stands `on` a day: current from its start to its end, both
    /// included (an unknown start is long past, no end is for ever); past after its end; not
    /// yet begun before its start.
    pub fn standing(&self, on: Date) -> MembershipStanding {
        let p = &self.0;
        if p.since.is_some_and(|since| on < since) {
            MembershipStanding::NotYetBegun
        } else if p.until.is_some_and(|until| until < on) {
            MembershipStanding::Past
        } else {
            MembershipStanding::Current
        }
    }

    /// The state whose membership it is: its member's.
    pub fn state(&self, states: &OrgStates) -> Option<MxStateCode> {
        states.of(&self.0.member)
    }

    pub fn into_parts(self) -> NetworkMembershipParts {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::Lang;

    fn key(s: &str) -> OrgKey {
        OrgKey::parse(s).unwrap()
    }

    #[test]
    fn agreement_needs_two_parties_and_ordered_dates() {
        let parts = AgreementParts {
            workflow: WorkflowState::Draft,
            key: RecordKey::parse("acuerdo-1").unwrap(),
            title: Text::es_en("Acuerdo", "Agreement"),
            parties: vec![key("gob-chiapas")],
            signed: date!(2012 - 05 - 01),
            valid_until: Some(date!(2011 - 01 - 01)),
            scope: Text::new(),
            registration_number: None,
            activities: vec![],
        };
        let err = Agreement::new(parts.clone()).unwrap_err();
        assert_eq!(err.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(), ["parties", "valid_until"]);
        let ok = AgreementParts { parties: vec![key("gob-chiapas"), key("gob-guatemala")], valid_until: None, ..parts };
        assert!(Agreement::new(ok).is_ok());
    }

    fn agreement(signed: Date, valid_until: Option<Date>) -> Agreement {
        Agreement::new(AgreementParts {
            workflow: WorkflowState::Draft,
            key: RecordKey::parse("acuerdo-1").unwrap(),
            title: Text::es_en("Acuerdo", "Agreement"),
            parties: vec![key("gob-chiapas"), key("gt-peten")],
            signed,
            valid_until,
            scope: Text::new(),
            registration_number: None,
            activities: vec![],
        })
        .unwrap()
    }

    #[test]
    fn an_agreement_is_in_force_from_signature_to_its_last_valid_day() {
        use AgreementStanding::*;
        let bounded = agreement(date!(2012 - 06 - 22), Some(date!(2016 - 06 - 21)));
        assert_eq!(bounded.standing(date!(2012 - 06 - 21)), NotYetInForce);
        assert_eq!(bounded.standing(date!(2012 - 06 - 22)), InForce, "the day of signature counts");
        assert_eq!(bounded.standing(date!(2016 - 06 - 21)), InForce, "the last valid day counts");
        assert_eq!(bounded.standing(date!(2016 - 06 - 22)), Expired);
        let open = agreement(date!(2012 - 06 - 15), None);
        assert_eq!(open.standing(date!(2099 - 01 - 01)), InForce, "no end is for ever");
        assert_eq!(open.standing(date!(2012 - 06 - 14)), NotYetInForce);
        assert_eq!((InForce.label(Lang::Es), Expired.label(Lang::En)), ("Vigente", "Expired"));
    }

    #[test]
    fn a_membership_is_current_between_its_dates() {
        use MembershipStanding::*;
        let m = |since, until| {
            NetworkMembership::new(NetworkMembershipParts {
                workflow: WorkflowState::Draft,
                key: RecordKey::parse("m-1").unwrap(),
                network: key("amaie"),
                member: key("gob-chiapas"),
                since,
                until,
                role: None,
            })
            .unwrap()
        };
        let ended = m(Some(date!(2010 - 05 - 20)), Some(date!(2013 - 12 - 31)));
        assert_eq!(ended.standing(date!(2010 - 05 - 19)), NotYetBegun);
        assert_eq!(ended.standing(date!(2010 - 05 - 20)), Current);
        assert_eq!(ended.standing(date!(2013 - 12 - 31)), Current);
        assert_eq!(ended.standing(date!(2014 - 01 - 01)), Past);
        assert_eq!(m(None, None).standing(date!(1900 - 01 - 01)), Current, "an unknown start is long past");
        assert_eq!((Past.label(Lang::Es), NotYetBegun.label(Lang::En)), ("Concluida", "Not yet begun"));
    }

    #[test]
    fn action_dates_ordered_and_membership_not_self() {
        let action = SubnationalActionParts {
            workflow: WorkflowState::Draft,
            key: RecordKey::parse("mision-1").unwrap(),
            actor: key("gob-chiapas"),
            kind: ActionKind::TradeMission,
            date: date!(2012 - 05 - 10),
            end_date: Some(date!(2012 - 05 - 01)),
            country: None,
            city: None,
            counterpart: None,
            purpose: Text::es_en("Promoción", "Promotion"),
            outcome: Text::new(),
            activities: vec![],
            cross_border: None,
        };
        assert_eq!(SubnationalAction::new(action).unwrap_err().0[0].path, "end_date");
        let m = NetworkMembershipParts {
            workflow: WorkflowState::Draft,
            key: RecordKey::parse("m-1").unwrap(),
            network: key("amaie"),
            member: key("amaie"),
            since: None,
            until: None,
            role: None,
        };
        assert_eq!(NetworkMembership::new(m).unwrap_err().0[0].rule, Rule::Duplicate);
    }
}
