//! Mexico's federal entities under their ISO 3166-2 codes, which IATI data and maps use,
//! next to the INEGI codes that Mexican sources use.

use super::{Code, MX_STATE, MX_STATE_ISO};

/// The ISO 3166-2 code (`MX-CHP`) of a federal entity given by its INEGI code (`07`).
pub fn mx_state_iso(inegi: &str) -> Option<&'static str> {
    MX_STATE_ISO.iter().find(|(code, _)| *code == inegi).map(|(_, iso)| *iso)
}

/// The nine federal entities of FIDESUR, the *Fideicomiso para el Desarrollo de la Región
/// Sur-Sureste* (Trust for the Development of the South-Southeast Region), by INEGI code:
/// Campeche, Chiapas, Guerrero, Oaxaca, Puebla, Quintana Roo, Tabasco, Veracruz and Yucatán,
/// the region whose governments are the trust's settlors (*fideicomitentes*).
/// `../shared/DOMAIN.md` names FIDESUR without listing its members; this is the membership the
/// demo records (its FIDESUR memberships and ILPES–FIDESUR activities, `crates/coopera-demo/data/`).
/// The one list of the group: the web's comparison of states and the demo's checks read it here.
pub const FIDESUR_STATES: [&str; 9] = ["04", "07", "12", "20", "21", "23", "27", "30", "31"];

/// The federal entity with the given ISO 3166-2 code (`MX-CHP`, case-insensitive).
pub fn mx_state_by_iso(iso: &str) -> Option<&'static Code> {
    let (inegi, _) = MX_STATE_ISO.iter().find(|(_, code)| code.eq_ignore_ascii_case(iso.trim()))?;
    MX_STATE.get(inegi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_codes_round_trip() {
        for state in MX_STATE.codes {
            let iso = mx_state_iso(state.code).unwrap_or_else(|| panic!("{} has no ISO code", state.code));
            assert_eq!(mx_state_by_iso(iso).map(|c| c.code), Some(state.code));
        }
        assert_eq!(mx_state_by_iso("mx-cmx").map(|c| c.name_en), Some("Mexico City"));
        assert_eq!(mx_state_by_iso("MX-XXX"), None);
        assert_eq!(mx_state_iso("33"), None);
    }

    #[test]
    fn fidesur_is_the_nine_states_of_the_south_southeast() {
        let names: Vec<&str> = FIDESUR_STATES.iter().map(|c| MX_STATE.get(c).map_or("?", |s| s.name_es)).collect();
        let south_southeast =
            ["Campeche", "Chiapas", "Guerrero", "Oaxaca", "Puebla", "Quintana Roo", "Tabasco", "Veracruz", "Yucatán"];
        assert_eq!(names, south_southeast);
    }
}
