//! Maps one `<iati-activity>` element (versions 1.0x to 2.03) onto Coopera's activity document,
//! keeping what is valid and turning every problem into a warning with its line — an activity
//! is never dropped silently, and one bad sector does not cost the whole activity.
//!
//! What IATI does not say, Coopera infers and documents here:
//! - modality from the collaboration type: 1, 3, 7 bilateral; 2, 4 multilateral; 8 triangular
//!   when first and second providers can be told apart, else bilateral with the code kept;
//!   none: bilateral;
//! - instrument from the aid type: A budget support → financial cooperation; B contributions →
//!   contribution; D technical assistance, G administrative, H other → action; E scholarships →
//!   scholarship; humanitarian flag → humanitarian aid; else project;
//! - type of cooperation: humanitarian when flagged, financial for loans and budget support,
//!   educational for scholarships, technical-scientific for technical assistance, else economic;
//! - an organisation's country, level and INEGI codes from its type, identifier and name
//!   (`org.rs`), unless a Coopera export describes it (`coopera:organisation`), which is taken
//!   as written.

use std::collections::BTreeMap;

use coopera_domain::Lang;
use coopera_domain::code::{
    ActivityStatusCode, AidTypeCode, CollaborationTypeCode, CountryCode, CurrencyCode, DocumentCategoryCode,
    FinanceTypeCode, FlowTypeCode, OrganisationTypeCode, PolicyMarkerCode, RegionCode, RelatedActivityTypeCode,
    SdgGoalCode, SdgTargetCode, SectorCategoryCode, SectorCode, TiedStatusCode, TransactionTypeCode,
};
use coopera_domain::doc::*;
use coopera_domain::problem::Problem;
use rust_decimal::Decimal;

use super::xml::Element;
use crate::validate::{is_any_uri, is_language};

/// Something in an activity that could not be taken as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: u32,
    pub column: u32,
    /// The element path inside the activity, e.g. `sector[2]/@code`.
    pub path: String,
    pub issue: Issue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    /// A code not in its codelist: the element was left out.
    UnknownCode { list: &'static str, code: String },
    /// Percentages not adding up to 100: rescaled so that they do.
    PercentSum { what: &'static str, sum: String },
    /// The same code twice: merged, percentages added.
    Duplicate { code: String },
    /// A date that is not a date: left out.
    BadDate { value: String },
    /// An `xml:lang` that is not a language tag: the text was taken in the language it
    /// inherits (its element's, else the activity's, else English).
    BadLanguage { value: String },
    /// A document link whose address is not a URI: the link was left out.
    BadUrl { value: String },
    /// A percentage below 0 or far above 100: the element was left out.
    BadPercentage { value: String },
    /// A number that is not a number: the element was left out.
    BadNumber { value: String },
    /// A value without a currency, and no default currency: left out.
    NoCurrency,
    /// A required element is missing: without `iati-identifier` the activity cannot be
    /// imported; a missing title is replaced by the identifier, a missing status by 2
    /// (implementation); other elements that lack a required part are left out.
    Missing { element: &'static str },
    /// A triangular activity whose providers cannot be told apart: kept as bilateral, with
    /// collaboration type 8.
    TriangularRoles,
    /// An end date before its start date: the end was left out.
    EndBeforeStart,
    /// An identifier with spaces: they were replaced by dashes to make a key.
    IdentifierSpaces { id: String, kept: String },
    /// Countries already add up to 100%: the regions (which add `sum` more) were left out.
    RegionsOverCountries { sum: String },
}

impl Warning {
    /// `path: what is wrong and what was done`.
    pub fn message(&self, lang: Lang) -> String {
        format!("{}: {}", self.path, self.issue_message(lang))
    }

    /// What is wrong and what was done, without the path.
    pub fn issue_message(&self, lang: Lang) -> String {
        let es = lang == Lang::Es;
        match &self.issue {
            Issue::UnknownCode { list, code } => {
                if es {
                    format!("código `{code}` desconocido en la lista {list}; se omitió")
                } else {
                    format!("unknown code `{code}` in the {list} codelist; left out")
                }
            }
            Issue::PercentSum { what, sum } => {
                if es {
                    format!("los porcentajes de {what} suman {sum}, no 100; se reescalaron")
                } else {
                    format!("the {what} percentages add up to {sum}, not 100; rescaled")
                }
            }
            Issue::Duplicate { code } => {
                if es {
                    format!("el código `{code}` aparece dos veces; se sumaron sus porcentajes")
                } else {
                    format!("code `{code}` appears twice; its percentages were added")
                }
            }
            Issue::BadDate { value } => {
                if es {
                    format!("`{value}` no es una fecha AAAA-MM-DD, del año 0001 al 9999; se omitió")
                } else {
                    format!("`{value}` is not a date YYYY-MM-DD, from year 0001 to 9999; left out")
                }
            }
            Issue::BadLanguage { value } => {
                if es {
                    format!("`{value}` no es un código de idioma; el texto se tomó en el idioma que hereda")
                } else {
                    format!("`{value}` is not a language code; the text was taken in the language it inherits")
                }
            }
            Issue::BadUrl { value } => {
                if es {
                    format!("`{value}` no es una dirección (URI); se omitió el enlace al documento")
                } else {
                    format!("`{value}` is not an address (URI); the document link was left out")
                }
            }
            Issue::BadPercentage { value } => {
                if es {
                    format!("`{value}` no es un porcentaje de 0 a {MAX_PERCENTAGE}; se omitió")
                } else {
                    format!("`{value}` is not a percentage from 0 to {MAX_PERCENTAGE}; left out")
                }
            }
            Issue::BadNumber { value } => {
                if es {
                    format!("`{value}` no es un número; se omitió")
                } else {
                    format!("`{value}` is not a number; left out")
                }
            }
            Issue::NoCurrency => lang
                .pick(
                    "valor sin moneda y sin default-currency en la actividad; se omitió",
                    "value without currency and no default-currency on the activity; left out",
                )
                .to_owned(),
            Issue::Missing { element } => {
                // What was done depends on what is missing: only an activity without an
                // identifier is refused; other gaps are filled or their element left out.
                let done = match *element {
                    "iati-identifier" => {
                        lang.pick("la actividad no se puede importar", "the activity cannot be imported")
                    }
                    "title" => lang.pick("se usó el identificador como título", "the identifier was used as title"),
                    "activity-status" => lang.pick(
                        "se registró en ejecución (2)",
                        "recorded as implementation (2)",
                    ),
                    "transaction-date" => lang.pick("se omitió la transacción", "the transaction was left out"),
                    e if e.starts_with("document-link") => {
                        lang.pick("se omitió el enlace al documento", "the document link was left out")
                    }
                    _ => lang.pick("se omitió el elemento", "the element was left out"),
                };
                if es { format!("falta <{element}>; {done}") } else { format!("<{element}> is missing; {done}") }
            }
            Issue::TriangularRoles => lang
                .pick(
                    "collaboration-type 8 (triangular) sin primer y segundo oferente distinguibles; se registró como bilateral con el tipo de colaboración 8",
                    "collaboration-type 8 (triangular) without distinguishable first and second providers; recorded as bilateral with collaboration type 8",
                )
                .to_owned(),
            Issue::IdentifierSpaces { id, kept } => {
                if es {
                    format!("el identificador `{id}` contiene espacios; se registró como `{kept}`")
                } else {
                    format!("the identifier `{id}` contains spaces; recorded as `{kept}`")
                }
            }
            Issue::RegionsOverCountries { sum } => {
                if es {
                    format!("los países ya suman 100 % y las regiones otro {sum} %; se omitieron las regiones")
                } else {
                    format!("the countries already add up to 100% and the regions another {sum}%; the regions were left out")
                }
            }
            Issue::EndBeforeStart => lang
                .pick("fecha final anterior a la inicial; se omitió la final", "end date before the start date; the end was left out")
                .to_owned(),
        }
    }
}

/// An activity as mapped: its document, the organisations it names, and the warnings.
#[derive(Debug, Clone)]
pub struct Mapped {
    pub activity: ActivityDoc,
    pub organisations: Vec<OrganisationDoc>,
    pub warnings: Vec<Warning>,
    /// Line and column of the element that first names each organisation the activity refers
    /// to, by key: where a problem of that reference (or of that organisation) is placed.
    pub named_at: BTreeMap<String, (u32, u32)>,
}

/// Settings of a mapping.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// The reporting country (ISO 3166-1): its organisations are federal, others foreign.
    pub home_country: String,
}

impl Default for MapOptions {
    fn default() -> MapOptions {
        MapOptions { home_country: "MX".into() }
    }
}

/// A key for an organisation from its IATI identifier, or its name when it has none.
pub fn org_key(iati_ref: Option<&str>, name: &str) -> String {
    let source = iati_ref.filter(|r| !r.trim().is_empty()).unwrap_or(name);
    let mut key = String::new();
    for c in source.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if c == '-' && (key.is_empty() || key.ends_with('-')) {
            continue;
        }
        key.push(c);
    }
    let key = key.trim_end_matches('-');
    let prefix = if iati_ref.is_some_and(|r| !r.trim().is_empty()) { "" } else { "n-" };
    let mut key = format!("{prefix}{key}");
    if key.len() > 64 {
        // Long names: keep a readable start and a hash of the whole for uniqueness.
        let hash = source.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3));
        key.truncate(47);
        key = format!("{}-{hash:016x}", key.trim_end_matches('-'));
    }
    if key.is_empty() || key == "n-" { "n-unnamed".into() } else { key }
}

struct Mapper<'a> {
    warnings: Vec<Warning>,
    orgs: BTreeMap<String, OrganisationDoc>,
    named_at: BTreeMap<String, (u32, u32)>,
    options: &'a MapOptions,
    /// The activity's `xml:lang`: the language of narratives that do not say theirs.
    lang: String,
    v1: bool,
}

impl Mapper<'_> {
    fn warn(&mut self, el: &Element, path: String, issue: Issue) {
        self.warnings.push(Warning { line: el.line, column: el.column, path, issue });
    }

    /// Notes where the organisation `key` is first named.
    fn named(&mut self, key: &str, el: &Element) {
        if !self.named_at.contains_key(key) {
            self.named_at.insert(key.to_owned(), (el.line, el.column));
        }
    }

    /// Text of an element: its narratives by language (2.0x), or its own text (1.0x).
    fn text(&mut self, el: &Element) -> Option<TextDoc> {
        let mut langs = BTreeMap::new();
        // `xml:lang` is inherited: a narrative without one is in its parent's language, if the
        // parent says, else in the activity's.
        let inherited = self.lang_of(el).unwrap_or_else(|| self.lang.clone());
        for n in el.children_named("narrative") {
            let lang = self.lang_of(n).unwrap_or_else(|| inherited.clone());
            let t = n.text.trim();
            if !t.is_empty() {
                langs.entry(lang).or_insert_with(|| t.to_owned());
            }
        }
        if langs.is_empty() {
            let t = el.text.trim();
            if !t.is_empty() {
                langs.insert(inherited, t.to_owned());
            }
        }
        (!langs.is_empty()).then_some(TextDoc::Langs(langs))
    }

    /// The element's `xml:lang`, lowercase. One that is not a language tag is a warning and
    /// counts as absent, so the text is taken in the language it inherits.
    fn lang_of(&mut self, el: &Element) -> Option<String> {
        let lang = el.attr_trim("xml:lang")?;
        if is_language(lang) {
            return Some(lang.to_ascii_lowercase());
        }
        let path = if &*el.name == "iati-activity" { "@xml:lang".to_owned() } else { format!("{}/@xml:lang", el.name) };
        self.warn(el, path, Issue::BadLanguage { value: lang.to_owned() });
        None
    }

    /// A code checked against its list; unknown codes become a warning and `None`.
    fn code<T>(
        &mut self,
        el: &Element,
        path: String,
        value: Option<&str>,
        parse: fn(&str) -> Result<T, Problem>,
    ) -> Option<String>
    where
        T: std::fmt::Display,
    {
        let value = value?.trim();
        if value.is_empty() {
            return None;
        }
        match parse(value) {
            Ok(code) => Some(code.to_string()),
            Err(p) => {
                let list = match p.rule {
                    coopera_domain::Rule::UnknownCode { list, .. } => list,
                    _ => "?",
                };
                self.warn(el, path, Issue::UnknownCode { list, code: value.to_owned() });
                None
            }
        }
    }

    fn date(&mut self, el: &Element, path: String, value: Option<&str>) -> Option<String> {
        let value = value?.trim();
        if value.is_empty() {
            return None;
        }
        match parse_date(value) {
            Ok(d) => Some(d.to_string()),
            Err(_) => {
                self.warn(el, path, Issue::BadDate { value: value.to_owned() });
                None
            }
        }
    }

    fn number(&mut self, el: &Element, path: String, value: &str) -> Option<Decimal> {
        // No thousands separators: `1,5` could be 1.5 or 15, so a comma is an error.
        let v = value.trim();
        match v.parse::<Decimal>().or_else(|_| Decimal::from_scientific(v)) {
            Ok(d) => Some(d.normalize()),
            Err(_) => {
                self.warn(el, path, Issue::BadNumber { value: value.trim().to_owned() });
                None
            }
        }
    }

    /// A percentage: a number from 0 to [`MAX_PERCENTAGE`], else a warning and `None`.
    fn percentage(&mut self, el: &Element, path: String, value: &str) -> Option<Decimal> {
        let p = self.number(el, path.clone(), value)?;
        if p < Decimal::ZERO || p > Decimal::from(MAX_PERCENTAGE) {
            self.warn(el, path, Issue::BadPercentage { value: value.trim().to_owned() });
            return None;
        }
        Some(p)
    }

    /// Registers an organisation named in the activity; returns its key.
    fn org(&mut self, el: &Element) -> Option<String> {
        let iati_ref = el.attr_trim("ref").map(str::to_owned);
        let name = self.text(el);
        let name_text = match &name {
            Some(TextDoc::Langs(m)) => m.values().next().cloned().unwrap_or_default(),
            Some(TextDoc::Plain(s)) => s.clone(),
            None => String::new(),
        };
        if iati_ref.is_none() && name_text.is_empty() && el.attr_trim("coopera:org").is_none() {
            return None;
        }
        // A file written by Coopera names the organisation's key; its `ref` is then the
        // organisation's IATI identifier, or the key itself when it has none.
        let coopera_key = el.attr_trim("coopera:org").map(str::to_owned);
        let iati_ref = iati_ref.filter(|r| Some(r) != coopera_key.as_ref());
        let key = coopera_key.unwrap_or_else(|| org_key(iati_ref.as_deref(), &name_text));
        self.named(&key, el);
        if let Some(entry) = self.orgs.get_mut(&key) {
            // Named before: a name now replaces an identifier standing for one. An
            // organisation the file describes in Coopera's namespace stays as described.
            if matches!(&entry.name, TextDoc::Plain(s) if Some(s) == iati_ref.as_ref())
                && let Some(n) = name
            {
                entry.name = n;
            }
            return Some(key);
        }
        let kind = el.attr_trim("type").filter(|t| OrganisationTypeCode::parse(t).is_ok());
        let names: Vec<&str> = match &name {
            Some(TextDoc::Langs(m)) => m.values().map(String::as_str).collect(),
            Some(TextDoc::Plain(s)) => vec![s.as_str()],
            None => Vec::new(),
        };
        let placed = super::org::place(&super::org::Evidence {
            kind,
            iati_ref: iati_ref.as_deref(),
            names: &names,
            home: &self.options.home_country,
        });
        let doc = OrganisationDoc {
            key: key.clone(),
            iati_ref: iati_ref.clone(),
            name: name.clone().unwrap_or_else(|| TextDoc::Plain(iati_ref.clone().unwrap_or_default())),
            acronym: None,
            kind: kind.unwrap_or("90").to_owned(),
            level: placed.level.to_owned(),
            country: placed.country,
            mx_state: placed.mx_state.map(str::to_owned),
            mx_municipality: placed.mx_municipality.map(str::to_owned),
            parent: None,
        };
        self.orgs.insert(key.clone(), doc);
        Some(key)
    }

    /// The organisations a Coopera export describes (`coopera:organisation`): their documents
    /// as they were in the registry that wrote the file.
    fn described_orgs(&mut self, el: &Element) {
        for o in el.children_named("coopera:organisation") {
            let Some(key) = o.attr_trim("key") else { continue };
            let attr = |name: &str| o.attr_trim(name).map(str::to_owned);
            let doc = OrganisationDoc {
                key: key.to_owned(),
                iati_ref: attr("ref"),
                name: self.text(o).unwrap_or_else(|| TextDoc::Plain(key.to_owned())),
                acronym: attr("acronym"),
                kind: attr("type").unwrap_or_else(|| "90".to_owned()),
                level: attr("level").unwrap_or_else(|| "non-governmental".to_owned()),
                country: attr("country"),
                mx_state: attr("mx-state"),
                mx_municipality: attr("mx-municipality"),
                parent: attr("parent"),
            };
            self.orgs.insert(key.to_owned(), doc);
        }
    }
}

/// Maps version 1 codes to their 2.0x equivalents.
fn v1_transaction_type(code: &str) -> &str {
    match code {
        "IF" => "1",
        "C" => "2",
        "D" => "3",
        "E" => "4",
        "IR" => "5",
        "LR" => "6",
        "R" => "7",
        "QP" => "8",
        "QS" => "9",
        "CG" => "10",
        other => other,
    }
}

fn v1_role(role: &str) -> &str {
    match role.to_ascii_lowercase().as_str() {
        "funding" => "1",
        "accountable" => "2",
        "extending" => "3",
        "implementing" => "4",
        _ => role,
    }
}

fn v1_date_type(kind: &str) -> &str {
    match kind {
        "start-planned" => "1",
        "start-actual" => "2",
        "end-planned" => "3",
        "end-actual" => "4",
        other => other,
    }
}

fn v1_sector_vocabulary(vocabulary: &str) -> &str {
    match vocabulary {
        "DAC" => "1",
        "DAC-3" => "2",
        "RO" | "RO2" => "99",
        other => other,
    }
}

/// The largest percentage taken. Files do give shares that add up to 200 or 500, which are
/// rescaled; far beyond that a value is a mistake, and the bound keeps every sum and rescaling
/// exact (200,000 elements of a million percent each add up well within a decimal).
const MAX_PERCENTAGE: u32 = 1_000_000;

/// Rescales percentages that do not add up to 100, warning once.
fn rescale(mapper: &mut Mapper<'_>, el: &Element, what: &'static str, path: &str, shares: &mut [(String, Decimal)]) {
    let sum: Decimal = shares.iter().map(|s| s.1).sum();
    if shares.is_empty() || (sum - Decimal::ONE_HUNDRED).abs() <= Decimal::new(1, 2) {
        return;
    }
    mapper.warn(el, path.to_owned(), Issue::PercentSum { what, sum: sum.normalize().to_string() });
    if sum.is_zero() {
        let equal = Decimal::ONE_HUNDRED / Decimal::from(shares.len() as u64);
        shares.iter_mut().for_each(|s| s.1 = equal);
    } else {
        shares.iter_mut().for_each(|s| s.1 = s.1 * Decimal::ONE_HUNDRED / sum);
    }
    // Round to 4 decimals and put the rounding remainder on the largest share.
    shares.iter_mut().for_each(|s| s.1 = s.1.round_dp(4));
    let total: Decimal = shares.iter().map(|s| s.1).sum();
    if let Some(max) = shares.iter_mut().max_by(|a, b| a.1.cmp(&b.1)) {
        max.1 += Decimal::ONE_HUNDRED - total;
    }
}

/// Maps one activity. `Err` carries the reason it cannot be imported at all (no identifier).
///
/// Each part of the activity is mapped by a step of its own; the warnings come in the order
/// of the steps.
pub fn map_activity(el: &Element, options: &MapOptions, version: &str) -> Result<Mapped, Warning> {
    let mut m = Mapper {
        warnings: Vec::new(),
        orgs: BTreeMap::new(),
        named_at: BTreeMap::new(),
        options,
        lang: "en".to_owned(),
        v1: version.starts_with('1'),
    };
    if let Some(lang) = m.lang_of(el) {
        m.lang = lang;
    }
    let id = m.map_identifier(el)?;
    let default_currency = m.code(el, "@default-currency".into(), el.attr("default-currency"), CurrencyCode::parse);
    let humanitarian = matches!(el.attr_trim("humanitarian"), Some("1" | "true"));

    m.described_orgs(el);
    let reporting_org = m.map_reporting_org(el, &id);
    let texts = m.map_texts(el, &id);
    let participants = m.map_participants(el, &reporting_org);
    let codes = m.map_codes(el);
    let classification = m.classify(el, &codes, humanitarian);
    let sectors = m.map_sectors(el);
    let (countries, regions) = m.map_recipient_places(el);
    let dates = m.map_dates(el);
    let policy_markers = m.map_policy_markers(el);
    let (sdgs, tags) = m.map_sdgs_and_tags(el);
    let budgets = m.map_budgets(el, default_currency.as_deref());
    let transactions = m.map_transactions(el, default_currency.as_deref());
    let points = m.map_locations(el);
    let planned_disbursements = m.map_planned_disbursements(el, default_currency.as_deref());
    let related_activities = m.map_related_activities(el);
    let document_links = m.map_document_links(el);
    let tied_status = el
        .child("default-tied-status")
        .and_then(|c| m.code(c, "default-tied-status/@code".into(), c.attr("code"), TiedStatusCode::parse));
    let mut results = m.map_results(el);

    // What only Coopera holds, in its namespace.
    let ext_attr = |name: &str| el.child("coopera:activity").and_then(|e| e.attr_trim(name)).map(str::to_owned);
    let mx_places = mx_places(el);
    let cross_border = cross_border(el);
    let in_kind = m.map_in_kind(el);
    m.map_unmeasured_results(el, &mut results);
    let good_practice = el.child("coopera:good-practice").and_then(|g| m.text(g));

    let status = codes.status.unwrap_or_else(|| {
        m.warn(el, "activity-status".into(), Issue::Missing { element: "activity-status" });
        "2".to_owned()
    });
    let activity = ActivityDoc {
        id,
        folio: ext_attr("folio"),
        reporting_org,
        title: texts.title,
        description: texts.description,
        objectives: texts.objectives,
        instrument: classification.instrument,
        cooperation_type: classification.cooperation_type,
        modality: classification.modality,
        south_south: ext_attr("south-south").is_some_and(|v| v == "true"),
        north_south: ext_attr("north-south").is_some_and(|v| v == "true"),
        collaboration_type: codes.collaboration_type,
        default_currency,
        flow_type: codes.flow_type,
        finance_type: codes.finance_type,
        aid_type: codes.aid_type,
        tied_status,
        humanitarian,
        status,
        workflow: Some(ext_attr("workflow").unwrap_or_else(|| "published".to_owned())),
        participants,
        sectors,
        sdgs,
        policy_markers,
        tags,
        countries,
        regions,
        mx_places,
        points,
        cross_border,
        dates,
        budgets,
        planned_disbursements,
        transactions,
        in_kind,
        results,
        related_activities,
        document_links,
        good_practice,
    };
    Ok(Mapped { activity, organisations: m.orgs.into_values().collect(), warnings: m.warnings, named_at: m.named_at })
}

/// What an activity says of itself.
struct Texts {
    /// The title, or the identifier when there is none.
    title: TextDoc,
    description: Option<TextDoc>,
    objectives: Option<TextDoc>,
}

/// The activity's codes from IATI's lists that say what kind of activity it is: its status and
/// the defaults of its flows.
struct ActivityCodes {
    status: Option<String>,
    collaboration_type: Option<String>,
    flow_type: Option<String>,
    finance_type: Option<String>,
    aid_type: Option<String>,
}

/// Coopera's classification of an activity: as a Coopera export states it, else inferred
/// from IATI's codes (see the top of this module).
struct Classification {
    instrument: String,
    cooperation_type: String,
    modality: String,
}

impl Mapper<'_> {
    /// The identifier, with inner spaces made dashes so that it can be a key.
    fn map_identifier(&mut self, el: &Element) -> Result<String, Warning> {
        let id_el = el.child("iati-identifier");
        let id = id_el.map(|i| i.text.trim().to_owned()).filter(|i| !i.is_empty());
        let Some(id) = id else {
            return Err(Warning {
                line: el.line,
                column: el.column,
                path: "iati-identifier".into(),
                issue: Issue::Missing { element: "iati-identifier" },
            });
        };
        let joined = id.split_whitespace().collect::<Vec<_>>().join("-");
        if joined != id {
            self.warn(
                id_el.unwrap_or(el),
                "iati-identifier".into(),
                Issue::IdentifierSpaces { id: id.clone(), kept: joined.clone() },
            );
        }
        Ok(joined)
    }

    /// The reporting organisation's key.
    fn map_reporting_org(&mut self, el: &Element, id: &str) -> String {
        if let Some(key) = el.child("reporting-org").and_then(|r| self.org(r)) {
            return key;
        }
        // IATI requires it; without one the activity is attributed to its identifier's prefix.
        let prefix: String = id.split('-').take(2).collect::<Vec<_>>().join("-");
        let key = org_key(Some(&prefix), &prefix);
        self.orgs.entry(key.clone()).or_insert_with(|| OrganisationDoc {
            key: key.clone(),
            iati_ref: Some(prefix.clone()),
            name: TextDoc::Plain(prefix.clone()),
            acronym: None,
            kind: "90".into(),
            level: "non-governmental".into(),
            country: None,
            mx_state: None,
            mx_municipality: None,
            parent: None,
        });
        key
    }

    /// Title, description and objectives; a description Coopera generated is not the
    /// activity's.
    fn map_texts(&mut self, el: &Element, id: &str) -> Texts {
        let title = match el.child("title").and_then(|t| self.text(t)) {
            Some(title) => title,
            None => {
                self.warn(el, "title".into(), Issue::Missing { element: "title" });
                TextDoc::Plain(id.to_owned())
            }
        };
        let mut description = None;
        let mut objectives = None;
        for d in el.children_named("description") {
            if d.attr_trim("coopera:generated") == Some("true") {
                continue;
            }
            match d.attr_trim("type").unwrap_or("1") {
                "2" => objectives = objectives.or_else(|| self.text(d)),
                _ => description = description.or_else(|| self.text(d)),
            }
        }
        Texts { title, description, objectives }
    }

    /// Participants, with IATI's roles kept; without any, the reporting organisation is
    /// accountable.
    fn map_participants(&mut self, el: &Element, reporting_org: &str) -> Vec<ParticipantDoc> {
        let mut participants: Vec<ParticipantDoc> = Vec::new();
        for (i, p) in el.children_named("participating-org").enumerate() {
            let role_code = p.attr_trim("role").map(v1_role).unwrap_or("");
            let coopera_role = p.attr_trim("coopera:role").and_then(|r| coopera_domain::kinds::Role::parse(r).ok());
            let role = match role_code {
                _ if coopera_role.is_some() => coopera_role.map_or("", |r| r.code()),
                "1" => "funding",
                "2" => "accountable",
                "3" => "extending",
                "4" => "implementing",
                other => {
                    self.warn(
                        p,
                        format!("participating-org[{}]/@role", i + 1),
                        Issue::UnknownCode { list: "OrganisationRole", code: other.to_owned() },
                    );
                    continue;
                }
            };
            let Some(org) = self.org(p) else { continue };
            let doc = ParticipantDoc { org, role: role.to_owned() };
            if !participants.contains(&doc) {
                participants.push(doc);
            }
        }
        if participants.is_empty() {
            participants.push(ParticipantDoc { org: reporting_org.to_owned(), role: "accountable".into() });
        }
        participants
    }

    fn map_codes(&mut self, el: &Element) -> ActivityCodes {
        let status = match el.child("activity-status") {
            Some(s) => self.code(s, "activity-status/@code".into(), s.attr("code"), ActivityStatusCode::parse),
            None => None,
        };
        let collaboration_type = el.child("collaboration-type").and_then(|c| {
            self.code(c, "collaboration-type/@code".into(), c.attr("code"), CollaborationTypeCode::parse)
        });
        let flow_type = el
            .child("default-flow-type")
            .and_then(|c| self.code(c, "default-flow-type/@code".into(), c.attr("code"), FlowTypeCode::parse));
        let finance_type = el
            .child("default-finance-type")
            .and_then(|c| self.code(c, "default-finance-type/@code".into(), c.attr("code"), FinanceTypeCode::parse));
        let aid_type = el
            .children_named("default-aid-type")
            .find(|a| matches!(a.attr_trim("vocabulary"), None | Some("1")))
            .and_then(|c| self.code(c, "default-aid-type/@code".into(), c.attr("code"), AidTypeCode::parse));
        ActivityCodes { status, collaboration_type, flow_type, finance_type, aid_type }
    }

    /// Instrument, type of cooperation and modality.
    fn classify(&mut self, el: &Element, codes: &ActivityCodes, humanitarian: bool) -> Classification {
        // A file written by Coopera carries its own classification.
        let stated = |name: &str| el.child("coopera:activity").and_then(|e| e.attr_trim(name)).map(str::to_owned);
        let modality = match stated("modality") {
            Some(modality) => modality,
            None => match codes.collaboration_type.as_deref() {
                Some("2" | "4") => "multilateral".to_owned(),
                Some("8") => {
                    self.warn(
                        el.child("collaboration-type").unwrap_or(el),
                        "collaboration-type".into(),
                        Issue::TriangularRoles,
                    );
                    "bilateral".to_owned()
                }
                _ => "bilateral".to_owned(),
            },
        };
        let aid = codes.aid_type.as_deref().unwrap_or("");
        let finance = codes.finance_type.as_deref().unwrap_or("");
        Classification {
            instrument: stated("instrument").unwrap_or_else(|| inferred_instrument(humanitarian, aid).to_owned()),
            cooperation_type: stated("cooperation-type")
                .unwrap_or_else(|| inferred_cooperation_type(humanitarian, finance, aid).to_owned()),
            modality,
        }
    }

    /// Sectors: duplicates merged, percentages rescaled per vocabulary.
    fn map_sectors(&mut self, el: &Element) -> Vec<SectorDoc> {
        let mut by_vocabulary: BTreeMap<String, Vec<(String, Decimal)>> = BTreeMap::new();
        let sector_count = el.children_named("sector").count();
        for (i, s) in el.children_named("sector").enumerate() {
            let path = format!("sector[{}]", i + 1);
            let vocabulary = s
                .attr_trim("vocabulary")
                .map(|v| if self.v1 { v1_sector_vocabulary(v) } else { v })
                .unwrap_or("1")
                .to_owned();
            let Some(code) = sector_code(self, s, format!("{path}/@code"), &vocabulary) else { continue };
            let pct = match s.attr_trim("percentage") {
                Some(p) => match self.percentage(s, format!("{path}/@percentage"), p) {
                    Some(p) => p,
                    None => continue,
                },
                None if sector_count == 1 => Decimal::ONE_HUNDRED,
                None => Decimal::ZERO,
            };
            let list = by_vocabulary.entry(vocabulary).or_default();
            match list.iter_mut().find(|(c, _)| *c == code) {
                Some(existing) => {
                    existing.1 += pct;
                    self.warn(s, format!("{path}/@code"), Issue::Duplicate { code });
                }
                None => list.push((code, pct)),
            }
        }
        let mut sectors = Vec::new();
        for (vocabulary, mut list) in by_vocabulary {
            rescale(self, el, "sector", "sector/@percentage", &mut list);
            for (code, pct) in list {
                sectors.push(SectorDoc {
                    vocabulary: (vocabulary != "1").then(|| vocabulary.clone()),
                    code,
                    percentage: Some(NumberDoc::Text(pct.normalize().to_string())),
                });
            }
        }
        sectors
    }

    /// Recipient countries and regions, which share one 100%.
    fn map_recipient_places(&mut self, el: &Element) -> (Vec<ShareDoc>, Vec<ShareDoc>) {
        let mut places: Vec<(String, Decimal)> = Vec::new();
        let mut kinds: Vec<bool> = Vec::new(); // true = country
        let place_count = el.children_named("recipient-country").count()
            + el.children_named("recipient-region")
                .filter(|r| matches!(r.attr_trim("vocabulary"), None | Some("1")))
                .count();
        for (i, c) in el.children_named("recipient-country").enumerate() {
            let path = format!("recipient-country[{}]", i + 1);
            let Some(code) = self.code(c, format!("{path}/@code"), c.attr("code"), CountryCode::parse) else {
                continue;
            };
            let pct = c.attr_trim("percentage").and_then(|p| self.percentage(c, format!("{path}/@percentage"), p));
            let pct = pct.unwrap_or(if place_count == 1 { Decimal::ONE_HUNDRED } else { Decimal::ZERO });
            if let Some(existing) = places.iter_mut().zip(&kinds).find(|((k, _), country)| **country && *k == code) {
                existing.0.1 += pct;
                self.warn(c, format!("{path}/@code"), Issue::Duplicate { code });
                continue;
            }
            places.push((code, pct));
            kinds.push(true);
        }
        for (i, r) in el.children_named("recipient-region").enumerate() {
            if !matches!(r.attr_trim("vocabulary"), None | Some("1")) {
                continue;
            }
            let path = format!("recipient-region[{}]", i + 1);
            let Some(code) = self.code(r, format!("{path}/@code"), r.attr("code"), RegionCode::parse) else {
                continue;
            };
            let pct = r.attr_trim("percentage").and_then(|p| self.percentage(r, format!("{path}/@percentage"), p));
            places.push((code, pct.unwrap_or(if place_count == 1 { Decimal::ONE_HUNDRED } else { Decimal::ZERO })));
            kinds.push(false);
        }
        // Publishers often give countries 100% and their region 100% too, the region only naming
        // where the countries are: the countries are kept and the regions left out, with a warning.
        let country_sum: Decimal = places.iter().zip(&kinds).filter(|(_, c)| **c).map(|(p, _)| p.1).sum();
        let region_sum: Decimal = places.iter().zip(&kinds).filter(|(_, c)| !**c).map(|(p, _)| p.1).sum();
        if (country_sum - Decimal::ONE_HUNDRED).abs() <= Decimal::new(1, 2) && !region_sum.is_zero() {
            self.warn(
                el,
                "recipient-region".into(),
                Issue::RegionsOverCountries { sum: region_sum.normalize().to_string() },
            );
            let keep: Vec<bool> = kinds.clone();
            places = places.into_iter().zip(&keep).filter(|(_, c)| **c).map(|(p, _)| p).collect();
            kinds.retain(|c| *c);
        }
        rescale(self, el, "recipient-country/region", "recipient-country/@percentage", &mut places);
        let (mut countries, mut regions) = (Vec::new(), Vec::new());
        for ((code, pct), is_country) in places.into_iter().zip(kinds) {
            let share = ShareDoc { code, percentage: Some(NumberDoc::Text(pct.normalize().to_string())) };
            if is_country { countries.push(share) } else { regions.push(share) }
        }
        (countries, regions)
    }

    /// The planned and actual dates: the first of each type, an end before its start left out.
    fn map_dates(&mut self, el: &Element) -> DatesDoc {
        let mut dates = DatesDoc::default();
        for (i, d) in el.children_named("activity-date").enumerate() {
            if d.attr_trim("coopera:generated") == Some("true") {
                continue;
            }
            let kind = d.attr_trim("type").map(v1_date_type).unwrap_or("");
            let value = self.date(d, format!("activity-date[{}]/@iso-date", i + 1), d.attr("iso-date"));
            let slot = match kind {
                "1" => &mut dates.planned_start,
                "2" => &mut dates.actual_start,
                "3" => &mut dates.planned_end,
                "4" => &mut dates.actual_end,
                _ => continue,
            };
            if slot.is_none() {
                *slot = value;
            }
        }
        for (start, end) in
            [(&dates.planned_start, &mut dates.planned_end), (&dates.actual_start, &mut dates.actual_end)]
        {
            if let (Some(s), Some(e)) = (start, end.as_ref())
                && e < s
            {
                self.warnings.push(Warning {
                    line: el.line,
                    column: el.column,
                    path: "activity-date".into(),
                    issue: Issue::EndBeforeStart,
                });
                *end = None;
            }
        }
        dates
    }

    /// Policy markers of the OECD DAC vocabulary, once each.
    fn map_policy_markers(&mut self, el: &Element) -> Vec<PolicyMarkerDoc> {
        let mut policy_markers = Vec::new();
        for (i, p) in el.children_named("policy-marker").enumerate() {
            if !matches!(p.attr_trim("vocabulary"), None | Some("1")) {
                continue;
            }
            let path = format!("policy-marker[{}]/@code", i + 1);
            let Some(code) = self.code(p, path, p.attr("code"), PolicyMarkerCode::parse) else { continue };
            let significance =
                p.attr_trim("significance").and_then(|s| s.parse::<u8>().ok()).filter(|s| *s <= 4).unwrap_or(0);
            if !policy_markers.iter().any(|x: &PolicyMarkerDoc| x.code == code) {
                policy_markers.push(PolicyMarkerDoc { code, significance: Some(significance) });
            }
        }
        policy_markers
    }

    /// SDGs from tags (vocabulary 2 goals, 3 targets), and the other tags as published.
    fn map_sdgs_and_tags(&mut self, el: &Element) -> (Vec<String>, Vec<TagDoc>) {
        let mut sdgs = Vec::new();
        let mut tags = Vec::new();
        for (i, t) in el.children_named("tag").enumerate() {
            if !matches!(t.attr_trim("vocabulary"), Some("2" | "3")) {
                if let (Some(vocabulary), Some(code)) = (t.attr_trim("vocabulary"), t.attr_trim("code")) {
                    tags.push(TagDoc { vocabulary: vocabulary.to_owned(), code: code.to_owned(), name: self.text(t) });
                }
                continue;
            }
            let code = match t.attr_trim("vocabulary") {
                Some("2") => self.code(t, format!("tag[{}]/@code", i + 1), t.attr("code"), SdgGoalCode::parse),
                // Targets are published as `5.a` and `5.A` alike.
                Some("3") => {
                    let code = t.attr("code").map(str::to_lowercase);
                    self.code(t, format!("tag[{}]/@code", i + 1), code.as_deref(), SdgTargetCode::parse)
                }
                _ => None,
            };
            if let Some(code) = code
                && !sdgs.contains(&code)
            {
                sdgs.push(code);
            }
        }
        (sdgs, tags)
    }

    /// Budgets whole: an amount, a currency and a period that ends after it starts.
    fn map_budgets(&mut self, el: &Element, default_currency: Option<&str>) -> Vec<BudgetDoc> {
        let mut budgets = Vec::new();
        for (i, b) in el.children_named("budget").enumerate() {
            let path = format!("budget[{}]", i + 1);
            let Some(value) = b.child("value") else { continue };
            let Some(amount) = self.number(value, format!("{path}/value"), &value.text) else { continue };
            let currency = money_currency(self, value, &path, default_currency);
            let start = b
                .child("period-start")
                .and_then(|p| self.date(p, format!("{path}/period-start/@iso-date"), p.attr("iso-date")));
            let end = b
                .child("period-end")
                .and_then(|p| self.date(p, format!("{path}/period-end/@iso-date"), p.attr("iso-date")));
            let (Some(currency), Some(start), Some(end)) = (currency, start, end) else { continue };
            if end < start {
                self.warn(b, format!("{path}/period-end"), Issue::EndBeforeStart);
                continue;
            }
            budgets.push(BudgetDoc {
                revised: b.attr_trim("type") == Some("2"),
                value_date: self
                    .date(value, format!("{path}/value/@value-date"), value.attr("value-date"))
                    .filter(|d| *d != start),
                period_start: start,
                period_end: end,
                amount: NumberDoc::Text(amount.to_string()),
                currency: Some(currency),
            });
        }
        budgets
    }

    fn map_transactions(&mut self, el: &Element, default_currency: Option<&str>) -> Vec<TransactionDoc> {
        el.children_named("transaction")
            .enumerate()
            .filter_map(|(i, t)| self.map_transaction(t, &format!("transaction[{}]", i + 1), default_currency))
            .collect()
    }

    /// A transaction whole: a type, an amount in a currency and a date (its value date when it
    /// has no other).
    fn map_transaction(&mut self, t: &Element, path: &str, default_currency: Option<&str>) -> Option<TransactionDoc> {
        let kind_el = t.child("transaction-type")?;
        let kind = kind_el.attr_trim("code").map(v1_transaction_type);
        let kind = self.code(kind_el, format!("{path}/transaction-type/@code"), kind, TransactionTypeCode::parse)?;
        let value = t.child("value")?;
        let amount = self.number(value, format!("{path}/value"), &value.text)?;
        let currency = money_currency(self, value, path, default_currency)?;
        let value_date = self.date(value, format!("{path}/value/@value-date"), value.attr("value-date"));
        let date = t
            .child("transaction-date")
            .and_then(|d| self.date(d, format!("{path}/transaction-date/@iso-date"), d.attr("iso-date")))
            .or_else(|| value_date.clone());
        let Some(date) = date else {
            self.warn(t, format!("{path}/transaction-date"), Issue::Missing { element: "transaction-date" });
            return None;
        };
        let provider = self.map_transaction_party(t, "provider-org", "provider-activity-id");
        let receiver = self.map_transaction_party(t, "receiver-org", "receiver-activity-id");
        let mut sectors = Vec::new();
        for (j, sec) in t.children_named("sector").enumerate() {
            let vocabulary = sec.attr_trim("vocabulary").map(v1_sector_vocabulary).unwrap_or("1");
            if let Some(code) = sector_code(self, sec, format!("{path}/sector[{}]/@code", j + 1), vocabulary) {
                sectors.push(SectorDoc {
                    vocabulary: (vocabulary != "1").then(|| vocabulary.to_owned()),
                    code,
                    percentage: None,
                });
            }
        }
        let country = t
            .child("recipient-country")
            .and_then(|c| self.code(c, format!("{path}/recipient-country/@code"), c.attr("code"), CountryCode::parse));
        let region = t
            .child("recipient-region")
            .filter(|r| matches!(r.attr_trim("vocabulary"), None | Some("1")))
            .and_then(|r| self.code(r, format!("{path}/recipient-region/@code"), r.attr("code"), RegionCode::parse));
        let flow_type = t
            .child("flow-type")
            .and_then(|c| self.code(c, format!("{path}/flow-type/@code"), c.attr("code"), FlowTypeCode::parse));
        let finance_type = t
            .child("finance-type")
            .and_then(|c| self.code(c, format!("{path}/finance-type/@code"), c.attr("code"), FinanceTypeCode::parse));
        let aid_type = t
            .children_named("aid-type")
            .find(|a| matches!(a.attr_trim("vocabulary"), None | Some("1")))
            .and_then(|c| self.code(c, format!("{path}/aid-type/@code"), c.attr("code"), AidTypeCode::parse));
        let tied_status = t
            .child("tied-status")
            .and_then(|c| self.code(c, format!("{path}/tied-status/@code"), c.attr("code"), TiedStatusCode::parse));
        Some(TransactionDoc {
            reference: t.attr_trim("ref").map(str::to_owned),
            humanitarian: t.attr_trim("humanitarian").map(|h| matches!(h, "1" | "true")),
            sectors,
            country,
            region,
            flow_type,
            finance_type,
            aid_type,
            tied_status,
            kind,
            amount: NumberDoc::Text(amount.to_string()),
            currency: Some(currency),
            value_date: value_date.filter(|d| *d != date),
            date,
            description: t.child("description").and_then(|d| self.text(d)),
            provider,
            receiver,
        })
    }

    /// The provider or receiver of a transaction, its name a label without a language.
    fn map_transaction_party(&mut self, t: &Element, name: &str, activity_attr: &str) -> Option<PartyDoc> {
        t.child(name).map(|p| {
            if let Some(key) = p.attr_trim("coopera:org") {
                self.named(key, p);
            }
            let org_name = self.text(p).map(|t| match t {
                TextDoc::Langs(l) => l.into_values().next().unwrap_or_default(),
                TextDoc::Plain(s) => s,
            });
            PartyDoc {
                org: p.attr_trim("coopera:org").map(str::to_owned),
                iati_ref: p.attr_trim("ref").filter(|_| p.attr_trim("coopera:ref") != Some("org")).map(str::to_owned),
                name: org_name,
                activity: p.attr_trim(activity_attr).map(str::to_owned),
            }
        })
    }

    /// Locations with a name, a point or a reference; a point's coordinates are kept in pairs.
    fn map_locations(&mut self, el: &Element) -> Vec<PointDoc> {
        let mut points = Vec::new();
        for (i, l) in el.children_named("location").enumerate() {
            let path = format!("location[{}]", i + 1);
            let (mut latitude, mut longitude) = (None, None);
            if let Some(pos) = l.child("point").and_then(|p| p.child("pos")) {
                let mut parts = pos.text.split_whitespace();
                match (parts.next(), parts.next()) {
                    (Some(lat), Some(lon)) => {
                        // Coordinates come in pairs: if one does not read, neither is kept.
                        let pair = (
                            self.number(pos, format!("{path}/point/pos"), lat),
                            self.number(pos, format!("{path}/point/pos"), lon),
                        );
                        if let (Some(a), Some(b)) = pair {
                            (latitude, longitude) = (Some(a), Some(b));
                        }
                    }
                    _ => self.warn(
                        pos,
                        format!("{path}/point/pos"),
                        Issue::BadNumber { value: pos.text.trim().to_owned() },
                    ),
                }
            }
            let name = l.child("name").and_then(|n| self.text(n));
            let description = l.child("description").and_then(|d| self.text(d));
            let reference = l.attr_trim("ref").map(str::to_owned);
            if name.is_none() && latitude.is_none() && reference.is_none() {
                continue;
            }
            points.push(PointDoc {
                reference,
                name,
                description,
                latitude: latitude.map(|d| NumberDoc::Text(d.to_string())),
                longitude: longitude.map(|d| NumberDoc::Text(d.to_string())),
            });
        }
        points
    }

    /// Planned disbursements whole: an amount in a currency from a start date; an end before
    /// the start is left out.
    fn map_planned_disbursements(
        &mut self,
        el: &Element,
        default_currency: Option<&str>,
    ) -> Vec<PlannedDisbursementDoc> {
        let mut planned_disbursements = Vec::new();
        for (i, d) in el.children_named("planned-disbursement").enumerate() {
            let path = format!("planned-disbursement[{}]", i + 1);
            let Some(value) = d.child("value") else { continue };
            let Some(amount) = self.number(value, format!("{path}/value"), &value.text) else { continue };
            let Some(currency) = money_currency(self, value, &path, default_currency) else { continue };
            let start = d
                .child("period-start")
                .and_then(|p| self.date(p, format!("{path}/period-start/@iso-date"), p.attr("iso-date")));
            let Some(start) = start else { continue };
            let mut end = d
                .child("period-end")
                .and_then(|p| self.date(p, format!("{path}/period-end/@iso-date"), p.attr("iso-date")));
            if end.as_ref().is_some_and(|e| *e < start) {
                self.warn(d, format!("{path}/period-end"), Issue::EndBeforeStart);
                end = None;
            }
            let party = |name: &str, activity_attr: &str| {
                d.child(name).map(|p| PartyDoc {
                    org: p.attr_trim("coopera:org").map(str::to_owned),
                    iati_ref: p
                        .attr_trim("ref")
                        .filter(|_| p.attr_trim("coopera:ref") != Some("org"))
                        .map(str::to_owned),
                    name: p.child("narrative").map(|n| n.text.trim().to_owned()).filter(|n| !n.is_empty()),
                    activity: p.attr_trim(activity_attr).map(str::to_owned),
                })
            };
            planned_disbursements.push(PlannedDisbursementDoc {
                revised: d.attr_trim("type") == Some("2"),
                value_date: self
                    .date(value, format!("{path}/value/@value-date"), value.attr("value-date"))
                    .filter(|d| *d != start),
                period_start: start,
                period_end: end,
                amount: NumberDoc::Text(amount.to_string()),
                currency: Some(currency),
                provider: party("provider-org", "provider-activity-id"),
                receiver: party("receiver-org", "receiver-activity-id"),
            });
        }
        planned_disbursements
    }

    fn map_related_activities(&mut self, el: &Element) -> Vec<RelatedDoc> {
        let mut related_activities = Vec::new();
        for (i, r) in el.children_named("related-activity").enumerate() {
            let path = format!("related-activity[{}]/@type", i + 1);
            let Some(kind) = self.code(r, path, r.attr("type"), RelatedActivityTypeCode::parse) else { continue };
            let Some(id) = r.attr_trim("ref") else { continue };
            let id = id.split_whitespace().collect::<Vec<_>>().join("-");
            related_activities.push(RelatedDoc { kind, id });
        }
        related_activities
    }

    fn map_document_links(&mut self, el: &Element) -> Vec<DocumentLinkDoc> {
        el.children_named("document-link")
            .enumerate()
            .filter_map(|(i, d)| self.map_document_link(d, &format!("document-link[{}]", i + 1)))
            .collect()
    }

    /// A document link whole: an address that is a URI, a format, a title and a category.
    fn map_document_link(&mut self, d: &Element, path: &str) -> Option<DocumentLinkDoc> {
        let url = d.attr_trim("url")?;
        if !is_any_uri(url) {
            self.warn(d, format!("{path}/@url"), Issue::BadUrl { value: url.to_owned() });
            return None;
        }
        let title = d.child("title").and_then(|t| self.text(t));
        let Some(format) = d.attr_trim("format") else {
            self.warn(d, format!("{path}/@format"), Issue::Missing { element: "document-link/@format" });
            return None;
        };
        let Some(title) = title else {
            self.warn(d, format!("{path}/title"), Issue::Missing { element: "document-link/title" });
            return None;
        };
        let categories: Vec<String> = d
            .children_named("category")
            .enumerate()
            .filter_map(|(j, c)| {
                self.code(c, format!("{path}/category[{}]/@code", j + 1), c.attr("code"), DocumentCategoryCode::parse)
            })
            .collect();
        if categories.is_empty() {
            self.warn(d, format!("{path}/category"), Issue::Missing { element: "document-link/category" });
            return None;
        }
        let languages =
            d.children_named("language").filter_map(|l| l.attr_trim("code")).map(str::to_ascii_lowercase).collect();
        Some(DocumentLinkDoc {
            url: url.to_owned(),
            format: Some(format.to_owned()),
            title: Some(title),
            categories,
            languages,
            date: d
                .child("document-date")
                .and_then(|t| self.date(t, format!("{path}/document-date/@iso-date"), t.attr("iso-date"))),
        })
    }

    /// The results of the logical framework that have a title, with their indicators.
    fn map_results(&mut self, el: &Element) -> Vec<ResultDoc> {
        let mut results = Vec::new();
        for (r, res) in el.children_named("result").enumerate() {
            let level = result_level(res.attr_trim("type"));
            let Some(title) = res.child("title").and_then(|t| self.text(t)) else { continue };
            let mut indicators = Vec::new();
            for (n, ind) in res.children_named("indicator").enumerate() {
                let Some(ind_title) = ind.child("title").and_then(|t| self.text(t)) else { continue };
                let path = format!("result[{}]/indicator[{}]", r + 1, n + 1);
                indicators.push(self.map_indicator(ind, ind_title, &path));
            }
            results.push(ResultDoc {
                level: level.to_owned(),
                title,
                description: res.child("description").and_then(|d| self.text(d)),
                indicators,
            });
        }
        results
    }

    /// An indicator: its baseline when it has a year, and its periods that end after they
    /// start.
    fn map_indicator(&mut self, ind: &Element, title: TextDoc, path: &str) -> IndicatorDoc {
        let baseline_el = ind.child("baseline");
        let baseline_year = baseline_el.and_then(|b| b.attr_trim("year")).and_then(|y| y.parse::<i32>().ok());
        let baseline = baseline_el
            .and_then(|b| b.attr_trim("value"))
            .and_then(|v| v.parse::<Decimal>().ok())
            .filter(|_| baseline_year.is_some());
        let mut periods = Vec::new();
        for (p, per) in ind.children_named("period").enumerate() {
            let ppath = format!("{path}/period[{}]", p + 1);
            let start = per
                .child("period-start")
                .and_then(|d| self.date(d, format!("{ppath}/period-start"), d.attr("iso-date")));
            let end =
                per.child("period-end").and_then(|d| self.date(d, format!("{ppath}/period-end"), d.attr("iso-date")));
            let (Some(start), Some(end)) = (start, end) else { continue };
            if end < start {
                self.warn(per, ppath, Issue::EndBeforeStart);
                continue;
            }
            let value = |name: &str| {
                per.child(name)
                    .and_then(|t| t.attr_trim("value"))
                    .and_then(|v| v.parse::<Decimal>().ok())
                    .map(|d| NumberDoc::Text(d.to_string()))
            };
            periods.push(PeriodDoc { start, end, target: value("target"), actual: value("actual") });
        }
        IndicatorDoc {
            title,
            ascending: !matches!(ind.attr_trim("ascending"), Some("0" | "false")),
            baseline_year: baseline.map(|_| baseline_year.unwrap_or_default()),
            baseline: baseline.map(|b| NumberDoc::Text(b.to_string())),
            periods,
        }
    }

    /// In-kind contributions (`coopera:in-kind`).
    fn map_in_kind(&mut self, el: &Element) -> Vec<InKindDoc> {
        el.children_named("coopera:in-kind")
            .filter_map(|k| {
                Some(InKindDoc {
                    unit: k.attr_trim("unit")?.to_owned(),
                    quantity: NumberDoc::Text(k.attr_trim("quantity")?.to_owned()),
                    unit_value: k.attr_trim("unit-value").map(|v| NumberDoc::Text(v.to_owned())),
                    currency: k.attr_trim("currency").map(str::to_owned),
                    description: self.text(k),
                })
            })
            .collect()
    }

    /// Results without indicators (which IATI cannot hold, `coopera:result`) come back at
    /// their place among the others.
    fn map_unmeasured_results(&mut self, el: &Element, results: &mut Vec<ResultDoc>) {
        for r in el.children_named("coopera:result") {
            let level = result_level(r.attr_trim("type"));
            let Some(title) = r.child("coopera:title").and_then(|t| self.text(t)) else { continue };
            let description = r.child("coopera:description").and_then(|d| self.text(d));
            let at =
                r.attr_trim("index").and_then(|i| i.parse::<usize>().ok()).unwrap_or(results.len()).min(results.len());
            results.insert(at, ResultDoc { level: level.to_owned(), title, description, indicators: Vec::new() });
        }
    }
}

/// The instrument IATI's codes suggest (see the top of this module).
fn inferred_instrument(humanitarian: bool, aid: &str) -> &'static str {
    if humanitarian {
        "humanitarian-aid"
    } else if aid.starts_with('A') {
        "financial-cooperation"
    } else if aid.starts_with('B') {
        "contribution"
    } else if aid.starts_with('E') {
        "scholarship"
    } else if aid.starts_with('D') || aid.starts_with('G') || aid.starts_with('H') {
        "action"
    } else {
        "project"
    }
}

/// The type of cooperation IATI's codes suggest (see the top of this module).
fn inferred_cooperation_type(humanitarian: bool, finance: &str, aid: &str) -> &'static str {
    if humanitarian {
        "humanitarian"
    } else if finance.starts_with('4') || finance.starts_with('5') || aid.starts_with('A') {
        "financial"
    } else if aid.starts_with('E') {
        "educational-cultural"
    } else if aid.starts_with('D') {
        "technical-scientific"
    } else {
        "economic"
    }
}

/// A result's level from its IATI ResultType code.
fn result_level(code: Option<&str>) -> &'static str {
    match code {
        Some("1") => "output",
        Some("2") => "outcome",
        Some("3") => "impact",
        _ => "other",
    }
}

/// Mexican states and municipalities (`coopera:mx-place`).
fn mx_places(el: &Element) -> Vec<MxPlaceDoc> {
    el.children_named("coopera:mx-place")
        .filter_map(|p| {
            Some(MxPlaceDoc {
                state: p.attr_trim("state")?.to_owned(),
                municipality: p.attr_trim("municipality").map(str::to_owned),
            })
        })
        .collect()
}

/// The cross-border agenda (`coopera:cross-border`).
fn cross_border(el: &Element) -> Option<CrossBorderDoc> {
    el.child("coopera:cross-border").and_then(|c| {
        Some(CrossBorderDoc {
            border: c.attr_trim("border")?.to_owned(),
            dimensions: c
                .children_named("coopera:dimension")
                .filter_map(|d| d.attr_trim("code"))
                .map(str::to_owned)
                .collect(),
        })
    })
}

/// A sector code checked in the vocabularies Coopera knows; others are kept as published.
fn sector_code(m: &mut Mapper<'_>, el: &Element, path: String, vocabulary: &str) -> Option<String> {
    let raw = el.attr_trim("code")?;
    match vocabulary {
        "1" => m.code(el, path, Some(raw), SectorCode::parse),
        "2" => m.code(el, path, Some(raw), SectorCategoryCode::parse),
        "7" => m.code(el, path, Some(raw), SdgGoalCode::parse),
        // Targets are published as `5.a` and `5.A` alike.
        "8" => m.code(el, path, Some(&raw.to_lowercase()), SdgTargetCode::parse),
        _ => Some(raw.to_owned()),
    }
}

fn money_currency(m: &mut Mapper<'_>, value: &Element, path: &str, default: Option<&str>) -> Option<String> {
    match value.attr_trim("currency") {
        Some(c) => m.code(value, format!("{path}/value/@currency"), Some(c), CurrencyCode::parse),
        None => {
            if default.is_none() {
                m.warn(value, format!("{path}/value"), Issue::NoCurrency);
            }
            default.map(str::to_owned)
        }
    }
}
