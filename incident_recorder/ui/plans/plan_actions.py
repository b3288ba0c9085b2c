"""Pupils ▸ Behaviour support plans…: choose a pupil with the usual pupil search, then
open their plan in the editor."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
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
from incident_recorder.services.plans import PlanService
from incident_recorder.ui.background import Background
from incident_recorder.ui.plans.plan_editor import PlanEditor
from incident_recorder.ui.prompter import Prompter
from incident_recorder.ui.pupils.choose_dialog import PupilChoiceDialog


class ChoosePupilDialog(PupilChoiceDialog):
    """Find a pupil by name or UPN; Open plan opens the chosen pupil's plan."""

    def __init__(self, directory: DirectoryService, parent: QWidget | None = None) -> None:
        super().__init__(
            directory,
            parent,
            title="Behaviour support plans",
            question="Whose behaviour support plan do you want to see? Type part of the "
            "pupil's &name or UPN, then press Enter to choose.",
            open_text="&Open plan",
        )


class PlanActions(QObject):
    """The menu action, and the dialogs it opens (kept alive while shown)."""

    def __init__(
        self,
        window: QWidget,
        plans: PlanService,
        directory: DirectoryService,
        prompter: Prompter,
        background: Background,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._background = background
        self._plans = plans
        self.plans = plans
        self._directory = directory
        self._prompter = prompter
        self.editor: PlanEditor | None = None
        self.open_action = QAction("&Behaviour support plans…", window)
        self.open_action.setEnabled(plans.may_read)
        self.open_action.triggered.connect(self._on_open_action_triggered)

    def install(self, menu: QMenu) -> None:
        menu.addAction(self.open_action)

    @Slot()
    def _on_open_action_triggered(self) -> None:
        chooser = ChoosePupilDialog(self._directory, self._window)
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return
        pupil = chooser.pupil()
        if pupil is not None:
            self.open_editor(pupil)

    def open_editor(self, pupil: Pupil) -> PlanEditor:
        self.editor = PlanEditor(self._plans, pupil, self._prompter, self._background, self._window)
        self.editor.show()
        self.editor.raise_()
        return self.editor


class PlanSection(QWidget):
    """The behaviour support plan on a pupil's page: which version is in force, its
    review date, and a button that opens the plan."""

    def __init__(self, actions: PlanActions, plans: PlanService, pupil: Pupil) -> None:
        super().__init__()
        self._actions = actions
        self._plans = plans
        self._pupil = pupil
        self.heading = QLabel("<b>Behaviour support plan</b>", self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Behaviour support plan in force")
        self.open_button = QPushButton("Open the behaviour support &plan…", self)
        self.open_button.setAccessibleName("Open the behaviour support plan")
        self.open_button.setEnabled(plans.may_read)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.open_button)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.refresh()

    def refresh(self) -> None:
        try:
            plan = self._plans.current(self._pupil.id)
        except IncidentRecorderError as error:
            self.summary.setText(str(error))
            return
        if plan is None:
            self.summary.setText("No behaviour support plan on record for this pupil.")
            return
        review = plan.review_date.strftime("%d/%m/%Y") if plan.review_date else "not set"
        start = plan.start_date.strftime("%d/%m/%Y") if plan.start_date else "not set"
        self.summary.setText(f"Version {plan.version}, in force from {start}; review due {review}.")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # a plan may have been saved elsewhere since the page was built

    @Slot()
    def _on_open_button_clicked(self) -> None:
        editor = self._actions.open_editor(self._pupil)
        editor.plan_saved.connect(self._on_editor_plan_saved)

    @Slot(int)
    def _on_editor_plan_saved(self, _version: int) -> None:
        self.refresh()
