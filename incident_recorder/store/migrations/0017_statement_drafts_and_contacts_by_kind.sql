-- Schema 17: unsaved statements kept, and the parents' duties list's look-ups.
--
-- statement_drafts    what someone has typed into their statement and not yet saved,
--                     kept as they type and when the app locks, so locking or closing
--                     the window loses none of it. One a request; replaced as they type
--                     and removed when the statement is saved (a draft is not a
--                     statement: it is never printed, exported or audited as one).
-- parent_contacts_kind  the parents' duties list asks of each record "was a letter
--                     sent?" and "were they told?": answered from this index alone.

CREATE TABLE statement_drafts (
    request_id      INTEGER PRIMARY KEY REFERENCES statement_requests (id),
    text            TEXT NOT NULL CHECK (text <> ''),
    saved_at        TEXT NOT NULL,  -- UTC, ISO 8601
    saved_by        INTEGER NOT NULL REFERENCES users (id)
);

CREATE INDEX parent_contacts_kind ON parent_contacts (incident_id, kind, outcome);
