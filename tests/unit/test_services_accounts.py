"""Set-up, sign-in, the sign-in throttle and accounts, on in-memory fakes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from incident_recorder.domain.errors import (
    AlreadySetUp,
    InvalidInput,
    NotAllowed,
    NotFound,
    SignInDelayed,
    WeakPassphrase,
    WrongPassphrase,
)
from incident_recorder.domain.model import PickLists, Role, SchoolDetails
from incident_recorder.services.accounts import (
    AccountService,
    SetupRequest,
    UserAdminService,
)
from tests.fakes import (
    PASSPHRASE,
    SCHOOL,
    FakeClock,
    FakeSchool,
    FakeStoreFactory,
    FakeVault,
    new_school,
    sign_in_as,
)


def request(**changes: object) -> SetupRequest:
    base = SetupRequest(
        school=SCHOOL,
        admin_full_name="Hana Bashir",
        admin_username="h.bashir",
        passphrase=PASSPHRASE,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def school() -> FakeSchool:
    return new_school()


# --------------------------------------------------------------------------- set-up


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        ({"school": SchoolDetails(name="  ", address="1 Orchard Lane")}, InvalidInput, "name"),
        ({"school": SchoolDetails(name="Larkfield", address="")}, InvalidInput, "address"),
        ({"admin_full_name": " "}, InvalidInput, "full name"),
        ({"admin_username": "x"}, InvalidInput, "username"),
        ({"admin_username": "9lives"}, InvalidInput, "starting with a letter"),
        ({"admin_username": "h bashir"}, InvalidInput, "username"),
        ({"passphrase": "short"}, WeakPassphrase, "at least 12"),
        ({"passphrase": "aaaaaaaaaaaaaaaa"}, WeakPassphrase, "different characters"),
    ],
)
def test_set_up_refuses_bad_details_and_creates_nothing(
    changes: dict[str, object], error: type[Exception], words: str
) -> None:
    vault, stores = FakeVault(), FakeStoreFactory()
    accounts = AccountService(vault, stores, FakeClock())
    with pytest.raises(error, match=words):
        accounts.set_up(request(**changes))
    assert not vault.exists() and not stores.exists()
    assert not accounts.is_set_up()


def test_set_up_creates_the_school_and_signs_the_administrator_in() -> None:
    vault, stores = FakeVault(), FakeStoreFactory()
    lists = PickLists(locations=("Hall",), deescalation_strategies=("Offered choices",))
    accounts = AccountService(vault, stores, FakeClock(), lists)
    result = accounts.set_up(
        request(
            school=SchoolDetails(name="  Larkfield Primary  ", address=" 1 Orchard Lane "),
            admin_username="  H.Bashir ",
            extra_roles=frozenset({Role.SAFEGUARDING_LEAD}),
        )
    )
    assert accounts.is_set_up()
    assert len(result.recovery_code) >= 16
    session = result.session
    assert session.user.username == "h.bashir"
    assert session.user.roles == {Role.ADMINISTRATOR, Role.SAFEGUARDING_LEAD}
    assert session.user.staff_id is not None
    assert session.store.staff.get(session.user.staff_id).full_name == "Hana Bashir"
    settings = session.settings()
    assert settings.school.name == "Larkfield Primary"
    assert settings.school.address == "1 Orchard Lane"
    assert settings.locations == ("Hall",)
    assert settings.deescalation_strategies == ("Offered choices",)
    assert stores.data is not None
    assert [e.action for e in stores.data.audit] == ["set_up", "sign_in"]
    assert bytes(session.data_key) == stores.data.data_key


def test_set_up_twice_is_refused(school: FakeSchool) -> None:
    with pytest.raises(AlreadySetUp):
        school.accounts.set_up(request(admin_username="t.nowak"))


def test_only_the_demo_database_shows_its_sign_in(school: FakeSchool) -> None:
    assert school.accounts.demo_hint() is None
    accounts = AccountService(FakeVault(), FakeStoreFactory(), FakeClock())
    assert accounts.demo_hint() is None  # not set up yet: nothing to show
    accounts.set_up(request(demo=True))
    hint = accounts.demo_hint()
    assert hint is not None and (hint.username, hint.passphrase) == ("h.bashir", PASSPHRASE)


# --------------------------------------------------------------------------- sign-in


def test_sign_in_opens_a_session_and_writes_a_sign_in_entry(school: FakeSchool) -> None:
    school.admin.close()
    school.clock.advance(hours=1)
    session = school.accounts.sign_in(" H.Bashir ", PASSPHRASE)
    assert session.user.username == "h.bashir"
    last = session.store.audit.head()
    assert last is not None
    assert (last.action, last.actor_id, last.at) == ("sign_in", session.user.id, school.clock.now())


def test_a_wrong_passphrase_is_refused_and_changes_nothing(school: FakeSchool) -> None:
    writes, opened, entries = school.vault.writes, len(school.stores.opened), school.actions()
    with pytest.raises(WrongPassphrase, match="do not match"):
        school.accounts.sign_in("h.bashir", PASSPHRASE + "x")
    assert school.vault.writes == writes
    assert len(school.stores.opened) == opened  # the database was never opened
    assert school.actions() == entries


def test_an_unknown_username_gets_the_same_message(school: FakeSchool) -> None:
    with pytest.raises(WrongPassphrase) as unknown:
        school.accounts.sign_in("nobody", PASSPHRASE)
    with pytest.raises(WrongPassphrase) as wrong:
        school.accounts.sign_in("h.bashir", "not the passphrase")
    assert str(unknown.value) == str(wrong.value)


def test_an_account_that_has_been_switched_off_cannot_sign_in(school: FakeSchool) -> None:
    sign_in_as(school, "t.nowak", full_name="Tomasz Nowak").close()
    data = school.stores.data
    assert data is not None
    user = next(u for u in data.users.values() if u.username == "t.nowak")
    data.users[user.id] = dataclasses.replace(user, active=False)
    with pytest.raises(WrongPassphrase):
        school.accounts.sign_in("t.nowak", PASSPHRASE)


def test_repeated_failures_are_slowed_down(school: FakeSchool) -> None:
    accounts, clock = school.accounts, school.clock
    for _ in range(3):  # the first three cost nothing extra
        with pytest.raises(WrongPassphrase):
            accounts.sign_in("h.bashir", "wrong wrong wrong")
    # Now even the right passphrase must wait.
    with pytest.raises(SignInDelayed) as delayed:
        accounts.sign_in("h.bashir", PASSPHRASE)
    assert delayed.value.seconds == pytest.approx(2)
    assert "wait 2 seconds" in str(delayed.value)

    clock.advance(seconds=2)
    with pytest.raises(WrongPassphrase):
        accounts.sign_in("h.bashir", "wrong again, sorry")
    clock.advance(seconds=3)
    with pytest.raises(SignInDelayed) as longer:
        accounts.sign_in("h.bashir", PASSPHRASE)
    assert longer.value.seconds == pytest.approx(1)  # 4 seconds after the 4th failure

    clock.advance(seconds=1)
    assert accounts.sign_in("h.bashir", PASSPHRASE).user.username == "h.bashir"
    # Success resets the count: the next mistake is not delayed.
    with pytest.raises(WrongPassphrase):
        accounts.sign_in("h.bashir", "one slip")
    accounts.sign_in("h.bashir", PASSPHRASE)


def test_the_delay_doubles_and_stops_at_five_minutes(school: FakeSchool) -> None:
    accounts, clock = school.accounts, school.clock
    waits: list[float] = []
    while len(waits) < 10:
        try:
            accounts.sign_in("h.bashir", "wrong wrong wrong")
        except SignInDelayed as delayed:
            waits.append(delayed.seconds)
            clock.advance(seconds=delayed.seconds)
        except WrongPassphrase:
            pass
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]


def test_failed_attempts_are_audited_at_the_next_successful_sign_in(school: FakeSchool) -> None:
    school.admin.close()
    first_failure = school.clock.now()
    with pytest.raises(WrongPassphrase):
        school.accounts.sign_in("h.bashir", "nearly right passphrase")
    school.clock.advance(minutes=1)
    with pytest.raises(WrongPassphrase):
        school.accounts.sign_in("someone.else", PASSPHRASE)
    assert school.actions() == ["set_up", "sign_in"]  # nothing written while locked out

    school.clock.advance(minutes=1)
    session = school.accounts.sign_in("h.bashir", PASSPHRASE)
    entries = session.store.audit.entries()[::-1]  # oldest first
    assert [e.action for e in entries] == [
        "set_up",
        "sign_in",
        "sign_in_failed",
        "sign_in_failed",
        "sign_in",
    ]
    failed = entries[2:4]
    assert failed[0].at == first_failure
    assert failed[0].detail == f"user {session.user.id}"
    assert failed[1].detail == "unknown username"
    assert all(e.actor_id is None for e in failed)
    assert "someone" not in " ".join(e.detail for e in entries)
    assert session.store.audit.verify() == []


# --------------------------------------------------------------------------- recovery


def test_the_recovery_code_resets_a_forgotten_passphrase(school: FakeSchool) -> None:
    school.admin.close()
    new = "lantern meadow copper nine"
    school.accounts.reset_passphrase_with_recovery_code(
        school.recovery_code.lower(), "h.bashir", new
    )
    with pytest.raises(WrongPassphrase):
        school.accounts.sign_in("h.bashir", PASSPHRASE)
    session = school.accounts.sign_in("h.bashir", new)
    assert "passphrase_reset" in [e.action for e in session.store.audit.entries()]


def test_a_wrong_recovery_code_or_weak_passphrase_changes_nothing(school: FakeSchool) -> None:
    writes = school.vault.writes
    with pytest.raises(WrongPassphrase):
        school.accounts.reset_passphrase_with_recovery_code(
            "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", "h.bashir", "lantern meadow copper nine"
        )
    with pytest.raises(WeakPassphrase):
        school.accounts.reset_passphrase_with_recovery_code(
            school.recovery_code, "h.bashir", "short"
        )
    with pytest.raises(InvalidInput, match="no account"):
        school.accounts.reset_passphrase_with_recovery_code(
            school.recovery_code, "t.nowak", "lantern meadow copper nine"
        )
    assert school.vault.writes == writes
    assert school.accounts.sign_in("h.bashir", PASSPHRASE)


# --------------------------------------------------------------------------- accounts


def test_an_administrator_adds_an_account_that_can_sign_in(school: FakeSchool) -> None:
    admin = UserAdminService(school.admin, school.vault)
    user = admin.add_user(
        "  Siân Griffiths ", "S.Griffiths", "otter lemon violet 42", frozenset({Role.SENCO})
    )
    assert (user.username, user.full_name, user.roles) == (
        "s.griffiths",
        "Siân Griffiths",
        frozenset({Role.SENCO}),
    )
    assert user.staff_id is not None
    assert school.admin.store.staff.get(user.staff_id).full_name == "Siân Griffiths"
    assert school.actions()[-1] == "user_added"
    newest = school.store.audit.entries(limit=1)[0]
    assert newest.action == "user_added" and "Siân" not in newest.detail
    assert school.accounts.sign_in("s.griffiths", "otter lemon violet 42").user.id == user.id


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("Tomasz Nowak", "h.bashir", PASSPHRASE, frozenset({Role.STAFF})), InvalidInput),
        (("Tomasz Nowak", "t.nowak", PASSPHRASE, frozenset()), InvalidInput),
        (("  ", "t.nowak", PASSPHRASE, frozenset({Role.STAFF})), InvalidInput),
        (("Tomasz Nowak", "t.nowak", "too short", frozenset({Role.STAFF})), WeakPassphrase),
    ],
)
def test_adding_an_account_checks_its_details(
    school: FakeSchool, args: tuple[str, str, str, frozenset[Role]], error: type[Exception]
) -> None:
    users_before = len(school.admin.store.users.list())
    with pytest.raises(error):
        UserAdminService(school.admin, school.vault).add_user(*args)
    assert len(school.admin.store.users.list()) == users_before
    assert school.vault.usernames() == ["h.bashir"]


def test_only_an_administrator_manages_accounts(school: FakeSchool) -> None:
    senco = sign_in_as(school, "s.griffiths", frozenset({Role.SENCO}), "Siân Griffiths")
    service = UserAdminService(senco, school.vault)
    with pytest.raises(NotAllowed, match="manage accounts"):
        service.list_users()
    with pytest.raises(NotAllowed):
        service.add_user("Tomasz Nowak", "t.nowak", PASSPHRASE, frozenset({Role.STAFF}))


def test_changing_your_own_passphrase(school: FakeSchool) -> None:
    session = sign_in_as(school, "t.nowak", full_name="Tomasz Nowak")
    service = UserAdminService(session, school.vault)
    with pytest.raises(WrongPassphrase):
        service.change_own_passphrase("not my passphrase", "lantern meadow copper nine")
    with pytest.raises(WeakPassphrase):
        service.change_own_passphrase(PASSPHRASE, "tiny")
    service.change_own_passphrase(PASSPHRASE, "lantern meadow copper nine")
    assert school.accounts.sign_in("t.nowak", "lantern meadow copper nine")
    assert school.actions()[-2] == "passphrase_changed"


def test_an_account_for_an_adult_already_on_the_staff_list(school: FakeSchool) -> None:
    admin = UserAdminService(school.admin, school.vault)
    priya = school.store.staff.add("Priya Shah", "Midday supervisor")
    assert priya in admin.staff_without_account()
    user = admin.add_user(
        "Priya Shah", "p.shah", PASSPHRASE, frozenset({Role.STAFF}), staff_id=priya.id
    )
    assert user.staff_id == priya.id
    assert [s.full_name for s in school.store.staff.list()].count("Priya Shah") == 1
    assert priya not in admin.staff_without_account()
    listed = {a.user.username: a for a in admin.accounts()}
    assert listed["p.shah"].staff == priya
    assert listed["h.bashir"].staff is not None
    assert listed["h.bashir"].staff.job_title == "School business manager"


def test_a_staff_entry_gets_only_one_account(school: FakeSchool) -> None:
    admin = UserAdminService(school.admin, school.vault)
    priya = school.store.staff.add("Priya Shah", "Midday supervisor")
    admin.add_user("Priya Shah", "p.shah", PASSPHRASE, frozenset({Role.STAFF}), staff_id=priya.id)
    with pytest.raises(InvalidInput, match=r"Priya Shah already has an account \('p\.shah'\)"):
        admin.add_user(
            "Priya Shah", "p.shah2", PASSPHRASE, frozenset({Role.STAFF}), staff_id=priya.id
        )
    with pytest.raises(NotFound):
        admin.add_user("Nobody Known", "n.known", PASSPHRASE, frozenset({Role.STAFF}), staff_id=99)
    assert school.vault.usernames() == ["h.bashir", "p.shah"]


def test_the_account_service_builds_account_management_for_a_session(
    school: FakeSchool,
) -> None:
    admin = school.accounts.user_admin(school.admin)
    admin.add_user("Tomasz Nowak", "t.nowak", PASSPHRASE, frozenset({Role.STAFF}))
    assert school.accounts.sign_in("t.nowak", PASSPHRASE).user.full_name == "Tomasz Nowak"


def test_switching_an_account_off_deletes_its_key_copy(school: FakeSchool) -> None:
    sign_in_as(school, "t.nowak", full_name="Tomasz Nowak").close()
    admin = UserAdminService(school.admin, school.vault)
    target = next(a.user for a in admin.accounts() if a.user.username == "t.nowak")
    off = admin.deactivate_user(target.id)
    assert not off.active
    assert school.vault.usernames() == ["h.bashir"]
    with pytest.raises(WrongPassphrase):
        school.accounts.sign_in("t.nowak", PASSPHRASE)
    newest = school.store.audit.entries(limit=1)[0]
    assert (newest.action, newest.detail) == ("user_deactivated", f"user {target.id}")
    with pytest.raises(InvalidInput, match="already switched off"):
        admin.deactivate_user(target.id)
    with pytest.raises(InvalidInput, match="already an account"):
        admin.add_user("Tomasz Nowak", "t.nowak", PASSPHRASE, frozenset({Role.STAFF}))


def test_you_cannot_switch_off_your_own_account(school: FakeSchool) -> None:
    admin = UserAdminService(school.admin, school.vault)
    with pytest.raises(InvalidInput, match="signed in with"):
        admin.deactivate_user(school.admin.user.id)
    assert school.store.users.get(school.admin.user.id).active
    assert school.vault.usernames() == ["h.bashir"]


def test_only_an_administrator_switches_accounts_off(school: FakeSchool) -> None:
    staff = sign_in_as(school, "t.nowak", full_name="Tomasz Nowak")
    with pytest.raises(NotAllowed):
        UserAdminService(staff, school.vault).deactivate_user(school.admin.user.id)
    assert school.vault.usernames() == ["h.bashir", "t.nowak"]


def test_a_new_passphrase_must_differ_from_the_old_one(school: FakeSchool) -> None:
    service = UserAdminService(school.admin, school.vault)
    with pytest.raises(InvalidInput, match="same as the old one"):
        service.change_own_passphrase(PASSPHRASE, PASSPHRASE)
    assert school.accounts.sign_in("h.bashir", PASSPHRASE)


# --------------------------------------------------------------------------- the session


def test_closing_a_session_forgets_the_key_and_closes_the_database(school: FakeSchool) -> None:
    session = school.admin
    store = school.store
    session.close()
    assert session.closed and not any(session.data_key)
    assert store.closed
    session.close()  # twice is harmless


def test_local_time_follows_the_school_clock_through_summer_time() -> None:
    school = new_school(FakeClock(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)))
    assert school.admin.local_now() == datetime(2026, 7, 1, 13, 0)
    school.clock.set(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    assert school.admin.local_now() == datetime(2026, 12, 1, 12, 0)
