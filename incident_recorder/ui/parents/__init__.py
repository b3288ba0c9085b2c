"""Tracking that parents were told (issue 5): the record view's "Parents and carers"
tab, its small dialogs, and the "parents to tell" list with its badge."""
