"""The parents' view of a record: how the school office opens a record from the parents'
duties list. Not the full record: the copy for parents (the same content as the printed
copy, shown read-only) and the "Parents and carers" tab, where calls, the letter sent,
replies and the copy supplied are recorded; Print… and Save as PDF… for the copy; Close
(or Esc). Each opening is audited by the service (ids only)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.documents import OutputHow, Pdf
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.services.parents import ParentsService
from incident_recorder.services.record_document import RecordDocumentService
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.parents.copy_html import parents_copy_html
from incident_recorder.ui.parents.tab import ParentsTab
from incident_recorder.ui.printing import print_pdf, save_pdf_as
from incident_recorder.ui.prompter import Prompter

INTRO = (
    "This is the copy of the record for the pupil's parents and carers: it leaves out "
    "other pupils' names and the notes kept for staff. Record each call, the letter "
    "sent, replies and the copy supplied on the Parents and carers tab."
)


class ParentsCopyWindow(QWidget):
    """One record's parents' view, in a window of its own."""

    contacts_changed = Signal(int)  # something was recorded on the Parents tab
    closed = Signal(int)  # the window closed (it is deleted next)

    def __init__(
        self,
        records: RecordDocumentService,
        parents: ParentsService,
        incident_id: int,
        prompter: Prompter,
        background: Background,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.incident_id = incident_id
        self._records = records
        self._prompter = prompter
        self._background = background
        self.printer: QPrinter | None = None  # tests give a PDF-mode printer
        self.made: Pdf | None = None  # the copy last printed or saved
        doc = records.parents_copy(incident_id)  # raises NotAllowed: the caller says why
        self.reference = doc.reference
        self.setWindowTitle(f"Copy for parents: {doc.reference}")
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        self.copy = QTextBrowser(self)
        self.copy.setOpenLinks(False)
        self.copy.setHtml(parents_copy_html(doc))
        self.copy.setAccessibleName(f"The copy for parents of record {doc.reference}")
        self.parents_tab = ParentsTab(parents, incident_id, self, prompter=prompter)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.copy, "&The copy for parents")
        self.tabs.addTab(self.parents_tab, "&Parents and carers")
        self.print_button = QPushButton("Pr&int…", self)
        self.print_button.setAccessibleName("Print the copy for parents")
        self.save_button = QPushButton("Save as P&DF…", self)
        self.save_button.setAccessibleName("Save the copy for parents as a PDF")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._connect_signals()
        self.parents_tab.refresh()
        self.resize(900, 760)

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.close)
        self.escape.activated.connect(self.close)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.parents_tab.contacts_changed.connect(self._on_parents_tab_contacts_changed)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit(self.incident_id)
        super().closeEvent(event)

    # ------------------------------------------------------------------ the PDF

    def make_pdf(self) -> Pdf | None:
        """The copy for parents as a PDF (made off the GUI thread), or None after
        saying why it could not be made."""
        incident_id = self.incident_id
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return self._background.call(
                Task(
                    "making the copy for parents",
                    lambda services, _progress: services.records.render(incident_id, True),
                )
            )
        except IncidentRecorderError as error:
            self._prompter.warn("Could not make the PDF", str(error))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()

    def _keep(self, how: OutputHow, made: Pdf) -> None:
        self._records.record(self.incident_id, True, how, made)

    def print_copy(self) -> bool:
        made = self.make_pdf()
        if made is None:
            return False
        self.made = made
        try:
            return print_pdf(
                made.data,
                self,
                f"Record {self.reference}",
                self.printer,
                before_printing=lambda: self._keep(OutputHow.PRINTED, made),
            )
        except IncidentRecorderError as error:
            self._prompter.warn("Could not print", str(error))
            return False

    def save_copy(self) -> bool:
        made = self.make_pdf()
        if made is None:
            return False
        self.made = made
        if save_pdf_as(self, made.data, made.file_name, "Save as PDF", self._prompter) is None:
            return False
        try:
            self._keep(OutputHow.SAVED, made)
        except IncidentRecorderError as error:
            self._prompter.warn("Could not keep a note of the saved copy", str(error))
        return True

    def refresh_copy(self) -> None:
        """Read the copy again (its duties and contacts sections change as the office
        records them), keeping the place the reader had scrolled to."""
        try:
            doc = self._records.parents_copy(self.incident_id)
        except IncidentRecorderError as error:
            self._prompter.warn("Could not read the copy for parents again", str(error))
            return
        bar = self.copy.verticalScrollBar()
        at = bar.value()
        self.copy.setHtml(parents_copy_html(doc))
        bar.setValue(at)

    @Slot(int)
    def _on_parents_tab_contacts_changed(self, incident_id: int) -> None:
        self.refresh_copy()
        self.contacts_changed.emit(incident_id)

    @Slot()
    def _on_print_button_clicked(self) -> None:
        self.print_copy()

    @Slot()
    def _on_save_button_clicked(self) -> None:
        self.save_copy()


class ParentsCopyWindows(QObject):
    """The parents' views open in this session: one window a record."""

    contacts_changed = Signal(int)

    def __init__(
        self,
        window: QWidget,
        records: RecordDocumentService,
        parents: ParentsService,
        prompter: Prompter,
        background: Background,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._records = records
        self._parents = parents
        self._prompter = prompter
        self._background = background
        self.open_windows: dict[int, ParentsCopyWindow] = {}

    def open(self, incident_id: int) -> ParentsCopyWindow | None:
        found = self.open_windows.get(incident_id)
        if found is None:
            try:
                found = ParentsCopyWindow(
                    self._records,
                    self._parents,
                    incident_id,
                    self._prompter,
                    self._background,
                    self._window,
                )
            except IncidentRecorderError as error:
                self._prompter.warn("Could not open the copy for parents", str(error))
                return None
            self.open_windows[incident_id] = found
            found.closed.connect(self._on_window_closed)
            found.contacts_changed.connect(self.contacts_changed)
        found.show()
        found.raise_()
        found.activateWindow()
        return found

    @Slot(int)
    def _on_window_closed(self, incident_id: int) -> None:
        self.open_windows.pop(incident_id, None)

    def close_all(self) -> None:
        for window in list(self.open_windows.values()):
            window.close()
        self.open_windows.clear()
