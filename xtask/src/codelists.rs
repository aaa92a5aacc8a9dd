//! `cargo xtask codelists`: builds `crates/coopera-domain/src/codelists/generated.rs`.
//!
//! Inputs, all read-only:
//! - `DATA/iati/codelists/xml/*.xml`: the IATI 2.03 codelists (codes, English names,
//!   categories, `withdrawn` status). These decide which codes exist.
//! - `DATA/iati/codelists/names/{es,en}/*.json`: codeforIATI's names, for the Spanish names
//!   and as a fallback for English names, and `SectorGroup.json` for the DAC sector groups.
//! - `DATA/mexico/cve_nom_{estados,municipios}.csv`: INEGI federal entities and
//!   municipalities.
//! - `crates/coopera-domain/codelists/`: Coopera's hand-written supplements
//!   (`names-es.json`, `thematic-areas.json`, `mx-states.tsv`).
//!
//! The output is deterministic: IATI codes keep the order of the XML, sector groups the
//! order of `SectorGroup.json`, INEGI codes are sorted by code, and lists are sorted by name.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;

use crate::generate::{Options, rustfmt, write_or_check};
use crate::xml;

/// The generated file, relative to the workspace root.
const OUTPUT: &str = "crates/coopera-domain/src/codelists/generated.rs";
/// The hand-written supplements, relative to the workspace root.
const SUPPLEMENTS: &str = "crates/coopera-domain/codelists";
/// The IATI lists compiled in, as (IATI name, Rust static name). OrganisationRegistrationAgency
/// is in because an organisation identifier's prefix says a country only when it is one of its
/// codes (the code's category is the country). Left out on purpose: lists of organisations
/// (OrganisationIdentifier, IATIOrganisationIdentifier, CRSChannelCode, PublisherType), the BudgetIdentifier family
/// (used only with the withdrawn budget-identifier vocabulary 1), and the very large
/// FileFormat (IANA media types) and LocationType (GeoNames feature codes) lists.
const IATI_LISTS: &[(&str, &str)] = &[
    ("ActivityDateType", "ACTIVITY_DATE_TYPE"),
    ("ActivityScope", "ACTIVITY_SCOPE"),
    ("ActivityStatus", "ACTIVITY_STATUS"),
    ("AidType", "AID_TYPE"),
    ("AidType-category", "AID_TYPE_CATEGORY"),
    ("AidTypeVocabulary", "AID_TYPE_VOCABULARY"),
    ("BudgetIdentifierVocabulary", "BUDGET_IDENTIFIER_VOCABULARY"),
    ("BudgetNotProvided", "BUDGET_NOT_PROVIDED"),
    ("BudgetStatus", "BUDGET_STATUS"),
    ("BudgetType", "BUDGET_TYPE"),
    ("CRSAddOtherFlags", "CRS_ADD_OTHER_FLAGS"),
    ("CashandVoucherModalities", "CASH_AND_VOUCHER_MODALITIES"),
    ("CollaborationType", "COLLABORATION_TYPE"),
    ("ConditionType", "CONDITION_TYPE"),
    ("ContactType", "CONTACT_TYPE"),
    ("Country", "COUNTRY"),
    ("Currency", "CURRENCY"),
    ("DescriptionType", "DESCRIPTION_TYPE"),
    ("DisbursementChannel", "DISBURSEMENT_CHANNEL"),
    ("DocumentCategory", "DOCUMENT_CATEGORY"),
    ("DocumentCategory-category", "DOCUMENT_CATEGORY_CATEGORY"),
    ("EarmarkingCategory", "EARMARKING_CATEGORY"),
    ("FinanceType", "FINANCE_TYPE"),
    ("FinanceType-category", "FINANCE_TYPE_CATEGORY"),
    ("FlowType", "FLOW_TYPE"),
    ("GazetteerAgency", "GAZETTEER_AGENCY"),
    ("GeographicExactness", "GEOGRAPHIC_EXACTNESS"),
    ("GeographicLocationClass", "GEOGRAPHIC_LOCATION_CLASS"),
    ("GeographicLocationReach", "GEOGRAPHIC_LOCATION_REACH"),
    ("GeographicVocabulary", "GEOGRAPHIC_VOCABULARY"),
    ("GeographicalPrecision", "GEOGRAPHICAL_PRECISION"),
    ("HumanitarianScopeType", "HUMANITARIAN_SCOPE_TYPE"),
    ("HumanitarianScopeVocabulary", "HUMANITARIAN_SCOPE_VOCABULARY"),
    ("IndicatorMeasure", "INDICATOR_MEASURE"),
    ("IndicatorVocabulary", "INDICATOR_VOCABULARY"),
    ("Language", "LANGUAGE"),
    ("LoanRepaymentPeriod", "LOAN_REPAYMENT_PERIOD"),
    ("LoanRepaymentType", "LOAN_REPAYMENT_TYPE"),
    ("OrganisationRegistrationAgency", "ORGANISATION_REGISTRATION_AGENCY"),
    ("OrganisationRole", "ORGANISATION_ROLE"),
    ("OrganisationType", "ORGANISATION_TYPE"),
    ("OtherIdentifierType", "OTHER_IDENTIFIER_TYPE"),
    ("PolicyMarker", "POLICY_MARKER"),
    ("PolicyMarkerVocabulary", "POLICY_MARKER_VOCABULARY"),
    ("PolicySignificance", "POLICY_SIGNIFICANCE"),
    ("Region", "REGION"),
    ("RegionVocabulary", "REGION_VOCABULARY"),
    ("RelatedActivityType", "RELATED_ACTIVITY_TYPE"),
    ("ResultType", "RESULT_TYPE"),
    ("ResultVocabulary", "RESULT_VOCABULARY"),
    ("Sector", "SECTOR"),
    ("SectorCategory", "SECTOR_CATEGORY"),
    ("SectorVocabulary", "SECTOR_VOCABULARY"),
    ("TagVocabulary", "TAG_VOCABULARY"),
    ("TiedStatus", "TIED_STATUS"),
    ("TransactionType", "TRANSACTION_TYPE"),
    ("UNSDG-Goals", "UNSDG_GOALS"),
    ("UNSDG-Targets", "UNSDG_TARGETS"),
    ("VerificationStatus", "VERIFICATION_STATUS"),
    ("Version", "VERSION"),
];

/// Lists whose codes may fall back to the English name when no Spanish name is known.
/// The names of registers (`Companies House`, `Registro Federal de Contribuyentes`) are proper
/// names that IATI publishes in English only.
const ENGLISH_FALLBACK_ALLOWED: &[&str] = &["Language", "OrganisationRegistrationAgency"];

/// (INEGI code, ISO 3166-2 code) of each federal entity.
type StateIsos = Vec<(String, String)>;

/// One code as it will be written.
#[derive(Debug, Clone)]
struct Entry {
    code: String,
    name_es: String,
    name_en: String,
    category: Option<String>,
    withdrawn: bool,
}

/// One list as it will be written.
#[derive(Debug)]
struct List {
    name: String,
    ident: String,
    doc: Vec<String>,
    entries: Vec<Entry>,
}

/// Messages that do not stop generation but deserve a look.
#[derive(Debug, Default)]
struct Notes(Vec<String>);

impl Notes {
    fn add(&mut self, msg: impl Into<String>) {
        self.0.push(msg.into());
    }
}

pub fn run(root: &Path, options: &Options) -> Result<()> {
    let (data, check) = (options.data.as_path(), options.check);
    ensure!(
        data.join("iati/codelists/xml").is_dir(),
        "no IATI codelists under {} (use --data DIR to point at the reference data)",
        data.display()
    );
    let supplements = root.join(SUPPLEMENTS);
    let mut notes = Notes::default();
    let (lists, isos) = build(data, &supplements, &mut notes)?;
    let source = render(&lists, &isos)?;
    let formatted = rustfmt(&source, &root.join(OUTPUT))?;
    for n in &notes.0 {
        eprintln!("note: {n}");
    }
    let codes: usize = lists.iter().map(|l| l.entries.len()).sum();
    write_or_check(&root.join(OUTPUT), &formatted, check, "codelists", &format!("{} lists, {codes} codes", lists.len()))
}

// ---------------------------------------------------------------------------------------
// Building the lists
// ---------------------------------------------------------------------------------------

/// The lists, sorted by name, and the (INEGI, ISO 3166-2) pairs of the federal entities.
fn build(data: &Path, supplements: &Path, notes: &mut Notes) -> Result<(Vec<List>, StateIsos)> {
    let names_es = read_names_supplement(&supplements.join("names-es.json"))?;
    let corrections = read_corrections(&supplements.join("names-es-corrections.json"))?;
    for list in corrections.keys() {
        ensure!(
            IATI_LISTS.iter().any(|(n, _)| n == list),
            "names-es-corrections.json: `{list}` is not a generated IATI list"
        );
    }
    let thematic = read_thematic_supplement(&supplements.join("thematic-areas.json"))?;
    let mut used_supplement: HashSet<(String, String)> = HashSet::new();

    let mut lists = Vec::new();
    for &(name, ident) in IATI_LISTS {
        let sup = Supplement { fill: names_es.get(name), corrections: corrections.get(name) };
        let list = iati_list(data, name, ident, sup, &mut used_supplement, notes)
            .with_context(|| format!("codelist {name}"))?;
        lists.push(list);
    }
    for (list, codes) in &names_es {
        ensure!(IATI_LISTS.iter().any(|(n, _)| n == list), "names-es.json: `{list}` is not a generated IATI list");
        for code in codes.keys() {
            if !used_supplement.contains(&(list.clone(), code.clone())) {
                notes.add(format!("names-es.json: {list} {code} is not used (the source now has a Spanish name)"));
            }
        }
    }

    let (groups, category_groups) = sector_groups(data, &thematic, notes)?;
    lists.push(List {
        name: "SectorGroup".into(),
        ident: "SECTOR_GROUP".into(),
        doc: vec![
            "DAC sector groups (the level above the 3-digit DAC categories), with the names of".into(),
            "codeforIATI's `SectorGroup` list.".into(),
        ],
        entries: groups.clone(),
    });
    let mut areas = groups;
    for (code, name) in &thematic.names_es {
        let entry = areas
            .iter_mut()
            .find(|e| &e.code == code)
            .with_context(|| format!("thematic-areas.json: {code} is not a DAC sector group"))?;
        entry.name_es.clone_from(name);
    }
    lists.push(List {
        name: "ThematicArea".into(),
        ident: "THEMATIC_AREA".into(),
        doc: vec![
            "Coopera's thematic areas: the DAC sector groups, with the Spanish names of the".into(),
            "Mexican cooperation agency's catalogue where they differ from the DAC ones.".into(),
        ],
        entries: areas,
    });

    // Sector categories roll up to their group.
    let cats = lists.iter_mut().find(|l| l.name == "SectorCategory").context("SectorCategory missing")?;
    for e in &mut cats.entries {
        let group = category_groups.get(&e.code).with_context(|| {
            format!(
                "SectorCategory {} has no DAC sector group; add it to extra_category_groups in thematic-areas.json",
                e.code
            )
        })?;
        e.category = Some(group.clone());
    }
    for cat in category_groups.keys() {
        if !cats.entries.iter().any(|e| &e.code == cat) {
            notes.add(format!("SectorGroup.json: category {cat} is not in SectorCategory.xml"));
        }
    }

    let (states, isos) = mexico_states(data, supplements)?;
    let municipalities = mexico_municipalities(data, &states)?;
    lists.push(List {
        name: "MxState".into(),
        ident: "MX_STATE".into(),
        doc: vec!["Mexico's 32 federal entities, by INEGI code (`01`–`32`).".into()],
        entries: states,
    });
    lists.push(List {
        name: "MxMunicipality".into(),
        ident: "MX_MUNICIPALITY".into(),
        doc: vec![
            "Mexico's municipalities (and Mexico City's boroughs), by 5-digit INEGI code".into(),
            "(state + municipality); the category is the state.".into(),
        ],
        entries: municipalities,
    });
    lists.sort_by_key(|l| l.name.to_lowercase());

    validate(&lists, notes)?;
    Ok((lists, isos))
}

/// Normalises a name: trims it and collapses inner runs of whitespace (including
/// no-break spaces and line breaks) to one space.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Names and categories of one codeforIATI JSON file, by code.
#[derive(Debug, Default)]
struct JsonNames {
    names: HashMap<String, String>,
    categories: HashMap<String, String>,
}

fn read_json_names(path: &Path) -> Result<Option<JsonNames>> {
    if !path.exists() {
        return Ok(None);
    }
    let v: Value = read_json(path)?;
    let data = v.get("data").and_then(Value::as_array).with_context(|| format!("{}: no data array", path.display()))?;
    let mut out = JsonNames::default();
    for item in data {
        let Some(code) = item.get("code").and_then(Value::as_str) else {
            continue;
        };
        let code = code.trim().to_owned();
        if let Some(name) = item.get("name").and_then(Value::as_str).map(clean).filter(|n| !n.is_empty()) {
            out.names.insert(code.clone(), name);
        }
        if let Some(cat) = item.get("category").and_then(Value::as_str).map(str::trim).filter(|c| !c.is_empty()) {
            out.categories.insert(code, cat.to_owned());
        }
    }
    Ok(Some(out))
}

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(text.trim_start_matches('\u{feff}')).with_context(|| format!("parsing {}", path.display()))
}

/// `names-es.json`: list name → code → Spanish name. Keys starting with `_` are comments.
type NamesSupplement = BTreeMap<String, BTreeMap<String, String>>;

fn read_names_supplement(path: &Path) -> Result<NamesSupplement> {
    let v = read_json(path)?;
    let obj = v.as_object().with_context(|| format!("{}: expected an object", path.display()))?;
    let mut out = NamesSupplement::new();
    for (list, codes) in obj {
        if list.starts_with('_') {
            continue;
        }
        out.insert(list.clone(), string_map(codes).with_context(|| format!("{}: {list}", path.display()))?);
    }
    Ok(out)
}

/// `names-es-corrections.json`: list name → code → Spanish name that replaces the source's
/// (each entry is `{"name": …, "why": …}`).
fn read_corrections(path: &Path) -> Result<NamesSupplement> {
    let v = read_json(path)?;
    let obj = v.as_object().with_context(|| format!("{}: expected an object", path.display()))?;
    let mut out = NamesSupplement::new();
    for (list, codes) in obj.iter().filter(|(k, _)| !k.starts_with('_')) {
        let codes = codes.as_object().with_context(|| format!("{}: {list}: expected an object", path.display()))?;
        let mut map = BTreeMap::new();
        for (code, entry) in codes {
            let field = |key: &str| {
                entry
                    .get(key)
                    .and_then(Value::as_str)
                    .map(clean)
                    .filter(|s| !s.is_empty())
                    .with_context(|| format!("{}: {list} {code}: no `{key}`", path.display()))
            };
            field("why")?;
            map.insert(code.clone(), field("name")?);
        }
        out.insert(list.clone(), map);
    }
    Ok(out)
}

fn string_map(v: &Value) -> Result<BTreeMap<String, String>> {
    let obj = v.as_object().context("expected an object of strings")?;
    let mut out = BTreeMap::new();
    for (k, v) in obj {
        if k.starts_with('_') {
            continue;
        }
        let s = v.as_str().with_context(|| format!("{k}: expected a string"))?;
        let s = clean(s);
        ensure!(!s.is_empty(), "{k}: empty name");
        out.insert(k.clone(), s);
    }
    Ok(out)
}

/// `thematic-areas.json`.
#[derive(Debug)]
struct ThematicSupplement {
    /// Spanish names that replace the DAC ones in `ThematicArea`.
    names_es: BTreeMap<String, String>,
    /// Group of each DAC category that `SectorGroup.json` does not place (withdrawn ones).
    extra_category_groups: BTreeMap<String, String>,
}

fn read_thematic_supplement(path: &Path) -> Result<ThematicSupplement> {
    let v = read_json(path)?;
    let section = |key: &str| -> Result<BTreeMap<String, String>> {
        string_map(v.get(key).with_context(|| format!("{}: no `{key}`", path.display()))?)
            .with_context(|| format!("{}: {key}", path.display()))
    };
    Ok(ThematicSupplement { names_es: section("names_es")?, extra_category_groups: section("extra_category_groups")? })
}

/// One item of an IATI codelist XML file.
#[derive(Debug)]
struct XmlItem {
    code: String,
    name_en: Option<String>,
    category: Option<String>,
    withdrawn: bool,
}

/// Reads an IATI codelist XML file: its metadata name and its items.
fn read_codelist_xml(path: &Path) -> Result<(Option<String>, Vec<XmlItem>)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let root = xml::parse(&text).with_context(|| format!("parsing {}", path.display()))?;
    ensure!(root.name == "codelist", "{}: root is <{}>, not <codelist>", path.display(), root.name);
    let title = root.child("metadata").and_then(|m| m.child("name")).and_then(english_narrative);
    let items_parent =
        root.child("codelist-items").with_context(|| format!("{}: no <codelist-items>", path.display()))?;
    let mut items = Vec::new();
    for item in items_parent.children_named("codelist-item") {
        let code = item.child("code").map(|c| c.text().trim().to_owned()).unwrap_or_default();
        ensure!(!code.is_empty(), "{}: an item without a code", path.display());
        items.push(XmlItem {
            name_en: item.child("name").and_then(english_narrative),
            category: item.child("category").map(|c| c.text().trim().to_owned()).filter(|c| !c.is_empty()),
            withdrawn: item.attr("status") == Some("withdrawn"),
            code,
        });
    }
    Ok((title, items))
}

/// The English (or untagged, which the lists declare English) narrative of a name element.
fn english_narrative(name: &xml::Element) -> Option<String> {
    name.children_named("narrative")
        .find(|n| matches!(n.attr("xml:lang"), None | Some("en")))
        .map(|n| clean(&n.text()))
        .filter(|n| !n.is_empty())
}

/// Coopera's Spanish names for one IATI list.
#[derive(Debug, Clone, Copy)]
struct Supplement<'a> {
    /// Names for codes the source does not name.
    fill: Option<&'a BTreeMap<String, String>>,
    /// Names that replace the source's.
    corrections: Option<&'a BTreeMap<String, String>>,
}

fn iati_list(
    data: &Path,
    name: &str,
    ident: &str,
    supplement: Supplement<'_>,
    used_supplement: &mut HashSet<(String, String)>,
    notes: &mut Notes,
) -> Result<List> {
    let dir = data.join("iati/codelists");
    let (title, items) = read_codelist_xml(&dir.join(format!("xml/{name}.xml")))?;
    let es = read_json_names(&dir.join(format!("names/es/{name}.json")))?.unwrap_or_default();
    let en = read_json_names(&dir.join(format!("names/en/{name}.json")))?.unwrap_or_default();
    let empty = BTreeMap::new();
    let sup = supplement.fill.unwrap_or(&empty);
    for code in sup.keys() {
        ensure!(items.iter().any(|i| &i.code == code), "names-es.json: {name} has no code {code}");
    }
    let corrections = supplement.corrections.unwrap_or(&empty);
    for (code, fixed) in corrections {
        ensure!(items.iter().any(|i| &i.code == code), "names-es-corrections.json: {name} has no code {code}");
        match es.names.get(code) {
            None => bail!(
                "names-es-corrections.json: {name} {code} has no source name to correct; move it to names-es.json"
            ),
            Some(source) if source == fixed => {
                bail!("names-es-corrections.json: {name} {code} is already `{fixed}` in the source; remove it")
            }
            Some(_) => {}
        }
    }

    let mut entries = Vec::with_capacity(items.len());
    let mut missing_es = Vec::new();
    let mut english_fallbacks = Vec::new();
    for item in items {
        let name_en = item.name_en.or_else(|| en.names.get(&item.code).cloned());
        let name_en_or_code = name_en.clone().unwrap_or_else(|| item.code.clone());
        let name_es = match (es.names.get(&item.code), sup.get(&item.code)) {
            (Some(_), _) if corrections.contains_key(&item.code) => corrections[&item.code].clone(),
            (Some(source), _) => source.clone(),
            (None, Some(own)) => {
                used_supplement.insert((name.to_owned(), item.code.clone()));
                own.clone()
            }
            // A list without names (Version): the code is the name in both languages.
            (None, None) if name_en.is_none() => item.code.clone(),
            (None, None) if ENGLISH_FALLBACK_ALLOWED.contains(&name) => {
                english_fallbacks.push(item.code.clone());
                name_en_or_code.clone()
            }
            (None, None) => {
                missing_es.push(item.code.clone());
                String::new()
            }
        };
        let category = item.category.or_else(|| en.categories.get(&item.code).cloned()).or_else(|| {
            // SDG targets: the goal is the part before the dot.
            (name == "UNSDG-Targets").then(|| item.code.split('.').next().unwrap_or_default().to_owned())
        });
        entries.push(Entry { code: item.code, name_es, name_en: name_en_or_code, category, withdrawn: item.withdrawn });
    }
    ensure!(
        missing_es.is_empty(),
        "no Spanish name for {} code(s): {}; add them to names-es.json",
        missing_es.len(),
        missing_es.join(", ")
    );
    if !english_fallbacks.is_empty() {
        let which = if english_fallbacks.len() > 20 {
            format!("{} codes", english_fallbacks.len())
        } else {
            english_fallbacks.join(", ")
        };
        notes.add(format!("{name}: English name used for {which}"));
    }
    let withdrawn = entries.iter().filter(|e| e.withdrawn).count();
    let mut doc = vec![format!(
        "IATI codelist `{name}`{}: {} codes{}.",
        title.map(|t| format!(" ({t})")).unwrap_or_default(),
        entries.len(),
        if withdrawn > 0 { format!(", {withdrawn} withdrawn") } else { String::new() }
    )];
    match name {
        "Sector" => doc.push("The category is the 3-digit DAC category (`SectorCategory`).".into()),
        "SectorCategory" => doc.push("The category is the DAC sector group (`ThematicArea`).".into()),
        "UNSDG-Targets" => doc.push("The category is the goal (`UNSDG-Goals`).".into()),
        "AidType" => doc.push("The category is the `AidType-category`, or the parent aid type.".into()),
        "FinanceType" => doc.push("The category is the `FinanceType-category`.".into()),
        "DocumentCategory" => doc.push("The category is the `DocumentCategory-category`.".into()),
        _ => {}
    }
    Ok(List { name: name.to_owned(), ident: ident.to_owned(), doc, entries })
}

/// The DAC sector groups from codeforIATI's `SectorGroup.json` (English and Spanish), and
/// the group of every DAC category.
fn sector_groups(
    data: &Path,
    thematic: &ThematicSupplement,
    notes: &mut Notes,
) -> Result<(Vec<Entry>, BTreeMap<String, String>)> {
    let read = |lang: &str| -> Result<Vec<Value>> {
        let path = data.join(format!("iati/codelists/names/{lang}/SectorGroup.json"));
        let v = read_json(&path)?;
        v.get("data").and_then(Value::as_array).cloned().with_context(|| format!("{}: no data", path.display()))
    };
    let field = |item: &Value, key: &str| -> Result<String> {
        item.get(key).and_then(Value::as_str).map(clean).filter(|s| !s.is_empty()).with_context(|| {
            format!("SectorGroup.json: item {} has no {key}", item.get("code").unwrap_or(&Value::Null))
        })
    };

    let mut order: Vec<String> = Vec::new();
    let mut names_en: HashMap<String, String> = HashMap::new();
    let mut category_groups: BTreeMap<String, String> = BTreeMap::new();
    for item in read("en")? {
        let group = field(&item, "codeforiati:group-code")?;
        let name = field(&item, "codeforiati:group-name")?;
        let category = field(&item, "codeforiati:category-code")?;
        match names_en.get(&group) {
            None => {
                order.push(group.clone());
                names_en.insert(group.clone(), name);
            }
            Some(prev) => ensure!(*prev == name, "SectorGroup.json: group {group} is both `{prev}` and `{name}`"),
        }
        if let Some(prev) = category_groups.insert(category.clone(), group.clone()) {
            ensure!(prev == group, "SectorGroup.json: category {category} is in groups {prev} and {group}");
        }
    }
    let mut names_es: HashMap<String, String> = HashMap::new();
    for item in read("es")? {
        let group = field(&item, "codeforiati:group-code")?;
        let name = field(&item, "codeforiati:group-name")?;
        if let Some(prev) = names_es.insert(group.clone(), name.clone()) {
            ensure!(prev == name, "SectorGroup.json (es): group {group} is both `{prev}` and `{name}`");
        }
    }
    for (category, group) in &thematic.extra_category_groups {
        ensure!(
            !category_groups.contains_key(category),
            "thematic-areas.json: category {category} is already placed by SectorGroup.json"
        );
        ensure!(names_en.contains_key(group), "thematic-areas.json: {group} is not a DAC sector group");
        notes.add(format!("SectorCategory {category}: group {group} from thematic-areas.json"));
        category_groups.insert(category.clone(), group.clone());
    }
    let entries = order
        .into_iter()
        .map(|code| -> Result<Entry> {
            Ok(Entry {
                name_es: names_es.get(&code).cloned().with_context(|| format!("no Spanish name for group {code}"))?,
                name_en: names_en[&code].clone(),
                code,
                category: None,
                withdrawn: false,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((entries, category_groups))
}

/// A CSV file with a header, read by the `csv` crate (RFC 4180 quoting, any line end, a UTF-8
/// byte-order mark skipped): each row as a map from column to its [`clean`]ed value.
fn read_csv(path: &Path) -> Result<Vec<HashMap<String, String>>> {
    let mut reader = csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let header: Vec<String> =
        reader.headers().with_context(|| format!("{}: no header", path.display()))?.iter().map(clean).collect();
    ensure!(header.iter().any(|h| !h.is_empty()), "{}: empty", path.display());
    let mut out = Vec::new();
    for record in reader.records() {
        // The error names the line and says when a row's fields do not match the header's.
        let record = record.with_context(|| format!("reading {} (expected UTF-8 CSV)", path.display()))?;
        out.push(header.iter().cloned().zip(record.iter().map(clean)).collect());
    }
    Ok(out)
}

fn column<'a>(row: &'a HashMap<String, String>, key: &str) -> Result<&'a str> {
    row.get(key).map(String::as_str).with_context(|| format!("no column `{key}`"))
}

/// The 32 federal entities (INEGI CSV, names checked against `mx-states.tsv`), and their
/// ISO 3166-2 codes as (INEGI, ISO) pairs.
fn mexico_states(data: &Path, supplements: &Path) -> Result<(Vec<Entry>, StateIsos)> {
    let path = data.join("mexico/cve_nom_estados.csv");
    let mut inegi: BTreeMap<String, String> = BTreeMap::new();
    for row in read_csv(&path)? {
        let code = column(&row, "cve_ent")?;
        let name = column(&row, "nombre_estado")?;
        if code == "00" {
            continue; // "Nacional", the whole country
        }
        ensure!(code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()), "state code `{code}`");
        ensure!(inegi.insert(code.to_owned(), name.to_owned()).is_none(), "state {code} twice");
    }
    let expected: Vec<String> = (1..=32).map(|i| format!("{i:02}")).collect();
    ensure!(inegi.keys().cloned().collect::<Vec<_>>() == expected, "{}: expected states 01..32", path.display());

    let tsv_path = supplements.join("mx-states.tsv");
    let tsv = std::fs::read_to_string(&tsv_path).with_context(|| format!("reading {}", tsv_path.display()))?;
    let mut states = Vec::new();
    let mut isos = Vec::new();
    let mut seen_iso = HashSet::new();
    for (i, line) in tsv.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').map(str::trim).collect();
        ensure!(f.len() == 4, "{}: line {} needs 4 tab-separated fields", tsv_path.display(), i + 1);
        let (code, iso, name_es, name_en) = (f[0], f[1], f[2], f[3]);
        let source = inegi.get(code).with_context(|| format!("mx-states.tsv: no INEGI state {code}"))?;
        ensure!(source == name_es, "mx-states.tsv: {code} is `{source}` in the INEGI file, not `{name_es}`");
        ensure!(
            iso.len() == 6 && iso.starts_with("MX-") && iso[3..].bytes().all(|b| b.is_ascii_uppercase()),
            "mx-states.tsv: bad ISO 3166-2 code `{iso}`"
        );
        ensure!(seen_iso.insert(iso.to_owned()), "mx-states.tsv: {iso} twice");
        ensure!(states.len() < 32 && expected[states.len()] == code, "mx-states.tsv: rows must be 01..32 in order");
        states.push(Entry {
            code: code.to_owned(),
            name_es: name_es.to_owned(),
            name_en: name_en.to_owned(),
            category: None,
            withdrawn: false,
        });
        isos.push((code.to_owned(), iso.to_owned()));
    }
    ensure!(states.len() == 32, "mx-states.tsv: {} states, not 32", states.len());
    Ok((states, isos))
}

fn mexico_municipalities(data: &Path, states: &[Entry]) -> Result<Vec<Entry>> {
    let path = data.join("mexico/cve_nom_municipios.csv");
    let mut out: BTreeMap<String, Entry> = BTreeMap::new();
    for row in read_csv(&path)? {
        let geo = column(&row, "cve_geo")?;
        let state = column(&row, "cve_ent")?;
        let mun = column(&row, "cve_mun")?;
        let name = column(&row, "nombre_municipio")?;
        let state_name = column(&row, "nombre_estado")?;
        ensure!(
            geo.len() == 5 && geo.bytes().all(|b| b.is_ascii_digit()) && geo == format!("{state}{mun}"),
            "{}: cve_geo `{geo}` is not cve_ent `{state}` + cve_mun `{mun}`",
            path.display()
        );
        let st =
            states.iter().find(|s| s.code == state).with_context(|| format!("municipality {geo}: no state {state}"))?;
        ensure!(st.name_es == state_name, "municipality {geo}: state is `{state_name}`, not `{}`", st.name_es);
        ensure!(!name.is_empty(), "municipality {geo} has no name");
        let entry = Entry {
            code: geo.to_owned(),
            name_es: name.to_owned(),
            name_en: name.to_owned(),
            category: Some(state.to_owned()),
            withdrawn: false,
        };
        ensure!(out.insert(geo.to_owned(), entry).is_none(), "municipality {geo} twice");
    }
    Ok(out.into_values().collect())
}

/// Checks what the tests of `codelists/mod.rs` rely on, and a few things more.
fn validate(lists: &[List], notes: &mut Notes) -> Result<()> {
    let by_name: HashMap<&str, &List> = lists.iter().map(|l| (l.name.as_str(), l)).collect();
    let codes_of = |name: &str| -> HashSet<&str> {
        by_name.get(name).map(|l| l.entries.iter().map(|e| e.code.as_str()).collect()).unwrap_or_default()
    };
    let mut idents = HashSet::new();
    for list in lists {
        ensure!(!list.entries.is_empty(), "{} is empty", list.name);
        ensure!(idents.insert(list.ident.as_str()), "static {} twice", list.ident);
        let mut seen = HashSet::new();
        for e in &list.entries {
            ensure!(seen.insert(e.code.as_str()), "{}: code {} twice", list.name, e.code);
            ensure!(!e.code.is_empty() && e.code == e.code.trim(), "{}: bad code `{}`", list.name, e.code);
            for n in [&e.name_es, &e.name_en] {
                ensure!(!n.is_empty() && *n == clean(n), "{} {}: bad name `{n}`", list.name, e.code);
            }
        }
    }
    // Parents that must exist: (list, parent list, also the list itself).
    let parents = [
        ("Sector", "SectorCategory", false),
        ("SectorCategory", "ThematicArea", false),
        ("UNSDG-Targets", "UNSDG-Goals", false),
        ("MxMunicipality", "MxState", false),
        ("DocumentCategory", "DocumentCategory-category", false),
        ("AidType", "AidType-category", true),
        ("FinanceType", "FinanceType-category", false),
    ];
    for (child, parent, self_parent) in parents {
        let parent_codes = codes_of(parent);
        let own = codes_of(child);
        for e in &by_name[child].entries {
            let Some(cat) = e.category.as_deref() else { bail!("{child} {}: no category", e.code) };
            if !(parent_codes.contains(cat) || self_parent && own.contains(cat)) {
                // Kept as published; old data may rely on it.
                notes.add(format!("{child} {}: category {cat} is not in {parent}", e.code));
            }
        }
    }
    for hard in [("Sector", "SectorCategory"), ("SectorCategory", "ThematicArea"), ("MxMunicipality", "MxState")] {
        let parent_codes = codes_of(hard.1);
        for e in &by_name[hard.0].entries {
            let cat = e.category.as_deref().unwrap_or_default();
            ensure!(parent_codes.contains(cat), "{} {}: category {cat} is not in {}", hard.0, e.code, hard.1);
        }
    }
    ensure!(by_name["MxState"].entries.len() == 32, "MxState must have 32 entries");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------

fn render(lists: &[List], isos: &[(String, String)]) -> Result<String> {
    let mut s = String::new();
    s.push_str(
        "//! The codelist tables: IATI 2.03 lists with Spanish and English names, Coopera's thematic\n\
         //! areas, and INEGI's federal entities and municipalities.\n\
         //!\n\
         //! Generated by `cargo xtask codelists`, do not edit. The inputs are the reference data\n\
         //! (`../shared/data`) and the supplements in `crates/coopera-domain/codelists/`; sources and\n\
         //! licences are in `crates/coopera-domain/codelists/ATTRIBUTION.md`.\n\n\
         use super::{Code, Codelist};\n\n\
         /// An active code; an empty `category` means none.\n\
         const fn c(code: &'static str, name_es: &'static str, name_en: &'static str, category: &'static str) -> Code {\n\
         let category = if category.is_empty() { None } else { Some(category) };\n\
         Code { code, name_es, name_en, category, withdrawn: false }\n\
         }\n\n\
         /// A withdrawn code.\n\
         const fn w(code: &'static str, name_es: &'static str, name_en: &'static str, category: &'static str) -> Code {\n\
         Code { withdrawn: true, ..c(code, name_es, name_en, category) }\n\
         }\n\n",
    );
    s.push_str("/// Every list, sorted by name.\n");
    writeln!(s, "pub static ALL: [&Codelist; {}] = [", lists.len())?;
    for l in lists {
        writeln!(s, "&{},", l.ident)?;
    }
    s.push_str("];\n\n");

    for l in lists {
        for line in &l.doc {
            writeln!(s, "/// {line}")?;
        }
        writeln!(s, "pub static {0}: Codelist = Codelist::new({1}, &{0}_CODES);\n", l.ident, lit(&l.name))?;
        writeln!(s, "/// The codes of [`{}`].", l.ident)?;
        writeln!(s, "#[rustfmt::skip]\npub static {}_CODES: [Code; {}] = [", l.ident, l.entries.len())?;
        for e in &l.entries {
            writeln!(
                s,
                "    {}({}, {}, {}, {}),",
                if e.withdrawn { "w" } else { "c" },
                lit(&e.code),
                lit(&e.name_es),
                lit(&e.name_en),
                lit(e.category.as_deref().unwrap_or(""))
            )?;
        }
        s.push_str("];\n\n");
    }

    s.push_str("/// The ISO 3166-2 code of each federal entity, by INEGI code.\n");
    writeln!(s, "pub static MX_STATE_ISO: [(&str, &str); {}] = [", isos.len())?;
    for (inegi, iso) in isos {
        writeln!(s, "({}, {}),", lit(inegi), lit(iso))?;
    }
    s.push_str("];\n");
    Ok(s)
}

/// A Rust string literal for `s`.
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Formats `source` with rustfmt, as `cargo fmt` would format the file at `path`.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_escaped() {
        assert_eq!(lit(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(lit("x\u{1}"), "\"x\\u{1}\"");
        assert_eq!(lit("Educación"), "\"Educación\"");
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean("  Debt forgiveness:  ODA\u{a0}claims\n"), "Debt forgiveness: ODA claims");
    }

    #[test]
    fn csv_fields_may_be_quoted() {
        let path = std::env::temp_dir().join(format!("coopera-xtask-{}.csv", std::process::id()));
        let text = "\u{feff}cve,nombre,x\r\n01,\"Comma, here\",\"Say \"\"hi\"\"\nagain\"\r\n\r\n02,b,c\r\n";
        std::fs::write(&path, text).expect("a temporary file");
        let rows = read_csv(&path);
        let ragged = std::fs::write(&path, "a,b\n1,2,3\n").map(|()| read_csv(&path));
        let _ = std::fs::remove_file(&path);
        let rows = rows.expect("valid CSV");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["cve"], "01", "the byte-order mark is not part of the first column");
        assert_eq!(rows[0]["nombre"], "Comma, here");
        assert_eq!(rows[0]["x"], "Say \"hi\" again", "a line break inside quotes, cleaned");
        assert_eq!(rows[1]["nombre"], "b");
        let err = ragged.expect("written").expect_err("3 fields under a header of 2");
        assert!(format!("{err:#}").contains("line: 2"), "{err:#}");
    }
}
