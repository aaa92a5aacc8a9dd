//! Identifiers: the readable keys records are known by in files, URLs and the database.

use std::fmt;

use crate::problem::{Expected, Problem, Rule};

macro_rules! key_type {
    ($(#[$doc:meta])* $name:ident, $check:ident, $expected:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn parse(value: &str) -> Result<$name, Problem> {
                let v = value.trim();
                if v.is_empty() {
                    return Err(Problem::new("", None, Rule::Required));
                }
                if !$check(v) {
                    return Err(Problem::new("", Some(value), Rule::Format { expected: $expected }));
                }
                Ok($name(v.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        stored_as_text!($name, |k| k.as_str(), $name::parse);
    };
}

/// A short lowercase slug: letters, digits and dashes, up to 64 characters.
fn is_slug(s: &str) -> bool {
    s.len() <= 64 && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// An IATI identifier: printable, no whitespace, up to 400 bytes. Publishers use `/`, `.`,
/// `:` and more, so anything printable is accepted; the web layer escapes it in URLs.
fn is_identifier(s: &str) -> bool {
    s.len() <= 400 && s.chars().all(|c| !c.is_whitespace() && !c.is_control())
}

key_type!(
    /// The key of an organisation, a lowercase slug such as `amexcid` or `gob-chiapas`.
    OrgKey, is_slug, Expected::Slug
);
key_type!(
    /// The identifier of an activity: its IATI identifier (reporting organisation + own code).
    ActivityKey, is_identifier, Expected::Identifier
);
key_type!(
    /// The key of a catalog record, action, agreement or membership: a lowercase slug.
    RecordKey, is_slug, Expected::Slug
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        assert!(OrgKey::parse("gob-chiapas").is_ok());
        assert!(OrgKey::parse("Gob Chiapas").is_err());
        assert!(OrgKey::parse("  ").is_err());
        assert!(ActivityKey::parse("XM-DAC-41114-00123").is_ok());
        assert!(ActivityKey::parse("MX 2012").is_err());
        assert!(ActivityKey::parse("XI-IATI-EC_NEAR-2021/423-526").is_ok());
    }
}
