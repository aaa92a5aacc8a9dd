//! Search over the catalog and the registry: full-text search of capacities, demands and
//! activities with facets and highlighted snippets, and the matching of a demand to the
//! capacities that could answer it, with the reasons why.
//!
//! The index is a derived view, built on tantivy: the caller turns records into
//! [`SearchDoc`]s (with the organisations' names from [`Names`]), [`SearchIndex::rebuild`]s
//! the index from all of them, then [`SearchIndex::apply`]s what each change of its change
//! feed touched. Every commit stores the feed's sequence number with the schema and analyzer
//! versions ([`SearchIndex::stamp`]), so a process that opens the index knows whether it is
//! current, behind (apply the changes since) or of another version (rebuild).
//!
//! - [`analysis`]: how text becomes terms (stemming, folding, the [`concepts`] table).
//! - [`query`]: the query language of [`SearchIndex::search`].
//! - [`matching`]: how [`SearchIndex::match_demand`] ranks capacities and when it answers
//!   that none fits.

#![warn(clippy::arithmetic_side_effects)]

pub mod analysis;
mod andish;
pub mod concepts;
mod doc;
mod index;
pub mod live;
pub mod matching;
mod maxima;
pub mod query;
mod schema;
mod search;
mod seek_union;

use std::path::PathBuf;

pub use doc::{DocKind, Names, OrgNames, SearchDoc};
pub use index::{Rebuilding, SearchIndex, Stamp};
pub use matching::{InstitutionTrack, MatchRequest, MatchResult, MatchResults, Reason, SectorFit, Track};
pub use schema::SCHEMA_VERSION;
pub use search::{Facet, Hit, SearchQuery, SearchResults};

/// What can go wrong: the caller's mistakes (an unknown kind or facet code, a folder that is
/// not an index) and failures of the index itself.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("unknown record kind `{0}` (use capacity, demand or activity)")]
    UnknownKind(String),
    #[error("unknown facet `{0}` (use thematic-area, sector, form, institution, state, language or country)")]
    UnknownFacet(String),
    #[error("search index at {path}: the folder holds `{file}`, which is not part of an index; choose an empty folder")]
    NotAnIndex { path: PathBuf, file: String },
    #[error("search index at {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: {0}")]
    Internal(String),
}

impl From<tantivy::directory::error::OpenReadError> for SearchError {
    fn from(e: tantivy::directory::error::OpenReadError) -> SearchError {
        SearchError::Index(e.into())
    }
}

impl From<std::io::Error> for SearchError {
    fn from(e: std::io::Error) -> SearchError {
        SearchError::Index(e.into())
    }
}

#[cfg(test)]
mod tests;

pub type Result<T, E = SearchError> = std::result::Result<T, E>;
