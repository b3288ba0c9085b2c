-- Schema 14: the school calendar (issue 14).
--
-- school_terms     the school's terms or half terms, inclusive dates (yyyy-mm-dd), in
--                  no particular order; they never overlap (the service checks).
-- school_closures  days the school is closed within a term (an INSET day, a bank
--                  holiday), with the reason shown in the calendar.
-- No rows in school_terms: the school keeps no calendar of its own, and the standard
-- English term dates apply (domain/calendar.py). Saving the calendar replaces every
-- row of both tables in one transaction, audited as a settings change.

CREATE TABLE school_terms (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL CHECK (name <> ''),
    start_on  TEXT NOT NULL UNIQUE,  -- yyyy-mm-dd
    end_on    TEXT NOT NULL,         -- yyyy-mm-dd, the last day of the term
    CHECK (end_on >= start_on)
);

CREATE TABLE school_closures (
    day     TEXT PRIMARY KEY,  -- yyyy-mm-dd
    reason  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
