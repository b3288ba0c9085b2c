"""The composition: the one place, besides ``app.py``'s Qt start, that knows every layer.

Both front-ends build from here: the GUI (``app.py`` hands :meth:`Composition.services`
to the shell) and the command line (``cli_commands/common.signed_in``). It opens the
keyring and the database factory of a data folder, reads what the app ships
(``infra.letter_resources``) once, and builds a signed-in session's services with the
reportlab renderer (``documents``) and the store's cipher facts. No Qt here: the
command line imports it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from incident_recorder.services.about import CipherFacts
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.bundle import Services, build_services
from incident_recorder.services.ports import DocumentRenderer, KdfParams
from incident_recorder.services.restore import RestoreService
from incident_recorder.services.session import Session, SystemClock
from incident_recorder.services.shipped import Shipped

LICENCE = "MIT licence"


@cache
def shipped() -> Shipped:
    """What the app ships, read once per process."""
    import sys

    from incident_recorder import __version__
    from incident_recorder.infra.letter_resources import default_letter_template, technique_words

    return Shipped(
        technique_words=technique_words(),
        letter_template=default_letter_template(),
        app_version=__version__,
        licence=LICENCE,
        frozen=bool(getattr(sys, "frozen", False)),
    )


def cipher_facts() -> CipherFacts:
    """How the app's databases are encrypted (an in-memory check of SQLCipher)."""
    from incident_recorder.store.cipher_info import cipher_info

    info = cipher_info()
    return CipherFacts(
        f"{info.sqlcipher_version} (SQLite {info.sqlite_version}, {info.provider})",
        info.summary,
        info.as_expected and info.temp_store_memory,
    )


def renderer() -> DocumentRenderer:
    """The app's document renderer (reportlab), for what is made without a session."""
    from incident_recorder.documents.renderer import ReportlabRenderer

    return ReportlabRenderer()


class Composition:
    """A data folder's keyring, database factory and account service, and the services
    of each session signed in to it."""

    def __init__(self, data_dir: Path, kdf: KdfParams | None = None) -> None:
        from incident_recorder.documents.renderer import ReportlabRenderer
        from incident_recorder.infra.picklists import load_pick_lists
        from incident_recorder.store.database import SqlStoreFactory
        from incident_recorder.store.rotation import FileKeyRotator
        from incident_recorder.store.vault import FileKeyVault

        self.vault = FileKeyVault(data_dir) if kdf is None else FileKeyVault(data_dir, kdf)
        self.stores = SqlStoreFactory(data_dir)
        self._data_dir = Path(data_dir)
        self._kdf = kdf
        self.rotator = FileKeyRotator(data_dir, self.vault)
        self.accounts = AccountService(
            self.vault, self.stores, SystemClock(), load_pick_lists(), self.rotator
        )
        self._renderer = ReportlabRenderer()

    @property
    def restore(self) -> RestoreService:
        """Restoring a backup into this data folder (no session needed: the database may
        be missing, damaged or an older copy)."""
        from incident_recorder.store.restore import SqlBackupRestorer
        from incident_recorder.store.vault import FileKeyVault

        kdf = self._kdf

        def vault_for(folder: Path) -> FileKeyVault:
            return FileKeyVault(folder) if kdf is None else FileKeyVault(folder, kdf)

        restorer = SqlBackupRestorer(self._data_dir, self.stores.migrations().latest)
        return RestoreService(restorer, self.stores, self.vault, vault_for, SystemClock())

    def services(self, session: Session) -> Services:
        """Every service of ``session`` (see ``services/bundle.py``)."""
        return build_services(
            session, shipped(), self._renderer, self.vault, cipher_facts, self.rotator
        )
