//! Scanning one SBOM: read it (bounded), gather its VEX (embedded statements first, then each file
//! in order), match it against the advisory index on worker threads, apply VEX to every finding and
//! evaluate the policy gates. `levee scan sbom`, `levee assess` and the server all go through
//! [`SbomScan`], so the same SBOM gives the same findings everywhere.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use levee_advisory::cvss::Severity;
use levee_sbom::Sbom;
use levee_vuln::vex::{self, SbomId, VexStatement};
use levee_vuln::{
    Batch, ComponentReport, Index, MatchOptions, Matcher, PriorityContext, ScanResult, VulnFinding,
};

use crate::error::{EngineError, ErrorKind};
use crate::input::{MAX_SBOM_BYTES, read_bounded};

/// A policy gate: a condition on the active findings that fails a scan (exit code 1 in the CLI).
///
/// Severity is the CVSS severity; a finding without a CVSS score counts as medium, as it does in
/// the priority score (Go and PyPI advisories carry none). Informational advisories (RustSec's
/// unmaintained, unsound and notices) trip only [`Gate::Informational`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gate {
    /// An active finding in CISA's Known Exploited Vulnerabilities catalog.
    Kev,
    /// An active finding with CVSS severity critical.
    Critical,
    /// An active finding with CVSS severity high or above.
    High,
    /// An active finding with CVSS severity medium or above, or without a CVSS score.
    Medium,
    /// An active informational advisory (unmaintained, unsound, notice).
    Informational,
}

impl Gate {
    /// Whether `f` trips this gate.
    pub fn trips(self, f: &VulnFinding) -> bool {
        if !f.state.is_active() {
            return false;
        }
        if f.kind.is_informational() {
            return self == Gate::Informational;
        }
        let severity = severity_or_medium(f);
        match self {
            Gate::Kev => f.kev.is_some(),
            Gate::Critical => severity >= Severity::Critical,
            Gate::High => severity >= Severity::High,
            Gate::Medium => severity >= Severity::Medium,
            Gate::Informational => false,
        }
    }

    /// The kebab-case name (as `--fail-on` takes it).
    pub fn as_str(self) -> &'static str {
        match self {
            Gate::Kev => "kev",
            Gate::Critical => "critical",
            Gate::High => "high",
            Gate::Medium => "medium",
            Gate::Informational => "informational",
        }
    }
}

/// The CVSS severity of a finding, typed; `None` without a CVSS score.
pub fn severity(f: &VulnFinding) -> Option<Severity> {
    f.cvss.as_ref().map(|c| c.severity)
}

/// The severity the gates use: the CVSS severity, medium without a score.
pub fn severity_or_medium(f: &VulnFinding) -> Severity {
    severity(f).unwrap_or(Severity::Medium)
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
    /// Read the SBOM schema-exact: any violation of its format's schema is an error (a linter's
    /// verdict). By default a scan reads SBOMs as generators write them, with a warning for each
    /// off-spec field ([`SbomScan::warnings`]).
    pub strict: bool,
}

/// At most this many tripping findings are kept in a [`Verdict`]; the rest are counted.
pub const MAX_TRIPPED: usize = 100;

/// Whether any gate tripped, and by which findings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verdict {
    /// At least one active finding trips a gate.
    pub failed: bool,
    /// The findings that tripped a gate, in component order (at most [`MAX_TRIPPED`]).
    pub tripped: Vec<Tripped>,
    /// How many findings tripped a gate in all.
    pub tripped_total: usize,
}

/// A finding that tripped a gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tripped {
    /// The first gate it tripped, in the order given.
    pub gate: Gate,
    /// The finding id.
    pub finding: String,
    /// The vulnerability id.
    pub vulnerability: String,
    /// The component name and version.
    pub component: String,
    /// Whether the finding has no CVSS score (counted as medium).
    pub no_cvss: bool,
}

impl Verdict {
    /// The `gates` object of the scan JSON, for the gates asked for.
    pub fn wire(&self, gates: &[Gate]) -> levee_report::scan::GatesWire {
        levee_report::scan::GatesWire {
            fail_on: gates.iter().map(|g| g.as_str().to_owned()).collect(),
            failed: self.failed,
            tripped: self
                .tripped
                .iter()
                .map(|t| levee_report::scan::TrippedWire {
                    component: t.component.clone(),
                    finding: t.finding.clone(),
                    gate: t.gate.as_str().to_owned(),
                    no_cvss: t.no_cvss,
                    vulnerability: t.vulnerability.clone(),
                })
                .collect(),
            tripped_total: self.tripped_total,
        }
    }
}

impl Tripped {
    fn of(gate: Gate, f: &VulnFinding) -> Tripped {
        Tripped {
            gate,
            finding: levee_vuln::finding_id(f),
            vulnerability: f.vulnerability.clone(),
            component: match &f.component.version {
                Some(v) => format!("{} {v}", f.component.name),
                None => f.component.name.clone(),
            },
            no_cvss: f.cvss.is_none(),
        }
    }
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

/// The tripping findings kept while batches arrive in any order: by the batch's first component
/// index, trimmed so that no more than the first [`MAX_TRIPPED`] in component order are held.
#[derive(Default)]
struct Kept {
    batches: std::collections::BTreeMap<usize, Vec<Tripped>>,
    stored: usize,
    total: usize,
}

impl Kept {
    fn add(&mut self, first: usize, count: usize, list: Vec<Tripped>) {
        self.total += count;
        self.stored += list.len();
        self.batches.insert(first, list);
        // Drop the last batches while the ones before them still hold MAX_TRIPPED findings.
        while let Some((_, last)) = self.batches.last_key_value() {
            if self.stored - last.len() < MAX_TRIPPED {
                break;
            }
            self.stored -= last.len();
            self.batches.pop_last();
        }
    }
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
    /// The gates this scan evaluates.
    pub fn gates(&self) -> &[Gate] {
        &self.gates
    }
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
        let read = if options.strict {
            levee_sbom::ReadOptions::strict()
        } else {
            levee_sbom::ReadOptions::lenient()
        };
        let sbom = levee_sbom::read_sbom_with(bytes, Some(name), read).map_err(|e| {
            let hint = if options.strict {
                "without --strict the scan reads off-spec fields with a warning; `levee sbom validate` \
                 lists what is off-spec"
            } else {
                "give a CycloneDX (JSON or XML) or SPDX (JSON, tag-value) SBOM"
            };
            EngineError::new(ErrorKind::Invalid, e).hint(hint)
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

    /// What the reader read past (off-spec fields, lenient purls, duplicate references), in
    /// document order.
    pub fn warnings(&self) -> &[levee_sbom::Warning] {
        &self.sbom.warnings
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
        let id = self.sbom_id();
        // Per batch: (first component index, the findings that tripped), sorted at the end so the
        // list is in component order whatever the workers' timing.
        let tripped: Mutex<Kept> = Mutex::new(Kept::default());
        let vex_index = vex::VexIndex::new(&self.statements, index);
        matcher.run_batches(
            threads,
            |mut batch: Batch| {
                let (mut first, mut count, mut list) = (None, 0, Vec::new());
                for f in &mut batch.findings {
                    vex::apply_one(f, &vex_index, index, id);
                    if let Some(g) = self.gates.iter().find(|g| g.trips(f)) {
                        first.get_or_insert(f.component.index);
                        count += 1;
                        if list.len() < MAX_TRIPPED {
                            list.push(Tripped::of(*g, f));
                        }
                    }
                }
                if let Some(first) = first {
                    tripped
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .add(first, count, list);
                }
                work(batch)
            },
            consume,
        )?;
        let kept = tripped.into_inner().unwrap_or_else(PoisonError::into_inner);
        let tripped_total = kept.total;
        Ok(Verdict {
            failed: tripped_total > 0,
            tripped: kept.batches.into_values().flatten().take(MAX_TRIPPED).collect(),
            tripped_total,
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

/// Reads the SBOM at `path` schema-exact (`levee sbom validate`): the first violation, and when
/// there is one, every violation as the lenient reading of a scan reports them.
pub fn validate_sbom(path: &Path) -> Result<levee_report::scan::SbomValidation, EngineError> {
    let bytes = read_bounded(path, MAX_SBOM_BYTES, "SBOM")?;
    let name = path.display().to_string();
    let strict = levee_sbom::read_sbom_with(&bytes, Some(&name), levee_sbom::ReadOptions::strict());
    let lenient = strict
        .is_err()
        .then(|| levee_sbom::read_sbom_with(&bytes, Some(&name), levee_sbom::ReadOptions::lenient()));
    Ok(levee_report::scan::SbomValidation::of(
        &name,
        &strict,
        lenient.as_ref(),
    ))
}
