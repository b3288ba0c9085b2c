"""Settings, accounts, the staff list and pupils."""

from __future__ import annotations

from datetime import date

import pytest

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.model import (
    NewPupil,
    Role,
    SchoolDetails,
    SchoolSettings,
    SenStatus,
)
from incident_recorder.store.database import SqlStore


def test_settings_round_trip(store: SqlStore) -> None:
    with pytest.raises(NotFound):
        store.settings.get()
    settings = SchoolSettings(
        school=SchoolDetails("Fictional Elm School", "4 Pretend Close", phone="01632 960000"),
        hold_warning_minutes=7,
        locations=("Library", "Hall"),
        techniques=("Caring C guide",),
    )
    store.settings.save(settings)
    assert store.settings.get() == settings
    changed = SchoolSettings(school=settings.school, idle_lock_minutes=3)
    store.settings.save(changed)
    assert store.settings.get() == changed


def test_staff(store: SqlStore) -> None:
    a = store.staff.add("Yusuf Yetunmade", "Teaching assistant")
    b = store.staff.add("alma Alphaname")
    assert store.staff.get(a.id) == a
    assert [s.full_name for s in store.staff.list()] == ["alma Alphaname", "Yusuf Yetunmade"]
    assert store.staff.list(active_only=False) == store.staff.list()
    assert b.job_title == ""
    with pytest.raises(NotFound):
        store.staff.get(999)


def test_users(store: SqlStore) -> None:
    staff = store.staff.add("Rhian Rolename")
    user = store.users.add(
        "R.Rolename", "Rhian Rolename", frozenset({Role.SENCO, Role.STAFF}), staff.id
    )
    assert user.username == "r.rolename"
    assert store.users.get(user.id) == user
    assert store.users.by_username("  R.ROLENAME ") == user
    assert store.users.by_username("nobody") is None
    assert store.users.list() == [user]
    assert store.users.get(user.id).roles == frozenset({Role.SENCO, Role.STAFF})
    with pytest.raises(InvalidInput):
        store.users.add("r.rolename", "Someone Else", frozenset({Role.STAFF}), None)
    with pytest.raises(NotFound):
        store.users.get(999)
    with pytest.raises(NotFound):
        store.users.add("ghost", "Ghost Person", frozenset({Role.STAFF}), 999)


def test_an_account_is_switched_off_and_on(store: SqlStore) -> None:
    user = store.users.add("k.kindname", "Kit Kindname", frozenset({Role.STAFF}), None)
    off = store.users.set_active(user.id, False)
    assert not off.active and off.username == "k.kindname"
    assert store.users.by_username("k.kindname") == off
    assert store.users.list() == [off]
    assert store.users.set_active(user.id, True).active
    with pytest.raises(NotFound):
        store.users.set_active(999, False)


def test_pupil_round_trip(store: SqlStore) -> None:
    added = store.pupils.add(
        NewPupil(
            "Olamide",
            "Imaginary",
            upn="a801200126001",
            preferred_name="Ola",
            date_of_birth=date(2015, 5, 6),
            year_group="6",
            class_name="Rowan",
            sen_status=SenStatus.SEN_SUPPORT,
            looked_after=True,
        )
    )
    assert added.upn == "A801200126001"
    assert store.pupils.get(added.id) == added
    assert store.pupils.has_plan(added.id, date(2026, 1, 1)) is False
    with pytest.raises(InvalidInput, match="UPN"):
        store.pupils.add(NewPupil("Other", "Child", upn="A801200126001"))
    with pytest.raises(NotFound):
        store.pupils.get(999)


def test_pupil_search(store: SqlStore) -> None:
    zoe = store.pupils.add(NewPupil("Zoë", "Fabricated"))
    jonty = store.pupils.add(NewPupil("Jonathan", "Madeup", preferred_name="Jonty"))
    upn = store.pupils.add(NewPupil("Keira", "Notreal", upn="A801200126001"))
    under = store.pupils.add(NewPupil("Percy", "Per_cent%"))

    def found(text: str) -> list[int]:
        return [p.id for p in store.pupils.search(text)]

    assert found("zoe") == [zoe.id]  # accents do not matter
    assert found("ZOË fab") == [zoe.id]  # every word, any order, any case
    assert found("fabricated zoe") == [zoe.id]
    assert found("jonty") == [jonty.id]
    assert found("JONATHAN") == [jonty.id]
    assert found("madeup jonty") == [jonty.id]
    assert found("a8012001") == [upn.id]
    assert found("_") == [under.id]  # LIKE wildcards are literal
    assert found("%") == [under.id]
    assert found("nobody") == []
    assert len(found("")) == 4
    assert len(store.pupils.search("", limit=2)) == 2


def test_pupils_on_roll_come_first(store: SqlStore) -> None:
    left = store.pupils.add(NewPupil("Aaron", "Aardvarkson"))
    stay = store.pupils.add(NewPupil("Bea", "Bumbleby"))
    store.connection.execute("UPDATE pupils SET left_on = '2025-07-20' WHERE id = ?", (left.id,))
    assert [p.id for p in store.pupils.search("")] == [stay.id, left.id]
    assert [p.id for p in store.pupils.list()] == [stay.id, left.id]
    assert store.pupils.get(left.id).left_on == date(2025, 7, 20)


def test_pupil_search_query_plan_uses_the_small_index(store: SqlStore) -> None:
    plan = store.connection.all(
        "EXPLAIN QUERY PLAN SELECT id FROM pupils WHERE search_name LIKE ? ESCAPE '\\'",
        ("%x%",),
    )
    assert any("COVERING INDEX pupils_search" in row["detail"] for row in plan)
