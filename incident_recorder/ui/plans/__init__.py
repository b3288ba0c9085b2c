"""Behaviour support plans: the editor dialog and the action that opens it."""
