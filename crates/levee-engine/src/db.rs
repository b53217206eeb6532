//! The advisory database use cases: import files, update from the public feeds, describe what is
//! there. The work is `levee-vulndb`'s; this module resolves the store directory, maps errors to
//! [`EngineError`]s with hints, and turns the results into the wire types of `levee-report`.

use std::path::{Path, PathBuf};

use levee_report::db as wire;
use levee_vulndb::{DataSource, ImportOptions, Progress, StoreError, StoreInfo, UpdateOptions};

use crate::data::store_error;
use crate::error::EngineError;

/// The store directory: `db`, else `<data dir>/db`.
pub fn store_dir(db: Option<&Path>, data_dir: Option<&Path>) -> Result<PathBuf, EngineError> {
    match db {
        Some(d) => Ok(d.to_path_buf()),
        None => Ok(crate::files::data_dir(data_dir)?.join("db")),
    }
}

/// Imports `paths` into the store at `db` as its new snapshot (all or nothing).
pub fn import(
    paths: &[PathBuf],
    db: &Path,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<wire::ImportReport, EngineError> {
    let report = levee_vulndb::import(paths, db, options, progress).map_err(|e| store_error(&e, Some(db)))?;
    Ok(import_wire(&report))
}

/// Downloads the public feeds into the store at `db` and imports them.
pub fn update(
    db: &Path,
    options: &UpdateOptions,
    progress: &dyn Progress,
) -> Result<wire::UpdateReport, EngineError> {
    let r = levee_vulndb::update(db, options, progress).map_err(|e| store_error(&e, Some(db)))?;
    Ok(wire::UpdateReport {
        feeds: r
            .feeds
            .iter()
            .map(|f| wire::FeedReport {
                feed: f.feed.as_str().to_owned(),
                url: f.url.clone(),
                downloaded: f.downloaded as u64,
                unchanged: f.unchanged as u64,
                bytes: f.bytes,
            })
            .collect(),
        notes: r.notes.clone(),
        import: import_wire(&r.import),
    })
}

/// What the store at `db` holds (the bundled subset when there is none).
pub fn info(db: &Path) -> Result<wire::InfoReport, EngineError> {
    let i = levee_vulndb::info(Some(db)).map_err(|e| store_error(&e, Some(db)))?;
    Ok(info_wire(&i))
}

fn formats(
    f: &std::collections::BTreeMap<String, levee_vulndb::FormatCount>,
) -> std::collections::BTreeMap<String, wire::FormatCount> {
    f.iter()
        .map(|(k, c)| {
            (
                k.clone(),
                wire::FormatCount {
                    files: c.files,
                    records: c.records,
                },
            )
        })
        .collect()
}

/// A store error as the import report lists it.
pub fn error_wire(e: &StoreError) -> wire::ImportError {
    wire::ImportError {
        path: e.path.as_ref().map(|p| p.display().to_string()),
        location: e.location.clone(),
        code: e.code().to_owned(),
        message: e.message.clone(),
    }
}

fn import_wire(r: &levee_vulndb::ImportReport) -> wire::ImportReport {
    wire::ImportReport {
        snapshot: r.id.clone(),
        previous: r.previous_id.clone(),
        store: r.db_dir.display().to_string(),
        created_from: r.roots.clone(),
        files: r.files as u64,
        parsed: r.parsed as u64,
        reused: r.reused as u64,
        unread: r.unread as u64,
        signatures: wire::Signatures {
            quick_checked: r.signatures_quick_checked as u64,
            verified: r.signatures_verified as u64,
        },
        bytes: r.bytes,
        formats: formats(&r.formats),
        skipped: r
            .skipped
            .iter()
            .map(|s| wire::Skipped {
                path: s.path.display().to_string(),
                reason: s.reason.clone(),
            })
            .collect(),
        invalid: r.invalid.iter().map(error_wire).collect(),
        warnings: r.warnings.clone(),
        notes: r.notes.clone(),
    }
}

fn info_wire(i: &StoreInfo) -> wire::InfoReport {
    wire::InfoReport {
        snapshot: i.id.clone(),
        source: if i.source == DataSource::Store {
            "store"
        } else {
            "bundled"
        }
        .to_owned(),
        partial: i.source != DataSource::Store,
        store: i.db_dir.as_ref().map(|d| d.display().to_string()),
        created_from: i.roots.clone(),
        files: i.files as u64,
        formats: formats(&i.formats),
        kev_version: i.kev_version.clone(),
        epss_date: i.epss_date.clone(),
        bytes: i.bytes,
    }
}
