"""A read-only table of rows to choose from: whole rows selected one at a time, no
editing, no row numbers, columns fitting their contents (the ``stretch`` ones sharing
the width and wrapping; else the last stretches)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def read_only_table(
    parent: QWidget,
    model: QAbstractItemModel,
    name: str,
    stretch: tuple[int, ...] = (),
    tab_leaves: bool = True,
) -> QTableView:
    """``name`` is its accessible name; ``tab_leaves`` True: Tab leaves the table for
    the buttons (False: Tab moves between cells, Qt's default)."""
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    if tab_leaves:
        table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(not stretch)
    return table
