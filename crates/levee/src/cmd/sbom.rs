//! `levee sbom validate`: the schema-exact verdict on an SBOM, with every violation located.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use levee_report::scan::SbomValidation;

use crate::cmd::print;
use crate::fail::Failure;

/// SBOM commands.
#[derive(Debug, Subcommand)]
pub enum SbomCommand {
    /// Check an SBOM against its format's schema, exactly (a linter's verdict)
    #[command(after_help = "\
Examples:
  levee sbom validate plc.cdx.json                  valid, or the first violation and every other one
  levee sbom validate plc.spdx.json --format json   machine-readable verdict

`levee scan sbom` reads SBOMs as generators write them: a field that breaks the schema is a
warning there, not an error. This command is the strict view: exit code 0 when the document
follows its schema exactly, 2 when it does not (or is not an SBOM at all).")]
    Validate(ValidateArgs),
}

/// Output formats of `sbom validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Lines for a person
    Table,
    /// JSON (`levee schema sbom-validate`)
    Json,
}

/// `levee sbom validate` arguments.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The SBOM: CycloneDX JSON or XML, SPDX JSON or tag-value
    pub file: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs an SBOM command.
pub fn run(cmd: SbomCommand) -> Result<ExitCode, Failure> {
    match cmd {
        SbomCommand::Validate(a) => validate(&a),
    }
}

fn validate(a: &ValidateArgs) -> Result<ExitCode, Failure> {
    let v = levee_engine::scan::validate_sbom(&a.file)?;
    match a.format {
        Format::Json => print(&levee_report::to_json(&v)),
        Format::Table => print(&human(&v)),
    }
    Ok(if v.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn human(v: &SbomValidation) -> String {
    use std::fmt::Write;
    let clean = levee_report::table::clean;
    let mut out = String::new();
    let file = clean(&v.file);
    let what = match (&v.sbom_format, &v.spec_version) {
        (Some(f), Some(ver)) => format!("{f} {}", clean(ver)),
        _ => "unreadable".to_owned(),
    };
    let components = v
        .components
        .map(|n| levee_report::table::count(n as u64, "component", "components"))
        .unwrap_or_default();
    match &v.error {
        None => {
            let _ = writeln!(out, "{file}: valid {what}, {components}");
        }
        Some(e) => {
            let _ = writeln!(
                out,
                "{file}: not valid: {} at {}: {}",
                e.kind,
                e.at.location,
                clean(&e.at.message)
            );
            if v.sbom_format.is_some() {
                let _ = writeln!(
                    out,
                    "{file}: `levee scan sbom` reads it ({what}, {components}) with {}:",
                    levee_report::table::count(v.warnings.len() as u64, "warning", "warnings")
                );
            }
        }
    }
    if v.error.is_none() && !v.warnings.is_empty() {
        let _ = writeln!(
            out,
            "{file}: {}:",
            levee_report::table::count(v.warnings.len() as u64, "warning", "warnings")
        );
    }
    for w in &v.warnings {
        let _ = writeln!(out, "  {}: {}", w.location, clean(&w.message));
    }
    out
}
