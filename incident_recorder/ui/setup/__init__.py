"""The first-run set-up wizard."""

from incident_recorder.ui.setup.wizard import SetupWizard

__all__ = ["SetupWizard"]
