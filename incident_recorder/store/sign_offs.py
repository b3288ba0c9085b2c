"""Sign-offs of records by safeguarding leads. Kept unchanged: migration 0007's
triggers refuse UPDATE and DELETE."""

from __future__ import annotations

from datetime import datetime

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.sign_off import SignOff
from incident_recorder.store._values import utc_from_text, utc_text
from incident_recorder.store.connection import Connection, Row

_SELECT = (
    "SELECT s.id, s.incident_id, s.version, s.version_sha256, s.signed_at, s.signed_by, "
    "s.comment, u.full_name AS by_name "
    "FROM sign_offs AS s LEFT JOIN users AS u ON u.id = s.signed_by"
)


def _sign_off(row: Row) -> SignOff:
    return SignOff(
        id=int(row["id"]),
        incident_id=int(row["incident_id"]),
        version=int(row["version"]),
        version_sha256=row["version_sha256"],
        signed_at=utc_from_text(row["signed_at"]),
        signed_by=int(row["signed_by"]),
        comment=row["comment"],
        signed_by_name=row["by_name"] or "",
    )


class SqlSignOffRepository:
    """``store.sign_offs``: who signed off which version of each record, and when."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def add(self, sign_off: SignOff, signed_by: int, now: datetime) -> SignOff:
        if len(sign_off.version_sha256) != 64:
            raise InvalidInput("A sign-off needs the signed version's SHA-256 in hex.")
        if self._db.one("SELECT 1 FROM incidents WHERE id = ?", (sign_off.incident_id,)) is None:
            raise NotFound(f"There is no record with id {sign_off.incident_id}.")
        taken = self._db.one(
            "SELECT 1 FROM sign_offs WHERE incident_id = ? AND version = ?",
            (sign_off.incident_id, sign_off.version),
        )
        if taken is not None:
            raise InvalidInput(f"Version {sign_off.version} of this record is signed off already.")
        with self._db.transaction():
            new_id = self._db.insert(
                "INSERT INTO sign_offs (incident_id, version, version_sha256, signed_at, "
                "signed_by, comment) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    sign_off.incident_id,
                    sign_off.version,
                    sign_off.version_sha256,
                    utc_text(now),
                    signed_by,
                    sign_off.comment.strip(),
                ),
            )
        row = self._db.one(f"{_SELECT} WHERE s.id = ?", (new_id,))
        assert row is not None
        return _sign_off(row)

    def for_incident(self, incident_id: int) -> list[SignOff]:
        """One record's sign-offs, oldest first."""
        rows = self._db.all(
            f"{_SELECT} WHERE s.incident_id = ? ORDER BY s.version, s.id", (incident_id,)
        )
        return [_sign_off(r) for r in rows]
