"""The disk fills while a record is being typed: the form says so plainly within a
second, keeps every word typed, and saves it by itself once space is freed, without
closing the form or the app. Through SQLite's own size limit (``max_page_count``, the
same SQLITE_FULL a full disk gives) everywhere, and on a real tiny filesystem where the
machine allows mounting one. Everyone named here is fictional."""

from __future__ import annotations

import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from incident_recorder.domain.errors import DiskFull
from incident_recorder.domain.model import NewPupil
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.session import Session
from incident_recorder.store.database import DATABASE_NAME, SqlStore
from incident_recorder.ui.form import IncidentForm
from incident_recorder.ui.form.step_what_happened import WhatHappenedPage
from incident_recorder.ui.prompter import ScriptedPrompter
from tests.fakes import FakeClock
from tests.gui.conftest import LEAD, PASSPHRASE, make_accounts
from tests.gui.form_support import page, show_form, type_text
from tests.integration.faults.mounts import fill, small_filesystem

TYPED = "Unsettled after the fire drill; would not come in from the field."
# Pasted notes, long enough that saving them needs new pages in the database file.
PASTED = "10:05 the pupil ran to the fence and shouted at the lunchtime staff. " * 300
FULL = "The disk is full, so this record could not be saved. Nothing you typed is lost"


def _type_the_record(qtbot: QtBot, form: IncidentForm) -> WhatHappenedPage:
    form.go_to(Step.WHAT_HAPPENED, focus=True)
    what = page(form, WhatHappenedPage)
    what.account.setPlainText(PASTED)
    what.antecedents.setFocus()
    type_text(qtbot, TYPED)
    return what


def _says_the_disk_is_full_then_saves_once_freed(
    qtbot: QtBot,
    form: IncidentForm,
    incidents: IncidentService,
    draft_id: int,
    free_space: object,
) -> None:
    what = _type_the_record(qtbot, form)
    # The autosave runs every 100 ms here: the plain message is there within a second.
    qtbot.waitUntil(lambda: form.save_status.text().startswith(FULL), timeout=1000)
    assert "free some space and it will be saved by itself" in form.save_status.text()
    assert what.antecedents.toPlainText() == TYPED
    assert what.account.toPlainText() == PASTED
    assert form.isVisible()
    assert callable(free_space)
    free_space()
    with qtbot.waitSignal(form.draft_saved, timeout=3000):
        pass  # the next autosave, with no restart
    assert form.save_status.text().startswith("Draft saved")
    saved = incidents.open(draft_id).details.what_happened
    assert saved.antecedents == TYPED
    assert saved.account == PASTED


def test_a_full_database_while_typing_is_said_plainly_and_saved_once_freed(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    prompter: ScriptedPrompter,
    session: Session,
) -> None:
    draft = incidents.new_draft()
    form = show_form(qtbot, incidents, directory, draft, prompter, autosave_ms=100)
    store = session.store
    assert isinstance(store, SqlStore)
    db = store.connection
    db.execute(f"PRAGMA max_page_count = {db.scalar('PRAGMA page_count')}")
    for n in range(200):  # use up the free pages too
        try:
            store.pupils.add(NewPupil("Filler", f"Pupil {n} " + "x" * 400))
        except DiskFull:
            break
    _says_the_disk_is_full_then_saves_once_freed(
        qtbot,
        form,
        incidents,
        draft.id,
        lambda: db.execute("PRAGMA max_page_count = 1073741823"),
    )


def test_a_full_disk_while_typing_on_a_real_small_filesystem(
    qtbot: QtBot,
    prompter: ScriptedPrompter,
    gui_template: Path,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    with small_filesystem(tmp_path / "tiny", "6m") as tiny:
        folder = tiny / "data"
        shutil.copytree(gui_template, folder)
        session = make_accounts(folder, clock).sign_in(LEAD, PASSPHRASE)
        try:
            incidents, directory = IncidentService(session), DirectoryService(session)
            draft = incidents.new_draft()
            form = show_form(qtbot, incidents, directory, draft, prompter, autosave_ms=100)
            filler = fill(tiny)
            _says_the_disk_is_full_then_saves_once_freed(
                qtbot, form, incidents, draft.id, filler.unlink
            )
            form.close()
        finally:
            session.close()
        assert sorted(p.name for p in folder.iterdir() if p.name.startswith(DATABASE_NAME)) == [
            DATABASE_NAME
        ]
