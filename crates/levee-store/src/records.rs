//! The store's record types: what its queries return and take. They are the store's own, never
//! wire types; the server builds its JSON from them.

use std::fmt;
use std::str::FromStr;

/// A role, globally (on a user) or on one project (a member). Ordered: viewer < assessor < admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads everything it may see.
    Viewer,
    /// Also pushes projects, triages findings, runs assessments and scans.
    Assessor,
    /// Also manages users, members, tokens of others, deletes projects, reads the audit log.
    Admin,
}

impl Role {
    /// Every role, smallest first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Assessor, Role::Admin];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Assessor => "assessor",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role `{s}` (admin, assessor or viewer)"))
    }
}

/// A user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The name.
    pub name: String,
    /// The global role.
    pub role: Role,
    /// The argon2id PHC string.
    pub password_hash: String,
    /// Refused at sign-in and for every token.
    pub disabled: bool,
}

/// A token as authentication sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The token id (not secret).
    pub id: String,
    /// Its user.
    pub user: String,
    /// The user's global role.
    pub role: Role,
    /// The one project it is scoped to, when scoped.
    pub project: Option<String>,
    /// Expiry in Unix milliseconds.
    pub expires_at: Option<i64>,
    /// When it was revoked.
    pub revoked_at: Option<i64>,
    /// Whether the user is disabled.
    pub disabled: bool,
}

/// A token as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    /// The id.
    pub id: String,
    /// The user.
    pub user: String,
    /// The project scope.
    pub project: Option<String>,
    /// Created, Unix ms.
    pub created_at: i64,
    /// Expires, Unix ms.
    pub expires_at: Option<i64>,
    /// Revoked, Unix ms.
    pub revoked_at: Option<i64>,
}

/// A token to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// The id (not secret).
    pub id: String,
    /// SHA-256 of the secret.
    pub token_hash: String,
    /// The user.
    pub user: String,
    /// The project scope.
    pub project: Option<String>,
    /// Expiry, Unix ms.
    pub expires_at: Option<i64>,
}

/// A browser session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Its user.
    pub user: String,
    /// The user's global role.
    pub role: Role,
    /// The CSRF token a state-changing request must echo.
    pub csrf_token: String,
    /// Expiry, Unix ms.
    pub expires_at: i64,
    /// Whether the user is disabled.
    pub disabled: bool,
}

/// A stored project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRow {
    /// The id (`water-treatment`).
    pub id: String,
    /// Its name from `levee.toml`.
    pub name: String,
    /// `asset-owner` or `product`.
    pub kind: String,
    /// Counts pushes from 1.
    pub revision: i64,
    /// The hash of its file manifest.
    pub etag: String,
    /// Created, Unix ms.
    pub created_at: i64,
    /// Last push, Unix ms.
    pub updated_at: i64,
    /// Who pushed last.
    pub updated_by: String,
}

/// One file of a project's current revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    /// Relative path.
    pub path: String,
    /// SHA-256 of the content (the blob key).
    pub sha256: String,
    /// Bytes.
    pub size: i64,
}

/// A resource derived from a revision (a zone, a finding, …), as stored JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// `zone`, `conduit`, `asset`, `response`, `evidence`, `risk-scenario`, `finding`, `sbom`.
    pub kind: String,
    /// Its id within the project and kind.
    pub rid: String,
    /// Its place in the engine's order.
    pub position: i64,
    /// The zone it belongs to (a filter).
    pub zone: Option<String>,
    /// Its severity (a filter; findings).
    pub severity: Option<String>,
    /// Its status or state (a filter).
    pub status: Option<String>,
    /// The JSON body.
    pub body: String,
    /// SHA-256 of the body.
    pub etag: String,
}

/// Which resources to list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListQuery {
    /// The kind.
    pub kind: String,
    /// Only this zone.
    pub zone: Option<String>,
    /// Only this severity.
    pub severity: Option<String>,
    /// Only this status.
    pub status: Option<String>,
    /// At most this many.
    pub limit: i64,
    /// After skipping this many.
    pub offset: i64,
}

/// One page of a list and the total count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// How many match in all.
    pub total: i64,
}

/// A finding's triage (VEX).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triage {
    /// The finding id.
    pub finding: String,
    /// `not_affected`, `affected`, `fixed`, `under_investigation`, `false_positive`.
    pub state: String,
    /// The VEX justification.
    pub justification: Option<String>,
    /// Free text.
    pub detail: Option<String>,
    /// Who.
    pub by: String,
    /// When, Unix ms.
    pub at: i64,
}

/// A new revision of a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectCommit {
    /// The id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Manifest hash.
    pub etag: String,
    /// Who pushes.
    pub actor: String,
    /// Files (blobs stored).
    pub files: Vec<FileRow>,
    /// Derived resources.
    pub resources: Vec<Resource>,
    /// The revision's summary part (zones, review).
    pub summary_json: String,
    /// The assessment report (JSON).
    pub report_json: String,
    /// The same report as HTML.
    pub report_html: String,
    /// The ids of the report's findings on the KEV list, a JSON array.
    pub kev_json: String,
}

/// An assessment or a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Sequence number within the project.
    pub seq: i64,
    /// Created, Unix ms.
    pub created_at: i64,
    /// By whom.
    pub created_by: String,
    /// SHA-256 of the body.
    pub etag: String,
    /// The JSON body (empty in lists).
    pub body: String,
}

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Project.
    pub project: Option<String>,
    /// JSON payload.
    pub payload: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
}
