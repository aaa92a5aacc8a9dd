//! The one seam between the pipeline and the registry: what an import asks of the store, and
//! its implementation for the store in one place.

use coopera_store::{AuditEvent, Record, Store, StoreError, WriteOptions, WriteSummary};

/// Where an import stores what it read.
pub trait Sink {
    /// Whether the registry holds an organisation under `key`. One it holds is kept as it is:
    /// the registry's record, curated by its users, wins over a publisher's label.
    fn has_organisation(&self, key: &str) -> Result<bool, StoreError>;

    /// Records a batch in one transaction, replacing a record stored under the same key with
    /// another content (the change history keeps it): each record is created, updated or left
    /// unchanged, in the order given. A batch with any problem writes nothing and is refused
    /// with [`StoreError::Invalid`], each record's problems at its index. The audit trail marks
    /// the changes as `event` (the pipeline says [`AuditEvent::Import`]).
    fn record(&mut self, author: &str, records: Vec<Record>, event: AuditEvent) -> Result<WriteSummary, StoreError>;
}

impl Sink for Store {
    fn has_organisation(&self, key: &str) -> Result<bool, StoreError> {
        Ok(self.organisation(key)?.is_some())
    }

    fn record(&mut self, author: &str, records: Vec<Record>, event: AuditEvent) -> Result<WriteSummary, StoreError> {
        Store::write(self, author, records, WriteOptions { event: Some(event), ..WriteOptions::default() })
    }
}
