//! Wire types of the `levee db` reports (`import`, `update`, `info` with `--format json`), and
//! their tables. Field names are a promise to scripts: add, never rename or remove.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::table::Table;

/// Files and records of one format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FormatCount {
    /// Source files.
    pub files: u64,
    /// Records read from them.
    pub records: u64,
}

/// A file passed over by an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Skipped {
    /// The file.
    pub path: String,
    /// Why (a ROLIE feed, an index, a schema, not an advisory format).
    pub reason: String,
}

/// A file that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ImportError {
    /// The file, when the error is about one.
    pub path: Option<String>,
    /// The place in the file (`line 3 column 7`, a JSON pointer), when known.
    pub location: Option<String>,
    /// The stable error code.
    pub code: String,
    /// What is wrong.
    pub message: String,
}

/// Signatures checked by an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Signatures {
    /// Intact, signer unknown (no `--csaf-key`).
    pub quick_checked: u64,
    /// Verified against a `--csaf-key` key.
    pub verified: u64,
}

/// `levee db import --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ImportReport {
    /// The new snapshot id.
    pub snapshot: String,
    /// The snapshot it replaced.
    pub previous: Option<String>,
    /// The store directory.
    pub store: String,
    /// The paths imported (absolute), sorted.
    pub created_from: Vec<String>,
    /// Source files in the snapshot.
    pub files: u64,
    /// Files parsed this time.
    pub parsed: u64,
    /// Files whose records were reused.
    pub reused: u64,
    /// Of those, files not even read (size and time unchanged).
    pub unread: u64,
    /// Signatures checked.
    pub signatures: Signatures,
    /// Size of the store in bytes.
    pub bytes: u64,
    /// Files and records per format.
    pub formats: BTreeMap<String, FormatCount>,
    /// Files passed over.
    pub skipped: Vec<Skipped>,
    /// With `--skip-invalid`: the files that failed.
    pub invalid: Vec<ImportError>,
    /// Reader warnings (failed CSAF mandatory tests, OSV lints).
    pub warnings: Vec<String>,
    /// Notes.
    pub notes: Vec<String>,
}

/// One feed of an update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FeedReport {
    /// `csaf`, `kev`, `epss`, `osv` or `nvd`.
    pub feed: String,
    /// The URL fetched.
    pub url: String,
    /// Files downloaded.
    pub downloaded: u64,
    /// Files unchanged.
    pub unchanged: u64,
    /// Bytes downloaded.
    pub bytes: u64,
}

/// `levee db update --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct UpdateReport {
    /// Per feed.
    pub feeds: Vec<FeedReport>,
    /// Notes.
    pub notes: Vec<String>,
    /// The import that followed.
    pub import: ImportReport,
}

/// `levee db info --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct InfoReport {
    /// The snapshot id.
    pub snapshot: String,
    /// `store` or `bundled`.
    pub source: String,
    /// Whether the data is only the bundled subset.
    pub partial: bool,
    /// The store directory looked at.
    pub store: Option<String>,
    /// The paths the snapshot was imported from.
    pub created_from: Vec<String>,
    /// Source files.
    pub files: u64,
    /// Files and records per format.
    pub formats: BTreeMap<String, FormatCount>,
    /// The KEV catalog version.
    pub kev_version: Option<String>,
    /// The newest EPSS date.
    pub epss_date: Option<String>,
    /// Size of the store in bytes (0 for bundled data).
    pub bytes: u64,
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
}

fn formats_table(formats: &BTreeMap<String, FormatCount>) -> String {
    let mut t = Table::new(["FORMAT", "FILES", "RECORDS"]);
    for (k, c) in formats {
        t.row([k.clone(), c.files.to_string(), c.records.to_string()]);
    }
    t.render()
}

impl ImportReport {
    /// The report as aligned text.
    pub fn table(&self) -> String {
        let mut out = format!(
            "snapshot  {}\nstore     {} ({})\nfiles     {} ({} parsed, {} reused)\n",
            self.snapshot,
            self.store,
            mib(self.bytes),
            self.files,
            self.parsed,
            self.reused
        );
        let s = &self.signatures;
        if s.quick_checked + s.verified > 0 {
            out.push_str(&format!(
                "signed    {} ({} verified against --csaf-key keys, {} quick-checked only: undamaged, signer unknown)\n",
                s.quick_checked + s.verified,
                s.verified,
                s.quick_checked
            ));
        }
        out.push('\n');
        out.push_str(&formats_table(&self.formats));
        let mut reasons: BTreeMap<&str, u64> = BTreeMap::new();
        for s in &self.skipped {
            *reasons.entry(s.reason.as_str()).or_default() += 1;
        }
        if !reasons.is_empty() {
            out.push_str("\nskipped:\n");
            for (reason, n) in reasons {
                out.push_str(&format!("  {n} × {}\n", crate::table::clean(reason)));
            }
        }
        if !self.invalid.is_empty() {
            out.push_str(&format!("\nnot imported ({}):\n", self.invalid.len()));
            for e in &self.invalid {
                let place = match (&e.path, &e.location) {
                    (Some(p), Some(l)) => format!("{p} {l}: "),
                    (Some(p), None) => format!("{p}: "),
                    (None, Some(l)) => format!("{l}: "),
                    (None, None) => String::new(),
                };
                out.push_str(&format!(
                    "  {}{} [{}]\n",
                    crate::table::clean(&place),
                    crate::table::clean(&e.message),
                    e.code
                ));
            }
        }
        if !self.warnings.is_empty() {
            out.push_str(&format!(
                "\n{} (failed CSAF mandatory tests, OSV lints); --format json lists them\n",
                crate::table::count(self.warnings.len() as u64, "reader warning", "reader warnings")
            ));
        }
        for n in &self.notes {
            out.push_str(&format!("\nnote: {}\n", crate::table::clean(n)));
        }
        out
    }
}

impl UpdateReport {
    /// The report as aligned text.
    pub fn table(&self) -> String {
        let mut t = Table::new(["FEED", "DOWNLOADED", "UNCHANGED", "SIZE", "URL"]);
        for f in &self.feeds {
            t.row([
                f.feed.clone(),
                f.downloaded.to_string(),
                f.unchanged.to_string(),
                mib(f.bytes),
                f.url.clone(),
            ]);
        }
        let mut out = t.render();
        for n in &self.notes {
            out.push_str(&format!("note: {}\n", crate::table::clean(n)));
        }
        out.push('\n');
        out.push_str(&self.import.table());
        out
    }
}

impl InfoReport {
    /// The report as aligned text; `full_data_command` is what to run for the full data.
    pub fn table(&self, full_data_command: &str) -> String {
        let dir = self.store.as_deref().unwrap_or("-");
        let data = if self.partial {
            format!(
                "bundled with this build: CISA KEV and a subset of CISA ICS advisories, partial (no store at {dir}; \
                 run `{full_data_command}` or `levee db import PATH...`)"
            )
        } else {
            format!("the store at {dir} ({})", mib(self.bytes))
        };
        let mut out = format!(
            "snapshot      {}\ndata          {data}\ncreated from  {}\nkev version   {}\nepss date     {}\nfiles         {}\n\n",
            self.snapshot,
            self.created_from.join(", "),
            self.kev_version.as_deref().unwrap_or("-"),
            self.epss_date.as_deref().unwrap_or("-"),
            self.files,
        );
        out.push_str(&formats_table(&self.formats));
        out
    }
}
