"""Asking the staff named on a record for their own account (issue 13): called by
``IncidentService`` inside the same transaction as a submission or an amendment, so
a record is never submitted without its requests, nor requests made for a record that
was not kept. Audited as ``statement_requested`` (the record's id, the request's id and
the version that named them; never a name)."""

from __future__ import annotations

from incident_recorder.domain.errors import NotFound
from incident_recorder.domain.model import Incident
from incident_recorder.domain.statements import StatementRequest, staff_to_ask
from incident_recorder.services.session import Session


def ask_named_staff(session: Session, incident: Incident) -> list[StatementRequest]:
    """A request for each member of staff named on ``incident`` (its latest version)
    and not asked already, except the author's own staff entry."""
    store = session.store
    try:
        author_staff_id = store.users.get(incident.author_id).staff_id
    except NotFound:
        author_staff_id = None
    asked = {r.staff_id for r in store.statements.requests_for_incident(incident.id)}
    made: list[StatementRequest] = []
    for staff_id in staff_to_ask(incident.details, author_staff_id, asked):
        request = store.statements.add_request(
            StatementRequest(incident.id, staff_id, session.now(), incident.version)
        )
        session.audit(
            "statement_requested",
            incident.id,
            f"request {request.id} for version {incident.version}",
        )
        made.append(request)
    return made
