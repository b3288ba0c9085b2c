"""The system libraries Qt needs on Linux, and the Debian/Ubuntu package of each.

This is the one list. The README's apt-get line, the app's "these libraries are missing"
message (incident_recorder/infra/qt_libraries.py), ``--self-check`` and ``.ci/run`` all
come from it, and tests/unit/test_qt_requirements.py checks that the README and
``.ci/run`` say exactly this, and that every library PySide6's own files ask for is here.

How it was checked (PySide6 6.11): the ELF dependencies (``DT_NEEDED``, what ``ldd``
shows) of Qt's libraries, of the Qt modules the app imports and of the plugins it can load
(``xcb``, ``wayland``, ``offscreen``, printing, images) name every library below; a test
re-reads them, so a newer PySide6 that needs another one fails until it is added. With
apt, the line resolves on Debian 12 and Debian 13 from an empty package database
(``apt-get install -s --no-install-recommends``), and installs on Debian 12. Where
Debian 13 and Ubuntu 24.04 renamed a package for 64-bit time (``libglib2.0-0t64``,
``libcups2t64``), apt takes the old name for the new package by itself (Debian 13 checked;
on Ubuntu 24.04 apt prints "Note, selecting 'libglib2.0-0t64' instead of
'libglib2.0-0'"), so one line serves all four. Ubuntu's archive cannot be reached from
the project's machines: Ubuntu 22.04 and 24.04 are not run here.

Standard library only, and no Qt: the launcher reads this before Qt is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable

# Part of every Debian and Ubuntu system (apt itself needs them): never in the apt-get line,
# but named if one is somehow missing.
BASE_LIBRARIES: dict[str, str] = {
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libdl.so.2": "libc6",
    "libpthread.so.0": "libc6",
    "ld-linux-x86-64.so.2": "libc6",
    "ld-linux-aarch64.so.1": "libc6",
    "libresolv.so.2": "libc6",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
}

# Qt's core: every window, including the offscreen one the tests use.
CORE_LIBRARIES: dict[str, str] = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libX11.so.6": "libx11-6",
}

# A window on an X11 desktop, or on a Wayland desktop through Xwayland: the xcb platform
# plugin. A desktop missing only libxcb-icccm4 and libxcb-keysyms1 gets Qt's misleading
# "xcb-cursor0 is needed" message; the app names the real ones instead.
XCB_LIBRARIES: dict[str, str] = {
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-glx.so.0": "libxcb-glx0",  # OpenGL in an X11 window
}

# A native window on a Wayland desktop (Ubuntu's default session): the wayland plugin,
# which Qt tries first there, falling back to xcb.
WAYLAND_LIBRARIES: dict[str, str] = {
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}

# The in-app PDF preview: QtPdf loads QtNetwork, which needs these.
PDF_LIBRARIES: dict[str, str] = {
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
}

# Printing letters and records to the school's printers (Qt's CUPS plugin; without it
# Qt can only print to a PDF file).
PRINTING_LIBRARIES: dict[str, str] = {
    "libcups.so.2": "libcups2",
}

# Every library the app may need, soname -> package (what the README's line installs).
LIBRARIES: dict[str, str] = {
    **CORE_LIBRARIES,
    **XCB_LIBRARIES,
    **WAYLAND_LIBRARIES,
    **PDF_LIBRARIES,
    **PRINTING_LIBRARIES,
}

# The README's apt-get line, in this order.
PACKAGES: tuple[str, ...] = tuple(dict.fromkeys(LIBRARIES.values()))


def package_for(soname: str) -> str | None:
    """The Debian/Ubuntu package that ships ``soname``, when it is one Qt needs."""
    return LIBRARIES.get(soname) or BASE_LIBRARIES.get(soname)


def install_command(packages: Iterable[str]) -> str:
    return "sudo apt-get install -y " + " ".join(packages)


def apt_get_command() -> str:
    """The README's command, which installs everything (apt skips what is already there)."""
    return install_command(PACKAGES)


if __name__ == "__main__":  # `python -m incident_recorder.infra.qt_requirements`
    print(" ".join(PACKAGES))
