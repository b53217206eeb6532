//! The one bounded reader for every file a use case reads: it refuses what is not a regular file
//! (a FIFO would hang, a device would never end) and what is larger than the limit for its kind,
//! by its size before reading and by what is read.

use std::io::Read;
use std::path::Path;

use crate::error::{EngineError, ErrorKind};

/// The most Levee reads from one SBOM or VEX file.
pub const MAX_SBOM_BYTES: u64 = levee_sbom::MAX_INPUT_BYTES as u64;

/// The most Levee reads from a vendor alias table.
pub const MAX_ALIAS_BYTES: u64 = 16 << 20;

/// Reads `path` whole when it is a regular file (a symbolic link to one is followed) of at most
/// `max` bytes; `what` names the kind of file in messages ("SBOM", "VEX document").
pub fn read_bounded(path: &Path, max: u64, what: &str) -> Result<Vec<u8>, EngineError> {
    let read_error = |e: std::io::Error| {
        EngineError::new(ErrorKind::Read, format!("cannot read the {what}: {e}")).at(path)
    };
    let meta = std::fs::metadata(path).map_err(read_error)?;
    if !meta.is_file() {
        return Err(
            EngineError::new(ErrorKind::Read, format!("the {what} is not a regular file"))
                .at(path)
                .hint("give the path of a file (not a directory, FIFO or device)"),
        );
    }
    let too_big = || {
        EngineError::new(
            ErrorKind::TooLarge,
            format!(
                "larger than {} MiB, the most Levee reads from one {what}",
                max >> 20
            ),
        )
        .at(path)
    };
    if meta.len() > max {
        return Err(too_big());
    }
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max + 1).read_to_end(&mut bytes).map_err(read_error)?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    Ok(bytes)
}

/// [`read_bounded`] for text: the bytes must be UTF-8.
pub fn read_text(path: &Path, max: u64, what: &str) -> Result<String, EngineError> {
    String::from_utf8(read_bounded(path, max, what)?)
        .map_err(|e| EngineError::new(ErrorKind::Invalid, format!("the {what} is not UTF-8 ({e})")).at(path))
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
