"""Whether the records can be trusted: the database's own integrity checks, its schema
against what the migrations make, and the audit chain (``incident-recorder verify``, and
the check the app runs in the background after sign-in)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from incident_recorder.domain.backups import Generation
from incident_recorder.domain.errors import DatabaseDamaged
from incident_recorder.services.ports import AuditEntry, Store
from incident_recorder.services.session import Session


@dataclass(frozen=True, slots=True)
class IntegrityReport:
    problems: tuple[str, ...]  # plain sentences; none when all is well
    head: AuditEntry | None  # the audit chain's newest entry
    # The data folder's newest backup (None: there is none), for the advice after a problem.
    newest_backup: Generation | None = None

    @property
    def sound(self) -> bool:
        return not self.problems


def check_store(
    store: Store,
    stopped: Callable[[], bool] = lambda: False,
    newest_backup: Generation | None = None,
) -> IntegrityReport:
    """Every check of ``store``'s database; a part that cannot be read is a problem
    found, never an error raised."""
    problems = list(store.full_problems(stopped))
    try:
        head = store.audit.head()
    except DatabaseDamaged as damaged:
        head = None
        if not problems:
            problems.append(damage_found(damaged))
    return IntegrityReport(tuple(problems), head, newest_backup)


def damage_found(damaged: DatabaseDamaged) -> str:
    """A damage error as one plain problem: what was found where it says so."""
    detail = str(getattr(damaged, "detail", "") or "")
    if not detail:
        return str(damaged)
    if detail[:1].isupper():
        return detail
    return f"The database file is damaged: {detail}."


def newest(generations: list[Generation]) -> Generation | None:
    return max(generations, key=lambda g: (g.made_at, g.name), default=None)


class IntegrityService:
    def __init__(self, session: Session) -> None:
        self._s = session

    def check(self, stopped: Callable[[], bool] = lambda: False) -> IntegrityReport:
        """Run the file's integrity checks and the schema check, then walk the audit
        chain (``stopped()`` is asked between the steps). Writes nothing."""
        store = self._s.store
        return check_store(store, stopped, newest(store.backups.generations()))
