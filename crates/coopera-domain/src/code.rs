//! Codes that were checked against their codelist. Holding one proves the code exists.

use std::fmt;
use std::hash::{Hash, Hasher};

use crate::codelists::{self, Code, Codelist};
use crate::problem::{Problem, Rule};

/// Checks `value` against `list`, suggesting the closest codes when it is unknown.
pub fn check(list: &'static Codelist, value: &str) -> Result<&'static Code, Problem> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Problem::new("", None, Rule::Required));
    }
    list.get(trimmed).ok_or_else(|| {
        let suggestions = list.suggest(trimmed, 3);
        Problem::new("", Some(value), Rule::UnknownCode { list: list.name, suggestions })
    })
}

macro_rules! checked_code {
    ($(#[$doc:meta])* $name:ident => $list:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $name(&'static Code);

        impl $name {
            /// Checks the code against its codelist.
            pub fn parse(value: &str) -> Result<$name, Problem> {
                check(&$list, value).map($name)
            }

            pub fn as_str(&self) -> &'static str {
                self.0.code
            }

            /// The codelist entry, with its names.
            pub fn entry(&self) -> &'static Code {
                self.0
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.0.code == other.0.code
            }
        }

        impl Eq for $name {}

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $name {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.0.code.cmp(other.0.code)
            }
        }

        impl Hash for $name {
            fn hash<H: Hasher>(&self, state: &mut H) {
                self.0.code.hash(state)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.code)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0.code)
            }
        }

        stored_as_text!($name, |c| c.as_str(), $name::parse);
    };
}

checked_code!(
    /// An OECD DAC 5-digit purpose code.
    SectorCode => codelists::SECTOR
);
checked_code!(
    /// An OECD DAC 3-digit sector category.
    SectorCategoryCode => codelists::SECTOR_CATEGORY
);
checked_code!(
    /// A thematic area: an OECD DAC sector group such as 410, general environment protection.
    ThematicAreaCode => codelists::THEMATIC_AREA
);
checked_code!(
    /// An ISO 3166-1 alpha-2 country code.
    CountryCode => codelists::COUNTRY
);
checked_code!(
    /// A DAC region code.
    RegionCode => codelists::REGION
);
checked_code!(
    /// An ISO 4217 currency code.
    CurrencyCode => codelists::CURRENCY
);
checked_code!(
    /// An IATI organisation type (government, multilateral, NGO…).
    OrganisationTypeCode => codelists::ORGANISATION_TYPE
);
checked_code!(
    /// An IATI activity status (pipeline, implementation…).
    ActivityStatusCode => codelists::ACTIVITY_STATUS
);
checked_code!(
    /// An IATI collaboration type (bilateral, multilateral, triangular…).
    CollaborationTypeCode => codelists::COLLABORATION_TYPE
);
checked_code!(
    /// An IATI transaction type (commitment, disbursement…).
    TransactionTypeCode => codelists::TRANSACTION_TYPE
);
checked_code!(
    /// An IATI flow type (ODA, OOF…).
    FlowTypeCode => codelists::FLOW_TYPE
);
checked_code!(
    /// An IATI finance type (grant, loan…).
    FinanceTypeCode => codelists::FINANCE_TYPE
);
checked_code!(
    /// An IATI aid type (project-type intervention, technical assistance…).
    AidTypeCode => codelists::AID_TYPE
);
checked_code!(
    /// An IATI policy marker (gender equality, environment…).
    PolicyMarkerCode => codelists::POLICY_MARKER
);
checked_code!(
    /// A sustainable development goal, 1–17.
    SdgGoalCode => codelists::UNSDG_GOALS
);
checked_code!(
    /// A sustainable development goal target, such as 5.2.
    SdgTargetCode => codelists::UNSDG_TARGETS
);
checked_code!(
    /// An ISO 639-1 language code.
    LanguageCode => codelists::LANGUAGE
);
checked_code!(
    /// An IATI tied status (tied, partially tied, untied).
    TiedStatusCode => codelists::TIED_STATUS
);
checked_code!(
    /// An IATI related-activity type (parent, child, sibling, co-funded, third party).
    RelatedActivityTypeCode => codelists::RELATED_ACTIVITY_TYPE
);
checked_code!(
    /// An IATI document category (A01 pre- and post-project impact appraisal…).
    DocumentCategoryCode => codelists::DOCUMENT_CATEGORY
);
checked_code!(
    /// An INEGI federal entity code, 01–32.
    MxStateCode => codelists::MX_STATE
);
checked_code!(
    /// An INEGI municipality code: the state's two digits and the municipality's three.
    MxMunicipalityCode => codelists::MX_MUNICIPALITY
);

impl MxMunicipalityCode {
    /// The INEGI state the municipality belongs to.
    pub fn state(&self) -> MxStateCode {
        let state = self.0.category.and_then(|c| codelists::MX_STATE.get(c));
        // Generated data guarantees every municipality names an existing state.
        MxStateCode(state.unwrap_or(&codelists::MX_STATE.codes[0]))
    }
}

impl MxStateCode {
    /// The ISO 3166-2 code, e.g. `MX-CHP` for Chiapas.
    pub fn iso(&self) -> &'static str {
        codelists::mx_state_iso(self.0.code).unwrap_or("")
    }

    /// Whether the state is one of the nine of FIDESUR ([`codelists::FIDESUR_STATES`]).
    pub fn in_fidesur(&self) -> bool {
        codelists::FIDESUR_STATES.contains(&self.as_str())
    }

    /// Accepts the INEGI code (`07`, or `7`) or the ISO 3166-2 code (`MX-CHP`).
    pub fn parse_any(value: &str) -> Result<MxStateCode, Problem> {
        let v = value.trim();
        if let Some(code) = codelists::mx_state_by_iso(&v.to_ascii_uppercase()) {
            return Ok(MxStateCode(code));
        }
        if v.len() == 1 && v.as_bytes()[0].is_ascii_digit() {
            return MxStateCode::parse(&format!("0{v}"));
        }
        MxStateCode::parse(v).map_err(|mut p| {
            p.value = Some(value.to_owned());
            p
        })
    }
}

impl SectorCode {
    pub fn category(&self) -> Option<SectorCategoryCode> {
        self.0.category.and_then(|c| SectorCategoryCode::parse(c).ok())
    }

    /// The thematic area (DAC sector group) the code rolls up to.
    pub fn thematic_area(&self) -> Option<ThematicAreaCode> {
        codelists::thematic_area_of_sector(self.0.code).map(ThematicAreaCode)
    }
}

impl SectorCategoryCode {
    pub fn thematic_area(&self) -> Option<ThematicAreaCode> {
        codelists::thematic_area_of_category(self.0.code).map(ThematicAreaCode)
    }
}

impl SdgTargetCode {
    pub fn goal(&self) -> Option<SdgGoalCode> {
        self.0.category.and_then(|c| SdgGoalCode::parse(c).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_code_names_list_and_suggests() {
        let err = SectorCode::parse("99999").unwrap_err();
        match err.rule {
            Rule::UnknownCode { list, suggestions } => {
                assert_eq!(list, "Sector");
                assert!(!suggestions.is_empty());
            }
            other => panic!("unexpected rule {other:?}"),
        }
        assert_eq!(err.value.as_deref(), Some("99999"));
    }

    #[test]
    fn known_codes_roll_up() {
        let s = SectorCode::parse("15110").unwrap();
        assert_eq!(s.category().map(|c| c.as_str()), Some("151"));
        assert_eq!(s.thematic_area().map(|c| c.as_str()), Some("150"));
        assert_eq!(MxMunicipalityCode::parse("07101").unwrap().state().as_str(), "07");
        assert_eq!(MxStateCode::parse_any("MX-OAX").unwrap().as_str(), "20");
        assert_eq!(MxStateCode::parse_any("7").unwrap().as_str(), "07");
        assert!(MxStateCode::parse("07").unwrap().in_fidesur() && !MxStateCode::parse("19").unwrap().in_fidesur());
        assert!(SectorCode::parse("").is_err());
    }
}
