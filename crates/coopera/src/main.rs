//! `coopera`: the command-line entry point. Parses arguments, runs one command, prints what
//! went wrong in the user's language and exits non-zero when something did.

use std::process::ExitCode;

use clap::Parser;
use coopera::input;
use coopera_domain::Lang;

mod cli;
mod commands;
mod log;
mod output;

/// An import allocates on one thread (the reader's trees and documents) and frees on another
/// (the writer): glibc's allocator serialises that on its arena locks, mimalloc does not
/// (BENCHMARKS.md, IATI import).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let lang = match cli.lang.parse::<Lang>() {
        Ok(lang) => lang,
        Err(_) => {
            eprintln!("error: idioma desconocido `{0}`: use es o en / unknown language `{0}`: use es or en", cli.lang);
            return ExitCode::from(2);
        }
    };
    match commands::run(cli, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            for line in &failure.lines {
                eprintln!("error: {line}");
            }
            if let Some(summary) = &failure.summary {
                eprintln!("{summary}");
            }
            ExitCode::FAILURE
        }
    }
}
