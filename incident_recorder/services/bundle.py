"""Every service of one signed-in session, built in one place.

The GUI shell and the command line both get a session's services from
:func:`build_services` (through the composition root, ``incident_recorder/wiring.py``,
which supplies what the app ships and the document renderer). A screen is handed the
services it uses; none builds a service or holds the storage port.

A slow job runs on a worker thread with its own database connection:
:meth:`Services.on_new_connection` gives the same services over a second connection of
the same session (same person, same rights), to be closed by the worker when done.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from incident_recorder.domain.model import User
from incident_recorder.services.about import AboutService, CipherFacts
from incident_recorder.services.accounts import UserAdminService
from incident_recorder.services.backups import BackupService
from incident_recorder.services.calendar import CalendarService
from incident_recorder.services.desk import DeskService
from incident_recorder.services.exchange import ExchangeService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.integrity import IntegrityService
from incident_recorder.services.key_rotation import KeyRotationService
from incident_recorder.services.letter_templates import LetterTemplateService
from incident_recorder.services.letters import LetterService
from incident_recorder.services.parents import ParentsService
from incident_recorder.services.plans import PlanService
from incident_recorder.services.ports import DocumentRenderer, KeyRotator, KeyVault
from incident_recorder.services.pupil_import import PupilImportService
from incident_recorder.services.pupils import PupilService
from incident_recorder.services.record_document import RecordDocumentService
from incident_recorder.services.reports import ReportService
from incident_recorder.services.review import ReviewService
from incident_recorder.services.session import LaterSession, Session
from incident_recorder.services.settings import SettingsService
from incident_recorder.services.shipped import Shipped
from incident_recorder.services.sign_off import SignOffService
from incident_recorder.services.statements import StatementService
from incident_recorder.services.training import TrainingService


@dataclass(frozen=True, eq=False)
class Services:
    """One session's services (see the module notes)."""

    user: User
    incidents: IncidentService
    directory: DirectoryService
    letters: LetterService
    letter_templates: LetterTemplateService
    records: RecordDocumentService
    sign_off: SignOffService
    statements: StatementService
    settings: SettingsService
    plans: PlanService
    reviews: ReviewService
    pupils: PupilService
    pupil_import: PupilImportService
    parents: ParentsService
    exchange: ExchangeService
    about: AboutService
    integrity: IntegrityService
    backups: BackupService
    user_admin: UserAdminService | None
    training: TrainingService
    # Issue 13: the safeguarding lead's desk (and the author's amendment requests).
    desk: DeskService
    # Issue 14: the oversight figures, the governors' reports and the export (leads).
    reports: ReportService
    # Issue 14: the school calendar (school days everywhere; the Reports screen's periods).
    calendar: CalendarService
    _session: Session = field(repr=False)
    _rebuild: Callable[[Session], Services] = field(repr=False)
    # Re-encrypting everything under a new key (administrators; None without a keyring).
    key_rotation: KeyRotationService | None = None

    @property
    def closed(self) -> bool:
        return self._session.closed

    @property
    def key_forgotten(self) -> bool:
        """Whether the data key held for this session has been zeroed (after close)."""
        return not any(self._session.data_key)

    @property
    def school_timezone(self) -> str:
        return self._session.settings().school.timezone

    def transaction(self) -> AbstractContextManager[None]:
        """All or nothing: what the services record inside it is kept only if the block
        ends without an error (the command line writes a file inside one, so that a file
        that could not be written is not recorded as saved)."""
        return self._session.store.transaction()

    def close(self) -> None:
        """Close the database connection and forget the key (lock, sign out, quit)."""
        self._session.close()

    def on_new_connection(self) -> Services:
        """The same services over a second connection, for a worker thread (which must
        :meth:`close` it when done)."""
        return self._rebuild(self._session.on_new_connection())

    def for_later(self) -> LaterServices:
        """The same services, to be opened later over a connection of their own, on the
        thread that uses them, even once this session has closed (a backup made as the
        app locks, signs out or closes). See :meth:`Session.for_later`."""
        return LaterServices(self._session.for_later(), self._rebuild)


class LaterServices:
    """A session's services not yet opened (see :meth:`Services.for_later`)."""

    def __init__(self, later: LaterSession, rebuild: Callable[[Session], Services]) -> None:
        self._later = later
        self._rebuild = rebuild

    @property
    def user(self) -> User:
        return self._later.user

    def open(self) -> Services:
        """Open them (once), on the thread that will use them; close them when done."""
        return self._rebuild(self._later.open())

    def forget(self) -> None:
        """Forget the key without opening them (the work is not going to run)."""
        self._later.forget()


def build_services(
    session: Session,
    shipped: Shipped,
    renderer: DocumentRenderer,
    vault: KeyVault | None = None,
    cipher: Callable[[], CipherFacts] | None = None,
    rotator: KeyRotator | None = None,
) -> Services:
    """Every service for ``session``. ``vault``: the keyring the session was unlocked
    from (account management; None where accounts are not managed, as in a worker);
    ``cipher``: how the database is encrypted, for Help ▸ About; ``rotator``: key
    rotation over the data folder's files (with ``vault``)."""

    def rebuild(other: Session) -> Services:
        return build_services(other, shipped, renderer, vault, cipher, rotator)

    user = session.user
    statements = StatementService(session)
    return Services(
        user=user,
        incidents=IncidentService(session),
        directory=DirectoryService(session),
        letters=LetterService(session, shipped.technique_words, shipped.letter_template, renderer),
        letter_templates=LetterTemplateService(session, shipped.letter_template, renderer),
        records=RecordDocumentService(session, renderer),
        sign_off=SignOffService(session),
        statements=statements,
        settings=SettingsService(session),
        plans=PlanService(session, renderer),
        reviews=ReviewService(session, renderer),
        pupils=PupilService(session),
        pupil_import=PupilImportService(session),
        parents=ParentsService(session),
        exchange=ExchangeService(session, shipped.app_version),
        about=AboutService(session, shipped, cipher),
        integrity=IntegrityService(session),
        backups=BackupService(session, shipped.app_version),
        user_admin=UserAdminService(session, vault) if vault is not None else None,
        training=TrainingService(session),
        # The desk, with the staff statements outstanding as its fourth section; other
        # sections' counts can be added with extra_sections.
        desk=DeskService(session, statements=statements),
        reports=ReportService(session, renderer),
        calendar=CalendarService(session),
        _session=session,
        _rebuild=rebuild,
        key_rotation=KeyRotationService(session, vault, rotator)
        if vault is not None and rotator is not None
        else None,
    )
