"""The README's first command on a bare Linux desktop, for real (issue 10).

The real app (``python -m incident_recorder``) runs under a real X server (Xvfb), with
Qt choosing its platform plugin itself (no ``QT_QPA_PLATFORM``), in two set-ups:

- **the issue's desktop**: ``libxcb-icccm4`` and ``libxcb-keysyms1`` genuinely absent
  (where they are installed, a private mount namespace lays ``/dev/null`` over their
  files, so the dynamic loader cannot load them). Plain PySide6 there aborts with Qt's
  "xcb-cursor0 is needed" text (checked first, so the set-up is proven real); the app
  instead names the two libraries and the apt-get command, and exits 2;
- **everything installed** (the README's apt-get line): the app's check passes and its
  first window is shown on the X server.

CI (.ci/run) installs Xvfb and the README's line and sets REQUIRE_REAL_WINDOW_TESTS=1,
so there these tests run or fail, never skip. Elsewhere they skip only when Xvfb (or a
way to hide the libraries) is truly not there. Whatever a test starts, it ends.
"""

from __future__ import annotations

import functools
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from incident_recorder.infra.paths import DataFolder
from incident_recorder.infra.qt_requirements import XCB_LIBRARIES
from tests.e2e.conftest import REPO

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux desktops")

HIDDEN = {"libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-keysyms.so.1": "libxcb-keysyms1"}
QT_RAW = ("xcb-cursor0", "Could not load the Qt platform plugin", "Reinstalling the application")
REQUIRED = os.environ.get("REQUIRE_REAL_WINDOW_TESTS") == "1"
LIB_FOLDERS = ("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib")
START_TIMEOUT = 60.0


def unavailable(reason: str) -> None:
    """Skip, except in CI, where the thing missing is a broken set-up."""
    if REQUIRED:
        pytest.fail(f"{reason} (CI must run this test: see .ci/run)")
    pytest.skip(reason)


# --------------------------------------------------------------------------- the X server


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A real X server of our own (Xvfb, on a free display number)."""
    if shutil.which("Xvfb") is None:
        unavailable("Xvfb is not installed (Debian: apt-get install xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-nolisten", "tcp", "-screen", "0", "1024x768x24"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as numbers:
            number = numbers.readline().strip()
        if not number.isdigit():
            pytest.fail("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def app_env(tmp_path: Path, display: str) -> dict[str, str]:
    """This environment as a desktop session gives it: DISPLAY set, Qt left to choose."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")
        and not k.startswith("INCIDENT_RECORDER_")
    }
    home = tmp_path / "home"
    (home / "runtime").mkdir(parents=True, exist_ok=True, mode=0o700)
    env.update(
        DISPLAY=display,
        HOME=str(home),
        XDG_RUNTIME_DIR=str(home / "runtime"),
        PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        PYTHONIOENCODING="utf-8",
        INCIDENT_RECORDER_FAST_KDF="1",
    )
    return env


# --------------------------------------------------------------------------- hiding libraries


@functools.cache
def ldconfig_cache() -> tuple[str, ...]:
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    try:
        listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, timeout=30)
    except OSError:
        return ()
    return tuple(listing.stdout.splitlines())


def library_files(soname: str) -> list[Path]:
    """Every file the dynamic loader could take for ``soname`` (ldconfig's cache and the
    usual folders), as real paths."""
    found: set[Path] = set()
    for line in ldconfig_cache():
        name, _, where = line.strip().partition(" => ")
        if name.split(" ", 1)[0] == soname and where:
            found.add(Path(where).resolve())
    multiarch = getattr(sys.implementation, "_multiarch", "")
    for folder in LIB_FOLDERS:
        for candidate in (Path(folder) / soname, Path(folder) / multiarch / soname):
            if candidate.is_file():
                found.add(candidate.resolve())
    return sorted(found)


def hiding_prefix() -> list[str] | None:
    """The ``unshare`` command that gives a child its own mount namespace (as root, or in
    a user namespace where the kernel allows it); None when neither works here."""
    if shutil.which("unshare") is None:
        return None
    tries = [["unshare", "--mount", "--propagation", "private"]]
    if os.geteuid() != 0:
        tries = [["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"]]
    for prefix in tries:
        probe = subprocess.run(
            [*prefix, "sh", "-c", "mount --bind /dev/null /dev/null"],
            capture_output=True,
            timeout=30,
        )
        if probe.returncode == 0:
            return prefix
    return None


def without_libraries(command: Sequence[str]) -> list[str]:
    """``command``, run where the HIDDEN libraries cannot be loaded."""
    files = [f for soname in HIDDEN for f in library_files(soname)]
    if not files:
        return list(command)  # genuinely not installed here: nothing to hide
    prefix = hiding_prefix()
    if prefix is None:
        unavailable("cannot hide the libraries here (no unshare/mount namespace)")
        raise AssertionError("unreachable")
    mounts = " && ".join(f"mount --bind /dev/null {shlex.quote(str(f))}" for f in files)
    return [*prefix, "sh", "-c", f"{mounts} && exec {shlex.join(command)}"]


def run(command: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        stdin=subprocess.DEVNULL,
        cwd=REPO,
        timeout=120,
    )


PLAIN_PYSIDE = "from PySide6.QtWidgets import QApplication; QApplication([]); print('opened')"
RUN_GUI = "import sys; from pathlib import Path; from incident_recorder.app import run_gui; "


def assert_plain_message(result: subprocess.CompletedProcess[str]) -> None:
    message = result.stderr.strip()
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert len(message.splitlines()) == 1, message
    assert message.startswith("The app cannot open its window"), message
    for soname, package in HIDDEN.items():
        assert f"{soname} (package {package})" in message
    assert message.endswith("sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1"), message
    for raw in QT_RAW:
        assert raw not in message


def the_rest_installed() -> None:
    """Every other library of the xcb plugin is there (the README's line), so what the
    app names is exactly the two hidden ones."""
    others = [s for s in XCB_LIBRARIES if s not in HIDDEN and not library_files(s)]
    if others:
        unavailable(f"{', '.join(others)} not installed: install the README's apt-get line")


# --------------------------------------------------------------------------- the tests


@pytest.mark.slow
def test_the_readme_command_on_the_issues_desktop_names_the_missing_libraries(
    display: str, tmp_path: Path
) -> None:
    the_rest_installed()
    env = app_env(tmp_path, display)
    # First, the set-up is real: plain Qt fails there as the issue describes, with its
    # guess "xcb-cursor0 is needed" though libxcb-cursor0 is installed.
    plain = run(without_libraries([sys.executable, "-c", PLAIN_PYSIDE]), env)
    assert plain.returncode != 0 and "opened" not in plain.stdout, plain.stderr
    assert "xcb-cursor0" in plain.stderr

    # The README's first command: the demo, opened in its window.
    demo = tmp_path / "demo"
    result = run(
        without_libraries(
            [sys.executable, "-m", "incident_recorder", "demo", "--data-dir", str(demo)]
        ),
        env,
    )
    assert_plain_message(result)
    assert not demo.exists(), "it says so before building the demo, not after"

    # Opening the app on a data folder says the same.
    folder = tmp_path / "records"
    result = run(
        without_libraries([sys.executable, "-m", "incident_recorder", "--data-dir", str(folder)]),
        env,
    )
    assert_plain_message(result)


@pytest.mark.slow
def test_when_qt_fails_all_the_same_the_app_still_says_why(display: str, tmp_path: Path) -> None:
    """Past the launcher's check (run_gui called directly), Qt's own abort is caught: the
    same plain message and exit 2, not Qt's text and a core dump."""
    the_rest_installed()
    env = app_env(tmp_path, display)
    folder = tmp_path / "records"
    code = RUN_GUI + f"sys.exit(run_gui(Path({str(folder)!r})))"
    result = run(without_libraries([sys.executable, "-c", code]), env)
    assert_plain_message(result)
    assert not DataFolder(folder).lock_file.exists()


def libraries_installed() -> None:
    missing = [s for s in HIDDEN if not library_files(s)]
    if missing:
        unavailable(f"{', '.join(missing)} not installed: install the README's apt-get line")


@pytest.mark.slow
def test_a_screen_that_cannot_be_reached_is_said_plainly(tmp_path: Path) -> None:
    libraries_installed()
    env = app_env(tmp_path, ":59999")  # no X server there
    result = run([sys.executable, "-m", "incident_recorder", "--data-dir", str(tmp_path)], env)
    message = result.stderr.strip()
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert len(message.splitlines()) == 1, message
    assert message.startswith("The app cannot open its window on this screen (DISPLAY=:59999)")
    assert "could not connect to display" in message  # what Qt's xcb plugin said
    for raw in QT_RAW:
        assert raw not in message


@pytest.mark.slow
def test_with_the_readmes_libraries_installed_the_window_opens(
    display: str, tmp_path: Path
) -> None:
    libraries_installed()
    env = app_env(tmp_path, display)
    folder = DataFolder(tmp_path / "records")
    app = subprocess.Popen(
        [sys.executable, "-m", "incident_recorder", "--data-dir", str(folder.root)],
        env=env,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        shown = False
        while time.monotonic() < deadline and app.poll() is None:
            # The log starts just after the first window is painted (app._after_first_window).
            if folder.log_file.is_file() and "started" in folder.log_file.read_text("utf-8"):
                shown = True
                break
            time.sleep(0.1)
        alive = app.poll() is None
    finally:
        if app.poll() is None:
            app.send_signal(signal.SIGTERM)
            try:
                app.wait(timeout=15)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()
        _out, err = app.communicate()
    assert shown and alive, err
    for raw in QT_RAW:
        assert raw not in err
