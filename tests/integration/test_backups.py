"""Backups made from a real encrypted database: the copy is encrypted under the same key
(no name of a pupil anywhere in its bytes), opens with that key and no other, holds
one moment's records while another connection keeps saving, and a copy whose bytes
are damaged after it was written is refused before it is renamed into place. Every
person here is fictional."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, time
from pathlib import Path

import pytest

from incident_recorder.domain.model import NewPupil
from incident_recorder.store.backup import (
    DATABASE_FILE,
    BackupFailed,
    _check_copy,
    generations,
    make_backup,
)
from incident_recorder.store.database import SqlStoreFactory
from incident_recorder.store.migrate import schema_version
from tests.integration.conftest import School, utc

PUPIL = "Quenby-Marchetti"  # a fictional surname nothing else in the file contains


def _add_records(school: School, how_many: int) -> None:
    store = school.store
    pupil = store.pupils.add(NewPupil("Ottoline", PUPIL))
    for n in range(how_many):
        details = school.details(pupil, date(2026, 3, 2), time(9, n % 60))
        school.submit(school.teacher, details, utc(2026, 3, 2, 10))


def test_a_backup_is_encrypted_opens_with_the_key_and_holds_every_record(
    school: School, data_dir: Path, data_key: bytes
) -> None:
    _add_records(school, 5)
    made = make_backup(school.store._db, data_dir, "manual", utc(2026, 3, 2, 16))
    copy = data_dir / "backups" / made.name / DATABASE_FILE
    data = copy.read_bytes()
    assert PUPIL.encode() not in data and b"SQLite format 3" not in data
    assert [g.name for g in generations(data_dir / "backups")] == [made.name]
    with pytest.raises(sqlite3.DatabaseError):  # a plain SQLite reader sees noise
        sqlite3.connect(copy).execute("SELECT count(*) FROM sqlite_master").fetchone()
    opened = SqlStoreFactory(copy.parent).open(data_key)
    try:
        submitted = "SELECT count(*) FROM incidents WHERE status = 'submitted'"
        assert opened._db.scalar(submitted) == made.records == 5
    finally:
        opened.close()


def test_a_backup_is_one_moments_records_while_another_connection_saves(
    school: School, data_dir: Path, data_key: bytes
) -> None:
    _add_records(school, 20)
    writer = SqlStoreFactory(data_dir).open(data_key)
    stop = threading.Event()
    saved: list[int] = []

    def keep_saving() -> None:
        conn = SqlStoreFactory(data_dir).open(data_key)
        try:
            while not stop.is_set():
                with conn.transaction():
                    conn.audit.append(None, "create", utc(2026, 3, 2, 12), None, "draft")
                saved.append(1)
        finally:
            conn.close()

    saver = threading.Thread(target=keep_saving)
    saver.start()
    try:
        made = make_backup(school.store._db, data_dir, "manual", utc(2026, 3, 2, 16))
    finally:
        stop.set()
        saver.join()
        writer.close()
    assert saved, "the other connection saved while the backup was made"
    copy = data_dir / "backups" / made.name / DATABASE_FILE
    opened = SqlStoreFactory(copy.parent).open(data_key)
    try:
        head = opened.audit.head()
        assert head is not None and (head.seq, head.entry_hash) == (made.audit_seq, made.audit_hash)
        assert opened.audit.verify() == []
    finally:
        opened.close()


@pytest.mark.parametrize("where", ["first", "middle", "last", "cut"])
def test_a_copy_damaged_after_it_was_written_is_refused(
    school: School, data_dir: Path, where: str
) -> None:
    _add_records(school, 30)
    db = school.store._db
    made = make_backup(db, data_dir, "manual", utc(2026, 3, 2, 16))
    copy = data_dir / "backups" / made.name / DATABASE_FILE
    version = schema_version(db)
    _check_copy(db, copy, version)  # sound as written
    data = bytearray(copy.read_bytes())
    pages = len(data) // 4096
    if where == "cut":
        data = data[: (pages - 1) * 4096]
    else:
        page = {"first": 0, "middle": pages // 2, "last": pages - 1}[where]
        data[page * 4096 + 2000] ^= 0x01
    copy.write_bytes(bytes(data))
    with pytest.raises(BackupFailed):
        _check_copy(db, copy, version)
