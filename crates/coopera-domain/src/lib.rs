//! Coopera's domain: the entities of international development cooperation, the codelists
//! they are classified by, and the rules that keep them valid.
//!
//! This crate does no I/O: no files, no database, no network, no async. Every type that
//! holds a code holds a checked one, and every record is built through a constructor that
//! returns all its [`Problems`] at once.

#![warn(clippy::arithmetic_side_effects)]

/// The stored form of a checked value that is its text (a code, a key): written as the
/// string, read back through `$parse`, so a stored value that no longer checks out is refused
/// like any damaged record.
macro_rules! stored_as_text {
    ($name:ty, |$v:ident| $text:expr, $parse:path) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let $v = self;
                s.serialize_str($text)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let text = String::deserialize(d)?;
                $parse(&text).map_err(|p| serde::de::Error::custom(format!("{text:?}: {p}")))
            }
        }
    };
}

/// The stored form of a record that holds its checked parts: written as the parts, read back
/// through `$name::new`, so a stored record that no longer checks out is refused like any
/// damaged one.
macro_rules! stored_through_parts {
    ($name:ident, $parts:ident) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                $name::new($parts::deserialize(d)?).map_err(|p| serde::de::Error::custom(p.to_string()))
            }
        }
    };
}

pub mod access;
pub mod activity;
pub mod catalog;
pub mod code;
pub mod codelists;
pub mod doc;
pub mod ids;
pub mod kinds;
mod lang;
pub mod limits;
pub mod organisation;
pub mod practice;
pub mod problem;
pub mod record;
pub mod share;
pub mod subnational;
pub mod text;

pub use lang::{Lang, UnknownLang};
pub use problem::{Expected, Problem, Problems, Rule};

#[cfg(test)]
mod reference_tests;

#[cfg(test)]
mod layering {
    /// The domain stays pure: none of its dependencies does I/O, async or a file format.
    #[test]
    fn depends_on_no_io_crate() {
        let manifest = include_str!("../Cargo.toml");
        let deps = manifest.split("[dependencies]").nth(1).and_then(|s| s.split("\n[").next()).unwrap_or("");
        assert!(deps.contains("rust_decimal"), "the section was found: {deps}");
        for forbidden in ["rusqlite", "sqlx", "tokio", "axum", "quick-xml", "clap", "serde_json", "toml", "reqwest"] {
            assert!(!deps.contains(forbidden), "coopera-domain must not depend on {forbidden}");
        }
    }
}
