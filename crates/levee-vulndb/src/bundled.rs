//! The bundled snapshot: public-domain data compiled into the binary so the first run works
//! offline — the CISA KEV catalog and a subset of CISA's ICS advisories in CSAF 2.0 (see
//! `data/bundled/PROVENANCE.md` for sources, commits, licence and how the subset was chosen).
//!
//! [`crate::open`] falls back to it when the store directory holds no snapshot. It is parsed when
//! first used, with the same readers and rules as an import, and its id is computed the same way,
//! so a scan on bundled data names its data as exactly as a scan on a store.

use std::collections::BTreeMap;

use levee_vuln::snapshot::{Snapshot, SourceFile};

use crate::assemble::{Block, assemble};
use crate::error::StoreError;
use crate::import::FormatCount;
use crate::records::{self, Outcome, Records};
use crate::summary::{DataSource, StoreInfo};
use crate::{par, store};

macro_rules! bundle {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../data/bundled/", $name)))),*]
    };
}

/// Every bundled file: its path under `data/bundled/` and its bytes.
pub const FILES: &[(&str, &[u8])] = bundle![
    "kev/known_exploited_vulnerabilities.json",
    "csaf/2023/icsa-23-026-04.json",
    "csaf/2023/icsa-23-026-06.json",
    "csaf/2023/icsa-23-068-03.json",
    "csaf/2023/icsa-23-073-04.json",
    "csaf/2023/icsa-23-075-07.json",
    "csaf/2023/icsa-23-080-06.json",
    "csaf/2023/icsa-23-082-04.json",
    "csaf/2023/icsa-23-082-05.json",
    "csaf/2023/icsa-23-108-02.json",
    "csaf/2023/icsa-23-131-09.json",
    "csaf/2023/icsa-23-131-10.json",
    "csaf/2023/icsa-23-131-14.json",
    "csaf/2023/icsa-23-131-15.json",
    "csaf/2023/icsa-23-136-02.json",
    "csaf/2023/icsa-23-136-03.json",
    "csaf/2023/icsa-23-145-01.json",
    "csaf/2023/icsa-23-164-02.json",
    "csaf/2023/icsa-23-164-03.json",
    "csaf/2023/icsa-23-164-04.json",
    "csaf/2023/icsa-23-180-02.json",
    "csaf/2023/icsa-23-192-01.json",
    "csaf/2023/icsa-23-193-01.json",
    "csaf/2023/icsa-23-194-05.json",
    "csaf/2023/icsa-23-199-01.json",
    "csaf/2023/icsa-23-201-01.json",
    "csaf/2023/icsa-23-206-02.json",
    "csaf/2023/icsa-23-220-01.json",
    "csaf/2023/icsa-23-227-01.json",
    "csaf/2023/icsa-23-227-02.json",
    "csaf/2023/icsa-23-229-03.json",
    "csaf/2023/icsa-23-234-03.json",
    "csaf/2023/icsa-23-236-06.json",
    "csaf/2023/icsa-23-257-07.json",
    "csaf/2023/icsa-23-264-04.json",
    "csaf/2023/icsa-23-264-05.json",
    "csaf/2023/icsa-23-264-06.json",
    "csaf/2023/icsa-23-271-01.json",
    "csaf/2023/icsa-23-290-01.json",
    "csaf/2023/icsa-23-290-02.json",
    "csaf/2023/icsa-23-297-01.json",
    "csaf/2023/icsa-23-299-04.json",
    "csaf/2023/icsa-23-299-05.json",
    "csaf/2023/icsa-23-299-06.json",
    "csaf/2023/icsa-23-306-06.json",
    "csaf/2023/icsa-23-318-01.json",
    "csaf/2023/icsa-23-318-02.json",
    "csaf/2023/icsa-23-341-02.json",
    "csaf/2023/icsa-23-341-06.json",
    "csaf/2023/icsa-23-346-01.json",
    "csaf/2024/icsa-24-004-01.json",
    "csaf/2024/icsa-24-011-05.json",
    "csaf/2024/icsa-24-018-01.json",
    "csaf/2024/icsa-24-030-05.json",
    "csaf/2024/icsa-24-030-06.json",
    "csaf/2024/icsa-24-030-07.json",
    "csaf/2024/icsa-24-032-03.json",
    "csaf/2024/icsa-24-046-16.json",
    "csaf/2024/icsa-24-072-01.json",
    "csaf/2024/icsa-24-086-02.json",
    "csaf/2024/icsa-24-086-03.json",
    "csaf/2024/icsa-24-086-04.json",
    "csaf/2024/icsa-24-095-02.json",
    "csaf/2024/icsa-24-102-09.json",
    "csaf/2024/icsa-24-107-03.json",
    "csaf/2024/icsa-24-130-01.json",
    "csaf/2024/icsa-24-135-01.json",
    "csaf/2024/icsa-24-137-14.json",
    "csaf/2024/icsa-24-163-01.json",
    "csaf/2024/icsa-24-163-02.json",
    "csaf/2024/icsa-24-163-03.json",
    "csaf/2024/icsa-24-165-16.json",
    "csaf/2024/icsa-24-165-17.json",
    "csaf/2024/icsa-24-165-18.json",
    "csaf/2024/icsa-24-177-01.json",
    "csaf/2024/icsa-24-193-01.json",
    "csaf/2024/icsa-24-193-02.json",
    "csaf/2024/icsa-24-193-03.json",
    "csaf/2024/icsa-24-193-04.json",
    "csaf/2024/icsa-24-193-05.json",
    "csaf/2024/icsa-24-193-06.json",
    "csaf/2024/icsa-24-193-07.json",
    "csaf/2024/icsa-24-193-08.json",
    "csaf/2024/icsa-24-193-09.json",
    "csaf/2024/icsa-24-193-10.json",
    "csaf/2024/icsa-24-193-11.json",
    "csaf/2024/icsa-24-193-12.json",
    "csaf/2024/icsa-24-193-13.json",
    "csaf/2024/icsa-24-193-14.json",
    "csaf/2024/icsa-24-193-15.json",
    "csaf/2024/icsa-24-193-16.json",
    "csaf/2024/icsa-24-193-17.json",
    "csaf/2024/icsa-24-193-18.json",
    "csaf/2024/icsa-24-193-19.json",
    "csaf/2024/icsa-24-198-01.json",
    "csaf/2024/icsa-24-207-01.json",
    "csaf/2024/icsa-24-214-09.json",
    "csaf/2024/icsa-24-226-01.json",
    "csaf/2024/icsa-24-226-02.json",
    "csaf/2024/icsa-24-226-03.json",
    "csaf/2024/icsa-24-226-04.json",
    "csaf/2024/icsa-24-226-05.json",
    "csaf/2024/icsa-24-226-06.json",
    "csaf/2024/icsa-24-226-07.json",
    "csaf/2024/icsa-24-226-09.json",
    "csaf/2024/icsa-24-226-10.json",
    "csaf/2024/icsa-24-228-01.json",
    "csaf/2024/icsa-24-228-02.json",
    "csaf/2024/icsa-24-228-03.json",
    "csaf/2024/icsa-24-228-04.json",
    "csaf/2024/icsa-24-228-05.json",
    "csaf/2024/icsa-24-228-06.json",
    "csaf/2024/icsa-24-228-07.json",
    "csaf/2024/icsa-24-228-08.json",
    "csaf/2024/icsa-24-228-09.json",
    "csaf/2024/icsa-24-228-10.json",
    "csaf/2024/icsa-24-235-01.json",
    "csaf/2024/icsa-24-235-02.json",
    "csaf/2024/icsa-24-242-01.json",
    "csaf/2024/icsa-24-254-03.json",
    "csaf/2024/icsa-24-256-01.json",
    "csaf/2024/icsa-24-256-02.json",
    "csaf/2024/icsa-24-256-03.json",
    "csaf/2024/icsa-24-256-04.json",
    "csaf/2024/icsa-24-256-05.json",
    "csaf/2024/icsa-24-256-06.json",
    "csaf/2024/icsa-24-256-07.json",
    "csaf/2024/icsa-24-256-08.json",
    "csaf/2024/icsa-24-256-09.json",
    "csaf/2024/icsa-24-256-10.json",
    "csaf/2024/icsa-24-256-11.json",
    "csaf/2024/icsa-24-256-12.json",
    "csaf/2024/icsa-24-256-13.json",
    "csaf/2024/icsa-24-256-14.json",
    "csaf/2024/icsa-24-256-15.json",
    "csaf/2024/icsa-24-256-16.json",
    "csaf/2024/icsa-24-256-18.json",
    "csaf/2024/icsa-24-256-19.json",
    "csaf/2024/icsa-24-256-20.json",
    "csaf/2024/icsa-24-256-21.json",
    "csaf/2024/icsa-24-256-22.json",
    "csaf/2024/icsa-24-256-23.json",
    "csaf/2024/icsa-24-256-24.json",
    "csaf/2024/icsa-24-256-25.json",
    "csaf/2024/icsa-24-261-01.json",
    "csaf/2024/icsa-24-263-01.json",
    "csaf/2024/icsa-24-268-05.json",
    "csaf/2024/icsa-24-284-01.json",
    "csaf/2024/icsa-24-284-02.json",
    "csaf/2024/icsa-24-284-03.json",
    "csaf/2024/icsa-24-284-04.json",
    "csaf/2024/icsa-24-284-05.json",
    "csaf/2024/icsa-24-284-06.json",
    "csaf/2024/icsa-24-284-07.json",
    "csaf/2024/icsa-24-284-08.json",
    "csaf/2024/icsa-24-284-09.json",
    "csaf/2024/icsa-24-284-10.json",
    "csaf/2024/icsa-24-284-11.json",
    "csaf/2024/icsa-24-284-12.json",
    "csaf/2024/icsa-24-284-13.json",
    "csaf/2024/icsa-24-284-14.json",
    "csaf/2024/icsa-24-284-15.json",
    "csaf/2024/icsa-24-284-16.json",
    "csaf/2024/icsa-24-284-17.json",
    "csaf/2024/icsa-24-284-18.json",
    "csaf/2024/icsa-24-284-19.json",
    "csaf/2024/icsa-24-284-20.json",
    "csaf/2024/icsa-24-289-01.json",
    "csaf/2024/icsa-24-289-02.json",
];

/// The prefix of bundled files' paths in [`Snapshot::sources`] and [`StoreInfo::roots`].
pub const PREFIX: &str = "bundled:";

/// Parses the bundled files into a snapshot, with its [`StoreInfo`].
pub fn snapshot() -> Result<(Snapshot, StoreInfo), StoreError> {
    let parsed = par::map(FILES, par::default_threads(), |(name, bytes)| {
        let path = std::path::PathBuf::from(format!("{PREFIX}{name}"));
        let base = name.rsplit('/').next().unwrap_or(name);
        records::parse(&path, base, bytes).map(|o| (store::sha256_hex(bytes), o))
    });
    let mut blocks = Vec::new();
    let mut sources = Vec::new();
    let mut formats: BTreeMap<String, FormatCount> = BTreeMap::new();
    let (mut kev_version, mut epss_date) = (None, None);
    for ((name, _), r) in FILES.iter().zip(parsed) {
        let (sha256, outcome) = r?;
        let Outcome::Parsed(p) = outcome else { continue };
        let count = formats.entry(p.format.to_owned()).or_default();
        count.files += 1;
        count.records += p.records.len() as u64;
        match &p.records {
            Records::Kev { version, .. } => kev_version = kev_version.max(Some(version.clone())),
            Records::Epss { date, .. } => epss_date = epss_date.max(date.clone()),
            Records::Advisories(_) => {}
        }
        sources.push(SourceFile {
            path: format!("{PREFIX}{name}"),
            sha256: sha256.clone(),
            format: p.format.to_owned(),
            records: p.records.len(),
        });
        blocks.push((sha256, *name, p.records));
    }
    blocks.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let id = Snapshot::id_for(&sources, store::sha256_hex);
    let info = StoreInfo {
        source: DataSource::Bundled,
        db_dir: None,
        id: id.clone(),
        roots: vec![format!("{PREFIX}kev"), format!("{PREFIX}csaf")],
        files: sources.len(),
        formats,
        kev_version,
        epss_date,
        bytes: 0,
    };
    let blocks = blocks
        .into_iter()
        .map(|(sha256, _, records)| Block { sha256, records })
        .collect();
    Ok((assemble(id, sources, blocks), info))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_matches_the_directory() {
        fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, base, out);
                } else if p.extension().is_some_and(|x| x == "json") {
                    let rel = p
                        .strip_prefix(base)
                        .map(|r| r.to_string_lossy().replace('\\', "/"));
                    out.extend(rel);
                }
            }
        }
        let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bundled");
        let mut on_disk = Vec::new();
        walk(&base, &base, &mut on_disk);
        on_disk.sort();
        let mut listed: Vec<String> = FILES.iter().map(|(n, _)| (*n).to_owned()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
        let total: usize = FILES.iter().map(|(_, b)| b.len()).sum();
        assert!(total < 6 * 1024 * 1024, "bundled data is {total} bytes");
    }

    #[test]
    fn bundled_data_parses_into_a_snapshot() -> Result<(), StoreError> {
        let (s, info) = snapshot()?;
        assert_eq!(info.source, DataSource::Bundled);
        assert_eq!(s.id, info.id);
        assert_eq!(s.kev.len(), 1404);
        assert_eq!(info.kev_version.as_deref(), Some("2025.08.25"));
        assert_eq!(info.formats["csaf"].files, 168);
        assert!(
            s.advisories
                .iter()
                .any(|a| a.document_id.as_deref() == Some("ICSA-24-004-01"))
        );
        Ok(())
    }
}
