"""Administration ▸ Letter wording…: the wording of the letter to parents and carers.

Left, the wording; right, the real PDF of a sample letter (made-up facts, the school's
letterhead and logo), made again 400 ms after typing stops; below, any problems in
plain words (Save is off while there are any); at the side, the placeholders
(double-click to insert) and the saved versions. Saving makes a new version: letters
already made keep the version they used.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.documents import LetterTemplateVersion
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.letters import TEMPLATE_CONDITIONS, TEMPLATE_FIELDS
from incident_recorder.services.letter_templates import LetterTemplateService
from incident_recorder.services.session import to_local
from incident_recorder.services.settings import SettingsService
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.printing import LoadedPdf
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.style import message_label, show_message

PREVIEW_DELAY_MS = 400
SAVED_TEXT = (
    "Saved as version {n}. Letters from now on use it; letters already made keep the "
    "version they used."
)


def version_text(version: LetterTemplateVersion, zone: str) -> str:
    """ "Version 2 — saved 20/11/2026 14:05 by Jo Admin" or "Shipped default"."""
    if version.saved_at is None:
        return "Shipped default"
    when = to_local(version.saved_at, zone)
    by = f" by {version.saved_by_name}" if version.saved_by_name else ""
    return f"Version {version.version} — saved {when:%d/%m/%Y %H:%M}{by}"


class LetterWordingDialog(QDialog):
    """``wording_saved(int)`` carries the new version's number."""

    wording_saved = Signal(int)

    def __init__(
        self,
        templates: LetterTemplateService,
        settings: SettingsService,
        prompter: Prompter,
        background: Background,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from PySide6.QtPdfWidgets import QPdfView

        self._templates = templates
        self._background = background
        self._settings = settings
        self._prompter = prompter
        self._saved_text = templates.current().text
        self._pdf: LoadedPdf | None = None
        self.setWindowTitle("Letter wording")
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("Letter wording")
        self.editor.setTabChangesFocus(True)
        editor_label = QLabel("&Wording of the letter to parents and carers:", self)
        editor_label.setBuddy(self.editor)
        self.problems = message_label("error", self)
        self.problems.setAccessibleName("Problems with the wording")
        self.cautions = message_label("banner", self)
        self.message = message_label("info", self)
        self.placeholders = QListWidget(self)
        self.placeholders.setAccessibleName("Placeholders: double-click or press Enter to insert")
        places_label = QLabel("Place&holders (double-click to insert):", self)
        places_label.setBuddy(self.placeholders)
        for name, meaning in (*TEMPLATE_FIELDS.items(), *TEMPLATE_CONDITIONS.items()):
            condition = name in TEMPLATE_CONDITIONS
            shown = f"[if {name}] … [end]" if condition else f"{{{name}}}"
            item = QListWidgetItem(f"{shown} — {meaning}")
            item.setData(Qt.ItemDataRole.UserRole, f"[if {name}]\n\n[end]" if condition else shown)
            item.setToolTip(meaning)
            self.placeholders.addItem(item)
        self.history = QComboBox(self)
        self.history.setAccessibleName("Saved versions")
        history_label = QLabel("&Versions:", self)
        history_label.setBuddy(self.history)
        self.load_button = QPushButton("&Load this version", self)
        self.restore_button = QPushButton("&Restore shipped wording", self)
        self.preview = QPdfView(self)
        self.preview.setAccessibleName("Preview of a sample letter (made-up facts)")
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        preview_label = QLabel("Sample letter (made-up facts, your school's letterhead):", self)
        self.save_button = QPushButton("&Save as a new version", self)
        self.close_button = QPushButton("&Close", self)
        for button in (self.load_button, self.restore_button, self.save_button):
            button.setAutoDefault(False)  # Enter in the editor's lists must not press them
        self.close_button.setAutoDefault(False)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self._layout(editor_label, places_label, history_label, preview_label)
        self._connect_signals()
        self._fill_history()
        self.editor.setPlainText(self._saved_text)
        self.render_preview()
        self.resize(1280, 860)

    def _layout(self, *labels: QLabel) -> None:
        editor_label, places_label, history_label, preview_label = labels
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(editor_label)
        left_layout.addWidget(self.editor, 3)
        left_layout.addWidget(self.problems)
        left_layout.addWidget(self.cautions)
        left_layout.addWidget(places_label)
        left_layout.addWidget(self.placeholders, 2)
        versions = QHBoxLayout()
        versions.addWidget(history_label)
        versions.addWidget(self.history, 1)
        versions.addWidget(self.load_button)
        left_layout.addLayout(versions)
        left_layout.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignLeft)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(preview_label)
        right_layout.addWidget(self.preview, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([640, 640])
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        outer = QVBoxLayout(self)
        outer.addWidget(splitter, 1)
        outer.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.placeholders.itemActivated.connect(self._on_placeholders_item_activated)
        self.load_button.clicked.connect(self._on_load_button_clicked)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self.reject)

    def _fill_history(self) -> None:
        zone = self._settings.school_details().timezone
        self.history.clear()
        for version in self._templates.history():
            self.history.addItem(version_text(version, zone), version.version)

    # ------------------------------------------------------------------ state

    def text(self) -> str:
        return self.editor.toPlainText()

    def has_changes(self) -> bool:
        return self.text() != self._saved_text

    def _check(self) -> list[str]:
        problems = self._templates.problems(self.text())
        show_message(self.problems, "\n".join(problems), "error" if problems else None)
        self.problems.setVisible(bool(problems))
        self.save_button.setEnabled(not problems and self.has_changes())
        cautions = [] if problems else self._templates.cautions(self.text())
        show_message(self.cautions, "\n".join(cautions), "banner")
        return problems

    def render_preview(self) -> None:
        """Make the sample letter again from the wording (unless it has problems)."""
        if self._check():
            return
        try:
            text = self.text()
            sample = self._background.call(
                Task(
                    "making the sample letter",
                    lambda services, _p: services.letter_templates.sample_pdf(text),
                )
            )
            pdf = LoadedPdf(sample.data)
        except IncidentRecorderError as error:
            show_message(self.problems, str(error), "error")
            self.problems.setVisible(True)
            return
        self.preview.setDocument(pdf.document)
        if self._pdf is not None:
            self._pdf.close()
        self._pdf = pdf

    def preview_pages(self) -> int:
        return self._pdf.pages if self._pdf is not None else 0

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_editor_text_changed(self) -> None:
        show_message(self.message, "")
        self._check()
        self.timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.render_preview()

    @Slot(QListWidgetItem)
    def _on_placeholders_item_activated(self, item: QListWidgetItem) -> None:
        self.editor.insertPlainText(str(item.data(Qt.ItemDataRole.UserRole)))
        self.editor.setFocus()

    @Slot()
    def _on_load_button_clicked(self) -> None:
        number = self.history.currentData()
        if number is None:
            return
        try:
            self.editor.setPlainText(self._templates.version(int(number)).text)
        except IncidentRecorderError as error:
            self._prompter.warn("Could not load that version", str(error))

    @Slot()
    def _on_restore_button_clicked(self) -> None:
        self.editor.setPlainText(self._templates.version(0).text)
        show_message(self.message, "The shipped wording is in the editor: choose Save to use it.")

    @Slot()
    def _on_save_button_clicked(self) -> None:
        try:
            saved = self._templates.save(self.text())
        except IncidentRecorderError as error:
            show_message(self.problems, str(error), "error")
            self.problems.setVisible(True)
            return
        self._saved_text = self.text()
        self._fill_history()
        self._check()
        show_message(self.message, SAVED_TEXT.format(n=saved.version), "info")
        self.wording_saved.emit(saved.version)

    def reject(self) -> None:
        """Close (Close, Esc or the window's close box), asking first about unsaved
        changes."""
        if self.has_changes() and not self._prompter.confirm(
            "Letter wording",
            "You have changed the wording but not saved it. Close without saving?",
            yes="Close without saving",
            no="Keep editing",
        ):
            return
        self.timer.stop()
        super().reject()

    def done(self, result: int) -> None:
        self.timer.stop()
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None
        super().done(result)
