"""The incident list's columns: titles, what each sorts by, and the text of the
computed ones. Plain Python, so the model and the panel share one definition."""

from __future__ import annotations

from enum import IntEnum

from incident_recorder.domain.model import IncidentSort, IncidentStatus, IncidentSummary


class Column(IntEnum):
    REFERENCE = 0
    DATE = 1
    TIME = 2
    PUPIL = 3
    LOCATION = 4
    RECORDED_BY = 5
    STATUS = 6
    VERSION = 7
    FLAGS = 8
    SAVED = 9

    @property
    def title(self) -> str:
        return _TITLES[self]

    @property
    def sort(self) -> IncidentSort | None:
        """The order this column sorts the list in; None: it cannot be sorted by."""
        return _SORTS.get(self)

    @staticmethod
    def of(sort: IncidentSort) -> Column:
        return next(column for column, by in _SORTS.items() if by is sort)

    @property
    def newest_first(self) -> bool:
        """Whether the first click on this column's header sorts it descending (dates,
        newest first) rather than ascending (names, A to Z)."""
        return self.sort in (IncidentSort.DATE, IncidentSort.SAVED)

    @property
    def sort_tip(self) -> str | None:
        """The header's tooltip: what a click sorts by."""
        if self.sort is None:
            return None
        return _SORT_TIPS.get(self.sort, f"Sort by {self.title.lower()}")


_TITLES = {
    Column.REFERENCE: "Reference",
    Column.DATE: "Date",
    Column.TIME: "Time",
    Column.PUPIL: "Pupil",
    Column.LOCATION: "Location",
    Column.RECORDED_BY: "Recorded by",
    Column.STATUS: "Status",
    Column.VERSION: "Version",
    Column.FLAGS: "Flags",
    Column.SAVED: "Last saved",
}


_SORTS = {
    Column.REFERENCE: IncidentSort.REFERENCE,
    Column.DATE: IncidentSort.DATE,
    Column.PUPIL: IncidentSort.PUPIL,
    Column.LOCATION: IncidentSort.LOCATION,
    Column.RECORDED_BY: IncidentSort.RECORDED_BY,
    Column.SAVED: IncidentSort.SAVED,
}
_SORT_TIPS = {
    IncidentSort.PUPIL: "Sort by the pupil's last name, then first name",
    IncidentSort.DATE: "Sort by the date and time of the incident",
}


def flags_text(summary: IncidentSummary) -> str:
    flags = []
    if summary.injury:
        flags.append("Injury")
    if summary.floor_position:
        flags.append("Floor hold")
    return ", ".join(flags)


def status_text(summary: IncidentSummary) -> str:
    """ "Submitted", "Submitted, amended", "Submitted, signed off" … or "Draft"."""
    if summary.status is not IncidentStatus.SUBMITTED:
        return summary.status.label
    parts = [summary.status.label]
    if summary.version > 1:
        parts.append("amended")
    if summary.signed_off:
        parts.append("signed off")
    return ", ".join(parts)
