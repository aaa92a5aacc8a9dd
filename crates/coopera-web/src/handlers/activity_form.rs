//! The activity form: create and correct an activity in the browser.
//!
//! Field names are the document's field paths (`sectors[0].code`, `dates.planned_end`), the
//! same paths the domain's problems carry, so every problem is shown next to its field in the
//! user's language. Rows left empty are dropped before checking, and a form shown again is
//! drawn from what was kept, so row numbers and problem paths agree. Every problem comes in
//! the first answer: the document's, those of the organisations it names and a taken
//! identifier are checked together. A save is one `Store::record` call: the activity is
//! stored whole or not at all. On edit, what the form does not show (transactions, budgets,
//! results, documents…) is kept as stored.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use coopera_domain::access::Action;
use coopera_domain::activity::Activity;
use coopera_domain::codelists::{ACTIVITY_STATUS, COUNTRY, CURRENCY, MX_STATE, REGION, SECTOR};
use coopera_domain::doc::{
    ActivityDoc, DatesDoc, InKindDoc, MxPlaceDoc, NumberDoc, ParticipantDoc, SectorDoc, ShareDoc, TextDoc,
};
use coopera_domain::kinds::{CooperationType, InKindUnit, Instrument, Modality, Role, WorkflowState};
use coopera_domain::record::RecordKind;
use coopera_domain::{Lang, Problem};
use coopera_store::{Record, Store, StoreError, Version, WriteOptions};

use super::activity_url;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::guard;
use crate::locale::Ctx;
use crate::state::{AppState, Views, Written};
use crate::views::{Chrome, Field, Opt, SelectField, field_id, html};

/// Who the audit trail names for a web write without a signed-in account — which the access
/// table refuses before any write, so only a defect could leave it in the trail.
pub(crate) const AUTHOR: &str = "web";

/// The form's values as strings, rows in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Values {
    id: String,
    folio: String,
    reporting_org: String,
    title: [String; 2],
    description: [String; 2],
    objectives: [String; 2],
    instrument: String,
    cooperation_type: String,
    modality: String,
    status: String,
    workflow: String,
    default_currency: String,
    south_south: bool,
    north_south: bool,
    participants: Vec<[String; 2]>,
    sectors: Vec<[String; 2]>,
    countries: Vec<[String; 2]>,
    regions: Vec<[String; 2]>,
    mx_places: Vec<[String; 2]>,
    dates: [String; 4],
    in_kind: Vec<[String; 4]>,
    good_practice: [String; 2],
    /// The version of the stored activity the form was opened at: a save over a newer one
    /// is refused rather than overwriting it.
    version: String,
}

pub(crate) fn text_pair(t: Option<&TextDoc>) -> [String; 2] {
    match t {
        None => Default::default(),
        Some(TextDoc::Plain(s)) => [s.clone(), String::new()],
        Some(TextDoc::Langs(m)) => [m.get("es").cloned().unwrap_or_default(), m.get("en").cloned().unwrap_or_default()],
    }
}

pub(crate) fn text_doc(pair: &[String; 2]) -> Option<TextDoc> {
    let mut m = BTreeMap::new();
    for (lang, v) in ["es", "en"].iter().zip(pair) {
        if !v.trim().is_empty() {
            m.insert((*lang).to_owned(), v.trim().to_owned());
        }
    }
    (!m.is_empty()).then_some(TextDoc::Langs(m))
}

pub(crate) fn number_text(n: &NumberDoc) -> String {
    match n {
        NumberDoc::Int(i) => i.to_string(),
        NumberDoc::Float(f) => f.to_string(),
        NumberDoc::Text(s) => s.clone(),
    }
}

pub(crate) fn number(s: &str) -> Option<NumberDoc> {
    let s = s.trim();
    (!s.is_empty()).then(|| NumberDoc::Text(s.to_owned()))
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

impl Values {
    fn new_activity() -> Values {
        Values {
            instrument: Instrument::Project.code().to_owned(),
            cooperation_type: CooperationType::TechnicalScientific.code().to_owned(),
            modality: Modality::Bilateral.code().to_owned(),
            status: "2".to_owned(),
            workflow: WorkflowState::Draft.code().to_owned(),
            ..Values::default()
        }
    }

    pub(crate) fn from_doc(d: &ActivityDoc) -> Values {
        let share = |s: &ShareDoc| [s.code.clone(), s.percentage.as_ref().map(number_text).unwrap_or_default()];
        Values {
            id: d.id.clone(),
            folio: d.folio.clone().unwrap_or_default(),
            reporting_org: d.reporting_org.clone(),
            title: text_pair(Some(&d.title)),
            description: text_pair(d.description.as_ref()),
            objectives: text_pair(d.objectives.as_ref()),
            instrument: d.instrument.clone(),
            cooperation_type: d.cooperation_type.clone(),
            modality: d.modality.clone(),
            status: d.status.clone(),
            workflow: d.workflow.clone().unwrap_or_default(),
            version: String::new(),
            default_currency: d.default_currency.clone().unwrap_or_default(),
            south_south: d.south_south,
            north_south: d.north_south,
            participants: d.participants.iter().map(|p| [p.org.clone(), p.role.clone()]).collect(),
            sectors: d
                .sectors
                .iter()
                .filter(|s| s.vocabulary.as_deref().is_none_or(|v| v == "1"))
                .map(|s| [s.code.clone(), s.percentage.as_ref().map(number_text).unwrap_or_default()])
                .collect(),
            countries: d.countries.iter().map(share).collect(),
            regions: d.regions.iter().map(share).collect(),
            mx_places: d
                .mx_places
                .iter()
                .map(|m| [m.state.clone(), m.municipality.clone().unwrap_or_default()])
                .collect(),
            dates: [
                d.dates.planned_start.clone().unwrap_or_default(),
                d.dates.planned_end.clone().unwrap_or_default(),
                d.dates.actual_start.clone().unwrap_or_default(),
                d.dates.actual_end.clone().unwrap_or_default(),
            ],
            in_kind: d
                .in_kind
                .iter()
                .map(|k| {
                    [
                        k.unit.clone(),
                        number_text(&k.quantity),
                        k.unit_value.as_ref().map(number_text).unwrap_or_default(),
                        k.currency.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
            good_practice: text_pair(d.good_practice.as_ref()),
        }
    }

    /// Reads the posted fields; rows whose fields are all empty are dropped.
    pub(crate) fn from_form(fields: &[(String, String)]) -> Values {
        let mut scalar: HashMap<&str, &str> = HashMap::new();
        let mut rows: HashMap<&str, BTreeMap<usize, HashMap<&str, &str>>> = HashMap::new();
        for (name, value) in fields {
            if let Some((list, rest)) = name.split_once('[')
                && let Some((index, field)) = rest.split_once("].")
                && let Ok(i) = index.parse::<usize>()
            {
                rows.entry(list).or_default().entry(i).or_default().insert(field, value.as_str());
            } else {
                scalar.insert(name.as_str(), value.as_str());
            }
        }
        let s = |k: &str| scalar.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
        let list = |name: &str, fields: &[&str]| -> Vec<Vec<String>> {
            rows.get(name)
                .map(|r| {
                    r.values()
                        .map(|row| {
                            fields
                                .iter()
                                .map(|f| row.get(f).map(|v| v.trim().to_owned()).unwrap_or_default())
                                .collect::<Vec<_>>()
                        })
                        .filter(|row: &Vec<String>| row.iter().any(|v| !v.is_empty()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let two = |v: Vec<Vec<String>>| v.into_iter().map(|r| [r[0].clone(), r[1].clone()]).collect();
        Values {
            id: s("id"),
            folio: s("folio"),
            reporting_org: s("reporting_org"),
            title: [s("title.es"), s("title.en")],
            description: [s("description.es"), s("description.en")],
            objectives: [s("objectives.es"), s("objectives.en")],
            instrument: s("instrument"),
            cooperation_type: s("cooperation_type"),
            modality: s("modality"),
            status: s("status"),
            workflow: s("workflow"),
            version: s("version"),
            default_currency: s("default_currency").to_ascii_uppercase(),
            south_south: !s("south_south").is_empty(),
            north_south: !s("north_south").is_empty(),
            participants: two(list("participants", &["org", "role"])),
            sectors: two(list("sectors", &["code", "percentage"])),
            countries: list("countries", &["code", "percentage"])
                .into_iter()
                .map(|r| [r[0].to_ascii_uppercase(), r[1].clone()])
                .collect(),
            regions: two(list("regions", &["code", "percentage"])),
            mx_places: two(list("mx_places", &["state", "municipality"])),
            dates: [s("dates.planned_start"), s("dates.planned_end"), s("dates.actual_start"), s("dates.actual_end")],
            in_kind: list("in_kind", &["unit", "quantity", "unit_value", "currency"])
                .into_iter()
                .map(|r| [r[0].clone(), r[1].clone(), r[2].clone(), r[3].to_ascii_uppercase()])
                .collect(),
            good_practice: [s("good_practice.es"), s("good_practice.en")],
        }
    }

    /// The document: these values over `base` (the stored activity, when editing), whose
    /// other fields are kept. Sectors of vocabularies the form does not show are kept too.
    pub(crate) fn to_doc(&self, base: Option<ActivityDoc>) -> ActivityDoc {
        let share = |r: &[String; 2]| ShareDoc { code: r[0].clone(), percentage: number(&r[1]) };
        let mut d = base.unwrap_or_else(|| ActivityDoc {
            id: String::new(),
            folio: None,
            reporting_org: String::new(),
            title: TextDoc::Plain(String::new()),
            description: None,
            objectives: None,
            instrument: String::new(),
            cooperation_type: String::new(),
            modality: String::new(),
            south_south: false,
            north_south: false,
            collaboration_type: None,
            default_currency: None,
            flow_type: None,
            finance_type: None,
            aid_type: None,
            tied_status: None,
            humanitarian: false,
            status: String::new(),
            workflow: None,
            participants: Vec::new(),
            sectors: Vec::new(),
            sdgs: Vec::new(),
            policy_markers: Vec::new(),
            tags: Vec::new(),
            countries: Vec::new(),
            regions: Vec::new(),
            mx_places: Vec::new(),
            points: Vec::new(),
            cross_border: None,
            dates: DatesDoc::default(),
            budgets: Vec::new(),
            planned_disbursements: Vec::new(),
            transactions: Vec::new(),
            in_kind: Vec::new(),
            results: Vec::new(),
            related_activities: Vec::new(),
            document_links: Vec::new(),
            good_practice: None,
        });
        d.id = self.id.clone();
        d.folio = opt(&self.folio);
        d.reporting_org = self.reporting_org.clone();
        d.title = text_doc(&self.title).unwrap_or(TextDoc::Plain(String::new()));
        d.description = text_doc(&self.description);
        d.objectives = text_doc(&self.objectives);
        d.instrument = self.instrument.clone();
        d.cooperation_type = self.cooperation_type.clone();
        d.modality = self.modality.clone();
        d.status = self.status.clone();
        d.workflow = opt(&self.workflow);
        d.default_currency = opt(&self.default_currency);
        d.south_south = self.south_south;
        d.north_south = self.north_south;
        d.participants =
            self.participants.iter().map(|r| ParticipantDoc { org: r[0].clone(), role: r[1].clone() }).collect();
        let kept: Vec<SectorDoc> =
            d.sectors.into_iter().filter(|s| s.vocabulary.as_deref().is_some_and(|v| v != "1")).collect();
        d.sectors = self
            .sectors
            .iter()
            .map(|r| SectorDoc { vocabulary: None, code: r[0].clone(), percentage: number(&r[1]) })
            .chain(kept)
            .collect();
        d.countries = self.countries.iter().map(share).collect();
        d.regions = self.regions.iter().map(share).collect();
        d.mx_places =
            self.mx_places.iter().map(|r| MxPlaceDoc { state: r[0].clone(), municipality: opt(&r[1]) }).collect();
        d.dates = DatesDoc {
            planned_start: opt(&self.dates[0]),
            planned_end: opt(&self.dates[1]),
            actual_start: opt(&self.dates[2]),
            actual_end: opt(&self.dates[3]),
        };
        d.in_kind = self
            .in_kind
            .iter()
            .map(|r| InKindDoc {
                unit: r[0].clone(),
                quantity: number(&r[1]).unwrap_or(NumberDoc::Text(String::new())),
                unit_value: number(&r[2]),
                currency: opt(&r[3]),
                description: None,
            })
            .collect();
        d.good_practice = text_doc(&self.good_practice);
        d
    }
}

/// The problems of a save, by the field they belong to.
#[derive(Debug, Default)]
pub(crate) struct Errors {
    pub(crate) by_path: BTreeMap<String, Vec<String>>,
}

/// The form field a problem path belongs to: `title` is shown at its Spanish field, a
/// duplicated participant (`participants[1]`) at its organisation.
fn field_of(path: &str) -> String {
    match path {
        "title" | "description" | "objectives" | "good_practice" => format!("{path}.es"),
        p if p.starts_with("participants[") && p.ends_with(']') => format!("{p}.org"),
        p => p.to_owned(),
    }
}

impl Errors {
    pub(crate) fn from_problems(problems: &[Problem], lang: Lang) -> Errors {
        let mut e = Errors::default();
        for p in problems {
            let message = match &p.value {
                Some(v) if !v.is_empty() => format!("«{v}»: {}", p.rule_message(lang)),
                _ => p.rule_message(lang),
            };
            e.by_path.entry(field_of(&p.path)).or_default().push(message);
        }
        e
    }

    fn take(&mut self, path: &str) -> Vec<String> {
        self.by_path.remove(path).unwrap_or_default()
    }
}

/// Builds fields, taking their problems and listing them in the summary, in form order.
struct Builder<'a> {
    lang: Lang,
    errors: Errors,
    summary: Vec<(String, String)>,
    views: &'a Views,
}

impl Builder<'_> {
    fn field(&mut self, name: &str, label: &str, value: &str) -> Field {
        let errors = self.errors.take(name);
        let id = field_id(name);
        for e in &errors {
            self.summary.push((id.clone(), format!("{label}: {e}")));
        }
        Field {
            name: name.to_owned(),
            id,
            label: label.to_owned(),
            value: value.to_owned(),
            errors,
            required_text: self.lang.pick("obligatorio", "required"),
            ..Field::default()
        }
    }

    fn select(&mut self, name: &str, label: &str, value: &str, options: Vec<(String, String)>) -> SelectField {
        let field = self.field(name, label, value);
        let mut opts = vec![Opt::new("", self.lang.pick("— elija —", "— choose —"), value.is_empty())];
        let mut found = value.is_empty();
        for (code, text) in options {
            let selected = code == value;
            found |= selected;
            opts.push(Opt::new(code, text, selected));
        }
        if !found {
            // A value the lists do not hold (an imported IATI role, a typo) stays visible.
            opts.push(Opt::new(value, value, true));
        }
        SelectField { field, options: opts }
    }

    /// Problems of a whole list (percentages that do not add up, a missing triangular role).
    fn group(&mut self, name: &str, label: &str) -> Vec<String> {
        let errors = self.errors.take(name);
        for e in &errors {
            self.summary.push((name.to_owned(), format!("{label}: {e}")));
        }
        errors
    }

    fn orgs(&self) -> Vec<(String, String)> {
        self.views
            .registry
            .organisations()
            .iter()
            .map(|o| {
                let name = o.name(self.lang);
                let label = match &o.acronym {
                    Some(a) if !name.contains(a.as_str()) => format!("{name} ({a})"),
                    _ => name.to_owned(),
                };
                (o.key.clone(), label)
            })
            .collect()
    }
}

fn kinds<K: Copy>(
    all: &[K],
    code: fn(K) -> &'static str,
    label: fn(K, Lang) -> &'static str,
    lang: Lang,
) -> Vec<(String, String)> {
    all.iter().map(|k| (code(*k).to_owned(), label(*k, lang).to_owned())).collect()
}

#[derive(Debug)]
pub(crate) struct ShareRow {
    pub code: Field,
    pub percentage: Field,
}

#[derive(Debug)]
pub(crate) struct SelectRow {
    pub code: SelectField,
    pub percentage: Field,
}

#[derive(Debug)]
pub(crate) struct ParticipantRow {
    pub org: SelectField,
    pub role: SelectField,
}

#[derive(Debug)]
pub(crate) struct PlaceRow {
    pub state: SelectField,
    pub municipality: Field,
}

#[derive(Debug)]
pub(crate) struct InKindRow {
    pub unit: SelectField,
    pub quantity: Field,
    pub unit_value: Field,
    pub currency: Field,
}

/// The fields of the activity form.
#[derive(Debug)]
pub(crate) struct FormView {
    pub id: Field,
    pub folio: Field,
    pub reporting_org: SelectField,
    pub title_es: Field,
    pub title_en: Field,
    pub description_es: Field,
    pub description_en: Field,
    pub objectives_es: Field,
    pub objectives_en: Field,
    pub instrument: SelectField,
    pub cooperation_type: SelectField,
    pub modality: SelectField,
    pub status: SelectField,
    pub workflow: SelectField,
    pub default_currency: Field,
    pub south_south: bool,
    pub north_south: bool,
    pub participants_errors: Vec<String>,
    pub participants: Vec<ParticipantRow>,
    pub sectors_errors: Vec<String>,
    pub sectors: Vec<ShareRow>,
    pub countries_errors: Vec<String>,
    pub countries: Vec<ShareRow>,
    pub regions: Vec<SelectRow>,
    pub mx_places: Vec<PlaceRow>,
    pub planned_start: Field,
    pub planned_end: Field,
    pub actual_start: Field,
    pub actual_end: Field,
    pub in_kind: Vec<InKindRow>,
    pub good_practice_es: Field,
    pub good_practice_en: Field,
}

#[derive(Template)]
#[template(path = "activity_form.html")]
pub(crate) struct FormPage {
    pub c: Chrome,
    pub back_url: String,
    pub back_label: String,
    pub heading: String,
    pub summary: Vec<(String, String)>,
    pub action: String,
    pub f: FormView,
    pub kept: Option<String>,
    pub datalists: Vec<(&'static str, Vec<(String, String)>)>,
    /// The stored version the form edits (empty when creating).
    pub version: String,
}

/// Whether the form edits a stored activity (its identifier fixed) or creates one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mode {
    Create,
    Edit(String),
}

pub(crate) const PCT: &str = "inputmode=\"decimal\" data-pct";

/// One more empty row than there are values in each list, and another where one was asked.
fn blank_rows(n: usize, list: &str, add: Option<&str>) -> usize {
    n.saturating_add(1).saturating_add(usize::from(add == Some(list)))
}

/// The form's fields, drawn from `values`, each with the problems `b` holds for it. The fields
/// are built in the order written below, which is the form's order: the error summary that `b`
/// collects follows it, so a new field goes where it is shown.
fn form_view(values: &Values, b: &mut Builder<'_>, mode: &Mode, add: Option<&str>) -> FormView {
    let lang = b.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let orgs = b.orgs();
    FormView {
        id: id_field(values, b, mode),
        folio: b.field("folio", l("Folio de la agencia", "Agency folio"), &values.folio),
        reporting_org: required_select(b.select(
            "reporting_org",
            l("Organización que reporta", "Reporting organisation"),
            &values.reporting_org,
            orgs.clone(),
        )),
        title_es: Field {
            required: true,
            ..b.field("title.es", l("Título (español)", "Title (Spanish)"), &values.title[0])
        },
        title_en: b.field("title.en", l("Título (inglés)", "Title (English)"), &values.title[1]),
        description_es: b.field(
            "description.es",
            l("Descripción (español)", "Description (Spanish)"),
            &values.description[0],
        ),
        description_en: b.field(
            "description.en",
            l("Descripción (inglés)", "Description (English)"),
            &values.description[1],
        ),
        objectives_es: b.field(
            "objectives.es",
            l("Objetivos (español)", "Objectives (Spanish)"),
            &values.objectives[0],
        ),
        objectives_en: b.field("objectives.en", l("Objetivos (inglés)", "Objectives (English)"), &values.objectives[1]),
        instrument: b.select(
            "instrument",
            l("Instrumento", "Instrument"),
            &values.instrument,
            kinds(Instrument::ALL, Instrument::code, Instrument::label, lang),
        ),
        cooperation_type: b.select(
            "cooperation_type",
            l("Tipo de cooperación", "Type of cooperation"),
            &values.cooperation_type,
            kinds(CooperationType::ALL, CooperationType::code, CooperationType::label, lang),
        ),
        modality: modality_select(values, b),
        status: b.select(
            "status",
            l("Estado (IATI)", "Status (IATI)"),
            &values.status,
            ACTIVITY_STATUS
                .codes
                .iter()
                .map(|c| (c.code.to_owned(), format!("{} — {}", c.code, c.name(lang))))
                .collect(),
        ),
        workflow: b.select(
            "workflow",
            l("Flujo de validación", "Workflow"),
            &values.workflow,
            kinds(WorkflowState::ALL, WorkflowState::code, WorkflowState::label, lang),
        ),
        default_currency: currency_field(values, b),
        south_south: values.south_south,
        north_south: values.north_south,
        participants_errors: b.group("participants", l("Participantes", "Participants")),
        participants: participant_rows(values, b, &orgs, add),
        sectors_errors: b.group("sectors", l("Sectores", "Sectors")),
        sectors: share_rows(b, ShareList::SECTORS, &values.sectors, add),
        countries_errors: b.group("countries", l("Países y regiones", "Countries and regions")),
        countries: share_rows(b, ShareList::COUNTRIES, &values.countries, add),
        regions: region_rows(values, b, add),
        mx_places: place_rows(values, b, add),
        planned_start: b.field("dates.planned_start", l("Inicio previsto", "Planned start"), &values.dates[0]),
        planned_end: b.field("dates.planned_end", l("Fin previsto", "Planned end"), &values.dates[1]),
        actual_start: b.field("dates.actual_start", l("Inicio real", "Actual start"), &values.dates[2]),
        actual_end: b.field("dates.actual_end", l("Fin real", "Actual end"), &values.dates[3]),
        in_kind: in_kind_rows(values, b, add),
        good_practice_es: b.field(
            "good_practice.es",
            l("Narrativa (español)", "Narrative (Spanish)"),
            &values.good_practice[0],
        ),
        good_practice_en: b.field(
            "good_practice.en",
            l("Narrativa (inglés)", "Narrative (English)"),
            &values.good_practice[1],
        ),
    }
}

/// The identifier: required, fixed once the activity is stored.
fn id_field(values: &Values, b: &mut Builder<'_>, mode: &Mode) -> Field {
    let lang = b.lang;
    let mut id = b.field("id", lang.pick("Identificador IATI", "IATI identifier"), &values.id);
    id.required = true;
    id.readonly = matches!(mode, Mode::Edit(_));
    id.hint = Some(
        lang.pick(
            "Organización que reporta y código propio, p. ej. MX-AMEXCID-2012-0001",
            "Reporting organisation and own code, e.g. MX-AMEXCID-2012-0001",
        )
        .to_owned(),
    );
    id
}

fn required_select(mut select: SelectField) -> SelectField {
    select.field.required = true;
    select
}

/// The modality, required, marked for the script that shows the roles each one needs.
fn modality_select(values: &Values, b: &mut Builder<'_>) -> SelectField {
    let lang = b.lang;
    let mut modality = b.select(
        "modality",
        lang.pick("Modalidad", "Modality"),
        &values.modality,
        kinds(Modality::ALL, Modality::code, Modality::label, lang),
    );
    modality.field.extra = Some("data-modality");
    modality.field.required = true;
    modality
}

fn currency_field(values: &Values, b: &mut Builder<'_>) -> Field {
    let lang = b.lang;
    let mut currency =
        b.field("default_currency", lang.pick("Moneda por defecto", "Default currency"), &values.default_currency);
    currency.list = Some("dl-currency");
    currency.hint = Some(lang.pick("Código ISO 4217, p. ej. MXN o USD", "ISO 4217 code, e.g. MXN or USD").to_owned());
    currency
}

/// The participants' rows: at least two, for a provider and a recipient.
fn participant_rows(
    values: &Values,
    b: &mut Builder<'_>,
    orgs: &[(String, String)],
    add: Option<&str>,
) -> Vec<ParticipantRow> {
    let lang = b.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let roles = kinds(Role::ALL, Role::code, Role::label, lang);
    let n = blank_rows(values.participants.len(), "participants", add).max(2);
    (0..n)
        .map(|i| {
            let v = values.participants.get(i).cloned().unwrap_or_default();
            let mut org =
                b.select(&format!("participants[{i}].org"), l("Organización", "Organisation"), &v[0], orgs.to_vec());
            org.field.label = format!("{} {}", l("Organización", "Organisation"), i.saturating_add(1));
            let mut role = b.select(&format!("participants[{i}].role"), l("Rol", "Role"), &v[1], roles.clone());
            role.field.extra = Some("data-role");
            ParticipantRow { org, role }
        })
        .collect()
}

/// A list of codes with percentages that the form offers from a datalist.
struct ShareList {
    /// The list's field path.
    name: &'static str,
    /// The label of one row's code, in Spanish and English; the row's number follows it.
    label: [&'static str; 2],
    datalist: &'static str,
}

impl ShareList {
    const SECTORS: ShareList =
        ShareList { name: "sectors", label: ["Sector CAD", "DAC sector"], datalist: "dl-sector" };
    const COUNTRIES: ShareList = ShareList { name: "countries", label: ["País", "Country"], datalist: "dl-country" };
}

fn share_rows(b: &mut Builder<'_>, list: ShareList, values: &[[String; 2]], add: Option<&str>) -> Vec<ShareRow> {
    let lang = b.lang;
    let [es, en] = list.label;
    let n = blank_rows(values.len(), list.name, add);
    (0..n)
        .map(|i| {
            let v = values.get(i).cloned().unwrap_or_default();
            let name = list.name;
            let mut code =
                b.field(&format!("{name}[{i}].code"), &format!("{} {}", lang.pick(es, en), i.saturating_add(1)), &v[0]);
            code.list = Some(list.datalist);
            let mut percentage =
                b.field(&format!("{name}[{i}].percentage"), lang.pick("Porcentaje", "Percentage"), &v[1]);
            percentage.extra = Some(PCT);
            ShareRow { code, percentage }
        })
        .collect()
}

/// The regions' rows: one empty row only when there are none (regions are rarer than
/// countries), and another where one was asked.
fn region_rows(values: &Values, b: &mut Builder<'_>, add: Option<&str>) -> Vec<SelectRow> {
    let lang = b.lang;
    let region_options: Vec<(String, String)> = REGION
        .codes
        .iter()
        .filter(|c| !c.withdrawn)
        .map(|c| (c.code.to_owned(), format!("{} — {}", c.code, c.name(lang))))
        .collect();
    let n = values
        .regions
        .len()
        .saturating_add(usize::from(add == Some("regions")))
        .saturating_add(usize::from(values.regions.is_empty()));
    (0..n)
        .map(|i| {
            let v = values.regions.get(i).cloned().unwrap_or_default();
            let code = b.select(
                &format!("regions[{i}].code"),
                &format!("{} {}", lang.pick("Región", "Region"), i.saturating_add(1)),
                &v[0],
                region_options.clone(),
            );
            let mut percentage =
                b.field(&format!("regions[{i}].percentage"), lang.pick("Porcentaje", "Percentage"), &v[1]);
            percentage.extra = Some(PCT);
            SelectRow { code, percentage }
        })
        .collect()
}

/// The rows of places in Mexico: a state, and optionally a municipality.
fn place_rows(values: &Values, b: &mut Builder<'_>, add: Option<&str>) -> Vec<PlaceRow> {
    let lang = b.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let state_options: Vec<(String, String)> =
        MX_STATE.codes.iter().map(|c| (c.code.to_owned(), c.name(lang).to_owned())).collect();
    let n = blank_rows(values.mx_places.len(), "mx_places", add);
    (0..n)
        .map(|i| {
            let v = values.mx_places.get(i).cloned().unwrap_or_default();
            let state = b.select(
                &format!("mx_places[{i}].state"),
                &format!("{} {}", l("Entidad", "State"), i.saturating_add(1)),
                &v[0],
                state_options.clone(),
            );
            let mut municipality = b.field(
                &format!("mx_places[{i}].municipality"),
                l("Municipio (clave INEGI)", "Municipality (INEGI code)"),
                &v[1],
            );
            municipality.hint = Some(
                l("Cinco dígitos, p. ej. 07089 (Tapachula); opcional", "Five digits, e.g. 07089 (Tapachula); optional")
                    .to_owned(),
            );
            PlaceRow { state, municipality }
        })
        .collect()
}

fn in_kind_rows(values: &Values, b: &mut Builder<'_>, add: Option<&str>) -> Vec<InKindRow> {
    let lang = b.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let units = kinds(InKindUnit::ALL, InKindUnit::code, InKindUnit::label, lang);
    let n = blank_rows(values.in_kind.len(), "in_kind", add);
    (0..n)
        .map(|i| {
            let v = values.in_kind.get(i).cloned().unwrap_or_default();
            let unit = b.select(
                &format!("in_kind[{i}].unit"),
                &format!("{} {}", l("Unidad", "Unit"), i.saturating_add(1)),
                &v[0],
                units.clone(),
            );
            let mut quantity = b.field(&format!("in_kind[{i}].quantity"), l("Cantidad", "Quantity"), &v[1]);
            quantity.extra = Some("inputmode=\"decimal\"");
            let mut unit_value = b.field(&format!("in_kind[{i}].unit_value"), l("Valor unitario", "Unit value"), &v[2]);
            unit_value.extra = Some("inputmode=\"decimal\"");
            let mut currency = b.field(&format!("in_kind[{i}].currency"), l("Moneda", "Currency"), &v[3]);
            currency.list = Some("dl-currency");
            InKindRow { unit, quantity, unit_value, currency }
        })
        .collect()
}

fn datalists(lang: Lang) -> Vec<(&'static str, Vec<(String, String)>)> {
    let list = |codes: &'static [coopera_domain::codelists::Code]| {
        codes.iter().filter(|c| !c.withdrawn).map(|c| (c.code.to_owned(), c.name(lang).to_owned())).collect()
    };
    vec![("dl-sector", list(SECTOR.codes)), ("dl-country", list(COUNTRY.codes)), ("dl-currency", list(CURRENCY.codes))]
}

/// The form page, with the problems found (if any) next to their fields.
fn page(
    state: &AppState,
    ctx: &Ctx,
    views: &Views,
    values: &Values,
    problems: &[Problem],
    mode: &Mode,
    add: Option<&str>,
) -> FormPage {
    let lang = ctx.lang;
    let mut b = Builder { lang, errors: Errors::from_problems(problems, lang), summary: Vec::new(), views };
    let f = form_view(values, &mut b, mode, add);
    let mut summary = b.summary;
    for (path, messages) in std::mem::take(&mut b.errors.by_path) {
        for m in messages {
            summary.push(("error-summary".to_owned(), format!("{path}: {m}")));
        }
    }
    let (heading, action, back_url, back_label, kept) = match mode {
        Mode::Create => (
            lang.pick("Nueva actividad", "New activity").to_owned(),
            "/activities/new".to_owned(),
            "/activities".to_owned(),
            lang.pick("← Actividades", "← Activities").to_owned(),
            None,
        ),
        Mode::Edit(id) => (
            format!("{}: {id}", lang.pick("Editar", "Edit")),
            format!("{}/edit", activity_url(id)),
            activity_url(id),
            lang.pick("← Volver a la actividad", "← Back to the activity").to_owned(),
            Some(
                lang.pick(
                    "Las transacciones, presupuestos, resultados, documentos, ODS y demás datos que este formulario no muestra se conservan como están.",
                    "Transactions, budgets, results, documents, SDGs and other data this form does not show are kept as they are.",
                )
                .to_owned(),
            ),
        ),
    };
    let mut chrome = Chrome::new(ctx, state, heading.clone(), "activities");
    if !summary.is_empty() {
        chrome.title = format!("{} — {heading}", lang.pick("Error", "Error"));
    }
    let version = values.version.clone();
    FormPage { c: chrome, back_url, back_label, heading, summary, action, f, kept, datalists: datalists(lang), version }
}

/// `GET /activities/new`
pub(crate) async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    guard::may_create(&ctx.viewer, "/activities/new")?;
    let st = state.clone();
    state
        .compute(move |views| {
            let values = Values::new_activity();
            Ok(html(&page(&st, &ctx, views, &values, &[], &Mode::Create, None))?.into_response())
        })
        .await
}

/// `GET /activities/{id}/edit`
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let st = state.clone();
    state
        .read(move |store, views| {
            let stored = store.activity(&id)?.ok_or_else(|| WebError::not_found("activity", &id))?;
            let reach = guard::activity_reach(store, &stored.activity)?;
            guard::allow(&ctx.viewer, Action::Edit, &reach, ("activity", &id), &edit_url(&id))?;
            let mut values = Values::from_doc(&ActivityDoc::from_domain(&stored.activity));
            values.version = store.version(RecordKind::Activity, &id)?.unwrap_or_default().to_string();
            Ok(html(&page(&st, &ctx, views, &values, &[], &Mode::Edit(id.clone()), None))?.into_response())
        })
        .await
}

/// `POST /activities/new`
pub(crate) async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    submit(state, ctx, fields, Mode::Create).await
}

/// `POST /activities/{id}/edit`
pub(crate) async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    submit(state, ctx, fields, Mode::Edit(id)).await
}

/// Checks and saves the posted form, or shows it again: with its problems, or with one more
/// row where "add" was pressed (nothing is saved then).
async fn submit(state: AppState, ctx: Ctx, fields: Vec<(String, String)>, mode: Mode) -> Result<Response, WebError> {
    let mut values = Values::from_form(&fields);
    if let Mode::Edit(id) = &mode {
        values.id = id.clone();
    }
    let add = fields.iter().find(|(k, _)| k == "add").map(|(_, v)| v.clone());
    let save = fields.iter().any(|(k, _)| k == "save");
    if let (Some(add), false) = (add, save) {
        let st = state.clone();
        return state
            .compute(move |views| Ok(html(&page(&st, &ctx, views, &values, &[], &mode, Some(&add)))?.into_response()))
            .await;
    }
    let saving = values.clone();
    let save_mode = mode.clone();
    let viewer = ctx.viewer.clone();
    let outcome = state.write(move |store| save_form(store, &viewer, saving, &save_mode)).await?;
    match outcome {
        Saved::Yes(key) => Ok(Redirect::to(&format!("{}?saved=1", activity_url(&key))).into_response()),
        Saved::No(problems) => again(state, ctx, values, problems, mode, StatusCode::UNPROCESSABLE_ENTITY).await,
        Saved::Meanwhile { problems, version } => {
            values.version = version.to_string();
            again(state, ctx, values, problems, mode, StatusCode::CONFLICT).await
        }
    }
}

/// The form once more, with the user's input and its problems.
async fn again(
    state: AppState,
    ctx: Ctx,
    values: Values,
    problems: Vec<Problem>,
    mode: Mode,
    status: StatusCode,
) -> Result<Response, WebError> {
    let st = state.clone();
    state
        .compute(move |views| {
            let body = html(&page(&st, &ctx, views, &values, &problems, &mode, None))?;
            Ok((status, body).into_response())
        })
        .await
}

impl From<Result<String, Vec<Problem>>> for Saved {
    fn from(saved: Result<String, Vec<Problem>>) -> Saved {
        match saved {
            Ok(key) => Saved::Yes(key),
            Err(problems) => Saved::No(problems),
        }
    }
}

/// What became of a save.
pub(crate) enum Saved {
    Yes(String),
    /// Refused with these problems; nothing written.
    No(Vec<Problem>),
    /// Someone saved the activity after the form was opened: nothing written; the problems
    /// say who and what differs, and `version` is the one now stored.
    Meanwhile {
        problems: Vec<Problem>,
        version: Version,
    },
}

/// Checks and saves the form from the version it was opened at (see [`save_document`]).
fn save_form(store: &Store, viewer: &Viewer, saving: Values, mode: &Mode) -> Result<Written<Saved>, WebError> {
    let stored = stored_for_edit(store, viewer, mode)?;
    let base = saving.version.trim().parse::<Version>().ok();
    let doc = saving.to_doc(stored.as_ref().map(ActivityDoc::from_domain));
    save_document(store, viewer, doc, stored.as_ref(), mode, base)
}

/// For an edit: the stored activity, once the access table lets the viewer edit it.
pub(crate) fn stored_for_edit(store: &Store, viewer: &Viewer, mode: &Mode) -> Result<Option<Activity>, WebError> {
    let Mode::Edit(id) = mode else { return Ok(None) };
    let stored = store.activity(id)?.ok_or_else(|| WebError::not_found("activity", id))?.activity;
    let reach = guard::activity_reach(store, &stored)?;
    guard::allow(viewer, Action::Edit, &reach, ("activity", id), &edit_url(id))?;
    Ok(Some(stored))
}

/// Checks a document as the viewer may save it — every problem at once, then the access
/// table on the record as it would be — and saves it from version `base`: the one write
/// path of the form and of the API. An edit keeps the stored workflow state: the workflow
/// moves by its own steps, each with who and why.
pub(crate) fn save_document(
    store: &Store,
    viewer: &Viewer,
    mut doc: ActivityDoc,
    stored: Option<&Activity>,
    mode: &Mode,
    base: Option<Version>,
) -> Result<Written<Saved>, WebError> {
    if let Some(stored) = stored {
        doc.workflow = Some(stored.parts().workflow.code().to_owned());
    }
    let id = doc.id.trim().to_owned();
    let references = doc.references();
    let checked = doc.into_domain();
    let mut problems = checked.as_ref().err().map(|p| p.0.clone()).unwrap_or_default();
    problems.extend(store.check_references(&references)?.0);
    if *mode == Mode::Create && !id.is_empty() && store.activity(&id)?.is_some() {
        problems.push(Problem::new("id", Some(&id), coopera_domain::Rule::Duplicate));
    }
    if let Mode::Edit(key) = mode
        && id != *key
    {
        problems.push(Problem::new(
            "id",
            Some(&id),
            coopera_domain::Rule::Changed { stored: Some(key.clone()), new: Some(id.clone()) },
        ));
    }
    let activity = match checked {
        Ok(activity) if problems.is_empty() => activity,
        _ => return Ok(Written::unchanged(Saved::No(problems))),
    };
    let action = if stored.is_some() { Action::Edit } else { Action::Create };
    let next = match mode {
        Mode::Create => "/activities/new".to_owned(),
        Mode::Edit(id) => edit_url(id),
    };
    guard::allow_as_saved(viewer, action, &guard::activity_reach(store, &activity)?, &next)?;
    let key = activity.key().to_string();
    let record = Record::Activity(Box::new(activity));
    let how = WriteOptions {
        base: if stored.is_some() { base } else { None },
        address: Some(viewer.address.clone()),
        ..WriteOptions::default()
    };
    let author = viewer.name().unwrap_or(AUTHOR).to_owned();
    match store.write(&author, vec![record.clone()], how) {
        Err(StoreError::Stale { current, .. }) => {
            let problems = guard::changed_meanwhile(store, &record)?;
            Ok(Written::unchanged(Saved::Meanwhile { problems, version: current }))
        }
        result => Ok(Written::of(result, key)?.map(Saved::from)),
    }
}

fn edit_url(id: &str) -> String {
    format!("{}/edit", activity_url(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_rows_are_dropped_and_rows_keep_their_order() {
        let fields: Vec<(String, String)> = [
            ("id", "MX-1"),
            ("sectors[2].code", "15110"),
            ("sectors[2].percentage", "40"),
            ("sectors[0].code", "41010"),
            ("sectors[0].percentage", "60"),
            ("sectors[1].code", ""),
            ("sectors[1].percentage", " "),
            ("title.es", "Curso"),
            ("south_south", "on"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let v = Values::from_form(&fields);
        assert_eq!(v.sectors, vec![["41010".to_owned(), "60".to_owned()], ["15110".to_owned(), "40".to_owned()]]);
        assert!(v.south_south && !v.north_south);
        let doc = v.to_doc(None);
        assert_eq!(doc.sectors.len(), 2);
        assert_eq!(doc.title, TextDoc::Langs([("es".to_owned(), "Curso".to_owned())].into()));
    }

    #[test]
    fn problems_find_their_fields() {
        assert_eq!(field_of("title"), "title.es");
        assert_eq!(field_of("participants[2]"), "participants[2].org");
        assert_eq!(field_of("sectors[0].code"), "sectors[0].code");
        assert_eq!(field_id("sectors[0].code"), "f-sectors-0-code");
    }
}
