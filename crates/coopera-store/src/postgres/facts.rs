//! The PostgreSQL side of the report facts: the scans of `crate::facts` as portals — server-side
//! cursors read a batch at a time, all in one read-only, repeatable-read transaction — so
//! memory stays bounded at any size and every scan sees the same registry.

use std::cell::RefCell;
use std::collections::VecDeque;

use postgres::{Client, GenericClient, IsolationLevel, Portal, Row, Transaction};

use super::{Param, Pg, db, filter_sql, get, off_runtime, refs, year};
use crate::facts::{self, ACTIVITY_SCAN, CHILD_SCANS, Children, Columns, Gather, Scan};
use crate::{ActivityFacts, ActivityFilter, ReportFacts, Result, StoreError};

/// Rows fetched from a portal at a time.
const BATCH: i32 = 2_000;

impl Columns for Row {
    fn str(&self, i: usize) -> std::result::Result<&str, String> {
        self.try_get(i).map_err(|e| e.to_string())
    }

    fn opt_str(&self, i: usize) -> std::result::Result<Option<&str>, String> {
        self.try_get(i).map_err(|e| e.to_string())
    }

    fn int(&self, i: usize) -> std::result::Result<i64, String> {
        self.try_get(i).map_err(|e| e.to_string())
    }

    fn flag(&self, i: usize) -> std::result::Result<bool, String> {
        self.try_get(i).map_err(|e| e.to_string())
    }
}

/// One portal of the read's transaction, a batch of rows read ahead.
struct PortalScan<'a, 't> {
    tx: &'a RefCell<Transaction<'t>>,
    portal: Portal,
    rows: VecDeque<Row>,
    current: Option<Row>,
    done: bool,
}

impl<'a, 't> PortalScan<'a, 't> {
    fn open(tx: &'a RefCell<Transaction<'t>>, sql: &str, params: &[Param]) -> Result<PortalScan<'a, 't>> {
        let portal = {
            let mut t = tx.borrow_mut();
            let t = &mut *t;
            let params = refs(params);
            off_runtime(|| -> Result<Portal> {
                let statement = t.prepare(sql).map_err(db)?;
                t.bind(&statement, &params).map_err(db)
            })?
        };
        Ok(PortalScan { tx, portal, rows: VecDeque::new(), current: None, done: false })
    }
}

impl Scan for PortalScan<'_, '_> {
    type Row = Row;

    fn next(&mut self) -> Result<Option<&Row>> {
        if self.rows.is_empty() && !self.done {
            let mut tx = self.tx.borrow_mut();
            let tx = &mut *tx;
            let portal = &self.portal;
            let batch = off_runtime(|| tx.query_portal(portal, BATCH)).map_err(db)?;
            self.done = batch.len() < usize::try_from(BATCH).unwrap_or(usize::MAX);
            self.rows.extend(batch);
        }
        self.current = self.rows.pop_front();
        Ok(self.current.as_ref())
    }
}

/// A read-only transaction that sees one state of the registry for all its scans.
fn read(client: &mut Client) -> Result<Transaction<'_>> {
    off_runtime(|| client.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start())
        .map_err(db)
}

/// Ends a read: committed when the scans went through, rolled back otherwise (here, not by the
/// transaction's drop, which would block wherever it happens to be).
fn finish(tx: Transaction<'_>, done: Result<()>) -> Result<()> {
    match done {
        Ok(()) => off_runtime(move || tx.commit()).map_err(db),
        Err(e) => {
            let _ = off_runtime(move || tx.rollback());
            Err(e)
        }
    }
}

/// Streams the facts of every activity, or of those whose key is in `only`.
pub(super) fn report_facts(
    client: &mut Client,
    only: Option<&[String]>,
    visit: &mut dyn FnMut(&ReportFacts),
) -> Result<()> {
    let tx = RefCell::new(read(client)?);
    let (main_where, child_where) = match only {
        None => ("", ""),
        Some(_) => ("WHERE key = ANY($1)", "WHERE activity_id IN (SELECT id FROM activity WHERE key = ANY($1))"),
    };
    let params: Vec<Param> = match only {
        Some(keys) => vec![Box::new(keys.to_vec())],
        None => vec![],
    };
    let done = {
        let mut scans = Vec::with_capacity(CHILD_SCANS.len());
        for (table, columns) in CHILD_SCANS {
            let sql = format!("SELECT activity_id, {columns} FROM {table} {child_where} ORDER BY activity_id, n");
            scans.push(PortalScan::open(&tx, &sql, &params)?);
        }
        let scans: [PortalScan<'_, '_>; 8] =
            scans.try_into().map_err(|_| StoreError::Backend("eight child scans".into()))?;
        let main =
            PortalScan::open(&tx, &format!("SELECT {ACTIVITY_SCAN} FROM activity {main_where} ORDER BY id"), &params)?;
        facts::stream(main, Children::new(scans), visit)
    };
    finish(tx.into_inner(), done)
}

/// Visits every record of a kind through a portal (see `Backend::scan_documents`).
pub(super) fn scan_documents(
    client: &mut Client,
    kind: crate::record::RecordKind,
    visit: &mut crate::backend::VisitDocument<'_>,
) -> Result<()> {
    let tx = RefCell::new(read(client)?);
    let done = (|| {
        let mut scan = PortalScan::open(&tx, &crate::rows::scan_sql(kind), &[])?;
        while let Some(r) = scan.next()? {
            let derived = if kind == crate::record::RecordKind::Activity {
                Some(crate::store::derived(get(r, 2)?, get(r, 3)?, get(r, 4)?))
            } else {
                None
            };
            visit(get(r, 0)?, get(r, 1)?, derived)?;
        }
        Ok(())
    })();
    finish(tx.into_inner(), done)
}

/// Report inputs of the activities matching `filter`.
pub(super) fn activity_facts(
    pg: &Pg<'_, impl GenericClient + Send>,
    filter: &ActivityFilter,
) -> Result<Vec<ActivityFacts>> {
    let (clause, values) = filter_sql(filter);
    let params = refs(&values);
    let mut gather = Gather::default();
    let sql = format!(
        "SELECT a.id, a.key, a.direction, a.modality, a.start_year FROM activity a WHERE {clause} ORDER BY a.id"
    );
    for r in pg.query(&sql, &params)? {
        gather.activity(get(&r, 0)?, get(&r, 1)?, get(&r, 2)?, get(&r, 3)?, year(get(&r, 4)?))?;
    }
    let sql = format!(
        "SELECT s.activity_id, s.vocabulary, s.code, s.percentage FROM activity_sector s \
         JOIN activity a ON a.id = s.activity_id WHERE {clause} ORDER BY s.n"
    );
    for r in pg.query(&sql, &params)? {
        gather.sector(get(&r, 0)?, get(&r, 1)?, get(&r, 2)?, get(&r, 3)?)?;
    }
    let sql = format!(
        "SELECT m.activity_id, m.kind, m.amount, m.currency FROM activity_money m \
         JOIN activity a ON a.id = m.activity_id WHERE {clause}"
    );
    for r in pg.query(&sql, &params)? {
        gather.money(get(&r, 0)?, get(&r, 1)?, get(&r, 2)?, get(&r, 3)?)?;
    }
    Ok(gather.finish())
}
