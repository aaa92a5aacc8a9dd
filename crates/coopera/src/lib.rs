//! What the `coopera` binary reads that other code must run exactly as the binary does:
//! record files (TOML and JSON) checked into records, with every problem placed at its
//! file, line and column.
//!
//! A library target rather than a crate of its own: these modules are the binary's (they
//! speak of files and of the store's records), and the fuzz targets in `fuzz/`, which cannot
//! link a binary, must exercise this very code, not a copy. `main.rs` uses them from here.

pub mod input;
pub mod locate;
