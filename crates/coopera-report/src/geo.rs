//! Where cooperation goes and comes from: the regional groupings users speak of
//! (Centroamérica, Caribe, Sudamérica, Norteamérica, Europa, Asia-Pacífico, África, Medio
//! Oriente) and the OECD DAC regions, each defined by ISO 3166-1 country lists in
//! [`PLACEMENT`]; international organisations, which have no country, are a grouping of their
//! own for partner reports (see `partner`).
//!
//! The groupings follow the regions of Mexico's foreign ministry and of its cooperation
//! reports; Medio Oriente is kept apart so that every country has a place. The DAC regions
//! are the "regional" codes of the IATI Region list (vocabulary 1), placed as the OECD DAC
//! places recipients; countries that are not ODA recipients (providers such as Germany or
//! Japan) are placed in the region of their geography, so that cooperation received from them
//! has a region too. Antarctica and Bouvet Island have no region.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A regional grouping: key, Spanish and English names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grouping {
    pub key: &'static str,
    pub name_es: &'static str,
    pub name_en: &'static str,
}

/// The groupings, in the order reports list them when values tie.
pub const GROUPINGS: &[Grouping] = &[
    Grouping { key: "centroamerica", name_es: "Centroamérica", name_en: "Central America" },
    Grouping { key: "caribe", name_es: "Caribe", name_en: "Caribbean" },
    Grouping { key: "sudamerica", name_es: "Sudamérica", name_en: "South America" },
    Grouping { key: "norteamerica", name_es: "Norteamérica", name_en: "North America" },
    Grouping { key: "europa", name_es: "Europa", name_en: "Europe" },
    Grouping { key: "asia-pacifico", name_es: "Asia-Pacífico", name_en: "Asia-Pacific" },
    Grouping { key: "africa", name_es: "África", name_en: "Africa" },
    Grouping { key: "medio-oriente", name_es: "Medio Oriente", name_en: "Middle East" },
    // For DAC regional codes that span several groupings ("America, regional",
    // "Developing countries, unspecified").
    Grouping { key: "multirregional", name_es: "Varias regiones", name_en: "Several regions" },
    // Partners that are international organisations: no country, so no region of their own
    // (`partner`). Only partner reports have this row.
    Grouping { key: "multilateral", name_es: "Organismos multilaterales", name_en: "Multilateral organisations" },
];

/// (grouping, DAC region, ISO 3166-1 alpha-2 codes). Every code of the IATI Country list
/// appears exactly once, except those in [`UNPLACED`] (a test checks it).
pub const PLACEMENT: &[(&str, &str, &str)] = &[
    ("centroamerica", "389", "BZ CR SV GT HN NI PA"),
    ("norteamerica", "389", "MX US CA BM PM GL"),
    ("caribe", "389", "AN AG AI AW BB BS BL BQ CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI"),
    ("sudamerica", "489", "AR BO BR CL CO EC FK GF GY PE PY SR UY VE GS"),
    (
        "europa",
        "89",
        "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MD \
         ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TR UA VA XK",
    ),
    // The South Caucasus: European by the ministry's regions, Central Asian by the DAC's.
    ("europa", "619", "AM AZ GE"),
    ("africa", "189", "DZ EG LY MA TN EH"),
    (
        "africa",
        "289",
        "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW MZ NA NE NG RE RW \
         SC SD SH SL SN SO SS ST SZ TD TG TZ UG YT ZA ZM ZW IO TF",
    ),
    ("medio-oriente", "589", "AE BH IL IQ IR JO KW LB OM PS QA SA SY YE"),
    ("asia-pacifico", "619", "KZ KG TJ TM UZ"),
    ("asia-pacifico", "679", "AF BD BT IN LK MV NP PK"),
    ("asia-pacifico", "789", "CN KP ID KH LA MN MY PH TH TL VN MM JP KR TW HK MO SG BN"),
    ("asia-pacifico", "889", "AU NZ FJ KI MH FM NR PW PG WS SB TO TV VU CK NU TK WF PF NC AS GU MP PN NF UM CX CC HM"),
];

/// Countries without a region.
pub const UNPLACED: &[&str] = &["AQ", "BV"];

/// (IATI Region code, grouping, DAC region it rolls up to): where a share given to a region
/// rather than a country goes.
pub const REGION_PLACEMENT: &[(&str, &str, &str)] = &[
    ("88", "europa", "89"),
    ("89", "europa", "89"),
    ("189", "africa", "189"),
    ("289", "africa", "289"),
    ("298", "africa", "298"),
    ("380", "caribe", "389"),
    ("389", "multirregional", "389"),
    ("489", "sudamerica", "489"),
    ("498", "multirregional", "498"),
    ("589", "medio-oriente", "589"),
    ("619", "asia-pacifico", "619"),
    ("679", "asia-pacifico", "679"),
    ("689", "asia-pacifico", "689"),
    ("789", "asia-pacifico", "789"),
    ("798", "asia-pacifico", "798"),
    ("889", "asia-pacifico", "889"),
    ("998", "multirregional", "998"),
    ("1027", "africa", "289"),
    ("1028", "africa", "289"),
    ("1029", "africa", "289"),
    ("1030", "africa", "289"),
    ("1031", "caribe", "389"),
    ("1032", "centroamerica", "389"),
    ("1033", "asia-pacifico", "889"),
    ("1034", "asia-pacifico", "889"),
    ("1035", "asia-pacifico", "889"),
];

struct Index {
    /// country → (grouping, DAC region)
    countries: HashMap<&'static str, (&'static str, &'static str)>,
    regions: HashMap<&'static str, (&'static str, &'static str)>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut countries = HashMap::new();
        for (grouping, dac, codes) in PLACEMENT {
            for code in codes.split_whitespace() {
                countries.insert(code, (*grouping, *dac));
            }
        }
        let regions = REGION_PLACEMENT.iter().map(|(r, g, d)| (*r, (*g, *d))).collect();
        Index { countries, regions }
    })
}

/// The grouping of an ISO 3166-1 alpha-2 country.
pub fn grouping_of_country(iso: &str) -> Option<&'static str> {
    index().countries.get(iso).map(|p| p.0)
}

/// The DAC region (IATI Region code) of a country.
pub fn dac_region_of_country(iso: &str) -> Option<&'static str> {
    index().countries.get(iso).map(|p| p.1)
}

/// The grouping of an IATI Region code.
pub fn grouping_of_region(region: &str) -> Option<&'static str> {
    index().regions.get(region).map(|p| p.0)
}

/// The main DAC region an IATI Region code rolls up to (sub-regions go to their region).
pub fn dac_region_of_region(region: &str) -> Option<&'static str> {
    index().regions.get(region).map(|p| p.1)
}

/// The position of a grouping in [`GROUPINGS`].
pub fn grouping_index(key: &str) -> Option<usize> {
    GROUPINGS.iter().position(|g| g.key == key)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use coopera_domain::codelists::{COUNTRY, REGION};

    use super::*;

    #[test]
    fn every_country_has_exactly_one_place() {
        let mut seen = HashSet::new();
        for (grouping, dac, codes) in PLACEMENT {
            assert!(grouping_index(grouping).is_some(), "{grouping}");
            assert!(REGION.contains(dac), "{dac}");
            for code in codes.split_whitespace() {
                assert!(COUNTRY.contains(code), "{code} is not in the Country list");
                assert!(seen.insert(code), "{code} placed twice");
            }
        }
        for c in COUNTRY.codes {
            assert!(seen.contains(c.code) || UNPLACED.contains(&c.code), "{} ({}) has no region", c.code, c.name_en);
        }
    }

    #[test]
    fn every_region_code_rolls_up() {
        for r in REGION.codes {
            assert!(grouping_of_region(r.code).is_some(), "{} has no grouping", r.code);
            assert!(dac_region_of_region(r.code).is_some_and(|d| REGION.contains(d)), "{}", r.code);
        }
    }

    #[test]
    fn the_seed_geography() {
        for c in ["GT", "HN", "SV", "NI", "CR", "PA", "BZ"] {
            assert_eq!(grouping_of_country(c), Some("centroamerica"), "{c}");
        }
        for c in ["AR", "BR", "CL", "CO", "PE"] {
            assert_eq!(grouping_of_country(c), Some("sudamerica"), "{c}");
        }
        assert_eq!(grouping_of_country("DE"), Some("europa"));
        assert_eq!(grouping_of_country("JP"), Some("asia-pacifico"));
        assert_eq!(grouping_of_country("US"), Some("norteamerica"));
        assert_eq!(dac_region_of_country("GT"), Some("389"));
        assert_eq!(grouping_of_region("1032"), Some("centroamerica"));
    }
}
