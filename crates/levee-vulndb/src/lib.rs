//! The advisory store: the I/O edge for advisory data.
//!
//! The readers in `levee-advisory` and the matcher in `levee-vuln` are pure; this crate reads
//! files, talks to the feeds and keeps the result on disk as one versioned [`Snapshot`]:
//!
//! - [`import`] walks files and directories (CSAF, OSV JSON/YAML and `all.zip`, NVD, RustSec, KEV,
//!   EPSS, gzip-compressed or not), checks `.sha512` digests and OpenPGP signatures (`.asc`:
//!   quick-checked, or verified against [`ImportOptions::trusted_keys`]), parses on several
//!   threads and writes the snapshot atomically. It is all-or-nothing: one bad file aborts it with the file and the
//!   place in it, and the store is left as it was (unless [`ImportOptions::skip_invalid`]).
//!   Re-imports are incremental: unchanged files keep their parsed records.
//! - [`open`] loads the snapshot, every byte checked against its digest; with no store it falls
//!   back to the [`bundled`] snapshot (CISA KEV and a subset of CISA ICS advisories), so the first
//!   run works offline. [`info`] says what a store holds without loading it.
//! - [`OpenedSnapshot`] is an opened snapshot with its match index, built once, `Send + Sync`:
//!   what a long-running process keeps in an `Arc` and shares between scans.
//! - An import holds an exclusive lock on the store (`import.lock`), so two imports into one store
//!   run one after the other.
//! - [`update`] downloads the public feeds (CISA CSAF ROLIE, KEV, EPSS, OSV, NVD API 2.0), resumably
//!   and with the checksums the feeds publish, then imports them. It is the only code in Levee that
//!   opens a network connection, and only when a user asks for it.
//!
//! The snapshot id is `sha256:` over the sorted SHA-256 digests of the source files (see
//! [`Snapshot::id_for`]): the same files give the same id, whatever their paths or order.
//! docs/advisory-store.md describes the layout, the rules and the limits.
//!
//! ```no_run
//! use std::path::{Path, PathBuf};
//! use levee_vulndb::{ImportOptions, NoProgress, import, open};
//!
//! let db = Path::new("/var/lib/levee/db");
//! let report = import(
//!     &[PathBuf::from("csaf_files/OT/white"), PathBuf::from("known_exploited_vulnerabilities.json")],
//!     db,
//!     &ImportOptions::default(),
//!     &NoProgress,
//! )?;
//! println!("{}: {} files, {} parsed, {} reused", report.id, report.files, report.parsed, report.reused);
//!
//! let (snapshot, info) = open(Some(db))?;
//! assert_eq!(snapshot.id, info.id);
//! println!("{} advisories, {} KEV entries", snapshot.advisories.len(), snapshot.kev.len());
//! # Ok::<(), levee_vulndb::StoreError>(())
//! ```

mod assemble;
pub mod bundled;
mod error;
#[cfg(test)]
mod format_guard;
mod import;
mod open;
mod opened;
mod par;
mod progress;
mod record;
mod records;
mod sidecar;
mod store;
mod summary;
mod update;
mod walk;

pub use error::{ErrorKind, StoreError};
pub use import::{FormatCount, ImportOptions, ImportReport, import};
pub use levee_advisory::openpgp::PublicKey;
pub use levee_vuln::snapshot::Snapshot;
pub use open::{ScanData, ScanOpen, has_store, info, open, open_for};
pub use opened::OpenedSnapshot;
pub use progress::{NoProgress, Progress, Unit};
pub use sidecar::read_keys;
pub use store::STORE_FORMAT;
pub use summary::{DataSource, StoreInfo};
pub use update::{Feed, FeedReport, FeedUrls, UpdateOptions, UpdateReport, update};
pub use walk::Skipped;

/// The limits the store enforces on its inputs and on itself.
pub mod limits {
    /// The largest file an import reads (and the largest a gzip file or zip entry may expand to):
    /// 256 MiB, the readers' own limit.
    pub const MAX_FILE_BYTES: u64 = levee_advisory::limits::MAX_INPUT_BYTES as u64;
    /// The most files one import reads.
    pub const MAX_FILES: usize = 1_000_000;
    /// The most records (advisories, KEV entries, EPSS rows) one store holds: about ten times
    /// everything the public feeds publish today.
    pub const MAX_RECORDS: u64 = 10_000_000;
    /// The largest `snapshot.bin` [`crate::open`] reads.
    pub const MAX_STORE_BYTES: u64 = 4 * 1024 * 1024 * 1024;
    /// The most entries a zip archive may have.
    pub const MAX_ARCHIVE_ENTRIES: usize = 1_000_000;
    /// The most bytes all entries of one zip archive may expand to.
    pub const MAX_ARCHIVE_BYTES: u64 = 4 * 1024 * 1024 * 1024;
    /// Entries larger than this must not expand more than [`MAX_COMPRESSION_RATIO`] times.
    pub const RATIO_CHECK_BYTES: u64 = 1024 * 1024;
    /// The largest expansion of a large zip entry (JSON compresses 5–20 times).
    pub const MAX_COMPRESSION_RATIO: u64 = 200;
    /// The largest download [`crate::update`] accepts: 1 GiB.
    pub const MAX_DOWNLOAD_BYTES: u64 = 1024 * 1024 * 1024;
}
