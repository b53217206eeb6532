//! `levee db …`: the local advisory database — import files, update from the feeds, show what it
//! holds. The work is `levee-vulndb`'s; this module parses flags, draws progress bars on a terminal
//! and prints the reports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use levee_report::table::Table;
use levee_vulndb::{
    DataSource, ErrorKind, Feed, FeedUrls, FormatCount, ImportOptions, ImportReport, PublicKey, StoreError,
    StoreInfo, UpdateOptions, UpdateReport,
};
use serde_json::{Value, json};

use super::print;
use crate::datadir;
use crate::fail::Failure;
use crate::progress::with_progress;

/// Manage the local advisory database.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Import advisory files and directories (CSAF, OSV, NVD, RustSec, KEV, EPSS) as the new snapshot
    #[command(after_help = "\
Examples:
  levee db import csaf_files/OT/white known_exploited_vulnerabilities.json epss/
  levee db import advisories/ --skip-invalid       import the valid files, list the others
  levee db import advisories/ --format json        the report as JSON
  levee db import csaf_files/ --csaf-key cisa.asc  verify every .asc against CISA's key

The snapshot holds exactly the files found under PATH... Directories are read recursively; a
`.sha512` beside a file is checked; so is an OpenPGP signature `.asc`: quick-checked (catches an
accidentally damaged file), or, with --csaf-key, verified against the given keys (who signed it;
then every CSAF document must be signed). ROLIE feeds, indexes and schemas are skipped with a
note. One file that cannot be read or checked stops the
import with its name and the place in it, and the store stays as it was. Unchanged files are not
parsed again.")]
    Import(ImportArgs),
    /// Download the public feeds (CISA CSAF, KEV, EPSS, OSV, NVD) and import them
    #[command(after_help = "\
Examples:
  levee db update                                  CISA CSAF, KEV, EPSS and OSV
  levee db update --only kev,epss                  just the scores
  levee db update --only nvd --nvd-api-key KEY     every CVE from the NVD API (slow without a key)
  levee db update --kev-url https://mirror.example/kev.json

Downloads resume after a broken connection; CSAF documents are checked against their .sha512 and
their OpenPGP signature (verified with --csaf-key, else quick-checked). Nothing is imported unless
every download succeeds.")]
    Update(UpdateArgs),
    /// Show the snapshot in use: id, sources, counts, KEV version, EPSS date
    #[command(after_help = "\
Examples:
  levee db info
  levee db info --db /srv/levee/db --format json

Without a store, Levee uses the snapshot bundled with this build (CISA KEV and a subset of CISA's
ICS advisories), and info says so.")]
    Info(InfoArgs),
}

/// Output format of the `db` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DbFormat {
    /// Aligned text
    #[default]
    Table,
    /// JSON
    Json,
}

#[derive(Debug, Args)]
pub struct DbDir {
    /// The advisory database directory [default: <data dir>/db]
    #[arg(long, value_name = "DIR")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files and directories to import
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub db: DbDir,
    /// Import the valid files and list the invalid ones instead of stopping
    #[arg(long)]
    pub skip_invalid: bool,
    /// Read and hash every file again, even when its size and time are unchanged
    #[arg(long)]
    pub rehash: bool,
    #[command(flatten)]
    pub keys: CsafKeys,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: DbFormat,
}

#[derive(Debug, Args)]
pub struct CsafKeys {
    /// A trusted OpenPGP public key file (armored or binary, repeatable): every .asc signature must
    /// verify against one of them [default: signatures are only quick-checked]
    #[arg(long = "csaf-key", value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

impl CsafKeys {
    /// The keys of every file given.
    fn read(&self) -> Result<Vec<PublicKey>, Failure> {
        let mut keys = Vec::new();
        for f in &self.files {
            keys.extend(levee_vulndb::read_keys(f).map_err(|e| {
                Failure::new(format!("{e} [{}]", e.code()))
                    .hint("give an OpenPGP public key file, as `gpg --export --armor KEYID` writes it")
            })?);
        }
        Ok(keys)
    }
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub db: DbDir,
    /// Only these feeds, comma-separated: csaf, kev, epss, osv, nvd [default: csaf,kev,epss,osv]
    #[arg(long, value_delimiter = ',', value_parser = parse_feed, value_name = "FEEDS")]
    pub only: Vec<Feed>,
    /// The ROLIE feed listing CSAF documents (repeatable) [default: CISA's ICS feed]
    #[arg(long, value_name = "URL")]
    pub csaf_feed: Vec<String>,
    /// The KEV catalog (JSON)
    #[arg(long, value_name = "URL")]
    pub kev_url: Option<String>,
    /// The EPSS scores (CSV, gzip or not)
    #[arg(long, value_name = "URL")]
    pub epss_url: Option<String>,
    /// The base of the OSV bucket: <URL>/<ecosystem>/all.zip
    #[arg(long, value_name = "URL")]
    pub osv_url: Option<String>,
    /// OSV ecosystems, comma-separated [default: Go,PyPI,crates.io,npm,Maven,NuGet]
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub osv_ecosystem: Vec<String>,
    /// The NVD CVE API 2.0 endpoint
    #[arg(long, value_name = "URL")]
    pub nvd_url: Option<String>,
    /// An NVD API key, which raises NVD's rate limit [default: $LEVEE_NVD_API_KEY]
    #[arg(long, value_name = "KEY")]
    pub nvd_api_key: Option<String>,
    /// Import the valid downloaded files and list the invalid ones instead of stopping
    #[arg(long)]
    pub skip_invalid: bool,
    #[command(flatten)]
    pub keys: CsafKeys,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: DbFormat,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    #[command(flatten)]
    pub db: DbDir,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: DbFormat,
}

fn parse_feed(s: &str) -> Result<Feed, String> {
    Feed::parse(s).ok_or_else(|| format!("unknown feed `{s}`; expected csaf, kev, epss, osv or nvd"))
}

pub fn run(cmd: DbCommand, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    match cmd {
        DbCommand::Import(a) => import(&a, data_dir),
        DbCommand::Update(a) => update(&a, data_dir),
        DbCommand::Info(a) => info(&a, data_dir),
    }
}

fn db_dir(flag: &DbDir, data_dir: Option<&Path>) -> Result<PathBuf, Failure> {
    match &flag.db {
        Some(d) => Ok(d.clone()),
        None => Ok(datadir::resolve(data_dir)?.join("db")),
    }
}

/// A store error for the user: the located message, and what to do about it.
fn failure(e: &StoreError) -> Failure {
    let f = Failure::new(format!("{e} [{}]", e.code()));
    match e.kind {
        ErrorKind::Syntax | ErrorKind::Schema | ErrorKind::Encoding | ErrorKind::UnknownFormat => f.hint(
            "fix or remove the file, or pass --skip-invalid to import the rest; the store is unchanged",
        ),
        ErrorKind::Integrity => f.hint(
            "the file does not match its published digest or OpenPGP signature, or the signature is \
             not by a --csaf-key key; the store is unchanged",
        ),
        ErrorKind::Corrupt | ErrorKind::Version => {
            f.hint("rebuild the store with `levee db import PATH...` or `levee db update`")
        }
        ErrorKind::Http | ErrorKind::Feed => {
            f.hint("check the URL and the network and run the update again; the store is unchanged")
        }
        ErrorKind::Limit => f.hint("docs/advisory-store.md lists the limits; the store is unchanged"),
        _ => f,
    }
}

fn import(a: &ImportArgs, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    let db = db_dir(&a.db, data_dir)?;
    let options = ImportOptions {
        skip_invalid: a.skip_invalid,
        rehash: a.rehash,
        trusted_keys: a.keys.read()?,
        ..ImportOptions::default()
    };
    let report =
        with_progress(|p| levee_vulndb::import(&a.paths, &db, &options, p)).map_err(|e| failure(&e))?;
    warn_invalid(&report);
    print(&match a.format {
        DbFormat::Json => to_json(&import_json(&report)),
        DbFormat::Table => import_table(&report),
    });
    Ok(ExitCode::SUCCESS)
}

fn update(a: &UpdateArgs, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    let db = db_dir(&a.db, data_dir)?;
    let defaults = FeedUrls::default();
    let sources = FeedUrls {
        csaf_feeds: if a.csaf_feed.is_empty() {
            defaults.csaf_feeds
        } else {
            a.csaf_feed.clone()
        },
        kev: a.kev_url.clone().unwrap_or(defaults.kev),
        epss: a.epss_url.clone().unwrap_or(defaults.epss),
        osv: a.osv_url.clone().unwrap_or(defaults.osv),
        osv_ecosystems: if a.osv_ecosystem.is_empty() {
            defaults.osv_ecosystems
        } else {
            a.osv_ecosystem.clone()
        },
        nvd: a.nvd_url.clone().unwrap_or(defaults.nvd),
    };
    let options = UpdateOptions {
        sources,
        only: a.only.clone(),
        nvd_api_key: a
            .nvd_api_key
            .clone()
            .or_else(|| std::env::var("LEVEE_NVD_API_KEY").ok())
            .filter(|k| !k.is_empty()),
        import: ImportOptions {
            skip_invalid: a.skip_invalid,
            trusted_keys: a.keys.read()?,
            ..ImportOptions::default()
        },
        ..UpdateOptions::default()
    };
    let report = with_progress(|p| levee_vulndb::update(&db, &options, p)).map_err(|e| failure(&e))?;
    warn_invalid(&report.import);
    print(&match a.format {
        DbFormat::Json => to_json(&update_json(&report)),
        DbFormat::Table => update_table(&report),
    });
    Ok(ExitCode::SUCCESS)
}

fn info(a: &InfoArgs, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    let db = db_dir(&a.db, data_dir)?;
    let info = levee_vulndb::info(Some(&db)).map_err(|e| failure(&e))?;
    print(&match a.format {
        DbFormat::Json => to_json(&info_json(&info)),
        DbFormat::Table => info_table(&info),
    });
    Ok(ExitCode::SUCCESS)
}

fn warn_invalid(r: &ImportReport) {
    for e in &r.invalid {
        eprintln!("warning: not imported: {e} [{}]", e.code());
    }
}

fn to_json(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn formats_json(formats: &std::collections::BTreeMap<String, FormatCount>) -> Value {
    formats
        .iter()
        .map(|(k, c)| (k.clone(), json!({"files": c.files, "records": c.records})))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

fn error_json(e: &StoreError) -> Value {
    json!({
        "path": e.path.as_ref().map(|p| p.display().to_string()),
        "location": e.location,
        "code": e.code(),
        "message": e.message,
    })
}

fn import_json(r: &ImportReport) -> Value {
    json!({
        "snapshot": r.id,
        "previous": r.previous_id,
        "store": r.db_dir.display().to_string(),
        "created_from": r.roots,
        "files": r.files,
        "parsed": r.parsed,
        "reused": r.reused,
        "unread": r.unread,
        "signatures": {
            "quick_checked": r.signatures_quick_checked,
            "verified": r.signatures_verified,
        },
        "bytes": r.bytes,
        "formats": formats_json(&r.formats),
        "skipped": r.skipped.iter().map(|s| json!({"path": s.path.display().to_string(), "reason": s.reason})).collect::<Vec<_>>(),
        "invalid": r.invalid.iter().map(error_json).collect::<Vec<_>>(),
        "warnings": r.warnings,
        "notes": r.notes,
    })
}

fn formats_table(formats: &std::collections::BTreeMap<String, FormatCount>) -> String {
    let mut t = Table::new(["format", "files", "records"]);
    for (k, c) in formats {
        t.row([k.clone(), c.files.to_string(), c.records.to_string()]);
    }
    t.render()
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
}

fn import_table(r: &ImportReport) -> String {
    let mut out = format!(
        "snapshot  {}\nstore     {} ({})\nfiles     {} ({} parsed, {} reused)\n",
        r.id,
        r.db_dir.display(),
        mib(r.bytes),
        r.files,
        r.parsed,
        r.reused
    );
    let signed = r.signatures_quick_checked + r.signatures_verified;
    if signed > 0 {
        out.push_str(&format!(
            "signed    {signed} ({} verified against --csaf-key keys, {} quick-checked only: undamaged, signer unknown)\n",
            r.signatures_verified, r.signatures_quick_checked
        ));
    }
    out.push('\n');
    out.push_str(&formats_table(&r.formats));
    let mut reasons: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for s in &r.skipped {
        *reasons.entry(s.reason.as_str()).or_default() += 1;
    }
    if !reasons.is_empty() {
        out.push_str("\nskipped:\n");
        for (reason, n) in reasons {
            out.push_str(&format!("  {n} × {reason}\n"));
        }
    }
    if !r.invalid.is_empty() {
        out.push_str(&format!("\nnot imported ({}):\n", r.invalid.len()));
        for e in &r.invalid {
            out.push_str(&format!("  {e}\n"));
        }
    }
    if !r.warnings.is_empty() {
        out.push_str(&format!(
            "\n{} reader warnings (failed CSAF mandatory tests, OSV lints); --format json lists them\n",
            r.warnings.len()
        ));
    }
    for n in &r.notes {
        out.push_str(&format!("\nnote: {n}\n"));
    }
    out
}

fn update_json(r: &UpdateReport) -> Value {
    json!({
        "feeds": r.feeds.iter().map(|f| json!({
            "feed": f.feed.as_str(),
            "url": f.url,
            "downloaded": f.downloaded,
            "unchanged": f.unchanged,
            "bytes": f.bytes,
        })).collect::<Vec<_>>(),
        "notes": r.notes,
        "import": import_json(&r.import),
    })
}

fn update_table(r: &UpdateReport) -> String {
    let mut t = Table::new(["feed", "downloaded", "unchanged", "size", "url"]);
    for f in &r.feeds {
        t.row([
            f.feed.as_str().to_owned(),
            f.downloaded.to_string(),
            f.unchanged.to_string(),
            mib(f.bytes),
            f.url.clone(),
        ]);
    }
    let mut out = t.render();
    for n in &r.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out.push('\n');
    out.push_str(&import_table(&r.import));
    out
}

fn source_name(i: &StoreInfo) -> &'static str {
    match i.source {
        DataSource::Store => "store",
        _ => "bundled",
    }
}

fn info_json(i: &StoreInfo) -> Value {
    json!({
        "snapshot": i.id,
        "source": source_name(i),
        "store": i.db_dir.as_ref().map(|d| d.display().to_string()),
        "created_from": i.roots,
        "files": i.files,
        "formats": formats_json(&i.formats),
        "kev_version": i.kev_version,
        "epss_date": i.epss_date,
        "bytes": i.bytes,
    })
}

fn info_table(i: &StoreInfo) -> String {
    let dir = i
        .db_dir
        .as_ref()
        .map_or_else(|| "-".to_owned(), |d| d.display().to_string());
    let data = match i.source {
        DataSource::Store => format!("the store at {dir} ({})", mib(i.bytes)),
        _ => format!(
            "bundled with this build: CISA KEV and a subset of CISA ICS advisories (no store at {dir}; \
             run `levee db update` or `levee db import PATH...`)"
        ),
    };
    let mut out = format!(
        "snapshot      {}\ndata          {data}\ncreated from  {}\nkev version   {}\nepss date     {}\nfiles         {}\n\n",
        i.id,
        i.roots.join(", "),
        i.kev_version.as_deref().unwrap_or("-"),
        i.epss_date.as_deref().unwrap_or("-"),
        i.files,
    );
    out.push_str(&formats_table(&i.formats));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_info_says_so() {
        let info = levee_vulndb::info(None).expect("bundled");
        let text = info_table(&info);
        assert!(text.contains("bundled with this build"), "{text}");
        assert_eq!(info_json(&info)["source"], "bundled");
    }
}
