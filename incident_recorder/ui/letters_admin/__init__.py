"""Administration ▸ Letter wording…: the editor of the letter to parents and carers."""

from incident_recorder.ui.letters_admin.actions import LetterWordingActions

__all__ = ["LetterWordingActions"]
