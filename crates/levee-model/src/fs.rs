//! The I/O edge: reading a project directory, checking evidence files on disk, and `init`.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use levee_catalog::Catalog;
use levee_core::{Project, ProjectKind};
use sha2::{Digest, Sha256};

use crate::check::FileRef;
use crate::diag::{Diagnostic, Loc, Sink, codes};
use crate::{PROJECT_FILES, ProjectFiles, RESPONSES_DIR, is_project_file, parse_files, template};

/// The largest project file read, in bytes (64 MiB).
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Why [`init`] could not create a project.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A file the template would write already exists; nothing was written.
    #[error("{} already exists; init never overwrites files", path.display())]
    Exists {
        /// The existing file.
        path: PathBuf,
    },
    /// A folder inside the project directory is a symbolic link (or not a folder): init writes
    /// only inside the directory it was given, so nothing was written.
    #[error("{} is a symbolic link or not a folder; init writes only inside {}", path.display(), dir.display())]
    Link {
        /// The link.
        path: PathBuf,
        /// The project directory.
        dir: PathBuf,
    },
    /// A directory or file could not be created or written; files already written were removed.
    #[error("cannot write {}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
}

impl ModelError {
    /// A stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            ModelError::Exists { .. } => "file-exists",
            ModelError::Link { .. } => "file-outside-project",
            ModelError::Io { .. } => "io-error",
        }
    }
}

/// Reads a project directory, parses it and checks the evidence and SBOM files it refers to.
///
/// Reads `levee.toml` and the other top-level `*.toml` files and `responses/*.toml`. A file over
/// [`MAX_FILE_SIZE`] or not in UTF-8 is reported and skipped. Evidence files must exist inside the
/// directory, and match their recorded SHA-256. Returns the project when there are no errors.
pub fn load_dir(dir: &Path, catalog: &Catalog) -> (Option<Project>, Vec<Diagnostic>) {
    let (project, diagnostics, _) = load_dir_with_limit(dir, catalog, MAX_FILE_SIZE);
    (project, diagnostics)
}

/// [`load_dir`], also returning the text of every file it read: diagnostics print their source
/// lines from it, never by reading a file again (which could have been swapped for a link, a FIFO
/// or a device meanwhile, or have been refused as too large).
pub fn load_dir_with_sources(
    dir: &Path,
    catalog: &Catalog,
) -> (Option<Project>, Vec<Diagnostic>, ProjectFiles) {
    load_dir_with_limit(dir, catalog, MAX_FILE_SIZE)
}

pub(crate) fn load_dir_with_limit(
    dir: &Path,
    catalog: &Catalog,
    limit: u64,
) -> (Option<Project>, Vec<Diagnostic>, ProjectFiles) {
    let mut sink = Sink::default();
    let mut files = ProjectFiles::new();
    for rel in candidates(dir) {
        match read_text(dir, &rel, limit) {
            Ok(text) => {
                files.insert(rel, text);
            }
            Err(problem) => {
                problem.report(&rel, &mut sink);
                files.mark_unreadable(rel);
            }
        }
    }
    let out = parse_files(&files, catalog);
    sink.diags.extend(out.sink.diags);
    check_file_refs(dir, &out.file_refs, &mut sink);
    let project = out.project.filter(|_| !sink.has_errors());
    (project, sink.into_sorted(), files)
}

/// The relative paths of the TOML files to read, sorted.
fn candidates(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut list = |sub: Option<&str>| {
        let d = sub.map_or_else(|| dir.to_path_buf(), |s| dir.join(s));
        let Ok(entries) = fs::read_dir(&d) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = sub.map_or_else(|| name.clone(), |s| format!("{s}/{name}"));
            // Any kind of entry: reading refuses FIFOs, devices, directories and links out of the
            // project by name instead of passing over them.
            if name.ends_with(".toml") && (sub.is_none() || is_project_file(&rel)) {
                out.push(rel);
            }
        }
    };
    list(None);
    list(Some(RESPONSES_DIR));
    out.sort();
    // A broken link or unreadable levee.toml still counts as present: reading it reports why.
    let manifest = dir.join(PROJECT_FILES[0]);
    if !out.iter().any(|p| p == PROJECT_FILES[0]) && fs::symlink_metadata(&manifest).is_ok() {
        out.insert(0, PROJECT_FILES[0].to_owned());
    }
    out
}

/// Why a file's text could not be had.
enum ReadProblem {
    TooLarge(u64),
    NotUtf8 { valid: String },
    Refused(levee_io::ReadError),
}

impl ReadProblem {
    fn report(&self, rel: &str, sink: &mut Sink) {
        match self {
            ReadProblem::TooLarge(len) => {
                sink.error(
                    codes::FILE_TOO_LARGE,
                    &Loc::file(rel),
                    format!(
                        "{rel} is larger than the {} MiB limit ({len} bytes or more)",
                        MAX_FILE_SIZE / (1024 * 1024)
                    ),
                )
                .hint(
                    "a project file this large is almost certainly not hand-written TOML; split or remove it",
                );
            }
            ReadProblem::NotUtf8 { valid } => {
                let line = valid.matches('\n').count() + 1;
                let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                let loc = Loc {
                    file: rel.to_owned(),
                    line: u32::try_from(line).unwrap_or(u32::MAX),
                    column: u32::try_from(column).unwrap_or(u32::MAX),
                };
                sink.error(codes::NOT_UTF8, &loc, format!("{rel} is not valid UTF-8"))
                    .hint("save the file as UTF-8");
            }
            ReadProblem::Refused(e) => {
                let code = match e.kind {
                    levee_io::ReadErrorKind::OutsideRoot => codes::FILE_OUTSIDE_PROJECT,
                    levee_io::ReadErrorKind::NotRegular => codes::NOT_A_FILE,
                    _ => codes::READ_ERROR,
                };
                let message = match e.kind {
                    levee_io::ReadErrorKind::OutsideRoot => {
                        format!("{rel} leads outside the project directory; it was not read")
                    }
                    levee_io::ReadErrorKind::NotRegular => {
                        format!("{rel} is not a regular file; it was not read")
                    }
                    _ => format!(
                        "cannot read {rel}: {}",
                        e.detail.as_deref().unwrap_or("unknown error")
                    ),
                };
                sink.error(code, &Loc::file(rel), message).hint(e.hint());
            }
        }
    }
}

/// Reads one project file through the bounded reader: a regular file inside `dir`, at most
/// `limit` bytes.
fn read_text(dir: &Path, rel: &str, limit: u64) -> Result<String, ReadProblem> {
    let bytes = levee_io::read_in_root(dir, Path::new(rel), limit, "project file").map_err(|e| {
        if e.kind == levee_io::ReadErrorKind::TooLarge {
            ReadProblem::TooLarge(limit.saturating_add(1))
        } else {
            ReadProblem::Refused(e)
        }
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid_up_to = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let valid = String::from_utf8_lossy(&bytes[..valid_up_to]).into_owned();
        ReadProblem::NotUtf8 { valid }
    })
}

/// Checks that every evidence and SBOM file exists inside `dir` and matches its recorded hash.
fn check_file_refs(dir: &Path, refs: &[FileRef], sink: &mut Sink) {
    let root = fs::canonicalize(dir).ok();
    let mut hashes: BTreeMap<PathBuf, Result<String, String>> = BTreeMap::new();
    for r in refs {
        let path = dir.join(&r.path);
        let meta = match fs::metadata(&path) {
            Ok(m) => m,
            Err(_) => {
                sink.error(
                    codes::MISSING_EVIDENCE,
                    &r.loc,
                    format!("{} file `{}` does not exist", r.what, r.path),
                )
                .hint("paths are relative to the project directory; add the file or fix the path");
                continue;
            }
        };
        if !meta.is_file() {
            sink.error(
                codes::MISSING_EVIDENCE,
                &r.loc,
                format!("{} path `{}` is not a file", r.what, r.path),
            );
            continue;
        }
        let inside = match (&root, fs::canonicalize(&path)) {
            (Some(root), Ok(real)) => real.starts_with(root),
            _ => true,
        };
        if !inside {
            sink.error(
                codes::EVIDENCE_OUTSIDE_PROJECT,
                &r.loc,
                format!("{} path `{}` leads outside the project directory", r.what, r.path),
            )
            .hint("a symbolic link points outside the project; copy the file into the project instead");
            continue;
        }
        let Some(want) = &r.sha256 else {
            continue;
        };
        let got = hashes
            .entry(path.clone())
            .or_insert_with(|| sha256_file(&path).map_err(|e| e.to_string()));
        let loc = r.sha_loc.as_ref().unwrap_or(&r.loc);
        match got {
            Ok(got) if got == want => {}
            Ok(got) => {
                sink.error(
                    codes::EVIDENCE_HASH_MISMATCH,
                    loc,
                    format!("{} file `{}` does not match its recorded SHA-256", r.what, r.path),
                )
                .hint(format!(
                    "the file's SHA-256 is {got}; if the file changed on purpose, record the new hash"
                ));
            }
            Err(e) => {
                sink.error(
                    codes::READ_ERROR,
                    &r.loc,
                    format!("cannot read `{}`: {e}", r.path),
                );
            }
        }
    }
}

/// The lower-case hex SHA-256 of a file, read in blocks.
pub(crate) fn sha256_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Creates a new project in `dir` from [`template`]: the directory (if needed) and every file.
///
/// Refuses to overwrite: if any of the files exists, nothing is written. Returns the paths written.
pub fn init(dir: &Path, kind: ProjectKind) -> Result<Vec<PathBuf>, ModelError> {
    let files = template(kind);
    for (rel, _) in &files {
        let path = dir.join(rel);
        // Every folder between the project directory and the file must be a real folder (or not
        // exist yet): a `responses` linked elsewhere would make init write outside the project.
        let mut folder = dir.to_path_buf();
        for part in Path::new(rel).parent().into_iter().flat_map(Path::components) {
            folder.push(part);
            match fs::symlink_metadata(&folder) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    return Err(ModelError::Link {
                        path: folder,
                        dir: dir.to_path_buf(),
                    });
                }
                Err(_) => break,
            }
        }
        if fs::symlink_metadata(&path).is_ok() {
            return Err(ModelError::Exists { path });
        }
    }
    let mut written: Vec<PathBuf> = Vec::new();
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Err(e) = write_new(&path, text) {
            for w in &written {
                // Best effort: the error below is what matters.
                let _ = fs::remove_file(w);
            }
            return Err(e);
        }
        written.push(path);
    }
    Ok(written)
}

fn write_new(path: &Path, text: &str) -> Result<(), ModelError> {
    let io_err = |p: &Path| {
        let p = p.to_path_buf();
        move |source| ModelError::Io { path: p, source }
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| match source.kind() {
            io::ErrorKind::AlreadyExists => ModelError::Exists {
                path: path.to_path_buf(),
            },
            _ => ModelError::Io {
                path: path.to_path_buf(),
                source,
            },
        })?;
    file.write_all(text.as_bytes()).map_err(io_err(path))?;
    file.sync_all().map_err(io_err(path))
}
