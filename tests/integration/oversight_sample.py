"""A published oversight report built by hand for the PDF tests: a fictional school's
school year, with small numbers already shown as "fewer than 5" (and one figure hidden
by secondary suppression as "not shown"), as ``publish()`` gives them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from incident_recorder.domain.oversight.facts import Period
from incident_recorder.domain.oversight.governors import GovernorsReportDocument, GovernorsTexts
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

FEWER = "fewer than 5"
SCHOOL = "Fictional Willow Academy"
PERIOD = Period(date(2026, 9, 1), date(2027, 8, 31), "School year 2026 to 2027")
TERM_STARTS = (date(2026, 9, 3), date(2027, 1, 5), date(2027, 4, 19))
FINGERPRINT = "3f9a0c51e2b7d4486a1f0e9c2d7b5a3e8c6f4d2b1a0e9f8c7d6b5a4e3f2c1d0b"
MADE_AT = datetime(2027, 9, 14, 16, 5)


def n(value: int) -> Shown:
    """A count as publish() prints it."""
    if 1 <= value <= 4:
        return Shown(FEWER, hidden=True)
    return Shown(str(value))


def pct(count: int, of: int) -> Shown:
    if 1 <= count <= 4:
        return Shown("not shown", hidden=True)
    return Shown("–" if of == 0 else f"{100 * count / of:.0f}%")


def _compliance() -> tuple[PublishedCompliance, ...]:
    items = [
        ("recorded_same_day", "Recorded the same day", 301, 342, ""),
        ("parents_told_same_day", "Parents told the same day", 318, 342, ""),
        ("letter_within_1", "Letter sent within 1 school day", 296, 342, ""),
        (
            "copy_supplied",
            "Record supplied to parents",
            122,
            140,
            "Only incidents from 1 April 2027, when the duty began",
        ),
        ("signed_off_within_2", "Signed off within 2 school days", 280, 342, ""),
        ("no_deescalation", "No de-escalation recorded", 3, 342, ""),
        ("floor_positions", "Ground, prone or supine positions", 14, 342, ""),
        ("hold_over_threshold", "Holds over 10 minutes", 9, 342, ""),
        ("pupil_injured", "Injuries to pupils", 2, 342, ""),
        ("staff_injured", "Injuries to staff", 11, 342, ""),
        ("training_expired", "Staff whose training had expired", 0, 342, ""),
    ]
    return tuple(
        PublishedCompliance(key, label, n(count), n(of), pct(count, of), note)
        for key, label, count, of, note in items
    )


def _pattern(
    key: str, title: str, rows: list[tuple[str, int, int]], multi: bool = False
) -> PublishedPattern:
    return PublishedPattern(
        key, title, tuple(PublishedPatternRow(label, n(a), n(b)) for label, a, b in rows), multi
    )


def _patterns() -> tuple[PublishedPattern, ...]:
    locations = [
        ("Classroom", 120, 96),
        ("Corridor", 62, 55),
        ("Playground", 48, 51),
        ("Dining hall", 30, 22),
        ("Sensory room", 21, 9),
        ("Library", 12, 14),
        ("Hall", 11, 8),
        ("Toilets", 9, 10),
        ("Reception area", 7, 3),
        ("Music room", 6, 2),
        ("Car park", 5, 0),
        ("Minibus on a school trip to the outdoor education centre in the national park", 4, 1),
        ("Science laboratory", 3, 6),
        ("Art room", 2, 0),
        ("Field", 1, 4),
        ("Gym", 1, 0),
    ]
    return (
        _pattern(
            "kind",
            "Kind of intervention",
            [("Reasonable force", 210, 180), ("Restraint", 101, 79), ("Seclusion", 31, 21)],
        ),
        _pattern(
            "technique",
            "Technique",
            [
                ("Friendly hold (standing)", 150, 120),
                ("Single elbow", 88, 70),
                ("Figure of four", 40, 35),
                ("Double elbow", 22, 18),
                ("Wrap (standing)", 3, 7),
            ],
            multi=True,
        ),
        _pattern("location", "Location", locations),
        _pattern(
            "time_of_day",
            "Time of day",
            [
                ("Before school", 4, 2),
                ("Morning", 140, 110),
                ("Lunchtime", 98, 80),
                ("Afternoon", 96, 85),
                ("After school", 4, 3),
            ],
        ),
        _pattern(
            "day_of_week",
            "Day of the week",
            [
                ("Monday", 80, 60),
                ("Tuesday", 70, 55),
                ("Wednesday", 64, 60),
                ("Thursday", 66, 50),
                ("Friday", 62, 55),
            ],
        ),
        _pattern(
            "antecedent",
            "What led up to it",
            [
                ("Transition between activities", 120, 100),
                ("Demand placed", 95, 80),
                ("Peer conflict", 70, 60),
                ("Sensory overload", 40, 30),
                ("Unknown", 17, 10),
            ],
            multi=True,
        ),
    )


def _series() -> tuple[tuple[PublishedSeriesPoint, ...], tuple[PublishedSeriesPoint, ...]]:
    weeks = []
    monday = date(2026, 8, 31)
    for i in range(53):
        start = monday + timedelta(weeks=i)
        holiday = start.month == 8 or (start.month == 12 and start.day > 20) or i in (8, 26, 33)
        count = 0 if holiday else (i * 7) % 13 + (2 if i % 5 == 0 else 4)
        last = 0 if holiday else (i * 5) % 11 + 3
        weeks.append(PublishedSeriesPoint(f"{start:%d/%m}", n(count), n(last), start))
    months = []
    for i in range(12):
        year, month = (2026, 9 + i) if i < 4 else (2027, i - 3)
        count = (0, 38, 41, 29, 33, 27, 36, 30, 44, 38, 26, 0)[i]
        last = (2, 30, 35, 25, 31, 20, 30, 22, 33, 30, 20, 0)[i]
        label = f"{date(year, month, 1):%b %Y}"
        months.append(PublishedSeriesPoint(label, n(count), n(last), date(year, month, 1)))
    return tuple(weeks), tuple(months)


def _group(
    char: str,
    label: str,
    roll: int,
    pupils: int,
    incidents: int,
    ratio: str,
    flagged: bool = False,
    reading: str = "",
) -> PublishedGroup:
    rate = "–" if roll == 0 else f"{100 * pupils / roll:.1f}"
    per = "–" if roll == 0 else f"{100 * incidents / roll:.1f}"
    small = 1 <= pupils <= 4 or 1 <= incidents <= 4
    return PublishedGroup(
        char,
        label,
        n(roll),
        n(pupils),
        n(incidents),
        Shown("not shown", True) if small else Shown(rate),
        Shown("not shown", True) if small else Shown(per),
        Shown(ratio),
        reading,
        flagged,
    )


TOO_SMALL = "No ratio: fewer than 5 pupils in the group had an incident"


def _disproportionality() -> tuple[PublishedCharacteristic, ...]:
    sen = PublishedCharacteristic(
        "sen",
        "Special educational needs",
        (
            _group(
                "Special educational needs",
                "EHCP",
                42,
                19,
                131,
                "4.2 (95% CI 2.9 to 6.1)",
                True,
                "Pupils with an EHCP were 4.2 times as likely to have had an incident as other "
                "pupils (95% CI 2.9 to 6.1).",
            ),
            _group(
                "Special educational needs",
                "SEN support",
                96,
                14,
                70,
                "1.3 (95% CI 0.8 to 2.2)",
                False,
                "Pupils on SEN support were 1.3 times as likely as other pupils (95% CI 0.8 "
                "to 2.2): the interval includes 1, so this may be chance.",
            ),
            _group(
                "Special educational needs",
                "No SEN",
                512,
                22,
                141,
                "0.3 (95% CI 0.2 to 0.5)",
                False,
                "Pupils with no SEN were 0.3 times as likely as other pupils (95% CI 0.2 to 0.5).",
            ),
        ),
    )
    ethnic = PublishedCharacteristic(
        "ethnic_group",
        "Ethnicity (major group)",
        (
            _group(
                "Ethnicity",
                "White",
                420,
                30,
                190,
                "0.9 (95% CI 0.6 to 1.4)",
                False,
                "White pupils were 0.9 times as likely as other pupils (95% CI 0.6 to 1.4).",
            ),
            _group(
                "Ethnicity",
                "Black, Black British, Caribbean or African",
                88,
                16,
                101,
                "2.0 (95% CI 1.2 to 3.4)",
                True,
                "Black, Black British, Caribbean or African pupils were 2.0 times as likely as "
                "other pupils (95% CI 1.2 to 3.4).",
            ),
            _group("Ethnicity", "Asian or Asian British", 90, 6, 30, "0.7 (95% CI 0.3 to 1.6)"),
            _group("Ethnicity", "Mixed or multiple ethnic groups", 40, 3, 17, TOO_SMALL),
            _group(
                "Ethnicity",
                "Other ethnic group",
                8,
                0,
                0,
                "No ratio: fewer than 10 pupils of the group on roll",
            ),
            _group(
                "Ethnicity",
                "Not known",
                4,
                0,
                0,
                "No ratio: fewer than 10 pupils of the group on roll",
            ),
        ),
    )
    sex = PublishedCharacteristic(
        "sex",
        "Sex",
        (
            _group(
                "Sex",
                "Boys",
                330,
                41,
                280,
                "3.6 (95% CI 2.1 to 6.2)",
                True,
                "Boys were 3.6 times as likely as girls (95% CI 2.1 to 6.2).",
            ),
            _group("Sex", "Girls", 320, 14, 62, "0.3 (95% CI 0.2 to 0.5)"),
        ),
    )
    flags = []
    for key, label, roll, pupils, incidents, ratio in (
        (
            "looked_after",
            "Looked after",
            9,
            3,
            20,
            "No ratio: fewer than 10 pupils of the group on roll",
        ),
        ("previously_looked_after", "Previously looked after", 12, 2, 6, TOO_SMALL),
        (
            "kinship_care",
            "Kinship care",
            6,
            0,
            0,
            "No ratio: fewer than 10 pupils of the group on roll",
        ),
        ("cin_cp", "Child in need or child protection plan", 15, 5, 40, "3.1 (95% CI 1.5 to 6.4)"),
        ("fsm", "Free school meals", 190, 28, 200, "2.4 (95% CI 1.5 to 3.9)"),
        ("eal", "English as an additional language", 110, 7, 33, "0.9 (95% CI 0.4 to 1.9)"),
    ):
        flags.append(
            PublishedCharacteristic(
                key,
                label,
                (
                    _group(
                        label,
                        label,
                        roll,
                        pupils,
                        incidents,
                        ratio,
                        ratio.startswith(("3.1", "2.4")),
                    ),
                    _group(
                        label,
                        "Others",
                        650 - roll,
                        55 - pupils,
                        342 - incidents,
                        "Comparison group",
                    ),
                ),
            )
        )
    years = PublishedCharacteristic(
        "year_group",
        "Year group",
        tuple(
            _group("Year group", f"Year {y}", 92, p, i, r)
            for y, p, i, r in (
                (1, 4, 20, TOO_SMALL),
                (2, 6, 30, "0.8 (95% CI 0.3 to 1.9)"),
                (3, 8, 50, "1.1 (95% CI 0.5 to 2.3)"),
                (4, 10, 70, "1.5 (95% CI 0.8 to 2.9)"),
                (5, 12, 80, "1.9 (95% CI 1.0 to 3.5)"),
                (6, 15, 92, "2.6 (95% CI 1.4 to 4.7)"),
            )
        ),
    )
    return (sen, ethnic, sex, *flags, years)


def published(school: str = SCHOOL, scale: int = 1) -> PublishedReport:
    weekly, monthly = _series()
    return PublishedReport(
        period=PERIOD,
        school=school,
        incidents=n(342 * scale),
        pupils_with_incident=n(55 * scale),
        pupils_on_roll=n(650 * scale),
        last_year_incidents=n(271 * scale),
        repeated_pupils=n(31 * scale),
        compliance=_compliance(),
        patterns=_patterns(),
        weekly=weekly,
        monthly=monthly,
        disproportionality=_disproportionality(),
        term_starts=TERM_STARTS,
    )


LONG_IMPACT = "\n".join(
    f"Paragraph {i}: we spoke with the families of the children involved about what happened "
    "and what would help; several told us that the phone call on the same day mattered more "
    "than the letter, and that they wanted to hear what had gone well too. " * 3
    for i in range(1, 31)
)

TEXTS = GovernorsTexts(
    impact=LONG_IMPACT,
    actions_taken="Refresher training for all lunchtime staff in October.\n"
    "A quiet room opened beside the dining hall.",
    actions_planned="Review every hold longer than 10 minutes with the family within a week.",
)


def governors_document(report_number: int = 3) -> GovernorsReportDocument:
    return GovernorsReportDocument(
        published=published(),
        texts=TEXTS,
        made_by="Ms Harriet Fictional",
        made_at=MADE_AT,
        fingerprint=FINGERPRINT,
        report_number=report_number,
    )
