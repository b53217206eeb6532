//! `update`: download the public feeds into the store's `feeds/` directory, then import.
//!
//! Every download lands in a hidden `.part` file first, is resumed with an HTTP `Range` request when
//! the connection breaks, is checked (the CSAF `.sha512` digest; every file is parsed) and only then
//! renamed into place, so `feeds/` never holds a file that does not import. Any failure stops the
//! update before the import: the snapshot stays as it was.
//!
//! This module is the only code in Levee that opens network connections.

mod csaf;
mod http;
mod nvd;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{ErrorKind, StoreError};
use crate::import::{ImportOptions, ImportReport, import};
use crate::progress::Progress;
use crate::records;
use crate::store;

pub(crate) use http::Client;

/// A feed [`update`] can fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Feed {
    /// CSAF advisories listed by a ROLIE feed (CISA's ICS advisories by default).
    Csaf,
    /// The CISA Known Exploited Vulnerabilities catalog.
    Kev,
    /// FIRST's EPSS scores.
    Epss,
    /// OSV, one `all.zip` per ecosystem.
    Osv,
    /// The NVD CVE API 2.0 (every CVE; slow without an API key, so not fetched unless asked for).
    Nvd,
}

impl Feed {
    /// Every feed, in the order they are fetched.
    pub const ALL: [Feed; 5] = [Feed::Csaf, Feed::Kev, Feed::Epss, Feed::Osv, Feed::Nvd];
    /// The feeds fetched when none are named.
    pub const DEFAULT: [Feed; 4] = [Feed::Csaf, Feed::Kev, Feed::Epss, Feed::Osv];

    /// A stable lower-case name: `csaf`, `kev`, `epss`, `osv`, `nvd`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csaf => "csaf",
            Self::Kev => "kev",
            Self::Epss => "epss",
            Self::Osv => "osv",
            Self::Nvd => "nvd",
        }
    }

    /// Reads a name given by [`Feed::as_str`] (any case).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// Where the feeds are; [`FeedUrls::default`] gives the real ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedUrls {
    /// ROLIE feeds of CSAF documents.
    pub csaf_feeds: Vec<String>,
    /// The KEV catalog (JSON).
    pub kev: String,
    /// The EPSS scores (CSV, gzip-compressed or not).
    pub epss: String,
    /// The base of OSV's bucket: `{osv}/{ecosystem}/all.zip`.
    pub osv: String,
    /// The OSV ecosystems to fetch.
    pub osv_ecosystems: Vec<String>,
    /// The NVD CVE API 2.0 endpoint; `startIndex` and `resultsPerPage` are added.
    pub nvd: String,
}

impl Default for FeedUrls {
    fn default() -> Self {
        Self {
            csaf_feeds: vec![
                "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/OT/white/cisa-csaf-ot-feed-tlp-white.json"
                    .into(),
            ],
            kev: "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json".into(),
            epss: "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz".into(),
            osv: "https://osv-vulnerabilities.storage.googleapis.com".into(),
            osv_ecosystems: ["Go", "PyPI", "crates.io", "npm", "Maven", "NuGet"]
                .map(String::from)
                .to_vec(),
            nvd: "https://services.nvd.nist.gov/rest/json/cves/2.0".into(),
        }
    }
}

/// How [`update`] behaves.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// Where the feeds are.
    pub sources: FeedUrls,
    /// The feeds to fetch; empty means [`Feed::DEFAULT`]. Feeds fetched earlier stay in the
    /// snapshot either way.
    pub only: Vec<Feed>,
    /// An NVD API key (sent as the `apiKey` header), which raises NVD's rate limit tenfold.
    pub nvd_api_key: Option<String>,
    /// CVEs per NVD page (NVD allows at most 2,000).
    pub nvd_page_size: u32,
    /// The pause between NVD pages; `None` means NVD's advice: 6 s, or 0.6 s with an API key.
    pub nvd_delay: Option<Duration>,
    /// Timeout for connecting and for each read.
    pub timeout: Duration,
    /// Retries of a failed or broken download (resumed where it broke off).
    pub retries: u32,
    /// The pause before the first retry (doubled, tripled, … after that).
    pub retry_delay: Duration,
    /// CSAF documents downloaded at once.
    pub parallel_downloads: usize,
    /// Use the proxy named by `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` (and `NO_PROXY`).
    pub proxy_from_env: bool,
    /// How the downloaded files are imported.
    pub import: ImportOptions,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        Self {
            sources: FeedUrls::default(),
            only: Vec::new(),
            nvd_api_key: None,
            nvd_page_size: 2000,
            nvd_delay: None,
            timeout: Duration::from_secs(60),
            retries: 3,
            retry_delay: Duration::from_secs(2),
            parallel_downloads: 4,
            proxy_from_env: true,
            import: ImportOptions::default(),
        }
    }
}

/// What one feed's download did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedReport {
    /// The feed.
    pub feed: Feed,
    /// The URL fetched (the first one, for feeds with several).
    pub url: String,
    /// Files downloaded.
    pub downloaded: usize,
    /// Files already present and unchanged (CSAF documents whose feed entry did not change).
    pub unchanged: usize,
    /// Bytes downloaded.
    pub bytes: u64,
}

/// What [`update`] did.
#[derive(Debug, Clone)]
pub struct UpdateReport {
    /// One entry per feed fetched.
    pub feeds: Vec<FeedReport>,
    /// The import that followed.
    pub import: ImportReport,
    /// Notes: signatures not checked, earlier import paths that are gone, …
    pub notes: Vec<String>,
}

/// The store's download directory.
pub(crate) fn feeds_dir(db_dir: &Path) -> PathBuf {
    db_dir.join("feeds")
}

/// A safe local file name from the last segment of a URL, or `fallback`.
pub(crate) fn file_name(url: &str, fallback: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let last = path.rsplit('/').next().unwrap_or("");
    if safe_name(last) {
        last.to_owned()
    } else {
        fallback.to_owned()
    }
}

/// Whether a name is safe as one path component: `[A-Za-z0-9._-]`, not hidden, not `..`.
pub(crate) fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Checks a downloaded file the way an import will read it.
pub(crate) fn check_parses(url: &str, part: &Path, name: &str) -> Result<Vec<u8>, StoreError> {
    let bytes = fs::read(part).map_err(|e| StoreError::io(part, "read", &e))?;
    records::parse(Path::new(url), name, &bytes)?;
    Ok(bytes)
}

/// Downloads `url` into `part` and checks it. A part file left by an earlier run may belong to an
/// older version of the file, so when a resumed download fails its check, it is downloaded once
/// more from the start. A file that fails its check is removed.
pub(crate) fn download_checked(
    client: &Client,
    url: &str,
    part: &Path,
    progress: &dyn Progress,
    check: impl Fn(&Path) -> Result<(), StoreError>,
) -> Result<u64, StoreError> {
    let resumed = part.exists();
    let size = client.download(url, part, progress)?;
    match check(part) {
        Ok(()) => Ok(size),
        Err(e) => {
            let _ = fs::remove_file(part);
            if !resumed {
                return Err(e);
            }
            progress.note(&format!(
                "{url}: the resumed download failed its check; downloading it again"
            ));
            let size = client.download(url, part, progress)?;
            if let Err(e) = check(part) {
                let _ = fs::remove_file(part);
                return Err(e);
            }
            Ok(size)
        }
    }
}

/// Downloads one file into `dir/name`, checks that it parses, and removes the other files of
/// `dir` (a single-file feed holds exactly its latest file).
fn single_file(
    client: &Client,
    feed: Feed,
    url: &str,
    dir: &Path,
    name: &str,
    progress: &dyn Progress,
) -> Result<FeedReport, StoreError> {
    fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, "create", &e))?;
    let dest = dir.join(name);
    let part = http::part_path(&dest);
    let bytes = download_checked(client, url, &part, progress, |part| {
        check_parses(url, part, name).map(|_| ())
    })?;
    http::finish(&part, &dest)?;
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n != name && !n.starts_with('.') && e.path().is_file() {
            let _ = fs::remove_file(e.path());
        }
    }
    Ok(FeedReport {
        feed,
        url: url.to_owned(),
        downloaded: 1,
        unchanged: 0,
        bytes,
    })
}

/// Fetches the feeds into `<db_dir>/feeds/` and imports them (with the paths of the previous
/// import that still exist), replacing the store's snapshot.
pub fn update(
    db_dir: &Path,
    options: &UpdateOptions,
    progress: &dyn Progress,
) -> Result<UpdateReport, StoreError> {
    let feeds = feeds_dir(db_dir);
    fs::create_dir_all(&feeds).map_err(|e| StoreError::io(&feeds, "create", &e))?;
    let client = Client::new(
        options.timeout,
        options.retries,
        options.retry_delay,
        options.proxy_from_env,
    );
    let only: Vec<Feed> = if options.only.is_empty() {
        Feed::DEFAULT.to_vec()
    } else {
        Feed::ALL
            .into_iter()
            .filter(|f| options.only.contains(f))
            .collect()
    };
    let src = &options.sources;
    let mut reports = Vec::new();
    let mut notes = Vec::new();
    for feed in only {
        match feed {
            Feed::Csaf => {
                for url in &src.csaf_feeds {
                    let (r, n) = csaf::update(&client, url, &feeds.join("csaf"), options, progress)?;
                    reports.push(r);
                    notes.extend(n);
                }
            }
            Feed::Kev => reports.push(single_file(
                &client,
                feed,
                &src.kev,
                &feeds.join("kev"),
                &file_name(&src.kev, "known_exploited_vulnerabilities.json"),
                progress,
            )?),
            Feed::Epss => reports.push(single_file(
                &client,
                feed,
                &src.epss,
                &feeds.join("epss"),
                &file_name(&src.epss, "epss_scores-current.csv.gz"),
                progress,
            )?),
            Feed::Osv => {
                let mut total = FeedReport {
                    feed,
                    url: src.osv.clone(),
                    downloaded: 0,
                    unchanged: 0,
                    bytes: 0,
                };
                for eco in &src.osv_ecosystems {
                    let dir_name: String = eco
                        .chars()
                        .map(|c| {
                            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                                c
                            } else {
                                '_'
                            }
                        })
                        .collect();
                    if !safe_name(&dir_name) {
                        return Err(StoreError::new(
                            ErrorKind::Feed,
                            format!("unusable OSV ecosystem `{eco}`"),
                        ));
                    }
                    let url = format!(
                        "{}/{}/all.zip",
                        src.osv.trim_end_matches('/'),
                        eco.replace(' ', "%20")
                    );
                    let r = single_file(
                        &client,
                        feed,
                        &url,
                        &feeds.join("osv").join(dir_name),
                        "all.zip",
                        progress,
                    )?;
                    total.downloaded += r.downloaded;
                    total.bytes += r.bytes;
                }
                reports.push(total);
            }
            Feed::Nvd => {
                let client = match &options.nvd_api_key {
                    Some(k) => client.clone().with_header("apiKey", k),
                    None => client.clone(),
                };
                reports.push(nvd::update(
                    &client,
                    &src.nvd,
                    &feeds.join("nvd"),
                    options,
                    progress,
                )?);
            }
        }
    }

    let mut paths: Vec<PathBuf> = ["csaf", "kev", "epss", "osv", "nvd"]
        .iter()
        .map(|d| feeds.join(d))
        .filter(|p| p.is_dir())
        .collect();
    let feeds_abs = fs::canonicalize(&feeds).unwrap_or_else(|_| feeds.clone());
    if let Ok(Some(disk)) = store::read_header(db_dir) {
        for root in disk.header.roots {
            let p = PathBuf::from(&root);
            if p.starts_with(&feeds_abs) {
                continue;
            }
            if p.exists() {
                paths.push(p);
            } else {
                notes.push(format!("{root} was imported before but is gone; it is left out"));
            }
        }
    }
    let import = import(&paths, db_dir, &options.import, progress)?;
    Ok(UpdateReport {
        feeds: reports,
        import,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_urls_are_safe() {
        assert_eq!(
            file_name("https://x/feeds/known_exploited_vulnerabilities.json", "k.json"),
            "known_exploited_vulnerabilities.json"
        );
        assert_eq!(file_name("https://x/a/..", "k.json"), "k.json");
        assert_eq!(file_name("https://x/a/?q=1", "k.json"), "k.json");
        assert_eq!(file_name("https://x/e.csv.gz?x=1", "k"), "e.csv.gz");
        assert!(!safe_name(".hidden"));
        assert!(!safe_name("a/b"));
        assert_eq!(Feed::parse("NVD"), Some(Feed::Nvd));
        assert_eq!(Feed::parse("x"), None);
    }
}
