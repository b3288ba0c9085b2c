"""Small-number suppression: primary (1 to 4 shows "fewer than 5") and secondary (no
hidden count can be worked out from totals, neighbours, complements, weeks against
months, or a trust's schools)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, time, timedelta

import pytest

from incident_recorder.domain.oversight import suppression
from incident_recorder.domain.oversight.compute import compute_report
from incident_recorder.domain.oversight.facts import (
    Characteristics,
    IncidentFacts,
    Period,
    PupilFacts,
    ReportInputs,
)
from incident_recorder.domain.oversight.figures import OversightReport
from incident_recorder.domain.oversight.published import PublishedReport, Shown
from incident_recorder.domain.oversight.suppression import hidden_cells, publish
from tests.unit.oversight import school
from tests.unit.oversight.attacker import recovered

FEWER = "fewer than 5"


@pytest.fixture(scope="module")
def report() -> OversightReport:
    return compute_report(school.inputs())


@pytest.fixture(scope="module")
def published(report: OversightReport) -> PublishedReport:
    return publish(report)


def _every_count(pub: PublishedReport) -> list[Shown]:
    out = [pub.incidents, pub.pupils_with_incident, pub.pupils_on_roll]
    out += [pub.last_year_incidents, pub.repeated_pupils]
    for f in pub.compliance:
        out += [f.count, f.of]
    for t in pub.patterns:
        for r in t.rows:
            out += [r.count, r.last_year]
    for p in (*pub.weekly, *pub.monthly):
        out += [p.count, p.last_year]
    for c in pub.disproportionality:
        for g in c.groups:
            out += [g.on_roll, g.with_incident, g.incidents]
    for s in pub.schools:
        out += _every_count(s)
    return out


def _true_counts(report: OversightReport) -> list[int]:
    out = [report.totals.incidents, report.totals.pupils_with_incident]
    out += [report.totals.pupils_on_roll, report.totals.last_year_incidents, len(report.repeated)]
    for f in report.compliance:
        out += [f.count, f.of]
    for t in report.patterns:
        for r in t.rows:
            out += [r.count, r.last_year]
    for p in (*report.weekly, *report.monthly):
        out += [p.count, p.last_year]
    for c in report.disproportionality:
        for g in c.groups:
            out += [g.on_roll, g.with_incident, g.incidents]
    for s in report.schools:
        out += _true_counts(s)
    return out


def _check_primary(report: OversightReport, pub: PublishedReport) -> None:
    for value, shown in zip(_true_counts(report), _every_count(pub), strict=True):
        if 1 <= value <= 4:
            assert shown.hidden and shown.text in (FEWER, "not shown"), (value, shown)
        elif not shown.hidden:
            assert shown.text == f"{value:,}"
        else:
            assert shown.text == "not shown"  # hidden to protect a small count


def test_primary_every_count_from_1_to_4_is_hidden_and_0_shows(
    report: OversightReport, published: PublishedReport
) -> None:
    _check_primary(report, published)
    assert published.incidents == Shown("20")
    assert published.pupils_with_incident == Shown("11")
    # The weekend row (R20 only) and the Friday row (R13 only).
    days = {r.label: r.count for r in published.patterns[2].rows}
    assert days["Weekend"] == Shown(FEWER, hidden=True)
    assert days["Monday"] == Shown("0")


def test_a_small_group_hides_its_complement_too(published: PublishedReport) -> None:
    sex = next(c for c in published.disproportionality if c.key == "sex")
    girls, boys = sex.groups
    # Girls 3 with an incident: fewer than 5. Boys 8 would give 11 - 8 = 3 away.
    assert girls.with_incident == Shown(FEWER, hidden=True)
    assert boys.with_incident == Shown("not shown", hidden=True)
    # and what is worked out from a hidden count is hidden too
    assert boys.rate_per_100.hidden and boys.ratio.hidden and boys.reading == ""
    assert not boys.flagged
    assert boys.on_roll == Shown("15")


def test_compliance_hides_a_count_close_to_its_denominator(published: PublishedReport) -> None:
    f = {c.key: c for c in published.compliance}
    # 18 of 20 recorded the same day: 2 were not. The 18 is not shown.
    assert f["recorded_same_day"].count.hidden and f["recorded_same_day"].of == Shown("20")
    assert f["recorded_same_day"].percent == Shown("not shown", hidden=True)
    # 10 of 15 letters: both parts 5 or more, shown.
    assert (
        f["letter_within_1_school_day"].count.text,
        f["letter_within_1_school_day"].of.text,
    ) == (
        "10",
        "15",
    )
    assert f["letter_within_1_school_day"].percent == Shown("67%")
    # 1 of 2 copies supplied: both small.
    assert f["copy_supplied"].count == Shown(FEWER, hidden=True)
    assert f["copy_supplied"].of == Shown(FEWER, hidden=True)
    assert f["staff_injured"].count == Shown("0") and f["staff_injured"].percent == Shown("0%")


def test_the_reader_cannot_recover_any_hidden_count(
    report: OversightReport, published: PublishedReport
) -> None:
    assert recovered(published, report) == []


def test_the_reader_would_recover_counts_from_primary_suppression_alone(
    report: OversightReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attack test can fail: with secondary suppression switched off it finds the
    girls' 3 (11 - 8) and more."""
    monkeypatch.setattr(suppression, "_protect", lambda sheet: None)
    found = recovered(publish(report), report)
    assert "sex/Girls/with_incident" in found
    assert "compliance/recorded_same_day/rest" in found


def test_published_lists_line_up_with_the_report(
    report: OversightReport, published: PublishedReport
) -> None:
    assert [c.key for c in published.compliance] == [c.key for c in report.compliance]
    for pt, rt in zip(published.patterns, report.patterns, strict=True):
        assert [r.label for r in pt.rows] == [r.label for r in rt.rows]
    assert [p.label for p in published.weekly] == [p.label for p in report.weekly]
    for pc, rc in zip(published.disproportionality, report.disproportionality, strict=True):
        assert [g.group_label for g in pc.groups] == [g.group_label for g in rc.groups]
    paths = hidden_cells(report)
    assert "group/sex/F/with_incident" in paths and "group/sex/M/with_incident" in paths
    assert "headline/incidents" not in paths


def test_ratios_shown_only_from_shown_counts(published: PublishedReport) -> None:
    fsm = next(c for c in published.disproportionality if c.key == "free_school_meals")
    meals, others = fsm.groups
    # Others: 1 with an incident, hidden; so the FSM group's 10 is hidden with it.
    assert others.with_incident.hidden and meals.with_incident.hidden
    assert meals.ratio == Shown("not shown", hidden=True) and not meals.flagged
    assert others.ratio.text == "These are the pupils the group above is compared with."


# ------------------------------------------------------------------ made-up schools


def _random_inputs(seed: int, pupils: int = 40, incidents: int = 25) -> ReportInputs:
    rng = random.Random(seed)
    start = date(2026, 9, 1)
    period = Period(start, date(2026, 12, 18), "Autumn term 2026")
    roll = tuple(
        PupilFacts(
            key=f"k{i}",
            days_on_roll=rng.choice([109, 109, 109, 60]),
            characteristics=Characteristics(
                ethnicity=(code := rng.choice(["WBRI", "WBRI", "BCRB", "AIND", "MWBC", ""])),
                ethnic_group={"W": "white", "B": "black", "A": "asian", "M": "mixed"}.get(
                    code[:1], ""
                ),
                sex=rng.choice("FM"),
                sen=rng.choice(["none", "none", "sen_support", "ehcp"]),
                looked_after=rng.random() < 0.1,
                free_school_meals=rng.random() < 0.3,
                eal=rng.random() < 0.2,
                year_group=rng.choice(["Year 3", "Year 4", "Year 5"]),
            ),
        )
        for i in range(pupils)
    )

    def incident(j: int, base: date) -> IncidentFacts:
        return IncidentFacts(
            reference=f"X{seed}-{j}",
            pupil_key=f"k{rng.randrange(pupils // 2)}",
            occurred_on=base + timedelta(days=rng.randrange(109)),
            start=rng.choice([None, time(rng.randrange(8, 16), rng.randrange(60))]),
            kind=rng.choice(["reasonable_force", "seclusion", "restraint_without_force"]),
            techniques=tuple(rng.sample(["Single elbow", "Guide"], rng.randrange(3))),
            location=rng.choice(["Classroom", "Hall", "Playground", "Corridor", ""]),
            recorded_same_day=rng.random() < 0.85,
            parents_told_same_day=rng.choice([True, True, False, None]),
            copy_supplied=rng.choice([True, None]),
            floor_positions=frozenset(rng.sample(["prone", "ground"], rng.randrange(2))),
            pupil_injured=rng.random() < 0.1,
        )

    return ReportInputs(
        period=period,
        pupils=roll,
        incidents=tuple(incident(j, start) for j in range(incidents)),
        last_year=tuple(incident(1000 + j, date(2025, 9, 1)) for j in range(incidents // 2)),
    )


@pytest.mark.parametrize("seed", range(12))
def test_made_up_schools_leak_nothing(seed: int) -> None:
    report = compute_report(_random_inputs(seed, incidents=8 + 4 * seed))
    pub = publish(report)
    _check_primary(report, pub)
    assert recovered(pub, report) == []


def _trust(parts: list[ReportInputs]) -> OversightReport:
    """A trust's roll-up as H6 builds it: keys prefixed by school, then the overall
    report with one report per school."""
    pupils: list[PupilFacts] = []
    incidents: list[IncidentFacts] = []
    last: list[IncidentFacts] = []
    for n, part in enumerate(parts):
        tag = f"S{n}"
        pupils += [replace(p, key=f"{tag}:{p.key}", school=tag) for p in part.pupils]
        for target, source in ((incidents, part.incidents), (last, part.last_year)):
            target += [
                replace(i, reference=f"{tag}:{i.reference}", pupil_key=f"{tag}:{i.pupil_key}")
                for i in source
            ]
    overall = compute_report(
        ReportInputs(parts[0].period, tuple(pupils), tuple(incidents), tuple(last))
    )
    return replace(overall, schools=tuple(compute_report(p) for p in parts))


def test_a_trust_cannot_be_subtracted_back_to_a_school() -> None:
    trust = _trust([_random_inputs(s, pupils=30, incidents=10 + s) for s in (101, 102, 103)])
    pub = publish(trust)
    assert len(pub.schools) == 3
    _check_primary(trust, pub)
    assert recovered(pub, trust) == []


def test_weeks_against_months() -> None:
    """February 2027 starts on a Monday and ends on a Sunday: its four weeks add up to
    the month exactly, so a small week cannot hide behind the month's total."""
    period = Period(date(2027, 2, 1), date(2027, 2, 28))
    pupils = tuple(PupilFacts(key=f"k{i}", days_on_roll=28) for i in range(20))
    days = [date(2027, 2, 2)] * 2 + [date(2027, 2, 9)] * 6 + [date(2027, 2, 16)] * 7
    days += [date(2027, 2, 23)] * 5
    incidents = tuple(
        IncidentFacts(reference=f"F{i}", pupil_key=f"k{i}", occurred_on=d)
        for i, d in enumerate(days)
    )
    report = compute_report(ReportInputs(period, pupils, incidents))
    pub = publish(report)
    weeks = [p.count.text for p in pub.weekly]
    assert weeks[0] == FEWER and sum(p.count.hidden for p in pub.weekly) >= 2
    assert recovered(pub, report) == []


def test_two_ones_and_their_total_do_not_give_each_other_away() -> None:
    """Two incidents, one on each of two days: a reader who knows "fewer than 5" is at
    least 1 would work out both from the total of 2 if nothing else were hidden."""
    period = Period(date(2026, 9, 7), date(2026, 9, 13))
    pupils = tuple(PupilFacts(key=f"k{i}", days_on_roll=7) for i in range(12))
    incidents = tuple(
        IncidentFacts(reference=f"T{i}", pupil_key=f"k{i}", occurred_on=date(2026, 9, 7 + i))
        for i in range(2)
    )
    report = compute_report(ReportInputs(period, pupils, incidents))
    pub = publish(report)
    assert pub.incidents == Shown(FEWER, hidden=True)
    assert recovered(pub, report) == []


def _one_technique_each(counts: dict[str, int]) -> OversightReport:
    period = Period(date(2026, 9, 7), date(2026, 9, 25))
    pupils = tuple(PupilFacts(key=f"k{i}", days_on_roll=19) for i in range(40))
    incidents: list[IncidentFacts] = []
    for name, n in counts.items():
        for _ in range(n):
            j = len(incidents)
            incidents.append(
                IncidentFacts(
                    reference=f"Q{j}",
                    pupil_key=f"k{j}",
                    occurred_on=date(2026, 9, 7 + j % 5),
                    techniques=(name,),
                )
            )
    return compute_report(ReportInputs(period, pupils, tuple(incidents)))


def test_limits_a_reader_knows_are_respected(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every incident has exactly one technique: 8 + 8 + 4 = 20. The technique table
    need not add up, but a reader knows every incident is in at least one row, so a
    hidden 4 is at least 20 - 8 - 8 = 4: it would be given away."""
    report = _one_technique_each({"Single elbow": 8, "Guide": 8, "Figure of four": 4})
    pub = publish(report)
    rows = {r.label: r.count for r in next(t for t in pub.patterns if t.key == "technique").rows}
    assert rows["Figure of four"] == Shown(FEWER, hidden=True)
    assert recovered(pub, report) == []
    # Without the limits the reader finds it: the test can fail.
    monkeypatch.setattr(suppression._Sheet, "at_least", lambda self, parts, whole: None)
    assert "technique/Figure of four/count" in recovered(publish(report), report)


def test_percentages_and_rates_round_halves_up() -> None:
    assert suppression.half_up(12.5, 0) == "13"
    assert suppression.half_up(66.65, 1) == "66.7"
    assert suppression.half_up(2 / 3 * 100, 0) == "67"
    assert suppression.half_up(0.04, 1) == "0.0"


def test_detailed_ethnicity_cannot_be_subtracted_from_its_major_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Black Caribbean 6 and Black African 2 make Black 8. The detailed table alone
    would hide the 2 and its smallest neighbour, Indian 5; with the major group shown,
    the 2 would then be 8 - 6."""
    period = Period(date(2026, 9, 7), date(2026, 9, 25))
    codes = ["BCRB"] * 12 + ["BAFR"] * 10 + ["WBRI"] * 20 + ["AIND"] * 10
    groups = {"B": "black", "W": "white", "A": "asian"}
    pupils = tuple(
        PupilFacts(
            key=f"k{i}",
            days_on_roll=19,
            characteristics=Characteristics(ethnicity=c, ethnic_group=groups[c[0]]),
        )
        for i, c in enumerate(codes)
    )
    # 6 BCRB, 2 BAFR, 10 WBRI, 5 AIND
    with_incident = [*range(0, 6), *range(12, 14), *range(22, 32), *range(42, 47)]
    incidents = tuple(
        IncidentFacts(reference=f"E{i}", pupil_key=f"k{i}", occurred_on=date(2026, 9, 8))
        for i in with_incident
    )
    report = compute_report(ReportInputs(period, pupils, incidents))
    pub = publish(report)
    detail = next(c for c in pub.disproportionality if c.key == "ethnicity")
    african = next(g for g in detail.groups if g.group_label == "Black - African")
    assert african.with_incident == Shown(FEWER, hidden=True)
    assert recovered(pub, report) == []
    monkeypatch.setattr(suppression, "_ethnic_groups_add_up", lambda *args: None)
    assert "ethnicity/Black - African/with_incident" in recovered(publish(report), report)


@pytest.mark.parametrize("seeds", [(201, 202), (203, 204, 205), (206, 207, 208, 209)])
def test_trusts_of_several_sizes_leak_nothing(seeds: tuple[int, ...]) -> None:
    trust = _trust([_random_inputs(s, pupils=25, incidents=6 + s % 7) for s in seeds])
    pub = publish(trust)
    _check_primary(trust, pub)
    assert recovered(pub, trust) == []


def test_schools_published_one_by_one_would_give_counts_away() -> None:
    """Why the trust is suppressed as a whole: published apart, the trust's figure less
    the other schools' gives a school's small count away."""
    trust = _trust([_random_inputs(s, pupils=30, incidents=10 + s) for s in (101, 102, 103)])
    apart = replace(
        publish(replace(trust, schools=())),
        schools=tuple(publish(s) for s in trust.schools),
    )
    assert recovered(apart, trust) != []
