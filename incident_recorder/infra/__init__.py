"""Plumbing: folders, the single-writer lock, logging, pick-list files."""
