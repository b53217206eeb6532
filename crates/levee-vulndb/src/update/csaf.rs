//! CSAF documents listed by a ROLIE feed (RFC 8322), as CSAF providers publish them: one entry per
//! document, with links to the document (`self` or `content.src`), its digest (`hash`) and its
//! OpenPGP signature (`signature`).
//!
//! A document is downloaded when it is not on disk yet or its entry's `updated` changed; its
//! `.sha512` (or `.sha256`) digest and its OpenPGP signature are checked (the signature
//! quick-checked, or verified when trusted keys are given) and kept beside it as `.sha512` and
//! `.asc`, so every later import checks them again.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use levee_advisory::openpgp::PublicKey;
use serde::Deserialize;

use super::http::{Client, finish, part_path};
use super::{Feed, FeedReport, UpdateOptions, check_parses, download_checked, file_name, safe_name};
use crate::error::{ErrorKind, StoreError};
use crate::progress::{NoProgress, Progress, Unit};
use crate::sidecar::{MAX_SIDECAR_BYTES, check_signature_bytes};
use crate::{limits, par, store};

/// The largest ROLIE feed read: CISA's OT feed is about 3 MB.
const MAX_FEED_BYTES: u64 = 256 * 1024 * 1024;
/// The largest digest file read.
const MAX_DIGEST_BYTES: u64 = 4096;

#[derive(Deserialize)]
struct Rolie {
    feed: RolieFeed,
}

#[derive(Deserialize)]
struct RolieFeed {
    id: String,
    #[serde(default)]
    entry: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    updated: Option<String>,
    #[serde(default)]
    link: Vec<Link>,
    #[serde(default)]
    content: Option<Content>,
}

#[derive(Deserialize)]
struct Link {
    #[serde(default)]
    rel: String,
    href: String,
}

#[derive(Deserialize)]
struct Content {
    src: String,
}

/// One document to fetch.
struct Doc {
    url: String,
    hash: Option<String>,
    signature: Option<String>,
    updated: String,
    dest: PathBuf,
}

/// Resolves a link against the feed's URL.
fn resolve(base: &str, href: &str) -> String {
    if href.starts_with("http://") || href.starts_with("https://") {
        return href.to_owned();
    }
    if let Some(rest) = href.strip_prefix('/') {
        let origin_end = base
            .find("://")
            .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
            .unwrap_or(base.len());
        return format!("{}/{rest}", &base[..origin_end]);
    }
    let dir = base.rsplit_once('/').map_or(base, |(d, _)| d);
    format!("{dir}/{href}")
}

/// Where a document goes: `<dir>/<year>/<name>` when the URL has a year folder, else `<dir>/<name>`.
fn destination(dir: &Path, url: &str) -> Option<PathBuf> {
    let name = file_name(url, "");
    if name.is_empty() || !name.to_ascii_lowercase().ends_with(".json") {
        return None;
    }
    let path = url.split(['?', '#']).next().unwrap_or("");
    let mut segments = path.rsplit('/');
    segments.next();
    match segments.next() {
        Some(y) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => Some(dir.join(y).join(name)),
        _ => Some(dir.join(name)),
    }
}

fn check_digest(url: &str, bytes: &[u8], hash_url: &str, text: &str) -> Result<(), StoreError> {
    if hash_url.to_ascii_lowercase().ends_with(".sha256") {
        let expected = text.split_whitespace().next().unwrap_or("");
        if store::sha256_hex(bytes).eq_ignore_ascii_case(expected) {
            return Ok(());
        }
        return Err(StoreError::new(
            ErrorKind::Integrity,
            format!("the document does not match its SHA-256 digest {hash_url}"),
        )
        .at(url));
    }
    levee_advisory::csaf::verify_sha512(bytes, text).map_err(|e| {
        StoreError::new(
            ErrorKind::Integrity,
            format!("the document does not match its digest {hash_url}: {}", e.message),
        )
        .at(url)
    })
}

/// Writes `bytes` to `<dest><ext>`, or removes that file when there is nothing to keep (so no
/// digest or signature of an older version lingers).
fn keep_beside(dest: &Path, ext: &str, bytes: Option<&[u8]>) -> Result<(), StoreError> {
    let mut side = dest.as_os_str().to_owned();
    side.push(ext);
    let side = PathBuf::from(side);
    match bytes {
        Some(b) => store::write_atomic(&side, |w| w.write_all(b)),
        None => {
            let _ = fs::remove_file(&side);
            Ok(())
        }
    }
}

/// Downloads, checks and places one document; returns its size.
fn fetch_doc(client: &Client, doc: &Doc, keys: &[PublicKey]) -> Result<u64, StoreError> {
    let name = doc
        .dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let digest = match &doc.hash {
        Some(h) => Some(
            String::from_utf8(client.fetch(h, MAX_DIGEST_BYTES)?).map_err(|_| {
                StoreError::new(ErrorKind::Integrity, "the digest file is not text").at(h.as_str())
            })?,
        ),
        None => None,
    };
    if doc.signature.is_none() && !keys.is_empty() {
        // With trusted keys every document must be signed: a feed entry that drops its signature
        // link must not slip an unsigned document in (or delete the signature checked before).
        return Err(StoreError::new(
            ErrorKind::Integrity,
            "the feed lists no OpenPGP signature for this document, and trusted keys were given \
             (--csaf-key): every CSAF document must be signed by one of them",
        )
        .at(doc.url.as_str()));
    }
    let signature = doc
        .signature
        .as_deref()
        .map(|s| client.fetch(s, MAX_SIDECAR_BYTES))
        .transpose()?;
    if let Some(parent) = doc.dest.parent() {
        fs::create_dir_all(parent).map_err(|e| StoreError::io(parent, "create", &e))?;
    }
    let part = part_path(&doc.dest);
    let size = download_checked(client, &doc.url, &part, &NoProgress, |part| {
        let bytes = check_parses(&doc.url, part, &name)?;
        if let (Some(h), Some(text)) = (&doc.hash, &digest) {
            check_digest(&doc.url, &bytes, h, text)?;
        }
        if let (Some(s), Some(sig)) = (&doc.signature, &signature) {
            check_signature_bytes(Path::new(&doc.url), Path::new(s), sig, &bytes, keys)?;
        }
        Ok(())
    })?;
    // Only a .sha512 is read by an import; a .sha256 was checked here and is not kept.
    let sha512 = digest.as_ref().filter(|_| {
        doc.hash
            .as_ref()
            .is_some_and(|h| !h.to_ascii_lowercase().ends_with(".sha256"))
    });
    keep_beside(&doc.dest, ".sha512", sha512.map(|t| t.as_bytes()))?;
    keep_beside(&doc.dest, ".asc", signature.as_deref())?;
    finish(&part, &doc.dest)?;
    Ok(size)
}

/// Updates the documents of one ROLIE feed under `dir/<feed id>/`.
pub(super) fn update(
    client: &Client,
    url: &str,
    dir: &Path,
    options: &UpdateOptions,
    progress: &dyn Progress,
) -> Result<(FeedReport, Vec<String>), StoreError> {
    let feed_err = |m: String| StoreError::new(ErrorKind::Feed, m).at(url);
    progress.begin("fetching the CSAF feed", Unit::Files, None);
    let body = client.fetch(url, MAX_FEED_BYTES);
    progress.end();
    let rolie: Rolie =
        serde_json::from_slice(&body?).map_err(|e| feed_err(format!("not a ROLIE feed: {e}")))?;
    if rolie.feed.entry.len() > limits::MAX_FILES {
        return Err(feed_err(format!(
            "{} entries is too many",
            rolie.feed.entry.len()
        )));
    }
    let feed_id: String = rolie
        .feed
        .id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !safe_name(&feed_id) {
        return Err(feed_err(format!("unusable feed id `{}`", rolie.feed.id)));
    }
    let dir = dir.join(feed_id);
    let state_path = dir.join(".state.json");
    let mut state: BTreeMap<String, String> = fs::read(&state_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();

    let mut notes = Vec::new();
    let mut docs = Vec::new();
    let mut unchanged = 0usize;
    let mut signed = 0usize;
    for (i, e) in rolie.feed.entry.iter().enumerate() {
        let href = e
            .link
            .iter()
            .find(|l| l.rel == "self")
            .map(|l| l.href.as_str())
            .or(e.content.as_ref().map(|c| c.src.as_str()))
            .ok_or_else(|| feed_err(format!("entry {i} links no document")))?;
        let doc_url = resolve(url, href);
        let dest = destination(&dir, &doc_url)
            .ok_or_else(|| feed_err(format!("entry {i}: `{doc_url}` is not a usable JSON file name")))?;
        let hash = e
            .link
            .iter()
            .find(|l| l.rel == "hash")
            .map(|l| resolve(url, &l.href));
        let signature = e
            .link
            .iter()
            .find(|l| l.rel == "signature")
            .map(|l| resolve(url, &l.href));
        signed += usize::from(signature.is_some());
        let updated = e.updated.clone().unwrap_or_default();
        if dest.is_file() && !updated.is_empty() && state.get(&doc_url) == Some(&updated) {
            unchanged += 1;
            continue;
        }
        docs.push(Doc {
            url: doc_url,
            hash,
            signature,
            updated,
            dest,
        });
    }
    if signed > 0 && options.import.trusted_keys.is_empty() {
        notes.push(format!(
            "{signed} CSAF documents carry OpenPGP signatures; without trusted keys they are only \
             quick-checked, which shows a document is intact, not who signed it"
        ));
    }
    progress.begin("downloading CSAF documents", Unit::Files, Some(docs.len() as u64));
    let results = par::map(&docs, options.parallel_downloads.max(1), |d| {
        let r = fetch_doc(client, d, &options.import.trusted_keys);
        progress.advance(1);
        r
    });
    progress.end();
    let mut first_error = None;
    let mut failed = 0usize;
    let mut bytes = 0u64;
    let mut downloaded = 0usize;
    for (d, r) in docs.iter().zip(results) {
        match r {
            Ok(n) => {
                bytes += n;
                downloaded += 1;
                if !d.updated.is_empty() {
                    state.insert(d.url.clone(), d.updated.clone());
                }
            }
            Err(e) => {
                failed += 1;
                state.remove(&d.url);
                first_error.get_or_insert(e);
            }
        }
    }
    if let Ok(text) = serde_json::to_vec_pretty(&state) {
        fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, "create", &e))?;
        store::write_atomic(&state_path, |w| w.write_all(&text))?;
    }
    if let Some(mut e) = first_error {
        if failed > 1 {
            e.message
                .push_str(&format!(" (and {} more documents failed)", failed - 1));
        }
        return Err(e);
    }
    Ok((
        FeedReport {
            feed: Feed::Csaf,
            url: url.to_owned(),
            downloaded,
            unchanged,
            bytes,
        },
        notes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_and_land_in_year_folders() {
        assert_eq!(
            resolve("https://h/a/feed.json", "2024/x.json"),
            "https://h/a/2024/x.json"
        );
        assert_eq!(
            resolve("https://h/a/feed.json", "/b/x.json"),
            "https://h/b/x.json"
        );
        assert_eq!(
            resolve("https://h/a/feed.json", "http://o/x.json"),
            "http://o/x.json"
        );
        let d = Path::new("/s");
        assert_eq!(
            destination(d, "https://h/white/2024/icsa-24-1.json"),
            Some(PathBuf::from("/s/2024/icsa-24-1.json"))
        );
        assert_eq!(
            destination(d, "https://h/white/icsa.json"),
            Some(PathBuf::from("/s/icsa.json"))
        );
        assert_eq!(destination(d, "https://h/white/../.."), None);
        assert_eq!(destination(d, "https://h/white/x.exe"), None);
    }
}
