//! The catalog of national capacities (Catálogo de Capacidades) and partners' demands.

use time::Date;

use crate::activity::{SectorShare, ShareFact, check_known_sums};
use crate::code::{CountryCode, LanguageCode, MxStateCode};
use crate::ids::{ActivityKey, OrgKey, RecordKey};
use crate::kinds::{CapacityForm, DemandState, WorkflowState};
use crate::problem::{Problems, Rule};
use crate::text::Text;

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct CapacityParts {
    pub key: RecordKey,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub title: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    /// The national institution that offers it.
    pub institution: OrgKey,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<SectorShare>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<CapacityForm>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<LanguageCode>,
    pub contact: Contact,
    /// Past activities that prove the capacity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<ActivityKey>,
    /// Where the record stands in the validation workflow; records stored before it had one
    /// were public, and stay so.
    #[serde(default = "WorkflowState::stored_before_workflow")]
    pub workflow: WorkflowState,
}

/// What a national institution can offer. Invariants: a title, at least one sector with
/// percentages adding up to 100 per vocabulary, at least one form.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity(CapacityParts);

stored_through_parts!(Capacity, CapacityParts);

/// What the rules of a capacity look at, as far as it could be read (see
/// [`crate::activity::ActivityFacts`]): sectors by position, and how many forms were given.
#[derive(Debug, Clone)]
pub struct CapacityFacts<'a> {
    pub title: &'a Text,
    pub sectors: Vec<ShareFact<'a>>,
    pub forms: usize,
    pub email: Option<&'a str>,
}

impl<'a> CapacityFacts<'a> {
    pub fn of(parts: &'a CapacityParts) -> CapacityFacts<'a> {
        CapacityFacts {
            title: &parts.title,
            sectors: share_facts(&parts.sectors),
            forms: parts.forms.len(),
            email: parts.contact.email.as_deref(),
        }
    }

    pub fn check(&self) -> Problems {
        let mut problems = Problems::new();
        check_title_and_sectors(self.title, &self.sectors, &mut problems);
        if self.forms == 0 {
            problems.add("forms", None, Rule::TooFew { min: 1 });
        }
        if let Some(email) = self.email
            && !email.contains('@')
        {
            problems.add("contact.email", Some(email), Rule::Format { expected: crate::problem::Expected::Email });
        }
        problems
    }
}

impl Capacity {
    /// Puts the record in another state of the validation workflow: the state is no fact a
    /// rule checks, so what was checked stands.
    pub fn set_workflow(&mut self, workflow: WorkflowState) {
        self.0.workflow = workflow;
    }

    pub fn new(parts: CapacityParts) -> Result<Capacity, Problems> {
        let problems = CapacityFacts::of(&parts).check();
        problems.finish(|| Capacity(parts))
    }

    pub fn parts(&self) -> &CapacityParts {
        &self.0
    }

    pub fn into_parts(self) -> CapacityParts {
        self.0
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct DemandParts {
    pub key: RecordKey,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub title: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    /// The partner or Mexican state that asks.
    pub requester: OrgKey,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<SectorShare>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<CapacityForm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mx_state: Option<MxStateCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<Date>,
    /// The languages the cooperation can take place in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<LanguageCode>,
    /// Where the demand stands in its workflow; who moved it and when is in the audit trail.
    #[serde(default, skip_serializing_if = "DemandState::is_received")]
    pub state: DemandState,
    /// The capacities proposed in answer, best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proposed: Vec<RecordKey>,
    /// The activity that carries the agreed cooperation out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<ActivityKey>,
    /// When it was answered, agreed, and closed or declined: the dates the catalog report's
    /// cycle times count from `received`. A workflow step sets its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled: Option<Date>,
}

/// A request (solicitud) for cooperation, matched against the catalog. Invariants: a title, at
/// least one sector with percentages adding up to 100 per vocabulary; an answered, agreed or
/// closed demand names the capacities proposed, and an agreed or closed one the activity that
/// carries it out.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand(DemandParts);

stored_through_parts!(Demand, DemandParts);

/// What the rules of a demand look at, as far as it could be read.
#[derive(Debug, Clone)]
pub struct DemandFacts<'a> {
    pub title: &'a Text,
    pub sectors: Vec<ShareFact<'a>>,
    pub state: DemandState,
    pub proposed: usize,
    pub activity: bool,
    /// `received`, then the dates of the steps (`answered`, `agreed`, `settled`).
    pub dates: [Option<Date>; 4],
}

impl<'a> DemandFacts<'a> {
    pub fn of(parts: &'a DemandParts) -> DemandFacts<'a> {
        DemandFacts {
            title: &parts.title,
            sectors: share_facts(&parts.sectors),
            state: parts.state,
            proposed: parts.proposed.len(),
            activity: parts.activity.is_some(),
            dates: [parts.received, parts.answered, parts.agreed, parts.settled],
        }
    }

    pub fn check(&self) -> Problems {
        let mut problems = Problems::new();
        check_title_and_sectors(self.title, &self.sectors, &mut problems);
        if self.state.was_answered() && self.proposed == 0 {
            problems.add("proposed", None, Rule::RequiredInState { state: self.state });
        }
        if matches!(self.state, DemandState::Agreed | DemandState::Closed) && !self.activity {
            problems.add("activity", None, Rule::RequiredInState { state: self.state });
        }
        let [received, steps @ ..] = self.dates;
        if let Some(received) = received {
            for (field, date) in ["answered", "agreed", "settled"].into_iter().zip(steps) {
                if let Some(date) = date
                    && date < received
                {
                    let rule = Rule::EndBeforeStart { start: received.to_string() };
                    problems.add(field, Some(&date.to_string()), rule);
                }
            }
        }
        problems
    }
}

impl Demand {
    pub fn new(parts: DemandParts) -> Result<Demand, Problems> {
        let problems = DemandFacts::of(&parts).check();
        problems.finish(|| Demand(parts))
    }

    pub fn parts(&self) -> &DemandParts {
        &self.0
    }

    pub fn into_parts(self) -> DemandParts {
        self.0
    }
}

fn share_facts(sectors: &[SectorShare]) -> Vec<ShareFact<'_>> {
    sectors
        .iter()
        .map(|s| ShareFact { group: s.sector.vocabulary(), code: Some(s.sector.code()), percent: Some(s.percent) })
        .collect()
}

fn check_title_and_sectors(title: &Text, sectors: &[ShareFact<'_>], problems: &mut Problems) {
    if title.is_empty() {
        problems.add("title", None, Rule::Required);
    }
    if sectors.is_empty() {
        problems.add("sectors", None, Rule::TooFew { min: 1 });
    }
    check_known_sums("sectors", sectors, problems);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::SectorRef;
    use crate::code::SectorCode;

    fn capacity(percent: &str, forms: Vec<CapacityForm>) -> CapacityParts {
        CapacityParts {
            workflow: WorkflowState::Draft,
            key: RecordKey::parse("cap-1").unwrap(),
            title: Text::es_en("Manejo de cuencas", "Watershed management"),
            description: Text::new(),
            institution: OrgKey::parse("conagua").unwrap(),
            sectors: vec![SectorShare {
                sector: SectorRef::Dac(SectorCode::parse("41010").unwrap()),
                percent: percent.parse().unwrap(),
            }],
            forms,
            languages: vec![],
            contact: Contact::default(),
            evidence: vec![],
        }
    }

    #[test]
    fn capacity_needs_full_sectors_and_a_form() {
        assert!(Capacity::new(capacity("100", vec![CapacityForm::Course])).is_ok());
        let err = Capacity::new(capacity("80", vec![])).unwrap_err();
        let rules: Vec<_> = err.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(rules, ["sectors", "forms"]);
    }

    #[test]
    fn a_demand_answered_names_its_capacities_and_dates_follow_reception() {
        use crate::doc::DemandDoc;
        let doc = |extra: &str| -> DemandDoc {
            let json = format!(
                r#"{{"key":"sol-1","title":"Cuencas","requester":"segeplan","sectors":[{{"code":"41010"}}],"received":"2014-02-10"{extra}}}"#
            );
            serde_json::from_str(&json).expect("fixture")
        };
        let paths = |d: DemandDoc| d.into_domain().unwrap_err().iter().map(|p| p.path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(doc(r#","state":"answered""#)), ["proposed"]);
        assert_eq!(paths(doc(r#","state":"agreed","proposed":["cap-1"]"#)), ["activity"]);
        assert_eq!(paths(doc(r#","state":"answered","proposed":["cap-1"],"answered":"2014-01-01""#)), ["answered"]);
        let ok =
            doc(r#","state":"answered","proposed":["cap-1"],"answered":"2014-03-01""#).into_domain().expect("whole");
        assert_eq!(DemandDoc::from_domain(&ok).answered.as_deref(), Some("2014-03-01"));
        assert!(DemandState::Received.can_move_to(DemandState::Declined));
        assert!(!DemandState::Declined.can_move_to(DemandState::Answered));
    }
}
