//! Records from a spreadsheet, on the web: the template to fill in and the upload, a plain
//! multipart form that needs no script, for each book of `coopera_import::sheets` ([`Bulk`]):
//! capacities and demands (`/catalog/template.xlsx`, `/catalog/import`), and the actions,
//! agreements and memberships of states and municipalities (`/states/template.xlsx`,
//! `/states/import`). The spreadsheet goes through `coopera_import::sheets` — read, references
//! checked, written in one batch, refusals placed — exactly as `coopera catalog add` does; the
//! web adds what the command line does not ask: who may write each row, which the forms'
//! rules decide ([`Kind`]), each refusal placed at its row beside the cells' problems.
//!
//! The anti-forgery token travels in the multipart body like any form's field, and
//! `auth::resolve` checks it before the upload is read here; the body may be at most
//! [`UPLOAD_LIMIT`] bytes, and a larger one is refused there with a message that says so.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use coopera_domain::Lang;
use coopera_import::sheets::{self, AddOptions, Added, Book, Placed, SheetRecords};
use coopera_store::{Existing, Outcome, Record, Store};

use super::activity_form::AUTHOR;
use super::catalog::capacity_url;
use super::catalog_form::{Capacities, Demands, Kind, Mode, allow_capacity_as_saved};
use super::demands::demand_url;
use super::subnational_form::{self, Actions, Agreements, Memberships, action_url, agreement_url, membership_url};
use crate::auth::Viewer;
use crate::downloads::{XLSX, attachment};
use crate::error::WebError;
use crate::guard;
use crate::locale::Ctx;
use crate::selection::with_query;
use crate::state::{AppState, Written};
use crate::views::{Cell, Chrome, TableView, html};

/// The upload's page and the address its form posts to.
pub(crate) const IMPORT: &str = "/catalog/import";
/// The template's address.
pub(crate) const TEMPLATE: &str = "/catalog/template.xlsx";

/// A book of records that is uploaded from its own page, with its own template.
#[derive(Debug)]
pub(crate) struct Bulk {
    pub book: Book,
    /// The upload's page and the address its form posts to.
    pub import: &'static str,
    pub template: &'static str,
    /// The page's heading, in Spanish and English.
    pub heading: [&'static str; 2],
    /// What the file holds, in Spanish and English.
    pub lead: [&'static str; 2],
    /// The page it belongs to: its address, its name in Spanish and English, its entry of the
    /// navigation.
    pub back: (&'static str, [&'static str; 2], &'static str),
    /// The template's file name, in Spanish and English.
    pub file: [&'static str; 2],
}

/// Capacities and demands.
pub(crate) const CATALOG: Bulk = Bulk {
    book: Book::Catalog,
    import: IMPORT,
    template: TEMPLATE,
    heading: ["Importar capacidades y solicitudes", "Import capacities and demands"],
    lead: [
        "Suba una hoja de cálculo con muchas capacidades o solicitudes a la vez: un archivo CSV (de un solo tipo) o un libro XLSX con una hoja «capacidades» y una hoja «demandas».",
        "Upload a spreadsheet with many capacities or demands at once: a CSV file (of one kind) or an XLSX workbook with a sheet “capacities” and a sheet “demands”.",
    ],
    back: ("/catalog", ["← Catálogo", "← Catalog"], "catalog"),
    file: ["plantilla-catalogo.xlsx", "catalog-template.xlsx"],
};

/// The actions abroad, agreements and memberships of states and municipalities.
pub(crate) const STATES: Bulk = Bulk {
    book: Book::Subnational,
    import: subnational_form::IMPORT,
    template: "/states/template.xlsx",
    heading: ["Importar acciones, acuerdos y membresías", "Import actions, agreements and memberships"],
    lead: [
        "Suba una hoja de cálculo con muchas acciones internacionales, acuerdos interinstitucionales o membresías de redes de estados y municipios a la vez: un archivo CSV (de un solo tipo) o un libro XLSX con sus hojas.",
        "Upload a spreadsheet with many international actions, inter-institutional agreements or network memberships of states and municipalities at once: a CSV file (of one kind) or an XLSX workbook with their sheets.",
    ],
    back: ("/states", ["← Estados y municipios", "← States and municipalities"], "states"),
    file: ["plantilla-estados.xlsx", "states-template.xlsx"],
};
/// The largest upload's body: a spreadsheet of some thousands of rows.
pub(crate) const UPLOAD_LIMIT: usize = 4 * 1024 * 1024;

/// The links to the template and the upload, for the catalog's pages of those who may add.
pub(crate) fn links(lang: Lang) -> [(String, String); 2] {
    CATALOG.links(lang)
}

impl Bulk {
    /// The template's address in `lang`.
    pub(crate) fn template_url(&self, lang: Lang) -> String {
        with_query(self.template, &[("lang", lang.code().to_owned())])
    }

    /// The links to the template and the upload, for the pages of those who may add.
    pub(crate) fn links(&self, lang: Lang) -> [(String, String); 2] {
        [
            (
                lang.pick("Importar desde una hoja de cálculo", "Import from a spreadsheet").to_owned(),
                self.import.to_owned(),
            ),
            (
                lang.pick("Plantilla de hoja de cálculo (XLSX)", "Spreadsheet template (XLSX)").to_owned(),
                self.template_url(lang),
            ),
        ]
    }
}

/// What a body past [`UPLOAD_LIMIT`] is told, in both languages.
pub(crate) fn too_large() -> (String, String) {
    let mib = UPLOAD_LIMIT / (1024 * 1024);
    (
        format!(
            "el archivo pasa del límite de {mib} MiB: divídalo en varios archivos más pequeños e impórtelos uno a uno; no se guardó nada"
        ),
        format!(
            "the file is larger than the {mib} MiB limit: split it into smaller files and import them one by one; nothing was saved"
        ),
    )
}

/// `GET /catalog/template.xlsx`, `GET /states/template.xlsx`: the workbook to fill in, in the
/// page's language.
pub(crate) async fn template<B: BulkKind>(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let (lang, bulk) = (ctx.lang, B::BULK);
    let bytes = state
        .compute(move |_| sheets::template(bulk.book, lang).map_err(|e| WebError::internal(format!("template: {e}"))))
        .await?;
    Ok(attachment(bytes, XLSX, lang.pick(bulk.file[0], bulk.file[1])))
}

/// Which [`Bulk`] a handler serves.
pub(crate) trait BulkKind: Send + Sync + 'static {
    const BULK: &'static Bulk;
}

/// The catalog's upload.
pub(crate) struct CatalogBook;

impl BulkKind for CatalogBook {
    const BULK: &'static Bulk = &CATALOG;
}

/// The states' upload.
pub(crate) struct StatesBook;

impl BulkKind for StatesBook {
    const BULK: &'static Bulk = &STATES;
}

/// `GET /catalog/import`, `GET /states/import`: the upload's form, for those who may add
/// records.
pub(crate) async fn form<B: BulkKind>(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    guard::may_create(&ctx.viewer, B::BULK.import)?;
    html(&ImportPage::new(&state, &ctx, B::BULK, Answer::Form, false))
}

/// `POST /catalog/import`, `POST /states/import`: reads the uploaded file and adds it whole,
/// or shows the form again with every problem placed; nothing is written then.
pub(crate) async fn upload<B: BulkKind>(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let bulk = B::BULK;
    guard::may_create(&ctx.viewer, bulk.import)?;
    let upload = match multipart {
        Ok(m) => Upload::read(m).await.map_err(unreadable)?,
        Err(e) => return Err(unreadable(e)),
    };
    let update = upload.update;
    let answer = match upload.file(ctx.lang) {
        Err(problem) => Answer::Refused { file: upload.name, problems: vec![problem] },
        Ok(()) => {
            let (viewer, lang) = (ctx.viewer.clone(), ctx.lang);
            state.write(move |store| import(store, &viewer, &upload, (bulk, lang))).await?
        }
    };
    let status = match answer {
        Answer::Refused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    Ok((status, html(&ImportPage::new(&state, &ctx, bulk, answer, update))?).into_response())
}

fn unreadable(e: impl std::fmt::Display) -> WebError {
    WebError::malformed(
        format!("no se pudo leer el archivo enviado ({e}); envíelo con el formulario de importación"),
        format!("the file sent could not be read ({e}); send it with the import form"),
    )
}

/// What the form sent.
#[derive(Debug, Default)]
struct Upload {
    /// The file's name as the browser gives it, without folders.
    name: String,
    bytes: Bytes,
    /// Whether records stored under the same key are replaced (`catalog add --update`).
    update: bool,
}

impl Upload {
    async fn read(mut multipart: Multipart) -> Result<Upload, MultipartError> {
        let mut upload = Upload::default();
        while let Some(field) = multipart.next_field().await? {
            match field.name() {
                Some("file") => {
                    let name = field.file_name().unwrap_or_default();
                    upload.name = name.rsplit(['/', '\\']).next().unwrap_or_default().trim().to_owned();
                    upload.bytes = field.bytes().await?;
                }
                Some("update") => upload.update = !field.text().await?.is_empty(),
                _ => {}
            }
        }
        Ok(upload)
    }

    /// Whether there is a file, of a kind the import reads: what to tell the user otherwise.
    fn file(&self, lang: Lang) -> Result<(), String> {
        let name = &self.name;
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
        if name.is_empty() && self.bytes.is_empty() {
            return Err(lang
                .pick(
                    "no se envió ningún archivo: elija un archivo .csv o .xlsx",
                    "no file was sent: choose a .csv or .xlsx file",
                )
                .to_owned());
        }
        if !matches!(ext.as_str(), "csv" | "xlsx") {
            return Err(match lang {
                Lang::Es => format!(
                    "«{name}» no es un archivo .csv ni .xlsx: guarde la hoja de cálculo en uno de esos formatos (la plantilla es .xlsx)"
                ),
                Lang::En => format!(
                    "`{name}` is not a .csv or .xlsx file: save the spreadsheet in one of those formats (the template is .xlsx)"
                ),
            });
        }
        if self.bytes.is_empty() {
            return Err(match lang {
                Lang::Es => format!("el archivo «{name}» está vacío"),
                Lang::En => format!("the file `{name}` is empty"),
            });
        }
        Ok(())
    }
}

/// What the page shows: the form alone, the records added, or the problems of a file.
#[derive(Debug)]
enum Answer {
    Form,
    Added { file: String, rows: Vec<AddedRow> },
    Refused { file: String, problems: Vec<String> },
}

/// A record the spreadsheet added, updated or left as it was.
#[derive(Debug)]
struct AddedRow {
    record: Record,
    outcome: Outcome,
}

/// Reads the spreadsheet, asks who may write each row, and adds it through the import's one
/// path; refused, its problems in the user's language.
fn import(
    store: &Store,
    viewer: &Viewer,
    upload: &Upload,
    (bulk, lang): (&Bulk, Lang),
) -> Result<Written<Answer>, WebError> {
    let file = upload.name.clone();
    let mut read = sheets::read(&upload.name, &upload.bytes, bulk.book);
    refusals(store, viewer, &mut read)?;
    if read.problems.is_empty() && read.records.is_empty() {
        let (es, en) =
            ("el archivo no tiene filas que importar".to_owned(), "the file has no rows to import".to_owned());
        read.problems.push(Placed::whole("", 0, es, en));
    }
    let how = AddOptions {
        author: viewer.name().unwrap_or(AUTHOR),
        existing: if upload.update { Existing::Update } else { Existing::Refuse },
        address: Some(viewer.address.clone()),
        // New records are drafts to be submitted, validated and published on their pages.
        workflow: coopera_domain::kinds::WorkflowState::Draft,
    };
    Ok(match sheets::add(store, &read, &how)? {
        Added::Written(summary) => {
            let changed = summary.changed_anything();
            let rows = read
                .records
                .into_iter()
                .zip(summary.outcomes)
                .map(|((record, ..), outcome)| AddedRow { record, outcome })
                .collect();
            let answer = Answer::Added { file, rows };
            if changed { Written::changed(answer) } else { Written::unchanged(answer) }
        }
        Added::Refused(problems) => {
            let problems = problems.iter().map(|p| placed(p, &file, lang)).collect();
            Written::unchanged(Answer::Refused { file, problems })
        }
    })
}

/// A problem as the page lists it: at its sheet, row and column; one of a whole sheet (row
/// 0) at the sheet only, and one of the whole file at nothing.
fn placed(p: &Placed, file: &str, lang: Lang) -> String {
    let message = lang.pick(&p.message_es, &p.message_en);
    match (p.row, p.sheet.as_str()) {
        (0, "") => message.to_owned(),
        (0, sheet) if sheet == file => message.to_owned(),
        (0, sheet) => format!("{} «{sheet}»: {message}", lang.pick("hoja", "sheet")),
        _ => p.message(lang),
    }
}

/// Adds to the spreadsheet's problems the rows the viewer may not write, each at its row.
fn refusals(store: &Store, viewer: &Viewer, read: &mut SheetRecords) -> Result<(), WebError> {
    let mut refused = Vec::new();
    for (record, sheet, row) in &read.records {
        match may_write(store, viewer, record) {
            Ok(()) => {}
            Err(WebError::Forbidden { reason_es, reason_en }) => {
                refused.push(Placed::whole(sheet, *row, reason_es, reason_en));
            }
            Err(e) => return Err(e),
        }
    }
    read.problems.extend(refused);
    Ok(())
}

/// Whether the viewer may write a record of the spreadsheet, as the forms decide: an edit of
/// the record stored under its key, else a new one.
fn may_write(store: &Store, viewer: &Viewer, record: &Record) -> Result<(), WebError> {
    match record {
        Record::Capacity(capacity) => {
            let key = capacity.parts().key.as_str();
            let mode = match store.capacity(key)? {
                Some(_) => {
                    Capacities::editable(store, viewer, key, IMPORT)?;
                    Mode::Edit(key.to_owned())
                }
                None => Mode::Create,
            };
            allow_capacity_as_saved(store, viewer, capacity, &mode, IMPORT)
        }
        Record::Demand(demand) => {
            let key = demand.parts().key.as_str();
            match store.demand(key)? {
                Some(_) => Demands::editable(store, viewer, key, IMPORT).map(drop),
                None => Demands::may_create(viewer, IMPORT),
            }
        }
        Record::Action(_) => may_write_subnational::<Actions>(store, viewer, record),
        Record::Agreement(_) => may_write_subnational::<Agreements>(store, viewer, record),
        Record::Membership(_) => may_write_subnational::<Memberships>(store, viewer, record),
        // The books read no other records.
        _ => Ok(()),
    }
}

/// Whether the viewer may write an action, an agreement or a membership of the spreadsheet:
/// the record stored under its key, if any, and the record as it would be are in its scope.
/// A row naming an organisation that does not exist is refused at that cell already: its scope
/// is not asked.
fn may_write_subnational<K: Kind>(store: &Store, viewer: &Viewer, record: &Record) -> Result<(), WebError> {
    for owner in guard::owners(record) {
        if store.organisation(owner.as_str())?.is_none() {
            return Ok(());
        }
    }
    let key = record.key();
    let mode = match store.version(K::RECORD, &key)? {
        Some(_) => {
            K::editable(store, viewer, &key, IMPORT)?;
            Mode::Edit(key)
        }
        None => Mode::Create,
    };
    subnational_form::allow_as_saved(store, viewer, record, &mode, IMPORT)
}

// ---------------------------------------------------------------------------------------------
// The page

#[derive(Template)]
#[template(path = "catalog_import.html")]
pub(crate) struct ImportPage {
    pub c: Chrome,
    pub template_url: String,
    /// What the file holds.
    pub lead: &'static str,
    /// Where the form posts.
    pub action: &'static str,
    /// The page it belongs to: address and name.
    pub back: (&'static str, &'static str),
    /// The size limit, as the file field's hint says it.
    pub limit: String,
    /// The problems of the file sent, and what they are about.
    pub refused: Option<(String, Vec<String>)>,
    pub added: Option<AddedView>,
    /// Whether "update records already stored" stays ticked.
    pub update: bool,
}

/// What a spreadsheet added: a sentence, the records, and where to go next.
#[derive(Debug)]
pub(crate) struct AddedView {
    pub summary: String,
    pub table: TableView,
    pub next: Vec<(String, String)>,
}

impl ImportPage {
    fn new(state: &AppState, ctx: &Ctx, bulk: &Bulk, answer: Answer, update: bool) -> ImportPage {
        let lang = ctx.lang;
        let heading = lang.pick(bulk.heading[0], bulk.heading[1]);
        let (back, names, nav) = bulk.back;
        let mut page = ImportPage {
            c: Chrome::new(ctx, state, heading, nav),
            template_url: bulk.template_url(lang),
            lead: lang.pick(bulk.lead[0], bulk.lead[1]),
            action: bulk.import,
            back: (back, lang.pick(names[0], names[1])),
            limit: match lang {
                Lang::Es => format!("Hasta {} MiB.", UPLOAD_LIMIT / (1024 * 1024)),
                Lang::En => format!("Up to {} MiB.", UPLOAD_LIMIT / (1024 * 1024)),
            },
            refused: None,
            added: None,
            update,
        };
        match answer {
            Answer::Form => {}
            Answer::Refused { file, problems } => {
                let n = problems.len();
                let title = match (lang, file.is_empty()) {
                    (Lang::Es, true) => "No se importó nada".to_owned(),
                    (Lang::En, true) => "Nothing was imported".to_owned(),
                    (Lang::Es, false) => format!("{file}: {n} problema(s); no se guardó nada"),
                    (Lang::En, false) => format!("{file}: {n} problem(s); nothing was saved"),
                };
                page.refused = Some((title, problems));
            }
            Answer::Added { file, rows } => page.added = Some(added(&file, &rows, &ctx.viewer, (bulk, lang))),
        }
        page
    }
}

/// A record's kind, its title, key and page, as the table of what was added shows it.
fn row_of(record: &Record, lang: Lang) -> Option<(RecordKindName, String, String, String)> {
    let key = record.key();
    Some(match record {
        Record::Capacity(c) => (CAPACITY, c.parts().title.best(lang).to_owned(), capacity_url(&key), key),
        Record::Demand(d) => (DEMAND, d.parts().title.best(lang).to_owned(), demand_url(&key), key),
        Record::Action(a) => (ACTION, a.parts().purpose.best(lang).to_owned(), action_url(&key), key),
        Record::Agreement(a) => (AGREEMENT, a.parts().title.best(lang).to_owned(), agreement_url(&key), key),
        Record::Membership(_) => (MEMBERSHIP, key.clone(), membership_url(&key), key),
        _ => return None,
    })
}

/// A kind of record as the page names it: one, and many (Spanish, English), and the ending
/// of a Spanish participle that agrees with it.
type RecordKindName = [&'static str; 5];
const CAPACITY: RecordKindName = ["Capacidad", "Capacity", "capacidades", "capacities", "a"];
const DEMAND: RecordKindName = ["Solicitud", "Demand", "solicitudes", "demands", "a"];
const ACTION: RecordKindName = ["Acción", "Action", "acciones", "actions", "a"];
const AGREEMENT: RecordKindName = ["Acuerdo", "Agreement", "acuerdos", "agreements", "o"];
const MEMBERSHIP: RecordKindName = ["Membresía", "Membership", "membresías", "memberships", "a"];

/// The sentence of a spreadsheet added: per kind of record, how many were created, updated
/// or left as they were.
fn tally(rows: &[AddedRow], lang: Lang) -> Vec<String> {
    let mut parts = Vec::new();
    for kind in [CAPACITY, DEMAND, ACTION, AGREEMENT, MEMBERSHIP] {
        let of_kind: Vec<&AddedRow> =
            rows.iter().filter(|r| row_of(&r.record, lang).is_some_and(|o| o.0 == kind)).collect();
        if of_kind.is_empty() {
            continue;
        }
        let [c, u, n] = [Outcome::Created, Outcome::Updated, Outcome::Unchanged]
            .map(|o| of_kind.iter().filter(|r| r.outcome == o).count());
        parts.push(match lang {
            Lang::Es => format!("{}: {c} cread{e}(s), {u} actualizad{e}(s), {n} sin cambios", kind[2], e = kind[4]),
            Lang::En => format!("{}: {c} created, {u} updated, {n} unchanged", kind[3]),
        });
    }
    parts
}

/// The sentence, the table and the links of a spreadsheet added.
fn added(file: &str, rows: &[AddedRow], viewer: &Viewer, (bulk, lang): (&Bulk, Lang)) -> AddedView {
    let mut summary = format!("{file}: {}", tally(rows, lang).join("; "));
    let drafts = rows.iter().any(|r| r.outcome == Outcome::Created && r.record.workflow().is_some());
    if drafts {
        summary.push_str(lang.pick(
            ". Los registros nuevos quedan como borrador: cada uno se envía a validación desde su página.",
            ". New records are drafts: each is submitted for validation from its page.",
        ));
    }
    let mut table = TableView::new(&[
        (lang.pick("Registro", "Record"), false),
        (lang.pick("Clave", "Key"), false),
        (lang.pick("Resultado", "Outcome"), false),
    ]);
    for r in rows {
        let Some((kind, title, url, key)) = row_of(&r.record, lang) else { continue };
        let outcome = match (r.outcome, lang) {
            (Outcome::Created, Lang::Es) => format!("cread{}", kind[4]),
            (Outcome::Updated, Lang::Es) => format!("actualizad{}", kind[4]),
            (Outcome::Unchanged, Lang::Es) => "sin cambios".to_owned(),
            (Outcome::Created, Lang::En) => "created".to_owned(),
            (Outcome::Updated, Lang::En) => "updated".to_owned(),
            (Outcome::Unchanged, Lang::En) => "unchanged".to_owned(),
        };
        let kind = lang.pick(kind[0], kind[1]);
        table.rows.push(vec![Cell::link(title, url), Cell::text(format!("{kind} · {key}")), Cell::text(outcome)]);
    }
    let (back, _, _) = bulk.back;
    let see = match bulk.book {
        Book::Catalog => lang.pick("Ver el catálogo", "See the catalog"),
        _ => lang.pick("Ver los estados y municipios", "See the states and municipalities"),
    };
    let mut next = vec![(see.to_owned(), back.to_owned())];
    let has_demands = rows.iter().any(|r| matches!(r.record, Record::Demand(_)));
    if has_demands && viewer.actor.is_signed_in() {
        next.push((lang.pick("Ver las solicitudes", "See the demands").to_owned(), "/catalog/demands".to_owned()));
    }
    next.push((lang.pick("Importar otro archivo", "Import another file").to_owned(), bulk.import.to_owned()));
    AddedView { summary, table, next }
}
