"""Storage: the encrypted SQLCipher database, the keyring and backups.

The only package with SQL. Services reach it through the ports in
:mod:`incident_recorder.services.ports`; the composition root builds
``FileKeyVault(data_dir)`` and ``SqlStoreFactory(data_dir)``.
"""

from __future__ import annotations

from incident_recorder.store.database import DATABASE_NAME, SqlStore, SqlStoreFactory
from incident_recorder.store.vault import KEYRING_NAME, FileKeyVault

__all__ = ["DATABASE_NAME", "KEYRING_NAME", "FileKeyVault", "SqlStore", "SqlStoreFactory"]
