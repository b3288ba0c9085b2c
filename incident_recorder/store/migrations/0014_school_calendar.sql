-- Schema 14: PLACEHOLDER for the school calendar (issue 14, branch issue14-calendar).
-- It does nothing; it keeps the numbering whole until the calendar's own migration
-- replaces it at merge.
SELECT 1;
