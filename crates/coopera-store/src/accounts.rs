//! Accounts, API tokens and web sessions: who may sign in, with which role and scope.
//!
//! Passwords are kept as argon2id hashes (PHC strings). Tokens and session ids are 32 random
//! bytes shown once; only their digest is stored, so a copy of the database opens nothing.
//! A sign-in answers the same — "wrong name or password" — whether the name is unknown, the
//! account disabled or the password wrong, and takes as long: an unknown name is checked
//! against a decoy hash. After [`FAILURES_PER_NAME`] failures for one name, or
//! [`FAILURES_PER_ADDRESS`] from one address, within [`FAILURE_WINDOW`], sign-ins are refused
//! until the window has passed, again without telling whether the account exists.
//!
//! Every change — an account made, disabled, a password changed, a token issued, used or
//! revoked, a sign-in or a failed one — is a row of the audit trail (`audit.rs`).

use std::sync::OnceLock;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use blake2::{Blake2b256, Digest};
use coopera_domain::Lang;
use coopera_domain::access::Scope;
use coopera_domain::kinds::AccountRole;

use crate::audit::{self, AuditEvent, Who};
use crate::backend::{Fetch, Transaction};
use crate::{Result, StoreError};

/// Failed sign-ins for one name within [`FAILURE_WINDOW`] after which it is throttled.
pub const FAILURES_PER_NAME: u32 = 5;
/// Failed sign-ins from one address within [`FAILURE_WINDOW`] after which it is throttled.
pub const FAILURES_PER_ADDRESS: u32 = 20;
/// How far back failed sign-ins count.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 10;
/// The longest password accepted, in bytes (hashing a huge one would cost the server).
pub const MAX_PASSWORD: usize = 1024;
/// A token's use is recorded in the audit trail at most this often.
pub const TOKEN_USE_RECORDED_EVERY: Duration = Duration::from_secs(60 * 60);

/// How long a web session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    /// Ended after this long without a request.
    pub idle: Duration,
    /// Ended this long after sign-in, however active.
    pub absolute: Duration,
}

impl Default for SessionLimits {
    fn default() -> SessionLimits {
        SessionLimits { idle: Duration::from_secs(30 * 60), absolute: Duration::from_secs(12 * 60 * 60) }
    }
}

/// An account as the registry keeps it (without its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub role: AccountRole,
    pub scope: Scope,
    pub disabled: bool,
    /// UTC, RFC 3339.
    pub created_at: String,
}

/// An account as a backend stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AccountRow {
    pub name: String,
    pub role: String,
    pub scope: String,
    pub password_hash: String,
    pub disabled: bool,
    pub created_at: String,
    pub password_changed_at: String,
}

impl AccountRow {
    pub fn account(&self) -> Result<Account> {
        let corrupt =
            |what: &str| StoreError::Backend(format!("account `{}`: stored {what} unreadable", self.name).into());
        Ok(Account {
            name: self.name.clone(),
            role: AccountRole::parse(&self.role).map_err(|_| corrupt("role"))?,
            scope: Scope::parse(&self.scope).map_err(|_| corrupt("scope"))?,
            disabled: self.disabled,
            created_at: self.created_at.clone(),
        })
    }
}

/// An API token as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub label: String,
    pub created_at: String,
    /// Unix seconds of its last use.
    pub last_used: Option<i64>,
    pub revoked: bool,
}

/// A token as a backend stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenRow {
    pub id: i64,
    pub account: String,
    pub label: String,
    pub created_at: String,
    pub last_used: Option<i64>,
    pub revoked: bool,
}

/// A web session as a backend stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SessionRow {
    pub hash: String,
    pub account: String,
    pub csrf: String,
    pub started: i64,
    pub seen: i64,
    pub address: Option<String>,
    pub ended: Option<i64>,
}

/// A signed-in web session: the account, and the token its forms carry against forgery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub account: Account,
    pub csrf: String,
}

/// A session just started: its secret id (for the cookie, shown once) and its forms' token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub id: String,
    pub csrf: String,
    pub account: Account,
}

/// Why an account operation was refused. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountProblem {
    #[error("wrong name or password")]
    WrongCredentials,
    #[error("too many failed sign-ins; try again in {minutes} minutes")]
    Throttled { minutes: u64 },
    #[error("no account named `{0}`")]
    Unknown(String),
    #[error("an account named `{0}` exists already")]
    Exists(String),
    #[error("account names are 1 to 64 letters, digits, `.`, `_`, `-` or `@`: `{0}`")]
    BadName(String),
    #[error("a password has at least {MIN_PASSWORD} characters and at most {MAX_PASSWORD} bytes")]
    WeakPassword,
    #[error("no token named `{0}`")]
    UnknownToken(String),
}

impl AccountProblem {
    /// A stable code for JSON answers.
    pub fn code(&self) -> &'static str {
        match self {
            AccountProblem::WrongCredentials => "wrong-credentials",
            AccountProblem::Throttled { .. } => "throttled",
            AccountProblem::Unknown(_) => "unknown-account",
            AccountProblem::Exists(_) => "account-exists",
            AccountProblem::BadName(_) => "bad-account-name",
            AccountProblem::WeakPassword => "weak-password",
            AccountProblem::UnknownToken(_) => "unknown-token",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (AccountProblem::WrongCredentials, Lang::Es) => "nombre o contraseña incorrectos".into(),
            (AccountProblem::Throttled { minutes }, Lang::Es) => {
                format!("demasiados intentos fallidos; intente de nuevo en {minutes} minutos")
            }
            (AccountProblem::Unknown(n), Lang::Es) => format!("no hay una cuenta llamada `{n}`"),
            (AccountProblem::Exists(n), Lang::Es) => format!("ya existe una cuenta llamada `{n}`"),
            (AccountProblem::BadName(n), Lang::Es) => {
                format!("un nombre de cuenta tiene de 1 a 64 letras, dígitos, `.`, `_`, `-` o `@`: `{n}`")
            }
            (AccountProblem::WeakPassword, Lang::Es) => {
                format!("una contraseña tiene al menos {MIN_PASSWORD} caracteres y como máximo {MAX_PASSWORD} bytes")
            }
            (AccountProblem::UnknownToken(l), Lang::Es) => format!("no hay un token llamado `{l}`"),
        }
    }
}

impl From<AccountProblem> for StoreError {
    fn from(p: AccountProblem) -> StoreError {
        StoreError::Account(p)
    }
}

/// An account name as stored: trimmed and lower-case; refused when empty, too long or with
/// characters other than letters, digits, `.`, `_`, `-` and `@`.
pub fn normalise_name(name: &str) -> Result<String, AccountProblem> {
    let n = name.trim().to_lowercase();
    let ok = !n.is_empty()
        && n.chars().count() <= 64
        && n.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok { Ok(n) } else { Err(AccountProblem::BadName(name.trim().to_owned())) }
}

fn check_password(password: &str) -> Result<(), AccountProblem> {
    if password.chars().count() < MIN_PASSWORD || password.len() > MAX_PASSWORD {
        return Err(AccountProblem::WeakPassword);
    }
    Ok(())
}

fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Backend(format!("hashing a password: {e}").into()))
}

fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash to check unknown names against, so that they take as long as known ones.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("not a password of anyone's").unwrap_or_default())
}

/// 32 random bytes, hex (64 characters).
pub fn secret() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Backend(format!("no randomness: {e}").into()))?;
    Ok(audit::hex(&bytes))
}

/// What is stored of a secret: its digest.
pub(crate) fn secret_digest(secret: &str) -> String {
    audit::hex(&Blake2b256::digest(secret.as_bytes()))
}

/// A random password for demo accounts: 16 letters and digits without look-alikes.
pub fn random_password() -> Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    // Bytes beyond the last whole multiple of the alphabet are dropped, so every letter is
    // as likely as the others.
    const FAIR: usize = 256 - 256 % ALPHABET.len();
    let mut out = String::with_capacity(16);
    while out.len() < 16 {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| StoreError::Backend(format!("no randomness: {e}").into()))?;
        for b in bytes.iter().map(|b| usize::from(*b)).filter(|b| *b < FAIR) {
            if out.len() < 16
                && let Some(c) = b.checked_rem(ALPHABET.len()).and_then(|i| ALPHABET.get(i))
            {
                out.push(char::from(*c));
            }
        }
    }
    Ok(out)
}

/// The prefix of every API token, so that one found in a log or a file is recognised.
pub const TOKEN_PREFIX: &str = "coopera_";

pub(crate) fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Adds an account inside `tx`.
pub(crate) fn add(
    tx: &mut dyn Transaction,
    at: &str,
    by: Who<'_>,
    name: &str,
    role: AccountRole,
    scope: &Scope,
    password: &str,
) -> Result<Account> {
    let name = normalise_name(name)?;
    check_password(password)?;
    if tx.account(&name)?.is_some() {
        return Err(AccountProblem::Exists(name).into());
    }
    let row = AccountRow {
        name: name.clone(),
        role: role.code().to_owned(),
        scope: scope.to_string(),
        password_hash: hash_password(password)?,
        disabled: false,
        created_at: at.to_owned(),
        password_changed_at: at.to_owned(),
    };
    tx.put_account(&row)?;
    let detail = format!("role={} scope={scope}", role.code());
    audit::event(tx, at, by, AuditEvent::AccountCreated, Some(&name), Some(&detail))?;
    row.account()
}

fn existing(tx: &dyn Transaction, name: &str) -> Result<AccountRow> {
    let name = normalise_name(name)?;
    tx.account(&name)?.ok_or_else(|| AccountProblem::Unknown(name).into())
}

/// Disables an account inside `tx`: it can no longer sign in, its sessions end and its
/// tokens stop working.
pub(crate) fn disable(tx: &mut dyn Transaction, at: &str, by: Who<'_>, name: &str) -> Result<()> {
    let mut row = existing(tx, name)?;
    row.disabled = true;
    tx.put_account(&row)?;
    tx.end_sessions(&row.name, unix_now())?;
    audit::event(tx, at, by, AuditEvent::AccountDisabled, Some(&row.name), None)?;
    Ok(())
}

/// Sets an account's password inside `tx` and ends its sessions.
pub(crate) fn set_password(tx: &mut dyn Transaction, at: &str, by: Who<'_>, name: &str, password: &str) -> Result<()> {
    check_password(password)?;
    let mut row = existing(tx, name)?;
    row.password_hash = hash_password(password)?;
    row.password_changed_at = at.to_owned();
    tx.put_account(&row)?;
    tx.end_sessions(&row.name, unix_now())?;
    audit::event(tx, at, by, AuditEvent::PasswordChanged, Some(&row.name), None)?;
    Ok(())
}

/// The outcome of checking a name and password, decided inside the write that records it.
pub(crate) enum Attempt {
    Accepted(Account),
    Refused(AccountProblem),
}

/// Checks a sign-in inside `tx`: throttled first, then the password (against a decoy when
/// there is no such enabled account). A failure is recorded by the name typed and address.
pub(crate) fn attempt(
    tx: &mut dyn Transaction,
    at: &str,
    name: &str,
    password: &str,
    address: &str,
) -> Result<Attempt> {
    let typed = name.trim().to_lowercase();
    let now = unix_now();
    let since = now.saturating_sub(secs(FAILURE_WINDOW));
    let (by_name, by_address) = tx.failures_since(&typed, address, since)?;
    let who = Who { name: &typed, address: Some(address) };
    if by_name >= FAILURES_PER_NAME || by_address >= FAILURES_PER_ADDRESS {
        audit::event(tx, at, who, AuditEvent::SignInFailed, Some(&typed), Some("throttled"))?;
        let minutes = FAILURE_WINDOW.as_secs().div_ceil(60);
        return Ok(Attempt::Refused(AccountProblem::Throttled { minutes }));
    }
    let row = normalise_name(&typed).ok().map(|n| tx.account(&n)).transpose()?.flatten().filter(|r| !r.disabled);
    let hash = row.as_ref().map_or(decoy_hash(), |r| r.password_hash.as_str());
    let matches = verify_password(password, hash);
    match row {
        Some(row) if matches => {
            tx.clear_failures(&row.name)?;
            audit::event(tx, at, who, AuditEvent::SignIn, Some(&row.name), None)?;
            Ok(Attempt::Accepted(row.account()?))
        }
        _ => {
            tx.add_failure(&typed, address, now)?;
            audit::event(tx, at, who, AuditEvent::SignInFailed, Some(&typed), None)?;
            Ok(Attempt::Refused(AccountProblem::WrongCredentials))
        }
    }
}

/// Issues a token inside `tx`; returns its secret.
pub(crate) fn issue_token(tx: &mut dyn Transaction, at: &str, by: Who<'_>, name: &str, label: &str) -> Result<String> {
    let row = existing(tx, name)?;
    let token = format!("{TOKEN_PREFIX}{}", secret()?);
    tx.add_token(&row.name, label, &secret_digest(&token), at)?;
    audit::event(tx, at, by, AuditEvent::TokenIssued, Some(&row.name), Some(label))?;
    Ok(token)
}

/// Revokes an account's tokens inside `tx`: the one labelled `label`, or all.
pub(crate) fn revoke_tokens(
    tx: &mut dyn Transaction,
    at: &str,
    by: Who<'_>,
    name: &str,
    label: Option<&str>,
) -> Result<usize> {
    let row = existing(tx, name)?;
    let n = tx.revoke_tokens(&row.name, label, at)?;
    if n == 0
        && let Some(label) = label
    {
        return Err(AccountProblem::UnknownToken(label.to_owned()).into());
    }
    audit::event(tx, at, by, AuditEvent::TokenRevoked, Some(&row.name), label)?;
    Ok(n)
}

/// The account a token opens inside `tx`, recording its use (at most once an hour).
pub(crate) fn use_token(
    tx: &mut dyn Transaction,
    at: &str,
    token: &str,
    address: Option<&str>,
) -> Result<Option<Account>> {
    let Some((t, row)) = token_opens(&*tx, token)? else { return Ok(None) };
    let now = unix_now();
    if use_due(&t, now) {
        tx.touch_token(t.id, now)?;
        let who = Who { name: &row.name, address };
        audit::event(tx, at, who, AuditEvent::TokenUsed, Some(&row.name), Some(&t.label))?;
    }
    row.account().map(Some)
}

/// The token and the enabled account a token's secret opens, if any.
pub(crate) fn token_opens(fetch: &dyn Fetch, token: &str) -> Result<Option<(TokenRow, AccountRow)>> {
    let Some(t) = fetch.token(&secret_digest(token))?.filter(|t| !t.revoked) else { return Ok(None) };
    let Some(row) = fetch.account(&t.account)?.filter(|r| !r.disabled) else { return Ok(None) };
    Ok(Some((t, row)))
}

/// Whether a token's use at `now` is to be recorded (it has not been for an hour).
pub(crate) fn use_due(t: &TokenRow, now: i64) -> bool {
    t.last_used.is_none_or(|last| now.saturating_sub(last) >= secs(TOKEN_USE_RECORDED_EVERY))
}

/// Starts a web session for an account that has just signed in.
pub(crate) fn start_session(tx: &mut dyn Transaction, account: Account, address: Option<&str>) -> Result<NewSession> {
    let id = secret()?;
    let csrf = secret()?;
    let now = unix_now();
    let row = SessionRow {
        hash: secret_digest(&id),
        account: account.name.clone(),
        csrf: csrf.clone(),
        started: now,
        seen: now,
        address: address.map(str::to_owned),
        ended: None,
    };
    tx.add_session(&row)?;
    Ok(NewSession { id, csrf, account })
}

/// Whether a stored session is still open at `now`.
pub(crate) fn is_open(s: &SessionRow, limits: SessionLimits, now: i64) -> bool {
    s.ended.is_none()
        && now.saturating_sub(s.seen) < secs(limits.idle)
        && now.saturating_sub(s.started) < secs(limits.absolute)
}

/// A session's `seen` is written at most this often (every request would be a write).
pub(crate) const SEEN_GRANULARITY: i64 = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_and_checked() {
        assert_eq!(normalise_name(" Ana.Lopez@sre "), Ok("ana.lopez@sre".into()));
        assert!(normalise_name("").is_err());
        assert!(normalise_name("ana lopez").is_err());
        assert!(normalise_name("x'; DROP TABLE account; --").is_err());
        assert!(normalise_name(&"a".repeat(65)).is_err());
    }

    #[test]
    fn passwords_are_hashed_with_argon2id_and_verified() {
        let h = hash_password("una contraseña larga").expect("hash");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("una contraseña larga", &h));
        assert!(!verify_password("una contraseña largA", &h));
        assert!(!verify_password("x", "not a hash"));
        assert_ne!(hash_password("una contraseña larga").expect("hash"), h, "salted");
    }

    #[test]
    fn sessions_end_when_idle_or_old() {
        let limits = SessionLimits { idle: Duration::from_secs(100), absolute: Duration::from_secs(1000) };
        let s = SessionRow {
            hash: String::new(),
            account: "ana".into(),
            csrf: String::new(),
            started: 0,
            seen: 950,
            address: None,
            ended: None,
        };
        assert!(is_open(&s, limits, 990));
        assert!(!is_open(&s, limits, 1000), "absolute expiry");
        assert!(!is_open(&SessionRow { seen: 0, ..s.clone() }, limits, 100), "idle expiry");
        assert!(!is_open(&SessionRow { ended: Some(960), ..s }, limits, 990), "ended");
    }

    #[test]
    fn secrets_are_random_and_stored_as_digests() {
        let a = secret().expect("secret");
        assert_eq!(a.len(), 64);
        assert_ne!(a, secret().expect("secret"));
        assert_ne!(secret_digest(&a), a);
        let p = random_password().expect("password");
        assert_eq!(p.chars().count(), 16);
        assert!(check_password(&p).is_ok());
    }
}
