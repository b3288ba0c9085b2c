"""PlanService on in-memory fakes: who may read and write plans, versions, the audit
entries, and how the incident service uses the plan in force."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from incident_recorder.domain.errors import CannotSubmit, InvalidInput, NotAllowed, NotFound
from incident_recorder.domain.model import HoldUse, IncidentDetails, NewPupil, Role, SenStatus
from incident_recorder.domain.plans import BehaviourPlan
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.plans import PlanService
from incident_recorder.services.session import Session
from tests.fakes import INCIDENT_DAY, RENDERER, FakeSchool, complete_details, new_school, sign_in_as


@pytest.fixture
def school() -> FakeSchool:
    return new_school()


@pytest.fixture
def amara(school: FakeSchool) -> int:
    return DirectoryService(school.admin).quick_add_pupil(NewPupil("Amara", "Okafor")).id


@pytest.fixture
def senco(school: FakeSchool) -> Session:
    return sign_in_as(school, "p.shah", frozenset({Role.SENCO, Role.STAFF}), "Priya Shah")


@pytest.fixture
def staff(school: FakeSchool) -> Session:
    return sign_in_as(school, "j.adeyemi", full_name="Jo Adeyemi")


def a_plan(pupil_id: int, **changes: object) -> BehaviourPlan:
    plan = BehaviourPlan(
        pupil_id=pupil_id,
        triggers="Sudden loud noises",
        helpful_strategies=("Offered choices",),
        approved_techniques=("Friendly hold (standing)", "Single elbow"),
        medical_notes="Asthma",
        ruled_out_techniques=("Wrap (standing)",),
        written_by="Priya Shah",
        start_date=date(2026, 1, 5),
        review_date=date(2026, 7, 5),
    )
    return dataclasses.replace(plan, **changes)  # type: ignore[arg-type]


def actions(school: FakeSchool) -> list[tuple[str, str]]:
    data = school.stores.data
    assert data is not None
    return [(e.action, e.detail) for e in data.audit]


def test_a_senco_saves_new_versions_and_the_earlier_ones_are_kept(
    school: FakeSchool, senco: Session, amara: int
) -> None:
    plans = PlanService(senco, RENDERER)
    first = plans.save(a_plan(amara))
    second = plans.save(a_plan(amara, triggers="Changes to routine", start_date=date(2026, 3, 1)))
    assert (first.version, second.version) == (1, 2)
    assert second.saved_by_name == "Priya Shah"
    assert [p.version for p in plans.versions(amara)] == [2, 1]
    assert plans.versions(amara)[1].triggers == "Sudden loud noises"
    assert plans.current(amara).version == 2  # type: ignore[union-attr]
    assert plans.current(amara, on=date(2026, 2, 1)).version == 1  # type: ignore[union-attr]
    assert plans.current(amara, on=date(2025, 12, 1)) is None
    assert ("plan_saved", f"pupil {amara} plan version 2") in actions(school)


def test_audit_entries_hold_ids_only(school: FakeSchool, senco: Session, amara: int) -> None:
    PlanService(senco, RENDERER).save(a_plan(amara))
    PlanService(senco, RENDERER).versions(amara)
    details = " ".join(d for a, d in actions(school) if a.startswith("plan"))
    assert "Okafor" not in details and "Asthma" not in details and "noises" not in details


def test_an_administrator_may_write_plans(school: FakeSchool, amara: int) -> None:
    assert PlanService(school.admin, RENDERER).save(a_plan(amara)).version == 1


@pytest.mark.parametrize(
    ("roles", "may_read", "may_write"),
    [
        pytest.param(frozenset({Role.STAFF}), True, False, id="staff"),
        pytest.param(frozenset({Role.SAFEGUARDING_LEAD}), True, False, id="safeguarding lead"),
        pytest.param(frozenset({Role.SENCO}), True, True, id="SENCO"),
    ],
)
def test_who_may_read_and_write_plans(
    school: FakeSchool,
    senco: Session,
    amara: int,
    roles: frozenset[Role],
    may_read: bool,
    may_write: bool,
) -> None:
    PlanService(senco, RENDERER).save(a_plan(amara))
    plans = PlanService(sign_in_as(school, "k.user", roles, "Kit User"), RENDERER)
    assert (plans.may_read, plans.may_write) == (may_read, may_write)
    assert plans.current(amara) is not None
    if not may_write:
        with pytest.raises(NotAllowed, match="SENCO or an administrator"):
            plans.save(a_plan(amara))
        assert [p.version for p in plans.versions(amara)] == [1]


def test_a_plan_with_problems_is_refused_in_plain_words(senco: Session, amara: int) -> None:
    with pytest.raises(InvalidInput, match="review date must be after"):
        PlanService(senco, RENDERER).save(a_plan(amara, review_date=date(2026, 1, 1)))
    with pytest.raises(NotFound):
        PlanService(senco, RENDERER).save(a_plan(999))
    assert PlanService(senco, RENDERER).versions(amara) == []


# --------------------------------------------------------------------------- the incident


def ehcp(school: FakeSchool, pupil_id: int) -> None:
    data = school.stores.data
    assert data is not None
    data.pupils[pupil_id] = dataclasses.replace(data.pupils[pupil_id], sen_status=SenStatus.EHCP)


def record(session: Session, pupil_id: int, *techniques: str) -> IncidentDetails:
    assert session.user.staff_id is not None
    d = complete_details(pupil_id, session.user.staff_id, INCIDENT_DAY)
    holds = tuple(HoldUse(t, 2 * 60) for t in techniques)
    return dataclasses.replace(d, intervention=dataclasses.replace(d.intervention, holds=holds))


def test_the_no_plan_warning_goes_once_a_plan_is_in_force(
    school: FakeSchool, senco: Session, staff: Session, amara: int
) -> None:
    ehcp(school, amara)
    service = IncidentService(staff)
    details = record(staff, amara, "Single elbow")
    assert [f.code for f in service.findings(details)] == ["no_plan"]
    PlanService(senco, RENDERER).save(a_plan(amara))
    assert service.findings(details) == []
    later = a_plan(amara, start_date=INCIDENT_DAY + timedelta(days=1))
    PlanService(senco, RENDERER).save(
        later
    )  # version 2 starts after the incident: version 1 applies
    assert service.plan_in_force(details).version == 1  # type: ignore[union-attr]


def test_a_technique_not_in_the_plan_needs_an_explanation_before_submit(
    senco: Session, staff: Session, amara: int
) -> None:
    PlanService(senco, RENDERER).save(a_plan(amara))
    service = IncidentService(staff)
    details = record(staff, amara, "Figure of four", "Wrap (standing)")
    assert {f.code for f in service.findings(details)} == {
        "technique_not_in_plan",
        "technique_ruled_out",
    }
    draft = service.new_draft(details)
    with pytest.raises(CannotSubmit):
        service.submit(draft.id, details)
    explained = details.with_explanation("technique_not_in_plan", "The pupil ran at the road.")
    explained = explained.with_explanation("technique_ruled_out", "No other hold was possible.")
    done = service.submit(draft.id, explained)
    assert done.reference is not None


def test_one_submit_or_amend_reads_the_pupil_the_plan_and_the_settings_once(
    senco: Session, staff: Session, amara: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    PlanService(senco, RENDERER).save(a_plan(amara))
    service = IncidentService(staff)
    details = record(staff, amara, "Single elbow")
    details = dataclasses.replace(
        details,
        parents=dataclasses.replace(
            details.parents, summary_for_parents="Amara was held briefly to keep her safe."
        ),
    )
    draft = service.new_draft(details)
    store = staff.store
    reads: Counter[str] = Counter()
    for repository, method in (("pupils", "get"), ("plans", "in_force"), ("settings", "get")):
        real = getattr(getattr(store, repository), method)

        def counted(*args: Any, _name: str = f"{repository}.{method}", _real: Any = real) -> Any:
            reads[_name] += 1
            return _real(*args)

        monkeypatch.setattr(getattr(store, repository), method, counted)
    done = service.submit(draft.id, details)
    assert done.details.who.plan_version == 1
    assert reads == {"pupils.get": 1, "plans.in_force": 1, "settings.get": 1}  # each was 2
    reads.clear()
    amended = dataclasses.replace(
        details, what_happened=dataclasses.replace(details.what_happened, account="Corrected.")
    )
    again = service.amend(done.id, amended, "Corrected the account")
    assert again.details.who.plan_version == 1
    assert reads["pupils.get"] == 1 and reads["plans.in_force"] == 1


def test_the_record_stores_the_plan_version_in_force(
    senco: Session, staff: Session, amara: int
) -> None:
    service = IncidentService(staff)
    no_plan = service.submit(service.new_draft().id, record(staff, amara, "Single elbow"))
    assert no_plan.details.who.plan_version is None
    PlanService(senco, RENDERER).save(a_plan(amara))
    PlanService(senco, RENDERER).save(a_plan(amara, triggers="Changes to routine"))
    details = record(staff, amara, "Single elbow")
    done = service.submit(service.new_draft().id, details)
    assert done.details.who.plan_version == 2
    assert service.versions(done.id)[0].details.who.plan_version == 2
    # An amendment keeps recording the plan in force on the incident's date.
    amended = dataclasses.replace(
        details, what_happened=dataclasses.replace(details.what_happened, account="Corrected.")
    )
    again = service.amend(done.id, amended, "Corrected the account")
    assert again.details.who.plan_version == 2
