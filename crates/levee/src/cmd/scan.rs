//! `levee scan sbom`: match an SBOM against the advisory store (or the bundled snapshot), apply
//! VEX, and print or write the result. Everything is read and checked before anything is written.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use levee_catalog::Catalog;
use levee_engine::{AdvisoryData, DataProvenance, DataRequest, Gate, SbomScan, ScanOptions, Verdict};
use levee_report::scan as report;
use levee_vuln::vex::{self, WriteOptions};
use levee_vuln::{Index, ScanResult};
use levee_vulndb::Unit;

use crate::fail::Failure;
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
    /// Any active finding with CVSS severity medium or above, or without a CVSS score
    Medium,
    /// Any active informational advisory (RustSec unmaintained, unsound, notice)
    Informational,
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
    /// Refuse an SBOM that breaks its format's schema anywhere (by default off-spec fields that
    /// matching does not need are read with a warning, as generators write them)
    #[arg(long)]
    pub strict: bool,
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

impl FailOn {
    fn gate(self) -> Gate {
        match self {
            FailOn::Kev => Gate::Kev,
            FailOn::Critical => Gate::Critical,
            FailOn::High => Gate::High,
            FailOn::Medium => Gate::Medium,
            FailOn::Informational => Gate::Informational,
        }
    }
}

/// What [`emit`] writes about.
struct Scan<'a> {
    scan: &'a SbomScan,
    index: &'a Index<'a>,
    data: &'a DataProvenance,
}

/// Writes the scan in the chosen format to `--out` or standard output. JSON and SARIF are
/// serialised by the workers and written batch by batch, the table keeps one compact row per finding; the other
/// formats need every finding at once.
fn emit(a: &SbomArgs, s: Scan<'_>, progress: &dyn levee_vulndb::Progress) -> Result<Verdict, Failure> {
    let threads = levee_engine::scan::default_threads();
    let (scan, index) = (s.scan, s.index);
    let components = &scan.components;
    let snapshot = s.data.snapshot.as_str();
    let name = scan.name.as_str();
    let mut verdict = Verdict::default();
    match a.format {
        ScanFormat::Json => output(a.out.as_deref(), |w| {
            let mut writer = report::JsonWriter::begin(w, components, s.data)?;
            writer.warnings(scan.warnings());
            verdict = scan.stream(
                index,
                threads,
                |b| (b.components.len(), report::JsonChunk::of(&b.findings)),
                |(n, chunk)| {
                    progress.advance(n as u64);
                    writer.chunk(&chunk?)
                },
            )?;
            writer.gates(verdict.wire(scan.gates()));
            writer.finish(name, snapshot).map(drop)
        })?,
        ScanFormat::Sarif => {
            let locations = scan.sbom.component_locations();
            let location_of = |i: usize| locations.get(i).cloned().flatten();
            output(a.out.as_deref(), |w| {
                let mut writer = report::SarifWriter::begin(w, s.data)?;
                verdict = scan.stream(
                    index,
                    threads,
                    |b| {
                        (
                            b.components.len(),
                            report::SarifChunk::of(&b.findings, name, &location_of),
                        )
                    },
                    |(n, chunk)| {
                        progress.advance(n as u64);
                        writer.chunk(chunk?)
                    },
                )?;
                writer.finish()
            })?;
        }
        ScanFormat::Table => {
            let mut summary = report::Summary::of_components(components);
            let mut rows = Vec::new();
            verdict = scan.stream(
                index,
                threads,
                |b| {
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
                report::render_table(rows, components, &summary, s.data, w)
            })?;
        }
        format => {
            let mut findings = Vec::new();
            verdict = scan.stream(
                index,
                threads,
                |b| b,
                |b| {
                    progress.advance(b.components.len() as u64);
                    findings.extend(b.findings);
                    Ok::<(), Failure>(())
                },
            )?;
            let result = ScanResult {
                snapshot: snapshot.to_owned(),
                components: components.clone(),
                findings,
            };
            if format == ScanFormat::Openvex && result.findings.is_empty() {
                // An OpenVEX document needs at least one statement: with no finding there is
                // nothing to state, which is a result, not an error.
                eprintln!(
                    "note: no findings, so no OpenVEX document was written (OpenVEX requires at least one \
                     statement); use --format cyclonedx-vex or json for a record of a clean scan"
                );
                return Ok(verdict);
            }
            let sbom = &scan.sbom;
            let write = WriteOptions {
                timestamp: levee_engine::clock::document_timestamp(sbom.timestamp.as_deref())?,
                sbom_serial: sbom.serial_number.clone(),
                sbom_version: sbom.document_version,
                ..WriteOptions::default()
            };
            let text = match format {
                ScanFormat::Openvex => vex::write_openvex(&result, &write),
                ScanFormat::CsafVex => vex::write_csaf_vex(&result, &write),
                _ => vex::write_cyclonedx_vex(&result, &write),
            };
            output(a.out.as_deref(), |w| w.write_all(text.as_bytes()))?;
        }
    }
    Ok(verdict)
}

/// Runs `produce` against `--out` (atomically) or a buffered standard output. A closed pipe on
/// standard output (`| head`) is not an error: the rest of the output is discarded, but the scan
/// still runs to the end, so `--fail-on` sees every finding.
fn output(out: Option<&Path>, produce: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Failure> {
    match out {
        Some(path) => Ok(levee_engine::files::write_atomic_with(
            path,
            levee_engine::files::Mode::Shared,
            produce,
        )?),
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

/// At most this many tripping findings are named on standard error.
const SHOWN_TRIPPED: usize = 10;

/// Which findings tripped `--fail-on`, on standard error.
fn print_tripped(verdict: &Verdict) {
    if !verdict.failed {
        return;
    }
    let clean = levee_report::table::clean;
    let mut err = io::stderr().lock();
    let _ = writeln!(
        err,
        "fail-on: {} tripped a gate:",
        levee_report::table::count(verdict.tripped_total as u64, "finding", "findings")
    );
    for t in verdict.tripped.iter().take(SHOWN_TRIPPED) {
        let no_cvss = if t.no_cvss {
            ", no CVSS score: counted as medium"
        } else {
            ""
        };
        let _ = writeln!(
            err,
            "  {} in {} ({}{no_cvss}) [{}]",
            clean(&t.vulnerability),
            clean(&t.component),
            t.gate.as_str(),
            t.finding
        );
    }
    if verdict.tripped_total > SHOWN_TRIPPED {
        let _ = writeln!(
            err,
            "  … and {} more (`--format json` lists the first {} in `gates.tripped`)",
            verdict.tripped_total - SHOWN_TRIPPED,
            levee_engine::scan::MAX_TRIPPED
        );
    }
}

/// At most this many reader warnings are printed on standard error.
const SHOWN_WARNINGS: usize = 10;

/// The reader's warnings on standard error, `file: location: message`, the first few only (the
/// JSON output carries all of them).
pub fn print_reader_warnings(file: &str, warnings: &[levee_vuln::levee_sbom::Warning], in_json: bool) {
    let clean = levee_report::table::clean;
    let mut err = io::stderr().lock();
    for w in warnings.iter().take(SHOWN_WARNINGS) {
        let _ = writeln!(
            err,
            "warning: {}: {}: {}",
            clean(file),
            w.location,
            clean(&w.message)
        );
    }
    if warnings.len() > SHOWN_WARNINGS {
        let more = warnings.len() - SHOWN_WARNINGS;
        let whole = if in_json {
            "all of them are in the output's `warnings`"
        } else {
            "`--format json` lists all of them in `warnings`"
        };
        let _ = writeln!(
            err,
            "warning: {}: {more} more reader warnings; {whole}",
            clean(file)
        );
    }
}

/// `--out` may not name one of the inputs: the scan would replace the SBOM it read.
fn refuse_overwriting_an_input<'a>(
    out: &Path,
    inputs: impl Iterator<Item = &'a PathBuf>,
) -> Result<(), Failure> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    };
    for input in inputs {
        if same(out, input) {
            return Err(Failure::new(format!(
                "--out {} is also an input of this scan; it would be overwritten",
                out.display()
            ))
            .hint("write the output to another file"));
        }
    }
    Ok(())
}

fn sbom(a: &SbomArgs, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    let options = ScanOptions {
        vex: a.vex.clone(),
        fuzzy: a.fuzzy,
        gates: a.fail_on.iter().map(|f| f.gate()).collect(),
        strict: a.strict,
        ..ScanOptions::default()
    };
    if let Some(out) = &a.out {
        refuse_overwriting_an_input(
            out,
            std::iter::once(&a.file).chain(&a.vex).chain(&a.vendor_aliases),
        )?;
    }
    // Everything is read and checked before anything is written; the store's header is read while
    // the SBOM is, and an SBOM error is reported first.
    let (scan, data) = AdvisoryData::load_and_open_for_sbom(
        &DataRequest {
            db: a.db.clone(),
            data_dir: levee_engine::files::data_dir(data_dir).ok(),
            vendor_aliases: a.vendor_aliases.clone(),
        },
        || SbomScan::load(&a.file, &options),
    )?;
    print_reader_warnings(&scan.name, scan.warnings(), a.format == ScanFormat::Json);
    let data = data?;
    if let Some(notice) = &data.provenance.notice {
        eprintln!("warning: {notice}");
    }
    let index = data.index();
    // A bar on the terminal the output streams to would be drawn into the output.
    let streams_to_terminal = a.out.is_none() && io::stdout().is_terminal() && a.format != ScanFormat::Table;
    let verdict = with_progress_unless(streams_to_terminal, |progress| {
        progress.begin("matching components", Unit::Items, Some(scan.len() as u64));
        let outcome = emit(
            a,
            Scan {
                scan: &scan,
                index: &index,
                data: &data.provenance,
            },
            progress,
        );
        progress.end();
        outcome
    })?;
    // The process exits after this command: freeing the index and the snapshot (hundreds of
    // thousands of small allocations) would add about 0.1 s to every scan, so they are left to
    // the operating system. Nothing here needs a destructor to run.
    std::mem::forget(index);
    std::mem::forget(data);
    print_tripped(&verdict);
    Ok(if verdict.failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
