//! Project tasks, run as `cargo xtask <task>`.
//!
//! - `codelists [--data DIR] [--check]`: regenerates
//!   `crates/coopera-domain/src/codelists/generated.rs` from the reference data (by default
//!   `../shared/data` next to the workspace) and the hand-written supplements in
//!   `crates/coopera-domain/codelists/`. With `--check` nothing is written; the task fails if
//!   the committed file differs from what would be generated.
//! - `iati-schema [--data DIR] [--check]`: regenerates
//!   `crates/coopera-iati/src/validate/schema_generated.rs` from the IATI 2.03 XML schemas in
//!   `DIR/iati/schema-2.03`, with the same `--check`.
//! - `geo [--data DIR] [--check]`: regenerates the web application's map geometry,
//!   `crates/coopera-web/assets/maps/{world,mexico}.tsv`, with the same `--check`.
//! - `file-format [--check]`: regenerates the reference of the files users write,
//!   `docs/file-format.md` and `docs/formato-de-archivos.md`, from the document types in
//!   `crates/coopera-domain/src/doc.rs`; it needs only the repository.
//! - `openapi [--check]`: regenerates the schemas of the API's OpenAPI document,
//!   `crates/coopera-web/assets/openapi.json`, from the types of its bodies
//!   (`crates/coopera-web/src/api`), by running the web crate's test that checks it.
//! - `long-functions [--check]`: lists the functions longer than 100 lines; with `--check`,
//!   fails if one passes 150 lines and is not on the task's allow-list.

mod codelists;
mod file_format;
mod generate;
mod geo;
mod iati_schema;
mod long_functions;
mod openapi;
mod xml;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};

use generate::Options;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  codelists [--data DIR] [--check]
      Regenerate crates/coopera-domain/src/codelists/generated.rs from the reference data
      in DIR (default: ../shared/data relative to the workspace root). With --check, write
      nothing and fail if the committed file is out of date.
  iati-schema [--data DIR] [--check]
      Regenerate crates/coopera-iati/src/validate/schema_generated.rs (the schema validator's
      tables) from the IATI 2.03 XSDs in DIR/iati/schema-2.03; --check as above.
  geo [--data DIR] [--check]
      Regenerate crates/coopera-web/assets/maps/{world,mexico}.tsv (SVG paths of the world's
      countries and Mexico's states) from DIR/geo and DIR/mexico; --check as above.
  file-format [--check]
      Regenerate docs/file-format.md and docs/formato-de-archivos.md (the reference of the
      TOML and JSON files users write) from crates/coopera-domain/src/doc.rs; --check as above.
  openapi [--check]
      Regenerate components.schemas of crates/coopera-web/assets/openapi.json (the API's
      OpenAPI document) from the types in crates/coopera-web/src/api; --check as above.
  long-functions [--check]
      List the functions longer than 100 lines, longest first. With --check, fail if one is
      longer than 150 lines and not on the allow-list in xtask/src/long_functions.rs.";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some(task @ ("codelists" | "iati-schema" | "geo")) => {
            let root = workspace_root();
            let Some(options) = Options::parse(args, &root).map_err(|e| anyhow::anyhow!("{e}\n\n{USAGE}"))? else {
                println!("{USAGE}");
                return Ok(());
            };
            match task {
                "codelists" => codelists::run(&root, &options),
                "iati-schema" => iati_schema::run(&root, &options),
                _ => geo::run(&root, &options),
            }
        }
        Some(task @ ("file-format" | "long-functions")) => {
            let Some(check) = generate::parse_check(args).map_err(|e| anyhow::anyhow!("{e}\n\n{USAGE}"))? else {
                println!("{USAGE}");
                return Ok(());
            };
            match task {
                "file-format" => file_format::run(&workspace_root(), check),
                _ => long_functions::run(&workspace_root(), check),
            }
        }
        Some("openapi") => {
            let Some(check) = generate::parse_check(args).map_err(|e| anyhow::anyhow!("{e}\n\n{USAGE}"))? else {
                println!("{USAGE}");
                return Ok(());
            };
            openapi::run(&workspace_root(), check)
        }
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown task `{other}`\n\n{USAGE}"),
    }
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}
