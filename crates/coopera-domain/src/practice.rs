//! Good practices (buenas prácticas): experiences of the federal government, of states and of
//! municipalities worth making known — what was done, where, with what results, and the
//! evidence of it (linked activities, documents, indicators).
//!
//! Who did it is a list of organisations; the level (federal, state, municipal) and the state
//! of a practice are derived from them and from the places it names, never typed.

use rust_decimal::Decimal;
use time::Date;

use crate::code::{CountryCode, MxMunicipalityCode, MxStateCode, ThematicAreaCode};
use crate::ids::{ActivityKey, OrgKey, RecordKey};
use crate::kinds::{CapacityForm, Level, WorkflowState};
use crate::organisation::Organisation;
use crate::problem::{Expected, Problems, Rule};
use crate::subnational::OrgStates;
use crate::text::Text;

/// A document that shows the practice: a report, an evaluation, a publication.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq)]
pub struct PracticeDocument {
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub title: Text,
    /// An `http://` or `https://` address.
    pub url: String,
}

/// A figure that shows the practice's results: `Personas atendidas`, 3000, `personas`, 2013.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq, Eq)]
pub struct PracticeIndicator {
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub name: Text,
    pub value: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct GoodPracticeParts {
    pub key: RecordKey,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub title: Text,
    /// The organisations that carried it out: federal, state or municipal (checked where the
    /// organisations are known, the store).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<OrgKey>,
    /// What was done.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mx_states: Vec<MxStateCode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mx_municipalities: Vec<MxMunicipalityCode>,
    /// Countries abroad where it took place, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub results: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<ActivityKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<PracticeDocument>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<PracticeIndicator>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<ThematicAreaCode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<CapacityForm>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Where the record stands in the validation workflow; records stored before it had one
    /// were public, and stay so.
    #[serde(default = "WorkflowState::stored_before_workflow")]
    pub workflow: WorkflowState,
}

/// A good practice. Invariants: a title and a summary; at least one organisation, each once;
/// each municipality in one of the states named, when states are named; the end not before
/// the start; every document with an `http(s)` address, every indicator named.
#[derive(Debug, Clone, PartialEq)]
pub struct GoodPractice(GoodPracticeParts);

stored_through_parts!(GoodPractice, GoodPracticeParts);

/// What the rules of a good practice look at, as far as it could be read: organisations and
/// municipalities by position, documents' addresses and indicators' names by position.
#[derive(Debug, Clone, Default)]
pub struct PracticeFacts<'a> {
    pub title: Option<&'a Text>,
    pub summary: Option<&'a Text>,
    pub organisations: Vec<Option<&'a OrgKey>>,
    pub mx_states: Vec<MxStateCode>,
    pub mx_municipalities: Vec<Option<MxMunicipalityCode>>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub document_urls: Vec<&'a str>,
    pub indicator_named: Vec<bool>,
}

impl PracticeFacts<'_> {
    pub fn check(&self) -> Problems {
        let mut problems = Problems::new();
        for (path, text) in [("title", self.title), ("summary", self.summary)] {
            if text.is_none_or(Text::is_empty) {
                problems.add(path, None, Rule::Required);
            }
        }
        self.check_organisations(&mut problems);
        self.check_places(&mut problems);
        if let (Some(s), Some(e)) = (self.start, self.end)
            && e < s
        {
            problems.add("end", Some(&e.to_string()), Rule::EndBeforeStart { start: s.to_string() });
        }
        for (i, url) in self.document_urls.iter().enumerate() {
            if url.trim().is_empty() {
                problems.add(format!("documents[{i}].url"), None, Rule::Required);
            } else if !is_web_address(url) {
                problems.add(format!("documents[{i}].url"), Some(url), Rule::Format { expected: Expected::Url });
            }
        }
        for (i, named) in self.indicator_named.iter().enumerate() {
            if !named {
                problems.add(format!("indicators[{i}].name"), None, Rule::Required);
            }
        }
        problems
    }

    fn check_organisations(&self, problems: &mut Problems) {
        if self.organisations.is_empty() {
            problems.add("organisations", None, Rule::TooFew { min: 1 });
        }
        for (i, o) in self.organisations.iter().enumerate() {
            if let Some(o) = o
                && self.organisations[..i].contains(&Some(*o))
            {
                problems.add(format!("organisations[{i}]"), Some(o.as_str()), Rule::Duplicate);
            }
        }
    }

    /// A municipality lies in one of the states named, when any are.
    fn check_places(&self, problems: &mut Problems) {
        if self.mx_states.is_empty() {
            return;
        }
        for (i, m) in self.mx_municipalities.iter().enumerate() {
            if let Some(m) = m
                && !self.mx_states.contains(&m.state())
            {
                let states = self.mx_states.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                problems.add(
                    format!("mx_municipalities[{i}]"),
                    Some(m.as_str()),
                    Rule::MunicipalityOutsideState { state: states },
                );
            }
        }
    }
}

/// An address a browser opens: `http://` or `https://` and something after it, no spaces.
pub fn is_web_address(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.contains(char::is_whitespace))
}

impl GoodPractice {
    /// Puts the record in another state of the validation workflow: the state is no fact a
    /// rule checks, so what was checked stands.
    pub fn set_workflow(&mut self, workflow: WorkflowState) {
        self.0.workflow = workflow;
    }

    pub fn new(parts: GoodPracticeParts) -> Result<GoodPractice, Problems> {
        let facts = PracticeFacts {
            title: Some(&parts.title),
            summary: Some(&parts.summary),
            organisations: parts.organisations.iter().map(Some).collect(),
            mx_states: parts.mx_states.clone(),
            mx_municipalities: parts.mx_municipalities.iter().copied().map(Some).collect(),
            start: parts.start,
            end: parts.end,
            document_urls: parts.documents.iter().map(|d| d.url.as_str()).collect(),
            indicator_named: parts.indicators.iter().map(|i| !i.name.is_empty()).collect(),
        };
        let problems = facts.check();
        problems.finish(|| GoodPractice(parts))
    }

    pub fn parts(&self) -> &GoodPracticeParts {
        &self.0
    }

    pub fn into_parts(self) -> GoodPracticeParts {
        self.0
    }

    /// The states whose practice it is, sorted, each once: those of its organisations (a
    /// state or municipal government or body belongs to its state), the states it took
    /// place in and its municipalities' states.
    pub fn states(&self, states: &OrgStates) -> Vec<MxStateCode> {
        let p = &self.0;
        let of_orgs = p.organisations.iter().filter_map(|o| states.of(o));
        let of_places = p.mx_municipalities.iter().map(MxMunicipalityCode::state);
        let mut out: Vec<MxStateCode> = of_orgs.chain(p.mx_states.iter().copied()).chain(of_places).collect();
        out.sort();
        out.dedup();
        out
    }

    /// The levels of government that carried it out (federal, state, municipal), in that
    /// order, each once: its organisations' levels. An organisation not found, or of another
    /// level, adds none.
    pub fn levels<'a>(&self, organisation: impl Fn(&OrgKey) -> Option<&'a Organisation>) -> Vec<Level> {
        let found: Vec<Level> =
            self.0.organisations.iter().filter_map(|k| organisation(k).map(|o| o.level())).collect();
        GOVERNMENT_LEVELS.into_iter().filter(|l| found.contains(l)).collect()
    }
}

/// What the lists of good practices narrow by — the command line's flags, the showcase's
/// filters; each given one must hold.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PracticeFilter {
    /// Of this state ([`GoodPractice::states`]).
    pub state: Option<MxStateCode>,
    pub theme: Option<ThematicAreaCode>,
    pub form: Option<CapacityForm>,
    /// Of an organisation of this order of government ([`GoodPractice::levels`]).
    pub level: Option<Level>,
}

impl PracticeFilter {
    /// Whether `practice` passes; `states` and `organisation` are the registry's organisations.
    pub fn keeps<'a>(
        &self,
        practice: &GoodPractice,
        states: &OrgStates,
        organisation: impl Fn(&OrgKey) -> Option<&'a Organisation>,
    ) -> bool {
        let p = practice.parts();
        self.state.is_none_or(|s| practice.states(states).contains(&s))
            && self.theme.is_none_or(|t| p.themes.contains(&t))
            && self.form.is_none_or(|f| p.forms.contains(&f))
            && self.level.is_none_or(|l| practice.levels(organisation).contains(&l))
    }
}

/// The levels a good practice is of: the three orders of Mexican government.
pub const GOVERNMENT_LEVELS: [Level; 3] = [Level::Federal, Level::State, Level::Municipal];

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn parts() -> GoodPracticeParts {
        GoodPracticeParts {
            workflow: WorkflowState::Draft,
            key: RecordKey::parse("bp-1").unwrap(),
            title: Text::es_en("Registro de trabajadores", "Register of workers"),
            organisations: vec![OrgKey::parse("chiapas-sriam").unwrap()],
            summary: Text::es_en("Se documentó a los trabajadores.", "Workers were documented."),
            mx_states: vec![MxStateCode::parse("07").unwrap()],
            mx_municipalities: vec![MxMunicipalityCode::parse("07089").unwrap()],
            countries: vec![CountryCode::parse("GT").unwrap()],
            start: Some(date!(2013 - 01 - 01)),
            end: None,
            results: Text::new(),
            activities: vec![],
            documents: vec![PracticeDocument {
                title: Text::es_en("Informe", "Report"),
                url: "https://example.org/informe.pdf".into(),
            }],
            indicators: vec![PracticeIndicator {
                name: Text::es_en("Tarjetas expedidas", "Cards issued"),
                value: Decimal::from(1200),
                unit: None,
                year: Some(2013),
            }],
            themes: vec![ThematicAreaCode::parse("150").unwrap()],
            forms: vec![CapacityForm::TechnicalAssistance],
            keywords: vec![],
        }
    }

    fn paths(p: GoodPracticeParts) -> Vec<String> {
        GoodPractice::new(p).unwrap_err().iter().map(|p| p.path.clone()).collect()
    }

    #[test]
    fn a_whole_practice_is_accepted() {
        assert!(GoodPractice::new(parts()).is_ok());
    }

    #[test]
    fn title_summary_and_an_organisation_are_required() {
        let p = GoodPracticeParts { title: Text::new(), summary: Text::new(), organisations: vec![], ..parts() };
        assert_eq!(paths(p), ["title", "summary", "organisations"]);
    }

    #[test]
    fn organisations_once_and_dates_in_order() {
        let twice = vec![OrgKey::parse("amexcid").unwrap(), OrgKey::parse("amexcid").unwrap()];
        let p = GoodPracticeParts { organisations: twice, end: Some(date!(2012 - 01 - 01)), ..parts() };
        assert_eq!(paths(p), ["organisations[1]", "end"]);
    }

    #[test]
    fn municipalities_lie_in_the_states_named() {
        let p = GoodPracticeParts { mx_municipalities: vec![MxMunicipalityCode::parse("14039").unwrap()], ..parts() };
        let err = GoodPractice::new(p).unwrap_err();
        assert_eq!(err.0[0].path, "mx_municipalities[0]");
        assert!(matches!(err.0[0].rule, Rule::MunicipalityOutsideState { .. }));
        let none_named = GoodPracticeParts {
            mx_states: vec![],
            mx_municipalities: vec![MxMunicipalityCode::parse("14039").unwrap()],
            ..parts()
        };
        assert!(GoodPractice::new(none_named).is_ok(), "a municipality alone names its state");
    }

    #[test]
    fn documents_need_a_web_address_and_indicators_a_name() {
        let mut p = parts();
        p.documents.push(PracticeDocument { title: Text::new(), url: "ftp://x".into() });
        p.documents.push(PracticeDocument { title: Text::new(), url: " ".into() });
        p.indicators[0].name = Text::new();
        assert_eq!(paths(p), ["documents[1].url", "documents[2].url", "indicators[0].name"]);
        assert!(is_web_address("http://a.mx/x") && !is_web_address("https://") && !is_web_address("https://a b"));
    }

    #[test]
    fn a_filter_keeps_what_holds_every_condition() {
        let practice = GoodPractice::new(parts()).unwrap();
        let none = |_: &OrgKey| None;
        let states = OrgStates::default();
        let chiapas = MxStateCode::parse("07").ok();
        let keeps = |f: PracticeFilter| f.keeps(&practice, &states, none);
        assert!(keeps(PracticeFilter::default()));
        assert!(keeps(PracticeFilter {
            state: chiapas,
            theme: ThematicAreaCode::parse("150").ok(),
            ..Default::default()
        }));
        assert!(!keeps(PracticeFilter { state: MxStateCode::parse("14").ok(), ..Default::default() }));
        assert!(!keeps(PracticeFilter { state: chiapas, form: Some(CapacityForm::Course), ..Default::default() }));
        assert!(!keeps(PracticeFilter { level: Some(Level::State), ..Default::default() }), "no organisation known");
    }

    #[test]
    fn states_come_from_organisations_and_places() {
        let p = GoodPracticeParts {
            mx_states: vec![],
            mx_municipalities: vec![MxMunicipalityCode::parse("14039").unwrap()],
            ..parts()
        };
        let practice = GoodPractice::new(p).unwrap();
        let codes: Vec<&str> = practice.states(&OrgStates::default()).iter().map(|s| s.as_str()).collect();
        assert_eq!(codes, ["14"], "no organisation known: the municipality's state");
    }
}
