//! The pages' templates (`templates/*.html`, compiled in by askama, escaped by default) and
//! the small view types they are filled with. Handlers build these from domain values; the
//! templates only lay them out.

use askama::Template;
use axum::http::{StatusCode, Uri};
use axum::response::Html;
use coopera_domain::Lang;

use crate::error::WebError;
use crate::locale::{Ctx, switch_url};
use crate::state::{AppState, Banner};

/// What every page shows around its content.
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    pub lang: Lang,
    pub title: String,
    /// Which entry of the navigation is current: `dashboard`, `activities`, `organisations`.
    pub nav: &'static str,
    pub switch_url: String,
    pub switch_lang: &'static str,
    pub switch_label: &'static str,
    pub demo: bool,
    pub notice: Option<String>,
    pub version: &'static str,
    /// The signed-in account, as the header shows it (`ana · Editor · Chiapas`).
    pub account: Option<String>,
    /// The session's anti-forgery token, for the forms of the page (empty for the public).
    pub csrf: String,
    /// The address of this page, for the sign-in link to come back to.
    pub here: String,
}

impl Chrome {
    pub fn new(ctx: &Ctx, state: &AppState, title: impl Into<String>, nav: &'static str) -> Chrome {
        let mut c = Chrome::build(ctx.lang, &ctx.uri, title.into(), nav, state.options().banner == Banner::Demo);
        if let coopera_domain::access::Actor::Account { name, role, scope } = &ctx.viewer.actor {
            c.account = Some(format!("{name} · {}", crate::auth::describe(*role, scope, ctx.lang)));
        }
        c.csrf = ctx.viewer.csrf.clone().unwrap_or_default();
        c
    }

    fn build(lang: Lang, uri: &Uri, title: String, nav: &'static str, demo: bool) -> Chrome {
        let other = if lang == Lang::Es { Lang::En } else { Lang::Es };
        Chrome {
            lang,
            title,
            nav,
            switch_url: switch_url(uri, other),
            switch_lang: other.code(),
            switch_label: if other == Lang::En { "English" } else { "Español" },
            demo,
            notice: None,
            version: crate::assets::version(),
            account: None,
            csrf: String::new(),
            here: uri.path_and_query().map_or_else(|| "/".to_owned(), |p| crate::selection::encode(p.as_str())),
        }
    }
}

/// Renders a template into a response body.
pub(crate) fn html(t: &impl Template) -> Result<Html<String>, WebError> {
    t.render().map(Html).map_err(|e| WebError::internal(format!("template: {e}")))
}

/// A form field: its name is the field path problems use (`sectors[0].code`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Field {
    pub name: String,
    pub id: String,
    pub label: String,
    pub value: String,
    pub errors: Vec<String>,
    pub hint: Option<String>,
    /// The id of a `<datalist>` offering values.
    pub list: Option<&'static str>,
    pub required: bool,
    pub required_text: &'static str,
    pub readonly: bool,
    /// Extra attributes, written as they are (constant strings only).
    pub extra: Option<&'static str>,
}

/// The HTML id of a field path: `sectors[0].code` → `f-sectors-0-code`.
/// A record's name in a list, with its workflow state when it is not published yet (only an
/// account that may read it sees it there): `Misión comercial (Borrador)`.
pub(crate) fn with_state(text: &str, workflow: coopera_domain::kinds::WorkflowState, lang: Lang) -> String {
    match workflow {
        coopera_domain::kinds::WorkflowState::Published => text.to_owned(),
        other => format!("{text} ({})", other.label(lang)),
    }
}

pub(crate) fn field_id(name: &str) -> String {
    let mut id = String::from("f-");
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}

/// An option of a select.
#[derive(Debug, Clone)]
pub(crate) struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Opt {
        Opt { value: value.into(), label: label.into(), selected }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct SelectField {
    pub field: Field,
    pub options: Vec<Opt>,
}

/// A select of the filter bar.
#[derive(Debug, Clone)]
pub(crate) struct FilterSelect {
    pub name: &'static str,
    pub label: String,
    pub options: Vec<Opt>,
}

#[derive(Debug, Clone)]
pub(crate) struct FilterBar {
    pub action: &'static str,
    pub search: bool,
    pub q: String,
    /// The filters always in view: what most questions start with.
    pub selects: Vec<FilterSelect>,
    /// The others, folded under "more filters" (open when one of them is set).
    pub more: Vec<FilterSelect>,
    pub more_open: bool,
    pub hidden: Vec<(String, String)>,
    pub active: bool,
    pub clear_url: String,
    /// What the figures count: published records, or also unpublished ones.
    pub records_note: &'static str,
    /// For an account: the link that switches between published records and its scope.
    pub view_switch: Option<(String, String)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub text: String,
    pub numeric: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub numeric: bool,
    pub external: bool,
    /// Several links (text, address) after the text, separated by commas: the activities an
    /// action is linked to.
    pub links: Vec<(String, String)>,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), ..Cell::default() }
    }

    pub fn num(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), numeric: true, ..Cell::default() }
    }

    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Cell {
        Cell { text: text.into(), href: Some(href.into()), ..Cell::default() }
    }

    pub fn links(links: Vec<(String, String)>) -> Cell {
        Cell { links, ..Cell::default() }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct TableView {
    pub caption: Option<String>,
    pub headers: Vec<Header>,
    pub rows: Vec<Vec<Cell>>,
    pub footer: Option<Vec<Cell>>,
}

impl TableView {
    /// `headers`: (text, numeric).
    pub fn new(headers: &[(&str, bool)]) -> TableView {
        TableView {
            caption: None,
            headers: headers.iter().map(|(t, n)| Header { text: (*t).to_owned(), numeric: *n }).collect(),
            rows: Vec::new(),
            footer: None,
        }
    }
}

/// A section of a record's page: facts (label, value, link), paragraphs and tables.
#[derive(Debug, Clone, Default)]
pub(crate) struct Section {
    pub id: &'static str,
    pub title: String,
    pub facts: Vec<(String, String, Option<String>)>,
    pub paragraphs: Vec<String>,
    pub tables: Vec<TableView>,
}

impl Section {
    pub fn new(id: &'static str, title: &str) -> Section {
        Section { id, title: title.to_owned(), ..Section::default() }
    }

    /// Adds a fact unless its value is empty.
    pub fn fact(&mut self, label: &str, value: impl Into<String>) {
        let value = value.into();
        if !value.trim().is_empty() {
            self.facts.push((label.to_owned(), value, None));
        }
    }

    pub fn fact_link(&mut self, label: &str, value: impl Into<String>, href: impl Into<String>) {
        self.facts.push((label.to_owned(), value.into(), Some(href.into())));
    }

    pub fn paragraph(&mut self, text: &str) {
        if !text.trim().is_empty() {
            self.paragraphs.push(text.to_owned());
        }
    }

    pub fn table(&mut self, t: TableView) {
        if !t.rows.is_empty() {
            self.tables.push(t);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.facts.is_empty() && self.paragraphs.is_empty() && self.tables.is_empty()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Card {
    pub label: String,
    pub value: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct ChartBlock {
    pub id: &'static str,
    pub title: String,
    pub svg: String,
    pub note: Option<String>,
    pub table: TableView,
    pub csv: String,
    pub xlsx: String,
    pub json: String,
    /// Maps take the whole width.
    pub wide: bool,
}

/// A map drawn on a record's page, with its heading and a note.
#[derive(Debug, Clone)]
pub(crate) struct MapBlock {
    pub title: String,
    pub svg: String,
    pub note: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Pager {
    pub pages: usize,
    pub text: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    pub c: Chrome,
    pub heading: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub(crate) struct DashboardPage {
    pub c: Chrome,
    pub f: FilterBar,
    pub lead: String,
    pub cards: Vec<Card>,
    pub list_url: String,
    pub xlsx_all: String,
    pub blocks: Vec<ChartBlock>,
    /// The Mexico map of the states' international action, by the measure chosen.
    pub states_map: crate::handlers::states_compare::StatesMap,
    /// The selection and measure of the page, kept by the map's form.
    pub hidden: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "activities.html")]
pub(crate) struct ActivitiesPage {
    pub c: Chrome,
    pub f: FilterBar,
    pub count_text: String,
    pub csv: String,
    pub xlsx: String,
    pub iati: String,
    pub json: String,
    pub table: TableView,
    pub pager: Pager,
    /// What the amounts are, when the selection narrows them to a part of each activity.
    pub value_note: Option<String>,
}

#[derive(Template)]
#[template(path = "record.html")]
pub(crate) struct RecordPage {
    pub c: Chrome,
    pub back_url: String,
    pub back_label: String,
    pub heading: String,
    /// Shown only to who may edit (the server checks again on the form).
    pub edit_url: Option<String>,
    pub badges: Vec<String>,
    pub links: Vec<(String, String)>,
    /// The record's validation workflow, for an activity.
    pub workflow: Option<WorkflowPanel>,
    pub sections: Vec<Section>,
    /// A map after the sections (a state's destinations abroad).
    pub map: Option<MapBlock>,
}

/// Where a record stands in the workflow, the steps the viewer may take, and who took the
/// steps so far.
#[derive(Debug, Clone)]
pub(crate) struct WorkflowPanel {
    pub state: String,
    pub note: Option<String>,
    pub steps: Vec<StepForm>,
    pub version: String,
    pub action: String,
    pub history: Option<TableView>,
}

/// A button that moves the record one step (with a reason when back to draft).
#[derive(Debug, Clone)]
pub(crate) struct StepForm {
    pub to: &'static str,
    pub label: String,
    pub reason: Option<String>,
}

#[derive(Template)]
#[template(path = "organisations.html")]
pub(crate) struct OrganisationsPage {
    pub c: Chrome,
    pub q: String,
    pub count_text: String,
    pub table: TableView,
}

/// A good practice in the showcase.
#[derive(Debug, Clone)]
pub(crate) struct PracticeCard {
    pub title: String,
    pub href: String,
    /// The organisations that carried it out: (name, page).
    pub who: Vec<(String, String)>,
    pub levels: Vec<String>,
    pub place: String,
    pub themes: String,
    pub forms: String,
    /// The start of its results.
    pub results: String,
}

#[derive(Template)]
#[template(path = "practices.html")]
pub(crate) struct PracticesPage {
    pub c: Chrome,
    pub lead: String,
    pub q: String,
    pub selects: Vec<FilterSelect>,
    /// Whether a filter or words narrow the showcase.
    pub active: bool,
    pub count: String,
    pub cards: Vec<PracticeCard>,
}

#[derive(Template)]
#[template(path = "states.html")]
pub(crate) struct StatesPage {
    pub c: Chrome,
    pub lead: String,
    pub table: TableView,
}

/// An error page; the layer that renders errors calls it without a handler's state.
pub(crate) fn error_page(lang: Lang, path: &str, status: StatusCode, message: &str) -> String {
    let uri: Uri = path.parse().unwrap_or_else(|_| Uri::from_static("/"));
    let heading = match status {
        StatusCode::NOT_FOUND => lang.pick("No encontrado", "Not found"),
        s if s.is_server_error() => lang.pick("Error del servidor", "Server error"),
        _ => lang.pick("Solicitud no válida", "Invalid request"),
    };
    let page = ErrorPage {
        c: Chrome::build(lang, &uri, heading.to_owned(), "", false),
        heading: heading.to_owned(),
        message: message.to_owned(),
    };
    page.render().unwrap_or_else(|_| format!("<!doctype html><title>{status}</title><p>{status}</p>"))
}

/// A short form of the account pages (sign in, change password, first administrator).
#[derive(Debug, Clone)]
pub(crate) struct SmallForm {
    pub action: String,
    pub fields: Vec<SmallField>,
    pub hidden: Vec<(String, String)>,
    pub submit: String,
    /// A form whose button does something hard to undo (sign out everywhere).
    pub secondary: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct SmallField {
    pub name: &'static str,
    pub label: String,
    /// `text` or `password`.
    pub kind: &'static str,
    pub value: String,
    /// The `autocomplete` hint: `username`, `current-password`, `new-password`.
    pub autocomplete: &'static str,
}

#[derive(Template)]
#[template(path = "account.html")]
pub(crate) struct AccountPage {
    pub c: Chrome,
    pub heading: String,
    pub intro: Option<String>,
    pub error: Option<String>,
    pub facts: Vec<(String, String)>,
    pub forms: Vec<SmallForm>,
}
