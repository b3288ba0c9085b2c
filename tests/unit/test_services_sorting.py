"""IncidentService.search passes the list's order to the store for drafts too (they
were listed newest saved first whatever was asked), and a draft stays its author's
alone whatever the reader's roles. Everyone here is fictional."""

from __future__ import annotations

from incident_recorder.domain.model import (
    IncidentDetails,
    IncidentQuery,
    IncidentSort,
    IncidentStatus,
    NewPupil,
    Role,
    Who,
)
from incident_recorder.services.incidents import DirectoryService, IncidentService
from tests.fakes import new_school, sign_in_as


def test_drafts_are_sorted_as_asked_and_only_the_authors() -> None:
    school = new_school()
    directory = DirectoryService(school.admin)
    okafor = directory.quick_add_pupil(NewPupil("Amara", "Okafor"))
    nowak = directory.quick_add_pupil(NewPupil("Tomasz", "Nowak"))
    senco = IncidentService(sign_in_as(school, "p.shah", frozenset({Role.SENCO}), "Priya Shah"))
    colleague = IncidentService(sign_in_as(school, "j.adeyemi", full_name="Jo Adeyemi"))
    first = senco.new_draft(IncidentDetails(who=Who(okafor.id)))
    school.clock.advance(minutes=5)
    second = senco.new_draft(IncidentDetails(who=Who(nowak.id)))
    colleague.new_draft(IncidentDetails(who=Who(okafor.id)))  # not the SENCO's to see

    drafts = IncidentQuery(status=IncidentStatus.DRAFT)

    def ids(query: IncidentQuery) -> list[int]:
        return [row.id for row in senco.search(query).rows]

    newest_saved = IncidentQuery(status=IncidentStatus.DRAFT, sort=IncidentSort.SAVED)
    assert ids(newest_saved) == [second.id, first.id]
    by_pupil = IncidentQuery(status=IncidentStatus.DRAFT, sort=IncidentSort.PUPIL)
    assert ids(by_pupil) == [first.id, second.id]  # Z to A: Okafor, then Nowak
    assert senco.search(drafts).total == 2
    assert ids(IncidentQuery(status=IncidentStatus.DRAFT, limit=1, offset=1)) == [first.id]
