"""The summary for parents and carers, and how the pupil is now: required on submit
(unless telling parents is withheld), and a warning when the summary names another
pupil on roll."""

from __future__ import annotations

import dataclasses
from datetime import datetime, time

import pytest

from incident_recorder.domain.model import IncidentDetails, NewPupil, ParentsStatus
from incident_recorder.domain.policy import Severity, can_submit, evaluate
from incident_recorder.domain.pupil_names import names_in_text, pupil_names
from incident_recorder.services.incidents import DirectoryService, IncidentService
from tests.fakes import INCIDENT_DAY, complete_details, new_school, sign_in_as
from tests.unit.test_policy import complete_record, context

OTHERS = frozenset(pupil_names("Tomasz", "", "Nowak") | pupil_names("Oluwaseun", "Seun", "Eze"))


def with_summary(text: str, status: ParentsStatus | None = None) -> IncidentDetails:
    d = complete_record()
    parents = dataclasses.replace(d.parents, summary_for_parents=text)
    if status is not None:
        parents = dataclasses.replace(parents, status=status)
    return dataclasses.replace(d, parents=parents)


def test_the_summary_for_parents_is_required_before_submit() -> None:
    findings = evaluate(with_summary("  "), context())
    [finding] = findings
    assert finding.field == "parents.summary_for_parents"
    assert finding.severity is Severity.BLOCKING
    assert "letter to parents" in finding.message and "other child" in finding.message
    assert not can_submit(findings)


def test_no_summary_is_needed_when_telling_parents_is_withheld() -> None:
    d = with_summary("")
    d = dataclasses.replace(
        d,
        parents=dataclasses.replace(
            d.parents,
            status=ParentsStatus.WITHHELD,
            withheld_reason="Open referral; social care advised not to tell parents.",
            withheld_decided_by="Ms R Okafor, safeguarding lead",
            la_told_at=datetime.combine(INCIDENT_DAY, time(12, 0)),
            la_told_who="Duty social worker",
        ),
    )
    assert "required:parents.summary_for_parents" not in {f.code for f in evaluate(d, context())}


def test_how_the_pupil_is_now_is_required() -> None:
    d = complete_record()
    d = dataclasses.replace(d, follow_up=dataclasses.replace(d.follow_up, how_child_is_now=""))
    [finding] = evaluate(d, context())
    assert finding.field == "follow_up.how_child_is_now"
    assert finding.message == "Say how the pupil is now."


def test_a_name_that_is_also_an_everyday_word_counts_only_when_capitalised() -> None:
    names = frozenset(pupil_names("Will", "", "Okafor") | pupil_names("Grace", "", "Lee"))
    assert names_in_text("We will talk with her and she apologised with grace.", names) == []
    assert names_in_text("Will and Grace were in the line.", names) == ["Will", "Grace"]
    assert names_in_text("She said will okafor pushed her.", names) == ["will okafor"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Amara pushed tomasz in the line.", ["tomasz"]),
        ("She was upset with Tomasz Nowak at lunch.", ["Tomasz Nowak"]),
        ("Seun and Oluwaseun were nearby.", ["Seun", "Oluwaseun"]),
        ("TOMASZ's coat was on the floor.", ["TOMASZ"]),
    ],
)
def test_the_summary_naming_another_pupil_raises_a_warning(text: str, named: list[str]) -> None:
    assert names_in_text(text, OTHERS) == named
    findings = evaluate(with_summary(text), context(other_pupil_names=OTHERS))
    [warning] = findings
    assert warning.code == "summary_names_other_pupil"
    assert warning.severity is Severity.WARNING
    assert warning.field == "parents.summary_for_parents"
    assert all(n in warning.message for n in named)
    assert "must not be named" in warning.message


@pytest.mark.parametrize(
    "text",
    [
        "Amara was upset with another pupil.",
        "Tomaszewski is not a pupil here.",  # whole words only
        "Nowak is the family's name.",  # a last name alone names the family
    ],
)
def test_no_warning_without_another_pupils_name(text: str) -> None:
    assert evaluate(with_summary(text), context(other_pupil_names=OTHERS)) == []


def test_the_warning_can_be_explained_and_then_submitted() -> None:
    d = with_summary("Amara sat with Tomasz afterwards.").with_explanation(
        "summary_names_other_pupil", "Tomasz is Amara's brother; the family know."
    )
    assert can_submit(evaluate(d, context(other_pupil_names=OTHERS)))


def test_the_service_passes_the_names_of_other_pupils_on_roll() -> None:
    school = new_school()
    directory = DirectoryService(school.admin)
    amara = directory.quick_add_pupil(NewPupil("Amara", "Okafor"))
    directory.quick_add_pupil(NewPupil("Tomasz", "Nowak"))
    directory.quick_add_pupil(NewPupil("Amara", "Shah"))  # the same first name as the pupil
    staff = sign_in_as(school, "j.adeyemi", full_name="Jo Adeyemi")
    assert staff.user.staff_id is not None
    service = IncidentService(staff)
    draft = service.new_draft()
    d = complete_details(amara.id, staff.user.staff_id, INCIDENT_DAY)
    d = dataclasses.replace(
        d,
        parents=dataclasses.replace(
            d.parents, summary_for_parents="Amara was cross when Tomasz took her pencil."
        ),
    )
    codes = {f.code for f in service.findings(d, draft)}
    assert "summary_names_other_pupil" in codes
    clean = dataclasses.replace(
        d, parents=dataclasses.replace(d.parents, summary_for_parents="Amara was cross.")
    )
    assert "summary_names_other_pupil" not in {f.code for f in service.findings(clean, draft)}
