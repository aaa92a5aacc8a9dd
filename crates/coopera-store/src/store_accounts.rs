//! [`Store`]'s accounts, sessions, tokens and audit trail: what the web application and the
//! `user` and `audit` commands ask of the registry about people.

use std::collections::HashMap;

use coopera_domain::access::Scope;
use coopera_domain::kinds::AccountRole;

use crate::accounts::{self, Account, AccountProblem, Attempt, NewSession, Session, SessionLimits, TokenInfo};
use crate::audit::{self, AuditEntry, AuditEvent, AuditFilter, AuditVerdict, Broken, Verifier, Who};
use crate::write::now;
use crate::{RecordKind, Result, Store};

/// How many rows of the trail `verify_audit` reads at a time.
const VERIFY_BATCH: u32 = 10_000;

impl Store {
    /// Runs `work` in one write transaction and returns what it gives.
    fn in_write<T>(&self, mut work: impl FnMut(&mut dyn crate::backend::Transaction) -> Result<T>) -> Result<T> {
        let mut out = None;
        self.writer().write(&mut |tx| {
            out = Some(work(tx)?);
            Ok(())
        })?;
        out.ok_or_else(|| crate::StoreError::Backend("a write returned nothing".into()))
    }

    /// Adds an account. Refused when the name is taken or malformed, or the password short.
    pub fn add_account(
        &self,
        by: Who<'_>,
        name: &str,
        role: AccountRole,
        scope: &Scope,
        password: &str,
    ) -> Result<Account> {
        let at = now();
        self.in_write(|tx| accounts::add(tx, &at, by, name, role, scope, password))
    }

    /// Every account, by name.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        self.reader().accounts()?.iter().map(accounts::AccountRow::account).collect()
    }

    /// The account of a name (any case), if there is one.
    pub fn account(&self, name: &str) -> Result<Option<Account>> {
        let Ok(name) = accounts::normalise_name(name) else { return Ok(None) };
        self.reader().account(&name)?.map(|r| r.account()).transpose()
    }

    /// Disables an account: it cannot sign in, its sessions end and its tokens stop working.
    pub fn disable_account(&self, by: Who<'_>, name: &str) -> Result<()> {
        let at = now();
        self.in_write(|tx| accounts::disable(tx, &at, by, name))
    }

    /// Sets an account's password (an administrator's reset); its sessions end.
    pub fn reset_password(&self, by: Who<'_>, name: &str, password: &str) -> Result<()> {
        let at = now();
        self.in_write(|tx| accounts::set_password(tx, &at, by, name, password))
    }

    /// A user changes their own password, proving the current one (a wrong one counts as a
    /// failed sign-in). Every session ends; the caller starts a new one.
    pub fn change_password(&self, name: &str, current: &str, new: &str, address: &str) -> Result<()> {
        let at = now();
        let checked = self.in_write(|tx| accounts::attempt(tx, &at, name, current, address))?;
        match checked {
            Attempt::Accepted(account) => self.in_write(|tx| {
                accounts::set_password(tx, &at, Who { name: &account.name, address: Some(address) }, &account.name, new)
            }),
            Attempt::Refused(p) => Err(p.into()),
        }
    }

    /// Signs in with a name and password from `address`, starting a web session. Every
    /// refusal — unknown name, disabled account, wrong password — is the same
    /// [`AccountProblem::WrongCredentials`], unless sign-ins are throttled.
    pub fn sign_in(&self, name: &str, password: &str, address: &str) -> Result<NewSession> {
        let at = now();
        let checked = self.in_write(|tx| accounts::attempt(tx, &at, name, password, address))?;
        match checked {
            Attempt::Accepted(account) => {
                self.in_write(|tx| accounts::start_session(tx, account.clone(), Some(address)))
            }
            Attempt::Refused(p) => Err(p.into()),
        }
    }

    /// The open session of a cookie's id, if it is open: not ended, not idle longer than
    /// `limits.idle`, not older than `limits.absolute`, and of an enabled account.
    pub fn session(&self, id: &str, limits: SessionLimits) -> Result<Option<Session>> {
        let hash = accounts::secret_digest(id);
        let now = accounts::unix_now();
        let (row, account) = {
            let reader = self.reader();
            let Some(row) = reader.session(&hash)? else { return Ok(None) };
            if !accounts::is_open(&row, limits, now) {
                return Ok(None);
            }
            let Some(account) = reader.account(&row.account)?.filter(|a| !a.disabled) else { return Ok(None) };
            (row, account.account()?)
        };
        if now.saturating_sub(row.seen) >= accounts::SEEN_GRANULARITY {
            self.in_write(|tx| tx.touch_session(&hash, now))?;
        }
        Ok(Some(Session { account, csrf: row.csrf }))
    }

    /// Ends one session (signing out).
    pub fn sign_out(&self, id: &str, address: Option<&str>) -> Result<()> {
        let hash = accounts::secret_digest(id);
        let at = now();
        self.in_write(|tx| {
            if let Some(row) = tx.session(&hash)? {
                tx.end_session(&hash, accounts::unix_now())?;
                let who = Who { name: &row.account, address };
                audit::event(tx, &at, who, AuditEvent::SignOut, Some(&row.account), None)?;
            }
            Ok(())
        })
    }

    /// Ends every session of an account (signing out everywhere).
    pub fn sign_out_everywhere(&self, name: &str, address: Option<&str>) -> Result<()> {
        let at = now();
        self.in_write(|tx| {
            tx.end_sessions(name, accounts::unix_now())?;
            audit::event(tx, &at, Who { name, address }, AuditEvent::SignOut, Some(name), Some("everywhere"))?;
            Ok(())
        })
    }

    /// Issues an API token for an account; returns its secret, which is not kept.
    pub fn issue_token(&self, by: Who<'_>, name: &str, label: &str) -> Result<String> {
        let at = now();
        self.in_write(|tx| accounts::issue_token(tx, &at, by, name, label))
    }

    /// Revokes an account's token labelled `label`, or all its tokens; returns how many.
    pub fn revoke_token(&self, by: Who<'_>, name: &str, label: Option<&str>) -> Result<usize> {
        let at = now();
        self.in_write(|tx| accounts::revoke_tokens(tx, &at, by, name, label))
    }

    /// An account's tokens (never their secrets).
    pub fn tokens(&self, name: &str) -> Result<Vec<TokenInfo>> {
        let name = accounts::normalise_name(name)?;
        if self.reader().account(&name)?.is_none() {
            return Err(AccountProblem::Unknown(name).into());
        }
        Ok(self
            .reader()
            .tokens(&name)?
            .into_iter()
            .map(|t| TokenInfo { label: t.label, created_at: t.created_at, last_used: t.last_used, revoked: t.revoked })
            .collect())
    }

    /// The enabled account an API token opens, if it opens one; its use is recorded (at most
    /// once an hour, so that most API calls only read).
    pub fn token_account(&self, token: &str, address: Option<&str>) -> Result<Option<Account>> {
        if !token.starts_with(accounts::TOKEN_PREFIX) {
            return Ok(None);
        }
        match accounts::token_opens(&**self.reader(), token)? {
            None => return Ok(None),
            Some((t, row)) if !accounts::use_due(&t, accounts::unix_now()) => return row.account().map(Some),
            Some(_) => {}
        }
        let at = now();
        self.in_write(|tx| accounts::use_token(tx, &at, token, address))
    }

    /// Records an event that changes no record (an export of unpublished data).
    pub fn record_event(&self, who: Who<'_>, event: AuditEvent, detail: Option<&str>) -> Result<()> {
        let at = now();
        self.in_write(|tx| audit::event(tx, &at, who, event, None, detail).map(drop))
    }

    /// Rows of the audit trail, oldest first.
    pub fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        Ok(self.reader().audit(filter)?.into_iter().map(AuditEntry::from_row).collect())
    }

    /// Walks the whole audit trail: every row must give its hash and follow the one before,
    /// and each record change must lead to the document the next change (or the record as
    /// stored now) starts from. Names the first row that does not fit.
    pub fn verify_audit(&self) -> Result<AuditVerdict> {
        let mut verifier = Verifier::new();
        // Per record: the latest change seen, and the digest of the document after it.
        let mut pending: HashMap<(String, String), (i64, String)> = HashMap::new();
        let mut first_differs: Option<i64> = None;
        let mut after = 0;
        loop {
            let rows = self.reader().audit_rows(after, VERIFY_BATCH)?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            for row in &rows {
                if let Some(why) = verifier.check(row) {
                    let earlier = first_differs.filter(|id| *id < row.id);
                    return Ok(match earlier {
                        Some(id) => AuditVerdict::Broken { id, why: Broken::RecordDiffers },
                        None => AuditVerdict::Broken { id: row.id, why },
                    });
                }
                if row.action != "create" && row.action != "update" {
                    continue;
                }
                let slot = (row.kind.clone(), row.key.clone());
                if let Some((id, expected)) = pending.get(&slot)
                    && row.before.as_deref().map(audit::digest).as_deref() != Some(expected.as_str())
                    && first_differs.is_none()
                {
                    first_differs = Some(*id);
                }
                pending.insert(slot, (row.id, row.after_hash.clone().unwrap_or_default()));
            }
        }
        let mut differs: Vec<i64> = first_differs.into_iter().collect();
        for ((kind, key), (id, expected)) in &pending {
            let Some(kind) = RecordKind::parse(kind) else { continue };
            let current = self.reader().document(kind, key)?;
            if !expected.is_empty() && current.as_deref().map(audit::digest).as_deref() != Some(expected.as_str()) {
                differs.push(*id);
            }
        }
        Ok(match differs.into_iter().min() {
            Some(id) => AuditVerdict::Broken { id, why: Broken::RecordDiffers },
            None => verifier.finish(),
        })
    }
}
