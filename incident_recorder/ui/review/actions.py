"""Pupils ▸ Pupil review… and Pupils ▸ Plan reviews due…, the windows they open (kept
alive while shown, one review window per pupil), and the review section of a pupil's
page. SENCOs and the safeguarding lead only: for anyone else the actions are disabled
and pupils' pages have no review section."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Pupil
from incident_recorder.services.incidents import DirectoryService
from incident_recorder.services.review import ReviewService
from incident_recorder.ui.background import Background
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.pupils.choose_dialog import PupilChoiceDialog
from incident_recorder.ui.pupils.pupil_page import PupilPage
from incident_recorder.ui.review.due_window import ReviewsDueWindow
from incident_recorder.ui.review.window import PupilReviewWindow

NOT_A_REVIEWER = "Only a SENCO or the safeguarding lead can see pupil reviews."


def _front(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()


class ChooseReviewPupilDialog(PupilChoiceDialog):
    """Find a pupil by name or UPN; Open review opens the chosen pupil's review."""

    def __init__(self, directory: DirectoryService, parent: QWidget | None = None) -> None:
        super().__init__(
            directory,
            parent,
            title="Pupil review",
            question="Whose review do you want to see? Type part of the pupil's &name or "
            "UPN, then press Enter to choose.",
            open_text="&Open review",
        )


class ReviewActions(QObject):
    review_recorded = Signal(int)  # the pupil's id, after a review window saved one

    def __init__(
        self,
        window: QWidget,
        reviews: ReviewService,
        directory: DirectoryService,
        prompter: Prompter,
        open_record: Callable[[int], object],
        background: Background,
        open_plan: Callable[[Pupil], object] | None = None,
    ) -> None:
        super().__init__(window)
        self._background = background
        self._open_plan = open_plan
        self._window = window
        self.reviews = reviews
        self._directory = directory
        self._prompter = prompter
        self._open_record = open_record
        self.review_windows: dict[int, PupilReviewWindow] = {}
        self.due_window: ReviewsDueWindow | None = None
        self.review_action = QAction("Pupil &review…", window)
        self.due_action = QAction("Plan reviews &due…", window)
        for action in (self.review_action, self.due_action):
            action.setEnabled(reviews.may_review)
            if not reviews.may_review:
                action.setToolTip(NOT_A_REVIEWER)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.review_action.triggered.connect(self._on_review_action_triggered)
        self.due_action.triggered.connect(self._on_due_action_triggered)

    def install(self, menu: QMenu) -> None:
        menu.addActions([self.review_action, self.due_action])

    def add_section(self, page: PupilPage, pupil: Pupil) -> None:
        """A reviewer sees the pupil's last review on their page, with a way in."""
        if self.reviews.may_review:
            page.add_section(ReviewSection(self, pupil))

    def open_review(self, pupil: Pupil) -> PupilReviewWindow:
        """The pupil's review window: the one already open, or a new one."""
        window = self.review_windows.get(pupil.id)
        if window is None:
            window = PupilReviewWindow(
                self.reviews,
                pupil,
                self._prompter,
                self._open_record,
                self._window,
                background=self._background,
                open_plan=self._open_plan,
            )
            window.review_recorded.connect(self._on_window_review_recorded)
            self.review_windows[pupil.id] = window
        elif not window.isVisible():
            window.reload()  # closed earlier: records may have changed since
        _front(window)
        return window

    def open_due(self) -> ReviewsDueWindow:
        if self.due_window is None:
            self.due_window = ReviewsDueWindow(
                self.reviews, self._directory, self.open_review, self._window
            )
        else:
            self.due_window.reload()
        _front(self.due_window)
        return self.due_window

    def close_all(self) -> None:
        for window in [self.due_window, *self.review_windows.values()]:
            if window is not None:
                window.close()

    @Slot()
    def _on_review_action_triggered(self) -> None:
        chooser = ChooseReviewPupilDialog(self._directory, self._window)
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return
        pupil = chooser.pupil()
        if pupil is not None:
            self.open_review(pupil)

    @Slot()
    def _on_due_action_triggered(self) -> None:
        self.open_due()

    @Slot()
    def _on_window_review_recorded(self) -> None:
        sender = self.sender()
        for pupil_id, window in self.review_windows.items():
            if window is sender:
                self.review_recorded.emit(pupil_id)
        if self.due_window is not None and self.due_window.isVisible():
            self.due_window.reload()


class ReviewSection(QWidget):
    """The pupil review on a pupil's page: the last review recorded and a way in."""

    def __init__(self, actions: ReviewActions, pupil: Pupil) -> None:
        super().__init__()
        self._actions = actions
        self._pupil = pupil
        self.heading = QLabel("<b>Pupil review</b>", self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Last review of the plan")
        self.open_button = QPushButton("Open the pupil re&view…", self)
        self.open_button.setAccessibleName("Open the pupil review")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.open_button)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        actions.review_recorded.connect(self._on_actions_review_recorded)
        self.refresh()

    def refresh(self) -> None:
        try:
            done = self._actions.reviews.reviews(self._pupil.id)
        except IncidentRecorderError as error:
            self.summary.setText(str(error))
            return
        dated = [r for r in done if r.held_on is not None]
        if not dated:
            self.summary.setText("No review of this pupil's plan has been recorded yet.")
            return
        last = max(dated, key=lambda r: (r.held_on, r.id))
        assert last.held_on is not None
        text = f"Last reviewed on {last.held_on:%d/%m/%Y}"
        if last.outcome is not None:
            text += f" ({last.outcome.label.lower()})"
        if last.next_review is not None:
            text += f"; next review due {last.next_review:%d/%m/%Y}"
        self.summary.setText(text + ".")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # a review may have been recorded since the page was built

    @Slot()
    def _on_open_button_clicked(self) -> None:
        self._actions.open_review(self._pupil)

    @Slot(int)
    def _on_actions_review_recorded(self, pupil_id: int) -> None:
        if pupil_id == self._pupil.id:
            self.refresh()
