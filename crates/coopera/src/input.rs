//! Reading records from TOML and JSON files, with every problem placed at its file, line and
//! column — whether the parser, a domain rule or the database found it.

use std::fmt::Write as _;
use std::path::Path;

use coopera_domain::Lang;
use coopera_domain::doc::{ActivityDoc, DatasetDoc};
use coopera_domain::problem::{Problem, Problems, join_path};
use coopera_store::{Record, RecordKind, RecordProblems};

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
            InputError(vec![Located { file: name.clone(), position: None, record: None, message }])
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

/// Where a record came from: its file and its path in that file (`activity[3]`, or empty
/// for a file that holds one activity).
#[derive(Debug)]
struct Origin {
    source: usize,
    prefix: String,
    label: String,
}

/// Records read from one or more files, in file order, ready for the store.
#[derive(Debug)]
pub struct Batch {
    pub records: Vec<Record>,
    origins: Vec<Origin>,
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
    Located { file: source.name.clone(), position: Some(position), record: None, message: format!("{what}: {detail}") }
}

/// Parses `text` as `T`, reporting a syntax or shape error at its line and column.
fn parse_doc<T: serde::de::DeserializeOwned>(source: &Source, lang: Lang) -> Result<T, Located> {
    match source.format {
        Format::Toml => toml::from_str(&source.text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            syntax_error(source, at, e.message(), lang)
        }),
        Format::Json => serde_json::from_str(&source.text).map_err(|e| {
            let at = json_offset(&source.text, e.line(), e.column());
            let detail = e.to_string();
            let detail = detail.split(" at line ").next().unwrap_or(&detail).to_owned();
            syntax_error(source, at, &detail, lang)
        }),
    }
}

/// The byte offset of a serde_json error position: a line from 1 and a column counted in
/// bytes (0 at the start of a line), where positions count characters.
fn json_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let line_len = text[start..].find('\n').unwrap_or(text.len() - start);
    start + column.saturating_sub(1).min(line_len)
}

/// Whether the file holds one activity (top-level `id`) rather than a dataset.
fn is_single_activity(source: &Source) -> bool {
    match source.format {
        Format::Toml => source.text.parse::<toml::Table>().is_ok_and(|t| t.contains_key("id")),
        Format::Json => serde_json::from_str::<serde_json::Value>(&source.text).is_ok_and(|v| v.get("id").is_some()),
    }
}

impl Batch {
    /// Reads and checks every record of `sources`. Either all are valid, or every problem of
    /// every file is returned.
    pub fn parse(sources: Vec<Source>, lang: Lang) -> Result<Batch, InputError> {
        let mut batch = Batch { records: Vec::new(), origins: Vec::new(), sources: Vec::new() };
        let mut errors = Vec::new();
        for (index, source) in sources.iter().enumerate() {
            let dataset = if is_single_activity(source) {
                parse_doc::<ActivityDoc>(source, lang)
                    .map(|a| (DatasetDoc { activities: vec![a], ..Default::default() }, true))
            } else {
                parse_doc::<DatasetDoc>(source, lang).map(|d| (d, false))
            };
            let (dataset, single) = match dataset {
                Ok(d) => d,
                Err(located) => {
                    errors.push(located);
                    continue;
                }
            };
            let mut add = |kind: RecordKind, section: &str, i: usize, key: &str, result: Result<Record, Problems>| {
                let prefix = if single { String::new() } else { format!("{section}[{i}]") };
                let label = record_label(kind, key, lang);
                match result {
                    Ok(record) => {
                        batch.records.push(record);
                        batch.origins.push(Origin { source: index, prefix, label });
                    }
                    Err(problems) => {
                        for p in problems.iter() {
                            errors.push(locate_problem(source, &prefix, &label, p, lang));
                        }
                    }
                }
            };
            for (i, d) in dataset.organisations.into_iter().enumerate() {
                let key = d.key.clone();
                add(RecordKind::Organisation, "organisation", i, &key, d.into_domain().map(Record::Organisation));
            }
            for (i, d) in dataset.activities.into_iter().enumerate() {
                let key = d.id.clone();
                add(RecordKind::Activity, "activity", i, &key, d.into_domain().map(|a| Record::Activity(Box::new(a))));
            }
            for (i, d) in dataset.capacities.into_iter().enumerate() {
                let key = d.key.clone();
                add(RecordKind::Capacity, "capacity", i, &key, d.into_domain().map(Record::Capacity));
            }
            for (i, d) in dataset.demands.into_iter().enumerate() {
                let key = d.key.clone();
                add(RecordKind::Demand, "demand", i, &key, d.into_domain().map(Record::Demand));
            }
            for (i, d) in dataset.actions.into_iter().enumerate() {
                let key = d.key.clone();
                add(RecordKind::Action, "action", i, &key, d.into_domain().map(Record::Action));
            }
            for (i, d) in dataset.agreements.into_iter().enumerate() {
                let key = d.key.clone();
                add(RecordKind::Agreement, "agreement", i, &key, d.into_domain().map(Record::Agreement));
            }
            for (i, d) in dataset.memberships.into_iter().enumerate() {
                let key = d.key.clone();
                add(RecordKind::Membership, "membership", i, &key, d.into_domain().map(Record::Membership));
            }
        }
        batch.sources = sources;
        if errors.is_empty() { Ok(batch) } else { Err(InputError(errors)) }
    }

    /// Places the problems the store found (by record index) in their files.
    pub fn locate_refused(&self, refused: &[RecordProblems], lang: Lang) -> InputError {
        let mut out = Vec::new();
        for r in refused {
            let Some(origin) = self.origins.get(r.index) else { continue };
            let source = &self.sources[origin.source];
            for p in r.problems.iter() {
                out.push(locate_problem(source, &origin.prefix, &origin.label, p, lang));
            }
        }
        InputError(out)
    }
}

fn locate_problem(source: &Source, prefix: &str, label: &str, problem: &Problem, lang: Lang) -> Located {
    let path = join_path(prefix, &problem.path);
    Located {
        file: source.name.clone(),
        position: locate(&source.text, source.format, &path),
        record: Some(label.to_owned()),
        message: problem.message(lang),
    }
}
