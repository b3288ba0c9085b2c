"""Incident records: drafts, submission, references, amendments, the list."""

from __future__ import annotations

import dataclasses
from datetime import date, time

import pytest
import sqlcipher3

from incident_recorder.domain.errors import (
    InvalidInput,
    NotFound,
    ReasonRequired,
    RecordLocked,
)
from incident_recorder.domain.model import (
    IncidentDetails,
    IncidentQuery,
    IncidentStatus,
    WhatHappened,
)
from incident_recorder.services.ports import Visibility
from incident_recorder.store._values import sha256_text
from incident_recorder.store.database import SqlStore

from .conftest import School, utc

# ------------------------------------------------------------------ drafts


def test_draft_lifecycle(school: School) -> None:
    store, teacher = school.store, school.teacher
    details = school.details(school.pupils[0], staff=(school.assistant,))
    draft = store.incidents.create_draft(teacher.id, details, utc(2026, 3, 2, 11))
    assert draft.status is IncidentStatus.DRAFT
    assert draft.reference is None and draft.version == 0 and draft.submitted_at is None
    assert draft.details == details
    assert draft.created_at == utc(2026, 3, 2, 11) == draft.updated_at

    changed = school.details(school.pupils[1], location="Library")
    store.incidents.save_draft(draft.id, changed, utc(2026, 3, 2, 11, 5))
    again = store.incidents.get(draft.id)
    assert again.details == changed
    assert again.updated_at == utc(2026, 3, 2, 11, 5)
    assert again.created_at == utc(2026, 3, 2, 11)

    (summary,) = store.incidents.drafts(teacher.id)
    assert summary.id == draft.id and summary.location == "Library"
    assert summary.pupil_name == "Jonty Madeup"
    assert store.incidents.drafts(school.senco.id) == []

    store.incidents.discard_draft(draft.id)
    with pytest.raises(NotFound):
        store.incidents.get(draft.id)
    assert store.incidents.drafts(teacher.id) == []


def test_linked_drafts_share_an_event(school: School) -> None:
    store = school.store
    first = store.incidents.create_draft(
        school.teacher.id, school.details(school.pupils[0]), utc(2026, 3, 2)
    )
    second = store.incidents.create_draft(
        school.teacher.id, school.details(school.pupils[1]), utc(2026, 3, 2), first.event_id
    )
    assert second.event_id == first.event_id
    assert [s.id for s in store.incidents.in_event(first.event_id)] == [first.id, second.id]
    with pytest.raises(NotFound):
        store.incidents.create_draft(school.teacher.id, IncidentDetails(), utc(2026, 3, 2), 999)


def test_times_must_be_aware(school: School) -> None:
    with pytest.raises(ValueError):
        school.store.incidents.create_draft(
            school.teacher.id, IncidentDetails(), utc(2026, 3, 2).replace(tzinfo=None)
        )


# ------------------------------------------------------------------ submit and references


def test_submit_locks_the_record(school: School) -> None:
    store = school.store
    details = school.details(school.pupils[0])
    done = school.submit(school.teacher, details, utc(2026, 3, 2, 15))
    assert done.status is IncidentStatus.SUBMITTED
    assert done.reference == "2026-0001"
    assert done.version == 1
    assert done.submitted_at == utc(2026, 3, 2, 15)
    assert done.details == details
    assert store.incidents.by_reference(" 2026-0001 ") == done
    assert store.incidents.by_reference("2026-0002") is None

    (v1,) = store.incidents.versions(done.id)
    assert v1.number == 1 and v1.reason == "" and v1.saved_by == school.teacher.id
    assert v1.saved_by_name == "Tomasz Teacherly"
    assert v1.sha256 == sha256_text(
        store.connection.scalar(
            "SELECT details_json FROM incident_versions WHERE incident_id = ?", (done.id,)
        )
    )

    with pytest.raises(RecordLocked, match="2026-0001"):
        store.incidents.save_draft(done.id, details, utc(2026, 3, 3))
    with pytest.raises(RecordLocked):
        store.incidents.submit(done.id, details, school.teacher.id, utc(2026, 3, 3))
    with pytest.raises(RecordLocked):
        store.incidents.discard_draft(done.id)
    with pytest.raises(NotFound):
        store.incidents.submit(999, details, school.teacher.id, utc(2026, 3, 3))


def test_references_are_gapless_per_year(school: School) -> None:
    refs = [
        school.submit(school.teacher, school.details(), when).reference
        for when in (
            utc(2025, 12, 31, 23, 59),
            utc(2026, 1, 1, 0, 1),
            utc(2026, 1, 2),
            utc(2025, 12, 31, 23, 59),  # a late submission still takes its own year
            utc(2027, 1, 1),
        )
    ]
    assert refs == ["2025-0001", "2026-0001", "2026-0002", "2025-0002", "2027-0001"]


def test_a_failed_submit_leaves_no_gap(school: School) -> None:
    store = school.store
    school.submit(school.teacher, school.details(), utc(2026, 4, 1))
    draft = school.draft(school.teacher, school.details(), utc(2026, 4, 2))

    # The caller's transaction fails after the submit: everything is undone.
    with pytest.raises(RuntimeError), store.transaction():
        store.incidents.submit(draft.id, school.details(), school.teacher.id, utc(2026, 4, 2))
        raise RuntimeError("the audit entry could not be written")
    assert store.incidents.get(draft.id).status is IncidentStatus.DRAFT

    # The submit itself fails part-way (no such user for the version).
    with pytest.raises(sqlcipher3.IntegrityError):
        store.incidents.submit(draft.id, school.details(), 999, utc(2026, 4, 2))
    assert store.incidents.get(draft.id).status is IncidentStatus.DRAFT

    done = store.incidents.submit(draft.id, school.details(), school.teacher.id, utc(2026, 4, 3))
    assert done.reference == "2026-0002"


def test_amendments_keep_every_version(school: School) -> None:
    store = school.store
    first = school.details(school.pupils[0], account="First fictional account.")
    done = school.submit(school.teacher, first, utc(2026, 5, 1))
    second = dataclasses.replace(first, what_happened=WhatHappened(account="Second account."))
    third = dataclasses.replace(
        second, injuries=dataclasses.replace(second.injuries, pupil_injured=True)
    )
    school.amend(school.senco, done, second, "Added detail the witness gave", utc(2026, 5, 2))
    latest = school.amend(school.teacher, done, third, "Recorded the graze", utc(2026, 5, 3))

    assert latest.version == 3 and latest.details == third
    assert latest.reference == done.reference
    assert latest.submitted_at == utc(2026, 5, 1)
    assert latest.updated_at == utc(2026, 5, 3)
    assert store.incidents.get(done.id) == latest

    versions = store.incidents.versions(done.id)
    assert [v.number for v in versions] == [1, 2, 3]
    assert [v.details for v in versions] == [first, second, third]
    assert [v.reason for v in versions] == [
        "",
        "Added detail the witness gave",
        "Recorded the graze",
    ]
    assert [v.saved_by_name for v in versions] == [
        "Tomasz Teacherly",
        "Sade Sencoe",
        "Tomasz Teacherly",
    ]
    assert len({v.sha256 for v in versions}) == 3

    (row,) = store.incidents.search(IncidentQuery()).rows
    assert row.version == 3 and row.injury

    with pytest.raises(ReasonRequired):
        store.incidents.amend(done.id, first, school.teacher.id, "  ", utc(2026, 5, 4))
    draft = school.draft(school.teacher, first, utc(2026, 5, 4))
    with pytest.raises(InvalidInput):
        store.incidents.amend(draft.id, first, school.teacher.id, "why", utc(2026, 5, 4))
    assert store.incidents.versions(draft.id) == []
    with pytest.raises(NotFound):
        store.incidents.versions(999)


def test_all_submitted_streams_latest_versions(school: School) -> None:
    store = school.store
    a = school.submit(school.teacher, school.details(account="A"), utc(2026, 1, 5))
    school.draft(school.teacher, school.details(), utc(2026, 1, 6))
    b = school.submit(school.teacher, school.details(account="B"), utc(2026, 1, 7))
    amended = school.details(account="B, amended")
    school.amend(school.teacher, b, amended, "typo", utc(2026, 1, 8))
    got = list(store.incidents.all_submitted())
    assert [i.id for i in got] == [a.id, b.id]
    assert got[1].details == amended and got[1].version == 2


# ------------------------------------------------------------------ history cannot be rewritten


def test_triggers_block_rewriting_history(school: School) -> None:
    db = school.store.connection
    done = school.submit(school.teacher, school.details(), utc(2026, 6, 1))
    attempts = [
        "UPDATE incident_versions SET details_json = '{}'",
        "UPDATE incident_versions SET reason = 'edited'",
        "DELETE FROM incident_versions",
        "UPDATE audit SET detail = 'edited'",
        "DELETE FROM audit",
        "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)",
        f"UPDATE incidents SET reference = '2026-9999' WHERE id = {done.id}",
        f"UPDATE incidents SET reference = NULL, status = 'draft' WHERE id = {done.id}",
        f"UPDATE incidents SET author_id = {school.senco.id} WHERE id = {done.id}",
        f"DELETE FROM incidents WHERE id = {done.id}",
        "INSERT INTO incident_versions (incident_id, number, details_json, saved_at, saved_by, "
        f"reason, sha256) VALUES ({done.id}, 5, '{{}}', 'x', 1, 'gap', '{'0' * 64}')",
        "INSERT INTO audit (seq, at, action, prev_hash, entry_hash) "
        f"VALUES (1000, 'x', 'forged', '{'1' * 64}', '{'2' * 64}')",
    ]
    for sql in attempts:
        with pytest.raises(sqlcipher3.IntegrityError):
            db.execute(sql)
    assert school.store.incidents.get(done.id) == done
    assert school.store.audit.verify() == []


# ------------------------------------------------------------------ the list


@pytest.fixture
def listed(school: School) -> dict[str, int]:
    """Five submitted records and one draft, with known dates, pupils and places."""
    zoe, jonty, keira = school.pupils
    made = {
        "zoe_hall": school.submit(
            school.teacher,
            school.details(zoe, date(2026, 1, 10), time(9, 0), "Dining hall"),
            utc(2026, 1, 10),
        ),
        "zoe_field": school.submit(
            school.senco,
            school.details(zoe, date(2026, 2, 1), time(14, 0), "Playing field", injury=True),
            utc(2026, 2, 1),
        ),
        "jonty_hall": school.submit(
            school.senco,
            school.details(jonty, date(2026, 2, 1), time(9, 30), "Sports hall", floor=True),
            utc(2026, 2, 1),
        ),
        "keira_named": school.submit(
            school.senco,
            school.details(
                keira, date(2026, 3, 5), time(11, 0), "Corridor", staff=(school.teacher_staff,)
            ),
            utc(2026, 3, 5),
        ),
        "keira_other": school.submit(
            school.senco,
            school.details(keira, date(2025, 11, 20), time(8, 45), "Café"),
            utc(2025, 11, 20),
        ),
        "draft": school.draft(
            school.teacher,
            school.details(jonty, date(2026, 3, 6), time(10, 0), "Hall"),
            utc(2026, 3, 6),
        ),
    }
    return {name: incident.id for name, incident in made.items()}


def ids(store: SqlStore, query: IncidentQuery, visible_to: Visibility | None = None) -> list[int]:
    return [row.id for row in store.incidents.search(query, visible_to).rows]


def test_list_is_submitted_newest_first(school: School, listed: dict[str, int]) -> None:
    page = school.store.incidents.search(IncidentQuery())
    assert page.total == 5
    assert [r.id for r in page.rows] == [
        listed["keira_named"],
        listed["zoe_field"],  # same day, later start
        listed["jonty_hall"],
        listed["zoe_hall"],
        listed["keira_other"],
    ]
    top = page.rows[0]
    assert top.reference == "2026-0004"
    assert top.status is IncidentStatus.SUBMITTED
    assert top.occurred_on == date(2026, 3, 5) and top.start == time(11, 0)
    assert top.pupil_name == "Keira Notreal" and top.location == "Corridor"
    assert top.author_name == "Sade Sencoe" and top.author_id == school.senco.id
    assert (top.injury, top.floor_position, top.version) == (False, False, 1)
    by_id = {r.id: r for r in page.rows}
    assert by_id[listed["zoe_field"]].injury
    assert by_id[listed["jonty_hall"]].floor_position


def test_list_pages(school: School, listed: dict[str, int]) -> None:
    first = school.store.incidents.search(IncidentQuery(limit=2))
    second = school.store.incidents.search(IncidentQuery(limit=2, offset=2))
    last = school.store.incidents.search(IncidentQuery(limit=2, offset=4))
    assert (first.total, second.total, last.total) == (5, 5, 5)
    assert [len(first.rows), len(second.rows), len(last.rows)] == [2, 2, 1]
    everything = [r.id for r in (*first.rows, *second.rows, *last.rows)]
    assert everything == ids(school.store, IncidentQuery())


def test_drafts_only_when_asked(school: School, listed: dict[str, int]) -> None:
    page = school.store.incidents.search(IncidentQuery(status=IncidentStatus.DRAFT))
    assert [r.id for r in page.rows] == [listed["draft"]] and page.total == 1
    assert page.rows[0].reference is None and page.rows[0].version == 0
    staff_view = Visibility(school.senco.id, school.senco.staff_id)
    assert ids(school.store, IncidentQuery(status=IncidentStatus.DRAFT), staff_view) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zoe", ["zoe_field", "zoe_hall"]),  # first name, without the accent
        ("FABRICATED", ["zoe_field", "zoe_hall"]),  # last name
        ("jonty", ["jonty_hall"]),  # preferred name
        ("jonathan", ["jonty_hall"]),
        ("hall", ["jonty_hall", "zoe_hall"]),  # location
        ("cafe", ["keira_other"]),  # location, accent-insensitive
        ("zoe hall", ["zoe_hall"]),  # every word must match somewhere
        ("2026-0002", ["zoe_field"]),  # reference
        ("2025-", ["keira_other"]),
        ("nothing like this", []),
    ],
)
def test_text_search(
    school: School, listed: dict[str, int], text: str, expected: list[str]
) -> None:
    assert ids(school.store, IncidentQuery(text=text)) == [listed[n] for n in expected]


def test_filters(school: School, listed: dict[str, int]) -> None:
    store = school.store
    zoe, _, keira = school.pupils
    assert ids(store, IncidentQuery(pupil_id=keira.id)) == [
        listed["keira_named"],
        listed["keira_other"],
    ]
    assert ids(store, IncidentQuery(date_from=date(2026, 2, 1), date_to=date(2026, 2, 1))) == [
        listed["zoe_field"],
        listed["jonty_hall"],
    ]
    assert ids(store, IncidentQuery(date_to=date(2025, 12, 31))) == [listed["keira_other"]]
    assert ids(store, IncidentQuery(pupil_id=zoe.id, date_from=date(2026, 1, 11))) == [
        listed["zoe_field"]
    ]
    page = store.incidents.search(IncidentQuery(text="hall", limit=1))
    assert page.total == 2 and len(page.rows) == 1


def test_visibility_for_staff_only_users(school: School, listed: dict[str, int]) -> None:
    teacher = Visibility(school.teacher.id, school.teacher.staff_id)
    assert ids(school.store, IncidentQuery(), teacher) == [
        listed["keira_named"],
        listed["zoe_hall"],
    ]
    no_staff_entry = Visibility(school.teacher.id, None)
    assert ids(school.store, IncidentQuery(), no_staff_entry) == [listed["zoe_hall"]]
    stranger = Visibility(school.admin.id, school.admin.staff_id)
    assert school.store.incidents.search(IncidentQuery(), stranger).total == 0


def test_visibility_follows_amendments(school: School, listed: dict[str, int]) -> None:
    store = school.store
    teacher = Visibility(school.teacher.id, school.teacher.staff_id)
    incident = store.incidents.get(listed["keira_named"])
    without = dataclasses.replace(
        incident.details, who=dataclasses.replace(incident.details.who, staff=())
    )
    school.amend(school.senco, incident, without, "Named the wrong adult", utc(2026, 3, 6))
    assert ids(store, IncidentQuery(), teacher) == [listed["zoe_hall"]]


@pytest.mark.parametrize("analysed", [False, True], ids=["no-statistics", "analysed"])
def test_list_query_plans_use_the_indexes(
    school: School, listed: dict[str, int], analysed: bool
) -> None:
    store = school.store
    if analysed:
        store.connection.execute("ANALYZE")
    # The count reads one covering index: any of the list's indexes when only the status
    # narrows it (they are all about the same size), the one that seeks otherwise.
    any_list_index = "incidents_"
    cases = [
        (IncidentQuery(), None, "incidents_list", any_list_index),
        (IncidentQuery(date_from=date(2026, 1, 1)), None, "incidents_list", "incidents_list"),
        (IncidentQuery(text="zoe"), None, "incidents_list", any_list_index),
        (IncidentQuery(pupil_id=1), None, "incidents_pupil", "incidents_pupil"),
        (IncidentQuery(), Visibility(2, 2), "incidents_list", any_list_index),
    ]
    for query, visible_to, index, count_index in cases:
        count, rows = store.incidents.explain_search(query, visible_to)
        assert any(f"COVERING INDEX {count_index}" in step for step in count), count
        assert any(f"INDEX {index}" in step for step in rows), rows
        assert not any("TEMP B-TREE" in step for step in rows), rows
        assert not any(step.startswith("SCAN i") for step in count + rows)
