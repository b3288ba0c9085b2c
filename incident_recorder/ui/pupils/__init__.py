"""Pupils: the import wizard, the pupil list and a pupil's page."""
