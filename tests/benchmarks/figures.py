"""The in-process figures: unlock, opening the list, searching, submitting.

Each runs the app's own code (services, the real encrypted store, the real widgets,
offscreen) on a working copy of the benchmark database. Figures that depend on a cold
database connection open a fresh one for every run, as signing in does.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from argon2.low_level import Type, hash_secret_raw

from PySide6.QtWidgets import QWidget

from incident_recorder.domain.model import IncidentQuery
from incident_recorder.infra.picklists import load_pick_lists
from incident_recorder.services.accounts import AccountService
from incident_recorder.services.incidents import DirectoryService, IncidentService
from incident_recorder.services.ports import KdfParams
from incident_recorder.services.session import Session, to_local
from incident_recorder.store.database import SqlStore, SqlStoreFactory
from incident_recorder.store.vault import FileKeyVault
from incident_recorder.ui.backups.runner import finish_all
from incident_recorder.ui.incident_list import IncidentListPanel
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.models.incident_table import IncidentTableModel
from incident_recorder.ui.prompter import ScriptedPrompter
from incident_recorder.ui.shell import Shell
from tests.benchmarks.build_db import NOW, ZONE, Built
from tests.benchmarks.gui import (
    BenchClock,
    application,
    settle,
    settle_background,
    until_painted,
)
from tests.benchmarks.plans import query_plans
from tests.fakes import complete_details, services_for, services_opener


@dataclass(frozen=True, slots=True)
class SearchCase:
    name: str
    text: str = ""
    pupil_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


class Figures:
    """One working copy of the database, and the app's objects over it."""

    def __init__(self, built: Built, runs: int) -> None:
        self.built = built
        self.runs = runs
        self.app = application()
        self.clock = BenchClock(NOW)
        self.vault = FileKeyVault(built.folder)
        self.stores = SqlStoreFactory(built.folder)
        self.accounts = AccountService(self.vault, self.stores, self.clock, load_pick_lists())
        self.data_key = self.vault.unlock(built.username, built.passphrase)

    # ------------------------------------------------------------------ sessions

    @contextmanager
    def session(self, username: str | None = None) -> Iterator[Session]:
        """A session on a freshly opened connection (a cold page cache, as after signing
        in), without the key derivation: only the figures that are about unlocking pay
        for Argon2id."""
        store = self.stores.open(self.data_key)
        user = store.users.by_username(username or self.built.username)
        assert user is not None
        session = Session(
            user=user,
            store=store,
            clock=self.clock,
            data_key=bytearray(self.data_key),
            stores=self.stores,
        )
        try:
            yield session
        finally:
            session.close()

    # ------------------------------------------------------------------ unlock

    def unlock(self) -> tuple[list[float], list[float]]:
        """(passphrase to main window painted with its list, Argon2id alone) per run.

        The sign-in window is filled in and its button clicked, as a person does: the
        shell signs in (key derivation, opening the database, the audit entry), builds
        the main window with the first page of both lists, and shows it."""
        figure: list[float] = []
        floor: list[float] = []
        kdf = KdfParams()
        shell = Shell(
            self.accounts,
            services_opener(self.accounts),
            prompter=ScriptedPrompter(),
            idle_ms=3_600_000,
        )
        shell.start()
        try:
            for run in range(self.runs + 1):
                window = shell.sign_in
                assert window is not None
                window.username.setText(self.built.username)
                window.passphrase.setText(self.built.passphrase)
                settle()
                took = until_painted(lambda: shell.main, window.sign_in_button.click)
                settle()
                shell.sign_out()
                # Signing out may start a backup on its own thread (the first of this
                # database): each run's sign-in is measured with it finished, not
                # sharing the machine with it.
                assert finish_all(600_000), "the backup at sign-out did not finish"
                settle()
                started = time.perf_counter()
                hash_secret_raw(
                    self.built.passphrase.encode(),
                    b"benchmark-salt16",
                    time_cost=kdf.time_cost,
                    memory_cost=kdf.memory_kib,
                    parallelism=kdf.parallelism,
                    hash_len=32,
                    type=Type.ID,
                )
                alone = (time.perf_counter() - started) * 1000
                if run:  # the first run warms the imports and the file cache
                    figure.append(took)
                    floor.append(alone)
        finally:
            shell.quit()
            settle()
        return figure, floor

    # ------------------------------------------------------------------ the list

    def open_list(
        self, username: str | None = None
    ) -> tuple[list[float], list[float], float | None]:
        """(first page shown in the list, the service's search alone) per run, each on a
        fresh connection; and the median time to fetch the next page when scrolled 2,000
        rows down (the list is paged: the model asks for more as the view nears the end)."""
        shown: list[float] = []
        service: list[float] = []
        deep: list[float] = []
        for run in range(self.runs + 1):
            with self.session(username) as session:
                took, again, next_page = self._open_list_once(IncidentService(session))
            if run:
                shown.append(took)
                service.append(again)
                if next_page is not None:
                    deep.append(next_page)
        return shown, service, statistics.median(deep) if deep else None

    def _open_list_once(self, incidents: IncidentService) -> tuple[float, float, float | None]:
        made: list[IncidentListPanel] = []

        def open_it() -> None:
            panel = IncidentListPanel(IncidentTableModel(incidents.search, ZONE), "Incidents")
            made.append(panel)
            panel.resize(1200, 700)
            panel.load(IncidentQuery())
            panel.show()

        took = until_painted(lambda: made[0] if made else None, open_it)
        panel = made[0]
        assert panel.model.total > 0
        started = time.perf_counter()
        incidents.search(IncidentQuery())
        again = (time.perf_counter() - started) * 1000
        model = panel.model
        while model.rowCount() < 2000 and model.canFetchMore():
            model.fetchMore()
        next_page = None
        if model.canFetchMore():
            started = time.perf_counter()
            model.fetchMore()
            next_page = (time.perf_counter() - started) * 1000
        panel.close()
        panel.deleteLater()
        settle()
        return took, again, next_page

    def search_cases(self) -> list[SearchCase]:
        """A surname staff would type (the pupil with the most records), that pupil
        picked from the suggestions, and the spring term of the last school year."""
        with self.session() as session:
            db = session.store.connection if isinstance(session.store, SqlStore) else None
            assert db is not None
            row = db.one(
                "SELECT p.id, p.last_name FROM incidents AS i JOIN pupils AS p "
                "ON p.id = i.pupil_id WHERE i.status = 'submitted' GROUP BY p.id "
                "ORDER BY count(*) DESC, p.id LIMIT 1"
            )
            last_day = date.fromisoformat(
                db.scalar("SELECT max(occurred_on) FROM incidents WHERE status = 'submitted'")
            )
        assert row is not None
        spring = date(last_day.year if last_day.month >= 4 else last_day.year - 1, 1, 1)
        return [
            SearchCase(f"search: pupil name ('{row['last_name']}')", text=row["last_name"]),
            SearchCase(
                "search: date range (a term)", date_from=spring, date_to=date(spring.year, 3, 31)
            ),
            SearchCase("search: one pupil (picked)", pupil_id=int(row["id"])),
        ]

    def plans(self, cases: list[SearchCase]) -> dict[str, dict[str, list[str]]]:
        with self.session() as session:
            store = session.store
            assert isinstance(store, SqlStore)
            staff = store.users.by_username(self.built.staff_username)
            assert staff is not None
            name = next(c for c in cases if c.text)
            pupil = next(c for c in cases if c.pupil_id is not None)
            term = next(c for c in cases if c.date_from is not None)
            assert pupil.pupil_id is not None and term.date_from and term.date_to
            return query_plans(
                store,
                name.text,
                pupil.pupil_id,
                (term.date_from, term.date_to),
                staff.id,
                staff.staff_id,
            )

    def search(self, case: SearchCase) -> tuple[list[float], int]:
        """Milliseconds from the filters changing to the main window's list repainted,
        with the main window just opened (and its after-paint work done) on a fresh
        connection; and the matches."""
        times: list[float] = []
        total = 0
        for run in range(self.runs + 1):
            with self.session() as session:
                directory = DirectoryService(session)
                window = MainWindow(services_for(session), ScriptedPrompter())
                until_painted(_itself(window), window.show)
                # What the window does just after its first paint (the parents-to-tell
                # count; the desk's count on a worker, and the desk opening beside the
                # main window when anything waits) is over before anyone can type: let
                # it run, untimed.
                settle()
                settle_background(window)
                filters_set(window, case, directory)
                took = until_painted(_itself(window), window.refresh)
                total = window.incidents.model.total
                window.shut_down()
                window.deleteLater()
                settle()
            if run:
                times.append(took)
        return times, total

    # ------------------------------------------------------------------ submit

    def submit(self) -> list[float]:
        """IncidentService.submit of a complete draft (policy check, reference, version,
        audit entry), with every generated record already there."""
        times: list[float] = []
        with self.session() as session:
            service = IncidentService(session)
            pupil = session.store.pupils.search("", 1)[0]
            staff_id = session.user.staff_id
            assert staff_id is not None
            day = to_local(self.clock.now(), ZONE).date()
            details = complete_details(pupil.id, staff_id, day)
            for run in range(self.runs + 1):
                draft = service.new_draft(details)
                started = time.perf_counter()
                done = service.submit(draft.id, details)
                took = (time.perf_counter() - started) * 1000
                assert done.reference
                if run:
                    times.append(took)
        return times


def _itself(window: QWidget) -> Callable[[], QWidget | None]:
    return lambda: window


def filters_set(window: MainWindow, case: SearchCase, directory: DirectoryService) -> None:
    """Put ``case`` into the filter bar with its signals blocked: the timed refresh is
    what a change of filter runs (after the search box's short typing delay)."""
    bar = window.filters
    widgets = (bar, bar.search, bar.date_from, bar.date_to)
    for widget in widgets:
        widget.blockSignals(True)
    bar.search.setText(case.text)
    bar.date_from.set_value(case.date_from)
    bar.date_to.set_value(case.date_to)
    bar.set_pupil(None if case.pupil_id is None else directory.pupil(case.pupil_id))
    for widget in widgets:
        widget.blockSignals(False)
