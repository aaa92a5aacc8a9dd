//! IATI 2.03: reading any publisher's activity file into Coopera's domain, writing files the
//! official schema accepts, and validating files against the schema and the IATI rules.

pub mod input;
pub mod read;
pub mod rules;
pub mod write;

#[cfg(test)]
mod roundtrip_tests;
pub mod validate;
