"""The pupil import service on the in-memory fakes: roles, re-import, leavers, audit."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from incident_recorder.domain.errors import NotAllowed
from incident_recorder.domain.model import NewPupil, Role, SenStatus
from incident_recorder.domain.pupils import make_upn
from incident_recorder.services.pupil_import import ImportHasProblems, PupilImportService
from tests.fakes import new_school, sign_in_as

UPN = [make_upn(873, 2041, 2016, n) for n in range(1, 6)]
HEADER = "UPN,Legal Surname,Legal Forename,Year,SEN Status,Contact 1 Name,Contact 1 Relationship\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(f"{r}\n" for r in rows)).encode("utf-8")


FIRST = _csv(
    f"{UPN[0]},Okafor,Amara,4,K,Ngozi Okafor,Mother",
    f"{UPN[1]},Nowak,Tomasz,5,N,Piotr Nowak,Father",
    f"{UPN[2]},Griffiths,Siân,3,E,,",
)


def test_import_adds_pupils_with_their_contacts_and_audits_counts_only() -> None:
    school = new_school()
    preview = PupilImportService(school.admin).run(FIRST)
    assert (preview.new, preview.updated, preview.left) == (3, 0, 0)
    pupils = {p.upn: p for p in school.store.pupils.list()}
    assert pupils[UPN[0]].sen_status is SenStatus.SEN_SUPPORT
    assert [c.name for c in pupils[UPN[1]].contacts] == ["Piotr Nowak"]
    assert pupils[UPN[2]].contacts == ()
    entry = school.stores.data.audit[-1]  # type: ignore[union-attr]
    assert entry.action == "import_pupils"
    assert entry.detail == "pupil import: 3 new, 0 updated, 0 unchanged, 0 marked as left"
    assert "Okafor" not in entry.detail


def test_a_re_import_updates_by_upn_without_duplicating() -> None:
    school = new_school()
    service = PupilImportService(school.admin)
    service.run(FIRST)
    before = {p.upn: p for p in school.store.pupils.list()}
    changed = _csv(
        f"{UPN[0]},Okafor,Amara,5,K,Ngozi Okafor,Mother",  # moved up a year
        f"{UPN[1]},Nowak,Tomasz,5,N,Piotr Nowak,Father",
        f"{UPN[2]},Griffiths,Siân,3,E,,",
    )
    preview = service.preview(changed)
    assert (preview.new, preview.updated, preview.unchanged) == (0, 1, 2)
    service.run(changed)
    after = {p.upn: p for p in school.store.pupils.list()}
    assert len(after) == 3
    assert after[UPN[0]] == dataclasses.replace(before[UPN[0]], year_group="5")


def test_fields_the_file_does_not_have_are_kept() -> None:
    school = new_school()
    school.store.pupils.add(
        NewPupil("Amara", "Okafor", upn=UPN[0], ethnicity="BAFR", free_school_meals=True)
    )
    PupilImportService(school.admin).run(
        f"UPN,Surname,Forename,Year\n{UPN[0]},Okafor,Amara,6\n".encode()
    )
    (pupil,) = school.store.pupils.list()
    assert (pupil.year_group, pupil.ethnicity, pupil.free_school_meals) == ("6", "BAFR", True)


def test_a_full_import_marks_the_missing_as_left_and_never_deletes() -> None:
    school = new_school()
    service = PupilImportService(school.admin)
    service.run(FIRST)
    hand_added = school.store.pupils.add(NewPupil("Kwame", "Mensah"))  # no UPN
    only_two = _csv(f"{UPN[0]},Okafor,Amara,4,K,,", f"{UPN[2]},Griffiths,Siân,3,E,,")
    partial = service.preview(only_two)
    assert partial.left == 0  # without --full nobody leaves
    done = service.run(only_two, full=True)
    assert done.left == 1
    pupils = {p.upn: p for p in school.store.pupils.list()}
    assert len(pupils) == 4
    today = school.admin.local_now().date()
    assert pupils[UPN[1]].left_on == today
    assert pupils[UPN[0]].left_on is None and pupils[UPN[0]].contacts == ()
    assert school.store.pupils.get(hand_added.id).left_on is None
    # Back in the next file: back on roll.
    service.run(FIRST, full=True)
    assert school.store.pupils.get(pupils[UPN[1]].id).left_on is None


def test_problems_refuse_the_whole_file() -> None:
    school = new_school()
    bad = _csv(f"{UPN[0]},Okafor,Amara,4,K,,", f"{UPN[1]},Nowak,Tomasz,5,Z,,")
    preview = PupilImportService(school.admin).preview(bad)
    assert not preview.can_import
    assert [p.message for p in preview.problems] == [
        "Row 3: 'Z' is not an SEN status the import knows (N for none, K for SEN support, "
        "E for an EHC plan).",
    ]
    with pytest.raises(ImportHasProblems) as refused:
        PupilImportService(school.admin).run(bad)
    assert "nothing was imported" in str(refused.value)
    assert school.store.pupils.list() == []
    assert "import_pupils" not in school.actions()


def test_one_transaction_a_failure_half_way_writes_nothing() -> None:
    school = new_school()
    school.store.pupils.add(NewPupil("Tomasz", "Nowak", upn=UPN[1]))
    store = school.store
    real_update = store.pupils.update
    calls = 0

    def failing_update(pupil):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        raise OSError("disk full")

    store.pupils.update = failing_update  # type: ignore[method-assign]
    with pytest.raises(OSError):
        PupilImportService(school.admin).run(FIRST)
    store.pupils.update = real_update  # type: ignore[method-assign]
    assert calls == 1
    assert [p.upn for p in store.pupils.list()] == [UPN[1]]  # the two adds were undone
    assert "import_pupils" not in school.actions()


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        (frozenset({Role.SENCO}), True),
        (frozenset({Role.STAFF}), False),
        (frozenset({Role.SAFEGUARDING_LEAD}), False),
    ],
)
def test_only_administrators_and_sencos_may_import(roles: frozenset[Role], allowed: bool) -> None:
    school = new_school()
    session = sign_in_as(school, "t.user", roles)
    if allowed:
        assert PupilImportService(session).run(FIRST).new == 3
    else:
        with pytest.raises(NotAllowed, match="import pupils"):
            PupilImportService(session).preview(FIRST)


def test_left_on_is_today_in_the_schools_time() -> None:
    school = new_school()
    service = PupilImportService(school.admin)
    service.run(FIRST)
    school.clock.set(school.clock.now().replace(year=2026, month=7, day=22, hour=12))
    service.run(_csv(f"{UPN[0]},Okafor,Amara,4,K,,"), full=True)
    left = [p.left_on for p in school.store.pupils.list() if p.left_on]
    assert left == [date(2026, 7, 22), date(2026, 7, 22)]
