"""Damage found by the store, on real encrypted files: the quick check at opening, the
read-only opening that ``verify`` uses, the schema against the migrations, and every
check together, which reports a read error as damage instead of raising it.

Each test damages a real encrypted database in ``tmp_path`` the way a failing disk or a
person with a SQL tool would. Everyone named is fictional.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from incident_recorder.domain.errors import DatabaseFileDamaged, WrongPassphrase
from incident_recorder.domain.model import NewPupil
from incident_recorder.services.accounts import AccountService
from incident_recorder.store.connection import Connection
from incident_recorder.store.database import DATABASE_NAME, SqlStore, SqlStoreFactory
from incident_recorder.store.integrity import (
    expected_schema,
    full_problems,
    quick_problems,
    schema_problems,
)
from incident_recorder.store.vault import FileKeyVault
from tests.fakes import FakeClock
from tests.integration.conftest import CHEAP_KDF

PAGE = 4096
KEY = bytes(range(32))
PASSPHRASE = "juniper kettle harbour 19"


def _files(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.fixture
def filled(data_dir: Path) -> Iterator[Path]:
    """A database of a few hundred fictional pupils and an audit chain, closed."""
    store = SqlStoreFactory(data_dir).create(KEY)
    with store.transaction():
        for i in range(400):
            pupil = store.pupils.add(NewPupil(f"Pupil{i}", "Fictionalson"))
            store.audit.append(None, "pupil_added", datetime.now(UTC), detail=f"pupil {pupil.id}")
    store.close()
    yield data_dir / DATABASE_NAME


def _pages(path: Path) -> int:
    return path.stat().st_size // PAGE


def _flip(path: Path, page: int, at: int = 1000) -> None:
    data = bytearray(path.read_bytes())
    data[(page - 1) * PAGE + at] ^= 0x5A
    path.write_bytes(bytes(data))


def _root(path: Path, name: str, key: bytes = KEY) -> int:
    """The first page of table or index ``name``."""
    db = Connection.open_read_only(path, key)
    try:
        return int(db.scalar("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)))
    finally:
        db.close()


# The pages the quick check at opening reads: the schema, and each table's ends (the
# audit log's newest entries among them).
@pytest.mark.parametrize("where", ["second", "audit", "zeroed-audit", "pupils", "cut"])
def test_opening_a_damaged_file_refuses_and_writes_nothing(
    filled: Path, data_dir: Path, where: str
) -> None:
    last = _pages(filled)
    if where == "second":
        _flip(filled, 2)
    elif where in ("audit", "pupils"):
        _flip(filled, _root(filled, where))
    elif where == "zeroed-audit":
        page = _root(filled, "audit")
        data = bytearray(filled.read_bytes())
        data[(page - 1) * PAGE : page * PAGE] = bytes(PAGE)
        filled.write_bytes(bytes(data))
    else:
        filled.write_bytes(filled.read_bytes()[: (last // 2) * PAGE])
    before = _files(data_dir)
    factory = SqlStoreFactory(data_dir)
    with pytest.raises(DatabaseFileDamaged) as raised:
        factory.open(KEY)
    assert "The database file is damaged" in str(raised.value)
    assert "Nothing was changed" in str(raised.value)
    with pytest.raises(DatabaseFileDamaged):
        factory.upgrade(KEY)
    assert _files(data_dir) == before  # no backup, no migration, no -wal or -shm left


@pytest.mark.parametrize("page", ["last", "last-1", "index"])
def test_damage_the_quick_check_does_not_read_is_found_by_reading_every_page(
    filled: Path, data_dir: Path, page: str
) -> None:
    last = _pages(filled)
    number = {"last": last, "last-1": last - 1}.get(page) or _root(filled, "pupils_search")
    _flip(filled, number)
    before = _files(data_dir)
    factory = SqlStoreFactory(data_dir)
    try:
        store = factory.open(KEY)
    except DatabaseFileDamaged:
        assert _files(data_dir) == before
        return  # the quick check happened to read it: refused at once
    try:
        problems = store.page_problems()
    finally:
        store.close()
    assert problems and f"page {number}" in problems[0]
    assert _files(data_dir) == before


def test_the_read_only_opening_writes_nothing_and_refuses_writes(
    filled: Path, data_dir: Path
) -> None:
    before = _files(data_dir)
    store = SqlStoreFactory(data_dir).open_read_only(KEY)
    try:
        assert store.full_problems() == []
        assert store.audit.head() is not None
        with pytest.raises(Exception, match=r"readonly|read-only|query_only"):
            store.audit.append(None, "sign_in", datetime.now(UTC))
    finally:
        store.close()
    assert _files(data_dir) == before


def test_every_check_together_reports_a_read_error_as_damage_never_raises(
    filled: Path, data_dir: Path
) -> None:
    _flip(filled, _pages(filled))  # the audit log's newest page
    db = Connection.open_read_only(filled, KEY)
    try:
        problems = full_problems(db)
    finally:
        db.close()
    assert problems
    assert any("(page " in p and "tamper check" in p for p in problems)
    assert all("\n" not in p for p in problems)


def test_the_expected_schema_is_what_the_migrations_make(store: SqlStore) -> None:
    db = store.connection
    assert schema_problems(db) == []
    assert quick_problems(db) == []
    expected = expected_schema(int(db.pragma("user_version")))
    kinds = {kind for kind, _ in expected}
    assert {"table", "index", "trigger"} <= kinds
    assert ("trigger", "audit_no_update") in expected
    assert ("trigger", "incident_versions_no_update") in expected


def test_a_dropped_trigger_an_added_index_and_a_changed_trigger_are_named(
    store: SqlStore,
) -> None:
    db = store.connection
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("CREATE INDEX pupils_sneaky ON pupils(id)")
    db.execute("DROP TRIGGER audit_no_delete")
    db.execute(
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit WHEN 0 "
        "BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    problems = schema_problems(db)
    text = "\n".join(problems)
    assert "(trigger 'audit_no_update') is missing: it stops audit entries" in text
    assert "(trigger 'audit_no_delete') has been changed" in text
    assert "(index 'pupils_sneaky') has been added" in text
    assert problems[-1].startswith("The database's structure was changed outside")
    assert store.integrity_problems()[: len(problems)] == problems
    assert quick_problems(db) == problems  # and so the next opening refuses it


def test_the_next_opening_refuses_a_database_whose_protective_rules_were_dropped(
    filled: Path, data_dir: Path
) -> None:
    db = Connection.open(filled, KEY)
    db.execute("DROP TRIGGER incident_versions_no_update")
    db.close()
    with pytest.raises(DatabaseFileDamaged) as raised:
        SqlStoreFactory(data_dir).open(KEY)
    assert "incident_versions_no_update" in raised.value.detail


def test_a_backup_without_its_protective_rules_fails_its_check(
    filled: Path, data_dir: Path
) -> None:
    store = SqlStoreFactory(data_dir).open(KEY)
    try:
        made = store.backups.make("manual", datetime(2026, 3, 9, 16, 45, tzinfo=UTC))
        assert store.backups.check(made.name, KEY) == []
        copy = data_dir / "backups" / made.name / DATABASE_NAME
        db = Connection.open(copy, KEY)
        db.execute("DROP TRIGGER audit_no_delete")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        problems = store.backups.check(made.name, KEY)
    finally:
        store.close()
    assert any("(trigger 'audit_no_delete') is missing" in p for p in problems)


def _key(data_dir: Path) -> bytes:
    return FileKeyVault(data_dir, CHEAP_KDF).unlock("b.quill", PASSPHRASE)


@pytest.fixture
def accounts(data_dir: Path) -> AccountService:
    from incident_recorder.domain.model import SchoolDetails
    from incident_recorder.services.accounts import SetupRequest

    service = AccountService(
        FileKeyVault(data_dir, CHEAP_KDF), SqlStoreFactory(data_dir), FakeClock()
    )
    result = service.set_up(
        SetupRequest(
            school=SchoolDetails(name="Fictional Ash Primary", address="1 Elm Row"),
            admin_full_name="Bea Quill",
            admin_username="b.quill",
            passphrase=PASSPHRASE,
        )
    )
    result.session.close()
    return service


def test_checking_the_database_as_an_account_writes_nothing(
    accounts: AccountService, data_dir: Path
) -> None:
    before = _files(data_dir)
    report = accounts.check_database("b.quill", PASSPHRASE)
    assert report.problems == () and report.head is not None and report.newest_backup is None
    assert _files(data_dir) == before
    with pytest.raises(WrongPassphrase):
        accounts.check_database("b.quill", "not the passphrase at all")


def test_a_damaged_database_at_sign_in_is_damage_not_a_wrong_passphrase(
    accounts: AccountService, data_dir: Path
) -> None:
    path = data_dir / DATABASE_NAME
    _flip(path, _root(path, "audit", _key(data_dir)))
    before = _files(data_dir)
    with pytest.raises(DatabaseFileDamaged):
        accounts.sign_in("b.quill", PASSPHRASE)
    report = accounts.check_database("b.quill", PASSPHRASE)
    assert report.problems and not any("passphrase" in p for p in report.problems)
    assert _files(data_dir) == before
    with pytest.raises(WrongPassphrase):  # a wrong passphrase is still just that
        accounts.sign_in("b.quill", "not the passphrase at all")


def test_a_page_in_the_middle_is_found_by_the_every_page_check_before_anything_is_written(
    accounts: AccountService, data_dir: Path
) -> None:
    session = accounts.sign_in("b.quill", PASSPHRASE)
    with session.store.transaction():
        for i in range(300):
            session.store.pupils.add(NewPupil(f"Pupil{i}", "Fictionalson"))
    session.close()
    path = data_dir / DATABASE_NAME
    pupil_page = _root(
        path, "pupils_search", _key(data_dir)
    )  # an index the quick check does not read
    _flip(path, pupil_page)
    before = _files(data_dir)
    with pytest.raises(DatabaseFileDamaged) as raised:
        accounts.sign_in("b.quill", PASSPHRASE, every_page=True)
    assert f"(page {pupil_page})" in raised.value.detail
    assert _files(data_dir) == before
