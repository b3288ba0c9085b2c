"""One list of the system libraries Qt needs (issue 10): the README's apt-get line,
``.ci/run`` and the app's own message are the same list, every library PySide6's files
ask for is on it, and the app's ELF reader finds what ``ldd`` finds.

The real-window tests (Xvfb, libraries genuinely absent) are tests/e2e/test_qt_window.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from incident_recorder import gui_start, launcher, selfcheck
from incident_recorder.domain.errors import InvalidInput
from incident_recorder.infra import qt_libraries
from incident_recorder.infra.qt_libraries import (
    dependencies,
    missing_message,
    platforms_qt_tries,
    qt_folder,
    read_elf,
    window_problem,
)
from incident_recorder.infra.qt_requirements import (
    BASE_LIBRARIES,
    LIBRARIES,
    PACKAGES,
    apt_get_command,
)

REPO = Path(__file__).resolve().parents[2]
linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's Qt files")


def readme_apt_line() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.split() for line in text.splitlines() if "apt-get install" in line]
    assert len(lines) == 1, "the README has one apt-get line"
    words = lines[0]
    start = words.index("install") + 1
    return [w.strip("`") for w in words[start:] if not w.startswith("-")]


def ci_list(name: str) -> list[str]:
    text = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    found = re.search(rf"^{name}=\(([^)]*)\)", text, re.MULTILINE)
    assert found, f"{name} is in .ci/run"
    return found.group(1).split()


def test_the_readme_line_is_the_apps_list() -> None:
    assert readme_apt_line() == list(PACKAGES)
    assert apt_get_command() == "sudo apt-get install -y " + " ".join(PACKAGES)


def test_ci_installs_exactly_the_readme_line_and_names_its_own_extras_apart() -> None:
    text = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ci_list("app_packages") == readme_apt_line()
    assert 'install_debian_packages "${app_packages[@]}"' in text
    for extra in ("ci_packages", "installer_packages"):
        assert not set(ci_list(extra)) & set(PACKAGES), f"{extra} is a separate list"
    assert "xvfb" in ci_list("ci_packages")  # the real-window tests need an X server
    assert "export REQUIRE_REAL_WINDOW_TESTS=1" in text  # ... and must not skip in CI


def test_the_readme_opens_with_exactly_two_commands() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    assert len([line for line in block.splitlines() if line.strip()]) == 2


def test_the_message_names_each_library_its_package_and_the_command() -> None:
    assert missing_message(["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]) == (
        "The app cannot open its window: this computer is missing system libraries that "
        "its window toolkit (Qt) needs: libxcb-icccm.so.4 (package libxcb-icccm4) and "
        "libxcb-keysyms.so.1 (package libxcb-keysyms1). On Debian or Ubuntu, install them "
        "by running: sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1"
    )
    # A library not on the list (a future Qt's): named, with the README's whole line.
    unknown = missing_message(["libxcb-icccm.so.4", "libfuture.so.9"])
    assert "libfuture.so.9" in unknown and apt_get_command() in unknown


def test_every_package_is_named_once_and_looks_like_a_debian_package() -> None:
    assert len(PACKAGES) == len(set(PACKAGES))
    for package in PACKAGES:
        assert re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", package), package
        assert not package.endswith("t64"), "the old names install on Debian 12 and Ubuntu 22.04"
    assert not set(LIBRARIES) & set(BASE_LIBRARIES)


# --------------------------------------------------------------------------- PySide6's files

# What the app can load: its Qt modules, the plugins for a window (X11, Wayland,
# offscreen for the tests), printing, input methods, icons and images.
MODULES = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtPdf", "QtPdfWidgets")
PLUGINS = (
    "platforms/libqxcb.so",
    "platforms/libqwayland.so",
    "platforms/libqoffscreen.so",
    "xcbglintegrations/*.so",
    "wayland-shell-integration/*.so",
    "wayland-decoration-client/*.so",
    "wayland-graphics-integration-client/*.so",
    "printsupport/*.so",
    "platforminputcontexts/libcompose*.so",
    "platforminputcontexts/libibus*.so",
    "platformthemes/libqxdgdesktopportal.so",
    "imageformats/*.so",
    "iconengines/*.so",
)


def pyside_files() -> list[Path]:
    base = qt_folder()
    assert base is not None
    files = [f for m in MODULES for f in base.glob(f"{m}.*.so")]
    files += [f for pattern in PLUGINS for f in (base / "Qt" / "plugins").glob(pattern)]
    assert len(files) > 20
    return files


@linux
def test_every_system_library_pysides_files_ask_for_is_on_the_list() -> None:
    base = qt_folder()
    assert base is not None
    bundled = (str(base.resolve()), str((base.parent / "shiboken6").resolve()))
    seen: set[str] = set()
    queue = [str(f) for f in pyside_files()]
    unlisted: dict[str, str] = {}
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        elf = read_elf(path)
        assert elf is not None, path
        found = dependencies(path)
        for soname in elf.needed:
            where = found.get(soname)
            if where is not None and os.path.realpath(where).startswith(bundled):
                queue.append(where)  # Qt's own library: follow it
            elif soname not in LIBRARIES and soname not in BASE_LIBRARIES:
                unlisted[soname] = Path(path).name
    assert unlisted == {}, "add these to incident_recorder/infra/qt_requirements.py"


@linux
@pytest.mark.skipif(shutil.which("ldd") is None, reason="ldd to compare with")
def test_the_elf_reader_finds_what_ldd_finds() -> None:
    base = qt_folder()
    assert base is not None
    plugin = base / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    output = subprocess.run(
        ["ldd", str(plugin)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    by_ldd: dict[str, str | None] = {}
    for line in output.splitlines():
        name, arrow, rest = line.strip().partition(" => ")
        if arrow:
            where = rest.split(" (", 1)[0].strip()
            by_ldd[name] = None if where == "not found" else os.path.realpath(where)
    ours = {
        name: (os.path.realpath(where) if where else None)
        for name, where in dependencies(plugin).items()
        if name in by_ldd
    }
    assert len(by_ldd) > 30
    assert ours == by_ldd


def test_a_file_the_loader_would_refuse_counts_as_missing(tmp_path: Path) -> None:
    empty = tmp_path / "libempty.so.1"
    empty.write_bytes(b"")
    text = tmp_path / "libtext.so.1"
    text.write_text("not a library\n", encoding="utf-8")
    assert read_elf(empty) is None
    assert read_elf(text) is None
    assert read_elf(tmp_path / "libabsent.so.1") is None
    real = Path(sys.executable).resolve()
    if real.read_bytes()[:4] == b"\x7fELF":
        cut = tmp_path / "libcut.so.1"
        cut.write_bytes(real.read_bytes()[:200])
        assert read_elf(cut) is None


@pytest.mark.parametrize(
    ("environ", "tried"),
    [
        ({}, ["xcb"]),
        ({"DISPLAY": ":0"}, ["xcb"]),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, ["wayland", "xcb"]),
        ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, ["wayland", "xcb"]),
        ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, ["xcb"]),
        ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, ["offscreen"]),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, ["wayland", "xcb"]),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, ["xcb"]),
    ],
)
def test_the_plugins_qt_tries_here(environ: dict[str, str], tried: list[str]) -> None:
    assert platforms_qt_tries(environ) == tried


# --------------------------------------------------------------------------- one library gone


@pytest.fixture
def broken_plugins(tmp_path: Path) -> Path:
    """A copy of Qt's xcb plugin that asks for a library no computer has (its name
    changed in the copy, ``libxcb-icccm.so.4`` to ``libxcb-icccX.so.4``), beside Qt's
    own libraries (the plugin finds them through its RUNPATH, ``$ORIGIN/../../lib``)."""
    base = qt_folder()
    if base is None or not sys.platform.startswith("linux"):
        pytest.skip("Linux's Qt files")
    platforms = tmp_path / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    (tmp_path / "lib").symlink_to(base / "Qt" / "lib")
    data = (base / "Qt" / "plugins" / "platforms" / "libqxcb.so").read_bytes()
    assert data.count(b"libxcb-icccm.so.4\0") == 1
    (platforms / "libqxcb.so").write_bytes(
        data.replace(b"libxcb-icccm.so.4\0", b"libxcb-icccX.so.4\0")
    )
    return platforms


def test_a_missing_library_is_named_before_qt_is_loaded(
    broken_plugins: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environ = {"DISPLAY": ":0", "QT_QPA_PLATFORM_PLUGIN_PATH": str(broken_plugins)}
    problem = window_problem(environ)
    assert problem is not None and "libxcb-icccX.so.4" in problem
    assert "libxcb-keysyms.so.1" not in problem  # only what is really missing
    # The launcher says it on one line and exits 2, without starting Qt.
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(InvalidInput, match=r"libxcb-icccX\.so\.4"):
        gui_start.check_screen()
    assert launcher.main(["--data-dir", str(broken_plugins / "data")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("The app cannot open its window")
    assert not (broken_plugins / "data").exists()
    # --self-check says the same.
    check = selfcheck.check_qt_libraries()
    assert not check.passed and "the xcb plugin is missing libxcb-icccX.so.4" in check.line


def test_another_plugin_that_works_is_enough(broken_plugins: Path) -> None:
    wayland = Path(qt_libraries.platform_plugin_folder({}) or "") / "libqwayland.so"
    if qt_libraries.missing_libraries(wayland):
        pytest.skip("the Wayland libraries are not installed here (the README's line has them)")
    shutil.copy(wayland, broken_plugins / "libqwayland.so")
    environ = {
        "DISPLAY": ":0",
        "WAYLAND_DISPLAY": "wayland-0",
        "QT_QPA_PLATFORM_PLUGIN_PATH": str(broken_plugins),
    }
    assert [c.usable for c in qt_libraries.check_platforms(environ)] == [True, False]
    assert window_problem(environ) is None  # a Wayland desktop opens the window natively


@linux
def test_on_this_machine_the_self_check_passes_for_offscreen_qt() -> None:
    check = selfcheck.check_qt_libraries()  # conftest: QT_QPA_PLATFORM=offscreen
    assert check.passed, check.line
    assert (
        check.line == "PASS  Qt window libraries: the offscreen plugin finds every library it needs"
    )
