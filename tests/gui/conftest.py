"""Shared fixtures for the GUI tests (pytest-qt, Qt offscreen, real encrypted files).

A data folder with a school, three accounts, a few staff and pupils is set up ONCE per
test session with cheap Argon2 settings, then copied for each test, so every test gets
its own fresh encrypted database in ``tmp_path`` in a few milliseconds.

Everyone here is fictional.

Fixtures
--------
``clock``            FakeClock fixed at ``NOW`` (Friday 20/03/2026 15:30 UTC); move it with
                     ``clock.advance(...)`` / ``clock.set(...)``.
``data_dir``         this test's copy of the data folder (keyring.json, incidents.db).
``account_service``  AccountService over the real FileKeyVault and SqlStoreFactory of
                     ``data_dir``, using ``clock`` and the bundled pick-lists.
``session``          signed in as ``s.griffiths`` (Siân Griffiths, roles STAFF + SENCO +
                     SAFEGUARDING_LEAD); closed after the test if still open.
``incidents``        IncidentService(session).
``directory``        DirectoryService(session).
``make_shell``       ``make_shell(restore=False, start=True)`` -> the app's Shell over
                     ``account_service`` (idle lock and autosave a minute off; ``restore``:
                     with the app's restore service); closed after the test.
``shell``            ``make_shell()``: started, the sign-in window shown.
``restorer_for``     (a function) the app's RestoreService for a data folder.
``prompter``         a ScriptedPrompter: queue answers in ``confirm_answers`` /
                     ``text_answers``; every question asked is in ``asked``.
``pupils``           {display name: Pupil} for the pupils below.
``staff``            {full name: StaffMember} for the staff below.
``submit_record``    ``submit_record(pupil_name, day=None, **sections)`` -> a submitted
                     Incident, complete and valid, written through the services as
                     ``session``'s user. ``day`` defaults to ``INCIDENT_DAY``; keyword
                     arguments replace sections of the details (e.g. ``when_where=...``).
``start_draft``      ``start_draft(pupil_name=None)`` -> a draft Incident by ``session``'s
                     user.

Accounts (all with passphrase ``PASSPHRASE``)
    ``a.okafor``     Amara Okafor, Head teacher: ADMINISTRATOR only (the set-up account).
    ``s.griffiths``  Siân Griffiths, Deputy head: STAFF, SENCO, SAFEGUARDING_LEAD.
    ``t.nowak``      Tomasz Nowak, Teaching assistant: STAFF.
Staff without an account: Priya Shah (Midday supervisor).
Pupils: Leo Fernandes (Year 4), Maya Chen (Year 5), Oliver Bennett (Year 6),
        Zara Ahmed (Year 3).
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtWidgets import QApplication

from incident_recorder.domain.model import (
    Incident,
    IncidentDetails,
    NewPupil,
    Pupil,
    Role,
    SchoolDetails,
    StaffMember,
    Who,
)
from incident_recorder.domain.policy import Severity, outstanding
from incident_recorder.infra.picklists import load_pick_lists
from incident_recorder.services.accounts import AccountService, SetupRequest, UserAdminService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.ports import KdfParams
from incident_recorder.services.restore import RestoreService
from incident_recorder.services.session import Session, SystemClock
from incident_recorder.store.database import SqlStoreFactory
from incident_recorder.store.restore import SqlBackupRestorer
from incident_recorder.store.vault import FileKeyVault
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.shell import Shell
from tests.fakes import FakeClock, complete_details, services_opener
from tests.gui.window_titles import ShownWindows

CHEAP_KDF = KdfParams(time_cost=1, memory_kib=8192)
NOW = datetime(2026, 3, 20, 15, 30, tzinfo=UTC)
INCIDENT_DAY = date(2026, 3, 20)
PASSPHRASE = "marigold lantern violin 42"
SCHOOL = SchoolDetails(
    name="Fictional Oak Primary School",
    address="1 Imaginary Lane\nExampletown\nEX1 2AB",
    phone="01632 960000",
    email="office@oak.example",
)
ADMIN = "a.okafor"
LEAD = "s.griffiths"
STAFF_ONLY = "t.nowak"
PUPILS = (
    NewPupil("Leo", "Fernandes", year_group="Year 4", class_name="Rowan"),
    NewPupil("Maya", "Chen", year_group="Year 5", class_name="Beech"),
    NewPupil("Oliver", "Bennett", year_group="Year 6", class_name="Cedar"),
    NewPupil("Zara", "Ahmed", year_group="Year 3", class_name="Hazel"),
)


def make_accounts(folder: Path, clock: FakeClock) -> AccountService:
    return AccountService(
        FileKeyVault(folder, CHEAP_KDF), SqlStoreFactory(folder), clock, load_pick_lists()
    )


@pytest.fixture(scope="session")
def gui_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ready-made data folder, built once per test session."""
    folder = tmp_path_factory.mktemp("gui-template") / "data"
    clock = FakeClock(NOW)
    result = make_accounts(folder, clock).set_up(
        SetupRequest(
            school=SCHOOL,
            admin_full_name="Amara Okafor",
            admin_username=ADMIN,
            passphrase=PASSPHRASE,
            admin_job_title="Head teacher",
        )
    )
    session = result.session
    try:
        admin = UserAdminService(session, FileKeyVault(folder, CHEAP_KDF))
        admin.add_user(
            "Siân Griffiths",
            LEAD,
            PASSPHRASE,
            frozenset({Role.STAFF, Role.SENCO, Role.SAFEGUARDING_LEAD}),
            "Deputy head",
        )
        admin.add_user(
            "Tomasz Nowak", STAFF_ONLY, PASSPHRASE, frozenset({Role.STAFF}), "Teaching assistant"
        )
        directory = DirectoryService(session)
        directory.quick_add_staff("Priya Shah", "Midday supervisor")
        for pupil in PUPILS:
            directory.quick_add_pupil(pupil)
    finally:
        session.close()
    return folder


@pytest.fixture(autouse=True)
def windows_have_titles(qapp: QApplication) -> Iterator[ShownWindows]:
    """Every window a test sees the app show has a title (tests/gui/window_titles.py)."""
    shown = ShownWindows()
    qapp.installEventFilter(shown)
    yield shown
    qapp.removeEventFilter(shown)
    assert not shown.untitled(), f"windows shown without a title: {shown.untitled()}"


@pytest.fixture(autouse=True)
def backups_finish(qapp: QApplication) -> Iterator[None]:
    """A backup made as the app locks runs on, on a thread of its own, after the lock:
    each test waits for its own to end, so that none runs on into the next test (keeping
    that test's windows alive with the garbage collector paused) or is cut off as the
    tests end."""
    yield
    from incident_recorder.ui.backups.runner import finish_all

    assert finish_all(30_000), "a backup was still being made 30 s after the test"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def data_dir(tmp_path: Path, gui_template: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(gui_template, folder)
    return folder


@pytest.fixture
def account_service(data_dir: Path, clock: FakeClock) -> AccountService:
    return make_accounts(data_dir, clock)


@pytest.fixture
def session(account_service: AccountService) -> Iterator[Session]:
    signed_in = account_service.sign_in(LEAD, PASSPHRASE)
    yield signed_in
    signed_in.close()


@pytest.fixture
def incidents(session: Session) -> IncidentService:
    return IncidentService(session)


@pytest.fixture
def directory(session: Session) -> DirectoryService:
    return DirectoryService(session)


@pytest.fixture
def prompter() -> ScriptedPrompter:
    return ScriptedPrompter()


def restorer_for(folder: Path) -> RestoreService:
    """The restore service the app builds for ``folder`` (with the cheap test KDF)."""
    stores = SqlStoreFactory(folder)
    return RestoreService(
        SqlBackupRestorer(folder, stores.migrations().latest),
        stores,
        FileKeyVault(folder, CHEAP_KDF),
        lambda place: FileKeyVault(place, CHEAP_KDF),
        SystemClock(),
    )


@pytest.fixture
def make_shell(
    data_dir: Path, account_service: AccountService, prompter: ScriptedPrompter
) -> Iterator[Callable[..., Shell]]:
    """``make_shell(restore=False, start=True)``: the app's Shell over ``account_service``,
    with the idle lock and autosave too far off to fire; ``restore`` gives it the app's
    restore service for ``data_dir`` (so it offers "Restore from a backup…"), ``start``
    shows the first window. Whatever each opened is closed after the test."""
    made: list[Shell] = []

    def make(restore: bool = False, start: bool = True) -> Shell:
        shell = Shell(
            account_service,
            services_opener(account_service),
            prompter,
            idle_ms=60_000,
            autosave_ms=60_000,
            restore=(lambda: restorer_for(data_dir)) if restore else None,
        )
        made.append(shell)
        if start:
            shell.start()
        return shell

    yield make
    for shell in made:
        if shell.main is not None:
            shell.quit()
        if shell.sign_in is not None:
            shell.sign_in.close()


@pytest.fixture
def shell(make_shell: Callable[..., Shell]) -> Shell:
    """The app's shell, started (the sign-in window shown): see ``make_shell``."""
    return make_shell()


@pytest.fixture
def pupils(directory: DirectoryService) -> dict[str, Pupil]:
    return {p.display_name: p for p in directory.search_pupils("", 100)}


@pytest.fixture
def staff(directory: DirectoryService) -> dict[str, StaffMember]:
    return {s.full_name: s for s in directory.staff_list()}


def explained(details: IncidentDetails, incidents: IncidentService) -> IncidentDetails:
    """``details`` with a short explanation written for every warning still open."""
    for finding in outstanding(incidents.findings(details)):
        if finding.severity is Severity.WARNING and finding.explanation_field is None:
            details = details.with_explanation(finding.code, "Explained for the test.")
    return details


@pytest.fixture
def submit_record(
    incidents: IncidentService,
    pupils: dict[str, Pupil],
    staff: dict[str, StaffMember],
) -> Callable[..., Incident]:
    def submit(pupil_name: str, day: date | None = None, **sections: Any) -> Incident:
        details = complete_details(
            pupils[pupil_name].id, staff["Siân Griffiths"].id, day or INCIDENT_DAY
        )
        details = explained(dataclasses.replace(details, **sections), incidents)
        draft = incidents.new_draft(details)
        return incidents.submit(draft.id, details)

    return submit


@pytest.fixture
def start_draft(incidents: IncidentService, pupils: dict[str, Pupil]) -> Callable[..., Incident]:
    def start(pupil_name: str | None = None) -> Incident:
        pupil_id = pupils[pupil_name].id if pupil_name else None
        return incidents.new_draft(IncidentDetails(who=Who(pupil_id=pupil_id)))

    return start
