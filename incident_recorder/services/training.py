"""The staff's positive-handling training (issue 13, part 5; docs/permissions.md).

Administrators and safeguarding leads add, correct and remove entries and import them
from a CSV file (a preview first: nothing is saved until ``apply``); administrators,
SENCOs and safeguarding leads see everyone's training and what is due; anyone else
sees their own (the staff entry their account is linked to). Only the administrator
sets how many months training lasts by default. Every change is audited with ids only.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from incident_recorder.domain.errors import BadImportFile, InvalidInput, NotAllowed, NotFound
from incident_recorder.domain.model import Role, StaffInvolvement, StaffMember
from incident_recorder.domain.training import (
    DUE_DAYS,
    VALID_MONTHS_RANGE,
    StaffTraining,
    TrainingDue,
    TrainingImport,
    TrainingOnDay,
    TrainingRecord,
    check_entry,
    due_within,
    held_by,
    read_training_csv,
    training_on,
)
from incident_recorder.services.ports import Store
from incident_recorder.services.session import Session

EDITORS = (Role.ADMINISTRATOR, Role.SAFEGUARDING_LEAD)
SEE_ALL = (Role.ADMINISTRATOR, Role.SENCO, Role.SAFEGUARDING_LEAD)
CSV_MAX_BYTES = 2 * 1024 * 1024


def held_training(
    store: Store, staff: tuple[StaffInvolvement, ...], day: date, valid_months: int
) -> tuple[StaffTraining, ...]:
    """Each member of staff who held the pupil (carried out or assisted) with their
    training on ``day``, for the form's warning, the record view and the printed record.
    Computed from the training list, never kept in the record. Empty while the school
    has recorded nobody's training (it has not started to use the list): no warnings
    then, and no training lines on records."""
    ids = held_by(staff)
    if not ids or not store.training.any_in_force():
        return ()
    records = store.training.in_force(ids)
    found: list[StaffTraining] = []
    for staff_id in ids:
        try:
            name = store.staff.get(staff_id).full_name
        except NotFound:
            name = f"Member of staff {staff_id}"
        found.append(StaffTraining(name, training_on(records, staff_id, day, valid_months)))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class StaffTrainingRow:
    """One person on the staff list, their training today and every entry in force."""

    staff: StaffMember
    today: TrainingOnDay
    entries: tuple[TrainingRecord, ...]


@dataclass(frozen=True, slots=True)
class ImportDone:
    added: int
    staff_added: int
    skipped: int  # rows for people not on the staff list, left out


class TrainingService:
    def __init__(self, session: Session) -> None:
        self._s = session

    # ------------------------------------------------------------------ who may

    @property
    def may_edit(self) -> bool:
        return self._s.user.has(*EDITORS)

    @property
    def may_see_all(self) -> bool:
        return self._s.user.has(*SEE_ALL)

    @property
    def may_set_months(self) -> bool:
        return self._s.user.has(Role.ADMINISTRATOR)

    def _require_edit(self) -> None:
        self._s.require(*EDITORS, action="change the staff's training")

    def _require_see_all(self) -> None:
        self._s.require(*SEE_ALL, action="see everyone's training")

    def _require_see(self, staff_id: int) -> None:
        if not self.may_see_all and self._s.user.staff_id != staff_id:
            raise NotAllowed("Your account does not allow you to see other people's training.")

    # ------------------------------------------------------------------ settings

    @property
    def valid_months(self) -> int:
        """How many months training lasts unless its entry gives an expiry."""
        return self._s.settings().training_valid_months

    def set_valid_months(self, months: int) -> None:
        """Administrators only; audited."""
        self._s.require(Role.ADMINISTRATOR, action="change how long training lasts")
        low, high = VALID_MONTHS_RANGE
        if not low <= months <= high:
            raise InvalidInput(f"Training can last from {low} to {high} months.")
        settings = self._s.settings()
        if settings.training_valid_months == months:
            return
        store = self._s.store
        with store.transaction():
            store.settings.save(dataclasses.replace(settings, training_valid_months=months))
            self._s.audit(
                "settings_changed",
                detail=f"training lasts from {settings.training_valid_months} to {months} months",
            )

    # ------------------------------------------------------------------ reading

    def _today(self) -> date:
        return self._s.local_now().date()

    def overview(self) -> list[StaffTrainingRow]:
        """Everyone on the staff list (or, for others, their own entry) with their
        training today."""
        store, months, today = self._s.store, self.valid_months, self._today()
        if self.may_see_all:
            staff = store.staff.list(active_only=True)
            records = store.training.in_force()
        else:
            own = self._s.user.staff_id
            if own is None:
                return []
            staff = [store.staff.get(own)]
            records = store.training.in_force([own])
        by_staff: dict[int, list[TrainingRecord]] = {}
        for record in records:
            by_staff.setdefault(record.staff_id, []).append(record)
        return [
            StaffTrainingRow(
                member,
                training_on(by_staff.get(member.id, []), member.id, today, months),
                tuple(
                    sorted(by_staff.get(member.id, []), key=lambda r: r.trained_on, reverse=True)
                ),
            )
            for member in staff
        ]

    def entries(self, staff_id: int) -> list[TrainingRecord]:
        self._require_see(staff_id)
        return self._s.store.training.in_force([staff_id])

    def history(self, staff_id: int) -> list[tuple[str, TrainingRecord, str]]:
        """Every entry, correction and removal for one person, oldest first."""
        self._require_see(staff_id)
        return self._s.store.training.history(staff_id)

    def due(self, days: int = DUE_DAYS) -> list[tuple[StaffMember, TrainingDue]]:
        """Training that runs out in the next ``days`` days or has run out, soonest
        first (active staff only)."""
        self._require_see_all()
        store = self._s.store
        staff = {m.id: m for m in store.staff.list(active_only=True)}
        due = due_within(store.training.in_force(), self._today(), self.valid_months, days)
        return [(staff[d.staff_id], d) for d in due if d.staff_id in staff]

    def held_on(self, staff: tuple[StaffInvolvement, ...], day: date) -> tuple[StaffTraining, ...]:
        """The training of those who held the pupil, on ``day`` (the form's note)."""
        return held_training(self._s.store, staff, day, self.valid_months)

    # ------------------------------------------------------------------ changes

    def _checked(self, record: TrainingRecord) -> TrainingRecord:
        record = dataclasses.replace(
            record, course=" ".join(record.course.split()), note=record.note.strip()
        )
        problem = check_entry(record, self._today())
        if problem is not None:
            raise InvalidInput(problem)
        return record

    def add(self, record: TrainingRecord) -> TrainingRecord:
        self._require_edit()
        record = self._checked(record)
        store = self._s.store
        with store.transaction():
            saved = store.training.add(record, self._s.user.id, self._s.now())
            self._s.audit("training_added", detail=f"entry {saved.id} for staff {saved.staff_id}")
        return saved

    def correct(self, entry_id: int, record: TrainingRecord) -> TrainingRecord:
        """Put right an entry typed wrongly: the correction replaces it (both kept)."""
        self._require_edit()
        record = self._checked(record)
        store = self._s.store
        with store.transaction():
            saved = store.training.correct(entry_id, record, self._s.user.id, self._s.now())
            self._s.audit(
                "training_corrected",
                detail=f"entry {entry_id} replaced by {saved.id} for staff {saved.staff_id}",
            )
        return saved

    def remove(self, entry_id: int, reason: str) -> None:
        """Withdraw an entry made in error, with the reason (kept, with the entry)."""
        self._require_edit()
        if not reason.strip():
            raise InvalidInput("Please say why the training entry is being removed.")
        store = self._s.store
        with store.transaction():
            entry = store.training.get(entry_id)
            store.training.remove(entry_id, reason, self._s.user.id, self._s.now())
            self._s.audit("training_removed", detail=f"entry {entry_id} for staff {entry.staff_id}")

    # ------------------------------------------------------------------ CSV import

    def read_csv(self, data: bytes) -> TrainingImport:
        """What a CSV file would add (nothing is saved)."""
        self._require_edit()
        store = self._s.store
        return read_training_csv(
            data, store.staff.list(active_only=False), store.training.in_force(), self._today()
        )

    def import_csv(self, path: Path) -> TrainingImport:
        """Read ``path`` for a preview (nothing is saved)."""
        self._require_edit()
        try:
            if path.stat().st_size > CSV_MAX_BYTES:
                raise BadImportFile(
                    "This file is too big for a list of training (more than 2 MB). "
                    "Nothing was imported."
                )
            data = path.read_bytes()
        except OSError as error:
            raise BadImportFile(
                f"The file could not be read ({error.strerror or error}). Nothing was imported."
            ) from None
        return self.read_csv(data)

    def apply(self, preview: TrainingImport, add_unknown: bool = False) -> ImportDone:
        """Save what the preview shows (all or nothing; one audit entry). With
        ``add_unknown`` the people not on the staff list are added to it first; without
        it their rows are left out."""
        self._require_edit()
        store, by, now = self._s.store, self._s.user.id, self._s.now()
        added = staff_added = 0
        with store.transaction():
            new_ids: dict[str, int] = {}
            rows = list(preview.rows)
            if add_unknown:
                for row in preview.unknown:
                    key = " ".join(row.name.casefold().split())
                    if key not in new_ids:
                        new_ids[key] = store.staff.add(" ".join(row.name.split())).id
                        staff_added += 1
                    rows.append(dataclasses.replace(row, staff_id=new_ids[key]))
            for row in rows:
                assert row.staff_id is not None
                record = TrainingRecord(
                    row.staff_id, row.course, row.trained_on, row.expires_on, row.note
                )
                store.training.add(self._checked(record), by, now)
                added += 1
            skipped = 0 if add_unknown else len(preview.unknown)
            self._s.audit(
                "training_imported",
                detail=f"{added} entries, {staff_added} staff added, {skipped} rows left out",
            )
        return ImportDone(added, staff_added, skipped)
