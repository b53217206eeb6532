//! The store's file `snapshot.bin`: a checksummed header (the manifest) followed by one block of
//! parsed records per distinct source file, grouped into chunks that are verified and decoded in
//! parallel.
//!
//! ```text
//! offset 0   "LEVEE-DB"            magic, 8 bytes
//!        8   u32 LE                store format (STORE_FORMAT)
//!       12   u32 LE                reserved, 0
//!       16   u64 LE                header length H
//!       24   [u8; 32]              SHA-256 of the header bytes
//!       56   H bytes               postcard(Header): id, roots, manifest, blocks, chunks
//!   56 + H   block bytes           postcard(Records) per block; each chunk's SHA-256 is in the header
//! ```
//!
//! A reader checks the magic, the format, the lengths and every digest before it trusts a byte, so
//! a damaged or edited file is a [`ErrorKind::Corrupt`] error, never a panic or a wrong answer.
//! postcard bounds every allocation by the input's length, so even a file with valid digests but
//! hostile content cannot make the reader allocate without bound.

use std::borrow::Cow;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{ErrorKind, StoreError};
use crate::record::{LookupRec, RecordsRec, epss_kept};
use crate::records::Records;
use crate::{limits, par};

/// The magic bytes at the start of `snapshot.bin`.
const MAGIC: [u8; 8] = *b"LEVEE-DB";
/// The version of the layout of `snapshot.bin`; bumped on any change to it or to the record types.
/// Format 2 records the OpenPGP signature beside each file; format 3 adds a CRC-32 per chunk,
/// which `open` checks instead of the SHA-256 (an import checks the SHA-256 of a store it reuses);
/// format 4 adds each block's lookup keys and advisory heads to the header (`BlockEntry::lookup`).
pub const STORE_FORMAT: u32 = 4;
const PREAMBLE: usize = 8 + 4 + 4 + 8 + 32;
/// How many chunks a store is cut into: enough for the two cores of the target machine and more,
/// and small enough that an open for one scan reads little besides the chunks of the blocks it
/// decodes.
const CHUNKS: usize = 64;

/// The name of the store file in the store directory.
pub(crate) const SNAPSHOT_BIN: &str = "snapshot.bin";
/// The name of the human-readable summary in the store directory.
pub(crate) const SNAPSHOT_JSON: &str = "snapshot.json";

/// The name of the lock file in the store directory: an import holds an exclusive advisory lock
/// on it from start to end, so two imports into one store run one after the other.
pub(crate) const LOCK: &str = "import.lock";

/// Takes the store's import lock, waiting while another import (in this process or another) holds
/// it; the lock is released when the returned file is dropped (or the process ends).
pub(crate) fn lock(dir: &Path, waiting: impl FnOnce()) -> Result<fs::File, StoreError> {
    let path = dir.join(LOCK);
    fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, "create the store directory", &e))?;
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| StoreError::io(&path, "open the store's lock file", &e))?;
    // `File::lock` is stable since Rust 1.89; the workspace builds with 1.95.

    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            waiting();

            file.lock()
                .map_err(|e| StoreError::io(&path, "wait for the other import into this store", &e))?;
        }
        Err(fs::TryLockError::Error(e)) => {
            return Err(StoreError::io(&path, "lock the store for the import", &e));
        }
    }
    Ok(file)
}

/// Size and modification time of a file, as the manifest records them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stat {
    pub size: u64,
    pub mtime_s: i64,
    pub mtime_ns: u32,
}

impl Stat {
    pub(crate) fn of(meta: &fs::Metadata) -> Self {
        let (mtime_s, mtime_ns) = match meta.modified() {
            Ok(t) => match t.duration_since(std::time::UNIX_EPOCH) {
                Ok(d) => (i64::try_from(d.as_secs()).unwrap_or(i64::MAX), d.subsec_nanos()),
                Err(e) => (
                    -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
                    e.duration().subsec_nanos(),
                ),
            },
            Err(_) => (0, 0),
        };
        Self {
            size: meta.len(),
            mtime_s,
            mtime_ns,
        }
    }
}

/// One imported file: the manifest entry that lets a re-import skip it when it is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileEntry {
    /// The path as found from the root the user gave.
    pub path: String,
    /// The absolute path (the key for re-imports).
    pub abs: String,
    /// Size and mtime when read.
    pub stat: Stat,
    /// Size and mtime of the `.sha512` beside it, when there was one.
    pub sidecar: Option<Stat>,
    /// The detached OpenPGP signature (`.asc`) beside it, when there was one.
    pub signature: Option<SignatureEntry>,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// The block that holds its records.
    pub block: u32,
}

/// A file's detached OpenPGP signature as an import checked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SignatureEntry {
    /// Size and mtime of the `.asc` file.
    pub stat: Stat,
    /// The fingerprint of the trusted key it verified against; `None` when it was only
    /// quick-checked (no trusted keys were given).
    pub signer: Option<String>,
}

/// One block: the parsed records of one distinct (content, file name) pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BlockEntry {
    /// SHA-256 of the source content.
    pub sha256: String,
    /// The base name the records were parsed under (their `origin.file`).
    pub name: String,
    /// `csaf`, `osv`, `nvd`, `rustsec`, `kev`, `epss`.
    pub format: String,
    /// How many records.
    pub records: u64,
    /// The KEV catalog version or the EPSS score date, when the block holds one.
    pub meta: Option<String>,
    /// Offset of the block's bytes from the start of the block area.
    pub offset: u64,
    /// Length of the block's bytes.
    pub len: u64,
    /// The lookup keys and advisory heads of its records: what lets an open for one SBOM skip
    /// the blocks it cannot match without decoding them.
    pub lookup: LookupRec,
}

/// A file that was read but is not an advisory file (a ROLIE feed, a JSON Schema): remembered so
/// an unchanged re-import need not read it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SkippedEntry {
    /// The path as found from the root the user gave.
    pub path: String,
    /// The absolute path.
    pub abs: String,
    /// Size and mtime when read.
    pub stat: Stat,
    /// Why it was skipped.
    pub reason: String,
}

/// A run of consecutive blocks with one digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ChunkEntry {
    /// The first block.
    pub first: u32,
    /// One past the last block.
    pub end: u32,
    /// SHA-256 of the chunk's bytes: checked by an import that reuses the store.
    pub sha256: [u8; 32],
    /// CRC-32 (ISO-HDLC, as zip and gzip use) of the chunk's bytes: checked by every open.
    pub crc32: u32,
}

/// The manifest and the index of `snapshot.bin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Header {
    /// The snapshot id.
    pub id: String,
    /// The roots the snapshot was imported from (absolute paths), sorted.
    pub roots: Vec<String>,
    /// When the import started (seconds, nanoseconds since 1970): files modified after this are
    /// re-hashed by the next import, since the same size and mtime may hide a change.
    pub started: (i64, u32),
    /// Every imported file, sorted by absolute path.
    pub files: Vec<FileEntry>,
    /// Files read and skipped by content, sorted by absolute path.
    pub skipped: Vec<SkippedEntry>,
    /// Every block, sorted by digest then name.
    pub blocks: Vec<BlockEntry>,
    /// The chunks, in block order.
    pub chunks: Vec<ChunkEntry>,
}

/// A store file read into memory, its header checked.
pub(crate) struct StoreFile {
    pub path: PathBuf,
    pub header: Header,
    bytes: Vec<u8>,
    data: usize,
}

fn corrupt(path: &Path, what: impl Into<String>) -> StoreError {
    StoreError::new(
        ErrorKind::Corrupt,
        format!(
            "{}; the store is damaged or was changed outside Levee (import again to rebuild it)",
            what.into()
        ),
    )
    .at(path)
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Lower-case hex of a SHA-256 digest.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    levee_core::hex(&sha256(bytes))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(a)
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// Checks magic, format and header length; returns the header length.
fn preamble(path: &Path, bytes: &[u8], file_len: u64) -> Result<usize, StoreError> {
    if bytes.len() < PREAMBLE || bytes[..8] != MAGIC {
        return Err(corrupt(path, "not a Levee store file (bad magic bytes)"));
    }
    let format = u32_at(bytes, 8);
    let flags = u32_at(bytes, 12);
    if format != STORE_FORMAT || flags != 0 {
        return Err(StoreError::new(
            ErrorKind::Version,
            format!(
                "store format {format} (flags {flags}), this build reads format {STORE_FORMAT}; import again to rebuild the store"
            ),
        )
        .at(path));
    }
    let header_len = u64_at(bytes, 16);
    if header_len > file_len - PREAMBLE as u64 {
        return Err(corrupt(path, "the header is cut short"));
    }
    usize::try_from(header_len).map_err(|_| corrupt(path, "the header is too large"))
}

/// Checks and decodes the header.
fn header(path: &Path, header_bytes: &[u8], digest: &[u8]) -> Result<Header, StoreError> {
    if sha256(header_bytes)[..] != *digest {
        return Err(corrupt(path, "the header checksum does not match"));
    }
    postcard::from_bytes(header_bytes).map_err(|e| corrupt(path, format!("the header cannot be read: {e}")))
}

/// Checks that the block, chunk and file indexes of a header fit each other and a block area of
/// `area` bytes, so that no offset taken from them is out of bounds.
fn check_index(path: &Path, header: &Header, area: u64) -> Result<(), StoreError> {
    let mut expect = 0u64;
    for b in &header.blocks {
        if b.offset != expect || b.len > area.saturating_sub(b.offset) {
            return Err(corrupt(path, "the block index does not fit the file"));
        }
        expect = b.offset + b.len;
    }
    if expect != area {
        return Err(corrupt(path, "the file length does not match its block index"));
    }
    let mut next = 0u32;
    for c in &header.chunks {
        if c.first != next || c.end < c.first || c.end as usize > header.blocks.len() {
            return Err(corrupt(path, "the chunk index does not fit the blocks"));
        }
        next = c.end;
    }
    if next as usize != header.blocks.len()
        || header
            .files
            .iter()
            .any(|f| f.block as usize >= header.blocks.len())
    {
        return Err(corrupt(path, "the manifest does not fit the blocks"));
    }
    Ok(())
}

/// A header read from disk, checked, with where the blocks start, the file's length, and the open
/// file (so the chunks read later come from the same file even if another import replaces it).
pub(crate) struct OnDisk {
    pub header: Header,
    pub data: u64,
    pub len: u64,
    file: std::sync::Mutex<fs::File>,
    path: PathBuf,
}

/// An opened `snapshot.bin`: the file, its length, its preamble bytes and the header length.
type Checked = (fs::File, u64, Vec<u8>, usize);

/// Opens a store's `snapshot.bin` and checks its length and preamble; `None` when there is none.
fn open_checked(path: &Path) -> Result<Option<Checked>, StoreError> {
    use std::io::Read;
    let io = |e: std::io::Error| StoreError::io(path, "read the store", &e);
    let mut f = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
    };
    let len = f.metadata().map_err(io)?.len();
    if len > limits::MAX_STORE_BYTES {
        return Err(corrupt(
            path,
            format!("{len} bytes is larger than any store Levee writes"),
        ));
    }
    let mut pre = vec![0u8; PREAMBLE.min(usize::try_from(len).unwrap_or(PREAMBLE))];
    f.read_exact(&mut pre).map_err(io)?;
    let header_len = preamble(path, &pre, len)?;
    Ok(Some((f, len, pre, header_len)))
}

/// Whether a store directory holds a `snapshot.bin` whose preamble (magic bytes, format, header
/// length) is right; an error when it has one that is not.
pub(crate) fn read_preamble(dir: &Path) -> Result<bool, StoreError> {
    Ok(open_checked(&dir.join(SNAPSHOT_BIN))?.is_some())
}

/// Reads only the header of a store's `snapshot.bin` (checked by its digest and against the file
/// length); `None` when there is no store.
pub(crate) fn read_header(dir: &Path) -> Result<Option<OnDisk>, StoreError> {
    use std::io::Read;
    let path = dir.join(SNAPSHOT_BIN);
    let io = |e: std::io::Error| StoreError::io(&path, "read the store", &e);
    let Some((mut f, len, pre, header_len)) = open_checked(&path)? else {
        return Ok(None);
    };
    let mut h = vec![0u8; header_len];
    f.read_exact(&mut h).map_err(io)?;
    let header = header(&path, &h, &pre[24..56])?;
    let data = (PREAMBLE + header_len) as u64;
    check_index(&path, &header, len - data)?;
    Ok(Some(OnDisk {
        header,
        data,
        len,
        file: std::sync::Mutex::new(f),
        path,
    }))
}

impl OnDisk {
    /// Reads every chunk (one at a time from the file, the work in parallel) and runs `f` on it.
    fn chunks<T: Send>(
        &self,
        threads: usize,
        f: impl Fn(usize, &[u8]) -> Result<T, StoreError> + Sync,
    ) -> Result<Vec<T>, StoreError> {
        self.some_chunks(threads, |_| true, f)
    }

    /// [`OnDisk::chunks`] for the chunks `wanted` accepts (by index) only: the others are not read.
    fn some_chunks<T: Send>(
        &self,
        threads: usize,
        wanted: impl Fn(usize) -> bool,
        f: impl Fn(usize, &[u8]) -> Result<T, StoreError> + Sync,
    ) -> Result<Vec<T>, StoreError> {
        use std::io::{Read, Seek, SeekFrom};
        let io = |e: std::io::Error| StoreError::io(&self.path, "read the store", &e);
        let indexes: Vec<usize> = (0..self.header.chunks.len()).filter(|&i| wanted(i)).collect();
        par::map(&indexes, threads, |&i| {
            let (start, end) = chunk_range(&self.header, &self.header.chunks[i]);
            let mut buf = vec![0u8; usize::try_from(end - start).unwrap_or(0)];
            {
                let mut file = self
                    .file
                    .lock()
                    .map_err(|_| StoreError::new(ErrorKind::Io, "a reader thread failed"))?;
                file.seek(SeekFrom::Start(self.data + start)).map_err(io)?;
                file.read_exact(&mut buf).map_err(io)?;
            }
            f(i, &buf)
        })
        .into_iter()
        .collect()
    }

    /// Checks every chunk against its CRC-32 without decoding it (what `db info` reports is then
    /// known to be what an open would load).
    pub(crate) fn verify_crc(&self, threads: usize) -> Result<(), StoreError> {
        self.chunks(threads, |i, buf| {
            if crc32fast::hash(buf) == self.header.chunks[i].crc32 {
                Ok(())
            } else {
                Err(corrupt(&self.path, format!("chunk {i} fails its checksum")))
            }
        })
        .map(|_| ())
    }

    /// Checks every chunk against its digest.
    pub(crate) fn verify(&self, threads: usize) -> Result<(), StoreError> {
        self.chunks(threads, |i, buf| {
            if sha256(buf) == self.header.chunks[i].sha256 {
                Ok(())
            } else {
                Err(corrupt(&self.path, format!("chunk {i} fails its checksum")))
            }
        })
        .map(|_| ())
    }
}

/// Checks a chunk's bytes against its CRC-32 and decodes its blocks. The CRC finds the damage a
/// disk or a copy does at a few GB/s; the SHA-256 beside it is no stronger against a deliberate
/// edit (anyone who can write the file can recompute both) and costs most of an open, so it is
/// checked when an import reuses the store, not on every open.
fn decode_chunk(path: &Path, header: &Header, i: usize, bytes: &[u8]) -> Result<Vec<Records>, StoreError> {
    decode_selected(path, header, i, bytes, &Selection::default())
        .map(|blocks| blocks.into_iter().flatten().collect())
}

/// Which blocks of a store an open decodes, and which EPSS rows it keeps.
#[derive(Default)]
pub(crate) struct Selection {
    /// One flag per block; `None`: every block.
    pub blocks: Option<Vec<bool>>,
    /// The CVE ids whose EPSS rows are kept, sorted, without duplicates; `None`: every row.
    pub epss: Option<Vec<String>>,
    /// Decode advisories for a scan, without the fields matching never reads
    /// ([`crate::record::scan_records`]).
    pub lean: bool,
}

/// [`decode_chunk`] for the blocks `selection` marks: the others are checked with the chunk's
/// CRC-32 but not decoded (`None`).
fn decode_selected(
    path: &Path,
    header: &Header,
    i: usize,
    bytes: &[u8],
    selection: &Selection,
) -> Result<Vec<Option<Records>>, StoreError> {
    let selected = selection.blocks.as_deref();
    let c = &header.chunks[i];
    if crc32fast::hash(bytes) != c.crc32 {
        return Err(corrupt(path, format!("chunk {i} fails its checksum")));
    }
    let base = header.blocks.get(c.first as usize).map_or(0, |b| b.offset);
    (c.first as usize..c.end as usize)
        .map(|b| {
            if selected.is_some_and(|s| !s.get(b).copied().unwrap_or(false)) {
                return Ok(None);
            }
            let e = &header.blocks[b];
            let start = usize::try_from(e.offset - base).unwrap_or(usize::MAX);
            let block = bytes
                .get(start..start.saturating_add(usize::try_from(e.len).unwrap_or(usize::MAX)))
                .ok_or_else(|| corrupt(path, format!("block {b} lies outside its chunk")))?;
            let decoded = match &selection.epss {
                Some(keep) if e.format == "epss" => epss_kept(block, keep),
                _ if selection.lean && e.format != "epss" => crate::record::scan_records(block),
                _ => postcard::from_bytes::<RecordsRec>(block).map(RecordsRec::into_records),
            };
            decoded
                .map(Some)
                .map_err(|err| corrupt(path, format!("block {b} ({}) cannot be read: {err}", e.name)))
        })
        .collect()
}

/// The first block of chunk `i`.
fn c_first(header: &Header, i: usize) -> usize {
    header.chunks[i].first as usize
}

/// The byte range of a chunk within the block area.
fn chunk_range(header: &Header, c: &ChunkEntry) -> (u64, u64) {
    let blocks = &header.blocks[c.first as usize..c.end as usize];
    match (blocks.first(), blocks.last()) {
        (Some(first), Some(last)) => (first.offset, last.offset + last.len),
        _ => (0, 0),
    }
}

/// Loads a store: the header, then every chunk read, verified and decoded on `threads` threads.
/// Blocks come back in index order.
pub(crate) fn load(dir: &Path, threads: usize) -> Result<Option<(OnDisk, Vec<Records>)>, StoreError> {
    let Some(disk) = read_header(dir)? else {
        return Ok(None);
    };
    let per_chunk = disk.chunks(threads, |i, buf| decode_chunk(&disk.path, &disk.header, i, buf))?;
    let records = per_chunk.into_iter().flatten().collect();
    Ok(Some((disk, records)))
}

/// A store with the blocks [`decode_selection`] decoded (`None` for the others).
pub(crate) type Selected = (OnDisk, Vec<Option<Records>>);

/// [`load`] decoding only the blocks (and EPSS rows) `selection` chooses, for a header already
/// read ([`read_header`]); a chunk without a chosen block is not read. Blocks come back in index
/// order, `None` for those not decoded.
pub(crate) fn decode_selection(
    disk: OnDisk,
    threads: usize,
    selection: &Selection,
) -> Result<Selected, StoreError> {
    // A chunk without a chosen block is not read: nothing of it is used.
    let header = &disk.header;
    let any_chosen = |i: usize| {
        let c = &header.chunks[i];
        selection
            .blocks
            .as_ref()
            .is_none_or(|s| s[c.first as usize..c.end as usize].iter().any(|&b| b))
    };
    let per_chunk = disk.some_chunks(threads, any_chosen, |i, buf| {
        decode_selected(&disk.path, header, i, buf, selection).map(|blocks| (c_first(header, i), blocks))
    })?;
    let mut records: Vec<Option<Records>> = Vec::with_capacity(header.blocks.len());
    for (first, blocks) in per_chunk {
        records.resize_with(first, || None);
        records.extend(blocks);
    }
    records.resize_with(header.blocks.len(), || None);
    Ok((disk, records))
}

impl StoreFile {
    /// Reads `snapshot.bin` from a store directory; `None` when there is none.
    pub(crate) fn read(dir: &Path) -> Result<Option<Self>, StoreError> {
        let path = dir.join(SNAPSHOT_BIN);
        let meta = match fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::io(&path, "read the store", &e)),
        };
        if meta.len() > limits::MAX_STORE_BYTES {
            return Err(corrupt(
                &path,
                format!("{} bytes is larger than any store Levee writes", meta.len()),
            ));
        }
        let bytes = fs::read(&path).map_err(|e| StoreError::io(&path, "read the store", &e))?;
        Self::from_bytes(path, bytes).map(Some)
    }

    /// Checks the preamble and the header of store bytes.
    pub(crate) fn from_bytes(path: PathBuf, bytes: Vec<u8>) -> Result<Self, StoreError> {
        let header_len = preamble(&path, &bytes, bytes.len() as u64)?;
        let header = header(&path, &bytes[PREAMBLE..PREAMBLE + header_len], &bytes[24..56])?;
        let data = PREAMBLE + header_len;
        check_index(&path, &header, (bytes.len() - data) as u64)?;
        Ok(Self {
            path,
            header,
            bytes,
            data,
        })
    }

    /// The size of the file in bytes.
    pub(crate) fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    /// The raw bytes of a block (unverified: call [`StoreFile::verify`] or [`StoreFile::decode`]).
    pub(crate) fn block_bytes(&self, i: usize) -> &[u8] {
        let b = &self.header.blocks[i];
        // Offsets were checked against the file length in `from_bytes`.
        let start = self.data + b.offset as usize;
        &self.bytes[start..start + b.len as usize]
    }

    fn chunk_bytes(&self, c: &ChunkEntry) -> &[u8] {
        let (start, end) = chunk_range(&self.header, c);
        &self.bytes[self.data + start as usize..self.data + end as usize]
    }

    /// Checks every chunk's digest, on `threads` threads.
    pub(crate) fn verify(&self, threads: usize) -> Result<(), StoreError> {
        let chunks: Vec<usize> = (0..self.header.chunks.len()).collect();
        par::map(&chunks, threads, |&i| {
            if sha256(self.chunk_bytes(&self.header.chunks[i])) == self.header.chunks[i].sha256 {
                Ok(())
            } else {
                Err(corrupt(&self.path, format!("chunk {i} fails its checksum")))
            }
        })
        .into_iter()
        .collect()
    }

    /// Verifies and decodes every block; blocks in index order.
    #[cfg(test)]
    pub(crate) fn decode(&self) -> Result<Vec<Records>, StoreError> {
        let mut out = Vec::new();
        for (i, c) in self.header.chunks.iter().enumerate() {
            out.extend(decode_chunk(&self.path, &self.header, i, self.chunk_bytes(c))?);
        }
        Ok(out)
    }
}

/// The bytes of one block to write: copied from the previous store, or newly encoded.
pub(crate) type BlockBytes<'a> = Cow<'a, [u8]>;

/// Encodes records as a block.
pub(crate) fn encode(records: &Records) -> Result<Vec<u8>, StoreError> {
    postcard::to_stdvec(&crate::record::to_record(records)?)
        .map_err(|e| StoreError::new(ErrorKind::Io, format!("cannot encode records: {e}")))
}

/// Lays out the blocks (offsets, chunks with digests) and writes `snapshot.bin` atomically.
///
/// `header.blocks` must be in the order of `data`; offsets and chunks are filled in here. Returns
/// the number of bytes written.
pub(crate) fn write(dir: &Path, mut header: Header, data: &[BlockBytes<'_>]) -> Result<u64, StoreError> {
    let mut offset = 0u64;
    for (b, bytes) in header.blocks.iter_mut().zip(data) {
        b.offset = offset;
        b.len = bytes.len() as u64;
        offset += b.len;
    }
    let total = offset;
    header.chunks.clear();
    let target = total / CHUNKS as u64 + 1;
    let mut first = 0usize;
    let mut size = 0u64;
    for (i, bytes) in data.iter().enumerate() {
        size += bytes.len() as u64;
        if size >= target || i + 1 == data.len() {
            let mut h = Sha256::new();
            let mut crc = crc32fast::Hasher::new();
            for b in &data[first..=i] {
                h.update(b);
                crc.update(b);
            }
            header.chunks.push(ChunkEntry {
                first: u32::try_from(first).unwrap_or(u32::MAX),
                end: u32::try_from(i + 1).unwrap_or(u32::MAX),
                sha256: h.finalize().into(),
                crc32: crc.finalize(),
            });
            first = i + 1;
            size = 0;
        }
    }
    let header_bytes = postcard::to_stdvec(&header)
        .map_err(|e| StoreError::new(ErrorKind::Io, format!("cannot encode the store header: {e}")))?;
    let path = dir.join(SNAPSHOT_BIN);
    write_atomic(&path, |w| {
        w.write_all(&MAGIC)?;
        w.write_all(&STORE_FORMAT.to_le_bytes())?;
        w.write_all(&0u32.to_le_bytes())?;
        w.write_all(&(header_bytes.len() as u64).to_le_bytes())?;
        w.write_all(&sha256(&header_bytes))?;
        w.write_all(&header_bytes)?;
        for b in data {
            w.write_all(b)?;
        }
        Ok(())
    })?;
    Ok(PREAMBLE as u64 + header_bytes.len() as u64 + total)
}

/// Removes the temporary files a killed import left in the store directory (`.NAME.tmp-PID-N`,
/// written by [`write_atomic`]). Called with the import lock held, so no live writer owns them.
/// Only regular files are removed; links and anything else are left alone.
pub(crate) fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = [SNAPSHOT_BIN, SNAPSHOT_JSON]
            .iter()
            .any(|n| name.starts_with(&format!(".{n}.tmp-")));
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Writes a store file atomically (through `levee-io`: a temporary beside it, `fsync`, a rename
/// and a directory sync), readable by the owner only: a reader sees the old file or the new one,
/// never a part.
pub(crate) fn write_atomic(
    path: &Path,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), StoreError> {
    levee_io::write_atomic_with(path, levee_io::Mode::Secret, body)
        .map_err(|e| StoreError::io(&e.path, "write", &e.source))
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
