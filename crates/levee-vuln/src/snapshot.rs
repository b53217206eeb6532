//! The advisory snapshot: everything one scan matches against, identified by a content hash.
//!
//! A [`Snapshot`] is plain data: the normalised advisories of every imported source, KEV and EPSS
//! joined by CVE, and the list of source files with their SHA-256. The advisory store (import,
//! persistence, update) builds and saves snapshots; the matcher only reads them. Every scan reports
//! the snapshot id, so a finding names the exact data it came from.

use std::collections::BTreeMap;

use levee_advisory::Advisory;
use serde::{Deserialize, Serialize};

/// One imported source file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceFile {
    /// Where it was read from, as the user gave it (for messages; not part of the id).
    pub path: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The format read: `csaf`, `osv`, `nvd`, `rustsec`, `kev`, `epss`.
    pub format: String,
    /// Advisories (or KEV/EPSS rows) it contributed.
    pub records: usize,
}

/// KEV facts about one CVE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevInfo {
    /// When CISA added it.
    pub date_added: String,
    /// The remediation due date for US federal agencies.
    pub due_date: String,
    /// Whether it is known to be used in ransomware campaigns.
    pub ransomware: bool,
    /// Vendor/project as KEV names it.
    pub vendor_project: String,
    /// Product as KEV names it.
    pub product: String,
}

/// EPSS facts about one CVE.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpssInfo {
    /// Probability of exploitation in the next 30 days (0–1).
    pub score: f64,
    /// Percentile among all scored CVEs (0–1).
    pub percentile: f64,
}

/// Everything a scan matches against.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// `sha256:` + hex digest over the sorted source digests and the snapshot format version.
    pub id: String,
    /// The source files, sorted by digest.
    pub sources: Vec<SourceFile>,
    /// Normalised advisories, sorted by id then source.
    pub advisories: Vec<Advisory>,
    /// KEV entries by CVE id.
    pub kev: BTreeMap<String, KevInfo>,
    /// The KEV catalog version, when KEV was imported.
    pub kev_version: Option<String>,
    /// EPSS scores by CVE id.
    pub epss: BTreeMap<String, EpssInfo>,
    /// The EPSS score date, when known.
    pub epss_date: Option<String>,
}

/// Bumped whenever the meaning of a snapshot changes, so old ids never collide with new content.
pub const SNAPSHOT_FORMAT: u32 = 1;

impl Snapshot {
    /// The content id for a set of source digests: independent of paths and import order.
    pub fn id_for(sources: &[SourceFile], digest: impl Fn(&[u8]) -> String) -> String {
        let mut digests: Vec<&str> = sources.iter().map(|s| s.sha256.as_str()).collect();
        digests.sort_unstable();
        digests.dedup();
        let mut material = format!("levee-snapshot/{SNAPSHOT_FORMAT}\n");
        for d in digests {
            material.push_str(d);
            material.push('\n');
        }
        format!("sha256:{}", digest(material.as_bytes()))
    }

    /// Sorts every list so equal content serialises to equal bytes.
    pub fn canonicalise(&mut self) {
        self.sources
            .sort_by(|a, b| a.sha256.cmp(&b.sha256).then_with(|| a.path.cmp(&b.path)));
        self.advisories
            .sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.source.cmp(&b.source)));
    }
}
