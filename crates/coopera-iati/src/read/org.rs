//! Where an organisation named in another publisher's file stands — its country and level of
//! government, and for a Mexican state or municipality its INEGI codes — told from what IATI
//! says of it: its OrganisationType, its identifier and its name. Direction is derived from
//! these facts, so the rules claim only what the file shows:
//!
//! - An identifier's prefix names a country only when it is a code of the
//!   OrganisationRegistrationAgency list (`MX-RFC-…`, `GB-COH-…`): the code's category is the
//!   country. Two letters that merely look like a country are not (`ME-NAFIN` is Nacional
//!   Financiera, Mexico's development bank, not an organisation of Montenegro).
//! - `XM-DAC-…` is the OECD DAC's list: a channel code beginning with 4 (`XM-DAC-41114`) is a
//!   multilateral organisation; a donor code with an agency (`XM-DAC-7-1`) is a government
//!   agency of that DAC member (donor codes of [`DAC_DONORS`]; 918, the EU institutions, is
//!   international).
//! - A government's name may say whose it is: a Mexican state's (`Gobierno del Estado de
//!   Chiapas`, `Estado de México`, `Government of the State of Jalisco`), a municipality's
//!   (`Municipio de Oaxaca de Juárez`, when the name is one municipality's), a country's
//!   (`Gobierno de México`, `Government of Guatemala`); an identifier that is a Mexican state's
//!   ISO 3166-2 code (`MX-CHP`) says the state too. The name is read only when the identifier
//!   names no other country.
//!
//! The level then follows from the type, in the order of [`RULES`].

use coopera_domain::codelists::{COUNTRY, Code, MX_MUNICIPALITY, MX_STATE, ORGANISATION_REGISTRATION_AGENCY};

/// What the file says of an organisation.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    /// The IATI OrganisationType code as published (`10`), if any.
    pub kind: Option<&'a str>,
    /// The organisation identifier (`ref`), if any.
    pub iati_ref: Option<&'a str>,
    /// Its names, in any language.
    pub names: &'a [&'a str],
    /// The reporting country (ISO 3166-1).
    pub home: &'a str,
}

/// Where the organisation stands: the facts of an organisation document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub level: &'static str,
    pub country: Option<String>,
    pub mx_state: Option<&'static str>,
    pub mx_municipality: Option<&'static str>,
}

/// What an identifier says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RefSays {
    Nothing,
    /// A registration agency of this country.
    Country(&'static str),
    /// A Mexican state's ISO 3166-2 code: the INEGI code.
    MxState(&'static str),
    /// A DAC channel code of a multilateral organisation, or the EU institutions.
    Multilateral,
    /// A government agency of a DAC member (its country, when the donor code is known).
    DacGovernment(Option<&'static str>),
}

/// The IATI OrganisationType codes of governments and the public sector.
const PUBLIC: &[&str] = &["10", "11", "15"];

/// OECD DAC donor codes of the DAC members (country as ISO 3166-1), as used in `XM-DAC-n-m`.
pub const DAC_DONORS: &[(&str, &str)] = &[
    ("1", "AT"),
    ("2", "BE"),
    ("3", "DK"),
    ("4", "FR"),
    ("5", "DE"),
    ("6", "IT"),
    ("7", "NL"),
    ("8", "NO"),
    ("9", "PT"),
    ("10", "SE"),
    ("11", "CH"),
    ("12", "GB"),
    ("18", "FI"),
    ("20", "IS"),
    ("21", "IE"),
    ("22", "LU"),
    ("40", "GR"),
    ("50", "ES"),
    ("61", "SI"),
    ("68", "CZ"),
    ("69", "SK"),
    ("75", "HU"),
    ("76", "PL"),
    ("84", "LT"),
    ("301", "CA"),
    ("302", "US"),
    ("701", "JP"),
    ("742", "KR"),
    ("801", "AU"),
    ("820", "NZ"),
];

/// The DAC donor code of the EU institutions: an international organisation, not a country.
const DAC_EU_INSTITUTIONS: &str = "918";

/// What the identifier says, by the first rule that applies.
fn ref_says(iati_ref: &str) -> RefSays {
    let r = iati_ref.trim();
    let mut parts = r.split('-');
    let (Some(first), Some(second)) = (parts.next(), parts.next()) else { return RefSays::Nothing };
    let agency = format!("{}-{}", first.to_ascii_uppercase(), second.to_ascii_uppercase());
    if agency == "XM-DAC" {
        return dac_says(parts.next(), parts.next());
    }
    if let Some(code) = ORGANISATION_REGISTRATION_AGENCY.get(&agency) {
        return code_country(code).map_or(RefSays::Nothing, RefSays::Country);
    }
    // Not a registration agency: `MX-CHP` (or `MX-CHP-…`) is Chiapas by ISO 3166-2.
    match coopera_domain::codelists::mx_state_by_iso(&agency) {
        Some(state) => RefSays::MxState(state.code),
        None => RefSays::Nothing,
    }
}

/// `XM-DAC-{channel}` or `XM-DAC-{donor}[-{agency}]`, by the list's meaning.
fn dac_says(third: Option<&str>, fourth: Option<&str>) -> RefSays {
    let Some(code) = third.map(str::trim).filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit())) else {
        return RefSays::Nothing;
    };
    if code.len() == 5 {
        // Channel codes: 4xxxx are multilateral organisations (UN, EU, IMF, World Bank,
        // regional banks, others); the other ranges are NGOs, universities, firms… or the
        // public sector of no country in particular.
        return if code.starts_with('4') { RefSays::Multilateral } else { RefSays::Nothing };
    }
    if code == DAC_EU_INSTITUTIONS {
        return RefSays::Multilateral;
    }
    let country = DAC_DONORS.iter().find(|(donor, _)| *donor == code).map(|(_, c)| *c);
    match (country, fourth) {
        // A donor code alone is the donor country as a whole; with an agency, one of its
        // agencies: a government either way, but an unknown donor code says nothing.
        (Some(c), _) => RefSays::DacGovernment(Some(c)),
        (None, Some(_)) => RefSays::DacGovernment(None),
        (None, None) => RefSays::Nothing,
    }
}

/// The country a registration agency belongs to: its category, when that is a country.
fn code_country(code: &'static Code) -> Option<&'static str> {
    code.category.filter(|c| COUNTRY.contains(c))
}

/// Lower case, accents and punctuation folded to plain letters and single spaces.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether `text` has `phrase` followed by `name` as whole words; `name` must end the text or
/// be followed by a space.
fn says(text: &str, phrase: &str, name: &str) -> bool {
    let wanted = format!("{phrase}{name}");
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find(&wanted)) {
        let start = from + i;
        let end = start + wanted.len();
        let starts_word = start == 0 || text.as_bytes().get(start - 1) == Some(&b' ');
        let ends_word = end == text.len() || text.as_bytes().get(end) == Some(&b' ');
        if starts_word && ends_word {
            return true;
        }
        from = start + 1;
    }
    false
}

/// The names a Mexican state goes by, folded: `chiapas`; `estado de mexico` and `mexico` only
/// after "estado de" (alone, "México" is the country); `ciudad de mexico`, `cdmx`,
/// `distrito federal`.
fn state_names(state: &Code) -> Vec<String> {
    let mut names = vec![fold(state.name_es), fold(state.name_en)];
    match state.code {
        "09" => names.extend(["cdmx".to_owned(), "distrito federal".to_owned()]),
        "15" => names.retain(|n| n != "mexico"),
        _ => {}
    }
    names.sort();
    names.dedup();
    names
}

/// The Mexican state a government's name says it belongs to (INEGI code), the longest name
/// first so that `Baja California Sur` is not `Baja California`.
fn state_by_name(folded: &str) -> Option<&'static str> {
    const BEFORE: &[&str] = &[
        "gobierno del estado de ",
        "gobierno del estado libre y soberano de ",
        "estado libre y soberano de ",
        "estado de ",
        "gobierno de ",
        "gobierno de la ",
        "government of the state of ",
        "state of ",
        "government of ",
    ];
    const AFTER: &[&str] = &[" state government", " state"];
    let mut best: Option<(usize, &'static str)> = None;
    for state in MX_STATE.codes {
        for name in state_names(state) {
            let found = BEFORE.iter().any(|p| says(folded, p, &name))
                || AFTER.iter().any(|a| says(folded, "", &format!("{name}{a}")))
                // `estado de mexico` is the state's own name.
                || (state.code == "15" && says(folded, "", "estado de mexico"));
            if found && best.is_none_or(|(len, _)| name.len() > len) {
                best = Some((name.len(), state.code));
            }
        }
    }
    best.map(|(_, code)| code)
}

/// The municipality a government's name says (`Municipio de X`, `Ayuntamiento de X`), when
/// only one municipality — of `state`, when the state is known — has that name.
fn municipality_by_name(folded: &str, state: Option<&str>) -> Option<&'static str> {
    const BEFORE: &[&str] =
        &["municipio de ", "ayuntamiento de ", "ayuntamiento constitucional de ", "municipality of "];
    if !BEFORE.iter().any(|p| folded.contains(p.trim_end())) {
        return None;
    }
    let mut found: Option<(usize, &'static str)> = None;
    let mut tied = false;
    for m in MX_MUNICIPALITY.codes {
        if state.is_some_and(|s| m.category != Some(s)) {
            continue;
        }
        let name = fold(m.name_es);
        if !BEFORE.iter().any(|p| says(folded, p, &name)) {
            continue;
        }
        match found {
            Some((len, _)) if len > name.len() => {}
            Some((len, _)) if len == name.len() => tied = true,
            _ => {
                found = Some((name.len(), m.code));
                tied = false;
            }
        }
    }
    if tied { None } else { found.map(|(_, code)| code) }
}

/// The country a government's name says it is of: `Gobierno de México`, `Gobierno del
/// Paraguay`, `Government of the Republic of Guatemala` (the rest of the name is exactly a
/// country's name in the Country list, in Spanish or English, without its parenthesis).
fn country_by_name(folded: &str) -> Option<&'static str> {
    const BEFORE: &[&str] = &[
        "gobierno de la republica de ",
        "gobierno de la republica del ",
        "gobierno de la ",
        "gobierno del ",
        "gobierno de ",
        "government of the republic of ",
        "government of the ",
        "government of ",
    ];
    for phrase in BEFORE {
        let Some(at) = folded.find(phrase) else { continue };
        if at > 0 && folded.as_bytes().get(at - 1) != Some(&b' ') {
            continue;
        }
        let rest = &folded[at + phrase.len()..];
        let country = COUNTRY.codes.iter().find(|c| {
            [c.name_es, c.name_en].iter().any(|n| {
                let short = n.split(" (").next().unwrap_or(n);
                fold(short) == rest || fold(n) == rest
            })
        });
        if let Some(c) = country {
            return Some(c.code);
        }
    }
    None
}

/// One rule of [`RULES`]: when it applies, and the level it gives.
struct Rule {
    applies: fn(&Facts<'_>) -> bool,
    level: &'static str,
}

/// What the rules look at, gathered once.
struct Facts<'a> {
    kind: Option<&'a str>,
    country: Option<&'static str>,
    mx_state: Option<&'static str>,
    mx_municipality: Option<&'static str>,
    ref_says: RefSays,
    home: &'a str,
}

impl Facts<'_> {
    /// A government by its type, or by a DAC agency identifier when the type is not given.
    fn government(&self) -> bool {
        self.kind.is_some_and(|k| PUBLIC.contains(&k))
            || (self.kind.is_none() && matches!(self.ref_says, RefSays::DacGovernment(_)))
    }
}

/// The rules, in order: the first that applies gives the level.
const RULES: &[Rule] = &[
    // Type 40 (multilateral), or a DAC multilateral channel code.
    Rule { applies: |f| f.kind == Some("40") || f.ref_says == RefSays::Multilateral, level: "international" },
    // A government of a Mexican municipality (by name).
    Rule { applies: |f| f.government() && f.mx_municipality.is_some(), level: "municipal" },
    // A government of a Mexican state (by name or ISO 3166-2 identifier).
    Rule { applies: |f| f.government() && f.mx_state.is_some(), level: "state" },
    // A government of the home country.
    Rule { applies: |f| f.government() && f.country == Some(f.home), level: "federal" },
    // Any other government, of a known country or not.
    Rule { applies: |f| f.government(), level: "foreign-government" },
    // Everything else: NGOs (21–24), public-private partnerships (30), foundations (60), the
    // private sector (70–73), academia (80), other (90), no type.
    Rule { applies: |_| true, level: "non-governmental" },
];

/// Where an organisation stands, by the rules above.
pub fn place(e: &Evidence<'_>) -> Placed {
    let kind = e.kind.map(str::trim).filter(|k| !k.is_empty());
    let ref_says = e.iati_ref.map_or(RefSays::Nothing, ref_says);
    let folded: Vec<String> = e.names.iter().map(|n| fold(n)).collect();
    let mut country = match ref_says {
        RefSays::Country(c) | RefSays::DacGovernment(Some(c)) => Some(c),
        RefSays::MxState(_) => Some("MX"),
        _ => None,
    };
    let mut mx_state = match ref_says {
        RefSays::MxState(s) => Some(s),
        _ => None,
    };
    let mut mx_municipality = None;
    // A name is read only for a government whose identifier names no other country.
    let public = kind.is_some_and(|k| PUBLIC.contains(&k));
    if public && country.is_none_or(|c| c == "MX") {
        mx_state = mx_state.or_else(|| folded.iter().find_map(|n| state_by_name(n)));
        mx_municipality = folded.iter().find_map(|n| municipality_by_name(n, mx_state));
        let state_of_municipality = mx_municipality.and_then(|m| MX_MUNICIPALITY.get(m)).and_then(|m| m.category);
        mx_state = mx_state.or(state_of_municipality);
    }
    if mx_state.is_some() {
        country = Some("MX");
    } else if public && country.is_none() {
        country = folded.iter().find_map(|n| country_by_name(n));
    }
    let facts = Facts { kind, country, mx_state, mx_municipality, ref_says, home: e.home };
    let level = RULES.iter().find(|r| (r.applies)(&facts)).map_or("non-governmental", |r| r.level);
    let subnational = matches!(level, "state" | "municipal");
    Placed {
        level,
        country: country.map(str::to_owned),
        mx_state: mx_state.filter(|_| subnational),
        mx_municipality: mx_municipality.filter(|_| level == "municipal"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (type, identifier, name, level, country, INEGI state, INEGI municipality), home MX.
    type Case = (
        Option<&'static str>,
        Option<&'static str>,
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );

    fn check(cases: &[Case]) {
        for (kind, iati_ref, name, level, country, state, municipality) in cases {
            let names = [*name];
            let placed = place(&Evidence { kind: *kind, iati_ref: *iati_ref, names: &names, home: "MX" });
            let expected =
                Placed { level, country: country.map(str::to_owned), mx_state: *state, mx_municipality: *municipality };
            assert_eq!(placed, expected, "type {kind:?}, ref {iati_ref:?}, name {name:?}");
        }
    }

    #[test]
    fn a_prefix_is_a_country_only_when_it_is_a_registration_agency() {
        check(&[
            // Nacional Financiera: `ME` is not Montenegro's registration agency.
            (None, Some("ME-NAFIN"), "NACIONAL FINANCIERA", "non-governmental", None, None, None),
            (
                Some("15"),
                Some("ME-NAFIN-AF"),
                "NACIONAL FINANCIERA - AGENTE FINANCIERO",
                "foreign-government",
                None,
                None,
                None,
            ),
            (
                Some("70"),
                Some("MX-RFC-NFI340630IQ6"),
                "Nacional Financiera",
                "non-governmental",
                Some("MX"),
                None,
                None,
            ),
            (Some("21"), Some("GB-COH-01234567"), "Charity", "non-governmental", Some("GB"), None, None),
            (Some("22"), Some("NL-KVK-27378529"), "Stichting", "non-governmental", Some("NL"), None, None),
            (Some("10"), Some("GB-GOV-1"), "FCDO", "foreign-government", Some("GB"), None, None),
            // Old identifiers that merely start like a country say nothing of it.
            (Some("10"), Some("US-GOV-1"), "USAID", "foreign-government", None, None, None),
            (Some("10"), Some("SE-0"), "Sweden", "foreign-government", None, None, None),
            (
                Some("21"),
                Some("XI-IATI-1001"),
                "The Coca-Cola Export Corporation",
                "non-governmental",
                None,
                None,
                None,
            ),
            (Some("10"), Some("MX-COA-0600"), "Secretaría de Hacienda", "federal", Some("MX"), None, None),
        ]);
    }

    #[test]
    fn types_give_levels() {
        check(&[
            (Some("40"), Some("XM-DAC-41114"), "UNDP", "international", None, None, None),
            (Some("40"), None, "Banco Interamericano de Desarrollo", "international", None, None, None),
            (Some("10"), None, "Ministry", "foreign-government", None, None, None),
            (Some("11"), Some("ES-DIR3-A01002820"), "Junta de Andalucía", "foreign-government", Some("ES"), None, None),
            (Some("15"), Some("MX-RFC-XXX"), "Instituto", "federal", Some("MX"), None, None),
            (Some("21"), None, "International NGO", "non-governmental", None, None, None),
            (Some("23"), None, "Regional NGO", "non-governmental", None, None, None),
            (Some("60"), None, "Foundation", "non-governmental", None, None, None),
            (Some("80"), Some("MX-RFC-UNA2907227Y5"), "UNAM", "non-governmental", Some("MX"), None, None),
            (Some("90"), None, "Other", "non-governmental", None, None, None),
        ]);
    }

    #[test]
    fn dac_identifiers_follow_the_list_meaning() {
        check(&[
            (None, Some("XM-DAC-41301"), "FAO", "international", None, None, None),
            (Some("10"), Some("XM-DAC-46004"), "Banco Interamericano", "international", None, None, None),
            (None, Some("XM-DAC-918-3"), "European Commission", "international", None, None, None),
            (None, Some("XM-DAC-7-1"), "Ministry of Foreign Affairs", "foreign-government", Some("NL"), None, None),
            (Some("10"), Some("XM-DAC-302"), "United States", "foreign-government", Some("US"), None, None),
            (None, Some("XM-DAC-999-1"), "Unknown donor agency", "foreign-government", None, None, None),
            (Some("21"), Some("XM-DAC-21032"), "Oxfam", "non-governmental", None, None, None),
            (None, Some("XM-DAC"), "Nothing after the list", "non-governmental", None, None, None),
        ]);
    }

    #[test]
    fn a_mexican_state_government_is_a_state_of_mexico() {
        check(&[
            // Published by UNDP with its own donor numbers as identifiers.
            (Some("10"), Some("13678"), "GOBIERNO DEL ESTADO DE MORELOS", "state", Some("MX"), Some("17"), None),
            (Some("10"), Some("12205"), "Gobierno del Estado de Chiapas", "state", Some("MX"), Some("07"), None),
            (Some("11"), None, "Government of the State of Jalisco", "state", Some("MX"), Some("14"), None),
            (Some("10"), None, "Gobierno del Estado de México", "state", Some("MX"), Some("15"), None),
            (Some("10"), None, "Gobierno de la Ciudad de México", "state", Some("MX"), Some("09"), None),
            (Some("10"), None, "Gobierno de Baja California Sur", "state", Some("MX"), Some("03"), None),
            (Some("15"), None, "Secretaría de Salud del Estado de Oaxaca", "state", Some("MX"), Some("20"), None),
            (Some("10"), Some("MX-CHP"), "Gobierno", "state", Some("MX"), Some("07"), None),
            (
                Some("10"),
                Some("MX-RFC-GEC850101"),
                "Gobierno del Estado de Chiapas",
                "state",
                Some("MX"),
                Some("07"),
                None,
            ),
            // A state's name elsewhere, or in another country's government, is not the state.
            (
                Some("10"),
                Some("ES-DIR3-L01470766"),
                "Ayuntamiento de Durango",
                "foreign-government",
                Some("ES"),
                None,
                None,
            ),
            (Some("21"), None, "Fundación del Estado de Chiapas", "non-governmental", None, None, None),
        ]);
    }

    #[test]
    fn a_municipality_is_told_when_its_name_is_one_municipality() {
        check(&[
            (
                Some("11"),
                None,
                "H. Ayuntamiento de Oaxaca de Juárez, Estado de Oaxaca",
                "municipal",
                Some("MX"),
                Some("20"),
                Some("20067"),
            ),
            (Some("11"), None, "Municipio de Oaxaca de Juárez", "municipal", Some("MX"), Some("20"), Some("20067")),
            // Benito Juárez is a municipality of several states: the state tells which.
            (
                Some("11"),
                None,
                "Municipio de Benito Juárez, Gobierno del Estado de Quintana Roo",
                "municipal",
                Some("MX"),
                Some("23"),
                Some("23005"),
            ),
        ]);
    }

    #[test]
    fn a_government_name_can_say_its_country() {
        check(&[
            (Some("10"), Some("01042"), "MEX-GOBIERNO DE MEXICO", "federal", Some("MX"), None, None),
            (Some("10"), None, "Government of Mexico", "federal", Some("MX"), None, None),
            (Some("10"), None, "GOBIERNO DEL PARAGUAY", "foreign-government", Some("PY"), None, None),
            (Some("10"), None, "GOBIERNO DE EL SALVADOR", "foreign-government", Some("SV"), None, None),
            (Some("10"), None, "Government of the Republic of Guatemala", "foreign-government", Some("GT"), None, None),
            (Some("10"), None, "Government of Guatemala", "foreign-government", Some("GT"), None, None),
            (Some("10"), None, "Gobierno de Bolivia", "foreign-government", Some("BO"), None, None),
            // Only a whole country's name: a programme of a government is not its country.
            (
                Some("10"),
                None,
                "Gobierno de Honduras en empleos no tradicionales",
                "foreign-government",
                None,
                None,
                None,
            ),
            // Only for governments.
            (Some("21"), None, "Gobierno de México", "non-governmental", None, None, None),
        ]);
    }

    #[test]
    fn every_dac_donor_is_a_country() {
        for (donor, country) in DAC_DONORS {
            assert!(COUNTRY.contains(country), "{donor} {country}");
        }
        let mexican: Vec<&str> = ORGANISATION_REGISTRATION_AGENCY
            .codes
            .iter()
            .filter(|c| code_country(c) == Some("MX"))
            .map(|c| c.code)
            .collect();
        assert_eq!(mexican, ["MX-CMX_CPA", "MX-COA", "MX-CPA", "MX-RFC"]);
    }
}
