//! Downloads: one HTTP GET into a `.part` file, resumed with a `Range` request after a broken
//! connection, bounded in size, retried a few times; and small documents read into memory.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{ErrorKind, StoreError};
use crate::limits;
use crate::progress::{Progress, Unit};

/// The client, with the settings every request shares.
#[derive(Clone)]
pub(crate) struct Client {
    agent: ureq::Agent,
    retries: u32,
    retry_delay: Duration,
    headers: Vec<(String, String)>,
}

fn http_err(url: &str, message: impl Into<String>) -> StoreError {
    StoreError::new(ErrorKind::Http, message).at(url)
}

impl Client {
    pub(crate) fn new(timeout: Duration, retries: u32, retry_delay: Duration, proxy_from_env: bool) -> Self {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(timeout))
            .timeout_recv_response(Some(timeout))
            .timeout_per_read(Some(timeout))
            .user_agent(concat!("levee/", env!("CARGO_PKG_VERSION")));
        if !proxy_from_env {
            config = config.proxy(None);
        }
        Self {
            agent: config.build().into(),
            retries,
            retry_delay,
            headers: Vec::new(),
        }
    }

    /// The same client, sending one more header with every request (an API key).
    pub(crate) fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    fn get(&self, url: &str, range_from: u64) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        let mut req = self.agent.get(url);
        for (k, v) in &self.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        if range_from > 0 {
            req = req.header("Range", format!("bytes={range_from}-"));
        }
        req.call()
    }

    fn pause(&self, attempt: u32) {
        if !self.retry_delay.is_zero() {
            std::thread::sleep(self.retry_delay * (attempt + 1));
        }
    }

    /// A small document (a feed, an NVD page, a digest) read into memory, at most `limit` bytes.
    pub(crate) fn fetch(&self, url: &str, limit: u64) -> Result<Vec<u8>, StoreError> {
        let mut last = None;
        for attempt in 0..=self.retries {
            if attempt > 0 {
                self.pause(attempt - 1);
            }
            let resp = match self.get(url, 0) {
                Ok(r) => r,
                Err(e) => {
                    last = Some(http_err(url, format!("cannot fetch: {e}")));
                    continue;
                }
            };
            let status = resp.status().as_u16();
            if status != 200 {
                let e = http_err(url, format!("the server answered HTTP {status}"));
                if retryable(status) {
                    last = Some(e);
                    continue;
                }
                return Err(e);
            }
            let mut out = Vec::new();
            match resp
                .into_body()
                .into_reader()
                .take(limit + 1)
                .read_to_end(&mut out)
            {
                Ok(_) if out.len() as u64 > limit => {
                    return Err(StoreError::new(
                        ErrorKind::Limit,
                        format!("the response is larger than {limit} bytes"),
                    )
                    .at(url));
                }
                Ok(_) => return Ok(out),
                Err(e) => last = Some(http_err(url, format!("the download broke off: {e}"))),
            }
        }
        Err(last.unwrap_or_else(|| http_err(url, "cannot fetch")))
    }

    /// Downloads `url` into `part` (appending to what an earlier attempt left there, with a `Range`
    /// request). Returns the size. The caller verifies the file and renames it into place.
    pub(crate) fn download(
        &self,
        url: &str,
        part: &Path,
        progress: &dyn Progress,
    ) -> Result<u64, StoreError> {
        let mut last = None;
        for attempt in 0..=self.retries {
            if attempt > 0 {
                self.pause(attempt - 1);
                progress.note(&format!("retrying {url} (attempt {})", attempt + 1));
            }
            let have = fs::metadata(part).map(|m| m.len()).unwrap_or(0);
            let resp = match self.get(url, have) {
                Ok(r) => r,
                Err(e) => {
                    last = Some(http_err(url, format!("cannot download: {e}")));
                    continue;
                }
            };
            let status = resp.status().as_u16();
            let append = match status {
                200 => false,
                206 => {
                    let range = resp
                        .headers()
                        .get("content-range")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    if range_start(range) == Some(have) {
                        true
                    } else {
                        // A range we did not ask for: start again from the beginning.
                        let _ = fs::remove_file(part);
                        last = Some(http_err(url, format!("unexpected Content-Range `{range}`")));
                        continue;
                    }
                }
                416 => {
                    let _ = fs::remove_file(part);
                    last = Some(http_err(url, "the server refused to resume (HTTP 416)"));
                    continue;
                }
                s => {
                    let e = http_err(url, format!("the server answered HTTP {s}"));
                    if retryable(s) {
                        last = Some(e);
                        continue;
                    }
                    return Err(e);
                }
            };
            let start = if append { have } else { 0 };
            progress.begin(
                &format!("downloading {}", file_label(url)),
                Unit::Bytes,
                total_size(&resp, start),
            );
            progress.advance(start);
            let result = stream(resp, part, append, start, progress);
            progress.end();
            match result {
                Ok(n) => return Ok(n),
                Err(Broken::Io(e)) => return Err(StoreError::io(part, "write", &e)),
                Err(Broken::Limit) => {
                    let _ = fs::remove_file(part);
                    return Err(StoreError::new(
                        ErrorKind::Limit,
                        format!("the download is larger than {} bytes", limits::MAX_DOWNLOAD_BYTES),
                    )
                    .at(url));
                }
                Err(Broken::Network(e)) => {
                    last = Some(http_err(url, format!("the download broke off: {e}")));
                }
            }
        }
        Err(last.unwrap_or_else(|| http_err(url, "cannot download")))
    }
}

fn retryable(status: u16) -> bool {
    status == 429 || status >= 500
}

/// The first byte position of a `Content-Range: bytes a-b/c` header.
fn range_start(v: &str) -> Option<u64> {
    v.trim()
        .strip_prefix("bytes ")?
        .split('-')
        .next()?
        .trim()
        .parse()
        .ok()
}

fn total_size(resp: &ureq::http::Response<ureq::Body>, start: u64) -> Option<u64> {
    resp.headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|n| n + start)
}

fn file_label(url: &str) -> &str {
    url.trim_end_matches('/').rsplit('/').next().unwrap_or(url)
}

enum Broken {
    Io(std::io::Error),
    Network(std::io::Error),
    Limit,
}

/// Streams a body into the part file; what arrived before a broken connection stays there.
fn stream(
    resp: ureq::http::Response<ureq::Body>,
    part: &Path,
    append: bool,
    start: u64,
    progress: &dyn Progress,
) -> Result<u64, Broken> {
    if let Some(dir) = part.parent() {
        fs::create_dir_all(dir).map_err(Broken::Io)?;
    }
    let file = fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(part)
        .map_err(Broken::Io)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    let mut body = resp.into_body().into_reader();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = start;
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                out.flush().map_err(Broken::Io)?;
                return Err(Broken::Network(e));
            }
        };
        total += n as u64;
        if total > limits::MAX_DOWNLOAD_BYTES {
            return Err(Broken::Limit);
        }
        out.write_all(&buf[..n]).map_err(Broken::Io)?;
        progress.advance(n as u64);
    }
    let file = out.into_inner().map_err(|e| Broken::Io(e.into_error()))?;
    file.sync_all().map_err(Broken::Io)?;
    Ok(total)
}

/// The `.part` file beside a destination: hidden, so an import never reads it.
pub(crate) fn part_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.part"))
}

/// Moves a verified download into place.
pub(crate) fn finish(part: &Path, dest: &Path) -> Result<(), StoreError> {
    fs::rename(part, dest).map_err(|e| StoreError::io(dest, "move the download into place", &e))
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_range_start() {
        assert_eq!(super::range_start("bytes 100-199/200"), Some(100));
        assert_eq!(super::range_start("bytes */200"), None);
        assert_eq!(super::file_label("https://x/y/all.zip"), "all.zip");
    }
}
