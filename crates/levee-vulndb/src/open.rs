//! `open` and `info`: the snapshot a scan matches against, from the store or the bundled data.

use std::path::Path;

use levee_vuln::snapshot::{Snapshot, SourceFile};

use crate::assemble::{Block, assemble};
use crate::error::{ErrorKind, StoreError};
use crate::store;
use crate::summary::{self, DataSource, StoreInfo};
use crate::{bundled, par};

/// Loads the snapshot of the store at `db_dir`; without a store there (or without `db_dir`), the
/// bundled snapshot ([`crate::bundled`]).
///
/// Every byte of the store is checked against its SHA-256 before it is used, and the snapshot id is
/// recomputed from the manifest: a damaged or edited store is an [`ErrorKind::Corrupt`] error.
pub fn open(db_dir: Option<&Path>) -> Result<(Snapshot, StoreInfo), StoreError> {
    let Some(dir) = db_dir else {
        return bundled::snapshot();
    };
    let Some((disk, records)) = store::load(dir, par::default_threads())? else {
        let (snapshot, mut info) = bundled::snapshot()?;
        info.db_dir = Some(dir.to_path_buf());
        return Ok((snapshot, info));
    };
    let header = &disk.header;
    let sources: Vec<SourceFile> = header
        .files
        .iter()
        .map(|f| {
            let b = &header.blocks[f.block as usize];
            SourceFile {
                path: f.path.clone(),
                sha256: f.sha256.clone(),
                format: b.format.clone(),
                records: usize::try_from(b.records).unwrap_or(usize::MAX),
            }
        })
        .collect();
    let id = Snapshot::id_for(&sources, store::sha256_hex);
    if id != header.id
        || header
            .files
            .iter()
            .any(|f| header.blocks[f.block as usize].sha256 != f.sha256)
    {
        return Err(StoreError::new(
            ErrorKind::Corrupt,
            "the manifest does not match the snapshot id; the store was changed outside Levee (import again to rebuild it)",
        )
        .at(dir.join(store::SNAPSHOT_BIN)));
    }
    let blocks = header
        .blocks
        .iter()
        .zip(records)
        .map(|(b, records)| Block {
            sha256: b.sha256.clone(),
            records,
        })
        .collect();
    let info = summary::info(header, Some(dir), DataSource::Store, disk.len);
    Ok((assemble(id, sources, blocks), info))
}

/// Whether `db_dir` holds a store, from its checked header alone (no chunk is read): for callers
/// that go on to [`open`] it, which checks every chunk anyway.
pub fn has_store(db_dir: &Path) -> Result<bool, StoreError> {
    Ok(store::read_header(db_dir)?.is_some())
}

/// What the store at `db_dir` holds, from its header, after every chunk was checked against its
/// CRC-32 (as [`open`] does; nothing is decoded), so a damaged or tampered store is an error here
/// too. Without a store, what the bundled snapshot holds.
pub fn info(db_dir: Option<&Path>) -> Result<StoreInfo, StoreError> {
    if let Some(dir) = db_dir
        && let Some(disk) = store::read_header(dir)?
    {
        disk.verify_crc(par::default_threads())?;
        return Ok(summary::info(
            &disk.header,
            Some(dir),
            DataSource::Store,
            disk.len,
        ));
    }
    let (_, mut info) = bundled::snapshot()?;
    info.db_dir = db_dir.map(Path::to_path_buf);
    Ok(info)
}
