//! Organisations: the actors of cooperation, from AMEXCID to a municipality of Oaxaca.

use crate::code::{CountryCode, MxMunicipalityCode, MxStateCode, OrganisationTypeCode};
use crate::ids::OrgKey;
use crate::kinds::Level;
use crate::problem::{Problems, Rule};
use crate::text::Text;

/// Everything an organisation is made of; [`Organisation::new`] checks it.
#[derive(Debug, serde::Serialize, serde::Deserialize, Clone, PartialEq)]
pub struct OrganisationParts {
    pub key: OrgKey,
    /// The IATI organisation identifier, where one exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iati_ref: Option<String>,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acronym: Option<String>,
    pub kind: OrganisationTypeCode,
    pub level: Level,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mx_state: Option<MxStateCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mx_municipality: Option<MxMunicipalityCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<OrgKey>,
}

/// An actor. Invariants: it has a name; a state or municipal government is Mexican and names
/// its INEGI state; a municipal one names its municipality, inside that state; INEGI codes
/// appear only on Mexican organisations.
#[derive(Debug, Clone, PartialEq)]
pub struct Organisation(OrganisationParts);

stored_through_parts!(Organisation, OrganisationParts);

/// What the rules of an organisation look at, as far as it could be read: `None` for a value
/// that did not pass its own check (its problem is reported already); an optional field that
/// was read is `Some(None)` when empty. A rule that needs an unread value waits, the others
/// apply, so a form's problems come in one answer.
#[derive(Debug, Clone, Copy)]
pub struct OrganisationFacts<'a> {
    pub key: Option<&'a OrgKey>,
    pub name: &'a Text,
    pub level: Option<Level>,
    pub country: Option<Option<CountryCode>>,
    pub mx_state: Option<Option<MxStateCode>>,
    pub mx_municipality: Option<Option<MxMunicipalityCode>>,
    pub parent: Option<Option<&'a OrgKey>>,
}

impl<'a> OrganisationFacts<'a> {
    pub fn of(parts: &'a OrganisationParts) -> OrganisationFacts<'a> {
        OrganisationFacts {
            key: Some(&parts.key),
            name: &parts.name,
            level: Some(parts.level),
            country: Some(parts.country),
            mx_state: Some(parts.mx_state),
            mx_municipality: Some(parts.mx_municipality),
            parent: Some(parts.parent.as_ref()),
        }
    }

    pub fn check(&self) -> Problems {
        let mut problems = Problems::new();
        if self.name.is_empty() {
            problems.add("name", None, Rule::Required);
        }
        let mexican = self.country.map(|c| c.is_some_and(|c| c.as_str() == "MX"));
        if let (Some(level), Some(mexican), Some(state)) = (self.level, mexican, self.mx_state)
            && level.is_subnational()
            && (!mexican || state.is_none())
        {
            problems.add("mx_state", None, Rule::SubnationalNeedsState);
        }
        if self.level == Some(Level::Municipal) && self.mx_municipality == Some(None) {
            problems.add("mx_municipality", None, Rule::MunicipalNeedsMunicipality);
        }
        // An INEGI code that could not be read was given all the same.
        let inegi = self.mx_state != Some(None) || self.mx_municipality != Some(None);
        if mexican == Some(false) && inegi {
            problems.add("country", self.country.flatten().map(|c| c.as_str()), Rule::StateOutsideMexico);
        }
        if let (Some(Some(m)), Some(Some(s))) = (self.mx_municipality, self.mx_state)
            && s != m.state()
        {
            problems.add(
                "mx_municipality",
                Some(m.as_str()),
                Rule::MunicipalityOutsideState { state: s.as_str().to_owned() },
            );
        }
        if let (Some(Some(parent)), Some(key)) = (self.parent, self.key)
            && parent == key
        {
            problems.add("parent", Some(parent.as_str()), Rule::Duplicate);
        }
        problems
    }
}

impl Organisation {
    pub fn new(parts: OrganisationParts) -> Result<Organisation, Problems> {
        let problems = OrganisationFacts::of(&parts).check();
        problems.finish(|| Organisation(parts))
    }

    pub fn parts(&self) -> &OrganisationParts {
        &self.0
    }

    pub fn into_parts(self) -> OrganisationParts {
        self.0
    }

    pub fn key(&self) -> &OrgKey {
        &self.0.key
    }

    pub fn level(&self) -> Level {
        self.0.level
    }

    pub fn country(&self) -> Option<CountryCode> {
        self.0.country
    }

    /// The municipality's state when only the municipality was given.
    pub fn mx_state(&self) -> Option<MxStateCode> {
        self.0.mx_state.or_else(|| self.0.mx_municipality.map(|m| m.state()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(level: Level, country: &str, state: Option<&str>, mun: Option<&str>) -> OrganisationParts {
        OrganisationParts {
            key: OrgKey::parse("x").unwrap(),
            iati_ref: None,
            name: Text::es_en("Gobierno", "Government"),
            acronym: None,
            kind: OrganisationTypeCode::parse("10").unwrap(),
            level,
            country: Some(CountryCode::parse(country).unwrap()),
            mx_state: state.map(|s| MxStateCode::parse(s).unwrap()),
            mx_municipality: mun.map(|m| MxMunicipalityCode::parse(m).unwrap()),
            parent: None,
        }
    }

    #[test]
    fn subnational_needs_state() {
        assert!(Organisation::new(parts(Level::State, "MX", Some("07"), None)).is_ok());
        let err = Organisation::new(parts(Level::State, "MX", None, None)).unwrap_err();
        assert_eq!(err.0[0].rule, Rule::SubnationalNeedsState);
        let err = Organisation::new(parts(Level::State, "GT", Some("07"), None)).unwrap_err();
        assert!(err.iter().any(|p| p.rule == Rule::StateOutsideMexico));
    }

    #[test]
    fn municipality_inside_its_state() {
        assert!(Organisation::new(parts(Level::Municipal, "MX", Some("07"), Some("07101"))).is_ok());
        let err = Organisation::new(parts(Level::Municipal, "MX", Some("20"), Some("07101"))).unwrap_err();
        assert_eq!(err.0[0].rule, Rule::MunicipalityOutsideState { state: "20".into() });
        let err = Organisation::new(parts(Level::Municipal, "MX", Some("07"), None)).unwrap_err();
        assert_eq!(err.0[0].rule, Rule::MunicipalNeedsMunicipality);
    }
}
