//! The files CSAF providers publish beside a document, checked with it: the `.sha512` digest and
//! the detached OpenPGP signature (`.asc`).
//!
//! A signature is always quick-checked (the left 16 bits of its hash match the document: it catches
//! accidental damage or truncation when the `.asc` itself was not replaced, and proves nothing
//! about tampering). With trusted keys, one signature in the file must verify against them and
//! none may be bad, and every CSAF document must have one (checked by the import). Any failure is an
//! [`ErrorKind::Integrity`] error naming the document and the signature file, so an import stays
//! all-or-nothing, as with a `.sha512` that does not match.

use std::fs;
use std::path::Path;

use levee_advisory::openpgp::{self, PublicKey, SignatureType, Verification};

use crate::error::{ErrorKind, StoreError};

/// The largest `.sha512` or `.asc` file read beside an imported file.
pub(crate) const MAX_SIDECAR_BYTES: u64 = 64 * 1024;

/// The most signatures one `.asc` may hold: each is checked against the whole document, so the
/// count bounds the work a hostile signature file can cause.
pub(crate) const MAX_SIGNATURES: usize = 16;

/// The largest file of trusted keys read.
const MAX_KEY_FILE_BYTES: u64 = 1024 * 1024;

/// Reads at most `max` bytes of a file, refusing a larger one (by what is read, not by what the
/// file system reports, so a special file or one that grows cannot get past the limit).
fn read_bounded(path: &Path, max: u64, what: &str) -> Result<Vec<u8>, StoreError> {
    use std::io::Read;
    let file = fs::File::open(path).map_err(|e| StoreError::io(path, "read", &e))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| StoreError::io(path, "read", &e))?;
    if bytes.len() as u64 > max {
        return Err(StoreError::new(
            ErrorKind::Limit,
            format!("a {what} file larger than {} KiB", max / 1024),
        )
        .at(path));
    }
    Ok(bytes)
}

/// Reads a small file beside a document, refusing one over [`MAX_SIDECAR_BYTES`].
fn read_small(path: &Path, what: &str) -> Result<Vec<u8>, StoreError> {
    read_bounded(path, MAX_SIDECAR_BYTES, what)
}

/// Checks a document against the `.sha512` file `side`.
pub(crate) fn verify_digest(doc: &Path, side: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let text = String::from_utf8(read_small(side, ".sha512")?)
        .map_err(|_| StoreError::new(ErrorKind::Encoding, "the .sha512 file is not text").at(side))?;
    levee_advisory::csaf::verify_sha512(bytes, &text).map_err(|e| match e.kind {
        levee_advisory::ErrorKind::Integrity => StoreError::new(
            ErrorKind::Integrity,
            format!("does not match {}: {}", side.display(), e.message),
        )
        .at(doc),
        _ => StoreError::advisory(side, None, &e),
    })
}

/// Checks a document against the detached signature file `asc` (see [`check_signature_bytes`]).
pub(crate) fn verify_signature(
    doc: &Path,
    asc: &Path,
    bytes: &[u8],
    keys: &[PublicKey],
) -> Result<Option<String>, StoreError> {
    let signature = read_small(asc, ".asc")?;
    check_signature_bytes(doc, asc, &signature, bytes, keys)
}

/// Checks `document` (from `doc`) against the signature file bytes `signature` (from `asc`):
/// every signature in it must pass the quick check; with `keys`, one must verify against them and
/// none may be bad. Returns the fingerprint of the key that verified it, `None` without keys.
pub(crate) fn check_signature_bytes(
    doc: &Path,
    asc: &Path,
    signature: &[u8],
    document: &[u8],
    keys: &[PublicKey],
) -> Result<Option<String>, StoreError> {
    let integrity = |message: String| StoreError::new(ErrorKind::Integrity, message).at(doc);
    let signatures = openpgp::read_signatures(signature).map_err(|e| {
        let mut err = StoreError::advisory(asc, None, &e);
        err.kind = ErrorKind::Integrity;
        err.message = format!("cannot read the OpenPGP signature: {}", err.message);
        err
    })?;
    if signatures.len() > MAX_SIGNATURES {
        return Err(integrity(format!(
            "{} holds {} signatures; at most {MAX_SIGNATURES} are checked",
            asc.display(),
            signatures.len()
        )));
    }
    for s in &signatures {
        if let SignatureType::Other(t) = s.signature_type {
            return Err(integrity(format!(
                "{} holds a signature of type 0x{t:02X}, which does not sign a document",
                asc.display()
            )));
        }
        if !s.hash_algorithm.is_supported() {
            return Err(integrity(format!(
                "{} is made with {}, which Levee does not check",
                asc.display(),
                s.hash_algorithm
            )));
        }
        if !s.quick_check(document) {
            return Err(integrity(format!(
                "does not match its OpenPGP signature {} (changed or cut short after it was signed)",
                asc.display()
            )));
        }
    }
    if keys.is_empty() {
        return Ok(None);
    }
    let results: Vec<Verification> = signatures.iter().map(|s| s.verify(document, keys)).collect();
    let bad = results
        .iter()
        .find(|v| matches!(v, Verification::BadSignature { .. }));
    let good = results.iter().find_map(|v| match v {
        Verification::Verified { fingerprint } => Some(fingerprint.to_string()),
        _ => None,
    });
    match (bad, good) {
        (None, Some(fp)) => Ok(Some(fp)),
        (Some(v), _) => Err(integrity(format!("{}: {v}", asc.display()))),
        (None, None) => {
            let why = results
                .first()
                .map_or_else(|| "no signature".to_owned(), ToString::to_string);
            Err(integrity(format!("{}: {why}", asc.display())))
        }
    }
}

/// Reads a file of trusted OpenPGP public keys (armored or binary, as `gpg --export` writes it).
pub fn read_keys(path: &Path) -> Result<Vec<PublicKey>, StoreError> {
    let bytes = read_bounded(path, MAX_KEY_FILE_BYTES, "key")?;
    openpgp::read_public_keys(&bytes).map_err(|e| StoreError::advisory(path, None, &e))
}
