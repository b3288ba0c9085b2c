"""Incident Recorder: record restrictive interventions in schools, encrypted on the school's PC."""

__version__ = "0.1.0"
