"""The main window's Pupils menu: the pupil list (everyone) and "Import pupils from a
CSV file…" (administrators and SENCOs). Keeps the windows it opens."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from incident_recorder.domain.model import Pupil
from incident_recorder.services.changes import Changes
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.pupil_import import PupilImportService
from incident_recorder.services.pupils import PupilService
from incident_recorder.ui.background import Background
from incident_recorder.ui.pupils.import_pages import FileChooser, choose_csv
from incident_recorder.ui.pupils.import_wizard import ImportPupilsWizard
from incident_recorder.ui.pupils.pupil_page import PupilPage
from incident_recorder.ui.pupils.pupils_window import PupilsWindow
from incident_recorder.ui.quick_add import QuickAddPupilDialog


def _front(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()


class PupilActions(QObject):
    def __init__(
        self,
        window: QMainWindow,
        pupils: PupilService,
        pupil_import: PupilImportService,
        incidents: IncidentService,
        directory: DirectoryService,
        open_record: Callable[[int], object],
        background: Background,
        chooser: FileChooser = choose_csv,
        extend_page: Callable[[PupilPage, Pupil], None] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._background = background
        self._incidents = incidents
        self._directory = directory
        self._open_record = open_record
        self._chooser = chooser
        self._extend_page = extend_page  # e.g. the behaviour support plan section
        self.service = pupils
        self._import = pupil_import
        self.list_window: PupilsWindow | None = None
        self.wizard: ImportPupilsWizard | None = None
        self.pages: dict[int, PupilPage] = {}
        self.add_dialog: QuickAddPupilDialog | None = None
        self.list_action = QAction("Pupil &list…", window)
        self.import_action = QAction("&Import pupils from a CSV file…", window)
        self.import_action.setVisible(self.service.may_edit)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.list_action.triggered.connect(self._on_list_action_triggered)
        self.import_action.triggered.connect(self._on_import_action_triggered)
        self._background.changed.connect(self._on_background_changed)

    def install(self, menu: QMenu) -> None:
        """Put the pupil list and the import at the top of ``menu`` (the Pupils menu)."""
        first = next(iter(menu.actions()), None)
        if first is None:
            menu.addActions([self.list_action, self.import_action])
            return
        menu.insertActions(first, [self.list_action, self.import_action])
        menu.insertSeparator(first)

    def close_all(self) -> None:
        for window in [self.wizard, self.list_window, *self.pages.values()]:
            if window is not None:
                window.close()

    def open_list(self) -> PupilsWindow:
        if self.list_window is None:
            self.list_window = PupilsWindow(self.service, self._window)
            self.list_window.setWindowFlag(Qt.WindowType.Window)
            self.list_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.list_window.pupil_opened.connect(self._on_list_window_pupil_opened)
            self.list_window.add_requested.connect(self._on_list_window_add_requested)
            self.list_window.import_requested.connect(self._on_import_action_triggered)
            self.list_window.destroyed.connect(self._on_list_window_destroyed)
        _front(self.list_window)
        return self.list_window

    def open_pupil(self, pupil: Pupil) -> PupilPage:
        page = self.pages.get(pupil.id)
        if page is None:
            page = PupilPage(
                self.service.get(pupil.id), self.service, self._incidents, self._window
            )
            page.setWindowFlag(Qt.WindowType.Window)
            page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            page.record_requested.connect(self._on_page_record_requested)
            page.pupil_changed.connect(self._on_page_pupil_changed)
            pupil_id = pupil.id
            page.destroyed.connect(lambda _=None, i=pupil_id: self.pages.pop(i, None))
            self.pages[pupil.id] = page
            if self._extend_page is not None:
                self._extend_page(page, pupil)
        _front(page)
        return page

    def open_import(self) -> ImportPupilsWizard:
        if self.wizard is None:
            self.wizard = ImportPupilsWizard(
                self._import, self._background, self._chooser, self._window
            )
            self.wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.wizard.destroyed.connect(self._on_wizard_destroyed)
        _front(self.wizard)
        return self.wizard

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_list_action_triggered(self) -> None:
        self.open_list()

    @Slot()
    def _on_import_action_triggered(self) -> None:
        self.open_import()

    @Slot(object)
    def _on_list_window_pupil_opened(self, pupil: Pupil) -> None:
        self.open_pupil(pupil)

    @Slot()
    def _on_list_window_add_requested(self) -> None:
        dialog = QuickAddPupilDialog(self._directory, self.list_window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._on_add_dialog_accepted)
        self.add_dialog = dialog
        dialog.open()

    @Slot()
    def _on_add_dialog_accepted(self) -> None:
        dialog, self.add_dialog = self.add_dialog, None
        if dialog is None or dialog.pupil is None:
            return
        self._background.announce(Changes(pupils=True))
        self.open_pupil(dialog.pupil)

    @Slot(int)
    def _on_page_record_requested(self, incident_id: int) -> None:
        self._open_record(incident_id)

    @Slot(int)
    def _on_page_pupil_changed(self, _pupil_id: int) -> None:
        self._background.announce(Changes(pupils=True))

    @Slot(object)
    def _on_background_changed(self, changes: Changes) -> None:
        if changes.pupils and self.list_window is not None:
            self.list_window.refresh()

    @Slot()
    def _on_list_window_destroyed(self) -> None:
        self.list_window = None

    @Slot()
    def _on_wizard_destroyed(self) -> None:
        self.wizard = None
