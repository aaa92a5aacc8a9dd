//! Validation of IATI activity files against the 2.03 schema.
