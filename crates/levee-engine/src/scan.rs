//! Scanning one SBOM: read it (bounded), gather its VEX (embedded statements first, then each file
//! in order), match it against the advisory index on worker threads, apply VEX to every finding and
//! evaluate the policy gates. `levee scan sbom`, `levee assess` and the server all go through
//! [`SbomScan`], so the same SBOM gives the same findings everywhere.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use levee_advisory::cvss::Severity;
use levee_sbom::Sbom;
use levee_vuln::vex::{self, SbomId, VexStatement};
use levee_vuln::{
    Batch, ComponentReport, Index, MatchOptions, Matcher, PriorityContext, ScanResult, VulnFinding,
};

use crate::error::{EngineError, ErrorKind};
use crate::input::{MAX_SBOM_BYTES, read_bounded};

/// A policy gate: a condition on the active findings that fails a scan (exit code 1 in the CLI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gate {
    /// An active finding in CISA's Known Exploited Vulnerabilities catalog.
    Kev,
    /// An active finding with CVSS severity critical.
    Critical,
    /// An active finding with CVSS severity high or above.
    High,
    /// An active finding with CVSS severity medium or above.
    Medium,
}

impl Gate {
    /// The lowest severity that trips a severity gate.
    fn threshold(self) -> Option<Severity> {
        match self {
            Gate::Kev => None,
            Gate::Critical => Some(Severity::Critical),
            Gate::High => Some(Severity::High),
            Gate::Medium => Some(Severity::Medium),
        }
    }

    /// Whether `f` trips this gate.
    pub fn trips(self, f: &VulnFinding) -> bool {
        if !f.state.is_active() {
            return false;
        }
        match self.threshold() {
            None => f.kev.is_some(),
            Some(min) => severity(f).is_some_and(|s| s >= min),
        }
    }

    /// The kebab-case name (as `--fail-on` takes it).
    pub fn as_str(self) -> &'static str {
        match self {
            Gate::Kev => "kev",
            Gate::Critical => "critical",
            Gate::High => "high",
            Gate::Medium => "medium",
        }
    }
}

/// The CVSS severity of a finding, typed.
pub fn severity(f: &VulnFinding) -> Option<Severity> {
    let c = f.cvss.as_ref()?;
    Some(match c.severity {
        "CRITICAL" => Severity::Critical,
        "HIGH" => Severity::High,
        "MEDIUM" => Severity::Medium,
        "LOW" => Severity::Low,
        "NONE" => Severity::None,
        _ => Severity::from_score(c.score),
    })
}

/// How to scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// VEX documents to apply after the SBOM's own statements (later ones win).
    pub vex: Vec<PathBuf>,
    /// Also match by vendor and a similar product name (low confidence).
    pub fuzzy: bool,
    /// Gates that fail the scan.
    pub gates: Vec<Gate>,
    /// Where the components run, for prioritisation.
    pub context: PriorityContext,
}

/// Whether any gate tripped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Verdict {
    /// At least one active finding trips a gate.
    pub failed: bool,
}

/// Reads the statements of VEX files (CycloneDX, OpenVEX or CSAF), in order.
pub fn read_vex_files(paths: &[PathBuf]) -> Result<Vec<VexStatement>, EngineError> {
    let mut out = Vec::new();
    for path in paths {
        let bytes = read_bounded(path, MAX_SBOM_BYTES, "VEX document")?;
        let file = path.display().to_string();
        out.extend(vex::read_vex(&bytes, &file).map_err(|e| {
            EngineError::new(ErrorKind::Invalid, e)
                .hint("give a CycloneDX VEX, OpenVEX 0.2 or CSAF 2.0 VEX document")
        })?);
    }
    Ok(out)
}

/// One SBOM ready to scan: read, with its VEX statements gathered.
#[derive(Debug)]
pub struct SbomScan {
    /// The name it is reported by (the path as given).
    pub name: String,
    /// The SBOM.
    pub sbom: Sbom,
    /// Every VEX statement that applies: the SBOM's own, then the files'.
    pub statements: Vec<VexStatement>,
    /// Per component, whether and how it is scanned.
    pub components: Vec<ComponentReport>,
    match_options: MatchOptions,
    gates: Vec<Gate>,
}

impl SbomScan {
    /// Reads the SBOM at `path` and the VEX files of `options`.
    pub fn load(path: &Path, options: &ScanOptions) -> Result<SbomScan, EngineError> {
        let bytes = read_bounded(path, MAX_SBOM_BYTES, "SBOM")?;
        let vex = read_vex_files(&options.vex)?;
        SbomScan::from_bytes(&bytes, &path.display().to_string(), vex, options).map_err(|e| e.at(path))
    }

    /// An SBOM already in memory, named `name`, with VEX statements read elsewhere (they are
    /// applied after the SBOM's own).
    pub fn from_bytes(
        bytes: &[u8],
        name: &str,
        more_vex: Vec<VexStatement>,
        options: &ScanOptions,
    ) -> Result<SbomScan, EngineError> {
        let sbom = levee_sbom::read_sbom(bytes, Some(name)).map_err(|e| {
            EngineError::new(ErrorKind::Invalid, e)
                .hint("give a CycloneDX (JSON or XML) or SPDX (JSON, tag-value) SBOM")
        })?;
        let purl_of = |r: &str| sbom.component(r).and_then(|c| c.effective_purl());
        let mut statements =
            vex::read_cyclonedx_statements(&sbom.vulnerabilities, &purl_of, &format!("{name} (embedded)"));
        statements.extend(more_vex);
        let components = levee_vuln::component_reports(&sbom);
        Ok(SbomScan {
            name: name.to_owned(),
            sbom,
            statements,
            components,
            match_options: MatchOptions {
                fuzzy: options.fuzzy,
                context: options.context,
            },
            gates: options.gates.clone(),
        })
    }

    /// How many components the SBOM lists.
    pub fn len(&self) -> usize {
        self.sbom.components.len()
    }

    /// Whether the SBOM lists no component.
    pub fn is_empty(&self) -> bool {
        self.sbom.components.is_empty()
    }

    fn sbom_id(&self) -> SbomId<'_> {
        SbomId {
            serial: self.sbom.serial_number.as_deref(),
            version: self.sbom.document_version,
        }
    }

    /// Matches every component on `threads` worker threads. Each batch has VEX applied and the
    /// gates evaluated, then `work` turns it into a `T` (on the worker) and `consume` receives the
    /// results in component order (on the calling thread); memory is bounded by the batches in
    /// flight. Stops at the first error of `consume`.
    pub fn stream<T: Send, E>(
        &self,
        index: &Index<'_>,
        threads: usize,
        work: impl Fn(Batch) -> T + Sync,
        consume: impl FnMut(T) -> Result<(), E>,
    ) -> Result<Verdict, E> {
        let matcher = Matcher::new(&self.sbom, index, &self.match_options);
        let failed = AtomicBool::new(false);
        let id = self.sbom_id();
        matcher.run_batches(
            threads,
            |mut batch: Batch| {
                for f in &mut batch.findings {
                    vex::apply_one(f, &self.statements, index, id);
                    if self.gates.iter().any(|g| g.trips(f)) {
                        failed.store(true, Ordering::Relaxed);
                    }
                }
                work(batch)
            },
            consume,
        )?;
        Ok(Verdict {
            failed: failed.into_inner(),
        })
    }

    /// Every finding at once, with VEX applied, and the verdict.
    pub fn collect(&self, index: &Index<'_>) -> (ScanResult, Verdict) {
        let mut findings = Vec::new();
        let verdict = self
            .stream(
                index,
                default_threads(),
                |b| b.findings,
                |f| {
                    findings.extend(f);
                    Ok::<(), std::convert::Infallible>(())
                },
            )
            .unwrap_or_else(|never| match never {});
        let result = ScanResult {
            snapshot: index.snapshot().id.clone(),
            components: self.components.clone(),
            findings,
        };
        (result, verdict)
    }
}

/// Worker threads for matching: the available cores, at most 8.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().min(8))
}
