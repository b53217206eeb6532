//! The NVD CVE API 2.0, page by page: `startIndex` and `resultsPerPage` until `totalResults`, with
//! the pause between requests that NVD asks for. Each page is kept as it came
//! (`nvd-<startIndex>.json`), after it parses; pages beyond the last one are removed.

use std::fs;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use super::http::Client;
use super::{Feed, FeedReport, UpdateOptions};
use crate::error::{ErrorKind, StoreError};
use crate::progress::{Progress, Unit};
use crate::{limits, records, store};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    results_per_page: u64,
    start_index: u64,
    total_results: u64,
}

fn page_name(start: u64) -> String {
    format!("nvd-{start:08}.json")
}

/// Fetches every page into `dir`.
pub(super) fn update(
    client: &Client,
    url: &str,
    dir: &Path,
    options: &UpdateOptions,
    progress: &dyn Progress,
) -> Result<FeedReport, StoreError> {
    fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, "create", &e))?;
    let delay = options.nvd_delay.unwrap_or(if options.nvd_api_key.is_some() {
        Duration::from_millis(600)
    } else {
        Duration::from_secs(6)
    });
    let size = options.nvd_page_size.clamp(1, 2000);
    let sep = if url.contains('?') { '&' } else { '?' };
    let mut start = 0u64;
    let mut bytes = 0u64;
    let mut written = Vec::new();
    progress.begin("downloading NVD pages", Unit::Files, None);
    let result = loop {
        let page_url = format!("{url}{sep}startIndex={start}&resultsPerPage={size}");
        let body = match client.fetch(&page_url, limits::MAX_FILE_BYTES) {
            Ok(b) => b,
            Err(e) => break Err(e),
        };
        let feed_err = |m: String| StoreError::new(ErrorKind::Feed, m).at(page_url.as_str());
        let page: Page = match serde_json::from_slice(&body) {
            Ok(p) => p,
            Err(e) => break Err(feed_err(format!("not an NVD CVE API 2.0 response: {e}"))),
        };
        if page.start_index != start || page.total_results > limits::MAX_RECORDS {
            break Err(feed_err(format!(
                "startIndex {} totalResults {} do not fit the request",
                page.start_index, page.total_results
            )));
        }
        let name = page_name(start);
        if let Err(e) = records::parse(Path::new(&page_url), &name, &body) {
            break Err(e);
        }
        {
            if let Err(e) = store::write_atomic(&dir.join(&name), |w| w.write_all(&body)) {
                break Err(e);
            }
        }
        bytes += body.len() as u64;
        written.push(name);
        progress.advance(1);
        if page.results_per_page == 0 && page.total_results > start {
            break Err(feed_err("resultsPerPage is 0 before the last page".into()));
        }
        start += page.results_per_page;
        if start >= page.total_results {
            break Ok(());
        }
        std::thread::sleep(delay);
    };
    progress.end();
    result?;
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with("nvd-") && !written.contains(&n) {
            let _ = fs::remove_file(e.path());
        }
    }
    Ok(FeedReport {
        feed: Feed::Nvd,
        url: url.to_owned(),
        downloaded: written.len(),
        unchanged: 0,
        bytes,
    })
}
