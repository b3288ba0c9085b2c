"""A staff-involved row: a member of staff, found from part of their name, and their
part.

Matching is as a school office would expect (domain/name_search.py: any case, no
accents needed, any part of the name, surname first). Enter completes a single match,
opens the list for several (none highlighted: Down goes into it), and says plainly when
nobody on the staff list matches. Leaving the box with a single match chooses it too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QStringListModel, Qt, QTimer, Slot
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QLabel,
    QLineEdit,
    QWidget,
)

from incident_recorder.domain.model import StaffMember, StaffPart
from incident_recorder.domain.name_search import matching
from incident_recorder.ui.form.rows import Row
from incident_recorder.ui.form.widgets import set_placeholder

_LEAVING = (
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.MouseFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
)


class StaffRow(Row):
    """A member of staff (found from part of their name) and their part."""

    noun = "staff member"

    def __init__(self, staff: list[StaffMember], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._staff: list[StaffMember] = []
        self.name = QComboBox(self)
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name.setMinimumContentsLength(20)
        # The matches below, not the combo box's own completer: that one would choose
        # the combo box's row of the same number as the match.
        self.name.setCompleter(None)  # type: ignore[arg-type]
        set_placeholder(self.name, "Type part of a name")
        self._matches = QStringListModel(self)
        self.completer = QCompleter(self._matches, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setWidget(self._line())
        self.set_staff(staff)
        self.part = QComboBox(self)
        self.part.setPlaceholderText("Choose their part")
        for part in StaffPart:
            self.part.addItem(part.label, part.value)
        self.part.setCurrentIndex(-1)
        self.add_input("Name:", self.name, 1)
        self.add_input("Part:", self.part)
        self.problem = QLabel(self)
        self.problem.setObjectName("formatHint")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.below.addWidget(self.problem)  # under the name, where there is room
        self._connect_signals()

    def _connect_signals(self) -> None:
        line = self._line()
        line.textEdited.connect(self._on_line_text_edited)
        line.returnPressed.connect(self._on_line_return_pressed)
        self.name.installEventFilter(self)  # the combo box has the focus, not its line
        self.completer.activated.connect(self._on_completer_activated)
        self.name.currentTextChanged.connect(self._on_input_text_changed)
        self.part.currentTextChanged.connect(self._on_input_text_changed)

    def popup(self) -> QAbstractItemView:
        """The list of matches under the name."""
        popup = self.completer.popup()
        assert popup is not None
        return popup

    def _line(self) -> QLineEdit:
        line = self.name.lineEdit()
        assert line is not None
        return line

    def set_staff(self, staff: list[StaffMember]) -> None:
        keep = self.name.currentText()
        self._staff = list(staff)
        self.name.blockSignals(True)
        self.name.clear()
        for member in staff:
            self.name.addItem(member.full_name, member.id)
        self.name.setCurrentIndex(-1)
        self.name.setEditText(keep)
        self.name.blockSignals(False)

    # ------------------------------------------------------------------ finding a name

    def matches(self, text: str | None = None) -> list[StaffMember]:
        """The staff whose names match what is typed (or ``text``)."""
        typed = self.name.currentText() if text is None else text
        return matching(typed, self._staff, lambda m: m.full_name)

    def _choose(self, member: StaffMember) -> None:
        self.popup().hide()
        index = self.name.findData(member.id)
        self.name.setCurrentIndex(index)
        self.name.setEditText(member.full_name)

    @Slot(str)
    def _on_line_text_edited(self, text: str) -> None:
        found = self.matches(text)
        self._matches.setStringList([m.full_name for m in found])
        if text.strip() and found and self.staff_id() is None:
            self._open_list()
        else:
            self.popup().hide()

    def _open_list(self) -> None:
        """Show the matches below the box with none highlighted: Down goes into the
        list, and Enter chooses only what was highlighted."""
        self.completer.complete()
        self.popup().setCurrentIndex(QModelIndex())

    def _complete_single_match(self) -> bool:
        """Choose the one member of staff that matches (or that is typed, in any case);
        False when there is none or several."""
        found = self.matches()
        if len(found) != 1 or not self.name.currentText().strip():
            return False
        if found[0].full_name != self.name.currentText():
            self._choose(found[0])
        return True

    @Slot()
    def _on_line_return_pressed(self) -> None:
        if not self._complete_single_match() and len(self.matches()) > 1:
            # Several: open the list once the completer has dealt with this Enter (it
            # closes its list on Enter, choosing what was highlighted, if anything).
            QTimer.singleShot(0, self._on_several_to_choose_from)

    @Slot()
    def _on_several_to_choose_from(self) -> None:
        found = self.matches()
        if self.staff_id() is None and len(found) > 1 and self._line().hasFocus():
            self._matches.setStringList([m.full_name for m in found])
            self._open_list()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Leaving the box for another field with a single match chooses it, as Enter
        would (not when the list of matches opens: that takes the focus for a moment)."""
        if (
            watched is self.name
            and event.type() == QEvent.Type.FocusOut
            and isinstance(event, QFocusEvent)
            and event.reason() in _LEAVING
        ):
            self._complete_single_match()
        return super().eventFilter(watched, event)

    @Slot(str)
    def _on_completer_activated(self, name: str) -> None:
        for member in self._staff:
            if member.full_name == name:
                self._choose(member)
                return

    @Slot(str)
    def _on_input_text_changed(self, _text: str) -> None:
        staff_id, part = self.value()
        typed = self.name.currentText().strip()
        problem, hint = "", False
        if typed and staff_id is None:
            found = self.matches()
            if not found:
                problem = (
                    f"No one on the staff list matches '{typed}'. Check the spelling, or "
                    "add them with 'Someone else not on the staff list…'."
                )
            elif len(found) == 1:
                problem, hint = f"Press Enter to choose {found[0].full_name}.", True
            else:
                problem = (
                    f"{len(found)} people on the staff list match '{typed}': press Down "
                    "and choose one."
                )
                hint = True
        elif staff_id is not None and part is None:
            problem = "Choose their part."
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.problem.setObjectName("fieldHint" if hint else "formatHint")
        self.problem.style().unpolish(self.problem)
        self.problem.style().polish(self.problem)
        self.problem.setAccessibleName(problem)
        self.name.setAccessibleDescription(problem)

    def staff_id(self) -> int | None:
        text = self.name.currentText().strip()
        index = self.name.findText(text, Qt.MatchFlag.MatchFixedString) if text else -1
        data = self.name.itemData(index) if index >= 0 else None
        return data if isinstance(data, int) else None

    def set_value(self, staff_id: int, name: str, part: StaffPart | None) -> None:
        index = self.name.findData(staff_id)
        if index < 0:
            self.name.addItem(name, staff_id)
            index = self.name.count() - 1
        self.name.setCurrentIndex(index)
        self.part.setCurrentIndex(-1 if part is None else self.part.findData(part.value))

    def value(self) -> tuple[int | None, StaffPart | None]:
        part = self.part.currentData()
        return self.staff_id(), StaffPart(part) if part else None
