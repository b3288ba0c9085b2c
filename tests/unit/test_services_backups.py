"""The backup service on the fakes: when a backup is made, thinned and copied, what the
status and the warnings say, and who may manage them. (The real files are in
tests/integration/test_backups.py.)"""

from __future__ import annotations

import errno
from dataclasses import replace

import pytest

from incident_recorder.domain.backups import AUTOMATIC, LOCK, MANUAL
from incident_recorder.domain.errors import InvalidInput, NotAllowed, WrongPassphrase
from incident_recorder.domain.model import BackupSettings, IncidentQuery, NewPupil, Role
from incident_recorder.services.backups import BackupNotMade, BackupService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from tests.fakes import INCIDENT_DAY, FakeSchool, complete_details, new_school, sign_in_as

SECOND = "E:/Incident Recorder backups"


@pytest.fixture
def school() -> FakeSchool:
    return new_school(admin_roles=frozenset({Role.STAFF}))


def service(school: FakeSchool) -> BackupService:
    return BackupService(school.admin, "1.0")


def test_a_backup_is_made_audited_and_holds_its_own_entry(school: FakeSchool) -> None:
    outcome = service(school).back_up(MANUAL)
    assert outcome.made is not None
    assert school.actions()[-1] == "backup_made"
    assert outcome.made.audit_seq == len(school.store.data.audit)


def test_nothing_changed_means_no_automatic_backup(school: FakeSchool) -> None:
    backups = service(school)
    assert backups.back_up(AUTOMATIC, only_if_changed=True).made is not None
    school.clock.advance(minutes=30)
    assert backups.back_up(AUTOMATIC, only_if_changed=True).made is None
    assert backups.status().changed_since is False
    IncidentService(school.admin).new_draft()  # a change that is not audited: a draft
    assert backups.status().changed_since is True
    assert backups.back_up(AUTOMATIC, only_if_changed=True).made is not None


def test_signing_in_and_looking_at_records_makes_no_new_backup(school: FakeSchool) -> None:
    directory = DirectoryService(school.admin)
    pupil = directory.quick_add_pupil(NewPupil("Amara", "Okafor"))
    jo = sign_in_as(school, "j.adeyemi", full_name="Jo Adeyemi")
    assert jo.user.staff_id is not None
    record = IncidentService(jo)
    done = record.submit(
        record.new_draft().id, complete_details(pupil.id, jo.user.staff_id, INCIDENT_DAY)
    )
    backups = service(school)
    assert backups.back_up(LOCK, only_if_changed=True).made is not None
    school.clock.advance(minutes=5)
    again = sign_in_as(school, "j.adeyemi")  # signing in again, and a wrong passphrase
    with pytest.raises(WrongPassphrase):
        school.accounts.sign_in("j.adeyemi", "not the passphrase")
    IncidentService(again).open(done.id)  # looking at a record
    IncidentService(again).search(IncidentQuery())
    assert school.actions()[-1] == "view"
    assert backups.status().changed_since is False
    assert backups.back_up(LOCK, only_if_changed=True).made is None
    assert backups.back_up(LOCK, only_if_changed=True).made is None, "no backup_* entry counts"

    IncidentService(again).new_draft()  # a record started: a change
    assert backups.status().changed_since is True
    assert backups.back_up(LOCK, only_if_changed=True).made is not None


def test_a_database_whose_chain_no_longer_runs_through_the_backup_has_changed(
    school: FakeSchool,
) -> None:
    backups = service(school)
    made = backups.back_up(AUTOMATIC).made
    assert made is not None
    elsewhere = replace(made, audit_hash="0" * 64)  # as if another copy had been put back
    assert school.store.backups.changed_since(made) is False
    assert school.store.backups.changed_since(elsewhere) is True
    beyond = replace(made, audit_seq=made.audit_seq + 5)  # newer than the database
    assert school.store.backups.changed_since(beyond) is True


def test_generations_are_thinned_to_days_weeks_and_months(school: FakeSchool) -> None:
    backups = service(school)
    for _ in range(100):  # one backup a day for a hundred days, something new each day
        IncidentService(school.admin).new_draft()
        backups.back_up(AUTOMATIC, only_if_changed=True)
        school.clock.advance(days=1)
    kept = backups.generations()
    # today has none (the clock moved on); 7 days, then 4 weeks, then months.
    assert 7 + 4 <= len(kept) <= 7 + 4 + 4
    assert kept[0].made_at > kept[-1].made_at  # newest first


def test_the_newest_is_copied_to_the_second_folder_and_thinned_there(
    school: FakeSchool,
) -> None:
    backups = service(school)
    school.store.data.shelves.reachable.add(SECOND)
    backups.save_settings(replace(backups.settings(), second_folder=SECOND, daily=2))
    for _ in range(5):
        IncidentService(school.admin).new_draft()
        outcome = backups.back_up(AUTOMATIC, only_if_changed=True)
        assert outcome.copied is not None and outcome.copy_problem == ""
        school.clock.advance(days=1)
    second = backups.generations(second=True)
    assert [g.name for g in second] == [g.name for g in backups.generations()]
    assert len(second) == 2 + 1  # two days, and the newest of the week before
    assert backups.status().newest_second == second[0]


def test_an_unreachable_second_folder_is_said_plainly_and_the_backup_still_made(
    school: FakeSchool,
) -> None:
    backups = service(school)
    school.store.data.shelves.reachable.add(SECOND)
    backups.save_settings(replace(backups.settings(), second_folder=SECOND))
    school.store.data.shelves.reachable.clear()  # the USB drive is taken away
    outcome = backups.back_up(MANUAL)
    assert outcome.made is not None and outcome.copied is None
    assert "could not be reached" in outcome.copy_problem
    status = backups.status()
    assert status.second_reachable is False
    assert "cannot be reached" in status.warning


def test_a_full_disk_is_a_plain_message_and_is_audited(school: FakeSchool) -> None:
    school.store.data.shelves.fail_with = OSError(errno.ENOSPC, "No space left on device")
    with pytest.raises(BackupNotMade, match="the disk is full"):
        service(school).back_up(MANUAL)
    assert school.actions()[-1] == "backup_failed"


def test_warnings_for_the_administrator_and_later_for_everyone(school: FakeSchool) -> None:
    backups = service(school)
    assert "No second copy of the backups is set up" in backups.status().warning
    staff = BackupService(sign_in_as(school, "j.okafor"))
    backups.back_up(MANUAL)
    assert staff.status().warning == ""  # a new school, in its first week
    school.clock.advance(days=8)
    assert "over a week" in staff.status().warning
    school.store.data.shelves.reachable.add(SECOND)
    backups.save_settings(replace(backups.settings(), second_folder=SECOND))
    backups.back_up(MANUAL)
    assert backups.status().warning == "" and staff.status().warning == ""
    school.clock.advance(days=2)
    assert "No second copy of the backups has been made since" in backups.status().warning
    assert staff.status().warning == ""
    school.clock.advance(days=6)
    assert "the last was on" in staff.status().warning


def test_only_an_administrator_manages_backups(school: FakeSchool) -> None:
    senco = BackupService(sign_in_as(school, "a.patel", frozenset({Role.SENCO})))
    assert senco.may_manage is False
    with pytest.raises(NotAllowed):
        senco.generations()
    with pytest.raises(NotAllowed):
        senco.check_all()
    with pytest.raises(NotAllowed):
        senco.save_settings(BackupSettings())
    senco.back_up(AUTOMATIC)  # anyone's session makes the automatic ones


def test_settings_are_checked_and_audited(school: FakeSchool) -> None:
    backups = service(school)
    with pytest.raises(InvalidInput, match="between 5 and 1440"):
        backups.save_settings(BackupSettings(every_minutes=1))
    with pytest.raises(InvalidInput, match="cannot be written to"):
        backups.save_settings(BackupSettings(second_folder="F:/not plugged in"))
    school.store.data.shelves.reachable.add("data-folder/backups-too")
    with pytest.raises(InvalidInput, match="somewhere else"):
        backups.save_settings(BackupSettings(second_folder="data-folder/backups-too"))
    backups.save_settings(BackupSettings(every_minutes=60, monthly=24))
    assert backups.settings() == BackupSettings(every_minutes=60, monthly=24)
    assert school.actions()[-1] == "settings_changed"


def test_check_all_reports_each_generation(school: FakeSchool) -> None:
    backups = service(school)
    first = backups.back_up(MANUAL).made
    IncidentService(school.admin).new_draft()
    school.clock.advance(minutes=5)
    second = backups.back_up(MANUAL).made
    assert first is not None and second is not None
    school.store.data.shelves.problems[first.name] = ["The backup is damaged."]
    results = backups.check_all()
    assert [(r.generation.name, r.sound) for r in results] == [
        (second.name, True),
        (first.name, False),
    ]


def test_a_failed_backup_is_said_until_one_is_made(school: FakeSchool) -> None:
    backups = service(school)
    assert backups.last_failure() == ""
    school.store.data.shelves.fail_with = OSError(errno.ENOSPC, "No space left on device")
    with pytest.raises(BackupNotMade):
        backups.back_up("lock")
    said = backups.last_failure()
    assert said.startswith("The backup on lock on ")
    assert "could not be made: No space left on device. The records" in said
    school.store.data.shelves.fail_with = None
    school.clock.advance(minutes=1)
    backups.back_up(AUTOMATIC)
    assert backups.last_failure() == ""


def test_a_session_handed_on_opens_later_with_its_own_key(school: FakeSchool) -> None:
    from incident_recorder.domain.errors import SessionClosed
    from tests.fakes import services_for

    staff = sign_in_as(school, "j.okafor")
    services = services_for(school.admin)
    later = services.for_later()
    services.close()  # as on lock: the session closes before the worker opens
    worker = later.open()
    assert worker.user == services.user
    assert worker.backups.back_up(MANUAL).made is not None
    worker.close()
    assert worker.key_forgotten
    with pytest.raises(SessionClosed):
        later.open()  # once only: its copy of the key is gone
    unused = services_for(staff).for_later()
    unused.forget()
    with pytest.raises(SessionClosed):
        unused.open()
