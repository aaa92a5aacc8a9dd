//! SQL and row readings both backends share: the change history's query (with the backend's
//! parameter marks), and how a row of the history, the change feed or the exchange rates
//! becomes what the store answers.

use std::str::FromStr;

use coopera_domain::kinds::Modality;
use rust_decimal::Decimal;

use crate::audit::AuditEvent;
use crate::record::RecordKind;
use crate::rows::table;
use crate::{Change, ChangeAction, ExchangeRate, FeedEntry, Result, StoreError};

/// The `action`s of the audit trail's rows that change a record: the change history.
pub(crate) const CHANGES: &str = "'create', 'update'";

/// The change feed's kind for a change of exchange rates.
pub(crate) const FEED_RATES: &str = "rates";

/// The change history's query over `change_history h`, newest first: `clauses` filter it and
/// `limit` is the mark of the limit's parameter. A row's document after the change is the
/// next change's document before it or, for the newest change, the record as stored now; rows
/// written before that rule carry their own.
pub(crate) fn history_sql(clauses: &[String], limit: &str) -> String {
    let current = RecordKind::ALL
        .into_iter()
        .map(|k| format!("WHEN '{}' THEN (SELECT doc FROM {} WHERE key = h.record_key)", k.as_str(), table(k)))
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "SELECT h.id, h.at, h.author, h.record_kind, h.record_key, h.action, h.before, \
         COALESCE(h.after, \
            (SELECT n.before FROM change_history n \
             WHERE n.record_kind = h.record_kind AND n.record_key = h.record_key AND n.id > h.id \
             AND n.action IN ({CHANGES}) ORDER BY n.id LIMIT 1), \
            CASE h.record_kind {current} END), \
         h.event, h.address, h.detail \
         FROM change_history h WHERE {} ORDER BY h.id DESC LIMIT {limit}",
        clauses.join(" AND ")
    )
}

/// A row of [`history_sql`], its columns in order.
#[derive(Debug)]
pub(crate) struct HistoryRow {
    pub id: i64,
    pub at: String,
    pub author: String,
    pub kind: String,
    pub key: String,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub event: String,
    pub address: Option<String>,
    pub detail: Option<String>,
}

impl HistoryRow {
    pub(crate) fn change(self) -> Result<Change> {
        let key = self.key;
        let corrupt = |reason: String| StoreError::Corrupt { kind: RecordKind::Activity, key: key.clone(), reason };
        let kind =
            RecordKind::parse(&self.kind).ok_or_else(|| corrupt(format!("unknown record kind {}", self.kind)))?;
        let action = match self.action.as_str() {
            "create" => ChangeAction::Create,
            "update" => ChangeAction::Update,
            other => return Err(corrupt(format!("unknown change action {other}"))),
        };
        let event = AuditEvent::parse(&self.event).unwrap_or(AuditEvent::Edit);
        Ok(Change {
            id: self.id,
            at: self.at,
            author: self.author,
            kind,
            key,
            action,
            before: self.before,
            after: self.after,
            event,
            address: self.address,
            detail: self.detail,
        })
    }
}

/// An entry of the change feed, from its row.
pub(crate) fn feed_entry(seq: i64, kind: &str, key: String) -> Result<(u64, FeedEntry)> {
    let entry = if kind == FEED_RATES {
        FeedEntry::Rates
    } else {
        let kind = RecordKind::parse(kind).ok_or_else(|| {
            StoreError::Backend(format!("change feed entry {seq}: unknown record kind {kind}").into())
        })?;
        FeedEntry::Record { kind, key }
    };
    Ok((u64::try_from(seq).unwrap_or(0), entry))
}

/// The (kind, key) a feed entry is stored as.
pub(crate) fn feed_row(entry: &FeedEntry) -> (&str, &str) {
    match entry {
        FeedEntry::Record { kind, key } => (kind.as_str(), key.as_str()),
        FeedEntry::Rates => (FEED_RATES, ""),
    }
}

/// An exchange rate, from its row's text columns.
pub(crate) fn exchange_rate(
    currency: &str,
    start: &str,
    end: &str,
    value: &str,
    source: String,
) -> Result<ExchangeRate> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let bad = |reason: String| StoreError::Backend(format!("exchange rate {currency} {start}: {reason}").into());
    Ok(ExchangeRate {
        currency: coopera_domain::code::CurrencyCode::parse(currency).map_err(|p| bad(p.to_string()))?,
        start: time::Date::parse(start, &format).map_err(|e| bad(e.to_string()))?,
        end: time::Date::parse(end, &format).map_err(|e| bad(e.to_string()))?,
        units_per_usd: Decimal::from_str(value).map_err(|e| bad(e.to_string()))?,
        source,
    })
}

/// An activity's modality as stored.
pub(crate) fn modality(key: &str, s: &str) -> Result<Modality> {
    Modality::parse(s).map_err(|p| StoreError::Corrupt {
        kind: RecordKind::Activity,
        key: key.to_owned(),
        reason: p.to_string(),
    })
}
