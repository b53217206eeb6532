//! Dispatch: one module per command group.

mod catalog;
pub mod db;
mod diagnostics;
pub mod firmware;
pub mod observe;
mod project;
pub mod sbom;
pub mod scan;
pub mod server;

use std::process::ExitCode;

use levee_catalog::Catalog;

use crate::cli::{Cli, Command};
use crate::fail::Failure;

pub fn run(cli: Cli, catalog: &Catalog) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Catalog(c) => catalog::run(c, catalog, cli.data_dir.as_deref()),
        Command::Init(a) => project::init(&a),
        Command::Validate(a) => project::validate(&a, catalog),
        Command::Assess(a) => project::assess(&a, catalog, cli.data_dir.as_deref()),
        Command::Schema(a) => project::schema(&a),
        Command::Db(c) => db::run(c, cli.data_dir.as_deref()),
        Command::Scan(c) => scan::run(c, catalog, cli.data_dir.as_deref()),
        Command::Sbom(c) => sbom::run(c),
        Command::Observe(a) => observe::run(&a, catalog),
        Command::Firmware(c) => firmware::run(c, cli.data_dir.as_deref()),
        Command::Serve(a) => server::serve(&a, catalog, cli.data_dir.as_deref()),
        Command::Push(a) => server::push(&a),
        Command::Pull(a) => server::pull(&a),
        Command::Admin(c) => server::admin(&c, cli.data_dir.as_deref()),
        Command::Audit(c) => server::audit(&c, cli.data_dir.as_deref()),
    }
}

/// Writes command output to standard output; a closed pipe (`| head`) is not an error.
pub fn print(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
