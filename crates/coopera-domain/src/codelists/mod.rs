//! Codelists compiled into the binary: IATI 2.03 lists with Spanish and English names, the
//! INEGI federal entities and municipalities, and Coopera's thematic areas.
//!
//! The tables live in `generated.rs`, written by `cargo xtask codelists` from
//! `../shared/data` and committed. Lookup by code is O(1) through an index built on first
//! use; nothing is read from disk at run time.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::Lang;

mod generated;
mod mexico;

pub use generated::*;
pub use mexico::*;

/// One entry of a codelist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub name_es: &'static str,
    pub name_en: &'static str,
    /// The parent code where the list has one: the DAC category of a sector, the DAC group
    /// of a category, the SDG goal of a target, the INEGI state of a municipality.
    pub category: Option<&'static str>,
    /// Withdrawn codes are still recognised (old data uses them) but new records are warned.
    pub withdrawn: bool,
}

impl Code {
    pub fn name(&self, lang: Lang) -> &'static str {
        lang.pick(self.name_es, self.name_en)
    }
}

/// A named, immutable list of codes.
pub struct Codelist {
    pub name: &'static str,
    pub codes: &'static [Code],
    index: OnceLock<HashMap<&'static str, usize>>,
    /// Each code's code and names in lower case, with their lengths in characters, built on
    /// the first suggestion.
    lower: OnceLock<Vec<[(String, usize); 3]>>,
}

impl fmt::Debug for Codelist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Codelist").field("name", &self.name).field("len", &self.codes.len()).finish()
    }
}

impl Codelist {
    pub const fn new(name: &'static str, codes: &'static [Code]) -> Codelist {
        Codelist { name, codes, index: OnceLock::new(), lower: OnceLock::new() }
    }

    fn index(&self) -> &HashMap<&'static str, usize> {
        self.index.get_or_init(|| self.codes.iter().enumerate().map(|(i, c)| (c.code, i)).collect())
    }

    /// The entry for `code`, compared exactly (codes are case-sensitive, as in IATI).
    pub fn get(&self, code: &str) -> Option<&'static Code> {
        self.index().get(code).map(|&i| &self.codes[i])
    }

    pub fn contains(&self, code: &str) -> bool {
        self.index().contains_key(code)
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Up to `n` codes closest to `wrong`, by edit distance on the code and, for longer
    /// inputs, on the names — the "did you mean" of every unknown-code message. An input
    /// longer than [`MAX_SUGGESTED`] characters gets none.
    pub fn suggest(&self, wrong: &str, n: usize) -> Vec<&'static Code> {
        let chars = wrong.chars().count();
        if chars > MAX_SUGGESTED {
            return Vec::new();
        }
        let wrong_lower = wrong.to_lowercase();
        let wrong_len = wrong_lower.chars().count();
        let limit = chars.max(2);
        // The distance is at least the difference of the lengths: a candidate whose length
        // alone puts it beyond the limit is not measured (it would be left out anyway).
        let distance = |(candidate, len): &(String, usize)| {
            if len.abs_diff(wrong_len) > limit { usize::MAX } else { strsim::levenshtein(&wrong_lower, candidate) }
        };
        let mut scored: Vec<(usize, &'static Code)> = self
            .codes
            .iter()
            .zip(self.lower())
            .filter(|(c, _)| !c.withdrawn)
            .map(|(c, [code, name_es, name_en])| {
                let by_code = distance(code);
                let by_name = if chars > 3 { distance(name_es).min(distance(name_en)) } else { usize::MAX };
                (by_code.min(by_name), c)
            })
            .collect();
        scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.code.cmp(b.1.code)));
        scored.into_iter().filter(|(d, _)| *d <= limit).take(n).map(|(_, c)| c).collect()
    }

    fn lower(&self) -> &[[(String, usize); 3]] {
        self.lower.get_or_init(|| {
            let lower = |s: &str| {
                let l = s.to_lowercase();
                let len = l.chars().count();
                (l, len)
            };
            self.codes.iter().map(|c| [lower(c.code), lower(c.name_es), lower(c.name_en)]).collect()
        })
    }
}

/// The longest input, in characters, that an unknown-code message suggests codes for: more
/// than any code (13) and than most names, so a slip in either is still answered. The edit
/// distance costs the product of both lengths for every code of the list, so a value of
/// thousands of characters (a paste, an attack) would make one message take seconds.
pub const MAX_SUGGESTED: usize = 40;

/// Finds a list by its name, ignoring case and dashes (`sector`, `UNSDG-Goals`, `unsdggoals`).
pub fn by_name(name: &str) -> Option<&'static Codelist> {
    let norm = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    let wanted = norm(name);
    ALL.iter().copied().find(|l| norm(l.name) == wanted)
}

/// A list a user can browse: an IATI or INEGI codelist, or one of Coopera's classifications.
#[derive(Debug, Clone, Copy)]
pub struct ListInfo {
    pub name: &'static str,
    /// Where the codes come from: `IATI`, `INEGI`, `Coopera / OECD DAC` or `Coopera`.
    pub source: &'static str,
    pub codes: &'static [Code],
}

/// Every list: the compiled codelists, then Coopera's own classifications.
pub fn every_list() -> Vec<ListInfo> {
    use crate::kinds::*;
    let mut all: Vec<ListInfo> = ALL
        .iter()
        .map(|l| ListInfo {
            name: l.name,
            source: if l.name.starts_with("Mx") {
                "INEGI"
            } else if l.name == "ThematicArea" {
                "Coopera / OECD DAC"
            } else {
                "IATI"
            },
            codes: l.codes,
        })
        .collect();
    let own: [(&'static str, &'static [Code]); 13] = [
        (Level::LIST, Level::CODES),
        (Instrument::LIST, Instrument::CODES),
        (CooperationType::LIST, CooperationType::CODES),
        (Modality::LIST, Modality::CODES),
        (Role::LIST, Role::CODES),
        (Direction::LIST, Direction::CODES),
        (Border::LIST, Border::CODES),
        (CrossBorderDimension::LIST, CrossBorderDimension::CODES),
        (InKindUnit::LIST, InKindUnit::CODES),
        (WorkflowState::LIST, WorkflowState::CODES),
        (CapacityForm::LIST, CapacityForm::CODES),
        (DemandState::LIST, DemandState::CODES),
        (ActionKind::LIST, ActionKind::CODES),
    ];
    all.extend(own.into_iter().map(|(name, codes)| ListInfo { name, source: "Coopera", codes }));
    all
}

/// The list called `name`, ignoring case and punctuation (`mxstate`, `UNSDG-Goals`).
pub fn find_list(name: &str) -> Option<ListInfo> {
    let norm = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    let wanted = norm(name);
    every_list().into_iter().find(|l| norm(l.name) == wanted)
}

/// The DAC sector group (thematic area) of a 5-digit DAC purpose code.
pub fn thematic_area_of_sector(sector: &str) -> Option<&'static Code> {
    let category = SECTOR.get(sector)?.category?;
    thematic_area_of_category(category)
}

/// The DAC sector group (thematic area) of a 3-digit DAC category.
pub fn thematic_area_of_category(category: &str) -> Option<&'static Code> {
    let group = SECTOR_CATEGORY.get(category)?.category?;
    THEMATIC_AREA.get(group)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_has_spanish_name() {
        let code = SECTOR.get("41010").expect("41010 is a DAC code");
        assert_eq!(code.category, Some("410"));
        assert!(code.name_es.to_lowercase().contains("medio"), "{}", code.name_es);
        assert_ne!(code.name_es, code.name_en);
    }

    #[test]
    fn thematic_areas_roll_up() {
        assert_eq!(thematic_area_of_sector("41010").map(|c| c.code), Some("410"));
        assert_eq!(thematic_area_of_sector("15110").map(|c| c.code), Some("150"));
        assert_eq!(thematic_area_of_sector("11110").map(|c| c.code), Some("110"));
        assert_eq!(thematic_area_of_sector("31110").map(|c| c.code), Some("310"));
        assert_eq!(THEMATIC_AREA.get("410").map(|c| c.name_es), Some("Medio Ambiente"));
    }

    #[test]
    fn every_sector_category_has_a_group() {
        for c in SECTOR_CATEGORY.codes {
            let group = c.category.unwrap_or_else(|| panic!("category {} has no group", c.code));
            assert!(THEMATIC_AREA.contains(group), "group {group} of {} missing", c.code);
        }
    }

    #[test]
    fn mexico_has_32_states_and_2475_municipalities() {
        assert_eq!(MX_STATE.len(), 32);
        assert_eq!(MX_MUNICIPALITY.len(), 2475);
        let chiapas = MX_STATE.get("07").expect("07 is Chiapas");
        assert_eq!(chiapas.name_es, "Chiapas");
        assert_eq!(mx_state_by_iso("MX-CHP").map(|c| c.code), Some("07"));
        assert_eq!(mx_state_iso("07"), Some("MX-CHP"));
        for m in MX_MUNICIPALITY.codes {
            assert!(MX_STATE.contains(m.category.unwrap_or("")), "{}", m.code);
        }
    }

    #[test]
    fn every_list_is_named_in_both_languages() {
        for list in ALL {
            assert!(!list.is_empty(), "{} is empty", list.name);
            for c in list.codes {
                assert!(!c.name_es.is_empty() && !c.name_en.is_empty(), "{} {}", list.name, c.code);
            }
        }
    }

    #[test]
    fn coopera_classifications_are_lists_too() {
        let modality = find_list("modality").expect("Modality is listed");
        assert_eq!(modality.source, "Coopera");
        assert_eq!(
            modality.codes.iter().map(|c| c.code).collect::<Vec<_>>(),
            ["bilateral", "triangular", "regional", "multilateral"]
        );
        assert_eq!(find_list("mx-state").map(|l| l.codes.len()), Some(32));
        assert_eq!(every_list().len(), ALL.len() + 13);
    }

    /// Found by fuzzing (`rates_csv`): a 60,000-character unknown currency took 16 s to
    /// answer. Beyond the bound nothing is measured; the answer has no suggestion.
    #[test]
    fn a_long_unknown_code_gets_no_suggestion() {
        let long = "Q".repeat(60_000);
        assert!(CURRENCY.suggest(&long, 3).is_empty());
        assert!(SECTOR.suggest(&"9".repeat(MAX_SUGGESTED + 1), 3).is_empty());
        // Up to the bound, a slip in a name is still answered.
        let near: Vec<_> = COUNTRY.suggest("Guatemalx", 3).iter().map(|c| c.code).collect();
        assert_eq!(near.first(), Some(&"GT"), "{near:?}");
    }

    #[test]
    fn unknown_codes_get_suggestions() {
        let near: Vec<_> = SECTOR.suggest("41011", 3).iter().map(|c| c.code).collect();
        assert!(near.contains(&"41010"), "{near:?}");
        assert_eq!(by_name("unsdg-goals").map(|l| l.name), Some("UNSDG-Goals"));
    }
}
