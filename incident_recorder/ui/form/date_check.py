"""The question about a date long ago (policy.date_question): "The date of the
incident is 01/01/1900, more than a year ago. Is that the right date?"

It is asked once per date value: when staff leave the first step with that date (not
again if they leave it again unchanged, and never by autosave), and at Submit or Save
amendment unless it was answered "Yes". The date a submitted record already has is
taken as right, so amending an old record does not ask about it.
"""

from __future__ import annotations

from datetime import date

from incident_recorder.domain.errors import IncidentRecorderError
from incident_recorder.domain.model import Incident, IncidentDetails
from incident_recorder.services.incidents import IncidentService
from incident_recorder.ui.prompter import Prompter

TITLE = "Check the date"
YES = "Yes, the date is right"
NO = "Change the date"


class DateCheck:
    def __init__(self, incidents: IncidentService, prompter: Prompter) -> None:
        self._incidents = incidents
        self._prompter = prompter
        self._asked: set[date] = set()
        self._confirmed: set[date] = set()

    def accept(self, day: date | None) -> None:
        """Take ``day`` as right without asking (a submitted record's date)."""
        if day is not None:
            self._confirmed.add(day)

    def may_leave(self, details: IncidentDetails, incident: Incident) -> bool:
        """Leaving the step with the date: ask once per date; False to stay and change it."""
        day = details.when_where.date
        if day is None or day in self._asked or day in self._confirmed:
            return True
        return self._ask(details, incident)

    def may_save(self, details: IncidentDetails, incident: Incident) -> bool:
        """Submitting or saving an amendment: ask unless this date was confirmed."""
        day = details.when_where.date
        if day is None or day in self._confirmed:
            return True
        return self._ask(details, incident)

    def _ask(self, details: IncidentDetails, incident: Incident) -> bool:
        try:
            question = self._incidents.date_question(details, incident)
        except IncidentRecorderError:
            return True  # the checks could not run: the form says so elsewhere
        day = details.when_where.date
        assert day is not None
        if question is None:
            return True
        self._asked.add(day)
        if self._prompter.confirm(TITLE, question, yes=YES, no=NO):
            self._confirmed.add(day)
            return True
        return False
