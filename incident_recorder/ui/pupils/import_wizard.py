"""The pupil import wizard: file → columns → preview → import → summary.

Nothing is written until the user presses Import on the preview page, and Import
stays disabled while any row of the file has a problem. The import itself is one
transaction in :class:`PupilImportService`."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Slot
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.mis_problems import ProblemGroup
from incident_recorder.services.changes import Changes
from incident_recorder.services.pupil_import import ImportPreview, PupilImportService
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.pupils.import_pages import FileChooser, FilePage, MappingPage, choose_csv
from incident_recorder.ui.style import ERROR_COLOUR

ERROR_STYLE = f"color: {ERROR_COLOUR};"

BLOCKED = (
    "Import is not available until these problems are put right. Correct them in your "
    "information system (or the file), export it again and choose it on the first page."
)


NO_PROBLEMS = "None: every row can be imported."
PROBLEMS_HEADING = "&Problems found in the file"
EXPAND_ALL_UP_TO = 12  # problems: fewer than this are all shown, every group open


def counts_text(result: ImportPreview) -> str:
    parts = [
        f"{result.new} new",
        f"{result.updated} updated",
        f"{result.unchanged} unchanged",
    ]
    if result.full:
        parts.append(f"{result.left} marked as left")
    return ", ".join(parts)


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their text wrapped to the list's width, so a long problem is
    read in full rather than cut off."""

    def __init__(self, tree: ProblemTree) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        depth, parent = 1, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = max(self._tree.viewport().width() - self._tree.indentation() * depth - 12, 120)
        text = QFontMetrics(opt.font).boundingRect(
            QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, opt.text
        )
        return QSize(width, text.height() + 6)


class ProblemTree(QTreeWidget):
    """The problems: one item a kind (its count and an example), its rows under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setItemDelegate(_WrappingDelegate(self))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # the wrapped rows' heights change with the width


class PreviewPage(QWizardPage):
    def __init__(
        self,
        service: PupilImportService,
        background: Background,
        file_page: FilePage,
        mapping_page: MappingPage,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._background = background
        self._file_page = file_page
        self._mapping_page = mapping_page
        self.preview: ImportPreview | None = None
        self.result: ImportPreview | None = None
        self.setTitle("Check what will happen")
        self.setSubTitle("Nothing has been changed yet.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.full = QCheckBox(
            "&Full import: this file lists every pupil on roll, so mark anyone not in it "
            "as having left"
        )
        self.full.setAccessibleName("Full import")
        self.new = QLabel()
        self.updated = QLabel()
        self.unchanged = QLabel()
        self.left = QLabel()
        self.left_label = QLabel("Will be marked as left:")
        counts = QFormLayout()
        for text, value in (
            ("New pupils:", self.new),
            ("Updated:", self.updated),
            ("Unchanged:", self.unchanged),
        ):
            label = QLabel(text)
            label.setBuddy(value)
            value.setAccessibleName(text.rstrip(":"))
            counts.addRow(label, value)
        self.left.setAccessibleName("Will be marked as left")
        counts.addRow(self.left_label, self.left)
        self.contacts_label = QLabel("<b>Parents and carers</b>")
        self.contact_notes = QLabel()
        self.contact_notes.setWordWrap(True)
        self.contact_notes.setTextFormat(Qt.TextFormat.PlainText)
        self.contact_notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contact_notes.setAccessibleName("How parents and carers were read")
        self.problems_label = QLabel(f"{PROBLEMS_HEADING}:")
        self.problems_label.setWordWrap(True)
        self.problems = ProblemTree()
        self.problems.setAccessibleName("Problems found in the file")
        self.problems.setAccessibleDescription(
            "Each kind of problem, most serious first, with how many rows have it and an "
            "example. Press the Right arrow to list a kind's rows and Left to close it."
        )
        self.problems_label.setBuddy(self.problems)
        self.blocked = QLabel(BLOCKED)
        self.blocked.setWordWrap(True)
        self.blocked.setStyleSheet(ERROR_STYLE)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName("Problem")
        layout = QVBoxLayout(self)
        layout.addWidget(self.full)
        layout.addLayout(counts)
        layout.addWidget(self.contacts_label)
        layout.addWidget(self.contact_notes)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.blocked)
        layout.addWidget(self.error)
        self.full.toggled.connect(self._on_full_toggled)

    def initializePage(self) -> None:
        self._update()

    def _update(self) -> None:
        self.preview = None
        self.error.hide()
        data = self._file_page.data or b""
        overrides, full = self._mapping_page.overrides(), self.full.isChecked()
        task = Task(
            "checking the file",
            lambda services, _progress: services.pupil_import.preview(data, overrides, full),
        )
        try:
            self.preview = self._background.call(task)
        except IncidentRecorderError as error:
            self.error.setText(str(error))
            self.error.show()
        preview = self.preview
        self.new.setText(str(preview.new) if preview else "")
        self.updated.setText(str(preview.updated) if preview else "")
        self.unchanged.setText(str(preview.unchanged) if preview else "")
        self.left.setText(str(preview.left) if preview else "")
        self.left.setVisible(self.full.isChecked())
        self.left_label.setVisible(self.full.isChecked())
        notes = preview.contact_notes if preview else ()
        self.contact_notes.setText("\n".join(f"• {note}" for note in notes))
        self.contacts_label.setVisible(bool(notes))
        self.contact_notes.setVisible(bool(notes))
        problems = preview.problems if preview else ()
        self.problems_label.setText(
            f"{PROBLEMS_HEADING} ({preview.problem_count}), most serious first:"
            if preview and problems
            else f"{PROBLEMS_HEADING}:"
        )
        self._show_problems(preview.problem_groups if preview else ())
        self.blocked.setVisible(bool(problems))
        self.completeChanged.emit()

    def _show_problems(self, groups: tuple[ProblemGroup, ...]) -> None:
        """One item a kind of problem (its count and an example), its rows under it."""
        self.problems.clear()
        if not groups:
            self.problems.addTopLevelItem(QTreeWidgetItem([NO_PROBLEMS]))
            return
        few = sum(len(g.problems) for g in groups) < EXPAND_ALL_UP_TO
        items = []
        for group in groups:
            item = QTreeWidgetItem([group.heading])
            item.setToolTip(0, group.heading)
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            if group.problems[0].row is not None:
                for problem in group.problems:
                    row = QTreeWidgetItem([problem.message])
                    row.setToolTip(0, problem.message)
                    item.addChild(row)
            self.problems.addTopLevelItem(item)
            item.setExpanded(few)
            items.append(item)
        self.problems.setCurrentItem(items[0])

    def isComplete(self) -> bool:
        return self.preview is not None and self.preview.can_import

    def validatePage(self) -> bool:
        """Import now (one transaction, on a worker thread, with Cancel until it is
        written); on failure stay here and say why."""
        data = self._file_page.data or b""
        overrides, full = self._mapping_page.overrides(), self.full.isChecked()
        task = Task(
            "importing pupils",
            lambda services, progress: services.pupil_import.run(data, overrides, full, progress),
            changes=Changes(pupils=True),
            cancellable=True,
            note="Nothing is saved until every pupil is ready: Cancel leaves the list as it was.",
        )
        try:
            self.result = self._background.call(task)
        except IncidentRecorderError as error:
            self.error.setText(str(error))
            self.error.show()
            return False
        return True

    @Slot(bool)
    def _on_full_toggled(self, _checked: bool) -> None:
        self._update()


class SummaryPage(QWizardPage):
    def __init__(self, preview_page: PreviewPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preview_page = preview_page
        self.setTitle("Pupils imported")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAccessibleName("What was imported")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def initializePage(self) -> None:
        result = self._preview_page.result
        if result is None:
            return
        self.text.setText(
            f"The import is finished: {counts_text(result)}. "
            "Nobody is ever deleted: pupils who have left stay on the list, marked as left."
        )


class ImportPupilsWizard(QWizard):
    """Choose the file, match its columns, check, import (the import announces
    ``Changes(pupils=True)`` on the background helper, for the pupil list)."""

    def __init__(
        self,
        service: PupilImportService,
        background: Background,
        chooser: FileChooser = choose_csv,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import pupils from a CSV file")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.file_page = FilePage(chooser)
        self.mapping_page = MappingPage(self.file_page)
        self.preview_page = PreviewPage(service, background, self.file_page, self.mapping_page)
        self.summary_page = SummaryPage(self.preview_page)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.summary_page):
            self.addPage(page)
        self.resize(860, 640)
