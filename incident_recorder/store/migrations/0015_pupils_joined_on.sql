-- Schema 15: the day each pupil joined the school's roll (issue 14), from the MIS's
-- admission date column when the import has one.
--
-- pupils.joined_on  yyyy-mm-dd, the first day on roll; NULL: not known, and the
--                   oversight figures then count the pupil as on roll from before any
--                   period (left_on is the first day no longer on roll).

ALTER TABLE pupils ADD COLUMN joined_on TEXT;

-- incidents.facts  what the oversight figures read from a record's details, as compact
--                  JSON, copied from the details whenever a record is saved (like the
--                  list's columns; store/list_columns.py), so a year's figures read no
--                  record's full JSON: {"end": "HH:MM" or null, "kind": InterventionKind
--                  value or "", "techniques": [each hold's technique], "longest_hold":
--                  seconds or null, "floor": [FloorPosition values, when on the floor],
--                  "antecedents": [kinds], "deescalation": 0/1 (strategies ticked or
--                  another described), "pupil_injured": 0/1, "staff_injured": 0/1,
--                  "held_by": [staff ids who carried out or assisted], "told_at":
--                  "yyyy-mm-ddTHH:MM[:SS]" or null (when the form says parents were told)}.

ALTER TABLE incidents ADD COLUMN facts TEXT NOT NULL DEFAULT '{}';

CREATE TEMP TABLE facts_source AS
    SELECT i.id AS id, coalesce(v.details_json, i.draft_json) AS d
    FROM incidents AS i
    LEFT JOIN incident_versions AS v ON v.incident_id = i.id AND v.number = i.version;

UPDATE incidents SET facts = (
    SELECT json_object(
        'end', s.d ->> '$.when_where.end',
        'kind', coalesce(s.d ->> '$.intervention.kind', ''),
        'techniques', (SELECT json_group_array(coalesce(h.value ->> '$.technique', ''))
            FROM json_each(s.d, '$.intervention.holds') AS h),
        'longest_hold', (SELECT max(coalesce(h.value ->> '$.seconds',
                (h.value ->> '$.minutes') * 60))
            FROM json_each(s.d, '$.intervention.holds') AS h),
        'floor', CASE WHEN s.d ->> '$.intervention.floor_position'
            THEN coalesce(s.d -> '$.intervention.floor_positions', json('[]'))
            ELSE json('[]') END,
        'antecedents', coalesce(s.d -> '$.what_happened.antecedent_types', json('[]')),
        'deescalation', (coalesce(json_array_length(s.d, '$.deescalation.strategies'), 0) > 0
            OR trim(coalesce(s.d ->> '$.deescalation.other', ''), char(32, 9, 10, 13)) <> ''),
        'pupil_injured', coalesce(s.d ->> '$.injuries.pupil_injured', 0),
        'staff_injured', coalesce(s.d ->> '$.injuries.staff_injured', 0),
        'held_by', (SELECT json_group_array(DISTINCT w.value ->> '$.staff_id')
            FROM json_each(s.d, '$.who.staff') AS w
            WHERE w.value ->> '$.part' IN ('carried_out', 'assisted')),
        'told_at', s.d ->> '$.parents.told_at'
    )
    FROM facts_source AS s WHERE s.id = incidents.id
);

DROP TABLE facts_source;
