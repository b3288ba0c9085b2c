-- Schema 13: the safeguarding lead's desk (issue 13).
--
-- incidents.referrals   the referrals ticked on the record's follow-up step (a JSON array
--                       of codes, sorted), copied from its details like the list's other
--                       columns, so the desk finds records to consider without JSON.
-- referral_decisions    a lead's decision about one referral on one record ('made' or
--                       'not_needed'), or about an injury ('injury_review': reviewed,
--                       referral made or none needed); when (local), who, a note. Never
--                       changed: a newer decision for the same item supersedes.
-- amendment_requests    a lead asks the author to amend a record (about one version).
-- amendment_replies     the author's replies to a request.
-- amendment_closures    a lead closed a request (it also closes when the record is
--                       amended after it: worked out, not stored). At most one a request.
-- All four tables are written once, never changed or removed.

ALTER TABLE incidents ADD COLUMN referrals TEXT NOT NULL DEFAULT '[]';

UPDATE incidents SET referrals = coalesce((
    SELECT json(json_extract(v.details_json, '$.follow_up.referrals'))
    FROM incident_versions AS v
    WHERE v.incident_id = incidents.id AND v.number = incidents.version
), '[]')
WHERE status = 'submitted';

UPDATE incidents SET referrals = coalesce(
    json(json_extract(draft_json, '$.follow_up.referrals')), '[]'
)
WHERE status = 'draft';

-- The desk's "Referrals to consider": submitted records with an injury or a referral,
-- oldest first; it carries what the count reads, so counting never reads the table.
CREATE INDEX incidents_desk_referrals ON incidents (submitted_at, id, injury, referrals)
    WHERE status = 'submitted' AND (injury = 1 OR referrals <> '[]');

CREATE TABLE referral_decisions (
    id           INTEGER PRIMARY KEY,
    incident_id  INTEGER NOT NULL REFERENCES incidents (id),
    referral     TEXT NOT NULL CHECK (referral IN (
        'injury_review', 'safeguarding_lead', 'social_care', 'police', 'health', 'lado'
    )),
    decision     TEXT NOT NULL CHECK (decision IN ('made', 'not_needed')),
    at           TEXT NOT NULL,  -- local wall-clock yyyy-mm-ddTHH:MM
    decided_by   INTEGER NOT NULL REFERENCES users (id),
    note         TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL   -- UTC, ISO 8601
);

CREATE INDEX referral_decisions_incident ON referral_decisions (incident_id, referral, id);

CREATE TABLE amendment_requests (
    id            INTEGER PRIMARY KEY,
    incident_id   INTEGER NOT NULL REFERENCES incidents (id),
    version       INTEGER NOT NULL CHECK (version >= 1),
    requested_by  INTEGER NOT NULL REFERENCES users (id),
    requested_at  TEXT NOT NULL,  -- UTC, ISO 8601
    text          TEXT NOT NULL CHECK (text <> '')
);

CREATE INDEX amendment_requests_incident ON amendment_requests (incident_id, id);

CREATE TABLE amendment_replies (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES amendment_requests (id),
    replied_by  INTEGER NOT NULL REFERENCES users (id),
    replied_at  TEXT NOT NULL,  -- UTC, ISO 8601
    text        TEXT NOT NULL CHECK (text <> '')
);

CREATE INDEX amendment_replies_request ON amendment_replies (request_id, id);

CREATE TABLE amendment_closures (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL UNIQUE REFERENCES amendment_requests (id),
    closed_by   INTEGER NOT NULL REFERENCES users (id),
    closed_at   TEXT NOT NULL  -- UTC, ISO 8601
);

CREATE TRIGGER referral_decisions_no_update BEFORE UPDATE ON referral_decisions
BEGIN SELECT RAISE(ABORT, 'a referral decision cannot be changed'); END;
CREATE TRIGGER referral_decisions_no_delete BEFORE DELETE ON referral_decisions
BEGIN SELECT RAISE(ABORT, 'a referral decision cannot be removed'); END;
CREATE TRIGGER amendment_requests_no_update BEFORE UPDATE ON amendment_requests
BEGIN SELECT RAISE(ABORT, 'an amendment request cannot be changed'); END;
CREATE TRIGGER amendment_requests_no_delete BEFORE DELETE ON amendment_requests
BEGIN SELECT RAISE(ABORT, 'an amendment request cannot be removed'); END;
CREATE TRIGGER amendment_replies_no_update BEFORE UPDATE ON amendment_replies
BEGIN SELECT RAISE(ABORT, 'a reply cannot be changed'); END;
CREATE TRIGGER amendment_replies_no_delete BEFORE DELETE ON amendment_replies
BEGIN SELECT RAISE(ABORT, 'a reply cannot be removed'); END;
CREATE TRIGGER amendment_closures_no_update BEFORE UPDATE ON amendment_closures
BEGIN SELECT RAISE(ABORT, 'a closed request cannot be changed'); END;
CREATE TRIGGER amendment_closures_no_delete BEFORE DELETE ON amendment_closures
BEGIN SELECT RAISE(ABORT, 'a closed request cannot be removed'); END;

-- The desk's "To sign off": submitted records, oldest submitted first, with the version
-- (so the badge's count reads the index alone: 150 ms reading the table at 100,000).
CREATE INDEX incidents_submitted ON incidents (submitted_at, id, version)
    WHERE status = 'submitted';
