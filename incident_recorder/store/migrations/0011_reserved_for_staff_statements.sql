-- Schema 11 is the staff statements' migration, made on another branch at the same
-- time as schema 12 (staff training). This placeholder only keeps the numbers gapless
-- on the training branch: when the branches are merged, delete this file (and its
-- fixture pair schema-0011.*) in favour of the statements' own 0011, then make the
-- schema-0012 fixture again from the merged code.
SELECT 1;
