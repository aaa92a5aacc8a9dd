//! The PostgreSQL side of accounts, tokens, sessions and the audit trail.

use postgres::types::ToSql;
use postgres::{GenericClient, Row};

use super::{Param, Pg, get, refs};
use crate::Result;
use crate::accounts::{AccountRow, SessionRow, TokenRow};
use crate::audit::{AuditFilter, AuditRow};
use crate::copy::TokenCopy;

const ACCOUNT: &str = "SELECT name, role, scope, password_hash, disabled, created_at, password_changed_at FROM account";

fn account_row(r: &Row) -> Result<AccountRow> {
    Ok(AccountRow {
        name: get(r, 0)?,
        role: get(r, 1)?,
        scope: get(r, 2)?,
        password_hash: get(r, 3)?,
        disabled: get(r, 4)?,
        created_at: get(r, 5)?,
        password_changed_at: get(r, 6)?,
    })
}

pub(super) fn account(pg: &Pg<'_, impl GenericClient + Send>, name: &str) -> Result<Option<AccountRow>> {
    pg.opt(&format!("{ACCOUNT} WHERE name = $1"), &[&name])?.as_ref().map(account_row).transpose()
}

pub(super) fn accounts(pg: &Pg<'_, impl GenericClient + Send>) -> Result<Vec<AccountRow>> {
    pg.query(&format!("{ACCOUNT} ORDER BY name"), &[])?.iter().map(account_row).collect()
}

pub(super) fn put_account(pg: &Pg<'_, impl GenericClient + Send>, a: &AccountRow) -> Result<()> {
    pg.execute(
        "INSERT INTO account (name, role, scope, password_hash, disabled, created_at, password_changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (name) DO UPDATE SET role = $2, scope = $3, password_hash = $4, disabled = $5, \
         password_changed_at = $7",
        &[&a.name, &a.role, &a.scope, &a.password_hash, &a.disabled, &a.created_at, &a.password_changed_at],
    )
    .map(drop)
}

const TOKEN: &str = "SELECT id, account, label, created_at, last_used_at, revoked_at IS NOT NULL FROM api_token";

fn token_row(r: &Row) -> Result<TokenRow> {
    Ok(TokenRow {
        id: get(r, 0)?,
        account: get(r, 1)?,
        label: get(r, 2)?,
        created_at: get(r, 3)?,
        last_used: get(r, 4)?,
        revoked: get(r, 5)?,
    })
}

pub(super) fn token(pg: &Pg<'_, impl GenericClient + Send>, hash: &str) -> Result<Option<TokenRow>> {
    pg.opt(&format!("{TOKEN} WHERE hash = $1"), &[&hash])?.as_ref().map(token_row).transpose()
}

pub(super) fn tokens(pg: &Pg<'_, impl GenericClient + Send>, account: &str) -> Result<Vec<TokenRow>> {
    pg.query(&format!("{TOKEN} WHERE account = $1 ORDER BY id"), &[&account])?.iter().map(token_row).collect()
}

pub(super) fn add_token(
    pg: &Pg<'_, impl GenericClient + Send>,
    account: &str,
    label: &str,
    hash: &str,
    at: &str,
) -> Result<()> {
    pg.execute(
        "INSERT INTO api_token (account, label, hash, created_at) VALUES ($1, $2, $3, $4)",
        &[&account, &label, &hash, &at],
    )
    .map(drop)
}

pub(super) fn revoke_tokens(
    pg: &Pg<'_, impl GenericClient + Send>,
    account: &str,
    label: Option<&str>,
    at: &str,
) -> Result<usize> {
    let n = pg.execute(
        "UPDATE api_token SET revoked_at = $1 WHERE account = $2 AND revoked_at IS NULL \
         AND ($3::TEXT IS NULL OR label = $3)",
        &[&at, &account, &label],
    )?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

pub(super) fn token_copies(pg: &Pg<'_, impl GenericClient + Send>) -> Result<Vec<TokenCopy>> {
    let rows =
        pg.query("SELECT account, label, hash, created_at, last_used_at, revoked_at FROM api_token ORDER BY id", &[])?;
    rows.iter()
        .map(|r| {
            Ok(TokenCopy {
                account: get(r, 0)?,
                label: get(r, 1)?,
                hash: get(r, 2)?,
                created_at: get(r, 3)?,
                last_used_at: get(r, 4)?,
                revoked_at: get(r, 5)?,
            })
        })
        .collect()
}

pub(super) fn put_token(pg: &Pg<'_, impl GenericClient + Send>, t: &TokenCopy) -> Result<()> {
    pg.execute(
        "INSERT INTO api_token (account, label, hash, created_at, last_used_at, revoked_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[&t.account, &t.label, &t.hash, &t.created_at, &t.last_used_at, &t.revoked_at],
    )
    .map(drop)
}

pub(super) fn touch_token(pg: &Pg<'_, impl GenericClient + Send>, id: i64, now: i64) -> Result<()> {
    pg.execute("UPDATE api_token SET last_used_at = $1 WHERE id = $2", &[&now, &id]).map(drop)
}

pub(super) fn session(pg: &Pg<'_, impl GenericClient + Send>, hash: &str) -> Result<Option<SessionRow>> {
    let row =
        pg.opt("SELECT hash, account, csrf, started, seen, address, ended FROM web_session WHERE hash = $1", &[&hash])?;
    row.map(|r| {
        Ok(SessionRow {
            hash: get(&r, 0)?,
            account: get(&r, 1)?,
            csrf: get(&r, 2)?,
            started: get(&r, 3)?,
            seen: get(&r, 4)?,
            address: get(&r, 5)?,
            ended: get(&r, 6)?,
        })
    })
    .transpose()
}

pub(super) fn add_session(pg: &Pg<'_, impl GenericClient + Send>, s: &SessionRow) -> Result<()> {
    // Sessions ended or older than a day are of no use: dropped as new ones start.
    pg.execute("DELETE FROM web_session WHERE ended IS NOT NULL OR seen < $1", &[&s.started.saturating_sub(86_400)])?;
    pg.execute(
        "INSERT INTO web_session (hash, account, csrf, started, seen, address) VALUES ($1, $2, $3, $4, $5, $6)",
        &[&s.hash, &s.account, &s.csrf, &s.started, &s.seen, &s.address],
    )
    .map(drop)
}

pub(super) fn touch_session(pg: &Pg<'_, impl GenericClient + Send>, hash: &str, now: i64) -> Result<()> {
    pg.execute("UPDATE web_session SET seen = $1 WHERE hash = $2", &[&now, &hash]).map(drop)
}

pub(super) fn end_session(pg: &Pg<'_, impl GenericClient + Send>, hash: &str, now: i64) -> Result<()> {
    pg.execute("UPDATE web_session SET ended = $1 WHERE hash = $2 AND ended IS NULL", &[&now, &hash]).map(drop)
}

pub(super) fn end_sessions(pg: &Pg<'_, impl GenericClient + Send>, account: &str, now: i64) -> Result<()> {
    pg.execute("UPDATE web_session SET ended = $1 WHERE account = $2 AND ended IS NULL", &[&now, &account]).map(drop)
}

pub(super) fn add_failure(pg: &Pg<'_, impl GenericClient + Send>, name: &str, address: &str, now: i64) -> Result<()> {
    pg.execute("DELETE FROM sign_in_failure WHERE at < $1", &[&now.saturating_sub(86_400)])?;
    pg.execute("INSERT INTO sign_in_failure (name, address, at) VALUES ($1, $2, $3)", &[&name, &address, &now])
        .map(drop)
}

pub(super) fn failures_since(
    pg: &Pg<'_, impl GenericClient + Send>,
    name: &str,
    address: &str,
    since: i64,
) -> Result<(u32, u32)> {
    let count = |sql: &str, who: &str| -> Result<u32> {
        let n: i64 = get(&pg.one(sql, &[&who, &since])?, 0)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    };
    Ok((
        count("SELECT COUNT(*) FROM sign_in_failure WHERE name = $1 AND at >= $2", name)?,
        count("SELECT COUNT(*) FROM sign_in_failure WHERE address = $1 AND at >= $2", address)?,
    ))
}

pub(super) fn clear_failures(pg: &Pg<'_, impl GenericClient + Send>, name: &str) -> Result<()> {
    pg.execute("DELETE FROM sign_in_failure WHERE name = $1", &[&name]).map(drop)
}

const AUDIT: &str = "SELECT id, at, author, record_kind, record_key, action, event, address, detail, before, \
                     after_hash, prev_hash, hash FROM change_history";

fn audit_row(r: &Row) -> Result<AuditRow> {
    Ok(AuditRow {
        id: get(r, 0)?,
        at: get(r, 1)?,
        author: get(r, 2)?,
        kind: get(r, 3)?,
        key: get(r, 4)?,
        action: get(r, 5)?,
        event: get(r, 6)?,
        address: get(r, 7)?,
        detail: get(r, 8)?,
        before: get(r, 9)?,
        after_hash: get(r, 10)?,
        prev_hash: get(r, 11)?,
        hash: get(r, 12)?,
    })
}

pub(super) fn last_audit(pg: &Pg<'_, impl GenericClient + Send>) -> Result<Option<(i64, String)>> {
    let row = pg.opt("SELECT id, hash FROM change_history ORDER BY id DESC LIMIT 1", &[])?;
    row.map(|r| Ok((get(&r, 0)?, get(&r, 1)?))).transpose()
}

pub(super) fn audit(pg: &Pg<'_, impl GenericClient + Send>, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
    let mut clauses = vec!["TRUE".to_owned()];
    let mut values: Vec<Param> = Vec::new();
    if let Some(since) = &filter.since {
        values.push(Box::new(since.clone()));
        clauses.push(format!("at >= ${}", values.len()));
    }
    if let Some(author) = &filter.author {
        values.push(Box::new(author.clone()));
        clauses.push(format!("author = ${}", values.len()));
    }
    if let Some(key) = &filter.key {
        values.push(Box::new(key.clone()));
        clauses.push(format!("record_key = ${}", values.len()));
    }
    if let Some(kind) = &filter.kind {
        values.push(Box::new(kind.clone()));
        clauses.push(format!("record_kind = ${}", values.len()));
    }
    values.push(Box::new(filter.limit.map(i64::from)));
    let sql = format!(
        "SELECT * FROM ({AUDIT} WHERE {} ORDER BY id DESC LIMIT ${}) AS newest ORDER BY id",
        clauses.join(" AND "),
        values.len()
    );
    let params: Vec<&(dyn ToSql + Sync)> = refs(&values);
    pg.query(&sql, &params)?.iter().map(audit_row).collect()
}

pub(super) fn audit_rows(pg: &Pg<'_, impl GenericClient + Send>, after: i64, limit: u32) -> Result<Vec<AuditRow>> {
    pg.query(&format!("{AUDIT} WHERE id > $1 ORDER BY id LIMIT $2"), &[&after, &i64::from(limit)])?
        .iter()
        .map(audit_row)
        .collect()
}
