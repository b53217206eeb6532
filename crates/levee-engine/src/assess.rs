//! Assessing a project directory: load and validate it, scan every SBOM its assets reference
//! through the same [`SbomScan`] as `levee scan sbom` (with the SBOM's own VEX and the files
//! given), assess, and build the report. Every SBOM problem is reported at once.

use std::path::{Path, PathBuf};

use levee_assess::{Assessment, Options};
use levee_catalog::Catalog;
use levee_core::{AssetId, Date, Finding, Project, Subject};
use levee_model::{Diagnostic, ProjectFiles};
use levee_report::assessment::{self, Report};
use levee_vuln::vex::VexStatement;
use levee_vuln::{Index, ScanResult};

use crate::data::{AdvisoryData, DataProvenance, DataRequest};
use crate::error::{EngineError, ErrorKind};
use crate::scan::{SbomScan, ScanOptions, read_vex_files};

/// What to assess.
#[derive(Debug, Clone, Default)]
pub struct AssessRequest {
    /// The project directory.
    pub dir: PathBuf,
    /// VEX documents applied to every SBOM after the SBOM's own statements.
    pub vex: Vec<PathBuf>,
    /// Also match by vendor and a similar product name (low confidence).
    pub fuzzy: bool,
    /// The report date ("today" for the review schedule); see [`crate::clock::report_date`].
    pub date: Option<Date>,
}

/// Where the advisory data comes from: opened on demand (only when an asset has an SBOM), or
/// already open (a long-running server).
#[derive(Debug, Clone, Copy)]
pub enum DataSupply<'a> {
    /// Open it as this request says, when needed.
    Open(&'a DataRequest),
    /// Use this.
    Ready(&'a AdvisoryData),
}

/// Why an assessment could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    /// The project does not validate: its diagnostics (every problem, with file, line, column).
    #[error("{dir}: {errors} error(s); the project is invalid", dir = .dir.display())]
    Invalid {
        /// The project directory.
        dir: PathBuf,
        /// How many diagnostics are errors.
        errors: usize,
        /// Every diagnostic.
        diagnostics: Vec<Diagnostic>,
        /// The text of every file read, for printing source lines.
        sources: ProjectFiles,
    },
    /// SBOMs referenced by assets could not be read: every one of them.
    #[error("{} SBOM(s) referenced by assets cannot be scanned", .0.len())]
    Sboms(Vec<EngineError>),
    /// Anything else (advisory data, VEX files).
    #[error(transparent)]
    Other(#[from] EngineError),
}

/// One asset's SBOM scan.
#[derive(Debug)]
pub struct AssetScan {
    /// The asset.
    pub asset: AssetId,
    /// The SBOM path, relative to the project.
    pub sbom: String,
    /// Its findings, with VEX applied.
    pub result: ScanResult,
    /// What the SBOM reader read past (off-spec fields, lenient purls).
    pub warnings: Vec<levee_sbom::Warning>,
}

/// A project assessed.
#[derive(Debug)]
pub struct ProjectAssessment {
    /// The project as loaded.
    pub project: Project,
    /// Warnings from loading it.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every project file read, for printing source lines.
    pub sources: ProjectFiles,
    /// Per asset with an SBOM, its scan.
    pub scans: Vec<AssetScan>,
    /// Every finding the assessment took in.
    pub findings: Vec<Finding>,
    /// The advisory data the SBOMs were scanned against, when any asset has one.
    pub data: Option<DataProvenance>,
    /// The assessment.
    pub assessment: Assessment,
    /// The report (JSON wire value, from which Markdown and HTML are rendered).
    pub report: Report,
}

/// Loads and validates a project directory.
pub fn load_project(
    dir: &Path,
    catalog: &Catalog,
) -> Result<(Project, Vec<Diagnostic>, ProjectFiles), AssessError> {
    if !dir.is_dir() {
        return Err(EngineError::new(ErrorKind::Read, "not a directory")
            .at(dir)
            .hint("pass a project directory (create one with `levee init DIR`)")
            .into());
    }
    let (project, diagnostics, sources) = levee_model::load_dir_with_sources(dir, catalog);
    match project {
        Some(p) => Ok((p, diagnostics, sources)),
        None => Err(AssessError::Invalid {
            dir: dir.to_path_buf(),
            errors: diagnostics.iter().filter(|d| d.is_error()).count(),
            diagnostics,
            sources,
        }),
    }
}

/// Assesses the project at `request.dir` (see the module documentation).
pub fn assess_project(
    request: &AssessRequest,
    catalog: &Catalog,
    data: DataSupply<'_>,
) -> Result<ProjectAssessment, AssessError> {
    let (project, diagnostics, sources) = load_project(&request.dir, catalog)?;
    let opened;
    let mut scans = Vec::new();
    let mut provenance = None;
    if project
        .assets
        .iter()
        .any(|a| a.sbom.is_some() || a.firmware_image.is_some())
    {
        let vex = read_vex_files(&request.vex)?;
        let data = match data {
            DataSupply::Ready(d) => d,
            DataSupply::Open(r) => {
                opened = AdvisoryData::open(r)?;
                &opened
            }
        };
        let index = data.index();
        scans = scan_assets(&project, &request.dir, &index, &vex, request.fuzzy)?;
        provenance = Some(data.provenance.clone());
    }
    let mut findings: Vec<Finding> = scans
        .iter()
        .flat_map(|s| levee_vuln::to_findings(&s.result, Subject::Asset(s.asset.clone())))
        .collect();
    distinct_per_asset(&mut findings);
    findings.extend(observe_captures(&project, &request.dir)?);
    let assessment = levee_assess::assess(&project, catalog, &findings, &Options { as_of: request.date });
    let date_text = request.date.map(|d| d.to_string());
    let mut report = assessment::report(
        &assessment,
        &project,
        &findings,
        provenance.as_ref(),
        date_text.as_deref(),
    );
    report.warnings = warnings(&diagnostics);
    Ok(ProjectAssessment {
        project,
        diagnostics,
        sources,
        scans,
        findings,
        data: provenance,
        assessment,
        report,
    })
}

/// The warnings a project loaded with, for the report.
pub fn warnings(diagnostics: &[Diagnostic]) -> Vec<assessment::wire::WarningWire> {
    diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .map(|d| assessment::wire::WarningWire {
            code: d.code.to_owned(),
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            hint: d.hint.clone(),
        })
        .collect()
}

impl ProjectAssessment {
    /// The ids of the findings whose vulnerability is on the KEV list of the advisory data the
    /// SBOMs were scanned with.
    pub fn kev_finding_ids(&self) -> Vec<&str> {
        let kev: std::collections::HashSet<(String, String)> = self
            .scans
            .iter()
            .flat_map(|s| {
                s.result
                    .findings
                    .iter()
                    .filter(|f| f.kev.is_some())
                    .map(|f| (s.asset.to_string(), levee_vuln::finding_id(f)))
            })
            .collect();
        self.findings
            .iter()
            .filter_map(|f| {
                let Subject::Asset(a) = &f.subject else {
                    return None;
                };
                let a = a.to_string();
                let base = f.id.strip_suffix(&format!("-{a}"))?.to_owned();
                kev.contains(&(a, base)).then_some(f.id.as_str())
            })
            .collect()
    }
}

/// The same component and vulnerability on two assets (two controllers with one firmware) are two
/// findings, each triaged on its own: a project's finding id is the scan's id (what `scan sbom`
/// gives for the SBOM alone) with `-ASSET` appended, so it never depends on the other assets.
fn distinct_per_asset(findings: &mut [Finding]) {
    for f in findings.iter_mut() {
        if let Subject::Asset(a) = &f.subject {
            f.id = format!("{}-{}", f.id, a);
        }
    }
}

/// Observes the captures `[evidence] captures` lists and turns the violations into findings.
fn observe_captures(project: &Project, dir: &Path) -> Result<Vec<Finding>, AssessError> {
    if project.captures.is_empty() {
        return Ok(Vec::new());
    }
    let sources: Vec<crate::CaptureSource> = project
        .captures
        .iter()
        .map(|rel| crate::CaptureSource {
            path: PathBuf::from(rel),
            root: Some(dir.to_path_buf()),
            name: rel.clone(),
        })
        .collect();
    let outcome = crate::observe(
        &sources,
        Some(project),
        levee_net::Limits::default(),
        &levee_vulndb::NoProgress,
    )?;
    if let Some(c) = outcome
        .observation
        .captures
        .iter()
        .find(|c| c.error.is_some() && c.packets == 0)
    {
        return Err(
            EngineError::new(ErrorKind::Invalid, c.error.clone().unwrap_or_default())
                .at(&dir.join(&c.name))
                .hint("`[evidence] captures` in levee.toml names this file; fix or remove it")
                .into(),
        );
    }
    let names: Vec<String> = outcome
        .observation
        .captures
        .iter()
        .map(|c| c.name.clone())
        .collect();
    Ok(levee_net::check::to_findings(
        &outcome.violations,
        project,
        &names,
    ))
}

/// Scans every asset's SBOM with the asset's zone context; collects every SBOM error.
/// Reads a firmware image inside the project (root-contained: no link, FIFO or device followed
/// out of it), unpacks it and turns its components into an SBOM to scan; the asset's image is
/// scanned exactly like an SBOM it referenced.
fn scan_firmware_image(
    dir: &Path,
    rel: &str,
    vex: &[VexStatement],
    options: &ScanOptions,
) -> Result<SbomScan, EngineError> {
    let bytes = crate::input::read_in_project(dir, rel, crate::firmware::MAX_IMAGE_BYTES, "firmware image")?;
    let scan = crate::firmware::analyze_bytes(rel, &bytes, levee_firmware::Limits::default());
    let sbom = crate::firmware::cyclonedx(&scan)?;
    SbomScan::from_bytes(sbom.as_bytes(), rel, vex.to_vec(), options).map_err(|e| e.at(&dir.join(rel)))
}

/// Scans every asset's SBOM and firmware image with the asset's zone context; collects every
/// error.
fn scan_assets(
    project: &Project,
    dir: &Path,
    index: &Index<'_>,
    vex: &[VexStatement],
    fuzzy: bool,
) -> Result<Vec<AssetScan>, AssessError> {
    let exposure = levee_core::exposure(project);
    let mut scans = Vec::new();
    let mut errors = Vec::new();
    for asset in &project.assets {
        if asset.firmware_image.is_none() && asset.sbom.is_none() {
            continue;
        }
        let options = ScanOptions {
            fuzzy,
            context: levee_vuln::project::context_for_asset(project, &exposure, &asset.id),
            ..ScanOptions::default()
        };
        // The image first, then the SBOM: both are scanned the same way once read.
        let sources = [
            (asset.firmware_image.as_ref(), true),
            (asset.sbom.as_ref(), false),
        ];
        for (rel, is_image) in sources {
            let Some(rel) = rel else { continue };
            let what = if is_image { "firmware image" } else { "SBOM" };
            let loaded = if is_image {
                scan_firmware_image(dir, rel, vex, &options)
            } else {
                let path = dir.join(rel);
                // Inside the project only: a link, FIFO or device that leads out of it is refused.
                crate::input::read_in_project(dir, rel, crate::input::MAX_SBOM_BYTES, "SBOM").and_then(
                    |bytes| {
                        SbomScan::from_bytes(&bytes, rel, vex.to_vec(), &options).map_err(|e| e.at(&path))
                    },
                )
            };
            match loaded {
                Ok(scan) => scans.push(AssetScan {
                    asset: asset.id.clone(),
                    sbom: rel.clone(),
                    result: scan.collect(index).0,
                    warnings: scan.warnings().to_vec(),
                }),
                Err(e) => errors.push(e.hint(format!(
                    "asset `{}` references this {what}; fix the file or remove the reference",
                    asset.id
                ))),
            }
        }
    }
    if errors.is_empty() {
        Ok(scans)
    } else {
        Err(AssessError::Sboms(errors))
    }
}
