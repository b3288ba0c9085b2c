"""The audit log: an append-only, hash-chained list of everything done.

Each entry's hash is SHA-256 over a canonical text of its fields and the previous
entry's hash (64 zeros for the first), so editing, removing or reordering an entry
breaks the chain from that point. Entries that touched a record version carry that
version's SHA-256, so a changed version is found too.

The chain proves the log is internally consistent. Someone holding the data key could
still rewrite the whole chain from some point on; an outside copy of the latest hash
(printed, or kept in a backup) is what would catch that.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from incident_recorder.services.ports import AuditEntry
from incident_recorder.store._values import utc_from_text, utc_text
from incident_recorder.store.connection import Connection, Row

GENESIS_HASH = "0" * 64
_HASH_FORMAT = "incident-recorder-audit-v1"
_BATCH = 2000

# Action names the services write that verify() must know about:
# actions that legitimately remove a record from the database (the log keeps them),
REMOVAL_ACTIONS = frozenset({"discard_draft", "delete", "retention_delete"})
# and actions that bring in a record with earlier versions made elsewhere (the entry
# names only the latest version's fingerprint).
IMPORT_ACTIONS = frozenset({"import"})
# and the actions that keep a staff statement, naming its fingerprint ("... sha256 <hex>").
STATEMENT_ACTIONS = frozenset(
    {
        "statement_written",
        "statement_nothing_to_add",
        "statement_on_paper",
        "statement_imported",
    }
)

_COLUMNS = "seq, at, actor_id, action, incident_id, detail, record_sha256, prev_hash, entry_hash"


def entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor_id: int | None,
    action: str,
    incident_id: int | None,
    detail: str,
    record_sha256: str | None,
) -> str:
    """SHA-256 (hex) of the canonical text of one entry: a JSON array, no spaces."""
    text = json.dumps(
        [_HASH_FORMAT, prev_hash, seq, at, actor_id, action, incident_id, detail, record_sha256],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _row_hash(row: Row) -> str:
    return entry_hash(
        row["prev_hash"],
        int(row["seq"]),
        row["at"],
        row["actor_id"],
        row["action"],
        row["incident_id"],
        row["detail"],
        row["record_sha256"],
    )


def _entry(row: Row) -> AuditEntry:
    return AuditEntry(
        seq=int(row["seq"]),
        at=utc_from_text(row["at"]),
        actor_id=row["actor_id"],
        action=row["action"],
        incident_id=row["incident_id"],
        detail=row["detail"],
        record_sha256=row["record_sha256"],
        prev_hash=row["prev_hash"],
        entry_hash=row["entry_hash"],
    )


def _entries_word(first: int, last: int) -> str:
    if first == last:
        return f"Audit entry {first} is missing"
    return f"Audit entries {first}–{last} are missing"


class SqlAuditLog:
    def __init__(self, db: Connection) -> None:
        self._db = db

    def append(
        self,
        actor_id: int | None,
        action: str,
        now: datetime,
        incident_id: int | None = None,
        detail: str = "",
        record_sha256: str | None = None,
    ) -> AuditEntry:
        at = utc_text(now)
        with self._db.transaction():
            head = self._db.one("SELECT seq, entry_hash FROM audit ORDER BY seq DESC LIMIT 1")
            prev = GENESIS_HASH if head is None else str(head["entry_hash"])
            # sqlite_sequence remembers the highest number ever used, so entries cut from
            # the end of the log leave a visible gap instead of being quietly reused.
            used = self._db.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'audit'")
            seq = max(int(used or 0), 0 if head is None else int(head["seq"])) + 1
            digest = entry_hash(prev, seq, at, actor_id, action, incident_id, detail, record_sha256)
            self._db.execute(
                f"INSERT INTO audit ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, at, actor_id, action, incident_id, detail, record_sha256, prev, digest),
            )
        return AuditEntry(
            seq=seq,
            at=utc_from_text(at),
            actor_id=actor_id,
            action=action,
            incident_id=incident_id,
            detail=detail,
            record_sha256=record_sha256,
            prev_hash=prev,
            entry_hash=digest,
        )

    def entries(self, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
        """Newest first."""
        rows = self._db.all(
            f"SELECT {_COLUMNS} FROM audit ORDER BY seq DESC LIMIT ? OFFSET ?",
            (max(0, limit), max(0, offset)),
        )
        return [_entry(row) for row in rows]

    def for_incident(self, incident_id: int) -> list[AuditEntry]:
        """Every entry about one record, oldest first."""
        rows = self._db.all(
            f"SELECT {_COLUMNS} FROM audit WHERE incident_id = ? ORDER BY seq", (incident_id,)
        )
        return [_entry(row) for row in rows]

    def head(self) -> AuditEntry | None:
        row = self._db.one(f"SELECT {_COLUMNS} FROM audit ORDER BY seq DESC LIMIT 1")
        return None if row is None else _entry(row)

    def entry(self, seq: int) -> AuditEntry | None:
        row = self._db.one(f"SELECT {_COLUMNS} FROM audit WHERE seq = ?", (int(seq),))
        return None if row is None else _entry(row)

    def latest(self, action: str) -> AuditEntry | None:
        row = self._db.one(
            f"SELECT {_COLUMNS} FROM audit WHERE action = ? ORDER BY seq DESC LIMIT 1", (action,)
        )
        return None if row is None else _entry(row)

    # ------------------------------------------------------------------ verify

    def verify(self) -> list[str]:
        problems = self._verify_chain()
        problems += self._verify_versions()
        problems += self._verify_record_hashes()
        problems += self._verify_statements()
        return problems

    def _verify_statements(self) -> list[str]:
        """Each staff statement (schema 11 on) still matches its fingerprint, and an
        audit entry vouches for it (the entry that recorded it names the fingerprint)."""
        if self._db.one("SELECT 1 FROM sqlite_master WHERE name = 'statements'") is None:
            return []  # an older schema (a backup being checked)
        from incident_recorder.domain.statements import text_sha256

        vouched: set[tuple[int, str]] = set()
        for row in self._db.all(
            "SELECT incident_id, detail FROM audit WHERE action IN "
            f"({_marks(STATEMENT_ACTIONS)}) AND incident_id IS NOT NULL",
            sorted(STATEMENT_ACTIONS),
        ):
            _, _, digest = str(row["detail"]).rpartition("sha256 ")
            vouched.add((int(row["incident_id"]), digest.strip()))
        problems: list[str] = []
        rows = self._db.all(
            "SELECT s.version, s.text, s.sha256, r.incident_id, i.reference "
            "FROM statements AS s JOIN statement_requests AS r ON r.id = s.request_id "
            "LEFT JOIN incidents AS i ON i.id = r.incident_id ORDER BY s.id"
        )
        for row in rows:
            what = f"A staff statement on record {_name(row)} (version {row['version']})"
            if text_sha256(row["text"]) != row["sha256"]:
                problems.append(
                    f"{what} has been changed: its text no longer matches its fingerprint."
                )
            elif (int(row["incident_id"]), row["sha256"]) not in vouched:
                problems.append(
                    f"{what} has no matching audit entry: the entry that recorded it may "
                    "have been removed."
                )
        return problems

    def _verify_chain(self) -> list[str]:
        problems: list[str] = []
        prev_seq = 0
        prev_hash = GENESIS_HASH
        last_seq = 0
        while True:
            rows = self._db.all(
                f"SELECT {_COLUMNS} FROM audit WHERE seq > ? ORDER BY seq LIMIT ?",
                (last_seq, _BATCH),
            )
            if not rows:
                break
            for row in rows:
                seq = int(row["seq"])
                if seq > prev_seq + 1:
                    problems.append(f"{_entries_word(prev_seq + 1, seq - 1)} from the log.")
                elif row["prev_hash"] != prev_hash:
                    if prev_seq == 0:
                        problems.append(
                            f"Audit entry {seq} does not start the log as the first entry should."
                        )
                    else:
                        problems.append(
                            f"Audit entry {seq} does not follow entry {prev_seq}: the link "
                            "between them is broken, so entries may have been changed, "
                            "reordered or removed."
                        )
                if _row_hash(row) != row["entry_hash"]:
                    problems.append(
                        f"Audit entry {seq} has been changed: its contents no longer match "
                        "its hash."
                    )
                prev_seq = seq
                prev_hash = str(row["entry_hash"])
            last_seq = prev_seq
        used = self._db.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'audit'")
        if used is not None and int(used) > prev_seq:
            problems.append(f"{_entries_word(prev_seq + 1, int(used))} from the end of the log.")
        return problems

    def _verify_versions(self) -> list[str]:
        """Each version still matches its fingerprint, and no version is missing."""
        problems: list[str] = []
        last_key = (0, 0)
        while True:
            rows = self._db.all(
                "SELECT v.incident_id, v.number, v.details_json, v.sha256, i.reference "
                "FROM incident_versions AS v LEFT JOIN incidents AS i ON i.id = v.incident_id "
                "WHERE (v.incident_id, v.number) > (?, ?) "
                "ORDER BY v.incident_id, v.number LIMIT ?",
                (*last_key, _BATCH),
            )
            if not rows:
                break
            for row in rows:
                text: str = row["details_json"]
                digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                if digest != row["sha256"]:
                    problems.append(
                        f"Record {_name(row)} version {row['number']} has been changed: its "
                        "contents no longer match the fingerprint saved with it."
                    )
            last_key = (int(rows[-1]["incident_id"]), int(rows[-1]["number"]))
        gaps = self._db.all(
            "SELECT i.id AS incident_id, i.reference, i.version, count(v.number) AS found "
            "FROM incidents AS i LEFT JOIN incident_versions AS v ON v.incident_id = i.id "
            "WHERE i.status = 'submitted' GROUP BY i.id "
            "HAVING count(v.number) <> i.version OR coalesce(max(v.number), 0) <> i.version"
        )
        for row in gaps:
            problems.append(
                f"Record {_name(row)} should have {row['version']} saved version(s) but "
                f"{row['found']} are in the database: a version is missing."
            )
        return problems

    def _verify_record_hashes(self) -> list[str]:
        """Audit entries and record versions agree about each version's fingerprint."""
        problems: list[str] = []
        removed = {
            int(row[0])
            for row in self._db.all(
                "SELECT DISTINCT incident_id FROM audit "
                f"WHERE incident_id IS NOT NULL AND action IN ({_marks(REMOVAL_ACTIONS)})",
                sorted(REMOVAL_ACTIONS),
            )
        }
        # Entries naming a version fingerprint that no version of that record has.
        rows = self._db.all(
            "SELECT a.seq, a.incident_id, i.id AS found, i.status, i.reference, "
            "(SELECT count(*) FROM incident_versions AS w WHERE w.incident_id = a.incident_id) "
            "AS versions FROM audit AS a LEFT JOIN incidents AS i ON i.id = a.incident_id "
            "WHERE a.record_sha256 IS NOT NULL AND a.incident_id IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM incident_versions AS v "
            "WHERE v.incident_id = a.incident_id AND v.sha256 = a.record_sha256) "
            "ORDER BY a.seq"
        )
        for row in rows:
            if row["found"] is None:
                if int(row["incident_id"]) not in removed:
                    problems.append(
                        f"Audit entry {row['seq']} refers to record id {row['incident_id']}, "
                        "which is no longer in the database."
                    )
            elif int(row["versions"]) > 0:
                problems.append(
                    f"Audit entry {row['seq']} names a version of record {_name(row)} that is "
                    "not in the database: the record's saved versions have been changed."
                )
        # Versions that no audit entry vouches for (the entry may have been removed).
        # An imported record's earlier versions were saved elsewhere: its import entry
        # vouches for the latest one only.
        rows = self._db.all(
            "SELECT v.incident_id, v.number, i.reference FROM incident_versions AS v "
            "LEFT JOIN incidents AS i ON i.id = v.incident_id "
            "WHERE NOT EXISTS (SELECT 1 FROM audit AS a "
            "WHERE a.incident_id = v.incident_id AND a.record_sha256 = v.sha256) "
            "AND NOT (v.number < i.version AND EXISTS (SELECT 1 FROM audit AS b "
            f"WHERE b.incident_id = v.incident_id AND b.action IN ({_marks(IMPORT_ACTIONS)}))) "
            "ORDER BY v.incident_id, v.number",
            sorted(IMPORT_ACTIONS),
        )
        for row in rows:
            problems.append(
                f"Record {_name(row)} version {row['number']} has no matching audit entry: "
                "the entry that recorded it may have been removed, or the version changed."
            )
        return problems


def _name(row: Row) -> str:
    reference = row["reference"]
    return str(reference) if reference else f"id {row['incident_id']}"


def _marks(values: frozenset[str]) -> str:
    return ", ".join("?" for _ in values)
