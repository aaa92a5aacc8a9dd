//! The import pipeline as a library: IATI files given as bytes in memory, with a name, go into
//! an in-memory registry; every problem is placed at the file's name and line from what was
//! kept while reading — the bytes are read once, and a refusal reads nothing again.

use std::io::Read;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use coopera_domain::Lang;
use coopera_domain::kinds::WorkflowState;
use coopera_domain::problem::{Problem, Problems, Rule, Target};
use coopera_import::{Counts, Import, ImportOptions, ImportSummary, Note, Sink, Source, Stop};
use coopera_store::{
    ActivityFilter, AuditEvent, AuditFilter, Record, RecordKind, RecordProblems, Store, StoreError, StoreOptions,
    WriteSummary,
};

fn store() -> Store {
    Store::open_in_memory(StoreOptions::default()).expect("in-memory store")
}

/// One `<iati-activity>` that maps cleanly, with `extra` before its end.
fn activity(id: &str, title: &str, extra: &str) -> String {
    format!(
        r#" <iati-activity default-currency="USD" xml:lang="es">
  <iati-identifier>{id}</iati-identifier>
  <reporting-org ref="XM-EXAMPLE" type="40"><narrative>Example Organisation</narrative></reporting-org>
  <title><narrative>{title}</narrative></title>
  <description><narrative>Descripción</narrative></description>
  <participating-org ref="XM-EXAMPLE" role="1" type="40"/>
  <activity-status code="2"/>
  <activity-date type="2" iso-date="2023-03-01"/>
  <recipient-country code="GT" percentage="100"/>
  <sector vocabulary="1" code="15110" percentage="100"/>
{extra} </iati-activity>
"#
    )
}

fn file(activities: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\">\n{}</iati-activities>\n",
        activities.concat()
    )
}

/// The line (from 1) of the first occurrence of `needle` in `text`, and its column.
fn place_of(text: &str, needle: &str) -> (u32, u32) {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle} in the file"));
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
    (line as u32, column as u32)
}

/// Bytes that count what is read of them, to show a file is read once.
struct Counted {
    bytes: std::io::Cursor<Vec<u8>>,
    read: Arc<AtomicUsize>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.bytes.read(buf)?;
        self.read.fetch_add(n, Ordering::Relaxed);
        Ok(n)
    }
}

/// `text` as an upload named `name`, and how many of its bytes have been read.
fn upload(name: &str, text: &str) -> (Source, Arc<AtomicUsize>) {
    let read = Arc::new(AtomicUsize::new(0));
    let bytes = Counted { bytes: std::io::Cursor::new(text.as_bytes().to_vec()), read: read.clone() };
    (Source::reader(name, bytes), read)
}

fn options(lang: Lang) -> ImportOptions {
    ImportOptions { lang, ..ImportOptions::default() }
}

/// Runs an import of `sources` into `sink` as `tester`, never stopping it.
fn run(sink: &mut dyn Sink, lang: Lang, sources: Vec<Source>) -> ImportSummary {
    Import::new(options(lang)).files(sources).run(sink, "tester", |_| ControlFlow::Continue(()))
}

fn stored_keys(store: &Store) -> Vec<String> {
    store.activities(&ActivityFilter::default()).expect("list").into_iter().map(|a| a.key).collect()
}

/// (line, column, activity, message) of each note.
fn places(notes: &[Note]) -> Vec<(u32, u32, Option<&str>, &str)> {
    notes.iter().map(|n| (n.line, n.column, n.activity.as_deref(), n.message.as_str())).collect()
}

#[test]
fn bytes_in_memory_are_imported_into_an_in_memory_store() {
    let text = file(&[
        activity("XM-EXAMPLE-1", "Agua potable", ""),
        activity("XM-EXAMPLE-2", "Educación", "  <sector vocabulary=\"1\" code=\"99999\" percentage=\"100\"/>\n"),
    ]);
    let mut store = store();
    let (source, read) = upload("subida.xml", &text);
    let summary = run(&mut store, Lang::En, vec![source]);
    assert_eq!(read.load(Ordering::Relaxed), text.len(), "the bytes were read once");
    assert_eq!((summary.files, summary.files_imported()), (1, 1));
    assert_eq!((summary.stored.as_slice(), summary.not_stored.as_slice()), (&["subida.xml".to_owned()][..], &[][..]));
    assert_eq!(summary.activities, Counts { new: 2, updated: 0, unchanged: 0 });
    assert_eq!(summary.organisations_new, 1, "XM-EXAMPLE, named by both");
    assert!(summary.errors.is_empty() && summary.duplicates.is_empty(), "{summary:?}");
    let (line, column) = place_of(&text, "<sector vocabulary=\"1\" code=\"99999\"");
    let unknown = summary.warnings.iter().find(|w| w.message.contains("99999")).expect("the unknown sector");
    assert_eq!(
        (unknown.file.as_str(), unknown.line, unknown.column, unknown.activity.as_deref()),
        ("subida.xml", line, column, Some("XM-EXAMPLE-2"))
    );
    assert_eq!(stored_keys(&store), ["XM-EXAMPLE-1", "XM-EXAMPLE-2"]);

    // The same bytes again change nothing.
    let again = run(&mut store, Lang::En, vec![upload("subida.xml", &text).0]);
    assert_eq!(again.activities, Counts { new: 0, updated: 0, unchanged: 2 });
    assert_eq!(again.organisations_new, 0);
}

/// The workflow state of each stored activity, by key.
fn workflows(store: &Store) -> Vec<(String, WorkflowState)> {
    stored_keys(store)
        .into_iter()
        .map(|key| {
            let stored = store.activity(&key).expect("read").expect("stored");
            (key, stored.activity.parts().workflow)
        })
        .collect()
}

#[test]
fn activities_enter_as_drafts_unless_the_import_publishes_them_and_the_trail_says_import() {
    // The file says the first is published (Coopera's own attribute) and says nothing of the
    // second, which the reader takes as published.
    let published = "  <coopera:activity workflow=\"published\"/>\n";
    let text = file(&[activity("XM-EXAMPLE-1", "Agua", published), activity("XM-EXAMPLE-2", "Educación", "")]);
    let mut store = store();
    let summary = run(&mut store, Lang::En, vec![upload("a.xml", &text).0]);
    assert_eq!(summary.activities, Counts { new: 2, updated: 0, unchanged: 0 }, "{summary:?}");
    use WorkflowState::*;
    assert_eq!(workflows(&store), [("XM-EXAMPLE-1".to_owned(), Draft), ("XM-EXAMPLE-2".to_owned(), Draft)]);
    let trail = store.audit(&AuditFilter::default()).expect("trail");
    assert!(!trail.is_empty());
    assert!(trail.iter().all(|row| row.event == Some(AuditEvent::Import) && row.author == "tester"), "{trail:?}");

    // Published on import, the same file updates both.
    let publish = ImportOptions { workflow: Published, ..options(Lang::En) };
    let summary =
        Import::new(publish).file(upload("a.xml", &text).0).run(&mut store, "tester", |_| ControlFlow::Continue(()));
    assert_eq!(summary.activities, Counts { new: 0, updated: 2, unchanged: 0 }, "{summary:?}");
    assert_eq!(workflows(&store), [("XM-EXAMPLE-1".to_owned(), Published), ("XM-EXAMPLE-2".to_owned(), Published)]);
}

#[test]
fn messages_come_in_the_import_language() {
    let text =
        file(&[activity("XM-EXAMPLE-1", "Agua", "  <sector vocabulary=\"1\" code=\"99999\" percentage=\"100\"/>\n")]);
    let unknown = |lang: Lang| {
        let summary = run(&mut store(), lang, vec![upload("a.xml", &text).0]);
        summary.warnings.iter().find(|w| w.message.contains("99999")).map(|w| w.message.clone()).expect("warning")
    };
    assert_eq!(unknown(Lang::Es), "sector[2]/@code: código `99999` desconocido en la lista Sector; se omitió");
    assert_eq!(unknown(Lang::En), "sector[2]/@code: unknown code `99999` in the Sector codelist; left out");
}

/// A file whose first activity names `bad-org`, an organisation it describes with a level
/// the domain refuses; the second activity names only good ones.
fn naming_a_refused_organisation() -> String {
    file(&[
        activity(
            "XM-EXAMPLE-REFUSED",
            "Nombra una organización rechazada",
            "  <participating-org role=\"4\" coopera:org=\"bad-org\"/>\n  <coopera:organisation key=\"bad-org\" type=\"10\" level=\"galactic\"><narrative>Mala</narrative></coopera:organisation>\n",
        ),
        activity("XM-EXAMPLE-KEPT", "Se guarda", ""),
    ])
}

#[test]
fn an_activity_naming_an_organisation_that_will_not_exist_is_placed_where_it_names_it() {
    let text = naming_a_refused_organisation();
    let mut store = store();
    let (source, read) = upload("subida.xml", &text);
    let summary = run(&mut store, Lang::En, vec![source]);
    assert_eq!(read.load(Ordering::Relaxed), text.len(), "the bytes were read once, and not again");
    assert_eq!(summary.stored, ["subida.xml"], "the other activity is stored");
    assert_eq!(summary.activities, Counts { new: 1, updated: 0, unchanged: 0 });
    assert_eq!(stored_keys(&store), ["XM-EXAMPLE-KEPT"]);

    let (line, column) = place_of(&text, "<participating-org role=\"4\" coopera:org=\"bad-org\"/>");
    let errors = places(&summary.errors);
    assert_eq!(errors.len(), 2, "{errors:?}");
    // The organisation, where the file first names it, with its own problem.
    assert_eq!((errors[0].0, errors[0].1, errors[0].2), (line, column, None));
    assert!(errors[0].3.starts_with("bad-org: level: `galactic`"), "{}", errors[0].3);
    // The activity, at the element that names it, as the store would have refused it.
    assert_eq!(
        errors[1],
        (
            line,
            column,
            Some("XM-EXAMPLE-REFUSED"),
            "participants[1].org: `bad-org`: there is no organisation with that key"
        )
    );
    assert!(summary.errors.iter().all(|e| e.file == "subida.xml"));
}

/// A sink that refuses every batch holding the activity `refuse`, with the problems a store
/// would give, and otherwise records into `inner`.
struct Refusing {
    inner: Store,
    refuse: &'static str,
}

impl Sink for Refusing {
    fn has_organisation(&self, key: &str) -> Result<bool, StoreError> {
        Sink::has_organisation(&self.inner, key)
    }

    fn record(&mut self, author: &str, records: Vec<Record>, event: AuditEvent) -> Result<WriteSummary, StoreError> {
        let Some(index) = records.iter().position(|r| r.kind() == RecordKind::Activity && r.key() == self.refuse)
        else {
            return Sink::record(&mut self.inner, author, records, event);
        };
        let mut problems = Problems::new();
        problems.push(Problem::new(
            "reporting_org",
            Some("xm-example"),
            Rule::UnknownReference { target: Target::Organisation },
        ));
        problems.push(Problem::new("title.es", None, Rule::Required));
        Err(StoreError::Invalid(vec![RecordProblems {
            index,
            kind: RecordKind::Activity,
            key: self.refuse.to_owned(),
            problems,
        }]))
    }
}

#[test]
fn a_refusal_of_the_store_is_placed_from_what_reading_kept() {
    let text = file(&[activity("XM-EXAMPLE-1", "Primera", ""), activity("XM-EXAMPLE-2", "Rechazada", "")]);
    let mut sink = Refusing { inner: store(), refuse: "XM-EXAMPLE-2" };
    let (source, read) = upload("subida.xml", &text);
    let (next, _) = upload("siguiente.xml", &file(&[activity("XM-EXAMPLE-3", "Siguiente", "")]));
    let summary = run(&mut sink, Lang::En, vec![source, next]);
    assert_eq!(read.load(Ordering::Relaxed), text.len(), "the bytes were read once, and not again");
    assert_eq!(summary.stored, ["siguiente.xml"]);
    assert_eq!(summary.not_stored, ["subida.xml"], "nothing of the refused file is stored");
    assert!(summary.stopped.is_none(), "a refusal does not stop the import");
    assert_eq!(stored_keys(&sink.inner), ["XM-EXAMPLE-3"]);

    // The activity starts on the line before its identifier, its reporting-org on the next.
    let identifier = place_of(&text, "<iati-identifier>XM-EXAMPLE-2<").0;
    let (activity_line, named) = (identifier - 1, (identifier + 1, 3));
    // The problem about an organisation goes where the activity names it, the other to the
    // activity.
    assert_eq!(
        places(&summary.errors),
        [
            (0, 0, None, "file not imported: the registry refused 1 record(s); nothing of it was stored"),
            (
                named.0,
                named.1,
                Some("XM-EXAMPLE-2"),
                "reporting_org: `xm-example`: there is no organisation with that key"
            ),
            (activity_line, 1, Some("XM-EXAMPLE-2"), "title.es: required field"),
        ]
    );
}

#[test]
fn a_file_that_breaks_off_stores_nothing_and_the_next_is_stored() {
    let whole = file(&[activity("XM-EXAMPLE-1", "Primera", ""), activity("XM-EXAMPLE-2", "Segunda", "")]);
    let broken = &whole[..whole.find("XM-EXAMPLE-2").expect("second")];
    let mut store = store();
    let sources = vec![upload("rota.xml", broken).0, upload("buena.xml", &file(&[activity("XM-OK", "Ok", "")])).0];
    let summary = run(&mut store, Lang::Es, sources);
    assert_eq!(
        (summary.stored.as_slice(), summary.not_stored.as_slice()),
        (&["buena.xml".to_owned()][..], &["rota.xml".to_owned()][..])
    );
    assert_eq!(stored_keys(&store), ["XM-OK"], "not even the activity complete before the break");
    let error = &summary.errors[0];
    assert_eq!((error.file.as_str(), error.line), ("rota.xml", broken.matches('\n').count() as u32 + 1));
    assert!(error.message.starts_with("no se importó el archivo: el archivo termina"), "{}", error.message);
}

#[test]
fn the_progress_callback_is_told_each_file_and_can_stop_the_import() {
    let mut store = store();
    let sources: Vec<Source> = (1..=3)
        .map(|i| upload(&format!("{i}.xml"), &file(&[activity(&format!("XM-EXAMPLE-{i}"), "Una", "")])).0)
        .collect();
    let mut told = Vec::new();
    let summary = Import::new(options(Lang::En)).files(sources).run(&mut store, "tester", |at| {
        told.push((at.done, at.total, at.file.to_owned(), at.activities));
        if at.done == 2 { ControlFlow::Break("interrupted (Ctrl-C)".to_owned()) } else { ControlFlow::Continue(()) }
    });
    assert_eq!(
        told,
        [
            (0, 3, "1.xml".to_owned(), 0),
            (1, 3, "2.xml".to_owned(), 1),
            (2, 3, "3.xml".to_owned(), 2),
            (3, 3, "3.xml".to_owned(), 2),
        ]
    );
    assert_eq!(summary.stored, ["1.xml", "2.xml"]);
    assert_eq!(summary.not_stored, ["3.xml"]);
    assert!(matches!(&summary.stopped, Some(Stop::Asked(reason)) if reason == "interrupted (Ctrl-C)"));
    assert_eq!(stored_keys(&store), ["XM-EXAMPLE-1", "XM-EXAMPLE-2"]);
}

/// A sink whose database fails at the first write.
struct Failing;

impl Sink for Failing {
    fn has_organisation(&self, _: &str) -> Result<bool, StoreError> {
        Ok(false)
    }

    fn record(&mut self, _: &str, _: Vec<Record>, _: AuditEvent) -> Result<WriteSummary, StoreError> {
        Err(StoreError::Backend("disk I/O error".into()))
    }
}

#[test]
fn a_database_failure_stops_the_import_and_lists_what_was_not_stored() {
    let sources = vec![upload("1.xml", &file(&[activity("XM-1", "Una", "")])).0, upload("2.xml", &file(&[])).0];
    let summary = run(&mut Failing, Lang::Es, sources);
    assert!(summary.stored.is_empty());
    assert_eq!(summary.not_stored, ["1.xml", "2.xml"]);
    let stop = summary.stopped.as_ref().expect("stopped");
    assert!(matches!(stop, Stop::Store(StoreError::Backend(_))));
    assert_eq!(stop.message(Lang::Es), "error de la base de datos: disk I/O error");
}

#[test]
fn gzip_and_latin1_bytes_are_read_as_the_validator_reads_them() {
    use std::io::Write as _;
    let text = file(&[activity("XM-EXAMPLE-1", "Educación básica, año único", "")])
        .replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
    let latin1: Vec<u8> = text.chars().map(|c| u8::try_from(u32::from(c)).expect("latin-1")).collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&latin1).expect("compress");
    let bytes = gz.finish().expect("compress");
    assert_eq!(coopera_iati::validate::validate_schema(bytes.as_slice()).map(|p| p.len()).ok(), Some(0));

    let mut store = store();
    let summary = run(&mut store, Lang::En, vec![Source::reader("subida.xml.gz", std::io::Cursor::new(bytes))]);
    assert_eq!(summary.activities.new, 1, "{summary:?}");
    let stored = store.activity("XM-EXAMPLE-1").expect("read").expect("stored");
    assert_eq!(stored.activity.parts().title.get("es"), Some("Educación básica, año único"));
}
