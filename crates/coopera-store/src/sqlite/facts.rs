//! The SQLite side of streaming the report facts: the scans of `crate::facts`, as rusqlite rows.

use rusqlite::{Connection, Row, Rows};

use super::db;
use crate::facts::{self, ACTIVITY_SCAN, CHILD_SCANS, Children, Columns, Scan};
use crate::{ReportFacts, Result};

impl Columns for Row<'_> {
    fn str(&self, i: usize) -> std::result::Result<&str, String> {
        self.get_ref(i).and_then(|v| v.as_str().map_err(Into::into)).map_err(|e| e.to_string())
    }

    fn opt_str(&self, i: usize) -> std::result::Result<Option<&str>, String> {
        self.get_ref(i).and_then(|v| v.as_str_or_null().map_err(Into::into)).map_err(|e| e.to_string())
    }

    fn int(&self, i: usize) -> std::result::Result<i64, String> {
        self.get(i).map_err(|e| e.to_string())
    }

    fn flag(&self, i: usize) -> std::result::Result<bool, String> {
        self.get(i).map_err(|e| e.to_string())
    }
}

impl<'s> Scan for Rows<'s> {
    type Row = Row<'s>;

    fn next(&mut self) -> Result<Option<&Row<'s>>> {
        Rows::next(self).map_err(db)
    }
}

/// Streams the facts of every activity, or of those whose key is in `only`.
pub(super) fn report_facts(
    conn: &Connection,
    only: Option<&[String]>,
    visit: &mut dyn FnMut(&ReportFacts),
) -> Result<()> {
    // One read transaction: the scans below step side by side, and each would otherwise see
    // the database as it was at its own first step — a write committed by another process in
    // between would give an activity without its children, or children without it.
    let read = conn.unchecked_transaction().map_err(db)?;
    let conn: &Connection = &read;
    // The keys, as one JSON array parameter, when only some activities are asked for.
    let keys = only.map(|k| serde_json::to_string(k).unwrap_or_default());
    let (main_where, child_where) = match keys {
        None => ("", ""),
        Some(_) => (
            "WHERE key IN (SELECT value FROM json_each(?1))",
            "WHERE activity_id IN (SELECT id FROM activity WHERE key IN (SELECT value FROM json_each(?1)))",
        ),
    };
    let params: Vec<&dyn rusqlite::ToSql> = match &keys {
        Some(k) => vec![k],
        None => vec![],
    };
    let mut main =
        conn.prepare(&format!("SELECT {ACTIVITY_SCAN} FROM activity {main_where} ORDER BY id")).map_err(db)?;
    let mut statements = Vec::with_capacity(CHILD_SCANS.len());
    for (table, columns) in CHILD_SCANS {
        let sql = format!("SELECT activity_id, {columns} FROM {table} {child_where} ORDER BY activity_id, rowid");
        statements.push(conn.prepare(&sql).map_err(db)?);
    }
    let mut scans = Vec::with_capacity(statements.len());
    for s in &mut statements {
        scans.push(s.query(params.as_slice()).map_err(db)?);
    }
    let scans: [Rows<'_>; 8] = scans.try_into().map_err(|_| crate::StoreError::Backend("eight child scans".into()))?;
    let rows = main.query(params.as_slice()).map_err(db)?;
    facts::stream(rows, Children::new(scans), visit)
}
