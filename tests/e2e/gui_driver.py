"""Drives the real Incident Recorder in a process of its own, as a person at the keyboard
would, for tests/e2e/test_gui_process.py.

    python -m tests.e2e.gui_driver SCENARIO --data-dir DIR --user NAME --marker TEXT

The passphrase comes from INCIDENT_RECORDER_PASSPHRASE. The app is started through
``incident_recorder.app.run_gui``, the entry point behind ``incident-recorder`` (data
folder lock, log file, key vault, set-up/sign-in/main window), and the script below types
into its real widgets with QTest key clicks from a timer inside the app's own event loop.

Scenarios
    kill-mid-form       sign in; New incident; type TEXT into the location, what led up to
                        it and the pupil's own words (adding the pupil through the quick-add
                        dialog); wait for the autosave; type a little more; print READY and
                        wait to be killed.
    recover-and-submit  sign in; take up the unfinished draft the main window offers; say
                        which fields came back; complete the record, typing TEXT into the
                        account and into the explanation a late record needs; submit it;
                        quit from the keyboard (Ctrl+Q), as a person would.

What the driver prints on stdout, one line each (never the marker or anyone's name):
``NETWORK GUARD ON`` (tests/conftest_offline.py's guard is active here), ``STEP <what>``,
``SAVED``, ``READY``, ``OFFERED <banner text>``, ``RECOVERED <field>``, ``SUBMITTED
<reference>``, ``EXITED <code>``; ``FAILED <why>`` and exit code 1 when a step cannot be
done (the details go to stderr).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import socket
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from incident_recorder.app import run_gui
from incident_recorder.domain.policy import outstanding
from incident_recorder.domain.steps import Step
from incident_recorder.ui.form import IncidentForm
from incident_recorder.ui.form.staff_row import StaffRow
from incident_recorder.ui.form.step_debriefs import DebriefsPage
from incident_recorder.ui.form.step_what_happened import WhatHappenedPage
from incident_recorder.ui.form.step_when_where import WhenWherePage
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.quick_add import QuickAddPupilDialog
from incident_recorder.ui.sign_in import SignInWindow
from tests.fakes import complete_details

ENV_PASSPHRASE = "INCIDENT_RECORDER_PASSPHRASE"
CTRL = Qt.KeyboardModifier.ControlModifier
NO_KEYS = Qt.KeyboardModifier.NoModifier
TICK_MS = 20
PUPIL = ("Amara", "Okafor")  # fictional
STAFF_NAME = "Tomasz Nowak"  # fictional: the account the tests sign in with
# What kill-mid-form types into each field after the marker, then after the autosave.
TYPED = {
    "location": " quiet room",
    "antecedents": " after lunch, when the timetable changed",
    "pupil_voice": " I wanted to go outside",
}
TYPED_LAST = " and nobody listened"


def say(line: str) -> None:
    print(line, flush=True)


# --------------------------------------------------------------------------- the runner


@dataclass
class Wait:
    """Give the event loop control until ``ready()``; fail after ``seconds``."""

    what: str
    ready: Callable[[], bool]
    seconds: float = 20.0
    ticks: int = 1  # how many ticks in a row ready() must hold


Script = Iterator[Wait]


class Failed(Exception):
    """A step of the script could not be done."""


def fail(why: str) -> None:
    say(f"FAILED {why}")
    modal = QApplication.activeModalWidget()
    if isinstance(modal, QMessageBox):
        sys.stderr.write(f"A message box was open: {modal.text()}\n")
    active, focus = QApplication.activeWindow(), QApplication.focusWidget()
    sys.stderr.write(
        f"Active window: {type(active).__name__ if active else None}; focus: "
        f"{(focus.accessibleName() or type(focus).__name__) if focus else None}\n"
    )
    sys.stderr.flush()
    os._exit(1)


class Runner(QObject):
    """Steps a script from a timer, so that the app runs its real event loop between
    steps (timers, autosave, queued signals), even inside a dialog's own loop."""

    def __init__(self, script: Script) -> None:
        super().__init__()
        self._script = script
        self._wait: Wait | None = None
        self._ready_ticks = 0
        self._deadline = time.monotonic() + 60
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        what = self._wait.what if self._wait else "the app to start"
        if time.monotonic() > self._deadline:
            fail(f"timed out waiting for {what}")
        if self._busy:  # a step opened a dialog with its own event loop
            return
        if self._wait is not None:
            try:
                ready = self._wait.ready()
            except Exception:  # reported, then the process ends
                traceback.print_exc()
                fail(f"error while waiting for {what}")
            self._ready_ticks = self._ready_ticks + 1 if ready else 0
            if self._ready_ticks < self._wait.ticks:
                return
        self._ready_ticks = 0
        self._busy = True
        try:
            self._wait = next(self._script)
            self._deadline = time.monotonic() + self._wait.seconds
        except StopIteration:
            self._timer.stop()
        except Failed as error:
            traceback.print_exc()
            fail(str(error))
        except Exception:  # reported, then the process ends
            traceback.print_exc()
            fail(f"error after waiting for {what}")
        finally:
            self._busy = False


# --------------------------------------------------------------------------- the keyboard


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def receiver() -> QWidget:
    """Where the window system delivers a key press: an open popup first (a completer's
    list), else the focused widget."""
    popup = QApplication.activePopupWidget()
    widget = (popup.focusWidget() or popup) if popup is not None else QApplication.focusWidget()
    if widget is None:
        raise Failed("nothing has the keyboard focus")
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = NO_KEYS) -> None:
    QTest.keyClick(receiver(), key, modifier)


def type_text(text: str) -> None:
    QTest.keyClicks(receiver(), text)


def _is(target: QWidget, widget: QWidget | None) -> bool:
    proxy, deeper = target, target.focusProxy()
    while deeper is not None:
        proxy, deeper = deeper, deeper.focusProxy()
    return widget is not None and (widget is target or widget is proxy)


def has_focus_in(window: QWidget) -> bool:
    widget = focused()
    return window.isActiveWindow() and widget is not None and window.isAncestorOf(widget)


def tab_to(target: QWidget, limit: int = 30) -> None:
    """Press Tab until ``target`` has the focus (it is reachable from the keyboard)."""
    for _ in range(limit):
        if _is(target, focused()):
            return
        press(Qt.Key.Key_Tab)
    raise Failed(f"Tab never reached {target.accessibleName() or type(target).__name__}")


def _window_active(window: QWidget) -> bool:
    """Offscreen Qt has no window manager: it activates windows late and does not give
    the activation back when a dialog or a completer's popup closes. The driver does
    what a window manager would."""
    if not window.isActiveWindow() and QApplication.activePopupWidget() is None:
        window.activateWindow()
    return window.isActiveWindow()


def settle(window: QWidget) -> Wait:
    """Wait until ``window`` is active with the focus in it, for a few ticks in a row
    (activation arrives as a queued window-system event)."""
    return Wait(
        f"{window.windowTitle() or type(window).__name__} to have the focus",
        lambda: (
            _window_active(window)
            and has_focus_in(window)
            and QApplication.activePopupWidget() is None
        ),
        ticks=3,
    )


def put_focus(target: QWidget) -> Wait:
    """Give ``target`` the keyboard focus, in an active window, for a few ticks in a row."""

    def ready() -> bool:
        if _window_active(target.window()) and not _is(target, focused()):
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        return _is(target, focused())

    return Wait(f"the focus on {target.accessibleName()}", ready, ticks=3)


def shown(kind: type[QWidget]) -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, kind) and widget.isVisible():
            return widget
    return None


class Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args: object) -> None:
        self.count += 1


# --------------------------------------------------------------------------- shared steps


class Driver:
    def __init__(self, username: str, passphrase: str, marker: str) -> None:
        self.username = username
        self.passphrase = passphrase
        self.marker = marker
        self.main: MainWindow | None = None
        self.form: IncidentForm | None = None

    def sign_in(self) -> Script:
        say("STEP sign in")
        yield Wait("the sign-in window", lambda: shown(SignInWindow) is not None)
        window = shown(SignInWindow)
        assert isinstance(window, SignInWindow)
        yield put_focus(window.username)
        type_text(self.username)
        press(Qt.Key.Key_Tab)
        type_text(self.passphrase)
        press(Qt.Key.Key_Return)
        yield Wait("the main window", lambda: shown(MainWindow) is not None, seconds=30)
        main = shown(MainWindow)
        assert isinstance(main, MainWindow)
        self.main = main
        yield Wait("the main window to be active", lambda: _window_active(main), ticks=3)

    def open_form(self) -> Script:
        main = self.main
        assert main is not None
        yield Wait("an incident form", lambda: bool(main.windows.forms))
        form = next(iter(main.windows.forms.values()))
        if not isinstance(form, IncidentForm):
            raise Failed("the window opened is not the incident form")
        self.form = form
        yield Wait("the form to be active", lambda: _window_active(form), ticks=3)

    def next_step(self, expected: Step) -> None:
        press(Qt.Key.Key_PageDown, CTRL)
        assert self.form is not None
        if self.form.current_step() is not expected:
            raise Failed(f"Ctrl+PgDown went to {self.form.current_step().name}")


# --------------------------------------------------------------------------- scenarios


def kill_mid_form(d: Driver) -> Script:
    yield from d.sign_in()
    assert d.main is not None
    say("STEP new incident")
    QTest.keyClick(d.main, Qt.Key.Key_N, CTRL)
    yield from d.open_form()
    form = d.form
    assert form is not None
    saves = Counter()
    form.draft_saved.connect(saves)

    when_where, debriefs = form.pages[0], form.pages[7]
    assert isinstance(when_where, WhenWherePage) and isinstance(debriefs, DebriefsPage)

    # 1. When and where: a place that is not on the school's list, typed into the box.
    yield put_focus(when_where.location)
    type_text(d.marker + TYPED["location"])

    # 2. Who: the pupil is not on the list yet, so add them in the quick-add dialog.
    d.next_step(Step.WHO)
    tab_to(form.who.pupil.add_button)
    press(Qt.Key.Key_Space)
    yield Wait("the Add a pupil dialog", lambda: shown(QuickAddPupilDialog) is not None)
    dialog = shown(QuickAddPupilDialog)
    assert isinstance(dialog, QuickAddPupilDialog)
    yield put_focus(dialog.first_name)
    type_text(PUPIL[0])
    press(Qt.Key.Key_Tab)
    type_text(PUPIL[1])
    press(Qt.Key.Key_Return)
    yield Wait("the pupil to be chosen", lambda: form.who.pupil.pupil_id() is not None)
    yield settle(form)

    # 3. What happened (the step change saves the draft too).
    d.next_step(Step.WHAT_HAPPENED)
    type_text(d.marker + TYPED["antecedents"])

    # 8. The pupil's voice: debriefed, in their own words.
    for step in (Step.DEESCALATION, Step.NECESSITY, Step.INTERVENTION, Step.INJURIES):
        d.next_step(step)
    d.next_step(Step.DEBRIEFS)
    press(Qt.Key.Key_Space)  # "Yes"
    tab_to(debriefs.pupil_voice)
    type_text(d.marker + TYPED["pupil_voice"])

    # Only the autosave timer saves what was typed since the last step change.
    before = saves.count
    say("STEP waiting for the autosave")
    yield Wait("the autosave", lambda: saves.count > before)
    say("SAVED")
    type_text(TYPED_LAST)  # may be lost: typed after the last save
    say("READY")
    yield Wait("SIGKILL from the test", lambda: False, seconds=120)


def recover_and_submit(d: Driver) -> Script:
    yield from d.sign_in()
    main = d.main
    assert main is not None
    yield Wait("the offer of unfinished records", main.banner.isVisible)
    say(f"OFFERED {main.banner_text.text()}")
    if focused() is not main.continue_button:
        raise Failed("the Continue button does not have the focus")
    press(Qt.Key.Key_Space)
    yield from d.open_form()
    form = d.form
    assert form is not None

    came_back = form.details()
    for name, text in (
        ("location", came_back.when_where.location),
        ("antecedents", came_back.what_happened.antecedents),
        ("pupil_voice", came_back.debriefs.pupil_voice),
    ):
        if d.marker in text:
            say(f"RECOVERED {name}")
    if came_back.who.pupil_id is not None:
        say("RECOVERED pupil")

    # 2. Who: the member of staff, typed with completion from the staff list.
    say("STEP completing the record")
    when_where, what_happened = form.pages[0], form.pages[2]
    assert isinstance(when_where, WhenWherePage) and isinstance(what_happened, WhatHappenedPage)
    yield put_focus(when_where.date)
    d.next_step(Step.WHO)
    tab_to(form.who.staff.add_button)
    press(Qt.Key.Key_Space)
    row = form.who.staff.rows()[0]
    assert isinstance(row, StaffRow)
    type_text(STAFF_NAME)
    tab_to(row.part)
    type_text("c")  # "Carried out"
    yield settle(form)
    who = form.details().who
    if who.pupil_id is None or not who.staff:
        raise Failed("the pupil or the member of staff was not taken")

    # The sections this test is not about come from the complete record the unit tests
    # use (the keyboard-only run through every step is tests/gui/test_incident_form.py).
    # The incident was yesterday: recording it today needs a written explanation.
    day = datetime.now(ZoneInfo("Europe/London")).date() - timedelta(days=1)
    full = complete_details(who.pupil_id, who.staff[0].staff_id, day)
    merged = dataclasses.replace(
        full,
        when_where=dataclasses.replace(full.when_where, location=came_back.when_where.location),
        who=who,
        what_happened=dataclasses.replace(
            full.what_happened, antecedents=came_back.what_happened.antecedents
        ),
        debriefs=dataclasses.replace(full.debriefs, pupil_voice=came_back.debriefs.pupil_voice),
    )
    for page in form.pages:
        if page is not form.who:
            page.load(merged)

    form.go_to(Step.WHAT_HAPPENED, focus=False)
    yield put_focus(what_happened.account)
    press(Qt.Key.Key_End, CTRL)
    type_text(f" {d.marker} 10:20 back in class.")

    form.go_to(Step.REVIEW, focus=False)
    late = [f for f in form.findings() if f.code == "late_recording"]
    if not late:
        raise Failed("no explanation was asked for a record made the day after")
    form.jump_to(late[0])  # as choosing it in the list of what is missing does
    box = when_where.slots["date"].boxes.get("late_recording")
    if box is None:
        raise Failed("no explanation box beside the date")
    yield put_focus(box.edit)
    type_text(f"{d.marker} I was on a course for the rest of the day.")
    form.go_to(Step.REVIEW, focus=False)
    left = outstanding(form.findings())
    if left or not form.review.submit.isEnabled():
        raise Failed(f"not ready to submit: {sorted(f.code for f in left)}")

    say("STEP submit")
    submitted = Counter()
    form.incident_submitted.connect(submitted)
    submit = form.review.submit
    yield put_focus(submit)
    # The question is a real modal box with its own event loop: press Space from the
    # event loop, not from this step, so the runner can answer the box.
    QTimer.singleShot(0, lambda: QTest.keyClick(submit, Qt.Key.Key_Space))
    yield Wait("the question Submit this record?", lambda: _button("Submit") is not None)
    button = _button("Submit")
    assert button is not None
    button.click()
    yield Wait("the record to be submitted", lambda: submitted.count > 0)
    say(f"SUBMITTED {form.incident().reference}")

    yield Wait(
        "the form to be active again",
        lambda: _window_active(form) and QApplication.activePopupWidget() is None,
        ticks=3,
    )
    say("STEP quit")
    QTest.keyClick(focused() or form, Qt.Key.Key_Q, CTRL)


def _button(text: str) -> QPushButton | None:
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        return None
    for button in box.buttons():
        if isinstance(button, QPushButton) and button.text().replace("&", "") == text:
            return button
    return None


SCENARIOS: dict[str, Callable[[Driver], Script]] = {
    "kill-mid-form": kill_mid_form,
    "recover-and-submit": recover_and_submit,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.gui_driver")
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--user", required=True)
    parser.add_argument("--marker", required=True)
    args = parser.parse_args(argv)
    passphrase = os.environ.get(ENV_PASSPHRASE)
    if not passphrase:
        parser.error(f"set {ENV_PASSPHRASE}")
    if socket.socket.__name__ == "_GuardedSocket":  # tests/conftest_offline.py
        say("NETWORK GUARD ON")
    app = QApplication([sys.argv[0]])  # run_gui takes this one up
    driver = Driver(args.user, passphrase, args.marker)
    runner = Runner(SCENARIOS[args.scenario](driver))
    runner.start()
    code = run_gui(args.data_dir)
    say(f"EXITED {code}")
    del runner, app
    return code


if __name__ == "__main__":
    sys.exit(main())
