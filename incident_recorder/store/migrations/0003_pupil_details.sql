-- Schema 3: the rest of a pupil's record from the school's MIS (issue 4), and their
-- parents and carers. Every new column has a default, so pupils added before keep
-- working unchanged.

ALTER TABLE pupils ADD COLUMN sex TEXT NOT NULL DEFAULT '';
ALTER TABLE pupils ADD COLUMN ethnicity TEXT NOT NULL DEFAULT '';
ALTER TABLE pupils ADD COLUMN primary_need TEXT NOT NULL DEFAULT '';
ALTER TABLE pupils ADD COLUMN previously_looked_after INTEGER NOT NULL DEFAULT 0
    CHECK (previously_looked_after IN (0, 1));
ALTER TABLE pupils ADD COLUMN kinship_care INTEGER NOT NULL DEFAULT 0
    CHECK (kinship_care IN (0, 1));
ALTER TABLE pupils ADD COLUMN child_in_need INTEGER NOT NULL DEFAULT 0
    CHECK (child_in_need IN (0, 1));
ALTER TABLE pupils ADD COLUMN child_protection_plan INTEGER NOT NULL DEFAULT 0
    CHECK (child_protection_plan IN (0, 1));
ALTER TABLE pupils ADD COLUMN free_school_meals INTEGER NOT NULL DEFAULT 0
    CHECK (free_school_meals IN (0, 1));
ALTER TABLE pupils ADD COLUMN pupil_premium INTEGER NOT NULL DEFAULT 0
    CHECK (pupil_premium IN (0, 1));
ALTER TABLE pupils ADD COLUMN eal INTEGER NOT NULL DEFAULT 0 CHECK (eal IN (0, 1));
ALTER TABLE pupils ADD COLUMN first_language TEXT NOT NULL DEFAULT '';

-- Parents and carers, in the MIS's priority order (position 1 is contact 1). They are
-- replaced as a whole when the pupil is saved or re-imported.
CREATE TABLE pupil_contacts (
    pupil_id                INTEGER NOT NULL REFERENCES pupils (id) ON DELETE CASCADE,
    position                INTEGER NOT NULL,
    name                    TEXT NOT NULL,
    relationship            TEXT NOT NULL DEFAULT '',
    parental_responsibility INTEGER NOT NULL DEFAULT 0
        CHECK (parental_responsibility IN (0, 1)),
    address                 TEXT NOT NULL DEFAULT '',
    phone                   TEXT NOT NULL DEFAULT '',
    email                   TEXT NOT NULL DEFAULT '',
    preferred_language      TEXT NOT NULL DEFAULT '',
    receives_correspondence INTEGER NOT NULL DEFAULT 0
        CHECK (receives_correspondence IN (0, 1)),
    PRIMARY KEY (pupil_id, position)
) WITHOUT ROWID;
