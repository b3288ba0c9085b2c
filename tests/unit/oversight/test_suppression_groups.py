"""A small group's incidents are its few pupils' own: where 1 to 4 pupils of a group
had an incident, paper hides how many incidents the group had, and nothing else on the
page gives the number back."""

from __future__ import annotations

from datetime import date, timedelta

from incident_recorder.domain.oversight.compute import compute_report
from incident_recorder.domain.oversight.facts import (
    Characteristics,
    IncidentFacts,
    Period,
    PupilFacts,
    ReportInputs,
)
from incident_recorder.domain.oversight.suppression import publish
from tests.unit.oversight.attacker import recovered

PERIOD = Period(date(2026, 9, 2), date(2026, 12, 18), "Autumn term 2026")


def _inputs() -> ReportInputs:
    """40 fictional pupils: 12 with an EHCP, of whom one was held 23 times; 10 others
    held once each."""
    pupils = tuple(
        PupilFacts(
            key=f"p{i}",
            days_on_roll=PERIOD.days,
            characteristics=Characteristics(sen="ehcp" if i < 12 else "none", year_group="Year 4"),
        )
        for i in range(40)
    )
    holds = ["p0"] * 23 + [f"p{i}" for i in range(20, 30)]
    incidents = tuple(
        IncidentFacts(f"R{j}", key, PERIOD.start + timedelta(days=j % 100))
        for j, key in enumerate(holds)
    )
    return ReportInputs(PERIOD, pupils, incidents)


def test_the_incidents_of_one_pupil_in_a_small_group_are_not_printed() -> None:
    report = compute_report(_inputs())
    sen = next(t for t in report.disproportionality if t.key == "sen")
    ehcp = next(g for g in sen.groups if g.group == "ehcp")
    assert (ehcp.with_incident, ehcp.incidents) == (1, 23)  # the true figures
    paper = next(t for t in publish(report).disproportionality if t.key == "sen")
    shown = paper.groups[[g.group for g in sen.groups].index("ehcp")]
    assert shown.with_incident.text == "fewer than 5"
    assert shown.incidents.hidden and "23" not in shown.incidents.text
    assert shown.incidents_per_100.hidden
    # Not given back by the other group and the total either.
    assert recovered(publish(report), report) == []
    others = paper.groups[[g.group for g in sen.groups].index("none")]
    published = publish(report)
    assert others.incidents.hidden or published.incidents.hidden
