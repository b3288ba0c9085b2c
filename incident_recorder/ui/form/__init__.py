"""The guided incident form: one step per page (see :mod:`.window`)."""

from incident_recorder.ui.form.window import IncidentForm

__all__ = ["IncidentForm"]
