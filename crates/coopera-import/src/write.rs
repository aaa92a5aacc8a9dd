//! Storing one file in one transaction: the organisations the registry does not hold yet, and
//! the activities, closed over what they name, through the [`Sink`]. Every problem is placed
//! from what reading kept — the line of each activity and where it names each organisation —
//! so nothing is read again, and bytes that came from a reader need not be kept.

use std::collections::{BTreeMap, HashMap, HashSet};

use coopera_domain::Lang;
use coopera_domain::doc::Reference;
use coopera_domain::organisation::Organisation;
use coopera_domain::problem::{Problem, Problems, Rule, Target};
use coopera_store::{AuditEvent, Outcome, Record, RecordKind, RecordProblems, StoreError};

use crate::read::{ReadActivity, ReadFile, ReadOrganisation};
use crate::{ImportSummary, Note, Sink};

/// The writing side of an import: the sink, and what it has seen of the files stored so far.
pub(crate) struct Writer<'a> {
    sink: &'a mut dyn Sink,
    author: &'a str,
    lang: Lang,
    /// Each identifier met so far, with the file and line it came from.
    seen: HashMap<String, (String, u32)>,
}

/// An organisation checked into the domain, with where the file first names it.
struct CheckedOrganisation {
    organisation: Organisation,
    references: Vec<Reference>,
    line: u32,
    column: u32,
}

/// Whether a file's transaction committed.
enum Stored {
    Yes,
    No,
}

/// Where the problems of one record of a batch go.
struct Place {
    line: u32,
    column: u32,
    /// The activity's identifier; `None` for an organisation, whose messages start with its key.
    activity: Option<String>,
    /// Where the activity names each organisation.
    named_at: BTreeMap<String, (u32, u32)>,
}

impl<'a> Writer<'a> {
    pub fn new(sink: &'a mut dyn Sink, author: &'a str, lang: Lang) -> Writer<'a> {
        Writer { sink, author, lang, seen: HashMap::new() }
    }

    /// Stores what was read of one file, and accounts for it in `summary`. An error is the
    /// database's: the import stops there.
    pub fn store(&mut self, file: ReadFile, summary: &mut ImportSummary) -> Result<(), StoreError> {
        let name = file.name.clone();
        match self.store_file(file, summary) {
            Ok(Stored::Yes) => summary.stored.push(name),
            Ok(Stored::No) => summary.not_stored.push(name),
            Err(e) => {
                summary.not_stored.push(name);
                return Err(e);
            }
        }
        Ok(())
    }

    fn store_file(&mut self, file: ReadFile, summary: &mut ImportSummary) -> Result<Stored, StoreError> {
        let ReadFile { name, failed, organisations, mut activities, warnings, refused, invalid, mut duplicates } = file;
        if let Some(failed) = failed {
            summary.errors.push(failed);
            return Ok(Stored::No);
        }
        self.repeated_across_files(&name, &activities, &mut duplicates);
        duplicates.sort_by_key(|d| d.line);
        let mut errors = refused;
        let mut registry = HashMap::new();
        let mut organisations = self.organisations_to_record(&name, organisations, &mut registry, &mut errors)?;
        errors.extend(invalid);
        self.close_over_references(&name, &mut organisations, &mut activities, &mut registry, &mut errors)?;

        let (records, places) = batch(organisations, activities);
        let kinds: Vec<RecordKind> = records.iter().map(Record::kind).collect();
        let stored = match self.sink.record(self.author, records, AuditEvent::Import) {
            Ok(written) => {
                for (kind, outcome) in kinds.iter().zip(&written.outcomes) {
                    let counts = &mut summary.activities;
                    match (kind, outcome) {
                        (RecordKind::Activity, Outcome::Created) => counts.new += 1,
                        (RecordKind::Activity, Outcome::Updated) => counts.updated += 1,
                        (RecordKind::Activity, Outcome::Unchanged) => counts.unchanged += 1,
                        (RecordKind::Organisation, Outcome::Created) => summary.organisations_new += 1,
                        _ => {}
                    }
                }
                Stored::Yes
            }
            Err(StoreError::Invalid(refused)) => {
                self.refused_by_the_store(&name, &refused, &places, &mut errors);
                Stored::No
            }
            Err(e) => return Err(e),
        };
        summary.warnings.extend(warnings);
        summary.errors.extend(errors);
        summary.duplicates.extend(duplicates);
        Ok(stored)
    }

    /// Notes the activities whose identifier an earlier file had: this version updates it.
    fn repeated_across_files(&mut self, file: &str, activities: &[ReadActivity], duplicates: &mut Vec<Note>) {
        for a in activities {
            if let Some((other, other_line)) = self.seen.get(&a.id)
                && other != file
            {
                let message = match self.lang {
                    Lang::Es => {
                        format!("el identificador ya estaba en {other}:{other_line}; esta versión lo actualiza")
                    }
                    Lang::En => format!("identifier already in {other}:{other_line}; this version updates it"),
                };
                duplicates.push(Note {
                    file: file.to_owned(),
                    line: a.line,
                    column: 1,
                    activity: Some(a.id.clone()),
                    message,
                });
            }
            self.seen.insert(a.id.clone(), (file.to_owned(), a.line));
        }
    }

    /// The organisations to write: those the registry does not hold (the registry's record,
    /// curated by its users, wins over a publisher's label), checked into the domain. Those
    /// the domain refuses become errors where the file first names them. `registry` learns
    /// which keys the registry holds.
    fn organisations_to_record(
        &mut self,
        file: &str,
        organisations: BTreeMap<String, ReadOrganisation>,
        registry: &mut HashMap<String, bool>,
        errors: &mut Vec<Note>,
    ) -> Result<Vec<CheckedOrganisation>, StoreError> {
        let mut checked = Vec::with_capacity(organisations.len());
        for (key, ReadOrganisation { doc, line, column }) in organisations {
            let exists = self.sink.has_organisation(&key)?;
            registry.insert(key.clone(), exists);
            if exists {
                continue;
            }
            let references = doc.references();
            match doc.into_domain() {
                Ok(organisation) => checked.push(CheckedOrganisation { organisation, references, line, column }),
                Err(problems) => errors.push(Note {
                    file: file.to_owned(),
                    line,
                    column,
                    activity: None,
                    message: format!("{key}: {}", joined(&problems, self.lang)),
                }),
            }
        }
        Ok(checked)
    }

    /// Leaves out each record that names an organisation neither the batch nor the registry
    /// holds (one the domain refused, say), with an error where it names it: the store would
    /// refuse the whole batch for it. An organisation left out may leave out what names it.
    fn close_over_references(
        &mut self,
        file: &str,
        organisations: &mut Vec<CheckedOrganisation>,
        activities: &mut Vec<ReadActivity>,
        registry: &mut HashMap<String, bool>,
        errors: &mut Vec<Note>,
    ) -> Result<(), StoreError> {
        loop {
            let batch: HashSet<String> = organisations.iter().map(|o| o.organisation.key().to_string()).collect();
            let mut kept = Vec::with_capacity(organisations.len());
            let before = organisations.len();
            for o in organisations.drain(..) {
                let missing = self.missing(&o.references, &batch, registry)?;
                if missing.is_empty() {
                    kept.push(o);
                    continue;
                }
                let key = o.organisation.key().to_string();
                errors.push(Note {
                    file: file.to_owned(),
                    line: o.line,
                    column: o.column,
                    activity: None,
                    message: format!("{key}: {}", joined(&missing, self.lang)),
                });
            }
            *organisations = kept;
            if organisations.len() == before {
                break;
            }
        }
        let batch: HashSet<String> = organisations.iter().map(|o| o.organisation.key().to_string()).collect();
        let mut kept = Vec::with_capacity(activities.len());
        for a in activities.drain(..) {
            let missing = self.missing(&a.references, &batch, registry)?;
            if missing.is_empty() {
                kept.push(a);
                continue;
            }
            for p in missing.iter() {
                let (line, column) = p.value.as_ref().and_then(|k| a.named_at.get(k)).copied().unwrap_or((a.line, 1));
                errors.push(Note {
                    file: file.to_owned(),
                    line,
                    column,
                    activity: Some(a.id.clone()),
                    message: p.message(self.lang),
                });
            }
        }
        *activities = kept;
        Ok(())
    }

    /// The references to organisations that are neither in `batch` nor in the registry, as the
    /// store would report them. Other references are left to the store.
    fn missing(
        &mut self,
        references: &[Reference],
        batch: &HashSet<String>,
        registry: &mut HashMap<String, bool>,
    ) -> Result<Problems, StoreError> {
        let mut problems = Problems::new();
        for r in references.iter().filter(|r| r.target == Target::Organisation) {
            if batch.contains(&r.key) {
                continue;
            }
            let exists = match registry.get(&r.key) {
                Some(exists) => *exists,
                None => {
                    let exists = self.sink.has_organisation(&r.key)?;
                    registry.insert(r.key.clone(), exists);
                    exists
                }
            };
            if !exists {
                problems.push(Problem::new(r.path.clone(), Some(&r.key), Rule::UnknownReference { target: r.target }));
            }
        }
        Ok(problems)
    }

    /// The store refused the batch for a reason closing it over its references did not
    /// foresee: nothing of the file was stored. Each problem goes where its record is, or
    /// where the record names what the problem is about.
    fn refused_by_the_store(&self, file: &str, refused: &[RecordProblems], places: &[Place], errors: &mut Vec<Note>) {
        let lang = self.lang;
        let records: usize = refused.len();
        errors.push(Note {
            file: file.to_owned(),
            line: 0,
            column: 0,
            activity: None,
            message: match lang {
                Lang::Es => format!(
                    "no se importó el archivo: el registro rechazó {records} registro(s); no se guardó nada de él"
                ),
                Lang::En => {
                    format!("file not imported: the registry refused {records} record(s); nothing of it was stored")
                }
            },
        });
        for r in refused {
            let place = places.get(r.index);
            for p in r.problems.iter() {
                let (line, column) = place
                    .and_then(|at| p.value.as_ref().and_then(|k| at.named_at.get(k)).copied())
                    .or(place.map(|at| (at.line, at.column)))
                    .unwrap_or((0, 0));
                let activity = place.and_then(|at| at.activity.clone());
                let message = match activity {
                    Some(_) => p.message(lang),
                    None => format!("{}: {}", r.key, p.message(lang)),
                };
                errors.push(Note { file: file.to_owned(), line, column, activity, message });
            }
        }
    }
}

/// The records of a batch, organisations first, and where each one's problems go.
fn batch(organisations: Vec<CheckedOrganisation>, activities: Vec<ReadActivity>) -> (Vec<Record>, Vec<Place>) {
    let mut records = Vec::with_capacity(organisations.len() + activities.len());
    let mut places = Vec::with_capacity(records.capacity());
    for o in organisations {
        records.push(Record::Organisation(o.organisation));
        places.push(Place { line: o.line, column: o.column, activity: None, named_at: BTreeMap::new() });
    }
    for a in activities {
        records.push(Record::Activity(Box::new(a.activity)));
        places.push(Place { line: a.line, column: 1, activity: Some(a.id), named_at: a.named_at });
    }
    (records, places)
}

/// Problems in `lang`, one after another.
fn joined(problems: &Problems, lang: Lang) -> String {
    problems.iter().map(|p| p.message(lang)).collect::<Vec<_>>().join("; ")
}
