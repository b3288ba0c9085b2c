"""Figures about a fresh process, each measured in a child started with ``python -c``.

The child's code is plain text here, so the figure and its floor run the same harness:
the parent notes the monotonic clock (system-wide on Linux and Windows) just before
starting the child; the child prints the clock when its window has been exposed and
painted (a zero timer after the first expose event runs once the paint is done), then
quits. Start-up of the interpreter counts on both sides.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Shared by every window probe: marks the first exposed window, then calls on_shown.
_WATCH = """
import time
try:
    import resource
    def _peak_kib():  # Linux: KiB
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
except ImportError:  # Windows: not measured
    def _peak_kib():
        return 0
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication

class _Watch(QObject):
    def __init__(self, on_shown):
        super().__init__()
        self.on_shown = on_shown
        self.seen = set()

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and isinstance(obj, QWindow) and obj.isExposed():
            for widget in QApplication.topLevelWidgets():
                if widget.windowHandle() is obj and id(widget) not in self.seen:
                    self.seen.add(id(widget))
                    QTimer.singleShot(0, lambda w=widget: self.on_shown(w))
        return False

def _mark(label):
    print(label, time.monotonic_ns(), _peak_kib(), flush=True)
"""

# The floor: a bare PySide6 process showing an empty QMainWindow.
FLOOR_WINDOW = (
    _WATCH
    + """
from PySide6.QtWidgets import QMainWindow
app = QApplication([])
def shown(widget):
    _mark("SHOWN")
    app.quit()
watch = _Watch(shown)
app.installEventFilter(watch)
window = QMainWindow()
window.resize(900, 640)
window.show()
app.exec()
"""
)

# The app as a person starts it (`incident-recorder`: the command line's entry point),
# up to the sign-in window (run_gui: the data folder's lock, the keyring, the shell).
# The QApplication is made first only so the watch can be installed; run_gui takes the
# existing one.
COLD_START = (
    """
from incident_recorder.launcher import main
"""
    + _WATCH
    + """
import sys
app = QApplication([])
def shown(widget):
    _mark("SHOWN")
    app.quit()
watch = _Watch(shown)
app.installEventFilter(watch)
main(["--data-dir", sys.argv[1]])  # as `incident-recorder --data-dir DIR` starts
"""
)

# Peak memory: start the app, sign in through the sign-in window (clicking Sign in a
# moment after it shows, as a person would), wait for the main window with the first
# page of the list, then report the peak resident set and the time from the click.
MEMORY = (
    """
from incident_recorder.app import run_gui
"""
    + _WATCH
    + """
import sys
from incident_recorder.ui.main_window import MainWindow
from incident_recorder.ui.sign_in import SignInWindow
app = QApplication([])
data_dir, username, passphrase = sys.argv[1], sys.argv[2], sys.stdin.readline().rstrip("\\n")
TYPING_MS = int(sys.argv[3])
def click(widget):
    _mark("CLICK")
    widget.sign_in_button.click()
def shown(widget):
    if isinstance(widget, SignInWindow):
        widget.username.setText(username)
        widget.passphrase.setText(passphrase)
        # A person takes a moment to type: the app may use it (e.g. to finish loading).
        QTimer.singleShot(TYPING_MS, lambda: click(widget))
    elif isinstance(widget, MainWindow):
        _mark("MAIN")
        app.quit()
watch = _Watch(shown)
app.installEventFilter(watch)
run_gui(data_dir)
"""
)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("INCIDENT_RECORDER_DATA", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    # An installed app runs from compiled bytecode (pip and PyInstaller compile it), so the
    # children keep theirs, in the benchmark's cache (not beside the sources), even where
    # the machine sets PYTHONDONTWRITEBYTECODE: otherwise every fresh process compiles
    # the app's modules again and a start-up figure grows with the lines of code.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(REPO / "tests" / "benchmarks" / ".cache" / "pycache")
    return env


def run_child(code: str, *args: str, stdin: str = "") -> tuple[int, dict[str, tuple[int, int]]]:
    """Start ``python -c code args``; returns (start on the monotonic clock in ns, and
    each printed mark as label -> (monotonic ns, peak RSS in KiB))."""
    argv = [sys.executable, "-c", textwrap.dedent(code), *args]
    started = time.monotonic_ns()
    done = subprocess.run(
        argv, input=stdin, capture_output=True, text=True, env=_env(), cwd=REPO, timeout=120
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({done.returncode}): {done.stderr[-2000:]}")
    marks: dict[str, tuple[int, int]] = {}
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1].isdigit():
            marks[parts[0]] = (int(parts[1]), int(parts[2]))
    return started, marks


def window_shown_ms(code: str, *args: str) -> float:
    started, marks = run_child(code, *args)
    return (marks["SHOWN"][0] - started) / 1e6


def cold_start_ms(data_dir: Path) -> float:
    return window_shown_ms(COLD_START, str(data_dir))


def floor_window_ms() -> float:
    return window_shown_ms(FLOOR_WINDOW)


TYPING_MS = 1500


def memory_mb(data_dir: Path, username: str, passphrase: str) -> tuple[float, float]:
    """(peak RSS in MB once the main window shows its list, ms from the sign-in click to
    the main window shown, in this fresh process)."""
    _started, marks = run_child(
        MEMORY, str(data_dir), username, str(TYPING_MS), stdin=passphrase + "\n"
    )
    unlock_ms = (marks["MAIN"][0] - marks["CLICK"][0]) / 1e6
    return marks["MAIN"][1] / 1024, unlock_ms


# The floor of the parent letter: import reportlab (the app imports it lazily, when the
# first document is made) and build a one-page letter-like document.
LETTER_FLOOR = """
import time
started = time.perf_counter()
from io import BytesIO
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
def build():
    styles = getSampleStyleSheet()
    body = [Paragraph("Fictional Oak Primary School", styles["Title"]),
            Paragraph("1 Imaginary Lane, Exampletown EX1 2AB", styles["Normal"]), Spacer(1, 12),
            Paragraph("Dear parent or carer of Amara Okafor,", styles["Normal"]), Spacer(1, 8)]
    text = ("Today at school staff needed to hold Amara for a short time to keep everyone "
            "safe. We want you to know what happened, what we did and how Amara is now. ")
    body += [Paragraph(text * 3, styles["Normal"]), Spacer(1, 8)] * 5
    body += [Paragraph("Yours sincerely,", styles["Normal"]),
             Paragraph("Siân Griffiths, Headteacher", styles["Normal"])]
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="Letter").build(body)
    return out.getvalue()
first = build()
cold = time.perf_counter() - started
warm = []
for _ in range(5):
    t = time.perf_counter()
    build()
    warm.append(time.perf_counter() - t)
assert first.startswith(b"%PDF")
print("COLD", int(cold * 1e9), 0)
print("WARM", int(sorted(warm)[2] * 1e9), 0)
"""

# The parent letter itself, through tests/benchmarks/letter.py (issue 5 fills it in).
LETTER = """
import sys, time
from tests.benchmarks.letter import letter_builder
data_dir, username, passphrase = sys.argv[1], sys.argv[2], sys.stdin.readline().rstrip("\\n")
build = letter_builder(data_dir, username, passphrase)
if build is None:
    print("MISSING 0 0")
    raise SystemExit(0)
started = time.perf_counter()
first = build()
cold = time.perf_counter() - started
warm = []
for _ in range(5):
    t = time.perf_counter()
    build()
    warm.append(time.perf_counter() - t)
assert first.startswith(b"%PDF")
print("COLD", int(cold * 1e9), 0)
print("WARM", int(sorted(warm)[2] * 1e9), 0)
"""


def letter_floor_ms() -> tuple[float, float]:
    """(first document in a fresh process, reportlab import included; a later one)."""
    _started, marks = run_child(LETTER_FLOOR)
    return marks["COLD"][0] / 1e6, marks["WARM"][0] / 1e6


def letter_ms(data_dir: Path, username: str, passphrase: str) -> tuple[float, float] | None:
    _started, marks = run_child(LETTER, str(data_dir), username, stdin=passphrase + "\n")
    if "MISSING" in marks:
        return None
    return marks["COLD"][0] / 1e6, marks["WARM"][0] / 1e6
