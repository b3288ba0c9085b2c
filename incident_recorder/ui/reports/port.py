"""What the Reports screen needs of the report service (``bundle.reports``), as
protocols: the screen is written against these, so the tests can hand it a fake."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from incident_recorder.domain.model import IncidentSummary
from incident_recorder.domain.oversight.facts import Period, SuppressionRules
from incident_recorder.domain.oversight.figures import OversightReport
from incident_recorder.domain.oversight.governors import GovernorsTexts
from incident_recorder.domain.oversight.published import PublishedReport
from incident_recorder.services.ports import Progress
from incident_recorder.services.progress import NO_PROGRESS


class ResultLike(Protocol):
    """``ReportResult``: the true figures and the same figures as they may be printed."""

    @property
    def report(self) -> OversightReport: ...

    @property
    def published(self) -> PublishedReport: ...

    @property
    def fingerprint(self) -> str: ...


class SavedLike(Protocol):
    """``SavedReport``: a governors' report kept, to be printed again (``made_at`` UTC)."""

    @property
    def id(self) -> int: ...

    @property
    def period(self) -> Period: ...

    @property
    def made_at(self) -> datetime: ...

    @property
    def made_by_name(self) -> str: ...

    @property
    def pdf_sha256(self) -> str: ...


class ReportsPort(Protocol):
    def may_use(self) -> bool: ...

    def names_shown(self) -> bool: ...

    def compute(
        self,
        period: Period,
        rules: SuppressionRules | None = None,
        progress: Progress = NO_PROGRESS,
    ) -> ResultLike: ...

    def records_behind(self, references: Sequence[str]) -> list[IncidentSummary]: ...

    # ``result`` is what ``compute`` returned (typed loosely: each service takes its own).
    def make_governors_report(self, result: Any, texts: GovernorsTexts) -> SavedLike: ...

    def saved_reports(self) -> Sequence[SavedLike]: ...

    def saved_pdf(self, report_id: int) -> bytes: ...

    def export_csv(self, period: Period) -> bytes: ...
