//! `open` and `info`: the snapshot a scan matches against, from the store or the bundled data.

use std::path::Path;

use foldhash::{HashMap, HashMapExt};

use levee_advisory::Source;
use levee_advisory::alias::AliasGraph;
use levee_vuln::prefilter::{self, AdvisoryHead, AdvisoryKeys};
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
    let (id, sources) = manifest(dir, header)?;
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

/// A snapshot opened for one scan: only the advisories it can match, with the alias graph of the
/// whole data.
#[derive(Debug)]
pub struct ScanData {
    /// The snapshot: id, sources, KEV and EPSS of the whole data, the advisories of the decoded
    /// blocks.
    pub snapshot: Snapshot,
    /// The alias graph over every advisory of the data, for [`levee_vuln::Index::build_with_graph`];
    /// `None` when every advisory was decoded (the bundled data), so the index builds its own.
    pub graph: Option<AliasGraph>,
    /// What the store holds.
    pub info: StoreInfo,
    /// How many blocks (source files' records) were decoded, of how many.
    pub decoded: (usize, usize),
}

/// [`open`] for one scan: decodes only the blocks whose lookup keys `wants` accepts (see
/// [`levee_vuln::prefilter::Wanted::wants`]), the KEV and EPSS blocks, and every block holding
/// another copy of an advisory a decoded block holds (so de-duplication keeps the same copy). The
/// alias graph is built from every block's advisory heads, so canonical ids and alias lists are
/// those of the whole data; EPSS keeps the rows of CVEs some advisory names. Matching against the
/// result gives the findings matching against [`open`] gives, for the SBOM whose keys `wants`
/// holds. Advisories are decoded without the fields matching never reads (descriptions,
/// references, threats, CWE ids, remediation texts: `record::lean`). Every chunk read is checked
/// against its CRC-32. Without a store, the bundled snapshot, whole.
///
/// [`ScanOpen::begin`] and [`ScanOpen::finish`] are its two halves, for a caller that reads the
/// SBOM while the store's header is read.
pub fn open_for(
    db_dir: Option<&Path>,
    wants: &mut dyn FnMut(&AdvisoryKeys) -> bool,
) -> Result<ScanData, StoreError> {
    ScanOpen::begin(db_dir)?.finish(wants)
}

/// A store opened for one scan with its header read and checked, before anything is decoded.
pub struct ScanOpen {
    dir: Option<std::path::PathBuf>,
    disk: Option<store::OnDisk>,
}

impl std::fmt::Debug for ScanOpen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanOpen")
            .field("dir", &self.dir)
            .field("store", &self.disk.is_some())
            .finish()
    }
}

impl ScanOpen {
    /// Reads and checks the header of the store at `db_dir` (no store there, or no `db_dir`: the
    /// bundled snapshot, read by [`ScanOpen::finish`]).
    pub fn begin(db_dir: Option<&Path>) -> Result<ScanOpen, StoreError> {
        let disk = match db_dir {
            Some(dir) => store::read_header(dir)?,
            None => None,
        };
        Ok(ScanOpen {
            dir: db_dir.map(Path::to_path_buf),
            disk,
        })
    }

    /// The second half of [`open_for`]: decodes what `wants` selects. The alias graph of the whole
    /// data is built from the heads while the blocks decode.
    pub fn finish(self, wants: &mut dyn FnMut(&AdvisoryKeys) -> bool) -> Result<ScanData, StoreError> {
        let whole = |(snapshot, info): (Snapshot, StoreInfo)| {
            let n = snapshot.sources.len();
            ScanData {
                snapshot,
                graph: None,
                info,
                decoded: (n, n),
            }
        };
        let Some(mut disk) = self.disk else {
            let (snapshot, mut info) = bundled::snapshot()?;
            info.db_dir = self.dir;
            return Ok(whole((snapshot, info)));
        };
        let dir = self.dir.unwrap_or_default();
        let (keys, heads): (Vec<AdvisoryKeys>, Vec<Vec<AdvisoryHead>>) =
            disk.header.blocks.iter_mut().map(|b| b.lookup.take()).unzip();
        // A finding's CVEs are ids of its alias group, and every id of a group is an id of one of
        // its advisories: EPSS rows of other CVEs can never be looked up.
        let mut epss: Vec<String> = heads
            .iter()
            .flatten()
            .filter(|h| h.source != Source::Kev)
            .flat_map(|h| h.ids.iter())
            .map(|id| levee_advisory::alias::normalize_id(id))
            // EPSS scores CVEs only.
            .filter(|id| id.starts_with("CVE-"))
            .collect();
        epss.sort_unstable();
        epss.dedup();
        let selection = store::Selection {
            blocks: Some(select(&disk.header, &keys, &heads, wants)),
            epss: Some(epss),
            lean: true,
        };
        drop(keys);
        // The graph of the heads on a thread of its own while the chunks decode; KEV's advisories
        // (decoded) join it last, as `prefilter::alias_graph` adds them.
        let (mut graph, decoded) = std::thread::scope(|scope| {
            let graph =
                scope.spawn(|| prefilter::alias_graph(heads.iter().map(Vec::as_slice), std::iter::empty()));
            let decoded = store::decode_selection(disk, par::default_threads(), &selection);
            (
                graph.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                decoded,
            )
        });
        let (disk, records) = decoded?;
        let header = &disk.header;
        let (id, sources) = manifest(&dir, header)?;
        let total = header.blocks.len();
        let blocks: Vec<Block> = header
            .blocks
            .iter()
            .zip(records)
            .filter_map(|(b, records)| {
                records.map(|records| Block {
                    sha256: b.sha256.clone(),
                    records,
                })
            })
            .collect();
        let decoded = blocks.len();
        let info = summary::info(header, Some(&dir), DataSource::Store, disk.len);
        let snapshot = assemble(id, sources, blocks);
        for a in snapshot.advisories.iter().filter(|a| a.source == Source::Kev) {
            graph.add_advisory(a);
        }
        Ok(ScanData {
            snapshot,
            graph: Some(graph),
            info,
            decoded: (decoded, total),
        })
    }
}

/// Which blocks an open for one scan decodes: those `wants` accepts, KEV and EPSS, and, closed
/// over, every block sharing an advisory (id and source) with a block already chosen.
fn select(
    header: &store::Header,
    keys: &[AdvisoryKeys],
    heads: &[Vec<AdvisoryHead>],
    wants: &mut dyn FnMut(&AdvisoryKeys) -> bool,
) -> Vec<bool> {
    let mut chosen: Vec<bool> = header
        .blocks
        .iter()
        .zip(keys)
        .map(|(b, k)| b.format == "kev" || b.format == "epss" || wants(k))
        .collect();
    let mut by_id: HashMap<(&str, Source), Vec<usize>> = HashMap::new();
    for (b, hs) in heads.iter().enumerate() {
        for h in hs {
            by_id.entry((h.id.as_str(), h.source)).or_default().push(b);
        }
    }
    let mut todo: Vec<usize> = (0..chosen.len()).filter(|&b| chosen[b]).collect();
    while let Some(b) = todo.pop() {
        for h in heads.get(b).into_iter().flatten() {
            for &other in by_id.get(&(h.id.as_str(), h.source)).into_iter().flatten() {
                if !chosen[other] {
                    chosen[other] = true;
                    todo.push(other);
                }
            }
        }
    }
    chosen
}

/// The sources of a store's manifest and the snapshot id recomputed from them, checked against
/// the header.
fn manifest(dir: &Path, header: &store::Header) -> Result<(String, Vec<SourceFile>), StoreError> {
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
    Ok((id, sources))
}

/// Whether `db_dir` holds a store, from the preamble of its `snapshot.bin` alone (magic bytes,
/// format and header length; neither the header nor any chunk is read or checked): for callers
/// that go on to [`open`] it, which checks the header and every chunk it reads.
pub fn has_store(db_dir: &Path) -> Result<bool, StoreError> {
    store::read_preamble(db_dir)
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
