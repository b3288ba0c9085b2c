"""Whether the records can be trusted: the database's own integrity checks and the
audit chain (``incident-recorder verify``)."""

from __future__ import annotations

from dataclasses import dataclass

from incident_recorder.services.ports import AuditEntry
from incident_recorder.services.session import Session


@dataclass(frozen=True, slots=True)
class IntegrityReport:
    problems: tuple[str, ...]  # plain sentences; none when all is well
    head: AuditEntry | None  # the audit chain's newest entry


class IntegrityService:
    def __init__(self, session: Session) -> None:
        self._s = session

    def check(self) -> IntegrityReport:
        """Run the file's integrity checks, then walk the audit chain."""
        store = self._s.store
        problems = store.integrity_problems() + store.audit.verify()
        return IntegrityReport(tuple(problems), store.audit.head())
