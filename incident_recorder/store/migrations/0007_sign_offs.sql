-- Schema 7: sign-off of records by a safeguarding lead or senior leader.
--
-- sign_offs  each sign-off of one version of a submitted record, with the SHA-256 of
--            that version (incident_versions.sha256) so it can be matched to exactly
--            what was read; never changed or removed. An amended record is signed off
--            again as its new version.

CREATE TABLE sign_offs (
    id              INTEGER PRIMARY KEY,
    incident_id     INTEGER NOT NULL REFERENCES incidents (id),
    version         INTEGER NOT NULL CHECK (version >= 1),
    version_sha256  TEXT NOT NULL CHECK (length(version_sha256) = 64),
    signed_at       TEXT NOT NULL,  -- UTC, ISO 8601
    signed_by       INTEGER NOT NULL REFERENCES users (id),
    comment         TEXT NOT NULL DEFAULT '',
    UNIQUE (incident_id, version)
);

CREATE INDEX sign_offs_incident ON sign_offs (incident_id, version);

CREATE TRIGGER sign_offs_no_update
BEFORE UPDATE ON sign_offs
BEGIN
    SELECT RAISE(ABORT, 'a sign-off cannot be changed');
END;

CREATE TRIGGER sign_offs_no_delete
BEFORE DELETE ON sign_offs
BEGIN
    SELECT RAISE(ABORT, 'a sign-off cannot be removed');
END;
