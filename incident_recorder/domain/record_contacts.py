"""The printable record's account of contacts with parents and carers: whether and when
they were told (worked out, never ticked), then each call, letter sent and reply."""

from __future__ import annotations

from collections.abc import Iterable

from incident_recorder.domain.parents_told import (
    ParentContactEntry,
    ParentsToldSummary,
    entry_cells,
)
from incident_recorder.domain.record_document import RecordSection

CONTACTS_HEADING = "Contacts with parents and carers"


def contacts_section(
    summary: ParentsToldSummary | None,
    entries: Iterable[ParentContactEntry],
    for_parents: bool,
) -> RecordSection:
    """The status in words, then one row per contact (oldest first). The copy for
    parents leaves out the staff's notes."""
    rows: list[tuple[str, str]] = []
    if summary is not None:
        rows.append(("Status", " ".join(summary.status_lines())))
    for entry in entries:
        when, what, parent, by_whom, outcome, note = entry_cells(entry)
        parts = [what]
        if parent:
            parts.append(f"with {parent}")
        if by_whom:
            parts.append(f"by {by_whom}")
        text = " ".join(parts)
        if outcome:
            text += f": {outcome}"
        if note and not for_parents:
            text += f". Note: {note}"
        rows.append((when, text.rstrip(".") + "."))
    if len(rows) == (0 if summary is None else 1):
        rows.append(("", "No calls, letters or replies recorded after the record."))
    return RecordSection(CONTACTS_HEADING, tuple(rows))
