"""Accounts, for administrators: everyone who can sign in, adding an account and
switching one off."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import User
from incident_recorder.services.accounts import Account, UserAdminService
from incident_recorder.services.key_rotation import KeyRotationService
from incident_recorder.ui.accounts.add_account import AddAccountDialog
from incident_recorder.ui.accounts.key_rotation import KeyRotationDialog
from incident_recorder.ui.background import Background
from incident_recorder.ui.models.account_table import ID_ROLE, AccountColumn, AccountTableModel
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.style import message_label, show_message


class AccountsWindow(QDialog):
    """Not modal: the main window stays usable. Locking closes it with the other dialogs."""

    accounts_changed = Signal()

    def __init__(
        self,
        service: UserAdminService,
        me: User,
        prompter: Prompter,
        parent: QWidget | None = None,
        rotation: KeyRotationService | None = None,
        background: Background | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._me = me
        self._prompter = prompter
        # Changing the school's key (offered after switching an account off).
        self._rotation = rotation
        self._background = background
        self.rotation_dialog: KeyRotationDialog | None = None
        self.add_dialog: AddAccountDialog | None = None
        self.setWindowTitle("Accounts")
        intro = QLabel(
            "Everyone who can sign in to Incident Recorder. Each adult has their own "
            "account and passphrase: never share one."
        )
        intro.setWordWrap(True)
        self.model = AccountTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = _table()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Accounts")
        table_label = QLabel("A&ccounts:")
        table_label.setBuddy(self.table)
        self.add_button = QPushButton("&Add account…")
        self.switch_off_button = QPushButton("&Switch off account…")
        self.rotate_button = QPushButton("Change the school's &key…")
        self.rotate_button.setVisible(rotation is not None and background is not None)
        self.close_button = QPushButton("Close")
        self.message = message_label("ok")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.switch_off_button)
        buttons.addWidget(self.rotate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(table_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(940, 460)
        self._connect_signals()
        self.refresh()
        self.table.setFocus()

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.switch_off_button.clicked.connect(self._on_switch_off_button_clicked)
        self.rotate_button.clicked.connect(self._on_rotate_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

    # ------------------------------------------------------------------ behaviour

    def refresh(self, select: int | None = None) -> None:
        """Reload the accounts; keep (or move to ``select``) the selected account."""
        keep = select if select is not None else self.selected_id()
        try:
            self.model.set_accounts(self._service.accounts())
        except IncidentRecorderError as error:
            show_message(self.message, str(error), role="error")
        self.table.resizeColumnsToContents()
        if keep is not None:
            self.select(keep)
        elif self.proxy.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    def select(self, user_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ID_ROLE) == user_id:
                self.table.selectRow(row)
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return int(rows[0].data(ID_ROLE)) if rows else None

    def selected_account(self) -> Account | None:
        user_id = self.selected_id()
        row = self.model.row_of(user_id) if user_id is not None else None
        return self.model.account(row) if row is not None else None

    def _update_buttons(self) -> None:
        account = self.selected_account()
        allowed = account is not None and account.user.active and account.user.id != self._me.id
        self.switch_off_button.setEnabled(allowed)
        if account is not None and account.user.id == self._me.id:
            self.switch_off_button.setToolTip("You cannot switch off your own account.")
        else:
            self.switch_off_button.setToolTip("")

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_add_button_clicked(self) -> None:
        dialog = AddAccountDialog(self._service, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.account_added.connect(self._on_add_dialog_account_added)
        dialog.finished.connect(self._on_add_dialog_finished)
        self.add_dialog = dialog
        dialog.open()

    @Slot(int)
    def _on_add_dialog_finished(self, _result: int) -> None:
        self.add_dialog = None

    @Slot(object)
    def _on_add_dialog_account_added(self, user: User) -> None:
        self.refresh(select=user.id)
        show_message(
            self.message,
            f"Account added for {user.full_name} (username {user.username}). Tell them the "
            "username and first passphrase in person.",
            role="ok",
        )
        self.accounts_changed.emit()

    @Slot()
    def _on_switch_off_button_clicked(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        user = account.user
        if not self._prompter.confirm(
            "Switch off this account?",
            f"{user.full_name} (username {user.username}) will no longer be able to sign in: "
            "their passphrase stops opening the records. The records they wrote stay as "
            "they are, with their name.",
            yes="Switch off",
            no="Keep it",
        ):
            return
        try:
            self._service.deactivate_user(user.id)
        except IncidentRecorderError as error:
            show_message(self.message, str(error), role="error")
            return
        self.refresh(select=user.id)
        show_message(self.message, f"{user.full_name} can no longer sign in.", role="ok")
        self.accounts_changed.emit()
        self.offer_rotation(user.full_name)

    def offer_rotation(self, full_name: str = "") -> None:
        """The dialog offering to change the school's key (after ``full_name``'s account
        was switched off)."""
        if self._rotation is None or self._background is None:
            return
        try:
            dialog = KeyRotationDialog(
                self._rotation, self._background, self._prompter, full_name, self
            )
        except IncidentRecorderError as error:
            show_message(self.message, str(error), role="error")
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_rotation_dialog_finished)
        self.rotation_dialog = dialog
        dialog.open()

    @Slot()
    def _on_rotate_button_clicked(self) -> None:
        self.offer_rotation()

    @Slot(int)
    def _on_rotation_dialog_finished(self, _result: int) -> None:
        self.rotation_dialog = None

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_buttons()


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
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    header.setSectionResizeMode(AccountColumn.STAFF, QHeaderView.ResizeMode.Interactive)
    return table
