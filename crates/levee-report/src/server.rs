//! The JSON of the server's command-line clients (`levee push`, `pull`, `admin`, `audit verify`
//! with `--format json`), and the project and token shapes the API serves them in.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A project as the server stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ServedProject {
    /// The id (`water-treatment`).
    pub id: String,
    /// The name from `levee.toml`.
    pub name: String,
    /// `asset-owner` or `product`.
    pub kind: String,
    /// Revisions so far (pushes and re-assessments).
    pub revision: i64,
    /// The ETag of the file manifest.
    pub etag: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Who made the last revision.
    pub updated_by: String,
}

/// `levee push --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PushReport {
    /// The project after the push.
    pub project: ServedProject,
    /// The number of the assessment the server made of this revision.
    pub assessment: i64,
    /// Warnings from loading the project (`file:line:col: code: message`).
    pub warnings: Vec<String>,
    /// Files in the directory.
    pub files: usize,
    /// Distinct contents uploaded (the server lacked them).
    pub uploaded: usize,
    /// Distinct contents the server had already.
    pub already_there: usize,
}

/// `levee db import FILE... --server URL --token T --format json`: each file as the server took it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ServerImportReport {
    /// The server.
    pub server: String,
    /// One entry per file, in the order given.
    pub files: Vec<ServerImportFile>,
}

/// One advisory file imported into a server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ServerImportFile {
    /// The file as given.
    pub file: String,
    /// Its SHA-256.
    pub sha256: String,
    /// `false` when the server had it already (nothing changed).
    pub new: bool,
    /// Advisory records the server's data holds after it.
    pub records: usize,
    /// Projects the server queued for re-evaluation.
    pub projects_queued: usize,
}

/// `levee pull --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PullReport {
    /// The project id.
    pub project: String,
    /// The directory written.
    pub dir: String,
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// `levee admin create-user --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UserReport {
    /// The user name.
    pub name: String,
    /// `admin`, `assessor` or `viewer`.
    pub role: String,
}

/// One token as `levee admin list-tokens --format json` and `GET /api/v1/tokens` list it (never
/// the secret: only its hash is stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TokenEntry {
    /// The id (for revoking).
    pub id: String,
    /// Its user.
    pub user: String,
    /// The one project it reaches, when scoped.
    pub project: Option<String>,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 expiry.
    pub expires_at: Option<String>,
    /// RFC 3339 revocation time, when revoked.
    pub revoked_at: Option<String>,
}

/// `levee admin revoke-token ID --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TokenRevoked {
    /// The token's id.
    pub id: String,
    /// Its user.
    pub user: String,
}

/// `levee admin create-token --format json`, and the API's answer to making a token: `token` is
/// shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TokenReport {
    /// The id (for listing and revoking).
    pub id: String,
    /// The secret token.
    pub token: String,
    /// Its user.
    pub user: String,
    /// The one project it reaches, when scoped.
    pub project: Option<String>,
    /// RFC 3339 expiry.
    pub expires_at: Option<String>,
}

/// `levee audit verify --format json`, and the API's `/audit/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuditVerifyReport {
    /// Whether the chain is whole.
    pub ok: bool,
    /// Entries checked.
    pub entries: i64,
    /// The first entry that does not verify.
    pub broken_seq: Option<i64>,
    /// Why it does not.
    pub reason: Option<String>,
}
