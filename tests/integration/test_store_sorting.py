"""Sorting the incident list: every order over every record, both directions, with the
filters and visibility, stable paging, the name copies the triggers keep, the query plans,
and the in-memory fake giving the same answers as the real store.

Everyone here is fictional.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from incident_recorder.domain.model import (
    IncidentDetails,
    IncidentQuery,
    IncidentSort,
    IncidentStatus,
    NewPupil,
    Role,
    StaffInvolvement,
    StaffPart,
    WhenWhere,
    Who,
)
from incident_recorder.services.ports import Store, Visibility
from incident_recorder.store.connection import Connection
from incident_recorder.store.database import DATABASE_NAME, SqlStore, SqlStoreFactory
from incident_recorder.store.pupils import pupil_sort_key
from tests.fakes import FakeStoreFactory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def utc(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


# (label, pupil, day, start, location, author) of the submitted records, in the order
# their drafts are started (so in id order).
RECORDS = [
    ("zoe_hall", "zoe", date(2026, 1, 10), time(9, 0), "Dining hall", "teacher"),
    ("zoe_field", "zoe", date(2026, 2, 1), time(14, 0), "Playing field", "senco"),
    ("jonty_hall", "jonty", date(2026, 2, 1), time(9, 30), "Sports hall", "anna"),
    ("ben_corridor", "ben", date(2026, 2, 1), time(9, 30), "corridor", "senco"),
    ("amir_cafe", "amir", date(2025, 11, 20), time(8, 45), "Café", "teacher"),
    ("keira_corridor", "keira", date(2026, 3, 5), time(11, 0), "Corridor", "senco"),
    ("zoe_again", "zoe", date(2026, 1, 10), time(9, 0), "Dining hall", "anna"),
]
# Submitted in another order, so that references follow neither ids nor dates.
SUBMIT_ORDER = [
    "amir_cafe",
    "zoe_field",
    "zoe_hall",
    "keira_corridor",
    "zoe_again",
    "ben_corridor",
    "jonty_hall",
]

# Each order, ascending. Descending is exactly the reverse: ties (same pupil, same place,
# same author, same day and time) fall back to date, time and id in the same direction.
ASCENDING = {
    # Same day and time: the record started first (lower id) first.
    IncidentSort.DATE: [
        "amir_cafe",
        "zoe_hall",
        "zoe_again",
        "jonty_hall",
        "ben_corridor",
        "zoe_field",
        "keira_corridor",
    ],
    IncidentSort.REFERENCE: SUBMIT_ORDER,
    # Last name, then first: Ábel before Fabricated despite the accent, "madeup, ben"
    # (typed in lower case) beside "Madeup, Jonty", and Zoë's records in date order.
    IncidentSort.PUPIL: [
        "amir_cafe",
        "zoe_hall",
        "zoe_again",
        "zoe_field",
        "ben_corridor",
        "jonty_hall",
        "keira_corridor",
    ],
    # "Café" as "cafe"; "corridor" and "Corridor" together, in date order.
    IncidentSort.LOCATION: [
        "amir_cafe",
        "ben_corridor",
        "keira_corridor",
        "zoe_hall",
        "zoe_again",
        "zoe_field",
        "jonty_hall",
    ],
    # "anna lowercase" before "Sade Sencoe": case is ignored.
    IncidentSort.RECORDED_BY: [
        "zoe_again",
        "jonty_hall",
        "ben_corridor",
        "zoe_field",
        "keira_corridor",
        "amir_cafe",
        "zoe_hall",
    ],
    # Submission time, except zoe_hall, amended last.
    IncidentSort.SAVED: [
        "amir_cafe",
        "zoe_field",
        "keira_corridor",
        "zoe_again",
        "ben_corridor",
        "jonty_hall",
        "zoe_hall",
    ],
}
SORTS = list(IncidentSort)
DIRECTIONS = [False, True]


@dataclass
class Made:
    store: Store
    ids: dict[str, int]  # label -> incident id
    people: dict[str, int]  # pupil and user labels -> id
    teacher: Visibility  # Staff only: authored zoe_hall and amir_cafe, named on keira_corridor

    def labels(self, query: IncidentQuery, visible_to: Visibility | None = None) -> list[str]:
        by_id = {v: k for k, v in self.ids.items()}
        return [by_id[row.id] for row in self.store.incidents.search(query, visible_to).rows]


def populate(store: Store) -> Made:
    """The same small school in any store (the real one or the fake)."""
    with store.transaction():
        teacher_staff = store.staff.add("Tomasz Teacherly", "Class teacher")
        senco_staff = store.staff.add("Sade Sencoe", "SENCO")
        anna_staff = store.staff.add("anna lowercase", "Teaching assistant")
        users = {
            "teacher": store.users.add(
                "t.teacherly", teacher_staff.full_name, frozenset({Role.STAFF}), teacher_staff.id
            ),
            "senco": store.users.add(
                "s.sencoe", senco_staff.full_name, frozenset({Role.SENCO}), senco_staff.id
            ),
            "anna": store.users.add(
                "a.lowercase", anna_staff.full_name, frozenset({Role.STAFF}), anna_staff.id
            ),
        }
        pupils = {
            "zoe": store.pupils.add(NewPupil("Zoë", "Fabricated")),
            "jonty": store.pupils.add(NewPupil("Jonathan", "Madeup", preferred_name="Jonty")),
            "ben": store.pupils.add(NewPupil("Ben", "madeup")),
            "amir": store.pupils.add(NewPupil("Amir", "Ábel")),
            "keira": store.pupils.add(NewPupil("Keira", "Notreal")),
        }
    details: dict[str, IncidentDetails] = {}
    ids: dict[str, int] = {}
    for n, (label, pupil, day, start, place, author) in enumerate(RECORDS):
        named = (StaffInvolvement(teacher_staff.id, StaffPart.ASSISTED),)
        details[label] = IncidentDetails(
            when_where=WhenWhere(day, start, None, place),
            who=Who(pupils[pupil].id, named if label == "keira_corridor" else ()),
        )
        draft = store.incidents.create_draft(users[author].id, details[label], utc(3, 10, n))
        ids[label] = draft.id
    for n, label in enumerate(SUBMIT_ORDER):
        submitter = users[RECORDS[[r[0] for r in RECORDS].index(label)][5]]
        store.incidents.submit(ids[label], details[label], submitter.id, utc(3, 11, 8 + n))
    store.incidents.amend(
        ids["zoe_hall"], details["zoe_hall"], users["senco"].id, "Corrected", utc(3, 12)
    )
    # Drafts: two of the teacher's (one without a pupil or place yet), one of the SENCO's.
    for label, author, who, place, saved in (
        ("draft_keira", "teacher", Who(pupils["keira"].id), "Library", utc(3, 13, 9)),
        ("draft_empty", "teacher", Who(), "", utc(3, 13, 10)),
        ("draft_other", "senco", Who(pupils["amir"].id), "Hall", utc(3, 13, 11)),
    ):
        draft_details = IncidentDetails(when_where=WhenWhere(location=place), who=who)
        ids[label] = store.incidents.create_draft(users[author].id, draft_details, saved).id
    people = {label: pupil.id for label, pupil in pupils.items()}
    people |= {label: user.id for label, user in users.items()}
    return Made(store, ids, people, Visibility(users["teacher"].id, teacher_staff.id))


@pytest.fixture
def made(store: SqlStore) -> Made:
    return populate(store)


@pytest.fixture
def fake() -> Made:
    return populate(FakeStoreFactory().create(bytes(32)))


def sql(made: Made) -> Connection:
    """The real store's connection, to change rows as other code (an import) would."""
    assert isinstance(made.store, SqlStore)
    return made.store.connection


def expected(sort: IncidentSort, descending: bool) -> list[str]:
    order = ASCENDING[sort]
    return order[::-1] if descending else list(order)


# ------------------------------------------------------------------ every order


@pytest.mark.parametrize("descending", DIRECTIONS, ids=["ascending", "descending"])
@pytest.mark.parametrize("sort", SORTS, ids=[s.value for s in SORTS])
def test_every_order_sorts_every_record(made: Made, sort: IncidentSort, descending: bool) -> None:
    query = IncidentQuery(sort=sort, descending=descending)
    assert made.labels(query) == expected(sort, descending)


def test_the_default_order_is_newest_first(made: Made) -> None:
    assert IncidentQuery().sort is IncidentSort.DATE and IncidentQuery().descending
    assert made.labels(IncidentQuery()) == expected(IncidentSort.DATE, True)


@pytest.mark.parametrize("descending", DIRECTIONS, ids=["ascending", "descending"])
@pytest.mark.parametrize("sort", SORTS, ids=[s.value for s in SORTS])
def test_page_two_carries_on_from_page_one(
    made: Made, sort: IncidentSort, descending: bool
) -> None:
    seen: list[str] = []
    for offset in range(0, 8, 2):
        query = IncidentQuery(sort=sort, descending=descending, offset=offset, limit=2)
        page = made.store.incidents.search(query)
        assert page.total == 7
        seen += made.labels(query)
    assert seen == expected(sort, descending)
    assert len(set(seen)) == 7


# ------------------------------------------------------------------ with filters


FILTERS = {
    "text": (IncidentQuery(text="hall"), {"zoe_hall", "zoe_again", "jonty_hall"}),
    "dates": (
        IncidentQuery(date_from=date(2026, 2, 1), date_to=date(2026, 2, 1)),
        {"zoe_field", "jonty_hall", "ben_corridor"},
    ),
    "from a date": (
        IncidentQuery(date_from=date(2026, 2, 1)),
        {"zoe_field", "jonty_hall", "ben_corridor", "keira_corridor"},
    ),
}


@pytest.mark.parametrize("descending", DIRECTIONS, ids=["ascending", "descending"])
@pytest.mark.parametrize("sort", SORTS, ids=[s.value for s in SORTS])
def test_filters_keep_the_order(made: Made, sort: IncidentSort, descending: bool) -> None:
    zoe = {"zoe_hall", "zoe_field", "zoe_again"}
    cases = [*FILTERS.values(), (IncidentQuery(pupil_id=made.people["zoe"]), zoe)]
    for base, matching in cases:
        query = replace(base, sort=sort, descending=descending)
        want = [label for label in expected(sort, descending) if label in matching]
        assert made.labels(query) == want, base
        # Paged one record at a time, the same.
        pages = [made.labels(replace(query, offset=n, limit=1)) for n in range(len(want) + 1)]
        assert [label for page in pages for label in page] == want


@pytest.mark.parametrize("descending", DIRECTIONS, ids=["ascending", "descending"])
@pytest.mark.parametrize("sort", SORTS, ids=[s.value for s in SORTS])
def test_a_staff_member_sees_their_records_in_order(
    made: Made, sort: IncidentSort, descending: bool
) -> None:
    mine = {"zoe_hall", "amir_cafe", "keira_corridor"}
    want = [label for label in expected(sort, descending) if label in mine]
    query = IncidentQuery(sort=sort, descending=descending)
    assert made.labels(query, made.teacher) == want
    assert made.store.incidents.search(replace(query, limit=1), made.teacher).total == 3
    assert made.labels(replace(query, text="corridor"), made.teacher) == ["keira_corridor"]


def test_drafts_sort_too(made: Made) -> None:
    drafts = IncidentQuery(status=IncidentStatus.DRAFT)
    newest_saved = replace(drafts, sort=IncidentSort.SAVED, descending=True)
    assert made.labels(newest_saved, made.teacher) == ["draft_empty", "draft_keira"]
    # No pupil yet sorts before any name, and no place before any place.
    for sort in (IncidentSort.PUPIL, IncidentSort.LOCATION):
        assert made.labels(replace(drafts, sort=sort, descending=False), made.teacher) == [
            "draft_empty",
            "draft_keira",
        ]
    assert made.labels(replace(drafts, sort=IncidentSort.PUPIL), made.teacher) == [
        "draft_keira",
        "draft_empty",
    ]


# ------------------------------------------------------------------ the name copies


def by_pupil(made: Made) -> list[str]:
    return made.labels(IncidentQuery(sort=IncidentSort.PUPIL, descending=False))


def test_a_pupil_renamed_moves_in_the_list(made: Made) -> None:
    """As a pupil import that corrects a name will do: the triggers follow."""
    keira = made.people["keira"]
    assert by_pupil(made)[-1] == "keira_corridor"
    sql(made).execute(
        "UPDATE pupils SET last_name = 'Aardvark', sort_key = ? WHERE id = ?",
        (pupil_sort_key("Keira", "", "Aardvark"), keira),
    )
    assert by_pupil(made)[0] == "keira_corridor"


def test_a_draft_that_changes_pupil_moves_in_the_list(made: Made) -> None:
    store, teacher = made.store, made.teacher
    drafts = IncidentQuery(status=IncidentStatus.DRAFT, sort=IncidentSort.PUPIL, descending=False)
    assert made.labels(drafts, teacher) == ["draft_empty", "draft_keira"]
    chosen = IncidentDetails(who=Who(made.people["zoe"]))
    store.incidents.save_draft(made.ids["draft_empty"], chosen, utc(3, 14))
    store.incidents.save_draft(made.ids["draft_keira"], IncidentDetails(), utc(3, 14))
    assert made.labels(drafts, teacher) == ["draft_keira", "draft_empty"]


def test_an_author_renamed_moves_in_the_list(made: Made) -> None:
    by_author = IncidentQuery(sort=IncidentSort.RECORDED_BY, descending=False)
    assert made.labels(by_author)[:2] == ["zoe_again", "jonty_hall"]
    sql(made).execute(
        "UPDATE users SET full_name = 'Zofia Lowercase' WHERE id = ?", (made.people["anna"],)
    )
    assert made.labels(by_author)[-2:] == ["zoe_again", "jonty_hall"]


def test_a_pupil_added_after_their_record_is_sorted_by_name(made: Made) -> None:
    """A record can name a pupil id before the pupil row exists (an import's order)."""
    store = made.store
    db = sql(made)
    later = IncidentDetails(when_where=WhenWhere(date(2026, 3, 1)), who=Who(9999))
    draft = store.incidents.create_draft(made.people["teacher"], later, utc(3, 15))
    assert db.scalar("SELECT pupil_sort_key FROM incidents WHERE id = ?", (draft.id,)) == ""
    db.execute(
        "INSERT INTO pupils (id, first_name, last_name, search_name, sort_key) "
        "VALUES (9999, 'Aaron', 'Aaronson', 'aaron aaronson', 'aaronson, aaron')"
    )
    assert db.scalar("SELECT pupil_sort_key FROM incidents WHERE id = ?", (draft.id,)) == (
        "aaronson, aaron"
    )


def test_an_upgraded_database_sorts_by_name(data_dir: Path) -> None:
    """Schema 1 had no name copies: the migration fills them in for every record."""
    shutil.copyfile(FIXTURES / "schema-0001.db", data_dir / DATABASE_NAME)
    key = bytes.fromhex((FIXTURES / "schema-0001.key").read_text().strip())
    store = SqlStoreFactory(data_dir).open(key)
    try:

        def references(sort: IncidentSort) -> list[str | None]:
            page = store.incidents.search(IncidentQuery(sort=sort, descending=False))
            return [row.reference for row in page.rows]

        # Amelia Testcase (2025-0001, by Olu Fixture); Barty Sample (2026-0001, by Priya).
        assert references(IncidentSort.PUPIL) == ["2026-0001", "2025-0001"]
        assert references(IncidentSort.RECORDED_BY) == ["2025-0001", "2026-0001"]
        empty = store.connection.scalar(
            "SELECT count(*) FROM incidents WHERE pupil_id IS NOT NULL AND pupil_sort_key = ''"
        )
        assert empty == 0
    finally:
        store.close()


# ------------------------------------------------------------------ query plans


INDEXES = {
    IncidentSort.DATE: "incidents_list",
    IncidentSort.REFERENCE: "incidents_by_reference",
    IncidentSort.PUPIL: "incidents_by_pupil_name",
    IncidentSort.LOCATION: "incidents_by_location",
    IncidentSort.RECORDED_BY: "incidents_by_author_name",
}


@pytest.mark.parametrize("analysed", [False, True], ids=["no-statistics", "analysed"])
@pytest.mark.parametrize("sort", list(INDEXES), ids=[s.value for s in INDEXES])
def test_each_order_reads_its_index_without_sorting(
    made: Made, sort: IncidentSort, analysed: bool
) -> None:
    """The first page comes straight off an index, also for a Staff member and a search:
    no temporary B-tree of the whole list (on 100,000 records that costs 70-170 ms)."""
    store = made.store
    assert isinstance(store, SqlStore)
    if analysed:
        store.connection.execute("ANALYZE")
    for descending in DIRECTIONS:
        query = IncidentQuery(sort=sort, descending=descending)
        for q, visible_to in (
            (query, None),
            (query, made.teacher),
            (replace(query, text="a"), None),
        ):
            _, rows = store.incidents.explain_search(q, visible_to)
            assert any(f"INDEX {INDEXES[sort]} " in step for step in rows), rows
            assert not any("TEMP B-TREE" in step for step in rows), rows


# ------------------------------------------------------------------ the fake agrees


def test_the_fake_sorts_as_the_store_does(made: Made, fake: Made) -> None:
    queries = [IncidentQuery(), *(q for q, _ in FILTERS.values())]
    drafts = IncidentQuery(status=IncidentStatus.DRAFT)
    for sort in SORTS:
        for descending in DIRECTIONS:
            for base in queries:
                query = replace(base, sort=sort, descending=descending)
                assert fake.labels(query) == made.labels(query), query
                assert fake.labels(query, fake.teacher) == made.labels(query, made.teacher)
                paged = replace(query, offset=2, limit=3)
                assert fake.labels(paged) == made.labels(paged), paged
            query = replace(drafts, sort=sort, descending=descending)
            assert fake.labels(query, fake.teacher) == made.labels(query, made.teacher), query
