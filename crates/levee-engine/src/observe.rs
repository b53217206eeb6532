//! Network evidence: observe a set of captures, optionally against a project's zones, conduits
//! and assets. The CLI's `levee observe` and `levee assess` (for `[evidence] captures`) call
//! this; a server would too.

use std::path::{Path, PathBuf};

use levee_core::Project;
use levee_net::{Analyzer, Limits, Observation, Violation};
use levee_vulndb::{Progress, Unit};

use crate::error::{EngineError, ErrorKind};

/// One capture to read: where it is and how to name it in reports.
#[derive(Debug, Clone)]
pub struct CaptureSource {
    /// The path to open.
    pub path: PathBuf,
    /// The project directory it must stay inside (for captures a project lists), if any.
    pub root: Option<PathBuf>,
    /// The name reports use (the path as the user or the project wrote it).
    pub name: String,
}

impl CaptureSource {
    /// A capture named on the command line.
    pub fn file(path: &Path) -> CaptureSource {
        CaptureSource {
            path: path.to_path_buf(),
            root: None,
            name: path.display().to_string(),
        }
    }
}

/// What an observation found.
#[derive(Debug, Clone)]
pub struct ObserveOutcome {
    /// Captures, flows, operations and hosts.
    pub observation: Observation,
    /// Mismatches with the project (empty without one).
    pub violations: Vec<Violation>,
    /// How many captures could not be read at all.
    pub unreadable: usize,
}

impl ObserveOutcome {
    /// True when not one capture could be read (the CLI exits 2 then).
    pub fn nothing_read(&self) -> bool {
        self.unreadable == self.observation.captures.len()
    }
}

/// Reads every capture (streamed: memory grows with flows and hosts, never with packets) and,
/// given a project, checks the traffic against it. A capture that cannot be opened or is not a
/// capture is reported in its summary and the others are still read.
///
/// # Errors
///
/// Only when `sources` is empty.
pub fn observe(
    sources: &[CaptureSource],
    project: Option<&Project>,
    limits: Limits,
    progress: &dyn Progress,
) -> Result<ObserveOutcome, EngineError> {
    if sources.is_empty() {
        return Err(EngineError::new(ErrorKind::Usage, "no capture given")
            .hint("name one or more .pcap or .pcapng files"));
    }
    let mut analyzer = Analyzer::new(limits);
    let mut unreadable = 0;
    for src in sources {
        let opened = match &src.root {
            Some(root) => levee_io::open_in_root(root, &src.path, "capture"),
            None => levee_io::open_file(&src.path, "capture"),
        };
        let (file, size) = match opened {
            Ok(f) => f,
            Err(e) => {
                analyzer.failed_capture(&src.name, format!("{e} ({})", e.hint()));
                unreadable += 1;
                continue;
            }
        };
        progress.begin(&src.name, Unit::Bytes, Some(size));
        let mut done = 0u64;
        let reader = std::io::BufReader::with_capacity(1 << 18, file);
        let result = analyzer.read_capture(&src.name, reader, &mut |pos| {
            progress.advance(pos.saturating_sub(done));
            done = pos;
        });
        progress.end();
        if let Err(e) = result {
            let hint = match e.code() {
                "not-a-capture" => "give a pcap or pcapng file (convert others with editcap)",
                "truncated-header" => "the file ends inside its header; it is not a usable capture",
                _ => "check the file",
            };
            analyzer.failed_capture(&src.name, format!("{e} ({hint})"));
            unreadable += 1;
        }
    }
    let observation = analyzer.finish();
    let violations = project
        .map(|p| levee_net::check(&observation, p))
        .unwrap_or_default();
    Ok(ObserveOutcome {
        observation,
        violations,
        unreadable,
    })
}
