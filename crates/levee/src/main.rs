//! `levee`: the command-line shell over Levee's libraries.
//!
//! This crate parses arguments, calls library functions, writes what they return and picks the exit
//! code: 0 ok, 1 findings or a failed policy, 2 a usage or input error. It holds no domain logic.

mod cli;
mod cmd;
mod fail;
mod progress;

use std::process::ExitCode;

/// mimalloc instead of glibc's malloc: a scan allocates per finding, and the allocator led the
/// profile of the 2,000-component scan (BENCHMARKS.md). The crate's own code is C behind a safe
/// `GlobalAlloc`; nothing here is unsafe.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::Cli;
use crate::fail::Failure;

fn main() -> ExitCode {
    let catalog = match levee_catalog::Catalog::bundled() {
        Ok(c) => c,
        Err(errors) => {
            eprintln!("error: the catalog compiled into this build is invalid:\n{errors}");
            return ExitCode::from(2);
        }
    };
    let command = Cli::command().version(cli::version_text(&catalog));
    let matches = match command.try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            // Help and version go to stdout with exit 0; usage errors to stderr with exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    match cmd::run(cli, &catalog) {
        Ok(code) => code,
        Err(Failure { message, hint }) => {
            eprintln!("error: {message}");
            if let Some(hint) = hint {
                eprintln!("  hint: {hint}");
            }
            ExitCode::from(2)
        }
    }
}
