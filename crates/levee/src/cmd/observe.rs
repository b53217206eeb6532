//! `levee observe`: read captures, inventory the hosts, decode industrial operations and, with
//! `--project`, check the traffic against the declared zones, conduits and assets.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use levee_catalog::Catalog;
use levee_engine::levee_net::Limits;
use levee_engine::{CaptureSource, files};
use levee_report::observe as report;

use crate::cli::Format;
use crate::cmd::print;
use crate::fail::Failure;
use crate::progress::with_progress_unless;

/// Output formats of `levee observe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ObserveFormat {
    /// Captures, assets, operations other than reads, violations
    Table,
    /// `levee-observe/1` (schema: `levee schema observe`)
    Json,
    /// One row per flow, operation and violation, with a `record` column
    Csv,
}

/// What makes `levee observe` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ObserveFailOn {
    /// Any violation of the project's zones and conduits
    Violations,
    /// Any risky operation (program change, stop/start, firmware, configuration, time)
    Risky,
}

/// `levee observe CAPTURE...`.
#[derive(Debug, Args)]
pub struct ObserveArgs {
    /// Capture files (pcap or pcapng; several sections, interfaces and link types are fine)
    #[arg(required = true, value_name = "CAPTURE")]
    pub captures: Vec<PathBuf>,
    /// A project directory: hosts are placed in its assets and zones and violations reported
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ObserveFormat::Table)]
    pub format: ObserveFormat,
    /// Write the output to this file (whole or not at all) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write the observed inventory as a draft model (zones, conduits, assets) for review;
    /// the project itself is never written
    #[arg(long, value_name = "FILE")]
    pub emit_model: Option<PathBuf>,
    /// Exit 1 when any of these is found
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Vec<ObserveFailOn>,
    /// Flows tracked per capture; packets of further flows are only counted
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    pub max_flows: usize,
    /// No progress bar
    #[arg(long)]
    pub quiet: bool,
}

pub fn run(a: &ObserveArgs, catalog: &Catalog) -> Result<ExitCode, Failure> {
    let project = match &a.project {
        Some(dir) => Some(
            levee_engine::load_project(dir, catalog)
                .map_err(|e| crate::cmd::project::assess_failure(e, Format::Table))?
                .0,
        ),
        None => None,
    };
    let sources: Vec<CaptureSource> = a.captures.iter().map(|p| CaptureSource::file(p)).collect();
    let limits = Limits {
        max_flows: a.max_flows.max(1),
        ..Limits::default()
    };
    let outcome = with_progress_unless(a.quiet, |progress| {
        levee_engine::observe(&sources, project.as_ref(), limits, progress)
    })?;
    for c in &outcome.observation.captures {
        if let Some(e) = &c.error {
            eprintln!("warning: {}: {e}", c.name);
        }
    }
    if outcome.nothing_read() {
        return Err(Failure::new("no capture could be read")
            .hint("give pcap or pcapng files; see the warnings above"));
    }
    let wire = report::build(&outcome.observation, &outcome.violations, project.as_ref());
    let text = match a.format {
        ObserveFormat::Table => report::to_table(&wire),
        ObserveFormat::Json => levee_report::to_json(&wire),
        ObserveFormat::Csv => report::to_csv(&wire),
    };
    if let Some(path) = &a.emit_model {
        files::write_atomic(path, report::draft_model(&wire).as_bytes(), files::Mode::Shared)?;
        eprintln!(
            "note: draft model written to {} (review it before copying into a project)",
            path.display()
        );
    }
    match &a.out {
        Some(path) => files::write_atomic(path, text.as_bytes(), files::Mode::Shared)?,
        None => print(&text),
    }
    let failed = a.fail_on.iter().any(|f| match f {
        ObserveFailOn::Violations => !wire.violations.is_empty(),
        ObserveFailOn::Risky => wire.operations.iter().any(|o| o.risky),
    });
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
