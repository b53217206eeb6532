//! `levee scan sbom`: match an SBOM against the advisory store (or the bundled snapshot), apply
//! VEX, and print or write the result. Everything is read and checked before anything is written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use levee_catalog::Catalog;
use levee_vuln::vendor::VendorAliases;
use levee_vuln::vex::{self, SbomId, VexStatement, WriteOptions};
use levee_vuln::{Index, MatchOptions, ScanResult, Snapshot, report};

use crate::datadir;
use crate::fail::{Context, Failure};

/// Scan commands.
#[derive(Debug, Subcommand)]
pub enum ScanCommand {
    /// Match an SBOM (CycloneDX or SPDX) against known vulnerabilities
    #[command(after_help = "\
Examples:
  levee scan sbom plc.cdx.json                           table, bundled advisories or the store
  levee scan sbom plc.cdx.json --db ~/levee-db --format json --out scan.json
  levee scan sbom plc.cdx.json --vex triage.openvex.json --fail-on kev
  levee scan sbom plc.cdx.json --format openvex --out plc.openvex.json
  levee scan sbom plc.cdx.json --format sarif > scan.sarif

Exit codes: 0 ok, 1 when --fail-on triggers, 2 on bad input (nothing is written).")]
    Sbom(SbomArgs),
}

/// Output formats of a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// Aligned columns, highest priority first
    Table,
    /// Stable JSON (see docs/formats/scan-json.md)
    Json,
    /// SARIF 2.1.0 for code-scanning tools
    Sarif,
    /// CycloneDX 1.6 VEX
    CyclonedxVex,
    /// OpenVEX 0.2.0
    Openvex,
    /// CSAF 2.0 VEX profile
    CsafVex,
}

/// What makes `--fail-on` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any active finding in CISA's Known Exploited Vulnerabilities catalog
    Kev,
    /// Any active finding with CVSS severity critical
    Critical,
    /// Any active finding with CVSS severity high or critical
    High,
    /// Any active finding with CVSS severity medium or above
    Medium,
}

/// `levee scan sbom` arguments.
#[derive(Debug, Args)]
pub struct SbomArgs {
    /// The SBOM: CycloneDX JSON or XML, SPDX JSON or tag-value
    pub file: PathBuf,
    /// The advisory store [default: <data dir>/db; the bundled snapshot when there is none]
    #[arg(long, value_name = "DIR")]
    pub db: Option<PathBuf>,
    /// A VEX document to apply (CycloneDX, OpenVEX or CSAF; repeatable, later ones win)
    #[arg(long, value_name = "FILE")]
    pub vex: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ScanFormat::Table)]
    pub format: ScanFormat,
    /// Exit with code 1 when this condition holds (repeatable)
    #[arg(long, value_enum)]
    pub fail_on: Vec<FailOn>,
    /// More vendor aliases (TOML, the shape of the bundled table)
    #[arg(long, value_name = "FILE")]
    pub vendor_aliases: Option<PathBuf>,
    /// Also match by vendor and a similar product name (low confidence)
    #[arg(long)]
    pub fuzzy: bool,
    /// Write the output to this file instead of standard output (written whole or not at all)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs a scan command.
pub fn run(cmd: ScanCommand, _catalog: &Catalog, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    match cmd {
        ScanCommand::Sbom(a) => sbom(&a, data_dir),
    }
}

/// Loads the advisory snapshot: the store at `--db` (or the data directory's `db`), else the
/// bundled one.
fn load_snapshot(db: Option<&Path>, data_dir: Option<&Path>) -> Result<Snapshot, Failure> {
    let dir = match db {
        Some(d) => Some(d.to_path_buf()),
        None => datadir::resolve(data_dir).ok().map(|d| d.join("db")),
    };
    let (snapshot, _info) = levee_vulndb::open(dir.as_deref()).map_err(|e| {
        Failure::new(format!("cannot open the advisory store: {e}"))
            .hint("rebuild it with `levee db import PATH...`")
    })?;
    Ok(snapshot)
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).context(format_args!("cannot read {}", path.display()))
}

/// The JSON pointer of each component in a CycloneDX JSON document (flattened order).
fn pointers(sbom: &levee_vuln::levee_sbom::Sbom) -> Vec<String> {
    let mut out = Vec::with_capacity(sbom.components.len());
    let mut children: HashMap<&str, (String, usize)> = HashMap::new();
    let mut top = 0usize;
    for c in &sbom.components {
        let p = if c.is_root {
            "/metadata/component".to_owned()
        } else if let Some(parent) = c.path.last() {
            match children.get_mut(parent.as_str()) {
                Some((pp, n)) => {
                    let p = format!("{pp}/components/{n}");
                    *n += 1;
                    p
                }
                None => format!("/components/{}", out.len()),
            }
        } else {
            top += 1;
            format!("/components/{}", top - 1)
        };
        children.insert(c.bom_ref.as_str(), (p.clone(), 0));
        out.push(p);
    }
    out
}

fn fails(result: &ScanResult, on: FailOn) -> bool {
    result.active().any(|f| {
        let sev = f.cvss.as_ref().map_or("", |c| c.severity);
        match on {
            FailOn::Kev => f.kev.is_some(),
            FailOn::Critical => sev == "CRITICAL",
            FailOn::High => matches!(sev, "CRITICAL" | "HIGH"),
            FailOn::Medium => matches!(sev, "CRITICAL" | "HIGH" | "MEDIUM"),
        }
    })
}

/// RFC 3339 from SOURCE_DATE_EPOCH, else the SBOM's timestamp, else the Unix epoch: never the clock.
fn timestamp(sbom: &levee_vuln::levee_sbom::Sbom) -> String {
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
    {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        return format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
    }
    sbom.timestamp
        .clone()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

fn sbom(a: &SbomArgs, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    let name = a.file.display().to_string();
    let bytes = read(&a.file)?;
    let sbom = levee_vuln::levee_sbom::read_sbom(&bytes, Some(&name))
        .map_err(|e| Failure::new(format!("{name}: {e}")))?;
    let mut aliases = VendorAliases::bundled().context("the bundled vendor alias table")?;
    if let Some(path) = &a.vendor_aliases {
        let text = String::from_utf8(read(path)?)
            .map_err(|_| Failure::new(format!("{}: not UTF-8", path.display())))?;
        aliases
            .extend_from_toml(&text, &path.display().to_string())
            .map_err(Failure::new)?;
    }
    // Statements: those embedded in the SBOM, then each file in the order given.
    let purl_of = |r: &str| sbom.component(r).and_then(|c| c.effective_purl());
    let mut statements: Vec<VexStatement> =
        vex::read_cyclonedx_statements(&sbom.vulnerabilities, &purl_of, &format!("{name} (embedded)"));
    for v in &a.vex {
        let file = v.display().to_string();
        statements.extend(vex::read_vex(&read(v)?, &file).map_err(Failure::new)?);
    }
    let snapshot = load_snapshot(a.db.as_deref(), data_dir)?;
    let index = Index::build(&snapshot, &aliases);
    let options = MatchOptions {
        fuzzy: a.fuzzy,
        ..MatchOptions::default()
    };
    let mut result = levee_vuln::match_sbom(&sbom, &index, &options);
    vex::apply(
        &mut result,
        &statements,
        &index,
        SbomId {
            serial: sbom.serial_number.as_deref(),
            version: sbom.document_version,
        },
    );
    let write = WriteOptions {
        timestamp: timestamp(&sbom),
        sbom_serial: sbom.serial_number.clone(),
        sbom_version: sbom.document_version,
        ..WriteOptions::default()
    };
    let text = match a.format {
        ScanFormat::Table => report::to_table(&result),
        ScanFormat::Json => report::to_json(&result, &name),
        ScanFormat::Sarif => {
            let ptrs = pointers(&sbom);
            report::to_sarif(&result, &name, &|i| ptrs.get(i).cloned().unwrap_or_default())
        }
        ScanFormat::CyclonedxVex => vex::write_cyclonedx_vex(&result, &write),
        ScanFormat::Openvex => {
            if result.findings.is_empty() {
                return Err(
                    Failure::new("no findings: an OpenVEX document needs at least one statement")
                        .hint("use --format json or cyclonedx-vex for a scan without findings"),
                );
            }
            vex::write_openvex(&result, &write)
        }
        ScanFormat::CsafVex => vex::write_csaf_vex(&result, &write),
    };
    match &a.out {
        Some(path) => datadir::write_atomic(path, text.as_bytes())?,
        None => crate::cmd::print(&text),
    }
    let failed = a.fail_on.iter().any(|&on| fails(&result, on));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
