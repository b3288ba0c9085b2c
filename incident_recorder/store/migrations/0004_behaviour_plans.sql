-- Schema 4: behaviour support plans (issue 4). Each save of a pupil's plan is a new
-- numbered version; saved versions are never changed or deleted, like the versions of
-- a submitted record. The plan's values are canonical JSON (domain/serialise.py); the
-- dates are copied into columns so "the plan in force on a day" is one indexed query.

CREATE TABLE behaviour_plans (
    pupil_id    INTEGER NOT NULL REFERENCES pupils (id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    start_date  TEXT NOT NULL,  -- yyyy-mm-dd
    review_date TEXT NOT NULL,  -- yyyy-mm-dd
    plan_json   TEXT NOT NULL,
    saved_at    TEXT NOT NULL,  -- UTC, ISO 8601
    saved_by    INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (pupil_id, version)
) WITHOUT ROWID;

CREATE INDEX behaviour_plans_start ON behaviour_plans (pupil_id, start_date);

CREATE TRIGGER behaviour_plans_no_update
BEFORE UPDATE ON behaviour_plans
BEGIN
    SELECT RAISE(ABORT, 'a saved version of a behaviour support plan cannot be changed');
END;

CREATE TRIGGER behaviour_plans_no_delete
BEFORE DELETE ON behaviour_plans
BEGIN
    SELECT RAISE(ABORT, 'a saved version of a behaviour support plan cannot be deleted');
END;

CREATE TRIGGER behaviour_plans_in_order
BEFORE INSERT ON behaviour_plans
WHEN NEW.version IS NOT (
    SELECT coalesce(max(version), 0) + 1 FROM behaviour_plans WHERE pupil_id = NEW.pupil_id
)
BEGIN
    SELECT RAISE(ABORT, 'plan versions are numbered 1, 2, 3 without gaps');
END;
