//! Reading inputs through `levee-io`'s bounded reader, with the limits of each kind of file: it
//! refuses what is not a regular file (a FIFO would hang, a device would never end), what lies
//! outside the project it belongs to, and what is larger than the limit for its kind.

use std::path::Path;

use crate::error::{EngineError, ErrorKind};

/// The most Levee reads from one SBOM or VEX file.
pub const MAX_SBOM_BYTES: u64 = levee_sbom::MAX_INPUT_BYTES as u64;

/// The most Levee reads from a vendor alias table.
pub const MAX_ALIAS_BYTES: u64 = 16 << 20;

/// A read refused by the bounded reader, as an engine error with its hint.
pub fn read_error(e: levee_io::ReadError) -> EngineError {
    let kind = match e.kind {
        levee_io::ReadErrorKind::TooLarge => ErrorKind::TooLarge,
        levee_io::ReadErrorKind::NotUtf8 => ErrorKind::Invalid,
        _ => ErrorKind::Read,
    };
    let hint = e.hint();
    EngineError::new(kind, e).hint(hint)
}

/// Reads `path` whole when it is a regular file (a symbolic link to one is followed) of at most
/// `max` bytes; `what` names the kind of file in messages ("SBOM", "VEX document").
pub fn read_bounded(path: &Path, max: u64, what: &str) -> Result<Vec<u8>, EngineError> {
    levee_io::read_file(path, max, what).map_err(read_error)
}

/// [`read_bounded`] for text: the bytes must be UTF-8.
pub fn read_text(path: &Path, max: u64, what: &str) -> Result<String, EngineError> {
    String::from_utf8(read_bounded(path, max, what)?)
        .map_err(|e| EngineError::new(ErrorKind::Invalid, format!("the {what} is not UTF-8 ({e})")).at(path))
}

/// Reads `rel` below the project directory `root`, refusing anything that leads outside it.
pub fn read_in_project(root: &Path, rel: &str, max: u64, what: &str) -> Result<Vec<u8>, EngineError> {
    levee_io::read_in_root(root, Path::new(rel), max, what).map_err(read_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_directories_large_files_and_missing_ones() {
        let dir = tempfile::tempdir().expect("tmp");
        let e = read_bounded(dir.path(), 10, "SBOM").expect_err("a directory");
        assert_eq!(e.kind, ErrorKind::Read);
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let f = dir.path().join("big.json");
        std::fs::write(&f, vec![b'x'; 11]).expect("write");
        let e = read_bounded(&f, 10, "SBOM").expect_err("too big");
        assert_eq!(e.kind, ErrorKind::TooLarge);
        assert_eq!(read_bounded(&f, 11, "SBOM").expect("fits").len(), 11);
        let e = read_bounded(&dir.path().join("none"), 10, "SBOM").expect_err("missing");
        assert_eq!(e.code(), "read");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_hanging() {
        let dir = tempfile::tempdir().expect("tmp");
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let e = read_bounded(&fifo, 10, "SBOM").expect_err("a FIFO");
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let e = read_bounded(Path::new("/dev/zero"), 10, "SBOM").expect_err("a device");
        assert_eq!(e.kind, ErrorKind::Read);
    }
}
