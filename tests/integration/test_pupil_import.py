"""The MIS pupil import on a real encrypted database: both sample layouts, re-import,
leavers, and one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from incident_recorder.domain.model import SenStatus
from incident_recorder.services.pupil_import import PupilImportService
from incident_recorder.services.session import Session
from incident_recorder.store.database import SqlStore
from tests.fakes import FakeClock
from tests.integration.conftest import School

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "mis"
SIMS = (SAMPLES / "sims-style.csv").read_bytes()
ARBOR = (SAMPLES / "arbor-style.csv").read_bytes()


@pytest.fixture
def senco(school: School) -> Session:
    return Session(user=school.senco, store=school.store, clock=FakeClock())


def _on_roll(store: SqlStore) -> set[str]:
    return {p.upn for p in store.pupils.list() if p.upn and p.left_on is None}


def test_both_sample_layouts_import_with_every_detail(senco: Session, school: School) -> None:
    service = PupilImportService(senco)
    assert service.run(SIMS).new == 30
    assert service.run(ARBOR).new == 30
    store = school.store
    assert len(store.pupils.list()) == 63  # and the school's three, untouched
    (tomasz,) = [p for p in store.pupils.search("nowak tomasz") if p.upn.startswith("M873")]
    assert (tomasz.sen_status, tomasz.primary_need, tomasz.class_name) == (
        SenStatus.SEN_SUPPORT,
        "SEMH",
        "2O",
    )
    assert tomasz.contacts[0].name == "Nia Nowak" and tomasz.contacts[0].receives_correspondence
    (sian,) = store.pupils.search("K204331019100")  # the Arbor file's first row
    assert (sian.ethnicity, sian.year_group, sian.sex) == ("MWBC", "Year 1", "F")


def test_re_import_and_full_import_on_the_real_store(senco: Session, school: School) -> None:
    service = PupilImportService(senco)
    service.run(SIMS)
    ids = {p.upn: p.id for p in school.store.pupils.list()}
    again = service.preview(SIMS)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 30)
    lines = SIMS.decode("utf-8-sig").splitlines(keepends=True)
    fewer = "".join(lines[:-2]).encode("utf-8")  # the last two pupils have left
    done = service.run(fewer, full=True)
    # The last two rows, and the school's own pupil with a UPN whom the MIS file does not
    # list; the school's pupils without a UPN cannot be matched, so they stay.
    assert done.left == 3
    pupils = school.store.pupils.list()
    assert {p.upn: p.id for p in pupils if p.upn in ids} == ids  # nobody duplicated or lost
    assert len(pupils) == 33
    assert len(_on_roll(school.store)) == 28
    assert sum(1 for p in pupils if p.left_on is None) == 28 + 2
    assert school.store.audit.verify() == []
    assert school.store.audit.head().action == "import_pupils"  # type: ignore[union-attr]


def test_a_failure_half_way_writes_nothing(
    senco: Session, school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = school.store
    before = store.pupils.list()
    head = store.audit.head()
    added = 0
    real_add = store.pupils.add

    def add_then_fail(pupil):  # type: ignore[no-untyped-def]
        nonlocal added
        added += 1
        if added == 20:
            raise RuntimeError("the disk filled up")
        return real_add(pupil)

    monkeypatch.setattr(store.pupils, "add", add_then_fail)
    with pytest.raises(RuntimeError):
        PupilImportService(senco).run(SIMS)
    monkeypatch.undo()
    assert store.pupils.list() == before
    assert store.audit.head() == head
    assert store.connection.scalar("SELECT count(*) FROM pupil_contacts") == 0
