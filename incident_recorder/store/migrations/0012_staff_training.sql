-- Schema 12: the positive-handling training each member of staff holds (issue 13).
--
-- staff_training  every entry ever typed or imported, never changed or deleted. A
--                 correction is a new 'entry' row whose "replaces" names the row it
--                 corrects; a removal is a 'removal' row naming the row it withdraws,
--                 with the reason in note. The entries in force are the 'entry' rows
--                 that no later row replaces. expires_on NULL: the school's default
--                 number of months (settings: training_valid_months) applies.

CREATE TABLE staff_training (
    id              INTEGER PRIMARY KEY,
    staff_id        INTEGER NOT NULL REFERENCES staff (id),
    kind            TEXT NOT NULL CHECK (kind IN ('entry', 'removal')),
    course          TEXT NOT NULL DEFAULT '',
    trained_on      TEXT,  -- yyyy-mm-dd
    expires_on      TEXT,  -- yyyy-mm-dd, the last day it is valid; NULL: the default
    note            TEXT NOT NULL DEFAULT '',
    replaces        INTEGER REFERENCES staff_training (id),
    recorded_at     TEXT NOT NULL,  -- UTC, ISO 8601
    recorded_by     INTEGER NOT NULL REFERENCES users (id),
    CHECK (
        (kind = 'entry' AND course <> '' AND trained_on IS NOT NULL)
        OR (kind = 'removal' AND replaces IS NOT NULL AND note <> '')
    ),
    CHECK (expires_on IS NULL OR expires_on >= trained_on)
);

CREATE INDEX staff_training_staff ON staff_training (staff_id);

-- An entry is corrected or removed at most once.
CREATE UNIQUE INDEX staff_training_replaced_once ON staff_training (replaces)
    WHERE replaces IS NOT NULL;

CREATE TRIGGER staff_training_no_update
BEFORE UPDATE ON staff_training
BEGIN
    SELECT RAISE(ABORT, 'a training entry cannot be changed: record a correction');
END;

CREATE TRIGGER staff_training_no_delete
BEFORE DELETE ON staff_training
BEGIN
    SELECT RAISE(ABORT, 'a training entry cannot be deleted: record a removal');
END;
