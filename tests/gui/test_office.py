"""The School office in the GUI (issue 13): signed in as the office, the main window is
the parents' duties list (no incident lists, nothing that leads nowhere); opening a
row shows the parents' view (the copy for parents, without the internal account, and
the Parents and carers tab), where the copy supplied is recorded and the list updates;
the copy is printed and saved as a PDF (read back with pdftotext). Everyone here is
fictional."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QTextBrowser

from incident_recorder.domain.model import Incident, ParentsContact, ParentsStatus, Role
from incident_recorder.domain.parents_copy import CopyHow
from incident_recorder.services.accounts import AccountService, UserAdminService
from incident_recorder.services.session import Session
from incident_recorder.store.vault import FileKeyVault
from incident_recorder.ui.main_window import OFFICE_INTRO, MainWindow
from incident_recorder.ui.parents.copy_window import ParentsCopyWindow
from incident_recorder.ui.parents.supply import SupplyDialog
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.shell import Shell
from tests.fakes import services_for
from tests.gui.conftest import ADMIN, CHEAP_KDF, PASSPHRASE
from tests.gui.form_support import signed_in as finish_sign_in

OFFICE = "d.whitlow"
SHOTS = os.environ.get("OFFICE_SHOTS")
SUMMARY = "Leo was upset after break and was guided to the quiet room to calm down."
NOT_YET = ParentsContact(
    status=ParentsStatus.NOT_YET,
    not_yet_reason="No answer at lunchtime.",
    summary_for_parents=SUMMARY,
)
ACCOUNT = "the pupil climbed on the desk"  # from the internal account (tests/fakes.py)
WITHHELD = ParentsContact(
    status=ParentsStatus.WITHHELD,
    withheld_reason="A disclosure about home",
    withheld_decided_by="Siân Griffiths",
    la_told_at=datetime(2026, 3, 20, 14, 0),
    la_told_who="Duty desk",
)


def _shot(widget: object, name: str) -> None:
    if SHOTS:
        QApplication.processEvents()
        widget.grab().save(os.path.join(SHOTS, name))  # type: ignore[attr-defined]


@pytest.fixture
def office(data_dir: Path, account_service: AccountService) -> Iterator[Session]:
    """Dana Whitlow, School office manager: the School office role only."""
    admin = account_service.sign_in(ADMIN, PASSPHRASE)
    try:
        UserAdminService(admin, FileKeyVault(data_dir, CHEAP_KDF)).add_user(
            "Dana Whitlow", OFFICE, PASSPHRASE, frozenset({Role.OFFICE}), "School office manager"
        )
    finally:
        admin.close()
    signed_in = account_service.sign_in(OFFICE, PASSPHRASE)
    yield signed_in
    signed_in.close()


@pytest.fixture
def office_window(
    qtbot: QtBot, office: Session, prompter: ScriptedPrompter
) -> Iterator[Callable[[], MainWindow]]:
    made: list[MainWindow] = []

    def make() -> MainWindow:
        w = MainWindow(services_for(office), prompter, autosave_ms=60000)
        qtbot.addWidget(w)
        with qtbot.waitActive(w):
            w.show()
            w.activateWindow()
        made.append(w)
        return w

    yield make
    for w in made:
        w.shut_down()


def _menu_entries(window: MainWindow) -> dict[str, list[str]]:
    """Every visible menu and its visible entries, as the user sees them."""
    out: dict[str, list[str]] = {}
    for action in window.menuBar().actions():
        menu = action.menu()
        if not action.isVisible() or menu is None:
            continue
        out[action.text().replace("&", "")] = [
            a.text().replace("&", "")
            for a in menu.actions()  # type: ignore[attr-defined]
            if a.isVisible() and not a.isSeparator()
        ]
    return out


def _pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _open_first(qtbot: QtBot, w: MainWindow) -> ParentsCopyWindow:
    assert w.duties is not None
    w.duties.table.setCurrentIndex(w.duties.model.index(0, 0))
    w.duties.table.setFocus()
    qtbot.keyClick(w.duties.table, Qt.Key.Key_Return)
    found = w.parents_copies.open_windows
    assert len(found) == 1
    view = next(iter(found.values()))
    qtbot.waitUntil(view.isActiveWindow)  # shown in front, ready for the keyboard
    return view


def test_the_office_main_window_is_the_parents_duties_list(
    qtbot: QtBot,
    office_window: Callable[[], MainWindow],
    submit_record: Callable[..., Incident],
) -> None:
    first = submit_record("Leo Fernandes", parents=NOT_YET)
    submit_record("Maya Chen", parents=WITHHELD)  # stays with safeguarding leads
    w = office_window()
    assert w.duties is not None and w.duties.isVisible()
    assert not w.tabs.isVisible() and not w.incidents.isVisible()
    assert OFFICE_INTRO in [label.text() for label in w.findChildren(type(w.user_label))]
    rows = w.duties.model.rows
    assert [r.reference for r in rows] == [first.reference]
    assert w.parents_actions.badge.text() == "Parents' duties (1)"
    # Nothing that leads nowhere: no New incident, Discard, sorting or Pupils menu.
    entries = _menu_entries(w)
    assert "Pupils" not in entries and "Administration" not in entries
    assert entries["File"][:1] == ["Open"] and "New incident" not in entries["File"]
    assert not any(e.startswith("Sort") for e in entries["View"])
    assert any(e.startswith("Parents' duties") for e in entries["View"])
    assert not w.new_action.isVisible() and not w.discard_action.isVisible()
    assert w.open_action.isEnabled()  # the first row is chosen
    assert "School office" in w.user_label.text()
    # View ▸ Parents' duties brings the list forward (no second window).
    w.parents_actions.action.trigger()
    assert w.parents_actions.to_tell_window is w.duties
    w.resize(1100, 600)
    _shot(w, "office-main-window.png")


def test_opening_a_row_shows_the_copy_for_parents_and_the_supplied_copy_updates_the_list(
    qtbot: QtBot,
    office_window: Callable[[], MainWindow],
    submit_record: Callable[..., Incident],
    office: Session,
) -> None:
    record = submit_record("Leo Fernandes", parents=NOT_YET)
    w = office_window()
    view = _open_first(qtbot, w)
    assert view.windowTitle() == f"Copy for parents: {record.reference}"
    assert isinstance(view.copy, QTextBrowser) and view.copy.isReadOnly()
    assert view.copy.accessibleName() == f"The copy for parents of record {record.reference}"
    text = view.copy.toPlainText()
    assert "Copy for parents and carers" in text and SUMMARY in text
    assert ACCOUNT not in text and "A visiting music teacher" not in text
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "&The copy for parents",
        "&Parents and carers",
    ]
    audit = [e for e in office.store.audit.entries() if e.actor_id == office.user.id]
    assert [(e.action, e.detail) for e in audit if e.action.startswith("view")] == [
        ("view_parents_copy", record.reference)
    ]
    view.resize(900, 760)
    _shot(view, "office-parents-view-copy.png")

    # The copy supplied, through the Parents and carers tab: the list says what is left.
    view.tabs.setCurrentWidget(view.parents_tab)
    panel = view.parents_tab.duties
    assert panel.supply_button.isEnabled()

    def fill(dialog: SupplyDialog) -> bool:
        if dialog.problem.text():
            return False
        dialog.parent_name.setCurrentText("Mrs Ana Fernandes")
        dialog.how.setCurrentIndex(dialog.how.findData(CopyHow.HANDED.value))
        dialog.at.set_value(datetime(2026, 3, 20, 15, 20))
        return True

    panel.run_dialog = fill
    assert panel.record_supplied()
    assert "handed over to the parents on 20/03/2026" in panel.duties.text()
    # The copy on the first tab says so too (read again, and audited again).
    assert "The written record was handed over to the parents" in view.copy.toPlainText()
    assert w.duties is not None
    assert [r.missing for r in w.duties.model.rows] == ["Not told yet; no letter sent"]
    assert w.parents_actions.badge.text() == "Parents' duties (1)"
    _shot(view, "office-parents-view-tab.png")
    # Esc closes the parents' view.
    view.tabs.setCurrentWidget(view.copy)
    view.copy.setFocus()
    qtbot.keyClick(view.copy, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not w.parents_copies.open_windows)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_copy_for_parents_is_printed_and_saved_as_a_pdf(
    qtbot: QtBot,
    office_window: Callable[[], MainWindow],
    submit_record: Callable[..., Incident],
    office: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record = submit_record("Leo Fernandes", parents=NOT_YET)
    view = _open_first(qtbot, office_window())
    saved = tmp_path / "copy.pdf"
    proposed: list[str] = []

    def choose(_parent: object, name: str, _title: str = "") -> Path:
        proposed.append(name)
        return saved

    monkeypatch.setattr("incident_recorder.ui.printing.choose_pdf_path", choose)
    view.save_button.click()
    assert saved.exists() and proposed and "Fernandes" not in proposed[0]
    text = " ".join(_pdftotext(saved).split())
    assert "Copy for parents and carers" in text and str(record.reference) in text
    assert " ".join(SUMMARY.split()[:6]) in text
    assert ACCOUNT not in text and "Full record" not in text

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(72)
    view.printer = printer
    assert view.print_copy()
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
    outputs = office.store.documents.outputs_for(record.id)
    assert sorted((o.kind.value, o.how.value) for o in outputs) == [
        ("record_for_parents", "printed"),
        ("record_for_parents", "saved"),
    ]


def test_signing_in_as_the_office_opens_the_parents_duties_list(
    qtbot: QtBot,
    office: Session,
    make_shell: Callable[..., Shell],
    submit_record: Callable[..., Incident],
) -> None:
    submit_record("Leo Fernandes", parents=NOT_YET)
    shell = make_shell()
    window = shell.sign_in
    assert window is not None
    window.username.setText(OFFICE)
    window.passphrase.setText(PASSPHRASE)
    window.sign_in_button.click()
    finish_sign_in(qtbot, window)
    main = shell.main
    assert main is not None and main.duties is not None
    qtbot.waitUntil(lambda: main.duties is not None and main.duties.model.rowCount() == 1)
    assert main.parents_actions.badge.text() == "Parents' duties (1)"


def test_the_set_up_wizard_and_add_account_offer_the_school_office(
    qtbot: QtBot, tmp_path: Path, data_dir: Path, account_service: AccountService
) -> None:
    from incident_recorder.ui.accounts.add_account import AddAccountDialog
    from incident_recorder.ui.setup import SetupWizard
    from tests.fakes import FakeClock
    from tests.gui.conftest import NOW, make_accounts

    folder = tmp_path / "new"
    folder.mkdir()
    wizard = SetupWizard(make_accounts(folder, FakeClock(NOW)))
    qtbot.addWidget(wizard)
    admin = wizard.admin_page
    assert admin.office.accessibleName().startswith("I also tell parents for the school office")
    admin.office.setChecked(True)
    assert admin.extra_roles() == frozenset({Role.OFFICE})

    session = account_service.sign_in(ADMIN, PASSPHRASE)
    try:
        dialog = AddAccountDialog(UserAdminService(session, FileKeyVault(data_dir, CHEAP_KDF)))
        qtbot.addWidget(dialog)
        box = dialog.role_boxes[Role.OFFICE]
        assert box.text() == "School off&ice" and box.accessibleName() == "School office"
        assert "not the full record" in box.accessibleDescription()
        box.setChecked(True)
        assert dialog.roles() == frozenset({Role.OFFICE})
    finally:
        session.close()


def test_staff_who_are_also_the_office_keep_their_lists_and_open_others_as_the_copy(
    qtbot: QtBot,
    data_dir: Path,
    account_service: AccountService,
    prompter: ScriptedPrompter,
    submit_record: Callable[..., Incident],
) -> None:
    record = submit_record("Leo Fernandes", parents=NOT_YET)  # by the lead: not theirs
    admin = account_service.sign_in(ADMIN, PASSPHRASE)
    try:
        UserAdminService(admin, FileKeyVault(data_dir, CHEAP_KDF)).add_user(
            "Gwen Parry", "g.parry", PASSPHRASE, frozenset({Role.STAFF, Role.OFFICE})
        )
    finally:
        admin.close()
    both = account_service.sign_in("g.parry", PASSPHRASE)
    try:
        w = MainWindow(services_for(both), prompter, autosave_ms=60000)
        qtbot.addWidget(w)
        w.show()
        assert w.duties is None and w.new_action.isVisible() and w.new_action.isEnabled()
        actions = w.parents_actions
        listing = actions.show_to_tell()
        assert [r.reference for r in listing.model.rows] == [record.reference]
        actions.open_row(record.id)
        assert list(w.parents_copies.open_windows) == [record.id]
        w.shut_down()
        assert not w.parents_copies.open_windows
    finally:
        both.close()
