-- Schema 11: each adult's own account of a record (issue 13, part 3).
--
-- statement_requests  each member of staff named on a submitted record (other than the
--                     author) asked for their own account: when, and which version of
--                     the record named them; one request per person per record.
-- statements          each version of one person's answer: their account in their own
--                     words, that they had nothing to add, or (recorded by a
--                     safeguarding lead) that it was given on paper and where it is
--                     filed; with the SHA-256 of the canonical text. Never changed:
--                     a revised statement is a new version.

CREATE TABLE statement_requests (
    id              INTEGER PRIMARY KEY,
    incident_id     INTEGER NOT NULL REFERENCES incidents (id),
    staff_id        INTEGER NOT NULL REFERENCES staff (id),
    requested_at    TEXT NOT NULL,  -- UTC, ISO 8601
    for_version     INTEGER NOT NULL CHECK (for_version >= 1),
    UNIQUE (incident_id, staff_id)
);

CREATE INDEX statement_requests_staff ON statement_requests (staff_id, incident_id);

CREATE TABLE statements (
    id              INTEGER PRIMARY KEY,
    request_id      INTEGER NOT NULL REFERENCES statement_requests (id),
    version         INTEGER NOT NULL CHECK (version >= 1),
    kind            TEXT NOT NULL CHECK (kind IN ('account', 'nothing_to_add', 'on_paper')),
    text            TEXT NOT NULL DEFAULT '',
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    saved_at        TEXT NOT NULL,  -- UTC, ISO 8601
    saved_by        INTEGER NOT NULL REFERENCES users (id),
    CHECK (kind = 'nothing_to_add' OR text <> ''),
    UNIQUE (request_id, version)
);

CREATE TRIGGER statement_requests_no_update
BEFORE UPDATE ON statement_requests
BEGIN
    SELECT RAISE(ABORT, 'a statement request cannot be changed');
END;

CREATE TRIGGER statement_requests_no_delete
BEFORE DELETE ON statement_requests
BEGIN
    SELECT RAISE(ABORT, 'a statement request cannot be removed');
END;

CREATE TRIGGER statements_no_update
BEFORE UPDATE ON statements
BEGIN
    SELECT RAISE(ABORT, 'a statement cannot be changed: save a new version');
END;

CREATE TRIGGER statements_no_delete
BEFORE DELETE ON statements
BEGIN
    SELECT RAISE(ABORT, 'a statement cannot be removed');
END;
