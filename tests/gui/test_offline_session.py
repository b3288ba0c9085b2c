"""Offline by design, in the app's own process: with every network socket refused, a
whole session runs through the real windows (tests/conftest_offline.py's guard; local
AF_UNIX sockets, which Qt may use, stay allowed).

Set-up wizard -> the administrator adds a member of staff -> sign out -> the member of
staff signs in on the sign-in window -> a record is opened in the form and submitted ->
the copy for parents is made as a PDF -> the administrator (who signs off) signs in
and makes the letter from the record view, previewed with QtPdf -> the user guide and
About open -> sign out. Everyone named is fictional.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWizard

from incident_recorder.domain.model import Contact, LetterSettings, NewPupil, Role
from incident_recorder.domain.steps import Step
from incident_recorder.ui.form import IncidentForm
from incident_recorder.ui.letters.letter_dialog import LetterDialog
from incident_recorder.ui.pdf_preview import PdfPreviewDialog
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.shell import Shell
from tests.conftest_offline import network_blocked
from tests.fakes import FakeClock, complete_details, services_opener
from tests.gui.conftest import INCIDENT_DAY, NOW, PASSPHRASE, explained, make_accounts

SCHOOL = "Fictional Birch Primary School"
ADMIN_NAME, ADMIN = "Hana Bashir", "h.bashir"
STAFF_NAME, STAFF = "Jo Adeyemi", "j.adeyemi"


def test_a_whole_session_runs_with_every_network_socket_refused(
    qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "school"
    folder.mkdir()
    accounts = make_accounts(folder, FakeClock(NOW))
    with network_blocked() as guard:
        prompter = ScriptedPrompter()
        shell = Shell(accounts, services_opener(accounts), prompter=prompter, autosave_ms=60_000)
        shell.start(set_up=False)
        wizard = shell.wizard
        assert wizard is not None
        qtbot.waitExposed(wizard)

        # 1. Set-up: the school, the first administrator (who also signs off), Create.
        qtbot.keyClicks(wizard.school_page.name, SCHOOL)
        qtbot.keyClicks(wizard.school_page.address, "4 Imaginary Road, Exampletown")
        wizard.next()
        assert wizard.currentPage() is wizard.admin_page
        admin = wizard.admin_page
        qtbot.keyClicks(admin.full_name, ADMIN_NAME)
        assert admin.username.text() == ADMIN
        qtbot.keyClicks(admin.passphrase, PASSPHRASE)
        qtbot.keyClicks(admin.confirm, PASSPHRASE)
        admin.signs_off.setChecked(True)
        wizard.next()
        assert wizard.currentPage() is wizard.confirm_page
        with qtbot.waitSignal(wizard.setup_completed):
            wizard.next()  # Create
            wizard.recovery_page.confirmed.setChecked(True)
            qtbot.mouseClick(
                wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
            )
        qtbot.waitUntil(lambda: shell.main is not None and shell.services is not None)
        assert shell.services is not None
        assert shell.services.user_admin is not None
        shell.services.user_admin.add_user(
            STAFF_NAME, STAFF, PASSPHRASE, frozenset({Role.STAFF}), "Teaching assistant"
        )

        # 2. Sign out; the member of staff signs in on the sign-in window.
        assert shell.main is not None
        shell.main.sign_out_action.trigger()
        qtbot.waitUntil(lambda: shell.sign_in is not None and shell.sign_in.isVisible())
        sign_in = shell.sign_in
        assert sign_in is not None
        sign_in.username.setText(STAFF)
        sign_in.passphrase.setFocus()
        qtbot.keyClicks(sign_in.passphrase, PASSPHRASE)
        with qtbot.waitSignal(sign_in.signed_in):
            qtbot.keyClick(sign_in.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(
            lambda: shell.services is not None and shell.services.user.username == STAFF
        )
        session, main = shell.services, shell.main
        assert session is not None and main is not None and session.user.staff_id is not None

        # 3. A record: the draft is written, then opened in the form and submitted there.
        pupil = session.directory.quick_add_pupil(NewPupil("Amara", "Okafor"))
        incidents = session.incidents
        draft = incidents.new_draft()
        details = complete_details(pupil.id, session.user.staff_id, INCIDENT_DAY)
        incidents.save_draft(draft.id, explained(details, incidents))
        main.refresh()
        main.open_incident(draft.id)  # as a double-click in My drafts does
        form = main.windows.forms.get(draft.id)
        assert isinstance(form, IncidentForm)
        form.go_to(Step.REVIEW)
        assert form.review.submit.isEnabled()
        prompter.confirm_answers.append(True)  # "Submit this record?"
        with qtbot.waitSignal(form.incident_submitted) as submitted:
            qtbot.mouseClick(form.review.submit, Qt.MouseButton.LeftButton)
        done = incidents.open(submitted.args[0])
        assert done.reference == "2026-0001"

        # 4. The copy for parents, as a PDF in memory.
        pdf = session.records.render(done.id, for_parents=True)
        assert pdf.data.startswith(b"%PDF-")

        # 5. The administrator (who also signs off) signs in again and makes the letter
        # from the record view: the copies are listed and one is previewed with QtPdf.
        main.sign_out_action.trigger()
        qtbot.waitUntil(lambda: shell.sign_in is not None and shell.sign_in.isVisible())
        sign_in = shell.sign_in
        assert sign_in is not None
        sign_in.username.setText(ADMIN)
        sign_in.passphrase.setFocus()
        qtbot.keyClicks(sign_in.passphrase, PASSPHRASE)
        with qtbot.waitSignal(sign_in.signed_in):
            qtbot.keyClick(sign_in.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(
            lambda: shell.services is not None and shell.services.user.username == ADMIN
        )
        session, main = shell.services, shell.main
        assert session is not None and main is not None
        parent = Contact(
            "Mrs Ngozi Okafor",
            "Mother",
            parental_responsibility=True,
            address="9 Imaginary Lane\nExampletown\nEX1 2AB",
            receives_correspondence=True,
        )
        session.pupils.update(dataclasses.replace(pupil, contacts=(parent,)))
        letters = LetterSettings(
            signatory_name=ADMIN_NAME, contact_name=ADMIN_NAME, contact_phone="01632 960 000"
        )
        session.settings.save_school_and_letters(session.settings.school_details(), letters)
        view = main.windows.open_record(done.id)
        assert view is not None
        button = view.findChild(QPushButton, "letter_button")
        assert isinstance(button, QPushButton) and button.isEnabled()
        button.click()
        dialog = main.letter_actions.last_dialog
        assert isinstance(dialog, LetterDialog) and dialog.copies.count() == 1
        preview = dialog.preview(0)
        assert isinstance(preview, PdfPreviewDialog) and preview.page_count() >= 1
        assert b"%PDF-" in dialog.pdf(0)[:8]
        preview.close()
        dialog.close()
        view.close()

        # 6. Help: the guide and About, then sign out.
        main.help_actions.guide_action.trigger()
        assert main.help_actions.guide is not None
        assert "Backups" in main.help_actions.guide.browser.toPlainText()
        main.help_actions.about_action.trigger()
        assert main.help_actions.about is not None
        assert main.help_actions.about.values["Audit log head"].text().startswith("entry ")
        main.help_actions.about.close()
        main.sign_out_action.trigger()
        qtbot.waitUntil(lambda: shell.sign_in is not None and shell.sign_in.isVisible())
        for window in QApplication.topLevelWidgets():
            window.close()
    assert guard.attempts == [], f"the app tried to use the network: {guard.attempts}"
