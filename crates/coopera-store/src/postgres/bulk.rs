//! The fast path of PostgreSQL writes: the rows a write only adds — records' child rows, rows of
//! the audit trail, entries of the change feed — wait in the transaction and go to the server
//! with COPY, a table at a time, before anything reads them and before the commit. A batch of
//! a thousand activities is then a few statements rather than twenty thousand.

use std::io::Write;

use postgres::Transaction;

use super::{db, off_runtime};
use crate::audit::AuditRow;
use crate::rows::{CHILD_TABLES, Cell};
use crate::{Result, StoreError};

/// Rows waiting to be copied.
#[derive(Debug, Default)]
pub(super) struct Pending {
    /// Per child table (by index in [`CHILD_TABLES`]): the rows in COPY's text format.
    children: Vec<String>,
    audit: String,
    feed: String,
    /// The newest row of the trail, once this write has added one: its id and hash.
    pub last_audit: Option<(i64, String)>,
}

impl Pending {
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

    pub fn is_empty(&self) -> bool {
        self.children.iter().all(String::is_empty) && self.audit.is_empty() && self.feed.is_empty()
    }

    /// Copies every waiting row to the server, in an order that keeps references whole.
    pub fn flush(&mut self, tx: &mut Transaction<'_>) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
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

fn copy(tx: &mut Transaction<'_>, sql: &str, rows: String) -> Result<()> {
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
