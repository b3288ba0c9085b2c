"""Step 1: when and where."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from incident_recorder.domain.durations import duration_text
from incident_recorder.domain.model import IncidentDetails, SchoolSettings, WhenWhere
from incident_recorder.domain.steps import Step
from incident_recorder.ui.dates import DateEdit, TimeEdit
from incident_recorder.ui.form.page import StepPage
from incident_recorder.ui.form.widgets import set_placeholder


class WhenWherePage(StepPage):
    step = Step.WHEN_WHERE

    def __init__(self, settings: SchoolSettings, parent: QWidget | None = None) -> None:
        super().__init__("When did the intervention happen, and where?", parent)
        self.date = DateEdit(self)
        self.add_slot("date", "&Date of the incident:", self.date)
        times = QWidget(self)
        row = QHBoxLayout(times)
        row.setContentsMargins(0, 0, 0, 0)
        self.start = TimeEdit(times)
        self.end = TimeEdit(times)
        self.add_slot("start", "&Start time:", self.start, layout=row)
        self.add_slot("end", "&End time:", self.end, layout=row)
        self.duration = QLabel(times)
        self.duration.setAccessibleName("Duration")
        row.addWidget(self.duration)
        row.addStretch(1)
        self.body.addWidget(times)
        self.location = QComboBox(self)
        self.location.setEditable(True)
        self.location.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.location.addItems(list(settings.locations))
        self.location.setCurrentIndex(-1)
        set_placeholder(self.location, "Choose from the list or type a place")
        self.location.setMinimumContentsLength(28)
        self.add_slot(
            "location",
            "&Location:",
            self.location,
            hint="Pick from the school's list, or type somewhere else.",
        )
        self.finish()

    def update_visibility(self) -> None:
        span = WhenWhere(start=self.start.value(), end=self.end.value()).duration_minutes
        words = duration_text(span * 60) if span else ""
        self.duration.setText(f"Duration: {words}" if words else "")

    def load(self, details: IncidentDetails) -> None:
        w = details.when_where
        self.date.set_value(w.date)
        self.start.set_value(w.start)
        self.end.set_value(w.end)
        index = self.location.findText(w.location)
        self.location.setCurrentIndex(index)
        if index < 0:
            self.location.setEditText(w.location)
        self.update_visibility()

    def apply(self, details: IncidentDetails) -> IncidentDetails:
        return dataclasses.replace(
            details,
            when_where=WhenWhere(
                date=self.date.value(),
                start=self.start.value(),
                end=self.end.value(),
                location=self.location.currentText().strip(),
            ),
        )
