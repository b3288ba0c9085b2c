"""The staff's positive-handling training in the JSON export (issue 13,
``"staff_training"``): each entry in force, naming its member of staff by the file's
staff id and the account that recorded it by username. Corrections are exported as the
entry they made (the history stays with the database it was typed in). A file made
before training was exported (no ``"staff_training"`` list) still imports; an entry
already held (same person, course, dates) is not added twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.serialise import from_plain, to_plain
from incident_recorder.domain.training import TrainingRecord, name_key
from incident_recorder.services.ports import Store

KEY = "staff_training"


@dataclass(frozen=True, slots=True)
class ExportedTraining:
    staff: int  # the staff entry's id in the file
    course: str
    trained_on: date
    expires_on: date | None
    note: str
    recorded_at: datetime  # UTC
    recorded_by: str  # username


def export_training(store: Store, usernames: dict[int, str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for r in store.training.in_force():
        assert r.recorded_at is not None and r.recorded_by is not None
        who = usernames.get(r.recorded_by, f"user-{r.recorded_by}")
        exported = ExportedTraining(
            r.staff_id, r.course, r.trained_on, r.expires_on, r.note, r.recorded_at, who
        )
        out.append(to_plain(exported))
    return out


def read_training(
    document: dict[str, Any], staff_ids: set[int], usernames: set[str]
) -> tuple[ExportedTraining, ...]:
    values = document.get(KEY, [])
    if not isinstance(values, list):
        raise BadImportFile(f'The file\'s "{KEY}" is not a list, so it cannot be imported.')
    found: list[ExportedTraining] = []
    for n, value in enumerate(values, start=1):
        where = f"Training entry {n} in the file"
        try:
            item = from_plain(ExportedTraining, value)
        except BadImportFile as exc:
            raise BadImportFile(f"{where} is not valid: {exc} Nothing was imported.") from None
        if item.recorded_at.utcoffset() is None:
            raise BadImportFile(f"{where}: times must include their offset from UTC (+00:00).")
        if item.staff not in staff_ids:
            raise BadImportFile(
                f"{where} is for staff entry {item.staff}, which is not in the file. "
                "Nothing was imported."
            )
        if item.recorded_by not in usernames:
            raise BadImportFile(
                f"{where} names the account '{item.recorded_by}', which is not in its "
                "accounts. Nothing was imported."
            )
        if not item.course.strip() or (item.expires_on and item.expires_on < item.trained_on):
            raise BadImportFile(f"{where} has no course, or expires before it was taken.")
        found.append(item)
    return tuple(found)


def import_training(
    store: Store,
    items: tuple[ExportedTraining, ...],
    staff_ids: dict[int, int],
    user_ids: dict[str, int],
) -> int:
    """Add each entry not already held; returns how many were added."""
    held = {
        (r.staff_id, name_key(r.course), r.trained_on, r.expires_on)
        for r in store.training.in_force()
    }
    added = 0
    for item in items:
        staff_id = staff_ids[item.staff]
        key = (staff_id, name_key(item.course), item.trained_on, item.expires_on)
        if key in held:
            continue
        record = TrainingRecord(staff_id, item.course, item.trained_on, item.expires_on, item.note)
        store.training.add(record, user_ids[item.recorded_by], item.recorded_at.astimezone(UTC))
        held.add(key)
        added += 1
    return added
