//! `levee firmware scan`: unpack an image, detect its components, write the report or SBOM, and
//! optionally keep the unpacked tree and scan the SBOM for vulnerabilities.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use levee_engine::firmware as fw;
use levee_engine::levee_firmware::Limits;
use levee_engine::{AdvisoryData, DataRequest, ScanOptions};
use levee_report::firmware::render_table;
use levee_vulndb::Unit;

use crate::fail::Failure;
use crate::progress::with_progress_unless;

/// Firmware commands.
#[derive(Debug, Subcommand)]
pub enum FirmwareCommand {
    /// Unpack a firmware image and list its components as an SBOM
    #[command(after_help = "\
Examples:
  levee firmware scan rootfs.squashfs                         the unpacking tree and the components
  levee firmware scan fw.bin --format cyclonedx --out fw.cdx.json
  levee firmware scan fw.bin --format json --out fw.json      tree, components, evidence
  levee firmware scan fw.bin --extract fw-tree/               also keep the unpacked files
  levee firmware scan fw.bin --scan                           and match the components against advisories

Every container is unpacked in memory by Levee itself (SquashFS, uImage, gzip, xz, lzma, bzip2,
zstd, lz4, zip, tar, cpio, cramfs, romfs, JFFS2, ext2/3/4, FIT), at offset 0 or carved at any offset, recursively.
Limits stop bombs before they are inflated; --extract never writes outside DIR (escaping links
are not created, device nodes never).

Exit codes: 0 ok, 2 on bad input or usage, 3 when some layer could not be unpacked (the output
is written and names the layer).")]
    Scan(ScanArgs),
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FirmwareFormat {
    /// The unpacking tree and the components
    Table,
    /// The levee-firmware/1 report (docs/schema/firmware.schema.json)
    Json,
    /// CycloneDX 1.6 SBOM with purl, CPE and evidence
    Cyclonedx,
    /// SPDX 2.3 JSON SBOM
    Spdx,
}

/// `levee firmware scan` arguments.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The firmware image
    pub image: PathBuf,
    /// Write the output to this file instead of standard output (whole or not at all)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = FirmwareFormat::Table)]
    pub format: FirmwareFormat,
    /// Also write the unpacked tree under DIR (new or empty)
    #[arg(long, value_name = "DIR")]
    pub extract: Option<PathBuf>,
    /// Scan the components for known vulnerabilities (as `levee scan sbom` does; table and json)
    #[arg(long)]
    pub scan: bool,
    /// The advisory store for --scan [default: <data dir>/db; the bundled snapshot when there is none]
    #[arg(long, value_name = "DIR")]
    pub db: Option<PathBuf>,
    /// Most bytes unpacked from the whole image, in MiB
    #[arg(long, value_name = "MIB", default_value_t = 2048)]
    pub max_total_mib: u64,
    /// Most output bytes per input byte of one compressed stream
    #[arg(long, value_name = "N", default_value_t = 250)]
    pub max_ratio: u64,
    /// Most containers inside containers
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub max_depth: u32,
}

/// Runs a firmware command.
pub fn run(cmd: FirmwareCommand, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    match cmd {
        FirmwareCommand::Scan(a) => scan(&a, data_dir),
    }
}

fn scan(a: &ScanArgs, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    if a.scan && matches!(a.format, FirmwareFormat::Cyclonedx | FirmwareFormat::Spdx) {
        return Err(
            Failure::new("--scan writes its findings with --format table or json")
                .hint("write the SBOM with --format cyclonedx, then run `levee scan sbom` on it"),
        );
    }
    if a.out.as_deref() == Some(a.image.as_path()) {
        return Err(Failure::new("--out names the image").hint("write the output to another file"));
    }
    let limits = Limits {
        max_total: a.max_total_mib.saturating_mul(1 << 20),
        max_ratio: a.max_ratio.max(1),
        max_depth: a.max_depth,
        ..Limits::default()
    };
    let mut result = with_progress_unless(false, |p| {
        p.begin("unpacking and detecting", Unit::Bytes, None);
        let r = fw::scan_image(&a.image, limits, &|n| p.advance(n));
        p.end();
        r
    })?;
    if let Some(dir) = &a.extract {
        let x = fw::extract(&result.analysis, dir)?;
        eprintln!(
            "note: extracted {} files, {} directories, {} links under {}; {} entries not created",
            x.files,
            x.dirs,
            x.links,
            dir.display(),
            x.skipped.len()
        );
        for (path, why) in x.skipped.iter().take(20) {
            eprintln!("note:   {path}: {why}");
        }
    }
    let mut scan_table = None;
    if a.scan {
        let sbom = fw::sbom_scan(&result, &ScanOptions::default())?;
        let data = AdvisoryData::open(&DataRequest {
            db: a.db.clone(),
            data_dir: levee_engine::files::data_dir(data_dir).ok(),
            vendor_aliases: None,
        })?;
        if let Some(notice) = &data.provenance.notice {
            eprintln!("warning: {notice}");
        }
        let index = data.index();
        let (found, _) = sbom.collect(&index);
        match a.format {
            FirmwareFormat::Json => {
                let json = levee_report::scan::to_json(&found, &sbom.name);
                result.report.scan = serde_json::from_str(&json).ok();
            }
            _ => scan_table = Some(levee_report::scan::to_table(&found)),
        }
        std::mem::forget(index);
        std::mem::forget(data);
    }
    let text = match a.format {
        FirmwareFormat::Table => {
            let mut t = render_table(&result.report);
            if let Some(s) = scan_table {
                t.push('\n');
                t.push_str(&s);
            }
            t
        }
        FirmwareFormat::Json => levee_report::to_json(&result.report),
        FirmwareFormat::Cyclonedx => fw::cyclonedx(&result)?,
        FirmwareFormat::Spdx => fw::spdx(&result)?,
    };
    match &a.out {
        Some(path) => levee_engine::files::write_atomic_with(path, levee_engine::files::Mode::Shared, |w| {
            w.write_all(text.as_bytes())
        })?,
        None => {
            if std::io::stdout().is_terminal() || !text.is_empty() {
                crate::cmd::print(&text);
            }
        }
    }
    if result.report.partial {
        eprintln!(
            "warning: the result is partial: {} (exit code 3)",
            result
                .report
                .problems
                .first()
                .map_or("a layer could not be unpacked".to_owned(), |p| format!(
                    "{}: {}",
                    p.layer, p.message
                ))
        );
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}
