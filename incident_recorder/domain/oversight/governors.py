"""The governors' annual report: the head's own words and what the PDF is made from.
Pure: no I/O, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from incident_recorder.domain.oversight.published import PublishedReport


@dataclass(frozen=True, slots=True)
class GovernorsTexts:
    """The head's text boxes, filled in on the Reports screen and kept with the report."""

    impact: str = ""  # impact on children and families
    actions_taken: str = ""
    actions_planned: str = ""


@dataclass(frozen=True, slots=True)
class GovernorsReportDocument:
    """What ``render_governors_report`` prints: figures already suppressed, no names.

    ``fingerprint`` is the SHA-256 (hex) of the report's inputs, printed small on every
    page; ``made_at`` is local wall-clock time; ``made_by`` the person's name."""

    published: PublishedReport
    texts: GovernorsTexts
    made_by: str
    made_at: datetime
    fingerprint: str
    report_number: int = 0  # the n-th report kept, 0 for a draft preview
