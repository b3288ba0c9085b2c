"""The disk fills during a save: a plain DiskFull within a second (never SQLite's raw
OperationalError), nothing saved before is changed, and the same save goes through once
space is freed, on the same open session; nothing is left beside the database (no stub
-shm). On a real tiny filesystem where the machine allows mounting one, and everywhere
through SQLite's own limit on the database's size (``max_page_count``), which fails a
write with the same SQLITE_FULL a full disk gives."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from incident_recorder.domain.errors import DiskFull
from incident_recorder.services.bundle import Services
from incident_recorder.services.session import Session
from incident_recorder.store.database import DATABASE_NAME, SqlStore
from incident_recorder.wiring import Composition
from tests.integration.faults import saver
from tests.integration.faults.mounts import fill, small_filesystem


def _signed_in(data_dir: Path) -> tuple[Services, Session]:
    composition = Composition(data_dir, saver.CHEAP_KDF)
    session = composition.accounts.sign_in(saver.USERNAME, saver.PASSPHRASE)
    return composition.services(session), session


def _save(services: Services, n: int) -> None:
    pupil = services.pupils.search("")[0]
    assert services.user.staff_id is not None
    services.incidents.new_draft(saver.details_for(n, pupil.id, services.user.staff_id))


def _accounts(services: Services) -> list[str]:
    return sorted(
        services.incidents.open(d.id).details.what_happened.account
        for d in services.incidents.drafts()
    )


def _refused_plainly_within_a_second(services: Services, n: int) -> DiskFull:
    started = time.monotonic()
    with pytest.raises(DiskFull) as raised:
        _save(services, n)
    assert time.monotonic() - started < 1.0
    assert str(raised.value).startswith("The disk is full, so this could not be saved.")
    return raised.value


def _sound(data_dir: Path) -> None:
    services, session = _signed_in(data_dir)
    try:
        assert session.store.integrity_problems() == []
        assert session.store.audit.verify() == []
    finally:
        services.close()


def test_a_full_database_gives_a_plain_message_and_saves_once_there_is_room(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    saver.set_up(data_dir)
    services, session = _signed_in(data_dir)
    try:
        _save(services, 1)
        # The seam: SQLite's own limit on the file's size, at what it is now.
        assert isinstance(session.store, SqlStore)
        db = session.store.connection
        db.execute(f"PRAGMA max_page_count = {db.scalar('PRAGMA page_count')}")
        for n in range(2, 20):  # the last free pages fill first
            try:
                _save(services, n)
            except DiskFull:
                break
        else:
            pytest.fail("the database never filled")
        saved_before = _accounts(services)
        _refused_plainly_within_a_second(services, 100)
        assert _accounts(services) == saved_before, "nothing saved before has changed"
        db.execute("PRAGMA max_page_count = 1073741823")  # space freed
        _save(services, 100)
        assert saver.marker(100) in _accounts(services)
    finally:
        services.close()
    _sound(data_dir)


def test_a_full_disk_during_a_save_on_a_real_small_filesystem(tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "tiny", "4m") as tiny:
        data_dir = tiny / "data"
        saver.set_up(data_dir)
        services, _session = _signed_in(data_dir)
        try:
            _save(services, 1)
            filler = fill(tiny)
            _refused_plainly_within_a_second(services, 2)
            _refused_plainly_within_a_second(services, 2)
            assert _accounts(services) == [saver.marker(1)]
            filler.unlink()  # space freed: the same session saves again, no restart
            _save(services, 2)
            assert _accounts(services) == [saver.marker(1), saver.marker(2)]
        finally:
            services.close()
        assert sorted(p.name for p in data_dir.iterdir()) == [DATABASE_NAME, "keyring.json"]
        _sound(data_dir)


def test_signing_in_on_a_full_disk_says_so_and_leaves_no_stub_files(tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "tiny", "4m") as tiny:
        data_dir = tiny / "data"
        saver.set_up(data_dir)
        before = (data_dir / DATABASE_NAME).read_bytes()
        filler = fill(tiny)
        started = time.monotonic()
        composition = Composition(data_dir, saver.CHEAP_KDF)
        with pytest.raises(DiskFull):
            composition.accounts.sign_in(saver.USERNAME, saver.PASSPHRASE)
        assert time.monotonic() - started < 1.0
        # No empty -wal and no 3-byte -shm left beside the database; the file unchanged.
        assert sorted(p.name for p in data_dir.iterdir()) == [DATABASE_NAME, "keyring.json"]
        assert (data_dir / DATABASE_NAME).read_bytes() == before
        filler.unlink()
        _sound(data_dir)
