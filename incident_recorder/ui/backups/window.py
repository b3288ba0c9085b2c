"""Administration ▸ Backups…: every backup in the data folder's backups and in the second
folder, Back up now, Check all backups, the second folder, and how often and how many.

Reading the folders, making a backup and checking them run on the background helper's
worker (a second folder on a slow share must not freeze the window); the settings are
saved through the service, which says plainly what it refuses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.backups import MANUAL, Generation, size_words
from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import BackupSettings
from incident_recorder.services.backups import (
    BackupOutcome,
    BackupService,
    BackupStatus,
    GenerationCheck,
)
from incident_recorder.services.bundle import Services
from incident_recorder.services.ports import Progress
from incident_recorder.services.session import to_local
from incident_recorder.ui.background import Background, Task
from incident_recorder.ui.backups.words import moment_text, status_text
from incident_recorder.ui.models.backup_table import (
    SORT_ROLE,
    BackupColumn,
    BackupRow,
    BackupTableModel,
)
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.style import message_label, show_message

FolderChooser = Callable[[QWidget, str], str]
NO_FOLDER = "None chosen yet"


def choose_folder(parent: QWidget, start: str) -> str:
    """The system's folder chooser; "" when cancelled."""
    return QFileDialog.getExistingDirectory(
        parent, "Choose the second folder for backups", start, QFileDialog.Option.ShowDirsOnly
    )


@dataclass(frozen=True, slots=True)
class Shelves:
    """What the folders hold, read on the worker."""

    status: BackupStatus
    mine: list[Generation]
    theirs: list[Generation]


def read_shelves(worker: Services, _progress: Progress) -> Shelves:
    backups = worker.backups
    return Shelves(backups.status(), backups.generations(), backups.generations(second=True))


class BackupsWindow(QDialog):
    """Not modal. ``backup_made`` after a backup (so the status bar can say so);
    ``settings_saved`` with the settings as saved; ``status_read`` with the status read
    with the list (on the worker). ``restore``: offered for the selected
    backup when given (the button is there only then)."""

    backup_made = Signal(object)  # BackupOutcome
    settings_saved = Signal(object)  # BackupSettings
    status_read = Signal(object)  # BackupStatus
    loaded = Signal()

    def __init__(
        self,
        service: BackupService,
        background: Background,
        prompter: Prompter,
        zone: str,
        today: Callable[[], date],
        choose: FolderChooser = choose_folder,
        restore: Callable[[Generation], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._background = background
        self._prompter = prompter
        self._zone = zone
        self._today = today
        self._choose = choose
        self._restore = restore
        self._checks: dict[tuple[str, str], str] = {}
        self.setWindowTitle("Backups")
        self._build()
        self._connect_signals()
        self._show_settings(service.settings())
        self.refresh()
        self.table.setFocus()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        intro = QLabel(
            "Backups are encrypted copies of the records, made by themselves while "
            "Incident Recorder is open and something has changed, and as it locks, signs "
            "out and closes. Any current passphrase, or the recovery code, opens them."
        )
        intro.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = BackupTableModel(self._zone, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = _table()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Backups")
        table_label = QLabel("&Backups (newest first):")
        table_label.setBuddy(self.table)
        self.back_up_button = QPushButton("Back &up now")
        self.check_button = QPushButton("C&heck all backups")
        self.restore_button: QPushButton | None = None
        actions = QHBoxLayout()
        actions.addWidget(self.back_up_button)
        actions.addWidget(self.check_button)
        if self._restore is not None:
            self.restore_button = QPushButton("&Restore…")
            self.restore_button.setToolTip("Put the records back as they were in this backup.")
            actions.addWidget(self.restore_button)
        actions.addStretch(1)
        self.message = message_label("ok")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.close_button = QPushButton("Close")
        closing = QHBoxLayout()
        closing.addStretch(1)
        closing.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(table_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self._second_box())
        layout.addWidget(self._settings_box())
        layout.addLayout(closing)
        self.resize(900, 680)

    def _second_box(self) -> QGroupBox:
        box = QGroupBox("A second copy away from this PC")
        explain = QLabel(
            "A USB drive, another disk or a school server share. The newest backup is "
            "copied there each time one is made, whenever the folder can be reached."
        )
        explain.setWordWrap(True)
        self.folder = QLineEdit()
        self.folder.setReadOnly(True)
        self.folder.setAccessibleName("Second folder")
        folder_label = QLabel("Second &folder:")
        folder_label.setBuddy(self.folder)
        self.choose_button = QPushButton("Ch&oose folder…")
        self.stop_copying_button = QPushButton("&Stop copying there…")
        row = QHBoxLayout()
        row.addWidget(folder_label)
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.stop_copying_button)
        self.folder_message = message_label("error")
        self.folder_message.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(box)
        layout.addWidget(explain)
        layout.addLayout(row)
        layout.addWidget(self.folder_message)
        return box

    def _settings_box(self) -> QGroupBox:
        box = QGroupBox("How often, and how many are kept")
        grid = QGridLayout(box)
        rows = [
            ("Make a backup &every", "minutes, while someone is signed in and something "
             "has changed", "Minutes between automatic backups"),
            ("Keep one a &day for", "days (every backup of today is kept)",
             "Days a daily backup is kept"),
            ("Then one a &week for", "weeks", "Weeks a weekly backup is kept"),
            ("Then one a &month for", "months", "Months a monthly backup is kept"),
        ]  # fmt: skip
        self.every, self.daily, self.weekly, self.monthly = (
            self._spin(grid, row, *texts) for row, texts in enumerate(rows)
        )
        self.save_button = QPushButton("Sa&ve these settings")
        grid.addWidget(self.save_button, 4, 1, 1, 2, Qt.AlignmentFlag.AlignLeft)
        self.settings_message = message_label("error")
        self.settings_message.setTextFormat(Qt.TextFormat.PlainText)
        grid.addWidget(self.settings_message, 5, 0, 1, 3)
        grid.setColumnStretch(2, 1)
        return box

    def _spin(self, grid: QGridLayout, row: int, text: str, after: str, name: str) -> QSpinBox:
        # Wider than the service allows, so a number out of range gets a plain message
        # instead of being silently changed.
        spin = QSpinBox()
        spin.setRange(0, 99_999)
        spin.setAccessibleName(name)
        label = QLabel(text)
        label.setBuddy(spin)
        grid.addWidget(label, row, 0)
        grid.addWidget(spin, row, 1)
        grid.addWidget(QLabel(after), row, 2)
        return spin

    def _connect_signals(self) -> None:
        self.back_up_button.clicked.connect(self._on_back_up_button_clicked)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.stop_copying_button.clicked.connect(self._on_stop_copying_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self.reject)
        if self.restore_button is not None:
            self.restore_button.clicked.connect(self._on_restore_button_clicked)
            self.table.selectionModel().selectionChanged.connect(self._update_buttons)

    # ------------------------------------------------------------------ behaviour

    def refresh(self) -> None:
        """Read both folders again (on the worker)."""
        try:
            self._background.run(
                Task("reading the backups", read_shelves, on_done=self._show_shelves,
                     on_failed=self._show_error)
            )  # fmt: skip
        except IncidentRecorderError as error:
            self._show_error(error)

    def selected(self) -> BackupRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row(self.proxy.mapToSource(rows[0]).row())

    def _show_shelves(self, shelves: Shelves) -> None:
        today = self._today()
        rows = [
            BackupRow(g, False, self._checks.get((g.name, g.location), "")) for g in shelves.mine
        ]
        rows += [
            BackupRow(g, True, self._checks.get((g.name, g.location), "")) for g in shelves.theirs
        ]
        self.model.set_rows(rows, today)
        self.table.resizeColumnsToContents()
        self.table.sortByColumn(BackupColumn.MADE, Qt.SortOrder.DescendingOrder)
        status = shelves.status
        text = status_text(status, self._zone, today) + "."
        if not status.second_folder:
            text += " No second folder is chosen yet: choose one below."
        self.summary.setText(text)
        self.summary.setAccessibleName(text)
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._update_buttons()
        self.status_read.emit(status)
        self.loaded.emit()

    def _show_settings(self, settings: BackupSettings) -> None:
        self.folder.setText(settings.second_folder or NO_FOLDER)
        self.stop_copying_button.setEnabled(bool(settings.second_folder))
        self.every.setValue(settings.every_minutes)
        self.daily.setValue(settings.daily)
        self.weekly.setValue(settings.weekly)
        self.monthly.setValue(settings.monthly)

    def _show_error(self, error: IncidentRecorderError) -> None:
        show_message(self.message, str(error), role="error")

    def _save(self, settings: BackupSettings, done: str, where: QLabel) -> bool:
        """Save through the service; its answer is shown in ``where`` (beside what was
        changed), and what was typed stays when it is refused."""
        for label in (self.message, self.folder_message, self.settings_message):
            show_message(label, "")
        try:
            saved = self._service.save_settings(settings)
        except IncidentRecorderError as error:
            show_message(where, str(error), role="error")
            return False
        self._show_settings(saved)
        show_message(where, done, role="ok")
        self.settings_saved.emit(saved)
        return True

    def _set_busy(self, busy: bool) -> None:
        for button in (self.back_up_button, self.check_button):
            button.setEnabled(not busy)
        self._update_buttons()

    @Slot()
    def _update_buttons(self) -> None:
        if self.restore_button is not None:
            self.restore_button.setEnabled(self.selected() is not None)

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_back_up_button_clicked(self) -> None:
        def work(worker: Services, progress: Progress) -> BackupOutcome:
            return worker.backups.back_up(MANUAL, progress)

        self._set_busy(True)
        show_message(self.message, "")
        try:
            self._background.run(
                Task("making a backup", work, on_done=self._on_backup_done,
                     on_failed=self._on_work_failed,
                     note="The records can be used as usual meanwhile.")
            )  # fmt: skip
        except IncidentRecorderError as error:
            self._on_work_failed(error)

    def _on_backup_done(self, outcome: BackupOutcome) -> None:
        self._set_busy(False)
        made = outcome.made
        if made is not None:
            when = moment_text(made.made_at, self._zone, self._today())
            text = f"A backup was made ({when}, {size_words(made.size_bytes)})"
            if outcome.copied is not None:
                text += " and copied to the second folder."
            else:
                text += "." + (f" {outcome.copy_problem}" if outcome.copy_problem else "")
            show_message(self.message, text, role="error" if outcome.copy_problem else "ok")
        self.backup_made.emit(outcome)
        self.refresh()

    def _on_work_failed(self, error: IncidentRecorderError) -> None:
        self._set_busy(False)
        self._show_error(error)

    @Slot()
    def _on_check_button_clicked(self) -> None:
        def work(worker: Services, progress: Progress) -> list[GenerationCheck]:
            return worker.backups.check_all(progress)

        self._set_busy(True)
        show_message(self.message, "")
        try:
            self._background.run(
                Task("checking the backups", work, on_done=self._on_checked,
                     on_failed=self._on_work_failed, cancellable=True)
            )  # fmt: skip
        except IncidentRecorderError as error:
            self._on_work_failed(error)

    def _on_checked(self, checks: list[GenerationCheck]) -> None:
        self._set_busy(False)
        for check in checks:
            g = check.generation
            self._checks[(g.name, g.location)] = (
                "Sound" if check.sound else " ".join(check.problems)
            )
        rows = [replace(r, check=self._checks.get((r.generation.name, r.generation.location), ""))
                for r in self.model.rows]  # fmt: skip
        self.model.set_rows(rows, self._today())
        bad = [c for c in checks if not c.sound]
        if not checks:
            show_message(self.message, "There are no backups to check yet.", role="error")
        elif not bad:
            count = "The backup was" if len(checks) == 1 else f"All {len(checks)} backups were"
            show_message(
                self.message,
                f"{count} opened and checked: each is sound and holds an unbroken audit trail.",
                role="ok",
            )
        else:
            zone = self._zone
            first = to_local(bad[0].generation.made_at, zone)
            show_message(
                self.message,
                f"{len(bad)} of {len(checks)} backups have problems (the first is the one of "
                f"{first:%d/%m/%Y %H:%M}): see the Check column. The others are sound. "
                "Keep the sound ones; make a new backup now to be safe.",
                role="error",
            )

    @Slot()
    def _on_choose_button_clicked(self) -> None:
        current = self._service.settings()
        chosen = self._choose(self, current.second_folder)
        if not chosen:
            return
        self._save(
            replace(current, second_folder=chosen),
            f"Backups will now be copied to {chosen} too. The next backup is copied there; "
            "choose Back up now to make one at once.",
            self.folder_message,
        )
        self.refresh()

    @Slot()
    def _on_stop_copying_button_clicked(self) -> None:
        current = self._service.settings()
        if not current.second_folder or not self._prompter.confirm(
            "Stop making a second copy?",
            "Backups will be kept on this PC only: if it is lost, stolen or its disk fails, "
            "they go with it. The copies already in the second folder stay there.",
            yes="Stop copying",
            no="Keep copying",
        ):
            return
        self._save(
            replace(current, second_folder=""),
            "Backups are no longer copied elsewhere.",
            self.folder_message,
        )
        self.refresh()

    @Slot()
    def _on_save_button_clicked(self) -> None:
        current = self._service.settings()
        wanted = replace(
            current,
            every_minutes=self.every.value(),
            daily=self.daily.value(),
            weekly=self.weekly.value(),
            monthly=self.monthly.value(),
        )
        self._save(wanted, "The settings are saved.", self.settings_message)

    @Slot()
    def _on_restore_button_clicked(self) -> None:
        row = self.selected()
        if row is not None and self._restore is not None:
            self._restore(row.generation)


def _table() -> QTableView:
    table = QTableView()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.setSortingEnabled(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setSectionResizeMode(BackupColumn.CHECK, QHeaderView.ResizeMode.Stretch)
    return table
