//! Firmware images: read one (bounded), unpack and detect its components (`levee-firmware`),
//! build its report and SBOM (`levee-report`), scan that SBOM like any other ([`SbomScan`]),
//! and, when asked, write the unpacked tree to a directory without ever leaving it.
//!
//! The extraction writer is the only code that creates files from an image. Its rules: the
//! target directory is new or empty; every path is relative and free of `..` (the unpackers
//! guarantee it, and it is checked again here); every parent is a directory this writer created
//! (never a symbolic link); files are created with `O_EXCL`, so nothing is written through a
//! link; symbolic links are created last and only when their target stays inside the tree;
//! hard links become copies; device nodes, FIFOs and sockets are never created; set-user-ID and
//! set-group-ID bits are dropped.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};

use levee_firmware::{Analysis, Kind, Layer, Limits, Node};
use levee_report::firmware::{FirmwareReport, ImageWire};
use sha2::{Digest, Sha256};

use crate::error::{EngineError, ErrorKind};
use crate::input::read_bounded;
use crate::scan::{SbomScan, ScanOptions};

/// The largest image read (1 GiB).
pub const MAX_IMAGE_BYTES: u64 = 1 << 30;

/// An image analysed: the domain result and its report.
#[derive(Debug)]
pub struct FirmwareScan {
    /// The analysis (the tree holds the unpacked bytes).
    pub analysis: Analysis,
    /// The `levee-firmware/1` report.
    pub report: FirmwareReport,
}

/// Analyses the image bytes `data`, named `name`.
pub fn analyze_bytes(name: &str, data: &[u8], limits: Limits) -> FirmwareScan {
    analyze_bytes_with(name, data, limits, &|_| {})
}

/// [`analyze_bytes`], telling `progress` how many bytes were unpacked as it goes.
pub fn analyze_bytes_with(name: &str, data: &[u8], limits: Limits, progress: &dyn Fn(u64)) -> FirmwareScan {
    let analysis = levee_firmware::analyze_with(name, data, limits, progress);
    let image = ImageWire {
        name: name.to_owned(),
        size: data.len() as u64,
        sha256: levee_core::hex(&Sha256::digest(data)),
    };
    let report = FirmwareReport::of(&analysis, image);
    FirmwareScan { analysis, report }
}

/// Reads the image at `path` (a regular file of at most [`MAX_IMAGE_BYTES`]) and analyses it,
/// telling `progress` how many bytes were unpacked as it goes.
pub fn scan_image(path: &Path, limits: Limits, progress: &dyn Fn(u64)) -> Result<FirmwareScan, EngineError> {
    let data = read_bounded(path, MAX_IMAGE_BYTES, "firmware image")?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok(analyze_bytes_with(&name, &data, limits, progress))
}

/// The CycloneDX 1.6 SBOM of a scan (time stamp from `SOURCE_DATE_EPOCH`, else the epoch).
pub fn cyclonedx(scan: &FirmwareScan) -> Result<String, EngineError> {
    let ts = crate::clock::document_timestamp(None)?;
    Ok(levee_report::firmware::cyclonedx(
        &scan.report,
        &ts,
        env!("CARGO_PKG_VERSION"),
    ))
}

/// The SPDX 2.3 SBOM of a scan.
pub fn spdx(scan: &FirmwareScan) -> Result<String, EngineError> {
    let ts = crate::clock::document_timestamp(None)?;
    Ok(levee_report::firmware::spdx(
        &scan.report,
        &ts,
        env!("CARGO_PKG_VERSION"),
    ))
}

/// The scan's SBOM, ready for the vulnerability scan every SBOM gets.
pub fn sbom_scan(scan: &FirmwareScan, options: &ScanOptions) -> Result<SbomScan, EngineError> {
    let sbom = cyclonedx(scan)?;
    SbomScan::from_bytes(
        sbom.as_bytes(),
        &format!("{} (firmware SBOM)", scan.report.image.name),
        Vec::new(),
        options,
    )
}

/// What an extraction wrote and what it refused.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// Files written.
    pub files: u64,
    /// Directories created.
    pub dirs: u64,
    /// Symbolic links created (their targets stay inside).
    pub links: u64,
    /// What was not created, and why (path inside the target directory).
    pub skipped: Vec<(String, String)>,
}

struct Writer {
    root: PathBuf,
    out: Extracted,
    dirs: Vec<(PathBuf, u32)>,
    links: Vec<(PathBuf, String)>,
}

fn write_err(path: &Path, e: impl std::fmt::Display) -> EngineError {
    EngineError::new(ErrorKind::Write, format!("cannot write the extracted tree: {e}")).at(path)
}

impl Writer {
    /// `rel` as a path under the root, refusing anything that is not plain components.
    fn under(&self, rel: &str) -> Option<PathBuf> {
        let p = Path::new(rel);
        if rel.is_empty() || p.components().any(|c| !matches!(c, Component::Normal(_))) {
            return None;
        }
        Some(self.root.join(p))
    }

    /// Creates the directories above `path` (each one a real directory this writer made or
    /// found as one; a symbolic link is refused).
    fn parents(&mut self, path: &Path) -> Result<bool, EngineError> {
        let Some(parent) = path.parent() else {
            return Ok(false);
        };
        let rel = parent.strip_prefix(&self.root).map_err(|e| write_err(path, e))?;
        let mut at = self.root.clone();
        for c in rel.components() {
            at.push(c);
            match fs::symlink_metadata(&at) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => return Ok(false),
                Err(_) => {
                    fs::create_dir(&at).map_err(|e| write_err(&at, e))?;
                    self.out.dirs += 1;
                }
            }
        }
        Ok(true)
    }

    fn skip(&mut self, rel: &str, why: &str) {
        self.out.skipped.push((rel.to_owned(), why.to_owned()));
    }

    fn node(&mut self, base: &str, n: &Node) -> Result<(), EngineError> {
        let rel = if base.is_empty() {
            n.path.clone()
        } else {
            format!("{base}/{}", n.path)
        };
        let Some(path) = self.under(&rel) else {
            self.skip(&rel, "not a plain relative path");
            return Ok(());
        };
        match &n.kind {
            Kind::Dir => {
                if !self.parents(&path)? {
                    self.skip(&rel, "a parent is not a directory");
                    return Ok(());
                }
                match fs::symlink_metadata(&path) {
                    Ok(m) if m.is_dir() => {}
                    Ok(_) => self.skip(&rel, "exists and is not a directory"),
                    Err(_) => {
                        fs::create_dir(&path).map_err(|e| write_err(&path, e))?;
                        self.out.dirs += 1;
                    }
                }
                self.dirs.push((path, n.mode & 0o1777));
            }
            Kind::File | Kind::Hardlink(_) if n.layers.is_empty() => {
                if !self.parents(&path)? {
                    self.skip(&rel, "a parent is not a directory");
                    return Ok(());
                }
                let mut f = match fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&path)
                {
                    Ok(f) => f,
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        self.skip(&rel, "exists already");
                        return Ok(());
                    }
                    Err(e) => return Err(write_err(&path, e)),
                };
                f.write_all(&n.data).map_err(|e| write_err(&path, e))?;
                fs::set_permissions(&path, fs::Permissions::from_mode(n.mode & 0o1777))
                    .map_err(|e| write_err(&path, e))?;
                self.out.files += 1;
            }
            Kind::File | Kind::Hardlink(_) => {
                for l in &n.layers {
                    self.layer(&format!("{rel}.extracted"), l)?;
                }
            }
            Kind::Symlink(target) => {
                if n.link_inside == Some(true) {
                    self.links.push((path, target.clone()));
                } else {
                    self.skip(
                        &rel,
                        &format!("symbolic link to `{target}` leaves the tree: neutralised"),
                    );
                }
            }
            Kind::Device => self.skip(&rel, "device node: never created"),
            Kind::Special => self.skip(&rel, "FIFO or socket: never created"),
        }
        Ok(())
    }

    fn layer(&mut self, base: &str, l: &Layer) -> Result<(), EngineError> {
        let here = if base.is_empty() {
            format!("{}-{}", l.offset, l.format)
        } else {
            format!("{base}/{}-{}", l.offset, l.format)
        };
        for f in &l.files {
            self.node(&here, f)?;
        }
        Ok(())
    }
}

/// Writes the unpacked tree of `analysis` under `dir` (created; it must be new or empty):
/// `<offset>-<format>/` per layer, `<file>.extracted/` for a file that holds layers.
pub fn extract(analysis: &Analysis, dir: &Path) -> Result<Extracted, EngineError> {
    match fs::symlink_metadata(dir) {
        Ok(m) if !m.is_dir() => {
            return Err(EngineError::new(ErrorKind::Usage, "--extract must name a directory").at(dir));
        }
        Ok(_) => {
            if fs::read_dir(dir).map_err(|e| write_err(dir, e))?.next().is_some() {
                return Err(
                    EngineError::new(ErrorKind::Usage, "the extraction directory is not empty")
                        .at(dir)
                        .hint("name a new directory: an extraction never writes into existing files"),
                );
            }
        }
        Err(_) => fs::create_dir_all(dir).map_err(|e| write_err(dir, e))?,
    }
    let root = fs::canonicalize(dir).map_err(|e| write_err(dir, e))?;
    let mut w = Writer {
        root,
        out: Extracted::default(),
        dirs: Vec::new(),
        links: Vec::new(),
    };
    let top = &analysis.tree.root;
    for l in &top.layers {
        w.layer("", l)?;
    }
    for (path, target) in std::mem::take(&mut w.links) {
        let rel = path
            .strip_prefix(&w.root)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        if !w.parents(&path)? {
            w.skip(&rel, "a parent is not a directory");
            continue;
        }
        match std::os::unix::fs::symlink(&target, &path) {
            Ok(()) => w.out.links += 1,
            Err(e) => w.skip(&rel, &format!("cannot create the link: {e}")),
        }
    }
    // Directory modes last (deepest first), so that a read-only directory is filled before.
    w.dirs
        .sort_by_key(|d| std::cmp::Reverse(d.0.components().count()));
    for (path, mode) in &w.dirs {
        fs::set_permissions(path, fs::Permissions::from_mode(*mode)).map_err(|e| write_err(path, e))?;
    }
    Ok(w.out)
}
