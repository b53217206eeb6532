-- Levee store, version 1. Portable SQL: the same text runs on SQLite and PostgreSQL.
-- Times are Unix milliseconds (BIGINT); booleans are 0/1; hashes are lower-case hex SHA-256.

CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE tokens (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_name   TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    project_id  TEXT,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT,
    revoked_at  BIGINT
);

CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,
    user_name   TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);

CREATE TABLE projects (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    revision     BIGINT NOT NULL,
    etag         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT NOT NULL,
    summary_json TEXT NOT NULL,
    summary_etag TEXT NOT NULL
);

CREATE TABLE members (
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_name  TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    PRIMARY KEY (project_id, user_name)
);

-- Content-addressed file contents, shared between projects and revisions.
CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY,
    size       BIGINT NOT NULL,
    content    BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

-- Which blobs were uploaded to which project: a revision may only name those.
CREATE TABLE project_blobs (
    project_id TEXT NOT NULL,
    sha256     TEXT NOT NULL REFERENCES blobs(sha256),
    PRIMARY KEY (project_id, sha256)
);

-- The files of a project's current revision: the file model.
CREATE TABLE project_files (
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    sha256     TEXT NOT NULL REFERENCES blobs(sha256),
    size       BIGINT NOT NULL,
    PRIMARY KEY (project_id, path)
);
CREATE INDEX project_files_sha256 ON project_files (project_id, sha256);

-- What the engine derived from the current revision (zones, conduits, assets, responses, evidence,
-- risk scenarios, findings, SBOMs), one JSON body per resource with its ETag.
CREATE TABLE resources (
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    rid        TEXT NOT NULL,
    position   BIGINT NOT NULL,
    zone       TEXT,
    severity   TEXT,
    status     TEXT,
    body       TEXT NOT NULL,
    etag       TEXT NOT NULL,
    PRIMARY KEY (project_id, kind, rid)
);
CREATE INDEX resources_order ON resources (project_id, kind, position);

-- VEX triage of findings; it outlives revisions (a finding keeps its id across pushes).
CREATE TABLE triage (
    project_id    TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    finding_id    TEXT NOT NULL,
    state         TEXT NOT NULL,
    justification TEXT,
    detail        TEXT,
    updated_by    TEXT NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (project_id, finding_id)
);

-- Assessments: one per push and per explicit run; the report is the levee-report/1 JSON.
CREATE TABLE assessments (
    project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    revision    BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    created_by  TEXT NOT NULL,
    report_json TEXT NOT NULL,
    report_html TEXT NOT NULL,
    etag        TEXT NOT NULL,
    PRIMARY KEY (project_id, seq)
);

-- Scans of one stored SBOM against the server's advisory data.
CREATE TABLE scans (
    project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    sbom_path   TEXT NOT NULL,
    sbom_sha256 TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    created_by  TEXT NOT NULL,
    result_json TEXT NOT NULL,
    etag        TEXT NOT NULL,
    PRIMARY KEY (project_id, seq)
);

-- The audit log: a hash chain. Every entry's hash covers its fields and the previous hash.
CREATE TABLE audit (
    seq         BIGINT PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    detail      TEXT NOT NULL,
    before_hash TEXT,
    after_hash  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

-- One row: the last sequence number and hash. Appending updates it first, which serialises
-- concurrent writers on either database (a row lock on PostgreSQL, the write lock on SQLite).
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The background job queue the monitoring work builds on: claimed with a lease, retried.
CREATE TABLE jobs (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    project_id  TEXT,
    payload     TEXT NOT NULL,
    state       TEXT NOT NULL,
    attempts    BIGINT NOT NULL DEFAULT 0,
    run_after   BIGINT NOT NULL,
    lease_until BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    error       TEXT
);
CREATE INDEX jobs_ready ON jobs (state, run_after);
