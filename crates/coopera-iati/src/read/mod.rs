//! Reading IATI activity files.

pub mod map;
pub mod xml;
