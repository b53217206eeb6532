//! Advisory files added to data already open: what a long-running server does when a user
//! imports files through its API (`levee db import FILE --server URL`). The files are read by the
//! same import as `levee db import` (into a temporary store: every format, the same checks, all
//! or nothing), and their records are added to the open data, which keeps everything it had: a
//! server on the bundled subset or on a store keeps it and gains the new advisories.

use std::collections::BTreeMap;

use levee_vulndb::{ImportOptions, NoProgress};
use sha2::{Digest, Sha256};

use crate::data::{AdvisoryData, store_error};
use crate::error::{EngineError, ErrorKind};

/// The longest file name kept for an imported file.
const MAX_NAME: usize = 120;

/// A file name safe to write: the last path part, letters, digits, `.`, `-` and `_` only (the
/// extension still tells gzip, zip and YAML apart).
pub fn safe_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(MAX_NAME)
        .collect();
    let clean = clean.trim_start_matches('.').to_owned();
    if clean.is_empty() {
        "advisory.json".to_owned()
    } else {
        clean
    }
}

/// `base` with the records of `files` (name, bytes) added. An unreadable file fails the whole
/// call with the import's error and hint, and `base` is unchanged.
pub fn with_files(base: &AdvisoryData, files: &[(String, Vec<u8>)]) -> Result<AdvisoryData, EngineError> {
    let mut snapshot = base.snapshot.clone();
    let mut provenance = base.provenance.clone();
    if files.is_empty() {
        return Ok(AdvisoryData {
            snapshot,
            graph: base.graph.clone(),
            aliases: base.aliases.clone(),
            provenance,
            store: base.store.clone(),
        });
    }
    let tmp = tempfile::Builder::new()
        .prefix("levee-advisories-")
        .tempdir()
        .map_err(|e| EngineError::new(ErrorKind::Write, format!("a temporary directory: {e}")))?;
    let input = tmp.path().join("in");
    let db = tmp.path().join("db");
    std::fs::create_dir_all(&input)
        .map_err(|e| EngineError::new(ErrorKind::Write, format!("a temporary directory: {e}")))?;
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for (i, (name, bytes)) in files.iter().enumerate() {
        let clean = safe_name(name);
        let path = input.join(format!("{i:05}-{clean}"));
        crate::files::write_atomic(&path, bytes, levee_io::Mode::Shared)?;
        names.insert(levee_core::hex(&Sha256::digest(bytes)), clean);
    }
    levee_vulndb::import(&[input], &db, &ImportOptions::default(), &NoProgress)
        .map_err(|e| store_error(&e, None))?;
    let (added, _) = levee_vulndb::open(Some(&db)).map_err(|e| store_error(&e, None))?;

    let material = format!("{}\n{}", base.snapshot.id, added.id);
    snapshot.id = format!("sha256:{}", levee_core::hex(&Sha256::digest(material.as_bytes())));
    let mut coverage: BTreeMap<String, (u64, u64)> = provenance
        .coverage
        .iter()
        .map(|c| (c.format.clone(), (c.files, c.records)))
        .collect();
    for mut s in added.sources {
        let c = coverage.entry(s.format.clone()).or_default();
        c.0 += 1;
        c.1 += s.records as u64;
        s.path = format!("imported:{}", names.get(&s.sha256).map_or("file", String::as_str));
        snapshot.sources.push(s);
    }
    // A snapshot opened for one scan carries the alias graph of the whole data: the added
    // advisories join it (after the de-duplication below the graph may hold ids of a replaced
    // copy too, as it would for a second import of the same file).
    let graph = base.graph.clone().map(|mut g| {
        for a in &added.advisories {
            g.add_advisory(a);
        }
        g
    });
    snapshot.advisories.extend(added.advisories);
    snapshot
        .advisories
        .sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.source.cmp(&b.source)));
    snapshot
        .advisories
        .dedup_by(|a, b| a.id == b.id && a.source == b.source);
    snapshot.kev.extend(added.kev);
    snapshot.epss.extend(added.epss);
    if added.kev_version.is_some() {
        snapshot.kev_version = added.kev_version;
    }
    if added.epss_date.is_some() {
        snapshot.epss_date = added.epss_date;
    }
    snapshot.canonicalise();
    provenance.snapshot = snapshot.id.clone();
    provenance.kev_version = snapshot.kev_version.clone();
    provenance.epss_date = snapshot.epss_date.clone();
    provenance.coverage = coverage
        .into_iter()
        .map(|(format, (files, records))| levee_report::wire::Coverage {
            format,
            files,
            records,
        })
        .collect();
    Ok(AdvisoryData {
        snapshot,
        graph,
        aliases: base.aliases.clone(),
        provenance,
        store: base.store.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe_and_keep_their_extension() {
        assert_eq!(safe_name("../../etc/x.json.gz"), "x.json.gz");
        assert_eq!(safe_name("a b\\c;d.yaml"), "c_d.yaml");
        assert_eq!(safe_name("..."), "advisory.json");
        assert_eq!(safe_name(""), "advisory.json");
    }
}
