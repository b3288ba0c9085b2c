-- Schema 16: the governors' reports made (issue 14).
--
-- governors_reports  each governors' report kept: its period, when (UTC) and by whom it
--                    was made, the SHA-256 of the inputs it was computed from, the
--                    head's text boxes (JSON of GovernorsTexts), and the PDF itself with
--                    the SHA-256 of its bytes, so the same report can be printed again
--                    and shown to be the one governors saw. Written once, never changed
--                    or removed.

CREATE TABLE governors_reports (
    id                  INTEGER PRIMARY KEY,
    period_start        TEXT NOT NULL,  -- yyyy-mm-dd, inclusive
    period_end          TEXT NOT NULL,  -- yyyy-mm-dd, inclusive
    period_label        TEXT NOT NULL DEFAULT '',
    made_at             TEXT NOT NULL,  -- UTC, ISO 8601
    made_by             INTEGER NOT NULL REFERENCES users (id),
    inputs_sha256       TEXT NOT NULL CHECK (length(inputs_sha256) = 64),
    texts_json          TEXT NOT NULL,
    pdf                 BLOB NOT NULL,
    pdf_sha256          TEXT NOT NULL CHECK (length(pdf_sha256) = 64),
    CHECK (period_end >= period_start)
);

CREATE TRIGGER governors_reports_no_update
BEFORE UPDATE ON governors_reports
BEGIN
    SELECT RAISE(ABORT, 'a governors'' report kept cannot be changed');
END;

CREATE TRIGGER governors_reports_no_delete
BEFORE DELETE ON governors_reports
BEGIN
    SELECT RAISE(ABORT, 'a governors'' report kept cannot be deleted');
END;
