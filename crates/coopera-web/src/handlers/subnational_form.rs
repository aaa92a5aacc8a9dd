//! The forms and the API's writes of the international action of states and municipalities:
//! actions abroad, inter-institutional agreements and memberships of networks. Each is a
//! [`Kind`] of the catalog's generic flow (`catalog_form`): one save function checks every
//! problem at once, asks the access table on the record as stored and as it would be, and
//! writes it from the version the writer read; the form and the API share it.
//!
//! Whose record it is follows [`coopera_domain::subnational::OrgStates`]'s rule
//! ([`access::state_of`]): an action is its actor's state's, an agreement its parties', a
//! membership its member's. An editor scoped to a state (`state:07`) writes only those; the
//! records are public, as on the states' profiles, so another state's is refused as out of
//! its scope (403), never hidden.

use askama::Template;
use coopera_domain::access::{self, Action, Reach};
use coopera_domain::code::MxStateCode;
use coopera_domain::codelists::COUNTRY;
use coopera_domain::doc::{ActionDoc, AgreementDoc, CrossBorderDoc, MembershipDoc, Reference, TextDoc};
use coopera_domain::kinds::{ActionKind, Border, CrossBorderDimension, WorkflowState};
use coopera_domain::{Lang, Problems};
use coopera_store::{Record, RecordKind, Store, Version};

use super::activity_form::{Saved, text_doc, text_pair};
use super::catalog_form::{
    Builder, FormInput, Kind, Mode, Posted, Values, all_problems, frame, json, key_field, next_of, opt, organisations,
    store_record,
};
use super::subnational_pages::{action_detail, agreement_detail, membership_detail};
use crate::api::{ActionUpdate, AgreementUpdate, MembershipUpdate};
use crate::auth::Viewer;
use crate::error::WebError;
use crate::guard;
use crate::selection::encode;
use crate::state::Written;
use crate::views::{Chrome, Field, SelectField};

/// The upload of many at once and its template (`subnational_import`).
pub(crate) const IMPORT: &str = "/states/import";

pub(crate) fn action_url(key: &str) -> String {
    format!("/actions/{}", encode(key))
}

pub(crate) fn agreement_url(key: &str) -> String {
    format!("/agreements/{}", encode(key))
}

pub(crate) fn membership_url(key: &str) -> String {
    format!("/memberships/{}", encode(key))
}

// ---------------------------------------------------------------------------------------------
// Whose record it is

/// Whether the viewer may edit a stored record.
fn allow_stored(
    store: &Store,
    viewer: &Viewer,
    stored: Record,
    (kind, key): (&'static str, &str),
    next: &str,
) -> Result<(), WebError> {
    let reach = guard::record_reach(store, &stored)?;
    guard::allow(viewer, Action::Edit, &reach, (kind, key), next)
}

/// Whether the viewer may save the record as it would be: in an editor's scope by its owners;
/// a new one in the state its document asks (a draft unless it says, and only an account
/// that may take the steps into that state may create it past draft), a stored one in the
/// state it is in, since an edit never moves the workflow.
pub(crate) fn allow_as_saved(
    store: &Store,
    viewer: &Viewer,
    record: &Record,
    mode: &Mode,
    next: &str,
) -> Result<(), WebError> {
    let (action, reach) = match mode {
        Mode::Create => (Action::Create, guard::record_reach(store, record)?),
        Mode::Edit(key) => {
            let stored = store.stored(record.kind(), key)?.and_then(|r| r.workflow());
            let as_saved = record.clone().with_workflow(stored.unwrap_or(WorkflowState::Draft));
            (Action::Edit, guard::record_reach(store, &as_saved)?)
        }
    };
    guard::allow_as_saved(viewer, action, &reach, next)
}

/// The forms and the upload, for a state's profile, when the viewer may write that state's
/// records.
pub(crate) fn write_links(viewer: &Viewer, state: MxStateCode, lang: Lang) -> Vec<(String, String)> {
    let reach = Reach { states: vec![state], ..Reach::new(WorkflowState::Draft) };
    if access::decide(&viewer.actor, &Action::Create, &reach).is_err() {
        return Vec::new();
    }
    let l = |es: &str, en: &str| lang.pick(es, en).to_owned();
    let mut links = vec![
        (l("Nueva acción internacional", "New international action"), Actions::NEW.to_owned()),
        (l("Nuevo acuerdo", "New agreement"), Agreements::NEW.to_owned()),
        (l("Nueva membresía de red", "New network membership"), Memberships::NEW.to_owned()),
    ];
    links.extend(super::catalog_import::STATES.links(lang));
    links
}

/// What the three kinds add to [`Kind`]: how their document is checked.
pub(crate) trait Subnational: Kind {
    fn key(doc: &Self::Doc) -> &str;
    fn references(doc: &Self::Doc) -> Vec<Reference>;
    fn checked(doc: Self::Doc) -> Result<Record, Problems>;
}

/// The one save of the three kinds: every problem at once, then the access table on the
/// record as stored and as it would be, then the write from version `base`.
fn save<K: Subnational>(
    store: &Store,
    viewer: &Viewer,
    doc: K::Doc,
    mode: &Mode,
    base: Option<Version>,
) -> Result<Written<Saved>, WebError> {
    let next = next_of::<K>(mode);
    match mode {
        Mode::Edit(k) => drop(K::editable(store, viewer, k, &next)?),
        Mode::Create => K::may_create(viewer, &next)?,
    }
    let key = K::key(&doc).trim().to_owned();
    let references = K::references(&doc);
    let checked = K::checked(doc);
    let taken = store.version(K::RECORD, &key)?.is_some();
    let problems = all_problems(store, &checked, &references, (mode, &key, taken))?;
    let record = match checked {
        Ok(r) if problems.is_empty() => r,
        _ => return Ok(Written::unchanged(Saved::No(problems))),
    };
    allow_as_saved(store, viewer, &record, mode, &next)?;
    store_record(store, viewer, record, key, base)
}

// ---------------------------------------------------------------------------------------------
// The kinds

/// The actions abroad of state and municipal governments.
#[derive(Debug)]
pub(crate) struct Actions;

impl Kind for Actions {
    type Doc = ActionDoc;
    type Update = ActionUpdate;
    type Values = ActionValues;
    type Page = SubnationalFormPage;
    const RECORD: RecordKind = RecordKind::Action;
    const NEW: &'static str = "/actions/new";

    fn url(key: &str) -> String {
        action_url(key)
    }

    fn may_create(viewer: &Viewer, next: &str) -> Result<(), WebError> {
        guard::may_create(viewer, next)
    }

    fn editable(store: &Store, viewer: &Viewer, key: &str, next: &str) -> Result<ActionDoc, WebError> {
        let stored = store.action(key)?.ok_or_else(|| WebError::not_found("action", key))?;
        allow_stored(store, viewer, Record::Action(stored.clone()), ("action", key), next)?;
        Ok(ActionDoc::from_domain(&stored))
    }

    fn stored(store: &Store, key: &str) -> Result<Option<ActionDoc>, WebError> {
        Ok(store.action(key)?.map(|a| ActionDoc::from_domain(&a)))
    }

    fn save(
        store: &Store,
        viewer: &Viewer,
        doc: ActionDoc,
        mode: &Mode,
        base: Option<Version>,
    ) -> Result<Written<Saved>, WebError> {
        save::<Actions>(store, viewer, doc, mode, base)
    }

    /// Dated today.
    fn blank(_: &Viewer) -> ActionValues {
        ActionValues { date: time::OffsetDateTime::now_utc().date().to_string(), ..ActionValues::default() }
    }

    fn page(form: &FormInput<'_, ActionValues>) -> SubnationalFormPage {
        action_form(form)
    }

    fn detail(store: &Store, key: &str) -> Result<serde_json::Value, WebError> {
        json(action_detail(store, key)?)
    }

    fn split(update: ActionUpdate) -> (ActionDoc, Version) {
        (update.document, update.version)
    }
}

impl Subnational for Actions {
    fn key(doc: &ActionDoc) -> &str {
        &doc.key
    }

    fn references(doc: &ActionDoc) -> Vec<Reference> {
        doc.references()
    }

    fn checked(doc: ActionDoc) -> Result<Record, Problems> {
        doc.into_domain().map(Record::Action)
    }
}

/// The inter-institutional agreements of state and municipal governments.
#[derive(Debug)]
pub(crate) struct Agreements;

impl Kind for Agreements {
    type Doc = AgreementDoc;
    type Update = AgreementUpdate;
    type Values = AgreementValues;
    type Page = SubnationalFormPage;
    const RECORD: RecordKind = RecordKind::Agreement;
    const NEW: &'static str = "/agreements/new";

    fn url(key: &str) -> String {
        agreement_url(key)
    }

    fn may_create(viewer: &Viewer, next: &str) -> Result<(), WebError> {
        guard::may_create(viewer, next)
    }

    fn editable(store: &Store, viewer: &Viewer, key: &str, next: &str) -> Result<AgreementDoc, WebError> {
        let stored = store.agreement(key)?.ok_or_else(|| WebError::not_found("agreement", key))?;
        allow_stored(store, viewer, Record::Agreement(stored.clone()), ("agreement", key), next)?;
        Ok(AgreementDoc::from_domain(&stored))
    }

    fn stored(store: &Store, key: &str) -> Result<Option<AgreementDoc>, WebError> {
        Ok(store.agreement(key)?.map(|a| AgreementDoc::from_domain(&a)))
    }

    fn save(
        store: &Store,
        viewer: &Viewer,
        doc: AgreementDoc,
        mode: &Mode,
        base: Option<Version>,
    ) -> Result<Written<Saved>, WebError> {
        save::<Agreements>(store, viewer, doc, mode, base)
    }

    /// Signed today.
    fn blank(_: &Viewer) -> AgreementValues {
        AgreementValues { signed: time::OffsetDateTime::now_utc().date().to_string(), ..AgreementValues::default() }
    }

    fn page(form: &FormInput<'_, AgreementValues>) -> SubnationalFormPage {
        agreement_form(form)
    }

    fn detail(store: &Store, key: &str) -> Result<serde_json::Value, WebError> {
        json(agreement_detail(store, key)?)
    }

    fn split(update: AgreementUpdate) -> (AgreementDoc, Version) {
        (update.document, update.version)
    }
}

impl Subnational for Agreements {
    fn key(doc: &AgreementDoc) -> &str {
        &doc.key
    }

    fn references(doc: &AgreementDoc) -> Vec<Reference> {
        doc.references()
    }

    fn checked(doc: AgreementDoc) -> Result<Record, Problems> {
        doc.into_domain().map(Record::Agreement)
    }
}

/// The memberships of networks.
#[derive(Debug)]
pub(crate) struct Memberships;

impl Kind for Memberships {
    type Doc = MembershipDoc;
    type Update = MembershipUpdate;
    type Values = MembershipValues;
    type Page = SubnationalFormPage;
    const RECORD: RecordKind = RecordKind::Membership;
    const NEW: &'static str = "/memberships/new";

    fn url(key: &str) -> String {
        membership_url(key)
    }

    fn may_create(viewer: &Viewer, next: &str) -> Result<(), WebError> {
        guard::may_create(viewer, next)
    }

    fn editable(store: &Store, viewer: &Viewer, key: &str, next: &str) -> Result<MembershipDoc, WebError> {
        let stored = store.membership(key)?.ok_or_else(|| WebError::not_found("membership", key))?;
        allow_stored(store, viewer, Record::Membership(stored.clone()), ("membership", key), next)?;
        Ok(MembershipDoc::from_domain(&stored))
    }

    fn stored(store: &Store, key: &str) -> Result<Option<MembershipDoc>, WebError> {
        Ok(store.membership(key)?.map(|m| MembershipDoc::from_domain(&m)))
    }

    fn save(
        store: &Store,
        viewer: &Viewer,
        doc: MembershipDoc,
        mode: &Mode,
        base: Option<Version>,
    ) -> Result<Written<Saved>, WebError> {
        save::<Memberships>(store, viewer, doc, mode, base)
    }

    fn blank(_: &Viewer) -> MembershipValues {
        MembershipValues::default()
    }

    fn page(form: &FormInput<'_, MembershipValues>) -> SubnationalFormPage {
        membership_form(form)
    }

    fn detail(store: &Store, key: &str) -> Result<serde_json::Value, WebError> {
        json(membership_detail(store, key)?)
    }

    fn split(update: MembershipUpdate) -> (MembershipDoc, Version) {
        (update.document, update.version)
    }
}

impl Subnational for Memberships {
    fn key(doc: &MembershipDoc) -> &str {
        &doc.key
    }

    fn references(doc: &MembershipDoc) -> Vec<Reference> {
        doc.references()
    }

    fn checked(doc: MembershipDoc) -> Result<Record, Problems> {
        doc.into_domain().map(Record::Membership)
    }
}

// ---------------------------------------------------------------------------------------------
// What the forms hold

/// Activity identifiers, one a line (or separated by commas or semicolons).
fn identifiers(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn text_or_empty(pair: &[String; 2]) -> TextDoc {
    text_doc(pair).unwrap_or(TextDoc::Plain(String::new()))
}

/// The form's action.
#[derive(Debug, Clone, Default)]
pub(crate) struct ActionValues {
    key: String,
    actor: String,
    kind: String,
    date: String,
    end_date: String,
    country: String,
    city: String,
    counterpart: String,
    purpose: [String; 2],
    outcome: [String; 2],
    activities: String,
    /// The cross-border agenda: a border code, and the dimensions' codes.
    border: String,
    dimensions: Vec<String>,
    version: String,
}

impl Values for ActionValues {
    type Doc = ActionDoc;

    fn from_doc(d: &ActionDoc) -> ActionValues {
        ActionValues {
            key: d.key.clone(),
            actor: d.actor.clone(),
            kind: d.kind.clone(),
            date: d.date.clone(),
            end_date: d.end_date.clone().unwrap_or_default(),
            country: d.country.clone().unwrap_or_default(),
            city: d.city.clone().unwrap_or_default(),
            counterpart: d.counterpart.clone().unwrap_or_default(),
            purpose: text_pair(Some(&d.purpose)),
            outcome: text_pair(d.outcome.as_ref()),
            activities: d.activities.join("\n"),
            border: d.cross_border.as_ref().map(|c| c.border.clone()).unwrap_or_default(),
            dimensions: d.cross_border.as_ref().map(|c| c.dimensions.clone()).unwrap_or_default(),
            version: String::new(),
        }
    }

    fn from_form(posted: &Posted<'_>) -> ActionValues {
        ActionValues {
            key: posted.get("key"),
            actor: posted.get("actor"),
            kind: posted.get("kind"),
            date: posted.get("date"),
            end_date: posted.get("end_date"),
            country: posted.get("country").to_ascii_uppercase(),
            city: posted.get("city"),
            counterpart: posted.get("counterpart"),
            purpose: posted.pair("purpose"),
            outcome: posted.pair("outcome"),
            activities: posted.get("activities"),
            border: posted.get("cross_border.border"),
            dimensions: posted.all("cross_border.dimensions").into_iter().filter(|d| !d.is_empty()).collect(),
            version: posted.get("version"),
        }
    }

    fn to_doc(&self, _: Option<&ActionDoc>) -> ActionDoc {
        ActionDoc {
            key: self.key.clone(),
            actor: self.actor.clone(),
            kind: self.kind.clone(),
            date: self.date.clone(),
            end_date: opt(&self.end_date),
            country: opt(&self.country),
            city: opt(&self.city),
            counterpart: opt(&self.counterpart),
            purpose: text_or_empty(&self.purpose),
            outcome: text_doc(&self.outcome),
            activities: identifiers(&self.activities),
            // Dimensions without a border are kept, so that the check says what is missing.
            cross_border: (!self.border.is_empty() || !self.dimensions.is_empty())
                .then(|| CrossBorderDoc { border: self.border.clone(), dimensions: self.dimensions.clone() }),
            // A new record is a draft; a stored one keeps its state (the store sees to it).
            workflow: None,
        }
    }

    fn key_mut(&mut self) -> &mut String {
        &mut self.key
    }

    fn version_mut(&mut self) -> &mut String {
        &mut self.version
    }
}

/// The form's agreement: a row per party, and one more to add.
#[derive(Debug, Clone, Default)]
pub(crate) struct AgreementValues {
    key: String,
    title: [String; 2],
    parties: Vec<String>,
    signed: String,
    valid_until: String,
    scope: [String; 2],
    registration_number: String,
    activities: String,
    version: String,
}

impl Values for AgreementValues {
    type Doc = AgreementDoc;

    fn from_doc(d: &AgreementDoc) -> AgreementValues {
        AgreementValues {
            key: d.key.clone(),
            title: text_pair(Some(&d.title)),
            parties: d.parties.clone(),
            signed: d.signed.clone(),
            valid_until: d.valid_until.clone().unwrap_or_default(),
            scope: text_pair(d.scope.as_ref()),
            registration_number: d.registration_number.clone().unwrap_or_default(),
            activities: d.activities.join("\n"),
            version: String::new(),
        }
    }

    fn from_form(posted: &Posted<'_>) -> AgreementValues {
        AgreementValues {
            key: posted.get("key"),
            title: posted.pair("title"),
            // The form's spare row, left empty, is no party.
            parties: posted.all("parties").into_iter().filter(|p| !p.trim().is_empty()).collect(),
            signed: posted.get("signed"),
            valid_until: posted.get("valid_until"),
            scope: posted.pair("scope"),
            registration_number: posted.get("registration_number"),
            activities: posted.get("activities"),
            version: posted.get("version"),
        }
    }

    fn to_doc(&self, _: Option<&AgreementDoc>) -> AgreementDoc {
        AgreementDoc {
            key: self.key.clone(),
            title: text_or_empty(&self.title),
            parties: self.parties.clone(),
            signed: self.signed.clone(),
            valid_until: opt(&self.valid_until),
            scope: text_doc(&self.scope),
            registration_number: opt(&self.registration_number),
            activities: identifiers(&self.activities),
            workflow: None,
        }
    }

    fn key_mut(&mut self) -> &mut String {
        &mut self.key
    }

    fn version_mut(&mut self) -> &mut String {
        &mut self.version
    }
}

/// The form's membership.
#[derive(Debug, Clone, Default)]
pub(crate) struct MembershipValues {
    key: String,
    network: String,
    member: String,
    since: String,
    until: String,
    role: String,
    version: String,
}

impl Values for MembershipValues {
    type Doc = MembershipDoc;

    fn from_doc(d: &MembershipDoc) -> MembershipValues {
        MembershipValues {
            key: d.key.clone(),
            network: d.network.clone(),
            member: d.member.clone(),
            since: d.since.clone().unwrap_or_default(),
            until: d.until.clone().unwrap_or_default(),
            role: d.role.clone().unwrap_or_default(),
            version: String::new(),
        }
    }

    fn from_form(posted: &Posted<'_>) -> MembershipValues {
        MembershipValues {
            key: posted.get("key"),
            network: posted.get("network"),
            member: posted.get("member"),
            since: posted.get("since"),
            until: posted.get("until"),
            role: posted.get("role"),
            version: posted.get("version"),
        }
    }

    fn to_doc(&self, _: Option<&MembershipDoc>) -> MembershipDoc {
        MembershipDoc {
            key: self.key.clone(),
            network: self.network.clone(),
            member: self.member.clone(),
            since: opt(&self.since),
            until: opt(&self.until),
            role: opt(&self.role),
            workflow: None,
        }
    }

    fn key_mut(&mut self) -> &mut String {
        &mut self.key
    }

    fn version_mut(&mut self) -> &mut String {
        &mut self.version
    }
}

// ---------------------------------------------------------------------------------------------
// The form page

/// A field of the form: how it is drawn (`text`, `date`, `select`, `textarea`), and the field
/// (a select's options; none for the others).
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub kind: &'static str,
    pub s: SelectField,
}

impl Item {
    fn input(kind: &'static str, field: Field) -> Item {
        Item { kind, s: SelectField { field, options: Vec::new() } }
    }

    fn select(s: SelectField) -> Item {
        Item { kind: "select", s }
    }
}

#[derive(Template)]
#[template(path = "subnational_form.html")]
pub(crate) struct SubnationalFormPage {
    pub c: Chrome,
    pub back_url: String,
    pub back_label: String,
    pub heading: String,
    /// What kind of record the form is of (`action`, `agreement`, `membership`).
    pub form: &'static str,
    /// On a new one's form: the spreadsheet upload and its template, for many at once.
    pub bulk: Vec<(String, String)>,
    pub summary: Vec<(String, String)>,
    pub action: String,
    pub version: String,
    pub items: Vec<Item>,
    /// Problems of a whole list (an agreement's parties), at its place.
    pub group_errors: Vec<String>,
    pub countries: Vec<(String, String)>,
}

/// The links to the spreadsheet upload and its template, on the form of a new record.
fn bulk(mode: &Mode, lang: Lang) -> Vec<(String, String)> {
    match mode {
        Mode::Create => super::catalog_import::STATES.links(lang).into(),
        Mode::Edit(_) => Vec::new(),
    }
}

/// The page around a kind's fields.
fn page<K: Kind>(
    form: &FormInput<'_, impl Values>,
    b: Builder,
    (what, name): ([&str; 2], &'static str),
    items: Vec<Item>,
    group_errors: Vec<String>,
) -> SubnationalFormPage {
    let FormInput { st, ctx, mode, values, .. } = form;
    let lang = ctx.lang;
    let mut values = (*values).clone();
    let [heading, action, back_url] = frame::<K>(mode, lang, what, "/states");
    let back_label = match mode {
        Mode::Create => lang.pick("← Estados y municipios", "← States and municipalities"),
        Mode::Edit(_) => lang.pick("← Volver al registro", "← Back to the record"),
    };
    SubnationalFormPage {
        c: Chrome::new(ctx, st, heading.clone(), "states"),
        back_url,
        back_label: back_label.to_owned(),
        heading,
        form: name,
        bulk: bulk(mode, lang),
        summary: b.summary,
        action,
        version: values.version_mut().clone(),
        items,
        group_errors,
        countries: COUNTRY
            .codes
            .iter()
            .filter(|c| !c.withdrawn)
            .map(|c| (c.code.to_owned(), c.name(lang).to_owned()))
            .collect(),
    }
}

fn kind_options(lang: Lang) -> Vec<(String, String)> {
    ActionKind::ALL.iter().map(|k| (k.code().to_owned(), k.label(lang).to_owned())).collect()
}

fn texts(b: &mut Builder, name: &str, labels: [&str; 2], values: &[String; 2], required: bool) -> [Item; 2] {
    let es = if required {
        b.required(&format!("{name}.es"), labels[0], &values[0])
    } else {
        b.field(&format!("{name}.es"), labels[0], &values[0])
    };
    let en = b.field(&format!("{name}.en"), labels[1], &values[1]);
    [Item::input("textarea", es), Item::input("textarea", en)]
}

fn activities_item(b: &mut Builder, value: &str) -> Item {
    let lang = b.lang;
    let mut f = b.field("activities", lang.pick("Actividades vinculadas", "Linked activities"), value);
    f.hint = Some(lang.pick("Identificadores IATI, uno por línea", "IATI identifiers, one a line").to_owned());
    Item::input("textarea", f)
}

/// The action's place in the cross-border agenda: its border, and the dimensions it serves
/// (a list to choose several from).
fn agenda_items(b: &mut Builder, v: &ActionValues) -> [Item; 2] {
    let lang = b.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let borders = Border::ALL.iter().map(|x| (x.code().to_owned(), x.label(lang).to_owned())).collect();
    let mut border = b.select(
        "cross_border.border",
        l("Frontera (agenda transfronteriza)", "Border (cross-border agenda)"),
        &v.border,
        borders,
    );
    border.field.hint = Some(
        l(
            "Solo si la acción es parte de la agenda transfronteriza",
            "Only if the action is part of the cross-border agenda",
        )
        .to_owned(),
    );
    let dimensions =
        CrossBorderDimension::ALL.iter().map(|x| (x.code().to_owned(), x.label(lang).to_owned())).collect();
    let mut dims =
        b.select("cross_border.dimensions", l("Dimensiones de la agenda", "Dimensions of the agenda"), "", dimensions);
    // Several may be chosen: the list without its "choose" line, each chosen one marked.
    dims.options.retain(|o| !o.value.is_empty());
    for o in &mut dims.options {
        o.selected = v.dimensions.contains(&o.value);
    }
    dims.field.extra = Some("multiple size=\"7\"");
    dims.field.hint = Some(l("Control o Mayús para elegir varias", "Ctrl or Shift to choose several").to_owned());
    [Item::select(border), Item::select(dims)]
}

fn action_form(form: &FormInput<'_, ActionValues>) -> SubnationalFormPage {
    let (v, lang, mode) = (form.values, form.ctx.lang, form.mode);
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut b = Builder::new(form.problems, lang);
    let key = key_field(&mut b, &v.key, mode, "chis-mision-guatemala-2024");
    let mut actor =
        b.select("actor", l("Gobierno que actúa", "Government that acts"), &v.actor, organisations(form.views, lang));
    actor.field.required = true;
    let mut kind = b.select("kind", l("Tipo de acción", "Kind of action"), &v.kind, kind_options(lang));
    kind.field.required = true;
    let date = b.required("date", l("Fecha", "Date"), &v.date);
    let end_date = b.field("end_date", l("Fecha de término", "End date"), &v.end_date);
    let mut country = b.field("country", l("País (ISO 3166-1)", "Country (ISO 3166-1)"), &v.country);
    country.list = Some("dl-country");
    let city = b.field("city", l("Ciudad", "City"), &v.city);
    let counterpart = b.field("counterpart", l("Contraparte", "Counterpart"), &v.counterpart);
    let purpose = texts(
        &mut b,
        "purpose",
        [l("Propósito (español)", "Purpose (Spanish)"), l("Propósito (inglés)", "Purpose (English)")],
        &v.purpose,
        true,
    );
    let outcome = texts(
        &mut b,
        "outcome",
        [l("Resultado (español)", "Outcome (Spanish)"), l("Resultado (inglés)", "Outcome (English)")],
        &v.outcome,
        false,
    );
    let activities = activities_item(&mut b, &v.activities);
    let [border, dimensions] = agenda_items(&mut b, v);
    b.rest();
    let mut items = vec![Item::input("text", key), Item::select(actor), Item::select(kind), Item::input("date", date)];
    items.extend([Item::input("date", end_date), Item::input("text", country), Item::input("text", city)]);
    items.push(Item::input("text", counterpart));
    items.extend(purpose);
    items.extend(outcome);
    items.push(activities);
    items.extend([border, dimensions]);
    page::<Actions>(form, b, (["Nueva acción internacional", "New international action"], "action"), items, Vec::new())
}

fn agreement_form(form: &FormInput<'_, AgreementValues>) -> SubnationalFormPage {
    let (v, lang, mode) = (form.values, form.ctx.lang, form.mode);
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut b = Builder::new(form.problems, lang);
    let key = key_field(&mut b, &v.key, mode, "acuerdo-chiapas-peten-2012");
    let title = texts(
        &mut b,
        "title",
        [l("Título (español)", "Title (Spanish)"), l("Título (inglés)", "Title (English)")],
        &v.title,
        true,
    );
    let group_errors = b.group("parties", l("Partes", "Parties"));
    let rows = v.parties.len().saturating_add(1).max(2);
    let mut items = vec![Item::input("text", key)];
    items.extend(title);
    for i in 0..rows {
        let value = v.parties.get(i).cloned().unwrap_or_default();
        let label = format!("{} {}", l("Parte", "Party"), i.saturating_add(1));
        let mut party = b.select(&format!("parties[{i}]"), &label, &value, organisations(form.views, lang));
        party.field.name = "parties".to_owned();
        party.field.required = i < 2;
        items.push(Item::select(party));
    }
    let signed = b.required("signed", l("Firmado", "Signed"), &v.signed);
    let valid_until = b.field("valid_until", l("Vigente hasta", "Valid until"), &v.valid_until);
    let scope = texts(
        &mut b,
        "scope",
        [l("Alcance (español)", "Scope (Spanish)"), l("Alcance (inglés)", "Scope (English)")],
        &v.scope,
        false,
    );
    let registration = b.field(
        "registration_number",
        l("Número de registro (SRE)", "Registration number (SRE)"),
        &v.registration_number,
    );
    let activities = activities_item(&mut b, &v.activities);
    b.rest();
    items.extend([Item::input("date", signed), Item::input("date", valid_until)]);
    items.extend(scope);
    items.extend([Item::input("text", registration), activities]);
    page::<Agreements>(
        form,
        b,
        (["Nuevo acuerdo interinstitucional", "New inter-institutional agreement"], "agreement"),
        items,
        group_errors,
    )
}

fn membership_form(form: &FormInput<'_, MembershipValues>) -> SubnationalFormPage {
    let (v, lang, mode) = (form.values, form.ctx.lang, form.mode);
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let mut b = Builder::new(form.problems, lang);
    let key = key_field(&mut b, &v.key, mode, "amaie-chiapas");
    let mut network = b.select("network", l("Red", "Network"), &v.network, organisations(form.views, lang));
    network.field.required = true;
    let mut member = b.select("member", l("Miembro", "Member"), &v.member, organisations(form.views, lang));
    member.field.required = true;
    let since = b.field("since", l("Desde", "Since"), &v.since);
    let until = b.field("until", l("Hasta", "Until"), &v.until);
    let role = b.field("role", l("Papel en la red", "Role in the network"), &v.role);
    b.rest();
    let items = vec![
        Item::input("text", key),
        Item::select(network),
        Item::select(member),
        Item::input("date", since),
        Item::input("date", until),
        Item::input("text", role),
    ];
    page::<Memberships>(
        form,
        b,
        (["Nueva membresía de red", "New network membership"], "membership"),
        items,
        Vec::new(),
    )
}
