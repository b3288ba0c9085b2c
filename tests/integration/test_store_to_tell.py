"""The "parents to tell" query on a real encrypted store (schema 5 fixture upgraded):
oldest first, withheld never, a call where they were told plus the letter takes a record
off; the count agrees; Staff see only theirs; the indexes are used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from incident_recorder.domain.parents_told import (
    AttemptOutcome,
    ContactEntryKind,
    LetterDelivery,
    ParentContactEntry,
)
from incident_recorder.services.ports import Visibility
from incident_recorder.store.database import DATABASE_NAME, SqlStoreFactory
from incident_recorder.store.parent_contacts import _EVERY_RECORD, _source, _to_tell
from tests.integration.conftest import utc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def store(data_dir: Path):  # type: ignore[no-untyped-def]
    shutil.copyfile(FIXTURES / "schema-0005.db", data_dir / DATABASE_NAME)
    key = bytes.fromhex((FIXTURES / "schema-0005.key").read_text().strip())
    opened = SqlStoreFactory(data_dir).open(key)
    yield opened
    opened.close()


def test_the_list_shrinks_as_parents_are_told_and_sent_the_letter(store) -> None:  # type: ignore[no-untyped-def]
    db = store._db
    submitted = db.all(
        "SELECT id, parents_status FROM incidents WHERE status = 'submitted' "
        "ORDER BY occurred_on, start_time, id"
    )
    expected = [r["id"] for r in submitted if r["parents_status"] != "withheld"]
    rows = store.parent_contacts.to_tell()
    assert [r.incident_id for r in rows] == expected  # nobody sent a letter yet
    assert store.parent_contacts.to_tell_count() == len(expected)
    assert all(r.reference and r.missing for r in rows)
    withheld = {r["id"] for r in submitted if r["parents_status"] == "withheld"}
    assert not withheld & {r.incident_id for r in rows}

    first = rows[0]
    # This fixture's records are all from before 1 April 2026, when the written record
    # became due to parents: only telling them and the letter are asked of them.
    assert not any(r.copy_required for r in rows)
    assert all("record not supplied" not in r.missing.lower() for r in rows)
    user = store.users.list()[0]
    now = utc(2026, 11, 20, 15)
    moment = first.started.replace(hour=min(first.started.hour + 1, 23))

    def add(kind: ContactEntryKind, method: str, outcome: str = "") -> None:
        store.parent_contacts.add(
            ParentContactEntry(first.incident_id, kind, moment, method, "Mrs A Nowak", outcome),
            user.id,
            now,
        )

    add(ContactEntryKind.LETTER_SENT, LetterDelivery.POSTED.value)
    again = {r.incident_id: r for r in store.parent_contacts.to_tell()}
    if first.parents_status is not None and first.parents_status.value == "told":
        assert first.incident_id not in again
    else:
        assert again[first.incident_id].letter_sent
        assert again[first.incident_id].missing == "Not told yet"
        add(ContactEntryKind.ATTEMPT, "phone", AttemptOutcome.NO_ANSWER.value)
        assert first.incident_id in {r.incident_id for r in store.parent_contacts.to_tell()}
        add(ContactEntryKind.REPLY, "in_person")
        assert first.incident_id not in {r.incident_id for r in store.parent_contacts.to_tell()}
    assert store.parent_contacts.to_tell_count() == len(expected) - 1
    assert len(store.parent_contacts.to_tell(limit=0)) == 0


def test_staff_see_only_records_they_wrote_or_are_named_on(store) -> None:  # type: ignore[no-untyped-def]
    db = store._db
    row = db.one("SELECT author_id FROM incidents WHERE status = 'submitted' LIMIT 1")
    author = int(row["author_id"])
    mine = store.parent_contacts.to_tell(Visibility(user_id=author, staff_id=None))
    assert mine and all(
        db.scalar("SELECT author_id FROM incidents WHERE id = ?", (r.incident_id,)) == author
        for r in mine
    )
    nobody = Visibility(user_id=10_000, staff_id=10_000)
    assert store.parent_contacts.to_tell(nobody) == []
    assert store.parent_contacts.to_tell_count(nobody) == 0


def test_the_query_reads_the_partial_index_and_the_contacts_index(store) -> None:  # type: ignore[no-untyped-def]
    plan = " ".join(
        str(tuple(r))
        for r in store._db.all(f"EXPLAIN QUERY PLAN {_to_tell(_EVERY_RECORD)} ORDER BY i.id")
    )
    assert "incidents_parents" in plan
    # Schema 17: "letter sent?" and "told?" answered from the contacts index alone.
    assert "COVERING INDEX parent_contacts_kind" in plan
    # A Staff account's list starts from its own records (two covering indexes).
    source, params = _source(Visibility(user_id=1, staff_id=1))
    staff_plan = " ".join(
        str(tuple(r))
        for r in store._db.all(f"EXPLAIN QUERY PLAN SELECT count(*) {source} WHERE 1", params)
    )
    assert "COVERING INDEX incidents_author" in staff_plan
    assert "COVERING INDEX incident_staff_by_staff" in staff_plan
    assert "incidents_parents" not in staff_plan


def test_an_office_account_is_kept_and_its_list_never_holds_a_withheld_record(store) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: the School office role needs no migration (users.roles is text with no
    CHECK); the office's list (no Visibility: every record it may hold) leaves out
    every record where telling parents was withheld."""
    from incident_recorder.domain.model import Role

    staff = store.staff.add("Dana Whitlow", "School office manager")
    with store.transaction():
        added = store.users.add("d.whitlow", "Dana Whitlow", frozenset({Role.OFFICE}), staff.id)
        store.users.add("p.shah", "Priya Shah", frozenset({Role.STAFF, Role.OFFICE}), None)
    found = store.users.by_username("d.whitlow")
    assert found is not None and found.roles == frozenset({Role.OFFICE}) and found.office_only
    both = store.users.by_username("p.shah")
    assert both is not None and both.roles == frozenset({Role.STAFF, Role.OFFICE})
    assert store._db.scalar("SELECT roles FROM users WHERE id = ?", (added.id,)) == "office"
    listed = [r.incident_id for r in store.parent_contacts.to_tell(None)]
    # Mark the oldest as withheld (the column the list reads): it leaves the list.
    with store.transaction():
        store._db.execute(
            "UPDATE incidents SET parents_status = 'withheld' WHERE id = ?", (listed[0],)
        )
    assert [r.incident_id for r in store.parent_contacts.to_tell(None)] == listed[1:]
    assert store.parent_contacts.to_tell_count(None) == len(listed) - 1
