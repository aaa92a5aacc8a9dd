//! Records from spreadsheets: a CSV file (one kind per file, told apart by its header) or an
//! XLSX workbook (one sheet per kind, named in Spanish or English). A [`Book`] says which kinds
//! a door takes: the catalog's capacities and demands ([`CAPACITY_COLUMNS`],
//! [`DEMAND_COLUMNS`]; `capacidades`/`capacities`, `demandas`/`demands`) or the international
//! action of states and municipalities (in [`subnational`]: actions, agreements and
//! memberships). Each layout is the fields of the file format (docs/file-format.md), one row
//! per record, lists separated by `;`, a sector's percentage after a colon (`41020:60`).
//!
//! Reading never writes: [`read`] turns the rows into records and places every problem at
//! its sheet, row and column ([`Placed`]); [`add`] then checks what the rows name against the
//! registry and writes the records in one batch, so a spreadsheet is taken whole or not at
//! all — the one path of `coopera catalog add`, `coopera action add` and of the web's upload.
//! [`template`] is the workbook users fill in.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use coopera_domain::Lang;
use coopera_domain::doc::{CapacityDoc, ContactDoc, DemandDoc, NumberDoc, Reference, SectorDoc, TextDoc};
use coopera_domain::kinds::WorkflowState;
use coopera_domain::problem::{Problem, Problems, Target};
use coopera_store::{AuditEvent, Existing, Record, Store, StoreError, WriteOptions, WriteSummary};

pub mod subnational;

pub use subnational::{ACTION_COLUMNS, AGREEMENT_COLUMNS, MEMBERSHIP_COLUMNS};

/// A column of the layout: its field, its Spanish header (also accepted), whether a row
/// must fill it, and what it holds in each language.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub name_es: &'static str,
    pub required: bool,
    pub help_es: &'static str,
    pub help_en: &'static str,
}

const fn col(
    name: &'static str,
    name_es: &'static str,
    required: bool,
    help_es: &'static str,
    help_en: &'static str,
) -> Column {
    Column { name, name_es, required, help_es, help_en }
}

const SECTORS_ES: &str = "Códigos DAC de 5 dígitos separados por «;», cada uno con su porcentaje tras «:» si hay varios (41020:60; 41010:40)";
const SECTORS_EN: &str = "5-digit DAC codes separated by `;`, each with its percentage after `:` when there are several (41020:60; 41010:40)";
const FORMS_ES: &str = "technical-assistance, course, internship, expert-mission o scholarship, separadas por «;»";
const FORMS_EN: &str = "technical-assistance, course, internship, expert-mission or scholarship, separated by `;`";

/// The columns of a capacities sheet, in the template's order.
pub const CAPACITY_COLUMNS: &[Column] = &[
    col(
        "key",
        "clave",
        true,
        "Clave única de la capacidad (cap-pesca-riberena)",
        "The capacity's unique key (cap-pesca-riberena)",
    ),
    col("title_es", "titulo_es", true, "Título en español", "Title in Spanish"),
    col("title_en", "titulo_en", false, "Título en inglés", "Title in English"),
    col("description_es", "descripcion_es", false, "Descripción en español", "Description in Spanish"),
    col("description_en", "descripcion_en", false, "Descripción en inglés", "Description in English"),
    col(
        "institution",
        "institucion",
        true,
        "Clave de la institución que la ofrece (conapesca)",
        "Key of the institution that offers it (conapesca)",
    ),
    col("sectors", "sectores", true, SECTORS_ES, SECTORS_EN),
    col("forms", "modalidades", true, FORMS_ES, FORMS_EN),
    col("languages", "idiomas", false, "Idiomas, separados por «;» (es; en)", "Languages, separated by `;` (es; en)"),
    col("contact_name", "contacto_nombre", false, "Persona de contacto", "Contact person"),
    col("contact_email", "contacto_correo", false, "Correo de contacto", "Contact e-mail"),
    col("contact_phone", "contacto_telefono", false, "Teléfono de contacto", "Contact telephone"),
    col(
        "evidence",
        "evidencia",
        false,
        "Identificadores de actividades que la acreditan, separados por «;»",
        "Identifiers of activities that prove it, separated by `;`",
    ),
];

/// The columns of a demands sheet, in the template's order.
pub const DEMAND_COLUMNS: &[Column] = &[
    col("key", "clave", true, "Clave única de la solicitud (sol-gt-pesca)", "The demand's unique key (sol-gt-pesca)"),
    col("title_es", "titulo_es", true, "Lo que se pide, en español", "What is asked for, in Spanish"),
    col("title_en", "titulo_en", false, "Lo que se pide, en inglés", "What is asked for, in English"),
    col("description_es", "descripcion_es", false, "Descripción en español", "Description in Spanish"),
    col("description_en", "descripcion_en", false, "Descripción en inglés", "Description in English"),
    col(
        "requester",
        "solicitante",
        true,
        "Clave de la organización que solicita",
        "Key of the requesting organisation",
    ),
    col("sectors", "sectores", true, SECTORS_ES, SECTORS_EN),
    col("forms", "modalidades", false, FORMS_ES, FORMS_EN),
    col("country", "pais", false, "País que solicita (ISO 3166-1, GT)", "Requesting country (ISO 3166-1, GT)"),
    col(
        "mx_state",
        "entidad",
        false,
        "Entidad federativa que solicita (clave INEGI, 07)",
        "Requesting Mexican state (INEGI code, 07)",
    ),
    col("received", "recibida", false, "Fecha de recepción (2026-03-15)", "Date received (2026-03-15)"),
    col("languages", "idiomas", false, "Idiomas, separados por «;»", "Languages, separated by `;`"),
    col(
        "state",
        "estado",
        false,
        "received (por omisión), answered, agreed, closed o declined",
        "received (the default), answered, agreed, closed or declined",
    ),
    col(
        "proposed",
        "propuestas",
        false,
        "Claves de las capacidades propuestas, separadas por «;»",
        "Keys of the capacities proposed, separated by `;`",
    ),
    col("activity", "actividad", false, "Identificador de la actividad acordada", "Identifier of the activity agreed"),
    col("answered", "respondida", false, "Fecha de respuesta", "Date answered"),
    col("agreed", "acordada", false, "Fecha de acuerdo", "Date agreed"),
    col("settled", "cerrada", false, "Fecha de cierre o de declinación", "Date closed or declined"),
];

/// Which kind of record a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    Capacities,
    Demands,
    Actions,
    Agreements,
    Memberships,
}

impl SheetKind {
    pub fn columns(self) -> &'static [Column] {
        match self {
            SheetKind::Capacities => CAPACITY_COLUMNS,
            SheetKind::Demands => DEMAND_COLUMNS,
            SheetKind::Actions => ACTION_COLUMNS,
            SheetKind::Agreements => AGREEMENT_COLUMNS,
            SheetKind::Memberships => MEMBERSHIP_COLUMNS,
        }
    }

    /// The sheet's name in the template, in `lang`.
    pub fn sheet_name(self, lang: Lang) -> &'static str {
        let names = self.names();
        lang.pick(names[0], names[1])
    }

    /// The names a sheet of this kind is recognised by: Spanish, English, then others.
    fn names(self) -> &'static [&'static str] {
        match self {
            SheetKind::Capacities => &["capacidades", "capacities"],
            SheetKind::Demands => &["demandas", "demands", "solicitudes"],
            SheetKind::Actions => &["acciones", "actions"],
            SheetKind::Agreements => &["acuerdos", "agreements"],
            SheetKind::Memberships => &["membresías", "memberships", "membresias"],
        }
    }

    /// The field whose column tells a CSV file of this kind apart from the others of its book.
    fn marker(self) -> &'static str {
        match self {
            SheetKind::Capacities => "institution",
            SheetKind::Demands => "requester",
            SheetKind::Actions => "actor",
            SheetKind::Agreements => "parties",
            SheetKind::Memberships => "network",
        }
    }

    /// The template's example row, one value per column.
    fn example(self) -> &'static [&'static str] {
        match self {
            SheetKind::Capacities => CAPACITY_EXAMPLE,
            SheetKind::Demands => DEMAND_EXAMPLE,
            SheetKind::Actions => subnational::ACTION_EXAMPLE,
            SheetKind::Agreements => subnational::AGREEMENT_EXAMPLE,
            SheetKind::Memberships => subnational::MEMBERSHIP_EXAMPLE,
        }
    }

    /// A row's document as a record, and the records it names.
    fn record(self, cell: &dyn Fn(&str) -> String) -> (Vec<Reference>, Result<Record, Problems>) {
        match self {
            SheetKind::Capacities => {
                let doc = capacity(cell);
                (doc.references(), doc.into_domain().map(Record::Capacity))
            }
            SheetKind::Demands => {
                let doc = demand(cell);
                (doc.references(), doc.into_domain().map(Record::Demand))
            }
            SheetKind::Actions => {
                let doc = subnational::action(cell);
                (doc.references(), doc.into_domain().map(Record::Action))
            }
            SheetKind::Agreements => {
                let doc = subnational::agreement(cell);
                (doc.references(), doc.into_domain().map(Record::Agreement))
            }
            SheetKind::Memberships => {
                let doc = subnational::membership(cell);
                (doc.references(), doc.into_domain().map(Record::Membership))
            }
        }
    }
}

/// The kinds of record one spreadsheet may hold: the catalog's (`catalog add`, the web's
/// upload) or the international action of states and municipalities (`action add`,
/// `agreement add`, `membership add`). A door reads only its own book's sheets, so the web's
/// catalog upload, which asks who may write capacities and demands, never writes an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Book {
    Catalog,
    Subnational,
}

impl Book {
    pub fn kinds(self) -> &'static [SheetKind] {
        match self {
            Book::Catalog => &[SheetKind::Capacities, SheetKind::Demands],
            Book::Subnational => &[SheetKind::Actions, SheetKind::Agreements, SheetKind::Memberships],
        }
    }

    /// The kind of a workbook's sheet, by its name in either language.
    fn of_sheet(self, name: &str) -> Option<SheetKind> {
        let name = name.trim().to_lowercase();
        self.kinds().iter().copied().find(|k| k.names().contains(&name.as_str()))
    }

    /// The kind of a CSV file (or an unnamed sheet), by the column that marks it.
    fn of_header(self, header: Option<&Vec<String>>) -> Option<SheetKind> {
        let header = header?;
        let has = |c: &Column| header.iter().any(|h| [c.name, c.name_es].contains(&h.trim().to_lowercase().as_str()));
        self.kinds().iter().copied().find(|k| k.columns().iter().any(|c| c.name == k.marker() && has(c)))
    }

    /// Each of the book's kinds as `item` says, joined: «a, b ni c».
    fn either(self, item: impl Fn(SheetKind) -> String, or: &str) -> String {
        let items: Vec<String> = self.kinds().iter().map(|&k| item(k)).collect();
        match items.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} {or} {last}", rest.join(", ")),
            _ => items.concat(),
        }
    }
}

/// Where a problem is: the sheet (the file's name for a CSV file), the spreadsheet row
/// (1 is the header) and the column, when one is to blame.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub sheet: String,
    pub row: usize,
    /// The column's letter (`F`) and header.
    pub column: Option<(String, String)>,
    pub message_es: String,
    pub message_en: String,
}

impl Placed {
    /// `hoja «capacidades», fila 5, columna F (sectors): …`
    pub fn message(&self, lang: Lang) -> String {
        if self.sheet.is_empty() {
            // A CSV file has no sheets.
            let placed = self.message_in(lang);
            return placed.split_once(", ").map_or(placed.clone(), |(_, rest)| rest.to_owned());
        }
        self.message_in(lang)
    }

    fn message_in(&self, lang: Lang) -> String {
        let column = match &self.column {
            Some((letter, name)) => lang.pick(", columna ", ", column ").to_owned() + &format!("{letter} ({name})"),
            None => String::new(),
        };
        let (sheet, row, what) = match lang {
            Lang::Es => ("hoja", "fila", &self.message_es),
            Lang::En => ("sheet", "row", &self.message_en),
        };
        format!("{sheet} «{}», {row} {}{column}: {what}", self.sheet, self.row)
    }

    /// A problem of a whole row (or, at row 0, of the whole sheet), in both languages.
    pub fn whole(sheet: &str, row: usize, es: String, en: String) -> Placed {
        Placed { sheet: sheet.to_owned(), row, column: None, message_es: es, message_en: en }
    }
}

/// The records of a spreadsheet, each with the sheet and row it came from.
#[derive(Debug, Default)]
pub struct SheetRecords {
    pub records: Vec<(Record, String, usize)>,
    pub problems: Vec<Placed>,
    /// The references of every row read (sheet, row, references), to check them against the
    /// registry in the same answer as the cells' problems.
    pub references: Vec<(String, usize, Vec<Reference>)>,
    /// Each sheet's columns (field → index) and header, to place later problems.
    headers: HashMap<String, (HashMap<&'static str, usize>, Vec<String>)>,
}

impl SheetRecords {
    /// A problem of a reference of the row at (`sheet`, `row`), placed.
    pub fn place_at(&self, sheet: &str, row: usize, p: &Problem) -> Option<Placed> {
        let (map, header) = self.headers.get(sheet)?;
        Some(place(sheet, row, map, header, p))
    }

    /// The keys of the capacities and demands the spreadsheet itself holds (references to
    /// them resolve inside it).
    pub fn keys(&self) -> std::collections::HashSet<String> {
        self.records.iter().map(|r| r.0.key()).collect()
    }

    /// A problem the store found in record `index` (a reference to nothing), placed.
    pub fn place(&self, index: usize, p: &Problem) -> Option<Placed> {
        let (_, sheet, row) = self.records.get(index)?;
        let (map, header) = self.headers.get(sheet)?;
        Some(place(sheet, *row, map, header, p))
    }
}

/// How [`add`] writes a spreadsheet's records.
#[derive(Debug, Clone)]
pub struct AddOptions<'a> {
    /// Who writes: the name the audit trail records.
    pub author: &'a str,
    /// What to do with a record stored under the same key with another content (`catalog add`
    /// refuses it unless `--update`).
    pub existing: Existing,
    /// The client's network address, for a spreadsheet that came over the network.
    pub address: Option<String>,
    /// The workflow state new records enter in (a draft, or published with `--publish`);
    /// records stored already keep theirs.
    pub workflow: WorkflowState,
}

/// What came of [`add`].
#[derive(Debug)]
pub enum Added {
    /// Every record was written, in one transaction; the outcomes are in the order of
    /// [`SheetRecords::records`].
    Written(WriteSummary),
    /// Nothing was written: every problem, placed.
    Refused(Vec<Placed>),
}

/// Adds the records of a spreadsheet [`read`] gave to the registry, all or nothing. The
/// problems of its cells (and any the caller added, such as rows it may not write) and —
/// once there is any — the references of every row to records the registry does not hold
/// come in one answer, in sheet and row order. A spreadsheet without problems is written in
/// one batch, marked as an import; a refusal of the store is placed at the rows it names.
pub fn add(store: &Store, sheet: &SheetRecords, how: &AddOptions<'_>) -> Result<Added, StoreError> {
    if !sheet.problems.is_empty() {
        let mut problems = sheet.problems.clone();
        problems.extend(sheet.reference_problems(store)?);
        problems.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
        return Ok(Added::Refused(problems));
    }
    let records = sheet.records.iter().map(|r| r.0.clone().with_workflow(how.workflow)).collect();
    let options = WriteOptions {
        existing: how.existing,
        event: Some(AuditEvent::Import),
        address: how.address.clone(),
        ..WriteOptions::default()
    };
    match store.write(how.author, records, options) {
        Ok(summary) => Ok(Added::Written(summary)),
        Err(StoreError::Invalid(refused)) => Ok(Added::Refused(
            refused.iter().flat_map(|r| r.problems.iter().filter_map(|p| sheet.place(r.index, p))).collect(),
        )),
        Err(e) => Err(e),
    }
}

impl SheetRecords {
    /// The references of every row to records the registry does not hold, placed; a
    /// capacity the spreadsheet itself holds is there.
    fn reference_problems(&self, store: &Store) -> Result<Vec<Placed>, StoreError> {
        let inside = self.keys();
        let mut out = Vec::new();
        for (sheet, row, references) in &self.references {
            let outside: Vec<_> = references
                .iter()
                .filter(|r| !(r.target == Target::Capacity && inside.contains(&r.key)))
                .cloned()
                .collect();
            let found = store.check_references(&outside)?;
            out.extend(found.iter().filter_map(|p| self.place_at(sheet, *row, p)));
        }
        Ok(out)
    }
}

/// A grid of cells as text, the header first.
type Grid = Vec<Vec<String>>;

/// Reads a CSV file or an XLSX workbook (told apart by `name`'s extension, else by its first
/// bytes) into records of `book`'s kinds, placing every problem. A workbook's sheets of other
/// kinds (its explanations among them) are not read.
pub fn read(name: &str, bytes: &[u8], book: Book) -> SheetRecords {
    let is_xlsx = name.to_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04");
    let sheets = if is_xlsx { xlsx_grids(name, bytes, book) } else { csv_grid(bytes, book).map(|g| vec![g]) };
    let mut out = SheetRecords::default();
    match sheets {
        Err(p) => out.problems.push(*p),
        Ok(sheets) => {
            for (sheet, kind, grid) in sheets {
                rows_of(&sheet, kind, &grid, &mut out);
            }
        }
    }
    out
}

fn unreadable(sheet: &str, e: impl std::fmt::Display) -> Placed {
    Placed::whole(sheet, 0, format!("no se puede leer: {e}"), format!("cannot be read: {e}"))
}

fn csv_grid(bytes: &[u8], book: Book) -> Result<(String, SheetKind, Grid), Box<Placed>> {
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).into_owned();
    let delimiter = match text.lines().next() {
        Some(first) if first.matches(';').count() > first.matches(',').count() => b';',
        _ => b',',
    };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut grid = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Box::new(unreadable("", e)))?;
        grid.push(record.iter().map(str::to_owned).collect());
    }
    let kind = book.of_header(grid.first()).ok_or_else(|| Box::new(not_a_sheet_of(book)))?;
    Ok((String::new(), kind, grid))
}

/// A CSV file whose header marks none of the book's kinds: «el encabezado no es el de
/// capacidades (con «institution») ni el de demandas (con «requester»)».
fn not_a_sheet_of(book: Book) -> Placed {
    let es = book.either(|k| format!("el de {} (con «{}»)", k.sheet_name(Lang::Es), k.marker()), "ni");
    let en = book.either(|k| format!("the {}' (with `{}`)", k.sheet_name(Lang::En), k.marker()), "nor");
    Placed::whole(
        "",
        1,
        format!("el encabezado no es {es}; descargue la plantilla"),
        format!("the header is neither {en}; download the template"),
    )
}

fn xlsx_grids(name: &str, bytes: &[u8], book: Book) -> Result<Vec<(String, SheetKind, Grid)>, Box<Placed>> {
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| Box::new(unreadable(name, e)))?;
    let mut out = Vec::new();
    for sheet in workbook.sheet_names() {
        let range = workbook.worksheet_range(&sheet).map_err(|e| Box::new(unreadable(&sheet, e)))?;
        let grid: Grid = range.rows().map(|r| r.iter().map(cell_text).collect()).collect();
        let kind = book.of_sheet(&sheet).or_else(|| book.of_header(grid.first()));
        if let Some(kind) = kind {
            out.push((sheet, kind, grid));
        }
    }
    if out.is_empty() {
        let es = book.either(|k| format!("«{}»", k.sheet_name(Lang::Es)), "ni");
        let en = book.either(|k| format!("`{}`", k.sheet_name(Lang::En)), "or");
        return Err(Box::new(Placed::whole(
            name,
            0,
            format!("el libro no tiene una hoja {es}; descargue la plantilla"),
            format!("the workbook has no sheet {en}; download the template"),
        )));
    }
    Ok(out)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d.as_f64()).unwrap_or_else(|| d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The date of an Excel serial day number (days since 1899-12-30, the 1900 date system).
fn excel_date(serial: f64) -> Option<String> {
    const DAY_ZERO: i32 = 2_415_019; // the Julian day number of 1899-12-30
    let days = serial.floor();
    if !(0.0..3_000_000.0).contains(&days) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)] // bounded just above
    let julian = DAY_ZERO.checked_add(days as i32)?;
    time::Date::from_julian_day(julian).ok().map(|d| d.to_string())
}

/// The column letter of a 0-based index: A … Z, AA …
fn letter(index: usize) -> String {
    let mut n = index.saturating_add(1);
    let mut out = Vec::new();
    while n > 0 {
        let rem = n.saturating_sub(1) % 26;
        out.push(char::from(b'A'.saturating_add(u8::try_from(rem).unwrap_or(0))));
        n = n.saturating_sub(1) / 26;
    }
    out.iter().rev().collect()
}

/// The position of each known column in the header; unknown headers are problems.
fn header_map(sheet: &str, kind: SheetKind, header: &[String], out: &mut SheetRecords) -> HashMap<&'static str, usize> {
    let mut map = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.trim().to_lowercase();
        if h.is_empty() {
            continue;
        }
        match kind.columns().iter().find(|c| c.name == h || c.name_es == h) {
            Some(c) => {
                map.insert(c.name, i);
            }
            None => out.problems.push(Placed {
                sheet: sheet.to_owned(),
                row: 1,
                column: Some((letter(i), h.clone())),
                message_es: "columna desconocida; la plantilla lista las columnas".into(),
                message_en: "unknown column; the template lists the columns".into(),
            }),
        }
    }
    for c in kind.columns().iter().filter(|c| c.required && !map.contains_key(c.name)) {
        out.problems.push(Placed::whole(
            sheet,
            1,
            format!("falta la columna obligatoria «{}»", c.name),
            format!("the required column `{}` is missing", c.name),
        ));
    }
    map
}

fn rows_of(sheet: &str, kind: SheetKind, grid: &Grid, out: &mut SheetRecords) {
    let Some(header) = grid.first() else { return };
    let map = header_map(sheet, kind, header, out);
    for (i, row) in grid.iter().enumerate().skip(1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let number = i.saturating_add(1);
        let cell =
            |name: &str| map.get(name).and_then(|&c| row.get(c)).map(|v| v.trim().to_owned()).unwrap_or_default();
        let (references, result) = kind.record(&cell);
        out.references.push((sheet.to_owned(), number, references));
        match result {
            Ok(record) => out.records.push((record, sheet.to_owned(), number)),
            Err(problems) => {
                for p in problems.iter() {
                    out.problems.push(place(sheet, number, &map, header, p));
                }
            }
        }
    }
    out.headers.insert(sheet.to_owned(), (map, header.clone()));
}

/// A problem of a row's document, at the column its field came from.
pub fn place(sheet: &str, row: usize, map: &HashMap<&'static str, usize>, header: &[String], p: &Problem) -> Placed {
    let field = column_of_path(&p.path);
    let column = map.get(field).map(|&c| (letter(c), header.get(c).cloned().unwrap_or_default()));
    let mut m = p.clone();
    if column.is_some() && field == p.path {
        // The column names the field; a path inside it (`sectors[1].percentage`) stays.
        m.path = String::new();
    }
    Placed { sheet: sheet.to_owned(), row, column, message_es: m.message(Lang::Es), message_en: m.message(Lang::En) }
}

/// The column a document path comes from: `sectors[1].code` → `sectors`, `title` →
/// `title_es`, `contact.email` → `contact_email`, `cross_border.dimensions[0]` → `dimensions`.
fn column_of_path(path: &str) -> &str {
    let head = path.split(['[', '.']).next().unwrap_or(path);
    match (head, path) {
        ("title", _) => "title_es",
        ("description", _) => "description_es",
        ("purpose", _) => "purpose_es",
        ("outcome", _) => "outcome_es",
        ("scope", _) => "scope_es",
        ("contact", p) if p.ends_with("email") => "contact_email",
        ("contact", p) if p.ends_with("phone") => "contact_phone",
        ("contact", _) => "contact_name",
        ("cross_border", p) if p.contains("dimensions") => "dimensions",
        ("cross_border", _) => "border",
        _ => head,
    }
}

fn list(value: &str) -> Vec<String> {
    value.split([';', '\n']).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect()
}

fn opt(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

/// A text in two columns, or none when both are empty.
fn opt_text(es: String, en: String) -> Option<TextDoc> {
    Some(text(es, en)).filter(|t| *t != TextDoc::default())
}

fn text(es: String, en: String) -> TextDoc {
    let mut langs = std::collections::BTreeMap::new();
    if !es.is_empty() {
        langs.insert("es".to_owned(), es);
    }
    if !en.is_empty() {
        langs.insert("en".to_owned(), en);
    }
    if langs.is_empty() { TextDoc::Plain(String::new()) } else { TextDoc::Langs(langs) }
}

fn sectors(value: &str) -> Vec<SectorDoc> {
    list(value)
        .into_iter()
        .map(|s| match s.split_once(':') {
            Some((code, pct)) => SectorDoc {
                code: code.trim().to_owned(),
                percentage: Some(NumberDoc::Text(pct.trim().trim_end_matches('%').trim().to_owned())),
                vocabulary: None,
            },
            None => SectorDoc { code: s, percentage: None, vocabulary: None },
        })
        .collect()
}

fn capacity(cell: &dyn Fn(&str) -> String) -> CapacityDoc {
    CapacityDoc {
        key: cell("key"),
        title: text(cell("title_es"), cell("title_en")),
        description: opt_text(cell("description_es"), cell("description_en")),
        institution: cell("institution"),
        sectors: sectors(&cell("sectors")),
        forms: list(&cell("forms")),
        languages: list(&cell("languages")),
        contact: ContactDoc {
            name: opt(cell("contact_name")),
            email: opt(cell("contact_email")),
            phone: opt(cell("contact_phone")),
        },
        evidence: list(&cell("evidence")),
        workflow: None,
    }
}

fn demand(cell: &dyn Fn(&str) -> String) -> DemandDoc {
    DemandDoc {
        key: cell("key"),
        title: text(cell("title_es"), cell("title_en")),
        description: opt_text(cell("description_es"), cell("description_en")),
        requester: cell("requester"),
        sectors: sectors(&cell("sectors")),
        forms: list(&cell("forms")),
        country: opt(cell("country")),
        mx_state: opt(cell("mx_state")),
        received: opt(cell("received")),
        languages: list(&cell("languages")),
        state: opt(cell("state")),
        proposed: list(&cell("proposed")),
        activity: opt(cell("activity")),
        answered: opt(cell("answered")),
        agreed: opt(cell("agreed")),
        settled: opt(cell("settled")),
    }
}

const CAPACITY_EXAMPLE: &[&str] = &[
    "cap-pesca-riberena",
    "Pesca ribereña sustentable",
    "Sustainable small-scale fishing",
    "",
    "",
    "conapesca",
    "31310:70; 31320:30",
    "course; technical-assistance",
    "es; en",
    "",
    "pesca@example.org",
    "",
    "",
];

const DEMAND_EXAMPLE: &[&str] = &[
    "sol-gt-pesca",
    "Ordenamiento de la pesca artesanal",
    "Managing artisanal fisheries",
    "",
    "",
    "gt-maga",
    "31310",
    "course",
    "GT",
    "",
    "2026-03-15",
    "es",
    "",
    "",
    "",
    "",
    "",
    "",
];

/// The workbook users fill in: a sheet per kind of `book`, each with its header and an
/// example row, and a sheet that explains every column, in `lang`.
pub fn template(book: Book, lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let sheets: Vec<(SheetKind, Vec<Vec<String>>)> = book
        .kinds()
        .iter()
        .map(|&kind| (kind, vec![kind.example().iter().map(|v| (*v).to_owned()).collect()]))
        .collect();
    workbook(&sheets, lang)
}

/// Records in the layout of their sheets — what [`read`] takes back, each row the record as
/// it is (with `--update`, nothing changes): a sheet per kind with its header and one row per
/// record, and the sheet that explains every column, in `lang`.
pub fn export(records: &[Record], lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut sheets: Vec<(SheetKind, Vec<Vec<String>>)> = Vec::new();
    for record in records {
        let Some((kind, row)) = subnational::row(record) else { continue };
        match sheets.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, rows)) => rows.push(row),
            None => sheets.push((kind, vec![row])),
        }
    }
    sheets.sort_by_key(|(k, _)| *k as u8);
    workbook(&sheets, lang)
}

/// A sheet per kind with its header, then its rows; and the instructions.
fn workbook(sheets: &[(SheetKind, Vec<Vec<String>>)], lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for (kind, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(kind.sheet_name(lang))?;
        for (c, column) in kind.columns().iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            sheet.write_string_with_format(0, c, lang.pick(column.name_es, column.name), &bold)?;
            sheet.set_column_width(c, 22)?;
        }
        for (r, row) in rows.iter().enumerate() {
            let r = u32::try_from(r).unwrap_or(u32::MAX).saturating_add(1);
            for (c, value) in row.iter().enumerate() {
                sheet.write_string(r, u16::try_from(c).unwrap_or(u16::MAX), value)?;
            }
        }
    }
    instructions(&mut workbook, sheets.iter().map(|(k, _)| *k), lang)?;
    workbook.save_to_buffer()
}

/// The sheet that explains every column of `kinds`.
fn instructions(
    workbook: &mut rust_xlsxwriter::Workbook,
    kinds: impl Iterator<Item = SheetKind>,
    lang: Lang,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let help = workbook.add_worksheet();
    help.set_name(lang.pick("instrucciones", "instructions"))?;
    let titles = [
        lang.pick("Hoja", "Sheet"),
        lang.pick("Columna", "Column"),
        lang.pick("Obligatoria", "Required"),
        lang.pick("Contenido", "Content"),
    ];
    for (c, t) in titles.iter().enumerate() {
        help.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *t, &bold)?;
    }
    let mut row = 1u32;
    for kind in kinds {
        for column in kind.columns() {
            help.write_string(row, 0, kind.sheet_name(lang))?;
            help.write_string(row, 1, lang.pick(column.name_es, column.name))?;
            help.write_string(row, 2, if column.required { lang.pick("sí", "yes") } else { "" })?;
            help.write_string(row, 3, lang.pick(column.help_es, column.help_en))?;
            row = row.saturating_add(1);
        }
    }
    help.set_column_width(1, 20)?;
    help.set_column_width(3, 100)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_are_dates() {
        assert_eq!(excel_date(45000.0).as_deref(), Some("2023-03-15"));
        assert_eq!(excel_date(-3.0), None);
    }

    #[test]
    fn columns_have_letters() {
        assert_eq!([letter(0), letter(5), letter(25), letter(26), letter(27)], ["A", "F", "Z", "AA", "AB"]);
        assert_eq!(column_of_path("sectors[1].code"), "sectors");
        assert_eq!(column_of_path("contact.email"), "contact_email");
        assert_eq!(column_of_path("title"), "title_es");
    }

    #[test]
    fn a_csv_row_becomes_a_capacity_and_a_bad_cell_is_placed() {
        let csv = "key,title_es,institution,sectors,forms\n\
                   cap-1,Pesca ribereña,conapesca,31310:70; 31320:30,course\n\
                   cap-2,Acuacultura,conapesca,31310,curso\n";
        let read = read("capacidades.csv", csv.as_bytes(), Book::Catalog);
        assert_eq!(read.records.len(), 1, "{:?}", read.problems);
        let p = &read.problems[0];
        assert_eq!((p.row, p.column.as_ref().map(|c| c.0.as_str())), (3, Some("E")), "{p:?}");
        assert!(p.message(Lang::Es).starts_with("fila 3, columna E (forms): "), "{}", p.message(Lang::Es));
    }

    #[test]
    fn the_template_reads_back_as_its_examples() {
        for lang in [Lang::Es, Lang::En] {
            let bytes = template(Book::Catalog, lang).expect("template");
            let read = read("plantilla.xlsx", &bytes, Book::Catalog);
            let kinds: Vec<_> = read.records.iter().map(|r| r.0.kind()).collect();
            assert_eq!(kinds.len(), 2, "{:?}", read.problems);
            assert!(read.problems.is_empty(), "{:?}", read.problems);
        }
    }
}
