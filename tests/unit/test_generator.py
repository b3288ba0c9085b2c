"""The seeded fictional school: deterministic, realistic, and within the policy."""

from __future__ import annotations

import time as timer
from collections import Counter
from datetime import date, datetime, time

import pytest

from incident_recorder.domain import policy
from incident_recorder.domain.generator import (
    GeneratedIncident,
    GeneratedSchool,
    generate_school,
    school_days,
    username_for,
    with_ids,
)
from incident_recorder.domain.model import IncidentDetails, ParentsStatus, Role, SenStatus
from incident_recorder.domain.pupils import upn_problem
from incident_recorder.services.accounts import USERNAME_PATTERN

START, END = date(2024, 9, 1), date(2026, 3, 9)


@pytest.fixture(scope="module")
def school() -> GeneratedSchool:
    return generate_school(2026, 300, 200, START, END)


def _versions(record: GeneratedIncident) -> list[tuple[IncidentDetails, datetime]]:
    assert record.submitted_at is not None
    return [(record.details, record.submitted_at)] + [(a.details, a.at) for a in record.amendments]


def test_the_same_seed_gives_the_same_school() -> None:
    first = generate_school(7, 120, 80, START, END)
    again = generate_school(7, 120, 80, START, END)
    other = generate_school(8, 120, 80, START, END)
    assert first == again
    assert first.pupils != other.pupils
    assert first.incidents != other.incidents


def test_sizes_are_as_asked(school: GeneratedSchool) -> None:
    assert len(school.pupils) == 300
    assert len(school.incidents) == 200
    assert 10 <= len(school.staff) <= 60
    assert len(school.users) <= len(school.staff)


def test_every_submitted_version_passes_the_policy_when_it_was_saved(
    school: GeneratedSchool,
) -> None:
    checked = 0
    for record in school.incidents:
        if record.is_draft:
            continue
        assert record.submitted_at is not None
        for details, saved_at in _versions(record):
            ctx = policy.PolicyContext(now_local=saved_at, recorded_on=record.submitted_at.date())
            left = policy.outstanding(policy.evaluate(details, ctx))
            assert left == [], (record.submitted_at, [f.code for f in left])
            checked += 1
    assert checked > 190


def test_warnings_fire_and_carry_written_explanations(school: GeneratedSchool) -> None:
    """The demo shows every kind of warning, each explained in words."""
    seen: Counter[str] = Counter()
    for record in school.incidents:
        if record.is_draft or record.submitted_at is None:
            continue
        ctx = policy.PolicyContext(record.submitted_at, record.submitted_at.date())
        for finding in policy.evaluate(record.details, ctx):
            if finding.severity is policy.Severity.WARNING:
                seen[finding.code] += 1
                if finding.explanation_field is None:
                    assert len(record.details.explanation(finding.code)) > 30
    assert {"late_recording", "injury", "floor_position", "no_deescalation"} <= set(seen)


def test_records_are_varied_like_a_real_school(school: GeneratedSchool) -> None:
    submitted = [r for r in school.incidents if not r.is_draft]
    drafts = [r for r in school.incidents if r.is_draft]
    statuses = Counter(r.details.parents.status for r in submitted)
    events = Counter(r.event for r in school.incidents)
    assert drafts and any(r.author == 0 for r in drafts)  # the demo account has a draft
    assert sum(1 for r in submitted if r.amendments) >= 10
    assert all(a.reason for r in submitted for a in r.amendments)
    assert any(n >= 2 for n in events.values())  # several pupils held in one event
    assert set(statuses) == {ParentsStatus.TOLD, ParentsStatus.NOT_YET, ParentsStatus.WITHHELD}
    assert sum(r.details.injuries.any_injury for r in submitted) >= 10
    late = [r for r in submitted if r.submitted_at and r.details.explanation("late_recording")]
    for r in late:
        assert r.submitted_at is not None and r.details.when_where.date is not None
        assert r.submitted_at.date() > r.details.when_where.date
    assert len(late) >= 5
    accounts = [r.details.what_happened.account for r in submitted]
    assert len(set(accounts)) > 150
    assert all(len(a) > 120 for a in accounts)


def test_a_few_pupils_account_for_most_incidents(school: GeneratedSchool) -> None:
    per_pupil = Counter(r.details.who.pupil_id for r in school.incidents)
    assert len(per_pupil) < 60
    top_five = sum(n for _, n in per_pupil.most_common(5))
    assert top_five > 40
    involved = {p for p in per_pupil if p is not None}
    with_sen = [i for i in involved if school.pupils[i].sen_status is not SenStatus.NONE]
    assert len(with_sen) > len(involved) / 2


def test_times_fall_in_school_hours_on_school_days(school: GeneratedSchool) -> None:
    open_days = set(school_days(START, END))
    for record in school.incidents:
        when = record.details.when_where
        assert when.date in open_days
        assert when.start is not None and time(8, 30) <= when.start <= time(15, 30)
        if record.submitted_at is not None:
            assert record.created_at <= record.submitted_at
            assert record.submitted_at.date() <= END
            assert when.date is not None and when.date <= record.submitted_at.date()
            ordered = [record.submitted_at, *(a.at for a in record.amendments)]
            assert ordered == sorted(ordered)


def test_school_days_skip_weekends_and_holidays() -> None:
    days = school_days(date(2025, 12, 15), date(2026, 1, 9))
    assert date(2025, 12, 19) in days  # last day of the autumn term
    assert date(2025, 12, 20) not in days and date(2025, 12, 25) not in days
    assert date(2026, 1, 1) not in days
    assert date(2026, 1, 5) in days
    assert all(d.weekday() < 5 for d in days)
    assert not [d for d in school_days(date(2025, 8, 1), date(2025, 8, 31))]  # summer


def test_pupils_have_valid_unique_upns_and_diverse_names(school: GeneratedSchool) -> None:
    upns = [p.upn for p in school.pupils]
    assert all(upn_problem(u) is None for u in upns)
    assert len(set(upns)) == len(upns)
    names = {p.first_name for p in school.pupils} | {p.last_name for p in school.pupils}
    assert any(not n.isascii() for n in names)  # e.g. Zoë, Siân, Łukasz, Nguyễn
    assert len({p.year_group for p in school.pupils}) == 7
    assert any(p.looked_after for p in school.pupils)
    assert any(p.sen_status is SenStatus.EHCP for p in school.pupils)


def test_accounts_have_roles_and_usernames_people_can_type(school: GeneratedSchool) -> None:
    users = school.users
    assert users[0].roles == {Role.ADMINISTRATOR, Role.SAFEGUARDING_LEAD}
    assert users[1].roles == {Role.SENCO}
    assert all(USERNAME_PATTERN.match(u.username) for u in users)
    assert len({u.username for u in users}) == len(users)
    assert username_for("Łukasz Wiśniewska") == "l.wisniewska"
    assert username_for("Róisín Ó Súilleabháin") == "r.osuilleabhain"
    assert username_for("Seán O'Brien") == "s.obrien"


def test_with_ids_swaps_indexes_for_database_ids(school: GeneratedSchool) -> None:
    record = school.incidents[0]
    pupil_ids = [1000 + i for i in range(len(school.pupils))]
    staff_ids = [500 + i for i in range(len(school.staff))]
    mapped = with_ids(record.details, pupil_ids, staff_ids)
    assert record.details.who.pupil_id is not None
    assert mapped.who.pupil_id == 1000 + record.details.who.pupil_id
    assert [s.staff_id for s in mapped.who.staff] == [
        500 + s.staff_id for s in record.details.who.staff
    ]
    assert mapped.what_happened == record.details.what_happened


def test_it_scales_linearly_for_the_benchmark() -> None:
    """20,000 pupils are quick, and every UPN stays unique."""
    began = timer.perf_counter()
    big = generate_school(3, 20_000, 2_000, date(2016, 9, 1), END)
    assert timer.perf_counter() - began < 5
    assert len({p.upn for p in big.pupils}) == 20_000
    assert len(big.incidents) == 2_000


def test_generated_injuries_are_marked_on_the_body_map(school: GeneratedSchool) -> None:
    from incident_recorder.domain.body_map import mark_problems, marks_words

    hurt = [r.details.injuries for r in school.incidents if r.details.injuries.pupil_injured]
    assert hurt and all(j.pupil_marks for j in hurt)
    assert all(mark_problems(j.pupil_marks) == [] for j in hurt)
    words = {marks_words(j.pupil_marks) for j in hurt}
    assert len(words) > 1 and words <= {
        "a red mark to the left wrist",
        "a graze to the right knee",
        "an injury to the right forearm (scratches)",
        "an injury to the back of the right elbow (bump, no swelling)",
    }
    assert all(
        not j.pupil_marks and not j.staff_marks
        for r in school.incidents
        if not (j := r.details.injuries).pupil_injured and not j.staff_injured
    )
