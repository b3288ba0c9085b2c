"""The SENCO's pupil review and the school-wide "plan reviews due" list.

SENCOs, the safeguarding lead and administrators only. Reading goes through the
ports (``IncidentRepository.submitted_for_pupil`` reads one pupil's records in a single
query); the audit entries carry ids and counts only.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from incident_recorder.domain.errors import InvalidInput, NotAllowed
from incident_recorder.domain.model import Role
from incident_recorder.domain.review import (
    PupilPlanState,
    PupilReview,
    ReviewDue,
    ReviewIncident,
    pupil_review,
    reviews_due,
)
from incident_recorder.services.session import Session, to_local

# Reviews read incident records, which an administrator sees only through another role
# (DESIGN.md §5, docs/permissions.md).
REVIEWERS = (Role.SENCO, Role.SAFEGUARDING_LEAD)


class ReviewService:
    def __init__(self, session: Session) -> None:
        self._s = session

    @property
    def may_review(self) -> bool:
        return self._s.user.has(*REVIEWERS)

    def _require(self) -> None:
        if not self.may_review:
            raise NotAllowed("Only a SENCO or the safeguarding lead can see pupil reviews.")

    def pupil_review(self, pupil_id: int) -> PupilReview:
        """Every figure of the pupil's review. NotFound for an unknown pupil."""
        self._require()
        store = self._s.store
        store.pupils.get(pupil_id)
        incidents = [
            ReviewIncident(i.id, i.reference or "", i.details)
            for i in store.incidents.submitted_for_pupil(pupil_id)
        ]
        review = pupil_review(incidents, store.plans.versions(pupil_id))
        self._s.audit("pupil_review", detail=f"pupil {pupil_id}, {len(incidents)} incident(s)")
        return review

    def reviews_due(self, threshold: int = 3) -> list[ReviewDue]:
        """The school-wide "plan reviews due" list; ``threshold`` is how many incidents
        since the plan was last changed put a pupil on it."""
        self._require()
        if threshold < 1:
            raise InvalidInput("The number of incidents must be 1 or more.")
        store = self._s.store
        zone = self._s.settings().school.timezone
        dates: dict[int, list[date]] = defaultdict(list)
        for pupil_id, day in store.incidents.submitted_days():
            dates[pupil_id].append(day)
        states = []
        for pupil in store.pupils.list():
            if pupil.left_on is not None:
                continue
            plan = store.plans.current(pupil.id)
            saved_on = None
            if plan is not None and plan.saved_at is not None:
                saved_on = to_local(plan.saved_at, zone).date()
            states.append(PupilPlanState(pupil, plan, saved_on, tuple(dates.get(pupil.id, ()))))
        rows = reviews_due(states, self._s.local_now().date(), threshold)
        self._s.audit("plan_reviews_due", detail=f"{len(rows)} row(s), threshold {threshold}")
        return rows
