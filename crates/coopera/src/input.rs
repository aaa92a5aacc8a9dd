//! Reading records from TOML and JSON files, with every problem placed at its file, line and
//! column — whether the parser, the shape of a record, a domain rule or the database found it.
//!
//! A file is parsed into a tree first, then each record of it is read on its own, so one
//! record's problems do not hide another's. A field left out is an empty field (the domain
//! reports it as required, with the record's other problems); a field the record does not
//! have, or a value of the wrong shape, is reported in the user's language and taken out, and
//! the record is read again, so that its remaining problems come in the same answer.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use coopera_domain::Lang;
use coopera_domain::doc::{
    ActionDoc, ActivityDoc, AgreementDoc, CapacityDoc, DatasetDoc, DemandDoc, MembershipDoc, OrganisationDoc,
    PracticeDoc, Reference,
};
use coopera_domain::problem::{Problem, Problems, Rule, Shape, Target, join_path};
use coopera_store::{Record, RecordKind, RecordProblems};
use serde::de::DeserializeOwned;

use crate::locate::{Format, Position, locate, position};

/// A file's text, as read.
#[derive(Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
    pub format: Format,
}

impl Source {
    pub fn read(path: &Path, lang: Lang) -> Result<Source, InputError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            let message = match lang {
                Lang::Es => format!("no se puede leer el archivo: {e}"),
                Lang::En => format!("cannot read the file: {e}"),
            };
            InputError(vec![Located { file: name.clone(), position: None, record: None, message, detail: false }])
        })?;
        let format = Format::of(&name);
        Ok(Source { name, text, format })
    }

    pub fn embedded(name: &str, text: &str) -> Source {
        Source { name: name.to_owned(), text: text.to_owned(), format: Format::of(name) }
    }
}

/// One problem, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub file: String,
    pub position: Option<Position>,
    /// The record it belongs to, e.g. `actividad MX-AMEXCID-2012-0001`.
    pub record: Option<String>,
    pub message: String,
    /// A line that details the problem before it (a field of a record that differs from the
    /// stored one), not a problem of its own.
    pub detail: bool,
}

impl Located {
    /// `file:line:column: record: message`
    pub fn render(&self) -> String {
        let mut s = self.file.clone();
        if let Some(p) = self.position {
            let _ = write!(s, ":{}:{}", p.line, p.column);
        }
        s.push_str(": ");
        if let Some(r) = &self.record {
            s.push_str(r);
            s.push_str(": ");
        }
        s.push_str(&self.message);
        s
    }
}

/// Every problem found in the input; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError(pub Vec<Located>);

/// A document read from a file, valid or not: where it is, what it is, what it refers to.
#[derive(Debug)]
struct Origin {
    source: usize,
    /// Its path in the file (`activity[3]`), or empty for a file that holds one activity.
    prefix: String,
    /// `actividad MX-AMEXCID-2012-0001`
    label: String,
    kind: RecordKind,
    key: String,
    references: Vec<Reference>,
}

/// Records read from one or more files, in file order, ready for the store.
#[derive(Debug)]
pub struct Batch {
    pub records: Vec<Record>,
    /// For each record, its document in `documents`.
    origins: Vec<usize>,
    /// Every document read, including those refused.
    documents: Vec<Origin>,
    sources: Vec<Source>,
}

fn record_label(kind: RecordKind, key: &str, lang: Lang) -> String {
    format!("{} {key}", kind.label(lang))
}

fn syntax_error(source: &Source, offset: usize, detail: &str, lang: Lang) -> Located {
    let position = position(&source.text, offset);
    let what = match (source.format, lang) {
        (Format::Toml, Lang::Es) => "TOML no válido",
        (Format::Toml, Lang::En) => "invalid TOML",
        (Format::Json, Lang::Es) => "JSON no válido",
        (Format::Json, Lang::En) => "invalid JSON",
    };
    let detail = detail.lines().next_back().unwrap_or(detail).trim();
    let message = format!("{what}: {detail}");
    Located { file: source.name.clone(), position: Some(position), record: None, message, detail: false }
}

/// The byte offset of a serde_json error position: a line from 1 and a column counted in
/// bytes (0 at the start of a line), where positions count characters.
fn json_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let line_len = text[start..].find('\n').unwrap_or(text.len() - start);
    start + column.saturating_sub(1).min(line_len)
}

/// One step of a path inside a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

fn path_text(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

/// A parsed file, before records are read from it: a TOML or a JSON value.
trait Tree: Sized + Clone {
    fn field(&self, key: &str) -> Option<&Self>;
    fn items(&self) -> Option<&[Self]>;
    /// The keys of a table, in the file's order where the format keeps it.
    fn keys(&self) -> Option<Vec<String>>;
    fn text(&self) -> Option<&str>;
    /// Takes out the value at `path`; whether there was one.
    fn remove(&mut self, path: &[Step]) -> bool;
    /// Reads the value as `T`; on failure, where and the deserializer's message.
    fn read<T: DeserializeOwned>(self) -> Result<T, (Vec<Step>, String)>;
}

fn error_steps(path: &serde_path_to_error::Path) -> Vec<Step> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(Step::Index(*index)),
            Segment::Map { key } | Segment::Enum { variant: key } => Some(Step::Key(key.clone())),
            Segment::Unknown => None,
        })
        .collect()
}

impl Tree for toml::Value {
    fn field(&self, key: &str) -> Option<&Self> {
        self.as_table()?.get(key)
    }

    fn items(&self) -> Option<&[Self]> {
        self.as_array().map(Vec::as_slice)
    }

    fn keys(&self) -> Option<Vec<String>> {
        Some(self.as_table()?.keys().cloned().collect())
    }

    fn text(&self) -> Option<&str> {
        self.as_str()
    }

    fn remove(&mut self, path: &[Step]) -> bool {
        match path {
            [] => false,
            [Step::Key(k)] => self.as_table_mut().and_then(|t| t.remove(k)).is_some(),
            [Step::Key(k), rest @ ..] => self.as_table_mut().and_then(|t| t.get_mut(k)).is_some_and(|v| v.remove(rest)),
            [Step::Index(i), rest @ ..] => {
                self.as_array_mut().and_then(|a| a.get_mut(*i)).is_some_and(|v| v.remove(rest))
            }
        }
    }

    fn read<T: DeserializeOwned>(self) -> Result<T, (Vec<Step>, String)> {
        serde_path_to_error::deserialize(self).map_err(|e| (error_steps(e.path()), e.inner().message().to_owned()))
    }
}

impl Tree for serde_json::Value {
    fn field(&self, key: &str) -> Option<&Self> {
        self.as_object()?.get(key)
    }

    fn items(&self) -> Option<&[Self]> {
        self.as_array().map(Vec::as_slice)
    }

    fn keys(&self) -> Option<Vec<String>> {
        Some(self.as_object()?.keys().cloned().collect())
    }

    fn text(&self) -> Option<&str> {
        self.as_str()
    }

    fn remove(&mut self, path: &[Step]) -> bool {
        match path {
            [] => false,
            [Step::Key(k)] => self.as_object_mut().and_then(|t| t.remove(k)).is_some(),
            [Step::Key(k), rest @ ..] => {
                self.as_object_mut().and_then(|t| t.get_mut(k)).is_some_and(|v| v.remove(rest))
            }
            [Step::Index(i), rest @ ..] => {
                self.as_array_mut().and_then(|a| a.get_mut(*i)).is_some_and(|v| v.remove(rest))
            }
        }
    }

    fn read<T: DeserializeOwned>(self) -> Result<T, (Vec<Step>, String)> {
        serde_path_to_error::deserialize(self).map_err(|e| (error_steps(e.path()), e.inner().to_string()))
    }
}

/// TOML dates written without quotes (`date = 2012-01-01`) are read as the text they are.
fn dates_as_text(value: &mut toml::Value) {
    match value {
        toml::Value::Datetime(d) => *value = toml::Value::String(d.to_string()),
        toml::Value::Array(items) => items.iter_mut().for_each(dates_as_text),
        toml::Value::Table(t) => t.iter_mut().for_each(|(_, v)| dates_as_text(v)),
        _ => {}
    }
}

/// What a deserializer's message says, as a problem of the document: a field it does not
/// have, a value of another shape, a field left out. `None` for anything else.
fn shape_problem(message: &str) -> Option<(Option<String>, Rule)> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (_, expected) = rest.split_once('`')?;
        let field = rest.split('`').next().unwrap_or_default();
        let suggestion = closest(field, expected.split('`').skip(1).step_by(2));
        return Some((None, Rule::UnknownField { suggestion }));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return Some((Some(field.to_owned()), Rule::Required));
    }
    let expected = if let Some(rest) =
        message.strip_prefix("invalid type: ").or_else(|| message.strip_prefix("invalid value: "))
    {
        rest.rsplit_once(", expected ").map(|(_, e)| e)?
    } else if message.starts_with("data did not match any variant of untagged enum ") {
        message.rsplit(' ').next()?
    } else {
        return None;
    };
    let shape = match expected {
        "a string" | "a borrowed string" | "a character" => Shape::Text,
        "TextDoc" => Shape::Texts,
        "NumberDoc" => Shape::Number,
        "a boolean" => Shape::Boolean,
        "a sequence" => Shape::List,
        e if e.starts_with('u') || e.starts_with('i') => Shape::Integer,
        e if e.starts_with("struct ") || e == "a map" => Shape::Table,
        _ => return None,
    };
    Some((None, Rule::WrongShape { expected: shape }))
}

/// A record read from its tree: the document, if it could be read at all, and the problems
/// of its shape (with the paths taken out of it, whose other problems are the same one).
struct Read<T> {
    doc: Option<T>,
    problems: Vec<Problem>,
    removed: Vec<String>,
}

/// The name among `names` closest to a misspelt `field`, if one is close.
fn closest<'n>(field: &str, names: impl IntoIterator<Item = &'n str>) -> Option<String> {
    names
        .into_iter()
        .map(|n| (strsim::levenshtein(field, n), n))
        .filter(|(d, n)| *d <= 3 && *d < n.len())
        .min()
        .map(|(_, n)| n.to_owned())
}

fn read_record<T: DeserializeOwned, N: Tree>(mut node: N, lang: Lang) -> Read<T> {
    let mut problems = Vec::new();
    let mut removed = Vec::new();
    // Each round takes one field out; a record has fewer fields than this.
    for _ in 0..256 {
        match node.clone().read::<T>() {
            Ok(doc) => return Read { doc: Some(doc), problems, removed },
            Err((steps, message)) => {
                let path = path_text(&steps);
                match shape_problem(&message) {
                    Some((Some(field), rule)) => {
                        problems.push(Problem::new(join_path(&path, &field), None, rule));
                        return Read { doc: None, problems, removed };
                    }
                    Some((None, rule)) => {
                        problems.push(Problem::new(path.clone(), None, rule));
                        if !node.remove(&steps) {
                            return Read { doc: None, problems, removed };
                        }
                        removed.push(path);
                    }
                    None => {
                        // A message of the parser this code does not know: its words are
                        // English, so only an English reader gets them.
                        let detail = (lang == Lang::En).then_some(message);
                        let rule = Rule::WrongShape { expected: Shape::Valid };
                        problems.push(Problem::new(path, detail.as_deref(), rule));
                        return Read { doc: None, problems, removed };
                    }
                }
            }
        }
    }
    Read { doc: None, problems, removed }
}

/// Whether a problem of the checked document is about a field that was taken out of it.
fn within(path: &str, removed: &[String]) -> bool {
    removed.iter().any(|r| {
        path == r || path.strip_prefix(r.as_str()).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    })
}

/// Reads every kind of record of a file, in load order (organisations first, since the other
/// records name them).
fn read_kinds<N: Tree>(reader: &Reader<'_, N>, batch: &mut Batch, errors: &mut Vec<Located>) {
    use RecordKind::*;
    reader.section(
        batch,
        errors,
        Organisation,
        |d| d.into_domain().map(Record::Organisation),
        OrganisationDoc::references,
    );
    reader.section(
        batch,
        errors,
        Activity,
        |d| d.into_domain().map(|a| Record::Activity(Box::new(a))),
        ActivityDoc::references,
    );
    reader.section(batch, errors, Capacity, |d| d.into_domain().map(Record::Capacity), CapacityDoc::references);
    reader.section(batch, errors, Demand, |d| d.into_domain().map(Record::Demand), DemandDoc::references);
    reader.section(batch, errors, Action, |d| d.into_domain().map(Record::Action), ActionDoc::references);
    reader.section(batch, errors, Agreement, |d| d.into_domain().map(Record::Agreement), AgreementDoc::references);
    reader.section(batch, errors, Membership, |d| d.into_domain().map(Record::Membership), MembershipDoc::references);
    reader.section(batch, errors, Practice, |d| d.into_domain().map(Record::Practice), PracticeDoc::references);
}

/// Reads the records of one parsed file.
struct Reader<'a, N> {
    index: usize,
    source: &'a Source,
    root: N,
    /// The file holds one activity at its top level rather than a dataset.
    single: bool,
    lang: Lang,
}

impl<N: Tree> Reader<'_, N> {
    /// Reads every record of one section (or the single activity), each on its own: a
    /// document of kind `kind`, checked by `into_record`, naming `references`.
    fn section<D: DeserializeOwned>(
        &self,
        batch: &mut Batch,
        errors: &mut Vec<Located>,
        kind: RecordKind,
        into_record: fn(D) -> Result<Record, Problems>,
        references: fn(&D) -> Vec<Reference>,
    ) {
        let section = kind.as_str();
        let key_field = if kind == RecordKind::Activity { "id" } else { "key" };
        let rows: Vec<(String, N)> = if self.single {
            if kind != RecordKind::Activity {
                return;
            }
            vec![(String::new(), self.root.clone())]
        } else {
            match self.root.field(section) {
                None => return,
                Some(v) => match v.items() {
                    Some(items) => {
                        items.iter().enumerate().map(|(i, n)| (format!("{section}[{i}]"), n.clone())).collect()
                    }
                    None => {
                        let p = Problem::new(section, None, Rule::WrongShape { expected: Shape::List });
                        errors.push(locate_problem(self.source, "", None, &p, self.lang));
                        return;
                    }
                },
            }
        };
        for (prefix, node) in rows {
            let key = node.field(key_field).and_then(Tree::text).unwrap_or_default().trim().to_owned();
            let label = record_label(kind, &key, self.lang);
            let read = read_record::<D, N>(node, self.lang);
            let mut problems = read.problems;
            let references = read.doc.as_ref().map(references).unwrap_or_default();
            batch.documents.push(Origin {
                source: self.index,
                prefix: prefix.clone(),
                label: label.clone(),
                kind,
                key,
                references,
            });
            if let Some(doc) = read.doc {
                match into_record(doc) {
                    Ok(record) if problems.is_empty() => {
                        batch.records.push(record);
                        batch.origins.push(batch.documents.len() - 1);
                    }
                    Ok(_) => {}
                    Err(found) => problems.extend(found.0.into_iter().filter(|p| !within(&p.path, &read.removed))),
                }
            }
            for p in &problems {
                errors.push(locate_problem(self.source, &prefix, Some(&label), p, self.lang));
            }
        }
    }
}

impl Batch {
    /// Reads and checks every record of `sources`. Either all are valid, or every problem of
    /// every file is returned.
    pub fn parse(sources: Vec<Source>, lang: Lang) -> Result<Batch, InputError> {
        let (batch, errors) = Batch::read(sources, lang);
        if errors.is_empty() { Ok(batch) } else { Err(InputError(errors)) }
    }

    /// Reads every record of `sources`: the valid ones as records, and the problems of the
    /// others, in file order. The documents refused are kept (their references can still be
    /// checked, see [`Batch::unresolved`]).
    pub fn read(sources: Vec<Source>, lang: Lang) -> (Batch, Vec<Located>) {
        let mut batch = Batch { records: Vec::new(), origins: Vec::new(), documents: Vec::new(), sources: Vec::new() };
        let mut errors = Vec::new();
        for (index, source) in sources.iter().enumerate() {
            match source.format {
                Format::Toml => match source.text.parse::<toml::Table>() {
                    Ok(table) => {
                        let mut root = toml::Value::Table(table);
                        dates_as_text(&mut root);
                        read_file(&mut batch, &mut errors, index, source, root, lang);
                    }
                    Err(e) => {
                        let at = e.span().map_or(0, |s| s.start);
                        errors.push(syntax_error(source, at, e.message(), lang));
                    }
                },
                Format::Json => match serde_json::from_str::<serde_json::Value>(&source.text) {
                    Ok(root) => read_file(&mut batch, &mut errors, index, source, root, lang),
                    Err(e) => {
                        let at = json_offset(&source.text, e.line(), e.column());
                        let detail = e.to_string();
                        let detail = detail.split(" at line ").next().unwrap_or(&detail).to_owned();
                        errors.push(syntax_error(source, at, &detail, lang));
                    }
                },
            }
        }
        batch.sources = sources;
        let errors = batch.in_file_order(errors);
        (batch, errors)
    }

    /// Places the problems the store found (by record index) in their files.
    pub fn locate_refused(&self, refused: &[RecordProblems], lang: Lang) -> InputError {
        let mut out = Vec::new();
        for r in refused {
            let Some(origin) = self.origins.get(r.index).and_then(|d| self.documents.get(*d)) else { continue };
            let source = &self.sources[origin.source];
            for p in r.problems.iter() {
                out.push(locate_problem(source, &origin.prefix, Some(&origin.label), p, lang));
            }
        }
        InputError(self.in_file_order(out))
    }

    /// The references of every document read — refused ones too — that no document of the
    /// batch resolves, checked by `check` (the registry), with the problems placed in their
    /// files. A file with other problems reports these in the same answer.
    pub fn unresolved<E>(
        &self,
        lang: Lang,
        mut check: impl FnMut(&[Reference]) -> Result<Problems, E>,
    ) -> Result<Vec<Located>, E> {
        let orgs: HashSet<&str> =
            self.documents.iter().filter(|d| d.kind == RecordKind::Organisation).map(|d| d.key.as_str()).collect();
        let activities: HashSet<&str> =
            self.documents.iter().filter(|d| d.kind == RecordKind::Activity).map(|d| d.key.as_str()).collect();
        let capacities: HashSet<&str> =
            self.documents.iter().filter(|d| d.kind == RecordKind::Capacity).map(|d| d.key.as_str()).collect();
        let mut out = Vec::new();
        for d in &self.documents {
            let outside: Vec<Reference> = d
                .references
                .iter()
                .filter(|r| match r.target {
                    Target::Organisation | Target::SubnationalGovernment | Target::MexicanGovernment => {
                        !orgs.contains(r.key.as_str())
                    }
                    Target::Activity => !activities.contains(r.key.as_str()),
                    Target::Capacity => !capacities.contains(r.key.as_str()),
                    Target::Demand | Target::Record(_) => true,
                })
                .cloned()
                .collect();
            if outside.is_empty() {
                continue;
            }
            let source = &self.sources[d.source];
            for p in check(&outside)?.iter() {
                out.push(locate_problem(source, &d.prefix, Some(&d.label), p, lang));
            }
        }
        Ok(out)
    }

    /// Problems sorted by file, then line and column (file-level ones first), so a user reads
    /// them as the file goes.
    pub fn in_file_order(&self, mut problems: Vec<Located>) -> Vec<Located> {
        let file = |name: &str| self.sources.iter().position(|s| s.name == name).unwrap_or(usize::MAX);
        problems.sort_by_key(|l| (file(&l.file), l.position.map(|p| (p.line, p.column))));
        problems
    }
}

/// Reads one parsed file: a single activity (a top level that is not a dataset's), or the
/// sections of a dataset.
fn read_file<N: Tree>(
    batch: &mut Batch,
    errors: &mut Vec<Located>,
    index: usize,
    source: &Source,
    root: N,
    lang: Lang,
) {
    let Some(keys) = root.keys() else {
        let p = Problem::new("", None, Rule::WrongShape { expected: Shape::Table });
        errors.push(locate_problem(source, "", None, &p, lang));
        return;
    };
    // One activity has an `id` at its top level; a dataset has sections (or a note) there.
    let dataset_keys = || std::iter::once("note").chain(DatasetDoc::SECTIONS);
    let single = keys.iter().any(|k| k == "id") || !keys.iter().any(|k| dataset_keys().any(|d| d == k));
    if !single {
        for k in keys.iter().filter(|k| !dataset_keys().any(|d| d == k.as_str())) {
            let p = Problem::new(k.clone(), None, Rule::UnknownField { suggestion: closest(k, dataset_keys()) });
            errors.push(locate_problem(source, "", None, &p, lang));
        }
        if root.field("note").is_some_and(|n| n.text().is_none()) {
            let p = Problem::new("note", None, Rule::WrongShape { expected: Shape::Text });
            errors.push(locate_problem(source, "", None, &p, lang));
        }
    }
    let reader = Reader { index, source, root, single, lang };
    read_kinds(&reader, batch, errors);
}

fn locate_problem(source: &Source, prefix: &str, label: Option<&str>, problem: &Problem, lang: Lang) -> Located {
    let path = join_path(prefix, &problem.path);
    Located {
        file: source.name.clone(),
        position: locate(&source.text, source.format, &path),
        record: label.map(str::to_owned),
        message: problem.message(lang),
        detail: matches!(problem.rule, Rule::Changed { .. }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserializer_messages_become_problems() {
        let check = |message: &str, expected: Option<(Option<&str>, Rule)>| {
            let found = shape_problem(message);
            assert_eq!(found.as_ref().map(|(f, r)| (f.as_deref(), r.clone())), expected, "{message}");
        };
        check(
            "unknown field `sectorss`, expected one of `id`, `sectors`, `sdgs`",
            Some((None, Rule::UnknownField { suggestion: Some("sectors".into()) })),
        );
        check("unknown field `zzz`, expected `a`", Some((None, Rule::UnknownField { suggestion: None })));
        check("unknown field `x`, there are no fields", Some((None, Rule::UnknownField { suggestion: None })));
        check("missing field `title`", Some((Some("title"), Rule::Required)));
        check("invalid type: integer `5`, expected a string", Some((None, Rule::WrongShape { expected: Shape::Text })));
        check(
            "invalid type: string \"a\", expected a sequence",
            Some((None, Rule::WrongShape { expected: Shape::List })),
        );
        check(
            "data did not match any variant of untagged enum TextDoc",
            Some((None, Rule::WrongShape { expected: Shape::Texts })),
        );
        check("invalid type: map, expected u8", Some((None, Rule::WrongShape { expected: Shape::Integer })));
        check("something else entirely", None);
    }
}
