"""A realistic oversight report built by hand, and a fake report service for the
Reports screen's tests (the real one is ``bundle.reports``). Every school, pupil and
member of staff here is fictional."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from incident_recorder.domain.model import IncidentStatus, IncidentSummary
from incident_recorder.domain.oversight.facts import Period, SuppressionRules
from incident_recorder.domain.oversight.figures import (
    CharacteristicTable,
    ComplianceFigure,
    GroupRow,
    OversightReport,
    PatternRow,
    PatternTable,
    RepeatedPupil,
    RiskRatio,
    SeriesPoint,
    Totals,
)
from incident_recorder.domain.oversight.governors import GovernorsTexts
from incident_recorder.domain.oversight.published import (
    PublishedCharacteristic,
    PublishedCompliance,
    PublishedGroup,
    PublishedPattern,
    PublishedPatternRow,
    PublishedReport,
    PublishedSeriesPoint,
    Shown,
)
from incident_recorder.services.ports import Progress
from incident_recorder.services.progress import NO_PROGRESS

SCHOOL = "Hillside Primary (fictional)"
THIS_TERM = Period(
    date(2026, 9, 1), date(2026, 12, 18), "This term: Autumn 2026 (01/09/2026 to 18/12/2026)"
)
LAST_TERM = Period(
    date(2026, 4, 13), date(2026, 7, 22), "Last term: Summer 2026 (13/04/2026 to 22/07/2026)"
)
THIS_YEAR = Period(date(2026, 9, 1), date(2027, 8, 31), "This school year: 2026 to 2027")
LAST_YEAR = Period(date(2025, 9, 1), date(2026, 8, 31), "Last school year: 2025 to 2026")
CHOICES = (THIS_TERM, LAST_TERM, THIS_YEAR, LAST_YEAR)
PUPILS = ("Leo Fernandes", "Maya Chen", "Oliver Bennett", "Zara Ahmed", "Noah Williams")


def refs(n: int, start: int = 1) -> tuple[str, ...]:
    return tuple(f"INC-2026-{i:04d}" for i in range(start, start + n))


def shown(n: int) -> Shown:
    return Shown("fewer than 5", True) if 1 <= n <= 4 else Shown(f"{n:,}")


def _compliance() -> tuple[ComplianceFigure, ...]:
    rows = [
        ("recorded_same_day", "Recorded the same day", 52, 60, True, ""),
        ("parents_told_same_day", "Parents told the same day", 55, 60, True, ""),
        ("letter_within_1", "Letter sent within 1 school day", 47, 60, True, ""),
        (
            "copy_supplied",
            "Record supplied to parents",
            38,
            41,
            True,
            "Only incidents from 1 April 2026, when the duty began",
        ),
        ("signed_off_within_2", "Signed off within 2 school days", 49, 60, True, ""),
        ("no_deescalation", "No de-escalation recorded", 3, 60, False, ""),
        ("floor", "Ground, prone or supine positions", 2, 60, False, ""),
        ("over_threshold", "Holds over the time threshold", 6, 60, False, ""),
        ("pupil_injured", "Injuries to pupils", 4, 60, False, ""),
        ("staff_injured", "Injuries to staff", 7, 60, False, ""),
        (
            "training_expired",
            "Staff whose training had expired",
            0,
            0,
            False,
            "No training has been recorded yet",
        ),
    ]
    return tuple(
        ComplianceFigure(k, label, c, of, refs(c, 1 + 3 * i), good, note)
        for i, (k, label, c, of, good, note) in enumerate(rows)
    )


def _patterns() -> tuple[PatternTable, ...]:
    def table(
        key: str, title: str, rows: list[tuple[str, int, int]], multi: bool = False
    ) -> PatternTable:
        return PatternTable(
            key,
            title,
            tuple(
                PatternRow(label, n, ly, refs(n, 100 + 7 * i))
                for i, (label, n, ly) in enumerate(rows)
            ),
            multi,
        )

    return (
        table(
            "location",
            "Incidents by place",
            [
                ("Classroom", 24, 19),
                ("Playground", 15, 14),
                ("Corridor", 9, 6),
                ("Dining hall", 8, 5),
                ("Library", 4, 2),
            ],
        ),
        table(
            "time_of_day",
            "Incidents by time of day",
            [
                ("Before 9:00", 3, 2),
                ("Morning", 21, 17),
                ("Lunchtime", 19, 13),
                ("Afternoon", 16, 14),
                ("After 15:30", 1, 0),
            ],
        ),
        table(
            "day_of_week",
            "Incidents by day of week",
            [
                ("Monday", 14, 10),
                ("Tuesday", 12, 11),
                ("Wednesday", 9, 8),
                ("Thursday", 11, 9),
                ("Friday", 14, 8),
            ],
        ),
        table(
            "kind",
            "Incidents by kind of intervention",
            [
                ("Reasonable force", 41, 33),
                ("Restrictive intervention", 15, 11),
                ("Seclusion", 4, 2),
            ],
        ),
        table(
            "technique",
            "Incidents by technique",
            [
                ("Guide", 30, 22),
                ("Single elbow", 18, 14),
                ("Figure of four", 7, 6),
                ("Prone hold", 2, 1),
            ],
            multi=True,
        ),
        table(
            "antecedent",
            "Incidents by antecedent",
            [
                ("Change of routine", 22, 15),
                ("Demand placed", 18, 16),
                ("Peer conflict", 14, 9),
                ("Sensory", 6, 4),
            ],
            multi=True,
        ),
    )


def _series() -> tuple[tuple[SeriesPoint, ...], tuple[SeriesPoint, ...]]:
    counts = [2, 3, 5, 4, 6, 3, 0, 4, 5, 3, 4, 6, 5, 3, 4, 3]
    last = [1, 2, 3, 4, 3, 2, 0, 3, 4, 2, 3, 4, 3, 2, 3, 2]
    monday = date(2026, 8, 31)
    weekly = tuple(
        SeriesPoint(monday + timedelta(weeks=i), f"{(monday + timedelta(weeks=i)):%d/%m}", c, ly)
        for i, (c, ly) in enumerate(zip(counts, last, strict=True))
    )
    monthly = (
        SeriesPoint(date(2026, 9, 1), "Sep 2026", 16, 10),
        SeriesPoint(date(2026, 10, 1), "Oct 2026", 15, 11),
        SeriesPoint(date(2026, 11, 1), "Nov 2026", 18, 14),
        SeriesPoint(date(2026, 12, 1), "Dec 2026", 11, 7),
    )
    return weekly, monthly


def _group(
    ch: str,
    ch_label: str,
    key: str,
    label: str,
    on_roll: int,
    with_inc: int,
    inc: int,
    ratio: RiskRatio | None,
    reason: str = "",
    reading: str = "",
) -> GroupRow:
    total_roll, total_with = 412, 31
    return GroupRow(
        ch,
        ch_label,
        key,
        label,
        on_roll,
        float(on_roll),
        with_inc,
        inc,
        float(total_roll - on_roll),
        total_with - with_inc,
        ratio,
        reason,
        reading,
    )


SMALL = "Fewer than 10 pupils on roll in this group, so no ratio is shown."
FEW = "Fewer than 5 pupils in this group had an incident, so no ratio is shown."


def _disproportionality() -> tuple[CharacteristicTable, ...]:
    sen = "Special educational needs"
    return (
        CharacteristicTable(
            "sen",
            sen,
            (
                _group(
                    "sen",
                    sen,
                    "ehcp",
                    "EHCP",
                    18,
                    9,
                    24,
                    RiskRatio(4.2, 2.9, 6.1),
                    "",
                    "Pupils with an EHCP were 4.2 times as likely to be restrained as other "
                    "pupils (95% CI 2.9 to 6.1).",
                ),
                _group(
                    "sen",
                    sen,
                    "sen_support",
                    "SEN support",
                    64,
                    11,
                    20,
                    RiskRatio(1.9, 0.97, 3.7),
                    "",
                    "Pupils with SEN support were 1.9 times as likely as other pupils "
                    "(95% CI 1.0 to 3.7): the interval includes 1, so this may be chance.",
                ),
                _group(
                    "sen",
                    sen,
                    "none",
                    "No SEN",
                    330,
                    11,
                    16,
                    RiskRatio(0.3, 0.15, 0.55),
                    "",
                    "Pupils with no SEN were 0.3 times as likely as other pupils "
                    "(95% CI 0.2 to 0.6).",
                ),
            ),
        ),
        CharacteristicTable(
            "sex",
            "Sex",
            (
                _group(
                    "sex",
                    "Sex",
                    "M",
                    "Boys",
                    208,
                    24,
                    47,
                    RiskRatio(3.4, 1.5, 7.7),
                    "",
                    "Boys were 3.4 times as likely as girls (95% CI 1.5 to 7.7).",
                ),
                _group(
                    "sex",
                    "Sex",
                    "F",
                    "Girls",
                    204,
                    7,
                    13,
                    RiskRatio(0.3, 0.13, 0.66),
                    "",
                    "Girls were 0.3 times as likely as boys (95% CI 0.1 to 0.7).",
                ),
            ),
        ),
        CharacteristicTable(
            "looked_after",
            "Looked-after children",
            (
                _group(
                    "looked_after",
                    "Looked-after children",
                    "yes",
                    "Looked after",
                    6,
                    3,
                    7,
                    None,
                    SMALL,
                ),
            ),
        ),
        CharacteristicTable(
            "free_school_meals",
            "Free school meals",
            (
                _group(
                    "free_school_meals",
                    "Free school meals",
                    "yes",
                    "Eligible for free school meals",
                    97,
                    12,
                    25,
                    RiskRatio(2.1, 1.0, 4.1),
                    "",
                    "Pupils eligible for free school meals were 2.1 times as likely as other "
                    "pupils (95% CI 1.0 to 4.1).",
                ),
            ),
        ),
        CharacteristicTable(
            "eal",
            "English as an additional language",
            (
                _group(
                    "eal", "English as an additional language", "yes", "EAL", 41, 2, 3, None, FEW
                ),
            ),
        ),
    )


def realistic_report(period: Period = THIS_TERM, names_shown: bool = True) -> OversightReport:
    weekly, monthly = _series()
    repeated = tuple(
        RepeatedPupil(f"p{i}", PUPILS[i] if names_shown else "", n, refs(n, 200 + 10 * i))
        for i, n in enumerate((7, 5, 4, 3, 2))
    )
    return OversightReport(
        period=period,
        school=SCHOOL,
        totals=Totals(60, 31, 412, 405.6, 42),
        compliance=_compliance(),
        patterns=_patterns(),
        weekly=weekly,
        monthly=monthly,
        term_starts=(date(2026, 9, 1), date(2026, 11, 2)),
        repeated=repeated,
        disproportionality=_disproportionality(),
        names_shown=names_shown,
    )


def published_for(report: OversightReport) -> PublishedReport:
    """Primary suppression only (1 to 4 hidden): enough for the screen's marking."""
    t = report.totals
    return PublishedReport(
        period=report.period,
        school=report.school,
        incidents=shown(t.incidents),
        pupils_with_incident=shown(t.pupils_with_incident),
        pupils_on_roll=shown(t.pupils_on_roll),
        last_year_incidents=shown(t.last_year_incidents),
        repeated_pupils=shown(len(report.repeated)),
        compliance=tuple(
            PublishedCompliance(
                c.key,
                c.label,
                shown(c.count),
                shown(c.of),
                Shown("not shown", True) if 1 <= c.count <= 4 else Shown("x"),
                c.note,
            )
            for c in report.compliance
        ),
        patterns=tuple(
            PublishedPattern(
                p.key,
                p.title,
                tuple(
                    PublishedPatternRow(r.label, shown(r.count), shown(r.last_year)) for r in p.rows
                ),
                p.multi,
            )
            for p in report.patterns
        ),
        weekly=tuple(
            PublishedSeriesPoint(s.label, shown(s.count), shown(s.last_year)) for s in report.weekly
        ),
        monthly=tuple(
            PublishedSeriesPoint(s.label, shown(s.count), shown(s.last_year))
            for s in report.monthly
        ),
        disproportionality=tuple(
            PublishedCharacteristic(
                c.key,
                c.label,
                tuple(
                    PublishedGroup(
                        g.characteristic_label,
                        g.group_label,
                        shown(g.on_roll),
                        shown(g.with_incident),
                        shown(g.incidents),
                        Shown(""),
                        Shown(""),
                        Shown(""),
                        g.reading,
                        bool(g.ratio and g.ratio.flagged),
                    )
                    for g in c.groups
                ),
            )
            for c in report.disproportionality
        ),
    )


@dataclass(frozen=True)
class FakeResult:
    report: OversightReport
    published: PublishedReport
    fingerprint: str = "ab" * 32


@dataclass(frozen=True)
class FakeSaved:
    id: int
    period: Period
    made_at: datetime
    made_by_name: str
    pdf_sha256: str
    texts: GovernorsTexts = field(default_factory=GovernorsTexts)


def summary(reference: str, number: int) -> IncidentSummary:
    return IncidentSummary(
        id=number,
        reference=reference,
        status=IncidentStatus.SUBMITTED,
        occurred_on=date(2026, 9, 7) + timedelta(days=number % 20),
        start=time(10, 15),
        pupil_id=number % 5 + 1,
        pupil_name=PUPILS[number % 5],
        location="Classroom",
        author_id=2,
        author_name="Siân Griffiths",
        injury=False,
        floor_position=False,
        version=1,
        updated_at=datetime(2026, 9, 7, 12, tzinfo=UTC),
    )


@dataclass
class FakeReports:
    """The report service in memory. ``hold`` blocks compute for a period's label until
    its Event is set (to make an answer arrive late); ``hidden`` references are not the
    viewer's to see."""

    lead: bool = True
    names: bool = True
    hold: dict[str, threading.Event] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    computed: list[Period] = field(default_factory=list)
    made: list[tuple[FakeResult, GovernorsTexts]] = field(default_factory=list)
    saved: list[FakeSaved] = field(default_factory=list)
    pdfs: dict[int, bytes] = field(default_factory=dict)
    exported: list[Period] = field(default_factory=list)
    fail_with: Exception | None = None

    def may_use(self) -> bool:
        return self.lead

    def names_shown(self) -> bool:
        return self.names

    def compute(
        self,
        period: Period,
        rules: SuppressionRules | None = None,
        progress: Progress = NO_PROGRESS,
    ) -> FakeResult:
        progress.step(0, 0, "Counting the fictional records")
        self.computed.append(period)
        event = self.hold.get(period.label)
        if event is not None:
            event.wait(10)
        if self.fail_with is not None:
            raise self.fail_with
        report = realistic_report(period, self.names)
        return FakeResult(report, published_for(report))

    def records_behind(self, references: Sequence[str]) -> list[IncidentSummary]:
        return [summary(r, i + 1) for i, r in enumerate(references) if r not in self.hidden]

    def make_governors_report(self, result: FakeResult, texts: GovernorsTexts) -> FakeSaved:
        self.made.append((result, texts))
        number = len(self.saved) + 1
        saved = FakeSaved(
            number,
            result.report.period,
            datetime(2026, 12, 7, 16, 5, tzinfo=UTC),
            "Siân Griffiths",
            f"{number:02d}" * 32,
            texts,
        )
        self.saved.append(saved)
        self.pdfs[number] = b"%PDF-1.4 governors report " + str(number).encode()
        return saved

    def saved_reports(self) -> list[FakeSaved]:
        return list(reversed(self.saved))

    def saved_pdf(self, report_id: int) -> bytes:
        return self.pdfs[report_id]

    def export_csv(self, period: Period) -> bytes:
        self.exported.append(period)
        return b"pupil_key,date,year_group\nk1,2026-09-07,Year 4\n"


class FakeWorkerServices:
    """What a worker is given: the same fake report service over "its own connection"."""

    def __init__(self, reports: FakeReports) -> None:
        self.reports = reports
        self.closed = False

    def close(self) -> None:
        self.closed = True


class FakeServices:
    def __init__(self, reports: FakeReports) -> None:
        self.reports = reports
        self.workers: list[FakeWorkerServices] = []

    def on_new_connection(self) -> FakeWorkerServices:
        worker = FakeWorkerServices(self.reports)
        self.workers.append(worker)
        return worker
