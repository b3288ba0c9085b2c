"""Writing the JSON export: records with every version, and plan versions, in the file's
shape (services/exchange_format.py)."""

from __future__ import annotations

from typing import Any

from incident_recorder.domain.model import Incident, IncidentStatus, Pupil
from incident_recorder.domain.serialise import to_plain
from incident_recorder.services.exchange_format import (
    ExportedIncident,
    ExportedPlan,
    ExportedVersion,
    plan_to_plain,
)
from incident_recorder.services.exchange_reviews import export_reviews
from incident_recorder.services.ports import Store


class Exporter:
    def __init__(self, store: Store) -> None:
        self._store = store
        self.usernames = {u.id: u.username for u in store.users.list()}
        self._events: dict[int, int] = {}

    def _username(self, user_id: int) -> str:
        return self.usernames.get(user_id, f"user-{user_id}")

    def records(self, incidents: list[Incident]) -> list[dict[str, Any]]:
        return [self._record(i) for i in incidents]

    def plans(self, pupils: list[Pupil]) -> list[dict[str, Any]]:
        """Every saved version of every pupil's plan, by pupil id then version."""
        out = []
        for pupil in pupils:
            for plan in reversed(self._store.plans.versions(pupil.id)):
                username = "" if plan.saved_by is None else self._username(plan.saved_by)
                out.append(plan_to_plain(ExportedPlan(plan, username)))
        return out

    def reviews(self, pupils: list[Pupil], incidents: list[Incident]) -> list[dict[str, Any]]:
        """Every recorded plan review, by pupil id then oldest first."""
        references = {i.id: i.reference for i in incidents if i.reference}
        return export_reviews(self._store, [p.id for p in pupils], self.usernames, references)

    def _record(self, incident: Incident) -> dict[str, Any]:
        event = self._events.setdefault(incident.event_id, len(self._events) + 1)
        submitted = incident.status is IncidentStatus.SUBMITTED
        versions = self._store.incidents.versions(incident.id) if submitted else []
        exported = ExportedIncident(
            reference=incident.reference,
            status=incident.status,
            event=event,
            author=self._username(incident.author_id),
            created_at=incident.created_at,
            updated_at=incident.updated_at,
            submitted_at=incident.submitted_at,
            versions=tuple(
                ExportedVersion(
                    v.number, v.saved_at, self._username(v.saved_by), v.reason, v.details
                )
                for v in versions
            ),
            draft=None if submitted else incident.details,
        )
        plain: dict[str, Any] = to_plain(exported)
        return plain
