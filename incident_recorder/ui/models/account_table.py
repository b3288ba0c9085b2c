"""The accounts screen's table: one row per account, switched-off ones included."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from incident_recorder.domain.model import Role
from incident_recorder.services.accounts import Account
from incident_recorder.ui.models.rows import AnyIndex, ReadOnlyRowsModel

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SWITCHED_OFF_COLOUR = QColor("#666666")


class AccountColumn(IntEnum):
    NAME = 0
    USERNAME = 1
    ROLES = 2
    STAFF = 3
    ACTIVE = 4

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    AccountColumn.NAME: "Name",
    AccountColumn.USERNAME: "Username",
    AccountColumn.ROLES: "Roles",
    AccountColumn.STAFF: "Staff list entry",
    AccountColumn.ACTIVE: "Can sign in",
}


def roles_text(roles: frozenset[Role]) -> str:
    """The roles in the order of the permissions table, e.g. "Staff, SENCO"."""
    return ", ".join(r.label for r in Role if r in roles)


def staff_text(account: Account) -> str:
    staff = account.staff
    if staff is None:
        return "Not linked"
    return f"{staff.full_name} ({staff.job_title})" if staff.job_title else staff.full_name


class AccountTableModel(ReadOnlyRowsModel):
    """Rows of :class:`Account`, read-only; ``set_accounts`` replaces them all."""

    headers = tuple(column.title for column in AccountColumn)

    def set_accounts(self, accounts: list[Account]) -> None:
        self._replace_rows(accounts)

    def account(self, row: int) -> Account:
        account: Account = self._rows[row]
        return account

    def row_of(self, user_id: int) -> int | None:
        return next((i for i, a in enumerate(self._rows) if a.user.id == user_id), None)

    # ------------------------------------------------------------------ the Qt model

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        account: Account | None = self._row_at(index)
        if account is None:
            return None
        column = AccountColumn(index.column())
        if role == ID_ROLE:
            return account.user.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(account, column)
        if role == Qt.ItemDataRole.ForegroundRole and not account.user.active:
            return SWITCHED_OFF_COLOUR
        return None

    @staticmethod
    def _text(account: Account, column: AccountColumn) -> str:
        user = account.user
        if column is AccountColumn.NAME:
            return user.full_name
        if column is AccountColumn.USERNAME:
            return user.username
        if column is AccountColumn.ROLES:
            return roles_text(user.roles)
        if column is AccountColumn.STAFF:
            return staff_text(account)
        return "Yes" if user.active else "No: switched off"
