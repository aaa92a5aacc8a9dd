//! The rules of every write, written once above the backends: keys are unique in a batch,
//! references exist, a record stored with another content is not replaced unless the writer
//! says so, a write started from an older version of a record is refused, direction and
//! levels are derived (and re-derived when an organisation changes), and each change leaves a
//! row of history and an entry in the change feed.

use std::collections::{BTreeMap, HashMap, HashSet};

use coopera_domain::activity::{Activity, Derived};
use coopera_domain::doc::Reference;
use coopera_domain::organisation::Organisation;
use coopera_domain::problem::{Problems, Rule, Target};
use coopera_domain::record::RecordKind;

use crate::audit::{self, AuditEvent, AuditRow};
use crate::backend::{Fetch, Transaction};
use crate::{
    ChangeAction, DIFFERENCES_SHOWN, ExchangeRate, Existing, FeedEntry, Outcome, RatesSummary, Record, RecordProblems,
    Result, StoreError, StoreOptions, Version, WriteSummary,
};

/// How a batch is written.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// What to do with a record stored under the same key with another content.
    pub existing: Existing,
    /// The version of the record the writer started from (a form shows a record at one
    /// version): when the stored record has changed since, the write is refused with
    /// [`StoreError::Stale`]. Applies to every record of the batch that is stored already.
    pub base: Option<Version>,
    /// How the change comes, for the audit trail (an edit unless said).
    pub event: Option<AuditEvent>,
    /// The client's network address, for a write that came over the network.
    pub address: Option<String>,
    /// What the audit trail says of it besides: a transition's reason.
    pub detail: Option<String>,
}

/// The path of a record's key field, as the document names it.
fn key_path(kind: RecordKind) -> &'static str {
    if kind == RecordKind::Activity { "id" } else { "key" }
}

/// Looks records up inside the batch first, then in the database, caching decoded organisations.
struct Lookup<'a> {
    fetch: &'a dyn Fetch,
    batch_orgs: HashMap<String, &'a Organisation>,
    batch_activities: HashSet<String>,
    batch_capacities: HashSet<String>,
    loaded: HashMap<String, Option<Organisation>>,
}

impl<'a> Lookup<'a> {
    fn new(fetch: &'a dyn Fetch) -> Lookup<'a> {
        Lookup {
            fetch,
            batch_orgs: HashMap::new(),
            batch_activities: HashSet::new(),
            batch_capacities: HashSet::new(),
            loaded: HashMap::new(),
        }
    }

    fn with_batch(fetch: &'a dyn Fetch, records: &'a [Record]) -> Lookup<'a> {
        let mut lookup = Lookup::new(fetch);
        for r in records {
            match r {
                Record::Organisation(o) => {
                    lookup.batch_orgs.insert(o.key().to_string(), o);
                }
                Record::Activity(a) => {
                    lookup.batch_activities.insert(a.key().to_string());
                }
                Record::Capacity(c) => {
                    lookup.batch_capacities.insert(c.parts().key.to_string());
                }
                _ => {}
            }
        }
        lookup
    }

    fn org(&mut self, key: &str) -> Result<Option<Organisation>> {
        if let Some(o) = self.batch_orgs.get(key) {
            return Ok(Some((*o).clone()));
        }
        if let Some(o) = self.loaded.get(key) {
            return Ok(o.clone());
        }
        let found = match self.fetch.document(RecordKind::Organisation, key)? {
            Some(doc) => match decode(RecordKind::Organisation, key, &doc)? {
                Record::Organisation(o) => Some(o),
                _ => None,
            },
            None => None,
        };
        self.loaded.insert(key.to_owned(), found.clone());
        Ok(found)
    }

    fn activity_exists(&self, key: &str) -> Result<bool> {
        if self.batch_activities.contains(key) {
            return Ok(true);
        }
        self.fetch.exists(RecordKind::Activity, key)
    }

    fn capacity_exists(&self, key: &str) -> Result<bool> {
        if self.batch_capacities.contains(key) {
            return Ok(true);
        }
        self.fetch.exists(RecordKind::Capacity, key)
    }
}

pub(crate) fn decode(kind: RecordKind, key: &str, doc: &str) -> Result<Record> {
    Record::from_json(kind, doc).map_err(|reason| StoreError::Corrupt { kind, key: key.to_owned(), reason })
}

/// The problems of references that resolve to nothing (or, for an international action's
/// actor, to an organisation that is not a state or municipal government; for a good
/// practice's organisations, to one that is not federal, state or municipal).
fn check_references(references: &[Reference], lookup: &mut Lookup<'_>) -> Result<Problems> {
    let mut problems = Problems::new();
    for r in references {
        let unknown = Rule::UnknownReference { target: r.target };
        match r.target {
            Target::Organisation | Target::SubnationalGovernment | Target::MexicanGovernment => {
                match lookup.org(&r.key)? {
                    None => problems.add(r.path.clone(), Some(&r.key), unknown),
                    Some(o) if r.target == Target::SubnationalGovernment && !o.level().is_subnational() => {
                        problems.add(r.path.clone(), Some(&r.key), Rule::NotSubnational)
                    }
                    Some(o) if r.target == Target::MexicanGovernment && !o.level().is_mexican_government() => {
                        problems.add(r.path.clone(), Some(&r.key), Rule::NotMexicanGovernment)
                    }
                    Some(_) => {}
                }
            }
            Target::Activity => {
                if !lookup.activity_exists(&r.key)? {
                    problems.add(r.path.clone(), Some(&r.key), unknown);
                }
            }
            Target::Capacity => {
                if !lookup.capacity_exists(&r.key)? {
                    problems.add(r.path.clone(), Some(&r.key), unknown);
                }
            }
            Target::Demand | Target::Record(_) => {
                let kind = match r.target {
                    Target::Record(kind) => kind,
                    _ => RecordKind::Demand,
                };
                if !lookup.fetch.exists(kind, &r.key)? {
                    problems.add(r.path.clone(), Some(&r.key), unknown);
                }
            }
        }
    }
    Ok(problems)
}

/// [`check_references`] outside a write, for a document not yet whole.
pub(crate) fn references(fetch: &dyn Fetch, references: &[Reference]) -> Result<Problems> {
    check_references(references, &mut Lookup::new(fetch))
}

/// The rules of a batch that need the database: keys are unique in the batch, references
/// exist — in the batch or the registry — and, with [`Existing::Refuse`], a record stored
/// under its key with another content is not replaced. One list of problems per record.
fn check_batch(
    records: &[Record],
    documents: &[(String, Vec<Reference>)],
    lookup: &mut Lookup<'_>,
    existing: Existing,
) -> Result<Vec<Problems>> {
    let mut all = Vec::with_capacity(records.len());
    let mut seen: HashSet<(RecordKind, String)> = HashSet::new();
    for (record, (doc, references)) in records.iter().zip(documents) {
        let kind = record.kind();
        let key = record.key();
        let mut problems = Problems::new();
        if !seen.insert((kind, key.clone())) {
            problems.add(key_path(kind), Some(&key), Rule::Duplicate);
        }
        problems.nest("", check_references(references, lookup)?);
        if existing == Existing::Refuse
            && let Some(stored) = lookup.fetch.document(kind, &key)?
            && !Record::same_document(&stored, doc)
        {
            let differences = record.differences_from(&stored);
            problems.add(key_path(kind), Some(&key), Rule::StoredDiffers { differences: differences.len() });
            for d in differences.into_iter().take(DIFFERENCES_SHOWN) {
                problems.add(d.path, None, Rule::Changed { stored: d.stored, new: d.new });
            }
        }
        all.push(problems);
    }
    Ok(all)
}

/// The records of a batch with the workflow state of those stored already, for every kind
/// but activities: an edit, an import or an update never moves a record along its workflow,
/// only its own steps do ([`crate::Store::transition`]). New records enter as they say. An
/// activity's writers keep its state themselves, since an import may put activities in a
/// state (`--publish`).
fn keep_workflow(records: &[Record], stored: &HashMap<(RecordKind, String), String>) -> Option<Vec<Record>> {
    let kept = |kind| !matches!(kind, RecordKind::Activity | RecordKind::Organisation | RecordKind::Demand);
    if !records.iter().any(|r| kept(r.kind())) {
        return None;
    }
    // Only the kinds whose state is kept are read back: an activity's stored document is
    // not parsed for it.
    let stored_state = |r: &Record| {
        if !kept(r.kind()) {
            return None;
        }
        let doc = stored.get(&(r.kind(), r.key()))?;
        Record::from_json(r.kind(), doc).ok()?.workflow()
    };
    let with_state = |r: &Record| match stored_state(r) {
        Some(state) => r.clone().with_workflow(state),
        None => r.clone(),
    };
    Some(records.iter().map(with_state).collect())
}

/// Refuses the write when a record of the batch changed after `base`.
fn check_base(records: &[Record], fetch: &dyn Fetch, base: Version) -> Result<()> {
    for r in records {
        let (kind, key) = (r.kind(), r.key());
        if let Some(current) = fetch.version(kind, &key)?
            && current > base
        {
            return Err(StoreError::Stale { kind, key, base, current });
        }
    }
    Ok(())
}

fn derive(activity: &Activity, lookup: &mut Lookup<'_>, options: StoreOptions) -> Result<Derived> {
    let mut orgs = BTreeMap::new();
    for p in &activity.parts().participants {
        if let Some(o) = lookup.org(p.org.as_str())? {
            orgs.insert(p.org.clone(), o);
        }
    }
    Ok(activity.derive(options.home_country, |k| orgs.get(k)))
}

pub(crate) fn now() -> String {
    let format = time::format_description::well_known::Rfc3339;
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap_or(now).format(&format).unwrap_or_default()
}

/// Writes a batch inside `tx` (see [`crate::Store::write`]).
pub(crate) fn record(
    tx: &mut dyn Transaction,
    author: &str,
    records: &[Record],
    how: &WriteOptions,
    options: StoreOptions,
) -> Result<WriteSummary> {
    // What is stored under the batch's keys, read a kind at a time.
    let mut stored_now: HashMap<(RecordKind, String), String> = HashMap::new();
    for kind in RecordKind::ALL {
        let keys: Vec<String> = records.iter().filter(|r| r.kind() == kind).map(Record::key).collect();
        if !keys.is_empty() {
            stored_now.extend(tx.documents_of(kind, &keys)?.into_iter().map(|(k, d)| ((kind, k), d)));
        }
    }
    let kept = match how.event {
        Some(AuditEvent::Transition) => None,
        _ => keep_workflow(records, &stored_now),
    };
    let records = kept.as_deref().unwrap_or(records);
    let documents: Vec<(String, Vec<Reference>)> = records.iter().map(Record::stored).collect();
    // First every check and derivation, reading only; then the writes. Derivation reads the
    // organisations of the batch before the stored ones, so doing it first sees the same.
    let plan: Vec<Option<(Option<String>, Option<Derived>)>> = {
        let mut lookup = Lookup::with_batch(&*tx, records);
        let problems = check_batch(records, &documents, &mut lookup, how.existing)?;
        let refused: Vec<RecordProblems> = records
            .iter()
            .zip(problems)
            .enumerate()
            .filter(|(_, (_, p))| !p.is_empty())
            .map(|(index, (r, problems))| RecordProblems { index, kind: r.kind(), key: r.key(), problems })
            .collect();
        if !refused.is_empty() {
            return Err(StoreError::Invalid(refused));
        }
        if let Some(base) = how.base {
            check_base(records, lookup.fetch, base)?;
        }
        let mut plan = Vec::with_capacity(records.len());
        for (record, (doc, _)) in records.iter().zip(&documents) {
            let stored = stored_now.remove(&(record.kind(), record.key()));
            if stored.as_deref().is_some_and(|before| Record::same_document(before, doc)) {
                plan.push(None);
                continue;
            }
            let derived = match record {
                Record::Activity(a) => Some(derive(a, &mut lookup, options)?),
                _ => None,
            };
            plan.push(Some((stored, derived)));
        }
        plan
    };
    let at = now();
    let mut summary = WriteSummary::default();
    let mut changed_orgs = Vec::new();
    let mut written_activities = HashSet::new();
    for ((record, (doc, _)), planned) in records.iter().zip(&documents).zip(plan) {
        let Some((stored, derived)) = planned else {
            summary.outcomes.push(Outcome::Unchanged);
            continue;
        };
        let kind = record.kind();
        let key = record.key();
        tx.put(record, doc, derived)?;
        if kind == RecordKind::Activity {
            written_activities.insert(key.clone());
        }
        if kind == RecordKind::Organisation && stored.is_some() {
            changed_orgs.push(key.clone());
        }
        let action = if stored.is_some() { ChangeAction::Update } else { ChangeAction::Create };
        // `after` is not stored: it is the next change's `before`, or the record as it is now
        // (see `history`), so each document is stored once; the trail keeps its digest.
        let row = AuditRow {
            id: 0,
            at: at.clone(),
            author: author.to_owned(),
            kind: kind.as_str().to_owned(),
            key: key.clone(),
            action: action.as_str().to_owned(),
            event: how.event.unwrap_or(AuditEvent::Edit).as_str().to_owned(),
            address: how.address.clone(),
            detail: how.detail.clone(),
            before: stored,
            after_hash: Some(audit::digest(doc)),
            prev_hash: String::new(),
            hash: String::new(),
        };
        audit::append(tx, row)?;
        tx.add_feed(&FeedEntry::Record { kind, key: key.clone() })?;
        summary.outcomes.push(match action {
            ChangeAction::Create => Outcome::Created,
            ChangeAction::Update => Outcome::Updated,
        });
    }
    summary.rederived = rederive(tx, &changed_orgs, &written_activities, options)?;
    Ok(summary)
}

/// Re-derives the activities an updated organisation takes part in that the batch did not
/// rewrite; returns the keys of those whose derived facts changed.
fn rederive(
    tx: &mut dyn Transaction,
    orgs: &[String],
    skip: &HashSet<String>,
    options: StoreOptions,
) -> Result<Vec<String>> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let rows = tx.activities_naming(orgs)?;
    let mut updates = Vec::new();
    {
        let mut lookup = Lookup::new(&*tx);
        for (key, doc) in rows {
            if skip.contains(&key) {
                continue;
            }
            let Record::Activity(a) = decode(RecordKind::Activity, &key, &doc)? else { continue };
            updates.push((key, derive(&a, &mut lookup, options)?));
        }
    }
    let mut changed = Vec::with_capacity(updates.len());
    for (key, derived) in updates {
        tx.set_derived(&key, derived)?;
        tx.add_feed(&FeedEntry::Record { kind: RecordKind::Activity, key: key.clone() })?;
        changed.push(key);
    }
    Ok(changed)
}

/// Stores exchange rates inside `tx`: a rate for the same currency and period replaces the
/// one stored; an identical one is left as it is.
pub(crate) fn record_rates(tx: &mut dyn Transaction, rates: &[ExchangeRate]) -> Result<RatesSummary> {
    let mut summary = RatesSummary::default();
    for r in rates {
        let value = r.units_per_usd.normalize().to_string();
        match tx.rate(r)? {
            Some((v, source)) if v == value && source == r.source => {
                summary.unchanged = summary.unchanged.saturating_add(1);
                continue;
            }
            Some(_) => summary.updated = summary.updated.saturating_add(1),
            None => summary.created = summary.created.saturating_add(1),
        }
        tx.put_rate(r, &value)?;
    }
    if summary.created > 0 || summary.updated > 0 {
        tx.add_feed(&FeedEntry::Rates)?;
    }
    Ok(summary)
}
