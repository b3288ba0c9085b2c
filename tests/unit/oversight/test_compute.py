"""Every figure of Fernhill Academy (tests/unit/oversight/school.py), counted by hand.

The incidents, for reference (R = this year, L = last year):

    R01 p16 Wed 02/09 08:45 force    elbow         demand             Classroom
    R02 p16 Thu 03/09 10:00 force    elbow+four    demand+transition  Corridor
    R03 p17 Tue 08/09 12:30 no-force -             transition         Playground
    R04 p01 Wed 09/09 13:20 force    guide         -                  Classroom
    R05 p16 Thu 10/09 14:00 force    elbow         demand             classroom
    R06 p18 Tue 15/09 09:30 seclusn  -             peers              Hall
    R07 p17 Wed 16/09 11:00 force    four          peers              Corridor
    R08 p19 Thu 17/09 15:45 force    guide         demand             (none)
    R09 p16 Tue 22/09 10:45 force    elbow         demand             Classroom
    R10 p02 Wed 23/09 --:-- no-force -             -                  Classroom
    R11 p20 Tue 29/09 13:30 force    guide         transition         Playground
    R12 p01 Thu 01/10 08:30 force    guide         demand             Classroom
    R13 p21 Fri 02/10 12:15 force    elbow         demand             Corridor
    R14 p30 Tue 06/10 10:15 seclusn  -             peers              Hall
    R15 p16 Wed 07/10 14:30 force    four          demand             Classroom
    R16 p17 Tue 13/10 09:10 force    elbow         transition         Corridor
    R17 p22 Wed 14/10 16:00 force    guide         demand             Playground
    R18 p03 Thu 15/10 11:45 force    elbow         demand             Classroom
    R19 p18 Tue 20/10 13:00 (none)   -             -                  Hall
    R20 p16 Sat 24/10 10:30 force    elbow         demand             Classroom

    L1 Wed 03/09/2025 09:15 force    elbow  demand      Classroom
    L2 Wed 10/09/2025 12:00 force    guide  transition  Dining hall
    L3 Thu 02/10/2025 --:-- seclusn  -      demand      Classroom
    L4 Wed 08/10/2025 14:00 force    elbow  -           Corridor
    L5 Wed 08/10/2025 08:00 force    elbow  demand      Classroom
    L6 Sat 25/10/2025 11:00 no-force -      peers       Hall
"""

from __future__ import annotations

import math
from datetime import date

import pytest

from incident_recorder.domain.oversight.compute import COMPLIANCE_KEYS, compute_report
from incident_recorder.domain.oversight.figures import (
    CharacteristicTable,
    GroupRow,
    OversightReport,
    PatternTable,
)
from tests.unit.oversight import school


@pytest.fixture(scope="module")
def report() -> OversightReport:
    return compute_report(school.inputs())


def _pattern(report: OversightReport, key: str) -> PatternTable:
    return next(p for p in report.patterns if p.key == key)


def _rows(report: OversightReport, key: str) -> list[tuple[str, int, int]]:
    return [(r.label, r.count, r.last_year) for r in _pattern(report, key).rows]


def _table(report: OversightReport, key: str) -> CharacteristicTable:
    return next(t for t in report.disproportionality if t.key == key)


def _group(report: OversightReport, key: str, group: str) -> GroupRow:
    return next(g for g in _table(report, key).groups if g.group == group)


def test_totals(report: OversightReport) -> None:
    t = report.totals
    assert t.incidents == 20
    # p16 p17 p18 p19 p20 p21 p22 p30 (boys) and p01 p02 p03 (girls)
    assert t.pupils_with_incident == 11
    assert t.pupils_on_roll == 30
    # 28 pupils x 61 days + p15's 30 + p30's 31 = 1,769 days = 29.0 pupils of 61 days
    assert t.on_roll_equivalent == pytest.approx(29.0)
    assert t.last_year_incidents == 6
    assert report.term_starts == (date(2026, 9, 1),)
    assert report.school == "Fernhill Academy"


def test_compliance(report: OversightReport) -> None:
    got = {f.key: (f.count, f.of) for f in report.compliance}
    assert tuple(got) == COMPLIANCE_KEYS
    assert got == {
        "recorded_same_day": (18, 20),  # all but R05 and R17
        "parents_told_same_day": (17, 19),  # R10 withheld (left out); not R08, R14
        "letter_within_1_school_day": (10, 15),  # R01-R10 yes, R11-R15 no, R16-R20 n/a
        "copy_supplied": (1, 2),  # R18 yes, R19 no, the rest n/a
        "signed_off_within_2_school_days": (19, 20),  # all but R02
        "no_deescalation": (2, 20),  # R03, R06
        "floor_any": (3, 20),  # R02 prone, R07 ground, R09 ground + supine
        "prone": (1, 20),  # R02
        "supine": (1, 20),  # R09
        "ground": (2, 20),  # R07, R09
        "hold_over_threshold": (2, 20),  # R02, R09
        "pupil_injured": (1, 20),  # R07
        "staff_injured": (0, 20),
        "staff_training_expired": (0, 0),  # never recorded
    }
    by_key = {f.key: f for f in report.compliance}
    everyone = [f"R{n:02d}" for n in range(1, 21)]
    assert list(by_key["recorded_same_day"].references) == [
        r for r in everyone if r not in ("R05", "R17")
    ]
    # The records behind a figure, oldest first.
    assert by_key["ground"].references == ("R07", "R09")
    assert by_key["floor_any"].references == ("R02", "R07", "R09")
    assert by_key["recorded_same_day"].percent == pytest.approx(90.0)
    assert by_key["letter_within_1_school_day"].percent == pytest.approx(100 * 10 / 15)
    assert by_key["staff_training_expired"].percent is None
    # Notes: where incidents are left out, and where there is nothing to count.
    assert by_key["recorded_same_day"].note == ""
    assert "left out" in by_key["parents_told_same_day"].note
    assert "1 April 2026" in by_key["copy_supplied"].note
    assert "No incidents it applies to" in by_key["staff_training_expired"].note
    assert by_key["recorded_same_day"].good_when_high
    assert not by_key["prone"].good_when_high


def test_time_of_day(report: OversightReport) -> None:
    assert _rows(report, "time_of_day") == [
        ("Before 09:00", 2, 1),  # R01 08:45, R12 08:30 | L5 08:00
        ("09:00 to 10:30", 4, 1),  # R02 10:00, R06 09:30, R14 10:15, R16 09:10 | L1 09:15
        ("10:30 to 12:00", 4, 1),  # R07 11:00, R09 10:45, R18 11:45, R20 10:30 | L6 11:00
        ("Lunchtime, 12:00 to 13:15", 3, 1),  # R03 12:30, R13 12:15, R19 13:00 | L2 12:00
        ("13:15 to 15:30", 4, 1),  # R04 13:20, R05 14:00, R11 13:30, R15 14:30 | L4 14:00
        ("After 15:30", 2, 0),  # R08 15:45, R17 16:00
        ("Time not recorded", 1, 1),  # R10 | L3
    ]


def test_day_of_week(report: OversightReport) -> None:
    assert _rows(report, "day_of_week") == [
        ("Monday", 0, 0),
        ("Tuesday", 7, 0),  # R03 R06 R09 R11 R14 R16 R19
        ("Wednesday", 6, 4),  # R01 R04 R07 R10 R15 R17 | L1 L2 L4 L5
        ("Thursday", 5, 1),  # R02 R05 R08 R12 R18 | L3
        ("Friday", 1, 0),  # R13
        ("Weekend", 1, 1),  # R20 (Saturday) | L6
    ]


def test_location_case_merged_largest_first_not_recorded_last(report: OversightReport) -> None:
    assert _rows(report, "location") == [
        ("Classroom", 9, 3),  # R01 R04 R05(lower case) R09 R10 R12 R15 R18 R20 | L1 L3 L5
        ("Corridor", 4, 1),  # R02 R07 R13 R16 | L4
        ("Hall", 3, 1),  # R06 R14 R19 | L6 (ties with Playground; more last year)
        ("Playground", 3, 0),  # R03 R11 R17
        ("Dining hall", 0, 1),  # only last year: L2
        ("Place not recorded", 1, 0),  # R08
    ]
    hall = _pattern(report, "location").rows[2]
    assert hall.references == ("R06", "R14", "R19")


def test_kind(report: OversightReport) -> None:
    assert _rows(report, "kind") == [
        ("Reasonable force", 15, 4),  # all but R03 R10 (no force), R06 R14 (seclusion), R19
        ("Restraint without force", 2, 1),  # R03 R10 | L6 (ties Seclusion: by name)
        ("Seclusion", 2, 1),  # R06 R14 | L3
        ("Kind not recorded", 1, 0),  # R19
    ]
    assert not _pattern(report, "kind").multi


def test_technique_counts_each_technique_once_per_incident(report: OversightReport) -> None:
    assert _rows(report, "technique") == [
        ("Single elbow", 8, 3),  # R01 R02 R05 R09 R13 R16 R18 R20 | L1 L4 L5
        ("Guide", 5, 1),  # R04 R08 R11 R12 R17 | L2
        ("Figure of four", 3, 0),  # R02 R07 R15
        ("No technique recorded", 5, 2),  # R03 R06 R10 R14 R19 | L3 L6
    ]
    assert _pattern(report, "technique").multi  # R02 counts twice: 21 > 20


def test_antecedent(report: OversightReport) -> None:
    assert _rows(report, "antecedent") == [
        ("Demand", 11, 3),  # R01 R02 R05 R08 R09 R12 R13 R15 R17 R18 R20 | L1 L3 L5
        ("Transition", 4, 1),  # R02 R03 R11 R16 | L2
        ("Peer conflict", 3, 1),  # R06 R07 R14 | L6
        ("Kind not recorded", 3, 1),  # R04 R10 R19 | L4
    ]


def test_weekly_monday_weeks_with_the_week_52_weeks_earlier(report: OversightReport) -> None:
    got = [(p.start, p.label, p.count, p.last_year) for p in report.weekly]
    assert got == [
        (date(2026, 8, 31), "31/08", 2, 1),  # R01 R02 | L1 (wk of 01/09/2025)
        (date(2026, 9, 7), "07/09", 3, 1),  # R03 R04 R05 | L2
        (date(2026, 9, 14), "14/09", 3, 0),  # R06 R07 R08
        (date(2026, 9, 21), "21/09", 2, 0),  # R09 R10
        (date(2026, 9, 28), "28/09", 3, 1),  # R11 R12 R13 | L3 (Thu 02/10/2025)
        (date(2026, 10, 5), "05/10", 2, 2),  # R14 R15 | L4 L5
        (date(2026, 10, 12), "12/10", 3, 0),  # R16 R17 R18
        (date(2026, 10, 19), "19/10", 2, 1),  # R19 R20 | L6 (Sat 25/10/2025)
        (date(2026, 10, 26), "26/10", 0, 0),
    ]


def test_monthly(report: OversightReport) -> None:
    got = [(p.start, p.label, p.count, p.last_year) for p in report.monthly]
    assert got == [
        (date(2026, 9, 1), "Sep 2026", 11, 2),  # R01-R11 | L1 L2
        (date(2026, 10, 1), "Oct 2026", 9, 4),  # R12-R20 | L3-L6
    ]


def test_repeated_pupils_most_first_named_only_when_allowed(report: OversightReport) -> None:
    got = [(r.key, r.incidents, r.name) for r in report.repeated]
    # p01 and p18 both have 2: p01's first (R04, 09/09) came before p18's (R06, 15/09).
    assert got == [("p16", 6, ""), ("p17", 3, ""), ("p01", 2, ""), ("p18", 2, "")]
    assert report.repeated[0].references == ("R01", "R02", "R05", "R09", "R15", "R20")
    named = compute_report(school.inputs(names_shown=True))
    assert named.repeated[0].name == "Pupil Number16"
    assert named.names_shown and not report.names_shown


def test_sex(report: OversightReport) -> None:
    girls = _group(report, "sex", "F")
    boys = _group(report, "sex", "M")
    assert (girls.group_label, boys.group_label) == ("Girls", "Boys")
    # Girls: 15 on roll, p15 30 days: 14 + 30/61; with an incident p01 p02 p03 (3);
    # incidents 2 + 1 + 1 = 4. Fewer than 5 with an incident: no ratio.
    assert (girls.on_roll, girls.with_incident, girls.incidents) == (15, 3, 4)
    assert girls.on_roll_equivalent == pytest.approx(14 + 30 / 61)
    assert girls.ratio is None
    assert girls.no_ratio_reason.startswith("Fewer than 5 pupils in this group had an incident")
    # Boys: 15 on roll, p30 31 days: 14 + 31/61; 8 with an incident, 6+3+2+1+1+1+1+1 = 16.
    assert (boys.on_roll, boys.with_incident, boys.incidents) == (15, 8, 16)
    n1 = 14 + 31 / 61
    n0 = 14 + 30 / 61
    assert boys.on_roll_equivalent == pytest.approx(n1)
    assert boys.others_on_roll_equivalent == pytest.approx(n0)
    assert boys.others_with_incident == 3
    # RR = (8 / n1) / (3 / n0) = (8 x 884) / (3 x 885) = 2.6637
    rr = (8 / n1) / (3 / n0)
    assert rr == pytest.approx(7072 / 2655)
    se = math.sqrt(1 / 8 - 1 / n1 + 1 / 3 - 1 / n0)  # 0.5660
    assert boys.ratio is not None
    assert boys.ratio.ratio == pytest.approx(rr)
    assert boys.ratio.low == pytest.approx(math.exp(math.log(rr) - 1.96 * se), rel=1e-4)
    assert boys.ratio.high == pytest.approx(math.exp(math.log(rr) + 1.96 * se), rel=1e-4)
    assert (round(boys.ratio.low, 2), round(boys.ratio.high, 2)) == (0.88, 8.08)
    assert not boys.ratio.flagged
    assert boys.reading == (
        "Boys were 2.7 times as likely to be restrained as other pupils (95% CI 0.9 to 8.1)."
        " The interval includes 1, so the difference could be chance."
    )
    # Rates per 100 on the equivalent roll.
    assert boys.rate_per_100 == pytest.approx(100 * 8 / n1)
    assert boys.incidents_per_100 == pytest.approx(100 * 16 / n1)


def test_free_school_meals_flagged(report: OversightReport) -> None:
    fsm = _group(report, "free_school_meals", "free_school_meals")
    rest = _group(report, "free_school_meals", "others")
    # FSM: p01-p05 and p16-p25 (15, all 61 days); with an incident p01 p02 p03 and
    # p16-p22 = 10; incidents 2+1+1 + 6+3+2+1+1+1+1 = 19. Others: 15 pupils with
    # p15 (30 days) and p30 (31 days): 13 + 61/61 = 14.0; one with an incident (p30).
    assert (fsm.on_roll, fsm.with_incident, fsm.incidents) == (15, 10, 19)
    assert fsm.on_roll_equivalent == pytest.approx(15.0)
    assert (rest.on_roll, rest.with_incident, rest.incidents) == (15, 1, 1)
    assert rest.on_roll_equivalent == pytest.approx(14.0)
    assert rest.group_label == "All other pupils" and rest.ratio is None
    # RR = (10/15) / (1/14) = 9.333; var = 1/10 - 1/15 + 1/1 - 1/14 = 0.961905
    assert fsm.ratio is not None
    assert fsm.ratio.ratio == pytest.approx(28 / 3)
    se = math.sqrt(1 / 10 - 1 / 15 + 1 - 1 / 14)
    assert fsm.ratio.low == pytest.approx((28 / 3) * math.exp(-1.959964 * se), rel=1e-6)
    assert (round(fsm.ratio.low, 2), round(fsm.ratio.high, 1)) == (1.37, 63.8)
    assert fsm.ratio.flagged  # the whole interval is above 1
    assert fsm.reading == (
        "Pupils eligible for free school meals were 9.3 times as likely to be restrained "
        "as other pupils (95% CI 1.4 to 63.8). The whole interval is above 1."
    )


def test_year_group(report: OversightReport) -> None:
    y7 = _group(report, "year_group", "Year 7")
    y8 = _group(report, "year_group", "Year 8")
    # Year 7: p01-p08, p16-p23 (16); with an incident p01 p02 p03 p16-p22 = 10, 19 incidents.
    assert (y7.on_roll, y7.with_incident, y7.incidents) == (16, 10, 19)
    # Year 8: p09-p15, p24-p30 (14); 12 + (30 + 31)/61 = 13.0; p30 only, 1 incident.
    assert (y8.on_roll, y8.with_incident, y8.incidents) == (14, 1, 1)
    assert y8.on_roll_equivalent == pytest.approx(13.0)
    # RR = (10/16)/(1/13) = 8.125
    assert y7.ratio is not None and y7.ratio.ratio == pytest.approx(8.125)
    assert y7.ratio.flagged
    assert y8.ratio is None and "Fewer than 5" in y8.no_ratio_reason


def test_sen_groups_each_against_all_others(report: OversightReport) -> None:
    rows = [
        (g.group_label, g.on_roll, g.with_incident, g.incidents)
        for g in _table(report, "sen").groups
    ]
    assert rows == [
        ("No SEN", 19, 1, 1),  # p04-p15, p24-p30; p30
        ("SEN support", 4, 3, 3),  # p02 p03 p22 p23; p02 p03 p22
        ("EHCP", 7, 7, 16),  # p01 p16-p21, all seven: 2+6+3+2+1+1+1
    ]
    ehcp = _group(report, "sen", "ehcp")
    assert ehcp.ratio is None
    assert ehcp.no_ratio_reason.startswith("Fewer than 10 pupils on roll in this group")
    assert _group(report, "sen", "none").on_roll_equivalent == pytest.approx(18.0)


def test_ethnicity_major_group_and_detailed_code(report: OversightReport) -> None:
    major = [
        (g.group_label, g.on_roll, g.with_incident, g.incidents)
        for g in _table(report, "ethnic_group").groups
    ]
    assert major == [
        ("White", 20, 8, 17),  # p01-p20; p01 p02 p03 p16-p20: 2+1+1+6+3+2+1+1
        ("Asian or Asian British", 3, 0, 0),  # p26-p28
        ("Black or Black British", 5, 2, 2),  # p21-p25; p21 p22
        ("Not recorded", 2, 1, 1),  # p29 p30; p30
    ]
    white = _group(report, "ethnic_group", "white")
    # n1 = 19 + 30/61 = 1189/61; n0 = 29 - n1 = 580/61; RR = (8 x 580)/(3 x 1189) = 1.3008
    assert white.ratio is not None
    assert white.ratio.ratio == pytest.approx(4640 / 3567)
    assert white.reading.startswith(
        "White pupils were 1.3 times as likely to be restrained as other pupils "
        "(95% CI 0.4 to 3.8)."
    )
    detailed = [(g.group, g.group_label, g.on_roll) for g in _table(report, "ethnicity").groups]
    assert detailed == [
        ("WBRI", "White - British", 20),
        ("AIND", "Indian", 3),
        ("BCRB", "Black Caribbean", 5),
        ("not_recorded", "Not recorded", 2),
    ]


def test_yes_no_characteristics(report: OversightReport) -> None:
    def trio(key: str) -> tuple[int, int, int]:
        g = _group(report, key, key)
        return (g.on_roll, g.with_incident, g.incidents)

    assert trio("looked_after") == (2, 2, 7)  # p02 (1), p16 (6)
    assert trio("previously_looked_after") == (0, 0, 0)
    assert trio("kinship_care") == (1, 1, 1)  # p03
    assert trio("child_in_need_or_protection") == (2, 2, 9)  # p16 (6), p17 (3)
    assert trio("eal") == (3, 0, 0)  # p10 p11 p26
    la_rest = _group(report, "looked_after", "others")
    assert (la_rest.on_roll, la_rest.with_incident, la_rest.incidents) == (28, 9, 13)
    assert la_rest.on_roll_equivalent == pytest.approx(27.0)
    # Each table's groups add up to the whole roll.
    for table in report.disproportionality:
        assert sum(g.on_roll for g in table.groups) == 30, table.key
        assert sum(g.with_incident for g in table.groups) == 11, table.key
        assert sum(g.incidents for g in table.groups) == 20, table.key


def test_incidents_outside_the_period_are_left_out() -> None:
    from dataclasses import replace

    extra = replace(school.INCIDENTS[0], reference="R99", occurred_on=date(2026, 11, 1))
    base = school.inputs()
    report = compute_report(replace(base, incidents=(*base.incidents, extra)))
    assert report.totals.incidents == 20
    assert sum(p.count for p in report.weekly) == 20


def test_empty_period_still_has_every_figure() -> None:
    from dataclasses import replace

    report = compute_report(replace(school.inputs(), incidents=(), last_year=()))
    assert report.totals.incidents == 0
    assert [f.of for f in report.compliance] == [0] * len(COMPLIANCE_KEYS)
    assert all("No incidents in the period." in f.note for f in report.compliance)
    assert all(g.ratio is None for t in report.disproportionality for g in t.groups)


def test_without_references_the_figures_are_the_same() -> None:
    """A trust's roll-up leaves out the records behind each figure; nothing else changes."""
    from dataclasses import replace

    full = compute_report(school.inputs())
    bare = compute_report(school.inputs(), references=False)
    assert all(f.references == () for f in bare.compliance)
    assert all(r.references == () for t in bare.patterns for r in t.rows)
    assert all(r.references == () for r in bare.repeated)

    def stripped(report: OversightReport) -> OversightReport:
        return replace(
            report,
            compliance=tuple(replace(f, references=()) for f in report.compliance),
            patterns=tuple(
                replace(t, rows=tuple(replace(r, references=()) for r in t.rows))
                for t in report.patterns
            ),
            repeated=tuple(replace(r, references=()) for r in report.repeated),
        )

    assert stripped(full) == bare
    # and the order of the input makes no difference
    shuffled = replace(school.inputs(), incidents=tuple(reversed(school.INCIDENTS)))
    assert compute_report(shuffled) == full
