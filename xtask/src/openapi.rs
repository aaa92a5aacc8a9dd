//! `cargo xtask openapi [--check]`: the schemas of the API's OpenAPI document
//! (`crates/coopera-web/assets/openapi.json`) generated from the types of its bodies.
//!
//! The types and the generator are the web crate's (`coopera_web::api::openapi`), which this
//! task does not build into itself: it runs the web crate's test that compares the committed
//! document with the generated one, asking it to write the file (`COOPERA_OPENAPI=write`)
//! unless `--check`. `cargo test` runs the same test, so a stale document fails there too.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, ensure};

/// The test that generates the document, in the web crate's test binary `it`.
const TEST: &str = "openapi::the_document_is_generated_from_the_types";

pub fn run(root: &Path, check: bool) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root).args(["test", "-p", "coopera-web", "--test", "it", "--", TEST, "--exact"]);
    if !check {
        command.env("COOPERA_OPENAPI", "write");
    }
    let status = command.status().context("running cargo test")?;
    ensure!(
        status.success(),
        "{}",
        if check {
            "crates/coopera-web/assets/openapi.json is out of date; run `cargo xtask openapi`"
        } else {
            "the document could not be generated"
        }
    );
    eprintln!(
        "crates/coopera-web/assets/openapi.json {}",
        if check { "is up to date" } else { "written from the API's types" }
    );
    Ok(())
}
