//! Integration tests of the IATI crate, one binary: reading real and hostile files, the one
//! input layer under the reader and the validator, the schema validator against the official
//! fixtures, the inputs fuzzing found, and the golden file of what the writer publishes.

use std::path::{Path, PathBuf};

mod fuzzed;
mod golden;
mod input;
mod read;
mod schema_fixtures;

/// A path in the shared reference data beside the repository, when it is there. A fresh clone
/// has none and the tests that need it say so and stop; CI has it and sets
/// `COOPERA_REQUIRE_SHARED_DATA`, under which a missing path fails the test instead.
fn shared_data(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(std::env::var_os("COOPERA_REQUIRE_SHARED_DATA").is_none(), "{} is missing", path.display());
    eprintln!("{} is missing: this test checks only what the repository carries", path.display());
    None
}
