"""The school's oversight figures (issue 14): gathering what they are made from,
computing them, the governors' reports kept, and the anonymised export for the local
authority or trust.

Who may: safeguarding leads and senior leaders (one role, ``Role.SAFEGUARDING_LEAD``);
anyone else is refused with a plain NotAllowed. Names of pupils (pupils with repeated
incidents) are shown on screen only to roles that see every record; nothing printed
or exported holds a name. Making a governors' report and exporting the data are
audited with counts, dates and hashes, never names.

The heavy work (:meth:`ReportService.gather`, :meth:`ReportService.compute`, making
the PDF) reads the database in a few set-based queries and touches no widget, so the
screen runs it on a worker thread over ``Services.on_new_connection()``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from incident_recorder.domain.calendar import SchoolCalendar
from incident_recorder.domain.errors import InvalidInput, NotAllowed, NotFound
from incident_recorder.domain.model import IncidentSummary, Role
from incident_recorder.domain.oversight.compute import compute_report
from incident_recorder.domain.oversight.csv_rows import (
    ExportLists,
    merge_exports,
    read_exports,
    trust_report,
    write_export,
    write_trust_export,
)
from incident_recorder.domain.oversight.facts import (
    IncidentFacts,
    Period,
    PupilFacts,
    ReportInputs,
    SuppressionRules,
)
from incident_recorder.domain.oversight.figures import OversightReport
from incident_recorder.domain.oversight.governors import GovernorsReportDocument, GovernorsTexts
from incident_recorder.domain.oversight.published import PublishedReport
from incident_recorder.domain.oversight.records import (
    JudgeContext,
    RecordForReport,
    judge,
    pupil_facts,
    year_before,
)
from incident_recorder.domain.oversight.report_json import inputs_fingerprint, report_json_text
from incident_recorder.domain.oversight.saved import SavedReport
from incident_recorder.domain.oversight.suppression import publish
from incident_recorder.services.ports import Clock, DocumentRenderer, Progress, Visibility
from incident_recorder.services.progress import NO_PROGRESS
from incident_recorder.services.session import Session, SystemClock, to_local

REPORT_ROLES = (Role.SAFEGUARDING_LEAD,)
REFUSED = (
    "Only a safeguarding lead or senior leader can see the school's reports. Your account "
    "does not have that role."
)
LONGEST_PERIOD_DAYS = 3 * 366  # a custom period of up to three years
TEXT_LIMIT = 30_000  # letters in each of the head's text boxes (several pages)


@dataclass(frozen=True)
class ReportResult:
    """The figures for a period: what they were made from, the true figures (for the
    screen), the figures with small numbers suppressed (for anything printed or
    exported), and the SHA-256 of the inputs (worked out when first asked for, as the
    governors' report is made: about 0.15 s for a large school's year, which the screen
    need not wait for)."""

    inputs: ReportInputs
    report: OversightReport
    published: PublishedReport
    given_fingerprint: str | None = field(default=None, repr=False)

    @cached_property
    def fingerprint(self) -> str:
        return self.given_fingerprint or inputs_fingerprint(self.inputs)


class ReportService:
    def __init__(
        self,
        session: Session,
        renderer: DocumentRenderer,
        calendar: Callable[[], SchoolCalendar] | None = None,
    ) -> None:
        self._s = session
        self._renderer = renderer
        # The school calendar: the school's own, or the standard English term dates.
        self._calendar = calendar or session.calendar

    # ------------------------------------------------------------------ who may

    def may_use(self) -> bool:
        """Whether the user may see the reports (safeguarding leads, senior leaders)."""
        return self._s.user.has(*REPORT_ROLES)

    def names_shown(self) -> bool:
        """Whether pupils' names may appear on screen (roles that see every record)."""
        return self.may_use() and self._s.user.sees_all_records

    def _require(self) -> None:
        if not self.may_use():
            raise NotAllowed(REFUSED)

    @staticmethod
    def _check(period: Period) -> None:
        if period.end < period.start:
            raise InvalidInput("The period ends before it starts. Check the dates.")
        if period.days > LONGEST_PERIOD_DAYS:
            raise InvalidInput("The period is longer than three years. Choose a shorter one.")

    # ------------------------------------------------------------------ gathering

    def calendar(self) -> SchoolCalendar:
        return self._calendar()

    def gather(
        self,
        period: Period,
        rules: SuppressionRules | None = None,
        progress: Progress = NO_PROGRESS,
    ) -> ReportInputs:
        """Everything the figures for ``period`` are made from: the submitted records
        that happened in it (each duty judged with the school calendar), the pupils on
        roll at any time in it, and the same dates a year earlier."""
        self._require()
        self._check(period)
        store = self._s.store
        settings = self._s.settings()
        zone = settings.school.timezone
        calendar = self._calendar()
        names = self.names_shown()
        progress.step(0, 3, "Reading the records")
        training = tuple(store.training.in_force())
        ctx = JudgeContext(
            calendar=calendar,
            today=self._s.local_now().date(),
            hold_warning_minutes=settings.hold_warning_minutes,
            training=training or None,
            training_valid_months=settings.training_valid_months,
        )
        records = store.oversight.records(period.start, period.end)
        progress.step(1, 3, "Reading the pupils on roll")
        roll = store.oversight.pupils_on_roll(period.start, period.end)
        births = {p.id: p.date_of_birth for p in roll}
        with_incident = {r.pupil_id for r in records}
        pupils: list[PupilFacts] = []
        for pupil in roll:
            facts = pupil_facts(pupil, period, names, pupil.id in with_incident)
            if facts.days_on_roll > 0:
                pupils.append(facts)

        def judged(found: list[RecordForReport], duties: bool = True) -> tuple[IncidentFacts, ...]:
            out: list[IncidentFacts] = []
            for r in found:
                signed = r.first_signed_at
                out.append(
                    judge(
                        r,
                        ctx,
                        submitted_on=to_local(r.submitted_at, zone).date(),
                        signed_on=None if signed is None else to_local(signed, zone).date(),
                        date_of_birth=births.get(r.pupil_id) if r.pupil_id is not None else None,
                        duties=duties,
                    )
                )
            return tuple(out)

        incidents = judged(records)
        progress.step(2, 3, "Reading the same dates last year")
        earlier = year_before(period)
        # Last year's records feed only the patterns: their duties are not read.
        last_year = judged(
            store.oversight.records(earlier.start, earlier.end, with_duties=False), duties=False
        )
        progress.step(3, 3, "Read")
        return ReportInputs(
            period=period,
            pupils=tuple(pupils),
            incidents=incidents,
            last_year=last_year,
            term_starts=calendar.term_starts(period.start, period.end),
            rules=rules
            or SuppressionRules(
                min_on_roll=settings.report_min_on_roll,
                min_with_incident=settings.report_min_with_incident,
            ),
            school=settings.school.name,
            names_shown=names,
        )

    def compute(
        self,
        period: Period,
        rules: SuppressionRules | None = None,
        progress: Progress = NO_PROGRESS,
    ) -> ReportResult:
        """The figures for ``period``: gathered, computed, and published (small numbers
        suppressed, for anything printed or exported), with the inputs' fingerprint."""
        inputs = self.gather(period, rules, progress)
        progress.step(0, 0, "Working out the figures")
        report = compute_report(inputs)
        return ReportResult(inputs, report, publish(report))

    def figures_json(self, result: ReportResult, suppressed: bool = True) -> str:
        """Every figure with its numerator, denominator and interval, as JSON text
        (docs/oversight-json.md): small numbers suppressed, as in anything shared;
        ``suppressed`` False: the true figures, as the screen shows them (to check the
        sums, not to share)."""
        self._require()
        return report_json_text(result.report, suppressed=suppressed)

    def export_csv(self, what: Period | ReportResult) -> bytes:
        """The anonymised rows of a period (or of figures already worked out) for the
        local authority or trust (docs/oversight-csv.md): no names, UPNs or free text; a
        pseudonymous pupil key new for each export. Audited with the period and counts."""
        self._require()
        settings = self._s.settings()
        lists = ExportLists(
            locations=settings.locations or None, techniques=settings.techniques or None
        )
        inputs = what.inputs if isinstance(what, ReportResult) else self.gather(what)
        text = write_export(inputs, secrets.token_bytes(32), lists=lists)
        data = text.encode("utf-8")
        period = inputs.period
        with self._s.store.transaction():
            self._s.audit(
                "oversight_exported",
                detail=(
                    f"period {period.start.isoformat()} to {period.end.isoformat()}: "
                    f"{len(inputs.incidents)} incidents, {len(inputs.pupils)} pupils; "
                    f"sha256 {hashlib.sha256(data).hexdigest()}"
                ),
            )
        return data

    # ------------------------------------------------------------------ the records behind

    def records_behind(self, references: Sequence[str]) -> list[IncidentSummary]:
        """The records behind a figure that the user may see, oldest first."""
        self._require()
        user = self._s.user
        visible = None if user.sees_all_records else Visibility(user.id, user.staff_id)
        return self._s.store.oversight.summaries(list(references), visible)

    # ------------------------------------------------------------------ reports kept

    def make_governors_report(self, result: ReportResult, texts: GovernorsTexts) -> SavedReport:
        """Make the governors' PDF from ``result`` (suppressed figures, no names) with the
        head's texts, and keep it: period, inputs' fingerprint, texts, PDF and its hash.
        Audited with the report's number, dates and hashes."""
        self._require()
        texts = GovernorsTexts(
            impact=texts.impact.strip(),
            actions_taken=texts.actions_taken.strip(),
            actions_planned=texts.actions_planned.strip(),
        )
        for label, value in (
            ("impact on children and families", texts.impact),
            ("actions taken", texts.actions_taken),
            ("actions planned", texts.actions_planned),
        ):
            if len(value) > TEXT_LIMIT:
                raise InvalidInput(
                    f"The text about {label} is too long: keep it under {TEXT_LIMIT:,} letters."
                )
        store = self._s.store
        period = result.inputs.period
        with store.transaction():
            number = len(store.governors_reports.list()) + 1
            doc = GovernorsReportDocument(
                published=result.published,
                texts=texts,
                made_by=self._s.user.full_name,
                made_at=self._s.local_now().replace(second=0, microsecond=0),
                fingerprint=result.fingerprint,
                report_number=number,
            )
            pdf = self._renderer.governors_report(doc)
            saved = store.governors_reports.add(
                period, result.fingerprint, texts, pdf, self._s.user.id, self._s.now()
            )
            self._s.audit(
                "governors_report_made",
                detail=(
                    f"report {saved.id} period {period.start.isoformat()} to "
                    f"{period.end.isoformat()} inputs {result.fingerprint} "
                    f"sha256 {saved.pdf_sha256}"
                ),
            )
        return saved

    def saved_reports(self) -> list[SavedReport]:
        """Every governors' report kept, newest first."""
        self._require()
        return self._s.store.governors_reports.list()

    def saved_pdf(self, report_id: int) -> bytes:
        """The kept report's PDF, exactly the bytes governors saw: its SHA-256 is checked
        against the one kept with it (audited as a reprint)."""
        self._require()
        store = self._s.store
        try:
            saved = store.governors_reports.get(report_id)
        except NotFound:
            raise NotFound(f"There is no governors' report number {report_id}.") from None
        pdf = store.governors_reports.pdf(report_id)
        if hashlib.sha256(pdf).hexdigest() != saved.pdf_sha256:
            raise InvalidInput(
                f"Governors' report {report_id} does not match the hash kept with it, so it "
                "cannot be shown as the one governors saw. Ask the administrator to check "
                "the database (Help ▸ Check the database)."
            )
        with store.transaction():
            self._s.audit(
                "governors_report_reprinted", detail=f"report {report_id} sha256 {saved.pdf_sha256}"
            )
        return pdf


# --------------------------------------------------------------------------- a trust


@dataclass(frozen=True, slots=True)
class TrustResult:
    """A trust's roll-up: the schools' inputs merged, the figures overall with each
    school's in ``report.schools``, published, and the files made from them."""

    inputs: ReportInputs
    report: OversightReport
    published: PublishedReport
    pdf: bytes
    csv: bytes
    json: str  # every figure, small numbers suppressed
    true_json: str  # the true figures (to check the sums, not to share)


class TrustReportService:
    """Several schools' anonymised exports combined into one trust report (PDF, CSV,
    JSON), with the same figures per school and overall. No database and no session:
    how a trust or local authority sees several schools without any school's database
    leaving its office."""

    def __init__(self, renderer: DocumentRenderer, clock: Clock | None = None) -> None:
        self._renderer = renderer
        self._clock = clock or SystemClock()

    def make(
        self, files: Sequence[tuple[str, bytes]], label: str = "", zone: str = "Europe/London"
    ) -> TrustResult:
        """``files``: each export's name (for the messages) and bytes. Raises
        ExportFileError naming the file and row of anything that cannot be read."""
        parts = [part for name, data in files for part in read_exports(data, name)]
        report = trust_report(parts, label)
        published = publish(report)
        made_at = to_local(self._clock.now(), zone).replace(second=0, microsecond=0)
        pdf = self._renderer.trust_report(published, made_at)
        # Each school's rows under one header, with new pseudonymous keys.
        csv_text = write_trust_export(parts, secrets.token_bytes(32))
        merged = merge_exports(parts, label)
        return TrustResult(
            merged,
            report,
            published,
            pdf,
            csv_text.encode("utf-8"),
            report_json_text(report, suppressed=True),
            report_json_text(report),
        )
