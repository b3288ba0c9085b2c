-- Schema 6: letters to parents and carers, the documents produced from a record, and
-- tracking that parents were told (issue 5).
--
-- letter_templates  every saved version of the school's letter wording (the shipped
--                   default is version 0 in code, never stored); never changed.
-- document_outputs  each preview, print and save of a letter or of the printable
--                   record, with a hash of exactly the bytes produced; never changed.
-- parent_contacts   each attempt to contact parents, each letter sent, each reply or
--                   meeting, written after the record; never changed.
-- school_logo       the logo printed on the letterhead (a PNG; one row at most).
-- incidents.parents_status copies the latest details' parents.status ('told',
-- 'not_yet', 'withheld' or NULL) for the "parents to tell" list, like location.

CREATE TABLE letter_templates (
    version     INTEGER PRIMARY KEY CHECK (version >= 1),
    body        TEXT NOT NULL CHECK (body <> ''),
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),  -- of body (UTF-8)
    saved_at    TEXT NOT NULL,  -- UTC, ISO 8601
    saved_by    INTEGER NOT NULL REFERENCES users (id)
);

CREATE TRIGGER letter_templates_no_update
BEFORE UPDATE ON letter_templates
BEGIN
    SELECT RAISE(ABORT, 'a saved letter template cannot be changed');
END;

CREATE TRIGGER letter_templates_no_delete
BEFORE DELETE ON letter_templates
BEGIN
    SELECT RAISE(ABORT, 'a saved letter template cannot be deleted');
END;

CREATE TABLE document_outputs (
    id                  INTEGER PRIMARY KEY,
    incident_id         INTEGER NOT NULL REFERENCES incidents (id),
    kind                TEXT NOT NULL CHECK (kind IN ('letter', 'record', 'record_for_parents')),
    how                 TEXT NOT NULL CHECK (how IN ('previewed', 'printed', 'saved')),
    recipient           TEXT NOT NULL DEFAULT '',  -- a letter's addressee, as printed
    template_version    INTEGER CHECK (template_version IS NULL OR template_version >= 0),
    pages               INTEGER NOT NULL CHECK (pages >= 1),
    sha256              TEXT NOT NULL CHECK (length(sha256) = 64),  -- of the PDF bytes
    at                  TEXT NOT NULL,  -- UTC, ISO 8601
    by_user             INTEGER NOT NULL REFERENCES users (id),
    CHECK (kind = 'letter' OR template_version IS NULL)
);

CREATE INDEX document_outputs_incident ON document_outputs (incident_id, id);

CREATE TRIGGER document_outputs_no_update
BEFORE UPDATE ON document_outputs
BEGIN
    SELECT RAISE(ABORT, 'a record of a document produced cannot be changed');
END;

CREATE TRIGGER document_outputs_no_delete
BEFORE DELETE ON document_outputs
BEGIN
    SELECT RAISE(ABORT, 'a record of a document produced cannot be deleted');
END;

CREATE TABLE parent_contacts (
    id              INTEGER PRIMARY KEY,
    incident_id     INTEGER NOT NULL REFERENCES incidents (id),
    kind            TEXT NOT NULL CHECK (kind IN ('attempt', 'letter_sent', 'reply')),
    at              TEXT NOT NULL,  -- local wall-clock yyyy-mm-ddTHH:MM when it happened
    parent          TEXT NOT NULL DEFAULT '',  -- which parent or carer
    method          TEXT NOT NULL,  -- a ContactMethod or LetterDelivery value
    outcome         TEXT NOT NULL DEFAULT '',  -- an AttemptOutcome value for an attempt
    by_whom         TEXT NOT NULL DEFAULT '',  -- the member of staff who made contact
    note            TEXT NOT NULL DEFAULT '',
    recorded_at     TEXT NOT NULL,  -- UTC, ISO 8601
    recorded_by     INTEGER NOT NULL REFERENCES users (id)
);

CREATE INDEX parent_contacts_incident ON parent_contacts (incident_id, at, id);

CREATE TRIGGER parent_contacts_no_update
BEFORE UPDATE ON parent_contacts
BEGIN
    SELECT RAISE(ABORT, 'a recorded contact with parents cannot be changed');
END;

CREATE TRIGGER parent_contacts_no_delete
BEFORE DELETE ON parent_contacts
BEGIN
    SELECT RAISE(ABORT, 'a recorded contact with parents cannot be deleted');
END;

CREATE TABLE school_logo (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    png         BLOB NOT NULL,
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    saved_at    TEXT NOT NULL,
    saved_by    INTEGER NOT NULL REFERENCES users (id)
);

ALTER TABLE incidents ADD COLUMN parents_status TEXT
    CHECK (parents_status IS NULL OR parents_status IN ('told', 'not_yet', 'withheld'));

UPDATE incidents SET parents_status = json_extract(draft_json, '$.parents.status')
WHERE status = 'draft';

UPDATE incidents SET parents_status = (
    SELECT json_extract(v.details_json, '$.parents.status')
    FROM incident_versions AS v
    WHERE v.incident_id = incidents.id AND v.number = incidents.version
)
WHERE status = 'submitted';

-- The "parents to tell" list: submitted records, oldest first.
CREATE INDEX incidents_parents ON incidents (parents_status, occurred_on, start_time)
    WHERE status = 'submitted';
