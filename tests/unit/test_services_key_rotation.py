"""KeyRotationService over the fakes: who may rotate, what the plan says, the temporary
passphrases for older keyring entries, and the session carrying on under the right key
whatever the rotation's end. Everyone here is fictional."""

from __future__ import annotations

import pytest

from incident_recorder.domain.errors import (
    InvalidInput,
    NotAllowed,
    RotationUnfinished,
    WrongPassphrase,
)
from incident_recorder.domain.model import Role
from incident_recorder.services.accounts import AccountService, UserAdminService
from incident_recorder.services.key_rotation import KeyRotationService
from incident_recorder.services.ports import NotRotated
from tests.fakes import PASSPHRASE, FakeKeyRotator, FakeSchool, new_school, sign_in_as

TEMPORARY = "amber willow chalk ninety"


def rotation_for(school: FakeSchool) -> tuple[KeyRotationService, FakeKeyRotator]:
    rotator = FakeKeyRotator(school.vault, school.stores)
    return KeyRotationService(school.admin, school.vault, rotator), rotator


def school_with_leaver() -> FakeSchool:
    school = new_school()
    sign_in_as(school, "b.okafor").close()
    leaver = sign_in_as(school, "c.nguyen")
    leaver.close()
    UserAdminService(school.admin, school.vault).deactivate_user(leaver.user.id)
    return school


def test_the_plan_names_who_will_open_the_records() -> None:
    school = school_with_leaver()
    service, _ = rotation_for(school)
    plan = service.plan()
    assert plan.ready == ("b.okafor", "h.bashir")
    assert plan.need_passphrase == ()
    assert plan.recovery_ready
    assert plan.second_folder == "" and not plan.second_reachable


def test_a_rotation_keeps_the_session_open_under_the_new_key() -> None:
    school = school_with_leaver()
    service, rotator = rotation_for(school)
    old_key = bytes(school.admin.data_key)
    outcome = service.rotate()
    assert outcome.accounts == ("b.okafor", "h.bashir")
    (request,) = rotator.requests
    assert request.keep == frozenset({"b.okafor", "h.bashir"})
    assert request.actor_id == school.admin.user.id
    assert request.folders == ("",)
    new_key = bytes(school.admin.data_key)
    assert new_key != old_key
    assert not any(outcome.new_key)  # the outcome's copy is forgotten
    # The session's database was opened again, under the new key, and still works.
    assert not school.store.closed
    assert school.admin.store.users.by_username("b.okafor") is not None
    school.accounts.sign_in("b.okafor", PASSPHRASE).close()
    with pytest.raises(WrongPassphrase):
        school.accounts.sign_in("c.nguyen", PASSPHRASE)


def test_a_failure_before_the_commit_reopens_under_the_old_key() -> None:
    school = school_with_leaver()
    service, rotator = rotation_for(school)
    old_key = bytes(school.admin.data_key)
    rotator.fail_with = InvalidInput("The disk is full, so nothing was changed.")
    with pytest.raises(InvalidInput, match="disk is full"):
        service.rotate()
    assert bytes(school.admin.data_key) == old_key
    assert not school.store.closed
    assert school.admin.store.users.by_username("b.okafor") is not None


def test_a_rotation_finished_at_the_next_start_ends_the_session() -> None:
    school = school_with_leaver()
    service, rotator = rotation_for(school)
    rotator.fail_with = RotationUnfinished()
    with pytest.raises(RotationUnfinished):
        service.rotate()
    assert school.admin.closed
    assert not any(school.admin.data_key)
    assert school.store.closed
    school.accounts.sign_in("h.bashir", PASSPHRASE).close()  # under the new key


def test_older_entries_need_a_temporary_passphrase_and_a_new_recovery_code() -> None:
    school = school_with_leaver()
    school.vault.older_form = frozenset({"b.okafor", "#recovery"})
    service, rotator = rotation_for(school)
    plan = service.plan()
    assert plan.ready == ("h.bashir",)
    assert [(w.username, w.full_name) for w in plan.need_passphrase] == [("b.okafor", "B Okafor")]
    assert not plan.recovery_ready
    with pytest.raises(InvalidInput, match=r"need a temporary passphrase.*b\.okafor"):
        service.rotate({})
    with pytest.raises(InvalidInput, match=r"temporary passphrase for b\.okafor"):
        service.rotate({"b.okafor": "short"})
    with pytest.raises(InvalidInput, match="Only accounts waiting"):
        service.rotate({"b.okafor": TEMPORARY, "h.bashir": TEMPORARY})
    assert rotator.requests == []  # nothing was started
    assert not school.store.closed
    outcome = service.rotate({"b.okafor": TEMPORARY})
    assert outcome.temporary == ("b.okafor",)
    assert outcome.recovery_code
    school.accounts.sign_in("b.okafor", TEMPORARY).close()
    with pytest.raises(WrongPassphrase):
        school.accounts.sign_in("b.okafor", PASSPHRASE)


def test_only_an_administrator_may_rotate() -> None:
    school = school_with_leaver()
    staff = school.accounts.sign_in("b.okafor", PASSPHRASE)
    service = KeyRotationService(staff, school.vault, FakeKeyRotator(school.vault, school.stores))
    for attempt in (service.plan, service.rotate, service.old_backups):
        with pytest.raises(NotAllowed):
            attempt()
    assert school.admin.user.has(Role.ADMINISTRATOR)


def test_old_backups_are_listed_and_deleted_with_an_audit_entry() -> None:
    school = school_with_leaver()
    service, rotator = rotation_for(school)
    rotator.stale = [NotRotated("E:/Backups/20261001-090000-schema0008-manual", "older key")]
    assert [n.path for n in service.old_backups()] == [rotator.stale[0].path]
    with pytest.raises(InvalidInput, match="Only backups"):
        service.delete_backups(["backups/20261102-090000-schema0008-manual"])
    assert service.delete_backups([rotator.stale[0].path]) == []
    assert rotator.removed == [rotator.stale[0].path]
    assert service.old_backups() == []
    assert school.actions()[-1] == "old_backups_deleted"


def test_sign_in_finishes_an_interrupted_rotation_first_and_upgrades_older_entries() -> None:
    school = school_with_leaver()
    rotator = FakeKeyRotator(school.vault, school.stores)
    rotator.interrupted = "A change of the school's key that was interrupted has been finished."
    accounts = AccountService(school.vault, school.stores, school.clock, rotator=rotator)
    school.vault.older_form = frozenset({"b.okafor"})
    accounts.sign_in("b.okafor", PASSPHRASE).close()
    assert accounts.rotation_note.startswith("A change of the school's key")
    assert school.vault.older_form == frozenset()
    assert school.vault.upgrades == 1
    accounts.sign_in("b.okafor", PASSPHRASE).close()
    assert school.vault.upgrades == 1  # once only


def test_a_session_locked_during_the_rotation_stays_locked() -> None:
    school = school_with_leaver()
    service, _ = rotation_for(school)
    prepared = service.begin()
    school.admin.close()  # the idle timer locked the app meanwhile
    service.run(prepared)
    outcome = service.finish(prepared)
    assert school.admin.closed and not any(school.admin.data_key)
    assert not any(outcome.new_key) and not any(prepared.old_key)
    school.accounts.sign_in("h.bashir", PASSPHRASE).close()  # under the new key
