//! Wire types: the stable JSON and CSV shapes of Levee's catalog output, and the advisory data a
//! result rests on.
//!
//! Fields are only ever added, never renamed or removed, within a major version. Absent values are
//! `null`, never missing, so consumers can rely on every key being present.

use levee_catalog::{Requirement, Verification};
use serde::Serialize;

/// One catalog row, as `catalog list --format json` and `catalog show --format json` print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CatalogRow {
    /// The id as the standard writes it, e.g. `SR 1.1 RE 2`.
    pub id: String,
    /// `2-1`, `3-2`, `3-3`, `4-1` or `4-2`.
    pub part: String,
    /// The edition year, e.g. `2013`.
    pub edition: String,
    /// `system-requirement`, `component-requirement`, `requirement-enhancement`, `zcr`,
    /// `zcr-requirement`, `process-requirement`, `security-program-element`, `element`,
    /// `program-requirement`, `category` or `element-group`.
    pub kind: String,
    /// The foundational requirement 1–7 (3-3 and 4-2), else null.
    pub fr: Option<u8>,
    /// Our own short title (never the normative text).
    pub title: String,
    /// Whether the row is required at SL1..SL4 (3-3 and 4-2), else null.
    pub sl: Option<SlFlagsWire>,
    /// The lowest SL that requires the row, else null.
    pub min_sl: Option<u8>,
    /// The base requirement of an enhancement, else null.
    pub base: Option<String>,
    /// The enclosing group (4-1 practice, 3-2 ZCR, 2-1 element or category), else null.
    pub group: Option<String>,
    /// For 4-2: `all` or the one component type the row applies to, else null.
    pub component_type: Option<String>,
    /// For 4-2: the 3-3 system requirement with the same number, else null.
    pub counterpart: Option<String>,
    /// The evidence behind the SL flags (3-3 and 4-2), else null.
    pub verification: Option<VerificationWire>,
}

/// SL1..SL4 flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SlFlagsWire {
    /// Required at SL1.
    pub sl1: bool,
    /// Required at SL2.
    pub sl2: bool,
    /// Required at SL3.
    pub sl3: bool,
    /// Required at SL4.
    pub sl4: bool,
}

/// How well a row's SL flags are checked against public sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct VerificationWire {
    /// `confirmed`, `consistent`, `disputed`, `disputed-analogue`, `low-confidence` or `unverified`.
    pub status: String,
    /// Which public source says what.
    pub evidence: String,
}

impl From<&Verification> for VerificationWire {
    fn from(v: &Verification) -> Self {
        VerificationWire {
            status: v.status.as_str().to_owned(),
            evidence: v.evidence.clone(),
        }
    }
}

impl From<&Requirement> for CatalogRow {
    fn from(r: &Requirement) -> Self {
        CatalogRow {
            id: r.id.to_string(),
            part: r.part.to_string(),
            edition: r.edition.clone(),
            kind: r.kind.as_str().to_owned(),
            fr: r.fr.map(|f| f.number()),
            title: r.title.clone(),
            sl: r.sl.map(|f| SlFlagsWire {
                sl1: f.0[0],
                sl2: f.0[1],
                sl3: f.0[2],
                sl4: f.0[3],
            }),
            min_sl: r.sl.and_then(|f| f.min_level()).map(|l| l.get()),
            base: r.base.as_ref().map(ToString::to_string),
            group: r.group.as_ref().map(ToString::to_string),
            component_type: r.applicability.map(|a| a.as_str().to_owned()),
            counterpart: r.counterpart.as_ref().map(ToString::to_string),
            verification: r.verification.as_ref().map(VerificationWire::from),
        }
    }
}

/// The advisory data a scan or an assessment rests on, named in every output that has findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct AdvisoryData {
    /// The snapshot id (`sha256:…`), a hash of the source files' contents.
    pub snapshot: String,
    /// `store` (a local advisory store) or `bundled` (the subset compiled into this build).
    pub source: String,
    /// Whether the data is only the bundled subset, so findings may be missing.
    pub partial: bool,
    /// The version of the CISA KEV catalog, when it was imported.
    pub kev_version: Option<String>,
    /// The newest EPSS score date, when EPSS was imported.
    pub epss_date: Option<String>,
    /// Files and records per source format.
    pub coverage: Vec<Coverage>,
    /// For partial data, what is missing and the command that imports the full data.
    pub notice: Option<String>,
}

/// Files and records of one source format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Coverage {
    /// `csaf`, `osv`, `nvd`, `kev`, `epss`.
    pub format: String,
    /// Source files.
    pub files: u64,
    /// Records read from them.
    pub records: u64,
}

impl AdvisoryData {
    /// Data known only by its snapshot id (tests and callers without store details).
    pub fn named(snapshot: &str) -> AdvisoryData {
        AdvisoryData {
            snapshot: snapshot.to_owned(),
            source: "store".to_owned(),
            partial: false,
            kev_version: None,
            epss_date: None,
            coverage: Vec::new(),
            notice: None,
        }
    }

    /// The coverage as one line: `csaf: 168 files, 370 records; kev: 1 file, 1404 records`.
    pub fn coverage_text(&self) -> String {
        let parts: Vec<String> = self
            .coverage
            .iter()
            .map(|c| {
                let files = crate::table::count(c.files, "file", "files");
                format!(
                    "{}: {files}, {}",
                    c.format,
                    crate::table::count(c.records, "record", "records")
                )
            })
            .collect();
        if parts.is_empty() {
            "no advisory data".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// One project diagnostic, as `levee validate --format json` (and `assess` on an invalid
/// project) prints a list of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// The stable kebab-case code (docs/project-format.md lists them).
    pub code: String,
    /// `error` or `warning`.
    pub severity: String,
    /// The file, relative to the project directory.
    pub file: String,
    /// The file as a path from the current directory.
    pub path: String,
    /// 1-based line (0 when the problem is about the whole file).
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

/// What `levee init --format json` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct InitReport {
    /// The project directory.
    pub dir: String,
    /// `asset-owner` or `product`.
    pub kind: String,
    /// The files written.
    pub files: Vec<String>,
}

/// What `levee catalog import-text --format json` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct OverlayImport {
    /// Entries read from the file.
    pub imported: usize,
    /// Of those, entries for ids that had no text before.
    pub new: usize,
    /// Of those, entries that replaced earlier text.
    pub replaced: usize,
    /// Entries stored now.
    pub total: usize,
    /// The overlay file in the data directory.
    pub path: String,
}
