//! `levee scan sbom`: match an SBOM against the advisory store (or the bundled snapshot), apply
//! VEX, and print or write the result. Everything is read and checked before anything is written.

use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Args, Subcommand, ValueEnum};
use levee_catalog::Catalog;
use levee_vuln::vendor::VendorAliases;
use levee_vuln::vex::{self, SbomId, VexStatement, WriteOptions};
use levee_vuln::{Batch, ComponentReport, Index, MatchOptions, Matcher, ScanResult, Snapshot, report};
use levee_vulndb::Unit;

use crate::datadir;
use crate::fail::{Context, Failure};
use crate::progress::with_progress_unless;

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
    /// Write the output to this file instead of standard output: whole or not at all, mode 0600,
    /// missing directories created
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

/// Reads an SBOM or VEX file, refusing one over the SBOM reader's limit before reading it (by its
/// size, and by what is read for files whose size the file system does not know).
fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let max = levee_vuln::levee_sbom::MAX_INPUT_BYTES as u64;
    let too_big = || {
        Failure::new(format!(
            "{}: larger than {} MiB, the most Levee reads from one SBOM or VEX file",
            path.display(),
            max >> 20
        ))
    };
    let file = std::fs::File::open(path).context(format_args!("cannot read {}", path.display()))?;
    if file.metadata().is_ok_and(|m| m.len() > max) {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .context(format_args!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    Ok(bytes)
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

fn fails(f: &levee_vuln::VulnFinding, on: FailOn) -> bool {
    if !f.state.is_active() {
        return false;
    }
    let sev = f.cvss.as_ref().map_or("", |c| c.severity);
    match on {
        FailOn::Kev => f.kev.is_some(),
        FailOn::Critical => sev == "CRITICAL",
        FailOn::High => matches!(sev, "CRITICAL" | "HIGH"),
        FailOn::Medium => matches!(sev, "CRITICAL" | "HIGH" | "MEDIUM"),
    }
}

/// What [`emit`] writes about.
struct Scan<'a> {
    name: &'a str,
    snapshot: &'a str,
    sbom: &'a levee_vuln::levee_sbom::Sbom,
    matcher: &'a Matcher<'a>,
    components: Vec<ComponentReport>,
}

/// Writes the scan in the chosen format to `--out` or standard output. JSON and SARIF are
/// serialised by the workers and written batch by batch, the table keeps one compact row per finding; the other
/// formats need every finding at once.
fn emit(
    a: &SbomArgs,
    scan: Scan<'_>,
    prepare: &(dyn Fn(Batch) -> Batch + Sync),
    progress: &dyn levee_vulndb::Progress,
) -> Result<(), Failure> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
    let matcher = scan.matcher;
    match a.format {
        ScanFormat::Json => output(a.out.as_deref(), |w| {
            let mut writer = report::JsonWriter::begin(w, &scan.components)?;
            matcher.run_batches(
                threads,
                |b| {
                    let b = prepare(b);
                    (b.components.len(), report::JsonChunk::of(&b.findings))
                },
                |(n, chunk)| {
                    progress.advance(n as u64);
                    writer.chunk(&chunk?)
                },
            )?;
            writer.finish(scan.name, scan.snapshot).map(drop)
        }),
        ScanFormat::Sarif => {
            let ptrs = pointers(scan.sbom);
            let pointer_of = |i: usize| ptrs.get(i).cloned().unwrap_or_default();
            output(a.out.as_deref(), |w| {
                let mut writer = report::SarifWriter::begin(w, scan.snapshot)?;
                matcher.run_batches(
                    threads,
                    |b| {
                        let b = prepare(b);
                        (
                            b.components.len(),
                            report::SarifChunk::of(&b.findings, scan.name, &pointer_of),
                        )
                    },
                    |(n, chunk)| {
                        progress.advance(n as u64);
                        writer.chunk(chunk?)
                    },
                )?;
                writer.finish()
            })
        }
        ScanFormat::Table => {
            let mut summary = report::Summary::of_components(&scan.components);
            let mut rows = Vec::new();
            matcher.run_batches(
                threads,
                |b| {
                    let b = prepare(b);
                    let mut counts = report::Summary::default();
                    let r: Vec<_> = b
                        .findings
                        .iter()
                        .map(|f| {
                            counts.count(f);
                            report::TableRow::of(f)
                        })
                        .collect();
                    (b.components.len(), counts, r)
                },
                |(n, counts, r)| {
                    progress.advance(n as u64);
                    summary.add_findings(&counts);
                    rows.extend(r);
                    Ok::<(), Failure>(())
                },
            )?;
            progress.end();
            output(a.out.as_deref(), |w| {
                report::render_table(rows, &scan.components, &summary, scan.snapshot, w)
            })
        }
        format => {
            let mut findings = Vec::new();
            matcher.run_batches(threads, prepare, |b| {
                progress.advance(b.components.len() as u64);
                findings.extend(b.findings);
                Ok::<(), Failure>(())
            })?;
            let result = ScanResult {
                snapshot: scan.snapshot.to_owned(),
                components: scan.components,
                findings,
            };
            let sbom = scan.sbom;
            let write = WriteOptions {
                timestamp: timestamp(sbom),
                sbom_serial: sbom.serial_number.clone(),
                sbom_version: sbom.document_version,
                ..WriteOptions::default()
            };
            let text = match format {
                ScanFormat::Openvex => {
                    if result.findings.is_empty() {
                        return Err(Failure::new(
                            "no findings: an OpenVEX document needs at least one statement",
                        )
                        .hint("use --format json or cyclonedx-vex for a scan without findings"));
                    }
                    vex::write_openvex(&result, &write)
                }
                ScanFormat::CsafVex => vex::write_csaf_vex(&result, &write),
                _ => vex::write_cyclonedx_vex(&result, &write),
            };
            output(a.out.as_deref(), |w| w.write_all(text.as_bytes()))
        }
    }
}

/// Runs `produce` against `--out` (atomically) or a buffered standard output. A closed pipe on
/// standard output (`| head`) is not an error: the rest of the output is discarded, but the scan
/// still runs to the end, so `--fail-on` sees every finding.
fn output(out: Option<&Path>, produce: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Failure> {
    match out {
        Some(path) => datadir::write_atomic_with(path, produce),
        None => {
            let stdout = UntilClosed {
                inner: io::stdout().lock(),
                closed: false,
            };
            let mut w = io::BufWriter::with_capacity(1 << 16, stdout);
            produce(&mut w)
                .and_then(|()| w.flush())
                .map_err(|e| Failure::new(format!("cannot write the output: {e}")))
        }
    }
}

/// A writer that discards everything once its reader has gone away (a broken pipe).
struct UntilClosed<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> UntilClosed<W> {
    fn absorb<T>(&mut self, r: io::Result<T>, done: T) -> io::Result<T> {
        match r {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(done)
            }
            r => r,
        }
    }
}

impl<W: Write> Write for UntilClosed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let r = self.inner.write(buf);
        self.absorb(r, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.inner.flush();
        self.absorb(r, ())
    }
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
    let sbom_id = SbomId {
        serial: sbom.serial_number.as_deref(),
        version: sbom.document_version,
    };
    let components = levee_vuln::component_reports(&sbom);
    let matcher = Matcher::new(&sbom, &index, &options);
    let failed = AtomicBool::new(false);
    // Workers match batches of components, apply VEX and reduce each batch to what the format
    // writes; this thread writes the batches in order. Memory stays bounded by the batches in
    // flight, not by the number of findings.
    let prepare = |mut batch: Batch| {
        for f in &mut batch.findings {
            vex::apply_one(f, &statements, &index, sbom_id);
            if a.fail_on.iter().any(|&on| fails(f, on)) {
                failed.store(true, Ordering::Relaxed);
            }
        }
        batch
    };
    let scan = Scan {
        name: &name,
        snapshot: &snapshot.id,
        sbom: &sbom,
        matcher: &matcher,
        components,
    };
    // A bar on the terminal the output streams to would be drawn into the output.
    let streams_to_terminal = a.out.is_none() && io::stdout().is_terminal() && a.format != ScanFormat::Table;
    with_progress_unless(streams_to_terminal, |progress| {
        progress.begin("matching components", Unit::Items, Some(matcher.len() as u64));
        let outcome = emit(a, scan, &prepare, progress);
        progress.end();
        outcome
    })?;
    // The process exits after this command: freeing the index and the snapshot (hundreds of
    // thousands of small allocations) would add about 0.1 s to every scan, so they are left to
    // the operating system. Nothing here needs a destructor to run.
    std::mem::forget(index);
    std::mem::forget(snapshot);
    Ok(if failed.into_inner() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
