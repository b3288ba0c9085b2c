-- Schema 1: the first schema of Incident Recorder.
--
-- Times the software records (saved, submitted, audit) are UTC ISO-8601 text with
-- microseconds and "+00:00", so they sort as text. Incident dates are "YYYY-MM-DD"
-- and clock times "HH:MM" (the school's wall clock).

-- The school's settings: one row, the JSON of SchoolSettings.
CREATE TABLE settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    data_json   TEXT NOT NULL
);

CREATE TABLE staff (
    id          INTEGER PRIMARY KEY,
    full_name   TEXT NOT NULL,
    job_title   TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    username    TEXT NOT NULL UNIQUE CHECK (username = lower(username) AND username <> ''),
    full_name   TEXT NOT NULL,
    roles       TEXT NOT NULL,  -- comma-separated Role values, sorted
    staff_id    INTEGER REFERENCES staff (id),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE pupils (
    id              INTEGER PRIMARY KEY,
    upn             TEXT NOT NULL DEFAULT '',
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    preferred_name  TEXT NOT NULL DEFAULT '',
    date_of_birth   TEXT,
    year_group      TEXT NOT NULL DEFAULT '',
    class_name      TEXT NOT NULL DEFAULT '',
    sen_status      TEXT NOT NULL DEFAULT 'none',
    looked_after    INTEGER NOT NULL DEFAULT 0 CHECK (looked_after IN (0, 1)),
    left_on         TEXT,
    -- Written by the store: names and UPN lower-cased without accents, for searching;
    -- "last, first" the same way, for sorting.
    search_name     TEXT NOT NULL,
    sort_key        TEXT NOT NULL
);
CREATE UNIQUE INDEX pupils_upn ON pupils (upn) WHERE upn <> '';
CREATE INDEX pupils_search ON pupils (search_name);
CREATE INDEX pupils_roll ON pupils ((left_on IS NOT NULL), sort_key);

-- Incidents from one event (several pupils held) share an event.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES users (id)
);

CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events (id),
    status          TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    reference       TEXT UNIQUE,
    author_id       INTEGER NOT NULL REFERENCES users (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    submitted_at    TEXT,
    draft_json      TEXT,  -- the draft's details; NULL once submitted (see incident_versions)
    version         INTEGER NOT NULL DEFAULT 0,  -- 0 for a draft, else the latest version
    -- Copied from the details for the incident list; the details are the truth.
    occurred_on     TEXT,
    start_time      TEXT,
    pupil_id        INTEGER,
    location        TEXT NOT NULL DEFAULT '',
    location_key    TEXT NOT NULL DEFAULT '',  -- lower-cased without accents, for searching
    injury          INTEGER NOT NULL DEFAULT 0 CHECK (injury IN (0, 1)),
    floor_position  INTEGER NOT NULL DEFAULT 0 CHECK (floor_position IN (0, 1)),
    CHECK (
        (status = 'draft' AND reference IS NULL AND submitted_at IS NULL
            AND draft_json IS NOT NULL AND version = 0)
        OR (status = 'submitted' AND reference IS NOT NULL AND submitted_at IS NOT NULL
            AND draft_json IS NULL AND version >= 1)
    )
);
-- The list, newest first. The trailing columns let the count and the filters (text,
-- visibility) run on the index alone, without reading the table.
CREATE INDEX incidents_list ON incidents (
    status, occurred_on DESC, start_time DESC, id DESC, pupil_id, author_id, reference,
    location_key
);
CREATE INDEX incidents_pupil
    ON incidents (pupil_id, status, occurred_on DESC, start_time DESC, id DESC);
CREATE INDEX incidents_author ON incidents (author_id, status, updated_at DESC);
CREATE INDEX incidents_event ON incidents (event_id);

-- Who was involved (from the details), for what a Staff-only user may see.
CREATE TABLE incident_staff (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    staff_id    INTEGER NOT NULL,
    PRIMARY KEY (incident_id, staff_id)
) WITHOUT ROWID;
CREATE INDEX incident_staff_by_staff ON incident_staff (staff_id, incident_id);

-- Every version of a submitted record; version 1 is the submission.
CREATE TABLE incident_versions (
    incident_id     INTEGER NOT NULL REFERENCES incidents (id),
    number          INTEGER NOT NULL CHECK (number >= 1),
    details_json    TEXT NOT NULL,  -- canonical JSON of IncidentDetails
    saved_at        TEXT NOT NULL,
    saved_by        INTEGER NOT NULL REFERENCES users (id),
    reason          TEXT NOT NULL DEFAULT '',
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),  -- of details_json (UTF-8)
    PRIMARY KEY (incident_id, number),
    CHECK ((number = 1 AND reason = '') OR (number > 1 AND reason <> ''))
) WITHOUT ROWID;

-- Gapless references YYYY-NNNN: the counter moves inside the submit transaction.
CREATE TABLE reference_counters (
    year        INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL CHECK (last_number >= 1)
);

-- The hash-chained audit log. AUTOINCREMENT keeps sqlite_sequence, so entries removed
-- from the end of the log still leave a trace.
CREATE TABLE audit (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT NOT NULL,
    actor_id        INTEGER,
    action          TEXT NOT NULL,
    incident_id     INTEGER,  -- no foreign key: the log outlives discarded drafts
    detail          TEXT NOT NULL DEFAULT '',
    record_sha256   TEXT,
    prev_hash       TEXT NOT NULL CHECK (length(prev_hash) = 64),
    entry_hash      TEXT NOT NULL CHECK (length(entry_hash) = 64)
);
CREATE INDEX audit_incident ON audit (incident_id, seq);

-- ---------------------------------------------------------------- the bound book
-- History is never rewritten, even by SQL typed by hand.

CREATE TRIGGER incident_versions_no_update
BEFORE UPDATE ON incident_versions
BEGIN
    SELECT RAISE(ABORT, 'a saved version of a record cannot be changed');
END;

CREATE TRIGGER incident_versions_no_delete
BEFORE DELETE ON incident_versions
BEGIN
    SELECT RAISE(ABORT, 'a saved version of a record cannot be deleted');
END;

CREATE TRIGGER incident_versions_in_order
BEFORE INSERT ON incident_versions
WHEN NEW.number IS NOT (
    SELECT coalesce(max(number), 0) + 1 FROM incident_versions WHERE incident_id = NEW.incident_id
)
BEGIN
    SELECT RAISE(ABORT, 'record versions are numbered 1, 2, 3 without gaps');
END;

CREATE TRIGGER incidents_submitted_fixed
BEFORE UPDATE ON incidents
WHEN OLD.status = 'submitted' AND (
    NEW.status IS NOT OLD.status
    OR NEW.reference IS NOT OLD.reference
    OR NEW.author_id IS NOT OLD.author_id
    OR NEW.created_at IS NOT OLD.created_at
    OR NEW.submitted_at IS NOT OLD.submitted_at
    OR NEW.version < OLD.version
)
BEGIN
    SELECT RAISE(ABORT, 'a submitted record keeps its reference, author and history');
END;

CREATE TRIGGER incidents_submitted_no_delete
BEFORE DELETE ON incidents
WHEN OLD.status = 'submitted'
BEGIN
    SELECT RAISE(ABORT, 'a submitted record cannot be deleted');
END;

CREATE TRIGGER audit_no_update
BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;

CREATE TRIGGER audit_no_delete
BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;

CREATE TRIGGER audit_append_at_end
BEFORE INSERT ON audit
WHEN NEW.seq <= (SELECT coalesce(max(seq), 0) FROM audit)
    OR NEW.prev_hash IS NOT coalesce(
        (SELECT entry_hash FROM audit ORDER BY seq DESC LIMIT 1),
        '0000000000000000000000000000000000000000000000000000000000000000'
    )
BEGIN
    SELECT RAISE(ABORT, 'audit entries can only be added at the end of the log');
END;
