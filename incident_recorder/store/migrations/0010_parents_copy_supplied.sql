-- Schema 10: the written record supplied to the pupil's parents (issue 13; the law since
-- 1 April 2026 asks for it "as soon as practicable").
--
-- parents_copies  each copy of the record supplied to the parents (which version, when,
--                 how, to whom, by whom), and each decision that an amended version
--                 need not go to them (kind 'not_needed', with the reason in note);
--                 written after the record, never changed.

CREATE TABLE parents_copies (
    id              INTEGER PRIMARY KEY,
    incident_id     INTEGER NOT NULL REFERENCES incidents (id),
    version         INTEGER NOT NULL CHECK (version >= 1),
    kind            TEXT NOT NULL CHECK (kind IN ('supplied', 'not_needed')),
    at              TEXT NOT NULL,  -- local wall-clock yyyy-mm-ddTHH:MM
    how             TEXT NOT NULL DEFAULT '' CHECK (
        (kind = 'supplied' AND how IN ('handed', 'posted', 'emailed'))
        OR (kind = 'not_needed' AND how = '')
    ),
    parent          TEXT NOT NULL DEFAULT '',  -- which parent or carer
    by_whom         TEXT NOT NULL DEFAULT '',  -- the member of staff
    note            TEXT NOT NULL DEFAULT '',
    recorded_at     TEXT NOT NULL,  -- UTC, ISO 8601
    recorded_by     INTEGER NOT NULL REFERENCES users (id),
    CHECK (kind = 'supplied' OR note <> '')
);

CREATE INDEX parents_copies_incident ON parents_copies (incident_id, version, kind);

CREATE TRIGGER parents_copies_no_update
BEFORE UPDATE ON parents_copies
BEGIN
    SELECT RAISE(ABORT, 'a recorded copy supplied to parents cannot be changed');
END;

CREATE TRIGGER parents_copies_no_delete
BEFORE DELETE ON parents_copies
BEGIN
    SELECT RAISE(ABORT, 'a recorded copy supplied to parents cannot be deleted');
END;
