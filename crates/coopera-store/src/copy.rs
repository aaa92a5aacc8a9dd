//! Moving and keeping a registry: [`Store::copy_from`] copies a whole registry — records with
//! what was derived of them, the audit trail row for row (its chain stays whole), accounts with
//! their API tokens, exchange rates — from any backend into an empty one, in one transaction;
//! [`Store::checksums`] proves a copy: one digest per table, from the canonical documents and
//! rows, equal on both sides whatever backend holds them.
//!
//! Web sessions and failed sign-ins are not copied: they belong to the server that made them
//! (users sign in again), and the change feed starts afresh (servers read a copy whole).

use blake2::{Blake2b256, Digest};
use coopera_domain::activity::Derived;

use crate::audit::{self, AuditRow};
use crate::record::{Record, RecordKind};
use crate::{Result, Store, StoreError};

/// An API token as stored: only the digest of its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenCopy {
    pub account: String,
    pub label: String,
    pub hash: String,
    pub created_at: String,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<String>,
}

/// What a copy wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopySummary {
    /// Records by kind, in [`RecordKind::ALL`]'s order.
    pub records: Vec<(RecordKind, u64)>,
    pub audit_rows: u64,
    pub accounts: u64,
    pub tokens: u64,
    pub rates: u64,
}

/// The digest of one table: how many rows, and the sum of their digests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChecksum {
    pub table: &'static str,
    pub rows: u64,
    /// 64 hexadecimal digits.
    pub digest: String,
}

/// Rows of the audit trail copied at a time.
const AUDIT_BATCH: u32 = 5_000;

impl Store {
    /// Copies the whole registry of `source` into this one, which must hold nothing yet; in
    /// one transaction, so a failed copy leaves this registry empty.
    pub fn copy_from(&self, source: &Store) -> Result<CopySummary> {
        let mut summary = CopySummary::default();
        let from = source.reader();
        self.writer().write(&mut |tx| {
            if tx.holds_anything()? {
                return Err(StoreError::NotEmpty);
            }
            summary = CopySummary::default();
            for kind in RecordKind::ALL {
                let mut n = 0u64;
                from.scan_documents(kind, &mut |key, doc, derived| {
                    let record = Record::from_json(kind, doc).map_err(|reason| StoreError::Corrupt {
                        kind,
                        key: key.to_owned(),
                        reason,
                    })?;
                    tx.put(&record, doc, derived)?;
                    n = n.saturating_add(1);
                    Ok(())
                })?;
                summary.records.push((kind, n));
            }
            let mut after = 0;
            loop {
                let rows = from.audit_rows(after, AUDIT_BATCH)?;
                let Some(last) = rows.last() else { break };
                after = last.id;
                for row in &rows {
                    tx.add_audit(row)?;
                }
                summary.audit_rows = summary.audit_rows.saturating_add(rows.len() as u64);
            }
            for account in from.accounts()? {
                tx.put_account(&account)?;
                summary.accounts = summary.accounts.saturating_add(1);
            }
            for token in from.token_copies()? {
                tx.put_token(&token)?;
                summary.tokens = summary.tokens.saturating_add(1);
            }
            for rate in from.exchange_rates()? {
                tx.put_rate(&rate, &rate.units_per_usd.normalize().to_string())?;
                summary.rates = summary.rates.saturating_add(1);
            }
            Ok(())
        })?;
        Ok(summary)
    }

    /// One digest per table of the registry, computed from what it holds, not how: records
    /// (their stored documents and what was derived of them), the activities' index as the
    /// reports read it, the audit trail, accounts, API tokens and exchange rates. Two
    /// registries with equal checksums hold the same registry.
    pub fn checksums(&self) -> Result<Vec<TableChecksum>> {
        let conn = self.reader();
        let mut out = Vec::new();
        for kind in RecordKind::ALL {
            let mut sum = Sum::default();
            conn.scan_documents(kind, &mut |key, doc, derived| {
                let derived = derived.map(|d: Derived| {
                    format!(
                        "{}|{}|{}",
                        d.direction.map_or("", |x| x.code()),
                        u8::from(d.decentralised),
                        u8::from(d.cross_border)
                    )
                });
                sum.add(&[key, doc, derived.as_deref().unwrap_or("")]);
                Ok(())
            })?;
            out.push(sum.finish(crate::rows::table(kind)));
        }
        let mut facts = Sum::default();
        conn.report_facts(None, &mut |f| facts.add(&[&format!("{f:?}")]))?;
        out.push(facts.finish("activity_index"));
        let mut trail = Sum::default();
        let mut after = 0;
        loop {
            let rows = conn.audit_rows(after, AUDIT_BATCH)?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            for row in &rows {
                trail.add(&audit_fields(row));
            }
        }
        out.push(trail.finish("change_history"));
        let mut accounts = Sum::default();
        for a in conn.accounts()? {
            let disabled = if a.disabled { "1" } else { "0" };
            accounts.add(&[
                &a.name,
                &a.role,
                &a.scope,
                &a.password_hash,
                disabled,
                &a.created_at,
                &a.password_changed_at,
            ]);
        }
        out.push(accounts.finish("account"));
        let mut tokens = Sum::default();
        for t in conn.token_copies()? {
            let used = t.last_used_at.map(|n| n.to_string()).unwrap_or_default();
            tokens.add(&[&t.account, &t.label, &t.hash, &t.created_at, &used, t.revoked_at.as_deref().unwrap_or("")]);
        }
        out.push(tokens.finish("api_token"));
        let mut rates = Sum::default();
        for r in conn.exchange_rates()? {
            rates.add(&[
                r.currency.as_str(),
                &r.start.to_string(),
                &r.end.to_string(),
                &r.units_per_usd.normalize().to_string(),
                &r.source,
            ]);
        }
        out.push(rates.finish("exchange_rate"));
        Ok(out)
    }
}

fn audit_fields(row: &AuditRow) -> Vec<String> {
    vec![
        row.id.to_string(),
        row.at.clone(),
        row.author.clone(),
        row.kind.clone(),
        row.key.clone(),
        row.action.clone(),
        row.event.clone(),
        row.address.clone().unwrap_or_default(),
        row.detail.clone().unwrap_or_default(),
        row.before.as_deref().map(audit::digest).unwrap_or_default(),
        row.after_hash.clone().unwrap_or_default(),
        row.prev_hash.clone(),
        row.hash.clone(),
    ]
}

/// The sum, modulo 2^256, of the BLAKE2b-256 digests of a table's rows: it does not depend on
/// the order rows are read in (nor on a backend's collation).
#[derive(Debug, Default)]
struct Sum {
    limbs: [u64; 4],
    rows: u64,
}

impl Sum {
    fn add<S: AsRef<str>>(&mut self, fields: &[S]) {
        let mut h = Blake2b256::new();
        for f in fields {
            let f = f.as_ref();
            h.update((f.len() as u64).to_le_bytes());
            h.update(f.as_bytes());
        }
        let d = h.finalize();
        let mut carry = false;
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&d[i.saturating_mul(8)..i.saturating_mul(8).saturating_add(8)]);
            let (s1, c1) = limb.overflowing_add(u64::from_le_bytes(bytes));
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *limb = s2;
            carry = c1 || c2;
        }
        self.rows = self.rows.saturating_add(1);
    }

    fn finish(self, table: &'static str) -> TableChecksum {
        let bytes: Vec<u8> = self.limbs.iter().rev().flat_map(|l| l.to_be_bytes()).collect();
        TableChecksum { table, rows: self.rows, digest: audit::hex(&bytes) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sum_ignores_order_and_sees_every_field() {
        let sum = |rows: &[&[&str]]| {
            let mut s = Sum::default();
            for r in rows {
                s.add(r);
            }
            s.finish("t")
        };
        let a = sum(&[&["1", "x"], &["2", "y"]]);
        assert_eq!(a, sum(&[&["2", "y"], &["1", "x"]]));
        assert_ne!(a.digest, sum(&[&["1", "x"], &["2", "z"]]).digest);
        assert_ne!(a.digest, sum(&[&["1x", ""], &["2", "y"]]).digest, "fields are delimited");
        assert_eq!(a.rows, 2);
        assert_eq!(a.digest.len(), 64);
    }
}
