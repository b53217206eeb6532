//! What a store holds, from its header alone: [`StoreInfo`], and the human-readable
//! `snapshot.json` written beside `snapshot.bin`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::StoreError;
use crate::import::FormatCount;
use crate::store::{self, Header, STORE_FORMAT};

/// Where a snapshot comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DataSource {
    /// The store directory (`snapshot.bin`).
    Store,
    /// The snapshot compiled into this build (no store yet): see [`crate::bundled`].
    Bundled,
}

/// What a store (or the bundled snapshot) holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreInfo {
    /// Store or bundled data.
    pub source: DataSource,
    /// The store directory that was looked at, when one was given.
    pub db_dir: Option<PathBuf>,
    /// The snapshot id (`sha256:…`).
    pub id: String,
    /// The paths the snapshot was imported from (absolute); `bundled:` names for bundled data.
    pub roots: Vec<String>,
    /// Source files.
    pub files: usize,
    /// Files and records per format.
    pub formats: BTreeMap<String, FormatCount>,
    /// The KEV catalog version, when KEV was imported.
    pub kev_version: Option<String>,
    /// The newest EPSS score date, when an EPSS table gave one.
    pub epss_date: Option<String>,
    /// Size of `snapshot.bin` in bytes (0 for bundled data).
    pub bytes: u64,
}

/// Files and records per format, from a header.
pub(crate) fn formats(header: &Header) -> BTreeMap<String, FormatCount> {
    let mut out: BTreeMap<String, FormatCount> = BTreeMap::new();
    for f in &header.files {
        let b = &header.blocks[f.block as usize];
        let c = out.entry(b.format.clone()).or_default();
        c.files += 1;
        c.records += b.records;
    }
    out
}

fn newest_meta(header: &Header, format: &str) -> Option<String> {
    header
        .blocks
        .iter()
        .filter(|b| b.format == format)
        .filter_map(|b| b.meta.clone())
        .max()
}

/// The [`StoreInfo`] of a header.
pub(crate) fn info(header: &Header, db_dir: Option<&Path>, source: DataSource, bytes: u64) -> StoreInfo {
    StoreInfo {
        source,
        db_dir: db_dir.map(Path::to_path_buf),
        id: header.id.clone(),
        roots: header.roots.clone(),
        files: header.files.len(),
        formats: formats(header),
        kev_version: newest_meta(header, "kev"),
        epss_date: newest_meta(header, "epss"),
        bytes,
    }
}

/// The text of `snapshot.json`: id, roots, counts; no clock, so equal stores give equal text.
pub(crate) fn json(header: &Header) -> String {
    let formats: serde_json::Map<String, serde_json::Value> = formats(header)
        .into_iter()
        .map(|(k, c)| (k, serde_json::json!({"files": c.files, "records": c.records})))
        .collect();
    let value = serde_json::json!({
        "store_format": STORE_FORMAT,
        "id": header.id,
        "created_from": header.roots,
        "files": header.files.len(),
        "formats": formats,
        "kev_version": newest_meta(header, "kev"),
        "epss_date": newest_meta(header, "epss"),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes `snapshot.json` atomically.
pub(crate) fn write(dir: &Path, text: &str) -> Result<(), StoreError> {
    store::write_atomic(&dir.join(store::SNAPSHOT_JSON), |w| w.write_all(text.as_bytes()))
}
