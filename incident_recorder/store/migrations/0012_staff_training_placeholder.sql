-- PLACEHOLDER on branch issue13-desk only, so that schema 13 (the desk) has no gap while
-- schema 0012 is written on another branch. The integrator drops this file for the real
-- migration 0012 when merging. It changes nothing.
SELECT 1;
