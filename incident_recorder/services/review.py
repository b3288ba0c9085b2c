"""The SENCO's pupil review, recorded plan reviews, the one-page pupil summary and the
school-wide "plan reviews due" list.

SENCOs and the safeguarding lead only (the review threshold may also be set by an
administrator). Reading goes through the ports (``IncidentRepository.submitted_for_pupil``
reads one pupil's records in a single query, ``ReviewRepository.latest`` every pupil's
last review in another); the audit entries carry ids and counts only, never names.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date

from incident_recorder.domain.documents import Pdf, summary_file_name
from incident_recorder.domain.errors import InvalidInput, NotAllowed, NotFound
from incident_recorder.domain.model import IncidentStatus, Role
from incident_recorder.domain.plan_reviews import PlanReviewRecord, check_review
from incident_recorder.domain.review import (
    PupilPlanState,
    PupilReview,
    PupilSummary,
    ReviewDue,
    ReviewIncident,
    pupil_review,
    reviews_due,
)
from incident_recorder.services.ports import DocumentRenderer
from incident_recorder.services.session import Session, to_local

# Reviews read incident records, which an administrator sees only through another role
# (DESIGN.md §5, docs/permissions.md).
REVIEWERS = (Role.SENCO, Role.SAFEGUARDING_LEAD)
# Who may change how many incidents put a pupil on the "reviews due" list.
THRESHOLD_SETTERS = (Role.SENCO, Role.SAFEGUARDING_LEAD, Role.ADMINISTRATOR)
THRESHOLD_RANGE = (1, 50)


class ReviewService:
    def __init__(self, session: Session, renderer: DocumentRenderer) -> None:
        """``renderer`` makes the one-page pupil summary's PDF."""
        self._s = session
        self._renderer = renderer

    @property
    def may_review(self) -> bool:
        return self._s.user.has(*REVIEWERS)

    @property
    def may_set_threshold(self) -> bool:
        return self._s.user.has(*THRESHOLD_SETTERS)

    def _require(self) -> None:
        if not self.may_review:
            raise NotAllowed("Only a SENCO or the safeguarding lead can see pupil reviews.")

    # ------------------------------------------------------------------ the pupil review

    def _review(self, pupil_id: int) -> PupilReview:
        store = self._s.store
        incidents = [
            ReviewIncident(i.id, i.reference or "", i.details)
            for i in store.incidents.submitted_for_pupil(pupil_id)
        ]
        return pupil_review(
            incidents, store.plans.versions(pupil_id), store.reviews.for_pupil(pupil_id)
        )

    def pupil_review(self, pupil_id: int) -> PupilReview:
        """Every figure of the pupil's review. NotFound for an unknown pupil."""
        self._require()
        self._s.store.pupils.get(pupil_id)
        review = self._review(pupil_id)
        self._s.audit(
            "pupil_review",
            detail=f"pupil {pupil_id}, {review.incidents} incident(s), "
            f"{len(review.reviews)} review(s)",
        )
        return review

    def local_today(self) -> date:
        """Today in the school's time zone (the record-a-review dialog's default date)."""
        return self._s.local_now().date()

    def summary(self, pupil_id: int) -> PupilSummary:
        """What the one-page pupil summary shows. NotFound for an unknown pupil."""
        self._require()
        store = self._s.store
        pupil = store.pupils.get(pupil_id)
        review = self._review(pupil_id)
        summary = PupilSummary(
            pupil=pupil,
            school=self._s.settings().school,
            plan=store.plans.current(pupil_id),
            review=review,
            printed_on=self._s.local_now().date(),
            printed_by=self._s.user.full_name,
        )
        self._s.audit("pupil_summary", detail=f"pupil {pupil_id}, {review.incidents} incident(s)")
        return summary

    def summary_pdf(self, pupil_id: int) -> Pdf:
        """The one-page pupil summary as a PDF in memory (:meth:`summary`, laid out)."""
        summary = self.summary(pupil_id)
        pdf = self._renderer.pupil_summary(summary)
        return dataclasses.replace(pdf, file_name=summary_file_name(summary.printed_on))

    def summary_printed(self, pupil_id: int, how: str) -> None:
        """Record that the pupil's summary left the app (``how``: e.g. "saved as PDF").
        The audit entry carries the pupil's id, never a name."""
        self._require()
        self._s.audit("pupil_summary_print", detail=f"pupil {pupil_id}, {how}")

    # ------------------------------------------------------------------ recorded reviews

    def reviews(self, pupil_id: int) -> list[PlanReviewRecord]:
        """The pupil's recorded plan reviews, newest first. NotFound for an unknown pupil."""
        self._require()
        store = self._s.store
        store.pupils.get(pupil_id)
        found = store.reviews.for_pupil(pupil_id)
        self._s.audit("plan_reviews_view", detail=f"pupil {pupil_id}, {len(found)} review(s)")
        return found

    def record_review(self, review: PlanReviewRecord) -> PlanReviewRecord:
        """Save a review of the pupil's plan, linked to the submitted incidents it
        considered and to the plan version current now. InvalidInput says what must be
        put right; NotFound for an unknown pupil. Returns the review as stored."""
        self._require()
        tidy = dataclasses.replace(
            review,
            reason=review.reason.strip(),
            participants=_unique(review.participants),
            incident_ids=tuple(dict.fromkeys(review.incident_ids)),
        )
        check_review(tidy, self._s.local_now().date())
        store = self._s.store
        store.pupils.get(tidy.pupil_id)
        self._check_incidents(tidy)
        plan = store.plans.current(tidy.pupil_id)
        tidy = dataclasses.replace(tidy, plan_version=None if plan is None else plan.version)
        with store.transaction():
            saved = store.reviews.add(tidy, self._s.user.id, self._s.now())
            self._s.audit(
                "plan_review_recorded",
                detail=f"pupil {saved.pupil_id} review {saved.id}, "
                f"plan version {saved.plan_version or 'none'}, "
                f"{len(saved.incident_ids)} incident(s) considered, {saved.outcome}",
            )
        return saved

    def _check_incidents(self, review: PlanReviewRecord) -> None:
        store = self._s.store
        submitted = {i.id for i in store.incidents.submitted_for_pupil(review.pupil_id)}
        for incident_id in review.incident_ids:
            if incident_id in submitted:
                continue
            try:
                incident = store.incidents.get(incident_id)
            except NotFound:
                raise InvalidInput(
                    "One of the records chosen no longer exists. Close this review and "
                    "open it again."
                ) from None
            if incident.status is not IncidentStatus.SUBMITTED:
                raise InvalidInput(
                    "A review can only consider submitted records, and one of those "
                    "chosen is still a draft."
                )
            raise InvalidInput(
                f"Record {incident.reference} is about another pupil, so this review "
                "cannot consider it."
            )

    # ------------------------------------------------------------------ reviews due

    @property
    def threshold(self) -> int:
        """How many incidents since the plan changed or was last reviewed put a pupil on
        the "plan reviews due" list (the school's setting)."""
        return self._s.settings().review_incident_threshold

    def set_threshold(self, n: int) -> None:
        """Save the school's threshold (1 to 50)."""
        if not self.may_set_threshold:
            raise NotAllowed(
                "Only a SENCO, the safeguarding lead or an administrator can change when "
                "plan reviews are due."
            )
        low, high = THRESHOLD_RANGE
        if not low <= n <= high:
            raise InvalidInput(f"The number of incidents must be from {low} to {high}.")
        store = self._s.store
        with store.transaction():
            settings = store.settings.get()
            store.settings.save(dataclasses.replace(settings, review_incident_threshold=n))
            self._s.audit(
                "review_threshold_set",
                detail=f"from {settings.review_incident_threshold} to {n}",
            )

    def reviews_due(self, threshold: int | None = None) -> list[ReviewDue]:
        """The school-wide "plan reviews due" list; ``threshold`` (by default the
        school's setting) is how many incidents since the plan was last changed or
        reviewed put a pupil on it."""
        self._require()
        settings = self._s.settings()
        if threshold is None:
            threshold = settings.review_incident_threshold
        if threshold < 1:
            raise InvalidInput("The number of incidents must be 1 or more.")
        store = self._s.store
        zone = settings.school.timezone
        dates: dict[int, list[date]] = defaultdict(list)
        for pupil_id, day in store.incidents.submitted_days():
            dates[pupil_id].append(day)
        last_reviews = store.reviews.latest()
        states = []
        for pupil in store.pupils.list():
            if pupil.left_on is not None:
                continue
            plan = store.plans.current(pupil.id)
            saved_on = None
            if plan is not None and plan.saved_at is not None:
                saved_on = to_local(plan.saved_at, zone).date()
            states.append(
                PupilPlanState(
                    pupil,
                    plan,
                    saved_on,
                    tuple(dates.get(pupil.id, ())),
                    last_reviews.get(pupil.id),
                )
            )
        rows = reviews_due(states, to_local(self._s.now(), zone).date(), threshold)
        self._s.audit("plan_reviews_due", detail=f"{len(rows)} row(s), threshold {threshold}")
        return rows


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    """Each entry's spaces tidied, blanks dropped, repeats (any case) left out."""
    seen: dict[str, str] = {}
    for item in items:
        text = " ".join(item.split())
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return tuple(seen.values())
