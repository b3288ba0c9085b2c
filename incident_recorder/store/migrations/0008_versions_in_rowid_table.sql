-- Schema 8: record versions kept in an ordinary (rowid) table.
--
-- incident_versions was a WITHOUT ROWID table. Such a table keeps its rows in an index
-- b-tree, where a row of more than about 1,000 bytes spills into overflow pages; a
-- version's JSON is 2–4 kB, so every version read decrypted three or four pages. In a
-- rowid table a row of up to about 4,000 bytes fits in one page. Same columns, same
-- key (now a unique index), same rules: history is never rewritten.
--
-- DROP TABLE removes the table's triggers before its implicit DELETE, so no rule fires;
-- the rules are made again below, word for word.

CREATE TABLE incident_versions_new (
    incident_id     INTEGER NOT NULL REFERENCES incidents (id),
    number          INTEGER NOT NULL CHECK (number >= 1),
    details_json    TEXT NOT NULL,  -- canonical JSON of IncidentDetails
    saved_at        TEXT NOT NULL,
    saved_by        INTEGER NOT NULL REFERENCES users (id),
    reason          TEXT NOT NULL DEFAULT '',
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),  -- of details_json (UTF-8)
    PRIMARY KEY (incident_id, number),
    CHECK ((number = 1 AND reason = '') OR (number > 1 AND reason <> ''))
);

INSERT INTO incident_versions_new
    (incident_id, number, details_json, saved_at, saved_by, reason, sha256)
SELECT incident_id, number, details_json, saved_at, saved_by, reason, sha256
FROM incident_versions ORDER BY incident_id, number;

DROP TABLE incident_versions;

ALTER TABLE incident_versions_new RENAME TO incident_versions;

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
