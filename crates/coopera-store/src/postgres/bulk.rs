//! The fast path of PostgreSQL writes: what a write stores waits in the transaction and goes to
//! the server before anything reads it and before the commit — records' main rows as
//! multi-row upserts (a few hundred a statement), their child rows, the audit trail's rows
//! and the change feed's entries with COPY, a table at a time. A batch of a thousand
//! activities is then a handful of statements rather than twenty thousand.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use postgres::GenericClient;

use super::{Param, cell, db, get, off_runtime, refs};
use crate::audit::AuditRow;
use crate::record::RecordKind;
use crate::rows::{self, CHILD_TABLES, Cell, Child, table};
use crate::{Result, StoreError};

/// A record waiting to be stored: its main row (the values of `rows::main_row`'s columns, then
/// `doc` and `key`) and its child rows.
#[derive(Debug)]
struct Waiting {
    kind: RecordKind,
    key: String,
    columns: &'static [&'static str],
    values: Vec<Cell>,
    children: Vec<Child>,
}

/// Parameters a statement may carry (PostgreSQL's limit is 65,535).
const MAX_PARAMS: usize = 30_000;

/// How many bytes of rows wait at most before they are copied.
pub(super) const FLUSH_AT: usize = 16 << 20;

/// What a write stores, waiting to be sent.
#[derive(Debug, Default)]
pub(super) struct Pending {
    records: Vec<Waiting>,
    /// The keys of `records`, by kind: a key written twice in one transaction flushes first.
    keys: HashSet<(RecordKind, String)>,
    /// Per child table (by index in [`CHILD_TABLES`]): the rows in COPY's text format.
    children: Vec<String>,
    audit: String,
    feed: String,
    /// The newest row of the trail, once this write has added one: its id and hash.
    pub last_audit: Option<(i64, String)>,
}

impl Pending {
    /// A record to store — inserted, or updated with its child rows replaced: the values of
    /// its main row's `columns`, then `doc` and `key`, and its child rows.
    pub fn record(
        &mut self,
        kind: RecordKind,
        key: String,
        columns: &'static [&'static str],
        values: Vec<Cell>,
        children: Vec<Child>,
    ) {
        self.keys.insert((kind, key.clone()));
        self.records.push(Waiting { kind, key, columns, values, children });
    }

    pub fn waits_for(&self, kind: RecordKind, key: &str) -> bool {
        self.keys.contains(&(kind, key.to_owned()))
    }

    pub fn child(&mut self, table: usize, parent: i64, values: Vec<Cell>) {
        if self.children.is_empty() {
            self.children = vec![String::new(); CHILD_TABLES.len()];
        }
        let line = &mut self.children[table];
        line.push_str(&parent.to_string());
        for v in values {
            line.push('\t');
            match v {
                Cell::Text(Some(s)) => escape(line, &s),
                Cell::Text(None) | Cell::Int(None) => line.push_str("\\N"),
                Cell::Int(Some(n)) => line.push_str(&n.to_string()),
                Cell::Flag(b) => line.push_str(if b { "t" } else { "f" }),
            }
        }
        line.push('\n');
    }

    pub fn audit(&mut self, a: &AuditRow) {
        let line = &mut self.audit;
        line.push_str(&a.id.to_string());
        for field in [
            Some(a.at.as_str()),
            Some(&a.author),
            Some(&a.kind),
            Some(&a.key),
            Some(&a.action),
            Some(&a.event),
            a.address.as_deref(),
            a.detail.as_deref(),
            a.before.as_deref(),
            a.after_hash.as_deref(),
            Some(&a.prev_hash),
            Some(&a.hash),
        ] {
            line.push('\t');
            match field {
                Some(s) => escape(line, s),
                None => line.push_str("\\N"),
            }
        }
        line.push('\n');
        self.last_audit = Some((a.id, a.hash.clone()));
    }

    pub fn feed(&mut self, kind: &str, key: &str) {
        escape(&mut self.feed, kind);
        self.feed.push('\t');
        escape(&mut self.feed, key);
        self.feed.push('\n');
    }

    /// Bytes waiting: a large write (a copy of a whole registry) flushes as it goes.
    pub fn size(&self) -> usize {
        let rows = self.children.iter().map(String::len).sum::<usize>();
        let records = self.records.iter().map(|r| r.values.len().saturating_mul(64)).sum::<usize>();
        rows.saturating_add(records).saturating_add(self.audit.len()).saturating_add(self.feed.len())
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
            && self.children.iter().all(String::is_empty)
            && self.audit.is_empty()
            && self.feed.is_empty()
    }

    /// Copies every waiting row to the server, in an order that keeps references whole.
    pub fn flush(&mut self, tx: &mut (impl GenericClient + Send)) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        self.store_records(tx)?;
        let children = std::mem::take(&mut self.children);
        for (t, rows) in CHILD_TABLES.iter().zip(children) {
            let sql = format!("COPY {} ({}, {}) FROM STDIN", t.name, t.parent, t.columns.join(", "));
            copy(tx, &sql, rows)?;
        }
        let sql = "COPY change_history (id, at, author, record_kind, record_key, action, event, address, detail, \
                   before, after_hash, prev_hash, hash) FROM STDIN";
        copy(tx, sql, std::mem::take(&mut self.audit))?;
        copy(tx, "COPY change_feed (kind, key) FROM STDIN", std::mem::take(&mut self.feed))
    }
}

impl Pending {
    /// Upserts the waiting records a kind and a few hundred at a time, deletes the old child
    /// rows of those that were updated, and leaves their new child rows to be copied.
    fn store_records(&mut self, tx: &mut (impl GenericClient + Send)) -> Result<()> {
        let mut records = std::mem::take(&mut self.records);
        self.keys.clear();
        records.sort_by_key(|r| RecordKind::ALL.iter().position(|k| *k == r.kind));
        let mut start = 0;
        while start < records.len() {
            let kind = records[start].kind;
            let width = records[start].values.len().max(1);
            let same = records[start..].iter().take_while(|r| r.kind == kind).count();
            let take = same.min(MAX_PARAMS.checked_div(width).unwrap_or(1).max(1));
            let chunk = &mut records[start..start.saturating_add(take)];
            let ids = upsert(tx, kind, chunk)?;
            let updated: Vec<i64> = ids.values().filter(|(_, inserted)| !inserted).map(|(id, _)| *id).collect();
            if !updated.is_empty() {
                for child in rows::child_tables(kind) {
                    let sql = format!("DELETE FROM {} WHERE {} = ANY($1)", child.name, child.parent);
                    off_runtime(|| tx.execute(sql.as_str(), &[&updated])).map_err(db)?;
                }
            }
            for r in chunk.iter_mut() {
                let Some(&(id, _)) = ids.get(&r.key) else {
                    return Err(StoreError::Backend(format!("{} `{}` was not stored", kind.as_str(), r.key).into()));
                };
                for c in std::mem::take(&mut r.children) {
                    self.child(c.table, id, c.values);
                }
            }
            start = start.saturating_add(take);
        }
        Ok(())
    }
}

/// One multi-row upsert: each record's id, and whether it was inserted (rather than updated).
fn upsert(
    tx: &mut (impl GenericClient + Send),
    kind: RecordKind,
    chunk: &mut [Waiting],
) -> Result<HashMap<String, (i64, bool)>> {
    let columns: Vec<&str> =
        chunk.first().map_or(&[][..], |r| r.columns).iter().copied().chain(["doc", "key"]).collect();
    let mut params: Vec<Param> = Vec::with_capacity(chunk.len().saturating_mul(columns.len()));
    let mut tuples = Vec::with_capacity(chunk.len());
    for r in chunk.iter_mut() {
        let first = params.len();
        params.extend(std::mem::take(&mut r.values).into_iter().map(cell));
        let marks: Vec<String> = (first.saturating_add(1)..=params.len()).map(|i| format!("${i}")).collect();
        tuples.push(format!("({})", marks.join(", ")));
    }
    let sets: Vec<String> = columns.iter().map(|c| format!("{c} = EXCLUDED.{c}")).collect();
    // `xmax` is 0 on a row this statement inserted, and set on one it updated.
    let sql = format!(
        "INSERT INTO {} ({}) VALUES {} ON CONFLICT (key) DO UPDATE SET {} RETURNING key, id, xmax = 0",
        table(kind),
        columns.join(", "),
        tuples.join(", "),
        sets.join(", ")
    );
    let params = refs(&params);
    let rows = off_runtime(|| tx.query(sql.as_str(), &params)).map_err(db)?;
    rows.iter().map(|r| Ok((get(r, 0)?, (get(r, 1)?, get(r, 2)?)))).collect()
}

fn copy(tx: &mut (impl GenericClient + Send), sql: &str, rows: String) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    off_runtime(|| -> Result<()> {
        let mut writer = tx.copy_in(sql).map_err(db)?;
        writer.write_all(rows.as_bytes()).map_err(|e| StoreError::Backend(Box::new(e)))?;
        writer.finish().map(drop).map_err(db)
    })
}

/// A value in COPY's text format: backslash, tab, newline and carriage return escaped.
fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_for_copy() {
        let mut p = Pending::default();
        p.child(0, 7, vec![Cell::Text(Some("a\tb\\c\nd".into())), Cell::Text(None)]);
        assert_eq!(p.children[0], "7\ta\\tb\\\\c\\nd\t\\N\n");
        p.feed("activity", "MX-1");
        assert_eq!(p.feed, "activity\tMX-1\n");
        assert!(!p.is_empty());
    }
}
