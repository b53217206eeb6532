//! The client side of push and pull, on the same wire types as the server: `levee push` uploads
//! the files a server lacks (content-addressed) and commits one manifest; `levee pull` reads the
//! manifest and every file, checking each SHA-256. Only the URL the user gives is contacted, with
//! no proxy from the environment.

use std::io::Read;
use std::time::Duration;

use levee_engine::ProjectBundle;
use levee_store::sha256_hex;

use crate::wire::{BlobQuery, Manifest, ManifestFile, MissingBlobs};

/// Why a push or pull failed.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ClientError {
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
    /// The problem code (`invalid-project`, `token-expired`), when the server sent one.
    pub code: Option<String>,
    /// What went wrong.
    pub message: String,
    /// The problem's extra members (diagnostics), when any.
    pub extra: Option<serde_json::Value>,
}

fn failure(message: impl Into<String>) -> ClientError {
    ClientError {
        status: None,
        code: None,
        message: message.into(),
        extra: None,
    }
}

/// What a push did.
#[derive(Debug)]
pub struct Pushed {
    /// Files uploaded (the server lacked them).
    pub uploaded: usize,
    /// Files the server had already.
    pub skipped: usize,
    /// The server's answer (`PushResult`).
    pub result: serde_json::Value,
}

/// A server and the token to reach it with.
pub struct Remote {
    agent: ureq::Agent,
    base: String,
    token: String,
}

/// The most a response to the client may hold: one file plus room.
const MAX_RESPONSE: u64 = levee_engine::bundle::MAX_FILE_BYTES + (1 << 20);

impl Remote {
    /// A client of the server at `server` (`http://127.0.0.1:8080`).
    pub fn new(server: &str, token: &str) -> Result<Remote, ClientError> {
        let base = server.trim_end_matches('/');
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(failure(format!("`{server}` is not an http:// or https:// URL")));
        }
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(600)))
            .proxy(None)
            .user_agent(concat!("levee/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Remote {
            agent,
            base: base.to_owned(),
            token: token.to_owned(),
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn answer(
        &self,
        resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        what: &str,
    ) -> Result<Vec<u8>, ClientError> {
        let mut resp = resp.map_err(|e| failure(format!("{what}: cannot reach {}: {e}", self.base)))?;
        let status = resp.status().as_u16();
        let mut bytes = Vec::new();
        resp.body_mut()
            .as_reader()
            .take(MAX_RESPONSE)
            .read_to_end(&mut bytes)
            .map_err(|e| failure(format!("{what}: reading the answer: {e}")))?;
        if (200..300).contains(&status) {
            return Ok(bytes);
        }
        let problem: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        let code = problem["type"]
            .as_str()
            .and_then(|t| t.rsplit('/').next())
            .map(str::to_owned);
        let detail = problem["detail"].as_str().unwrap_or("no detail").to_owned();
        Err(ClientError {
            status: Some(status),
            code,
            message: format!("{what}: the server answered {status}: {detail}"),
            extra: problem.get("extra").cloned(),
        })
    }

    fn json<T: serde::Serialize>(
        &self,
        method: &str,
        path: &str,
        body: &T,
        if_match: Option<&str>,
        what: &str,
    ) -> Result<Vec<u8>, ClientError> {
        let text = serde_json::to_vec(body).map_err(|e| failure(e.to_string()))?;
        let url = self.url(path);
        let auth = format!("Bearer {}", self.token);
        let resp = match method {
            "PUT" => {
                let mut r = self
                    .agent
                    .put(&url)
                    .header("Authorization", &auth)
                    .content_type("application/json");
                if let Some(e) = if_match {
                    r = r.header("If-Match", format!("\"{e}\""));
                }
                r.send(&text[..])
            }
            _ => self
                .agent
                .post(&url)
                .header("Authorization", &auth)
                .content_type("application/json")
                .send(&text[..]),
        };
        self.answer(resp, what)
    }

    fn get(&self, path: &str, what: &str) -> Result<Vec<u8>, ClientError> {
        let resp = self
            .agent
            .get(&self.url(path))
            .header("Authorization", &format!("Bearer {}", self.token))
            .call();
        self.answer(resp, what)
    }

    /// Imports one advisory file into the server's data (`POST /api/v1/advisories`); the answer
    /// is the server's `AdvisoryImport` JSON.
    pub fn import_advisories(&self, name: &str, bytes: &[u8]) -> Result<serde_json::Value, ClientError> {
        let encoded: String = name
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let resp = self
            .agent
            .post(&self.url(&format!("/api/v1/advisories?name={encoded}")))
            .header("Authorization", &format!("Bearer {}", self.token))
            .content_type("application/octet-stream")
            .send(bytes);
        let answer = self.answer(resp, &format!("importing {name}"))?;
        serde_json::from_slice(&answer).map_err(|e| failure(format!("a bad answer: {e}")))
    }

    /// Pushes `bundle` as project `id` (a new revision); `if_match` guards against overwriting a
    /// revision pushed meanwhile.
    pub fn push(
        &self,
        id: &str,
        bundle: &ProjectBundle,
        if_match: Option<&str>,
    ) -> Result<Pushed, ClientError> {
        let files: Vec<(ManifestFile, &[u8])> = bundle
            .files()
            .map(|(path, bytes)| {
                (
                    ManifestFile {
                        path: path.to_owned(),
                        sha256: sha256_hex(bytes),
                        size: bytes.len() as u64,
                    },
                    bytes,
                )
            })
            .collect();
        let mut hashes: Vec<String> = files.iter().map(|(f, _)| f.sha256.clone()).collect();
        hashes.sort();
        hashes.dedup();
        let answer = self.json(
            "POST",
            &format!("/api/v1/projects/{id}/missing-blobs"),
            &BlobQuery {
                sha256: hashes.clone(),
            },
            None,
            "checking which files the server has",
        )?;
        let missing: MissingBlobs =
            serde_json::from_slice(&answer).map_err(|e| failure(format!("a bad answer: {e}")))?;
        let mut uploaded = 0;
        for sha in &missing.missing {
            let Some((f, bytes)) = files.iter().find(|(f, _)| &f.sha256 == sha) else {
                continue;
            };
            let resp = self
                .agent
                .put(&self.url(&format!("/api/v1/projects/{id}/blobs/{sha}")))
                .header("Authorization", &format!("Bearer {}", self.token))
                .content_type("application/octet-stream")
                .send(*bytes);
            self.answer(resp, &format!("uploading {}", f.path))?;
            uploaded += 1;
        }
        let manifest = Manifest {
            files: files.into_iter().map(|(f, _)| f).collect(),
        };
        let answer = self.json(
            "PUT",
            &format!("/api/v1/projects/{id}/files"),
            &manifest,
            if_match,
            "committing the project",
        )?;
        Ok(Pushed {
            uploaded,
            skipped: hashes.len() - uploaded,
            result: serde_json::from_slice(&answer).unwrap_or_default(),
        })
    }

    /// Pulls project `id`: every file of its current revision, each checked against its SHA-256.
    pub fn pull(&self, id: &str) -> Result<ProjectBundle, ClientError> {
        let answer = self.get(
            &format!("/api/v1/projects/{id}/files"),
            "reading the project's files",
        )?;
        let manifest: Manifest =
            serde_json::from_slice(&answer).map_err(|e| failure(format!("a bad manifest: {e}")))?;
        let mut bundle = ProjectBundle::new();
        for f in &manifest.files {
            let bytes = self.get(
                &format!("/api/v1/projects/{id}/blobs/{}", f.sha256),
                &format!("reading {}", f.path),
            )?;
            if sha256_hex(&bytes) != f.sha256 {
                return Err(failure(format!(
                    "{}: the bytes do not match their SHA-256",
                    f.path
                )));
            }
            bundle
                .insert(&f.path, bytes)
                .map_err(|e| failure(e.to_string()))?;
        }
        Ok(bundle)
    }
}
