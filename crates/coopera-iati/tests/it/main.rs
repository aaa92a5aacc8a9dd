//! Integration tests of the IATI crate, one binary: reading real and hostile files, and the
//! schema validator against the official fixtures.

mod read;
mod schema_fixtures;
