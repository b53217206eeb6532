//! [`OpenedSnapshot`]: a snapshot and its match index, built once and owned, for a process that
//! scans many times (the server) or on several threads.

use std::path::Path;
use std::sync::Arc;

use levee_vuln::Index;
use levee_vuln::snapshot::Snapshot;
use levee_vuln::vendor::VendorAliases;

use crate::error::StoreError;
use crate::open::open;
use crate::summary::StoreInfo;

/// An opened snapshot with its match index: `Send + Sync`, built once, shared as
/// `Arc<OpenedSnapshot>` by every scan of a long-running process. Replacing it (after an import or
/// an update) is opening a new one and swapping the `Arc`; scans still running keep the old one.
#[derive(Debug)]
pub struct OpenedSnapshot {
    index: Index<'static>,
    info: StoreInfo,
}

impl OpenedSnapshot {
    /// Opens the store at `db_dir` as [`crate::open`] does (the bundled snapshot without one) and
    /// builds the match index with `aliases`, a table that lives as long as the process (the
    /// bundled one is [`VendorAliases::bundled_static`]; a user's table can be leaked once at
    /// start-up with `Box::leak`).
    pub fn open(
        db_dir: Option<&Path>,
        aliases: &'static VendorAliases,
    ) -> Result<Arc<OpenedSnapshot>, StoreError> {
        let (snapshot, info) = open(db_dir)?;
        Ok(OpenedSnapshot::new(snapshot, info, aliases))
    }

    /// An opened snapshot over data already in memory.
    pub fn new(snapshot: Snapshot, info: StoreInfo, aliases: &'static VendorAliases) -> Arc<OpenedSnapshot> {
        Arc::new(OpenedSnapshot {
            index: Index::build_shared(Arc::new(snapshot), aliases),
            info,
        })
    }

    /// The snapshot.
    pub fn snapshot(&self) -> &Snapshot {
        self.index.snapshot()
    }

    /// The match index over it.
    pub fn index(&self) -> &Index<'static> {
        &self.index
    }

    /// What the store holds (source, date, coverage).
    pub fn info(&self) -> &StoreInfo {
        &self.info
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use levee_vuln::{MatchOptions, State, match_sbom};

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn one_opened_snapshot_serves_scans_on_several_threads() {
        assert_send_sync::<OpenedSnapshot>();
        let aliases = VendorAliases::bundled_static().expect("aliases");
        let opened = OpenedSnapshot::open(None, aliases).expect("bundled snapshot");
        assert_eq!(opened.snapshot().id, opened.info().id);
        assert!(opened.index().len() > 100, "{} entries", opened.index().len());
        // A Rockwell product of the bundled subset (ICSA-23-193-01 is among its advisories).
        let sbom = levee_vuln::levee_sbom::read_sbom(
            br#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
              {"type": "firmware", "name": "1756-EN2T/D", "version": "10.6",
               "supplier": {"name": "Rockwell Automation"}}]}"#,
            None,
        )
        .expect("sbom");
        let found: Vec<Vec<String>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..2)
                .map(|_| {
                    let shared = Arc::clone(&opened);
                    let sbom = &sbom;
                    s.spawn(move || {
                        let result = match_sbom(sbom, shared.index(), &MatchOptions::default());
                        result
                            .findings
                            .iter()
                            .filter(|f| f.state == State::Affected)
                            .map(|f| f.vulnerability.clone())
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("scan thread"))
                .collect()
        });
        assert_eq!(found[0], found[1]);
        assert!(found[0].iter().any(|v| v == "CVE-2023-3595"), "{:?}", found[0]);
    }
}
