"""Sign off… in the record view (safeguarding leads and senior leaders only), and a
line under the record's facts saying whether it is signed off.

The dialog says exactly which version is being signed, what signing means, and takes
an optional comment. The work is ``SignOffService.sign_off`` (stored with the
version's hash and audited).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import IncidentStatus
from incident_recorder.domain.sign_off import SIGN_OFF_STATEMENT, SignOffState, SignOffStatus
from incident_recorder.services.session import to_local
from incident_recorder.services.sign_off import SignOffService
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.record_view import RecordView

BUTTON_TEXT = "Sign &off…"
DRAFT_TIP = "A draft cannot be signed off. It can be signed off once it is submitted."
SIGNED_TIP = "The latest version is signed off. Amending the record asks for it again."
_AMBER = "background:#fff4ce; padding:4px"


class SignOffDialog(QDialog):
    """What is being signed, what signing means, and an optional comment."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign off record")
        self.what = QLabel(what, self)
        self.what.setWordWrap(True)
        self.what.setTextFormat(Qt.TextFormat.PlainText)
        self.statement = QLabel(SIGN_OFF_STATEMENT, self)
        self.statement.setWordWrap(True)
        self.comment = QPlainTextEdit(self)
        self.comment.setAccessibleName("Comment (optional)")
        self.comment.setTabChangesFocus(True)
        self.comment.setPlaceholderText("For example: spoke to the class teacher; review booked.")
        self.comment.setFixedHeight(90)
        comment_label = QLabel("&Comment (optional, kept with the sign-off):", self)
        comment_label.setBuddy(self.comment)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.sign_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setText("Sign &off")
        self.sign_button.setDefault(True)
        layout = QVBoxLayout(self)
        for widget in (self.what, self.statement, comment_label, self.comment, self.buttons):
            layout.addWidget(widget)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.comment.setFocus()
        self.resize(520, self.sizeHint().height())

    def comment_text(self) -> str:
        return self.comment.toPlainText().strip()


class SignOffControls(QObject):
    """The Sign off… button and the sign-off line of one record view."""

    record_signed_off = Signal(int)

    def __init__(
        self, view: RecordView, service: SignOffService, prompter: Prompter, zone: str
    ) -> None:
        super().__init__(view)
        self._view = view
        self._service = service
        self._prompter = prompter
        self._zone = zone
        self.dialog: SignOffDialog | None = None
        self.status = QLabel(view)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setAccessibleName("Sign-off")
        view.add_status_line(self.status)
        self.button: QPushButton | None = None
        if service.may_sign_off:
            self.button = QPushButton(BUTTON_TEXT, view)
            self.button.setAccessibleName("Sign off this record")
            view.add_action_button(self.button)
            self.button.clicked.connect(self._on_button_clicked)
        view.record_reloaded.connect(self._on_view_record_reloaded)
        self._on_view_record_reloaded(view.incident_id)

    @classmethod
    def installer(
        cls, service: SignOffService, prompter: Prompter, zone: str
    ) -> Callable[[RecordView], None]:
        """For ChildWindows.record_view_extras."""

        def install(view: RecordView) -> None:
            cls(view, service, prompter, zone)

        return install

    def _state(self) -> SignOffState | None:
        incident = self._view.incident
        if incident is None or incident.status is not IncidentStatus.SUBMITTED:
            return None
        try:
            return self._service.state(incident.id)
        except IncidentRecorderError:
            return None

    @Slot(int)
    def _on_view_record_reloaded(self, _incident_id: int) -> None:
        state = self._state()
        self.status.setVisible(state is not None)
        if state is not None:
            style = _AMBER if state.status is SignOffStatus.AMENDED_SINCE else "padding:4px"
            self.status.setText(
                f"<div style='{style}'><b>Sign-off:</b> {escape(state.sentence)}</div>"
            )
        if self.button is None:
            return
        if state is None:
            self.button.setEnabled(False)
            self.button.setToolTip(DRAFT_TIP)
        elif state.signed:
            self.button.setEnabled(False)
            self.button.setToolTip(SIGNED_TIP)
        else:
            self.button.setEnabled(True)
            self.button.setToolTip("Confirm you have read the latest version of this record.")

    def _what(self) -> str:
        incident = self._view.incident
        versions = self._service.versions(self._view.incident_id)
        if incident is None or not versions:
            return "This record."
        first, version = versions[0], versions[-1]
        when = to_local(first.saved_at, self._zone)
        text = (
            f"Record {incident.reference}, version {version.number}, submitted by "
            f"{first.saved_by_name} on {when:%d/%m/%Y} at {when:%H:%M}."
        )
        if version.number > 1:
            changed = to_local(version.saved_at, self._zone)
            text += (
                f" Last amended by {version.saved_by_name} on {changed:%d/%m/%Y} at "
                f"{changed:%H:%M}."
            )
        return text

    @Slot()
    def _on_button_clicked(self) -> None:
        try:
            what = self._what()
        except IncidentRecorderError as error:
            self._prompter.warn("Could not sign off", str(error))
            return
        self.dialog = SignOffDialog(what, self._view)
        self.dialog.accepted.connect(self._on_dialog_accepted)
        self.dialog.open()

    @Slot()
    def _on_dialog_accepted(self) -> None:
        if self.dialog is None:
            return
        try:
            self._service.sign_off(self._view.incident_id, self.dialog.comment_text())
        except IncidentRecorderError as error:
            self._prompter.warn("Could not sign off", str(error))
            return
        self._on_view_record_reloaded(self._view.incident_id)
        self.record_signed_off.emit(self._view.incident_id)
