//! Reading one file: parsed, mapped and checked into domain records, with every problem
//! placed and, per record, what places the problems the store may find later. Pure work, no
//! database, so that it runs beside the writing.

use std::collections::{BTreeMap, HashMap};

use coopera_domain::Lang;
use coopera_domain::activity::Activity;
use coopera_domain::doc::{OrganisationDoc, Reference};
use coopera_iati::read::map::Mapped;
use coopera_iati::read::{FileReader, Item, ReadError};

use crate::{Bytes, ImportOptions, Note, Source};

/// One file as read, before anything is stored.
#[derive(Debug, Default)]
pub(crate) struct ReadFile {
    pub name: String,
    /// The error that stopped the file: nothing of it is stored.
    pub failed: Option<Note>,
    /// The organisations the file names, by key, as first named.
    pub organisations: BTreeMap<String, ReadOrganisation>,
    /// Activities that passed the domain's checks, in file order.
    pub activities: Vec<ReadActivity>,
    pub warnings: Vec<Note>,
    /// Activities that could not be read (no identifier).
    pub refused: Vec<Note>,
    /// Activities that failed the domain's checks.
    pub invalid: Vec<Note>,
    /// Identifiers repeated within the file.
    pub duplicates: Vec<Note>,
}

#[derive(Debug)]
pub(crate) struct ReadOrganisation {
    pub doc: OrganisationDoc,
    /// Where the file first names it.
    pub line: u32,
    pub column: u32,
}

/// An activity ready for the store, with what places its problems there.
#[derive(Debug)]
pub(crate) struct ReadActivity {
    pub line: u32,
    pub id: String,
    pub activity: Activity,
    /// The records it names, each at its path in the document.
    pub references: Vec<Reference>,
    /// Where it first names each organisation, by key (the mapper's).
    pub named_at: BTreeMap<String, (u32, u32)>,
}

fn read_error_note(file: &str, e: &ReadError, lang: Lang) -> Note {
    let (line, column) = match e {
        ReadError::Xml(x) => (x.line, x.column),
        ReadError::Io(_) => (0, 0),
    };
    let prefix = lang.pick("no se importó el archivo", "file not imported");
    Note { file: file.to_owned(), line, column, activity: None, message: format!("{prefix}: {}", e.message(lang)) }
}

/// Reads a whole file. A file that breaks off keeps nothing but the error that stopped it.
/// Every activity enters in the workflow state of the options, whatever the file says.
pub(crate) fn read_file(source: Source, options: &ImportOptions) -> ReadFile {
    let (name, lang) = (source.name, options.lang);
    let opened = match source.bytes {
        Bytes::Path(path) => FileReader::open(&path, &options.read),
        Bytes::Reader(bytes) => FileReader::from_file_contents(bytes, &options.read),
    };
    let failed = |e: &ReadError| ReadFile {
        failed: Some(read_error_note(&name, e, lang)),
        name: name.clone(),
        ..ReadFile::default()
    };
    let reader = match opened {
        Ok(r) => r,
        Err(e) => return failed(&e),
    };
    let mut out = ReadFile { name: name.clone(), ..ReadFile::default() };
    let mut first_line: HashMap<String, u32> = HashMap::new();
    for item in reader {
        match item {
            Err(e) => return failed(&e),
            Ok(Item::Refused(w)) => out.refused.push(Note {
                file: name.clone(),
                line: w.line,
                column: w.column,
                activity: None,
                message: w.message(lang),
            }),
            Ok(Item::Activity { line, mut mapped }) => {
                mapped.activity.workflow = Some(options.workflow.code().to_owned());
                out.add(line, *mapped, &mut first_line, lang);
            }
        }
    }
    out
}

impl ReadFile {
    /// Takes one mapped activity: its warnings, then — unless its identifier came before — its
    /// organisations and the activity checked into the domain.
    fn add(&mut self, line: u32, mapped: Mapped, first_line: &mut HashMap<String, u32>, lang: Lang) {
        let Mapped { activity: doc, organisations, warnings, named_at } = mapped;
        let id = doc.id.clone();
        let file = self.name.clone();
        let note = |line: u32, column: u32, message: String| Note {
            file: file.clone(),
            line,
            column,
            activity: Some(id.clone()),
            message,
        };
        let warnings: Vec<Note> = warnings.iter().map(|w| note(w.line, w.column, w.message(lang))).collect();
        self.warnings.extend(warnings);
        if let Some(first) = first_line.get(&id) {
            let message = match lang {
                Lang::Es => {
                    format!("identificador repetido en el mismo archivo (primero en la línea {first}); se omitió este")
                }
                Lang::En => format!("identifier repeated in the same file (first at line {first}); this one left out"),
            };
            let duplicate = note(line, 1, message);
            self.duplicates.push(duplicate);
            return;
        }
        first_line.insert(id.clone(), line);
        for doc in organisations {
            let (line, column) = named_at.get(&doc.key).copied().unwrap_or((line, 1));
            self.organisations.entry(doc.key.clone()).or_insert(ReadOrganisation { doc, line, column });
        }
        let references = doc.references();
        match doc.into_domain() {
            Ok(activity) => self.activities.push(ReadActivity { line, id, activity, references, named_at }),
            Err(problems) => {
                let invalid: Vec<Note> = problems.iter().map(|p| note(line, 1, p.message(lang))).collect();
                self.invalid.extend(invalid);
            }
        }
    }
}
