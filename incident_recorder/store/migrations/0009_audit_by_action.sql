-- Schema 9: the audit log found by action.
--
-- Every sign-in asks for the newest entry of one kind (the keyring revision the
-- database last recorded, "keyring_changed": services/rollback.py). Without an index
-- SQLite reads the whole log backwards to find one, or to learn there is none: 275 ms
-- with 389,000 entries. With it, one look-up.

CREATE INDEX audit_action ON audit (action, seq);
