//! `levee db …`: the local advisory database — import files, update from the feeds, show what it
//! holds. The work is `levee-vulndb`'s; this module parses flags, draws progress bars on a terminal
//! and prints the reports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use levee_engine::db;
use levee_vulndb::{Feed, FeedUrls, ImportOptions, PublicKey, UpdateOptions};

use super::print;
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
    /// Import into a running server instead (`levee serve`): each file is sent to
    /// POST /api/v1/advisories, read there by the same import, and every project whose SBOMs it
    /// affects is assessed again in the background (needs an admin token)
    #[arg(long, value_name = "URL", requires = "token", conflicts_with_all = ["db", "rehash", "skip_invalid"])]
    pub server: Option<String>,
    /// The API token for --server
    #[arg(long, value_name = "TOKEN", requires = "server")]
    pub token: Option<String>,
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
    Ok(db::store_dir(flag.db.as_deref(), data_dir)?)
}

fn import(a: &ImportArgs, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    if let (Some(server), Some(token)) = (&a.server, &a.token) {
        return import_into_server(a, server, token);
    }
    let db = db_dir(&a.db, data_dir)?;
    let options = ImportOptions {
        skip_invalid: a.skip_invalid,
        rehash: a.rehash,
        trusted_keys: a.keys.read()?,
        ..ImportOptions::default()
    };
    let report = with_progress(|p| db::import(&a.paths, &db, &options, p))?;
    warn_invalid(&report);
    print(&match a.format {
        DbFormat::Json => levee_report::to_json(&report),
        DbFormat::Table => report.table(),
    });
    Ok(ExitCode::SUCCESS)
}

/// `db import FILE... --server URL --token T`: every file read first (so a missing one sends
/// nothing), then sent one by one; the server refuses a file it cannot import and keeps the rest.
fn import_into_server(a: &ImportArgs, server: &str, token: &str) -> Result<ExitCode, Failure> {
    if !a.keys.files.is_empty() {
        return Err(Failure::new("--csaf-key applies to a local import only")
            .hint("the server checks signatures with the keys it was started with"));
    }
    let mut files = Vec::with_capacity(a.paths.len());
    for p in &a.paths {
        if p.is_dir() {
            return Err(Failure::new(format!("{}: is a directory", p.display()))
                .hint("with --server, name the advisory files (e.g. `dir/*.json`)"));
        }
        let bytes =
            levee_engine::input::read_bounded(p, levee_engine::bundle::MAX_FILE_BYTES, "advisory file")?;
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "advisory.json".into());
        files.push((p.display().to_string(), name, bytes));
    }
    let remote = levee_server::client::Remote::new(server, token).map_err(|e| Failure::new(e.message))?;
    let mut report = levee_report::server::ServerImportReport {
        server: server.to_owned(),
        files: Vec::new(),
    };
    for (shown, name, bytes) in &files {
        let v = remote
            .import_advisories(name, bytes)
            .map_err(|e| Failure::new(e.message).hint("nothing after this file was sent"))?;
        report.files.push(levee_report::server::ServerImportFile {
            file: shown.clone(),
            sha256: v["sha256"].as_str().unwrap_or("").to_owned(),
            new: v["new"].as_bool().unwrap_or(false),
            records: v["records"]
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0),
            projects_queued: v["projects_queued"]
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0),
        });
    }
    match a.format {
        DbFormat::Json => print(&levee_report::to_json(&report)),
        DbFormat::Table => {
            let mut out = String::new();
            for f in &report.files {
                out.push_str(&format!(
                    "{}: {} ({} records on the server; {} queued for re-evaluation)\n",
                    levee_report::table::clean(&f.file),
                    if f.new { "imported" } else { "already there" },
                    f.records,
                    levee_report::table::count(
                        u64::try_from(f.projects_queued).unwrap_or(u64::MAX),
                        "project",
                        "projects"
                    ),
                ));
            }
            print(&out);
        }
    }
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
    let report = with_progress(|p| db::update(&db, &options, p))?;
    warn_invalid(&report.import);
    print(&match a.format {
        DbFormat::Json => levee_report::to_json(&report),
        DbFormat::Table => report.table(),
    });
    Ok(ExitCode::SUCCESS)
}

fn info(a: &InfoArgs, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    let db = db_dir(&a.db, data_dir)?;
    let info = db::info(&db)?;
    print(&match a.format {
        DbFormat::Json => levee_report::to_json(&info),
        DbFormat::Table => info.table(levee_engine::data::FULL_DATA_COMMAND),
    });
    Ok(ExitCode::SUCCESS)
}

fn warn_invalid(r: &levee_report::db::ImportReport) {
    for e in &r.invalid {
        let place = e.path.as_deref().map(|p| format!("{p}: ")).unwrap_or_default();
        eprintln!(
            "warning: not imported: {}{} [{}]",
            levee_report::table::clean(&place),
            levee_report::table::clean(&e.message),
            e.code
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_info_says_so() {
        let dir = tempfile::tempdir().expect("tmp");
        let info = db::info(dir.path()).expect("bundled");
        let text = info.table(levee_engine::data::FULL_DATA_COMMAND);
        assert!(
            text.contains("bundled with this build") && text.contains("partial"),
            "{text}"
        );
        assert_eq!((info.source.as_str(), info.partial), ("bundled", true));
    }
}
