-- Schema 5: recorded reviews of pupils' behaviour support plans (issue 4). A review
-- is a record, like a submitted incident: once saved it is never changed or deleted.
-- The incidents it considered are linked in plan_review_incidents, also unchangeable.
-- The school's settings gain the kinds of antecedent offered in the form and the
-- number of incidents after which a plan review falls due.

CREATE TABLE plan_reviews (
    id                  INTEGER PRIMARY KEY,
    pupil_id            INTEGER NOT NULL REFERENCES pupils (id),
    held_on             TEXT NOT NULL,  -- yyyy-mm-dd
    outcome             TEXT NOT NULL CHECK (outcome IN ('plan_updated', 'no_change')),
    reason              TEXT NOT NULL CHECK (reason <> ''),
    participants_json   TEXT NOT NULL,  -- a JSON array of "name (role)" strings
    pupil_took_part     INTEGER NOT NULL CHECK (pupil_took_part IN (0, 1)),
    parents_took_part   INTEGER NOT NULL CHECK (parents_took_part IN (0, 1)),
    next_review         TEXT NOT NULL,  -- yyyy-mm-dd
    plan_version        INTEGER CHECK (plan_version IS NULL OR plan_version >= 1),
    recorded_at         TEXT NOT NULL,  -- UTC, ISO 8601
    recorded_by         INTEGER NOT NULL REFERENCES users (id)
);

-- A pupil's reviews newest first, and each pupil's newest review.
CREATE INDEX plan_reviews_pupil ON plan_reviews (pupil_id, held_on DESC, id DESC);

CREATE TABLE plan_review_incidents (
    review_id   INTEGER NOT NULL REFERENCES plan_reviews (id),
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    PRIMARY KEY (review_id, incident_id)
) WITHOUT ROWID;

CREATE INDEX plan_review_incidents_incident ON plan_review_incidents (incident_id);

CREATE TRIGGER plan_reviews_no_update
BEFORE UPDATE ON plan_reviews
BEGIN
    SELECT RAISE(ABORT, 'a recorded plan review cannot be changed');
END;

CREATE TRIGGER plan_reviews_no_delete
BEFORE DELETE ON plan_reviews
BEGIN
    SELECT RAISE(ABORT, 'a recorded plan review cannot be deleted');
END;

CREATE TRIGGER plan_review_incidents_no_update
BEFORE UPDATE ON plan_review_incidents
BEGIN
    SELECT RAISE(ABORT, 'the incidents a plan review considered cannot be changed');
END;

CREATE TRIGGER plan_review_incidents_no_delete
BEFORE DELETE ON plan_review_incidents
BEGIN
    SELECT RAISE(ABORT, 'the incidents a plan review considered cannot be removed');
END;

-- The new settings, where the school's settings are saved already and lack them. The
-- list is resources/picklists.toml's [antecedents] (a test checks they are equal).
UPDATE settings SET data_json = json_insert(
    data_json,
    '$.antecedent_types', json('[
        "Demand or task given",
        "Transition or change of activity",
        "Change to routine",
        "Told no / asked to stop",
        "Conflict with another pupil",
        "Unstructured time (break, lunch)",
        "Sensory overload (noise, crowds)",
        "Adult attention / interaction",
        "Wanted an item or activity",
        "Tired, hungry or unwell",
        "Something before school",
        "Not known"
    ]'),
    '$.review_incident_threshold', 3
)
WHERE id = 1;
