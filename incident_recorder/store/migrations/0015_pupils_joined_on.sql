-- Schema 15: the day each pupil joined the school's roll (issue 14), from the MIS's
-- admission date column when the import has one.
--
-- pupils.joined_on  yyyy-mm-dd, the first day on roll; NULL: not known, and the
--                   oversight figures then count the pupil as on roll from before any
--                   period (left_on is the first day no longer on roll).

ALTER TABLE pupils ADD COLUMN joined_on TEXT;
