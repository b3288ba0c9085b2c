"""Accounts: the administrator's list of accounts, adding one, and changing your own
passphrase."""

from incident_recorder.ui.accounts.actions import AccountActions

__all__ = ["AccountActions"]
