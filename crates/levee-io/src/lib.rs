//! The file edge every Levee crate reads and writes through.
//!
//! - [`read_file`] / [`read_in_root`]: the one bounded reader. It reads only regular files (a FIFO
//!   would hang, a device never ends, a directory is a mistake: each is refused by name), checks
//!   the size before reading and counts what it reads, and — for files that belong to a root such
//!   as a project directory — resolves symbolic links and refuses a file that lies outside the
//!   root, so a link committed to a repository cannot make Levee read (and print) a secret.
//! - [`path::check_relative`]: names of files inside a root as stored and sent, checked before
//!   anything is read or written under them.
//! - [`write_atomic`] / [`write_atomic_with`] / [`write_set`]: whole files or nothing, through a
//!   temporary file and a rename; a set of files (a report) is switched in only when every file
//!   was written. Outputs follow the umask ([`Mode::Shared`]); secrets are 0600 ([`Mode::Secret`]).
//!
//! ```
//! let dir = tempfile::tempdir()?;
//! levee_io::write_atomic(&dir.path().join("a.txt"), b"hello", levee_io::Mode::Shared)?;
//! let bytes = levee_io::read_in_root(dir.path(), "a.txt".as_ref(), 1024, "note")?;
//! assert_eq!(bytes, b"hello");
//! let e = levee_io::read_in_root(dir.path(), "../a.txt".as_ref(), 1024, "note").unwrap_err();
//! assert_eq!(e.code(), "outside-root");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

pub mod path;
mod read;
mod write;

pub use read::{
    ReadError, ReadErrorKind, open_file, open_in_root, read_file, read_in_root, read_text_in_root,
};
pub use write::{Mode, WriteError, write_atomic, write_atomic_with, write_set};
