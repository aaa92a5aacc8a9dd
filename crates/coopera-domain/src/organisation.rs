//! Organisations: the actors of cooperation, from AMEXCID to a municipality of Oaxaca.

use crate::code::{CountryCode, MxMunicipalityCode, MxStateCode, OrganisationTypeCode};
use crate::ids::OrgKey;
use crate::kinds::Level;
use crate::problem::{Problems, Rule};
use crate::text::Text;

/// Everything an organisation is made of; [`Organisation::new`] checks it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationParts {
    pub key: OrgKey,
    /// The IATI organisation identifier, where one exists.
    pub iati_ref: Option<String>,
    pub name: Text,
    pub acronym: Option<String>,
    pub kind: OrganisationTypeCode,
    pub level: Level,
    pub country: Option<CountryCode>,
    pub mx_state: Option<MxStateCode>,
    pub mx_municipality: Option<MxMunicipalityCode>,
    pub parent: Option<OrgKey>,
}

/// An actor. Invariants: it has a name; a state or municipal government is Mexican and names
/// its INEGI state; a municipal one names its municipality, inside that state; INEGI codes
/// appear only on Mexican organisations.
#[derive(Debug, Clone, PartialEq)]
pub struct Organisation(OrganisationParts);

impl Organisation {
    pub fn new(parts: OrganisationParts) -> Result<Organisation, Problems> {
        let mut problems = Problems::new();
        if parts.name.is_empty() {
            problems.add("name", None, Rule::Required);
        }
        let is_mexican = parts.country.is_some_and(|c| c.as_str() == "MX");
        if parts.level.is_subnational() && (!is_mexican || parts.mx_state.is_none()) {
            problems.add("mx_state", None, Rule::SubnationalNeedsState);
        }
        if parts.level == Level::Municipal && parts.mx_municipality.is_none() {
            problems.add("mx_municipality", None, Rule::MunicipalNeedsMunicipality);
        }
        if !is_mexican && (parts.mx_state.is_some() || parts.mx_municipality.is_some()) {
            problems.add("country", parts.country.map(|c| c.as_str()), Rule::StateOutsideMexico);
        }
        if let Some(m) = parts.mx_municipality {
            match parts.mx_state {
                Some(s) if s != m.state() => problems.add(
                    "mx_municipality",
                    Some(m.as_str()),
                    Rule::MunicipalityOutsideState { state: s.as_str().to_owned() },
                ),
                _ => {}
            }
        }
        if parts.parent.as_ref() == Some(&parts.key) {
            problems.add("parent", parts.parent.as_ref().map(|k| k.as_str()), Rule::Duplicate);
        }
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
