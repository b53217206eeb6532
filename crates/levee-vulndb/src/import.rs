//! `import`: files and directories in, one snapshot out, written whole or not at all.
//!
//! 1. Walk the paths ([`crate::walk`]).
//! 2. Reuse: a file whose absolute path, size and mtime (and those of its `.sha512` and `.asc`)
//!    match the previous manifest keeps its records without being read, unless trusted keys are
//!    given and its signature was not verified against one of them. A file whose content (SHA-256)
//!    and name match a block of the previous store keeps its records without being parsed.
//! 3. Read, hash, verify the `.sha512` and the `.asc` ([`crate::sidecar`]), parse and encode the
//!    rest on several threads.
//! 4. Any failure aborts before anything is written (unless `skip_invalid`).
//! 5. Write `snapshot.bin` atomically, then `snapshot.json`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use levee_advisory::openpgp::PublicKey;
use levee_vuln::snapshot::{Snapshot, SourceFile};

use crate::error::{ErrorKind, StoreError};
use crate::progress::{Progress, Unit};
use crate::record::LookupRec;
use crate::records::{self, Outcome};
use crate::store::{self, BlockEntry, FileEntry, Header, SignatureEntry, SkippedEntry, StoreFile};
use crate::walk::{self, Candidate, Skipped};
use crate::{limits, par, sidecar, summary};

/// How [`import`] behaves.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Import the valid files and list the invalid ones in [`ImportReport::invalid`], instead of
    /// failing the whole import.
    pub skip_invalid: bool,
    /// Re-read and re-hash every file even when its size and mtime are unchanged (records are
    /// still reused when the content is).
    pub rehash: bool,
    /// Threads for reading and parsing; 0 means the machine's parallelism (at most 8).
    pub threads: usize,
    /// Trusted OpenPGP keys (see [`crate::read_keys`]). Without any, each detached signature
    /// (`.asc`) beside a file is quick-checked only (integrity: the file was not changed since it
    /// was signed); with keys, each must also verify against one of them, or the import fails.
    pub trusted_keys: Vec<PublicKey>,
}

/// Files and records of one format in a store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FormatCount {
    /// Source files.
    pub files: u64,
    /// Records read from them (advisories, KEV entries, EPSS rows), before duplicates are merged.
    pub records: u64,
}

/// What [`import`] did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// The new snapshot's id.
    pub id: String,
    /// The id of the snapshot it replaced, when there was one.
    pub previous_id: Option<String>,
    /// The store directory.
    pub db_dir: PathBuf,
    /// The roots imported (absolute), sorted.
    pub roots: Vec<String>,
    /// Source files in the snapshot.
    pub files: usize,
    /// Files read and parsed this time.
    pub parsed: usize,
    /// Files whose records were reused from the previous store without being parsed.
    pub reused: usize,
    /// Of those, files that were not even read (size and mtime unchanged).
    pub unread: usize,
    /// Files in the snapshot whose OpenPGP signature (`.asc`) was quick-checked only: no trusted
    /// key was given, so it shows the file is intact, not who signed it.
    pub signatures_quick_checked: usize,
    /// Files in the snapshot whose OpenPGP signature verified against one of
    /// [`ImportOptions::trusted_keys`].
    pub signatures_verified: usize,
    /// Files and records per format (`csaf`, `osv`, `nvd`, `rustsec`, `kev`, `epss`).
    pub formats: BTreeMap<String, FormatCount>,
    /// Files passed over, with the reason.
    pub skipped: Vec<Skipped>,
    /// With [`ImportOptions::skip_invalid`]: the files that failed, with their errors.
    pub invalid: Vec<StoreError>,
    /// Reader warnings of the files parsed this time (failed CSAF mandatory tests, OSV lints):
    /// `path: code location: message`.
    pub warnings: Vec<String>,
    /// Notes (a damaged previous store that was rebuilt, …).
    pub notes: Vec<String>,
    /// Size of `snapshot.bin` in bytes.
    pub bytes: u64,
}

/// A block's key: the content digest and the file name.
type BlockKey = (String, String);

enum Done {
    /// Records of a block of the previous store.
    Known {
        sha256: String,
        signer: Option<String>,
    },
    /// Newly parsed and encoded records.
    New {
        sha256: String,
        format: &'static str,
        records: u64,
        meta: Option<String>,
        lookup: Box<LookupRec>,
        bytes: Vec<u8>,
        warnings: Vec<String>,
        signer: Option<String>,
    },
    Skip(Cow<'static, str>),
}

/// The time now, as the manifest stores it.
fn now() -> (i64, u32) {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => (i64::try_from(d.as_secs()).unwrap_or(i64::MAX), d.subsec_nanos()),
        Err(_) => (0, 0),
    }
}

/// Reads, hashes, verifies and (unless its block is known) parses one file.
fn process(
    c: &Candidate,
    known: &HashMap<(String, String), usize>,
    keys: &[PublicKey],
) -> Result<Done, StoreError> {
    if c.stat.size > limits::MAX_FILE_BYTES {
        return Err(too_big(&c.path, c.stat.size));
    }
    let bytes = fs::read(&c.path).map_err(|e| StoreError::io(&c.path, "read", &e))?;
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(too_big(&c.path, bytes.len() as u64));
    }
    let sha256 = store::sha256_hex(&bytes);
    if let Some((side, _)) = &c.sidecar {
        sidecar::verify_digest(&c.path, side, &bytes)?;
    }
    let signer = match &c.signature {
        Some((asc, _)) => sidecar::verify_signature(&c.path, asc, &bytes, keys)?,
        None => None,
    };
    if known.contains_key(&(sha256.clone(), c.name.clone())) {
        return Ok(Done::Known { sha256, signer });
    }
    match records::parse(&c.path, &c.name, &bytes)? {
        Outcome::Skip(reason) => Ok(Done::Skip(Cow::Borrowed(reason))),
        Outcome::Parsed(p) => {
            let meta = match &p.records {
                records::Records::Kev { version, .. } => Some(version.clone()),
                records::Records::Epss { date, .. } => date.clone(),
                records::Records::Advisories(_) => None,
            };
            Ok(Done::New {
                sha256,
                format: p.format,
                records: p.records.len() as u64,
                meta,
                lookup: Box::new(LookupRec::of(&p.records)?),
                bytes: store::encode(&p.records)?,
                warnings: p.warnings,
                signer,
            })
        }
    }
}

fn too_big(path: &Path, size: u64) -> StoreError {
    StoreError::new(
        ErrorKind::Limit,
        format!(
            "{size} bytes is more than the {} bytes one file may have",
            limits::MAX_FILE_BYTES
        ),
    )
    .at(path)
}

/// Whether a manifest entry still stands for a candidate without reading it: the same size and
/// mtime for the file, its `.sha512` and its `.asc`, and, when keys are trusted, a signature that
/// verified against one of them.
fn still_valid(f: &FileEntry, c: &Candidate, trusted: &HashSet<String>) -> bool {
    let stat = |s: &Option<(PathBuf, store::Stat)>| s.as_ref().map(|s| s.1);
    f.stat == c.stat
        && f.sidecar == stat(&c.sidecar)
        && f.signature.as_ref().map(|s| s.stat) == stat(&c.signature)
        && (trusted.is_empty()
            || f.signature
                .as_ref()
                .is_none_or(|s| s.signer.as_ref().is_some_and(|k| trusted.contains(k))))
}

/// How many files' signatures were quick-checked only, and how many verified against a trusted
/// key.
fn signature_counts(files: &[FileEntry], trusted: &HashSet<String>) -> (usize, usize) {
    let (mut quick, mut verified) = (0, 0);
    for s in files.iter().filter_map(|f| f.signature.as_ref()) {
        if s.signer.as_ref().is_some_and(|k| trusted.contains(k)) {
            verified += 1;
        } else {
            quick += 1;
        }
    }
    (quick, verified)
}

/// The report of an import that would change nothing: the same roots, and every file found has
/// the size and mtime (and `.sha512`) the manifest recorded, none of them modified within a second
/// of the previous import, and the store passes its checksums. No input is read and nothing is
/// written then.
fn unchanged(
    db_dir: &Path,
    roots: &[String],
    candidates: &[Candidate],
    name_skipped: &[Skipped],
    trusted: &HashSet<String>,
) -> Option<ImportReport> {
    let disk = store::read_header(db_dir).ok()??;
    let h = &disk.header;
    if h.roots != roots || h.files.len() + h.skipped.len() != candidates.len() {
        return None;
    }
    let racy_after = (h.started.0 - 1, 0);
    let mut files = h.files.iter().peekable();
    let mut skips = h.skipped.iter().peekable();
    for c in candidates {
        if (c.stat.mtime_s, c.stat.mtime_ns) >= racy_after {
            return None;
        }
        let abs = c.abs.to_string_lossy();
        if let Some(f) = files.next_if(|f| f.abs == abs) {
            if !still_valid(f, c, trusted) {
                return None;
            }
        } else if let Some(f) = skips.next_if(|f| f.abs == abs) {
            if f.stat != c.stat {
                return None;
            }
        } else {
            return None;
        }
    }
    // The inputs did not change; the store must still be whole, or this import rebuilds it.
    disk.verify(par::default_threads()).ok()?;
    let mut skipped = name_skipped.to_vec();
    skipped.extend(h.skipped.iter().map(|s| Skipped {
        path: PathBuf::from(&s.path),
        reason: s.reason.clone(),
    }));
    let (signatures_quick_checked, signatures_verified) = signature_counts(&h.files, trusted);
    Some(ImportReport {
        id: h.id.clone(),
        previous_id: Some(h.id.clone()),
        db_dir: db_dir.to_path_buf(),
        roots: h.roots.clone(),
        files: h.files.len(),
        parsed: 0,
        reused: h.files.len(),
        unread: h.files.len(),
        signatures_quick_checked,
        signatures_verified,
        formats: summary::formats(h),
        skipped,
        invalid: Vec::new(),
        warnings: Vec::new(),
        notes: vec!["nothing changed since the previous import; the store was not rewritten".into()],
        bytes: disk.len,
    })
}

/// Imports advisory files and directories into the store at `db_dir`, replacing its snapshot.
///
/// The new snapshot holds exactly the files found under `paths`. Nothing is written unless every
/// file is read (or, with [`ImportOptions::skip_invalid`], every valid one); the write is atomic.
pub fn import(
    paths: &[PathBuf],
    db_dir: &Path,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport, StoreError> {
    let started = now();
    let threads = if options.threads == 0 {
        par::default_threads()
    } else {
        options.threads
    };
    if paths.is_empty() {
        return Err(StoreError::new(ErrorKind::Io, "no paths to import"));
    }
    // Held until the import returns: a second import into the same store waits here.
    let _lock = store::lock(db_dir, || {
        progress.note("another import into this store is running; waiting for it to finish");
    })?;
    store::remove_stale_temporaries(db_dir);
    progress.begin("finding files", Unit::Files, None);
    let mut roots: Vec<String> = paths
        .iter()
        .map(|p| {
            fs::canonicalize(p)
                .map(|a| a.to_string_lossy().into_owned())
                .map_err(|e| StoreError::io(p, "read", &e))
        })
        .collect::<Result<_, _>>()?;
    roots.sort();
    roots.dedup();
    // The store's own files are never inputs, even when a root contains the store.
    let own: Vec<PathBuf> = [store::SNAPSHOT_BIN, store::SNAPSHOT_JSON, store::LOCK]
        .iter()
        .filter_map(|n| fs::canonicalize(db_dir.join(n)).ok())
        .collect();
    let (candidates, mut skipped) = walk::walk(paths, &own)?;
    progress.end();
    let trusted: HashSet<String> = options
        .trusted_keys
        .iter()
        .map(|k| k.fingerprint.to_string())
        .collect();
    if !options.rehash
        && let Some(report) = unchanged(db_dir, &roots, &candidates, &skipped, &trusted)
    {
        return Ok(report);
    }

    let mut notes = Vec::new();
    let previous = match StoreFile::read(db_dir).and_then(|s| match s {
        Some(s) => s.verify(threads).map(|()| Some(s)),
        None => Ok(None),
    }) {
        Ok(p) => p,
        Err(e) if matches!(e.kind, ErrorKind::Corrupt | ErrorKind::Version) => {
            notes.push(format!("the previous store was not reused: {e}"));
            None
        }
        Err(e) => return Err(e),
    };
    let mut known: HashMap<(String, String), usize> = HashMap::new();
    let mut by_path: HashMap<&str, &FileEntry> = HashMap::new();
    let mut skipped_before: HashMap<&str, &SkippedEntry> = HashMap::new();
    if let Some(p) = &previous {
        for f in &p.header.skipped {
            skipped_before.insert(f.abs.as_str(), f);
        }
        for (i, b) in p.header.blocks.iter().enumerate() {
            known.insert((b.sha256.clone(), b.name.clone()), i);
        }
        for f in &p.header.files {
            by_path.insert(f.abs.as_str(), f);
        }
    }
    let racy_after = previous
        .as_ref()
        .map_or((i64::MIN, 0), |p| (p.header.started.0 - 1, 0));

    // Files whose stat matches the manifest are not read at all.
    let mut unread: Vec<(usize, Done)> = Vec::new();
    let mut jobs: Vec<usize> = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let abs = c.abs.to_string_lossy();
        let unchanged_stat = !options.rehash && (c.stat.mtime_s, c.stat.mtime_ns) < racy_after;
        let old = by_path.get(abs.as_ref()).filter(|f| {
            unchanged_stat
                && still_valid(f, c, &trusted)
                && known.contains_key(&(f.sha256.clone(), c.name.clone()))
        });
        let old_skip = skipped_before
            .get(abs.as_ref())
            .filter(|f| unchanged_stat && f.stat == c.stat);
        match (old, old_skip) {
            (Some(f), _) => unread.push((
                i,
                Done::Known {
                    sha256: f.sha256.clone(),
                    signer: f.signature.as_ref().and_then(|s| s.signer.clone()),
                },
            )),
            (None, Some(f)) => unread.push((i, Done::Skip(Cow::Owned(f.reason.clone())))),
            (None, None) => jobs.push(i),
        }
    }
    // Largest first, so the threads finish together.
    jobs.sort_by_key(|&i| std::cmp::Reverse(candidates[i].stat.size));
    progress.begin("reading and parsing", Unit::Files, Some(jobs.len() as u64));
    let results = par::map(&jobs, threads, |&i| {
        let r = process(&candidates[i], &known, &options.trusted_keys);
        progress.advance(1);
        r
    });
    progress.end();

    let mut done: Vec<Option<Result<Done, StoreError>>> = (0..candidates.len()).map(|_| None).collect();
    for (&i, r) in jobs.iter().zip(results) {
        done[i] = Some(r);
    }
    let unread_count = unread
        .iter()
        .filter(|(_, d)| matches!(d, Done::Known { .. }))
        .count();
    for (i, d) in unread {
        done[i] = Some(Ok(d));
    }

    let mut invalid: Vec<StoreError> = Vec::new();
    let mut warnings = Vec::new();
    let mut parsed = 0usize;
    let mut reused = 0usize;
    // Blocks by (digest, name): an index into the previous store, or new bytes.
    let mut blocks: BTreeMap<BlockKey, (BlockEntry, Cow<'_, [u8]>)> = BTreeMap::new();
    // Each file with its content digest and the key its signature verified against.
    let mut members: Vec<(&Candidate, String, Option<String>)> = Vec::new();
    let mut content_skipped: Vec<SkippedEntry> = Vec::new();
    for (c, d) in candidates.iter().zip(done) {
        match d {
            None => {}
            Some(Err(e)) => invalid.push(e),
            Some(Ok(Done::Skip(reason))) => {
                skipped.push(Skipped {
                    path: c.path.clone(),
                    reason: reason.clone().into_owned(),
                });
                content_skipped.push(SkippedEntry {
                    path: c.path.to_string_lossy().into_owned(),
                    abs: c.abs.to_string_lossy().into_owned(),
                    stat: c.stat,
                    reason: reason.into_owned(),
                });
            }
            Some(Ok(Done::Known { sha256, signer })) => {
                reused += 1;
                let key = (sha256.clone(), c.name.clone());
                if let (Some(p), Some(&bi)) = (&previous, known.get(&key)) {
                    blocks
                        .entry(key)
                        .or_insert_with(|| (p.header.blocks[bi].clone(), Cow::Borrowed(p.block_bytes(bi))));
                }
                members.push((c, sha256, signer));
            }
            Some(Ok(Done::New {
                sha256,
                format,
                records,
                meta,
                lookup,
                bytes,
                warnings: w,
                signer,
            })) => {
                parsed += 1;
                warnings.extend(w.into_iter().map(|w| format!("{}: {w}", c.path.display())));
                blocks.entry((sha256.clone(), c.name.clone())).or_insert_with(|| {
                    (
                        BlockEntry {
                            sha256: sha256.clone(),
                            name: c.name.clone(),
                            format: format.into(),
                            records,
                            meta,
                            offset: 0,
                            len: 0,
                            lookup: *lookup,
                        },
                        Cow::Owned(bytes),
                    )
                });
                members.push((c, sha256, signer));
            }
        }
    }
    // With trusted keys, every CSAF document must carry a signature that verified against one of
    // them: one without a signature (never signed, or its `.asc` removed) is refused.
    if !trusted.is_empty() {
        let unsigned: Vec<usize> = members
            .iter()
            .enumerate()
            .filter(|(_, (c, sha256, signer))| {
                signer.is_none()
                    && blocks
                        .get(&(sha256.clone(), c.name.clone()))
                        .is_some_and(|(b, _)| b.format == "csaf")
            })
            .map(|(i, _)| i)
            .collect();
        for &i in unsigned.iter().rev() {
            let (c, _, _) = members.remove(i);
            invalid.push(
                StoreError::new(
                    ErrorKind::Integrity,
                    "a CSAF document without an OpenPGP signature (.asc) beside it; with \
                     --csaf-key every CSAF document must be signed by one of the keys",
                )
                .at(&c.path),
            );
        }
        if !unsigned.is_empty() {
            // Blocks only the refused files used are not written.
            let used: HashSet<(String, String)> = members
                .iter()
                .map(|(c, sha256, _)| (sha256.clone(), c.name.clone()))
                .collect();
            blocks.retain(|k, _| used.contains(k));
        }
    }
    if !invalid.is_empty() && !options.skip_invalid {
        let more = invalid.len() - 1;
        let mut first = invalid.swap_remove(0);
        if more > 0 {
            first.message.push_str(&format!(
                " (and {more} more invalid file{})",
                if more == 1 { "" } else { "s" }
            ));
        }
        return Err(first);
    }
    if members.is_empty() {
        return Err(StoreError::new(
            ErrorKind::UnknownFormat,
            "no advisory, KEV or EPSS file found; the store is unchanged",
        )
        .at(&paths[0]));
    }
    let total: u64 = blocks.values().map(|b| b.0.records).sum();
    if total > limits::MAX_RECORDS {
        return Err(StoreError::new(
            ErrorKind::Limit,
            format!(
                "{total} records is more than the {} one store may hold",
                limits::MAX_RECORDS
            ),
        ));
    }

    let index: HashMap<(String, String), u32> = blocks
        .keys()
        .enumerate()
        .map(|(i, k)| (k.clone(), u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    let mut files: Vec<FileEntry> = Vec::with_capacity(members.len());
    let mut sources: Vec<SourceFile> = Vec::with_capacity(members.len());
    for (c, sha256, signer) in members {
        let key = (sha256, c.name.clone());
        let (Some(&block), Some((entry, _))) = (index.get(&key), blocks.get(&key)) else {
            continue;
        };
        sources.push(SourceFile {
            path: c.path.to_string_lossy().into_owned(),
            sha256: key.0.clone(),
            format: entry.format.clone(),
            records: usize::try_from(entry.records).unwrap_or(usize::MAX),
        });
        files.push(FileEntry {
            path: c.path.to_string_lossy().into_owned(),
            abs: c.abs.to_string_lossy().into_owned(),
            stat: c.stat,
            sidecar: c.sidecar.as_ref().map(|s| s.1),
            signature: c.signature.as_ref().map(|s| SignatureEntry { stat: s.1, signer }),
            sha256: key.0,
            block,
        });
    }
    let id = Snapshot::id_for(&sources, store::sha256_hex);
    let (entries, data): (Vec<BlockEntry>, Vec<Cow<'_, [u8]>>) = blocks.into_values().unzip();
    let header = Header {
        id: id.clone(),
        roots: roots.clone(),
        started,
        files,
        skipped: content_skipped,
        blocks: entries,
        chunks: Vec::new(),
    };
    let previous_id = previous.as_ref().map(|p| p.header.id.clone());
    let formats = summary::formats(&header);
    let (signatures_quick_checked, signatures_verified) = signature_counts(&header.files, &trusted);
    let summary_json = summary::json(&header);
    // The same manifest and blocks as the previous store (a --rehash that found no change):
    // nothing to write.
    let same = previous.as_ref().is_some_and(|p| {
        let old = &p.header;
        old.id == header.id
            && old.roots == header.roots
            && old.files == header.files
            && old.skipped == header.skipped
            && old.blocks.len() == header.blocks.len()
            && old
                .blocks
                .iter()
                .zip(&header.blocks)
                .all(|(a, b)| (&a.sha256, &a.name, a.len) == (&b.sha256, &b.name, b.len))
    });
    let bytes = if same {
        notes.push("nothing changed since the previous import; the store was not rewritten".into());
        previous.as_ref().map_or(0, StoreFile::len)
    } else {
        progress.begin("writing the store", Unit::Files, None);
        let bytes = store::write(db_dir, header, &data)?;
        summary::write(db_dir, &summary_json)?;
        progress.end();
        bytes
    };

    Ok(ImportReport {
        id,
        previous_id,
        db_dir: db_dir.to_path_buf(),
        roots,
        files: sources.len(),
        parsed,
        reused,
        unread: unread_count,
        signatures_quick_checked,
        signatures_verified,
        formats,
        skipped,
        invalid,
        warnings,
        notes,
        bytes,
    })
}
