"""The GUI thread's longest stall while slow work runs (issue 11): a zero-interval timer
on the GUI thread notes each time it fires, and the figure is the worst gap between two
firings, i.e. how long a click or a repaint would have waited. Target: 100 ms.

Three jobs, each done the way the app does it, on the full-size database:

- **a letter**: the record's letter prepared and its first copy made for the preview,
  each on the background helper's worker, as the letter button and Preview do;
- **the pupil import**: a 2,000-pupil SIMS-style file checked and imported through the
  wizard's two background calls (the second with its progress window and Cancel);
- **a migration**: signing in through the sign-in window to a copy of the database that
  this version must update first (the heaviest kind there has been: migration 0008, which
  rebuilds the table of record versions, run again as schema 9), its encrypted backup
  first; the worker does both while the window paints.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer

from tests.benchmarks.report import Row, Target

if TYPE_CHECKING:
    from incident_recorder.domain.documents import Pdf
    from incident_recorder.domain.letter_draft import LetterDraft
    from incident_recorder.services.bundle import Services
    from incident_recorder.services.ports import Progress
    from incident_recorder.services.pupil_import import ImportPreview
    from tests.benchmarks.sections import Bench

STALL_LIMIT_MS = 100


class StallMeter:
    """Notes every firing of a zero-interval timer on the GUI thread."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self._timer = QTimer()
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())

    @contextmanager
    def measuring(self) -> Iterator[StallMeter]:
        self.ticks.clear()
        self._timer.start()
        self._tick()
        try:
            yield self
        finally:
            self._tick()
            self._timer.stop()

    @property
    def worst_ms(self) -> float:
        gaps = [b - a for a, b in itertools.pairwise(self.ticks)]
        return max(gaps, default=0.0) * 1000


def _settle(seconds: float = 0.05) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QCoreApplication.processEvents()


def _row(name: str, samples: list[float], note: str) -> Row:
    return Row(name, Target.AT_MOST, STALL_LIMIT_MS, samples=samples, note=note)


def stalls(bench: Bench) -> list[Row]:
    return [_letter(bench), _pupil_import(bench), _migration(bench)]


def _letter(bench: Bench) -> Row:
    from incident_recorder.ui.background import Background, Task
    from tests.fakes import services_for

    figures = bench.figures
    meter = StallMeter()
    samples: list[float] = []
    with figures.session() as session:
        services = services_for(session)
        background = Background(services)
        record = _letter_record(services)
        for run in range(bench.runs + 1):
            _settle()
            with meter.measuring():

                def prepare(worker: Services, _progress: Progress, r: int = record) -> LetterDraft:
                    return worker.letters.prepare(r)

                draft = background.call(Task("preparing the letter", prepare))

                def render(worker: Services, _progress: Progress, d: LetterDraft = draft) -> Pdf:
                    return worker.letters.render(d, 0)

                made = background.call(Task("making the letter", render))
            assert made.data.startswith(b"%PDF-")
            if run:  # the first run loads reportlab and the fonts
                samples.append(meter.worst_ms)
        background.stop_all()
    return _row(
        "GUI stall while a letter is made",
        samples,
        "worst gap of a zero-interval GUI timer: the letter prepared and its first copy "
        "made on the background helper's worker, as the letter button and Preview do "
        "(reportlab loaded once)",
    )


def _letter_record(services: Services) -> int:
    """A record whose pupil has a parent or carer to write to (the benchmark's school
    keeps few contacts: one is given them if none has)."""
    import dataclasses

    from incident_recorder.domain.errors import IncidentRecorderError
    from incident_recorder.domain.model import Contact, IncidentQuery

    rows = services.incidents.search(IncidentQuery(limit=50)).rows
    for row in rows:
        try:
            services.letters.prepare(row.id)
            return row.id
        except IncidentRecorderError:
            continue
    for row in rows:
        incident = services.incidents.open(row.id)
        pupil_id = incident.details.who.pupil_id
        if pupil_id is None:
            continue
        pupil = services.pupils.get(pupil_id)
        parent = Contact(
            f"Mrs Ada {pupil.last_name}", "Mother", True, "1 Imaginary Lane\nEX1 2AB",
            receives_correspondence=True,
        )  # fmt: skip
        services.pupils.update(dataclasses.replace(pupil, contacts=(parent,)))
        try:
            services.letters.prepare(row.id)
            return row.id
        except IncidentRecorderError:
            continue
    raise RuntimeError("no record in the benchmark database can have a letter")


def _pupil_import(bench: Bench) -> Row:
    from incident_recorder.services.changes import Changes
    from incident_recorder.ui.background import Background, Task
    from tests.benchmarks.mis_csv import sims_export
    from tests.fakes import services_for

    figures = bench.figures
    meter = StallMeter()
    samples: list[float] = []
    with figures.session() as session:
        services = services_for(session)
        background = Background(services)
        for run in range(max(3, bench.runs // 2)):
            data = sims_export(2000, seed=2026 + run, new_classes=bool(run % 2))

            def check(worker: Services, _progress: Progress, d: bytes = data) -> ImportPreview:
                return worker.pupil_import.preview(d)

            def write(worker: Services, progress: Progress, d: bytes = data) -> ImportPreview:
                return worker.pupil_import.run(d, None, False, progress)

            _settle()
            with meter.measuring():
                preview = background.call(Task("checking the file", check))
                done = background.call(
                    Task("importing pupils", write, changes=Changes(pupils=True), cancellable=True)
                )
            assert preview.can_import and done.new + done.updated + done.unchanged == 2000
            samples.append(meter.worst_ms)
        background.stop_all()
    return _row(
        "GUI stall while 2,000 pupils are imported",
        samples,
        "worst gap of a zero-interval GUI timer while the import wizard's check and import "
        "run on the background helper (into the full-size database; new pupils, then the "
        "same file again with every pupil in a new class)",
    )


def _migration(bench: Bench) -> Row:
    from incident_recorder.infra.picklists import load_pick_lists
    from incident_recorder.services.accounts import AccountService
    from incident_recorder.store.database import SqlStoreFactory
    from incident_recorder.store.migrate import Migration, MigrationSet
    from incident_recorder.store.vault import FileKeyVault
    from incident_recorder.ui.sign_in import SignInWindow
    from tests.benchmarks.build_db import NOW
    from tests.fakes import FakeClock

    work = bench.work
    bundled = MigrationSet.bundled()
    heaviest = next(m for m in bundled if m.version == 8)
    again = Migration(bundled.latest + 1, "versions_rebuilt_again", heaviest.sql)
    migrations = MigrationSet([*bundled, again])
    meter = StallMeter()
    samples: list[float] = []
    durations: list[float] = []
    # One run: a copy of the whole database, and some 20 s of work.
    with tempfile.TemporaryDirectory(prefix="ir-migration-") as temporary:
        folder = Path(temporary) / "data"
        shutil.copytree(work.folder, folder)
        stores = SqlStoreFactory(folder, migrations=migrations)
        accounts = AccountService(FileKeyVault(folder), stores, FakeClock(NOW), load_pick_lists())
        window = SignInWindow(accounts, "", work.username)
        window.show()
        window.passphrase.setText(work.passphrase)
        signed: list[Any] = []
        window.signed_in.connect(signed.append)
        _settle(0.2)
        started = time.perf_counter()
        with meter.measuring():
            window.sign_in_button.click()
            _wait(lambda: bool(signed) or not window.signing_in, 600)
        durations.append(time.perf_counter() - started)
        assert signed, window.message.text()
        session = signed[0]
        assert session.store.schema_version == again.version
        session.close()
        window.close()
        window.deleteLater()
        _settle()
        samples.append(meter.worst_ms)
    return _row(
        "GUI stall while a migration runs",
        samples,
        "worst gap of a zero-interval GUI timer while the sign-in window signs in to a copy "
        "that needs migration 0008 again (its versions table rebuilt), encrypted backup "
        f"first, on the worker: {durations[0]:.1f} s from the click to signed in",
    )


def _wait(done: Callable[[], bool], seconds: float) -> None:
    end = time.perf_counter() + seconds
    while not done() and time.perf_counter() < end:
        QCoreApplication.processEvents()
        time.sleep(0.001)
