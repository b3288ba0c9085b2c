"""The demo shows the written record supplied to parents (issue 13) on the real
encrypted store: some records supplied (posted with the letter, or handed over), some
not yet, one amended record with only its first version supplied; the parents' duties
list says "record not supplied"; the printed record (read back with pdftotext) gives
the same-day and "as soon as practicable" findings and each copy supplied. Everyone
here is fictional."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from incident_recorder.domain.model import IncidentQuery, ParentsStatus
from incident_recorder.domain.parents_copy import CopyHow, Duty, DutyState
from incident_recorder.infra.letter_resources import demo_logo
from incident_recorder.infra.picklists import load_pick_lists
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.demo import DEMO_PASSPHRASE, DEMO_USERNAME, open_or_create_demo
from incident_recorder.services.parents import ParentsService
from incident_recorder.services.record_document import RecordDocumentService
from incident_recorder.services.session import Session
from incident_recorder.store import FileKeyVault, SqlStoreFactory
from tests.fakes import RENDERER, FakeClock
from tests.integration.conftest import CHEAP_KDF

SHOTS = os.environ.get("SUPPLIED_SHOTS")


# The demo made in the autumn term: its newest records are from after 1 April 2026, when
# the written record became due to parents.
AUTUMN = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    folder = tmp_path_factory.mktemp("supplied-demo")
    vault, stores = FileKeyVault(folder, CHEAP_KDF), SqlStoreFactory(folder)
    open_or_create_demo(
        vault, stores, FakeClock(AUTUMN), load_pick_lists(), pupils=60, incidents=25,
        logo_png=demo_logo(),
    )  # fmt: skip
    accounts = AccountService(vault, stores, FakeClock(AUTUMN))
    session = accounts.sign_in(DEMO_USERNAME, DEMO_PASSPHRASE)
    yield session
    session.close()


def _pdftotext(data: bytes, folder: Path, shot: str = "") -> str:
    path = folder / "record.pdf"
    path.write_bytes(data)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    if SHOTS and shot:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(path), str(Path(SHOTS) / shot)], check=True
        )
    return done.stdout


def test_the_demo_has_records_supplied_and_not(demo: Session) -> None:
    store = demo.store
    rows = store.incidents.search(IncidentQuery(limit=1000)).rows
    submitted = [store.incidents.get(r.id) for r in rows if r.reference]
    submitted = [r for r in submitted if r.details.parents.status is not ParentsStatus.WITHHELD]
    supplied = {r.id: store.parents_copies.for_incident(r.id) for r in submitted}
    with_copy = [i for i, s in supplied.items() if s]
    without = [i for i, s in supplied.items() if not s]
    assert len(with_copy) >= 5 and len(without) >= 3
    hows = {s.how for copies in supplied.values() for s in copies}
    assert CopyHow.POSTED in hows
    listed = {r.incident_id: r for r in ParentsService(demo).to_tell()}
    assert any("record not supplied" in r.missing.lower() for r in listed.values())
    amended = [r for r in submitted if r.version > 1 and supplied[r.id]]
    if amended:
        [older] = [r for r in amended if max(s.version for s in supplied[r.id]) < r.version]
        assert listed[older.id].newer_copy_due
        copy = next(d for d in ParentsService(demo).view(older.id).duties if d.duty is Duty.COPY)
        assert copy.state is DutyState.DUE and "version 2 is newer" in copy.text


def test_the_printed_record_gives_the_findings_and_each_copy(demo: Session, tmp_path: Path) -> None:
    store = demo.store
    rows = store.incidents.search(IncidentQuery(limit=1000)).rows
    record = next(
        store.incidents.get(r.id)
        for r in rows
        if r.reference and store.parents_copies.for_incident(r.id)
    )
    pdf = RecordDocumentService(demo, RENDERER).render(record.id, for_parents=False)
    text = " ".join(_pdftotext(pdf.data, tmp_path, "13-supplied-record").split())
    assert "Duties to the parents: told, the letter, the written record" in text
    assert "Parents told:" in text and "Letter sent: Done" in text
    assert "Written record supplied:" in text
    assert "The written record was" in text and "to the parents on" in text
    assert f"Copy of version {store.parents_copies.for_incident(record.id)[0].version}" in text
    parents_copy = RecordDocumentService(demo, RENDERER).render(record.id, for_parents=True)
    text = " ".join(_pdftotext(parents_copy.data, tmp_path, "13-supplied-parents-copy").split())
    assert "Written record supplied:" in text


def test_for_a_pupil_aged_20_or_over_the_printed_record_says_not_required_by_law(
    demo: Session, tmp_path: Path
) -> None:
    import dataclasses
    from datetime import date

    store = demo.store
    rows = store.incidents.search(IncidentQuery(limit=1000)).rows
    record = next(
        store.incidents.get(r.id)
        for r in rows
        if r.reference
        and store.incidents.get(r.id).details.parents.status is not ParentsStatus.WITHHELD
    )
    day = record.details.when_where.date
    assert day is not None and record.details.who.pupil_id is not None
    pupil = store.pupils.get(record.details.who.pupil_id)
    store.pupils.update(dataclasses.replace(pupil, date_of_birth=date(day.year - 21, day.month, 1)))
    try:
        pdf = RecordDocumentService(demo, RENDERER).render(record.id, for_parents=False)
        text = " ".join(_pdftotext(pdf.data, tmp_path, "13-supplied-record-aged-20").split())
        assert "Written record supplied: Not required by law" in text
        assert "section 93A of the Education and Inspections Act 2006" in text
        assert record.id not in {r.incident_id for r in ParentsService(demo).to_tell()}
    finally:
        store.pupils.update(pupil)
