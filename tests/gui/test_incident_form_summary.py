"""record_html: the whole record, readable, in the form's order. Everyone named here is
fictional."""

from __future__ import annotations

import dataclasses
import re

from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QTextBrowser

from incident_recorder.domain.model import (
    IncidentDetails,
    Intervention,
    Pupil,
    StaffMember,
    WhenWhere,
)
from incident_recorder.domain.steps import Step
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.ui.record_summary import record_html
from tests.fakes import complete_details
from tests.gui.conftest import INCIDENT_DAY


def _text(qtbot: QtBot, html: str) -> str:
    browser = QTextBrowser()
    qtbot.addWidget(browser)
    browser.setHtml(html)
    return browser.toPlainText()


def test_the_record_reads_in_form_order_with_names_dates_and_times(
    qtbot: QtBot,
    incidents: IncidentService,
    directory: DirectoryService,
    pupils: dict[str, Pupil],
    staff: dict[str, StaffMember],
) -> None:
    details = complete_details(pupils["Maya Chen"].id, staff["Priya Shah"].id, INCIDENT_DAY)
    details = details.with_explanation("late_recording", "I was off sick the next day.")
    text = _text(qtbot, record_html(details, incidents, directory))
    headings = [f"{s.number}. {s.heading}" for s in Step if s is not Step.REVIEW]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "20/03/2026" in text and "10:05" in text and "10:20" in text
    assert "15 minutes" in text
    assert "Maya Chen (Year 5)" in text
    assert "Priya Shah: carried out" in text
    assert "Friendly hold (standing): 3 minutes" in text
    assert "Total time held\n5 minutes" in text
    assert "20/03/2026 12:00" in text  # parents told
    assert "Telephone" in text
    assert re.search(r"Explanation: Why it was recorded after the day\s+I was off sick", text)
    # Ids never show: people are named.
    assert f"no. {pupils['Maya Chen'].id}" not in text


def test_blank_answers_read_not_recorded_and_html_is_escaped(
    qtbot: QtBot, incidents: IncidentService, directory: DirectoryService
) -> None:
    details = dataclasses.replace(
        IncidentDetails(),
        when_where=WhenWhere(location="<b>Hall</b> & stage"),
        intervention=Intervention(floor_position=None),
    )
    html = record_html(details, incidents, directory)
    assert "&lt;b&gt;Hall&lt;/b&gt; &amp; stage" in html
    text = _text(qtbot, html)
    assert "Date\nNot recorded" in text
    assert "Pupil\nNot recorded" in text
    assert "Ground, prone or supine position\nNot recorded" in text
    assert "Airway, breathing and circulation\nNot recorded" in text
