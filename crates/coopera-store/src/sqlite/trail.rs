//! The SQLite side of accounts, tokens, sessions and the audit trail.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::db;
use crate::Result;
use crate::accounts::{AccountRow, SessionRow, TokenRow};
use crate::audit::{AuditFilter, AuditRow};
use crate::copy::TokenCopy;

const ACCOUNT: &str = "SELECT name, role, scope, password_hash, disabled, created_at, password_changed_at FROM account";

fn account_row(r: &Row<'_>) -> rusqlite::Result<AccountRow> {
    Ok(AccountRow {
        name: r.get(0)?,
        role: r.get(1)?,
        scope: r.get(2)?,
        password_hash: r.get(3)?,
        disabled: r.get(4)?,
        created_at: r.get(5)?,
        password_changed_at: r.get(6)?,
    })
}

pub(super) fn account(conn: &Connection, name: &str) -> Result<Option<AccountRow>> {
    conn.prepare_cached(&format!("{ACCOUNT} WHERE name = ?1"))
        .and_then(|mut s| s.query_row([name], account_row).optional())
        .map_err(db)
}

pub(super) fn accounts(conn: &Connection) -> Result<Vec<AccountRow>> {
    let mut stmt = conn.prepare(&format!("{ACCOUNT} ORDER BY name")).map_err(db)?;
    stmt.query_map([], account_row).map_err(db)?.collect::<Result<_, _>>().map_err(db)
}

pub(super) fn put_account(conn: &Connection, a: &AccountRow) -> Result<()> {
    conn.execute(
        "INSERT INTO account (name, role, scope, password_hash, disabled, created_at, password_changed_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (name) DO UPDATE SET role = ?2, scope = ?3, password_hash = ?4, disabled = ?5, \
         password_changed_at = ?7",
        params![a.name, a.role, a.scope, a.password_hash, a.disabled, a.created_at, a.password_changed_at],
    )
    .map(drop)
    .map_err(db)
}

const TOKEN: &str = "SELECT id, account, label, created_at, last_used_at, revoked_at IS NOT NULL FROM api_token";

fn token_row(r: &Row<'_>) -> rusqlite::Result<TokenRow> {
    Ok(TokenRow {
        id: r.get(0)?,
        account: r.get(1)?,
        label: r.get(2)?,
        created_at: r.get(3)?,
        last_used: r.get(4)?,
        revoked: r.get(5)?,
    })
}

pub(super) fn token(conn: &Connection, hash: &str) -> Result<Option<TokenRow>> {
    conn.prepare_cached(&format!("{TOKEN} WHERE hash = ?1"))
        .and_then(|mut s| s.query_row([hash], token_row).optional())
        .map_err(db)
}

pub(super) fn tokens(conn: &Connection, account: &str) -> Result<Vec<TokenRow>> {
    let mut stmt = conn.prepare(&format!("{TOKEN} WHERE account = ?1 ORDER BY id")).map_err(db)?;
    stmt.query_map([account], token_row).map_err(db)?.collect::<Result<_, _>>().map_err(db)
}

pub(super) fn add_token(conn: &Connection, account: &str, label: &str, hash: &str, at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO api_token (account, label, hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![account, label, hash, at],
    )
    .map(drop)
    .map_err(db)
}

pub(super) fn revoke_tokens(conn: &Connection, account: &str, label: Option<&str>, at: &str) -> Result<usize> {
    conn.execute(
        "UPDATE api_token SET revoked_at = ?1 WHERE account = ?2 AND revoked_at IS NULL AND (?3 IS NULL OR label = ?3)",
        params![at, account, label],
    )
    .map_err(db)
}

pub(super) fn token_copies(conn: &Connection) -> Result<Vec<TokenCopy>> {
    let mut stmt = conn
        .prepare("SELECT account, label, hash, created_at, last_used_at, revoked_at FROM api_token ORDER BY id")
        .map_err(db)?;
    stmt.query_map([], |r| {
        Ok(TokenCopy {
            account: r.get(0)?,
            label: r.get(1)?,
            hash: r.get(2)?,
            created_at: r.get(3)?,
            last_used_at: r.get(4)?,
            revoked_at: r.get(5)?,
        })
    })
    .map_err(db)?
    .collect::<Result<_, _>>()
    .map_err(db)
}

pub(super) fn put_token(conn: &Connection, t: &TokenCopy) -> Result<()> {
    conn.execute(
        "INSERT INTO api_token (account, label, hash, created_at, last_used_at, revoked_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![t.account, t.label, t.hash, t.created_at, t.last_used_at, t.revoked_at],
    )
    .map(drop)
    .map_err(db)
}

pub(super) fn touch_token(conn: &Connection, id: i64, now: i64) -> Result<()> {
    conn.execute("UPDATE api_token SET last_used_at = ?1 WHERE id = ?2", params![now, id]).map(drop).map_err(db)
}

pub(super) fn session(conn: &Connection, hash: &str) -> Result<Option<SessionRow>> {
    conn.prepare_cached("SELECT hash, account, csrf, started, seen, address, ended FROM web_session WHERE hash = ?1")
        .and_then(|mut s| {
            s.query_row([hash], |r| {
                Ok(SessionRow {
                    hash: r.get(0)?,
                    account: r.get(1)?,
                    csrf: r.get(2)?,
                    started: r.get(3)?,
                    seen: r.get(4)?,
                    address: r.get(5)?,
                    ended: r.get(6)?,
                })
            })
            .optional()
        })
        .map_err(db)
}

pub(super) fn add_session(conn: &Connection, s: &SessionRow) -> Result<()> {
    // Sessions ended or older than a day are of no use: dropped as new ones start.
    conn.execute("DELETE FROM web_session WHERE ended IS NOT NULL OR seen < ?1", [s.started.saturating_sub(86_400)])
        .map_err(db)?;
    conn.execute(
        "INSERT INTO web_session (hash, account, csrf, started, seen, address) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![s.hash, s.account, s.csrf, s.started, s.seen, s.address],
    )
    .map(drop)
    .map_err(db)
}

pub(super) fn touch_session(conn: &Connection, hash: &str, now: i64) -> Result<()> {
    conn.execute("UPDATE web_session SET seen = ?1 WHERE hash = ?2", params![now, hash]).map(drop).map_err(db)
}

pub(super) fn end_session(conn: &Connection, hash: &str, now: i64) -> Result<()> {
    conn.execute("UPDATE web_session SET ended = ?1 WHERE hash = ?2 AND ended IS NULL", params![now, hash])
        .map(drop)
        .map_err(db)
}

pub(super) fn end_sessions(conn: &Connection, account: &str, now: i64) -> Result<()> {
    conn.execute("UPDATE web_session SET ended = ?1 WHERE account = ?2 AND ended IS NULL", params![now, account])
        .map(drop)
        .map_err(db)
}

pub(super) fn add_failure(conn: &Connection, name: &str, address: &str, now: i64) -> Result<()> {
    conn.execute("DELETE FROM sign_in_failure WHERE at < ?1", [now.saturating_sub(86_400)]).map_err(db)?;
    conn.execute("INSERT INTO sign_in_failure (name, address, at) VALUES (?1, ?2, ?3)", params![name, address, now])
        .map(drop)
        .map_err(db)
}

pub(super) fn failures_since(conn: &Connection, name: &str, address: &str, since: i64) -> Result<(u32, u32)> {
    let count = |sql: &str, who: &str| -> Result<u32> {
        conn.query_row(sql, params![who, since], |r| r.get::<_, u32>(0)).map_err(db)
    };
    Ok((
        count("SELECT COUNT(*) FROM sign_in_failure WHERE name = ?1 AND at >= ?2", name)?,
        count("SELECT COUNT(*) FROM sign_in_failure WHERE address = ?1 AND at >= ?2", address)?,
    ))
}

pub(super) fn clear_failures(conn: &Connection, name: &str) -> Result<()> {
    conn.execute("DELETE FROM sign_in_failure WHERE name = ?1", [name]).map(drop).map_err(db)
}

const AUDIT: &str = "SELECT id, at, author, record_kind, record_key, action, event, address, detail, before, \
                     after_hash, prev_hash, hash FROM change_history";

fn audit_row(r: &Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        id: r.get(0)?,
        at: r.get(1)?,
        author: r.get(2)?,
        kind: r.get(3)?,
        key: r.get(4)?,
        action: r.get(5)?,
        event: r.get(6)?,
        address: r.get(7)?,
        detail: r.get(8)?,
        before: r.get(9)?,
        after_hash: r.get(10)?,
        prev_hash: r.get(11)?,
        hash: r.get(12)?,
    })
}

pub(super) fn last_audit(conn: &Connection) -> Result<Option<(i64, String)>> {
    conn.prepare_cached("SELECT id, hash FROM change_history ORDER BY id DESC LIMIT 1")
        .and_then(|mut s| s.query_row([], |r| Ok((r.get(0)?, r.get(1)?))).optional())
        .map_err(db)
}

pub(super) fn add_audit(conn: &Connection, a: &AuditRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO change_history (id, at, author, record_kind, record_key, action, event, address, detail, \
         before, after_hash, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )
    .and_then(|mut s| {
        s.execute(params![
            a.id,
            a.at,
            a.author,
            a.kind,
            a.key,
            a.action,
            a.event,
            a.address,
            a.detail,
            a.before,
            a.after_hash,
            a.prev_hash,
            a.hash
        ])
    })
    .map(drop)
    .map_err(db)
}

pub(super) fn audit(conn: &Connection, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
    let mut clauses = vec!["1 = 1".to_owned()];
    let mut values: Vec<Value> = Vec::new();
    if let Some(since) = &filter.since {
        values.push(since.clone().into());
        clauses.push(format!("at >= ?{}", values.len()));
    }
    if let Some(author) = &filter.author {
        values.push(author.clone().into());
        clauses.push(format!("author = ?{}", values.len()));
    }
    if let Some(key) = &filter.key {
        values.push(key.clone().into());
        clauses.push(format!("record_key = ?{}", values.len()));
    }
    if let Some(kind) = &filter.kind {
        values.push(kind.clone().into());
        clauses.push(format!("record_kind = ?{}", values.len()));
    }
    values.push(filter.limit.map_or(-1, i64::from).into());
    let sql = format!(
        "SELECT * FROM ({AUDIT} WHERE {} ORDER BY id DESC LIMIT ?{}) ORDER BY id",
        clauses.join(" AND "),
        values.len()
    );
    let mut stmt = conn.prepare(&sql).map_err(db)?;
    stmt.query_map(params_from_iter(values), audit_row).map_err(db)?.collect::<Result<_, _>>().map_err(db)
}

pub(super) fn audit_rows(conn: &Connection, after: i64, limit: u32) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare_cached(&format!("{AUDIT} WHERE id > ?1 ORDER BY id LIMIT ?2")).map_err(db)?;
    stmt.query_map(params![after, limit], audit_row).map_err(db)?.collect::<Result<_, _>>().map_err(db)
}

pub(super) fn audit_row_by_id(conn: &Connection, id: i64) -> Result<AuditRow> {
    conn.prepare_cached(&format!("{AUDIT} WHERE id = ?1")).and_then(|mut s| s.query_row([id], audit_row)).map_err(db)
}
