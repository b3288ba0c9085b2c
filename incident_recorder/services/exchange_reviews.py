"""Recorded plan reviews in the JSON export (see :mod:`incident_recorder.services.exchange`).

In the file a review is its own fields, flat, with ``pupil_id`` the file's pupil id,
``incidents`` the references of the records it considered and ``recorded_by`` the
username of the account that recorded it. A file made before reviews were exported
(no ``"reviews"`` list) still imports.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.plan_reviews import PlanReviewRecord, ReviewOutcome
from incident_recorder.domain.serialise import from_plain, to_plain
from incident_recorder.services.ports import Store


@dataclass(frozen=True, slots=True)
class ExportedReview:
    pupil_id: int  # the file's pupil id
    held_on: date
    outcome: ReviewOutcome
    reason: str
    participants: tuple[str, ...]
    pupil_took_part: bool
    parents_took_part: bool
    incidents: tuple[str, ...]  # references of the records considered
    next_review: date
    plan_version: int | None
    recorded_at: datetime
    recorded_by: str  # username


def export_reviews(
    store: Store, pupil_ids: list[int], usernames: dict[int, str], references: dict[int, str]
) -> list[dict[str, Any]]:
    """Every review of the pupils, by pupil then oldest first."""
    out: list[dict[str, Any]] = []
    for pupil_id in pupil_ids:
        for review in reversed(store.reviews.for_pupil(pupil_id)):
            assert review.held_on and review.outcome and review.next_review and review.recorded_at
            by = review.recorded_by
            exported = ExportedReview(
                pupil_id=review.pupil_id,
                held_on=review.held_on,
                outcome=review.outcome,
                reason=review.reason,
                participants=review.participants,
                pupil_took_part=review.pupil_took_part,
                parents_took_part=review.parents_took_part,
                incidents=tuple(references[i] for i in review.incident_ids),
                next_review=review.next_review,
                plan_version=review.plan_version,
                recorded_at=review.recorded_at,
                recorded_by=usernames.get(by, f"user-{by}") if by is not None else "",
            )
            plain: dict[str, Any] = to_plain(exported)
            out.append(plain)
    return out


def read_reviews(
    document: dict[str, Any],
    pupil_ids: set[int],
    usernames: set[str],
    records: dict[str, int | None],
    plans: set[tuple[int, int]] | None,
) -> tuple[ExportedReview, ...]:
    """The file's reviews, checked against the rest of the file. ``records`` maps each
    submitted record's reference to its pupil in the file; ``plans`` holds the file's
    (pupil, plan version) pairs, or is None for a file without plans."""
    if "reviews" not in document:
        return ()
    values = document["reviews"]
    if not isinstance(values, list):
        raise BadImportFile('The file\'s "reviews" is not a list, so it cannot be imported.')
    out: list[ExportedReview] = []
    for n, value in enumerate(values, start=1):
        where = f"Plan review {n} in the file"

        def bad(problem: str, where: str = where) -> BadImportFile:
            return BadImportFile(f"{where} {problem}. Nothing was imported.")

        try:
            review = from_plain(ExportedReview, value)
        except BadImportFile as exc:
            raise BadImportFile(f"{where} is not valid: {exc} Nothing was imported.") from None
        if review.recorded_at.utcoffset() is None:
            raise BadImportFile(f"{where}: times must include their offset from UTC (+00:00).")
        if review.pupil_id not in pupil_ids:
            raise bad(f"is for pupil {review.pupil_id}, who is not in the file's list of pupils")
        if review.recorded_by not in usernames:
            raise bad(
                f"was recorded by the account '{review.recorded_by}', which is not in the "
                "file's accounts"
            )
        if not review.reason.strip():
            raise bad("does not give the reason for its outcome")
        for reference in review.incidents:
            if reference not in records:
                raise bad(f"considers record {reference}, which is not a submitted record in it")
            if records[reference] != review.pupil_id:
                raise bad(f"considers record {reference}, which is about another pupil")
        version = review.plan_version
        if plans is not None and version is not None and (review.pupil_id, version) not in plans:
            raise bad(
                f"refers to version {version} of the pupil's behaviour support plan, which is "
                "not in the file's plans"
            )
        out.append(review)
    return tuple(out)


def import_reviews(
    store: Store,
    reviews: tuple[ExportedReview, ...],
    pupil_ids: dict[int, int],
    user_ids: dict[str, int],
    incident_ids: dict[str, int],
) -> int:
    """Add the file's reviews with their times and authors, inside the caller's
    transaction. A review already here (a pupil matched by UPN, imported before) is not
    added twice. Returns the number added."""
    added = 0
    here: dict[int, set[PlanReviewRecord]] = {}
    for exported in reviews:
        pupil_id = pupil_ids[exported.pupil_id]
        review = PlanReviewRecord(
            pupil_id=pupil_id,
            held_on=exported.held_on,
            outcome=exported.outcome,
            reason=exported.reason,
            participants=exported.participants,
            pupil_took_part=exported.pupil_took_part,
            parents_took_part=exported.parents_took_part,
            incident_ids=tuple(sorted(incident_ids[r] for r in exported.incidents)),
            next_review=exported.next_review,
            plan_version=exported.plan_version,
            recorded_at=exported.recorded_at.astimezone(UTC),
            recorded_by=user_ids[exported.recorded_by],
        )
        if pupil_id not in here:
            here[pupil_id] = {_bare(r) for r in store.reviews.for_pupil(pupil_id)}
        if review in here[pupil_id]:
            continue
        assert review.recorded_at is not None and review.recorded_by is not None
        store.reviews.add(review, review.recorded_by, review.recorded_at)
        here[pupil_id].add(review)
        added += 1
    return added


def _bare(review: PlanReviewRecord) -> PlanReviewRecord:
    """A stored review as the importer builds one, for spotting one already here."""
    return dataclasses.replace(review, id=0, recorded_by_name="")
