//! The audit trail: one append-only list of everything that happened to the registry — every
//! record created or changed (by a form, an import, a workflow transition), every sign-in and
//! failed one, account change, token use and export of unpublished data — with who, when,
//! from which address and, for a record, its document before and after.
//!
//! The change history is this trail: [`crate::Store::history`] reads its record changes. Each
//! row's `hash` covers the row and the hash of the row before it, so editing or removing a row
//! breaks the chain from there on; [`crate::Store::verify_audit`] walks it and names the first
//! row that no longer fits. No code path updates or deletes a row.

use std::fmt;

use blake2::{Blake2b256, Digest};
use coopera_domain::Lang;

use crate::backend::Transaction;
use crate::{RecordKind, Result};

/// What a row of the trail records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditEvent {
    /// A record saved through a form, the API or `activity add`.
    Edit,
    /// A record written by an import of files.
    Import,
    /// A record moved along the validation workflow.
    Transition,
    SignIn,
    SignInFailed,
    SignOut,
    AccountCreated,
    AccountDisabled,
    PasswordChanged,
    TokenIssued,
    TokenRevoked,
    TokenUsed,
    /// Unpublished records left the registry in a download or export.
    Export,
}

impl AuditEvent {
    pub const ALL: [AuditEvent; 13] = [
        AuditEvent::Edit,
        AuditEvent::Import,
        AuditEvent::Transition,
        AuditEvent::SignIn,
        AuditEvent::SignInFailed,
        AuditEvent::SignOut,
        AuditEvent::AccountCreated,
        AuditEvent::AccountDisabled,
        AuditEvent::PasswordChanged,
        AuditEvent::TokenIssued,
        AuditEvent::TokenRevoked,
        AuditEvent::TokenUsed,
        AuditEvent::Export,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditEvent::Edit => "edit",
            AuditEvent::Import => "import",
            AuditEvent::Transition => "transition",
            AuditEvent::SignIn => "sign-in",
            AuditEvent::SignInFailed => "sign-in-failed",
            AuditEvent::SignOut => "sign-out",
            AuditEvent::AccountCreated => "account-created",
            AuditEvent::AccountDisabled => "account-disabled",
            AuditEvent::PasswordChanged => "password-changed",
            AuditEvent::TokenIssued => "token-issued",
            AuditEvent::TokenRevoked => "token-revoked",
            AuditEvent::TokenUsed => "token-used",
            AuditEvent::Export => "export",
        }
    }

    pub fn parse(s: &str) -> Option<AuditEvent> {
        AuditEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AuditEvent::Edit => lang.pick("edición", "edit"),
            AuditEvent::Import => lang.pick("importación", "import"),
            AuditEvent::Transition => lang.pick("cambio de estado", "transition"),
            AuditEvent::SignIn => lang.pick("inicio de sesión", "sign-in"),
            AuditEvent::SignInFailed => lang.pick("inicio de sesión fallido", "failed sign-in"),
            AuditEvent::SignOut => lang.pick("cierre de sesión", "sign-out"),
            AuditEvent::AccountCreated => lang.pick("cuenta creada", "account created"),
            AuditEvent::AccountDisabled => lang.pick("cuenta desactivada", "account disabled"),
            AuditEvent::PasswordChanged => lang.pick("contraseña cambiada", "password changed"),
            AuditEvent::TokenIssued => lang.pick("token emitido", "token issued"),
            AuditEvent::TokenRevoked => lang.pick("token revocado", "token revoked"),
            AuditEvent::TokenUsed => lang.pick("token usado", "token used"),
            AuditEvent::Export => lang.pick("exportación", "export"),
        }
    }
}

impl fmt::Display for AuditEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who did something, and from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Who<'a> {
    /// An account's name, or what a local tool calls itself (`cli`, `demo`).
    pub name: &'a str,
    /// The client's network address, for what came over the network.
    pub address: Option<&'a str>,
}

impl<'a> Who<'a> {
    /// Someone at this machine (the CLI): no address.
    pub fn local(name: &'a str) -> Who<'a> {
        Who { name, address: None }
    }
}

/// The `record_kind` of rows about an account.
pub(crate) const ACCOUNT_KIND: &str = "account";

/// A row of the trail as a backend stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuditRow {
    pub id: i64,
    pub at: String,
    pub author: String,
    /// A [`RecordKind`], [`ACCOUNT_KIND`], or empty.
    pub kind: String,
    pub key: String,
    /// `create` or `update` for a change of a record, else `event`.
    pub action: String,
    pub event: String,
    pub address: Option<String>,
    pub detail: Option<String>,
    /// The record's document before the change, as stored then.
    pub before: Option<String>,
    /// The digest of the record's document after the change.
    pub after_hash: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The hex BLAKE2b-256 digest of a document.
pub(crate) fn digest(doc: &str) -> String {
    hex(&Blake2b256::digest(doc.as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len().saturating_mul(2));
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The hash of a row: every field, each with its length so that no two rows read alike, and
/// the hash of the row before it.
pub(crate) fn row_hash(r: &AuditRow) -> String {
    let mut h = Blake2b256::new();
    let id = r.id.to_string();
    let before = r.before.as_deref().map(digest);
    let fields: [Option<&str>; 12] = [
        Some(&r.prev_hash),
        Some(&id),
        Some(&r.at),
        Some(&r.author),
        Some(&r.kind),
        Some(&r.key),
        Some(&r.action),
        Some(&r.event),
        r.address.as_deref(),
        r.detail.as_deref(),
        before.as_deref(),
        r.after_hash.as_deref(),
    ];
    for f in fields {
        match f {
            Some(text) => {
                h.update((text.len() as u64).to_le_bytes());
                h.update(text.as_bytes());
            }
            None => h.update(u64::MAX.to_le_bytes()),
        }
    }
    hex(&h.finalize())
}

/// Appends `row` to the trail inside `tx`, chained to the row before it; returns its id.
pub(crate) fn append(tx: &mut dyn Transaction, mut row: AuditRow) -> Result<i64> {
    let (last_id, prev_hash) = tx.last_audit()?.unwrap_or((0, String::new()));
    row.id = last_id.saturating_add(1);
    row.prev_hash = prev_hash;
    row.hash = row_hash(&row);
    tx.add_audit(&row)?;
    Ok(row.id)
}

/// An event that is not a change of a record (a sign-in, an account change, an export).
pub(crate) fn event(
    tx: &mut dyn Transaction,
    at: &str,
    who: Who<'_>,
    event: AuditEvent,
    subject: Option<&str>,
    detail: Option<&str>,
) -> Result<i64> {
    let row = AuditRow {
        id: 0,
        at: at.to_owned(),
        author: who.name.to_owned(),
        kind: if subject.is_some() { ACCOUNT_KIND.to_owned() } else { String::new() },
        key: subject.unwrap_or_default().to_owned(),
        action: "event".to_owned(),
        event: event.as_str().to_owned(),
        address: who.address.map(str::to_owned),
        detail: detail.map(str::to_owned),
        before: None,
        after_hash: None,
        prev_hash: String::new(),
        hash: String::new(),
    };
    append(tx, row)
}

/// Which rows of the trail to list, oldest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Rows at or after this moment (RFC 3339, or a date `2026-12-01`).
    pub since: Option<String>,
    /// Rows by this author.
    pub author: Option<String>,
    /// Rows about this record (or account) key.
    pub key: Option<String>,
    /// Rows about records of this kind ([`crate::RecordKind::as_str`], or `account`).
    pub kind: Option<String>,
    /// At most this many rows: the newest.
    pub limit: Option<u32>,
}

/// One row of the audit trail as `coopera audit` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub author: String,
    pub address: Option<String>,
    pub event: Option<AuditEvent>,
    /// The record's kind, `account`, or empty.
    pub kind: String,
    pub key: String,
    /// `create`, `update`, or `event`.
    pub action: String,
    pub detail: Option<String>,
    /// The document before the change, in the format users write.
    pub before: Option<String>,
    pub after_hash: Option<String>,
    pub hash: String,
}

impl AuditEntry {
    pub(crate) fn from_row(r: AuditRow) -> AuditEntry {
        let before = match (RecordKind::parse(&r.kind), r.before) {
            (Some(kind), Some(stored)) => Some(crate::Record::as_document(kind, &stored)),
            (_, before) => before,
        };
        AuditEntry {
            id: r.id,
            at: r.at,
            author: r.author,
            address: r.address,
            event: AuditEvent::parse(&r.event),
            kind: r.kind,
            key: r.key,
            action: r.action,
            detail: r.detail,
            before,
            after_hash: r.after_hash,
            hash: r.hash,
        }
    }
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerdict {
    /// Every row is as written and chained to the one before; `head` is the last row's hash
    /// (write it down: a later verify that ends on another head with fewer rows lost some).
    Intact { rows: u64, head: String },
    /// The first row that does not fit, and why.
    Broken { id: i64, why: Broken },
}

/// Why a row of the trail does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    /// The row's content no longer gives its hash: it was edited.
    Altered,
    /// The row does not follow the one before it: a row in between was removed, or the one
    /// before was rewritten with a new hash.
    Unchained,
    /// The record's document after this change is not the one the trail recorded.
    RecordDiffers,
}

impl Broken {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            Broken::Altered => lang.pick(
                "la fila fue modificada: su contenido ya no corresponde a su hash",
                "the row was altered: its content no longer matches its hash",
            ),
            Broken::Unchained => lang.pick(
                "la fila no sigue a la anterior: se eliminó o reescribió una fila antes de ella",
                "the row does not follow the one before: a row before it was removed or rewritten",
            ),
            Broken::RecordDiffers => lang.pick(
                "el documento del registro después de este cambio no es el que la bitácora registró",
                "the record's document after this change is not the one the trail recorded",
            ),
        }
    }
}

/// Checks rows in id order; `next` gives the following batch after an id. `after_doc` gives
/// the digest the record's document should have after a change: the next change's `before`,
/// or the record as stored now.
pub(crate) struct Verifier {
    prev: Option<(i64, String)>,
    rows: u64,
}

impl Verifier {
    pub fn new() -> Verifier {
        Verifier { prev: None, rows: 0 }
    }

    /// Checks one row; the first problem is returned.
    pub fn check(&mut self, row: &AuditRow) -> Option<Broken> {
        let expected_prev = self.prev.as_ref().map(|(_, h)| h.as_str()).unwrap_or("");
        let expected_id = self.prev.as_ref().map_or(row.id, |(id, _)| id.saturating_add(1));
        if row_hash(row) != row.hash {
            return Some(Broken::Altered);
        }
        if row.prev_hash != expected_prev || row.id != expected_id {
            return Some(Broken::Unchained);
        }
        self.prev = Some((row.id, row.hash.clone()));
        self.rows = self.rows.saturating_add(1);
        None
    }

    pub fn finish(self) -> AuditVerdict {
        AuditVerdict::Intact { rows: self.rows, head: self.prev.map(|(_, h)| h).unwrap_or_default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, prev: &str) -> AuditRow {
        let mut r = AuditRow {
            id,
            at: "2026-12-04T10:00:00Z".into(),
            author: "ana".into(),
            kind: "activity".into(),
            key: "MX-1".into(),
            action: "update".into(),
            event: "edit".into(),
            address: None,
            detail: None,
            before: Some("{}".into()),
            after_hash: Some(digest("{\"a\":1}")),
            prev_hash: prev.into(),
            hash: String::new(),
        };
        r.hash = row_hash(&r);
        r
    }

    #[test]
    fn every_field_is_covered_by_the_hash() {
        let r = row(1, "");
        let mut other = r.clone();
        other.detail = Some(String::new());
        assert_ne!(row_hash(&r), row_hash(&other), "an empty detail differs from none");
        let mut other = r.clone();
        other.author = "anb".into();
        assert_ne!(row_hash(&r), row_hash(&other));
        let mut other = r.clone();
        other.before = Some("{ }".into());
        assert_ne!(row_hash(&r), row_hash(&other));
    }

    #[test]
    fn verify_names_the_first_row_that_does_not_fit() {
        let a = row(1, "");
        let b = row(2, &a.hash);
        let c = row(3, &b.hash);
        let mut v = Verifier::new();
        assert_eq!([&a, &b, &c].map(|r| v.check(r)), [None, None, None]);
        assert_eq!(v.finish(), AuditVerdict::Intact { rows: 3, head: c.hash.clone() });

        let mut edited = b.clone();
        edited.author = "mallory".into();
        let mut v = Verifier::new();
        assert_eq!(v.check(&a), None);
        assert_eq!(v.check(&edited), Some(Broken::Altered));

        let mut v = Verifier::new();
        assert_eq!(v.check(&a), None);
        assert_eq!(v.check(&c), Some(Broken::Unchained), "row 2 was removed");
    }
}
