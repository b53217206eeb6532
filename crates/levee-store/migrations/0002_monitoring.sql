-- Levee store, version 2: continuous monitoring. Portable SQL (SQLite and PostgreSQL alike).

-- Advisory files imported through the API (`levee db import FILE --server URL`): added to the
-- advisory data the server opened at start, never replacing it. Every server of one database
-- reads the same set.
CREATE TABLE advisory_files (
    sha256      TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    content     BYTEA NOT NULL,
    imported_at BIGINT NOT NULL,
    imported_by TEXT NOT NULL
);

-- The ids of an assessment's findings whose vulnerability is on the KEV list (from the advisory
-- data's KEV entries at the time of the assessment), a JSON array.
ALTER TABLE assessments ADD COLUMN kev_json TEXT NOT NULL DEFAULT '[]';

-- A project's review cadence: the interval and the model change kinds that make a review due.
CREATE TABLE review_settings (
    project_id      TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    interval_months BIGINT NOT NULL,
    significant     TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- Recorded reviews: each signs off one assessment.
CREATE TABLE reviews (
    project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    seq            BIGINT NOT NULL,
    assessment_seq BIGINT NOT NULL,
    reviewed_by    TEXT NOT NULL,
    reviewed_at    BIGINT NOT NULL,
    note           TEXT,
    PRIMARY KEY (project_id, seq)
);

-- What each push changed in the model (new-zone, new-conduit, sl-t-change, ...).
CREATE TABLE model_changes (
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    revision   BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (project_id, revision, kind, subject)
);

-- Webhooks: where events are delivered, signed with the secret (kept: it signs every body).
CREATE TABLE webhooks (
    id         TEXT PRIMARY KEY,
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    events     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- One event for one webhook, delivered through the job queue; every attempt is kept.
CREATE TABLE webhook_deliveries (
    id         TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event      TEXT NOT NULL,
    project_id TEXT,
    body       TEXT NOT NULL,
    state      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries (webhook_id, created_at);

CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempt     BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    status      BIGINT,
    error       TEXT,
    PRIMARY KEY (delivery_id, attempt)
);

-- Review-due and review-overdue notices sent, one per project, event and due date (several
-- servers never send one twice).
CREATE TABLE review_notices (
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    event      TEXT NOT NULL,
    due        TEXT NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (project_id, event, due)
);
